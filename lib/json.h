/*
 * json.h - JSON text from cJSON trees: compact record output and RFC 8785
 * canonical form (JCS), plus the I-JSON checks (hashing is in hash.h).
 *
 * cJSON is used for parsing only; its printer is lossy (numbers) and not
 * canonical, so every byte the suite prints or hashes comes from here.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_JSON_H
#define MCP_JSON_H

#include <stddef.h>

#include <cJSON.h>

#include "buf.h"

/*
 * Write v compactly, members in insertion order, numbers in ECMAScript
 * Number::toString form (the JCS number rule).  Non-finite numbers fail.
 * A byte of a string that is not UTF-8 is written as U+FFFD: the output
 * is always UTF-8.
 * Returns 0, or -1 with a reason in err.
 */
int mcp_json_write(struct mcp_buf *out, const cJSON *v, char *err, size_t errlen);

/*
 * Write v in RFC 8785 canonical form: members sorted by UTF-16 code units,
 * recursively; strings escaped per JCS; ES numbers.  Fails (-1, reason in
 * err) on anything that is not I-JSON: duplicate member names, invalid
 * UTF-8 (lone surrogates included), non-finite numbers.
 */
int mcp_jcs_write(struct mcp_buf *out, const cJSON *v, char *err, size_t errlen);

/* The I-JSON checks alone, over a whole tree. */
int mcp_ijson_check(const cJSON *v, char *err, size_t errlen);

/*
 * Pieces for writing a record member by member, without a tree: a JSON
 * string of s (escaped as JCS does), and a number (as mcp_json_number).
 * 0, or -1 when memory ran out.
 */
int mcp_json_string(struct mcp_buf *out, const char *s);
/* The same in ASCII: every other character \uXXXX (a surrogate pair past U+FFFF). */
int mcp_json_string_ascii(struct mcp_buf *out, const char *s);
int mcp_json_addnum(struct mcp_buf *out, double d);

/*
 * Parse the n bytes of JSON text at s (a NUL need not follow) into a tree
 * (owned by the caller), refusing what cJSON would get wrong silently: a
 * string holding U+0000 (cJSON cuts the string there, so a hash or a name
 * check would not see past it), a number outside the double range (cJSON
 * makes it infinite), and nesting past MCP_JSON_DEPTH (said as such, not
 * as malformed).  NULL with the reason in *why (a static string).
 */
#define MCP_JSON_DEPTH 1000
cJSON *mcp_json_parse(const char *s, size_t n, const char **why);

/* ECMAScript Number::toString of d into buf (at least 32 bytes); -1 if not finite. */
int mcp_json_number(double d, char *buf, size_t len);

/*
 * Values named in error messages.  mcp_json_quoted: s as a JSON string,
 * so that no byte of it (a control character, invalid UTF-8) reaches a
 * terminal or a log as it is, cut to its first MCP_SHOWN_MAX bytes on a
 * character boundary and followed by "..." when longer; "?" quoted when
 * it does not fit in buf (MCP_QUOTED_MAX always does).  mcp_json_num_text:
 * d short, as records write it (1e+308, not its 309 digits).
 */
#define MCP_SHOWN_MAX 100
#define MCP_QUOTED_MAX (6 * MCP_SHOWN_MAX + 8)
const char *mcp_json_quoted(char *buf, size_t len, const char *s);
const char *mcp_json_num_text(char *buf, size_t len, double d);

/*
 * The member key of obj as a bounded count: absent or null (*out = -1),
 * or a number from 0 to max.  0, or -1 with "KEY: not a number or null"
 * or "KEY N: out of range (0 to MAX)" in err.
 */
int mcp_json_bounded(
    const cJSON *obj, const char *key, double max, double *out, char *err, size_t len);

/*
 * The member key of obj as a time in whole epoch seconds (a certificate's
 * notAfter): absent or null (*out = -1), or a whole number from 0 to
 * MCP_TIME_MAX (9999-12-31T23:59:59Z).  0, or -1 with "KEY: not a number
 * or null", "KEY N: out of range (0 to 253402300799)" or "KEY N: not
 * whole seconds" in err.
 */
#define MCP_TIME_MAX 253402300799.0
int mcp_json_time(const cJSON *obj, const char *key, double *out, char *err, size_t len);

/* Compare two UTF-8 strings by UTF-16 code units (<0, 0, >0). */
/* Member k of object o: its string, else dflt; its number, else 0. */
const char *mcp_json_str(const cJSON *o, const char *k, const char *dflt);
double mcp_json_num(const cJSON *o, const char *k);

int mcp_utf16_cmp(const char *a, const char *b);

/* 1 when the len bytes at s are valid UTF-8 (no surrogates, no overlongs). */
int mcp_utf8_valid(const char *s, size_t len);

/*
 * The length (1-4) of the UTF-8 character that starts the n bytes at s,
 * its code point in *cp; 0 when they start none (as mcp_utf8_valid).
 */
size_t mcp_utf8_decode(const char *s, size_t n, unsigned long *cp);
/* The UTF-8 of code point cp (at most U+10FFFF) into out (4 bytes): its length. */
size_t mcp_utf8_encode(unsigned long cp, char *out);

#endif
