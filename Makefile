# SPDX-License-Identifier: GPL-2.0
#
# Every entry point of raftlog. KDIR picks the kernel to build against: the
# running kernel's build tree when it has one, else the newest Debian 12
# 6.1 headers installed.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64))))

.PHONY: all module tools clean deps test test-unit test-vm test-kunit check \
	bench demo

all: module tools

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C userspace-tools

deps:
	tests/deps.sh build

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace-tools clean
	rm -rf build

test-unit:
	tests/unit/run.sh

test-vm:
	tests/vm/run.sh

test-kunit:
	tests/kunit/run.sh

check:
	tests/check.sh

bench:
	tests/vm/bench.sh

demo:
	tests/vm/demo.sh

# Runs every suite even when one fails, then sums their closing lines.
test:
	tests/run-all.sh
