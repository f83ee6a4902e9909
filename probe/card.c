/*
 * card.c - the Server Card posture of a target (--card, card=1): once its
 * steps are decided, a GET of each place a card is served, in order, until
 * one answers a card; that card checked against its schemas' required
 * members and against what the server itself answered.  A posture only:
 * it never changes the target's state, and no credential goes with it.
 *
 * The places: <url>/server-card (the current draft of the Server Card
 * extension), <origin>/.well-known/mcp/server-card.json and
 * <origin>/.well-known/mcp.json (in the wild).  The shapes: the current
 * one (name, version, remotes[{type,url}], supportedProtocolVersions) and
 * the one in the wild (serverInfo{name,version}, transport{type,url}).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "probe.h"

/* A card's body, at the most: a card is a page of JSON. */
#define CARD_MAX (64 * 1024)
#define CARD_PLACES 3

/* One more problem of the card, at most CARD_PROBLEMS of them (cut when written). */
static void __attribute__((format(printf, 2, 3))) problem(struct probe *p, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	if (p->card_problems == NULL)
		p->card_problems = cJSON_CreateArray();
	if (cJSON_GetArraySize(p->card_problems) >= CARD_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(p->card_problems, cJSON_CreateString(msg));
}

/*
 * Place n of the card (0 to CARD_PLACES - 1) into buf: the target's URL
 * without its user, password, query or fragment, its path made the
 * place's.  -1 when it does not fit.
 */
static int
card_url(const struct probe *p, int n, char *buf, size_t len)
{
	static const char *const wk[] = {
	    NULL, "/.well-known/mcp/server-card.json", "/.well-known/mcp.json"};
	CURLU *u = curl_url();
	char *path = NULL, *out = NULL, place[2048];
	size_t k;
	int rc = -1;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, p->t->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	if (n == 0) {
		k = strlen(path);
		while (k > 0 && path[k - 1] == '/')
			k--;
		if (snprintf(place, sizeof(place), "%.*s/server-card", (int)k, path) >=
		    (int)sizeof(place))
			goto out;
	} else {
		snprintf(place, sizeof(place), "%s", wk[n]);
	}
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	curl_url_set(u, CURLUPART_QUERY, NULL, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_set(u, CURLUPART_PATH, place, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK &&
	    (size_t)snprintf(buf, len, "%s", out) < len)
		rc = 0;
out:
	curl_free(path);
	curl_free(out);
	curl_url_cleanup(u);
	return rc;
}

/* A string member of o, or NULL. */
static const char *
str_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) && v->valuestring[0] != '\0' ? v->valuestring : NULL;
}

/* The required members of the current shape; 0 when all are there. */
static int
check_new(struct probe *p, const cJSON *c)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "remotes");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "supportedProtocolVersions");
	const cJSON *e;
	int bad = 0;

	if (str_of(c, "name") == NULL)
		bad = 1, problem(p, "no name (a string)");
	if (str_of(c, "version") == NULL)
		bad = 1, problem(p, "no version (a string)");
	if (!cJSON_IsArray(r) || cJSON_GetArraySize(r) == 0)
		bad = 1, problem(p, "no remotes (an array of {type, url})");
	cJSON_ArrayForEach(e, r) if (str_of(e, "type") == NULL || str_of(e, "url") == NULL)
	{
		bad = 1, problem(p, "a remote without a type and a url (strings)");
		break;
	}
	if (!cJSON_IsArray(v))
		bad = 1, problem(p, "no supportedProtocolVersions (an array of strings)");
	cJSON_ArrayForEach(e, v) if (!cJSON_IsString(e))
	{
		bad = 1, problem(p, "supportedProtocolVersions holds a non-string");
		break;
	}
	return bad;
}

/* The required members of the shape in the wild; 0 when all are there. */
static int
check_old(struct probe *p, const cJSON *c)
{
	const cJSON *si = cJSON_GetObjectItemCaseSensitive(c, "serverInfo");
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(c, "transport");
	int bad = 0;

	if (str_of(si, "name") == NULL || str_of(si, "version") == NULL)
		bad = 1, problem(p, "no serverInfo with a name and a version (strings)");
	if (str_of(tr, "type") == NULL || str_of(tr, "url") == NULL)
		bad = 1, problem(p, "no transport with a type and a url (strings)");
	return bad;
}

