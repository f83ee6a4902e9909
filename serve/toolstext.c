/*
 * toolstext.c - a change of a tool list in words, for the status page and
 * its feed: a server's names cut to TCH_NAME bytes of whole characters,
 * what a reader would not see made U+FFFD; each item of a change as a
 * sentence ("renamed get_data to fetch_data: breaking for agents that
 * call get_data"), its class; the items and the regions as HTML.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "serve.h"
#include "text.h"
#include "tools.h"

#define TCH_ITEMS 8 /* items of a change said */

/*
 * s cut to TCH_NAME bytes of whole characters, "…" after a cut (buf:
 * TCH_NAME + 4); what a reader would not see (a bidirectional control, a
 * zero-width or tag character: lib/text.h) made U+FFFD, as a post's text
 * is, so that a name hides nothing and turns nothing around.
 */
void
tch_cut(char *buf, size_t len, const char *s)
{
	size_t u = 0, n, k;
	unsigned long cp;
	int bad, keep;

	s = s != NULL ? s : "";
	while (*s != '\0') {
		n = mcp_utf8_decode(s, strlen(s), &cp);
		n = n == 0 ? 1 : n;
		keep = mcp_text_char(s, &bad) == n && !bad;
		k = keep ? n : 3;
		if (u + k > TCH_NAME || u + k + 4 > len) {
			snprintf(buf + u, len - u, "\xe2\x80\xa6");
			return;
		}
		memcpy(buf + u, keep ? s : SERVE_REPLACEMENT, k);
		u += k, s += n;
	}
	buf[u] = '\0';
}

static void
tch_field(char *buf, size_t len, const cJSON *it, const char *k)
{
	tch_cut(buf, len, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, k)));
}

static int
tch_is(const char *kind, const char *a)
{
	return strcmp(kind, a) == 0;
}

/* What was done to a property or an argument; 0 when kind is not of those. */
static int
tch_part_text(char *buf, size_t len, const char *kind, const char *n, const cJSON *it)
{
	char p[TCH_NAME + 4], b[TCH_NAME + 4], a[TCH_NAME + 4];

	tch_field(p, sizeof(p), it, "path");
	tch_field(b, sizeof(b), it, "before");
	tch_field(a, sizeof(a), it, "after");
	if (strstr(kind, "added_required") != NULL || strstr(kind, "required_added") != NULL)
		snprintf(buf, len,
		    "made \"%s\" required on %s: breaking for agents that do not send it", p, n);
	else if (strstr(kind, "added_optional") != NULL)
		snprintf(buf, len, "added the optional \"%s\" to %s", p, n);
	else if (tch_is(kind, "property_removed") || tch_is(kind, "prompt_argument_removed"))
		snprintf(
		    buf, len, "removed \"%s\" from %s: breaking for agents that send it", p, n);
	else if (tch_is(kind, "property_type_changed"))
		snprintf(buf, len, "changed the type of \"%s\" on %s (%s to %s)", p, n, b, a);
	else if (tch_is(kind, "property_narrowed"))
		snprintf(buf, len, "narrowed \"%s\" on %s (%s to %s)", p, n, b, a);
	else if (tch_is(kind, "enum_value_removed") || tch_is(kind, "enum_value_added"))
		/* The value is its JSON text: a string's quotes are its own. */
		snprintf(buf, len, "%s %s %s the values of \"%s\" on %s",
		    tch_is(kind, "enum_value_added") ? "added" : "removed", b[0] ? b : a,
		    tch_is(kind, "enum_value_added") ? "to" : "from", p, n);
	else if (tch_is(kind, "required_removed"))
		snprintf(buf, len, "made \"%s\" optional on %s", p, n);
	else if (tch_is(kind, "annotation_changed"))
		snprintf(buf, len, "%s %s %s for %s", strcmp(a, "true") == 0 ? "turned" : "changed",
		    p[0] ? p : "an annotation",
		    strcmp(a, "true") == 0        ? "on"
		        : strcmp(a, "false") == 0 ? "off"
		                                  : "",
		    n);
	else
		return 0;
	return 1;
}

