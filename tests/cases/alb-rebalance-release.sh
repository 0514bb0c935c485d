#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# balance-alb over three slaves, four clients pinging the bond: releasing a
# slave that has clients (not the active one) moves them to the remaining
# slaves (the bond sends them the MACs of their new slaves, and none keeps
# the released slave's), and they stay reachable; debugfs' rlb_hash_table,
# where there is one, names no client on it. Re-adding it deals the clients
# over all three slaves again within 15 s. Releasing both non-active slaves
# leaves every client on the active one; re-adding them deals the clients
# over the three again.
# (Not released here: the active slave. The next slave then takes the
# bond's MAC without a swap, and in-tree sends no update to the clients that
# slave had: they keep a MAC no slave has until they resolve the bond again
# on their own, 15 s or more later.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-alb && skip "balance-alb is not in our bonding.ko yet"

# dealt N: every client holds the MAC of a slave, N slaves used.
dealt() {
	local a
	a=$(clients_slaves bond0)
	[[ $a != *-* ]] && [ "$(distinct $a)" = "$1" ]
}
# dealt_by SECONDS N DESC: dealt N within SECONDS, or fail saying where the
# clients are.
dealt_by() {
	wait_for "$1" dealt "$2" || fail "$3: clients on $(clients_slaves bond0) ($(macs_show bond0))"
}
# none_on: every client holds the MAC of a slave (of the bond now), and
# none the MAC $gone_mac.
none_on() {
	local c n
	for ((c = 1; c <= 4; c++)); do
		n=$(client_neigh $c)
		[ "$n" != "$gone_mac" ] && [ "$(slave_with_mac bond0 "$n")" != - ] || return 1
	done
}
# reachable: every client gets a reply from the bond now.
reachable() {
	local c
	for c in 1 2 3 4; do
		ip netns exec bt-c$c ping -c 1 -W 2 "$BOND_IP4" >/dev/null || fail "client $c: no reply"
	done
}
# replies_since MS: every client got a reply after MS (epoch ms).
replies_since() {
	local c
	for c in 1 2 3 4; do
		[ "$(ping_last "$ALB_PING_DIR/$c")" -gt "$1" ] || return 1
	done
}
# release S: release S (not the active slave); its clients move off it.
release() {
	local t
	gone_mac=$(mac_of "$1")
	t=$(epoch_ms)
	check "release $1" ip link set "$1" nomaster
	wait_for 10 none_on || fail "clients still on $1 or its MAC: $(clients_slaves bond0) ($(
		for c in 1 2 3 4; do echo -n "$(client_neigh $c) "; done); $(macs_show bond0)"
	say "$1 released: clients on $(clients_slaves bond0) after $(($(epoch_ms) - t)) ms"
	expect_eq "$(macs_sane bond0)" "" "slave MACs after releasing $1"
	if tbl=$(rlb_table bond0); then
		! grep -q " $1\$" <<<"$tbl" || fail "rlb_hash_table still has clients on $1:
$tbl"
	fi
	t=$(epoch_ms)
	check "every client gets replies again" wait_for 5 replies_since "$t"
}

bond_load_defaults max_bonds=0
alb_topo bond0 balance-alb 3 4
ALB_PING_DIR=$(mktemp -d)
clients_ping_start -i 0.05
dealt_by 15 3 "the clients dealt over three slaves"
assign=$(clients_slaves bond0)
say "clients on: $assign"

say "release a non-active slave with clients"
if [[ " $assign " == *" veth2 "* ]]; then victim=veth2; else victim=veth1; fi
release $victim
expect_eq "$(mac_of $victim)" "$gone_mac" "$victim keeps its own MAC"
check "re-add $victim" ip link set $victim master bond0
t=$(epoch_ms)
dealt_by 15 3 "the clients dealt over three slaves again"
say "rebalanced after $(($(epoch_ms) - t)) ms: $(clients_slaves bond0)"

say "release both non-active slaves"
release veth1
release veth2
expect_eq "$(clients_slaves bond0)" "veth0 veth0 veth0 veth0" "every client on the active slave"
check "re-add veth1" ip link set veth1 master bond0
check "re-add veth2" ip link set veth2 master bond0
t=$(epoch_ms)
dealt_by 15 3 "the clients dealt over three slaves again"
say "rebalanced after $(($(epoch_ms) - t)) ms: $(clients_slaves bond0)"
reachable
clients_ping_stop
ip link del bond0
bond_unload
