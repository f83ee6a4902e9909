/*
 * alert.h - mcp-alert: verdict records to alert records and deliveries,
 * incident state and the outbox in Redis.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef ALERT_H
#define ALERT_H

#include <getopt.h>
#include <stdio.h>

#include <cJSON.h>

#include "buf.h"
#include "mcp.h"
#include "store.h"

#define ALERT_ROUTES_MAX 32
#define ALERT_PLATFORMS_MAX 32
#define ALERT_NAME_MAX 64
#define ALERT_RULES_MAX 32
#define ALERT_ARGS_MAX 64

/*
 * The bounds of what a verdict may bring into the state, see LIMITS in
 * mcp-alert(1).  A window later than the clock would make every real
 * verdict of its slug look already decided until the clock caught up, so
 * only a few minutes of skew are allowed.  A latency above the longest
 * deadline of mcp-probe (-t 3600) is not one a passing probe can take.
 */
#define ALERT_WINDOW_SKEW 300         /* seconds a window may be ahead of the clock */
#define ALERT_TIME_MAX 253402300799.0 /* 9999-12-31T23:59:59Z: no time is later */
#define ALERT_LATENCY_MAX 3600000     /* milliseconds */
#define ALERT_REGIONS_MAX 64          /* regions in failed_regions and in reporters */
#define ALERT_REASON_MAX 255          /* bytes of a maintenance reason */

enum route_type {
	RT_PAGERDUTY,
	RT_SLACK,
	RT_WEBHOOK,
	RT_COMMAND,
	RT_EMAIL,
	/* paging services (routes/pagers.h) */
	RT_NTFY,
	RT_GOTIFY,
	RT_PUSHOVER,
	RT_OPSGENIE,
	RT_VICTOROPS,
	RT_ALERTMANAGER,
	/* chat services (routes/chat.h) */
	RT_TEAMS,
	RT_DISCORD,
	RT_TELEGRAM,
	RT_GCHAT,
	RT_MATTERMOST,
	RT_ROCKETCHAT,
	RT_ZULIP,
	RT_MATRIX,
};

struct alert_route {
	char name[ALERT_NAME_MAX];
	enum route_type type;
	char *url; /* owned: pagerduty, slack, webhook, email (smtp:// or smtps://) */
	char
	    *secret; /* owned, wiped at free: routing key, HMAC key, "USER\nPASSWORD"; NULL: none */
	char **argv; /* owned, NULL-terminated: command; email: FROM, then each TO */
	long digest; /* "digest ROUTE INTERVAL": its P3 notices collected; 0: none */
	/* "rate ROUTE N/DURATION": at most rate_n deliveries a rate_per seconds; 0: no limit. */
	int rate_n;
	long rate_per;
};

/* When a notify line applies. */
enum alert_when { W_ALWAYS, W_BUSINESS, W_AFTER };

/* "notify SEVERITIES WHEN ROUTE...": routes is a bit set of route indexes. */
struct alert_notify {
	unsigned sev; /* bit 1 << 1 for P1, 1 << 2 for P2, 1 << 3 for P3 */
	enum alert_when when;
	unsigned long routes;
};

/* "escalate AFTER ROUTE...": a step of the escalation of unacknowledged P1s. */
struct alert_step {
	long after; /* seconds after the incident became P1 */
	unsigned long routes;
};

