// SPDX-License-Identifier: GPL-2.0
/*
 * raftctl: operate and inspect raftlog instances.
 *
 *   raftctl status [DEV] [--json]      state of every instance (or one)
 *   raftctl append [DEV] [DATA...]     append entries, print their indexes
 *   raftctl tail [DEV] [--from I] [-f] committed entries with their indexes
 *   raftctl create NAME --id N --peers LIST ...   configfs instance
 *   raftctl destroy NAME
 *   raftctl apply FILE... | --all      instances from /etc/raftlog/NAME.conf
 *   raftctl keygen                     a new key: 64 hex digits
 *   raftctl watch [--interval S]       live view
 *   raftctl member list|add|add-learner|promote|remove DEV ...
 *   raftctl transfer DEV [ID]          hand leadership over
 */
#define _GNU_SOURCE
#include "common.h"

#include <linux/raftlog.h>
#include "../kmod/version.h"

#include <arpa/inet.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_INST	32
#define MAX_STATS	48
#define RL_STR_(x)	#x
#define RL_STR(x)	RL_STR_(x)

static const char usage_main[] =
"usage: raftctl COMMAND [ARGS]   (raftctl COMMAND --help for details)\n"
"\n"
"Operate and inspect raftlog, the in-kernel Raft replicated log.\n"
"\n"
"commands:\n"
"  status [DEV] [--json]          role, term, leader, indexes and peers of\n"
"                                 every local instance, or of DEV\n"
"  append [DEV] [DATA...]         append one entry per DATA (or per line of\n"
"                                 stdin); print the log index of each\n"
"  tail [DEV] [--from I] [-f]     print committed entries with their index\n"
"  create NAME --id N --peers L --key-file F | --insecure\n"
"                                 create and enable a configfs instance\n"
"  destroy NAME                   disable and remove a configfs instance\n"
"  apply FILE... | --all          create or update configfs instances from\n"
"                                 /etc/raftlog/NAME.conf files\n"
"  keygen                         print a new random key (64 hex digits)\n"
"  watch [--interval SEC]         live view of all instances (q quits)\n"
"  member list|add|add-learner|promote|remove DEV ...\n"
"                                 list or change the cluster's members\n"
"  transfer DEV [ID]              hand leadership to voter ID (or the most\n"
"                                 up-to-date one)\n"
"\n"
"DEV is an instance name (raftlog, raftlog-n1), its short form (n1) or a\n"
"device path (/dev/raftlog-n1). Without DEV: the instance 'raftlog' if it\n"
"exists, else the only instance.\n"
"\n"
"exit codes: 0 ok, 1 error, 2 usage; append, member and transfer also use\n"
"3 (not committed / refused), 4 (unknown outcome) and 5 (no leader).\n"
"\n"
"raftctl --version prints the version. The manual is raftctl(8); the\n"
"device, sysfs and configfs files are in raftlog(4).\n"
"\n"
"environment: RAFTLOG_SYSFS_ROOT, RAFTLOG_CONFIGFS_ROOT, RAFTLOG_DEV_ROOT\n"
"move /sys/class/raftlog, /sys/kernel/config/raftlog and /dev (for tests),\n"
"RAFTLOG_CONF_DIR moves /etc/raftlog; NO_COLOR turns colour off.\n";

static const char usage_status[] =
"usage: raftctl status [DEV] [--json] [--stats] [--color|--no-color]\n"
"\n"
"Print each instance's id, role, term, leader, vote and log indexes (from\n"
"/sys/class/raftlog), then per instance its peers: address, match and next\n"
"index and lag (meaningful on the leader), and time since last contact.\n"
"\n"
"  --json       one JSON object {\"instances\": [...]} with every sysfs value\n"
"               (missing ones are null) and the stats/ counters\n"
"  -s, --stats  also print the stats/ counters\n"
"  --color, --no-color   force colour on or off (default: on a terminal)\n"
"\n"
"exit: 0 ok, 1 no instance (or DEV not found), 2 usage\n";

static const char usage_append[] =
"usage: raftctl append [-d DEV | DEV] [--json] [--session ID [--seq N]\n"
"                      [--start INDEX]] [DATA...]\n"
"\n"
"Append one entry per DATA argument, or one per line of standard input\n"
"(empty lines skipped) when no DATA is given. Each write blocks until the\n"
"entry is committed by a majority; then its log index is printed, one per\n"
"line. Stops at the first entry that fails.\n"
"\n"
"DEV may be unix:PATH, the client socket of a raftlogd (raftlogd/):\n"
"the same writes, sessions and errors as on the device.\n"
"\n"
"Every entry carries a (session, seq). By default the session is the open\n"
"device's own. With --session, the entries are written under session ID\n"
"(decimal or 0x hex) from seq N on (default 1), so a write whose outcome\n"
"was unknown (exit 4) can be repeated with the same ID, N and DATA, on\n"
"this or another node: it prints the index of the one committed entry and\n"
"never makes a second. --start is a commit index read before the\n"
"session's first write (0, the default, is always safe).\n"
"\n"
"The first argument is taken as DEV when it names an existing instance or\n"
"device; use -d DEV to be explicit, and -- before DATA that starts with -.\n"
"\n"
"  -d, --dev DEV  the instance to write to\n"
"  --json         print {\"index\":N,\"len\":L,\"outcome\":\"committed\"} lines\n"
"  --session ID   write under session ID (see above)\n"
"  --seq N        the first entry's seq in that session (default 1)\n"
"  --start INDEX  the session's start index (default 0)\n"
"\n"
"exit codes:\n"
"  0  every entry committed\n"
"  1  other error (no such device, permission, entry too big, ...)\n"
"  2  usage error\n"
"  3  an entry is known NOT committed (overwritten by a new leader, or\n"
"     refused because the leader was busy): safe to retry\n"
"  4  unknown outcome (timed out, interrupted, the instance stopped, or\n"
"     the session forgot the seq): it may still commit; repeat it under\n"
"     the same --session and --seq to find out\n"
"  5  no leader reachable: the entry was not taken\n";

static const char usage_tail[] =
"usage: raftctl tail [DEV] [--from INDEX] [-f] [-n COUNT] [--json]\n"
"\n"
"Print committed entries, one per line, as INDEX<TAB>DATA (non-printable\n"
"bytes escaped as \\xNN, newline as \\n, backslash as \\\\). Internal no-op\n"
"entries are not shown, so indexes can jump. DEV may be unix:PATH, the\n"
"client socket of a raftlogd.\n"
"\n"
"  --from INDEX   start at log index INDEX (default: the first one kept)\n"
"  -f, --follow   keep waiting for new entries (until Ctrl-C)\n"
"  -n, --count N  stop after N entries\n"
"  --json         one JSON object per line: {\"index\":I,\"len\":L,\"data\":\"..\"}\n"
"\n"
"exit: 0 ok (caught up, or COUNT reached), 1 error, 2 usage\n";

static const char usage_create[] =
"usage: raftctl create NAME --id N --peers LIST --key-file FILE [options]\n"
"       raftctl create NAME --id N --peers LIST --insecure [options]\n"
"\n"
"Create the configfs instance NAME (device /dev/raftlog-NAME), set its\n"
"parameters and enable it. Its UDP socket lives in the network namespace\n"
"raftctl runs in. On any error the half-made instance is removed again.\n"
"\n"
"  --id N                    this node's id (one of the ids in LIST)\n"
"  --peers LIST              ID@ADDR:PORT,... e.g.\n"
"                            1@10.0.0.1:7070,2@10.0.0.2:7070,3@[fd00::3]:7070\n"
"  --key-file FILE           the cluster's key: FILE holds 64 hex digits\n"
"                            (raftctl keygen), or logon:DESC / user:DESC, a\n"
"                            key in the kernel keyring; FILE must not be\n"
"                            readable by group or others (chmod 600)\n"
"  --key2-file FILE          a second key, accepted too (key rotation)\n"
"  --insecure                no key: datagrams are not authenticated\n"
"  --data-dir DIR            keep term, vote and log in DIR (durable)\n"
"  --election-timeout-ms MS  low end of the random election timeout\n"
"  --heartbeat-ms MS         leader heartbeat interval\n"
"  --cluster-id N            packets of other cluster ids are dropped\n"
"  --commit-timeout-ms MS    how long a write waits before -ETIMEDOUT\n"
"  --max-datagram BYTES      largest datagram sent (default 1400)\n"
"  --join                    the node joins a running cluster: LIST is the\n"
"                            cluster's current members with this node among\n"
"                            them (as 'raftctl member add' prints it); it\n"
"                            does not campaign until it is a voter\n"
"  --no-enable               set parameters but leave it disabled (then\n"
"                            neither --key-file nor --insecure is needed)\n"
"  --netns NS                enable it inside network namespace NS (a name\n"
"                            from /run/netns, or a path such as\n"
"                            /proc/PID/ns/net). Use this rather than\n"
"                            'ip netns exec', which remounts /sys and so\n"
"                            hides configfs.\n"
"\n"
"exit: 0 ok, 1 error (the kernel log says which parameter and why), 2 usage\n";

static const char usage_keygen[] =
"usage: raftctl keygen\n"
"\n"
"Print a new key for a cluster: 32 random bytes from getrandom(2) as 64\n"
"hex digits and a newline, nothing else. Every node of a cluster needs\n"
"the same key; keep it in a file only root can read:\n"
"\n"
"  (umask 077; raftctl keygen > /etc/raftlog/main.key)\n"
"\n"
"exit: 0 ok, 1 error, 2 usage\n";

static const char usage_destroy[] =
"usage: raftctl destroy NAME\n"
"\n"
"Disable the configfs instance NAME (blocked readers and writers get an\n"
"error) and remove it.\n"
"\n"
"exit: 0 ok, 1 error, 2 usage\n";

static const char usage_apply[] =
"usage: raftctl apply [--check] [--restart] FILE...\n"
"       raftctl apply [--check] [--restart] --all\n"
"\n"
"Create or update configfs instances from files, one instance per file:\n"
"FILE is NAME.conf for the instance NAME (device /dev/raftlog-NAME);\n"
"--all takes every /etc/raftlog/*.conf. Each line is KEY = VALUE; blank\n"
"lines and lines starting with # are ignored. Keys:\n"
"\n"
"  id = N                    this node's id, one of those in peers (required)\n"
"  peers = ID@ADDR:PORT,...  every node, IPv4 or [IPv6] (required)\n"
"  data_dir = DIR            term, vote and log kept in DIR (made 0700 if\n"
"                            missing); default: memory only\n"
"  election_timeout_ms = MS  default 150\n"
"  heartbeat_ms = MS         default 50\n"
"  commit_timeout_ms = MS    default 5000\n"
"  cluster_id = N            default 0\n"
"  key_file = PATH           a file holding 64 hex digits (raftctl keygen),\n"
"                            or logon:DESC or user:DESC; written to the\n"
"                            attribute 'key'. Mode 0600: a file that group\n"
"                            or others may read or write is refused\n"
"  key2_file = PATH          the same for 'key2', the second key accepted\n"
"                            during a rotation (only with key_file)\n"
"  insecure = 0|1            written to the attribute 'insecure'; one of\n"
"                            key_file and insecure = 1 is required\n"
"  max_datagram = BYTES      largest datagram sent, default 1400\n"
"  join = 0|1                1: a node joining a running cluster (peers:\n"
"                            its current members); default 0\n"
"  netns = NS                enable it inside network namespace NS\n"
"  enabled = 0|1             default 1\n"
"\n"
"key_file, key2_file, insecure, max_datagram and join are used only when\n"
"the running module has those attributes (raftctl says so when it has\n"
"not); a key file not given clears its attribute. A key omitted falls\n"
"back to its default. Every file is checked before anything changes: one\n"
"bad file (its name and line are printed) and nothing is changed. An instance\n"
"that already matches its file is left alone, so apply can run again and\n"
"again; one that differs is disabled, updated and enabled again (on an\n"
"error the old settings are put back). The keys are write-only and the\n"
"network namespace cannot be read back: after changing only those, use\n"
"--restart. Instances without a file are left alone.\n"
"\n"
"  -a, --all     every *.conf in /etc/raftlog (RAFTLOG_CONF_DIR)\n"
"  -n, --check   only check the files, change nothing\n"
"  --restart     disable, rewrite and enable even instances that match\n"
"\n"
"exit: 0 ok, 1 a file refused or an instance failed, 2 usage\n";

static const char usage_watch[] =
"usage: raftctl watch [--interval SEC] [--iterations N] [--color|--no-color]\n"
"\n"
"Redraw the status of every instance every SEC seconds (default 1), with\n"
"the commit rate and the last role, term and leader changes seen between\n"
"frames. q or Ctrl-C quits. When standard output is not a\n"
"terminal, frames are printed one after another without escape codes.\n"
"\n"
"  -i, --interval SEC   refresh period (default 1, may be fractional)\n"
"  -n, --iterations N   stop after N frames\n"
"\n"
"exit: 0 ok, 1 error, 2 usage\n";

/* ---- instance state from sysfs --------------------------------------- */

struct peer_state {
	long long id, match, next, contact;
	char address[96];
};

struct inst_state {
	char name[RL_NAME_MAX];
	char role[24];
	long long id, term, leader, voted_for, commit, last, last_term, first;
	long long eto, hb, max_entry, cto, cluster, failed;
	char address[96];
	int npeers, nstats;
	struct peer_state peers[RAFTLOG_MAX_NODES];
	char stat_name[MAX_STATS][48];
	long long stat_val[MAX_STATS];
};

