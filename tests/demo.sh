#!/bin/bash
# make demo: boot the test VM, load our bonding.ko and show what it does.
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/.." && pwd)
cd "$PROJ" || exit 1

if [ "${1:-}" != --guest ]; then
	tests/vm/deps.sh >/dev/null || exit 1
	tests/build.sh "${KERNEL:-6.12}" || exit 1
	exec tests/vm/run.sh tests/demo.sh --guest
fi

show() { echo; echo "\$ $*"; "$@"; }

echo "== bonding.ko demo on $(uname -r) (QEMU, no network leaves the VM)"
show modprobe -C "$BOND_MODPROBE_DIR" bonding
show dmesg --notime -l info,warn,err | grep -i bond | tail -n 3
show cat /sys/class/net/bonding_masters
show ip -d link show bond0
show ip link add bond1 type bond
show sh -c 'echo +bond2 > /sys/class/net/bonding_masters'
show cat /sys/class/net/bonding_masters
show cat /proc/net/bonding/bond0
show ip link del bond1
show rmmod bonding
show ls /sys/class/net
echo
echo "== bond0 came and went with the module. Active-backup failover over veth"
echo "   arrives with the core bonding work; this demo will then show it."
