/*
 * fanout.c - the page's queues turned into deliveries, at each run of
 * mcp-alert: the subscription requests that mcp-serve queued become
 * confirmation jobs in the subscribers' mail outbox (naming the address by
 * its hash: subsend.c reads it, and makes the token, when it sends the
 * message); the maintenance windows that changed
 * are told; and each notice becomes one job for each subscriber of its
 * slugs.  Every step takes the head of its queue with a script that first
 * checks it is still the head: two runs at once never both take it, so
 * each subscriber gets one delivery of each notice.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "notice.h"
#include "sha256.h"

#define DRAIN_MAX 200 /* requests made messages in one run */
#define FANOUT_MAX 50 /* notices fanned out in one run */
#define MAINT_MAX 100 /* windows looked at in one run */

/*
 * The keys of the windows' moments last as long as a window they name may
 * need telling: past its end by the week its own key is kept, and a day.
 */
#define MAINT_KEEP (8 * 86400)
#define KEEP_LUA(k, a)                                                                             \
	"if redis.call('TTL', KEYS[" k "]) < tonumber(ARGV[" a "]) then\n"                         \
	"  redis.call('EXPIRE', KEYS[" k "], ARGV[" a "]) end\n"

/*
 * KEYS: requests, the mail outbox.  ARGV: the request, the job ("": none),
 * the address's record: a request whose address unsubscribed since, or
 * whose record expired, is dropped.
 */
static const char drain_lua[] = "if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end\n"
                                "redis.call('LPOP', KEYS[1])\n"
                                "if ARGV[2] ~= '' and redis.call('EXISTS', ARGV[3]) == 1 then\n"
                                "  redis.call('RPUSH', KEYS[2], ARGV[2]) end\n"
                                "return 1\n";

/*
 * KEYS: notices, the mail outbox, the set of outboxes.  ARGV: the notice's
 * id, the count of mail jobs, the mail jobs, then each webhook or Slack
 * subscriber's id and job.
 */
static const char fan_lua[] =
    "if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end\n"
    "redis.call('LPOP', KEYS[1])\n"
    "local n = tonumber(ARGV[2])\n"
    "for i = 3, 2 + n, 500 do\n"
    "  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 499, 2 + n))) end\n"
    "for i = 3 + n, #ARGV, 2 do\n"
    "  redis.call('RPUSH', '" PAGE_OUTBOX "' .. ARGV[i], ARGV[i + 1])\n"
    "  redis.call('SADD', KEYS[3], ARGV[i]) end\n"
    "return 1\n";

/*
 * KEYS: the phases told, the windows due, the notice's key, notices.
 * ARGV: the slug, the phase told as read ("" none), as it is now ("":
 * none), when it is next due ("": not), the notice ("": none), its id,
 * the seconds the two keys must last at least.
 */
static const char maint_lua[] =
    "if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[2] then return 0 end\n"
    "if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1])\n"
    "else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end\n"
    "if ARGV[4] == '' then redis.call('ZREM', KEYS[2], ARGV[1])\n"
    "else redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1]) end\n" KEEP_LUA("1", "7")
        KEEP_LUA("2", "7") "if ARGV[5] ~= '' then\n" NOTICE_LUA("3", "4", "5", "6") "end\n"
                                                                                    "return 1\n";

/* A job of the page's outboxes, as subsend.c reads it; owned. */
static char *
job_text(const char *sub, const char *notice, cJSON *rec)
{
	char id[33];
	double now = mcp_ms_floor(mcp_now());
	cJSON *o = cJSON_CreateObject();

	alert_hex_random(id, 16);
	cJSON_AddStringToObject(o, "id", id);
	if (sub != NULL)
		cJSON_AddStringToObject(o, "sub", sub);
	if (notice != NULL)
		cJSON_AddStringToObject(o, "notice", notice);
	cJSON_AddNumberToObject(o, "n", 0);
	cJSON_AddNumberToObject(o, "first", now);
	cJSON_AddNumberToObject(o, "next", now);
	if (rec != NULL)
		cJSON_AddItemToObject(o, "rec", rec);
	return alert_print(o);
}

/* The head of list key, owned, or NULL (none: *none set; a store error: not). */
static char *
head_of(struct mcp_store *st, const char *key, int *none)
{
	const char *argv[] = {"LINDEX", key, "0"};
	redisReply *r;
	char *s = NULL;

	*none = 0;
	if ((r = alert_cmd(st, 3, argv)) == NULL)
		return NULL;
	if (r->type != REDIS_REPLY_STRING)
		*none = 1;
	else if ((s = strdup(r->str)) == NULL)
		err(MCP_EXIT_FAIL, "strdup");
	freeReplyObject(r);
	return s;
}

