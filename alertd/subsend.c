/*
 * subsend.c - the subscribers' outboxes delivered, as the routes' are
 * (outbox.c): one deliverer an outbox at a time (a lock), paced, each job
 * removed only once its receiver took it, retried with backoff, given up
 * after give_up into mcp:{page}:dead.  The mail outbox holds every
 * address's messages, sent through subscriber_mail's server by
 * alert_smtp_send: a job names its subscriber, whose address is read at
 * the time of sending (an address unsubscribed since gets nothing, and no
 * job holds it); a confirmation's job names the address by its hash, and
 * its token is made as its message is sent (only the token's hash is
 * kept, and a message not sent takes its token back): nothing the store
 * holds confirms anybody.  One address's retry holds back only that
 * address's later jobs.  A webhook or Slack subscriber has an outbox of its own, sent by
 * alert_send_one: a Standard Webhooks signature with its key, or Slack's
 * body.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "notice.h"
#include "outbox.h"
#include "routes/routes.h"
#include "sha256.h"

#define DEAD_KEEP "-1000"
#define RETRY_STOP 3  /* failures in a row that stop the mail outbox for the run */
#define BOXES_MAX 16  /* outboxes delivered at once */
#define HEAD_JOBS 999 /* jobs read from an outbox at once */

static const char renew_lua[] = "if redis.call('GET', KEYS[1]) == ARGV[1] then return "
                                "redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
                                "return 0\n";
static const char unlock_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n";
/* Replace job ARGV[1] of KEYS[1] with ARGV[2]; remove it when ARGV[2] is "". */
static const char set_lua[] = "local i = redis.call('LPOS', KEYS[1], ARGV[1])\n"
                              "if not i then return 0 end\n"
                              "if ARGV[2] == '' then return redis.call('LREM', KEYS[1], 1, "
                              "ARGV[1]) end\n"
                              "redis.call('LSET', KEYS[1], i, ARGV[2])\n"
                              "return 1\n";
/* KEYS[1]: an outbox, KEYS[2] the set of them; ARGV[1] its subscriber: unlisted when empty. */
static const char idle_lua[] =
    "if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[1]) return 1 end\n"
    "return 0\n";

/* clang-format off */
/*
 * KEYS: the address's record, the token's pending key.  ARGV: the token's
 * hash, the pending request.  1: the token confirms, as long as the record
 * lasts, which keeps the hashes of its last PAGE_ASK_TOKENS tokens (an
 * unsubscription deletes them); 0: the record is gone (unsubscribed).
 */
static const char mint_lua[] =
    "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end\n"
    "redis.call('SET', KEYS[2], ARGV[2], 'EX', " PAGE_STR(PAGE_PENDING_TTL) ")\n"
    "local l = {}\n"
    "for t in string.gmatch(redis.call('HGET', KEYS[1], 'p') or '', '%S+') do l[#l + 1] = t end\n"
    "l[#l + 1] = ARGV[1]\n"
    "while #l > " PAGE_STR(PAGE_ASK_TOKENS) " do\n"
    "  redis.call('DEL', '" PAGE_PENDING "' .. table.remove(l, 1)) end\n"
    "redis.call('HSET', KEYS[1], 'p', table.concat(l, ' '))\n"
    "if redis.call('TTL', KEYS[1]) < " PAGE_STR(PAGE_PENDING_TTL) " then\n"
    "  redis.call('EXPIRE', KEYS[1], " PAGE_STR(PAGE_PENDING_TTL) ") end\n"
    "return 1\n";
/* The same keys and token: taken back, its message not sent. */
static const char unmint_lua[] =
    "redis.call('DEL', KEYS[2])\n"
    "local l = {}\n"
    "for t in string.gmatch(redis.call('HGET', KEYS[1], 'p') or '', '%S+') do\n"
    "  if t ~= ARGV[1] then l[#l + 1] = t end end\n"
    "if redis.call('EXISTS', KEYS[1]) == 1 then\n"
    "  redis.call('HSET', KEYS[1], 'p', table.concat(l, ' ')) end\n"
    "return 1\n";
/* clang-format on */

struct box {
	struct mcp_store *st;
	const struct alert_conf *c;
	char key[96];
	const char *sub; /* a hook's outbox: its subscriber; NULL: the mail outbox */
	struct alert_route rt;
	char name[ALERT_NAME_MAX];
	struct pace pace;
	double deadline;
	const char *renew[6];
	char lock[128], token[33], px[32];
	int stop, fails;
	long removed;           /* jobs taken off the outbox in this run */
	struct mcp_strmap held; /* mail: the subscribers whose next job waits */
};

