// SPDX-License-Identifier: GPL-2.0
/* The trace engine's the commands of a trace script, and trace_env_run(). */
#include "trace_int.h"

/* ---- commands ---------------------------------------------------------------- */

/* Whether @id is in the list "1,2,3" @list (NULL: no). */
static bool in_list(const char *list, u32 id)
{
	u64 v = 0;
	bool any = false;

	for (; list && *list; list++) {
		if (*list >= '0' && *list <= '9') {
			v = v * 10 + (u64)(*list - '0');
			any = true;
			continue;
		}
		if (any && v == id)
			return true;
		v = 0;
		any = false;
	}
	return any && v == id;
}

static void node_settings(struct t_node *nd, const struct t_args *a)
{
	nd->cfg.election_ticks = arg_u64(a, "election", 10);
	nd->cfg.heartbeat_ticks = arg_u64(a, "heartbeat", 2);
	nd->cfg.max_inflight = arg_u64(a, "inflight", 8);
	nd->cfg.max_uncommitted = arg_u64(a, "uncommitted", 4096);
	nd->cfg.pre_vote = arg_u64(a, "prevote", 1);
	nd->cfg.check_quorum = arg_u64(a, "checkquorum", 1);
}

static void cmd_add_nodes(struct trace_env *env, struct t_args *a)
{
	u64 n, i, j;
	u32 nodes[T_MAX_NODES];

	if (a->n < 2 || !parse_u64(a->key[1], &n) || !n ||
	    env->n + n > T_MAX_NODES) {
		out(env, "error: add-nodes N\n");
		return;
	}
	env->n += n;
	for (i = 0; i < env->n; i++)
		nodes[i] = i + 1;
	for (i = env->n - n + 1; i <= env->n; i++) {
		struct t_node *nd = &env->nd[i];

		nd->exists = true;
		raft_config_default(&nd->cfg, i, nodes, env->n);
		for (j = 0; j < env->n; j++)
			nd->cfg.learner[j] = in_list(arg(a, "learners"),
						     nodes[j]);
		node_settings(nd, a);
		node_start(env, i);
	}
	/* nodes added earlier learn nothing: add all nodes in one command */
	for (j = 1; j <= env->n - n; j++)
		out(env, "warning: node %llu does not know the new nodes\n",
		    (unsigned long long)j);
	out(env, "%llu nodes, election=%u heartbeat=%u prevote=%d checkquorum=%d\n",
	    (unsigned long long)env->n, env->nd[env->n].cfg.election_ticks,
	    env->nd[env->n].cfg.heartbeat_ticks,
	    env->nd[env->n].cfg.pre_vote, env->nd[env->n].cfg.check_quorum);
}

/*
 * join [voters=1,2,3] [learners=4] [election=...]: node n + 1 comes, booted
 * with these members (itself among them) and the join flag.
 */
static void cmd_join(struct trace_env *env, struct t_args *a)
{
	const char *v = arg(a, "voters"), *l = arg(a, "learners");
	u32 nodes[T_MAX_NODES], id = env->n + 1, i, n = 0;
	struct t_node *nd = &env->nd[id];

	if (id > T_MAX_NODES) {
		out(env, "error: no room for another node\n");
		return;
	}
	for (i = 1; i <= T_MAX_NODES; i++)
		if (in_list(v, i) || in_list(l, i))
			nodes[n++] = i;
	env->n = id;
	nd->exists = true;
	raft_config_default(&nd->cfg, id, nodes, n);
	for (i = 0; i < n; i++)
		nd->cfg.learner[i] = in_list(l, nodes[i]);
	nd->cfg.join = true;
	node_settings(nd, a);
	node_start(env, id);
	out(env, "%u joins\n", id);
}

/* One op of "change": add=ID[@ADDR], learner=ID[@ADDR], promote=, remove= */
static bool parse_op(const char *key, const char *val,
		     struct raft_change_op *op)
{
	static const char *const names[] = {
		[RAFT_CHANGE_ADD_VOTER] = "add",
		[RAFT_CHANGE_ADD_LEARNER] = "learner",
		[RAFT_CHANGE_PROMOTE] = "promote",
		[RAFT_CHANGE_REMOVE] = "remove",
	};
	char b[48], *at;
	u64 id;
	u8 t;

