/*
 * outbox.c - delivery that loses nothing: every alert a route is to get is
 * queued in that route's list in Redis, in the same transaction as the
 * incident state, and delivered from there in order, with backoff while
 * the receiver fails (as long as a 429 or 503 asks in Retry-After).  A
 * delivery is removed only after its receiver accepted it; one that cannot
 * be delivered (a 4xx other than 408 and 429, or failing past give_up) is
 * moved to mcp:alert:dead and reported.  Triggers and resolves that share
 * a group (group.c) go out as one notification, at most one a group each
 * group_interval; each route is paced to its rate, delivers in a thread of
 * its own on a connection of its own, and stops for the run after
 * delivery_budget seconds.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "alert.h"
#include "json.h"
#include "outbox.h"
#include "routes/routes.h"
#include "rec.h"

#define DEAD_KEY "mcp:alert:dead"
#define DEAD_KEEP 1000

/* Renew the lock of KEYS[1] for ARGV[2] ms if it is still ours (ARGV[1]). */
static const char renew_lua[] = "if redis.call('GET', KEYS[1]) == ARGV[1] then return "
                                "redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
                                "return 0\n";
static const char unlock_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n";

int
alert_lock(struct mcp_store *st, const char **set)
{
	redisReply *r;
	int k;

	if ((r = alert_cmd(st, 6, set)) == NULL)
		return -1;
	k = r->type == REDIS_REPLY_STATUS;
	freeReplyObject(r);
	return k;
}

void
alert_outbox_key(char *buf, size_t len, const struct alert_conf *c, int route)
{
	snprintf(buf, len, "mcp:alert:outbox:%s", c->routes[route].name);
}

/*
 * Random bytes come from a pool of the thread's own, filled a few KB at
 * a time: a storm queues thousands of jobs, each with an id, and a
 * getrandom(2) each was a system call each.
 */
void
alert_hex_random(char *buf, size_t nbytes)
{
	static const char hex[] = "0123456789abcdef";
	static __thread unsigned char pool[4096];
	static __thread size_t left;
	const unsigned char *r;
	size_t i;

	if (nbytes > 32)
		errx(MCP_EXIT_FAIL, "alert_hex_random: %zu bytes", nbytes);
	if (left < nbytes) {
		if (getrandom(pool, sizeof(pool), 0) != (ssize_t)sizeof(pool))
			err(MCP_EXIT_FAIL, "getrandom");
		left = sizeof(pool);
	}
	r = pool + sizeof(pool) - left;
	for (i = 0; i < nbytes; i++) {
		buf[2 * i] = hex[r[i] >> 4];
		buf[2 * i + 1] = hex[r[i] & 0xf];
	}
	buf[2 * nbytes] = '\0';
	/* Used once: what a later id or token is made of is not kept beside it. */
	memset(pool + sizeof(pool) - left, 0, nbytes);
	left -= nbytes;
}

/*
 * The job's members in the order alert_job_new wrote them from a tree
 * (id, route, n, first, next, rec), so that the same bytes are stored.
 */
char *
alert_job_text(const struct alert_conf *c, int route, const char *text)
{
	char id[33];
	double now = mcp_ms_floor(mcp_now()); /* rounded up, it is due after this run's clock */
	struct mcp_buf b = {0};

	alert_hex_random(id, 16);
	/* Room made at once for the record, the most of it, not doubled up to it. */
	if (mcp_buf_add(&b, text, strlen(text) + 1) == -1)
		errx(MCP_EXIT_FAIL, "a delivery: out of memory");
	b.len = 0, b.p[0] = '\0';
	if (mcp_buf_adds(&b, "{\"id\":") == -1 || mcp_json_string(&b, id) == -1 ||
	    mcp_buf_adds(&b, ",\"route\":") == -1 ||
	    mcp_json_string(&b, c->routes[route].name) == -1 ||
	    mcp_buf_adds(&b, ",\"n\":0,\"first\":") == -1 || mcp_json_addnum(&b, now) == -1 ||
	    mcp_buf_adds(&b, ",\"next\":") == -1 || mcp_json_addnum(&b, now) == -1 ||
	    mcp_buf_adds(&b, ",\"rec\":") == -1 || mcp_buf_adds(&b, text) == -1 ||
	    mcp_buf_addc(&b, '}') == -1)
		errx(MCP_EXIT_FAIL, "a delivery: out of memory");
	return b.p;
}

