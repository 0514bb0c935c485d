#!/bin/bash
# Inside the VM, chrooted into the host's root: prepare the machine, run the
# command, and leave rc, out.log, dmesg.log (and kmemleak.log) in /run/vmout.
out=/run/vmout
# Kernel reports from here on are the job's; before, the kernel's own boot's.
echo "bond-vm-job-start" >/dev/kmsg

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ip link set lo up
hostname bondvm 2>/dev/null
sysctl -qw kernel.panic_on_oops=1 kernel.hung_task_timeout_secs=60 2>/dev/null

# `modprobe bonding` (and the rtnl-link-bond alias) loads the implementation
# under test. /run is the guest's own tmpfs and modprobe reads /run/modprobe.d.
# /run/bond-modprobe.d holds that rule alone, for `modprobe -C` when a test
# needs the module's own defaults without the host's options (systemd's
# /lib/modprobe.d/systemd.conf sets max_bonds=0).
mkdir -p /run/modprobe.d /run/bond-modprobe.d
# BOND_BUILD (default build): where tests/build.sh put the modules, e.g.
# BUILD_ROOT=build/dev for a build beside the one a running VM uses.
export BOND_BUILD_DIR=$PROJ/${BOND_BUILD:-build}/$KREL
export BOND_KO=$BOND_BUILD_DIR/bonding.ko
export BOND_MODPROBE_DIR=/run/bond-modprobe.d
rule=/run/bond-modprobe.d/bonding-under-test.conf
if [ "$BOND_IMPL" = ours ]; then
	echo "install bonding /sbin/insmod $BOND_KO \$CMDLINE_OPTS" >$rule
else
	echo "# the in-tree bonding.ko, with its defaults" >$rule
fi
cp $rule /run/modprobe.d/

kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear >$kmemleak

"$@" </dev/null >>$out/out.log 2>&1
rc=$?

# Whatever the command left, unload it, then look for leaks.
for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do ip netns del "$ns"; done
grep -q '^bonding ' /proc/modules && rmmod bonding
if [ -w $kmemleak ]; then
	echo scan >$kmemleak; sleep 5; echo scan >$kmemleak
	cat $kmemleak >$out/kmemleak.log
fi
dmesg >$out/dmesg.log
echo "$rc" >$out/rc
sync
