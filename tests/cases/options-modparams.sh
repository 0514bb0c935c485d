#!/bin/bash
# kernel-neutral: our option table and module parameters
# Module parameters: `modprobe bonding mode=1 miimon=100 ...` gives every bond
# (auto-created, netlink, bonding_masters) those settings; bad numbers are
# reset with the in-tree warning; an unknown mode name (and other bad names)
# make the load fail.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# load_fails DESC DMESG-LINE PARAM...: the load fails, logs DMESG-LINE, and
# leaves no module behind.
load_fails() {
	local desc=$1 line=$2
	shift 2
	kmsg_mark "$desc"
	! modprobe -C "$BOND_MODPROBE_DIR" bonding "$@" 2>/dev/null || fail "$desc: loaded ($*)"
	check_fails "$desc: module not loaded" bond_loaded
	kmsg_lines "$desc" | grep -qxF "$line" || fail "$desc: no dmesg line '$line'"
}

# kmsg_lines MARK: the lines since MARK without their timestamps. The
# lines are compared whole: in-tree prints these without a "bonding: "
# prefix, and scripts match them as printed.
kmsg_lines() { kmsg_since "$1" | sed 's/^\[[^]]*\] //'; }
# warned DMESG-LINE: logged since the mark "load".
warned() { kmsg_lines load | grep -qxF "$1" || fail "no dmesg warning '$1'"; }

kmsg_mark load
bond_load_defaults mode=1 miimon=100 updelay=250 downdelay=300 num_grat_arp=3 \
	primary=veth1 primary_reselect=failure fail_over_mac=follow resend_igmp=4 \
	all_slaves_active=1 use_carrier=0 max_bonds=2 xmit_hash_policy=layer3+4
expect_eq "$(bonding_masters)" "bond0 bond1" "max_bonds=2"
echo +bond7 >/sys/class/net/bonding_masters
ip link add bond8 type bond
for b in bond0 bond1 bond7 bond8; do
	got=
	for f in mode miimon updelay downdelay num_grat_arp num_unsol_na primary_reselect \
		 fail_over_mac resend_igmp all_slaves_active use_carrier; do
		got+="$f=$(bond_opt $b $f);"
	done
	expect_eq "$got" "mode=active-backup 1;miimon=100;updelay=200;downdelay=300;num_grat_arp=3;num_unsol_na=3;primary_reselect=failure 2;fail_over_mac=follow 2;resend_igmp=4;all_slaves_active=1;use_carrier=0;" \
		"settings of $b"
done
warned "Warning: updelay (250) is not a multiple of miimon (100), updelay rounded to 200 ms"
warned "xmit_hash_policy param is irrelevant in mode fault-tolerance (active-backup)"
warned "MII link monitoring set to 100 ms"
# bonding_masters' own lines do carry the module's name, in-tree too
warned "bonding: bond7 is being created..."
# only num_grat_arp/num_unsol_na are visible under /sys/module
expect_eq "$(ls /sys/module/bonding/parameters | paste -sd' ')" "num_grat_arp num_unsol_na" \
	"visible module parameters"
expect_eq "$(cat /sys/module/bonding/parameters/num_grat_arp)" 3 "num_grat_arp parameter"
# primary=veth1 is recorded in every bond and used once veth1 is enslaved.
expect_eq "$(bond_opt bond0 primary)" "" "primary before veth1 exists"
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
ip link set veth0 master bond0
ip link set veth1 master bond0
expect_eq "$(bond_opt bond0 primary)" veth1 "primary=veth1 applied on enslave"
bond_unload

# Out-of-range numbers are reset with a warning; the module loads.
kmsg_mark load
bond_load_defaults miimon=-1 num_grat_arp=300 packets_per_slave=70000 resend_igmp=-3 \
	use_carrier=5 all_slaves_active=7 downdelay=-5
expect_eq "$(bond_opt bond0 miimon)" 0 "miimon=-1"
expect_eq "$(bond_opt bond0 num_grat_arp)" 1 "num_grat_arp=300"
expect_eq "$(bond_opt bond0 packets_per_slave)" 1 "packets_per_slave=70000"
expect_eq "$(bond_opt bond0 resend_igmp)" 1 "resend_igmp=-3"
expect_eq "$(bond_opt bond0 use_carrier)" 1 "use_carrier=5"
expect_eq "$(bond_opt bond0 all_slaves_active)" 0 "all_slaves_active=7"
expect_eq "$(bond_opt bond0 downdelay)" 0 "downdelay=-5"
warned "Warning: miimon module parameter (-1), not in range 0-2147483647, so it was reset to 0"
warned "Warning: num_grat_arp/num_unsol_na (300) not in range 0-255 so it was reset to 1"
warned "Warning: packets_per_slave (70000) should be between 0 and 65535 resetting to 1"
warned "Warning: resend_igmp (-3) should be between 0 and 255, resetting to 1"
warned "Warning: use_carrier module parameter (5), not of valid value (0/1), so it was set to 1"
warned "Warning: all_slaves_active module parameter (7), not of valid value (0/1), so it was set to 0"
warned "Warning: downdelay module parameter (-5), not in range 0-2147483647, so it was reset to 0"
bond_unload

# Delays without miimon are ignored; primary outside primary modes too;
# primary_reselect is only read along with primary.
kmsg_mark load
bond_load_defaults updelay=200 primary=veth1 primary_reselect=failure
expect_eq "$(bond_opt bond0 updelay)" 0 "updelay without miimon"
expect_eq "$(bond_opt bond0 primary_reselect)" "always 0" "primary_reselect with an ignored primary"
warned "Warning: miimon module parameter not set and updelay (200) or downdelay (0) module parameter is set; updelay and downdelay have no effect unless miimon is set"
warned "Warning: veth1 primary device specified but has no effect in load balancing (round-robin) mode"
bond_unload
kmsg_mark load
bond_load_defaults mode=active-backup primary_reselect=failure
expect_eq "$(bond_opt bond0 primary_reselect)" "always 0" "primary_reselect without primary"
bond_unload

# Names that do not parse make the load fail.
load_fails "mode name" 'Error: Invalid bonding mode "bogus"' mode=bogus
load_fails "mode number" 'Error: Invalid bonding mode "7"' mode=7
load_fails "fail_over_mac" 'Error: invalid fail_over_mac "bogus"' fail_over_mac=bogus
load_fails "primary_reselect" 'Error: Invalid primary_reselect "bogus"' mode=1 primary=veth1 primary_reselect=bogus
load_fails "arp_validate without arp_interval" "arp_validate requires arp_interval" arp_validate=all
# ... but xmit_hash_policy is not even read in balance-rr/active-backup.
kmsg_mark load
bond_load_defaults xmit_hash_policy=bogus
warned "xmit_hash_policy param is irrelevant in mode load balancing (round-robin)"
bond_unload
