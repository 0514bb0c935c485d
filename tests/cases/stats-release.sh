#!/bin/bash
# kernel-neutral: our counters' sums
# The bond's counters (rx/tx packets and bytes, in sysfs statistics/ and in
# `ip -s -j link`) are the sum of what its slaves counted while they were its
# slaves: a slave's traffic from before it was enslaved, or from while it was
# released, never shows; releasing a slave that carried traffic (by nomaster
# or by deleting it, down to no slave at all) keeps what it contributed, and
# enslaving it again adds nothing by itself. So the counters never go
# backwards and nothing is counted twice. No IPv6, static neighbours: the
# pings below are the only traffic, so the sums are exact.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

fields="rx_packets tx_packets rx_bytes tx_bytes"
stat() { cat "/sys/class/net/$1/statistics/$2"; }
# counters DEV: "rx_packets tx_packets rx_bytes tx_bytes" from sysfs.
counters() { local f; for f in $fields; do printf '%s ' "$(stat "$1" $f)"; done; }
# counters_ip DEV: the same from `ip -s -j link`.
counters_ip() {
	ip -s -j link show dev "$1" |
		jq -r '.[0].stats64 | "\(.rx.packets) \(.tx.packets) \(.rx.bytes) \(.tx.bytes) "'
}
# add A B / sub A B: field-wise on counters strings.
add() { local -a a=($1) b=($2); local i; for i in 0 1 2 3; do printf '%d ' $((a[i] + b[i])); done; }
sub() { local -a a=($1) b=($2); local i; for i in 0 1 2 3; do printf '%d ' $((a[i] - b[i])); done; }
# not_below OLD NEW: no field of NEW is below OLD's.
not_below() { local -a a=($1) b=($2); local i; for i in 0 1 2 3; do [ "${b[i]}" -ge "${a[i]}" ] || return 1; done; }

last=
# expect_bond EXPECTED DESC: bond0's counters are EXPECTED in sysfs and in
# ip -s, and none is below the previous check's.
expect_bond() {
	local now
	now=$(counters bond0)
	expect_eq "$now" "$1" "bond0 counters (rx_packets tx_packets rx_bytes tx_bytes) $2"
	expect_eq "$(counters_ip bond0)" "$now" "ip -s -j link agrees with sysfs $2"
	if [ -n "$last" ]; then
		not_below "$last" "$now" || fail "bond0 counters went backwards $2: $last -> $now"
	fi
	last=$now
}

# pings N: N pings through the bond, all answered.
pings() {
	ping -c "$1" -i 0.05 -W 2 "$PEER_IP4" >/dev/null || fail "$1 pings through bond0"
}
# standalone N: veth0, not enslaved, sends N datagrams to the peer's bridge
# (its MAC: not flooded to the other ports) from an address of its own.
standalone() {
	local i
	ip link set veth0 up
	ip addr add 198.51.100.1/24 dev veth0
	ip neigh replace 198.51.100.9 lladdr "$peer_mac" dev veth0 nud permanent
	exec 3>/dev/udp/198.51.100.9/9 || fail "UDP socket on veth0"
	for ((i = 0; i < $1; i++)); do printf x >&3; done
	exec 3>&-
	ip addr flush dev veth0
	ip link set veth0 down
}

bond_load_defaults max_bonds=0

# The peer: a bridge with IPv4 only.
ns_add "$TOPO_NS"
ip netns exec "$TOPO_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
peer_mac=02:00:00:00:00:02	# set, so it does not follow the ports
ip -n "$TOPO_NS" link add br0 address $peer_mac type bridge forward_delay 0 || fail "peer bridge"
ip -n "$TOPO_NS" link set br0 up
ip -n "$TOPO_NS" addr add "$PEER_IP4/24" dev br0
topo_veth veth0 p0 02:00:00:00:00:a0
topo_veth veth1 p1 02:00:00:00:00:a1
for d in veth0 veth1; do sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1"; done

# veth0 has traffic of its own before it is enslaved.
standalone 30
[ "$(stat veth0 tx_packets)" -ge 30 ] || fail "veth0 sent $(stat veth0 tx_packets) before enslave"

check "bond0" ip link add bond0 address 02:00:00:00:00:b0 type bond mode balance-rr miimon 100
sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
expect_bond "0 0 0 0 " "of a new bond"
b0=$(counters veth0) b1=$(counters veth1)
check "enslave veth0" ip link set veth0 master bond0
check "enslave veth1" ip link set veth1 master bond0
check "bond0 up" ip link set bond0 up
ip addr add "$BOND_IP4/24" dev bond0
ip neigh replace "$PEER_IP4" lladdr "$peer_mac" dev bond0 nud permanent
ip -n "$TOPO_NS" neigh replace "$BOND_IP4" lladdr 02:00:00:00:00:b0 dev br0 nud permanent
check "both slaves up" wait_for 5 eval '[ "$(slave_attr veth0 mii_status)$(slave_attr veth1 mii_status)" = upup ]'
expect_bond "0 0 0 0 " "after enslaving (veth0's earlier traffic not counted)"

# Traffic over both slaves.
pings 20
acc=$(add "$(sub "$(counters veth0)" "$b0")" "$(sub "$(counters veth1)" "$b1")")
expect_bond "$acc" "after 20 pings"
read -r rxp txp _ <<<"$acc"
[ "$rxp" -ge 20 ] && [ "$txp" -ge 20 ] || fail "20 pings counted as rx $rxp, tx $txp"
[ "$(sub "$(counters veth0)" "$b0" | cut -d' ' -f2)" -gt 0 ] &&
	[ "$(sub "$(counters veth1)" "$b1" | cut -d' ' -f2)" -gt 0 ] ||
	fail "balance-rr did not use both slaves"

# Release veth0, which carried traffic: nothing moves.
check "release veth0" ip link set veth0 nomaster
expect_bond "$acc" "after releasing veth0"

# veth0's traffic while released does not show; veth1's does.
standalone 25
expect_bond "$acc" "after veth0 sent on its own"
b1=$(counters veth1)
pings 10
acc=$(add "$acc" "$(sub "$(counters veth1)" "$b1")")
expect_bond "$acc" "after 10 pings over veth1 alone"

# Enslave veth0 again: its counters (all it ever sent) are not added.
b0=$(counters veth0) b1=$(counters veth1)
check "enslave veth0 again" ip link set veth0 master bond0
check "veth0 up again" wait_for 5 eval '[ "$(slave_attr veth0 mii_status)" = up ]'
expect_bond "$acc" "after enslaving veth0 again"
pings 20
acc=$(add "$acc" "$(add "$(sub "$(counters veth0)" "$b0")" "$(sub "$(counters veth1)" "$b1")")")
expect_bond "$acc" "after 20 more pings"

# A slave deleted while enslaved keeps its contribution too.
b0=$(counters veth0)
check "delete veth1" ip link del veth1
expect_bond "$acc" "after deleting veth1"
pings 5
acc=$(add "$acc" "$(sub "$(counters veth0)" "$b0")")
expect_bond "$acc" "after 5 pings over veth0 alone"

# And with no slave left, the bond keeps its history.
check "release veth0" ip link set veth0 nomaster
expect_bond "$acc" "with no slave left"
ip link del bond0
bond_unload
