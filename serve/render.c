/*
 * render.c - the bodies mcp-serve writes: the five fields, the ETag, the
 * SVG badge and the shields.io endpoint.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "ready.h"
#include "serve.h"

/* {"state":..,"uptime_30d":..,"p95_ms":..,"last_probe_ago":..,"as_of":..} */
int
serve_summary_json(struct mcp_buf *b, const struct summary *s, double now)
{
	return mcp_buf_addc(b, '{') | serve_summary_fields(b, s, now) | mcp_buf_addc(b, '}');
}

/* The five fields without the braces, for a list of them. */
int
serve_summary_fields(struct mcp_buf *b, const struct summary *s, double now)
{
	char ago[32];
	int rc = mcp_buf_addf(b, "\"state\":\"%s\",\"uptime_30d\":", serve_state_name(s->state));

	if (s->uptime >= 0)
		rc |= mcp_buf_addf(b, "%.2f", s->uptime);
	else
		rc |= mcp_buf_adds(b, "null");
	if (s->p95 >= 0)
		rc |= mcp_buf_addf(b, ",\"p95_ms\":%.0f", s->p95);
	else
		rc |= mcp_buf_adds(b, ",\"p95_ms\":null");
	if (s->last_probe >= 0) {
		mcp_ago(now - s->last_probe, ago, sizeof(ago));
		rc |= mcp_buf_addf(b, ",\"last_probe_ago\":\"%s\"", ago);
	} else {
		rc |= mcp_buf_adds(b, ",\"last_probe_ago\":null");
	}
	if (s->as_of[0] != '\0')
		rc |= mcp_buf_addf(b, ",\"as_of\":\"%s\"", s->as_of);
	else
		rc |= mcp_buf_adds(b, ",\"as_of\":null");
	return rc;
}

/*
 * The verdict minute, as the contract says; a verdict shown as pending
 * because it went stale gets a tag of its own, so that a client holding
 * the fresh one's tag is not told with a 304 that nothing changed.
 */
void
serve_etag(const struct summary *s, char *buf, size_t len)
{
	if (!s->has_verdict)
		snprintf(buf, len, "\"v1-none\"");
	else
		snprintf(buf, len, "\"v1-%s%s\"", s->as_of, s->stale ? "-stale" : "");
}

/*
 * Advance widths of Verdana 11px (as shields.io measures), tenths of a
 * pixel, for the printable ASCII range; DejaVu Sans, the usual stand-in,
 * is close.  textLength makes the viewer's font fit the box whatever it is.
 */
static const unsigned short width10[95] = {
    39, 39, 46, 90, 70, 122, 80, 27, 46, 46, 70, 90, 40, 46, 40, 49, /* sp..  / */
    70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 49, 49, 90, 90, 90, 60,  /* 0..?    */
    110, 75, 76, 77, 85, 70, 64, 85, 84, 46, 50, 77, 63, 95, 83, 87, /* @..O    */
    67, 87, 78, 75, 68, 81, 75, 109, 75, 68, 75, 46, 49, 46, 90, 70, /* P.._    */
    70, 67, 69, 58, 69, 67, 38, 69, 70, 30, 38, 65, 30, 107, 70, 67, /* `..o    */
    69, 69, 47, 57, 43, 70, 65, 90, 65, 65, 58, 70, 49, 70, 90,      /* p..~    */
};

static int
text_width(const char *s)
{
	int w = 0;

	for (; *s != '\0'; s++)
		w += *s >= 32 && *s < 127 ? width10[*s - 32] : 70;
	return (w + 5) / 10;
}

int
serve_text_char(unsigned long cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if (cp >= 0x7f && cp < 0xa0)
		return 0;
	/* Surrogates, and the noncharacters: U+FDD0..U+FDEF and the last two of each plane. */
	if ((cp >= 0xd800 && cp < 0xe000) || (cp >= 0xfdd0 && cp <= 0xfdef) ||
	    (cp & 0xfffe) == 0xfffe)
		return 0;
	return cp <= 0x10ffff;
}

