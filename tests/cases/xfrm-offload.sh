#!/bin/bash
# smoke: run on the debug kernel by make check (locks of the SA moves)
# IPsec (ESP) offload through an active-backup bond. The slaves are esp_sim
# devices (tests/tools/esp-sim), which offer ESP offload as a NIC does and
# log every SA programmed into them. An SA offloaded to the bond lands on
# the active slave, ESP packets reach that slave with their offload
# metadata, a failover moves the SA to the new active slave, and deleting
# the SA takes it off. A slave without ESP offload makes the stack fall
# back to software crypto, as does a balance-rr bond; an active-backup bond
# without an active slave refuses the offload.
# esp-hw-offload is wanted once the mode is set to active-backup on a
# registered bond, and off for the other modes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

ko=$BOND_BUILD_DIR/tools/esp-sim/esp_sim.ko
[ -f "$ko" ] || fail "$ko not built (tests/build.sh builds it)"
modprobe esp4_offload 2>/dev/null || skip "no esp4_offload module"

cleanup() {
	ip xfrm state flush 2>/dev/null
	ip xfrm policy flush 2>/dev/null
	for b in bond0 bond1 bond2; do ip link del "$b" 2>/dev/null; done
	grep -q '^bonding ' /proc/modules && rmmod bonding
	sleep 0.5	# the xfrm garbage collector frees the states
	grep -q '^esp_sim ' /proc/modules && rmmod esp_sim
	_cleanup
}
trap cleanup EXIT
insmod "$ko" count=2 || fail "insmod esp_sim"

SPI=0x00001000
KEY=0x0102030405060708090a0b0c0d0e0f1011121314
sas() { cat "/sys/class/net/$1/esp_sim/sas"; }
esp_tx() { cat "/sys/class/net/$1/esp_sim/esp_tx"; }
feat() { ethtool -k "$1" | sed -n "s/^$2: //p"; }
logged() { kmsg_since "$1" | grep -q "esp_sim: $2"; }
state_add() {	# state_add DEV: the outbound SA, offloaded to DEV
	ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi $SPI reqid 1 \
		mode transport aead 'rfc4106(gcm(aes))' $KEY 128 offload dev "$1" dir out
}
send() { ping -c "$1" -i 0.05 -W 0.1 192.0.2.2 >/dev/null 2>&1; true; }

bond_load_defaults max_bonds=0

# esp-hw-offload: offered by every bond, wanted in active-backup
ip link add bond0 type bond || fail "bond0"
expect_eq "$(feat bond0 esp-hw-offload)" off "balance-rr: esp-hw-offload"
echo active-backup >/sys/class/net/bond0/bonding/mode || fail "mode active-backup"
expect_eq "$(feat bond0 esp-hw-offload)" on "active-backup: esp-hw-offload"
expect_eq "$(feat bond0 esp-tx-csum-hw-offload)" on "active-backup: esp-tx-csum-hw-offload"
echo balance-xor >/sys/class/net/bond0/bonding/mode || fail "mode balance-xor"
expect_eq "$(feat bond0 esp-hw-offload)" off "balance-xor: esp-hw-offload"
echo active-backup >/sys/class/net/bond0/bonding/mode || fail "mode active-backup again"
echo 100 >/sys/class/net/bond0/bonding/miimon

ip link set esim0 master bond0 || fail "enslave esim0"
ip link set esim1 master bond0 || fail "enslave esim1"
ip link set bond0 up
ip addr add 192.0.2.1/24 dev bond0
ip neigh replace 192.0.2.2 lladdr 02:00:00:00:00:02 dev bond0 nud permanent
wait_for 5 attr_is esim0 bond_opt bond0 active_slave || fail "esim0 not active"

# The SA lands on the active slave. (In-tree 6.12 calls the slave's
# xdo_dev_state_add while xso.real_dev is still the bond, so a driver that
# finds itself through real_dev, as esp_sim, mlx5 and ixgbe do, is handed
# the bond: esp_sim refuses, and that bond offloads nothing.)
kmsg_mark add
if ! state_add bond0; then
	kmsg_since add | grep -q "real_dev bond0 is not an esp_sim device" && impl_is intree ||
		fail "state add: $(kmsg_since add | grep esp_sim)"
	say "in-tree: the slave was handed the SA with real_dev the bond"
	no_forwarding=1
