// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/raftlog/<dev>/: one value per file, all read from the
 * snapshot the node's loop publishes after each round (never from the
 * core, which only the loop may touch).
 *
 *	id role term leader voted_for commit_index last_index last_term
 *	first_index election_timeout_ms heartbeat_ms max_entry_size
 *	commit_timeout_ms cluster_id address failed members config_index
 *	authenticated
 *	stats/<counter>			the lists of stats.h
 *	peers/<id>/address match_index next_index last_contact_ms
 *
 * last_contact_ms is -1 for a peer never heard from; match_index and
 * next_index are meaningful on the leader only. members has one line per
 * member, "ID ADDRESS voter|learner"; config_index is the log index of
 * the configuration in force, 0 for the one the node was enabled with.
 * Both, and the set of peers/<id>/ directories, follow the configuration
 * the core uses: the loop calls raftlog_sysfs_sync_peers() when it
 * changes.
 * authenticated is 1 when the node signs and checks every datagram with a
 * key, 0 when it was enabled with insecure=1; the key itself is nowhere
 * in sysfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "chardev.h"
#include "compat.h"
#include "members.h"
#include "node.h"
#include "sysfs.h"

/* A device file showing one expression of the snapshot @s. */
#define RAFTLOG_SNAP_ATTR(name, fmt, expr)				\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct raftlog_node *node = dev_get_drvdata(dev);		\
	struct raftlog_snapshot s;					\
									\
	raftlog_node_snapshot(node, &s);				\
	return sysfs_emit(buf, fmt "\n", expr);				\
}									\
static DEVICE_ATTR_RO(name)

/* A device file showing a fixed property of the node. */
#define RAFTLOG_NODE_ATTR(name, fmt, expr)				\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct raftlog_node *node = dev_get_drvdata(dev);		\
									\
	return sysfs_emit(buf, fmt "\n", expr);				\
}									\
static DEVICE_ATTR_RO(name)

RAFTLOG_NODE_ATTR(id, "%u", node->cfg.id);
/* The core's names, the ones its tracepoint shows too. */
RAFTLOG_SNAP_ATTR(role, "%s", raft_role_name(s.st.role));
RAFTLOG_SNAP_ATTR(term, "%llu", s.st.term);
RAFTLOG_SNAP_ATTR(leader, "%u", s.st.leader);
RAFTLOG_SNAP_ATTR(voted_for, "%u", s.st.voted_for);
RAFTLOG_SNAP_ATTR(commit_index, "%llu", s.st.commit_index);
RAFTLOG_SNAP_ATTR(last_index, "%llu", s.st.last_index);
RAFTLOG_SNAP_ATTR(last_term, "%llu", s.st.last_term);
RAFTLOG_SNAP_ATTR(first_index, "%llu", s.st.first_index);
RAFTLOG_SNAP_ATTR(failed, "%d", s.failed);
RAFTLOG_NODE_ATTR(election_timeout_ms, "%u", node->election_ms);
RAFTLOG_NODE_ATTR(heartbeat_ms, "%u", node->heartbeat_ms);
RAFTLOG_NODE_ATTR(max_entry_size, "%u", node->max_entry_size);
RAFTLOG_NODE_ATTR(commit_timeout_ms, "%u", node->cfg.commit_timeout_ms);
/*
 * Root only: with insecure=1 the cluster id is the one thing a forger
 * lacks that the wire does not show to everyone on the path.
 */
static ssize_t cluster_id_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct raftlog_node *node = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", node->cfg.cluster_id);
}
static DEVICE_ATTR_ADMIN_RO(cluster_id);
RAFTLOG_NODE_ATTR(authenticated, "%d", node->keys.n > 0);
RAFTLOG_NODE_ATTR(address, "%pISpc",
		  &raftlog_config_node(&node->cfg, node->cfg.id)->sa);

/* "ID ADDRESS" of @mb, or "ID -" for an address this module cannot use. */
static int raftlog_emit_member(char *buf, int at, const struct raft_member *mb)
{
	struct raftlog_peer_addr pa;

	if (raftlog_addr_decode(mb->id, &mb->addr, &pa))
		return sysfs_emit_at(buf, at, "%u -", mb->id);
	return sysfs_emit_at(buf, at, "%u %pISpc", mb->id, &pa.sa);
}

