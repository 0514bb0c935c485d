#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# The learning frames of balance-tlb and balance-alb (each in turn), with
# two VLANs on the bond: bond0.10 with the bond's MAC and bond0.20 with a MAC
# of its own. Every lp_interval seconds each slave sends, with its own
# current MAC as both source and destination, a 60-byte frame of ethertype
# 0x9000 (loopback) untagged, one tagged with VLAN 10, and one tagged with
# VLAN 20 from the VLAN's own MAC: so a switch learns each slave's MAC on
# that slave's port, on every VLAN. Seen in captures on the bridge ports:
# with lp_interval 1, about one of each per second per slave and none from
# another slave's MAC; with lp_interval 2, about one every 2 s.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-tlb && mode_missing balance-alb &&
	skip "balance-tlb and balance-alb are not in our bonding.ko yet"

vmac=02:00:00:00:00:d0
# lp NAME MAC [VID]: the learning frames in capture NAME from MAC (to MAC),
# untagged or tagged with VID, as "TIME" lines.
lp() {
	local re
	if [ -n "$3" ]; then
		re="^([0-9.]+) $2 > $2, ethertype 802\.1Q \(0x8100\), length 64: vlan $3, p 0, ethertype Loopback \(0x9000\)"
	else
		re="^([0-9.]+) $2 > $2, ethertype Loopback \(0x9000\), length 60: "
	fi
	sed -nE "s/$re.*/\1/p" "$CAP_DIR/$1"
}
# period FROM TO: the mean time between the times on stdin in [FROM, TO].
period() {
	awk -v from="$1" -v to="$2" '$1 >= from && $1 <= to { if (n++) s += $1 - p; p = $1 }
		END { if (n > 1) printf "%.2f\n", s / (n - 1); else print "none" }'
}
# within X LO HI: LO <= X <= HI (decimals).
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "none" && x >= lo && x <= hi) }'; }

bond_load_defaults max_bonds=0
modprobe 8021q || fail "no 8021q"
for m in balance-tlb balance-alb; do
	mode_missing $m && { say "skip $m: not in this bonding.ko yet"; continue; }
	say "$m"
	alb_topo bond0 $m 2 0
	check "bond0.10" ip link add link bond0 name bond0.10 type vlan id 10
	check "bond0.20" ip link add link bond0 name bond0.20 address $vmac type vlan id 20
	for v in 10 20; do
		echo 1 >/proc/sys/net/ipv6/conf/bond0.$v/disable_ipv6
		ip link set bond0.$v up
	done
	for i in 0 1; do
		cap_start $m-$i p$i -e -tt ether proto 0x9000 or '(' vlan and ether proto 0x9000 ')'
	done
	t1=$EPOCHREALTIME
	sleep 4
	t2=$EPOCHREALTIME
	check "lp_interval 2" ip link set bond0 type bond lp_interval 2
	sleep 7
	t3=$EPOCHREALTIME
	cap_stop_all
	for i in 0 1; do
		mac=$(mac_of veth$i)
		for vid in "" 10; do
			n=$(lp $m-$i $mac $vid | awk -v a=$t1 -v b=$t2 '$1 >= a && $1 <= b' | wc -l)
			[ "$n" -ge 2 ] && [ "$n" -le 5 ] ||
				fail "$m: veth$i sent $n learning frames ${vid:+on VLAN $vid }in 4 s at lp_interval 1"
		done
		n=$(lp $m-$i $vmac 20 | awk -v a=$t1 -v b=$t2 '$1 >= a && $1 <= b' | wc -l)
		[ "$n" -ge 2 ] && [ "$n" -le 5 ] ||
			fail "$m: veth$i sent $n learning frames on VLAN 20 in 4 s at lp_interval 1"
		# Nothing else of ethertype 0x9000: no frame from another MAC.
		total=$(grep -c . "$CAP_DIR/$m-$i")
		n=$(($(lp $m-$i $mac | wc -l) + $(lp $m-$i $mac 10 | wc -l) + $(lp $m-$i $vmac 20 | wc -l)))
		[ "$n" = "$total" ] || fail "$m: p$i saw other frames of ethertype 0x9000 than veth$i's:
$(grep -vE " ($mac > $mac|$vmac > $vmac), |^\$" "$CAP_DIR/$m-$i")"
		p1=$(lp $m-$i $mac | period $t1 $t2)
		# the first frame at the new interval may come 1 s after the change
		p2=$(lp $m-$i $mac | period "$(awk -v t=$t2 'BEGIN { printf "%.6f", t + 1.5 }')" $t3)
		say "$m: veth$i's learning frames every $p1 s at lp_interval 1, every $p2 s at 2"
		# The interval counts the alb monitor's ticks (10 a second), which a
		# busy TCG host stretches: bounds on the first period and on the
		# ratio of the two.
		within "$p1" 0.8 1.6 || fail "$m: veth$i's learning frames every $p1 s at lp_interval 1"
		within "$(awk -v a="$p2" -v b="$p1" 'BEGIN { printf "%.2f", a / b }')" 1.6 2.5 ||
			fail "$m: veth$i's learning frames every $p2 s at lp_interval 2, $p1 s at 1"
	done
	ip link del bond0
	ip netns del "$TOPO_NS"
	_netns=()
done
bond_unload