	memset(op, 0, sizeof(*op));
	for (t = RAFT_CHANGE_ADD_VOTER; t <= RAFT_CHANGE_REMOVE; t++)
		if (!strcmp(key, names[t]))
			op->type = t;
	if (!op->type || !val)
		return false;
	snprintf(b, sizeof(b), "%s", val);
	at = strchr(b, '@');
	if (at) {
		*at++ = 0;
		op->addr.len = (u8)strlen(at);
		memcpy(op->addr.bytes, at, op->addr.len > RAFT_ADDR_MAX ?
					   RAFT_ADDR_MAX : op->addr.len);
	}
	if (!parse_u64(b, &id))
		return false;
	op->id = (u32)id;
	return true;
}

/*
 * change ID OP=ID[@ADDR]... [cookie=C] [timeout=T]: raft_propose_change()
 * on node ID; OP is add, learner, promote or remove, in the given order.
 */
static void cmd_change(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	struct raft_change ch = { 0 };
	u64 cookie;
	u32 i;
	int rc;

	if (!nd || !nd->up)
		return;
	for (i = 2; i < a->n; i++) {
		if (a->val[i] && (!strcmp(a->key[i], "cookie") ||
				  !strcmp(a->key[i], "timeout")))
			continue;
		if (ch.n_ops == RAFT_MAX_NODES ||
		    !parse_op(a->key[i], a->val[i], &ch.ops[ch.n_ops++])) {
			out(env, "error: bad op %s\n", a->key[i]);
			return;
		}
	}
	ch.timeout = arg_u64(a, "timeout", 0);
	cookie = arg_u64(a, "cookie", 0);
	if (!cookie)
		cookie = ++env->cookie;
	rc = raft_propose_change(nd->r, cookie, &ch);
	nd->dirty = true;
	out(env, "change cookie=%llu: %s\n", (unsigned long long)cookie,
	    err_name(rc));
}

/* transfer ID [TO]: raft_transfer_leader() on node ID (TO 0: the best) */
static void cmd_transfer(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	u64 to = 0;
	int rc;

	if (!nd || !nd->up)
		return;
	if (a->n > 2)
		parse_u64(a->key[2], &to);
	rc = raft_transfer_leader(nd->r, (u32)to);
	nd->dirty = true;
	out(env, "transfer %u->%llu: %s\n", nd->cfg.id, (unsigned long long)to,
	    err_name(rc));
}

static void show_members(struct trace_env *env, u32 id)
{
	struct t_node *nd = &env->nd[id];
	struct raft_membership m;
	struct raft_status st;

	if (!nd->up) {
		out(env, "%u down\n", id);
		return;
	}
	raft_get_membership(nd->r, &m);
	raft_get_status(nd->r, &st);
	fmt_conf(env->line, sizeof(env->line), &m);
	out(env, "%u config %llu/%llu%s %s%s\n", id,
	    (unsigned long long)m.term, (unsigned long long)m.index,
	    m.committed ? " committed" : "", env->line,
	    st.voter ? "" : " (not a voter)");
}

static void cmd_members(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];
	u32 i;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++)
		if (set[i])
			show_members(env, i);
}

static void show_status(struct trace_env *env, u32 id)
{
	struct t_node *nd = &env->nd[id];
	struct raft_status st;
	u32 i;

	if (!nd->up) {
		out(env, "%u down\n", id);
		return;
	}
	raft_get_status(nd->r, &st);
	out(env, "%u %s term=%llu leader=%u vote=%u commit=%llu last=%llu/%llu\n",
	    id, role_name(st.role), (unsigned long long)st.term, st.leader,
	    st.voted_for, (unsigned long long)st.commit_index,
	    (unsigned long long)st.last_term,
	    (unsigned long long)st.last_index);
	if (st.role != RAFT_LEADER)
		return;
	if (st.transfer_to)
		out(env, "  transferring to %u\n", st.transfer_to);
	for (i = 0; i < st.n_peers; i++)
		out(env, "  peer %u match=%llu next=%llu\n", st.peers[i].id,
		    (unsigned long long)st.peers[i].match_index,
		    (unsigned long long)st.peers[i].next_index);
}

