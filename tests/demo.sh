#!/bin/bash
# make demo: boot the test VM and show our bonding.ko at work: bond0 in
# active-backup (miimon 100) over two veth links to a peer namespace, a
# ping running through it, the active link cut, the failover, and the ping
# carrying on. No packet leaves the VM.
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/.." && pwd)
cd "$PROJ" || exit 1

if [ "${1:-}" != --guest ]; then
	tests/vm/deps.sh >/dev/null || exit 1
	tests/build.sh "${KERNEL:-6.12}" || exit 1
	exec tests/vm/run.sh tests/demo.sh --guest
fi

. tests/lib.sh
. tests/lib-topo.sh
show() { echo; echo "\$ $*"; "$@"; }

echo "== bonding.ko demo on $(uname -r) (QEMU; no packet leaves the VM)"
show modprobe -C "$BOND_MODPROBE_DIR" bonding max_bonds=0
dmesg | grep -m1 "our bonding.ko"
echo
echo "== bond0: active-backup, miimon 100, over veth0 and veth1 to a peer at $PEER_IP4"
topo_bond bond0 2 mode active-backup miimon 100
wait_for 10 ping -c1 -W1 -q "$PEER_IP4" >/dev/null || { echo "demo: no ping through bond0"; exit 1; }
show cat /proc/net/bonding/bond0

echo
echo "== a ping every 10 ms through bond0; after 2 s the active link is cut"
ping -i 0.01 -w 5 "$PEER_IP4" >/tmp/demo-ping.log 2>&1 &
sleep 2
active=$(bond_opt bond0 active_slave)
echo "\$ ip -n $TOPO_NS link set p${active#veth} down    # cut $active's link"
peer_cut "${active#veth}"
sleep 0.5
show cat /proc/net/bonding/bond0
wait
echo
echo "== the ping, across the failover"
tail -n 3 /tmp/demo-ping.log
echo
echo "== what the bond logged"
dmesg | grep 'bond0' | tail -n 4
echo
new=$(bond_opt bond0 active_slave)
lost=$(awk '/packets transmitted/ { print $1 - $4 }' /tmp/demo-ping.log)
echo "== failover from $active to $new; $lost of the pings were lost"
[ "$new" != "$active" ] && [ -n "$new" ]
