/*
 * classify.c - reading one verdict record for mcp-alert(1): what it says
 * to the rules, once every value that would enter the state or a record
 * has been checked.  A verdict that fails a check is refused whole, with
 * a reason that names the field and the value (see LIMITS in mcp-alert(1)):
 * mcp-aggregate never writes such a line, and none is rewritten to fit.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "json.h"
#include "rules.h"

int
in_array(const cJSON *arr, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
	{
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return 1;
	}
	return 0;
}

/* "a", "a and b", "a, b and c" of the strings of arr not in skip. */
void
regions_join(char *buf, size_t len, const cJSON *arr, const cJSON *skip)
{
	const cJSON *e;
	const char *w[ALERT_REGIONS_MAX], *sep;
	size_t used = 0;
	int n = 0, i;

	cJSON_ArrayForEach(e, arr)
	{
		if (cJSON_IsString(e) && n < ALERT_REGIONS_MAX && !in_array(skip, e->valuestring))
			w[n++] = e->valuestring;
	}
	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		sep = i == 0 ? "" : ", ";
		if (i > 0 && i == n - 1)
			sep = " and ";
		used += (size_t)snprintf(buf + used, len - used, "%s%s", sep, w[i]);
	}
}

static int
p1_layer(int layer)
{
	return layer < mcp_step_index("tools_list");
}

/*
 * A list of regions: an array of at most ALERT_REGIONS_MAX names that
 * follow the slug rule, as every region of the suite does.  Only such
 * names reach the records, the deliveries and the stored state, which
 * holds a whole list.  0, or -1 with the reason in err.
 */
static int
regions_check(const cJSON *rec, const char *field, char *err, size_t errlen)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, field), *e;
	char q[MCP_QUOTED_MAX];
	int i = 0;

	if (!cJSON_IsArray(a)) {
		snprintf(err, errlen, "verdict without %s (an array of regions)", field);
		return -1;
	}
	if (cJSON_GetArraySize(a) > ALERT_REGIONS_MAX) {
		snprintf(err, errlen, "%s: %d regions, more than %d", field, cJSON_GetArraySize(a),
		    ALERT_REGIONS_MAX);
		return -1;
	}
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(e)) {
			snprintf(err, errlen, "%s[%d]: not a string", field, i);
			return -1;
		}
		if (!mcp_slug_ok(e->valuestring)) {
			snprintf(err, errlen, "%s[%d]: bad region %s: not [a-z0-9._-]{1,80}", field,
			    i, mcp_json_quoted(q, sizeof(q), e->valuestring));
			return -1;
		}
		i++;
	}
	return 0;
}

/*
 * The type, the slug and the window.  A window later than the clock (in
 * milliseconds, say) would make every real verdict of its slug look
 * decided until the clock caught up: only ALERT_WINDOW_SKEW of it is let
 * through.
 */
static int
head_check(const cJSON *rec, double now, struct verdict *vd, char *err, size_t errlen)
{
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "type"));
	const cJSON *win = cJSON_GetObjectItemCaseSensitive(rec, "window");
	char q[MCP_QUOTED_MAX], n[32];

	if (type == NULL || strcmp(type, "verdict") != 0) {
		snprintf(err, errlen, "a %s record, not a verdict",
		    mcp_json_quoted(q, sizeof(q), type ? type : ""));
		return -1;
	}
	if ((vd->slug = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "slug"))) ==
	    NULL) {
		snprintf(err, errlen, "verdict without a slug");
		return -1;
	}
	if (!mcp_slug_ok(vd->slug)) {
		snprintf(err, errlen, "bad slug %s: not [a-z0-9._-]{1,80}",
		    mcp_json_quoted(q, sizeof(q), vd->slug));
		return -1;
	}
	if (!cJSON_IsNumber(win)) {
		snprintf(err, errlen, "verdict without a window");
		return -1;
	}
	vd->window = win->valuedouble;
	if (!(vd->window >= 0 && vd->window <= ALERT_TIME_MAX)) {
		snprintf(err, errlen, "window %s: not a time (0 to %.0f)",
		    mcp_json_num_text(n, sizeof(n), vd->window), ALERT_TIME_MAX);
		return -1;
	}
	if (vd->window > now + ALERT_WINDOW_SKEW) {
		snprintf(err, errlen, "window %s is more than %d s ahead of the clock",
		    mcp_json_num_text(n, sizeof(n), vd->window), ALERT_WINDOW_SKEW);
		return -1;
	}
	return 0;
}

/* latency_ms: absent or null (-1), or whole enough milliseconds a probe can take. */
static int
latency_check(const cJSON *rec, struct verdict *vd, char *err, size_t errlen)
{
	return mcp_json_bounded(rec, "latency_ms", ALERT_LATENCY_MAX, &vd->latency, err, errlen);
}

/*
 * cert_regional: absent, or an array of at most ALERT_REGIONS_MAX
 * {"region", "expires_at"}, a region and a time as cert_expires_at; the
 * earliest of them into vd->cert_early.
 */