/* A job of fanout.c, its numbers in range; owned, or NULL. */
static cJSON *
job_parse(const char *s)
{
	const char *why;
	cJSON *j = mcp_json_parse(s, strlen(s), &why);
	double n = ob_num(j, "n"), f = ob_num(j, "first"), x = ob_num(j, "next");

	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "id")) &&
	    (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "notice")) ||
	        cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "rec"))) &&
	    (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "sub")) ||
	        mcp_page_id_ok(alert_str(j, "sub"))) &&
	    n >= 0 && n <= 1e6 && n == floor(n) && f >= 0 && f <= ALERT_TIME_MAX && x >= 0 &&
	    x <= ALERT_TIME_MAX)
		return j;
	cJSON_Delete(j);
	return NULL;
}

static long long
eval2(struct mcp_store *st, const char *lua, const char *key, const char *a1, const char *a2)
{
	const char *argv[] = {"EVAL", lua, "1", key, a1, a2};
	redisReply *r;
	long long v;

	if ((r = alert_cmd(st, a2 != NULL ? 6 : 5, argv)) == NULL)
		return -1;
	v = r->type == REDIS_REPLY_INTEGER ? r->integer : 0;
	freeReplyObject(r);
	return v;
}

/* A job done (sent, or with nothing left to send) off its outbox: 0, or -1. */
static int
job_remove(struct box *b, const char *s)
{
	if (eval2(b->st, set_lua, b->key, s, "") == -1)
		return -1;
	b->removed++;
	return 0;
}

/*
 * A job given up: off its outbox, and into mcp:{page}:dead without what
 * it must not keep (an address, a token): its ids, its attempts, why.
 */
static int
job_dead(struct box *b, const char *s, const cJSON *j, const char *why)
{
	const char *push[] = {"RPUSH", PAGE_DEAD, NULL},
	           *trim[] = {"LTRIM", PAGE_DEAD, DEAD_KEEP, "-1"};
	const char *notice = alert_str(j, "notice");
	cJSON *d = cJSON_CreateObject();
	redisReply *r;
	char *line;

	if (job_remove(b, s) == -1)
		return -1;
	cJSON_AddStringToObject(d, "id", alert_str(j, "id"));
	cJSON_AddStringToObject(d, "sub", *alert_str(j, "sub") ? alert_str(j, "sub") : "-");
	cJSON_AddStringToObject(d, "notice", *notice ? notice : "confirm");
	cJSON_AddNumberToObject(d, "n", ob_num(j, "n") + 1);
	cJSON_AddNumberToObject(d, "first", ob_num(j, "first"));
	cJSON_AddNumberToObject(d, "at", mcp_ms_round(mcp_now()));
	cJSON_AddStringToObject(d, "error", why);
	push[2] = line = alert_print(d);
	if ((r = alert_cmd(b->st, 3, push)) != NULL)
		freeReplyObject(r);
	if ((r = alert_cmd(b->st, 4, trim)) != NULL)
		freeReplyObject(r);
	free(line);
	warnx("subscriber %s: %s not delivered after %.0f attempts (%s); kept in " PAGE_DEAD,
	    *alert_str(j, "sub") ? alert_str(j, "sub") : "(a confirmation)",
	    *notice ? notice : "a confirmation", ob_num(j, "n") + 1, why);
	return 0;
}

/* A job to try again, or given up past give_up. */
static int
job_retry(struct box *b, const char *s, cJSON *j, double ra, const char *why)
{
	double now = mcp_now(), delay = ra > 0 ? ra : ob_backoff(b->c, (int)ob_num(j, "n"));
	char *next;
	long long v;

	if (now - ob_num(j, "first") >= (double)b->c->give_up)
		return job_dead(b, s, j, why);
	cJSON_ReplaceItemInObjectCaseSensitive(j, "n", cJSON_CreateNumber(ob_num(j, "n") + 1));
	cJSON_ReplaceItemInObjectCaseSensitive(
	    j, "next", cJSON_CreateNumber(mcp_ms_round(now + delay)));
	next = alert_print(cJSON_Duplicate(j, 1));
	v = eval2(b->st, set_lua, b->key, s, next);
	free(next);
	warnx("subscriber %s: %s: %s; attempt %.0f, next in %.0f s",
	    *alert_str(j, "sub") ? alert_str(j, "sub") : "(a confirmation)",
	    *alert_str(j, "notice") ? alert_str(j, "notice") : "confirmation", why, ob_num(j, "n"),
	    delay);
	return v == -1 ? -1 : 0;
}

