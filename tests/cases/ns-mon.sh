#!/bin/bash
# kernel-neutral: the NS monitor has no probed kernel difference
# The IPv6 NS monitor: active-backup with arp_interval 100, ns_ip6_target
# 2001:db8::2 (netlink only) and arp_validate active. The active slave sends
# one neighbour solicitation per interval to the target's solicited-node
# group, the backup none; both slaves come up on the target's
# advertisements. When the active slave's path dies while its carrier stays
# up, the other slave takes over; when the target stops answering the
# active slave goes down. ip -d -j and /proc show the list. Refused
# targets: ::, ::1, multicast, duplicates, a 17th (in-tree empties the list
# before it refuses). Checks wait for a steady state and a window is
# watched again, against the guest's own stalls under TCG.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

NS="$BOND_IP6 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has $PEER_IP6"
other() { [ "$1" = veth0 ] && echo veth1 || echo veth0; }
fails() { slave_attr "$1" link_failure_count; }
failed_more() { [ "$(fails "$1")" -gt "$2" ]; }
key() { ip -d -j link show dev "$2" | jq -c ".[0].linkinfo.info_data.$1"; }
logged() {
	local mark=$1 log l
	shift
	log=$(kmsg_since "$mark")
	for l in "$@"; do
		grep -qF -- "$l" <<<"$log" || fail "no dmesg line '$l'"
	done
}
refused_nl() {
	local desc=$1 want=$2 err
	shift 2
	err=$("$@" 2>&1) && fail "$desc: accepted ($*)"
	expect_eq "$err" "$want" "$desc: ip's message"
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

bond_load_defaults
ip link del bond0

topo_bond bond0 2 mode active-backup arp_interval 100 ns_ip6_target "$PEER_IP6" arp_validate active
for p in p0 p1; do
	cap_start $p.in $p -Q in icmp6
	cap_start $p.out $p -Q out icmp6
done
expect_eq "$(key ns_ip6_target bond0)" "[\"$PEER_IP6\"]" "info_data ns_ip6_target"
expect_eq "$(key arp_ip_target bond0),$(key arp_validate bond0),$(key arp_interval bond0)" \
	'null,"active",100' "info_data arp_ip_target/arp_validate/arp_interval"
[ ! -e /sys/class/net/bond0/bonding/ns_ip6_target ] || fail "a sysfs ns_ip6_target file"
expect_eq "$(grep '^ARP IP\|^NS IPv6' /proc/net/bonding/bond0)" \
	"ARP IP target/s (n.n.n.n form):
NS IPv6 target/s (xx::xx form): $PEER_IP6" "/proc target lines"
check "both slaves up, an active one" bond_settle bond0 60
for s in veth0 veth1; do
	expect_eq "$(proc_get bond0 'MII Status' $s)" up "/proc MII Status of $s"
done
check "ping6" ping -6 -c 3 -i 0.2 -W 2 "$PEER_IP6" >/dev/null

NA="$PEER_IP6 > $BOND_IP6: ICMP6, neighbor advertisement, tgt is $PEER_IP6"
for try in 1 2 3; do
	check "settled before counting" bond_settle bond0 60
	act=$(bond_opt bond0 active_slave)
	oth=$(other "$act")
	snap=$(_bond_snapshot bond0)
	a0=$(cap_count "p${act#veth}.in" "$NS") b0=$(cap_count "p${oth#veth}.in" "$NS")
	r0=$(cap_count "p${act#veth}.out" "$NA")
	sleep 3
	n_act=$(($(cap_count "p${act#veth}.in" "$NS") - a0))
	n_oth=$(($(cap_count "p${oth#veth}.in" "$NS") - b0))
	n_na=$(($(cap_count "p${act#veth}.out" "$NA") - r0))
	say "in 3 s: $n_act solicitations from $act (active), $n_oth from $oth (backup)," \
		"$n_na advertisements to $act"
	[ "$(_bond_snapshot bond0)" = "$snap" ] && break
	[ $try = 3 ] && fail "the slaves changed in every window"
done
[ "$n_act" -ge 15 ] && [ "$n_act" -le 40 ] || fail "$n_act solicitations from the active slave in 3 s"
expect_eq "$n_oth" 0 "solicitations from the backup"
[ "$n_na" -ge 15 ] || fail "$n_na advertisements from the target to the active slave in 3 s"
cap_stop_all
check "settled after the captures" bond_settle bond0 60
act=$(bond_opt bond0 active_slave)
oth=$(other "$act")

# The active slave's path dies.
f0=$(fails "$act")
kmsg_mark cut
t0=$(ms_now)
path_cut "${act#veth}"
ms=$(ms_until_state "$act" down 10) || fail "$act not down after its path died"
say "$act down ${ms} ms after its path died"
[ "$ms" -le 1500 ] || fail "$act down only after $ms ms"
check "$oth active" wait_for 10 attr_is "$oth" bond_opt bond0 active_slave
ms=$(($(ms_now) - t0))
say "$oth active ${ms} ms after the cut"
[ "$ms" -le 3000 ] || fail "failover took $ms ms"
expect_eq "$(cat /sys/class/net/$act/carrier)" 1 "$act keeps its carrier"
check "ping6 over $oth" ping -6 -c 3 -i 0.2 -W 2 "$PEER_IP6" >/dev/null
check "steady with $act's path dead" bond_steady bond0 60
expect_match "$(slave_attr "$act" mii_status),$(bond_opt bond0 active_slave)" "^(going )?down,$oth\$" \
	"$act down, $oth active while $act's path is dead"
f1=$(fails "$act")
[ "$f1" -gt "$f0" ] || fail "link failure count of $act still $f1"
logged cut "bond0: (slave $act): link status definitely down, disabling slave"
kmsg_mark restore
fo=$(fails "$oth")
path_restore "${act#veth}"
ms=$(ms_until_state "$act" up 10) || fail "$act not back up"
say "$act up ${ms} ms after its path came back"
check "settled after the restore" bond_settle bond0 60
# unless a stall took $oth down meanwhile: no failback, nothing counted
if [ "$(fails "$oth")" = "$fo" ]; then
	expect_eq "$(bond_opt bond0 active_slave)" "$oth" "no failback"
	expect_eq "$(fails "$act")" "$f1" "failure count unchanged by the return"
fi
logged restore "bond0: (slave $act): link status definitely up"

# The target stops answering: with arp_validate active the active slave
# needs its advertisements.
act=$(bond_opt bond0 active_slave)
f0=$(fails "$act")
ip -n "$TOPO_NS" addr del "$PEER_IP6/64" dev br0
check "$act goes down when the target is silent" \
	wait_for 5 failed_more "$act" "$f0"
ip -n "$TOPO_NS" addr add "$PEER_IP6/64" dev br0 nodad
check "settled with the target back" bond_settle bond0 60
ip link del bond0

# ---- refusals -----------------------------------------------------------
check "bond1" ip link add bond1 type bond mode active-backup arp_interval 100 ns_ip6_target 2001:db8::5
expect_eq "$(key ns_ip6_target bond1)" '["2001:db8::5"]' "bond1 ns_ip6_target"
kmsg_mark refusals
for bad in :: ::1 ff02::1 ff05::2; do
	check "ns_ip6_target 2001:db8::5" ip link set bond1 type bond ns_ip6_target 2001:db8::5
	refused_nl "ns_ip6_target $bad" "Error: invalid option value." \
		ip link set bond1 type bond ns_ip6_target $bad
	# in-tree empties the list first; ours keeps it (a refused write changes nothing)
	if impl_is intree; then
		expect_eq "$(key ns_ip6_target bond1)" null "list after '$bad' was refused (emptied first)"
	else
		expect_eq "$(key ns_ip6_target bond1)" '["2001:db8::5"]' "list after '$bad' was refused"
	fi
	logged refusals "bond1: invalid NS target $bad specified for addition"
done
# in-tree emptied the list before refusing; ours never removed the target
impl_is intree && logged refusals "bond1: Removing last ns target with arp_interval on"
refused_nl "duplicate" "Error: invalid option value." \
	ip link set bond1 type bond ns_ip6_target 2001:db8::5,2001:db8::5
expect_eq "$(key ns_ip6_target bond1)" '["2001:db8::5"]' "list after the duplicate was refused"
logged refusals "bond1: NS target 2001:db8::5 is already present"
check "link-local target" ip link set bond1 type bond ns_ip6_target fe80::1
expect_eq "$(key ns_ip6_target bond1)" '["fe80::1"]' "a link-local target"
list=$(for i in $(seq 1 16); do printf '2001:db8::%x ' $i; done)
check "16 targets" ip link set bond1 type bond ns_ip6_target "$(echo $list | tr ' ' ,)"
expect_eq "$(key ns_ip6_target bond1 | jq length)" 16 "16 targets"
expect_eq "$(proc_get bond1 'NS IPv6 target/s (xx::xx form)')" "$(echo $list | sed 's/ /, /g')" \
	"/proc with 16 targets"
kmsg_mark full
expect_eq "$(nl_set_targets bond1 ns $list 2001:db8::11)" "errno 22: invalid option value" \
	"17 targets in one message"
logged full "bond1: NS target table is full!"
expect_eq "$(key ns_ip6_target bond1 | jq -r 'join(" ")')" "$(echo $list)" "the first 16 kept"
expect_eq "$(nl_set_targets bond1 ns)" ok "an empty list"
expect_eq "$(key ns_ip6_target bond1)" null "emptied"
expect_eq "$(grep '^NS IPv6' /proc/net/bonding/bond1)" "NS IPv6 target/s (xx::xx form):" "/proc empty list"
check "ns_ip6_target without arp_interval" ip link set bond1 type bond arp_interval 0 ns_ip6_target 2001:db8::7
expect_eq "$(key ns_ip6_target bond1)" '["2001:db8::7"]' "kept without arp_interval"
! grep -q '^NS IPv6' /proc/net/bonding/bond1 || fail "/proc NS line with arp_interval 0"

bond_unload
