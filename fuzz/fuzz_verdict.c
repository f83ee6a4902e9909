/*
 * fuzz_verdict.c - mcp-alert's verdict checks and rules (alertd/
 * classify.c, filter.c, rules.c, state.c) on any stream of lines, without
 * Redis.
 *
 * Each line goes through the record loop to on_verdict, the filter's own
 * callback, which checks the verdict whole (classify) and puts it in the
 * batch; a verdict it takes is then decided by the rules (on_window)
 * against an incident state kept in memory, one per slug, with no
 * maintenance window, as the filter would after reading the state from
 * Redis.  Checked: a verdict taken has a slug that passes mcp_slug_ok, a
 * window from 0 to ALERT_WINDOW_SKEW past the clock, a latency that is
 * none or in [0, ALERT_LATENCY_MAX], and regions that are slugs, at most
 * ALERT_REGIONS_MAX; what the rules print is records (each line a JSON
 * object of valid UTF-8 with "v":1, a type, and regions that are slugs);
 * every delivery queued is valid UTF-8 JSON for a declared route, and so
 * is what PagerDuty, Slack and a webhook would be sent for it
 * (alertd/payload.c).  Not covered: what needs Redis (the state read
 * back, the transactions, the outbox and its retries), the clock's
 * escalation steps, and the delivery itself.  The clock is fixed
 * (MCP_NOW).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/json.h"
#include "../alertd/filter.c"

#define SLUGS 4
#define NOW 1767225600 /* 2026-01-01 00:00 UTC */

static struct alert_conf conf;
static struct ctx cx;
static struct {
	char slug[MCP_SLUG_MAX + 1];
	struct state s;
} states[SLUGS];
static int nstates;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	setenv("MCP_NOW", "1767225600", 1);
	alert_conf_defaults(&conf);
	/* Two routes, so that deliveries are queued (a Slack URL needs no key file). */
	snprintf(conf.routes[0].name, ALERT_NAME_MAX, "team");
	conf.routes[0].type = RT_SLACK;
	conf.routes[0].url = strdup("https://hooks.slack.com/services/T0/B0/x");
	snprintf(conf.routes[1].name, ALERT_NAME_MAX, "log");
	conf.routes[1].type = RT_COMMAND;
	conf.routes[1].argv = calloc(2, sizeof(char *));
	conf.routes[1].argv[0] = strdup("true");
	conf.nroutes = 2;
	cx.c = &conf;
	if ((cx.b = calloc(1, sizeof(*cx.b))) == NULL)
		abort();
	return 0;
}

/* The state of a slug, or NULL when SLUGS are taken. */
static struct state *
state_of(const char *slug)
{
	int i;

	for (i = 0; i < nstates; i++)
		if (strcmp(states[i].slug, slug) == 0)
			return &states[i].s;
	if (nstates == SLUGS)
		return NULL;
	snprintf(states[nstates].slug, sizeof(states[nstates].slug), "%s", slug);
	memset(&states[nstates].s, 0, sizeof(states[nstates].s));
	return &states[nstates++].s;
}

static void
check_regions(const cJSON *a)
{
	const cJSON *e;

	if (a == NULL || cJSON_IsNull(a))
		return;
	FUZZ_CHECK(cJSON_IsArray(a) && cJSON_GetArraySize(a) <= ALERT_REGIONS_MAX);
	cJSON_ArrayForEach(e, a) FUZZ_CHECK(cJSON_IsString(e) && mcp_slug_ok(e->valuestring));
}

/* Every line of what the rules printed is a record. */
static void
check_out(const struct mcp_buf *out)
{
	const char *s = out->p, *nl, *why;
	cJSON *rec, *v;

	if (out->len == 0)
		return;
	FUZZ_CHECK(mcp_utf8_valid(out->p, out->len));
	for (; s < out->p + out->len; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(out->p + out->len - s));
		FUZZ_CHECK(nl != NULL);
		rec = mcp_json_parse(s, (size_t)(nl - s), &why);
		FUZZ_CHECK(cJSON_IsObject(rec));
		v = cJSON_GetObjectItemCaseSensitive(rec, "v");
		FUZZ_CHECK(cJSON_IsNumber(v) && v->valuedouble == 1);
		FUZZ_CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "type")));
		check_regions(cJSON_GetObjectItemCaseSensitive(rec, "regions"));
		cJSON_Delete(rec);
	}
}

