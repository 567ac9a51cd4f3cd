# SPDX-License-Identifier: GPL-2.0
#
# Every entry point of raftlog. KDIR picks the kernel to build against: the
# running kernel's build tree when it has one, else the newest Debian 12
# 6.1 headers installed.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64))))

.PHONY: all module tools clean deps test test-unit test-vm test-kunit check \
	bench demo soak

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

# The simulator over a fresh random range of seeds (tests/sim/soak.sh -h).
soak:
	tests/sim/soak.sh

check:
	tests/check.sh

bench:
	tests/vm/bench.sh

demo:
	tests/vm/demo.sh

# Runs every suite even when one fails, then sums their closing lines.
test:
	tests/run-all.sh

# --- install ------------------------------------------------------------
#
# make install [DESTDIR=...] [PREFIX=/usr/local]: the module into
# /lib/modules/<its kernel>/updates/ (then depmod, unless DESTDIR is set:
# a staged tree is for packaging, and its depmod runs on the target), the
# tools, man pages, bash completion, the udev rule, the systemd units,
# the sysusers.d group, an example /etc/raftlog/ file and, if none is
# there yet, /etc/modprobe.d/raftlog.conf (all commented out).
# make install DKMS=1 (or install-dkms alone): the module's source into
# /usr/src/raftlog-VERSION and dkms add/build/install instead, so every
# new kernel gets the module too.
# make uninstall / uninstall-dkms undo them (configuration is kept).
VERSION := $(shell sed -n 's/^\#define RAFTLOG_VERSION "\(.*\)"$$/\1/p' kmod/version.h)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/raftlog
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
UDEVRULESDIR ?= /etc/udev/rules.d
SYSCONFDIR ?= /etc
MODULE_KO ?= kmod/raftlog.ko
DKMS_SRC = $(DESTDIR)/usr/src/raftlog-$(VERSION)
INSTALL ?= install

.PHONY: version install install-module install-ko install-tools install-doc \
	install-dist install-dkms uninstall uninstall-dkms

version:
	@echo $(VERSION)

# DKMS=1: the module through dkms (install-dkms) instead of a plain copy.
install: $(if $(filter 1,$(DKMS)),install-dkms,install-module) install-tools \
	install-doc install-dist

install-module: module
	$(MAKE) --no-print-directory install-ko

# The module for the kernel it was built for (its vermagic), so KDIR and
# the directory always agree. MODULE_KO= installs another build of it.
install-ko:
	@test -f $(MODULE_KO) || { echo "no $(MODULE_KO): run 'make module'" >&2; exit 1; }
	@kver=$$(/sbin/modinfo -F vermagic $(MODULE_KO) | cut -d' ' -f1); \
	test -n "$$kver" || { echo "$(MODULE_KO): no vermagic" >&2; exit 1; }; \
	echo "install $(MODULE_KO) -> $(DESTDIR)/lib/modules/$$kver/updates/raftlog.ko"; \
	$(INSTALL) -D -m 0644 $(MODULE_KO) $(DESTDIR)/lib/modules/$$kver/updates/raftlog.ko; \
	if [ -z "$(DESTDIR)" ]; then /sbin/depmod -a $$kver; fi

install-tools: tools
	$(INSTALL) -D -m 0755 userspace-tools/raftctl $(DESTDIR)$(SBINDIR)/raftctl
	$(INSTALL) -D -m 0755 userspace-tools/raftbench $(DESTDIR)$(BINDIR)/raftbench
	$(INSTALL) -D -m 0644 dist/raftctl.bash-completion $(DESTDIR)$(BASHCOMPDIR)/raftctl

