#!/bin/bash
# kernel-neutral: a client of netlink and the sysfs files, the same on every kernel
# NetworkManager (Debian 12's 1.42) configuring bonds with nmcli, the way
# its users do (the distributions' "configure a bond with nmcli" recipe):
#  - a bond profile (active-backup, miimon 100, primary veth0, a static
#    192.0.2.1/24), two port profiles for veth0 and veth1, autoconnect-slaves
#    and `nmcli connection up bond0`: NM reports bond0 connected with both
#    ports; the options read back from sysfs and from NM; a ping to the peer;
#  - a failover on the active port's link cut, the primary back when it
#    returns, and NM keeps the bond together through it (the same active
#    connection on the ports, both enslaved, bond0 connected);
#  - the profile modified to balance-xor with xmit_hash_policy layer3+4 and
#    brought up again: read back, a ping; a port's link cut for longer than
#    NM's carrier deferral (6 s): NM keeps the port in the bond, and traffic
#    flows over the other one;
#  - `nmcli connection down` deletes the bond NM made and releases its ports
#    (what NM does with the in-tree driver); `nmcli connection delete`;
#  - bonds made outside NM (ip link, five option sets over all the option
#    kinds): NM reads their options back from the kernel's sysfs files into
#    the connection it generates, and that must read as with the in-tree
#    driver: a format difference in any bonding/ file shows here.
# NM manages veth0, veth1 and bond0 only (keyfile unmanaged-devices, and a
# [device] managed=1 for the veths, which Debian's udev rules leave
# unmanaged), keyfile profiles only, no connectivity checks; udevd runs, as
# NM waits for it to initialise a link before it manages it. Debian's
# /etc/NetworkManager/dispatcher.d/01-ifupdown runs ifupdown's
# if-post-down.d scripts (ifenslave's among them) on NM's "down" events, and
# those release ports and tear bonds apart behind NM's back, with any
# bonding driver: a machine whose bonds NM owns has no use for that hook, so
# it is removed from the /etc overlay here.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-client.sh"

command -v NetworkManager >/dev/null || skip "NetworkManager is not installed"

bond_load
client_root
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1

client_nm

# dev_state DEV: NM's GENERAL.STATE of DEV, e.g. "100 (connected)";
# dev_state_is DEV N: its number is N.
dev_state() { nmcli -g GENERAL.STATE device show "$1" 2>/dev/null; }
dev_state_is() { [[ $(dev_state "$1") == "$2 "* ]]; }
# dev_acs: the D-Bus paths of the active connections on bond0, veth0, veth1
# (a new path = NM deactivated and activated the device again).
dev_acs() {
	local d
	for d in bond0 veth0 veth1; do nmcli -g GENERAL.CON-PATH device show $d; done | xargs
}
# bond_up_both: NM has bond0, veth0 and veth1 connected, both enslaved.
bond_up_both() {
	dev_state_is bond0 100 && dev_state_is veth0 100 && dev_state_is veth1 100 &&
		[ "$(client_slaves bond0 2>/dev/null)" = "veth0 veth1" ]
}
bond_status() { echo "bond0: $(dev_state bond0), slaves: $(client_slaves bond0 2>/dev/null)"; }
# nm_options: bond.options of NM's connection bond0, unescaped.
nm_options() { nmcli -e no -g bond.options connection show bond0; }
# nmcli_ok DESC ARGS...: nmcli ARGS must succeed.
nmcli_ok() {
	local desc=$1
	shift
	nmcli "$@" >/tmp/nmcli.log 2>&1 || { cat /tmp/nmcli.log; nm_fail "$desc (nmcli $*)"; }
}

for d in veth0 veth1; do
	wait_for 30 dev_state_is $d 30 || nm_fail "NM does not manage $d (state $(dev_state $d))"
done

# --- active-backup, as the recipe has it ---
nmcli_ok "the bond profile" connection add type bond con-name bond0 ifname bond0 \
	bond.options "mode=active-backup,miimon=100,primary=veth0" \
	ipv4.method manual ipv4.addresses "$BOND_IP4/24" ipv6.method disabled
