#!/bin/bash
# Boot a Debian kernel under QEMU TCG and run one command inside, as root.
#
#   tests/vm/run.sh COMMAND [ARGS...]     (run from anywhere; paths are the host's)
#
# Environment:
#   KERNEL=6.12|6.1|debug   which kernel to boot (default 6.12)
#   BOND_IMPL=ours|intree   which bonding.ko `modprobe bonding` loads (default ours)
#   VM_MEM (MiB), VM_TIMEOUT (s), VM_OUT (a directory for the run's files)
#   VM_QUIET=1              do not echo the guest's output live
#
# The guest sees the host's root read-only over 9p and VM_OUT read-write at
# /run/vmout. Exit status: the command's, or 125 when the VM failed or the
# kernel logged an oops, WARN, BUG, KASAN, lockdep or kmemleak report.
set -uo pipefail

PROJ=$(cd "$(dirname "$0")/../.." && pwd)
. "$PROJ/tests/vm/kernel.sh"

KERNEL=${KERNEL:-6.12}
BOND_IMPL=${BOND_IMPL:-ours}
VM_TIMEOUT=${VM_TIMEOUT:-1800}
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
case "$BOND_IMPL" in ours|intree) ;; *) echo "vm: BOND_IMPL is ours or intree" >&2; exit 2 ;; esac

kernel_resolve "$KERNEL" || exit 125
if [ "$KERNEL" = debug ]; then VM_MEM=${VM_MEM:-3072}; else VM_MEM=${VM_MEM:-2048}; fi

mkdir -p "$PROJ/build/vm"
initrd=$PROJ/build/vm/initramfs-$KREL.cpio.gz
if [ ! -s "$initrd" ] || [ "$PROJ/tests/vm/init" -nt "$initrd" ] ||
   [ "$PROJ/tests/vm/initramfs.sh" -nt "$initrd" ]; then
	"$PROJ/tests/vm/initramfs.sh" "$KREL" "$initrd" || exit 125
fi

if [ "$BOND_IMPL" = ours ] && [ ! -f "$PROJ/${BOND_BUILD:-build}/$KREL/bonding.ko" ]; then
	echo "vm: ${BOND_BUILD:-build}/$KREL/bonding.ko is missing: run tests/build.sh $KERNEL" >&2
	exit 125
fi

own_out=
[ -n "${VM_OUT:-}" ] || { VM_OUT=$(mktemp -d "$PROJ/build/vm/run.XXXXXX"); own_out=1; }
mkdir -p "$VM_OUT"
rm -f "$VM_OUT"/{rc,out.log,dmesg.log,kmemleak.log,console.log}
: >"$VM_OUT/out.log"
{
	echo "#!/bin/bash"
	printf 'export %s\n' "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
		"HOME=/root" "LANG=C.UTF-8" "TERM=dumb"
	for v in KERNEL BOND_IMPL PROJ KREL; do printf 'export %s=%q\n' "$v" "${!v}"; done
	for v in $(compgen -e | grep -E "^(BOND_|TEST_|KSFT_|BENCH_)" || true); do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
	printf 'cd %q\n' "$PROJ"
	printf 'exec /bin/bash tests/vm/guest.sh'
	printf ' %q' "$@"
	echo
} >"$VM_OUT/job.sh"

tail_pid=
if [ -z "${VM_QUIET:-}" ]; then
	tail -n +1 -F "$VM_OUT/out.log" 2>/dev/null &
	tail_pid=$!
fi

timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
	-accel tcg,thread=single -cpu max -smp 2 -m "$VM_MEM" \
	-kernel "$KIMAGE" -initrd "$initrd" \
	-append "console=ttyS0 loglevel=5 panic=-1 rdinit=/init bondproj=$PROJ $KAPPEND" \
	-nic none -no-reboot -display none -monitor none \
	-serial "file:$VM_OUT/console.log" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$PROJ,mount_tag=proj,security_model=none,readonly=on,multidevs=remap" \
	-virtfs "local,path=$VM_OUT,mount_tag=vmout,security_model=none" \
	</dev/null >"$VM_OUT/qemu.log" 2>&1
qrc=$?

if [ -n "$tail_pid" ]; then
	sleep 0.3
	kill "$tail_pid" 2>/dev/null
	wait "$tail_pid" 2>/dev/null
fi

rc=125
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "vm: timed out after ${VM_TIMEOUT}s (console: $VM_OUT/console.log)" >&2
elif [ ! -s "$VM_OUT/rc" ]; then
	echo "vm: the guest did not finish (console: $VM_OUT/console.log)" >&2
	tail -n 30 "$VM_OUT/console.log" >&2
else
	rc=$(cat "$VM_OUT/rc")
fi

if ! SPLAT_AFTER=bond-vm-job-start "$PROJ/tests/vm/splat.sh" \
	"$VM_OUT"/console.log "$VM_OUT"/dmesg.log "$VM_OUT"/kmemleak.log; then
	echo "vm: the kernel reported a problem (see above; files in $VM_OUT)" >&2
	rc=125
fi
# a passing run's files are of no further use; a failing run's are kept
[ "$rc" = 0 ] && [ -n "$own_out" ] && rm -rf "$VM_OUT"
exit "$rc"
