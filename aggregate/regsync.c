/*
 * regsync.c - mcp-aggregate registry sync: crawl a registry's listing into
 * mcp:registry:servers.  Everything is staged in memory and written in one
 * MULTI/EXEC at the end, so that a failed crawl changes nothing.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "regfetch.h"
#include "registry.h"
#include "strmap.h"

#define CURSOR_MAX 1024
#define HSET_BATCH 256 /* fields of one HSET */

struct fields {
	struct reg_field *v;
	size_t n, cap;
};

struct sync {
	const struct reg_opts *o;
	double now;
	int full, tty;
	struct fields old, nw;
	struct mcp_strmap oldkey; /* key -> index in old */
	struct mcp_strmap newkey; /* key -> index in nw */
	struct mcp_strmap slugs;  /* slug -> owner key (ptr) */
	struct mcp_strmap names;  /* names seen in this crawl (keys in nw) */
	long pages, entries, skipped;
	double max_updated; /* the latest updatedAt seen, -1 for none */
	char since[64];     /* updated_since of the last sync, "" for none */
	double last_full;   /* -1 for none */
	char prev_base[REG_URL_MAX + 1];
};

static int
fields_add(struct fields *fs, struct reg_field *f)
{
	struct reg_field *v;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 256;
		if ((v = realloc(fs->v, fs->cap * sizeof(*v))) == NULL)
			return -1;
		fs->v = v;
	}
	fs->v[fs->n++] = *f;
	return 0;
}

static void
fields_free(struct fields *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		reg_field_free(&fs->v[i]);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* RFC 3339 to epoch seconds, -1 when it is not one. */
static double
rfc3339(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, se, n = 0, oh, om;
	double frac = 0;
	const char *p;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 19)
		return -1;
	p = s + n;
	if (*p == '.') {
		frac = strtod(p, (char **)&p);
		frac -= (long)frac;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
	tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = se;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	if (*p == 'Z' || *p == 'z')
		return p[1] == '\0' ? (double)t + frac : -1;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 && strlen(p) == 6)
		return (double)t + frac - (*p == '+' ? 1 : -1) * (oh * 3600 + om * 60);
	return -1;
}

/* A reply's field value as a C string, or NULL. */
static const char *
hget(const redisReply *r, const char *k)
{
	size_t i;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY)
		return NULL;
	for (i = 0; i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(r->element[i]->str, k) == 0 &&
		    r->element[i + 1]->type == REDIS_REPLY_STRING)
			return r->element[i + 1]->str;
	return NULL;
}

/* One stored field, read back: its owner from the JSON it holds. */
static int
old_field(struct sync *s, const char *slug, const char *json, size_t len)
{
	struct reg_field f = {0};
	const cJSON *name, *rem, *st;
	const char *why;
	cJSON *v = mcp_json_parse(json, len, &why);
	int rc = -1;

	name = cJSON_GetObjectItemCaseSensitive(v, "name");
	rem = cJSON_GetObjectItemCaseSensitive(v, "remote");
	st = cJSON_GetObjectItemCaseSensitive(v, "status");
	f.deleted = cJSON_IsString(st) && strcmp(st->valuestring, "deleted") == 0;
	f.state = -1;
	if ((f.slug = strdup(slug)) == NULL || (f.json = strdup(json)) == NULL)
		goto out;
	if (cJSON_IsString(name) && (cJSON_IsNull(rem) || cJSON_IsNumber(rem))) {
		f.name = strdup(name->valuestring);
		f.key = reg_key(name->valuestring, cJSON_IsNull(rem) ? -1 : rem->valueint);
	} else {
		/* Unreadable: owned by no name, kept as it is. */
		f.name = strdup("");
		asprintf(&f.key, "?:%s", slug) == -1 ? (void)(f.key = NULL) : (void)0;
	}
	if (f.name == NULL || f.key == NULL || fields_add(&s->old, &f) == -1)
		goto out;
	rc = 0;
out:
	cJSON_Delete(v);
	if (rc == -1)
		reg_field_free(&f);
	return rc;
}

