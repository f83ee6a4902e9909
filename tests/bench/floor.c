/*
 * floor - the least a client can spend on a plain legacy probe
 *
 *	floor curl|raw targets-file [jobs]
 *
 * Sends each target the five POSTs of a legacy mcp-probe in era auto
 * (server/discover, initialize, notifications/initialized, tools/list,
 * ping), byte for byte the same requests, in order, on one kept-alive
 * connection, with `jobs` targets in flight (256).  Answers are framed and
 * thrown away: no JSON is parsed, nothing is hashed, no record is written.
 *
 *	curl	one libcurl multi loop over epoll, as mcp-probe drives it: each
 *		target has its own DNS and connection caches (a share), and
 *		its connection closes when it is done
 *	raw	non-blocking sockets and epoll, and nothing else
 *
 * Run it under tests/bench/timed: its CPU time over the number of targets
 * is what a probe costs before any of the probe's own work, with libcurl
 * and with no HTTP library at all.  Targets are "name http://IPv4:port/path"
 * lines, as the bench writes them.  Prints "N targets, M failed" on stderr;
 * exits 1 if any failed.  A target fails on an error, a last answer that
 * is not 2xx, or no end: 5 s of silence from every socket (raw), 30 s for
 * a transfer (curl).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mcp.h"

#define NREQ 5
#define MAXT 100000

static const char *bodies[NREQ] = {
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{\"_meta\":"
    "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
    "\"io.modelcontextprotocol/clientCapabilities\":{},"
    "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"mcp-probe\",\"version\":\"0.1.0\"}}}}",
    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
    "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-probe\",\"version\":"
    "\"0.1.0\"}}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}",
    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}",
};
/* the headers after Host, as mcp-probe sends them for each request */
static const char *heads[NREQ] = {
    "MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: server/discover\r\n",
    "",
    "MCP-Protocol-Version: 2025-11-25\r\n",
    "MCP-Protocol-Version: 2025-11-25\r\n",
    "MCP-Protocol-Version: 2025-11-25\r\n",
};
static const char common[] = "User-Agent: mcp-probe/0.1.0\r\nX-Probe-Region: bench\r\n"
                             "Content-Type: application/json\r\n"
                             "Accept: application/json, text/event-stream\r\n";

struct target {
	char host[80], path[256];
	struct sockaddr_in sa;
	int step;
	/* raw */
	int fd;
	char out[2048];
	size_t outlen, outoff;
	char *in;
	size_t inlen, incap;
	/* curl */
	CURL *easy;
	CURLSH *sh; /* its own DNS and connection caches, as mcp-probe's targets have */
	struct curl_slist *hdrs[NREQ];
	char url[320];
};

static struct target *tg;
static size_t ntg, next, active, failed;
static int ep;

static int
parse_url(struct target *t, const char *url)
{
	char ip[64];
	unsigned port;
	int n;

	if (sscanf(url, "http://%63[0-9.]:%u%n", ip, &port, &n) != 2 || url[n] != '/')
		return -1;
	if (snprintf(t->path, sizeof t->path, "%s", url + n) >= (int)sizeof t->path ||
	    snprintf(t->url, sizeof t->url, "%s", url) >= (int)sizeof t->url)
		return -1;
	snprintf(t->host, sizeof t->host, "%s:%u", ip, port);
	t->sa.sin_family = AF_INET;
	t->sa.sin_port = htons((unsigned short)port);
	return inet_pton(AF_INET, ip, &t->sa.sin_addr) == 1 ? 0 : -1;
}

static void
load(const char *path)
{
	char line[512], name[128], url[384];
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(2);
	}
	tg = calloc(MAXT, sizeof *tg);
	while (tg != NULL && ntg < MAXT && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%127s %383s", name, url) != 2)
			continue;
		if (parse_url(&tg[ntg], url) == -1) {
			fprintf(stderr, "floor: %s: not http://IPv4:port/path\n", url);
			exit(2);
		}
		ntg++;
	}
	fclose(f);
}

/* --- raw: sockets and epoll ------------------------------------------------ */

/* Length of a whole response at the start of b, or 0 while it is not all
 * there: headers, then Content-Length bytes or chunks up to the last one. */
