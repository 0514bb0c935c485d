#!/bin/bash
# kernel-neutral: our option table (options-sysfs-format runs the probed sysfs code on 6.1)
# sysfs option refusals: out-of-range and unknown values (EINVAL), options of
# another mode (EACCES), mode while up (EBUSY) or with slaves (ENOTEMPTY),
# delays without miimon (EPERM), bad slave names; each leaves the value
# unchanged and logs the in-tree dmesg line.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

dir=/sys/class/net/bond0/bonding

# refuse FILE VALUE ERRNO [DMESG-LINE...]: the write fails with ERRNO, FILE
# reads the same before and after, and each DMESG-LINE was logged.
refuse() {
	local f=$1 v=$2 e=$3 before l log
	shift 3
	before=$(cat $dir/$f)
	kmsg_mark "$f-$e"
	expect_eq "$(sysfs_errno $dir/$f "$v")" "$e" "$f <- '$v'"
	expect_eq "$(cat $dir/$f)" "$before" "$f unchanged after '$v'"
	log=$(kmsg_since "$f-$e")
	for l in "$@"; do
		grep -qF "$l" <<<"$log" || fail "$f <- '$v': no dmesg line '$l'"
	done
}

bond_load_defaults

refuse miimon -1 EINVAL "bond0: option miimon: invalid value (-1)" \
	"bond0: option miimon: allowed values 0 - 2147483647"
refuse miimon 2147483648 EINVAL "bond0: option miimon: invalid value (2147483648)"
refuse miimon abc EINVAL "bond0: option miimon: invalid value (abc)"
refuse num_grat_arp 256 EINVAL "bond0: option num_grat_arp: invalid value (256)" \
	"bond0: option num_grat_arp: allowed values 0 - 255"
refuse num_unsol_na 256 EINVAL "bond0: option num_unsol_na: allowed values 0 - 255"
refuse packets_per_slave 65536 EINVAL "bond0: option packets_per_slave: invalid value (65536)" \
	"bond0: option packets_per_slave: allowed values 0 - 65535"
refuse resend_igmp 256 EINVAL "bond0: option resend_igmp: allowed values 0 - 255"
refuse mode bogus EINVAL "bond0: option mode: invalid value (bogus)"
refuse mode 7 EINVAL "bond0: option mode: invalid value (7)"
refuse primary_reselect sometimes EINVAL "bond0: option primary_reselect: invalid value (sometimes)"
refuse fail_over_mac bogus EINVAL "bond0: option fail_over_mac: invalid value (bogus)"
refuse use_carrier 2 EINVAL "bond0: option use_carrier: invalid value (2)"
refuse all_slaves_active 2 EINVAL "bond0: option all_slaves_active: invalid value (2)"

# Delays need miimon.
refuse updelay 200 EPERM "bond0: Unable to set up delay as MII monitoring is disabled"
refuse downdelay 200 EPERM "bond0: Unable to set down delay as MII monitoring is disabled"
refuse peer_notif_delay 200 EPERM "bond0: Unable to set peer notification delay as MII monitoring is disabled"
expect_eq "$(write_errno $dir/miimon 100)" ok "miimon 100"
refuse peer_notif_delay 300001 EINVAL "bond0: option peer_notif_delay: allowed values 0 - 300000"

# Options of active-backup in balance-rr, and the other way round.
refuse primary veth0 EACCES "bond0: option primary: mode dependency failed, not supported in mode balance-rr(0)"
refuse active_slave veth0 EACCES "bond0: option active_slave: mode dependency failed, not supported in mode balance-rr(0)"
expect_eq "$(write_errno $dir/mode active-backup)" ok "mode active-backup"
refuse packets_per_slave 2 EACCES "bond0: option packets_per_slave: mode dependency failed, not supported in mode active-backup(1)"

# mode only while down and empty; fail_over_mac only while empty.
ip link set bond0 up
refuse mode balance-rr EBUSY "bond0: option mode: unable to set because the bond device is up"
ip link set bond0 down
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
# veth0 joins with its link down: no active slave
peer_cut 0
check "enslave veth0" ip link set veth0 master bond0
refuse mode balance-rr ENOTEMPTY "bond0: option mode: unable to set because the bond device has slaves"
refuse fail_over_mac active ENOTEMPTY "bond0: option fail_over_mac: unable to set because the bond device has slaves"

# Slave names.
refuse active_slave nonexist ENODEV "bond0: option active_slave: interface nonexist does not exist!"
refuse active_slave veth1 EINVAL "bond0: (slave veth1): Device is not bonding slave"
ip link add bond1 type bond
ip link set veth1 master bond1
refuse active_slave veth1 EINVAL "bond0: (slave veth1): Device is not our slave"
refuse active_slave veth0 EINVAL "bond0: (slave veth0): Could not set as active slave; either veth0 is down or the link is down"
refuse queue_id veth0 EPERM
refuse queue_id veth0:x EPERM
refuse queue_id nonexist:1 EPERM
refuse queue_id veth1:1 EPERM		# bond1's slave
refuse queue_id veth0:17 EPERM		# more than the bond's 16 tx queues
expect_eq "$(write_errno $dir/queue_id veth0:16)" ok "queue_id veth0:16 (== real_num_tx_queues)"
expect_eq "$(cat $dir/queue_id)" veth0:16 "queue_id 16"
ip link set veth1 nomaster
ip link set veth1 master bond0
refuse queue_id veth1:16 EPERM		# duplicate
expect_eq "$(write_errno $dir/queue_id veth1:0)" ok "queue_id 0 may repeat"

# Not a refusal: a primary that is no slave is recorded (reads empty) and
# used when a device of that name is enslaved.
expect_eq "$(write_errno $dir/primary nonexist)" ok "primary nonexist"
expect_eq "$(cat $dir/primary)" "" "primary reads empty"
expect_eq "$(proc_get bond0 'Primary Slave')" None "/proc primary"
ip link add nonexist type dummy
ip link set nonexist master bond0
expect_eq "$(cat $dir/primary)" nonexist "recorded primary used on enslave"
bond_unload
