#!/bin/bash
# smoke: run on the debug kernel by make check
# A bond enslaved to another bond: deleting it releases it from its master
# (nothing keeps a reference), and the master is left with no slave.
. "$(dirname "$0")/../lib.sh"

bond_load_defaults max_bonds=0
for b in bn0 bn1 bn2; do ip link add "$b" type bond || fail "ip link add $b"; done
check "bn0 into bn1" ip link set bn0 master bn1
check "bn2 into bn0" ip link set bn2 master bn0
expect_eq "$(cat /sys/class/net/bn1/bonding/slaves)" bn0 "bn1's slaves"
expect_eq "$(cat /sys/class/net/bn0/bonding/slaves)" bn2 "bn0's slaves"
check "delete bn0" timeout 20 ip link del bn0
check_fails "bn0 gone" link_exists bn0
expect_eq "$(cat /sys/class/net/bn1/bonding/slaves)" "" "bn1 has no slave left"
check "bn2 is free" test ! -e /sys/class/net/bn2/master
bond_unload
