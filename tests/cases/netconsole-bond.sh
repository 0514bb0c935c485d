#!/bin/bash
# netconsole over an active-backup bond (miimon 100): kernel messages leave
# as UDP from the bond's address and MAC on the active slave only; after a
# failover they leave on the new active slave, including a slave enslaved
# after netconsole started (netpoll set up on it then).
# The slaves are taps, each with tests/tools/tap-sink at the far end to
# print what arrives: veth refuses netpoll on 6.12 ("doesn't support
# polling"), and netpoll frames bypass packet sockets, so a capture on the
# sending side would see nothing. Killing a tap's sink drops its carrier.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

modinfo netconsole >/dev/null 2>&1 || skip "no netconsole module"
SINK=$BOND_BUILD_DIR/tools/bin/tap-sink	# tests/build.sh
[ -x $SINK ] || fail "no $SINK: run tests/build.sh"

REMOTE_MAC=02:00:00:00:00:02
declare -A sink_pid
cleanup() {
	local t
	rmmod netconsole 2>/dev/null
	for t in "${!sink_pid[@]}"; do kill "${sink_pid[$t]}" 2>/dev/null; done
	ip link del bond0 2>/dev/null
	for t in tap0 tap1 tap2; do ip link del $t 2>/dev/null; done
	_cleanup
}
trap cleanup EXIT

# sink TAP: start tap-sink on TAP, logging to /tmp/sink-TAP.
sink() {
	$SINK "$1" >"/tmp/sink-$1" 2>&1 &
	sink_pid[$1]=$!
	wait_for 5 grep -q "^attached $1" "/tmp/sink-$1" || fail "tap-sink on $1 did not attach"
}
unsink() { kill "${sink_pid[$1]}"; wait "${sink_pid[$1]}" 2>/dev/null; unset "sink_pid[$1]"; }
active_is() { [ "$(bond_opt bond0 active_slave)" = "$1" ]; }
arrived() { grep -qF "$2" "/tmp/sink-$1"; }

# send_marker N TAP [OTHERS...]: a kernel message that must arrive on TAP
# only, as a netconsole datagram from the bond.
send_marker() {
	local m="bt-netconsole-$$-$1" t=$2 line o
	shift 2
	echo "<4>$m" >/dev/kmsg
	wait_for 5 arrived "$t" "$m" || fail "marker $m did not arrive on $t"
	line=$(grep -F "$m" "/tmp/sink-$t")
	expect_match "$line" "^udp $(link_mac bond0) > $REMOTE_MAC $BOND_IP4:6665 > $PEER_IP4:6666 \[ *[0-9.]+\] $m\.\$" \
		"the datagram for marker $1 on $t"
	sleep 0.3
	for o in "$@"; do
		arrived "$o" "$m" && fail "marker $m also left on $o"
	done
	return 0
}

rmmod netconsole 2>/dev/null
modprobe tun || skip "no tun"
bond_load_defaults max_bonds=0
check "bond0" ip link add bond0 type bond mode active-backup miimon 100
for t in tap0 tap1; do
	check "$t" ip tuntap add $t mode tap
	check "enslave $t" ip link set $t master bond0
	sink $t
done
check "bond0 up" ip link set bond0 up
ip addr add "$BOND_IP4/24" dev bond0
check "tap0 active" wait_for 10 active_is tap0
check "tap1 up" wait_for 10 attr_is up slave_attr tap1 mii_status

kmsg_mark load
check "modprobe netconsole" modprobe netconsole \
	"netconsole=6665@$BOND_IP4/bond0,6666@$PEER_IP4/$REMOTE_MAC"
log=$(kmsg_since load)
grep -q "netconsole: network logging started" <<<"$log" || fail "netconsole did not start"
grep -E "Netpoll setup failed|doesn't support polling" <<<"$log" && fail "netpoll setup on bond0 failed"

send_marker 1 tap0 tap1

# Failover: the next message leaves on tap1.
unsink tap0
check "failover to tap1" wait_for 10 active_is tap1
send_marker 2 tap1 tap0

# A slave enslaved now gets netpoll too.
check "tap2" ip tuntap add tap2 mode tap
check "enslave tap2" ip link set tap2 master bond0
sink tap2
check "tap2 up" wait_for 10 attr_is up slave_attr tap2 mii_status
unsink tap1
check "failover to tap2" wait_for 10 active_is tap2
send_marker 3 tap2 tap0 tap1

check "rmmod netconsole" rmmod netconsole
bond_unload
