#!/bin/bash
# smoke
# Regression (review T2-14). An IPsec SA offloaded to an active-backup bond
# lives on the active slave; a failover deletes it from the old slave and
# adds it to the new one. Meanwhile the stack may delete the SA (ip xfrm
# state delete/flush, expiry). A NIC must never be told to delete an SA it
# does not hold, and an SA it holds must be deleted there before it is
# freed, else it stays in the hardware. The bug: ours named the new slave as
# the SA's device before that slave's add was done, so a delete in that
# window went to a slave that did not hold the SA yet, and the add then
# completed on a dead SA that was later freed without a delete. The esp_sim
# test devices make each add slow (add_delay_ms, as a firmware call is) to
# open the window, and count such bad deletes and undeleted frees.
# (In-tree 6.12 hands the slave the bond as the SA's device, which esp_sim
# refuses: no SA is offloaded there, and nothing can go wrong.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

ko=$BOND_BUILD_DIR/tools/esp-sim/esp_sim.ko
[ -f "$ko" ] || fail "$ko not built (tests/build.sh builds it)"
modprobe esp4_offload 2>/dev/null || skip "no esp4_offload module"

cleanup() {
	ip xfrm state flush 2>/dev/null
	ip link del bond0 2>/dev/null
	grep -q '^bonding ' /proc/modules && rmmod bonding
	sleep 0.5	# the xfrm garbage collector frees the states
	grep -q '^esp_sim ' /proc/modules && rmmod esp_sim
	_cleanup
}
trap cleanup EXIT
insmod "$ko" count=2 || fail "insmod esp_sim"
[ -e /sys/class/net/esim0/esp_sim/bad_delete ] || fail "$ko is too old: no bad_delete counter"

SPI=0x00001400
KEY=0x0102030405060708090a0b0c0d0e0f1011121314
delay=/sys/module/esp_sim/parameters/add_delay_ms
sim() { cat "/sys/class/net/$1/esp_sim/$2"; }
state_add() {
	ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi $SPI reqid 1 \
		mode transport aead 'rfc4106(gcm(aes))' $KEY 128 offload dev bond0 dir out
}

bond_load_defaults max_bonds=0
check "bond0" ip link add bond0 type bond mode active-backup miimon 100
check "enslave esim0" ip link set esim0 master bond0
check "enslave esim1" ip link set esim1 master bond0
check "bond0 up" ip link set bond0 up
ip addr add 192.0.2.1/24 dev bond0
check "esim0 active" wait_for 10 attr_is esim0 bond_opt bond0 active_slave

hit=
for ms in 1000 3000 10000; do
	offloaded=
	act=$(bond_opt bond0 active_slave)	# esim1 after a first round
	if state_add; then
		[ "$(sim "$act" sas)" = 1 ] && offloaded=1
	fi
	if [ -z "$offloaded" ]; then
		impl_is intree || fail "the SA was not offloaded to $act ($(sim "$act" sas) SAs there)"
		say "in-tree: the SA is not offloaded to the slave; nothing to race"
		ip xfrm state flush
		break
	fi
	# Fail over to the other slave while the stack deletes the SA: the
	# delete comes while the new slave's add is under way.
	echo "$ms" >$delay
	other=esim1; [ "$act" = esim1 ] && other=esim0
	kmsg_mark race$ms
	( echo $other >/sys/class/net/bond0/bonding/active_slave ) &
	pid=$!
	wait_for 10 eval 'kmsg_since race$ms | grep -q "delete spi $SPI"' # the old slave's
	sleep 0.2
	check "state delete" ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi $SPI
	kill -0 $pid 2>/dev/null && hit=1
	wait $pid
	echo 0 >$delay
	wait_for 10 attr_is $other bond_opt bond0 active_slave || fail "no failover to $other"
	[ -n "$hit" ] && break
	say "the delete came after the add ($ms ms); again, slower"
done
ip xfrm state flush
wait_for 10 eval '[ "$(sim esim0 sas)$(sim esim1 sas)" = 00 ]' ||
	fail "SAs left on the slaves: esim0 $(sim esim0 sas), esim1 $(sim esim1 sas)"
kmsg_since race1000 | grep esp_sim | sed 's/^/# /'
for d in esim0 esim1; do
	expect_eq "$(sim $d bad_delete)" 0 "$d: deletes of an SA it did not hold"
	expect_eq "$(sim $d undeleted_free)" 0 "$d: SAs freed without a delete"
done
impl_is intree || [ -n "$hit" ] || fail "the delete never came during the new slave's add"
