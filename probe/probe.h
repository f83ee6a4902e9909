/*
 * probe.h - mcp-probe: the eight-step MCP probe, one curl multi loop for a
 * whole fleet.  Each target is a small state machine driven by completed
 * transfers.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef PROBE_H
#define PROBE_H

#include <sys/queue.h>

#include <stdio.h>

#include <cJSON.h>
#include <curl/curl.h>

#include "addr.h"
#include "hash.h"
#include "buf.h"
#include "expect.h"
#include "sse.h"
#include "targets.h"
#include "toolset.h"

/*
 * MCP_SCAN_OFF: a probe that reads no list with the text rules
 * (mcp-rules(7)), its findings always none.  Built by tests/bench/rules-cost.sh
 * alone, into a directory of its own, to measure what the rules cost beside
 * it; never a shipped build.
 */
#ifdef MCP_SCAN_OFF
#define mcp_scan_item(s, k, t) ((void)(s), (void)(k), (void)(t), 0)
#define mcp_scan_instructions(s, t) ((void)(s), (void)(t), 0)
#endif

/*
 * The bytes of a server's instructions a result carries for the store, at
 * the most; kept with PROBE_INSTR_SLACK more until the record is written,
 * so that a secret the cut would halve is overwritten whole first.
 */
#define PROBE_INSTR_SENT 65536
#define PROBE_INSTR_SLACK 16384

enum step { S_DNS, S_CONNECT, S_TLS, S_HTTP, S_AUTH, S_INIT, S_LIST, S_CALL, S_NSTEPS };
enum status { ST_PENDING, ST_PASS, ST_FAIL, ST_SKIP };
enum era { ERA_AUTO, ERA_MODERN, ERA_LEGACY, ERA_SSE };
/* How the probe's requests are sent once the transport is known. */
enum mode { MODE_MODERN, MODE_LEGACY, MODE_SSE };
enum card_state { CARD_NO, CARD_RUNNING, CARD_DONE };

#define MODERN_VERSION "2026-07-28"
#define LEGACY_VERSION "2025-11-25"

/* Options of the run, shared by every target (borrowed by each). */
struct opts {
	const char *region;
	const char *cacert; /* NULL: the system bundle */
	double timeout;     /* total deadline per target, seconds */
	double req_timeout; /* per request, seconds */
	size_t max_body;    /* response body cap, bytes */
	long jobs;          /* targets in flight that count (run.c: slow ones do not) */
	double run_end;     /* -d: mono time the run must be over, or 0 */
	double run_secs;    /* -d as given, for messages */
	enum era era;
	int check_only;      /* -n: validate the targets and stop */
	const char **redact; /* --redact-param names, borrowed */
	int nredact;
	const char *oauth_cache;     /* --oauth-cache DIR, or NULL */
	const char *canary;          /* --canary URL, or NULL */
	struct mcp_guard guard;      /* --guard-deny, --guard-allow, --guard-nat64, own.c */
	int traceparent;             /* --traceparent: every target sends its trace (xfer.c) */
	size_t list_max;             /* --list-max: lists printed up to this size, 0 never */
	int card;                    /* --card: every target's Server Card looked for (card.c) */
	const char *cloak;           /* --as PROFILE: the tools read as that client too (cloak.c) */
	long readiness;              /* --readiness[=MINUTES]: each target's readiness graded once
	                                in that many minutes (ready.c), 0 never */
	const struct mcp_lock *lock; /* --lock: the lists each target is checked against, or NULL */
};

/* A client the probe may ask as (cloak.c): its clientInfo and User-Agent. */
struct cloak_profile {
	const char *name;    /* "cursor": --as and cloak= */
	const char *client;  /* clientInfo.name */
	const char *version; /* clientInfo.version */
	const char *ua;      /* User-Agent */
};
struct cloak;

struct probe;