fi
if [ -z "${no_forwarding:-}" ]; then
	ip xfrm state | grep -q "crypto offload parameters: dev bond0 dir out" ||
		fail "no offload shown: $(ip xfrm state)"
	expect_eq "$(sas esim0)/$(sas esim1)" 1/0 "SAs on esim0/esim1"
	check "esim0 was programmed" logged add "esim0 add spi $SPI"

	# ESP packets reach the active slave with their offload metadata.
	ip xfrm policy add src 192.0.2.1 dst 192.0.2.2 dir out \
		tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode transport || fail "policy"
	send 10
	t0=$(esp_tx esim0) t1=$(esp_tx esim1)
	say "ESP offload packets: esim0 $t0, esim1 $t1"
	[ "$t0" -ge 10 ] || fail "esim0 got $t0 ESP offload packets of 10"
	expect_eq "$t1" 0 "ESP offload packets on the backup"

	# Failover: the SA moves to the new active slave.
	kmsg_mark failover
	ip link set esim0 carrier off
	wait_for 5 attr_is esim1 bond_opt bond0 active_slave || fail "no failover to esim1"
	wait_for 5 attr_is "0/1" eval 'echo "$(sas esim0)/$(sas esim1)"' ||
		fail "SAs on esim0/esim1 after the failover: $(sas esim0)/$(sas esim1)"
	check "esim0 let the SA go" logged failover "esim0 delete spi $SPI"
	check "esim1 was programmed" logged failover "esim1 add spi $SPI"
	send 10
	say "ESP offload packets after the failover: esim0 $(esp_tx esim0), esim1 $(esp_tx esim1)"
	[ "$(esp_tx esim1)" -ge 10 ] || fail "esim1 got $(esp_tx esim1) ESP offload packets of 10"
	expect_eq "$(esp_tx esim0)" "$t0" "ESP offload packets on the failed slave"

	# Deleting the SA takes it off the slave.
	kmsg_mark delete
	ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi $SPI || fail "state delete"
	wait_for 5 attr_is 0 sas esim1 || fail "esim1 still holds $(sas esim1) SAs"
	check "esim1 deleted the SA" logged delete "esim1 delete spi $SPI"
	ip xfrm policy flush
	ip link set esim0 carrier on
fi

# A slave without ESP offload: software crypto, no offload shown.
ip link add bond1 type bond mode active-backup miimon 100 || fail "bond1"
ip link add d0 type dummy
ip link set d0 master bond1
ip link set bond1 up
ip addr del 192.0.2.1/24 dev bond0
ip addr add 192.0.2.1/24 dev bond1
# (In-tree 6.1 refuses the SA instead: "Slave does not support ipsec offload".)
if state_add bond1; then
	ip xfrm state | grep -q "crypto offload" && fail "offload shown: $(ip xfrm state)"
	ip xfrm state flush
elif ! impl_is intree || [ "$KERNEL" != 6.1 ]; then
	fail "state over a slave without offload refused"
fi
ip xfrm state flush

# An active-backup bond without an active slave refuses the offload.
ip link set d0 down
wait_for 5 attr_is "" bond_opt bond1 active_slave || fail "bond1 still has an active slave"
check_fails "no active slave: state offload refused" state_add bond1
ip link del d0

# balance-rr offloads no ESP: software crypto. (In-tree programs the SA
# into the first slave all the same, where nothing uses it.)
ip link add bond2 type bond mode balance-rr || fail "bond2"
ip link set esim1 nomaster
ip link set esim1 master bond2 || fail "enslave esim1 to bond2"
ip link set bond2 up
kmsg_mark rr
if state_add bond2; then
	if impl_is ours; then
		ip xfrm state | grep -q "crypto offload" && fail "balance-rr: offload shown: $(ip xfrm state)"
		expect_eq "$(sas esim1)" 0 "balance-rr: SAs on esim1"
	else
		say "in-tree: balance-rr put $(sas esim1) SA(s) on esim1"
	fi
else
	impl_is intree || fail "balance-rr: state refused"
	say "in-tree: balance-rr refused the SA: $(kmsg_since rr | grep esp_sim)"
fi
