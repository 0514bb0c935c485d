#!/bin/bash
# Inside the VM: the benchmarks, ours and in-tree interleaved in one boot.
#   pps:      pktgen into bond0 over N dummy slaves (balance-rr,
#             active-backup, balance-xor with each xmit_hash_policy and
#             broadcast; N = 2 and 32), and into one dummy (the limit);
#             random UDP ports and destinations, so hashed flows spread
#   failover: an active-backup bond (miimon 100) under a 1 kHz ping loses
#             its active link: the bond's reaction time, the longest gap
#             between replies and the replies lost
#   lacp:     802.3ad over 2 and 32 veths against teamd's lacp runner: the
#             time to converge, pktgen pps, and (2 ports) the blackout of a
#             1 kHz ping when its port loses carrier (tests/bench/lacp.sh)
#   lb:       balance-tlb and balance-alb (tlb_dynamic_lb 1 and 0) over 2
#             and 32 veths: pktgen pps to many destination MACs and IPs,
#             the busiest slave's share of it, and (alb) of what 8 client
#             namespaces behind a bridge send to the bond (tests/bench/lb.sh)
# Each figure is the median of ROUNDS rounds; each round loads in-tree,
# measures, unloads, then does the same with ours. BENCH_ONLY (a list of
# pps, failover, lacp, lb; default all) narrows it; BENCH_LB_MODES (default
# balance-tlb:1 balance-tlb:0 balance-alb:1 balance-alb:0, MODE:DYN) the lb
# rows. A setup the module refuses shows as n/a.
ROUNDS=${BENCH_ROUNDS:-5}
ONLY=${BENCH_ONLY:-pps failover lacp lb}
only() { [[ " $ONLY " == *" $1 "* ]]; }
PKTS=${BENCH_PKTS:-300000}
PG=/proc/net/pktgen
. "$PROJ/tests/lib.sh"
. "$PROJ/tests/lib-topo.sh"
trap - EXIT
. "$PROJ/tests/bench/lacp.sh"
. "$PROJ/tests/bench/lb.sh"

load() {		# load IMPL [params]
	local impl=$1; shift
	if [ "$impl" = ours ]; then
		insmod "$BOND_KO" max_bonds=0 "$@"
	else
		modprobe -C /dev/null --ignore-install bonding max_bonds=0 "$@"
	fi
}

pg() { echo "$2" >"$PG/$1"; }

# pktgen_pps DEV [COUNT [CMD...]]: packets per second pktgen reaches sending
# into DEV; CMDs are more pktgen commands for DEV.
pktgen_pps() {
	pg kpktgend_0 "rem_device_all"
	pg kpktgend_0 "add_device $1"
	pg "$1" "count ${2:-$PKTS}"
	pg "$1" "pkt_size 60"
	pg "$1" "clone_skb 0"
	pg "$1" "delay 0"
	pg "$1" "dst_min 198.51.100.2"
	pg "$1" "dst_max 198.51.100.250"
	pg "$1" "flag IPDST_RND"
	pg "$1" "udp_src_min 1024"
	pg "$1" "udp_src_max 65000"
	pg "$1" "flag UDPSRC_RND"
	pg "$1" "dst_mac 02:00:00:00:00:02"
	local cmd
	for cmd in "${@:3}"; do pg "$1" "$cmd"; done
	pg pgctrl start
	sed -n 's/.* \([0-9]*\)pps.*/\1/p' "$PG/$1"
	pg kpktgend_0 "rem_device_all"
}

