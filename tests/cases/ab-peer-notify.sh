#!/bin/bash
# Peer notification on failover: active-backup, miimon 100, num_grat_arp 3,
# peer_notif_delay 200: the peer sees exactly 3 gratuitous ARPs for the bond's
# IPv4 address and 3 unsolicited NAs for its IPv6 address, spread out in time.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load_defaults
ip link del bond0
topo_bond bond0 2 mode active-backup miimon 100 num_grat_arp 3 peer_notify_delay 200
expect_eq "$(bond_opt bond0 num_unsol_na)" 3 "num_unsol_na is num_grat_arp"
expect_eq "$(bond_opt bond0 peer_notif_delay)" 200 "peer_notif_delay"
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "veth1 up" wait_for 10 attr_is up slave_attr veth1 mii_status
sleep 2		# let enslave-time traffic (DAD, router solicitations) pass

cap=$(mktemp) err=$(mktemp)
ip netns exec "$TOPO_NS" tcpdump -n -l -tt -i br0 'arp or icmp6' >"$cap" 2>"$err" &
tpid=$!
check "tcpdump running" wait_for 20 grep -q 'listening on' "$err"
sleep 0.5
peer_cut 0
check "failover to veth1" wait_for 10 attr_is veth1 bond_opt bond0 active_slave
sleep 3		# nominally all sent within 0.3 s of the failover
kill $tpid
wait $tpid 2>/dev/null

garp=$(grep -F "ARP, Request who-has $BOND_IP4 tell $BOND_IP4," "$cap" | awk '{print $1}')
na=$(grep -F "> ff02::1: ICMP6, neighbor advertisement, tgt is $BOND_IP6," "$cap" | awk '{print $1}')
say "gratuitous ARPs at: $(echo $garp)"
say "unsolicited NAs at: $(echo $na)"
expect_eq "$(echo "$garp" | grep -c .)" 3 "gratuitous ARPs seen by the peer"
expect_eq "$(echo "$na" | grep -c .)" 3 "unsolicited NAs seen by the peer"

# Spacing: in-tree sends one at the failover, then one every peer_notif_delay
# counted in miimon ticks from the failover tick (nominally +0.1 s and +0.3 s).
# Check only that they are spread out, not all in one burst.
for times in "$garp" "$na"; do
	awk 'NR == 1 { first = $1 } { if (NR > 1 && $1 - prev < 0.05) bad = 1; prev = $1 }
	     END { span = prev - first; if (bad || span < 0.2 || span > 5) exit 1 }' <<<"$times" ||
		fail "notifications not spread out: $(echo $times)"
done
rm -f "$cap" "$err"
bond_unload
