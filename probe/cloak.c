/*
 * cloak.c - whether a server serves a real client the tools it serves the
 * monitor (--as PROFILE, cloak=PROFILE).  Once the steps are decided and
 * the tools listed, the tool list is read once more, every page, as a
 * common MCP client asks for it: its clientInfo and its User-Agent, in a
 * session of its own (legacy Streamable HTTP: initialize,
 * notifications/initialized, tools/list, DELETE; HTTP+SSE: a stream of its
 * own, its endpoint event, the same three POSTs answered on it, the stream
 * closed; the modern era: tools/list alone, the clientInfo in _meta).  Its
 * hash is compared with the monitor's: same or differs; when it differs,
 * the tools only one of them is shown, and those both are shown
 * differently, are named (a few, each escaped and cut: the server's text),
 * from the name and the SHA-256 of each tool the monitor's list held
 * (cloak_keep, before the steps' fold is freed).
 *
 * A posture only: it never changes the target's state, nor its time (the
 * result's ms ends with the steps); it has a budget of its own (-w, within
 * the target's deadline), and anything that keeps it from being read
 * whole is "unknown", with why.  Its requests go to the target's URL
 * (and the HTTP+SSE endpoint its stream names, under the steps' rules:
 * same origin only) with what the steps' requests carried there, and
 * nowhere else.  The capabilities declared are the probe's own (none), so
 * that the lists differ by who asks, not by what the client can do.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "mcp.h"
#include "probe.h"
#include "sha256.h"
#include "text.h"

#define CLOAK_NAMES 5     /* names said a kind of difference; the rest counted */
#define CLOAK_NAME_MAX 64 /* bytes of a name said, escaped, before an ellipsis */

/*
 * The clients a probe may ask as (mcp-probe(1), CLOAKING, says where each
 * string comes from).  The User-Agent is what Node.js's fetch sends when
 * the caller sets none, as the official TypeScript SDK (1.32) does not.
 */
static const struct cloak_profile profiles[] = {
    {"claude-desktop", "claude-ai", "0.1.0", "node"},
    {"cursor", "cursor-vscode", "1.0.0", "node"},
    {"vscode", "Visual Studio Code", "1.106.0", "node"},
    {"mcp-remote", "claude-ai (via mcp-remote 0.15.1)", "0.1.0", "node"},
    {"sdk", "example-client", "1.0.0", "node"},
};

enum ck_stage { CK_NO, CK_RUNNING, CK_DONE };

/* A tool of a list as the comparison reads it: its name, the SHA-256 of its JCS. */
struct ck_item {
	const char *name; /* in its list's names */
	unsigned char h[MCP_SHA256_SIZE];
};
struct ck_list {
	char *names; /* owned: the names, each NUL-terminated */
	struct ck_item *v;
	size_t n;
};

struct cloak {
	enum ck_stage stage;
	const struct cloak_profile *prof;
	const char *state; /* static: same, differs, unknown */
	const char *code;  /* static: why unknown, or NULL */
	char *msg;         /* owned: its words, whole (scrubbed and cut when written) */
	char hash[MCP_HASH_LEN];
	size_t count;
	double end;         /* mono time the read must be over by */
	char *main_session; /* owned, secret: the steps' session, kept aside */
	char *main_post;    /* owned, secret: the steps' HTTP+SSE endpoint, kept aside */
	int own_session;    /* p->session is the read's own */
	int own_stream;     /* p->s and p->post_url are the read's own (HTTP+SSE) */
	int want_endpoint;  /* its stream has not yet named its endpoint */
	struct ck_list mon; /* the monitor's list, kept from the steps' */
	cJSON *diff;        /* owned: what differs, named (differs only), or NULL */
};

/*
 * The tools of the read are folded as a list of their own: not through
 * the steps' kind, whose tools are counted and kept for the call.
 */
static const struct list_kind cloak_kind = {"tools/list", "tools", "name", "tool"};

