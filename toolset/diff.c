/*
 * diff.c - the changes between two lists a server served (tools,
 * resources, prompts), each classed breaking, review or compatible.
 *
 * Every list and every object in it comes from a server: any JSON at all.
 * So that the work stays near linear whatever it holds, nothing is looked
 * up in a cJSON object by walking it (an object of 50,000 members would
 * make that quadratic): the items of a list and the members of each object
 * compared are sorted by key once and merged.  Renames are told by the
 * SHA-256 of a schema's canonical text, matched by sorting, never by
 * comparing each removed item with each added one.  The schema walk stops
 * at MAX_DEPTH, and a change keeps only bounded text, cut at whole UTF-8
 * characters.  A duplicate key (two tools of one name, a member twice in an
 * object) counts once: the first is kept, as a client would see it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sha256.h"
#include "toolset.h"

#define MAX_DEPTH 32    /* nesting of schemas walked; past it, compared whole */
#define TEXT_MAX 240    /* a summary's "text" */
#define ABSENT "absent" /* the before or after of a member that is not there */

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
	char item[MCP_CH_NAME_MAX + 1]; /* the item the changes are about */
	struct mcp_buf a, b;            /* scratch for canonical texts */
};

/* ---- text, bounded -------------------------------------------------------- */

/* s into dst (size bytes, NUL included), cut at a whole UTF-8 character. */
static void
cut(char *dst, size_t size, const char *s)
{
	size_t n = strnlen(s, size + 4), i = 0, k;
	unsigned long cp;

	while (i < n) {
		/* A byte that starts no character counts as one. */
		if ((k = mcp_utf8_decode(s + i, n - i, &cp)) == 0)
			k = 1;
		if (i + k > size - 1)
			break;
		i += k;
	}
	memmove(dst, s, i); /* dst may be s */
	dst[i] = '\0';
}

/*
 * The canonical text of v into out (JCS; a tree that is not I-JSON, say a
 * member twice, as it is written; NULL as ABSENT).  Two values are the
 * same when these texts are.  0, or -1 out of memory.
 */
static int
canon(struct ctx *c, const cJSON *v, struct mcp_buf *out)
{
	char err[64];

	mcp_buf_reset(out);
	if (v == NULL)
		return mcp_buf_adds(out, ABSENT) == 0 ? 0 : (c->oom = 1, -1);
	if (mcp_jcs_write(out, v, err, sizeof(err)) == 0)
		return 0;
	mcp_buf_reset(out);
	if (mcp_json_write(out, v, err, sizeof(err)) == 0)
		return 0;
	mcp_buf_reset(out);
	/* Not writable at all (a number past a double): such values are alike. */
	return mcp_buf_adds(out, "?") == 0 ? 0 : (c->oom = 1, -1);
}

static int
same(struct ctx *c, const cJSON *a, const cJSON *b)
{
	if (canon(c, a, &c->a) == -1 || canon(c, b, &c->b) == -1)
		return 1;
	/*
	 * Unwritable (nested past the writers' 1,000 levels, which no parsed
	 * list is): compared as trees.
	 */
	if (strcmp(c->a.p, "?") == 0 || strcmp(c->b.p, "?") == 0)
		return a != NULL && b != NULL && cJSON_Compare(a, b, 1);
	return c->a.len == c->b.len && memcmp(c->a.p, c->b.p, c->a.len) == 0;
}

/* A value as a change shows it: a string as it is, else its canonical text. */
static void
vtext(struct ctx *c, char *dst, size_t size, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		cut(dst, size, v->valuestring);
	} else if (canon(c, v, &c->a) == 0) {
		cut(dst, size, c->a.p);
	} else {
		dst[0] = '\0';
	}
}

/* "KEYWORD VALUE" ("maxLength 10"), or "no KEYWORD" when v is absent. */
static void
kwtext(struct ctx *c, char *dst, size_t size, const char *kw, const cJSON *v)
{
	char val[MCP_CH_VALUE_MAX + 1];

	if (v == NULL) {
		snprintf(dst, size, "no %s", kw); /* cut: a bounded text, whole is not needed */
		cut(dst, size, dst);
		return;
	}
	vtext(c, val, sizeof(val), v);
	if (snprintf(dst, size, "%s %s", kw, val) >= (int)size)
		cut(dst, size, dst); /* the last character may have been split */
}

/* The path of member name under path: "a.b"; of an array's items: "a[]". */
static void
subpath(char *dst, size_t size, const char *path, const char *name)
{
	char tmp[MCP_CH_PATH_MAX * 2 + 8];

	if (strcmp(name, "[]") == 0)
		snprintf(tmp, sizeof(tmp), "%s[]", path);
	else if (path[0] == '\0')
		cut(tmp, MCP_CH_PATH_MAX + 1, name);
	else if (snprintf(tmp, sizeof(tmp), "%s.%.*s", path, MCP_CH_PATH_MAX, name) < 0)
		tmp[0] = '\0';
	cut(dst, size, tmp);
}

/* ---- keeping changes -------------------------------------------------------- */

static int
grow(struct mcp_diff *d)
{
	size_t cap = d->cap ? d->cap * 2 : 16;
	struct mcp_change *v;

	if (cap > MCP_CH_MAX)
		cap = MCP_CH_MAX;
	if ((v = realloc(d->v, cap * sizeof(*v))) == NULL)
		return -1;
	d->v = v;
	d->cap = cap;
	return 0;
}

/* Keep one change (or count it, past MCP_CH_MAX); its texts are cut here. */
static void
emit(struct ctx *c, enum mcp_change_class cls, const char *kind, const char *to, const char *path,
    const char *before, const char *after, int inferred, int security)
{
	struct mcp_diff *d = c->d;
	struct mcp_change *ch;

	d->count[cls]++;
	d->security += security != 0;
	if (d->n == MCP_CH_MAX) {
		d->more++;
		return;
	}
	if (d->n == d->cap && grow(d) == -1) {
		c->oom = 1;
		d->more++;
		return;
	}
	ch = &d->v[d->n++];
	memset(ch, 0, sizeof(*ch));
	ch->cls = cls;
	ch->kind = kind;
	cut(ch->item, sizeof(ch->item), c->item);
	cut(ch->to, sizeof(ch->to), to ? to : "");
	cut(ch->path, sizeof(ch->path), path ? path : "");
	cut(ch->before, sizeof(ch->before), before ? before : "");
	cut(ch->after, sizeof(ch->after), after ? after : "");
	ch->inferred = inferred;
	ch->security = security;
}

/*
 * A schema's change classed.  An input schema says what the agent may
 * send: accepting less breaks it, accepting more does not.  An output
 * schema says what it gets back: a property gone or of another type breaks
 * whoever reads it, one more is harmless, and the rest is for review.
 */
