#!/bin/bash
# Bond options over netlink: `ip link add/set ... type bond` values come back
# exactly in `ip -d -j link show` (delays in ms, rescaled with miimon);
# refusals fail with the in-tree extack; per-slave info_slave_data and the
# settable slave attributes (queue_id, prio).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# info DEV: the rr/ab options of info_data (in-tree dumps every option; the
# others belong to other modes and monitors).
info() {
	ip -d -j link show dev "$1" | jq -S -c '.[0].linkinfo.info_data |
		{mode, miimon, updelay, downdelay, peer_notify_delay, use_carrier,
		 primary_reselect, fail_over_mac, resend_igmp, num_peer_notif,
		 all_slaves_active, packets_per_slave}'
}
sinfo() { ip -d -j link show dev "$1" | jq -S -c '.[0].linkinfo.info_slave_data'; }
key() { ip -d -j link show dev "$1" | jq -r ".[0].linkinfo.info_data.$2"; }

# expect_info DEV JSON: those options of DEV are exactly JSON (any key order).
expect_info() {
	local want
	want=$(jq -S -c . <<<"$2")
	expect_eq "$(info "$1")" "$want" "info_data of $1"
}

# refused_nl DESC EXTACK CMD...: the ip command fails and prints EXTACK.
refused_nl() {
	local desc=$1 want=$2 err
	shift 2
	err=$("$@" 2>&1) && fail "$desc: accepted ($*)"
	expect_eq "$err" "$want" "$desc: ip's message"
}

bond_load_defaults
ip link del bond0
check "ip link add with options" ip link add bond0 type bond mode active-backup miimon 100 \
	updelay 200 downdelay 300 peer_notify_delay 100 use_carrier 0 primary_reselect failure \
	fail_over_mac follow num_grat_arp 5 resend_igmp 3 all_slaves_active 1
expect_info bond0 '{"mode":"active-backup","miimon":100,"updelay":200,"downdelay":300,
	"peer_notify_delay":100,"use_carrier":0,"primary_reselect":"failure",
	"fail_over_mac":"follow","resend_igmp":3,"num_peer_notif":5,
	"all_slaves_active":1,"packets_per_slave":1}'
# sysfs agrees
expect_eq "$(bond_opt bond0 fail_over_mac)" "follow 2" "sysfs fail_over_mac"
expect_eq "$(bond_opt bond0 num_unsol_na)" 5 "sysfs num_unsol_na"

# Changes; the delays are multiples of miimon and follow it.
check "set use_carrier/num_grat_arp/primary_reselect" \
	ip link set bond0 type bond use_carrier 1 num_grat_arp 2 primary_reselect better
expect_eq "$(key bond0 use_carrier),$(key bond0 num_peer_notif),$(key bond0 primary_reselect)" \
	"1,2,better" "values after ip link set"
check "miimon 200" ip link set bond0 type bond miimon 200
expect_eq "$(key bond0 updelay),$(key bond0 downdelay),$(key bond0 peer_notify_delay)" \
	"400,600,200" "delays rescaled with miimon 200"
check "updelay 450" ip link set bond0 type bond updelay 450
expect_eq "$(key bond0 updelay)" 400 "updelay rounded down to a multiple of miimon"
check "miimon 100" ip link set bond0 type bond miimon 100 updelay 0 downdelay 0 peer_notify_delay 0

# Refusals, with the extack ip prints.
refused_nl "packets_per_slave in active-backup" "Error: option not supported in mode." \
	ip link set bond0 type bond packets_per_slave 3
# Attributes apply in order and stop at the first error: miimon (before
# packets_per_slave) stays applied.
refused_nl "miimon then packets_per_slave" "Error: option not supported in mode." \
	ip link set bond0 type bond miimon 300 packets_per_slave 3
expect_eq "$(key bond0 miimon)" 300 "miimon applied before the failing attribute"
ip link set bond0 type bond miimon 100
ip link set bond0 up
refused_nl "mode while up" "Error: unable to set option because the bond is up." \
	ip link set bond0 type bond mode balance-rr
ip link set bond0 down
# A failing `ip link add` leaves no bond behind.
refused_nl "add: packets_per_slave in active-backup" "Error: option not supported in mode." \
	ip link add bond1 type bond mode active-backup packets_per_slave 4
check_fails "no bond1 after a failed add" link_exists bond1
refused_nl "add: updelay without miimon" "RTNETLINK answers: Operation not permitted" \
	ip link add bond1 type bond updelay 200
check_fails "no bond1 after a failed add (updelay)" link_exists bond1
check "balance-rr bond with packets_per_slave" ip link add bond1 type bond packets_per_slave 4 miimon 50
expect_eq "$(key bond1 mode),$(key bond1 packets_per_slave),$(key bond1 miimon)" \
	"balance-rr,4,50" "bond1 values"
ip link del bond1

# Slaves.
check "fail_over_mac none" ip link set bond0 type bond fail_over_mac none
topo_peer_ns
topo_veth veth0 p0 02:00:00:00:00:a0
topo_veth veth1 p1 02:00:00:00:00:a1
ip link set veth0 master bond0
ip link set veth1 master bond0
ip link set bond0 up
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "veth1 up" wait_for 10 attr_is up slave_attr veth1 mii_status
expect_eq "$(key bond0 active_slave)" veth0 "active_slave in info_data"
expect_eq "$(key bond0 primary)" null "no primary in info_data"
expect_eq "$(sinfo veth0)" \
	'{"link_failure_count":0,"mii_status":"UP","perm_hwaddr":"02:00:00:00:00:a0","prio":0,"queue_id":0,"state":"ACTIVE"}' \
	"veth0 slave data"
expect_eq "$(sinfo veth1)" \
	'{"link_failure_count":0,"mii_status":"UP","perm_hwaddr":"02:00:00:00:00:a1","prio":0,"queue_id":0,"state":"BACKUP"}' \
	"veth1 slave data"
refused_nl "mode with slaves" "Error: unable to set option because the bond device has slaves." \
	ip link set bond0 type bond mode balance-rr
refused_nl "fail_over_mac with slaves" "Error: unable to set option because the bond device has slaves." \
	ip link set bond0 type bond fail_over_mac active
check "slave queue_id and prio" ip link set veth1 type bond_slave queue_id 2 prio 5
expect_eq "$(sinfo veth1 | jq -c '[.queue_id, .prio]')" "[2,5]" "veth1 queue_id/prio"
expect_eq "$(slave_attr veth1 queue_id)" 2 "sysfs queue_id"
check "primary veth1" ip link set bond0 type bond primary veth1
check "veth1 active" wait_for 5 attr_is veth1 bond_opt bond0 active_slave
expect_eq "$(key bond0 primary),$(key bond0 active_slave)" "veth1,veth1" "primary/active_slave in info_data"
check "active_slave veth0" ip link set bond0 type bond active_slave veth0
expect_eq "$(key bond0 active_slave)" veth0 "active_slave set by netlink"

peer_cut 0
check "veth0 down" wait_for 10 attr_is down slave_attr veth0 mii_status
expect_eq "$(sinfo veth0 | jq -c '[.state, .mii_status, .link_failure_count]')" \
	'["BACKUP","DOWN",1]' "veth0 slave data after its link was cut"
expect_eq "$(key bond0 active_slave)" veth1 "active after the cut"
bond_unload
