/*
 * outbox.c - delivery that loses nothing: every alert a route is to get is
 * queued in that route's list in Redis, in the same transaction as the
 * incident state, and delivered from there in order, one at a time, with
 * backoff while the receiver fails.  A delivery is removed only after its
 * receiver accepted it; one that cannot be delivered (a 4xx other than 408
 * and 429, or failing past give_up) is moved to mcp:alert:dead and reported.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
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
#include "rec.h"

#define DEAD_KEY "mcp:alert:dead"
#define DEAD_KEEP 1000

enum { SENT, RETRY, REFUSED };

/* Pop the head of KEYS[1] only if it is still ARGV[1]; replace it with ARGV[2] if given. */
static const char head_lua[] =
    "if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end\n"
    "if ARGV[2] then redis.call('LSET', KEYS[1], 0, ARGV[2]) else redis.call('LPOP', KEYS[1]) end\n"
    "return 1\n";
/* Renew the lock of KEYS[1] for ARGV[2] ms if it is still ours (ARGV[1]). */
static const char renew_lua[] = "if redis.call('GET', KEYS[1]) == ARGV[1] then return "
                                "redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
                                "return 0\n";
static const char unlock_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n";

void
alert_outbox_key(char *buf, size_t len, const struct alert_conf *c, int route)
{
	snprintf(buf, len, "mcp:alert:outbox:%s", c->routes[route].name);
}

static void
hex_random(char *buf, size_t nbytes)
{
	unsigned char r[32];
	size_t i;

	if (nbytes > sizeof(r) || getrandom(r, nbytes, 0) != (ssize_t)nbytes)
		err(MCP_EXIT_FAIL, "getrandom");
	for (i = 0; i < nbytes; i++)
		snprintf(buf + 2 * i, 3, "%02x", r[i]);
}

char *
alert_job_new(const struct alert_conf *c, int route, const cJSON *rec)
{
	char id[33];
	double now = mcp_ms_floor(mcp_now()); /* rounded up, it is due after this run's clock */
	cJSON *o;

	hex_random(id, 16);
	if ((o = cJSON_CreateObject()) == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "route", c->routes[route].name);
	cJSON_AddNumberToObject(o, "n", 0);
	cJSON_AddNumberToObject(o, "first", now);
	cJSON_AddNumberToObject(o, "next", now);
	cJSON_AddItemToObject(o, "rec", cJSON_Duplicate(rec, 1));
	return alert_print(o);
}

/* --- senders ---------------------------------------------------------------- */

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return size * n;
}

/* POST body to url; SENT, RETRY or REFUSED with why (never the URL). */
static int
http_post(const struct alert_conf *c, const char *url, struct curl_slist *h, const char *body,
    char *why, size_t len)
{
	static CURL *e;
	CURLcode rc;
	long code = 0;

	/* One handle for the run: its connections stay open between deliveries. */
	if (e == NULL && (e = curl_easy_init()) == NULL)
		errx(MCP_EXIT_FAIL, "curl_easy_init");
	curl_easy_reset(e);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "User-Agent: mcp-alert");
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->delivery_timeout * 1000L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		snprintf(why, len, "%s", curl_easy_strerror(rc));
		return RETRY;
	}
	snprintf(why, len, "HTTP %ld", code);
	if (code >= 200 && code < 300)
		return SENT;
	return code == 408 || code == 429 || code >= 500 ? RETRY : REFUSED;
}

/*
 * Headers of Standard Webhooks: webhook-id (the job's, the same on every
 * attempt), webhook-timestamp (this attempt's) and, with a secret,
 * webhook-signature.  X-MCP-Alert-Id and X-MCP-Alert-Signature (the body
 * alone signed, which a replay passes) stay for the receivers written for
 * them: deprecated, see mcp-alert.conf(5).
 */