static const struct {
	const char *kind;
	enum mcp_change_class in, out;
} ev_class[EV_N] = {
    [EV_ADDED_REQ] = {"property_added_required", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_ADDED_OPT] = {"property_added_optional", MCP_CH_COMPATIBLE, MCP_CH_COMPATIBLE},
    [EV_REMOVED] = {"property_removed", MCP_CH_BREAKING, MCP_CH_BREAKING},
    [EV_TYPE] = {"property_type_changed", MCP_CH_BREAKING, MCP_CH_BREAKING},
    [EV_TYPE_WIDER] = {"property_type_changed", MCP_CH_COMPATIBLE, MCP_CH_BREAKING},
    [EV_NARROWED] = {"property_narrowed", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_WIDENED] = {"property_widened", MCP_CH_COMPATIBLE, MCP_CH_REVIEW},
    [EV_ENUM_REMOVED] = {"enum_value_removed", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_ENUM_ADDED] = {"enum_value_added", MCP_CH_COMPATIBLE, MCP_CH_REVIEW},
    [EV_REQUIRED_ADDED] = {"required_added", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_REQUIRED_REMOVED] = {"required_removed", MCP_CH_COMPATIBLE, MCP_CH_REVIEW},
    [EV_DESCRIPTION] = {"description_changed", MCP_CH_REVIEW, MCP_CH_REVIEW},
    [EV_TITLE] = {"title_changed", MCP_CH_COMPATIBLE, MCP_CH_COMPATIBLE},
    [EV_OTHER] = {"schema_changed", MCP_CH_REVIEW, MCP_CH_REVIEW},
    [EV_MINOR] = {"schema_changed", MCP_CH_COMPATIBLE, MCP_CH_COMPATIBLE},
};

/*
 * A change of a schema: in an output schema, every one is
 * output_schema_changed, and one that holds no values says in them what
 * happened to the property ("present" to "absent").
 */
static void
emit_ev(struct ctx *c, enum ev e, const char *path, const char *before, const char *after)
{
	static const char *said[EV_N][2] = {
	    [EV_ADDED_REQ] = {ABSENT, "required"},
	    [EV_ADDED_OPT] = {ABSENT, "optional"},
	    [EV_REMOVED] = {"present", ABSENT},
	    [EV_REQUIRED_ADDED] = {"optional", "required"},
	    [EV_REQUIRED_REMOVED] = {"required", "optional"},
	};
	int sec = e == EV_DESCRIPTION;

	if (c->mode == IN) {
		emit(c, ev_class[e].in, ev_class[e].kind, NULL, path, before, after, 0, sec);
		return;
	}
	if (before == NULL && after == NULL) {
		before = said[e][0];
		after = said[e][1];
	}
	emit(c, ev_class[e].out, "output_schema_changed", NULL, path, before, after, 0, sec);
}

/* ---- sorted members ----------------------------------------------------------- */

static int
ent_cmp(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;
	int k = strcmp(a->key, b->key);

	return k != 0 ? k : (a->pos > b->pos) - (a->pos < b->pos);
}

/* Sort e by key and keep the first of each key. */
static void
ents_sort(struct ents *s)
{
	size_t i, n = 0;

	if (s->n == 0)
		return;
	qsort(s->e, s->n, sizeof(*s->e), ent_cmp);
	for (i = 0; i < s->n; i++)
		if (n == 0 || strcmp(s->e[n - 1].key, s->e[i].key) != 0)
			s->e[n++] = s->e[i];
	s->n = n;
}

/*
 * The members of obj (none when it is not an object), or the items of
 * the array obj by their string member key (when key is not NULL; items
 * without it are skipped).  The keys are borrowed from obj.
 */
static int
ents_of(struct ctx *c, const cJSON *obj, const char *key, struct ents *s)
{
	const cJSON *m, *k;
	size_t n = 0;

	s->e = NULL;
	s->n = 0;
	if (key != NULL ? !cJSON_IsArray(obj) : !cJSON_IsObject(obj))
		return 0;
	for (m = obj->child; m != NULL; m = m->next)
		n++;
	if (n == 0)
		return 0;
	if ((s->e = calloc(n, sizeof(*s->e))) == NULL) {
		c->oom = 1;
		return -1;
	}
	for (m = obj->child, n = 0; m != NULL; m = m->next, n++) {
		if (key == NULL) {
			if (m->string == NULL)
				continue;
			s->e[s->n] = (struct ent){m->string, m, n};
		} else {
			k = cJSON_GetObjectItemCaseSensitive(m, key);
			if (!cJSON_IsString(k) || k->valuestring == NULL)
				continue;
			s->e[s->n] = (struct ent){k->valuestring, m, n};
		}
		s->n++;
	}
	ents_sort(s);
	return 0;
}

/* The member k of s, or NULL (a binary search). */
static const cJSON *
ents_get(const struct ents *s, const char *k)
{
	size_t lo = 0, hi = s->n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(k, s->e[mid].key)) == 0)
			return s->e[mid].v;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The strings of the array v (required), sorted, once each; borrowed. */
/* What a walk of two objects' members calls for each name: a, b NULL when absent. */
struct walk {
	struct ctx *c;
	const char *path;
	const struct ents *sa, *sb; /* the members of both, sorted, for a look at a neighbour */
	int depth;
};
typedef void member_fn(const struct walk *w, const char *name, const cJSON *a, const cJSON *b);

/*
 * The members of the objects a and b merged by name, each given to fn once
 * (a name on one side only with NULL for the other), in the order of the
 * names; stops when memory runs out.
 */
static void
walk_members(
    struct ctx *c, const cJSON *a, const cJSON *b, const char *path, int depth, member_fn *fn)
{
	struct ents sa, sb;
	struct walk w = {c, path, &sa, &sb, depth};
	size_t i = 0, j = 0;
	int r;

	if (ents_of(c, a, NULL, &sa) == -1)
		return;
	if (ents_of(c, b, NULL, &sb) == -1) {
		free(sa.e);
		return;
	}
	while (!c->oom && (i < sa.n || j < sb.n)) {
		r = i == sa.n ? 1 : j == sb.n ? -1 : strcmp(sa.e[i].key, sb.e[j].key);
		if (r < 0)
			fn(&w, sa.e[i].key, sa.e[i].v, NULL), i++;
		else if (r > 0)
			fn(&w, sb.e[j].key, NULL, sb.e[j].v), j++;
		else
			fn(&w, sa.e[i].key, sa.e[i].v, sb.e[j].v), i++, j++;
	}
	free(sa.e);
	free(sb.e);
}

