# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of bonding.ko, and the project's commands.
#
#   make                 build ./bonding.ko against KDIR
#   make KDIR=<dir>      build against other headers (e.g. Debian 6.1)
#   make check           install what is missing, build, lint, run the suite
#   make demo            a bond in a VM carrying traffic
#   make lint            W=1 -Werror, sparse and checkpatch --strict, both kernels
#   make kselftest       upstream bonding selftests in the VM (TESTS=..., BOND_IMPL=...)
#   make bench           our bonding.ko against the in-tree one, as ratios
#   make stress          a seeded churn campaign in one VM (SEED=, DURATION=, KERNEL=, BOND_IMPL=)
#   make install         into /lib/modules/<release>/updates, ahead of the in-tree module
#   make dkms            register with DKMS and build for every kernel with headers
#   make dkms-remove     unregister (the in-tree module is used again)
#   make deb             build/deb/bonding-dkms_<version>_all.deb (Debian's dh-dkms)
#   make package-test    that package installed and removed with dpkg in the VM
#   make install-dhcp-follow  contrib/dhcp-follow: DHCP after failover_relink
#                        for ifupdown's dhclient and NetworkManager (README)

SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# The running kernel's build dir if there is one, else the newest Debian 6.12.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	  $(lastword $(sort $(wildcard /lib/modules/6.12.*+deb12-amd64/build))))

# The module's version, one source of truth: MODULE_VERSION in include/bond.h.
VERSION := $(shell sed -n 's/^\#define BOND_MOD_VERSION[[:space:]]*"\(.*\)"/\1/p' $(SRC)/include/bond.h)
# What DKMS and the package ship: the sources, not what a build left beside them.
SHIP := Kbuild Makefile dkms.conf $(notdir $(wildcard $(SRC)/*.c)) include bond_modes abi
SHIP_TAR = tar -C $(SRC) -c --exclude='*.o' --exclude='*.ko' --exclude='.*' \
	--exclude='*.mod*' $(SHIP)

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run tests/vm/deps.sh or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(SRC) modules

clean:
	$(MAKE) -C $(KDIR) M=$(SRC) clean 2>/dev/null || true
	rm -rf $(SRC)/build

install: modules
	$(MAKE) -C $(KDIR) M=$(SRC) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)

dkms:
	rm -rf /usr/src/bonding-$(VERSION)
	mkdir -p /usr/src/bonding-$(VERSION)
	$(SHIP_TAR) | tar -x -C /usr/src/bonding-$(VERSION)
	sed -i 's/#MODULE_VERSION#/$(VERSION)/' /usr/src/bonding-$(VERSION)/dkms.conf
	dkms add -m bonding -v $(VERSION)
	set -e; for k in $$(ls /lib/modules); do \
		if [ -e /lib/modules/$$k/build ]; then dkms install -m bonding -v $(VERSION) -k $$k; fi; \
	done

dkms-remove:
	dkms remove -m bonding -v $(VERSION) --all
	rm -rf /usr/src/bonding-$(VERSION)

deb:
	@test "$$(dpkg-parsechangelog -l $(SRC)/debian/changelog -S Version)" = "$(VERSION)" || \
		{ echo "deb: debian/changelog and include/bond.h disagree on the version" >&2; exit 1; }
	rm -rf $(SRC)/build/deb
	mkdir -p $(SRC)/build/deb/bonding-dkms-$(VERSION)
	$(SHIP_TAR) debian | tar -x -C $(SRC)/build/deb/bonding-dkms-$(VERSION)
	cd $(SRC)/build/deb/bonding-dkms-$(VERSION) && dpkg-buildpackage -b -us -uc
	@ls $(SRC)/build/deb/*.deb

DF := $(SRC)/contrib/dhcp-follow
install-dhcp-follow:
	install -D -m 755 $(DF)/bond-dhcp-follow $(DESTDIR)/usr/sbin/bond-dhcp-follow
	install -D -m 755 $(DF)/ifupdown-if-up $(DESTDIR)/etc/network/if-up.d/bond-dhcp-follow
	install -D -m 755 $(DF)/ifupdown-if-down $(DESTDIR)/etc/network/if-down.d/bond-dhcp-follow
	install -D -m 755 $(DF)/nm-dispatcher \
		$(DESTDIR)/etc/NetworkManager/dispatcher.d/50-bond-dhcp-follow

check:
	$(SRC)/tests/check.sh

package-test:
	$(SRC)/tests/vm/deps.sh >/dev/null
	$(SRC)/tests/build.sh 6.12
	KERNEL=6.12 BOND_IMPL=ours VM_TIMEOUT=2700 TEST_TIMEOUT=2400 \
		$(SRC)/tests/vm/run.sh $(SRC)/tests/run-suite.sh pkg-dkms

demo:
	$(SRC)/tests/demo.sh

lint:
	$(SRC)/tests/lint.sh

kselftest:
	$(SRC)/tests/kselftest/run.sh $(TESTS)

bench:
	$(SRC)/tests/bench/run.sh

stress:
	$(SRC)/tests/stress/run.sh --build

.PHONY: all modules clean install dkms dkms-remove deb package-test install-dhcp-follow check demo lint kselftest bench stress
