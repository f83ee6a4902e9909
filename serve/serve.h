/*
 * serve.h - mcp-serve: the read side over HTTP, as a CGI program or a
 * FastCGI responder.  See serve/SPEC.md and mcp-serve(8).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef SERVE_H
#define SERVE_H

#include <stddef.h>

#include <cJSON.h>
#include <hiredis.h>

#include "buf.h"
#include "mcp.h"
#include "store.h"

/* A verdict older than this (now - window) is no longer shown: pending. */
#define SERVE_STALE 300
#define SERVE_PROBES_STALE 300 /* seconds without a result before /healthz is 503 */
/* Regions shown for one slug: the most recently seen. */
#define SERVE_REGIONS_MAX 64
/* /api/status: slugs per page, default and most. */
#define SERVE_PAGE_DEFAULT 100
#define SERVE_PAGE_MAX 1000
/* A badge's label, bytes. */
#define SERVE_LABEL_MAX 32

#define CACHE_API "public, max-age=60, stale-while-revalidate=300"
#define CACHE_BRIEF "public, max-age=10"
#define CT_JSON "application/json; charset=utf-8"

/*
 * What the read side shows.  ST_MAINT is never a verdict's state: the
 * badge and the shields endpoint show it while a maintenance window is in
 * force; the five fields keep the verdict's.
 */
enum serve_state { ST_PENDING, ST_UP, ST_DEGRADED, ST_DOWN, ST_MAINT };
#define SERVE_REASON_MAX 255 /* bytes of a maintenance reason shown */

/* The request, as the web server hands it over; strings borrowed. */
struct req {
	const char *method;
	char path[1024];   /* decoded route */
	const char *query; /* raw QUERY_STRING, "" when none */
	const char *inm;   /* If-None-Match, or NULL */
	int head;          /* HEAD: headers only */
	double now;
	/*
	 * A POST (the subscription routes, serve/notices.h): the body, read
	 * only when its declared length is at most SUB_BODY_MAX (else NULL),
	 * NUL-terminated; clen its CONTENT_LENGTH, -1 when none or malformed;
	 * and the headers those routes check.  NULL when absent.
	 */
	const char *body;
	size_t body_len;
	long clen;
	const char *ctype, *origin, *referer, *fetch_site, *host, *port, *remote;
	/* The headers of an MCP request (mcp.c), NULL when absent. */
	const char *accept, *mcp_version, *mcp_method, *mcp_name, *auth, *server_addr;
};

/* The response, built whole before a byte is written. */
struct resp {
	int status;
	const char *ctype;
	const char *cache;   /* Cache-Control, or NULL */
	const char *allow;   /* Allow, or NULL */
	int retry_after;     /* seconds, 0 for none */
	int cors;            /* Access-Control-Allow-Origin: * */
	int vary;            /* Vary: Accept-Encoding */
	int html;            /* a page: its Content-Security-Policy */
	char etag[160];      /* "" for none */
	char location[1200]; /* a 301's Location, "" for none */
	char www_auth[800];  /* a 401's WWW-Authenticate (mcp.c), "" for none */
	struct mcp_buf body;
	/*
	 * More of the body, written after body as they are (owned, freed by
	 * serve_resp_free): /metrics's families, not copied into one buffer.
	 */
	struct mcp_buf *more;
	size_t nmore;
	struct mcp_buf head; /* the header block, written by serve_finish */
};

/* The store connection a process keeps (FastCGI) or opens once (CGI). */
struct conn {
	struct mcp_store *st; /* NULL until the first request that needs it */
	char url[2048];       /* the URL it was opened with */
	void (*log)(void *logarg, const char *msg);
	void *logarg;
	int fcgi; /* a FastCGI responder: requests after this one (read.c's cache) */
};

/*
 * The verdict of one slug as the read side shows it.  state and the rest
 * are filled by serve_summary from the replies of GET verdict and ZREVRANGE
 * seen 0 0 WITHSCORES.
 */
