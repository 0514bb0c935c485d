#!/bin/bash
# Bonds living in a network namespace other than init_net: one created there
# by netlink (active-backup, miimon) and one by that namespace's
# bonding_masters and configured by its sysfs (balance-rr), over veths into
# the peer namespace, carry traffic and fail over there; /proc/net/bonding
# and bonding_masters there show them, init_net's do not (init_net's own
# bond0 is a different bond). A bond cannot change namespace (refused, as the
# kernel refuses any netns-local device) and keeps working; a slave moved to
# another namespace is released; deleting the namespace deletes its bonds.
# (procfs-netns.sh covers the per-namespace files without slaves.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

A=bt-a
B=bt-b
ina() { ip netns exec $A "$@"; }
active_is() { [ "$(ina cat /sys/class/net/bond0/bonding/active_slave)" = "$1" ]; }
procline() { ina grep -c -x -F "$2" "/proc/net/bonding/$1"; }

# refused_move BOND WHERE: moving BOND out of $A to WHERE is refused.
refused_move() {
	local err
	err=$(ip -n $A link set "$1" netns "$2" 2>&1) && fail "$1 moved to $2"
	# 6.12 and later say why; 6.1 gives the bare EINVAL
	expect_match "$err" '^(Error: The interface netns is immutable\.|RTNETLINK answers: Invalid argument)$' \
		"moving $1 to $2"
	check "$1 still in $A" link_exists "$1" $A
}

bond_load_defaults
topo_peer_ns
ip -n "$TOPO_NS" addr add 198.51.100.2/24 dev br0
ns_add $A
ns_add $B
for i in 0 1 2; do
	check "veth$i in $A" ip -n $A link add veth$i type veth peer name p$i netns "$TOPO_NS"
	ip -n "$TOPO_NS" link set p$i master br0 up || fail "p$i into br0"
done

# bond0 in $A by netlink; bond1 by $A's bonding_masters and sysfs.
check "bond0 in $A" ip -n $A link add bond0 type bond mode active-backup miimon 100
check "veth0 into bond0" ip -n $A link set veth0 master bond0
check "veth1 into bond0" ip -n $A link set veth1 master bond0
check "bond0 up" ip -n $A link set bond0 up
ip -n $A addr add "$BOND_IP4/24" dev bond0
check "bond1 by $A's bonding_masters" ina sh -c 'echo +bond1 >/sys/class/net/bonding_masters'
check "bond1 mode by sysfs" ina sh -c 'echo balance-rr >/sys/class/net/bond1/bonding/mode'
check "bond1 miimon by sysfs" ina sh -c 'echo 100 >/sys/class/net/bond1/bonding/miimon'
check "veth2 into bond1 by sysfs" ina sh -c 'echo +veth2 >/sys/class/net/bond1/bonding/slaves'
check "bond1 up" ip -n $A link set bond1 up
ip -n $A addr add 198.51.100.1/24 dev bond1

check "bond1 not in init_net" test ! -e /sys/class/net/bond1
expect_eq "$(ina cat /sys/class/net/bonding_masters)" "bond0 bond1" "bonding_masters in $A"
expect_eq "$(bonding_masters)" bond0 "bonding_masters in init_net"
expect_eq "$(ina ls /proc/net/bonding | paste -sd' ')" "bond0 bond1" "/proc/net/bonding in $A"
expect_eq "$(ls /proc/net/bonding | paste -sd' ')" bond0 "/proc/net/bonding in init_net"
expect_eq "$(ina cat /sys/class/net/bond0/bonding/slaves)" "veth0 veth1" "bond0's slaves in $A"
expect_eq "$(ina cat /sys/class/net/bond1/bonding/slaves)" veth2 "bond1's slaves in $A"
expect_eq "$(cat /sys/class/net/bond0/bonding/slaves)" "" "init_net's bond0 has no slave"
expect_eq "$(procline bond0 'Bonding Mode: fault-tolerance (active-backup)')" 1 "$A bond0 /proc mode"
expect_eq "$(procline bond0 'Slave Interface: veth1')" 1 "$A bond0 /proc lists veth1"
expect_eq "$(procline bond1 'Bonding Mode: load balancing (round-robin)')" 1 "$A bond1 /proc mode"
expect_eq "$(procline bond1 'Slave Interface: veth2')" 1 "$A bond1 /proc lists veth2"
grep -q '^Slave Interface:' /proc/net/bonding/bond0 && fail "init_net's /proc/net/bonding/bond0 lists a slave"

# Traffic and failover inside $A.
check "veth0 active" wait_for 10 active_is veth0
check "ping over bond0 in $A" wait_for 10 ip netns exec $A ping -c 1 -W 1 "$PEER_IP4" >/dev/null
check "ping over bond1 in $A" wait_for 10 ip netns exec $A ping -c 1 -W 1 198.51.100.2 >/dev/null
peer_cut 0
check "failover to veth1 in $A" wait_for 10 active_is veth1
check "ping over bond0 after the failover" wait_for 10 ip netns exec $A ping -c 1 -W 1 "$PEER_IP4" >/dev/null
peer_restore 0

# Bonds stay where they are.
refused_move bond0 $B
refused_move bond1 1
check_fails "bond0 did not reach $B" link_exists bond0 $B
check "ping over bond0 after the refused move" ip netns exec $A ping -c 2 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
check "ping over bond1 after the refused move" ip netns exec $A ping -c 2 -i 0.2 -W 2 198.51.100.2 >/dev/null

# A slave moved away is released.
check "veth2 to $B" ip -n $A link set veth2 netns $B
expect_eq "$(ina cat /sys/class/net/bond1/bonding/slaves)" "" "bond1's slaves after veth2 left"
check "veth2 in $B" link_exists veth2 $B
check_fails "veth2 not a slave in $B" ip netns exec $B test -e /sys/class/net/veth2/master
check "bond1 still in $A" link_exists bond1 $A

# Deleting the namespace deletes its bonds and their veths.
ip netns del $A
check "$A's veths gone from the peer" wait_for 10 eval '! link_exists p0 "$TOPO_NS" && ! link_exists p1 "$TOPO_NS"'
expect_eq "$(bonding_masters)" bond0 "init_net's bond0 unaffected"
bond_unload