/* The configuration: every number of the rules, see mcp-alert.conf(5). */
struct alert_conf {
	int fail_windows;
	int outage_windows; /* 0: fail_windows */
	int pass_windows;
	int rate_limit_windows;
	long tools_escalate; /* seconds */
	long reminder_every;
	long cold_start_idle;
	long maint_max;
	long post_maint_grace;
	long state_ttl;
	double latency_factor;
	int latency_windows;
	int latency_min_samples;
	double error_rate;      /* percent */
	long error_rate_window; /* seconds */
	int error_rate_min;     /* windows seen before the rate counts */
	long delivery_timeout;
	long retry_base;
	long retry_max;
	long give_up;
	long tick;
	/* Expiry tracks: seconds before the expiry of each notice. */
	long cert_p3, cert_p2;
	long token_p3, token_p2, token_p1;
	/* Business hours: days (bit 0 Sunday), minutes of the day, a zone. */
	unsigned bdays;
	int bstart, bend;
	char bzone[128];
	int nplatforms;
	char *platforms[ALERT_PLATFORMS_MAX]; /* owned */
	int nroutes;
	struct alert_route routes[ALERT_ROUTES_MAX];
	int nnotify;
	struct alert_notify notify[ALERT_RULES_MAX];
	int nsteps;
	struct alert_step steps[ALERT_RULES_MAX];
	long runner_silent; /* seconds without a result for any slug that make a region silent */
	long lookback; /* mcp-aggregate's -L: a region is missing this long after its last result */
	int hb_route;  /* heartbeat ROUTE INTERVAL: the route's index, -1: none */
	long hb_every;
	int inline_urls; /* slack and webhook URLs written in the configuration itself */
	/* Grouping (group.c): the labels of group_by, group_wait and group_interval. */
	unsigned group_by; /* GROUP_* bits; GROUP_SLUG: every incident alone */
	long group_wait, group_interval;
	long delivery_budget; /* seconds a run spends delivering to one route */
	/* The status page's side (page.h; mcp-alert.conf(5), "Subscribers"). */
	char *page_url; /* owned: status_page URL, no trailing slash; NULL: none */
	int page_mail;  /* subscriber_mail ROUTE: the route's index, -1: none */
	int npage_inc;
	char *page_inc[ALERT_PLATFORMS_MAX]; /* subscriber_incidents GLOB...: owned */
	const char *store_url; /* the store, for the connection of each route's deliverer */
	int dry_run;           /* --dry-run: decide and say what would be sent, write nothing */
};

/* The labels of group_by. */
#define GROUP_SEVERITY 0x1
#define GROUP_KIND 0x2
#define GROUP_STEP 0x4
#define GROUP_SLUG 0x8

/* conf.c */
#define ALERT_CONF_DEFAULT "/etc/mcp-uptime/mcp-alert.conf" /* without -c or MCP_ALERT_CONF */
#define ALERT_CONF_OLD "/etc/mcp-alert.conf" /* read when ALERT_CONF_DEFAULT is not there */
void alert_conf_defaults(struct alert_conf *c);
/* 0, or -1 with "FILE:LINE: reason" in err. */
int alert_conf_load(struct alert_conf *c, const char *path, char *err, size_t errlen);
void alert_conf_free(struct alert_conf *c);
/* A duration: N, Ns, Nm, Nh or Nd; -1 when malformed. */
long alert_duration(const char *s);
/* The index of the route named name, or -1 with "route \"NAME\": not declared" in err. */
int alert_route_named(const struct alert_conf *c, const char *name, char *err, size_t errlen);
/* The routes of a new notice of severity sev at time t. */
unsigned long alert_routes_for(const struct alert_conf *c, const char *sev, double t);
/* 1 when t falls in the business hours. */
int alert_business(const struct alert_conf *c, double t);
/* 1 when host is on one of the serverless platforms. */
int alert_platform(const struct alert_conf *c, const char *host);

/* The route lines, what each service is sent, and the sending: routes/routes.h. */

/*
 * cli.c: the command line.  alert_cli_check checks the words of a
 * command (argv[0] is its name) before anything is read or connected:
 * --help prints the command's usage and exits 0, a usage error says what
 * is wrong with the usage and exits 2.  It returns the index in argv of a
 * "--" to drop, which ended the options of a command that has none, or 0.
 */
