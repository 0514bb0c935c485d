#!/bin/bash
# make check: install what is missing, build for every kernel, lint, and run
# the suite in the VM. Prints "N passed, N failed" last; exits 1 on failure.
#
#   KERNEL unset   6.12 and 6.1 against ours, 6.12 against the in-tree
#                  driver (6.1 too with CHECK_INTREE=all), plus the smoke
#                  tests (# smoke) on the debug kernel
#   KERNEL=K       the whole suite on kernel K only (6.12, 6.1 or debug)
#   TESTS="a b"    only these tests (names or globs under tests/cases)
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/.." && pwd)
cd "$PROJ" || exit 1
. tests/vm/kernel.sh
start=$SECONDS
pass=0 fail=0
logs=$PROJ/build/check
mkdir -p "$logs"

# step NAME CMD...: run, show, and count what it reports. Suites report
# "[label] P passed, F failed, S skipped"; build and lint report one
# "...: ... ok|FAILED" line per item. A step that reports nothing counts
# as one test, passed if it exited 0.
step() {
	local name=$1 log=$logs/$1.log rc p f counted=0 line re
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	re='^\[.*\] ([0-9]+) passed, ([0-9]+) failed'
	while IFS= read -r line; do
		if [[ $line =~ $re ]]; then
			p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
			pass=$((pass + p)) fail=$((fail + f)) counted=1
		elif [[ $line =~ ^(build|lint):.*\ ok ]]; then
			pass=$((pass + 1)) counted=1
		elif [[ $line =~ ^(build|lint):.*FAILED ]]; then
			fail=$((fail + 1)) counted=1
		fi
	done <"$log"
	if [ $counted = 0 ]; then
		[ "$rc" = 0 ] && pass=$((pass + 1)) || fail=$((fail + 1))
	elif [ "$rc" != 0 ] && ! grep -Eq 'FAIL' "$log"; then
		fail=$((fail + 1))	# it died without saying what failed
	fi
}

suite() {
	local k=$1 impl=$2; shift 2
	step "suite-$k-$impl" env KERNEL="$k" BOND_IMPL="$impl" \
		VM_OUT="$logs/vm-$k-$impl" tests/vm/run.sh tests/run-suite.sh "$@"
}

# Upstream bonding selftests that must pass against our module.
KSELFTESTS="mode-1-recovery-updelay.sh bond-eth-type-change.sh mode-2-recovery-updelay.sh
	bond-arp-interval-causes-panic.sh bond-lladdr-target.sh"

step deps tests/vm/deps.sh

read -ra tests <<<"${TESTS:-}"
if [ -n "${KERNEL:-}" ]; then
	step build tests/build.sh "$KERNEL"
	suite "$KERNEL" ours "${tests[@]}"
	[ "$KERNEL" = debug ] || suite "$KERNEL" intree "${tests[@]}"
else
	kernels="6.12 6.1"
	kernel_have_debug && kernels+=" debug"
	step build tests/build.sh $kernels
	step lint tests/lint.sh
	for k in 6.12 6.1; do
		suite "$k" ours "${tests[@]}"
		# The in-tree driver validates the tests; on 6.1 too with
		# CHECK_INTREE=all (it adds a quarter to the run time).
		[ "$k" = 6.12 ] || [ "${CHECK_INTREE:-}" = all ] &&
			suite "$k" intree "${tests[@]}"
		# the upstream selftests our module passes so far
		step "kselftest-$k" env KERNEL="$k" BOND_IMPL=ours VM_OUT="$logs/vm-$k-kselftest" \
			tests/kselftest/run.sh $KSELFTESTS
	done
	if kernel_have_debug; then
		read -ra smoke <<<"$(grep -l '^# smoke' tests/cases/*.sh | xargs -n1 basename | tr '\n' ' ')"
		suite debug ours "${smoke[@]}"
	else
		echo "== debug smoke skipped: no debug kernel in $SHARED_KERNELS"
	fi
fi

echo "== make check took $(((SECONDS - start) / 60))m$(((SECONDS - start) % 60))s"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
