/*
 * full.c - the store's memory, and the note of what it refused (full.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "full.h"
#include "store.h"

/* The figures last read; one store a process. */
static struct {
	double at;
	long long used, max;
} mem;

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The number after "NAME:" at a line's start in INFO's text, or -1. */
static long long
field(const char *s, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = s; p != NULL; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
	}
	return -1;
}

int
mcp_full_mem(
    struct mcp_store *st, int fresh, long long *used, long long *max, char *err, size_t len)
{
	const char *argv[] = {"INFO", "memory"};
	redisReply *r;
	long long u, m;
	double now = mono();

	if (!fresh && mem.at > 0 && now - mem.at < MCP_FULL_CACHE) {
		*used = mem.used, *max = mem.max;
		return 0;
	}
	if ((r = mcp_store_cmd(st, 2, argv, err, len)) == NULL)
		return -1;
	if (r->type != REDIS_REPLY_STRING) {
		snprintf(err, len, "INFO memory: %s",
		    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
		freeReplyObject(r);
		return -1;
	}
	u = field(r->str, "used_memory"), m = field(r->str, "maxmemory");
	freeReplyObject(r);
	if (u < 0 || m < 0) {
		snprintf(err, len, "INFO memory: no used_memory or maxmemory");
		return -1;
	}
	mem.at = now, mem.used = *used = u, mem.max = *max = m;
	return 0;
}

void
mcp_full_charge(long long bytes)
{
	mem.used += bytes;
}

int
mcp_full_oom(const redisReply *r)
{
	return r != NULL && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "OOM ", 4) == 0;
}

/*
 * KEYS: mcp:store:full.  ARGV: what n now why gap ttl.  Field WHAT:
 * "FIRST LAST COUNT" of the episode (a refusal more than gap after the
 * last begins a new one), WHAT:why the last refusal's words.
 */
static const char note_lua[] =
    "#!lua flags=allow-oom\n"
    "local k, w, n, now, gap = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), "
    "tonumber(ARGV[5])\n"
    "local first, cnt = now, 0\n"
    "local v = redis.call('HGET', k, w)\n"
    "if v then\n"
    "  local a, b, c = string.match(v, '^(%d+) (%d+) (%d+)$')\n"
    "  if a and now - tonumber(b) <= gap then first, cnt = tonumber(a), tonumber(c) end\n"
    "end\n"
    "redis.call('HSET', k, w, string.format('%d %d %d', first, math.max(now, first), cnt + n), "
    "w .. ':why', ARGV[4])\n"
    "redis.call('EXPIRE', k, ARGV[6])\n"
    "return cnt + n\n";

int
mcp_full_note(struct mcp_store *st, const char *what, long n, const char *why, double now,
    char *err, size_t len)
{
	char cnt[24], at[24], gap[16], ttl[16], w[MCP_FULL_WHY + 1];
	const char *argv[] = {"EVAL", note_lua, "1", MCP_KEY_FULL, what, cnt, at, w, gap, ttl};
	redisReply *r;
	int rc = 0;

	snprintf(cnt, sizeof(cnt), "%ld", n);
	snprintf(at, sizeof(at), "%.0f", now);
	snprintf(gap, sizeof(gap), "%d", MCP_FULL_GAP);
	snprintf(ttl, sizeof(ttl), "%d", MCP_FULL_TTL);
	snprintf(w, sizeof(w), "%s", why); /* cut: the words are the tools', never a server's */
	if ((r = mcp_store_cmd(st, 10, argv, err, len)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_ERROR) {
		snprintf(err, len, "%s: %s", MCP_KEY_FULL, r->str);
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}
