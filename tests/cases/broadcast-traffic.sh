#!/bin/bash
# kernel-neutral: our transmit path, no probed kernel difference
# broadcast mode: every packet leaves by every usable slave. With two slaves
# into the peer's bridge, each echo request arrives twice and ping reports
# duplicates; each slave sends as many packets as the bond does. A slave
# whose link is down gets no copy, and the duplicates stop.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load_defaults
ip link del bond0
topo_bond bond0 2 mode broadcast miimon 100
# no IPv6 on the bond or the slaves: no router solicitations or MLD reports
# (a slave's own, for seconds after it comes up) in the counts
for d in bond0 veth0 veth1; do sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1"; done
expect_match "$(head -3 /proc/net/bonding/bond0 | grep 'Bonding Mode')" "^Bonding Mode: fault-tolerance \(broadcast\)\$" "proc mode line"
wait_for 10 ping -c 1 -W 1 "$PEER_IP4" >/dev/null || fail "no ping through the bond"

# Datagrams to an address with a static neighbour: no ARP, no reply.
ip neigh add 192.0.2.99 lladdr 02:00:00:00:00:99 dev bond0 nud permanent
exec 3>/dev/udp/192.0.2.99/9 || fail "UDP socket"
a0=$(tx_packets veth0) a1=$(tx_packets veth1)
for ((i = 0; i < 50; i++)); do printf x >&3; done
d0=$(($(tx_packets veth0) - a0)) d1=$(($(tx_packets veth1) - a1))
say "50 datagrams: veth0 +$d0, veth1 +$d1"
[ $d0 = 50 ] || fail "veth0 sent $d0 of 50"
[ $d1 = 50 ] || fail "veth1 sent $d1 of 50"

# The peer hears each request twice and answers twice.
out=$(ping -c 5 -i 0.2 -W 1 "$PEER_IP4" 2>&1)
dups=$(grep -c 'DUP!' <<<"$out")
say "ping with two slaves: $dups duplicate replies"
[ "$dups" -ge 4 ] || fail "expected duplicate replies, got $dups: $out"

# One link down: one copy only, no duplicates, traffic goes on.
peer_cut 1
slave_down() { sed -n '/Slave Interface: veth1/,/^$/p' /proc/net/bonding/bond0 | grep -q "^MII Status: down"; }
wait_for 5 slave_down || fail "veth1 not down in /proc"
a0=$(tx_packets veth0) a1=$(tx_packets veth1)
for ((i = 0; i < 20; i++)); do printf x >&3; done
d0=$(($(tx_packets veth0) - a0)) d1=$(($(tx_packets veth1) - a1))
say "20 datagrams with veth1 down: veth0 +$d0, veth1 +$d1"
[ $d0 -ge 20 ] && [ $d0 -le 22 ] || fail "veth0 sent $d0 of 20"
[ $d1 -eq 0 ] || fail "veth1 (down) sent $d1"
out=$(ping -c 5 -i 0.2 -W 1 "$PEER_IP4" 2>&1)
grep -q ' 0% packet loss' <<<"$out" || fail "ping with one slave: $out"
[ "$(grep -c 'DUP!' <<<"$out")" = 0 ] || fail "duplicates with one slave: $out"
exec 3>&-
ip link del bond0
bond_unload
