#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/deps.sh GROUP...: install the Debian 12 packages a group of tests
# needs, and only those `dpkg -s` reports missing (idempotent, quiet when
# nothing is missing). Groups: unit vm build check kunit install bench.
set -euo pipefail

usage() {
	echo "usage: $0 GROUP...   (groups: unit vm build check kunit install bench)"
}

pkgs_of() {
	case "$1" in
	unit)	echo clang llvm libclang-rt-14-dev strace ;;
	vm)	echo qemu-system-x86 linux-image-amd64 linux-headers-amd64 \
		     busybox-static iproute2 cpio kmod gcc make libc6-dev \
		     e2fsprogs dmsetup ;;
	build)	echo gcc make linux-headers-amd64 ;;
	check)	echo sparse ;;
	kunit)	echo bc flex bison libelf-dev libssl-dev linux-source-6.1 \
		     cpio python3 rsync xz-utils gcc make ;;
	# make install's checks: dkms builds, man pages render, the unit
	# and the udev rule parse.
	install) echo dkms groff-base man-db systemd udev kmod ;;
	# make bench: etcd (3.4, a static Go binary) to compare against.
	bench)	echo etcd-server ;;
	*)	return 1 ;;
	esac
}

if [ $# -eq 0 ]; then
	usage >&2
	exit 2
fi
if [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
	usage
	exit 0
fi

missing=()
for group in "$@"; do
	if ! list=$(pkgs_of "$group"); then
		echo "$0: unknown group '$group'" >&2
		usage >&2
		exit 2
	fi
	for p in $list; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "$0: need root to install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
