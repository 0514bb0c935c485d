#!/bin/bash
# kernel-neutral: 802.3ad beyond in-tree (no probed kernel difference)
# Ours beyond in-tree (in-tree has neither, and skips): each port says why
# it does not distribute (bonding_slave/ad_reason, and a dmesg line when a
# reason that needs a person starts or ends), and lacp_fallback (sysfs
# only) strict keeps the bond without carrier, and silent, while no port
# has an LACP partner, where legacy (the default, in-tree's) carries on
# over one partner-less port. Against teamd, which falls silent through
# netem on its ports.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"
. "$(dirname "$0")/../lib-lacp.sh"

bond_load_defaults
ip link del bond0
ip link add bond0 type bond mode 802.3ad || fail "802.3ad bond"
if [ ! -e /sys/class/net/bond0/bonding/lacp_fallback ]; then
	ip link del bond0
	skip "this bonding.ko has no lacp_fallback (in-tree)"
fi
ip link del bond0

reason() { _lacp_read "/sys/class/net/$1/bonding_slave/ad_reason"; }
reason_is() { [ "$(reason "$1")" = "$2" ]; }
reason_has() { [[ "$(reason "$1")" == *"$2"* ]]; }
fallback() { _lacp_read /sys/class/net/bond0/bonding/lacp_fallback; }
silence() { ip netns exec "$TOPO_NS" tc qdisc add dev "$1" root netem loss 100% || fail "netem on $1"; }
unsilence() { ip netns exec "$TOPO_NS" tc qdisc del dev "$1" root || fail "netem off $1"; }
tx_packets() { _lacp_read "/sys/class/net/$1/statistics/tx_packets"; }
# kmsg_since MARK PATTERN: a kernel line after the MARK line matches PATTERN.
kmsg_since() { dmesg | sed -n "/$1/,\$p" | grep -q -- "$2"; }
mark() { echo "lacp-reason-fallback: $1" >/dev/kmsg; }

# 1. Refusals and surface: 802.3ad only, like lacp_rate; sysfs only.
ip link add bond1 type bond mode active-backup || fail "bond1"
expect_eq "$(_lacp_read /sys/class/net/bond1/bonding/lacp_fallback)" "legacy 0" "lacp_fallback in active-backup"
check_fails "lacp_fallback refused in active-backup" sh -c 'echo strict >/sys/class/net/bond1/bonding/lacp_fallback'
expect_eq "$(_lacp_read /sys/class/net/bond1/bonding/lacp_fallback)" "legacy 0" "lacp_fallback unchanged"
ip link add d0 type dummy && ip link set d0 master bond1
expect_eq "$(reason d0)" N/A "ad_reason outside 802.3ad"
ip link del bond1
ip link del d0

# 2. All distributing against teamd: every reason says so.
lacp_topo 2
lacp_peer_team team0 p0 p1
lacp_bond bond0 2 lacp_rate fast xmit_hash_policy layer3+4
expect_eq "$(fallback)" "legacy 0" "lacp_fallback default"
check_fails "a bad lacp_fallback is refused" sh -c 'echo sloppy >/sys/class/net/bond0/bonding/lacp_fallback'
expect_eq "$(reason veth0)" "the bond is down" "ad_reason while the bond is down"
lacp_bond_up bond0
check "both ports distributing" lacp_wait_distributing bond0 30
say "all ports distributing $(lacp_since_up) ms after bond0 up"
for s in veth0 veth1; do expect_eq "$(reason $s)" distributing "$s ad_reason"; done
ip -d link show bond0 | grep -q lacp_fallback && fail "ip -d link shows lacp_fallback (it has no netlink attribute)"

