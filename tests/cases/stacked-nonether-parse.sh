#!/bin/bash
# Stacked non-Ethernet bonds and the link-header parse (reliability.md 1.3,
# CVE-2026-23451): GRE tunnel -> bond0 -> bond1, both active-backup. The
# tunnel has no fixed remote (NBMA), the kind with link-layer header
# operations, which both bonds take on; the peer's address is a permanent
# neighbour of bond1 with the peer's underlay address as its lladdr. A
# cooked packet socket (AF_PACKET, SOCK_DGRAM, what tcpdump opens on such a
# device) on bond1 asks the device for each frame's link-layer source
# (dev_parse_header). A bond that parses for the device in the skb instead
# of the one it is asked about calls itself forever: in-tree before the fix
# overflowed the stack. Here pings come in through the tunnel and are
# answered through both bonds while the socket reads them; the socket sees
# the pings, and what source it is told is the tunnel's outer one (where the
# kernel passes the device to parse, as 6.12 does) or none.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

cleanup() {
	local d
	for d in bond1 bond0 gre1; do ip link del "$d" 2>/dev/null; done
	_cleanup
}
trap cleanup EXIT

bond_load_defaults max_bonds=0
modprobe ip_gre || skip "no ip_gre"

topo_gre_peer

check "gre1 (NBMA)" ip link add gre1 type gre local 192.0.2.1
check "bond0" ip link add bond0 type bond mode active-backup miimon 100
check "bond1" ip link add bond1 type bond mode active-backup miimon 100
check "gre1 into bond0" ip link set gre1 master bond0
check "bond0 into bond1" ip link set bond0 master bond1
expect_eq "$(cat /sys/class/net/bond1/type)" 778 "bond1's type (GRE, from bond0)"
check "bond1 up" ip link set bond1 up
ip addr add 198.51.100.1/24 dev bond1
check "peer as a neighbour" ip neigh replace 198.51.100.2 lladdr 192.0.2.2 dev bond1 nud permanent
wait_for 10 ip netns exec "$TOPO_NS" ping -c 1 -W 1 198.51.100.1 >/dev/null ||
	fail "no ping through gre1 -> bond0 -> bond1"

# the cooked socket reads while the peer pings; it prints what it saw
tmp=$(mktemp)
timeout 60 python3 - >"$tmp" <<'PY' &
import socket, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0003))
s.bind(("bond1", 0))
s.settimeout(0.5)
n, src = 0, set()
end = time.time() + 6
while time.time() < end:
    try:
        data, addr = s.recvfrom(2048)
    except socket.timeout:
        continue
    n += 1
    src.add(socket.inet_ntoa(addr[4][:4]) if len(addr[4]) >= 4 else "none")
print(n, ",".join(sorted(src)))
PY
reader=$!
sleep 1.5
ip netns exec "$TOPO_NS" ping -c 5 -i 0.2 -W 1 198.51.100.1 >/dev/null
wait $reader || fail "the cooked socket's reader failed (rc $?)"
out=$(cat "$tmp")
rm -f "$tmp"
read -r n srcs <<<"$out"
say "the cooked socket on bond1 read ${n:-nothing}; link-layer sources: ${srcs:-}"
[ "${n:-0}" -ge 5 ] || fail "the cooked socket on bond1 saw ${n:-no} frames of 10 (5 pings, 5 replies)"
if [[ $(uname -r) == 6.1.* ]]; then
	# no device is passed to parse: a bond cannot tell whose header it is
	[[ ,$srcs, == *,192.0.2.2,* || $srcs == none ]] ||
		fail "link-layer source '$srcs': neither the tunnel's outer source 192.0.2.2 nor none"
else
	[[ ,$srcs, == *,192.0.2.2,* ]] || fail "link-layer source '$srcs', not the tunnel's outer source 192.0.2.2"
fi
check "bond1 delete" ip link del bond1
check "bond0 delete" ip link del bond0
bond_unload
