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

#define ING_BODY_MAX (8 << 20)     /* bytes of a body as sent */
#define ING_PLAIN_MAX (32 << 20)   /* bytes of a body once inflated */
#define ING_LINES_MAX 100000       /* lines of a body */
#define ING_RATE 200000            /* lines a region may send a minute, by default */
#define ING_RATE_MIN ING_LINES_MAX /* a body at its bound always fits */
#define ING_RATE_MAX 100000000
#define ING_CLOCK 60        /* seconds a runner's clock may differ from the ingest's */
#define ING_READ_SECONDS 30 /* a CGI program's whole body, at most */
#define ING_KNOWN_TTL 300   /* seconds a slug found known is taken as known */

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

/* The slugs found known, for ING_KNOWN_TTL: owned keys. */
struct ing_known {
	struct mcp_strmap m;
	char **keys;
	size_t n, cap;
	double born;
};

/*
 * The target slugs of the overrides file, read again when the file is
 * another or has changed (its inode, size or time).
 */
struct ing_overrides {
	char *path; /* owned */
	unsigned long long dev, ino, size;
	long long mtime_ns;
	struct mcp_strmap m;
	char **slugs; /* owned */
	size_t n;
	int bad; /* the file could not be read: none known from it */
};

/* What lives from one request to the next (a FastCGI responder's). */
struct ing_conn {
	const struct agg_opts *o;
	const char *overrides; /* -o, or NULL: the request's MCP_INGEST_OVERRIDES */
	struct mcp_store *st;  /* NULL until a request needs it */
	char url[2048];        /* the URL st was opened with */
	char rate_sha[41];
	struct ing_known known;
	struct ing_overrides ov;
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
/* The status line's words of a status. */
const char *ing_reason(int status);
void ing_conn_free(struct ing_conn *c);

/*
 * known.c: for each record of rec[0..n) that is a result of a slug the
 * fleet does not know (not in the slug index, the registry or the
 * overrides file), known[i] = 0; else 1.  -1 when the store failed (err).
 */
int ing_known(struct ing_conn *c, const char *overrides, cJSON *const *rec, size_t n, int *known,
    char *err, size_t len);
void ing_known_free(struct ing_known *k);
void ing_overrides_free(struct ing_overrides *o);

#endif
