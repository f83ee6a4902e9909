/*
 * mcp-probe - run the eight-step MCP probe against one server or a fleet
 * and print one JSON record per step and one result per target.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "addr.h"
#include "mcp.h"
#include "oauth.h"
#include "probe.h"
#include "rec.h"
#include "toolset.h"
#include "version.h"

/* --lock FILE: the lock read and checked (mcp-aggregate(1) writes it), or exit 2. */
static const struct mcp_lock *
read_lock(const char *path)
{
	static struct mcp_lock lk;
	struct mcp_buf b = {.max = 64 << 20};
	char chunk[65536], why[256], where[PATH_MAX + 300];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		err(MCP_EXIT_USAGE, "--lock %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (mcp_buf_add(&b, chunk, n) == -1)
			errx(MCP_EXIT_USAGE, "--lock %s: over 64 MiB", path);
	if (ferror(f))
		err(MCP_EXIT_USAGE, "--lock %s", path);
	fclose(f);
	if (mcp_lock_parse(b.p != NULL ? b.p : "", b.len, &lk, why, sizeof(why)) == -1) {
		mcp_lock_error(where, sizeof(where), path, &lk, why);
		errx(MCP_EXIT_USAGE, "--lock: %s", where);
	}
	mcp_buf_free(&b);
	return &lk;
}

static _Noreturn void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: mcp-probe -r region [-a json] [-C connect-to] [-c tool] [-d seconds]\n"
	    "           [-e era] [-H 'name: value'] [--header-file name:path] [-m bytes]\n"
	    "           [-s slug] [-T token-file] [-t seconds] [-w seconds] [-x condition]\n"
	    "           [--expect-secret condition] [--cacert file]\n"
	    "           [--redact-param name] [--oauth-client id] [--oauth-secret-file file]\n"
	    "           [--oauth-key-file file] [--oauth-assertion-file file]\n"
	    "           [--oauth-issuer url] [--oauth-scope scope] [--oauth-cache dir]\n"
	    "           [--canary url] [--traceparent] [--list-max bytes] [--card]\n"
	    "           [--as profile] [--lock file] [--readiness[=minutes]] url\n"
	    "       mcp-probe -r region -f targets-file [-n] [-d seconds] [-e era] [-j jobs]\n"
	    "           [-m bytes] [-t seconds] [-w seconds] [--cacert file]\n"
	    "           [--redact-param name] [--oauth-cache dir] [--canary url]\n"
	    "           [--guard-allow cidr] [--guard-deny cidr] [--guard-nat64 prefix]\n"
	    "           [--traceparent] [--list-max bytes] [--card] [--as profile]\n"
	    "           [--lock file] [--readiness[=minutes]]\n"
	    "See mcp-probe(1) for the manual.\n");
	if (f == stdout && mcp_rec_close_stdout() == -1)
		status = MCP_EXIT_FAIL;
	exit(status);
}

/* A usage error: what is wrong, then the usage on standard error; exit 2. */
static _Noreturn void __attribute__((format(printf, 1, 2))) usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	usage(stderr, MCP_EXIT_USAGE);
}

/* The option getopt refused (ch '?' unknown, ':' without its value), named. */
static _Noreturn void
bad_option(int ch, const char *word)
{
	const char *why = ch == ':' ? "needs an argument" : "unknown option";

	if (word[0] == '-' && word[1] == '-')
		usage_err("%.*s: %s", (int)strcspn(word, "="), word, why);
	usage_err("-%c: %s", optopt, why);
}

/* --redact-param names, at the most. */
#define REDACT_MAX 32
/* --guard-deny, --guard-allow and --guard-nat64 ranges, at the most, each. */
#define GUARD_MAX 64

static enum era
parse_era(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return ERA_AUTO;
	if (strcmp(s, "modern") == 0)
		return ERA_MODERN;
	if (strcmp(s, "legacy") == 0)
		return ERA_LEGACY;
	if (strcmp(s, "sse") == 0)
		return ERA_SSE;
	errx(MCP_EXIT_USAGE, "-e %s: want auto, modern, legacy or sse", s);
}

