#!/bin/bash
# kernel-neutral: per-slave targets (6.1 route lookups stay covered by arp-vlan-probe, reg-t2-08)
# Per-slave ARP/NS targets (ours alone; in-tree has no such files): the
# multi-WAN case. veth0 leads to the namespace isp1, whose gateway is
# 198.51.100.1 (2001:db8:1::1), veth1 to isp2, gateway 198.51.100.129
# (2001:db8:2::1); each gateway is reachable through its own slave only.
# The bond has arp_interval 100 and no bond-wide target; each slave gets its
# own through /sys/class/net/<slave>/bonding_slave/arp_ip_target (and
# ns_ip6_target), written "+addr"/"-addr" like the bond's file and read
# back space-separated. Each slave probes its own gateway, from itself,
# even as a backup. When isp1's gateway dies (its address goes, the
# carrier stays) only veth0 goes down and traffic goes on over veth1; when
# the gateway is back, veth0 comes back. Active-backup (primary veth0),
# balance-xor, and IPv6 targets. /proc shows a slave's own targets in its
# section. Refusals as for the bond-wide file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

impl_is intree && skip "per-slave targets are ours alone"

GW1=198.51.100.1
GW2=198.51.100.129
SRC1=198.51.100.10
SRC2=198.51.100.138
GW1_6=2001:db8:1::1
GW2_6=2001:db8:2::1
own() { echo "/sys/class/net/$1/bonding_slave/$2"; }
fails() { slave_attr "$1" link_failure_count; }
# proc_has_line BLOCK LINE: LINE is in /proc/net/bonding/bond0, in the bond's
# block (BLOCK "") or in slave BLOCK's.
proc_has_line() {
	awk -v blk="$1" -v line="$2" '
		/^Slave Interface: / { cur = substr($0, 18) }
		cur == blk && $0 == line { found = 1 }
		END { exit !found }' /proc/net/bonding/bond0
}
ms_until_state() {
	local f=/sys/class/net/$1/bonding_slave/mii_status s t0 end=$((SECONDS + $3))
	t0=$(ms_now)
	while [ $SECONDS -lt $end ]; do
		read -r s <"$f"
		if [ "$2" = up ]; then [ "$s" = up ]; else [ "$s" != up ]; fi &&
			{ echo $(($(ms_now) - t0)); return 0; }
	done
	return 1
}

# topo: the two ISP namespaces, one veth into each (left down here).
topo() {
	ns_add isp1
	ns_add isp2
	ip link add veth0 type veth peer name p0 netns isp1 || fail "veth0/p0"
	ip link add veth1 type veth peer name p1 netns isp2 || fail "veth1/p1"
	ip -n isp1 link set p0 up
	ip -n isp2 link set p1 up
	ip -n isp1 addr add $GW1/25 dev p0
	ip -n isp1 addr add $GW1_6/64 dev p0 nodad
	ip -n isp2 addr add $GW2/25 dev p1
	ip -n isp2 addr add $GW2_6/64 dev p1 nodad
}
teardown() {
	ip link del bond0 2>/dev/null
	ip link del veth0 2>/dev/null
	ip link del veth1 2>/dev/null
	ip netns del isp1 2>/dev/null
	ip netns del isp2 2>/dev/null
}
# bond MODE OPTIONS...: bond0 over veth0/veth1 with the ARP monitor and no
# bond-wide target, the addresses of both ISPs' subnets; each slave's own
# IPv4 gateway set.
bond() {
	local mode=$1
	shift
	topo
	ip link add bond0 type bond mode $mode arp_interval 100 "$@" || fail "bond0 $mode"
	ip link set veth0 master bond0 || fail "enslave veth0"
	ip link set veth1 master bond0 || fail "enslave veth1"
	expect_eq "$(wc -c <"$(own veth0 arp_ip_target)")" 0 "no own target at first"
	echo +$GW1 >"$(own veth0 arp_ip_target)" || fail "veth0 +$GW1"
	echo +$GW2 >"$(own veth1 arp_ip_target)" || fail "veth1 +$GW2"
	ip link set bond0 up
	ip addr add $SRC1/25 dev bond0
	ip addr add $SRC2/25 dev bond0
	ip addr add 2001:db8:1::10/64 dev bond0 nodad
	ip addr add 2001:db8:2::10/64 dev bond0 nodad
}