static int cmp_ll(const void *a, const void *b)
{
	const struct peer_state *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void read_peers(struct inst_state *s)
{
	char dir[RL_PATH_MAX], sub[128];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s/peers", rl_sysfs_root(), s->name);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && s->npeers < RAFTLOG_MAX_NODES) {
		struct peer_state *p = &s->peers[s->npeers];
		unsigned long long id;

		if (rl_parse_u64(de->d_name, &id))
			continue;
		p->id = (long long)id;
		snprintf(sub, sizeof(sub), "peers/%lld/address", p->id);
		if (rl_read_attr(s->name, sub, p->address, sizeof(p->address)))
			strcpy(p->address, "?");
		snprintf(sub, sizeof(sub), "peers/%lld/match_index", p->id);
		p->match = rl_read_num(s->name, sub);
		snprintf(sub, sizeof(sub), "peers/%lld/next_index", p->id);
		p->next = rl_read_num(s->name, sub);
		snprintf(sub, sizeof(sub), "peers/%lld/last_contact_ms", p->id);
		p->contact = rl_read_num(s->name, sub);
		/* 0xffffffff in the ioctl means "never"; sysfs may say so too */
		if (p->contact >= 0xffffffffLL)
			p->contact = -1;
		s->npeers++;
	}
	closedir(d);
	qsort(s->peers, s->npeers, sizeof(s->peers[0]), cmp_ll);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void read_stats(struct inst_state *s)
{
	char dir[RL_PATH_MAX], names[MAX_STATS][48], sub[80];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s/stats", rl_sysfs_root(), s->name);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && n < MAX_STATS) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= 48)
			continue;
		strcpy(names[n++], de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (int i = 0; i < n; i++) {
		long long v;

		snprintf(sub, sizeof(sub), "stats/%.47s", names[i]);
		v = rl_read_num(s->name, sub);
		strcpy(s->stat_name[s->nstats], names[i]);
		s->stat_val[s->nstats++] = v;
	}
}

/* Returns 0, or -1 if the instance directory does not exist. */
static int read_state(const char *name, struct inst_state *s)
{
	char dir[RL_PATH_MAX];
	struct stat st;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(dir, sizeof(dir), "%s/%s", rl_sysfs_root(), name);
	if (stat(dir, &st))
		return -1;
	if (rl_read_attr(name, "role", s->role, sizeof(s->role)))
		strcpy(s->role, "?");
	s->id = rl_read_num(name, "id");
	s->term = rl_read_num(name, "term");
	s->leader = rl_read_num(name, "leader");
	s->voted_for = rl_read_num(name, "voted_for");
	s->commit = rl_read_num(name, "commit_index");
	s->last = rl_read_num(name, "last_index");
	s->last_term = rl_read_num(name, "last_term");
	s->first = rl_read_num(name, "first_index");
	s->eto = rl_read_num(name, "election_timeout_ms");
	s->hb = rl_read_num(name, "heartbeat_ms");
	s->max_entry = rl_read_num(name, "max_entry_size");
	s->cto = rl_read_num(name, "commit_timeout_ms");
	s->cluster = rl_read_num(name, "cluster_id");
	s->failed = rl_read_num(name, "failed");
	if (rl_read_attr(name, "address", s->address, sizeof(s->address)))
		s->address[0] = '\0';
	read_peers(s);
	read_stats(s);
	return 0;
}

/* ---- rendering ------------------------------------------------------- */

#define C_RESET	"\033[0m"
#define C_BOLD	"\033[1m"
#define C_DIM	"\033[2m"
#define C_RED	"\033[31m"
#define C_GREEN	"\033[32m"
#define C_YELLOW "\033[33m"

static int color;

static const char *col(const char *c)
{
	return color ? c : "";
}

static const char *role_color(const char *role)
{
	if (!strcmp(role, "leader"))
		return C_BOLD C_GREEN;
	if (!strcmp(role, "candidate") || !strcmp(role, "precandidate"))
		return C_YELLOW;
	if (!strcmp(role, "follower"))
		return "";
	return C_RED;
}

/* A number in a fixed-width column, or "-" when unknown. */
static void num(FILE *f, int width, long long v)
{
	if (v < 0)
		fprintf(f, "%*s", width, "-");
	else
		fprintf(f, "%*lld", width, v);
}

static void print_instances(FILE *f, struct inst_state *s, int n,
			    const double *rate)
{
	fprintf(f, "%s%-18s %4s  %-12s %6s %6s %5s %9s %9s %7s %7s",
		col(C_BOLD), "INSTANCE", "ID", "ROLE", "TERM", "LEADER",
		"VOTED", "COMMIT", "LAST", "LTERM", "FIRST");
	if (rate)
		fprintf(f, " %9s", "COMMIT/S");
	fprintf(f, "%s\n", col(C_RESET));
	for (int i = 0; i < n; i++) {
		fprintf(f, "%-18s ", s[i].name);
		num(f, 4, s[i].id);
		fprintf(f, "  %s%-12s%s ", col(role_color(s[i].role)),
			s[i].role, col(C_RESET));
		num(f, 6, s[i].term);
		fputc(' ', f);
		if (s[i].leader == 0)
			fprintf(f, "%6s", "none");
		else
			num(f, 6, s[i].leader);
		fputc(' ', f);
		if (s[i].voted_for == 0)
			fprintf(f, "%5s", "-");
		else
			num(f, 5, s[i].voted_for);
		fputc(' ', f);
		num(f, 9, s[i].commit);
		fputc(' ', f);
		num(f, 9, s[i].last);
		fputc(' ', f);
		num(f, 7, s[i].last_term);
		fputc(' ', f);
		num(f, 7, s[i].first);
		if (rate) {
			if (rate[i] < 0)
				fprintf(f, " %9s", "-");
			else
				fprintf(f, " %9.1f", rate[i]);
		}
		fputc('\n', f);
	}
}

static void print_peers(FILE *f, const struct inst_state *s)
{
	int leader = !strcmp(s->role, "leader");

	fprintf(f, "\n%s%s%s (id ", col(C_BOLD), s->name, col(C_RESET));
	num(f, 0, s->id);
	fprintf(f, ", %s%s%s, term ", col(role_color(s->role)), s->role,
		col(C_RESET));
	num(f, 0, s->term);
	if (s->address[0])
		fprintf(f, ", at %s", s->address);
	fprintf(f, ")%s\n", leader ? "" : "  match/next/lag are tracked by the leader");
	if (s->failed > 0)
		fprintf(f, "  %sOUT OF SERVICE: storage failed (see the kernel log)%s\n",
			col(C_BOLD C_RED), col(C_RESET));
	if (!s->npeers) {
		fprintf(f, "  no peers listed\n");
		return;
	}
	fprintf(f, "  %s%4s  %-30s %9s %9s %7s  %s%s\n", col(C_DIM), "PEER",
		"ADDRESS", "MATCH", "NEXT", "LAG", "LAST CONTACT",
		col(C_RESET));
	for (int i = 0; i < s->npeers; i++) {
		const struct peer_state *p = &s->peers[i];

		fprintf(f, "  %4lld  %-30s ", p->id, p->address);
		num(f, 9, leader ? p->match : -1);
		fputc(' ', f);
		num(f, 9, leader ? p->next : -1);
		fputc(' ', f);
		num(f, 7, leader && p->match >= 0 && s->last >= p->match ?
			  s->last - p->match : -1);
		if (p->contact < 0)
			fprintf(f, "  never\n");
		else
			fprintf(f, "  %lld ms ago\n", p->contact);
	}
}

static void print_stats(FILE *f, const struct inst_state *s)
{
	if (!s->nstats)
		return;
	fprintf(f, "  %sstats%s", col(C_DIM), col(C_RESET));
	for (int i = 0; i < s->nstats; i++) {
		fprintf(f, "%s%s=", i % 4 ? "  " : "\n    ", s->stat_name[i]);
		num(f, 0, s->stat_val[i]);
	}
	fputc('\n', f);
}

static void json_num(FILE *f, const char *key, long long v, int comma)
{
	if (v < 0)
		fprintf(f, "\"%s\":null", key);
	else
		fprintf(f, "\"%s\":%lld", key, v);
	if (comma)
		fputc(',', f);
}

static void print_json(FILE *f, struct inst_state *s, int n)
{
	char path[RL_PATH_MAX];

	fputs("{\"instances\":[", f);
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s{\"name\":", i ? "," : "");
		rl_json_str(f, s[i].name, strlen(s[i].name));
		snprintf(path, sizeof(path), "%s/%s", rl_dev_root(), s[i].name);
		fputs(",\"device\":", f);
		rl_json_str(f, path, strlen(path));
		fputc(',', f);
		json_num(f, "id", s[i].id, 1);
		fputs("\"role\":", f);
		rl_json_str(f, s[i].role, strlen(s[i].role));
		fputc(',', f);
		json_num(f, "term", s[i].term, 1);
		json_num(f, "leader", s[i].leader, 1);
		json_num(f, "voted_for", s[i].voted_for, 1);
		json_num(f, "commit_index", s[i].commit, 1);
		json_num(f, "last_index", s[i].last, 1);
		json_num(f, "last_term", s[i].last_term, 1);
		json_num(f, "first_index", s[i].first, 1);
		json_num(f, "election_timeout_ms", s[i].eto, 1);
		json_num(f, "heartbeat_ms", s[i].hb, 1);
		json_num(f, "max_entry_size", s[i].max_entry, 1);
		json_num(f, "commit_timeout_ms", s[i].cto, 1);
		json_num(f, "cluster_id", s[i].cluster, 1);
		fprintf(f, "\"failed\":%s,\"address\":",
			s[i].failed < 0 ? "null" : s[i].failed ? "true" : "false");
		if (s[i].address[0])
			rl_json_str(f, s[i].address, strlen(s[i].address));
		else
			fputs("null", f);
		fputc(',', f);
		fputs("\"peers\":[", f);
		for (int j = 0; j < s[i].npeers; j++) {
			const struct peer_state *p = &s[i].peers[j];

			fprintf(f, "%s{\"id\":%lld,\"address\":", j ? "," : "",
				p->id);
			rl_json_str(f, p->address, strlen(p->address));
			fputc(',', f);
			json_num(f, "match_index", p->match, 1);
			json_num(f, "next_index", p->next, 1);
			json_num(f, "lag", !strcmp(s[i].role, "leader") &&
				 p->match >= 0 && s[i].last >= p->match ?
				 s[i].last - p->match : -1, 1);
			json_num(f, "last_contact_ms", p->contact, 0);
			fputc('}', f);
		}
		fputs("],\"stats\":{", f);
		for (int j = 0; j < s[i].nstats; j++) {
			fputs(j ? "," : "", f);
			rl_json_str(f, s[i].stat_name[j],
				    strlen(s[i].stat_name[j]));
			if (s[i].stat_val[j] < 0)
				fputs(":null", f);
			else
				fprintf(f, ":%lld", s[i].stat_val[j]);
		}
		fputs("}}", f);
	}
	fputs("]}\n", f);
}

/*
 * Collect the state of @one (or every instance). Returns the count, or -1
 * after printing why.
 */
static int collect(const char *one, struct inst_state *s, int max)
{
	char names[MAX_INST][RL_NAME_MAX], path[RL_PATH_MAX], name[RL_NAME_MAX];
	int n;

	if (one) {
		if (rl_resolve(one, path, sizeof(path), name, sizeof(name)))
			return -1;
		if (read_state(name, &s[0])) {
			fprintf(stderr, "raftctl: no instance '%s' in %s\n",
				name, rl_sysfs_root());
			return -1;
		}
		return 1;
	}
	n = rl_list_instances(names, MAX_INST);
	if (n < 0) {
		fprintf(stderr,
			"raftctl: %s: %s (is the raftlog module loaded?)\n",
			rl_sysfs_root(), strerror(errno));
		return -1;
	}
	if (n > max)
		n = max;
	int k = 0;

	for (int i = 0; i < n; i++)
		if (!read_state(names[i], &s[k]))
			k++;
	return k;
}

/* ---- common option handling ------------------------------------------ */

enum { OPT_JSON = 1000, OPT_COLOR, OPT_NO_COLOR, OPT_FROM, OPT_ID, OPT_PEERS,
	OPT_DATA_DIR, OPT_ETO, OPT_HB, OPT_CLUSTER, OPT_CTO, OPT_NO_ENABLE,
	OPT_NETNS, OPT_RESTART, OPT_SESSION, OPT_SEQ, OPT_START, OPT_KEY_FILE,
	OPT_KEY2_FILE, OPT_INSECURE, OPT_JOIN, OPT_MAX_DGRAM };

static int usage_err(const char *cmd, const char *msg)
{
	fprintf(stderr, "raftctl %s: %s\n(see 'raftctl %s --help')\n", cmd,
		msg, cmd);
	return RL_EXIT_USAGE;
}

static int help(const char *text)
{
	fputs(text, stdout);
	return RL_EXIT_OK;
}

/* ---- status ---------------------------------------------------------- */

static int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "stats", no_argument, NULL, 's' },
		{ "color", no_argument, NULL, OPT_COLOR },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct inst_state s[MAX_INST];
	int json = 0, stats = 0, force = -1, c, n;

	while ((c = getopt_long(argc, argv, "hs", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return help(usage_status);
		case 's':
			stats = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case OPT_COLOR:
			force = 1;
			break;
		case OPT_NO_COLOR:
			force = 0;
			break;
		default:
			return usage_err("status", "bad option");
		}
	}
	if (argc - optind > 1)
		return usage_err("status", "at most one DEV");
	n = collect(optind < argc ? argv[optind] : NULL, s, MAX_INST);
	if (n < 0)
		return RL_EXIT_ERROR;
	if (json) {
		print_json(stdout, s, n);
		return RL_EXIT_OK;
	}
	if (n == 0) {
		fprintf(stderr,
			"raftctl: no raftlog instance (load the module with id= and peers=, or 'raftctl create')\n");
		return RL_EXIT_ERROR;
	}
	color = rl_use_color(stdout, force);
	print_instances(stdout, s, n, NULL);
	for (int i = 0; i < n; i++) {
		print_peers(stdout, &s[i]);
		if (stats)
			print_stats(stdout, &s[i]);
	}
	return RL_EXIT_OK;
}