char *
alert_job_new(const struct alert_conf *c, int route, const cJSON *rec)
{
	struct mcp_buf t = {0};
	char why[256], *job;

	if (mcp_json_write(&t, rec, why, sizeof(why)) == -1)
		errx(MCP_EXIT_FAIL, "a delivery: %s", why);
	job = alert_job_text(c, route, t.p);
	mcp_buf_free(&t);
	return job;
}

/* --- the outbox ----------------------------------------------------------------- */

/* Remove each of ARGV's jobs from KEYS[1] (its first copy); how many were. */
static const char take_lua[] =
    "local n = 0\n"
    "for i = 1, #ARGV do n = n + redis.call('LREM', KEYS[1], 1, ARGV[i]) end\n"
    "return n\n";
/* Replace the job ARGV[1] of KEYS[1] with ARGV[2] where it is; 0 when it is gone. */
static const char set_lua[] = "local i = redis.call('LPOS', KEYS[1], ARGV[1])\n"
                              "if not i then return 0 end\n"
                              "redis.call('LSET', KEYS[1], i, ARGV[2])\n"
                              "return 1\n";

static int
eval(struct mcp_store *st, const char *lua, const char *key, const char *a1, const char *a2,
    long long *res)
{
	const char *argv[] = {"EVAL", lua, "1", key, a1, a2};
	redisReply *r;

	if ((r = alert_cmd(st, a2 != NULL ? 6 : 5, argv)) == NULL)
		return -1;
	*res = r->integer;
	freeReplyObject(r);
	return 0;
}

/* Take jobs a[0..n) off the list key: 0, or -1 on a store error. */
int
ob_take(struct mcp_store *st, const char *key, const char **a, int n)
{
	const char **argv;
	redisReply *r;
	int i, k, rc = 0;

	for (i = 0; rc == 0 && i < n; i += k) {
		k = n - i > 500 ? 500 : n - i;
		if ((argv = calloc((size_t)k + 4, sizeof(*argv))) == NULL)
			err(MCP_EXIT_FAIL, "calloc");
		argv[0] = "EVAL", argv[1] = take_lua, argv[2] = "1", argv[3] = key;
		memcpy(argv + 4, a + i, (size_t)k * sizeof(*argv));
		if ((r = alert_cmd(st, k + 4, argv)) == NULL)
			rc = -1;
		else
			freeReplyObject(r);
		free(argv);
	}
	return rc;
}

/* The attempts failed of a job that job_parse took (0 when it has none). */
static int
attempts(const cJSON *j)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "n");

	return cJSON_IsNumber(n) ? (int)n->valuedouble : 0;
}

double
ob_num(const cJSON *o, const char *k)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(n) ? n->valuedouble : 0;
}

/*
 * j when it is a job as alert_job_new wrote it, else NULL (j deleted): its
 * record, a count of attempts and two times, every number in range before
 * it is used.
 */
static cJSON *
job_ok(cJSON *j)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "n");
	const cJSON *first = cJSON_GetObjectItemCaseSensitive(j, "first");
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next");

	if (strcmp(alert_str(cJSON_GetObjectItemCaseSensitive(j, "rec"), "type"), "alert") == 0 &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "id")) && cJSON_IsNumber(n) &&
	    n->valuedouble >= 0 && n->valuedouble <= 1e6 &&
	    n->valuedouble == floor(n->valuedouble) && cJSON_IsNumber(first) &&
	    first->valuedouble >= 0 && first->valuedouble <= ALERT_TIME_MAX &&
	    cJSON_IsNumber(next) && next->valuedouble >= 0 && next->valuedouble <= ALERT_TIME_MAX)
		return j;
	cJSON_Delete(j);
	return NULL;
}

