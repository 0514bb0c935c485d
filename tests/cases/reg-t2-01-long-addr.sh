#!/bin/bash
# Regression (review T2-01). A bond takes the link type of its first slave
# and keeps it when that slave leaves: after an ip6gre slave its hardware
# address is 16 bytes long. In-tree sets such an address whole when asked
# (it saves the old address in a buffer big enough for any link type). The
# bug: ours saved it in a 14-byte buffer, so setting the address of a bond
# with an address longer than that overflowed the stack (a fortify panic on
# Debian's kernel, with RTNL held for good). Here the address of an ip6gre
# bond with no slave is set in balance-rr and in active-backup with
# fail_over_mac none, and must read back whole.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

modprobe ip6_gre 2>/dev/null || skip "no ip6_gre module"
bond_load_defaults max_bonds=0
ns_add t
sysfs() { ip netns exec t cat "/sys/class/net/$1"; }

n=0
for how in "fail_over_mac none" "mode balance-rr"; do
	n=$((n + 1))
	b=bond$n
	check "$b" ip -n t link add $b type bond mode active-backup
	check "ip6gre g$n" ip -n t link add g$n type ip6gre local 2001:db8::$n remote 2001:db8::f$n
	check "enslave g$n" ip -n t link set g$n master $b
	expect_eq "$(sysfs $b/addr_len)" 16 "$b addr_len with an ip6gre slave"
	check "release g$n" ip -n t link set g$n nomaster
	expect_eq "$(sysfs $b/addr_len)" 16 "$b addr_len after the release"
	check "$b: $how" ip -n t link set $b type bond $how
	addr=02:00:00:00:00:0$n:00:00:00:00:00:00:00:00:00:0$n
	check "set $b's 16-byte address ($how)" ip -n t link set $b address $addr
	expect_eq "$(sysfs $b/address)" $addr "$b address"
	check "delete $b" ip -n t link del $b
done
ip netns del t
_netns=()
bond_unload
