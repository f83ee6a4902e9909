/*
 * ingest.c - the routes of mcp-aggregate ingest (mcp-aggregate(1)
 * "ingest", mcp-serve(8) "INGEST"): POST /ingest/REGION stores a region's
 * probe records as push -r REGION stores them and answers line by line;
 * GET /targets/REGION hands out the targets as the targets subcommand
 * prints them.  Both take a token of REGION and nothing else: a token of
 * one region writes that region's results and reads the fleet's targets,
 * no more.
 *
 * The order of the checks is the order of their costs: the route, the
 * token (one HGET), the body's bounds, the region's rate (one script),
 * then the lines.  A request refused early has cost the store one
 * command and the ingest none of its body's parsing.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "../registry/registry.h"
#include "ingest.h"
#include "loop.h"

/*
 * The region's lines this minute (KEYS[1], mcp:ingest:rate:REGION:MINUTE):
 * ARGV[1] more if that stays within ARGV[2], and the new count; -1, and
 * nothing counted, if not.  ARGV[1] 0 asks only whether the region is at
 * its bound already (-1).
 */
static const char rate_lua[] =
    "local v = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
    "if ARGV[1] == '0' then return v >= tonumber(ARGV[2]) and -1 or v end\n"
    "if v + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return -1 end\n"
    "redis.call('INCRBY', KEYS[1], ARGV[1])\n"
    "redis.call('EXPIRE', KEYS[1], 120)\n"
    "return v + tonumber(ARGV[1])\n";

