/*
 * audit.c - /audit.json and /audit: the registry audit that
 * `mcp-aggregate audit --save` keeps in mcp:registry:audit (field last),
 * as it was saved and as a page in the status pages' style: its buckets,
 * the public censuses' buckets, the readiness for 2026's clients, the
 * regionally degraded remotes, those apart and the movement.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "ready.h"
#include "serve.h"

#define AUDIT_KEY "mcp:registry:audit"
#define AUDIT_MAX ((size_t)8 << 20) /* bytes of a saved audit served */
#define AUDIT_MOVED_MAX 500         /* servers that moved listed on the page */

/*
 * The saved audit: 1 with the reply in *rep (the caller frees it), 0 when
 * none is saved (r answered 404), -1 when the store failed or the audit
 * is past AUDIT_MAX (r answered).  mcp-aggregate's caps keep an audit to
 * some 35 bytes a server and 0.5 MB: past 8 MB it is not one of its.
 */
static int
audit_load(struct conn *c, struct resp *r, redisReply **rep)
{
	const char *a0[] = {"HGET", AUDIT_KEY, "last"};
	const char **argv[] = {a0};
	int argc[] = {3};

	if (serve_query(c, 1, argc, argv, rep) != SR_OK) {
		serve_unavailable(r);
		return -1;
	}
	if (rep[0]->type == REDIS_REPLY_STRING && rep[0]->len > AUDIT_MAX) {
		serve_log(c, "%s last: %zu bytes, past %zu", AUDIT_KEY, rep[0]->len, AUDIT_MAX);
		serve_free_replies(rep, 1);
		serve_error(r, 500, "the saved audit is too large", NULL);
		return -1;
	}
	if (rep[0]->type != REDIS_REPLY_STRING || rep[0]->len == 0) {
		serve_free_replies(rep, 1);
		serve_error(r, 404, "no audit saved", CACHE_API);
		return 0;
	}
	return 1;
}

/*
 * A tag of the saved text, its FNV-1a hash as the assets' (mcp-serve
 * links no crypto library): a new save is a new tag.
 */
static void
audit_etag(const redisReply *v, const char *kind, char *buf, size_t len)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < v->len; i++)
		h = (h ^ (unsigned char)v->str[i]) * 0x100000001b3ULL;
	snprintf(buf, len, "\"%s-%016llx\"", kind, h);
}

/* The saved text parsed, or NULL after answering 500 (rep freed then). */
static cJSON *
audit_parse(struct conn *c, struct resp *r, redisReply **rep)
{
	const char *why;
	cJSON *a;

	if ((a = mcp_json_parse(rep[0]->str, rep[0]->len, &why)) != NULL && cJSON_IsObject(a))
		return a;
	serve_log(c, "%s last: %s", AUDIT_KEY, a == NULL ? why : "not an object");
	cJSON_Delete(a);
	serve_free_replies(rep, 1);
	serve_error(r, 500, "the saved audit does not read", NULL);
	return NULL;
}

/* 0 when the saved text is a JSON object, else -1 after answering 500. */
static int
audit_check(struct conn *c, struct resp *r, redisReply **rep)
{
	cJSON *a = audit_parse(c, r, rep);

	cJSON_Delete(a);
	return a != NULL ? 0 : -1;
}

void
serve_audit_json(struct conn *c, const struct req *q, struct resp *r)
{
	redisReply *rep[1];

	(void)q;
	if (audit_load(c, r, rep) != 1 || audit_check(c, r, rep) == -1)
		return;
	r->ctype = CT_JSON;
	r->cache = CACHE_API;
	audit_etag(rep[0], "audit", r->etag, sizeof(r->etag));
	if (mcp_buf_add(&r->body, rep[0]->str, rep[0]->len) != 0)
		serve_error(r, 500, "out of memory", NULL);
	serve_free_replies(rep, 1);
}

/*
 * A registry name, anyone's to publish: escaped, and isolated so that its
 * bidi controls cannot reorder the cells around it.
 */
static int
audit_name_cell(struct mcp_buf *b, const char *name)
{
	return mcp_buf_adds(b, "<td><bdi>") | serve_esc(b, name) | mcp_buf_adds(b, "</bdi></td>");
}

