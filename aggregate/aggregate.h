/*
 * aggregate.h - mcp-aggregate: shared declarations of its files.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef AGGREGATE_H
#define AGGREGATE_H

#include <stddef.h>

#include <cJSON.h>

#include "buf.h"
#include "json.h"
#include "mcp.h"
#include "store.h"
#include "strmap.h"

#define AGG_WINDOW 60    /* seconds per window */
#define AGG_GRACE 35     /* probe deadline: W is complete at W + 60 + 35 */
#define AGG_LOOKBACK 180 /* default lookback, seconds */
#define AGG_LOOKBACK_MIN 120
#define AGG_LOOKBACK_MAX 300
#define AGG_DIVERGENCE_SPAN 300 /* divergence looks at each region's latest result in 5 min */
#define AGG_DAY 86400
#define AGG_HOUR 3600
#define AGG_TTL_SHORT (AGG_DAY + AGG_HOUR) /* results, latencies, drift, seen: 25 h */
#define AGG_TTL_LONG (31 * AGG_DAY)        /* tool hashes, verdicts, history: 31 days */
#define AGG_UPTIME_DAYS 30
#define AGG_BATCH 512  /* records or slugs per pipeline round trip */
#define AGG_UJ_CODES 3 /* the reasons of an unjudged result: not_started, evicted, run_ended */

/* The window of a probe start time: floor(t / 60) * 60. */
long long agg_window(double t);

/* The latest complete window as of now: now >= W + 95. */
long long agg_latest_complete(double now);

/*
 * Latency buckets: bucket b holds the durations in (1.05^(b-1), 1.05^b]
 * milliseconds; bucket 0 those up to 1 ms, the last one everything above.
 */
#define AGG_LAT_BASE 1.05
#define AGG_LAT_NBUCKET 512

/* The bucket of a duration in milliseconds. */
int agg_lat_bucket(double ms);

/* What p95_ms reports for a bucket: its upper bound 1.05^b, rounded. */
long long agg_lat_value(int bucket);

/* Result states as stored ("h", "a", "b"). */
enum agg_state { AGG_HEALTHY, AGG_AUTH_WALLED, AGG_BROKEN };

/* One stored result, parsed back from the store. */
struct agg_result {
	const char *region; /* borrowed */
	double started;
	enum agg_state state;
	int failed_step;   /* -1 or an index into agg_steps */
	const char *hash;  /* borrowed: the hash id (agg_hash_id), NULL for none */
	const char *error; /* borrowed: a broken result's error code, NULL for none */
	long ms;           /* a passing result's duration in whole ms, -1 for none */
};

/* What a verdict is decided from: one slug, one window. */
struct agg_input {
	long long window;
	int lookback;
	const struct agg_result *res; /* results of the windows around W */
	size_t nres;
	const char *const *seen; /* regions seen in the last 24 h or later */
	size_t nseen;
};

enum agg_verdict { AGG_GREEN, AGG_AMBER, AGG_RED, AGG_UNKNOWN };

struct agg_decision {
	enum agg_verdict verdict;
	const char *severity; /* static */
	int step;             /* -1 for none */
	int divergence;       /* 1: passing regions' latest hashes differ */
	const char *error;    /* borrowed from the results: the code at step, or NULL */
	long latency_ms;      /* median duration of W's passing results, -1 for none */
	/* Sorted arrays of borrowed region names; owned arrays (free them). */
	const char **failed;
	size_t nfailed;
	const char **reporters;
	size_t nreporters;
	const char **missing;
	size_t nmissing;
	/*
	 * failed_regions and failing_now, one list: the regions failing (the
	 * verdict's step when red), each by its latest result in the lookback
	 * (mcp-alert(1) confirms on these).
	 */
	const char **failing_now;
	size_t nfailing_now;
	/*
	 * divergent_regions: when the hashes differ, the passing regions whose
	 * latest hash is not the one most of them carry (all of them on a tie).
	 */
	const char **divergent;
	size_t ndivergent;
};