static int
strs_of(struct ctx *c, const cJSON *v, struct ents *s)
{
	const cJSON *m;
	size_t n = 0;

	s->e = NULL;
	s->n = 0;
	if (!cJSON_IsArray(v))
		return 0;
	for (m = v->child; m != NULL; m = m->next)
		n++;
	if (n == 0)
		return 0;
	if ((s->e = calloc(n, sizeof(*s->e))) == NULL) {
		c->oom = 1;
		return -1;
	}
	for (m = v->child, n = 0; m != NULL; m = m->next, n++)
		if (cJSON_IsString(m) && m->valuestring != NULL)
			s->e[s->n++] = (struct ent){m->valuestring, m, n};
	ents_sort(s);
	return 0;
}

/* ---- schemas ------------------------------------------------------------------- */

static void diff_schema(struct ctx *c, const char *path, const cJSON *a, const cJSON *b, int depth);

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
			cut(dst, size, "any");
		else
			vtext(c, dst, size, v);
		return;
	}
	b.max = size * 2;
	for (m = v->child; m != NULL && b.len < size; m = m->next) {
		if ((m != v->child && mcp_buf_addc(&b, '|') == -1) ||
		    mcp_buf_adds(&b, cJSON_IsString(m) ? m->valuestring : "?") == -1)
			break;
	}
	cut(dst, size, b.p ? b.p : "");
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
	if (ta == tb && same(c, a, b))
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
		emit_ev(c, e, path, kb, ka); /* cut there, at a whole character */
		return;
	}
	emit_ev(c, e, path, before, after);
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
	kwtext(c, before, sizeof(before), kw, a);
	kwtext(c, after, sizeof(after), kw, b);
	emit_ev(c, e, path, before, after);
}

/* A keyword whose presence narrows (pattern, const): added or changed narrows, removed widens. */
static void
diff_presence(struct ctx *c, const char *path, const char *kw, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];

	kwtext(c, before, sizeof(before), kw, a);
	kwtext(c, after, sizeof(after), kw, b);
	emit_ev(c, b == NULL ? EV_WIDENED : EV_NARROWED, path, before, after);
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
	kwtext(c, before, sizeof(before), kw, a);
	kwtext(c, after, sizeof(after), kw, b);
	emit_ev(c, e, path, before, after);
}