/* A job's text parsed whole (owned), or NULL. */
static cJSON *
job_parse(const char *job)
{
	const char *why;

	return job_ok(mcp_json_parse(job, strlen(job), &why));
}

/* Skimmed when it reads as mcp-alert writes it, else parsed whole. */
static void
job_read(struct hjob *h)
{
	if ((h->j = ob_skim(h->s)) != NULL)
		h->j = job_ok(h->j), h->skimmed = h->j != NULL;
	else
		h->j = job_parse(h->s);
	h->rec = cJSON_GetObjectItemCaseSensitive(h->j, "rec");
}

/*
 * A skimmed text is strict JSON and a job: it parses whole.  Were it not
 * to, the skimmed tree would stay, and what needs more would have less.
 */
void
ob_whole(struct hjob *h)
{
	cJSON *j;

	if (!h->skimmed)
		return;
	h->skimmed = 0;
	if ((j = job_parse(h->s)) == NULL)
		return;
	h->kept = h->j;
	h->j = j, h->rec = cJSON_GetObjectItemCaseSensitive(j, "rec");
}

/* Report and keep a delivery that will not be made; its record goes to out. */
int
ob_dead(struct mcp_store *st, const char *key, const char *job, cJSON *j, const char *route,
    const char *why, struct mcp_buf *out)
{
	const char *push[] = {"RPUSH", DEAD_KEY, NULL},
	           *trim[] = {"LTRIM", DEAD_KEY, "-1000", "-1"};
	cJSON *rec = cJSON_GetObjectItemCaseSensitive(j, "rec"), *u;
	int n = attempts(j);
	char e[256], *s;
	redisReply *r;
	long long popped;

	if (eval(st, take_lua, key, job, NULL, &popped) == -1)
		return -1;
	if (!popped)
		return 0; /* another process took it */
	cJSON_AddStringToObject(j, "error", why);
	s = alert_print(cJSON_Duplicate(j, 1));
	push[2] = s;
	r = alert_cmd(st, 3, push);
	free(s);
	if (r == NULL)
		return -1;
	freeReplyObject(r);
	if ((r = alert_cmd(st, 4, trim)) != NULL)
		freeReplyObject(r);
	warnx("route %s: %s %s not delivered after %d attempt%s (%s); kept in " DEAD_KEY, route,
	    alert_str(rec, "event"), alert_str(rec, "dedup_key"), n + 1, n == 0 ? "" : "s", why);
	/* A job that is not one has no record to print. */
	if (strcmp(alert_str(rec, "type"), "alert") != 0)
		return 0;
	u = cJSON_Duplicate(rec, 1);
	cJSON_ReplaceItemInObjectCaseSensitive(u, "event", cJSON_CreateString("undelivered"));
	cJSON_ReplaceItemInObjectCaseSensitive(
	    u, "at", cJSON_CreateNumber(mcp_ms_round(mcp_now())));
	cJSON_AddStringToObject(u, "undelivered", alert_str(rec, "event"));
	cJSON_AddStringToObject(u, "route", route);
	cJSON_AddNumberToObject(u, "attempts", n + 1);
	cJSON_AddStringToObject(u, "error", why);
	if (mcp_rec_format(out, u, e, sizeof(e)) == -1)
		warnx("%s", e);
	cJSON_Delete(u);
	return 0;
}

/* --- one route's run ---------------------------------------------------------- */

/*
 * Before each delivery: the lock still ours, for delivery_timeout more; 0,
 * -1 on a store error, or 1 when it was lost (the route stops for this
 * run, so that nothing goes out twice; nothing is lost, its jobs wait).
 */
int
ob_locked(struct run *w)
{
	redisReply *r;

	if ((r = alert_cmd(w->st, 6, w->renew)) == NULL)
		return -1;
	if (r->type != REDIS_REPLY_INTEGER || r->integer != 1) {
		warnx("route %s: the lock was lost to another deliverer; stopped", w->rt->name);
		freeReplyObject(r);
		w->stop = 1;
		return 1;
	}
	freeReplyObject(r);
	return 0;
}