/* A slug, linked to its status page when it is one (else the text alone). */
static int
audit_slug_cell(struct mcp_buf *b, const char *slug)
{
	if (mcp_slug_ok(slug))
		return mcp_buf_addf(b, "<td><a href=\"/status/%s\">%s</a></td>", slug, slug);
	return mcp_buf_adds(b, "<td>") | serve_esc(b, slug) | mcp_buf_adds(b, "</td>");
}

/* What the last sync left out, when the audit says. */
static int
audit_sync(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *sy = cJSON_GetObjectItemCaseSensitive(a, "sync");

	if (!cJSON_IsObject(sy))
		return 0;
	return mcp_buf_addf(b,
	    "<p class=\"sub\">The last registry sync skipped %.0f entries and dropped %.0f "
	    "remotes.</p>\n",
	    mcp_json_num(sy, "skipped"), mcp_json_num(sy, "remotes_dropped"));
}

/*
 * The buckets: servers, share and remotes (an audit saved before servers
 * has no remotes: its counts are of remotes, the column left out).
 */
static int
audit_buckets(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *e, *del = cJSON_GetObjectItemCaseSensitive(a, "deleted");
	int rem = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(a, "remotes")), rc;

	rc = mcp_buf_adds(b, "<section><h2>Buckets</h2>");
	if (rem)
		rc |= mcp_buf_addf(b,
		    "<p class=\"sub\">%.0f servers with %.0f remotes: a server takes the bucket of "
		    "its best remote.</p>\n",
		    mcp_json_num(a, "servers"), mcp_json_num(a, "remotes"));
	rc |= mcp_buf_adds(b,
	          "<div class=\"scroll\"><table><thead><tr><th>Bucket</th>"
	          "<th class=\"num\">Servers</th><th class=\"num\">Share</th>") |
	    mcp_buf_adds(b, rem ? "<th class=\"num\">Remotes</th>" : "") |
	    mcp_buf_adds(b, "</tr></thead><tbody>");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(a, "buckets"))
	{
		rc |= mcp_buf_adds(b, "<tr><td>") | serve_esc(b, e->string ? e->string : "") |
		    mcp_buf_addf(b, "</td><td class=\"num\">%.0f</td><td class=\"num\">%.2f%%</td>",
		        mcp_json_num(e, "count"), mcp_json_num(e, "percent"));
		if (rem)
			rc |= mcp_buf_addf(
			    b, "<td class=\"num\">%.0f</td>", mcp_json_num(e, "remotes"));
		rc |= mcp_buf_adds(b, "</tr>");
	}
	rc |= mcp_buf_addf(b,
	    "</tbody><tfoot><tr><th>Total</th><th class=\"num\">%.0f</th><th class=\"num\">100%%"
	    "</th>",
	    mcp_json_num(a, "total"));
	if (rem)
		rc |= mcp_buf_addf(b, "<th class=\"num\">%.0f</th>", mcp_json_num(a, "remotes"));
	rc |= mcp_buf_addf(b,
	    "</tr></tfoot></table></div>\n<p class=\"sub\">Deleted from the registry, counted "
	    "apart: %.0f",
	    mcp_json_num(del, "count"));
	if (rem)
		rc |= mcp_buf_addf(b, " servers, %.0f remotes", mcp_json_num(del, "remotes"));
	return rc | mcp_buf_adds(b, ".</p>\n") | audit_sync(b, a) | mcp_buf_adds(b, "</section>\n");
}

