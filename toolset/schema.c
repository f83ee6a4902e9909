/*
 * schema.c - the schema walk: two JSON Schemas (a tool's input or output
 * schema) compared keyword by keyword, each difference said as what it
 * means to whoever sends or reads the values (an enum ev) for class.c to
 * class.  The walk stops at MAX_DEPTH; past it, schemas compare whole.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffint.h"

/* ---- schemas ------------------------------------------------------------------- */

/* The JSON Schema types as bits; absent is every type. */
enum {
	T_STRING = 1,
	T_NUMBER = 2,
	T_INTEGER = 4,
	T_BOOLEAN = 8,
	T_OBJECT = 16,
	T_ARRAY = 32,
	T_NULL = 64,
	T_OTHER = 128,
	T_ANY = 255
};

static unsigned
type_bit(const cJSON *v)
{
	static const char *names[] = {
	    "string", "number", "integer", "boolean", "object", "array", "null"};
	size_t i;

	if (!cJSON_IsString(v))
		return T_OTHER;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(v->valuestring, names[i]) == 0)
			return 1u << i;
	return T_OTHER;
}

/* The types v accepts; a number accepts the integers too. */
static unsigned
type_mask(const cJSON *v)
{
	const cJSON *m;
	unsigned t = 0;

	if (v == NULL)
		return T_ANY;
	if (cJSON_IsArray(v))
		for (m = v->child; m != NULL; m = m->next)
			t |= type_bit(m);
	else
		t = type_bit(v);
	return t & T_NUMBER ? t | T_INTEGER : t;
}

/* A type as a change shows it: "string", "string|null", "any". */
static void
type_text(struct ctx *c, char *dst, size_t size, const cJSON *v)
{
	struct mcp_buf b = {0};
	const cJSON *m;

	if (v == NULL || !cJSON_IsArray(v)) {
		if (v == NULL)
			td_cut(dst, size, "any");
		else
			td_vtext(c, dst, size, v);
		return;
	}
	b.max = size * 2;
	for (m = v->child; m != NULL && b.len < size; m = m->next) {
		if ((m != v->child && mcp_buf_addc(&b, '|') == -1) ||
		    mcp_buf_adds(&b, cJSON_IsString(m) ? m->valuestring : "?") == -1)
			break;
	}
	td_cut(dst, size, b.p ? b.p : "");
	mcp_buf_free(&b);
}

static void
diff_type(struct ctx *c, const char *path, const cJSON *a, const cJSON *b)
{
	unsigned ta = type_mask(a), tb = type_mask(b);
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	enum ev e;

	if (ta == tb && !(ta & T_OTHER))
		return;
	if (ta == tb && td_same(c, a, b))
		return;
	if ((tb & ~ta) == 0 && !(tb & T_OTHER))
		e = EV_NARROWED;
	else if ((ta & ~tb) == 0 && !(ta & T_OTHER))
		e = EV_TYPE_WIDER;
	else
		e = EV_TYPE;
	type_text(c, before, sizeof(before), a);
	type_text(c, after, sizeof(after), b);
	if (e == EV_NARROWED) {
		/* Said as a type, not a bound: "type string|null to type string". */
		char kb[MCP_CH_VALUE_MAX + 8], ka[MCP_CH_VALUE_MAX + 8];

		snprintf(kb, sizeof(kb), "type %s", before);
		snprintf(ka, sizeof(ka), "type %s", after);
		td_emit_ev(c, e, path, kb, ka); /* cut there, at a whole character */
		return;
	}
	td_emit_ev(c, e, path, before, after);
}

/* A bound: when lower_narrows, a smaller value accepts less (maxLength). */
static void
diff_bound(struct ctx *c, const char *path, const char *kw, const cJSON *a, const cJSON *b,
    int lower_narrows)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	enum ev e;

	if (a != NULL && b != NULL && (!cJSON_IsNumber(a) || !cJSON_IsNumber(b)))
		e = EV_OTHER; /* draft 4's boolean exclusiveMaximum, or worse */
	else if (a == NULL)
		e = EV_NARROWED;
	else if (b == NULL)
		e = EV_WIDENED;
	else if (a->valuedouble == b->valuedouble)
		return;
	else
		e = (b->valuedouble < a->valuedouble) == lower_narrows ? EV_NARROWED : EV_WIDENED;
	td_kwtext(c, before, sizeof(before), kw, a);
	td_kwtext(c, after, sizeof(after), kw, b);
	td_emit_ev(c, e, path, before, after);
}

