#!/bin/bash
# Install everything the build, the VM harness and the tests need, on a Debian 12 host.
# Idempotent: only what is missing is installed. Prints the kernel releases it resolved.
set -euo pipefail

need_update() {
	[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mmin -1440 2>/dev/null | head -1)" ]
}

# newest package name matching an anchored regex, by version sort
newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

if need_update; then
	$SUDO apt-get update -qq
fi

H612=$(newest '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$')
H61=$(newest '^linux-headers-6\.1\.0-[0-9]+-amd64$')
[ -n "$H612" ] && [ -n "$H61" ] || { echo "deps: no 6.12/6.1 headers in the archive" >&2; exit 1; }
I612=${H612/headers/image}
I61=${H61/headers/image}

PKGS="build-essential kmod bc flex bison libelf-dev sparse
	qemu-system-x86 busybox-static cpio xz-utils
	iproute2 ethtool jq tcpdump netsniff-ng iputils-ping arping ndisc6 bridge-utils
	procps psmisc util-linux coreutils python3
	linux-source-6.12 $H612 $I612 $H61 $I61"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "deps: 6.12=${I612#linux-image-} 6.1=${I61#linux-image-}"