/* Run a script of argc words: its integer, or -1 after a message. */
static long long
script(struct mcp_store *st, int argc, const char **argv)
{
	redisReply *r;
	long long v;

	if ((r = alert_cmd(st, argc, argv)) == NULL)
		return -1;
	v = r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
	freeReplyObject(r);
	return v;
}

/* --- subscription requests ---------------------------------------------------------- */

/*
 * A request as mcp-serve queues it, checked again (the store is shared):
 * {"h":SHA-256 OF THE ADDRESS,"s":[SLUG...],"all":BOOL,"at":TIME}.  Its
 * confirmation job (owned; no address, no token) and the key of the
 * address's record, or NULL.
 */
static char *
request_job(const char *s, char *ask, size_t len)
{
	const cJSON *h, *sl, *e;
	const char *why;
	cJSON *r = mcp_json_parse(s, strlen(s), &why), *o = NULL;
	int n = 0;

	h = cJSON_GetObjectItemCaseSensitive(r, "h");
	sl = cJSON_GetObjectItemCaseSensitive(r, "s");
	if (cJSON_IsString(h) && strlen(h->valuestring) == MCP_SHA256_HEX - 1 &&
	    strspn(h->valuestring, "0123456789abcdef") == MCP_SHA256_HEX - 1 && cJSON_IsArray(sl) &&
	    cJSON_GetArraySize(sl) <= PAGE_SUB_SLUGS_MAX) {
		cJSON_ArrayForEach(e, sl) n += cJSON_IsString(e) && mcp_slug_ok(e->valuestring);
		if (n == cJSON_GetArraySize(sl) &&
		    (n > 0 || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "all")))) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "ask", h->valuestring);
			cJSON_AddItemToObject(o, "s", cJSON_Duplicate(sl, 1));
			cJSON_AddBoolToObject(
			    o, "all", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "all")));
			snprintf(ask, len, PAGE_ASK "%s", h->valuestring);
		}
	}
	cJSON_Delete(r);
	return o != NULL ? job_text(NULL, NULL, o) : NULL;
}

int
page_drain(struct mcp_store *st, const struct alert_conf *c)
{
	char ask[128], *req, *job;
	const char *argv[] = {"EVAL", drain_lua, "2", PAGE_REQUESTS, PAGE_MAILBOX, NULL, NULL, ask};
	int i, none;

	/* Without a mail route or a page to link to, requests wait (mcp-serve bounds them). */
	if (c->page_url == NULL || c->page_mail < 0)
		return 0;
	for (i = 0; i < DRAIN_MAX; i++) {
		if ((req = head_of(st, PAGE_REQUESTS, &none)) == NULL)
			return none ? 0 : -1;
		snprintf(ask, sizeof(ask), PAGE_ASK "-");
		if ((job = request_job(req, ask, sizeof(ask))) == NULL)
			warnx("subscription request: malformed: dropped");
		argv[5] = req, argv[6] = job ? job : "";
		if (script(st, 8, argv) == -1)
			i = DRAIN_MAX + 1;
		free(req);
		free(job);
	}
	return i > DRAIN_MAX ? -1 : 0;
}

/* --- notices -------------------------------------------------------------------------- */

/* The subscribers of notice n: SMEMBERS or SUNION, owned reply; NULL on error. */
static redisReply *
subscribers_of(struct mcp_store *st, const cJSON *n)
{
	const cJSON *sl = cJSON_GetObjectItemCaseSensitive(n, "slugs"), *e;
	const char *argv[PAGE_POST_SLUGS_MAX + 2];
	char keys[PAGE_POST_SLUGS_MAX][MCP_SLUG_MAX + 32];
	int k = 0;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(n, "all")) ||
	    cJSON_GetArraySize(sl) == 0) {
		argv[0] = "SMEMBERS", argv[1] = PAGE_SUBS;
		return alert_cmd(st, 2, argv);
	}
	argv[k++] = "SUNION", argv[k++] = PAGE_SUBS_WHOLE;
	cJSON_ArrayForEach(e, sl)
	{
		if (k - 2 == PAGE_POST_SLUGS_MAX)
			break;
		if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring))
			continue;
		snprintf(keys[k - 2], sizeof(keys[0]), PAGE_SUBS_SLUG "%s", e->valuestring);
		argv[k] = keys[k - 2];
		k++;
	}
	return alert_cmd(st, k, argv);
}

