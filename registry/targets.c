/*
 * targets.c - mcp-aggregate targets: the targets file of mcp-probe(1) from
 * the registry's fields in the store, merged with the operator's file of
 * overrides (a line for a registry slug replaces it, "!SLUG" excludes it,
 * any other line is an extra target), cut to one shard when asked.  The
 * registry's lines, and those that replace one, say origin=registry: push
 * takes a registry slug's results from them only (mcp-aggregate(1)).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "rec.h"
#include "reg.h"
#include "registry.h"
#include "strmap.h"
#include "targets.h"

struct line {
	char *slug; /* owned */
	char *text; /* owned: the line as given, or the one made */
	int exclude, used;
	int marked;  /* it says origin=registry already */
	int theirs;  /* an override of a slug of the registry's */
	long lineno; /* of an override */
};

struct lines {
	struct line *v;
	size_t n, cap;
};

static int
lines_add(struct lines *ls, const char *slug, const char *text, int exclude)
{
	struct line *v;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 64;
		if ((v = realloc(ls->v, ls->cap * sizeof(*v))) == NULL)
			return -1;
		ls->v = v;
	}
	v = &ls->v[ls->n];
	memset(v, 0, sizeof(*v));
	v->exclude = exclude;
	if ((v->slug = strdup(slug)) == NULL || (v->text = strdup(text)) == NULL) {
		free(v->slug);
		free(v->text);
		return -1;
	}
	ls->n++;
	return 0;
}

static void
lines_free(struct lines *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		free(ls->v[i].slug);
		free(ls->v[i].text);
	}
	free(ls->v);
}

/* One line of the overrides file: 1 taken, 0 blank, -1 wrong (why). */
static int
override_line(char *s, struct lines *ls, char *why, size_t len)
{
	struct mcp_target t;
	size_t n = strlen(s);
	int r;

	while (n > 0 && strchr(" \t\r", s[n - 1]) != NULL)
		s[--n] = '\0';
	s += strspn(s, " \t");
	if (*s == '!') {
		if (!mcp_slug_ok(s + 1))
			return snprintf(why, len, "bad exclusion: want !SLUG, SLUG " MCP_SLUG_RULE),
			       -1;
		return lines_add(ls, s + 1, s, 1) == -1 ? snprintf(why, len, "out of memory"),
		       -1                               : 1;
	}
	if ((r = mcp_target_parse(s, &t, why, len)) != 1)
		return r;
	r = lines_add(ls, t.slug, s, 0);
	if (r == 0)
		ls->v[ls->n - 1].marked = t.from_registry;
	mcp_target_free(&t);
	return r == -1 ? snprintf(why, len, "out of memory"), -1 : 1;
}

static int
load_overrides(const char *path, struct lines *ls, struct mcp_strmap *m)
{
	FILE *f = fopen(path, "r");
	struct mcp_strent *e;
	char *line = NULL, why[300];
	size_t cap = 0;
	long lineno = 0;
	ssize_t n;
	int r = 0, added, bad = 0;

	if (f == NULL)
		return warnx("%s: %s", path, strerror(errno)), -1;
	/* Every wrong line is said, not the first alone; one too long ends the read. */
	while (r != -2 && (n = mcp_getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > MCP_LINE_MAX)
			r = (snprintf(why, sizeof(why), "line too long (over 1048576 bytes)"), -2);
		else if (memchr(line, '\0', (size_t)n) != NULL)
			r = (snprintf(why, sizeof(why), "a NUL byte"), -1);
		else
			r = override_line(line, ls, why, sizeof(why));
		if (r == 1) {
			ls->v[ls->n - 1].lineno = lineno;
			if ((e = mcp_strmap_put(m, ls->v[ls->n - 1].slug, &added)) == NULL)
				r = (snprintf(why, sizeof(why), "out of memory"), -1);
			else if (added)
				e->num = ls->n - 1;
			else
				r = (snprintf(why, sizeof(why),
				         "slug \"%s\" given twice, on lines %ld and %ld",
				         ls->v[ls->n - 1].slug, ls->v[e->num].lineno, lineno),
				    -1);
		}
		if (r < 0) {
			warnx("%s:%ld: %s", path, lineno, why);
			bad = 1;
		}
	}
	if (r != -2 && n == -2) {
		warnx("%s:%ld: %s", path, lineno + 1, strerror(errno ? errno : EIO));
		bad = 1;
	}
	free(line);
	fclose(f);
	return bad ? -1 : 0;
}

