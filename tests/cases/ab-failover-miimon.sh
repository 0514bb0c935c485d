#!/bin/bash
# active-backup with miimon 100: cutting the active slave's link moves the
# active role to the other slave (sysfs and /proc agree), counts one link
# failure, and a continuous ping loses little; the restored slave comes back
# as a backup (no failback without a primary).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load_defaults
ip link del bond0
topo_bond bond0 2 mode active-backup miimon 100
check "an active slave is chosen" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "ping works before the cut" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null

expect_eq "$(proc_get bond0 'Currently Active Slave')" veth0 "/proc active before"
expect_eq "$(slave_attr veth0 state)" active "veth0 state before"
expect_eq "$(slave_attr veth1 state)" backup "veth1 state before"

log=$(mktemp)
ping -i 0.05 -c 120 -W 1 "$PEER_IP4" >"$log" 2>&1 &
pid=$!
sleep 1.5
kmsg_mark cut
peer_cut 0

check "veth1 becomes active" wait_for 10 attr_is veth1 bond_opt bond0 active_slave
check "veth0 MII down" wait_for 10 attr_is down slave_attr veth0 mii_status
expect_eq "$(proc_get bond0 'Currently Active Slave')" veth1 "/proc active after the cut"
expect_eq "$(proc_get bond0 'MII Status' veth0)" down "/proc MII Status of veth0"
expect_eq "$(proc_get bond0 'Link Failure Count' veth0)" 1 "/proc Link Failure Count of veth0"
expect_eq "$(proc_get bond0 'Link Failure Count' veth1)" 0 "/proc Link Failure Count of veth1"
expect_eq "$(proc_get bond0 'MII Status')" up "bond MII Status with one slave left"
expect_eq "$(slave_attr veth0 link_failure_count)" 1 "sysfs link_failure_count of veth0"
expect_eq "$(slave_attr veth0 state)" backup "veth0 state after the cut"
expect_eq "$(slave_attr veth1 state)" active "veth1 state after the cut"

wait $pid
sent=$(ping_sent "$log")
loss=$(ping_loss "$log")
say "ping: $sent sent, $loss% lost"
expect_eq "$sent" 120 "pings sent"
[ -n "$loss" ] && [ "$loss" -lt 30 ] || fail "ping loss over the failover: '$loss'% (log: $(tail -n 2 "$log"))"
kmsg_since cut | grep -q 'bond0: (slave veth0): link status definitely down, disabling slave' ||
	fail "no 'definitely down' line for veth0"
kmsg_since cut | grep -q 'bond0: (slave veth1): making interface the new active one' ||
	fail "no 'making interface the new active one' line for veth1"

# Restore: veth0 comes back up but stays a backup.
peer_restore 0
check "veth0 MII back up" wait_for 10 attr_is up slave_attr veth0 mii_status
sleep 0.5
expect_eq "$(bond_opt bond0 active_slave)" veth1 "active after the restore (no failback)"
expect_eq "$(proc_get bond0 'Currently Active Slave')" veth1 "/proc active after the restore"
expect_eq "$(proc_get bond0 'MII Status' veth0)" up "/proc MII Status of veth0 after the restore"
expect_eq "$(proc_get bond0 'Link Failure Count' veth0)" 1 "failure count kept after the restore"
expect_eq "$(slave_attr veth0 state)" backup "veth0 is a backup after the restore"
check "ping after the restore" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
rm -f "$log"
bond_unload