const struct cloak_profile *
cloak_profile(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

const char *
cloak_names(void)
{
	return "claude-desktop, cursor, vscode, mcp-remote or sdk";
}

/* The profile p is to be read as, or NULL: cloak=off, or none asked. */
static const struct cloak_profile *
asked(const struct probe *p)
{
	const char *name = p->t->cloak != NULL ? p->t->cloak : p->o->cloak;

	if (name == NULL || strcmp(name, "off") == 0)
		return NULL;
	return cloak_profile(name);
}

/* The steps' session back, the probe itself again. */
static void
restore(struct probe *p)
{
	struct cloak *ck = p->ck;

	if (ck->own_session) {
		mcp_wipe_free(&p->session);
		p->session = ck->main_session;
		ck->main_session = NULL;
		ck->own_session = 0;
	}
	if (ck->own_stream) {
		sse_close(p);
		mcp_wipe_free(&p->post_url);
		p->post_url = ck->main_post;
		ck->main_post = NULL;
		p->sse_bad = NULL;
		ck->own_stream = 0;
		ck->want_endpoint = 0;
	}
	p->as = NULL;
	p->req_cap = 0;
	fold_free(&p->fold);
	free(p->lerr);
	p->lerr = NULL;
}

static void
done(struct probe *p)
{
	restore(p);
	p->ck->stage = CK_DONE;
	finish(p);
}

static void __attribute__((format(printf, 3, 4)))
unknown(struct probe *p, const char *code, const char *fmt, ...)
{
	struct cloak *ck = p->ck;
	va_list ap;

	ck->state = "unknown";
	ck->code = code;
	free(ck->msg);
	va_start(ap, fmt);
	if (vasprintf(&ck->msg, fmt, ap) == -1)
		ck->msg = NULL;
	va_end(ap);
}

/* Each request has what is left of the read's budget, at the most. */
static void
cap(struct probe *p)
{
	p->req_cap = p->ck->end - mcp_mono();
	if (p->req_cap < 0.001)
		p->req_cap = 0.001;
}

/* 1 when the answer to method is no answer (said, and the read over). */
static int
failed(struct probe *p, struct xfer *x, CURLcode rc, const char *method)
{
	const cJSON *e;

	if (p->cut_code != NULL || runner_ending(p->r)) {
		unknown(p, "not_read", "the run ended the target first");
	} else if (!answered(x, rc)) {
		unknown(p, rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "transfer_failed", "%s: %s",
		    method, curl_easy_strerror(rc));
	} else if (x->status < 200 || x->status > 299) {
		unknown(p, x->status < 500 ? "http_4xx" : "http_5xx", "%s answered HTTP %ld",
		    method, x->status);
	} else if (x->want_id < 0) {
		return 0; /* a notification: its 2xx is all */
	} else if (!id_ok(x)) {
		unknown(p, "malformed", "%s answer is not JSON-RPC%s%s", method,
		    x->bad_json ? ": " : "", x->bad_json ? x->bad_json : "");
	} else if ((e = cJSON_GetObjectItemCaseSensitive(x->msg, "error")) != NULL) {
		unknown(p, "jsonrpc_error", "%s: JSON-RPC error %d: %s", method, rpc_code(x->msg),
		    mcp_json_str(e, "message", ""));
	} else {
		return 0;
	}
	done(p);
	return 1;
}

static void
on_deleted(struct xfer *x, CURLcode rc)
{
	(void)rc;
	done(x->p);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct ck_item *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : memcmp(x->h, y->h, sizeof(x->h));
}

static void
list_free(struct ck_list *l)
{
	free(l->names);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The names and hashes of a folded list, sorted: 0, or -1 out of memory. */
static int
list_of(const struct fold *f, struct ck_list *l)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	if ((l->names = malloc(f->keys.len + 1)) == NULL ||
	    (l->v = calloc(f->n + 1, sizeof(*l->v))) == NULL) {
		list_free(l);
		return -1;
	}
	if (f->keys.len > 0)
		memcpy(l->names, f->keys.p, f->keys.len);
	l->names[f->keys.len] = '\0';
	for (i = 0; i < f->n; i++) {
		l->v[i].name = l->names + f->it[i].key;
		mcp_sha256(f->text.p + f->it[i].off, f->it[i].len, l->v[i].h);
	}
	l->n = f->n;
	qsort(l->v, l->n, sizeof(*l->v), item_cmp);
	return 0;
}

void
cloak_keep(struct probe *p)
{
	if (asked(p) == NULL)
		return;
	if (p->ck == NULL && (p->ck = calloc(1, sizeof(*p->ck))) == NULL)
		return;
	list_free(&p->ck->mon);
	if (list_of(&p->fold, &p->ck->mon) == -1)
		list_free(&p->ck->mon);
}

/*
 * A server's name as a finding's excerpt is written: what a reader would
 * not see as text \u{XXXX} (a byte of no character \xNN), a backslash
 * doubled, cut at CLOAK_NAME_MAX bytes with an ellipsis.
 */
static void
name_said(char *out, size_t size, const char *s)
{
	char e[16];
	size_t o = 0, k, el;
	unsigned long c;
	int unsafe;

	for (; *s != '\0'; s += k) {
		k = mcp_text_char(s, &unsafe);
		if (unsafe && mcp_utf8_decode(s, k, &c) == k)
			snprintf(e, sizeof(e), "\\u{%04lX}", c);
		else if (unsafe)
			snprintf(e, sizeof(e), "\\x%02X", (unsigned char)*s);
		else if (*s == '\\')
			snprintf(e, sizeof(e), "\\\\");
		else
			memcpy(e, s, k), e[k] = '\0';
		el = strlen(e);
		if (o + el > CLOAK_NAME_MAX || o + el + 4 > size) {
			snprintf(out + o, size - o, "\xe2\x80\xa6");
			return;
		}
		memcpy(out + o, e, el);
		o += el;
	}
	out[o] = '\0';
}

/* One name of a kind of difference: said in a (CLOAK_NAMES at most), else counted. */
static void
name_add(cJSON *a, long *more, const char *name)
{
	char buf[CLOAK_NAME_MAX + 8];

	if (cJSON_GetArraySize(a) >= CLOAK_NAMES) {
		(*more)++;
		return;
	}
	name_said(buf, sizeof(buf), name);
	cJSON_AddItemToArray(a, cJSON_CreateString(buf));
}

/*
 * What differs between the monitor's list (mon) and the client's (cl),
 * owned: the tools the client alone is shown, the monitor alone, and
 * those of one name shown each another way, a few of each named, the
 * rest counted ("names_more").  NULL out of memory.
 */
static cJSON *
difference(const struct ck_list *mon, const struct ck_list *cl)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *co = cJSON_AddArrayToObject(o, "client_only");
	cJSON *mo = cJSON_AddArrayToObject(o, "monitor_only");
	cJSON *ch = cJSON_AddArrayToObject(o, "changed");
	const char *last = NULL;
	size_t i = 0, j = 0;
	long more = 0;
	int r;

	if (o == NULL || co == NULL || mo == NULL || ch == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	while (i < mon->n || j < cl->n) {
		r = i == mon->n ? 1 : j == cl->n ? -1 : strcmp(mon->v[i].name, cl->v[j].name);
		if (r < 0) {
			name_add(mo, &more, mon->v[i++].name);
		} else if (r > 0) {
			name_add(co, &more, cl->v[j++].name);
		} else if (memcmp(mon->v[i].h, cl->v[j].h, sizeof(mon->v[i].h)) != 0) {
			/* A name twice in a list is said once. */
			if (last == NULL || strcmp(last, cl->v[j].name) != 0)
				name_add(ch, &more, cl->v[j].name);
			last = cl->v[j].name;
			i++, j++;
		} else {
			i++, j++;
		}
	}
	cJSON_AddNumberToObject(o, "names_more", (double)more);
	return o;
}

/* The whole list read: hashed and compared with the monitor's. */
static void
compare(struct probe *p)
{
	struct cloak *ck = p->ck;
	struct ck_list cl;
	char why[200];
	size_t size;

	ck->count = p->fold.n;
	if (p->lerr != NULL)
		unknown(p, "malformed", "%s", p->lerr);
	else if (fold_hash(&p->fold, ck->hash, NULL, 0, &size, why, sizeof(why)) == -1)
		unknown(p, "malformed", "the tool list is not I-JSON: %s", why);
	else
		ck->state = strcmp(ck->hash, p->tool_hash) == 0 ? "same" : "differs";
	if (strcmp(ck->state, "differs") == 0 && ck->mon.v != NULL && list_of(&p->fold, &cl) == 0) {
		cJSON_Delete(ck->diff);
		ck->diff = difference(&ck->mon, &cl);
		list_free(&cl);
	}
	list_free(&ck->mon);
	/* Its own session is closed, as the steps' is (an HTTP+SSE one with its stream). */
	if (ck->own_session && p->session != NULL && p->mode != MODE_SSE && !runner_ending(p->r) &&
	    xfer_delete(p, &p->x, on_deleted) == 0)
		return;
	done(p);
}

static void send_page(struct probe *p);

static void
on_page(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	const char *code;
	char why[200];
	int more;

	if (failed(p, x, rc, "tools/list"))
		return;
	more = list_page(p, x, &cloak_kind, &code, why, sizeof(why));
	if (more == 1) {
		send_page(p);
	} else if (more == 0) {
		compare(p);
	} else {
		unknown(p, code, "%s", why);
		done(p);
	}
}

static void
send_page(struct probe *p)
{
	cJSON *params = NULL;

	cap(p);
	if (p->cursor[0] != '\0') {
		params = cJSON_CreateObject();
		cJSON_AddStringToObject(params, "cursor", p->cursor);
	}
	if (xfer_post(p, &p->x, "tools/list", params, p->next_id++, on_page) == -1) {
		unknown(p, "transfer_failed", "tools/list: cannot start a request");
		done(p);
	}
}

static void
on_notified(struct xfer *x, CURLcode rc)
{
	if (failed(x->p, x, rc, "notifications/initialized"))
		return;
	/* The list's bytes, over HTTP+SSE, are the stream's from here on. */
	x->p->list_s0 = x->p->s.got;
	send_page(x->p);
}

static void
on_init(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;

	if (failed(p, x, rc, "initialize"))
		return;
	/* The read's own session, if the server gave one (HTTP+SSE: its endpoint's). */
	if (p->mode != MODE_SSE) {
		p->session = x->session;
		x->session = NULL;
	}
	cap(p);
	if (xfer_post(p, &p->x, "notifications/initialized", NULL, -1, on_notified) == -1) {
		unknown(p, "transfer_failed", "notifications/initialized: cannot start a request");
		done(p);
	}
}

static void
send_init(struct probe *p)
{
	cJSON *params = cJSON_CreateObject();

	cJSON_AddStringToObject(params, "protocolVersion", p->proto);
	cJSON_AddObjectToObject(params, "capabilities");
	client_info(p, params, "clientInfo");
	if (!p->ck->own_session) {
		p->ck->main_session = p->session;
		p->session = NULL;
		p->ck->own_session = 1;
	}
	cap(p);
	if (xfer_post(p, &p->x, "initialize", params, p->next_id++, on_init) == -1) {
		unknown(p, "transfer_failed", "initialize: cannot start a request");
		done(p);
	}
}

/* The read's stream is over before the list was read whole. */
static void
on_stream_done(struct xfer *s, CURLcode rc)
{
	struct probe *p = s->p;

	if (p->ck->stage != CK_RUNNING || failed(p, s, rc, "GET event-stream"))
		return;
	if (p->post_url == NULL)
		unknown(p, "not_mcp", "%s",
		    p->sse_bad != NULL ? p->sse_bad
		                       : "the event stream ended without an endpoint event");
	else
		unknown(p, "connection_closed", "the event stream ended before the answer");
	done(p);
}

/*
 * HTTP+SSE: a stream of the read's own, as the steps' (sse_open), whose
 * endpoint event is checked by the same rules (ssetrans.c, same origin
 * only); its session id rides in that endpoint, and the stream's end is
 * the session's.
 */
static void
open_stream(struct probe *p)
{
	struct cloak *ck = p->ck;

	ck->main_session = p->session;
	p->session = NULL;
	ck->own_session = 1;
	ck->main_post = p->post_url;
	p->post_url = NULL;
	p->sse_bad = NULL;
	ck->own_stream = 1;
	ck->want_endpoint = 1;
	cap(p);
	if (sse_open(p, on_stream_done) == -1) {
		unknown(p, "transfer_failed", "GET event-stream: cannot start a request");
		done(p);
	}
}

int
cloak_endpoint(struct probe *p)
{
	struct cloak *ck = p->ck;

	if (ck == NULL || ck->stage != CK_RUNNING || !ck->want_endpoint ||
	    (p->post_url == NULL && p->sse_bad == NULL))
		return 0;
	ck->want_endpoint = 0;
	if (p->sse_bad != NULL) {
		unknown(p, "not_mcp", "%s", p->sse_bad);
		done(p);
	} else
		send_init(p);
	return 1;
}

int
cloak_wanted(struct probe *p)
{
	const struct cloak_profile *prof = asked(p);
	int s;

	if (prof == NULL || (p->ck != NULL && p->ck->stage != CK_NO))
		return 0;
	if (p->cut_code != NULL || runner_ending(p->r) || mcp_mono() >= p->deadline)
		return 0;
	for (s = 0; s < S_NSTEPS; s++)
		if (p->steps[s].status == ST_PENDING)
			return 0;
	/* The monitor's list is what the client's is compared with. */
	if (p->steps[S_LIST].status != ST_PASS || p->tool_hash[0] == '\0')
		return 0;
	if (p->ck == NULL && (p->ck = calloc(1, sizeof(*p->ck))) == NULL)
		return 0;
	p->ck->prof = prof;
	return 1;
}

void
cloak_start(struct probe *p)
{
	struct cloak *ck = p->ck;
	double left = p->deadline - mcp_mono();

	ck->stage = CK_RUNNING;
	/* The stream is done with, and cannot fail a step while the list is read. */
	sse_close(p);
	ck->end = mcp_mono() + (left < p->o->req_timeout ? left : p->o->req_timeout);
	p->as = ck->prof;
	fold_free(&p->fold);
	free(p->lerr);
	p->lerr = NULL;
	p->pages = 0;
	p->cursor[0] = '\0';
	p->list_bytes = 0;
	p->list_s0 = p->s.got;
	if (p->mode == MODE_MODERN)
		send_page(p);
	else if (p->mode == MODE_SSE)
		open_stream(p);
	else
		send_init(p);
}

void
cloak_stop(struct probe *p)
{
	if (p->ck == NULL || p->ck->stage != CK_RUNNING)
		return;
	unknown(p, "timeout", "not read whole within the target's deadline");
	restore(p);
	p->ck->stage = CK_DONE;
}

char *
cloak_msg(struct probe *p)
{
	return p->ck != NULL ? p->ck->msg : NULL;
}

/*
 * The result's "cloaking" (owned), or NULL: not asked for (no member), or
 * kNull when asked and the steps listed no tools to compare with.
 */
cJSON *
cloak_json(const struct probe *p)
{
	const struct cloak_profile *prof = asked(p);
	const struct cloak *ck = p->ck;
	cJSON *o, *e;

	if (prof == NULL)
		return NULL;
	if (ck == NULL || ck->state == NULL)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "profile", prof->name);
	cJSON_AddStringToObject(o, "client", prof->client);
	cJSON_AddStringToObject(o, "client_version", prof->version);
	cJSON_AddStringToObject(o, "user_agent", prof->ua);
	cJSON_AddStringToObject(o, "monitor", "mcp-probe/" MCP_VERSION);
	cJSON_AddStringToObject(o, "state", ck->state);
	cJSON_AddStringToObject(o, "monitor_hash", p->tool_hash);
	if (strcmp(ck->state, "unknown") != 0) {
		cJSON_AddStringToObject(o, "client_hash", ck->hash);
		cJSON_AddNumberToObject(o, "client_tool_count", (double)ck->count);
		cJSON_AddNullToObject(o, "error");
		for (e = ck->diff != NULL ? ck->diff->child : NULL; e != NULL; e = e->next)
			cJSON_AddItemToObject(o, e->string, cJSON_Duplicate(e, 1));
		return o;
	}
	cJSON_AddNullToObject(o, "client_hash");
	cJSON_AddNullToObject(o, "client_tool_count");
	e = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(e, "code", ck->code);
	cJSON_AddStringToObject(e, "message", ck->msg != NULL ? ck->msg : "");
	return o;
}

void
cloak_free(struct probe *p)
{
	if (p->ck == NULL)
		return;
	free(p->ck->msg);
	list_free(&p->ck->mon);
	cJSON_Delete(p->ck->diff);
	mcp_wipe_free(&p->ck->main_session);
	mcp_wipe_free(&p->ck->main_post);
	free(p->ck);
	p->ck = NULL;
}
