/*
 * storeurl.c - the store URLs: redis://, unix://, redis-sentinel://,
 * redis-cluster://; which one to use.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "store.h"

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

/*
 * The password of $MCP_REDIS_PASSWORD_FILE, for a URL that gives none: the
 * file's first line without the blanks around it, read as every secret
 * file of the suite is (mcp_secret_read: a regular file, mode 600 or
 * stricter).  0 (also when the variable is unset or the URL has a
 * password), or -1 with err.
 */
static int
password_file(struct mcp_store_url *u, char *err, size_t errlen)
{
	const char *f = getenv("MCP_REDIS_PASSWORD_FILE");
	char why[128], *pw;
	size_t n;

	if (f == NULL || *f == '\0' || u->has_password)
		return 0;
	if ((pw = mcp_secret_read(f, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "MCP_REDIS_PASSWORD_FILE %s: %s", f, why);
		return -1;
	}
	if ((n = strlen(pw)) >= MCP_STORE_CRED_MAX) {
		snprintf(err, errlen, "MCP_REDIS_PASSWORD_FILE %s: longer than %d bytes", f,
		    MCP_STORE_CRED_MAX - 1);
		explicit_bzero(pw, n);
		free(pw);
		return -1;
	}
	memcpy(u->password, pw, n + 1);
	u->has_password = 1;
	explicit_bzero(pw, n);
	free(pw);
	return 0;
}

static int
parse_url(const char *url, struct mcp_store_url *u, char *err, size_t errlen)
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
mcp_store_parse_url(const char *url, struct mcp_store_url *u, char *err, size_t errlen)
{
	if (parse_url(url, u, err, errlen) == -1)
		return -1;
	return password_file(u, err, errlen);
}

int
mcp_store_url_public(const char *url, char *out, size_t outlen)
{
	const char *p, *end, *slash, *at, *colon, *q, *amp;
	size_t o = 0, n;
	int first = 1;

#define PUT(s, len)                                                                                \
	do {                                                                                       \
		if (o + (len) >= outlen)                                                           \
			return -1;                                                                 \
		memcpy(out + o, (s), (len));                                                       \
		o += (len);                                                                        \
	} while (0)
	if (outlen == 0)
		return -1;
	p = strstr(url, "://");
	p = p != NULL ? p + 3 : url;
	PUT(url, (size_t)(p - url));
	end = p + strcspn(p, "?");
	slash = memchr(p, '/', (size_t)(end - p));
	at = memchr(p, '@', (size_t)((slash ? slash : end) - p));
	if (at != NULL && (colon = memchr(p, ':', (size_t)(at - p))) != NULL) {
		if (colon > p) { /* "user:password@": "user@" */
			PUT(p, (size_t)(colon - p));
			PUT("@", 1);
		}
		p = at + 1;
	}
	PUT(p, (size_t)(end - p));
	for (q = *end == '?' ? end + 1 : end; *q != '\0'; q = *amp == '&' ? amp + 1 : amp) {
		amp = q + strcspn(q, "&");
		n = (size_t)(amp - q);
		if (n >= 9 && strncmp(q, "password=", 9) == 0)
			continue;
		PUT(first ? "?" : "&", 1);
		PUT(q, n);
		first = 0;
	}
#undef PUT
	out[o] = '\0';
	return 0;
}

/* Overwrite [p, p+n) with '*'. */
static void
blank(char *p, size_t n)
{
	memset(p, '*', n);
}

const char *
mcp_store_url_arg(char *arg)
{
	static char *kept;
	char *p, *end, *slash, *at, *colon;

	free(kept);
	if ((kept = strdup(arg)) == NULL)
		return arg; /* out of memory: left as it was */
	if ((p = strstr(arg, "://")) == NULL)
		return kept;
	p += 3;
	end = p + strlen(p);
	slash = strchr(p, '/');
	at = memchr(p, '@', (size_t)((slash ? slash : end) - p));
	if (at != NULL && (colon = memchr(p, ':', (size_t)(at - p))) != NULL)
		blank(colon + 1, (size_t)(at - colon - 1));
	for (p = strchr(p, '?'); p != NULL; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, "password=", 9) == 0)
			blank(p + 10, strcspn(p + 10, "&"));
	return kept;
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