/*
 * Each target in flight holds up to four descriptors (the request, the
 * HTTP+SSE stream, an answer to a server request, a pooled connection):
 * raise the soft limit to the hard one and keep -j within four fifths of
 * it.  The fifth left is the stalled targets' (sched.c): a -j that took
 * every descriptor would leave a silent server none, and it would be
 * ended to make room as soon as it stalled, unjudged.  given: 0
 * for the default, 1 for -j, 2 for the default sized from the fleet; the
 * last two say so when they are lowered.
 */
static long
fit_jobs(long jobs, int given)
{
	struct rlimit rl;
	long fit;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return jobs;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	fit = rl.rlim_cur == RLIM_INFINITY ? jobs : ((long)rl.rlim_cur - 64) / 5;
	if (fit < 1)
		fit = 1;
	if (jobs > fit && given == 1)
		warnx("-j %ld: only %ld targets fit in %ld descriptors", jobs, fit,
		    (long)rl.rlim_cur);
	else if (jobs > fit && given == 2)
		warnx("the fleet wants %ld targets in flight: only %ld fit in %ld descriptors",
		    jobs, fit, (long)rl.rlim_cur);
	return jobs > fit ? fit : jobs;
}

/* Without -j: 256 in flight, or a twentieth of the fleet when that is more. */
#define JOBS_SHARE 20

static long
parse_size(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || v <= 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024, end++;
	return *end == '\0' && v <= 1024L * 1024 * 1024 ? v : -1;
}

/* --readiness=MINUTES, MCP_READINESS: 1 to 1440 (0 too from the environment: off). */
static long
readiness_of(const char *what, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < (what[0] == '-' ? 1 : 0) || v > 1440)
		errx(MCP_EXIT_USAGE, "%s%s: want minutes, %d to 1440", what, s, what[0] == '-');
	return v;
}

/* What the command line gives: the run's options and the one target. */
struct cmdline {
	struct opts o;
	struct mcp_target one;
	int readiness_given; /* --readiness, over MCP_READINESS */
	const char *file;
	const char *redact[REDACT_MAX];
	struct mcp_cidr deny[GUARD_MAX], allow[GUARD_MAX], nat64[GUARD_MAX];
	struct own own;
	int jobs_given;
};

/* The parser of a range: mcp_cidr_parse, or mcp_nat64_parse. */
typedef int range_parser(const char *, struct mcp_cidr *, char *, size_t);