# gw_cycle MODE ADDR/LEN: isp1 loses the gateway address ADDR/LEN (its
# carrier stays): veth0 alone goes down and traffic to isp2 goes on over
# veth1; ADDR/LEN back: veth0 comes back up.
gw_cycle() {
	local mode=$1 addr=$2 f0 ms
	check "$mode: both slaves up" bond_settle bond0 60
	f0=$(fails veth0)
	ip -n isp1 addr del "$addr" dev p0
	ms=$(ms_until_state veth0 down 10) || fail "$mode: veth0 not down when isp1's gateway died"
	say "$mode: veth0 down ${ms} ms after isp1's gateway $addr died"
	[ "$ms" -le 1500 ] || fail "$mode: veth0 down only after $ms ms"
	check "$mode: steady with isp1's gateway dead" bond_steady bond0 60
	expect_match "$(slave_attr veth0 mii_status),$(slave_attr veth1 mii_status)" "^(going )?down,up\$" \
		"$mode: veth0 down, veth1 up"
	# /proc says what sysfs says: read both until one moment holds for both
	# (a slave still going down may get there between two reads)
	proc_is_sysfs() {
		[ "$(proc_get bond0 'MII Status' veth0),$(proc_get bond0 'MII Status' veth1)" = \
		  "$(slave_attr veth0 mii_status),up" ]
	}
	wait_for 5 proc_is_sysfs || expect_eq \
		"$(proc_get bond0 'MII Status' veth0),$(proc_get bond0 'MII Status' veth1)" \
		"$(slave_attr veth0 mii_status),up" "$mode: /proc MII Status of the slaves"
	expect_eq "$(cat /sys/class/net/veth0/carrier)" 1 "$mode: veth0 keeps its carrier"
	[ "$(fails veth0)" -gt "$f0" ] || fail "$mode: veth0 link failure count still $f0"
	if [ "$mode" = active-backup ]; then
		expect_eq "$(bond_opt bond0 active_slave)" veth1 "$mode: active slave with isp1 dead"
	fi
	check "$mode: ping isp2's gateway over veth1" ping -c 5 -i 0.2 -W 2 $GW2 >/dev/null
	check "$mode: ping6 isp2's gateway over veth1" ping -6 -c 3 -i 0.2 -W 2 $GW2_6 >/dev/null

	ip -n isp1 addr add "$addr" dev p0 nodad 2>/dev/null || ip -n isp1 addr add "$addr" dev p0
	ms=$(ms_until_state veth0 up 10) || fail "$mode: veth0 not back up with isp1's gateway"
	say "$mode: veth0 up ${ms} ms after isp1's gateway came back"
	check "$mode: both up again" bond_settle bond0 60
	if [ "$mode" = active-backup ]; then
		expect_eq "$(bond_opt bond0 active_slave)" veth0 "$mode: the primary is active again"
	fi
}

bond_load_defaults max_bonds=0

# ---- active-backup, IPv4 --------------------------------------------------
bond active-backup primary_reselect always
echo veth0 >/sys/class/net/bond0/bonding/primary
expect_eq "$(cat "$(own veth0 arp_ip_target)")" $GW1 "veth0's own target"
expect_eq "$(cat "$(own veth1 arp_ip_target)")" $GW2 "veth1's own target"
expect_eq "$(wc -c <"$(own veth0 ns_ip6_target)")" 0 "no own NS target"
expect_eq "$(wc -c </sys/class/net/bond0/bonding/arp_ip_target)" 0 "no bond-wide target"
check "both slaves up on their own gateways" bond_settle bond0 60
expect_eq "$(bond_opt bond0 active_slave)" veth0 "the primary is active"
check "ping isp1's gateway over veth0" ping -c 3 -i 0.2 -W 2 $GW1 >/dev/null

# /proc: the bond's list is empty, each slave's own list is in its section.
proc_has_line "" "ARP IP target/s (n.n.n.n form):" || fail "/proc: bond-wide target line"
proc_has_line veth0 "ARP IP target/s (n.n.n.n form): $GW1" || fail "/proc: veth0's own target"
proc_has_line veth1 "ARP IP target/s (n.n.n.n form): $GW2" || fail "/proc: veth1's own target"
! proc_has_line veth0 "NS IPv6 target/s (xx::xx form):" || fail "/proc: NS line for veth0 without NS targets"
echo -$GW2 >"$(own veth1 arp_ip_target)"
! grep -q "^ARP IP target/s (n.n.n.n form): $GW2" /proc/net/bonding/bond0 ||
	fail "/proc: veth1's line after its last target went"
echo +$GW2 >"$(own veth1 arp_ip_target)"

# Each slave probes its own gateway, the backup too, and no other.
cap=$(mktemp -d)
for i in 1 2; do
	ip netns exec isp$i tcpdump -l -n -Q in -i p$((i - 1)) arp >"$cap/isp$i" 2>"$cap/err$i" &
	eval "tpid$i=$!"
	wait_for 20 grep -q 'listening on' "$cap/err$i" || fail "tcpdump in isp$i"
