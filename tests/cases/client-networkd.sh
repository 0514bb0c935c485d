#!/bin/bash
# kernel-neutral: a client of netlink, the same on every kernel
# systemd-networkd (Debian 12's 252) makes four bonds from .netdev and
# .network files, as its users write them, and configures them:
#  - bond1 active-backup under the MII monitor, with a PrimarySlave;
#  - bond2 balance-xor, layer3+4;
#  - bond3 active-backup under the ARP monitor (ARPIntervalSec, ARPIPTargets,
#    ARPValidate): networkd also sends IFLA_BOND_LP_INTERVAL, which a module
#    that refused it would fail the whole bond with ("netdev could not be
#    created: Operation not supported", issue 10);
#  - bond4 802.3ad (LACPTransmitRate fast, MinLinks) with teamd's lacp
#    runner as its partner.
# Every bond reaches networkd's "configured" and "routable", its options
# read back from sysfs as written, it carries traffic, and a link cut under
# it keeps traffic flowing (bond1 and bond3 fail over to the other slave).
# Subnets: 192.0.2.0/26 bond1, .64/26 bond2, .128/26 bond3, .192/26 bond4.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"
. "$(dirname "$0")/../lib-client.sh"

mode_missing 802.3ad && skip "802.3ad is missing"
bond_load
client_root
topo_peer_ns
ip -n "$TOPO_NS" addr flush dev br0
for a in 192.0.2.2 192.0.2.66 192.0.2.130; do ip -n "$TOPO_NS" addr add "$a/26" dev br0; done
for i in 0 1 2 3 4 5; do topo_veth "veth$i" "p$i"; done
for i in 6 7; do
	ip link add "veth$i" type veth peer name "p$i" netns "$TOPO_NS" || fail "veth$i"
	ip netns exec "$TOPO_NS" sysctl -qw "net.ipv6.conf.p$i.disable_ipv6=1"
done
PEER_IP4=192.0.2.194 lacp_peer_team team0 p6 p7

net=/etc/systemd/network
netdev() {	# NAME KEY=VALUE...: the .netdev of bond NAME
	local name=$1
	shift
	printf '[NetDev]\nName=%s\nKind=bond\n\n[Bond]\n' "$name" >"$net/$name.netdev"
	printf '%s\n' "$@" >>"$net/$name.netdev"
}
network() {	# NAME ADDRESS SLAVE...: its .network, and one for each slave
	local name=$1 addr=$2 s
	shift 2
	printf '[Match]\nName=%s\n\n[Network]\nAddress=%s\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' \
		"$name" "$addr" >"$net/$name.network"
	for s in "$@"; do
		printf '[Match]\nName=%s\n\n[Network]\nBond=%s\n' "$s" "$name" >"$net/$s.network"
	done
}
netdev bond1 Mode=active-backup MIIMonitorSec=100ms UpDelaySec=0 DownDelaySec=0
network bond1 192.0.2.1/26 veth0 veth1
printf 'PrimarySlave=true\n' >>"$net/veth1.network"
netdev bond2 Mode=balance-xor TransmitHashPolicy=layer3+4 MIIMonitorSec=100ms
network bond2 192.0.2.65/26 veth2 veth3
netdev bond3 Mode=active-backup ARPIntervalSec=200ms ARPIPTargets=192.0.2.130 \
	ARPValidate=active ARPAllTargets=any
network bond3 192.0.2.129/26 veth4 veth5
netdev bond4 Mode=802.3ad LACPTransmitRate=fast MIIMonitorSec=100ms MinLinks=1 \
	TransmitHashPolicy=layer3+4 AdSelect=bandwidth
network bond4 192.0.2.193/26 veth6 veth7

client_networkd
# networkd's view: /run/systemd/netif/links/<ifindex>
link_state() {
	local f=/run/systemd/netif/links/$(cat "/sys/class/net/$1/ifindex" 2>/dev/null)
	grep -q '^ADMIN_STATE=configured$' "$f" 2>/dev/null &&
		grep -q '^OPER_STATE=routable$' "$f"
}
for b in bond1 bond2 bond3 bond4; do
	wait_for 60 link_state "$b" || { client_log networkd | grep -i "$b" | tail -15
		fail "networkd did not configure $b"; }
