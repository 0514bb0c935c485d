#!/bin/bash
# kernel-neutral: ARP option parsing, no probed kernel difference
# The ARP monitor's options without traffic: arp_ip_target over sysfs (one
# +addr/-addr per write, read back space-separated, an empty file when
# empty) and its refusals with their errno and dmesg lines (duplicate, 17th
# target, 0.0.0.0 and 255.255.255.255, malformed and empty writes -
# CVE-2024-39487 was an overflow read on an empty write -, removing a target
# that is not there); over netlink, where a list replaces the whole list;
# arp_interval against miimon (each turns the other off, miimon resets
# arp_validate) and the netlink refusal of both in one message;
# arp_validate, arp_all_targets and arp_missed_max values, ranges and mode
# refusals; the sysfs, `ip -d -j link show` and /proc formats; the module
# parameters arp_interval, arp_ip_target, arp_validate and arp_all_targets
# with their warnings and load failures.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bonding=/sys/class/net/bond0/bonding
targets=$bonding/arp_ip_target
key() { ip -d -j link show dev "$2" | jq -c ".[0].linkinfo.info_data.$1"; }
# logged MARK LINE...: each LINE is in the kernel log since MARK.
logged() {
	local mark=$1 log l
	shift
	log=$(kmsg_since "$mark")
	for l in "$@"; do
		grep -qF -- "$l" <<<"$log" || fail "no dmesg line '$l'"
	done
}
# refused_nl DESC EXTACK CMD...: the ip command fails and prints EXTACK.
refused_nl() {
	local desc=$1 want=$2 err
	shift 2
	err=$("$@" 2>&1) && fail "$desc: accepted ($*)"
	expect_eq "$err" "$want" "$desc: ip's message"
}
# load_fails DESC DMESG-LINE PARAM...
load_fails() {
	local desc=$1 line=$2
	shift 2
	kmsg_mark "$desc"
	! modprobe -C "$BOND_MODPROBE_DIR" bonding "$@" 2>/dev/null || fail "$desc: loaded ($*)"
	check_fails "$desc: module not loaded" bond_loaded
	logged "$desc" "$line"
}

bond_load_defaults

# ---- defaults -----------------------------------------------------------
expect_eq "$(bond_opt bond0 arp_interval)" 0 "default arp_interval"
expect_eq "$(wc -c <$targets)" 0 "arp_ip_target is an empty file by default"
expect_eq "$(bond_opt bond0 arp_validate)" "none 0" "default arp_validate"
expect_eq "$(bond_opt bond0 arp_all_targets)" "any 0" "default arp_all_targets"
expect_eq "$(bond_opt bond0 arp_missed_max)" 2 "default arp_missed_max"
expect_eq "$(key arp_interval bond0),$(key arp_missed_max bond0),$(key arp_validate bond0),$(key arp_all_targets bond0)" \
	'0,2,null,"any"' "netlink defaults (ip prints arp_validate none as null)"
expect_eq "$(key arp_ip_target bond0),$(key ns_ip6_target bond0)" "null,null" \
	"no target lists in info_data while empty"
! grep -q '^ARP\|^NS IPv6' /proc/net/bonding/bond0 || fail "/proc has ARP lines with arp_interval 0"

# ---- arp_ip_target over sysfs -------------------------------------------
expect_eq "$(write_errno $targets +192.0.2.2)" ok "+192.0.2.2"
expect_eq "$(write_errno $targets +192.0.2.3)" ok "+192.0.2.3"
printf '192.0.2.2 192.0.2.3\n' | expect_file $targets "two targets, space separated"
kmsg_mark refusals
expect_eq "$(write_errno $targets +192.0.2.2)" EINVAL "duplicate +192.0.2.2"
expect_eq "$(write_errno $targets 192.0.2.9)" EPERM "no +/- command"
expect_eq "$(write_errno $targets -192.0.2.9)" EINVAL "- of a target not in the list"
expect_eq "$(write_errno $targets +255.255.255.255)" EINVAL "+255.255.255.255"
expect_eq "$(write_errno $targets -255.255.255.255)" EINVAL "-255.255.255.255"
expect_eq "$(write_errno $targets +0.0.0.0)" EINVAL "+0.0.0.0"
for bad in +192.0.2.300 +abc + - ' ' '+ 192.0.2.4'; do
	expect_eq "$(write_errno $targets "$bad")" EPERM "malformed '$bad'"