/* One HTTP exchange of a target. */
struct xfer {
	struct probe *p;         /* owner */
	CURL *h;                 /* owned */
	struct curl_slist *hdrs; /* owned request headers */
	struct mcp_buf req;      /* request body */
	struct mcp_buf resp;     /* response body (JSON replies), capped */
	struct mcp_sse sse;      /* parser for event-stream replies */
	long status;
	/*
	 * Header values are kept whole: server text is scrubbed of secrets
	 * and cut only when a record is written (report.c).
	 */
	char *ctype;          /* Content-Type received (owned), or NULL */
	char *session;        /* Mcp-Session-Id received (owned, secret) */
	char *www_auth;       /* WWW-Authenticate received (owned) */
	char *location;       /* Location received (owned) */
	char *retry_after;    /* Retry-After received (owned), or NULL */
	char *acao, *acac;    /* Access-Control-Allow-Origin, -Credentials (owned), or NULL */
	size_t hdr_bytes;     /* header bytes received, 1xx answers included */
	int hdr_overflow;     /* they passed HDR_MAX */
	size_t got;           /* response bytes received */
	long want_id;         /* JSON-RPC id to match, or -1 */
	cJSON *msg;           /* the matched JSON-RPC response (owned) */
	const char *bad_json; /* why the reply did not parse (static), or NULL */
	int is_sse, overflow, headers_done, tls_seen, active;
	int refused;      /* plain HTTP off loopback: not sent (xfer_oauth) */
	int foreign;      /* to the pinned authorization server (xfer_oauth) */
	double abort_at;  /* mono time: stop lingering after a match */
	double started;   /* mono time the request was sent */
	double tcp_at;    /* mono time TLS setup began (TCP up) */
	mcp_sse_cb on_ev; /* event handler for event-stream replies */
	void (*done)(struct xfer *, CURLcode);

	/* A guarded target's (xfer.c): why no socket was opened, or "". */
	char guard_why[200];
	char guard_ip[46]; /* the first address refused, or "" */
	int url_refused;   /* the URL itself is refused */
	int admitted;      /* a socket was opened */
	int paused;        /* its answer waits for a place (fold.c) */
};

/* Secret values of a URL's query kept for scrubbing, raw and decoded. */
#define QSEC_MAX 16
/* The secrets a probe may hold, at the most (probe_secrets). */
#define PROBE_SECRETS_MAX (11 + MCP_HEADERS_MAX + QSEC_MAX + MCP_EXPECT_MAX)

/* All the headers of one exchange, 1xx answers included, at the most. */
#define HDR_MAX (64 * 1024)
/* The whole tool list, every page together, at the most. */
#define TOOLS_MAX 10000

/* The lists a probe reads, page by page (steps.c, lists.c). */
enum list_k { LK_TOOLS, LK_RESOURCES, LK_PROMPTS, LK_N };
struct list_kind {
	const char *method; /* "tools/list" */
	const char *member; /* "tools": the result's array, and its name in records */
	const char *key;    /* "name": the member the list is sorted by to be hashed */
	const char *one;    /* "tool", in messages */
};
extern const struct list_kind list_kinds[LK_N];
/* --list-max: a list's canonical JSON in records, at the most (default). */
#define LIST_MAX_DEFAULT 65536
#define LIST_MAX_MAX (256 * 1024)

/*
 * A list being read (fold.c): each item's sort key and canonical text, in
 * the order they came, until the last page is in.
 */