/*
 * The configuration the core uses, one member per line sorted by id; a
 * voter of either half of a joint configuration is a "voter".
 */
static ssize_t members_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct raftlog_node *node = dev_get_drvdata(dev);
	struct raftlog_snapshot *s = kmalloc(sizeof(*s), GFP_KERNEL);
	const struct raft_member *mb, *next;
	u32 i, last = 0;
	int len = 0;

	if (!s)
		return -ENOMEM;
	raftlog_node_snapshot(node, s);
	for (;;) {
		/* n is at most RAFT_MAX_NODES: find the next id up */
		next = NULL;
		for (i = 0; i < s->conf.n_members && i < RAFT_MAX_NODES; i++) {
			mb = &s->conf.members[i];
			if (mb->id > last && (!next || mb->id < next->id))
				next = mb;
		}
		if (!next)
			break;
		len += raftlog_emit_member(buf, len, next);
		len += sysfs_emit_at(buf, len, " %s\n",
				     next->role == RAFT_MEMBER_LEARNER ?
				     "learner" : "voter");
		last = next->id;
	}
	kfree(s);
	return len;
}
static DEVICE_ATTR_RO(members);

RAFTLOG_SNAP_ATTR(config_index, "%llu", s.conf.index);

static struct attribute *raftlog_node_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_role.attr,
	&dev_attr_term.attr,
	&dev_attr_leader.attr,
	&dev_attr_voted_for.attr,
	&dev_attr_commit_index.attr,
	&dev_attr_last_index.attr,
	&dev_attr_last_term.attr,
	&dev_attr_first_index.attr,
	&dev_attr_failed.attr,
	&dev_attr_election_timeout_ms.attr,
	&dev_attr_heartbeat_ms.attr,
	&dev_attr_max_entry_size.attr,
	&dev_attr_commit_timeout_ms.attr,
	&dev_attr_cluster_id.attr,
	&dev_attr_address.attr,
	&dev_attr_members.attr,
	&dev_attr_config_index.attr,
	&dev_attr_authenticated.attr,
	NULL,
};

static const struct attribute_group raftlog_node_group = {
	.attrs = raftlog_node_attrs,
};

/* stats/<name>: one counter of the snapshot, found by its offset. */
struct raftlog_stat_attr {
	struct device_attribute attr;
	size_t offset;
};

static ssize_t raftlog_stat_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct raftlog_stat_attr *sa = container_of(attr,
						    struct raftlog_stat_attr,
						    attr);
	struct raftlog_node *node = dev_get_drvdata(dev);
	struct raftlog_snapshot s;

	raftlog_node_snapshot(node, &s);
	return sysfs_emit(buf, "%llu\n",
			  *(u64 *)((u8 *)&s.stats + sa->offset));
}

#define RAFTLOG_STAT_AT(_name, _field) {				\
	.attr = {							\
		.attr = { .name = _name, .mode = 0444 },		\
		.show = raftlog_stat_show,				\
	},								\
	.offset = offsetof(struct raftlog_stats, _field),		\
}

