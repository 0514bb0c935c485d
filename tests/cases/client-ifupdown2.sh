#!/bin/bash
# kernel-neutral: a client of the rtnetlink bond attributes, the same on every kernel
# ifupdown2 (Debian 12's 3.0.0, unpacked from its .deb: it conflicts with
# ifupdown) with bond-* stanzas in /etc/network/interfaces.d. It creates the
# bond with one RTM_NEWLINK carrying the options in IFLA_INFO_DATA, and reads
# them back from the kernel's RTM_NEWLINK dumps for `ifquery --check`:
#  - active-backup, miimon 100, primary veth0, num_grat_arp 3: ifup makes
#    the bond over netlink (no fallback to sysfs), the options read back in
#    sysfs, traffic flows through the primary, a failover on its link cut and
#    the primary back on its return, `ifquery --check` passes and
#    `ifquery --running` prints the options;
#  - the stanza changed to balance-xor with xmit hash layer3+4 and
#    `ifreload -a`: the mode change on the live bond (down, slaves released,
#    new mode, slaves back), read back, traffic, `ifquery --check`;
#  - ifdown deletes the bond and releases the slaves;
#  - an 802.3ad stanza (lacp_rate fast, min_links 1, actor system and
#    priority, layer2+3): the options read back and `ifquery --check` passes
#    (no LACP partner: no traffic asked for);
#  - a stanza `ifquery --check` must flag: the running bond edited behind
#    ifupdown2's back (miimon changed through sysfs) fails the check.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-client.sh"

deb=$(ls /var/cache/bonding-tests/ifupdown2_*_all.deb 2>/dev/null | head -1)
[ -n "$deb" ] || skip "no ifupdown2 .deb in /var/cache/bonding-tests (tests/vm/deps.sh downloads it)"

bond_load
client_root
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1

# ifupdown2 as its package installs it, but under /tmp/ifupdown2: its
# entry point imports its modules from the directory it lives in (the
# symlinks resolved) and finds its addons next to them; its configuration
# and policy directories go where it reads them.
IF2=/tmp/ifupdown2
rm -rf "$IF2"
mkdir -p "$IF2/bin"
dpkg-deb -x "$deb" "$IF2" || fail "dpkg-deb -x $deb"
cp -a "$IF2/etc/network/ifupdown2" /etc/network/ || fail "ifupdown2's /etc/network/ifupdown2"
cp -a "$IF2/var/lib/ifupdown2" /var/lib/ || fail "ifupdown2's /var/lib/ifupdown2"
chmod +x "$IF2/usr/share/ifupdown2/__main__.py"	# as its postinst does
for c in ifup ifdown ifquery ifreload; do
	ln -s ../usr/share/ifupdown2/ifupdown2 "$IF2/bin/$c"
done

# if2 CMD ARGS...: run ifupdown2's CMD with debug output in /tmp/CMD.log;
# fail on a non-zero exit, or if the bond was set up through sysfs because
# netlink refused it (the addon's fallback, "bond setup: ..." in the log).
if2() {
	local cmd=$1
	shift
	"$IF2/bin/$cmd" -d "$@" >"/tmp/$cmd.log" 2>&1 || { tail -40 "/tmp/$cmd.log"
		fail "$cmd $* exited non-zero"; }
	if grep -q "bond setup:" "/tmp/$cmd.log"; then
		grep -B2 -A2 "bond setup:" "/tmp/$cmd.log"
		fail "$cmd $*: netlink refused the bond's attributes (ifupdown2 fell back to sysfs)"
	fi
}

# query_check BOND: `ifquery --check BOND` passes, no attribute flagged.
query_check() {
	"$IF2/bin/ifquery" --check "$1" >/tmp/ifquery.log 2>&1 || { cat /tmp/ifquery.log
		fail "ifquery --check $1: the running state differs from the stanza"; }
	if grep -q '\[fail\]' /tmp/ifquery.log; then
		cat /tmp/ifquery.log
		fail "ifquery --check $1 flagged an attribute"
	fi
}

# check_line ATTR VALUE: `ifquery --check` printed ATTR VALUE as passed.
# has_line FILE LINE: FILE has LINE, blanks squeezed (tabs, alignment).
has_line() { sed 's/[[:space:]]\+/ /g; s/^ //; s/ $//' "$1" | grep -qxF -- "$2"; }
check_line() {
	has_line /tmp/ifquery.log "$1 $2 [pass]" ||
		{ cat /tmp/ifquery.log; fail "ifquery --check: no '$1 $2 [pass]'"; }
}

# ---- active-backup with a primary ------------------------------------------
cat >/etc/network/interfaces.d/bond0 <<EOF
auto bond0
iface bond0 inet static
	address $BOND_IP4/24
	bond-slaves veth0 veth1
	bond-mode active-backup
	bond-miimon 100
	bond-primary veth0
	bond-num-grat-arp 3
EOF

if2 ifup bond0
check "bond0 exists" link_exists bond0
grep -q "netlink: ip link add dev bond0 type bond (with attributes)" /tmp/ifup.log ||
	fail "ifup did not create bond0 over netlink"
expect_eq "$(client_slaves bond0)" "veth0 veth1" "bond0's slaves"
expect_eq "$(bond_opt bond0 mode)" "active-backup 1" "mode"
expect_eq "$(bond_opt bond0 miimon)" 100 "miimon"
expect_eq "$(bond_opt bond0 primary)" veth0 "primary"
expect_eq "$(bond_opt bond0 num_grat_arp)" 3 "num_grat_arp"
expect_eq "$(bond_opt bond0 num_unsol_na)" 3 "num_unsol_na (the same attribute)"
check "bond0 up" wait_for 5 grep -qx up /sys/class/net/bond0/operstate
check "veth0 active" wait_for 5 attr_is veth0 bond_opt bond0 active_slave
check "ping the peer through bond0" client_ping "" "$PEER_IP4"

