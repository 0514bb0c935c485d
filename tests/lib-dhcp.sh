#!/bin/bash
# Seed 000's picture, for the dhcp-follow-* tests: an active-backup bond
# over two ISP uplinks, each to its own router with its own subnet and DHCP
# server, the bond's address by DHCP. Source after lib.sh, lib-topo.sh and
# lib-client.sh.
#
#   veth0 -- p0 in ispA: router 192.0.2.1/24, dnsmasq 192.0.2.100-150
#   veth1 -- p1 in ispB: router 198.51.100.1/24, dnsmasq 198.51.100.100-150
#
# bond0: active-backup, primary veth0, the ARP monitor every 200 ms with
# each slave's own target (its ISP's router; ours, bonding_slave/
# arp_ip_target), arp_validate active, and failover_relink $DHCP_RELINK ms.
# ISP A dies in two ways: its link (p0 down), or its router (address and
# DHCP server gone, the link up); then it comes back.

DHCP_RELINK=${DHCP_RELINK:-1000}

# dhcp_probe_bond: an empty active-backup bond "bondx" (the module loaded),
# or skip where the module has no failover_relink (the in-tree driver). The
# test deletes bondx when done with it.
dhcp_probe_bond() {
	ip link add bondx type bond mode active-backup || fail "a probe bond"
	if [ ! -e /sys/class/net/bondx/bonding/failover_relink ]; then
		ip link del bondx
		skip "this bonding.ko has no failover_relink (in-tree)"
	fi
}
DHCP_NET_A=192.0.2
DHCP_NET_B=198.51.100

# _dhcp_server NS DEV NET: the ISP's router address NET.1/24 on DEV, and
# dnsmasq serving NET.100-150 with NET.1 as the router.
_dhcp_server() {
	local ns=$1 dev=$2 net=$3
	ip -n "$ns" addr add "$net.1/24" dev "$dev" 2>/dev/null
	client_spawn "dnsmasq-$ns" ip netns exec "$ns" dnsmasq -k -u root --port=0 \
		--interface="$dev" --bind-interfaces --dhcp-authoritative \
		--dhcp-range="$net.100,$net.150,255.255.255.0,2m" \
		--dhcp-option=option:router,"$net.1" --dhcp-leasefile="/tmp/$ns.leases" \
		--pid-file="/tmp/dnsmasq-$ns.pid" --log-dhcp --log-facility=-
	wait_for 10 test -s "/tmp/dnsmasq-$ns.pid" || fail "dnsmasq in $ns did not start"
}

_dhcp_server_stop() {
	local pid
	pid=$(cat "/tmp/dnsmasq-$1.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -f "/tmp/dnsmasq-$1.pid"
	ip -n "$1" addr flush dev "$2"
}

# dhcp_isps: both ISPs, their links, their routers and DHCP servers.
dhcp_isps() {
	ns_add ispA
	ns_add ispB
	ip link add veth0 type veth peer name p0 netns ispA || fail "veth0/p0"
	ip link add veth1 type veth peer name p1 netns ispB || fail "veth1/p1"
	ip -n ispA link set p0 up
	ip -n ispB link set p1 up
	_dhcp_server ispA p0 $DHCP_NET_A
	_dhcp_server ispB p1 $DHCP_NET_B
}

# dhcp_bond [RELINK]: bond0 as above, up, without an address (the DHCP
# client's job). RELINK ms (default $DHCP_RELINK) for failover_relink.
dhcp_bond() {
	local relink=${1:-$DHCP_RELINK}
	ip link add bond0 type bond mode active-backup arp_interval 200 arp_validate active \
		primary veth0 || fail "bond0"
	echo "$relink" >/sys/class/net/bond0/bonding/failover_relink || fail "failover_relink $relink"
	ip link set veth0 master bond0 || fail "enslave veth0"
	ip link set veth1 master bond0 || fail "enslave veth1"
	echo +$DHCP_NET_A.1 >/sys/class/net/veth0/bonding_slave/arp_ip_target || fail "veth0's target"
	echo +$DHCP_NET_B.1 >/sys/class/net/veth1/bonding_slave/arp_ip_target || fail "veth1's target"
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
	ip link set bond0 up || fail "bond0 up"
	wait_for 20 eval '[ "$(bond_opt bond0 active_slave)" = veth0 ]' || fail "veth0 never active"
}

# dhcp_on NET: bond0 holds an address in NET (by DHCP), a default route by
# NET.1, and NET.1 answers a ping; nothing of the other ISP's is left.
dhcp_on() {
	local other=$DHCP_NET_B
	[ "$1" = $DHCP_NET_B ] && other=$DHCP_NET_A
	ip -4 -o addr show dev bond0 | grep -q " inet $1\." &&
		! ip -4 -o addr show dev bond0 | grep -q " inet $other\." &&
		ip -4 route show default | grep -q "via $1.1 dev bond0" &&
		ping -q -c 1 -W 1 "$1.1" >/dev/null 2>&1
}

# _dhcp_ms_until SECONDS CMD...: ms until CMD succeeds, from $_dhcp_t0.
_dhcp_ms_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
	echo $(($(ms_now) - _dhcp_t0))
}

_dhcp_active_is() { [ "$(bond_opt bond0 active_slave)" = "$1" ]; }
_dhcp_has_addr() { ip -4 -o addr show dev bond0 | grep -q " inet $1\."; }

# dhcp_switch WHAT TO NET LIMIT: after the event WHAT (already done, at
# $_dhcp_t0), the active slave becomes TO, bond0 gets a lease from NET and
# NET's router answers, all within LIMIT s; says the three times.
dhcp_switch() {
	local what=$1 to=$2 net=$3 limit=$4 t_fo t_lease t_router
	t_fo=$(_dhcp_ms_until 10 _dhcp_active_is "$to") || fail "$what: no failover to $to"
	t_lease=$(_dhcp_ms_until "$limit" _dhcp_has_addr "$net") ||
		{ ip -4 addr show dev bond0; fail "$what: no lease from $net.0/24 within $limit s"; }
	t_router=$(_dhcp_ms_until "$limit" dhcp_on "$net") ||
		{ ip -4 addr show dev bond0; ip -4 route; fail "$what: $net.1 does not answer within $limit s"; }
	say "$what: failover to $to $t_fo ms, lease from $net.0/24 $t_lease ms, its router answers $t_router ms"
}

# dhcp_scenario LIMIT: the client under test holds ISP A's lease; then ISP
# A's link dies and comes back, then its router dies and comes back. After
# each, the client must be on the live ISP within LIMIT s.
dhcp_scenario() {
	local limit=$1
	check "a lease from ISP A" wait_for 60 dhcp_on $DHCP_NET_A
	say "bond0 holds $(ip -4 -o addr show dev bond0 | awk '{print $4}') from ISP A"

	_dhcp_t0=$(ms_now)
	ip -n ispA link set p0 down
	dhcp_switch "ISP A's link cut" veth1 $DHCP_NET_B "$limit"
	_dhcp_t0=$(ms_now)
	ip -n ispA link set p0 up
	dhcp_switch "ISP A's link back" veth0 $DHCP_NET_A "$limit"

	_dhcp_t0=$(ms_now)
	_dhcp_server_stop ispA p0
	dhcp_switch "ISP A's router dead, link up" veth1 $DHCP_NET_B "$limit"
	_dhcp_t0=$(ms_now)
	_dhcp_server ispA p0 $DHCP_NET_A
	dhcp_switch "ISP A's router back" veth0 $DHCP_NET_A "$limit"
}