/* One notice fanned out: 1 taken, 0 another run took it, -1 a store error. */
static int
fan_one(struct mcp_store *st, const struct alert_conf *c, const char *nid)
{
	char key[128];
	const char *get[] = {"GET", key}, *why;
	const char **argv;
	redisReply *r, *subs = NULL;
	cJSON *n = NULL;
	char **jobs;
	size_t i, k = 0, nmail = 0, cap;
	long long v;

	snprintf(key, sizeof(key), PAGE_NOTICE "%.40s", nid);
	if ((r = alert_cmd(st, 2, get)) == NULL)
		return -1;
	/* A notice gone or not one of ours is taken off the queue with no job. */
	if (r->type == REDIS_REPLY_STRING && (n = mcp_json_parse(r->str, r->len, &why)) != NULL &&
	    strcmp(alert_str(n, "type"), "notice") == 0 && (subs = subscribers_of(st, n)) == NULL) {
		freeReplyObject(r);
		cJSON_Delete(n);
		return -1;
	}
	freeReplyObject(r);
	cap = subs != NULL ? 2 * subs->elements + 3 : 3;
	if ((jobs = calloc(cap, sizeof(*jobs))) == NULL ||
	    (argv = calloc(cap + 6, sizeof(*argv))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	/* Mail first (one RPUSH), then the hooks' pairs. */
	for (i = 0; subs != NULL && i < subs->elements; i++) {
		const char *id = page_reply_str(subs->element[i]);

		if (id[0] == 'e' && c->page_mail >= 0 && c->page_url != NULL)
			jobs[k++] = job_text(id, nid, NULL), nmail++;
	}
	for (i = 0; subs != NULL && i < subs->elements; i++) {
		const char *id = page_reply_str(subs->element[i]);

		if (id[0] == 'w' || id[0] == 'k') {
			jobs[k++] = strdup(id);
			jobs[k++] = job_text(id, nid, NULL);
		}
	}
	argv[0] = "EVAL", argv[1] = fan_lua, argv[2] = "3", argv[3] = PAGE_NOTICES;
	argv[4] = PAGE_MAILBOX, argv[5] = PAGE_OUTBOXES, argv[6] = nid;
	snprintf(key, sizeof(key), "%zu", nmail);
	argv[7] = key;
	for (i = 0; i < k; i++)
		argv[8 + i] = jobs[i];
	v = script(st, (int)k + 8, argv);
	for (i = 0; i < k; i++)
		free(jobs[i]);
	free(jobs);
	free(argv);
	if (subs != NULL)
		freeReplyObject(subs);
	cJSON_Delete(n);
	return (int)v;
}

int
page_fanout(struct mcp_store *st, const struct alert_conf *c)
{
	char *nid;
	int i, none;

	for (i = 0; i < FANOUT_MAX; i++) {
		if ((nid = head_of(st, PAGE_NOTICES, &none)) == NULL)
			return none ? 0 : -1;
		if (fan_one(st, c, nid) == -1) {
			free(nid);
			return -1;
		}
		free(nid);
	}
	return 0;
}

/* --- maintenance windows ------------------------------------------------------------- */

static const char changed_lua[] = "redis.call('ZADD', KEYS[1], 0, ARGV[1])\n" KEEP_LUA("1", "2");

int
alert_page_maint_changed(struct mcp_store *st, const char *slug, double end)
{
	char keep[32];
	const char *argv[] = {"EVAL", changed_lua, "1", PAGE_MAINT_DUE, slug, keep};
	redisReply *r;

	snprintf(keep, sizeof(keep), "%.0f", fmax(end - mcp_now(), 0) + MAINT_KEEP);
	if ((r = alert_cmd(st, 6, argv)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

enum { PH_NONE, PH_SCHEDULED, PH_ACTIVE, PH_OVER };
static const char *const phase_name[] = {"none", "scheduled", "active", "over"};

/*
 * What the window of slug says now, against what was told: the event to
 * tell (NULL: none), the phase to keep as told ("" none) and when to look
 * again (-1: not until it changes).
 */
static const char *
maint_step(
    const struct alert_maint *m, int found, const char *told, char *keep, size_t len, double *next)
{
	double now = mcp_now(), ts = 0, te = 0;
	char tp[16] = "";
	int ph = !found      ? PH_NONE
	    : now < m->start ? PH_SCHEDULED
	    : now < m->end   ? PH_ACTIVE
	                     : PH_OVER;
	int same;

	if (told[0] != '\0' && sscanf(told, "%15s %lf %lf", tp, &ts, &te) != 3)
		tp[0] = '\0';
	same = found && ts == m->start && te == m->end;
	keep[0] = '\0';
	*next = -1;
	if (ph == PH_SCHEDULED || ph == PH_ACTIVE) {
		snprintf(keep, len, "%s %.0f %.0f", phase_name[ph], m->start, m->end);
		*next = ph == PH_SCHEDULED ? m->start : m->end;
	}
	if (ph == PH_SCHEDULED)
		return strcmp(tp, "scheduled") == 0 && same ? NULL : "maintenance-scheduled";
	if (ph == PH_ACTIVE)
		return strcmp(tp, "active") == 0 && ts == m->start ? NULL : "maintenance-started";
	/* Over, or removed: an end to tell only of a window that was told. */
	return tp[0] != '\0' ? "maintenance-ended" : NULL;
}

/* One slug's window looked at: 1 done, 0 another run came first, -1 a store error. */
static int
maint_one(struct mcp_store *st, const char *slug)
{
	char key[MCP_SLUG_MAX + 32], keep[96], told[96] = "", nkey[80], nid[40], due[32];
	const char *hg[] = {"HGETALL", key}, *ht[] = {"HGET", PAGE_MAINT_TOLD, slug};
	char last[32];
	const char *argv[] = {"EVAL", maint_lua, "4", PAGE_MAINT_TOLD, PAGE_MAINT_DUE, nkey,
	    PAGE_NOTICES, slug, told, keep, due, NULL, nid, last};
	const char *ev;
	struct alert_maint m;
	redisReply *r;
	double next;
	char *json = NULL;
	int found;
	long long v;
	cJSON *n;

	alert_maint_key(key, sizeof(key), slug);
	if ((r = alert_cmd(st, 2, hg)) == NULL)
		return -1;
	/* A window cut to nothing before it began (maint end) is over: told as ended. */
	found = alert_maint_parse(r, &m) && m.end > m.start;
	freeReplyObject(r);
	if ((r = alert_cmd(st, 3, ht)) == NULL)
		return -1;
	snprintf(told, sizeof(told), "%s", page_reply_str(r));
	freeReplyObject(r);
	ev = maint_step(&m, found, told, keep, sizeof(keep), &next);
	due[0] = '\0';
	if (next >= 0)
		snprintf(due, sizeof(due), "%.0f", next);
	nid[0] = '\0';
	if (ev != NULL) {
		n = notice_new(ev, mcp_now());
		cJSON_AddBoolToObject(n, "all", 0);
		cJSON_AddItemToObject(n, "slugs", cJSON_CreateStringArray(&slug, 1));
		/* The window told: an end tells the times that were announced. */
		if (!found || strcmp(ev, "maintenance-ended") == 0) {
			double ts = 0, te = 0;

			sscanf(told, "%*s %lf %lf", &ts, &te);
			cJSON_AddNumberToObject(n, "start", found ? m.start : ts);
			cJSON_AddNumberToObject(n, "end", found ? fmin(m.end, mcp_now()) : te);
		} else {
			cJSON_AddNumberToObject(n, "start", m.start);
			cJSON_AddNumberToObject(n, "end", m.end);
		}
		cJSON_AddStringToObject(n, "reason", found ? m.reason : "");
		json = notice_text(n, nid, sizeof(nid));
	}
	snprintf(nkey, sizeof(nkey), PAGE_NOTICE "%s", nid);
	argv[11] = json != NULL ? json : "";
	snprintf(last, sizeof(last), "%.0f", fmax((found ? m.end : 0) - mcp_now(), 0) + MAINT_KEEP);
	v = script(st, 14, argv);
	free(json);
	return (int)v;
}

int
page_maint(struct mcp_store *st, const struct alert_conf *c)
{
	char now[32];
	const char *argv[] = {
	    "ZRANGEBYSCORE", PAGE_MAINT_DUE, "-inf", now, "LIMIT", "0", PAGE_STR(MAINT_MAX)};
	redisReply *r;
	size_t i;
	int rc = 0;

	(void)c;
	snprintf(now, sizeof(now), "%.0f", mcp_now());
	if ((r = alert_cmd(st, 7, argv)) == NULL)
		return -1;
	for (i = 0; i < r->elements && rc != -1; i++)
		if (mcp_slug_ok(page_reply_str(r->element[i])))
			rc = maint_one(st, page_reply_str(r->element[i]));
	freeReplyObject(r);
	return rc == -1 ? -1 : 0;
}

/*
 * Say to mcp-serve whether the page takes subscriptions by email: while
 * this configuration can mail them (status_page and subscriber_mail), and
 * for a day after its last run, so that a page whose mcp-alert has stopped
 * stops taking them (and no request waits for nobody).
 */
static int
page_open(struct mcp_store *st, const struct alert_conf *c)
{
	const char *set[] = {"SET", PAGE_OPEN, c->page_url, "EX", PAGE_STR(PAGE_OPEN_TTL)};
	const char *del[] = {"DEL", PAGE_OPEN};
	redisReply *r;
	int mail = c->page_url != NULL && c->page_mail >= 0;

	if ((r = alert_cmd(st, mail ? 5 : 2, mail ? set : del)) == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

int
alert_page_run(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out)
{
	if (c->dry_run)
		return 0;
	if (page_open(st, c) == -1 || page_drain(st, c) == -1 || page_maint(st, c) == -1 ||
	    page_fanout(st, c) == -1)
		return -1;
	return page_deliver(st, c, out);
}
