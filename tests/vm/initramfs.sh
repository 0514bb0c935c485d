#!/bin/bash
# Build the busybox initramfs for one kernel release: it loads the modules
# 9p needs, mounts the host root read-only over 9p and runs the job in a
# chroot of it. Usage: initramfs.sh RELEASE OUTPUT.cpio.gz
set -euo pipefail
rel=$1 out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work"/{bin,dev,proc,sys,mnt,modules}
cp /bin/busybox "$work/bin/busybox"
ln -s busybox "$work/bin/sh"

# The modules virtio and 9p need, in load order, decompressed for busybox.
n=0
for m in virtio_pci 9pnet_virtio 9p; do
	modprobe -S "$rel" --show-depends "$m" 2>/dev/null | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	n=$((n + 1))
	dst=$(printf '%s/modules/%02d-%s' "$work" "$n" "$(basename "${ko%%.ko*}").ko")
	case "$ko" in
	*.xz)	xz -dc "$ko" >"$dst" ;;
	*.zst)	zstd -qdc "$ko" >"$dst" ;;
	*)	cp "$ko" "$dst" ;;
	esac
done

cp "$(dirname "$0")/init" "$work/init"
# The kernel runs /sbin/modprobe (module autoload) in this root, not in the
# chroot the job runs in: hand it on to the host's modprobe in the chroot.
mkdir -p "$work/sbin"
printf '#!/bin/busybox sh\nexec /bin/busybox chroot /mnt /sbin/modprobe "$@"\n' >"$work/sbin/modprobe"
chmod +x "$work/init" "$work/sbin/modprobe"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"	# atomic: parallel VMs may build it at once