#define RAFTLOG_STAT_(name)	RAFTLOG_STAT_AT(#name, name)
#define RAFTLOG_DROP_STAT_(value, reason, name)				\
	RAFTLOG_STAT_AT("drops_" #name, drop[RAFTLOG_DROP_##reason])

/* Every counter of the lists of stats.h. */
static struct raftlog_stat_attr raftlog_stat_attrs[] = {
	RAFTLOG_EACH(RAFTLOG_STATS, RAFTLOG_STAT_),
	RAFTLOG_EACH(RAFTLOG_DROP_REASONS, RAFTLOG_DROP_STAT_),
};

/* Filled from raftlog_stat_attrs[] by raftlog_sysfs_init(). */
static struct attribute *raftlog_stats_attrs[ARRAY_SIZE(raftlog_stat_attrs)
					     + 1];

static const struct attribute_group raftlog_stats_group = {
	.name = "stats",
	.attrs = raftlog_stats_attrs,
};

static const struct attribute_group *raftlog_dev_groups[] = {
	&raftlog_node_group,
	&raftlog_stats_group,
	NULL,
};

static struct class raftlog_class = {
	.name = "raftlog",
	.dev_groups = raftlog_dev_groups,
};

/*
 * peers/<id>/: a kobject per peer. Its files read the node's snapshot;
 * the kobjects are removed (waiting out readers) before the node is freed.
 */
struct raftlog_peer_kobj {
	struct kobject kobj;
	struct raftlog_node *node;
	u32 id;
};

static struct raftlog_peer_kobj *to_peer(struct kobject *kobj)
{
	return container_of(kobj, struct raftlog_peer_kobj, kobj);
}

/* The snapshot's entry for @p, or NULL (a member that just left). */
static const struct raft_peer_status *
raftlog_peer_status(const struct raftlog_peer_kobj *p,
		    const struct raftlog_snapshot *s)
{
	u32 i;

	for (i = 0; i < s->st.n_peers && i < ARRAY_SIZE(s->st.peers); i++)
		if (s->st.peers[i].id == p->id)
			return &s->st.peers[i];
	return NULL;
}

/* The address the configuration in force gives the peer. */
static ssize_t peer_address_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct raftlog_peer_kobj *p = to_peer(kobj);
	struct raftlog_snapshot *s = kmalloc(sizeof(*s), GFP_KERNEL);
	struct raftlog_peer_addr pa;
	ssize_t len = -ENODATA;
	u32 i;

	if (!s)
		return -ENOMEM;
	raftlog_node_snapshot(p->node, s);
	for (i = 0; i < s->conf.n_members && i < RAFT_MAX_NODES; i++) {
		if (s->conf.members[i].id != p->id)
			continue;
		if (!raftlog_addr_decode(p->id, &s->conf.members[i].addr, &pa))
			len = sysfs_emit(buf, "%pISpc\n", &pa.sa);
		break;
	}
	kfree(s);
	return len;
}

