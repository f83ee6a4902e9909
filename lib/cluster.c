/*
 * cluster.c - Redis Cluster routing for the store client, what the Redis
 * Cluster specification asks of a client: the slot of each key, the map
 * of the slots from CLUSTER SLOTS, one connection per master opened when
 * first needed, MOVED, ASK and TRYAGAIN.  hiredis 0.14 sends and reads.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcp.h"
#include "store.h"
#include "storeint.h"

#define NSLOTS 16384
#define REDIRECTS 5

struct node {
	struct mcp_store_addr a;
	char where[MCP_STORE_HOST_MAX + 16];
	redisContext *c; /* NULL until first needed, or after its link failed */
	int master;      /* serves slots in the map */
};

enum kind { C_PLAIN, C_MULTI, C_EXEC, C_WATCH, C_UNWATCH };

/* A queued command: its bytes, where it goes, its reply. */
struct qcmd {
	char *buf; /* owned: hiredis's formatter made it */
	int len;
	enum kind kind;
	int slot;   /* -1: no key */
	int to;     /* the node it goes to next; -1: the map's */
	int sent;   /* the node it was sent to in this pass; -1: none */
	int asking; /* send ASKING first: an ASK redirection */
	int tx;     /* in a MULTI block: never redirected */
	int hops;
	int done;
	redisReply *r; /* owned until handed out */
};

struct mcp_cluster {
	struct node node[MCP_STORE_NODES_MAX];
	int nnode;
	short map[NSLOTS]; /* node index per slot; -1: unknown */
	struct qcmd *q;
	size_t nq, cap, nsent, next; /* queued, sent, handed out */
	size_t limit;                /* the replies to hand out before a link failure */
	char why[256];               /* that failure */
	int watch;                   /* the slot of the last WATCH; -1 */
	int broken;                  /* a link failed since the last reconnect */
	int refused;                 /* AUTH failed: no use trying again */
	int up;                      /* the last reconnect succeeded */
};

/* --- slots ------------------------------------------------------------------ */

static unsigned
crc16(const char *s, size_t n)
{
	unsigned crc = 0;
	size_t i;
	int b;

	for (i = 0; i < n; i++) {
		crc ^= (unsigned)(unsigned char)s[i] << 8;
		for (b = 0; b < 8; b++)
			crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
	}
	return crc & 0xffff;
}

/* The spec: only a non-empty {tag}, the first '{' to the first '}' after it. */
unsigned
mcp_store_slot(const char *key, size_t len)
{
	const char *o = memchr(key, '{', len), *c = NULL;

	if (o != NULL)
		c = memchr(o + 1, '}', len - (size_t)(o + 1 - key));
	if (c != NULL && c > o + 1)
		return crc16(o + 1, (size_t)(c - o - 1)) % NSLOTS;
	return crc16(key, len) % NSLOTS;
}

struct span {
	const char *p;
	size_t n;
};

/* The first max arguments of a command as hiredis formats it: their count. */
static int
args_of(const char *s, int len, struct span *a, int max)
{
	const char *e = s + len;
	char *end;
	long argc, l;
	int i;

	if (len < 4 || *s != '*')
		return 0;
	argc = strtol(s + 1, &end, 10);
	s = end + 2;
	for (i = 0; i < argc && i < max; i++) {
		if (s >= e || *s != '$')
			return i;
		l = strtol(s + 1, &end, 10);
		s = end + 2;
		if (l < 0 || l > e - s)
			return i;
		a[i].p = s, a[i].n = (size_t)l;
		s += l + 2;
	}
	return i;
}

static int
is(const struct span *a, const char *name)
{
	return a->n == strlen(name) && strncasecmp(a->p, name, a->n) == 0;
}

/* The slot of a command's key: argv[1], or EVAL's first key; -1 when it has none. */
static int
slot_of(const struct span *a, int n)
{
	static const char *const keyless[] = {"PING", "SCRIPT", "MULTI", "EXEC", "DISCARD",
	    "UNWATCH", "INFO", "CLUSTER", "ROLE", "AUTH", "SELECT", "SCAN", "ECHO", "TIME",
	    "DBSIZE", "ASKING"};
	char num[16];
	size_t i;

	if (n < 2)
		return -1;
	for (i = 0; i < sizeof(keyless) / sizeof(keyless[0]); i++)
		if (is(&a[0], keyless[i]))
			return -1;
	if (is(&a[0], "EVAL") || is(&a[0], "EVALSHA")) {
		if (n < 4 || a[2].n >= sizeof(num))
			return -1;
		memcpy(num, a[2].p, a[2].n);
		num[a[2].n] = '\0';
		return atoi(num) > 0 ? (int)mcp_store_slot(a[3].p, a[3].n) : -1;
	}
	return (int)mcp_store_slot(a[1].p, a[1].n);
}

