#!/bin/bash
# smoke
# Regression (review T2-13). Some senders hand a packet to the bond with
# only bottom halves disabled and no rcu_read_lock(): AF_PACKET sockets
# (arping, dhclient, LLDP; with PACKET_QDISC_BYPASS even the queue layer is
# skipped), pktgen. In-tree's transmit takes rcu_read_lock() itself before
# it looks at the slaves. The bug: ours did not, so on a kernel with
# CONFIG_PROVE_RCU (the debug kernel) the first such packet printed
# "suspicious RCU usage". Here raw frames go out through bonds of each mode,
# both ways, and must reach the peer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# raw_send DEV N BYPASS: N broadcast frames (ethertype 0x88b5, local
# experimental) on an AF_PACKET socket bound to DEV; BYPASS 1 sets
# PACKET_QDISC_BYPASS.
raw_send() {
	python3 - "$@" <<'PY'
import socket, sys
dev, n, bypass = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
if bypass:
    s.setsockopt(263, 20, 1)    # SOL_PACKET, PACKET_QDISC_BYPASS
s.bind((dev, 0))
frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + b"bond-t2-13".ljust(50, b"\0")
for _ in range(n):
    s.send(frame)
PY
}
rx_peer() { ip netns exec "$TOPO_NS" cat /sys/class/net/br0/statistics/rx_packets; }

bond_load_defaults max_bonds=0
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
for mode in active-backup balance-rr balance-xor broadcast; do
	say "mode $mode"
	check "bond0 $mode" ip link add bond0 type bond mode $mode miimon 100
	check "enslave veth0" ip link set veth0 master bond0
	check "enslave veth1" ip link set veth1 master bond0
	check "bond0 up" ip link set bond0 up
	wait_for 10 eval '[ "$(slave_attr veth0 mii_status)$(slave_attr veth1 mii_status)" = upup ]' ||
		fail "$mode: slaves not up"
	for bypass in 0 1; do
		before=$(rx_peer)
		check "$mode: raw frames (bypass $bypass)" raw_send bond0 5 $bypass
		wait_for 5 eval '[ $(($(rx_peer) - before)) -ge 5 ]' ||
			fail "$mode: the peer got $(($(rx_peer) - before)) of 5 raw frames (bypass $bypass)"
	done
	check "bond0 delete" ip link del bond0
done
bond_unload
