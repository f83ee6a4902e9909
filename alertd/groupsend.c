/*
 * groupsend.c - the notifications of groups (group.c): what each route
 * was told of each open group is kept in the store, in the hash
 * mcp:alert:groups:ROUTE, and the members' jobs wait in the outbox until
 * the group's notification that holds them is delivered.  A group is told
 * at once when it is new (after group_wait) and when its last member
 * recovers, else at most once a group_interval.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "alert.h"
#include "json.h"
#include "outbox.h"
#include "strmap.h"

static int
in(const cJSON *a, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, a) if (strcmp(cJSON_GetStringValue(e), s) == 0) return 1;
	return 0;
}

static void
drop(cJSON *a, const char *s)
{
	const cJSON *e;
	int i = 0;

	cJSON_ArrayForEach(e, a)
	{
		if (strcmp(cJSON_GetStringValue(e), s) == 0) {
			cJSON_DeleteItemFromArray(a, i);
			return;
		}
		i++;
	}
}

static void
add(cJSON *a, const char *s)
{
	if (!in(a, s))
		cJSON_AddItemToArray(a, cJSON_CreateString(s));
}

/*
 * What the unit u changes of a group told the members told: the members
 * open after it (*s: those told, in order, then the new), the added and
 * the resolved, each once.  Sets of strings, so that a storm of thousands
 * costs its size, not its square.
 */
static void
members(const cJSON *told, struct hjob *hj, const struct unit *u, cJSON **s, cJSON **added,
    cJSON **resolved)
{
	struct mcp_strmap open = {0}, add = {0}, res = {0};
	struct mcp_strent *o;
	const cJSON *e;
	const char *slug;
	int i, isnew, trig;

	*s = cJSON_CreateArray(), *added = cJSON_CreateArray(), *resolved = cJSON_CreateArray();
	/* num: 1 open, 0 not; ptr: non-NULL for a member told before. */
	cJSON_ArrayForEach(e, told) if ((o = mcp_strmap_put(&open, e->valuestring, &isnew)) != NULL)
	    o->num = 1,
	    o->ptr = e;
	for (i = 0; i < u->n; i++) {
		slug = alert_str(hj[u->jobs[i]].rec, "slug");
		trig = strcmp(alert_str(hj[u->jobs[i]].rec, "event"), "trigger") == 0;
		if ((o = mcp_strmap_put(&open, slug, &isnew)) == NULL ||
		    mcp_strmap_put(trig ? &add : &res, slug, &isnew) == NULL)
			err(MCP_EXIT_FAIL, "out of memory");
		o->num = trig;
		if (isnew)
			cJSON_AddItemToArray(trig ? *added : *resolved, cJSON_CreateString(slug));
	}
	cJSON_ArrayForEach(e, told) if ((o = mcp_strmap_get(&open, e->valuestring)) != NULL &&
	    o->num == 1) o->num = 2,
	                 cJSON_AddItemToArray(*s, cJSON_CreateString(e->valuestring));
	cJSON_ArrayForEach(e, *added) if ((o = mcp_strmap_get(&open, e->valuestring)) != NULL &&
	    o->num == 1) o->num = 2,
	                 cJSON_AddItemToArray(*s, cJSON_CreateString(e->valuestring));
	mcp_strmap_free(&open), mcp_strmap_free(&add), mcp_strmap_free(&res);
}

/* A group's record as the store keeps it, or NULL when it is not one. */
static int
meta_ok(const cJSON *m)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "told"), *e;
	const char *k[] = {"since", "sent", "seq", "n", "next"};
	size_t i;

	if (!cJSON_IsObject(m) || !cJSON_IsArray(t) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "id")) ||
	    strlen(alert_str(m, "id")) > ALERT_GROUP_KEY_MAX + 48 ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "solo")) || ob_num(m, "n") > 1e6)
		return 0;
	/* Added later: the members with an incident of their own on the route. */
	if (cJSON_GetObjectItemCaseSensitive(m, "own") != NULL) {
		cJSON_ArrayForEach(
		    e, cJSON_GetObjectItemCaseSensitive(m, "own")) if (!cJSON_IsString(e) ||
		    !mcp_slug_ok(e->valuestring)) return 0;
	} else
		cJSON_AddItemToObject((cJSON *)m, "own", cJSON_CreateArray());
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		e = cJSON_GetObjectItemCaseSensitive(m, k[i]);
		if (!cJSON_IsNumber(e) ||
		    !(e->valuedouble >= 0 && e->valuedouble <= ALERT_TIME_MAX))
			return 0;
	}
	cJSON_ArrayForEach(e, t) if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring)) return 0;
	return 1;
}