/* A keyword whose presence narrows (pattern, const): added or changed narrows, removed widens. */
static void
diff_presence(struct ctx *c, const char *path, const char *kw, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];

	td_kwtext(c, before, sizeof(before), kw, a);
	td_kwtext(c, after, sizeof(after), kw, b);
	td_emit_ev(c, b == NULL ? EV_WIDENED : EV_NARROWED, path, before, after);
}

/* How much a flag keyword accepts: additionalProperties true (1), false (0), a schema (-1). */
static int
accepts_more(const cJSON *v, int absent)
{
	if (v == NULL)
		return absent;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	return -1;
}

static void
diff_flag(
    struct ctx *c, const char *path, const char *kw, const cJSON *a, const cJSON *b, int absent)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	int fa = accepts_more(a, absent), fb = accepts_more(b, absent);
	enum ev e;

	if (fa == fb && fa != -1)
		return; /* absent and its default are the same */
	if (fa == 1 && fb != 1)
		e = EV_NARROWED;
	else if (fb == 1 || (fa == 0 && fb == -1))
		e = EV_WIDENED;
	else if (fa == -1 && fb == 0)
		e = EV_NARROWED;
	else
		e = EV_OTHER;
	td_kwtext(c, before, sizeof(before), kw, a);
	td_kwtext(c, after, sizeof(after), kw, b);
	td_emit_ev(c, e, path, before, after);
}

/* uniqueItems: true accepts less; absent is false. */
static void
diff_unique(struct ctx *c, const char *path, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	int ua = cJSON_IsTrue(a), ub = cJSON_IsTrue(b);

	if (ua == ub)
		return;
	td_kwtext(c, before, sizeof(before), "uniqueItems", a);
	td_kwtext(c, after, sizeof(after), "uniqueItems", b);
	td_emit_ev(c, ub ? EV_NARROWED : EV_WIDENED, path, before, after);
}

/* The canonical texts of an enum's values, sorted, owned (free with texts_free). */
struct texts {
	char **v;
	size_t n;
};