static enum kind
kind_of(const struct span *a, int n)
{
	if (n < 1)
		return C_PLAIN;
	if (is(&a[0], "MULTI"))
		return C_MULTI;
	if (is(&a[0], "EXEC") || is(&a[0], "DISCARD"))
		return C_EXEC;
	if (is(&a[0], "WATCH"))
		return C_WATCH;
	return is(&a[0], "UNWATCH") ? C_UNWATCH : C_PLAIN;
}

/* An error reply made here, for a command that is not sent. */
static redisReply *
local_error(const char *msg)
{
	redisReader *rd = redisReaderCreate();
	char buf[256];
	void *r = NULL;

	snprintf(buf, sizeof(buf), "-%s\r\n", msg);
	if (rd != NULL && redisReaderFeed(rd, buf, strlen(buf)) == REDIS_OK)
		(void)redisReaderGetReply(rd, &r);
	redisReaderFree(rd);
	return r;
}

/*
 * A MULTI at q[i]: the block to its EXEC goes to one node, that of its
 * keys, or of the WATCH before it; keys of two slots fail the block here,
 * as Redis would (CROSSSLOT).  The index of the block's last command.
 */
static size_t
block(struct mcp_cluster *cl, struct qcmd *q, size_t n, size_t i)
{
	int slot = cl->watch, cross = 0;
	size_t j, end;

	for (end = i + 1; end < n && q[end].kind != C_EXEC; end++)
		if (q[end].slot >= 0 && slot < 0)
			slot = q[end].slot;
		else if (q[end].slot >= 0 && q[end].slot != slot)
			cross = 1;
	if (end == n)
		end = n - 1;
	for (j = i; j <= end; j++) {
		q[j].slot = slot, q[j].tx = 1;
		if (cross) {
			q[j].r =
			    local_error("CROSSSLOT Keys in request don't hash to the same slot "
			                "(a transaction on a cluster)");
			q[j].done = 1;
		}
	}
	if (q[end].kind == C_EXEC)
		cl->watch = -1;
	return end;
}

/* Where each of q[0, n) goes. */
static void
plan(struct mcp_cluster *cl, struct qcmd *q, size_t n)
{
	struct span a[4];
	size_t i;
	int na;

	for (i = 0; i < n; i++) {
		na = args_of(q[i].buf, q[i].len, a, 4);
		q[i].kind = kind_of(a, na);
		q[i].slot = slot_of(a, na);
		q[i].to = q[i].sent = -1;
		q[i].asking = q[i].tx = q[i].hops = q[i].done = 0;
		q[i].r = NULL;
	}
	for (i = 0; i < n; i++)
		if (q[i].kind == C_WATCH)
			cl->watch = q[i].slot;
		else if (q[i].kind == C_UNWATCH)
			q[i].slot = cl->watch, cl->watch = -1;
		else if (q[i].kind == C_MULTI)
			i = block(cl, q, n, i);
}

/* --- nodes and the map ------------------------------------------------------ */