int
group_metas_load(struct run *w)
{
	const char *hall[] = {"HGETALL", w->gkey};
	const char *why;
	redisReply *r;
	cJSON *m;
	size_t i;

	if ((w->metas = cJSON_CreateObject()) == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	if ((r = alert_cmd(w->st, 2, hall)) == NULL)
		return -1;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		if (r->element[i]->type != REDIS_REPLY_STRING ||
		    r->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		m = mcp_json_parse(r->element[i + 1]->str, r->element[i + 1]->len, &why);
		if (!meta_ok(m) || strlen(r->element[i]->str) >= ALERT_GROUP_KEY_MAX) {
			warnx("route %s: group %.64s: not a group's record; forgotten", w->rt->name,
			    r->element[i]->str);
			cJSON_Delete(m);
			continue;
		}
		cJSON_AddItemToObject(w->metas, r->element[i]->str, m);
	}
	freeReplyObject(r);
	return 0;
}

const char *
group_told_in(struct run *w, const char *slug)
{
	const cJSON *m, *e;
	struct mcp_strent *o;
	int isnew;

	/* Made once a round: every member told, with its group. */
	if (w->told.cap == 0)
		cJSON_ArrayForEach(m, w->metas)
		{
			cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(m, "told"))
			{
				if ((o = mcp_strmap_put(&w->told, e->valuestring, &isnew)) == NULL)
					err(MCP_EXIT_FAIL, "out of memory");
				o->ptr = m->string;
			}
		}
	return (o = mcp_strmap_get(&w->told, slug)) != NULL ? o->ptr : NULL;
}

/* Write what the route was told of group key (m), or forget it (m NULL). */
static int
meta_save(struct run *w, const char *key, const cJSON *m)
{
	const char *hset[] = {"HSET", w->gkey, key, NULL}, *hdel[] = {"HDEL", w->gkey, key};
	redisReply *r;
	char *s = NULL;

	if (m != NULL) {
		s = alert_print(cJSON_Duplicate(m, 1));
		hset[3] = s;
	}
	r = m != NULL ? alert_cmd(w->st, 4, hset) : alert_cmd(w->st, 3, hdel);
	free(s);
	if (r == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

/* This process, among those that notified a group: random, made once. */
static char proc_id[33];

static void
process_id_make(void)
{
	alert_hex_random(proc_id, 16);
}

static const char *
process_id(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, process_id_make);
	return proc_id;
}

static cJSON *
meta_new(double since)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "id", "");
	cJSON_AddNumberToObject(m, "since", since);
	cJSON_AddItemToObject(m, "told", cJSON_CreateArray());
	cJSON_AddNumberToObject(m, "sent", 0);
	cJSON_AddNumberToObject(m, "seq", 0);
	cJSON_AddNumberToObject(m, "n", 0);
	cJSON_AddNumberToObject(m, "next", 0);
	cJSON_AddStringToObject(m, "solo", "");
	cJSON_AddItemToObject(m, "own", cJSON_CreateArray());
	if (m == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	return m;
}

static void
set_num(cJSON *m, const char *k, double v)
{
	if (cJSON_GetObjectItemCaseSensitive(m, k) == NULL)
		cJSON_AddNumberToObject(m, k, v);
	else
		cJSON_ReplaceItemInObjectCaseSensitive(m, k, cJSON_CreateNumber(v));
}

static void
set_str(cJSON *m, const char *k, const char *v)
{
	if (cJSON_GetObjectItemCaseSensitive(m, k) == NULL)
		cJSON_AddStringToObject(m, k, v);
	else
		cJSON_ReplaceItemInObjectCaseSensitive(m, k, cJSON_CreateString(v));
}

