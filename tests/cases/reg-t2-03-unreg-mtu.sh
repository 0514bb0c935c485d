#!/bin/bash
# smoke
# Regression (review T2-03). When a slave goes away under the bond
# (unregistered, or moved to another namespace, which unregisters it from
# the old one), in-tree restores the MTU it changed at enslave without any
# notification. The bug: ours restored it with a full MTU change, whose
# NETDEV_CHANGEMTU reached IPv6 after IPv6 had already let go of the
# departing device: IPv6 gave it a new inet6_dev, which holds a reference
# nothing drops, so the device could never be freed ("waiting for dummy1 to
# become free"). The team driver had the same bug and test.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-topo.sh"

bond_load_defaults max_bonds=0
ns_add n1
ns_add n2
check "bond0" ip -n n1 link add bond0 type bond
check "dummy1" ip -n n1 link add dummy1 mtu 1499 type dummy
check "enslave dummy1" ip -n n1 link set dummy1 master bond0
expect_eq "$(ip -n n1 -j link show dummy1 | jq -r '.[0].mtu')" 1500 "dummy1 MTU while enslaved"
kmsg_mark move
check "dummy1 to n2" ip -n n1 link set dummy1 netns n2
check "dummy1 left bond0" test -z "$(ip netns exec n1 cat /sys/class/net/bond0/bonding/slaves)"
expect_eq "$(ip -n n2 -j link show dummy1 | jq -r '.[0].mtu')" 1499 "dummy1 MTU restored in n2"
# del_completes NS DEV: `ip link del` returns (it waits until the device is
# freed; a leaked reference keeps it waiting, unkillable, so it runs in the
# background) and the device is gone.
del_completes() {
	ip -n "$1" link del "$2" &
	local pid=$!
	wait_for 20 eval "! kill -0 $pid 2>/dev/null" ||
		fail "ip link del $2 still waits for the device to be freed: $(kmsg_since move | grep -m1 'waiting for')"
	wait $pid || fail "ip link del $2 failed"
	! link_exists "$2" "$1" || fail "$2 still exists"
}

# Deleting it must complete: the device is gone, nobody waits for it.
del_completes n2 dummy1

# The same with a slave deleted in place while enslaved.
check "dummy2" ip -n n1 link add dummy2 mtu 1499 type dummy
check "enslave dummy2" ip -n n1 link set dummy2 master bond0
del_completes n1 dummy2
del_completes n1 bond0
kmsg_since move | grep -q "waiting for .* to become free" &&
	fail "a device was not freed at once: $(kmsg_since move | grep -m1 'waiting for')"
bond_unload