static size_t
framed(const char *b, size_t n)
{
	const char *e, *p, *h, *nl, *end = b + n;
	unsigned long len;
	char *q;

	if ((e = memmem(b, n, "\r\n\r\n", 4)) == NULL)
		return 0;
	p = e + 4;
	for (h = b; h < e; h = nl + 1) {
		if (strncasecmp(h, "content-length:", 15) == 0) {
			len = strtoul(h + 15, NULL, 10);
			return (size_t)(end - p) >= len ? (size_t)(p - b) + len : 0;
		}
		if ((nl = memchr(h, '\n', (size_t)(e - h))) == NULL)
			break;
	}
	for (;;) { /* chunked */
		if ((e = memmem(p, (size_t)(end - p), "\r\n", 2)) == NULL)
			return 0;
		len = strtoul(p, &q, 16);
		if (q == p || len > n)
			return 0; /* not a size, or more than there is: wait, then time out */
		p = e + 2;
		if (len == 0)
			return (size_t)(end - p) >= 2 ? (size_t)(p - b) + 2 : 0;
		if ((size_t)(end - p) < len + 2)
			return 0;
		p += len + 2;
	}
}

static void raw_start(void);

/* 0, or -1 when the request does not fit */
static int
raw_request(struct target *t)
{
	int n;

	n = snprintf(t->out, sizeof t->out,
	    "POST %s HTTP/1.1\r\nHost: %s\r\n%s%sContent-Length: %zu\r\n\r\n%s", t->path, t->host,
	    common, heads[t->step], strlen(bodies[t->step]), bodies[t->step]);
	if (n < 0 || (size_t)n >= sizeof t->out)
		return -1;
	t->outlen = (size_t)n;
	t->outoff = 0;
	t->inlen = 0;
	return 0;
}

static void
raw_end(struct target *t, int ok)
{
	close(t->fd);
	free(t->in);
	t->in = NULL;
	failed += !ok;
	active--;
	raw_start();
}

/* Edge-triggered: the socket is registered once, for both directions, and
 * each turn costs a send, a recv and its share of an epoll_wait. */
/* 0 when all of the request is out, 1 when the socket is full, -1 */
static int
raw_send(struct target *t)
{
	ssize_t n;

	while (t->outoff < t->outlen) {
		n = send(t->fd, t->out + t->outoff, t->outlen - t->outoff, MSG_NOSIGNAL);
		if (n == -1 && errno == EAGAIN)
			return 1;
		if (n <= 0)
			return -1;
		t->outoff += (size_t)n;
	}
	return 0;
}

static void
raw_event(struct target *t)
{
	ssize_t n;
	size_t room;

	for (;;) {
		if ((n = raw_send(t)) == 1)
			return;
		if (n == -1)
			return raw_end(t, 0);
		if (t->incap - t->inlen < 16384) {
			t->incap = t->incap * 2 + 32768;
			if ((t->in = realloc(t->in, t->incap)) == NULL)
				return raw_end(t, 0);
		}
		room = t->incap - t->inlen;
		n = recv(t->fd, t->in + t->inlen, room, 0);
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0)
			return raw_end(t, 0);
		t->inlen += (size_t)n;
		if (framed(t->in, t->inlen) == 0) {
			if ((size_t)n < room)
				return; /* drained: the next bytes are a new edge */
			continue;
		}
		if (++t->step == NREQ) /* the first answer is a 4xx: not modern */
			return raw_end(t, strncmp(t->in, "HTTP/1.1 2", 10) == 0);
		if (raw_request(t) == -1)
			return raw_end(t, 0);
		if (raw_send(t) == 0)
			return; /* sent: the answer comes as an edge */
	}
}

static void
raw_start(void)
{
	struct epoll_event e;
	struct target *t;
	int one = 1;

	if (next == ntg)
		return;
	t = &tg[next++];
	active++;
	t->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if ((connect(t->fd, (struct sockaddr *)&t->sa, sizeof t->sa) == -1 &&
	        errno != EINPROGRESS) ||
	    raw_request(t) == -1)
		return raw_end(t, 0);
	e.events = EPOLLIN | EPOLLOUT | EPOLLET;
	e.data.ptr = t;
	epoll_ctl(ep, EPOLL_CTL_ADD, t->fd, &e);
}

static void
raw_run(size_t jobs)
{
	struct epoll_event ev[64];
	int i, n;

	while (active < jobs && next < ntg)
		raw_start();
	while (active > 0) {
		n = epoll_wait(ep, ev, 64, 5000);
		for (i = 0; i < n; i++)
			raw_event(ev[i].data.ptr);
		if (n == 0)
			break;
	}
}

/* --- curl: one multi loop over epoll ---------------------------------------- */

static CURLM *multi;
static long timeout_ms = -1;

static size_t
discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

