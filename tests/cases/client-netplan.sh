#!/bin/bash
# kernel-neutral: a client of the rtnetlink bond attributes, the same on every kernel
# netplan.io (0.106, networkd renderer) with a bond in /etc/netplan, as
# `netplan apply` does it underneath (it needs systemd as PID 1): `netplan
# generate` writes the .netdev/.network files into /run/systemd/network,
# then systemd-networkd creates the bond over rtnetlink with the options in
# IFLA_INFO_DATA and enslaves the ethernets:
#  - active-backup, miimon 100, primary veth0, primary_reselect better,
#    num_grat_arp 3, updelay 200: the generated files say so; networkd
#    configures bond0 with both slaves and the address; the options read back
#    in sysfs; traffic through the primary; a failover on its link cut; on
#    its return the primary stays a backup (better: the same speed is not
#    better);
#  - the config replaced (networkd stopped and the bond deleted, as `netplan
#    apply` needs for a mode change) by two bonds: bond0 balance-xor with
#    xmit hash layer3+4 carrying traffic, and bond1 802.3ad (lacp_rate fast,
#    min_links 1, layer2+3, ad_select bandwidth) over veth2/veth3 whose
#    options read back (no LACP partner: no traffic asked for).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-client.sh"

command -v netplan >/dev/null || skip "netplan.io is not installed"
[ -x /lib/systemd/systemd-networkd ] || skip "no systemd-networkd"

bond_load
client_root
topo_peer_ns
topo_veth veth0 p0
topo_veth veth1 p1

