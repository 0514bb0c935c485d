#!/bin/bash
# kernel-neutral: per-slave targets, our own logic
# Regression (found by reg-t2-08 flaking under load). A slave given a
# per-slave target (ours alone) was counted as having heard from it at that
# moment. For a slave that was up, that is the grace it needs before being
# judged by the new target; a slave that was down came up at once, with no
# reply from anybody, and served as the active slave for a few intervals.
# Here the target never answers: a0 goes down with its first own target,
# then gets more ARP and NS targets, and must stay down. (Before the fix it
# came up when the monitor's next tick fell in the first half interval
# after the write: about one write in two.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

impl_is intree && skip "per-slave targets are ours alone"

bond_load_defaults max_bonds=0
ns_add p
check "bond0" ip link add bond0 type bond mode active-backup arp_interval 100 arp_validate all
check "veth" ip link add a0 type veth peer name a0p netns p
check "enslave a0" ip link set a0 master bond0
ip netns exec p sysctl -qw net.ipv6.conf.a0p.addr_gen_mode=1
ip -n p link set a0p up
check "bond0 up" ip link set bond0 up
ip addr add 198.51.100.2/24 dev bond0
ip addr add 2001:db8:9::2/64 dev bond0 nodad
check "a0's first ARP target" eval "echo +198.51.100.1 >/sys/class/net/a0/bonding_slave/arp_ip_target"
wait_for 10 eval '[ "$(slave_attr a0 mii_status)" != up ]' || fail "a0 up with a silent target"
sleep 0.5
for t in "arp_ip_target +198.51.100.3" "ns_ip6_target +2001:db8:9::1" "arp_ip_target +198.51.100.4" \
	"ns_ip6_target +2001:db8:9::3" "arp_ip_target +198.51.100.5" "ns_ip6_target +2001:db8:9::4"; do
	check "a0: $t" eval "echo ${t#* } >/sys/class/net/a0/bonding_slave/${t%% *}"
	end=$((SECONDS + 2))
	while [ $SECONDS -lt $end ]; do
		st=$(slave_attr a0 mii_status)
		[ "$st" != up ] || fail "a0 came up after it was given $t, with nobody answering"
		sleep 0.05
	done
	say "a0 stayed $st for 2 s after $t"
done
check "bond0 delete" ip link del bond0
ip link del a0 2>/dev/null
bond_unload