done
sleep 3
kill "$tpid1" "$tpid2"
wait "$tpid1" "$tpid2" 2>/dev/null
n1=$(grep -c "Request who-has $GW1 tell $SRC1" "$cap/isp1")
n2=$(grep -c "Request who-has $GW2 tell $SRC2" "$cap/isp2")
say "probes in about 3 s: $n1 from veth0 to $GW1, $n2 from veth1 (backup) to $GW2"
[ "$n1" -ge 15 ] || fail "veth0 sent $n1 probes to $GW1"
[ "$n2" -ge 15 ] || fail "veth1 (backup) sent $n2 probes to $GW2"
expect_eq "$(grep -c "who-has $GW2 " "$cap/isp1"),$(grep -c "who-has $GW1 " "$cap/isp2")" 0,0 \
	"probes for the other ISP's gateway"
rm -rf "$cap"

gw_cycle active-backup $GW1/25

# ---- IPv6 own targets -----------------------------------------------------
echo +$GW1_6 >"$(own veth0 ns_ip6_target)" || fail "veth0 +$GW1_6"
echo +$GW2_6 >"$(own veth1 ns_ip6_target)" || fail "veth1 +$GW2_6"
echo -$GW1 >"$(own veth0 arp_ip_target)" || fail "veth0 -$GW1"
echo -$GW2 >"$(own veth1 arp_ip_target)" || fail "veth1 -$GW2"
expect_eq "$(cat "$(own veth0 ns_ip6_target)"),$(wc -c <"$(own veth0 arp_ip_target)")" "$GW1_6,0" \
	"veth0's own lists"
proc_has_line veth0 "NS IPv6 target/s (xx::xx form): $GW1_6" || fail "/proc: veth0's own NS target"
! proc_has_line veth0 "ARP IP target/s (n.n.n.n form): $GW1" || fail "/proc: veth0's removed target"
gw_cycle active-backup $GW1_6/64
teardown

# ---- balance-xor --------------------------------------------------------
bond balance-xor
gw_cycle balance-xor $GW1/25
teardown

# ---- refusals ------------------------------------------------------------
bond active-backup
f=$(own veth0 arp_ip_target)
expect_eq "$(write_errno "$f" +$GW1)" EINVAL "duplicate +$GW1"
for bad in +255.255.255.255 +0.0.0.0 -198.51.100.99; do
	expect_eq "$(write_errno "$f" "$bad")" EINVAL "'$bad'"
done
for bad in +abc +198.51.100.300 198.51.100.2 + ' '; do
	expect_eq "$(write_errno "$f" "$bad")" EPERM "malformed '$bad'"
done
err=$( { echo >"$f"; } 2>&1) && fail "echo > own arp_ip_target accepted"
[[ $err == *"Operation not permitted"* ]] || fail "echo > own arp_ip_target: '$err'"
check "printf '' > own arp_ip_target" eval "printf '' >'$f'"
for i in $(seq 2 16); do
	expect_eq "$(write_errno "$f" +198.51.100.$((i + 20)))" ok "own target $i"
done
expect_eq "$(wc -w <"$f")" 16 "sixteen own targets"
expect_eq "$(cut -d' ' -f1-3 "$f")" "$GW1 198.51.100.22 198.51.100.23" "own targets in order"
expect_eq "$(write_errno "$f" +198.51.100.99)" EINVAL "17th own target"
expect_eq "$(write_errno "$f" -198.51.100.22)" ok "removal of an own target"
expect_eq "$(wc -w <"$f")" 15 "fifteen own targets"
expect_eq "$(cat "$(own veth1 arp_ip_target)")" $GW2 "veth1's list untouched"
f=$(own veth0 ns_ip6_target)
expect_eq "$(write_errno "$f" +$GW1_6)" ok "+$GW1_6"
expect_eq "$(write_errno "$f" +2001:db8:1::2)" ok "+2001:db8:1::2"
expect_eq "$(cat "$f")" "$GW1_6 2001:db8:1::2" "own NS targets, space separated"
expect_eq "$(write_errno "$f" +$GW1_6)" EINVAL "duplicate NS target"
for bad in +:: +::1 +ff02::1 -2001:db8:1::99; do
	expect_eq "$(write_errno "$f" "$bad")" EINVAL "NS '$bad'"
done
for bad in +abc +2001:db8::g $GW1_6; do
	expect_eq "$(write_errno "$f" "$bad")" EPERM "malformed NS '$bad'"
done
for i in $(seq 3 16); do
	expect_eq "$(write_errno "$f" +2001:db8:1::$i)" ok "own NS target $i"
done
expect_eq "$(write_errno "$f" +2001:db8:1::99)" EINVAL "17th own NS target"
expect_eq "$(wc -w <"$f")" 16 "sixteen own NS targets"
teardown
bond_unload
