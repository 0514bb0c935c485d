#!/bin/bash
# Regression (review T2-05). The bond passes its promiscuity and allmulti
# counts on to the slaves that carry its traffic: in active-backup, the
# active one only. In-tree takes them back exactly once when a slave leaves:
# releasing the active slave drops its +1s when the bond stops using it, and
# the release itself adds nothing more. The bug: our release took them back
# a second time for an active slave, so a count of 1 wrapped to 4294967295
# (the ex-slave stayed promiscuous) and a count the user had set was lost.
# Checked here: the counts of the released active slave, of a slave whose
# own promisc the user set, and of the slaves of a deleted bond.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

counts() {	# counts DEV: "promiscuity/allmulti"
	ip -d -j link show dev "$1" | jq -r '.[0] | "\(.promiscuity)/\(.allmulti)"'
}

bond_load_defaults max_bonds=0
topo_peer_ns
check "bond0" ip link add bond0 type bond mode active-backup miimon 100
for i in 0 1 2; do topo_veth veth$i p$i; done
check "enslave veth0" ip link set veth0 master bond0
check "enslave veth1" ip link set veth1 master bond0
check "bond0 up" ip link set bond0 up
wait_for 5 attr_is veth0 bond_opt bond0 active_slave || fail "veth0 not active"
check "promisc on" ip link set bond0 promisc on
check "allmulticast on" ip link set bond0 allmulticast on
expect_eq "$(counts veth0)" 1/1 "active veth0 promiscuity/allmulti"
expect_eq "$(counts veth1)" 0/0 "backup veth1 promiscuity/allmulti"

# Release the active slave: back to 0/0, not promiscuous.
check "veth0 nomaster" ip link set veth0 nomaster
expect_eq "$(counts veth0)" 0/0 "released veth0 promiscuity/allmulti"
[[ ,$(link_flags veth0), == *,PROMISC,* ]] && fail "released veth0 still PROMISC"
wait_for 5 attr_is veth1 bond_opt bond0 active_slave || fail "veth1 not active"
expect_eq "$(counts veth1)" 1/1 "new active veth1 promiscuity/allmulti"
check "promisc on the ex-slave" ip link set veth0 promisc on
expect_eq "$(counts veth0)" 1/0 "veth0 after its own promisc on"
check "promisc off the ex-slave" ip link set veth0 promisc off

# A slave with promiscuity of its own (1) keeps it after the release.
check "veth2 promisc" ip link set veth2 promisc on
check "enslave veth2" ip link set veth2 master bond0
check "veth1 nomaster" ip link set veth1 nomaster
wait_for 5 attr_is veth2 bond_opt bond0 active_slave || fail "veth2 not active"
expect_eq "$(counts veth2)" 2/1 "active veth2 (own promisc + bond's)"
check "veth2 nomaster" ip link set veth2 nomaster
expect_eq "$(counts veth2)" 1/0 "released veth2 keeps its own promisc"
expect_eq "$(counts veth1)" 0/0 "released active veth1"
check "veth2 promisc off" ip link set veth2 promisc off

# Deleting the bond releases its active slave once too.
check "enslave veth0 again" ip link set veth0 master bond0
wait_for 5 attr_is veth0 bond_opt bond0 active_slave || fail "veth0 not active again"
expect_eq "$(counts veth0)" 1/1 "active veth0 again"
check "bond0 delete" ip link del bond0
expect_eq "$(counts veth0)" 0/0 "veth0 after its bond was deleted"
bond_unload