static int
on_socket(CURL *e, curl_socket_t s, int what, void *u, void *sp)
{
	struct epoll_event ev = {0};

	(void)e;
	(void)u;
	if (what == CURL_POLL_REMOVE) {
		if (sp != NULL)
			epoll_ctl(ep, EPOLL_CTL_DEL, s, NULL);
		curl_multi_assign(multi, s, NULL);
		return 0;
	}
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
	ev.data.fd = s;
	if (epoll_ctl(ep, sp != NULL ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s, &ev) == -1 &&
	    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) == -1)
		epoll_ctl(ep, EPOLL_CTL_MOD, s, &ev);
	curl_multi_assign(multi, s, multi);
	return 0;
}

static int
on_timer(CURLM *m, long ms, void *u)
{
	(void)m;
	(void)u;
	timeout_ms = ms;
	return 0;
}

static void
curl_step(struct target *t)
{
	curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, bodies[t->step]);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->hdrs[t->step]);
	curl_multi_add_handle(multi, t->easy);
}

static void
curl_start(void)
{
	struct target *t;
	char h[160];
	int i;

	if (next == ntg)
		return;
	t = &tg[next++];
	active++;
	t->easy = curl_easy_init();
	t->sh = curl_share_init();
	curl_share_setopt(t->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(t->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_easy_setopt(t->easy, CURLOPT_SHARE, t->sh);
	curl_easy_setopt(t->easy, CURLOPT_URL, t->url);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(t->easy, CURLOPT_USERAGENT, "mcp-probe/0.1.0");
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	for (i = 0; i < NREQ; i++) {
		t->hdrs[i] = curl_slist_append(NULL, "X-Probe-Region: bench");
		t->hdrs[i] = curl_slist_append(t->hdrs[i], "Content-Type: application/json");
		t->hdrs[i] =
		    curl_slist_append(t->hdrs[i], "Accept: application/json, text/event-stream");
		if (i != 1) {
			snprintf(h, sizeof h, "MCP-Protocol-Version: %s",
			    i == 0 ? "2026-07-28" : "2025-11-25");
			t->hdrs[i] = curl_slist_append(t->hdrs[i], h);
		}
		if (i == 0)
			t->hdrs[i] = curl_slist_append(t->hdrs[i], "Mcp-Method: server/discover");
	}
	curl_step(t);
}

static void
curl_done(CURL *e, CURLcode rc)
{
	struct target *t;
	long status = 0;
	int i;

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&t);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(multi, e);
	if (rc == CURLE_OK && ++t->step < NREQ)
		return curl_step(t);
	failed += rc != CURLE_OK || status / 100 != 2;
	curl_easy_cleanup(e);
	curl_share_cleanup(t->sh); /* closes its connection */
	for (i = 0; i < NREQ; i++)
		curl_slist_free_all(t->hdrs[i]);
	active--;
	curl_start();
}

static void
curl_drain(void)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(multi, &left)) != NULL)
		if (m->msg == CURLMSG_DONE)
			curl_done(m->easy_handle, m->data.result);
}

static void
curl_run(size_t jobs)
{
	struct epoll_event ev[64];
	int i, n, running;

	multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
	while (active < jobs && next < ntg)
		curl_start();
	while (active > 0) {
		n = epoll_wait(ep, ev, 64, timeout_ms < 0 ? 1000 : (int)timeout_ms);
		if (n == 0) {
			timeout_ms = -1;
			curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
		}
		for (i = 0; i < n; i++)
			curl_multi_socket_action(multi, ev[i].data.fd,
			    (ev[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
			        (ev[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
			        (ev[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0),
			    &running);
		curl_drain();
	}
	curl_multi_cleanup(multi);
}

int
main(int argc, char **argv)
{
	size_t jobs;

	if (argc < 3 || (strcmp(argv[1], "curl") != 0 && strcmp(argv[1], "raw") != 0)) {
		fprintf(stderr, "usage: floor curl|raw targets-file [jobs]\n");
		return 2;
	}
	jobs = argc > 3 ? strtoul(argv[3], NULL, 10) : 256;
	load(argv[2]);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		perror("floor: epoll_create1");
		return 1;
	}
	if (strcmp(argv[1], "raw") == 0)
		raw_run(jobs);
	else {
		mcp_curl_init(); /* as mcp-probe starts libcurl */
		curl_run(jobs);
	}
	failed += ntg - next + active; /* never started, or never finished */
	fprintf(stderr, "%zu targets, %zu failed\n", ntg, failed);
	return failed > 0;
}
