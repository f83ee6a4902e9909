/*
 * steps.c - the steps every era shares: tools_list, every page of it, and
 * call.  A probe's life is in life.c, era detection and the handshake in
 * detect.c, the HTTP+SSE transport in ssetrans.c.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "mcp.h"
#include "probe.h"

#define MAX_PAGES 100

static void send_call(struct probe *);
static void send_one(struct probe *);
static void tools_done(struct probe *);

const struct list_kind list_kinds[LK_N] = {
    {"tools/list", "tools", "name", "tool"},
    {"resources/list", "resources", "uri", "resource"},
    {"prompts/list", "prompts", "name", "prompt"},
};

/*
 * The hash of the list read whole (p->fold) into hash, and into d the list
 * itself as it was hashed (its JCS bytes, sorted by the kind's key), when
 * those bytes are within --list-max; over it, only their size.  -1 with why
 * when the list is not I-JSON.  The folded list is freed.
 */
int
list_content(
    struct probe *p, cJSON *d, const struct list_kind *k, char *hash, char *why, size_t len)
{
	struct mcp_buf b = {0};
	size_t size = 0, max = p->o->list_max;
	char name[32];
	cJSON *raw;
	int rc;

	rc = fold_hash(&p->fold, hash, max > 0 ? &b : NULL, max, &size, why, len);
	fold_free(&p->fold);
	if (rc == -1 || max == 0)
		goto out;
	if (size > max) {
		snprintf(name, sizeof(name), "%s_omitted", k->member);
		cJSON_AddStringToObject(d, name, "too_large");
		snprintf(name, sizeof(name), "%s_bytes", k->member);
		cJSON_AddNumberToObject(d, name, (double)size);
	} else if ((raw = cJSON_CreateRaw(b.p)) != NULL) {
		/* Written as it is (mcp_json_write): the very bytes hashed. */
		cJSON_AddItemToObject(d, k->member, raw);
	}
out:
	mcp_buf_free(&b);
	return rc;
}

/* Check the collected tools (list_page checked each); the hash is over all of them. */
static void
check_tools(struct probe *p)
{
	double ms = since(p->step_t0);
	char why[200];
	cJSON *d;

	if (p->ntools == 0) {
		step_fail(p, S_LIST, ms, "tools_empty", "tools/list returned no tools");
		return;
	}
	if (p->lerr != NULL) {
		step_fail(p, S_LIST, ms, "tools_malformed", "%s", p->lerr);
		return;
	}
	d = p->list_meta ? p->list_meta : cJSON_CreateObject();
	p->list_meta = NULL;
	cloak_keep(p);
	if (list_content(p, d, &list_kinds[LK_TOOLS], p->tool_hash, why, sizeof(why)) == -1) {
		cJSON_Delete(d);
		step_fail(p, S_LIST, ms, "tools_malformed", "tool list is not I-JSON: %s", why);
		p->tool_hash[0] = '\0';
		return;
	}
	cJSON_AddNumberToObject(d, "pages", p->pages);
	cJSON_AddNumberToObject(d, "tool_count", p->ntools);
	cJSON_AddStringToObject(d, "tool_hash", p->tool_hash);
	step_pass(p, S_LIST, ms, d);
}

