#!/bin/bash
# PTP on a bond: time stamping goes by the active slave, as in-tree. Two
# pairs of nic_sim devices (tests/tools/nic-sim: a PHC each, hardware
# stamps) are the slaves of an active-backup bond (miimon 100), their peers
# ports of the peer's bridge.
#  - ethtool -T bond0 shows the active slave's PHC and hardware
#    capabilities, and the other slave's after a failover;
#  - SIOCSHWTSTAMP on the bond without HWTSTAMP_FLAG_BONDED_PHC_INDEX is
#    refused (EOPNOTSUPP); with it, it reaches the active slave, and the
#    answers of set and SIOCGHWTSTAMP carry the flag;
#  - a datagram sent by the bond with hardware transmit stamping asked for
#    gets a hardware stamp from the active slave;
#  - ptp4l (linuxptp) runs on the bond as grand master with hardware time
#    stamping: it takes the active slave's PHC, and its Sync messages
#    reach the peer;
#  - balance-rr has no active slave: no PHC (software stamps only, transmit
#    too since every slave has them), and SIOCSHWTSTAMP is refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

. "$(dirname "$0")/../lib-nic.sh"

hwts() { python3 "$NIC_TOOLS/hwtstamp.py" "$@"; }
phc_of() { ethtool -T "$1" | sed -n 's/^PTP Hardware Clock: //p'; }
BONDED=0x1	# HWTSTAMP_FLAG_BONDED_PHC_INDEX
setup() { nic_bond "" mode "$1" miimon 100; }

bond_load
setup active-backup
act=$(bond_opt bond0 active_slave)
other=nic0; [ "$act" = nic0 ] && other=nic1
phc=$(phc_of "$act")
expect_match "$phc" '^[0-9]+$' "$act's PHC"
expect_eq "$(phc_of bond0)" "$phc" "ethtool -T bond0: the active slave's ($act) PHC"
check "ethtool -T bond0: hardware-transmit" eval "ethtool -T bond0 | grep -q hardware-transmit"

say "SIOCSHWTSTAMP"
expect_eq "$(hwts set bond0 0 1 1)" "error EOPNOTSUPP" "set without the bonded flag"
expect_eq "$(cat "/sys/class/net/$act/nic_sim/hwtstamp_sets")" 0 "sets reaching $act after the refusal"
# rx_filter 1 (ALL): the answer is the filter the slave applies
expect_eq "$(hwts set bond0 $BONDED 1 1)" "1 1 1" "set with the bonded flag: the answer"
expect_eq "$(cat "/sys/class/net/$act/nic_sim/hwtstamp_sets")" 1 "sets reaching $act"
expect_eq "$(cat "/sys/class/net/$other/nic_sim/hwtstamp_sets")" 0 "sets reaching $other"
expect_eq "$(hwts get bond0)" "1 1 1" "SIOCGHWTSTAMP on the bond"
expect_eq "$(hwts get "$act")" "0 1 1" "SIOCGHWTSTAMP on $act"

say "a hardware transmit stamp"
before=$(cat "/sys/class/net/$act/nic_sim/tx_stamped")
expect_match "$(hwts send bond0 "$PEER_IP4")" '^hw [0-9]+\.[0-9]+$' "the datagram's stamp"
expect_eq "$(cat "/sys/class/net/$act/nic_sim/tx_stamped")" $((before + 1)) "stamps $act gave"

say "ptp4l on the bond"
ip netns exec "$TOPO_NS" tcpdump -U -n -i br0 -w /tmp/ptp.pcap ether proto 0x88f7 2>/dev/null &
dump=$!
sleep 1
ptp4l -i bond0 -2 -H -m --masterOnly 1 --logSyncInterval -2 --tx_timestamp_timeout 100 \
	--logAnnounceInterval -2 --announceReceiptTimeout 2 \
	>/tmp/ptp4l.log 2>&1 &
ptp=$!
NIC_PIDS+=("$ptp" "$dump")
sleep 8
kill "$ptp"
wait "$ptp" 2>/dev/null
kill "$dump"
wait "$dump" 2>/dev/null
sed 's/^/# ptp4l: /' /tmp/ptp4l.log | head -20
check "ptp4l took the active slave's PHC" grep -q "selected /dev/ptp$phc as PTP clock" /tmp/ptp4l.log
check "ptp4l became grand master" grep -q 'assuming the grand master role' /tmp/ptp4l.log
check_fails "ptp4l had transmit stamps" grep -qiE 'timed out while polling for tx timestamp|fault' /tmp/ptp4l.log
syncs=$(tcpdump -n -r /tmp/ptp.pcap 2>/dev/null | wc -l)
check "PTP messages reached the peer ($syncs)" test "$syncs" -ge 5

say "failover"
peer_cut_nic() { ip -n "$TOPO_NS" link set "nicp${1#nic}" down; }
peer_cut_nic "$act"
check "the other slave became active" wait_for 10 eval '[ "$(bond_opt bond0 active_slave)" = "$other" ]'
expect_eq "$(phc_of bond0)" "$(phc_of "$other")" "ethtool -T bond0 after the failover: $other's PHC"
expect_eq "$(hwts set bond0 $BONDED 1 0)" "1 1 0" "set after the failover"
expect_eq "$(cat "/sys/class/net/$other/nic_sim/hwtstamp_sets")" 1 "sets reaching $other"
nic_teardown

say "balance-rr: no active slave"
setup balance-rr
expect_eq "$(phc_of bond0)" none "ethtool -T bond0's PHC in balance-rr"
check "software-transmit (every slave has it)" eval "ethtool -T bond0 | grep -q software-transmit"
check_fails "no hardware-transmit" eval "ethtool -T bond0 | grep -q hardware-transmit"
expect_eq "$(hwts set bond0 $BONDED 1 1)" "error EOPNOTSUPP" "set in balance-rr"
expect_eq "$(hwts get bond0)" "error EOPNOTSUPP" "get in balance-rr"
nic_teardown
bond_unload
echo ok
