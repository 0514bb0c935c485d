#!/bin/bash
# kernel-neutral: failover_relink is ours, and the same on every kernel
# Ours beyond in-tree (failover_relink; in-tree skips): seed 000's two ISP
# uplinks (tests/lib-dhcp.sh) with NetworkManager's bond (nmcli, ipv4.method
# auto), the module loaded with failover_relink (NetworkManager passes only
# in-tree options, so the module parameter gives it to the bonds NM makes),
# and the project's dispatcher script (contrib/dhcp-follow). NM starts no
# DHCP over on a short carrier loss of a bond; the script's bond-dhcp-follow
# brings the connection up again when the carrier comes back, so after a
# failover to ISP B (link cut, or ISP A's router dead with its link up) the
# host takes ISP B's lease and route, and ISP A's again when it comes back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
CLIENT_ROOT_USR=1
. "$(dirname "$0")/../lib-client.sh"
. "$(dirname "$0")/../lib-dhcp.sh"

bond_load failover_relink="$DHCP_RELINK"
dhcp_probe_bond
expect_eq "$(bond_opt bondx failover_relink)" "$DHCP_RELINK" "failover_relink from the module parameter"
ip link del bondx
client_root
contrib=$PROJ/contrib/dhcp-follow
install -m 755 "$contrib/bond-dhcp-follow" /usr/sbin/bond-dhcp-follow
install -m 755 "$contrib/nm-dispatcher" /etc/NetworkManager/dispatcher.d/50-bond-dhcp-follow
dhcp_isps
client_nm
client_spawn nm-dispatcher /usr/lib/NetworkManager/nm-dispatcher --persist
nmcli connection add type bond con-name bond0 ifname bond0 \
	bond.options "mode=active-backup,arp_interval=200,arp_ip_target=$DHCP_NET_A.1,arp_validate=active,primary=veth0" \
	ipv4.method auto ipv6.method disabled connection.autoconnect-slaves 1 >/dev/null ||
	nm_fail "the bond profile"
for i in 0 1; do
	nmcli connection add type ethernet slave-type bond con-name "bond0-port$i" \
		ifname "veth$i" master bond0 >/dev/null || nm_fail "port profile veth$i"
done
nmcli --wait 90 connection up bond0 >/dev/null || nm_fail "bond0 up"
wait_for 60 eval '[ "$(client_slaves bond0)" = "veth0 veth1" ]' || nm_fail "NM did not enslave both ports"
# each slave's own target, its ISP's router (ours, sysfs only)
echo +$DHCP_NET_A.1 >/sys/class/net/veth0/bonding_slave/arp_ip_target || fail "veth0's target"
echo +$DHCP_NET_B.1 >/sys/class/net/veth1/bonding_slave/arp_ip_target || fail "veth1's target"
expect_eq "$(bond_opt bond0 failover_relink)" "$DHCP_RELINK" "failover_relink of NM's bond"
check "bond-dhcp-follow started by the dispatcher" wait_for 20 test -s /run/bond-dhcp-follow.bond0.pid
dhcp_scenario 30
echo "ok"
