/*
 * diffint.h - what the diff's files share, no more: diff.c (the merge by
 * key), schema.c (the schema walk), class.c (the classes) and words.c
 * (the words).  Not for callers: they include toolset.h.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_DIFFINT_H
#define MCP_DIFFINT_H

#include <stddef.h>

#include "buf.h"
#include "toolset.h"

#define MAX_DEPTH 32    /* nesting of schemas walked; past it, compared whole */
#define TEXT_MAX 240    /* a summary's "text" */
#define ABSENT "absent" /* the before or after of a member that is not there */
#define REF_MAX 64      /* local $refs followed in one item's schemas; past it, compared whole */
#define REF_HOPS 8      /* a $ref to a $ref to ...: followed so far */

/* A member of an object, or an item of a list, by its key. */
struct ent {
	const char *key;
	const cJSON *v;
	size_t pos;
};

/* An object's members (or a list's items) sorted by key, the first of each key kept. */
struct ents {
	struct ent *e;
	size_t n;
};

/* What a schema's change means, before it is classed for inputs or outputs. */
enum ev {
	EV_ADDED_REQ,
	EV_ADDED_OPT,
	EV_REMOVED,
	EV_TYPE,       /* a type changed, neither wider nor narrower */
	EV_TYPE_WIDER, /* a type union grew */
	EV_NARROWED,   /* fewer values accepted: a type union shrunk, a bound tightened */
	EV_WIDENED,    /* more values accepted */
	EV_ENUM_REMOVED,
	EV_ENUM_ADDED,
	EV_REQUIRED_ADDED,
	EV_REQUIRED_REMOVED,
	EV_DESCRIPTION,
	EV_TITLE,
	EV_OTHER, /* a keyword this diff does not read: anyOf, $ref, format... */
	EV_MINOR, /* a keyword that accepts nothing more or less: default, examples */
	EV_N
};

enum mode { IN, OUT };

struct ctx {
	struct mcp_diff *d;
	int oom;
	enum mode mode;
	char item[MCP_CH_NAME_MAX + 1];     /* the item the changes are about */
	struct mcp_buf a, b;                /* scratch for canonical texts */
	const cJSON *root[2];               /* the schemas a local $ref points in: from, to */
	const cJSON *ref[2][MAX_DEPTH + 4]; /* the $ref targets being walked, each side */
	size_t nref[2];
	size_t refs; /* $refs followed in this item's schemas */
};

/* What a walk of two objects' members calls for each name: a, b NULL when absent. */
struct walk {
	struct ctx *c;
	const char *path;
	const struct ents *sa, *sb; /* the members of both, sorted, for a look at a neighbour */
	int depth;
};
typedef void member_fn(const struct walk *w, const char *name, const cJSON *a, const cJSON *b);

/* diff.c: text, bounded */
void td_cut(char *dst, size_t size, const char *s);
int td_canon(struct ctx *c, const cJSON *v, struct mcp_buf *out);
int td_same(struct ctx *c, const cJSON *a, const cJSON *b);
void td_vtext(struct ctx *c, char *dst, size_t size, const cJSON *v);
void td_kwtext(struct ctx *c, char *dst, size_t size, const char *kw, const cJSON *v);
void td_subpath(char *dst, size_t size, const char *path, const char *name);
void td_cut_name(char *dst, size_t size, const char *s);
void td_values(struct ctx *c, char *before, char *after, const cJSON *a, const cJSON *b);

/* diff.c: members sorted by key */
int td_ents_of(struct ctx *c, const cJSON *obj, const char *key, struct ents *s);
const cJSON *td_ents_get(const struct ents *s, const char *k);
int td_ents_over(struct ctx *c, const cJSON *obj, const cJSON *under, struct ents *s);
void td_walk_ents(struct ctx *c, const struct ents *sa, const struct ents *sb, const char *path,
    int depth, member_fn *fn);
int td_strs_of(struct ctx *c, const cJSON *v, struct ents *s);
void td_walk_members(
    struct ctx *c, const cJSON *a, const cJSON *b, const char *path, int depth, member_fn *fn);

/* class.c */
void td_emit(struct ctx *c, enum mcp_change_class cls, const char *kind, const char *to,
    const char *path, const char *before, const char *after, int inferred, int security);
void td_emit_ev(struct ctx *c, enum ev e, const char *path, const char *before, const char *after);
void td_annotations(struct ctx *c, const cJSON *a, const cJSON *b);
void td_arguments(struct ctx *c, const cJSON *a, const cJSON *b);
void td_execution(struct ctx *c, const cJSON *a, const cJSON *b);

/* schema.c: two schemas at path (an input's or an output's, as c->mode says). */
void td_schema(struct ctx *c, const char *path, const cJSON *a, const cJSON *b, int depth);
/* The roots of two schemas about to be walked: what their local $refs point in. */
void td_schema_roots(struct ctx *c, const cJSON *a, const cJSON *b);

#endif
