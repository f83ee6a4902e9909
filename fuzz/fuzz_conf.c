/*
 * fuzz_conf.c - mcp-alert's configuration (alertd/conf.c): the input is
 * the file alert_conf_load reads (a file of a private directory, as the
 * configuration must be one no other user can change).
 *
 * A refused file names itself and a line, and a file with a NUL byte is
 * refused; an accepted one holds only what
 * the rules can use: at most ALERT_ROUTES_MAX routes with names and
 * targets, notify and escalate lines naming declared routes only,
 * escalation steps in rising order, business hours that start before they
 * end.  The routes chosen for P1-P3 at a few times (business hours in the
 * configured zone) are declared routes, and everything is freed
 * (LeakSanitizer).  A key file named in the input is read by
 * mcp_secret_read as mcp-alert would read it: only a regular file that
 * its owner alone may read (run as root, a private key of the machine
 * would do), held in memory and wiped, never shown.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "../alertd/alert.h"

static struct fuzz_file input;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	fuzz_file_open_private(&input, "conf");
	return 0;
}

static void
check_conf(const struct alert_conf *c)
{
	static const char *const sev[] = {"P1", "P2", "P3", "P4", ""};
	static const double at[] = {0, 1767225600, 1767258000, 1782864000.5};
	unsigned long all = c->nroutes == 0 ? 0 : ~0UL >> (sizeof(long) * 8 - (size_t)c->nroutes);
	const struct alert_route *r;
	size_t i, j;
	int k;

	FUZZ_CHECK(c->nroutes >= 0 && c->nroutes <= ALERT_ROUTES_MAX);
	FUZZ_CHECK(c->nplatforms >= 0 && c->nplatforms <= ALERT_PLATFORMS_MAX);
	for (k = 0; k < c->nroutes; k++) {
		r = &c->routes[k];
		FUZZ_CHECK(r->name[0] != '\0');
		FUZZ_CHECK(
		    r->type == RT_COMMAND ? r->argv != NULL && r->argv[0] != NULL : r->url != NULL);
	}
	for (k = 0; k < c->nnotify; k++)
		FUZZ_CHECK(c->notify[k].routes != 0 && (c->notify[k].routes & ~all) == 0 &&
		    c->notify[k].sev != 0);
	for (k = 0; k < c->nsteps; k++) {
		FUZZ_CHECK(c->steps[k].after > 0 && (c->steps[k].routes & ~all) == 0);
		FUZZ_CHECK(k == 0 || c->steps[k].after > c->steps[k - 1].after);
	}
	FUZZ_CHECK(c->bstart >= 0 && c->bstart < c->bend && c->bend <= 24 * 60);
	FUZZ_CHECK(c->latency_factor > 1 && c->latency_factor < 1000);
	FUZZ_CHECK(c->error_rate > 0 && c->error_rate < 100);
	for (i = 0; i < sizeof(sev) / sizeof(sev[0]); i++)
		for (j = 0; j < sizeof(at) / sizeof(at[0]); j++)
			FUZZ_CHECK((alert_routes_for(c, sev[i], at[j]) & ~all) == 0);
	(void)alert_platform(c, "x.vercel.app");
	(void)alert_platform(c, "mcp.example.com");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct alert_conf c;
	char err[1024];

	fuzz_file_put(&input, data, size);
	alert_conf_defaults(&c);
	err[0] = '\0';
	if (alert_conf_load(&c, input.path, err, sizeof(err)) == 0) {
		/* Nothing of a line may hide past a NUL byte. */
		FUZZ_CHECK(memchr(data, '\0', size) == NULL);
		check_conf(&c);
	} else
		FUZZ_CHECK(strncmp(err, input.path, strlen(input.path)) == 0 &&
		    err[strlen(input.path)] == ':');
	alert_conf_free(&c);
	return 0;
}
