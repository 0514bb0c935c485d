#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# The partner changes its key at run time (ad_select stable).
#  1. teamd, one port at a time. teamd reads a port's lacp_key when the
#     port joins the team, so p1 leaves the team and comes back with key 7
#     (its link flaps on the way). veth1 records the new partner key and
#     leaves the active aggregator for one of its own (not in sync, not
#     distributing); veth0 carries all the traffic, the bond keeps its
#     carrier, its active aggregator and that aggregator's partner key.
#     Then p0 takes key 7 too: the keys agree again and the two ports
#     aggregate together, with partner key 7.
#  2. Open vSwitch, the whole partner at once and without a link flap (OVS
#     has one key per bond, other_config:lacp-aggregation-key): both ports
#     record the new key, leave the aggregator they were in (the first to
#     hear it cannot stay with the other, which still has the old key) and
#     aggregate again together in another one.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

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

# only_by N SLAVE...: N flows leave by the SLAVEs, each of them carrying at
# least N/8 (layer3+4 spreads them), and no data frame by the other slave.
only_by() {
	local n=$1 out s sent data total=0
	shift
	out=$(flows_tx "$n" veth0 veth1) || fail "flows_tx"
	say "$n UDP flows, sent/data per slave: $(echo $out)"
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

# key_of SLAVE: the partner's oper key SLAVE holds (/proc).
key_of() { lacp_proc bond0 "$1" partner 'oper key'; }

# team_rekey PORT KEY: teamd takes PORT out of team0 and back with lacp_key KEY.
team_rekey() {
	ip netns exec "$TOPO_NS" teamdctl team0 port remove "$1" || fail "teamd: remove $1"
	ip netns exec "$TOPO_NS" teamdctl team0 port config update "$1" "{\"lacp_key\": $2}" || fail "teamd: $1 key $2"
	ip netns exec "$TOPO_NS" teamdctl team0 port add "$1" || fail "teamd: add $1 again"
}

bond_load_defaults
ip link del bond0
lacp_topo 2
lacp_peer_team team0 p0 p1
lacp_bond bond0 2 lacp_rate fast xmit_hash_policy layer3+4
lacp_bond_up bond0
ip neigh replace $FLOW_DST lladdr 02:00:00:00:09:99 dev bond0 nud permanent || fail "neighbour"
check "both ports distributing" lacp_wait_distributing bond0 30
expect_eq "$(bond_opt bond0 ad_select)" "stable 0" "ad_select"
agg=$(lacp_active_agg bond0)
expect_eq "$(key_of veth0),$(key_of veth1)" "0,0" "partner key (teamd's default) of veth0,veth1"
expect_eq "$(bond_opt bond0 ad_partner_key)" 0 "sysfs ad_partner_key"
only_by 64 veth0 veth1

say "1. teamd: p1 takes key 7"
t0=$(ms_now)
team_rekey p1 7
check "veth1 records the partner's new key" wait_for 10 attr_is 7 key_of veth1
check "veth1 leaves the active aggregator" wait_for 10 eval '[ "$(lacp_agg_id veth1)" != "$agg" ]'
check "veth1 in an aggregator of its own" wait_for 10 eval '[[ $(lacp_agg_id veth1) =~ ^[0-9]+$ ]]'
agg1=$(lacp_agg_id veth1)
say "veth1 in aggregator $agg1 $(($(ms_now) - t0)) ms after the change"
# the wait-while timer (2 s) runs out: veth1 attaches to its aggregator,
# which is not the active one, so it is not in sync
check "veth1 attached (out of sync), after the wait-while timer" \
	wait_for 10 attr_is $((LACP_ACTIVITY | LACP_TIMEOUT | LACP_AGGREGATION)) lacp_actor_state veth1
sleep 1
check "veth1 not distributing" lacp_not_distributing veth1
expect_eq "$(lacp_agg_id veth1)" "$agg1" "veth1 stays in its aggregator"
expect_eq "$(key_of veth1),$(key_of veth0)" "7,0" "partner key of veth1,veth0"
expect_eq "$(lacp_active_agg bond0)" "$agg" "the active aggregator stays"
expect_eq "$(lacp_agg_id veth0)" "$agg" "veth0 stays in it"
check "veth0 still distributing" lacp_distributing veth0
expect_eq "$(lacp_num_ports bond0)" 1 "ad_num_ports"
expect_eq "$(bond_opt bond0 ad_partner_key)" 0 "sysfs ad_partner_key (the active aggregator's partner)"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier"
expect_eq "$(slave_attr veth1 state),$(slave_attr veth0 state)" backup,active "slave state of veth1,veth0"
check "teamd keeps p1 out of its aggregator" \
	wait_for 10 attr_is false lacp_team_port team0 p1 '.runner.aggregator.selected'
check "ping over veth0" lacp_ping "$PEER_IP4"
only_by 64 veth0

say "p0 takes key 7 too"
t0=$(ms_now)
team_rekey p0 7
check "veth0 records the partner's new key" wait_for 10 attr_is 7 key_of veth0
check "both ports distributing in one aggregator" lacp_wait_distributing bond0 30
say "together again $(($(ms_now) - t0)) ms after p0's change, aggregator $(lacp_active_agg bond0)"
expect_eq "$(lacp_agg_id veth0),$(lacp_agg_id veth1)" "$(lacp_active_agg bond0),$(lacp_active_agg bond0)" \
	"veth0,veth1 in the active aggregator"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports"
expect_eq "$(bond_opt bond0 ad_partner_key)" 7 "sysfs ad_partner_key"
expect_eq "$(lacp_proc_active bond0 'Partner Key')" 7 "/proc Partner Key"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier"
check "teamd selects both ports" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0
check "ping" lacp_ping "$PEER_IP4"
only_by 64 veth0 veth1

say "2. Open vSwitch: the whole partner changes its key"
ip link del bond0
lacp_peer_team_stop team0
lacp_ovs_start
lacp_peer_ovs obr0 p0 p1
lacp_bond bond0 2 lacp_rate fast xmit_hash_policy layer3+4
lacp_bond_up bond0
ip neigh replace $FLOW_DST lladdr 02:00:00:00:09:99 dev bond0 nud permanent || fail "neighbour"
check "both ports distributing" lacp_wait_distributing bond0 30
check "OVS has both ports current and enabled" wait_for 10 lacp_ovs_all_in obr0 p0 p1
agg=$(lacp_active_agg bond0)
k0=$(lacp_ovs_field obr0 p0 'actor key')
expect_match "$k0" '^[0-9]+$' "OVS's key"
k1=$((k0 == 77 ? 78 : 77))
expect_eq "$(key_of veth0),$(key_of veth1)" "$k0,$k0" "partner key of veth0,veth1"
expect_eq "$(bond_opt bond0 ad_partner_key)" "$k0" "sysfs ad_partner_key"
fails0=$(slave_attr veth0 link_failure_count),$(slave_attr veth1 link_failure_count)
t0=$(ms_now)
lacp_ovs ovs-vsctl set interface p0 other_config:lacp-aggregation-key=$k1 -- \
	set interface p1 other_config:lacp-aggregation-key=$k1 || fail "OVS key $k1"
check "OVS sends key $k1" wait_for 10 attr_is $k1 lacp_ovs_field obr0 p1 'actor key'
check "both ports record the new key" wait_for 10 eval '[ "$(key_of veth0),$(key_of veth1)" = "$k1,$k1" ]'
check "both ports leave aggregator $agg" \
	wait_for 10 eval '[ "$(lacp_agg_id veth0)" != "$agg" ] && [ "$(lacp_agg_id veth1)" != "$agg" ]'
check "both ports distributing in one aggregator" lacp_wait_distributing bond0 30
say "OVS key $k0 -> $k1: aggregator $agg -> $(lacp_active_agg bond0), all distributing after $(($(ms_now) - t0)) ms"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports"
expect_eq "$(bond_opt bond0 ad_partner_key)" "$k1" "sysfs ad_partner_key"
expect_eq "$(lacp_proc_active bond0 'Partner Key')" "$k1" "/proc Partner Key"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier"
expect_eq "$(slave_attr veth0 link_failure_count),$(slave_attr veth1 link_failure_count)" "$fails0" \
	"no link failure on the way"
check "OVS has both ports again" wait_for 10 lacp_ovs_all_in obr0 p0 p1
check "ping" lacp_ping "$PEER_IP4"
only_by 64 veth0 veth1
ip link del bond0
bond_unload