/* The notice of a job with the link added (owned), or NULL when it is gone. */
static cJSON *
notice_of(struct box *b, const cJSON *j)
{
	char key[96], link[1024];
	const char *get[] = {"GET", key}, *why;
	redisReply *r;
	cJSON *n = NULL;

	snprintf(key, sizeof(key), PAGE_NOTICE "%.40s", alert_str(j, "notice"));
	if ((r = alert_cmd(b->st, 2, get)) == NULL)
		return NULL;
	if (r->type == REDIS_REPLY_STRING)
		n = mcp_json_parse(r->str, r->len, &why);
	freeReplyObject(r);
	notice_link(link, sizeof(link), b->c->page_url, n);
	if (n != NULL && link[0] != '\0')
		cJSON_AddStringToObject(n, "url", link);
	return n;
}

/* HMGET of a subscriber's fields into r (owned), NULL when it is gone; *err on a store error. */
static redisReply *
sub_fields(struct box *b, const char *id, const char *f1, const char *f2, const char *f3, int *err)
{
	char key[64];
	const char *argv[] = {"HMGET", key, "kind", f1, f2, f3};
	redisReply *r;

	*err = 0;
	snprintf(key, sizeof(key), PAGE_SUB "%.20s", id);
	if ((r = alert_cmd(b->st, 6, argv)) == NULL) {
		*err = 1;
		return NULL;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 4 ||
	    r->element[0]->type != REDIS_REPLY_STRING) {
		freeReplyObject(r);
		return NULL;
	}
	return r;
}

/* The lock still ours for one more delivery, and the pace's turn: 0, or 1 to stop. */
static int
turn(struct box *b)
{
	redisReply *r;
	int ours;

	if ((r = alert_cmd(b->st, 6, b->renew)) == NULL)
		return 1;
	ours = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
	freeReplyObject(r);
	if (!ours)
		warnx("%s: the lock was lost to another deliverer; stopped", b->key);
	if (!ours || pace_wait(&b->pace, b->deadline) == -1)
		return b->stop = 1;
	return 0;
}

/* What a send said, done: 0, or -1 on a store error. */
static int
outcome(struct box *b, const char *s, cJSON *j, int rc, double ra, const char *why)
{
	pace_sent(&b->pace, rc == RETRY ? ra : 0);
	if (rc == SENT) {
		b->fails = 0;
		return job_remove(b, s);
	}
	if (rc == REFUSED)
		return job_dead(b, s, j, why);
	/* A mail server that fails every address is down: the rest waits for the next run. */
	if (b->sub != NULL || ++b->fails >= RETRY_STOP)
		b->stop = 1;
	return job_retry(b, s, j, ra, why);
}

