#!/bin/bash
# kernel-neutral: ARP validation, our own logic
# Regression (review T2-08). With arp_validate, a slave judged by the ARP
# (or NS) monitor is kept up only by replies from its targets. An ARP probe
# (sender 0.0.0.0, sent by any host checking an address, DHCP conflict
# checks) or an IPv6 DAD neighbour solicitation (source ::) comes from no
# target: in-tree ignores them. The bug, in our per-slave targets (ours
# alone): the empty slots of a slave's target list matched 0.0.0.0 and ::,
# so such packets from any host on the link brought back a slave whose own
# gateway was dead. Here the target never answers while the peer sends ARP
# probes and DAD solicitations, and the slave must stay down: with
# bond-wide targets (both drivers) and with per-slave ones (ours).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

GW=198.51.100.1
GW6=2001:db8:9::1

# arp_probes DEV N: N ARP probes (sender 0.0.0.0) for 198.51.100.77 on DEV,
# one every 0.2 s.
arp_probes() {
	ip netns exec p python3 - "$@" <<'PY'
import socket, sys, time
dev, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
mac = s.getsockname()[4]
arp = b"\x00\x01\x08\x00\x06\x04\x00\x01" + mac + bytes(4) + bytes(6) + socket.inet_aton("198.51.100.77")
for _ in range(n):
    s.send(b"\xff" * 6 + mac + b"\x08\x06" + arp)
    time.sleep(0.2)
PY
}
# dad_probes DEV N: N new IPv6 addresses on DEV, each announced by a DAD
# neighbour solicitation from ::, one every 0.3 s.
dad_probes() {
	local i
	for ((i = 1; i <= $2; i++)); do
		ip -n p addr add 2001:db8:9::$((0x100 + i))/64 dev "$1"
		sleep 0.3
	done
}
# never_up SECONDS CMD...: run CMD in the background; a0 must not be "up"
# while it runs and for SECONDS after.
never_up() {
	local secs=$1 pid end
	shift
	"$@" & pid=$!
	while kill -0 $pid 2>/dev/null; do
		[ "$(slave_attr a0 mii_status)" != up ] || { kill $pid; fail "$variant: a0 came up during: $*"; }
		sleep 0.1
	done
	wait $pid
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		[ "$(slave_attr a0 mii_status)" != up ] || fail "$variant: a0 came up after: $*"
		sleep 0.1
	done
}

bond_load_defaults max_bonds=0
ns_add p
variants="bond-wide"
impl_is ours && variants+=" per-slave"
for variant in $variants; do
	say "$variant targets"
	opts=
	[ $variant = bond-wide ] && opts="arp_ip_target $GW ns_ip6_target $GW6"
	check "bond0" ip link add bond0 type bond mode active-backup arp_interval 200 arp_validate all $opts
	check "veth" ip link add a0 type veth peer name a0p netns p
	check "enslave a0" ip link set a0 master bond0
	# a0p makes no link-local address: its own DAD comes only with dad_probes
	ip netns exec p sysctl -qw net.ipv6.conf.a0p.addr_gen_mode=1
	ip -n p link set a0p up
	check "bond0 up" ip link set bond0 up
	ip addr add 198.51.100.2/24 dev bond0
	ip addr add 2001:db8:9::2/64 dev bond0 nodad
	if [ $variant = per-slave ]; then
		check "a0's own ARP target" eval "echo +$GW >/sys/class/net/a0/bonding_slave/arp_ip_target"
		check "a0's own NS target" eval "echo +$GW6 >/sys/class/net/a0/bonding_slave/ns_ip6_target"
	fi
	# Nobody answers for the targets: a0 is not up, and stays so (with no
	# active slave, the monitor shows the slave it tries as "going back").
	wait_for 15 eval '[ "$(slave_attr a0 mii_status)" != up ]' ||
		fail "$variant: a0 up with a silent target"
	never_up 2 sleep 2
	never_up 2 dad_probes a0p 10
	never_up 2 arp_probes a0p 15
	check "bond0 delete" ip link del bond0
	ip link del a0 2>/dev/null
done
bond_unload
