#!/bin/bash
# kernel-neutral: failover_relink is ours, and the same on every kernel
# Ours beyond in-tree (failover_relink; in-tree skips): seed 000's two ISP
# uplinks (tests/lib-dhcp.sh) configured by ifupdown + ifenslave, bond0
# "inet dhcp" (ifupdown's dhclient), with the project's ifupdown hook
# (contrib/dhcp-follow) and `bond-failover-relink` in the stanza. dhclient
# reacts to no link event of its own; the hook's bond-dhcp-follow restarts
# it when the bond's carrier comes back, so after a failover to ISP B (link
# cut, or ISP A's router dead with its link up) the host takes ISP B's
# lease and route, and ISP A's again when ISP A comes back. The stanza
# watches ISP A's router bond-wide until post-up gives each slave its own
# ISP's (ifenslave knows no per-slave targets): without any target the ARP
# monitor would take both slaves down while dhclient asks for the first
# lease.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
CLIENT_ROOT_USR=1
. "$(dirname "$0")/../lib-client.sh"
. "$(dirname "$0")/../lib-dhcp.sh"

bond_load
dhcp_probe_bond
ip link del bondx
client_root
contrib=$PROJ/contrib/dhcp-follow
install -m 755 "$contrib/bond-dhcp-follow" /usr/sbin/bond-dhcp-follow
install -m 755 "$contrib/ifupdown-if-up" /etc/network/if-up.d/bond-dhcp-follow
install -m 755 "$contrib/ifupdown-if-down" /etc/network/if-down.d/bond-dhcp-follow
dhcp_isps
cat >/etc/network/interfaces.d/bond0 <<EOS
auto bond0
iface bond0 inet dhcp
	bond-slaves veth0 veth1
	bond-mode active-backup
	bond-primary veth0
	bond-arp-interval 200
	bond-arp-validate active
	bond-arp-ip-target $DHCP_NET_A.1
	bond-failover-relink $DHCP_RELINK
	post-up echo +$DHCP_NET_A.1 >/sys/class/net/veth0/bonding_slave/arp_ip_target
	post-up echo +$DHCP_NET_B.1 >/sys/class/net/veth1/bonding_slave/arp_ip_target
EOS
ifup bond0 >/tmp/ifup.log 2>&1 || { cat /tmp/ifup.log; fail "ifup bond0"; }
expect_eq "$(bond_opt bond0 failover_relink)" "$DHCP_RELINK" "failover_relink from the stanza"
check "bond-dhcp-follow runs" wait_for 5 test -s /run/bond-dhcp-follow.bond0.pid
dhcp_scenario 30
ifdown bond0 >/tmp/ifdown.log 2>&1 || { cat /tmp/ifdown.log; fail "ifdown bond0"; }
check_fails "bond-dhcp-follow stopped" test -e /run/bond-dhcp-follow.bond0.pid
echo "ok"
