/*
 * mcp-otlp - pass mcp-probe's records on unchanged, and send each probe
 * to an OpenTelemetry collector as a trace (OTLP/HTTP, protobuf, gzip).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "mcp.h"
#include "otlp.h"
#include "otlpconf.h"
#include "rec.h"

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: mcp-otlp [-e url] [-H 'name: value'] [--header-file file] [-m bytes]\n"
	    "           [-s spool] [-t seconds] [-w seconds] [--cacert file]\n");
	if (f == stdout && mcp_rec_close_stdout() == -1)
		status = MCP_EXIT_FAIL;
	exit(status);
}

struct opts {
	const char *endpoint, *header_file, *spool, *cacert;
	struct curl_slist *headers; /* -H */
	size_t max;
	double timeout, linger;
};

/* What the record loop's callback needs. */
struct ctx {
	struct otlp_traces *traces;
	struct otlp_queue *q;
	const struct otlp_res *res;
	struct mcp_buf frame;
	long evicted;
	int bad;
};

/* SIGTERM or SIGINT: stop reading and sending, and keep the queue in the spool. */
static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

#define ATTRS_MAX 64
#define PROBES_MAX 4096

static int
on_record(cJSON *rec, long lineno, void *arg)
{
	struct ctx *c = arg;
	char why[128];
	int n, rc;

	mcp_buf_reset(&c->frame);
	rc = otlp_traces_add(c->traces, rec, c->res, &c->frame, &n, &c->evicted, why, sizeof(why));
	if (rc == -1) {
		warnx("stdin:%ld: %s", lineno, why);
		c->bad = 1;
		return 1;
	}
	if (rc == 1)
		otlp_queue_push(c->q, c->frame.p, c->frame.len, (uint32_t)n);
	return 0;
}

/*
 * Whatever stdin holds now, to stdout at once and to the record loop.
 * 1 at the end of stdin, 0 when it would block, -1 when a stream failed.
 */
static int
pass(struct mcp_lines *l, struct ctx *c, struct mcp_loop_stats *st)
{
	static char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (n == -1) {
			warn("read stdin");
			return -1;
		}
		if (n > 0 && mcp_write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
			return mcp_stdout_failed();
		mcp_lines_feed(l, buf, (size_t)n, n == 0, "stdin", on_record, c, st);
		if (n == 0)
			return 1;
	}
}

/* The records on, the traces out while stdin lasts, then up to -w seconds more. */
static int
pump(struct otlp_sender *s, struct ctx *c, const struct opts *o)
{
	struct mcp_lines l = {0};
	struct mcp_loop_stats st = {0};
	char why[256];
	double end;
	int rc = 0, left;

	fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
	while (!stopping && (rc = pass(&l, c, &st)) == 0) {
		if (otlp_sender_step(s, STDIN_FILENO, 1000, why, sizeof(why)) == -1) {
			warnx("%s", why);
			break;
		}
	}
	mcp_lines_free(&l);
	/* The reader of stdout has all of it: it need not wait for the collector. */
	if (rc == 1 && mcp_rec_close_stdout() == -1)
		rc = -1;
	if (st.bad > 0)
		c->bad = 1;
	end = mcp_mono() + o->linger;
	while (rc == 1 && !stopping && otlp_sender_busy(s) && mcp_mono() < end) {
		left = (int)((end - mcp_mono()) * 1000) + 1;
		if (otlp_sender_wait(s) * 1000 >= left)
			break;
		if (otlp_sender_step(s, -1, left, why, sizeof(why)) == -1) {
			warnx("%s", why);
			break;
		}
	}
	return rc == -1 ? -1 : 0;
}

/* A line on stderr when anything went astray: counts, never a secret. */
static int
report(const struct otlp_stats *st, const struct otlp_queue *q, long evicted, long unsent_t,
    long unsent_s)
{
	long dt = q->dropped_traces + st->refused_traces + unsent_t + evicted;
	long ds = q->dropped_spans + st->refused_spans + unsent_s;

	if (st->failures == 0 && dt == 0 && (q->fd == -1 || q->frames == 0))
		return 0;
	warnx("traces: %ld sent (%ld spans), %ld spooled, %ld dropped (%ld spans; %ld past the "
	      "spool's bound, %ld refused, %ld unsent, %ld never ended)%s%s",
	    st->sent_traces, st->sent_spans, q->fd != -1 ? q->frames : 0, dt, ds, q->dropped_traces,
	    st->refused_traces, unsent_t, evicted, st->last_error[0] ? ": last error: " : "",
	    st->last_error);
	return dt > 0 ? -1 : 0;
}

