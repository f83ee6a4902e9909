/*
 * subpage.c - the pages of a subscription, plain HTML and no script: the
 * form (on each status page, and at /subscribe with its choices), "check
 * your inbox", the confirmation's button and its answer, the
 * unsubscription's button and its answer.  None says whether an address
 * is subscribed.  A page that holds a token is never cached.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "notices.h"

#define CT_HTML "text/html; charset=utf-8"

int
serve_subscribe_form(struct mcp_buf *b, const char *slug)
{
	int rc = mcp_buf_adds(b,
	    "<section class=\"subscribe\" aria-labelledby=\"sub-h\"><h2 id=\"sub-h\">Get "
	    "notified</h2><form method=\"post\" action=\"/subscribe\">");

	/* A slug is [a-z0-9._-]: nothing to escape. */
	if (slug != NULL)
		rc |= mcp_buf_addf(b, "<input type=\"hidden\" name=\"slug\" value=\"%s\">", slug);
	else
		rc |= mcp_buf_adds(b, "<input type=\"hidden\" name=\"all\" value=\"1\">");
	rc |= mcp_buf_adds(b,
	    "<label for=\"sub-email\">Email address</label> <input id=\"sub-email\" "
	    "type=\"email\" name=\"email\" required maxlength=\"254\" autocomplete=\"email\"> "
	    "<button type=\"submit\">Subscribe</button></form><p class=\"sub\">Incident "
	    "reports and maintenance of ");
	if (slug != NULL)
		rc |= mcp_buf_addf(b, "%s", slug);
	else
		rc |= mcp_buf_adds(b, "every server");
	rc |= mcp_buf_adds(b,
	    ", by email. One message first, to confirm; nothing more until you "
	    "do. Every message has a link to unsubscribe. <a href=\"/subscribe");
	if (slug != NULL)
		rc |= mcp_buf_addf(b, "?slug=%s", slug);
	return rc | mcp_buf_adds(b, "\">More choices</a></p></section>\n");
}

/* "a, b and c", "every server" (nslugs -1). */
static int
slugs_html(struct mcp_buf *b, const char *const *slugs, int n)
{
	int i, rc = 0;

	if (n < 0)
		return mcp_buf_adds(b, "every server");
	for (i = 0; i < n; i++)
		rc |= mcp_buf_addf(b, "%s<a href=\"/status/%s\">%s</a>",
		    i == 0           ? ""
		        : i == n - 1 ? " and "
		                     : ", ",
		    slugs[i], slugs[i]);
	return rc;
}

/* The form of /subscribe: the servers named checked, every server, the address. */
static int
form_page(struct mcp_buf *b, const char *const *slugs, int n)
{
	int i,
	    rc = mcp_buf_adds(b,
	        "<h1>Get notified</h1>\n<p>Incident reports, their updates and the maintenance "
	        "of the servers you choose, by email. One message comes first, to confirm: nothing "
	        "more is sent until you do, and every message has a link to unsubscribe.</p>\n"
	        "<form method=\"post\" action=\"/subscribe\" class=\"subscribe\"><fieldset>"
	        "<legend>Servers</legend>");

	for (i = 0; i < n; i++)
		rc |= mcp_buf_addf(b,
		    "<label><input type=\"checkbox\" name=\"slug\" value=\"%s\" checked> %s"
		    "</label><br>",
		    slugs[i], slugs[i]);
	rc |= mcp_buf_addf(b,
	    "<label><input type=\"checkbox\" name=\"all\" value=\"1\"%s> Every server</label>"
	    "<br><label for=\"more\">Other servers (their names, separated by spaces)</label> "
	    "<input id=\"more\" name=\"slugs\" maxlength=\"2000\"></fieldset>",
	    n <= 0 ? " checked" : "");
	return rc |
	    mcp_buf_adds(b,
	        "<p><label for=\"sub-email\">Email address</label> <input id=\"sub-email\" "
	        "type=\"email\" name=\"email\" required maxlength=\"254\" "
	        "autocomplete=\"email\"> <button type=\"submit\">Subscribe</button></p>"
	        "</form>\n");
}