done
# Empty writes: "\n" alone is malformed; a write of nothing changes nothing.
err=$( { echo >$targets; } 2>&1) && fail "echo > arp_ip_target accepted"
[[ $err == *"Operation not permitted"* ]] || fail "echo > arp_ip_target: '$err', expected EPERM"
check "printf '' > arp_ip_target" eval "printf '' >$targets"
expect_eq "$(cat $targets)" "192.0.2.2 192.0.2.3" "list after the refusals"
logged refusals \
	"bond0: ARP target 192.0.2.2 is already present" \
	"bond0: option arp_ip_target: invalid value (+192.0.2.2)" \
	"bond0: no command found in arp_ip_targets file - use +<addr> or -<addr>" \
	"bond0: unable to remove nonexistent ARP target 192.0.2.9" \
	"bond0: option arp_ip_target: invalid value (-192.0.2.9)" \
	"bond0: invalid ARP target 255.255.255.255 specified for addition" \
	"bond0: option arp_ip_target: invalid value (+255.255.255.255)" \
	"bond0: invalid ARP target 255.255.255.255 specified for removal" \
	"bond0: invalid ARP target 0.0.0.0 specified for addition" \
	"bond0: invalid ARP target specified"
# Multicast, loopback and subnet-broadcast addresses are accepted.
for ok in 224.0.0.1 239.1.1.1 127.0.0.1 192.0.2.255; do
	expect_eq "$(write_errno $targets +$ok)" ok "+$ok"
	expect_eq "$(write_errno $targets -$ok)" ok "-$ok"
done
# The address ends at the first character that is not part of it.
expect_eq "$(write_errno $targets '+192.0.2.4 +192.0.2.5')" ok "'+192.0.2.4 +192.0.2.5'"
expect_eq "$(cat $targets)" "192.0.2.2 192.0.2.3 192.0.2.4" "only the first address of a write"
# Sixteen targets at most.
for i in $(seq 10 22); do
	expect_eq "$(write_errno $targets +192.0.2.$i)" ok "+192.0.2.$i"
done
expect_eq "$(wc -w <$targets)" 16 "sixteen targets"
kmsg_mark full
expect_eq "$(write_errno $targets +192.0.2.23)" EINVAL "17th target"
logged full "bond0: ARP target table is full!" "bond0: option arp_ip_target: invalid value (+192.0.2.23)"
expect_eq "$(wc -w <$targets)" 16 "still sixteen targets"
# Removal keeps the order of the others.
expect_eq "$(write_errno $targets -192.0.2.3)" ok "-192.0.2.3"
expect_eq "$(cut -d' ' -f1-3 $targets)" "192.0.2.2 192.0.2.4 192.0.2.10" "order after a removal"
for t in $(cat $targets); do
	expect_eq "$(write_errno $targets -$t)" ok "-$t"
done
expect_eq "$(wc -c <$targets)" 0 "arp_ip_target empty again"
echo 100 >$bonding/arp_interval
echo +192.0.2.2 >$targets
kmsg_mark last
echo -192.0.2.2 >$targets
logged last "bond0: Removing last arp target with arp_interval on"
echo 0 >$bonding/arp_interval

# ---- arp_interval against miimon ----------------------------------------
echo 100 >$bonding/miimon
echo 100 >$bonding/arp_interval
expect_eq "$(bond_opt bond0 miimon),$(bond_opt bond0 arp_interval)" 0,100 "arp_interval turns miimon off"
echo all >$bonding/arp_validate
echo 100 >$bonding/miimon
expect_eq "$(bond_opt bond0 miimon),$(bond_opt bond0 arp_interval),$(bond_opt bond0 arp_validate)" \
	"100,0,none 0" "miimon turns arp_interval off and resets arp_validate"
