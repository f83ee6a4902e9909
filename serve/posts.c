/*
 * posts.c - the operator's posts (mcp-alert post) and the maintenance
 * windows to come, as the pages, the feeds and the JSON routes show them:
 * a server's page its own posts and the whole page's, the page of every
 * server all of them; open posts first, then the resolved ones in a
 * history.  The store is read as hostile: a post that is not one is left
 * out, every text is bounded and escaped (posttext.c).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "notices.h"

#define MAX_READ (3 * POSTS_SHOWN)

struct win {
	char slug[MCP_SLUG_MAX + 1];
	double start, end;
	char reason[SERVE_REASON_MAX + 1];
};

struct posts {
	char slug[MCP_SLUG_MAX + 1]; /* "": the page of every server */
	int known;                   /* a server's page: the slug is in the index */
	int open;                    /* subscriptions by email are taken (PAGE_OPEN) */
	cJSON *post[MAX_READ];       /* checked: open first, then resolved, newest first */
	int n;
	struct win win[WINDOWS_SHOWN];
	int nwin;
};

static const char *const states[] = {"investigating", "identified", "monitoring", "resolved"};
static const char *const state_words[] = {"Investigating", "Identified", "Monitoring", "Resolved"};

static int
post_state_of(const cJSON *o)
{
	const char *s = mcp_json_str(o, "state", "");
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, states[i]) == 0)
			return i;
	return -1;
}

static int
time_ok(const cJSON *o, const char *k)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(t) && t->valuedouble >= 0 && t->valuedouble <= MCP_TIME_MAX;
}

static int
id_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 12 && strspn(s, "0123456789") == n && s[0] != '0';
}

/* 1 when o is a post as mcp-alert writes it (its texts are bounded when shown). */
static int
post_ok(const cJSON *o)
{
	const cJSON *sl = cJSON_GetObjectItemCaseSensitive(o, "slugs"), *u, *e;
	int n;

	if (!cJSON_IsObject(o) || strcmp(mcp_json_str(o, "type", ""), "post") != 0 ||
	    !id_ok(mcp_json_str(o, "id", "")) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "title")) || post_state_of(o) < 0 ||
	    !time_ok(o, "created") || !time_ok(o, "updated") || !cJSON_IsArray(sl) ||
	    cJSON_GetArraySize(sl) > PAGE_POST_SLUGS_MAX)
		return 0;
	cJSON_ArrayForEach(e, sl) if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring)) return 0;
	u = cJSON_GetObjectItemCaseSensitive(o, "updates");
	if (!cJSON_IsArray(u) || (n = cJSON_GetArraySize(u)) == 0 || n > PAGE_UPDATES_MAX)
		return 0;
	cJSON_ArrayForEach(e, u) if (!time_ok(e, "at") || post_state_of(e) < 0 ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "text"))) return 0;
	return 1;
}

/* 1 when post o is about slug ("": the page of every server shows every post). */
static int
post_about(const cJSON *o, const char *slug)
{
	const cJSON *e;

	if (slug[0] == '\0' || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "all")))
		return 1;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "slugs"))
	{
		if (strcmp(e->valuestring, slug) == 0)
			return 1;
	}
	return 0;
}

/* Open posts first, then resolved; each newest first. */
static int
post_cmp(const void *a, const void *b)
{
	const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;
	int ox = post_state_of(x) != 3, oy = post_state_of(y) != 3;
	double ux = mcp_json_num(x, "updated"), uy = mcp_json_num(y, "updated");

	if (ox != oy)
		return oy - ox;
	return ux < uy ? 1 : ux > uy ? -1 : 0;
}

void
serve_posts_free(struct posts *p)
{
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		cJSON_Delete(p->post[i]);
	free(p);
}

/* A window of the reply of HMGET start end reason, when it has not ended. */
static void
win_add(struct posts *p, const char *slug, const redisReply *r, double now)
{
	struct win *w = &p->win[p->nwin];
	char *e1, *e2;

	if (p->nwin == WINDOWS_SHOWN || r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_STRING)
		return;
	w->start = strtod(r->element[0]->str, &e1);
	w->end = strtod(r->element[1]->str, &e2);
	if (*e1 != '\0' || *e2 != '\0' || !(w->start >= 0 && w->end > w->start) ||
	    w->end > MCP_TIME_MAX || w->end <= now)
		return;
	snprintf(w->slug, sizeof(w->slug), "%s", slug);
	snprintf(w->reason, sizeof(w->reason), "%s",
	    r->element[2]->type == REDIS_REPLY_STRING ? r->element[2]->str : "");
	p->nwin++;
}