static void
hold(struct box *b, const char *who)
{
	int isnew;

	if (mcp_strmap_put(&b->held, who, &isnew) == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
}

/* A confirmation's keys: the address's record and the token's pending key; -1 when not one. */
static int
confirm_keys(const cJSON *rec, const char *th, char *ask, size_t alen, char *pk, size_t plen)
{
	const char *ah = alert_str(rec, "ask");

	if (strlen(ah) != MCP_SHA256_HEX - 1 ||
	    strspn(ah, "0123456789abcdef") != MCP_SHA256_HEX - 1)
		return -1;
	snprintf(ask, alen, PAGE_ASK "%s", ah);
	snprintf(pk, plen, PAGE_PENDING "%s", th);
	return 0;
}

/* A script of the confirmations run: its integer, or -1. */
static long long
confirm_eval(struct box *b, int argc, const char **argv)
{
	redisReply *r;
	long long v;

	if ((r = alert_cmd(b->st, argc, argv)) == NULL)
		return -1;
	v = r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
	freeReplyObject(r);
	return v;
}

/*
 * The message of a confirmation's job (owned), its address in to: the
 * address read from its record, a token made for it and its hash (th)
 * stored.  NULL when the address unsubscribed since or its record expired
 * (*gone), or the store failed.
 */
static char *
confirm_mail(struct box *b, const cJSON *rec, char *to, size_t tolen, char *th, int *gone)
{
	char ask[128], pk[128], token[PAGE_TOKEN_HEX + 1], *pending, *msg;
	const char *get[] = {"HGET", ask, "a"},
	           *mint[] = {"EVAL", mint_lua, "2", ask, pk, th, NULL};
	redisReply *r;
	cJSON *p, *m;
	long long v;

	*gone = 1;
	alert_hex_random(token, PAGE_TOKEN_HEX / 2);
	mcp_sha256_hex(token, strlen(token), th);
	if (confirm_keys(rec, th, ask, sizeof(ask), pk, sizeof(pk)) == -1)
		return NULL;
	if ((r = alert_cmd(b->st, 3, get)) == NULL) {
		*gone = 0;
		return NULL;
	}
	snprintf(to, tolen, "%s", r->type == REDIS_REPLY_STRING ? r->str : "");
	freeReplyObject(r);
	if (!mcp_page_addr_ok(to))
		return NULL;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "h", alert_str(rec, "ask"));
	cJSON_AddItemToObject(
	    p, "s", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "s"), 1));
	cJSON_AddBoolToObject(p, "all", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "all")));
	cJSON_AddNumberToObject(p, "at", mcp_ms_round(mcp_now()));
	mint[6] = pending = alert_print(p);
	v = confirm_eval(b, 7, mint);
	free(pending);
	if (v == -1)
		*gone = 0;
	if (v != 1)
		return NULL;
	m = notice_new("confirm", mcp_now());
	cJSON_AddStringToObject(m, "to", to);
	cJSON_AddStringToObject(m, "token", token);
	cJSON_AddBoolToObject(m, "all", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "all")));
	cJSON_AddItemToObject(
	    m, "slugs", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "s"), 1));
	msg = notice_confirm_mail(b->c, &b->rt, m);
	explicit_bzero(token, sizeof(token));
	cJSON_Delete(m);
	return msg;
}

/* A confirmation's token taken back: its message was not sent. */
static void
confirm_unmint(struct box *b, const cJSON *rec, const char *th)
{
	char ask[128], pk[128];
	const char *argv[] = {"EVAL", unmint_lua, "2", ask, pk, th};

	if (confirm_keys(rec, th, ask, sizeof(ask), pk, sizeof(pk)) == 0)
		(void)confirm_eval(b, 6, argv);
}

static int
mail_job(struct box *b, const char *s, cJSON *j)
{
	const cJSON *rec = cJSON_GetObjectItemCaseSensitive(j, "rec");
	const char *rcpt[2] = {NULL, NULL}, *sub = alert_str(j, "sub");
	char unsub[512], why[256], to[PAGE_ADDR_MAX + 1], th[MCP_SHA256_HEX], *msg = NULL;
	redisReply *f = NULL;
	cJSON *n = NULL;
	int e, rc;

	if (rec != NULL) {
		/* Its address unsubscribed since, or its record expired: done. */
		if ((msg = confirm_mail(b, rec, to, sizeof(to), th, &e)) == NULL)
			return e ? job_remove(b, s) : -1;
		rcpt[0] = to;
	} else {
		/* Unsubscribed since, or its notice gone: nothing to send, and it is done. */
		if ((f = sub_fields(b, sub, "addr", "unsub", "slugs", &e)) == NULL ||
		    strcmp(page_reply_str(f->element[0]), "email") != 0 ||
		    !mcp_page_addr_ok(page_reply_str(f->element[1])) ||
		    strlen(page_reply_str(f->element[2])) != PAGE_TOKEN_HEX ||
		    strspn(page_reply_str(f->element[2]), "0123456789abcdef") != PAGE_TOKEN_HEX ||
		    (n = notice_of(b, j)) == NULL) {
			if (f != NULL)
				freeReplyObject(f);
			return e ? -1 : job_remove(b, s);
		}
		rcpt[0] = page_reply_str(f->element[1]);
		snprintf(unsub, sizeof(unsub), "%s/unsubscribe?s=%s&t=%s", b->c->page_url, sub,
		    page_reply_str(f->element[2]));
		msg = notice_mail(b->c, &b->rt, rcpt[0], sub, unsub, n);
	}
	rc = turn(b) ? -2 : alert_smtp_send(b->c, &b->rt, rcpt, msg, why, sizeof(why));
	/* A confirmation not sent takes its token back: its retry makes another. */
	if (rec != NULL && rc != SENT)
		confirm_unmint(b, rec, th);
	if (rc != -2 && outcome(b, s, j, rc, 0, why) == -1)
		rc = -1;
	if (rc == RETRY)
		hold(b, rec != NULL ? alert_str(rec, "ask") : sub);
	explicit_bzero(msg, strlen(msg));
	free(msg);
	cJSON_Delete(n);
	if (f != NULL)
		freeReplyObject(f);
	return rc == -1 ? -1 : 0;
}

