#!/bin/bash
# Topology helpers for the behaviour tests; source after lib.sh:
#   . "$(dirname "$0")/../lib.sh"
#   . "$(dirname "$0")/../lib-topo.sh"
#
# The usual picture: bond0 here over veth0..vethN-1; their peers p0..pN-1 in
# the namespace $TOPO_NS, all ports of a bridge br0 that holds the peer's
# addresses. Cutting a link = setting pI down in the namespace, which drops
# the carrier of vethI (what the MII monitor sees).

TOPO_NS=bt-peer
BOND_IP4=192.0.2.1
PEER_IP4=192.0.2.2
BOND_IP6=2001:db8::1
PEER_IP6=2001:db8::2

# topo_peer_ns: the peer namespace with br0 up and the peer's addresses.
# STP off and forward_delay 0 so ports forward at once; no multicast snooping
# so every multicast is flooded to every port.
topo_peer_ns() {
	ns_add "$TOPO_NS"
	ip -n "$TOPO_NS" link add br0 type bridge forward_delay 0 mcast_snooping 0 ||
		fail "bridge in $TOPO_NS"
	ip -n "$TOPO_NS" link set br0 up
	ip -n "$TOPO_NS" addr add "$PEER_IP4/24" dev br0
	ip -n "$TOPO_NS" addr add "$PEER_IP6/64" dev br0 nodad
}

# topo_veth NAME PEER [MAC]: a veth pair, NAME here (left down, ready to be
# enslaved), PEER in $TOPO_NS as an up port of br0. The port has no IPv6 of
# its own: its MLD reports and router solicitations go out even while the
# bridge forwards nothing there (path_cut), and an ARP monitor that counts
# any frame (arp_validate none) would take them for a live path.
topo_veth() {
	ip link add "$1" ${3:+address "$3"} type veth peer name "$2" netns "$TOPO_NS" ||
		fail "veth $1/$2"
	ip netns exec "$TOPO_NS" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
	ip -n "$TOPO_NS" link set "$2" master br0 up || fail "$2 into br0"
}

# topo_bond BOND N [OPTIONS...]: `ip link add BOND type bond OPTIONS`, then the
# peer namespace and N veths veth0..veth(N-1) enslaved in that order with
# `ip link set vethI master BOND`, then BOND up with $BOND_IP4/24 (and
# $BOND_IP6/64 without DAD). The module must already be loaded.
topo_bond() {
	local bond=$1 n=$2 i
	shift 2
	ip link add "$bond" type bond "$@" || fail "ip link add $bond type bond $*"
	topo_peer_ns
	for ((i = 0; i < n; i++)); do
		topo_veth "veth$i" "p$i"
		ip link set "veth$i" master "$bond" || fail "enslave veth$i"
	done
	ip link set "$bond" up || fail "$bond up"
	ip addr add "$BOND_IP4/24" dev "$bond"
	ip addr add "$BOND_IP6/64" dev "$bond" nodad
}

# topo_gre_peer: $TOPO_NS with an underlay veth, u0 here (192.0.2.1, up) to
# pu0 there (192.0.2.2), and there a GRE tunnel gre1 to 192.0.2.1 carrying
# 198.51.100.2/24. This side's tunnel is the test's own.
topo_gre_peer() {
	ns_add "$TOPO_NS"
	check "underlay" ip link add u0 type veth peer name pu0 netns "$TOPO_NS"
	ip addr add 192.0.2.1/24 dev u0
	ip link set u0 up
	ip -n "$TOPO_NS" addr add 192.0.2.2/24 dev pu0
	ip -n "$TOPO_NS" link set pu0 up
	check "peer gre" ip -n "$TOPO_NS" link add gre1 type gre local 192.0.2.2 remote 192.0.2.1
	ip -n "$TOPO_NS" addr add 198.51.100.2/24 dev gre1
	ip -n "$TOPO_NS" link set gre1 up
}

# peer_cut I / peer_restore I: take the far end of vethI down / up.
peer_cut() { ip -n "$TOPO_NS" link set "p$1" down; }
peer_restore() { ip -n "$TOPO_NS" link set "p$1" up; }

# bond_opt BOND FILE: the contents of /sys/class/net/BOND/bonding/FILE.
bond_opt() { cat "/sys/class/net/$1/bonding/$2"; }