static int
body_of(struct mcp_buf *b, enum sub_page k, const char *const *slugs, int n, const char *token,
    const char *query, const char *why)
{
	switch (k) {
	case SP_FORM:
		return form_page(b, slugs, n);
	case SP_SENT:
		return mcp_buf_adds(b,
		           "<h1>Check your inbox</h1>\n<p>If the address can be "
		           "subscribed, a message is on its way to it, to confirm "
		           "the notices of ") |
		    slugs_html(b, slugs, n) |
		    mcp_buf_adds(b,
		        ". Its link lasts 24 hours; nothing more is sent unless you "
		        "open it. An address gets three such messages a day at "
		        "most: if one came today, its link works too.</p>\n");
	case SP_CONFIRM:
		/* The token is [0-9a-f]: nothing to escape. */
		return mcp_buf_addf(b,
		    "<h1>Confirm your subscription</h1>\n<form method=\"post\" "
		    "action=\"/subscribe/confirm\"><input type=\"hidden\" name=\"t\" value=\"%s\">"
		    "<p>Press the button to receive the notices you asked for.</p><p><button "
		    "type=\"submit\">Confirm</button></p></form>\n",
		    token);
	case SP_CONFIRMED:
		return mcp_buf_adds(b,
		           "<h1>You are subscribed</h1>\n<p>This address now "
		           "receives the notices of ") |
		    slugs_html(b, slugs, n) |
		    mcp_buf_adds(b, ". Each message has a link to unsubscribe.</p>\n");
	case SP_EXPIRED:
		return mcp_buf_adds(b,
		    "<h1>This link has expired</h1>\n<p>A confirmation link "
		    "works once, for 24 hours. <a href=\"/subscribe\">Subscribe "
		    "again</a> if you still want the notices.</p>\n");
	case SP_UNSUB:
		/* Made of the checked id and token: s=e and hex, t=hex. */
		return mcp_buf_addf(b,
		    "<h1>Unsubscribe</h1>\n<form method=\"post\" action=\"/unsubscribe?%s\">"
		    "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
		    "<p>Press the button to receive no more notices at this address.</p><p>"
		    "<button type=\"submit\">Unsubscribe</button></p></form>\n",
		    query);
	case SP_GONE:
		return mcp_buf_adds(b,
		    "<h1>You are unsubscribed</h1>\n<p>No more notices "
		    "will be sent to this address, and it is no longer "
		    "kept.</p>\n");
	default:
		return mcp_buf_adds(b, "<h1>Not done</h1>\n<p>") | serve_post_text(b, why, 200, 0) |
		    mcp_buf_adds(b, "</p>\n");
	}
}

void
serve_sub_page(struct resp *r, enum sub_page k, const char *const *slugs, int nslugs,
    const char *token, const char *query, const char *why)
{
	static const char *const titles[] = {"Get notified", "Check your inbox",
	    "Confirm your subscription", "Subscribed", "Link expired", "Unsubscribe",
	    "Unsubscribed", "Not done"};
	struct mcp_buf *b = &r->body;
	int rc;

	mcp_buf_reset(b);
	r->status = k == SP_EXPIRED ? 410 : 200;
	r->ctype = CT_HTML;
	r->html = 1;
	r->etag[0] = '\0';
	/* Nothing of a subscription is cached: a page may hold a token, or answer a POST. */
	r->cache = k == SP_FORM ? "public, max-age=60" : "no-store";
	rc = serve_page_head(b, titles[k], NULL) |
	    mcp_buf_adds(b, "<p class=\"sub\"><a href=\"/status\">All servers</a></p>\n") |
	    body_of(b, k, slugs, nslugs, token, query, why) |
	    mcp_buf_adds(b, "</main></body></html>\n");
	if (rc != 0)
		serve_error(r, 500, "out of memory", NULL);
}