for i in 0 1; do
	nmcli_ok "the port profile for veth$i" connection add type ethernet slave-type bond \
		con-name "bond0-port$i" ifname "veth$i" master bond0
done
nmcli_ok "autoconnect-slaves" connection modify bond0 connection.autoconnect-slaves 1
nmcli_ok "bond0 up" --wait 60 connection up bond0
wait_for 30 bond_up_both || nm_fail "bond0 not connected with both ports ($(bond_status))"

expect_eq "$(bond_opt bond0 mode)" "active-backup 1" "mode"
expect_eq "$(bond_opt bond0 miimon)" 100 "miimon"
expect_eq "$(bond_opt bond0 primary)" veth0 "primary"
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
expect_eq "$(nm_options)" "mode=active-backup,miimon=100,primary=veth0" "NM's bond.options"
expect_eq "$(nmcli -g BOND.SLAVES device show bond0)" "veth0 veth1" "NM's BOND.SLAVES"
check "ping the peer through bond0" client_ping "" "$PEER_IP4" 20

acs=$(dev_acs)
new=$(client_failover bond0) || exit 1
expect_eq "$new" veth1 "the active slave after veth0's link cut"
check "the primary back when its link returns" \
	wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "ping after the primary's return" client_ping "" "$PEER_IP4" 20
wait_for 30 bond_up_both || nm_fail "NM took bond0 apart after the failover ($(bond_status))"
expect_eq "$(dev_acs)" "$acs" "NM's active connections after the failover (none reactivated)"

# --- balance-xor, layer3+4: the profile modified and brought up again ---
nmcli_ok "bond.options balance-xor" connection modify bond0 \
	bond.options "mode=balance-xor,miimon=100,xmit_hash_policy=layer3+4"
nmcli_ok "bond0 up (balance-xor)" --wait 60 connection up bond0
wait_for 30 bond_up_both || nm_fail "balance-xor bond0 not connected with both ports ($(bond_status))"
expect_eq "$(bond_opt bond0 mode)" "balance-xor 2" "mode"
expect_eq "$(bond_opt bond0 xmit_hash_policy)" "layer3+4 1" "xmit_hash_policy"
expect_eq "$(bond_opt bond0 miimon)" 100 "miimon"
# The profile has no primary now, and NM does not clear the one the bond
# kept from active-backup (it sends no IFLA_BOND_PRIMARY, writes no sysfs
# primary): balance-xor has no primary slave, so neither the sysfs file nor
# netlink's IFLA_BOND_PRIMARY names one.
expect_eq "sysfs '$(bond_opt bond0 primary)', netlink '$(ip -d link show bond0 | grep -o 'primary [^ ]*')'" \
	"sysfs '', netlink ''" "bond0's primary in balance-xor"
expect_eq "$(nm_options)" "mode=balance-xor,miimon=100,xmit_hash_policy=layer3+4" "NM's bond.options"
check "ping through balance-xor bond0" client_ping "" "$PEER_IP4" 20

# veth1's link cut past NM's 6 s carrier deferral: the bond drops veth1
# from its transmit set, NM keeps it as a port all the while.
acs=$(dev_acs)
peer_cut 1
check "veth1's MII status down" wait_for 10 attr_is down slave_attr veth1 mii_status
check "ping over veth0 alone" client_ping "" "$PEER_IP4" 10
end=$((SECONDS + 9))
while [ $SECONDS -lt $end ]; do
	[ "$(client_slaves bond0)" = "veth0 veth1" ] || nm_fail "veth1 left bond0 during its link cut"
	dev_state_is bond0 100 || nm_fail "bond0 not connected during veth1's link cut ($(bond_status))"
	sleep 0.5
done
say "NM's veth1 after 9 s without carrier: $(dev_state veth1)"
check "ping over veth0 after 9 s" client_ping "" "$PEER_IP4" 10
peer_restore 1
check "veth1's MII status up again" wait_for 10 attr_is up slave_attr veth1 mii_status
wait_for 30 bond_up_both || nm_fail "NM took bond0 apart after veth1's link cut ($(bond_status))"
expect_eq "$(dev_acs)" "$acs" "NM's active connections after veth1's link cut (none reactivated)"
check "ping after veth1's return" client_ping "" "$PEER_IP4" 20