/* ---- opening the device ---------------------------------------------- */

static int open_dev(const char *arg, int flags, char *path, size_t plen)
{
	char name[RL_NAME_MAX];
	int fd;

	if (rl_is_daemon(arg))
		snprintf(path, plen, "%s", arg);
	else if (rl_resolve(arg, path, plen, name, sizeof(name)))
		return -1;
	fd = rl_dev_open(path, flags);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		fprintf(stderr,
			"raftctl: %s: no such device (see 'raftctl status' for the instances)\n",
			path);
	else if (errno == EACCES || errno == EPERM)
		fprintf(stderr,
			"raftctl: %s: %s (the device is mode 0600: run as root)\n",
			path, strerror(errno));
	else
		fprintf(stderr, "raftctl: %s: %s\n", path, strerror(errno));
	return -1;
}

/* ---- append ---------------------------------------------------------- */

/* Append one entry; prints its index or the error. Returns an exit code. */
static int append_one(int fd, const char *path, const char *data, size_t len,
		      int json, unsigned long nr)
{
	enum rl_outcome o;
	__u64 index = 0;
	ssize_t n;

	n = rl_dev_write(fd, data, len);
	if (n == (ssize_t)len) {
		if (rl_dev_ioctl(fd, RAFTLOG_IOC_LAST_WRITE, &index))
			index = 0;
		if (json)
			printf("{\"index\":%llu,\"len\":%zu,\"outcome\":\"committed\"}\n",
			       (unsigned long long)index, len);
		else if (index)
			printf("%llu\n", (unsigned long long)index);
		else
			printf("?\n");
		fflush(stdout);
		return RL_EXIT_OK;
	}
	if (n >= 0) {
		fprintf(stderr, "raftctl: %s: short write (%zd of %zu bytes)\n",
			path, n, len);
		return RL_EXIT_ERROR;
	}
	o = rl_classify(errno);
	fprintf(stderr, "raftctl: %s: entry %lu (%zu bytes): %s: %s\n", path, nr,
		len, rl_outcome_str(o), strerror(errno));
	if (errno == EMSGSIZE)
		fprintf(stderr, "raftctl: the limit is in max_entry_size in sysfs\n");
	else if (errno == ESHUTDOWN)
		fprintf(stderr, "raftctl: the instance is disabled\n");
	else if (errno == EIO)
		fprintf(stderr, "raftctl: the node is out of service (storage error? see dmesg)\n");
	if (json) {
		static const char *const jo[RL_OUT_MAX] = {
			"committed", "not_committed", "unknown", "no_leader",
			"error" };

		printf("{\"index\":null,\"len\":%zu,\"outcome\":\"%s\",\"error\":",
		       len, jo[o]);
		rl_json_str(stdout, strerror(errno), strlen(strerror(errno)));
		printf("}\n");
	}
	return rl_outcome_exit(o);
}

/* A u64 option value: decimal or 0x hex, the whole string. */
static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

/* Names the session of @fd (RAFTLOG_IOC_SET_SESSION). */
static int set_session(int fd, const char *path,
		       const struct raftlog_session *s)
{
	if (!rl_dev_ioctl(fd, RAFTLOG_IOC_SET_SESSION, (void *)s))
		return RL_EXIT_OK;
	fprintf(stderr, "raftctl: %s: cannot set session 0x%llx seq %llu: %s\n",
		path, (unsigned long long)s->id,
		(unsigned long long)s->next_seq, strerror(errno));
	return RL_EXIT_ERROR;
}

static int cmd_append(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "session", required_argument, NULL, OPT_SESSION },
		{ "seq", required_argument, NULL, OPT_SEQ },
		{ "start", required_argument, NULL, OPT_START },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct raftlog_session sess = { .next_seq = 1 };
	unsigned long long v;
	const char *dev = NULL;
	char path[RL_PATH_MAX];
	unsigned long nr = 0;
	int json = 0, c, fd, rc = RL_EXIT_OK, seq_given = 0;

	/* "+": DATA may look like options only after "--"; stop at the first */
	while ((c = getopt_long(argc, argv, "+hd:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return help(usage_append);
		case 'd':
			dev = optarg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case OPT_SESSION:
			if (parse_u64(optarg, &v) || !v)
				return usage_err("append", "--session takes a non-zero number");
			sess.id = v;
			break;
		case OPT_SEQ:
			if (parse_u64(optarg, &v) || !v)
				return usage_err("append", "--seq takes a number >= 1");
			sess.next_seq = v;
			seq_given = 1;
			break;
		case OPT_START:
			if (parse_u64(optarg, &v))
				return usage_err("append", "--start takes an index");
			sess.start_index = v;
			break;
		default:
			return usage_err("append", "bad option");
		}
	}
	if (!sess.id && (seq_given || sess.start_index))
		return usage_err("append", "--seq and --start need --session");
	if (!dev && optind < argc && rl_exists(argv[optind]))
		dev = argv[optind++];
	for (int i = optind; i < argc; i++)
		if (!argv[i][0])
			return usage_err("append", "empty DATA (an entry needs at least one byte)");
	fd = open_dev(dev, O_WRONLY, path, sizeof(path));
	if (fd < 0)
		return RL_EXIT_ERROR;
	if (sess.id && set_session(fd, path, &sess)) {
		rl_dev_close(fd);
		return RL_EXIT_ERROR;
	}
	if (optind < argc) {
		for (int i = optind; i < argc && rc == RL_EXIT_OK; i++)
			rc = append_one(fd, path, argv[i], strlen(argv[i]),
					json, ++nr);
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		while (rc == RL_EXIT_OK &&
		       (len = getline(&line, &cap, stdin)) >= 0) {
			if (len && line[len - 1] == '\n')
				len--;
			if (!len)
				continue;
			rc = append_one(fd, path, line, len, json, ++nr);
		}
		free(line);
	}
	rl_dev_close(fd);
	return rc;
}

/* ---- tail ------------------------------------------------------------ */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int cmd_tail(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "follow", no_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long long from = 0, count = 0, shown = 0;
	struct raftlog_status st;
	char path[RL_PATH_MAX];
	size_t cap = 65536;
	int json = 0, follow = 0, c, fd, rc = RL_EXIT_OK;
	char *buf;

	while ((c = getopt_long(argc, argv, "hfn:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return help(usage_tail);
		case 'f':
			follow = 1;
			break;
		case 'n':
			if (rl_parse_u64(optarg, &count) || !count)
				return usage_err("tail", "--count needs a number > 0");
			break;
		case OPT_FROM:
			if (rl_parse_u64(optarg, &from) || !from)
				return usage_err("tail", "--from needs a log index >= 1");
			break;
		case OPT_JSON:
			json = 1;
			break;
		default:
			return usage_err("tail", "bad option");
		}
	}
	if (argc - optind > 1)
		return usage_err("tail", "at most one DEV");
	fd = open_dev(optind < argc ? argv[optind] : NULL, O_RDONLY | O_NONBLOCK,
		      path, sizeof(path));
	if (fd < 0)
		return RL_EXIT_ERROR;
	memset(&st, 0, sizeof(st));
	if (rl_dev_ioctl(fd, RAFTLOG_IOC_STATUS, &st) == 0 && st.max_entry_size)
		cap = st.max_entry_size;
	if (!from)
		from = st.first_index ? st.first_index : 1;
	if (rl_dev_lseek(fd, (off_t)from, SEEK_SET) < 0) {
		fprintf(stderr, "raftctl: %s: cannot start at index %llu: %s\n",
			path, from, strerror(errno));
		rl_dev_close(fd);
		return RL_EXIT_ERROR;
	}
	/* raftlogd's socket has no poll for commits: a blocking read waits */
	if (follow)
		rl_dev_set_nonblock(fd, 0);
	buf = malloc(cap);
	if (!buf) {
		rl_dev_close(fd);
		return RL_EXIT_ERROR;
	}
	catch_signals();
	while (!stop && (!count || shown < count)) {
		ssize_t n = rl_dev_read(fd, buf, cap);

		if (n > 0) {
			off_t pos = rl_dev_lseek(fd, 0, SEEK_CUR);
			long long idx = pos > 0 ? (long long)pos - 1 : -1;

			if (json) {
				printf("{\"index\":%lld,\"len\":%zd,\"data\":",
				       idx, n);
				rl_json_str(stdout, buf, n);
				fputs("}\n", stdout);
			} else {
				printf("%lld\t", idx);
				rl_print_escaped(stdout, buf, n);
				fputc('\n', stdout);
			}
			if (follow)
				fflush(stdout);
			shown++;
			continue;
		}
		if (n == 0)
			break;	/* the instance went away */
		if (errno == EINTR)
			continue;
		if (errno == EMSGSIZE && cap < (64u << 20)) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
			continue;
		}
		if (errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (!follow)
				break;
			if (poll(&p, 1, -1) < 0 && errno != EINTR) {
				fprintf(stderr, "raftctl: poll: %s\n",
					strerror(errno));
				rc = RL_EXIT_ERROR;
				break;
			}
			if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
				fprintf(stderr, "raftctl: %s: device gone\n",
					path);
				rc = RL_EXIT_ERROR;
				break;
			}
			continue;
		}
		if (errno == ESHUTDOWN)
			fprintf(stderr, "raftctl: %s: the instance was disabled\n",
				path);
		else
			fprintf(stderr, "raftctl: %s: read: %s\n", path,
				strerror(errno));
		rc = RL_EXIT_ERROR;
		break;
	}
	fflush(stdout);
	free(buf);
	rl_dev_close(fd);
	return rc;
}

/* ---- create / destroy / apply: configfs instances --------------------- */

static int valid_name(const char *n)
{
	size_t len = strlen(n);

	if (!len || len > 32 || n[0] == '.' || n[0] == '-')
		return 0;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && !strchr("_.-", *n))
			return 0;
	return 1;
}

static int configfs_missing(void)
{
	struct stat st;

	if (stat(rl_configfs_root(), &st) == 0)
		return 0;
	fprintf(stderr, "raftctl: %s: %s\n", rl_configfs_root(),
		strerror(errno));
	if (stat("/sys/kernel/config", &st) == 0 &&
	    !getenv("RAFTLOG_CONFIGFS_ROOT"))
		fprintf(stderr,
			"raftctl: is configfs mounted (mount -t configfs none /sys/kernel/config) and raftlog loaded?\n"
			"raftctl: under 'ip netns exec' it is hidden: use 'raftctl create --netns NS' instead\n");
	return 1;
}

/* A fake configfs tree (RAFTLOG_CONFIGFS_ROOT): attributes are plain files. */
static int fake_configfs(void)
{
	return !!getenv("RAFTLOG_CONFIGFS_ROOT");
}

/*
 * Open network namespace @ns (a name in /run/netns, or a path such as
 * /proc/PID/ns/net). Returns the fd, or -1 after saying why.
 */