double
ob_backoff(const struct alert_conf *c, int n)
{
	double d = ldexp((double)c->retry_base, n < 30 ? n : 30);

	return d > (double)c->retry_max ? (double)c->retry_max : d;
}

/* A job to try again later: its attempts and due time in the list. */
static int
retry_job(struct run *w, struct hjob *h, double ra, const char *why)
{
	double now = mcp_now(), delay;
	long long res;
	char *next;
	int rc, n;

	ob_whole(h);
	n = attempts(h->j);
	delay = ra > 0 ? ra : ob_backoff(w->c, n);

	if (now - ob_num(h->j, "first") >= (double)w->c->give_up)
		return ob_dead(w->st, w->key, h->s, h->j, w->rt->name, why, w->out);
	cJSON_ReplaceItemInObjectCaseSensitive(h->j, "n", cJSON_CreateNumber(n + 1));
	cJSON_ReplaceItemInObjectCaseSensitive(
	    h->j, "next", cJSON_CreateNumber(mcp_ms_round(now + delay)));
	next = alert_print(cJSON_Duplicate(h->j, 1));
	rc = eval(w->st, set_lua, w->key, h->s, next, &res);
	free(next);
	warnx("route %s: %s %s: %s; attempt %d, next in %.0f s%s", w->rt->name,
	    alert_str(h->rec, "event"), alert_str(h->rec, "dedup_key"), why, n + 1, delay,
	    ra > 0 ? " (Retry-After)" : "");
	return rc;
}

/*
 * One job sent as it is: 0 (sent, refused or to retry, *sent saying
 * whether it was delivered), or -1 on a store error.
 */
int
ob_send_job(struct run *w, struct hjob *h, int *sent)
{
	char why[256];
	double ra = 0;
	const char *a[1] = {h->s};
	int rc;

	*sent = 0;
	ob_whole(h);
	if ((rc = ob_locked(w)) != 0)
		return rc < 0 ? -1 : 0;
	if (pace_wait(&w->pace, w->deadline) == -1) {
		w->stop = 1;
		return 0;
	}
	if ((rc = ob_locked(w)) != 0)
		return rc < 0 ? -1 : 0;
	switch (alert_send_one(w->c, w->rt, alert_str(h->j, "id"), h->rec, &ra, why, sizeof(why))) {
	case SENT:
		pace_sent(&w->pace, 0);
		*sent = 1;
		return ob_take(w->st, w->key, a, 1);
	case REFUSED:
		pace_sent(&w->pace, 0);
		return ob_dead(w->st, w->key, h->s, h->j, w->rt->name, why, w->out);
	default:
		pace_sent(&w->pace, ra);
		w->stop = 1;
		return retry_job(w, h, ra, why);
	}
}

