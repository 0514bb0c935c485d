#!/bin/bash
# Run behaviour tests (tests/cases/*.sh) inside the test VM, one line each,
# then "[label] N passed, N failed, N skipped".
#   tests/run-suite.sh [NAME_OR_GLOB...]
# Each test gets a clean machine: no bonding module, no test namespace, and
# no kernel splat in dmesg while it ran (else it fails).
#
# A test whose header has "# xfail-ours: REASON" tests behaviour our module
# does not have yet: against ours its failure is reported as "xfail" and
# counted as skipped, and its passing is an error ("XPASS": drop the tag).
# Against the in-tree driver it must pass like any other.
PROJ=$(cd "$(dirname "$0")/.." && pwd)
cd "$PROJ" || exit 1
TEST_TIMEOUT=${TEST_TIMEOUT:-600}
label=${SUITE_LABEL:-${KERNEL:-?}/${BOND_IMPL:-ours}}

pats=("$@")
[ ${#pats[@]} -gt 0 ] || pats=('*')
tests=()
for p in "${pats[@]}"; do
	for f in tests/cases/${p%.sh}.sh; do
		[ -f "$f" ] && tests+=("$f")
	done
done

# reset_machine: no test namespace, no bonding module, no veth or dummy.
# Written with few processes: under TCG on the debug kernel every exec costs
# about a second, and this runs between every two tests.
reset_machine() {
	local ns line name
	for ns in /run/netns/*; do
		[ -e "$ns" ] && { ip -all netns delete 2>/dev/null; break; }
	done
	while read -r name _; do
		[ "$name" = bonding ] && { rmmod bonding 2>/dev/null; break; }
	done </proc/modules
	while read -r line; do
		[ -n "$line" ] || continue
		name=${line#*: }
		name=${name%%:*}
		ip link del "${name%@*}" 2>/dev/null
	done <<<"$(ip -o link show type veth 2>/dev/null; ip -o link show type dummy 2>/dev/null)"
}

pass=0 failed=0 skipped=0 n=0
logdir=/tmp/suite-logs
mkdir -p $logdir
reset_machine
for t in "${tests[@]}"; do
	name=${t##*/}
	name=${name%.sh}
	n=$((n + 1))
	mark="bond-suite-mark-$n-$name"
	echo "$mark" >/dev/kmsg
	start=$SECONDS
	timeout -k 5 "$TEST_TIMEOUT" bash "$t" >"$logdir/$name.log" 2>&1
	rc=$?
	secs=$((SECONDS - start))
	reset_machine
	dmesg | sed -n "/$mark/,\$p" >"$logdir/$name.dmesg"
	if [ $rc != 77 ] && ! tests/vm/splat.sh "$logdir/$name.dmesg" 2>>"$logdir/$name.log"; then
		rc=99
	fi
	xfail=
	if [ "${BOND_IMPL:-ours}" = ours ]; then
		while IFS= read -r line; do
			[[ $line = "# xfail-ours: "* ]] && { xfail=${line#"# xfail-ours: "}; break; }
		done <"$t"
	fi
	if [ -n "$xfail" ] && [ $rc != 77 ] && [ $rc != 99 ]; then
		if [ $rc = 0 ]; then
			echo "XPASS: passes, so drop its xfail-ours tag" >>"$logdir/$name.log"
			rc=98
		else
			echo "skip $name: xfail ($xfail)"
			skipped=$((skipped + 1))
			continue
		fi
	fi
	case $rc in
	0)	pass=$((pass + 1)); echo "ok $name (${secs}s)" ;;
	77)	skipped=$((skipped + 1))
		echo "skip $name: $(grep -m1 '^SKIP' "$logdir/$name.log" | cut -c7-)" ;;
	*)	failed=$((failed + 1))
		[ $rc = 124 ] && echo "TIMEOUT after ${TEST_TIMEOUT}s" >>"$logdir/$name.log"
		[ $rc = 99 ] && echo "kernel splat while the test ran" >>"$logdir/$name.log"
		echo "FAIL $name (${secs}s)"
		tail -n 40 "$logdir/$name.log" | sed 's/^/    /' ;;
	esac
done
echo "[$label] $pass passed, $failed failed, $skipped skipped"
[ $failed = 0 ] && [ $n -gt 0 ]
