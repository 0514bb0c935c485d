#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# Malformed and odd slow-protocol frames into veth0 from its peer end
# (tests/tools/lacp/lacp_fuzz.py: truncated LACPDUs, bad versions, TLV types and
# lengths, unknown subtypes, Markers with bad TLVs, a looped-back LACPDU,
# and floods of 10000 frames): each moves the 802.3ad counters (link
# xstats, slave and bond) exactly as in-tree does, Marker Information is
# answered once per request, and the aggregation with teamd survives all
# of it. teamd is stopped (SIGSTOP) while the frames go in, so that the
# only LACPDUs the bond receives are the tool's; lacp_rate slow on both
# sides, so that nobody times out meanwhile (90 s).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

bond_load_defaults
ip link del bond0
lacp_topo 2
lacp_peer_team team0 p0 p1 '{"runner": {"fast_rate": false}}'
lacp_bond bond0 2 lacp_rate slow
lacp_bond_up bond0
check "both ports distributing" lacp_wait_distributing bond0 30
check "teamd selects both ports" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0
agg=$(lacp_active_agg bond0)
before=$(lacp_xstats bond0 veth0 veth1)

[ -n "$CAP_DIR" ] || CAP_DIR=$(mktemp -d)
out=$CAP_DIR/fuzz.out
kmsg_mark fuzz
pid=$(lacp_team_pid team0)
kill -STOP "$pid" || fail "SIGSTOP teamd"
t0=$(ms_now)
/usr/bin/python3 "$LACP_TOOLS/lacp_fuzz.py" --netns "$TOPO_NS" --port p0 --bond bond0 --slave veth0 \
	--count 10000 all >"$out" 2>"$out.err"
rc=$?
# before teamd runs again: it answers what queued up meanwhile
after=$(lacp_xstats bond0 veth0 veth1)
kill -CONT "$pid"
say "fuzzing took $(($(ms_now) - t0)) ms: $(tr '\n' ' ' <"$out.err")"
[ $rc = 0 ] || fail "lacp_fuzz.py exited $rc: $(tail -n 5 "$out.err")"

# In-tree: no check beyond the length (110 bytes after the Ethernet
# header) and the subtype; version, TLV types and lengths, reserved bytes
# and trailing bytes are not looked at. Shorter frames of any subtype are
# "illegal"; subtypes other than 1 and 2 "unknown"; a Marker TLV other than
# 1 (answered) and 2 is "marker unknown". A frame not sent to the
# slow-protocols group is nobody's. A looped-back LACPDU counts as received.
expect_file "$out" "the counters each case moved" <<'EXP'
lacpdu-valid sent=1 replies=0 slave=rx+1 bond=same
lacpdu-truncated sent=1 replies=0 slave=illegal_rx+1 bond=same
lacpdu-109 sent=1 replies=0 slave=illegal_rx+1 bond=same
lacpdu-bad-version sent=1 replies=0 slave=rx+1 bond=same
lacpdu-version-0 sent=1 replies=0 slave=rx+1 bond=same
lacpdu-bad-tlv-lengths sent=1 replies=0 slave=rx+1 bond=same
lacpdu-bad-tlv-types sent=1 replies=0 slave=rx+1 bond=same
lacpdu-long sent=1 replies=0 slave=rx+1 bond=same
lacpdu-garbage-reserved sent=1 replies=0 slave=rx+1 bond=same
lacpdu-unicast sent=1 replies=0 slave=none bond=same
lacpdu-loopback sent=1 replies=0 slave=rx+1 bond=same
subtype-0x0a sent=1 replies=0 slave=unknown_rx+1 bond=same
subtype-0x0a-short sent=1 replies=0 slave=illegal_rx+1 bond=same
subtype-0 sent=1 replies=0 slave=unknown_rx+1 bond=same
subtype-0xff sent=1 replies=0 slave=unknown_rx+1 bond=same
marker-info sent=1 replies=1 slave=marker_resp_tx+1,marker_rx+1 bond=same reply=ok
marker-response sent=1 replies=0 slave=marker_resp_rx+1 bond=same
marker-bad-tlv sent=1 replies=0 slave=marker_unknown_rx+1 bond=same
marker-tlv-0 sent=1 replies=0 slave=marker_unknown_rx+1 bond=same
marker-bad-version sent=1 replies=1 slave=marker_resp_tx+1,marker_rx+1 bond=same reply=ok
marker-truncated sent=1 replies=0 slave=illegal_rx+1 bond=same
flood-unknown sent=10000 replies=0 slave=unknown_rx+10000 bond=same
flood-marker sent=10000 replies=10000 slave=marker_resp_tx+10000,marker_rx+10000 bond=same reply=ok
flood-mixed sent=10000 replies=0 slave=illegal_rx+2000,rx+4000,unknown_rx+2000,marker_unknown_rx+2000 bond=same
EXP

check "the looped-back LACPDU is reported" \
	eval "kmsg_since fuzz | grep -q 'bond0: (slave veth0): An illegal loopback occurred on slave'"
# veth1 heard nothing of it
expect_eq "$(grep '^veth1 ' <<<"$after" | grep -v lacpdu_tx)" "$(grep '^veth1 ' <<<"$before" | grep -v lacpdu_tx)" \
	"veth1's counters (but lacpdu_tx)"
expect_eq "$(lacp_xstat bond0 marker_tx)" 0 "marker_tx (in-tree never sends a Marker Information)"

# The aggregation survives.
check "both ports still distributing" lacp_all_distributing bond0
expect_eq "$(lacp_active_agg bond0)" "$agg" "the same active aggregator"
expect_eq "$(lacp_proc bond0 veth0 partner 'system mac address')" $LACP_TEAM_MAC "veth0's partner"
check "teamd still selects both ports" wait_for 10 attr_is "p0=true p1=true" lacp_team_ports_selected team0
check "ping after the fuzzing" lacp_ping "$PEER_IP4"
ip link del bond0
bond_unload