/* Decide a verdict (CONTRACT §3).  0, or -1 when memory ran out. */
int agg_decide(const struct agg_input *in, struct agg_decision *d);
void agg_decision_free(struct agg_decision *d);

/*
 * The probe-fault judgment (fault.c, mcp-aggregate(1) "Probe faults"): a
 * region failing the slugs that other regions see passing, more than
 * three times as many as it passes itself, is blind in that window, and
 * its results count for no slug.
 */
#define AGG_FAULT_MIN 10         /* default: at least this many slugs failed ... */
#define AGG_FAULT_PERCENT 75     /* ... and more than this share of them and its passes */
#define AGG_FAULT_PERCENT_MIN 50 /* -P: below, a set of slugs smaller than ... */
#define AGG_FAULT_PERCENT_MAX 99 /* ... what a region passes would blind it */
#define AGG_FAULT_REGIONS 64     /* regions a judgment keeps; more are not judged */

/*
 * A certificate expiry more than this earlier than every other region's
 * for the same slug disagrees with them (fault.c).
 */
#define AGG_CERT_FAR AGG_DAY

/*
 * One region of one slug: its latest result in the lookback failed at
 * step, or passed with a tool-list id, and the expiry of its latest
 * certificate (judge.c reads them).
 */
struct agg_rstate {
	const char *region; /* borrowed from the input's results */
	int step;           /* failed step, -1: passes */
	unsigned hash;      /* a pass's tool-list id (rs:HOUR's 16 bits), 0: none */
	double cert;        /* its certificate's expiry, -1: none */
};

struct agg_fault_region {
	char name[MCP_SLUG_MAX + 1];
	long probed;            /* slugs it reported for */
	long passed;            /* of those, slugs it passed */
	long failed;            /* of those, slugs counted against it: failures another
	                           region passed, and the disagreements below */
	long steps[MCP_NSTEPS]; /* those failures by step */
	long hash;              /* passes whose tool hash differs from what the others agree on */
	long cert;              /* certificate expiries far earlier than the others' */
	int canary; /* its runner's own canary failed: blind, its passes count for none */
	int blind;
};

struct agg_faults {
	long min;    /* the thresholds: failed >= min ... */
	int percent; /* ... and failed * 100 > percent * (failed + passed); min 0: never blind */
	size_t n;
	struct agg_fault_region r[AGG_FAULT_REGIONS];
};

/* Count one slug's regions into f. */
void agg_fault_add(struct agg_faults *f, const struct agg_rstate *s, size_t n);
/* Add the counts of g (its canary and blind flags aside) to its region's in f. */
void agg_fault_merge(struct agg_faults *f, const struct agg_fault_region *g);
/*
 * Mark region as one whose runner's canary failed (before its slugs are
 * added): blind whatever the thresholds.
 */
void agg_fault_canary(struct agg_faults *f, const char *region);
/* Decide which regions are blind (the blind flags). */
void agg_fault_judge(struct agg_faults *f);
/* The region if it is blind, else NULL. */
const struct agg_fault_region *agg_fault_blind(const struct agg_faults *f, const char *region);
/*
 * A blind region's results count for no slug: drop them from a slug's
 * results before the decision, and the region from those seen, so that it
 * is not missing either.
 */
void agg_fault_drop(const struct agg_faults *f, struct agg_result *res, size_t *nres,
    const char **seen, size_t *nseen);
/* The step a blind region failed most (the first on a tie), -1 for none. */
int agg_fault_step(const struct agg_fault_region *g);

/*
 * The short runners of a window (short.c, mcp-aggregate(1) "Unjudged
 * results"): a region whose unjudged results of the window are at least
 * AGG_SHORT_MIN and more than AGG_SHORT_PERCENT of its results there.
 */