static int
send_webhook(const struct alert_conf *c, const struct alert_route *r, const char *id,
    const char *body, char *why, size_t len)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	long long ts = (long long)floor(mcp_now());
	char hdr[64 + 2 * EVP_MAX_MD_SIZE], msg[48], sig[ALERT_SIG_SIZE];
	struct curl_slist *h = NULL;

	snprintf(msg, sizeof(msg), "msg_%s", id);
	snprintf(hdr, sizeof(hdr), "webhook-id: %s", msg);
	h = curl_slist_append(h, hdr);
	snprintf(hdr, sizeof(hdr), "webhook-timestamp: %lld", ts);
	h = curl_slist_append(h, hdr);
	snprintf(hdr, sizeof(hdr), "X-MCP-Alert-Id: %s", id);
	h = curl_slist_append(h, hdr);
	if (r->secret != NULL) {
		/* The key was checked with the configuration. */
		if (alert_webhook_sign(r->secret, msg, ts, body, sig, sizeof(sig)) == -1)
			errx(MCP_EXIT_FAIL, "route %s: cannot sign", r->name);
		snprintf(hdr, sizeof(hdr), "webhook-signature: %s", sig);
		h = curl_slist_append(h, hdr);
		if (HMAC(EVP_sha256(), r->secret, (int)strlen(r->secret),
		        (const unsigned char *)body, strlen(body), mac, &n) == NULL)
			errx(MCP_EXIT_FAIL, "HMAC");
		i = (unsigned)snprintf(hdr, sizeof(hdr), "X-MCP-Alert-Signature: sha256=");
		for (unsigned k = 0; k < n; k++)
			i += (unsigned)snprintf(hdr + i, sizeof(hdr) - i, "%02x", mac[k]);
		h = curl_slist_append(h, hdr);
		explicit_bzero(mac, sizeof(mac));
	}
	return http_post(c, r->url, h, body, why, len);
}

/* The record on the standard input of the command; exit 0 is delivered. */
static int
send_command(const struct alert_conf *c, const struct alert_route *r, const char *body, char *why,
    size_t len)
{
	int fd[2], status;
	double deadline = mcp_mono() + (double)c->delivery_timeout;
	size_t n = strlen(body), off = 0;
	ssize_t k;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC) == -1)
		err(MCP_EXIT_FAIL, "pipe");
	if ((pid = fork()) == -1)
		err(MCP_EXIT_FAIL, "fork");
	if (pid == 0) {
		/* The records of mcp-alert own stdout: the command's output goes to stderr. */
		if (dup2(fd[0], STDIN_FILENO) == -1 || dup2(STDERR_FILENO, STDOUT_FILENO) == -1)
			_exit(127);
		/* Not the Redis connection, nor its URL and password. */
		close_range(3, ~0U, 0);
		unsetenv("MCP_REDIS");
		signal(SIGPIPE, SIG_DFL);
		execvp(r->argv[0], r->argv);
		fprintf(
		    stderr, "mcp-alert: route %s: %s: %s\n", r->name, r->argv[0], strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	/* A command that does not read must not hold up the deadline. */
	(void)fcntl(fd[1], F_SETFL, O_NONBLOCK);
	while (off <= n && mcp_mono() < deadline) {
		struct pollfd p = {fd[1], POLLOUT, 0};

		if (poll(&p, 1, 10) <= 0)
			continue;
		if (off == n)
			k = write(fd[1], "\n", 1);
		else
			k = write(fd[1], body + off, n - off);
		if (k == -1 && errno != EAGAIN && errno != EINTR)
			break;
		off += k > 0 ? (size_t)k : 0;
	}
	close(fd[1]);
	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (mcp_mono() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(why, len, "timed out after %ld s", c->delivery_timeout);
			return RETRY;
		}
		poll(NULL, 0, 10);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return SENT;
	if (WIFEXITED(status))
		snprintf(why, len, "exit %d", WEXITSTATUS(status));
	else
		snprintf(why, len, "killed by signal %d", WTERMSIG(status));
	return RETRY;
}

static int
send_one(const struct alert_conf *c, const struct alert_route *r, const char *id, const cJSON *rec,
    char *why, size_t len)
{
	char *body;
	int rc;

	switch (r->type) {
	case RT_PAGERDUTY:
		if (alert_pd_action(alert_str(rec, "event")) == NULL)
			return SENT; /* nothing PagerDuty hears of */
		body = alert_pd_body(r, rec);
		rc = http_post(c, r->url, NULL, body, why, len);
		explicit_bzero(body, strlen(body));
		break;
	case RT_SLACK:
		body = alert_slack_body(rec);
		rc = http_post(c, r->url, NULL, body, why, len);
		break;
	case RT_WEBHOOK:
		body = alert_print(cJSON_Duplicate(rec, 1));
		rc = send_webhook(c, r, id, body, why, len);
		break;
	default:
		body = alert_print(cJSON_Duplicate(rec, 1));
		rc = send_command(c, r, body, why, len);
		break;
	}
	free(body);
	return rc;
}

int
alert_send(const struct alert_conf *c, int route, const cJSON *rec, char *why, size_t len)
{
	char id[33];

	hex_random(id, 16);
	return send_one(c, &c->routes[route], id, rec, why, len) == SENT ? 0 : -1;
}

/* --- the outbox ----------------------------------------------------------------- */

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

/* The attempts failed of a job that job_parse took (0 when it has none). */
static int
attempts(const cJSON *j)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "n");

	return cJSON_IsNumber(n) ? (int)n->valuedouble : 0;
}

