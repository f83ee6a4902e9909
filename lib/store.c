/*
 * store.c - the Redis client of the suite (hiredis 0.14: no TLS, RESP2):
 * a single server or Sentinel's master; storeurl.c parses the URLs and
 * cluster.c routes for a Redis Cluster.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "mcp.h"
#include "store.h"
#include "storeint.h"

struct timeval
mcp_store_tv(double s)
{
	struct timeval tv;

	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)((s - (double)tv.tv_sec) * 1e6);
	return tv;
}

int
mcp_store_ctx_err(char *err, size_t errlen, const char *what, const redisContext *c)
{
	double secs;

	if (c == NULL) {
		snprintf(err, errlen, "%s: out of memory", what);
		return 0;
	}
	/*
	 * hiredis says a read past the timeout (SO_RCVTIMEO) with EAGAIN's
	 * text, and a connect past it with ETIMEDOUT's: both are the timeout.
	 */
	if (c->err == REDIS_ERR_IO && c->timeout != NULL &&
	    (strcmp(c->errstr, strerror(EAGAIN)) == 0 ||
	        strcmp(c->errstr, strerror(ETIMEDOUT)) == 0)) {
		secs = (double)c->timeout->tv_sec + (double)c->timeout->tv_usec / 1e6;
		snprintf(err, errlen, "%s: timed out after %g s", what, secs);
		return 1;
	}
	snprintf(err, errlen, "%s: %s", what, c->errstr);
	return 0;
}

/* A reply is an error: copy its text. */
static int
reply_err(redisReply *r, const char *what, char *err, size_t errlen)
{
	if (r->type == REDIS_REPLY_ERROR) {
		snprintf(err, errlen, "%s: %s", what, r->str);
		return -1;
	}
	return 0;
}

redisReply *
mcp_store_cmd(struct mcp_store *st, int argc, const char **argv, char *err, size_t errlen)
{
	redisReply *r;

	if (st->cl != NULL)
		return mcp_cluster_cmd(st, argc, argv, err, errlen);
	if (st->c == NULL) {
		snprintf(err, errlen, "not connected");
		return NULL;
	}
	r = redisCommandArgv(st->c, argc, argv, NULL);
	if (r == NULL)
		mcp_store_ctx_err(err, errlen, st->where, st->c);
	return r;
}

/* Ask one sentinel for the master's address. */
static int
ask_sentinel(struct mcp_store *st, const struct mcp_store_addr *s, struct mcp_store_addr *m,
    char *err, size_t errlen)
{
	redisContext *c;
	redisReply *r;
	char where[MCP_STORE_HOST_MAX + 32];
	int rc = -1;

	c = redisConnectWithTimeout(s->host, s->port, mcp_store_tv(st->opts.timeout));
	snprintf(where, sizeof(where), "sentinel %s:%d", s->host, s->port);
	if (c == NULL || c->err) {
		mcp_store_ctx_err(err, errlen, where, c);
		redisFree(c);
		return -1;
	}
	redisSetTimeout(c, mcp_store_tv(st->opts.timeout));
	r = redisCommand(c, "SENTINEL get-master-addr-by-name %s", st->url.master);
	if (r == NULL)
		mcp_store_ctx_err(err, errlen, where, c);
	else if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    r->element[1]->type == REDIS_REPLY_STRING &&
	    strlen(r->element[0]->str) < sizeof(m->host)) {
		snprintf(m->host, sizeof(m->host), "%s", r->element[0]->str);
		m->port = atoi(r->element[1]->str);
		rc = 0;
	} else
		snprintf(err, errlen, "sentinel %s:%d: no master named %s", s->host, s->port,
		    st->url.master);
	freeReplyObject(r);
	redisFree(c);
	return rc;
}

int
mcp_store_auth(struct mcp_store *st, redisContext *c, const char *where, char *err, size_t errlen)
{
	const char *argv[3];
	redisReply *r;
	int argc = 0, rc;

	if (!st->url.has_password)
		return 0;
	argv[argc++] = "AUTH";
	if (st->url.user[0] != '\0')
		argv[argc++] = st->url.user;
	argv[argc++] = st->url.password;
	if ((r = redisCommandArgv(c, argc, argv, NULL)) == NULL) {
		mcp_store_ctx_err(err, errlen, where, c);
		return -1;
	}
	rc = reply_err(r, "AUTH", err, errlen);
	freeReplyObject(r);
	return rc;
}

