# The 802.3ad rows of make bench; sourced by guest.sh (which has load,
# pktgen_pps, lib.sh and lib-topo.sh).
#
# The picture: bond0 (mode 802.3ad, miimon 100, lacp_rate fast,
# xmit_hash_policy layer3+4) over veth0..vethN-1; their peers p0..pN-1 in
# $TOPO_NS are the ports of teamd's lacp runner (active, fast rate), an LACP
# partner that does not depend on the bonding module loaded. One setup per
# IMPL and N gives three figures:
#   converge: ms from `ip link set bond0 up` (teamd already running, so both
#             ends of every link are up) until every slave is collecting and
#             distributing in the active aggregator, by sysfs
#             ad_actor_oper_port_state polled every 10 ms (no fork per poll);
#             most of it is 802.3ad's 2 s wait before an aggregator is chosen
#   pps:      pktgen into bond0, random UDP source ports and destinations;
#             the peer ends drop IPv4 at tc ingress (before the team device),
#             so the peer's receive path costs little; LACPDUs (0x8809) pass;
#             compared with pktgen into one such veth without a bond
#   blackout: (N = 2) a 1 kHz ping to the team device whose requests
#             leave by one slave and whose replies come back by the other;
#             the slave whose tx counter grows is cut (its peer end set
#             down): the longest gap between replies, the replies lost, and
#             ms from just before the cut to that slave's MII "link status
#             definitely down" line (both drivers stop sending by a port as
#             its carrier goes, before the MII monitor notes it)
# A setup whose LACP does not hold (a slave not distributing after pktgen,
# teamd not selecting every port, a slave that pktgen traffic missed) says so
# on stderr.

LACP_TEAM=team0

# _lacp_sleep: 10 ms without a fork (a read that times out on a fifo no one
# writes).
_lacp_sleep() { read -r -t 0.01 -u "$_lacp_fd"; }
mkfifo /tmp/bench-lacp.fifo 2>/dev/null
exec {_lacp_fd}<>/tmp/bench-lacp.fifo

# _lacp_all_dist N: veth0..veth(N-1) are all collecting+distributing, in the
# active aggregator (builtin reads only).
_lacp_all_dist() {
	local i v a agg=
	read -r agg </sys/class/net/bond0/bonding/ad_aggregator 2>/dev/null
	[[ $agg =~ ^[1-9][0-9]*$ ]] || return 1
	for ((i = 0; i < $1; i++)); do
		read -r v </sys/class/net/veth$i/bonding_slave/ad_actor_oper_port_state 2>/dev/null
		[[ $v =~ ^[0-9]+$ ]] && (((v & 0x30) == 0x30)) || return 1
		read -r a </sys/class/net/veth$i/bonding_slave/ad_aggregator_id 2>/dev/null
		[ "$a" = "$agg" ] || return 1
	done
}

# _lacp_teamd N: teamd's lacp runner over p0..p(N-1) in $TOPO_NS, team
# device $LACP_TEAM with $PEER_IP4/24.
_lacp_teamd() {
	local i ports=
	for ((i = 0; i < $1; i++)); do ports+="${ports:+,}\"p$i\": {}"; done
	mkdir -p /run/teamd
	cat >/run/teamd/$LACP_TEAM.conf <<-EOF
	{"device": "$LACP_TEAM", "hwaddr": "02:00:00:00:02:00",
	 "runner": {"name": "lacp", "active": true, "fast_rate": true,
		    "tx_hash": ["eth", "ipv4", "ipv6"]},
	 "link_watch": {"name": "ethtool"},
	 "ports": {$ports}}
	EOF
	ip netns exec "$TOPO_NS" teamd -d -f /run/teamd/$LACP_TEAM.conf 2>&1 |
		grep -v 'not intended to be run as root' >&2
	[ -s /run/teamd/$LACP_TEAM.pid ] || { echo "bench: teamd did not start" >&2; return 1; }
	ip -n "$TOPO_NS" link set "$LACP_TEAM" up
	ip -n "$TOPO_NS" addr add "$PEER_IP4/24" dev "$LACP_TEAM"
}