void
ing_log(const struct ing_conn *c, const char *fmt, ...)
{
	char msg[1024], line[1100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s: ingest: %s", program_invocation_short_name, msg);
	if (c->log != NULL)
		c->log(c->logarg, line);
	else
		fprintf(stderr, "%s\n", line);
}

void
ing_fail(struct ing_resp *r, int status, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	mcp_buf_reset(&r->body);
	r->status = status;
	r->ctype = "application/json; charset=utf-8";
	if (mcp_buf_adds(&r->body, "{\"error\":") == -1 || mcp_json_string(&r->body, what) == -1 ||
	    mcp_buf_adds(&r->body, "}\n") == -1)
		r->status = 500;
}

/*
 * A setting of the ingest: the request's parameter (the web server's
 * fastcgi_param, a CGI program's environment), else the responder's own
 * environment; NULL when neither has it.
 */
static const char *
setting(const struct ing_src *s, const char *name)
{
	const char *v = ing_param(s, name);

	if (v == NULL || *v == '\0')
		v = getenv(name);
	return v != NULL && *v != '\0' ? v : NULL;
}

void
ing_drop_store(struct ing_conn *c)
{
	if (c->st != NULL)
		mcp_store_close(c->st);
	c->st = NULL;
}

/*
 * The store of the request: MCP_REDIS of the request (a CGI program's
 * environment, a FastCGI parameter), else -R, else the responder's
 * environment, else the default; kept by a FastCGI responder while it
 * answers.  NULL after a line of the log.
 */
static struct mcp_store *
store(struct ing_conn *c, const struct ing_src *s)
{
	struct mcp_store_opts so = {c->o->timeout, -1};
	const char *u = ing_param(s, "MCP_REDIS");
	char err[512];

	u = mcp_store_url_choose(u != NULL && *u != '\0' ? u : c->o->url);
	if (c->st != NULL && strcmp(c->url, u) != 0)
		ing_drop_store(c);
	if (c->st != NULL)
		return c->st;
	if (strlen(u) >= sizeof(c->url) ||
	    (c->st = mcp_store_open(u, &so, err, sizeof(err))) == NULL ||
	    mcp_store_script_load(c->st, rate_lua, c->rate_sha, err, sizeof(err)) == -1) {
		ing_log(c, "redis: %s", err);
		ing_drop_store(c);
		return NULL;
	}
	memcpy(c->url, u, strlen(u) + 1);
	return c->st;
}

/*
 * The token of the request's Authorization header, checked against the
 * region's: 0, or -1 with the answer made.  The header's text is wiped
 * once read, and the copy once checked; neither is ever logged.
 */
static int
auth(struct ing_conn *c, const struct ing_src *s, const char *region, struct ing_resp *r)
{
	char *a = (char *)ing_param(s, "HTTP_AUTHORIZATION"), tok[AGG_TOKEN_LEN + 2], id[16],
	     err[512], field[MCP_SLUG_MAX + 20], now[32];
	const char *addr = ing_param(s, "REMOTE_ADDR"),
	           *argv[] = {"HSET", AGG_KEY_USED, field, now};
	size_t n = 0;
	int rc = -1;

	tok[0] = '\0';
	if (a != NULL && strncasecmp(a, "Bearer ", 7) == 0) {
		a += 7 + strspn(a + 7, " ");
		for (n = strlen(a); n > 0 && a[n - 1] == ' '; n--)
			;
		if (n <= AGG_TOKEN_LEN) {
			memcpy(tok, a, n);
			tok[n] = '\0';
		}
		OPENSSL_cleanse(a, strlen(a));
	}
	if (tok[0] != '\0')
		rc = agg_token_check(c->st, region, tok, id, err, sizeof(err));
	OPENSSL_cleanse(tok, sizeof(tok));
	if (rc == -2) {
		ing_log(c, "%s: redis: %s", region, err);
		ing_drop_store(c);
		ing_fail(r, 503, "store unavailable");
		r->retry_after = 30;
		return -1;
	}
	if (rc == -1) {
		ing_log(c, "%s: a request without a token of the region, from %s", region,
		    addr != NULL ? addr : "?");
		ing_fail(r, 401, "a token of %s is needed", region);
		r->challenge = 1;
		return -1;
	}
	snprintf(c->token_id, sizeof(c->token_id), "%s", id);
	snprintf(field, sizeof(field), "%s %s", region, id);
	snprintf(now, sizeof(now), "%.3f", mcp_now());
	freeReplyObject(mcp_store_cmd(c->st, 4, argv, err, sizeof(err)));
	return 0;
}

int
ing_rate(struct ing_conn *c, const char *what, const char *region, long n, long lim)
{
	char key[MCP_SLUG_MAX + 64], sn[24], sl[24], err[512];
	redisReply *r = NULL;
	int rc = -1;

	snprintf(
	    key, sizeof(key), "mcp:ingest:%s:%s:%lld", what, region, (long long)(mcp_now() / 60));
	snprintf(sn, sizeof(sn), "%ld", n);
	snprintf(sl, sizeof(sl), "%ld", lim);
	if (mcp_store_appendf(c->st, "EVALSHA %s 1 %s %s %s", c->rate_sha, key, sn, sl) == 0 &&
	    mcp_store_read(c->st, &r, 1, err, sizeof(err)) == 0) {
		if (r->type == REDIS_REPLY_INTEGER)
			rc = r->integer < 0 ? 1 : 0;
		else
			snprintf(err, sizeof(err), "%s: %s", what,
			    r->type == REDIS_REPLY_ERROR ? r->str : "?");
	}
	if (rc == -1)
		ing_log(c, "%s: redis: %s", region, err);
	freeReplyObject(r);
	return rc;
}

/* The runner's clock (X-Runner-Clock) as far from ours as to be refused: the reason. */
static const char *
clock_off(const struct ing_src *s, char *why, size_t len)
{
	const char *h = ing_param(s, "HTTP_X_RUNNER_CLOCK");
	double t = h != NULL ? mcp_time_of(h) : -1, d = t - mcp_now();

	if (t < 0 || (d <= ING_CLOCK && d >= -ING_CLOCK))
		return NULL;
	snprintf(why, len,
	    "the runner's clock is %.0f s %s the ingest's (at most %d s): fix its NTP",
	    d < 0 ? -d : d, d < 0 ? "behind" : "ahead of", ING_CLOCK);
	return why;
}

int
ing_read_body(struct ing_conn *c, struct ing_src *s, struct mcp_buf *raw, struct mcp_buf *plain,
    struct ing_resp *r)
{
	const char *enc = ing_param(s, "HTTP_CONTENT_ENCODING");
	char why[256];
	int gz = 0, k;

	if (enc != NULL && strcasecmp(enc, "gzip") == 0)
		gz = 1;
	else if (enc != NULL && *enc != '\0' && strcasecmp(enc, "identity") != 0)
		return ing_fail(r, 415, "Content-Encoding %s: gzip or none", "not taken"), -1;
	if ((k = ing_body(s, gz ? raw : plain, ING_BODY_MAX, why, sizeof(why))) == 1)
		return ing_fail(r, 413, "a body of more than %d bytes", ING_BODY_MAX), -1;
	if (k == -1)
		return ing_log(c, "%s", why), ing_fail(r, 408, "%s", why), -1;
	if (gz && (k = agg_gunzip(raw->p, raw->len, plain, ING_PLAIN_MAX, why, sizeof(why))) != 0)
		return ing_fail(r, k == 1 ? 413 : 400, "%s", why), -1;
	return 0;
}

/*
 * A tools_list step with its lists, as runners write records (compact
 * JSON: the quotes of "step" bare only where it is a key), longer than a
 * line of the rate: an older runner's, whose lists ride with its results.
 */
int
ing_list_line(const char *p, size_t n)
{
	return n > ING_RATE_BYTES && memmem(p, n, "\"step\":\"tools_list\"", 19) != NULL;
}

/*
 * The lines of a body into *lines, what they cost the region's rate (a
 * line each, a long one a line for each ING_RATE_BYTES), and into *lbytes
 * the bytes of those the lists' budget pays for (ing_list_line).
 */
static long
charge_of(const char *p, size_t n, long *lines, long *lbytes)
{
	const char *e = p + n, *nl;
	long charge = 0;
	size_t k;

	*lines = *lbytes = 0;
	for (; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		k = (size_t)((nl != NULL ? nl : e) - p);
		++*lines;
		if (ing_list_line(p, k))
			*lbytes += (long)k;
		else
			charge += 1 + (long)((k > 0 ? k - 1 : 0) / ING_RATE_BYTES);
		if (nl == NULL)
			break;
	}
	return charge;
}

void
ing_rate_refused(struct ing_conn *c, struct ing_resp *r, int k)
{
	if (k == -1)
		ing_fail(r, 503, "store unavailable"), ing_drop_store(c);
	if (k != 0)
		r->retry_after = k == 1 ? 60 - (int)((long long)mcp_now() % 60) : 30;
}

long
ing_lists_limit(struct ing_conn *c, const struct ing_src *s)
{
	const char *v = setting(s, "MCP_INGEST_LISTS");
	char *end = NULL;
	long n;

	if (v == NULL)
		return ING_LISTS_BYTES;
	n = strtol(v, &end, 10);
	if (*end == '\0' && n >= ING_LISTS_MIN && n <= ING_LISTS_MAX)
		return n;
	ing_log(c, "MCP_INGEST_LISTS %s: want N, %d to %ld bytes a minute: %d taken", v,
	    ING_LISTS_MIN, ING_LISTS_MAX, ING_LISTS_BYTES);
	return ING_LISTS_BYTES;
}

/*
 * The count of the fleet's targets from a set made for this request, or
 * by this responder seconds ago (the set the lines are vetted with), kept
 * in the store for ING_KNOWN_TTL seconds; -1 when none can be made.
 */
static long
fleet_fresh(struct ing_conn *c, const char *ov)
{
	char err[512], num[24], ttl[16];
	const char *set[] = {"SET", ING_FLEET_KEY, num, "EX", ttl};
	long n;

	if ((n = ing_known_count(c, ov, err, sizeof(err))) == -1) {
		ing_log(c, "%s", err);
		return -1;
	}
	snprintf(num, sizeof(num), "%ld", n);
	snprintf(ttl, sizeof(ttl), "%d", ING_KNOWN_TTL);
	freeReplyObject(mcp_store_cmd(c->st, 5, set, err, sizeof(err)));
	return n;
}

/*
 * The count of the fleet's targets, cheaply, for a request refused before
 * its body is read: the responder's set while it is fresh, else the
 * store's copy (one GET: a CGI program refusing a flood makes no set),
 * else a set made now.
 */
static long
fleet(struct ing_conn *c, const char *ov)
{
	const char *g[] = {"GET", ING_FLEET_KEY};
	char err[512];
	redisReply *r;
	long n = -1;

	if (c->known.ok && mcp_mono() - c->known.born < ING_KNOWN_TTL)
		return (long)c->known.m.n;
	if ((r = mcp_store_cmd(c->st, 2, g, err, sizeof(err))) != NULL &&
	    r->type == REDIS_REPLY_STRING)
		n = strtol(r->str, NULL, 10);
	freeReplyObject(r);
	return n >= 0 ? n : fleet_fresh(c, ov);
}

/*
 * The bound of a region's lines a minute (mcp-aggregate(1) "ingest"):
 * MCP_INGEST_RATE N, N lines (ING_RATE_MIN to ING_RATE_MAX); Kx (1 to
 * ING_RATE_TIMES_MAX), or unset, K (ING_RATE_TIMES) times the fleet's
 * targets plus ING_RATE_FLOOR: fresh, from the set the lines are vetted
 * with, else as fleet() has it.  The fleet's targets unknown: the floor.
 */
static long
rate_limit(struct ing_conn *c, const struct ing_src *s, const char *ov, int fresh)
{
	const char *v = setting(s, "MCP_INGEST_RATE");
	long n = -1, times = ING_RATE_TIMES, f;
	char *end = NULL;

	if (v != NULL)
		n = strtol(v, &end, 10);
	if (v != NULL && strcmp(end, "x") == 0 && n >= 1 && n <= ING_RATE_TIMES_MAX)
		times = n;
	else if (v != NULL && *end == '\0' && n >= ING_RATE_MIN && n <= ING_RATE_MAX)
		return n;
	else if (v != NULL && fresh)
		ing_log(c,
		    "MCP_INGEST_RATE %s: want N (%d to %d lines a minute) or Kx (1x to %dx the "
		    "fleet's targets): %dx taken",
		    v, ING_RATE_MIN, ING_RATE_MAX, ING_RATE_TIMES_MAX, ING_RATE_TIMES);
	if ((f = fresh ? fleet_fresh(c, ov) : fleet(c, ov)) < 0)
		return ING_RATE_FLOOR;
	return f > (ING_RATE_MAX - ING_RATE_FLOOR) / times ? ING_RATE_MAX
	                                                   : f * times + ING_RATE_FLOOR;
}

static void
ingest(struct ing_conn *c, struct ing_src *s, const char *region, struct ing_resp *r)
{
	struct mcp_buf raw = {0}, plain = {0};
	const char *ov = c->overrides != NULL ? c->overrides : setting(s, "MCP_INGEST_OVERRIDES");
	long lines, lbytes, charge, lim = rate_limit(c, s, ov, 0);
	char why[256];
	int k, lists_ok = 1;

	/* A region at its bound is refused before its body is read: a flood costs a script. */
	if ((k = ing_rate(c, "rate", region, 0, lim)) != 0 ||
	    ing_read_body(c, s, &raw, &plain, r) == -1)
		goto out;
	charge = charge_of(plain.p, plain.len, &lines, &lbytes);
	if (lines > ING_LINES_MAX) {
		ing_fail(r, 413, "%ld lines: at most %d a body", lines, ING_LINES_MAX);
		goto out;
	}
	lim = rate_limit(c, s, ov, 1);
	if (charge > lim) {
		ing_fail(r, 413, "a body of %ld lines of the rate: %s takes %ld a minute", charge,
		    region, lim);
		goto out;
	}
	k = ing_rate(c, "rate", region, charge, lim);
	/*
	 * An older runner's lists ride with its results: they are paid for
	 * by the lists' budget, and a body over it keeps its results, never
	 * its lists (each such step is answered checked, unread).
	 */
	if (k == 0 && lbytes > 0 &&
	    (lists_ok = ing_rate(c, "lists", region, lbytes, ing_lists_limit(c, s)) == 0) == 0)
		ing_log(c,
		    "%s: %ld bytes of tools_list steps over the region's lists a minute: "
		    "their lists not kept",
		    region, lbytes);
	if (k == 0)
		ing_answer(c, ov, region, plain.p, plain.len, lines, clock_off(s, why, sizeof(why)),
		    lists_ok, r);
out:
	if (k == 1)
		ing_fail(r, 429, "%s sent more than %ld lines (of %d bytes at most) this minute",
		    region, lim, ING_RATE_BYTES);
	ing_rate_refused(c, r, k);
	mcp_buf_free(&raw);
	mcp_buf_free(&plain);
}

/* ?shard=K/N of the targets ("/" or "%2F"): 0 (k and n 0 when none), -1 when malformed. */
static int
shard_of(const char *qs, unsigned *k, unsigned *n)
{
	char v[16], *x;
	int used = 0;

	*k = *n = 0;
	if (qs == NULL || *qs == '\0')
		return 0;
	if (strncmp(qs, "shard=", 6) != 0 || strlen(qs + 6) >= sizeof(v))
		return -1;
	memcpy(v, qs + 6, strlen(qs + 6) + 1);
	if ((x = strstr(v, "%2F")) != NULL || (x = strstr(v, "%2f")) != NULL)
		memmove(x + 1, x + 3, strlen(x + 3) + 1), *x = '/';
	if (sscanf(v, "%3u/%4u%n", k, n, &used) != 2 || v[used] != '\0' || *n < 1 || *n > 1000 ||
	    *k < 1 || *k > *n)
		return -1;
	return 0;
}

static void
targets(struct ing_conn *c, struct ing_src *s, const char *region, struct ing_resp *r)
{
	const char *ov = c->overrides != NULL ? c->overrides : setting(s, "MCP_INGEST_OVERRIDES");
	char *text = NULL, err[512];
	size_t len = 0;
	unsigned k, n;
	FILE *f;
	int rc;

	if (shard_of(ing_param(s, "QUERY_STRING"), &k, &n) == -1) {
		ing_fail(r, 400, "bad query: want shard=K/N, 1 <= K <= N <= 1000");
		return;
	}
	if ((f = open_memstream(&text, &len)) == NULL) {
		ing_fail(r, 500, "out of memory");
		return;
	}
	rc =
	    reg_targets_to(c->st, ov != NULL && *ov != '\0' ? ov : NULL, k, n, f, err, sizeof(err));
	if (fclose(f) != 0 && rc == 0)
		rc = -3;
	if (rc == 0) {
		r->status = 200;
		r->ctype = "text/plain; charset=utf-8";
		if (mcp_buf_add(&r->body, text != NULL ? text : "", len) == -1)
			ing_fail(r, 500, "out of memory");
	} else if (rc == -1) {
		ing_log(c, "%s: targets: redis: %s", region, err);
		ing_drop_store(c);
		ing_fail(r, 503, "store unavailable");
		r->retry_after = 30;
	} else {
		ing_log(c, "%s: targets: %s", region, rc == -2 ? err : "out of memory");
		ing_fail(r, 500, "server misconfigured");
	}
	free(text);
}

/*
 * The route of the request: PATH_INFO when the server sets one (already
 * decoded), else the path of REQUEST_URI, which must need no decoding: a
 * region is a slug.  'i' (/ingest/REGION), 't' (/targets/REGION), or 0.
 */
static int
route(const struct ing_src *s, char *region)
{
	const char *p = ing_param(s, "PATH_INFO");
	size_t n;
	int kind;

	if (p == NULL || *p == '\0')
		p = ing_param(s, "REQUEST_URI");
	if (p == NULL)
		return 0;
	if (strncmp(p, "/ingest/", 8) == 0)
		kind = 'i', p += 8;
	else if (strncmp(p, "/targets/", 9) == 0)
		kind = 't', p += 9;
	else
		return 0;
	n = strcspn(p, "?#");
	if (n > MCP_SLUG_MAX)
		return 0;
	memcpy(region, p, n);
	region[n] = '\0';
	return mcp_slug_ok(region) ? kind : 0;
}

void
ing_request(struct ing_conn *c, struct ing_src *s, struct ing_resp *r)
{
	const char *m = ing_param(s, "REQUEST_METHOD"), *q;
	char region[MCP_SLUG_MAX + 1];
	int kind = route(s, region);

	memset(r, 0, sizeof(*r));
	if (m == NULL)
		m = "GET";
	if (kind == 0) {
		ing_fail(r, 404, "not found");
		return;
	}
	if (kind == 'i' && strcmp(m, "POST") != 0) {
		ing_fail(r, 405, "method not allowed");
		r->allow = "POST";
		return;
	}
	if (kind == 't' && strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
		ing_fail(r, 405, "method not allowed");
		r->allow = "GET, HEAD";
		return;
	}
	if (store(c, s) == NULL) {
		ing_fail(r, 503, "store unavailable");
		r->retry_after = 30;
		return;
	}
	if (auth(c, s, region, r) == -1)
		return;
	if (kind == 'i' && (q = ing_param(s, "QUERY_STRING")) != NULL && strcmp(q, "lists") == 0)
		ing_lists(c, s, region, r);
	else if (kind == 'i')
		ingest(c, s, region, r);
	else
		targets(c, s, region, r);
}

void
ing_conn_free(struct ing_conn *c)
{
	ing_drop_store(c);
	ing_known_free(&c->known);
}