struct fold_item {
	size_t off, len; /* its JCS in text */
	size_t key;      /* its sort key in keys */
	size_t pos;      /* its place in the list */
	char *err;       /* owned: why it is not I-JSON, or NULL */
};
struct fold {
	struct mcp_buf text;  /* the items' JCS, one after the other */
	struct mcp_buf keys;  /* their keys, each NUL-terminated */
	struct fold_item *it; /* owned, n of cap */
	size_t n, cap;
};
/*
 * What a target may hold (fold.c, mcp-probe(1) LIMITS).  Without a place,
 * an answer (a list: all its pages) of PLACE_FREE bytes, its tree
 * TREE_SMALL, its canonical text FOLD_FACTOR times PLACE_FREE.  Past
 * PLACE_FREE, the target waits for one of the run's places: then an
 * answer of -m, its tree TREE_FACTOR times -m, a list's text FOLD_FACTOR
 * times -m.  Either way the tools it names are kept up to TREE_SMALL.
 * The places are RUN_PLACES_MEM / (PLACE_COST times -m), at least 2.
 */
#define PLACE_FREE (64 * 1024)
#define TREE_SMALL (1024 * 1024)
#define TREE_FACTOR 4
#define FOLD_FACTOR 2
#define PLACE_COST 8
#define RUN_PLACES_MEM (256.0 * 1024 * 1024)

struct step_rec {
	enum status status;
	double ms;
	cJSON *detail;    /* owned, or NULL */
	const char *code; /* static error code, or NULL */
	char *msg;        /* owned, whole: scrubbed and cut when written */
};

