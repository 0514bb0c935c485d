# The balance-tlb and balance-alb rows of make bench; sourced by guest.sh
# (which has load, pktgen_pps, lib.sh and lib-topo.sh).
#
# The picture: bond0 over lb0..lb(N-1), veths whose peers q0..q(N-1) are
# ports of br0 in $LB_NS, beside LB_CLIENTS clients: namespaces bt-lbc1..,
# each with eth0 192.0.2.(10+C)/24, its peer cC a port of br0 (a switch in
# front of the bond: it learns where each slave's MAC is). No IPv6 anywhere,
# so no multicast chatter in the counters. The links are made once, before
# the first round (lb_setup, 32 veths), and outlive the module loads; each
# setup enslaves the first N. Fixed MACs: lbI 02:00:00:00:0b:II, qI
# 02:00:00:00:0d:II, client C 02:00:00:00:0c:CC (hex).
#
# One setup per IMPL, MODE (balance-tlb or balance-alb), tlb_dynamic_lb (1
# or 0) and N (2 or 32): bond0 with miimon 100 and xmit_hash_policy layer2.
#   pps:    pktgen into bond0 to 250 random destination MACs, random IPs and
#           UDP source ports, so that tlb's layer2 hash and alb's IP hash
#           spread; the peer ports drop IPv4 at tc ingress (before br0), as
#           the 802.3ad rows' peers do, and it compares with the same
#           limit (one such veth, no bond). Also the busiest slave's share
#           of what pktgen sent (1/N is even). With tlb_dynamic_lb 1,
#           in-tree gives each new flow the slave least loaded by the loads
#           it measured at the last rebalance (every 10 s), so a shorter run
#           goes by one slave; BENCH_LB_WARM=S sends for S seconds (12 is
#           past the first rebalance) before the run that counts.
#   spread: (balance-alb, tlb_dynamic_lb 1) each client pings the bond,
#           once to resolve ARP, then LB_PINGS times at 5 ms: the busiest
#           slave's share of the packets the slaves received meanwhile.
#           alb answers each client's ARP with one slave's MAC, so the best
#           is ceil(C/N)/C; tlb (all receive on the active slave) would be 1.
#           The bond does not probe its neighbours meanwhile (see lb_bench).
# A mode or option the module refuses gives "-" (n/a in the table); a setup
# whose slaves do not all come up, or a slave that pktgen missed, says so on
# stderr.

LB_NS=bt-lb
LB_MAX=32
LB_CLIENTS=${BENCH_LB_CLIENTS:-8}
LB_PINGS=${BENCH_LB_PINGS:-200}
LB_WARM=${BENCH_LB_WARM:-0}
_lb_ready=

# lb_setup: the peer namespace with br0, lb0..lb31/q0..q31 and the clients
# (in the main shell, before lb_bench, which runs in a subshell).
lb_setup() {
	local i c v6
	[ -z "$_lb_ready" ] || return 0
	v6=$(sysctl -n net.ipv6.conf.default.disable_ipv6)
	sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip netns add "$LB_NS"
	ip netns exec "$LB_NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv6.conf.all.disable_ipv6=1
	for ((c = 1; c <= LB_CLIENTS; c++)); do
		ip netns add "bt-lbc$c"
		ip netns exec "bt-lbc$c" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
			net.ipv6.conf.all.disable_ipv6=1
	done
	for ((i = 0; i < LB_MAX; i++)); do
		printf 'link add lb%d address 02:00:00:00:0b:%02x type veth peer name q%d address 02:00:00:00:0d:%02x netns %s\n' \
			"$i" "$i" "$i" "$i" "$LB_NS"
	done | ip -batch -
	sysctl -qw net.ipv6.conf.default.disable_ipv6="$v6"
	{
		echo "link set lo up"
		echo "link add br0 type bridge forward_delay 0 mcast_snooping 0"
		echo "link set br0 up"
		for ((i = 0; i < LB_MAX; i++)); do echo "link set q$i master br0 up"; done
		for ((c = 1; c <= LB_CLIENTS; c++)); do
			printf 'link add c%d type veth peer name eth0 address 02:00:00:00:0c:%02x netns bt-lbc%d\n' \
				"$c" "$c" "$c"
			echo "link set c$c master br0 up"
		done
	} | ip -n "$LB_NS" -batch -
	for ((c = 1; c <= LB_CLIENTS; c++)); do
		ip -n "bt-lbc$c" addr add "192.0.2.$((10 + c))/24" dev eth0
		ip -n "bt-lbc$c" link set eth0 up
	done
	_lb_ready=1
}

lb_teardown() {
	local i c
	[ -n "$_lb_ready" ] || return 0
	for ((c = 1; c <= LB_CLIENTS; c++)); do ip netns del "bt-lbc$c"; done
	ip netns del "$LB_NS"
	for ((i = 0; i < LB_MAX; i++)); do ip link del "lb$i" 2>/dev/null; done
	_lb_ready=
}

# _lb_filter add|del N: q0..q(N-1) drop IPv4 at ingress (or no more).
_lb_filter() {
	local i
	for ((i = 0; i < $2; i++)); do
		if [ "$1" = add ]; then
			echo "qdisc add dev q$i clsact"
			echo "filter add dev q$i ingress protocol ip pref 1 matchall action drop"
		else
			echo "qdisc del dev q$i clsact"
		fi
	done | tc -n "$LB_NS" -batch -
}

