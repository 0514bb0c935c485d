#!/bin/bash
# Regression (review T2-09). A slave's queue_id lets the bond's own qdisc
# steer chosen traffic to that slave: a tc filter sets the packet's queue
# mapping (skbedit queue_mapping, the recipe of the bonding documentation,
# with multiq, or on clsact egress), and in-tree sends a packet whose queue
# mapping at transmit time equals a slave's queue_id on that slave. The bug:
# ours looked at the queue mapping saved before the qdisc ran (0 for local
# traffic), so these filters never steered. Here pings matched by such a
# filter must leave through the backup slave with queue_id 2, in
# active-backup and balance-rr; unmatched ones through the usual slave.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

modprobe sch_multiq 2>/dev/null || skip "no sch_multiq module"
modprobe act_skbedit 2>/dev/null || skip "no act_skbedit module"
OTHER=192.0.2.3		# not steered

# pings DST N: N pings to DST, answered or not (replies may come back on a
# backup slave, which drops them).
pings() { ping -q -c "$2" -i 0.05 -W 0.2 "$1" >/dev/null 2>&1; true; }

bond_load_defaults max_bonds=0
topo_peer_ns
peer_mac=$(ip netns exec "$TOPO_NS" cat /sys/class/net/br0/address)
topo_veth veth0 p0
topo_veth veth1 p1
for d in veth0 veth1; do sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1"; done
for mode in active-backup balance-rr; do
	for how in multiq clsact; do
		say "mode $mode, skbedit on $how"
		check "bond0" ip link add bond0 type bond mode $mode miimon 100
		sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
		check "enslave veth0" ip link set veth0 master bond0
		check "enslave veth1" ip link set veth1 master bond0
		check "bond0 up" ip link set bond0 up
		ip addr add "$BOND_IP4/24" dev bond0
		for a in "$PEER_IP4" $OTHER; do
			ip neigh replace $a lladdr "$peer_mac" dev bond0 nud permanent
		done
		check "slaves up" wait_for 10 eval '[ "$(slave_attr veth0 mii_status)$(slave_attr veth1 mii_status)" = upup ]'
		[ $mode = active-backup ] && { check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave; }
		check "queue_id veth1:2" eval 'echo veth1:2 >/sys/class/net/bond0/bonding/queue_id'
		expect_eq "$(slave_attr veth1 queue_id)" 2 "veth1 queue_id"
		if [ $how = multiq ]; then
			check "multiq" tc qdisc add dev bond0 handle 1 root multiq
			parent="parent 1:"
		else
			check "clsact" tc qdisc add dev bond0 clsact
			parent=egress
		fi
		check "skbedit filter" tc filter add dev bond0 $parent protocol ip prio 1 u32 \
			match ip dst "$PEER_IP4"/32 action skbedit queue_mapping 2
		t0=$(tx_packets veth0) t1=$(tx_packets veth1)
		pings "$PEER_IP4" 20
		d0=$(($(tx_packets veth0) - t0)) d1=$(($(tx_packets veth1) - t1))
		say "steered pings: veth0 sent $d0, veth1 sent $d1"
		[ $d1 -ge 20 ] && [ $d0 -lt 20 ] ||
			fail "$mode/$how: 20 pings steered to queue 2 went out as veth0 $d0, veth1 $d1 (expected all on veth1)"
		if [ $mode = active-backup ]; then
			t0=$(tx_packets veth0) t1=$(tx_packets veth1)
			pings $OTHER 20
			d0=$(($(tx_packets veth0) - t0)) d1=$(($(tx_packets veth1) - t1))
			[ $d0 -ge 20 ] && [ $d1 -lt 20 ] ||
				fail "$mode/$how: 20 unsteered pings went out as veth0 $d0, veth1 $d1 (expected all on veth0)"
		fi
		check "bond0 delete" ip link del bond0
	done
done
bond_unload
