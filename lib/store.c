/*
 * store.c - the Redis client of the suite (hiredis 0.14: no TLS, RESP2):
 * URLs, a single server or Sentinel's master; cluster.c does the rest.
 */
#include <ctype.h>
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

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Copy [s, s+n) into dst (size dstlen), decoding %XX.  0 or -1. */
static int
copy_decoded(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (o + 1 >= dstlen)
			return -1;
		if (s[i] == '%') {
			if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return -1;
			dst[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else
			dst[o++] = s[i];
	}
	dst[o] = '\0';
	return 0;
}

static int
parse_int(const char *s, size_t n, int lo, int hi, int *out)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 9)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* "host[:port]" or "[v6]:port" in [s, s+n). */
static int
parse_addr(const char *s, size_t n, int defport, struct mcp_store_addr *a)
{
	const char *colon = NULL, *hs = s, *he;
	size_t i;

	if (n > 0 && s[0] == '[') {
		for (i = 1; i < n && s[i] != ']'; i++)
			;
		if (i == n)
			return -1;
		hs = s + 1;
		he = s + i;
		if (i + 1 < n) {
			if (s[i + 1] != ':')
				return -1;
			colon = s + i + 1;
		}
	} else {
		colon = memchr(s, ':', n);
		he = colon ? colon : s + n;
	}
	if (he == hs || (size_t)(he - hs) >= sizeof(a->host))
		return -1;
	memcpy(a->host, hs, (size_t)(he - hs));
	a->host[he - hs] = '\0';
	a->port = defport;
	if (colon && parse_int(colon + 1, (size_t)(s + n - colon - 1), 1, 65535, &a->port) == -1)
		return -1;
	return 0;
}

/* "[[user]:password@]" at the start of *sp, up to end; advances *sp. */
static int
parse_userinfo(const char **sp, const char *end, struct mcp_store_url *u)
{
	const char *s = *sp, *at, *colon;

	at = memchr(s, '@', (size_t)(end - s));
	if (at == NULL)
		return 0;
	colon = memchr(s, ':', (size_t)(at - s));
	if (colon == NULL) /* "user@" alone: a password is needed for AUTH */
		return -1;
	if (copy_decoded(u->user, sizeof(u->user), s, (size_t)(colon - s)) == -1 ||
	    copy_decoded(u->password, sizeof(u->password), colon + 1, (size_t)(at - colon - 1)) ==
	        -1)
		return -1;
	u->has_password = 1;
	*sp = at + 1;
	return 0;
}

static int
parse_query(const char *q, struct mcp_store_url *u)
{
	const char *p = q, *amp, *eq;
	size_t n;

	while (*p != '\0') {
		amp = strchr(p, '&');
		n = amp ? (size_t)(amp - p) : strlen(p);
		eq = memchr(p, '=', n);
		if (eq == NULL)
			return -1;
		if ((size_t)(eq - p) == 2 && strncmp(p, "db", 2) == 0) {
			if (parse_int(eq + 1, (size_t)(p + n - eq - 1), 0, 1000000, &u->db) == -1)
				return -1;
		} else if ((size_t)(eq - p) == 4 && strncmp(p, "user", 4) == 0) {
			if (copy_decoded(
			        u->user, sizeof(u->user), eq + 1, (size_t)(p + n - eq - 1)) == -1)
				return -1;
		} else if ((size_t)(eq - p) == 8 && strncmp(p, "password", 8) == 0) {
			if (copy_decoded(u->password, sizeof(u->password), eq + 1,
			        (size_t)(p + n - eq - 1)) == -1)
				return -1;
			u->has_password = 1;
		} else
			return -1;
		p += n;
		if (*p == '&')
			p++;
	}
	return 0;
}

