/*
 * mcp-serve - the read side of mcp-uptime over HTTP: the status API,
 * Prometheus text and badges, as a CGI program (RFC 3875) or, when its
 * standard input is a listening socket, a FastCGI responder that keeps its
 * store connection between requests.  Same routes, same bytes either way.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "version.h"
#include "mcp.h"
#include "notices.h"
#include "serve.h"

static const char *prog = "mcp-serve";
/*
 * Why the configuration file cannot be used ("FILE:LINE: why"), or "":
 * every request is then answered 500 and the reason logged, rather than
 * served with a part of the file, or none of it.
 */
static char conf_err[512];

/* Where a request's parameters come from: the environment, or FastCGI's. */
struct source {
	FCGX_ParamArray envp; /* NULL in CGI mode */
	FCGX_Stream *err;
	FCGX_Stream *in; /* the body, FastCGI; NULL: standard input */
};

static const char *
param(const struct source *src, const char *name)
{
	if (src->envp != NULL)
		return FCGX_GetParam(name, src->envp);
	return getenv(name);
}

static void
log_cgi(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s: %s\n", prog, msg);
}

static void
log_fcgi(void *arg, const char *msg)
{
	struct source *src = arg;

	if (src->err != NULL)
		FCGX_FPrintF(src->err, "%s: %s\n", prog, msg);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
}

void
serve_log(struct conn *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->log(c->logarg, msg);
}

/* MCP_NOW of the request (tests, replays), bounded; else mcp_now(). */
static double
now_of(const struct source *src)
{
	double t = serve_time(param(src, "MCP_NOW"));

	return t >= 0 ? t : mcp_now();
}

/*
 * The route: PATH_INFO when the server sets one (already decoded), else
 * the path of REQUEST_URI, decoded here.  0, or -1 when neither gives a
 * path that can be routed (a NUL, a bad escape): the answer is 404.
 */
static int
route_of(const struct source *src, char *out, size_t len)
{
	const char *pi = param(src, "PATH_INFO"), *uri;
	size_t n;

	if (pi != NULL && *pi != '\0') {
		if (strlen(pi) >= len)
			return -1;
		memcpy(out, pi, strlen(pi) + 1);
		return 0;
	}
	if ((uri = param(src, "REQUEST_URI")) == NULL || *uri == '\0')
		uri = "/";
	n = strcspn(uri, "?#");
	return serve_decode_path(uri, n, out, len);
}

/* 500, a generic body: the reason is in the web server's log only. */
static void
misconfigured(struct conn *c, const struct source *src, struct resp *r)
{
	static const char body[] = "{\"error\":\"server misconfigured\"}";
	const char *m = param(src, "REQUEST_METHOD");

	serve_log(c, "%s", conf_err);
	r->status = 500;
	if (mcp_buf_addf(&r->head,
	        "Status: 500 Internal Server Error\r\n"
	        "Content-Type: application/json; charset=utf-8\r\n"
	        "Content-Length: %zu\r\nCache-Control: no-store\r\n\r\n",
	        sizeof(body) - 1) == 0 &&
	    (m == NULL || strcmp(m, "HEAD") != 0))
		mcp_buf_add(&r->body, body, sizeof(body) - 1);
}

/* CONTENT_LENGTH: the bytes of the body declared, or -1 when none or malformed. */
static long
content_length(const struct source *src)
{
	const char *cl = param(src, "CONTENT_LENGTH");
	char *end;
	long n;

	if (cl == NULL || *cl < '0' || *cl > '9')
		return -1;
	errno = 0;
	n = strtol(cl, &end, 10);
	return *end != '\0' || errno != 0 ? -1 : n;
}

/*
 * The body of a POST whose declared length is at most SUB_BODY_MAX, read
 * whole into buf and NUL-terminated: 0, or -1 (cut short, or not read:
 * a longer body is refused on its length, before a byte of it is read).
 */
static int
read_body(const struct source *src, long clen, char *buf)
{
	long n = 0;
	ssize_t k;
	int g;

	if (clen < 0 || clen > SUB_BODY_MAX)
		return -1;
	while (n < clen) {
		if (src->in != NULL) {
			if ((g = FCGX_GetStr(buf + n, (int)(clen - n), src->in)) <= 0)
				break;
			n += g;
		} else if ((k = read(0, buf + n, (size_t)(clen - n))) > 0)
			n += k;
		else if (k == -1 && errno == EINTR)
			continue;
		else
			break;
	}
	buf[n] = '\0';
	return n == clen ? 0 : -1;
}

