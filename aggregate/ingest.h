/*
 * ingest.h - mcp-aggregate ingest, the runners' door on the deciding host:
 * door.c speaks CGI or FastCGI to the web server, ingest.c answers the
 * routes, known.c says which slugs the fleet knows.  The rules are
 * mcp-aggregate(1) "ingest"; the routes and their answers mcp-serve(8)
 * "INGEST".
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef INGEST_H
#define INGEST_H

#include "aggregate.h"
#include "strmap.h"

#define ING_BODY_MAX (8 << 20)   /* bytes of a body as sent */
#define ING_PLAIN_MAX (32 << 20) /* bytes of a body once inflated */
#define ING_LINES_MAX 100000     /* lines of a body */
#define ING_LINE_MAX AGG_WIRE_LINE_MAX
#define ING_CHUNK_BYTES (1 << 20) /* bytes of lines parsed at once, about */
#define ING_RATE_BYTES 4096       /* a line of the rate is a line, or this many bytes of one */
/*
 * The bound of a region's lines a minute follows the fleet: ING_RATE_TIMES
 * times its targets (each a result a window of AGG_WINDOW seconds, a few
 * hundred bytes: one line of the rate), plus ING_RATE_FLOOR, which holds
 * a request of push --to at its bounds (2,000 results), so that a small
 * fleet's runner is never refused a whole batch.  The lists are not
 * charged there: a tools_list step longer than ING_RATE_BYTES (an older
 * runner's, ing_list_line) and a request of lists are charged their bytes
 * against the region's bytes of lists a minute (MCP_INGEST_LISTS), and a
 * list that budget refuses costs nothing but itself.
 */
#define ING_RATE_TIMES 2
#define ING_RATE_TIMES_MAX 100
#define ING_RATE_FLOOR 2048
#define ING_RATE_MIN ING_RATE_FLOOR /* MCP_INGEST_RATE N, at least */
#define ING_RATE_MAX 100000000
#define ING_LISTS_BYTES (16 << 20) /* bytes of lists a region a minute, by default */
#define ING_LISTS_MIN (2 << 20)    /* MCP_INGEST_LISTS N, at least: a request of push --to */
#define ING_LISTS_MAX (1L << 34)
#define ING_LACK_KEY "mcp:ingest:lack:"  /* REGION: "SLUG K:HEX" the ingest said the store lacks */
#define ING_LACK_TTL 900                 /* seconds such a list may be sent after the answer */
#define ING_LACK_MAX 300000              /* of them kept a region, the oldest forgotten */
#define ING_FLEET_KEY "mcp:ingest:fleet" /* the count of targets, kept ING_KNOWN_TTL s */
#define ING_CLOCK 60                     /* seconds a runner's clock may differ from the ingest's */
#define ING_READ_SECONDS 30              /* a CGI program's whole body, at most */
#define ING_KNOWN_TTL 60                 /* seconds the fleet's targets are kept, at most */
#define ING_KNOWN_FRESH 5                /* seconds before a slug not in them has them made again */

/* Where a request comes from: the environment (CGI) or FastCGI's records. */
struct ing_src;

/* A parameter of the request (CGI: the environment), or NULL; borrowed. */
const char *ing_param(const struct ing_src *s, const char *name);

/*
 * The body, appended to b: 0; 1 when it is longer than max (what was
 * read is dropped); -1 when it could not be read whole in
 * ING_READ_SECONDS (why).
 */
int ing_body(struct ing_src *s, struct mcp_buf *b, size_t max, char *why, size_t len);

/* The fleet's targets (known.c): each slug, and the host of its URL (ptr). */
struct ing_known {
	struct mcp_strmap m; /* hosts in hosts */
	char *text;          /* owned: the targets as GET /targets serves them */
	size_t len;
	char *hosts; /* owned */
	char *path;  /* owned: the overrides file it was made with, or NULL */
	double born; /* monotonic time it was made */
	int ok;
};