/* The five characters that could end text, escaped; what is not text, U+FFFD. */
int
serve_esc(struct mcp_buf *b, const char *s)
{
	size_t n = strlen(s), k;
	unsigned long cp;
	int rc = 0;

	for (; n > 0 && rc == 0; s += k, n -= k) {
		k = 1;
		if ((unsigned char)*s >= 0x80 || !serve_text_char((unsigned char)*s)) {
			k = mcp_utf8_decode(s, n, &cp);
			if (k == 0 || !serve_text_char(cp)) {
				rc = mcp_buf_adds(b, SERVE_REPLACEMENT);
				k = k == 0 ? 1 : k;
			} else
				rc = mcp_buf_add(b, s, k);
			continue;
		}
		switch (*s) {
		case '&':
			rc = mcp_buf_adds(b, "&amp;");
			break;
		case '<':
			rc = mcp_buf_adds(b, "&lt;");
			break;
		case '>':
			rc = mcp_buf_adds(b, "&gt;");
			break;
		case '"':
			rc = mcp_buf_adds(b, "&quot;");
			break;
		case '\'':
			rc = mcp_buf_adds(b, "&#39;");
			break;
		default:
			rc = mcp_buf_addc(b, *s);
		}
	}
	return rc;
}

/* Label, then the five states: white text on each at 4.5:1 or better. */
static const char *const light[] = {"#555", "#6e7781", "#1a7f37", "#9a6700", "#cf222e", "#0969da"};
static const char *const dark[] = {
    "#30363d", "#6e7681", "#238636", "#9e6a03", "#da3633", "#1f6feb"};

static int
badge_style(struct mcp_buf *b, const char *theme)
{
	const char *const *c = theme != NULL && strcmp(theme, "dark") == 0 ? dark : light;
	int rc = mcp_buf_addf(b,
	    "<style>.l{fill:%s}.pending{fill:%s}.up{fill:%s}"
	    ".degraded{fill:%s}.down{fill:%s}.maintenance{fill:%s}",
	    c[0], c[1], c[2], c[3], c[4], c[5]);

	/* No theme asked for: follow the viewer's. */
	if (theme == NULL)
		rc |= mcp_buf_addf(b,
		    "@media (prefers-color-scheme:dark){.l{fill:%s}"
		    ".pending{fill:%s}.up{fill:%s}.degraded{fill:%s}.down{fill:%s}"
		    ".maintenance{fill:%s}}",
		    dark[0], dark[1], dark[2], dark[3], dark[4], dark[5]);
	return rc | mcp_buf_adds(b, "</style>");
}

static int badge(
    struct mcp_buf *b, const char *msg, const char *cls, const char *label, const char *theme);

/* A flat pill, "LABEL | STATE", readable by screen readers. */
int
serve_badge_svg(struct mcp_buf *b, enum serve_state st, const char *label, const char *theme)
{
	return badge(b, serve_state_name(st), serve_state_name(st), label, theme);
}

/* "LABEL | GRADE" of a readiness: A and B green, C amber, D and F red; none pending. */
int
serve_grade_badge_svg(struct mcp_buf *b, char grade, const char *label, const char *theme)
{
	char g[2] = {grade, '\0'};

	if (grade < 'A' || grade > 'F')
		return badge(b, "pending", "pending", label, theme);
	return badge(b, g, grade <= 'B' ? "up" : grade == 'C' ? "degraded" : "down", label, theme);
}

static int
badge(struct mcp_buf *b, const char *msg, const char *cls, const char *label, const char *theme)
{
	int lt = text_width(label), mt = text_width(msg);
	int lw = lt + 10, mw = mt + 10, w = lw + mw;
	int rc;

	rc = mcp_buf_addf(b,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"20\" "
	    "role=\"img\" aria-label=\"",
	    w);
	rc |= serve_esc(b, label);
	rc |= mcp_buf_addf(b, ": %s\"><title>", msg);
	rc |= serve_esc(b, label);
	rc |= mcp_buf_addf(b, ": %s</title>", msg);
	rc |= badge_style(b, theme);
	rc |= mcp_buf_addf(b,
	    "<linearGradient id=\"s\" x2=\"0\" y2=\"100%%\"><stop offset=\"0\" "
	    "stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/>"
	    "</linearGradient><clipPath id=\"r\"><rect width=\"%d\" height=\"20\" rx=\"3\" "
	    "fill=\"#fff\"/></clipPath><g clip-path=\"url(#r)\"><rect width=\"%d\" height=\"20\" "
	    "class=\"l\"/><rect x=\"%d\" width=\"%d\" height=\"20\" class=\"%s\"/><rect "
	    "width=\"%d\" "
	    "height=\"20\" fill=\"url(#s)\"/></g>",
	    w, lw, lw, mw, cls, w);
	rc |= mcp_buf_addf(b,
	    "<g fill=\"#fff\" text-anchor=\"middle\" "
	    "font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\" "
	    "aria-hidden=\"true\">"
	    "<text x=\"%.1f\" y=\"14\" textLength=\"%d\" lengthAdjust=\"spacingAndGlyphs\">",
	    lw / 2.0, lt);
	rc |= serve_esc(b, label);
	rc |= mcp_buf_addf(b,
	    "</text><text x=\"%.1f\" y=\"14\" textLength=\"%d\" "
	    "lengthAdjust=\"spacingAndGlyphs\">%s</text></g></svg>",
	    lw + mw / 2.0, mt, msg);
	return rc;
}

