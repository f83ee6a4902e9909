/*
 * list.c - the routes over several regions or slugs: the regions of one
 * slug, the paginated list and the health check (Prometheus text: prom.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "reslua.h"
#include "serve.h"

/* Slugs read per round trip by /metrics and /api/status. */
#define CHUNK 1024

static int
region_cmp(const void *a, const void *b)
{
	return strcmp(((const struct region *)a)->name, ((const struct region *)b)->name);
}

/*
 * A result in the text form of mcp-store(7), its slot of rs:HOUR as the
 * script of lib/reslua.h gives it back, or a value of res:W: "OFFSET hID
 * MS", "OFFSET aID MS", "OFFSET b STEP CODE", the same without MS or
 * CODE, or the oldest five fields "STARTED STATE STEP HASH MS".
 */
static void
parse_result(const char *v, struct region *g)
{
	char buf[128], *tok[6], *save = NULL, *p;
	int n = 0;

	g->letter = 0;
	g->ms = -1;
	g->code[0] = '\0';
	if (strlen(v) >= sizeof(buf))
		return;
	strcpy(buf, v);
	for (p = strtok_r(buf, " ", &save); p != NULL && n < 6; p = strtok_r(NULL, " ", &save))
		tok[n++] = p;
	if (n < 2 || n > 5 || strchr("hab", tok[1][0]) == NULL)
		return;
	if (n == 5 && tok[1][1] != '\0')
		return;
	g->letter = tok[1][0];
	if (g->letter == 'b') {
		if (n >= 3 && mcp_step_index(tok[2]) >= 0)
			snprintf(g->step, sizeof(g->step), "%s", tok[2]);
		if (n == 4 && strlen(tok[3]) < sizeof(g->code) &&
		    strspn(tok[3], "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(tok[3]))
			snprintf(g->code, sizeof(g->code), "%s", tok[3]);
	} else if (n == 3 || n == 5) {
		char *end;
		double ms = strtod(tok[n - 1], &end);

		if (*end == '\0' && ms >= 0 && ms <= 999999999)
			g->ms = round(ms);
	}
}

/* Region → "STARTED HASH"; kept when the hash is of the last 24 hours. */
static void
parse_hash(const redisReply *r, double now, struct region *g)
{
	const char *sp;
	char t[32];
	double started;

	g->hash[0] = '\0';
	if (r == NULL || r->type != REDIS_REPLY_STRING || (sp = strchr(r->str, ' ')) == NULL ||
	    (size_t)(sp - r->str) >= sizeof(t) || strlen(sp + 1) >= sizeof(g->hash))
		return;
	memcpy(t, r->str, sp - r->str);
	t[sp - r->str] = '\0';
	if ((started = serve_time(t)) < 0 || now - started > 86400)
		return;
	snprintf(g->hash, sizeof(g->hash), "%s", sp + 1);
}

/*
 * A region differs when fewer regions share its hash than share the most
 * common one, or when no two regions agree at all.
 */
static void
mark_differs(struct region *g, size_t n)
{
	size_t i, j, most = 0, count[SERVE_REGIONS_MAX], with = 0;

	for (i = 0; i < n; i++) {
		count[i] = 0;
		if (g[i].hash[0] == '\0')
			continue;
		with++;
		for (j = 0; j < n; j++)
			count[i] += strcmp(g[i].hash, g[j].hash) == 0;
		if (count[i] > most)
			most = count[i];
	}
	for (i = 0; i < n; i++)
		g[i].differs =
		    g[i].hash[0] == '\0' ? -1 : with > 1 && (count[i] < most || most == 1);
}

/*
 * A region whose latest result failed while the verdict names it in
 * probe_fault is a probe fault: its runner is blind, not the server down
 * there (mcp-aggregate(1), "Probe faults").
 */
const char *
serve_region_state(const struct region *g, double now)
{
	if (now - g->seen > SERVE_STALE)
		return "missing";
	if (g->letter == 'h' || g->letter == 'a')
		return "up";
	if (g->letter == 'b')
		return g->fault ? "probe-fault" : "down";
	return "pending";
}

/* Mark the regions that the verdict rec (NULL: none) names in probe_fault. */
void
serve_mark_faults(const cJSON *rec, struct region *g, size_t n)
{
	const cJSON *pf = rec ? cJSON_GetObjectItemCaseSensitive(rec, "probe_fault") : NULL, *e;
	size_t i;

	for (i = 0; i < n; i++) {
		g[i].fault = 0;
		cJSON_ArrayForEach(e, pf)
		{
			if (cJSON_IsString(e) && strcmp(e->valuestring, g[i].name) == 0)
				g[i].fault = 1;
		}
	}
}

int
serve_region_json(struct mcp_buf *b, const struct region *g, double now)
{
	const char *city = serve_city(g->name), *state;
	char iso[32], ago[32];
	int rc;

	state = serve_region_state(g, now);
	if (mcp_iso8601(g->seen, iso, sizeof(iso)) == -1)
		snprintf(iso, sizeof(iso), "1970-01-01T00:00:00Z");
	mcp_ago(now - g->seen, ago, sizeof(ago));
	rc = mcp_buf_addf(b, "{\"region\":\"%s\",\"city\":", g->name);
	rc |= city != NULL ? mcp_json_string(b, city) : mcp_buf_adds(b, "null");
	rc |= mcp_buf_addf(b, ",\"state\":\"%s\",\"step\":", state);
	rc |= g->letter == 'b' && strcmp(state, "missing") != 0 && g->step[0] != '\0'
	    ? mcp_buf_addf(b, "\"%s\"", g->step)
	    : mcp_buf_adds(b, "null");
	rc |= mcp_buf_addf(
	    b, ",\"last_probe_at\":\"%s\",\"last_probe_ago\":\"%s\",\"latency_ms\":", iso, ago);
	rc |= g->ms >= 0 && strcmp(state, "up") == 0 ? mcp_buf_addf(b, "%.0f", g->ms)
	                                             : mcp_buf_adds(b, "null");
	rc |= mcp_buf_addf(b, ",\"hash_differs\":%s,\"tool_hash\":",
	    g->differs < 0   ? "null"
	        : g->differs ? "true"
	                     : "false");
	/* The list it serves (issue 46): /api/status/SLUG/tools says what differs. */
	rc |= g->hash[0] != '\0' && strspn(g->hash, "sha256:0123456789abcdef") == strlen(g->hash)
	    ? mcp_json_string(b, g->hash)
	    : mcp_buf_adds(b, "null");
	return rc | mcp_buf_addc(b, '}');
}

/* The regions of ZREVRANGE seen 0 63 WITHSCORES, valid ones only. */
size_t
serve_regions_of(const redisReply *r, struct region *g)
{
	size_t i, n = 0;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY)
		return 0;
	for (i = 0; i + 1 < r->elements && n < SERVE_REGIONS_MAX; i += 2) {
		if (r->element[i]->type != REDIS_REPLY_STRING || !mcp_slug_ok(r->element[i]->str) ||
		    r->element[i + 1]->type != REDIS_REPLY_STRING ||
		    (g[n].seen = serve_time(r->element[i + 1]->str)) < 0)
			continue;
		snprintf(g[n].name, sizeof(g[n].name), "%s", r->element[i]->str);
		n++;
	}
	qsort(g, n, sizeof(*g), region_cmp);
	return n;
}

/* Round two: each region's result of the window of its last probe, and hash. */
int
serve_region_results(struct conn *c, const char *slug, struct region *g, size_t n, double now)
{
	static const char lua[] = MCP_RES_LUA_REGION;
	static char keys[SERVE_REGIONS_MAX][128], wins[SERVE_REGIONS_MAX][24];
	const char *args[SERVE_REGIONS_MAX * 2][7], **argv[SERVE_REGIONS_MAX * 2];
	int argc[SERVE_REGIONS_MAX * 2];
	redisReply *rep[SERVE_REGIONS_MAX * 2];
	char hkey[128], pre[128];
	double w;
	size_t i;

	if (n == 0)
		return 0;
	snprintf(hkey, sizeof(hkey), "mcp:{%s}:hash", slug);
	snprintf(pre, sizeof(pre), "mcp:{%s}:", slug);
	for (i = 0; i < n; i++) {
		w = floor(g[i].seen / 60) * 60;
		snprintf(keys[i], sizeof(keys[i]), "mcp:{%s}:rs:%.0f", slug, floor(w / 3600));
		snprintf(wins[i], sizeof(wins[i]), "%.0f", w);
		args[2 * i][0] = "EVAL";
		args[2 * i][1] = lua;
		args[2 * i][2] = "1";
		args[2 * i][3] = keys[i];
		args[2 * i][4] = wins[i];
		args[2 * i][5] = g[i].name;
		args[2 * i][6] = pre;
		args[2 * i + 1][0] = "HGET";
		args[2 * i + 1][1] = hkey;
		args[2 * i + 1][2] = g[i].name;
		argv[2 * i] = args[2 * i];
		argv[2 * i + 1] = args[2 * i + 1];
		argc[2 * i] = 7;
		argc[2 * i + 1] = 3;
	}
	if (serve_query(c, 2 * n, argc, argv, rep) != SR_OK)
		return -1;
	for (i = 0; i < n; i++) {
		if (rep[2 * i]->type == REDIS_REPLY_STRING)
			parse_result(rep[2 * i]->str, &g[i]);
		parse_hash(rep[2 * i + 1], now, &g[i]);
	}
	serve_free_replies(rep, 2 * n);
	mark_differs(g, n);
	return 0;
}

void
serve_regions(struct conn *c, const struct req *q, const char *slug, struct resp *r)
{
	static struct region g[SERVE_REGIONS_MAX];
	char ks[128], kv[128], km[128];
	const char *a0[] = {"ZREVRANGE", ks, "0", "63", "WITHSCORES"}, *a1[] = {"GET", kv},
	           *a2[] = {"ZSCORE", "mcp:slugs", slug},
	           *a3[] = {"HMGET", km, "start", "end", "reason"}, *a4[3];
	const char **argv[] = {a0, a1, a2, a3, a4};
	int argc[] = {5, 2, 3, 5, 3}, rc, known, alias;
	redisReply *rep[5];
	struct summary s;
	size_t i, n;

	memset(g, 0, sizeof(g));
	snprintf(ks, sizeof(ks), "mcp:{%s}:seen", slug);
	snprintf(kv, sizeof(kv), "mcp:{%s}:verdict", slug);
	serve_maint_key(km, sizeof(km), slug);
	alias = serve_alias_cmd(a4, slug);
	if (serve_query(c, 4 + alias, argc, argv, rep) != SR_OK) {
		serve_unavailable(r);
		return;
	}
	n = serve_regions_of(rep[0], g);
	serve_summary(rep[1], NULL, q->now, &s, 1);
	serve_maint(rep[3], q->now, &s);
	serve_moved_of(alias ? rep[4] : NULL, &s);
	known = n > 0 || s.known || rep[2]->type == REDIS_REPLY_STRING;
	serve_free_replies(rep, 4 + alias);
	serve_mark_faults(s.rec, g, n);
	cJSON_Delete(s.rec);
	if (s.moved[0] != '\0') {
		serve_moved(r, q, "/regions", s.moved);
		return;
	}
	if (!known) {
		serve_error(r, 404, "not found", CACHE_API);
		return;
	}
	if (serve_region_results(c, slug, g, n, q->now) == -1) {
		serve_unavailable(r);
		return;
	}
	r->ctype = CT_JSON;
	r->cache = CACHE_API;
	rc = mcp_buf_addf(&r->body, "{\"slug\":\"%s\",\"as_of\":", slug);
	rc |=
	    s.as_of[0] ? mcp_buf_addf(&r->body, "\"%s\"", s.as_of) : mcp_buf_adds(&r->body, "null");
	rc |= mcp_buf_addc(&r->body, ',') | serve_maint_json(&r->body, &s);
	rc |= mcp_buf_adds(&r->body, ",\"regions\":[");
	for (i = 0; i < n; i++)
		rc |= (i ? mcp_buf_addc(&r->body, ',') : 0) |
		    serve_region_json(&r->body, &g[i], q->now);
	if ((rc |= mcp_buf_adds(&r->body, "]}")) != 0)
		serve_error(r, 500, "out of memory", NULL);
}

/* Decimal digits only, at most max, into *out. */
static int
query_num(const char *qs, const char *name, unsigned long long max, unsigned long long *out)
{
	char buf[24], *end;
	int rc = serve_query_get(qs, name, buf, sizeof(buf));

	if (rc <= 0)
		return rc;
	if (buf[0] < '0' || buf[0] > '9' || strspn(buf, "0123456789") != strlen(buf))
		return -1;
	*out = strtoull(buf, &end, 10);
	return *out <= max ? 1 : -1;
}

/*
 * The summaries of n slugs, CHUNK at a time: each is handed to fn with
 * the verdict tree kept when flags has SERVE_EACH_KEEP (fn frees nothing;
 * it is freed after), and without the maintenance window when it has
 * SERVE_EACH_NO_MAINT (two commands a slug, not three).  -1 when the
 * store failed.
 */
int
serve_each_summary(
    struct conn *c, double now, char *const *slugs, size_t n, int flags, summary_fn *fn, void *arg)
{
	static char keys[CHUNK][3][128];
	static const char *args[CHUNK * 3][5];
	static const char **argv[CHUNK * 3];
	static int argc[CHUNK * 3];
	static redisReply *rep[CHUNK * 3];
	size_t i, k, m, per = flags & SERVE_EACH_NO_MAINT ? 2 : 3;
	struct summary s;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i += m) {
		m = n - i < CHUNK ? n - i : CHUNK;
		for (k = 0; k < m; k++) {
			const char **a = args[per * k];

			snprintf(keys[k][0], 128, "mcp:{%s}:verdict", slugs[i + k]);
			snprintf(keys[k][1], 128, "mcp:{%s}:seen", slugs[i + k]);
			a[0] = "GET", a[1] = keys[k][0];
			a = args[per * k + 1];
			a[0] = "ZREVRANGE", a[1] = keys[k][1], a[2] = "0", a[3] = "0",
			a[4] = "WITHSCORES";
			argv[per * k] = args[per * k], argc[per * k] = 2;
			argv[per * k + 1] = args[per * k + 1], argc[per * k + 1] = 5;
			if (per == 2)
				continue;
			serve_maint_key(keys[k][2], 128, slugs[i + k]);
			a = args[3 * k + 2];
			a[0] = "HMGET", a[1] = keys[k][2], a[2] = "start", a[3] = "end",
			a[4] = "reason";
			argv[3 * k + 2] = args[3 * k + 2], argc[3 * k + 2] = 5;
		}
		if (serve_query(c, per * m, argc, argv, rep) != SR_OK)
			return -1;
		for (k = 0; k < m; k++) {
			serve_summary(
			    rep[per * k], rep[per * k + 1], now, &s, flags & SERVE_EACH_KEEP);
			serve_maint(per == 3 ? rep[3 * k + 2] : NULL, now, &s);
			if (rc == 0)
				rc = fn(arg, slugs[i + k], &s);
			cJSON_Delete(s.rec);
		}
		serve_free_replies(rep, per * m);
	}
	return rc;
}