# slave_attr SLAVE FILE: the contents of /sys/class/net/SLAVE/bonding_slave/FILE.
slave_attr() { cat "/sys/class/net/$1/bonding_slave/$2" 2>/dev/null; }

# attr_is VALUE CMD...: CMD prints exactly VALUE (for wait_for).
attr_is() {
	local want=$1; shift
	[ "$("$@")" = "$want" ]
}

# proc_get BOND LABEL [SLAVE]: the value after "LABEL: " in
# /proc/net/bonding/BOND, from the bond's block, or from SLAVE's block.
proc_get() {
	awk -v label="$2" -v slave="$3" '
		/^Slave Interface: / { cur = substr($0, 18) }
		index($0, label ": ") == 1 && cur == slave {
			print substr($0, length(label) + 3); exit
		}' "/proc/net/bonding/$1"
}

# link_flags DEV: the flags of DEV as ip prints them, comma-separated.
link_flags() { ip -j link show dev "$1" | jq -r '.[0].flags | join(",")'; }
# link_mac DEV, link_mtu DEV
link_mac() { cat "/sys/class/net/$1/address"; }
link_mtu() { cat "/sys/class/net/$1/mtu"; }
# tx_packets DEV
tx_packets() { cat "/sys/class/net/$1/statistics/tx_packets"; }

# kmsg_mark NAME: put a marker in the kernel log; kmsg_since NAME prints the
# kernel log after it.
kmsg_mark() { echo "bt-mark-$TEST_NAME-$1" >/dev/kmsg; }
kmsg_since() { dmesg | sed -n "/bt-mark-$TEST_NAME-$1\$/,\$p"; }

# ping_loss LOGFILE: packet loss in percent (integer) from a ping summary.
ping_loss() {
	sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$1" | cut -d. -f1
}
# ping_sent LOGFILE: packets transmitted from a ping summary.
ping_sent() { sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$1"; }

# sysfs_errno FILE VALUE: write_errno, also naming ENOTEMPTY (which lib.sh's
# write_errno reports as "other: ...").
sysfs_errno() {
	local r
	r=$(write_errno "$1" "$2")
	case "$r" in
	*"Directory not empty"*)	echo ENOTEMPTY ;;
	*)				echo "$r" ;;
	esac
}

# expect_file FILE DESC: FILE holds exactly the bytes read from stdin; on a
# mismatch, print a diff and fail. (FILE is copied first: /proc and sysfs
# files report size 0, which cmp takes as a difference.)
expect_file() {
	local want got
	want=$(mktemp) got=$(mktemp)
	cat >"$want"
	cat "$1" >"$got"
	if ! cmp -s "$want" "$got"; then
		diff -u "$want" "$got" | sed 's/^/#   /'
		rm -f "$want" "$got"
		fail "$2: $1 differs (- expected, + actual)"
	fi
	rm -f "$want" "$got"
}

# ---- for the ARP/NS monitor tests ----------------------------------------

# path_cut I / path_restore I: the far end pI stops / resumes forwarding in
# br0 (bridge port state disabled / forwarding). Frames from and to vethI
# are dropped in the peer's bridge while both ends keep their carrier: a
# dead path that only the ARP/NS monitor can notice.
path_cut() { bridge -n "$TOPO_NS" link set dev "p$1" state 0; }
path_restore() { bridge -n "$TOPO_NS" link set dev "p$1" state 3; }

# bond_settle BOND SECONDS: wait until every slave of BOND is "up" (and, in
# active-backup, an active slave is chosen), with no change of the slaves'
# states, failure counts or the active slave for a whole second.
_bond_snapshot() {
	local s out
	out="$(cat "/sys/class/net/$1/bonding/active_slave")|"
	for s in $(cat "/sys/class/net/$1/bonding/slaves"); do
		out+="$s:$(slave_attr "$s" mii_status):$(slave_attr "$s" link_failure_count) "
	done
	echo "$out"
}
bond_settle() {
	local bond=$1 end=$((SECONDS + $2)) snap
	while [ $SECONDS -lt $end ]; do
		snap=$(_bond_snapshot "$bond")
		if [[ $snap != *":going "* && $snap != *":down:"* ]] &&
		   { [[ $snap != "|"* ]] || [[ $(bond_opt "$bond" mode) != active-backup* ]]; }; then
			sleep 1
			[ "$(_bond_snapshot "$bond")" = "$snap" ] && return 0
		else
			sleep 0.1
		fi
	done
	return 1
}