static int
resource_pair(const char *k, const char *v, void *arg)
{
	struct otlp_res *r = arg;

	if (r->nattrs >= ATTRS_MAX)
		return -1;
	if (strcmp(k, "service.name") == 0 || strcmp(k, "host.name") == 0) {
		/* OTEL_SERVICE_NAME outranks the attribute; the host's name gives way. */
		if (strcmp(k, "service.name") == 0 && getenv("OTEL_SERVICE_NAME") == NULL)
			r->service = strdup(v);
		if (strcmp(k, "host.name") == 0)
			r->host = strdup(v);
		return 0;
	}
	if ((r->attrs[2 * r->nattrs] = strdup(k)) == NULL ||
	    (r->attrs[2 * r->nattrs + 1] = strdup(v)) == NULL)
		return -1;
	r->nattrs++;
	return 0;
}

static int
resource_of(struct otlp_res *r, char *host, size_t hlen, char *why, size_t len)
{
	const char *sn = getenv("OTEL_SERVICE_NAME"), *ra = getenv("OTEL_RESOURCE_ATTRIBUTES");
	char *s;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if ((r->attrs = calloc(2 * ATTRS_MAX, sizeof(char *))) == NULL)
		return -1;
	if (ra != NULL && (s = strdup(ra)) != NULL) {
		rc = otlp_pairs(s, resource_pair, r, why, len);
		free(s);
	}
	if (sn != NULL && *sn != '\0')
		r->service = strdup(sn);
	if (r->service == NULL)
		r->service = strdup("mcp-uptime");
	if (r->host == NULL && gethostname(host, hlen) == 0) {
		host[hlen - 1] = '\0';
		r->host = strdup(host);
	}
	return rc;
}

static void
resource_free(struct otlp_res *r)
{
	size_t i;

	for (i = 0; i < 2 * r->nattrs; i++)
		free(r->attrs[i]);
	free(r->attrs);
	free((char *)r->service);
	free((char *)r->host);
}

/* Pass stdin on unchanged to the end: what a run with a bad configuration still does. */
static void
pass_only(void)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0 || (n == -1 && errno == EINTR))
		if (n > 0 && mcp_write_all(STDOUT_FILENO, buf, (size_t)n) == -1) {
			mcp_stdout_failed();
			return;
		}
}

static int
headers_of(const struct opts *o, struct curl_slist **h, char *why, size_t len)
{
	const char *env = getenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS");
	const struct curl_slist *f;

	if (env == NULL)
		env = getenv("OTEL_EXPORTER_OTLP_HEADERS");
	if (otlp_headers_env(h, env, why, len) == -1)
		return -1;
	if (o->header_file != NULL && otlp_headers_file(h, o->header_file, why, len) == -1)
		return -1;
	for (f = o->headers; f != NULL; f = f->next)
		if (otlp_header_add(h, f->data) == -1) {
			snprintf(why, len, "-H: want 'name: value'");
			return -1;
		}
	return 0;
}