/* The ids of the replies rep[0..n), each once, into ids; how many. */
static int
ids_of(redisReply **rep, int n, const char **ids)
{
	int i, j, k = 0, m;
	size_t e;

	for (i = 0; i < n; i++)
		for (e = 0; rep[i]->type == REDIS_REPLY_ARRAY && e < rep[i]->elements; e++) {
			const char *id = rep[i]->element[e]->str;

			if (rep[i]->element[e]->type != REDIS_REPLY_STRING || !id_ok(id) ||
			    k == MAX_READ)
				continue;
			for (j = 0, m = 0; j < k && !m; j++)
				m = strcmp(ids[j], id) == 0;
			if (!m)
				ids[k++] = id;
		}
	return k;
}

/* Round trip two: the posts, and the windows of the page of every server. */
static int
posts_read(
    struct conn *c, struct posts *p, const char **ids, int nid, const redisReply *due, double now)
{
	static char keys[MAX_READ + WINDOWS_SHOWN][MCP_SLUG_MAX + 40];
	const char *mget[MAX_READ + 1], *hm[WINDOWS_SHOWN][5], **argv[WINDOWS_SHOWN + 1];
	const char *wslug[WINDOWS_SHOWN];
	int argc[WINDOWS_SHOWN + 1], i, nw = 0, nq = 0;
	redisReply *rep[WINDOWS_SHOWN + 1];
	const char *why;
	size_t e;
	cJSON *o;

	mget[0] = "MGET";
	for (i = 0; i < nid; i++) {
		snprintf(keys[i], sizeof(keys[i]), PAGE_POST "%s", ids[i]);
		mget[i + 1] = keys[i];
	}
	if (nid > 0)
		argv[nq] = mget, argc[nq++] = nid + 1;
	for (e = 0; due != NULL && e < due->elements && nw < WINDOWS_SHOWN; e++) {
		if (due->element[e]->type != REDIS_REPLY_STRING ||
		    !mcp_slug_ok(due->element[e]->str))
			continue;
		serve_maint_key(keys[MAX_READ + nw], sizeof(keys[0]), due->element[e]->str);
		hm[nw][0] = "HMGET", hm[nw][1] = keys[MAX_READ + nw], hm[nw][2] = "start";
		hm[nw][3] = "end", hm[nw][4] = "reason";
		argv[nq] = hm[nw], argc[nq++] = 5;
		wslug[nw++] = due->element[e]->str;
	}
	if (nq == 0)
		return 0;
	if (serve_query(c, (size_t)nq, argc, argv, rep) != SR_OK)
		return -1;
	for (i = 0; nid > 0 && rep[0]->type == REDIS_REPLY_ARRAY && (size_t)i < rep[0]->elements;
	     i++) {
		const redisReply *s = rep[0]->element[i];

		if (s->type != REDIS_REPLY_STRING || s->len > PAGE_POST_BYTES ||
		    (o = mcp_json_parse(s->str, s->len, &why)) == NULL)
			continue;
		if (post_ok(o) && post_about(o, p->slug))
			p->post[p->n++] = o;
		else
			cJSON_Delete(o);
	}
	for (i = 0; i < nw; i++)
		win_add(p, wslug[i], rep[(nid > 0) + i], now);
	serve_free_replies(rep, (size_t)nq);
	qsort(p->post, (size_t)p->n, sizeof(*p->post), post_cmp);
	return 0;
}

