#!/bin/bash
# kernel-neutral: balance-tlb/alb have no probed kernel difference (6.1 runs upstream bond_macvlan_ipvlan.sh in these modes)
# The options and surfaces of balance-tlb and balance-alb, as in-tree has
# them, for each mode in turn:
# - a new bond in the mode has miimon 100 and tlb_dynamic_lb 1; the ARP
#   monitor is refused (sysfs EACCES and the dmesg line, netlink's extack,
#   also when the bond is created with it), arp_ip_target is not;
# - tlb_dynamic_lb is refused while the bond is up (EBUSY, the dmesg line,
#   netlink's extack), refused out of range, taken while it is down;
# - /proc/net/bonding/bond0 word for word: empty, with two slaves, with a
#   primary, and with tlb_dynamic_lb 0 (which names the hash policy); every
#   slave shows state "active" in sysfs and netlink (no backup slaves in
#   these modes);
# and switching modes: into tlb/alb sets miimon 100 if it was 0 and drops
# arp_interval (keeping the targets); into alb sets tlb_dynamic_lb 1, which
# alb then takes 0 again; tlb keeps the tlb_dynamic_lb it was left with.
# (Native XDP in these modes: tests/cases/xdp-bond.sh.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-alb.sh"

mode_missing balance-tlb && mode_missing balance-alb &&
	skip "balance-tlb and balance-alb are not in our bonding.ko yet"

dir=/sys/class/net/bond0/bonding
ver="Ethernet Channel Bonding Driver: v$(uname -r)"
mac0=02:00:00:00:00:a0
mac1=02:00:00:00:00:a1

# refused_nl DESC EXTACK CMD...: the ip command fails and prints EXTACK.
refused_nl() {
	local desc=$1 want=$2 err
	shift 2
	err=$("$@" 2>&1) && fail "$desc: accepted ($*)"
	expect_eq "$err" "$want" "$desc: ip's message"
}
# logged MARK LINE: the kernel logged LINE (without its time stamp) since MARK.
logged() {
	kmsg_since "$1" | sed 's/^\[[^]]*\] //' | grep -qxF "$2" || fail "no dmesg line '$2'"
}
# proc_head NAME [HASH-LINE] [PRIMARY] [ACTIVE] [MII]: the bond's block.
proc_head() {
	echo "$ver"
	echo
	echo "Bonding Mode: $1"
	[ -n "$2" ] && echo "$2"
	echo "Primary Slave: ${3:-None}"
	echo "Currently Active Slave: ${4:-None}"
	echo "MII Status: ${5:-down}"
	echo "MII Polling Interval (ms): 100"
	echo "Up Delay (ms): 0"
	echo "Down Delay (ms): 0"
	echo "Peer Notification Delay (ms): 0"
}
proc_slave() {
	printf '\nSlave Interface: %s\nMII Status: up\nSpeed: 10000 Mbps\nDuplex: full\n' "$1"
	printf 'Link Failure Count: 0\nPermanent HW addr: %s\nSlave queue ID: 0\n' "$2"
}

bond_load_defaults max_bonds=0
topo_peer_ns
alb_veth 0
alb_veth 1