/* The units of the jobs at the head, in the order of their first job. */
static int
units_of(struct run *w, struct hjob *hj, int n, struct unit *u)
{
	char key[ALERT_GROUP_KEY_MAX];
	struct mcp_strmap groups = {0}, trig = {0};
	struct mcp_strent *g = NULL, *t;
	const char *was;
	int i, k, nu = 0, isnew = 1;

	for (i = 0; i < n; i++) {
		key[0] = '\0';
		/*
		 * A resolve goes with its trigger: to the group the route was told
		 * it in, else to the group its trigger waits in, else alone (its
		 * trigger was told alone, before grouping or by another group_by).
		 */
		if (hj[i].j != NULL && alert_group_of(w->c, hj[i].rec, key, sizeof(key)) &&
		    strcmp(alert_str(hj[i].rec, "event"), "resolve") == 0) {
			if ((was = group_told_in(w, alert_str(hj[i].rec, "slug"))) != NULL)
				snprintf(key, sizeof(key), "%s", was);
			else if ((t = mcp_strmap_get(&trig, alert_str(hj[i].rec, "slug"))) != NULL)
				snprintf(key, sizeof(key), "%s", u[t->num].key);
			else
				key[0] = '\0';
		}
		k = nu;
		if (key[0] != '\0') {
			/* The map's keys are the units' own, which stay put. */
			if ((g = mcp_strmap_get(&groups, key)) != NULL)
				k = (int)g->num;
		}
		if (k == nu) {
			nu++;
			snprintf(u[k].key, sizeof(u[k].key), "%s", key);
			u[k].n = 0;
			if (key[0] != '\0' &&
			    ((g = mcp_strmap_put(&groups, u[k].key, &isnew)) == NULL))
				err(MCP_EXIT_FAIL, "out of memory");
			if (key[0] != '\0')
				g->num = (size_t)k;
		}
		/* Grown by doubling: a unit's jobs, from one to a storm's. */
		if ((u[k].n & (u[k].n - 1)) == 0 &&
		    (u[k].jobs = reallocarray(
		         u[k].jobs, u[k].n ? 2 * (size_t)u[k].n : 1, sizeof(int))) == NULL)
			err(MCP_EXIT_FAIL, "realloc");
		u[k].jobs[u[k].n++] = i;
		if (key[0] != '\0' && strcmp(alert_str(hj[i].rec, "event"), "trigger") == 0) {
			if ((t = mcp_strmap_put(&trig, alert_str(hj[i].rec, "slug"), &isnew)) ==
			    NULL)
				err(MCP_EXIT_FAIL, "out of memory");
			t->num = (size_t)k;
		}
	}
	mcp_strmap_free(&groups);
	mcp_strmap_free(&trig);
	return nu;
}