struct posts *
serve_posts_load(struct conn *c, const char *slug, double now)
{
	char k1[MCP_SLUG_MAX + 40], km[MCP_SLUG_MAX + 40];
	const char *a0[] = {"ZREVRANGE", PAGE_POSTS_OPEN, "0", "19"},
	           *a1[] = {"ZREVRANGE", k1, "0", "19"},
	           *a2[] = {"ZREVRANGE", PAGE_POSTS_WHOLE, "0", "19"},
	           *a3[] = {"HMGET", km, "start", "end", "reason"},
	           *a4[] = {"ZSCORE", "mcp:slugs", slug},
	           *f2[] = {"ZRANGE", PAGE_MAINT_DUE, "0", "49"}, *op[] = {"EXISTS", PAGE_OPEN};
	const char **argv[] = {a0, a1, a2, a3, a4, op}, **fargv[] = {a0, a1, f2, op};
	int argc[] = {4, 4, 4, 5, 3, 2}, fargc[] = {4, 4, 4, 2};
	const char *ids[MAX_READ];
	redisReply *rep[6];
	struct posts *p;
	int nid, rc;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (slug != NULL)
		snprintf(p->slug, sizeof(p->slug), "%s", slug);
	if (slug != NULL)
		snprintf(k1, sizeof(k1), PAGE_POSTS_SLUG "%s", slug);
	else
		snprintf(k1, sizeof(k1), "%s", PAGE_POSTS);
	if (slug != NULL)
		serve_maint_key(km, sizeof(km), slug);
	if (serve_query(c, slug != NULL ? 6 : 4, slug != NULL ? argc : fargc,
	        slug != NULL ? argv : fargv, rep) != SR_OK) {
		free(p);
		return NULL;
	}
	nid = ids_of(rep, slug != NULL ? 3 : 2, ids);
	p->open = rep[slug != NULL ? 5 : 3]->type == REDIS_REPLY_INTEGER &&
	    rep[slug != NULL ? 5 : 3]->integer == 1;
	if (slug != NULL) {
		win_add(p, slug, rep[3], now);
		p->known = rep[4]->type == REDIS_REPLY_STRING;
	}
	rc = posts_read(c, p, ids, nid, slug == NULL ? rep[2] : NULL, now);
	serve_free_replies(rep, slug != NULL ? 6 : 4);
	if (rc == -1) {
		serve_posts_free(p);
		return NULL;
	}
	return p;
}

/* --- HTML ------------------------------------------------------------------------ */

static int
when_html(struct mcp_buf *b, double t)
{
	char iso[32];

	if (mcp_iso8601(t, iso, sizeof(iso)) == -1)
		return mcp_buf_adds(b, "an unknown time");
	return mcp_buf_addf(b, "<time datetime=\"%s\">%.10s %.5s UTC</time>", iso, iso, iso + 11);
}

/* "every server", or the slugs linked (8 at most). */
static int
about_html(struct mcp_buf *b, const cJSON *o)
{
	const cJSON *sl = cJSON_GetObjectItemCaseSensitive(o, "slugs"), *e;
	int n = cJSON_GetArraySize(sl), k = 0, rc = 0;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "all")) || n == 0)
		return mcp_buf_adds(b, "every server");
	cJSON_ArrayForEach(e, sl)
	{
		if (k == 8)
			return rc | mcp_buf_addf(b, " and %d more", n - k);
		/* A slug is [a-z0-9._-]: nothing to escape. */
		rc |= mcp_buf_addf(b, "%s<a href=\"/status/%s\">%s</a>", k ? ", " : "",
		    e->valuestring, e->valuestring);
		k++;
	}
	return rc;
}

static int
post_html(struct mcp_buf *b, const cJSON *o)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "updates"), *e;
	const char *id = mcp_json_str(o, "id", "");
	int st = post_state_of(o), i, rc;

	rc = mcp_buf_addf(b,
	    "<article class=\"post %s\" id=\"post-%s\" aria-labelledby=\"post-%s-h\"><h3 "
	    "id=\"post-%s-h\"><bdi>",
	    states[st], id, id, id);
	rc |= serve_post_text(b, mcp_json_str(o, "title", ""), PAGE_TITLE_MAX, 0);
	rc |= mcp_buf_addf(b,
	    "</bdi></h3><p class=\"meta\"><span class=\"pstate %s\">%s</span> "
	    "&middot; about ",
	    states[st], state_words[st]);
	rc |= about_html(b, o) | mcp_buf_adds(b, " &middot; updated ") |
	    when_html(b, mcp_json_num(o, "updated")) |
	    mcp_buf_adds(b, "</p><ol class=\"updates\">");
	/* The newest update first. */
	for (i = cJSON_GetArraySize(u) - 1; i >= 0; i--) {
		e = cJSON_GetArrayItem(u, i);
		rc |= mcp_buf_addf(
		    b, "<li><p class=\"uhead\"><b>%s</b> ", state_words[post_state_of(e)]);
		rc |= when_html(b, mcp_json_num(e, "at")) | mcp_buf_adds(b, "</p><p><bdi>");
		rc |= serve_post_text(b, mcp_json_str(e, "text", ""), PAGE_TEXT_MAX, 1);
		rc |= mcp_buf_adds(b, "</bdi></p></li>");
	}
	return rc | mcp_buf_adds(b, "</ol></article>\n");
}

