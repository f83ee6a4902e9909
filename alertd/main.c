/*
 * mcp-alert - verdict records to alert records people can live with:
 * confirmation, severity, dedup, reminders, maintenance.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "alert.h"
#include "rec.h"
#include "version.h"

/* The whole usage: on standard output and exit 0 for -h, else on standard error and exit 2. */
static void
usage(int help)
{
	if (help)
		alert_help(NULL, NULL);
	alert_usage_exit(NULL, NULL, NULL);
}

/* An option not known, named: "-x" of a cluster, or the word of a long one. */
static void
unknown_option(const char *word)
{
	if (optopt != 0)
		alert_usage_exit(NULL, NULL, "-%c: unknown option", optopt);
	alert_usage_exit(NULL, NULL, "%.*s: unknown option", (int)strcspn(word, "="), word);
}

/* Without arguments and a terminal to read: usage. */
static int
nothing_to_read(void)
{
	return isatty(STDIN_FILENO);
}

static struct mcp_store *
connect_or_die(const char *url)
{
	struct mcp_store_opts so = {5, -1};
	struct mcp_store *st;
	char err[512];

	if (mcp_store_url_check(url, err, sizeof(err)) == -1)
		errx(MCP_EXIT_USAGE, "%s", err);
	url = mcp_store_url_choose(url);
	if ((st = mcp_store_open(url, &so, err, sizeof(err))) == NULL)
		errx(MCP_EXIT_FAIL, "redis: %s", err);
	return st;
}

/* The commands; those that decide or deliver belong to the deciding configuration. */
struct command {
	const char *name;
	int decides;
};
static const struct command commands[] = {{"ack", 1}, {"test", 1}, {"token", 1}, {"maint", 0},
    {"check", 0}, {"claim", 0}, {"incidents", 0}, {"routes", 0}, {"silence", 0}, {"post", 0},
    {"subscribers", 0}};

static const struct command *
command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/*
 * A store without an append-only file forgets, when Redis restarts, what
 * the promise of delivery rests on (mcp-store(7), "Persistence"): said,
 * and not an error of the configuration.
 */
static void
check_aof(struct mcp_store *st)
{
	const char *argv[] = {"INFO", "persistence"};
	redisReply *r;

	if ((r = alert_cmd(st, 2, argv)) == NULL)
		return;
	if (r->type == REDIS_REPLY_STRING && strstr(r->str, "aof_enabled:0") != NULL)
		warnx("check: the store keeps no append-only file (appendonly no): a restart of "
		      "Redis loses the open incidents and the queued deliveries, and pages the "
		      "incidents again as new (see mcp-store(7))");
	freeReplyObject(r);
}

/*
 * check, once the configuration is good: the store's persistence, and the
 * outboxes in the store of routes it no longer has, whose deliveries
 * nobody will send.  A store that does not answer is said, and is not an
 * error of the configuration.
 */
static int
check_store(const struct alert_conf *c, const char *url)
{
	struct mcp_store_opts so = {2, -1};
	struct mcp_store *st;
	char err[512];
	int rc;

	if ((st = mcp_store_open(mcp_store_url_choose(url), &so, err, sizeof(err))) == NULL) {
		warnx("check: the store was not checked: redis: %s", err);
		return MCP_EXIT_OK;
	}
	check_aof(st);
	rc = alert_outbox_orphans(st, c);
	mcp_store_close(st);
	return rc == 0 ? MCP_EXIT_OK : MCP_EXIT_FAIL;
}

