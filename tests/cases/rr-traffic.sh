#!/bin/bash
# kernel-neutral: our transmit path, no probed kernel difference
# balance-rr over two slaves: N packets from one CPU leave about N/2 on each
# slave (tx_packets), one slave after the other; with packets_per_slave 10
# they leave in runs of 10 per slave.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# The round-robin counter is per CPU: send everything from CPU 0, with shell
# builtins (a UDP socket on fd 3), so the sequence is deterministic.
taskset -pc 0 $$ >/dev/null || skip "taskset failed"

bond_load_defaults
ip link del bond0
topo_bond bond0 2 mode balance-rr
# No IPv6 on the bond or the slaves: a slave's own router solicitations and
# MLD reports (sent for seconds after it comes up) would land in the counts.
for d in bond0 veth0 veth1; do sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1"; done
check "ping through the bond" wait_for 10 ping -c 1 -W 1 "$PEER_IP4" >/dev/null
# Datagrams go to an address nobody has, with a static neighbour entry: no
# ARP, and no ICMP error comes back to refuse the next send.
sink=192.0.2.99
ip neigh add $sink lladdr 02:00:00:00:00:99 dev bond0 nud permanent || fail "static neighbour"
exec 3>"/dev/udp/$sink/9" || fail "UDP socket"
# Nor may the peer refresh its entry for us (an ARP reply would go out on a
# slave in the middle of a sequence): a static entry there too.
ip -n "$TOPO_NS" neigh replace "$BOND_IP4" lladdr "$(link_mac bond0)" dev br0 nud permanent ||
	fail "static neighbour in the peer"

t0=/sys/class/net/veth0/statistics/tx_packets
t1=/sys/class/net/veth1/statistics/tx_packets

# send_seq N: send N datagrams one by one; $slaves gets the slave each one
# left by (0, 1, or ? when the counters moved otherwise).
send_seq() {
	local i a0 a1 b0 b1
	slaves=
	read -r a0 <$t0; read -r a1 <$t1
	for ((i = 0; i < $1; i++)); do
		printf x >&3
		read -r b0 <$t0; read -r b1 <$t1
		if [ $((b0 - a0)) = 1 ] && [ $b1 = $a1 ]; then slaves+=0
		elif [ $((b1 - a1)) = 1 ] && [ $b0 = $a0 ]; then slaves+=1
		else slaves+='?'
		fi
		a0=$b0 a1=$b1
	done
}

# runs SEQ: the lengths of the runs of equal characters in SEQ.
runs() { grep -o -E '0+|1+|\?+' <<<"$1" | awk '{ printf "%s%d", sep, length($0); sep = " " }'; }

# Bulk: 200 datagrams split about evenly.
n=200
read -r a0 <$t0; read -r a1 <$t1
for ((i = 0; i < n; i++)); do printf x >&3; done
read -r b0 <$t0; read -r b1 <$t1
d0=$((b0 - a0)) d1=$((b1 - a1))
say "$n datagrams: veth0 +$d0, veth1 +$d1"
[ $d0 -ge 70 ] && [ $d0 -le 130 ] || fail "veth0 sent $d0 of $n"
[ $d1 -ge 70 ] && [ $d1 -le 130 ] || fail "veth1 sent $d1 of $n"
[ $((d0 + d1)) -ge $n ] && [ $((d0 + d1)) -le $((n + 10)) ] || fail "slaves sent $((d0 + d1)) for $n"

# packets_per_slave 1 (default): the slaves alternate.
expect_eq "$(bond_opt bond0 packets_per_slave)" 1 "default packets_per_slave"
send_seq 20
say "pps 1: $slaves"
alt=$(awk '{ n = 0; for (i = 2; i <= length($0); i++) if (substr($0, i, 1) != substr($0, i - 1, 1)) n++; print n }' <<<"$slaves")
[ "$alt" -ge 16 ] || fail "packets_per_slave 1: only $alt changes of slave in 20 datagrams ($slaves)"

# packets_per_slave 10: runs of 10 on each slave.
expect_eq "$(write_errno /sys/class/net/bond0/bonding/packets_per_slave 10)" ok "packets_per_slave 10"
send_seq 60
r=$(runs "$slaves")
say "pps 10: $slaves (runs: $r)"
case $slaves in *'?'*) fail "unattributed datagrams with packets_per_slave 10: $slaves" ;; esac
set -- $r
[ $# -ge 6 ] || fail "packets_per_slave 10: only $# runs in 60 datagrams ($r)"
inner=("${@:2:$(($# - 2))}")
for l in "${inner[@]}"; do
	[ "$l" -ge 8 ] && [ "$l" -le 12 ] || fail "packets_per_slave 10: run of $l ($r)"
done
exec 3>&-
bond_unload