static int
read_store(struct mcp_store *st, struct sync *s, char *err, size_t len)
{
	const char *a1[] = {"HGETALL", REG_KEY_SYNC}, *a2[] = {"HGETALL", REG_KEY_SERVERS}, *v;
	redisReply *r1 = NULL, *r2 = NULL;
	struct mcp_strent *e;
	size_t i;
	int added, rc = -1;

	if ((r1 = mcp_store_cmd(st, 2, a1, err, len)) == NULL ||
	    (r2 = mcp_store_cmd(st, 2, a2, err, len)) == NULL)
		goto out;
	if (r1->type != REDIS_REPLY_ARRAY || r2->type != REDIS_REPLY_ARRAY) {
		snprintf(err, len, "HGETALL: %s",
		    r1->type == REDIS_REPLY_ERROR       ? r1->str
		        : r2->type == REDIS_REPLY_ERROR ? r2->str
		                                        : "not a hash");
		goto out;
	}
	s->last_full = (v = hget(r1, "last_full")) ? mcp_time_of(v) : -1;
	snprintf(s->since, sizeof(s->since), "%s", (v = hget(r1, "updated_since")) ? v : "");
	snprintf(s->prev_base, sizeof(s->prev_base), "%s", (v = hget(r1, "base")) ? v : "");
	for (i = 0; i + 1 < r2->elements; i += 2)
		if (old_field(s, r2->element[i]->str, r2->element[i + 1]->str,
		        r2->element[i + 1]->len) == -1)
			goto oom;
	for (i = 0; i < s->old.n; i++) {
		if ((e = mcp_strmap_put(&s->oldkey, s->old.v[i].key, &added)) == NULL)
			goto oom;
		e->num = i;
		if ((e = mcp_strmap_put(&s->slugs, s->old.v[i].slug, &added)) == NULL)
			goto oom;
		e->ptr = s->old.v[i].key;
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, len, "out of memory");
out:
	freeReplyObject(r1);
	freeReplyObject(r2);
	return rc;
}

/* 1 when slug is owned by another key than key. */
static int
taken(const struct sync *s, const char *slug, const char *key)
{
	const struct mcp_strent *e = mcp_strmap_get(&s->slugs, slug);

	return e != NULL && strcmp(e->ptr, key) != 0;
}

/* The slug of f: the one it had, else the plain one, else the hashed one. */
static int
slug_for(struct sync *s, struct reg_field *f, int remote)
{
	const struct mcp_strent *e = mcp_strmap_get(&s->oldkey, f->key);
	struct mcp_strent *t;
	char buf[MCP_SLUG_MAX + 1];
	int added;

	if (e != NULL)
		snprintf(buf, sizeof(buf), "%s", s->old.v[e->num].slug);
	else if (reg_slug(f->name, remote, 0, buf, sizeof(buf)) == -1 || taken(s, buf, f->key))
		if (reg_slug(f->name, remote, 1, buf, sizeof(buf)) == -1 || taken(s, buf, f->key))
			return 1;
	if ((f->slug = strdup(buf)) == NULL ||
	    (t = mcp_strmap_put(&s->slugs, f->slug, &added)) == NULL)
		return -1;
	if (added)
		t->ptr = f->key;
	return 0;
}

static int
take_fields(struct sync *s, struct reg_field *v, size_t n, const char *where)
{
	struct mcp_strent *e;
	char q[MCP_QUOTED_MAX];
	size_t i;
	int added, r;

	for (i = 0; i < n; i++) {
		struct reg_field *f = &v[i];

		if ((e = mcp_strmap_put(&s->newkey, f->key, &added)) == NULL)
			return -1;
		if (!added) { /* the same server twice: the later one counts */
			free(s->nw.v[e->num].json);
			s->nw.v[e->num].json = f->json;
			s->nw.v[e->num].deleted = f->deleted;
			s->nw.v[e->num].state = f->state;
			f->json = NULL;
			reg_field_free(f);
			continue;
		}
		if ((r = slug_for(s, f, strncmp(f->key, "n:", 2) == 0 ? -1 : (int)i)) != 0 ||
		    fields_add(&s->nw, f) == -1) {
			e->key = NULL; /* the key is f's, about to go */
			if (r == 1)
				warnx("registry: %s %s: no free slug, skipped", where,
				    mcp_json_quoted(q, sizeof(q), f->name));
			reg_field_free(f);
			if (r != 1)
				return -1;
			continue;
		}
		e->num = s->nw.n - 1;
		if (mcp_strmap_put(&s->names, s->nw.v[e->num].name, &added) == NULL)
			return -1;
	}
	return 0;
}

