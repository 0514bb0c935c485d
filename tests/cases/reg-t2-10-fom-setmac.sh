#!/bin/bash
# kernel-neutral: fail_over_mac, our own logic
# Regression (review T2-10). In active-backup with fail_over_mac active or
# follow, the bond's MAC is decided by its slaves, and in-tree ignores a
# request to set the bond's MAC: it reports success and changes nothing.
# (NetworkManager's cloned-mac-address and systemd-networkd's MACAddress=
# make such requests.) The bug: ours took the new MAC while no slave wore
# it, so unicast to the bond was dropped as meant for another host until
# the next failover. Here the request is made and the bond must keep its
# MAC and its traffic.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

NEW=02:00:00:00:00:99
bond_load_defaults max_bonds=0
topo_peer_ns
topo_veth veth0 p0 02:00:00:00:00:a0
topo_veth veth1 p1 02:00:00:00:00:a1
for fom in active follow; do
	say "fail_over_mac $fom"
	check "bond0" ip link add bond0 type bond mode active-backup miimon 100 fail_over_mac $fom
	check "enslave veth0" ip link set veth0 master bond0
	check "enslave veth1" ip link set veth1 master bond0
	check "bond0 up" ip link set bond0 up
	ip addr add "$BOND_IP4/24" dev bond0
	check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
	check "ping before" ping -q -c 1 -W 5 "$PEER_IP4"
	mac=$(link_mac bond0)
	s0=$(link_mac veth0) s1=$(link_mac veth1)
	check "set bond0's MAC (fail_over_mac $fom)" ip link set bond0 address $NEW
	expect_eq "$(link_mac bond0)" "$mac" "$fom: bond0's MAC after the request"
	expect_eq "$(link_mac veth0)/$(link_mac veth1)" "$s0/$s1" "$fom: the slaves' MACs"
	ip neigh flush dev bond0
	ip -n "$TOPO_NS" neigh flush all
	check "$fom: ping after the request" ping -q -c 3 -W 5 "$PEER_IP4"
	check "bond0 delete" ip link del bond0
done
bond_unload