static int open_netns(const char *ns, const char *who)
{
	char path[RL_PATH_MAX];
	int fd;

	if (strchr(ns, '/'))
		snprintf(path, sizeof(path), "%s", ns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && !strchr(ns, '/')) {
		snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		fprintf(stderr, "raftctl: %snetwork namespace %s: %s: %s\n",
			who, ns, path, strerror(errno));
	return fd;
}

/*
 * Write @val to @file from inside network namespace @nsfd (-1: this one),
 * then come back: an instance's socket is made in the namespace of
 * whoever writes "enabled". Only the network namespace changes, so
 * configfs stays where it was.
 */
static int write_in_netns(int nsfd, const char *file, const char *val)
{
	int self, err, back = 0;

	if (nsfd < 0)
		return rl_write_file(file, val, fake_configfs());
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	if (setns(nsfd, CLONE_NEWNET)) {
		err = -errno;
		close(self);
		return err;
	}
	err = rl_write_file(file, val, fake_configfs());
	if (setns(self, CLONE_NEWNET))
		back = -errno;
	close(self);
	return err ? err : back;
}

struct param {
	const char *attr;
	const char *val;
	int secret;		/* never printed */
};

#define KEY_TEXT_MAX	256

/*
 * Read the key file @path into @out: one line, either 64 hex digits (the
 * secret itself) or a kernel keyring reference logon:DESC / user:DESC,
 * the whitespace around it dropped. It must be a regular file that
 * neither group nor others may read or write (checked before it is read).
 * Returns NULL, or why not (printed after the path); @out is wiped then.
 */
static const char *load_key_file(const char *path, char *out, size_t size)
{
	static char why[160];
	const char *err = NULL;
	struct stat st;
	char *s, *e;
	ssize_t n;
	int fd;

	out[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return strerror(errno);
	if (fstat(fd, &st)) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		close(fd);
		return why;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return "not a regular file";
	}
	if (st.st_mode & 077) {
		close(fd);
		snprintf(why, sizeof(why),
			 "mode %04o lets group or others %s it: refused (chmod 600 it)",
			 (unsigned int)(st.st_mode & 07777),
			 st.st_mode & 044 ? "read" : "write");
		return why;
	}
	n = read(fd, out, size - 1);
	if (n < 0)
		snprintf(why, sizeof(why), "%s", strerror(errno));
	close(fd);
	if (n < 0)
		return why;
	out[n] = '\0';
	for (s = out; isspace((unsigned char)*s); s++)
		;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	memmove(out, s, e - s + 1);
	if ((size_t)n == size - 1) {
		err = "too long for a key";
	} else if (!strncmp(out, "logon:", 6) || !strncmp(out, "user:", 5)) {
		const char *d = strchr(out, ':') + 1;

		if (!*d || strpbrk(d, " \t\r\n"))
			err = "a keyring reference is logon:DESC or user:DESC, one line";
	} else if (strlen(out) != 64 ||
		   strspn(out, "0123456789abcdefABCDEF") != 64) {
		err = "expected 64 hex digits (raftctl keygen makes them) or logon:DESC / user:DESC";
	}
	if (err)
		explicit_bzero(out, size);
	return err;
}

/* Write one attribute of the instance in @dir ("enabled" inside @nsfd). */
static int write_param(const char *dir, const struct param *p, int nsfd)
{
	char file[RL_PATH_MAX + 32];

	snprintf(file, sizeof(file), "%s/%s", dir, p->attr);
	if (!strcmp(p->attr, "enabled") && strcmp(p->val, "0"))
		return write_in_netns(nsfd, file, p->val);
	return rl_write_file(file, p->val, fake_configfs());
}

static void param_error(const char *who, const struct param *p, int err)
{
	fprintf(stderr, "raftctl: %s: %s=%s: %s\n", who, p->attr,
		p->secret ? "(secret)" : p->val, strerror(-err));
}

/* rmdir an instance (in a fake tree, its plain files go first). */
static int remove_instance(const char *dir)
{
	char file[RL_PATH_MAX + 300];

	if (fake_configfs()) {
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%.255s", dir, de->d_name);
			unlink(file);
		}
		if (d)
			closedir(d);
	}
	if (rmdir(dir)) {
		fprintf(stderr, "raftctl: rmdir %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Write @p[0..n) in order ("enabled" last, inside @nsfd) to the new
 * instance NAME in @dir; make_instance mkdirs it first. On any error the
 * half-made instance is removed again. @who prefixes messages. Returns 0
 * or -1.
 */
static int fill_instance(const char *who, const char *name, const char *dir,
			 const struct param *p, int n, int nsfd)
{
	for (int i = 0; i < n; i++) {
		int err = write_param(dir, &p[i], nsfd);

		if (!err)
			continue;
		param_error(who, &p[i], err);
		fprintf(stderr, "raftctl: the kernel log says why (dmesg | tail); removing %s again\n",
			name);
		remove_instance(dir);
		return -1;
	}
	return 0;
}

static int make_instance(const char *who, const char *name,
			 const struct param *p, int n, int nsfd)
{
	char dir[RL_PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/%s", rl_configfs_root(), name);
	if (mkdir(dir, 0755)) {
		fprintf(stderr, "raftctl: %s: %s%s\n", who, strerror(errno),
			errno == EEXIST ? " (destroy it first)" : "");
		return -1;
	}
	return fill_instance(who, name, dir, p, n, nsfd);
}

static int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, OPT_ID },
		{ "peers", required_argument, NULL, OPT_PEERS },
		{ "data-dir", required_argument, NULL, OPT_DATA_DIR },
		{ "election-timeout-ms", required_argument, NULL, OPT_ETO },
		{ "heartbeat-ms", required_argument, NULL, OPT_HB },
		{ "cluster-id", required_argument, NULL, OPT_CLUSTER },
		{ "commit-timeout-ms", required_argument, NULL, OPT_CTO },
		{ "no-enable", no_argument, NULL, OPT_NO_ENABLE },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "key-file", required_argument, NULL, OPT_KEY_FILE },
		{ "key2-file", required_argument, NULL, OPT_KEY2_FILE },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "join", no_argument, NULL, OPT_JOIN },
		{ "max-datagram", required_argument, NULL, OPT_MAX_DGRAM },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct param p[16], all[20];
	const char *id = NULL, *peers = NULL, *name, *netns = NULL;
	const char *keyf = NULL, *key2f = NULL, *why;
	char who[RL_NAME_MAX + 16], key[KEY_TEXT_MAX], key2[KEY_TEXT_MAX];
	unsigned long long v;
	int np = 0, na = 0, enable = 1, insecure = 0, c, nsfd = -1, rc;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		const char *attr = NULL;

		if (np >= 12)
			return usage_err("create", "too many options");
		switch (c) {
		case 'h':
			return help(usage_create);
		case OPT_ID:
			if (rl_parse_u64(optarg, &v) || !v)
				return usage_err("create", "--id needs a number >= 1");
			id = optarg;
			break;
		case OPT_PEERS:
			if (!*optarg || !strchr(optarg, '@'))
				return usage_err("create", "--peers needs ID@ADDR:PORT[,...]");
			peers = optarg;
			break;
		case OPT_DATA_DIR:
			if (optarg[0] != '/')
				return usage_err("create", "--data-dir needs an absolute path");
			p[np++] = (struct param){ "data_dir", optarg, 0 };
			break;
		case OPT_ETO:
			attr = "election_timeout_ms";
			break;
		case OPT_HB:
			attr = "heartbeat_ms";
			break;
		case OPT_CLUSTER:
			attr = "cluster_id";
			break;
		case OPT_CTO:
			attr = "commit_timeout_ms";
			break;
		case OPT_NO_ENABLE:
			enable = 0;
			break;
		case OPT_NETNS:
			netns = optarg;
			break;
		case OPT_KEY_FILE:
			keyf = optarg;
			break;
		case OPT_KEY2_FILE:
			key2f = optarg;
			break;
		case OPT_INSECURE:
			insecure = 1;
			break;
		case OPT_JOIN:
			p[np++] = (struct param){ "join", "1", 0 };
			break;
		case OPT_MAX_DGRAM:
			attr = "max_datagram";
			break;
		default:
			return usage_err("create", "bad option");
		}
		if (attr) {
			if (rl_parse_u64(optarg, &v))
				return usage_err("create", "a number is needed");
			p[np++] = (struct param){ attr, optarg, 0 };
		}
	}
	if (argc - optind != 1)
		return usage_err("create", "needs exactly one NAME");
	name = argv[optind];
	if (!strncmp(name, "raftlog-", 8))
		name += 8;
	if (!valid_name(name))
		return usage_err("create", "NAME: letters, digits, _ . - (up to 32)");
	if (!id || !peers)
		return usage_err("create", "--id and --peers are required");
	if (keyf && insecure)
		return usage_err("create", "--key-file and --insecure exclude each other");
	if (key2f && !keyf)
		return usage_err("create", "--key2-file needs --key-file");
	if (enable && !keyf && !insecure)
		return usage_err("create", "needs --key-file FILE (make the key with 'raftctl keygen') or --insecure");
	if (keyf && (why = load_key_file(keyf, key, sizeof(key)))) {
		fprintf(stderr, "raftctl: create: --key-file %s: %s\n", keyf, why);
		return RL_EXIT_ERROR;
	}
	if (key2f && (why = load_key_file(key2f, key2, sizeof(key2)))) {
		fprintf(stderr, "raftctl: create: --key2-file %s: %s\n", key2f,
			why);
		explicit_bzero(key, sizeof(key));
		return RL_EXIT_ERROR;
	}
	if (keyf)
		p[np++] = (struct param){ "key", key, 1 };
	if (key2f)
		p[np++] = (struct param){ "key2", key2, 1 };
	if (insecure)
		p[np++] = (struct param){ "insecure", "1", 0 };
	rc = RL_EXIT_ERROR;
	if (netns && (nsfd = open_netns(netns, "")) < 0)
		goto out;
	if (configfs_missing())
		goto out;
	/* id and peers first: the other parameters may be checked against them */
	all[na++] = (struct param){ "id", id, 0 };
	all[na++] = (struct param){ "peers", peers, 0 };
	for (int i = 0; i < np; i++)
		all[na++] = p[i];
	if (enable)
		all[na++] = (struct param){ "enabled", "1", 0 };
	snprintf(who, sizeof(who), "create %s", name);
	if (make_instance(who, name, all, na, nsfd))
		goto out;
	rc = RL_EXIT_OK;
	if (enable)
		printf("created and enabled raftlog-%s (node %s%s): %s/raftlog-%s\n",
		       name, id, insecure ? ", insecure" : "", rl_dev_root(),
		       name);
	else
		printf("created raftlog-%s (node %s), disabled: enable with 'echo 1 > %s/%s/enabled'\n",
		       name, id, rl_configfs_root(), name);
out:
	if (nsfd >= 0)
		close(nsfd);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(key2, sizeof(key2));
	return rc;
}

/* A new key: 32 bytes from getrandom(2), as 64 hex digits and a newline. */
static int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const char digits[] = "0123456789abcdef";
	unsigned char k[32];
	char hex[2 * sizeof(k) + 1];
	size_t got = 0, off = 0;
	int c, rc = RL_EXIT_OK;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return help(usage_keygen);
		return usage_err("keygen", "bad option");
	}
	if (optind != argc)
		return usage_err("keygen", "takes no arguments");
	while (got < sizeof(k)) {
		ssize_t n = getrandom(k + got, sizeof(k) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "raftctl: keygen: getrandom: %s\n",
				strerror(errno));
			explicit_bzero(k, sizeof(k));
			return RL_EXIT_ERROR;
		}
		got += n;
	}
	for (size_t i = 0; i < sizeof(k); i++) {
		hex[2 * i] = digits[k[i] >> 4];
		hex[2 * i + 1] = digits[k[i] & 15];
	}
	hex[sizeof(hex) - 1] = '\n';
	/* Straight to the file: no copy left in a stdio buffer. */
	while (off < sizeof(hex)) {
		ssize_t n = write(STDOUT_FILENO, hex + off, sizeof(hex) - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "raftctl: keygen: write: %s\n",
				strerror(errno));
			rc = RL_EXIT_ERROR;
			break;
		}
		off += n;
	}
	explicit_bzero(k, sizeof(k));
	explicit_bzero(hex, sizeof(hex));
	return rc;
}

/* ---- apply: instances from declarative files ------------------------- */

/*
 * One file per instance, /etc/raftlog/NAME.conf: "key = value" lines,
 * blank lines and lines starting with '#'. Every file is read and checked
 * completely before any instance is touched. The defaults are those of
 * kmod/config.h (test-tools.sh compares them).
 */
enum conf_kind { CK_ID, CK_MS, CK_NUM, CK_PEERS, CK_PATH, CK_KEYFILE,
	CK_BOOL, CK_NETNS };

enum { CF_ID, CF_PEERS, CF_DATA_DIR, CF_ETO, CF_HB, CF_CTO, CF_CLUSTER,
	CF_KEY_FILE, CF_KEY2_FILE, CF_INSECURE, CF_MAX_DGRAM, CF_JOIN, CF_NETNS,
	CF_ENABLED, CF_MAX };

static const struct conf_key {
	const char *key;
	const char *attr;	/* configfs attribute, NULL: none */
	enum conf_kind kind;
	const char *def;	/* value when the file does not say */
} conf_keys[CF_MAX] = {
	[CF_ID] = { "id", "id", CK_ID, NULL },
	[CF_PEERS] = { "peers", "peers", CK_PEERS, NULL },
	[CF_DATA_DIR] = { "data_dir", "data_dir", CK_PATH, "" },
	[CF_ETO] = { "election_timeout_ms", "election_timeout_ms", CK_MS, "150" },
	[CF_HB] = { "heartbeat_ms", "heartbeat_ms", CK_MS, "50" },
	[CF_CTO] = { "commit_timeout_ms", "commit_timeout_ms", CK_MS, "5000" },
	[CF_CLUSTER] = { "cluster_id", "cluster_id", CK_NUM, "0" },
	[CF_KEY_FILE] = { "key_file", "key", CK_KEYFILE, NULL },
	[CF_KEY2_FILE] = { "key2_file", "key2", CK_KEYFILE, NULL },
	[CF_INSECURE] = { "insecure", "insecure", CK_BOOL, "0" },
	[CF_MAX_DGRAM] = { "max_datagram", "max_datagram", CK_NUM, "1400" },
	[CF_JOIN] = { "join", "join", CK_BOOL, "0" },
	[CF_NETNS] = { "netns", NULL, CK_NETNS, NULL },
	[CF_ENABLED] = { "enabled", "enabled", CK_BOOL, "1" },
};

#define CONF_VAL_MAX	1100	/* peers: up to 1024 characters */

struct conf {
	char file[RL_PATH_MAX];
	char name[RL_NAME_MAX];
	char val[CF_MAX][CONF_VAL_MAX];
	int line[CF_MAX];	/* 0: not set */
	char key[2][KEY_TEXT_MAX];	/* what key_file, key2_file hold */
	int nsfd;
};