static int
take_entry(struct sync *s, const cJSON *entry, long index)
{
	const cJSON *m;
	struct reg_field *v;
	char err[400], where[64], q[MCP_QUOTED_MAX];
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(entry, "server"), "name");
	double t;
	size_t n;
	int rc;

	s->entries++;
	snprintf(where, sizeof(where), "page %ld entry %ld", s->pages, index);
	if (reg_entry_fields(entry, s->o, s->now, &v, &n, err, sizeof(err)) == -1) {
		warnx("registry: %s%s%s: %s, skipped", where, cJSON_IsString(nm) ? " " : "",
		    cJSON_IsString(nm) ? mcp_json_quoted(q, sizeof(q), nm->valuestring) : "", err);
		s->skipped++;
		return strcmp(err, "out of memory") == 0 ? -1 : 0;
	}
	m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(entry, "_meta"),
	    "io.modelcontextprotocol.registry/official");
	m = cJSON_GetObjectItemCaseSensitive(m, "updatedAt");
	if (cJSON_IsString(m) && (t = rfc3339(m->valuestring)) > s->max_updated &&
	    t <= s->now + AGG_DAY)
		s->max_updated = t;
	rc = take_fields(s, v, n, where);
	free(v);
	return rc;
}

/* \u0000 in a string made \ufffd in place: mcp_json_parse refuses the one, not the other. */
static void
no_nul_escapes(char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (p[i] == '\\') {
			if (p[i + 1] == 'u' && i + 5 < n && memcmp(p + i + 2, "0000", 4) == 0)
				memcpy(p + i + 2, "fffd", 4);
			i++;
		}
}

/* One page: its entries taken, the next cursor into next ("" for none). */
static int
take_page(struct sync *s, struct mcp_buf *body, char *next, size_t nlen, char *err, size_t len)
{
	const cJSON *list, *e, *cur;
	const char *why;
	cJSON *page;
	long i = 0;
	int rc = 0;

	no_nul_escapes(body->p, body->len);
	if ((page = mcp_json_parse(body->p, body->len, &why)) == NULL)
		return snprintf(err, len, "page %ld: not JSON (%s): truncated?", s->pages, why), -1;
	list = cJSON_GetObjectItemCaseSensitive(page, "servers");
	cur = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(page, "metadata"), "nextCursor");
	if (!cJSON_IsArray(list) || (cur != NULL && !cJSON_IsString(cur) && !cJSON_IsNull(cur))) {
		cJSON_Delete(page);
		return snprintf(err, len, "page %ld: not a listing (servers, metadata.nextCursor)",
		           s->pages),
		       -1;
	}
	next[0] = '\0';
	if (cJSON_IsString(cur) && snprintf(next, nlen, "%s", cur->valuestring) >= (int)nlen) {
		snprintf(err, len, "page %ld: a cursor over %d bytes", s->pages, CURSOR_MAX);
		rc = -1;
	}
	cJSON_ArrayForEach(e, list)
	{
		if (rc == 0 && take_entry(s, e, i++) == -1) {
			snprintf(err, len, "out of memory");
			rc = -1;
		}
	}
	cJSON_Delete(page);
	return rc;
}