/*
 * A job as alert_job_new wrote it (owned), or NULL: its record, a count of
 * attempts and two times, every number in range before it is used.
 */
static cJSON *
job_parse(const char *job)
{
	const char *why;
	cJSON *j = mcp_json_parse(job, strlen(job), &why);
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(j, "n");
	const cJSON *first = cJSON_GetObjectItemCaseSensitive(j, "first");
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next");

	if (strcmp(alert_str(cJSON_GetObjectItemCaseSensitive(j, "rec"), "type"), "alert") == 0 &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "id")) && cJSON_IsNumber(n) &&
	    n->valuedouble >= 0 && n->valuedouble <= 1e6 &&
	    n->valuedouble == floor(n->valuedouble) && cJSON_IsNumber(first) &&
	    cJSON_IsNumber(next))
		return j;
	cJSON_Delete(j);
	return NULL;
}

/* Report and keep a delivery that will not be made; its record goes to out. */
static int
dead(struct mcp_store *st, const char *key, const char *job, cJSON *j, const char *route,
    const char *why, struct mcp_buf *out)
{
	const char *push[] = {"RPUSH", DEAD_KEY, NULL},
	           *trim[] = {"LTRIM", DEAD_KEY, "-1000", "-1"};
	cJSON *rec = cJSON_GetObjectItemCaseSensitive(j, "rec"), *u;
	int n = attempts(j);
	char e[256], *s;
	redisReply *r;
	long long popped;

	if (eval(st, head_lua, key, job, NULL, &popped) == -1)
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

/* Deliver route i's due jobs in order; stop at the first that must wait. */
static int
deliver_route(struct mcp_store *st, const struct alert_conf *c, int i, struct mcp_buf *out)
{
	const struct alert_route *rt = &c->routes[i];
	char key[ALERT_NAME_MAX + 32], lock[ALERT_NAME_MAX + 32], token[33], px[32], why[256];
	const char *idx[] = {"LINDEX", key, "0"};
	const char *set[] = {"SET", lock, token, "NX", "PX", px};
	const char *pexp[] = {"EVAL", renew_lua, "1", lock, token, px};
	redisReply *r;
	cJSON *j;
	double now, first, delay;
	long long res;
	int n, rc = 0, res2;
	char *job, *next, *sent = NULL;

	alert_outbox_key(key, sizeof(key), c, i);
	snprintf(lock, sizeof(lock), "mcp:alert:lock:%s", rt->name);
	snprintf(px, sizeof(px), "%ld", (c->delivery_timeout + 5) * 1000);
	hex_random(token, 16);
	/* One deliverer per route at a time, so that nothing goes out twice. */
	if ((r = alert_cmd(st, 6, set)) == NULL)
		return -1;
	res2 = r->type == REDIS_REPLY_STATUS;
	freeReplyObject(r);
	if (!res2)
		return 0;
	for (;;) {
		/*
		 * One round trip: the delivery just made taken off the head,
		 * the lock renewed, the next head read.
		 */
		const char *pop[] = {"EVAL", head_lua, "1", key, sent};
		struct alert_pipe p = {0, {0}, {NULL}, {NULL}};
		int o = sent != NULL;

		if (o)
			p.argv[p.n] = pop, p.argc[p.n++] = 5;
		p.argv[p.n] = pexp, p.argc[p.n++] = 6;
		p.argv[p.n] = idx, p.argc[p.n++] = 3;
		if (alert_pipe_run(st, &p) == -1) {
			rc = -1;
			break;
		}
		/*
		 * Go on only when the delivery made is off the list and the lock
		 * is still ours: else the same job would be sent again.
		 */
		if ((o && (p.r[0]->type != REDIS_REPLY_INTEGER || p.r[0]->integer != 1)) ||
		    p.r[o]->type != REDIS_REPLY_INTEGER || p.r[o]->integer != 1) {
			if (o && p.r[0]->type == REDIS_REPLY_ERROR)
				warnx("redis: %s", p.r[0]->str);
			else if (p.r[o]->type == REDIS_REPLY_ERROR)
				warnx("redis: %s", p.r[o]->str);
			else
				warnx(
				    "route %s: the outbox changed under another deliverer; stopped",
				    rt->name);
			alert_pipe_free(&p);
			free(sent);
			sent = NULL;
			rc = -1;
			break;
		}
		free(sent);
		sent = NULL;
		if (p.r[o + 1]->type != REDIS_REPLY_STRING) {
			alert_pipe_free(&p);
			break;
		}
		job = strdup(p.r[o + 1]->str);
		alert_pipe_free(&p);
		if (job == NULL)
			err(MCP_EXIT_FAIL, "strdup");
		now = mcp_now();
		if ((j = job_parse(job)) == NULL) {
			j = cJSON_CreateObject();
			cJSON_AddItemToObject(j, "rec", cJSON_CreateObject());
			rc = dead(st, key, job, j, rt->name, "not a job of mcp-alert", out);
		} else if (cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "next")) >
		    now) {
			cJSON_Delete(j);
			free(job);
			break;
		} else {
			n = attempts(j);
			first = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "first"));
			switch (send_one(c, rt, alert_str(j, "id"),
			    cJSON_GetObjectItemCaseSensitive(j, "rec"), why, sizeof(why))) {
			case SENT:
				sent = job;
				job = NULL;
				break;
			case REFUSED:
				rc = dead(st, key, job, j, rt->name, why, out);
				break;
			default:
				now = mcp_now();
				if (now - first >= (double)c->give_up) {
					rc = dead(st, key, job, j, rt->name, why, out);
					break;
				}
				delay = ldexp((double)c->retry_base, n < 30 ? n : 30);
				delay = delay > (double)c->retry_max ? (double)c->retry_max : delay;
				cJSON_ReplaceItemInObjectCaseSensitive(
				    j, "n", cJSON_CreateNumber(n + 1));
				cJSON_ReplaceItemInObjectCaseSensitive(
				    j, "next", cJSON_CreateNumber(mcp_ms_round(now + delay)));
				next = alert_print(cJSON_Duplicate(j, 1));
				rc = eval(st, head_lua, key, job, next, &res);
				free(next);
				warnx("route %s: %s %s: %s; attempt %d, next in %.0f s", rt->name,
				    alert_str(cJSON_GetObjectItemCaseSensitive(j, "rec"), "event"),
				    alert_str(
				        cJSON_GetObjectItemCaseSensitive(j, "rec"), "dedup_key"),
				    why, n + 1, delay);
				cJSON_Delete(j);
				free(job);
				goto unlock;
			}
		}
		cJSON_Delete(j);
		free(job);
		if (rc == -1)
			break;
	}
unlock:
	if (sent != NULL && eval(st, head_lua, key, sent, NULL, &res) == -1)
		rc = -1;
	free(sent);
	if (eval(st, unlock_lua, lock, token, NULL, &res) == -1)
		rc = -1;
	return rc;
}

int
alert_deliver(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out)
{
	int i, rc = 0;

	for (i = 0; i < c->nroutes; i++)
		if (deliver_route(st, c, i, out) == -1)
			rc = -1;
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
