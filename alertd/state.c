/*
 * state.c - what a slug's incident state names (statetext.c reads and
 * writes it in the hash mcp:{slug}:alert): the tracks, the routes an
 * incident has told, its queued jobs and its public record.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "routes/routes.h"
#include "loop.h"
#include "notice.h"
#include "rec.h"
#include "rules.h"

/* The name in dedup keys and "kind", and the hash field of each track. */
const char *const track_kind[NTRACKS] = {NULL, "rate-limited", "latency", "error-rate", TOOLS_KIND,
    REVIEW_KIND, "cert-expiry", "token-expiry"};
const char *const track_field[NTRACKS] = {
    "down", "rl", "slow", "erate", "tools", "review", "cert", "token"};
const char *const xtrack_field[NXTRACKS] = {"certx", "tokenx"};

const char *
plural(int n)
{
	return n == 1 ? "" : "s";
}

void
key_of(char *buf, size_t len, const char *slug)
{
	snprintf(buf, len, "mcp:{%s}:alert", slug);
}

#define STR_(x) #x
#define STR(x) STR_(x)

static void
pub_cmd(struct pub *p, int argc, const char *a0, const char *a1, const char *a2, const char *a3)
{
	p->argv[p->n][0] = a0, p->argv[p->n][1] = a1, p->argv[p->n][2] = a2, p->argv[p->n][3] = a3;
	p->argc[p->n++] = argc;
}

/* --- routes ----------------------------------------------------------------- */