static int
hook_job(struct box *b, const char *s, cJSON *j)
{
	const char *del[] = {"DEL", b->key};
	char why[256];
	double ra = 0;
	redisReply *f, *r;
	cJSON *n;
	int e, rc;

	/* Removed since: its outbox goes with it. */
	if ((f = sub_fields(b, b->sub, "url", "secret", "name", &e)) == NULL) {
		b->stop = 1;
		if (e || (r = alert_cmd(b->st, 2, del)) == NULL)
			return -1;
		freeReplyObject(r);
		return 0;
	}
	if ((n = notice_of(b, j)) == NULL) {
		freeReplyObject(f);
		return job_remove(b, s);
	}
	b->rt.type = strcmp(page_reply_str(f->element[0]), "slack") == 0 ? RT_SLACK : RT_WEBHOOK;
	b->rt.url = f->element[1]->str != NULL ? f->element[1]->str : "";
	b->rt.secret = *page_reply_str(f->element[2]) != '\0' ? f->element[2]->str : NULL;
	rc = turn(b) ? -2
	             : alert_send_one(b->c, &b->rt, alert_str(j, "id"), n, &ra, why, sizeof(why));
	if (rc != -2 && outcome(b, s, j, rc, ra, why) == -1)
		rc = -1;
	b->rt.url = b->rt.secret = NULL;
	freeReplyObject(f);
	cJSON_Delete(n);
	return rc == -1 ? -1 : 0;
}

/* The jobs of one read of the head of an outbox, in order, until it must wait. */
static int
box_batch(struct box *b, int *full)
{
	const char *range[] = {"LRANGE", b->key, "0", PAGE_STR(HEAD_JOBS)};
	redisReply *lr;
	size_t i;
	int rc = 0;
	cJSON *j;

	if ((lr = alert_cmd(b->st, 4, range)) == NULL)
		return -1;
	*full = lr->elements == HEAD_JOBS + 1;
	for (i = 0; i < lr->elements && rc == 0 && !b->stop; i++) {
		const char *s = page_reply_str(lr->element[i]);
		const char *who;

		if (mcp_mono() >= b->deadline) {
			b->stop = 1;
			break;
		}
		if ((j = job_parse(s)) == NULL) {
			cJSON *none = cJSON_CreateObject();

			rc = job_dead(b, s, none, "not a job of mcp-alert");
			cJSON_Delete(none);
			continue;
		}
		who = *alert_str(j, "sub")
		    ? alert_str(j, "sub")
		    : alert_str(cJSON_GetObjectItemCaseSensitive(j, "rec"), "ask");
		if (b->sub == NULL && mcp_strmap_get(&b->held, who) != NULL) {
			cJSON_Delete(j);
			continue;
		}
		/* Not due: a hook's outbox waits in order; the mail's holds back that address. */
		if (ob_num(j, "next") > mcp_now()) {
			if (b->sub != NULL)
				b->stop = 1;
			else
				hold(b, who);
			cJSON_Delete(j);
			continue;
		}
		rc = b->sub == NULL ? mail_job(b, s, j) : hook_job(b, s, j);
		cJSON_Delete(j);
	}
	freeReplyObject(lr);
	return rc;
}

/* An outbox's jobs, a read at a time, while a read takes some off and time is left. */
static int
box_jobs(struct box *b)
{
	long before;
	int rc, full;

	do {
		before = b->removed;
		rc = box_batch(b, &full);
	} while (rc == 0 && !b->stop && full && b->removed > before);
	return rc;
}