/* --guard-deny, --guard-allow or --guard-nat64: one more range of v, of which n so far. */
static void
parse_range(const char *opt, range_parser *parse, const char *arg, struct mcp_cidr *v, size_t *n)
{
	char why[128];

	if (*n == GUARD_MAX)
		errx(MCP_EXIT_USAGE, "%s: at most %d ranges", opt, GUARD_MAX);
	if (parse(arg, &v[*n], why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s %s: %s", opt, arg, why);
	(*n)++;
}

static void
parse_long(struct cmdline *c, int ch, char *arg)
{
	char errbuf[512];

	switch (ch) {
	case 1001:
		c->one.oauth_assertion_file = arg;
		break;
	case 1002:
		c->o.oauth_cache = arg;
		break;
	case 1003:
		c->one.oauth_client = arg;
		break;
	case 1004:
		c->one.oauth_key_file = arg;
		break;
	case 1005:
		c->one.oauth_scope = arg;
		break;
	case 1006:
		c->one.oauth_secret_file = arg;
		break;
	case 1007:
		c->one.oauth_issuer = arg;
		break;
	case 1008:
		if (c->o.canary != NULL)
			errx(MCP_EXIT_USAGE, "--canary: one canary a run");
		if (strncmp(arg, "http://", 7) != 0 && strncmp(arg, "https://", 8) != 0)
			errx(MCP_EXIT_USAGE,
			    "--canary: the URL must start with http:// or https://");
		c->o.canary = arg;
		break;
	case 1009:
		parse_range("--guard-deny", mcp_cidr_parse, arg, c->deny, &c->o.guard.ndeny);
		break;
	case 1010:
		parse_range("--guard-allow", mcp_cidr_parse, arg, c->allow, &c->o.guard.nallow);
		break;
	case 1011:
		parse_range("--guard-nat64", mcp_nat64_parse, arg, c->nat64, &c->o.guard.nnat64);
		break;
	case 1012:
		c->o.traceparent = 1;
		break;
	case 1015:
	case 'x':
		if (mcp_expect_add(&c->one, arg, ch == 1015, errbuf, sizeof(errbuf)) == -1)
			errx(
			    MCP_EXIT_USAGE, "%s: %s", ch == 'x' ? "-x" : "--expect-secret", errbuf);
		break;
	case 1014:
		c->o.card = 1;
		break;
	case 1030:
		c->o.readiness = arg != NULL ? readiness_of("--readiness=", arg) : 60;
		c->readiness_given = 1;
		break;
	case 1016:
		if (cloak_profile(arg) == NULL)
			errx(MCP_EXIT_USAGE, "--as %s: want %s", arg, cloak_names());
		c->o.cloak = arg;
		break;
	case 1017:
		c->o.lock = read_lock(arg);
		break;
	case 1013:
		c->o.list_max = strcmp(arg, "0") == 0 ? 0 : (size_t)parse_size(arg);
		if (c->o.list_max == (size_t)-1 || c->o.list_max > LIST_MAX_MAX)
			errx(MCP_EXIT_USAGE, "--list-max: want 0 or a size of at most 256k");
		break;
	case 'Q':
		if (c->o.nredact == REDACT_MAX || arg[0] == '\0' || strpbrk(arg, "=&#") != NULL)
			errx(MCP_EXIT_USAGE,
			    "--redact-param %s: want a parameter name, at most %d of them", arg,
			    REDACT_MAX);
		c->redact[c->o.nredact++] = arg;
		break;
	}
}

static void
parse_opt(struct cmdline *c, int ch, char *arg)
{
	char errbuf[512], *end;
	long v;

	switch (ch) {
	case 'a':
		c->one.call_args = arg;
		break;
	case 'C':
		c->one.connect_to = arg;
		break;
	case 'c':
		c->one.call = arg;
		break;
	case 'd':
		if ((c->o.run_secs = mcp_parse_seconds(arg)) <= 0 || c->o.run_secs > 3600)
			errx(MCP_EXIT_USAGE, "-d: want seconds, more than 0 and at most 3600");
		break;
	case 'e':
		c->o.era = parse_era(arg);
		break;
	case 'f':
		c->file = arg;
		break;
	case 'F':
	case 'H':
		if (mcp_header_add(&c->one, arg, ch == 'F', errbuf, sizeof(errbuf)) == -1)
			errx(MCP_EXIT_USAGE, "%s %s", ch == 'F' ? "--header-file" : "-H", errbuf);
		break;
	case 'j':
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno != 0 || *end != '\0' || v < 1 || v > 100000)
			errx(MCP_EXIT_USAGE, "-j: want 1 to 100000 targets in flight");
		c->o.jobs = v;
		c->jobs_given = 1;
		break;
	case 'K':
		c->o.cacert = arg;
		break;
	case 'm':
		if ((v = parse_size(arg)) < 1024)
			errx(MCP_EXIT_USAGE, "-m: want a size of at least 1k (e.g. 4M)");
		c->o.max_body = (size_t)v;
		break;
	case 'n':
		c->o.check_only = 1;
		break;
	case 'r':
		c->o.region = arg;
		break;
	case 's':
		c->one.slug = arg;
		break;
	case 'T':
		c->one.token_file = arg;
		break;
	case 't':
		if ((c->o.timeout = mcp_parse_seconds(arg)) <= 0 || c->o.timeout > 3600)
			errx(MCP_EXIT_USAGE, "-t: want seconds, more than 0 and at most 3600");
		break;
	case 'w':
		if ((c->o.req_timeout = mcp_parse_seconds(arg)) <= 0 || c->o.req_timeout > 3600)
			errx(MCP_EXIT_USAGE, "-w: want seconds, more than 0 and at most 3600");
		break;
	default:
		parse_long(c, ch, arg);
	}
}

/* The targets: the file's, or the one of the command line. */
static void
load_targets(struct cmdline *c, int argc, char **argv, struct mcp_targets *ts, char *dslug)
{
	struct mcp_target *one = &c->one;
	char errbuf[512];

	if (c->file != NULL) {
		if (one->slug || one->token_file || one->call || one->call_args ||
		    one->connect_to || one->nheaders > 0 || one->nexpect > 0)
			errx(MCP_EXIT_USAGE,
			    "-a, -C, -c, -H, -s, -T, -x, --expect-secret and --header-file go in "
			    "the targets file with -f");
		if (one->oauth_client || one->oauth_secret_file || one->oauth_key_file ||
		    one->oauth_assertion_file || one->oauth_scope || one->oauth_issuer)
			errx(MCP_EXIT_USAGE,
			    "the --oauth-* options of a target go in the targets "
			    "file with -f (oauth_client= ...)");
		if (mcp_targets_load(c->file, ts, check_bad_line, errbuf, sizeof(errbuf)) == -1)
			errx(MCP_EXIT_USAGE, "%s", errbuf);
		return;
	}
	if (strncmp(argv[0], "http://", 7) != 0 && strncmp(argv[0], "https://", 8) != 0)
		errx(MCP_EXIT_USAGE, "%s: the URL must start with http:// or https://", argv[0]);
	if (one->slug != NULL && !mcp_slug_ok(one->slug))
		errx(MCP_EXIT_USAGE, "-s %s: a slug is [a-z0-9._-]{1,80}", one->slug);
	(void)argc;
	ts->v = one;
	ts->n = 1;
	one->url = argv[0];
	if (one->slug == NULL) {
		if (mcp_default_slug(argv[0], dslug, MCP_SLUG_MAX + 1) == -1)
			errx(MCP_EXIT_USAGE, "%s: no host in the URL; give -s slug", argv[0]);
		one->slug = dslug;
	}
}

/*
 * Without -j, a large fleet gets enough in flight to be done within a
 * minute when its probes take 3 s each on average (a legacy probe of a
 * server 150 ms away takes about 1.1 s): a twentieth of the fleet, never
 * fewer than 256.
 */
static void
size_jobs(struct cmdline *c, size_t n)
{
	if (!c->jobs_given && n / JOBS_SHARE >= (size_t)c->o.jobs) {
		c->o.jobs =
		    n / JOBS_SHARE < 100000 ? (long)((n + JOBS_SHARE - 1) / JOBS_SHARE) : 100000;
		c->jobs_given = 2;
	}
	c->o.jobs = fit_jobs(c->o.jobs, c->jobs_given);
}

/* The one target of the command line: its strings are argv's. */
static void
one_free(struct mcp_target *one)
{
	mcp_wipe_free(&one->token);
	one->slug = one->url = one->token_file = one->token = NULL;
	one->call = one->call_args = one->connect_to = one->era = NULL;
	one->oauth_client = one->oauth_scope = one->oauth_secret_file = NULL;
	one->oauth_key_file = one->oauth_assertion_file = one->oauth_issuer = NULL;
	mcp_target_free(one);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"cacert", required_argument, NULL, 'K'},
	    {"header-file", required_argument, NULL, 'F'},
	    {"redact-param", required_argument, NULL, 'Q'},
	    {"help", no_argument, NULL, 'h'},
	    {"oauth-assertion-file", required_argument, NULL, 1001},
	    {"oauth-cache", required_argument, NULL, 1002},
	    {"oauth-client", required_argument, NULL, 1003},
	    {"oauth-key-file", required_argument, NULL, 1004},
	    {"oauth-scope", required_argument, NULL, 1005},
	    {"oauth-secret-file", required_argument, NULL, 1006},
	    {"oauth-issuer", required_argument, NULL, 1007},
	    {"canary", required_argument, NULL, 1008},
	    {"guard-deny", required_argument, NULL, 1009},
	    {"guard-allow", required_argument, NULL, 1010},
	    {"guard-nat64", required_argument, NULL, 1011},
	    {"traceparent", no_argument, NULL, 1012},
	    {"expect", required_argument, NULL, 'x'},
	    {"expect-secret", required_argument, NULL, 1015},
	    {"list-max", required_argument, NULL, 1013},
	    {"card", no_argument, NULL, 1014},
	    {"readiness", optional_argument, NULL, 1030},
	    {"as", required_argument, NULL, 1016},
	    {"lock", required_argument, NULL, 1017},
	    {"check", no_argument, NULL, 'n'},
	    {"deadline", required_argument, NULL, 'd'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	static struct cmdline c = {.o = {.timeout = 30,
	                               .req_timeout = 10,
	                               .max_body = 4 << 20,
	                               .jobs = 256,
	                               .list_max = LIST_MAX_DEFAULT}};
	struct mcp_targets ts = {0};
	char dslug[MCP_SLUG_MAX + 1];
	double t0 = mcp_mono();
	int ch, rc;

	fold_init(); /* before any tree is made */
	c.o.redact = c.redact;
	c.o.guard.deny = c.deny;
	c.o.guard.allow = c.allow;
	c.o.guard.nat64 = c.nat64;
	c.own.fd = -1;
	c.o.guard.own = own_addr;
	c.o.guard.own_arg = &c.own;
	signal(SIGPIPE, SIG_DFL);
	opterr = 0;
	while ((ch = getopt_long(
	            argc, argv, ":a:C:c:d:e:f:H:hj:m:nr:s:T:t:Vw:x:", longopts, NULL)) != -1) {
		if (ch == 'h')
			usage(stdout, MCP_EXIT_OK);
		if (ch == 'V') {
			printf("mcp-probe %s (%s)\n", MCP_VERSION, curl_version());
			return mcp_rec_close_stdout() == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
		}
		if (ch == '?' || ch == ':')
			bad_option(ch, argv[optind - 1]);
		parse_opt(&c, ch, optarg);
	}
	argc -= optind;
	argv += optind;
	if (!c.readiness_given && getenv("MCP_READINESS") != NULL &&
	    *getenv("MCP_READINESS") != '\0')
		c.o.readiness = readiness_of("MCP_READINESS=", getenv("MCP_READINESS"));
	if (c.o.region == NULL)
		usage_err("-r region is required");
	if (c.file == NULL && argc == 0)
		usage_err("a url or -f targets-file is required");
	if (c.file != NULL && argc > 0)
		usage_err("%s: a url or -f targets-file, not both", argv[0]);
	if (argc > 1)
		usage_err("%s: unexpected argument (one url)", argv[1]);
	if (!mcp_slug_ok(c.o.region))
		errx(MCP_EXIT_USAGE, "-r %s: a region is [a-z0-9._-]{1,80}", c.o.region);
	/* -d counts from here: reading and checking the targets spend it too. */
	if (c.o.run_secs > 0)
		c.o.run_end = t0 + c.o.run_secs;
	if (c.o.cacert != NULL && access(c.o.cacert, R_OK) == -1)
		errx(MCP_EXIT_USAGE, "--cacert %s: %s", c.o.cacert, strerror(errno));
	load_targets(&c, argc, argv, &ts, dslug);
	if (c.o.oauth_cache != NULL)
		oauth_cache_check(c.o.oauth_cache);
	check_targets(&ts);
	size_jobs(&c, ts.n);
	/* A fleet keeps what the rules read of an item, for the next target serving it. */
	mcp_scan_cache(ts.n > 1);
	if (c.o.check_only) {
		fprintf(stderr, "mcp-probe: %zu targets ok\n", ts.n);
		rc = MCP_EXIT_OK;
	} else {
		rc = run(&c.o, &ts);
	}
	oauth_cleanup();
	own_close(&c.own);
	check_free(&ts);
	if (c.file != NULL)
		mcp_targets_free(&ts);
	else
		one_free(&c.one);
	if (mcp_rec_close_stdout() == -1)
		rc = MCP_EXIT_FAIL;
	return rc;
}