static void cmd_status(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];
	u32 i;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++)
		if (set[i])
			show_status(env, i);
}

static void cmd_log(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];
	u32 i;
	u64 j;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++) {
		struct t_disk *d = &env->nd[i].disk;

		if (!set[i])
			continue;
		out(env, "%u disk term=%llu vote=%u, %llu entries, commit=%llu\n",
		    i, (unsigned long long)d->term, d->vote,
		    (unsigned long long)d->n,
		    (unsigned long long)env->nd[i].commit);
		for (j = 0; j < d->n; j++) {
			char e[128];

			fmt_entry(e, sizeof(e), &d->log[j].e, j + 1);
			out(env, "  %s\n", e);
		}
	}
}

static void cmd_tick(struct trace_env *env, struct t_args *a, u64 dflt)
{
	struct t_node *nd = node_arg(env, a, 1);
	u64 n = dflt, i;

	if (!nd)
		return;
	if (a->n > 2 && !a->val[2])
		parse_u64(a->key[2], &n);
	if (!dflt && !(a->n > 2))
		n = 1;
	if (!nd->up) {
		out(env, "error: node is down\n");
		return;
	}
	for (i = 0; i < n; i++)
		raft_tick(nd->r);
	nd->dirty = true;
}

/* Ticks @id until it starts an election: prints the ticks it took. */
static void cmd_campaign(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	struct raft_status st;
	u64 elections;
	u32 i;

	if (!nd || !nd->up)
		return;
	raft_get_status(nd->r, &st);
	elections = st.stats.elections;
	for (i = 1; i <= 1000; i++) {
		raft_tick(nd->r);
		raft_get_status(nd->r, &st);
		if (st.stats.elections != elections)
			break;
	}
	nd->dirty = true;
	if (i > 1000)
		out(env, "%u %s: no election in 1000 ticks\n", st.id,
		    role_name(st.role));
	else
		out(env, "%u %s after %u ticks\n", st.id, role_name(st.role), i);
}

static void cmd_process_ready(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1], any = false;
	u32 i;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++)
		if (set[i])
			any = node_ready(env, i) || any;
	if (!any)
		out(env, "no ready\n");
}

static void cmd_deliver(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];

	pick_nodes(env, a, 1, set);
	deliver(env, set, false);
}

static void cmd_stabilize(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1], any = true;
	u32 i, rounds = 0;

	pick_nodes(env, a, 1, set);
	while (any && rounds++ < 1000) {
		any = false;
		for (i = 1; i <= env->n; i++)
			if (set[i])
				any = node_ready(env, i) || any;
		any = deliver(env, set, true) || any;
	}
	if (rounds == 1)
		out(env, "nothing to do\n");
}

/* drop [from=X] [to=Y] [type=NAME]: forget queued messages, printing them */
static void cmd_drop(struct trace_env *env, struct t_args *a)
{
	u64 from = arg_u64(a, "from", 0), to = arg_u64(a, "to", 0);
	const char *type = arg(a, "type");
	struct t_msg **pp = &env->head, *t;
	bool any = false;

	while ((t = *pp)) {
		if ((from && t->m.from != from) || (to && t->m.to != to) ||
		    (type && strcmp(type, msg_names[t->m.type]))) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		fmt_msg(env->line, sizeof(env->line), &t->m);
		out(env, "  drop %s\n", env->line);
		msg_free(t);
		any = true;
	}
	env->tail = pp;
	if (!any)
		out(env, "no messages\n");
}

static void cmd_msgs(struct trace_env *env)
{
	struct t_msg *t;

	for (t = env->head; t; t = t->next) {
		fmt_msg(env->line, sizeof(env->line), &t->m);
		out(env, "  %s\n", env->line);
	}
	if (!env->head)
		out(env, "no messages\n");
}

