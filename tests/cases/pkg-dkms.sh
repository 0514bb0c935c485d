#!/bin/bash
# own-target: make package-test (DKMS compiles the module twice under TCG)
# oracle-inside: the in-tree driver is what must load again once the package is removed
# kernel-neutral: the package builds for 6.12 and for 6.1 within this one test
# The Debian package (make deb: bonding-dkms, built with Debian's dh-dkms)
# installed the way a user installs it, with dpkg, in a writable overlay of
# the VM's root (the host's files stay untouched):
#  - dpkg -i builds the module with DKMS for the running kernel into
#    updates/dkms, and `modprobe bonding` then loads ours: its srcversion is
#    that of build/<release>/bonding.ko, its version include/bond.h's;
#  - the bond it makes carries traffic;
#  - a kernel installed later (the kernel package runs
#    /etc/kernel/postinst.d/dkms) gets the module built for it too;
#  - dpkg -r removes it from every kernel, and `modprobe bonding` loads the
#    in-tree driver again (Debian's has no srcversion or version, and no
#    out-of-tree taint).
. "$(dirname "$0")/../lib.sh"

impl_is ours || skip "the package installs our module; the in-tree driver is the oracle inside"
deb=$(ls "$PROJ"/build/deb/bonding-dkms_*_all.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no package in build/deb (tests/build.sh makes it with make deb)"
version=$(sed -n 's/^#define BOND_MOD_VERSION[[:space:]]*"\(.*\)"/\1/p' "$PROJ/include/bond.h")
krel=$(uname -r)
later=$(cd /lib/modules && ls -d 6.1.0-*-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$later" ] && [ -e "/lib/modules/$later/build/include" ] ||
	fail "no 6.1 headers to stand for a kernel installed later"

root=/tmp/pkgroot
pkg_cleanup() {
	chroot "$root/merged" rmmod bonding 2>/dev/null
	umount -R "$root/merged" 2>/dev/null
	rm -rf "$root"
}
trap 'pkg_cleanup; _cleanup' EXIT

# The host's root as the lower layer, the changes in tmpfs: dpkg, dkms and
# depmod write where they would on a real machine.
bond_unload
modprobe overlay || fail "modprobe overlay"
mkdir -p "$root"/{up,work,merged}
mount -t overlay overlay -o "lowerdir=/,upperdir=$root/up,workdir=$root/work" "$root/merged" ||
	fail "an overlay of the root"
# dkms's <(...) needs /dev/fd, which the VM's bare devtmpfs lacks
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for d in proc sys dev; do mount --rbind "/$d" "$root/merged/$d" || fail "bind /$d"; done
# A /run of its own: not the harness's modprobe rule that loads build/.
for d in run tmp; do mount -t tmpfs tmpfs "$root/merged/$d" || fail "tmpfs /$d"; done
in_root() { chroot "$root/merged" "$@"; }
srcversion_of() { in_root modinfo -F srcversion "$1"; }
loaded_srcversion() { cat /sys/module/bonding/srcversion 2>/dev/null; }
intree=$(in_root modinfo -n -k "$krel" bonding 2>/dev/null)
expect_match "$intree" "/kernel/drivers/net/bonding/bonding\.ko" "modprobe's bonding before the install"
# Ours has a srcversion and a version; Debian's in-tree bonding.ko has
# neither, and does not taint the kernel as out-of-tree (O).
ours_src=$(modinfo -F srcversion "$BOND_KO")
[ -n "$ours_src" ] || fail "no srcversion in $BOND_KO"
is_intree_loaded() {
	[ ! -e /sys/module/bonding/srcversion ] && [ ! -e /sys/module/bonding/version ] &&
		[[ $(cat /sys/module/bonding/taint) != *O* ]]
}

say "dpkg -i $(basename "$deb")"
cp "$deb" "$root/merged/tmp/" || fail "copy the package"
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$(basename "$deb")" >"$root/dpkg.log" 2>&1 ||
	{ cat "$root/dpkg.log"; tail -n 30 "$root/merged/var/lib/dkms/bonding/$version/build/make.log"
	  fail "dpkg -i"; }
grep -E 'Building|Installing|DKMS: install completed' "$root/dpkg.log" | sed 's/^/# /'
# Debian's DKMS compresses the module as the kernel's own are (.ko.xz)
dkms_ko() { (cd "$root/merged" && ls "lib/modules/$1/updates/dkms/"bonding.ko* 2>/dev/null | sed 's|^|/|'); }
ko=$(dkms_ko "$krel")
check "DKMS installed $ko" test -n "$ko"
expect_eq "$(in_root modinfo -n bonding)" "$ko" "modprobe's bonding after the install"
check "modprobe bonding" in_root modprobe bonding
expect_eq "$(loaded_srcversion)" "$ours_src" "the loaded module's srcversion (ours)"
expect_eq "$(cat /sys/module/bonding/version 2>/dev/null)" "$version" "the loaded module's version"

# The module DKMS built makes a bond that carries traffic.
ns_add pk-peer
ip link add pk0 type veth peer name pk1 netns pk-peer || fail "veth"
ip -n pk-peer addr add 192.0.2.2/24 dev pk1
ip -n pk-peer link set pk1 up
ip link add bond0 type bond mode active-backup miimon 100 || fail "a bond from the DKMS module"
ip link set pk0 master bond0 || fail "enslave pk0"
ip link set bond0 up
ip addr add 192.0.2.1/24 dev bond0
check "ping through the bond" wait_for 10 ping -c1 -W1 192.0.2.2
ip link del bond0

say "a kernel installed later: /etc/kernel/postinst.d/dkms $later"
in_root /etc/kernel/postinst.d/dkms "$later" >"$root/later.log" 2>&1 ||
	{ cat "$root/later.log"; fail "the kernel hook for $later"; }
later_ko=$(dkms_ko "$later")
check "DKMS built for $later" test -n "$later_ko"
expect_match "$(in_root modinfo -F vermagic "$later_ko")" "^$later " "vermagic of $later's module"
expect_eq "$(srcversion_of "$later_ko")" "$ours_src" "srcversion of $later's module"

say "dpkg -r bonding-dkms"
check "rmmod bonding" rmmod bonding
in_root env DEBIAN_FRONTEND=noninteractive dpkg -r bonding-dkms >"$root/remove.log" 2>&1 ||
	{ cat "$root/remove.log"; fail "dpkg -r"; }
check "no module left in updates/dkms" test -z "$(dkms_ko "$krel")$(dkms_ko "$later")"
check "no source left in /usr/src" test ! -e "$root/merged/usr/src/bonding-$version"
expect_eq "$(in_root modinfo -n bonding)" "$intree" "modprobe's bonding after the removal"
check "modprobe bonding (in-tree)" in_root modprobe bonding
check "the loaded module is the in-tree one (no srcversion, no version, no O taint)" is_intree_loaded
rmmod bonding
echo "ok"