/* The probe of one target. */
struct probe {
	const struct opts *o;
	struct mcp_target *t; /* borrowed */
	struct runner *r;     /* borrowed */
	char id[33];
	char url[2048];             /* the URL as printed: no userinfo */
	const char *token;          /* borrowed from the target, or NULL */
	char *auth_hdr;             /* owned "Authorization: Bearer …", wiped */
	char *hdr[MCP_HEADERS_MAX]; /* owned "Name: value" of the target's headers, wiped */
	int nhdr;
	char origin[600];     /* scheme://host:port of the target's URL */
	char *url_pw;         /* owned password of the URL's userinfo, wiped */
	char *url_basic;      /* owned base64 of its user:password, wiped */
	char *qsec[QSEC_MAX]; /* owned secret values of the URL's query, wiped */
	int nqsec;
	char region_hdr[128];          /* "X-Probe-Region: …" */
	struct curl_slist *connect_to; /* owned, or NULL */
	char host[256];
	int https;
	char pinned[300];       /* ADDR:PORT of connect_to, or "" */
	char addr[64];          /* the address the server was reached at, or "" */
	double timeout;         /* this target's deadline, seconds */
	enum era era;           /* the era asked for */
	double started_at;      /* epoch */
	double mono0, deadline; /* mono times */
	double finished_mono;
	struct step_rec steps[S_NSTEPS];
	const char *skip_reason[S_NSTEPS];
	CURLSH *sh;    /* the target's own DNS and connection caches */
	struct xfer x; /* the request in flight */
	struct xfer s; /* the HTTP+SSE stream, while open */
	struct xfer a; /* an answer to a server-to-client request */
	cJSON *asks;   /* owned: server requests not yet answered */
	enum mode mode;
	enum step cur;       /* the step the request in flight serves */
	const char *sse_bad; /* why the endpoint event was refused */
	int net_done;        /* dns, connect and tls are decided */
	cJSON *attempts;     /* owned: what era detection tried */
	double init_ms;      /* initialize time so far */
	cJSON *init_detail;  /* owned until the initialize step passes */
	char *challenge;     /* owned WWW-Authenticate of the 401 */
	int prm_try;         /* which metadata URL is being fetched */
	char prm_url[2048];
	struct mcp_buf prm_why; /* why each metadata URL failed (whole: cut when written) */
	cJSON *prm_missing;     /* owned: discovery URLs that hold no OAuth metadata */
	int oauth_seen;         /* a discovery URL answered JSON that is not valid metadata */
	long next_id;
	char *session;                         /* owned, secret: Mcp-Session-Id or SSE sessionId */
	char *post_url;                        /* owned, secret: the HTTP+SSE endpoint */
	cJSON *early;                          /* owned: a stream answer that beat its POST */
	int waiting;                           /* a POST is done, its answer not yet streamed */
	double wait_until;                     /* mono time the streamed answer is due */
	void (*next)(struct xfer *, CURLcode); /* handler of the streamed answer */
	char proto[32];                        /* negotiated protocol version */
	char offered[16];                      /* the legacy version initialize asked for */
	int modern_retried;                    /* server/discover sent again after -32022 */
	int legacy_retried;                    /* initialize sent again after -32022 */
	cJSON *refusal;                        /* owned: the error server/discover got */
	int no_tools;                          /* the server's capabilities declare no tools */
	const char *posture;   /* open, auth-walled, key-walled, credentialed, NULL */
	const char *transport; /* streamable-http, sse, NULL */
	const char *era_found; /* modern, legacy, NULL */
	long http_status;
	cJSON *tools;         /* owned array: the tools a call or a condition names */
	int ntools;           /* the tools listed, all pages */
	struct fold fold;     /* the list being read (fold.c) */
	struct mcp_scan scan; /* the rules read in the lists' text (toolset/scan.c) */
	cJSON *findings;      /* owned: their summary, for the result (report.c) */
	/*
	 * Owned: the server's instructions as read, their first
	 * PROBE_INSTR_SENT + PROBE_INSTR_SLACK bytes (instr_cut: more than
	 * PROBE_INSTR_SENT), or NULL: sent, cut to PROBE_INSTR_SENT once
	 * scrubbed, with their findings for the store to judge
	 * (findings.server.text).
	 */
	char *instr;
	int instr_cut;
	/*
	 * Instructions past PROBE_INSTR_SENT: the rules their first
	 * PROBE_INSTR_SENT bytes alone give (bit i: rule i), so that a
	 * finding on the part the store never receives is said apart
	 * (findings.server.tail), and the SHA-256 of the whole, by which
	 * regions agree that they read the same text.
	 */
	unsigned long instr_head_rules;
	char instr_sha[MCP_HASH_LEN];
	char *lerr;       /* owned: its first item that is not as it must be, or NULL */
	cJSON *list_meta; /* owned: ttlMs and cacheScope of modern lists */
	char cursor[1024];
	int pages;
	size_t list_bytes; /* response bytes of the tool list so far */
	size_t list_s0;    /* the HTTP+SSE stream's bytes when the list began */
	char tool_hash[80];
	int declares[LK_N];                 /* the capabilities name the list (detect.c) */
	enum list_k lk;                     /* the list being read (lists.c) */
	char lhash[LK_N][MCP_HASH_LEN];     /* the hashes of those read whole, or "" */
	cJSON *lists;                       /* owned: what they add to the tools_list detail */
	void (*lists_then)(struct probe *); /* what follows once they are read */
	double req_cap;                     /* a request's seconds at most, or 0 (lists.c) */
	enum card_state card_state;         /* its Server Card (card.c) */
	int card_try;                       /* the place being asked */
	int card_answered;                  /* a place answered over HTTP */
	const char *card;                   /* static posture, or NULL: not known */
	char card_url[2048];                /* where the card was found, or "" */
	char card_try_url[2048];            /* the place being asked */
	cJSON *card_problems;               /* owned array of strings (whole), or NULL */
	double cert_not_after;   /* the leaf certificate's notAfter, epoch seconds; -1: none */
	double step_t0;          /* mono start of the step being timed */
	double resume_at;        /* mono time to resume a closed stream, or 0 */
	char last_event_id[256]; /* of that stream */
	long resume_id;          /* the JSON-RPC id still awaited */
	int resumes;             /* resumptions so far */
	/* The call step's calls, call then call2 to call4 (probe/chain.c). */
	int call_i;                     /* the call in flight, 0 to MCP_CALLS_MAX - 1 */
	double call_t0;                 /* mono start of it */
	struct x_seen seen;             /* what the conditions and references read */
	cJSON *call_res[MCP_CALLS_MAX]; /* owned results kept for them, or NULL */
	cJSON *calls;                   /* owned detail: each call's tool and ms, or NULL */
	int expected;                   /* bit s: the conditions on step s were judged */
	void (*resume_done)(struct xfer *, CURLcode);
	char *oauth_token;         /* owned, wiped: the access token got (probe/oauth.c) */
	cJSON *oauth_detail;       /* owned: the auth step's detail once authorized */
	double oauth_ms;           /* the auth step's time: discovery and the grant */
	int oauth_tries;           /* grants asked for this target */
	int oauth_retried;         /* a refused cached token was dropped once */
	cJSON *oauth_prm;          /* owned: the metadata the token was got along */
	int oauth_as_meta;         /* it is the authorization server's own (2025-03-26) */
	char oauth_key[65];        /* the token's cache key */
	char *oauth_res;           /* owned: the resource the token is for (RFC 8707) */
	char *oauth_scope;         /* owned: the scope asked for */
	const char *oauth_grant;   /* static: the grant and client authentication */
	int oauth_place;           /* which place of the issuer's metadata is asked */
	struct mcp_buf oauth_why;  /* why each place failed */
	long slot;                 /* its place among the runner's targets in flight, or -1 */
	TAILQ_ENTRY(probe) q;      /* the runner's young or stalled targets (sched.c) */
	int slow;                  /* stalled: silent long enough not to count against -j */
	double heard;              /* mono time of its last byte from a server, or its start */
	double qat;                /* mono time its place in its queue's order was taken */
	int nsock;                 /* its sockets open (runner_sockopt, runner_closesocket) */
	double cut_at;             /* mono time its deadline was cut to, or 0 (the run's end) */
	const char *cut_why;       /* why it is being ended early (borrowed, probe_cut) */
	const char *cut_code;      /* the run ends it early: not_started, evicted, run_ended */
	const char *unjudged;      /* static: why the run could not judge it (finish), or NULL */
	char *uj_msg;              /* owned: what it was doing when the run ended it, or NULL */
	int dirty;                 /* on the runner's list of probes to look at */
	int done;                  /* the steps are decided */
	int reported;              /* the records are written; the runner frees it */
	int place;                 /* 1: it holds one of the run's places, -1: waits (fold.c) */
	TAILQ_ENTRY(probe) placeq; /* the targets waiting for one, first come first */
	double place_waited;       /* mono time its wait for a place began, 0: never waited */
	double place_got;          /* mono time it got one after waiting */
	size_t kept;               /* the bytes of the tools it keeps (tools) */
	const struct cloak_profile *as; /* who the requests say asks, or NULL: the probe */
	struct cloak *ck;               /* owned: the cloaking read (cloak.c), or NULL */
	struct ready *rd;               /* owned: what its readiness saw (ready.c), or NULL */
	/* A readiness request's headers (ready.c, xfer.c), NULL for the steps'. */
	const char *hdr_origin;  /* Origin */
	const char *hdr_method;  /* Mcp-Method, in place of the method's */
	const char *hdr_version; /* the protocol version, in place of the era's */
};