/* 1 when a call or a condition of the target names the tool name. */
static int
tool_wanted(const struct probe *p, const char *name)
{
	const struct mcp_expect *e = p->t->compiled;
	const struct x_cond *c;
	size_t n;
	int i;

	for (i = 0; i < call_count(p); i++)
		if (call_tool(p, i) != NULL && strcmp(call_tool(p, i), name) == 0)
			return 1;
	for (i = 0; e != NULL && i < e->n; i++) {
		c = &e->c[i];
		if (c->subj != X_TOOLS || c->path[0] != '.')
			continue;
		/* has([TOOLS].NAME): the rest is the name, dots and all. */
		n = c->fn == 'h' ? strlen(c->path + 1) : strcspn(c->path + 1, ".[");
		if (strlen(name) == n && memcmp(name, c->path + 1, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * Tool t of a page: the first that is not as it must be is remembered, and
 * a tool the target names later is kept (moved out of the page), its first
 * of that name only.  The others are known by their count and hash alone.
 */
static void
tool_seen(struct probe *p, cJSON *arr, cJSON *t)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "name"), *k, *nm;
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(t, "inputSchema");
	int i = p->ntools++;
	size_t size;

	ready_tool(p, t);
	if (p->lerr == NULL && (!cJSON_IsString(name) || name->valuestring[0] == '\0')) {
		if (asprintf(&p->lerr, "tool %d has no string name", i) == -1)
			p->lerr = NULL;
	} else if (p->lerr == NULL && !cJSON_IsObject(schema)) {
		if (asprintf(
		        &p->lerr, "tool \"%s\" has no inputSchema object", name->valuestring) == -1)
			p->lerr = NULL;
	}
	if (!cJSON_IsString(name) || !tool_wanted(p, name->valuestring))
		return;
	cJSON_ArrayForEach(k, p->tools)
	{
		nm = cJSON_GetObjectItemCaseSensitive(k, "name");
		if (cJSON_IsString(nm) && strcmp(nm->valuestring, name->valuestring) == 0)
			return;
	}
	/* Within their bound: past it, a tool is as if it were not listed. */
	if ((size = tree_size(t)) > TREE_SMALL - p->kept)
		return;
	p->kept += size;
	cJSON_AddItemToArray(p->tools, cJSON_DetachItemViaPointer(arr, t));
}

/* ttlMs and cacheScope of a modern list result, from its first page. */
static void
list_meta(struct probe *p, const cJSON *res)
{
	const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(res, "ttlMs");
	const cJSON *scope = cJSON_GetObjectItemCaseSensitive(res, "cacheScope");

	ready_hints(p, cJSON_IsNumber(ttl) && ttl->valuedouble >= 0 && cJSON_IsString(scope),
	    cJSON_IsString(scope) && strcmp(scope->valuestring, "public") == 0);
	/* Every 2026-07-28 result carries resultType, a list's too. */
	if (p->mode == MODE_MODERN &&
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(res, "resultType")))
		ready_no_result_type(p);
	if (p->list_meta != NULL || (!cJSON_IsNumber(ttl) && !cJSON_IsString(scope)))
		return;
	p->list_meta = cJSON_CreateObject();
	/* Copied only as what it must be: a whole number of ms, within a day. */
	if (cJSON_IsNumber(ttl) && ttl->valuedouble >= 0 && ttl->valuedouble <= 86400000 &&
	    ttl->valuedouble == floor(ttl->valuedouble))
		cJSON_AddNumberToObject(p->list_meta, "ttl_ms", ttl->valuedouble);
	if (cJSON_IsString(scope))
		cJSON_AddStringToObject(p->list_meta, "cache_scope", scope->valuestring);
}

/* A page is folded in: its tree and body are no longer needed. */
static void
page_drop(struct xfer *x)
{
	cJSON_Delete(x->msg);
	x->msg = NULL;
	mcp_buf_free(&x->resp);
}

/* The items of a page folded in (fold.c); -1 with why when the text passed its bound. */
static int
page_fold(struct probe *p, cJSON *arr, const struct list_kind *k, char *why, size_t len)
{
	size_t max = FOLD_FACTOR * (p->place == 1 ? p->o->max_body : PLACE_FREE);
	cJSON *t, *next;
	int i;

	for (t = arr->child; t != NULL; t = next) {
		next = t->next;
		if (fold_item(&p->fold, t, k->key, max) == -1) {
			if (p->fold.text.len + p->fold.keys.len > max)
				snprintf(why, len,
				    "the %s list passed %zu bytes in canonical form at page %d",
				    k->one, max, p->pages);
			else
				snprintf(why, len, "out of memory at page %d", p->pages);
			return -1;
		}
		/*
		 * Read for the text rules while its tree is here (a failure: fewer
		 * findings); the steps' lists only, never the list cloak.c reads
		 * again as a client, whose kind is not one of list_kinds.
		 */
		for (i = 0; i < LK_N; i++)
			if (k == &list_kinds[i])
				(void)mcp_scan_item(&p->scan, (enum mcp_list_kind)i, t);
		if (k == &list_kinds[LK_TOOLS])
			tool_seen(p, arr, t);
		else if (!cJSON_IsObject(t) && p->lerr == NULL &&
		    asprintf(&p->lerr, "a %s is not an object", k->one) == -1)
			p->lerr = NULL;
	}
	return 0;
}

int
list_page(struct probe *p, struct xfer *x, const struct list_kind *k, const char **code, char *why,
    size_t len)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(res, k->member);
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(res, "nextCursor");
	int rc = -1;

	*code = "malformed";
	if (!cJSON_IsArray(arr)) {
		snprintf(why, len, "result has no %s array", k->member);
		goto out;
	}
	p->pages++;
	/* The whole list is bounded, not only each page: a target's memory is. */
	if (p->mode == MODE_SSE) /* the answers came on the stream */
		p->list_bytes = p->s.got - p->list_s0;
	else
		p->list_bytes += x->got;
	if (p->list_bytes > p->o->max_body ||
	    p->fold.n + (size_t)cJSON_GetArraySize(arr) > TOOLS_MAX) {
		*code = "too_large";
		if (p->list_bytes > p->o->max_body)
			snprintf(why, len, "the %s list passed the -m size at page %d", k->one,
			    p->pages);
		else
			snprintf(why, len, "the %s list passed 10000 %ss at page %d", k->one,
			    k->one, p->pages);
		goto out;
	}
	if (page_fold(p, arr, k, why, len) == -1) {
		*code = "too_large";
		goto out;
	}
	if (!cJSON_IsString(next) || next->valuestring[0] == '\0') {
		rc = 0;
		goto out;
	}
	if (p->pages >= MAX_PAGES || strcmp(next->valuestring, p->cursor) == 0 ||
	    strlen(next->valuestring) >= sizeof(p->cursor)) {
		snprintf(why, len,
		    "pagination does not end (%d pages, or a repeated or oversized cursor)",
		    p->pages);
		goto out;
	}
	snprintf(p->cursor, sizeof(p->cursor), "%s", next->valuestring);
	rc = 1;
out:
	page_drop(x);
	return rc;
}

