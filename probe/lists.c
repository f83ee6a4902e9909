/*
 * lists.c - the lists a server declares besides its tools: resources and
 * prompts, read once the tools are (every page, bounded as the tools are),
 * hashed as the tools are and carried in the tools_list step's detail.
 * The probe judges tools: a failure here is said (resources_error,
 * prompts_error) and never fails the step, nor the target.
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

static void next_list(struct probe *p);

/* The list being read fails: said in the detail, and the next one read. */
static void __attribute__((format(printf, 3, 4)))
list_error(struct probe *p, const char *code, const char *fmt, ...)
{
	const struct list_kind *k = &list_kinds[p->lk];
	char name[32], *msg;
	cJSON *e;
	va_list ap;
	int rc;

	/* Whole: a secret in it is overwritten before it is cut (report.c). */
	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	snprintf(name, sizeof(name), "%s_error", k->member);
	if ((e = cJSON_AddObjectToObject(p->lists, name)) != NULL) {
		cJSON_AddStringToObject(e, "code", code);
		cJSON_AddStringToObject(e, "message", rc == -1 ? "out of memory" : msg);
	}
	if (rc != -1)
		free(msg);
	p->lhash[p->lk][0] = '\0';
	next_list(p);
}

/* The whole list read: hashed, counted and (within --list-max) carried. */
static void
list_done(struct probe *p)
{
	const struct list_kind *k = &list_kinds[p->lk];
	size_t n = p->fold.n;
	char name[32], why[200];

	if (p->lerr != NULL) {
		list_error(p, "malformed", "%s", p->lerr);
		return;
	}
	if (list_content(p, p->lists, k, p->lhash[p->lk], why, sizeof(why)) == -1) {
		list_error(p, "malformed", "the %s list is not I-JSON: %s", k->one, why);
		return;
	}
	snprintf(name, sizeof(name), "%s_count", k->one);
	cJSON_AddNumberToObject(p->lists, name, (double)n);
	snprintf(name, sizeof(name), "%s_hash", k->one);
	cJSON_AddStringToObject(p->lists, name, p->lhash[p->lk]);
	next_list(p);
}

/* An answer that is no page is said, in the words of the step codes: 1; a page: 0. */
static int
page_failed(struct probe *p, struct xfer *x, CURLcode rc)
{
	const char *method = list_kinds[p->lk].method;
	const cJSON *e;

	if (!answered(x, rc)) {
		if (x->overflow)
			list_error(
			    p, "too_large", "response body passed %zu bytes", p->o->max_body);
		else
			list_error(p,
			    rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "transfer_failed",
			    "%s: %s", method, curl_easy_strerror(rc));
	} else if (x->status < 200 || x->status > 299) {
		list_error(p, x->status < 500 ? "http_4xx" : "http_5xx", "%s answered HTTP %ld",
		    method, x->status);
	} else if (!id_ok(x) && x->bad_json == tree_too_large) {
		list_error(p, "too_large", "%s answer: %s", method, tree_too_large);
	} else if (!id_ok(x)) {
		list_error(p, "malformed", "%s answer is not JSON-RPC", method);
	} else if ((e = cJSON_GetObjectItemCaseSensitive(x->msg, "error")) != NULL) {
		list_error(p, "jsonrpc_error", "%s: JSON-RPC error %d: %s", method,
		    rpc_code(x->msg), mcp_json_str(e, "message", ""));
	} else {
		return 0;
	}
	return 1;
}

static void send_page(struct probe *p);

static void
on_page(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	const char *code;
	char why[200];
	int more;

	if (page_failed(p, x, rc))
		return;
	more = list_page(p, x, &list_kinds[p->lk], &code, why, sizeof(why));
	if (more == 1)
		send_page(p);
	else if (more == 0)
		list_done(p);
	else
		list_error(p, code, "%s", why);
}

static void
send_page(struct probe *p)
{
	cJSON *params = NULL;

	p->cur = S_LIST;
	/*
	 * Half the time left at the most: a list that never comes leaves the
	 * call its chance, and the target its verdict.
	 */
	p->req_cap = (p->deadline - mcp_mono()) / 2;
	if (p->req_cap < 0.001)
		p->req_cap = 0.001;
	if (p->cursor[0] != '\0') {
		params = cJSON_CreateObject();
		cJSON_AddStringToObject(params, "cursor", p->cursor);
	}
	if (xfer_post(p, &p->x, list_kinds[p->lk].method, params, p->next_id++, on_page) == -1)
		list_error(p, "transfer_failed", "cannot start a request");
}

/* The next list the server declares, from its first page; else the probe goes on. */
static void
next_list(struct probe *p)
{
	fold_free(&p->fold);
	free(p->lerr);
	p->lerr = NULL;
	while (++p->lk < LK_N && !p->declares[p->lk])
		;
	if (p->lk >= LK_N) {
		p->req_cap = 0;
		p->lists_then(p);
		return;
	}
	p->pages = 0;
	p->cursor[0] = '\0';
	p->list_bytes = 0;
	p->list_s0 = p->s.got;
	send_page(p);
}

void
lists_start(struct probe *p, void (*then)(struct probe *))
{
	p->lists_then = then;
	p->lk = LK_TOOLS;
	if (p->lists == NULL && (p->lists = cJSON_CreateObject()) == NULL) {
		then(p);
		return;
	}
	next_list(p);
}