static int
page_url(const struct sync *s, CURL *c, const char *cursor, char *url, size_t len)
{
	char *since = NULL, *cur = NULL;
	int n;

	if ((!s->full && (since = curl_easy_escape(c, s->since, 0)) == NULL) ||
	    (*cursor && (cur = curl_easy_escape(c, cursor, 0)) == NULL))
		n = -1;
	else
		n = snprintf(url, len, "%s/v0.1/servers?limit=100&version=latest%s%s%s%s",
		    s->o->base,
		    s->full ? "" : "&include_deleted=true&updated_since=", s->full ? "" : since,
		    *cursor ? "&cursor=" : "", *cursor ? cur : "");
	curl_free(since);
	curl_free(cur);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void
progress(const struct sync *s, int end)
{
	if (!s->tty)
		return;
	fprintf(stderr, "\r%s: registry: page %ld, %ld entries%s", program_invocation_short_name,
	    s->pages, s->entries, end ? "\n" : "");
}

static int
crawl(struct sync *s, char *err, size_t len)
{
	struct mcp_buf body = {NULL, 0, 0, REG_PAGE_MAX, 0};
	struct mcp_strmap seen = {NULL, 0, 0};
	char **cursors = NULL, cursor[CURSOR_MAX + 1] = "", url[REG_URL_MAX + CURSOR_MAX * 3 + 256];
	char why[300];
	size_t ncur = 0, i;
	CURL *c;
	int added, rc = -1;

	if ((c = reg_fetch_handle()) == NULL)
		return snprintf(err, len, "libcurl: cannot start"), -1;
	for (;;) {
		s->pages++;
		if (page_url(s, c, cursor, url, sizeof(url)) == -1) {
			snprintf(err, len, "page %ld: URL too long", s->pages);
			break;
		}
		if (reg_fetch(c, url, &body, why, sizeof(why)) == -1) {
			snprintf(err, len, "page %ld: %s", s->pages, why);
			break;
		}
		if (take_page(s, &body, cursor, sizeof(cursor), err, len) == -1)
			break;
		progress(s, 0);
		if (cursor[0] == '\0') {
			rc = 0;
			break;
		}
		if (s->pages >= REG_PAGES_MAX) {
			snprintf(err, len, "more than %d pages", REG_PAGES_MAX);
			break;
		}
		if ((cursors = reallocarray(cursors, ncur + 1, sizeof(*cursors))) == NULL ||
		    (cursors[ncur] = strdup(cursor)) == NULL ||
		    mcp_strmap_put(&seen, cursors[ncur++], &added) == NULL) {
			snprintf(err, len, "out of memory");
			break;
		}
		if (!added) {
			snprintf(err, len, "page %ld: the cursor repeats an earlier one", s->pages);
			break;
		}
	}
	progress(s, 1);
	for (i = 0; i < ncur; i++)
		free(cursors[i]);
	free(cursors);
	mcp_strmap_free(&seen);
	mcp_buf_free(&body);
	curl_easy_cleanup(c);
	return rc;
}

/* json with its status made "deleted" (owned), or NULL. */
static char *
as_deleted(const char *json)
{
	struct mcp_buf b = {0};
	const char *why;
	char err[100], *r = NULL;
	cJSON *v = mcp_json_parse(json, strlen(json), &why);

	if (v != NULL &&
	    cJSON_ReplaceItemInObjectCaseSensitive(v, "status", cJSON_CreateString("deleted")) &&
	    mcp_json_write(&b, v, err, sizeof(err)) == 0) {
		r = b.p;
		b.p = NULL;
	}
	cJSON_Delete(v);
	mcp_buf_free(&b);
	return r;
}

/*
 * The store's fields after this crawl, in place in s->old (and s->nw's
 * new slugs moved there): a field seen is replaced; one not seen is
 * deleted by a full pass, or when its server was seen with fewer remotes.
 */
static int
merge(struct sync *s)
{
	const struct mcp_strent *e;
	struct reg_field *o;
	char *j;
	size_t i;

	for (i = 0; i < s->old.n; i++) {
		o = &s->old.v[i];
		if ((e = mcp_strmap_get(&s->newkey, o->key)) != NULL) {
			free(o->json);
			o->json = s->nw.v[e->num].json;
			o->deleted = s->nw.v[e->num].deleted;
			o->state = s->nw.v[e->num].state;
			s->nw.v[e->num].json = NULL;
		} else if (!o->deleted && o->key[0] != '?' &&
		    (s->full || mcp_strmap_get(&s->names, o->name) != NULL)) {
			if ((j = as_deleted(o->json)) == NULL)
				return -1;
			free(o->json);
			o->json = j;
			o->deleted = 1;
		}
	}
	for (i = 0; i < s->nw.n; i++)
		if (s->nw.v[i].json != NULL) {
			if (fields_add(&s->old, &s->nw.v[i]) == -1)
				return -1;
			memset(&s->nw.v[i], 0, sizeof(s->nw.v[i]));
		}
	return 0;
}

struct counts {
	long servers, targets, conf, refused, local;
};

/* The state of a stored field (one read back has none yet). */
static int
state_of(const struct reg_field *f)
{
	static const char *const names[] = {"\"state\":\"probe\"",
	    "\"state\":\"needs-configuration\"", "\"state\":\"local-only\"",
	    "\"state\":\"refused\""};
	int i;

	if (f->state >= 0)
		return f->state;
	for (i = 0; i < REG_NSTATES; i++)
		if (strstr(f->json, names[i]) != NULL)
			return i;
	return REG_REFUSED;
}

static int
count(const struct sync *s, struct counts *c)
{
	struct mcp_strmap names = {NULL, 0, 0};
	const struct reg_field *f;
	size_t i;
	int added;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < s->old.n; i++) {
		f = &s->old.v[i];
		if (f->deleted || f->key[0] == '?')
			continue;
		if (mcp_strmap_put(&names, f->name, &added) == NULL)
			return mcp_strmap_free(&names), -1;
		c->servers += added;
		switch (state_of(f)) {
		case REG_PROBE:
			c->targets++;
			break;
		case REG_NEEDS_CONF:
			c->conf++;
			break;
		case REG_LOCAL:
			c->local++;
			break;
		default:
			c->refused++;
		}
	}
	mcp_strmap_free(&names);
	return 0;
}