static int
node_of(struct mcp_cluster *cl, const char *host, int port)
{
	struct node *nd;
	int i;

	for (i = 0; i < cl->nnode; i++)
		if (cl->node[i].a.port == port && strcmp(cl->node[i].a.host, host) == 0)
			return i;
	if (cl->nnode == MCP_STORE_NODES_MAX || strlen(host) >= sizeof(nd->a.host))
		return -1;
	nd = &cl->node[cl->nnode];
	memset(nd, 0, sizeof(*nd));
	snprintf(nd->a.host, sizeof(nd->a.host), "%s", host);
	nd->a.port = port;
	snprintf(nd->where, sizeof(nd->where), strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
	return cl->nnode++;
}

static void
unlink_node(struct node *nd)
{
	redisFree(nd->c);
	nd->c = NULL;
}

/* A link to node k, made now if needed: AUTH and the command timeout, as a single server's. */
static int
link_node(struct mcp_store *st, int k, char *err, size_t errlen)
{
	struct node *nd = &st->cl->node[k];
	struct timeval tv = mcp_store_tv(st->opts.timeout);

	if (nd->c != NULL && nd->c->err == 0)
		return 0;
	unlink_node(nd);
	nd->c = redisConnectWithTimeout(nd->a.host, nd->a.port, tv);
	if (nd->c == NULL || nd->c->err != 0 || redisSetTimeout(nd->c, tv) != REDIS_OK) {
		mcp_store_ctx_err(err, errlen, nd->where, nd->c);
		unlink_node(nd);
		return -1;
	}
	if (mcp_store_auth(st, nd->c, nd->where, err, errlen) == -1) {
		st->cl->refused = nd->c->err == 0;
		unlink_node(nd);
		return -1;
	}
	return 0;
}

/* One range of CLUSTER SLOTS into map: [start, end, [host, port, ...], replicas...]. */
static int
map_range(struct mcp_cluster *cl, const redisReply *e, const char *asked, short *map)
{
	const redisReply *m;
	long long s;
	int k;

	if (e->type != REDIS_REPLY_ARRAY || e->elements < 3 ||
	    e->element[0]->type != REDIS_REPLY_INTEGER ||
	    e->element[1]->type != REDIS_REPLY_INTEGER)
		return -1;
	m = e->element[2];
	if (m->type != REDIS_REPLY_ARRAY || m->elements < 2 ||
	    m->element[0]->type != REDIS_REPLY_STRING || m->element[1]->type != REDIS_REPLY_INTEGER)
		return -1;
	/* An empty host: the node asked. */
	k = node_of(
	    cl, m->element[0]->len > 0 ? m->element[0]->str : asked, (int)m->element[1]->integer);
	if (k < 0 || e->element[0]->integer < 0 || e->element[1]->integer >= NSLOTS)
		return -1;
	for (s = e->element[0]->integer; s <= e->element[1]->integer; s++)
		map[s] = (short)k;
	return 0;
}

/* The map from CLUSTER SLOTS on node k; links to nodes no longer masters are closed. */
static int
read_map(struct mcp_store *st, int k, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	short map[NSLOTS];
	redisReply *r;
	size_t i;
	int j;

	if ((r = redisCommand(cl->node[k].c, "CLUSTER SLOTS")) == NULL) {
		mcp_store_ctx_err(err, errlen, cl->node[k].where, cl->node[k].c);
		unlink_node(&cl->node[k]);
		return -1;
	}
	for (j = 0; j < NSLOTS; j++)
		map[j] = -1;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++)
		if (map_range(cl, r->element[i], cl->node[k].a.host, map) == -1)
			break;
	if (r->type != REDIS_REPLY_ARRAY || i < r->elements || r->elements == 0) {
		snprintf(err, errlen, "%s: CLUSTER SLOTS: %s", cl->node[k].where,
		    r->type == REDIS_REPLY_ERROR ? r->str : "no slot map");
		freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	memcpy(cl->map, map, sizeof(map));
	for (j = 0; j < cl->nnode; j++)
		cl->node[j].master = 0;
	for (j = 0; j < NSLOTS; j++)
		if (map[j] >= 0)
			cl->node[map[j]].master = 1;
	for (j = 0; j < cl->nnode; j++)
		if (!cl->node[j].master)
			unlink_node(&cl->node[j]);
	return 0;
}

/* Read the map from the first node that answers: the masters known, then the seeds. */
static int
refresh(struct mcp_store *st, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	int i, k;

	for (i = 0; i < cl->nnode; i++)
		if (cl->node[i].master && link_node(st, i, err, errlen) == 0 &&
		    read_map(st, i, err, errlen) == 0)
			return 0;
	for (i = 0; i < st->url.nseed; i++) {
		if ((k = node_of(cl, st->url.seed[i].host, st->url.seed[i].port)) < 0) {
			snprintf(err, errlen, "more than %d nodes", MCP_STORE_NODES_MAX);
			continue;
		}
		if (link_node(st, k, err, errlen) == 0 && read_map(st, k, err, errlen) == 0)
			return 0;
	}
	return -1;
}

static int
load_scripts(struct mcp_store *st, int k, char *err, size_t errlen)
{
	char sha[41];
	int i;

	for (i = 0; i < st->nlua; i++)
		if (mcp_store_load_on(st->cl->node[k].c, st->cl->node[k].where, st->lua[i], sha,
		        err, errlen) == -1)
			return -1;
	return 0;
}

/*
 * Node k's own view: 0 when it says cluster_state:ok (or will not say).
 * Right after a failover the map may already name the new master while a
 * master that has not heard of it still answers CLUSTERDOWN; the rounds of
 * a run would spend themselves on that in a few milliseconds.
 */
static int
state_ok(struct mcp_store *st, int k, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	redisReply *r;
	int rc = 0;

	if ((r = redisCommand(cl->node[k].c, "CLUSTER INFO")) == NULL) {
		mcp_store_ctx_err(err, errlen, cl->node[k].where, cl->node[k].c);
		unlink_node(&cl->node[k]);
		return -1;
	}
	if (r->type == REDIS_REPLY_STRING && strstr(r->str, "cluster_state:ok") == NULL) {
		snprintf(
		    err, errlen, "%s: CLUSTERDOWN (cluster_state is not ok)", cl->node[k].where);
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}

/* Every slot served, every master linked, given the scripts and in a cluster that is up. */
static int
masters_ready(struct mcp_store *st, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	int i;

	for (i = 0; i < NSLOTS; i++)
		if (cl->map[i] < 0) {
			snprintf(err, errlen, "slot %d served by no node", i);
			return -1;
		}
	for (i = 0; i < cl->nnode; i++)
		if (cl->node[i].master &&
		    (link_node(st, i, err, errlen) == -1 ||
		        load_scripts(st, i, err, errlen) == -1 ||
		        state_ok(st, i, err, errlen) == -1))
			return -1;
	return 0;
}

/* --- sending ---------------------------------------------------------------- */

static int
target(const struct mcp_cluster *cl, const struct qcmd *c)
{
	int i;

	if (c->to >= 0)
		return c->to;
	if (c->slot >= 0)
		return cl->map[c->slot];
	for (i = 0; i < cl->nnode; i++)
		if (cl->node[i].master && cl->node[i].c != NULL)
			return i;
	for (i = 0; i < cl->nnode; i++)
		if (cl->node[i].master)
			return i;
	return -1;
}

/* "MOVED 3999 host:port" or "ASK ...": the slot and the node, which is added if new. */
static int
redirect_of(struct mcp_cluster *cl, const char *s, int k, int *slot)
{
	char host[MCP_STORE_HOST_MAX];
	const char *sp = strchr(s, ' '), *addr, *colon;
	size_t n;

	if (sp == NULL || (addr = strchr(sp + 1, ' ')) == NULL ||
	    (colon = strrchr(++addr, ':')) == NULL)
		return -1;
	*slot = atoi(sp + 1);
	n = (size_t)(colon - addr);
	if (*slot < 0 || *slot >= NSLOTS || n >= sizeof(host))
		return -1;
	memcpy(host, addr, n);
	host[n] = '\0';
	return node_of(cl, n > 0 ? host : cl->node[k].a.host, atoi(colon + 1));
}

struct pass {
	int remap; /* a MOVED: read the map again */
	int wait;  /* a TRYAGAIN: wait a little */
	/* A NOSCRIPT: load the scripts there, once its replies are all read. */
	unsigned char load[MCP_STORE_NODES_MAX];
};

/* The reply r to c from node k: done, or where to send c again. */
static void
settle(struct mcp_store *st, struct qcmd *c, redisReply *r, int k, struct pass *ps)
{
	struct mcp_cluster *cl = st->cl;
	int to, slot;

	freeReplyObject(c->r);
	c->r = r;
	c->to = -1, c->asking = 0;
	if (r->type != REDIS_REPLY_ERROR || c->tx || c->hops++ >= REDIRECTS) {
		c->done = 1;
	} else if (strncmp(r->str, "MOVED ", 6) == 0 &&
	    (to = redirect_of(cl, r->str, k, &slot)) >= 0) {
		cl->map[slot] = (short)to;
		cl->node[to].master = 1;
		ps->remap = 1;
	} else if (strncmp(r->str, "ASK ", 4) == 0 &&
	    (to = redirect_of(cl, r->str, k, &slot)) >= 0) {
		c->to = to, c->asking = 1;
	} else if (strncmp(r->str, "TRYAGAIN", 8) == 0) {
		ps->wait = 1;
	} else if (strncmp(r->str, "NOSCRIPT", 8) == 0 && st->nlua > 0) {
		/* A node that never had them (a replica promoted, a reset). */
		ps->load[k] = 1;
	} else {
		c->done = 1;
	}
}

/* Send every command of q[0, n) not done to its node; -1 when a link failed. */
static int
send_all(struct mcp_store *st, struct qcmd *q, size_t n, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	redisContext *c;
	size_t i;
	int k, rc = 0;

	for (i = 0; i < n; i++) {
		q[i].sent = -1;
		if (q[i].done)
			continue;
		if ((k = target(cl, &q[i])) < 0) {
			freeReplyObject(q[i].r);
			q[i].r = local_error("CLUSTERDOWN Hash slot not served (no node known)");
			q[i].done = 1;
			continue;
		}
		if (link_node(st, k, err, errlen) == -1) {
			snprintf(st->where, sizeof(st->where), "%s", cl->node[k].where);
			cl->broken = 1;
			rc = -1;
			continue;
		}
		c = cl->node[k].c;
		if ((q[i].asking && redisAppendCommand(c, "ASKING") != REDIS_OK) ||
		    redisAppendFormattedCommand(c, q[i].buf, (size_t)q[i].len) != REDIS_OK) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		q[i].sent = k;
	}
	return rc;
}

/* Read node k's replies to q[0, n), in order; -1 when its link failed. */
static int
read_node(struct mcp_store *st, int k, struct qcmd *q, size_t n, struct pass *ps, char *err,
    size_t errlen)
{
	struct node *nd = &st->cl->node[k];
	void *r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (q[i].sent != k)
			continue;
		if (q[i].asking) {
			if (redisGetReply(nd->c, &r) != REDIS_OK)
				goto fail;
			freeReplyObject(r);
		}
		if (redisGetReply(nd->c, &r) != REDIS_OK)
			goto fail;
		settle(st, &q[i], r, k, ps);
	}
	return 0;
fail:
	st->timedout = mcp_store_ctx_err(err, errlen, nd->where, nd->c);
	snprintf(st->where, sizeof(st->where), "%s", nd->where);
	unlink_node(nd);
	st->cl->broken = 1;
	for (; i < n; i++)
		if (q[i].sent == k)
			q[i].sent = -1;
	return -1;
}

/*
 * Send q[0, n) and read the replies, following redirections.  0, or -1
 * with err when a link failed: q[0, *ok) are done then.
 */
static int
run(struct mcp_store *st, struct qcmd *q, size_t n, size_t *ok, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	struct pass ps;
	char why[256];
	size_t i;
	int k, rc;

	for (;;) {
		memset(&ps, 0, sizeof(ps));
		rc = send_all(st, q, n, err, errlen);
		for (k = 0; k < cl->nnode; k++)
			if (cl->node[k].c != NULL && read_node(st, k, q, n, &ps, err, errlen) == -1)
				rc = -1;
		for (i = 0; i < n && q[i].done; i++)
			;
		*ok = i;
		if (rc == -1 || i == n)
			break;
		for (k = 0; k < cl->nnode; k++)
			if (ps.load[k] && link_node(st, k, why, sizeof(why)) == 0)
				(void)load_scripts(st, k, why, sizeof(why));
		if (ps.remap)
			(void)refresh(st, err, errlen);
		if (ps.wait)
			mcp_store_nap(0.05);
	}
	return rc;
}

/* --- the store calls -------------------------------------------------------- */

int
mcp_cluster_queue(struct mcp_store *st, char *cmd, int len)
{
	struct mcp_cluster *cl = st->cl;
	struct qcmd *q;
	size_t cap;

	if (cl == NULL) {
		redisFreeCommand(cmd);
		return -1;
	}
	if (cl->nq == cl->cap) {
		cap = cl->cap ? 2 * cl->cap : 64;
		if ((q = reallocarray(cl->q, cap, sizeof(*q))) == NULL) {
			redisFreeCommand(cmd);
			return -1;
		}
		cl->q = q, cl->cap = cap;
	}
	memset(&cl->q[cl->nq], 0, sizeof(cl->q[0]));
	cl->q[cl->nq].buf = cmd;
	cl->q[cl->nq++].len = len;
	return 0;
}

void
mcp_cluster_drop(struct mcp_store *st)
{
	struct mcp_cluster *cl = st->cl;
	size_t i;

	if (cl == NULL)
		return;
	for (i = 0; i < cl->nq; i++) {
		redisFreeCommand(cl->q[i].buf);
		freeReplyObject(cl->q[i].r);
	}
	cl->nq = cl->nsent = cl->next = 0;
	cl->limit = SIZE_MAX;
}

int
mcp_cluster_read(struct mcp_store *st, redisReply **r, size_t n, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	size_t i, ok;

	for (i = 0; i < n; i++) {
		if (cl->next == cl->nq) {
			snprintf(err, errlen, "no command queued");
			return -1;
		}
		if (cl->next == cl->nsent) {
			plan(cl, cl->q + cl->nsent, cl->nq - cl->nsent);
			if (run(st, cl->q + cl->nsent, cl->nq - cl->nsent, &ok, cl->why,
			        sizeof(cl->why)) == -1)
				cl->limit = cl->nsent + ok;
			cl->nsent = cl->nq;
		}
		if (cl->next >= cl->limit) {
			snprintf(err, errlen, "%s", cl->why);
			return -1;
		}
		r[i] = cl->q[cl->next].r;
		cl->q[cl->next++].r = NULL;
	}
	if (cl->next == cl->nq)
		mcp_cluster_drop(st);
	return 0;
}

redisReply *
mcp_cluster_cmd(struct mcp_store *st, int argc, const char **argv, char *err, size_t errlen)
{
	struct qcmd one;
	size_t ok;
	int rc;

	memset(&one, 0, sizeof(one));
	if ((one.len = redisFormatCommandArgv(&one.buf, argc, argv, NULL)) < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	plan(st->cl, &one, 1);
	rc = run(st, &one, 1, &ok, err, errlen);
	redisFreeCommand(one.buf);
	if (rc == -1) {
		freeReplyObject(one.r);
		return NULL;
	}
	return one.r;
}

int
mcp_cluster_script_load(struct mcp_store *st, const char *lua, char *sha, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	int i, n = 0;

	for (i = 0; i < cl->nnode; i++) {
		if (!cl->node[i].master)
			continue;
		if (link_node(st, i, err, errlen) == -1 ||
		    mcp_store_load_on(cl->node[i].c, cl->node[i].where, lua, sha, err, errlen) ==
		        -1)
			return -1;
		n++;
	}
	if (n == 0)
		snprintf(err, errlen, "SCRIPT LOAD: no master known");
	return n > 0 ? 0 : -1;
}

int
mcp_cluster_retryable(const struct mcp_store *st, const redisReply *r)
{
	static const char *const codes[] = {
	    "READONLY", "LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "MOVED ", "ASK "};
	size_t i;

	if (st->cl == NULL || st->cl->broken)
		return 1;
	for (i = 0;
	     r != NULL && r->type == REDIS_REPLY_ERROR && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strncmp(r->str, codes[i], strlen(codes[i])) == 0)
			return 1;
	return 0;
}

int
mcp_cluster_masters(
    struct mcp_store *st, redisContext **c, const char **where, int max, char *err, size_t errlen)
{
	struct mcp_cluster *cl = st->cl;
	int i, n = 0;

	for (i = 0; i < cl->nnode && n < max; i++) {
		if (!cl->node[i].master)
			continue;
		if (link_node(st, i, err, errlen) == -1)
			return -1;
		c[n] = cl->node[i].c, where[n++] = cl->node[i].where;
	}
	return n;
}

int
mcp_cluster_linked(const struct mcp_store *st)
{
	return st->cl != NULL && st->cl->up;
}

/*
 * Read the map until every slot has a master that answers, for up to the
 * retry time: a failover takes the cluster's node timeout and an election.
 */
int
mcp_cluster_reconnect(struct mcp_store *st, char *err, size_t errlen)
{
	double until = mcp_mono() + st->opts.retry;
	struct mcp_cluster *cl;
	int i;

	if (st->cl == NULL) {
		if ((st->cl = calloc(1, sizeof(*st->cl))) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (i = 0; i < NSLOTS; i++)
			st->cl->map[i] = -1;
		st->cl->watch = -1;
		st->cl->limit = SIZE_MAX;
	}
	cl = st->cl;
	cl->up = cl->refused = 0;
	mcp_cluster_drop(st);
	for (;;) {
		for (i = 0; i < cl->nnode; i++)
			if (cl->node[i].c != NULL && cl->node[i].c->err != 0)
				unlink_node(&cl->node[i]);
		if (refresh(st, err, errlen) == 0 && masters_ready(st, err, errlen) == 0) {
			cl->broken = 0, cl->up = 1, cl->watch = -1;
			snprintf(st->where, sizeof(st->where), "cluster");
			return 0;
		}
		if (cl->refused || mcp_mono() + 0.2 > until)
			return -1;
		mcp_store_nap(0.2);
	}
}

void
mcp_cluster_free(struct mcp_store *st)
{
	int i;

	if (st->cl == NULL)
		return;
	mcp_cluster_drop(st);
	for (i = 0; i < st->cl->nnode; i++)
		unlink_node(&st->cl->node[i]);
	free(st->cl->q);
	free(st->cl);
	st->cl = NULL;
}
