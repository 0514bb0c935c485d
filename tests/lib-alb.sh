#!/bin/bash
# balance-tlb (mode 5) and balance-alb (mode 6) helpers for the tlb-* and
# alb-* tests; source after lib.sh and lib-topo.sh:
#   . "$(dirname "$0")/../lib.sh"
#   . "$(dirname "$0")/../lib-topo.sh"
#   . "$(dirname "$0")/../lib-alb.sh"
#
# The picture: bond0 here over veth0..vethN-1, their peers pI ports of br0 in
# $TOPO_NS as in lib-topo.sh, and beside them on br0 the clients: namespaces
# bt-c1..bt-cM, each with eth0 192.0.2.(10+C)/24 whose peer cC is a port of
# br0. The bridge learns where each MAC lives, so a frame to a slave's MAC
# leaves by that slave's port only: what a switch in front of a tlb/alb bond
# does, and what makes the receive side observable per slave.
#
# Fixed MACs: vethI 02:00:00:00:00:aI (the bond takes veth0's unless told
# otherwise), client C's eth0 02:00:00:00:0c:CC (CC in hex). No IPv6 on the
# bond or the clients: their multicast chatter would blur the per-slave
# counters.
#
# The readers use the shell's own `read` where they can: under TCG every
# process costs, and the tests sample while traffic runs.
#
# (A file of its own rather than more of lib-topo.sh: make check keys each
# test's in-tree record on the tests/lib-*.sh files it sources, but on
# lib-topo.sh for every test.)

alb_client_ip() { echo "192.0.2.$((10 + $1))"; }
alb_client_mac() { printf '02:00:00:00:0c:%02x' "$1"; }
ALB_CLIENTS=0

# alb_veth I [MAC]: vethI (here, down) / pI (a port of br0 there), vethI with
# 02:00:00:00:00:aI or MAC.
alb_veth() { topo_veth "veth$1" "p$1" "${2:-02:00:00:00:00:a$1}"; }

# alb_topo BOND MODE SLAVES CLIENTS [OPTIONS...]: the peer namespace, BOND
# (`ip link add BOND type bond mode MODE miimon 100 OPTIONS`) over SLAVES
# veths enslaved in order, up with $BOND_IP4/24 and no IPv6, and CLIENTS
# clients. Returns once every slave's link is up and an active slave is
# chosen.
alb_topo() {
	local bond=$1 mode=$2 n=$3 m=$4 i
	shift 4
	topo_peer_ns
	ip link add "$bond" type bond mode "$mode" miimon 100 "$@" ||
		fail "ip link add $bond type bond mode $mode miimon 100 $*"
	# No IPv6 here. And the bond's neighbour entries wait a minute before
	# probing: a probe is a unicast ARP request with the bond's MAC as
	# sender, which points its client at the active slave until alb's
	# update (2 s later) points it back, and would blur the windows the
	# tests measure in. (A request from the bond is a case of its own.)
	sysctl -qw "net.ipv6.conf.$bond.disable_ipv6=1" \
		"net.ipv4.neigh.$bond.delay_first_probe_time=60"
	for ((i = 0; i < n; i++)); do
		alb_veth $i
		ip link set "veth$i" master "$bond" || fail "enslave veth$i"
	done
	ip link set "$bond" up || fail "$bond up"
	ip addr add "$BOND_IP4/24" dev "$bond"
	for ((i = 1; i <= m; i++)); do
		alb_client $i
	done
	alb_settle "$bond" 10 || fail "$bond: slaves not up, or no active slave"
}

# alb_client C: client C (see above), up. Few processes (batches of ip
# commands). No IPv6 link-local address (addrgenmode none): no DAD, router
# solicitation or MLD report from the client or its bridge port.
alb_client() {
	local c=$1 ns=bt-c$1
	ip netns add "$ns" || fail "ip netns add $ns"
	_netns+=("$ns")
	ip -n "$TOPO_NS" link add "c$c" type veth peer name eth0 \
		address "$(alb_client_mac "$c")" netns "$ns" || fail "client $c veth"
	printf '%s\n' "link set lo up" "link set eth0 addrgenmode none" \
		"addr add $(alb_client_ip "$c")/24 dev eth0" "link set eth0 up" |
		ip -n "$ns" -b - || fail "client $c setup"
	printf '%s\n' "link set c$c addrgenmode none" "link set c$c master br0 up" |
		ip -n "$TOPO_NS" -b - || fail "c$c into br0"
	((c > ALB_CLIENTS)) && ALB_CLIENTS=$c
}

# alb_settle BOND SECONDS: every slave's MII status up and an active slave.
_alb_settled() {
	local s v
	read -r v <"/sys/class/net/$1/bonding/active_slave"
	[ -n "$v" ] || return 1
	read -r -a v <"/sys/class/net/$1/bonding/slaves"
	for s in "${v[@]}"; do
		read -r v <"/sys/class/net/$s/bonding_slave/mii_status"
		[ "$v" = up ] || return 1
	done
}
alb_settle() { wait_for "$2" _alb_settled "$1"; }

# ---- readers -----------------------------------------------------------------