static int
text_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void
texts_free(struct texts *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int
texts_of(struct ctx *c, const cJSON *arr, struct texts *t)
{
	const cJSON *m;
	size_t n = 0, i, k = 0;

	t->v = NULL;
	t->n = 0;
	for (m = arr->child; m != NULL; m = m->next)
		n++;
	if (n == 0)
		return 0;
	if ((t->v = calloc(n, sizeof(*t->v))) == NULL)
		return c->oom = 1, -1;
	for (m = arr->child; m != NULL; m = m->next) {
		if (td_canon(c, m, &c->a) == -1 || (t->v[t->n] = strdup(c->a.p)) == NULL) {
			c->oom = 1;
			texts_free(t);
			return -1;
		}
		t->n++;
	}
	qsort(t->v, t->n, sizeof(*t->v), text_cmp);
	for (i = 0; i < t->n; i++) {
		if (k > 0 && strcmp(t->v[k - 1], t->v[i]) == 0)
			free(t->v[i]);
		else
			t->v[k++] = t->v[i];
	}
	t->n = k;
	return 0;
}

static void
diff_enum(struct ctx *c, const char *path, const cJSON *a, const cJSON *b)
{
	struct texts ta, tb;
	size_t i = 0, j = 0;
	int r;

	if (!cJSON_IsArray(a) || !cJSON_IsArray(b)) {
		if (a == NULL || b == NULL)
			diff_presence(c, path, "enum", a, b);
		else if (!td_same(c, a, b))
			td_emit_ev(c, EV_OTHER, path, "enum", "enum");
		return;
	}
	if (texts_of(c, a, &ta) == -1)
		return;
	if (texts_of(c, b, &tb) == -1) {
		texts_free(&ta);
		return;
	}
	while (i < ta.n || j < tb.n) {
		r = i == ta.n ? 1 : j == tb.n ? -1 : strcmp(ta.v[i], tb.v[j]);
		if (r < 0)
			td_emit_ev(c, EV_ENUM_REMOVED, path, ta.v[i++], NULL);
		else if (r > 0)
			td_emit_ev(c, EV_ENUM_ADDED, path, NULL, tb.v[j++]);
		else
			i++, j++;
	}
	texts_free(&ta);
	texts_free(&tb);
}

/* properties, with required: each property added, removed, or compared. */
static void
diff_props(struct ctx *c, const char *path, const struct ents *sa, const struct ents *sb, int depth)
{
	struct ents pa, pb = {0}, rb = {0};
	char sub[MCP_CH_PATH_MAX + 1];
	size_t i = 0, j = 0;
	int r;

	if (td_ents_of(c, td_ents_get(sa, "properties"), NULL, &pa) == -1)
		return;
	if (td_ents_of(c, td_ents_get(sb, "properties"), NULL, &pb) == -1 ||
	    td_strs_of(c, td_ents_get(sb, "required"), &rb) == -1)
		goto out;
	while (!c->oom && (i < pa.n || j < pb.n)) {
		r = i == pa.n ? 1 : j == pb.n ? -1 : strcmp(pa.e[i].key, pb.e[j].key);
		td_subpath(sub, sizeof(sub), path, r <= 0 ? pa.e[i].key : pb.e[j].key);
		if (r < 0) {
			td_emit_ev(c, EV_REMOVED, sub, NULL, NULL);
			i++;
		} else if (r > 0) {
			td_emit_ev(c, td_ents_get(&rb, pb.e[j].key) ? EV_ADDED_REQ : EV_ADDED_OPT,
			    sub, NULL, NULL);
			j++;
		} else {
			td_schema(c, sub, pa.e[i++].v, pb.e[j++].v, depth + 1);
		}
	}
out:
	free(pa.e);
	free(pb.e);
	free(rb.e);
}

/*
 * required: a name that became required is required_added unless its
 * property is new (property_added_required said it); one no longer
 * required is required_removed unless its property is gone.
 */
static void
diff_required(struct ctx *c, const char *path, const struct ents *sa, const struct ents *sb)
{
	const cJSON *pa = td_ents_get(sa, "properties"), *pb = td_ents_get(sb, "properties");
	struct ents ra, rb, na, nb;
	char sub[MCP_CH_PATH_MAX + 1];
	size_t i = 0, j = 0;
	int r;

	na.e = nb.e = ra.e = rb.e = NULL;
	if (td_strs_of(c, td_ents_get(sa, "required"), &ra) == -1 ||
	    td_strs_of(c, td_ents_get(sb, "required"), &rb) == -1 ||
	    td_ents_of(c, pa, NULL, &na) == -1 || td_ents_of(c, pb, NULL, &nb) == -1)
		goto out;
	while (i < ra.n || j < rb.n) {
		r = i == ra.n ? 1 : j == rb.n ? -1 : strcmp(ra.e[i].key, rb.e[j].key);
		if (r == 0) {
			i++, j++;
			continue;
		}
		td_subpath(sub, sizeof(sub), path, r < 0 ? ra.e[i].key : rb.e[j].key);
		if (r < 0) {
			if (!(td_ents_get(&na, ra.e[i].key) && !td_ents_get(&nb, ra.e[i].key)))
				td_emit_ev(c, EV_REQUIRED_REMOVED, sub, NULL, NULL);
			i++;
		} else {
			if (!(td_ents_get(&nb, rb.e[j].key) && !td_ents_get(&na, rb.e[j].key)))
				td_emit_ev(c, EV_REQUIRED_ADDED, sub, NULL, NULL);
			j++;
		}
	}
out:
	free(ra.e);
	free(rb.e);
	free(na.e);
	free(nb.e);
}

/* items: an array's items compared as a schema of their own, at "a[]". */
static void
diff_items(struct ctx *c, const char *path, const cJSON *a, const cJSON *b, int depth)
{
	char sub[MCP_CH_PATH_MAX + 1];

	td_subpath(sub, sizeof(sub), path, "[]");
	if (cJSON_IsObject(a) && cJSON_IsObject(b))
		td_schema(c, sub, a, b, depth + 1);
	else if (a == NULL)
		td_emit_ev(c, EV_NARROWED, sub, "any items", "items of a schema");
	else if (b == NULL)
		td_emit_ev(c, EV_WIDENED, sub, "items of a schema", "any items");
	else if (!td_same(c, a, b))
		td_emit_ev(c, EV_OTHER, sub, "items", "items");
}

/* The keywords read, and how; every other keyword differing is EV_OTHER. */
enum kw {
	KW_TYPE,
	KW_MAX,
	KW_MIN,
	KW_PRESENCE,
	KW_ADDITIONAL,
	KW_UNIQUE,
	KW_ENUM,
	KW_PROPS,
	KW_REQUIRED,
	KW_ITEMS,
	KW_DESCRIPTION,
	KW_TITLE,
	KW_MINOR,
	KW_IGNORE /* no change an agent feels: $schema, and the definitions $refs reach */
};

static const struct {
	const char *name;
	enum kw kw;
} keywords[] = {
    {"$comment", KW_MINOR},
    {"$defs", KW_IGNORE},
    {"$schema", KW_IGNORE},
    {"additionalProperties", KW_ADDITIONAL},
    {"const", KW_PRESENCE},
    {"default", KW_MINOR},
    {"definitions", KW_IGNORE},
    {"deprecated", KW_MINOR},
    {"description", KW_DESCRIPTION},
    {"enum", KW_ENUM},
    {"examples", KW_MINOR},
    {"exclusiveMaximum", KW_MAX},
    {"exclusiveMinimum", KW_MIN},
    {"items", KW_ITEMS},
    {"maxItems", KW_MAX},
    {"maxLength", KW_MAX},
    {"maxProperties", KW_MAX},
    {"maximum", KW_MAX},
    {"minItems", KW_MIN},
    {"minLength", KW_MIN},
    {"minProperties", KW_MIN},
    {"minimum", KW_MIN},
    {"pattern", KW_PRESENCE},
    {"properties", KW_PROPS},
    {"required", KW_REQUIRED},
    {"title", KW_TITLE},
    {"type", KW_TYPE},
    {"uniqueItems", KW_UNIQUE},
};

static int
kw_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(name, keywords[i].name) == 0)
			return (int)keywords[i].kw;
	return -1;
}

