#!/bin/bash
# kernel-neutral: ARP monitor timing, in our own timers (no probed kernel difference)
# The ARP monitor in the load-balancing modes (balance-rr, balance-xor,
# broadcast) with arp_interval 100 and target 192.0.2.2: every slave sends
# its own probes, one per interval; when one slave's path stops answering
# while its carrier stays up, that slave goes down within a bound (and keeps
# probing), the other stays up and carries the traffic; the slave comes back
# when its path does. With both paths dead the bond loses its carrier, and
# gets it back with them. The in-tree dmesg lines of each step. (Under TCG
# the guest stalls now and then long enough for the monitor to miss a
# reply: checks wait for a steady state, windows are watched again.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

REQ="Request who-has $PEER_IP4 tell $BOND_IP4"
tmp=$(mktemp -d)
fails() { slave_attr "$1" link_failure_count; }

# probes PORT...: the bond's probes each peer's PORT received (from the
# bond's side only: the bridge floods each one to the other port too) in
# the next 3 seconds, space-separated.
probes() {
	local p out= before=()
	for p in "$@"; do before+=("$(cap_count "$p" "$REQ")"); done
	sleep 3
	for p in "$@"; do
		out+="$(($(cap_count "$p" "$REQ") - before[0])) "
		before=("${before[@]:1}")
	done
	echo ${out% }
}

ms_until_state() {
	local f=/sys/class/net/$1/bonding_slave/mii_status s t0 end=$((SECONDS + $3))
	t0=$(ms_now)
	while [ $SECONDS -lt $end ]; do
		read -r s <"$f"
		if [ "$2" = up ]; then [ "$s" = up ]; else [ "$s" != up ]; fi &&
			{ echo $(($(ms_now) - t0)); return 0; }
	done
	return 1
}

bond_load_defaults
ip link del bond0

for mode in balance-rr balance-xor broadcast; do
	say "$mode"
	topo_bond bond0 2 mode $mode arp_interval 100 arp_ip_target "$PEER_IP4"
	# (the peer's ports have no IPv6 of their own: topo_veth)
	cap_start p0 p0 -Q in arp
	cap_start p1 p1 -Q in arp
	check "$mode: both slaves up" bond_settle bond0 60
	expect_eq "$(proc_get bond0 'MII Status' veth0),$(proc_get bond0 'MII Status' veth1)" \
		"up,up" "$mode: /proc MII Status of the slaves"
	expect_eq "$(proc_get bond0 'ARP IP target/s (n.n.n.n form)')" "$PEER_IP4" "$mode: /proc targets"
	check "$mode: ping" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null

	# Each slave probes.
	for try in 1 2 3; do
		check "$mode: settled before counting" bond_settle bond0 60
		snap=$(_bond_snapshot bond0)
		read -r n0 n1 <<<"$(probes p0 p1)"
		say "  probes in 3 s: $n0 from veth0, $n1 from veth1"
		[ "$(_bond_snapshot bond0)" = "$snap" ] && break
		[ $try = 3 ] && fail "$mode: the slaves changed in every window"
	done
	for n in "$n0" "$n1"; do
		[ "$n" -ge 15 ] && [ "$n" -le 40 ] || fail "$mode: probes per slave in 3 s: $n0 and $n1"
	done

	# veth0's path dies.
	check "$mode: settled before the cut" bond_settle bond0 60
	f0=$(fails veth0)
	kmsg_mark "cut-$mode"
	path_cut 0
	ms=$(ms_until_state veth0 down 10) || fail "$mode: veth0 not down after its path died"
	say "  veth0 down ${ms} ms after its path died"
	[ "$ms" -le 1500 ] || fail "$mode: veth0 down only after $ms ms"
	expect_eq "$(cat /sys/class/net/veth0/carrier)" 1 "$mode: veth0 keeps its carrier"
	check "$mode: steady with veth0's path dead" bond_steady bond0 60
	expect_eq "$(slave_attr veth0 mii_status),$(slave_attr veth1 mii_status)" down,up \
		"$mode: veth0 down, veth1 up"
	expect_eq "$(proc_get bond0 'MII Status' veth0)" down "$mode: /proc MII Status of veth0"
	expect_eq "$(cat /sys/class/net/bond0/carrier)" 1 "$mode: bond carrier with veth1 left"
	[ "$(fails veth0)" -gt "$f0" ] || fail "$mode: veth0 link failure count still $f0"
	for try in 1 2; do
		ping -c 10 -i 0.1 -W 2 "$PEER_IP4" >"$tmp/ping" 2>&1
		loss=$(ping_loss "$tmp/ping")
		[ -n "$loss" ] && [ "$loss" -le 10 ] && break
		[ $try = 2 ] && fail "$mode: ping over veth1 alone lost '$loss'%"
		bond_steady bond0 60
	done
	# the dead slave goes on probing (that is how it comes back)
	n0=$(probes p0)
	[ "$n0" -ge 15 ] || fail "$mode: veth0 sent $n0 probes in 3 s while down"
	kmsg_since "cut-$mode" | grep -qF "bond0: (slave veth0): interface is now down" ||
		fail "$mode: no 'interface is now down' line"
	f1=$(fails veth0) g1=$(fails veth1)

	kmsg_mark "restore-$mode"
	path_restore 0
	ms=$(ms_until_state veth0 up 10) || fail "$mode: veth0 not back up"
	say "  veth0 up ${ms} ms after its path came back"
	[ "$ms" -le 3000 ] || fail "$mode: veth0 up only after $ms ms"
	check "$mode: settled after the restore" bond_settle bond0 60
	# unless a stall took veth1 down meanwhile, the return counts nothing
	[ "$(fails veth1)" != "$g1" ] ||
		expect_eq "$(fails veth0)" "$f1" "$mode: veth0 link failure count after the restore"
	kmsg_since "restore-$mode" | grep -qF "bond0: (slave veth0): interface is now up" ||
		fail "$mode: no 'interface is now up' line"
	check "$mode: ping after the restore" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null

	# Both paths die: no carrier; both come back: carrier again.
	kmsg_mark "both-$mode"
	path_cut 0
	path_cut 1
	check "$mode: bond carrier off with both paths dead" \
		wait_for 10 attr_is 0 cat /sys/class/net/bond0/carrier
	check "$mode: steady with both paths dead" bond_steady bond0 60
	expect_eq "$(slave_attr veth0 mii_status),$(slave_attr veth1 mii_status)" "down,down" \
		"$mode: both slaves down"
	path_restore 0
	path_restore 1
	check "$mode: bond carrier back" wait_for 10 attr_is 1 cat /sys/class/net/bond0/carrier
	check "$mode: settled with both back" bond_settle bond0 60
	log=$(kmsg_since "both-$mode")
	for l in "bond0: now running without any active interface!" \
		 "bond0: active interface up!"; do
		grep -qF "$l" <<<"$log" || fail "$mode: no '$l' line"
	done

	cap_stop_all
	ip link del bond0
	ip link del veth0
	ip link del veth1
	ip netns del "$TOPO_NS"
done

rm -rf "$tmp"
bond_unload
