/*
 * text.c - what of a server's text a reader would not see as text (text.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>

#include "json.h"
#include "text.h"

/* The default-ignorable code points (build-aux/mkfold, from ICU at build time). */
#include "ignorable.h"

int
mcp_text_in_ranges(const uint32_t (*r)[2], size_t n, unsigned long c)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c < r[mid][0])
			hi = mid;
		else if (c > r[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

enum mcp_hidden
mcp_text_hidden(unsigned long c)
{
	if (c >= 0xE0000 && c <= 0xE007F)
		return MCP_HIDDEN_TAG;
	if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	    (c >= 0x2066 && c <= 0x2069))
		return MCP_HIDDEN_BIDI;
	if ((c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF))
		return MCP_HIDDEN_VS;
	if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F) ||
	    c == 0x2028 || c == 0x2029)
		return MCP_HIDDEN_CTRL;
	/*
	 * Every other code point Unicode says a reader does not see
	 * (Default_Ignorable_Code_Point: the zero-widths, the Hangul fillers,
	 * U+034F, U+2065 to U+206F ...), and the interlinear annotation
	 * characters, which hide text the same way.
	 */
	if (mcp_text_in_ranges(mcp_ignorable, MCP_IGNORABLE_N, c) || (c >= 0xFFF9 && c <= 0xFFFB))
		return MCP_HIDDEN_ZW;
	return MCP_HIDDEN_NONE;
}

/*
 * Unsafe: each character the rules count hidden but the variation
 * selectors, which emoji use, and tab, LF and CR besides (a line break
 * in a line); the joiners inside an emoji's sequence too, as anywhere.
 */
static int
unsafe_cp(unsigned long c)
{
	enum mcp_hidden k = mcp_text_hidden(c);

	return c < 0x20 || (k != MCP_HIDDEN_NONE && k != MCP_HIDDEN_VS);
}

/*
 * A byte that begins no character (a sequence cut short, overlong, a
 * surrogate, past U+10FFFF) is one of 1 byte, unsafe.
 */
size_t
mcp_text_char(const char *s, int *unsafe)
{
	unsigned long c;
	size_t n = mcp_utf8_decode(s, strnlen(s, 4), &c);

	if (n == 0) {
		*unsafe = 1;
		return 1;
	}
	*unsafe = unsafe_cp(c);
	return n;
}

void
mcp_text_scrub(char *s, const char *const *secrets, int n)
{
	size_t k;
	char *t;
	int i;

	for (i = 0; s != NULL && i < n; i++) {
		if (secrets[i] == NULL || (k = strlen(secrets[i])) < MCP_SECRET_MIN)
			continue;
		for (t = s; (t = strstr(t, secrets[i])) != NULL; t += k)
			memset(t, '*', k);
	}
}
