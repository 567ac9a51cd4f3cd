// SPDX-License-Identifier: GPL-2.0
/*
 * rlkey: the few keyctl(1) operations the VM scenarios need (busybox has
 * no keyctl): put a key into the kernel keyring for raftlog's
 * key=logon:DESC / key=user:DESC, and take it out again. Built static on
 * the host by tests/vm/lib.sh.
 *
 *   rlkey add TYPE DESC HEX     add_key(2) TYPE (logon, user) DESC with the
 *                               bytes HEX into the user keyring @u; prints
 *                               the key's serial number
 *   rlkey invalidate SERIAL     invalidate it: gone from every keyring
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/keyctl.h>

static int usage(void)
{
	fprintf(stderr, "usage: rlkey add TYPE DESC HEX | rlkey invalidate SERIAL\n");
	return 2;
}

static int unhex(const char *s, unsigned char *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = v;
	}
	*len = n / 2;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char data[4096];
	size_t len;
	long serial;

	if (argc == 5 && !strcmp(argv[1], "add")) {
		if (unhex(argv[4], data, sizeof(data), &len)) {
			fprintf(stderr, "rlkey: HEX: an even number of hex digits, at most 8192\n");
			return 2;
		}
		serial = syscall(SYS_add_key, argv[2], argv[3], data, len,
				 KEY_SPEC_USER_KEYRING);
		if (serial < 0) {
			fprintf(stderr, "rlkey: add_key %s %s: %s\n", argv[2],
				argv[3], strerror(errno));
			return 1;
		}
		printf("%ld\n", serial);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "invalidate")) {
		serial = strtol(argv[2], NULL, 10);
		if (syscall(SYS_keyctl, KEYCTL_INVALIDATE, serial)) {
			fprintf(stderr, "rlkey: invalidate %ld: %s\n", serial,
				strerror(errno));
			return 1;
		}
		return 0;
	}
	return usage();
}