/* uniqueItems: true accepts less; absent is false. */
static void
diff_unique(struct ctx *c, const char *path, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	int ua = cJSON_IsTrue(a), ub = cJSON_IsTrue(b);

	if (ua == ub)
		return;
	kwtext(c, before, sizeof(before), "uniqueItems", a);
	kwtext(c, after, sizeof(after), "uniqueItems", b);
	emit_ev(c, ub ? EV_NARROWED : EV_WIDENED, path, before, after);
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
		if (canon(c, m, &c->a) == -1 || (t->v[t->n] = strdup(c->a.p)) == NULL) {
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
		else if (!same(c, a, b))
			emit_ev(c, EV_OTHER, path, "enum", "enum");
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
			emit_ev(c, EV_ENUM_REMOVED, path, ta.v[i++], NULL);
		else if (r > 0)
			emit_ev(c, EV_ENUM_ADDED, path, NULL, tb.v[j++]);
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

	if (ents_of(c, ents_get(sa, "properties"), NULL, &pa) == -1)
		return;
	if (ents_of(c, ents_get(sb, "properties"), NULL, &pb) == -1 ||
	    strs_of(c, ents_get(sb, "required"), &rb) == -1)
		goto out;
	while (!c->oom && (i < pa.n || j < pb.n)) {
		r = i == pa.n ? 1 : j == pb.n ? -1 : strcmp(pa.e[i].key, pb.e[j].key);
		subpath(sub, sizeof(sub), path, r <= 0 ? pa.e[i].key : pb.e[j].key);
		if (r < 0) {
			emit_ev(c, EV_REMOVED, sub, NULL, NULL);
			i++;
		} else if (r > 0) {
			emit_ev(c, ents_get(&rb, pb.e[j].key) ? EV_ADDED_REQ : EV_ADDED_OPT, sub,
			    NULL, NULL);
			j++;
		} else {
			diff_schema(c, sub, pa.e[i++].v, pb.e[j++].v, depth + 1);
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
	const cJSON *pa = ents_get(sa, "properties"), *pb = ents_get(sb, "properties");
	struct ents ra, rb, na, nb;
	char sub[MCP_CH_PATH_MAX + 1];
	size_t i = 0, j = 0;
	int r;

	na.e = nb.e = ra.e = rb.e = NULL;
	if (strs_of(c, ents_get(sa, "required"), &ra) == -1 ||
	    strs_of(c, ents_get(sb, "required"), &rb) == -1 || ents_of(c, pa, NULL, &na) == -1 ||
	    ents_of(c, pb, NULL, &nb) == -1)
		goto out;
	while (i < ra.n || j < rb.n) {
		r = i == ra.n ? 1 : j == rb.n ? -1 : strcmp(ra.e[i].key, rb.e[j].key);
		if (r == 0) {
			i++, j++;
			continue;
		}
		subpath(sub, sizeof(sub), path, r < 0 ? ra.e[i].key : rb.e[j].key);
		if (r < 0) {
			if (!(ents_get(&na, ra.e[i].key) && !ents_get(&nb, ra.e[i].key)))
				emit_ev(c, EV_REQUIRED_REMOVED, sub, NULL, NULL);
			i++;
		} else {
			if (!(ents_get(&nb, rb.e[j].key) && !ents_get(&na, rb.e[j].key)))
				emit_ev(c, EV_REQUIRED_ADDED, sub, NULL, NULL);
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

	subpath(sub, sizeof(sub), path, "[]");
	if (cJSON_IsObject(a) && cJSON_IsObject(b))
		diff_schema(c, sub, a, b, depth + 1);
	else if (a == NULL)
		emit_ev(c, EV_NARROWED, sub, "any items", "items of a schema");
	else if (b == NULL)
		emit_ev(c, EV_WIDENED, sub, "items of a schema", "any items");
	else if (!same(c, a, b))
		emit_ev(c, EV_OTHER, sub, "items", "items");
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
	KW_MINOR
};

static const struct {
	const char *name;
	enum kw kw;
} keywords[] = {
    {"$comment", KW_MINOR},
    {"additionalProperties", KW_ADDITIONAL},
    {"const", KW_PRESENCE},
    {"default", KW_MINOR},
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

	/* properties, required, items and enum find their own changes; the rest compare whole. */
	if (kw != KW_PROPS && kw != KW_REQUIRED && kw != KW_ITEMS && kw != KW_ENUM &&
	    same(c, va, vb))
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
		vtext(c, before, sizeof(before), va);
		vtext(c, after, sizeof(after), vb);
		if (va == NULL)
			cut(before, sizeof(before), ABSENT);
		if (vb == NULL)
			cut(after, sizeof(after), ABSENT);
	} else {
		kwtext(c, before, sizeof(before), name, va);
		kwtext(c, after, sizeof(after), name, vb);
	}
	emit_ev(c,
	    kw == KW_DESCRIPTION ? EV_DESCRIPTION
	        : kw == KW_TITLE ? EV_TITLE
	        : kw == KW_MINOR ? EV_MINOR
	                         : EV_OTHER,
	    path, before, after);
}

/* Two schemas at path: every keyword of either, merged by name. */
/* One keyword of two schemas walked together. */
static void
schema_member(const struct walk *w, const char *name, const cJSON *a, const cJSON *b)
{
	diff_keyword(w->c, w->path, name, a, b, w->sa, w->sb, w->depth);
}

static void
diff_schema(struct ctx *c, const char *path, const cJSON *a, const cJSON *b, int depth)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];

	if (depth > MAX_DEPTH || !cJSON_IsObject(a) || !cJSON_IsObject(b)) {
		/* Too deep to walk, or a boolean schema: compared whole. */
		if (same(c, a, b))
			return;
		before[0] = after[0] = '\0'; /* past MAX_DEPTH, the text would be a run of braces */
		if (depth <= MAX_DEPTH) {
			vtext(c, before, sizeof(before), a);
			vtext(c, after, sizeof(after), b);
		}
		emit_ev(c, EV_OTHER, path, before, after);
		return;
	}
	walk_members(c, a, b, path, depth, schema_member);
}

/* ---- annotations ------------------------------------------------------------------ */

/*
 * The hints and their defaults in the MCP specification (2025-06-18 and
 * later): absent is the default, so readOnlyHint absent is false and
 * destructiveHint absent is true.  Two values are compared as the client
 * reads them: absent and its default are no change, and a hint turned
 * unsafe (read-only no more, destructive now, reaching an open world) is
 * a security change.  Thus destructiveHint absent to true is no change
 * (it was already taken as destructive), and true to absent none either.
 */
static const struct {
	const char *name;
	int dflt;
	int unsafe; /* the value that is unsafe */
} hints[] = {
    {"destructiveHint", 1, 1},
    {"idempotentHint", 0, 0},
    {"openWorldHint", 1, 1},
    {"readOnlyHint", 0, 0},
};

static void
diff_hint(struct ctx *c, const char *name, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	size_t i;
	int ea, eb, sec = 0, known = -1;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(name, hints[i].name) == 0)
			known = (int)i;
	if (known >= 0 && (a == NULL || cJSON_IsBool(a)) && (b == NULL || cJSON_IsBool(b))) {
		ea = a == NULL ? hints[known].dflt : cJSON_IsTrue(a);
		eb = b == NULL ? hints[known].dflt : cJSON_IsTrue(b);
		if (ea == eb)
			return;
		/* idempotentHint turned false is less safe to retry, not a danger: no flag. */
		sec = strcmp(name, "idempotentHint") != 0 && eb == hints[known].unsafe;
	} else if (same(c, a, b)) {
		return;
	}
	vtext(c, before, sizeof(before), a);
	vtext(c, after, sizeof(after), b);
	if (a == NULL)
		cut(before, sizeof(before), ABSENT);
	if (b == NULL)
		cut(after, sizeof(after), ABSENT);
	if (strcmp(name, "title") == 0)
		emit(c, MCP_CH_COMPATIBLE, "title_changed", NULL, "annotations.title", before,
		    after, 0, 0);
	else
		emit(c, MCP_CH_REVIEW, "annotation_changed", NULL, name, before, after, 0, sec);
}

/* One hint of two annotations walked together. */
static void
hint_member(const struct walk *w, const char *name, const cJSON *a, const cJSON *b)
{
	diff_hint(w->c, name, a, b);
}

static void
diff_annotations(struct ctx *c, const cJSON *a, const cJSON *b)
{
	walk_members(c, a, b, "", 0, hint_member);
}

/* ---- prompts' arguments ------------------------------------------------------------ */

static void
diff_argument(struct ctx *c, const char *name, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	int ra = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "required"));
	int rb = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "required"));
	const cJSON *da = cJSON_GetObjectItemCaseSensitive(a, "description");
	const cJSON *db = cJSON_GetObjectItemCaseSensitive(b, "description");

	/*
	 * Three members looked up: linear in the argument's size, each
	 * argument once.
	 */
	if (!ra && rb)
		emit(c, MCP_CH_BREAKING, "prompt_argument_required_added", NULL, name, NULL, NULL,
		    0, 0);
	else if (ra && !rb)
		emit(c, MCP_CH_COMPATIBLE, "required_removed", NULL, name, NULL, NULL, 0, 0);
	if (!same(c, da, db)) {
		vtext(c, before, sizeof(before), da);
		vtext(c, after, sizeof(after), db);
		emit(c, MCP_CH_REVIEW, "description_changed", NULL, name, before, after, 0, 1);
	}
	da = cJSON_GetObjectItemCaseSensitive(a, "title");
	db = cJSON_GetObjectItemCaseSensitive(b, "title");
	if (!same(c, da, db)) {
		vtext(c, before, sizeof(before), da);
		vtext(c, after, sizeof(after), db);
		emit(c, MCP_CH_COMPATIBLE, "title_changed", NULL, name, before, after, 0, 0);
	}
}

static void
diff_arguments(struct ctx *c, const cJSON *a, const cJSON *b)
{
	struct ents sa, sb;
	size_t i = 0, j = 0;
	int r;

	if (ents_of(c, a, "name", &sa) == -1)
		return;
	if (ents_of(c, b, "name", &sb) == -1) {
		free(sa.e);
		return;
	}
	while (i < sa.n || j < sb.n) {
		r = i == sa.n ? 1 : j == sb.n ? -1 : strcmp(sa.e[i].key, sb.e[j].key);
		if (r < 0) {
			emit(c, MCP_CH_BREAKING, "prompt_argument_removed", NULL, sa.e[i].key, NULL,
			    NULL, 0, 0);
			i++;
		} else if (r > 0) {
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sb.e[j].v, "required")))
				emit(c, MCP_CH_BREAKING, "prompt_argument_added_required", NULL,
				    sb.e[j].key, NULL, NULL, 0, 0);
			else
				emit(c, MCP_CH_COMPATIBLE, "prompt_argument_added_optional", NULL,
				    sb.e[j].key, NULL, NULL, 0, 0);
			j++;
		} else {
			diff_argument(c, sa.e[i].key, sa.e[i].v, sb.e[j].v);
			i++, j++;
		}
	}
	free(sa.e);
	free(sb.e);
}

/* ---- items ------------------------------------------------------------------------ */