static int
parse_unix(const char *s, struct mcp_store_url *u, char *err, size_t errlen)
{
	const char *q = strchr(s, '?');
	size_t n = q ? (size_t)(q - s) : strlen(s);

	u->kind = MCP_STORE_UNIX;
	if (n == 0 || s[0] != '/' || n >= sizeof(u->path)) {
		snprintf(err, errlen, "unix URL needs an absolute socket path");
		return -1;
	}
	memcpy(u->path, s, n);
	u->path[n] = '\0';
	if (q && parse_query(q + 1, u) == -1) {
		snprintf(err, errlen, "bad query (db=N, user=, password=)");
		return -1;
	}
	return 0;
}

/*
 * "host[:port][,host[:port]...]" in [s, rest) into a[], at most max.  0; -1
 * for a bad address or too many; -2 for none, or a comma at the end.
 */
static int
parse_hosts(const char *s, const char *rest, int defport, struct mcp_store_addr *a, int max, int *n)
{
	const char *p, *comma;

	for (p = s; p < rest; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(rest - p));
		if (comma == NULL)
			comma = rest;
		if (*n == max || parse_addr(p, (size_t)(comma - p), defport, &a[*n]) == -1)
			return -1;
		(*n)++;
	}
	return *n == 0 || rest[-1] == ',' ? -2 : 0;
}

static int
parse_tcp(const char *s, const char *rest, struct mcp_store_url *u, char *err, size_t errlen)
{
	u->kind = MCP_STORE_TCP;
	if (parse_addr(s, (size_t)(rest - s), 6379, &u->addr) == -1) {
		snprintf(err, errlen, "bad host or port");
		return -1;
	}
	if (*rest == '/' && rest[1] != '\0' &&
	    parse_int(rest + 1, strlen(rest + 1), 0, 1000000, &u->db) == -1) {
		snprintf(err, errlen, "bad database number");
		return -1;
	}
	return 0;
}

/* A cluster has database 0 only: "/" and "/0" are all the path may say. */
static int
parse_cluster(const char *s, const char *rest, struct mcp_store_url *u, char *err, size_t errlen)
{
	u->kind = MCP_STORE_CLUSTER;
	if (parse_hosts(s, rest, 6379, u->seed, MCP_STORE_SEEDS_MAX, &u->nseed) < 0) {
		snprintf(err, errlen, "bad node address (host:port[,host:port], at most %d)",
		    MCP_STORE_SEEDS_MAX);
		return -1;
	}
	if (*rest == '/' && rest[1] != '\0' && strcmp(rest + 1, "0") != 0) {
		snprintf(err, errlen, "a cluster has database 0 only");
		return -1;
	}
	return 0;
}

static int
parse_sentinel(const char *s, const char *rest, struct mcp_store_url *u, char *err, size_t errlen)
{
	const char *p;
	int rc;

	u->kind = MCP_STORE_SENTINEL;
	rc = parse_hosts(s, rest, 26379, u->sentinel, MCP_STORE_SENTINELS_MAX, &u->nsentinel);
	if (rc == -1) {
		snprintf(err, errlen, "bad sentinel address");
		return -1;
	}
	if (rc == -2 || *rest != '/' || rest[1] == '\0' || rest[1] == '/') {
		snprintf(err, errlen, "sentinel URL needs host:port[,host:port]/master-name");
		return -1;
	}
	p = strchr(rest + 1, '/');
	if (copy_decoded(u->master, sizeof(u->master), rest + 1,
	        p ? (size_t)(p - rest - 1) : strlen(rest + 1)) == -1) {
		snprintf(err, errlen, "master name too long");
		return -1;
	}
	if (p && p[1] != '\0' && parse_int(p + 1, strlen(p + 1), 0, 1000000, &u->db) == -1) {
		snprintf(err, errlen, "bad database number");
		return -1;
	}
	return 0;
}

/* After the scheme: [[user]:password@]hostlist[/rest]. */
static int
parse_net(
    const char *s, enum mcp_store_kind kind, struct mcp_store_url *u, char *err, size_t errlen)
{
	const char *end = s + strlen(s), *slash, *rest;

	slash = strchr(s, '/');
	if (parse_userinfo(&s, slash ? slash : end, u) == -1) {
		snprintf(err, errlen, "bad user:password part");
		return -1;
	}
	slash = strchr(s, '/');
	rest = slash ? slash : end;
	if (kind == MCP_STORE_TCP)
		return parse_tcp(s, rest, u, err, errlen);
	if (kind == MCP_STORE_CLUSTER)
		return parse_cluster(s, rest, u, err, errlen);
	return parse_sentinel(s, rest, u, err, errlen);
}