static int
regional_check(const cJSON *rec, struct verdict *vd, char *err, size_t errlen)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, "cert_regional"), *e, *r;
	char q[MCP_QUOTED_MAX], why[256];
	double t;
	int i = 0;

	vd->cert_early = -1;
	if (a == NULL)
		return 0;
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > ALERT_REGIONS_MAX) {
		snprintf(err, errlen, "cert_regional: not an array of at most %d regions",
		    ALERT_REGIONS_MAX);
		return -1;
	}
	cJSON_ArrayForEach(e, a)
	{
		r = cJSON_GetObjectItemCaseSensitive(e, "region");
		if (!cJSON_IsString(r) || !mcp_slug_ok(r->valuestring)) {
			snprintf(err, errlen, "cert_regional[%d]: bad region %s", i,
			    cJSON_IsString(r) ? mcp_json_quoted(q, sizeof(q), r->valuestring)
			                      : "(not a string)");
			return -1;
		}
		if (mcp_json_time(e, "expires_at", &t, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "cert_regional[%d]: %s", i, why);
			return -1;
		}
		if (t < 0) {
			snprintf(err, errlen, "cert_regional[%d]: without expires_at", i);
			return -1;
		}
		if (vd->cert_early < 0 || t < vd->cert_early)
			vd->cert_early = t;
		i++;
	}
	vd->cert_regional = a;
	return 0;
}

/*
 * cert_expires_at: absent or null (-1), or whole seconds up to ALERT_TIME_MAX;
 * cert_regions: absent, or regions as failed_regions; cert_regional as
 * regional_check() reads it.
 */
static int
cert_check(const cJSON *rec, struct verdict *vd, char *err, size_t errlen)
{
	if (mcp_json_time(rec, "cert_expires_at", &vd->cert, err, errlen) == -1 ||
	    regional_check(rec, vd, err, errlen) == -1)
		return -1;
	if (!cJSON_HasObjectItem(rec, "cert_regions"))
		return 0;
	if (regions_check(rec, "cert_regions", err, errlen) == -1)
		return -1;
	vd->cert_regions = cJSON_GetObjectItemCaseSensitive(rec, "cert_regions");
	return 0;
}

/* 1 when a is an array of at most ALERT_REGIONS_MAX region names. */
int
regions_ok(const cJSON *a)
{
	const cJSON *e;

	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > ALERT_REGIONS_MAX)
		return 0;
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring))
			return 0;
	}
	return 1;
}

/*
 * drift and tools_divergence, the tool lists' changes (issue 46).  They
 * only add words and the tools-changed track: a verdict whose are not as
 * mcp-aggregate writes them is read without them, never refused (its
 * downtime counts more than its words).  Each name in them is cut and
 * cleaned where it is said (toolwords.c).
 */
static void
tools_read(const cJSON *rec, struct verdict *vd)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "drift");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "tools_divergence"), *e;

	vd->drift = cJSON_IsArray(d) ? d : NULL;
	vd->review = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "review"))
	    ? cJSON_GetObjectItemCaseSensitive(rec, "review")
	    : NULL;
	vd->tdiv = cJSON_IsArray(t) && cJSON_GetArraySize(t) <= ALERT_REGIONS_MAX ? t : NULL;
	cJSON_ArrayForEach(e, vd->tdiv)
	{
		if (!regions_ok(cJSON_GetObjectItemCaseSensitive(e, "regions"))) {
			vd->tdiv = NULL;
			break;
		}
	}
}

/*
 * 1 when every list the regions disagree on is known and only a compatible
 * change from the majority's (a tool added at the origin, an edge not yet
 * serving it): agents that call what they called before do not break, so
 * it is not worth a page at night (P3); a breaking, review or unknown
 * change still is (P2).
 */
static int
divergence_compatible(const struct verdict *vd)
{
	const cJSON *e, *c;
	const char *cls;
	int n = 0;

	cJSON_ArrayForEach(e, vd->tdiv)
	{
		/* Regions ahead (a rollout): what they serve that the others do not. */
		c = cJSON_GetObjectItemCaseSensitive(e, "direction") != NULL &&
		        !(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "direction")) &&
		            strcmp(cJSON_GetObjectItemCaseSensitive(e, "direction")->valuestring,
		                "behind") == 0)
		    ? cJSON_GetObjectItemCaseSensitive(e, "own_change")
		    : cJSON_GetObjectItemCaseSensitive(e, "change");
		cls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "class"));
		if (cls == NULL || strcmp(cls, "compatible") != 0)
			return 0;
		n++;
	}
	return n > 0;
}