/* The updated_since of the next incremental sync. */
static void
next_since(const struct sync *s, char *buf, size_t len)
{
	if (s->max_updated >= 0)
		mcp_iso8601(s->max_updated - 1, buf, len);
	else if (s->since[0] != '\0')
		snprintf(buf, len, "%s", s->since);
	else
		mcp_iso8601(s->now - 300, buf, len);
}

static int
append(struct mcp_store *st, int argc, const char **argv, size_t *n)
{
	(*n)++;
	return mcp_store_appendv(st, argc, argv, NULL);
}

/* MULTI; DEL; HSET ... EXEC of the servers hash. */
static int
queue_servers(struct mcp_store *st, const struct sync *s, size_t *n)
{
	const char **argv;
	const char *multi[] = {"MULTI"}, *del[] = {"DEL", REG_KEY_SERVERS};
	size_t i, k;
	int rc = 0;

	if ((argv = calloc(2 + 2 * HSET_BATCH, sizeof(*argv))) == NULL)
		return -1;
	rc |= append(st, 1, multi, n);
	rc |= append(st, 2, del, n);
	for (i = 0; i < s->old.n; i += k) {
		argv[0] = "HSET", argv[1] = REG_KEY_SERVERS;
		for (k = 0; k < HSET_BATCH && i + k < s->old.n; k++) {
			argv[2 + 2 * k] = s->old.v[i + k].slug;
			argv[3 + 2 * k] = s->old.v[i + k].json;
		}
		rc |= append(st, (int)(2 + 2 * k), argv, n);
	}
	free(argv);
	return rc;
}

static int
queue_sync(
    struct mcp_store *st, const struct sync *s, const struct counts *c, long last_full, size_t *n)
{
	char ok[32], full[32], since[64], ent[32], sk[32], sv[32], tg[32];
	const char *del[] = {"DEL", REG_KEY_SYNC};
	const char *h[] = {"HSET", REG_KEY_SYNC, "base", s->o->base, "last_ok", ok, "last_full",
	    full, "updated_since", since, "entries", ent, "skipped", sk, "servers", sv, "targets",
	    tg};

	snprintf(ok, sizeof(ok), "%ld", (long)s->now);
	snprintf(full, sizeof(full), "%ld", last_full);
	next_since(s, since, sizeof(since));
	snprintf(ent, sizeof(ent), "%ld", s->entries);
	snprintf(sk, sizeof(sk), "%ld", s->skipped);
	snprintf(sv, sizeof(sv), "%ld", c->servers);
	snprintf(tg, sizeof(tg), "%ld", c->targets);
	return append(st, 2, del, n) | append(st, 18, h, n);
}

/*
 * Write the whole result: one MULTI/EXEC.  On a cluster the two keys
 * are in two slots, so two transactions, the servers first: a failure
 * between them leaves the servers new and the sync hash old, and the
 * next sync asks again what this one read.
 */
