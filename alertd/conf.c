/*
 * conf.c - mcp-alert.conf(5): "key value" lines, "#" comments, routes.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <err.h>
#include <fnmatch.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "loop.h"
#include "routes/routes.h"

void
alert_conf_defaults(struct alert_conf *c)
{
	static const char *const plat[] = {"vercel.app", "railway.app", "render.com",
	    "onrender.com", "fly.dev", "lambda-url.*.on.aws"};
	size_t i;

	memset(c, 0, sizeof(*c));
	c->fail_windows = 3;
	c->pass_windows = 3;
	c->rate_limit_windows = 3;
	c->tools_escalate = 30 * 60;
	c->reminder_every = 4 * 3600;
	c->cold_start_idle = 10 * 60;
	c->maint_max = 4 * 3600;
	c->post_maint_grace = 5 * 60;
	c->state_ttl = 30 * 86400;
	c->latency_factor = 3;
	c->latency_windows = 3;
	c->latency_min_samples = 60;
	c->error_rate = 3;
	c->error_rate_window = 86400;
	c->error_rate_min = 360;
	c->delivery_timeout = 10;
	c->retry_base = 10;
	c->retry_max = 600;
	c->give_up = 86400;
	c->tick = 30;
	c->group_by = GROUP_SEVERITY | GROUP_KIND | GROUP_STEP;
	c->group_wait = 0;
	c->group_interval = 5 * 60;
	c->delivery_budget = 30;
	c->runner_silent = 5 * 60;
	c->lookback = 3 * 60;
	c->hb_route = -1;
	c->page_mail = -1;
	c->cert_p3 = 14 * 86400;
	c->cert_p2 = 3 * 86400;
	c->token_p3 = 30 * 86400;
	c->token_p2 = 7 * 86400;
	c->token_p1 = 86400;
	c->bdays = 0x3e; /* Monday to Friday */
	c->bstart = 9 * 60;
	c->bend = 18 * 60;
	snprintf(c->bzone, sizeof(c->bzone), "UTC");
	for (i = 0; i < sizeof(plat) / sizeof(plat[0]); i++)
		c->platforms[c->nplatforms++] = strdup(plat[i]);
}

static void
platforms_free(struct alert_conf *c)
{
	int i;

	for (i = 0; i < c->nplatforms; i++)
		free(c->platforms[i]);
	c->nplatforms = 0;
}

static void
wipe(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

void
alert_conf_free(struct alert_conf *c)
{
	int i, j;

	platforms_free(c);
	alert_page_conf_free(c);
	for (i = 0; i < c->nroutes; i++) {
		wipe(c->routes[i].url);
		wipe(c->routes[i].secret);
		for (j = 0; c->routes[i].argv != NULL && c->routes[i].argv[j] != NULL; j++)
			free(c->routes[i].argv[j]);
		free(c->routes[i].argv);
	}
	c->nroutes = 0;
}

long
alert_duration(const char *s)
{
	char *end;
	long n, mul = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || n > 10L * 365 * 86400)
		return -1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mul = 60, end++;
	else if (*end == 'h')
		mul = 3600, end++;
	else if (*end == 'd')
		mul = 86400, end++;
	return *end == '\0' ? n * mul : -1;
}

static int
count_of(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end != '\0' || errno != 0 || n < 1 || n > 10000)
		return -1;
	return (int)n;
}

/* A number above lo and below hi; -1 when not. */
static double
real_of(const char *s, double lo, double hi)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (!isdigit((unsigned char)*s) || *end != '\0' || errno != 0 || !(d > lo && d < hi))
		return -1;
	return d;
}

/* Route names into a bit set; 0 with a reason in err. */
static unsigned long
route_set(const struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	unsigned long set = 0;
	int i, j;

	for (i = 0; i < nw; i++) {
		for (j = 0; j < c->nroutes; j++)
			if (strcmp(c->routes[j].name, w[i]) == 0)
				break;
		if (j == c->nroutes) {
			snprintf(
			    err, errlen, "route \"%s\": not declared (declare routes first)", w[i]);
			return 0;
		}
		set |= 1UL << j;
	}
	if (set == 0)
		snprintf(err, errlen, "no route named");
	return set;
}