#define AGG_SHORT_MIN 5
#define AGG_SHORT_PERCENT 10
struct agg_short_region {
	char name[MCP_SLUG_MAX + 1];
	long results;              /* its results stored for the window, unjudged ones too */
	long uj[AGG_UJ_CODES + 1]; /* its unjudged ones by reason (1 to AGG_UJ_CODES) */
	long unjudged;             /* their sum */
	int is_short;
};
struct agg_shorts {
	size_t n;
	struct agg_short_region r[AGG_FAULT_REGIONS];
};
/* Read push's counts of window (mcp:runs:W) into s, decided; 0, or -1 after a warning. */
int agg_shorts_read(struct mcp_store *st, long long window, struct agg_shorts *s);
/* runner_short of a verdict record, when there are any: the short regions, sorted, with their figures. */
void agg_shorts_add(cJSON *o, const struct agg_shorts *s);
/*
 * status: the regions of window, a line each, on stdout after the slugs'
 * table, when one has unjudged results there; 0, or -1 when stdout fails.
 */
int agg_shorts_table(const struct agg_shorts *s, long long window);

/* "green", "amber", ... and the one-letter history code g/a/r/u. */
const char *agg_verdict_name(enum agg_verdict v);
char agg_verdict_code(enum agg_verdict v);

/*
 * A stored result (mcp-store(7)): "OFFSET hID MS", "OFFSET aID MS"
 * (healthy or auth-walled, the tool hash id when a tool list was read, the
 * duration in whole milliseconds when known) or "OFFSET b STEP CODE"
 * (broken, and its error code when it has one), OFFSET the start in
 * milliseconds after the window W.  The same without MS and CODE, and the
 * format of before, "STARTED STATE STEP HASH MS", live as long as their
 * key (25 h) and are read as well.
 */
#define AGG_HASH_ID 4         /* hex digits of a tool hash that a result keeps */
#define AGG_MS_MAX 999999999L /* the largest MS a stored value may hold */
#define AGG_CODE_MAX 40       /* an error code is [a-z0-9_]{1,40} */
#define AGG_HOST_MAX 255
#define AGG_REASON_MAX 255 /* bytes of a maintenance reason (mcp-alert maint) */

/*
 * A duration counts as an hour at most: the longest deadline of mcp-probe
 * (-t 3600), and the most latency_ms that mcp-alert(1) takes, so that no
 * verdict is refused there for one slow result.
 */
#define AGG_LATENCY_MAX 3600000L

/* A duration as a result keeps it: whole ms, at most AGG_LATENCY_MAX; -1 for none. */
long agg_ms_whole(double ms);

/* 1 when s is an error code that a result keeps: [a-z0-9_]{1,40}. */
int agg_code_ok(const char *s);

/*
 * The host of a URL, lowercased, into buf: no userinfo, no port, no
 * brackets around an IPv6 literal.  -1 when the URL has no host of the
 * characters [a-z0-9._~%-] (and ":" in brackets), or buf is too short.
 */
int agg_url_host(const char *url, char *buf, size_t len);

/* The start as stored: milliseconds after W, in [0, 59999]. */
long long agg_start_ms(double started, long long window);

/*
 * The id of a tool hash: the first 16 hex digits of "sha256:" and 64 of
 * them, else "=" and the hash whole.  Two ids are equal when the hashes
 * are, but for a collision of 64 bits.  -1 when buf is too short.
 */
int agg_hash_id(const char *hash, char *buf, size_t len);

/*
 * Parse a stored result of window W, any of the formats, into r: the hash
 * as its id.  Pointers into s, which is modified.
 */
int agg_result_parse(char *s, const char *region, long long window, struct agg_result *r);

/*
 * The bounds of what a probe record may bring into the store (LIMITS in
 * mcp-aggregate(1)); check.c.  A start ahead of the clock would be the
 * first writer of a window still to come and the latest of its region
 * (seen, hash, host) until the clock caught up, so only a few minutes of
 * skew between a probe host and the store's host are let through, and a
 * result's window must have begun (pushcheck.c, audit.h).  A
 * start older than the 30 days that push keeps anything of a slug could
 * change nothing but a key about to expire.
 */
#define AGG_SKEW 300                         /* seconds a start may be ahead of the clock */
#define AGG_PAST (AGG_UPTIME_DAYS * AGG_DAY) /* seconds a start may be behind it */
#define AGG_TIME_MAX 253402300799.0          /* 9999-12-31T23:59:59Z: no time is later */
#define AGG_MS_LIMIT 86400000                /* ms of a result: no probe takes a day */

