/*
 * outbox.h - what the parts of delivery share (outbox.c, pace.c,
 * groupsend.c), over what the routes answer (routes/routes.h): not for
 * the rest of mcp-alert.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef ALERT_OUTBOX_H
#define ALERT_OUTBOX_H

#include "alert.h"
#include "routes/routes.h"
#include "strmap.h"

#define HEAD_MAX 20000 /* jobs read from the head of an outbox at once: a storm's */
#define PACE_NAP_MAX 5 /* seconds a route waits for its turn in a run, at most */

/* pace.c: GCRA, at most rate_n deliveries in any rate_per seconds. */
struct pace {
	double tat; /* on the monotonic clock: when the burst allowed is spent */
	double t;   /* seconds between two deliveries; 0: no limit */
	double tol; /* the burst: seconds tat may be ahead of now */
	char key[ALERT_NAME_MAX + 32];
};
void pace_load(struct mcp_store *st, const struct alert_route *rt, struct pace *p);
void pace_save(struct mcp_store *st, const struct pace *p);
/* Wait for the next delivery's turn: 0, or -1 when the route must stop for this run. */
int pace_wait(const struct pace *p, double deadline);
/* A delivery made (ra: the Retry-After it was answered, 0 for none). */
void pace_sent(struct pace *p, double ra);

/* outbox.c: one route's run. */
struct hjob {
	char *s;  /* the job, as the list holds it (borrowed from the reply) */
	cJSON *j; /* parsed (owned); NULL: not a job of mcp-alert */
	cJSON *rec;
	int skimmed; /* j holds only what ob_skim reads: ob_whole before anything else */
	cJSON *kept; /* owned: the skimmed tree j was, which pointers taken before still see */
};

struct unit {
	char key[ALERT_GROUP_KEY_MAX]; /* "": a job alone */
	int *jobs, n;
};

struct run {
	struct mcp_store *st;
	const struct alert_conf *c;
	const struct alert_route *rt;
	char key[ALERT_NAME_MAX + 32];  /* the outbox */
	char gkey[ALERT_NAME_MAX + 32]; /* the groups told: mcp:alert:groups:ROUTE */
	struct pace pace;
	double deadline; /* on the monotonic clock */
	struct mcp_buf *out;
	cJSON *metas;           /* group key: what the route was told of it */
	int stop;               /* the route waits: nothing more this run */
	int sends;              /* notifications of groups made */
	int held;               /* the last group_send held its group back */
	struct mcp_strmap told; /* of a round: each member told open, with its group's key */
	const char **renew; /* EVAL renew_lua: the lock of the route, ours for one more delivery */
};

/*
 * jobskim.c: a job's id, n, first, next and its record's type, event,
 * slug, severity, kind, step (and whether it has a group), as a tree of
 * their own (owned); NULL when the text is not one to skim (parse it
 * whole: it may still be a job).
 */
cJSON *ob_skim(const char *s);
/* h's job parsed whole, when it was skimmed. */
void ob_whole(struct hjob *h);

double ob_num(const cJSON *o, const char *k);
double ob_backoff(const struct alert_conf *c, int n);
int ob_take(struct mcp_store *st, const char *key, const char **a, int n);
int ob_dead(struct mcp_store *st, const char *key, const char *job, cJSON *j, const char *route,
    const char *why, struct mcp_buf *out);
int ob_locked(struct run *w);
int ob_send_job(struct run *w, struct hjob *h, int *sent);

/* groupsend.c */
int group_metas_load(struct run *w);
/* The group told of slug as open, or NULL. */
const char *group_told_in(struct run *w, const char *slug);
/* Route w sent slug a record of its own (an escalation): its resolve goes alone too. */
int group_own(struct run *w, const char *slug);
/* The jobs of group u, sent as one notification (or as their own records). */
int group_send(struct run *w, struct hjob *hj, const struct unit *u);

#endif
