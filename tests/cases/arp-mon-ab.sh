#!/bin/bash
# kernel-neutral: ARP monitor timing, in our own timers (no probed kernel difference)
# active-backup with the ARP monitor (arp_interval 100, arp_ip_target
# 192.0.2.2), set up over netlink and over sysfs: both slaves come up, only
# the active slave sends the ARP probes, traffic flows. When the active
# slave's path stops answering while its carrier stays up, it goes down
# within a bound and the other slave takes over; when the path comes back,
# the slave comes back up as a backup, one more link failure counted. With
# arp_missed_max 1 the dead path is noticed measurably sooner than with 4.
# (arp-mon-validate.sh covers arp_validate and arp_all_targets.) Under TCG
# the guest itself stalls now and then for some hundred milliseconds, which
# this ARP monitor takes for lost replies: the checks wait for a steady
# state, and a window a stall may have spoiled is watched again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

REQ="Request who-has $PEER_IP4 tell $BOND_IP4"

other() { [ "$1" = veth0 ] && echo veth1 || echo veth0; }
fails() { slave_attr "$1" link_failure_count; }

# ms_until_state SLAVE up|down SECONDS: print the milliseconds until SLAVE's
# mii_status reads "up", or anything but "up" (shell builtins only, so the
# poll is tight); fails after SECONDS. (A slave that was given up while no
# slave was active stays "going down" in-tree until it hears again.)
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

# teardown: the captures, the bond, the peer namespace and the veths.
teardown() {
	cap_stop_all
	ip link del bond0 2>/dev/null
	ip netns del "$TOPO_NS" 2>/dev/null
	for l in veth0 veth1; do ip link del "$l" 2>/dev/null; done
	sleep 0.2
}

# failover_cycle LABEL: cut the active slave's path and check the failover,
# then restore it and check the slave's return. Sets $act (the slave cut).
failover_cycle() {
	local label=$1 oth f0 t0 ms
	act=$(bond_opt bond0 active_slave)
	oth=$(other "$act")
	f0=$(fails "$act")
	kmsg_mark "cut-$label"
	t0=$(ms_now)
	path_cut "${act#veth}"
	ms=$(ms_until_state "$act" down 10) || fail "$label: $act not down after its path died"
	say "$label: $act down ${ms} ms after its path died"
	[ "$ms" -le 1500 ] || fail "$label: $act down only after $ms ms (arp_interval 100, missed_max 2)"
	check "$label: $oth becomes active" wait_for 10 attr_is "$oth" bond_opt bond0 active_slave
	ms=$(($(ms_now) - t0))
	say "$label: $oth active ${ms} ms after the cut"
	[ "$ms" -le 3000 ] || fail "$label: failover took $ms ms"
	expect_eq "$(cat /sys/class/net/$act/carrier)" 1 "$label: $act keeps its carrier"
	expect_eq "$(cat /sys/class/net/$act/operstate)" up "$label: $act operstate"
	check "$label: ping over $oth" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
	# the dead path stays down
	check "$label: steady with $act's path dead" bond_steady bond0 60
	expect_eq "$(bond_opt bond0 active_slave)" "$oth" "$label: active slave with $act's path dead"
	expect_match "$(slave_attr "$act" mii_status)" "^(going )?down\$" "$label: $act while its path is dead"
	expect_eq "$(proc_get bond0 'MII Status' "$act")" "$(slave_attr "$act" mii_status)" \
		"$label: /proc MII Status of $act"
	expect_eq "$(proc_get bond0 'Currently Active Slave')" "$oth" "$label: /proc active slave"
	expect_eq "$(slave_attr "$act" state)" backup "$label: $act state"
	f1=$(fails "$act")
	[ "$f1" -gt "$f0" ] || fail "$label: link failure count of $act still $f1"
	expect_eq "$(proc_get bond0 'Link Failure Count' "$act")" "$f1" "$label: /proc Link Failure Count"
	kmsg_since "cut-$label" | grep -qF "bond0: (slave $act): link status definitely down, disabling slave" ||
		fail "$label: no 'link status definitely down' line for $act"

	kmsg_mark "restore-$label"
	fo=$(fails "$oth")
	path_restore "${act#veth}"
	ms=$(ms_until_state "$act" up 10) || fail "$label: $act not back up after its path came back"
	say "$label: $act up ${ms} ms after its path came back"
	[ "$ms" -le 3000 ] || fail "$label: $act up only after $ms ms"
	check "$label: settled after the restore" bond_settle bond0 60
	expect_eq "$(proc_get bond0 'MII Status' "$act")" up "$label: /proc MII Status of $act after the restore"
	# unless a stall took $oth down meanwhile: no failback, nothing counted
	if [ "$(fails "$oth")" = "$fo" ]; then
		expect_eq "$(bond_opt bond0 active_slave)" "$oth" "$label: no failback"
		expect_eq "$(slave_attr "$act" state)" backup "$label: $act is a backup again"
		expect_eq "$(fails "$act")" "$f1" "$label: failure count unchanged by the return"
	fi
	kmsg_since "restore-$label" | grep -qF "bond0: (slave $act): link status definitely up" ||
		fail "$label: no 'link status definitely up' line for $act"
	check "$label: ping after the restore" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
}

bond_load_defaults
ip link del bond0

