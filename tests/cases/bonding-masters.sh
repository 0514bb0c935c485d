#!/bin/bash
# /sys/class/net/bonding_masters: "+name" creates, "-name" deletes, and bad
# commands are refused with the in-tree errno and a dmesg line.
. "$(dirname "$0")/../lib.sh"

bm=/sys/class/net/bonding_masters
bond_load_defaults

expect_eq "$(write_errno $bm +bond5)" ok "+bond5"
check "bond5 exists" link_exists bond5
expect_eq "$(bonding_masters)" "bond0 bond5" "listing after +bond5"
expect_eq "$(write_errno $bm +bond5)" EEXIST "+bond5 again"
expect_eq "$(write_errno $bm "-bond5")" ok "-bond5"
check_fails "bond5 gone" link_exists bond5
expect_eq "$(write_errno $bm "-bond5")" ENODEV "-bond5 again"

# A newline, spaces around the word and trailing words are what echo and
# scripts send; only the first word counts.
expect_eq "$(write_errno $bm $'  +bond6\n')" ok "'  +bond6\\n'"
expect_eq "$(write_errno $bm "-bond6 trailing")" ok "-bond6 with a trailing word"

echo "bonding-masters-mark" >/dev/kmsg
for bad in "+" "-" "bond7" "*bond7" "+bo/nd" "+." $'\n'; do
	expect_eq "$(write_errno $bm "$bad")" EPERM "refusal of '$bad'"
done
dmesg | sed -n '/bonding-masters-mark/,$p' | grep -q 'no command found in bonding_masters' ||
	fail "no dmesg line for a bad command"

# Deleting a non-bond through bonding_masters is refused.
ip link add dum0 type dummy
expect_eq "$(write_errno $bm -dum0)" ENODEV "-dum0 (not a bond)"
check "dum0 untouched" link_exists dum0
ip link del dum0

# A name longer than IFNAMSIZ-1: in-tree truncates it to 15 characters and
# creates that bond; ours refuses it and creates nothing.
long=bond0123456789abcdef
if impl_is intree; then
	expect_eq "$(write_errno $bm "+$long")" ok "+$long (in-tree truncates)"
	check "in-tree made the truncated name" link_exists "${long:0:15}"
else
	expect_eq "$(write_errno $bm "+$long")" EINVAL "+$long (refused)"
	check_fails "nothing made" link_exists "${long:0:15}"
fi
bond_unload
