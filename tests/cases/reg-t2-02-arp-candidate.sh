#!/bin/bash
# smoke
# kernel-neutral: the ARP candidate choice has no probed kernel difference
# Regression (review T2-02). In active-backup with the ARP monitor and no
# active slave, the monitor tries the slaves one at a time (the slave being
# tried is remembered in the bond). In-tree forgets that slave when it is
# released. The bug: ours kept pointing at the freed slave, and the next
# monitor tick wrote through the stale pointer (a use-after-free that KASAN
# reports, then a crash). Here the slave being tried is deleted, released,
# or moved to another namespace, another slave is enslaved while the bond
# still has no active slave, and the monitor must go on safely: once the
# target answers, the new slave becomes active.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

TARGET=192.0.2.1	# nobody has it until the end of each round

bond_load_defaults max_bonds=0
ns_add p
ns_add away
check "bond0" ip link add bond0 type bond mode active-backup arp_interval 100 \
	arp_validate all arp_ip_target $TARGET
ip addr add 192.0.2.10/24 dev bond0
n=0
for how in del nomaster netns; do
	n=$((n + 1))
	say "the slave being tried leaves by: $how"
	a=a$n c=c$n
	check "veth $a" ip link add $a type veth peer name ${a}p netns p
	check "enslave $a" ip link set $a master bond0
	ip -n p link set ${a}p up
	ip link set bond0 up
	# The target never answers: no active slave, the monitor keeps trying $a.
	sleep 3
	expect_eq "$(bond_opt bond0 active_slave)" "" "active slave while the target is silent"
	case $how in
	del)		check "delete $a" ip link del $a ;;
	nomaster)	check "release $a" ip link set $a nomaster ;;
	netns)		check "move $a away" ip link set $a netns away ;;
	esac
	check "veth $c" ip link add $c type veth peer name ${c}p netns p
	check "enslave $c" ip link set $c master bond0	# no carrier yet
	ip -n p link set ${c}p up
	sleep 2		# monitor ticks with the bond still without an active slave
	# Now the target answers on $c's link: $c becomes active.
	ip -n p addr add $TARGET/24 dev ${c}p
	wait_for 20 attr_is $c bond_opt bond0 active_slave ||
		fail "$c never became active (active: '$(bond_opt bond0 active_slave)')"
	check "release $c" ip link set $c nomaster
	ip -n p link del ${c}p
	ip link del $a 2>/dev/null; ip -n away link del $a 2>/dev/null
done
check "bond0 delete" ip link del bond0
bond_unload
