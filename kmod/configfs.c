// SPDX-License-Identifier: GPL-2.0
/*
 * configfs: /sys/kernel/config/raftlog/NAME is the instance raftlog-NAME.
 * Attributes: id, peers, data_dir, election_timeout_ms, heartbeat_ms,
 * cluster_id, commit_timeout_ms, max_datagram, key, key2, insecure, join,
 * enabled. Parameters change only while the instance is disabled
 * (-EBUSY otherwise) and each
 * write is checked on its own (-EINVAL and one log line); writing 1 to
 * enabled checks them together and starts the node in the writer's
 * network namespace (which needs CAP_NET_ADMIN over that namespace).
 * rmdir disables the instance first.
 *
 * key and key2 are write-only (mode 0200, no show: opening them for
 * reading fails with EACCES, even for root): 64 hex digits, or
 * logon:DESC / user:DESC, looked up in the keyrings of the process that
 * enables; a blank line clears them. key signs and verifies, key2 is
 * accepted too while a rotation is under way. insecure (0/1) runs
 * without a key. The page configfs copied the write into is wiped.
 * join (0/1) makes a node that joins a running cluster wait, without
 * campaigning, until a committed configuration makes it a voter.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/configfs.h>
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "instance.h"
#include "configfs.h"

struct raftlog_cfs {
	struct config_item item;
	struct raftlog_instance *inst;
};

static struct raftlog_instance *to_inst(struct config_item *item)
{
	return container_of(item, struct raftlog_cfs, item)->inst;
}

/* Takes inst->lock; -EBUSY while enabled. */
static int raftlog_cfs_lock_disabled(struct raftlog_instance *inst)
{
	mutex_lock(&inst->lock);
	if (inst->node) {
		mutex_unlock(&inst->lock);
		pr_err("%s: parameters change only while disabled\n",
		       inst->name);
		return -EBUSY;
	}
	return 0;
}

static ssize_t raftlog_cfs_show_u32(struct config_item *item, char *page,
				    size_t offset)
{
	struct raftlog_instance *inst = to_inst(item);
	u32 v;

	mutex_lock(&inst->lock);
	v = *(u32 *)((u8 *)&inst->cfg + offset);
	mutex_unlock(&inst->lock);
	return sprintf(page, "%u\n", v);
}

/* A bounded number @p (config.h): the module parameter's bounds. */
static ssize_t raftlog_cfs_show_bounded(struct config_item *item, char *page,
					enum raftlog_bounded p)
{
	return raftlog_cfs_show_u32(item, page, raftlog_bounds[p].offset);
}

static ssize_t raftlog_cfs_store_bounded(struct config_item *item,
					 const char *page, size_t count,
					 enum raftlog_bounded p)
{
	struct raftlog_instance *inst = to_inst(item);
	u32 v;
	int err;

	err = raftlog_cfs_lock_disabled(inst);
	if (err)
		return err;
	if (kstrtou32(page, 0, &v)) {
		pr_err("%s: %s: not a number\n", inst->name,
		       raftlog_bounds[p].name);
		err = -EINVAL;
	} else {
		err = raftlog_config_set_u32(&inst->cfg, inst->name, p, v);
	}
	mutex_unlock(&inst->lock);
	return err ? err : count;
}

