#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# balance-tlb failover, four clients pinging the bond every 20 ms (they all
# hold the bond's MAC) while the bond pings them. Cutting the active slave's
# link makes the other slave active and moves the bond's MAC to it: the two
# slaves swap MACs, so the MACs stay unique and the clients, which keep the
# bond's MAC, reach the new active slave after a short gap (under 2 s;
# in-tree: about the MII monitor's 100 ms). Restored, the old active slave
# stays non-active with the MAC it got and transmits again (the bond
# rebalances when a link comes up). Naming it primary makes it active again,
# with the bond's MAC back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-tlb && skip "balance-tlb is not in our bonding.ko yet"

GAP_MAX=2000	# ms
mac0=02:00:00:00:00:a0
mac1=02:00:00:00:00:a1

# bond_pings_start / bond_pings_stop: the bond pings the four clients.
bond_pings_start() {
	local c
	bpids=()
	for c in 1 2 3 4; do
		ping -q -i 0.05 "$(alb_client_ip $c)" >/dev/null 2>&1 &
		bpids+=($!)
	done
}
bond_pings_stop() { kill -INT "${bpids[@]}"; wait "${bpids[@]}"; }
# gaps_ok FROM_MS: every client got replies until well after FROM_MS, and
# none went GAP_MAX without one.
gaps_ok() {
	local c f gap gaps=
	for c in 1 2 3 4; do
		f=$ALB_PING_DIR/$c
		gap=$(ping_gap "$f" "$1" 99999999999999)
		[ "$(ping_last "$f")" -gt $(($1 + 1500)) ] || fail "client $c: no reply 1.5 s after the cut"
		[ "$gap" -lt $GAP_MAX ] || fail "client $c: no reply for $gap ms over the failover"
		gaps+=" $gap"
	done
	say "longest gaps per client (ms):$gaps"
}
all_neigh() {
	local c
	for c in 1 2 3 4; do
		[ "$(client_neigh $c)" = "$1" ] || fail "client $c holds $(client_neigh $c) for the bond, not $1"
	done
}

bond_load_defaults max_bonds=0
alb_topo bond0 balance-tlb 2 4
expect_eq "$(macs_show bond0)" "bond=$mac0 active=veth0 veth0=$mac0 veth1=$mac1" "MACs at first"
ALB_PING_DIR=$(mktemp -d)
clients_ping_start -i 0.02
bond_pings_start
sleep 2
all_neigh $mac0

say "cut the active slave (veth0)"
cut=$(epoch_ms)
peer_cut 0
check "veth1 becomes active" wait_for 5 attr_is veth1 active_of bond0
expect_eq "$(macs_show bond0)" "bond=$mac0 active=veth1 veth0=$mac1 veth1=$mac0" \
	"MACs swapped: the new active slave has the bond's"
expect_eq "$(macs_sane bond0)" "" "slave MACs"
r1=$(rx_packets veth1)
sleep 2
r1=$(($(rx_packets veth1) - r1))
[ $r1 -ge 100 ] || fail "veth1 received only $r1 frames in 2 s as the active slave"
clients_ping_stop
gaps_ok $cut
all_neigh $mac0

say "restore veth0"
ALB_PING_DIR=$(mktemp -d)
clients_ping_start -i 0.02
t=$(epoch_ms)
peer_restore 0
check "veth0 up" wait_for 5 attr_is up slave_attr veth0 mii_status
a0=$(txp veth0)
sleep 3
expect_eq "$(active_of bond0)" veth1 "veth1 stays active (no primary)"
expect_eq "$(macs_show bond0)" "bond=$mac0 active=veth1 veth0=$mac1 veth1=$mac0" "MACs after the restore"
[ $(($(txp veth0) - a0)) -ge 20 ] || fail "veth0 sent only $(($(txp veth0) - a0)) frames in 3 s after the restore"

say "primary veth0"
check "primary veth0" ip link set bond0 type bond primary veth0
check "veth0 active again" wait_for 5 attr_is veth0 active_of bond0
expect_eq "$(macs_show bond0)" "bond=$mac0 active=veth0 veth0=$mac0 veth1=$mac1" "MACs swapped back"
expect_eq "$(proc_get bond0 'Primary Slave')" "veth0 (primary_reselect always)" "/proc Primary Slave"
expect_eq "$(proc_get bond0 'Currently Active Slave')" veth0 "/proc Currently Active Slave"
sleep 1
bond_pings_stop
clients_ping_stop
for c in 1 2 3 4; do
	gap=$(ping_gap "$ALB_PING_DIR/$c" "$t" 99999999999999)
	[ "$gap" -lt $GAP_MAX ] || fail "client $c: no reply for $gap ms over the restore and failback"
done
all_neigh $mac0
ip link del bond0
bond_unload