/*
 * 1 when the URL s matches the template t, where each {var} of t stands
 * for one or more characters that are not '/', '?' nor '#'.  Iterative,
 * backtracking only to the last {var}: at most len(t) * len(s) steps.
 */
static int
tmpl_match(const char *t, const char *s)
{
	const char *star = NULL, *mark = NULL;

	while (*s != '\0') {
		if (*t == '{' && strchr(t, '}') != NULL && strchr("/?#", *s) == NULL) {
			t = strchr(t, '}') + 1;
			star = t, mark = ++s;
		} else if (*t == *s) {
			t++, s++;
		} else if (star != NULL && strchr("/?#", *mark) == NULL) {
			t = star, s = ++mark;
		} else {
			return 0;
		}
	}
	return *t == '\0';
}

/* 1 when the card's endpoint url is the probed one. */
static int
same_endpoint(const struct probe *p, const char *url)
{
	char a[2048], b[2048];
	size_t n;

	if (url_canonical(p->t->url, a, sizeof(a)) == -1)
		return 0;
	if (strchr(url, '{') == NULL)
		return url_canonical(url, b, sizeof(b)) == 0 && strcmp(a, b) == 0;
	/* A template cannot be parsed as a URL: compared as text, less a last '/'. */
	snprintf(b, sizeof(b), "%s", url);
	n = strcspn(b, "?#");
	b[n] = '\0';
	while (n > 0 && b[n - 1] == '/')
		b[--n] = '\0';
	return tmpl_match(b, a);
}

/* The card against what the server answered; 0 when nothing disagrees. */
static int
consistent(struct probe *p, const cJSON *c, int fresh)
{
	const cJSON *srv = cJSON_GetObjectItemCaseSensitive(p->steps[S_INIT].detail, "server");
	const cJSON *r, *e;
	const char *cv, *sv = str_of(srv, "version");
	char q1[MCP_QUOTED_MAX], q2[MCP_QUOTED_MAX];
	int bad = 0, hit = 0;

	cv = fresh ? str_of(c, "version")
	           : str_of(cJSON_GetObjectItemCaseSensitive(c, "serverInfo"), "version");
	if (sv != NULL && strcmp(cv, sv) != 0)
		bad = 1,
		problem(p, "version %s is not the server's own %s",
		    mcp_json_quoted(q1, sizeof(q1), cv), mcp_json_quoted(q2, sizeof(q2), sv));
	if (fresh && p->proto[0] != '\0') {
		cJSON_ArrayForEach(
		    e, cJSON_GetObjectItemCaseSensitive(c, "supportedProtocolVersions")) hit |=
		    strcmp(e->valuestring, p->proto) == 0;
		if (!hit)
			bad = 1,
			problem(p,
			    "supportedProtocolVersions lacks %s, the version the "
			    "server negotiated",
			    p->proto);
	}
	hit = 0;
	if (fresh) {
		r = cJSON_GetObjectItemCaseSensitive(c, "remotes");
		cJSON_ArrayForEach(e, r) hit |= same_endpoint(p, str_of(e, "url"));
	} else {
		r = cJSON_GetObjectItemCaseSensitive(c, "transport");
		hit = same_endpoint(p, str_of(r, "url"));
	}
	if (!hit)
		bad = 1, problem(p, "no %s is the probed URL", fresh ? "remote" : "transport url");
	return bad;
}

/* The card found at place p->card_try: its posture. */
static void
judge(struct probe *p, const struct xfer *x)
{
	const cJSON *c = x->msg;
	int fresh;

	if (!cJSON_IsObject(c)) {
		p->card = "invalid";
		problem(p, "not a JSON object%s%s", x->bad_json ? ": " : "",
		    x->bad_json ? x->bad_json : "");
		return;
	}
	fresh = !cJSON_HasObjectItem(c, "serverInfo") && !cJSON_HasObjectItem(c, "transport");
	if (fresh ? check_new(p, c) : check_old(p, c)) {
		p->card = "invalid";
		return;
	}
	p->card = consistent(p, c, fresh) ? "inconsistent" : "present";
}

