#!/bin/bash
# kernel-neutral: fail_over_mac, our own logic
# Regression (review T2-07). With fail_over_mac follow, the active slave
# wears the bond's MAC and the others keep MACs of their own: in-tree finds
# the slave that wears the bond's MAC whenever a new active slave takes it,
# and gives that slave the new one's MAC in exchange, even when the bond had
# no active slave in between (all links down for a while). The bug: ours
# swapped only with the slave that was active just before, so after an
# all-links-down episode two slaves wore the bond's MAC. Here the MACs must
# stay unique through failovers, including one out of no active slave.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

active() { bond_opt bond0 active_slave; }
# unique: bond0's MAC is on the active slave alone, and the slaves' MACs
# are pairwise different.
unique() {
	local a=$1 bm m0 m1 m2
	bm=$(link_mac bond0) m0=$(link_mac veth0) m1=$(link_mac veth1) m2=$(link_mac veth2)
	say "$2: bond0 $bm veth0 $m0 veth1 $m1 veth2 $m2 (active $a)"
	expect_eq "$(link_mac "$a")" "$bm" "$2: the active $a wears bond0's MAC"
	[ "$m0" != "$m1" ] && [ "$m0" != "$m2" ] && [ "$m1" != "$m2" ] ||
		fail "$2: two slaves wear the same MAC: veth0 $m0 veth1 $m1 veth2 $m2 (bond0 $bm)"
}

bond_load_defaults max_bonds=0
topo_peer_ns
check "bond0" ip link add bond0 address 02:00:00:00:00:b0 type bond mode active-backup \
	miimon 10 fail_over_mac follow
for i in 0 1 2; do
	topo_veth veth$i p$i 02:00:00:00:00:a$i
	check "enslave veth$i" ip link set veth$i master bond0
done
check "bond0 up" ip link set bond0 up
check "veth0 active" wait_for 10 attr_is veth0 active
unique veth0 "at start"
peer_cut 0
check "veth1 active" wait_for 10 attr_is veth1 active
unique veth1 "after veth0 failed"
peer_cut 2
peer_cut 1
check "no active slave" wait_for 10 attr_is "" active
peer_restore 0
check "veth0 active again" wait_for 10 attr_is veth0 active
unique veth0 "after all links were down and veth0 came back"
peer_restore 2
peer_cut 0
check "veth2 active" wait_for 10 attr_is veth2 active
unique veth2 "after veth0 failed again"
peer_restore 0
peer_restore 1
sleep 0.5
unique veth2 "with all links up"
check "bond0 delete" ip link del bond0
expect_eq "$(link_mac veth0)/$(link_mac veth1)/$(link_mac veth2)" \
	02:00:00:00:00:a0/02:00:00:00:00:a1/02:00:00:00:00:a2 "the slaves' MACs once bond0 is gone"
bond_unload