/* One keyword present in a, in b or in both (va, vb: NULL when absent). */
static void
diff_keyword(struct ctx *c, const char *path, const char *name, const cJSON *va, const cJSON *vb,
    const struct ents *sa, const struct ents *sb, int depth)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	int kw = kw_of(name);

	if (kw == KW_IGNORE)
		return;
	/* properties, required, items and enum find their own changes; the rest compare whole. */
	if (kw != KW_PROPS && kw != KW_REQUIRED && kw != KW_ITEMS && kw != KW_ENUM &&
	    td_same(c, va, vb))
		return;
	switch (kw) {
	case KW_TYPE:
		diff_type(c, path, va, vb);
		return;
	case KW_MAX:
	case KW_MIN:
		diff_bound(c, path, name, va, vb, kw == KW_MAX);
		return;
	case KW_PRESENCE:
		diff_presence(c, path, name, va, vb);
		return;
	case KW_ADDITIONAL:
		diff_flag(c, path, name, va, vb, 1);
		return;
	case KW_UNIQUE:
		diff_unique(c, path, va, vb);
		return;
	case KW_ENUM:
		diff_enum(c, path, va, vb);
		return;
	case KW_PROPS:
		diff_props(c, path, sa, sb, depth);
		return;
	case KW_REQUIRED:
		diff_required(c, path, sa, sb);
		return;
	case KW_ITEMS:
		diff_items(c, path, va, vb, depth);
		return;
	default:
		break;
	}
	if (kw == KW_DESCRIPTION || kw == KW_TITLE) {
		td_values(c, before, after, va, vb);
	} else {
		td_kwtext(c, before, sizeof(before), name, va);
		td_kwtext(c, after, sizeof(after), name, vb);
	}
	td_emit_ev(c,
	    kw == KW_DESCRIPTION ? EV_DESCRIPTION
	        : kw == KW_TITLE ? EV_TITLE
	        : kw == KW_MINOR ? EV_MINOR
	                         : EV_OTHER,
	    path, before, after);
}