struct page {
	struct mcp_buf *b;
	double now;
	int first;
};

static int
page_one(void *arg, const char *slug, const struct summary *s)
{
	struct page *p = arg;
	int rc = mcp_buf_addf(p->b, "%s{\"slug\":\"%s\",", p->first ? "" : ",", slug);

	p->first = 0;
	return rc | serve_summary_fields(p->b, s, p->now) | mcp_buf_addc(p->b, ',') |
	    serve_maint_json(p->b, s) | mcp_buf_addc(p->b, '}');
}

/*
 * One page of the slug index (?limit=, ?cursor=): the names after the
 * cursor in mcp:slugs:lex (every score 0, so ZRANGE BYLEX orders them by
 * name), at most limit of them.  A page asks for one more than it shows:
 * when that one comes, the cursor of the next page is "~" and the page's
 * last name, so walking the pages lists every slug exactly once, and a
 * slug added meanwhile once or not at all.  No cursor (or "0", the first
 * cursor of before) is the first page.  0 with *rep (owned) holding the
 * reply, the page's slugs in slugs (pointing into it) and the next cursor
 * in next ("" on the last page, room for SERVE_CURSOR_MAX bytes); -1
 * after r is answered with the error.
 */
int
serve_scan(struct conn *c, const struct req *q, struct resp *r, redisReply **rep, char **slugs,
    size_t *n, char *next)
{
	unsigned long long limit = SERVE_PAGE_DEFAULT;
	char cur[SERVE_CURSOR_MAX + 1], from[SERVE_CURSOR_MAX + 1], cnt[24];
	const char *a0[] = {"ZRANGE", "mcp:slugs:lex", from, "+", "BYLEX", "LIMIT", "0", cnt},
	           **argv[] = {a0};
	int argc[] = {8}, rc;
	redisReply *m;
	size_t i;

	*n = 0;
	next[0] = '\0';
	if (query_num(q->query, "limit", SERVE_PAGE_MAX, &limit) == -1 || limit == 0 ||
	    (rc = serve_query_get(q->query, "cursor", cur, sizeof(cur))) == -1 ||
	    (rc == 1 && strcmp(cur, "0") != 0 && (cur[0] != '~' || !mcp_slug_ok(cur + 1)))) {
		serve_error(r, 400, "bad query", NULL);
		return -1;
	}
	if (rc == 1 && cur[0] == '~')
		snprintf(from, sizeof(from), "(%s", cur + 1);
	else
		snprintf(from, sizeof(from), "-");
	snprintf(cnt, sizeof(cnt), "%llu", limit + 1);
	if (serve_query(c, 1, argc, argv, rep) != SR_OK) {
		serve_unavailable(r);
		return -1;
	}
	if (rep[0]->type != REDIS_REPLY_ARRAY) {
		serve_free_replies(rep, 1);
		serve_unavailable(r);
		return -1;
	}
	m = rep[0];
	for (i = 0; i < m->elements && *n < limit; i++)
		if (m->element[i]->type == REDIS_REPLY_STRING && mcp_slug_ok(m->element[i]->str))
			slugs[(*n)++] = m->element[i]->str;
	if (m->elements > limit && i > 0)
		snprintf(next, SERVE_CURSOR_MAX + 1, "~%s", m->element[i - 1]->str);
	return 0;
}