_lacp_teamd_stop() {
	local pid
	read -r pid </run/teamd/$LACP_TEAM.pid 2>/dev/null
	ip netns exec "$TOPO_NS" teamd -t "$LACP_TEAM" -k 2>/dev/null
	[ -z "$pid" ] || wait_for 10 eval "! kill -0 $pid 2>/dev/null" || kill -9 "$pid" 2>/dev/null
}

# _lacp_filter add|del N: the peer ends drop IPv4 at ingress (or no more).
_lacp_filter() {
	local i
	for ((i = 0; i < $2; i++)); do
		if [ "$1" = add ]; then
			echo "qdisc add dev p$i clsact"
			echo "filter add dev p$i ingress protocol ip pref 1 matchall action drop"
		else
			echo "qdisc del dev p$i clsact"
		fi
	done | tc -n "$TOPO_NS" -batch -
}

# _lacp_tx N: the slaves' tx_packets, space-separated.
_lacp_tx() {
	local i v out=
	for ((i = 0; i < $1; i++)); do
		read -r v </sys/class/net/veth$i/statistics/tx_packets
		out+="$v "
	done
	echo "$out"
}

# _lacp_rx N: the slaves' rx_packets, space-separated.
_lacp_rx() {
	local i v out=
	for ((i = 0; i < $1; i++)); do
		read -r v </sys/class/net/veth$i/statistics/rx_packets
		out+="$v "
	done
	echo "$out"
}

# _lacp_ping_ports ID: "TX RX", the slaves by which 20 pings with ICMP id
# ID leave and their replies arrive (the one whose counter grew most).
_lacp_ping_ports() {
	local a b c d
	a=($(_lacp_tx 2)) c=($(_lacp_rx 2))
	ping -e "$1" -c 20 -i 0.005 -q "$PEER_IP4" >/dev/null
	b=($(_lacp_tx 2)) d=($(_lacp_rx 2))
	echo "$(((b[1] - a[1]) > (b[0] - a[0]))) $(((d[1] - c[1]) > (d[0] - c[0])))"
}

# _lacp_blackout: "GAP LOST REACT" (see the top), on the 2-slave setup.
# teamd hashes its replies to one port whatever the ICMP id; layer3+4
# hashes our requests by it. The ping gets an id whose requests leave by the
# other port, so the cut stops our requests and not teamd's replies (whose
# recovery would be teamd's).
_lacp_blackout() {
	local mark=bench-lacp-cut-$RANDOM a b c k id tx rx
	wait_for 10 ping -c1 -W1 -q "$PEER_IP4" >/dev/null || { echo "- - -"; return 1; }
	for ((id = 1; id <= 16; id++)); do
		read -r tx rx <<<"$(_lacp_ping_ports $id)"
		[ "$tx" != "$rx" ] && break
	done
	[ "$tx" != "$rx" ] || echo "bench: 802.3ad blackout: all ids hash to teamd's reply port" >&2
	ping -e "$id" -D -i 0.001 -w 3 "$PEER_IP4" >/tmp/ping-lacp.log 2>&1 &
	sleep 0.5
	a=($(_lacp_tx 2))
	sleep 0.3
	b=($(_lacp_tx 2))
	k=0
	(((b[1] - a[1]) > (b[0] - a[0]))) && k=1
	c=$((b[k] - a[k]))
	[ $c -ge 100 ] && [ $k = "$tx" ] ||
		echo "bench: 802.3ad blackout: ping id $id left by veth$k ($c in 0.3 s), probed veth$tx" >&2
	echo "$mark" >/dev/kmsg
	ip -n "$TOPO_NS" link set "p$k" down
	wait
	awk -F'[][]' '/bytes from/ { t = $2 * 1000; if (p && t - p > m) m = t - p; p = t }
		/packets transmitted/ { split($0, f, " "); lost = f[1] - f[4] }
		END { printf "%.1f %d ", m, lost }' /tmp/ping-lacp.log
	dmesg | sed -n "/$mark/,\$p" | awk -F'[][]' -v s="veth$k" '
		NR == 1 { t = $2 }
		index($0, s) && /link status definitely down/ && !d { d = $2 }
		END { printf "%.1f\n", d ? (d - t) * 1000 : -1 }'
}

