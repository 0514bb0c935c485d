#!/bin/bash
# Regression (review T2-04). A bond copies its unicast and multicast address
# lists (macvlan addresses, IPv6 solicited-node groups...) to its slaves. In
# in-tree, closing the bond takes them off the slaves, so a bond taken down
# and deleted leaves nothing behind (the kselftest dev_addr_lists.sh,
# lag_lib.sh test_LAG_cleanup). The bug: ours took them off only when a slave
# was released, and by then the core had already emptied the bond's lists,
# so the addresses stayed on the former slaves for good.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

UC=02:00:00:12:34:56
MC=33:33:ff:78:9a:bc	# solicited-node group of fe80::78:9abc
on_dev() { bridge fdb show dev "$1" | grep -e $UC -e $MC; }

bond_load_defaults max_bonds=0
for mode in active-backup balance-rr; do
	say "mode $mode"
	check "dummy1" ip link add dummy1 type dummy
	check "dummy2" ip link add dummy2 type dummy
	check "bond1" ip link add bond1 up type bond mode $mode
	check "enslave dummy1" ip link set dummy1 master bond1
	check "enslave dummy2" ip link set dummy2 master bond1
	check "macvlan" ip link add mv0 link bond1 up address $UC type macvlan
	check "address" ip address add fe80::78:9abc/64 dev bond1
	wait_for 5 eval 'on_dev dummy1 | grep -q $MC' ||
		fail "$mode: $MC never reached dummy1: $(bridge fdb show dev dummy1)"
	on_dev dummy1 | grep -q $UC || fail "$mode: $UC never reached dummy1"
	check "bond1 down" ip link set bond1 down
	check "bond1 delete" ip link del bond1
	for d in dummy1 dummy2; do
		left=$(on_dev $d)
		[ -z "$left" ] || fail "$mode: the deleted bond's addresses are still on $d: $left"
	done
	ip link del dummy1; ip link del dummy2
done
bond_unload
