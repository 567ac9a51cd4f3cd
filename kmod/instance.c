// SPDX-License-Identifier: GPL-2.0
/*
 * Instance lifetimes. Enabling builds a node step by step (core, socket,
 * device, ticks); disabling, or any failed step, takes it apart in the
 * one order that is safe under load: no new opens, no new proposals,
 * no more datagrams, no more ticks, no more loop rounds; then blocked
 * callers are failed and woken, and the core is freed. Open files keep
 * the node's memory (not its core) until they are closed.
 *
 * Enabling needs CAP_NET_ADMIN in the user namespace that owns the
 * enabling process's network namespace (the one the socket will live
 * in), and a key or insecure=1 (config.c). The node keeps its keys in
 * node->keys only: its copy of the configuration has them wiped, and
 * freeing the node wipes node->keys.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/idr.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include "backend.h"
#include "committed.h"
#include "instance.h"
#include "loop.h"
#include "socket.h"
#include "sysfs.h"

static DEFINE_MUTEX(raftlog_registry_lock);
static LIST_HEAD(raftlog_instances);
static DEFINE_IDR(raftlog_minors);	/* minor -> live node */

void raftlog_node_get(struct raftlog_node *node)
{
	kref_get(&node->ref);
}

static void raftlog_node_free(struct kref *ref)
{
	struct raftlog_node *node = container_of(ref, struct raftlog_node,
						 ref);

	raftlog_store_destroy(node);
	if (node->user_ns)
		put_user_ns(node->user_ns);
	memzero_explicit(&node->keys, sizeof(node->keys));
	kfree(node);
}

void raftlog_node_put(struct raftlog_node *node)
{
	kref_put(&node->ref, raftlog_node_free);
}

void raftlog_node_snapshot(struct raftlog_node *node,
			   struct raftlog_snapshot *snap)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&node->snap_lock);
		*snap = node->snap;
	} while (read_seqretry(&node->snap_lock, seq));
}

struct raftlog_node *raftlog_node_by_minor(unsigned int minor)
{
	struct raftlog_node *node;

	mutex_lock(&raftlog_registry_lock);
	node = idr_find(&raftlog_minors, minor);
	if (node)
		raftlog_node_get(node);
	mutex_unlock(&raftlog_registry_lock);
	return node;
}

static struct raftlog_node *raftlog_node_alloc(struct raftlog_instance *inst)
{
	struct raftlog_node *node = kzalloc(sizeof(*node), GFP_KERNEL);

	if (!node)
		return NULL;
	kref_init(&node->ref);
	strscpy(node->name, inst->name, sizeof(node->name));
	node->cfg = inst->cfg;
	raftlog_config_wipe_keys(&node->cfg);	/* node->keys has them */
	node->minor = -1;
	spin_lock_init(&node->prop_lock);
	INIT_LIST_HEAD(&node->queue);
	init_waitqueue_head(&node->read_wq);
	init_waitqueue_head(&node->write_wq);
	seqlock_init(&node->snap_lock);
	init_rwsem(&node->storage_sem);
	mutex_init(&node->sysfs_lock);
	raftlog_member_init(node);
	raftlog_store_init(node);
	return node;
}

/* Tears down whatever raftlog_node_start() built; see the top. */
static void raftlog_node_stop(struct raftlog_node *node)
{
	if (node->minor >= 0) {
		mutex_lock(&raftlog_registry_lock);
		idr_remove(&raftlog_minors, node->minor);
		mutex_unlock(&raftlog_registry_lock);
	}
	raftlog_sysfs_del(node);
	spin_lock(&node->prop_lock);
	node->dead = true;
	spin_unlock(&node->prop_lock);
	raftlog_socket_detach(node);
	raftlog_loop_stop(node);
	raftlog_socket_close(node);
	wake_up_all(&node->read_wq);
	wake_up_all(&node->write_wq);
	raftlog_loop_destroy(node);
	raftlog_node_put(node);
}

static int raftlog_node_start(struct raftlog_node *node, struct net *net)
{
	int err;

	err = raftlog_loop_init(node);
	if (err)
		return err;
	write_pnet(&node->net, net);
	/* who may change the membership: the namespace's owner, as to enable */
	node->user_ns = get_user_ns(net->user_ns);
	err = raftlog_socket_open(node, net);
	if (err)
		return err;
	mutex_lock(&raftlog_registry_lock);
	err = idr_alloc(&raftlog_minors, node, 0, RAFTLOG_MAX_MINORS,
			GFP_KERNEL);
	mutex_unlock(&raftlog_registry_lock);
	if (err < 0) {
		pr_err("%s: no free minor number (at most %d instances)\n",
		       node->name, RAFTLOG_MAX_MINORS);
		return err;
	}
	node->minor = err;
	err = raftlog_sysfs_add(node);
	if (err)
		return err;
	raftlog_loop_start(node);
	return 0;
}