# lacp_bench IMPL N: "CONVERGE PPS [GAP LOST REACT]" (the last three when
# N is 2).
lacp_bench() {
	local impl=$1 n=$2 i t0 conv pps tx0 tx1 sel miss
	load "$impl" || return 1
	ip netns add "$TOPO_NS"
	ip -n "$TOPO_NS" link set lo up
	# the peer ends get no IPv6 (no MLD, no router solicitations)
	ip netns exec "$TOPO_NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	for ((i = 0; i < n; i++)); do
		ip link add "veth$i" address "$(printf '02:00:00:00:0a:%02x' "$i")" type veth \
			peer name "p$i" address "$(printf '02:00:00:00:01:%02x' "$i")" netns "$TOPO_NS"
	done
	_lacp_teamd "$n"
	ip link add bond0 type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
	for ((i = 0; i < n; i++)); do ip link set "veth$i" master bond0; done
	ip addr add "$BOND_IP4/24" dev bond0
	t0=${EPOCHREALTIME/./}
	ip link set bond0 up
	until _lacp_all_dist "$n"; do
		(((${EPOCHREALTIME/./} - t0) < 60000000)) || break
		_lacp_sleep
	done
	conv=$(((${EPOCHREALTIME/./} - t0) / 1000))
	if _lacp_all_dist "$n"; then
		printf '%s ' "$conv"
		_lacp_filter add "$n"
		tx0=($(_lacp_tx "$n"))
		pps=$(pktgen_pps bond0)
		tx1=($(_lacp_tx "$n"))
		printf '%s ' "$pps"
		miss=
		for ((i = 0; i < n; i++)); do
			((tx1[i] - tx0[i] > 0)) || miss+=" veth$i"
		done
		[ -z "$miss" ] || echo "bench: $impl 802.3ad/$n: no pktgen traffic left by$miss" >&2
		_lacp_all_dist "$n" || echo "bench: $impl 802.3ad/$n: not all distributing after pktgen" >&2
		sel=$(ip netns exec "$TOPO_NS" teamdctl "$LACP_TEAM" state dump |
			jq '[.ports[] | select(.runner.selected == true)] | length')
		[ "$sel" = "$n" ] || echo "bench: $impl 802.3ad/$n: teamd selects $sel ports after pktgen" >&2
		if [ "$n" = 2 ]; then
			_lacp_filter del "$n"
			_lacp_blackout
		else
			echo
		fi
	else
		echo "bench: $impl 802.3ad/$n: not all distributing after ${conv} ms" >&2
		echo "- - - - -"
	fi
	_lacp_teamd_stop
	ip link del bond0
	ip netns del "$TOPO_NS"
	for ((i = 0; i < n; i++)); do ip link del "veth$i" 2>/dev/null; done
	rmmod bonding
}

# lacp_limit: pktgen into one veth whose peer drops IPv4 at tc ingress (no
# bond): what the 802.3ad pps rows compare with.
lacp_limit() {
	ip netns add "$TOPO_NS"
	ip link add veth0 type veth peer name p0 netns "$TOPO_NS"
	ip -n "$TOPO_NS" link set p0 up
	ip link set veth0 up
	_lacp_filter add 1
	pktgen_pps veth0
	ip netns del "$TOPO_NS"
	ip link del veth0 2>/dev/null
}