for m in "balance-tlb 5 transmit load balancing" "balance-alb 6 adaptive load balancing"; do
	read -r name num long <<<"$m"
	mode_missing $name && { say "skip $name: not in this bonding.ko yet"; continue; }
	say "$name: a new bond"
	check "$name bond" ip link add bond0 type bond mode $name
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
	expect_eq "$(bond_opt bond0 miimon)" 100 "$name: miimon of a new bond"
	expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 1 "$name: tlb_dynamic_lb of a new bond"
	expect_eq "$(bond_opt bond0 mode)" "$name $num" "$name: sysfs mode"
	proc_head "$long" | expect_file /proc/net/bonding/bond0 "$name: empty bond"

	say "$name: the ARP monitor"
	kmsg_mark "$name-arp"
	expect_eq "$(write_errno $dir/arp_interval 100)" EACCES "$name: arp_interval by sysfs"
	logged "$name-arp" "bond0: option arp_interval: mode dependency failed, not supported in mode $name($num)"
	refused_nl "$name: arp_interval by netlink" "Error: option not supported in mode." \
		ip link set bond0 type bond arp_interval 100
	refused_nl "$name: a new bond with arp_interval" "Error: option not supported in mode." \
		ip link add bond1 type bond mode $name arp_interval 100
	check_fails "$name: no bond1 after the refused add" link_exists bond1
	expect_eq "$(bond_opt bond0 arp_interval)" 0 "$name: arp_interval unchanged"
	check "$name: arp_ip_target" ip link set bond0 type bond arp_ip_target 192.0.2.9
	expect_eq "$(bond_opt bond0 arp_ip_target)" 192.0.2.9 "$name: arp_ip_target"
	expect_eq "$(write_errno $dir/arp_ip_target -192.0.2.9)" ok "$name: arp_ip_target removed"

	say "$name: two slaves"
	check "$name: enslave veth0" ip link set veth0 master bond0
	check "$name: enslave veth1" ip link set veth1 master bond0
	check "$name: up" ip link set bond0 up
	check "$name: settled" alb_settle bond0 10
	{ proc_head "$long" "" None veth0 up; proc_slave veth0 $mac0; proc_slave veth1 $mac1; } |
		expect_file /proc/net/bonding/bond0 "$name: two slaves"
	for s in veth0 veth1; do
		expect_eq "$(slave_attr $s state)" active "$name: sysfs state of $s"
		expect_eq "$(ip -d -j link show dev $s | jq -r '.[0].linkinfo.info_slave_data.state')" ACTIVE \
			"$name: netlink state of $s"
	done
	check "$name: primary veth1" ip link set bond0 type bond primary veth1
	check "$name: veth1 active" wait_for 5 attr_is veth1 active_of bond0
	{ proc_head "$long" "" "veth1 (primary_reselect always)" veth1 up
	  proc_slave veth0 $mac0; proc_slave veth1 $mac1; } |
		expect_file /proc/net/bonding/bond0 "$name: with a primary"

	say "$name: tlb_dynamic_lb"
	kmsg_mark "$name-dyn"
	expect_eq "$(write_errno $dir/tlb_dynamic_lb 0)" EBUSY "$name: tlb_dynamic_lb while up"
	logged "$name-dyn" "bond0: option tlb_dynamic_lb: unable to set because the bond device is up"
	refused_nl "$name: tlb_dynamic_lb by netlink while up" \
		"Error: unable to set option because the bond is up." ip link set bond0 type bond tlb_dynamic_lb 0
	expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 1 "$name: tlb_dynamic_lb unchanged"
	ip link set bond0 down
	expect_eq "$(write_errno $dir/tlb_dynamic_lb 2)" EINVAL "$name: tlb_dynamic_lb 2"
	logged "$name-dyn" "bond0: option tlb_dynamic_lb: invalid value (2)"
	expect_eq "$(write_errno $dir/tlb_dynamic_lb 0)" ok "$name: tlb_dynamic_lb 0 while down"
	expect_eq "$(ip -d -j link show dev bond0 | jq -r '.[0].linkinfo.info_data.tlb_dynamic_lb')" 0 \
		"$name: netlink tlb_dynamic_lb"
	check "$name: up again" ip link set bond0 up
	check "$name: settled again" alb_settle bond0 10
	{ proc_head "$long" "Transmit Hash Policy: layer2 (0)" "veth1 (primary_reselect always)" veth1 up
	  proc_slave veth0 $mac0; proc_slave veth1 $mac1; } |
		expect_file /proc/net/bonding/bond0 "$name: with tlb_dynamic_lb 0"
	ip link del bond0
done

say "mode switches"
check "balance-rr bond" ip link add bond0 type bond mode balance-rr miimon 0 arp_interval 300 \
	arp_ip_target 192.0.2.9
for name in balance-tlb balance-alb; do
	mode_missing $name && continue
	check "$name from balance-rr" ip link set bond0 type bond mode $name
	expect_eq "$(bond_opt bond0 miimon),$(bond_opt bond0 arp_interval),$(bond_opt bond0 arp_ip_target)" \
		"100,0,192.0.2.9" "$name: miimon, arp_interval, arp_ip_target after the switch"
	check "back to balance-rr" ip link set bond0 type bond mode balance-rr miimon 0 arp_interval 300
done
if ! mode_missing balance-tlb; then
	check "balance-tlb" ip link set bond0 type bond mode balance-tlb
	check "tlb_dynamic_lb 0" ip link set bond0 type bond tlb_dynamic_lb 0
	check "balance-rr" ip link set bond0 type bond mode balance-rr
	expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 0 "tlb_dynamic_lb kept in balance-rr"
	check "balance-tlb again" ip link set bond0 type bond mode balance-tlb
	expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 0 "tlb_dynamic_lb kept into balance-tlb"
	if ! mode_missing balance-alb; then
		check "balance-alb" ip link set bond0 type bond mode balance-alb
		expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 1 "balance-alb sets tlb_dynamic_lb 1"
		check "tlb_dynamic_lb 0 in balance-alb" ip link set bond0 type bond tlb_dynamic_lb 0
		expect_eq "$(bond_opt bond0 tlb_dynamic_lb)" 0 "balance-alb takes tlb_dynamic_lb 0 after the switch"
	fi
fi
ip link del bond0
bond_unload
