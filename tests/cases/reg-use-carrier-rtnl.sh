#!/bin/bash
# Regression: with use_carrier 0 the MII monitor asks the slave's ethtool
# get_link, and the kernel's ethtool_op_get_link (veth's, and most
# drivers') first runs the device's pending link-watch event
# (linkwatch_sync_dev): NETDEV_CHANGE notifiers and the qdisc's
# (de)activation, which need RTNL and may sleep. The bug: ours, like
# in-tree, polled it locklessly under rcu_read_lock(), so a carrier change
# still pending when the monitor looked gave "RTNL: assertion failed"
# warnings, and on the debug kernel "sleeping function called from invalid
# context". The poll now runs under RTNL only. Here the peers' links flap
# while a 10 ms monitor polls, and failover must still follow them.
# In-tree has the bug, and skips.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

impl_is intree && skip "in-tree polls get_link under rcu_read_lock() without RTNL (the bug tested)"
bond_load_defaults max_bonds=0
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
check "bond0 use_carrier 0" ip link add bond0 type bond mode active-backup miimon 10 use_carrier 0
expect_eq "$(cat /sys/class/net/bond0/bonding/use_carrier)" 0 "use_carrier"
check "enslave veth0" ip link set veth0 master bond0
check "enslave veth1" ip link set veth1 master bond0
check "bond0 up" ip link set bond0 up
active() { cat /sys/class/net/bond0/bonding/active_slave; }
active_is() { [ "$(active)" = "$1" ]; }
check "veth0 active" wait_for 5 active_is veth0

peer() { ip -n "$TOPO_NS" link set "$@"; }
for round in $(seq 1 5); do
	peer p0 down
	wait_for 5 active_is veth1 || fail "round $round: p0 down, active is '$(active)', not veth1"
	peer p0 up
	peer p1 down
	wait_for 5 active_is veth0 || fail "round $round: p1 down, active is '$(active)', not veth0"
	peer p1 up
done
# flaps faster than the link-watch delay: the monitor meets pending events
for round in $(seq 1 20); do
	peer p0 down
	peer p0 up
	peer p1 down
	sleep 0.0$((round % 3))
	peer p1 up
done
check "both slaves back up" wait_for 5 grep -q "^MII Status: up" /proc/net/bonding/bond0
for s in veth0 veth1; do
	wait_for 5 grep -qx up "/sys/class/net/$s/bonding_slave/mii_status" ||
		fail "$s: mii_status $(cat "/sys/class/net/$s/bonding_slave/mii_status") after the flaps"
done
check "bond0 delete" ip link del bond0
bond_unload