# _lb_stat FILE N: the slaves' statistics/FILE, space-separated.
_lb_stat() {
	local i v out=
	for ((i = 0; i < $2; i++)); do
		read -r v <"/sys/class/net/lb$i/statistics/$1"
		out+="$v "
	done
	echo "$out"
}

# _lb_share "BEFORE" "AFTER": the largest difference's share of their sum
# (- when nothing moved); on stderr, LABEL: the slaves that got nothing.
_lb_share() {
	awk -v a="$1" -v b="$2" -v label="$3" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= n; i++) {
			d = y[i] - x[i]; s += d
			if (d > m) m = d
			if (d <= 0) miss = miss " lb" (i - 1)
		}
		if (miss != "" && label != "") printf "bench: %s: nothing on%s\n", label, miss > "/dev/stderr"
		if (s > 0) printf "%.3f\n", m / s; else print "-"
	}'
}

# _lb_all_up N: lb0..lb(N-1) are all up as the bond's slaves.
_lb_all_up() {
	local i v
	for ((i = 0; i < $1; i++)); do
		read -r v </sys/class/net/lb$i/bonding_slave/mii_status 2>/dev/null
		[ "$v" = up ] || return 1
	done
}

# lb_bench IMPL MODE:DYN N: "PPS TXSHARE RXSHARE" (RXSHARE - but for
# balance-alb with tlb_dynamic_lb 1), or "- - -" when the module refuses
# the setup.
lb_bench() {
	local impl=$1 mode=${2%%:*} dyn=${2#*:} n=$3 i c tx0 tx1 rx0 rx1 pps txs rxs=- err
	local label="$impl $mode dyn $dyn/$n"
	load "$impl" || { echo "- - -"; return 1; }
	if ! err=$(ip link add bond0 type bond mode "$mode" miimon 100 tlb_dynamic_lb "$dyn" 2>&1); then
		echo "bench: $label: n/a (${err//$'\n'/ })" >&2
		rmmod bonding
		echo "- - -"
		return 0
	fi
	# no ARP probe from the bond while the clients send: in-tree's answer
	# to its own ARP request is to move every client to the active slave
	# for a while (the clients learn its MAC from the request)
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1 net.ipv4.neigh.bond0.delay_first_probe_time=60
	for ((i = 0; i < n; i++)); do echo "link set lb$i master bond0"; done | ip -batch - ||
		echo "bench: $label: enslaving failed" >&2
	ip addr add "$BOND_IP4/24" dev bond0
	ip link set bond0 up
	wait_for 10 _lb_all_up "$n" || echo "bench: $label: not all slaves up after 10 s" >&2
	_lb_filter add "$n"
	if [ "$dyn" = 1 ] && [ "$LB_WARM" -gt 0 ]; then
		local end=$((SECONDS + LB_WARM))
		while [ $SECONDS -lt $end ]; do
			pktgen_pps bond0 50000 "dst_mac_count 250" "flag MACDST_RND" >/dev/null
		done
	fi
	tx0=$(_lb_stat tx_packets "$n")
	pps=$(pktgen_pps bond0 "$PKTS" "dst_mac_count 250" "flag MACDST_RND")
	tx1=$(_lb_stat tx_packets "$n")
	txs=$(_lb_share "$tx0" "$tx1" "$label pktgen")
	_lb_filter del "$n"
	if [ "$mode:$dyn" = balance-alb:1 ]; then
		for ((c = 1; c <= LB_CLIENTS; c++)); do
			ip netns exec "bt-lbc$c" ping -c 2 -i 0.2 -W 1 -q "$BOND_IP4" >/dev/null &
		done
		wait
		rx0=$(_lb_stat rx_packets "$n")
		for ((c = 1; c <= LB_CLIENTS; c++)); do
			ip netns exec "bt-lbc$c" ping -c "$LB_PINGS" -i 0.005 -W 1 -q "$BOND_IP4" >/tmp/bench-lb-c$c.log 2>&1 &
		done
		wait
		rx1=$(_lb_stat rx_packets "$n")
		rxs=$(_lb_share "$rx0" "$rx1")
		for ((c = 1; c <= LB_CLIENTS; c++)); do
			grep -q ' 0% packet loss' /tmp/bench-lb-c$c.log ||
				echo "bench: $label: client $c: $(grep 'packet loss' /tmp/bench-lb-c$c.log)" >&2
		done
	fi
	echo "${pps:--} ${txs:--} $rxs"
	ip link del bond0
	rmmod bonding
	# the slaves' own MACs back, whatever the release left
	for ((i = 0; i < n; i++)); do
		[ "$(cat /sys/class/net/lb$i/address)" = "$(printf '02:00:00:00:0b:%02x' "$i")" ] && continue
		echo "bench: $label: lb$i left with $(cat /sys/class/net/lb$i/address)" >&2
		ip link set "lb$i" address "$(printf '02:00:00:00:0b:%02x' "$i")"
	done
	for ((c = 1; c <= LB_CLIENTS; c++)); do ip -n "bt-lbc$c" neigh flush dev eth0; done
	ip -n "$LB_NS" link set br0 type bridge fdb_flush
}