# 3. min_links 3 over 2 ports: the carrier goes, and the reason says why.
echo 3 >/sys/class/net/bond0/bonding/min_links || fail "min_links 3"
check "no carrier with min_links 3" wait_for 5 eval '[ "$(lacp_carrier bond0)" = 0 ]'
check "veth0 says min_links" wait_for 5 reason_has veth0 min_links
echo 0 >/sys/class/net/bond0/bonding/min_links
check "carrier back with min_links 0" wait_for 5 eval '[ "$(lacp_carrier bond0)" = 1 ]'

# 4. The partner falls silent on both links: legacy carries on over one
# partner-less port, which says so; the other says the partner is silent.
mark silent
silence p0
silence p1
check "veth0 expired" wait_for 15 lacp_state_has veth0 $LACP_EXPIRED
check "veth0 says expired while expired" reason_has veth0 expired
check "both defaulted" wait_for 15 eval 'lacp_state_has veth0 $LACP_DEFAULTED && lacp_state_has veth1 $LACP_DEFAULTED'
sleep 0.5
alone=
for s in veth0 veth1; do reason_has $s "without an LACP partner" && alone=$s; done
[ -n "$alone" ] || fail "no port says it carries on alone: $(reason veth0) / $(reason veth1)"
other=veth0; [ $alone = veth0 ] && other=veth1
expect_eq "$(reason $other)" "the partner sends no LACPDUs (it is passive, or runs no LACP)" "$other ad_reason"
expect_eq "$(lacp_carrier bond0)" 1 "legacy: carrier over the partner-less port"
check "dmesg says why $other stopped" kmsg_since "lacp-reason-fallback: silent" \
	"(slave $other): 802.3ad: port [0-9]*: the partner sends no LACPDUs"

# 5. strict, at run time: no carrier, and nothing sent on either port.
echo strict >/sys/class/net/bond0/bonding/lacp_fallback || fail "lacp_fallback strict"
expect_eq "$(fallback)" "strict 1" "lacp_fallback after the write"
check "strict: no carrier" wait_for 5 eval '[ "$(lacp_carrier bond0)" = 0 ]'
check "strict: $alone says why" wait_for 5 reason_has $alone "lacp_fallback is strict"
expect_eq "$(slave_attr $alone state)" backup "strict: $alone does not transmit"
t0=$(tx_packets $alone)
ping -c 5 -i 0.2 -W 1 "$PEER_IP4" >/dev/null 2>&1
t1=$(tx_packets $alone)
# LACPDUs still go out (fast rate: one a second): at most a few packets
[ $((t1 - t0)) -le 3 ] || fail "strict: $alone sent $((t1 - t0)) packets under ping"

# 6. The partner heard again: carrier back with a negotiated LAG, and the
# return is logged.
mark back
unsilence p0
unsilence p1
check "both ports distributing again" lacp_wait_distributing bond0 30
check "strict: carrier with a partner" wait_for 5 eval '[ "$(lacp_carrier bond0)" = 1 ]'
for s in veth0 veth1; do expect_eq "$(reason $s)" distributing "$s ad_reason at the end"; done
check "dmesg says $other distributes again" kmsg_since "lacp-reason-fallback: back" \
	"(slave $other): 802.3ad: port [0-9]*: distributing"
# The pings under strict left the peer's ARP entry resolving with its
# probes spent: until it fails (3 s after them) new packets queue on it and
# then fail with it, two errors end ping -c 2 early, and a return faster
# than that (0.4 s when the ports stayed selected) met it 1 run in 3.
ip neigh flush dev bond0
check "ping with the partner back" lacp_ping "$PEER_IP4"

# 7. strict with the partner silent again, then legacy: the lone port comes back.
silence p0
silence p1
check "strict: no carrier once the partner is gone" wait_for 20 eval '[ "$(lacp_carrier bond0)" = 0 ]'
echo legacy >/sys/class/net/bond0/bonding/lacp_fallback || fail "lacp_fallback legacy"
check "legacy: carrier back without a partner" wait_for 5 eval '[ "$(lacp_carrier bond0)" = 1 ]'
ip link del bond0
bond_unload