#define RAFTLOG_PEER_ATTR(name, fmt, expr)				\
static ssize_t peer_##name##_show(struct kobject *kobj,			\
				  struct kobj_attribute *attr,		\
				  char *buf)				\
{									\
	struct raftlog_peer_kobj *p = to_peer(kobj);			\
	const struct raft_peer_status *ps;				\
	struct raftlog_snapshot s;					\
									\
	raftlog_node_snapshot(p->node, &s);				\
	ps = raftlog_peer_status(p, &s);				\
	if (!ps)							\
		return -ENODATA;					\
	return sysfs_emit(buf, fmt "\n", expr);				\
}									\
static struct kobj_attribute peer_attr_##name =				\
	__ATTR(name, 0444, peer_##name##_show, NULL)

RAFTLOG_PEER_ATTR(match_index, "%llu", ps->match_index);
RAFTLOG_PEER_ATTR(next_index, "%llu", ps->next_index);
RAFTLOG_PEER_ATTR(last_contact_ms, "%lld",
		  ps->ticks_since_heard == U32_MAX ? -1LL :
		  (s64)ps->ticks_since_heard * RAFTLOG_TICK_MS);
static struct kobj_attribute peer_attr_address =
	__ATTR(address, 0444, peer_address_show, NULL);

static struct attribute *raftlog_peer_attrs[] = {
	&peer_attr_address.attr,
	&peer_attr_match_index.attr,
	&peer_attr_next_index.attr,
	&peer_attr_last_contact_ms.attr,
	NULL,
};
ATTRIBUTE_GROUPS(raftlog_peer);

static void raftlog_peer_release(struct kobject *kobj)
{
	kfree(to_peer(kobj));
}

static const struct kobj_type raftlog_peer_ktype = {
	.release = raftlog_peer_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = raftlog_peer_groups,
};

static int raftlog_sysfs_add_peer(struct raftlog_node *node, u32 slot,
				  u32 id)
{
	struct raftlog_peer_kobj *p = kzalloc(sizeof(*p), GFP_KERNEL);
	int err;

	lockdep_assert_held(&node->sysfs_lock);
	if (!p)
		return -ENOMEM;
	p->node = node;
	p->id = id;
	err = kobject_init_and_add(&p->kobj, &raftlog_peer_ktype,
				   node->peers_kobj, "%u", id);
	if (err) {
		kobject_put(&p->kobj);
		return err;
	}
	node->peer_kobjs[slot] = p;
	return 0;
}

static void raftlog_sysfs_del_peer(struct raftlog_node *node, u32 slot)
{
	lockdep_assert_held(&node->sysfs_lock);
	/* Deleted now (readers drained), not whenever the last put comes. */
	kobject_del(&node->peer_kobjs[slot]->kobj);
	kobject_put(&node->peer_kobjs[slot]->kobj);
	node->peer_kobjs[slot] = NULL;
}

static bool raftlog_conf_has(const struct raft_membership *m, u32 id)
{
	u32 i;

	for (i = 0; i < m->n_members && i < RAFT_MAX_NODES; i++)
		if (m->members[i].id == id)
			return true;
	return false;
}

/* peers/<id>/ for exactly the members of @m but this node. */
static int raftlog_sysfs_sync_locked(struct raftlog_node *node,
				     const struct raft_membership *m)
{
	u32 i, j, slot;
	int err = 0;

	lockdep_assert_held(&node->sysfs_lock);
	for (j = 0; j < ARRAY_SIZE(node->peer_kobjs); j++)
		if (node->peer_kobjs[j] &&
		    !raftlog_conf_has(m, node->peer_kobjs[j]->id))
			raftlog_sysfs_del_peer(node, j);
	for (i = 0; i < m->n_members && i < RAFT_MAX_NODES; i++) {
		u32 id = m->members[i].id;

		if (id == node->cfg.id)
			continue;
		slot = ARRAY_SIZE(node->peer_kobjs);
		for (j = 0; j < ARRAY_SIZE(node->peer_kobjs); j++) {
			if (node->peer_kobjs[j] && node->peer_kobjs[j]->id == id)
				break;
			if (!node->peer_kobjs[j] && slot == ARRAY_SIZE(node->peer_kobjs))
				slot = j;
		}
		if (j < ARRAY_SIZE(node->peer_kobjs) ||
		    slot == ARRAY_SIZE(node->peer_kobjs))
			continue;	/* there already (or no room: never) */
		err = raftlog_sysfs_add_peer(node, slot, id);
		if (err)
			break;
	}
	return err;
}

void raftlog_sysfs_sync_peers(struct raftlog_node *node,
			      const struct raft_membership *m)
{
	int err = 0;

	mutex_lock(&node->sysfs_lock);
	if (!node->sysfs_gone && node->peers_kobj)
		err = raftlog_sysfs_sync_locked(node, m);
	mutex_unlock(&node->sysfs_lock);
	if (err)
		pr_warn_ratelimited("%s: cannot update peers/ in sysfs: %d\n",
				    node->name, err);
}

int raftlog_sysfs_add(struct raftlog_node *node)
{
	int err;

	node->dev = device_create(&raftlog_class, NULL,
				  raftlog_chardev_devt(node->minor), node,
				  "%s", node->name);
	if (IS_ERR(node->dev)) {
		err = PTR_ERR(node->dev);
		node->dev = NULL;
		return err;
	}
	mutex_lock(&node->sysfs_lock);
	node->peers_kobj = kobject_create_and_add("peers", &node->dev->kobj);
	err = node->peers_kobj ? raftlog_sysfs_sync_locked(node,
							   &node->snap.conf) :
				 -ENOMEM;
	mutex_unlock(&node->sysfs_lock);
	return err;
}

void raftlog_sysfs_del(struct raftlog_node *node)
{
	u32 i;

	mutex_lock(&node->sysfs_lock);
	node->sysfs_gone = true;
	for (i = 0; i < ARRAY_SIZE(node->peer_kobjs); i++)
		if (node->peer_kobjs[i])
			raftlog_sysfs_del_peer(node, i);
	kobject_del(node->peers_kobj);
	kobject_put(node->peers_kobj);
	node->peers_kobj = NULL;
	mutex_unlock(&node->sysfs_lock);
	if (node->dev)
		device_destroy(&raftlog_class,
			       raftlog_chardev_devt(node->minor));
	node->dev = NULL;
}

int raftlog_sysfs_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(raftlog_stat_attrs); i++)
		raftlog_stats_attrs[i] = &raftlog_stat_attrs[i].attr.attr;
	return class_register(&raftlog_class);
}

void raftlog_sysfs_exit(void)
{
	class_unregister(&raftlog_class);
}
