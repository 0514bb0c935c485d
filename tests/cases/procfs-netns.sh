#!/bin/bash
# smoke: run on the debug kernel by make check
# /proc/net/bonding and bonding_masters are per network namespace; the /proc
# file follows renames; deleting a namespace or unloading removes its bonds.
. "$(dirname "$0")/../lib.sh"

bond_load_defaults
head=$(head -n 1 /proc/net/bonding/bond0)
expect_eq "$head" "Ethernet Channel Bonding Driver: v$(uname -r)" "first /proc line"

check "rename" ip link set bond0 name bondren
check "/proc follows the rename" test -r /proc/net/bonding/bondren
check_fails "old /proc name gone" test -e /proc/net/bonding/bond0
check "rename back" ip link set bondren name bond0

ns_add bt-a
ns_add bt-b
check "bond in bt-a" ip -n bt-a link add bondA type bond
check "bond in bt-b" ip -n bt-b link add bondB type bond
expect_eq "$(ip netns exec bt-a cat /sys/class/net/bonding_masters)" "bondA" "bonding_masters in bt-a"
expect_eq "$(ip netns exec bt-b ls /proc/net/bonding)" "bondB" "/proc in bt-b"
expect_eq "$(bonding_masters)" "bond0" "bonding_masters in init_net"
check "sysfs create in bt-b" ip netns exec bt-b sh -c 'echo +bondC > /sys/class/net/bonding_masters'
check "bondC is in bt-b" link_exists bondC bt-b
check_fails "bondC is not in init_net" link_exists bondC

# As in-tree, a bond cannot change namespace.
check_fails "netns move refused" ip link set bond0 netns bt-a
check "bond0 still here" link_exists bond0

ip netns del bt-a
check "init_net unaffected by a netns delete" link_exists bond0
bond_unload
check_fails "bondB gone with the module" link_exists bondB bt-b
check_fails "bt-b /proc gone" ip netns exec bt-b test -e /proc/net/bonding