static const char *
key_of(enum mcp_list_kind kind)
{
	return kind == MCP_LIST_RESOURCES ? "uri" : "name";
}

/* A member of an item that differs, outside the schemas: its text, cut, before and after. */
static void
diff_member(struct ctx *c, const char *name, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	enum mcp_list_kind kind = c->d->kind;

	vtext(c, before, sizeof(before), a);
	vtext(c, after, sizeof(after), b);
	if (a == NULL)
		cut(before, sizeof(before), ABSENT);
	if (b == NULL)
		cut(after, sizeof(after), ABSENT);
	if (kind == MCP_LIST_RESOURCES)
		/* A resource's description is read by the model as a tool's is. */
		emit(c, MCP_CH_REVIEW, "resource_changed", NULL, name, before, after, 0,
		    strcmp(name, "description") == 0);
	else if (strcmp(name, "description") == 0)
		emit(c, MCP_CH_REVIEW, "description_changed", NULL, NULL, before, after, 0, 1);
	else if (strcmp(name, "title") == 0)
		emit(c, MCP_CH_COMPATIBLE, "title_changed", NULL, NULL, before, after, 0, 0);
	else
		emit(c, MCP_CH_REVIEW, "field_changed", NULL, name, before, after, 0, 0);
}

static void
diff_output(struct ctx *c, const cJSON *a, const cJSON *b)
{
	if (a == NULL) {
		emit(c, MCP_CH_COMPATIBLE, "output_schema_added", NULL, NULL, NULL, NULL, 0, 0);
	} else if (b == NULL) {
		emit(c, MCP_CH_REVIEW, "output_schema_removed", NULL, NULL, NULL, NULL, 0, 0);
	} else {
		c->mode = OUT;
		diff_schema(c, "", a, b, 0);
		c->mode = IN;
	}
}

/* One member of two items of the same key (or of a rename): a, b NULL when absent. */
static void
diff_field(struct ctx *c, const char *name, const cJSON *a, const cJSON *b)
{
	enum mcp_list_kind kind = c->d->kind;

	if (strcmp(name, key_of(kind)) == 0)
		return; /* the key: the same, or a rename said already */
	if (kind == MCP_LIST_TOOLS && strcmp(name, "inputSchema") == 0) {
		c->mode = IN;
		/* The walk compares its parts; a whole compare would repeat it. */
		diff_schema(c, "", a, b, 0);
		return;
	}
	if (same(c, a, b))
		return;
	if (kind == MCP_LIST_TOOLS && strcmp(name, "outputSchema") == 0)
		diff_output(c, a, b);
	else if (kind == MCP_LIST_TOOLS && strcmp(name, "annotations") == 0)
		diff_annotations(c, a, b);
	else if (kind == MCP_LIST_PROMPTS && strcmp(name, "arguments") == 0)
		diff_arguments(c, a, b);
	else
		diff_member(c, name, a, b);
}

/* One member of two items walked together. */
static void
item_member(const struct walk *w, const char *name, const cJSON *a, const cJSON *b)
{
	diff_field(w->c, name, a, b);
}

/* Two items of one key (or a rename): every member of either, merged by name. */
static void
diff_item(struct ctx *c, const cJSON *a, const cJSON *b)
{
	if (same(c, a, b))
		return;
	walk_members(c, a, b, "", 0, item_member);
}

/* ---- renames ------------------------------------------------------------------------ */

/* An item removed or added, with the digest of what tells a rename. */
struct lone {
	const struct ent *e;
	unsigned char h[MCP_SHA256_SIZE];
	const struct ent *mate; /* the other side of an inferred rename */
};

static int
lone_cmp(const void *x, const void *y)
{
	const struct lone *a = x, *b = y;
	int k = memcmp(a->h, b->h, sizeof(a->h));

	return k != 0 ? k : (a->e->pos > b->e->pos) - (a->e->pos < b->e->pos);
}

/* What stays the same across a rename: a tool's inputSchema, a prompt's arguments. */
static void
lone_hash(struct ctx *c, struct lone *l)
{
	const char *m = c->d->kind == MCP_LIST_PROMPTS ? "arguments" : "inputSchema";

	canon(c, cJSON_GetObjectItemCaseSensitive(l->e->v, m), &c->a);
	mcp_sha256(c->a.p ? c->a.p : "", c->a.len, l->h);
}

/* The length of the run of equal digests at v[i]. */
static size_t
run_of(const struct lone *v, size_t n, size_t i)
{
	size_t k = i + 1;

	while (k < n && memcmp(v[k].h, v[i].h, sizeof(v[i].h)) == 0)
		k++;
	return k - i;
}

/*
 * Pair removed and added items whose digests match one to one: a digest
 * that one removed item and one added item carry, and no other.  Sorted
 * by digest on each side and merged: O(n log n).
 */
static void
pair(struct lone *rm, size_t nr, struct lone *ad, size_t na)
{
	size_t i = 0, j = 0, ri, rj;
	int k;

	qsort(rm, nr, sizeof(*rm), lone_cmp);
	qsort(ad, na, sizeof(*ad), lone_cmp);
	while (i < nr && j < na) {
		k = memcmp(rm[i].h, ad[j].h, sizeof(rm[i].h));
		ri = k <= 0 ? run_of(rm, nr, i) : 0;
		rj = k >= 0 ? run_of(ad, na, j) : 0;
		if (k == 0 && ri == 1 && rj == 1) {
			rm[i].mate = ad[j].e;
			ad[j].mate = rm[i].e;
		}
		i += ri;
		j += rj;
	}
}

static int
lone_pos_cmp(const void *x, const void *y)
{
	const struct lone *a = x, *b = y;

	return ent_cmp(a->e, b->e);
}

/* Renames inferred among the removed and the added (not for resources: a URI is the resource). */
static void
infer_renames(struct ctx *c, struct lone *rm, size_t nr, struct lone *ad, size_t na)
{
	size_t i;

	if (c->d->kind == MCP_LIST_RESOURCES || nr == 0 || na == 0)
		return; /* and qsort is never given a NULL array */
	for (i = 0; i < nr; i++)
		lone_hash(c, &rm[i]);
	for (i = 0; i < na; i++)
		lone_hash(c, &ad[i]);
	pair(rm, nr, ad, na);
	qsort(rm, nr, sizeof(*rm), lone_pos_cmp);
	qsort(ad, na, sizeof(*ad), lone_pos_cmp);
}

