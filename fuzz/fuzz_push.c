/*
 * fuzz_push.c - mcp-aggregate push's record checks (aggregate/push.c,
 * pushcheck.c) on any stream of lines, without Redis.
 *
 * Each line goes through the record loop to on_record, push's own
 * callback: the step and result checks, the stored value, the line kept
 * for the spool.  Nothing is sent: the batch is emptied after each record,
 * and the stream push believes it reads has buffered bytes, so it never
 * decides to send a batch (which, with no store, would write the spool).
 * A result taken must be fit to store: slug and region pass mcp_slug_ok,
 * its start is at most AGG_SKEW ahead of the clock and AGG_PAST behind
 * it, the stored value reads back (agg_result_parse) with its start in its
 * window, the start is the record's as records write numbers, the latency
 * bucket is one of the histogram's, a certificate expiry kept is whole
 * seconds up to 9999, and the spool line is one JSON object
 * that push reads back to the same stored value.  Not covered: what
 * needs Redis (the Lua script, the batches, reconnects) and the spool
 * file itself; mcp-aggregate verdict.  The clock is fixed (MCP_NOW).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../aggregate/push.c"
#include "../aggregate/pushcheck.c"
#include "../lib/json.h"

#define NOW 1767225600 /* 2026-01-01 00:00 UTC, MCP_NOW */

static struct pctx px;
static FILE *busy; /* a stream with unread bytes in its buffer */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char two[] = "{}";

	(void)argc;
	(void)argv;
	fuzz_quiet();
	setenv("MCP_NOW", "1767225600", 1);
	if ((px.b = calloc(AGG_BATCH, sizeof(*px.b))) == NULL ||
	    (busy = fmemopen(two, 2, "r")) == NULL || fgetc(busy) == EOF)
		abort();
	px.spool = "/nonexistent/fuzz-spool";
	return 0;
}

/* A stored value as the verdict reads it back. */
static void
check_value(const struct pending *q, const cJSON *rec)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "probe_started_at");
	char v[sizeof(q->value)], num[32];
	struct agg_result r;

	FUZZ_CHECK(mcp_slug_ok(q->slug) && mcp_slug_ok(q->region));
	FUZZ_CHECK(strcmp(q->slug, str_of(rec, "slug")) == 0);
	snprintf(v, sizeof(v), "%s", q->value);
	FUZZ_CHECK(agg_result_parse(v, q->region, q->window, &r) == 0);
	FUZZ_CHECK(r.started >= (double)q->window && r.started < (double)q->window + 60);
	/* No start ahead of the clock by more than the skew, or a month behind it. */
	FUZZ_CHECK(t->valuedouble <= NOW + AGG_SKEW && t->valuedouble >= NOW - AGG_PAST);
	FUZZ_CHECK(mcp_json_number(t->valuedouble, num, sizeof(num)) == 0);
	FUZZ_CHECK(strcmp(num, q->started) == 0);
	FUZZ_CHECK(
	    q->bucket[0] == '\0' || (atoi(q->bucket) >= 0 && atoi(q->bucket) < AGG_LAT_NBUCKET));
	/* A certificate expiry kept is whole seconds that verdict reads back. */
	FUZZ_CHECK(q->cert[0] == '\0' ||
	    (strspn(q->cert, "0123456789") == strlen(q->cert) &&
	        strtod(q->cert, NULL) <= AGG_TIME_MAX));
}

/* The spool line, read back as a replay reads it, gives the same stored value. */
static void
check_spool_line(const struct pending *q)
{
	struct pending again;
	const char *why;
	cJSON *rec;

	FUZZ_CHECK(q->line.len > 0 && q->line.p[q->line.len - 1] == '\n');
	FUZZ_CHECK(mcp_utf8_valid(q->line.p, q->line.len));
	rec = mcp_json_parse(q->line.p, q->line.len - 1, &why);
	FUZZ_CHECK(cJSON_IsObject(rec));
	memset(&again, 0, sizeof(again));
	FUZZ_CHECK(check_result(rec, &again) == NULL);
	FUZZ_CHECK(strcmp(again.value, q->value) == 0 && strcmp(again.slug, q->slug) == 0 &&
	    strcmp(again.region, q->region) == 0 && strcmp(again.host, q->host) == 0 &&
	    strcmp(again.cert, q->cert) == 0);
	cJSON_Delete(rec);
}

static int
fuzz_line(cJSON *rec, long lineno, void *arg)
{
	struct pctx *p = arg;
	struct pending *q = &p->b[0];
	size_t n = p->n;
	int r;

	p->in = busy;
	r = on_record(rec, lineno, p);
	FUZZ_CHECK(p->st == NULL && p->spooled == 0);
	if (p->n > n) {
		FUZZ_CHECK(r == 0 && p->n == n + 1);
		check_value(q, rec);
		check_spool_line(q);
	}
	p->n = 0;
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_loop_stats st;
	FILE *f;

	if (size == 0 || (f = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	px.name = "stdin";
	mcp_loop(f, "stdin", fuzz_line, &px, &st);
	fclose(f);
	return 0;
}
