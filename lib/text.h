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

/*
 * The length of the character at s, a NUL-terminated string not empty:
 * its UTF-8 sequence, or 1 for a byte that begins none.  *unsafe is set
 * to 1 when it is one a reader would not see as text (above), else 0.
 */
size_t mcp_text_char(const char *s, int *unsafe);

#endif