int
mcp_store_parse_url(const char *url, struct mcp_store_url *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	if (strncmp(url, "redis://", 8) == 0)
		return parse_net(url + 8, MCP_STORE_TCP, u, err, errlen);
	if (strncmp(url, "redis-sentinel://", 17) == 0)
		return parse_net(url + 17, MCP_STORE_SENTINEL, u, err, errlen);
	if (strncmp(url, "redis-cluster://", 16) == 0)
		return parse_net(url + 16, MCP_STORE_CLUSTER, u, err, errlen);
	if (strncmp(url, "unix://", 7) == 0)
		return parse_unix(url + 7, u, err, errlen);
	snprintf(
	    err, errlen, "unknown scheme (redis://, unix://, redis-sentinel://, redis-cluster://)");
	return -1;
}

int
mcp_store_url_check(const char *url, char *err, size_t errlen)
{
	struct mcp_store_url u;
	char why[512];
	int rc = 0;

	if (mcp_store_parse_url(mcp_store_url_choose(url), &u, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "bad store URL: %s", why);
		rc = -1;
	}
	explicit_bzero(&u, sizeof(u));
	return rc;
}

const char *
mcp_store_url_choose(const char *arg)
{
	const char *e;

	if (arg != NULL)
		return arg;
	if ((e = getenv("MCP_REDIS")) != NULL && *e != '\0')
		return e;
	return MCP_STORE_DEFAULT_URL;
}

struct timeval
mcp_store_tv(double s)
{
	struct timeval tv;

	tv.tv_sec = (time_t)s;
	tv.tv_usec = (suseconds_t)((s - (double)tv.tv_sec) * 1e6);
	return tv;
}

static void
set_ctx_err(char *err, size_t errlen, const char *what, const redisContext *c)
{
	snprintf(err, errlen, "%s: %s", what, c ? c->errstr : "out of memory");
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
		set_ctx_err(err, errlen, st->where, st->c);
	return r;
}

/* Ask one sentinel for the master's address. */
static int
ask_sentinel(struct mcp_store *st, const struct mcp_store_addr *s, struct mcp_store_addr *m,
    char *err, size_t errlen)
{
	redisContext *c;
	redisReply *r;
	int rc = -1;

	c = redisConnectWithTimeout(s->host, s->port, mcp_store_tv(st->opts.timeout));
	if (c == NULL || c->err) {
		snprintf(err, errlen, "sentinel %s:%d: %s", s->host, s->port,
		    c ? c->errstr : "out of memory");
		redisFree(c);
		return -1;
	}
	redisSetTimeout(c, mcp_store_tv(st->opts.timeout));
	r = redisCommand(c, "SENTINEL get-master-addr-by-name %s", st->url.master);
	if (r == NULL)
		snprintf(err, errlen, "sentinel %s:%d: %s", s->host, s->port, c->errstr);
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
		set_ctx_err(err, errlen, where, c);
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
		set_ctx_err(err, errlen, st->where, st->c);
		redisFree(st->c);
		st->c = NULL;
		return -1;
	}
	/* Bounds every command, not only the connect; lost on any reconnect. */
	if (redisSetTimeout(st->c, mcp_store_tv(st->opts.timeout)) != REDIS_OK) {
		set_ctx_err(err, errlen, st->where, st->c);
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
		set_ctx_err(err, errlen, where, c);
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
			set_ctx_err(err, errlen, st->where, st->c);
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
		if ((rc = round(st, arg, err, errlen)) == MCP_STORE_OK)
			return rc;
		if (rp->report != NULL)
			rp->report(err);
		if (rc != MCP_STORE_AGAIN)
			return rc;
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
			set_ctx_err(err, errlen, where, c);
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
