#!/bin/bash
# /sys/class/net/bond0/bonding/ files of the rr/ab options: their exact bytes
# on a fresh bond (in-tree defaults, "name n\n" for enums, empty files when
# unset), and each written through sysfs (names, numbers, keywords) read back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

dir=/sys/class/net/bond0/bonding

# is FILE EXPECTED: FILE holds exactly EXPECTED followed by a newline, or
# nothing at all (0 bytes) when EXPECTED is empty.
is() {
	local want=$2 got
	[ -n "$want" ] && want+=$'\n'
	got=$(cat "$dir/$1"; echo .)	# the dot keeps trailing newlines
	[ "$got" = "$want." ] ||
		fail "$1: got $(cat "$dir/$1" | od -An -c | tr -s ' '), expected '$2'"
}

# set_is FILE VALUE EXPECTED: writing VALUE succeeds and FILE then reads EXPECTED.
set_is() {
	expect_eq "$(write_errno "$dir/$1" "$2")" ok "write '$2' to $1"
	is "$1" "$3"
}

bond_load_defaults

# Defaults of a fresh bond.
is mode "balance-rr 0"
is miimon 0
is updelay 0
is downdelay 0
is peer_notif_delay 0
is use_carrier 1
is primary ""
is primary_reselect "always 0"
is active_slave ""
is fail_over_mac "none 0"
is num_grat_arp 1
is num_unsol_na 1
is resend_igmp 1
is all_slaves_active 0
is packets_per_slave 1
is queue_id ""
is slaves ""
is mii_status down

# balance-rr only.
set_is packets_per_slave 7 7
set_is packets_per_slave default 1
set_is packets_per_slave maxval 65535
set_is packets_per_slave 0 0

# Any mode; the delays need miimon and are multiples of it.
set_is miimon 200 200
set_is updelay 400 400
set_is downdelay 600 600
set_is peer_notif_delay 200 200
set_is use_carrier off 0
set_is use_carrier on 1
set_is use_carrier 0 0
set_is num_grat_arp 5 5
is num_unsol_na 5
set_is num_unsol_na 0 0
is num_grat_arp 0
set_is num_grat_arp default 1
set_is resend_igmp 0 0
set_is resend_igmp 255 255
set_is all_slaves_active 1 1
set_is all_slaves_active off 0
set_is primary_reselect better "better 1"
set_is primary_reselect 2 "failure 2"
set_is primary_reselect always "always 0"
set_is fail_over_mac follow "follow 2"
set_is fail_over_mac 1 "active 1"
set_is fail_over_mac none "none 0"
set_is use_carrier 1 1
set_is miimon 100 100
is updelay 200		# kept as 2 x miimon
is downdelay 300
is peer_notif_delay 100
set_is miimon off 0
is updelay 0
set_is miimon 100 100
is updelay 200

# Mode by number and by name (down, no slaves).
set_is mode 1 "active-backup 1"
set_is mode balance-rr "balance-rr 0"
set_is mode active-backup "active-backup 1"
# A primary that is not a slave yet is recorded but reads empty...
set_is primary veth0 ""
expect_eq "$(proc_get bond0 'Primary Slave')" None "/proc primary before enslaving"

topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
expect_eq "$(write_errno $dir/slaves +veth0)" ok "+veth0"
expect_eq "$(write_errno $dir/slaves +veth1)" ok "+veth1"
is slaves "veth0 veth1"
# ...and takes effect when that device is enslaved.
is primary veth0
is queue_id "veth0:0 veth1:0"
ip link set bond0 up
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "veth1 up" wait_for 10 attr_is up slave_attr veth1 mii_status
is active_slave veth0
is mii_status up
set_is active_slave veth1 veth1
expect_eq "$(slave_attr veth1 state)" active "veth1 state"
set_is queue_id veth1:3 "veth0:0 veth1:3"
expect_eq "$(slave_attr veth1 queue_id)" 3 "bonding_slave/queue_id"
set_is queue_id veth1:0 "veth0:0 veth1:0"
is mode "active-backup 1"
set_is primary $'\n' ""
expect_eq "$(write_errno $dir/slaves -veth0)" ok "-veth0"
is slaves veth1
is active_slave veth1
bond_unload
