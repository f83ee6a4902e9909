/*
 * sync.c - mcp-aggregate registry sync: crawl a registry's listing into
 * mcp:registry:servers.  Everything is staged in memory and written in one
 * MULTI/EXEC at the end, so that a failed crawl changes nothing.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "sync.h"

#define CURSOR_MAX 1024

/* RFC 3339 to epoch seconds, -1 when it is not one. */
static double
rfc3339(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi, se, n = 0, oh, om;
	double frac = 0, scale;
	const char *p;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 19)
		return -1;
	p = s + n;
	if (*p == '.') /* a fraction of any length, its first 9 digits counted */
		for (p++, n = 0, scale = 0.1; *p >= '0' && *p <= '9'; p++, n++, scale /= 10)
			frac += n < 9 ? (*p - '0') * scale : 0;
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

/* The value of dst replaced by f's (moved: f's json NULL after). */
static void
replace(struct reg_field *dst, struct reg_field *f)
{
	free(dst->json);
	dst->json = f->json;
	dst->deleted = f->deleted;
	dst->state = f->state;
	f->json = NULL;
}

/*
 * The fields of one entry into s->nw, by owner.  Their slugs are given
 * after the crawl (reg_merge), when every server that wants one is known.
 * A field the store holds has its value replaced in s->old at once (its
 * entry in s->nw keeps the owner, the value NULL): a full pass over a
 * full store then holds one value of each field, not two.  Nothing is
 * written before the crawl ends, so a failed crawl still changes nothing.
 */
static int
take_fields(struct sync *s, struct reg_field *v, size_t n)
{
	const struct mcp_strent *o;
	struct mcp_strent *e;
	size_t i;
	int added;

	for (i = 0; i < n; i++) {
		struct reg_field *f = &v[i];

		if ((e = mcp_strmap_put(&s->newkey, f->key, &added)) == NULL)
			return -1;
		o = mcp_strmap_get(&s->oldkey, f->key);
		if (!added) { /* the same server twice: the later one counts */
			replace(o != NULL ? &s->old.v[o->num] : &s->nw.v[e->num], f);
			reg_field_free(f);
			continue;
		}
		if (o != NULL)
			replace(&s->old.v[o->num], f);
		if (reg_fields_add(&s->nw, f) == -1) {
			reg_field_free(f);
			return -1;
		}
		e->num = s->nw.n - 1;
		if (mcp_strmap_put(&s->names, s->nw.v[e->num].name, &added) == NULL)
			return -1;
	}
	return 0;
}

/*
 * The bytes of the fields one entry made, counted: -1 past the bounds
 * (err).  A crawl's fields may pass REG_STORE_FAT only as a registry of
 * many servers makes them, REG_ENTRY_AVG bytes an entry on average at
 * most (the real one: 465), and never REG_STORE_MAX: a flood of fat
 * entries stops at the first bound, one of thin entries at the second.
 */
static int
staged(struct sync *s, const struct reg_field *v, size_t n, char *err, size_t len)
{
	char a[32], b[32];
	size_t i;

	for (i = 0; i < n; i++)
		s->staged += MCP_SLUG_MAX + strlen(v[i].json);
	if (s->staged <= REG_STORE_FAT)
		return 0;
	if (s->staged > REG_STORE_MAX)
		return snprintf(err, len,
		           "page %ld: the fields of this crawl pass %d MiB: a flood?", s->pages,
		           REG_STORE_MAX >> 20),
		       -1;
	if (s->staged > (size_t)s->entries * REG_ENTRY_AVG)
		return snprintf(err, len,
		           "page %ld: the fields of this crawl pass %d MiB at %s bytes an entry "
		           "(over %s): a flood?",
		           s->pages, REG_STORE_FAT >> 20,
		           reg_thousands((long)(s->staged / (size_t)s->entries), a, sizeof(a)),
		           reg_thousands(REG_ENTRY_AVG, b, sizeof(b))),
		       -1;
	return 0;
}