/* The divergence in words: who serves what, and whether it breaks agents. */
static void
divergence_words(const struct verdict *vd, char *buf, size_t len)
{
	const cJSON *e = cJSON_GetArrayItem(vd->tdiv, 0);
	char who[512], words[880];
	int n = cJSON_GetArraySize(vd->tdiv);

	if (e == NULL) {
		snprintf(buf, len, "%s: " DIVERGENCE ": " DIVERGENCE_NO_NAMES, vd->slug);
		return;
	}
	regions_join(who, sizeof(who), cJSON_GetObjectItemCaseSensitive(e, "regions"), NULL);
	tool_div_words(words, sizeof(words), who, e);
	snprintf(buf, len, "%s: " DIVERGENCE ": %s%s", vd->slug, words,
	    n > 1 ? " (and other regions serve other lists)" : "");
}

/* The fields every verdict is checked for; 0, or -1 with a reason in err. */
static int
verdict_check(const cJSON *rec, double now, struct verdict *vd, char *err, size_t errlen)
{
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(rec, "step");

	if (head_check(rec, now, vd, err, errlen) == -1)
		return -1;
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "verdict")) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "severity")) ||
	    (!cJSON_IsNull(step) && !cJSON_IsString(step))) {
		snprintf(err, errlen, "verdict record without verdict, severity or step");
		return -1;
	}
	if (regions_check(rec, "failed_regions", err, errlen) == -1 ||
	    regions_check(rec, "reporters", err, errlen) == -1)
		return -1;
	if (latency_check(rec, vd, err, errlen) == -1)
		return -1;
	/* failing_now: absent from the verdicts of before it was added. */
	if (cJSON_HasObjectItem(rec, "failing_now")) {
		if (regions_check(rec, "failing_now", err, errlen) == -1)
			return -1;
		vd->now = cJSON_GetObjectItemCaseSensitive(rec, "failing_now");
	}
	return cert_check(rec, vd, err, errlen);
}

/* Read one verdict; 0, or -1 with a reason in err. */
int
classify(const cJSON *rec, double now, struct verdict *vd, char *err, size_t errlen)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "verdict"));
	const char *sv = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "severity"));
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(rec, "step");
	const cJSON *failed = cJSON_GetObjectItemCaseSensitive(rec, "failed_regions");
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(rec, "reporters");
	struct look *l = &vd->l;
	char reach[1024], q1[MCP_QUOTED_MAX], q2[MCP_QUOTED_MAX];
	const char *slug;
	size_t u;
	int nf;

	memset(vd, 0, sizeof(*vd));
	if (verdict_check(rec, now, vd, err, errlen) == -1)
		return -1;
	slug = vd->slug;
	vd->error = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "error"));
	vd->host = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "host"));
	nf = cJSON_GetArraySize(failed);
	vd->reporters = rep;
	tools_read(rec, vd);
	cloak_read(rec, vd);
	ready_read(rec, vd);
	findings_read(rec, vd);
	l->regions = failed;
	l->step = cJSON_GetStringValue(step);
	l->layer = l->step != NULL ? mcp_step_index(l->step) : -1;
	if (strcmp(v, "green") == 0) {
		l->kind = PASS;
		return 0;
	}
	if (strcmp(v, "unknown") == 0) {
		l->kind = NEUTRAL;
		return 0;
	}
	l->kind = FAIL;
	if (strcmp(v, "amber") == 0 && strcmp(sv, "divergence") == 0) {
		l->sev = divergence_compatible(vd) ? "P3" : "P2";
		l->step = NULL, l->layer = MCP_NSTEPS;
		l->regions = NULL;
		vd->divergence = 1;
		divergence_words(vd, l->summary, sizeof(l->summary));
		return 0;
	}
	if (l->layer < 0 || (strcmp(v, "amber") != 0 && strcmp(v, "red") != 0)) {
		snprintf(err, errlen, "verdict %s with step %s: not known",
		    mcp_json_quoted(q1, sizeof(q1), v),
		    l->step ? mcp_json_quoted(q2, sizeof(q2), l->step) : "null");
		return -1;
	}
	if (strcmp(v, "amber") == 0) {
		l->sev = "P2";
		regions_join(reach, sizeof(reach), rep, failed);
		snprintf(l->summary, sizeof(l->summary), "%s: %s failing in %d region%s; ", slug,
		    l->step, nf, plural(nf));
		u = strlen(l->summary);
		if (reach[0] != '\0')
			snprintf(l->summary + u, sizeof(l->summary) - u,
			    "reachable from %s, not from ", reach);
		else
			snprintf(l->summary + u, sizeof(l->summary) - u, "not reachable from ");
		regions_join(reach, sizeof(reach), failed, NULL);
		u = strlen(l->summary);
		snprintf(l->summary + u, sizeof(l->summary) - u, "%s", reach);
		return 0;
	}
	l->outage = strcmp(sv, "outage") == 0;
	/* Red is P1; a lone reporter failing is rated by its layer. */
	l->sev = l->outage || nf >= 2 || p1_layer(l->layer) ? "P1" : "P2";
	snprintf(l->summary, sizeof(l->summary), "%s: %s%s failing in %d region%s", slug,
	    l->outage ? "outage: " : "", l->step, nf, plural(nf));
	return 0;
}
