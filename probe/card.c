/*
 * card.c - the Server Card posture of a target (--card, card=1): once its
 * steps are decided, a GET of each place a card is served, in order, until
 * one answers a card; that card checked against its schemas' required
 * members and against what the server itself answered.  A posture only:
 * it never changes the target's state, and no credential goes with it.
 *
 * The places, as the Server Card extension's discovery says:
 * <url>/server-card, then the card the MCP Catalog at
 * <origin>/.well-known/mcp/catalog.json names for this server; then, as
 * servers still serve them, <origin>/.well-known/mcp/server-card.json and
 * <origin>/.well-known/mcp.json.  The shapes: the extension's schema as
 * published ($schema, name, version, description; remotes[{type,url}]
 * and each remote's supportedProtocolVersions optional) and the one in
 * the wild (serverInfo{name,version}, transport{type,url}).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "mcp.h"
#include "probe.h"
#include "text.h"

/* A card's body, at the most: a card is a page of JSON. */
#define CARD_MAX (64 * 1024)
/* The places, in order; CARD_ENTRY is the card the catalog names, asked only when it names one. */
enum { CARD_SUFFIX, CARD_CATALOG, CARD_ENTRY, CARD_WK, CARD_MCPJSON, CARD_PLACES };
#define CARD_ENTRIES 64   /* a catalog's entries read */
#define CARD_DESC_MAX 100 /* characters of a card's description (the schema's maxLength) */

/*
 * A card's string as a problem quotes it (cut at MCP_SHOWN_MAX
 * characters): every secret of the probe's in it scrubbed first, so that
 * the cut never leaves one in part (the card is the server's to write).
 */
static const char *
quoted(const struct probe *p, char *buf, size_t len, const char *s)
{
	const char *secrets[PROBE_SECRETS_MAX];
	char *c;

	if (s == NULL || (c = strdup(s)) == NULL)
		return mcp_json_quoted(buf, len, s);
	mcp_text_scrub(c, secrets, probe_secrets(p, secrets));
	mcp_json_quoted(buf, len, c);
	free(c);
	return buf;
}

/* One more problem of the card, at most CARD_PROBLEMS of them (cut when written). */
static void __attribute__((format(printf, 2, 3))) problem(struct probe *p, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int rc;

	if (p->card_problems == NULL)
		p->card_problems = cJSON_CreateArray();
	if (cJSON_GetArraySize(p->card_problems) >= CARD_PROBLEMS)
		return;
	/* Whole: a secret in it is overwritten before it is cut (report.c). */
	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc == -1)
		return;
	cJSON_AddItemToArray(p->card_problems, cJSON_CreateString(msg));
	free(msg);
}

/*
 * Place n of the card (but CARD_ENTRY) into buf: the target's URL without
 * its user, password, query or fragment, its path made the place's.  -1
 * when it does not fit.
 */
