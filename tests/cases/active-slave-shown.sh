#!/bin/bash
# kernel-neutral: what our option and netlink code report
# The active slave is shown (sysfs active_slave, IFLA_BOND_ACTIVE_SLAVE in
# `ip -d link`) only in modes where it carries the traffic. In balance-rr,
# balance-xor and broadcast in-tree keeps a current slave internally (it
# pins IGMP reports) but shows none: the file reads empty and the netlink
# attribute is absent, whatever the slaves do. active-backup shows it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# nl_active BOND: the active_slave ip -d -j link shows, or "none".
nl_active() {
	ip -d -j link show dev "$1" | jq -r '.[0].linkinfo.info_data.active_slave // "none"'
}

bond_load_defaults max_bonds=0
for mode in balance-rr balance-xor broadcast active-backup; do
	say "mode $mode"
	topo_bond bond0 2 mode "$mode" miimon 100
	check "$mode: both slaves up" wait_for 10 eval \
		'[ "$(slave_attr veth0 mii_status)$(slave_attr veth1 mii_status)" = upup ]'
	check "$mode: ping" ping -c 2 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
	if [ "$mode" = active-backup ]; then
		act=$(bond_opt bond0 active_slave)
		expect_match "$act" '^veth[01]$' "$mode: sysfs active_slave"
		expect_eq "$(nl_active bond0)" "$act" "$mode: ip -d link active_slave"
	else
		expect_eq "$(bond_opt bond0 active_slave)" "" "$mode: sysfs active_slave"
		expect_eq "$(nl_active bond0)" none "$mode: ip -d link active_slave"
		# a carrier loss changes what the bond keeps inside, not what it shows
		peer_cut 0
		check "$mode: veth0 down" wait_for 10 attr_is down slave_attr veth0 mii_status
		expect_eq "$(bond_opt bond0 active_slave)" "" "$mode: sysfs active_slave after a cut"
		expect_eq "$(nl_active bond0)" none "$mode: ip -d link active_slave after a cut"
	fi
	ip link del bond0
	ip netns del "$TOPO_NS"
	_netns=()
	for i in 0 1; do ip link del "veth$i" 2>/dev/null; done
done
bond_unload