/* One keyword of two schemas walked together. */
static void
schema_member(const struct walk *w, const char *name, const cJSON *a, const cJSON *b)
{
	diff_keyword(w->c, w->path, name, a, b, w->sa, w->sb, w->depth);
}

/*
 * The value at the JSON pointer p (RFC 6901, as a URI fragment: "" or
 * "/properties/a", %-escapes and ~0 ~1 decoded) in root, or NULL.  Each
 * step looks one member up: the cost is the size of the objects on the
 * way, bounded by the schema's.
 */
static const cJSON *
pointer(const cJSON *root, const char *p)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF";
	const char *h1, *h2;
	char raw[256], tok[256];
	const cJSON *v = root;
	size_t n, i, k;

	while (v != NULL && *p == '/') {
		/* The URI's %-escapes first, then the pointer's ~1 and ~0. */
		for (p++, n = 0; *p != '\0' && *p != '/'; p++) {
			if (n == sizeof(raw) - 1)
				return NULL;
			if (*p == '%' && p[1] != '\0' && p[2] != '\0' &&
			    (h1 = strchr(hex, p[1])) != NULL && (h2 = strchr(hex, p[2])) != NULL)
				raw[n++] = (char)(((h1 - hex) % 16) * 16 + (h2 - hex) % 16), p += 2;
			else
				raw[n++] = *p;
		}
		for (i = 0, k = 0; i < n; i++, k++)
			if (raw[i] == '~' && i + 1 < n && (raw[i + 1] == '0' || raw[i + 1] == '1'))
				tok[k] = raw[++i] == '0' ? '~' : '/';
			else
				tok[k] = raw[i];
		tok[k] = '\0';
		if (cJSON_IsArray(v))
			v = strspn(tok, "0123456789") == k && k > 0 && k < 9
			    ? cJSON_GetArrayItem(v, atoi(tok))
			    : NULL;
		else
			v = cJSON_GetObjectItemCaseSensitive(v, tok);
	}
	return *p == '\0' ? v : NULL;
}

/* The target of the local $ref of the schema s in root, through REF_HOPS $refs at most. */
static const cJSON *
ref_target(const cJSON *root, const cJSON *s)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(s, "$ref"), *t = NULL;
	int hop;

	for (hop = 0; hop < REF_HOPS && cJSON_IsString(r) && r->valuestring[0] == '#'; hop++) {
		if ((t = pointer(root, r->valuestring + 1)) == NULL || !cJSON_IsObject(t))
			return NULL;
		/* A target that is only a $ref again is followed; one with more is where it ends. */
		if (t->child == NULL || t->child->next != NULL ||
		    strcmp(t->child->string, "$ref") != 0)
			return t;
		r = t->child;
	}
	return NULL;
}

/*
 * The target of the schema s's local $ref on side k, to walk in its
 * place; NULL for no $ref, one that leads nowhere, one whose target is
 * walked already above (a cycle), and past REF_MAX (*over set: compared
 * whole instead).
 */
static const cJSON *
deref(struct ctx *c, int k, const cJSON *s, int *over)
{
	const cJSON *t = ref_target(c->root[k], s);
	size_t i;

	if (t == NULL || t == s || c->nref[k] == sizeof(c->ref[k]) / sizeof(c->ref[k][0]))
		return NULL;
	for (i = 0; i < c->nref[k]; i++)
		if (c->ref[k][i] == t)
			return NULL;
	if (c->refs == REF_MAX) {
		*over = 1;
		return NULL;
	}
	c->refs++;
	return t;
}

void
td_schema_roots(struct ctx *c, const cJSON *a, const cJSON *b)
{
	c->root[0] = a;
	c->root[1] = b;
	/* The roots are walked already: a $ref to one ("#") is a cycle. */
	c->ref[0][0] = a;
	c->ref[1][0] = b;
	c->nref[0] = c->nref[1] = 1;
	c->refs = 0;
}

