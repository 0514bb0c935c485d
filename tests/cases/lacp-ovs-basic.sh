#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# 802.3ad against an Open vSwitch bond (lacp=active, balance-tcp,
# lacp-time=fast): both ports of bond0 reach collecting+distributing in one
# aggregator, each side holds the other's LACP identity, traffic flows and
# layer3+4 spreads UDP flows over both slaves; cutting one link (the peer's
# end down) keeps the bond's carrier and takes that port out on both
# sides; restoring it brings it back into the same aggregator. Then OVS
# switches to lacp-time slow and we follow its new state.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

bond_load_defaults
ip link del bond0
lacp_topo 2
lacp_ovs_start
lacp_peer_ovs obr0 p0 p1
lacp_bond bond0 2 lacp_rate fast xmit_hash_policy layer3+4
lacp_bond_up bond0

check "both ports distributing" lacp_wait_distributing bond0 30
say "all ports distributing $(lacp_since_up) ms after bond0 up"
check "OVS has both ports current and enabled" wait_for 10 lacp_ovs_all_in obr0 p0 p1
expect_eq "$(lacp_ovs_status obr0)" negotiated "OVS lacp_status"

agg=$(lacp_active_agg bond0)
expect_eq "$(lacp_agg_id veth0)" "$agg" "veth0 in the active aggregator"
expect_eq "$(lacp_agg_id veth1)" "$agg" "veth1 in the active aggregator"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier"
expect_eq "$(lacp_proc_active bond0 'Actor Key')" 15 "/proc Actor Key (10G full duplex)"
ovs_sys=$(lacp_ovs_field obr0 p0 "actor sys_id")
expect_eq "$(lacp_proc_active bond0 'Partner Mac Address')" "$ovs_sys" "/proc Partner Mac Address is OVS's system id"
expect_eq "$(lacp_proc_active bond0 'Partner Key')" "$(lacp_ovs_field obr0 p0 'actor key')" "/proc Partner Key is OVS's key"
for i in 0 1; do
	s=veth$i p=p$i
	expect_eq "$(lacp_actor_state $s)" 63 "$s actor oper port state"
	expect_eq "$(lacp_partner_state $s)" 63 "$s partner oper port state"
	for f in "system mac address:actor sys_id" "system priority:actor sys_priority" \
		 "port number:actor port_id" "port priority:actor port_priority" "oper key:actor key"; do
		expect_eq "$(lacp_proc bond0 $s partner "${f%%:*}")" "$(lacp_ovs_field obr0 $p "${f#*:}")" \
			"$s partner ${f%%:*} vs OVS's ${f#*:}"
	done
	for f in "system mac address:partner sys_id" "system priority:partner sys_priority" \
		 "port number:partner port_id" "port priority:partner port_priority" "port key:partner key"; do
		expect_eq "$(lacp_ovs_field obr0 $p "${f#*:}")" "$(lacp_proc bond0 $s actor "${f%%:*}")" \
			"OVS's ${f#*:} on $p vs our $s actor"
	done
	expect_eq "$(lacp_ovs_field obr0 $p 'partner state')" \
		"activity timeout aggregation synchronized collecting distributing" "OVS's view of $s's state"
done

check "ping over the aggregate" lacp_ping "$PEER_IP4"
check "ping6 over the aggregate" lacp_ping "$PEER_IP6"

spread() {
	local a0 a1 d0 d1
	a0=$(tx_packets veth0) a1=$(tx_packets veth1)
	lacp_udp_flows "$PEER_IP4" "$1"
	d0=$(($(tx_packets veth0) - a0)) d1=$(($(tx_packets veth1) - a1))
	say "$1 UDP flows: veth0 tx +$d0, veth1 tx +$d1"
	[ $((d0 + d1)) -ge "$1" ] || fail "$1 flows sent, only $((d0 + d1)) frames left"
	[ $d0 -ge $(($1 / 8)) ] && [ $d1 -ge $(($1 / 8)) ] || fail "flows not spread: +$d0/+$d1"
}
spread 64

t0=$(ms_now)
peer_cut 0
check "veth0 stops distributing" wait_for 10 lacp_not_distributing veth0
check "one port left in the active aggregator" wait_for 10 attr_is 1 lacp_num_ports bond0
say "veth0 out $(($(ms_now) - t0)) ms after the cut"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier with one port"
expect_eq "$(lacp_active_agg bond0)" "$agg" "the active aggregator stays"
check "veth1 still distributing" lacp_distributing veth1
# in-tree: veth0 stays in the aggregator, mux back to ATTACHED (in sync,
# not collecting/distributing: 0x0f); the partner's sync bit is cleared
# (port disabled) and the rest of what it last said is kept (0x37)
check "veth0 actor state 15 after the cut" wait_for 5 attr_is 15 lacp_actor_state veth0
expect_eq "$(lacp_partner_state veth0)" 55 "veth0 partner state after the cut"
expect_eq "$(lacp_agg_id veth0)" "$agg" "veth0 keeps its aggregator id"
check "OVS disables p0" wait_for 10 attr_is disabled lacp_ovs_enabled obr0 p0
expect_eq "$(lacp_ovs_enabled obr0 p1)" enabled "OVS keeps p1"
say "OVS p0 after the cut: $(lacp_ovs_member obr0 p0)"
check "ping with one port" lacp_ping "$PEER_IP4"
a0=$(tx_packets veth0)
lacp_udp_flows "$PEER_IP4" 32
expect_eq "$(tx_packets veth0)" "$a0" "nothing leaves by the cut veth0"

t0=$(ms_now)
peer_restore 0
check "veth0 distributing again" lacp_wait_distributing bond0 30
say "veth0 back $(($(ms_now) - t0)) ms after the restore"
expect_eq "$(lacp_agg_id veth0)" "$agg" "veth0 back in the same aggregator"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports after the restore"
check "OVS has both ports again" wait_for 10 lacp_ovs_all_in obr0 p0 p1
spread 64
check "ping after the restore" lacp_ping "$PEER_IP4"

# OVS asks for the long timeout from now on: we record the partner's new
# state (0x3d) on both ports and stay aggregated.
lacp_ovs ovs-vsctl set port obr0-lag other_config:lacp-time=slow || fail "OVS lacp-time slow"
partners_slow() { [ "$(lacp_partner_state veth0)" = 61 ] && [ "$(lacp_partner_state veth1)" = 61 ]; }
check "partner state 0x3d on both ports" wait_for 10 partners_slow
check "still all distributing" lacp_all_distributing bond0
expect_eq "$(lacp_ovs_field obr0 p0 'partner state')" \
	"activity timeout aggregation synchronized collecting distributing" "OVS's view of veth0 (we stay fast)"
ip link del bond0
bond_unload