static int
box_run(struct box *b)
{
	const char *set[] = {"SET", b->lock, b->token, "NX", "PX", b->px};
	long long v;
	int rc;

	snprintf(b->lock, sizeof(b->lock), "%s:lock", b->key);
	snprintf(b->px, sizeof(b->px), "%ld", (b->c->delivery_timeout + 5) * 1000);
	alert_hex_random(b->token, 16);
	b->renew[0] = "EVAL", b->renew[1] = renew_lua, b->renew[2] = "1";
	b->renew[3] = b->lock, b->renew[4] = b->token, b->renew[5] = b->px;
	if ((rc = alert_lock(b->st, set)) != 1)
		return rc;
	b->deadline = mcp_mono() + (double)b->c->delivery_budget;
	pace_load(b->st, &b->rt, &b->pace);
	rc = box_jobs(b);
	pace_save(b->st, &b->pace);
	mcp_strmap_free(&b->held);
	if ((v = eval2(b->st, unlock_lua, b->lock, b->token, NULL)) == -1)
		rc = -1;
	if (rc == 0 && b->sub != NULL) {
		const char *argv[] = {"EVAL", idle_lua, "2", b->key, PAGE_OUTBOXES, b->sub};
		redisReply *r;

		if ((r = alert_cmd(b->st, 6, argv)) == NULL)
			rc = -1;
		else
			freeReplyObject(r);
	}
	return rc;
}

static void *
box_thread(void *arg)
{
	struct box *b = arg;
	struct mcp_store_opts so = {5, -1};
	char err[512];
	int rc = -1;

	if ((b->st = mcp_store_open(b->c->store_url, &so, err, sizeof(err))) == NULL)
		warnx("%s: redis: %s", b->key, err);
	else {
		rc = box_run(b);
		mcp_store_close(b->st);
	}
	alert_send_done();
	return (void *)(long)rc;
}

/* The outbox of the mail (sub NULL) or of one hook, set up. */
static void
box_init(struct box *b, const struct alert_conf *c, const char *sub)
{
	memset(b, 0, sizeof(*b));
	b->c = c, b->sub = sub;
	if (sub == NULL) {
		/* The route's server, sender and credentials; its rate, on a pace of its own. */
		b->rt = c->routes[c->page_mail];
		snprintf(b->key, sizeof(b->key), "%s", PAGE_MAILBOX);
		snprintf(b->name, sizeof(b->name), "%.40s+subscribers", b->rt.name);
	} else {
		snprintf(b->key, sizeof(b->key), PAGE_OUTBOX "%.20s", sub);
		snprintf(b->name, sizeof(b->name), "%.20s", sub);
		b->rt.type = sub[0] == 'k' ? RT_SLACK : RT_WEBHOOK;
		/* About one Slack message a second a channel (mcp-alert.conf(5), rate). */
		if (sub[0] == 'k')
			b->rt.rate_n = 1, b->rt.rate_per = 1;
	}
	memcpy(b->rt.name, b->name, sizeof(b->rt.name));
}

int
page_deliver(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out)
{
	const char *members[] = {"SMEMBERS", PAGE_OUTBOXES}, *llen[] = {"LLEN", PAGE_MAILBOX};
	struct box *boxes;
	pthread_t t[BOXES_MAX];
	redisReply *r, *m;
	size_t i, n = 0, k, nb;
	void *res;
	int rc = 0;

	(void)out;
	if ((r = alert_cmd(st, 2, members)) == NULL || (m = alert_cmd(st, 2, llen)) == NULL) {
		if (r != NULL)
			freeReplyObject(r);
		return -1;
	}
	if ((boxes = calloc(r->elements + 1, sizeof(*boxes))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	if (m->integer > 0 && c->page_mail >= 0 && c->page_url != NULL)
		box_init(&boxes[n++], c, NULL);
	for (i = 0; i < r->elements; i++)
		if (mcp_page_id_ok(page_reply_str(r->element[i])))
			box_init(&boxes[n++], c, page_reply_str(r->element[i]));
	for (i = 0; c->store_url == NULL && i < n; i++) {
		boxes[i].st = st;
		if (box_run(&boxes[i]) == -1)
			rc = -1;
	}
	/* Outboxes at once, each on a connection of its own: a slow receiver holds up none. */
	for (i = 0; c->store_url != NULL && i < n; i += nb) {
		nb = n - i < BOXES_MAX ? n - i : BOXES_MAX;
		for (k = 0; k < nb; k++)
			if ((errno = pthread_create(&t[k], NULL, box_thread, &boxes[i + k])) != 0)
				err(MCP_EXIT_FAIL, "pthread_create");
		for (k = 0; k < nb; k++) {
			pthread_join(t[k], &res);
			if ((long)res == -1)
				rc = -1;
		}
	}
	free(boxes);
	freeReplyObject(m);
	freeReplyObject(r);
	return rc;
}