/* partition 1 2 | 3: no link between the groups; heal: every link again */
static void cmd_partition(struct trace_env *env, struct t_args *a)
{
	u32 group[T_MAX_NODES + 1] = { 0 }, g = 1, i, j;
	u64 id;

	for (i = 1; i < a->n; i++) {
		if (!strcmp(a->key[i], "|"))
			g++;
		else if (parse_u64(a->key[i], &id) && id && id <= env->n)
			group[id] = g;
	}
	for (i = 1; i <= env->n; i++)
		for (j = 1; j <= env->n; j++)
			env->cut[i][j] = group[i] != group[j];
}

static void cmd_heal(struct trace_env *env)
{
	memset(env->cut, 0, sizeof(env->cut));
}

/* crash ID [lose=N]: stop it; lose=N: a torn tail cuts N disk entries */
static void cmd_crash(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	u64 lose = arg_u64(a, "lose", 0);

	if (!nd)
		return;
	node_stop(nd);
	nd->disk.n -= lose < nd->disk.n ? lose : nd->disk.n;
}

static void cmd_restart(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);

	if (!nd)
		return;
	node_stop(nd);
	node_start(env, nd->cfg.id);
	show_status(env, nd->cfg.id);
}

/*
 * set-disk ID [term=T] [vote=V] [log=T,T,...] [keep-log]: replace node
 * ID's disk (entry i has the i-th term and data "i"; keep-log: only the
 * hard state, and log= appends) and restart it from there.
 */
static void cmd_set_disk(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	const char *log = arg(a, "log");

	if (!nd)
		return;
	node_stop(nd);
	nd->disk.term = arg_u64(a, "term", 0);
	nd->disk.vote = arg_u64(a, "vote", 0);
	if (!has_word(a, "keep-log"))
		nd->disk.n = 0;
	while (log && *log) {
		struct raft_entry e = { 0 };
		char num[24], d[24];
		u32 k = 0;

		while (*log && *log != ',' && k < sizeof(num) - 1)
			num[k++] = *log++;
		num[k] = 0;
		if (*log == ',')
			log++;
		if (!parse_u64(num, &e.term)) {
			out(env, "error: bad log term %s\n", num);
			return;
		}
		snprintf(d, sizeof(d), "%llu", (unsigned long long)nd->disk.n + 1);
		e.session = 1000;
		e.seq = nd->disk.n + 1;
		e.data = (const u8 *)d;
		e.len = strlen(d);
		disk_put(&nd->disk, nd->disk.n + 1, &e);
	}
	nd->commit = 0;
	node_start(env, nd->cfg.id);
	show_status(env, nd->cfg.id);
}

/*
 * propose ID DATA [session=S] [seq=Q] [cookie=C] [start=I] [timeout=T]
 *	[size=N] [accept_only] [first_try]: one raft_propose_in(); default
 *	session is the node's id, seq counts up per node, cookie counts up.
 *	DATA "" is empty; size=N sends N bytes 'x' instead.
 */
static void cmd_propose(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	struct raft_proposal p = { 0 };
	u8 *big = NULL;
	u64 size;
	int rc;

	if (!nd || a->n < 3 || a->val[2]) {
		out(env, "error: propose ID DATA\n");
		return;
	}
	p.session = arg_u64(a, "session", nd->cfg.id);
	p.seq = arg_u64(a, "seq", 0);
	if (!p.seq)
		p.seq = ++nd->seq;
	p.cookie = arg_u64(a, "cookie", 0);
	if (!p.cookie)
		p.cookie = ++env->cookie;
	p.start = arg_u64(a, "start", 0);
	p.timeout = arg_u64(a, "timeout", 0);
	p.accept_only = has_word(a, "accept_only");
	p.first_try = has_word(a, "first_try");
	p.data = a->key[2];
	p.len = strcmp(a->key[2], "\"\"") ? strlen(a->key[2]) : 0;
	size = arg_u64(a, "size", 0);
	if (size) {
		big = raft_alloc(size);
		if (!big)
			return;
		memset(big, 'x', size);
		p.data = big;
		p.len = size;
	}
	if (!nd->up) {
		raft_free(big);
		out(env, "error: node is down\n");
		return;
	}
	rc = raft_propose_in(nd->r, &p);
	raft_free(big);
	nd->dirty = true;
	out(env, "propose cookie=%llu s%llu.%llu: %s\n",
	    (unsigned long long)p.cookie, (unsigned long long)p.session,
	    (unsigned long long)p.seq, err_name(rc));
}