# --- down and delete ---
nmcli_ok "bond0 down" --wait 60 connection down bond0
check "nmcli connection down deletes bond0" wait_for 30 eval '! link_exists bond0'
for i in 0 1; do
	check "veth$i released" eval "[ ! -e /sys/class/net/veth$i/master ]"
	wait_for 30 dev_state_is veth$i 30 || nm_fail "veth$i not disconnected in NM after the down"
done
nmcli_ok "delete the profiles" connection delete bond0 bond0-port0 bond0-port1
expect_eq "$(nmcli -g NAME connection show)" "" "the profiles after nmcli connection delete"
check_fails "no bond0 after the delete" link_exists bond0

# --- bonds made outside NM: its read-back of their options ---
# external_bond OPTIONS...: `ip link add bond0 type bond OPTIONS`, veth0 and
# veth1 its slaves (down first: the kernel refuses an up one, and NM sets
# the devices it manages up), veth1 the primary in active-backup, then up
# with the address. Prints the bond.options of the connection NM generates
# for it, then deletes the bond.
external_bond() {
	local opts
	ip link add bond0 type bond "$@" || fail "ip link add bond0 type bond $*"
	for i in 0 1; do
		ip link set veth$i down
		ip link set veth$i master bond0 || fail "enslave veth$i to the external bond0 ($*)"
	done
	[ "$2" = active-backup ] && { ip link set bond0 type bond primary veth1 || fail "primary veth1"; }
	ip link set bond0 up
	ip addr add "$BOND_IP4/24" dev bond0
	wait_for 30 dev_state_is bond0 100 || nm_fail "NM did not take up the external bond0 ($*)"
	client_ping "" "$PEER_IP4" 20 || fail "no ping through the external bond0 ($*)"
	wait_for 10 eval 'opts=$(nm_options); [ -n "$opts" ]' || nm_fail "no bond.options for the external bond0 ($*)"
	echo "$opts"
	ip link del bond0
	wait_for 30 eval '[ -z "$(nmcli -g NAME connection show)" ]' ||
		nm_fail "NM kept a connection for the deleted external bond0 ($*)"
}
# external_expect WANT OPTIONS...: external_bond OPTIONS reads back as WANT.
external_expect() {
	local want=$1 got
	shift
	got=$(external_bond "$@") || { echo "$got"; exit 1; }
	expect_eq "$got" "$want" "NM's bond.options read from the external bond0 ($*)"
}
external_expect "mode=active-backup,all_slaves_active=1,downdelay=200,fail_over_mac=active,miimon=50,num_grat_arp=3,num_unsol_na=3,primary=veth1,primary_reselect=better,resend_igmp=2,updelay=100" \
	mode active-backup miimon 50 updelay 100 downdelay 200 primary_reselect better \
	fail_over_mac active num_grat_arp 3 resend_igmp 2 all_slaves_active 1
external_expect "mode=802.3ad,ad_actor_sys_prio=100,ad_actor_system=02:00:00:00:00:01,ad_select=bandwidth,ad_user_port_key=5,lacp_rate=fast,miimon=100,min_links=1,xmit_hash_policy=layer2+3" \
	mode 802.3ad miimon 100 lacp_rate fast ad_select bandwidth xmit_hash_policy layer2+3 \
	min_links 1 ad_actor_sys_prio 100 ad_user_port_key 5 ad_actor_system 02:00:00:00:00:01
external_expect "mode=active-backup,arp_all_targets=all,arp_interval=200,arp_ip_target=192.0.2.2,arp_validate=active,lp_interval=2,primary=veth1" \
	mode active-backup arp_interval 200 arp_ip_target 192.0.2.2 arp_validate active \
	arp_all_targets all lp_interval 2
external_expect "mode=balance-tlb,miimon=100,tlb_dynamic_lb=0" \
	mode balance-tlb miimon 100 tlb_dynamic_lb 0
external_expect "mode=balance-rr,miimon=100,packets_per_slave=3" \
	mode balance-rr miimon 100 packets_per_slave 3
echo "ok"