/* ready.c: the readiness of a server for 2026's clients (--readiness) */
struct ready;
void ready_init(struct probe *p);
/* oauth.c: the n-th (0 to 2) RFC 8414 / OpenID place of an issuer's metadata, into buf. */
int oauth_meta_place(const char *issuer, int n, char *buf, size_t len);
void ready_tool(struct probe *p, const cJSON *t);
void ready_caps(struct probe *p, const cJSON *res, int modern);
void ready_session(struct probe *p, const struct xfer *x);
void ready_asked(struct probe *p, const char *method);
void ready_hints(struct probe *p, int both, int public);
void ready_input(struct probe *p, const cJSON *res);
void ready_no_result_type(struct probe *p);
int ready_wanted(struct probe *p);
void ready_start(struct probe *p);
void ready_stop(struct probe *p);
cJSON *ready_json(struct probe *p);
void ready_free(struct probe *p);

/* run.c */
/*
 * How long past its deadline a target may run before the run loop ends it
 * itself: libcurl's own timeouts end it at the deadline, with a finer
 * verdict (dns_timeout, connect_timeout), unless something is stuck.
 */
#define BACKSTOP 0.25

struct runner;
int run(const struct opts *o, struct mcp_targets *ts);
CURLM *runner_multi(struct runner *r);
/* Called by a probe when it has finished (records may be written). */
void runner_finish(struct runner *r, struct probe *p);
void runner_poke(struct runner *r, struct probe *p);
/* A byte came from a server for p: it is making progress (sched.c). */
void runner_heard(struct probe *p);
/* "ok" or "fail", what the run's canary found; NULL without --canary. */
const char *runner_canary(const struct runner *r);
/* CURLOPT_CLOSESOCKETFUNCTION of every transfer, with its probe as data. */
int runner_closesocket(void *p, curl_socket_t s);
/* CURLOPT_SOCKOPTFUNCTION of every transfer, with its probe as data: marks
 * connection sockets, and counts them. */
