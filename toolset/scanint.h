/*
 * scanint.h - what scan.c (the walk, the findings) and scanrules.c (the
 * rules read in one string) share inside the room.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_SCANINT_H
#define MCP_SCANINT_H

#include <stdint.h>

#include "toolset.h"

/* The rules, in the order of mcp_scan_rules[]. */
enum {
	R_TAG,
	R_ZW,
	R_BIDI,
	R_VS,
	R_CONFUSE,
	R_CTRL,
	R_IGNORE,
	R_HIDE,
	R_FILES,
	R_CONVO,
	R_SEND,
	R_PREFER,
	R_AUTH,
	R_LONG,
	R_NAMED,
	R_REFUSED,
	R_ORDER,
	R_REWRITE,
	R_THREAT,
	R_SECRETS,
	R_ADDRESS,
	R_DESTROY,
	R_RANK,
	R_RIVAL,
	R_PROSE,
	R_STEER,
	R_N
};

/*
 * Where a string is: the item and the pointer in it; name: 1 a name the
 * server chose (an item's, a property's: read for confusable letters
 * too), 2 another member's name, 0 text.
 */
struct scan_at {
	const char *list;
	const char *item;
	const char *pointer;
	int name;
};

/* One finding of rule r at s (start..end bytes of the string text). */
int scan_add(struct mcp_scan *s, int r, const struct scan_at *at, const char *text, size_t start,
    size_t end);

/*
 * intent.c: the rules of intent (those not in found, a bit a rule) read
 * in the normal form t[0..n) of text (t[n] the 0x03 after it), map[i]
 * the text's byte of t[i].  The rules of again (found, each match one a
 * shape may lower) read again in each sentence that begins past them, a
 * finding of theirs marked again (kept only if no shape lowers it).
 * 0 or -1.
 */
struct relook {
	unsigned long rules; /* a bit a rule */
	size_t past;         /* the text's byte after the last of their matches */
};
int intent_found(struct mcp_scan *s, const struct scan_at *at, const char *text, const char *t,
    const uint32_t *map, size_t n, unsigned long found, const struct relook *again);

/* A finding read before, kept again in s (its count, its rule's bit): 0 or -1. */
int scan_keep(struct mcp_scan *s, const struct mcp_finding *f);
/* An item's description's length, kept for mcp_scan_finish: 0 or -1. */
int scan_len(struct mcp_scan *s, const char *list, const char *item, size_t len);

/*
 * scancache.c: what an item gave, kept by its kind k and whole text (len
 * bytes, as cJSON prints it).  scan_cache_get gives it again to s: 1, 0
 * when it is not kept, -1 out of memory.  scan_cache_put keeps what s
 * gained since mark m under a copy of the key.
 */
struct scan_mark {
	size_t n, more, nnames, nlen, bytes, nmention;
};
int scan_cache_get(struct mcp_scan *s, int k, const char *text, size_t len);
/* 1 when items are kept (mcp_scan_cache). */
int scan_cache_on(void);
/*
 * The key of item v (its members at depth, to SCAN_DEPTH_MAX) onto b:
 * what the walk of scan.c reads and where, each value not read by its
 * type alone.  0 or -1.
 */
#define SCAN_DEPTH_MAX 32
struct mcp_buf;
int scan_cache_key(struct mcp_buf *b, const cJSON *v, int depth);
void scan_cache_put(
    const struct mcp_scan *s, int k, const char *key, size_t len, const struct scan_mark *m);

/* Read one string (len bytes, then a NUL: text[len] is 0) by every rule of one string.  0 or -1. */
int scan_string(struct mcp_scan *s, const struct scan_at *at, const char *text, size_t len);

/*
 * text[start..end) into out (size bytes), every character a reader would
 * not see written \u{XXXX}, a backslash doubled, cut at a whole escape.
 */
void scan_excerpt(char *out, size_t size, const char *text, size_t len, size_t start, size_t end);

/* s into dst (size bytes), cut before a character that does not fit whole. */
void scan_cut(char *dst, size_t size, const char *s);

/*
 * shape.c: the shapes in which honest words fire a rule (mcp-rules(7),
 * FALSE POSITIVES).  shape_note judges finding f of rule r at
 * text[start..end) on its clause (SHAPE_LOW: low whatever the list;
 * SHAPE_OWN: low if the names it keeps in f->own are the list's own);
 * SHAPE_SETUP: low if those names are its list's and another item of
 * the list names the finding's own);
 * shape_name keeps an item's name (name "") or one of its parameters'
 * (0, or -1 out of memory); shape_lower, at mcp_scan_finish, lowers each
 * finding whose shape holds and whose item has no other finding above
 * low, and forgets the names.
 */
enum { SHAPE_NONE, SHAPE_OWN, SHAPE_LOW, SHAPE_SETUP };
/* FNV-1a, 32 bits: intent.c's words, and the names shape_mention keeps. */
#define FNV_INIT 2166136261U
#define FNV_PRIME 16777619U
void shape_note(struct mcp_finding *f, int r, const char *text, size_t start, size_t end);
/*
 * shape_own: finding f (of intent.c) is low when the name (n bytes) and
 * those given before are its list's, a tool's or a parameter's; a NULL
 * name forgets them, and the shape.  -1 when it does not fit.
 */
int shape_own(struct mcp_finding *f, const char *name, size_t n);
/* 1 when an item's name holds one of words (NULL-ended), case aside. */
int shape_named(const char *item, const char *const *words);
/* 1 when an item's name says it destroys (delete_x, wipeLogs): its own destruction, then. */
int shape_destroys(const char *item);
int shape_destroys_n(const char *name, size_t n); /* name[0..n), not a C string */
int shape_destroy_word(const char *w);            /* a word of them, whole: 4 to 9 letters */
/* The mark of a value of an item's enum that destroys ("clear"), kept by shape_name as "\3clear". */
#define SHAPE_OP 3
int shape_reads(const char *item);
int shape_name(struct mcp_scan *s, const char *list, const char *item, const char *name);
/*
 * shape_mention: the item at names a tool in a sentence of its text (a
 * name intent.c reads as one, h the FNV-1a hash of its bytes in the
 * normal form), SHAPE_SETUP's witness; shape_mention_add keeps one as made
 * (scancache.c).  0, or -1 out of memory.
 */
int shape_mention(struct mcp_scan *s, const struct scan_at *at, unsigned h);
int shape_mention_add(struct mcp_scan *s, uint64_t e);
void shape_lower(struct mcp_scan *s);

#endif
