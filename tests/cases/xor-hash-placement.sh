#!/bin/bash
# balance-xor puts each flow on the slave its xmit_hash_policy picks: for
# every policy, UDP and ICMP echo flows over IPv4 and IPv6 (and VLAN-tagged
# ones for vlan+srcmac) leave by the slave the documented in-tree hash
# predicts (tests/tools/xor_placement.py computes it independently), seen
# in the slaves' tx_packets. Also: the sysfs/proc/netlink views of the
# policy, and a flow moving when its slave goes down.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

tool=$PROJ/tests/tools/xor_placement.py
bmac=02:00:00:00:00:a0

bond_load_defaults
ip link del bond0
ip link add bond0 type bond mode balance-xor miimon 100 || fail "balance-xor bond"
topo_peer_ns
for i in 0 1 2; do
	topo_veth veth$i p$i 02:00:00:00:00:a$i
	ip link set veth$i master bond0 || fail "enslave veth$i"
done
ip link set bond0 up
ip addr add 192.0.2.1/24 dev bond0
ip addr add 2001:db8::1/64 dev bond0 nodad
sysctl -qw net.ipv6.conf.bond0.autoconf=0
# An IPv6 flow label made from the flow gives the skb an L4 hash, which
# encap3+4 would use as is (a hash seeded at boot): no labels here.
sysctl -qw net.ipv6.auto_flowlabels=0
expect_eq "$(link_mac bond0)" $bmac "bond0 took veth0's MAC"

# Sinks: addresses nobody has, with static neighbours, so no ARP/ND.
flows=()
for i in 0 1 2 3 4 5; do
	m=02:00:00:00:01:0$i
	ip neigh add 192.0.2.10$i lladdr $m dev bond0 nud permanent
	ip -6 neigh add 2001:db8::10$i lladdr $m dev bond0 nud permanent
	for p in 0 1 2; do
		flows+=("udp4 192.0.2.1 192.0.2.10$i $((40000 + i * 7 + p)) $((5000 + p * 3)) $bmac $m 0")
		flows+=("udp6 2001:db8::1 2001:db8::10$i $((41000 + i * 5 + p)) $((6000 + p)) $bmac $m 0")
	done
	flows+=("icmp4 192.0.2.1 192.0.2.10$i $((100 + i)) 0 $bmac $m 0")
	flows+=("icmp6 2001:db8::1 2001:db8::10$i $((200 + i)) 0 $bmac $m 0")
done
# VLAN uppers for vlan+srcmac: the tag is part of the hash.
vflows=()
for v in 10 11 12 13 14; do
	ip link add link bond0 name bond0.$v type vlan id $v || fail "bond0.$v"
	ip link set bond0.$v up
	ip addr add 2001:db8:$v::1/64 dev bond0.$v nodad
	ip -6 neigh add 2001:db8:$v::2 lladdr 02:00:00:00:02:$v dev bond0.$v nud permanent
	vflows+=("udp6 2001:db8:$v::1 2001:db8:$v::2 7000 7000 $bmac 02:00:00:00:02:$v $v")
done
sleep 1	# let the slaves' carrier and the bond settle

for policy in layer2 layer2+3 layer3+4 encap2+3 encap3+4 vlan+srcmac; do
	expect_eq "$(write_errno /sys/class/net/bond0/bonding/xmit_hash_policy $policy)" ok "xmit_hash_policy $policy"
	re=${policy//+/\\+}
	expect_match "$(bond_opt bond0 xmit_hash_policy)" "^$re [0-5]\$" "sysfs shows $policy"
	expect_match "$(grep 'Transmit Hash Policy' /proc/net/bonding/bond0)" "^Transmit Hash Policy: $re \([0-5]\)\$" "proc shows $policy"
	if [ $policy = vlan+srcmac ]; then
		set -- "${vflows[@]}"
	else
		set -- "${flows[@]}"
	fi
	out=$(printf '%s\n' "$@" | python3 "$tool" $policy bond0 veth0 veth1 veth2) ||
		fail "placement differs for $policy:
$(grep -v 'seen=\([0-9]\) predicted=\1' <<<"$out")"
	used=$(grep -o 'seen=[0-9]' <<<"$out" | sort -u | wc -l)
	say "$policy: $# flows placed as predicted, over $used slaves"
done
expect_eq "$(ip -d -j link show bond0 | jq -r '.[0].linkinfo.info_data.xmit_hash_policy')" vlan+srcmac "netlink xmit_hash_policy"

# A slave going down leaves the usable set: flows rehash over the other two.
ip link set bond0 type bond xmit_hash_policy layer3+4 || fail "xmit_hash_policy by netlink"
peer_cut 1
veth1_down() { sed -n '/Slave Interface: veth1/,/^$/p' /proc/net/bonding/bond0 | grep -q "^MII Status: down"; }
wait_for 5 veth1_down || fail "veth1 not down"
out=$(printf '%s\n' "${flows[@]}" | python3 "$tool" layer3+4 bond0 veth0 veth2) ||
	fail "placement over veth0 veth2 differs:
$(grep -v 'seen=\([0-9]\) predicted=\1' <<<"$out")"
ip link del bond0
bond_unload
