#!/bin/bash
# max_bonds=N creates bond0..bondN-1 at load; 0 creates none; a negative
# value is reset to 1 with a warning in dmesg.
. "$(dirname "$0")/../lib.sh"

bond_load_defaults max_bonds=0
expect_eq "$(bonding_masters)" "" "max_bonds=0: no bond"
check "max_bonds=0: bonding_masters exists" test -e /sys/class/net/bonding_masters
bond_unload

bond_load_defaults max_bonds=3
expect_eq "$(bonding_masters)" "bond0 bond1 bond2" "max_bonds=3"
for b in bond0 bond1 bond2; do
	check "$b in /proc/net/bonding" test -r /proc/net/bonding/$b
done
bond_unload

echo "max-bonds-mark" >/dev/kmsg
bond_load_defaults max_bonds=-1
expect_eq "$(bonding_masters)" "bond0" "max_bonds=-1 is reset to 1"
dmesg | sed -n '/max-bonds-mark/,$p' | grep -q 'max_bonds (-1) not in range' ||
	fail "no warning for max_bonds=-1"
bond_unload
