#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# balance-alb failover with four clients pinging the bond every 20 ms, spread
# over two slaves. Cutting the link of the slave that is not active moves
# its clients to the other slave (the bond sends them that slave's MAC):
# every client keeps getting replies, its longest gap under 4 s (in-tree:
# about 2.2 s, as it holds its client updates back 2 s). Restoring the link
# deals the clients over both slaves again within 15 s. Cutting the active
# slave's link makes the other slave active with the bond's MAC (the two
# swap MACs), and all the clients move to it, with the same bound on the
# gaps; restored, the old active slave stays a non-active one with the MAC
# it got, and takes clients again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-alb && skip "balance-alb is not in our bonding.ko yet"

GAP_MAX=4000	# ms (in-tree: about 2200, its update delay of 2 s and the MII monitor)

both_used() {
	local a
	a=$(clients_slaves bond0)
	[[ $a != *-* ]] && [ "$(distinct $a)" = 2 ]
}
# spread_by SECONDS DESC: both_used within SECONDS, or fail saying where the
# clients are.
spread_by() {
	wait_for "$1" both_used || fail "$2: clients on $(clients_slaves bond0) ($(macs_show bond0))"
}
# all_on SLAVE DESC: within 10 s every client holds SLAVE's MAC.
all_on() {
	wait_for 10 attr_is "$1 $1 $1 $1" clients_slaves bond0 ||
		fail "$2: clients on $(clients_slaves bond0) ($(macs_show bond0))"
}

# phase_gaps CUT_MS: after clients_ping_stop, every client got replies until
# well after CUT_MS, and its longest gap from CUT_MS on is under GAP_MAX.
phase_gaps() {
	local c f gap last gaps=
	for c in 1 2 3 4; do
		f=$ALB_PING_DIR/$c
		gap=$(ping_gap "$f" "$1" 99999999999999)
		last=$(ping_last "$f")
		[ "$last" -gt $(($1 + 1500)) ] ||
			fail "client $c: no reply 1.5 s after the cut ($(tail -n 2 "$f" | head -n 1))"
		[ "$gap" -lt $GAP_MAX ] || fail "client $c: no reply for $gap ms over the failover"
		gaps+=" $gap"
	done
	say "longest gaps per client (ms):$gaps"
}

bond_load_defaults max_bonds=0
alb_topo bond0 balance-alb 2 4
ALB_PING_DIR=$(mktemp -d)
clients_ping_start -i 0.02
spread_by 15 "the clients spread over both slaves"
say "clients on: $(clients_slaves bond0)"

say "cut the non-active slave (veth1)"
cut=$(epoch_ms)
peer_cut 1
check "veth1 down" wait_for 5 attr_is down slave_attr veth1 mii_status
all_on veth0 "every client on veth0"
say "the clients were all on veth0 $(($(epoch_ms) - cut)) ms after the cut"
expect_eq "$(active_of bond0)" veth0 "veth0 stays active"
expect_eq "$(macs_sane bond0)" "" "slave MACs after the cut"
sleep 2
clients_ping_stop
phase_gaps $cut

say "restore veth1"
ALB_PING_DIR=$(mktemp -d)
clients_ping_start -i 0.02
t=$(epoch_ms)
peer_restore 1
check "veth1 up" wait_for 5 attr_is up slave_attr veth1 mii_status
spread_by 15 "the clients spread over both slaves again"
say "rebalanced $(($(epoch_ms) - t)) ms after the restore: $(clients_slaves bond0)"
expect_eq "$(active_of bond0)" veth0 "veth0 still active"

say "cut the active slave (veth0)"
cut=$(epoch_ms)
peer_cut 0
check "veth1 becomes active" wait_for 5 attr_is veth1 active_of bond0
expect_eq "$(mac_of veth1)" 02:00:00:00:00:a0 "the new active slave has the bond's MAC"
expect_eq "$(mac_of veth0)" 02:00:00:00:00:a1 "the old active slave has the other's MAC"
expect_eq "$(mac_of bond0)" 02:00:00:00:00:a0 "the bond's MAC"
all_on veth1 "every client on veth1"
say "the clients were all on veth1 $(($(epoch_ms) - cut)) ms after the cut"
sleep 2
clients_ping_stop
phase_gaps $cut

say "restore veth0"
ALB_PING_DIR=$(mktemp -d)
clients_ping_start -i 0.02
t=$(epoch_ms)
peer_restore 0
check "veth0 up" wait_for 5 attr_is up slave_attr veth0 mii_status
spread_by 15 "the clients spread over both slaves again"
say "rebalanced $(($(epoch_ms) - t)) ms after the restore: $(clients_slaves bond0)"
expect_eq "$(active_of bond0)" veth1 "veth1 stays active (no primary)"
expect_eq "$(macs_show bond0)" "bond=02:00:00:00:00:a0 active=veth1 veth0=02:00:00:00:00:a1 veth1=02:00:00:00:00:a0" \
	"MACs after the restore"
clients_ping_stop
for c in 1 2 3 4; do
	[ "$(ping_gap "$ALB_PING_DIR/$c" "$t" 99999999999999)" -lt $GAP_MAX ] ||
		fail "client $c: a gap while veth0 came back"
done
ip link del bond0
bond_unload
