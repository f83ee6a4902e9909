/*
 * watch.c - the expiry tracks of mcp-alert(1): cert-expiry, the earliest
 * TLS certificate expiry of a server's regions, read from its verdicts;
 * token-expiry, a probe credential's expiry, read from its file by
 * mcp-alert token.  One incident per credential, named by its expiry in
 * the dedup_key; each tier announced once (a trigger, then an escalate
 * per tier); resolved when a later expiry is seen (a renewal, a
 * rotation).  No reminders: the tiers are the reminders.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "expiry.h"
#include "rules.h"

/* The tiers of track ti from the configuration; their count. */
static int
tiers_of(const struct alert_conf *c, int ti, struct exp_tier *t)
{
	if (ti == T_CERT) {
		t[0] = (struct exp_tier){c->cert_p3, "P3"};
		t[1] = (struct exp_tier){c->cert_p2, "P2"};
		return 2;
	}
	t[0] = (struct exp_tier){c->token_p3, "P3"};
	t[1] = (struct exp_tier){c->token_p2, "P2"};
	t[2] = (struct exp_tier){c->token_p1, "P1"};
	t[3] = (struct exp_tier){0, "P1"};
	return 4;
}

/* "the TLS certificate of HOST" or "token FPR": what expires. */
static void
what_of(char *buf, size_t len, int ti, const char *host, const char *fpr)
{
	if (ti == T_TOKEN)
		snprintf(buf, len, "token %s", fpr);
	else if (host != NULL)
		snprintf(buf, len, "the TLS certificate of %s", host);
	else
		snprintf(buf, len, "the TLS certificate");
}

/* "SLUG: WHAT expires in 9 days (2026-12-04T16:00:00Z)", or "has expired (...)". */
static void
notice_text(char *buf, size_t len, const struct ctx *x, int ti, const struct sighting *o)
{
	char what[300], left[64], at[32];

	what_of(what, sizeof(what), ti, o->host, o->fpr);
	exp_left_text(left, sizeof(left), o->exp - o->now);
	if (mcp_iso8601(o->exp, at, sizeof(at)) == -1)
		snprintf(at, sizeof(at), "%.0f", o->exp);
	if (o->exp > o->now)
		snprintf(buf, len, "%s: %s expires in %s (%s)", x->slug, what, left, at);
	else
		snprintf(buf, len, "%s: %s has expired (%s)", x->slug, what, at);
}

/* Open the incident of the credential seen, at its tier. */
static int
x_trigger(struct ctx *x, struct state *s, int ti, const struct sighting *o, int tier,
    const struct exp_tier *tiers)
{
	struct track *t = &s->t[ti];
	struct xtrack *xs = &s->x[ti - T_CERT];
	char sum[1024], *r;
	struct alert_ev e;

	memset(t, 0, sizeof(*t));
	t->open = 1, t->start = floor(o->now), t->notice = o->now;
	snprintf(t->sev, sizeof(t->sev), "%s", tiers[tier - 1].sev);
	snprintf(t->step, sizeof(t->step), "%s", ti == T_CERT ? "tls" : "");
	t->p1at = strcmp(t->sev, "P1") == 0 ? mcp_ms_round(mcp_now()) : 0;
	r = o->regions != NULL ? cJSON_PrintUnformatted(o->regions) : NULL;
	snprintf(
	    t->regions, sizeof(t->regions), "%s", r && strlen(r) < sizeof(t->regions) ? r : "[]");
	free(r);
	xs->exp = o->exp, xs->tier = tier;
	snprintf(xs->fpr, sizeof(xs->fpr), "%s", o->fpr != NULL ? o->fpr : "");
	notice_text(sum, sizeof(sum), x, ti, o);
	e = ev_of_state(s, ti, x->slug, "trigger", sum);
	return announce(x, t, &e, alert_routes_for(x->c, t->sev, mcp_now()));
}

/* A later tier of the open incident: its severity's routes and those told. */
static int
x_escalate(struct ctx *x, struct state *s, int ti, const struct sighting *o, int tier,
    const struct exp_tier *tiers)
{
	struct track *t = &s->t[ti];
	char sum[1024];
	struct alert_ev e;

	snprintf(t->sev, sizeof(t->sev), "%s", tiers[tier - 1].sev);
	if (strcmp(t->sev, "P1") == 0 && t->p1at <= 0)
		t->p1at = mcp_ms_round(mcp_now()), t->steps = 0;
	s->x[ti - T_CERT].tier = tier;
	notice_text(sum, sizeof(sum), x, ti, o);
	e = ev_of_state(s, ti, x->slug, "escalate", sum);
	return announce(
	    x, t, &e, alert_routes_for(x->c, t->sev, mcp_now()) | routes_of(x->c, t->routes));
}

enum { RENEWED, REPLACED, GONE };