int runner_sockopt(void *p, curl_socket_t s, curlsocktype purpose);
/* The mono time by which every target must be done (the run's -d), or 0. */
double runner_cutoff(const struct runner *r);
/* 1 once that time has passed: what is left is ended, no session closed. */
int runner_ending(const struct runner *r);

/* own.c: the guard's own (lib/addr.h): whether an address is this runner's. */
struct own {
	int fd; /* the netlink socket the kernel is asked on, or -1 */
	unsigned seq;
};
/* 1 when the kernel routes a to this host, 0 when not, -1 (errno) when it cannot tell. */
int own_addr(void *arg, const unsigned char a[MCP_ADDR_LEN]);
void own_close(struct own *o);

/* xfer.c */
int xfer_post(struct probe *p, struct xfer *x, const char *method, cJSON *params, long id,
    void (*done)(struct xfer *, CURLcode));
int xfer_get(struct probe *p, struct xfer *x, const char *url, const char *accept,
    void (*done)(struct xfer *, CURLcode));
int xfer_oauth(struct probe *p, struct xfer *x, const char *url, const char *form,
    const char *basic, size_t cap, void (*done)(struct xfer *, CURLcode));
int xfer_card(struct probe *p, struct xfer *x, const char *url, size_t cap,
    void (*done)(struct xfer *, CURLcode));
int xfer_delete(struct probe *p, struct xfer *x, void (*done)(struct xfer *, CURLcode));
int xfer_resume(struct probe *p, struct xfer *x);
int xfer_answer(
    struct probe *p, struct xfer *x, const cJSON *req, void (*done)(struct xfer *, CURLcode));
void server_request(struct probe *p, const cJSON *msg);
void xfer_complete(struct xfer *x, CURLcode rc);
int id_ok(const struct xfer *x);
int rpc_matches(const cJSON *msg, long want);
void client_info(const struct probe *p, cJSON *parent, const char *key);
void xfer_reset(struct xfer *x);
void xfer_free(struct xfer *x);
double xfer_time(struct xfer *x, CURLINFO what);
/* Why the guard kept a failed transfer from connecting, or NULL (the guard). */
const char *xfer_refused(const struct xfer *x, CURLcode rc);

/* steps.c */
int probe_init(struct probe *p, const struct opts *o, struct mcp_target *t, struct runner *r);
void probe_start(struct probe *p);
double probe_timers(struct probe *p, double now);
/*
 * End p before its own deadline, for the run's sake: code is evicted or
 * run_ended, why its message.  A target that had its whole timeout is a
 * timeout all the same (finish).
 */