/* Another page of tools asked for, or the tools judged. */
static void
tools_page(struct probe *p, struct xfer *x, double ms)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	const char *code;
	char why[200];
	int more;

	if (cJSON_IsObject(res))
		list_meta(p, res);
	more = list_page(p, x, &list_kinds[LK_TOOLS], &code, why, sizeof(why));
	if (more == 1) {
		send_list(p);
		return;
	}
	if (more == 0)
		check_tools(p);
	else
		step_fail(p, S_LIST, ms,
		    strcmp(code, "too_large") == 0 ? "tools_too_large" : "tools_malformed", "%s",
		    why);
	fold_free(&p->fold);
	if (p->steps[S_LIST].status == ST_PASS) {
		lists_start(p, tools_done);
		return;
	}
	finish(p);
}

static void
on_list(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double ms = since(p->step_t0);

	if (!answered(x, rc)) {
		fail_curl(p, S_LIST, ms, x, rc);
	} else if (x->status < 200 || x->status > 299) {
		p->http_status = x->status;
		fail_status(p, S_LIST, ms, x);
	} else if (!id_ok(x) && x->bad_json == tree_too_large) {
		step_fail(p, S_LIST, ms, "tools_too_large", "the tools/list answer at page %d: %s",
		    p->pages + 1, tree_too_large);
	} else if (!id_ok(x)) {
		step_fail(p, S_LIST, ms, "tools_malformed",
		    "tools/list answer is not JSON-RPC%s%s%s", x->bad_json ? " (" : "",
		    x->bad_json ? x->bad_json : "", x->bad_json ? ")" : "");
	} else if (!fail_rpc_error(p, S_LIST, ms, x->msg)) {
		tools_page(p, x, ms);
		return;
	}
	finish(p);
}

