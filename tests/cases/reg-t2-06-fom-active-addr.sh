#!/bin/bash
# kernel-neutral: fail_over_mac, our own logic
# Regression (review T2-06). With fail_over_mac active (forced for slaves
# whose address cannot be set, as tunnels or IPoIB), the bond wears the
# address of its active slave: in-tree copies the new active slave's whole
# address, addr_len bytes, on each change of active slave. The bug: ours
# set it as an Ethernet MAC, 6 bytes, so a bond over 16-byte ip6gre (or
# 20-byte IPoIB) addresses was left with the new slave's first 6 bytes and
# the old slave's rest. Here the active slave of ip6gre and gre bonds is
# switched back and forth and the bond's address must be the active
# slave's, whole.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

modprobe ip6_gre 2>/dev/null || skip "no ip6_gre module"
modprobe ip_gre 2>/dev/null || skip "no ip_gre module"
bond_load_defaults max_bonds=0
ns_add t
sysfs() { ip netns exec t cat "/sys/class/net/$1"; }
set_active() { ip netns exec t sh -c "echo $2 >/sys/class/net/$1/bonding/active_slave"; }

# wears BOND SLAVE: BOND is active on SLAVE and has SLAVE's whole address.
wears() {
	local b=$1 s=$2
	wait_for 10 eval '[ "$(sysfs $b/bonding/active_slave)" = $s ]' ||
		fail "$b: active slave $(sysfs $b/bonding/active_slave), expected $s"
	expect_eq "$(sysfs $b/address)" "$(sysfs $s/address)" "$b's address with $s active"
}

check "bond6" ip -n t link add bond6 type bond mode active-backup miimon 100
check "ip6gre a6" ip -n t link add a6 type ip6gre local 2001:db8::a remote 2001:db8::1a
check "ip6gre b6" ip -n t link add b6 type ip6gre local 2001:db8::b remote 2001:db8::1b
check "bond4" ip -n t link add bond4 type bond mode active-backup miimon 100
check "gre a4" ip -n t link add a4 type gre local 192.0.2.10 remote 192.0.2.20
check "gre b4" ip -n t link add b4 type gre local 192.0.2.11 remote 192.0.2.21
for v in 6 4; do
	check "enslave a$v" ip -n t link set a$v master bond$v
	check "enslave b$v" ip -n t link set b$v master bond$v
	expect_eq "$(sysfs bond$v/bonding/fail_over_mac)" "active 1" "bond$v fail_over_mac"
	check "bond$v up" ip -n t link set bond$v up
	wears bond$v a$v
	for s in b a b a; do
		check "active_slave $s$v" set_active bond$v $s$v
		wears bond$v $s$v
	done
	# A failover (not a manual switch) does the same.
	check "a$v down" ip -n t link set a$v down
	wears bond$v b$v
	check "a$v up" ip -n t link set a$v up
	check "b$v down" ip -n t link set b$v down
	wears bond$v a$v
done
ip netns del t
_netns=()
bond_unload