/*
 * 1 when an answer is a card to judge: a 2xx answer that says it is JSON
 * (too long to read or not), or that looks like it.  A page of HTML (a
 * site that answers every path) is no card.
 */
static int
is_card(const struct xfer *x)
{
	const char *ct = x->ctype ? x->ctype : "";
	size_t i = 0;

	if (x->status < 200 || x->status > 299)
		return 0;
	if (strstr(ct, "json") != NULL)
		return 1;
	if (x->overflow || strstr(ct, "html") != NULL)
		return 0;
	while (i < x->resp.len && strchr(" \t\r\n", x->resp.p[i]) != NULL)
		i++;
	return i < x->resp.len && x->resp.p[i] == '{';
}

/* A card at the place asked: judged, and the probe finished. */
static void
found(struct probe *p, const struct xfer *x)
{
	/* What the places before it failed of is no problem of the card. */
	cJSON_Delete(p->card_problems);
	p->card_problems = NULL;
	snprintf(p->card_url, sizeof(p->card_url), "%s", p->card_try_url);
	if (x->overflow) {
		p->card = "invalid";
		problem(p, "the card passed %d bytes", CARD_MAX);
	} else {
		judge(p, x);
	}
	p->card_state = CARD_DONE;
	finish(p);
}

static void card_next(struct probe *p);

static void
on_card(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	const char *why;

	if (p->cut_code != NULL || runner_ending(p->r)) {
		p->card_state = CARD_DONE;
		finish(p);
		return;
	}
	if ((rc == CURLE_OK || x->overflow) && is_card(x)) {
		found(p, x);
		return;
	}
	if (rc == CURLE_OK || x->overflow) {
		p->card_answered = 1;
	} else {
		why = xfer_refused(x, rc);
		problem(p, "%s: %s", p->card_try_url, why ? why : curl_easy_strerror(rc));
	}
	p->card_try++;
	card_next(p);
}

static void
card_next(struct probe *p)
{
	if (p->card_try >= CARD_PLACES) {
		/* Only places that answered say there is no card. */
		p->card = p->card_answered ? "absent" : NULL;
		p->card_state = CARD_DONE;
		finish(p);
		return;
	}
	if (card_url(p, p->card_try, p->card_try_url, sizeof(p->card_try_url)) == -1 ||
	    xfer_card(p, &p->x, p->card_try_url, CARD_MAX, on_card) == -1) {
		problem(p, "place %d: cannot start a request", p->card_try + 1);
		p->card_try++;
		card_next(p);
	}
}

int
card_wanted(const struct probe *p)
{
	int s;

	if (p->card_state != CARD_NO ||
	    !(p->t->card == MCP_CARD_ON || (p->o->card && p->t->card != MCP_CARD_OFF)))
		return 0;
	if (p->cut_code != NULL || runner_ending(p->r) || mcp_mono() >= p->deadline)
		return 0;
	for (s = 0; s < S_NSTEPS; s++)
		if (p->steps[s].status == ST_PENDING)
			return 0;
	/* A server the probe spoke with: its tools listed, or none declared. */
	return p->steps[S_INIT].status == ST_PASS &&
	    (p->steps[S_LIST].status == ST_PASS || p->no_tools);
}

void
card_start(struct probe *p)
{
	p->card_state = CARD_RUNNING;
	p->card_try = 0;
	/* The stream is done with, and cannot fail a step while the card is read. */
	sse_close(p);
	card_next(p);
}

void
card_stop(struct probe *p)
{
	if (p->card_state != CARD_RUNNING)
		return;
	p->card_state = CARD_DONE;
	p->card = NULL;
	problem(p, "not read whole within the target's deadline");
}