# bond_steady BOND SECONDS: as bond_settle, but slaves may be down (or, with
# an active slave, stay "going down").
bond_steady() {
	local bond=$1 end=$((SECONDS + $2)) snap
	while [ $SECONDS -lt $end ]; do
		snap=$(_bond_snapshot "$bond")
		if [[ $snap != "|"* ]] || [[ $(bond_opt "$bond" mode) != active-backup* ]]; then
			sleep 0.3
			[ "$(_bond_snapshot "$bond")" = "$snap" ] || continue
			sleep 0.7
			[ "$(_bond_snapshot "$bond")" = "$snap" ] && return 0
		else
			sleep 0.1
		fi
	done
	return 1
}

# ms_now: a clock in milliseconds, for timing the monitors.
ms_now() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# nl_set_targets BOND arp|ns ADDR...: one RTM_NEWLINK that sets BOND's
# IFLA_BOND_ARP_IP_TARGET or IFLA_BOND_NS_IP6_TARGET to the list ADDR...,
# any length (ip(8) sends at most 16 and drops the rest without a word).
# Prints "ok", or "errno N: EXTACK" with the kernel's extack message.
nl_set_targets() {
	python3 - "$@" <<'PY'
import socket, struct, sys

def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, kind) + payload + b"\0" * (-n % 4)

bond, family, addrs = sys.argv[1], sys.argv[2], sys.argv[3:]
if family == "arp":
    nest = attr(8, b"".join(attr(i, socket.inet_aton(a)) for i, a in enumerate(addrs)))
else:
    nest = attr(31, b"".join(attr(i, socket.inet_pton(socket.AF_INET6, a))
                             for i, a in enumerate(addrs)))
body = struct.pack("BxHiII", socket.AF_UNSPEC, 0, socket.if_nametoindex(bond), 0, 0)
body += attr(18, attr(1, b"bond") + attr(2, nest))       # IFLA_LINKINFO
msg = struct.pack("IHHII", 16 + len(body), 16, 0x1 | 0x4, 1, 0) + body  # RTM_NEWLINK, ACK
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
s.setsockopt(270, 10, 1)    # NETLINK_CAP_ACK: the error echoes only the header
s.setsockopt(270, 11, 1)    # NETLINK_EXT_ACK
s.send(msg)
r = s.recv(65536)
_, kind, flags, _, _ = struct.unpack_from("IHHII", r)
err = struct.unpack_from("i", r, 16)[0] if kind == 2 else 0
if err == 0:
    print("ok")
    sys.exit(0)
text, off = "", 36
while flags & 0x200 and off + 4 <= len(r):          # NLM_F_ACK_TLVS
    n, t = struct.unpack_from("HH", r, off)
    if n < 4:
        break
    if t == 1:                                      # NLMSGERR_ATTR_MSG
        text = r[off + 4:off + n].rstrip(b"\0").decode()
    off += (n + 3) & ~3
print("errno %d: %s" % (-err, text))
PY
}

# cap_start NAME PORT TCPDUMP-ARGS...: `tcpdump -l -n TCPDUMP-ARGS` on the
# peer's PORT, into the file $CAP_DIR/NAME, until cap_stop_all; returns once
# it listens. cap_count NAME STRING: the lines of NAME so far that contain
# STRING. Start the captures before the bond settles and count in windows
# (cap_count before and after): a tcpdump starting up can stall this TCG
# guest long enough for the ARP monitor to miss its replies.
_cap_pids=()
cap_start() {
	local name=$1 port=$2
	shift 2
	[ -n "$CAP_DIR" ] || CAP_DIR=$(mktemp -d)
	ip netns exec "$TOPO_NS" tcpdump -l -n -i "$port" "$@" >"$CAP_DIR/$name" \
		2>"$CAP_DIR/$name.err" &
	_cap_pids+=($!)
	wait_for 20 grep -q 'listening on' "$CAP_DIR/$name.err" || fail "tcpdump on $port did not start"
}
cap_count() { grep -cF -- "$2" "$CAP_DIR/$1"; }
cap_stop_all() {
	local p
	for p in "${_cap_pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${_cap_pids[@]}"; do wait "$p" 2>/dev/null; done
	_cap_pids=()
}
