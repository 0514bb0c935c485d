#!/bin/bash
# A non-Ethernet first slave changes the bond's type, as in-tree:
# - active-backup takes a GRE tunnel (no MAC to set: fail_over_mac becomes
#   active, with a warning): the bond becomes link/gre (type 778) with the
#   tunnel's addresses, POINTOPOINT,NOARP instead of BROADCAST,MULTICAST, and
#   carries IPv4 over the tunnel into the peer namespace; a tun device in tun
#   mode makes it link/none (65534);
# - then a device of another type (Ethernet or IPIP) is refused with EINVAL,
#   "Device type is different from other slaves"; another GRE is accepted;
# - releasing every slave leaves the bond a GRE bond; an Ethernet slave
#   turns it back into an Ethernet bond (fail_over_mac stays active);
# - unregistering the last slave of a non-Ethernet bond destroys the bond;
# - the other modes refuse it: 802.3ad with EINVAL "8023AD mode requires
#   Ethernet devices", the rest with EOPNOTSUPP (the slave's MAC cannot be
#   set), leaving an Ethernet bond with no slave and the tunnel untouched.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

jget() { ip -j -d link show dev "$1" | jq -r ".[0].$2"; }
type_of() { cat "/sys/class/net/$1/type"; }

# refused BOND DEV ERRNO MESSAGE: enslaving DEV fails by netlink with
# MESSAGE and by sysfs with ERRNO; DEV stays out.
refused() {
	local err
	err=$(ip link set "$2" master "$1" 2>&1) && fail "$2 into $1: accepted"
	expect_eq "$err" "$4" "$2 into $1 by netlink"
	expect_eq "$(write_errno "/sys/class/net/$1/bonding/slaves" "+$2")" "$3" "$2 into $1 by sysfs"
	check_fails "$2 not enslaved to $1" test -e "/sys/class/net/$2/master"
}

# the suite's cleanup removes veths and dummies only
cleanup() {
	local d
	for d in bond0 bond1 bond2 bond3 gre1 gre2 gre3 ipip1 tun1; do
		ip link del "$d" 2>/dev/null
	done
	_cleanup
}
trap cleanup EXIT

bond_load_defaults max_bonds=0
modprobe ip_gre || skip "no ip_gre"
modprobe ipip || skip "no ipip"
modprobe tun || skip "no tun"

# Underlay: u0 here (192.0.2.1) to pu0 in the peer (192.0.2.2); GRE over it,
# 198.51.100.1 here (on the bond) and 198.51.100.2 in the peer.
topo_gre_peer
check "gre1" ip link add gre1 type gre local 192.0.2.1 remote 192.0.2.2
expect_eq "$(link_mtu gre1)" 1476 "gre1's own MTU"

# active-backup takes a GRE tunnel and becomes a GRE bond.
check "bond0" ip link add bond0 type bond mode active-backup miimon 100
expect_eq "$(type_of bond0)" 1 "bond0 starts Ethernet"
kmsg_mark ab
check "enslave gre1 (active-backup)" ip link set gre1 master bond0
log=$(kmsg_since ab)
grep -qF "bond0: (slave gre1): The slave device specified does not support setting the MAC address" <<<"$log" ||
	fail "no 'does not support setting the MAC address' warning"
grep -qF "bond0: (slave gre1): Setting fail_over_mac to active for active-backup mode" <<<"$log" ||
	fail "no 'Setting fail_over_mac to active' warning"
expect_eq "$(bond_opt bond0 fail_over_mac)" "active 1" "fail_over_mac"
expect_eq "$(type_of bond0)" 778 "bond0 type (ARPHRD_IPGRE)"
expect_eq "$(jget bond0 link_type)" gre "bond0 link_type"
expect_eq "$(link_flags bond0)" "POINTOPOINT,NOARP,MASTER" "bond0 flags"
expect_eq "$(jget bond0 address)" 192.0.2.1 "bond0 address (the tunnel's local)"
expect_eq "$(jget bond0 broadcast)" 192.0.2.2 "bond0 peer address (the tunnel's remote)"
expect_eq "$(link_mtu bond0)" 1500 "bond0 MTU"
expect_eq "$(link_mtu gre1)" 1500 "gre1 MTU follows the bond"
check "bond0 up" ip link set bond0 up
expect_eq "$(link_flags bond0)" "POINTOPOINT,NOARP,MASTER,UP,LOWER_UP" "bond0 flags when up"
expect_eq "$(bond_opt bond0 active_slave)" gre1 "active slave"
ip addr add 198.51.100.1/24 dev bond0
check "ping over the GRE bond" wait_for 10 ping -c 1 -W 1 198.51.100.2 >/dev/null
check "more pings" ping -c 3 -i 0.2 -W 2 198.51.100.2 >/dev/null