/* A reason, with a value shown in it (mcp_json_quoted, mcp_json_num_text). */
#define AGG_WHY_MAX (MCP_QUOTED_MAX + 200)
/*
 * Bytes of a line the ingest takes (push --to sends none longer): a
 * probe's result is a few hundred, a tools_list step with the lists it
 * read (64 KiB each by default, mcp-probe --list-max) up to a few hundred
 * KiB: the bound of a line push reads, MCP_LINE_MAX.
 */
#define AGG_WIRE_LINE_MAX (1 << 20)

/*
 * The field (slug, region) of rec, a name by the slug rule, borrowed from
 * rec into *name.  0, or -1 with the reason in err.
 */
int agg_name_check(const cJSON *rec, const char *field, const char **name, char *err, size_t len);

/* probe_started_at of rec into *t: a time from now - AGG_PAST to now + AGG_SKEW. */
int agg_start_check(const cJSON *rec, double now, double *t, char *err, size_t len);

/* ms of rec into *ms: absent or null (-1), else from 0 to AGG_MS_LIMIT. */
int agg_ms_check(const cJSON *rec, double *ms, char *err, size_t len);

/*
 * canary (mcp-probe --canary) as its letter: absent (0), "ok" ('o') or
 * "fail" ('f'); anything else is refused.
 */
int agg_canary_check(const cJSON *rec, char *code, char *err, size_t len);

/*
 * origin (mcp-probe's origin=registry): absent (0) or "registry" (1) into
 * *reg; anything else is refused.
 */
int agg_origin_check(const cJSON *rec, int *reg, char *err, size_t len);

/*
 * The state of a result as its letter: h (healthy), a (auth-walled), b
 * (broken), u (unjudged: the runner could not judge it, CONTRACT §2).
 */
int agg_state_check(const cJSON *rec, char *code, char *err, size_t len);

/*
 * An unjudged result's reason, error.code, as its number into *n: 1
 * not_started, 2 evicted, 3 run_ended; anything else is refused.
 * agg_unjudged_name gives the name of a number back (NULL for none).
 */
int agg_unjudged_check(const cJSON *rec, int *n, char *err, size_t len);
const char *agg_unjudged_name(int n);

/*
 * The step named by field ("step", "failed_step"), borrowed into *step:
 * one of the eight when need is set, else absent or null (*step NULL).
 */
int agg_step_check(
    const cJSON *rec, const char *field, int need, const char **step, char *err, size_t len);

/* tool_hash: absent or null (""), or 1 to AGG_TOOL_HASH_MAX printable ASCII bytes. */
#define AGG_TOOL_HASH_MAX 128
int agg_hash_check(const cJSON *rec, const char **hash, char *err, size_t len);

/*
 * The certificate expiry of a verdict (cert_expires_at, cert_regions,
 * cert_regional): from the values of mcp:{slug}:cert, "STARTED EXPIRY" per
 * region (its latest TLS result), those started at or after since (24
 * hours before the window's end).  With two nonzero (two or more regions
 * report for the slug), exp is the expiry at least two regions see: the
 * second earliest of the regions' (-1 when only one region shows one);
 * else the earliest.  at: the regions whose expiry it is; early and
 * early_exp: each region alone with an earlier one (a regional fact), by
 * expiry then name.  The arrays are the caller's, room for n each; the
 * names are borrowed from regions.  A value that does not read (two
 * numbers, the expiry whole seconds up to AGG_TIME_MAX) is skipped, and so
 * is a region that is not a name.
 */
struct agg_cert {
	double exp; /* -1: none */
	const char **at;
	size_t nat;
	const char **early;
	double *early_exp;
	size_t nearly;
};
void agg_cert_pick(const char *const *regions, const char *const *values, size_t n, double since,
    int two, struct agg_cert *c);