/* AUTH, SELECT, and for Sentinel URLs check that the server is a master. */
static int
handshake(struct mcp_store *st, char *err, size_t errlen)
{
	const char *argv[2];
	char db[16];
	redisReply *r;
	int rc;

	if (mcp_store_auth(st, st->c, st->where, err, errlen) == -1)
		return -1;
	if (st->url.db != 0) {
		snprintf(db, sizeof(db), "%d", st->url.db);
		argv[0] = "SELECT";
		argv[1] = db;
		if ((r = mcp_store_cmd(st, 2, argv, err, errlen)) == NULL)
			return -1;
		rc = reply_err(r, "SELECT", err, errlen);
		freeReplyObject(r);
		if (rc == -1)
			return -1;
	}
	if (st->url.kind != MCP_STORE_SENTINEL)
		return 0;
	argv[0] = "ROLE";
	if ((r = mcp_store_cmd(st, 1, argv, err, errlen)) == NULL)
		return -1;
	rc = 0;
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    strcmp(r->element[0]->str, "master") != 0) {
		snprintf(err, errlen, "%s: not a master (failover in progress?)", st->where);
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}

static int
connect_once(struct mcp_store *st, char *err, size_t errlen)
{
	struct mcp_store_addr m;
	int i;

	redisFree(st->c);
	st->c = NULL;
	if (st->url.kind == MCP_STORE_UNIX) {
		snprintf(st->where, sizeof(st->where), "%s", st->url.path);
		st->c = redisConnectUnixWithTimeout(st->url.path, mcp_store_tv(st->opts.timeout));
	} else {
		m = st->url.addr;
		if (st->url.kind == MCP_STORE_SENTINEL) {
			for (i = 0; i < st->url.nsentinel; i++)
				if (ask_sentinel(st, &st->url.sentinel[i], &m, err, errlen) == 0)
					break;
			if (i == st->url.nsentinel)
				return -1;
		}
		snprintf(st->where, sizeof(st->where), "%s:%d", m.host, m.port);
		st->c = redisConnectWithTimeout(m.host, m.port, mcp_store_tv(st->opts.timeout));
	}
	if (st->c == NULL || st->c->err) {
		mcp_store_ctx_err(err, errlen, st->where, st->c);
		redisFree(st->c);
		st->c = NULL;
		return -1;
	}
	/* Bounds every command, not only the connect; lost on any reconnect. */
	if (redisSetTimeout(st->c, mcp_store_tv(st->opts.timeout)) != REDIS_OK) {
		mcp_store_ctx_err(err, errlen, st->where, st->c);
		return -1;
	}
	return handshake(st, err, errlen);
}

