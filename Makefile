# SPDX-License-Identifier: GPL-2.0
#
# Every entry point of raftlog. KDIR picks the kernel to build against: the
# running kernel's build tree when it has one, else the newest Debian 12
# 6.1 headers installed.

KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64))))

.PHONY: all module tools clean deps test test-unit test-bench test-vm test-kunit check \
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

# make bench's clients on the host: raftbench through raftlogd, rtt, etcdbench.
test-bench:
	tests/bench/test.sh

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
# new kernel gets the module too; run again, it replaces that version.
# make uninstall (with the same DESTDIR and PREFIX) removes all of it,
# the dkms registration too, and the directories it leaves empty (never
# a standard one such as /usr/local/sbin when installing for real); it
# keeps only configuration that was edited: /etc/raftlog/ if not empty,
# /etc/modprobe.d/raftlog.conf if it differs from the shipped one, and
# the raftlog group.
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
# Refused where dkms has installed it: depmod would pick one of the two
# copies in updates/ at random.
install-ko:
	@test -f $(MODULE_KO) || { echo "no $(MODULE_KO): run 'make module'" >&2; exit 1; }
	@kver=$$(/sbin/modinfo -F vermagic $(MODULE_KO) | cut -d' ' -f1); \
	test -n "$$kver" || { echo "$(MODULE_KO): no vermagic" >&2; exit 1; }; \
	if ls $(DESTDIR)/lib/modules/$$kver/updates/dkms/raftlog.ko* >/dev/null 2>&1; then \
		echo "dkms installed raftlog for $$kver: 'make uninstall-dkms' first, or 'make install DKMS=1'" >&2; \
		exit 1; \
	fi; \
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

# The units name the installed raftctl and the configuration directory.
install-dist:
	$(INSTALL) -D -m 0644 dist/60-raftlog.rules $(DESTDIR)$(UDEVRULESDIR)/60-raftlog.rules
	$(INSTALL) -D -m 0644 dist/raftlog.sysusers $(DESTDIR)$(SYSUSERSDIR)/raftlog.conf
	$(INSTALL) -d -m 0755 $(DESTDIR)$(UNITDIR)
	for u in raftlog.service raftlog@.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
			dist/$$u.in >$(DESTDIR)$(UNITDIR)/$$u.tmp && \
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
# A version dkms already has is removed first (make install DKMS=1 run
# again after a pull), and so is a plain copy in updates/ (see install-ko).
install-dkms:
	@if [ -z "$(DESTDIR)" ] && dkms status -m raftlog -v $(VERSION) 2>/dev/null | grep -q .; then \
		echo "dkms remove -m raftlog -v $(VERSION) --all"; \
		dkms remove -m raftlog -v $(VERSION) --all >/dev/null || exit 1; \
	fi
	rm -rf $(DKMS_SRC)
	$(INSTALL) -d $(DKMS_SRC)
	cp -r Kbuild dkms.conf kmod uapi $(DKMS_SRC)/
	find $(DKMS_SRC) \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name modules.order \
		-o -name Module.symvers \) -delete
	@if [ -z "$(DESTDIR)" ]; then \
		for f in /lib/modules/*/updates/raftlog.ko; do \
			[ -f "$$f" ] && { echo "rm $$f (dkms installs it now)"; rm -f "$$f"; }; \
		done; \
		dkms add -m raftlog -v $(VERSION) && \
		dkms build -m raftlog -v $(VERSION) && \
		dkms install -m raftlog -v $(VERSION); \
	fi

# rm_empty DIR...: removes each DIR and then its parents while they are
# empty, up to DESTDIR (kept); installing for real, only raftlog's own
# directories and what make install made under /usr/local, never a
# directory other packages share (kept).
uninstall: uninstall-dkms
	rm -f $(DESTDIR)/lib/modules/*/updates/raftlog.ko
	rm -f $(DESTDIR)$(SBINDIR)/raftctl $(DESTDIR)$(BINDIR)/raftbench
	rm -f $(DESTDIR)$(BASHCOMPDIR)/raftctl
	rm -f $(DESTDIR)$(MANDIR)/man8/raftctl.8 $(DESTDIR)$(MANDIR)/man1/raftbench.1 \
		$(DESTDIR)$(MANDIR)/man4/raftlog.4
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -f $(DESTDIR)$(UDEVRULESDIR)/60-raftlog.rules $(DESTDIR)$(SYSUSERSDIR)/raftlog.conf
	rm -f $(DESTDIR)$(UNITDIR)/raftlog.service $(DESTDIR)$(UNITDIR)/raftlog@.service
	@if cmp -s dist/modprobe.d-raftlog.conf $(DESTDIR)$(SYSCONFDIR)/modprobe.d/raftlog.conf; then \
		echo "rm -f $(DESTDIR)$(SYSCONFDIR)/modprobe.d/raftlog.conf (as shipped)"; \
		rm -f $(DESTDIR)$(SYSCONFDIR)/modprobe.d/raftlog.conf; \
	fi
	@kept() { \
		[ -z "$(DESTDIR)" ] || return 1; \
		case "$$1" in \
		$(SYSCONFDIR)/raftlog|$(DOCDIR)|$(DOCDIR)/*|/lib/modules/*/updates) return 1 ;; \
		/usr/local/bin|/usr/local/sbin|/usr/local/lib|/usr/local/share) return 0 ;; \
		/usr/local/share/man) return 0 ;; \
		/usr/local/*) return 1 ;; \
		esac; return 0; \
	}; \
	rm_empty() { \
		for d in "$$@"; do \
			while [ "$$d" != "$(DESTDIR)" ] && [ -n "$${d#/}" ] && \
			      ! kept "$${d#$(DESTDIR)}"; do \
				[ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || break; \
				d=$${d%/*}; d=$${d:-/}; \
			done; \
		done; \
	}; \
	rm_empty $(DESTDIR)/lib/modules/*/updates $(DESTDIR)/usr/src $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man4 $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/raftlog \
		$(DESTDIR)$(SYSCONFDIR)/modprobe.d
	@if [ -z "$(DESTDIR)" ]; then \
		for d in /lib/modules/*/; do \
			[ -f $$d/modules.dep ] && /sbin/depmod -a $$(basename $$d); \
		done; \
		udevadm control --reload 2>/dev/null || true; \
		systemctl daemon-reload 2>/dev/null || true; \
	fi; true
	@for f in $(DESTDIR)$(SYSCONFDIR)/raftlog $(DESTDIR)$(SYSCONFDIR)/modprobe.d/raftlog.conf; do \
		[ -e "$$f" ] && echo "kept (edited): $$f"; \
	done; true

# With DESTDIR only the staged source goes; dkms is asked only otherwise.
uninstall-dkms:
	@if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null && \
	    dkms status -m raftlog -v $(VERSION) 2>/dev/null | grep -q .; then \
		echo "dkms remove -m raftlog -v $(VERSION) --all"; \
		dkms remove -m raftlog -v $(VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)
