/*
 * audit.c - what push kept out of a window, counted and shown, and what a
 * revoked token wrote, taken back (audit.h; mcp-store(7) "AUDIT").
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "mcp.h"

/*
 * Take back what token ARGV[2] of region ARGV[1] wrote in window ARGV[3]:
 * each slot that still holds what it wrote is emptied, or given the first
 * contested result of another writer of the region (ARGV[4...]), which
 * the first writer kept out.  The count of slots taken back.
 */
static const char take_lua[] =
    "local w = tonumber(ARGV[3])\n"
    "local k = 'mcp:wrote:' .. ARGV[1] .. ':' .. ARGV[2] .. ':' .. ARGV[3]\n"
    "local pos, hour = (w % 3600) / 60 * 7, math.floor(w / 3600)\n"
    "local h, n = redis.call('HGETALL', k), 0\n"
    "for i = 1, #h, 2 do\n"
    "  local rs = 'mcp:{' .. h[i] .. '}:rs:' .. hour\n"
    "  local cur = redis.call('HGET', rs, ARGV[1])\n"
    "  if cur and string.sub(cur, pos + 1, pos + 7) == h[i + 1] then\n"
    "    local put = string.rep('\\0', 7)\n"
    "    for j = 4, #ARGV do\n"
    "      local c = redis.call('HGET', 'mcp:contest:' .. ARGV[3],\n"
    "        h[i] .. ' ' .. ARGV[1] .. ' ' .. ARGV[j])\n"
    "      if c and #c == 7 then put = c break end\n"
    "    end\n"
    "    redis.call('HSET', rs, ARGV[1], string.sub(cur, 1, pos) .. put .. string.sub(cur, pos + "
    "8))\n"
    "    n = n + 1\n"
    "  end\n"
    "end\n"
    "redis.call('DEL', k)\n"
    "redis.call('ZREM', 'mcp:wrote:' .. ARGV[1] .. ':' .. ARGV[2], ARGV[3])\n"
    "return n\n";

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
	int rc = 0;

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
	return rc;
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

/* The windows token id of region wrote after the newest decided (GET mcp:verdict:newest). */
static redisReply *
undecided(struct mcp_store *st, const char *region, const char *id, char *err, size_t len)
{
	const char *g[] = {"GET", AGG_KEY_NEWEST};
	char z[MCP_SLUG_MAX + 40], from[32];
	const char *a[] = {"ZRANGEBYSCORE", z, from, "+inf"};
	redisReply *r = mcp_store_cmd(st, 2, g, err, len);

	if (r == NULL)
		return NULL;
	snprintf(from, sizeof(from), "(%lld",
	    r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : -1LL);
	freeReplyObject(r);
	snprintf(z, sizeof(z), "mcp:wrote:%s:%s", region, id);
	return mcp_store_cmd(st, 4, a, err, len);
}

long
agg_audit_take_back(struct mcp_store *st, const char *region, const char *id, char *err, size_t len)
{
	char *who[AGG_TOKENS_MAX + 2] = {NULL};
	const char *argv[6 + AGG_TOKENS_MAX + 2] = {"EVAL", take_lua, "0", region, id};
	redisReply *w, *r;
	long total = 0;
	size_t i;
	int k, nw;

	if ((nw = others(st, region, id, who, AGG_TOKENS_MAX + 2, err, len)) == -1)
		return -1;
	for (k = 0; k < nw; k++)
		argv[6 + k] = who[k];
	if ((w = undecided(st, region, id, err, len)) == NULL)
		total = -1;
	for (i = 0; w != NULL && w->type == REDIS_REPLY_ARRAY && i < w->elements; i++) {
		argv[5] = w->element[i]->str;
		if ((r = mcp_store_cmd(st, 6 + nw, argv, err, len)) == NULL) {
			total = -1;
			break;
		}
		if (r->type == REDIS_REPLY_INTEGER)
			total += r->integer;
		else if (r->type == REDIS_REPLY_ERROR) {
			snprintf(err, len, "take back: %s", r->str);
			total = -1;
		}
		freeReplyObject(r);
		if (total == -1)
			break;
	}
	freeReplyObject(w);
	for (k = 0; k < nw; k++)
		free(who[k]);
	return total;
}