# Other types are refused; the same type is not.
check "dummy" ip link add d0 type dummy
refused bond0 d0 EINVAL "Error: Device type is different from other slaves."
check "ipip" ip link add ipip1 type ipip local 192.0.2.1 remote 192.0.2.3
refused bond0 ipip1 EINVAL "Error: Device type is different from other slaves."
check "gre2" ip link add gre2 type gre local 192.0.2.1 remote 192.0.2.4
check "enslave gre2 (same type)" ip link set gre2 master bond0
expect_eq "$(cat /sys/class/net/bond0/bonding/slaves)" "gre1 gre2" "slaves"
check "ping still works" ping -c 2 -i 0.2 -W 2 198.51.100.2 >/dev/null

# Releasing everything leaves a GRE bond; an Ethernet slave converts it back.
check "release gre1" ip link set gre1 nomaster
check "release gre2" ip link set gre2 nomaster
expect_eq "$(link_mtu gre1)" 1476 "gre1 MTU restored"
expect_eq "$(cat /sys/class/net/bond0/bonding/slaves)" "" "no slaves"
expect_eq "$(type_of bond0)" 778 "bond0 type after the last release"
expect_eq "$(link_flags bond0)" "NO-CARRIER,POINTOPOINT,NOARP,MASTER,UP" "bond0 flags after the last release"
check "enslave d0 into the empty GRE bond" ip link set d0 master bond0
expect_eq "$(type_of bond0)" 1 "bond0 type with an Ethernet slave"
expect_eq "$(jget bond0 link_type)" ether "bond0 link_type with an Ethernet slave"
expect_eq "$(jget bond0 broadcast)" ff:ff:ff:ff:ff:ff "bond0 broadcast with an Ethernet slave"
expect_match ",$(link_flags bond0)," ",BROADCAST,MULTICAST,MASTER," "bond0 flags with an Ethernet slave"
expect_eq "$(bond_opt bond0 fail_over_mac)" "active 1" "fail_over_mac stays active"
refused bond0 gre1 EINVAL "Error: Device type is different from other slaves."
check "delete bond0" ip link del bond0

# Unregistering the last slave of a non-Ethernet bond destroys the bond;
# unregistering one of two does not.
check "bond1" ip link add bond1 type bond mode active-backup
check "enslave gre1 into bond1" ip link set gre1 master bond1
check "enslave gre2 into bond1" ip link set gre2 master bond1
check "delete gre2" ip link del gre2
check "bond1 kept with one slave left" link_exists bond1
kmsg_mark destroy
check "delete gre1" ip link del gre1
check "bond1 destroyed" wait_for 5 eval '! link_exists bond1'
kmsg_since destroy | grep -qF "bond1: Destroying bond" || fail "no 'Destroying bond' message"
expect_eq "$(bonding_masters)" "" "bonding_masters after the destruction"

# A tun device (ARPHRD_NONE) works the same way in active-backup.
check "tun1" ip tuntap add tun1 mode tun
check "bond2" ip link add bond2 type bond mode active-backup
check "enslave tun1" ip link set tun1 master bond2
expect_eq "$(type_of bond2)" 65534 "bond2 type (ARPHRD_NONE)"
expect_eq "$(jget bond2 link_type)" none "bond2 link_type"
expect_eq "$(link_flags bond2)" "POINTOPOINT,NOARP,MASTER" "bond2 flags"
check "release tun1" ip link set tun1 nomaster
check "delete bond2" ip link del bond2

# The other modes refuse a GRE first slave and stay Ethernet.
check "gre3" ip link add gre3 type gre local 192.0.2.1 remote 192.0.2.5
for m in balance-rr balance-xor broadcast balance-tlb balance-alb; do
	mode_missing $m && { say "skip $m: not in this bonding.ko yet"; continue; }
	check "bond3 $m" ip link add bond3 type bond mode $m
	kmsg_mark "$m"
	refused bond3 gre3 EOPNOTSUPP "RTNETLINK answers: Operation not supported"
	kmsg_since "$m" | grep -qF "bond3: (slave gre3): Error -95 calling set_mac_address" ||
		fail "$m: no 'Error -95 calling set_mac_address'"
	expect_eq "$(type_of bond3)" 1 "$m: bond3 stays Ethernet"
	expect_eq "$(link_flags bond3)" "BROADCAST,MULTICAST,MASTER" "$m: bond3 flags"
	expect_eq "$(cat /sys/class/net/bond3/bonding/slaves)" "" "$m: no slave"
	expect_eq "$(link_flags gre3)" "POINTOPOINT,NOARP" "$m: gre3 untouched"
	expect_eq "$(link_mtu gre3)" 1476 "$m: gre3 MTU"
	check "delete bond3" ip link del bond3
done
if mode_missing 802.3ad; then
	say "skip 802.3ad: not in this bonding.ko yet"
else
	check "bond3 802.3ad" ip link add bond3 type bond mode 802.3ad
	refused bond3 gre3 EINVAL "Error: 8023AD mode requires Ethernet devices."
	expect_eq "$(type_of bond3)" 1 "802.3ad: bond3 stays Ethernet"
	expect_eq "$(link_flags bond3)" "BROADCAST,MULTICAST,MASTER" "802.3ad: bond3 flags"
	check "delete bond3" ip link del bond3
fi
ip link del gre3
ip link del ipip1
ip link del d0
ip link del tun1
bond_unload
