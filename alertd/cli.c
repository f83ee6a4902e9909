/*
 * cli.c - mcp-alert's command line: the usage line of each command, and
 * the check of a command's words (its options, their values, how many
 * arguments) before anything is read or connected, so that --help and a
 * usage error never need the configuration or the store.  What the
 * arguments mean (a slug, a time, a route) is the command's own to check.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "rec.h"

const struct option alert_opts_json[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
static const struct option no_opts[] = {{NULL, 0, NULL, 0}};

/*
 * One form of the command line: the words after the program's name, as
 * SYNOPSIS has them, its options (shorts: -j, the lists' old JSON flag)
 * and how many arguments it takes (max -1: any number).  want says what
 * a missing argument is.
 */
struct form {
	const char *cmd, *sub, *line;
	const char *shorts;
	const struct option *lo;
	int min, max;
	const char *want;
};

#define CR "[-c CONFIG] [-R URL] "
#define NCR "[-n] [-c CONFIG] [-R URL] "
static const struct form forms[] = {
    {NULL, NULL, "[-n] [-c CONFIG] [-R URL]", "", no_opts, 0, 0, NULL},
    {"ack", NULL, NCR "ack DEDUP_KEY | SLUG [TRACK]", "", no_opts, 1, 2, "DEDUP_KEY or SLUG"},
    {"incidents", NULL, CR "incidents [--json]", "j", alert_opts_json, 0, 0, NULL},
    {"routes", "test", CR "routes test [--severity P] [--at TIME] [SLUG]", "", alert_opts_routes, 0,
        1, NULL},
    {"silence", "add",
        CR "silence add slug=GLOB [track=T] [region=R] [severity=P] --for DURATION | "
           "--until TIME --reason TEXT",
        "", alert_opts_silence, 0, -1, NULL},
    {"silence", "list", CR "silence list [--json]", "j", alert_opts_json, 0, 0, NULL},
    {"silence", "expire", CR "silence expire ID", "", no_opts, 1, 1, "ID"},
    {"maint", "add",
        CR "maint add SLUG [--start TIME] --end TIME | --for DURATION --reason TEXT [--force]", "",
        alert_opts_maint, 1, 1, "SLUG"},
    {"maint", "list", CR "maint list [--json]", "j", alert_opts_json, 0, 0, NULL},
    {"maint", "end", CR "maint end SLUG", "", no_opts, 1, 1, "SLUG"},
    {"post", "new",
        CR "post new --slug SLUG ... | --all --title TEXT [--state STATE] --text TEXT | - "
           "[--incident KEY | none] [--force]",
        "", alert_opts_post_new, 0, 0, NULL},
    {"post", "update", CR "post update ID [--state STATE] --text TEXT | -", "",
        alert_opts_post_update, 1, 1, "ID"},
    {"post", "resolve", CR "post resolve ID [--text TEXT | -]", "", alert_opts_post_update, 1, 1,
        "ID"},
    {"post", "list", CR "post list [--json] [--all]", "j", alert_opts_post_list, 0, 0, NULL},
    {"post", "show", CR "post show ID", "", no_opts, 1, 1, "ID"},
    {"subscribers", "add",
        CR "subscribers add webhook | slack URL | url_file=PATH [--secret-file FILE] --slug "
           "SLUG ... | --all [--name NAME]",
        "", alert_opts_subs_add, 2, 2, "webhook or slack, and URL or url_file=PATH"},
    {"subscribers", "list", CR "subscribers list [--json]", "j", alert_opts_json, 0, 0, NULL},
    {"subscribers", "remove", CR "subscribers remove ID", "", no_opts, 1, 1, "ID"},
    {"test", NULL, NCR "test [--route NAME] [--severity P] SLUG", "", alert_opts_test, 1, 1,
        "SLUG"},
    {"token", NULL, NCR "token [NAME=]FILE ...", "", no_opts, 1, -1, "[NAME=]FILE"},
    {"check", NULL, CR "check", "", no_opts, 0, 0, NULL},
    {"claim", NULL, "-c CONFIG [-R URL] claim", "", no_opts, 0, 0, NULL},
};
#define NFORMS (sizeof(forms) / sizeof(forms[0]))

static int
form_is(const struct form *f, const char *cmd, const char *sub)
{
	if (cmd == NULL)
		return 1;
	if (f->cmd == NULL || strcmp(f->cmd, cmd) != 0)
		return 0;
	return sub == NULL || (f->sub != NULL && strcmp(f->sub, sub) == 0);
}

void
alert_usage(FILE *to, const char *cmd, const char *sub)
{
	size_t i;
	int n = 0;

	for (i = 0; i < NFORMS; i++)
		if (form_is(&forms[i], cmd, sub))
			fprintf(to, "%s %s %s\n",
			    n++ ? "      " : "usage:", program_invocation_short_name,
			    forms[i].line);
	fprintf(to, "See mcp-alert(1) for the manual.\n");
}

void
alert_help(const char *cmd, const char *sub)
{
	alert_usage(stdout, cmd, sub);
	exit(mcp_rec_close_stdout() == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK);
}

