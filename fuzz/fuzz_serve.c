/*
 * fuzz_serve.c - what mcp-serve reads from a client and from the store:
 * the request (method, path, query, If-None-Match) answered whole by
 * serve_request, and a stored verdict record, result value and tool hash
 * value read as the routes read them.
 *
 * The input is cut at 0xFF bytes into up to seven fields: method, path,
 * query, If-None-Match, verdict JSON, a res:W value, a hash value.  The
 * request is answered against a store that is not there (every store read
 * fails, so each route ends in its 503 or in the 400/404/405 it decides
 * before reading), and the answer must be well formed whatever the
 * client sent: a header block of printable CRLF lines ending in an empty
 * one (no client byte can add a header or end the block), a known status,
 * a body only where one is allowed (the subscription routes may refuse
 * with a status of their own; their 405 allows POST).  The summary of the
 * verdict must give one of the four states and five fields that parse as
 * JSON with exactly those keys.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>

#include "fuzz.h"
#include "../lib/json.h"
#include "../serve/serve.h"

/* list.c's static parsers, for the stored values. */
#include "../serve/list.c"

void
serve_log(struct conn *c, const char *fmt, ...)
{
	(void)c;
	(void)fmt;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

/* The header block: CRLF lines, printable, ending in an empty line. */
static void
check_head(const struct resp *r)
{
	const char *h = r->head.p, *end;
	size_t n = r->head.len;

	FUZZ_CHECK(h != NULL && n >= 4 && memcmp(h + n - 4, "\r\n\r\n", 4) == 0);
	FUZZ_CHECK(strncmp(h, "Status: ", 8) == 0);
	FUZZ_CHECK(strlen(h) == n);
	for (; *h != '\0'; h = end + 2) {
		end = strstr(h, "\r\n");
		FUZZ_CHECK(end != NULL);
		for (const char *p = h; p < end; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	}
}

static void
check_request(char **f, int nf)
{
	struct conn c = {0};
	struct req q = {0};
	struct resp r;
	int sub, mcp;

	snprintf(c.url, sizeof(c.url), "unix:///nonexistent/fuzz.sock");
	q.method = nf > 0 ? f[0] : "GET";
	q.head = strcmp(q.method, "HEAD") == 0;
	q.query = nf > 2 ? f[2] : "";
	q.inm = nf > 3 ? f[3] : NULL;
	q.now = 1795536100;
	if (nf < 2 || serve_decode_path(f[1], strlen(f[1]), q.path, sizeof(q.path)) == -1)
		strcpy(q.path, "/");
	FUZZ_CHECK(strlen(q.path) < sizeof(q.path));
	serve_request(&c, &q, &r);
	check_head(&r);
	/* The subscription routes (serve/subscribe.c) answer their own refusals. */
	sub = strcmp(q.path, "/subscribe") == 0 || strcmp(q.path, "/subscribe/confirm") == 0 ||
	    strcmp(q.path, "/unsubscribe") == 0;
	mcp = strcmp(q.path, "/mcp") == 0;
	FUZZ_CHECK(r.status == 200 || r.status == 304 || r.status == 400 || r.status == 404 ||
	    r.status == 405 || r.status == 503 ||
	    (mcp && (r.status == 202 || r.status == 401 || r.status == 406)) ||
	    ((sub || mcp) &&
	        (r.status == 403 || r.status == 410 || r.status == 411 || r.status == 413 ||
	            r.status == 415 || r.status == 429)));
	if (q.head || r.status == 304)
		FUZZ_CHECK(r.body.len == 0);
	/* /mcp takes POST only: no stream to hold (serve/mcp.c). */
	if (r.status == 405)
		FUZZ_CHECK(strstr(r.head.p,
		               mcp       ? "\r\nAllow: POST\r\n"
		                   : sub ? "\r\nAllow: GET, HEAD, POST\r\n"
		                         : "\r\nAllow: GET, HEAD\r\n") != NULL);
	if (r.status == 503)
		FUZZ_CHECK(strstr(r.head.p, "\r\nCache-Control: no-store\r\n") != NULL);
	serve_resp_free(&r);
	if (c.st != NULL)
		mcp_store_close(c.st);
}

static void
check_summary(const char *verdict)
{
	redisReply v = {0};
	struct summary s;
	struct mcp_buf b = {0};
	const char *why;
	cJSON *j;
	int n = 0;

	v.type = REDIS_REPLY_STRING;
	v.str = (char *)verdict;
	v.len = strlen(verdict);
	serve_summary(&v, NULL, 1795536100, &s, 0);
	FUZZ_CHECK(s.state <= ST_DOWN);
	FUZZ_CHECK(s.state == ST_PENDING || s.has_verdict);
	FUZZ_CHECK(serve_summary_json(&b, &s, 1795536100) == 0);
	j = mcp_json_parse(b.p, b.len, &why);
	FUZZ_CHECK(j != NULL && cJSON_IsObject(j));
	for (const cJSON *e = j->child; e != NULL; e = e->next)
		n++;
	FUZZ_CHECK(n == 5 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "state")));
	cJSON_Delete(j);
	mcp_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *f[7], *p = s;
	struct region g[2];
	int nf = 0;

	while (nf < 7) {
		f[nf++] = p;
		if ((p = memchr(p, 0xff, size - (size_t)(p - s))) == NULL)
			break;
		*p++ = '\0';
	}
	check_request(f, nf);
	if (nf > 4)
		check_summary(f[4]);
	memset(g, 0, sizeof(g));
	if (nf > 5) {
		parse_result(f[5], &g[0]);
		FUZZ_CHECK(g[0].letter == 0 || strchr("hab", g[0].letter) != NULL);
		FUZZ_CHECK(g[0].step[0] == '\0' || mcp_step_index(g[0].step) >= 0);
		FUZZ_CHECK(g[0].ms < 0 || g[0].ms <= 999999999);
	}
	if (nf > 6) {
		redisReply h = {0};

		h.type = REDIS_REPLY_STRING;
		h.str = f[6];
		h.len = strlen(f[6]);
		parse_hash(&h, 1795536100, &g[1]);
		strcpy(g[0].hash, "sha256:x");
		mark_differs(g, 2);
		FUZZ_CHECK(g[1].hash[0] == '\0' || g[0].differs == g[1].differs);
	}
	free(s);
	return 0;
}