/*
 * The schema s read as its members but its $ref over those of t, the
 * $ref's target: s's own come first and win, t's own $ref is kept (to
 * be followed in turn).  Owned, its members references into s and t
 * (free with cJSON_Delete); NULL when memory runs out (said in c).
 */
static cJSON *
overlay(struct ctx *c, const cJSON *s, const cJSON *t)
{
	struct ents e;
	cJSON *o = NULL;
	size_t i;

	if (td_ents_over(c, s, t, &e) == -1)
		return NULL;
	if ((o = cJSON_CreateObject()) == NULL)
		c->oom = 1;
	for (i = 0; o != NULL && i < e.n; i++)
		if (!cJSON_AddItemReferenceToObject(o, e.e[i].key, (cJSON *)e.e[i].v))
			c->oom = 1;
	free(e.e);
	return o;
}

/*
 * Two schemas, one of them or both a local $ref followed (ta, tb: the
 * targets, or NULL): each read as its members over its target's and
 * walked again as one schema, each target kept on its side's stack
 * meanwhile.  So a target that is a union (a sibling property that is
 * an Optional) is folded, and one that is a $ref with more (a $ref
 * beside a description) is followed in turn, as the schema in its place
 * would be.
 */
static void
walk_refs(struct ctx *c, const char *path, const cJSON *a, const cJSON *b, const cJSON *ta,
    const cJSON *tb, int depth)
{
	cJSON *oa = ta != NULL ? overlay(c, a, ta) : NULL;
	cJSON *ob = tb != NULL ? overlay(c, b, tb) : NULL;

	if (!c->oom) {
		if (ta != NULL)
			c->ref[0][c->nref[0]++] = ta;
		if (tb != NULL)
			c->ref[1][c->nref[1]++] = tb;
		td_schema(c, path, oa != NULL ? oa : a, ob != NULL ? ob : b, depth);
		c->nref[0] -= ta != NULL;
		c->nref[1] -= tb != NULL;
	}
	cJSON_Delete(oa);
	cJSON_Delete(ob);
}

#define UNION_MAX 16 /* alternatives of an anyOf or oneOf folded at most */

/* 1 when the schema v is a type and nothing more: {"type":"null"}. */
static int
type_only(const cJSON *v)
{
	return cJSON_IsObject(v) && v->child != NULL && v->child->next == NULL &&
	    strcmp(v->child->string, "type") == 0;
}

/* 1 when the schema v is a $ref and nothing more. */
static int
ref_only(const cJSON *v)
{
	return cJSON_IsObject(v) && v->child != NULL && v->child->next == NULL &&
	    strcmp(v->child->string, "$ref") == 0;
}

/* The anyOf or oneOf of the schema v when it holds nothing more, else NULL. */
static const cJSON *
bare_union(const cJSON *v)
{
	if (!cJSON_IsObject(v) || v->child == NULL || v->child->next != NULL ||
	    !cJSON_IsArray(v->child))
		return NULL;
	return strcmp(v->child->string, "anyOf") == 0 || strcmp(v->child->string, "oneOf") == 0
	    ? v->child
	    : NULL;
}

/* The type names of t (a string or an array of them) added to u once each; -1 for another. */
static int
union_add(cJSON *u, const cJSON *t)
{
	const cJSON *m, *n;

	if (t == NULL || (!cJSON_IsString(t) && !cJSON_IsArray(t)))
		return -1;
	for (m = cJSON_IsArray(t) ? t->child : t; m != NULL;
	     m = cJSON_IsArray(t) ? m->next : NULL) {
		if (!cJSON_IsString(m) || type_bit(m) == T_OTHER)
			return -1;
		for (n = u->child; n != NULL && strcmp(n->valuestring, m->valuestring) != 0;
		     n = n->next)
			;
		if (n == NULL && !cJSON_AddItemToArray(u, cJSON_CreateString(m->valuestring)))
			return -1;
	}
	return 0;
}