/* The id a receiver sees for a notification of group g: the same on a repeat. */
static void
group_msg_id(char *buf, size_t len, const struct alert_group *g)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	struct mcp_buf in = {0};
	char why[256];

	/*
	 * Of what it says: a repeat (a retry, a run after a crash) has the
	 * same id, a notice that says more has another.  The text of the
	 * array [id, slugs, added, resolved], written piece by piece: a
	 * storm's group names thousands, not copied for it.
	 */
	if (mcp_buf_addc(&in, '[') == -1 || mcp_json_string(&in, g->id) == -1 ||
	    mcp_buf_addc(&in, ',') == -1 || mcp_json_write(&in, g->slugs, why, sizeof(why)) == -1 ||
	    mcp_buf_addc(&in, ',') == -1 || mcp_json_write(&in, g->added, why, sizeof(why)) == -1 ||
	    mcp_buf_addc(&in, ',') == -1 ||
	    mcp_json_write(&in, g->resolved, why, sizeof(why)) == -1 ||
	    mcp_buf_addc(&in, ']') == -1)
		errx(MCP_EXIT_FAIL, "a group's id: out of memory");
	if (EVP_Digest(in.p, in.len, md, &n, EVP_sha256(), NULL) != 1)
		errx(MCP_EXIT_FAIL, "sha256");
	mcp_buf_free(&in);
	for (i = 0; i < 16 && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", md[i]);
}

/* A group's next attempt further than this is a store's fancy or a clock set back. */
static double
next_max(const struct alert_conf *c)
{
	return fmax((double)c->retry_max, RETRY_AFTER_MAX) + 60;
}

/*
 * Who told the group last, and since when that process has been telling
 * it: its notices within a minute of the first are one run's, held by no
 * group_interval.
 */
static void
told_by(cJSON *m, double now)
{
	if (strcmp(alert_str(m, "by"), process_id()) != 0 || now - ob_num(m, "burst") >= 60)
		set_num(m, "burst", now);
	set_str(m, "by", process_id());
}

/* The members of resolved, given up, taken out of what the route was told of the group. */
static int
forget(struct run *w, const char *key, cJSON *m, const cJSON *resolved)
{
	cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "told");
	const cJSON *e;

	cJSON_ArrayForEach(e, resolved) drop(t, e->valuestring);
	return meta_save(w, key, cJSON_GetArraySize(t) > 0 || *alert_str(m, "solo") ? m : NULL);
}

/* Route w sent slug a record of its own (an escalation): its resolve goes alone too. */
int
group_own(struct run *w, const char *slug)
{
	const char *key = group_told_in(w, slug);
	cJSON *m = key != NULL ? cJSON_GetObjectItemCaseSensitive(w->metas, key) : NULL;
	cJSON *own = cJSON_GetObjectItemCaseSensitive(m, "own");

	if (m == NULL || own == NULL || in(own, slug))
		return 0;
	cJSON_AddItemToArray(own, cJSON_CreateString(slug));
	return meta_save(w, key, m);
}

/*
 * The jobs of group u: sent as the member's own records when the group
 * never held another slug, else as one notification of the group.
 */