# generate: `netplan generate`, and FILE... exist in /run/systemd/network.
generate() {
	local f
	rm -f /run/systemd/network/*
	netplan generate >/tmp/netplan-generate.log 2>&1 || { cat /tmp/netplan-generate.log
		fail "netplan generate"; }
	for f in "$@"; do
		[ -f "/run/systemd/network/$f" ] || { ls -l /run/systemd/network
			fail "netplan generate wrote no /run/systemd/network/$f"; }
	done
}

# gen_has FILE LINE: the generated FILE has LINE.
gen_has() {
	grep -qxF -- "$2" "/run/systemd/network/$1" || { cat "/run/systemd/network/$1"
		fail "$1: no line '$2'"; }
}

# configured IFACE: networkd finished configuring IFACE.
configured() {
	local idx
	idx=$(cat "/sys/class/net/$1/ifindex" 2>/dev/null) || return 1
	grep -qx "ADMIN_STATE=configured" "/run/systemd/netif/links/$idx" 2>/dev/null
}

# networkd_up BOND SLAVES: start networkd and wait until BOND has SLAVES and
# networkd has configured it and them.
networkd_up() {
	local bond=$1 slaves=$2 s
	client_networkd
	nd_pid=${_client_pids[-1]}
	wait_for 60 attr_is "$slaves" client_slaves "$bond" 2>/dev/null ||
		{ client_log networkd | tail -30; fail "networkd: $bond's slaves are not '$slaves'"; }
	for s in $bond $slaves; do
		wait_for 60 configured "$s" || { client_log networkd | grep -F "$s" | tail -20
			fail "networkd did not finish configuring $s"; }
	done
}

networkd_stop() {
	kill "$nd_pid" 2>/dev/null
	wait "$nd_pid" 2>/dev/null
}

# ---- active-backup ---------------------------------------------------------
cat >/etc/netplan/50-bond.yaml <<EOF
network:
  version: 2
  renderer: networkd
  ethernets:
    veth0: {}
    veth1: {}
  bonds:
    bond0:
      interfaces: [veth0, veth1]
      addresses: [$BOND_IP4/24]
      parameters:
        mode: active-backup
        mii-monitor-interval: 100
        primary: veth0
        primary-reselect-policy: better
        gratuitous-arp: 3
        up-delay: 200
EOF
chmod 600 /etc/netplan/50-bond.yaml

generate 10-netplan-bond0.netdev 10-netplan-bond0.network 10-netplan-veth0.network \
	10-netplan-veth1.network
gen_has 10-netplan-bond0.netdev "Kind=bond"
gen_has 10-netplan-bond0.netdev "Mode=active-backup"
gen_has 10-netplan-bond0.netdev "MIIMonitorSec=100ms"
gen_has 10-netplan-bond0.netdev "PrimaryReselectPolicy=better"
gen_has 10-netplan-bond0.netdev "GratuitousARP=3"
gen_has 10-netplan-bond0.netdev "UpDelaySec=200ms"
gen_has 10-netplan-bond0.network "Address=$BOND_IP4/24"
gen_has 10-netplan-veth0.network "Bond=bond0"
gen_has 10-netplan-veth0.network "PrimarySlave=true"
gen_has 10-netplan-veth1.network "Bond=bond0"

networkd_up bond0 "veth0 veth1"
expect_eq "$(bond_opt bond0 mode)" "active-backup 1" "mode"
expect_eq "$(bond_opt bond0 miimon)" 100 "miimon"
expect_eq "$(bond_opt bond0 primary)" veth0 "primary"
expect_eq "$(bond_opt bond0 primary_reselect)" "better 1" "primary_reselect"
expect_eq "$(bond_opt bond0 num_grat_arp)" 3 "num_grat_arp"
expect_eq "$(bond_opt bond0 updelay)" 200 "updelay"
check "bond0 has its address" eval 'ip -4 -o addr show dev bond0 | grep -qF "inet $BOND_IP4/24"'
check "veth0 active" wait_for 10 attr_is veth0 bond_opt bond0 active_slave
check "ping the peer through bond0" client_ping "" "$PEER_IP4" 20

new=$(client_failover bond0) || exit 1
expect_eq "$new" veth1 "the active slave after the primary's link cut"
check "veth0's link back up (after its updelay)" wait_for 10 attr_is up slave_attr veth0 mii_status
sleep 0.5
expect_eq "$(bond_opt bond0 active_slave)" veth1 \
	"the active slave once the primary is back (reselect better, the same speed)"
check "ping after the primary's return" client_ping "" "$PEER_IP4"

# ---- replaced: balance-xor and 802.3ad ---------------------------------------
networkd_stop
ip link del bond0 || fail "delete bond0"
topo_veth veth2 p2
topo_veth veth3 p3
ad=1
mode_missing 802.3ad && { ad=0; say "802.3ad not built in our module: bond1 left out"; }

{
	cat <<EOF
network:
  version: 2
  renderer: networkd
  ethernets:
    veth0: {}
    veth1: {}
    veth2: {}
    veth3: {}
  bonds:
    bond0:
      interfaces: [veth0, veth1]
      addresses: [$BOND_IP4/24]
      parameters:
        mode: balance-xor
        mii-monitor-interval: 100
        transmit-hash-policy: layer3+4
EOF
	[ $ad = 1 ] && cat <<EOF
    bond1:
      interfaces: [veth2, veth3]
      parameters:
        mode: 802.3ad
        mii-monitor-interval: 100
        lacp-rate: fast
        min-links: 1
        transmit-hash-policy: layer2+3
        ad-select: bandwidth
EOF
} >/etc/netplan/50-bond.yaml
generate 10-netplan-bond0.netdev
gen_has 10-netplan-bond0.netdev "Mode=balance-xor"
gen_has 10-netplan-bond0.netdev "TransmitHashPolicy=layer3+4"
if [ $ad = 1 ]; then
	gen_has 10-netplan-bond1.netdev "Mode=802.3ad"
	gen_has 10-netplan-bond1.netdev "LACPTransmitRate=fast"
	gen_has 10-netplan-bond1.netdev "MinLinks=1"
	gen_has 10-netplan-bond1.netdev "AdSelect=bandwidth"
fi

networkd_up bond0 "veth0 veth1"
expect_eq "$(bond_opt bond0 mode)" "balance-xor 2" "bond0's mode"
expect_eq "$(bond_opt bond0 xmit_hash_policy)" "layer3+4 1" "bond0's xmit_hash_policy"
expect_eq "$(bond_opt bond0 miimon)" 100 "bond0's miimon"
check "ping the peer through the balance-xor bond0" client_ping "" "$PEER_IP4" 20
peer_cut 0
check "veth0's link down" wait_for 10 attr_is down slave_attr veth0 mii_status
check "ping over veth1 alone" client_ping "" "$PEER_IP4" 10
peer_restore 0
check "veth0's link back" wait_for 10 attr_is up slave_attr veth0 mii_status

if [ $ad = 1 ]; then
	wait_for 60 attr_is "veth2 veth3" client_slaves bond1 2>/dev/null ||
		{ client_log networkd | tail -30; fail "networkd: bond1's slaves"; }
	expect_eq "$(bond_opt bond1 mode)" "802.3ad 4" "bond1's mode"
	expect_eq "$(bond_opt bond1 lacp_rate)" "fast 1" "bond1's lacp_rate"
	expect_eq "$(bond_opt bond1 min_links)" 1 "bond1's min_links"
	expect_eq "$(bond_opt bond1 xmit_hash_policy)" "layer2+3 2" "bond1's xmit_hash_policy"
	expect_eq "$(bond_opt bond1 ad_select)" "bandwidth 1" "bond1's ad_select"
	expect_eq "$(bond_opt bond1 miimon)" 100 "bond1's miimon"
fi
networkd_stop
echo "ok"
