#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# lacp_active off (we are passive: no ACTIVITY bit, 0x3e when fast):
#  - against an active teamd the ports aggregate as usual;
#  - against a passive teamd neither side has a reason to send periodic
#    LACPDUs. In-tree the bond still sends event-driven PDUs when its own
#    state changes (its mux asks for one on entering DETACHED, ATTACHED,
#    collecting+distributing), teamd answers, and the two aggregate. Then
#    the bond never sends on its own: each further PDU answers one of
#    teamd's, which come when teamd's short timeout (fast_rate) expires
#    every 3 s without news from us.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

bond_load_defaults
ip link del bond0
lacp_topo 2
lacp_bond bond0 2 lacp_rate fast lacp_active off
expect_eq "$(bond_opt bond0 lacp_active)" "off 0" "sysfs lacp_active"
expect_eq "$(ip -d -j link show bond0 | jq -r '.[0].linkinfo.info_data.ad_lacp_active')" off "netlink ad_lacp_active"

# 1. against an active teamd
lacp_peer_team team0 p0 p1
lacp_bond_up bond0
check "passive bond, active partner: both ports distributing" lacp_wait_distributing bond0 30
say "passive vs active: distributing $(lacp_since_up) ms after bond0 up"
expect_eq "$(grep '^LACP active: ' /proc/net/bonding/bond0)" "LACP active: off" "/proc LACP active"
for s in veth0 veth1; do
	expect_eq "$(lacp_actor_state $s)" 62 "$s actor state (no ACTIVITY bit)"
	expect_eq "$(lacp_partner_state $s)" 63 "$s partner state (teamd active)"
done
check "teamd selects both ports" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0
check "ping" lacp_ping "$PEER_IP4"

# 2. against a passive teamd: a fresh start on both sides.
ip link del bond0
lacp_peer_team_stop team0
lacp_peer_team team0 p0 p1 '{"runner": {"active": false}}'
lacp_bond bond0 2 lacp_rate fast lacp_active off
ip link set veth0 up
lacp_cap_start c0 veth0
lacp_bond_up bond0
up=$LACP_UP_MS
check "passive vs passive: both ports distributing" lacp_wait_distributing bond0 30
say "passive vs passive: distributing $(lacp_since_up) ms after bond0 up"
sleep 8
end=$(ms_now)
cap_stop_all
for s in veth0 veth1; do
	expect_eq "$(lacp_actor_state $s)" 62 "$s actor state"
	# teamd's own state flaps (expired, then current again when we answer)
	st=$(lacp_partner_state $s)
	[ $((st & LACP_ACTIVITY)) = 0 ] || fail "$s: partner state $st has ACTIVITY: teamd is passive"
done
expect_eq "$(lacp_carrier bond0)" 1 "bond0 carrier"
expect_eq "$(lacp_proc_active bond0 'Partner Mac Address')" $LACP_TEAM_MAC "/proc partner"
check "ping" lacp_ping "$PEER_IP4"

# Who sent what on veth0's link: "ms src actor-state" per PDU.
lacp_pdus c0 lacp frame.time_epoch eth.src lacp.actor.state |
	awk '{ printf "%.0f %s %s\n", $1 * 1000, $2, $3 }' >"$CAP_DIR/c0.txt"
ours=$(awk -v up=$up '$2 == "02:00:00:00:00:a0" && $1 >= up' "$CAP_DIR/c0.txt")
theirs=$(awk -v up=$up '$2 != "02:00:00:00:00:a0" && $1 >= up' "$CAP_DIR/c0.txt")
n_ours=$(grep -c . <<<"$ours") n_theirs=$(grep -c . <<<"$theirs")
say "passive vs passive, $(((end - up) / 1000)) s on veth0's link: we sent $n_ours PDUs, teamd $n_theirs"
say "ours (ms after up, state): $(awk -v up=$up '{ printf "+%d %s  ", $1 - up, $3 }' <<<"$ours")"
say "teamd's: $(awk -v up=$up '{ printf "+%d %s  ", $1 - up, $3 }' <<<"$theirs")"
[ "$n_ours" -ge 2 ] || fail "we sent $n_ours PDUs: expected the first one and answers"
first=$(head -n 1 <<<"$ours")
[ $((${first%% *} - up)) -le 1000 ] || fail "our first PDU came $((${first%% *} - up)) ms after up"
# Every later PDU of ours carries a change of our own state (an event of
# our mux: here the move to collecting+distributing, 0x3e) or answers one
# of teamd's within a second; none is periodic.
last_state=${first##* }
while read -r t _ st; do
	if [ "$st" = "$last_state" ]; then
		prev=$(awk -v t=$t '$1 <= t { p = $1 } END { printf "%.0f\n", p }' <<<"$theirs")
		[ $((t - prev)) -le 1000 ] ||
			fail "our PDU at +$((t - up)) ms (state $st, unchanged) answers nothing of teamd's"
	fi
	last_state=$st
done <<<"$(tail -n +2 <<<"$ours")"
# No periodic from us: over 8 s fast that would be 8 PDUs and more.
[ "$n_ours" -le $((n_theirs + 1)) ] || fail "we sent $n_ours PDUs to teamd's $n_theirs"
ip link del bond0
bond_unload
