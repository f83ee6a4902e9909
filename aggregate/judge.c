/*
 * judge.c - the pre-pass of a verdict run: every known slug's results of
 * the window read once, counted per region (fault.c), the blind regions
 * decided and kept in mcp:fault:W (mcp-store(7)), so that a pass over
 * named slugs decides them by the same judgment as the full pass did.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "reslua.h"

/*
 * Read-only: what the read script of verdict.c gives (five arrays, the
 * windows from ARGV[1] on, "region value ..." each), but only the windows
 * that reach into the lookback (those from ARGV[3] on; the others empty),
 * and no error codes: the judgment needs each region's latest result in
 * the lookback and its step, nothing more.
 */
static const char judge_lua[] =
    MCP_RES_LUA "local w0, pre, first = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])\n"
                "local hours, out = {}, {}\n"
                "for i = 0, 4 do\n"
                "  local w, a = w0 + 60 * i, {}\n"
                "  if w >= first then\n"
                "    local k = KEYS[1]\n"
                "    if math.floor(w / 3600) ~= math.floor(w0 / 3600) then k = KEYS[2] end\n"
                "    hours[k] = hours[k] or redis.call('HGETALL', k)\n"
                "    a = res_window(hours[k], w, pre, {})\n"
                "  end\n"
                "  out[#out + 1] = a\n"
                "end\n"
                "return out\n";

/*
 * KEYS mcp:fault:W; ARGV TTL, then REGION VALUE pairs: the judgment
 * replaced whole.
 */
static const char save_lua[] = "redis.call('DEL', KEYS[1])\n"
                               "for i = 2, #ARGV, 2 do\n"
                               "  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])\n"
                               "end\n"
                               "if #ARGV > 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end\n"
                               "return 1\n";

struct jbatch {
	char sha[41];
	long long window;
	int lookback;
	char *const *slugs;
	size_t n;
	struct agg_faults *f, saved; /* saved: f before the batch, for a repeated round */
};

/* Count one slug's reply of the read script. */
static int
count(struct jbatch *b, const redisReply *a)
{
	struct agg_input in = {b->window, b->lookback, NULL, 0, NULL, 0};
	struct agg_result *res = NULL;
	struct agg_rstate *s;
	size_t k;

	if (agg_results_from(a, b->window, &res, &in.nres) == -1)
		return -1;
	in.res = res;
	if ((s = calloc(in.nres + 1, sizeof(*s))) == NULL) {
		free(res);
		return -1;
	}
	k = agg_states(&in, s);
	agg_fault_add(b->f, s, k);
	free(s);
	free(res);
	return 0;
}

/* The windows from w0 (as verdict.c reads them); those from the first that reaches the lookback. */
static int
append_read(struct mcp_store *st, const struct jbatch *b, const char *slug)
{
	long long w0 = b->window - 4 * AGG_WINDOW;
	long long first = agg_window((double)(b->window + AGG_WINDOW - b->lookback));
	char k[2][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64];

	agg_key(pre, sizeof(pre), slug, "", -1);
	agg_key(k[0], sizeof(k[0]), slug, "rh", w0 / AGG_HOUR);
	agg_key(k[1], sizeof(k[1]), slug, "rh", b->window / AGG_HOUR);
	return mcp_store_appendf(
	    st, "EVALSHA %s 2 %s %s %lld %s %lld", b->sha, k[0], k[1], w0, pre, first);
}

static enum mcp_store_status
batch_once(struct mcp_store *st, void *arg, char *err, size_t errlen)
{
	struct jbatch *b = arg;
	enum mcp_store_status rc = MCP_STORE_OK;
	redisReply *r;
	size_t i;

	*b->f = b->saved;
	for (i = 0; i < b->n; i++)
		append_read(st, b, b->slugs[i]);
	for (i = 0; i < b->n; i++) {
		if (mcp_store_read(st, &r, 1, err, errlen) == -1)
			return MCP_STORE_AGAIN;
		if (rc == MCP_STORE_OK && r->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "%s: %s", b->slugs[i], r->str);
			rc = mcp_store_retryable(st, r) || strncmp(r->str, "NOSCRIPT", 8) == 0
			    ? MCP_STORE_AGAIN
			    : MCP_STORE_FAIL;
		} else if (rc == MCP_STORE_OK && count(b, r) == -1) {
			snprintf(err, errlen, "%s: unexpected reply", b->slugs[i]);
			rc = MCP_STORE_FAIL;
		}
		freeReplyObject(r);
	}
	return rc;
}