echo 200 >$bonding/arp_interval
echo active >$bonding/arp_validate
echo 0 >$bonding/arp_interval
expect_eq "$(bond_opt bond0 arp_validate)" "active 1" "arp_interval 0 keeps arp_validate"
echo 100 >$bonding/miimon
expect_eq "$(bond_opt bond0 arp_validate)" "active 1" "miimon keeps arp_validate while arp_interval is 0"
echo none >$bonding/arp_validate
refused_nl "miimon and arp_interval in one message" \
	"Error: ARP monitoring cannot be used with MII monitoring." \
	ip link set bond0 type bond miimon 100 arp_interval 100
expect_eq "$(bond_opt bond0 miimon),$(bond_opt bond0 arp_interval)" 100,0 "miimon applied before the refusal"
refused_nl "miimon and arp_validate in one message" \
	"Error: ARP validating cannot be used with MII monitoring." \
	ip link set bond0 type bond miimon 100 arp_validate all
check "arp_interval and arp_validate" ip link set bond0 type bond arp_interval 100 arp_validate all
expect_eq "$(bond_opt bond0 miimon),$(bond_opt bond0 arp_interval),$(bond_opt bond0 arp_validate)" \
	"0,100,all 3" "over netlink arp_interval turns miimon off"
check "miimon 0 arp_interval 100" ip link set bond0 type bond miimon 0 arp_interval 100

# ---- arp_ip_target over netlink: a list replaces the list ---------------
echo +192.0.2.9 >$targets
check "netlink list" ip link set bond0 type bond arp_ip_target 192.0.2.5,192.0.2.6
expect_eq "$(cat $targets)" "192.0.2.5 192.0.2.6" "sysfs after the netlink list"
expect_eq "$(key arp_ip_target bond0)" '["192.0.2.5","192.0.2.6"]' "info_data arp_ip_target"
check "netlink list of one" ip link set bond0 type bond arp_ip_target 192.0.2.7
expect_eq "$(cat $targets)" 192.0.2.7 "replaced by a list of one"
kmsg_mark nl
refused_nl "netlink list with 255.255.255.255" "Error: invalid option value." \
	ip link set bond0 type bond arp_ip_target 192.0.2.8,255.255.255.255,192.0.2.9
# In-tree empties the list first and stops at the bad address; ours refuses
# the whole list and keeps the old one (a refused write changes nothing).
if impl_is intree; then
	expect_eq "$(cat $targets)" 192.0.2.8 "list after a refused netlink list"
else
	expect_eq "$(cat $targets)" 192.0.2.7 "list after a refused netlink list"
fi
refused_nl "netlink list with a duplicate" "Error: invalid option value." \
	ip link set bond0 type bond arp_ip_target 192.0.2.5,192.0.2.5
refused_nl "netlink list with 0.0.0.0" "Error: invalid option value." \
	ip link set bond0 type bond arp_ip_target 0.0.0.0
logged nl "bond0: invalid ARP target 255.255.255.255 specified for addition" \
	"bond0: ARP target 192.0.2.5 is already present" \
	"bond0: invalid ARP target 0.0.0.0 specified for addition"
list17=$(for i in $(seq 1 17); do echo 192.0.2.$i; done)
before17=$(cat $targets)
kmsg_mark nl17
expect_eq "$(nl_set_targets bond0 arp $list17)" "errno 22: invalid option value" \
	"17 targets in one netlink message"
logged nl17 "bond0: ARP target table is full!"
# in-tree keeps the first sixteen; ours refuses the list and keeps the old one
if impl_is intree; then
	expect_eq "$(wc -w <$targets)" 16 "the first sixteen kept"
else
	expect_eq "$(cat $targets)" "$before17" "the list before the refused one kept"
fi
check "empty netlink list" ip link set bond0 type bond arp_ip_target ""
expect_eq "$(wc -c <$targets)" 0 "an empty netlink list empties the list"
expect_eq "$(key arp_ip_target bond0)" null "no arp_ip_target in info_data"

