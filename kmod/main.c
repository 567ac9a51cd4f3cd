// SPDX-License-Identifier: GPL-2.0
/*
 * raftlog: the Raft consensus algorithm in the kernel, over UDP, with the
 * replicated log behind /dev/raftlog. This file only sets up and unwinds
 * the module, and builds the one instance its parameters describe:
 *
 *	insmod raftlog.ko id=1 peers=1@10.0.0.1:7070,2@10.0.0.2:7070,... \
 *		key=logon:raftlog:main
 *
 * The parameter key takes only a keyring reference: parameters are
 * readable by every user (ps, /sys/module, modprobe.d files), so the
 * secret itself is refused. Without key the instance needs insecure=1.
 * Without id and peers it loads with no instance; more come from configfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include "chardev.h"
#include "configfs.h"
#include "instance.h"
#include "sysfs.h"
#include "uapi_mirror.h"
#include "version.h"

static unsigned int id;
module_param(id, uint, 0444);
MODULE_PARM_DESC(id, "This node's id, one of those in peers");

static char *peers;
module_param(peers, charp, 0400);
MODULE_PARM_DESC(peers, "Every node as id@ipv4:port or id@[ipv6]:port, comma-separated");

static char *data_dir;
module_param(data_dir, charp, 0400);
MODULE_PARM_DESC(data_dir, "Directory for the term, vote and log (default: memory only)");

/*
 * The bounded numbers (config.h's list: names, bounds, defaults), one
 * module parameter each, checked as the configfs attributes are.
 */
#define RAFTLOG_PARAM_DEFAULT_(name, min, max, def)	(def)
static unsigned int raftlog_params[RAFTLOG_P_NR] = {
	RAFTLOG_EACH(RAFTLOG_BOUNDED, RAFTLOG_PARAM_DEFAULT_)
};

module_param_named(election_timeout_ms,
		   raftlog_params[RAFTLOG_P_election_timeout_ms], uint, 0444);
MODULE_PARM_DESC(election_timeout_ms, "Low end of the random election timeout; the high end is twice it (default "
		 __stringify(RAFTLOG_ELECTION_MS_DEFAULT) ")");

module_param_named(heartbeat_ms, raftlog_params[RAFTLOG_P_heartbeat_ms],
		   uint, 0444);
MODULE_PARM_DESC(heartbeat_ms, "Leader heartbeat interval (default "
		 __stringify(RAFTLOG_HEARTBEAT_MS_DEFAULT) ")");

module_param_named(commit_timeout_ms,
		   raftlog_params[RAFTLOG_P_commit_timeout_ms], uint, 0444);
MODULE_PARM_DESC(commit_timeout_ms, "How long write() waits for its entry to commit (default "
		 __stringify(RAFTLOG_COMMIT_TIMEOUT_MS_DEFAULT) ")");

module_param_named(max_datagram, raftlog_params[RAFTLOG_P_max_datagram],
		   uint, 0444);
MODULE_PARM_DESC(max_datagram, "Largest datagram sent, in bytes of UDP payload; larger messages go as raftlog's own fragments (default "
		 __stringify(RAFT_DGRAM_DEFAULT) ": no IP fragments at MTU 1500, IPv4 or IPv6)");

static unsigned long long cluster_id;
module_param(cluster_id, ullong, 0400);
MODULE_PARM_DESC(cluster_id, "Cluster id carried by every packet; others are dropped (default 0)");

static char *key;
module_param(key, charp, 0444);
MODULE_PARM_DESC(key, "logon:DESC or user:DESC: the keyring key (32 bytes) that authenticates every datagram; never the secret itself");

static bool insecure;
module_param(insecure, bool, 0444);
MODULE_PARM_DESC(insecure, "1: no key, datagrams are not authenticated (needed when key is not given)");

static struct raftlog_instance *raftlog_param_inst;

static int raftlog_param_config(struct raftlog_config *cfg, const char *name)
{
	unsigned int p;
	int err;

	if (!id || !peers) {
		pr_err("%s: %s: needed together with %s\n", name,
		       id ? "peers" : "id", id ? "id" : "peers");
		return -EINVAL;
	}
	cfg->id = id;
	err = raftlog_parse_peers(cfg, name, peers);
	if (!err && data_dir)
		err = raftlog_parse_data_dir(cfg, name, data_dir);
	for (p = 0; !err && p < RAFTLOG_P_NR; p++)
		err = raftlog_config_set_u32(cfg, name, p, raftlog_params[p]);
	cfg->cluster_id = cluster_id;
	if (!err && key) {
		err = raftlog_parse_key(&cfg->key[0], name, "key", key, true);
		if (err)	/* perhaps a secret: the load fails anyway */
			memzero_explicit(key, strlen(key));
	}
	if (!err && !key && !insecure) {
		pr_err("%s: no key: give key=logon:DESC (a 32-byte key loaded with keyctl) or insecure=1\n",
		       name);
		err = -EINVAL;
	}
	cfg->insecure = insecure;
	return err;
}

/* The instance "raftlog" from the module parameters, if any are given. */
static int raftlog_param_instance(void)
{
	struct raftlog_instance *inst;
	int err;

	if (!id && !peers)
		return 0;
	inst = raftlog_instance_create("raftlog");
	if (IS_ERR(inst))
		return PTR_ERR(inst);
	err = raftlog_param_config(&inst->cfg, inst->name);
	if (!err)
		err = raftlog_instance_enable(inst);
	if (err) {
		raftlog_instance_put(inst);
		return err;
	}
	raftlog_param_inst = inst;
	return 0;
}

static void raftlog_param_instance_exit(void)
{
	if (!raftlog_param_inst)
		return;
	raftlog_instance_disable(raftlog_param_inst);
	raftlog_instance_put(raftlog_param_inst);
	raftlog_param_inst = NULL;
}

static int __init raftlog_init(void)
{
	int err;

	raftlog_uapi_mirror_check();
	err = raftlog_sysfs_init();
	if (err)
		return err;
	err = raftlog_chardev_init();
	if (err)
		goto err_sysfs;
	err = raftlog_instances_init();
	if (err)
		goto err_chardev;
	err = raftlog_param_instance();
	if (err)
		goto err_instances;
	/* Last: userspace may create instances as soon as this is up. */
	err = raftlog_configfs_init();
	if (err)
		goto err_param;
	return 0;

err_param:
	raftlog_param_instance_exit();
err_instances:
	raftlog_instances_exit();
err_chardev:
	raftlog_chardev_exit();
err_sysfs:
	raftlog_sysfs_exit();
	return err;
}

static void __exit raftlog_exit(void)
{
	raftlog_configfs_exit();
	raftlog_param_instance_exit();
	raftlog_instances_exit();
	raftlog_chardev_exit();
	raftlog_sysfs_exit();
}

module_init(raftlog_init);
module_exit(raftlog_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Raft consensus over UDP with a replicated log device");
MODULE_AUTHOR("raftlog developers");
MODULE_VERSION(RAFTLOG_VERSION);