/* One entry taken: 0, or -1 with err (memory ran out, the crawl's bytes passed). */
static int
take_entry(struct sync *s, const cJSON *entry, long index, char *err, size_t len)
{
	const cJSON *m;
	struct reg_field *v;
	struct reg_remotes c;
	char why[400], where[64], q[MCP_QUOTED_MAX], qt[MCP_QUOTED_MAX];
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(entry, "server"), "name");
	const char *shown =
	    cJSON_IsString(nm) ? mcp_json_quoted(q, sizeof(q), nm->valuestring) : "";
	double t;
	size_t n;
	int rc;

	s->entries++;
	snprintf(where, sizeof(where), "page %ld entry %ld", s->pages, index);
	if (reg_entry_fields(entry, s->o, s->now, &v, &n, &c, why, sizeof(why)) == -1) {
		reg_warn_begin();
		warnx("registry: %s%s%s: %s, skipped", where, *shown ? " " : "", shown, why);
		s->skipped++;
		if (strcmp(why, "out of memory") != 0)
			return 0;
		return snprintf(err, len, "out of memory"), -1;
	}
	if (c.dropped > 0) {
		reg_warn_begin();
		warnx(
		    "registry: %s %s: %ld of its %ld remotes dropped (over %d distinct or %d KiB)",
		    where, shown, c.dropped, c.listed, REG_REMOTES_MAX, REG_SERVER_MAX >> 10);
	}
	if (staged(s, v, n, err, len) == -1) {
		while (n > 0)
			reg_field_free(&v[--n]);
		free(v);
		return -1;
	}
	m = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(entry, "_meta"),
	    "io.modelcontextprotocol.registry/official");
	m = cJSON_GetObjectItemCaseSensitive(m, "updatedAt");
	t = cJSON_IsString(m) ? rfc3339(m->valuestring) : -1;
	/*
	 * One entry from the future would make the next updated_since skip
	 * everything: it is taken (a full pass sees it, and does not delete
	 * it), but its time is not believed for the next sync's.
	 */
	if (t > s->now + REG_SKEW) {
		reg_warn_begin();
		warnx(
		    "registry: %s %s: updatedAt %s is in the future: taken, its time not believed",
		    where, mcp_json_quoted(q, sizeof(q), n > 0 ? v[0].name : ""),
		    mcp_json_quoted(qt, sizeof(qt), m->valuestring));
	} else if (t > s->max_updated)
		s->max_updated = t;
	if ((rc = take_fields(s, v, n)) == -1)
		snprintf(err, len, "out of memory");
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
		if (rc == 0 && s->entries >= REG_ENTRIES_MAX) {
			snprintf(
			    err, len, "page %ld: more than %d entries", s->pages, REG_ENTRIES_MAX);
			rc = -1;
		} else if (rc == 0 && take_entry(s, e, i++, err, len) == -1)
			rc = -1;
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

/* A progress line is on the terminal: a warning starts on a line of its own. */
static int shown;

void
reg_warn_begin(void)
{
	if (shown)
		fputc('\n', stderr);
	shown = 0;
}

static void
progress(const struct sync *s, int end)
{
	if (!s->tty)
		return;
	fprintf(stderr, "\r%s: registry: page %ld, %ld entries%s", program_invocation_short_name,
	    s->pages, s->entries, end ? "\n" : "");
	shown = !end;
}

static int
crawl(struct sync *s, char *err, size_t len)
{
	struct mcp_buf body = {NULL, 0, 0, REG_PAGE_MAX, 0};
	struct mcp_strmap seen = {NULL, 0, 0};
	char **cursors = NULL, **more, cursor[CURSOR_MAX + 1] = "",
	     url[REG_BASE_MAX + CURSOR_MAX * 3 + 256];
	char why[300];
	size_t ncur = 0, i;
	double date;
	CURL *c;
	int added, rc = -1;

	if ((c = reg_fetch_handle(s->o->cacert)) == NULL)
		return snprintf(err, len, "libcurl: cannot start"), -1;
	for (;;) {
		s->pages++;
		if (mcp_mono() >= s->deadline) {
			snprintf(err, len, "page %ld: past the deadline (--deadline %.0f)",
			    s->pages, s->o->deadline);
			break;
		}
		if (page_url(s, c, cursor, url, sizeof(url)) == -1) {
			snprintf(err, len, "page %ld: URL too long", s->pages);
			break;
		}
		if (reg_fetch(c, url, s->deadline, &body, &date, why, sizeof(why)) == -1) {
			snprintf(err, len, "page %ld: %s", s->pages, why);
			if (strstr(why, "deadline") != NULL)
				snprintf(err + strlen(err), len - strlen(err), " (--deadline %.0f)",
				    s->o->deadline);
			break;
		}
		/* The crawl began by the registry's clock, or by ours if that is earlier. */
		if (s->pages == 1 && date > 0 && date < s->start)
			s->start = date;
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
		if ((more = reallocarray(cursors, ncur + 1, sizeof(*cursors))) == NULL ||
		    ((cursors = more)[ncur] = strdup(cursor)) == NULL ||
		    mcp_strmap_put(&seen, cursors[ncur++], &added) == NULL) {
			snprintf(err, len, "out of memory");
			break;
		}
		if (!added) {
			snprintf(err, len, "page %ld: the cursor repeats an earlier one", s->pages);
			break;
		}
	}
	if (s->pages > 0 && shown)
		progress(s, 1);
	for (i = 0; i < ncur; i++)
		free(cursors[i]);
	free(cursors);
	mcp_strmap_free(&seen);
	mcp_buf_free(&body);
	curl_easy_cleanup(c);
	return rc;
}

