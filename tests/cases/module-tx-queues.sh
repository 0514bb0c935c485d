#!/bin/bash
# tx_queues sets the queue count of every bond, whichever way it is made;
# an out-of-range value is reset to 16 with a warning.
. "$(dirname "$0")/../lib.sh"

queues() {
	ip -j -d link show "$1" | jq -r '.[0] | "\(.num_tx_queues) \(.num_rx_queues)"'
}

bond_load_defaults tx_queues=4
expect_eq "$(queues bond0)" "4 4" "tx_queues=4, bond0"
check "ip link add" ip link add bond7 type bond
expect_eq "$(queues bond7)" "4 4" "tx_queues=4, a netlink bond"
check "bonding_masters +bond8" sh -c 'echo +bond8 > /sys/class/net/bonding_masters'
expect_eq "$(queues bond8)" "4 4" "tx_queues=4, a sysfs bond"
bond_unload

echo "tx-queues-mark" >/dev/kmsg
bond_load_defaults tx_queues=0
expect_eq "$(queues bond0)" "16 16" "tx_queues=0 is reset to 16"
dmesg | sed -n '/tx-queues-mark/,$p' | grep -q 'tx_queues (0) should be between 1 and 255' ||
	fail "no warning for tx_queues=0"
bond_unload
