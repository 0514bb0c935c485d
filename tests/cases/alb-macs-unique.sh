#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# The slaves' MACs in balance-tlb and balance-alb (each in turn): every
# slave keeps a MAC of its own, the active slave has the bond's, and these
# move only between the slaves (and the bond's own), never duplicated:
# - a slave whose MAC is the bond's, with no spare MAC in the bond (every
#   slave uses its own): refused (EFAULT) with in-tree's message;
# - a bond with a MAC of its own: the first slave, made active, takes it,
#   which leaves that slave's permanent MAC spare, and a slave coming in
#   with the bond's MAC gets the spare one ("giving it the hw address of");
# - releasing the active slave: the next one takes the bond's MAC, the
#   released one gets its permanent MAC back; releasing a slave whose
#   permanent MAC is the bond's warns that it is still in use; re-adding;
# - active_slave moves the bond's MAC by swapping it with the old active
#   slave; in balance-alb, a new MAC on the bond goes to the active slave
#   (swapped with a slave that had it);
# - deleting the bond gives every slave its permanent MAC back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-tlb && mode_missing balance-alb &&
	skip "balance-tlb and balance-alb are not in our bonding.ko yet"

a0=02:00:00:00:00:a0
a1=02:00:00:00:00:a1
b0=02:00:00:00:00:b0

# expect_macs DESC ACTIVE VETH0 VETH1 VETH2: the active slave and the MACs
# of bond0 ($bmac) and veth0..2 (enslaved or not); and macs_sane.
expect_macs() {
	local want="bond=$bmac active=$2 veth0=$3 veth1=$4 veth2=$5"
	local got="bond=$(mac_of bond0) active=$(active_of bond0) veth0=$(mac_of veth0) veth1=$(mac_of veth1) veth2=$(mac_of veth2)"
	expect_eq "$got" "$want" "$1"
	expect_eq "$(macs_sane bond0)" "" "$1: slave MACs"
}
# logged MARK TEXT: the kernel logged a line holding TEXT since MARK.
logged() { kmsg_since "$1" | grep -qF "$2" || fail "no dmesg line with '$2'"; }
# swap_to SLAVE: active_slave SLAVE, taken.
swap_to() {
	expect_eq "$(write_errno /sys/class/net/bond0/bonding/active_slave "$1")" ok "active_slave $1"
	expect_eq "$(active_of bond0)" "$1" "active slave after active_slave $1"
}

bond_load_defaults max_bonds=0
topo_peer_ns
for m in balance-tlb balance-alb; do
	mode_missing $m && { say "skip $m: not in this bonding.ko yet"; continue; }

	say "$m: the bond's MAC coming in again, no spare"
	alb_veth 0
	alb_veth 1
	alb_veth 2 $a0
	check "$m bond" ip link add bond0 type bond mode $m miimon 100
	ip link set bond0 up
	check "$m: enslave veth0" ip link set veth0 master bond0
	check "$m: enslave veth1" ip link set veth1 master bond0
	bmac=$a0
	expect_macs "$m: two slaves" veth0 $a0 $a1 $a0
	kmsg_mark "$m-nospare"
	err=$(ip link set veth2 master bond0 2>&1) && fail "$m: veth2 with the bond's MAC enslaved"
	expect_eq "$err" "RTNETLINK answers: Bad address" "$m: enslaving veth2"
	logged "$m-nospare" "bond0: (slave veth2): the slave hw address is in use by the bond; couldn't find a slave with a free hw address to give it (this should not have happened)"
	check_fails "$m: veth2 not enslaved" test -e /sys/class/net/veth2/master
	expect_macs "$m: after the refusal" veth0 $a0 $a1 $a0
	ip link del bond0
	for i in 0 1 2; do ip link del veth$i; done

	say "$m: a bond with a MAC of its own"
	alb_veth 0
	alb_veth 1
	alb_veth 2 $b0
	bmac=$b0
	check "$m bond with $b0" ip link add bond0 address $b0 type bond mode $m miimon 100
	ip link set bond0 up
	kmsg_mark "$m-own"
	check "$m: enslave veth0" ip link set veth0 master bond0
	check "$m: veth0 active" wait_for 5 attr_is veth0 active_of bond0
	check "$m: enslave veth1" ip link set veth1 master bond0
	check "$m: enslave veth2 (the bond's MAC)" ip link set veth2 master bond0
	logged "$m-own" "bond0: (slave veth2): the slave hw address is in use by the bond; giving it the hw address of veth0"
	expect_macs "$m: three slaves" veth0 $b0 $a1 $a0
	expect_eq "$(proc_get bond0 'Permanent HW addr' veth0),$(proc_get bond0 'Permanent HW addr' veth1),$(proc_get bond0 'Permanent HW addr' veth2)" \
		"$a0,$a1,$b0" "$m: permanent MACs in /proc"

	say "$m: releases"
	kmsg_mark "$m-rel"
	check "$m: release veth0 (active)" ip link set veth0 nomaster
	check "$m: an active slave" wait_for 5 attr_is veth1 active_of bond0
	expect_macs "$m: veth0 released" veth1 $a0 $b0 $a1
	check "$m: release veth2" ip link set veth2 nomaster
	logged "$m-rel" "bond0: (slave veth2): the permanent HWaddr of slave - $b0 - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts"
	# veth2's own MAC is the bond's: released, it has it back all the same.
	expect_eq "$(mac_of veth2)" $b0 "$m: veth2 released"
	expect_eq "$(macs_sane bond0)" "" "$m: veth2 released: slave MACs"
	kmsg_mark "$m-readd"
	check "$m: re-add veth2" ip link set veth2 master bond0
	logged "$m-readd" "bond0: (slave veth2): the slave hw address is in use by the bond; giving it the hw address of veth1"
	check "$m: re-add veth0" ip link set veth0 master bond0
	expect_macs "$m: re-added" veth1 $a0 $b0 $a1

	say "$m: active_slave"
	swap_to veth0
	expect_macs "$m: veth0 made active" veth0 $b0 $a0 $a1
	swap_to veth1
	expect_macs "$m: veth1 made active" veth1 $a0 $b0 $a1
	swap_to veth2
	expect_macs "$m: veth2 made active" veth2 $a0 $a1 $b0

	if [ $m = balance-alb ]; then
		say "$m: a new MAC on the bond"
		check "$m: bond MAC 02:00:00:00:00:c0" ip link set bond0 address 02:00:00:00:00:c0
		bmac=02:00:00:00:00:c0
		expect_macs "$m: the active slave took it" veth2 $a0 $a1 02:00:00:00:00:c0
		check "$m: bond MAC $a1 (veth1's)" ip link set bond0 address $a1
		bmac=$a1
		expect_macs "$m: the active slave swapped with veth1" veth2 $a0 02:00:00:00:00:c0 $a1
	fi

	ip link del bond0
	expect_eq "$(mac_of veth0),$(mac_of veth1),$(mac_of veth2)" "$a0,$a1,$b0" \
		"$m: permanent MACs back after the bond is gone"
	for i in 0 1 2; do ip link del veth$i; done
done
bond_unload
