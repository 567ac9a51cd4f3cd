/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Instances: a named configuration (from module parameters or configfs)
 * that can be enabled into a running node and disabled again, and the
 * registry of all instances, which a dying network namespace searches for
 * the nodes whose sockets live in it.
 */
#ifndef RAFTLOG_INSTANCE_H
#define RAFTLOG_INSTANCE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include "config.h"
#include "node.h"

#define RAFTLOG_MAX_MINORS	256

/*
 * Locking and lifetime:
 * - @ref: the creator's (module init or the configfs item) plus temporary
 *   ones; the last put unlinks the instance and frees it.
 * - @lock guards @cfg and @node and serialises enable and disable; it is
 *   taken before raftlog_registry_lock, never after.
 * - @link and @net are also under raftlog_registry_lock (both locks to
 *   write @net, either to read it), so a dying namespace can find its
 *   nodes without taking every instance's @lock.
 */
struct raftlog_instance {
	struct kref ref;
	struct list_head link;
	struct mutex lock;		/* see above */
	char name[RAFTLOG_NAME_MAX];	/* "raftlog" or "raftlog-NAME" */
	struct raftlog_config cfg;
	struct raftlog_node *node;	/* non-NULL while enabled */
	struct net *net;		/* @node's namespace; not a reference */
};

int raftlog_instances_init(void);
void raftlog_instances_exit(void);

/* A new, disabled instance with default parameters, or an ERR_PTR. */
struct raftlog_instance *raftlog_instance_create(const char *name);
void raftlog_instance_put(struct raftlog_instance *inst);

/*
 * Enables with the current parameters, the socket in the caller's network
 * namespace. 0 if already enabled; -EPERM without CAP_NET_ADMIN over that
 * namespace; -EINVAL (logged) for bad parameters or no key; a keyring
 * key that cannot be used gives its error (logged).
 */
int raftlog_instance_enable(struct raftlog_instance *inst);
/* Disables; blocked readers and writers get -ESHUTDOWN. */
void raftlog_instance_disable(struct raftlog_instance *inst);

/* For open(): the live node behind @minor with a reference, or NULL. */
struct raftlog_node *raftlog_node_by_minor(unsigned int minor);

#endif /* RAFTLOG_INSTANCE_H */
