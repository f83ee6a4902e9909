/*
 * audit.h - mcp-aggregate audit: the registry's servers sorted into the
 * buckets of mcp-aggregate(1) "Audit", shared by audit.c (the reads),
 * audithist.c (the history of a remote), auditrule.c (the rules: a
 * remote's bucket, a server's from its remotes, the public censuses'
 * bucket), auditmove.c (the movement), auditout.c (the JSON and the
 * text), auditready.c (the readiness and the censuses' buckets, tallied)
 * and auditdata.c (the open dataset of --dataset).
 *
 * A field of mcp:registry:servers is a remote of a registry server (or
 * the one field of a server with packages only); the remotes of one
 * registry name are one server.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>

#include <cJSON.h>

#include "ready.h"

#define AUDIT_KEY_SERVERS "mcp:registry:servers"
#define AUDIT_KEY_AUDIT "mcp:registry:audit"
#define AUDIT_KEY_SYNC "mcp:registry:sync"
#define AUDIT_SHARE 10 /* percent of the windows that make a server regionally degraded */
#define AUDIT_PERIOD_MAX (31 * 86400)
#define AUDIT_REGIONS 16    /* regions an entry names; more are left out */
#define AUDIT_LIST_MAX 1000 /* entries of the saved regional, apart and moved lists */
#define AUDIT_NAME_MAX 128  /* bytes of a registry name in the saved audit */

enum audit_bucket {
	B_HEALTHY,
	B_AUTH,
	B_BROKEN,                        /* B_BROKEN + step index: broken:dns ... broken:call */
	B_BROKEN_UNKNOWN = B_BROKEN + 8, /* red by its letters, the step not known */
	B_REGIONAL,
	B_CDN,
	B_NEEDS,
	B_LOCAL,
	B_REFUSED,
	B_UNPROBED,
	B_NBUCKET,
	B_DELETED = B_NBUCKET, /* counted apart; a pseudo-bucket of the movement */
	B_NEW,                 /* the movement: not in the previous audit */
	B_GONE,                /* the movement: not in this one */
	B_NALL
};

extern const char *const audit_bucket_names[B_NALL];

/* Bucket of a name, or -1. */
int audit_bucket_of(const char *name);

struct audit_region {
	char name[64];
	long pass, fail, split; /* windows passed, failed, failed while another passed */
};

/* What the store holds of one slug over the period (the script's reply). */
struct audit_hist {
	long letters[5]; /* verdict windows: g, a, r, u, m */
	long nwin;       /* windows with a result */
	long nsplit;     /* of those, with one region passing and another failing */
	long healthy, walled, broken, authfail;
	long steps[8];
	long rdecided; /* windows with a result, decided (g, a, r) */
	long ramber;   /* of those, amber with no region failing */
	struct audit_region reg[AUDIT_REGIONS];
	size_t nreg;
	int divergence; /* the latest verdict names a divergence */
	/* The latest verdict's findings: its count and the fleet's, the worst, the rules. */
	long fcount;
	char fworst[8];  /* "" for none */
	char frules[96]; /* the ids, comma separated, cut */
	int latest_step; /* the latest verdict's step, -1 for none */
	char error[48];  /* the latest verdict's error code, "" for none */
	/* The latest verdict's readiness (lib/ready.h): its grade, 0 for none. */
	char grade;
	unsigned char eras;          /* bit k: it speaks mcp_ready_eras[k] */
	unsigned char have[MCP_R_N]; /* reason k found */
	char graded_at[24];          /* its checked_at, "" for none */
};

/* One field of mcp:registry:servers: a remote, or a server's packages. */
struct audit_rem {
	char *slug; /* owned */
	char *name; /* owned: its registry name cut (audit_name_cut), "" for none */
	char *key;  /* owned: the full name its server is grouped by, NULL for none */
	long index; /* its index in the registry's list of remotes, -1 for none */
	int bucket;
	int probe;  /* state "probe" or "needs-configuration", not deleted: its history is read */
	int remote; /* 1 for a remote, 0 for the field of a server with packages only */
	size_t srv; /* its server: an index into a->srv */
	struct audit_hist h;
};

/* A registry server: the fields of one name (each unnamed one alone). */
struct audit_server {
	const char *slug; /* borrowed from a->r: its first remote not deleted, by index */
	const char *name; /* borrowed likewise */
	const char *key;  /* borrowed likewise: its full name, NULL for none */
	int bucket;       /* the first of its remotes' buckets by audit_rank */
	long remotes;     /* its remotes not deleted */
	/* Borrowed from a->r: the remote that decided its bucket (the first of that bucket). */
	const struct audit_rem *best;
	/*
	 * The remote whose readiness it takes: best when it was graded, else
	 * the next graded of its remotes not deleted in the order of the
	 * bucket rule; NULL for none.
	 */
	const struct audit_rem *ready;
};

