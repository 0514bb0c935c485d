#!/bin/bash
# 100 bonds made and deleted over netlink, then 100 over bonding_masters;
# every one listed while it exists; and an unload with 100 bonds present.
# On the debug kernel, where each bond takes a good part of a second, 25.
. "$(dirname "$0")/../lib.sh"

bond_load_defaults max_bonds=0

n=100
[[ $(uname -r) == *debug* ]] && n=25
names() { seq -f "b%g" 1 $n | tr '\n' ' ' | sed 's/ $//'; }

for round in 1 2; do
	seq -f "link add b%g type bond" 1 $n | check "round $round: $n ip link add" ip -batch -
	expect_eq "$(bonding_masters)" "$(names)" "round $round: bonding_masters lists $n"
	expect_eq "$(ls /proc/net/bonding | wc -l)" $n "round $round: $n /proc files"
	seq -f "link del b%g" 1 $n | check "round $round: $n ip link del" ip -batch -
	expect_eq "$(bonding_masters)" "" "round $round: none left"
	expect_eq "$(ls /proc/net/bonding | wc -l)" 0 "round $round: no /proc file left"
done

for i in $(seq 1 $n); do
	expect_eq "$(write_errno /sys/class/net/bonding_masters "+b$i")" ok "+b$i"
done
expect_eq "$(bonding_masters)" "$(names)" "sysfs: bonding_masters lists $n"
for i in $(seq 1 $n); do
	expect_eq "$(write_errno /sys/class/net/bonding_masters "-b$i")" ok "-b$i"
done
expect_eq "$(bonding_masters)" "" "sysfs: none left"

seq -f "link add b%g type bond" 1 $n | check "$n more" ip -batch -
bond_unload
check_fails "no bond survives rmmod" link_exists b$((n / 2))