/* The removed and the renamed, in key order: what breaks agents first. */
static void
say_removed(struct ctx *c, const struct lone *rm, size_t nr)
{
	enum mcp_list_kind kind = c->d->kind;
	size_t i;

	for (i = 0; i < nr && !c->oom; i++) {
		cut(c->item, sizeof(c->item), rm[i].e->key);
		if (rm[i].mate == NULL) {
			emit(c, MCP_CH_BREAKING,
			    kind == MCP_LIST_TOOLS         ? "tool_removed"
			        : kind == MCP_LIST_PROMPTS ? "prompt_removed"
			                                   : "resource_removed",
			    NULL, NULL, NULL, NULL, 0, 0);
			continue;
		}
		emit(c, MCP_CH_BREAKING, kind == MCP_LIST_TOOLS ? "tool_renamed" : "prompt_renamed",
		    rm[i].mate->key, NULL, NULL, NULL, 1, 0);
		/* What else changed is told of the new name. */
		cut(c->item, sizeof(c->item), rm[i].mate->key);
		diff_item(c, rm[i].e->v, rm[i].mate->v);
	}
}

static void
say_added(struct ctx *c, const struct lone *ad, size_t na)
{
	enum mcp_list_kind kind = c->d->kind;
	size_t i;

	for (i = 0; i < na && !c->oom; i++) {
		if (ad[i].mate != NULL)
			continue;
		cut(c->item, sizeof(c->item), ad[i].e->key);
		emit(c, MCP_CH_COMPATIBLE,
		    kind == MCP_LIST_TOOLS         ? "tool_added"
		        : kind == MCP_LIST_PROMPTS ? "prompt_added"
		                                   : "resource_added",
		    NULL, NULL, NULL, NULL, 0, 0);
	}
}

/* ---- the lists ---------------------------------------------------------------------- */

/*
 * Merge the two lists by key: an item in both is compared, one in from
 * only is removed, one in to only added.  Said in that order: the removed
 * and renamed, the changed, the added.
 */
static void
merge_lists(struct ctx *c, const struct ents *fa, const struct ents *fb)
{
	struct lone *rm = NULL, *ad = NULL;
	size_t i = 0, j = 0, nr = 0, na = 0, *both = NULL, nb = 0;
	int r;

	if ((fa->n && (rm = calloc(fa->n, sizeof(*rm))) == NULL) ||
	    (fb->n && (ad = calloc(fb->n, sizeof(*ad))) == NULL) ||
	    (fa->n && (both = calloc(fa->n, sizeof(*both))) == NULL)) {
		c->oom = 1;
		goto out;
	}
	while (i < fa->n || j < fb->n) {
		r = i == fa->n ? 1 : j == fb->n ? -1 : strcmp(fa->e[i].key, fb->e[j].key);
		if (r < 0) {
			rm[nr++].e = &fa->e[i++];
		} else if (r > 0) {
			ad[na++].e = &fb->e[j++];
		} else {
			both[nb++] = i++; /* fb->e[j] has the same key */
			j++;
		}
	}
	infer_renames(c, rm, nr, ad, na);
	say_removed(c, rm, nr);
	for (i = 0, j = 0; i < nb && !c->oom; i++) {
		const struct ent *e = &fa->e[both[i]];

		/* fb is sorted as fa is: the item of the same key is found walking forward. */
		while (strcmp(fb->e[j].key, e->key) != 0)
			j++;
		cut(c->item, sizeof(c->item), e->key);
		diff_item(c, e->v, fb->e[j].v);
	}
	say_added(c, ad, na);
out:
	free(rm);
	free(ad);
	free(both);
}

