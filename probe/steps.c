/*
 * steps.c - the steps every era shares: tools_list, every page of it, and
 * call.  A probe's life is in life.c, era detection and the handshake in
 * detect.c, the HTTP+SSE transport in ssetrans.c.
 */
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
 * The hash of a whole list into hash, and into d the list itself as it was
 * hashed (its JCS bytes, sorted by the kind's key), when those bytes are
 * within --list-max; over it, only their size.  -1 with why when the list
 * is not I-JSON.
 */
int
list_content(struct probe *p, cJSON *d, const cJSON *items, const struct list_kind *k, char *hash,
    char *why, size_t len)
{
	struct mcp_buf b = {0};
	char name[32];
	cJSON *raw;
	int rc = -1;

	if (mcp_list_jcs(items, k->key, &b, why, len) == -1)
		goto out;
	if (mcp_sha256_tag(b.p, b.len, hash) == -1) {
		snprintf(why, len, "SHA-256 failed");
		goto out;
	}
	rc = 0;
	if (p->o->list_max == 0)
		goto out;
	if (b.len > p->o->list_max) {
		snprintf(name, sizeof(name), "%s_omitted", k->member);
		cJSON_AddStringToObject(d, name, "too_large");
		snprintf(name, sizeof(name), "%s_bytes", k->member);
		cJSON_AddNumberToObject(d, name, (double)b.len);
	} else if ((raw = cJSON_CreateRaw(b.p)) != NULL) {
		/* Written as it is (mcp_json_write): the very bytes hashed. */
		cJSON_AddItemToObject(d, k->member, raw);
	}
out:
	mcp_buf_free(&b);
	return rc;
}

/* Check the collected tools; the hash is over all of them. */
static void
check_tools(struct probe *p)
{
	double ms = since(p->step_t0);
	char why[200];
	const cJSON *t, *name, *schema;
	cJSON *d;
	int i = 0;

	if (cJSON_GetArraySize(p->tools) == 0) {
		step_fail(p, S_LIST, ms, "tools_empty", "tools/list returned no tools");
		return;
	}
	cJSON_ArrayForEach(t, p->tools)
	{
		name = cJSON_GetObjectItemCaseSensitive(t, "name");
		schema = cJSON_GetObjectItemCaseSensitive(t, "inputSchema");
		if (!cJSON_IsString(name) || name->valuestring[0] == '\0') {
			step_fail(
			    p, S_LIST, ms, "tools_malformed", "tool %d has no string name", i);
			return;
		}
		if (!cJSON_IsObject(schema)) {
			step_fail(p, S_LIST, ms, "tools_malformed",
			    "tool \"%s\" has no inputSchema object", name->valuestring);
			return;
		}
		i++;
	}
	d = p->list_meta ? p->list_meta : cJSON_CreateObject();
	p->list_meta = NULL;
	if (list_content(p, d, p->tools, &list_kinds[LK_TOOLS], p->tool_hash, why, sizeof(why)) ==
	    -1) {
		cJSON_Delete(d);
		step_fail(p, S_LIST, ms, "tools_malformed", "tool list is not I-JSON: %s", why);
		p->tool_hash[0] = '\0';
		return;
	}
	cJSON_AddNumberToObject(d, "pages", p->pages);
	cJSON_AddNumberToObject(d, "tool_count", i);
	cJSON_AddStringToObject(d, "tool_hash", p->tool_hash);
	step_pass(p, S_LIST, ms, d);
}

/* ttlMs and cacheScope of a modern list result, from its first page. */
static void
list_meta(struct probe *p, const cJSON *res)
{
	const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(res, "ttlMs");
	const cJSON *scope = cJSON_GetObjectItemCaseSensitive(res, "cacheScope");

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

/*
 * One page of a list of kind k: its items added to items; 1 when another
 * page follows, 0 at the end, -1 with a code (too_large, malformed) and why.
 */
int
list_page(struct probe *p, const struct xfer *x, const cJSON *res, const struct list_kind *k,
    cJSON *items, const char **code, char *why, size_t len)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(res, k->member);
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(res, "nextCursor");
	const cJSON *t;

	*code = "malformed";
	if (!cJSON_IsArray(arr)) {
		snprintf(why, len, "result has no %s array", k->member);
		return -1;
	}
	p->pages++;
	/* The whole list is bounded, not only each page: a target's memory is. */
	if (p->mode == MODE_SSE) /* the answers came on the stream */
		p->list_bytes = p->s.got - p->list_s0;
	else
		p->list_bytes += x->got;
	if (p->list_bytes > p->o->max_body ||
	    cJSON_GetArraySize(items) + cJSON_GetArraySize(arr) > TOOLS_MAX) {
		*code = "too_large";
		if (p->list_bytes > p->o->max_body)
			snprintf(why, len, "the %s list passed the -m size at page %d", k->one,
			    p->pages);
		else
			snprintf(why, len, "the %s list passed 10000 %ss at page %d", k->one,
			    k->one, p->pages);
		return -1;
	}
	cJSON_ArrayForEach(t, arr) cJSON_AddItemToArray(items, cJSON_Duplicate(t, 1));
	if (!cJSON_IsString(next) || next->valuestring[0] == '\0')
		return 0;
	if (p->pages >= MAX_PAGES || strcmp(next->valuestring, p->cursor) == 0 ||
	    strlen(next->valuestring) >= sizeof(p->cursor)) {
		snprintf(why, len,
		    "pagination does not end (%d pages, or a repeated or oversized cursor)",
		    p->pages);
		return -1;
	}
	snprintf(p->cursor, sizeof(p->cursor), "%s", next->valuestring);
	return 1;
}

/* Another page of tools asked for, or the tools judged. */
static void
tools_page(struct probe *p, const struct xfer *x, double ms)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(x->msg, "result");
	const char *code;
	char why[200];
	int more;

	if (cJSON_IsObject(res))
		list_meta(p, res);
	more = list_page(p, x, res, &list_kinds[LK_TOOLS], p->tools, &code, why, sizeof(why));
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
		/* The conditions on the (empty) list still hold or fail it. */
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
