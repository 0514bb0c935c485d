#!/bin/bash
# smoke: run on the debug kernel by make check (kmemleak after the job)
# Regression (review T2-12). When ndo_init fails, register_netdevice()
# calls neither ndo_uninit nor the destructor, so ndo_init must undo what
# it made. Ours made the bond's ordered workqueue (WQ_MEM_RECLAIM, so with
# a rescuer kthread) and then its percpu round-robin counter, and when
# alloc_percpu() failed returned without destroying the workqueue: the
# workqueue and its rescuer, named after the bond, outlived the failed
# creation and the module. tests/tools/pcpu-fail fails the next percpu
# allocation made from the bonding module. In-tree allocates no percpu
# memory in ndo_init: its creation just succeeds.
. "$(dirname "$0")/../lib.sh"

ko=$BOND_BUILD_DIR/tools/pcpu-fail/pcpu_fail.ko
[ -f "$ko" ] || fail "$ko not built (tests/build.sh builds it)"
B=bt212
P=/sys/module/pcpu_fail/parameters

cleanup() {
	[ -w $P/fail_next ] && echo 0 >$P/fail_next
	ip link del $B 2>/dev/null
	grep -q '^bonding ' /proc/modules && rmmod bonding
	grep -q '^pcpu_fail ' /proc/modules && rmmod pcpu_fail
	_cleanup
}
trap cleanup EXIT

# The bond's workqueue rescuer: "kworker/R-<wq>" since 6.9, "<wq>" before.
rescuers() { ps -e -o comm= | grep -cxE "(kworker/R-)?$B"; }
no_rescuer() { [ "$(rescuers)" = 0 ]; }

bond_load_defaults max_bonds=0
insmod "$ko" || skip "pcpu_fail does not load here (no kprobe on the percpu allocator?)"
expect_eq "$(rescuers)" 0 "rescuers named $B before any bond"

# The detector: a bond's creation starts its rescuer, its deletion ends it.
check "$B" ip link add $B type bond
expect_eq "$(rescuers)" 1 "rescuers of a live $B"
check "delete $B" ip link del $B
check "rescuer gone with $B" wait_for 5 no_rescuer

# The next percpu allocation from bonding fails.
echo 1 >$P/fail_next
err=$(ip link add $B type bond 2>&1) && created=1 || created=
hits=$(cat $P/hits)
echo 0 >$P/fail_next
if [ -n "$created" ]; then
	expect_eq "$hits" 0 "failed allocations, yet $B was created"
	say "$B created: no percpu allocation in ndo_init"
	link_exists $B || fail "$B created but not there"
	check "delete $B" ip link del $B
else
	expect_eq "$hits" 1 "failed allocations"
	expect_match "$err" "Cannot allocate memory" "error of the failed creation"
	! link_exists $B || fail "$B exists after its failed creation"
	say "$B creation failed as it should: $err"
fi
wait_for 5 no_rescuer ||
	fail "$(rescuers) rescuer(s) of $B left after the failed creation: its workqueue leaked"

# Nothing left in the way: the name is free again, and the module unloads.
check "$B again" ip link add $B type bond
expect_eq "$(rescuers)" 1 "rescuers of $B again"
check "delete $B again" ip link del $B
bond_unload
check "no rescuer after rmmod" wait_for 5 no_rescuer
check "rmmod pcpu_fail" rmmod pcpu_fail
