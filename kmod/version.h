/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place raftlog's version is set. The module reports it
 * (MODULE_VERSION, modinfo, /sys/module/raftlog/version), raftctl
 * --version prints it, and `make version` reads it for make install and
 * dkms.conf (tests/check.sh fails when dkms.conf says otherwise).
 */
#ifndef RAFTLOG_VERSION_H
#define RAFTLOG_VERSION_H

#define RAFTLOG_VERSION "0.1.0"

#endif