int
serve_posts_open_html(struct mcp_buf *b, const struct posts *p, double now)
{
	int i, rc = 0, open = 0;

	for (i = 0; i < p->nwin; i++) {
		const struct win *w = &p->win[i];

		/* A server's window in force has its own notice (page.c); one to come is said here. */
		if (p->slug[0] != '\0' && w->start <= now)
			continue;
		rc |= mcp_buf_addf(b,
		    "<section class=\"maint\" aria-label=\"Maintenance\"><h2>Maintenance "
		    "%s</h2><p>",
		    w->start > now ? "scheduled" : "in progress");
		if (p->slug[0] == '\0')
			rc |= mcp_buf_addf(b, "<a href=\"/status/%s\">%s</a>: ", w->slug, w->slug);
		rc |= mcp_buf_adds(b, "from ") | when_html(b, w->start) | mcp_buf_adds(b, " to ") |
		    when_html(b, w->end);
		if (w->reason[0] != '\0')
			rc |= mcp_buf_adds(b, ": <bdi>") |
			    serve_post_text(b, w->reason, SERVE_REASON_MAX, 0) |
			    mcp_buf_adds(b, "</bdi>");
		rc |= mcp_buf_adds(b, ".</p></section>\n");
	}
	for (i = 0; i < p->n; i++)
		if (post_state_of(p->post[i]) != 3) {
			if (open++ == 0)
				rc |= mcp_buf_adds(b,
				    "<section class=\"posts\" aria-label=\"Incident "
				    "reports\"><h2>Incident reports</h2>\n");
			rc |= post_html(b, p->post[i]);
		}
	return rc | (open > 0 ? mcp_buf_adds(b, "</section>\n") : 0);
}

int
serve_posts_past_html(struct mcp_buf *b, const struct posts *p)
{
	int i, rc = 0, past = 0;

	for (i = 0; i < p->n; i++) {
		if (post_state_of(p->post[i]) != 3)
			continue;
		if (past++ == 0)
			rc |= mcp_buf_adds(b, "<h2>Past reports</h2>\n<div class=\"posts past\">");
		rc |= post_html(b, p->post[i]);
	}
	return rc | (past > 0 ? mcp_buf_adds(b, "</div>\n") : 0);
}

/* --- Atom ------------------------------------------------------------------------ */

int
serve_posts_feed(struct mcp_buf *b, const struct posts *p)
{
	const cJSON *u, *e;
	const char *id, *one;
	char iso[32];
	int i, k, rc = 0;

	for (i = 0; i < p->n; i++) {
		id = mcp_json_str(p->post[i], "id", "");
		u = cJSON_GetObjectItemCaseSensitive(p->post[i], "updates");
		one = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p->post[i], "slugs")) ==
		            1 &&
		        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p->post[i], "all"))
		    ? cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p->post[i], "slugs"), 0)
		          ->valuestring
		    : NULL;
		for (k = 0; k < cJSON_GetArraySize(u); k++) {
			e = cJSON_GetArrayItem(u, k);
			mcp_iso8601(mcp_json_num(e, "at"), iso, sizeof(iso));
			rc |= mcp_buf_addf(
			    b, "<entry><id>urn:mcp-uptime:post:%s:%d</id><title>", id, k + 1);
			rc |= serve_post_text(
			    b, mcp_json_str(p->post[i], "title", ""), PAGE_TITLE_MAX, 0);
			rc |= mcp_buf_addf(b,
			    " (%s)</title><updated>%s</updated><link href=\"/status%s%s#post-%s\"/>"
			    "<content type=\"text\">",
			    state_words[post_state_of(e)], iso, one ? "/" : "", one ? one : "", id);
			rc |= serve_post_text(b, mcp_json_str(e, "text", ""), PAGE_TEXT_MAX, 0);
			rc |= mcp_buf_adds(b, "</content></entry>\n");
		}
	}
	for (i = 0; i < p->nwin; i++) {
		const struct win *w = &p->win[i];
		char to[32];

		mcp_iso8601(w->start, iso, sizeof(iso));
		mcp_iso8601(w->end, to, sizeof(to));
		rc |= mcp_buf_addf(b,
		    "<entry><id>urn:mcp-uptime:maint:%s:%.0f</id><title>%s: maintenance from %s "
		    "to %s</title><updated>%s</updated><link href=\"/status/%s\"/><content "
		    "type=\"text\">",
		    w->slug, w->start, w->slug, iso, to, iso, w->slug);
		rc |= serve_post_text(b, w->reason, SERVE_REASON_MAX, 0) |
		    mcp_buf_adds(b, "</content></entry>\n");
	}
	return rc;
}

