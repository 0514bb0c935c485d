#!/bin/bash
# kernel-neutral: a client of the sysfs files, the same on every kernel
# ifupdown with ifenslave's bond-* stanzas, as a Debian server has them in
# /etc/network/interfaces.d:
#  - seed 002's stanza as written (balance-rr, miimon 100, updelay and
#    downdelay 220): ifup makes the bond, the delays read back 200 with the
#    in-tree message for the rounding, traffic flows, a slave's link cut
#    takes it down after the downdelay and the bond carries on over the
#    other one, and its return brings it back after the updelay;
#  - ifdown releases the slaves and deletes the bond;
#  - an active-backup stanza with bond-primary: ifup, the primary active,
#    a failover on its link cut, and the primary back when it returns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-client.sh"

bond_load
client_root
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1

cat >/etc/network/interfaces.d/bond0 <<EOF
auto bond0
iface bond0 inet static
	address $BOND_IP4/24
	bond-slaves veth0 veth1
	bond-mode balance-rr
	bond-miimon 100
	bond-updelay 220
	bond-downdelay 220
EOF

dmesg -C
ifup bond0 >/tmp/ifup.log 2>&1 || { cat /tmp/ifup.log; fail "ifup bond0"; }
check "bond0 exists" link_exists bond0
expect_eq "$(client_slaves bond0)" "veth0 veth1" "bond0's slaves"
expect_eq "$(bond_opt bond0 mode)" "balance-rr 0" "mode"
expect_eq "$(bond_opt bond0 miimon)" 100 "miimon"
expect_eq "$(bond_opt bond0 updelay)" 200 "updelay (220 rounded)"
expect_eq "$(bond_opt bond0 downdelay)" 200 "downdelay (220 rounded)"
for d in "up delay" "down delay"; do
	msg="bond0: $d (220) is not a multiple of miimon (100), value rounded to 200 ms"
	dmesg | grep -qF "$msg" || { dmesg | tail -20; fail "no message: $msg"; }
done
grep -q "Up Delay (ms): 200" /proc/net/bonding/bond0 || fail "/proc Up Delay"
check "ping the peer through bond0" client_ping "" "$PEER_IP4"

# The downdelay, then traffic over the other slave; the updelay on return.
peer_cut 0
check "veth0 down after its downdelay" wait_for 5 grep -A1 -q "Slave Interface: veth0" /proc/net/bonding/bond0
wait_for 5 eval '[ "$(sed -n "/Slave Interface: veth0/{n;p}" /proc/net/bonding/bond0)" = "MII Status: down" ]' ||
	fail "veth0's MII Status did not go down"
check "ping over veth1 alone" client_ping "" "$PEER_IP4"
peer_restore 0
wait_for 5 eval '[ "$(sed -n "/Slave Interface: veth0/{n;p}" /proc/net/bonding/bond0)" = "MII Status: up" ]' ||
	fail "veth0's MII Status did not come back up"
dmesg | grep -qF "(slave veth0): link status up, enabling it in 200 ms" ||
	fail "no updelay message for veth0's return"

ifdown bond0 >/tmp/ifdown.log 2>&1 || { cat /tmp/ifdown.log; fail "ifdown bond0"; }
check_fails "bond0 deleted by ifdown" link_exists bond0
check "veth0 has no master" eval '[ ! -e /sys/class/net/veth0/master ]'

# active-backup with a primary
cat >/etc/network/interfaces.d/bond0 <<EOF
auto bond0
iface bond0 inet static
	address $BOND_IP4/24
	bond-slaves veth0 veth1
	bond-mode active-backup
	bond-miimon 100
	bond-primary veth1
EOF
ifup bond0 >/tmp/ifup.log 2>&1 || { cat /tmp/ifup.log; fail "ifup bond0 (active-backup)"; }
expect_eq "$(bond_opt bond0 mode)" "active-backup 1" "mode"
expect_eq "$(bond_opt bond0 primary)" veth1 "primary"
check "veth1 active" wait_for 5 eval '[ "$(bond_opt bond0 active_slave)" = veth1 ]'
check "ping through the primary" client_ping "" "$PEER_IP4"
new=$(client_failover bond0) || exit 1
expect_eq "$new" veth0 "the active slave after the primary's link cut"
check "the primary back when its link returns" \
	wait_for 5 eval '[ "$(bond_opt bond0 active_slave)" = veth1 ]'
check "ping after the primary's return" client_ping "" "$PEER_IP4"
ifdown bond0 >/tmp/ifdown.log 2>&1 || { cat /tmp/ifdown.log; fail "ifdown bond0 (active-backup)"; }
check_fails "bond0 deleted" link_exists bond0
echo "ok"