/* Key names: every per-slug key carries the slug in a {hash tag}. */
#define AGG_KEY_SLUGS "mcp:slugs"
/*
 * The same slugs, every score 0, so that mcp-serve's /api/status pages
 * them by name (ZRANGE BYLEX): a cursor that lists each slug once.
 */
#define AGG_KEY_LEX "mcp:slugs:lex"
/* The newest window decided: read by mcp-serve's /healthz. */
#define AGG_KEY_NEWEST "mcp:verdict:newest"
int agg_key(char *buf, size_t len, const char *slug, const char *what, long long n);
/* The value of field f of the HGETALL reply h (borrowed), or NULL. */
const redisReply *agg_hfield(const redisReply *h, const char *f);

struct agg_opts {
	const char *url;    /* borrowed; NULL: MCP_REDIS or the default */
	const char *spool;  /* borrowed; NULL: MCP_SPOOL or the default */
	const char *region; /* push -r: the only region stdin may speak for */
	double timeout;
	int lookback;
	int verbose;
	int json;          /* status --json (-j) */
	long fault_min;    /* verdict -F */
	int fault_percent; /* verdict -P */
	/* push --to: the ingest's URL, the token's file, a private CA; borrowed or NULL. */
	const char *to, *token_file, *cacert;
	double linger; /* push --to --linger: seconds after stdin's end; < 0: the default */
	int take_back; /* token revoke --take-back */
	unsigned shard_k, shard_n; /* verdict --shard K/N; 0/0 for none */
};
/* The options before any flag. */
#define AGG_OPTS_INIT                                                                              \
	{                                                                                          \
		NULL, NULL, NULL, 5, AGG_LOOKBACK, 0, 0, AGG_FAULT_MIN, AGG_FAULT_PERCENT, NULL,   \
		    NULL, NULL, -1                                                                 \
	}

/*
 * The subcommands; each returns an exit status, or AGG_EXIT_STDOUT when
 * writing stdout failed and was reported (exit 1, stdout not closed again).
 */
#define AGG_EXIT_STDOUT (-1)
int agg_push(const struct agg_opts *o);

/*
 * origin.c: the registry's slugs as push reads them (its fields and the
 * slugs it moved, mcp-store(7)), to say whose slug a result may land under.
 */
#define AGG_ORIGIN_EVERY 60 /* seconds before push reads them again */
struct agg_origin {
	struct mcp_strmap slugs;
	double at; /* mcp_mono() of the last read, 0 for none */
	int read;  /* the store answered once: the set is known */
};
/* Read the slugs into o: 0, or -1 with err (o as it was when the store did not answer). */
int agg_origin_load(struct mcp_store *st, struct agg_origin *o, char *err, size_t len);
/*
 * NULL when the result for slug (from the registry's targets when reg)
 * may be stored, else why not, written into why.  Nothing is refused
 * before the set is known (the spool keeps it; its replay is checked).
 */
const char *agg_origin_refused(
    const struct agg_origin *o, const char *slug, int reg, char *why, size_t len);
void agg_origin_free(struct agg_origin *o);
/* push --to (relay.c): the records to the ingest over HTTPS. */
int agg_relay(const struct agg_opts *o);
/* targets --from URL (pull.c): the ingest's targets, the last ones when it is down. */
int agg_targets_from(const struct agg_opts *o, const char *url);

/*
 * The store side of push for lines of another's (push.c, for the ingest):
 * each line's fate is told to a callback instead of stderr and the spool.
 * A line is stored, a duplicate of its (slug, region, window), a step
 * record checked (nothing of it is stored), refused for good (why),
 * left for later (the store did not answer: send it again), or kept out
 * as a conflict: another result of its window is stored (why; counted and
 * audited, audit.h).
 */
enum agg_fate { AGG_STORED, AGG_DUPLICATE, AGG_CHECKED, AGG_REFUSED, AGG_LATER, AGG_CONFLICT };
typedef void agg_fate_fn(void *arg, long lineno, enum agg_fate f, const char *why);
struct agg_push;
/*
 * Push's context on st (borrowed: the caller's, never closed here) for
 * records of region only (rlabel names it in a refusal: "the token's
 * region "); NULL with err (the script could not be loaded, no memory).
 */
