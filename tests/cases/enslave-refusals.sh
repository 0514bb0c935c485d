#!/bin/bash
# Enslave refusals, with the in-tree errno, extack and dmesg text: the bond
# itself, an upper of the bond, a loop of bonds, a slave of another bond, an
# up device, a non-bond master, an unknown name, a bad command; nothing
# changes after a refusal.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

slaves=/sys/class/net/bond0/bonding/slaves

# state: what must not change after a refusal (slave lists; every link's
# flags, master, MTU and MAC). Not the qdisc: a device opened and closed
# again during an unwind keeps the qdisc of its first open.
state() {
	cat $slaves /sys/class/net/bond1/bonding/slaves
	ip -o link show | sed 's/ qdisc [^ ]*//'
}

# state_diff BEFORE: how the state differs from BEFORE.
state_diff() {
	local a b
	a=$(mktemp) b=$(mktemp)
	echo "$1" >"$a"
	state >"$b"
	diff "$a" "$b" | grep '^[<>]'
	rm -f "$a" "$b"
}

# refused DESC EXTACK CMD...: CMD (an ip command) fails and prints EXTACK on
# stderr ("" to not check it), and the state is unchanged.
refused() {
	local desc=$1 want=$2 err before
	shift 2
	before=$(state)
	err=$("$@" 2>&1) && fail "$desc: accepted ($*)"
	[ -z "$want" ] || [ "$err" = "$want" ] || fail "$desc: ip said '$err', expected '$want'"
	[ "$(state)" = "$before" ] ||
		fail "$desc: state changed: $(state_diff "$before")"
}

# refused_sysfs DESC VALUE ERRNO: writing VALUE to bond0's slaves file fails
# with ERRNO and the state is unchanged.
refused_sysfs() {
	local before
	before=$(state)
	expect_eq "$(write_errno $slaves "$2")" "$3" "$1"
	[ "$(state)" = "$before" ] ||
		fail "$1: state changed: $(state_diff "$before")"
}

bond_load_defaults
ip link add bond1 type bond
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
topo_veth veth2 p2
check "veth1 into bond0" ip link set veth1 master bond0
check "veth0 into bond1" ip link set veth0 master bond1
ip link set bond0 up
ip link set veth2 up
kmsg_mark refusals

refused "bond into itself" "Error: Cannot enslave bond to itself." ip link set bond0 master bond0
refused_sysfs "+bond0 (itself)" +bond0 EPERM

# bond0 is up, so its vlan can be opened: the loop is found when linking
check "vlan on bond0" ip link add link bond0 name bond0.5 type vlan id 5
refused "the bond's vlan" "RTNETLINK answers: Device or resource busy" ip link set bond0.5 master bond0
refused_sysfs "+bond0.5 (an upper of bond0)" +bond0.5 EBUSY
ip link del bond0.5

# an up device is refused before the loop check: bond0 down here
ip link set bond0 down
check "bond1 into bond0 (nesting is allowed)" ip link set bond1 master bond0
refused "bond0 into bond1 (a loop)" "RTNETLINK answers: Device or resource busy" ip link set bond0 master bond1
check "bond1 out of bond0" ip link set bond1 nomaster
ip link set bond1 down

refused_sysfs "+veth0 (a slave of bond1)" +veth0 EBUSY
refused "veth2 is up" "Error: Device can not be enslaved while up." ip link set veth2 master bond0
refused_sysfs "+veth2 (up)" +veth2 EPERM
refused_sysfs "+nonexist" +nonexist ENODEV
refused_sysfs "no +/-" veth2 EPERM
refused_sysfs "a lone +" + EPERM
refused_sysfs "*veth2" '*veth2' EPERM
refused_sysfs "-veth2 (not a slave)" -veth2 EINVAL
refused_sysfs "-veth0 (bond1's slave)" -veth0 EINVAL

if modprobe vrf 2>/dev/null && ip link add vrf0 type vrf table 10 2>/dev/null; then
	refused "a vrf (non-bond master)" "Error: Device type (master device) cannot be enslaved." ip link set vrf0 master bond0
	ip link del vrf0
else
	say "no vrf module: non-bond master case not run"
fi

log=$(kmsg_since refusals)
for l in 'bond0: Error: Cannot enslave bond to itself.' \
	 'bond0: (slave veth0): Error: Device is in use and cannot be enslaved' \
	 'bond0: (slave veth2): Error: Device can not be enslaved while up' \
	 'bond0: option slaves: interface +nonexist does not exist!' \
	 'bond0: no command found in slaves file - use +ifname or -ifname' \
	 'bond0: option slaves: invalid value (-veth2)'; do
	grep -qF "$l" <<<"$log" || fail "no dmesg line '$l'"
done

# Not a refusal: `ip link set X master B` on a slave of another bond moves it
# (the old bond releases it first, which also closes it).
check "veth0 moved from bond1 to bond0" ip link set veth0 master bond0
expect_eq "$(cat $slaves)" "veth1 veth0" "bond0 slaves after the move"
expect_eq "$(cat /sys/class/net/bond1/bonding/slaves)" "" "bond1 slaves after the move"
bond_unload