/* --- JSON ------------------------------------------------------------------------ */

int
serve_posts_known(const struct posts *p)
{
	return p->known || p->n > 0;
}

int
serve_posts_form(struct mcp_buf *b, const struct posts *p)
{
	return p->open ? serve_subscribe_form(b, p->slug[0] != '\0' ? p->slug : NULL) : 0;
}

/* A post as JSON: the members of mcp-alert's, each text bounded. */
static int
post_json(struct mcp_buf *b, const cJSON *o)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "updates"), *e;
	const char *inc = mcp_json_str(o, "incident", NULL);
	char t[PAGE_TEXT_MAX + 1];
	int rc, k = 0;

	rc = mcp_buf_adds(b, "{\"id\":") | mcp_json_string(b, mcp_json_str(o, "id", "")) |
	    mcp_buf_adds(b, ",\"title\":");
	snprintf(t, PAGE_TITLE_MAX + 1, "%s", mcp_json_str(o, "title", ""));
	rc |= mcp_json_string(b, t) |
	    mcp_buf_addf(b, ",\"state\":\"%s\",\"all\":%s,\"slugs\":[", states[post_state_of(o)],
	        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "all")) ? "true" : "false");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "slugs")) rc |=
	    mcp_buf_addf(b, "%s\"%s\"", k++ ? "," : "", e->valuestring);
	rc |= mcp_buf_adds(b, "],\"created\":") | mcp_json_addnum(b, mcp_json_num(o, "created")) |
	    mcp_buf_adds(b, ",\"updated\":") | mcp_json_addnum(b, mcp_json_num(o, "updated")) |
	    mcp_buf_adds(b, ",\"incident\":");
	rc |= inc != NULL && strlen(inc) <= MCP_SLUG_MAX + 64 ? mcp_json_string(b, inc)
	                                                      : mcp_buf_adds(b, "null");
	rc |= mcp_buf_adds(b, ",\"updates\":[");
	k = 0;
	cJSON_ArrayForEach(e, u)
	{
		/* Cut at the bound, on a character's boundary; the writer mends what is left. */
		snprintf(t, sizeof(t), "%s", mcp_json_str(e, "text", ""));
		rc |= mcp_buf_adds(b, k++ ? ",{\"at\":" : "{\"at\":") |
		    mcp_json_addnum(b, mcp_json_num(e, "at")) |
		    mcp_buf_addf(b, ",\"state\":\"%s\",\"text\":", states[post_state_of(e)]) |
		    mcp_json_string(b, t) | mcp_buf_addc(b, '}');
	}
	return rc | mcp_buf_adds(b, "]}");
}

int
serve_posts_json(struct mcp_buf *b, const struct posts *p, double now)
{
	int i, rc = mcp_buf_adds(b, "{\"posts\":[");

	for (i = 0; i < p->n; i++)
		rc |= (i ? mcp_buf_addc(b, ',') : 0) | post_json(b, p->post[i]);
	rc |= mcp_buf_adds(b, "],\"maintenance\":[");
	for (i = 0; i < p->nwin; i++) {
		const struct win *w = &p->win[i];

		rc |= mcp_buf_addf(b, "%s{\"slug\":\"%s\",\"start\":", i ? "," : "", w->slug) |
		    mcp_json_addnum(b, w->start) | mcp_buf_adds(b, ",\"end\":") |
		    mcp_json_addnum(b, w->end) | mcp_buf_adds(b, ",\"reason\":") |
		    mcp_json_string(b, w->reason) |
		    mcp_buf_addf(b, ",\"state\":\"%s\"}", w->start > now ? "scheduled" : "active");
	}
	return rc | mcp_buf_adds(b, "]}");
}