# pps_bond IMPL MODE[:POLICY] N
pps_bond() {
	local i mode=${2%%:*} policy=${2#*:} count=$PKTS
	[ "$policy" = "$2" ] && policy=layer2
	# broadcast sends N copies of each packet
	[ "$mode" = broadcast ] && count=$((PKTS * 2 / $3))
	load "$1" || return 1
	ip link add bond0 type bond mode "$mode" miimon 100 xmit_hash_policy "$policy"
	for ((i = 0; i < $3; i++)); do
		ip link add "d$i" type dummy
		ip link set "d$i" master bond0
	done
	ip link set bond0 up
	pktgen_pps bond0 "$count"
	ip link del bond0
	for ((i = 0; i < $3; i++)); do ip link del "d$i"; done
	rmmod bonding
}

pps_limit() {
	ip link add d0 type dummy
	ip link set d0 up
	pktgen_pps d0
	ip link del d0
}

# blackout IMPL: "GAP LOST REACT" while the active slave's link is cut
# (its veth peer set down in the peer namespace): the longest gap between
# replies of a 1 kHz ping (ms), the replies lost, and the bond's reaction
# (ms from the peer bridge port going down to the new active slave, from
# dmesg). Under TCG closing the veth alone takes ~15 ms, which both pay.
blackout() {
	local mark=bench-cut-$RANDOM cut
	load "$1" || return 1
	topo_bond bond0 2 mode active-backup miimon 100 >/dev/null
	wait_for 10 ping -c1 -W1 -q "$PEER_IP4" >/dev/null || { echo "- - -"; return 1; }
	ping -D -i 0.001 -w 3 "$PEER_IP4" >/tmp/ping.log 2>&1 &
	sleep 1.2
	echo "$mark" >/dev/kmsg
	cut=$(date +%s.%N)
	peer_cut "$(bond_opt bond0 active_slave | tr -dc 0-9)"
	wait
	# for tests/bench/plot.sh's timeline: the cut, then each reply
	{ echo "cut $cut"; cat /tmp/ping.log; } >"/run/vmout/failover-$1-$r.log"
	awk -F'[][]' '/bytes from/ { t = $2 * 1000; if (p && t - p > m) m = t - p; p = t }
		/packets transmitted/ { split($0, f, " "); lost = f[1] - f[4] }
		END { printf "%.1f %d ", m, lost }' /tmp/ping.log
	dmesg | sed -n "/$mark/,\$p" | awk -F'[][]' '
		/entered disabled state/ && !d { d = $2 }
		/new active one/ && !a { a = $2 }
		END { printf "%.1f\n", (a && d) ? (a - d) * 1000 : -1 }'
	ip link del bond0
	ip netns del "$TOPO_NS"
	ip link del veth0 2>/dev/null
	ip link del veth1 2>/dev/null
	rmmod bonding
}

# arp_failover IMPL: ms from the active slave's path going dead (its peer
# port leaves the bridge and stops answering ARP; carrier stays up) to the
# new active slave, with arp_interval 100, arp_missed_max 2, arp_validate
# active (from dmesg: the mark to "making interface the new active one").
arp_failover() {
	local mark=bench-arp-$RANDOM act
	load "$1" || return 1
	topo_bond bond0 2 mode active-backup arp_interval 100 arp_missed_max 2 \
		arp_ip_target "$PEER_IP4" arp_validate active >/dev/null
	wait_for 10 ping -c1 -W1 -q "$PEER_IP4" >/dev/null || { echo -1; return 1; }
	sleep 1
	act=$(bond_opt bond0 active_slave)
	echo "$mark" >/dev/kmsg
	ip -n "$TOPO_NS" link set "p${act#veth}" nomaster
	ip -n "$TOPO_NS" link set "p${act#veth}" arp off
	sleep 2
	dmesg | awk -v m="$mark" -F'[][]' '
		$0 ~ m { t = $2 }
		t && /new active one/ && !a { a = $2 }
		END { printf "%.0f\n", (t && a) ? (a - t) * 1000 : -1 }'
	ip link del bond0
	ip netns del "$TOPO_NS"
	ip link del veth0 2>/dev/null
	ip link del veth1 2>/dev/null
	rmmod bonding
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

modprobe pktgen || { echo "bench: no pktgen"; exit 1; }
grep -q '^bonding ' /proc/modules && rmmod bonding
declare -A res
MODES=${BENCH_MODES:-"balance-rr active-backup balance-xor:layer2 balance-xor:layer2+3
	balance-xor:layer3+4 balance-xor:encap2+3 balance-xor:encap3+4
	balance-xor:vlan+srcmac broadcast"}
only pps || MODES=
LB_MODES=${BENCH_LB_MODES:-"balance-tlb:1 balance-tlb:0 balance-alb:1 balance-alb:0"}
only lb || LB_MODES=
# the lb rows' links, for every round and both modules alike
[ -z "$LB_MODES" ] || lb_setup
for ((r = 1; r <= ROUNDS; r++)); do
	only pps && res[limit]+="$(pps_limit) "
	{ only lacp || only lb; } && res[vlimit]+="$(lacp_limit) "
	for impl in intree ours; do
		for mode in $MODES; do
			for n in 2 32; do
				res[$impl/$mode/$n]+="$(pps_bond $impl $mode $n) "
			done
		done
		if only failover; then
			read -r gap lost react <<<"$(blackout $impl)"
			res[$impl/gap]+="$gap "
			res[$impl/lost]+="$lost "
			res[$impl/react]+="$react "
			res[$impl/arp]+="$(arp_failover $impl) "
		fi
		if only lacp; then
			for n in 2 32; do
				read -r conv pps gap lost react <<<"$(lacp_bench $impl $n)"
				res[$impl/ad-conv/$n]+="$conv "
				res[$impl/ad-pps/$n]+="$pps "
				[ "$n" = 2 ] || continue
				res[$impl/ad-gap]+="$gap "
				res[$impl/ad-lost]+="$lost "
				res[$impl/ad-react]+="$react "
			done
		fi
		for mode in $LB_MODES; do
			for n in 2 32; do
				read -r pps txs rxs <<<"$(lb_bench $impl "$mode" $n)"
				res[$impl/lb-pps/$mode/$n]+="$pps "
				res[$impl/lb-tx/$mode/$n]+="$txs "
				[ "$mode" = balance-alb:1 ] && res[$impl/lb-rx/$n]+="$rxs "
			done
		done
	done
	echo "bench: round $r of $ROUNDS done" >&2
done
lb_teardown

med() { echo ${res[$1]} | tr ' ' '\n' | grep -v '^-' | median; }
na() { echo "${1:-n/a}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b != "") printf "%.2f", b / a; else print "-" }'; }
lim=$(med limit)
vlim=$(med vlimit)
printf '%-40s %12s %12s %8s %8s\n' "pktgen pps (median of $ROUNDS)" in-tree ours ratio "vs limit"
for mode in $MODES; do
	for n in 2 32; do
		a=$(echo ${res[intree/$mode/$n]} | tr ' ' '\n' | median)
		b=$(echo ${res[ours/$mode/$n]} | tr ' ' '\n' | median)
		printf '%-40s %12s %12s %8s %8s\n' "$mode, $n dummy slaves" "$a" "$b" \
			"$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a ? b / a : 0 }')" \
			"$(awk -v l="$lim" -v b="$b" 'BEGIN { printf "%.2f", l ? b / l : 0 }')"
	done
done
only pps && printf '%-40s %12s\n' "one dummy (the limit)" "$lim"
if only lacp; then
	for n in 2 32; do
		a=$(med intree/ad-pps/$n) b=$(med ours/ad-pps/$n)
		printf '%-40s %12s %12s %8s %8s\n' "802.3ad l3+4, $n veth slaves, teamd" "$a" "$b" \
			"$(ratio "$a" "$b")" "$(ratio "$vlim" "$b")"
	done
	printf '%-40s %12s\n' "one veth, peer drops (the limit)" "$vlim"
fi
if [ -n "$LB_MODES" ]; then
	for mode in $LB_MODES; do
		for n in 2 32; do
			a=$(med intree/lb-pps/$mode/$n) b=$(med ours/lb-pps/$mode/$n)
			printf '%-40s %12s %12s %8s %8s\n' "${mode%:*} dyn ${mode#*:}, $n veth slaves" \
				"$(na "$a")" "$(na "$b")" "$(ratio "$a" "$b")" "$(ratio "$vlim" "$b")"
		done
	done
	only lacp || printf '%-40s %12s\n' "one veth, peer drops (the limit)" "$vlim"
	printf '%-40s %12s %12s\n' "busiest slave's share of pktgen" in-tree ours
	for mode in $LB_MODES; do
		for n in 2 32; do
			a=$(med intree/lb-tx/$mode/$n) b=$(med ours/lb-tx/$mode/$n)
			printf '%-40s %12s %12s\n' "${mode%:*} dyn ${mode#*:}, $n (even $(awk -v n=$n 'BEGIN { printf "%.3f", 1 / n }'))" \
				"$(na "$a")" "$(na "$b")"
		done
	done
	if [[ " $LB_MODES " == *" balance-alb:1 "* ]]; then
		printf '%-40s %12s %12s\n' "alb rx, $LB_CLIENTS clients: busiest's share" in-tree ours
		for n in 2 32; do
			a=$(med intree/lb-rx/$n) b=$(med ours/lb-rx/$n)
			printf '%-40s %12s %12s\n' "$n slaves (best $(awk -v n=$n -v c="$LB_CLIENTS" \
				'BEGIN { k = int((c + n - 1) / n); printf "%.3f", k / c }'))" "$(na "$a")" "$(na "$b")"
		done
	fi
fi
only failover &&
for k in react gap lost arp; do
	a=$(echo ${res[intree/$k]} | tr ' ' '\n' | median)
	b=$(echo ${res[ours/$k]} | tr ' ' '\n' | median)
	case $k in
	react)	what="failover: reaction, ms" ;;
	gap)	what="failover: longest reply gap, ms" ;;
	lost)	what="failover: replies lost at 1 kHz" ;;
	arp)	what="ARP target dead -> failover, ms" ;;
	esac
	printf '%-40s %12s %12s\n' "$what" "$a" "$b"
done
if only lacp; then
	for k in conv/2 conv/32 react gap lost; do
		case $k in
		conv/*)	what="802.3ad: ${k#*/} ports distributing, ms" ;;
		react)	what="802.3ad cut: MII 'definitely down', ms" ;;
		gap)	what="802.3ad cut: longest reply gap, ms" ;;
		lost)	what="802.3ad cut: replies lost at 1 kHz" ;;
		esac
		a=$(med intree/ad-$k) b=$(med ours/ad-$k)
		printf '%-40s %12s %12s %8s\n' "$what" "$a" "$b" "$(ratio "$a" "$b")"
	done
fi
echo "raw: $(for k in "${!res[@]}"; do echo "$k=[${res[$k]}]"; done | sort | tr '\n' ' ')"