static void conf_err(const struct conf *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void conf_err(const struct conf *c, int line, const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "raftctl: %s:%d: ", c->file, line);
	else
		fprintf(stderr, "raftctl: %s: ", c->file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct peer_addr {
	unsigned long long id;
	int family;
	unsigned char addr[16];
	unsigned long port;
};

static int cmp_peer(const void *a, const void *b)
{
	const struct peer_addr *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * Parse a peer list as the kernel does (ID@IPV4:PORT or ID@[IPV6]:PORT,
 * comma-separated, at most RAFTLOG_MAX_NODES, one family); the nodes come
 * out sorted by id. Returns the count, or -1 with @why set.
 */
static int parse_peers(const char *s, struct peer_addr *out, const char **why)
{
	char buf[CONF_VAL_MAX], *save = NULL, *tok;
	int n = 0;

	if (strlen(s) > 1024) {
		*why = "longer than 1024 characters";
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		struct peer_addr *p = &out[n];
		char *at = strchr(tok, '@'), *host, *colon, *end;

		if (n == RAFTLOG_MAX_NODES) {
			*why = "more than " RL_STR(RAFTLOG_MAX_NODES) " nodes";
			return -1;
		}
		if (!at) {
			*why = "expected ID@ADDRESS:PORT";
			return -1;
		}
		*at = '\0';
		if (rl_parse_u64(tok, &p->id) || !p->id || p->id > 0xffffffffULL) {
			*why = "a node id must be a number from 1 to 4294967295";
			return -1;
		}
		host = at + 1;
		if (*host == '[') {
			colon = strchr(host, ']');
			if (!colon || colon[1] != ':') {
				*why = "expected [IPV6]:PORT";
				return -1;
			}
			*colon = '\0';
			colon++;
			host++;
			p->family = AF_INET6;
		} else {
			colon = strrchr(host, ':');
			if (!colon) {
				*why = "expected IPV4:PORT or [IPV6]:PORT";
				return -1;
			}
			p->family = AF_INET;
		}
		*colon = '\0';
		if (inet_pton(p->family, host, p->addr) != 1) {
			*why = p->family == AF_INET ? "not an IPv4 address" :
						      "not an IPv6 address";
			return -1;
		}
		errno = 0;
		p->port = strtoul(colon + 1, &end, 10);
		if (!isdigit((unsigned char)colon[1]) || *end || errno ||
		    !p->port || p->port > 65535) {
			*why = "the port must be 1 to 65535";
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (out[i].id == p->id) {
				*why = "a node id is listed twice";
				return -1;
			}
			if (out[i].family != p->family) {
				*why = "IPv4 and IPv6 addresses are mixed";
				return -1;
			}
			if (!memcmp(out[i].addr, p->addr, 16) &&
			    out[i].port == p->port) {
				*why = "an address is listed twice";
				return -1;
			}
		}
		n++;
	}
	if (!n) {
		*why = "empty list";
		return -1;
	}
	qsort(out, n, sizeof(out[0]), cmp_peer);
	return n;
}

/* What key_file or key2_file (@k) holds: see load_key_file(). */
static int read_key_file(struct conf *c, int k, int line)
{
	const char *path = c->val[k], *why;
	char *out = c->key[k == CF_KEY2_FILE];

	if (path[0] != '/') {
		conf_err(c, line, "%s: needs an absolute path", conf_keys[k].key);
		return -1;
	}
	why = load_key_file(path, out, sizeof(c->key[0]));
	if (why) {
		conf_err(c, line, "%s %s: %s", conf_keys[k].key, path, why);
		return -1;
	}
	return 0;
}

/* Check one value; @line for messages. */
static int conf_check(struct conf *c, int k, int line)
{
	const char *v = c->val[k], *why;
	struct peer_addr peers[RAFTLOG_MAX_NODES];
	unsigned long long n;

	switch (conf_keys[k].kind) {
	case CK_ID:
		if (rl_parse_u64(v, &n) || !n || n > 0xffffffffULL)
			goto bad_num;
		return 0;
	case CK_MS:
	case CK_NUM:
		if (rl_parse_u64(v, &n) ||
		    (conf_keys[k].kind == CK_MS && (!n || n > 0xffffffffULL)))
			goto bad_num;
		return 0;
	case CK_PEERS:
		if (parse_peers(v, peers, &why) < 0) {
			conf_err(c, line, "peers: %s", why);
			return -1;
		}
		return 0;
	case CK_PATH:
		if (v[0] != '/') {
			conf_err(c, line, "%s: needs an absolute path", conf_keys[k].key);
			return -1;
		}
		if (strlen(v) > 255) {
			conf_err(c, line, "%s: longer than 255 characters", conf_keys[k].key);
			return -1;
		}
		return 0;
	case CK_KEYFILE:
		return read_key_file(c, k, line);
	case CK_BOOL:
		if (strcmp(v, "0") && strcmp(v, "1")) {
			conf_err(c, line, "%s: must be 0 or 1", conf_keys[k].key);
			return -1;
		}
		return 0;
	case CK_NETNS:
		if (!strchr(v, '/') && !valid_name(v)) {
			conf_err(c, line, "netns: a name in /run/netns or an absolute path");
			return -1;
		}
		c->nsfd = open_netns(v, "");
		if (c->nsfd < 0) {
			conf_err(c, line, "netns: %s does not exist", v);
			return -1;
		}
		return 0;
	}
	return 0;
bad_num:
	conf_err(c, line, "%s: '%s' is not a number%s", conf_keys[k].key, v,
		 conf_keys[k].kind == CK_NUM ? "" : " from 1 to 4294967295");
	return -1;
}

static const char *conf_val(const struct conf *c, int k)
{
	return c->line[k] ? c->val[k] : conf_keys[k].def;
}

/* Read and check @file completely. Returns 0, or -1 after saying why. */
static int conf_parse(const char *file, struct conf *c)
{
	struct peer_addr peers[RAFTLOG_MAX_NODES];
	char line[CONF_VAL_MAX + 128], *base, *dot;
	const char *why;
	int lineno = 0, bad = 0, n, i, insecure;
	FILE *f;

	memset(c, 0, sizeof(*c));
	c->nsfd = -1;
	snprintf(c->file, sizeof(c->file), "%s", file);
	base = strrchr(c->file, '/');
	base = base ? base + 1 : c->file;
	snprintf(c->name, sizeof(c->name), "%.*s", (int)sizeof(c->name) - 1,
		 base);
	dot = strrchr(c->name, '.');
	if (dot && !strcmp(dot, ".conf"))
		*dot = '\0';
	if (!strncmp(c->name, "raftlog-", 8))
		memmove(c->name, c->name + 8, strlen(c->name + 8) + 1);
	if (!valid_name(c->name)) {
		conf_err(c, 0, "the instance name '%s' (from the file name) may have letters, digits, _ . - (up to 32)",
			 c->name);
		return -1;
	}
	f = fopen(file, "re");
	if (!f) {
		fprintf(stderr, "raftctl: %s: %s\n", file, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *eq, *key, *val, *end;
		int k;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			conf_err(c, lineno, "line too long");
			bad = 1;
			break;
		}
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			conf_err(c, lineno, "expected KEY = VALUE");
			bad = 1;
			continue;
		}
		key = s;
		for (end = eq; end > key && isspace((unsigned char)end[-1]); end--)
			;
		*end = '\0';
		val = eq + 1;
		while (isspace((unsigned char)*val))
			val++;
		for (end = val + strlen(val); end > val && isspace((unsigned char)end[-1]); end--)
			;
		*end = '\0';
		for (k = 0; k < CF_MAX; k++)
			if (!strcmp(key, conf_keys[k].key))
				break;
		if (k == CF_MAX) {
			conf_err(c, lineno, "unknown key '%s'", key);
			bad = 1;
			continue;
		}
		if (c->line[k]) {
			conf_err(c, lineno, "%s is set twice (first on line %d)",
				 key, c->line[k]);
			bad = 1;
			continue;
		}
		if (!*val) {
			conf_err(c, lineno, "%s: empty value", key);
			bad = 1;
			continue;
		}
		snprintf(c->val[k], sizeof(c->val[k]), "%s", val);
		c->line[k] = lineno;
		if (conf_check(c, k, lineno))
			bad = 1;
	}
	if (ferror(f)) {
		conf_err(c, 0, "read error");
		bad = 1;
	}
	fclose(f);
	if (bad)
		return -1;
	if (!c->line[CF_ID] || !c->line[CF_PEERS]) {
		conf_err(c, 0, "%s is required", c->line[CF_ID] ? "peers" : "id");
		return -1;
	}
	n = parse_peers(c->val[CF_PEERS], peers, &why);
	for (i = 0; i < n; i++) {
		unsigned long long id;

		rl_parse_u64(c->val[CF_ID], &id);
		if (peers[i].id == id)
			break;
	}
	if (i == n) {
		conf_err(c, c->line[CF_ID], "id %s is not one of the ids in peers (line %d)",
			 c->val[CF_ID], c->line[CF_PEERS]);
		return -1;
	}
	insecure = !strcmp(conf_val(c, CF_INSECURE), "1");
	if (c->line[CF_KEY_FILE] && insecure) {
		conf_err(c, c->line[CF_INSECURE], "insecure = 1 and key_file (line %d) exclude each other",
			 c->line[CF_KEY_FILE]);
		return -1;
	}
	if (c->line[CF_KEY2_FILE] && !c->line[CF_KEY_FILE]) {
		conf_err(c, c->line[CF_KEY2_FILE], "key2_file needs key_file");
		return -1;
	}
	if (!c->line[CF_KEY_FILE] && !insecure &&
	    !strcmp(conf_val(c, CF_ENABLED), "1")) {
		conf_err(c, 0, "needs key_file (make the key with 'raftctl keygen') or insecure = 1");
		return -1;
	}
	return 0;
}

/* Does the live attribute text @cur say what @want says? */
static int same_value(int k, const char *cur, const char *want)
{
	struct peer_addr a[RAFTLOG_MAX_NODES], b[RAFTLOG_MAX_NODES];
	unsigned long long x, y;
	const char *why;
	int n, m;

	switch (conf_keys[k].kind) {
	case CK_PEERS:
		n = parse_peers(cur, a, &why);
		m = parse_peers(want, b, &why);
		if (n < 0 || n != m)
			return 0;
		for (int i = 0; i < n; i++)
			if (a[i].id != b[i].id || a[i].family != b[i].family ||
			    a[i].port != b[i].port ||
			    memcmp(a[i].addr, b[i].addr, 16))
				return 0;
		return 1;
	case CK_ID:
	case CK_MS:
	case CK_NUM:
	case CK_BOOL:
		return !rl_parse_u64(cur, &x) && !rl_parse_u64(want, &y) &&
		       x == y;
	default:
		return !strcmp(cur, want);
	}
}

static int has_attr(const char *dir, const char *attr)
{
	char file[RL_PATH_MAX + 32];
	struct stat st;

	snprintf(file, sizeof(file), "%s/%s", dir, attr);
	return stat(file, &st) == 0;
}

/*
 * The attributes @c asks for, in the order they are written: id and peers
 * first (the others may be checked against them), "enabled" last. key and
 * insecure only if this kernel has those attributes.
 */
static int conf_params(const struct conf *c, const char *dir, struct param *p,
		       int *keys)
{
	int n = 0;

	for (int k = 0; k < CF_MAX; k++) {
		const char *v = conf_val(c, k);

		if (!conf_keys[k].attr || k == CF_ENABLED)
			continue;
		if (conf_keys[k].kind == CK_KEYFILE) {
			if (!has_attr(dir, conf_keys[k].attr)) {
				if (c->line[k])
					fprintf(stderr, "raftctl: %s: this raftlog has no '%s' attribute: %s not used\n",
						c->file, conf_keys[k].attr,
						conf_keys[k].key);
				continue;
			}
			/* not given: a blank line clears the key */
			v = c->line[k] ? c->key[k == CF_KEY2_FILE] : "\n";
		}
		if ((k == CF_INSECURE || k == CF_MAX_DGRAM || k == CF_JOIN) &&
		    !has_attr(dir, conf_keys[k].attr)) {
			if (c->line[k])
				fprintf(stderr, "raftctl: %s: this raftlog has no '%s' attribute: %s not used\n",
					c->file, conf_keys[k].attr,
					conf_keys[k].key);
			continue;
		}
		if (k == CF_DATA_DIR && !*v)
			v = "\n";	/* memory only */
		keys[n] = k;
		p[n++] = (struct param){ conf_keys[k].attr, v,
					 conf_keys[k].kind == CK_KEYFILE };
	}
	return n;
}

/* Bring the instance @c describes into being, or into line. 0 or -1. */
static int apply_one(const struct conf *c, int restart)
{
	char dir[RL_PATH_MAX], cur[CONF_VAL_MAX], who[RL_PATH_MAX + 16];
	char old[CF_MAX][CONF_VAL_MAX], en[8], changed[512] = "";
	struct param p[CF_MAX + 1];
	int keys[CF_MAX], saved[CF_MAX] = { 0 }, n, was_on, on, wrote = 0;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/%s", rl_configfs_root(), c->name);
	snprintf(who, sizeof(who), "apply %s", c->file);
	on = !strcmp(conf_val(c, CF_ENABLED), "1");
	if (c->line[CF_DATA_DIR] && stat(c->val[CF_DATA_DIR], &st) &&
	    mkdir(c->val[CF_DATA_DIR], 0700) && errno != EEXIST) {
		fprintf(stderr, "raftctl: %s: data_dir %s: %s\n", c->file,
			c->val[CF_DATA_DIR], strerror(errno));
		return -1;
	}
	if (stat(dir, &st)) {
		/* A new instance: its attributes appear with the directory. */
		if (mkdir(dir, 0755)) {
			fprintf(stderr, "raftctl: %s: mkdir %s: %s\n", who, dir,
				strerror(errno));
			return -1;
		}
		n = conf_params(c, dir, p, keys);
		if (on)
			p[n++] = (struct param){ "enabled", "1", 0 };
		if (fill_instance(who, c->name, dir, p, n, c->nsfd))
			return -1;
		printf("raftlog-%s: created%s (node %s)\n", c->name,
		       on ? " and enabled" : ", disabled", c->val[CF_ID]);
		return 0;
	}
	n = conf_params(c, dir, p, keys);
	was_on = 0;
	snprintf(cur, sizeof(cur), "%s/enabled", dir);
	if (!rl_read_file(cur, en, sizeof(en)))
		was_on = !strcmp(en, "1");
	/* What differs from the live instance (the keys are write-only). */
	for (int i = 0; i < n; i++) {
		char file[RL_PATH_MAX + 32];
		int k = keys[i];

		if (conf_keys[k].kind == CK_KEYFILE)
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, p[i].attr);
		if (!rl_read_file(file, old[k], sizeof(old[k]))) {
			saved[k] = 1;
		} else if (k == CF_DATA_DIR) {
			old[k][0] = '\0';	/* a fake tree may lack it */
			saved[k] = 1;
		}
		if (saved[k] && same_value(k, old[k], conf_val(c, k)))
			continue;
		snprintf(changed + strlen(changed),
			 sizeof(changed) - strlen(changed), "%s%s",
			 changed[0] ? ", " : "", p[i].attr);
	}
	if (!changed[0] && !restart) {
		if (was_on == on) {
			printf("raftlog-%s: unchanged\n", c->name);
			return 0;
		}
		struct param e = { "enabled", on ? "1" : "0", 0 };
		int err = write_param(dir, &e, c->nsfd);

		if (err) {
			param_error(who, &e, err);
			return -1;
		}
		printf("raftlog-%s: %s\n", c->name, on ? "enabled" : "disabled");
		return 0;
	}
	/* Parameters change only while disabled. */
	if (was_on) {
		struct param e = { "enabled", "0", 0 };
		int err = write_param(dir, &e, -1);

		if (err) {
			param_error(who, &e, err);
			return -1;
		}
	}
	for (wrote = 0; wrote < n; wrote++) {
		int err = write_param(dir, &p[wrote], -1);

		if (err) {
			param_error(who, &p[wrote], err);
			goto restore;
		}
	}
	if (on) {
		struct param e = { "enabled", "1", 0 };
		int err = write_param(dir, &e, c->nsfd);

		if (err) {
			param_error(who, &e, err);
			goto restore;
		}
	}
	printf("raftlog-%s: %s%s%s\n", c->name,
	       changed[0] ? "updated " : "", changed[0] ? changed : "",
	       on ? (changed[0] ? "; restarted" : "restarted") :
		    (changed[0] ? "; disabled" : "rewritten, disabled"));
	return 0;

restore:
	fprintf(stderr, "raftctl: the kernel log says why (dmesg | tail); restoring raftlog-%s as it was\n",
		c->name);
	for (int i = 0; i < wrote; i++) {
		struct param r = p[i];

		if (!saved[keys[i]])
			continue;
		r.val = keys[i] == CF_DATA_DIR && !old[keys[i]][0] ? "\n" :
			old[keys[i]];
		write_param(dir, &r, -1);
	}
	if (was_on) {
		struct param e = { "enabled", "1", 0 };
		int err = write_param(dir, &e, c->nsfd);

		if (err)
			param_error(who, &e, err);
	}
	return -1;
}

static int conf_filter(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return de->d_name[0] != '.' && len > 5 &&
	       !strcmp(de->d_name + len - 5, ".conf");
}

static const char *conf_dir(void)
{
	const char *d = getenv("RAFTLOG_CONF_DIR");

	return d && *d ? d : "/etc/raftlog";
}

static int cmd_apply(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "check", no_argument, NULL, 'n' },
		{ "restart", no_argument, NULL, OPT_RESTART },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dirent **ents = NULL;
	char **files = NULL;
	struct conf *confs;
	int all = 0, check = 0, restart = 0, c, nfiles, bad = 0, rc = 0;
	int nents = 0;

	while ((c = getopt_long(argc, argv, "ahn", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return help(usage_apply);
		case 'a':
			all = 1;
			break;
		case 'n':
			check = 1;
			break;
		case OPT_RESTART:
			restart = 1;
			break;
		default:
			return usage_err("apply", "bad option");
		}
	}
	if (all == (optind < argc))
		return usage_err("apply", "needs FILE... or --all");
	if (all) {
		nents = scandir(conf_dir(), &ents, conf_filter, alphasort);
		if (nents < 0) {
			fprintf(stderr, "raftctl: apply --all: %s: %s\n",
				conf_dir(), strerror(errno));
			return RL_EXIT_ERROR;
		}
		if (!nents) {
			fprintf(stderr, "raftctl: apply --all: no %s/*.conf: nothing to do\n",
				conf_dir());
			free(ents);
			return RL_EXIT_OK;
		}
		nfiles = nents;
		files = calloc(nfiles, sizeof(*files));
		for (int i = 0; files && i < nfiles; i++) {
			if (asprintf(&files[i], "%s/%s", conf_dir(),
				     ents[i]->d_name) < 0)
				files[i] = NULL;
		}
	} else {
		nfiles = argc - optind;
		files = calloc(nfiles, sizeof(*files));
		for (int i = 0; files && i < nfiles; i++)
			files[i] = strdup(argv[optind + i]);
	}
	confs = calloc(nfiles, sizeof(*confs));
	if (!files || !confs) {
		fprintf(stderr, "raftctl: out of memory\n");
		return RL_EXIT_ERROR;
	}
	/* Check everything before touching anything. */
	for (int i = 0; i < nfiles; i++) {
		confs[i].nsfd = -1;
		if (!files[i] || conf_parse(files[i], &confs[i])) {
			bad++;
			continue;
		}
		for (int j = 0; j < i; j++) {
			if (strcmp(confs[i].name, confs[j].name))
				continue;
			conf_err(&confs[i], 0, "instance %s is also described by %s",
				 confs[i].name, confs[j].file);
			bad++;
		}
	}
	if (bad) {
		fprintf(stderr, "raftctl: apply: %d of %d file%s refused: nothing was changed\n",
			bad, nfiles, nfiles == 1 ? "" : "s");
		rc = RL_EXIT_ERROR;
	} else if (check) {
		for (int i = 0; i < nfiles; i++)
			printf("%s: ok (raftlog-%s)\n", confs[i].file, confs[i].name);
	} else if (configfs_missing()) {
		rc = RL_EXIT_ERROR;
	} else {
		for (int i = 0; i < nfiles; i++)
			if (apply_one(&confs[i], restart))
				rc = RL_EXIT_ERROR;
	}
	for (int i = 0; i < nfiles; i++) {
		if (confs[i].nsfd >= 0)
			close(confs[i].nsfd);
		explicit_bzero(confs[i].key, sizeof(confs[i].key));
		free(files[i]);
	}
	for (int i = 0; i < nents; i++)
		free(ents[i]);
	free(ents);
	free(files);
	free(confs);
	return rc;
}

static int cmd_destroy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char dir[RL_PATH_MAX], file[RL_PATH_MAX + 32];
	const char *name;
	struct stat st;
	int c, err;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return help(usage_destroy);
		return usage_err("destroy", "bad option");
	}
	if (argc - optind != 1)
		return usage_err("destroy", "needs exactly one NAME");
	name = argv[optind];
	if (configfs_missing())
		return RL_EXIT_ERROR;
	snprintf(dir, sizeof(dir), "%s/%s", rl_configfs_root(), name);
	if (stat(dir, &st) && !strncmp(name, "raftlog-", 8)) {
		name += 8;
		snprintf(dir, sizeof(dir), "%s/%s", rl_configfs_root(), name);
	}
	if (!valid_name(name) || stat(dir, &st)) {
		fprintf(stderr, "raftctl: destroy: no instance '%s' in %s\n",
			name, rl_configfs_root());
		return RL_EXIT_ERROR;
	}
	snprintf(file, sizeof(file), "%s/enabled", dir);
	err = rl_write_file(file, "0", 0);
	if (err && err != -ENOENT) {
		fprintf(stderr, "raftctl: destroy %s: disable: %s\n", name,
			strerror(-err));
		return RL_EXIT_ERROR;
	}
	if (remove_instance(dir))
		return RL_EXIT_ERROR;
	printf("destroyed raftlog-%s\n", name);
	return RL_EXIT_OK;
}

