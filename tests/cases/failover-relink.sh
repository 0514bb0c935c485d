#!/bin/bash
# kernel-neutral: failover_relink is ours, and the same on every kernel
# smoke
# Ours beyond in-tree (in-tree skips): failover_relink drops the bond's
# carrier for that many ms after a failover, and only then.
#  - refused past 60000 ms, and in every mode but active-backup;
#  - active-backup, miimon 100, failover_relink 400: the active's link cut
#    takes the carrier away once (carrier_changes +2) for about 400 ms;
#  - no drop where the bond had no carrier: the first enslave, and a slave
#    coming back when none was up; none with failover_relink 0;
#  - the bond going down, being deleted and the module unloaded while the
#    carrier is held off (the work cancelled under RTNL): no splat, and a
#    bond brought up again has its carrier.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load_defaults
ip link del bond0 2>/dev/null
ip link add bondx type bond mode active-backup || fail "a probe bond"
[ -e /sys/class/net/bondx/bonding/failover_relink ] ||
	{ ip link del bondx; skip "this bonding.ko has no failover_relink (in-tree)"; }
# The option's refusals: past its range, and in every mode without a
# failover, balance-tlb and balance-alb among them (their change of active
# slave sends no failover, so the option would do nothing there).
f=/sys/class/net/bondx/bonding/failover_relink
expect_eq "$(cat $f)" 0 "failover_relink's default"
expect_eq "$(write_errno $f 60001)" EINVAL "failover_relink 60001"
expect_eq "$(write_errno $f 60000)" ok "failover_relink 60000"
expect_eq "$(cat $f)" 60000 "failover_relink read back"
for m in balance-rr balance-xor broadcast 802.3ad balance-tlb balance-alb; do
	ip link set bondx type bond mode $m || fail "bondx to $m"
	expect_eq "$(write_errno $f 1000)" EACCES "failover_relink in $m"
done
ip link del bondx

changes() { cat /sys/class/net/bond0/carrier_changes; }
carrier() { cat /sys/class/net/bond0/carrier 2>/dev/null; }
# carrier_off_ms: wait (20 s at most) for the module's "carrier off" and
# "carrier back" lines, and print the time between them by the kernel's
# stamps; `ip monitor` must have seen the carrier go and come back too.
# Stamps taken in user space would be late by a varying amount on the
# debug kernel.
mon_start() {
	ip monitor link >/tmp/mon.log 2>&1 &
	mon=$!
	sleep 0.5
}
relink_lines() { dmesg | grep -E "bond0: failover_relink: carrier (off|back)"; }
carrier_off_ms() {
	wait_for 20 eval '[ "$(relink_lines | wc -l)" -ge 2 ]' || { kill "$mon"; return 1; }
	sleep 0.3
	kill "$mon"
	grep -q "bond0: <NO-CARRIER" /tmp/mon.log && grep -A50 "bond0: <NO-CARRIER" /tmp/mon.log |
		grep -q "bond0: <.*LOWER_UP" || return 1
	relink_lines | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' |
		awk 'NR == 1 { t = $1 } NR == 2 { printf "%d\n", ($1 - t) * 1000 }'
}

topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
ip link add bond0 type bond mode active-backup miimon 100 primary veth0 || fail "bond0"
echo 400 >/sys/class/net/bond0/bonding/failover_relink || fail "failover_relink 400"
ip link set bond0 up
c0=$(changes)
ip link set veth0 master bond0 || fail "enslave veth0"
ip link set veth1 master bond0 || fail "enslave veth1"
check "carrier" wait_for 5 eval '[ "$(carrier)" = 1 ]'
sleep 0.6
expect_eq "$(changes)" $((c0 + 1)) "carrier changes of the first enslaves (no drop)"

dmesg -C
c0=$(changes)
mon_start
peer_cut 0
ms=$(carrier_off_ms) || fail "no carrier drop after the failover"
say "carrier away $ms ms after the failover (failover_relink 400)"
[ "$ms" -ge 350 ] && [ "$ms" -le 3000 ] || fail "carrier away $ms ms, not about 400"
expect_eq "$(bond_opt bond0 active_slave)" veth1 "the active slave"
expect_eq "$(changes)" $((c0 + 2)) "carrier changes of one failover"
dmesg | grep -q "bond0: failover_relink: carrier off for 400 ms after the failover to veth1" ||
	fail "no dmesg line"

# veth1 dies too: no carrier; veth0 returns: carrier, no drop
peer_cut 1
check "no carrier with no slave up" wait_for 5 eval '[ "$(carrier)" = 0 ]'
c0=$(changes)
peer_restore 0
check "carrier back with veth0" wait_for 5 eval '[ "$(carrier)" = 1 ]'
sleep 0.6
expect_eq "$(changes)" $((c0 + 1)) "carrier changes when a slave returns to a bond without carrier"
peer_restore 1
check "veth1 up" wait_for 5 eval '[ "$(cat /sys/class/net/veth1/bonding_slave/mii_status)" = up ]'

# failover_relink 0: no drop
echo 0 >/sys/class/net/bond0/bonding/failover_relink
c0=$(changes)
peer_cut 0
check "failover with relink 0" wait_for 5 eval '[ "$(bond_opt bond0 active_slave)" = veth1 ]'
sleep 0.6
expect_eq "$(changes)" "$c0" "carrier changes of a failover with failover_relink 0"
peer_restore 0
check "veth0 back" wait_for 5 eval '[ "$(bond_opt bond0 active_slave)" = veth0 ]'

# Down, delete and unload while the carrier is held off.
echo 5000 >/sys/class/net/bond0/bonding/failover_relink
peer_cut 0
check "held off (down)" wait_for 5 eval '[ "$(carrier)" = 0 ]'
ip link set bond0 down
echo 0 >/sys/class/net/bond0/bonding/failover_relink
peer_restore 0
ip link set bond0 up
check "carrier after down and up" wait_for 5 eval '[ "$(carrier)" = 1 ]'
check "veth0 active" wait_for 5 eval '[ "$(bond_opt bond0 active_slave)" = veth0 ]'
echo 5000 >/sys/class/net/bond0/bonding/failover_relink
peer_cut 0
check "held off (delete)" wait_for 5 eval '[ "$(carrier)" = 0 ]'
ip link del bond0 || fail "delete bond0 while held off"
peer_restore 0
ip link add bond1 type bond mode active-backup miimon 100 primary veth0 || fail "bond1"
echo 5000 >/sys/class/net/bond1/bonding/failover_relink
ip link set veth0 master bond1 && ip link set veth1 master bond1 || fail "enslave into bond1"
ip link set bond1 up
check "bond1 carrier" wait_for 5 eval '[ "$(cat /sys/class/net/bond1/carrier)" = 1 ]'
sleep 0.3
peer_cut 0
check "held off (rmmod)" wait_for 5 eval '[ "$(cat /sys/class/net/bond1/carrier)" = 0 ]'
bond_unload
echo "ok"