# ---- values and ranges --------------------------------------------------
kmsg_mark values
for v in "none 0" "active 1" "backup 2" "all 3" "filter 4" "filter_active 5" "filter_backup 6"; do
	expect_eq "$(write_errno $bonding/arp_validate "${v% *}")" ok "arp_validate ${v% *}"
	expect_eq "$(bond_opt bond0 arp_validate)" "$v" "arp_validate read back"
	expect_eq "$(write_errno $bonding/arp_validate "${v#* }")" ok "arp_validate ${v#* }"
	expect_eq "$(bond_opt bond0 arp_validate)" "$v" "arp_validate by number read back"
	expect_eq "$(key arp_validate bond0)" "$([ "${v% *}" = none ] && echo null || echo "\"${v% *}\"")" \
		"info_data arp_validate ${v% *}"
done
expect_eq "$(write_errno $bonding/arp_validate 7)" EINVAL "arp_validate 7"
expect_eq "$(write_errno $bonding/arp_validate bogus)" EINVAL "arp_validate bogus"
for v in "all 1" "any 0" "1 1" "0 0"; do
	expect_eq "$(write_errno $bonding/arp_all_targets "${v% *}")" ok "arp_all_targets ${v% *}"
	expect_match "$(bond_opt bond0 arp_all_targets)" "^[a-z]+ ${v#* }\$" "arp_all_targets read back"
done
expect_eq "$(write_errno $bonding/arp_all_targets 2)" EINVAL "arp_all_targets 2"
for v in 1 255 default; do
	expect_eq "$(write_errno $bonding/arp_missed_max $v)" ok "arp_missed_max $v"
done
expect_eq "$(bond_opt bond0 arp_missed_max)" 2 "arp_missed_max default"
for v in 0 256 -1 abc; do
	expect_eq "$(write_errno $bonding/arp_missed_max $v)" EINVAL "arp_missed_max $v"
done
expect_eq "$(bond_opt bond0 arp_missed_max)" 2 "arp_missed_max after the refusals"
logged values "bond0: option arp_validate: invalid value (7)" \
	"bond0: option arp_validate: invalid value (bogus)" \
	"bond0: option arp_all_targets: invalid value (2)" \
	"bond0: option arp_missed_max: invalid value (0)" \
	"bond0: option arp_missed_max: allowed values 1 - 255" \
	"bond0: option arp_missed_max: invalid value (256)"
refused_nl "netlink arp_missed_max 0" "Error: invalid option value." \
	ip link set bond0 type bond arp_missed_max 0
check "netlink values" ip link set bond0 type bond arp_interval 300 arp_validate filter_active \
	arp_all_targets all arp_missed_max 7 arp_ip_target 192.0.2.2,192.0.2.3
expect_eq "$(ip -d -j link show dev bond0 | jq -c '.[0].linkinfo.info_data |
	[.arp_interval, .arp_ip_target, .arp_validate, .arp_all_targets, .arp_missed_max, .miimon]')" \
	'[300,["192.0.2.2","192.0.2.3"],"filter_active","all",7,0]' "info_data after netlink"
expect_eq "$(bond_opt bond0 arp_interval)|$(cat $targets)|$(bond_opt bond0 arp_validate)|$(bond_opt bond0 arp_all_targets)|$(bond_opt bond0 arp_missed_max)" \
	"300|192.0.2.2 192.0.2.3|filter_active 5|all 1|7" "sysfs after netlink"

# ---- /proc ---------------------------------------------------------------
ip link add bond1 type bond mode active-backup arp_interval 100 arp_ip_target 192.0.2.2,192.0.2.3 ||
	fail "bond1"
expect_file /proc/net/bonding/bond1 "active-backup with the ARP monitor" <<EOT
Ethernet Channel Bonding Driver: v$(uname -r)

