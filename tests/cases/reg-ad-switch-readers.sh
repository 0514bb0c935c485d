#!/bin/bash
# kernel-neutral: the mode switch and the reports have no probed kernel difference
# /proc/net/bonding, the sysfs ad_* files and the link xstats read an
# aggregating mode's state without a slave to reach it through. While an
# empty, down bond switches between 802.3ad and modes without that state
# (balance-rr has a private area of another shape, active-backup none),
# readers loop over those files: none may reach one mode's state through
# the other's hooks (found by review of the 802.3ad glue: a NULL or 8-byte
# area taken for 802.3ad's lock). The window is a few instructions: this
# loop did not hit it before the fix, on the debug kernel either; it
# guards the path, it does not prove the race.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load_defaults
d=/sys/class/net/bond0/bonding
reader() {
	local end=$((SECONDS + 20)) f
	while [ $SECONDS -lt $end ] && [ ! -e /tmp/reg-ad-stop ]; do
		for f in ad_aggregator ad_num_ports ad_actor_key ad_partner_mac; do
			read -r _ <"$d/$f" 2>/dev/null
		done
		while read -r _; do :; done </proc/net/bonding/bond0
	done
}
rm -f /tmp/reg-ad-stop
reader & r1=$!
reader & r2=$!
python3 "$(dirname "$0")/../tools/lacp/bond_xstats.py" bond0 >/dev/null 2>&1 || true
for i in $(seq 1 60); do
	for m in 802.3ad balance-rr 802.3ad active-backup; do
		echo $m >$d/mode || fail "mode $m (round $i)"
	done
	python3 "$(dirname "$0")/../tools/lacp/bond_xstats.py" bond0 >/dev/null 2>&1
done
touch /tmp/reg-ad-stop
wait $r1 $r2
expect_eq "$(cat $d/mode)" "active-backup 1" "mode after the flips"
bond_unload
