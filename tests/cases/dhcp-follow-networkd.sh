#!/bin/bash
# kernel-neutral: failover_relink is ours, and the same on every kernel
# Ours beyond in-tree (failover_relink; in-tree skips): seed 000's two ISP
# uplinks (tests/lib-dhcp.sh), bond0's address by systemd-networkd's DHCP
# client. networkd starts DHCP over when the bond's carrier comes back, so
# the moment without carrier that failover_relink puts after a failover is
# enough: when ISP A's link is cut, and when ISP A's router dies with its
# link up, bond0 fails over to ISP B and networkd gets ISP B's lease and
# route; when ISP A comes back, the primary takes over again and networkd
# gets ISP A's lease back. With failover_relink 0 (the default, in-tree's
# way) networkd keeps ISP A's lease after the failover and the host is cut
# off: the option is what makes the difference.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-client.sh"
. "$(dirname "$0")/../lib-dhcp.sh"

bond_load_defaults
ip link del bond0 2>/dev/null
dhcp_probe_bond
ip link del bondx
client_root
dhcp_isps
printf '[Match]\nName=bond0\n\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' \
	>/etc/systemd/network/bond0.network

# Without failover_relink: ISP A's lease stays, and ISP B's router is out
# of reach.
dhcp_bond 0
client_networkd
check "a lease from ISP A" wait_for 60 dhcp_on $DHCP_NET_A
ip -n ispA link set p0 down
check "failover to veth1" wait_for 10 eval '[ "$(bond_opt bond0 active_slave)" = veth1 ]'
sleep 3
check "failover_relink 0: ISP A's lease kept" _dhcp_has_addr $DHCP_NET_A
check_fails "failover_relink 0: ISP B's router out of reach" dhcp_on $DHCP_NET_B
say "failover_relink 0: networkd kept ISP A's lease 3 s after the failover"
ip -n ispA link set p0 up
check "veth0 active again" wait_for 10 eval '[ "$(bond_opt bond0 active_slave)" = veth0 ]'

echo "$DHCP_RELINK" >/sys/class/net/bond0/bonding/failover_relink
dmesg -C
dhcp_scenario 20
dmesg | grep -q "bond0: failover_relink: carrier off for $DHCP_RELINK ms after the failover to veth1" ||
	fail "no failover_relink line in dmesg"
echo "ok"