Bonding Mode: fault-tolerance (active-backup)
Primary Slave: None
Currently Active Slave: None
MII Status: down
MII Polling Interval (ms): 0
Up Delay (ms): 0
Down Delay (ms): 0
Peer Notification Delay (ms): 0
ARP Polling Interval (ms): 100
ARP Missed Max: 2
ARP IP target/s (n.n.n.n form): 192.0.2.2, 192.0.2.3
NS IPv6 target/s (xx::xx form):
EOT
echo 0 >/sys/class/net/bond1/bonding/arp_interval
! grep -q '^ARP\|^NS IPv6' /proc/net/bonding/bond1 || fail "/proc ARP lines with arp_interval 0"
echo 100 >/sys/class/net/bond1/bonding/arp_interval
echo -192.0.2.2 >/sys/class/net/bond1/bonding/arp_ip_target
echo -192.0.2.3 >/sys/class/net/bond1/bonding/arp_ip_target
echo 9 >/sys/class/net/bond1/bonding/arp_missed_max
expect_eq "$(grep '^ARP\|^NS IPv6' /proc/net/bonding/bond1)" \
	"ARP Polling Interval (ms): 100
ARP Missed Max: 9
ARP IP target/s (n.n.n.n form):
NS IPv6 target/s (xx::xx form):" "/proc ARP lines with no target"

# ---- modes -------------------------------------------------------------
# A mode change resets arp_validate; 802.3ad/tlb/alb drop arp_interval and
# refuse the ARP options.
b1=/sys/class/net/bond1/bonding
echo all >$b1/arp_validate
echo balance-rr >$b1/mode
expect_eq "$(bond_opt bond1 arp_validate),$(bond_opt bond1 arp_interval)" "none 0,100" \
	"mode change resets arp_validate, keeps arp_interval"
echo all >$b1/arp_validate
echo balance-xor >$b1/mode
expect_eq "$(bond_opt bond1 arp_validate)" "none 0" "arp_validate after balance-xor"
echo 802.3ad >$b1/mode
expect_eq "$(bond_opt bond1 arp_interval),$(bond_opt bond1 miimon)" 0,100 \
	"802.3ad drops arp_interval and sets miimon"
kmsg_mark modes
for m in "802.3ad 4" "balance-tlb 5" "balance-alb 6"; do
	mode_missing "${m% *}" && { say "skip ${m% *}: not in this bonding.ko yet"; continue; }
	echo "${m% *}" >$b1/mode
	expect_eq "$(write_errno $b1/arp_validate active)" EACCES "arp_validate in ${m% *}"
	expect_eq "$(write_errno $b1/arp_validate none)" EACCES "arp_validate none in ${m% *}"
	expect_eq "$(write_errno $b1/arp_interval 100)" EACCES "arp_interval in ${m% *}"
	expect_eq "$(write_errno $b1/arp_missed_max 3)" EACCES "arp_missed_max in ${m% *}"
	logged modes "bond1: option arp_validate: mode dependency failed, not supported in mode ${m% *}(${m#* })" \
		"bond1: option arp_interval: mode dependency failed, not supported in mode ${m% *}(${m#* })" \
		"bond1: option arp_missed_max: mode dependency failed, not supported in mode ${m% *}(${m#* })"
	refused_nl "netlink arp_validate in ${m% *}" "Error: option not supported in mode." \
		ip link set bond1 type bond arp_validate active
	refused_nl "netlink arp_interval in ${m% *}" "Error: option not supported in mode." \
		ip link set bond1 type bond arp_interval 100
done
expect_eq "$(write_errno $b1/arp_all_targets all)" ok "arp_all_targets in $(bond_opt bond1 mode)"
expect_eq "$(write_errno $b1/arp_ip_target +192.0.2.2)" ok "arp_ip_target in $(bond_opt bond1 mode)"
bond_unload

# ---- module parameters -------------------------------------------------
kmsg_mark load
bond_load_defaults mode=active-backup arp_interval=100 arp_ip_target=192.0.2.2,192.0.2.3 \
	arp_validate=all arp_all_targets=all
ip link add bond1 type bond || fail "bond1 with the module's defaults"
for b in bond0 bond1; do
	expect_eq "$(bond_opt $b miimon)|$(bond_opt $b arp_interval)|$(cat /sys/class/net/$b/bonding/arp_ip_target)|$(bond_opt $b arp_validate)|$(bond_opt $b arp_all_targets)|$(bond_opt $b arp_missed_max)" \
		"0|100|192.0.2.2 192.0.2.3|all 3|all 1|2" "$b with the ARP module parameters"
