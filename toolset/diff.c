/*
 * diff.c - the changes between two lists a server served (tools,
 * resources, prompts), merged by key: the items of two lists and the
 * members of two items, the renames, and the entry of the diff.  The
 * schema walk is schema.c's, the classes class.c's, the words words.c's.
 *
 * Every list and every object in it comes from a server: any JSON at all.
 * So that the work stays near linear whatever it holds, nothing is looked
 * up in a cJSON object by walking it (an object of 50,000 members would
 * make that quadratic): the items of a list and the members of each object
 * compared are sorted by key once and merged.  Renames are told by the
 * SHA-256 of a schema's canonical text, matched by sorting, never by
 * comparing each removed item with each added one.  A change keeps only
 * bounded text, cut at whole UTF-8 characters.  A duplicate key (two tools
 * of one name, a member twice in an object) counts once: the first is
 * kept, as a client would see it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffint.h"
#include "json.h"
#include "sha256.h"

/* ---- text, bounded -------------------------------------------------------- */

/* s into dst (size bytes, NUL included), cut at a whole UTF-8 character. */
void
td_cut(char *dst, size_t size, const char *s)
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
 * A name (a tool's, a URI) into dst: cut as td_cut does, and a cut one
 * ends in an ellipsis within size, as the manuals promise ("get_dat…").
 */
void
td_cut_name(char *dst, size_t size, const char *s)
{
	if (strnlen(s, size) < size) {
		td_cut(dst, size, s);
		return;
	}
	td_cut(dst, size - 3, s);
	strcat(dst, "\xe2\x80\xa6");
}

/*
 * The canonical text of v into out (JCS; a tree that is not I-JSON, say a
 * member twice, as it is written; NULL as ABSENT).  Two values are the
 * same when these texts are.  0, or -1 out of memory.
 */
int
td_canon(struct ctx *c, const cJSON *v, struct mcp_buf *out)
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

int
td_same(struct ctx *c, const cJSON *a, const cJSON *b)
{
	if (td_canon(c, a, &c->a) == -1 || td_canon(c, b, &c->b) == -1)
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
void
td_vtext(struct ctx *c, char *dst, size_t size, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		td_cut(dst, size, v->valuestring);
	} else if (td_canon(c, v, &c->a) == 0) {
		td_cut(dst, size, c->a.p);
	} else {
		dst[0] = '\0';
	}
}

/* "KEYWORD VALUE" ("maxLength 10"), or "no KEYWORD" when v is absent. */
void
td_kwtext(struct ctx *c, char *dst, size_t size, const char *kw, const cJSON *v)
{
	char val[MCP_CH_VALUE_MAX + 1];

	if (v == NULL) {
		snprintf(dst, size, "no %s", kw); /* cut: a bounded text, whole is not needed */
		td_cut(dst, size, dst);
		return;
	}
	td_vtext(c, val, sizeof(val), v);
	if (snprintf(dst, size, "%s %s", kw, val) >= (int)size)
		td_cut(dst, size, dst); /* the last character may have been split */
}

/* The before and after of a change (MCP_CH_VALUE_MAX + 1 bytes each): vtext's, ABSENT for NULL. */
void
td_values(struct ctx *c, char *before, char *after, const cJSON *a, const cJSON *b)
{
	td_vtext(c, before, MCP_CH_VALUE_MAX + 1, a);
	td_vtext(c, after, MCP_CH_VALUE_MAX + 1, b);
	if (a == NULL)
		td_cut(before, MCP_CH_VALUE_MAX + 1, ABSENT);
	if (b == NULL)
		td_cut(after, MCP_CH_VALUE_MAX + 1, ABSENT);
}

/* The path of member name under path: "a.b"; of an array's items: "a[]". */
void
td_subpath(char *dst, size_t size, const char *path, const char *name)
{
	char tmp[MCP_CH_PATH_MAX * 2 + 8];

	if (strcmp(name, "[]") == 0)
		snprintf(tmp, sizeof(tmp), "%s[]", path);
	else if (path[0] == '\0')
		td_cut(tmp, MCP_CH_PATH_MAX + 1, name);
	else if (snprintf(tmp, sizeof(tmp), "%s.%.*s", path, MCP_CH_PATH_MAX, name) < 0)
		tmp[0] = '\0';
	td_cut(dst, size, tmp);
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

/* s emptied, with room for n entries: 0, or -1 (out of memory, said in c). */
static int
ents_alloc(struct ctx *c, struct ents *s, size_t n)
{
	s->e = NULL;
	s->n = 0;
	if (n > 0 && (s->e = calloc(n, sizeof(*s->e))) == NULL) {
		c->oom = 1;
		return -1;
	}
	return 0;
}

/*
 * The members of obj (none when it is not an object), or the items of
 * the array obj by their string member key (when key is not NULL; items
 * without it are skipped).  The keys are borrowed from obj.
 */
int
td_ents_of(struct ctx *c, const cJSON *obj, const char *key, struct ents *s)
{
	const cJSON *m, *k;
	size_t n = 0;

	if (key != NULL ? !cJSON_IsArray(obj) : !cJSON_IsObject(obj))
		return ents_alloc(c, s, 0);
	for (m = obj->child; m != NULL; m = m->next)
		n++;
	if (ents_alloc(c, s, n) == -1)
		return -1;
	if (n == 0)
		return 0;
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
const cJSON *
td_ents_get(const struct ents *s, const char *k)
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

/*
 * The members of the schema obj over those of under, the target of its
 * local $ref: obj's own come first and win, its "$ref" is left out.  The
 * keys are borrowed.
 */
int
td_ents_over(struct ctx *c, const cJSON *obj, const cJSON *under, struct ents *s)
{
	const cJSON *m;
	size_t n = 0;

	for (m = obj->child; m != NULL; m = m->next)
		n++;
	for (m = under->child; m != NULL; m = m->next)
		n++;
	if (ents_alloc(c, s, n) == -1)
		return -1;
	if (n == 0)
		return 0;
	n = 0;
	for (m = obj->child; m != NULL; m = m->next, n++)
		if (m->string != NULL && strcmp(m->string, "$ref") != 0)
			s->e[s->n++] = (struct ent){m->string, m, n};
	for (m = under->child; m != NULL; m = m->next, n++)
		if (m->string != NULL)
			s->e[s->n++] = (struct ent){m->string, m, n};
	ents_sort(s);
	return 0;
}

/*
 * The members of two objects, sorted (sa, sb), merged by name: each name
 * given to fn once (a name on one side only with NULL for the other), in
 * the order of the names; stops when memory runs out.
 */
void
td_walk_ents(struct ctx *c, const struct ents *sa, const struct ents *sb, const char *path,
    int depth, member_fn *fn)
{
	struct walk w = {c, path, sa, sb, depth};
	size_t i = 0, j = 0;
	int r;

	while (!c->oom && (i < sa->n || j < sb->n)) {
		r = i == sa->n ? 1 : j == sb->n ? -1 : strcmp(sa->e[i].key, sb->e[j].key);
		if (r < 0)
			fn(&w, sa->e[i].key, sa->e[i].v, NULL), i++;
		else if (r > 0)
			fn(&w, sb->e[j].key, NULL, sb->e[j].v), j++;
		else
			fn(&w, sa->e[i].key, sa->e[i].v, sb->e[j].v), i++, j++;
	}
}

/* The members of the objects a and b walked together (td_walk_ents). */
void
td_walk_members(
    struct ctx *c, const cJSON *a, const cJSON *b, const char *path, int depth, member_fn *fn)
{
	struct ents sa, sb;

	if (td_ents_of(c, a, NULL, &sa) == -1)
		return;
	if (td_ents_of(c, b, NULL, &sb) == -1) {
		free(sa.e);
		return;
	}
	td_walk_ents(c, &sa, &sb, path, depth, fn);
	free(sa.e);
	free(sb.e);
}

/* The strings of the array v (required), sorted, once each; borrowed. */
int
td_strs_of(struct ctx *c, const cJSON *v, struct ents *s)
{
	const cJSON *m;
	size_t n = 0;

	if (!cJSON_IsArray(v))
		return ents_alloc(c, s, 0);
	for (m = v->child; m != NULL; m = m->next)
		n++;
	if (ents_alloc(c, s, n) == -1)
		return -1;
	if (n == 0)
		return 0;
	for (m = v->child, n = 0; m != NULL; m = m->next, n++)
		if (cJSON_IsString(m) && m->valuestring != NULL)
			s->e[s->n++] = (struct ent){m->valuestring, m, n};
	ents_sort(s);
	return 0;
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

	td_values(c, before, after, a, b);
	if (kind == MCP_LIST_RESOURCES)
		/* A resource's description is read by the model as a tool's is. */
		td_emit(c, MCP_CH_REVIEW, "resource_changed", NULL, name, before, after, 0,
		    strcmp(name, "description") == 0);
	else if (strcmp(name, "description") == 0)
		td_emit(c, MCP_CH_REVIEW, "description_changed", NULL, NULL, before, after, 0, 1);
	else if (strcmp(name, "title") == 0)
		td_emit(c, MCP_CH_COMPATIBLE, "title_changed", NULL, NULL, before, after, 0, 0);
	else
		td_emit(c, MCP_CH_REVIEW, "field_changed", NULL, name, before, after, 0, 0);
}

static void
diff_output(struct ctx *c, const cJSON *a, const cJSON *b)
{
	if (a == NULL) {
		td_emit(c, MCP_CH_COMPATIBLE, "output_schema_added", NULL, NULL, NULL, NULL, 0, 0);
	} else if (b == NULL) {
		td_emit(c, MCP_CH_REVIEW, "output_schema_removed", NULL, NULL, NULL, NULL, 0, 0);
	} else {
		c->mode = OUT;
		td_schema_roots(c, a, b);
		td_schema(c, "", a, b, 0);
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
		td_schema_roots(c, a, b);
		/* The walk compares its parts; a whole compare would repeat it. */
		td_schema(c, "", a, b, 0);
		return;
	}
	if (td_same(c, a, b))
		return;
	if (kind == MCP_LIST_TOOLS && strcmp(name, "outputSchema") == 0)
		diff_output(c, a, b);
	else if (kind == MCP_LIST_TOOLS && strcmp(name, "annotations") == 0)
		td_annotations(c, a, b);
	else if (kind == MCP_LIST_TOOLS && strcmp(name, "execution") == 0)
		td_execution(c, a, b);
	else if (kind == MCP_LIST_PROMPTS && strcmp(name, "arguments") == 0)
		td_arguments(c, a, b);
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
	if (td_same(c, a, b))
		return;
	td_walk_members(c, a, b, "", 0, item_member);
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

	td_canon(c, cJSON_GetObjectItemCaseSensitive(l->e->v, m), &c->a);
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
		td_cut_name(c->item, sizeof(c->item), rm[i].e->key);
		if (rm[i].mate == NULL) {
			td_emit(c, MCP_CH_BREAKING,
			    kind == MCP_LIST_TOOLS         ? "tool_removed"
			        : kind == MCP_LIST_PROMPTS ? "prompt_removed"
			                                   : "resource_removed",
			    NULL, NULL, NULL, NULL, 0, 0);
			continue;
		}
		td_emit(c, MCP_CH_BREAKING,
		    kind == MCP_LIST_TOOLS ? "tool_renamed" : "prompt_renamed", rm[i].mate->key,
		    NULL, NULL, NULL, 1, 0);
		/* What else changed is told of the new name. */
		td_cut_name(c->item, sizeof(c->item), rm[i].mate->key);
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
		td_cut_name(c->item, sizeof(c->item), ad[i].e->key);
		td_emit(c, MCP_CH_COMPATIBLE,
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
		td_cut_name(c->item, sizeof(c->item), e->key);
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
	if (td_ents_of(&c, from, key_of(kind), &fa) == 0 &&
	    td_ents_of(&c, to, key_of(kind), &fb) == 0)
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