/* can-propose ID: raft_can_propose() */
static void cmd_can_propose(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);

	if (nd && nd->up)
		out(env, "%u can propose: %s\n", nd->cfg.id,
		    raft_can_propose(nd->r) ? "yes" : "no");
}

/* proposal-state ID T/I: raft_proposal_state() of an accepted entry */
static void cmd_proposal_state(struct trace_env *env, struct t_args *a)
{
	static const char *const names[] = {
		[RAFT_PROPOSAL_PENDING] = "PENDING",
		[RAFT_PROPOSAL_COMMITTED] = "COMMITTED",
		[RAFT_PROPOSAL_LOST] = "LOST",
	};
	struct t_node *nd = node_arg(env, a, 1);
	enum raft_proposal_state ps;
	u64 t, i;

	if (!nd || !nd->up || a->n < 3 || !parse_ti(a->key[2], &t, &i)) {
		out(env, "error: proposal-state ID T/I\n");
		return;
	}
	ps = raft_proposal_state(nd->r, i, t);
	out(env, "%llu/%llu %s\n", (unsigned long long)t,
	    (unsigned long long)i, ps <= RAFT_PROPOSAL_LOST ? names[ps] : "?");
}

/* dup [from=X] [to=Y] [type=NAME]: the network duplicates queued messages */
static void cmd_dup(struct trace_env *env, struct t_args *a)
{
	u64 from = arg_u64(a, "from", 0), to = arg_u64(a, "to", 0);
	const char *type = arg(a, "type");
	struct t_msg *t, *last = NULL;
	bool any = false;

	for (t = env->head; t; t = t->next)
		last = t;
	for (t = env->head; t; t = t->next) {
		if (!((from && t->m.from != from) || (to && t->m.to != to) ||
		      (type && strcmp(type, msg_names[t->m.type])))) {
			fmt_msg(env->line, sizeof(env->line), &t->m);
			out(env, "  dup %s\n", env->line);
			net_send(env, &t->m, NULL);
			any = true;
		}
		if (t == last)
			break;
	}
	if (!any)
		out(env, "no messages\n");
}

static int msg_type(const char *s)
{
	int i;

	for (i = 1; i <= RAFT_MSG_TYPE_MAX; i++)
		if (!strcmp(s, msg_names[i]))
			return i;
	return 0;
}

/*
 * send FROM->TO TYPE term=T [log=T/I] [granted] [prev=T/I] [commit=C]
 *	[entries=T,T,...] [ok|reject] [index=I] [hint=T/I]: step a message
 *	made by hand into TO (in no ready of FROM), e.g. one a long dead
 *	leader sent. APPEND entries get data "I" by their index.
 */