static int
notify_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	struct alert_notify n = {0, W_ALWAYS, 0};
	char *p, *save = NULL;

	if (nw < 4) {
		snprintf(err, errlen, "notify: want \"notify SEVERITIES WHEN ROUTE...\"");
		return -1;
	}
	if (strcmp(w[1], "*") == 0)
		n.sev = 0xe;
	else if (w[1][0] == ',' || w[1][strlen(w[1]) - 1] == ',' || strstr(w[1], ",,") != NULL) {
		snprintf(
		    err, errlen, "notify: \"%s\": an empty severity (want P1, P2, P3 or *)", w[1]);
		return -1;
	}
	for (p = n.sev ? NULL : strtok_r(w[1], ",", &save); p != NULL;
	     p = strtok_r(NULL, ",", &save)) {
		if (p[0] != 'P' || p[1] < '1' || p[1] > '3' || p[2] != '\0') {
			snprintf(err, errlen, "notify: \"%s\": not a severity (P1, P2, P3, *)", p);
			return -1;
		}
		n.sev |= 1U << (p[1] - '0');
	}
	if (strcmp(w[2], "always") == 0)
		n.when = W_ALWAYS;
	else if (strcmp(w[2], "business") == 0)
		n.when = W_BUSINESS;
	else if (strcmp(w[2], "after-hours") == 0)
		n.when = W_AFTER;
	else {
		snprintf(err, errlen, "notify: \"%s\": not always, business or after-hours", w[2]);
		return -1;
	}
	if ((n.routes = route_set(c, w + 3, nw - 3, err, errlen)) == 0)
		return -1;
	if (c->nnotify == ALERT_RULES_MAX) {
		snprintf(err, errlen, "more than %d notify lines", ALERT_RULES_MAX);
		return -1;
	}
	c->notify[c->nnotify++] = n;
	return 0;
}

static int
escalate_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	struct alert_step s;

	if (nw < 3) {
		snprintf(err, errlen, "escalate: want \"escalate AFTER ROUTE...\"");
		return -1;
	}
	if ((s.after = alert_duration(w[1])) <= 0) {
		snprintf(err, errlen, "escalate: not a duration (N, Ns, Nm, Nh, Nd): %s", w[1]);
		return -1;
	}
	if (c->nsteps > 0 && s.after <= c->steps[c->nsteps - 1].after) {
		snprintf(err, errlen, "escalate: %s: not after the step before", w[1]);
		return -1;
	}
	if ((s.routes = route_set(c, w + 2, nw - 2, err, errlen)) == 0)
		return -1;
	if (c->nsteps == ALERT_RULES_MAX) {
		snprintf(err, errlen, "more than %d escalate lines", ALERT_RULES_MAX);
		return -1;
	}
	c->steps[c->nsteps++] = s;
	return 0;
}

static int
day_of(const char *s, size_t n)
{
	static const char *const days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	int i;

	for (i = 0; i < 7; i++)
		if (n == 3 && strncasecmp(s, days[i], 3) == 0)
			return i;
	return -1;
}

