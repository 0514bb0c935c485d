#!/bin/bash
# smoke: 802.3ad between two bonds: the receive tap, the tick, selection, release (KASAN found an overread here)
# 802.3ad between two bonds of the module under test, one in a peer
# namespace, two ports each (lacp_rate fast): both ports distribute in one
# aggregator, and /proc, sysfs, netlink and the link xstats say so in
# in-tree's format; traffic flows; a cut port leaves the LAG while the bond
# keeps its carrier, and comes back; min_links 2 takes the carrier with
# one port; the first slave leaving keeps the LAG of the other.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

key() { ip -d -j link show dev "$1" | jq -r ".[0].linkinfo.$2"; }

bond_load_defaults max_bonds=0
lacp_topo 2
lacp_bond bond0 2 lacp_rate fast xmit_hash_policy layer3+4
ip -n "$TOPO_NS" link add bond1 address 02:00:00:00:03:00 type bond mode 802.3ad \
	miimon 100 lacp_rate fast || fail "peer bond"
ip -n "$TOPO_NS" link set p0 master bond1 || fail "enslave p0"
ip -n "$TOPO_NS" link set p1 master bond1 || fail "enslave p1"
ip -n "$TOPO_NS" link set bond1 up
ip -n "$TOPO_NS" addr add "$PEER_IP4/24" dev bond1
lacp_bond_up bond0
check "both ports distributing" lacp_wait_distributing bond0 20
say "distributing $(lacp_since_up) ms after the bond went up"

say "the surfaces"
agg=$(lacp_active_agg bond0)
expect_eq "$(lacp_agg_id veth0),$(lacp_agg_id veth1)" "$agg,$agg" "both ports in the active aggregator"
expect_eq "$(lacp_num_ports bond0)" 2 "ad_num_ports"
expect_eq "$(cat /sys/class/net/bond0/bonding/ad_partner_mac)" 02:00:00:00:03:00 "ad_partner_mac"
expect_eq "$(cat /sys/class/net/bond0/bonding/ad_actor_key)" 15 "ad_actor_key (10G full duplex)"
expect_eq "$(lacp_actor_state veth0),$(lacp_partner_state veth0)" 63,63 "port states (active, fast, in sync, collecting, distributing)"
expect_eq "$(lacp_proc bond0 veth1 actor 'port number')" 2 "/proc actor port number of veth1"
expect_eq "$(lacp_proc bond0 veth0 actor 'system mac address')" 02:00:00:00:00:a0 "/proc actor system (the bond's MAC)"
expect_eq "$(lacp_proc bond0 veth0 partner 'system mac address')" 02:00:00:00:03:00 "/proc partner system"
expect_eq "$(lacp_proc bond0 veth0 partner 'oper key')" 15 "/proc partner key"
expect_eq "$(lacp_proc_active bond0 'Number of ports')" 2 "/proc Number of ports"
grep -qx "LACP rate: fast" /proc/net/bonding/bond0 || fail "/proc LACP rate"
grep -qx "Actor Churn State: monitoring" /proc/net/bonding/bond0 || fail "/proc Actor Churn State (60 s to decide)"
expect_eq "$(key bond0 info_data.ad_info.num_ports)" 2 "ip -d link ad_info"
expect_eq "$(key veth0 info_slave_data.ad_aggregator_id)" "$agg" "ip -d link ad_aggregator_id"
expect_eq "$(key veth0 info_slave_data.state)" ACTIVE "ip -d link slave state"
check "LACPDUs counted" test "$(lacp_xstat veth0 lacpdu_tx)" -gt 0 -a "$(lacp_xstat bond0 lacpdu_rx)" -gt 0

say "traffic, a cut and a return"
check "ping" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
ip link set veth0 down
check "veth0 leaves" wait_for 10 lacp_not_distributing veth0
expect_eq "$(lacp_carrier bond0)" 1 "carrier with one port"
check "ping over veth1" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
ip link set veth0 up
check "veth0 back" lacp_wait_distributing bond0 15
check "ping again" ping -c 2 -i 0.2 -W 2 "$PEER_IP4" >/dev/null

say "min_links"
ip link set bond0 type bond min_links 2 || fail "min_links 2"
expect_eq "$(lacp_carrier bond0)" 1 "carrier with 2 of min_links 2"
ip link set veth1 down
check "carrier off below min_links" wait_for 10 attr_is 0 lacp_carrier bond0
ip link set veth1 up
check "carrier back" wait_for 15 attr_is 1 lacp_carrier bond0
ip link set bond0 type bond min_links 0

say "the first slave leaves"
check "both distributing" lacp_wait_distributing bond0 15
ip link set veth0 nomaster
check "veth1 still distributing" lacp_wait_distributing bond0 10 veth1
expect_eq "$(lacp_carrier bond0)" 1 "carrier after the release"
check "ping after the release" ping -c 2 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
bond_unload
