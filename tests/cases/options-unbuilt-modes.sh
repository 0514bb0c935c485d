#!/bin/bash
# kernel-neutral: our option table
# The options of 802.3ad, balance-tlb and balance-alb exist in every mode, as
# in-tree, whether or not the mode is built: clients send them all (networkd
# sends lp_interval with every ARP-monitored bond, and a refused attribute
# fails the whole bond). Defaults in sysfs and `ip -d link`; what any mode
# takes (lp_interval, ad_select); the in-tree refusals of the others outside
# their mode, over sysfs and netlink, with their dmesg lines; the 802.3ad
# identity and aggregator files empty outside 802.3ad; the module parameters
# lacp_rate, ad_select and lp_interval, with the in-tree messages.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

dir=/sys/class/net/bond0/bonding

# is FILE EXPECTED: FILE holds EXPECTED and a newline, or 0 bytes if empty.
is() {
	local want=$2 got
	[ -n "$want" ] && want+=$'\n'
	got=$(cat "$dir/$1"; echo .)
	[ "$got" = "$want." ] ||
		fail "$1: got $(od -An -c "$dir/$1" | tr -s ' '), expected '$2'"
}

# refuse FILE VALUE ERRNO DMESG-LINE...: refused, unchanged, and logged.
refuse() {
	local f=$1 v=$2 e=$3 before l
	shift 3
	before=$(cat $dir/$f)
	kmsg_mark "$f-$v"
	expect_eq "$(sysfs_errno $dir/$f "$v")" "$e" "$f <- '$v'"
	expect_eq "$(cat $dir/$f)" "$before" "$f unchanged after '$v'"
	for l in "$@"; do
		kmsg_since "$f-$v" | grep -qF "$l" || fail "$f <- '$v': no dmesg line '$l'"
	done
}

key() { ip -d -j link show dev "$1" | jq -c ".[0].linkinfo.info_data.$2"; }

# refused_nl DESC EXTACK CMD...: the ip command fails and prints EXTACK.
refused_nl() {
	local desc=$1 want=$2 err
	shift 2
	err=$("$@" 2>&1) && fail "$desc: accepted ($*)"
	expect_eq "$err" "$want" "$desc: ip's message"
}

# kmsg_lines MARK: the lines since MARK without their timestamps.
kmsg_lines() { kmsg_since "$1" | sed 's/^\[[^]]*\] //'; }

bond_load_defaults

say "sysfs defaults (balance-rr)"
is lacp_active "on 1"
is lacp_rate "slow 0"
is ad_select "stable 0"
is lp_interval 1
is tlb_dynamic_lb 1
for f in ad_actor_sys_prio ad_actor_system ad_user_port_key ad_aggregator \
	 ad_num_ports ad_actor_key ad_partner_key ad_partner_mac; do
	is $f ""
done

say "netlink defaults"
expect_eq "$(ip -d -j link show dev bond0 | jq -c '.[0].linkinfo.info_data |
	[.lp_interval, .ad_select, .tlb_dynamic_lb, .ad_lacp_active, .ad_lacp_rate,
	 .ad_actor_sys_prio, .ad_user_port_key, .ad_actor_system, .ad_info]')" \
	'[1,"stable",1,"on","slow",null,null,null,null]' "info_data of a balance-rr bond"

say "what any mode takes"
expect_eq "$(write_errno $dir/lp_interval 30)" ok "lp_interval 30"
is lp_interval 30
expect_eq "$(write_errno $dir/lp_interval maxval)" ok "lp_interval maxval"
is lp_interval 2147483647
refuse lp_interval 0 EINVAL "bond0: option lp_interval: invalid value (0)" \
	"bond0: option lp_interval: allowed values 1 - 2147483647"
refuse lp_interval 2147483648 EINVAL "bond0: option lp_interval: invalid value (2147483648)"
expect_eq "$(write_errno $dir/lp_interval default)" ok "lp_interval default"
is lp_interval 1
expect_eq "$(write_errno $dir/ad_select bandwidth)" ok "ad_select bandwidth"
is ad_select "bandwidth 1"
expect_eq "$(write_errno $dir/ad_select 2)" ok "ad_select 2"
is ad_select "count 2"
refuse ad_select 3 EINVAL "bond0: option ad_select: invalid value (3)"
refuse ad_select fastest EINVAL "bond0: option ad_select: invalid value (fastest)"
ip link set bond0 up
refuse ad_select stable EBUSY "bond0: option ad_select: unable to set because the bond device is up"
ip link set bond0 down
expect_eq "$(write_errno $dir/ad_select default)" ok "ad_select default"
is ad_select "stable 0"