/* "HH:MM", two digits each, 00:00 to 24:00; the minute of the day, or -1. */
static int
minute_of(const char *s)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* "business_hours DAYS HH:MM-HH:MM [ZONE]", DAYS as Mon-Fri or Sat,Sun. */
static int
hours_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	char *p, *save = NULL, path[256];
	unsigned days = 0;
	int a, b, i;

	if (nw < 3 || nw > 4) {
		snprintf(
		    err, errlen, "business_hours: want \"business_hours DAYS HH:MM-HH:MM [ZONE]\"");
		return -1;
	}
	for (p = strtok_r(w[1], ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
		a = day_of(p, strcspn(p, "-"));
		b = p[strcspn(p, "-")] == '-' ? day_of(p + strcspn(p, "-") + 1, strlen(p) - 4) : a;
		if (a < 0 || b < 0) {
			snprintf(
			    err, errlen, "business_hours: \"%s\": not a day or days (Mon-Fri)", p);
			return -1;
		}
		for (i = a;; i = (i + 1) % 7) {
			days |= 1U << i;
			if (i == b)
				break;
		}
	}
	if (strlen(w[2]) != 11 || w[2][5] != '-' || (a = minute_of(w[2])) < 0 ||
	    (b = minute_of(w[2] + 6)) < 0 || a >= b) {
		snprintf(err, errlen, "business_hours: \"%s\": not HH:MM-HH:MM", w[2]);
		return -1;
	}
	if (nw == 4) {
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", w[3]);
		if (strstr(w[3], "..") != NULL || w[3][0] == '/' ||
		    strlen(w[3]) >= sizeof(c->bzone) ||
		    (strcmp(w[3], "UTC") != 0 && access(path, R_OK) == -1)) {
			snprintf(err, errlen, "business_hours: \"%s\": not a time zone", w[3]);
			return -1;
		}
		snprintf(c->bzone, sizeof(c->bzone), "%s", w[3]);
	}
	c->bdays = days, c->bstart = a, c->bend = b;
	return 0;
}

int
alert_route_named(const struct alert_conf *c, const char *name, char *err, size_t errlen)
{
	int j;

	for (j = 0; j < c->nroutes && strcmp(c->routes[j].name, name) != 0; j++)
		;
	if (j == c->nroutes) {
		snprintf(err, errlen, "route \"%s\": not declared (declare routes first)", name);
		return -1;
	}
	return j;
}

/* "heartbeat ROUTE INTERVAL": a webhook or command route, told every INTERVAL. */
static int
heartbeat_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	int j;

	if (nw != 3) {
		snprintf(err, errlen, "heartbeat: want \"heartbeat ROUTE INTERVAL\"");
		return -1;
	}
	if ((j = alert_route_named(c, w[1], err, errlen)) == -1)
		return -1;
	if (c->routes[j].type != RT_WEBHOOK && c->routes[j].type != RT_COMMAND) {
		snprintf(
		    err, errlen, "heartbeat: route \"%s\": not a webhook or command route", w[1]);
		return -1;
	}
	if ((c->hb_every = alert_duration(w[2])) <= 0) {
		snprintf(err, errlen, "heartbeat: not a duration (N, Ns, Nm, Nh, Nd): %s", w[2]);
		return -1;
	}
	c->hb_route = j;
	return 0;
}

/* "group_by LABEL...": severity, kind, step; slug alone sends every incident alone. */
static int
group_by_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		unsigned bit;
	} labels[] = {{"severity", GROUP_SEVERITY}, {"kind", GROUP_KIND}, {"step", GROUP_STEP},
	    {"slug", GROUP_SLUG}};
	size_t i;
	int j;

	if (nw < 2) {
		snprintf(err, errlen,
		    "group_by: want \"group_by LABEL...\" (severity kind step, or slug)");
		return -1;
	}
	c->group_by = 0;
	for (j = 1; j < nw; j++) {
		for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
			if (strcmp(labels[i].name, w[j]) == 0)
				break;
		if (i == sizeof(labels) / sizeof(labels[0])) {
			snprintf(err, errlen,
			    "group_by: unknown label \"%s\" (severity, kind, step or slug)", w[j]);
			return -1;
		}
		c->group_by |= labels[i].bit;
	}
	return 0;
}

/* "rate ROUTE N/DURATION", or "rate ROUTE off". */
static int
rate_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	char *slash, *end;
	long n, per;
	int j;

	if (nw != 3) {
		snprintf(err, errlen, "rate: want \"rate ROUTE N/DURATION\" or \"rate ROUTE off\"");
		return -1;
	}
	if ((j = alert_route_named(c, w[1], err, errlen)) == -1)
		return -1;
	if (strcmp(w[2], "off") == 0) {
		c->routes[j].rate_n = 0, c->routes[j].rate_per = 0;
		return 0;
	}
	errno = 0;
	n = strtol(w[2], &end, 10);
	slash = end;
	if (errno != 0 || slash == w[2] || *slash != '/' || n < 1 || n > 100000 ||
	    (per = alert_duration(slash + 1)) <= 0 || per > 86400) {
		snprintf(err, errlen,
		    "rate: not N/DURATION (N from 1 to 100000, DURATION at most 1d): %s", w[2]);
		return -1;
	}
	c->routes[j].rate_n = (int)n, c->routes[j].rate_per = per;
	return 0;
}

