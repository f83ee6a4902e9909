/*
 * audit.c - what push kept out of a window, counted and shown, and what a
 * revoked token wrote, taken back (audit.h; mcp-store(7) "AUDIT").
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "mcp.h"

/*
 * Take back what token ARGV[2] (8 hex digits) of region ARGV[1] wrote in
 * the slots ARGV[3] to ARGV[4] of the hour of KEYS[1] (rs:HOUR; KEYS[2]
 * its rw:HOUR, the field ARGV[7]: the region's, or "REGION +" for what it
 * wrote into windows decided already): each result that token wrote is
 * emptied, or given the first result of another writer of the region
 * (ARGV[8...]) that was kept out of its window (mcp:{SLUG}:contest:W, W
 * from ARGV[5], the hour's start, and ARGV[6], the slug's prefix).  The
 * count of slots taken back.
 */
static const char take_lua[] =
    "local rs = redis.call('HGET', KEYS[1], ARGV[1])\n"
    "local rw = redis.call('HGET', KEYS[2], ARGV[7])\n"
    "if not rs or not rw then return 0 end\n"
    "local id, n = string.char(tonumber(string.sub(ARGV[2], 1, 2), 16),\n"
    "  tonumber(string.sub(ARGV[2], 3, 4), 16), tonumber(string.sub(ARGV[2], 5, 6), 16),\n"
    "  tonumber(string.sub(ARGV[2], 7, 8), 16)), 0\n"
    "for j = tonumber(ARGV[3]), tonumber(ARGV[4]) do\n"
    "  if string.sub(rw, j * 4 + 1, j * 4 + 4) == id and #rs >= j * 7 + 7 then\n"
    "    local put = string.rep('\\0', 7)\n"
    "    local ck = ARGV[6] .. 'contest:' .. (tonumber(ARGV[5]) + j * 60)\n"
    "    for k = 8, #ARGV do\n"
    "      local c = redis.call('HGET', ck, ARGV[1] .. ' ' .. ARGV[k])\n"
    "      if c and #c == 7 then put = c break end\n"
    "    end\n"
    "    rs = string.sub(rs, 1, j * 7) .. put .. string.sub(rs, j * 7 + 8)\n"
    "    rw = string.sub(rw, 1, j * 4) .. string.rep('\\0', 4) .. string.sub(rw, j * 4 + 5)\n"
    "    n = n + 1\n"
    "  end\n"
    "end\n"
    "if n > 0 then\n"
    "  redis.call('HSET', KEYS[1], ARGV[1], rs)\n"
    "  redis.call('HSET', KEYS[2], ARGV[7], rw)\n"
    "end\n"
    "return n\n";

/* A conflict into the audit trail and the day's count: KEYS[1] list, KEYS[2] count. */
static const char conflict_lua[] = "redis.call('LPUSH', KEYS[1], ARGV[1])\n"
                                   "redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[4]) - 1)\n"
                                   "redis.call('EXPIRE', KEYS[1], ARGV[3])\n"
                                   "redis.call('HINCRBY', KEYS[2], 'conflict ' .. ARGV[2], 1)\n"
                                   "redis.call('EXPIRE', KEYS[2], ARGV[3])\n"
                                   "return 1\n";

void
agg_audit_conflict(struct mcp_store *st, const char *slug, const char *region, long long window,
    const char *writer)
{
	long long now = (long long)mcp_now();
	char entry[2 * MCP_SLUG_MAX + 80];

	snprintf(entry, sizeof(entry), "%lld %s %s %lld %s", now, slug, region, window,
	    writer != NULL ? writer : "-");
	mcp_store_appendf(st, "EVAL %s 2 %s %s%lld %s %s %d %d", conflict_lua, AGG_KEY_AUDIT,
	    AGG_KEY_AUDIT_COUNT, now / AGG_DAY, entry, region, AGG_AUDIT_TTL, AGG_AUDIT_MAX);
}

void
agg_audit_future(struct mcp_store *st, const char *region, long n)
{
	char key[64], field[MCP_SLUG_MAX + 16], num[24], ttl[24], err[256];
	const char *a1[] = {"HINCRBY", key, field, num}, *a2[] = {"EXPIRE", key, ttl};

	snprintf(key, sizeof(key), AGG_KEY_AUDIT_COUNT "%lld", (long long)(mcp_now() / AGG_DAY));
	snprintf(field, sizeof(field), "future %s", region);
	snprintf(num, sizeof(num), "%ld", n);
	snprintf(ttl, sizeof(ttl), "%d", AGG_AUDIT_TTL);
	freeReplyObject(mcp_store_cmd(st, 4, a1, err, sizeof(err)));
	freeReplyObject(mcp_store_cmd(st, 3, a2, err, sizeof(err)));
}

