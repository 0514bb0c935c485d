#!/bin/bash
# 802.3ad (LACP) helpers for the lacp-* tests; source after lib.sh
# and lib-topo.sh:
#   . "$(dirname "$0")/../lib.sh"
#   . "$(dirname "$0")/../lib-topo.sh"
#   . "$(dirname "$0")/../lib-lacp.sh"
#
# The picture: bond0 here in mode 802.3ad over veth0..vethN-1; their peers
# p0..pN-1 in $TOPO_NS are the ports of an LACP partner there, a teamd team
# device (lacp runner) or an Open vSwitch bond, which holds the peer's
# addresses. No Linux bridge: a partner port must be nobody else's.
#
# Fixed MACs, so that the LACPDU fields are the same in every run: vethI
# 02:00:00:00:00:aI (the bond takes veth0's, and so the actor system MAC),
# pI 02:00:00:00:01:0I, a team device 02:00:00:00:02:00 (teamd sets it on
# its ports too).
#
# Actor port state bits (uapi if_bonding.h LACP_STATE_*), as read from
# sysfs ad_actor_oper_port_state and /proc "port state":
LACP_ACTIVITY=0x01 LACP_TIMEOUT=0x02 LACP_AGGREGATION=0x04 LACP_SYNC=0x08
LACP_COLLECTING=0x10 LACP_DISTRIBUTING=0x20 LACP_DEFAULTED=0x40 LACP_EXPIRED=0x80

# A module without 802.3ad (tests/modes-missing) skips these tests.
mode_missing 802.3ad && skip "802.3ad is not in our bonding.ko yet"

LACP_TEAM_MAC=02:00:00:00:02:00
LACP_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")/tools/lacp" && pwd)

# ---- topology and our bond -------------------------------------------------

# lacp_topo N: $TOPO_NS and N veth pairs vethI (here) / pI (there), all
# down. The peer ends have no IPv6: their own MLD reports and router
# solicitations would count as traffic on the links.
lacp_topo() {
	local i
	ns_add "$TOPO_NS"
	for ((i = 0; i < $1; i++)); do
		ip link add "veth$i" address "02:00:00:00:00:a$i" type veth \
			peer name "p$i" address "02:00:00:00:01:0$i" netns "$TOPO_NS" ||
			fail "veth$i/p$i"
		ip netns exec "$TOPO_NS" sysctl -qw "net.ipv6.conf.p$i.disable_ipv6=1"
	done
}

# lacp_bond BOND N [OPTIONS...]: `ip link add BOND type bond mode 802.3ad
# miimon 100 OPTIONS`, with veth0..veth(N-1) enslaved in that order; BOND is
# left down (lacp_bond_up starts the clock). The module must be loaded.
lacp_bond() {
	local bond=$1 n=$2 i
	shift 2
	ip link add "$bond" type bond mode 802.3ad miimon 100 "$@" ||
		fail "ip link add $bond type bond mode 802.3ad miimon 100 $*"
	for ((i = 0; i < n; i++)); do
		ip link set "veth$i" master "$bond" || fail "enslave veth$i"
	done
	sysctl -qw "net.ipv6.conf.$bond.autoconf=0" 2>/dev/null
}

# lacp_bond_up BOND: BOND up with $BOND_IP4/24 and $BOND_IP6/64 (no DAD);
# LACP_UP_MS is when it went up (for lacp_since_up).
lacp_bond_up() {
	LACP_UP_MS=$(ms_now)
	ip link set "$1" up || fail "$1 up"
	ip addr add "$BOND_IP4/24" dev "$1"
	ip addr add "$BOND_IP6/64" dev "$1" nodad
}

# lacp_since_up: milliseconds since lacp_bond_up.
lacp_since_up() { echo $(($(ms_now) - LACP_UP_MS)); }

# ---- our side's readers ------------------------------------------------------
# They read with the shell's own `read`: no fork, so a poll in a loop is
# cheap and its timing fine-grained even under TCG.

# _lacp_read FILE: the first line of FILE ("" when it cannot be read).
_lacp_read() {
	local v=
	read -r v <"$1" 2>/dev/null
	echo "$v"
}

