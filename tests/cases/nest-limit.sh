#!/bin/bash
# Nesting depth: a stack of devices may be at most 8 (MAX_NEST_DEV) deep,
# counting the bottom device. A dummy under 7 nested bonds is the limit:
# enslaving the 7th bond to an 8th is refused with EMLINK ("Too many links"),
# by netlink and by sysfs, and leaves both bonds as they were (no slave, no
# upper/lower links, the would-be slave still down with its MAC and MTU).
# The limit holds from either end: with 8 bonds stacked, neither a dummy
# below nor a 9th bond above can be added.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

has_flag() { [[ ,$(link_flags "$1"), == *,$2,* ]]; }

# refused_emlink SLAVE BOND: both ways of enslaving SLAVE to BOND fail with
# EMLINK and change nothing visible.
refused_emlink() {
	local s=$1 b=$2 err mac mtu flags bflags btype
	mac=$(link_mac "$s") mtu=$(link_mtu "$s") flags=$(link_flags "$s")
	bflags=$(link_flags "$b")
	btype=$(cat "/sys/class/net/$b/addr_assign_type")
	err=$(ip link set "$s" master "$b" 2>&1) && fail "$s into $b: accepted"
	expect_eq "$err" "RTNETLINK answers: Too many links" "$s into $b by netlink"
	err=$(write_errno "/sys/class/net/$b/bonding/slaves" "+$s")
	expect_match "$err" "Too many links" "$s into $b by sysfs"
	expect_eq "$(cat "/sys/class/net/$b/bonding/slaves")" "" "$b has no slave after the refusal"
	expect_eq "$(link_mac "$s")" "$mac" "$s MAC after the refusal"
	expect_eq "$(link_mtu "$s")" "$mtu" "$s MTU after the refusal"
	expect_eq "$(link_flags "$s")" "$flags" "$s flags after the refusal"
	expect_eq "$(link_flags "$b")" "$bflags" "$b flags after the refusal"
	check_fails "$s has no master" test -e "/sys/class/net/$s/master"
	check_fails "$b has no lower $s" test -e "/sys/class/net/$b/lower_$s"
	check_fails "$s has no bonding_slave/" test -e "/sys/class/net/$s/bonding_slave"
	# A bond with a random MAC takes its first slave's and, on failure, gets
	# a new random one. (A bond whose MAC was set by its own master is left
	# out: what its MAC becomes differs between kernels.)
	if [ "$btype" = 1 ]; then
		expect_eq "$(cat "/sys/class/net/$b/addr_assign_type")" 1 "$b MAC still random"
		[ "$(link_mac "$b")" != "$mac" ] || fail "$b kept $s's MAC"
	fi
}

bond_load_defaults max_bonds=0
check "dummy" ip link add d0 type dummy
for i in 1 2 3 4 5 6 7 8 9; do
	check "bond b$i" ip link add b$i type bond
done

# Bottom up: d0 < b1 < ... < b7 is 8 deep.
prev=d0
for i in 1 2 3 4 5 6 7; do
	check "$prev into b$i (depth $((i + 1)))" ip link set $prev master b$i
	prev=b$i
done
expect_eq "$(cat /sys/class/net/b7/bonding/slaves)" b6 "b7's slave"
refused_emlink b7 b8

# Top down: without d0, b1 < ... < b8 is 8 deep; then nothing more fits at
# either end.
check "d0 out of b1" ip link set d0 nomaster
check "b7 into b8 (depth 8 without d0)" ip link set b7 master b8
expect_eq "$(cat /sys/class/net/b8/bonding/slaves)" b7 "b8's slave"
check "b8 down" ip link set b8 down
refused_emlink b8 b9
refused_emlink d0 b1
check_fails "d0 not a slave" has_flag d0 SLAVE

# Unstacked, everything is free again.
check "b1 out of b2" ip link set b1 nomaster
check "d0 into b1 once b1 stands alone" ip link set d0 master b1
check "b8 into b9 once the stack is 7 deep" ip link set b8 master b9
for i in 9 8 7 6 5 4 3 2 1; do
	check "delete b$i" ip link del b$i
done
check_fails "d0 free" has_flag d0 SLAVE
ip link del d0
bond_unload
