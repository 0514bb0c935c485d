#!/bin/bash
# A VLAN on an active-backup bond (miimon 100) over two veths; the peer has
# the same VLANs on its bridge. The VLAN is created and up before the first
# slave: its MAC follows the bond's when the bond takes veth0's. Pings over VLAN 10
# go out tagged on the active slave; cutting the active slave's link fails
# over, the new active slave sends a gratuitous ARP for the VLAN's address,
# tagged, and pings over the VLAN work again; so they do after failing back.
# A second VLAN added with the slaves in place works too (IPv6). (veths do
# no VLAN filtering, so the VLAN ids propagated to them are not observable;
# only the traffic is.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

VIP=198.51.100.1
VPEER=198.51.100.2

# capture PORT FILTER: tcpdump -e on the peer's PORT into $cap; sets $tpid.
capture() {
	cap=$(mktemp) err=$(mktemp)
	ip netns exec "$TOPO_NS" tcpdump -l -n -e -i "$1" "$2" >"$cap" 2>"$err" &
	tpid=$!
	wait_for 20 grep -q 'listening on' "$err" || fail "tcpdump on $1 did not start"
}
stop_capture() { sleep 0.5; kill $tpid; wait $tpid 2>/dev/null; }
vping() { ping -c 1 -W 1 "$VPEER" >/dev/null; }

bond_load_defaults max_bonds=0
modprobe 8021q 2>/dev/null
topo_peer_ns
ip -n "$TOPO_NS" link add link br0 name br0.10 type vlan id 10 || fail "peer vlan 10"
ip -n "$TOPO_NS" addr add "$VPEER/24" dev br0.10
ip -n "$TOPO_NS" link set br0.10 up
topo_veth veth0 p0 02:00:00:00:00:a0
topo_veth veth1 p1 02:00:00:00:00:a1

check "bond0" ip link add bond0 type bond mode active-backup miimon 100
check "bond0 up" ip link set bond0 up
check "vlan 10 on the slaveless bond" ip link add link bond0 name bond0.10 type vlan id 10
check "bond0.10 up" ip link set bond0.10 up
expect_eq "$(link_mac bond0.10)" "$(link_mac bond0)" "bond0.10 MAC at creation"
check "enslave veth0" ip link set veth0 master bond0
expect_eq "$(link_mac bond0)" 02:00:00:00:00:a0 "bond0 took veth0's MAC"
expect_eq "$(link_mac bond0.10)" 02:00:00:00:00:a0 "bond0.10 followed the bond's MAC"
check "enslave veth1" ip link set veth1 master bond0
ip addr add "$VIP/24" dev bond0.10
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "veth1 up" wait_for 10 attr_is up slave_attr veth1 mii_status
check "ping over VLAN 10" wait_for 10 vping

# Tagged on the wire, on the active slave.
capture p0 'vlan 10 and icmp'
check "pings over VLAN 10" ping -c 3 -i 0.2 -W 2 "$VPEER" >/dev/null
stop_capture
grep -q "02:00:00:00:00:a0 > .*ethertype 802.1Q (0x8100), .*vlan 10, .*$VIP > $VPEER: ICMP echo request" "$cap" ||
	{ sed 's/^/#   /' "$cap"; fail "no tagged echo request from the bond on p0"; }

# Failover: a tagged gratuitous ARP from the new active slave, and traffic.
capture p1 'vlan 10 and arp'
peer_cut 0
check "failover to veth1" wait_for 10 attr_is veth1 bond_opt bond0 active_slave
check "ping over VLAN 10 after the failover" wait_for 10 vping
sleep 1
stop_capture
grep -q "vlan 10, .*Request who-has $VIP tell $VIP," "$cap" ||
	{ sed 's/^/#   /' "$cap"; fail "no tagged gratuitous ARP for $VIP on p1"; }
check "more pings over VLAN 10" ping -c 3 -i 0.2 -W 2 "$VPEER" >/dev/null

# And back.
peer_restore 0
check "veth0 up again" wait_for 10 attr_is up slave_attr veth0 mii_status
peer_cut 1
check "failover back to veth0" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "ping over VLAN 10 after failing back" wait_for 10 vping
peer_restore 1

# A VLAN added with the slaves already there.
ip -n "$TOPO_NS" link add link br0 name br0.20 type vlan id 20 || fail "peer vlan 20"
ip -n "$TOPO_NS" addr add 2001:db8:20::2/64 dev br0.20 nodad
ip -n "$TOPO_NS" link set br0.20 up
check "vlan 20 on bond0" ip link add link bond0 name bond0.20 type vlan id 20
ip addr add 2001:db8:20::1/64 dev bond0.20 nodad
check "bond0.20 up" ip link set bond0.20 up
check "ping over VLAN 20" wait_for 10 ping -6 -c 1 -W 1 2001:db8:20::2 >/dev/null

check "delete bond0.20" ip link del bond0.20
check "delete bond0.10" ip link del bond0.10
rm -f "$cap" "$err"
bond_unload
