#!/bin/bash
# kernel-neutral: ARP monitor through a VLAN, our own logic
# ARP probes through a VLAN: active-backup with arp_interval 100,
# arp_validate all and target 198.51.100.2, which is reachable only through
# the VLAN upper bond0.10 (198.51.100.1/24; bond0 itself has no address).
# The peer has the target on br0.10, a VLAN 10 device on its bridge. The
# probes leave the active slave tagged "vlan 10", with bond0.10's address
# as sender and the bond's MAC; the replies come back through the VLAN and
# both slaves come up. Before bond0.10 has its address there is no route to
# the target: the probe goes out untagged from 0.0.0.0 with a warning. After
# a failover the new active slave sends tagged probes. (A counting window a
# stall of the TCG guest may have spoiled is watched again.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

VIP=198.51.100.1
VPEER=198.51.100.2
bmac=02:00:00:00:00:a0
TAGGED="$bmac > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), Request who-has $VPEER tell $VIP"
UNTAGGED="ethertype ARP (0x0806), length 42: Request who-has $VPEER"
other() { [ "$1" = veth0 ] && echo veth1 || echo veth0; }

# window: the tagged and untagged probes each port received in 3 seconds;
# sets t0 t1 u0 u1.
window() {
	local a0 a1 b0 b1
	a0=$(cap_count p0 "$TAGGED") a1=$(cap_count p1 "$TAGGED")
	b0=$(cap_count p0 "$UNTAGGED") b1=$(cap_count p1 "$UNTAGGED")
	sleep 3
	t0=$(($(cap_count p0 "$TAGGED") - a0)) t1=$(($(cap_count p1 "$TAGGED") - a1))
	u0=$(($(cap_count p0 "$UNTAGGED") - b0)) u1=$(($(cap_count p1 "$UNTAGGED") - b1))
	say "probes in 3 s: tagged $t0 from veth0, $t1 from veth1; untagged $u0 and $u1"
}

bond_load_defaults max_bonds=0
modprobe 8021q 2>/dev/null
topo_peer_ns
ip -n "$TOPO_NS" link add link br0 name br0.10 type vlan id 10 || fail "peer vlan 10"
ip -n "$TOPO_NS" addr add "$VPEER/24" dev br0.10
ip -n "$TOPO_NS" link set br0.10 up
topo_veth veth0 p0 $bmac
topo_veth veth1 p1 02:00:00:00:00:a1
cap_start p0 p0 -e -Q in 'arp or (vlan and arp)'
cap_start p1 p1 -e -Q in 'arp or (vlan and arp)'

kmsg_mark up
check "bond0" ip link add bond0 type bond mode active-backup arp_interval 100 \
	arp_ip_target $VPEER arp_validate all
check "enslave veth0" ip link set veth0 master bond0
check "enslave veth1" ip link set veth1 master bond0
check "bond0 up" ip link set bond0 up
sleep 0.5
check "vlan 10" ip link add link bond0 name bond0.10 type vlan id 10
ip addr add "$VIP/24" dev bond0.10
ip link set bond0.10 up
check "both slaves up, an active one" bond_settle bond0 60
expect_eq "$(link_mac bond0)" $bmac "bond0 took veth0's MAC"
# (from whichever slave was probing then)
[ $(($(cap_count p0 "$UNTAGGED tell 0.0.0.0") + $(cap_count p1 "$UNTAGGED tell 0.0.0.0"))) -ge 1 ] ||
	fail "no untagged probe from 0.0.0.0 before bond0.10 had its address"
kmsg_since up | grep -qF "bond0: no route to arp_ip_target $VPEER and arp_validate is set" ||
	fail "no 'no route to arp_ip_target' warning"

for try in 1 2 3; do
	check "settled before counting" bond_settle bond0 60
	act=$(bond_opt bond0 active_slave)
	snap=$(_bond_snapshot bond0)
	window
	[ "$(_bond_snapshot bond0)" = "$snap" ] && break
	[ $try = 3 ] && fail "the slaves changed in every window"
done
if [ "$act" = veth0 ]; then n_act=$t0 n_oth=$t1; else n_act=$t1 n_oth=$t0; fi
[ "$n_act" -ge 15 ] && [ "$n_act" -le 40 ] || fail "$n_act tagged probes from the active slave $act in 3 s"
expect_eq "$n_oth" 0 "tagged probes from the backup"
expect_eq "$u0,$u1" 0,0 "untagged probes for $VPEER"
check "ping over bond0.10" ping -c 3 -i 0.2 -W 2 $VPEER >/dev/null

# Failover: the other slave probes, tagged.
oth=$(other "$act")
path_cut "${act#veth}"
check "$oth becomes active" wait_for 10 attr_is "$oth" bond_opt bond0 active_slave
check "steady with $act's path dead" bond_steady bond0 60
expect_match "$(slave_attr "$act" mii_status),$(bond_opt bond0 active_slave)" "^(going )?down,$oth\$" \
	"$act down, $oth active"
window
if [ "$oth" = veth0 ]; then n=$t0; else n=$t1; fi
[ "$n" -ge 15 ] || fail "$n tagged probes from the new active slave $oth in 3 s"
expect_eq "$u0,$u1" 0,0 "untagged probes after the failover"
check "ping over bond0.10 after the failover" ping -c 3 -i 0.2 -W 2 $VPEER >/dev/null
path_restore "${act#veth}"
check "$act back up" wait_for 10 attr_is up slave_attr "$act" mii_status

cap_stop_all
bond_unload