/*
 * The line that ends a sync: what the store holds, and what the remotes
 * listed became (targets, needs configuration, refused, dropped and
 * duplicates add up to the remotes).
 */
static void
summary(const struct sync *s, const struct counts *c)
{
	char a[9][32];

	fprintf(stderr,
	    "%s: registry: %s servers, %s remotes: %s targets, %s needs configuration, %s "
	    "refused, %s dropped, %s duplicates; %s local-only; %s entries skipped\n",
	    program_invocation_short_name, reg_thousands(c->servers, a[0], sizeof(a[0])),
	    reg_thousands(c->remotes, a[1], sizeof(a[1])),
	    reg_thousands(c->targets, a[2], sizeof(a[2])),
	    reg_thousands(c->conf, a[3], sizeof(a[3])),
	    reg_thousands(c->refused, a[4], sizeof(a[4])),
	    reg_thousands(c->dropped, a[5], sizeof(a[5])),
	    reg_thousands(c->duplicates, a[6], sizeof(a[6])),
	    reg_thousands(c->local, a[7], sizeof(a[7])),
	    reg_thousands(s->skipped, a[8], sizeof(a[8])));
}

static void
sync_free(struct sync *s)
{
	mcp_strmap_free(&s->oldkey);
	mcp_strmap_free(&s->newkey);
	mcp_strmap_free(&s->slugs);
	mcp_strmap_free(&s->names);
	reg_store_free(s);
	reg_fields_free(&s->nw);
	reg_fields_free(&s->old);
}

int
reg_sync(const struct agg_opts *ao, const struct reg_opts *o)
{
	struct sync s;
	struct counts c, prev;
	struct reg_probed was = {{0}, 0};
	struct mcp_store *st;
	char err[1000];
	int rc = MCP_EXIT_FAIL;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.now = mcp_now();
	s.deadline = mcp_mono() + o->deadline;
	s.start = s.now;
	s.max_updated = -1;
	s.tty = isatty(2);
	if ((st = agg_connect(ao)) == NULL)
		return MCP_EXIT_FAIL;
	if (reg_read_store(st, &s, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		goto out;
	}
	s.full = o->full || s.last_full < 0 || s.now - s.last_full >= REG_FULL_EVERY ||
	    s.since[0] == '\0' || strcmp(s.prev_base, o->base) != 0;
	/* The store before: counted before the crawl replaces what it sees. */
	if (reg_count(&s, &prev) == -1 || reg_probed_begin(&s, &was) == -1) {
		warnx("registry: out of memory; nothing changed");
		goto out;
	}
	if (crawl(&s, err, sizeof(err)) == -1) {
		warnx("registry: %s: %s; nothing changed", o->base, err);
		goto out;
	}
	if (reg_merge(&s) == -1 || reg_count(&s, &c) == -1) {
		warnx("registry: out of memory; nothing changed");
		goto out;
	}
	if (reg_too_big(&c, err, sizeof(err))) {
		warnx("registry: %s: %s; nothing changed", o->base, err);
		goto out;
	}
	if (!o->force && reg_too_much(&s, &was, &prev, &c, err, sizeof(err))) {
		warnx("registry: %s: %s; nothing changed (--force to accept)", o->base, err);
		goto out;
	}
	if (reg_write_store(st, &s, &c, err, sizeof(err)) == -1) {
		warnx("redis: %s; nothing changed", err);
		goto out;
	}
	summary(&s, &c);
	rc = 0;
out:
	reg_probed_free(&was);
	sync_free(&s);
	mcp_store_close(st);
	return rc;
}