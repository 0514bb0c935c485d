#!/bin/bash
# Run upstream bonding kselftests (Debian's linux-source-6.12) in the VM.
#   tests/kselftest/run.sh [TEST.sh ...]      (default: all nine)
# KERNEL and BOND_IMPL select the kernel and the implementation, as for
# tests/vm/run.sh. The selftests are unpacked under build/ at test time and
# never committed. Prints one line per test, then "[label] N passed, ...".
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/../.." && pwd)
ks=$PROJ/build/kselftest
dir=tools/testing/selftests

if [ ! -f "$ks/$dir/drivers/net/bonding/Makefile" ]; then
	tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	[ -n "$tarball" ] || { echo "kselftest: linux-source-6.12 is not installed (tests/vm/deps.sh)" >&2; exit 1; }
	mkdir -p "$ks"
	tar xJf "$tarball" -C "$ks" --strip-components=1 --wildcards \
		"*/$dir/drivers/net/bonding/*" "*/$dir/net/forwarding/lib.sh" \
		"*/$dir/net/lib.sh" "*/$dir/kselftest/*" || exit 1
fi

# bond_options-ab.sh: bond_options.sh limited to its active-backup cases
# (prio also loops over balance-tlb/alb, which our module lacks yet).
bo=$ks/$dir/drivers/net/bonding/bond_options.sh
if [ -f "$bo" ] && [ ! -f "${bo%.sh}-ab.sh" ]; then
	sed 's/modes="active-backup balance-tlb balance-alb"/modes="active-backup"/' "$bo" >"${bo%.sh}-ab.sh"
	grep -q 'modes="active-backup"$' "${bo%.sh}-ab.sh" || { echo "kselftest: bond_options.sh changed" >&2; exit 1; }
fi
[ "${1:-}" = --fetch ] && exit 0	# unpack only (make check, before its parallel jobs)
if [ "${1:-}" = --guest ]; then
	shift
	cd "$ks/$dir/drivers/net/bonding" || exit 1
	timeout=$(sed -n 's/^timeout=//p' settings)
	pass=0 failed=0 skipped=0
	for t in "$@"; do
		start=$SECONDS
		timeout -k 5 "${timeout:-1200}" bash "./$t" >"/tmp/$t.log" 2>&1
		rc=$?
		secs=$((SECONDS - start))
		case $rc in
		0) pass=$((pass + 1)); echo "ok kselftest/$t (${secs}s)" ;;
		4) skipped=$((skipped + 1)); echo "skip kselftest/$t (${secs}s)" ;;
		*) failed=$((failed + 1)); echo "FAIL kselftest/$t (${secs}s, rc $rc)"
		   grep -E 'FAIL|TEST:' "/tmp/$t.log" | tail -n 30 | sed 's/^/    /' ;;
		esac
		# leave nothing behind for the next test
		for ns in $(ip netns list | awk '{print $1}'); do ip netns del "$ns"; done
		grep -q '^bonding ' /proc/modules && rmmod bonding
	done
	echo "[${KERNEL:-6.12}/${BOND_IMPL:-ours} kselftest] $pass passed, $failed failed, $skipped skipped"
	[ $failed = 0 ]
	exit
fi

tests=("$@")
if [ ${#tests[@]} = 0 ]; then
	read -ra tests <<<"$(sed -n '/^TEST_PROGS/,/^$/p' "$ks/$dir/drivers/net/bonding/Makefile" |
		grep -o '[a-z0-9_.-]*\.sh' | tr '\n' ' ')"
fi
[ "${BOND_IMPL:-ours}" = intree ] || "$PROJ/tests/build.sh" "${KERNEL:-6.12}" >/dev/null || exit 1
exec "$PROJ/tests/vm/run.sh" "$PROJ/tests/kselftest/run.sh" --guest "${tests[@]}"
