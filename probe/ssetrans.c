/*
 * ssetrans.c - the legacy HTTP+SSE transport (2024-11-05): a GET stream
 * whose first event names the endpoint to POST to; every answer comes
 * back on the stream, matched by JSON-RPC id.
 *
 * Stream events arrive inside libcurl's write callback, where no transfer
 * may be added or removed, so they are only recorded there and acted on
 * from sse_timers(), which the run loop calls after each libcurl pass.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "probe.h"

/* The endpoint event: resolve it against the stream URL, same origin only. */
static void
endpoint(struct probe *p, const char *data)
{
	CURLU *u = curl_url();
	char *url = NULL, *q = NULL, a[600], b[600];
	const char *sid;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, p->t->url, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, data, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK) {
		p->sse_bad = "the endpoint event is not a URL";
	} else if (url_origin(url, a, sizeof(a)) == -1 ||
	    url_origin(p->t->url, b, sizeof(b)) == -1 || strcmp(a, b) != 0) {
		p->sse_bad = "the endpoint event names another origin";
	} else {
		p->post_url = strdup(url);
		/* The session id rides in the query: a secret, never printed. */
		if (curl_url_get(u, CURLUPART_QUERY, &q, 0) == CURLUE_OK &&
		    (sid = strstr(q, "sessionId=")) != NULL)
			p->session = strndup(sid + 10, strcspn(sid + 10, "&"));
	}
	curl_free(url);
	curl_free(q);
	curl_url_cleanup(u);
}

static int
on_stream_event(const struct mcp_sse_event *ev, void *arg)
{
	struct xfer *s = arg;
	struct probe *p = s->p;
	cJSON *msg;

	if (p->post_url == NULL && p->sse_bad == NULL) {
		if (strcmp(ev->type, "endpoint") == 0) {
			endpoint(p, ev->data);
			runner_poke(p->r, p);
		}
		return 0;
	}
	if (ev->datalen == 0 || strcmp(ev->type, "message") != 0)
		return 0;
	if ((msg = answer_parse(p, ev->data, ev->datalen, &s->bad_json)) == NULL)
		return 0;
	if (cJSON_IsObject(msg) && cJSON_HasObjectItem(msg, "method") &&
	    cJSON_HasObjectItem(msg, "id")) {
		server_request(p, msg);
		cJSON_Delete(msg);
		return 0;
	}
	if (cJSON_IsObject(msg) && p->early == NULL && rpc_matches(msg, p->x.want_id)) {
		p->early = msg;
		runner_poke(p->r, p);
	} else
		cJSON_Delete(msg);
	return 0;
}

static void
on_stream_done(struct xfer *s, CURLcode rc)
{
	struct probe *p = s->p;

	if (p->done)
		return;
	if (p->post_url == NULL) {
		if (!p->net_done && first_checks(p, s, rc) == -1)
			return;
		sse_failed(p, s, rc);
		return;
	}
	if (rc == CURLE_OK)
		step_fail(p, p->cur, since(p->step_t0), "connection_closed",
		    "the event stream ended before the answer");
	else
		fail_curl(p, p->cur, since(p->step_t0), s, rc);
	if (p->x.active)
		xfer_free(&p->x);
	finish(p);
}

/*
 * The GET of the event stream, into p->s: its endpoint event, then the
 * answers, read by the handler above; done when it ends.  The steps'
 * stream and the tool list read as a client (cloak.c) each open one.
 */
int
sse_open(struct probe *p, void (*done)(struct xfer *, CURLcode))
{
	if (xfer_get(p, &p->s, p->t->url, "text/event-stream", done) == -1)
		return -1;
	p->s.on_ev = on_stream_event;
	return 0;
}

void
sse_start(struct probe *p)
{
	p->mode = MODE_SSE;
	p->cur = S_HTTP;
	if (sse_open(p, on_stream_done) == -1) {
		step_fail(p, p->net_done ? S_HTTP : S_DNS, 0, "transfer_failed",
		    "cannot start a request");
		finish(p);
		return;
	}
	/* The stream stays open for the whole probe: only the deadline ends it. */
	curl_easy_setopt(p->s.h, CURLOPT_TIMEOUT_MS, (long)((p->deadline - mcp_mono()) * 1000) + 1);
	if (!p->net_done)
		curl_easy_setopt(p->s.h, CURLOPT_FRESH_CONNECT, 1L);
}

/* A POST to the endpoint is done: its answer comes on the stream. */
void
sse_post_done(struct xfer *x, CURLcode rc)
{
	struct probe *p = x->p;
	double left;

	if (rc != CURLE_OK || x->status < 200 || x->status > 299 || x->want_id < 0) {
		p->next(x, rc);
		return;
	}
	p->waiting = 1;
	left = p->deadline - mcp_mono();
	if (p->req_cap > 0 && left > p->req_cap)
		left = p->req_cap;
	p->wait_until = mcp_mono() + (left < p->o->req_timeout ? left : p->o->req_timeout);
	/* The run loop must learn the new wait: it times only what it was told. */
	runner_poke(p->r, p);
}

/* Act on what the stream brought; time out a late answer. */
double
sse_timers(struct probe *p, double now)
{
	struct xfer *x = &p->x;

	if (p->mode != MODE_SSE || p->done)
		return 0;
	if (cloak_endpoint(p))
		return 0;
	if (p->cur == S_HTTP && (p->post_url != NULL || p->sse_bad != NULL)) {
		p->cur = S_INIT;
		if (!p->net_done && first_checks(p, &p->s, CURLE_OK) == -1)
			return 0;
		if (p->sse_bad != NULL) {
			p->steps[S_HTTP].detail = http_detail(p, &p->s);
			step_fail(p, S_HTTP, since(p->mono0), "not_mcp", "%s", p->sse_bad);
			finish(p);
			return 0;
		}
		curl_easy_getinfo(p->s.h, CURLINFO_RESPONSE_CODE, &p->s.status);
		sse_identified(p, &p->s);
		return 0;
	}
	if (!p->waiting)
		return 0;
	if (p->early != NULL) {
		p->waiting = 0;
		cJSON_Delete(x->msg);
		x->msg = p->early;
		p->early = NULL;
		p->next(x, CURLE_OK);
		return 0;
	}
	if (now >= p->wait_until) {
		p->waiting = 0;
		p->next(x, CURLE_OPERATION_TIMEDOUT);
		return 0;
	}
	return p->wait_until;
}

void
sse_close(struct probe *p)
{
	if (p->s.active)
		xfer_free(&p->s);
	cJSON_Delete(p->early);
	p->early = NULL;
	p->waiting = 0;
}