static int
save(struct mcp_store *st, long long window, const struct agg_faults *f)
{
	static char vals[AGG_FAULT_REGIONS][96];
	const char *argv[2 * AGG_FAULT_REGIONS + 6];
	char key[64], ttl[16], err[512];
	redisReply *r;
	size_t i;
	int n = 0, s, rc = 0;

	snprintf(key, sizeof(key), "mcp:fault:%lld", window);
	snprintf(ttl, sizeof(ttl), "%d", (int)AGG_TTL_SHORT);
	argv[n++] = "EVAL", argv[n++] = save_lua, argv[n++] = "1", argv[n++] = key;
	argv[n++] = ttl;
	for (i = 0; i < f->n; i++) {
		s = agg_fault_step(&f->r[i]);
		snprintf(vals[i], sizeof(vals[i]), "%ld %ld %d %s", f->r[i].probed, f->r[i].failed,
		    f->r[i].blind, s < 0 ? "-" : mcp_steps[s]);
		argv[n++] = f->r[i].name, argv[n++] = vals[i];
	}
	r = mcp_store_cmd(st, n, argv, err, sizeof(err));
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		warnx("redis: %s", r ? r->str : err);
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}

int
agg_judge(struct mcp_store *st, long long window, int lookback, char *const *slugs, size_t n,
    struct agg_faults *f)
{
	static const struct mcp_store_retry rp = {3, 0, NULL, 0};
	struct jbatch b = {"", window, lookback, NULL, 0, f, {0}};
	char err[512] = "";
	size_t i;

	f->n = 0;
	if (mcp_store_script_load(st, judge_lua, b.sha, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		return -1;
	}
	for (i = 0; i < n; i += b.n) {
		b.slugs = slugs + i;
		b.n = n - i < AGG_BATCH ? n - i : AGG_BATCH;
		b.saved = *f;
		if (mcp_store_run(st, &rp, batch_once, &b, err, sizeof(err)) != MCP_STORE_OK) {
			warnx("redis: %s", err);
			return -1;
		}
	}
	agg_fault_judge(f);
	return save(st, window, f);
}

/* "PROBED FAILED BLIND STEP" of a region, as save() keeps it. */
static void
load_one(struct agg_faults *f, const char *region, const char *v)
{
	struct agg_fault_region *g;
	char step[16];
	int blind, s;

	if (f->n == AGG_FAULT_REGIONS || !mcp_slug_ok(region))
		return;
	g = &f->r[f->n];
	memset(g, 0, sizeof(*g));
	if (sscanf(v, "%ld %ld %d %15s", &g->probed, &g->failed, &blind, step) != 4)
		return;
	snprintf(g->name, sizeof(g->name), "%s", region);
	g->blind = blind == 1;
	if ((s = mcp_step_index(step)) >= 0)
		g->steps[s] = g->failed;
	f->n++;
}

int
agg_judgment(struct mcp_store *st, long long window, struct agg_faults *f)
{
	char key[64], err[512];
	const char *argv[] = {"HGETALL", key};
	redisReply *r;
	size_t i;

	f->n = 0;
	snprintf(key, sizeof(key), "mcp:fault:%lld", window);
	r = mcp_store_cmd(st, 2, argv, err, sizeof(err));
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: %s", r ? (r->type == REDIS_REPLY_ERROR ? r->str : "bad reply") : err);
		freeReplyObject(r);
		return -1;
	}
	for (i = 0; i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING &&
		    r->element[i + 1]->type == REDIS_REPLY_STRING)
			load_one(f, r->element[i]->str, r->element[i + 1]->str);
	i = r->elements;
	freeReplyObject(r);
	return i > 0 ? 1 : 0;
}
