/*
 * fcgi_floor - the least a FastCGI responder that reads the store can cost:
 * the floor for mcp-serve in FastCGI mode
 *
 *	spawn-fcgi -s SOCK -F N -- fcgi_floor
 *
 * An FCGX_Accept_r loop (libfcgi) that keeps one hiredis connection to
 * MCP_REDIS (unix:///path.sock or redis://host:port, from its environment)
 * and, for each request, takes the last segment of PATH_INFO (or of
 * REQUEST_URI's path) as the slug, sends one GET mcp:{SLUG}:verdict and
 * writes the stored value out as the body, after a Status, a Content-Type
 * and a Content-Length.  It parses nothing, checks nothing and decides
 * nothing: what it costs is libfcgi, one Redis round trip and the web
 * server.  404 when the key is absent; 503 when the store does not answer
 * (after one reconnect).  tests/bench/serve.sh compares mcp-serve with it.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <fcgiapp.h>
#include <hiredis.h>

static redisContext *
store_connect(void)
{
	const char *url = getenv("MCP_REDIS");
	struct timeval tv = {1, 0};
	char host[256];
	int port = 6379;
	redisContext *c;

	if (url == NULL || *url == '\0')
		url = "redis://127.0.0.1:6379";
	if (strncmp(url, "unix://", 7) == 0) {
		c = redisConnectUnixWithTimeout(url + 7, tv);
	} else {
		if (sscanf(url, "redis://%255[^:/]:%d", host, &port) < 1) {
			fprintf(stderr, "fcgi_floor: bad MCP_REDIS %s\n", url);
			return NULL;
		}
		c = redisConnectWithTimeout(host, port, tv);
	}
	if (c == NULL || c->err) {
		fprintf(stderr, "fcgi_floor: %s: %s\n", url, c != NULL ? c->errstr : "no memory");
		redisFree(c);
		return NULL;
	}
	redisSetTimeout(c, tv);
	return c;
}

/* The slug: the last segment of the path, without a query. */
static const char *
slug_of(FCGX_ParamArray envp, size_t *len)
{
	const char *p = FCGX_GetParam("PATH_INFO", envp);
	const char *s;

	if (p == NULL || *p == '\0')
		p = FCGX_GetParam("REQUEST_URI", envp);
	if (p == NULL)
		p = "";
	*len = strcspn(p, "?");
	for (s = p + *len; s > p && s[-1] != '/'; s--)
		;
	*len -= (size_t)(s - p);
	return s;
}

/* FCGX_FPrintF has its own printf, which knows no %zu: snprintf. */
static void
answer(FCGX_Stream *out, const char *status, const char *body, size_t len)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
	    "Status: %s\r\nContent-Type: application/json; charset=utf-8\r\n"
	    "Content-Length: %zu\r\n\r\n",
	    status, len);

	FCGX_PutStr(head, n, out);
	FCGX_PutStr(body, (int)len, out);
}

int
main(void)
{
	static const char none[] = "{\"error\":\"not found\"}";
	static const char down[] = "{\"error\":\"store unavailable\"}";
	redisContext *c = NULL;
	FCGX_Request req;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&req) >= 0) {
		redisReply *r = NULL;
		size_t len;
		const char *slug = slug_of(req.envp, &len);

		for (int tries = 0; tries < 2 && r == NULL; tries++) {
			if (c == NULL && (c = store_connect()) == NULL)
				break;
			r = redisCommand(c, "GET mcp:{%b}:verdict", slug, len);
			if (r == NULL) {
				redisFree(c);
				c = NULL;
			}
		}
		if (r == NULL)
			answer(req.out, "503 Service Unavailable", down, sizeof(down) - 1);
		else if (r->type == REDIS_REPLY_STRING)
			answer(req.out, "200 OK", r->str, r->len);
		else
			answer(req.out, "404 Not Found", none, sizeof(none) - 1);
		freeReplyObject(r);
		FCGX_Finish_r(&req);
	}
	redisFree(c);
	return 0;
}
