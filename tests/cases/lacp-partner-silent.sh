#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# The partner falls silent (netem drops all it sends, while it still hears
# us), first on p0's link, then on p1's too. With lacp_rate fast a port
# expires the partner's information 3 s after its last LACPDU and falls
# back to defaults 3 s later, then sits alone in a partner-less aggregator;
# the other port carries on. With both silent, the bond keeps its carrier
# over one partner-less port. When the partner is heard again (p0 first,
# then p1), the ports re-aggregate. Each step a second apart so which
# port moves first is fixed (teamd sends every second): the aggregator
# ids in-tree gives them follow from that order.
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
expect_eq "$(lacp_active_agg bond0)" 1 "the LAG is in aggregator 1 (veth0's)"

silence() { ip netns exec "$TOPO_NS" tc qdisc add dev "$1" root netem loss 100% || fail "netem on $1"; }
unsilence() { ip netns exec "$TOPO_NS" tc qdisc del dev "$1" root || fail "netem off $1"; }

# expire_and_default SLAVE: after its partner fell silent, SLAVE stops
# distributing, expires, then defaults; say when and check the 3 s steps.
expire_and_default() {
	local s=$1 t0 t_out t_exp t_def
	t0=$(ms_now)
	check "$s stops distributing once the partner is silent" wait_for 15 lacp_not_distributing $s
	t_out=$(($(ms_now) - t0))
	check "$s expired" wait_for 15 lacp_state_has $s $LACP_EXPIRED
	t_exp=$(($(ms_now) - t0))
	check "$s defaulted" wait_for 15 lacp_state_has $s $LACP_DEFAULTED
	t_def=$(($(ms_now) - t0))
	say "$s: out of distributing after $t_out ms, expired after $t_exp ms, defaulted after $t_def ms"
	# short timeout: 3 s (30 ticks, 2.8 s by TCG's clock) after the last
	# LACPDU, which came 0-1 s before the silence
	[ $t_exp -ge 1500 ] || fail "$s expired after $t_exp ms, sooner than the 3 s short timeout allows"
	[ $((t_def - t_exp)) -ge 2300 ] || fail "$s defaulted $((t_def - t_exp)) ms after expiring, not 3 s"
	[ $((t_out - t_exp)) -le 500 ] && [ $((t_exp - t_out)) -le 500 ] ||
		fail "$s left distributing at $t_out ms, not when it expired ($t_exp ms)"
}

# defaults_recorded SLAVE: /proc shows the partner defaults for SLAVE.
defaults_recorded() {
	expect_eq "$(lacp_proc bond0 $1 partner 'system mac address')" 00:00:00:00:00:00 "$1 partner system (default)"
	expect_eq "$(lacp_proc bond0 $1 partner 'system priority')" 65535 "$1 partner system priority (default)"
	expect_eq "$(lacp_proc bond0 $1 partner 'oper key')" 1 "$1 partner key (default)"
	expect_eq "$(lacp_proc bond0 $1 partner 'port number')" 1 "$1 partner port (default)"
	expect_eq "$(lacp_proc bond0 $1 partner 'port priority')" 255 "$1 partner port priority (default)"
	expect_eq "$(lacp_partner_state $1)" 0 "$1 partner state (default)"
}

# 1. p0's link silent: veth0 leaves for veth1's empty aggregator 2, alone
# and partner-less (active, fast, aggregatable, defaulted: 0x47); the LAG
# (aggregator 1) goes on over veth1.
silence p0
expire_and_default veth0
sleep 0.5
defaults_recorded veth0
expect_eq "$(lacp_agg_id veth0)" 2 "veth0's aggregator after defaulting"
expect_eq "$(lacp_actor_state veth0)" 71 "veth0 actor state after defaulting"
expect_eq "$(lacp_active_agg bond0)" 1 "aggregator 1 stays active"
expect_eq "$(lacp_agg_id veth1)" 1 "veth1 stays in aggregator 1"
check "veth1 still distributing" lacp_distributing veth1
expect_eq "$(lacp_num_ports bond0)" 1 "ad_num_ports with veth0 out"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier with veth0 out"
check "ping over veth1" lacp_ping "$PEER_IP4"

# 2. p1's silent too: veth1 defaults, stays in the emptied aggregator 1,
# which wins the tie between two partner-less aggregators (first slave's):
# its port is enabled, in sync (0x4f), and the bond keeps its carrier.
silence p1
expire_and_default veth1
sleep 0.5
defaults_recorded veth1
expect_eq "$(lacp_agg_id veth1)" 1 "veth1's aggregator after defaulting"
expect_eq "$(lacp_agg_id veth0)" 2 "veth0's aggregator"
expect_eq "$(lacp_actor_state veth1)" 79 "veth1 actor state after defaulting"
expect_eq "$(lacp_actor_state veth0)" 71 "veth0 actor state"
expect_eq "$(lacp_active_agg bond0)" 1 "active aggregator with no partner anywhere"
expect_eq "$(lacp_proc_active bond0 'Partner Mac Address')" 00:00:00:00:00:00 "/proc active aggregator's partner"
expect_eq "$(lacp_proc_active bond0 'Partner Key')" 1 "/proc active aggregator's partner key"
expect_eq "$(lacp_num_ports bond0)" 1 "ad_num_ports with no partner"
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier with no partner"
expect_eq "$(slave_attr veth1 state)" active "veth1 (the fallback port) transmits"
expect_eq "$(slave_attr veth0 state)" backup "veth0 does not"

# 3. p0 heard again: veth0 re-records the partner, leaves aggregator 2
# empty and takes it again, now with a partner; it beats the partner-less
# aggregator 1 and becomes the LAG alone, veth1 is disabled.
t0=$(ms_now)
unsilence p0
check "veth0 distributing again" lacp_wait_distributing bond0 15 veth0
say "veth0 back $(($(ms_now) - t0)) ms after its partner is heard again"
expect_eq "$(lacp_agg_id veth0)" 2 "veth0's aggregator with the partner back"
expect_eq "$(lacp_active_agg bond0)" 2 "aggregator 2 active"
expect_eq "$(lacp_proc_active bond0 'Partner Mac Address')" $LACP_TEAM_MAC "partner of aggregator 2"
expect_eq "$(lacp_num_ports bond0)" 1 "ad_num_ports with veth0 back"
check "veth1 not distributing" lacp_not_distributing veth1
expect_eq "$(slave_attr veth1 state)" backup "veth1 disabled"

# 4. p1 heard again: veth1 joins veth0 in aggregator 2.
t0=$(ms_now)
unsilence p1
check "both ports re-aggregate" lacp_wait_distributing bond0 15
say "veth1 back $(($(ms_now) - t0)) ms after its partner is heard again"
expect_eq "$(lacp_agg_id veth1)" 2 "veth1 joins aggregator 2"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports at the end"
for s in veth0 veth1; do
	expect_eq "$(lacp_actor_state $s)" 63 "$s actor state at the end"
	expect_eq "$(lacp_proc bond0 $s partner 'system mac address')" $LACP_TEAM_MAC "$s partner at the end"
done
check "ping at the end" lacp_ping "$PEER_IP4"
ip link del bond0
bond_unload