new=$(client_failover bond0) || exit 1
expect_eq "$new" veth1 "the active slave after the primary's link cut"
check "the primary back when its link returns" wait_for 5 attr_is veth0 bond_opt bond0 active_slave
check "ping after the primary's return" client_ping "" "$PEER_IP4"

query_check bond0
check_line bond-mode active-backup
check_line bond-miimon 100
check_line bond-primary veth0
check_line bond-num-grat-arp 3
check_line bond-slaves "veth0 veth1"
check_line address "$BOND_IP4/24"

"$IF2/bin/ifquery" --running bond0 >/tmp/ifquery-running.log 2>&1 ||
	{ cat /tmp/ifquery-running.log; fail "ifquery --running bond0"; }
for l in "bond-mode active-backup" "bond-miimon 100" "bond-primary veth0" \
	"bond-num-grat-arp 3" "bond-updelay 0" "bond-downdelay 0" "bond-xmit-hash-policy layer2"; do
	has_line /tmp/ifquery-running.log "$l" ||
		{ cat /tmp/ifquery-running.log; fail "ifquery --running: no '$l'"; }
done

# ---- the stanza changed to balance-xor, ifreload on the live bond -----------
cat >/etc/network/interfaces.d/bond0 <<EOF
auto bond0
iface bond0 inet static
	address $BOND_IP4/24
	bond-slaves veth0 veth1
	bond-mode balance-xor
	bond-miimon 100
	bond-xmit-hash-policy layer3+4
EOF
idx=$(cat /sys/class/net/bond0/ifindex)
if2 ifreload -a
expect_eq "$(cat /sys/class/net/bond0/ifindex 2>/dev/null)" "$idx" "bond0's ifindex (changed in place)"
expect_eq "$(bond_opt bond0 mode)" "balance-xor 2" "mode after ifreload"
expect_eq "$(bond_opt bond0 xmit_hash_policy)" "layer3+4 1" "xmit_hash_policy after ifreload"
expect_eq "$(bond_opt bond0 miimon)" 100 "miimon after ifreload"
expect_eq "$(client_slaves bond0)" "veth0 veth1" "bond0's slaves after the mode change"
check "bond0 up after ifreload" wait_for 10 grep -qx up /sys/class/net/bond0/operstate
check "ping the peer in balance-xor" client_ping "" "$PEER_IP4"
query_check bond0
check_line bond-mode balance-xor
check_line bond-xmit-hash-policy layer3+4

if2 ifdown bond0
check_fails "bond0 deleted by ifdown" link_exists bond0
check "veth0 has no master" eval '[ ! -e /sys/class/net/veth0/master ]'
check "veth1 has no master" eval '[ ! -e /sys/class/net/veth1/master ]'

# ---- 802.3ad: the options read back ----------------------------------------
if mode_missing 802.3ad; then
	say "802.3ad not built in our module: its stanza skipped"
else
	cat >/etc/network/interfaces.d/bond0 <<EOF
auto bond0
iface bond0 inet static
	address $BOND_IP4/24
	bond-slaves veth0 veth1
	bond-mode 802.3ad
	bond-miimon 100
	bond-lacp-rate fast
	bond-min-links 1
	bond-xmit-hash-policy layer2+3
	bond-ad-actor-sys-prio 100
	bond-ad-actor-system 02:00:00:00:00:42
	bond-updelay 200
	bond-downdelay 100
EOF
	if2 ifup bond0
	expect_eq "$(client_slaves bond0)" "veth0 veth1" "802.3ad bond0's slaves"
	expect_eq "$(bond_opt bond0 mode)" "802.3ad 4" "mode"
	expect_eq "$(bond_opt bond0 lacp_rate)" "fast 1" "lacp_rate"
	expect_eq "$(bond_opt bond0 min_links)" 1 "min_links"
	expect_eq "$(bond_opt bond0 xmit_hash_policy)" "layer2+3 2" "xmit_hash_policy"
	expect_eq "$(bond_opt bond0 ad_actor_sys_prio)" 100 "ad_actor_sys_prio"
	expect_eq "$(bond_opt bond0 ad_actor_system)" 02:00:00:00:00:42 "ad_actor_system"
	expect_eq "$(bond_opt bond0 updelay)" 200 "updelay"
	expect_eq "$(bond_opt bond0 downdelay)" 100 "downdelay"
	query_check bond0
	check_line bond-mode 802.3ad
	check_line bond-lacp-rate fast
	check_line bond-min-links 1
	check_line bond-ad-actor-sys-prio 100
	check_line bond-ad-actor-system 02:00:00:00:00:42
	check_line bond-updelay 200

	# Changed behind ifupdown2's back: the check must see it.
	echo 200 >/sys/class/net/bond0/bonding/miimon || fail "miimon 200 through sysfs"
	"$IF2/bin/ifquery" --check bond0 >/tmp/ifquery.log 2>&1 &&
		{ cat /tmp/ifquery.log; fail "ifquery --check passed with miimon changed to 200"; }
	has_line /tmp/ifquery.log "bond-miimon 200 [fail]" ||
		{ cat /tmp/ifquery.log; fail "ifquery --check did not flag bond-miimon 200"; }
	# ifup puts it back
	if2 ifup bond0
	expect_eq "$(bond_opt bond0 miimon)" 100 "miimon restored by ifup"
	query_check bond0

	if2 ifdown bond0
	check_fails "802.3ad bond0 deleted by ifdown" link_exists bond0
fi
echo "ok"
