/*
 * pushcheck.c - the checks of a record push reads, before anything of it
 * is queued: a step record's fields; a result's, into its place in the
 * batch with the value to store; the region push -r speaks for; the
 * origin of its slug (the origin's slugs read again each minute); a
 * window begun on this host's clock (the results refused for one not
 * begun counted, for push_future_flush to write).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "json.h"
#include "mcp.h"
#include "push.h"

/* The string k of rec, or NULL when it is absent or not a string. */
static const char *
str_of(const cJSON *rec, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * Fields every probe record shares, checked against the clock as the
 * record is read (a push may read a stream for days); NULL when good,
 * else the reason, written into why.
 */
static const char *
check_common(const cJSON *rec, const char **slug, const char **region, double *started, char *why,
    size_t len)
{
	if (agg_name_check(rec, "slug", slug, why, len) == -1 ||
	    agg_name_check(rec, "region", region, why, len) == -1 ||
	    agg_start_check(rec, mcp_now(), started, why, len) == -1)
		return why;
	return NULL;
}

/*
 * The stored value, "OFFSET hID MS", "OFFSET aID MS" or "OFFSET b STEP
 * CODE" (mcp-store(7)): what the verdict reads, no more.  A broken result
 * keeps its step, its error code and no hash, as only passing results are
 * compared; the full hash goes to the hash key, where drift is seen.
 */
static const char *
result_value(
    struct pending *p, double started, char code, const char *step, long ms, const char *ecode)
{
	long long off = agg_start_ms(started, p->window);
	char id[HASH_MAX + 2] = "", dur[24] = "";
	int k;

	if (step != NULL) {
		k = snprintf(p->value, sizeof(p->value), "%lld %c %s%s%s", off, code, step,
		    ecode != NULL ? " " : "", ecode != NULL ? ecode : "");
	} else if (p->hash[0] != '\0' && agg_hash_id(p->hash, id, sizeof(id)) == -1) {
		k = -1;
	} else {
		if (ms >= 0)
			snprintf(dur, sizeof(dur), " %ld", ms);
		k = snprintf(p->value, sizeof(p->value), "%lld %c%s%s", off, code, id, dur);
	}
	return k < 0 || (size_t)k >= sizeof(p->value) ? "tool_hash: too long to store" : NULL;
}

/* The code of the result's "error", when it is one a result keeps; else NULL. */
static const char *
error_code(const cJSON *rec)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const char *code = cJSON_IsObject(e) ? str_of(e, "code") : NULL;

	return code != NULL && agg_code_ok(code) ? code : NULL;
}

/*
 * Validate a result record into p (all but the line); a reason (in p->why,
 * or static), or NULL.
 */
static const char *
check_result(const cJSON *rec, struct pending *p)
{
	const char *slug, *region, *url, *step, *hash, *why;
	double started, ms, cert;
	char code;

	if ((why = check_common(rec, &slug, &region, &started, p->why, sizeof(p->why))) != NULL)
		return why;
	p->uj = 0;
	if (agg_canary_check(rec, &p->canary, p->why, sizeof(p->why)) == -1 ||
	    agg_origin_check(rec, &p->from_registry, p->why, sizeof(p->why)) == -1 ||
	    agg_state_check(rec, &code, p->why, sizeof(p->why)) == -1 ||
	    (code == 'u' && agg_unjudged_check(rec, &p->uj, p->why, sizeof(p->why)) == -1) ||
	    agg_step_check(rec, "failed_step", code == 'b', &step, p->why, sizeof(p->why)) == -1 ||
	    agg_hash_check(rec, &hash, p->why, sizeof(p->why)) == -1 ||
	    agg_ms_check(rec, &ms, p->why, sizeof(p->why)) == -1 ||
	    mcp_json_time(rec, "cert_expires_at", &cert, p->why, sizeof(p->why)) == -1 ||
	    agg_findings_check(rec, &p->fd, p->why, sizeof(p->why)) == -1)
		return p->why;
	p->cert[0] = '\0';
	agg_cloak_value(rec, started, p->cloak, sizeof(p->cloak));
	agg_ready_value(rec, started, p->ready, sizeof(p->ready));
	if (cert >= 0)
		snprintf(p->cert, sizeof(p->cert), "%.0f", cert);
	snprintf(p->slug, sizeof(p->slug), "%s", slug);
	snprintf(p->region, sizeof(p->region), "%s", region);
	mcp_json_number(started, p->started, sizeof(p->started));
	p->window = agg_window(started);
	snprintf(p->hash, sizeof(p->hash), "%s", hash);
	p->bucket[0] = '\0';
	if (code != 'b' && ms >= 0)
		snprintf(p->bucket, sizeof(p->bucket), "%d", agg_lat_bucket(ms));
	if ((url = str_of(rec, "url")) == NULL || agg_url_host(url, p->host, sizeof(p->host)) == -1)
		p->host[0] = '\0';
	if (code == 'u')
		return NULL;
	if (code == 'b')
		return result_value(p, started, code, step, -1, error_code(rec));
	return result_value(p, started, code, NULL, agg_ms_whole(ms), NULL);
}

