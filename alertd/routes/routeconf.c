/*
 * routeconf.c - the route lines of mcp-alert.conf(5), and the trust the
 * files they name must earn: a route runs a program, holds a secret or
 * says where alerts go, so whoever can change one of those files can run
 * code as mcp-alert or read its alerts (mcp-alert.conf(5), SECURITY
 * CONSIDERATIONS).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <err.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../alert.h"
#include "pagers.h"
#include "chat.h"

static void
wipe(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

int
alert_conf_trusted(const char *path, int fd, const char *what, char *err, size_t errlen)
{
	char why[PATH_MAX + 64];

	if (mcp_file_trusted(path, fd, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "%s: %s: refusing %s", path, why, what);
	return -1;
}

/*
 * The secret of a route's file (mcp_secret_read: mode 600), owned by the
 * user or root in directories nobody else can write to, as a key another
 * user could change would send alerts where that user wants.  Owned; NULL
 * with "PATH: why" in err.
 */
static char *
secret_of(const char *path, char *err, size_t errlen)
{
	char why[256], *s;

	if ((s = mcp_secret_read(path, why, sizeof(why))) == NULL)
		snprintf(err, errlen, "%s: %s", path, why);
	else if (alert_conf_trusted(path, -1, "a secret another user could change", err, errlen) ==
	    -1) {
		wipe(s);
		s = NULL;
	}
	return s;
}

/* 1 when a webhook's secret is a key its deliveries can be signed with. */
static int
key_ok(const char *secret)
{
	unsigned char key[ALERT_KEY_MAX];
	int n = alert_webhook_key(secret, key, sizeof(key));

	explicit_bzero(key, sizeof(key));
	return n > 0;
}

static int
http_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/*
 * The URL of a Slack or webhook route: "url_file=PATH" reads it from a
 * secret file (mode 600, as a key); else it is in the configuration,
 * which must then be unreadable by others (see alert_conf_load).  Owned;
 * NULL with a reason in err.
 */
static char *
url_of(struct alert_conf *c, const char *name, const char *arg, char *err, size_t errlen)
{
	char *u;

	if (strncmp(arg, "url_file=", 9) != 0) {
		if (!http_url(arg)) {
			snprintf(err, errlen, "route \"%s\": not an http(s) URL", name);
			return NULL;
		}
		c->inline_urls++;
		return strdup(arg);
	}
	if ((u = secret_of(arg + 9, err, errlen)) == NULL)
		return NULL;
	if (!http_url(u)) {
		snprintf(err, errlen, "route \"%s\": %s: not an http(s) URL", name, arg + 9);
		wipe(u);
		return NULL;
	}
	return u;
}

/*
 * A command route's program: a path that is an executable file, or a name
 * found in PATH (the file execvp will run), trusted as the configuration
 * is.  0, or -1 with why in err.
 */
static int
program_ok(const char *prog, char *err, size_t errlen)
{
	char buf[4096], full[4200], *path = getenv("PATH"), *p, *save = NULL;
	struct stat st;

	if (strchr(prog, '/') != NULL) {
		if (stat(prog, &st) == -1 || !S_ISREG(st.st_mode) || access(prog, X_OK) == -1) {
			snprintf(err, errlen, "%s: %s", prog,
			    errno == ENOENT ? "no such program" : "not an executable file");
			return -1;
		}
		return alert_conf_trusted(prog, -1, "a program to run", err, errlen);
	}
	snprintf(buf, sizeof(buf), "%s", path != NULL ? path : "/usr/bin:/bin");
	for (p = strtok_r(buf, ":", &save); p != NULL; p = strtok_r(NULL, ":", &save)) {
		snprintf(full, sizeof(full), "%s/%s", p, prog);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
			return alert_conf_trusted(full, -1, "a program to run", err, errlen);
	}
	snprintf(err, errlen, "%s: no such program in PATH", prog);
	return -1;
}