/* ---- watch ----------------------------------------------------------- */

static struct termios saved_tty;
static int tty_raw;

static void restore_tty(void)
{
	if (tty_raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
		tty_raw = 0;
	}
}

static void raw_tty(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty))
		return;
	t = saved_tty;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) {
		tty_raw = 1;
		atexit(restore_tty);
	}
}

/* Wait up to @ms; returns 1 if the user asked to quit. */
static int wait_key(int ms)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	char ch;

	if (!tty_raw) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		return stop;
	}
	if (poll(&p, 1, ms) > 0 && read(STDIN_FILENO, &ch, 1) == 1)
		return ch == 'q' || ch == 'Q' || ch == 3;
	return stop;
}

/* The last few changes watch noticed between frames, newest last. */
#define WATCH_EVENTS	6
static char events[WATCH_EVENTS][160];
static int nevents;

static void add_event(const char *when, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_event(const char *when, const char *fmt, ...)
{
	char msg[140];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (nevents == WATCH_EVENTS) {
		memmove(events[0], events[1], sizeof(events[0]) * (WATCH_EVENTS - 1));
		nevents--;
	}
	snprintf(events[nevents++], sizeof(events[0]), "%s  %s", when, msg);
}

/* Note what changed in instance @c since @p (the previous frame). */
static void diff_state(const char *when, const struct inst_state *p,
		       const struct inst_state *c)
{
	if (strcmp(p->role, c->role))
		add_event(when, "%s: %s -> %s (term %lld)", c->name, p->role,
			  c->role, c->term);
	else if (p->term != c->term)
		add_event(when, "%s: term %lld -> %lld", c->name, p->term,
			  c->term);
	if (p->leader != c->leader)
		add_event(when, "%s: leader %lld -> %lld", c->name, p->leader,
			  c->leader);
}

static int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "color", no_argument, NULL, OPT_COLOR },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct inst_state cur[MAX_INST], prev[MAX_INST];
	double interval = 1.0, rate[MAX_INST];
	unsigned long long iters = 0, frame = 0;
	int force = -1, c, n, nprev = 0, term;
	uint64_t t_prev = 0;

	while ((c = getopt_long(argc, argv, "hi:n:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return help(usage_watch);
		case 'i':
			if (rl_parse_double(optarg, &interval) ||
			    interval < 0.05 || interval > 3600)
				return usage_err("watch", "--interval: 0.05 to 3600 seconds");
			break;
		case 'n':
			if (rl_parse_u64(optarg, &iters) || !iters)
				return usage_err("watch", "--iterations needs a number > 0");
			break;
		case OPT_COLOR:
			force = 1;
			break;
		case OPT_NO_COLOR:
			force = 0;
			break;
		default:
			return usage_err("watch", "bad option");
		}
	}
	if (optind != argc)
		return usage_err("watch", "no arguments expected");
	term = rl_is_tty(stdout);
	color = rl_use_color(stdout, force);
	catch_signals();
	raw_tty();
	if (term)
		fputs("\033[?1049h\033[?25l", stdout);	/* alt screen, no cursor */
	while (!stop) {
		uint64_t now = rl_now_ns();
		char tbuf[32];
		time_t wall = time(NULL);

		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&wall));
		n = collect(NULL, cur, MAX_INST);
		for (int i = 0; i < (n > 0 ? n : 0); i++) {
			rate[i] = -1;
			for (int j = 0; j < nprev; j++) {
				if (strcmp(prev[j].name, cur[i].name))
					continue;
				diff_state(tbuf, &prev[j], &cur[i]);
				if (cur[i].commit >= prev[j].commit &&
				    prev[j].commit >= 0)
					rate[i] = (cur[i].commit - prev[j].commit) /
						  ((now - t_prev) / 1e9);
			}
		}
		if (term)
			fputs("\033[H\033[2J", stdout);
		else if (frame)
			fputc('\n', stdout);
		printf("%sraftlog watch%s  %s  every %.2g s%s\n\n", col(C_BOLD),
		       col(C_RESET), tbuf, interval,
		       tty_raw ? "  (q quits)" : "  (Ctrl-C quits)");
		if (n <= 0) {
			printf("no raftlog instance (yet)\n");
		} else {
			print_instances(stdout, cur, n, rate);
			for (int i = 0; i < n; i++)
				print_peers(stdout, &cur[i]);
		}
		if (nevents) {
			printf("\n%schanges%s\n", col(C_BOLD), col(C_RESET));
			for (int i = 0; i < nevents; i++)
				printf("  %s\n", events[i]);
		}
		fflush(stdout);
		memcpy(prev, cur, sizeof(cur[0]) * (n > 0 ? n : 0));
		nprev = n > 0 ? n : 0;
		t_prev = now;
		if (++frame == iters)
			break;
		if (wait_key((int)(interval * 1000)))
			break;
	}
	if (term)
		fputs("\033[?25h\033[?1049l", stdout);
	restore_tty();
	fflush(stdout);
	return RL_EXIT_OK;
}

/* ---- membership ------------------------------------------------------ */

