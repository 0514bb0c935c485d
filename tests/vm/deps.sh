#!/bin/bash
# Install everything the build, the VM harness and the tests need, on a Debian 12 host.
# Idempotent: only what is missing is installed. Prints the kernel releases it resolved.
set -euo pipefail

need_update() {
	[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mmin -1440 2>/dev/null | head -1)" ]
}

# pair RELEASE_REGEX: "headers image" of the newest release that has both in
# the archive. An image can lag its headers (the signed package comes later);
# the -unsigned build of the same release boots the same in the VM.
pair() {
	local rel img
	for rel in $(apt-cache search --names-only "^linux-headers-$1\$" |
			awk '{print $1}' | sed 's/^linux-headers-//' | sort -rV); do
		for img in "linux-image-$rel" "linux-image-$rel-unsigned"; do
			if [ -n "$(apt-cache search --names-only "^${img//+/\\+}\$")" ]; then
				echo "linux-headers-$rel $img"
				return 0
			fi
		done
	done
	return 1
}

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

if need_update; then
	$SUDO apt-get update -qq
fi

read -r H612 I612 < <(pair '6\.12\.[0-9]+\+deb12-amd64') || true
read -r H61 I61 < <(pair '6\.1\.0-[0-9]+-amd64') || true
[ -n "${I612:-}" ] && [ -n "${I61:-}" ] || { echo "deps: no 6.12/6.1 headers+image in the archive" >&2; exit 1; }

PKGS="build-essential kmod bc flex bison libelf-dev sparse
	qemu-system-x86 busybox-static cpio xz-utils
	iproute2 ethtool jq tcpdump netsniff-ng iputils-ping arping ndisc6 bridge-utils
	procps psmisc util-linux coreutils python3 python3-pyroute2 python3-scapy
	libteam-utils openvswitch-switch tshark gnuplot-nox linuxptp
	dkms dh-dkms debhelper dpkg-dev
	ifupdown ifenslave isc-dhcp-client dhcpcd-base dnsmasq-base network-manager netplan.io
	linux-source-6.12 $H612 $I612 $H61 $I61"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# ifupdown2 conflicts with ifupdown: the client test unpacks it in the VM.
IFUPDOWN2_DIR=/var/cache/bonding-tests
if ! ls $IFUPDOWN2_DIR/ifupdown2_*_all.deb >/dev/null 2>&1; then
	$SUDO mkdir -p $IFUPDOWN2_DIR
	(cd $IFUPDOWN2_DIR && $SUDO apt-get download -qq ifupdown2 2>/dev/null)
	ls $IFUPDOWN2_DIR/ifupdown2_*_all.deb >/dev/null || { echo "deps: cannot download ifupdown2" >&2; exit 1; }
fi
echo "deps: 6.12=${H612#linux-headers-} 6.1=${H61#linux-headers-}"