void probe_cut(struct probe *p, const char *code, const char *why);
void probe_free(struct probe *p);
void finish(struct probe *p);
void send_list(struct probe *p);
double since(double t0);
int list_content(
    struct probe *p, cJSON *d, const struct list_kind *k, char *hash, char *why, size_t len);
int first_checks(struct probe *p, struct xfer *x, CURLcode rc);

/* chain.c: the conditions on a probe's steps, and its chained calls. */
/* Judge the conditions on step s once it passed; -1 when one failed it (then finish). */
int expect_step(struct probe *p, enum step s);
int call_count(const struct probe *p);
const char *call_tool(const struct probe *p, int i);
/* 1 when a condition judges call i's isError, which then fails nothing alone. */
int call_judged(const struct probe *p, int i);
/* The arguments of the call in flight, references replaced (owned); NULL with why. */
cJSON *call_args(struct probe *p, char *why, size_t len);
/* The call in flight answered res (detached from its message, owned by p now). */
void call_answered(struct probe *p, cJSON *res);
/* The call step's detail gains its calls, when there are several. */
void call_detail(struct probe *p);
void calls_free(struct probe *p);
/*
 * One page of a list of kind k folded into p->fold, and the page's tree and
 * body freed: 1 when another page follows, 0 at the end, -1 with a code
 * ("too_large", "malformed") and why (steps.c).
 */
int list_page(struct probe *p, struct xfer *x, const struct list_kind *k, const char **code,
    char *why, size_t len);

/*
 * fold.c.  fold_init: every cJSON allocation counted (once, before any).
 * answer_parse: a server's answer parsed as mcp_json_parse does, its tree
 * at most TREE_FACTOR times -m (else NULL, and why says so).  fold_item:
 * item's key (its member key) and JCS appended, -1 when memory ran out or
 * the text and keys passed max.  fold_hash: the items sorted, the "sha256:" tag of
 * the list's JCS into hash, its size into *size, and the JCS itself
 * appended to carry when carry is not NULL and it is within max; -1 with
 * why when an item is not I-JSON.
 */
void fold_init(void);
extern const char tree_too_large[]; /* answer_parse's why when the tree passed its bound */
/* The bytes of the tree v, as the allocator counts them. */
size_t tree_size(const cJSON *v);
/*
 * The run's places for large answers.  places_init: their number, for -m.
 * place_need: 0 when p may take bytes more of x's answer (it holds a
 * place, or needs none), else -1: x is paused until one is free.
 * place_give: p's place (or its wait) is over; the first waiting gets it.
 * places_count: their number.
 */
void places_init(const struct opts *o);
int place_need(struct probe *p, struct xfer *x, size_t bytes);
void place_give(struct probe *p);
void place_unwait(struct probe *p);
long places_count(void);
cJSON *answer_parse(const struct probe *p, const char *s, size_t n, const char **why);
int fold_item(struct fold *f, const cJSON *item, const char *key, size_t max);
int fold_hash(struct fold *f, char *hash, struct mcp_buf *carry, size_t max, size_t *size,
    char *why, size_t len);
void fold_free(struct fold *f);

/*
 * lists.c: the resources and prompts the server's capabilities declare,
 * read (a failure is said in the step's detail, never failing it), then
 * then(p) called.
 */
void lists_start(struct probe *p, void (*then)(struct probe *));

/*
 * card.c: the Server Card posture, once the steps are decided (finish):
 * card_wanted when it is to be looked for now; card_start, which calls
 * finish again when done; card_stop when the probe must end first.
 */
#define CARD_PROBLEMS 4
int card_wanted(const struct probe *p);
void card_start(struct probe *p);
void card_stop(struct probe *p);

/*
 * cloak.c: the tools read again as a client (--as, cloak=), once the steps
 * are decided (finish), as card.c's: cloak_wanted, cloak_start (which calls
 * finish again when done), cloak_stop when the probe must end first.
 * cloak_profile: the profile of that name, or NULL; cloak_names: them all,
 * for messages.  cloak_json: the result's "cloaking" (owned), or NULL for
 * no member; cloak_msg: its server text, to scrub (borrowed), or NULL.
 * cloak_endpoint (sse_timers): 1 when the read's HTTP+SSE stream has just
 * named its endpoint (or had it refused) and the read went on from it.
 */