/* One change of a history entry in words ("renamed get_data to fetch_data"). */
void
tch_item_text(char *buf, size_t len, const cJSON *it)
{
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "kind"));
	char n[TCH_NAME + 4], to[TCH_NAME + 4];
	const char *key = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "prompt")) ? "prompt"
	    : cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "resource")) ? "resource"
	                                                                       : "tool";

	kind = kind != NULL ? kind : "";
	tch_field(n, sizeof(n), it, key);
	tch_field(to, sizeof(to), it, "to");
	if (strstr(kind, "_renamed") != NULL)
		snprintf(buf, len, "renamed %s to %s%s: breaking for agents that call %s", n, to,
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "inferred"))
		        ? " (inferred: same schema)"
		        : "",
		    n);
	else if (tch_is(kind, "tool_removed") || tch_is(kind, "prompt_removed") ||
	    tch_is(kind, "resource_removed"))
		snprintf(buf, len, "removed %s: breaking for agents that call it", n);
	else if (tch_is(kind, "tool_added") || tch_is(kind, "prompt_added") ||
	    tch_is(kind, "resource_added"))
		snprintf(buf, len, "added %s", n);
	else if (tch_part_text(buf, len, kind, n, it))
		return;
	else if (tch_is(kind, "description_changed"))
		snprintf(buf, len, "changed the description of %s (what the model reads)", n);
	else if (strncmp(kind, "output_schema_", 14) == 0)
		snprintf(buf, len, "%s the output schema of %s",
		    tch_is(kind, "output_schema_added")         ? "added"
		        : tch_is(kind, "output_schema_removed") ? "removed"
		                                                : "changed",
		    n);
	else if (tch_is(kind, "title_changed"))
		snprintf(buf, len, "changed the title of %s", n);
	else
		snprintf(buf, len, "changed %s", n);
}

/* A class as shown, or NULL when c is not one. */
const char *
tch_class(const cJSON *o)
{
	const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "class"));

	if (c != NULL &&
	    (strcmp(c, "breaking") == 0 || strcmp(c, "review") == 0 ||
	        strcmp(c, "compatible") == 0))
		return c;
	return NULL;
}

int
tch_regions_html(struct mcp_buf *b, const cJSON *a)
{
	const cJSON *e;
	int rc = 0, n = 0;

	cJSON_ArrayForEach(e, a)
	{
		if (cJSON_IsString(e) && mcp_slug_ok(e->valuestring))
			rc |= (n++ ? mcp_buf_adds(b, ", ") : 0) |
			    serve_region_name(b, e->valuestring);
	}
	return n == 0 ? rc | mcp_buf_adds(b, "no region named") : rc;
}

/* The items of a change, each with its class, as a list; "more" counted. */
int
tch_items_html(struct mcp_buf *b, const cJSON *ch, const cJSON *e)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(ch, "items"), *it;
	const cJSON *more = cJSON_GetObjectItemCaseSensitive(ch, "more");
	char text[512];
	int rc = mcp_buf_adds(b, "<ul class=\"items\">"), n = 0, left = 0;

	if (!cJSON_IsObject(ch)) {
		tch_field(text, sizeof(text), e, "change_unknown");
		rc |= mcp_buf_adds(b, "<li>What changed is not known");
		if (text[0] != '\0')
			rc |= mcp_buf_adds(b, " (") | serve_esc(b, text) | mcp_buf_adds(b, ")");
		return rc | mcp_buf_adds(b, ": the lists were not kept.</li></ul>");
	}
	cJSON_ArrayForEach(it, items)
	{
		if (n == TCH_ITEMS) {
			left++;
			continue;
		}
		tch_item_text(text, sizeof(text), it);
		rc |= mcp_buf_adds(b, "<li><bdi>") | serve_esc(b, text) | mcp_buf_adds(b, "</bdi>");
		if (tch_class(it) != NULL)
			rc |= mcp_buf_addf(
			    b, " <span class=\"cls %s\">%s</span>", tch_class(it), tch_class(it));
		rc |= mcp_buf_adds(b, "</li>");
		n++;
	}
	if (cJSON_IsNumber(more) && more->valuedouble >= 1 && more->valuedouble < 1e9)
		left += (int)more->valuedouble;
	if (left > 0)
		rc |= mcp_buf_addf(b, "<li>and %d more</li>", left);
	return rc | mcp_buf_adds(b, "</ul>");
}