/*
 * The type the alternative m of a union accepts: its own, or for a $ref
 * alone the nearest type its targets say (a target that is a $ref with
 * more is followed: a sibling property's $ref beside its description).
 * NULL when m or a target holds no type, or a keyword the union's other
 * types would escape (enum, const, a composition), or m a $ref with more.
 */
static const cJSON *
alt_type(struct ctx *c, int k, const cJSON *m)
{
	static const char *const no[] = {
	    "enum", "const", "not", "anyOf", "oneOf", "allOf", "if", NULL};
	const cJSON *s = m, *ty = NULL;
	int hop, i;

	if (!ref_only(m) && cJSON_GetObjectItemCaseSensitive(m, "$ref") != NULL)
		return NULL;
	for (hop = 0; s != NULL && hop <= REF_HOPS; hop++) {
		for (i = 0; no[i] != NULL; i++)
			if (cJSON_GetObjectItemCaseSensitive(s, no[i]) != NULL)
				return NULL;
		if (ty == NULL)
			ty = cJSON_GetObjectItemCaseSensitive(s, "type");
		if (cJSON_GetObjectItemCaseSensitive(s, "$ref") == NULL)
			return ty;
		s = ref_target(c->root[k], s);
	}
	return NULL;
}

/* A union's alternatives, flat: an alternative that is a union itself spliced in. */
struct flat {
	const cJSON *alt[UNION_MAX];  /* the alternatives, borrowed from the schema */
	const cJSON *type[UNION_MAX]; /* the type each accepts (alt_type) */
	int n;
	int main; /* the one that is more than a type, or -1 */
};

/*
 * The alternatives of the list l (a oneOf when one) added to f, *mask
 * set to the types they accept.  An alternative that is a bare union,
 * inline or behind a $ref alone (a sibling property that is an
 * Optional), has its own alternatives spliced in: an anyOf of anyOfs is
 * the anyOf of all.  0, or -1 when it does not fold: an alternative
 * alt_type refuses, two beyond a type, past UNION_MAX or REF_HOPS
 * unions deep, or for a oneOf types a value has twice (integer is a
 * number), as it would then match two.
 */
static int
flat_add(struct ctx *c, int k, struct flat *f, const cJSON *l, int one, int hops, unsigned *mask)
{
	const cJSON *m, *t, *in;
	unsigned seen = 0, tm;

	if (!cJSON_IsArray(l) || l->child == NULL || hops > REF_HOPS)
		return -1;
	for (m = l->child; m != NULL; m = m->next) {
		if (!cJSON_IsObject(m))
			return -1;
		t = ref_only(m) ? ref_target(c->root[k], m) : m;
		if ((in = bare_union(t)) != NULL) {
			if (flat_add(
			        c, k, f, in, strcmp(in->string, "oneOf") == 0, hops + 1, &tm) == -1)
				return -1;
		} else {
			if (f->n == UNION_MAX || (f->type[f->n] = alt_type(c, k, m)) == NULL)
				return -1;
			if (!type_only(m)) {
				if (f->main != -1)
					return -1;
				f->main = f->n;
			}
			tm = type_mask(f->type[f->n]);
			f->alt[f->n++] = m;
		}
		if (one && (tm & seen) != 0)
			return -1;
		seen |= tm;
	}
	*mask = seen;
	return 0;
}

/*
 * The alternatives of an anyOf or oneOf (pydantic's Optional: a type, or
 * a $ref to one, and {"type":"null"}) as the one schema they make: the
 * other members of s, the one alternative that is more than a type (its
 * $ref kept, to be walked as its target), and "type" the union of all
 * the alternatives' types (flat_add).  So a type become such a union,
 * through a $ref or not, is said as the type it widened to, not as a
 * keyword the diff does not read.  Folded only where that is what the
 * union accepts: no type nor $ref in s itself, no more than one
 * alternative beyond a type, that one with a type and no enum, const
 * or composition of its own (which the union's other types would
 * escape); for oneOf, types that no value has twice.  Owned, its
 * members references into s (free with cJSON_Delete); NULL when it does
 * not fold.
 */