struct key {
	const char *name;
	int *count;
	long *dur;
	double *real;
	double lo, hi;
};

static int
conf_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	const struct key keys[] = {
	    {"fail_windows", &c->fail_windows, NULL, NULL, 0, 0},
	    {"outage_windows", &c->outage_windows, NULL, NULL, 0, 0},
	    {"pass_windows", &c->pass_windows, NULL, NULL, 0, 0},
	    {"rate_limit_windows", &c->rate_limit_windows, NULL, NULL, 0, 0},
	    {"latency_windows", &c->latency_windows, NULL, NULL, 0, 0},
	    {"latency_min_samples", &c->latency_min_samples, NULL, NULL, 0, 0},
	    {"error_rate_min", &c->error_rate_min, NULL, NULL, 0, 0},
	    {"tools_escalate", NULL, &c->tools_escalate, NULL, 0, 0},
	    {"reminder_every", NULL, &c->reminder_every, NULL, 0, 0},
	    {"cold_start_idle", NULL, &c->cold_start_idle, NULL, 0, 0},
	    {"maint_max", NULL, &c->maint_max, NULL, 0, 0},
	    {"post_maint_grace", NULL, &c->post_maint_grace, NULL, 0, 0},
	    {"state_ttl", NULL, &c->state_ttl, NULL, 0, 0},
	    {"error_rate_window", NULL, &c->error_rate_window, NULL, 0, 0},
	    {"delivery_timeout", NULL, &c->delivery_timeout, NULL, 0, 0},
	    {"retry_base", NULL, &c->retry_base, NULL, 0, 0},
	    {"retry_max", NULL, &c->retry_max, NULL, 0, 0},
	    {"give_up", NULL, &c->give_up, NULL, 0, 0},
	    {"tick", NULL, &c->tick, NULL, 0, 0},
	    {"runner_silent", NULL, &c->runner_silent, NULL, 0, 0},
	    {"group_interval", NULL, &c->group_interval, NULL, 0, 0},
	    {"delivery_budget", NULL, &c->delivery_budget, NULL, 0, 0},
	    {"lookback", NULL, &c->lookback, NULL, 0, 0},
	    {"cert_expiry_p3", NULL, &c->cert_p3, NULL, 0, 0},
	    {"cert_expiry_p2", NULL, &c->cert_p2, NULL, 0, 0},
	    {"token_expiry_p3", NULL, &c->token_p3, NULL, 0, 0},
	    {"token_expiry_p2", NULL, &c->token_p2, NULL, 0, 0},
	    {"token_expiry_p1", NULL, &c->token_p1, NULL, 0, 0},
	    {"latency_factor", NULL, NULL, &c->latency_factor, 1, 1000},
	    {"error_rate", NULL, NULL, &c->error_rate, 0, 100},
	};
	size_t i;
	int j;

	if (strcmp(w[0], "route") == 0)
		return alert_route_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "notify") == 0)
		return notify_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "escalate") == 0)
		return escalate_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "heartbeat") == 0)
		return heartbeat_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "group_by") == 0)
		return group_by_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "group_wait") == 0) {
		/* 0 is a wait too: the incidents of one run go out together. */
		if (nw != 2 ||
		    (c->group_wait = strcmp(w[1], "0") == 0 ? 0 : alert_duration(w[1])) < 0) {
			snprintf(
			    err, errlen, "group_wait: want one duration (0, N, Ns, Nm, Nh, Nd)");
			return -1;
		}
		return 0;
	}
	if (strcmp(w[0], "rate") == 0)
		return rate_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "digest") == 0)
		return alert_digest_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "business_hours") == 0)
		return hours_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "status_page") == 0 || strncmp(w[0], "subscriber_", 11) == 0)
		return alert_page_conf_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "platforms") == 0) {
		platforms_free(c);
		if (nw - 1 > ALERT_PLATFORMS_MAX) {
			snprintf(err, errlen, "platforms: more than %d", ALERT_PLATFORMS_MAX);
			return -1;
		}
		for (j = 1; j < nw; j++)
			c->platforms[c->nplatforms++] = strdup(w[j]);
		return 0;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].name, w[0]) == 0)
			break;
	if (i == sizeof(keys) / sizeof(keys[0])) {
		snprintf(err, errlen, "unknown key \"%s\"", w[0]);
		return -1;
	}
	if (nw != 2) {
		snprintf(err, errlen, "%s: want one value", w[0]);
		return -1;
	}
	if (keys[i].count != NULL && (*keys[i].count = count_of(w[1])) == -1) {
		snprintf(err, errlen, "%s: not a count from 1 to 10000: %s", w[0], w[1]);
		return -1;
	}
	if (keys[i].dur != NULL && (*keys[i].dur = alert_duration(w[1])) <= 0) {
		snprintf(err, errlen, "%s: not a duration (N, Ns, Nm, Nh, Nd): %s", w[0], w[1]);
		return -1;
	}
	if (keys[i].dur == &c->lookback && (c->lookback < 120 || c->lookback > 300)) {
		snprintf(err, errlen, "lookback: from 2m to 5m, as mcp-aggregate -L: %s", w[1]);
		return -1;
	}
	if (keys[i].real != NULL && (*keys[i].real = real_of(w[1], keys[i].lo, keys[i].hi)) < 0) {
		snprintf(err, errlen, "%s: not a number above %g and below %g: %s", w[0],
		    keys[i].lo, keys[i].hi, w[1]);
		return -1;
	}
	return 0;
}