static int
send_all(const struct opts *o, struct otlp_conf *conf, const struct otlp_res *res)
{
	struct otlp_queue q;
	struct otlp_traces *t = otlp_traces_new(PROBES_MAX);
	struct otlp_sender *s;
	struct otlp_stats st;
	struct ctx c = {.q = &q, .res = res, .traces = t};
	long ut = 0, us = 0;
	const struct otlp_frame *f;
	char why[512];
	int rc, fail = 0;

	if ((rc = otlp_queue_open(&q, o->spool, o->max, why, sizeof(why))) != 0)
		warnx("%s%s", why, rc == -1 ? ": traces kept in memory only" : "");
	if (t == NULL || (s = otlp_sender_new(conf, &q)) == NULL)
		err(MCP_EXIT_FAIL, "cannot start");
	fail = pump(s, &c, o) == -1;
	st = *otlp_sender_stats(s);
	otlp_sender_free(s); /* a request still in flight leaves its traces queued */
	for (f = q.head; q.fd == -1 && f != NULL; f = f->next) {
		ut++;
		us += f->spans;
	}
	if (report(&st, &q, c.evicted, ut, us) == -1)
		fail = 1;
	if (otlp_queue_close(&q, why, sizeof(why)) == -1) {
		warnx("%s", why);
		fail = 1;
	}
	otlp_traces_free(t);
	mcp_buf_free(&c.frame);
	return fail || c.bad ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

static int
run(const struct opts *o)
{
	struct otlp_conf conf = {.timeout = o->timeout, .batch = 4 << 20, .cacert = o->cacert};
	struct otlp_res res = {0};
	char why[512], host[256];
	char *url = otlp_endpoint(o->endpoint);
	int rc = MCP_EXIT_USAGE;

	if (conf.cacert == NULL)
		conf.cacert = getenv("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE");
	if (conf.cacert == NULL)
		conf.cacert = getenv("OTEL_EXPORTER_OTLP_CERTIFICATE");
	if (url == NULL)
		warnx("no endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT or give -e");
	else if (headers_of(o, &conf.headers, why, sizeof(why)) == -1)
		warnx("headers: %s", why);
	else if (resource_of(&res, host, sizeof(host), why, sizeof(why)) == -1)
		warnx("OTEL_RESOURCE_ATTRIBUTES: %s", why);
	else if (mcp_curl_init() != 0)
		warnx("cannot start libcurl");
	else
		rc = -1;
	if (rc == MCP_EXIT_USAGE) {
		warnx("records passed on, no traces sent");
		pass_only();
	} else {
		conf.url = url;
		rc = send_all(o, &conf, &res);
	}
	otlp_headers_free(conf.headers);
	if (res.attrs != NULL)
		resource_free(&res);
	free(url);
	return rc;
}

/* The OTLP timeout variables, in milliseconds; 10 s when unset. */
static double
env_timeout(void)
{
	const char *v = getenv("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT");
	double ms;

	if (v == NULL)
		v = getenv("OTEL_EXPORTER_OTLP_TIMEOUT");
	if (v == NULL || (ms = mcp_parse_seconds(v)) <= 0 || ms > 3600e3)
		return 10;
	return ms / 1000;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {{"header-file", required_argument, NULL, 'F'},
	    {"cacert", required_argument, NULL, 'A'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct opts o = {.max = 32 << 20, .timeout = env_timeout(), .linger = 5};
	char *end;
	unsigned long long m;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "e:H:m:s:t:w:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			o.endpoint = optarg;
			break;
		case 'H':
			if (otlp_header_add(&o.headers, optarg) == -1)
				errx(MCP_EXIT_USAGE, "-H: want 'name: value'");
			break;
		case 'F':
			o.header_file = optarg;
			break;
		case 'A':
			o.cacert = optarg;
			break;
		case 'm':
			errno = 0;
			m = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || m < 1024 || m > (1ULL << 30))
				errx(MCP_EXIT_USAGE, "-m %s: want bytes, 1024 to 1073741824",
				    optarg);
			o.max = (size_t)m;
			break;
		case 's':
			o.spool = optarg;
			break;
		case 't':
			if ((o.timeout = mcp_parse_seconds(optarg)) <= 0 || o.timeout > 3600)
				errx(MCP_EXIT_USAGE, "-t %s: want seconds, up to 3600", optarg);
			break;
		case 'w':
			o.linger = strcmp(optarg, "0") == 0 ? 0 : mcp_parse_seconds(optarg);
			if (o.linger < 0 || o.linger > 3600)
				errx(MCP_EXIT_USAGE, "-w %s: want seconds, up to 3600", optarg);
			break;
		case 'h':
			usage(stdout, MCP_EXIT_OK);
			break;
		default:
			usage(stderr, MCP_EXIT_USAGE);
		}
	}
	if (optind != argc)
		usage(stderr, MCP_EXIT_USAGE);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	rc = run(&o);
	otlp_headers_free(o.headers);
	return rc;
}
