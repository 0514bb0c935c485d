#!/bin/bash
# Other kernel modules read a bond's private data through the kernel's own
# include/net/bonding.h and net/lag.h (the RoCE GID table, mlx4/mlx5, mlxsw):
# the active slave of an active-backup bond, none in balance-rr, and whether
# a slave may transmit. A test module built against those headers
# (tests/tools/abi-reader) must read the truth, also after a failover.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

ko=$BOND_BUILD_DIR/tools/abi-reader/abi_reader.ko
[ -f "$ko" ] || fail "$ko not built (tests/build.sh builds it)"

# read_abi: what the reader logs, one "name what value" per line.
read_abi() {
	local mark="bt-abi-$RANDOM"
	echo "$mark" >/dev/kmsg
	insmod "$ko" 2>/dev/null	# always refuses to stay (EAGAIN)
	dmesg | sed -n "/$mark/,\$p" | sed -n 's/.*bond_abi: //p'
}
seen() { read_abi | grep -qx "$1"; }

bond_load_defaults
ip link del bond0
topo_bond bond0 2 mode active-backup miimon 100
wait_for 10 ping -c 1 -W 1 "$PEER_IP4" >/dev/null || fail "no ping through the bond"
active=$(bond_opt bond0 active_slave)
[ -n "$active" ] || fail "no active slave"
other=veth1; [ "$active" = veth1 ] && other=veth0
say "$(read_abi | tr '\n' ';')"
check "active-backup: the reader sees $active active" seen "bond0 active $active"
check "active $active is txable" seen "$active txable 1"
check "backup $other is not txable" seen "$other txable 0"

# Failover: the reader follows.
peer_cut "${active#veth}"
wait_for 10 attr_is "$other" bond_opt bond0 active_slave ||
	fail "no failover to $other: $(cat /proc/net/bonding/bond0)"
say "$(read_abi | tr '\n' ';')"
check "after failover the reader sees $other active" seen "bond0 active $other"
check "$other is txable" seen "$other txable 1"
check "$active is not txable" seen "$active txable 0"

# balance-rr has no active slave for these readers.
ip link del bond0
ip netns del "$TOPO_NS"
topo_bond bond1 2 mode balance-rr miimon 100
say "$(read_abi | tr '\n' ';')"
check "balance-rr: no active slave for the reader" seen "bond1 active -"
check "balance-rr: veth0 txable" seen "veth0 txable 1"
check "balance-rr: veth1 txable" seen "veth1 txable 1"
ip link del bond1
bond_unload
