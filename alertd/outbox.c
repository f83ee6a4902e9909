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
#include "rec.h"

#define DEAD_KEY "mcp:alert:dead"
#define DEAD_KEEP 1000

enum { SENT, RETRY, REFUSED };

#define HEAD_MAX 2000      /* jobs read from the head of an outbox at once */
#define RETRY_AFTER_MAX 3600 /* seconds of a Retry-After that are honored */
#define PACE_NAP_MAX 5       /* seconds a route waits for its turn in a run, at most */

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
	double now = mcp_ms_round(mcp_now());
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

/* One handle for a route's run: its connections stay open between deliveries. */
static __thread CURL *curl_e;

/*
 * POST body to url; SENT, RETRY or REFUSED with why (never the URL).  A
 * Retry-After of a 429 or 503, in seconds, goes to *ra.
 */
static int
http_post(const struct alert_conf *c, const char *url, struct curl_slist *h, const char *body,
    double *ra, char *why, size_t len)
{
	CURL *e;
	curl_off_t after = 0;
	CURLcode rc;
	long code = 0;

	if (curl_e == NULL && (curl_e = curl_easy_init()) == NULL)
		errx(MCP_EXIT_FAIL, "curl_easy_init");
	e = curl_e;
	if (e == NULL)
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
	if (rc == CURLE_OK && (code == 429 || code == 503) &&
	    curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0)
		*ra = after > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : (double)after;
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
    const char *body, double *ra, char *why, size_t len)
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
	return http_post(c, r->url, h, body, ra, why, len);
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
	extern char **environ;
	char **env, msg[512];
	size_t ne = 0, i;

	/*
	 * Made before the fork: routes deliver in threads, and a child of a
	 * threaded process does only what is safe between fork and exec.
	 */
	for (i = 0; environ[i] != NULL; i++)
		;
	if ((env = calloc(i + 1, sizeof(*env))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	for (i = 0; environ[i] != NULL; i++)
		if (strncmp(environ[i], "MCP_REDIS=", 10) != 0) /* nor the store's URL and password */
			env[ne++] = environ[i];
	snprintf(msg, sizeof(msg), "mcp-alert: route %s: %s: cannot run it\n", r->name, r->argv[0]);
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
		signal(SIGPIPE, SIG_DFL);
		execvpe(r->argv[0], r->argv, env);
		(void)!write(STDERR_FILENO, msg, strlen(msg));
		_exit(127);
	}
	free(env);
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
    double *ra, char *why, size_t len)
{
	char *body;
	int rc;

	switch (r->type) {
	case RT_PAGERDUTY:
		if (alert_pd_action(alert_str(rec, "event")) == NULL)
			return SENT; /* nothing PagerDuty hears of */
		body = alert_pd_body(r, rec);
		rc = http_post(c, r->url, NULL, body, ra, why, len);
		explicit_bzero(body, strlen(body));
		break;
	case RT_SLACK:
		body = alert_slack_body(rec);
		rc = http_post(c, r->url, NULL, body, ra, why, len);
		break;
	case RT_WEBHOOK:
		body = alert_print(cJSON_Duplicate(rec, 1));
		rc = send_webhook(c, r, id, body, ra, why, len);
		break;
	case RT_EMAIL:
		rc = alert_email_send(c, r, rec, why, len);
		rc = rc == 0 ? SENT : rc == 1 ? RETRY : REFUSED;
		body = NULL;
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
	double ra = 0;

	hex_random(id, 16);
	return send_one(c, &c->routes[route], id, rec, &ra, why, len) == SENT ? 0 : -1;
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
static int
take(struct mcp_store *st, const char *key, const char **a, int n)
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

static double
num(const cJSON *o, const char *k)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(n) ? n->valuedouble : 0;
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
	    first->valuedouble >= 0 && first->valuedouble <= ALERT_TIME_MAX &&
	    cJSON_IsNumber(next) && next->valuedouble >= 0 && next->valuedouble <= ALERT_TIME_MAX)
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

/* --- pacing: GCRA, at most rate_n deliveries in any rate_per seconds -------- */

struct pace {
	double tat; /* on the monotonic clock: when the burst allowed is spent */
	double t;   /* seconds between two deliveries; 0: no limit */
	double tol; /* the burst: seconds tat may be ahead of now */
	char key[ALERT_NAME_MAX + 32];
};

static void
pace_load(struct mcp_store *st, const struct alert_route *rt, struct pace *p)
{
	const char *get[] = {"GET", p->key};
	redisReply *r;
	double v, now = mcp_now(), mono = mcp_mono();
	char *end;

	snprintf(p->key, sizeof(p->key), "mcp:alert:pace:%s", rt->name);
	p->tat = mono;
	p->t = rt->rate_n > 0 ? (double)rt->rate_per / rt->rate_n : 0;
	p->tol = rt->rate_n > 0 ? (double)rt->rate_per - p->t : 0;
	/* A Retry-After is kept there whatever the rate. */
	if ((r = alert_cmd(st, 2, get)) == NULL)
		return;
	if (r->type == REDIS_REPLY_STRING) {
		v = strtod(r->str, &end);
		/* The store's word is believed up to an hour ahead, no more. */
		if (*end == '\0' && isfinite(v) && v > now && v < now + RETRY_AFTER_MAX + 86400.0)
			p->tat = mono + (v - now);
	}
	freeReplyObject(r);
}

static void
pace_save(struct mcp_store *st, const struct pace *p)
{
	double ahead = p->tat - mcp_mono();
	char v[64], px[32];
	const char *set[] = {"SET", p->key, v, "PX", px};
	redisReply *r;

	if (ahead <= 0)
		return;
	snprintf(v, sizeof(v), "%.3f", mcp_now() + ahead);
	snprintf(px, sizeof(px), "%.0f", ceil(ahead * 1000) + 1000);
	if ((r = alert_cmd(st, 5, set)) != NULL)
		freeReplyObject(r);
}

/*
 * Wait for the next delivery's turn: 0, or -1 when it comes after the
 * deadline or more than PACE_NAP_MAX seconds on (a Retry-After): the run
 * goes on without this route, which a later run delivers.
 */
static int
pace_wait(const struct pace *p, double deadline)
{
	double now = mcp_mono(), wait = p->tat - p->tol - now;
	struct timespec ts;

	if (wait <= 0)
		return 0;
	if (now + wait > deadline || wait > PACE_NAP_MAX)
		return -1;
	ts.tv_sec = (time_t)wait;
	ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return 0;
}

static void
pace_sent(struct pace *p, double ra)
{
	double now = mcp_mono();

	if (p->t > 0)
		p->tat = fmax(p->tat, now) + p->t;
	/* A receiver that asked to wait is left alone until then, every job of the route. */
	if (ra > 0)
		p->tat = fmax(p->tat, now + ra + p->tol);
}

/* --- one route's run ---------------------------------------------------------- */

struct hjob {
	char *s;   /* the job, as the list holds it (borrowed from the reply) */
	cJSON *j;  /* parsed (owned); NULL: not a job of mcp-alert */
	cJSON *rec;
};

struct unit {
	char key[ALERT_GROUP_KEY_MAX]; /* "": a job alone */
	int *jobs, n;
};

struct run {
	struct mcp_store *st;
	const struct alert_conf *c;
	const struct alert_route *rt;
	char key[ALERT_NAME_MAX + 32];  /* the outbox */
	char gkey[ALERT_NAME_MAX + 32]; /* the groups told: mcp:alert:groups:ROUTE */
	struct pace pace;
	double deadline; /* on the monotonic clock */
	struct mcp_buf *out;
	cJSON *metas; /* group key: what the route was told of it */
	int stop;     /* the route waits: nothing more this run */
	const char **renew; /* EVAL renew_lua: the lock of the route, ours for one more delivery */
};

/*
 * Before each delivery: the lock still ours, for delivery_timeout more; 0,
 * or -1 (stop) when it was lost, so that nothing goes out twice.
 */
static int
locked(struct run *w)
{
	redisReply *r;

	if ((r = alert_cmd(w->st, 6, w->renew)) == NULL)
		return -1;
	if (r->type != REDIS_REPLY_INTEGER || r->integer != 1) {
		warnx("route %s: the lock was lost to another deliverer; stopped", w->rt->name);
		freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

static double
backoff(const struct alert_conf *c, int n)
{
	double d = ldexp((double)c->retry_base, n < 30 ? n : 30);

	return d > (double)c->retry_max ? (double)c->retry_max : d;
}

/* A job to try again later: its attempts and due time in the list. */
static int
retry_job(struct run *w, struct hjob *h, double ra, const char *why)
{
	int n = attempts(h->j);
	double now = mcp_now(), delay = ra > 0 ? ra : backoff(w->c, n);
	long long res;
	char *next;
	int rc;

	if (now - num(h->j, "first") >= (double)w->c->give_up)
		return dead(w->st, w->key, h->s, h->j, w->rt->name, why, w->out);
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
static int
send_job(struct run *w, struct hjob *h, int *sent)
{
	char why[256];
	double ra = 0;
	const char *a[1] = {h->s};

	*sent = 0;
	if (pace_wait(&w->pace, w->deadline) == -1) {
		w->stop = 1;
		return 0;
	}
	if (locked(w) == -1)
		return -1;
	switch (send_one(w->c, w->rt, alert_str(h->j, "id"), h->rec, &ra, why, sizeof(why))) {
	case SENT:
		pace_sent(&w->pace, 0);
		*sent = 1;
		return take(w->st, w->key, a, 1);
	case REFUSED:
		pace_sent(&w->pace, 0);
		return dead(w->st, w->key, h->s, h->j, w->rt->name, why, w->out);
	default:
		pace_sent(&w->pace, ra);
		w->stop = 1;
		return retry_job(w, h, ra, why);
	}
}

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

/* A group's record as the store keeps it, or NULL when it is not one. */
static int
meta_ok(const cJSON *m)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "told"), *e;
	const char *k[] = {"since", "sent", "seq", "n", "next"};
	size_t i;

	if (!cJSON_IsObject(m) || !cJSON_IsArray(t) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "id")) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(m, "solo")))
		return 0;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		e = cJSON_GetObjectItemCaseSensitive(m, k[i]);
		if (!cJSON_IsNumber(e) || !(e->valuedouble >= 0 && e->valuedouble <= ALERT_TIME_MAX))
			return 0;
	}
	cJSON_ArrayForEach(e, t) if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring)) return 0;
	return 1;
}

