#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# LACPDUs on the wire, decoded by tshark from captures on both slaves,
# field for field, and their timing, in three phases:
#  0. no partner (lacp_rate fast): the first PDU within a second of bond0 up,
#     carrying the partner defaults; one a second while the ports are
#     EXPIRED (our EXPIRED state asks for the short timeout), then one
#     PDU once DEFAULTED, then silence (a defaulted partner is "long").
#  B. lacp_rate slow against a fast teamd: our PDUs clear the timeout bit
#     (0x3d) and come every second, as the partner asks; teamd, told
#     "long", stops its per-second PDUs.
#  A. lacp_rate fast against a slow teamd: our PDUs set the bit (0x3f) and
#     we send none in steady state (the partner asks for the long timeout:
#     30 s); teamd sends every second, as we ask.
# Every field of every PDU we send is checked against what in-tree sends:
# source = the slave's own MAC, actor system = bond0's MAC, priority 65535,
# key 15 (10 Gb/s full duplex), port priority 255, ports 1 and 2, collector
# max delay 0, reserved and pad all zero, 124 bytes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

F=(frame.time_epoch frame.len eth.src eth.dst slow.subtype lacp.version lacp.tlv_type lacp.tlv_length
   lacp.actor.sys_priority lacp.actor.sysid lacp.actor.key lacp.actor.port_priority lacp.actor.port
   lacp.actor.state lacp.actor.reserved lacp.partner.sys_priority lacp.partner.sysid lacp.partner.key
   lacp.partner.port_priority lacp.partner.port lacp.partner.state lacp.partner.reserved
   lacp.collector.max_delay lacp.coll_reserved lacp.pad)
ZERO50=$(printf '0%.0s' {1..100})

# pdu_line I ASTATE PARTNER: the fields (all but the time) of the LACPDU
# in-tree sends on vethI with actor state ASTATE; PARTNER is "sys-priority
# system key port-priority port state" as it holds the partner.
pdu_line() {
	echo "124 02:00:00:00:00:a$1 01:80:c2:00:00:02 0x01 0x01 0x01,0x02,0x03,0x00 0x14,0x14,0x10,0x00" \
		"65535 02:00:00:00:00:a0 15 255 $(($1 + 1)) $2 000000 ${3% *} ${3##* } 000000 0" \
		"000000000000000000000000 $ZERO50"
}
DEFAULT_PARTNER="65535 00:00:00:00:00:00 1 255 1"