struct audit {
	double at;
	long long from, to; /* the first and last window of the period */
	long period;
	struct audit_rem *r; /* sorted by slug */
	size_t nr;
	struct audit_server *srv; /* sorted by slug */
	size_t nsrv;
	long count[B_NALL];         /* servers a bucket */
	long rcount[B_NALL];        /* remotes a bucket, each by its own */
	long long skipped, dropped; /* mcp:registry:sync: skipped, remotes_dropped */
	cJSON *prev;                /* owned: the saved audit, NULL for none */
	char *registry;             /* owned: the registry the fields name, NULL for none */
	int registries;             /* 2 when they name more than one */
};

/*
 * audithist.c: the history of every remote to probe (a->r[i].probe) into
 * a->r[i].h, AGG_BATCH slugs a round trip; 0, or -1 after a warning.
 */
struct mcp_store;
int audit_read_history(struct mcp_store *st, struct audit *a);

/* auditrule.c: the bucket of one remote whose history was read. */
int audit_decide(const struct audit_hist *h);

/*
 * The rank of a bucket in a server's rule, lower first: healthy,
 * auth-walled, regionally-degraded, cdn-divergent, broken:call back to
 * broken:dns, broken:unknown, unprobed, needs-configuration, refused,
 * local-only, deleted.
 */
int audit_rank(int bucket);

/*
 * Group the remotes a->r into servers: a->srv (owned), each remote's srv,
 * and the counts of both; -1 when memory ran out.
 */
int audit_group(struct audit *a);

/*
 * The buckets the public censuses publish (mcp-aggregate(1) "audit"):
 * healthy, auth-walled, http-not-mcp, malformed, dead (DNS, TLS, 404),
 * regionally-degraded; then what maps to none.
 */
enum audit_census {
	C_HEALTHY,
	C_AUTH,
	C_NOTMCP,
	C_MALFORMED,
	C_DEAD,
	C_REGIONAL,
	C_UNKNOWN,   /* broken:unknown: no step to say which */
	C_NOTPROBED, /* needs-configuration, local-only, refused, unprobed */
	C_N
};

extern const char *const audit_census_names[C_N];

/* The census bucket of a server's bucket, error its remote's latest error code ("" for none). */
int audit_census(int bucket, const char *error);

/* auditmove.c: the movement since a->prev (owned), or NULL when memory ran out. */
cJSON *audit_movement(const struct audit *a);

/*
 * auditout.c: a registry name as the saved audit keeps it (owned): at
 * most AUDIT_NAME_MAX bytes, cut at a character with an ellipsis.
 */
char *audit_name_cut(const char *name);

/* n in percent of of, two decimals; 0 when of is 0. */
double audit_percent(long n, long of);

/* The audit as JSON (owned), movement against a->prev included. */
cJSON *audit_json(const struct audit *a);

/* The text tables to stdout: 0, or -1 when writing failed. */
int audit_text(const struct audit *a, const cJSON *json);

/* auditready.c: the servers not deleted, tallied. */
#define AUDIT_GRADES 6 /* ungraded, A, B, C, D, F: audit_grade_names */
struct audit_tally {
	long servers, graded;
	long grades[AUDIT_GRADES];
	long reasons[MCP_R_N]; /* servers with reason k */
	long eras[MCP_ERA_N];  /* servers that speak era k */
	long census[C_N];
};

extern const char *const audit_grade_names[AUDIT_GRADES];

/* The index in audit_grade_names of a grade letter (0 for none: ungraded). */
int audit_grade_index(char grade);
void audit_tally(const struct audit *a, struct audit_tally *t);

/* The census and readiness members of the audit's JSON, into o. */
void audit_ready_json(cJSON *o, const struct audit *a);

/* Their text tables to stdout: 0, or -1 when writing failed. */
int audit_ready_text(const struct audit *a);

/*
 * auditdata.c: the open dataset into the directory dir (servers.csv,
 * servers.jsonl, README.md), each file written whole to a temporary file
 * and renamed; 0, or -1 with the reason in err.
 */
int audit_dataset(const struct audit *a, const char *dir, char *err, size_t len);

/*
 * audit.c: the registry's servers in the buckets of the audit; parses its
 * own arguments (argv[0] is "audit") and closes stdout.
 */
struct agg_opts;
int reg_audit(struct agg_opts *o, int argc, char **argv);

#endif