int
alert_route_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	static const struct {
		const char *type;
		enum route_type t;
		int min, max;
	} types[] = {{"pagerduty", RT_PAGERDUTY, 1, 2}, {"slack", RT_SLACK, 1, 1},
	    {"webhook", RT_WEBHOOK, 1, 2}, {"command", RT_COMMAND, 1, ALERT_ARGS_MAX - 1},
	    {"email", RT_EMAIL, 3, 5},
	    /* paging services (pagers.c) */
	    {"ntfy", RT_NTFY, 1, 2}, {"gotify", RT_GOTIFY, 2, 2}, {"pushover", RT_PUSHOVER, 2, 3},
	    {"opsgenie", RT_OPSGENIE, 1, 2}, {"victorops", RT_VICTOROPS, 1, 1},
	    {"alertmanager", RT_ALERTMANAGER, 1, 2},
	    /* chat services (chatsend.c) */
	    {"teams", RT_TEAMS, 1, 1}, {"discord", RT_DISCORD, 1, 1},
	    {"telegram", RT_TELEGRAM, 2, 3}, {"googlechat", RT_GCHAT, 1, 1},
	    {"mattermost", RT_MATTERMOST, 1, 1}, {"rocketchat", RT_ROCKETCHAT, 1, 1},
	    {"zulip", RT_ZULIP, 4, 4}, {"matrix", RT_MATRIX, 3, 3}};
	struct alert_route *r;
	size_t i;
	int j;

	if (nw < 3) {
		snprintf(err, errlen, "route: want \"route NAME TYPE ARGS...\"");
		return -1;
	}
	if (!mcp_slug_ok(w[1]) || strlen(w[1]) >= ALERT_NAME_MAX) {
		snprintf(err, errlen, "route \"%s\": bad name", w[1]);
		return -1;
	}
	for (j = 0; j < c->nroutes; j++)
		if (strcmp(c->routes[j].name, w[1]) == 0) {
			snprintf(err, errlen, "route \"%s\": declared twice", w[1]);
			return -1;
		}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].type, w[2]) == 0)
			break;
	if (i == sizeof(types) / sizeof(types[0])) {
		snprintf(err, errlen, "route \"%s\": unknown type \"%s\"", w[1], w[2]);
		return -1;
	}
	if (nw - 3 < types[i].min || nw - 3 > types[i].max) {
		snprintf(err, errlen, "route \"%s\": wrong number of arguments for %s", w[1], w[2]);
		return -1;
	}
	if (types[i].t == RT_COMMAND && program_ok(w[3], err, errlen) == -1)
		return -1;
	if (types[i].t == RT_PAGERDUTY && nw == 5 && !http_url(w[4])) {
		snprintf(err, errlen, "route \"%s\": not an http(s) URL", w[1]);
		return -1;
	}
	if (c->nroutes == ALERT_ROUTES_MAX) {
		snprintf(err, errlen, "more than %d routes", ALERT_ROUTES_MAX);
		return -1;
	}
	r = &c->routes[c->nroutes];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, ALERT_NAME_MAX, "%s", w[1]);
	r->type = types[i].t;
	/* What the receivers accept: Slack about a message a second, PagerDuty 120 events a minute. */
	if (r->type == RT_SLACK)
		r->rate_n = 1, r->rate_per = 1;
	else if (r->type == RT_PAGERDUTY)
		r->rate_n = 120, r->rate_per = 60;
	switch (r->type) {
	case RT_PAGERDUTY:
		if ((r->secret = secret_of(w[3], err, errlen)) == NULL)
			return -1;
		r->url = strdup(nw == 5 ? w[4] : "https://events.pagerduty.com/v2/enqueue");
		break;
	/* URLs of Slack and webhooks are secrets: never repeated in messages. */
	case RT_SLACK:
		if ((r->url = url_of(c, w[1], w[3], err, errlen)) == NULL)
			return -1;
		break;
	case RT_WEBHOOK:
		if ((r->url = url_of(c, w[1], w[3], err, errlen)) == NULL)
			return -1;
		if (nw == 5 && (r->secret = secret_of(w[4], err, errlen)) == NULL) {
			wipe(r->url);
			return -1;
		}
		if (r->secret != NULL && !key_ok(r->secret)) {
			snprintf(err, errlen,
			    "%s: not a key: whsec_ and base64, or any other text (at most %d "
			    "bytes)",
			    w[4], ALERT_KEY_MAX);
			wipe(r->url);
			wipe(r->secret);
			return -1;
		}
		break;
	case RT_COMMAND:
		if ((r->argv = calloc((size_t)(nw - 2), sizeof(char *))) == NULL)
			errx(MCP_EXIT_FAIL, "out of memory");
		for (j = 3; j < nw; j++)
			r->argv[j - 3] = strdup(w[j]);
		break;
	case RT_EMAIL:
		if (alert_email_conf(r, w + 3, nw - 3, err, errlen) == -1) {
			for (j = 0; r->argv != NULL && r->argv[j] != NULL; j++)
				free(r->argv[j]);
			free(r->argv);
			wipe(r->url);
			wipe(r->secret);
			return -1;
		}
		break;
	/* paging services */
	case RT_NTFY:
	case RT_GOTIFY:
	case RT_PUSHOVER:
	case RT_OPSGENIE:
	case RT_VICTOROPS:
	case RT_ALERTMANAGER:
		if (alert_pager_conf(c, r, w + 1, nw - 1, err, errlen) == -1) {
			wipe(r->url);
			wipe(r->secret);
			return -1;
		}
		break;
	/* chat services */
	case RT_TEAMS:
	case RT_DISCORD:
	case RT_TELEGRAM:
	case RT_GCHAT:
	case RT_MATTERMOST:
	case RT_ROCKETCHAT:
	case RT_ZULIP:
	case RT_MATRIX:
		if (alert_chat_conf(c, r, w + 3, nw - 3, err, errlen) == -1)
			return -1;
		break;
	}
	c->nroutes++;
	return 0;
}

/* The services' routes (chat.c, pagers.c): their URLs and secrets read as those above. */
char *
alert_route_url(struct alert_conf *c, const char *name, const char *arg, char *err, size_t errlen)
{
	return url_of(c, name, arg, err, errlen);
}

char *
alert_route_secret(const char *path, char *err, size_t errlen)
{
	return secret_of(path, err, errlen);
}
