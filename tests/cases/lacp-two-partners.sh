#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# ad_select with two aggregators: bond0's veth0, veth1 go to partner A (a
# teamd, system 02:00:00:00:02:00, 192.0.2.2, in $TOPO_NS), veth2, veth3
# to partner B (another teamd, system 02:00:00:00:02:01, 192.0.2.3, in a
# namespace of its own). For each policy, on a fresh bond:
#  1. only A's links up: A's aggregator is the active one;
#  2. B's links come up: B aggregates its two ports, but two against two
#     keeps the active aggregator (A), B's ports do not distribute;
#  3. p0 is cut, A has one port against B's two: bandwidth and count (all
#     veths are 10G, so more ports is more bandwidth) switch to B; stable
#     keeps A while it has a port, and switches only when p1 is cut too;
#  4. A's links come back: two against two, B stays;
#  5. p3 is cut, B has one port against A's two: count switches back to
#     A, stable keeps B (bandwidth, the same comparison as count's with
#     veths of one speed, stops after 3).
# Each time the active aggregator's ports distribute, the bond's
# ad_aggregator, ad_num_ports and ad_partner_mac are that aggregator's, its
# ports alone are active slaves and transmit (no data frame by any other
# slave), and its partner answers pings. ad_select can be changed only
# while the bond is down.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

NS_B=bt-peer2
MAC_A=$LACP_TEAM_MAC MAC_B=02:00:00:00:02:01
IP_A=$PEER_IP4 IP_B=192.0.2.3
SLAVES="veth0 veth1 veth2 veth3"

# flows_tx N SLAVE...: N UDP flows (as lacp_udp_flows) to 192.0.2.99, a
# permanent neighbour on bond0 (no ARP: every frame is one of ours), then
# per SLAVE a line "SLAVE SENT DATA": the frames it sent meanwhile, and of
# them those that were not LACPDUs (sysfs tx_packets less the lacpdu_tx
# xstat). The counters are read in an order (lacpdu_tx, tx_packets before;
# tx_packets, lacpdu_tx after) in which a LACPDU sent while they are read
# can only lower DATA.
FLOW_DST=192.0.2.99
flows_tx() {
	python3 - "$LACP_TOOLS" "$FLOW_DST" "$@" <<'PY'
import socket, sys
sys.path.insert(0, sys.argv[1])
import bond_xstats
dst, n, slaves = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
def lacpdus(s): return bond_xstats.counters(nl, s)["lacpdu_tx"]
def tx(s):
    with open("/sys/class/net/%s/statistics/tx_packets" % s) as f:
        return int(f.read())
l0 = {s: lacpdus(s) for s in slaves}
t0 = {s: tx(s) for s in slaves}
for i in range(n):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("", 40000 + i))
    u.sendto(b"x" * 64, (dst, 9))
    u.close()
t1 = {s: tx(s) for s in slaves}
l1 = {s: lacpdus(s) for s in slaves}
for s in slaves:
    sent = t1[s] - t0[s]
    print(s, sent, sent - (l1[s] - l0[s]))
PY
}

# only_by N SLAVE...: N flows leave by the SLAVEs (with two, each carries
# at least N/8 of them: layer3+4 spreads them), and no data frame by the
# other slaves.
only_by() {
	local n=$1 out s sent data total=0
	shift
	out=$(flows_tx "$n" $SLAVES) || fail "flows_tx"
	say "  $n UDP flows, sent/data per slave: $(echo $out)"
	while read -r s sent data; do
		if [[ " $* " == *" $s "* ]]; then
			total=$((total + sent))
			[ "$sent" -ge $((n / 8)) ] || fail "$s sent $sent frames of $n flows"
		else
			[ "$data" -le 0 ] || fail "$s sent $data data frames, outside the active aggregator"
		fi
	done <<<"$out"
	[ $total -ge "$n" ] || fail "$n flows, only $total frames left by $*"
}

# link_set I up|down: the partner's end of vethI (pI, in A's or B's namespace).
link_set() {
	local ns=$TOPO_NS
	[ "$1" -lt 2 ] || ns=$NS_B
	ip -n "$ns" link set "p$1" "$2" || fail "p$1 $2"
}

# active_is A|B SLAVE...: partner A's (B's) aggregator becomes the active
# one (within 10 s), with the SLAVEs (those of its ports whose link is up)
# distributing in it, and the bond says so.
active_is() {
	local g=$1 mac ip agg s want
	shift
	if [ "$g" = A ]; then mac=$MAC_A ip=$IP_A; else mac=$MAC_B ip=$IP_B; fi
	agg=$(lacp_agg_id "$1")
	check "partner $g's aggregator ($agg) active" wait_for 10 attr_is "$agg" lacp_active_agg bond0
	check "$* distributing" lacp_wait_distributing bond0 15 "$@"
	for s in "$@"; do
		expect_eq "$(lacp_agg_id $s)" "$agg" "$s in the active aggregator"
	done
	expect_eq "$(lacp_active_agg bond0)" "$agg" "ad_aggregator (partner $g's)"
	expect_eq "$(lacp_num_ports bond0)" $# "ad_num_ports"
	expect_eq "$(bond_opt bond0 ad_partner_mac)" $mac "ad_partner_mac"
	expect_eq "$(lacp_proc_active bond0 'Partner Mac Address')" $mac "/proc Partner Mac Address"
	expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier"
	for s in $SLAVES; do
		want=backup
		[[ " $* " != *" $s "* ]] || want=active
		expect_eq "$(slave_attr $s state)" $want "$s slave state"
	done
	check "ping partner $g" lacp_ping $ip
	say "  partner $g active: aggregator $agg, ports $*"
}