/*
 * The tools are listed (or there are none to list), and the other lists
 * read: a configured call is made, and answered; without one, a server of
 * no tools has nothing to call.
 */
static void
tools_done(struct probe *p)
{
	if (p->no_tools && p->t->call == NULL) {
		/* The conditions on the tools are judged on an empty list. */
		if (expect_step(p, S_LIST) == 0) {
			p->steps[S_CALL].status = ST_SKIP;
			p->skip_reason[S_CALL] = "no_tools";
		}
		finish(p);
		return;
	}
	send_call(p);
}

void
send_list(struct probe *p)
{
	cJSON *params = NULL;

	/* The conditions on the protocol, once initialize passed. */
	if (p->pages == 0 && expect_step(p, S_INIT) == -1) {
		finish(p);
		return;
	}
	if (p->pages == 0 && p->no_tools) {
		/* Nothing to list; resources and prompts may still be. */
		p->steps[S_LIST].status = ST_SKIP;
		p->skip_reason[S_LIST] = "no_tools";
		lists_start(p, tools_done);
		return;
	}
	if (p->pages == 0) {
		p->step_t0 = mcp_mono();
		p->list_s0 = p->s.got;
	}
	p->cur = S_LIST;
	if (p->cursor[0] != '\0') {
		params = cJSON_CreateObject();
		cJSON_AddStringToObject(params, "cursor", p->cursor);
	}
	if (xfer_post(p, &p->x, "tools/list", params, p->next_id++, on_list) == -1) {
		step_fail(p, S_LIST, 0, "transfer_failed", "cannot start a request");
		finish(p);
	}
}

/* The text of the first text content of a tool result, for messages. */
static const char *
first_text(const cJSON *res)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(res, "content"), *e, *t;

	cJSON_ArrayForEach(e, c)
	{
		t = cJSON_GetObjectItemCaseSensitive(e, "text");
		if (cJSON_IsString(t))
			return t->valuestring;
	}
	return "(no text)";
}

/*
 * The answer of the call in flight: the step fails, or passes once the
 * last call is answered and the conditions on the calls hold.  Returns 1
 * when another call was sent.
 */
static int
call_result(struct probe *p, struct xfer *x, double ms)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	const cJSON *rt = cJSON_GetObjectItemCaseSensitive(res, "resultType");
	const char *tool = call_tool(p, p->call_i);
	cJSON *d;

	if (!cJSON_IsObject(res)) {
		step_fail(p, S_CALL, ms, "call_failed", "answer has no result object");
	} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "isError")) &&
	    !call_judged(p, p->call_i)) {
		step_fail(p, S_CALL, ms, "call_failed", "tool %s returned isError: %s", tool,
		    first_text(res));
	} else if (cJSON_IsString(rt) && strcmp(rt->valuestring, "input_required") == 0) {
		/*
		 * Alive, and waiting for input (2026-07-28 MRTR): the chain ends
		 * here.  Its input requests are read for readiness, and an
		 * elicitation's URL is never followed (ready.c).
		 */
		ready_input(p, res);
		d = cJSON_CreateObject();
		if (tool != NULL)
			cJSON_AddStringToObject(d, "tool", tool);
		cJSON_AddStringToObject(d, "result_type", "input_required");
		step_pass(p, S_CALL, ms, d);
	} else if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(res, "task")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(res, "task"), "taskId"))) {
		/* A task handle (io.modelcontextprotocol/tasks): accepted, long-running, alive. */
		d = cJSON_CreateObject();
		if (tool != NULL)
			cJSON_AddStringToObject(d, "tool", tool);
		cJSON_AddStringToObject(d, "result_type", "task");
		step_pass(p, S_CALL, ms, d);
	} else if (cJSON_IsString(rt) && strcmp(rt->valuestring, "complete") != 0) {
		step_fail(p, S_CALL, ms, "call_failed", "tool %s answered resultType %s",
		    tool ? tool : "", rt->valuestring);
	} else if (tool == NULL) {
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "method", "ping");
		step_pass(p, S_CALL, ms, d);
	} else {
		call_answered(p, cJSON_DetachItemFromObjectCaseSensitive(x->msg, "result"));
		if (++p->call_i < call_count(p)) {
			send_one(p);
			return 1;
		}
		p->call_i--;
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "tool", p->t->call);
		step_pass(p, S_CALL, ms, d);
		expect_step(p, S_CALL);
	}
	return 0;
}

