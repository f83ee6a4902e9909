/*
 * push.h - what push's files share: a result waiting for its round trip,
 * a list waiting for its result, push's context.  push.c the loop and the
 * ingest's calls, pushcheck.c the checks of a record, pushsend.c the
 * batch's round trips, pushlua.c the scripts, pushlists.c the lists.
 * Private to push; the ingest sees struct agg_push only through
 * aggregate.h.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGG_PUSH_H
#define AGG_PUSH_H

#include "aggregate.h"
#include "findings.h"
#include "full.h"
#include "lists.h"

#define HASH_MAX AGG_TOOL_HASH_MAX

/* One validated result record waiting for its round trip. */
struct pending {
	char slug[MCP_SLUG_MAX + 1];
	char region[MCP_SLUG_MAX + 1];
	char started[32];
	long long window;
	char value[32 + HASH_MAX];
	char hash[HASH_MAX + 1];
	char bucket[16];             /* the latency bucket of a passing result, or "" */
	char host[AGG_HOST_MAX + 1]; /* the host of its URL, or "" */
	char cert[24];               /* cert_expires_at in whole seconds, or "" */
	char cloak[AGG_CLOAK_MAX];   /* its cloaking as kept (cloak.c), or "" */
	char ready[AGG_READY_MAX];   /* its readiness as kept (ready.c), or "" */
	char canary;                 /* 'o', 'f' (its run's canary), or 0: none said */
	int from_registry;           /* "origin":"registry": a registry target's */
	int uj;                      /* unjudged: its reason, 1 to AGG_UJ_CODES; 0: judged */
	int stored;                  /* the store took it: first of its (slug, region, window) */
	int counted;                 /* in mcp:runs:W (count_runs) */
	int judged;                  /* its findings written (push_findings) */
	int canary_sent;             /* this round trip writes it (the batch's first of its kind) */
	struct mcp_buf line;         /* the record, for the spool */
	long lineno;                 /* its line, for the ingest's answer */
	int done;
	int conflicted;        /* kept out of its window: its audit to write */
	char why[AGG_WHY_MAX]; /* why the record was refused */
	/* Its tool, resource and prompt hashes when "sha256:" ones, else "". */
	char lh[AGG_LIST_KINDS][HASH_MAX + 1];
	/* The text of each from its probe's tools_list step, checked against lh; empty: none. */
	struct mcp_buf lt[AGG_LIST_KINDS];
	int lmiss; /* the lists the store lacks (bit per kind), from the script's reply */
	int lomit; /* the lists its step said too large to carry (bit per kind) */
	int lsent; /* of them, the lists whose text this batch sends */
	struct agg_findings fd; /* its text rules' findings (findings.c) */
};

/* A list of a tools_list step, waiting for its probe's result. */
struct lwait {
	char id[64]; /* probe_id */
	char slug[MCP_SLUG_MAX + 1];
	char region[MCP_SLUG_MAX + 1];
	int kind;
	char hash[MCP_HASH_LEN];
	struct mcp_buf text; /* owned */
	int omitted;         /* no text: the step said the list too large to carry */
	unsigned long seq;   /* 0: free */
};

struct pctx {
	struct mcp_store *st; /* NULL: Redis is down, records go to the spool */
	char sha[41];
	char uj_sha[41];    /* push_uj_lua's */
	const char *spool;  /* the spool of this store (and -r region) */
	const char *store;  /* its URL without the password, for messages */
	const char *name;   /* the stream being read, for messages */
	FILE *in;           /* the stream being read */
	int replaying;      /* reading the spool: never re-spool */
	const char *region; /* push -r: the one region stdin may speak for */
	struct agg_origin origin;
	struct pending *b;
	size_t n;
	long stored, dups, steps, spooled, replayed;
	int failed; /* records could be neither stored nor spooled */
	/*
	 * The ingest (agg_push_open): the fate of each line goes to fate,
	 * nothing to stderr or to a spool, and the store is the ingest's.
	 */
	agg_fate_fn *fate;
	void *fate_arg;
	const char *rlabel; /* what the region is called in a refusal: "-r " */
	long unjudged;      /* of stored: unjudged results */
	const char *token;  /* the ingest's token's ID, or NULL: what it writes is kept */
	long long newest;   /* with a token: mcp:verdict:newest at the batch, or -1 */
	long conflicts;     /* results of a window another result of holds */
	long future;        /* results refused for a window not begun */
	long future_new;    /* of them, not yet counted in the store, all of future_region */
	char future_region[MCP_SLUG_MAX + 1];
	/* The lists (lists.h): waiting for their results, and their bytes held. */
	char put_sha[41];
	struct lwait wait[AGG_LIST_WAIT];
	unsigned long wseq;
	size_t held;
	long lists_put, lists_unmatched, lists_absent, lists_refused;
	int oom;           /* results the last round of a batch saw refused for memory */
	agg_lack_fn *lack; /* the ingest's: told of each list the store lacks and no line sent */
	void *lack_arg;
};

/* pushlua.c: the scripts, each loaded on the store (mcp_store_script_load). */
extern const char push_lua[];    /* a result: stored, a duplicate or a conflict */
extern const char push_uj_lua[]; /* an unjudged result: stored or a duplicate */

/* pushcheck.c */
/* Check rec: 'r' a result (its fields into q), 's' a step record, 0 refused (why). */
int push_take(const struct pctx *p, const cJSON *rec, struct pending *q, char *why, size_t len);
/* 1 when q's slug is not its origin's (why); the origin's slugs read again each minute. */
int push_not_its_slug(struct pctx *p, const struct pending *q, char *why, size_t len);
/* 1 when q's window has not begun on this host's clock (why): counted in p. */
int push_not_begun(struct pctx *p, const struct pending *q, char *why, size_t len);

/* pushsend.c */
/* Store the batch: the spool, or the ingest's fates, take what is left. */
void push_flush_batch(struct pctx *p);
/* The results push_not_begun counted into the store (audit.c), the count then 0. */
void push_future_flush(struct pctx *p);

/* pushlists.c */
int push_lists_step(struct pctx *p, const cJSON *rec, char *why, size_t len);
void push_lists_claim(struct pctx *p, struct pending *q, const cJSON *rec, long lineno);
void push_lists_release(struct pctx *p);
void push_lists_put(struct mcp_store *st, struct pctx *p);
void push_lists_free(struct pctx *p);

#endif
