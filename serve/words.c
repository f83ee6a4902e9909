/*
 * words.c - what the pages of mcp-serve say the same way: times, lengths
 * of time and regions, for people.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "serve.h"
#include "text.h"

/* "2026-11-24 16:00 UTC" */
void
serve_when(double t, char *buf, size_t len)
{
	char iso[32];

	if (mcp_iso8601(t, iso, sizeof(iso)) == -1)
		snprintf(buf, len, "an unknown time");
	else
		snprintf(buf, len, "%.10s %.5s UTC", iso, iso + 11);
}

/* "3 hours 5 minutes", "42 minutes", "under a minute" */
void
serve_duration(double secs, char *buf, size_t len)
{
	long m = secs > 0 && secs < 1e10 ? (long)(secs / 60) : 0, h = m / 60, d = h / 24;

	if (m == 0)
		snprintf(buf, len, "under a minute");
	else if (h == 0)
		snprintf(buf, len, "%ld minute%s", m, m == 1 ? "" : "s");
	else if (d == 0)
		snprintf(buf, len, "%ld hour%s %ld min", h, h == 1 ? "" : "s", m % 60);
	else
		snprintf(buf, len, "%ld day%s %ld hour%s", d, d == 1 ? "" : "s", h % 24,
		    h % 24 == 1 ? "" : "s");
}

/* "London (eu-west-2)", or the code alone. */
int
serve_region_name(struct mcp_buf *b, const char *code)
{
	const char *city = serve_city(code);
	int rc = mcp_buf_adds(b, "<span class=\"nw\">");

	if (city != NULL)
		rc |= serve_esc(b, city) | mcp_buf_adds(b, " (");
	rc |= serve_esc(b, code);
	if (city != NULL)
		rc |= mcp_buf_addc(b, ')');
	return rc | mcp_buf_adds(b, "</span>");
}

/* The same as text alone, for a title. */
int
serve_region_text(struct mcp_buf *b, const char *code)
{
	const char *city = serve_city(code);

	if (city == NULL)
		return serve_esc(b, code);
	return serve_esc(b, city) | mcp_buf_adds(b, " (") | serve_esc(b, code) |
	    mcp_buf_addc(b, ')');
}

/*
 * s made visible into buf: each character a reader would not see (a tag
 * character, a bidirectional control, a zero-width one: lib/text.h)
 * written as its escape, "\u{E0049}", a byte of no character as "\xNN",
 * so that a server's text shows what hides in it and hides nothing; at
 * most max bytes of s, an ellipsis after a cut.  buf holds 16 times max
 * for s to be cut at max rather than at buf's end.  The page's excerpts
 * and /mcp's quoted text are written by it.
 */
void
serve_visible(char *buf, size_t len, const char *s, size_t max)
{
	size_t u = 0, n, seen = 0;
	unsigned long cp;
	int bad;

	for (buf[0] = '\0'; s != NULL && *s != '\0' && u + 16 < len; s += n, seen += n) {
		n = mcp_text_char(s, &bad);
		if (seen + n > max) {
			snprintf(buf + u, len - u, "\xe2\x80\xa6");
			return;
		}
		if (!bad)
			memcpy(buf + u, s, n), u += n;
		else if (mcp_utf8_decode(s, n, &cp) == n)
			u += (size_t)snprintf(buf + u, len - u, "\\u{%04lX}", cp);
		else
			u += (size_t)snprintf(buf + u, len - u, "\\x%02X", (unsigned char)*s);
		buf[u] = '\0';
	}
}