/* What lives from one request to the next (a FastCGI responder's). */
struct ing_conn {
	const struct agg_opts *o;
	const char *overrides; /* -o, or NULL: the request's MCP_INGEST_OVERRIDES */
	struct mcp_store *st;  /* NULL until a request needs it */
	char url[2048];        /* the URL st was opened with */
	char rate_sha[41];
	char token_id[16]; /* the ID of the request's token, once checked */
	struct ing_known known;
	int fcgi;
	/* The log of the request (door.c): FastCGI's stderr stream; NULL: stderr. */
	void (*log)(void *logarg, const char *line);
	void *logarg;
};

/* The answer, built whole before a byte of it is written. */
struct ing_resp {
	int status;
	const char *ctype;
	const char *allow;   /* Allow, or NULL */
	int retry_after;     /* seconds, 0: none */
	int challenge;       /* WWW-Authenticate: Bearer */
	struct mcp_buf body; /* owned */
};

/* 1 when the line p (n bytes) is charged to the lists' budget (ingest.c). */
int ing_list_line(const char *p, size_t n);
/*
 * ingest.c: the region's count of key KEY:MINUTE this minute, n more:
 * 0, 1 when over lim, -1 when the store failed.  n 0: at lim already.
 */
int ing_rate(struct ing_conn *c, const char *what, const char *region, long n, long lim);
/*
 * ingest.c: what ing_rate's k makes of the answer: -1, 503 (the store
 * dropped); 1 (the 429 made by the caller) or -1, its Retry-After.
 */
void ing_rate_refused(struct ing_conn *c, struct ing_resp *r, int k);
/* ingest.c: the region's bytes of lists a minute (MCP_INGEST_LISTS). */
long ing_lists_limit(struct ing_conn *c, const struct ing_src *s);
/* ingest.c: the body, whole and inflated, into plain: 0, or -1 with the answer made. */
int ing_read_body(struct ing_conn *c, struct ing_src *s, struct mcp_buf *raw, struct mcp_buf *plain,
    struct ing_resp *r);
/* inglists.c: POST /ingest/REGION?lists, the lists the store lacks. */
void ing_lists(struct ing_conn *c, struct ing_src *s, const char *region, struct ing_resp *r);

/*
 * answer.c: store the n bytes of lines at p (lines of them; written into)
 * for region, and answer each line into r (200); with clock_why, every
 * line refused for it.  Without lists_ok, the lines of ing_list_line are
 * answered checked unread: their lists were over the region's budget.  On a failure, the answer made (503, 500).
 */
void ing_answer(struct ing_conn *c, const char *overrides, const char *region, char *p, size_t n,
    long lines, const char *clock_why, int lists_ok, struct ing_resp *r);

/*
 * ingest.c: a line of the web server's log, "mcp-aggregate: ingest: ...":
 * through FastCGI's stderr stream to the web server's error log (a
 * responder under spawn-fcgi has no stderr), a CGI program's stderr.
 */
void ing_log(const struct ing_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An answer of one JSON object {"error":"what"}. */
void ing_fail(struct ing_resp *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Close the store's connection: the next request opens another. */
void ing_drop_store(struct ing_conn *c);

/* ingest.c: answer one request into r. */
void ing_request(struct ing_conn *c, struct ing_src *s, struct ing_resp *r);
void ing_conn_free(struct ing_conn *c);

/*
 * known.c: for each record of rec[0..n): -1 when it is not a result, 0
 * when its slug is none of the fleet's targets (GET /targets), 1 when it
 * is, its "url" then left out when it names another host than its
 * target's; 2 when it is not in a set made seconds before this request
 * (answer later).  -1 when the store failed or the overrides file is bad (err).
 */
int ing_known(struct ing_conn *c, const char *overrides, cJSON *const *rec, size_t n, int *known,
    char *err, size_t len);
void ing_known_free(struct ing_known *k);
/* known.c: the count of the fleet's targets (GET /targets), or -1 (err). */
long ing_known_count(struct ing_conn *c, const char *overrides, char *err, size_t len);

#endif