int
mcp_diff_lists(enum mcp_list_kind kind, const cJSON *from, const cJSON *to, struct mcp_diff *d,
    char *err, size_t errlen)
{
	struct ctx c;
	struct ents fa = {0}, fb = {0};

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	memset(&c, 0, sizeof(c));
	c.d = d;
	if (ents_of(&c, from, key_of(kind), &fa) == 0 && ents_of(&c, to, key_of(kind), &fb) == 0)
		merge_lists(&c, &fa, &fb);
	free(fa.e);
	free(fb.e);
	mcp_buf_free(&c.a);
	mcp_buf_free(&c.b);
	if (c.oom) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void
mcp_diff_free(struct mcp_diff *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

enum mcp_change_class
mcp_diff_worst(const struct mcp_diff *d)
{
	int k;

	for (k = 0; k < MCP_CH_NCLASS; k++)
		if (d->count[k] > 0)
			return (enum mcp_change_class)k;
	return MCP_CH_NCLASS;
}

const char *
mcp_change_class_name(enum mcp_change_class c)
{
	static const char *names[] = {"breaking", "review", "compatible"};

	return c < MCP_CH_NCLASS ? names[c] : "none";
}

/* ---- saying it ----------------------------------------------------------------------- */

/*
 * A server's text for a person's line: a control character, DEL or a
 * byte that starts no UTF-8 character is written \xHH, so that one change
 * stays one line and no escape sequence reaches a terminal; when quoted,
 * " and \ are escaped too.
 */
static int
put_text(struct mcp_buf *b, const char *s, int quoted)
{
	size_t n = strlen(s), i = 0, k;
	unsigned long cp;
	int rc = 0;

	if (quoted)
		rc |= mcp_buf_addc(b, '"');
	while (i < n && rc == 0) {
		k = mcp_utf8_decode(s + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || cp == 0x7f) {
			rc |= mcp_buf_addf(b, "\\x%02x", (unsigned char)s[i]);
			k = 1;
		} else if (quoted && (cp == '"' || cp == '\\')) {
			rc |= mcp_buf_addc(b, '\\') | mcp_buf_addc(b, (char)cp);
		} else {
			rc |= mcp_buf_add(b, s + i, k);
		}
		i += k;
	}
	if (quoted)
		rc |= mcp_buf_addc(b, '"');
	return rc == 0 ? 0 : -1;
}

/* "property \"a.b\"", "argument \"a\"" or, at a schema's root, "input schema". */
static int
put_subject(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	if (ch->path[0] == '\0')
		return mcp_buf_adds(b, "input schema");
	if (mcp_buf_adds(b, kind == MCP_LIST_PROMPTS ? "argument " : "property ") == -1)
		return -1;
	return put_text(b, ch->path, 1);
}

/* ": BEFORE to AFTER" when the change holds both. */
static int
put_values(struct mcp_buf *b, const struct mcp_change *ch)
{
	if (ch->before[0] == '\0' && ch->after[0] == '\0')
		return 0;
	if (mcp_buf_adds(b, ": ") == -1 || put_text(b, ch->before[0] ? ch->before : ABSENT, 0) ||
	    mcp_buf_adds(b, " to ") == -1 || put_text(b, ch->after[0] ? ch->after : ABSENT, 0))
		return -1;
	return 0;
}

/* What a change's line says after "ITEM" (or "ITEM: "), per kind. */
static const struct {
	const char *kind;
	const char *head; /* after "ITEM: SUBJECT" (or "ITEM" when no subject) */
	int subject;      /* 1: the property or argument named; 2: the path as it is */
	int values;       /* 1: ": BEFORE to AFTER"; 2: " BEFORE to AFTER" */
} phrases[] = {
    {"tool_added", " added", 0, 0},
    {"tool_removed", " removed", 0, 0},
    {"prompt_added", " added", 0, 0},
    {"prompt_removed", " removed", 0, 0},
    {"resource_added", " added", 0, 0},
    {"resource_removed", " removed", 0, 0},
    {"property_added_required", " added, required", 1, 0},
    {"property_added_optional", " added, optional", 1, 0},
    {"property_removed", " removed", 1, 0},
    {"property_type_changed", " type changed", 1, 1},
    {"property_narrowed", " narrowed", 1, 1},
    {"property_widened", " widened", 1, 1},
    {"required_added", " made required", 1, 0},
    {"required_removed", " made optional", 1, 0},
    {"schema_changed", " changed", 1, 1},
    {"prompt_argument_added_required", " added, required", 1, 0},
    {"prompt_argument_added_optional", " added, optional", 1, 0},
    {"prompt_argument_removed", " removed", 1, 0},
    {"prompt_argument_required_added", " made required", 1, 0},
    {"output_schema_added", "output schema added", 0, 0},
    {"output_schema_removed", "output schema removed", 0, 0},
    {"title_changed", "title changed", 0, 1},
    {"annotation_changed", "", 2, 2},
    {"field_changed", " changed", 2, 0},
    {"resource_changed", " changed", 2, 1},
};

static int
put_enum(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	int added = strcmp(ch->kind, "enum_value_added") == 0;

	if (put_subject(b, kind, ch) == -1 || mcp_buf_adds(b, " enum value ") == -1 ||
	    put_text(b, added ? ch->after : ch->before, 0) == -1)
		return -1;
	return mcp_buf_adds(b, added ? " added" : " removed");
}

static int
put_output(struct mcp_buf *b, const struct mcp_change *ch)
{
	if (mcp_buf_adds(b, "output schema") == -1)
		return -1;
	if (ch->path[0] != '\0' &&
	    (mcp_buf_adds(b, " property ") == -1 || put_text(b, ch->path, 1) == -1))
		return -1;
	if (mcp_buf_adds(b, ch->security ? " description changed" : " changed") == -1)
		return -1;
	return ch->security ? 0 : put_values(b, ch);
}

static int
put_description(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	/* The texts themselves are in before and after; a line only says where. */
	if (ch->path[0] == '\0')
		return mcp_buf_adds(b, "description changed");
	if (mcp_buf_adds(b, "description of ") == -1 || put_subject(b, kind, ch) == -1)
		return -1;
	return mcp_buf_adds(b, " changed");
}

static int
put_title(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	if (mcp_buf_adds(b, "title of ") == -1 || put_subject(b, kind, ch) == -1 ||
	    mcp_buf_adds(b, " changed") == -1)
		return -1;
	return put_values(b, ch);
}

/* The words of one change, appended to b. */
static int
put_words(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	size_t i;

	if (put_text(b, ch->item, 0) == -1)
		return -1;
	if (strcmp(ch->kind, "tool_renamed") == 0 || strcmp(ch->kind, "prompt_renamed") == 0) {
		if (mcp_buf_adds(b, " renamed ") == -1 || put_text(b, ch->to, 0) == -1)
			return -1;
		if (!ch->inferred)
			return 0;
		return mcp_buf_adds(b,
		    kind == MCP_LIST_PROMPTS ? " (inferred: same arguments)"
		                             : " (inferred: same input schema)");
	}
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (strcmp(ch->kind, phrases[i].kind) == 0)
			break;
	if (i < sizeof(phrases) / sizeof(phrases[0]) && phrases[i].head[0] == ' ' &&
	    phrases[i].subject == 0)
		return mcp_buf_adds(b, phrases[i].head); /* "get_data added" */
	if (mcp_buf_adds(b, ": ") == -1)
		return -1;
	if (strncmp(ch->kind, "enum_value_", 11) == 0)
		return put_enum(b, kind, ch);
	if (strcmp(ch->kind, "output_schema_changed") == 0)
		return put_output(b, ch);
	if (strcmp(ch->kind, "title_changed") == 0 && ch->path[0] != '\0' &&
	    strcmp(ch->path, "annotations.title") != 0)
		return put_title(b, kind, ch);
	if (strcmp(ch->kind, "description_changed") == 0 ||
	    (strcmp(ch->kind, "resource_changed") == 0 && strcmp(ch->path, "description") == 0))
		return put_description(b, kind, ch);
	if (i == sizeof(phrases) / sizeof(phrases[0]))
		return put_text(b, ch->kind, 0) == -1 ? -1 : put_values(b, ch);
	if ((phrases[i].subject == 1 && put_subject(b, kind, ch) == -1) ||
	    (phrases[i].subject == 2 && put_text(b, ch->path, 0) == -1) ||
	    mcp_buf_adds(b, phrases[i].head) == -1)
		return -1;
	if (phrases[i].values == 2)
		return mcp_buf_addc(b, ' ') == -1 ||
		        put_text(b, ch->before[0] ? ch->before : ABSENT, 0) ||
		        mcp_buf_adds(b, " to ") == -1 ||
		        put_text(b, ch->after[0] ? ch->after : ABSENT, 0)
		    ? -1
		    : 0;
	return phrases[i].values ? put_values(b, ch) : 0;
}

int
mcp_diff_text(const struct mcp_diff *d, struct mcp_buf *out)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (mcp_buf_addf(out, "%-9s ", mcp_change_class_name(d->v[i].cls)) == -1 ||
		    put_words(out, d->kind, &d->v[i]) == -1 ||
		    (d->v[i].security && mcp_buf_adds(out, " (security)") == -1) ||
		    mcp_buf_addc(out, '\n') == -1)
			return -1;
	}
	if (d->more > 0 && mcp_buf_addf(out, "and %zu more changes, not kept\n", d->more) == -1)
		return -1;
	return 0;
}

/* ---- as JSON ----------------------------------------------------------------------------- */

/*
 * s as valid UTF-8 (a byte that starts no character becomes U+FFFD), so
 * that the tree is I-JSON whatever the server sent: a consumer may hash
 * it canonically.
 */
static cJSON *
add_str(cJSON *o, const char *k, const char *s)
{
	char buf[3 * (MCP_CH_PATH_MAX + 1) + 1];
	size_t n = strlen(s), i = 0, j = 0, l;
	unsigned long cp;

	while (i < n && j + 4 < sizeof(buf)) {
		if ((l = mcp_utf8_decode(s + i, n - i, &cp)) == 0) {
			memcpy(buf + j, "\xef\xbf\xbd", 3);
			j += 3;
			i++;
		} else {
			memcpy(buf + j, s + i, l);
			j += l;
			i += l;
		}
	}
	buf[j] = '\0';
	return cJSON_AddStringToObject(o, k, buf);
}

