#!/bin/bash
# ptp4l (linuxptp 3.1) across a failover of an active-backup bond: the PHC
# changes under it, as in-tree. Two nic_sim pairs (tests/tools/nic-sim, a
# PHC each) are the slaves, miimon 100; ptp4l runs on bond0 as grand
# master with hardware stamps. When the active slave's link is cut, ptp4l
# learns the new active slave from the bond's netlink (its ts_label),
# resets its port (FAULTY until fault_reset_interval, 1 s here), switches to
# that slave's PHC and turns hardware stamping on there (SIOCSHWTSTAMP on
# the new label reaches the new slave); its
# Sync messages go on reaching the peer, stamped by the new slave, with no
# transmit stamp timeout. The same again when the first slave's link comes
# back and the bond fails back to it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-nic.sh"

command -v ptp4l >/dev/null || skip "no ptp4l (linuxptp)"
phc_of() { ethtool -T "$1" | sed -n 's/^PTP Hardware Clock: //p'; }
stamped() { cat "/sys/class/net/$1/nic_sim/tx_stamped"; }
sets() { cat "/sys/class/net/$1/nic_sim/hwtstamp_sets"; }
syncs_since() {	# syncs_since PCAP: PTP frames the peer captured
	tcpdump -n -r "$1" 2>/dev/null | wc -l
}
capture() {
	ip netns exec "$TOPO_NS" tcpdump -U -n -i br0 -w "$1" ether proto 0x88f7 2>/dev/null &
	NIC_PIDS+=($!)
	echo $! >/tmp/dump.pid
}

ptp_fail() {
	sed 's/^/# ptp4l: /' /tmp/ptp4l.log | tail -25
	fail "$*"
}

bond_load
nic_bond "" mode active-backup miimon 100 primary nic0
check "nic0 active" wait_for 10 eval '[ "$(bond_opt bond0 active_slave)" = nic0 ]'
capture /tmp/ptp-a.pcap
sleep 1
ptp4l -i bond0 -2 -H -m --masterOnly 1 --logSyncInterval -2 --tx_timestamp_timeout 100 \
	--logAnnounceInterval -2 --announceReceiptTimeout 2 --fault_reset_interval 0 \
	>/tmp/ptp4l.log 2>&1 &
NIC_PIDS+=($!)
ptp=$!
check "ptp4l on nic0's PHC" wait_for 20 grep -q "selected /dev/ptp$(phc_of nic0) as PTP clock" /tmp/ptp4l.log
check "ptp4l grand master" wait_for 20 grep -q 'assuming the grand master role' /tmp/ptp4l.log
sleep 3
s0=$(stamped nic0)
[ "$s0" -gt 0 ] || fail "nic0 stamped nothing"

# cut nic0: nic1 takes over, ptp4l follows it
sets1=$(sets nic1)
st1=$(stamped nic1)
kill "$(cat /tmp/dump.pid)"
capture /tmp/ptp-b.pcap
ip -n "$TOPO_NS" link set nicp0 down
check "nic1 active" wait_for 10 eval '[ "$(bond_opt bond0 active_slave)" = nic1 ]'
check "ptp4l follows the ts label" wait_for 20 grep -q "ts label changed to nic1" /tmp/ptp4l.log
# ptp4l resets its port on the change (FAULTY, then LISTENING after
# fault_reset_interval: 2^0 s here) and opens it on the new label
check "ptp4l's port back from FAULTY" wait_for 20 eval \
	'sed -n "/ts label changed to nic1/,\$p" /tmp/ptp4l.log | grep -q "to MASTER"'
sleep 4
[ "$(sets nic1)" -gt "$sets1" ] || ptp_fail "ptp4l's hardware stamping did not reach nic1"
[ "$(stamped nic1)" -gt "$st1" ] || ptp_fail "nic1 stamped nothing after the failover"
n=$(syncs_since /tmp/ptp-b.pcap)
say "after the failover: nic1 stamped $(($(stamped nic1) - st1)), the peer got $n PTP frames"
[ "$n" -ge 5 ] || ptp_fail "only $n PTP frames reached the peer after the failover"

# nicp0 back: primary nic0 again, and ptp4l with it
st0=$(stamped nic0)
ip -n "$TOPO_NS" link set nicp0 up
check "nic0 active again" wait_for 10 eval '[ "$(bond_opt bond0 active_slave)" = nic0 ]'
check "ptp4l back on nic0" wait_for 20 grep -q "ts label changed to nic0" /tmp/ptp4l.log
check "ptp4l's port back from FAULTY" wait_for 20 eval \
	'sed -n "/ts label changed to nic0/,\$p" /tmp/ptp4l.log | grep -q "to MASTER"'
sleep 4
[ "$(stamped nic0)" -gt "$st0" ] || ptp_fail "nic0 stamped nothing after the failback"
kill "$ptp"
wait "$ptp" 2>/dev/null
sed 's/^/# ptp4l: /' /tmp/ptp4l.log | grep -v "^# ptp4l: ptp4l\[[0-9.]*\]: port 1: .*MASTER on" | head -30
# A Sync the old slave sends as its link dies gets no stamp (nic_sim drops
# it before stamping, as a NIC whose link is gone would): one transmit
# stamp timeout per failover at most, which resets the port as the label
# change does anyway (seen on the debug kernel, where the window is wide).
timeouts=$(grep -ci 'timed out while polling for tx timestamp' /tmp/ptp4l.log)
[ "$timeouts" -le 2 ] || ptp_fail "$timeouts transmit stamp timeouts in two failovers"
if grep -qE "FT_SWITCH_PHC|Switching PHC" /tmp/ptp4l.log; then
	ptp_fail "ptp4l could not switch to the new slave's PHC"
fi
nic_teardown
bond_unload
echo ok
