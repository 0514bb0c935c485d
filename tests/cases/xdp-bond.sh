#!/bin/bash
# Native XDP on a bond over veths, with a two-instruction program loaded by
# tests/tools/xdp-load (raw bpf(2) and IFLA_XDP):
# - attached to the bond it shows on the bond (driver mode) and runs on every
#   slave (the veths' own XDP counters; the slaves show no attachment of
#   their own); XDP_DROP stops pings until it is replaced by XDP_PASS or
#   detached, after which the slaves run no program;
# - refusals, with their extack messages: a program on a slave of a bond
#   with one (core: EEXIST); a slave without XDP (dummy) into a bond with a
#   program, or a program on a bond with such a slave; a slave with its own
#   program, either way round; native XDP in broadcast, balance-tlb,
#   balance-alb and balance-xor with vlan+srcmac (EOPNOTSUPP; generic XDP is
#   accepted there); switching a bond with a program to such a mode or hash
#   policy (EOPNOTSUPP, netlink and sysfs);
# - XDP_TX on a slave of a bond with a program goes out through the bond's
#   own choice of slave (balance-rr: bpf_master_redirect), so frames sent to
#   veth0 also come back out of veth1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

X=$BOND_BUILD_DIR/tools/bin/xdp-load	# tests/build.sh
[ -x $X ] || fail "no $X: run tests/build.sh"

# xdp DEV ACTION [MODE]: must succeed.
xdp() { $X "$@" || fail "xdp-load $*"; }
# xdp_refused MESSAGE DEV ACTION [MODE]: must fail with MESSAGE.
xdp_refused() {
	local want=$1 err
	shift
	err=$($X "$@" 2>&1) && fail "xdp-load $*: accepted"
	expect_eq "$err" "xdp-load: $want" "xdp-load $*"
}
xdp_mode() { ip -j link show dev "$1" | jq -r '.[0].xdp.mode // "none"'; }
xdp_name() { ip -j link show dev "$1" | jq -r '.[0].xdp.prog.name // "none"'; }
# vstat DEV NAME: a veth's ethtool -S counter.
vstat() { ethtool -S "$1" | sed -n "s/^ *$2: //p"; }
xdp_pkts() { echo $(($(vstat veth0 rx_queue_0_xdp_packets) + $(vstat veth1 rx_queue_0_xdp_packets))); }
xdp_drops() { echo $(($(vstat veth0 rx_queue_0_xdp_drops) + $(vstat veth1 rx_queue_0_xdp_drops))); }
ping_ok() { ping -c 1 -W 1 "$PEER_IP4" >/dev/null; }
# refused_opt DESC MESSAGE SYSFS_ERRNO FILE VALUE -- IP_ARGS...
# In-tree refuses these over netlink without an extack message; a message
# that says why ("Error: ...") is accepted in its place.
refused_opt() {
	local desc=$1 msg=$2 errno=$3 file=$4 value=$5 err
	shift 6
	err=$(ip link set bond0 type bond "$@" 2>&1) && fail "$desc by netlink: accepted"
	[ "$err" = "$msg" ] || [[ "$err" == Error:* ]] ||
		fail "$desc by netlink: got '$err', expected '$msg' or an extack message"
	expect_eq "$(write_errno "/sys/class/net/bond0/bonding/$file" "$value")" "$errno" "$desc by sysfs"
}

bond_load_defaults max_bonds=0
topo_bond bond0 2 mode balance-rr miimon 100
check "ping before XDP" wait_for 10 ping_ok
expect_eq "$(xdp_mode bond0)" none "no XDP on bond0 at first"

# XDP_DROP on the bond runs on the slaves and drops.
xdp bond0 drop
expect_eq "$(xdp_mode bond0)" 1 "bond0 XDP mode (1: driver)"
expect_eq "$(xdp_name bond0)" bt_xdp "bond0 XDP program"
expect_eq "$(xdp_mode veth0)" none "veth0 shows no attachment of its own"
expect_eq "$(xdp_mode veth1)" none "veth1 shows no attachment of its own"
d0=$(xdp_drops)
check_fails "pings dropped" eval 'ping -c 3 -i 0.3 -W 1 "$PEER_IP4" >/dev/null'
[ $(($(xdp_drops) - d0)) -ge 3 ] || fail "the slaves' XDP dropped only $(($(xdp_drops) - d0)) packets"