int
group_send(struct run *w, struct hjob *hj, const struct unit *u)
{
	const struct alert_conf *c = w->c;
	cJSON *m = cJSON_GetObjectItemCaseSensitive(w->metas, u->key), *told, *s, *added, *resolved,
	      *rec;
	const char *slug, *one = NULL, **a;
	double now = mcp_now(), first = ALERT_TIME_MAX, ra = 0;
	struct alert_group g;
	char why[256], id[40];
	int i, alone = 1, rc = 0, sent, changed = 0;
	const cJSON *e;

	told = m != NULL ? cJSON_GetObjectItemCaseSensitive(m, "told") : NULL;
	for (i = 0; i < u->n; i++) {
		rec = hj[u->jobs[i]].rec;
		slug = alert_str(rec, "slug");
		first = fmin(first, ob_num(hj[u->jobs[i]].j, "first"));
		if (one == NULL)
			one = slug;
		alone = alone && strcmp(one, slug) == 0;
	}
	members(told, hj, u, &s, &added, &resolved);
	cJSON_ArrayForEach(e, told) alone = alone && strcmp(e->valuestring, one) == 0;
	alone = alone && (m == NULL || *alert_str(m, "id") == '\0');
	/*
	 * A receiver's backoff holds the route, as a job alone does; a new
	 * group's wait and the interval since the group's last notice hold
	 * the group alone.  Times are to the millisecond, as the jobs' are.
	 */
	if ((m != NULL && ob_num(m, "next") > now && ob_num(m, "next") < now + next_max(c)) ||
	    (alone && ob_num(hj[u->jobs[0]].j, "next") > now + 0.001)) {
		w->stop = 1;
		goto done;
	}
	/*
	 * A last notice in the future is a clock set back: it holds nothing.
	 * Nor does one this process made less than a minute ago: the members
	 * decided in one run go out together, however the input came in.
	 */
	if (m == NULL || ob_num(m, "sent") == 0 ? now + 0.001 < first + (double)c->group_wait
	                                        : cJSON_GetArraySize(s) > 0 &&
	            now < ob_num(m, "sent") + (double)c->group_interval &&
	            ob_num(m, "sent") <= now + 1 &&
	            !(strcmp(alert_str(m, "by"), process_id()) == 0 &&
	                now - ob_num(m, "burst") < 60)) {
		w->held = 1;
		goto done;
	}
	if (alone) {
		/*
		 * A group of one: the member's own records, in order, as before
		 * grouping; what the route now knows open is what it was sent.
		 */
		cJSON_Delete(s);
		s = told != NULL ? cJSON_Duplicate(told, 1) : cJSON_CreateArray();
		for (i = 0; rc == 0 && !w->stop && i < u->n; i++) {
			rec = hj[u->jobs[i]].rec;
			if ((rc = ob_send_job(w, &hj[u->jobs[i]], &sent)) == 0 && sent) {
				w->sends++;
				if (strcmp(alert_str(rec, "event"), "trigger") == 0)
					add(s, one);
				else
					drop(s, one);
				changed = 1;
			}
		}
		/* Saved whatever came after: what was sent was told. */
		if (changed && rc != -2) {
			if (cJSON_GetArraySize(s) == 0) {
				if (meta_save(w, u->key, NULL) == -1)
					rc = -1;
			} else {
				if (m == NULL)
					m = meta_new(now),
					cJSON_AddItemToObject(w->metas, u->key, m);
				cJSON_ReplaceItemInObjectCaseSensitive(
				    m, "told", cJSON_Duplicate(s, 1));
				set_num(m, "sent", now), set_str(m, "solo", one);
				told_by(m, now);
				if (meta_save(w, u->key, m) == -1)
					rc = -1;
			}
		}
		goto done;
	}
	if (m == NULL)
		m = meta_new(now), cJSON_AddItemToObject(w->metas, u->key, m);
	/*
	 * A member the route was told of alone (before the group grew, or by
	 * an escalation) has an incident of its own there: closed alone too.
	 */
	for (i = 0; rc == 0 && !w->stop && i < u->n; i++) {
		rec = hj[u->jobs[i]].rec;
		slug = alert_str(rec, "slug");
		if (strcmp(alert_str(rec, "event"), "resolve") == 0 &&
		    (strcmp(slug, alert_str(m, "solo")) == 0 ||
		        in(cJSON_GetObjectItemCaseSensitive(m, "own"), slug))) {
			if ((rc = ob_send_job(w, &hj[u->jobs[i]], &sent)) == 0 && sent) {
				if (strcmp(slug, alert_str(m, "solo")) == 0)
					set_str(m, "solo", "");
				drop(cJSON_GetObjectItemCaseSensitive(m, "own"), slug);
				rc = meta_save(w, u->key, m);
				hj[u->jobs[i]].rec = NULL; /* sent and taken */
			}
		}
	}
	if (rc != 0 || w->stop)
		goto done;
	if (*alert_str(m, "id") == '\0') {
		char gid[ALERT_GROUP_KEY_MAX + 48];

		/* To the millisecond: a group that reopens is another incident. */
		snprintf(
		    gid, sizeof(gid), "group:%s:%.0f", u->key, floor(ob_num(m, "since") * 1000));
		set_str(m, "id", gid);
	}
	snprintf(g.key, sizeof(g.key), "%s", u->key);
	g.id = alert_str(m, "id"), g.since = ob_num(m, "since");
	g.slugs = s, g.added = added, g.resolved = resolved;
	g.seq = (int)ob_num(m, "seq") + 1;
	for (i = 0; i < u->n && hj[u->jobs[i]].rec == NULL; i++)
		;
	if (i == u->n) { /* its only job was a member's own resolve, sent */
		cJSON_ReplaceItemInObjectCaseSensitive(m, "told", cJSON_Duplicate(s, 1));
		rc = meta_save(w, u->key, cJSON_GetArraySize(s) > 0 ? m : NULL);
		goto done;
	}
	rec = alert_group_record(&g, hj[u->jobs[i]].rec, now);
	group_msg_id(id, sizeof(id), &g);
	if ((rc = ob_locked(w)) != 0) {
		rc = rc < 0 ? -1 : 0;
		cJSON_Delete(rec);
		goto done;
	}
	if (pace_wait(&w->pace, w->deadline) == -1) {
		w->stop = 1;
		cJSON_Delete(rec);
		goto done;
	}
	if ((rc = ob_locked(w)) != 0) {
		rc = rc < 0 ? -1 : 0;
		cJSON_Delete(rec);
		goto done;
	}
	switch (alert_send_one(c, w->rt, id, rec, &ra, why, sizeof(why))) {
	case SENT:
		pace_sent(&w->pace, 0);
		set_num(m, "seq", ob_num(m, "seq") + 1), set_num(m, "sent", now);
		told_by(m, now);
		w->sends++;
		set_num(m, "n", 0), set_num(m, "next", 0);
		cJSON_ReplaceItemInObjectCaseSensitive(m, "told", cJSON_Duplicate(s, 1));
		rc = meta_save(w, u->key, cJSON_GetArraySize(s) > 0 ? m : NULL);
		if (rc == 0) {
			if ((a = calloc((size_t)u->n, sizeof(*a))) == NULL)
				err(MCP_EXIT_FAIL, "calloc");
			for (i = 0; i < u->n; i++)
				a[i] = hj[u->jobs[i]].s;
			rc = ob_take(w->st, w->key, a, u->n);
			free(a);
		}
		if (cJSON_GetArraySize(s) == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(w->metas, u->key);
		break;
	case REFUSED:
		pace_sent(&w->pace, 0);
		for (i = 0; rc == 0 && i < u->n; i++)
			if (hj[u->jobs[i]].rec != NULL) {
				ob_whole(&hj[u->jobs[i]]);
				rc = ob_dead(w->st, w->key, hj[u->jobs[i]].s, hj[u->jobs[i]].j,
				    w->rt->name, why, w->out);
			}
		/* Given up: the members that recovered are no longer the route's to close. */
		if (rc == 0)
			rc = forget(w, u->key, m, resolved);
		break;
	default:
		pace_sent(&w->pace, ra);
		w->stop = 1;
		if (now - first >= (double)c->give_up) {
			for (i = 0; rc == 0 && i < u->n; i++)
				if (hj[u->jobs[i]].rec != NULL) {
					/* The group's attempts were each member's. */
					ob_whole(&hj[u->jobs[i]]);
					set_num(hj[u->jobs[i]].j, "n", ob_num(m, "n"));
					rc = ob_dead(w->st, w->key, hj[u->jobs[i]].s,
					    hj[u->jobs[i]].j, w->rt->name, why, w->out);
				}
			if (rc == 0)
				rc = forget(w, u->key, m, resolved);
			break;
		}
		set_num(m, "n", ob_num(m, "n") + 1);
		set_num(m, "next",
		    mcp_ms_round(now + (ra > 0 ? ra : ob_backoff(c, (int)ob_num(m, "n") - 1))));
		warnx("route %s: group %s (%d incidents): %s; attempt %.0f, next in %.0f s",
		    w->rt->name, u->key, cJSON_GetArraySize(s), why, ob_num(m, "n"),
		    ob_num(m, "next") - now);
		rc = meta_save(w, u->key, m);
		break;
	}
	cJSON_Delete(rec);
done:
	cJSON_Delete(s), cJSON_Delete(added), cJSON_Delete(resolved);
	return rc;
}