static const char *
check_step(const cJSON *rec, char *why, size_t len)
{
	const char *slug, *region, *step;
	double started;
	char canary;
	int reg;

	if (check_common(rec, &slug, &region, &started, why, len) != NULL ||
	    agg_step_check(rec, "step", 1, &step, why, len) == -1 ||
	    agg_canary_check(rec, &canary, why, len) == -1 ||
	    agg_origin_check(rec, &reg, why, len) == -1)
		return why;
	return NULL;
}

/*
 * push -r: a runner speaks for its own region only, so one region's
 * runner cannot fill another's results; the records replayed from the
 * spool too (the spool of push -r is that region's own).  NULL, or the
 * reason in why.
 */
static const char *
foreign(const struct pctx *p, const cJSON *rec, char *why, size_t len)
{
	const char *region = str_of(rec, "region");
	char q[MCP_QUOTED_MAX];

	if (p->region == NULL || strcmp(region, p->region) == 0)
		return NULL;
	snprintf(why, len, "bad region %s: not %s%s", mcp_json_quoted(q, sizeof(q), region),
	    p->rlabel != NULL ? p->rlabel : "-r ", p->region);
	return why;
}

/*
 * Check rec as push takes it, a result's fields into q: 'r' for a result
 * to store, 's' for a step record (checked; nothing of it is stored), 0
 * when it is refused, the reason in why.
 */
int
push_take(const struct pctx *p, const cJSON *rec, struct pending *q, char *why, size_t len)
{
	const char *type = str_of(rec, "type"), *w;
	char t[MCP_QUOTED_MAX];

	if (strcmp(type, "step") == 0) {
		if (check_step(rec, why, len) != NULL || foreign(p, rec, why, len) != NULL)
			return 0;
		return 's';
	}
	if (strcmp(type, "result") != 0) {
		snprintf(
		    why, len, "not a probe record (type %s)", mcp_json_quoted(t, sizeof(t), type));
		return 0;
	}
	if ((w = check_result(rec, q)) != NULL) {
		snprintf(why, len, "%s", w);
		return 0;
	}
	return foreign(p, rec, why, len) != NULL ? 0 : 'r';
}

/*
 * A result under a slug that is not its origin's: the registry's slugs
 * take only the registry's targets' results, and those only the
 * registry's slugs (origin.c).  The slugs are read again every minute.
 */
int
push_not_its_slug(struct pctx *p, const struct pending *q, char *why, size_t len)
{
	char err[AGG_WHY_MAX + 300];

	if (p->st != NULL && (p->origin.at == 0 || mcp_mono() - p->origin.at >= AGG_ORIGIN_EVERY) &&
	    agg_origin_load(p->st, &p->origin, err, sizeof(err)) == -1)
		warnx("redis: %s", err);
	return agg_origin_refused(&p->origin, q->slug, q->from_registry, why, len) != NULL;
}

/*
 * A result of a window not begun on this host's clock (MCP_NOW when
 * set): refused and counted.  Were it stored, its token would be the
 * first writer of a window still to come, and the runner that probes it
 * would be kept out.
 */
int
push_not_begun(struct pctx *p, const struct pending *q, char *why, size_t len)
{
	char iso[32];

	if ((double)q->window <= mcp_now())
		return 0;
	if (mcp_iso8601((double)q->window, iso, sizeof(iso)) == -1)
		snprintf(iso, sizeof(iso), "%lld", q->window);
	snprintf(why, len,
	    "probe_started_at %s: its window %s has not begun on this host's clock: a result "
	    "is of a window under way or past",
	    q->started, iso);
	if (p->future_new > 0 && strcmp(p->future_region, q->region) != 0)
		push_future_flush(p);
	snprintf(p->future_region, sizeof(p->future_region), "%s", q->region);
	p->future_new++;
	p->future++;
	return 1;
}