/*
 * The line of one stored field into b: 1, or 0 when it is not a target
 * to print (deleted, not in state probe), or -1 when the probe would not
 * take it (why).  mcp-probe refuses a whole file for one bad line, so each
 * line is parsed as the probe parses it before it is printed.
 */
static int
field_line(
    const char *slug, const char *json, size_t len, struct mcp_buf *b, char *why, size_t wlen)
{
	const cJSON *st, *state, *url, *h, *hn, *hv;
	struct mcp_target t;
	const char *pe;
	cJSON *v;
	int rc = 0;

	mcp_buf_reset(b);
	if ((v = mcp_json_parse(json, len, &pe)) == NULL)
		return snprintf(why, wlen, "not JSON (%s)", pe), -1;
	st = cJSON_GetObjectItemCaseSensitive(v, "status");
	state = cJSON_GetObjectItemCaseSensitive(v, "state");
	url = cJSON_GetObjectItemCaseSensitive(v, "url");
	if (!cJSON_IsString(st) || strcmp(st->valuestring, "deleted") == 0 ||
	    !cJSON_IsString(state) || strcmp(state->valuestring, "probe") != 0)
		goto out;
	rc = -1;
	if (!cJSON_IsString(url) || !mcp_slug_ok(slug) || !mcp_target_token_ok(url->valuestring)) {
		snprintf(why, wlen, "a slug or URL a targets file cannot hold");
		goto out;
	}
	if (mcp_target_check_url(url->valuestring) == -1) {
		snprintf(why, wlen, "a URL libcurl does not parse");
		goto out;
	}
	mcp_buf_addf(b, "%s %s guard=%s origin=registry", slug, url->valuestring,
	    strncmp(url->valuestring, "http://", 7) == 0 ? "public-http" : "public");
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(v, "headers"))
	{
		hn = cJSON_GetObjectItemCaseSensitive(h, "name");
		hv = cJSON_GetObjectItemCaseSensitive(h, "value");
		if (!cJSON_IsString(hn) || !cJSON_IsString(hv) ||
		    !mcp_target_token_ok(hn->valuestring) ||
		    strpbrk(hn->valuestring, ":=#") != NULL ||
		    !mcp_target_token_ok(hv->valuestring)) {
			snprintf(why, wlen, "a header a targets file cannot hold");
			goto out;
		}
		mcp_buf_addf(b, " header=%s:%s", hn->valuestring, hv->valuestring);
	}
	if (b->p == NULL) {
		snprintf(why, wlen, "out of memory");
		goto out;
	}
	if (mcp_target_parse(b->p, &t, why, wlen) != 1)
		goto out;
	rc = t.guard != MCP_GUARD_NONE ? 1 : (snprintf(why, wlen, "no guard"), -1);
	mcp_target_free(&t);
out:
	cJSON_Delete(v);
	return rc;
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->slug, ((const struct line *)b)->slug);
}

/*
 * The overrides (m: slug -> index in ov, of the file path) of the
 * registry's slugs marked theirs; one of a slug the sync moved is named,
 * with where it moved.
 */
static void
mark_theirs(struct mcp_store *st, const redisReply *r, struct lines *ov, const struct mcp_strmap *m,
    const char *path)
{
	const char *argv[] = {"HGETALL", REG_KEY_ALIASES};
	const struct mcp_strent *e;
	redisReply *a;
	char err[300];
	size_t i;

	for (i = 0; i + 1 < r->elements; i += 2)
		if ((e = mcp_strmap_get(m, r->element[i]->str)) != NULL)
			ov->v[e->num].theirs = 1;
	if (m->n == 0 || (a = mcp_store_cmd(st, 2, argv, err, sizeof(err))) == NULL)
		return;
	for (i = 0; a->type == REDIS_REPLY_ARRAY && i + 1 < a->elements; i += 2)
		if ((e = mcp_strmap_get(m, a->element[i]->str)) != NULL &&
		    a->element[i + 1]->type == REDIS_REPLY_STRING) {
			ov->v[e->num].theirs = 1;
			warnx("%s:%ld: %s moved to %s: write %s (results under the old slug are "
			      "shown by none of its routes, which lead to the new one)",
			    path, ov->v[e->num].lineno, ov->v[e->num].slug, a->element[i + 1]->str,
			    a->element[i + 1]->str);
		}
	freeReplyObject(a);
}