void
alert_usage_exit(const char *cmd, const char *sub, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarnx(fmt, ap);
		va_end(ap);
	}
	alert_usage(stderr, cmd, sub);
	exit(MCP_EXIT_USAGE);
}

/* The subcommands of cmd, "add, list or expire", into buf; 0 when it has none. */
static int
subs_of(const char *cmd, char *buf, size_t len)
{
	size_t i, n = 0, k = 0;

	for (i = 0; i < NFORMS; i++)
		n += forms[i].cmd != NULL && forms[i].sub != NULL && strcmp(forms[i].cmd, cmd) == 0;
	buf[0] = '\0';
	for (i = 0; i < NFORMS && n > 0; i++) {
		if (forms[i].cmd == NULL || forms[i].sub == NULL || strcmp(forms[i].cmd, cmd) != 0)
			continue;
		k++;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    k == 1       ? ""
		        : k == n ? " or "
		                 : ", ",
		    forms[i].sub);
	}
	return n > 0;
}

static const struct form *
form_of(const char *cmd, const char *sub)
{
	size_t i;

	for (i = 0; i < NFORMS; i++)
		if (forms[i].cmd != NULL && strcmp(forms[i].cmd, cmd) == 0 &&
		    (forms[i].sub == NULL || (sub != NULL && strcmp(forms[i].sub, sub) == 0)))
			return &forms[i];
	return NULL;
}

/* "-j" for a short option, "--end" for a long one (without "=VALUE"). */
static const char *
opt_word(int shortopt, const char *word, char *buf, size_t len)
{
	if (shortopt != 0)
		snprintf(buf, len, "-%c", shortopt);
	else
		snprintf(buf, len, "%.*s", (int)strcspn(word, "="), word);
	return buf;
}

/*
 * The words of one form, argv[0] its last command word: --help, an
 * unknown option, an option without its value, too few or too many
 * arguments.  Returns the index in argv of the "--" that ended the
 * options, or 0.  A copy is scanned: argv stays as it is.
 */
static int
form_check(const struct form *f, const char *name, int argc, char **argv)
{
	/*
	 * Static: a usage or --help exits from the loop, and the copy must
	 * still be reachable then (LeakSanitizer).
	 */
	static char **v;
	char shorts[16], w[64];
	int ch, n = 0, dashes = 0;

	free(v);
	if ((v = calloc((size_t)argc + 1, sizeof(*v))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	memcpy(v, argv, (size_t)argc * sizeof(*v));
	snprintf(shorts, sizeof(shorts), "-:%s", f->shorts);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, v, shorts, f->lo, NULL)) != -1) {
		if (ch == 1) {
			n++;
			if (f->max >= 0 && n > f->max)
				alert_usage_exit(
				    f->cmd, f->sub, "%s: %s: unexpected argument", name, optarg);
		} else if (ch == '?' &&
		    (optopt == 'h' || (optopt == 0 && strcmp(v[optind - 1], "--help") == 0)))
			alert_help(f->cmd, f->sub);
		else if (ch == '?')
			alert_usage_exit(f->cmd, f->sub, "%s: %s: unknown option", name,
			    opt_word(optopt, v[optind - 1], w, sizeof(w)));
		else if (ch == ':')
			alert_usage_exit(f->cmd, f->sub, "%s: %s: needs an argument", name,
			    opt_word(0, v[optind - 1], w, sizeof(w)));
	}
	if (optind > 1 && strcmp(v[optind - 1], "--") == 0)
		dashes = optind - 1;
	n += argc - optind;
	if (f->max >= 0 && n > f->max)
		alert_usage_exit(f->cmd, f->sub, "%s: %s: unexpected argument", name, v[argc - 1]);
	if (n < f->min)
		alert_usage_exit(f->cmd, f->sub, "%s: want %s", name, f->want);
	free(v);
	v = NULL;
	optind = 0;
	return dashes;
}

int
alert_cli_check(int argc, char **argv)
{
	const struct form *f;
	char name[64], subs[128];
	int dashes, skip;

	if (!subs_of(argv[0], subs, sizeof(subs)) && form_of(argv[0], NULL) == NULL)
		alert_usage_exit(NULL, NULL, "%s: unknown command", argv[0]);
	skip = subs[0] != '\0';
	if (skip && argc < 2)
		alert_usage_exit(argv[0], NULL, "%s: want %s", argv[0], subs);
	if (skip && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
		alert_help(argv[0], NULL);
	if (skip && (f = form_of(argv[0], argv[1])) == NULL)
		alert_usage_exit(argv[0], NULL, "%s: %s: unknown %s", argv[0], argv[1],
		    argv[1][0] == '-' ? "option" : "command");
	if (!skip)
		f = form_of(argv[0], NULL);
	snprintf(name, sizeof(name), "%s%s%s", argv[0], skip ? " " : "", skip ? argv[1] : "");
	dashes = form_check(f, name, argc - skip, argv + skip);
	return dashes > 0 && f->lo == no_opts ? dashes + skip : 0;
}

int
alert_json_arg(int argc, char **argv)
{
	int ch, json = 0;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "j", alert_opts_json, NULL)) != -1)
		json |= ch == 'j';
	optind = 0;
	return json;
}