void
serve_list(struct conn *c, const struct req *q, struct resp *r)
{
	static char *slugs[SERVE_PAGE_MAX];
	struct page p = {&r->body, q->now, 1};
	char next[SERVE_CURSOR_MAX + 1];
	redisReply *rep[1];
	size_t n;
	int rc;

	if (serve_scan(c, q, r, rep, slugs, &n, next) == -1)
		return;
	r->ctype = CT_JSON;
	r->cache = CACHE_API;
	rc = mcp_buf_adds(&r->body, "{\"slugs\":[");
	if (rc == 0 && serve_each_summary(c, q->now, slugs, n, 0, page_one, &p) == -1) {
		serve_free_replies(rep, 1);
		serve_unavailable(r);
		return;
	}
	rc |= mcp_buf_adds(&r->body, "],\"next\":");
	if (next[0] == '\0')
		rc |= mcp_buf_adds(&r->body, "null}");
	else
		rc |= mcp_buf_addf(&r->body, "\"%s\"}", next);
	serve_free_replies(rep, 1);
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}

/*
 * Whether the store answers and how old the newest verdict and the newest
 * result are, so that a watcher can tell the API broken (503
 * store-unreachable), the aggregator stopped (503 verdicts-stale), the
 * probes stopped while verdicts go on, unknown (503 probes-stale), and all
 * well (200) apart.  The newest result is the top score of mcp:slugs (each
 * slug's newest probe_started_at).
 */