static const char *
item_key(enum mcp_list_kind kind)
{
	return kind == MCP_LIST_PROMPTS  ? "prompt"
	    : kind == MCP_LIST_RESOURCES ? "resource"
	                                 : "tool";
}

/* One change as an object, or NULL out of memory. */
static cJSON *
change_json(enum mcp_list_kind kind, const struct mcp_change *ch)
{
	cJSON *o = cJSON_CreateObject();
	int ok = o != NULL;

	ok = ok && cJSON_AddStringToObject(o, "class", mcp_change_class_name(ch->cls)) != NULL &&
	    cJSON_AddStringToObject(o, "kind", ch->kind) != NULL &&
	    add_str(o, item_key(kind), ch->item) != NULL;
	if (ok && ch->to[0] != '\0')
		ok = add_str(o, "to", ch->to) != NULL;
	if (ok && ch->path[0] != '\0')
		ok = add_str(o, "path", ch->path) != NULL;
	if (ok && ch->before[0] != '\0')
		ok = add_str(o, "before", ch->before) != NULL;
	if (ok && ch->after[0] != '\0')
		ok = add_str(o, "after", ch->after) != NULL;
	if (ok && ch->inferred)
		ok = cJSON_AddTrueToObject(o, "inferred") != NULL;
	if (ok && ch->security)
		ok = cJSON_AddTrueToObject(o, "security") != NULL;
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *
mcp_diff_json(const struct mcp_diff *d)
{
	cJSON *a = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; a != NULL && i < d->n; i++) {
		if ((o = change_json(d->kind, &d->v[i])) == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* ---- the summary ------------------------------------------------------------------------- */

/*
 * ix: the changes worst first, by class, the security ones first in a
 * class, else as found (six passes: a stable sort in linear time).
 */
static void
worst_first(const struct mcp_diff *d, size_t *ix)
{
	size_t i, k = 0;
	int rank;

	for (rank = 0; rank < 2 * MCP_CH_NCLASS; rank++)
		for (i = 0; i < d->n; i++)
			if ((int)d->v[i].cls * 2 + !d->v[i].security == rank)
				ix[k++] = i;
}

/* The one line: the worst change in words, then "and N more"; cut at TEXT_MAX bytes. */
static int
summary_text(const struct mcp_diff *d, const size_t *ix, size_t limit, char *out, size_t size)
{
	struct mcp_buf b = {0};
	char tail[48] = "";
	size_t total = d->n + d->more;

	if (total == 0 || d->n == 0) {
		cut(out, size, total == 0 ? "no change found" : "changes not kept");
		return 0;
	}
	if (total > 1)
		snprintf(tail, sizeof(tail), " and %zu more", total - 1);
	if (put_words(&b, d->kind, &d->v[ix[0]]) == -1) {
		mcp_buf_free(&b);
		return -1;
	}
	if (limit > size - 1)
		limit = size - 1;
	cut(out, limit + 1 > strlen(tail) ? limit + 1 - strlen(tail) : 1, b.p);
	if (strlen(out) + strlen(tail) < size)
		strcat(out, tail);
	mcp_buf_free(&b);
	return 0;
}

static cJSON *
summary_build(const struct mcp_diff *d, const size_t *ix, size_t k, const char *text)
{
	enum mcp_change_class w = mcp_diff_worst(d);
	cJSON *s = cJSON_CreateObject(), *counts, *items, *o;
	size_t i;
	int ok;

	ok = s != NULL && cJSON_AddStringToObject(s, "class", mcp_change_class_name(w)) != NULL &&
	    cJSON_AddBoolToObject(s, "breaking", w == MCP_CH_BREAKING) != NULL &&
	    (counts = cJSON_AddObjectToObject(s, "counts")) != NULL;
	for (i = 0; ok && i < MCP_CH_NCLASS; i++)
		ok =
		    cJSON_AddNumberToObject(counts, mcp_change_class_name((enum mcp_change_class)i),
		        (double)d->count[i]) != NULL;
	ok = ok && cJSON_AddNumberToObject(s, "security", (double)d->security) != NULL &&
	    (items = cJSON_AddArrayToObject(s, "items")) != NULL;
	for (i = 0; ok && i < k; i++) {
		if ((o = change_json(d->kind, &d->v[ix[i]])) == NULL)
			ok = 0;
		else
			cJSON_AddItemToArray(items, o);
	}
	ok = ok && cJSON_AddNumberToObject(s, "more", (double)(d->n + d->more - k)) != NULL &&
	    add_str(s, "text", text) != NULL;
	if (!ok) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

/* The length of s written as JSON, or (size_t)-1. */
static size_t
json_len(const cJSON *s)
{
	struct mcp_buf b = {0};
	char err[64];
	size_t n = (size_t)-1;

	if (mcp_json_write(&b, s, err, sizeof(err)) == 0)
		n = b.len;
	mcp_buf_free(&b);
	return n;
}

/*
 * Items are dropped from the end (the least bad) until the text fits in
 * max_bytes, each dropped one counted in "more"; with none left, the text
 * is cut.  The rest of the summary is about 150 bytes: a max_bytes below
 * that gives it anyway, with no items and the text cut short.
 */
cJSON *
mcp_diff_summary(const struct mcp_diff *d, size_t max_items, size_t max_bytes)
{
	char text[TEXT_MAX + 1];
	size_t *ix = NULL, k, len, limit = TEXT_MAX, over;
	cJSON *s = NULL;

	if (d->n > 0 && (ix = calloc(d->n, sizeof(*ix))) == NULL)
		return NULL;
	worst_first(d, ix);
	k = d->n < max_items ? d->n : max_items;
	for (;;) {
		if (summary_text(d, ix, limit, text, sizeof(text)) == -1 ||
		    (s = summary_build(d, ix, k, text)) == NULL ||
		    (len = json_len(s)) == (size_t)-1) {
			cJSON_Delete(s);
			s = NULL;
			break;
		}
		if (len <= max_bytes || (k == 0 && limit == 0))
			break;
		cJSON_Delete(s);
		over = len - max_bytes;
		if (k > 0) {
			/* Each item is at least 40 bytes: a rough step, then one at a time. */
			k -= over / 400 + 1 < k ? over / 400 + 1 : k;
		} else {
			/* A text escapes to at most 6 bytes a byte. */
			limit = over / 6 + 1 < limit ? limit - (over / 6 + 1) : 0;
		}
	}
	free(ix);
	return s;
}