static int
read_registry(struct mcp_store *st, struct lines *ls, struct lines *ov, const struct mcp_strmap *m,
    const char *path)
{
	const char *argv[] = {"HGETALL", REG_KEY_SERVERS};
	struct mcp_buf b = {0};
	redisReply *r;
	char err[300], why[300], q[MCP_QUOTED_MAX], a[32];
	size_t i, bytes = 0;
	long over = 0;
	int rc = 0, k;

	if ((r = mcp_store_cmd(st, 2, argv, err, sizeof(err))) == NULL ||
	    r->type != REDIS_REPLY_ARRAY) {
		warnx("redis: HGETALL %s: %s", REG_KEY_SERVERS,
		    r ? r->type == REDIS_REPLY_ERROR ? r->str : "not a hash" : err);
		freeReplyObject(r);
		return -1;
	}
	for (i = 0; rc != -1 && i + 1 < r->elements; i += 2) {
		const char *slug = r->element[i]->str;

		k = field_line(
		    slug, r->element[i + 1]->str, r->element[i + 1]->len, &b, why, sizeof(why));
		if (k == -1) {
			warnx("%s %s: not printed: %s", REG_KEY_SERVERS,
			    mcp_json_quoted(q, sizeof(q), slug), why);
		} else if (k == 1 && lines_add(ls, slug, b.p, 0) == -1)
			rc = -1;
	}
	mark_theirs(st, r, ov, m, path);
	freeReplyObject(r);
	mcp_buf_free(&b);
	if (rc == -1)
		warnx("out of memory");
	if (ls->n > 1) /* an empty registry has no array to sort */
		qsort(ls->v, ls->n, sizeof(*ls->v), cmp_line);
	/* A hash no sync writes (REG_STORE_MAX): the output stays bounded all the same. */
	for (i = 0; i < ls->n && (bytes += strlen(ls->v[i].text) + 1) <= REG_STORE_MAX; i++)
		;
	if ((over = (long)(ls->n - i)) > 0)
		warnx("%s: the %s targets past %d MiB, by slug, not printed", REG_KEY_SERVERS,
		    reg_thousands(over, a, sizeof(a)), REG_STORE_MAX >> 20);
	while (ls->n > i) {
		ls->n--;
		free(ls->v[ls->n].slug);
		free(ls->v[ls->n].text);
	}
	return rc;
}

/* Print the line of slug if it is in the shard: 0, or -1 when out failed. */
static int
put(const char *slug, const char *text, const struct reg_targets_opts *o, FILE *out)
{
	if (!reg_shard_of(slug, o->shard_k, o->shard_n))
		return 0;
	return fputs(text, out) == EOF || putc('\n', out) == EOF ? -1 : 0;
}

/*
 * An override of a registry target, printed with origin=registry (before
 * its comment, which a '#' at the start of a word begins).
 */
static int
put_marked(const struct line *l, const struct reg_targets_opts *o, FILE *out)
{
	const char *c = l->text;
	int n;

	if (l->marked || !reg_shard_of(l->slug, o->shard_k, o->shard_n))
		return put(l->slug, l->text, o, out);
	while ((c = strchr(c, '#')) != NULL && c != l->text && strchr(" \t", c[-1]) == NULL)
		c++;
	n = c ? (int)(c - l->text) : (int)strlen(l->text);
	while (n > 0 && strchr(" \t", l->text[n - 1]) != NULL)
		n--;
	if (fprintf(out, "%.*s origin=registry%s%s\n", n, l->text, c ? " " : "", c ? c : "") < 0)
		return -1;
	return 0;
}

/*
 * 0, or -1 when an override says origin=registry of a slug not the
 * registry's (named): push would refuse its results.
 */
static int
marks_ok(const struct lines *ov, const char *path)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < ov->n; i++)
		if (ov->v[i].marked && !ov->v[i].theirs) {
			warnx("%s:%ld: origin=registry, but the registry has no slug %s", path,
			    ov->v[i].lineno, ov->v[i].slug);
			rc = -1;
		}
	return rc;
}

/* The targets in order: the registry's (or their overrides), then the extra ones. */
static int
print_all(const struct lines *reg, struct lines *ov, const struct mcp_strmap *m,
    const struct reg_targets_opts *o, FILE *out)
{
	const struct mcp_strent *e;
	size_t i;

	for (i = 0; i < reg->n; i++) {
		if ((e = mcp_strmap_get(m, reg->v[i].slug)) == NULL) {
			if (put(reg->v[i].slug, reg->v[i].text, o, out) == -1)
				return -1;
			continue;
		}
		ov->v[e->num].used = 1;
		if (!ov->v[e->num].exclude && put_marked(&ov->v[e->num], o, out) == -1)
			return -1;
	}
	/* Extra targets, and overrides of registry slugs it prints no line for. */
	for (i = 0; i < ov->n; i++)
		if (!ov->v[i].used && !ov->v[i].exclude &&
		    (ov->v[i].theirs ? put_marked(&ov->v[i], o, out)
		                     : put(ov->v[i].slug, ov->v[i].text, o, out)) == -1)
			return -1;
	return fflush(out) == EOF ? -1 : 0;
}