void
mcp_store_nap(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int script_load(struct mcp_store *st, const char *lua, char *sha, char *err, size_t errlen);

int
mcp_store_reconnect(struct mcp_store *st, char *err, size_t errlen)
{
	double until = mcp_mono() + st->opts.retry;
	char sha[41];
	int i;

	if (st->url.kind == MCP_STORE_CLUSTER)
		return mcp_cluster_reconnect(st, err, errlen);
	for (;;) {
		if (connect_once(st, err, errlen) == 0) {
			for (i = 0; i < st->nlua; i++)
				if (script_load(st, st->lua[i], sha, err, errlen) == -1) {
					redisFree(st->c);
					st->c = NULL;
					return -1;
				}
			return 0;
		}
		redisFree(st->c);
		st->c = NULL;
		if (mcp_mono() + 0.2 > until)
			return -1;
		mcp_store_nap(0.2);
	}
}

struct mcp_store *
mcp_store_open(const char *url, const struct mcp_store_opts *o, char *err, size_t errlen)
{
	struct mcp_store *st;
	char why[256];

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (mcp_store_parse_url(url, &st->url, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "bad store URL: %s", why);
		mcp_store_close(st);
		return NULL;
	}
	st->opts = *o;
	if (st->opts.timeout <= 0)
		st->opts.timeout = 5;
	if (st->opts.retry < 0)
		st->opts.retry =
		    st->url.kind == MCP_STORE_SENTINEL || st->url.kind == MCP_STORE_CLUSTER ? 10
		                                                                            : 0;
	if (mcp_store_reconnect(st, err, errlen) == -1) {
		mcp_store_close(st);
		return NULL;
	}
	return st;
}

redisContext *
mcp_store_ctx(struct mcp_store *st)
{
	return st->c;
}

int
mcp_store_is_cluster(const struct mcp_store *st)
{
	return st->url.kind == MCP_STORE_CLUSTER;
}

/* Format a command for the cluster's queue, which takes it; else append it to the context. */
int
mcp_store_appendf(struct mcp_store *st, const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int len;

	va_start(ap, fmt);
	if (st->url.kind == MCP_STORE_CLUSTER) {
		len = redisvFormatCommand(&cmd, fmt, ap);
		va_end(ap);
		return len < 0 ? -1 : mcp_cluster_queue(st, cmd, len);
	}
	len = st->c != NULL && redisvAppendCommand(st->c, fmt, ap) == REDIS_OK ? 0 : -1;
	va_end(ap);
	return len;
}

int
mcp_store_appendv(struct mcp_store *st, int argc, const char **argv, const size_t *argvlen)
{
	char *cmd;
	int len;

	if (st->url.kind == MCP_STORE_CLUSTER) {
		len = redisFormatCommandArgv(&cmd, argc, argv, argvlen);
		return len < 0 ? -1 : mcp_cluster_queue(st, cmd, len);
	}
	if (st->c == NULL || redisAppendCommandArgv(st->c, argc, argv, argvlen) != REDIS_OK)
		return -1;
	return 0;
}
const char *
mcp_store_where(const struct mcp_store *st)
{
	return st->where;
}

int
mcp_store_retryable(const struct mcp_store *st, const redisReply *r)
{
	if (st->url.kind == MCP_STORE_CLUSTER)
		return mcp_cluster_retryable(st, r);
	if (st->c == NULL || st->c->err != 0)
		return 1;
	if (r != NULL && r->type == REDIS_REPLY_ERROR)
		return strncmp(r->str, "READONLY", 8) == 0 || strncmp(r->str, "LOADING", 7) == 0 ||
		    strncmp(r->str, "MASTERDOWN", 10) == 0;
	return 0;
}

void
mcp_store_close(struct mcp_store *st)
{
	if (st == NULL)
		return;
	redisFree(st->c);
	mcp_cluster_free(st);
	explicit_bzero(&st->url, sizeof(st->url));
	free(st);
}

int
mcp_store_load_on(
    redisContext *c, const char *where, const char *lua, char *sha, char *err, size_t errlen)
{
	const char *argv[3] = {"SCRIPT", "LOAD", lua};
	redisReply *r;
	int rc = -1;

	if ((r = redisCommandArgv(c, 3, argv, NULL)) == NULL) {
		mcp_store_ctx_err(err, errlen, where, c);
		return -1;
	}
	if (r->type == REDIS_REPLY_STRING && r->len == 40) {
		memcpy(sha, r->str, 41);
		rc = 0;
	} else if (r->type == REDIS_REPLY_ERROR)
		snprintf(err, errlen, "SCRIPT LOAD: %s", r->str);
	else
		snprintf(err, errlen, "SCRIPT LOAD: unexpected reply");
	freeReplyObject(r);
	return rc;
}

static int
script_load(struct mcp_store *st, const char *lua, char *sha, char *err, size_t errlen)
{
	if (st->cl != NULL)
		return mcp_cluster_script_load(st, lua, sha, err, errlen);
	if (st->c == NULL) {
		snprintf(err, errlen, "not connected");
		return -1;
	}
	return mcp_store_load_on(st->c, st->where, lua, sha, err, errlen);
}

int
mcp_store_script_load(struct mcp_store *st, const char *lua, char *sha, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < st->nlua && st->lua[i] != lua; i++)
		;
	if (i == st->nlua) {
		if (st->nlua == MCP_STORE_SCRIPTS_MAX) {
			snprintf(err, errlen, "SCRIPT LOAD: more than %d scripts",
			    MCP_STORE_SCRIPTS_MAX);
			return -1;
		}
		st->lua[st->nlua++] = lua;
	}
	return script_load(st, lua, sha, err, errlen);
}

