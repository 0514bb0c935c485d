#!/bin/bash
# kernel-neutral: our own tables and timers, no probed kernel difference
# balance-tlb and balance-alb under churn, for the debug kernel (lockdep,
# KASAN, kmemleak): while four clients and the bond ping each other and a
# client sends faster, the bond fails over (link cuts, active_slave
# writes), loses and regains slaves, changes its MAC, gains and loses a
# VLAN and a macvlan, changes lp_interval, goes down and up with
# tlb_dynamic_lb toggled, and debugfs' rlb_hash_table is read throughout.
# Each round ends with a check that holds whatever happened: the slaves'
# MACs are pairwise distinct, one of them the bond's, and every client
# reaches the bond. The harness fails the test on any kernel splat.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load

CLIENTS=4
# Each mode runs the 8 kinds of round once (in kind 3, tlb takes a fresh
# MAC, alb the MAC one of its slaves wears). The debug kernel under TCG runs
# some 20 times slower: lighter traffic there, or the churn never gets past
# its first rounds, and each mode runs 4 rounds (tlb the first four kinds,
# alb the last four) to stay within the suite's 600 s.
PING_I=0.05 FAST_I=0.01 FIRST=(0 0) ROUNDS=8
case $(uname -r) in *debug*) PING_I=0.5 FAST_I=0.1 FIRST=(0 4) ROUNDS=4 ;; esac
client_ip() { echo "192.0.2.$((10 + $1))"; }

# clients: namespaces bt-lc1.. with eth0 on the peer's bridge
add_clients() {
	local c
	for ((c = 1; c <= CLIENTS; c++)); do
		ns_add "bt-lc$c"
		ip link add "lc$c" type veth peer name eth0 netns "bt-lc$c" || fail "client $c"
		ip link set "lc$c" netns "$TOPO_NS"
		ip -n "$TOPO_NS" link set "lc$c" master br0 up
		ip -n "bt-lc$c" link set eth0 up
		ip -n "bt-lc$c" addr add "$(client_ip $c)/24" dev eth0
	done
}