# formed I J GROUP: vethI and vethJ hold GROUP's partner (with its sync
# bit) and share an aggregator.
formed() {
	local mac=$MAC_A
	[ "$3" = A ] || mac=$MAC_B
	[ "$(lacp_proc bond0 veth$1 partner 'system mac address')" = $mac ] &&
		[ "$(lacp_proc bond0 veth$2 partner 'system mac address')" = $mac ] &&
		partner_in_sync $1 && partner_in_sync $2 &&
		[ "$(lacp_agg_id veth$1)" = "$(lacp_agg_id veth$2)" ]
}
partner_in_sync() {
	local s
	s=$(lacp_partner_state veth$1)
	[[ $s =~ ^[0-9]+$ ]] && ((s & LACP_SYNC))
}

# link_down I: cut pI and wait until bond0 has seen vethI go down.
link_down() {
	link_set "$1" down
	check "veth$1 down" wait_for 10 attr_is down slave_attr veth$1 mii_status
}

bond_load_defaults
ip link del bond0
lacp_topo 4
ns_add $NS_B
for p in p2 p3; do
	ip -n "$TOPO_NS" link set $p netns $NS_B || fail "$p to $NS_B"
	ip netns exec $NS_B sysctl -qw "net.ipv6.conf.$p.disable_ipv6=1"
done
lacp_peer_team team0 p0 p1
TOPO_NS=$NS_B PEER_IP4=$IP_B PEER_IP6=2001:db8::3 LACP_TEAM_MAC=$MAC_B lacp_peer_team team1 p2 p3

for policy in stable bandwidth count; do
	say "ad_select $policy"
	link_set 2 down
	link_set 3 down
	link_set 0 up
	link_set 1 up
	lacp_bond bond0 4 lacp_rate fast xmit_hash_policy layer3+4 ad_select $policy
	lacp_bond_up bond0
	ip neigh replace $FLOW_DST lladdr 02:00:00:00:09:99 dev bond0 nud permanent || fail "neighbour"
	case $policy in
	stable)
		expect_eq "$(bond_opt bond0 ad_select)" "stable 0" "ad_select"
		expect_eq "$(sysfs_errno /sys/class/net/bond0/bonding/ad_select count)" EBUSY \
			"ad_select written while bond0 is up"
		expect_eq "$(bond_opt bond0 ad_select)" "stable 0" "ad_select after the refused write"
		;;
	bandwidth) expect_eq "$(bond_opt bond0 ad_select)" "bandwidth 1" "ad_select" ;;
	count) expect_eq "$(bond_opt bond0 ad_select)" "count 2" "ad_select" ;;
	esac

	say " 1. A's links alone"
	active_is A veth0 veth1
	[ $policy != stable ] || only_by 64 veth0 veth1

	say " 2. B's links up: two ports against two"
	t0=$(ms_now)
	link_set 2 up
	link_set 3 up
	check "B's ports aggregate" wait_for 15 formed 2 3 B
	say "  B's ports in aggregator $(lacp_agg_id veth2) $(($(ms_now) - t0)) ms after their links came up"
	[ "$(lacp_agg_id veth2)" != "$(lacp_agg_id veth0)" ] || fail "B's ports in A's aggregator"
	sleep 1
	active_is A veth0 veth1
	check "veth2 not distributing" lacp_not_distributing veth2
	check "veth3 not distributing" lacp_not_distributing veth3

	say " 3. p0 cut: one port against two"
	link_down 0
	if [ $policy = stable ]; then
		sleep 1
		active_is A veth1
		only_by 64 veth1
		say "  p1 cut too: none against two"
		link_down 1
	fi
	active_is B veth2 veth3
	only_by 64 veth2 veth3
	if [ $policy = bandwidth ]; then
		# with veths of one speed the same comparison as count's, which
		# goes on with the way back
		ip link del bond0
		continue
	fi

	say " 4. A's links back: two against two"
	link_set 0 up
	link_set 1 up
	check "A's ports back with their partner" wait_for 15 formed 0 1 A
	sleep 1
	active_is B veth2 veth3

	say " 5. p3 cut: one port against two"
	link_down 3
	if [ $policy = stable ]; then
		sleep 1
		active_is B veth2
		only_by 64 veth2
	else
		active_is A veth0 veth1
		only_by 64 veth0 veth1
	fi
	ip link del bond0
done
lacp_peer_team_stop team0
TOPO_NS=$NS_B lacp_peer_team_stop team1
bond_unload