/* The request's headers that the subscription routes check, and its body. */
static void
post_params(const struct source *src, struct req *q, char *body)
{
	q->clen = content_length(src);
	q->ctype = param(src, "CONTENT_TYPE");
	q->origin = param(src, "HTTP_ORIGIN");
	q->referer = param(src, "HTTP_REFERER");
	q->fetch_site = param(src, "HTTP_SEC_FETCH_SITE");
	q->host = param(src, "HTTP_HOST");
	q->port = param(src, "SERVER_PORT");
	q->remote = param(src, "REMOTE_ADDR");
	q->accept = param(src, "HTTP_ACCEPT");
	q->mcp_version = param(src, "HTTP_MCP_PROTOCOL_VERSION");
	q->mcp_method = param(src, "HTTP_MCP_METHOD");
	q->mcp_name = param(src, "HTTP_MCP_NAME");
	q->auth = param(src, "HTTP_AUTHORIZATION");
	q->server_addr = param(src, "SERVER_ADDR");
	if (strcmp(q->method, "POST") == 0 && read_body(src, q->clen, body) == 0) {
		q->body = body;
		q->body_len = (size_t)q->clen;
	}
}

static void
answer(struct conn *c, const struct source *src, struct resp *r)
{
	static char body[SUB_BODY_MAX + 1];
	struct req q = {0};
	const char *m = param(src, "REQUEST_METHOD");

	if (conf_err[0] != '\0') {
		misconfigured(c, src, r);
		return;
	}
	q.method = m != NULL ? m : "GET";
	q.head = strcmp(q.method, "HEAD") == 0;
	q.query = param(src, "QUERY_STRING");
	if (q.query == NULL)
		q.query = "";
	q.inm = param(src, "HTTP_IF_NONE_MATCH");
	q.now = now_of(src);
	if (route_of(src, q.path, sizeof(q.path)) == -1)
		strcpy(q.path, "/\x01"); /* routes nowhere: 404 */
	post_params(src, &q, body);
	serve_request(c, &q, r);
	explicit_bzero(body, sizeof(body));
}

/*
 * The store URL of this request: MCP_REDIS of the request (a CGI program's
 * environment, or a FastCGI parameter), else of the responder's own
 * environment, else the config file's store line, else the default.  A
 * change (FastCGI) opens a new link.
 */
static void
pick_store(struct conn *c, const struct source *src)
{
	const char *u = param(src, "MCP_REDIS");

	if (u == NULL || *u == '\0')
		u = getenv("MCP_REDIS");
	if (u == NULL || *u == '\0')
		u = serve_conf_store();
	u = mcp_store_url_choose(u);
	if (c->st != NULL && strcmp(c->url, u) != 0) {
		mcp_store_close(c->st);
		c->st = NULL;
	}
	if (strlen(u) >= sizeof(c->url))
		u = "";
	memcpy(c->url, u, strlen(u) + 1);
}

/*
 * Read and drop a request body (a POST answered 405), at most 1 MiB: a
 * CGI program that exits before its body is written makes fcgiwrap answer
 * 502 instead of the program's answer (seen under load).  A body larger
 * than that, or a read error, is left: the answer goes out all the same.
 */
static void
drain_body(void)
{
	const char *cl = getenv("CONTENT_LENGTH");
	char buf[8192], *end;
	unsigned long left;
	ssize_t n;

	if (cl == NULL || *cl < '0' || *cl > '9')
		return;
	left = strtoul(cl, &end, 10);
	if (*end != '\0' || left > 1048576)
		return;
	while (left > 0 && (n = read(0, buf, left < sizeof(buf) ? left : sizeof(buf))) > 0)
		left -= (unsigned long)n;
}

/*
 * The head and the body to standard output in one writev, not through
 * stdio (which would allocate its buffer and ask what the descriptor is
 * first), the body's further parts (/metrics) in a writev of their own:
 * 0, or -1 and errno.
 */
static int
write_out(const struct resp *r)
{
	struct iovec v[16];
	size_t i = 0, n;

	if (mcp_write_two(1, r->head.p, r->head.len, r->body.p, r->body.len) == -1)
		return -1;
	while (i < r->nmore) {
		for (n = 0; n < sizeof(v) / sizeof(v[0]) && i < r->nmore; i++, n++)
			v[n] = (struct iovec){r->more[i].p, r->more[i].len};
		if (mcp_writev_all(1, v, (int)n) == -1)
			return -1;
	}
	return 0;
}

static int
run_cgi(struct conn *c)
{
	struct source src = {0};
	struct resp r = {0};
	const char *m = getenv("REQUEST_METHOD");
	int rc = MCP_EXIT_OK, post = m != NULL && strcmp(m, "POST") == 0;
	long clen = content_length(&src);

	c->log = log_cgi;
	/* A POST's body is the answer's to read; a body too long is drained after it. */
	if (!post)
		drain_body();
	pick_store(c, &src);
	answer(c, &src, &r);
	if (write_out(&r) == -1) {
		fprintf(stderr, "%s: write stdout: %s\n", prog, strerror(errno));
		rc = MCP_EXIT_FAIL;
	}
	serve_resp_free(&r);
	if (post && clen > SUB_BODY_MAX) {
		close(1);
		drain_body();
	}
	return rc;
}

