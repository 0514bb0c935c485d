#!/bin/bash
# Build bonding.ko for one or more kernels (6.12, 6.1, debug) into
# build/<release>/bonding.ko (BUILD_ROOT=dir for another place). Extra make arguments may follow "--".
#   tests/build.sh 6.12 6.1 -- W=1 KCFLAGS=-Werror
set -uo pipefail
PROJ=$(cd "$(dirname "$0")/.." && pwd)
. "$PROJ/tests/vm/kernel.sh"

kernels=() margs=()
while [ $# -gt 0 ]; do
	[ "$1" = -- ] && { shift; margs=("$@"); break; }
	kernels+=("$1"); shift
done
[ ${#kernels[@]} -gt 0 ] || kernels=(6.12)

# The module's sources: everything Kbuild compiles, staged per kernel so the
# kernels' objects never mix. cp -p keeps mtimes, so make stays incremental.
stage() {
	local dst=$1 f
	mkdir -p "$dst"
	(cd "$PROJ" && git ls-files -co --exclude-standard -- Kbuild '*.c' '*.h' 2>/dev/null ||
		find . -name '*.[ch]' -not -path './build/*' -o -name Kbuild) |
	grep -v '^tests/' | while read -r f; do
		f=${f#./}
		mkdir -p "$dst/$(dirname "$f")"
		cmp -s "$PROJ/$f" "$dst/$f" || cp -p "$PROJ/$f" "$dst/$f"
	done
}

rc=0
for k in "${kernels[@]}"; do
	kernel_resolve "$k" || { rc=1; continue; }
	dst=$PROJ/${BUILD_ROOT:-build}/$KREL
	stage "$dst"
	: >"$dst/build.log"
	# Test modules (tests/tools/*/Kbuild) build beside it, into tools/<name>.
	tools_ok=1
	for t in "$PROJ"/tests/tools/*/Kbuild; do
		[ -f "$t" ] || continue
		tdir=$dst/tools/$(basename "$(dirname "$t")")
		mkdir -p "$tdir"
		cp -p "$(dirname "$t")"/* "$tdir"/
		make -s -C "$KDIR" M="$tdir" modules >>"$dst/build.log" 2>&1 || tools_ok=
	done
	# Userspace test tools (tests/tools/*.c) into tools/bin: compiled in
	# the guest, under TCG, each would cost a test seconds.
	mkdir -p "$dst/tools/bin"
	for c in "$PROJ"/tests/tools/*.c; do
		b=$dst/tools/bin/$(basename "$c" .c)
		[ "$b" -nt "$c" ] || gcc -O2 -Wall -o "$b" "$c" >>"$dst/build.log" 2>&1 || tools_ok=
	done
	if make -s -C "$KDIR" M="$dst" "${margs[@]}" modules >>"$dst/build.log" 2>&1 && [ -n "$tools_ok" ]; then
		echo "build: $k ($KREL) ok"
	else
		echo "build: $k ($KREL) FAILED"
		cat "$dst/build.log"
		rc=1
	fi
done
# The Debian package of the sources (make deb), for tests/cases/pkg-dkms.sh.
if [ -z "${BUILD_ROOT:-}" ] && command -v dpkg-buildpackage >/dev/null; then
	if make -s -C "$PROJ" deb >"$PROJ/build/deb.log" 2>&1; then
		echo "build: deb ($(cd "$PROJ/build/deb" && ls ./*.deb | sed 's|^\./||')) ok"
	else
		echo "build: deb FAILED"
		cat "$PROJ/build/deb.log"
		rc=1
	fi
fi
exit $rc
