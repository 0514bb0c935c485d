#!/bin/bash
# kernel-neutral: ARP monitor timing, in our own timers (no probed kernel difference)
# arp_validate and arp_all_targets in active-backup with the ARP monitor
# (arp_interval 100, target 192.0.2.2). The peer broadcasts other IPv4
# traffic (no ARP) to both slaves all along. Two situations tell the
# settings apart:
#  - "isolated": the peer's bridge ports are isolated from each other, so
#    the backup no longer sees the active slave's ARP requests, only the
#    other traffic; the target still answers the active slave;
#  - "silent": the target stops answering ARP (its address is removed),
#    the other traffic goes on.
# none keeps both slaves up in both (any traffic counts); active takes the
# active slave down when the target is silent (it needs the target's
# replies); backup takes the backup down when isolated (it needs to see
# the active's requests); all does both; filter, filter_active and
# filter_backup only count ARP, so the other traffic keeps no slave up.
# With two targets and validate all, one silent target leaves the active
# slave up with arp_all_targets any and takes it down with all.
# arp_missed_max 12 (a slave is given up after some 1.3 s) keeps the guest's
# own stalls under TCG from passing for a dead path; a window whose outcome
# a stall may have spoiled is watched a second time.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

NOISE_NET=198.51.100
other() { [ "$1" = veth0 ] && echo veth1 || echo veth0; }
fails() { slave_attr "$1" link_failure_count; }

teardown() {
	[ -n "$noise" ] && { kill "$noise"; wait "$noise" 2>/dev/null; }
	noise=
	ip link del bond0 2>/dev/null
	ip netns del "$TOPO_NS" 2>/dev/null
	for l in veth0 veth1; do ip link del "$l" 2>/dev/null; done
	sleep 0.2
}

# setup OPTIONS...: the bond over two veths, settled, and the peer's
# broadcast traffic (ICMP to a broadcast address, 20 per second) running.
# The peer has no IPv6 at all: the filter settings count any IPv6 frame
# (router solicitations, MLD reports) as they count ARP.
setup() {
	ip link add bond0 type bond mode active-backup arp_interval 100 arp_missed_max 12 \
		arp_ip_target "$PEER_IP4" "$@" || fail "bond0 ($*)"
	topo_peer_ns
	ip netns exec "$TOPO_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	topo_veth veth0 p0
	topo_veth veth1 p1
	ip link set veth0 master bond0 || fail "enslave veth0"
	ip link set veth1 master bond0 || fail "enslave veth1"
	ip link set bond0 up
	ip addr add "$BOND_IP4/24" dev bond0
	ip -n "$TOPO_NS" addr add "$NOISE_NET.254/24" dev br0
	ip netns exec "$TOPO_NS" ping -b -q -i 0.05 "$NOISE_NET.255" >/dev/null 2>&1 &
	noise=$!
	check "settled ($*)" bond_settle bond0 60
}

# watch SECONDS: sample both slaves every 0.1 s; sets $act (the active slave
# at the start), $left_act / $left_bak (1 if the active / backup slave was
# ever seen not "up"), $df_act / $df_bak (their failure count increase) and
# $act_end (the active slave at the end).
watch() {
	local bak end=$((SECONDS + $1)) s fa fb
	act=$(bond_opt bond0 active_slave)
	bak=$(other "$act")
	fa=$(fails "$act") fb=$(fails "$bak")
	left_act=0 left_bak=0
	while [ $SECONDS -lt $end ]; do
		read -r s <"/sys/class/net/$act/bonding_slave/mii_status"
		[ "$s" = up ] || left_act=1
		read -r s <"/sys/class/net/$bak/bonding_slave/mii_status"
		[ "$s" = up ] || left_bak=1
		sleep 0.1
	done
	df_act=$(($(fails "$act") - fa)) df_bak=$(($(fails "$bak") - fb))
	act_end=$(bond_opt bond0 active_slave)
	say "  active $act: left up $left_act, +$df_act failures; backup $bak: left up $left_bak," \
		"+$df_bak failures; active now '$act_end'"
}

# kept: neither slave left "up", the active slave did not change.
kept() {
	[ $left_act = 0 ] && [ $left_bak = 0 ] && [ $df_act = 0 ] && [ $df_bak = 0 ] &&
		[ "$act_end" = "$act" ] || { why="a slave went down"; return 1; }
}
# backup_down: the backup went down and stays down, the active slave stayed.
backup_down() {
	[ $left_bak = 1 ] || { why="the backup stayed up"; return 1; }
	[ $left_act = 0 ] && [ $df_act = 0 ] && [ "$act_end" = "$act" ] ||
		{ why="the active slave went down too"; return 1; }
	[ "$(slave_attr "$(other "$act")" mii_status)" != up ] || { why="the backup is up again"; return 1; }
}
# active_down: the active slave was taken down.
active_down() {
	[ $df_act -ge 1 ] || { why="the active slave stayed up"; return 1; }
}
# expect EXPECTATION DESC: watch 3 s (more than twice the 1.3 s in which a
# slave is given up) for EXPECTATION; if it fails, settle (when the bond
# can) and watch a second time.
expect() {
	watch 3
	$1 && return 0
	say "  $2: $why; once more"
	bond_settle bond0 10
	watch 3
	$1 || fail "$2: $why"
}

bond_load_defaults
ip link del bond0
noise=

#	validate	isolated	silent
table="none		kept		kept
active		kept		active_down
backup		backup_down	kept
all		backup_down	active_down
filter		backup_down	active_down
filter_active	backup_down	active_down
filter_backup	backup_down	active_down"

while read -r v isolated silent; do
	say "arp_validate $v"
	setup arp_validate "$v"
	expect_match "$(bond_opt bond0 arp_validate)" "^$v [0-9]\$" "sysfs arp_validate"
	check "$v: ping" ping -c 2 -i 0.2 -W 2 "$PEER_IP4" >/dev/null

	say " isolated"
	bridge -n "$TOPO_NS" link set dev p0 isolated on
	bridge -n "$TOPO_NS" link set dev p1 isolated on
	expect $isolated "arp_validate $v, isolated ports"
	bridge -n "$TOPO_NS" link set dev p0 isolated off
	bridge -n "$TOPO_NS" link set dev p1 isolated off
	check "$v: settled after the isolation" bond_settle bond0 60

	say " silent"
	ip -n "$TOPO_NS" addr del "$PEER_IP4/24" dev br0
	expect $silent "arp_validate $v, silent target"
	teardown
done <<<"$table"

# arp_all_targets: two targets; 192.0.2.3 falls silent.
for at in any all; do
	say "arp_all_targets $at"
	setup arp_validate all arp_all_targets $at
	ip -n "$TOPO_NS" addr add 192.0.2.3/24 dev br0
	echo +192.0.2.3 >/sys/class/net/bond0/bonding/arp_ip_target || fail "second target"
	expect_eq "$(bond_opt bond0 arp_all_targets)" "$at $([ $at = all ] && echo 1 || echo 0)" \
		"sysfs arp_all_targets"
	check "$at: settled with two targets" bond_settle bond0 60
	ip -n "$TOPO_NS" addr del 192.0.2.3/24 dev br0
	if [ $at = any ]; then
		expect kept "arp_all_targets any, one target silent"
	else
		expect active_down "arp_all_targets all, one target silent"
	fi
	teardown
done

bond_unload