int
serve_readiness_json(struct mcp_buf *b, const char *slug, const struct summary *s)
{
	int rc, k, n = 0;

	rc = mcp_buf_adds(b, "{\"slug\":") | mcp_json_string(b, slug);
	if (s->grade >= 'A' && s->grade <= 'F')
		rc |= mcp_buf_addf(b, ",\"grade\":\"%c\",\"eras\":[", s->grade);
	else
		rc |= mcp_buf_adds(b, ",\"grade\":null,\"eras\":[");
	for (k = 0; k < MCP_ERA_N; k++)
		if (s->ready_eras & (1U << k))
			rc |= mcp_buf_addf(b, "%s\"%s\"", n++ ? "," : "", mcp_ready_eras[k]);
	rc |= mcp_buf_adds(b, "],\"reasons\":[");
	for (k = 0, n = 0; k < MCP_R_N; k++) {
		if (!(s->ready_codes & (1UL << k)))
			continue;
		rc |= mcp_buf_addf(b,
		    "%s{\"code\":\"%s\",\"severity\":\"%s\",\"spec\":", n++ ? "," : "",
		    mcp_ready_reasons[k].code, mcp_ready_sev_name(mcp_ready_reasons[k].sev));
		rc |= mcp_json_string(b, mcp_ready_reasons[k].spec);
		rc |= mcp_buf_adds(b, ",\"message\":") |
		    mcp_json_string(b, mcp_ready_reasons[k].what);
		rc |= mcp_buf_adds(b, ",\"fix\":") | mcp_json_string(b, mcp_ready_reasons[k].fix);
		rc |= mcp_buf_adds(b, "}");
	}
	rc |= mcp_buf_adds(b, "],\"issuer\":");
	rc |= s->ready_issuer[0] != '\0' ? mcp_json_string(b, s->ready_issuer)
	                                 : mcp_buf_adds(b, "null");
	if (s->ready_at[0] != '\0')
		rc |= mcp_buf_addf(b, ",\"checked_at\":\"%s\"}", s->ready_at);
	else
		rc |= mcp_buf_adds(b, ",\"checked_at\":null}");
	return rc;
}

/* The shields.io endpoint schema (https://shields.io/badges/endpoint-badge). */
int
serve_shields_json(struct mcp_buf *b, enum serve_state st)
{
	static const char *const color[] = {"lightgrey", "brightgreen", "yellow", "red", "blue"};

	return mcp_buf_addf(b,
	    "{\"schemaVersion\":1,\"label\":\"mcp\",\"message\":\"%s\","
	    "\"color\":\"%s\",%s\"cacheSeconds\":300}",
	    serve_state_name(st), color[st], st == ST_DOWN ? "\"isError\":true," : "");
}

/* "maintenance":null, or {"reason":..,"until":ISO} while a window is in force. */
int
serve_maint_json(struct mcp_buf *b, const struct summary *s)
{
	char iso[32];

	if (!s->maint || mcp_iso8601(s->maint_end, iso, sizeof(iso)) == -1)
		return mcp_buf_adds(b, "\"maintenance\":null");
	return mcp_buf_adds(b, "\"maintenance\":{\"reason\":") |
	    mcp_json_string(b, s->maint_reason) | mcp_buf_addf(b, ",\"until\":\"%s\"}", iso);
}
