#!/bin/bash
# kernel-neutral: active slave selection, our own logic
# Regression (review T2-11). In active-backup, in-tree chooses a new active
# slave when the active one fails or leaves, or when the primary comes back;
# releasing a backup slave, or taking the bond down and up again, keeps the
# active slave it has. The bug: ours chose again on every release and on
# every open, so after a failover without failback (no primary: the slave
# that took over stays active when the first one recovers) an unrelated
# event moved the active slave back: a needless failover, with its
# gratuitous ARPs and NETDEV_BONDING_FAILOVER.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

active() { bond_opt bond0 active_slave; }

bond_load_defaults max_bonds=0
topo_bond bond0 3 mode active-backup miimon 100
check "veth0 active" wait_for 10 attr_is veth0 active
bond_settle bond0 20 || fail "bond0 did not settle"
# veth0 fails: veth1 takes over; veth0 comes back: veth1 stays active.
peer_cut 0
check "failover to veth1" wait_for 10 attr_is veth1 active
peer_restore 0
check "veth0 back up" wait_for 10 attr_is up slave_attr veth0 mii_status
sleep 1
expect_eq "$(active)" veth1 "active slave once veth0 is back (no failback without primary)"

# Taking the bond down and up keeps the active slave.
errs=
check "bond0 down" ip link set bond0 down
check "bond0 up" ip link set bond0 up
sleep 1
bond_settle bond0 20 || fail "bond0 did not settle after down/up"
[ "$(active)" = veth1 ] || errs+="active slave after bond0 down and up: $(active), expected veth1. "
check "back to veth1" eval 'echo veth1 >/sys/class/net/bond0/bonding/active_slave'
check "veth1 active again" wait_for 10 attr_is veth1 active

# So does releasing a backup slave.
check "release veth2" ip link set veth2 nomaster
sleep 1
[ "$(active)" = veth1 ] || errs+="active slave after releasing the backup veth2: $(active), expected veth1. "
[ -z "$errs" ] || fail "$errs"

# Releasing the active slave does choose another.
check "release veth1" ip link set veth1 nomaster
check "veth0 active after the active slave left" wait_for 10 attr_is veth0 active
bond_unload