say "802.3ad's and tlb/alb's own, refused in balance-rr and active-backup"
for m in balance-rr active-backup; do
	echo $m >$dir/mode
	n=$(cut -d' ' -f2 $dir/mode)
	for fv in lacp_rate=fast lacp_active=off ad_actor_sys_prio=100 \
		  ad_actor_system=02:00:00:00:00:01 ad_user_port_key=5 tlb_dynamic_lb=0; do
		refuse "${fv%%=*}" "${fv#*=}" EACCES \
			"bond0: option ${fv%%=*}: mode dependency failed, not supported in mode $m($n)"
	done
done
is lacp_rate "slow 0"
is tlb_dynamic_lb 1
refused_nl "lacp_rate in active-backup" "Error: option not supported in mode." \
	ip link set bond0 type bond lacp_rate fast
refused_nl "ad_actor_sys_prio in active-backup" "Error: option not supported in mode." \
	ip link set bond0 type bond ad_actor_sys_prio 10
refused_nl "ad_actor_system in active-backup" "Error: option not supported in mode." \
	ip link set bond0 type bond ad_actor_system 02:00:00:00:00:01
refused_nl "tlb_dynamic_lb in active-backup" "Error: option not supported in mode." \
	ip link set bond0 type bond tlb_dynamic_lb 0
refused_nl "add: lacp_rate in balance-rr" "Error: option not supported in mode." \
	ip link add bond1 type bond lacp_rate fast
check_fails "no bond1 after a failed add" link_exists bond1

say "netlink: what networkd sends for an ARP-monitored bond"
check "ARP-monitored active-backup with lp_interval" ip link add bond3 type bond \
	mode active-backup arp_interval 200 arp_ip_target 192.0.2.1 arp_validate active \
	lp_interval 1 ad_select stable
expect_eq "$(key bond3 lp_interval),$(key bond3 arp_interval)" "1,200" "bond3's lp_interval and arp_interval"
check "lp_interval and ad_select by netlink" ip link set bond3 type bond lp_interval 9 ad_select count
expect_eq "$(key bond3 lp_interval),$(key bond3 ad_select)" '9,"count"' "bond3 after ip link set"
expect_eq "$(cat /sys/class/net/bond3/bonding/lp_interval)" 9 "bond3 sysfs lp_interval"
ip link del bond3

say "module parameters"
bond_unload
kmsg_mark load
bond_load_defaults lp_interval=0 lacp_rate=fast ad_select=count
kmsg_lines load | grep -qxF "Warning: ip_interval must be between 1 and 2147483647, so it was reset to 1" ||
	fail "no lp_interval=0 warning"
kmsg_lines load | grep -qxF "lacp_rate param is irrelevant in mode load balancing (round-robin)" ||
	fail "no lacp_rate irrelevance line"
kmsg_lines load | grep -qxF "ad_select param only affects 802.3ad mode" ||
	fail "no ad_select warning"
is lp_interval 1
is lacp_rate "slow 0"
is ad_select "count 2"
bond_unload
bond_load_defaults lp_interval=12
is lp_interval 12
bond_unload
kmsg_mark bad
! modprobe -C "$BOND_MODPROBE_DIR" bonding ad_select=bogus 2>/dev/null || fail "ad_select=bogus loaded"
check_fails "module not loaded after ad_select=bogus" bond_loaded
kmsg_lines bad | grep -qxF 'Error: Invalid ad_select "bogus"' || fail "no ad_select=bogus error"
if impl_is ours; then ko=$BOND_KO; else ko=$(modinfo -n bonding); fi
expect_eq "$(modinfo -F parm "$ko" | cut -d: -f1 | grep -xE 'lacp_rate|ad_select|lp_interval' | sort | paste -sd' ')" \
	"ad_select lacp_rate lp_interval" "modinfo lists lacp_rate, ad_select and lp_interval"