/*
 * The targets of o from st into out: 0; -1 when the store failed, -2 when
 * the overrides file is bad (a line, or origin=registry of a slug not the
 * registry's), -3 when out failed (each said on stderr but the last).
 */
static int
targets_write(struct mcp_store *st, const struct reg_targets_opts *o, FILE *out)
{
	struct lines reg = {0}, ov = {0};
	struct mcp_strmap m = {NULL, 0, 0};
	int rc = 0;

	if (o->overrides != NULL && load_overrides(o->overrides, &ov, &m) == -1)
		rc = -2;
	else if (read_registry(st, &reg, &ov, &m, o->overrides) == -1)
		rc = -1;
	else if (o->overrides != NULL && marks_ok(&ov, o->overrides) == -1)
		rc = -2;
	else if (print_all(&reg, &ov, &m, o, out) == -1)
		rc = -3;
	mcp_strmap_free(&m);
	lines_free(&reg);
	lines_free(&ov);
	return rc;
}

int
reg_targets(const struct agg_opts *ao, const struct reg_targets_opts *o)
{
	struct mcp_store *st;
	struct lines ov = {0};
	struct mcp_strmap m = {NULL, 0, 0};
	int rc;

	/* A bad overrides file is a usage error, before the store is asked. */
	if (o->overrides != NULL) {
		rc = load_overrides(o->overrides, &ov, &m);
		mcp_strmap_free(&m);
		lines_free(&ov);
		if (rc == -1)
			return MCP_EXIT_USAGE;
	}
	if ((st = agg_connect(ao)) == NULL)
		return MCP_EXIT_FAIL;
	rc = targets_write(st, o, stdout);
	mcp_store_close(st);
	if (rc == -3) {
		mcp_stdout_failed();
		return AGG_EXIT_STDOUT;
	}
	/* A bad field was named and skipped: the fleet still gets its list. */
	return rc == 0 ? 0 : rc == -2 ? MCP_EXIT_USAGE : MCP_EXIT_FAIL;
}

int
reg_targets_to(struct mcp_store *st, const char *overrides, unsigned k, unsigned n, FILE *out,
    char *err, size_t len)
{
	struct reg_targets_opts o = {overrides, k, n};
	int rc = targets_write(st, &o, out);

	if (rc != 0)
		snprintf(err, len, "%s",
		    rc == -1       ? "the registry could not be read (said above)"
		        : rc == -2 ? "the overrides file is bad (said above)"
		                   : "out of memory");
	return rc;
}

int
reg_in_registry(
    struct mcp_store *st, const char *const *slugs, size_t n, int *known, char *err, size_t len)
{
	redisReply *r;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++)
		if (mcp_store_appendf(st, "HEXISTS %s %s", REG_KEY_SERVERS, slugs[i]) == -1)
			return snprintf(err, len, "out of memory"), -1;
	for (i = 0; i < n; i++) {
		if (mcp_store_read(st, &r, 1, err, len) == -1)
			return -1;
		if (r->type == REDIS_REPLY_ERROR) {
			snprintf(err, len, "HEXISTS %s: %s", REG_KEY_SERVERS, r->str);
			rc = -1;
		}
		known[i] = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
		freeReplyObject(r);
	}
	return rc;
}

int
reg_override_slugs(const char *path, char ***slugs, size_t *n)
{
	struct lines ov = {0};
	struct mcp_strmap m = {NULL, 0, 0};
	size_t i;
	int rc = 0;

	*slugs = NULL;
	*n = 0;
	if (load_overrides(path, &ov, &m) == -1)
		rc = -1;
	else if (ov.n > 0 && (*slugs = calloc(ov.n, sizeof(**slugs))) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < ov.n; i++) {
		if (ov.v[i].exclude)
			continue;
		(*slugs)[(*n)++] = ov.v[i].slug;
		ov.v[i].slug = NULL;
	}
	mcp_strmap_free(&m);
	lines_free(&ov);
	return rc;
}
