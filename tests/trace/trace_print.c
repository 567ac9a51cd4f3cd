// SPDX-License-Identifier: GPL-2.0
/* The trace engine's output: the text of roles, errors, entries, messages and configurations. */
#include "trace_int.h"

/* ---- output ---------------------------------------------------------------- */

TRACE_FN __printf(2, 3) void out(struct trace_env *env, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !*env->buf)
		return;
	if (*env->len + n + 1 > *env->cap) {
		size_t nc = (*env->len + n + 1) * 2;
		char *b = raft_realloc(*env->buf, *env->cap, nc);

		if (!b)
			return;
		*env->buf = b;
		*env->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(*env->buf + *env->len, n + 1, fmt, ap);
	va_end(ap);
	*env->len += n;
}

TRACE_FN const char *err_name(int err)
{
	switch (err) {
	case RAFT_OK: return "OK";
	case RAFT_ENOLEADER: return "ENOLEADER";
	case RAFT_EBUSY: return "EBUSY";
	case RAFT_ETOOBIG: return "ETOOBIG";
	case RAFT_EINVAL: return "EINVAL";
	case RAFT_ENOMEM: return "ENOMEM";
	case RAFT_EUNKNOWN: return "EUNKNOWN";
	case RAFT_ENOTLEADER: return "ENOTLEADER";
	case RAFT_ESTALE: return "ESTALE";
	case RAFT_ELOST: return "ELOST";
	case RAFT_EPENDING: return "EPENDING";
	case RAFT_EEXIST: return "EEXIST";
	case RAFT_EADDRINUSE: return "EADDRINUSE";
	case RAFT_ENOENT: return "ENOENT";
	case RAFT_ENOVOTER: return "ENOVOTER";
	case RAFT_ELEARNER: return "ELEARNER";
	case RAFT_ETRANSFER: return "ETRANSFER";
	}
	return "E?";
}

TRACE_FN const char *role_name(enum raft_role role)
{
	switch (role) {
	case RAFT_FOLLOWER: return "FOLLOWER";
	case RAFT_PRECANDIDATE: return "PRECANDIDATE";
	case RAFT_CANDIDATE: return "CANDIDATE";
	case RAFT_LEADER: return "LEADER";
	}
	return "?";
}

static __printf(4, 5) size_t addf(char *s, size_t n, size_t k,
				   const char *fmt, ...);

/* Ids of @m's members for which @want says yes, as "1,2,3" (or "-"). */
static size_t fmt_ids(char *s, size_t n, size_t k,
		      const struct raft_membership *m, int want)
{
	u32 i;
	bool any = false;

	for (i = 0; i < m->n_members; i++) {
		const struct raft_member *mb = &m->members[i];
		bool yes = want < 0 ? mb->outgoing : mb->role == want;

		if (!yes)
			continue;
		k = addf(s, n, k, "%s%u", any ? "," : "", mb->id);
		if (mb->addr.len)
			k = addf(s, n, k, "@%.*s", mb->addr.len,
				 (const char *)mb->addr.bytes);
		any = true;
	}
	return any ? k : addf(s, n, k, "-");
}

/* "voters=1,2 learners=3", or "joint in=... out=... learners=..." */
TRACE_FN void fmt_conf(char *s, size_t n, const struct raft_membership *m)
{
	size_t k = 0;

	if (m->joint) {
		k = addf(s, n, k, "joint in=");
		k = fmt_ids(s, n, k, m, RAFT_MEMBER_VOTER);
		k = addf(s, n, k, " out=");
		k = fmt_ids(s, n, k, m, -1);
	} else {
		k = addf(s, n, k, "voters=");
		k = fmt_ids(s, n, k, m, RAFT_MEMBER_VOTER);
	}
	k = addf(s, n, k, " learners=");
	fmt_ids(s, n, k, m, RAFT_MEMBER_LEARNER);
}

static void fmt_config_entry(char *s, size_t n, const struct raft_entry *e,
			     u64 idx)
{
	struct raft_membership m;
	char c[96];

	if (raft_config_decode(e->data, e->len, &m))
		snprintf(c, sizeof(c), "invalid");
	else
		fmt_conf(c, sizeof(c), &m);
	snprintf(s, n, "%llu/%llu config %s", (unsigned long long)e->term,
		 (unsigned long long)idx, c);
}