static int
card_url(const struct probe *p, int n, char *buf, size_t len)
{
	static const char *const wk[CARD_PLACES] = {
	    [CARD_CATALOG] = "/.well-known/mcp/catalog.json",
	    [CARD_WK] = "/.well-known/mcp/server-card.json",
	    [CARD_MCPJSON] = "/.well-known/mcp.json"};
	CURLU *u = curl_url();
	char *path = NULL, *out = NULL, place[2048];
	size_t k;
	int rc = -1;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, p->t->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	if (n == CARD_SUFFIX) {
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

/* 1 when v is absent or an array of strings. */
static int
strs_ok(const cJSON *v)
{
	const cJSON *e;

	if (v == NULL)
		return 1;
	if (!cJSON_IsArray(v))
		return 0;
	cJSON_ArrayForEach(e, v) if (!cJSON_IsString(e)) return 0;
	return 1;
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* 1 for a name as the schema has it: namespace/name, 3 to 200 bytes. */
static int
reverse_dns(const char *s)
{
	size_t n = strlen(s), a = strspn(s, ALNUM ".-");

	return n >= 3 && n <= 200 && a > 0 && s[a] == '/' && a + 1 < n &&
	    strspn(s + a + 1, ALNUM "._-") == n - a - 1;
}

/* The characters of the UTF-8 text s (its bytes that start one). */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* One remote of the published shape; 0 when it is one. */
static int
check_remote(struct probe *p, const cJSON *e)
{
	const char *t = str_of(e, "type");
	char q[MCP_QUOTED_MAX];

	if (t == NULL || str_of(e, "url") == NULL) {
		problem(p, "a remote without a type and a url (strings)");
		return 1;
	}
	if (strcmp(t, "streamable-http") != 0 && strcmp(t, "sse") != 0) {
		problem(
		    p, "a remote of type %s (streamable-http or sse)", quoted(p, q, sizeof(q), t));
		return 1;
	}
	if (!strs_ok(cJSON_GetObjectItemCaseSensitive(e, "supportedProtocolVersions"))) {
		problem(p, "a remote's supportedProtocolVersions is not an array of strings");
		return 1;
	}
	return 0;
}

/*
 * The members the extension's schema requires ($schema, name, version,
 * description) and the shape of those it allows (remotes, each remote's
 * supportedProtocolVersions; the top-level one of earlier drafts); 0 when
 * all are right.  Members it does not name are not judged.
 */
static int
check_new(struct probe *p, const cJSON *c)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "remotes"), *e;
	const char *name = str_of(c, "name"), *desc = str_of(c, "description");
	char q[MCP_QUOTED_MAX];
	int bad = 0;

	if (str_of(c, "$schema") == NULL)
		bad = 1, problem(p, "no $schema (a string)");
	if (name == NULL)
		bad = 1, problem(p, "no name (a string)");
	else if (!reverse_dns(name))
		bad = 1,
		problem(p, "name %s is not namespace/name (reverse DNS)",
		    quoted(p, q, sizeof(q), name));
	if (str_of(c, "version") == NULL)
		bad = 1, problem(p, "no version (a string)");
	if (desc == NULL)
		bad = 1, problem(p, "no description (a string)");
	else if (chars(desc) > CARD_DESC_MAX)
		bad = 1, problem(p, "a description past %d characters", CARD_DESC_MAX);
	if (r != NULL && !cJSON_IsArray(r))
		bad = 1, problem(p, "remotes is not an array of {type, url}");
	else
		cJSON_ArrayForEach(e, r) if (check_remote(p, e))
		{
			bad = 1;
			break;
		}
	if (!strs_ok(cJSON_GetObjectItemCaseSensitive(c, "supportedProtocolVersions")))
		bad = 1, problem(p, "supportedProtocolVersions holds a non-string");
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

/* 1 when the array of strings v holds s. */
static int
has_str(const cJSON *v, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, v) if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0) return 1;
	return 0;
}

/*
 * 1 when the card's name is the server's: the same, or (a reverse-DNS
 * name, "example-org/weather") its part after the '/' the server's.
 */
static int
same_name(const char *card, const char *server)
{
	const char *slash = strrchr(card, '/');

	return strcmp(card, server) == 0 || (slash != NULL && strcmp(slash + 1, server) == 0);
}

/* The card's remotes against the probed URL and the version negotiated; 0 when they agree. */
static int
remotes_agree(struct probe *p, const cJSON *c)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "remotes"), *e, *v;
	int hit = 0, lacks = 0;

	cJSON_ArrayForEach(e, r) if (same_endpoint(p, str_of(e, "url")))
	{
		hit = 1;
		v = cJSON_GetObjectItemCaseSensitive(e, "supportedProtocolVersions");
		lacks |= v != NULL && p->proto[0] != '\0' && !has_str(v, p->proto);
	}
	if (lacks)
		problem(p,
		    "the remote's supportedProtocolVersions lacks %s, the version the server "
		    "negotiated",
		    p->proto);
	/* No remote at all: nothing to hold the URL to (the schema makes them optional). */
	if (!hit && cJSON_GetArraySize(r) > 0)
		problem(p, "no remote is the probed URL");
	return lacks || (!hit && cJSON_GetArraySize(r) > 0);
}

