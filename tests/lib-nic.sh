# Helpers for the tests that enslave nic_sim devices (tests/tools/nic-sim:
# pairs nic<N>/nicp<N> with a PHC, hardware stamps and kTLS offload). Source
# after lib.sh and lib-topo.sh.

NIC_KO=$BOND_BUILD_DIR/tools/nic-sim/nic_sim.ko
NIC_TOOLS=$PROJ/tests/tools/nic-sim
# nic_sim uses the tls module's symbols: insmod does not load it
modprobe tls || fail "modprobe tls (nic_sim uses it)"

nic_attr() { cat "/sys/class/net/$1/nic_sim/$2"; }

# nic_bond "MODULE PARAMS" BOND OPTIONS...: nic_sim loaded, bond0 with
# OPTIONS over nic0 and nic1 (no IPv6: no chatter in the counters), their
# peers ports of $TOPO_NS's br0, the bond up with $BOND_IP4 and the peer
# answering.
nic_bond() {
	local params=$1 i
	shift
	# shellcheck disable=SC2086
	insmod "$NIC_KO" pairs=2 $params || fail "insmod nic_sim $params"
	ip link add bond0 type bond "$@" || fail "bond0: $*"
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
	topo_peer_ns
	for i in 0 1; do
		ip link set "nicp$i" netns "$TOPO_NS" || fail "nicp$i to the peer"
		ip netns exec "$TOPO_NS" sysctl -qw "net.ipv6.conf.nicp$i.disable_ipv6=1"
		ip -n "$TOPO_NS" link set "nicp$i" master br0 up
		sysctl -qw "net.ipv6.conf.nic$i.disable_ipv6=1"
		ip link set "nic$i" master bond0 || fail "enslave nic$i"
	done
	ip link set bond0 up
	ip addr add "$BOND_IP4/24" dev bond0
	check "$*: ping the peer" wait_for 10 ping -c1 -W1 "$PEER_IP4"
}

# nic_teardown: the bond, the peer and the module gone (pids in
# NIC_PIDS killed first).
NIC_PIDS=()
nic_teardown() {
	local p
	for p in "${NIC_PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	NIC_PIDS=()
	ip link del bond0 2>/dev/null
	ip netns del "$TOPO_NS" 2>/dev/null
	sleep 0.2
	grep -q '^nic_sim ' /proc/modules && rmmod nic_sim
}
trap 'nic_teardown; _cleanup' EXIT