int alert_cli_check(int argc, char **argv);
/* The usage of cmd's sub (NULL: every one), and the manual to read. */
void alert_usage(FILE *to, const char *cmd, const char *sub);
/* On standard output, exit 0 (1 when it cannot be written). */
_Noreturn void alert_help(const char *cmd, const char *sub);
/* "prog: " and fmt's message when fmt is not NULL, the usage; exit 2. */
_Noreturn void alert_usage_exit(const char *cmd, const char *sub, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The options of each command, for getopt_long; "j" is -j, --json's old spelling. */
extern const struct option alert_opts_json[], alert_opts_routes[], alert_opts_silence[],
    alert_opts_maint[], alert_opts_post_new[], alert_opts_post_update[], alert_opts_post_list[],
    alert_opts_subs_add[], alert_opts_test[];
/* 1 when a list's words (argv[0] its name, checked) ask for JSON lines: -j or --json. */
int alert_json_arg(int argc, char **argv);

/* rules.c */
int alert_filter(struct mcp_store *st, const struct alert_conf *c);
int alert_tick(struct mcp_store *st, const struct alert_conf *c);
/* mcp-alert test [--route NAME] [--severity P] SLUG; an exit status. */
int alert_test(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* Its arguments checked before anything connects: 0, or -1 after a message. */
int alert_test_args(const struct alert_conf *c, int argc, char **argv);
/* ack DEDUP_KEY, or ack SLUG [TRACK]: argv without "ack". */
int alert_ack(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* incidents [--json]: the open incidents as a table or JSON lines; an exit status. */
int alert_incidents(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);

/* owner.c: the deciding configuration, see mcp-alert(1). */
#define ALERT_OWNER_KEY "mcp:alert:owner"
/*
 * May a run with the configuration at path (absolute; NULL: none) decide
 * and deliver?  0: yes (an unclaimed store is claimed by a configuration
 * with routes); 1: refused, after a message; -1: a store error.  With
 * claim, path becomes the deciding configuration.
 */
int alert_owner(struct mcp_store *st, const struct alert_conf *c, const char *path, int claim);

/* token.c: mcp-alert token [NAME=]FILE...; an exit status. */
int alert_token(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* The arguments checked before anything runs: 0, or -1 after a message. */
int alert_token_args(int argc, char **argv);

/* maint.c */
struct alert_maint {
	double start, end;
	char reason[ALERT_REASON_MAX + 1];
};
void alert_maint_key(char *buf, size_t len, const char *slug);
/* Epoch seconds or ISO-8601 UTC, up to ALERT_TIME_MAX; -1 when not. */
double alert_time_of(const char *s);
/* silence add|list|expire: argv from "silence"; an exit status. */
int alert_silence_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* routes test [--severity P] [--at TIME] [SLUG]: argv from "routes"; an exit status. */
int alert_routes_test(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* Fill m from the reply of HGETALL of the window's key; 1 when there is one. */
int alert_maint_parse(const redisReply *r, struct alert_maint *m);
int alert_maint_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* 1 when the store knows slug (results pushed, or an alert state); 0; -1 on error. */
int alert_slug_known(struct mcp_store *st, const char *slug);

/* The status page's side: posts, subscribers, notices (notice.h; mcp-alert(1), "Posts"). */
/* post new|update|resolve|list|show: argv from "post"; an exit status. */
int alert_post_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* subscribers add|list|remove: argv from "subscribers"; an exit status. */
int alert_subs_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv);
/* status_page, subscriber_mail, subscriber_incidents: 0 or -1 with a reason in err. */
int alert_page_conf_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen);
void alert_page_conf_free(struct alert_conf *c);
/* 1 when slug's automatic incidents reach its subscribers (subscriber_incidents). */
int alert_page_incidents(const struct alert_conf *c, const char *slug);
/*
 * A run's work for the page: the subscription requests made confirmation
 * messages, maintenance windows told, notices fanned out to their
 * subscribers, and the subscribers' outboxes delivered.  Given-up
 * deliveries are reported.  0, or -1 when the store failed.
 */
int alert_page_run(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out);
/* A maintenance window of slug, ending at end, added or ended: told at the next run. */
int alert_page_maint_changed(struct mcp_store *st, const char *slug, double end);

/* rec.c: the alert record. */
struct alert_ev {
	const char *event;
	const char *severity;
	const char *slug;
	const char *track; /* NULL: downtime; else in the dedup_key */
	double started;
	const char *step;     /* NULL: null */
	const cJSON *regions; /* NULL: [] */
	const char *summary;
	double duration;        /* resolve only: >= 0 */
	const char *suppressed; /* suppressed only: the event held back */
	const char *reason;
	int escalation;    /* escalate by the clock: the step, from 1 */
	const char *layer; /* resolve of a downtime: the root layer, or NULL */
	/* An expiry track: the expiry, in its dedup_key; 0: none.  A token's fingerprint. */
	double expires;
	const char *fingerprint;
	long silence; /* suppressed by this silence (reason its reason); 0: none */
	/* A change of the tool list (tools.c): the list it leads to, its class; NULL: none. */
	const char *tool_hash;
	const char *change_class;
	const cJSON *findings; /* a change that adds a finding (findings.c): security; NULL: none */
};
/* The record of e as a cJSON object (owned), exits when memory runs out. */
cJSON *alert_record(const struct alert_ev *e);

/*
 * epoch.c: whether the store lost mcp-alert's state (mcp-store(7),
 * "Persistence"), checked before each batch and tick: 0, or -1 when the
 * store fails.  alert_reset_at: when a loss was seen, 0 for never; the
 * records of incidents that began before it carry "store_reset":true.
 */
int alert_epoch(struct mcp_store *st, const struct alert_conf *c);
extern double alert_reset_at;

/* Store errors: report and return NULL. */
redisReply *alert_cmd(struct mcp_store *st, int argc, const char **argv);

/* Commands sent together, their replies read together: one round trip. */
#define ALERT_PIPE_MAX 1024
struct alert_pipe {
	int n;
	int argc[ALERT_PIPE_MAX];
	const char **argv[ALERT_PIPE_MAX];
	redisReply *r[ALERT_PIPE_MAX];
};
/*
 * Send p's commands and read their replies into p->r (owned: free with
 * alert_pipe_free).  0, or -1 when the connection failed (reported; a
 * reconnect was tried, so that the caller may start over).
 */
int alert_pipe_run(struct mcp_store *st, struct alert_pipe *p);
void alert_pipe_free(struct alert_pipe *p);

/* group.c: the notification of a group (CONTRACT.md section 4). */
#define ALERT_GROUP_KEY_MAX 128
#define ALERT_GROUP_NAMED 20 /* members named in a summary; all in "group" */
struct alert_group {
	char key[ALERT_GROUP_KEY_MAX];
	const char *id; /* its dedup_key */
	double since;
	int seq; /* its notifications, this one counted */
	const cJSON *slugs, *added, *resolved;
};
/* 1 when rec is grouped (a trigger or resolve, grouping on), with its group's key. */
int alert_group_of(const struct alert_conf *c, const cJSON *rec, char *key, size_t len);
/* The record a route receives for g; member is one of its records.  Owned. */
cJSON *alert_group_record(const struct alert_group *g, const cJSON *member, double now);

/* jsontext.c: a delivery's JSON as text, and a member's string. */
/* o as one line of JSON, as records are written (always UTF-8); owned.  o is deleted. */
char *alert_print(cJSON *o);
/* The string member k of o, or "" (borrowed from o). */
const char *alert_str(const cJSON *o, const char *k);

/* digest.c: the P3 notices of a route with a digest, collected and sent together. */
/* "digest ROUTE INTERVAL"; 0 or -1 with a reason in err. */
int alert_digest_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen);
/* 1 when rec, for route i, waits for the route's digest instead of its outbox. */
int alert_digested(const struct alert_conf *c, int route, const cJSON *rec);
/* The key of the list of route i's notices waiting for the digest. */
void alert_digest_key(char *buf, size_t len, const struct alert_conf *c, int route);
/*
 * Queue in its outbox the digest of each route whose oldest notice has
 * waited its interval (at once for a route that no longer has a digest).
 * 0, or -1 when the store failed.
 */
int alert_digest_flush(struct mcp_store *st, const struct alert_conf *c);

/* outbox.c: every delivery goes through a list per route in Redis. */
#define ALERT_OPEN_SET "mcp:alert:open"
/* The job of rec for route i, as stored (owned string). */
char *alert_job_new(const struct alert_conf *c, int route, const cJSON *rec);
/* The same of a record already printed: text, one line without its newline. */
char *alert_job_text(const struct alert_conf *c, int route, const char *text);
/* nbytes (at most 32) random bytes as hex into buf (2 * nbytes + 1 bytes). */
void alert_hex_random(char *buf, size_t nbytes);
/* SET KEY TOKEN NX PX MS (set, 6 words): 1 taken, 0 held by another, -1 a store error. */
int alert_lock(struct mcp_store *st, const char **set);
/* The key of route i's outbox. */
void alert_outbox_key(char *buf, size_t len, const struct alert_conf *c, int route);
/*
 * Deliver what is due in every outbox; undeliverable records are reported
 * on stderr and as "undelivered" alert records in out.  0, or -1 when the
 * store failed.
 */
int alert_deliver(struct mcp_store *st, const struct alert_conf *c, struct mcp_buf *out);
/* Report the outboxes of routes c does not have: 0 none, 1 some, -1 a store error. */
int alert_outbox_orphans(struct mcp_store *st, const struct alert_conf *c);

#endif