static int
run(struct mcp_store *st, const struct alert_conf *c, const char *path, int argc, char **argv)
{
	int rc;

	if (argc > 0 && strcmp(argv[0], "claim") == 0) {
		if (alert_owner(st, c, path, 1) == -1)
			return MCP_EXIT_FAIL;
		fprintf(stderr, "%s: %s decides this store from now on\n",
		    program_invocation_short_name, path);
		return MCP_EXIT_OK;
	}
	/* Deciding and delivering belong to the deciding configuration. */
	if ((argc == 0 || command(argv[0])->decides) && !c->dry_run &&
	    (rc = alert_owner(st, c, path, 0)) != 0)
		return rc == 1 ? MCP_EXIT_USAGE : MCP_EXIT_FAIL;
	if (argc == 0)
		return alert_filter(st, c);
	if (strcmp(argv[0], "ack") == 0 && (argc == 2 || argc == 3))
		return alert_ack(st, c, argc - 1, argv + 1);
	if (strcmp(argv[0], "silence") == 0)
		return alert_silence_main(st, c, argc, argv);
	if (strcmp(argv[0], "routes") == 0)
		return alert_routes_test(st, c, argc, argv);
	if (strcmp(argv[0], "incidents") == 0)
		return alert_incidents(st, c, argc, argv);
	if (strcmp(argv[0], "test") == 0)
		return alert_test(st, c, argc, argv);
	if (strcmp(argv[0], "token") == 0 && argc >= 2)
		return alert_token(st, c, argc - 1, argv + 1);
	if (strcmp(argv[0], "post") == 0)
		return alert_post_main(st, c, argc, argv);
	if (strcmp(argv[0], "subscribers") == 0)
		return alert_subs_main(st, c, argc, argv);
	if (strcmp(argv[0], "maint") == 0 && argc >= 2)
		if ((rc = alert_maint_main(st, c, argc - 1, argv + 1)) != -1)
			return rc;
	alert_usage_exit(argv[0], NULL, NULL);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {{"dry-run", no_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0}};
	const char *conf = NULL, *url = NULL;
	char path[PATH_MAX];
	int dry = 0;
	struct alert_conf c;
	struct mcp_store *st;
	char err[4096], *l;
	int ch, rc;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 1 && nothing_to_read())
		usage(0);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:c:hnR:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'V':
			printf("%s %s\n", program_invocation_short_name, MCP_VERSION);
			return mcp_rec_close_stdout() == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
		case 'n':
			dry = 1;
			break;
		case 'c':
			conf = optarg;
			break;
		case 'h':
			usage(1);
			break;
		case 'R':
			url = mcp_store_url_arg(optarg);
			break;
		case ':':
			alert_usage_exit(NULL, NULL, "%s: needs an argument", argv[optind - 1]);
		default:
			unknown_option(argv[optind - 1]);
		}
	}
	argc -= optind, argv += optind;
	/* The command's words, before anything is read: --help, a usage error. */
	if (argc > 0 && (rc = alert_cli_check(argc, argv)) > 0) {
		memmove(argv + rc, argv + rc + 1, (size_t)(argc - rc) * sizeof(*argv));
		argc--;
	}
	if (argc > 0 && strcmp(argv[0], "claim") == 0 && conf == NULL)
		alert_usage_exit("claim", NULL, "claim: -c CONFIG is required");
	if (argc > 0 && !command(argv[0])->decides && dry)
		errx(MCP_EXIT_USAGE, "%s: --dry-run: %s decides nothing; it is not dry-run",
		    argv[0], argv[0]);
	if (argc > 0 && strcmp(argv[0], "token") == 0 && alert_token_args(argc - 1, argv + 1) == -1)
		return MCP_EXIT_USAGE;
	/*
	 * Without -c: $MCP_ALERT_CONF, else /etc/mcp-uptime/mcp-alert.conf
	 * when there is one, else /etc/mcp-alert.conf, the place of the
	 * releases before the packages, which a store may still name as the
	 * configuration deciding it.
	 */
	if (conf == NULL && getenv("MCP_ALERT_CONF") != NULL && *getenv("MCP_ALERT_CONF") != '\0')
		conf = getenv("MCP_ALERT_CONF");
	else if (conf == NULL && access(ALERT_CONF_DEFAULT, F_OK) == 0)
		conf = ALERT_CONF_DEFAULT;
	else if (conf == NULL && access(ALERT_CONF_OLD, F_OK) == 0)
		conf = ALERT_CONF_OLD;
	else if (conf == NULL && argc > 0 && strcmp(argv[0], "check") == 0)
		errx(MCP_EXIT_USAGE, "check: no configuration to check: %s: %s (-c CONFIG)",
		    ALERT_CONF_DEFAULT, strerror(ENOENT));
	alert_conf_defaults(&c);
	if (conf != NULL && alert_conf_load(&c, conf, err, sizeof(err)) == -1) {
		alert_conf_free(&c);
		/* Every wrong line, a message each. */
		for (l = strtok(err, "\n"); l != NULL; l = strtok(NULL, "\n"))
			warnx("%s", l);
		exit(MCP_EXIT_USAGE);
	}
	c.dry_run = dry;
	/* test's route, before anything connects or pages. */
	if (argc > 0 && strcmp(argv[0], "test") == 0 && alert_test_args(&c, argc, argv) != 0) {
		alert_conf_free(&c);
		return MCP_EXIT_USAGE;
	}
	/* The configuration is known by its absolute path (see alert_owner). */
	if (conf != NULL && realpath(conf, path) == NULL) {
		alert_conf_free(&c);
		errx(MCP_EXIT_USAGE, "%s: %s", conf, strerror(errno));
	}
	if (argc > 0 && strcmp(argv[0], "check") == 0) {
		/* The config was read and its secret files too: check the URL, stop. */
		if (mcp_store_url_check(url, err, sizeof(err)) == -1)
			errx(MCP_EXIT_USAGE, "%s", err);
		rc = check_store(&c, url);
		alert_conf_free(&c);
		return rc;
	}
	/* Every time is at most ALERT_TIME_MAX, the clock's too (MCP_NOW). */
	if (mcp_now() > ALERT_TIME_MAX) {
		alert_conf_free(&c);
		errx(MCP_EXIT_USAGE, "MCP_NOW: later than 9999-12-31T23:59:59Z");
	}
	if (mcp_curl_init() == -1)
		errx(MCP_EXIT_FAIL, "curl_global_init");
	st = connect_or_die(url);
	c.store_url = mcp_store_url_choose(url);
	rc = run(st, &c, conf != NULL ? path : NULL, argc, argv);
	mcp_store_close(st);
	alert_conf_free(&c);
	curl_global_cleanup();
	if (mcp_rec_close_stdout() == -1)
		rc = MCP_EXIT_FAIL;
	return rc;
}