install-doc:
	$(INSTALL) -D -m 0644 man/raftctl.8 $(DESTDIR)$(MANDIR)/man8/raftctl.8
	$(INSTALL) -D -m 0644 man/raftbench.1 $(DESTDIR)$(MANDIR)/man1/raftbench.1
	$(INSTALL) -D -m 0644 man/raftlog.4 $(DESTDIR)$(MANDIR)/man4/raftlog.4
	$(INSTALL) -D -m 0644 Documentation/ABI/testing/sysfs-class-raftlog \
		$(DESTDIR)$(DOCDIR)/ABI/sysfs-class-raftlog
	$(INSTALL) -D -m 0644 Documentation/ABI/testing/configfs-raftlog \
		$(DESTDIR)$(DOCDIR)/ABI/configfs-raftlog
	$(INSTALL) -D -m 0644 dist/example.conf $(DESTDIR)$(DOCDIR)/examples/NAME.conf
	$(INSTALL) -D -m 0644 dist/modprobe.d-raftlog.conf \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d-raftlog.conf

install-dist:
	$(INSTALL) -D -m 0644 dist/60-raftlog.rules $(DESTDIR)$(UDEVRULESDIR)/60-raftlog.rules
	$(INSTALL) -D -m 0644 dist/raftlog.sysusers $(DESTDIR)$(SYSUSERSDIR)/raftlog.conf
	$(INSTALL) -d -m 0755 $(DESTDIR)$(UNITDIR)
	for u in raftlog.service raftlog@.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' dist/$$u.in >$(DESTDIR)$(UNITDIR)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	$(INSTALL) -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/raftlog
	test -e $(DESTDIR)$(SYSCONFDIR)/modprobe.d/raftlog.conf || \
		$(INSTALL) -D -m 0644 dist/modprobe.d-raftlog.conf \
			$(DESTDIR)$(SYSCONFDIR)/modprobe.d/raftlog.conf
	@if [ -z "$(DESTDIR)" ]; then \
		getent group raftlog >/dev/null || groupadd --system raftlog; \
		udevadm control --reload 2>/dev/null || true; \
		systemctl daemon-reload 2>/dev/null || true; \
	fi

# The module's source as dkms wants it: Kbuild, kmod/, uapi/, dkms.conf.
install-dkms:
	rm -rf $(DKMS_SRC)
	$(INSTALL) -d $(DKMS_SRC)
	cp -r Kbuild dkms.conf kmod uapi $(DKMS_SRC)/
	find $(DKMS_SRC) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name modules.order \
		-o -name Module.symvers \) -delete
	@if [ -z "$(DESTDIR)" ]; then \
		dkms add -m raftlog -v $(VERSION) && \
		dkms build -m raftlog -v $(VERSION) && \
		dkms install -m raftlog -v $(VERSION); \
	fi

uninstall:
	rm -f $(DESTDIR)/lib/modules/*/updates/raftlog.ko
	rm -f $(DESTDIR)$(SBINDIR)/raftctl $(DESTDIR)$(BINDIR)/raftbench
	rm -f $(DESTDIR)$(BASHCOMPDIR)/raftctl
	rm -f $(DESTDIR)$(MANDIR)/man8/raftctl.8 $(DESTDIR)$(MANDIR)/man1/raftbench.1 \
		$(DESTDIR)$(MANDIR)/man4/raftlog.4
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -f $(DESTDIR)$(UDEVRULESDIR)/60-raftlog.rules $(DESTDIR)$(SYSUSERSDIR)/raftlog.conf
	rm -f $(DESTDIR)$(UNITDIR)/raftlog.service $(DESTDIR)$(UNITDIR)/raftlog@.service
	@if [ -z "$(DESTDIR)" ]; then \
		for d in /lib/modules/*/; do \
			[ -f $$d/modules.dep ] && /sbin/depmod -a $$(basename $$d); \
		done; \
		systemctl daemon-reload 2>/dev/null || true; \
	fi; true
	@echo "kept: $(SYSCONFDIR)/raftlog/, $(SYSCONFDIR)/modprobe.d/raftlog.conf, the raftlog group"

uninstall-dkms:
	-dkms remove -m raftlog -v $(VERSION) --all
	rm -rf $(DKMS_SRC)
