#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# 802.3ad against teamd's lacp runner (active, fast): both ports of bond0
# reach collecting+distributing in one aggregator, the two sides agree on
# each other's LACP identity, traffic flows and layer3+4 spreads UDP flows
# over both slaves; cutting one link (the peer's end down) keeps the
# bond's carrier and takes that port out of the aggregator on both sides;
# restoring it brings it back into the same aggregator.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

bond_load_defaults
ip link del bond0
lacp_topo 2
lacp_peer_team team0 p0 p1
lacp_bond bond0 2 lacp_rate fast xmit_hash_policy layer3+4
lacp_bond_up bond0

check "both ports distributing" lacp_wait_distributing bond0 30
say "all ports distributing $(lacp_since_up) ms after bond0 up"
check "teamd selects both ports" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0

# One aggregator, both ports in it, with teamd as its partner.
agg=$(lacp_active_agg bond0)
expect_eq "$(lacp_agg_id veth0)" "$agg" "veth0 in the active aggregator"
expect_eq "$(lacp_agg_id veth1)" "$agg" "veth1 in the active aggregator"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier"
expect_eq "$(lacp_proc_active bond0 'Aggregator ID')" "$agg" "/proc active Aggregator ID"
expect_eq "$(lacp_proc_active bond0 'Number of ports')" 2 "/proc Number of ports"
expect_eq "$(lacp_proc_active bond0 'Actor Key')" 15 "/proc Actor Key (10G full duplex)"
expect_eq "$(lacp_proc_active bond0 'Partner Mac Address')" $LACP_TEAM_MAC "/proc Partner Mac Address"
dump=$(lacp_team_dump team0)
for i in 0 1; do
	s=veth$i p=p$i
	# fast, active, in sync, collecting, distributing: 0x3f on both sides
	expect_eq "$(lacp_actor_state $s)" 63 "$s actor oper port state"
	expect_eq "$(lacp_partner_state $s)" 63 "$s partner oper port state"
	expect_eq "$(lacp_proc bond0 $s actor 'port number')" $((i + 1)) "$s actor port number"
	expect_eq "$(lacp_proc bond0 $s actor 'system mac address')" 02:00:00:00:00:a0 "$s actor system"
	# what we hold of the partner is what teamd says it is, and the other way round
	for f in "system mac address:system" "oper key:key" "port number:port" "port priority:port_priority" \
		 "system priority:system_priority"; do
		expect_eq "$(lacp_proc bond0 $s partner "${f%%:*}")" \
			"$(jq -r ".ports.$p.runner.actor_lacpdu_info.${f#*:}" <<<"$dump")" "$s partner ${f%%:*} vs teamd's actor"
	done
	for f in "system mac address:system" "port key:key" "port number:port" "port priority:port_priority" \
		 "system priority:system_priority" "port state:state"; do
		expect_eq "$(jq -r ".ports.$p.runner.partner_lacpdu_info.${f#*:}" <<<"$dump")" \
			"$(lacp_proc bond0 $s actor "${f%%:*}")" "teamd's partner ${f#*:} on $p vs our $s actor"
	done
done

check "ping over the aggregate" lacp_ping "$PEER_IP4"
check "ping6 over the aggregate" lacp_ping "$PEER_IP6"

# spread N: N UDP flows leave by both slaves (each by at least 1/8 of them).
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

# Cut p0: veth0 loses its carrier and leaves; veth1 carries on alone.
kmsg_mark cut
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
expect_eq "$(lacp_agg_id veth1)" "$agg" "veth1 still in the active aggregator"
expect_eq "$(slave_attr veth0 mii_status)" down "veth0 MII status"
check "teamd deselects p0" wait_for 10 attr_is "p0=false p1=true" lacp_team_ports_selected team0
check "ping with one port" lacp_ping "$PEER_IP4"
a0=$(tx_packets veth0) a1=$(tx_packets veth1)
lacp_udp_flows "$PEER_IP4" 32
expect_eq "$(tx_packets veth0)" "$a0" "nothing leaves by the cut veth0"
[ $(($(tx_packets veth1) - a1)) -ge 32 ] || fail "the 32 flows did not all leave by veth1"

# Restore: veth0 rejoins the same aggregator.
t0=$(ms_now)
peer_restore 0
check "veth0 distributing again" lacp_wait_distributing bond0 30
say "veth0 back $(($(ms_now) - t0)) ms after the restore"
expect_eq "$(lacp_agg_id veth0)" "$agg" "veth0 back in the same aggregator"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports after the restore"
check "teamd selects p0 again" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0
spread 64
check "ping after the restore" lacp_ping "$PEER_IP4"
ip link del bond0
bond_unload