struct agg_push *agg_push_open(struct mcp_store *st, const char *region, const char *rlabel,
    agg_fate_fn *fate, void *arg, char *err, size_t len);
/* What is stored is kept as written by the token of that ID (borrowed; audit.h). */
void agg_push_token(struct agg_push *a, const char *id);
/*
 * The lists the store lacks and no line sent (lists.h), for a result of
 * line lineno stored or a duplicate: its slug, the kind (enum
 * mcp_list_kind) and the "sha256:" hash, each borrowed for the call.
 */
typedef void agg_lack_fn(void *arg, long lineno, const char *slug, int kind, const char *hash);
void agg_push_lacks(struct agg_push *a, agg_lack_fn *fn, void *arg);
/*
 * Queue on st the text of a list (n bytes, checked against hash by the
 * caller) of slug as push keeps it (pushlists.c, agg_lists_put_lua loaded
 * as sha): one reply to read.
 */
/* token.c: run one command of the CLI: its reply, or NULL after the message. */
redisReply *agg_cli_cmd(struct mcp_store *st, int argc, const char **argv);
void agg_list_put_append(struct mcp_store *st, const char *sha, const char *slug, int kind,
    const char *hash, const char *text, size_t n);
/* One record of line lineno (borrowed): refused or checked now, stored at a flush. */
void agg_push_record(struct agg_push *a, cJSON *rec, long lineno);
/* Store what is queued: every queued line's fate is told before it returns. */
void agg_push_flush(struct agg_push *a);
/* 1 while the store answers; 0 once a flush found it down (the rest is left for later). */
int agg_push_up(const struct agg_push *a);
/* Forget the slugs silent for 30 days, as each push does at its end. */
void agg_push_trim(struct agg_push *a);
void agg_push_close(struct agg_push *a);
/*
 * Check rec as push would take it, for records of region only (NULL: any):
 * 'r' a result, 's' a step record, 0 refused with the reason in why.
 */
int agg_push_check(const cJSON *rec, const char *region, const char *rlabel, char *why, size_t len);
int agg_verdict(const struct agg_opts *o, char **slugs, int nslugs);
/*
 * cloak.c: a result's "cloaking" (mcp-probe --as) as push keeps it, into
 * out: 1, or 0 when it has none that is as mcp-probe writes it (stored
 * without).  agg_cloak_add: the verdict's "cloaking" of window from the
 * HGETALL of mcp:{SLUG}:cloak.
 */
#define AGG_CLOAK_MAX 2048
int agg_cloak_value(const cJSON *rec, double started, char *out, size_t len);
void agg_cloak_add(cJSON *o, const redisReply *h, long long window);
/*
 * ready.c: agg_ready_value: the readiness a result carries, as kept in
 * mcp:{SLUG}:ready, into out (1; 0, out "", when it has none or it is not
 * as mcp-probe writes it).  agg_ready_add: the verdict's "readiness" of
 * window from that hash's HGETALL (none when no region's is recent).
 */
#define AGG_READY_MAX 2048
#define AGG_ISSUER_MAX 256
int agg_ready_value(const cJSON *rec, double started, char *out, size_t len);
void agg_ready_add(cJSON *o, const redisReply *h, long long window, int divergent);

/*
 * The slug's maintenance window from the reply of HMGET mcp:{SLUG}:alert:maint
 * start end reason: 1 with its bounds and reason (borrowed; "" for none), 0
 * for none or one that does not read.  It holds T when start <= T < end.
 */
int agg_maint_parse(const redisReply *r, double *start, double *end, const char **reason);

/* A line per slug (all known, or those named); exit 1 when one is not up. */
int agg_status(const struct agg_opts *o, char **slugs, int nslugs);
/*
 * report (report.c): argv[0] is "report", its flags and slugs after it;
 * parses them, closes stdout, and returns the exit status.
 */
