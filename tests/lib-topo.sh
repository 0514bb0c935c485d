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
# enslaved), PEER in $TOPO_NS as an up port of br0.
topo_veth() {
	ip link add "$1" ${3:+address "$3"} type veth peer name "$2" netns "$TOPO_NS" ||
		fail "veth $1/$2"
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
