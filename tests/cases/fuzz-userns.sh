#!/bin/bash
# kernel-neutral: our permission checks (fuzz-netlink and fuzz-sysfs run the parsers on 6.1)
# oracle-inside: the in-tree driver runs as the oracle inside the run against ours
# An unprivileged user and bonds (tests/tools/fuzz/fuzz_userns.py): nobody
# (setpriv --reuid 65534), then nobody as root of its own user and network
# namespaces (unshare(2), as `unshare -Urn`), tries every SIOCBOND* ioctl
# and its SIOCDEVPRIVATE alias, the MII ioctls, a write to every bonding
# sysfs file and bonding_masters, netlink changes, enslaving and deleting,
# and random sysfs writes and netlink messages, on a bond of the initial
# namespaces: all refused, nothing changed. In its own namespaces (its own
# /sys mounted) it makes bonds and configures them through netlink, sysfs
# and ioctls, and runs the netlink and sysfs fuzz inputs against them.
# Against ours the same runs against the in-tree bonding.ko in the same VM,
# and every result (exact errnos, what the queries return) must be the
# same: what in-tree allows ours allows, and nothing more. Skipped where
# nobody may not make a user namespace. Knobs: tests/tools/fuzz/common.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tools/fuzz/common.sh"

oracle=$(fuzz_oracle)
count=$(fuzz_env COUNT "$([[ $(uname -r) == *debug* ]] && echo 30 || echo 100)")

bond_unload
ns_add fz-peer
/usr/bin/python3 "$FUZZ_TOOLS/fuzz_userns.py" --seed "$FUZZ_SEED" --impl "$BOND_IMPL" \
	--count "$count" $oracle $(fuzz_strict)
rc=$?
bond_unload
[ $rc = 77 ] && skip "nobody may not make a user namespace here (above)"
fuzz_rc $rc