# ---- over netlink -------------------------------------------------------
topo_bond bond0 2 mode active-backup arp_interval 100 arp_ip_target "$PEER_IP4"
# what the peer's ports receive from the bond's side
cap_start p0 p0 -Q in arp
cap_start p1 p1 -Q in arp
expect_eq "$(bond_opt bond0 arp_interval)" 100 "sysfs arp_interval"
expect_eq "$(bond_opt bond0 arp_ip_target)" "$PEER_IP4" "sysfs arp_ip_target"
expect_eq "$(bond_opt bond0 miimon)" 0 "sysfs miimon"
expect_eq "$(bond_opt bond0 arp_missed_max)" 2 "sysfs arp_missed_max"
check "both slaves up, an active one" bond_settle bond0 60
for s in veth0 veth1; do
	expect_eq "$(proc_get bond0 'MII Status' $s)" up "/proc MII Status of $s"
done
act=$(bond_opt bond0 active_slave)
expect_eq "$(proc_get bond0 'Currently Active Slave')" "$act" "/proc active slave"
expect_eq "$(proc_get bond0 'MII Status')" up "/proc bond MII Status"
expect_eq "$(proc_get bond0 'ARP Polling Interval (ms)')" 100 "/proc ARP Polling Interval"
expect_eq "$(proc_get bond0 'ARP IP target/s (n.n.n.n form)')" "$PEER_IP4" "/proc ARP targets"
check "ping" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null

# Only the active slave probes: one request per interval; none from the
# backup.
for try in 1 2 3; do
	check "settled before counting probes" bond_settle bond0 60
	act=$(bond_opt bond0 active_slave)
	oth=$(other "$act")
	snap=$(_bond_snapshot bond0)
	a0=$(cap_count "p${act#veth}" "$REQ") b0=$(cap_count "p${oth#veth}" "$REQ")
	sleep 3
	n_act=$(($(cap_count "p${act#veth}" "$REQ") - a0))
	n_oth=$(($(cap_count "p${oth#veth}" "$REQ") - b0))
	say "probes in 3 s: $n_act from $act (active), $n_oth from $oth (backup)"
	[ "$(_bond_snapshot bond0)" = "$snap" ] && break
	[ $try = 3 ] && fail "the slaves changed in every window: $snap -> $(_bond_snapshot bond0)"
done
[ "$n_act" -ge 15 ] && [ "$n_act" -le 40 ] || fail "$n_act probes from the active slave in 3 s"
expect_eq "$n_oth" 0 "probes from the backup slave"
cap_stop_all
check "settled after the captures" bond_settle bond0 60

failover_cycle netlink
teardown

# ---- over sysfs ---------------------------------------------------------
echo +bond0 >/sys/class/net/bonding_masters || fail "bonding_masters +bond0"
bonding=/sys/class/net/bond0/bonding
echo active-backup >$bonding/mode || fail "mode active-backup"
echo 100 >$bonding/arp_interval || fail "sysfs arp_interval 100"
echo +$PEER_IP4 >$bonding/arp_ip_target || fail "sysfs arp_ip_target +$PEER_IP4"
expect_eq "$(bond_opt bond0 arp_ip_target)" "$PEER_IP4" "sysfs arp_ip_target read back"
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1
echo +veth0 >$bonding/slaves || fail "enslave veth0"
echo +veth1 >$bonding/slaves || fail "enslave veth1"
ip link set bond0 up
ip addr add "$BOND_IP4/24" dev bond0
check "both slaves up (sysfs setup)" bond_settle bond0 60
check "ping (sysfs setup)" ping -c 3 -i 0.2 -W 2 "$PEER_IP4" >/dev/null
failover_cycle sysfs
teardown

# ---- arp_missed_max 1 against 4 ----------------------------------------
# The active slave is given up after missed_max intervals without a reply
# (plus up to one interval until the next check): nominally 100-200 ms with
# 1, 400-500 ms with 4. Medians of five, against the guest's stalls.
declare -A med
for mm in 1 4; do
	topo_bond bond0 2 mode active-backup arp_interval 100 arp_ip_target "$PEER_IP4" \
		arp_missed_max $mm
	expect_eq "$(bond_opt bond0 arp_missed_max)" $mm "sysfs arp_missed_max"
	expect_eq "$(proc_get bond0 'ARP Missed Max')" $mm "/proc ARP Missed Max"
	all=
	for rep in 1 2 3 4 5; do
		check "missed_max $mm: settled ($rep)" bond_settle bond0 60
		act=$(bond_opt bond0 active_slave)
		t0=$(ms_now)
		path_cut "${act#veth}"
		ms=$(ms_until_state "$act" down 10) || fail "missed_max $mm: $act not down"
		check "missed_max $mm: failover" wait_for 10 attr_is "$(other "$act")" bond_opt bond0 active_slave
		path_restore "${act#veth}"
		all+=" $ms"
	done
	med[$mm]=$(printf '%s\n' $all | sort -n | sed -n 3p)
	say "missed_max $mm: active slave down after$all ms (median ${med[$mm]})"
	[ "${med[$mm]}" -le $(((mm + 1) * 100 + 600)) ] ||
		fail "missed_max $mm: active slave down only after ${med[$mm]} ms (median)"
	teardown
done
[ "${med[4]}" -ge 300 ] || fail "missed_max 4: median detection ${med[4]} ms, nominally 400-500"
[ $((med[4] - med[1])) -ge 150 ] ||
	fail "missed_max 4 (${med[4]} ms) not measurably slower than 1 (${med[1]} ms)"

bond_unload