/* The end of the open incident: a later credential, an earlier one, or none any more. */
static int
x_resolve(struct ctx *x, struct state *s, int ti, const struct sighting *o, int why)
{
	struct track *t = &s->t[ti];
	struct xtrack *xs = &s->x[ti - T_CERT];
	char sum[1400], what[300], old[32], now[32] = "?";
	double end = t->pass > 0 && t->pstart > 0 ? t->pstart : o->now;
	struct alert_ev e;
	int rc;

	what_of(what, sizeof(what), ti, o->host, xs->fpr);
	if (mcp_iso8601(xs->exp, old, sizeof(old)) == -1)
		snprintf(old, sizeof(old), "?");
	if (o->exp >= 0 && mcp_iso8601(o->exp, now, sizeof(now)) == -1)
		snprintf(now, sizeof(now), "?");
	if (why == GONE)
		snprintf(sum, sizeof(sum),
		    "%s: no TLS certificate seen for a day while the server passes; %s expiring %s "
		    "is no longer served",
		    x->slug, what, old);
	else if (ti == T_TOKEN)
		snprintf(sum, sizeof(sum), "%s: %s expiring %s was %s; token %s expires %s",
		    x->slug, what, old,
		    why == RENEWED ? "rotated" : "replaced by one expiring earlier", o->fpr, now);
	else
		snprintf(sum, sizeof(sum),
		    "%s: %s expiring %s was %s; the earliest served now expires %s", x->slug, what,
		    old, why == RENEWED ? "renewed" : "replaced by one expiring earlier", now);
	e = ev_of_state(s, ti, x->slug, "resolve", sum);
	e.duration = end > t->start ? floor(end - t->start) : 0;
	rc = emit_to(x, t, &e, routes_of(x->c, t->routes));
	memset(t, 0, sizeof(*t));
	memset(xs, 0, sizeof(*xs));
	return rc;
}

/*
 * A trigger held back by maintenance: once the window has ended and the
 * grace passed, an incident still open is announced after all.
 */
static int
x_post_maint(
    struct ctx *x, struct state *s, int ti, const struct sighting *o, const struct exp_tier *tiers)
{
	struct track *t = &s->t[ti];
	struct xtrack *xs = &s->x[ti - T_CERT];
	double end;
	int mt;

	if (!t->held || (mt = in_maint(x)) != 0)
		return 0;
	end = x->m.end > 0 && x->m.end < t->held_end ? x->m.end : t->held_end;
	if (o->now < end + x->c->post_maint_grace)
		return 0;
	return x_trigger(x, s, ti, o, xs->tier > 0 ? xs->tier : 1, tiers);
}

int
expiry_step(struct ctx *x, struct state *s, int ti, const struct sighting *o)
{
	struct track *t = &s->t[ti];
	struct xtrack *xs = &s->x[ti - T_CERT];
	struct exp_tier tiers[EXP_TIERS_MAX];
	int n = tiers_of(x->c, ti, tiers), hyst = ti == T_CERT ? x->c->pass_windows : 1, tier;

	if (o->exp < 0) {
		/* A server that passes and shows no certificate for a day no longer has one. */
		if (!t->open || !o->passing)
			return 0;
		if (t->pass++ == 0)
			t->pstart = o->now;
		return t->pass >= hyst ? x_resolve(x, s, ti, o, GONE) : 0;
	}
	if (t->open && o->exp != xs->exp) {
		/* A later expiry must hold, as a passing run does: not one edge's new certificate. */
		if (o->exp > xs->exp) {
			if (t->pass++ == 0)
				t->pstart = o->now;
			if (t->pass < hyst)
				return 0;
		}
		if (x_resolve(x, s, ti, o, o->exp > xs->exp ? RENEWED : REPLACED) == -1)
			return -1;
	} else if (t->open) {
		t->pass = 0;
		if (o->fpr != NULL)
			snprintf(xs->fpr, sizeof(xs->fpr), "%s", o->fpr);
		if (x_post_maint(x, s, ti, o, tiers) == -1)
			return -1;
	}
	tier = exp_tier(o->exp - o->now, tiers, n);
	if (o->cap > 0 && tier > o->cap)
		tier = o->cap;
	if (!t->open)
		return tier > 0 ? x_trigger(x, s, ti, o, tier, tiers) : 0;
	return tier > xs->tier ? x_escalate(x, s, ti, o, tier, tiers) : 0;
}

/*
 * The verdict's host, for a summary, when it is one mcp-aggregate writes
 * (mcp-aggregate(1): lowercased, [a-z0-9._~%-] and ':' of an IPv6
 * literal); else none is named.
 */
static const char *
host_of(const char *h)
{
	size_t n = h != NULL ? strlen(h) : 0;

	return n > 0 && n <= 255 && strspn(h, "abcdefghijklmnopqrstuvwxyz0123456789._~%-:") == n
	    ? h
	    : NULL;
}

/*
 * The regions of cert_regional whose expiry is exp, into a new array
 * (owned), or NULL.
 */
static cJSON *
early_regions(const cJSON *regional, double exp)
{
	cJSON *a = cJSON_CreateArray();
	const cJSON *e;

	cJSON_ArrayForEach(e, regional)
	{
		if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "expires_at")) == exp)
			cJSON_AddItemToArray(a,
			    cJSON_CreateString(cJSON_GetStringValue(
			        cJSON_GetObjectItemCaseSensitive(e, "region"))));
	}
	return a;
}

/*
 * The expiry two regions see pages (cert_expires_at); one that a region
 * alone sees earlier (cert_regional) is a regional fact, told at most at
 * the first tier (P3), and only while the other does not reach a higher
 * one.  One already passed is left to that region's failing handshakes
 * (amber there): it ends no incident of the server's own.
 */
int
cert_step(struct ctx *x, struct state *s, const struct verdict *vd)
{
	struct sighting o = {
	    vd->cert, x->window, NULL, vd->cert_regions, host_of(vd->host), vd->l.kind == PASS};
	struct exp_tier tiers[EXP_TIERS_MAX];
	int n = tiers_of(x->c, T_CERT, tiers), rc;
	cJSON *early = NULL;

	if (vd->cert_early > x->window && (vd->cert < 0 || vd->cert_early < vd->cert) &&
	    (vd->cert < 0 || exp_tier(vd->cert - x->window, tiers, n) <= 1)) {
		early = early_regions(vd->cert_regional, vd->cert_early);
		o.exp = vd->cert_early, o.regions = early, o.cap = 1;
	}
	rc = expiry_step(x, s, T_CERT, &o);
	cJSON_Delete(early);
	return rc;
}