static int
run_fcgi(struct conn *c)
{
	FCGX_Request rq;
	struct source src = {0};
	size_t i;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&rq, 0, 0) != 0) {
		fprintf(stderr, "%s: FastCGI: cannot initialise\n", prog);
		return MCP_EXIT_FAIL;
	}
	c->log = log_fcgi;
	c->logarg = &src;
	c->fcgi = 1;
	while (FCGX_Accept_r(&rq) >= 0) {
		struct resp r = {0};

		src.envp = rq.envp;
		src.err = rq.err;
		src.in = rq.in;
		pick_store(c, &src);
		answer(c, &src, &r);
		/* A client gone away is its loss, not the responder's. */
		if (FCGX_PutStr(r.head.p, (int)r.head.len, rq.out) >= 0 && r.body.len > 0)
			FCGX_PutStr(r.body.p, (int)r.body.len, rq.out);
		for (i = 0; i < r.nmore; i++)
			if (FCGX_PutStr(r.more[i].p, (int)r.more[i].len, rq.out) < 0)
				break;
		serve_resp_free(&r);
		FCGX_Finish_r(&rq);
		src.envp = NULL;
		src.err = NULL;
	}
	return MCP_EXIT_OK;
}

/* The usage (check's alone for check -h), the manual: on stdout, exit 0; else stderr, exit 2. */
static _Noreturn void
usage(FILE *to, int check)
{
	if (check)
		fprintf(to, "usage: %s check [-c FILE]\n", prog);
	else
		fprintf(to, "usage: %s\n       %s check [-c FILE]\n       %s -h | -V\n", prog, prog,
		    prog);
	fprintf(to, "See mcp-serve(8) for the manual.\n");
	if (to == stderr)
		exit(MCP_EXIT_USAGE);
	exit(fflush(stdout) == EOF || ferror(stdout) ? MCP_EXIT_FAIL : MCP_EXIT_OK);
}

/* What is wrong with the words (why), before the usage; exit 2. */
static _Noreturn void
usage_err(int check, const char *word, const char *why)
{
	fprintf(stderr, "%s: %s%.*s: %s\n", prog, check ? "check: " : "", (int)strcspn(word, "="),
	    word, why);
	usage(stderr, check);
}

/* The option getopt refused: '?' not known, ':' without its value. */
static _Noreturn void
bad_option(int check, int ch, const char *word)
{
	char opt[3] = {'-', (char)optopt, '\0'};

	usage_err(
	    check, word[1] == '-' ? word : opt, ch == ':' ? "needs an argument" : "unknown option");
}

/*
 * mcp-serve -h, -V, check [-c FILE]: from a shell, never from a request
 * (a CGI request's argv can hold words of its query: RFC 3875 4.4).
 * check reads the file (-c, else MCP_SERVE_CONF) and the store URL it
 * would use (MCP_REDIS, else the file's store line, else the default),
 * as a request would: silent and 0, or the first problem and 2.
 */
static int
command(int argc, char *argv[])
{
	static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	static const struct option checkopts[] = {
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *conf = getenv("MCP_SERVE_CONF"), *u;
	char err[512];
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, 0);
		case 'V':
			printf("%s %s\n", prog, MCP_VERSION);
			return MCP_EXIT_OK;
		default:
			bad_option(0, ch, argv[optind - 1]);
		}
	}
	argc -= optind, argv += optind;
	if (argc == 0)
		usage(stderr, 0);
	if (strcmp(argv[0], "check") != 0)
		usage_err(0, argv[0], "unknown command");
	optind = 0;
	while ((ch = getopt_long(argc, argv, "+:c:h", checkopts, NULL)) != -1) {
		if (ch == 'h')
			usage(stdout, 1);
		if (ch != 'c')
			bad_option(1, ch, argv[optind - 1]);
		conf = optarg;
	}
	if (optind != argc)
		usage_err(1, argv[optind], "unexpected argument");
	if (conf != NULL && *conf != '\0' && serve_conf_load(conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return MCP_EXIT_USAGE;
	}
	if ((u = getenv("MCP_REDIS")) == NULL || *u == '\0')
		u = serve_conf_store();
	if (mcp_store_url_check(u, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return MCP_EXIT_USAGE;
	}
	return MCP_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct conn c = {0};
	const char *conf;
	int rc;

	if (argc > 0 && argv[0] != NULL && strrchr(argv[0], '/') != NULL)
		prog = strrchr(argv[0], '/') + 1;
	else if (argc > 0 && argv[0] != NULL && *argv[0] != '\0')
		prog = argv[0];
	if (argc > 1 && getenv("GATEWAY_INTERFACE") == NULL)
		return command(argc, argv);
	/* A client that hangs up is an error to report, not a signal to die of. */
	signal(SIGPIPE, SIG_IGN);
	if ((conf = getenv("MCP_SERVE_CONF")) != NULL && *conf != '\0')
		serve_conf_load(conf, conf_err, sizeof(conf_err));
	rc = mcp_stdin_is_fcgi() ? run_fcgi(&c) : run_cgi(&c);
	if (c.st != NULL)
		mcp_store_close(c.st);
	return rc;
}
