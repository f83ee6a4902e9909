/*
 * posttext.c - the text of a post, which its author wrote and the store
 * holds (both read as hostile), as HTML or as XML text: every byte
 * escaped, never markup; UTF-8 kept and anything else (invalid bytes,
 * control characters, what XML 1.0 excludes, noncharacters) replaced; lines kept; and in HTML each http or
 * https URL made a link.  The caller isolates it (<bdi>), so that its
 * bidi controls reorder nothing around it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>

#include "json.h"
#include "notices.h"

#define URL_MAX 2000

/* The bytes a URL in text may hold: printable ASCII but blanks, quotes and <>\^`{|}. */
static size_t
url_span(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < URL_MAX; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    strchr("\"'<>\\^`{|}", s[i]) != NULL)
			break;
	/* Punctuation that ends a sentence ends the URL; a ')' without its '(' too. */
	while (i > 0 &&
	    (strchr(".,;:!?", s[i - 1]) != NULL || (s[i - 1] == ')' && memchr(s, '(', i) == NULL)))
		i--;
	return i;
}

/* The length of an http(s) URL at s[0] (after a non-word byte), or 0. */
static size_t
url_at(const char *s, size_t n, int after_word)
{
	size_t k;

	if (after_word)
		return 0;
	if (n > 8 && strncmp(s, "https://", 8) == 0)
		k = 8;
	else if (n > 7 && strncmp(s, "http://", 7) == 0)
		k = 7;
	else
		return 0;
	/* Something after the scheme: a host. */
	return url_span(s, n) > k ? url_span(s, n) : 0;
}

/* One character escaped: markup never, replaced when it is not text. */
static int
esc_char(struct mcp_buf *b, const char *s, size_t k, unsigned long cp, int links)
{
	/* Tab and CR too: a post's lines end in LF alone. */
	if (k == 0 || (cp < 0x20 && cp != '\n') || !serve_text_char(cp))
		return mcp_buf_adds(b, SERVE_REPLACEMENT);
	switch (cp) {
	case '&':
		return mcp_buf_adds(b, "&amp;");
	case '<':
		return mcp_buf_adds(b, "&lt;");
	case '>':
		return mcp_buf_adds(b, "&gt;");
	case '"':
		return mcp_buf_adds(b, "&quot;");
	case '\'':
		return mcp_buf_adds(b, "&#39;");
	case '\n':
		return mcp_buf_adds(b, links ? "<br>" : "\n");
	default:
		return mcp_buf_add(b, s, k);
	}
}

int
serve_post_text(struct mcp_buf *b, const char *s, size_t max, int links)
{
	size_t n = strlen(s), i, k, u;
	unsigned long cp;
	int rc = 0, word = 0;

	if (n > max) {
		/* Cut on a character's boundary. */
		for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
			;
	}
	for (i = 0; i < n && rc == 0; i += k) {
		if (links && (u = url_at(s + i, n - i, word)) > 0) {
			rc |= mcp_buf_adds(b, "<a href=\"");
			for (k = 0; k < u; k++)
				rc |= esc_char(b, s + i + k, 1, (unsigned char)s[i + k], 0);
			rc |= mcp_buf_adds(b, "\" rel=\"nofollow noopener noreferrer ugc\">");
			for (k = 0; k < u; k++)
				rc |= esc_char(b, s + i + k, 1, (unsigned char)s[i + k], 0);
			rc |= mcp_buf_adds(b, "</a>");
			k = u;
			word = 1;
			continue;
		}
		k = mcp_utf8_decode(s + i, n - i, &cp);
		rc |= esc_char(b, s + i, k, cp, links);
		if (k == 0)
			k = 1;
		word = (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= 'a' && cp <= 'z') || cp == '_' || cp == '/' || cp >= 0x80;
	}
	return rc;
}