static void
on_call(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double ms = since(p->step_t0);

	if (!answered(x, rc)) {
		fail_curl(p, S_CALL, ms, x, rc);
	} else if (x->status < 200 || x->status > 299) {
		p->http_status = x->status;
		fail_status(p, S_CALL, ms, x);
	} else if (!id_ok(x)) {
		step_fail(p, S_CALL, ms, "call_failed", "answer is not JSON-RPC%s%s%s",
		    x->bad_json ? " (" : "", x->bad_json ? x->bad_json : "",
		    x->bad_json ? ")" : "");
	} else if (!fail_rpc_error(p, S_CALL, ms, x->msg) && call_result(p, x, ms) == 1) {
		return;
	}
	call_detail(p);
	finish(p);
}

/* The call in flight: call, or call2 to call4 after the one before. */
static void
send_one(struct probe *p)
{
	struct curl_slist *check = NULL;
	const char *tool = call_tool(p, p->call_i);
	cJSON *params, *args;
	char why[256];

	p->call_t0 = mcp_mono();
	if ((args = call_args(p, why, sizeof(why))) == NULL) {
		step_fail(p, S_CALL, since(p->step_t0), "expect_failed", "call%d (%s): %s",
		    p->call_i + 1, tool, why);
		goto fail;
	}
	params = cJSON_CreateObject();
	cJSON_AddStringToObject(params, "name", tool);
	cJSON_AddItemToObject(params, "arguments", args);
	/* A tool whose x-mcp-header annotations are invalid is not called (2026-07-28). */
	if (p->mode == MODE_MODERN &&
	    param_headers(p, tool, args, &check, why, sizeof(why)) == -1) {
		cJSON_Delete(params);
		step_fail(p, S_CALL, since(p->step_t0), "call_failed", "%s", why);
		goto fail;
	}
	curl_slist_free_all(check);
	if (xfer_post(p, &p->x, "tools/call", params, p->next_id++, on_call) == 0)
		return;
	step_fail(p, S_CALL, since(p->step_t0), "transfer_failed", "cannot start a request");
fail:
	call_detail(p);
	finish(p);
}

static void
send_call(struct probe *p)
{
	/* The conditions on the tools, before anything is called. */
	if (expect_step(p, S_LIST) == -1) {
		finish(p);
		return;
	}
	p->step_t0 = mcp_mono();
	p->cur = S_CALL;
	p->call_i = 0;
	if (p->t->call != NULL) {
		send_one(p);
	} else if (p->mode == MODE_MODERN) {
		/* Modern servers have no ping: nothing to call. */
		p->steps[S_CALL].status = ST_SKIP;
		p->skip_reason[S_CALL] = "not_configured";
		finish(p);
	} else if (xfer_post(p, &p->x, "ping", NULL, p->next_id++, on_call) == -1) {
		step_fail(p, S_CALL, 0, "transfer_failed", "cannot start a request");
		finish(p);
	}
}
