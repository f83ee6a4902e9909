/*
 * alert.h - mcp-alert: verdict records to alert records, incident state in
 * Redis.
 */
#ifndef ALERT_H
#define ALERT_H

#include <stdio.h>

#include <cJSON.h>

#include "buf.h"
#include "mcp.h"
#include "store.h"

#define ALERT_ROUTES_MAX 32
#define ALERT_PLATFORMS_MAX 32
#define ALERT_NAME_MAX 64

struct alert_route {
	char name[ALERT_NAME_MAX];
	char type[16];
};

/* The configuration: every number of the rules, see mcp-alert.conf(5). */
struct alert_conf {
	int fail_windows;
	int pass_windows;
	int rate_limit_windows;
	long tools_escalate; /* seconds */
	long reminder_every;
	long cold_start_idle;
	long maint_max;
	long state_ttl;
	int nplatforms;
	char *platforms[ALERT_PLATFORMS_MAX]; /* owned */
	int nroutes;
	struct alert_route routes[ALERT_ROUTES_MAX];
};

/* conf.c */
void alert_conf_defaults(struct alert_conf *c);
/* 0, or -1 with "FILE:LINE: reason" in err. */
int alert_conf_load(struct alert_conf *c, const char *path, char *err, size_t errlen);
void alert_conf_free(struct alert_conf *c);
/* A duration: N, Ns, Nm, Nh or Nd; -1 when malformed. */
long alert_duration(const char *s);

/* rules.c */
int alert_filter(struct mcp_store *st, const struct alert_conf *c);
int alert_test(struct mcp_store *st, const char *slug);
int alert_ack(struct mcp_store *st, const struct alert_conf *c, const char *key);

/* maint.c */
struct alert_maint {
	double start, end;
	char reason[256];
};
/* 1 when SLUG has a window covering t (filled in m), 0 when not, -1 on error. */
int alert_maint_get(struct mcp_store *st, const char *slug, double t, struct alert_maint *m);
int alert_maint_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);

/* rec.c: the alert record, written to stdout. */
struct alert_ev {
	const char *event;
	const char *severity;
	const char *slug;
	double started;
	const char *step;     /* NULL: null */
	const cJSON *regions; /* NULL: [] */
	const char *summary;
	double duration;        /* resolve only: >= 0 */
	const char *suppressed; /* suppressed only: the event held back */
	const char *reason;
};
/* Append the record of e to out; 0 or -1 (reported). */
int alert_emit(const struct alert_ev *e, struct mcp_buf *out);

/* Store errors: report and return -1. */
redisReply *alert_cmd(struct mcp_store *st, int argc, const char **argv);

#endif