static int
audit_regional(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(a, "regional"), *e, *g;
	const cJSON *bs = cJSON_GetObjectItemCaseSensitive(a, "buckets");
	const cJSON *rb = cJSON_GetObjectItemCaseSensitive(bs, "regionally-degraded");
	int rc, first, rem = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rb, "remotes"));
	double all = mcp_json_num(rb, rem ? "remotes" : "count");

	if (cJSON_GetArraySize(list) == 0)
		return 0;
	rc = mcp_buf_adds(b,
	    "<section><h2>Regionally degraded</h2><div class=\"scroll\"><table><thead><tr>"
	    "<th>Remote</th><th>Registry name</th><th class=\"num\">Share of the period</th>"
	    "<th>Failing from</th><th>Healthy from</th></tr></thead><tbody>");
	cJSON_ArrayForEach(e, list)
	{
		rc |= mcp_buf_adds(b, "<tr>") | audit_slug_cell(b, mcp_json_str(e, "slug", "")) |
		    audit_name_cell(b, mcp_json_str(e, "name", "")) |
		    mcp_buf_addf(b, "<td class=\"num\">%.2f%%</td><td>", mcp_json_num(e, "share"));
		first = 1;
		cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(e, "regions"))
		{
			rc |= mcp_buf_adds(b, first ? "" : ", ") |
			    serve_esc(b, mcp_json_str(g, "region", "")) |
			    mcp_buf_addf(b, " (%.2f%%)", mcp_json_num(g, "share"));
			first = 0;
		}
		rc |= mcp_buf_adds(b, "</td><td>");
		first = 1;
		cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(e, "healthy_from"))
		{
			rc |= mcp_buf_adds(b, first ? "" : ", ") |
			    serve_esc(b, cJSON_IsString(g) ? g->valuestring : "");
			first = 0;
		}
		rc |= mcp_buf_adds(b, "</td></tr>");
	}
	rc |= mcp_buf_adds(b, "</tbody></table></div>\n");
	if (all > cJSON_GetArraySize(list))
		rc |= mcp_buf_addf(b,
		    "<p class=\"sub\">And %.0f more, of smaller shares (the audit lists %d).</p>\n",
		    all - cJSON_GetArraySize(list), cJSON_GetArraySize(list));
	return rc | mcp_buf_adds(b, "</section>\n");
}

/* The remotes whose bucket is not their server's. */
static int
audit_apart(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(a, "apart"), *e;
	int rc, listed = cJSON_GetArraySize(list);
	double all = mcp_json_num(a, "apart_count");

	if (listed == 0)
		return 0;
	rc = mcp_buf_adds(b,
	    "<section><h2>Remotes apart from their server</h2><div class=\"scroll\"><table>"
	    "<thead><tr><th>Remote</th><th>Registry name</th><th>Bucket</th><th>Server</th>"
	    "<th>Its bucket</th></tr></thead><tbody>");
	cJSON_ArrayForEach(e, list)
	{
		rc |= mcp_buf_adds(b, "<tr>") | audit_slug_cell(b, mcp_json_str(e, "slug", "")) |
		    audit_name_cell(b, mcp_json_str(e, "name", "")) | mcp_buf_adds(b, "<td>") |
		    serve_esc(b, mcp_json_str(e, "bucket", "")) | mcp_buf_adds(b, "</td>") |
		    audit_slug_cell(b, mcp_json_str(e, "server", "")) | mcp_buf_adds(b, "<td>") |
		    serve_esc(b, mcp_json_str(e, "server_bucket", "")) |
		    mcp_buf_adds(b, "</td></tr>");
	}
	rc |= mcp_buf_adds(b, "</tbody></table></div>\n");
	if (all > listed)
		rc |= mcp_buf_addf(b, "<p class=\"sub\">And %.0f more (the audit lists %d).</p>\n",
		    all - listed, listed);
	return rc | mcp_buf_adds(b, "</section>\n");
}

static int
audit_moved(struct mcp_buf *b, const cJSON *m)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(m, "moved"), *e;
	int rc, n = 0, listed = cJSON_GetArraySize(list);
	double all = mcp_json_num(m, "moved_count");

	if (listed == 0)
		return 0;
	if (all < listed)
		all = listed; /* an audit saved before moved_count */
	rc = mcp_buf_adds(b,
	    "<h3>Servers that moved</h3><div class=\"scroll\"><table><thead><tr>"
	    "<th>Server</th><th>Registry name</th><th>From</th><th>To</th></tr></thead><tbody>");
	cJSON_ArrayForEach(e, list)
	{
		if (n++ == AUDIT_MOVED_MAX)
			break;
		rc |= mcp_buf_adds(b, "<tr>") | audit_slug_cell(b, mcp_json_str(e, "slug", "")) |
		    audit_name_cell(b, mcp_json_str(e, "name", "")) | mcp_buf_adds(b, "<td>") |
		    serve_esc(b, mcp_json_str(e, "from", "")) | mcp_buf_adds(b, "</td><td>") |
		    serve_esc(b, mcp_json_str(e, "to", "")) | mcp_buf_adds(b, "</td></tr>");
	}
	rc |= mcp_buf_adds(b, "</tbody></table></div>\n");
	n = listed < AUDIT_MOVED_MAX ? listed : AUDIT_MOVED_MAX;
	if (all > n)
		rc |= mcp_buf_addf(b,
		    "<p class=\"sub\">And %.0f more, counted in the table above; "
		    "<a href=\"/audit.json\">/audit.json</a> lists %d in all, those that changed "
		    "between two buckets first.</p>\n",
		    all - n, listed);
	return rc;
}

