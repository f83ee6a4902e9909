/*
 * cgi_floor - the least a CGI program can cost: the exec floor for mcp-serve
 *
 *	cgi_floor
 *
 * Run by a web server as a CGI program (RFC 3875), it answers every request
 * with the headers of mcp-serve's GET /api/embed-status/SLUG and a fixed
 * body of 100 bytes, in one write, and exits.  It reads nothing: no
 * environment, no store, no request.  Linked with libc alone (dynamic, as
 * mcp-serve is), so what it costs a web server is a fork, an exec, the
 * dynamic loader and libc: tests/bench/serve.sh compares mcp-serve with it.
 */
#include <unistd.h>

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
	return write(1, reply, sizeof(reply) - 1) == (ssize_t)(sizeof(reply) - 1) ? 0 : 1;
}
