#!/bin/bash
# kernel-neutral: MII delays, in our own timers
# miimon 100 with downdelay 200 / updelay 300: a cut slave goes "going down"
# (still active) before "down", a restored one "going back" before "up", with
# the in-tree dmesg lines. A delay that is not a multiple of miimon is rounded
# down with a warning.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

# watch_states SLAVE FINAL SECONDS: set $seq to the distinct successive values
# of SLAVE's bonding_slave/mii_status, comma-separated, until FINAL is seen.
# Polls with shell builtins only, so short states are not missed.
watch_states() {
	local f=/sys/class/net/$1/bonding_slave/mii_status s prev='' end=$((SECONDS + $3))
	seq=
	while [ $SECONDS -lt $end ]; do
		read -r s <"$f" || break
		if [ "$s" != "$prev" ]; then
			seq+="${seq:+,}$s"
			prev=$s
			if [ "$s" = "going down" ]; then
				# the slave keeps its role until downdelay expires
				read -r active_during_fail </sys/class/net/bond0/bonding/active_slave
				read -r s <"$f"
				[ "$s" = "going down" ] || active_during_fail=
			fi
		fi
		[ "$s" = "$2" ] && break
	done
}

bond_load_defaults
ip link del bond0
topo_bond bond0 2 mode active-backup miimon 100 updelay 300 downdelay 200
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "veth1 up" wait_for 10 attr_is up slave_attr veth1 mii_status
expect_eq "$(bond_opt bond0 updelay)" 300 "sysfs updelay"
expect_eq "$(bond_opt bond0 downdelay)" 200 "sysfs downdelay"
expect_eq "$(proc_get bond0 'Up Delay (ms)')" 300 "/proc Up Delay"
expect_eq "$(proc_get bond0 'Down Delay (ms)')" 200 "/proc Down Delay"

kmsg_mark cut
active_during_fail=
peer_cut 0
watch_states veth0 down 20
expect_match "$seq" '^(up,)?going down,down$' "mii_status after the cut"
expect_eq "$active_during_fail" veth0 "active slave while veth0 is going down"
check "failover to veth1" wait_for 10 attr_is veth1 bond_opt bond0 active_slave
expect_eq "$(slave_attr veth0 link_failure_count)" 1 "one link failure"
kmsg_since cut | grep -q 'bond0: (slave veth0): link status down for active interface, disabling it in 200 ms' ||
	fail "no 'disabling it in 200 ms' line"

kmsg_mark restore
peer_restore 0
watch_states veth0 up 20
expect_match "$seq" '^(down,)?going back,up$' "mii_status after the restore"
kmsg_since restore | grep -q 'bond0: (slave veth0): link status up, enabling it in 300 ms' ||
	fail "no 'enabling it in 300 ms' line"
kmsg_since restore | grep -q 'bond0: (slave veth0): link status definitely up, 10000 Mbps full duplex' ||
	fail "no 'definitely up' line"
expect_eq "$(bond_opt bond0 active_slave)" veth1 "no failback"

# Rounding: delays are kept as multiples of miimon, rounded down.
bonding=/sys/class/net/bond0/bonding
kmsg_mark round
expect_eq "$(write_errno $bonding/updelay 350)" ok "updelay 350"
expect_eq "$(bond_opt bond0 updelay)" 300 "updelay rounded"
expect_eq "$(write_errno $bonding/downdelay 290)" ok "downdelay 290"
expect_eq "$(bond_opt bond0 downdelay)" 200 "downdelay rounded"
expect_eq "$(write_errno $bonding/downdelay 50)" ok "downdelay 50"
expect_eq "$(bond_opt bond0 downdelay)" 0 "downdelay below miimon rounds to 0"
check "netlink updelay 480" ip link set bond0 type bond updelay 480
expect_eq "$(bond_opt bond0 updelay)" 400 "netlink updelay rounded"
expect_eq "$(proc_get bond0 'Up Delay (ms)')" 400 "/proc Up Delay rounded"
log=$(kmsg_since round)
for l in 'bond0: up delay (350) is not a multiple of miimon (100), value rounded to 300 ms' \
	 'bond0: down delay (290) is not a multiple of miimon (100), value rounded to 200 ms' \
	 'bond0: down delay (50) is not a multiple of miimon (100), value rounded to 0 ms' \
	 'bond0: up delay (480) is not a multiple of miimon (100), value rounded to 400 ms'; do
	grep -qF "$l" <<<"$log" || fail "no dmesg warning '$l'"
done
bond_unload