/* Deliver route i's due jobs, in order, until it must wait or its budget is spent. */
static int
deliver_route(struct mcp_store *st, const struct alert_conf *c, int i, struct mcp_buf *out)
{
	const struct alert_route *rt = &c->routes[i];
	char lock[ALERT_NAME_MAX + 32], token[33], px[32], hi[16];
	const char *set[] = {"SET", lock, token, "NX", "PX", px};
	const char *pexp[] = {"EVAL", renew_lua, "1", lock, token, px};
	const char *range[] = {"LRANGE", NULL, "0", hi};
	struct run w = {st, c, rt, "", "", {0}, 0, out, NULL, 0, 0, 0, {NULL, 0, 0}, pexp};
	struct mcp_strmap blocked = {0};
	struct hjob *hj;
	struct unit *u;
	redisReply *lr;
	long long res;
	int n, nu, k, k2, j, isnew, rc = 0, done, full;

	alert_outbox_key(w.key, sizeof(w.key), c, i);
	snprintf(w.gkey, sizeof(w.gkey), "mcp:alert:groups:%s", rt->name);
	snprintf(lock, sizeof(lock), "mcp:alert:lock:%s", rt->name);
	/* Renewed before a turn's wait and before each delivery: each is shorter. */
	snprintf(px, sizeof(px), "%ld", (c->delivery_timeout + 5) * 1000);
	snprintf(hi, sizeof(hi), "%d", HEAD_MAX - 1);
	range[1] = w.key;
	alert_hex_random(token, 16);
	/* One deliverer per route at a time, so that nothing goes out twice. */
	if ((k = alert_lock(st, set)) != 1)
		return k;
	w.deadline = mcp_mono() + (double)c->delivery_budget;
	pace_load(st, rt, &w.pace);
	alert_am_store = st; /* paging services: Alertmanager keeps what fires */
	do {
		done = 0;
		if ((rc = ob_locked(&w)) != 0) {
			rc = rc < 0 ? -1 : 0;
			break;
		}
		if ((lr = alert_cmd(st, 4, range)) == NULL) {
			rc = -1;
			break;
		}
		n = (int)lr->elements;
		full = n == HEAD_MAX;
		if (n == 0 || group_metas_load(&w) == -1) {
			rc = n == 0 ? 0 : -1;
			freeReplyObject(lr);
			break;
		}
		if ((hj = calloc((size_t)n, sizeof(*hj))) == NULL ||
		    (u = calloc((size_t)n, sizeof(*u))) == NULL)
			err(MCP_EXIT_FAIL, "calloc");
		for (k = 0; k < n; k++) {
			hj[k].s =
			    lr->element[k]->type == REDIS_REPLY_STRING ? lr->element[k]->str : "";
			job_read(&hj[k]);
		}
		nu = units_of(&w, hj, n, u);
		for (k = 0; rc == 0 && !w.stop && k < nu; k++) {
			struct hjob *h = &hj[u[k].jobs[0]];

			if (mcp_mono() >= w.deadline) {
				w.stop = 1;
				break;
			}
			if (u[k].key[0] != '\0') {
				int sends = w.sends;

				rc = group_send(&w, hj, &u[k]);
				done += w.sends - sends;
				/* What its members queued after it waits for it. */
				for (j = 0; w.held && j < u[k].n; j++)
					if (hj[u[k].jobs[j]].rec != NULL &&
					    mcp_strmap_put(&blocked,
					        alert_str(hj[u[k].jobs[j]].rec, "slug"),
					        &isnew) == NULL)
						err(MCP_EXIT_FAIL, "out of memory");
				w.held = 0;
				continue;
			}
			if (h->j == NULL) {
				cJSON *nj = cJSON_CreateObject();

				cJSON_AddItemToObject(nj, "rec", cJSON_CreateObject());
				rc = ob_dead(
				    st, w.key, h->s, nj, rt->name, "not a job of mcp-alert", out);
				cJSON_Delete(nj);
				done++;
				continue;
			}
			if (mcp_strmap_get(&blocked, alert_str(h->rec, "slug")) != NULL)
				continue;
			/* A job alone keeps its place: what follows it waits for it. */
			if (ob_num(h->j, "next") > mcp_now() &&
			    ob_num(h->j, "next") <
			        mcp_now() + fmax((double)c->retry_max, RETRY_AFTER_MAX) + 60)
				break;
			rc = ob_send_job(&w, h, &k2);
			done++;
			/* An escalation is a trigger of its own where a group told the rest. */
			if (rc == 0 && k2 && strcmp(alert_str(h->rec, "event"), "escalate") == 0)
				rc = group_own(&w, alert_str(h->rec, "slug"));
		}
		for (k = 0; k < n; k++) {
			cJSON_Delete(hj[k].j);
			cJSON_Delete(hj[k].kept);
		}
		for (k = 0; k < nu; k++)
			free(u[k].jobs);
		free(hj);
		free(u);
		freeReplyObject(lr);
		cJSON_Delete(w.metas);
		w.metas = NULL;
		mcp_strmap_free(&w.told);
		memset(&w.told, 0, sizeof(w.told));
		mcp_strmap_free(&blocked);
	} while (rc == 0 && !w.stop && full && done > 0);
	/* paging services: what fires in Alertmanager sent again, once a minute. */
	if (rc == 0 && rt->type == RT_ALERTMANAGER && !w.stop && ob_locked(&w) == 0)
		rc = alert_am_refresh(st, c, rt);
	alert_am_store = NULL;
	pace_save(st, &w.pace);
	if (eval(st, unlock_lua, lock, token, NULL, &res) == -1)
		rc = -1;
	return rc;
}

/* --- routes at once ------------------------------------------------------------ */

struct worker {
	pthread_t t;
	const struct alert_conf *c;
	int route;
	struct mcp_buf out;
	int rc;
};

static void *
worker_main(void *arg)
{
	struct worker *k = arg;
	struct mcp_store_opts so = {5, -1};
	struct mcp_store *st;
	char err[512];

	/* A connection of its own: a slow route never waits on another's. */
	if ((st = mcp_store_open(k->c->store_url, &so, err, sizeof(err))) == NULL) {
		warnx("route %s: redis: %s", k->c->routes[k->route].name, err);
		k->rc = -1;
		return NULL;
	}
	k->rc = deliver_route(st, k->c, k->route, &k->out);
	mcp_store_close(st);
	alert_send_done();
	return NULL;
}