void
serve_health(struct conn *c, const struct req *q, struct resp *r)
{
	const char *a0[] = {"ZCARD", "mcp:slugs"}, *a1[] = {"GET", "mcp:verdict:newest"};
	const char *a2[] = {"ZRANGE", "mcp:slugs", "-1", "-1", "WITHSCORES"};
	const char **argv[] = {a0, a1, a2};
	int argc[] = {2, 2, 5}, rc, down;
	redisReply *rep[3];
	const char *status;
	double newest = -1, result = -1;
	long long count = 0;

	/* mcp-aggregate verdict keeps the newest window it decided. */
	if ((down = serve_query(c, 3, argc, argv, rep) != SR_OK) == 0) {
		count = rep[0]->type == REDIS_REPLY_INTEGER ? rep[0]->integer : 0;
		if (rep[1]->type == REDIS_REPLY_STRING)
			newest = serve_time(rep[1]->str);
		if (rep[2]->type == REDIS_REPLY_ARRAY && rep[2]->elements == 2 &&
		    rep[2]->element[1]->type == REDIS_REPLY_STRING)
			result = serve_time(rep[2]->element[1]->str);
		serve_free_replies(rep, 3);
	}
	if (down) {
		serve_unavailable(r);
		mcp_buf_reset(&r->body);
		if (mcp_buf_adds(
		        &r->body, "{\"status\":\"store-unreachable\",\"store\":\"down\"}") != 0)
			serve_error(r, 500, "out of memory", NULL);
		return;
	}
	status = newest < 0                        ? "no-verdicts"
	    : q->now - newest > SERVE_STALE        ? "verdicts-stale"
	    : q->now - result > SERVE_PROBES_STALE ? "probes-stale"
	                                           : "ok";
	r->status = strcmp(status, "ok") == 0 ? 200 : 503;
	r->ctype = CT_JSON;
	r->cache = "no-store";
	rc = mcp_buf_addf(&r->body,
	    "{\"status\":\"%s\",\"store\":\"ok\",\"slugs\":%lld,\"newest_verdict_age_s\":", status,
	    count);
	if (newest >= 0)
		rc |= mcp_buf_addf(&r->body, "%.0f", fmax(0, floor(q->now - newest)));
	else
		rc |= mcp_buf_adds(&r->body, "null");
	if (result >= 0)
		rc |= mcp_buf_addf(
		    &r->body, ",\"newest_result_age_s\":%.0f}", fmax(0, floor(q->now - result)));
	else
		rc |= mcp_buf_adds(&r->body, ",\"newest_result_age_s\":null}");
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}
