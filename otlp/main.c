/*
 * mcp-otlp - pass mcp-probe's records on unchanged, and send each probe
 * to an OpenTelemetry collector as a trace, and the records' metrics
 * (OTLP/HTTP, protobuf, gzip).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "mcp.h"
#include "otlp.h"
#include "otlpconf.h"
#include "rec.h"
#include "version.h"

static _Noreturn void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: mcp-otlp [-e url] [-H 'name: value'] [--header-file file] [-m bytes]\n"
	    "           [-s spool] [-t seconds] [-w seconds] [--cacert file] [--no-metrics]\n"
	    "           [--no-traces]\n"
	    "See mcp-otlp(1) for the manual.\n");
	if (f == stdout && mcp_rec_close_stdout() == -1)
		status = MCP_EXIT_FAIL;
	exit(status);
}

/* What is wrong (ch '?': an unknown option, ':' one without its value, 1 a word), the usage; exit 2. */
static _Noreturn void
usage_err(int ch, const char *word)
{
	const char *why = ch == ':' ? "needs an argument"
	    : ch == '?'             ? "unknown option"
	                            : "unexpected argument";

	if (ch == 1 || (word[0] == '-' && word[1] == '-'))
		warnx("%.*s: %s", ch == 1 ? (int)strlen(word) : (int)strcspn(word, "="), word, why);
	else
		warnx("-%c: %s", optopt, why);
	usage(stderr, MCP_EXIT_USAGE);
}

struct opts {
	const char *endpoint, *header_file, *spool, *cacert;
	struct curl_slist *headers; /* -H */
	size_t max;
	double timeout, linger;
	int traces, metrics; /* on */
	int cumulative;      /* the metrics' temporality */
};