# The slaves' MACs are distinct and one is the bond's.
check_macs() {
	local bondmac s macs=() uniq
	bondmac=$(link_mac bond0)
	for s in $(bond_opt bond0 slaves); do
		macs+=("$(link_mac "$s")")
	done
	[ ${#macs[@]} -eq 0 ] && return 0
	uniq=$(printf '%s\n' "${macs[@]}" | sort -u | wc -l)
	[ "$uniq" -eq ${#macs[@]} ] || fail "$1: slaves share a MAC: ${macs[*]}"
	printf '%s\n' "${macs[@]}" | grep -qx "$bondmac" ||
		fail "$1: no slave wears the bond's MAC $bondmac: ${macs[*]}"
}

# Every client reaches the bond (the bond may just have failed over: retry).
check_reach() {
	local c
	for ((c = 1; c <= CLIENTS; c++)); do
		wait_for 10 ip netns exec "bt-lc$c" ping -c 1 -W 1 -q "$BOND_IP4" >/dev/null ||
			fail "$1: client $c cannot reach the bond"
	done
}

readers() {
	local f=/sys/kernel/debug/bonding/bond0/rlb_hash_table
	while :; do
		cat "$f" /proc/net/bonding/bond0 >/dev/null 2>&1
		sleep 0.2
	done
}

traffic() {
	local c
	for ((c = 1; c <= CLIENTS; c++)); do
		ip netns exec "bt-lc$c" ping -q -i "$PING_I" "$BOND_IP4" >/dev/null 2>&1 &
		ping -q -i "$PING_I" "$(client_ip $c)" >/dev/null 2>&1 &
	done
	# bigger packets, to many ports, so tlb's slots keep filling
	ip netns exec bt-lc1 ping -q -i "$FAST_I" -s 1000 "$BOND_IP4" >/dev/null 2>&1 &
}

one_round() {
	local mode=$1 round=$2 act s slaves
	slaves=$(bond_opt bond0 slaves)
	act=$(bond_opt bond0 active_slave)
	case $((round % 8)) in
	0)	# the active slave's link goes, then comes back
		[ -n "$act" ] && { peer_cut "${act#veth}"; sleep 1; peer_restore "${act#veth}"; } ;;
	1)	# another slave made active by hand
		for s in $slaves; do
			[ "$s" != "$act" ] && { echo "$s" >/sys/class/net/bond0/bonding/active_slave 2>/dev/null; break; }
		done ;;
	2)	# the active slave leaves, then joins again
		[ -n "$act" ] && { ip link set "$act" nomaster; sleep 0.5; ip link set "$act" master bond0; } ;;
	3)	# the bond's MAC changes, to a slave's permanent one or a new one
		# (in-tree's tlb gives every slave the new MAC: not churn to check)
		if impl_is intree && [ "$mode" = balance-tlb ]; then
			:
		elif (((round + 8 * m) % 16 == 3)); then
			ip link set bond0 address "02:00:00:00:99:$(printf %02x $((round % 200)))"
		else
			ip link set bond0 address "$(cat /sys/class/net/veth2/address)"
		fi ;;
	4)	# a VLAN and a macvlan come and go
		ip link add link bond0 name bond0.10 type vlan id 10
		ip link set bond0.10 up
		ip link add link bond0 name mv0 type macvlan mode bridge
		ip link set mv0 up
		sleep 1
		ip link del mv0
		ip link del bond0.10 ;;
	5)	# lp_interval changes under the tick
		echo $((round % 3 + 1)) >/sys/class/net/bond0/bonding/lp_interval ;;
	6)	# down, tlb_dynamic_lb flipped (tlb only: alb refuses 0), up; twice
		local f=/sys/class/net/bond0/bonding/tlb_dynamic_lb flip
		for flip in 1 2; do
			ip link set bond0 down
			[ "$mode" = balance-tlb ] && echo $((1 - $(cat $f))) >$f
			ip link set bond0 up
			ip addr replace "$BOND_IP4/24" dev bond0
			sleep 0.5
		done ;;
	7)	# a slave that is not active flaps twice quickly
		for s in $slaves; do
			[ "$s" != "$act" ] && { peer_cut "${s#veth}"; peer_restore "${s#veth}";
				peer_cut "${s#veth}"; peer_restore "${s#veth}"; break; }
		done ;;
	esac
}

m=0
for mode in balance-tlb balance-alb; do
	say "$mode"
	ip link add bond0 type bond mode "$mode" miimon 50 || fail "bond0 in $mode"
	topo_peer_ns
	for i in 0 1 2; do
		topo_veth "veth$i" "p$i"
		ip link set "veth$i" master bond0 || fail "enslave veth$i"
	done
	ip link set bond0 up
	ip addr add "$BOND_IP4/24" dev bond0
	add_clients
	check_reach "$mode start"
	readers &
	rpid=$!
	traffic
	for ((round = FIRST[m]; round < FIRST[m] + ROUNDS; round++)); do
		say "$mode round $round"
		one_round "$mode" "$round"
		sleep 0.3
		check_macs "$mode round $round"
	done
	pkill -f "ping -q" 2>/dev/null
	kill "$rpid" 2>/dev/null
	wait 2>/dev/null
	wait_for 10 eval '[ "$(cat /sys/class/net/bond0/carrier 2>/dev/null)" = 1 ]' ||
		fail "$mode: the bond has no carrier after the churn"
	check_reach "$mode end"
	for i in 0 1 2; do ip link set "veth$i" nomaster 2>/dev/null; done
	ip link del bond0
	for ((c = 1; c <= CLIENTS; c++)); do ip netns del "bt-lc$c"; done
	ip netns del "$TOPO_NS"
	for i in 0 1 2; do ip link del "veth$i" 2>/dev/null; done
	m=$((m + 1))
done
bond_unload
