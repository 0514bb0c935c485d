#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# balance-tlb transmit load balancing over two veths to a bridge with four
# clients. With tlb_dynamic_lb 1 the bond deals its flows to the slaves by
# load (rebalanced every 10 s): while it pings the four clients, both slaves
# transmit; the replies come back on the active slave only, since every
# client holds the bond's MAC (tlb does not balance receive); frames leaving
# the other slave carry that slave's own MAC as the source, never the
# bond's. With tlb_dynamic_lb 0 (set while the bond is down) each flow goes
# where xmit_hash_policy puts it, as balance-xor would: layer2, layer2+3
# and layer3+4 placements as the documented hash predicts
# (tests/tools/xor_placement.py), over both slaves; /proc names the policy
# then, and not with tlb_dynamic_lb 1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-tlb && skip "balance-tlb is not in our bonding.ko yet"

bmac=02:00:00:00:00:a0
# spread: in one second, each slave sent at least a fifth of the frames.
spread() {
	local a0 a1 d0 d1
	a0=$(txp veth0) a1=$(txp veth1)
	sleep 1
	d0=$(($(txp veth0) - a0)) d1=$(($(txp veth1) - a1))
	[ $((d0 + d1)) -ge 40 ] && [ $((d0 * 5)) -ge $((d0 + d1)) ] && [ $((d1 * 5)) -ge $((d0 + d1)) ]
}
# frames NAME REGEX: the lines of capture NAME that match REGEX.
frames() { grep -cE -- "$2" "$CAP_DIR/$1"; }

bond_load_defaults max_bonds=0
alb_topo bond0 balance-tlb 2 4
expect_eq "$(mac_of bond0)" $bmac "bond0 took veth0's MAC"
expect_eq "$(active_of bond0)" veth0 "veth0 active"
expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 1 "tlb_dynamic_lb by default"
! grep -q '^Transmit Hash Policy' /proc/net/bonding/bond0 ||
	fail "/proc names a hash policy with tlb_dynamic_lb 1"
cap_start p0 p0 -e icmp
cap_start p1 p1 -e icmp

say "tlb_dynamic_lb 1"
pids=()
for c in 1 2 3 4; do
	ping -q -i 0.02 -s 500 "$(alb_client_ip $c)" >/dev/null 2>&1 &
	pids+=($!)
done
# New flows go to the least loaded slave as of the last rebalance; the
# first rebalance with traffic to go by comes at most 10 s on.
check "both slaves transmit" wait_for 25 spread
t0=$(txp veth0) t1=$(txp veth1) r0=$(rx_packets veth0) r1=$(rx_packets veth1)
sleep 3
t0=$(($(txp veth0) - t0)) t1=$(($(txp veth1) - t1))
r0=$(($(rx_packets veth0) - r0)) r1=$(($(rx_packets veth1) - r1))
kill -INT "${pids[@]}"
wait "${pids[@]}"
say "in 3 s: veth0 sent $t0 and received $r0, veth1 sent $t1 and received $r1"
[ $((t0 * 6)) -ge $((t0 + t1)) ] && [ $((t1 * 6)) -ge $((t0 + t1)) ] ||
	fail "the slaves should share the transmit load: veth0 $t0, veth1 $t1"
[ $r0 -ge 100 ] || fail "the active slave received only $r0 frames in 3 s"
[ $r1 -le 10 ] || fail "veth1 (not active) received $r1 frames in 3 s"
sleep 0.5
cap_stop_all
n=$(frames p1 " 02:00:00:00:00:a1 > .*$BOND_IP4 > 192\.0\.2\.1[1-4]: ICMP echo request")
[ "$n" -gt 0 ] || fail "no echo request left veth1 with veth1's MAC"
expect_eq "$(frames p1 " $bmac > ")" 0 "frames from the bond's MAC on veth1's port"
expect_eq "$(frames p1 'ICMP echo reply')" 0 "echo replies forwarded to veth1"
[ "$(frames p0 " $bmac > .*$BOND_IP4 > 192\.0\.2\.1[1-4]: ICMP echo request")" -gt 0 ] ||
	fail "no echo request left veth0 with the bond's MAC"
expect_eq "$(frames p0 ' 02:00:00:00:00:a1 > ')" 0 "frames from veth1's MAC on veth0's port"
for c in 1 2 3 4; do
	expect_eq "$(client_neigh $c)" $bmac "client $c's neighbour entry for the bond"
done

say "tlb_dynamic_lb 0"
ip link set bond0 down
check "tlb_dynamic_lb 0" ip link set bond0 type bond tlb_dynamic_lb 0
ip link set bond0 up
check "bond0 back" alb_settle bond0 10
expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 0 "tlb_dynamic_lb"
# Sinks: addresses nobody has, with static neighbours, so no ARP.
flows=()
# The sinks' MACs are odd or even in another pattern than their addresses,
# so layer2 and layer2+3 both spread them.
sink_mac=(10 12 11 13 14 15)
for i in 0 1 2 3 4 5; do
	m=02:00:00:00:01:${sink_mac[i]}
	ip neigh add 192.0.2.10$i lladdr $m dev bond0 nud permanent
	for p in 0 1 2; do
		flows+=("udp4 $BOND_IP4 192.0.2.10$i $((40000 + i * 7 + p)) $((5000 + p * 3)) $bmac $m 0")
	done
	flows+=("icmp4 $BOND_IP4 192.0.2.10$i $((100 + i)) 0 $bmac $m 0")
done
for policy in layer2 layer2+3 layer3+4; do
	check "xmit_hash_policy $policy" ip link set bond0 type bond xmit_hash_policy $policy
	grep -qxF "Transmit Hash Policy: $policy ($(cut -d' ' -f2 /sys/class/net/bond0/bonding/xmit_hash_policy))" \
		/proc/net/bonding/bond0 || fail "/proc does not name $policy"
	out=$(printf '%s\n' "${flows[@]}" | python3 "$PROJ/tests/tools/xor_placement.py" $policy bond0 veth0 veth1) ||
		fail "placement differs for $policy:
$(grep -v 'seen=\([0-9]\) predicted=\1' <<<"$out")"
	used=$(grep -o 'seen=[0-9]' <<<"$out" | sort -u | wc -l)
	expect_eq "$used" 2 "$policy: slaves used"
	say "$policy: ${#flows[@]} flows placed as predicted, over both slaves"
done
ip link del bond0
bond_unload
