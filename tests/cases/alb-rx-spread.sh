#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# balance-alb receive load balancing, with four clients behind a bridge.
# The bond resolving two clients: its requests carry the bond's MAC, then it
# sends each the MAC of its slave, and they end up on different slaves. The
# four clients pinging the bond: a client resolving the bond's address gets
# the answer from the slave the bond gives it, with that slave's MAC as the
# sender, so the clients' traffic comes in on both slaves. Checked: every
# client holds the current MAC of a slave and both slaves are used; each
# client's echo requests reach the port of its slave only (captures on the
# bridge ports) and both slaves' rx counters grow; the bond's own broadcast
# ARP request (which points every client at the bond's MAC) is followed by
# updates that put each client back on its slave; with four slaves the four
# clients get four different slaves; debugfs' rlb_hash_table, when the
# module has one, lists the clients in its format.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-alb && skip "balance-alb is not in our bonding.ko yet"

# both_used: every client holds some slave's MAC, and the clients use
# exactly NSLAVES different slaves.
both_used() {
	local a
	a=$(clients_slaves bond0)
	[[ $a != *-* ]] && [ "$(distinct $a)" = "$NSLAVES" ]
}
# reqs NAME MAC C: the echo requests of client C to MAC in capture NAME.
reqs() {
	grep -cE "> $2, ethertype IPv4 .*: $(alb_client_ip "$3") > $BOND_IP4: ICMP echo request" \
		"$CAP_DIR/$1"
}

bond_load_defaults max_bonds=0
alb_topo bond0 balance-alb 2 4
expect_eq "$(mac_of bond0)" 02:00:00:00:00:a0 "bond0 took veth0's MAC"
expect_eq "$(active_of bond0)" veth0 "veth0 active"
# What the bridge forwards towards each slave: the clients' echo requests.
# (The captures start before the traffic: a tcpdump starting can stall TCG.)
cap_start p0 p0 -e icmp and dst host "$BOND_IP4"
cap_start p1 p1 -e icmp and dst host "$BOND_IP4"

say "the bond resolves two clients"
# Its ARP requests carry the bond's MAC as the sender, and the clients take
# it; once their replies are in, the bond sends each the MAC of the slave it
# gave that client, one after the other, so the two end up apart.
two_apart() {
	local s1 s2
	s1=$(slave_with_mac bond0 "$(client_neigh 1)") s2=$(slave_with_mac bond0 "$(client_neigh 2)")
	[ "$s1" != - ] && [ "$s2" != - ] && [ "$s1" != "$s2" ]
}
check "the bond reaches client 1" ping -c 1 -W 2 "$(alb_client_ip 1)" >/dev/null
check "the bond reaches client 2" ping -c 1 -W 2 "$(alb_client_ip 2)" >/dev/null
wait_for 8 two_apart ||
	fail "clients 1 and 2 should be on different slaves: on $(clients_slaves bond0 | cut -d' ' -f1-2)"
say "clients 1 and 2 on: $(clients_slaves bond0 | cut -d' ' -f1-2)"

say "four clients, two slaves"
NSLAVES=2
clients_ping_start -i 0.05
wait_for 15 both_used ||
	fail "each client should hold a slave's MAC, both slaves used: clients on $(clients_slaves bond0)"
assign=$(clients_slaves bond0)
say "clients on: $assign"
read -r -a on <<<"$assign"
expect_eq "$(macs_sane bond0)" "" "slave MACs"

# A window of 3 s: both slaves receive, and each client's requests go to
# its slave's MAC, which the bridge forwards to that slave's port only.
declare -A n0
for c in 1 2 3 4; do
	for i in 0 1; do n0[$c$i]=$(reqs p$i "$(mac_of veth$i)" $c); done
done
r0=$(rx_packets veth0) r1=$(rx_packets veth1)
sleep 3
d0=$(($(rx_packets veth0) - r0)) d1=$(($(rx_packets veth1) - r1))
say "rx in 3 s: veth0 $d0, veth1 $d1"
[ $d0 -ge 40 ] && [ $d1 -ge 40 ] || fail "both slaves should receive ~120 frames in 3 s: veth0 $d0, veth1 $d1"
for c in 1 2 3 4; do
	mine=${on[c - 1]#veth} other=$((1 - ${on[c - 1]#veth}))
	got=$(($(reqs p$mine "$(mac_of veth$mine)" $c) - ${n0[$c$mine]}))
	stray=$(($(reqs p$other "$(mac_of veth$other)" $c) - ${n0[$c$other]}))
	[ $got -ge 20 ] && [ $stray = 0 ] ||
		fail "client $c (on veth$mine): $got requests to veth$mine, $stray to veth$other in 3 s"
done
expect_eq "$(clients_slaves bond0)" "$assign" "the clients stay on their slaves"

# The table, if the module has one: "SourceIP DestinationIP Destination MAC
# DEV" and one line per client (%-15s %-15s %-17s %s).
if tbl=$(rlb_table bond0); then
	expect_eq "$(head -n 1 <<<"$tbl")" "SourceIP        DestinationIP   Destination MAC   DEV" \
		"rlb_hash_table header"
	for c in 1 2 3 4; do
		want=$(printf '%-15s %-15s %-17s %s' "$BOND_IP4" "$(alb_client_ip $c)" \
			"$(alb_client_mac $c)" "${on[c - 1]}")
		grep -qxF "$want" <<<"$tbl" || fail "rlb_hash_table: no line '$want' in:
$tbl"
	done
	expect_eq "$(wc -l <<<"$tbl")" 5 "rlb_hash_table: a header and four clients"
else
	say "no rlb_hash_table (in-tree has it only without CONFIG_NET_NS)"
fi

say "the bond's own broadcast ARP request"
# It carries the bond's MAC as the sender: every client that sees it points
# 192.0.2.1 at the active slave. The bond then sends each client its
# slave's MAC again, after about 2 s.
check "ARP for the peer" ping -c 1 -W 2 "$PEER_IP4" >/dev/null
after=$(clients_slaves bond0)
say "clients on, just after the request: $after"
wait_for 8 attr_is "$assign" clients_slaves bond0 ||
	fail "the clients should be back on $assign: on $(clients_slaves bond0)"

say "four slaves"
# A new slave orders a rebalance: the clients are dealt round the four.
alb_veth 2
alb_veth 3
check "enslave veth2" ip link set veth2 master bond0
check "enslave veth3" ip link set veth3 master bond0
NSLAVES=4
wait_for 15 both_used ||
	fail "four clients should be on four slaves: clients on $(clients_slaves bond0) ($(macs_show bond0))"
assign=$(clients_slaves bond0)
say "clients on: $assign"
expect_eq "$(macs_sane bond0)" "" "slave MACs with four slaves"
for i in 0 1 2 3; do r[i]=$(rx_packets veth$i); done
sleep 2
for i in 0 1 2 3; do
	d=$(($(rx_packets veth$i) - r[i]))
	[ $d -ge 20 ] || fail "veth$i received $d frames in 2 s (clients on: $assign)"
done
clients_ping_stop
cap_stop_all
for c in 1 2 3 4; do
	[ "$(ping_replies "$ALB_PING_DIR/$c")" -gt 0 ] || fail "client $c: no reply at all"
done
ip link del bond0
bond_unload