/* The show and store of the attribute for config.h's RAFTLOG_P_<name>. */
#define RAFTLOG_CFS_BOUNDED(name)					\
static ssize_t raftlog_cfs_##name##_show(struct config_item *item,	\
					 char *page)			\
{									\
	return raftlog_cfs_show_bounded(item, page, RAFTLOG_P_##name);	\
}									\
static ssize_t raftlog_cfs_##name##_store(struct config_item *item,	\
					  const char *page,		\
					  size_t count)			\
{									\
	return raftlog_cfs_store_bounded(item, page, count,		\
					 RAFTLOG_P_##name);		\
}

RAFTLOG_CFS_BOUNDED(election_timeout_ms)
RAFTLOG_CFS_BOUNDED(heartbeat_ms)
RAFTLOG_CFS_BOUNDED(commit_timeout_ms)
RAFTLOG_CFS_BOUNDED(max_datagram)

static ssize_t raftlog_cfs_id_show(struct config_item *item, char *page)
{
	return raftlog_cfs_show_u32(item, page,
				    offsetof(struct raftlog_config, id));
}

static ssize_t raftlog_cfs_id_store(struct config_item *item,
				    const char *page, size_t count)
{
	struct raftlog_instance *inst = to_inst(item);
	u32 id;
	int err;

	err = raftlog_cfs_lock_disabled(inst);
	if (err)
		return err;
	if (kstrtou32(page, 0, &id) || !id) {
		pr_err("%s: id: must be a number from 1 to 4294967295\n",
		       inst->name);
		err = -EINVAL;
	} else {
		inst->cfg.id = id;
	}
	mutex_unlock(&inst->lock);
	return err ? err : count;
}

static ssize_t raftlog_cfs_cluster_id_show(struct config_item *item,
					   char *page)
{
	struct raftlog_instance *inst = to_inst(item);
	u64 v;

	mutex_lock(&inst->lock);
	v = inst->cfg.cluster_id;
	mutex_unlock(&inst->lock);
	return sprintf(page, "%llu\n", v);
}

static ssize_t raftlog_cfs_cluster_id_store(struct config_item *item,
					    const char *page, size_t count)
{
	struct raftlog_instance *inst = to_inst(item);
	u64 v;
	int err;

	err = raftlog_cfs_lock_disabled(inst);
	if (err)
		return err;
	if (kstrtou64(page, 0, &v)) {
		pr_err("%s: cluster_id: not a 64-bit number\n", inst->name);
		err = -EINVAL;
	} else {
		inst->cfg.cluster_id = v;
	}
	mutex_unlock(&inst->lock);
	return err ? err : count;
}

static ssize_t raftlog_cfs_peers_show(struct config_item *item, char *page)
{
	struct raftlog_instance *inst = to_inst(item);
	int len;

	mutex_lock(&inst->lock);
	len = raftlog_format_peers(&inst->cfg, page, PAGE_SIZE - 1);
	mutex_unlock(&inst->lock);
	page[len++] = '\n';
	return len;
}

static ssize_t raftlog_cfs_peers_store(struct config_item *item,
				       const char *page, size_t count)
{
	struct raftlog_instance *inst = to_inst(item);
	int err;

	err = raftlog_cfs_lock_disabled(inst);
	if (err)
		return err;
	/* Changes inst->cfg only if the whole list is good. */
	err = raftlog_parse_peers(&inst->cfg, inst->name, page);
	mutex_unlock(&inst->lock);
	return err ? err : count;
}

static ssize_t raftlog_cfs_data_dir_show(struct config_item *item,
					 char *page)
{
	struct raftlog_instance *inst = to_inst(item);
	int len;

	mutex_lock(&inst->lock);
	len = sprintf(page, "%s\n", inst->cfg.data_dir);
	mutex_unlock(&inst->lock);
	return len;
}

static ssize_t raftlog_cfs_data_dir_store(struct config_item *item,
					  const char *page, size_t count)
{
	struct raftlog_instance *inst = to_inst(item);
	int err;

	err = raftlog_cfs_lock_disabled(inst);
	if (err)
		return err;
	err = raftlog_parse_data_dir(&inst->cfg, inst->name, page);
	mutex_unlock(&inst->lock);
	return err ? err : count;
}

static ssize_t raftlog_cfs_store_key(struct config_item *item,
				     const char *page, size_t count,
				     unsigned int i)
{
	struct raftlog_instance *inst = to_inst(item);
	int err;

	err = raftlog_cfs_lock_disabled(inst);
	if (!err) {
		err = raftlog_parse_key(&inst->cfg.key[i], inst->name,
					i ? "key2" : "key", page, false);
		mutex_unlock(&inst->lock);
	}
	/* Only this call reads the page; configfs keeps it until close. */
	memzero_explicit((void *)page, count);
	return err ? err : count;
}

static ssize_t raftlog_cfs_key_store(struct config_item *item,
				     const char *page, size_t count)
{
	return raftlog_cfs_store_key(item, page, count, 0);
}

static ssize_t raftlog_cfs_key2_store(struct config_item *item,
				      const char *page, size_t count)
{
	return raftlog_cfs_store_key(item, page, count, 1);
}

/* A 0/1 attribute at @offset in the instance's config. */
static ssize_t raftlog_cfs_show_bool(struct config_item *item, char *page,
				     size_t offset)
{
	struct raftlog_instance *inst = to_inst(item);
	bool v;

	mutex_lock(&inst->lock);
	v = *(bool *)((u8 *)&inst->cfg + offset);
	mutex_unlock(&inst->lock);
	return sprintf(page, "%d\n", v);
}

static ssize_t raftlog_cfs_store_bool(struct config_item *item,
				      const char *page, size_t count,
				      const char *param, size_t offset)
{
	struct raftlog_instance *inst = to_inst(item);
	bool v;
	int err;

	err = raftlog_cfs_lock_disabled(inst);
	if (err)
		return err;
	if (kstrtobool(page, &v)) {
		pr_err("%s: %s: expected 0 or 1\n", inst->name, param);
		err = -EINVAL;
	} else {
		*(bool *)((u8 *)&inst->cfg + offset) = v;
	}
	mutex_unlock(&inst->lock);
	return err ? err : count;
}

static ssize_t raftlog_cfs_insecure_show(struct config_item *item,
					 char *page)
{
	return raftlog_cfs_show_bool(item, page,
				     offsetof(struct raftlog_config, insecure));
}

static ssize_t raftlog_cfs_insecure_store(struct config_item *item,
					  const char *page, size_t count)
{
	return raftlog_cfs_store_bool(item, page, count, "insecure",
				      offsetof(struct raftlog_config, insecure));
}

/*
 * join: the node is created to join a running cluster (peers: its
 * current members, this node among them): it never campaigns until a
 * committed configuration from the log makes it a voter.
 */
static ssize_t raftlog_cfs_join_show(struct config_item *item, char *page)
{
	return raftlog_cfs_show_bool(item, page,
				     offsetof(struct raftlog_config, join));
}

static ssize_t raftlog_cfs_join_store(struct config_item *item,
				      const char *page, size_t count)
{
	return raftlog_cfs_store_bool(item, page, count, "join",
				      offsetof(struct raftlog_config, join));
}

static ssize_t raftlog_cfs_enabled_show(struct config_item *item,
					char *page)
{
	struct raftlog_instance *inst = to_inst(item);
	bool on;

	mutex_lock(&inst->lock);
	on = inst->node;
	mutex_unlock(&inst->lock);
	return sprintf(page, "%d\n", on);
}

static ssize_t raftlog_cfs_enabled_store(struct config_item *item,
					 const char *page, size_t count)
{
	struct raftlog_instance *inst = to_inst(item);
	bool on;
	int err;

	if (kstrtobool(page, &on)) {
		pr_err("%s: enabled: expected 0 or 1\n", inst->name);
		return -EINVAL;
	}
	if (!on) {
		raftlog_instance_disable(inst);
		return count;
	}
	err = raftlog_instance_enable(inst);
	return err ? err : count;
}

CONFIGFS_ATTR(raftlog_cfs_, id);
CONFIGFS_ATTR(raftlog_cfs_, peers);
CONFIGFS_ATTR(raftlog_cfs_, data_dir);
CONFIGFS_ATTR(raftlog_cfs_, cluster_id);
CONFIGFS_ATTR(raftlog_cfs_, enabled);
CONFIGFS_ATTR(raftlog_cfs_, election_timeout_ms);
CONFIGFS_ATTR(raftlog_cfs_, heartbeat_ms);
CONFIGFS_ATTR(raftlog_cfs_, commit_timeout_ms);
CONFIGFS_ATTR(raftlog_cfs_, max_datagram);
CONFIGFS_ATTR_WO(raftlog_cfs_, key);
CONFIGFS_ATTR_WO(raftlog_cfs_, key2);
CONFIGFS_ATTR(raftlog_cfs_, insecure);
CONFIGFS_ATTR(raftlog_cfs_, join);

static struct configfs_attribute *raftlog_cfs_attrs[] = {
	&raftlog_cfs_attr_id,
	&raftlog_cfs_attr_peers,
	&raftlog_cfs_attr_data_dir,
	&raftlog_cfs_attr_election_timeout_ms,
	&raftlog_cfs_attr_heartbeat_ms,
	&raftlog_cfs_attr_cluster_id,
	&raftlog_cfs_attr_commit_timeout_ms,
	&raftlog_cfs_attr_max_datagram,
	&raftlog_cfs_attr_key,
	&raftlog_cfs_attr_key2,
	&raftlog_cfs_attr_insecure,
	&raftlog_cfs_attr_join,
	&raftlog_cfs_attr_enabled,
	NULL,
};

static void raftlog_cfs_release(struct config_item *item)
{
	struct raftlog_cfs *cfs = container_of(item, struct raftlog_cfs,
					       item);

	raftlog_instance_put(cfs->inst);
	kfree(cfs);
}

static struct configfs_item_operations raftlog_cfs_item_ops = {
	.release = raftlog_cfs_release,
};

static const struct config_item_type raftlog_cfs_item_type = {
	.ct_item_ops = &raftlog_cfs_item_ops,
	.ct_attrs = raftlog_cfs_attrs,
	.ct_owner = THIS_MODULE,
};

/* Device names are "raftlog-NAME": keep NAME short and plain. */
static bool raftlog_cfs_name_ok(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (!len || len + sizeof("raftlog-") > RAFTLOG_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

static struct config_item *raftlog_cfs_make(struct config_group *group,
					    const char *name)
{
	char devname[RAFTLOG_NAME_MAX];
	struct raftlog_cfs *cfs;

	if (!raftlog_cfs_name_ok(name)) {
		pr_err("%s: instance name: use 1 to %zu of A-Z a-z 0-9 _ . -\n",
		       name, RAFTLOG_NAME_MAX - sizeof("raftlog-"));
		return ERR_PTR(-EINVAL);
	}
	cfs = kzalloc(sizeof(*cfs), GFP_KERNEL);
	if (!cfs)
		return ERR_PTR(-ENOMEM);
	snprintf(devname, sizeof(devname), "raftlog-%s", name);
	cfs->inst = raftlog_instance_create(devname);
	if (IS_ERR(cfs->inst)) {
		struct config_item *err = ERR_CAST(cfs->inst);

		kfree(cfs);
		return err;
	}
	config_item_init_type_name(&cfs->item, name, &raftlog_cfs_item_type);
	return &cfs->item;
}

static void raftlog_cfs_drop(struct config_group *group,
			     struct config_item *item)
{
	raftlog_instance_disable(to_inst(item));
	config_item_put(item);
}

static struct configfs_group_operations raftlog_cfs_group_ops = {
	.make_item = raftlog_cfs_make,
	.drop_item = raftlog_cfs_drop,
};

static const struct config_item_type raftlog_cfs_group_type = {
	.ct_group_ops = &raftlog_cfs_group_ops,
	.ct_owner = THIS_MODULE,
};

static struct configfs_subsystem raftlog_cfs_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf = "raftlog",
			.ci_type = &raftlog_cfs_group_type,
		},
	},
};

/*
 * Readable by root only (0600, not CONFIGFS_ATTR's 0644): the peers'
 * addresses and the cluster id are what a forger needs against an
 * insecure=1 cluster, and data_dir names the files that hold the log.
 */
static struct configfs_attribute *const raftlog_cfs_root_only[] = {
	&raftlog_cfs_attr_peers,
	&raftlog_cfs_attr_data_dir,
	&raftlog_cfs_attr_cluster_id,
};

int raftlog_configfs_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(raftlog_cfs_root_only); i++)
		raftlog_cfs_root_only[i]->ca_mode = 0600;
	config_group_init(&raftlog_cfs_subsys.su_group);
	mutex_init(&raftlog_cfs_subsys.su_mutex);
	return configfs_register_subsystem(&raftlog_cfs_subsys);
}

void raftlog_configfs_exit(void)
{
	configfs_unregister_subsystem(&raftlog_cfs_subsys);
}