/* "T/I noop", "T/I config ..." or "T/I S.Q \"data\"" into @s. */
TRACE_FN void fmt_entry(char *s, size_t n, const struct raft_entry *e, u64 idx)
{
	char d[T_DATA_MAX + 1];
	u32 i, len = e->len < T_DATA_MAX ? e->len : T_DATA_MAX;

	if (e->type == RAFT_ENTRY_CONFIG) {
		fmt_config_entry(s, n, e, idx);
		return;
	}
	for (i = 0; i < len; i++) {
		u8 c = e->data[i];

		d[i] = c > ' ' && c < 127 && c != '"' ? c : '.';
	}
	d[len] = 0;
	if (e->len > T_DATA_MAX)
		snprintf(d + len - 3, 4, "...");
	if (e->len > T_DATA_MAX)
		snprintf(s, n, "%llu/%llu s%llu.%llu \"%s\" (%u bytes)",
			 (unsigned long long)e->term, (unsigned long long)idx,
			 (unsigned long long)e->session,
			 (unsigned long long)e->seq, d, e->len);
	else if (e->type == RAFT_ENTRY_NOOP)
		snprintf(s, n, "%llu/%llu noop", (unsigned long long)e->term,
			 (unsigned long long)idx);
	else
		snprintf(s, n, "%llu/%llu s%llu.%llu \"%s\"",
			 (unsigned long long)e->term, (unsigned long long)idx,
			 (unsigned long long)e->session,
			 (unsigned long long)e->seq, d);
}

/* Appends to @s (@n bytes, @k used); stops, marked "...", when full. */
static __printf(4, 5) size_t addf(char *s, size_t n, size_t k,
				   const char *fmt, ...)
{
	va_list ap;
	int r;

	if (k + 4 >= n)
		return k;
	va_start(ap, fmt);
	r = vsnprintf(s + k, n - k, fmt, ap);
	va_end(ap);
	if (r < 0)
		return k;
	if (k + r + 4 < n)
		return k + r;
	memcpy(s + n - 4, "...", 4);
	return n - 1;
}

/* One message on one line (without a newline) into @s. */
TRACE_FN void fmt_msg(char *s, size_t n, const struct raft_msg *m)
{
	const char *name = m->type && m->type <= RAFT_MSG_TIMEOUT_NOW ?
			   msg_names[m->type] : "?";
	size_t k;

	k = addf(s, n, 0, "%u->%u %s term=%llu", m->from, m->to, name,
		 (unsigned long long)m->term);
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		k = addf(s, n, k, " log=%llu/%llu",
			 (unsigned long long)m->vote.last_term,
			 (unsigned long long)m->vote.last_index);
		if (m->vote.transfer)
			k = addf(s, n, k, " transfer");
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		k = addf(s, n, k, " %s",
			 m->vote_resp.granted ? "granted" : "rejected");
		break;
	case RAFT_MSG_APPEND: {
		u32 i;

		k = addf(s, n, k, " prev=%llu/%llu commit=%llu",
			 (unsigned long long)m->append.prev_term,
			 (unsigned long long)m->append.prev_index,
			 (unsigned long long)m->append.commit);
		if (m->append.n_entries)
			k = addf(s, n, k, " [");
		for (i = 0; i < m->append.n_entries && k < n; i++) {
			char e[128];

			fmt_entry(e, sizeof(e), &m->append.entries[i],
				  m->append.prev_index + 1 + i);
			k = addf(s, n, k, "%s%s", i ? ", " : "", e);
		}
		if (m->append.n_entries && k < n)
			k = addf(s, n, k, "]");
		break;
	}
	case RAFT_MSG_APPEND_RESP:
		if (m->append_resp.success)
			k = addf(s, n, k, " ok index=%llu",
				 (unsigned long long)m->append_resp.index);
		else
			k = addf(s, n, k, " reject index=%llu hint=%llu/%llu",
				 (unsigned long long)m->append_resp.index,
				 (unsigned long long)m->append_resp.hint_term,
				 (unsigned long long)m->append_resp.hint_index);
		break;
	case RAFT_MSG_HEARTBEAT:
		k = addf(s, n, k, " commit=%llu",
			 (unsigned long long)m->heartbeat.commit);
		break;
	case RAFT_MSG_PROPOSE:
		k = addf(s, n, k, " s%llu.%llu start=%llu len=%u",
			 (unsigned long long)m->propose.session,
			 (unsigned long long)m->propose.seq,
			 (unsigned long long)m->propose.start,
			 m->propose.len);
		break;
	case RAFT_MSG_PROPOSE_RESP:
		k = addf(s, n, k, " s%llu.%llu %s at=%llu/%llu",
			 (unsigned long long)m->propose_resp.session,
			 (unsigned long long)m->propose_resp.seq,
			 err_name(m->propose_resp.status),
			 (unsigned long long)m->propose_resp.term,
			 (unsigned long long)m->propose_resp.index);
		break;
	}
	if (m->after_persist)
		addf(s, n, k, " (after persist)");
}
