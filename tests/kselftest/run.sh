#!/bin/bash
# Run upstream bonding kselftests (Debian's linux-source-6.12) in the VM.
#   tests/kselftest/run.sh [TEST.sh ...]      (default: all nine)
# KERNEL and BOND_IMPL select the kernel and the implementation, as for
# tests/vm/run.sh. KSFT_RETRY="TEST.sh ...": tests that get a second run
# after a failed first one (both runs' failures are shown). KSFT_PREBUILT=1:
# our module as build/ has it, without tests/build.sh first (make check
# builds every kernel before its jobs start). The selftests are unpacked
# under build/ at test time and never committed. Prints one line per test,
# then "[label] N passed, ...".
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
# (prio also loops over balance-tlb/alb), and the same cut in its three
# groups of cases: bond_options-ab-prio.sh, -arp_validate.sh and
# -num_grat_arp.sh, so that a retry (KSFT_RETRY) repeats one group, not all
# nine minutes. bond_options-ab-prio_miimon.sh: the prio group's miimon
# cases alone (make check: see tests/check.sh).
# bond_options-{tlb,alb,lb}-prio_miimon.sh: the prio group's miimon cases in
# balance-tlb, balance-alb, or both (lb). Upstream runs prio under the ARP
# and NS monitors in active-backup only (tlb and alb refuse arp_interval),
# so the -ab groups and -lb-prio_miimon.sh are the whole of bond_options.sh.
# bond_macvlan_ipvlan-{ab,tlb,alb,lb}.sh: bond_macvlan_ipvlan.sh (macvlan
# bridge and ipvlan l2 over a bond without a link monitor) in active-backup,
# balance-tlb, balance-alb, or the last two.
bo=$ks/$dir/drivers/net/bonding/bond_options.sh
bm=$ks/$dir/drivers/net/bonding/bond_macvlan_ipvlan.sh
# the file written last: when it is there, all of them are
if [ -f "$bo" ] && [ ! -f "${bm%.sh}-lb.sh" ]; then
	sed 's/modes="active-backup balance-tlb balance-alb"/modes="active-backup"/' "$bo" >"${bo%.sh}-ab.sh"
	grep -q 'modes="active-backup"$' "${bo%.sh}-ab.sh" || { echo "kselftest: bond_options.sh changed" >&2; exit 1; }
	grep -Pzq 'ALL_TESTS="\n\tprio\n\tarp_validate\n\tnum_grat_arp\n"' "${bo%.sh}-ab.sh" ||
		{ echo "kselftest: bond_options.sh's ALL_TESTS changed" >&2; exit 1; }
	for group in prio arp_validate num_grat_arp; do
		sed "/^ALL_TESTS=\"\$/,/^\"\$/c ALL_TESTS=\"$group\"" "${bo%.sh}-ab.sh" >"${bo%.sh}-ab-$group.sh"
	done
	grep -q '^prio_miimon()$' "$bo" || { echo "kselftest: bond_options.sh's prio_miimon changed" >&2; exit 1; }
	sed "/^ALL_TESTS=\"\$/,/^\"\$/c ALL_TESTS=\"prio_miimon_ab\"\\
prio_miimon_ab() { skip_prio || prio_miimon active-backup; }" "${bo%.sh}-ab.sh" >"${bo%.sh}-ab-prio_miimon.sh"
	grep -q '^	prio_arp "active-backup"$' "$bo" && grep -q '^	prio_ns "active-backup"$' "$bo" ||
		{ echo "kselftest: bond_options.sh's prio runs the ARP/NS monitors in more modes" >&2; exit 1; }
	for cut in tlb:balance-tlb alb:balance-alb "lb:balance-tlb balance-alb"; do
		sed "/^ALL_TESTS=\"\$/,/^\"\$/c ALL_TESTS=\"prio_miimon_lb\"\\
