#!/bin/bash
# kernel-neutral: failover_relink is ours, and the same on every kernel
# Ours beyond in-tree (failover_relink; in-tree skips): seed 000's two ISP
# uplinks (tests/lib-dhcp.sh), bond0's address by dhcpcd (Debian 12's
# dhcpcd-base 9.4), which starts over when the bond's carrier comes back:
# after a failover to ISP B, by a link cut or by ISP A's router dying with
# its link up, dhcpcd gets ISP B's lease and route; when ISP A comes back,
# ISP A's again.
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
dhcp_bond
# as Debian's dhcpcd.conf has it, without IPv4LL and IPv6 (the VM has none)
printf 'option routers\nnoipv4ll\nipv4only\nnoarp\n' >/etc/dhcpcd.conf
client_spawn dhcpcd dhcpcd -B -f /etc/dhcpcd.conf -c /bin/true bond0
dhcp_scenario 20
echo "ok"