static int
metas_load(struct run *w)
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

/* The group told of slug as open, or NULL. */
static const char *
told_in(const struct run *w, const char *slug)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, w->metas) if (in(cJSON_GetObjectItemCaseSensitive(m, "told"), slug))
	    return m->string;
	return NULL;
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
	if (m == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	return m;
}

static void
set_num(cJSON *m, const char *k, double v)
{
	cJSON_ReplaceItemInObjectCaseSensitive(m, k, cJSON_CreateNumber(v));
}

static void
set_str(cJSON *m, const char *k, const char *v)
{
	cJSON_ReplaceItemInObjectCaseSensitive(m, k, cJSON_CreateString(v));
}

/* The id a receiver sees for the seq'th notification of group id: the same on a repeat. */
static void
group_msg_id(char *buf, size_t len, const char *id, double seq)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	char in[256];

	snprintf(in, sizeof(in), "%s#%.0f", id, seq);
	if (EVP_Digest(in, strlen(in), md, &n, EVP_sha256(), NULL) != 1)
		errx(MCP_EXIT_FAIL, "sha256");
	for (i = 0; i < 16 && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, 3, "%02x", md[i]);
}

/*
 * The jobs of group u: sent as the member's own records when the group
 * never held another slug, else as one notification of the group.
 */