static int
write_store(
    struct mcp_store *st, const struct sync *s, const struct counts *c, char *err, size_t len)
{
	const char *exec[] = {"EXEC"}, *multi[] = {"MULTI"};
	long last_full = s->full ? (long)s->now : (long)s->last_full;
	redisReply **r;
	size_t n = 0, i, j;
	int rc = -1, cl = mcp_store_is_cluster(st);

	if (queue_servers(st, s, &n) == -1 ||
	    (cl && (append(st, 1, exec, &n) == -1 || append(st, 1, multi, &n) == -1)) ||
	    queue_sync(st, s, c, last_full, &n) == -1 || append(st, 1, exec, &n) == -1)
		return snprintf(err, len, "out of memory"), -1;
	if ((r = calloc(n, sizeof(*r))) == NULL)
		return snprintf(err, len, "out of memory"), -1;
	if (mcp_store_read(st, r, n, err, len) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (r[i] == NULL || r[i]->type == REDIS_REPLY_ERROR) {
			snprintf(err, len, "%s", r[i] ? r[i]->str : "no reply");
			goto out;
		}
		if (strcmp(r[i]->type == REDIS_REPLY_STATUS ? r[i]->str : "", "QUEUED") != 0 &&
		    r[i]->type == REDIS_REPLY_ARRAY)
			for (j = 0; j < r[i]->elements; j++)
				if (r[i]->element[j]->type == REDIS_REPLY_ERROR) {
					snprintf(err, len, "%s", r[i]->element[j]->str);
					goto out;
				}
		if (r[i]->type == REDIS_REPLY_NIL) {
			snprintf(err, len, "EXEC: the transaction was aborted");
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		freeReplyObject(r[i]);
	free(r);
	return rc;
}

/* n with a comma every three digits, as the summary prints it. */
static const char *
thousands(long n, char *buf, size_t len)
{
	char d[32];
	size_t i, o = 0, k = (size_t)snprintf(d, sizeof(d), "%ld", n);

	for (i = 0; i < k && o + 2 < len; i++) {
		if (i > 0 && (k - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = d[i];
	}
	buf[o] = '\0';
	return buf;
}

static void
summary(const struct sync *s, const struct counts *c)
{
	char a[32], b[32], d[32], e[32], f[32];

	fprintf(stderr,
	    "%s: registry: %s servers, %s targets, %s needs configuration, %s refused, "
	    "%s skipped\n",
	    program_invocation_short_name, thousands(c->servers, a, sizeof(a)),
	    thousands(c->targets, b, sizeof(b)), thousands(c->conf, d, sizeof(d)),
	    thousands(c->refused, e, sizeof(e)), thousands(s->skipped, f, sizeof(f)));
}

static void
sync_free(struct sync *s)
{
	mcp_strmap_free(&s->oldkey);
	mcp_strmap_free(&s->newkey);
	mcp_strmap_free(&s->slugs);
	mcp_strmap_free(&s->names);
	fields_free(&s->nw);
	fields_free(&s->old);
}

int
agg_registry_sync(const struct agg_opts *ao, const struct reg_opts *o)
{
	struct sync s;
	struct counts c;
	struct mcp_store *st;
	char err[600];
	int rc = MCP_EXIT_FAIL;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.now = mcp_now();
	s.max_updated = -1;
	s.tty = isatty(2);
	if ((st = agg_connect(ao)) == NULL)
		return MCP_EXIT_FAIL;
	if (read_store(st, &s, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		goto out;
	}
	s.full = o->full || s.last_full < 0 || s.now - s.last_full >= REG_FULL_EVERY ||
	    s.since[0] == '\0' || strcmp(s.prev_base, o->base) != 0;
	if (crawl(&s, err, sizeof(err)) == -1) {
		warnx("registry: %s: %s; nothing changed", o->base, err);
		goto out;
	}
	if (merge(&s) == -1 || count(&s, &c) == -1) {
		warnx("registry: out of memory; nothing changed");
		goto out;
	}
	if (write_store(st, &s, &c, err, sizeof(err)) == -1) {
		warnx("redis: %s; nothing changed", err);
		goto out;
	}
	summary(&s, &c);
	rc = 0;
out:
	sync_free(&s);
	mcp_store_close(st);
	return rc;
}