int
alert_deliver(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out)
{
	struct alert_pipe p = {0, {0}, {NULL}, {NULL}};
	static __thread char keys[ALERT_ROUTES_MAX][ALERT_NAME_MAX + 32];
	static __thread char amkeys[ALERT_ROUTES_MAX][ALERT_NAME_MAX + 32];
	const char *llen[ALERT_ROUTES_MAX][2], *hlen[ALERT_ROUTES_MAX][2];
	struct worker wk[ALERT_ROUTES_MAX];
	int i, nw = 0, busy[ALERT_ROUTES_MAX], rc = 0;

	/* Which outboxes hold anything: one round trip. */
	for (i = 0; i < c->nroutes; i++) {
		alert_outbox_key(keys[i], sizeof(keys[i]), c, i);
		llen[i][0] = "LLEN", llen[i][1] = keys[i];
		p.argv[p.n] = llen[i], p.argc[p.n++] = 2;
	}
	/* paging services: an Alertmanager route's run also sends again what fires. */
	for (i = 0; i < c->nroutes; i++) {
		alert_am_key(amkeys[i], sizeof(amkeys[i]), &c->routes[i]);
		hlen[i][0] = c->routes[i].type == RT_ALERTMANAGER ? "HLEN" : "EXISTS";
		hlen[i][1] = amkeys[i];
		p.argv[p.n] = hlen[i], p.argc[p.n++] = 2;
	}
	if (p.n == 0)
		return 0;
	if (alert_pipe_run(st, &p) == -1)
		return -1;
	for (i = 0; i < c->nroutes; i++)
		if ((p.r[i]->type == REDIS_REPLY_INTEGER && p.r[i]->integer > 0) ||
		    (c->routes[i].type == RT_ALERTMANAGER &&
		        p.r[c->nroutes + i]->type == REDIS_REPLY_INTEGER &&
		        p.r[c->nroutes + i]->integer > 0))
			busy[nw++] = i;
	alert_pipe_free(&p);
	/* One route: delivered here, on this connection. */
	if (nw == 1 || c->store_url == NULL) {
		for (i = 0; i < nw; i++)
			if (deliver_route(st, c, busy[i], out) == -1)
				rc = -1;
		return rc;
	}
	for (i = 0; i < nw; i++) {
		memset(&wk[i], 0, sizeof(wk[i]));
		wk[i].c = c, wk[i].route = busy[i];
		if ((errno = pthread_create(&wk[i].t, NULL, worker_main, &wk[i])) != 0)
			err(MCP_EXIT_FAIL, "pthread_create");
	}
	for (i = 0; i < nw; i++) {
		pthread_join(wk[i].t, NULL);
		if (wk[i].rc == -1)
			rc = -1;
		if (wk[i].out.len > 0 && mcp_buf_add(out, wk[i].out.p, wk[i].out.len) == -1)
			err(MCP_EXIT_FAIL, "out of memory");
		mcp_buf_free(&wk[i].out);
	}
	return rc;
}

int
alert_outbox_orphans(struct mcp_store *st, const struct alert_conf *c)
{
	const char *llen[] = {"LLEN", NULL};
	char **keys, err[512];
	const char *name;
	redisReply *r;
	size_t n, i;
	int j, rc = 0;

	if (mcp_store_scan(st, "mcp:alert:outbox:*", &keys, &n, err, sizeof(err)) == -1) {
		warnx("check: redis: %s", err);
		return -1;
	}
	for (i = 0; i < n; i++) {
		name = keys[i] + strlen("mcp:alert:outbox:");
		for (j = 0; j < c->nroutes && strcmp(c->routes[j].name, name) != 0; j++)
			;
		llen[1] = keys[i];
		if (j == c->nroutes && rc != -1 && (r = alert_cmd(st, 2, llen)) != NULL) {
			if (r->type == REDIS_REPLY_INTEGER && r->integer > 0) {
				warnx("check: the outbox of route \"%s\", no longer configured, "
				      "holds %lld "
				      "deliver%s that nobody will send",
				    mcp_slug_ok(name) ? name : "?", r->integer,
				    r->integer == 1 ? "y" : "ies");
				rc = 1;
			}
			freeReplyObject(r);
		} else if (j == c->nroutes && rc != -1)
			rc = -1;
		free(keys[i]);
	}
	free(keys);
	return rc;
}
