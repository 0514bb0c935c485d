#!/bin/bash
# W=1 -Werror and sparse (C=2, -Wsparse-error) on 6.12 and 6.1, and
# checkpatch --strict on every C source. One line per check; exit 1 on any
# finding. checkpatch comes from Debian's linux-source-6.12 package.
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/.." && pwd)
cd "$PROJ" || exit 1
. tests/vm/kernel.sh

tools=$PROJ/build/tools
checkpatch=$tools/scripts/checkpatch.pl
if [ ! -f "$checkpatch" ]; then
	tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	[ -n "$tarball" ] || { echo "lint: linux-source-6.12 is not installed (tests/vm/deps.sh)"; exit 1; }
	mkdir -p "$tools"
	tar xJf "$tarball" -C "$tools" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
fi

rc=0
for k in ${LINT_KERNELS:-6.12 6.1}; do
	kernel_resolve "$k" || { rc=1; continue; }
	# a build of its own, from scratch, so every file is compiled and checked
	rm -rf "$PROJ/build/lint/$KREL"
	out=$(BUILD_ROOT=build/lint "$PROJ/tests/build.sh" "$k" -- W=1 KCFLAGS=-Werror C=2 CF=-Wsparse-error 2>&1)
	log=$PROJ/build/lint/$KREL/build.log
	if [[ $out == *" ok" ]] && ! grep -Eq 'warning|error' "$log"; then
		echo "lint: $k W=1 + sparse ok"
	else
		echo "lint: $k W=1 + sparse FAILED"
		cat "$log"
		rc=1
	fi
done

files=$(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^tests/')
if out=$(perl "$checkpatch" --no-tree --strict --terse -f $files 2>&1); then
	echo "lint: checkpatch --strict ok ($(echo $files | wc -w) files)"
else
	echo "lint: checkpatch --strict FAILED"
	echo "$out" | grep -v '^total:' | grep -v 'has no obvious style problems'
	rc=1
fi
exit $rc
