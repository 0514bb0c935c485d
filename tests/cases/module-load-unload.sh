#!/bin/bash
# Loading creates bond0 (max_bonds defaults to 1) with its bonding_masters
# and /proc entries; unloading removes all of it. Twenty rounds (five on
# the debug kernel, where each takes seconds: the stress campaign unloads
# far more often there).
. "$(dirname "$0")/../lib.sh"

rounds=20
[[ $(uname -r) == *debug* ]] && rounds=5
for round in $(seq 1 $rounds); do
	bond_load_defaults
	check "round $round: bond0 exists" link_exists bond0
	expect_eq "$(bonding_masters)" "bond0" "round $round: bonding_masters"
	check "round $round: /proc/net/bonding/bond0" test -r /proc/net/bonding/bond0
	expect_eq "$(ip -j -d link show bond0 | jq -r '.[0].linkinfo.info_kind')" bond \
		"round $round: link kind"
	bond_unload
	check_fails "round $round: bond0 gone after rmmod" link_exists bond0
	check_fails "round $round: bonding_masters gone" test -e /sys/class/net/bonding_masters
	check_fails "round $round: /proc/net/bonding gone" test -e /proc/net/bonding
done