xdp_refused "EEXIST (File exists): Cannot attach when an upper device already has a program" veth0 pass
xdp_refused "EEXIST (File exists): Cannot attach when an upper device already has a program" veth1 pass drv

# Replaced by XDP_PASS: traffic again, through the program.
xdp bond0 pass
p0=$(xdp_pkts)
check "ping with XDP_PASS" wait_for 5 ping_ok
[ "$(xdp_pkts)" -gt "$p0" ] || fail "XDP_PASS not run on the slaves"

# A slave without XDP, and a bond with a program.
check "dummy" ip link add d0 type dummy
err=$(ip link set d0 master bond0 2>&1) && fail "dummy enslaved to a bond with XDP"
expect_eq "$err" "Error: Slave does not support XDP." "dummy into a bond with XDP"
check "dummy not enslaved" test ! -e /sys/class/net/d0/master

# Detach: no program anywhere, traffic.
xdp bond0 off
expect_eq "$(xdp_mode bond0)" none "bond0 after detach"
check "ping after detach" wait_for 5 ping_ok
p0=$(xdp_pkts)
check "more pings after detach" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
expect_eq "$(xdp_pkts)" "$p0" "XDP packets on the slaves after detach"

check "enslave the dummy without XDP on the bond" ip link set d0 master bond0
xdp_refused "EOPNOTSUPP (Operation not supported): Slave device does not support XDP" bond0 pass
expect_eq "$(xdp_mode bond0)" none "bond0 after the refused attach"
check "release the dummy" ip link set d0 nomaster

# A slave with a program of its own.
check "release veth1" ip link set veth1 nomaster
xdp veth1 pass
xdp bond0 pass
err=$(ip link set veth1 master bond0 2>&1) && fail "veth1 with its own program into a bond with one"
expect_eq "$err" "Error: Slave has XDP program loaded, please unload before enslaving." \
	"veth1 with its own program into a bond with one"
xdp bond0 off
check "veth1 with its own program into a bond without" ip link set veth1 master bond0
xdp_refused "EOPNOTSUPP (Operation not supported): Slave has XDP program loaded, please unload before enslaving" bond0 pass
xdp veth1 off
xdp bond0 pass
check "ping with the bond's program" wait_for 5 ping_ok
xdp bond0 off
ip link del bond0

# Modes.
for m in active-backup balance-xor 802.3ad broadcast balance-tlb balance-alb; do
	mode_missing $m && { say "skip $m: not in this bonding.ko yet"; continue; }
	check "bond0 $m" ip link add bond0 type bond mode $m
	for with in "no slave" "a slave"; do
		[ "$with" = "a slave" ] && { ip link set veth0 master bond0 || fail "$m: enslave veth0"; }
		case $m in
		broadcast|balance-tlb|balance-alb)
			xdp_refused "EOPNOTSUPP (Operation not supported): No native XDP support for the current bonding mode" bond0 pass
			xdp_refused "EOPNOTSUPP (Operation not supported): No native XDP support for the current bonding mode" bond0 pass drv
			;;
		*)
			xdp bond0 pass
			expect_eq "$(xdp_mode bond0)" 1 "$m with $with: driver mode"
			xdp bond0 off
			;;
		esac
		xdp bond0 pass skb
		expect_eq "$(xdp_mode bond0)" 2 "$m with $with: generic XDP"
		xdp bond0 off skb
	done
	check "$m: delete" ip link del bond0
