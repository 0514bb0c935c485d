#!/bin/bash
# Shared by tests/cases/fuzz-*.sh (source after lib.sh). The knobs are read
# from FUZZ_* or, because tests/vm/run.sh passes only BOND_*/TEST_*/KSFT_*/
# BENCH_* variables into the VM, from TEST_FUZZ_*:
#   FUZZ_SEED     the seed (default 1): the same seed, the same inputs
#   FUZZ_COUNT    how many inputs (default: the test's)
#   FUZZ_ORACLE   0: do not run the in-tree bonding.ko as the oracle (the
#                 default on the debug kernel, which is too slow for both)
#   FUZZ_BUDGET   seconds of fuzzing per module run (default 30, 15 on the
#                 debug kernel): a slow or busy machine tries fewer inputs
#   FUZZ_FAST     0: snapshot around every input on the debug kernel too
#                 (by default there, a crash hunt without snapshots)
#   FUZZ_VERBOSE  1: print every input and its outcome
#   FUZZ_STRICT   1: fail on divergences from in-tree too (errnos, extacks,
#                 malformed input ours refuses and in-tree takes), not only
#                 on problems
FUZZ_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fuzz_env() {
	local v="FUZZ_$1" t="TEST_FUZZ_$1"
	echo "${!v:-${!t:-$2}}"
}

FUZZ_SEED=$(fuzz_env SEED 1)
[[ $FUZZ_SEED =~ ^[0-9]+$ ]] || fail "FUZZ_SEED must be a number"
say "seed $FUZZ_SEED (FUZZ_SEED=N, or TEST_FUZZ_SEED=N through tests/vm/run.sh, to change)"

# fuzz_oracle: "--oracle" when the in-tree module should run too.
fuzz_oracle() {
	impl_is intree && return
	[[ $(uname -r) == *debug* ]] && [ "$(fuzz_env ORACLE 0)" != 1 ] && return
	[ "$(fuzz_env ORACLE 1)" = 0 ] && return
	echo --oracle
}

fuzz_budget() {
	local b
	b=$(fuzz_env BUDGET "$([[ $(uname -r) == *debug* ]] && echo 15 || echo 30)")
	echo "--budget $b"
}

# fuzz_fast: "--fast" on the debug kernel, where a snapshot takes seconds:
# no snapshots there, a crash hunt (FUZZ_FAST=0 to snapshot all the same).
fuzz_fast() {
	[[ $(uname -r) == *debug* ]] && [ "$(fuzz_env FAST 1)" = 1 ] && echo --fast
}

fuzz_verbose() { [ "$(fuzz_env VERBOSE 0)" = 1 ] && echo --verbose; }
fuzz_strict() { [ "$(fuzz_env STRICT 0)" = 1 ] && echo --strict; }

# fuzz_rc RC: the verdict of a fuzz helper's exit status.
fuzz_rc() {
	case $1 in
	0) ;;
	1) fail "problems found (above, each with its input); reproduce with FUZZ_SEED=$FUZZ_SEED" ;;
	*) fail "the fuzz harness failed (rc $1)" ;;
	esac
}