# rd FILE: the first line of FILE, without a process.
rd() {
	local v=
	read -r v <"$1" 2>/dev/null
	echo "$v"
}
rx_packets() { rd "/sys/class/net/$1/statistics/rx_packets"; }
txp() { rd "/sys/class/net/$1/statistics/tx_packets"; }
slaves_of() { rd "/sys/class/net/$1/bonding/slaves"; }
active_of() { rd "/sys/class/net/$1/bonding/active_slave"; }
mac_of() { rd "/sys/class/net/$1/address"; }

# slave_with_mac BOND MAC: the slave of BOND whose current MAC is MAC, or "-".
slave_with_mac() {
	local s m
	for s in $(slaves_of "$1"); do
		read -r m <"/sys/class/net/$s/address"
		[ "$m" = "$2" ] && { echo "$s"; return; }
	done
	echo -
}

# client_neigh C: the MAC client C holds for $BOND_IP4 ("" when none).
client_neigh() {
	local out
	out=$(ip -n "bt-c$1" neigh show "$BOND_IP4" dev eth0)
	[[ $out =~ lladdr\ ([0-9a-f:]+) ]] && echo "${BASH_REMATCH[1]}"
}

# clients_slaves BOND: for every client, the slave whose MAC it holds for
# $BOND_IP4 ("-" when none of them), space-separated in client order.
clients_slaves() {
	local c out=
	for ((c = 1; c <= ALB_CLIENTS; c++)); do
		out+="$(slave_with_mac "$1" "$(client_neigh $c)") "
	done
	echo "${out% }"
}

# distinct WORD...: how many distinct words.
distinct() { printf '%s\n' "$@" | sort -u | wc -l; }

# macs_sane BOND: the slaves' current MACs are pairwise distinct, and the
# bond's MAC is the active slave's and no other slave's (with no active
# slave: no slave's). Prints what is wrong and returns 1.
macs_sane() {
	local bond=$1 s m act bmac seen=" "
	act=$(active_of "$bond")
	bmac=$(mac_of "$bond")
	for s in $(slaves_of "$bond"); do
		m=$(mac_of "$s")
		[[ $seen == *" $m "* ]] && { echo "$s: $m is another slave's too"; return 1; }
		seen+="$m "
		if [ "$s" = "$act" ]; then
			[ "$m" = "$bmac" ] || { echo "active $s has $m, the bond $bmac"; return 1; }
		else
			[ "$m" != "$bmac" ] || { echo "inactive $s has the bond's $bmac"; return 1; }
		fi
	done
}

# macs_show BOND: "bond=MAC active=S s=MAC..." for messages.
macs_show() {
	local s out
	out="bond=$(mac_of "$1") active=$(active_of "$1")"
	for s in $(slaves_of "$1"); do out+=" $s=$(mac_of "$s")"; done
	echo "$out"
}

# ---- traffic -----------------------------------------------------------------

# clients_ping_start ARGS...: every client pings $BOND_IP4 with `ping -D
# ARGS` in the background, into $ALB_PING_DIR/C; clients_ping_stop ends
# them (SIGINT: each prints its summary).
_alb_ping_pids=()
clients_ping_start() {
	local c
	[ -n "$ALB_PING_DIR" ] || ALB_PING_DIR=$(mktemp -d)
	for ((c = 1; c <= ALB_CLIENTS; c++)); do
		ip netns exec "bt-c$c" ping -D "$@" "$BOND_IP4" >"$ALB_PING_DIR/$c" 2>&1 &
		_alb_ping_pids+=($!)
	done
}
clients_ping_stop() {
	local p
	for p in "${_alb_ping_pids[@]}"; do kill -INT "$p" 2>/dev/null; done
	for p in "${_alb_ping_pids[@]}"; do wait "$p"; done
	_alb_ping_pids=()
}

# ping_gap FILE FROM_MS TO_MS: the longest time in ms without a reply in the
# `ping -D` output FILE between FROM_MS and TO_MS (epoch times in ms): from
# the last reply before FROM_MS to the first after TO_MS, or the end.
ping_gap() {
	awk -F'[][]' -v from="$2" -v to="$3" '
		/bytes from/ {
			t = $2 * 1000
			if (t >= from && p && t - p > max) max = t - p
			p = t
			if (t > to) exit
		}
		END { printf "%d\n", max }' "$1"
}
# ping_last FILE: the epoch time in ms of the last reply in FILE.
ping_last() {
	awk -F'[][]' '/bytes from/ { t = $2 * 1000 } END { printf "%.0f\n", t }' "$1"
}
# ping_replies FILE: how many replies FILE holds.
ping_replies() { grep -c 'bytes from' "$1"; }
# epoch_ms: the wall clock in ms (ping -D's clock).
epoch_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# rlb_table BOND: debugfs' rlb_hash_table of BOND, when the module has one
# (in-tree builds it only without CONFIG_NET_NS, so not on Debian's
# kernels). Returns 1 when there is none.
rlb_table() {
	local f=/sys/kernel/debug/bonding/$1/rlb_hash_table
	grep -qs ' /sys/kernel/debug ' /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -r "$f" ] && cat "$f"
}