int
mcp_store_read(struct mcp_store *st, redisReply **r, size_t n, char *err, size_t errlen)
{
	void *p;
	size_t i;

	if (st->cl != NULL)
		return mcp_cluster_read(st, r, n, err, errlen);
	for (i = 0; i < n; i++) {
		if (st->c == NULL) {
			snprintf(err, errlen, "not connected");
			return -1;
		}
		if (redisGetReply(st->c, &p) != REDIS_OK) {
			st->timedout = mcp_store_ctx_err(err, errlen, st->where, st->c);
			return -1;
		}
		r[i] = p;
	}
	return 0;
}

enum mcp_store_status
mcp_store_run(struct mcp_store *st, const struct mcp_store_retry *rp, mcp_store_round_fn *round,
    void *arg, char *err, size_t errlen)
{
	enum mcp_store_status rc = MCP_STORE_AGAIN;
	int i;

	for (i = 0; i < rp->rounds; i++) {
		/* Before the first round, only a link a reconnect failed to make. */
		if (i > 0 || (st->cl != NULL ? !mcp_cluster_linked(st) : st->c == NULL)) {
			if (mcp_store_reconnect(st, err, errlen) == -1) {
				if (rp->report != NULL)
					rp->report(err);
				return MCP_STORE_DOWN;
			}
		}
		if (st->cl != NULL)
			mcp_cluster_drop(st); /* what an earlier round left unread */
		st->timedout = 0;
		if ((rc = round(st, arg, err, errlen)) == MCP_STORE_OK)
			return rc;
		if (rp->report != NULL)
			rp->report(err);
		if (rc != MCP_STORE_AGAIN)
			return rc;
		if (rp->timeout_ends && st->timedout) {
			/* Not waited for again now; the next run connects anew. */
			if (st->cl == NULL) {
				redisFree(st->c);
				st->c = NULL;
			}
			return rc;
		}
	}
	if (rp->last && mcp_store_reconnect(st, err, errlen) == -1) {
		if (rp->report != NULL)
			rp->report(err);
		return MCP_STORE_DOWN;
	}
	return rc;
}

static int
scan_one(redisContext *c, const char *where, const char *match, char ***keys, size_t *n, char *err,
    size_t errlen)
{
	char cur[32] = "0", **k;
	const char *argv[] = {"SCAN", cur, "MATCH", match, "COUNT", "1000"};
	redisReply *r;
	size_t i;

	do {
		if ((r = redisCommandArgv(c, 6, argv, NULL)) == NULL) {
			mcp_store_ctx_err(err, errlen, where, c);
			return -1;
		}
		if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
		    r->element[0]->type != REDIS_REPLY_STRING ||
		    r->element[1]->type != REDIS_REPLY_ARRAY ||
		    strlen(r->element[0]->str) >= sizeof(cur)) {
			snprintf(err, errlen, "%s: SCAN: %s", where,
			    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
			freeReplyObject(r);
			return -1;
		}
		snprintf(cur, sizeof(cur), "%s", r->element[0]->str);
		if ((k = reallocarray(*keys, *n + r->element[1]->elements + 1, sizeof(*k))) == NULL)
			break;
		*keys = k;
		for (i = 0; i < r->element[1]->elements; i++)
			if ((k[*n] = strdup(r->element[1]->element[i]->str)) != NULL)
				(*n)++;
		if (i < r->element[1]->elements)
			break;
		freeReplyObject(r);
	} while (strcmp(cur, "0") != 0);
	if (strcmp(cur, "0") == 0)
		return 0;
	freeReplyObject(r);
	snprintf(err, errlen, "out of memory");
	return -1;
}

int
mcp_store_scan(
    struct mcp_store *st, const char *match, char ***keys, size_t *n, char *err, size_t errlen)
{
	redisContext *c[MCP_STORE_NODES_MAX];
	const char *where[MCP_STORE_NODES_MAX];
	int i, nc = 1;
	size_t j;

	*keys = NULL, *n = 0;
	c[0] = st->c, where[0] = st->where;
	if (st->cl != NULL &&
	    (nc = mcp_cluster_masters(st, c, where, MCP_STORE_NODES_MAX, err, errlen)) == -1)
		return -1;
	for (i = 0; i < nc; i++) {
		if (c[i] == NULL) {
			snprintf(err, errlen, "not connected");
			break;
		}
		if (scan_one(c[i], where[i], match, keys, n, err, errlen) == -1)
			break;
	}
	if (i == nc)
		return 0;
	for (j = 0; j < *n; j++)
		free((*keys)[j]);
	free(*keys);
	*keys = NULL, *n = 0;
	return -1;
}
