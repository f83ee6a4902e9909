/*
 * cgi_floor - the least a CGI program can cost: the exec floor for mcp-serve
 *
 *	cgi_floor
 *
 * Run by a web server as a CGI program (RFC 3875), it answers every request
 * with the headers of mcp-serve's GET /api/embed-status/SLUG and a fixed
 * body of 100 bytes, in one write, and exits.  It reads nothing: no
 * environment, no store, no request.  Linked with libc alone, dynamic (as
 * a C program is by default), so what it costs a web server is a fork, an
 * exec, the dynamic loader and libc: tests/bench/serve.sh compares
 * mcp-serve with it, and prints it linked static-pie (as mcp-serve is)
 * beside it.
 *
 * Compiled with -DFLOOR_REDIS (and hiredis), it first connects to
 * MCP_REDIS (unix:///path.sock only) and sends one GET
 * mcp:{SLUG}:verdict, SLUG the last segment of PATH_INFO, as
 * tests/bench/fcgi_floor.c does, then answers the same fixed bytes (1 if
 * the store does not answer): what one store round trip adds to a CGI
 * program.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <string.h>
#include <unistd.h>
#ifdef FLOOR_REDIS
#include <stdlib.h>
#include <sys/time.h>

#include <hiredis.h>
#endif

#define BODY                                                                                       \
	"{\"state\":\"up\",\"uptime_30d\":99.87,\"p95_ms\":142,\"last_probe_ago\":\"37s\","        \
	"\"as_of\":\"2026-11-24T16:00:00Z\"}"

static const char reply[] = "Status: 200 OK\r\n"
                            "Content-Type: application/json; charset=utf-8\r\n"
                            "Cache-Control: public, max-age=60, stale-while-revalidate=300\r\n"
                            "ETag: \"v1-2026-11-24T16:00:00Z\"\r\n"
                            "Vary: Accept-Encoding\r\n"
                            "Access-Control-Allow-Origin: *\r\n"
                            "X-Content-Type-Options: nosniff\r\n"
                            "Content-Length: 100\r\n"
                            "\r\n" BODY;

_Static_assert(sizeof(BODY) - 1 == 100, "the body is 100 bytes");

int
main(void)
{
#ifdef FLOOR_REDIS
	const char *url = getenv("MCP_REDIS"), *p = getenv("PATH_INFO"), *slug;
	struct timeval tv = {2, 0};
	redisContext *c;
	redisReply *r;

	if (url == NULL || strncmp(url, "unix://", 7) != 0 || p == NULL)
		return 1;
	slug = strrchr(p, '/') != NULL ? strrchr(p, '/') + 1 : p;
	c = redisConnectUnixWithTimeout(url + 7, tv);
	if (c == NULL || c->err)
		return 1;
	redisSetTimeout(c, tv);
	if ((r = redisCommand(c, "GET mcp:{%s}:verdict", slug)) == NULL)
		return 1;
	freeReplyObject(r);
	redisFree(c);
#endif
	return write(1, reply, sizeof(reply) - 1) == (ssize_t)(sizeof(reply) - 1) ? 0 : 1;
}