int agg_report(int argc, char **argv);
/*
 * tools (tools.c): argv[0] is "tools", its flags and arguments after it;
 * the exit status.
 */
int agg_tools(int argc, char **argv);
/* fleet: the fleet's rules over every slug's lists (fleetrules.c). */
int agg_fleet(int argc, char **argv);
/* The stored results of slug in the windows from..to, a line each. */
int agg_results(const struct agg_opts *o, const char *slug, long long from, long long to);

/*
 * The spool of a push (spool.c): the base (-S, MCP_SPOOL or the default)
 * with a key of the store's URL without its password (and -r's region)
 * before its ".jsonl"; 0, or -1 when it does not fit in outlen.
 */
int agg_spool_path(const struct agg_opts *o, const char *store, char *out, size_t outlen);
/*
 * Open the spool path to append (create: its directories made, mode 700,
 * and the file, mode 600) or to read and truncate (O_RDWR).  Neither the
 * file nor its directory is followed through a symbolic link, and the file
 * must be a regular file of this user's with one name, that its group and
 * others cannot write.  The descriptor, or -1 with errno set (ENOENT: there
 * is none) and the reason, naming path, in why.
 */
int agg_spool_open(const char *path, int create, char *why, size_t len);

/*
 * verdict.c: queue the script that reads the slug's results of the windows
 * around W (sha: its SHA-1), and parse its reply into an owned array.
 */
int agg_append_read(struct mcp_store *st, const char *sha, long long window, const char *slug);
int agg_results_from(const redisReply *a, long long window, struct agg_result **res, size_t *nres);

/*
 * judge.c: the probe-fault judgment of window W over the slugs, kept in
 * the store; 0, or -1 after a warning.  agg_judgment reads the one kept:
 * 1, 0 when there is none, -1 after a warning.
 */
int agg_judge(struct mcp_store *st, long long window, int lookback, char *const *slugs, size_t n,
    struct agg_faults *f);
int agg_judgment(struct mcp_store *st, long long window, struct agg_faults *f);
/*
 * fold.c: the older hours of the results and latencies of the slugs whose
 * minute of the hour (agg_fold_minute mod 60) is one of the AGG_FOLD_SPAN minutes up
 * to that of the verdict's window folded (mcp:{SLUG}:rf; a slug folded
 * already this hour costs a read of rf's field F); 0, or -1 after a
 * warning.
 */
int agg_fold(struct mcp_store *st, char *const *slugs, size_t n, long long window);
/* A slug's own minute of the day, 0 to 1439 (FNV-1a of its name): its folds' turn. */
int agg_fold_minute(const char *slug);
/* The minutes from a slug's own in which a pass folds it (a verdict every few minutes meets it). */
#define AGG_FOLD_SPAN 5
/*
 * agg_judge in two: the canaries and the counts of the slugs into f (f->n
 * 0 first); then the judgment of f, kept in mcp:fault:W.  0, or -1 after a
 * warning.
 */
int agg_judge_count(struct mcp_store *st, long long window, int lookback, char *const *slugs,
    size_t n, struct agg_faults *f);
int agg_judge_keep(struct mcp_store *st, long long window, struct agg_faults *f);

/*
 * vshard.c, verdict --shard K/N (mcp-aggregate(1)): share K holds the
 * slugs whose hash slot S has S * N / 16384 = K - 1, the K-th of N equal
 * runs of the slots.  agg_shard_has: 1 when slug is in share k of n (every
 * slug for n 0).  agg_shard_keep: the slugs of the share moved to the
 * front, in their order; their count.  agg_shard_judge: the judgment of
 * window over every slug (all), from the counts of each share, each
 * counted by its own deciding host (the others' awaited as long as its
 * own count took and AGG_SHARD_WAIT seconds more, then counted here), kept
 * in mcp:fault:W as a full pass keeps it.  0, or -1 after a warning.
 */
#define AGG_SHARD_WAIT 10
int agg_shard_has(const char *slug, unsigned k, unsigned n);
size_t agg_shard_keep(char **slugs, size_t n, unsigned k, unsigned nshares);
int agg_shard_judge(struct mcp_store *st, const struct agg_opts *o, long long window, char **all,
    size_t n, struct agg_faults *f);