static const char usage_member[] =
"usage: raftctl member list [DEV] [--json]\n"
"       raftctl member add DEV ID ADDRESS [--timeout MS] [--json]\n"
"       raftctl member add-learner DEV ID ADDRESS [--timeout MS] [--json]\n"
"       raftctl member promote DEV ID [--timeout MS] [--json]\n"
"       raftctl member remove DEV ID [--timeout MS] [--json]\n"
"       raftctl member replace DEV OLD NEW [ADDRESS] [--timeout MS] [--json]\n"
"\n"
"List or change the cluster's members. A change is made by the leader: DEV\n"
"is any instance of the cluster; when it is not the leader and the leader\n"
"is an instance on this host too, raftctl asks that one (and says so),\n"
"otherwise it says which node leads. Each change waits until the new\n"
"configuration is committed, then prints it. One change runs at a time.\n"
"\n"
"  list         ID, ADDRESS, voter|learner of every member, the leader,\n"
"               and the log index of the configuration (config_index)\n"
"  add          add ID at ADDRESS (IPV4:PORT or [IPV6]:PORT) as a voter\n"
"  add-learner  add ID as a learner: it receives the log, never votes\n"
"  promote      make learner ID a voter, once it has caught up\n"
"  remove       remove ID (voter or learner; the leader too: it steps\n"
"               down once the change commits)\n"
"  replace      one change that removes OLD and adds NEW at ADDRESS as a\n"
"               voter, or without ADDRESS promotes learner NEW: a joint\n"
"               configuration (old and new majority both needed) that the\n"
"               leader leaves by itself\n"
"\n"
"A new node joins by being created with the cluster's members (itself\n"
"included) and join=1, which keeps it from campaigning until it is a\n"
"voter: after 'add' or 'add-learner' raftctl prints the peers= line to\n"
"create it with. The safe way to grow: add-learner, wait for it to catch\n"
"up, promote.\n"
"\n"
"  --timeout MS  wait at most MS for the commit (default: the instance's\n"
"                commit_timeout_ms)\n"
"  --json        one JSON object: the outcome and the configuration\n"
"\n"
"exit codes:\n"
"  0  done: the new configuration is committed (list: printed)\n"
"  1  other error (no such device, permission, old module)\n"
"  2  usage error\n"
"  3  refused, nothing changed: a change already pending, the id or\n"
"     address exists, no such member, it would leave no voter, the\n"
"     learner has not caught up, or the change was lost to a new leader\n"
"  4  unknown outcome (timed out, interrupted): it may still commit;\n"
"     'raftctl member list' tells\n"
"  5  no leader known, or the leader is not on this host\n";

static const char usage_transfer[] =
"usage: raftctl transfer DEV [ID] [--timeout MS] [--json]\n"
"\n"
"Hand leadership to voter ID, or without ID to the most up-to-date voter,\n"
"e.g. before maintenance of the leader's host. Writes pause during the\n"
"transfer and go on under the new leader. DEV is any instance of the\n"
"cluster; as with 'member', raftctl asks the leader when it is on this\n"
"host. Waits until ID leads, then prints the new leader and the members.\n"
"\n"
"  --timeout MS  give up after MS (default: four election timeouts); an\n"
"                aborted transfer leaves the old leader (or a new election)\n"
"  --json        one JSON object: the outcome and the configuration\n"
"\n"
"exit: 0 ID leads, 1 error, 2 usage, 3 refused (ID is a learner or not a\n"
"member, a change is under way), 4 timed out (leadership may still\n"
"move), 5 no leader known, or the leader is not on this host\n";

enum member_op { MOP_ADD, MOP_ADD_LEARNER, MOP_PROMOTE, MOP_REMOVE,
	MOP_REPLACE, MOP_TRANSFER };

static const struct {
	const char *verb;	/* raftctl member VERB */
	const char *done;	/* past tense, for the report */
	unsigned long req;
} member_ops[] = {
	[MOP_ADD] = { "add", "added as a voter", RAFTLOG_IOC_ADD_VOTER },
	[MOP_ADD_LEARNER] = { "add-learner", "added as a learner",
			      RAFTLOG_IOC_ADD_LEARNER },
	[MOP_PROMOTE] = { "promote", "promoted to voter", RAFTLOG_IOC_PROMOTE },
	[MOP_REMOVE] = { "remove", "removed", RAFTLOG_IOC_REMOVE },
	[MOP_REPLACE] = { "replace", "is a voter in place of the old node",
			  RAFTLOG_IOC_CHANGE },
	[MOP_TRANSFER] = { "transfer", "leads now", RAFTLOG_IOC_TRANSFER },
};

static void fmt_member_addr(const struct raftlog_addr *a, char *buf,
			    size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->addr,
		       host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, a->port);
	else
		snprintf(buf, len, "%s:%u", host, a->port);
}

/* ID and ADDRESS (IPV4:PORT or [IPV6]:PORT) into @m; -1 with @why. */
static int parse_member(const char *id, const char *addr,
			struct raftlog_member_change *m, const char **why)
{
	struct peer_addr p[RAFTLOG_MAX_NODES];
	char buf[160];

	memset(p, 0, sizeof(p));
	if (snprintf(buf, sizeof(buf), "%s@%s", id, addr ? addr : "0.0.0.1:1")
	    >= (int)sizeof(buf)) {
		*why = "too long";
		return -1;
	}
	if (parse_peers(buf, p, why) != 1)
		return -1;
	m->id = (__u32)p[0].id;
	if (addr) {
		m->addr.family = (__u16)p[0].family;
		m->addr.port = (__u16)p[0].port;
		memcpy(m->addr.addr, p[0].addr,
		       p[0].family == AF_INET ? 4 : 16);
	}
	return 0;
}

/* The sysfs "members" file, for a module without RAFTLOG_IOC_MEMBERS. */
static int members_from_sysfs(const char *name, struct raftlog_membership *ms)
{
	char buf[4096], *save = NULL, *line;
	long long v;

	if (rl_read_attr(name, "members", buf, sizeof(buf)) < 0)
		return -1;
	v = rl_read_num(name, "config_index");
	ms->config_index = v > 0 ? (__u64)v : 0;
	v = rl_read_num(name, "commit_index");
	ms->commit_index = v > 0 ? (__u64)v : 0;
	v = rl_read_num(name, "leader");
	ms->leader = v > 0 ? (__u32)v : 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct raftlog_member_change c;
		char id[24], addr[96], role[16];
		const char *why;

		if (ms->n_members == RAFTLOG_MAX_MEMBERS ||
		    sscanf(line, "%23s %95s %15s", id, addr, role) != 3)
			continue;
		memset(&c, 0, sizeof(c));
		if (parse_member(id, addr, &c, &why))
			continue;
		ms->members[ms->n_members].id = c.id;
		ms->members[ms->n_members].addr = c.addr;
		ms->members[ms->n_members++].flags =
			!strcmp(role, "learner") ? RAFTLOG_MEMBER_LEARNER :
						   RAFTLOG_MEMBER_VOTER;
	}
	return 0;
}

/*
 * The membership as the node behind @fd knows it: the ioctl, or sysfs for
 * a module without it. 0, or -1 after printing why.
 */
static int read_members(int fd, const char *path, const char *name,
			struct raftlog_membership *ms)
{
	memset(ms, 0, sizeof(*ms));
	if (!rl_dev_ioctl(fd, RAFTLOG_IOC_MEMBERS, ms))
		return 0;
	if (errno == ENOTTY && !rl_is_daemon(path) &&
	    !members_from_sysfs(name, ms))
		return 0;
	if (errno == ENOTTY)
		fprintf(stderr, "raftctl: %s: cannot read the membership (%s)\n",
			path, rl_is_daemon(path) ?
			"raftlogd has no membership calls" :
			"no members file in sysfs: is this a raftlog device?");
	else
		fprintf(stderr, "raftctl: %s: cannot read the membership: %s\n",
			path, strerror(errno));
	return -1;
}

static const char *member_role(const struct raftlog_member *m)
{
	if (m->flags & RAFTLOG_MEMBER_LEARNER)
		return "learner";
	if (m->flags & RAFTLOG_MEMBER_VOTER)
		return "voter";
	return "outgoing";	/* votes only in the old half of a joint one */
}

static const struct raftlog_member *
find_member(const struct raftlog_membership *ms, __u32 id)
{
	for (__u32 i = 0; i < ms->n_members && i < RAFTLOG_MAX_MEMBERS; i++)
		if (ms->members[i].id == id)
			return &ms->members[i];
	return NULL;
}

/* "1@10.0.0.1:7070,..." of every member, for a joining node's peers=. */
static void peers_line(const struct raftlog_membership *ms, char *buf,
		       size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (__u32 i = 0; i < ms->n_members && i < RAFTLOG_MAX_MEMBERS; i++) {
		char addr[96];

		fmt_member_addr(&ms->members[i].addr, addr, sizeof(addr));
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%u@%s",
			      i ? "," : "", ms->members[i].id, addr);
	}
}

static void print_membership_json(FILE *f, const char *name,
				  const struct raftlog_membership *ms)
{
	fprintf(f, "{\"instance\":");
	rl_json_str(f, name, strlen(name));
	fprintf(f, ",\"config_index\":%llu,\"commit_index\":%llu,\"leader\":%u,\"joint\":%s,\"pending\":%s,\"members\":[",
		(unsigned long long)ms->config_index,
		(unsigned long long)ms->commit_index, ms->leader,
		ms->flags & RAFTLOG_MEMBERSHIP_JOINT ? "true" : "false",
		ms->flags & RAFTLOG_MEMBERSHIP_PENDING ? "true" : "false");
	for (__u32 i = 0; i < ms->n_members && i < RAFTLOG_MAX_MEMBERS; i++) {
		const struct raftlog_member *m = &ms->members[i];
		char addr[96];

		fmt_member_addr(&m->addr, addr, sizeof(addr));
		fprintf(f, "%s{\"id\":%u,\"address\":\"%s\",\"role\":\"%s\",\"outgoing\":%s,\"leader\":%s}",
			i ? "," : "", m->id, addr, member_role(m),
			m->flags & RAFTLOG_MEMBER_OUTGOING ? "true" : "false",
			m->id == ms->leader ? "true" : "false");
	}
	fprintf(f, "]}");
}

static void print_membership(FILE *f, const struct raftlog_membership *ms)
{
	fprintf(f, "%-10s %-42s %-8s\n", "ID", "ADDRESS", "ROLE");
	for (__u32 i = 0; i < ms->n_members && i < RAFTLOG_MAX_MEMBERS; i++) {
		const struct raftlog_member *m = &ms->members[i];
		char addr[96];

		fmt_member_addr(&m->addr, addr, sizeof(addr));
		fprintf(f, "%-10u %-42s %-8s%s%s\n", m->id, addr,
			member_role(m),
			(m->flags & RAFTLOG_MEMBER_OUTGOING) &&
			(m->flags & RAFTLOG_MEMBER_VOTER) ? " (both halves)" : "",
			m->id == ms->leader ? " leader" : "");
	}
	fprintf(f, "config_index %llu%s%s\n",
		(unsigned long long)ms->config_index,
		ms->flags & RAFTLOG_MEMBERSHIP_JOINT ? ", joint" : "",
		ms->flags & RAFTLOG_MEMBERSHIP_PENDING ? ", not committed yet" :
		"");
}

/*
 * A local instance that is node @id of the cluster @ms describes (its
 * own address is the one @ms lists for @id), as a device path; -1 if none.
 */
static int local_instance_of(const struct raftlog_membership *ms, __u32 id,
			     char *path, size_t plen, char *name, size_t nlen)
{
	char names[MAX_INST][RL_NAME_MAX], want[96], have[96];
	const struct raftlog_member *m = find_member(ms, id);
	int n = rl_list_instances(names, MAX_INST);

	if (!m)
		return -1;
	fmt_member_addr(&m->addr, want, sizeof(want));
	for (int i = 0; i < n; i++) {
		if (rl_read_num(names[i], "id") != id ||
		    rl_read_attr(names[i], "address", have, sizeof(have)) < 0 ||
		    strcmp(have, want))
			continue;
		snprintf(name, nlen, "%.*s", RL_NAME_MAX - 1, names[i]);
		snprintf(path, plen, "%s/%.*s", rl_dev_root(), RL_NAME_MAX - 1,
			 names[i]);
		return 0;
	}
	return -1;
}

static int member_exit(int err)
{
	switch (err) {
	case EBUSY:
	case EEXIST:
	case ENOENT:
	case EINVAL:
	case EAGAIN:
	case ENOSPC:
	case ECANCELED:
		return RL_EXIT_NOT_COMMITTED;
	case ETIMEDOUT:
	case EINTR:
		return RL_EXIT_UNKNOWN;
	case EREMOTE:
	case ENOTCONN:
		return RL_EXIT_NO_LEADER;
	default:
		return RL_EXIT_ERROR;
	}
}

