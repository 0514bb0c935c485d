#!/bin/bash
# Helpers for the behaviour tests in tests/cases/. Each test is a bash script
# that sources this file, runs as root inside the test VM, and exits 0 (pass),
# 1 (fail) or 77 (skip). Each test must pass with BOND_IMPL=intree too.
#
# Addresses are documentation ranges only: 192.0.2.0/24, 198.51.100.0/24,
# 2001:db8::/32. Nothing leaves the VM (it has no NIC).

BOND_IMPL=${BOND_IMPL:-ours}
TEST_NAME=$(basename "${0%.sh}")
_netns=()

say() { echo "# $*"; }
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
impl_is() { [ "$BOND_IMPL" = "$1" ]; }
# Modes our bonding.ko does not have yet (tests/modes-missing): tests skip
# their parts for these (and say so). Shrinks as modes land; the in-tree
# driver has them all, so the file is no part of an in-tree verdict.
BOND_MODES_MISSING=$(<"$(dirname "${BASH_SOURCE[0]}")/modes-missing")
mode_missing() { impl_is ours && [[ " $BOND_MODES_MISSING " == *" $1 "* ]]; }

# check DESC CMD...: CMD must succeed.
check() {
	local desc=$1; shift
	"$@" || fail "$desc (command: $*)"
}

# check_fails DESC CMD...: CMD must fail.
check_fails() {
	local desc=$1; shift
	! "$@" 2>/dev/null || fail "$desc: expected a failure (command: $*)"
}

# expect_eq ACTUAL EXPECTED DESC
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# expect_match ACTUAL REGEX DESC
expect_match() {
	[[ $1 =~ $2 ]] || fail "$3: '$1' does not match /$2/"
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
}

# write_errno FILE VALUE: write VALUE (no newline added) and print the errno
# name the write failed with, or "ok".
write_errno() {
	local err
	err=$( { printf '%s' "$2" >"$1"; } 2>&1 ) && { echo ok; return; }
	case "$err" in
	*"Invalid argument"*)		echo EINVAL ;;
	*"No such device"*)		echo ENODEV ;;
	*"Operation not permitted"*)	echo EPERM ;;
	*"File exists"*)		echo EEXIST ;;
	*"Device or resource busy"*)	echo EBUSY ;;
	*"Operation not supported"*)	echo EOPNOTSUPP ;;
	*"Permission denied"*)		echo EACCES ;;
	*"out of range"*)		echo ERANGE ;;
	*"No such file or directory"*)	echo ENOENT ;;
	*)				echo "other: $err" ;;
	esac
}

# ---- the module under test ----------------------------------------------

bond_loaded() { grep -q '^bonding ' /proc/modules; }

# bond_load [PARAM=VALUE...]: `modprobe bonding` as a user would, with the
# machine's modprobe.d (systemd's sets max_bonds=0).
bond_load() {
	modprobe bonding "$@" || fail "modprobe bonding $*"
}

# bond_load_defaults [PARAM=VALUE...]: the module's own defaults, without
# the machine's modprobe.d options.
bond_load_defaults() {
	modprobe -C "$BOND_MODPROBE_DIR" bonding "$@" || fail "modprobe bonding $* (defaults)"
}

bond_unload() {
	bond_loaded || return 0
	rmmod bonding || fail "rmmod bonding"
	! bond_loaded || fail "bonding still loaded after rmmod"
}

bonding_masters() { cat /sys/class/net/bonding_masters 2>/dev/null; }

# ---- namespaces and links -----------------------------------------------

# ns_add NAME: a network namespace with lo up, deleted when the test ends.
ns_add() {
	ip netns add "$1" || fail "ip netns add $1"
	ip -n "$1" link set lo up
	_netns+=("$1")
}

link_exists() { ip ${2:+-n "$2"} link show dev "$1" >/dev/null 2>&1; }

_cleanup() {
	local ns
	for ns in "${_netns[@]}"; do ip netns del "$ns" 2>/dev/null; done
}
trap _cleanup EXIT
