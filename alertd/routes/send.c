/*
 * send.c - the senders of each route type: an HTTP POST (PagerDuty, Slack,
 * a webhook signed as Standard Webhooks), an email (email.c), a command
 * fed the record on its standard input.  Each says SENT, RETRY or REFUSED,
 * and a Retry-After asked for.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "../alert.h"
#include "chat.h"
#include "pagers.h"
#include "version.h"

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
	if (h == NULL || strncasecmp(h->data, "Content-Type:", 13) != 0)
		h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "User-Agent: mcp-alert/" MCP_VERSION);
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
	/* A header may hold a token (paging services): not left in freed memory. */
	for (struct curl_slist *t = h; t != NULL; t = t->next)
		explicit_bzero(t->data, strlen(t->data));
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
		if (strncmp(environ[i], "MCP_REDIS=", 10) !=
		    0) /* nor the store's URL and password */
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

int
alert_send_one(const struct alert_conf *c, const struct alert_route *r, const char *id,
    const cJSON *rec, double *ra, char *why, size_t len)
{
	char *body;
	int rc;

	if (alert_chat_kind(r->type)) /* chat services */
		return alert_chat_send(c, r, id, rec, ra, why, len);
	if (alert_pager_type(r->type)) /* paging services */
		return alert_pager_send(c, r, rec, ra, why, len);
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

	alert_hex_random(id, 16);
	return alert_send_one(c, &c->routes[route], id, rec, &ra, why, len) == SENT ? 0 : -1;
}

void
alert_send_done(void)
{
	curl_easy_cleanup(curl_e);
	curl_e = NULL;
	alert_email_done();
	alert_chat_done();
}

/* paging services: their content type first, before the headers of the route. */
int
alert_http_post(const struct alert_conf *c, const char *url, struct curl_slist *h,
    const char *ctype, const char *body, double *ra, char *why, size_t len)
{
	char ct[128];
	struct curl_slist *t;

	snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
	if ((t = curl_slist_append(NULL, ct)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	t->next = h;
	return http_post(c, url, t, body, ra, why, len);
}
