/*
 * chattext.c - a text of the record said in a chat service's markup
 * (chat.c): on one line, cut to a number of characters and of bytes, its
 * markup escaped, its mentions made plain text.  Pure: no I/O.
 *
 * Every text of a record may be a monitored server's (a tool's name, an
 * error's words), so none is trusted to be text.  What a reader would not
 * see as text (mcp_text_char: controls, newlines, bidirectional and
 * invisible characters) is a space: no line of it starts a heading, a
 * list or a quote.  An "@" is U+FF20 FULLWIDTH COMMERCIAL AT, which no
 * service reads as a mention (@everyone, @here, @channel, @all,
 * @**all**, @room, @username), whatever the service's own switches; a
 * "<" of Google Chat's <users/all> is escaped as HTML, the markup of its
 * cards.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "chat.h"
#include "text.h"

#define AT_PLAIN "\xef\xbc\xa0" /* U+FF20 */
#define ZWSP "\xe2\x80\x8b"     /* U+200B: breaks Adaptive Cards' {{DATE(...)}} */
#define ELLIPSIS "\xe2\x80\xa6"

/* The ASCII characters each markup escapes with a backslash. */
static const char *const md_set[] = {
    /* Discord: simple-markdown escapes any punctuation; these are its markup. */
    [CHAT_DISCORD] = "\\`*_~|>#-[]()<:",
    /* CommonMark (Mattermost, Rocket.Chat): any ASCII punctuation. */
    [CHAT_COMMONMARK] = "\\`*_~|>#-+.![](){}<&:",
    /* Python-Markdown's escapable characters, which Zulip's renderer keeps. */
    [CHAT_ZULIP] = "\\`*_{}[]()>#+-.!",
};

/* What c (one character, n bytes) is, escaped for m, into tmp: its length. */
static size_t
escape(enum chat_markup m, const char *c, size_t n, char *tmp)
{
	if (n == 1 && *c == '@') {
		memcpy(tmp, AT_PLAIN, 3);
		return 3;
	}
	if (m == CHAT_HTML && n == 1 && strchr("&<>\"", *c) != NULL) {
		const char *e = *c == '&' ? "&amp;"
		    : *c == '<'           ? "&lt;"
		    : *c == '>'           ? "&gt;"
		                          : "&quot;";

		memcpy(tmp, e, strlen(e));
		return strlen(e);
	}
	if (m == CHAT_TEAMS && n == 1 && *c == '{') {
		memcpy(tmp, "{" ZWSP, 4);
		return 4;
	}
	if (m >= CHAT_DISCORD && m <= CHAT_ZULIP && n == 1 && *c != '\0' &&
	    strchr(md_set[m], *c) != NULL) {
		tmp[0] = '\\', tmp[1] = *c;
		return 2;
	}
	memcpy(tmp, c, n);
	return n;
}

/* The units and bytes of s said in m: into *units and *nbytes. */
static void
measure(const char *s, enum chat_markup m, size_t *units, size_t *nbytes)
{
	size_t n;
	char tmp[8];
	int bad;

	*units = *nbytes = 0;
	for (; *s != '\0'; s += n) {
		n = mcp_text_char(s, &bad);
		*nbytes += bad ? 1 : escape(m, s, n, tmp);
		*units += n == 4 ? 2 : 1;
	}
}

size_t
chat_text(struct mcp_buf *b, const char *s, size_t units, size_t bytes, enum chat_markup m)
{
	size_t used = 0, nb = 0, n, k, u, tu, tb;
	char tmp[8];
	int bad, cut;

	measure(s, m, &tu, &tb);
	/* Cut, it ends in an ellipsis (one unit, three bytes) that must fit too. */
	if ((cut = tu > units || tb > bytes))
		units -= 1, bytes -= 3;
	for (; *s != '\0'; s += n) {
		n = mcp_text_char(s, &bad);
		k = bad ? 1 : escape(m, s, n, tmp);
		if (bad)
			tmp[0] = ' ';
		/* A character past the BMP is two UTF-16 units, as Discord and Telegram count. */
		u = n == 4 ? 2 : 1;
		if (used + u > units || nb + k > bytes)
			break;
		mcp_buf_add(b, tmp, k);
		used += u, nb += k;
	}
	if (cut)
		mcp_buf_adds(b, ELLIPSIS), used++;
	return used;
}

void
chat_duration(char *buf, size_t len, double secs)
{
	long s = secs > 0 && secs < 1e9 ? (long)secs : 0;

	if (s >= 86400)
		snprintf(buf, len, "%ldd %ldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%ldh %ldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%ldm %lds", s / 60, s % 60);
	else
		snprintf(buf, len, "%lds", s);
}

/*
 * The summary past the slug it starts with ("SLUG: what", "SLUG recovered
 * ..."), or the whole of it: the header says the slug already.
 */
const char *
alert_past_slug(const char *sum, const char *slug)
{
	size_t n = strlen(slug);

	if (n == 0 || strncmp(sum, slug, n) != 0)
		return sum;
	if (sum[n] == ':' && sum[n + 1] == ' ')
		return sum + n + 2;
	return sum[n] == ' ' ? sum + n + 1 : sum;
}