static cJSON *
union_fold(struct ctx *c, int k, const cJSON *s)
{
	const cJSON *any = cJSON_GetObjectItemCaseSensitive(s, "anyOf");
	const cJSON *one = cJSON_GetObjectItemCaseSensitive(s, "oneOf");
	const cJSON *alts = any != NULL ? any : one, *m, *main;
	struct flat f = {.n = 0, .main = -1};
	unsigned mask;
	cJSON *o, *u;
	int i;

	if (alts == NULL || (any != NULL && one != NULL) ||
	    cJSON_GetObjectItemCaseSensitive(s, "type") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(s, "$ref") != NULL ||
	    flat_add(c, k, &f, alts, one != NULL, 0, &mask) == -1)
		return NULL;
	if ((u = cJSON_CreateArray()) == NULL)
		return c->oom = 1, NULL;
	for (i = 0; i < f.n; i++) {
		if (union_add(u, f.type[i]) == -1) {
			cJSON_Delete(u);
			return NULL;
		}
	}
	if ((o = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(u);
		return c->oom = 1, NULL;
	}
	/* One type is said as a string, as a schema would say it. */
	if (cJSON_GetArraySize(u) == 1) {
		cJSON_AddItemToObject(o, "type", cJSON_DetachItemFromArray(u, 0));
		cJSON_Delete(u);
	} else {
		cJSON_AddItemToObject(o, "type", u);
	}
	for (m = s->child; m != NULL; m = m->next)
		if (m != alts && m->string != NULL &&
		    !cJSON_AddItemReferenceToObject(o, m->string, (cJSON *)m))
			c->oom = 1;
	main = f.main != -1 ? f.alt[f.main] : NULL;
	for (m = main != NULL ? main->child : NULL; m != NULL; m = m->next)
		if (strcmp(m->string, "type") != 0 &&
		    cJSON_GetObjectItemCaseSensitive(o, m->string) == NULL &&
		    !cJSON_AddItemReferenceToObject(o, m->string, (cJSON *)m))
			c->oom = 1;
	return o;
}

/*
 * Two schemas at path: every keyword of either, merged by name.  A local
 * $ref (zod emits one for a schema used twice) is walked as its target,
 * so that a type changed through it is said as the types it names; an
 * anyOf or oneOf of a type and null (pydantic's Optional), or of types,
 * as the union of its types (union_fold).
 */
void
td_schema(struct ctx *c, const char *path, const cJSON *a, const cJSON *b, int depth)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	const cJSON *ta, *tb;
	cJSON *fa, *fb;
	int over = 0;

	if (depth > MAX_DEPTH || !cJSON_IsObject(a) || !cJSON_IsObject(b)) {
		/* Too deep to walk, or a boolean schema: compared whole. */
		if (td_same(c, a, b))
			return;
		before[0] = after[0] = '\0'; /* past MAX_DEPTH, the text would be a run of braces */
		if (depth <= MAX_DEPTH) {
			td_vtext(c, before, sizeof(before), a);
			td_vtext(c, after, sizeof(after), b);
		}
		td_emit_ev(c, EV_OTHER, path, before, after);
		return;
	}
	fa = union_fold(c, 0, a);
	fb = union_fold(c, 1, b);
	if (fa != NULL || fb != NULL) {
		/* A fold holds no anyOf nor oneOf: it is not folded again. */
		td_schema(c, path, fa != NULL ? fa : a, fb != NULL ? fb : b, depth);
		cJSON_Delete(fa);
		cJSON_Delete(fb);
		return;
	}
	ta = deref(c, 0, a, &over);
	tb = deref(c, 1, b, &over);
	if (ta != NULL || tb != NULL) {
		walk_refs(c, path, a, b, ta, tb, depth);
		return;
	}
	td_walk_members(c, a, b, path, depth, schema_member);
	/* Past REF_MAX, the same $ref on both sides: what it points at, compared whole. */
	if (over &&
	    td_same(c, cJSON_GetObjectItemCaseSensitive(a, "$ref"),
	        cJSON_GetObjectItemCaseSensitive(b, "$ref")) &&
	    !td_same(c, ref_target(c->root[0], a), ref_target(c->root[1], b)))
		td_emit_ev(c, EV_OTHER, path, "$ref", "$ref");
}