done
check "bond0 xor vlan+srcmac" ip link add bond0 type bond mode balance-xor xmit_hash_policy vlan+srcmac
xdp_refused "EOPNOTSUPP (Operation not supported): No native XDP support for the current bonding mode" bond0 pass
check "layer2" ip link set bond0 type bond xmit_hash_policy layer2
xdp bond0 pass
refused_opt "vlan+srcmac with a program" "RTNETLINK answers: Operation not supported" EOPNOTSUPP \
	xmit_hash_policy vlan+srcmac -- xmit_hash_policy vlan+srcmac
expect_eq "$(bond_opt bond0 xmit_hash_policy)" "layer2 0" "xmit_hash_policy unchanged"
check "balance-rr with the program (no slaves, down)" ip link set bond0 type bond mode balance-rr
for m in broadcast balance-tlb balance-alb; do
	mode_missing $m && { say "skip $m: not in this bonding.ko yet"; continue; }
	refused_opt "mode $m with a program" "RTNETLINK answers: Operation not supported" EOPNOTSUPP \
		mode $m -- mode $m
done
expect_eq "$(bond_opt bond0 mode)" "balance-rr 0" "mode unchanged"
xdp bond0 off
check "broadcast without a program" ip link set bond0 type bond mode broadcast
ip link del bond0

# XDP_TX through the bond. No bridge now (frames bounced back into a bridge
# would be flooded to the other port and bounce forever): the peer sends from
# p0 alone, to the bond's MAC. The peer veths need NAPI (GRO) to take XDP
# frames.
ip -n "$TOPO_NS" link del br0
for p in p0 p1; do
	ip netns exec "$TOPO_NS" sysctl -qw "net.ipv6.conf.$p.disable_ipv6=1"
	ip netns exec "$TOPO_NS" ethtool -K $p gro on >/dev/null || fail "gro on $p"
	ip -n "$TOPO_NS" link set $p up
done
ip -n "$TOPO_NS" addr add "$PEER_IP4/24" dev p0
check "bond0 rr again" ip link add bond0 type bond mode balance-rr miimon 100
check "enslave veth0" ip link set veth0 master bond0
check "enslave veth1" ip link set veth1 master bond0
sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
check "bond0 up" ip link set bond0 up
ip addr add "$BOND_IP4/24" dev bond0
xdp bond0 tx
ip -n "$TOPO_NS" neigh replace "$BOND_IP4" lladdr "$(link_mac bond0)" dev p0 nud permanent
tx0=$(vstat veth0 rx_queue_0_xdp_tx) rd0=$(vstat veth0 rx_queue_0_xdp_redirect)
xm1=$(vstat veth1 tx_queue_0_xdp_xmit)
rx1=$(ip netns exec "$TOPO_NS" cat /sys/class/net/p1/statistics/rx_packets)
n=40
ip netns exec "$TOPO_NS" bash -c "exec 3>/dev/udp/$BOND_IP4/9; for ((i = 0; i < $n; i++)); do printf x >&3; done" ||
	fail "UDP from the peer"
sleep 1
dtx=$(($(vstat veth0 rx_queue_0_xdp_tx) - tx0)) drd=$(($(vstat veth0 rx_queue_0_xdp_redirect) - rd0))
dxm=$(($(vstat veth1 tx_queue_0_xdp_xmit) - xm1))
drx=$(($(ip netns exec "$TOPO_NS" cat /sys/class/net/p1/statistics/rx_packets) - rx1))
say "$n frames into veth0: $dtx sent back by veth0, $drd redirected; veth1 sent $dxm; p1 got $drx"
[ $((dtx + drd)) -ge $n ] || fail "XDP_TX on veth0 handled only $((dtx + drd)) of $n frames"
[ $drd -ge $((n / 4)) ] || fail "only $drd of $n frames redirected through the bond to veth1"
[ $dtx -ge $((n / 4)) ] || fail "only $dtx of $n frames sent back by veth0 itself"
[ $dxm -ge $drd ] || fail "veth1 sent $dxm XDP frames, $drd were redirected to it"
[ $drx -ge $drd ] || fail "p1 received $drx frames, $drd were redirected to veth1"
xdp bond0 off
ip link del bond0
bond_unload
