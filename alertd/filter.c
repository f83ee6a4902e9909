/*
 * filter.c - mcp-alert's commands on the rules: the filter (verdicts
 * decided in batches under WATCH, saved with their deliveries in one
 * MULTI/EXEC), the clock's escalation steps, test and ack.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "full.h"
#include "json.h"
#include "loop.h"
#include "rec.h"
#include "rules.h"
#include "routes/routes.h"

/* --- transactions ----------------------------------------------------------- */

static int
simple(struct ctx *x, const char *cmd, const char *arg)
{
	const char *argv[] = {cmd, arg};
	redisReply *r;

	if ((r = alert_cmd(x->st, arg != NULL ? 2 : 1, argv)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

static int
any_open(const struct state *s)
{
	int i;

	for (i = 0; i < NTRACKS; i++)
		if (s->t[i].open)
			return 1;
	return 0;
}

/*
 * A dry run (--dry-run) saves nothing: the states it decided are kept
 * here, so that a stream of windows decides as it would have, and what it
 * would send is said on standard error.
 */
struct dry {
	struct dry *next;
	char slug[MCP_SLUG_MAX + 1];
	struct state s;
};
static struct dry *dry_states;

/* What the filter's verdicts said of the regions since the watchdog last ran. */
static struct wd wd_seen;

static struct dry *
dry_find(const char *slug)
{
	struct dry *d;

	for (d = dry_states; d != NULL; d = d->next)
		if (strcmp(d->slug, slug) == 0)
			return d;
	return NULL;
}

/* One slug in a transaction: its keys, the state read, what saving it takes. */
struct slot {
	const char *slug;
	struct state s;
	int save;
	char mkey[MCP_SLUG_MAX + 32];
	const char *get[2], *mget[2], *ex[3], *set[3];
	char ttl[32];
	struct args a;   /* the HSET; a.key is the state's key */
	redisReply *was; /* owned: the state as read (HGETALL), which a.was borrows */
};

static void
slot_done(struct slot *sl)
{
	if (sl->was != NULL)
		freeReplyObject(sl->was);
	sl->was = NULL, sl->a.was = NULL;
}

/*
 * WATCH the slots' states and read them and their maintenance windows, in
 * one round trip.  Each slot's maintenance window goes to m[i].  0; -1 on
 * a bad reply; -2 when the connection failed (it was reconnected: start
 * over).
 */
static int
tx_read(struct ctx *x, struct slot **sl, int n, struct alert_maint *m)
{
	const char *watch[BATCH_MAX + 1];
	struct alert_pipe *p;
	int i, rc = 0;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	watch[0] = "WATCH";
	p->argv[0] = watch, p->argc[0] = n + 1, p->n = 1;
	for (i = 0; i < n; i++) {
		key_of(sl[i]->a.key, sizeof(sl[i]->a.key), sl[i]->slug);
		alert_maint_key(sl[i]->mkey, sizeof(sl[i]->mkey), sl[i]->slug);
		watch[i + 1] = sl[i]->a.key;
		sl[i]->get[0] = "HGETALL", sl[i]->get[1] = sl[i]->a.key;
		sl[i]->mget[0] = "HGETALL", sl[i]->mget[1] = sl[i]->mkey;
		p->argv[p->n] = sl[i]->get, p->argc[p->n++] = 2;
		p->argv[p->n] = sl[i]->mget, p->argc[p->n++] = 2;
	}
	if (alert_pipe_run(x->st, p) == -1) {
		free(p);
		return -2;
	}
	for (i = 0; rc == 0 && i < n; i++) {
		if (p->r[0]->type == REDIS_REPLY_ERROR ||
		    p->r[1 + 2 * i]->type != REDIS_REPLY_ARRAY ||
		    p->r[2 + 2 * i]->type != REDIS_REPLY_ARRAY) {
			warnx("redis: %s: unexpected reply", sl[i]->slug);
			rc = -1;
			break;
		}
		/* Kept, so that only the fields that change are written. */
		slot_done(sl[i]);
		sl[i]->was = p->r[1 + 2 * i], p->r[1 + 2 * i] = NULL;
		sl[i]->a.was = sl[i]->was;
		state_parse(&sl[i]->s, sl[i]->was);
		if (x->c->dry_run && dry_find(sl[i]->slug) != NULL)
			sl[i]->s = dry_find(sl[i]->slug)->s;
		(void)alert_maint_parse(p->r[2 + 2 * i], &m[i]);
	}
	alert_pipe_free(p);
	free(p);
	return rc;
}

/* The commands of p sent after the transaction: 0, or -1 after a warning. */
static int
tx_after(struct ctx *x, struct alert_pipe *p)
{
	int i, rc = 0;

	if (p->n == 0)
		return 0;
	if (alert_pipe_run(x->st, p) == -1) {
		warnx("%s: saved, but its deliveries were not queued", x->slug);
		return -1;
	}
	for (i = 0; rc == 0 && i < p->n; i++)
		if (p->r[i]->type == REDIS_REPLY_ERROR) {
			warnx("redis: %s: %s", p->argv[i][0], p->r[i]->str);
			rc = -1;
		}
	alert_pipe_free(p);
	return rc;
}

/* A dry run's commit: the states kept in memory, the jobs said, nothing written. */
static int
dry_commit(struct ctx *x, struct slot **sl, int n)
{
	const char *why;
	const cJSON *rec;
	struct dry *d;
	cJSON *job;
	size_t j;
	int i;

	for (i = 0; i < n; i++) {
		if (!sl[i]->save)
			continue;
		if ((d = dry_find(sl[i]->slug)) == NULL) {
			if ((d = calloc(1, sizeof(*d))) == NULL)
				err(MCP_EXIT_FAIL, "calloc");
			snprintf(d->slug, sizeof(d->slug), "%s", sl[i]->slug);
			d->next = dry_states, dry_states = d;
		}
		d->s = sl[i]->s;
	}
	for (j = 0; j < x->njobs; j++) {
		job = mcp_json_parse(x->jobs[j], strlen(x->jobs[j]), &why);
		rec = cJSON_GetObjectItemCaseSensitive(job, "rec");
		fprintf(stderr, "%s: dry run: would send %s %s %s to %s%s\n",
		    program_invocation_short_name, alert_str(rec, "event"),
		    alert_str(rec, "severity"), alert_str(rec, "dedup_key"),
		    x->c->routes[x->jobroute[j]].name, x->jobdigest[j] ? " (in its digest)" : "");
		cJSON_Delete(job);
	}
	return simple(x, "UNWATCH", NULL) == 0 ? 1 : -1;
}

/*
 * The reserve: a transaction tried again past maxmemory, its commands run
 * by one script that Redis allows there (flags=allow-oom; Redis 7.0
 * refuses such a script inside MULTI), so that the state and the pages it
 * owes are kept whatever filled the store.  One script is atomic as
 * MULTI/EXEC is, but answers to no WATCH: two runs deciding one slug at
 * that moment may both page (the same dedup_key).  The subscribers'
 * notices of the pages (a script of their own) are left out.  Set by
 * full() for the next transaction only.
 */
static int reserve;
/* KEYS: each command's key.  ARGV: for each, its count of words but the key, its name, its words after the key. */
static const char reserve_lua[] = "#!lua flags=allow-oom\n"
                                  "local i, k = 1, 1\n"
                                  "while i <= #ARGV do\n"
                                  "  local m = tonumber(ARGV[i])\n"
                                  "  local a = {ARGV[i + 1], KEYS[k]}\n"
                                  "  for j = i + 2, i + m do a[#a + 1] = ARGV[j] end\n"
                                  "  redis.call(unpack(a))\n"
                                  "  i, k = i + m + 1, k + 1\n"
                                  "end\n"
                                  "return k - 1\n";

/* The commands of p (but MULTI, EXEC and scripts) as one reserve_lua: 1 done, -1 after a warning. */
static int
reserve_run(struct ctx *x, const struct alert_pipe *p)
{
	static const char *unwatch[] = {"UNWATCH"};
	struct alert_pipe *q;
	const char **a;
	char nk[16], (*cnt)[12];
	int i, j, k = 0, nkeys = 0, words = 0, rc = 1;

	for (i = 0; i < p->n; i++)
		if (p->argc[i] >= 2 && strcmp(p->argv[i][0], "EVAL") != 0)
			nkeys++, words += p->argc[i];
	if ((a = calloc((size_t)(3 + 2 * nkeys + words), sizeof(*a))) == NULL ||
	    (cnt = calloc((size_t)nkeys + 1, sizeof(*cnt))) == NULL ||
	    (q = calloc(1, sizeof(*q))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	snprintf(nk, sizeof(nk), "%d", nkeys);
	a[k++] = "EVAL", a[k++] = reserve_lua, a[k++] = nk;
	for (i = 0; i < p->n; i++)
		if (p->argc[i] >= 2 && strcmp(p->argv[i][0], "EVAL") != 0)
			a[k++] = p->argv[i][1];
	for (i = 0, nkeys = 0; i < p->n; i++) {
		if (p->argc[i] < 2 || strcmp(p->argv[i][0], "EVAL") == 0)
			continue;
		snprintf(cnt[nkeys], sizeof(cnt[0]), "%d", p->argc[i] - 1);
		a[k++] = cnt[nkeys++], a[k++] = p->argv[i][0];
		for (j = 2; j < p->argc[i]; j++)
			a[k++] = p->argv[i][j];
	}
	q->argv[0] = a, q->argc[0] = k, q->argv[1] = unwatch, q->argc[1] = 1, q->n = 2;
	if (alert_pipe_run(x->st, q) == -1)
		rc = -1;
	else {
		if (q->r[0]->type == REDIS_REPLY_ERROR) {
			warnx("redis: %s: past maxmemory: %s",
			    x->slug != NULL ? x->slug : "watchdog", q->r[0]->str);
			rc = -1;
		}
		alert_pipe_free(q);
	}
	free(q);
	free(a);
	free(cnt);
	return rc;
}

/*
 * p's commands made each "EVAL wrap_lua 1 KEY CMD WORDS...", to be run
 * alone past maxmemory (a cluster's commands after the EXEC); the arrays
 * made kept in made (freed by the caller).
 */
static void
reserve_wrap(struct alert_pipe *p, const char ***made, int *nmade)
{
	static const char wrap_lua[] = "#!lua flags=allow-oom\n"
	                               "local a = {ARGV[1], KEYS[1]}\n"
	                               "for i = 2, #ARGV do a[#a + 1] = ARGV[i] end\n"
	                               "return redis.call(unpack(a))\n";
	const char **a;
	int i, k;

	for (i = 0; i < p->n; i++) {
		if (p->argc[i] < 2 || strcmp(p->argv[i][0], "EVAL") == 0)
			continue;
		if ((a = calloc((size_t)p->argc[i] + 3, sizeof(*a))) == NULL)
			err(MCP_EXIT_FAIL, "calloc");
		a[0] = "EVAL", a[1] = wrap_lua, a[2] = "1", a[3] = p->argv[i][1];
		a[4] = p->argv[i][0];
		for (k = 2; k < p->argc[i]; k++)
			a[k + 3] = p->argv[i][k];
		p->argc[i] += 3;
		p->argv[i] = a;
		made[(*nmade)++] = a;
	}
}

/*
 * A transaction the store refused for memory: noted for the watchdog
 * (full.h), the lists taken out down to the store's high-water mark, and
 * the next try made in the reserve, so that it is kept whatever filled
 * the store.  -2: try again.
 */
static int
full(struct ctx *x)
{
	const char *who = x->slug != NULL ? x->slug : "watchdog";
	char why[MCP_FULL_WHY], err[256];
	long n;

	snprintf(why, sizeof(why), "mcp-alert's state and deliveries of %s", who);
	if (mcp_full_note(x->st, "alert", 1, why, mcp_now(), err, sizeof(err)) == -1)
		warnx("redis: %s", err);
	if ((n = mcp_full_relieve(x->st, mcp_now(), err, sizeof(err))) > 0)
		warnx("%s: the store refused for memory: the lists of %ld slugs evicted, "
		      "tried again",
		    who, n);
	else if (n == -1)
		warnx("redis: %s", err);
	else
		warnx("%s: the store refused for memory, and holds no lists to evict: its "
		      "state and pages kept past maxmemory; give it room (mcp-store(7), Sizing)",
		    who);
	reserve = 1;
	return -2;
}

/*
 * Save the slots marked to save, queue the jobs, list or unlist each saved
 * slug as open: one MULTI/EXEC sent in one round trip.  1 when done, 0
 * when the WATCH saw a change, -1 on error, -2 when the connection failed
 * (start over).
 *
 * A transaction on a Redis Cluster holds the keys of one slot only, and
 * the open set and the outboxes are not in the slug's ({slug}: one slot
 * per slug, and the filter decides one slug at a time there).  So on a
 * cluster the MULTI/EXEC saves the state and the public incident record,
 * under the WATCH as on one server, and the SADD or SREM and the jobs
 * follow it (p[1]), once its EXEC succeeded: a loser of the WATCH still
 * queues nothing, but a process that dies between the two leaves the
 * state saved and those deliveries never queued (at most once), and the
 * open set behind until the slug is next saved.
 */
static int
tx_commit(struct ctx *x, struct slot **sl, int n)
{
	static const char *multi[] = {"MULTI"}, *exec[] = {"EXEC"};
	static char keys[ALERT_PIPE_MAX][ALERT_NAME_MAX + 32];
	static const char *push[ALERT_PIPE_MAX][3];
	static const char **made[2 * ALERT_PIPE_MAX];
	struct alert_pipe *p, *late;
	size_t j;
	int i, rc = 0, nmade = 0;

	if (x->c->dry_run)
		return dry_commit(x, sl, n);
	if (x->njobs + PUB_CMDS * x->npub + 3 * (size_t)n + 2 > ALERT_PIPE_MAX) {
		warnx("%s: %zu deliveries at once: too many", x->slug, x->njobs);
		return -1;
	}
	if ((p = calloc(2, sizeof(*p))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	late = mcp_store_is_cluster(x->st) ? &p[1] : p;
	p->argv[p->n] = multi, p->argc[p->n++] = 1;
	for (i = 0; i < n; i++) {
		if (!sl[i]->save)
			continue;
		sl[i]->a.n = 0, sl[i]->a.used = 0;
		state_args(&sl[i]->s, &sl[i]->a);
		if (sl[i]->a.n > 2)
			p->argv[p->n] = sl[i]->a.argv, p->argc[p->n++] = sl[i]->a.n;
		snprintf(sl[i]->ttl, sizeof(sl[i]->ttl), "%ld", x->c->state_ttl);
		sl[i]->ex[0] = "EXPIRE", sl[i]->ex[1] = sl[i]->a.key, sl[i]->ex[2] = sl[i]->ttl;
		p->argv[p->n] = sl[i]->ex, p->argc[p->n++] = 3;
		sl[i]->set[0] = any_open(&sl[i]->s) ? "SADD" : "SREM";
		sl[i]->set[1] = ALERT_OPEN_SET, sl[i]->set[2] = sl[i]->slug;
		late->argv[late->n] = sl[i]->set, late->argc[late->n++] = 3;
	}
	for (j = 0; j < x->njobs; j++) {
		if (x->jobdigest[j])
			alert_digest_key(keys[j], sizeof(keys[j]), x->c, x->jobroute[j]);
		else
			alert_outbox_key(keys[j], sizeof(keys[j]), x->c, x->jobroute[j]);
		push[j][0] = "RPUSH", push[j][1] = keys[j], push[j][2] = x->jobs[j];
		late->argv[late->n] = push[j], late->argc[late->n++] = 3;
	}
	for (j = 0; j < x->npub; j++) {
		for (pub_bind(&x->pub[j]), i = 0; i < x->pub[j].n; i++)
			p->argv[p->n] = x->pub[j].argv[i], p->argc[p->n++] = x->pub[j].argc[i];
		/* Its subscribers' notice: in the page's slot, after the EXEC on a cluster. */
		if (x->pub[j].note != NULL)
			late->argv[late->n] = x->pub[j].nargv, late->argc[late->n++] = 7;
	}
	for (i = 0; i < x->nx; i++)
		p->argv[p->n] = x->xargv[i], p->argc[p->n++] = x->xargc[i];
	p->argv[p->n] = exec, p->argc[p->n++] = 1;
	if (reserve) {
		reserve = 0;
		if ((rc = reserve_run(x, p)) == 1 && late != p) {
			reserve_wrap(late, made, &nmade);
			if (tx_after(x, late) == -1)
				rc = -1;
		}
		goto out;
	}
	if (alert_pipe_run(x->st, p) == -1) {
		rc = -2;
		goto out;
	}
	for (i = 0; rc == 0 && i < p->n; i++)
		if (mcp_full_oom(p->r[i]))
			rc = full(x);
	if (rc == -2) {
		alert_pipe_free(p);
		goto out;
	}
	for (i = 0; rc == 0 && i < p->n - 1; i++)
		if (p->r[i]->type == REDIS_REPLY_ERROR) {
			warnx("redis: %s: %s", p->argv[i][0], p->r[i]->str);
			rc = -1;
		}
	if (rc == 0 && p->r[p->n - 1]->type == REDIS_REPLY_ERROR) {
		warnx("redis: EXEC: %s", p->r[p->n - 1]->str);
		rc = -1;
	}
	if (rc == 0)
		rc = p->r[p->n - 1]->type == REDIS_REPLY_ARRAY;
	alert_pipe_free(p);
	if (rc == 1 && late != p && tx_after(x, late) == -1)
		rc = -1;
out:
	while (nmade > 0)
		free(made[--nmade]);
	free(p);
	return rc;
}

static int
put_out(struct ctx *x)
{
	if (x->out.len > 0 &&
	    (mcp_rec_put(stdout, x->out.p, x->out.len) == -1 || fflush(stdout) == EOF)) {
		mcp_stdout_failed();
		return -1;
	}
	mcp_buf_reset(&x->out);
	return 0;
}

int
ctx_commit(struct ctx *x)
{
	int rc = tx_commit(x, NULL, 0);

	return rc == 1 && put_out(x) == -1 ? -1 : rc;
}

/*
 * Decide under WATCH, so that two mcp-alert processes on one slug never
 * both act on the same state: the loser decides again.  fn returns 1 to
 * save, 0 to leave the state as it was, -1 on error.
 */
static int
decide_once(struct ctx *x, struct slot *sl, decide_fn fn, void *arg)
{
	int tries, rc, broken = 0;

	for (tries = 0; tries < 10; tries++) {
		mcp_buf_reset(&x->out);
		jobs_reset(x);
		/* A lost connection is retried once, from the read. */
		if ((rc = tx_read(x, &sl, 1, &x->m)) == -2 && broken++ == 0)
			continue;
		if (rc < 0)
			return -1;
		x->maint = MAINT_LOADED;
		if ((sl->save = fn(x, &sl->s, arg)) <= 0) {
			(void)simple(x, "UNWATCH", NULL);
			return sl->save;
		}
		if ((rc = tx_commit(x, &sl, 1)) == -2 && broken++ == 0)
			continue;
		if (rc != 0)
			return rc < 0 ? -1 : put_out(x);
	}
	warnx("%s: the state kept changing under another writer; not decided", x->slug);
	return -1;
}

int
decide(struct ctx *x, decide_fn fn, void *arg)
{
	static struct slot one;
	int rc;

	one.slug = x->slug;
	rc = decide_once(x, &one, fn, arg);
	slot_done(&one);
	return rc;
}

static int
on_window(struct ctx *x, struct state *s, void *arg)
{
	/* A window already decided (a replay after a restart) changes nothing. */
	if (x->window <= s->last)
		return 0;
	if (step_state(x, s, arg) == -1)
		return -1;
	s->last = x->window;
	return 1;
}

/*
 * The filter decides up to BATCH_MAX verdicts of distinct slugs together: one
 * round trip WATCHes and reads them all, one MULTI/EXEC saves them all.
 * When another writer changed one of them, each is decided again alone.
 */

struct item {
	cJSON *rec; /* owned: vd points into it */
	struct verdict vd;
	double window;
	struct slot sl;
};

struct batch {
	struct item it[BATCH_MAX];
	int n;
};

static void
batch_clear(struct batch *b)
{
	int i;

	for (i = 0; i < b->n; i++) {
		cJSON_Delete(b->it[i].rec);
		slot_done(&b->it[i].sl);
	}
	b->n = 0;
}

/* Each verdict of the batch decided alone, as decide() does. */
static int
batch_alone(struct ctx *x, struct batch *b)
{
	int i, rc = 0;

	mcp_buf_reset(&x->out);
	jobs_reset(x);
	for (i = 0; rc == 0 && i < b->n; i++) {
		x->slug = b->it[i].sl.slug, x->window = b->it[i].window;
		rc = decide(x, on_window, &b->it[i].vd);
	}
	batch_clear(b);
	return rc;
}

static int
batch_flush(struct ctx *x)
{
	struct batch *b = x->b;
	struct slot *sl[BATCH_MAX];
	struct alert_maint m[BATCH_MAX];
	struct item *it;
	int i, rc = 0, saves = 0;

	if (b->n == 0)
		return 0;
	/* A cluster: one WATCH and one MULTI/EXEC hold the keys of one slug. */
	if (b->n == 1 || mcp_store_is_cluster(x->st))
		return batch_alone(x, b);
	mcp_buf_reset(&x->out);
	jobs_reset(x);
	for (i = 0; i < b->n; i++)
		sl[i] = &b->it[i].sl;
	if ((rc = tx_read(x, sl, b->n, m)) == -2)
		return batch_alone(x, b);
	for (i = 0; rc == 0 && i < b->n; i++) {
		it = &b->it[i];
		x->m = m[i], x->maint = MAINT_LOADED;
		x->slug = it->sl.slug, x->window = it->window;
		if ((it->sl.save = on_window(x, &it->sl.s, &it->vd)) == -1)
			rc = -1;
		else
			saves += it->sl.save;
	}
	if (rc == -1 || saves == 0) {
		(void)simple(x, "UNWATCH", NULL);
		batch_clear(b);
		return rc;
	}
	/* Too much for one transaction, the connection, another writer: one by one. */
	if (x->njobs + PUB_CMDS * x->npub + 3 * (size_t)b->n + 2 > ALERT_PIPE_MAX) {
		(void)simple(x, "UNWATCH", NULL);
		return batch_alone(x, b);
	}
	if ((rc = tx_commit(x, sl, b->n)) == -1)
		return -1;
	if (rc != 1)
		return batch_alone(x, b);
	batch_clear(b);
	return put_out(x);
}

/*
 * The record loop's callback: a verdict checked and classified (on its
 * members, taken from the loop's record into an object the batch keeps
 * and the verdict points into), then batched.
 */
static int
on_verdict(cJSON *rec, long lineno, void *arg)
{
	struct ctx *x = arg;
	struct verdict vd;
	struct item *it;
	char why[1024];
	cJSON *copy;
	int i;

	/* The members move: the loop deletes an empty object, with no copy made. */
	if ((copy = cJSON_CreateObject()) == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	copy->child = rec->child, rec->child = NULL;
	if (classify(copy, mcp_now(), &vd, why, sizeof(why)) == -1) {
		warnx("stdin:%ld: %s", lineno, why);
		cJSON_Delete(copy);
		return 1;
	}
	wd_note(&wd_seen, vd.slug, vd.window, vd.reporters,
	    cJSON_GetObjectItemCaseSensitive(copy, "missing"));
	wd_note_fault(&wd_seen, vd.window, copy);
	wd_note_short(&wd_seen, vd.window, copy);
	for (i = 0; i < x->b->n; i++)
		if (strcmp(x->b->it[i].sl.slug, vd.slug) == 0 && batch_flush(x) == -1) {
			cJSON_Delete(copy);
			return -1;
		}
	it = &x->b->it[x->b->n];
	it->rec = copy, it->vd = vd;
	it->sl.slug = vd.slug, it->window = vd.window;
	if (++x->b->n == BATCH_MAX)
		return batch_flush(x) == -1 ? -1 : 0;
	return 0;
}

void
ctx_free(struct ctx *x)
{
	jobs_reset(x);
	free(x->jobs);
	free(x->jobroute);
	free(x->jobdigest);
	free(x->pub);
	mcp_buf_free(&x->out);
}

/* Deliver what is due; the undelivered records go to stdout. */
int
ctx_flush(struct ctx *x)
{
	int rc = x->c->dry_run ? 0 : alert_deliver(x->st, x->c, &x->out);

	return put_out(x) == -1 || rc == -1 ? -1 : 0;
}

/* --- the clock: escalation steps of unacknowledged P1s ---------------------- */

static int
on_clock(struct ctx *x, struct state *s, void *arg)
{
	const struct alert_conf *c = x->c;
	double now = mcp_now();
	char sum[1024], d[64];
	unsigned long told, pd = pd_routes(c);
	struct alert_ev e;
	struct track *t;
	int ti, changed = 0;

	(void)arg;
	/* Listed as open, but its state has expired or closed: unlist it. */
	if (!any_open(s))
		return 1;
	for (ti = 0; ti < NTRACKS; ti++) {
		t = &s->t[ti];
		if (!t->open || t->ack > 0 || t->held || strcmp(t->sev, "P1") != 0 || t->p1at <= 0)
			continue;
		/* Routes with an escalation of their own (PagerDuty) escalate alone. */
		told = routes_of(c, t->routes);
		if (told != 0 && (told & ~pd) == 0)
			continue;
		while (t->steps < c->nsteps && now - t->p1at >= c->steps[t->steps].after) {
			x->window = now;
			if (in_maint(x) == 1)
				break;
			dur_text(d, sizeof(d), now - t->p1at);
			snprintf(sum, sizeof(sum),
			    "%s: P1 unacknowledged for %s; escalation step %d of %d", x->slug, d,
			    t->steps + 1, c->nsteps);
			e = ev_of_state(s, ti, x->slug, "escalate", sum);
			e.escalation = t->steps + 1;
			if (announce(x, t, &e, c->steps[t->steps].routes) == -1)
				return -1;
			t->steps++;
			changed = 1;
		}
	}
	return changed;
}

int
alert_tick(struct mcp_store *st, const struct alert_conf *c)
{
	struct ctx x = {st, c, NULL, 0, 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	const char *argv[] = {"SMEMBERS", ALERT_OPEN_SET};
	redisReply *r;
	size_t i;
	int rc = 0;

	alert_silences_reload(); /* a long-running filter sees new silences at each tick */
	if (alert_epoch(st, c) == -1)
		return -1;
	if (c->nsteps > 0) {
		if ((r = alert_cmd(st, 2, argv)) == NULL)
			return -1;
		for (i = 0; rc == 0 && i < r->elements; i++) {
			if (!mcp_slug_ok(r->element[i]->str))
				continue;
			x.slug = r->element[i]->str;
			rc = decide(&x, on_clock, NULL);
		}
		freeReplyObject(r);
	}
	if (rc == 0 && wd_seen.n > 0)
		rc = alert_watchdog(&x, &wd_seen);
	wd_reset(&wd_seen);
	if (rc == 0)
		rc = alert_heartbeat(&x);
	if (rc == 0)
		rc = alert_digest_flush(st, c);
	if (rc == 0)
		rc = ctx_flush(&x);
	if (rc == 0)
		rc = alert_page_run(st, c, &x.out);
	ctx_free(&x);
	return rc;
}

/* --- the filter --------------------------------------------------------------- */

/*
 * Read verdicts as they come, deciding each line at once; every tick
 * seconds, and at the end, run the clock and deliver.  A filter that is
 * left running (a pipe that stays open) still escalates and retries.
 */
/* 1 when standard input has more to read at once. */
static int
more_input(void)
{
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int
alert_filter(struct mcp_store *st, const struct alert_conf *c)
{
	struct ctx x = {st, c, NULL, 0, 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	struct mcp_loop_stats ls = {0};
	struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
	struct mcp_lines lines = {0};
	char buf[65536];
	double next = mcp_mono() + (double)c->tick;
	ssize_t n;
	int rc = 0, eof = 0, wait;

	if ((x.b = calloc(1, sizeof(*x.b))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");

	while (rc == 0 && !eof) {
		wait = (int)(fmin(next - mcp_mono(), 60) * 1000);
		n = poll(&pfd, 1, wait < 0 ? 0 : wait);
		if (n == -1 && errno != EINTR) {
			warn("poll stdin");
			rc = -1;
			break;
		}
		if (n > 0) {
			if ((n = read(STDIN_FILENO, buf, sizeof(buf))) == -1) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				warn("read stdin");
				rc = -1;
				break;
			}
			eof = n == 0;
			rc = alert_epoch(st, c);
			if (rc == 0)
				rc = mcp_lines_feed(
				    &lines, buf, (size_t)n, eof, "stdin", on_verdict, &x, &ls);
			if (rc == 0 && batch_flush(&x) == -1)
				rc = -1;
			/*
			 * Delivered when the input pauses, so that what one run
			 * decides goes out together (group_by).
			 */
			if (rc == 0 && !eof && !more_input() && ctx_flush(&x) == -1)
				rc = -1;
		}
		if (rc == 0 && !eof && mcp_mono() >= next) {
			rc = alert_tick(st, c);
			next = mcp_mono() + (double)c->tick;
		}
	}
	mcp_lines_free(&lines);
	batch_clear(x.b);
	free(x.b);
	if (rc == 0)
		rc = alert_tick(st, c);
	ctx_free(&x);
	if (rc == -1)
		return MCP_EXIT_FAIL;
	return ls.bad > 0 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

/* --- test and ack ------------------------------------------------------------- */

struct testarg {
	const char *slug;
	const char *sev;
	int route; /* -1: the routes of sev now */
};

const struct option alert_opts_test[] = {{"route", required_argument, NULL, 'r'},
    {"severity", required_argument, NULL, 's'}, {NULL, 0, NULL, 0}};

/* Parse test's arguments, their words checked (alert_cli_check), into a; 0 or -1 after a message. */
static int
test_parse(const struct alert_conf *c, int argc, char **argv, struct testarg *a)
{
	const char *route = NULL;
	int ch;

	a->sev = "P1", a->route = -1;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", alert_opts_test, NULL)) != -1) {
		switch (ch) {
		case 'r':
			route = optarg;
			break;
		case 's':
			if (strcmp(optarg, "P1") != 0 && strcmp(optarg, "P2") != 0 &&
			    strcmp(optarg, "P3") != 0) {
				warnx("test: --severity %s: not P1, P2 or P3", optarg);
				return -1;
			}
			a->sev = optarg;
			break;
		default:
			alert_usage_exit(
			    "test", NULL, "test: %s: unknown option", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		alert_usage_exit("test", NULL, "test: want one SLUG");
	a->slug = argv[optind];
	if (!mcp_slug_ok(a->slug)) {
		warnx("test: %s: bad slug: not [a-z0-9._-]{1,80}", a->slug);
		return -1;
	}
	if (route != NULL) {
		for (a->route = 0; a->route < c->nroutes; a->route++)
			if (strcmp(c->routes[a->route].name, route) == 0)
				break;
		if (a->route == c->nroutes) {
			warnx("test: --route %s: no such route in the configuration", route);
			return -1;
		}
	}
	return 0;
}

int
alert_test_args(const struct alert_conf *c, int argc, char **argv)
{
	struct testarg a;

	return test_parse(c, argc, argv, &a);
}

/*
 * A test record, printed and sent now to each route, outside the outbox:
 * a failed delivery is said and the exit status is 1, not retried for a
 * day.  A dry run says what it would send.
 */
int
alert_test(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	struct ctx x = {st, c, NULL, mcp_now(), 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	struct testarg a;
	char sum[256], why[256];
	unsigned long set;
	cJSON *rec;
	int rc = 0, i;
	struct alert_ev e = {"test", "P1", NULL, NULL, 0, NULL, NULL, sum, -1, NULL, NULL, 0};

	if (test_parse(c, argc, argv, &a) != 0)
		return MCP_EXIT_USAGE;
	e.slug = a.slug, e.severity = a.sev;
	e.started = floor(x.window);
	snprintf(
	    sum, sizeof(sum), "%s: test alert from mcp-alert test; nothing is failing", a.slug);
	set = a.route >= 0 ? 1UL << a.route : alert_routes_for(c, a.sev, mcp_now());
	rec = alert_record(&e);
	if (mcp_rec_format(&x.out, rec, why, sizeof(why)) == -1 || put_out(&x) == -1)
		rc = -1;
	/* Every route is tried, a failure or not. */
	for (i = 0; rc != -1 && i < c->nroutes; i++) {
		if ((set & (1UL << i)) == 0)
			continue;
		if (c->dry_run) {
			fprintf(stderr, "%s: dry run: would send test %s %s to %s\n",
			    program_invocation_short_name, a.sev, alert_str(rec, "dedup_key"),
			    c->routes[i].name);
			continue;
		}
		if (alert_send(c, i, rec, why, sizeof(why)) == -1) {
			warnx("test: route %s: not delivered: %s", c->routes[i].name, why);
			rc = 1;
		}
	}
	if (rc == 0 && set == 0) {
		warnx("test: no route is told of a %s now: nothing delivered", a.sev);
		rc = 1;
	}
	cJSON_Delete(rec);
	ctx_free(&x);
	return rc == 0 ? MCP_EXIT_OK : MCP_EXIT_FAIL;
}

struct ackarg {
	int track;
	double start;
	int found;
};

static int
on_ack(struct ctx *x, struct state *s, void *arg)
{
	struct ackarg *a = arg;
	struct track *t = &s->t[a->track];
	char sum[256];
	struct alert_ev e;

	/* An expiry track's dedup_key names the expiry, the others' the start; -1: any. */
	if (!t->open ||
	    (a->start >= 0 &&
	        (a->track >= T_CERT ? s->x[a->track - T_CERT].exp : t->start) != a->start)) {
		a->found = 0;
		return 0;
	}
	a->found = 1;
	if (t->ack > 0)
		return 0;
	t->ack = mcp_ms_round(mcp_now());
	snprintf(sum, sizeof(sum), "%s: acknowledged; escalation stopped", x->slug);
	e = ev_of_state(s, a->track, x->slug, "acknowledge", sum);
	x->window = mcp_now();
	x->maint = 0;
	/* PagerDuty hears of it; the other routes have nothing to stop. */
	if (emit_to(x, t, &e, routes_of(x->c, t->routes) & pd_routes(x->c)) == -1)
		return -1;
	return 1;
}

/* ack SLUG [TRACK]: the open incident of the slug's track (downtime by default). */
static int
ack_slug(struct ctx *x, const char *slug, const char *track, struct ackarg *a)
{
	int i;

	a->track = T_DOWN, a->start = -1;
	if (track != NULL) {
		for (i = 0; i < NTRACKS; i++)
			if (strcmp(track, i == T_DOWN ? "down" : track_kind[i]) == 0)
				break;
		if (i == NTRACKS) {
			warnx("ack: %s: not a track (down, rate-limited, latency, error-rate, "
			      "tools-changed, tools-unreviewed, cert-expiry, token-expiry)",
			    track);
			return MCP_EXIT_USAGE;
		}
		a->track = i;
	}
	if (!mcp_slug_ok(slug)) {
		warnx("ack: %s: bad slug: not [a-z0-9._-]{1,80}", slug);
		return MCP_EXIT_USAGE;
	}
	x->slug = slug;
	return 0;
}

int
alert_ack(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	struct ctx x = {st, c, NULL, 0, 0, {0, 0, ""}, {0}, NULL, NULL, 0};
	const char *key = argv[0];
	char slug[MCP_SLUG_MAX + 1], kind[32] = "";
	const char *colon = strchr(key, ':'), *last = strrchr(key, ':');
	struct ackarg a = {T_DOWN, 0, 0};
	char *end;
	int rc, i;

	/* SLUG [TRACK], or a dedup key. */
	if (argc == 2 || colon == NULL) {
		if ((rc = ack_slug(&x, key, argc == 2 ? argv[1] : NULL, &a)) != 0)
			return rc;
		if ((rc = decide(&x, on_ack, &a)) == 0 && !a.found) {
			warnx("ack: %s: no open %s incident", key,
			    a.track == T_DOWN ? "downtime" : track_kind[a.track]);
			rc = 1;
		}
		if (rc == 0)
			rc = ctx_flush(&x);
		ctx_free(&x);
		return rc == 0 ? MCP_EXIT_OK : MCP_EXIT_FAIL;
	}
	if (colon == NULL || colon - key > MCP_SLUG_MAX ||
	    (a.start = strtod(last + 1, &end)) <= 0 || *end != '\0' ||
	    last - colon - 1 >= (long)sizeof(kind)) {
		warnx("ack: %s: not a dedup key (SLUG:START or SLUG:KIND:START)", key);
		return MCP_EXIT_USAGE;
	}
	snprintf(slug, sizeof(slug), "%.*s", (int)(colon - key), key);
	if (last != colon) {
		snprintf(kind, sizeof(kind), "%.*s", (int)(last - colon - 1), colon + 1);
		for (i = 1; i < NTRACKS && strcmp(kind, track_kind[i]) != 0; i++)
			;
		a.track = i;
	}
	if (!mcp_slug_ok(slug) || a.track == NTRACKS) {
		warnx("ack: %s: not a dedup key (SLUG:START or SLUG:KIND:START)", key);
		return MCP_EXIT_USAGE;
	}
	x.slug = slug;
	if ((rc = decide(&x, on_ack, &a)) == 0 && !a.found) {
		warnx("ack: %s: no open incident with this key", key);
		rc = 1;
	}
	if (rc == 0)
		rc = ctx_flush(&x);
	ctx_free(&x);
	return rc == 0 ? MCP_EXIT_OK : MCP_EXIT_FAIL;
}