/* One region's counts of the two days: "conflict REGION" and "future REGION" summed. */
struct tally {
	char region[MCP_SLUG_MAX + 1];
	long long conflict, future;
};

static struct tally *
tally_of(struct tally *t, size_t *n, size_t max, const char *region)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(t[i].region, region) == 0)
			return &t[i];
	if (*n == max || strlen(region) > MCP_SLUG_MAX)
		return NULL;
	memset(&t[*n], 0, sizeof(t[*n]));
	snprintf(t[*n].region, sizeof(t[*n].region), "%s", region);
	return &t[(*n)++];
}

static void
tally_add(struct tally *t, size_t *n, size_t max, const redisReply *r)
{
	struct tally *x;
	size_t i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		const char *f = r->element[i]->str, *sp = strchr(f, ' ');

		if (sp == NULL || (x = tally_of(t, n, max, sp + 1)) == NULL)
			continue;
		if (strncmp(f, "conflict ", 9) == 0)
			x->conflict += strtoll(r->element[i + 1]->str, NULL, 10);
		else if (strncmp(f, "future ", 7) == 0)
			x->future += strtoll(r->element[i + 1]->str, NULL, 10);
	}
}

int
agg_audit_show(struct mcp_store *st, char *err, size_t len)
{
	struct tally t[64];
	long long day = (long long)(mcp_now() / AGG_DAY);
	redisReply *r[2] = {NULL, NULL};
	char iso[32];
	size_t i, n = 0;

	mcp_store_appendf(st, "HGETALL " AGG_KEY_AUDIT_COUNT "%lld", day - 1);
	mcp_store_appendf(st, "HGETALL " AGG_KEY_AUDIT_COUNT "%lld", day);
	if (mcp_store_read(st, r, 2, err, len) == -1)
		return -1;
	for (i = 0; i < 2; i++)
		tally_add(t, &n, sizeof(t) / sizeof(t[0]), r[i]);
	if (mcp_iso8601((double)((day - 1) * AGG_DAY), iso, sizeof(iso)) == -1)
		snprintf(iso, sizeof(iso), "yesterday");
	iso[10] = '\0';
	for (i = 0; i < n; i++)
		warnx("status: %s: %lld results kept out as conflicts (another result of their "
		      "window was stored first: %s), %lld refused for a window not begun, since "
		      "%s",
		    t[i].region, t[i].conflict, AGG_KEY_AUDIT, t[i].future, iso);
	freeReplyObject(r[0]);
	freeReplyObject(r[1]);
	return 0;
}

/* The other writers of region than token id: its other tokens' IDs and "-" (push), in argv. */
static int
others(struct mcp_store *st, const char *region, const char *id, char **argv, int max, char *err,
    size_t len)
{
	const char *a[] = {"HKEYS", AGG_KEY_TOKENS};
	redisReply *r = mcp_store_cmd(st, 2, a, err, len);
	size_t i, rl = strlen(region);
	int n = 0;

	if (r == NULL)
		return -1;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements && n < max - 1; i++) {
		const char *f = r->element[i]->str;

		if (strncmp(f, region, rl) == 0 && f[rl] == ' ' && strcmp(f + rl + 1, id) != 0 &&
		    (argv[n] = strdup(f + rl + 1)) != NULL)
			n++;
	}
	freeReplyObject(r);
	if ((argv[n] = strdup("-")) != NULL)
		n++;
	return n;
}

/* The first window not yet decided: the one after mcp:verdict:newest; -1 (err). */
static long long
undecided_from(struct mcp_store *st, char *err, size_t len)
{
	const char *g[] = {"GET", AGG_KEY_NEWEST};
	redisReply *r = mcp_store_cmd(st, 2, g, err, len);
	long long w = 0;

	if (r == NULL)
		return -1;
	if (r->type == REDIS_REPLY_STRING)
		w = strtoll(r->str, NULL, 10) + AGG_WINDOW;
	freeReplyObject(r);
	return w;
}

/* What a take back works on: the region, the token, the other writers, an hour's slots. */
struct take {
	const char *region, *id, *field; /* field: of rw:HOUR, the region or "REGION +" */
	char **who;
	int nwho;
	long long hour;
	int from, to; /* slots of the hour */
	long total;
	char sha[41];
};