done
say "all four bonds configured and routable"
if client_log networkd | grep -i "could not be created"; then
	fail "networkd could not create a netdev"
fi

expect_eq "$(client_slaves bond1)" "veth0 veth1" "bond1 slaves"
expect_eq "$(bond_opt bond1 mode)" "active-backup 1" "bond1 mode"
expect_eq "$(bond_opt bond1 miimon)" 100 "bond1 miimon"
expect_eq "$(bond_opt bond1 primary)" veth1 "bond1 primary (PrimarySlave)"
check "veth1 active in bond1" wait_for 10 eval '[ "$(bond_opt bond1 active_slave)" = veth1 ]'
expect_eq "$(client_slaves bond2)" "veth2 veth3" "bond2 slaves"
expect_eq "$(bond_opt bond2 mode)" "balance-xor 2" "bond2 mode"
expect_eq "$(bond_opt bond2 xmit_hash_policy)" "layer3+4 1" "bond2 xmit_hash_policy"
expect_eq "$(client_slaves bond3)" "veth4 veth5" "bond3 slaves"
expect_eq "$(bond_opt bond3 arp_interval)" 200 "bond3 arp_interval"
expect_eq "$(bond_opt bond3 arp_ip_target)" 192.0.2.130 "bond3 arp_ip_target"
expect_eq "$(bond_opt bond3 arp_validate)" "active 1" "bond3 arp_validate"
expect_eq "$(bond_opt bond3 lp_interval)" 1 "bond3 lp_interval (networkd sends it)"
expect_eq "$(bond_opt bond3 miimon)" 0 "bond3 miimon"
expect_eq "$(client_slaves bond4)" "veth6 veth7" "bond4 slaves"
expect_eq "$(bond_opt bond4 mode)" "802.3ad 4" "bond4 mode"
expect_eq "$(bond_opt bond4 lacp_rate)" "fast 1" "bond4 lacp_rate"
expect_eq "$(bond_opt bond4 ad_select)" "bandwidth 1" "bond4 ad_select"
expect_eq "$(bond_opt bond4 min_links)" 1 "bond4 min_links"

check "ping through bond1" client_ping "" 192.0.2.2
check "ping through bond2" client_ping "" 192.0.2.66
check "ping through bond3" client_ping "" 192.0.2.130
check "bond4's ports distributing" lacp_wait_distributing bond4 30
check "ping through bond4" client_ping "" 192.0.2.194

# Failovers, and traffic on.
new=$(client_failover bond1) || exit 1
expect_eq "$new" veth0 "bond1's active after its primary's cut"
check "bond1 back on its primary" wait_for 10 eval '[ "$(bond_opt bond1 active_slave)" = veth1 ]'
peer_cut 2
check "ping through bond2 with veth2 cut" client_ping "" 192.0.2.66
peer_restore 2
check "bond3 has an active slave" wait_for 10 eval '[ -n "$(bond_opt bond3 active_slave)" ]'
old=$(bond_opt bond3 active_slave)
ip -n "$TOPO_NS" link set "$(client_peer_of "$old")" down
check "bond3 fails over by the ARP monitor" wait_for 15 client_active_is_not bond3 "$old"
check "ping through bond3 after its failover" client_ping "" 192.0.2.130
ip -n "$TOPO_NS" link set "$(client_peer_of "$old")" up
ip -n "$TOPO_NS" link set p6 down
check "ping through bond4 with p6 down" client_ping "" 192.0.2.194 15
ip -n "$TOPO_NS" link set p6 up

# networkd still holds every bond as configured
for b in bond1 bond2 bond3 bond4; do
	check "$b still configured by networkd" wait_for 20 link_state "$b"
done
echo "ok"