/* A body a route would be sent: valid UTF-8, and JSON; freed here. */
static void
check_body(char *body)
{
	const char *why;
	cJSON *o;

	FUZZ_CHECK(body != NULL && mcp_utf8_valid(body, strlen(body)));
	FUZZ_CHECK((o = mcp_json_parse(body, strlen(body), &why)) != NULL);
	cJSON_Delete(o);
	free(body);
}

/* Each job queued, and what each type of route would be sent for it. */
static void
check_jobs(const struct ctx *x)
{
	const struct alert_route pd = {.name = "pd", .type = RT_PAGERDUTY, .secret = "pd-key"};
	const cJSON *rec;
	const char *why;
	cJSON *job;
	size_t i;

	for (i = 0; i < x->njobs; i++) {
		FUZZ_CHECK(x->jobroute[i] >= 0 && x->jobroute[i] < conf.nroutes);
		FUZZ_CHECK(x->jobs[i] != NULL && mcp_utf8_valid(x->jobs[i], strlen(x->jobs[i])));
		FUZZ_CHECK((job = mcp_json_parse(x->jobs[i], strlen(x->jobs[i]), &why)) != NULL);
		rec = cJSON_GetObjectItemCaseSensitive(job, "rec");
		FUZZ_CHECK(cJSON_IsObject(rec));
		if (alert_pd_action(alert_str(rec, "event")) != NULL)
			check_body(alert_pd_body(&pd, rec));
		check_body(alert_slack_body(rec));
		check_body(alert_print(cJSON_Duplicate(rec, 1)));
		cJSON_Delete(job);
	}
}

static void
check_verdict(const struct item *it)
{
	const struct verdict *vd = &it->vd;

	FUZZ_CHECK(it->sl.slug != NULL && mcp_slug_ok(it->sl.slug) && it->sl.slug == vd->slug);
	FUZZ_CHECK(vd->window >= 0 && vd->window <= NOW + ALERT_WINDOW_SKEW);
	FUZZ_CHECK(vd->latency == -1 || (vd->latency >= 0 && vd->latency <= ALERT_LATENCY_MAX));
	FUZZ_CHECK(vd->l.kind == PASS || vd->l.kind == FAIL || vd->l.kind == NEUTRAL);
	check_regions(cJSON_GetObjectItemCaseSensitive(it->rec, "failed_regions"));
	check_regions(cJSON_GetObjectItemCaseSensitive(it->rec, "reporters"));
}

/* The record loop's callback: the filter's check, then the rules in memory. */
static int
fuzz_line(cJSON *rec, long lineno, void *arg)
{
	struct ctx *x = arg;
	struct item *it;
	struct state *s;
	int r;

	x->b->n = 0;
	if ((r = on_verdict(rec, lineno, x)) != 0 || x->b->n == 0) {
		batch_clear(x->b);
		return r == -1 ? 0 : r;
	}
	FUZZ_CHECK(x->b->n == 1);
	it = &x->b->it[0];
	check_verdict(it);
	if ((s = state_of(it->sl.slug)) != NULL) {
		mcp_buf_reset(&x->out);
		jobs_reset(x);
		x->slug = it->sl.slug, x->window = it->window;
		x->maint = MAINT_LOADED;
		memset(&x->m, 0, sizeof(x->m));
		if (on_window(x, s, &it->vd) != -1) {
			check_out(&x->out);
			check_jobs(x);
		}
		jobs_reset(x);
	}
	batch_clear(x->b);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_loop_stats st;
	FILE *f;

	if (size == 0 || (f = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	nstates = 0;
	mcp_loop(f, "stdin", fuzz_line, &cx, &st);
	fclose(f);
	return 0;
}
