#!/bin/bash
# make stress: a seeded, reproducible churn campaign against bonding.ko in
# one VM (tests/stress/stress.py inside; see there for the op mix).
#
#   tests/stress/run.sh [--build]
#     SEED=N          the seed (default: a random one, printed first); several
#                     seeds ("1 2", "random" for a fresh one) run back to back
#                     in the same VM boot
#     DURATION=S      churn seconds per seed (default 300)
#     KERNEL=debug    the kernel (default debug: KASAN, lockdep, kmemleak)
#     BOND_IMPL=ours|intree, BOND_BUILD=dir   as for tests/vm/run.sh
#     VM_OUT=dir      where the run's files go (default build/stress/<time>)
#     WORKERS=a,b     only these workers (names in stress.py), to narrow a failure down
# --build (make stress) installs what is missing and builds the module first.
#
# Prints the guest's "stress: seed=N ... result=ok|FAIL" line per seed, then
# "[stress/KERNEL/IMPL] P passed, F failed" (one per seed; a seed that never
# reported, as when the VM died, counts as failed). Exits 0 only when every
# seed passed and the VM reported no kernel problem.
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/../.." && pwd)
cd "$PROJ" || exit 1
export KERNEL=${KERNEL:-debug} BOND_IMPL=${BOND_IMPL:-ours}
DURATION=${DURATION:-300}
label="stress/$KERNEL/$BOND_IMPL${BOND_BUILD:+/$BOND_BUILD}"

seeds=()
for s in ${SEED:-random}; do
	[ "$s" = random ] && s=$(( (RANDOM << 15 | RANDOM) % 1000000 ))
	[[ $s =~ ^[0-9]+$ ]] || { echo "stress: SEED must be numbers or \"random\"" >&2; exit 2; }
	seeds+=("$s")
done
[[ $DURATION =~ ^[0-9]+$ ]] || { echo "stress: DURATION is in seconds" >&2; exit 2; }
echo "stress: seed ${seeds[*]}, duration ${DURATION}s per seed, $KERNEL kernel, impl $BOND_IMPL${BOND_BUILD:+ ($BOND_BUILD)}"

if [ "${1:-}" = --build ]; then
	tests/vm/deps.sh >/dev/null || exit 1
	[ "$BOND_IMPL" = intree ] || tests/build.sh "$KERNEL" || exit 1
fi
mkdir -p build/stress
if [ ! -x build/stress/xdp-load ] || [ tests/tools/xdp-load.c -nt build/stress/xdp-load ]; then
	gcc -O2 -o build/stress/xdp-load tests/tools/xdp-load.c || exit 1
fi

VM_OUT=${VM_OUT:-$PROJ/build/stress/$(date +%Y%m%d-%H%M%S)-${seeds[0]}}
export VM_OUT
mkdir -p "$VM_OUT"
# boot, then per seed the churn, setup and teardown (slow on debug), kmemleak
per=$((DURATION + 300))
[ "$KERNEL" = debug ] && per=$((DURATION * 2 + 600))
export VM_TIMEOUT=${VM_TIMEOUT:-$((300 + ${#seeds[@]} * per))}
tests/vm/run.sh /usr/bin/python3 tests/stress/stress.py --seeds "${seeds[*]}" --duration "$DURATION" \
	${WORKERS:+--workers "$WORKERS"}
rc=$?

# A VM that died left each worker's op log apart: one log, in time order
for s in "${seeds[@]}"; do
	parts=("$VM_OUT"/stress-"$s".ops.*.log)
	[ -e "${parts[0]}" ] || continue
	sort -s -t']' -k1.2n "$VM_OUT/stress-$s.ops.log" "${parts[@]}" >"$VM_OUT/stress-$s.ops.merged" &&
		mv "$VM_OUT/stress-$s.ops.merged" "$VM_OUT/stress-$s.ops.log" && rm -f "${parts[@]}"
done

pass=0 fail=0
echo "== stress summary (files in $VM_OUT)"
for s in "${seeds[@]}"; do
	line=$(grep -m1 "^stress: seed=$s " "$VM_OUT/out.log" 2>/dev/null)
	if [ -z "$line" ]; then
		# the VM died (a panic, a timeout) before the seed reported
		progress=$(grep "^seed=$s " "$VM_OUT/stress-progress" 2>/dev/null)
		# distinct reports on the console since the job began
		splats=$(sed -n '/bond-vm-job-start/,$p' "$VM_OUT/console.log" 2>/dev/null |
			grep -E 'BUG:|WARNING:|general protection fault|Kernel panic|UBSAN:|possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|refcount_t:|blocked for more than|soft lockup|unregister_netdevice: waiting for' |
			sed 's/^\[[ 0-9.]*\] //; s/[0-9]//g' | sort -u | wc -l)
		line="stress: seed=$s duration=${DURATION}s impl=$BOND_IMPL kernel=$KERNEL ${progress:+$(echo "$progress" | cut -d' ' -f2-) }splats=${splats:-?} (console) result=FAIL (no report: the VM died or timed out)"
	fi
	echo "$line"
	if [[ $line == *" result=ok" ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
	echo "stress: the VM run failed (exit $rc) though every seed passed: see $VM_OUT"
	fail=$((fail + 1))
fi
echo "[$label] $pass passed, $fail failed"
[ "$fail" = 0 ]