/* What the record loop's callback needs. */
struct ctx {
	struct otlp_traces *traces;
	struct otlp_queue *q;  /* traces, or NULL when they are off */
	struct otlp_queue *mq; /* metrics, or NULL */
	struct otlp_metrics *metrics;
	const struct otlp_res *res;
	struct mcp_buf frame;
	double every;       /* seconds between two exports of the metrics */
	double next_export; /* monotonic */
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

/* The metrics of the interval to their queue; a new interval begins. */
static void
export_metrics(struct ctx *c)
{
	int n;

	c->next_export = mcp_mono() + c->every;
	if (c->metrics == NULL)
		return;
	mcp_buf_reset(&c->frame);
	if (otlp_metrics_export(c->metrics, c->res, mcp_now(), &c->frame, &n) == -1) {
		warnx("metrics: out of memory");
		c->bad = 1;
	} else if (n > 0) {
		otlp_queue_push(c->mq, c->frame.p, c->frame.len, (uint32_t)n);
	}
}

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
	if (rc == 1 && c->q != NULL)
		otlp_queue_push(c->q, c->frame.p, c->frame.len, (uint32_t)n);
	if (otlp_metrics_rec(c->metrics, rec, mcp_now()) == -1) {
		warnx("stdin:%ld: metrics: out of memory", lineno);
		c->bad = 1;
	}
	if (c->metrics != NULL && otlp_metrics_due(c->metrics))
		export_metrics(c);
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

/*
 * The two senders (either may be NULL) moved on.  One, the lead, waits
 * for fd (or for its own transfer) up to ms; they have a libcurl multi
 * each, so while the other has work too the wait is cut to STEP_SHARED
 * ms and the other is moved on without waiting.
 */
#define STEP_SHARED 50

static int
step(struct otlp_sender *s[2], int fd, int ms, char *why, size_t len)
{
	int lead = s[0] != NULL && (fd >= 0 || otlp_sender_busy(s[0]) || s[1] == NULL) ? 0 : 1;
	struct otlp_sender *other = s[1 - lead];

	if (other != NULL && otlp_sender_busy(other)) {
		if (ms > STEP_SHARED)
			ms = STEP_SHARED;
		if (otlp_sender_step(other, -1, 0, why, len) == -1)
			return -1;
	}
	return otlp_sender_step(s[lead], fd, ms, why, len);
}

static int
busy(struct otlp_sender *s[2])
{
	return (s[0] != NULL && otlp_sender_busy(s[0])) || (s[1] != NULL && otlp_sender_busy(s[1]));
}

/* Seconds before either busy sender may try again: the lesser wait. */
static double
wait_of(struct otlp_sender *s[2])
{
	double w = -1, v;
	int i;

	for (i = 0; i < 2; i++) {
		if (s[i] == NULL || !otlp_sender_busy(s[i]))
			continue;
		v = otlp_sender_wait(s[i]);
		if (w < 0 || v < w)
			w = v;
	}
	return w < 0 ? 0 : w;
}

/* The records on, traces and metrics out while stdin lasts, then up to -w seconds more. */
static int
pump(struct otlp_sender *s[2], struct ctx *c, const struct opts *o)
{
	struct mcp_lines l = {0};
	struct mcp_loop_stats st = {0};
	char why[256];
	double end;
	int rc = 0, left;

	fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
	c->next_export = mcp_mono() + c->every;
	while (!stopping && (rc = pass(&l, c, &st)) == 0) {
		if (mcp_mono() >= c->next_export)
			export_metrics(c);
		if (step(s, STDIN_FILENO, 1000, why, sizeof(why)) == -1) {
			warnx("%s", why);
			break;
		}
	}
	if (rc == 1 || stopping)
		export_metrics(c);
	mcp_lines_free(&l);
	/* The reader of stdout has all of it: it need not wait for the collector. */
	if (rc == 1 && mcp_rec_close_stdout() == -1)
		rc = -1;
	if (st.bad > 0)
		c->bad = 1;
	end = mcp_mono() + o->linger;
	while (rc == 1 && !stopping && busy(s) && mcp_mono() < end) {
		left = (int)((end - mcp_mono()) * 1000) + 1;
		if (wait_of(s) * 1000 >= left)
			break;
		if (step(s, -1, left, why, sizeof(why)) == -1) {
			warnx("%s", why);
			break;
		}
	}
	return rc == -1 ? -1 : 0;
}

/* A line on stderr when anything went astray: counts, never a secret. */
static int
report(const char *what, const struct otlp_stats *st, const struct otlp_queue *q, long evicted,
    long unsent_t, long unsent_s)
{
	int tr = strcmp(what, "traces") == 0;
	long dt = q->dropped_traces + st->refused_traces + unsent_t + evicted;
	long ds = q->dropped_spans + st->refused_spans + unsent_s;

	if (st->failures == 0 && dt == 0 && (q->fd == -1 || q->frames == 0))
		return 0;
	warnx("%s: %ld sent (%ld %s), %ld spooled, %ld dropped (%ld %s; %ld past the "
	      "spool's bound, %ld refused, %ld unsent, %ld %s)%s%s",
	    what, st->sent_traces, st->sent_spans, tr ? "spans" : "points",
	    q->fd != -1 ? q->frames : 0, dt, ds, tr ? "spans" : "points", q->dropped_traces,
	    st->refused_traces, unsent_t, evicted, tr ? "never ended" : "series past the bound",
	    st->last_error[0] ? ": last error: " : "", st->last_error);
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
headers_of(const struct opts *o, const char *var, struct curl_slist **h, char *why, size_t len)
{
	const char *env = getenv(var);
	const struct curl_slist *f;
	char w[400];

	if (env == NULL)
		var = "OTEL_EXPORTER_OTLP_HEADERS", env = getenv(var);
	if (otlp_headers_env(h, env, w, sizeof(w)) == -1)
		return snprintf(why, len, "%s: %s", var, w), -1;
	if (o->header_file != NULL && otlp_headers_file(h, o->header_file, w, sizeof(w)) == -1)
		return snprintf(why, len, "header file %s: %s", o->header_file, w), -1;
	for (f = o->headers; f != NULL; f = f->next)
		if (otlp_header_add(h, f->data) == -1) {
			snprintf(why, len, "-H: want 'name: value'");
			return -1;
		}
	return 0;
}

/* OTEL_METRIC_EXPORT_INTERVAL, milliseconds, in seconds; 60 when unset or out of bounds. */
static double
env_interval(void)
{
	const char *v = getenv("OTEL_METRIC_EXPORT_INTERVAL");
	double ms;

	if (v == NULL || (ms = mcp_parse_seconds(v)) < 1000 || ms > 86400e3)
		return 60;
	return ms / 1000;
}

/* Start one signal's queue and sender: 0, or -1 for no memory. */
static int
start(const char *spool, const struct opts *o, struct otlp_queue *q, struct otlp_conf *conf,
    struct otlp_sender **s)
{
	char why[512];
	int rc;

	if ((rc = otlp_queue_open(q, spool, o->max, why, sizeof(why))) != 0)
		warnx("%s%s", why, rc == -1 ? ": kept in memory only" : "");
	return (*s = otlp_sender_new(conf, q)) == NULL ? -1 : 0;
}

/* One signal's end: its counts, what is left spooled.  -1 when anything was lost. */
static int
finish(const char *what, struct otlp_sender *s, struct otlp_queue *q, long lost)
{
	struct otlp_stats st = *otlp_sender_stats(s);
	const struct otlp_frame *f;
	long ut = 0, us = 0;
	char why[512];
	int fail = 0;

	otlp_sender_free(s); /* a request still in flight leaves its frames queued */
	for (f = q->head; q->fd == -1 && f != NULL; f = f->next) {
		ut++;
		us += f->spans;
	}
	if (report(what, &st, q, lost, ut, us) == -1)
		fail = 1;
	if (otlp_queue_close(q, why, sizeof(why)) == -1) {
		warnx("%s", why);
		fail = 1;
	}
	return fail ? -1 : 0;
}

static int
send_all(const struct opts *o, struct otlp_conf conf[2], const struct otlp_res *res)
{
	struct otlp_queue q[2];
	struct otlp_traces *t = otlp_traces_new(PROBES_MAX);
	struct otlp_sender *s[2] = {NULL, NULL};
	struct ctx c = {.res = res, .traces = t, .every = env_interval()};
	char *mspool = NULL;
	int fail = 0;

	if (o->spool != NULL && asprintf(&mspool, "%s.metrics", o->spool) == -1)
		mspool = NULL;
	if (t == NULL || (o->spool != NULL && mspool == NULL) ||
	    (o->traces && start(o->spool, o, &q[0], &conf[0], &s[0]) == -1) ||
	    (o->metrics &&
	        (start(mspool, o, &q[1], &conf[1], &s[1]) == -1 ||
	            (c.metrics = otlp_metrics_new(o->cumulative, mcp_now())) == NULL)))
		err(MCP_EXIT_FAIL, "cannot start");
	c.q = o->traces ? &q[0] : NULL;
	c.mq = o->metrics ? &q[1] : NULL;
	otlp_traces_observe(t, c.metrics);
	fail = pump(s, &c, o) == -1;
	if (o->traces && finish("traces", s[0], &q[0], c.evicted) == -1)
		fail = 1;
	if (o->metrics && finish("metrics", s[1], &q[1], otlp_metrics_dropped(c.metrics)) == -1)
		fail = 1;
	otlp_metrics_free(c.metrics);
	otlp_traces_free(t);
	mcp_buf_free(&c.frame);
	free(mspool);
	return fail || c.bad ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

/* An exporter's variable set to "none" turns its signal off. */
static int
exporter_on(const char *var)
{
	const char *v = getenv(var);

	return v == NULL || strcmp(v, "none") != 0;
}

/* A signal's endpoint, headers and certificate; 0, or -1 with why. */
static int
conf_of(const struct opts *o, struct otlp_conf *conf, const char *sig, char *why, size_t len)
{
	char var[64];

	snprintf(var, sizeof(var), "OTEL_EXPORTER_OTLP_%s_CERTIFICATE", sig);
	if (conf->cacert == NULL)
		conf->cacert = getenv(var);
	if (conf->cacert == NULL)
		conf->cacert = getenv("OTEL_EXPORTER_OTLP_CERTIFICATE");
	snprintf(var, sizeof(var), "OTEL_EXPORTER_OTLP_%s_HEADERS", sig);
	return headers_of(o, var, &conf->headers, why, len);
}

static int
run(struct opts *o)
{
	struct otlp_conf conf[2] = {
	    {.timeout = o->timeout, .batch = 4 << 20, .cacert = o->cacert, .what = "traces"},
	    {.timeout = o->timeout, .batch = 4 << 20, .cacert = o->cacert, .what = "metrics"}};
	struct otlp_res res = {0};
	char why[512], host[256];
	char *url = otlp_endpoint(o->endpoint, "TRACES", "/v1/traces");
	char *murl = otlp_endpoint(NULL, "METRICS", "/v1/metrics");
	int rc = MCP_EXIT_USAGE;

	o->traces = o->traces && exporter_on("OTEL_TRACES_EXPORTER");
	o->metrics = o->metrics && exporter_on("OTEL_METRICS_EXPORTER") && murl != NULL;
	if (o->traces && url == NULL)
		warnx("no endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT or give -e");
	else if (!o->traces && !o->metrics)
		warnx("traces and metrics both off");
	else if (conf_of(o, &conf[0], "TRACES", why, sizeof(why)) == -1 ||
	    conf_of(o, &conf[1], "METRICS", why, sizeof(why)) == -1)
		warnx("%s", why);
	else if (resource_of(&res, host, sizeof(host), why, sizeof(why)) == -1)
		warnx("OTEL_RESOURCE_ATTRIBUTES: %s", why);
	else if (mcp_curl_init() != 0)
		warnx("cannot start libcurl");
	else
		rc = -1;
	if (rc == MCP_EXIT_USAGE) {
		warnx("records passed on, nothing sent");
		pass_only();
	} else {
		conf[0].url = url;
		conf[1].url = murl;
		rc = send_all(o, conf, &res);
	}
	otlp_headers_free(conf[0].headers);
	otlp_headers_free(conf[1].headers);
	if (res.attrs != NULL)
		resource_free(&res);
	free(url);
	free(murl);
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
	    {"no-metrics", no_argument, NULL, 'N'}, {"no-traces", no_argument, NULL, 'n'},
	    {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	const char *tp = getenv("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE");
	struct opts o = {.max = 64 << 20,
	    .timeout = env_timeout(),
	    .linger = 5,
	    .traces = 1,
	    .metrics = 1,
	    .cumulative = tp != NULL && strcasecmp(tp, "cumulative") == 0};
	char *end;
	unsigned long long m;
	int ch, rc;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":e:H:m:s:t:w:hV", longopts, NULL)) != -1) {
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
		case 'N':
			o.metrics = 0;
			break;
		case 'n':
			o.traces = 0;
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
		case 'V':
			printf("%s %s\n", program_invocation_short_name, MCP_VERSION);
			return mcp_rec_close_stdout() == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
		default:
			usage_err(ch, argv[optind - 1]);
		}
	}
	if (optind != argc)
		usage_err(1, argv[optind]);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	rc = run(&o);
	otlp_headers_free(o.headers);
	return rc;
}
