/*
 * ingest.h - mcp-aggregate ingest, the runners' door on the deciding host:
 * door.c speaks CGI or FastCGI to the web server, ingest.c answers the
 * routes, known.c says which slugs the fleet knows.  The rules are
 * mcp-aggregate(1) "ingest"; the routes and their answers mcp-serve(8)
 * "INGEST".
 */
#ifndef INGEST_H
#define INGEST_H

#include "aggregate.h"
#include "strmap.h"

#define ING_BODY_MAX (8 << 20)   /* bytes of a body as sent */
#define ING_PLAIN_MAX (32 << 20) /* bytes of a body once inflated */
#define ING_LINES_MAX 100000     /* lines of a body */
#define ING_LINE_MAX AGG_WIRE_LINE_MAX
#define ING_CHUNK_BYTES (1 << 20) /* bytes of lines parsed at once, about */
#define ING_RATE_BYTES 512        /* a line of the rate is this many bytes of a body, or one line */
/*
 * The bound of a region's lines a minute follows the fleet: ING_RATE_TIMES
 * times its targets (each a result a window of AGG_WINDOW seconds), plus
 * ING_RATE_FLOOR, which holds a request of push --to at its bounds (2,000
 * results, 1 MiB: 2,048 lines of the rate), so that a small fleet's runner
 * is never refused a whole batch.
 */
#define ING_RATE_TIMES 2
#define ING_RATE_TIMES_MAX 100
#define ING_RATE_FLOOR 2048
#define ING_RATE_MIN ING_RATE_FLOOR /* MCP_INGEST_RATE N, at least */
#define ING_RATE_MAX 100000000
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

/*
 * answer.c: store the n bytes of lines at p (lines of them; written into)
 * for region, and answer each line into r (200); with clock_why, every
 * line refused for it.  On a failure, the answer made (503, 500).
 */
void ing_answer(struct ing_conn *c, const char *overrides, const char *region, char *p, size_t n,
    long lines, const char *clock_why, struct ing_resp *r);

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