/* Why @err, for op @op on node @id, in words (the membership @ms helps). */
static void member_why(enum member_op op, int err, __u32 id, __u32 leader,
		       const struct raftlog_membership *ms, char *buf,
		       size_t len)
{
	const struct raftlog_member *m = ms ? find_member(ms, id) : NULL;
	unsigned int voters;

	switch (err) {
	case EREMOTE:
		if (leader)
			snprintf(buf, len, "this node is not the leader; node %u leads and is not an instance on this host: run it there",
				 leader);
		else
			snprintf(buf, len, "this node is not the leader, and knows of none");
		break;
	case ENOTCONN:
		snprintf(buf, len, "no leader is known (an election is under way, or no quorum): try again");
		break;
	case EBUSY:
		snprintf(buf, len, "a membership change or leadership transfer is already under way: wait until 'raftctl member list' shows it committed, then retry");
		break;
	case EEXIST:
		if (op == MOP_PROMOTE)
			snprintf(buf, len, "node %u is a voter already", id);
		else
			snprintf(buf, len, m ? "node %u is already a member" :
				 "another member already has that address", id);
		break;
	case ENOENT:
		snprintf(buf, len, "node %u is not a member", id);
		break;
	case EINVAL:
		voters = 0;
		for (__u32 i = 0; ms && i < ms->n_members; i++)
			if (ms->members[i].id != id &&
			    (ms->members[i].flags & RAFTLOG_MEMBER_VOTER))
				voters++;
		if (op == MOP_TRANSFER && m &&
		    (m->flags & RAFTLOG_MEMBER_LEARNER))
			snprintf(buf, len, "node %u is a learner: promote it first", id);
		else if ((op == MOP_REMOVE || op == MOP_REPLACE) && ms &&
			 !voters)
			snprintf(buf, len, "removing node %u would leave no voter", id);
		else if (op == MOP_ADD || op == MOP_ADD_LEARNER ||
			 (op == MOP_REPLACE && !m))
			snprintf(buf, len, "invalid request (the address must be of the family the other members use, with a port)");
		else
			snprintf(buf, len, "refused as invalid by the module");
		break;
	case EAGAIN:
		snprintf(buf, len, "learner %u has not caught up with the leader yet (see peers/%u/match_index on the leader): try again shortly",
			 id, id);
		break;
	case ENOSPC:
		snprintf(buf, len, "the configuration is full (at most %d members, learners included)",
			 RAFTLOG_MAX_NODES);
		break;
	case ETIMEDOUT:
		snprintf(buf, len, op == MOP_TRANSFER ?
			 "node %u did not take over in time (leadership may still move)" :
			 "not known committed in time: it may still commit ('raftctl member list' tells)",
			 id);
		break;
	case EINTR:
		snprintf(buf, len, "interrupted: the change may still commit");
		break;
	case ECANCELED:
		snprintf(buf, len, "lost: a new leader took over before it committed; nothing changed, retry");
		break;
	case ENOTTY:
	case EOPNOTSUPP:
		snprintf(buf, len, "this raftlog module cannot change its membership (too old, or raftlogd)");
		break;
	case EPERM:
		snprintf(buf, len, "needs CAP_NET_ADMIN over the instance's network namespace");
		break;
	case ESHUTDOWN:
		snprintf(buf, len, "the instance is disabled");
		break;
	case EIO:
		snprintf(buf, len, "the node is out of service (storage error? see dmesg)");
		break;
	default:
		snprintf(buf, len, "%s", strerror(err));
	}
}

struct member_req {
	enum member_op op;
	struct raftlog_member_change c;	/* replace: NEW (and its address) */
	struct raftlog_transfer t;
	struct raftlog_member_changes m;
	__u32 old;			/* replace: the node that goes */
	int json;
};

/* One ioctl on @fd; 0 or an errno, @leader the node it names. */
static int member_call(int fd, struct member_req *r, __u32 *leader)
{
	int err;

	if (r->op == MOP_TRANSFER) {
		r->t.leader = 0;
		err = rl_dev_ioctl(fd, member_ops[r->op].req, &r->t) ? errno : 0;
		*leader = r->t.leader;
	} else if (r->op == MOP_REPLACE) {
		memset(&r->m, 0, sizeof(r->m));
		r->m.n_ops = 2;
		r->m.timeout_ms = r->c.timeout_ms;
		r->m.ops[0].op = r->c.addr.family ? RAFTLOG_OP_ADD_VOTER :
						    RAFTLOG_OP_PROMOTE;
		r->m.ops[0].id = r->c.id;
		r->m.ops[0].addr = r->c.addr;
		r->m.ops[1].op = RAFTLOG_OP_REMOVE;
		r->m.ops[1].id = r->old;
		err = rl_dev_ioctl(fd, member_ops[r->op].req, &r->m) ? errno : 0;
		*leader = r->m.leader;
		r->c.config_index = r->m.config_index;
	} else {
		r->c.leader = 0;
		err = rl_dev_ioctl(fd, member_ops[r->op].req, &r->c) ? errno : 0;
		*leader = r->c.leader;
	}
	return err;
}

static void member_report(const struct member_req *r, const char *name,
			  int err, __u32 id, __u32 leader,
			  const struct raftlog_membership *ms, int have_ms)
{
	char why[256];

	if (err)
		member_why(r->op, err, id, leader, have_ms ? ms : NULL, why,
			   sizeof(why));
	if (r->json) {
		printf("{\"op\":\"%s\",\"id\":%u,\"ok\":%s", member_ops[r->op].verb,
		       id, err ? "false" : "true");
		if (err) {
			printf(",\"errno\":%d,\"error\":", err);
			rl_json_str(stdout, why, strlen(why));
			printf(",\"leader\":%u", leader);
		} else if (r->op == MOP_TRANSFER) {
			printf(",\"leader\":%u,\"term\":%llu", r->t.leader,
			       (unsigned long long)r->t.term);
		} else {
			printf(",\"config_index\":%llu",
			       (unsigned long long)r->c.config_index);
		}
		if (have_ms) {
			printf(",\"membership\":");
			print_membership_json(stdout, name, ms);
		}
		printf("}\n");
		if (!err)
			return;
	}
	if (err) {
		fprintf(stderr, "raftctl: %s: %s %u: %s\n", name,
			member_ops[r->op].verb, id, why);
		return;
	}
	if (r->op == MOP_TRANSFER)
		printf("node %u leads now (term %llu)\n", r->t.leader,
		       (unsigned long long)r->t.term);
	else if (r->op == MOP_REPLACE)
		printf("node %u removed, node %u %s; configuration at index %llu committed\n",
		       r->old, id, r->c.addr.family ? "added as a voter" :
		       "promoted to voter",
		       (unsigned long long)r->c.config_index);
	else
		printf("node %u %s; configuration at index %llu committed\n",
		       id, member_ops[r->op].done,
		       (unsigned long long)r->c.config_index);
	if (have_ms)
		print_membership(stdout, ms);
	if (have_ms && (r->op == MOP_ADD || r->op == MOP_ADD_LEARNER)) {
		char peers[1200];

		peers_line(ms, peers, sizeof(peers));
		printf("start node %u with: id=%u peers=%s join=1\n", id, id,
		       peers);
	}
}

/*
 * Runs @r on DEV @arg; on EREMOTE once more on the leader's instance when
 * it is on this host. Prints the outcome; returns the exit code.
 */
static int member_run(const char *arg, struct member_req *r)
{
	char path[RL_PATH_MAX], name[RL_NAME_MAX], dev[RL_PATH_MAX];
	struct raftlog_membership ms;
	__u32 id = r->op == MOP_TRANSFER ? r->t.id : r->c.id, leader = 0;
	int fd, err, have_ms, tries = 0;

	if (rl_resolve(arg, path, sizeof(path), name, sizeof(name)))
		return RL_EXIT_ERROR;
	for (;;) {
		fd = open_dev(path, O_RDWR, dev, sizeof(dev));
		if (fd < 0)
			return RL_EXIT_ERROR;
		err = member_call(fd, r, &leader);
		have_ms = !read_members(fd, path, name, &ms);
		rl_dev_close(fd);
		if (err != EREMOTE || !leader || tries++ || !have_ms ||
		    local_instance_of(&ms, leader, path, sizeof(path), name,
				      sizeof(name)))
			break;
		if (!r->json)
			fprintf(stderr, "raftctl: not the leader; asking %s (node %u), which leads\n",
				name, leader);
	}
	if (r->op == MOP_TRANSFER && !err)
		id = r->t.leader;
	member_report(r, name, err, id, leader, &ms, have_ms);
	return err ? member_exit(err) : RL_EXIT_OK;
}

static int member_list(const char *arg, int json)
{
	char path[RL_PATH_MAX], name[RL_NAME_MAX], dev[RL_PATH_MAX];
	struct raftlog_membership ms;
	int fd, err;

	if (rl_resolve(arg, path, sizeof(path), name, sizeof(name)))
		return RL_EXIT_ERROR;
	fd = open_dev(path, O_RDONLY, dev, sizeof(dev));
	if (fd < 0) {
		/* no device node (a fake tree, a lost /dev): sysfs has it */
		memset(&ms, 0, sizeof(ms));
		if (rl_is_daemon(path) || members_from_sysfs(name, &ms))
			return RL_EXIT_ERROR;
	} else {
		err = read_members(fd, path, name, &ms);
		rl_dev_close(fd);
		if (err)
			return RL_EXIT_ERROR;
	}
	if (json) {
		print_membership_json(stdout, name, &ms);
		putchar('\n');
	} else {
		print_membership(stdout, &ms);
	}
	return RL_EXIT_OK;
}

/* --timeout MS into *@ms; -1 if it is not a number of milliseconds. */
static int parse_timeout(const char *s, __u32 *ms)
{
	unsigned long long v;

	if (rl_parse_u64(s, &v) || !v || v > 0xffffffffULL)
		return -1;
	*ms = (__u32)v;
	return 0;
}

static int cmd_member_or_transfer(int argc, char **argv, int transfer)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *cmd = transfer ? "transfer" : "member";
	const char *text = transfer ? usage_transfer : usage_member;
	struct member_req r;
	__u32 timeout = 0;
	const char *why;
	int c, nargs;
	char **args;

	memset(&r, 0, sizeof(r));
	while ((c = getopt_long(argc, argv, transfer ? "ht:" : "+ht:",
				 opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return help(text);
		case 't':
			if (parse_timeout(optarg, &timeout))
				return usage_err(cmd, "--timeout takes milliseconds, 1 or more");
			break;
		case OPT_JSON:
			r.json = 1;
			break;
		default:
			return usage_err(cmd, "bad option");
		}
	}
	args = argv + optind;
	nargs = argc - optind;
	if (transfer) {
		if (nargs < 1 || nargs > 2)
			return usage_err(cmd, "expected DEV [ID]");
		r.op = MOP_TRANSFER;
		r.t.timeout_ms = timeout;
		if (nargs == 2 && parse_member(args[1], NULL, &r.c, &why))
			return usage_err(cmd, "ID must be a number from 1 to 4294967295");
		r.t.id = r.c.id;
		return member_run(args[0], &r);
	}
	/* options may also follow the verb and its arguments */
	if (nargs < 1)
		return usage_err(cmd, "expected list, add, add-learner, promote, remove or replace");
	if (!strcmp(args[0], "list")) {
		optind = 0;	/* GNU getopt: start over on the new argv */
		argc = nargs;
		argv = args;
		while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
			if (c == OPT_JSON)
				r.json = 1;
			else if (c == 'h')
				return help(text);
			else
				return usage_err(cmd, "bad option for list");
		}
		if (argc - optind > 1)
			return usage_err(cmd, "list takes at most one DEV");
		return member_list(optind < argc ? argv[optind] : NULL, r.json);
	}
	for (r.op = MOP_ADD; r.op < MOP_TRANSFER; r.op++)
		if (!strcmp(args[0], member_ops[r.op].verb))
			break;
	if (r.op == MOP_TRANSFER)
		return usage_err(cmd, "unknown verb: expected list, add, add-learner, promote, remove or replace");
	optind = 0;
	argc = nargs;
	argv = args;
	while ((c = getopt_long(argc, argv, "ht:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return help(text);
		case 't':
			if (parse_timeout(optarg, &timeout))
				return usage_err(cmd, "--timeout takes milliseconds, 1 or more");
			break;
		case OPT_JSON:
			r.json = 1;
			break;
		default:
			return usage_err(cmd, "bad option");
		}
	}
	args = argv + optind;
	nargs = argc - optind;
	if (r.op == MOP_REPLACE) {
		struct raftlog_member_change o;

		if (nargs != 3 && nargs != 4)
			return usage_err(cmd, "expected DEV OLD NEW [ADDRESS]");
		memset(&o, 0, sizeof(o));
		if (parse_member(args[1], NULL, &o, &why))
			return usage_err(cmd, "OLD must be a number from 1 to 4294967295");
		r.old = o.id;
		if (parse_member(args[2], nargs == 4 ? args[3] : NULL, &r.c,
				 &why)) {
			fprintf(stderr, "raftctl member: %s%s%s: %s\n", args[2],
				nargs == 4 ? "@" : "", nargs == 4 ? args[3] : "",
				why);
			return RL_EXIT_USAGE;
		}
	} else if (r.op == MOP_ADD || r.op == MOP_ADD_LEARNER) {
		if (nargs != 3)
			return usage_err(cmd, "expected DEV ID ADDRESS (IPV4:PORT or [IPV6]:PORT)");
		if (parse_member(args[1], args[2], &r.c, &why)) {
			fprintf(stderr, "raftctl member: %s@%s: %s\n", args[1],
				args[2], why);
			return RL_EXIT_USAGE;
		}
	} else {
		if (nargs != 2)
			return usage_err(cmd, "expected DEV ID");
		if (parse_member(args[1], NULL, &r.c, &why))
			return usage_err(cmd, "ID must be a number from 1 to 4294967295");
	}
	r.c.timeout_ms = timeout;
	return member_run(args[0], &r);
}

static int cmd_member(int argc, char **argv)
{
	return cmd_member_or_transfer(argc, argv, 0);
}

static int cmd_transfer(int argc, char **argv)
{
	return cmd_member_or_transfer(argc, argv, 1);
}

/* ---- main ------------------------------------------------------------ */

static int dispatch(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "status", cmd_status },
		{ "append", cmd_append },
		{ "tail", cmd_tail },
		{ "create", cmd_create },
		{ "destroy", cmd_destroy },
		{ "apply", cmd_apply },
		{ "keygen", cmd_keygen },
		{ "watch", cmd_watch },
		{ "member", cmd_member },
		{ "transfer", cmd_transfer },
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[0], cmds[i].name))
			return cmds[i].fn(argc, argv);
	fprintf(stderr, "raftctl: unknown command '%s'\n\n%s", argv[0],
		usage_main);
	return RL_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	rl_prog = "raftctl";
	if (argc < 2) {
		fputs(usage_main, stderr);
		return RL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		char *sub[] = { argv[2], "--help", NULL };

		return dispatch(2, sub);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("raftctl %s\n", RAFTLOG_VERSION);
		return RL_EXIT_OK;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help"))
		return help(usage_main);
	return dispatch(argc - 1, argv + 1);
}