/*
 * Mark in f the regions whose latest canary in the lookback of W failed
 * (mcp:canary:W, mcp-store(7)); 0, or -1 after a warning.
 */
int agg_canaries(struct mcp_store *st, long long window, int lookback, struct agg_faults *f);

/*
 * token.c: the ingest's tokens (mcp-aggregate(1) "token", mcp-store(7)):
 * "ID.SECRET", 8 hexadecimal digits and 43 of base64url; the store keeps
 * "REGION ID" -> "sha256:HEX CREATED" in AGG_KEY_TOKENS, and the time of
 * its last use in AGG_KEY_USED; at most AGG_TOKENS_MAX a region.
 */
#define AGG_KEY_TOKENS "mcp:ingest:tokens"
#define AGG_KEY_USED "mcp:ingest:used"
#define AGG_TOKENS_MAX 2
#define AGG_TOKEN_LEN 52
/* token add REGION | list [REGION] | revoke REGION ID: an exit status. */
int agg_token(const struct agg_opts *o, int argc, char **argv);
/* 0 when tok has the form of a token (its id into id, 9 bytes), else -1. */
int agg_token_parse(const char *tok, char *id);
/*
 * 0 when tok is one of region's tokens (its id into id), compared by its
 * SHA-256 in constant time; -1 when it is not; -2 when the store failed
 * (err).  The token is never copied anywhere but into the hash.
 */
int agg_token_check(
    struct mcp_store *st, const char *region, const char *tok, char *id, char *err, size_t len);

/*
 * door.c, ingest.c: the ingest, a CGI program or a FastCGI responder
 * (mcp-aggregate(1) "ingest"); overrides: -o, or NULL.  An exit status.
 */
int agg_ingest(const struct agg_opts *o, const char *overrides);

/*
 * gz.c: inflate the gzip stream in into out, at most max bytes: 0; 1 when
 * it holds more (why); -1 when it is not one gzip stream (why).  agg_gzip
 * compresses in into out (gzip, level 1): 0, or -1 (no memory).
 */
int agg_gunzip(const char *in, size_t n, struct mcp_buf *out, size_t max, char *why, size_t len);
int agg_gzip(const char *in, size_t n, struct mcp_buf *out);

/*
 * common.c: what every subcommand shares, push and verdict as the
 * registry's room (registry/).
 */
/* Connect with the options' URL and timeout; NULL after printing why. */
struct mcp_store *agg_connect(const struct agg_opts *o);

/*
 * The slugs of the index (the name index, else the slug index of a store
 * of before), sorted: owned strings in *out (free each, then the array),
 * *n of them.  0, or -1 after a warning.
 */
int agg_all_slugs(struct mcp_store *st, char ***out, size_t *n);
long agg_hash_each(struct mcp_store *st, const char *key,
    void (*fn)(void *arg, const char *field, const char *value), void *arg);

/*
 * The command line's grammar (common.c).  agg_cmd_set names the
 * subcommand running ("tools", "registry sync": borrowed, kept), whose
 * usage lines the rest print; before it, the whole usage.  agg_usage
 * prints them and "See mcp-aggregate(1) for the manual." on stderr and
 * exits MCP_EXIT_USAGE; agg_usage_why says first what was wrong
 * ("prog: tools: --bogus: unknown option"); agg_help prints them on
 * stdout and exits 0.  agg_getopt is getopt_long over the subcommand's
 * options and -h and --help: it answers -h itself, names a refused
 * option, and returns the others.
 */
struct option;
void agg_cmd_set(const char *cmd);
void agg_usage(void) __attribute__((noreturn));
void agg_usage_why(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void agg_help(void) __attribute__((noreturn));
int agg_getopt(int argc, char **argv, const char *shorts, const struct option *longs);
/* The name of the long option whose value is c in longs ("diff"), or "?". */
const char *agg_long_name(const struct option *longs, int c);

#endif
