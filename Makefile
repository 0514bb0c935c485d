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

SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# The running kernel's build dir if there is one, else the newest Debian 6.12.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	  $(lastword $(sort $(wildcard /lib/modules/6.12.*+deb12-amd64/build))))

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

check:
	$(SRC)/tests/check.sh

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

.PHONY: all modules clean install check demo lint kselftest bench stress