done
logged load "ARP monitoring set to 100 ms, validate all, with 2 target(s): 192.0.2.2 192.0.2.3"
bond_unload

kmsg_mark load
bond_load_defaults arp_interval=100 arp_ip_target=192.0.2.2,192.0.2.2 arp_validate=filter
expect_eq "$(cat $targets)|$(bond_opt bond0 arp_interval)|$(bond_opt bond0 arp_validate)" \
	"192.0.2.2|100|filter 4" "duplicate target skipped"
logged load "Warning: duplicate address 192.0.2.2 in arp_ip_target, skipping" \
	"ARP monitoring set to 100 ms, validate filter, with 1 target(s): 192.0.2.2"
bond_unload

kmsg_mark load
bond_load_defaults arp_interval=100
expect_eq "$(bond_opt bond0 arp_interval)" 0 "arp_interval without targets"
logged load "Warning: arp_interval module parameter (100) specified without providing an arp_ip_target parameter, arp_interval was reset to 0"
bond_unload

kmsg_mark load
bond_load_defaults arp_interval=-5 arp_ip_target=192.0.2.2
expect_eq "$(bond_opt bond0 arp_interval)|$(cat $targets)" "0|192.0.2.2" "arp_interval=-5"
logged load "Warning: arp_interval module parameter (-5), not in range 0-2147483647, so it was reset to 0"
bond_unload

kmsg_mark load
bond_load_defaults arp_interval=100 arp_ip_target=192.0.2.2,255.255.255.255,192.0.2.3
expect_eq "$(bond_opt bond0 arp_interval)|$(cat $targets)" "0|192.0.2.2 192.0.2.3" \
	"a bad target turns the monitor off, the good ones are kept"
logged load "Warning: bad arp_ip_target module parameter (255.255.255.255), ARP monitoring will not be performed"
bond_unload

kmsg_mark load
bond_load_defaults arp_interval=100 arp_ip_target=abc
logged load "Warning: bad arp_ip_target module parameter (abc), ARP monitoring will not be performed"
bond_unload

kmsg_mark load
bond_load_defaults miimon=100 arp_interval=100 arp_ip_target=192.0.2.2
expect_eq "$(bond_opt bond0 miimon),$(bond_opt bond0 arp_interval)" 100,0 "miimon wins over arp_interval"
logged load "Warning: miimon (100) and arp_interval (100) can't be used simultaneously, disabling ARP monitoring"
bond_unload

kmsg_mark load
bond_load_defaults arp_all_targets=bogus
expect_eq "$(bond_opt bond0 arp_all_targets)" "any 0" "arp_all_targets=bogus"
logged load 'Error: invalid arp_all_targets_value "bogus"'
bond_unload

load_fails "arp_validate without arp_interval" "arp_validate requires arp_interval" arp_validate=all
load_fails "arp_validate with arp_interval 0" "arp_validate requires arp_interval" \
	arp_interval=0 arp_ip_target=192.0.2.2 arp_validate=active
load_fails "arp_validate bogus" 'Error: invalid arp_validate "bogus"' \
	arp_interval=100 arp_ip_target=192.0.2.2 arp_validate=bogus
load_fails "17 targets" "arp_ip_target: can only take 16 arguments" \
	arp_interval=100 arp_ip_target=$(echo $list17 | tr ' ' ,)

# A bond made with the module's ARP settings monitors from the start: the
# target's replies bring its slaves up (receive is tapped for the ARP
# monitor when the bond is made, not only when arp_interval is written).
bond_load_defaults mode=active-backup arp_interval=100 arp_ip_target="$PEER_IP4" arp_validate=all
topo_bond bond1 2
check "slaves up on the ARP monitor of the module's settings" bond_settle bond1 60
expect_eq "$(slave_attr veth0 mii_status),$(slave_attr veth1 mii_status)" up,up \
	"slaves with the module's ARP settings"
bond_unload