# frames FROM TO SRC: the decoded frames from SRC (a MAC) with a time in
# [FROM, TO) (ms), time first in ms.
frames() {
	awk -v from="$1" -v to="$2" -v src="$3" '
		{ t = $1 * 1000 }
		$3 == src && t >= from && t < to { $1 = sprintf("%.0f", t); print }' "$CAP_DIR/all.txt"
}
# states FRAMES...: the actor states of the frames on stdin, a repeated
# state written once ("0xc7 0xcf 0x4f").
states() { awk '$14 != last { printf "%s%s", sep, $14; sep = " "; last = $14 } END { print "" }'; }
# spacing: the gaps between the frames on stdin (ms), min and max.
spacing() { awk 'NR > 1 { d = $1 - last; if (min == "" || d < min) min = d; if (d > max) max = d }
	{ last = $1 } END { print min + 0, max + 0 }'; }
# expect_period WHAT FRAMES [MIN]: the one-a-second rate (not the 30 s one):
# at least 3 frames, no gap over 2.5 s (10 ticks of the 802.3ad timer are
# 0.93-1.25 s by TCG's clock, longer when the host is busy), none under MIN
# ms (default 600). Where state changes come between periodic PDUs, MIN is
# 0: how close those come is the rate limit's business (expect_rate).
expect_period() {
	local n min max
	n=$(wc -l <<<"$2")
	read -r min max <<<"$(spacing <<<"$2")"
	say "$1: $n PDUs, spaced $min-$max ms"
	[ "$n" -ge 3 ] || fail "$1: $n PDUs, expected one a second"
	[ "$min" -ge "${3:-600}" ] && [ "$max" -le 2500 ] || fail "$1: PDUs spaced $min-$max ms, not a second"
}
# expect_rate WHAT FRAMES: 802.1AX 6.4.16, no more than 3 LACPDUs in any
# Fast_Periodic_Time (1 s; 900 ms for TCG's clock): the 1st and 4th of any
# 4 in a row are that far apart. In-tree spaces them 3 ticks apart; ours
# lets up to 3 go at once, so a handshake's replies do not wait.
expect_rate() {
	local closest
	closest=$(awk 'NR > 3 { d = $1 - t[(NR - 3) % 4]; if (min == "" || d < min) min = d }
		{ t[NR % 4] = $1 } END { print min == "" ? "none" : min }' <<<"$2")
	say "$1: the closest 4 PDUs in a row span $closest ms"
	[ "$closest" = none ] || [ "$closest" -ge 900 ] || fail "$1: 4 PDUs within $closest ms"
}
# expect_fields WHAT I ASTATE PARTNER FRAMES: every frame is pdu_line's.
expect_fields() {
	local want line
	want=$(pdu_line "$2" "$3" "$4")
	while read -r line; do
		[ "${line#* }" = "$want" ] || fail "$1: a PDU differs:
#   got:  ${line#* }
#   want: $want"
	done <<<"$5"
}

bond_load_defaults
ip link del bond0
lacp_topo 2
lacp_bond bond0 2 lacp_rate fast
# the captures run on our slaves: they stay up while teamd takes the peer's
ip link set veth0 up
ip link set veth1 up
lacp_cap_start c0 veth0
lacp_cap_start c1 veth1

# Phase 0: the peer's ends up, nobody there.
ip -n "$TOPO_NS" link set p0 up
ip -n "$TOPO_NS" link set p1 up
lacp_bond_up bond0
up0=$LACP_UP_MS
sleep 6.5
end0=$(ms_now)

# Phase B: teamd fast, us slow. The option needs bond0 down; teamd starts
# after bond0 is up again, so that the link flap of its taking the ports
# restarts our ports (a bond that is down keeps its ports' state as it was).
ip link set bond0 down
ip link set bond0 type bond lacp_rate slow || fail "lacp_rate slow"
ip link set bond0 up
lacp_peer_team team0 p0 p1
# wait_state ACTOR PARTNER: both ports show these states (the partner's is
# teamd's: so this is the new negotiation, not a state kept from before).
_states_are() {
	local s
	for s in veth0 veth1; do
		[ "$(lacp_actor_state $s)" = "$1" ] && [ "$(lacp_partner_state $s)" = "$2" ] || return 1
	done
}
wait_state() { wait_for 30 _states_are "$1" "$2"; }
check "slow: both ports distributing with state 0x3d, teamd's 0x3f" wait_state 61 63
check "teamd selects both ports" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0
tport0=$(lacp_team_port team0 p0 .runner.actor_lacpdu_info.port)
tport1=$(lacp_team_port team0 p1 .runner.actor_lacpdu_info.port)
sleep 1
b0=$(ms_now)
sleep 5
b1=$(ms_now)

# Phase A: teamd slow, us fast.
ip link set bond0 down
ip link set bond0 type bond lacp_rate fast || fail "lacp_rate fast"
ip link set bond0 up
lacp_peer_team_stop team0
a_up=$(ms_now)
lacp_peer_team team0 p0 p1 '{"runner": {"fast_rate": false}}'
check "fast: both ports distributing with state 0x3f, teamd's 0x3d" wait_state 63 61
check "teamd selects both ports" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0
sleep 1
a0=$(ms_now)
sleep 5
a1=$(ms_now)
cap_stop_all

mergecap -F pcap -w "$CAP_DIR/all.pcap" "$CAP_DIR/c0.pcap" "$CAP_DIR/c1.pcap" || fail "mergecap"
lacp_pdus all lacp "${F[@]}" >"$CAP_DIR/all.txt" || fail "tshark"
say "$(wc -l <"$CAP_DIR/all.txt") LACPDUs captured"
ours() { frames "$1" "$2" "02:00:00:00:00:a$3"; }
theirs() { frames "$1" "$2" "02:00:00:00:01:0$3"; }

# Phase 0. veth0's aggregator becomes the partner-less active one (in sync,
# 0xcf, then 0x4f once defaulted); veth1's stays alone and out of sync.
for i in 0 1; do
	f=$(ours $up0 $end0 $i)
	first=$(head -n 1 <<<"$f")
	[ -n "$first" ] || fail "no PDU on veth$i without a partner"
	say "no partner, veth$i: first PDU $((${first%% *} - up0)) ms after up, states $(states <<<"$f")"
	[ $((${first%% *} - up0)) -le 1000 ] || fail "veth$i: first PDU $((${first%% *} - up0)) ms after up"
	expect_fields "veth$i, no partner, expired" $i 0xc7 "$DEFAULT_PARTNER 0x02" "$(grep ' 0xc7 ' <<<"$f")"
	# while EXPIRED (0x80), one a second, whatever else changes
	expect_period "veth$i, no partner, expired" "$(awk '$14 ~ /^0x[89a-f]/' <<<"$f")" 0
	expect_rate "veth$i, from up to the end" "$(ours 0 99999999999999 $i)"
	# Defaulting sets no ntt (802.1AX 6.4.12): a defaulted PDU (0x4f, 0x47)
	# is a periodic one that in-tree's 3-tick transmit slots held back until
	# after the defaults, when its 1 s period ended just before. Ours sends
	# at once, with the state of that moment: then there is none.
	if [ $i = 0 ]; then
		expect_match "$(states <<<"$f")" '^0xc7 0xcf( 0x4f)?$' "veth0's actor states without a partner"
		expect_fields "veth0, no partner, in sync" 0 0xcf "$DEFAULT_PARTNER 0x02" "$(grep ' 0xcf ' <<<"$f")"
		d=$(grep ' 0x4f ' <<<"$f")
		[ -z "$d" ] || expect_fields "veth0, no partner, defaulted" 0 0x4f "$DEFAULT_PARTNER 0x00" "$d"
	else
		expect_match "$(states <<<"$f")" '^0xc7( 0x47)?$' "veth1's actor states without a partner"
		d=$(grep ' 0x47 ' <<<"$f")
		[ -z "$d" ] || expect_fields "veth1, no partner, defaulted" 1 0x47 "$DEFAULT_PARTNER 0x00" "$d"
	fi
	# defaulted: at most that one PDU, then the slow period (30 s)
	[ "$(awk '$14 ~ /^0x4/' <<<"$f" | wc -l)" -le 1 ] || fail "veth$i: more than one PDU once defaulted"
done

# Phase B: us slow (0x3d) every second; teamd (0x3f) silent.
for i in 0 1; do
	tp=$([ $i = 0 ] && echo $tport0 || echo $tport1)
	f=$(ours $b0 $b1 $i)
	expect_fields "veth$i, slow against fast" $i 0x3d "65535 $LACP_TEAM_MAC 0 255 $tp 0x3f" "$f"
	expect_period "veth$i, slow against fast" "$f"
	expect_eq "$(theirs $b0 $b1 $i | wc -l)" 0 "teamd's PDUs on p$i while we ask for the long timeout"
done

# Phase A: us fast (0x3f) silent in steady state; teamd every second. The
# last PDU we sent before the window is the one that went distributing.
for i in 0 1; do
	tp=$([ $i = 0 ] && echo $tport0 || echo $tport1)
	expect_eq "$(ours $a0 $a1 $i | wc -l)" 0 "our PDUs on veth$i while the partner asks for the long timeout"
	# It went out as soon as teamd said "in sync" (the coupled mux needs no
	# more): teamd may or may not be collecting+distributing by then, and
	# may still carry its expired bit from before its restart (0x8d, seen
	# once against ours).
	last=$(ours $a_up $a0 $i | tail -n 1 |
		awk '$21 == "0x0d" || $21 == "0x3d" || $21 == "0x8d" { $21 = "0x0d|0x3d" } 1')
	expect_fields "veth$i, fast against slow" $i 0x3f "65535 $LACP_TEAM_MAC 0 255 $tp 0x0d|0x3d" "$last"
	# teamd's timer catches up when it runs late: only its count tells
	n=$(theirs $a0 $a1 $i | wc -l)
	say "teamd on p$i, asked for the short timeout: $n PDUs in 5 s"
	[ "$n" -ge 3 ] || fail "teamd sent $n PDUs on p$i in 5 s: not the short period we asked for"
done
ip link del bond0
bond_unload
