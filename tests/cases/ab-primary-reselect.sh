#!/bin/bash
# kernel-neutral: active slave selection, our own logic
# active-backup primary and primary_reselect: after the primary's link is cut
# and restored, "always" returns to the primary, "failure" stays, and "better"
# stays too when speed and duplex are equal (veth: 10000 Mbps full each).
# Setting primary, or switching the policy, reselects at once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

active_is() { attr_is "$1" bond_opt bond0 active_slave; }

# cut_and_restore I: cut vethI's link, wait for the failover away from it,
# restore it and wait until its MII status is up again.
cut_and_restore() {
	peer_cut "$1"
	check "veth$1 down" wait_for 10 attr_is down slave_attr "veth$1" mii_status
	check "failover away from veth$1" wait_for 10 active_is "veth$(( 1 - $1 ))"
	peer_restore "$1"
	check "veth$1 up again" wait_for 10 attr_is up slave_attr "veth$1" mii_status
}

bond_load_defaults
ip link del bond0
topo_bond bond0 2 mode active-backup miimon 100
check "veth0 active" wait_for 10 active_is veth0
expect_eq "$(proc_get bond0 'Primary Slave')" None "/proc primary before"

expect_eq "$(write_errno /sys/class/net/bond0/bonding/primary veth0)" ok "primary veth0"
expect_eq "$(bond_opt bond0 primary)" veth0 "sysfs primary"
expect_eq "$(bond_opt bond0 primary_reselect)" "always 0" "default primary_reselect"
expect_eq "$(proc_get bond0 'Primary Slave')" "veth0 (primary_reselect always)" "/proc primary"

# always: back to the primary as soon as it is up.
cut_and_restore 0
check "always: primary veth0 active again" wait_for 10 active_is veth0
expect_eq "$(proc_get bond0 'Currently Active Slave')" veth0 "always: /proc active"

# failure: the primary only takes over when the current one fails.
expect_eq "$(write_errno /sys/class/net/bond0/bonding/primary_reselect failure)" ok "primary_reselect failure"
expect_eq "$(proc_get bond0 'Primary Slave')" "veth0 (primary_reselect failure)" "/proc primary with failure"
cut_and_restore 0
sleep 1
expect_eq "$(bond_opt bond0 active_slave)" veth1 "failure: stays on veth1"
expect_eq "$(slave_attr veth0 state)" backup "failure: primary is a backup"

# better: the primary wins only if faster, or as fast with better duplex.
# Equal veths: the current slave stays, as with failure.
expect_eq "$(write_errno /sys/class/net/bond0/bonding/primary_reselect better)" ok "primary_reselect better"
expect_eq "$(bond_opt bond0 primary_reselect)" "better 1" "sysfs primary_reselect better"
sleep 0.5
expect_eq "$(bond_opt bond0 active_slave)" veth1 "better (equal speed): no reselect"
cut_and_restore 0
sleep 1
expect_eq "$(bond_opt bond0 active_slave)" veth1 "better (equal speed): stays on veth1"
expect_eq "$(proc_get bond0 Speed veth0)" "10000 Mbps" "veth0 speed"
expect_eq "$(proc_get bond0 Speed veth1)" "10000 Mbps" "veth1 speed"

# Switching to always reselects at once: the primary takes over.
expect_eq "$(write_errno /sys/class/net/bond0/bonding/primary_reselect always)" ok "primary_reselect always"
check "always reselects at once" wait_for 5 active_is veth0

# Setting a new primary makes it active once, whatever the policy.
expect_eq "$(write_errno /sys/class/net/bond0/bonding/primary_reselect failure)" ok "primary_reselect failure again"
expect_eq "$(write_errno /sys/class/net/bond0/bonding/primary veth1)" ok "primary veth1"
check "a new primary is made active" wait_for 5 active_is veth1
expect_eq "$(proc_get bond0 'Primary Slave')" "veth1 (primary_reselect failure)" "/proc new primary"

# Clearing the primary keeps the current active slave.
expect_eq "$(write_errno /sys/class/net/bond0/bonding/primary $'\n')" ok "clear primary (a lone newline)"
expect_eq "$(bond_opt bond0 primary)" "" "primary cleared"
expect_eq "$(proc_get bond0 'Primary Slave')" None "/proc primary cleared"
expect_eq "$(bond_opt bond0 active_slave)" veth1 "active kept after clearing primary"
bond_unload