prio_miimon_lb() { skip_prio || for m in ${cut#*:}; do prio_miimon \$m; done; }" \
			"$bo" >"${bo%.sh}-${cut%%:*}-prio_miimon.sh"
	done
	grep -q '^bond_modes="active-backup balance-tlb balance-alb"$' "$bm" ||
		{ echo "kselftest: bond_macvlan_ipvlan.sh's modes changed" >&2; exit 1; }
	for cut in ab:active-backup tlb:balance-tlb alb:balance-alb "lb:balance-tlb balance-alb"; do
		sed "s/^bond_modes=.*/bond_modes=\"${cut#*:}\"/" "$bm" >"${bm%.sh}-${cut%%:*}.sh.tmp" &&
			mv "${bm%.sh}-${cut%%:*}.sh.tmp" "${bm%.sh}-${cut%%:*}.sh"
	done
fi
[ "${1:-}" = --fetch ] && exit 0	# unpack only (make check, before its parallel jobs)
if [ "${1:-}" = --guest ]; then
	shift
	cd "$ks/$dir/drivers/net/bonding" || exit 1
	timeout=$(sed -n 's/^timeout=//p' settings)
	# the TEST lines, each FAIL with the reason lines upstream prints under
	# it; past 40 lines, the FAILs alone (bond_macvlan_ipvlan.sh has 96 TESTs)
	show_failures() {
		awk '/TEST:/ { f = /FAIL/; n++ } f || /TEST:/ { all[++a] = $0 } f { bad[++b] = $0 }
		     END {
			if (a <= 40) { for (i = 1; i <= a; i++) print all[i]; exit }
			printf "(%d TEST lines, the failed ones:)\n", n
			for (i = 1; i <= b && i <= 40; i++) print bad[i]
		     }' "$1" | sed 's/^/    /'
	}
	# failed_cases LOG: each FAIL as "NAME#K", the K-th TEST line of that
	# name (bond_options.sh repeats "join mcast group" once per case)
	failed_cases() {
		awk '/TEST:/ { name = $0; sub(/.*TEST: */, "", name); sub(/ *\[.*$/, "", name)
			k[name]++; if (/FAIL/) print name "#" k[name] }' "$1" | sort
	}
	# leave nothing behind for the next test
	cleanup_between_tests() {
		for ns in $(ip netns list | awk '{print $1}'); do ip netns del "$ns"; done
		grep -q '^bonding ' /proc/modules && rmmod bonding
	}
	pass=0 failed=0 skipped=0
	for t in "$@"; do
		start=$SECONDS retried=
		timeout -k 5 "${timeout:-1200}" bash "./$t" >"/tmp/$t.log" 2>&1
		rc=$?
		if [ $rc = 1 ] && [[ " ${KSFT_RETRY:-} " = *" $t "* ]]; then
			# A test upstream wrote with a race that in-tree loses too:
			# one more run, and the first one's failures are shown.
			retried=" after a failed first run:"
			mv "/tmp/$t.log" "/tmp/$t.first.log"
			cleanup_between_tests
			timeout -k 5 "${timeout:-1200}" bash "./$t" >"/tmp/$t.log" 2>&1
			rc=$?
			# A race loses a different case each time: the test fails
			# only if some case failed in both runs.
			if [ $rc = 1 ] && [ -s "/tmp/$t.first.log" ] &&
			   [ -z "$(comm -12 <(failed_cases "/tmp/$t.first.log") <(failed_cases "/tmp/$t.log"))" ] &&
			   [ -n "$(failed_cases "/tmp/$t.log")" ]; then
				rc=0
				retried=" after two runs, no case failing in both:"
				cat "/tmp/$t.log" >>"/tmp/$t.first.log"
			fi
		fi
		secs=$((SECONDS - start))
		# the whole logs beside the VM's (VM_OUT)
		[ -d /run/vmout ] && cp /tmp/"$t"*.log /run/vmout/ 2>/dev/null
		case $rc in
		0) pass=$((pass + 1)); echo "ok kselftest/$t (${secs}s)$retried"
		   [ -z "$retried" ] || show_failures "/tmp/$t.first.log" ;;
		4) skipped=$((skipped + 1)); echo "skip kselftest/$t (${secs}s)" ;;
		*) failed=$((failed + 1)); echo "FAIL kselftest/$t (${secs}s, rc $rc)$retried"
		   [ -z "$retried" ] || show_failures "/tmp/$t.first.log"
		   show_failures "/tmp/$t.log" ;;
		esac
		cleanup_between_tests
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
[ "${BOND_IMPL:-ours}" = intree ] || [ -n "${KSFT_PREBUILT:-}" ] || "$PROJ/tests/build.sh" "${KERNEL:-6.12}" >/dev/null || exit 1
exec "$PROJ/tests/vm/run.sh" "$PROJ/tests/kselftest/run.sh" --guest "${tests[@]}"