struct summary {
	enum serve_state state;
	int known; /* has a verdict or a probe */
	int has_verdict;
	int stale;         /* pending because the verdict is old */
	double window;     /* -1: none */
	double uptime;     /* percent, -1: none */
	double p95;        /* ms, -1: none */
	double last_probe; /* epoch seconds, -1: none */
	int divergence;
	char as_of[32]; /* "" when none */
	cJSON *rec;     /* the verdict record when asked to keep it: owned */
	/* A maintenance window (mcp-alert maint) in force now: its end and reason. */
	int maint;
	double maint_end;
	char maint_reason[SERVE_REASON_MAX + 1];
	/* The slug the registry moved this one to (mcp:registry:aliases), or "". */
	char moved[MCP_SLUG_MAX + 1];
	/*
	 * Its readiness, as the verdict says it (lib/ready.h): the grade its
	 * reasons make, or 0 when it has none; the reasons and eras as bits
	 * (1 << MCP_R_..., 1 modern 2 legacy 4 sse); when last checked
	 * (ISO 8601, UTC), or "".
	 */
	char grade;
	unsigned long ready_codes;
	unsigned ready_eras;
	char ready_at[24];
	char ready_issuer[257]; /* its authorization server's issuer (a URL, checked), or "" */
};

/* main.c */
void serve_log(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* route.c: answer one request into r (r->body and r->head filled). */
void serve_request(struct conn *c, const struct req *q, struct resp *r);
/*
 * The answer of a GET of q->path, without its header block: what the MCP
 * tools (mcp.c) read the JSON API through, so that both answer the same.
 */
void serve_route(struct conn *c, const struct req *q, struct resp *r);
int serve_decode_path(const char *in, size_t inlen, char *out, size_t outlen);
/* The same for a form's field: a plus sign is a space. */
int serve_decode_form(const char *in, size_t inlen, char *out, size_t outlen);
void serve_resp_free(struct resp *r);

/* store.c (serve's reads) */
enum serve_rc { SR_OK = 0, SR_DOWN = -1 };
/*
 * Run the n commands argv[i] (argc[i] words) as one pipeline, replies into
 * rep (owned by the caller, freed with serve_free_replies).  SR_DOWN (logged)
 * when the store does not answer.
 */
enum serve_rc serve_query(
    struct conn *c, size_t n, int *argc, const char ***argv, redisReply **rep);
void serve_free_replies(redisReply **rep, size_t n);
void serve_summary(
    const redisReply *verdict, const redisReply *seen, double now, struct summary *s, int keep);
/* The same for one slug, the parse of its record kept when fcgi (read.c). */
void serve_summary_one(
    const redisReply *verdict, const redisReply *seen, double now, struct summary *s, int fcgi);
/* The key of a slug's maintenance window, and the reply of HMGET key start end reason. */
void serve_maint_key(char *buf, size_t len, const char *slug);
void serve_maint(const redisReply *r, double now, struct summary *s);
void serve_unavailable(struct resp *r);
/*
 * The alias of a slug: 1 when slug may be one the registry moved (only a
 * hashed slug ever is: "-" and 8 hex digits at its end), and then the
 * words of HGET MCP_KEY_ALIASES SLUG (argv[0..2]) for a pipeline; its
 * reply, or NULL when none was asked, read into s->moved.
 */
int serve_alias_cmd(const char **argv, const char *slug);
void serve_moved_of(const redisReply *r, struct summary *s);
/*
 * 301 to the same route of the slug to: suffix is what follows the slug
 * in the path ("", ".svg", "/regions"), NULL for the ?slug= of the
 * Prometheus line.
 */
void serve_moved(struct resp *r, const struct req *q, const char *suffix, const char *to);
void serve_error(struct resp *r, int status, const char *what, const char *cache);
int serve_query_get(const char *qs, const char *name, char *out, size_t outlen);

struct region {
	char name[MCP_SLUG_MAX + 1];
	double seen;
	char letter;    /* h, a, b; 0: result unreadable or gone */
	char step[16];  /* of a broken result */
	char code[48];  /* its error code, "" when none (the operator's view of /mcp) */
	double ms;      /* of a passing result, -1: none */
	char hash[160]; /* latest tool hash within 24 h, "" when none */
	int differs;
	int fault; /* named in the verdict's probe_fault: its probe is blind */
};

/* list.c: the routes over several slugs or regions. */
#define SERVE_CURSOR_MAX (MCP_SLUG_MAX + 1) /* "~" and a slug */
typedef int summary_fn(void *arg, const char *slug, const struct summary *s);
#define SERVE_EACH_KEEP 1     /* the verdict tree kept in s->rec for fn */
#define SERVE_EACH_NO_MAINT 2 /* the maintenance window not read */
int serve_each_summary(
    struct conn *c, double now, char *const *slugs, size_t n, int flags, summary_fn *fn, void *arg);
int serve_scan(struct conn *c, const struct req *q, struct resp *r, redisReply **rep, char **slugs,
    size_t *n, char *next);
size_t serve_regions_of(const redisReply *r, struct region *g);
int serve_region_results(struct conn *c, const char *slug, struct region *g, size_t n, double now);
const char *serve_region_state(const struct region *g, double now);
/* One region as GET /api/status/SLUG/regions shows it: a JSON object. */
int serve_region_json(struct mcp_buf *b, const struct region *g, double now);
void serve_mark_faults(const cJSON *rec, struct region *g, size_t n);
void serve_regions(struct conn *c, const struct req *q, const char *slug, struct resp *r);
void serve_list(struct conn *c, const struct req *q, struct resp *r);
void serve_health(struct conn *c, const struct req *q, struct resp *r);
const char *serve_state_name(enum serve_state s);
double serve_time(const char *s);

/*
 * prom.c: Prometheus text.  /metrics, the whole fleet or its share K of
 * N (?shard=K/N: the slugs whose FNV-1a hash is K modulo N), and the
 * series of one slug (/api/embed-status-prom).
 */
#define SERVE_SHARDS_MAX 1024
void serve_metrics(struct conn *c, const struct req *q, struct resp *r);
void serve_prom_one(const char *slug, const struct summary *s, double now, struct resp *r);

/* region.c: the city of a region code, or NULL. */
const char *serve_city(const char *code);
int serve_region_where(const char *code, double *lat, double *lon);
int serve_conf_load(const char *path, char *err, size_t errlen);
const char *serve_conf_store(void);
/* The origin lines (the subscription form's own origins): how many; 1 when o is one. */
int serve_conf_origins(void);
int serve_conf_origin(const char *o);

/* assets.c: the files served as they are, built into the binary. */
struct asset {
	const char *path, *ctype;
	const char *p;
	size_t len;
};
const struct asset *serve_asset(const char *path);
void serve_asset_etag(const struct asset *a, char *buf, size_t len);

/* chart.c: the status page's pictures. */
#define SERVE_DAYS 30     /* daily bars, by default */
#define SERVE_DAYS_MAX 90 /* daily bars, ?days=90 */
#define SERVE_HOURS 24    /* hours of the latency chart */
struct latency {
	long first_hour; /* epoch hours of column 0 */
	int nreg;
	char reg[SERVE_REGIONS_MAX][MCP_SLUG_MAX + 1]; /* sorted */
	double p95[SERVE_REGIONS_MAX + 1]
	          [SERVE_HOURS]; /* row 0 all regions, 1 + i region i; -1 none */
};
/* The daily bars: n days from first, each day's up, counted and maintenance windows. */
struct bars {
	long first;
	int n;
	const double *u, *c, *m;
	const char *heading;      /* "Uptime, last 30 days" */
	const char *nav;          /* HTML between the heading and the bars, or NULL */
	const char *left, *right; /* the axis's two ends */
	const char *since;        /* "the history starts on": the first day with data */
	long last;                /* the days after it are to come (a month's report) */
};
int serve_bars(struct mcp_buf *b, const struct bars *x);
void serve_days(const redisReply *up, const redisReply *tally, long first, int n, double *u,
    double *c, double *m);
int serve_latency_read(struct conn *c, const char *slug, double now, struct latency *l);
int serve_latency_svg(struct mcp_buf *b, const struct latency *l);

/*
 * words.c: "2026-11-24 16:00 UTC"; "3 hours 5 min", "42 minutes"; a
 * region as "London (eu-west-2)" in a span that does not wrap, or as text.
 */
void serve_when(double t, char *buf, size_t len);
void serve_duration(double secs, char *buf, size_t len);
int serve_region_name(struct mcp_buf *b, const char *code);
int serve_region_text(struct mcp_buf *b, const char *code);
/*
 * A server's text made visible: each hidden character written \u{XXXX},
 * a byte of no character \xNN, at most max bytes of s, "…" after a cut.
 */
void serve_visible(char *buf, size_t len, const char *s, size_t max);

/* page.c: the HTML status pages and the Atom feed. */
void serve_page(struct conn *c, const struct req *q, const char *slug, struct resp *r);
void serve_index(struct conn *c, const struct req *q, struct resp *r);
void serve_feed(struct conn *c, const struct req *q, const char *slug, struct resp *r);
/* The head of every page (one stylesheet, no script), and a page's response fields. */
int serve_page_head(struct mcp_buf *b, const char *title, const char *feed);
void serve_html_resp(struct resp *r);

/* tools.c: the changes of the tool lists (issue 46; mcp:{SLUG}:tch, tools_divergence). */
#define SERVE_TOOLS_SHOWN 20       /* changes on a page and in a feed */
#define SERVE_TOOLS_HIST_LAST "99" /* ZREVRANGE tch 0 99: the history the store keeps */
/* The members of ZREVRANGE mcp:{SLUG}:tch, checked: an array (owned), NULL out of memory. */
cJSON *serve_tools_history(const redisReply *r);
/* The page's "Tool changes": the history, and the regions rec says disagree. */
int serve_tools_html(struct mcp_buf *b, const cJSON *hist, const cJSON *rec);
/* An Atom entry a change. */
int serve_tools_feed(struct mcp_buf *b, const char *slug, const cJSON *hist);
/* GET /api/status/SLUG/tools */
void serve_tools(struct conn *c, const struct req *q, const char *slug, struct resp *r);
/* GET /api/status/SLUG/lists: each region's lists and their text (lists.c). */
void serve_lists(struct conn *c, const struct req *q, const char *slug, struct resp *r);

/* report.c: a month's report of one slug, the page (?month=YYYY-MM). */
void serve_report(struct conn *c, const struct req *q, const char *slug, struct resp *r);
/* The same numbers as JSON (the MCP tool monthly_report). */
void serve_report_json(struct conn *c, const struct req *q, const char *slug, struct resp *r);

/*
 * mcp.c: /mcp, the read side as an MCP server (mcp-serve(8), "MCP"), and
 * the documents that publish it; 1 when q->path is one of them (r
 * answered), else 0.
 */
int serve_mcp_route(struct conn *c, const struct req *q, struct resp *r);

/* audit.c: the saved registry audit (mcp:registry:audit), as JSON and as a page. */
void serve_audit_json(struct conn *c, const struct req *q, struct resp *r);
void serve_audit_page(struct conn *c, const struct req *q, struct resp *r);

/* render.c */
int serve_summary_json(struct mcp_buf *b, const struct summary *s, double now);
int serve_summary_fields(struct mcp_buf *b, const struct summary *s, double now);
void serve_etag(const struct summary *s, char *buf, size_t len);
/*
 * Text into HTML, SVG or XML: markup never, and every page and feed
 * well-formed whatever s holds: what XML 1.0 excludes (C0 controls but
 * tab, LF and CR; U+FFFE, U+FFFF; surrogates and invalid UTF-8), DEL, C1
 * and the noncharacters become U+FFFD (SERVE_REPLACEMENT).
 */
int serve_esc(struct mcp_buf *b, const char *s);
/* 1 when code point cp may stand in text as itself (serve_esc's rule, tab, LF and CR in). */
int serve_text_char(unsigned long cp);
#define SERVE_REPLACEMENT "\xef\xbf\xbd"
int serve_badge_svg(struct mcp_buf *b, enum serve_state st, const char *label, const char *theme);
int serve_grade_badge_svg(struct mcp_buf *b, char grade, const char *label, const char *theme);
/*
 * /api/status/SLUG/readiness: {"slug","grade","eras","reasons":[{"code",
 * "severity","spec","message","fix"}],"checked_at"}, the words lib/ready.h's;
 * grade and checked_at null before the first posture.
 */
int serve_readiness_json(struct mcp_buf *b, const char *slug, const struct summary *s);
int serve_shields_json(struct mcp_buf *b, enum serve_state st);
int serve_maint_json(struct mcp_buf *b, const struct summary *s);

#endif