/* Take back the slots of one hour of the slugs s[0..n), one round trip. */
static int
take_slugs(struct mcp_store *st, struct take *t, char **s, size_t n, char *err, size_t len)
{
	char k[2][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 16], a[4][24];
	const char *argv[12 + AGG_TOKENS_MAX + 2] = {
	    "EVALSHA", t->sha, "2", k[0], k[1], t->region, t->id, a[0], a[1], a[2], pre, t->field};
	redisReply *r;
	size_t i;
	int j, rc = 0;

	snprintf(a[0], sizeof(a[0]), "%d", t->from);
	snprintf(a[1], sizeof(a[1]), "%d", t->to);
	snprintf(a[2], sizeof(a[2]), "%lld", t->hour * AGG_HOUR);
	for (j = 0; j < t->nwho; j++)
		argv[12 + j] = t->who[j];
	for (i = 0; i < n; i++) {
		agg_key(k[0], sizeof(k[0]), s[i], "rs", t->hour);
		agg_key(k[1], sizeof(k[1]), s[i], "rw", t->hour);
		agg_key(pre, sizeof(pre), s[i], "", -1);
		mcp_store_appendv(st, 12 + t->nwho, argv, NULL);
	}
	for (i = 0; i < n; i++) {
		if (mcp_store_read(st, &r, 1, err, len) == -1)
			return -1;
		if (r->type == REDIS_REPLY_INTEGER)
			t->total += r->integer;
		else if (r->type == REDIS_REPLY_ERROR && rc == 0)
			snprintf(err, len, "take back: %s", r->str), rc = -1;
		freeReplyObject(r);
	}
	return rc;
}

/* One pass of the slugs over the hours from h0 to h1, as t says but for the hour's slots. */
static int
take_hours(struct mcp_store *st, struct take *t, char **slugs, size_t n, long long w0, long long w1,
    char *err, size_t len)
{
	size_t i, k;
	int rc = 0;

	for (t->hour = w0 / AGG_HOUR; rc == 0 && t->hour <= w1 / AGG_HOUR; t->hour++) {
		t->from = t->hour == w0 / AGG_HOUR ? (int)(w0 % AGG_HOUR / AGG_WINDOW) : 0;
		t->to = t->hour == w1 / AGG_HOUR ? (int)(w1 % AGG_HOUR / AGG_WINDOW) : 59;
		for (i = 0; rc == 0 && i < n; i += k) {
			k = n - i < AGG_BATCH ? n - i : AGG_BATCH;
			rc = take_slugs(st, t, slugs + i, k, err, len);
		}
	}
	return rc;
}

long
agg_audit_take_back(
    struct mcp_store *st, const char *region, const char *id, long *late, char *err, size_t len)
{
	char *who[AGG_TOKENS_MAX + 2] = {NULL}, **slugs = NULL, plus[MCP_SLUG_MAX + 4];
	struct take t = {region, id, region, who, 0, 0, 0, 0, 0, ""};
	long long w0, w1 = agg_window(mcp_now() + AGG_SKEW), first = w1 - AGG_TTL_SHORT;
	size_t n = 0, i;
	long undecided = 0;
	int rc = 0, j;

	*late = 0;
	if ((w0 = undecided_from(st, err, len)) == -1 ||
	    (t.nwho = others(st, region, id, who, AGG_TOKENS_MAX + 2, err, len)) == -1)
		return -1;
	/* The results of 25 hours at most are kept: no older window is undecided. */
	if (w0 < first)
		w0 = first;
	if (mcp_store_script_load(st, take_lua, t.sha, err, len) == -1)
		rc = -1;
	else if (agg_all_slugs(st, &slugs, &n) == -1)
		rc = -1, snprintf(err, len, "the slug index could not be read");
	if (rc == 0)
		rc = take_hours(st, &t, slugs, n, w0, w1, err, len);
	undecided = t.total;
	/* What it wrote into windows decided already: the rest of the 25 hours. */
	snprintf(plus, sizeof(plus), "%s +", region);
	t.field = plus, t.total = 0;
	if (rc == 0)
		rc = take_hours(st, &t, slugs, n, first - first % AGG_HOUR,
		    w1 - w1 % AGG_HOUR + AGG_HOUR - AGG_WINDOW, err, len);
	*late = t.total;
	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
	for (j = 0; j < t.nwho; j++)
		free(who[j]);
	return rc == 0 ? undecided : -1;
}