const struct cloak_profile *cloak_profile(const char *name);
const char *cloak_names(void);
int cloak_wanted(struct probe *p);
void cloak_start(struct probe *p);
void cloak_stop(struct probe *p);
/* The monitor's tool list (p->fold, read whole), kept to name what differs. */
void cloak_keep(struct probe *p);
int cloak_endpoint(struct probe *p);
cJSON *cloak_json(const struct probe *p);
char *cloak_msg(struct probe *p);
void cloak_free(struct probe *p);

/* check.c */
void check_targets(struct mcp_targets *ts);
void check_bad_line(const struct mcp_targets *ts, long lineno, const char *why);
void check_free(struct mcp_targets *ts);
/*
 * An owned copy of a secret file, read once a run however many targets
 * name it: its first line (mcp_secret_read) when whole is 0, else all of
 * it, at most whole bytes (mcp_secret_whole).  NULL with why.
 */
char *secret_once(const char *path, size_t whole, char *why, size_t len);

/* classify.c */
void step_pass(struct probe *p, enum step s, double ms, cJSON *detail);
void step_fail(struct probe *p, enum step s, double ms, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void fail_curl(struct probe *p, enum step s, double ms, struct xfer *x, CURLcode rc);
void fail_status(struct probe *p, enum step s, double ms, struct xfer *x);
int fail_rpc_error(struct probe *p, enum step s, double ms, const cJSON *msg);
int net_steps(struct probe *p, struct xfer *x, CURLcode rc);
cJSON *http_detail(struct probe *p, struct xfer *x);
int rpc_code(const cJSON *msg);
int cred_names(const struct probe *p, char *buf, size_t len);
int answered(struct xfer *x, CURLcode rc);

/* detect.c */
void detect_start(struct probe *p);
void sse_identified(struct probe *p, struct xfer *s);
void sse_failed(struct probe *p, struct xfer *s, CURLcode rc);

/* ssetrans.c */
int sse_open(struct probe *p, void (*done)(struct xfer *, CURLcode));
void sse_start(struct probe *p);
void sse_post_done(struct xfer *x, CURLcode rc);
void sse_close(struct probe *p);
double sse_timers(struct probe *p, double now);

/* report.c */
int report_format(struct probe *p, struct mcp_buf *out, char *err, size_t errlen);
int probe_broken(const struct probe *p);
/* Every secret the probe holds (some NULL) into secrets (PROBE_SECRETS_MAX); how many. */
int probe_secrets(const struct probe *p, const char **secrets);

/* params.c */
int param_schema_valid(const cJSON *schema);
int param_headers(const struct probe *p, const char *name, const cJSON *args,
    struct curl_slist **hdrs, char *why, size_t len);

/* redact.c */
int redact_query(struct probe *p, CURLU *u);
int redact_params(const struct opts *o, struct probe *p, CURLU *u);

/* canary.c: fetch o->canary once; "ok" or "fail" (said on stderr), static. */
const char *canary_check(const struct opts *o);

/* auth.c */
const char *auth_param(const char *challenge, const char *name, char *buf, size_t len);
int auth_is_bearer(const char *challenge);
int auth_prm_url(const struct probe *p, int n, char *buf, size_t len, const char **why);
/* scheme://host:port of a URL (default port filled in), for same-origin rules. */
int url_origin(const char *url, char *buf, size_t len);
int url_canonical(const char *url, char *buf, size_t len);
int auth_prm_ok(const struct xfer *x, cJSON **detail, char *why, size_t len);
int auth_as_ok(const struct xfer *x, cJSON **detail, char *why, size_t len);

#endif
