#!/bin/bash
# oracle-inside: the in-tree driver runs as the oracle inside the run against ours
# Fuzz the bond's netlink attributes: RTM_NEWLINK messages built by hand
# (tests/tools/fuzz/fuzz_netlink.py) with random IFLA_BOND_* and
# IFLA_BOND_SLAVE_* attributes (types, lengths, values, nesting, unknown
# numbers, broken IFLA_LINKINFO), creating bonds and changing bonds with
# and without slaves and their slaves. Around every input the state is
# snapshot (links as `ip -d link` sees them, every bonding sysfs file,
# /proc/net/bonding); a refusal must leave it as it was. Against ours the
# same seeded inputs then run against the in-tree bonding.ko in the same VM
# (the oracle): errnos, extacks, state changes on refusal and the effect of
# accepted inputs must match. In-tree's own state changes on
# refusal (a message applies its attributes in order and stops at the first
# refused one; a target list is cleared before its elements are checked)
# are printed as notes. Inputs that once found a bug are kept and run first
# (fuzz_netlink.CORPUS), with what in-tree does written down, so they fail
# on every kernel while the bug lasts. Knobs: tests/tools/fuzz/common.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tools/fuzz/common.sh"

oracle=$(fuzz_oracle)
count=$(fuzz_env COUNT 250)		# at most: FUZZ_BUDGET ends a run sooner

bond_unload
ns_add fz-peer
/usr/bin/python3 "$FUZZ_TOOLS/fuzz_netlink.py" --seed "$FUZZ_SEED" --impl "$BOND_IMPL" \
	--count "$count" $oracle $(fuzz_budget) $(fuzz_fast) $(fuzz_verbose) $(fuzz_strict)
rc=$?
bond_unload
fuzz_rc $rc