# lacp_actor_state SLAVE / lacp_partner_state SLAVE: the oper port state in
# decimal as sysfs shows it ("N/A" while the port has no aggregator).
lacp_actor_state() { _lacp_read "/sys/class/net/$1/bonding_slave/ad_actor_oper_port_state"; }
lacp_partner_state() { _lacp_read "/sys/class/net/$1/bonding_slave/ad_partner_oper_port_state"; }
# lacp_agg_id SLAVE: sysfs ad_aggregator_id ("N/A" without an aggregator).
lacp_agg_id() { _lacp_read "/sys/class/net/$1/bonding_slave/ad_aggregator_id"; }
# lacp_active_agg BOND: the active aggregator's id, 0 when there is none.
lacp_active_agg() { _lacp_read "/sys/class/net/$1/bonding/ad_aggregator"; }
# lacp_num_ports BOND: enabled ports of the active aggregator.
lacp_num_ports() { _lacp_read "/sys/class/net/$1/bonding/ad_num_ports"; }
# lacp_carrier DEV: 1 or 0.
lacp_carrier() { _lacp_read "/sys/class/net/$1/carrier"; }
lacp_slaves() { _lacp_read "/sys/class/net/$1/bonding/slaves"; }

# lacp_state_has SLAVE BITS: the actor state has all of BITS set.
lacp_state_has() {
	local s
	s=$(lacp_actor_state "$1")
	[[ $s =~ ^[0-9]+$ ]] && (((s & $2) == $2))
}
# lacp_distributing SLAVE: the actor state has collecting and distributing.
lacp_distributing() { lacp_state_has "$1" $((LACP_COLLECTING | LACP_DISTRIBUTING)); }
lacp_not_distributing() { ! lacp_distributing "$1"; }

# lacp_all_distributing BOND: every slave of BOND is distributing, and all
# in the one active aggregator.
lacp_all_distributing() {
	local s agg
	agg=$(lacp_active_agg "$1")
	[ -n "$agg" ] && [ "$agg" != 0 ] || return 1
	for s in $(lacp_slaves "$1"); do
		lacp_distributing "$s" && [ "$(lacp_agg_id "$s")" = "$agg" ] || return 1
	done
}

