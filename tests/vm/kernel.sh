#!/bin/bash
# Resolve a kernel name (6.12, 6.1, debug) to what the build and the VM need.
# Source it, then call: kernel_resolve NAME. It sets:
#   KREL     the release (uname -r in the guest)
#   KIMAGE   the bzImage to boot
#   KDIR     the headers/build tree to build modules against
#   KAPPEND  extra kernel command line
# The debug kernel is unpacked from ../shared/kernels on first use.

PROJ=${PROJ:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SHARED_KERNELS=${SHARED_KERNELS:-$PROJ/../shared/kernels}
DEBUG_REL=6.12.111-bonddebug

kernel_newest() {
	local d
	d=$(ls -d /lib/modules/$1 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] && basename "$d"
}

kernel_have_debug() {
	[ -f "$SHARED_KERNELS/$DEBUG_REL.tar.xz" ]
}

# Unpack the debug kernel under build/ (visible to the guest) and make
# /lib/modules/<rel> point at it, so modprobe works inside the VM.
kernel_unpack_debug() {
	local dir=$PROJ/build/debug
	if [ ! -f "$dir/vmlinuz-$DEBUG_REL" ]; then
		(cd "$SHARED_KERNELS" && sha256sum -c --quiet SHA256SUMS) || return 1
		mkdir -p "$dir"
		tar xJf "$SHARED_KERNELS/$DEBUG_REL.tar.xz" -C "$dir" || return 1
	fi
	if [ "$(readlink "/lib/modules/$DEBUG_REL")" != "$dir/lib/modules/$DEBUG_REL" ]; then
		rm -rf "/lib/modules/$DEBUG_REL"
		ln -s "$dir/lib/modules/$DEBUG_REL" "/lib/modules/$DEBUG_REL"
	fi
}

kernel_resolve() {
	KAPPEND=
	case "$1" in
	6.12)	KREL=$(kernel_newest '6.12.*+deb12-amd64') ;;
	6.1)	KREL=$(kernel_newest '6.1.0-*-amd64') ;;
	debug)
		kernel_have_debug || { echo "kernel: no debug kernel in $SHARED_KERNELS" >&2; return 1; }
		kernel_unpack_debug || { echo "kernel: cannot unpack the debug kernel" >&2; return 1; }
		KREL=$DEBUG_REL
		KIMAGE=$PROJ/build/debug/vmlinuz-$DEBUG_REL
		KDIR=$PROJ/build/debug/lib/modules/$DEBUG_REL/build
		KAPPEND="acpi=off"
		return 0 ;;
	*)	echo "kernel: unknown KERNEL=$1 (6.12, 6.1 or debug)" >&2; return 1 ;;
	esac
	[ -n "$KREL" ] || { echo "kernel: no $1 kernel installed (run tests/vm/deps.sh)" >&2; return 1; }
	KIMAGE=/boot/vmlinuz-$KREL
	KDIR=/lib/modules/$KREL/build
}