unsigned long
routes_of(const struct alert_conf *c, const char *names)
{
	char buf[ALERT_ROUTES_MAX * ALERT_NAME_MAX], *p, *save = NULL;
	unsigned long set = 0;
	int i;

	snprintf(buf, sizeof(buf), "%s", names);
	for (p = strtok_r(buf, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
		for (i = 0; i < c->nroutes; i++)
			if (strcmp(c->routes[i].name, p) == 0)
				set |= 1UL << i;
	return set;
}

/* Add the routes of set to the names of t (routes of another config stay). */
void
routes_add(const struct alert_conf *c, struct track *t, unsigned long set)
{
	unsigned long have = routes_of(c, t->routes);
	size_t u;
	int i;

	for (i = 0; i < c->nroutes; i++) {
		if ((set & (1UL << i)) == 0 || (have & (1UL << i)) != 0)
			continue;
		u = strlen(t->routes);
		if (u + strlen(c->routes[i].name) + 2 < sizeof(t->routes))
			snprintf(t->routes + u, sizeof(t->routes) - u, "%s%s", u ? "," : "",
			    c->routes[i].name);
	}
}

unsigned long
pd_routes(const struct alert_conf *c)
{
	unsigned long set = 0;
	int i;

	for (i = 0; i < c->nroutes; i++)
		if (c->routes[i].type == RT_PAGERDUTY || alert_pager_incidents(c->routes[i].type))
			set |= 1UL << i;
	return set;
}

void
job_add(struct ctx *x, int route, const cJSON *rec, const char *text)
{
	if ((x->jobs = reallocarray(x->jobs, x->njobs + 1, sizeof(*x->jobs))) == NULL ||
	    (x->jobroute = reallocarray(x->jobroute, x->njobs + 1, sizeof(*x->jobroute))) == NULL ||
	    (x->jobdigest = realloc(x->jobdigest, x->njobs + 1)) == NULL)
		err(MCP_EXIT_FAIL, "realloc");
	x->jobs[x->njobs] =
	    text != NULL ? alert_job_text(x->c, route, text) : alert_job_new(x->c, route, rec);
	x->jobdigest[x->njobs] = (unsigned char)alert_digested(x->c, route, rec);
	x->jobroute[x->njobs++] = route;
}

void
jobs_reset(struct ctx *x)
{
	size_t i;

	for (i = 0; i < x->njobs; i++)
		free(x->jobs[i]);
	x->njobs = 0;
	for (i = 0; i < x->npub; i++) {
		free(x->pub[i].rec);
		free(x->pub[i].note);
	}
	x->npub = 0;
}

/*
 * The notice of an incident opened or resolved, for the subscribers of its
 * slug (subscriber_incidents in mcp-alert.conf(5)): its summary is the
 * title.  Owned; its id into nid.
 */
static char *
pub_note(const struct alert_ev *e, const cJSON *rec, char *nid, size_t len)
{
	int opened = strcmp(e->event, "trigger") == 0;
	cJSON *n = notice_new(opened ? "incident-opened" : "incident-resolved", mcp_now());

	cJSON_AddStringToObject(n, "title", e->summary);
	cJSON_AddStringToObject(n, "text",
	    opened ? "The probes see this server failing; "
	             "this notice was sent without a person."
	           : "The probes see this server working again.");
	cJSON_AddBoolToObject(n, "all", 0);
	cJSON_AddItemToObject(n, "slugs", cJSON_CreateStringArray(&e->slug, 1));
	cJSON_AddStringToObject(n, "incident", alert_str(rec, "dedup_key"));
	return notice_text(n, nid, len);
}

/*
 * The public record of an incident, for the status page: an opened or
 * escalated one (trigger, escalate) is set as its track's field of
 * mcp:{slug}:incident; a resolved one leaves it for the head of
 * mcp:{slug}:incidents.  Written in the transaction of the state.
 */
void
pub_add(struct ctx *x, const struct alert_ev *e, const cJSON *rec, const char *text)
{
	struct mcp_buf line = {0};
	struct pub *p;
	char why[256];

	if (strcmp(e->event, "trigger") != 0 && strcmp(e->event, "escalate") != 0 &&
	    strcmp(e->event, "resolve") != 0)
		return;
	/* An expiry to come is the operators' concern: the public pages show outages. */
	if (e->expires > 0)
		return;
	/* So is the watchdog of the probes: its slug is a region, or mcp-uptime. */
	if (e->track != NULL &&
	    (strcmp(e->track, WD_SILENT) == 0 || strcmp(e->track, WD_BLIND) == 0 ||
	        strcmp(e->track, WD_FAULT) == 0 || strcmp(e->track, WD_SHORT) == 0 ||
	        strcmp(e->track, WD_FULL) == 0))
		return;
	/*
	 * And a change no person has answered yet (tools-unreviewed): the
	 * server works; what waits is the operator's review, which the public
	 * page must not show as an incident of the server, nor tell its
	 * subscribers that the probes see it failing.
	 */
	if (e->track != NULL && strcmp(e->track, REVIEW_KIND) == 0)
		return;
	/* Nor an issuer that changed (ready.c): its clients' concern, resolved by a person. */
	if (e->track != NULL && strcmp(e->track, ISSUER_KIND) == 0)
		return;
	/* The bytes of the record printed, without its newline. */
	if (text != NULL) {
		if (mcp_buf_adds(&line, text) == -1)
			err(MCP_EXIT_FAIL, "out of memory");
	} else if (mcp_rec_format(&line, rec, why, sizeof(why)) == -1)
		errx(MCP_EXIT_FAIL, "%s", why);
	else
		line.p[--line.len] = '\0';
	if ((x->pub = reallocarray(x->pub, x->npub + 1, sizeof(*x->pub))) == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
	p = &x->pub[x->npub++];
	memset(p, 0, sizeof(*p));
	p->rec = line.p;
	p->resolve = strcmp(e->event, "resolve") == 0;
	snprintf(p->key[0], sizeof(p->key[0]), "mcp:{%s}:incident", e->slug);
	snprintf(p->key[1], sizeof(p->key[1]), "mcp:{%s}:incidents", e->slug);
	snprintf(p->field, sizeof(p->field), "%s", e->track != NULL ? e->track : "down");
	snprintf(p->ttl, sizeof(p->ttl), "%ld", p->resolve ? ALERT_HISTORY_TTL : x->c->state_ttl);
	if (strcmp(e->event, "escalate") != 0 && alert_page_incidents(x->c, e->slug))
		p->note = pub_note(e, rec, p->nid, sizeof(p->nid));
}

/*
 * The commands of p, pointing into p: made when the array of them no
 * longer moves (just before they are sent).
 */
void
pub_bind(struct pub *p)
{
	static const char note_lua[] = NOTICE_LUA("1", "2", "1", "2");

	snprintf(p->nkey, sizeof(p->nkey), PAGE_NOTICE "%s", p->nid);
	p->nargv[0] = "EVAL", p->nargv[1] = note_lua, p->nargv[2] = "2", p->nargv[3] = p->nkey;
	p->nargv[4] = PAGE_NOTICES, p->nargv[5] = p->note, p->nargv[6] = p->nid;
	p->n = 0;
	if (!p->resolve) {
		pub_cmd(p, 4, "HSET", p->key[0], p->field, p->rec);
		pub_cmd(p, 3, "EXPIRE", p->key[0], p->ttl, NULL);
		return;
	}
	pub_cmd(p, 3, "HDEL", p->key[0], p->field, NULL);
	pub_cmd(p, 3, "LPUSH", p->key[1], p->rec, NULL);
	pub_cmd(p, 4, "LTRIM", p->key[1], "0", STR(ALERT_HISTORY_LAST));
	pub_cmd(p, 3, "EXPIRE", p->key[1], p->ttl, NULL);
}
