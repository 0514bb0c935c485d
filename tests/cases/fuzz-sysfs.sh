#!/bin/bash
# oracle-inside: the in-tree driver runs as the oracle inside the run against ours
# smoke: run on the debug kernel by make check (there a crash hunt, without snapshots)
# Fuzz the bonding sysfs files: random strings (empty, 4096+ bytes, binary,
# non-ASCII, numbers near INT/UINT/LONG limits, negative, trailing garbage,
# other whitespace, 16+ character names, "+"/"-" with junk, and fitting
# values plain or mutated), one write(2) each, into every file of
# /sys/class/net/BOND/bonding/ (three bonds: active-backup and balance-rr
# with slaves, up; balance-xor, empty, down), of SLAVE/bonding_slave/ and
# into bonding_masters (tests/tools/fuzz/fuzz_sysfs.py). Around every write
# the state is snapshot (links as `ip -d link` sees them, every bonding
# sysfs file, /proc/net/bonding): a refused write must leave it as it was.
# Against ours the same seeded writes then go to the in-tree bonding.ko in
# the same VM (the oracle), and errnos, state changes on refusal and the
# effect of accepted writes are compared (fuzzlib.differential); its
# per-slave target files are its own. Inputs that once found a bug are kept and run first
# (fuzz_sysfs.CORPUS), with what in-tree does written down, so they fail on
# every kernel while the bug lasts. Knobs: tests/tools/fuzz/common.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tools/fuzz/common.sh"

oracle=$(fuzz_oracle)
count=$(fuzz_env COUNT 300)		# at most: FUZZ_BUDGET ends a run sooner

bond_unload
ns_add fz-peer
/usr/bin/python3 "$FUZZ_TOOLS/fuzz_sysfs.py" --seed "$FUZZ_SEED" --impl "$BOND_IMPL" \
	--count "$count" $oracle $(fuzz_budget) $(fuzz_fast) $(fuzz_verbose) $(fuzz_strict)
rc=$?
bond_unload
fuzz_rc $rc
