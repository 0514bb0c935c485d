#!/bin/bash
# kernel-neutral: 802.3ad against a peer (no probed kernel difference but the 800 Gb/s key)
# min_links in 802.3ad: with min_links 2 over two ports the bond has
# carrier while both links are up in the active aggregator; cutting one
# drops it (the other port still distributes: LACP goes on); restoring
# the link brings the carrier back, in-tree as soon as the link is up,
# before the port is distributing again (the carrier counts link-up ports
# of the active aggregator). min_links is live: 1 brings the carrier back
# at once, 3 takes it away with both ports distributing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

bond_load_defaults
ip link del bond0
lacp_topo 2
lacp_peer_team team0 p0 p1
lacp_bond bond0 2 lacp_rate fast min_links 2
lacp_bond_up bond0
check "both ports distributing" lacp_wait_distributing bond0 30
expect_eq "$(lacp_carrier bond0)" 1 "carrier with 2 of min_links 2"
expect_eq "$(bond_opt bond0 min_links)" 2 "sysfs min_links"
expect_eq "$(grep '^Min links: ' /proc/net/bonding/bond0)" "Min links: 2" "/proc Min links"
expect_eq "$(proc_get bond0 'MII Status')" up "/proc MII Status with carrier"
check "ping with carrier" lacp_ping "$PEER_IP4"

peer_cut 0
check "carrier off with 1 of min_links 2" wait_for 10 attr_is 0 lacp_carrier bond0
expect_eq "$(proc_get bond0 'MII Status')" down "/proc MII Status without carrier"
expect_eq "$(lacp_num_ports bond0)" 1 "ad_num_ports"
check "veth1 still distributing (LACP goes on without carrier)" lacp_distributing veth1
check_fails "no ping without carrier" lacp_ping_once "$PEER_IP4"

# min_links is applied at once, either way.
ip link set bond0 type bond min_links 1 || fail "min_links 1"
check "carrier on at once with min_links 1" wait_for 2 attr_is 1 lacp_carrier bond0
check "ping with min_links 1" lacp_ping "$PEER_IP4"
ip link set bond0 type bond min_links 2 || fail "min_links 2 again"
check "carrier off again with min_links 2" wait_for 2 attr_is 0 lacp_carrier bond0

t0=$(ms_now)
peer_restore 0
check "carrier back when the link is back" wait_for 10 attr_is 1 lacp_carrier bond0
t_carrier=$(($(ms_now) - t0))
# in-tree: carrier counts the link, not LACP
check "veth0 not yet distributing when the carrier is back" lacp_not_distributing veth0
check "veth0 distributing again" lacp_wait_distributing bond0 30
say "after the restore: carrier in $t_carrier ms, veth0 distributing in $(($(ms_now) - t0)) ms"
check "ping after the restore" lacp_ping "$PEER_IP4"

echo 3 >/sys/class/net/bond0/bonding/min_links || fail "min_links 3 by sysfs"
check "carrier off with min_links 3 over 2 ports" wait_for 2 attr_is 0 lacp_carrier bond0
check "both ports still distributing" lacp_all_distributing bond0
echo 0 >/sys/class/net/bond0/bonding/min_links || fail "min_links 0 by sysfs"
check "carrier on with min_links 0" wait_for 2 attr_is 1 lacp_carrier bond0
ip link del bond0
bond_unload