/* Each notice of an expiry track comes later than the one before: 0, or -1 with why. */
static int
tiers_check(const struct alert_conf *c, char *why, size_t len)
{
	const char *k[] = {"cert_expiry_p2", "cert_expiry_p3", "token_expiry_p1", "token_expiry_p2",
	    "token_expiry_p2", "token_expiry_p3"};
	const long v[] = {
	    c->cert_p2, c->cert_p3, c->token_p1, c->token_p2, c->token_p2, c->token_p3};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i += 2)
		if (v[i] >= v[i + 1]) {
			snprintf(why, len, "%s (%ld s) is not shorter than %s (%ld s)", k[i], v[i],
			    k[i + 1], v[i + 1]);
			return -1;
		}
	return 0;
}

/* "PATH:LINE: why" added to err, a line of its own after the first. */
static void
line_error(char *err, size_t errlen, const char *path, long lineno, const char *why)
{
	size_t used = strlen(err);

	if (used + 1 >= errlen)
		return;
	if ((size_t)snprintf(err + used, errlen - used, "%s%s:%ld: %s", used > 0 ? "\n" : "", path,
	        lineno, why) >= errlen - used)
		err[used] = '\0'; /* a line that does not fit is left out whole */
}

int
alert_conf_load(struct alert_conf *c, const char *path, char *err, size_t errlen)
{
	char *line = NULL, why[512], *w[80], *p;
	struct stat fst;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int nw, rc = 0;
	FILE *f;

	if (errlen > 0)
		err[0] = '\0';

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* It names programs to run and where alerts go: trusted before a line is read. */
	if (alert_conf_trusted(path, fileno(f),
	        "a configuration that names programs to run and where alerts go", err,
	        errlen) == -1) {
		fclose(f);
		return -1;
	}
	if (fstat(fileno(f), &fst) == -1)
		fst.st_mode = 0;
	errno = 0;
	/*
	 * At most MCP_LINE_MAX + 1 bytes a line; a failed read is no end.
	 * Every wrong line is said, each "PATH:LINE: why", on a line of err
	 * of its own; a line too long or with a NUL ends the reading.
	 */
	while ((n = mcp_getline(&line, &cap, f)) >= 0) {
		lineno++;
		/* The whole line is read: nothing of it may hide past a NUL. */
		if (n > MCP_LINE_MAX || memchr(line, '\0', (size_t)n) != NULL) {
			if (n > MCP_LINE_MAX)
				snprintf(why, sizeof(why), "line too long (over %d bytes)",
				    MCP_LINE_MAX);
			else
				snprintf(why, sizeof(why), "a NUL byte");
			line_error(err, errlen, path, lineno, why);
			rc = -1;
			break;
		}
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		nw = 0;
		for (p = strtok(line, " \t\r\n"); p != NULL && nw < 80; p = strtok(NULL, " \t\r\n"))
			w[nw++] = p;
		if (nw == 0)
			continue;
		if (nw == 80)
			snprintf(why, sizeof(why), "too many words");
		if (nw == 80 || conf_line(c, w, nw, why, sizeof(why)) == -1) {
			line_error(err, errlen, path, lineno, why);
			rc = -1;
		}
	}
	if (n == -2) {
		lineno++;
		line_error(err, errlen, path, lineno, strerror(errno ? errno : EIO));
		rc = -1;
	}
	free(line);
	fclose(f);
	/* The checks of the whole, once every line is right. */
	if (rc == -1)
		return -1;
	if (c->inline_urls > 0 && (fst.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		/* Whoever holds a Slack or webhook URL can post to it: a secret. */
		snprintf(err, errlen,
		    "%s: holds the URL of a slack or webhook route, a secret, and group or others "
		    "can read it (chmod 600, or url_file=PATH)",
		    path);
		rc = -1;
	} else if (c->outage_windows > c->fail_windows) {
		snprintf(err, errlen, "%s: outage_windows (%d) is more than fail_windows (%d)",
		    path, c->outage_windows, c->fail_windows);
		rc = -1;
	} else if (tiers_check(c, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "%s: %s", path, why);
		rc = -1;
	} else if (c->page_mail >= 0 && c->page_url == NULL) {
		/* Its messages link to the page: confirmation, unsubscription. */
		snprintf(err, errlen, "%s: subscriber_mail without status_page", path);
		rc = -1;
	}
	return rc;
}

int
alert_business(const struct alert_conf *c, double t)
{
	char *old = getenv("TZ"), zone[160], *saved = old ? strdup(old) : NULL;
	time_t tt = (time_t)t;
	struct tm tm;
	int m;

	snprintf(zone, sizeof(zone), ":%s", c->bzone);
	setenv("TZ", zone, 1);
	tzset();
	localtime_r(&tt, &tm);
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	m = tm.tm_hour * 60 + tm.tm_min;
	return (c->bdays & (1U << tm.tm_wday)) != 0 && m >= c->bstart && m < c->bend;
}

unsigned long
alert_routes_for(const struct alert_conf *c, const char *sev, double t)
{
	unsigned long set = 0;
	unsigned bit;
	int i, biz = -1;

	if (c->nnotify == 0)
		return c->nroutes == 0 ? 0 : (~0UL >> (sizeof(long) * 8 - (size_t)c->nroutes));
	bit = sev[0] == 'P' && sev[1] >= '1' && sev[1] <= '3' ? 1U << (sev[1] - '0') : 0;
	for (i = 0; i < c->nnotify; i++) {
		if ((c->notify[i].sev & bit) == 0)
			continue;
		if (c->notify[i].when != W_ALWAYS && biz == -1)
			biz = alert_business(c, t);
		if (c->notify[i].when == W_ALWAYS || (c->notify[i].when == W_BUSINESS) == biz)
			set |= c->notify[i].routes;
	}
	return set;
}

int
alert_platform(const struct alert_conf *c, const char *host)
{
	char pat[300];
	size_t hl = strlen(host), pl;
	int i;

	for (i = 0; i < c->nplatforms; i++) {
		pl = strlen(c->platforms[i]);
		if (strchr(c->platforms[i], '*') != NULL) {
			snprintf(pat, sizeof(pat), "*.%s", c->platforms[i]);
			if (fnmatch(c->platforms[i], host, 0) == 0 || fnmatch(pat, host, 0) == 0)
				return 1;
		} else if (strcasecmp(host, c->platforms[i]) == 0 ||
		    (hl > pl && host[hl - pl - 1] == '.' &&
		        strcasecmp(host + hl - pl, c->platforms[i]) == 0))
			return 1;
	}
	return 0;
}
