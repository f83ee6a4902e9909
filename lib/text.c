/*
 * text.c - what of a server's text a reader would not see as text (text.h).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>

#include "json.h"
#include "text.h"

/*
 * 1 for each character the rules count hidden (toolset/scanrules.c,
 * hidden(): MCPU-P001, P002, P003, P006) but the variation selectors,
 * which emoji use: C0 (tab, LF and CR too), DEL, C1, U+2028/9; the
 * bidirectional controls (U+061C, U+200E/F, U+202A-E, U+2066-9); the
 * invisible ones (U+00AD, U+034F, U+115F, U+1160, U+17B4, U+17B5,
 * U+180B-F, U+200B-D, U+2060-4, U+3164, U+FEFF, U+FFA0, U+FFF9-B: the
 * joiners inside an emoji's sequence too, as anywhere); the tag
 * characters U+E0000-U+E007F.
 */
static int
unsafe_cp(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad || c == 0x34f || c == 0x61c ||
	    c == 0x115f || c == 0x1160 || c == 0x17b4 || c == 0x17b5 ||
	    (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069 && c != 0x2065) ||
	    c == 0x3164 || c == 0xfeff || c == 0xffa0 || (c >= 0xfff9 && c <= 0xfffb) ||
	    (c >= 0xe0000 && c <= 0xe007f);
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