static int
audit_movement(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(a, "movement"), *e;
	int rc = mcp_buf_adds(b, "<section><h2>Movement</h2>\n");

	if (!cJSON_IsObject(m))
		return rc |
		    mcp_buf_adds(
		        b, "<p>No earlier audit was saved to compare with.</p></section>\n");
	rc |= mcp_buf_adds(b, "<p class=\"sub\">Since the audit of ") |
	    serve_esc(b, mcp_json_str(m, "previous_as_of", "")) | mcp_buf_adds(b, ".</p>\n");
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(m, "table")) == 0)
		return rc | mcp_buf_adds(b, "<p>No server changed bucket.</p></section>\n");
	rc |= mcp_buf_adds(b,
	    "<div class=\"scroll\"><table><thead><tr><th>From</th><th>To</th>"
	    "<th class=\"num\">Servers</th></tr></thead><tbody>");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(m, "table"))
	{
		rc |= mcp_buf_adds(b, "<tr><td>") | serve_esc(b, mcp_json_str(e, "from", "")) |
		    mcp_buf_adds(b, "</td><td>") | serve_esc(b, mcp_json_str(e, "to", "")) |
		    mcp_buf_addf(
		        b, "</td><td class=\"num\">%.0f</td></tr>", mcp_json_num(e, "count"));
	}
	rc |= mcp_buf_adds(b, "</tbody></table></div>\n") | audit_moved(b, m);
	return rc | mcp_buf_adds(b, "</section>\n");
}

/*
 * The public censuses' buckets (an audit saved before them has none):
 * servers, and their share of those probed.
 */
static int
audit_census(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(a, "census"), *e;
	const cJSON *pc = cJSON_GetObjectItemCaseSensitive(c, "percent"), *p;
	int rc;

	if (!cJSON_IsObject(c))
		return 0;
	rc = mcp_buf_addf(b,
	    "<section><h2>As the public censuses count</h2><p class=\"sub\">Each server in the "
	    "bucket of the public censuses of the registry its bucket maps to; shares of the %.0f "
	    "servers probed.</p>\n<div class=\"scroll\"><table><thead><tr><th>Census bucket</th>"
	    "<th class=\"num\">Servers</th><th class=\"num\">Share</th></tr></thead><tbody>",
	    mcp_json_num(c, "probed"));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(c, "buckets"))
	{
		p = cJSON_GetObjectItemCaseSensitive(pc, e->string ? e->string : "");
		rc |= mcp_buf_adds(b, "<tr><td>") | serve_esc(b, e->string ? e->string : "") |
		    mcp_buf_addf(b, "</td><td class=\"num\">%.0f</td>",
		        cJSON_IsNumber(e) ? e->valuedouble : 0);
		rc |= cJSON_IsNumber(p)
		    ? mcp_buf_addf(b, "<td class=\"num\">%.2f%%</td></tr>", p->valuedouble)
		    : mcp_buf_adds(b, "<td class=\"num\">-</td></tr>");
	}
	return rc | mcp_buf_adds(b, "</tbody></table></div></section>\n");
}

/* A reason of the saved audit: its code and severity escaped, this build's words when known. */
static int
audit_reason(struct mcp_buf *b, const cJSON *e)
{
	const char *code = mcp_json_str(e, "code", "");
	int k = mcp_ready_code(code);

	return mcp_buf_adds(b, "<tr><td><code>") | serve_esc(b, code) |
	    mcp_buf_adds(b, "</code></td><td>") | serve_esc(b, mcp_json_str(e, "severity", "")) |
	    mcp_buf_addf(b,
	        "</td><td class=\"num\">%.0f</td><td class=\"num\">%.2f%%</td><td class=\"what\">",
	        mcp_json_num(e, "count"), mcp_json_num(e, "percent_graded")) |
	    serve_esc(b, k >= 0 ? mcp_ready_reasons[k].what : "") | mcp_buf_adds(b, "</td></tr>");
}