int raftlog_instance_enable(struct raftlog_instance *inst)
{
	struct net *net = current->nsproxy->net_ns;
	struct raftlog_keys keys;
	struct raftlog_node *node;
	int err;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		pr_err("%s: enabling needs CAP_NET_ADMIN over the network namespace it is enabled in\n",
		       inst->name);
		return -EPERM;
	}
	mutex_lock(&inst->lock);
	err = 0;
	if (inst->node)
		goto out;
	err = raftlog_config_validate(&inst->cfg, inst->name);
	if (err)
		goto out;
	err = raftlog_config_keys(&inst->cfg, inst->name, &keys);
	if (err)
		goto out;
	err = -ENOMEM;
	node = raftlog_node_alloc(inst);
	if (node)
		node->keys = keys;
	memzero_explicit(&keys, sizeof(keys));
	if (!node)
		goto out;
	err = raftlog_node_start(node, net);
	if (err) {
		raftlog_node_stop(node);
		goto out;
	}
	inst->node = node;
	mutex_lock(&raftlog_registry_lock);
	inst->net = net;
	mutex_unlock(&raftlog_registry_lock);
	pr_info("%s: enabled as node %u of %u (%s storage, %s)\n",
		inst->name, inst->cfg.id, inst->cfg.n_nodes,
		node->storage->name,
		node->keys.insecure ? "insecure: datagrams not authenticated" :
		node->keys.n == 2 ? "authenticated, 2 keys" : "authenticated");
out:
	mutex_unlock(&inst->lock);
	return err;
}

static void raftlog_instance_disable_locked(struct raftlog_instance *inst)
{
	struct raftlog_node *node = inst->node;

	lockdep_assert_held(&inst->lock);
	if (!node)
		return;
	mutex_lock(&raftlog_registry_lock);
	inst->net = NULL;
	mutex_unlock(&raftlog_registry_lock);
	inst->node = NULL;
	raftlog_node_stop(node);
	pr_info("%s: disabled\n", inst->name);
}

void raftlog_instance_disable(struct raftlog_instance *inst)
{
	mutex_lock(&inst->lock);
	raftlog_instance_disable_locked(inst);
	mutex_unlock(&inst->lock);
}

struct raftlog_instance *raftlog_instance_create(const char *name)
{
	struct raftlog_instance *inst = kzalloc(sizeof(*inst), GFP_KERNEL);

	if (!inst)
		return ERR_PTR(-ENOMEM);
	kref_init(&inst->ref);
	mutex_init(&inst->lock);
	strscpy(inst->name, name, sizeof(inst->name));
	raftlog_config_init(&inst->cfg);
	mutex_lock(&raftlog_registry_lock);
	list_add_tail(&inst->link, &raftlog_instances);
	mutex_unlock(&raftlog_registry_lock);
	return inst;
}

static void raftlog_instance_free(struct kref *ref)
{
	struct raftlog_instance *inst =
		container_of(ref, struct raftlog_instance, ref);

	mutex_lock(&raftlog_registry_lock);
	list_del(&inst->link);
	mutex_unlock(&raftlog_registry_lock);
	/* Every creator disables before its last put. */
	WARN_ON(inst->node);
	raftlog_config_wipe_keys(&inst->cfg);
	mutex_destroy(&inst->lock);
	kfree(inst);
}

void raftlog_instance_put(struct raftlog_instance *inst)
{
	kref_put(&inst->ref, raftlog_instance_free);
}

/* An instance whose node lives in @net, with a reference, or NULL. */
static struct raftlog_instance *raftlog_instance_in(struct net *net)
{
	struct raftlog_instance *inst;

	mutex_lock(&raftlog_registry_lock);
	list_for_each_entry(inst, &raftlog_instances, link) {
		if (inst->net && net_eq(inst->net, net)) {
			kref_get(&inst->ref);
			mutex_unlock(&raftlog_registry_lock);
			return inst;
		}
	}
	mutex_unlock(&raftlog_registry_lock);
	return NULL;
}

/*
 * A namespace is going away: our sockets hold no reference on it, so the
 * nodes living there must be disabled before it is freed.
 */
static void __net_exit raftlog_net_exit(struct net *net)
{
	struct raftlog_instance *inst;

	while ((inst = raftlog_instance_in(net))) {
		mutex_lock(&inst->lock);
		if (inst->net && net_eq(inst->net, net)) {
			pr_info("%s: network namespace is going away\n",
				inst->name);
			raftlog_instance_disable_locked(inst);
		}
		mutex_unlock(&inst->lock);
		raftlog_instance_put(inst);
	}
}

static struct pernet_operations raftlog_net_ops = {
	.exit = raftlog_net_exit,
};

int raftlog_instances_init(void)
{
	return register_pernet_subsys(&raftlog_net_ops);
}

void raftlog_instances_exit(void)
{
	unregister_pernet_subsys(&raftlog_net_ops);
	idr_destroy(&raftlog_minors);
	raftlog_disk_distrust_exit();
}