static void cmd_send(struct trace_env *env, struct t_args *a)
{
	struct raft_entry *es = env->send_es;
	char (*data)[24] = env->send_data;
	struct t_msg t = { 0 };
	struct raft_msg *m = &t.m;
	u64 from, to, x, y;
	char *arrow, *s = env->line;
	const char *v;
	u32 n = 0;

	arrow = a->n >= 3 ? strstr(a->key[1], "->") : NULL;
	if (!arrow) {
		out(env, "error: send FROM->TO TYPE ...\n");
		return;
	}
	*arrow = 0;
	m->type = msg_type(a->key[2]);
	if (!parse_u64(a->key[1], &from) || !parse_u64(arrow + 2, &to) ||
	    !to || to > env->n || !m->type) {
		out(env, "error: bad send\n");
		return;
	}
	m->from = from;
	m->to = to;
	m->term = arg_u64(a, "term", 0);
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		if (parse_ti(arg(a, "log"), &x, &y)) {
			m->vote.last_term = x;
			m->vote.last_index = y;
		}
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		m->vote_resp.granted = has_word(a, "granted");
		break;
	case RAFT_MSG_APPEND:
		if (parse_ti(arg(a, "prev"), &x, &y)) {
			m->append.prev_term = x;
			m->append.prev_index = y;
		}
		m->append.commit = arg_u64(a, "commit", 0);
		v = arg(a, "entries");
		while (v && *v && n < 64) {
			char num[24];
			u32 k = 0;

			while (*v && *v != ',' && k < sizeof(num) - 1)
				num[k++] = *v++;
			num[k] = 0;
			if (*v == ',')
				v++;
			memset(&es[n], 0, sizeof(es[n]));
			parse_u64(num, &es[n].term);
			snprintf(data[n], sizeof(data[n]), "%llu",
				 (unsigned long long)m->append.prev_index + 1 + n);
			es[n].session = 1000;
			es[n].seq = m->append.prev_index + 1 + n;
			es[n].data = (const u8 *)data[n];
			es[n].len = strlen(data[n]);
			n++;
		}
		m->append.n_entries = n;
		m->append.entries = es;
		break;
	case RAFT_MSG_APPEND_RESP:
		m->append_resp.success = has_word(a, "ok");
		m->append_resp.index = arg_u64(a, "index", 0);
		if (parse_ti(arg(a, "hint"), &x, &y)) {
			m->append_resp.hint_term = x;
			m->append_resp.hint_index = y;
		}
		break;
	case RAFT_MSG_HEARTBEAT:
		m->heartbeat.commit = arg_u64(a, "commit", 0);
		break;
	default:
		break;
	}
	if (!env->nd[to].up) {
		out(env, "error: node is down\n");
		return;
	}
	fmt_msg(s, sizeof(env->line), m);
	out(env, "> %llu receive %s\n", (unsigned long long)to, env->line);
	net_step(env, &t);
}

void trace_env_run(struct trace_env *env, const char *cmd, char **buf,
		   size_t *len, size_t *cap)
{
	static struct t_args a;
	const char *c;

	env->buf = buf;
	env->len = len;
	env->cap = cap;
	split(&a, cmd);
	if (!a.n)
		return;
	c = a.key[0];
	if (!strcmp(c, "add-nodes"))
		cmd_add_nodes(env, &a);
	else if (!strcmp(c, "status"))
		cmd_status(env, &a);
	else if (!strcmp(c, "log"))
		cmd_log(env, &a);
	else if (!strcmp(c, "tick"))
		cmd_tick(env, &a, 0);
	else if (!strcmp(c, "tick-heartbeat"))
		cmd_tick(env, &a, env->n ? env->nd[1].cfg.heartbeat_ticks : 1);
	else if (!strcmp(c, "campaign"))
		cmd_campaign(env, &a);
	else if (!strcmp(c, "process-ready"))
		cmd_process_ready(env, &a);
	else if (!strcmp(c, "deliver-msgs"))
		cmd_deliver(env, &a);
	else if (!strcmp(c, "stabilize"))
		cmd_stabilize(env, &a);
	else if (!strcmp(c, "drop"))
		cmd_drop(env, &a);
	else if (!strcmp(c, "msgs"))
		cmd_msgs(env);
	else if (!strcmp(c, "partition"))
		cmd_partition(env, &a);
	else if (!strcmp(c, "heal"))
		cmd_heal(env);
	else if (!strcmp(c, "crash"))
		cmd_crash(env, &a);
	else if (!strcmp(c, "restart"))
		cmd_restart(env, &a);
	else if (!strcmp(c, "set-disk"))
		cmd_set_disk(env, &a);
	else if (!strcmp(c, "propose"))
		cmd_propose(env, &a);
	else if (!strcmp(c, "send"))
		cmd_send(env, &a);
	else if (!strcmp(c, "dup"))
		cmd_dup(env, &a);
	else if (!strcmp(c, "can-propose"))
		cmd_can_propose(env, &a);
	else if (!strcmp(c, "proposal-state"))
		cmd_proposal_state(env, &a);
	else if (!strcmp(c, "join"))
		cmd_join(env, &a);
	else if (!strcmp(c, "change"))
		cmd_change(env, &a);
	else if (!strcmp(c, "transfer"))
		cmd_transfer(env, &a);
	else if (!strcmp(c, "members"))
		cmd_members(env, &a);
	else
		out(env, "error: unknown command %s\n", c);
}