/* The card against what the server answered; 0 when nothing disagrees. */
static int
consistent(struct probe *p, const cJSON *c, int fresh)
{
	const cJSON *srv = cJSON_GetObjectItemCaseSensitive(p->steps[S_INIT].detail, "server");
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(c, "serverInfo"), *v;
	const char *cv, *sv = str_of(srv, "version"), *cn, *sn = str_of(srv, "name");
	char q1[MCP_QUOTED_MAX], q2[MCP_QUOTED_MAX];
	int bad = 0;

	cv = fresh ? str_of(c, "version") : str_of(info, "version");
	cn = fresh ? str_of(c, "name") : str_of(info, "name");
	if (sn != NULL && !same_name(cn, sn))
		bad = 1,
		problem(p, "name %s is not the server's own %s", quoted(p, q1, sizeof(q1), cn),
		    quoted(p, q2, sizeof(q2), sn));
	if (sv != NULL && strcmp(cv, sv) != 0)
		bad = 1,
		problem(p, "version %s is not the server's own %s", quoted(p, q1, sizeof(q1), cv),
		    quoted(p, q2, sizeof(q2), sv));
	if (!fresh) {
		if (!same_endpoint(
		        p, str_of(cJSON_GetObjectItemCaseSensitive(c, "transport"), "url")))
			bad = 1, problem(p, "no transport url is the probed URL");
		return bad;
	}
	v = cJSON_GetObjectItemCaseSensitive(c, "supportedProtocolVersions");
	if (v != NULL && p->proto[0] != '\0' && !has_str(v, p->proto))
		bad = 1,
		problem(p,
		    "supportedProtocolVersions lacks %s, the version the "
		    "server negotiated",
		    p->proto);
	return remotes_agree(p, c) || bad;
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

/* 1 when the URLs a and b have one origin: scheme, host and port. */
static int
same_origin(const char *a, const char *b)
{
	static const CURLUPart part[] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT};
	CURLU *ua = curl_url(), *ub = curl_url();
	char *x, *y;
	size_t i;
	int same = ua != NULL && ub != NULL && curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
	    curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK;

	for (i = 0; same && i < sizeof(part) / sizeof(part[0]); i++) {
		x = y = NULL;
		same = curl_url_get(ua, part[i], &x, CURLU_DEFAULT_PORT) == CURLUE_OK &&
		    curl_url_get(ub, part[i], &y, CURLU_DEFAULT_PORT) == CURLUE_OK &&
		    strcasecmp(x, y) == 0;
		curl_free(x);
		curl_free(y);
	}
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

/*
 * The card the catalog (an MCP Catalog: specVersion, entries[] of type
 * application/mcp-server-card+json with a url) names for this server:
 * the entry at <url>/server-card or under the target's path, else the
 * only one on the target's origin, else the only one; it must be on the
 * target's origin (a catalog may name other
 * domains' servers: not this probe's to ask).  Into buf, or -1 with a
 * problem said.
 */
static int
catalog_entry(struct probe *p, const cJSON *cat, char *buf, size_t len)
{
	const cJSON *ents = cJSON_GetObjectItemCaseSensitive(cat, "entries"), *e;
	const char *u, *pick = NULL, *only = NULL, *local = NULL;
	char suffix[2048], base[2048];
	int n = 0, nlocal = 0, seen = 0;

	if (!cJSON_IsObject(cat) || str_of(cat, "specVersion") == NULL || !cJSON_IsArray(ents))
		return -1;
	if (card_url(p, CARD_SUFFIX, suffix, sizeof(suffix)) == -1)
		return -1;
	/* The target's own path: <url>/server-card less its last part. */
	snprintf(
	    base, sizeof(base), "%.*s/", (int)(strlen(suffix) - strlen("/server-card")), suffix);
	cJSON_ArrayForEach(e, ents)
	{
		if (seen++ == CARD_ENTRIES)
			break;
		u = str_of(e, "url");
		if (u == NULL || !str_of(e, "type") ||
		    strcmp(str_of(e, "type"), "application/mcp-server-card+json") != 0)
			continue;
		n++, only = u;
		if (pick == NULL && (strcmp(u, suffix) == 0 || strncmp(u, base, strlen(base)) == 0))
			pick = u;
		if (same_origin(u, p->t->url))
			nlocal++, local = u;
	}
	if (pick == NULL)
		pick = nlocal == 1 ? local : n == 1 ? only : NULL;
	if (pick == NULL) {
		problem(p, "the catalog names %d card%s, none of them this server's", n,
		    n == 1 ? "" : "s");
		return -1;
	}
	if (!same_origin(pick, p->t->url)) {
		problem(p, "the catalog's card is on another origin: not asked");
		return -1;
	}
	if ((size_t)snprintf(buf, len, "%s", pick) >= len)
		return -1;
	return 0;
}

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
	if (p->card_try == CARD_CATALOG) {
		if (rc == CURLE_OK || x->overflow) {
			p->card_answered = 1;
		} else {
			why = xfer_refused(x, rc);
			problem(p, "%s: %s", p->card_try_url, why ? why : curl_easy_strerror(rc));
		}
		/* The catalog is no card: it names one, asked next, or the older places follow. */
		p->card_try = rc == CURLE_OK && !x->overflow && x->status >= 200 &&
		        x->status <= 299 &&
		        catalog_entry(p, x->msg, p->card_try_url, sizeof(p->card_try_url)) == 0
		    ? CARD_ENTRY
		    : CARD_WK;
		card_next(p);
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
	/* CARD_ENTRY's URL is the catalog's, in card_try_url already. */
	if ((p->card_try != CARD_ENTRY &&
	        card_url(p, p->card_try, p->card_try_url, sizeof(p->card_try_url)) == -1) ||
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
