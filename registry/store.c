/*
 * store.c - the store's side of mcp-aggregate registry sync: the
 * fields read back, merged with what a crawl saw, and written whole in one
 * MULTI/EXEC, so that a failed sync changes nothing.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

#define HSET_BATCH 256 /* fields of one HSET */
#define QUEUED_MAX 16  /* HSETs sent before their QUEUED is read (one server) */

int
reg_fields_add(struct fields *fs, struct reg_field *f)
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

void
reg_fields_free(struct fields *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		reg_field_free(&fs->v[i]);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
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
	if (f.name == NULL || f.key == NULL || reg_fields_add(&s->old, &f) == -1)
		goto out;
	rc = 0;
out:
	cJSON_Delete(v);
	if (rc == -1)
		reg_field_free(&f);
	return rc;
}

/* The replies of reg_read_store, of the keys named: arrays, or -1 with err. */
static int
arrays(redisReply **r, const char *const *keys, size_t n, char *err, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i]->type != REDIS_REPLY_ARRAY)
			return snprintf(err, len, "%s: %s", keys[i],
			           r[i]->type == REDIS_REPLY_ERROR ? r[i]->str : "not a hash"),
			       -1;
	return 0;
}

int
reg_read_store(struct mcp_store *st, struct sync *s, char *err, size_t len)
{
	const char *a1[] = {"HGETALL", REG_KEY_SYNC}, *a2[] = {"HGETALL", REG_KEY_SERVERS},
	           *a3[] = {"HGETALL", REG_KEY_ALIASES},
	           *a4[] = {"ZRANGE", AGG_KEY_SLUGS, "0", "-1"};
	const char *watch[] = {"WATCH", REG_KEY_SERVERS}, *v;
	const char *const keys[] = {REG_KEY_SYNC, REG_KEY_SERVERS, REG_KEY_ALIASES, AGG_KEY_SLUGS};
	redisReply *r[4] = {NULL, NULL, NULL, NULL};
	size_t i;
	int rc = -1;

	/*
	 * WATCH: a write of the hash by anyone else between this read and the
	 * EXEC (another sync) aborts this sync's transaction, never lost.
	 */
	if ((r[0] = mcp_store_cmd(st, 2, watch, err, len)) == NULL)
		goto out;
	if (r[0]->type == REDIS_REPLY_ERROR) {
		snprintf(err, len, "WATCH: %s", r[0]->str);
		goto out;
	}
	freeReplyObject(r[0]);
	if ((r[0] = mcp_store_cmd(st, 2, a1, err, len)) == NULL ||
	    (r[1] = mcp_store_cmd(st, 2, a2, err, len)) == NULL ||
	    (r[2] = mcp_store_cmd(st, 2, a3, err, len)) == NULL ||
	    (r[3] = mcp_store_cmd(st, 4, a4, err, len)) == NULL)
		goto out;
	if (arrays(r, keys, 4, err, len) == -1)
		goto out;
	s->last_full = (v = hget(r[0], "last_full")) ? mcp_time_of(v) : -1;
	snprintf(s->since, sizeof(s->since), "%s", (v = hget(r[0], "updated_since")) ? v : "");
	snprintf(s->prev_base, sizeof(s->prev_base), "%s", (v = hget(r[0], "base")) ? v : "");
	for (i = 0; i + 1 < r[1]->elements; i += 2)
		if (old_field(s, r[1]->element[i]->str, r[1]->element[i + 1]->str,
		        r[1]->element[i + 1]->len) == -1)
			goto oom;
	if (reg_owners(s, r[2], r[3]) == -1)
		goto oom;
	/* The operator's slugs are keys of r[3]: kept with them. */
	s->others_r = r[3];
	r[3] = NULL;
	rc = 0;
	goto out;
oom:
	snprintf(err, len, "out of memory");
out:
	for (i = 0; i < 4; i++)
		freeReplyObject(r[i]);
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
int
reg_merge(struct sync *s)
{
	struct mcp_strmap gone = {NULL, 0, 0};
	const struct mcp_strent *e;
	struct reg_field *o;
	char *j;
	size_t i;
	int added;

	if (reg_give_new(s) == -1)
		return -1;

	for (i = 0; i < s->old.n; i++) {
		o = &s->old.v[i];
		if ((e = mcp_strmap_get(&s->newkey, o->key)) != NULL) {
			/* Seen: its value was replaced as the crawl took it (sync.c). */
			if (s->nw.v[e->num].json != NULL) {
				free(o->json);
				o->json = s->nw.v[e->num].json;
				o->deleted = s->nw.v[e->num].deleted;
				o->state = s->nw.v[e->num].state;
				s->nw.v[e->num].json = NULL;
			}
		} else if (!o->deleted && o->key[0] != '?' &&
		    (s->full || mcp_strmap_get(&s->names, o->name) != NULL)) {
			/* A server gone from a full listing: counted once, by name. */
			if (mcp_strmap_get(&s->names, o->name) == NULL &&
			    mcp_strmap_put(&gone, o->name, &added) == NULL)
				return mcp_strmap_free(&gone), -1;
			if ((j = as_deleted(o->json)) == NULL)
				return mcp_strmap_free(&gone), -1;
			free(o->json);
			o->json = j;
			o->deleted = 1;
		}
	}
	s->gone = (long)gone.n;
	mcp_strmap_free(&gone);
	for (i = 0; i < s->nw.n; i++)
		if (s->nw.v[i].json != NULL) {
			if (reg_fields_add(&s->old, &s->nw.v[i]) == -1)
				return -1;
			memset(&s->nw.v[i], 0, sizeof(s->nw.v[i]));
		}
	return 0;
}

int
reg_state_of(const struct reg_field *f)
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

/*
 * The counts a field's value ends with (entry.c): what became of its
 * server's remotes.  0 for a value written before them.
 */
static void
tail_counts(const char *json, long *dropped, long *dups)
{
	const char *p, *last = NULL;

	*dropped = *dups = 0;
	for (p = json; (p = strstr(p, ",\"dropped\":")) != NULL; p++)
		last = p;
	if (last == NULL ||
	    sscanf(last, ",\"dropped\":%ld,\"duplicates\":%ld}", dropped, dups) != 2 ||
	    *dropped < 0 || *dups < 0)
		*dropped = *dups = 0;
}

int
reg_count(const struct sync *s, struct counts *c)
{
	struct mcp_strmap names = {NULL, 0, 0};
	const struct reg_field *f;
	long d, u;
	size_t i;
	int added, st;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < s->old.n; i++) {
		f = &s->old.v[i];
		c->bytes += (f->slug ? strlen(f->slug) : 0) + strlen(f->json);
		if (f->deleted || f->key[0] == '?')
			continue;
		if (mcp_strmap_put(&names, f->name, &added) == NULL)
			return mcp_strmap_free(&names), -1;
		c->servers += added;
		if (added) { /* the same in each field of a server: counted once */
			tail_counts(f->json, &d, &u);
			c->dropped += d;
			c->duplicates += u;
		}
		switch (st = reg_state_of(f)) {
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
		c->remotes += st != REG_LOCAL;
	}
	c->remotes += c->dropped + c->duplicates;
	mcp_strmap_free(&names);
	return 0;
}

/*
 * The updated_since of the next incremental sync: the latest updatedAt
 * seen, but never past the start of the crawl (an entry changed on a page
 * already read, while a later page shows a later change, is asked for
 * again), less some slack for the registry's clocks.
 */
static void
next_since(const struct sync *s, char *buf, size_t len)
{
	double t = s->start;

	if (s->max_updated >= 0 && s->max_updated < t)
		t = s->max_updated;
	mcp_iso8601(t - REG_SINCE_SLACK, buf, len);
}

static int
append(struct mcp_store *st, int argc, const char **argv, size_t *n)
{
	(*n)++;
	return mcp_store_appendv(st, argc, argv, NULL);
}

/* A reply that says the transaction failed: its error into err, 1; else 0. */
static int
failed(const redisReply *r, char *err, size_t len)
{
	size_t j;

	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		return snprintf(err, len, "%s", r ? r->str : "no reply"), 1;
	/* EXEC's array: a command that failed inside the transaction. */
	if (r->type == REDIS_REPLY_ARRAY)
		for (j = 0; j < r->elements; j++)
			if (r->element[j]->type == REDIS_REPLY_ERROR)
				return snprintf(err, len, "%s", r->element[j]->str), 1;
	if (r->type == REDIS_REPLY_NIL)
		return snprintf(
		           err, len, "%s changed during the sync (another sync?)", REG_KEY_SERVERS),
		       1;
	return 0;
}

/*
 * Read the n replies queued so far and check them: 0, or -1 with err.
 * Within the transaction they are QUEUED: reading them as the hash is
 * sent keeps what the client holds to a few batches, not the whole hash
 * once more (a registry of 100,000 servers: 45 MB).
 */
static int
drain(struct mcp_store *st, size_t *n, char *err, size_t len)
{
	redisReply **r;
	size_t i;
	int rc = -1;

	if (*n == 0)
		return 0;
	if ((r = calloc(*n, sizeof(*r))) == NULL)
		return snprintf(err, len, "out of memory"), -1;
	if (mcp_store_read(st, r, *n, err, len) == -1)
		goto out;
	for (i = 0; i < *n; i++)
		if (failed(r[i], err, len))
			goto out;
	rc = 0;
out:
	for (i = 0; i < *n; i++)
		freeReplyObject(r[i]);
	free(r);
	*n = 0;
	return rc;
}

/* DEL and HSET of the aliases (argv: room for a batch), in the servers' transaction. */
static int
queue_aliases(struct mcp_store *st, const struct sync *s, const char **argv, size_t *n)
{
	const char *del[] = {"DEL", REG_KEY_ALIASES};
	size_t i, k;
	int rc = append(st, 2, del, n);

	for (i = 0; i < s->naliases; i += k) {
		argv[0] = "HSET", argv[1] = REG_KEY_ALIASES;
		for (k = 0; k < HSET_BATCH && i + k < s->naliases; k++) {
			argv[2 + 2 * k] = s->aliases[i + k].from;
			argv[3 + 2 * k] = s->aliases[i + k].to;
		}
		rc |= append(st, (int)(2 + 2 * k), argv, n);
	}
	return rc;
}

/*
 * MULTI; DEL; HSET ... of the servers hash and the aliases (EXEC: the
 * caller's).  On one server the replies are read every QUEUED_MAX HSETs
 * (drain); a cluster routes a transaction by its keys, so it is queued
 * whole.  0, or -1 with err.
 */
static int
queue_servers(struct mcp_store *st, const struct sync *s, size_t *n, char *err, size_t len)
{
	const char **argv;
	const char *multi[] = {"MULTI"}, *del[] = {"DEL", REG_KEY_SERVERS};
	size_t i, k;
	int rc = 0, cl = mcp_store_is_cluster(st);

	if ((argv = calloc(2 + 2 * HSET_BATCH, sizeof(*argv))) == NULL)
		return snprintf(err, len, "out of memory"), -1;
	rc |= append(st, 1, multi, n);
	rc |= append(st, 2, del, n);
	for (i = 0; rc == 0 && i < s->old.n; i += k) {
		argv[0] = "HSET", argv[1] = REG_KEY_SERVERS;
		for (k = 0; k < HSET_BATCH && i + k < s->old.n; k++) {
			argv[2 + 2 * k] = s->old.v[i + k].slug;
			argv[3 + 2 * k] = s->old.v[i + k].json;
		}
		if (append(st, (int)(2 + 2 * k), argv, n) == -1)
			rc = (snprintf(err, len, "out of memory"), -1);
		else if (!cl && *n >= QUEUED_MAX && drain(st, n, err, len) == -1)
			rc = -1;
	}
	if (rc == 0 && queue_aliases(st, s, argv, n) == -1)
		rc = (snprintf(err, len, "out of memory"), -1);
	free(argv);
	return rc;
}

static int
queue_sync(
    struct mcp_store *st, const struct sync *s, const struct counts *c, long last_full, size_t *n)
{
	char ok[32], full[32], since[64], ent[32], sk[32], sv[32], tg[32], rm[32], dr[32], du[32],
	    by[32];
	const char *del[] = {"DEL", REG_KEY_SYNC};
	const char *h[] = {"HSET", REG_KEY_SYNC, "base", s->o->base, "last_ok", ok, "last_full",
	    full, "updated_since", since, "entries", ent, "skipped", sk, "servers", sv, "targets",
	    tg, "remotes", rm, "remotes_dropped", dr, "remotes_duplicate", du, "bytes", by};

	snprintf(ok, sizeof(ok), "%ld", (long)s->now);
	snprintf(full, sizeof(full), "%ld", last_full);
	next_since(s, since, sizeof(since));
	snprintf(ent, sizeof(ent), "%ld", s->entries);
	snprintf(sk, sizeof(sk), "%ld", s->skipped);
	snprintf(sv, sizeof(sv), "%ld", c->servers);
	snprintf(tg, sizeof(tg), "%ld", c->targets);
	snprintf(rm, sizeof(rm), "%ld", c->remotes);
	snprintf(dr, sizeof(dr), "%ld", c->dropped);
	snprintf(du, sizeof(du), "%ld", c->duplicates);
	snprintf(by, sizeof(by), "%zu", c->bytes);
	return append(st, 2, del, n) | append(st, (int)(sizeof(h) / sizeof(h[0])), h, n);
}

/*
 * The slugs moved leave the slug index, mcp:slugs then mcp:slugs:lex (a
 * verdict pass refills the second when it is the shorter): a redirect is
 * listed no more, and no verdict is decided for it.  A failure is said;
 * the next sync does it again.
 */
static void
forget_moved(struct mcp_store *st, const struct sync *s)
{
	const char *keys[] = {AGG_KEY_SLUGS, AGG_KEY_LEX}, **argv;
	redisReply *r;
	char err[300];
	size_t i, k;
	int j;

	if (s->naliases == 0 || (argv = calloc(2 + HSET_BATCH, sizeof(*argv))) == NULL)
		return;
	for (j = 0; j < 2; j++)
		for (i = 0; i < s->naliases; i += k) {
			argv[0] = "ZREM", argv[1] = keys[j];
			for (k = 0; k < HSET_BATCH && i + k < s->naliases; k++)
				argv[2 + k] = s->aliases[i + k].from;
			r = mcp_store_cmd(st, (int)(2 + k), argv, err, sizeof(err));
			if (r == NULL || r->type == REDIS_REPLY_ERROR)
				warnx("redis: ZREM %s: %s", keys[j], r ? r->str : err);
			freeReplyObject(r);
		}
	free(argv);
}

/*
 * Write the whole result: one MULTI/EXEC.  On a cluster the two keys
 * are in two slots, so two transactions, the servers first: a failure
 * between them leaves the servers new and the sync hash old, and the
 * next sync asks again what this one read.
 */
int
reg_write_store(
    struct mcp_store *st, const struct sync *s, const struct counts *c, char *err, size_t len)
{
	const char *exec[] = {"EXEC"}, *multi[] = {"MULTI"}, *discard[] = {"DISCARD"};
	long last_full = s->full ? (long)s->now : (long)s->last_full;
	redisReply *r;
	char e2[100];
	size_t n = 0;
	int cl = mcp_store_is_cluster(st);

	if (queue_servers(st, s, &n, err, len) == -1) {
		/* A transaction begun and not ended: dropped, so the link can serve again. */
		if (!cl && (r = mcp_store_cmd(st, 1, discard, e2, sizeof(e2))) != NULL)
			freeReplyObject(r);
		return -1;
	}
	if ((cl && (append(st, 1, exec, &n) == -1 || append(st, 1, multi, &n) == -1)) ||
	    queue_sync(st, s, c, last_full, &n) == -1 || append(st, 1, exec, &n) == -1)
		return snprintf(err, len, "out of memory"), -1;
	if (drain(st, &n, err, len) == -1)
		return -1;
	forget_moved(st, s);
	return 0;
}