/*
 * Readiness for 2026's clients (an audit saved before it has none): the
 * grades, each reason with its servers, and the eras spoken.
 */
static int
audit_readiness(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(a, "readiness"), *e, *p;
	const cJSON *pc = cJSON_GetObjectItemCaseSensitive(r, "percent");
	int rc, first = 1;

	if (!cJSON_IsObject(r))
		return 0;
	rc = mcp_buf_addf(b,
	    "<section class=\"readiness\"><h2>Readiness for 2026's clients</h2><p class=\"sub\">"
	    "%.0f of %.0f servers graded: a server takes the grade of the remote that decided its "
	    "bucket, else of its next remote graded.</p>\n<div class=\"scroll\"><table><thead><tr>"
	    "<th>Grade</th><th class=\"num\">Servers</th><th class=\"num\">Share</th></tr>"
	    "</thead><tbody>",
	    mcp_json_num(r, "graded"), mcp_json_num(a, "servers"));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "grades"))
	{
		p = cJSON_GetObjectItemCaseSensitive(pc, e->string ? e->string : "");
		rc |= mcp_buf_adds(b, "<tr><td>") | serve_esc(b, e->string ? e->string : "") |
		    mcp_buf_addf(b,
		        "</td><td class=\"num\">%.0f</td><td class=\"num\">%.2f%%</td></tr>",
		        cJSON_IsNumber(e) ? e->valuedouble : 0,
		        cJSON_IsNumber(p) ? p->valuedouble : 0);
	}
	rc |= mcp_buf_adds(b,
	    "</tbody></table></div>\n<div class=\"scroll\"><table><thead><tr><th>Reason</th>"
	    "<th>Severity</th><th class=\"num\">Servers</th><th class=\"num\">Of graded</th>"
	    "<th>What is wrong</th></tr></thead><tbody>");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "reasons"))
	{
		rc |= audit_reason(b, e);
	}
	rc |= mcp_buf_adds(b, "</tbody></table></div>\n<p>Eras spoken: ");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "eras"))
	{
		rc |= mcp_buf_adds(b, first ? "" : ", ") |
		    serve_esc(b, e->string ? e->string : "") |
		    mcp_buf_addf(b, " %.0f", cJSON_IsNumber(e) ? e->valuedouble : 0);
		first = 0;
	}
	return rc | mcp_buf_adds(b, ".</p></section>\n");
}

/* "The 24 hours up to ...": the period in hours, or minutes when not whole. */
static int
audit_period(struct mcp_buf *b, const cJSON *a)
{
	double p = mcp_json_num(a, "period");
	int rc = (long long)p % 3600 == 0
	    ? mcp_buf_addf(b, "<p class=\"sub\">The %.0f hours", p / 3600)
	    : mcp_buf_addf(b, "<p class=\"sub\">The %.0f minutes", p / 60);

	return rc | mcp_buf_adds(b, " up to ") | serve_esc(b, mcp_json_str(a, "as_of", "")) |
	    mcp_buf_adds(b, ".</p>\n");
}

void
serve_audit_page(struct conn *c, const struct req *q, struct resp *r)
{
	struct mcp_buf *b = &r->body;
	redisReply *rep[1];
	cJSON *a;
	int rc;

	(void)q;
	if (audit_load(c, r, rep) != 1 || (a = audit_parse(c, r, rep)) == NULL)
		return;
	serve_html_resp(r);
	audit_etag(rep[0], "audit-page", r->etag, sizeof(r->etag));
	serve_free_replies(rep, 1);
	rc = serve_page_head(b, "MCP registry audit", NULL) |
	    mcp_buf_adds(b,
	        "<p class=\"sub\"><a href=\"/status\">All servers</a> \xc2\xb7 "
	        "<a href=\"/audit.json\">JSON</a></p><h1>Registry audit</h1>\n") |
	    audit_period(b, a);
	rc |= audit_buckets(b, a) | audit_census(b, a) | audit_readiness(b, a) |
	    audit_regional(b, a) | audit_apart(b, a) | audit_movement(b, a) |
	    mcp_buf_adds(b, "</main></body></html>\n");
	cJSON_Delete(a);
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}
