/*
 * text.c - what of a server's text a reader would not see as text (text.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "text.h"

/*
 * 1 for C0, DEL, C1, U+2028/9, the bidirectional controls (U+061C,
 * U+200E/F, U+202A-E, U+2066-9), the invisible ones (U+180E, U+200B-D,
 * U+2060-4, U+FEFF, the tag characters U+E0000-U+E007F), or a
 * stray byte.
 */
static int
unsafe_char(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] == 0x7f || s[0] >= 0x80;
	if (n == 2)
		return (s[0] == 0xc2 && s[1] < 0xa0) || (s[0] == 0xd8 && s[1] == 0x9c);
	if (n == 4)
		return s[0] == 0xf3 && s[1] == 0xa0 && (s[2] == 0x80 || s[2] == 0x81);
	if (s[0] == 0xe1)
		return s[1] == 0xa0 && s[2] == 0x8e;
	if (s[0] == 0xef)
		return s[1] == 0xbb && s[2] == 0xbf;
	return s[0] == 0xe2 &&
	    ((s[1] == 0x80 && ((s[2] >= 0x8b && s[2] <= 0x8f) || (s[2] >= 0xa8 && s[2] <= 0xae))) ||
	        (s[1] == 0x81 && s[2] >= 0xa0 && s[2] <= 0xa9 && s[2] != 0xa5));
}

size_t
mcp_text_char(const char *str, int *unsafe)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 1, i;

	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80) {
			n = 1;
			break;
		}
	*unsafe = unsafe_char(s, n);
	return n;
}