static int
send_group(struct run *w, struct hjob *hj, const struct unit *u)
{
	const struct alert_conf *c = w->c;
	cJSON *m = cJSON_GetObjectItemCaseSensitive(w->metas, u->key), *told, *s, *added,
	      *resolved, *rec;
	const char *slug, *one = NULL, **a;
	double now = mcp_now(), first = ALERT_TIME_MAX, ra = 0;
	struct alert_group g;
	char why[256], id[40];
	int i, alone = 1, rc = 0, sent, changed = 0;
	const cJSON *e;

	told = m != NULL ? cJSON_GetObjectItemCaseSensitive(m, "told") : NULL;
	s = told != NULL ? cJSON_Duplicate(told, 1) : cJSON_CreateArray();
	added = cJSON_CreateArray(), resolved = cJSON_CreateArray();
	for (i = 0; i < u->n; i++) {
		rec = hj[u->jobs[i]].rec;
		slug = alert_str(rec, "slug");
		first = fmin(first, num(hj[u->jobs[i]].j, "first"));
		if (one == NULL)
			one = slug;
		alone = alone && strcmp(one, slug) == 0;
		if (strcmp(alert_str(rec, "event"), "trigger") == 0)
			add(s, slug), add(added, slug);
		else
			drop(s, slug), add(resolved, slug);
	}
	cJSON_ArrayForEach(e, told) alone = alone && strcmp(e->valuestring, one) == 0;
	alone = alone && (m == NULL || *alert_str(m, "id") == '\0');
	/*
	 * A receiver's backoff holds the route, as a job alone does; a new
	 * group's wait and the interval since the group's last notice hold
	 * the group alone.  Times are to the millisecond, as the jobs' are.
	 */
	if ((m != NULL && num(m, "next") > now) ||
	    (alone && num(hj[u->jobs[0]].j, "next") > now + 0.001)) {
		w->stop = 1;
		goto done;
	}
	/* (A last notice in the future is a clock set back: it holds nothing.) */
	if (m == NULL || num(m, "sent") == 0
	        ? now + 0.001 < first + (double)c->group_wait
	        : cJSON_GetArraySize(s) > 0 && now < num(m, "sent") + (double)c->group_interval &&
	              num(m, "sent") <= now + 1)
		goto done;
	if (alone) {
		/*
		 * A group of one: the member's own records, in order, as before
		 * grouping; what the route now knows open is what it was sent.
		 */
		cJSON_Delete(s);
		s = told != NULL ? cJSON_Duplicate(told, 1) : cJSON_CreateArray();
		for (i = 0; rc == 0 && !w->stop && i < u->n; i++) {
			rec = hj[u->jobs[i]].rec;
			if ((rc = send_job(w, &hj[u->jobs[i]], &sent)) == 0 && sent) {
				if (strcmp(alert_str(rec, "event"), "trigger") == 0)
					add(s, one);
				else
					drop(s, one);
				changed = 1;
			}
		}
		if (rc == 0 && changed) {
			if (cJSON_GetArraySize(s) == 0)
				rc = meta_save(w, u->key, NULL);
			else {
				if (m == NULL)
					m = meta_new(now), cJSON_AddItemToObject(w->metas, u->key, m);
				cJSON_ReplaceItemInObjectCaseSensitive(m, "told", cJSON_Duplicate(s, 1));
				set_num(m, "sent", now), set_str(m, "solo", one);
				rc = meta_save(w, u->key, m);
			}
		}
		goto done;
	}
	if (m == NULL)
		m = meta_new(now), cJSON_AddItemToObject(w->metas, u->key, m);
	/* The slug told alone before the group grew has an incident of its own: closed alone. */
	for (i = 0; rc == 0 && !w->stop && i < u->n; i++) {
		rec = hj[u->jobs[i]].rec;
		if (strcmp(alert_str(rec, "event"), "resolve") == 0 &&
		    strcmp(alert_str(rec, "slug"), alert_str(m, "solo")) == 0) {
			if ((rc = send_job(w, &hj[u->jobs[i]], &sent)) == 0 && sent) {
				set_str(m, "solo", "");
				drop(cJSON_GetObjectItemCaseSensitive(m, "told"), alert_str(rec, "slug"));
				rc = meta_save(w, u->key, m);
				hj[u->jobs[i]].rec = NULL; /* sent and taken */
			}
		}
	}
	if (rc != 0 || w->stop)
		goto done;
	if (*alert_str(m, "id") == '\0') {
		char gid[ALERT_GROUP_KEY_MAX + 48];

		snprintf(gid, sizeof(gid), "group:%s:%.0f", u->key, num(m, "since"));
		set_str(m, "id", gid);
	}
	snprintf(g.key, sizeof(g.key), "%s", u->key);
	g.id = alert_str(m, "id"), g.since = num(m, "since");
	g.slugs = s, g.added = added, g.resolved = resolved;
	rec = alert_group_record(&g, hj[u->jobs[0]].rec != NULL ? hj[u->jobs[0]].rec
	                                                        : hj[u->jobs[u->n - 1]].rec, now);
	group_msg_id(id, sizeof(id), g.id, num(m, "seq") + 1);
	if (pace_wait(&w->pace, w->deadline) == -1) {
		w->stop = 1;
		cJSON_Delete(rec);
		goto done;
	}
	if (locked(w) == -1) {
		rc = -1;
		cJSON_Delete(rec);
		goto done;
	}
	switch (send_one(c, w->rt, id, rec, &ra, why, sizeof(why))) {
	case SENT:
		pace_sent(&w->pace, 0);
		set_num(m, "seq", num(m, "seq") + 1), set_num(m, "sent", now);
		set_num(m, "n", 0), set_num(m, "next", 0);
		cJSON_ReplaceItemInObjectCaseSensitive(m, "told", cJSON_Duplicate(s, 1));
		rc = meta_save(w, u->key, cJSON_GetArraySize(s) > 0 ? m : NULL);
		if (rc == 0) {
			if ((a = calloc((size_t)u->n, sizeof(*a))) == NULL)
				err(MCP_EXIT_FAIL, "calloc");
			for (i = 0; i < u->n; i++)
				a[i] = hj[u->jobs[i]].s;
			rc = take(w->st, w->key, a, u->n);
			free(a);
		}
		if (cJSON_GetArraySize(s) == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(w->metas, u->key);
		break;
	case REFUSED:
		pace_sent(&w->pace, 0);
		for (i = 0; rc == 0 && i < u->n; i++)
			if (hj[u->jobs[i]].rec != NULL)
				rc = dead(w->st, w->key, hj[u->jobs[i]].s, hj[u->jobs[i]].j, w->rt->name,
				    why, w->out);
		break;
	default:
		pace_sent(&w->pace, ra);
		w->stop = 1;
		if (now - first >= (double)c->give_up) {
			for (i = 0; rc == 0 && i < u->n; i++)
				if (hj[u->jobs[i]].rec != NULL) {
					/* The group's attempts were each member's. */
					set_num(hj[u->jobs[i]].j, "n", num(m, "n"));
					rc = dead(w->st, w->key, hj[u->jobs[i]].s, hj[u->jobs[i]].j,
					    w->rt->name, why, w->out);
				}
			break;
		}
		set_num(m, "n", num(m, "n") + 1);
		set_num(m, "next", mcp_ms_round(now + (ra > 0 ? ra : backoff(c, (int)num(m, "n") - 1))));
		warnx("route %s: group %s (%d incidents): %s; attempt %.0f, next in %.0f s",
		    w->rt->name, u->key, cJSON_GetArraySize(s), why, num(m, "n"),
		    num(m, "next") - now);
		rc = meta_save(w, u->key, m);
		break;
	}
	cJSON_Delete(rec);
done:
	cJSON_Delete(s), cJSON_Delete(added), cJSON_Delete(resolved);
	return rc;
}

/* The units of the jobs at the head, in the order of their first job. */
static int
units_of(struct run *w, struct hjob *hj, int n, struct unit *u)
{
	char key[ALERT_GROUP_KEY_MAX];
	const char *was;
	int i, k, nu = 0;

	for (i = 0; i < n; i++) {
		key[0] = '\0';
		if (hj[i].j != NULL && alert_group_of(w->c, hj[i].rec, key, sizeof(key)) &&
		    strcmp(alert_str(hj[i].rec, "event"), "resolve") == 0 &&
		    (was = told_in(w, alert_str(hj[i].rec, "slug"))) != NULL)
			snprintf(key, sizeof(key), "%s", was); /* the group it was told in */
		for (k = 0; key[0] != '\0' && k < nu && strcmp(u[k].key, key) != 0; k++)
			;
		if (key[0] == '\0' || k == nu) {
			k = nu++;
			snprintf(u[k].key, sizeof(u[k].key), "%s", key);
			u[k].n = 0;
			if ((u[k].jobs = calloc((size_t)(n - i), sizeof(int))) == NULL)
				err(MCP_EXIT_FAIL, "calloc");
		}
		u[k].jobs[u[k].n++] = i;
	}
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
	struct run w = {st, c, rt, "", "", {0}, 0, out, NULL, 0, pexp};
	struct hjob *hj;
	struct unit *u;
	redisReply *r, *lr;
	long long res;
	int n, nu, k, k2, rc = 0, done, full;

	alert_outbox_key(w.key, sizeof(w.key), c, i);
	snprintf(w.gkey, sizeof(w.gkey), "mcp:alert:groups:%s", rt->name);
	snprintf(lock, sizeof(lock), "mcp:alert:lock:%s", rt->name);
	snprintf(px, sizeof(px), "%ld", (c->delivery_timeout + 5) * 1000);
	snprintf(hi, sizeof(hi), "%d", HEAD_MAX - 1);
	range[1] = w.key;
	hex_random(token, 16);
	/* One deliverer per route at a time, so that nothing goes out twice. */
	if ((r = alert_cmd(st, 6, set)) == NULL)
		return -1;
	k = r->type == REDIS_REPLY_STATUS;
	freeReplyObject(r);
	if (!k)
		return 0;
	w.deadline = mcp_mono() + (double)c->delivery_budget;
	pace_load(st, rt, &w.pace);
	do {
		done = 0;
		if (locked(&w) == -1) {
			rc = -1;
			break;
		}
		if ((lr = alert_cmd(st, 4, range)) == NULL) {
			rc = -1;
			break;
		}
		n = (int)lr->elements;
		full = n == HEAD_MAX;
		if (n == 0 || metas_load(&w) == -1) {
			rc = n == 0 ? 0 : -1;
			freeReplyObject(lr);
			break;
		}
		if ((hj = calloc((size_t)n, sizeof(*hj))) == NULL ||
		    (u = calloc((size_t)n, sizeof(*u))) == NULL)
			err(MCP_EXIT_FAIL, "calloc");
		for (k = 0; k < n; k++) {
			hj[k].s = lr->element[k]->type == REDIS_REPLY_STRING ? lr->element[k]->str : "";
			hj[k].j = job_parse(hj[k].s);
			hj[k].rec = cJSON_GetObjectItemCaseSensitive(hj[k].j, "rec");
		}
		nu = units_of(&w, hj, n, u);
		for (k = 0; rc == 0 && !w.stop && k < nu; k++) {
			struct hjob *h = &hj[u[k].jobs[0]];

			if (mcp_mono() >= w.deadline) {
				w.stop = 1;
				break;
			}
			if (u[k].key[0] != '\0') {
				rc = send_group(&w, hj, &u[k]);
				continue;
			}
			if (h->j == NULL) {
				cJSON *j = cJSON_CreateObject();

				cJSON_AddItemToObject(j, "rec", cJSON_CreateObject());
				rc = dead(st, w.key, h->s, j, rt->name, "not a job of mcp-alert", out);
				cJSON_Delete(j);
				done++;
				continue;
			}
			/* A job alone keeps its place: what follows it waits for it. */
			if (num(h->j, "next") > mcp_now())
				break;
			rc = send_job(&w, h, &k2);
			done++;
		}
		for (k = 0; k < n; k++)
			cJSON_Delete(hj[k].j);
		for (k = 0; k < nu; k++)
			free(u[k].jobs);
		free(hj);
		free(u);
		freeReplyObject(lr);
		cJSON_Delete(w.metas);
		w.metas = NULL;
	} while (rc == 0 && !w.stop && full && done > 0);
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
	curl_easy_cleanup(curl_e);
	curl_e = NULL;
	return NULL;
}

int
alert_deliver(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out)
{
	struct alert_pipe p = {0, {0}, {NULL}, {NULL}};
	static __thread char keys[ALERT_ROUTES_MAX][ALERT_NAME_MAX + 32];
	const char *llen[ALERT_ROUTES_MAX][2];
	struct worker wk[ALERT_ROUTES_MAX];
	int i, nw = 0, busy[ALERT_ROUTES_MAX], rc = 0;

	/* Which outboxes hold anything: one round trip. */
	for (i = 0; i < c->nroutes; i++) {
		alert_outbox_key(keys[i], sizeof(keys[i]), c, i);
		llen[i][0] = "LLEN", llen[i][1] = keys[i];
		p.argv[p.n] = llen[i], p.argc[p.n++] = 2;
	}
	if (p.n == 0)
		return 0;
	if (alert_pipe_run(st, &p) == -1)
		return -1;
	for (i = 0; i < c->nroutes; i++)
		if (p.r[i]->type == REDIS_REPLY_INTEGER && p.r[i]->integer > 0)
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
