/*
 * text.h - a server's text said on a terminal or in a message: what a
 * reader would not see as text (C0 and C1 controls, DEL, the line and
 * paragraph separators, the bidirectional embeddings, overrides, isolates
 * and marks, the zero-width and other invisible characters, the tag
 * characters: every one the rules count hidden but the variation
 * selectors, text.c; a byte of no UTF-8 character) found, a character at a time,
 * for the caller to replace (mcp-alert's summaries: "?") or escape
 * (mcp-aggregate tools: \xNN).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_TEXT_H
#define MCP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The characters a reader would not see, by kind (mcp-rules(7): the tag
 * characters U+E0000-E007F; the bidirectional controls U+061C, U+200E/F,
 * U+202A-E, U+2066-9; the variation selectors U+FE00-F, U+E0100-E01EF;
 * the invisible ones, every other Default_Ignorable_Code_Point of
 * Unicode's data (build-aux/mkfold) and U+FFF9-B; the controls, C0 but
 * tab, LF and CR, DEL, C1, U+2028/9).  The rules read
 * them (toolset/scanrules.c), mcp_text_char() escapes them.
 */
enum mcp_hidden {
	MCP_HIDDEN_NONE,
	MCP_HIDDEN_TAG,
	MCP_HIDDEN_BIDI,
	MCP_HIDDEN_VS,
	MCP_HIDDEN_ZW,
	MCP_HIDDEN_CTRL
};
enum mcp_hidden mcp_text_hidden(unsigned long c);
/* 1 when c is in one of the n sorted ranges r ({first, last}), else 0. */
int mcp_text_in_ranges(const uint32_t (*r)[2], size_t n, unsigned long c);

/*
 * The length of the character at s, a NUL-terminated string not empty:
 * its UTF-8 sequence, or 1 for a byte that begins none.  *unsafe is set
 * to 1 when it is one a reader would not see as text (above), else 0.
 */
size_t mcp_text_char(const char *s, int *unsafe);

/*
 * Every copy in s of each of the n secrets (NULL or shorter than
 * MCP_SECRET_MIN bytes: none) overwritten with '*', in place: before any
 * cut, so that no secret is ever left in part.
 */
#define MCP_SECRET_MIN 4
void mcp_text_scrub(char *s, const char *const *secrets, int n);

#endif
