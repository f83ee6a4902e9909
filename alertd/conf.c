/*
 * conf.c - mcp-alert.conf(5): "key value" lines, "#" comments, routes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"

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
	c->state_ttl = 30 * 86400;
	for (i = 0; i < sizeof(plat) / sizeof(plat[0]); i++)
		c->platforms[c->nplatforms++] = strdup(plat[i]);
}

void
alert_conf_free(struct alert_conf *c)
{
	int i;

	for (i = 0; i < c->nplatforms; i++)
		free(c->platforms[i]);
	c->nplatforms = 0;
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

struct key {
	const char *name;
	int *count;
	long *dur;
};

/* One "route NAME TYPE ARGS..." line; 0 or -1 with a reason in err. */
static int
route_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	static const struct {
		const char *type;
		int min, max;
	} types[] = {{"pagerduty", 1, 1}, {"slack", 1, 1}, {"webhook", 1, 2}, {"command", 1, 64}};
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
	if ((strcmp(w[2], "slack") == 0 || strcmp(w[2], "webhook") == 0) &&
	    strncmp(w[3], "https://", 8) != 0 && strncmp(w[3], "http://", 7) != 0) {
		snprintf(err, errlen, "route \"%s\": not an http(s) URL: %s", w[1], w[3]);
		return -1;
	}
	if (c->nroutes == ALERT_ROUTES_MAX) {
		snprintf(err, errlen, "more than %d routes", ALERT_ROUTES_MAX);
		return -1;
	}
	snprintf(c->routes[c->nroutes].name, ALERT_NAME_MAX, "%s", w[1]);
	snprintf(c->routes[c->nroutes].type, sizeof(c->routes[0].type), "%s", w[2]);
	c->nroutes++;
	return 0;
}

static int
conf_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	const struct key keys[] = {
	    {"fail_windows", &c->fail_windows, NULL},
	    {"pass_windows", &c->pass_windows, NULL},
	    {"rate_limit_windows", &c->rate_limit_windows, NULL},
	    {"tools_escalate", NULL, &c->tools_escalate},
	    {"reminder_every", NULL, &c->reminder_every},
	    {"cold_start_idle", NULL, &c->cold_start_idle},
	    {"maint_max", NULL, &c->maint_max},
	    {"state_ttl", NULL, &c->state_ttl},
	};
	size_t i;
	int j;

	if (strcmp(w[0], "route") == 0)
		return route_line(c, w, nw, err, errlen);
	if (strcmp(w[0], "platforms") == 0) {
		alert_conf_free(c);
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
	return 0;
}

int
alert_conf_load(struct alert_conf *c, const char *path, char *err, size_t errlen)
{
	char line[4096], why[512], *w[80], *p;
	long lineno = 0;
	int nw, rc = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(why, sizeof(why), "line too long");
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
		if (nw == 80) {
			snprintf(why, sizeof(why), "too many words");
			rc = -1;
		} else
			rc = conf_line(c, w, nw, why, sizeof(why));
	}
	if (rc == 0 && ferror(f)) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
		rc = -1;
	}
	fclose(f);
	if (rc == -1)
		snprintf(err, errlen, "%s:%ld: %s", path, lineno, why);
	return rc;
}