# lacp_wait_distributing BOND SECONDS [SLAVE...]: wait until the SLAVEs
# (default: all of BOND's, in its active aggregator) are distributing; then
# LACP_WAITED_MS is how long that took.
lacp_wait_distributing() {
	local bond=$1 secs=$2 t0
	shift 2
	t0=$(ms_now)
	if [ $# = 0 ]; then
		wait_for "$secs" lacp_all_distributing "$bond" || return 1
	else
		local s
		for s in "$@"; do
			wait_for "$secs" lacp_distributing "$s" || return 1
		done
	fi
	LACP_WAITED_MS=$(($(ms_now) - t0))
}

# lacp_proc BOND SLAVE actor|partner FIELD: the value of "    FIELD: " in
# SLAVE's "details actor lacp pdu:" / "details partner lacp pdu:" block of
# /proc/net/bonding/BOND.
lacp_proc() {
	awk -v slave="$2" -v block="details $3 lacp pdu:" -v field="    $4: " '
		/^Slave Interface: / { cur = substr($0, 18); in_block = 0; next }
		cur != slave { next }
		/^details / { in_block = ($0 == block); next }
		in_block && index($0, field) == 1 { print substr($0, length(field) + 1); exit }
	' "/proc/net/bonding/$1"
}

# lacp_proc_active BOND FIELD: a line of the "Active Aggregator Info" block
# (they start with a tab), or "none" when /proc says there is no active one.
lacp_proc_active() {
	awk -v field="	$2: " '
		/has no active aggregator$/ { print "none"; exit }
		index($0, field) == 1 { print substr($0, length(field) + 1); exit }
	' "/proc/net/bonding/$1"
}

# lacp_xstats DEV...: the 802.3ad link xstats, "name value" lines (with
# several DEVs, "DEV name value"). A bond gives the bond-wide counters, a
# slave its own. lacp_xstat DEV NAME: one of them.
lacp_xstats() { python3 "$LACP_TOOLS/bond_xstats.py" "$@"; }
lacp_xstat() { lacp_xstats "$1" | awk -v n="$2" '$1 == n { print $2 }'; }

# ---- teamd as the partner -------------------------------------------------------

_lacp_teams=()

# lacp_peer_team NAME PORT... [JSON]: in $TOPO_NS, the team device NAME
# run by teamd's lacp runner over the PORTs: active, fast rate, ethtool
# link watch, MAC $LACP_TEAM_MAC, with $PEER_IP4/24 and $PEER_IP6/64.
# JSON (an argument starting with "{") is merged into teamd's config
# (jq's recursive *), e.g. '{"runner": {"active": false}}'.
lacp_peer_team() {
	local name=$1 over='{}' ports=() conf p
	shift
	for p in "$@"; do
		if [[ $p == "{"* ]]; then over=$p; else ports+=("$p"); fi
	done
	conf=$(jq -n --arg dev "$name" --arg mac "$LACP_TEAM_MAC" --argjson over "$over" '
		{device: $dev, hwaddr: $mac,
		 runner: {name: "lacp", active: true, fast_rate: true,
			  tx_hash: ["eth", "ipv4", "ipv6"]},
		 link_watch: {name: "ethtool"},
		 ports: ($ARGS.positional | map({key: ., value: {}}) | from_entries)}
		* $over' --args "${ports[@]}") || fail "teamd config for $name ($over)"
	# The team driver takes only ports that are down; teamd sets them up.
	for p in "${ports[@]}"; do ip -n "$TOPO_NS" link set "$p" down; done
	mkdir -p /run/teamd
	echo "$conf" >"/run/teamd/$name.conf"
	# -d returns once the device and its ports are set up. teamd warns that it
	# "is not intended to be run as root": the VM has no other user.
	ip netns exec "$TOPO_NS" teamd -d -f "/run/teamd/$name.conf" 2>&1 |
		grep -v 'not intended to be run as root'
	[ -s "/run/teamd/$name.pid" ] || fail "teamd for $name did not start"
	_lacp_teams+=("$name")
	ip -n "$TOPO_NS" link set "$name" up
	ip -n "$TOPO_NS" addr add "$PEER_IP4/24" dev "$name"
	ip -n "$TOPO_NS" addr add "$PEER_IP6/64" dev "$name" nodad
}

# lacp_team_pid NAME: the teamd process of NAME.
lacp_team_pid() { _lacp_read "/run/teamd/$1.pid"; }

# lacp_peer_team_stop NAME: teamd quits (it deletes the device) and is gone.
lacp_peer_team_stop() {
	local pid
	pid=$(lacp_team_pid "$1")
	[ -z "$pid" ] || kill -CONT "$pid" 2>/dev/null	# a test may have stopped it
	ip netns exec "$TOPO_NS" teamd -t "$1" -k 2>/dev/null
	[ -z "$pid" ] || wait_for 10 eval "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null
	local t keep=()
	for t in "${_lacp_teams[@]}"; do [ "$t" = "$1" ] || keep+=("$t"); done
	_lacp_teams=("${keep[@]}")
}

# lacp_team_dump NAME: teamdctl's state dump (JSON). teamdctl must run in
# the device's namespace: it checks the device exists before it asks teamd.
lacp_team_dump() { ip netns exec "$TOPO_NS" teamdctl "$1" state dump; }

# lacp_team_port NAME PORT JQ: JQ applied to PORT's object of the dump, e.g.
# '.runner.selected' or '.runner.partner_lacpdu_info.state'.
lacp_team_port() { lacp_team_dump "$1" | jq -r --arg p "$2" ".ports[\$p] | $3"; }

# lacp_team_selected NAME PORT: "true" when teamd has PORT selected in its
# aggregator (and so transmits on it), "false" else.
lacp_team_selected() { lacp_team_port "$1" "$2" '.runner.selected // false'; }

# lacp_team_ports_selected NAME: "PORT=true|false ..." for every port.
lacp_team_ports_selected() {
	lacp_team_dump "$1" |
		jq -r '[.ports | to_entries[] | "\(.key)=\(.value.runner.selected // false)"] | join(" ")'
}

# ---- Open vSwitch as the partner --------------------------------------------------
# ovsdb-server and ovs-vswitchd of our own, with their database, sockets,
# pid files and logs in $OVS_RUNDIR (the VM's root is read-only; /run is
# not). ovs-vswitchd runs in $TOPO_NS, so its kernel datapath and ports are
# there.

export OVS_RUNDIR=/run/bt-ovs OVS_DBDIR=/run/bt-ovs OVS_LOGDIR=/run/bt-ovs OVS_SYSCONFDIR=/run/bt-ovs
_lacp_ovs=

# lacp_ovs CMD...: an OVS command (ovs-vsctl, ovs-appctl...) against our daemons.
lacp_ovs() { ip netns exec "$TOPO_NS" "$@"; }

# lacp_ovs_start: the two daemons, up and connected.
lacp_ovs_start() {
	modprobe openvswitch || skip "no openvswitch module"
	rm -rf "$OVS_RUNDIR"
	mkdir -p "$OVS_RUNDIR"
	ovsdb-tool create "$OVS_DBDIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema ||
		fail "ovsdb-tool create"
	_lacp_ovs=1
	lacp_ovs ovsdb-server --remote="punix:$OVS_RUNDIR/db.sock" --pidfile --detach \
		--log-file "$OVS_DBDIR/conf.db" 2>/dev/null || fail "ovsdb-server"
	lacp_ovs ovs-vsctl --no-wait init || fail "ovs-vsctl init"
	lacp_ovs ovs-vswitchd --pidfile --detach --log-file 2>/dev/null || fail "ovs-vswitchd"
}

# lacp_ovs_stop: both daemons exit (ovs-vswitchd first, removing its
# datapath and ports).
lacp_ovs_stop() {
	[ -n "$_lacp_ovs" ] || return 0
	lacp_ovs ovs-appctl -t ovs-vswitchd exit 2>/dev/null
	lacp_ovs ovs-appctl -t ovsdb-server exit 2>/dev/null
	_lacp_ovs=
}

# lacp_peer_ovs BRIDGE PORT... [COLUMN=VALUE...]: an OVS bridge BRIDGE with
# one bond port "BRIDGE-lag" over the PORTs: lacp=active,
# bond_mode=balance-tcp, other_config:lacp-time=fast, then COLUMN=VALUEs
# of the Port table on top (e.g. other_config:lacp-time=slow,
# bond_mode=balance-slb, lacp=passive). BRIDGE's own port holds the peer's
# addresses. The daemons must be running (lacp_ovs_start).
lacp_peer_ovs() {
	local br=$1 ports=() cols=() a
	shift
	for a in "$@"; do
		if [[ $a == *=* ]]; then cols+=("$a"); else ports+=("$a"); fi
	done
	lacp_ovs ovs-vsctl add-br "$br" -- add-bond "$br" "$br-lag" "${ports[@]}" \
		lacp=active bond_mode=balance-tcp other_config:lacp-time=fast \
		${cols[@]:+-- set port "$br-lag" "${cols[@]}"} || fail "OVS bond on $br"
	for a in "${ports[@]}"; do ip -n "$TOPO_NS" link set "$a" up; done
	ip -n "$TOPO_NS" link set "$br" up
	ip -n "$TOPO_NS" addr add "$PEER_IP4/24" dev "$br"
	ip -n "$TOPO_NS" addr add "$PEER_IP6/64" dev "$br" nodad
}

# lacp_ovs_lacp BRIDGE: `ovs-appctl lacp/show` of BRIDGE's bond.
# lacp_ovs_bond BRIDGE: `ovs-appctl bond/show` of it.
lacp_ovs_lacp() { lacp_ovs ovs-appctl lacp/show "$1-lag"; }
lacp_ovs_bond() { lacp_ovs ovs-appctl bond/show "$1-lag"; }

# lacp_ovs_member BRIDGE PORT: PORT's LACP status words from lacp/show,
# e.g. "current attached" (negotiated, in the LAG), "expired attached",
# "defaulted detached".
lacp_ovs_member() {
	lacp_ovs_lacp "$1" | sed -n "s/^member: $2: //p"
}

# lacp_ovs_field BRIDGE PORT FIELD: a line of PORT's block in lacp/show,
# e.g. "actor port_id", "partner key", "partner state" (words like
# "activity timeout aggregation synchronized collecting distributing").
lacp_ovs_field() {
	lacp_ovs_lacp "$1" | awk -v m="member: $2: " -v f="  $3: " '
		index($0, "member: ") == 1 { cur = (index($0, m) == 1); next }
		cur && index($0, f) == 1 { print substr($0, length(f) + 1); exit }'
}

# lacp_ovs_enabled BRIDGE PORT: "enabled" or "disabled" (bond/show): whether
# OVS transmits on PORT.
lacp_ovs_enabled() {
	lacp_ovs_bond "$1" | sed -n "s/^member $2: //p"
}

# lacp_ovs_status BRIDGE: the bond's lacp_status (negotiated, configured,
# off).
lacp_ovs_status() { lacp_ovs_bond "$1" | sed -n 's/^lacp_status: //p'; }

# lacp_ovs_all_in BRIDGE PORT...: every PORT is "current attached" and
# enabled on the OVS side.
lacp_ovs_all_in() {
	local br=$1 p lacp bond
	shift
	lacp=$(lacp_ovs_lacp "$br") bond=$(lacp_ovs_bond "$br")
	for p in "$@"; do
		grep -qx "member: $p: current attached" <<<"$lacp" || return 1
		grep -qx "member $p: enabled" <<<"$bond" || return 1
	done
}

# ---- captures and LACPDU decoding --------------------------------------------------

# lacp_cap_start NAME DEV: tcpdump of the slow-protocol frames (0x8809) on
# DEV into $CAP_DIR/NAME.pcap, until cap_stop_all (lib-topo.sh); returns
# once it listens. DEV is one of ours (a slave: it sees what the bond sends
# and receives) or, when there is no DEV here, the peer's in $TOPO_NS. DEV
# must be up, and stay up: tcpdump quits when its device goes down (a
# team port does while teamd takes it).
lacp_cap_start() {
	local pre=()
	link_exists "$2" || pre=(ip netns exec "$TOPO_NS")
	[ -n "$CAP_DIR" ] || CAP_DIR=$(mktemp -d)
	"${pre[@]}" tcpdump -U -n -i "$2" -w "$CAP_DIR/$1.pcap" ether proto 0x8809 \
		2>"$CAP_DIR/$1.err" &
	_cap_pids+=($!)
	wait_for 20 grep -q 'listening on' "$CAP_DIR/$1.err" || fail "tcpdump on $2 did not start"
}

# lacp_pdus NAME FILTER FIELD...: tshark's fields of the frames in NAME's
# capture that match the display FILTER, one frame a line, fields separated
# by a space (a field seen several times in a frame, like lacp.tlv_type,
# prints as a comma-separated list). Field names: `tshark -G fields`.
lacp_pdus() {
	local name=$1 filter=$2 f args=()
	shift 2
	for f in "$@"; do args+=(-e "$f"); done
	tshark -r "$CAP_DIR/$name.pcap" -Y "$filter" -T fields -E separator=' ' \
		"${args[@]}" 2>/dev/null
}

# ---- traffic -------------------------------------------------------------------------

# lacp_udp_flows DST N [DPORT]: N UDP datagrams to DST, each from its own
# source port (40000..), so that layer3+4 hashing spreads them.
lacp_udp_flows() {
	python3 - "$@" <<'PY'
import socket, sys
dst, n = sys.argv[1], int(sys.argv[2])
dport = int(sys.argv[3]) if len(sys.argv) > 3 else 9
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
for i in range(n):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind(("", 40000 + i))
    s.sendto(b"x" * 64, (dst, dport))
    s.close()
PY
}

# lacp_ping DST: two pings to DST get an answer within 5 s (quiet). A
# carrier that just came back lets packets through only once linkwatch has
# run (up to a second later): pings are repeated until then.
# lacp_ping_once DST: one ping, one second (for check_fails).
lacp_ping() { ping -c 2 -i 0.2 -w 5 "$1" >/dev/null 2>&1; }
lacp_ping_once() { ping -c 1 -W 1 "$1" >/dev/null 2>&1; }

# ---- cleanup -------------------------------------------------------------------------

# Peers go before the namespace: a teamd left running would keep its pid
# file, and the next test's team device of the same name would not start.
_lacp_cleanup() {
	local t
	cap_stop_all 2>/dev/null
	for t in "${_lacp_teams[@]}"; do lacp_peer_team_stop "$t"; done
	lacp_ovs_stop
}
trap '_lacp_cleanup; _cleanup' EXIT
