/*
 * life.c - the probe of one target from start to records: made, started,
 * its timers looked at, ended early (by the run's schedule, sched.c) or
 * finished, reported, freed.  The steps themselves are in detect.c (era
 * detection and the handshake), ssetrans.c (the HTTP+SSE transport) and
 * steps.c (tools_list and call).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <sys/random.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mcp.h"
#include "probe.h"

/* At most this many server requests wait for an answer; more are dropped. */
#define MAX_ASKS 8

/*
 * A request from the server on one of our streams (legacy eras only: the
 * modern one forbids them).  It is answered from the run loop, since it
 * arrives inside a libcurl callback.
 */
void
server_request(struct probe *p, const cJSON *msg)
{
	if (p->mode == MODE_MODERN || p->done || cJSON_GetArraySize(p->asks) >= MAX_ASKS)
		return;
	cJSON_AddItemToArray(p->asks, cJSON_Duplicate(msg, 1));
	runner_poke(p->r, p);
}

static void
on_answered(struct xfer *x, CURLcode rc)
{
	(void)rc;
	runner_poke(x->p->r, x->p);
}

static void
answer_next(struct probe *p)
{
	cJSON *req;

	if (p->a.active || cJSON_GetArraySize(p->asks) == 0)
		return;
	req = cJSON_DetachItemFromArray(p->asks, 0);
	xfer_answer(p, &p->a, req, on_answered);
	cJSON_Delete(req);
}

double
since(double t0)
{
	return (mcp_mono() - t0) * 1000.0;
}

/* The first transfer decides dns, connect and tls; -1 when one failed. */
int
first_checks(struct probe *p, struct xfer *x, CURLcode rc)
{
	if (p->net_done)
		return 0;
	p->net_done = 1;
	if (net_steps(p, x, rc) == 0)
		return 0;
	finish(p);
	return -1;
}

static void
on_delete(struct xfer *x, CURLcode rc)
{
	(void)rc;
	runner_finish(x->p->r, x->p);
}

static void note(struct probe *, const char *, ...) __attribute__((format(printf, 2, 3)));
static void fail_pending(struct probe *, const char *, ...) __attribute__((format(printf, 2, 3)));

/* More of why the failed step failed: "message; more". */
static void
note(struct probe *p, const char *fmt, ...)
{
	struct step_rec *f = NULL;
	char *more, *m;
	va_list ap;
	int s;

	for (s = 0; s < S_NSTEPS; s++)
		if (p->steps[s].status == ST_FAIL)
			f = &p->steps[s];
	if (f == NULL)
		return;
	va_start(ap, fmt);
	s = vasprintf(&more, fmt, ap);
	va_end(ap);
	if (s == -1)
		return;
	if (asprintf(&m, "%s; %s", f->msg ? f->msg : "", more) != -1) {
		free(f->msg);
		f->msg = m;
	}
	free(more);
}

/* libcurl rounds its timeouts down to the millisecond: a hair early. */
#define CUT_EPS 0.01
/*
 * A target granted its own timeout less at most this had its whole
 * timeout: the run's deadline counts from the program's start, so a cut
 * that coincides with a target's own timeout leaves it the few
 * milliseconds between the two short, and those decide nothing.
 */
#define WHOLE_EPS 0.1

/*
 * Why the run could not judge p, or NULL when p is judged: it failed, and
 * the run ended it (not started, ended to make room, ended by the run's
 * end) or its deadline cut to end within the run's was what it reached,
 * before its own timeout (-t, timeout=) ran out.  A target that had its
 * whole timeout and did not answer is a timeout, a tarpit a failure.
 */
static const char *
unjudged_code(const struct probe *p)
{
	const char *code = p->cut_code;
	double own = p->t->timeout > 0 ? p->t->timeout : p->o->timeout;
	int s;

	/*
	 * Its time ran out while some of it went to waiting for one of the
	 * run's places (fold.c): the run had no room to judge it, whatever
	 * the share, and a working server is never a timeout for that.
	 */
	if (code == NULL && p->place_waited > 0 && probe_broken(p))
		for (s = 0; s < S_NSTEPS; s++)
			if (p->steps[s].status == ST_FAIL && p->steps[s].code != NULL &&
			    strcmp(p->steps[s].code, "timeout") == 0)
				return "evicted";

	if (code == NULL && p->cut_at > 0 && p->finished_mono >= p->cut_at - CUT_EPS)
		code = "run_ended";
	if (code == NULL || !probe_broken(p) || p->finished_mono - p->mono0 >= own - WHOLE_EPS)
		return NULL;
	return code;
}

/*
 * p is unjudged (code): the step that failed for the run's sake is
 * skipped like the rest, its message the result's.
 */
static void
unjudge(struct probe *p, const char *code)
{
	int s;

	p->unjudged = code;
	for (s = 0; s < S_NSTEPS; s++) {
		if (p->steps[s].status != ST_FAIL)
			continue;
		free(p->uj_msg);
		p->uj_msg = p->steps[s].msg;
		p->steps[s].msg = NULL;
		p->steps[s].code = NULL;
		p->steps[s].status = ST_SKIP;
		p->skip_reason[s] = "unjudged";
	}
}

/* The steps are decided: fill in the skips, end the session, report. */
void
finish(struct probe *p)
{
	const char *reason = "after_failure", *uj;
	int s;

	if (p->done)
		return;
	/* An end fixed before (a target not started: its start) is kept. */
	if (p->finished_mono == 0)
		p->finished_mono = mcp_mono();
	/* The Server Card is read after the steps, and timed with none of them. */
	if (card_wanted(p)) {
		card_start(p);
		return;
	}
	card_stop(p);
	/* So is the tool list read as a client (cloak.c). */
	if (cloak_wanted(p)) {
		cloak_start(p);
		return;
	}
	cloak_stop(p);
	/* And the readiness posture's few requests (ready.c). */
	if (ready_wanted(p)) {
		ready_start(p);
		return;
	}
	ready_stop(p);
	p->done = 1;
	if (p->posture != NULL &&
	    (strcmp(p->posture, "auth-walled") == 0 || strcmp(p->posture, "key-walled") == 0))
		reason = "auth_walled";
	if ((uj = unjudged_code(p)) != NULL)
		reason = "unjudged";
	for (s = 0; s < S_NSTEPS; s++) {
		if (p->steps[s].status != ST_PENDING)
			continue;
		p->steps[s].status = ST_SKIP;
		p->skip_reason[s] = reason;
	}
	sse_close(p);
	if (p->x.active)
		xfer_free(&p->x);
	if (p->a.active)
		xfer_free(&p->a);
	if (p->cut_why != NULL)
		note(p, "%s", p->cut_why);
	if (p->cut_at > 0 && p->finished_mono >= p->cut_at - CUT_EPS)
		note(p, "its deadline cut to %.1f s to end within the run's (-d %g)",
		    p->cut_at - p->mono0, p->o->run_secs);
	if (uj != NULL && p->place_waited > 0 && p->cut_code == NULL)
		note(p,
		    "its time ran out after %.1f s spent waiting for one of the run's %ld places "
		    "(the lists' memory, mcp-probe(1) LIMITS)",
		    (p->place_got > 0 ? p->place_got : p->finished_mono) - p->place_waited,
		    places_count());
	if (uj != NULL)
		unjudge(p, uj);
	/* At the run's end, there is no time to close the session. */
	if (p->mode == MODE_LEGACY && p->session != NULL && !runner_ending(p->r) &&
	    xfer_delete(p, &p->x, on_delete) == 0)
		return;
	runner_finish(p->r, p);
}

/* The first step not yet decided fails with a timeout. */
static void
fail_pending(struct probe *p, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int s, rc;

	/* Whole: a secret in it is overwritten before it is cut (report.c). */
	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	for (s = 0; s < S_NSTEPS; s++)
		if (p->steps[s].status == ST_PENDING) {
			step_fail(p, s, since(p->mono0), "timeout", "%s",
			    rc == -1 ? "out of memory" : msg);
			break;
		}
	if (rc != -1)
		free(msg);
}

/*
 * Timers of the probe: answers waited for on an HTTP+SSE stream, streams
 * that linger after their answer, and the deadline as a backstop to
 * libcurl's own timeouts.  Returns the next mono time to look again, or 0.
 */
double
probe_timers(struct probe *p, double now)
{
	double next = sse_timers(p, now);

	if (p->done)
		return next;
	answer_next(p);
	if (p->resume_at > 0) {
		if (now < p->resume_at)
			return next == 0 || p->resume_at < next ? p->resume_at : next;
		p->resume_at = 0;
		if (xfer_resume(p, &p->x) == -1) {
			step_fail(p, p->cur, since(p->step_t0), "transfer_failed",
			    "cannot resume the event stream");
			finish(p);
		}
		return 0;
	}
	if (p->x.active && p->x.msg != NULL && p->x.abort_at > 0) {
		if (now >= p->x.abort_at) {
			xfer_complete(&p->x, CURLE_OK);
			return 0;
		}
		if (next == 0 || p->x.abort_at < next)
			next = p->x.abort_at;
	}
	if (now < p->deadline + BACKSTOP)
		return next == 0 || p->deadline + BACKSTOP < next ? p->deadline + BACKSTOP : next;
	fail_pending(p, "deadline of %.0f s passed", p->timeout);
	finish(p);
	return 0;
}

/*
 * End p now: the request in flight ends as libcurl's own timeout would
 * end it, so that the step it serves fails as it would have at the
 * deadline (connect_timeout, timeout); if that leaves p going, the first
 * step not decided times out.  why is added to the failure's message;
 * code says for finish() what ended it, should p be unjudged.
 */
void
probe_cut(struct probe *p, const char *code, const char *why)
{
	if (p->done)
		return;
	/* Borrowed while it lasts: finish() adds it before the records are written. */
	p->cut_why = why;
	p->cut_code = code;
	if (p->x.active)
		xfer_complete(&p->x, CURLE_OPERATION_TIMEDOUT);
	if (!p->done) {
		p->cut_why = NULL;
		fail_pending(p, "%s", why);
		finish(p);
	}
	p->cut_why = NULL;
}

static int
parse_url(struct probe *p)
{
	CURLU *u = curl_url();
	char *host = NULL, *scheme = NULL, *out = NULL, *user = NULL, *pw = NULL, *up = NULL;
	int rc = -1, n;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, p->t->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	snprintf(p->host, sizeof(p->host), "%s", host);
	p->https = strcmp(scheme, "https") == 0;
	/*
	 * Userinfo is a secret: never printed.  libcurl sends it as Basic
	 * auth, so the password and the Basic credential are scrubbed from
	 * a server's text like a token (report.c).
	 */
	if (curl_url_get(u, CURLUPART_PASSWORD, &pw, CURLU_URLDECODE) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE) != CURLUE_OK)
			user = NULL;
		if ((p->url_pw = strdup(pw)) == NULL ||
		    asprintf(&up, "%s:%s", user ? user : "", pw) == -1 ||
		    (p->url_basic = malloc(4 * (strlen(up) + 2) / 3 + 1)) == NULL) {
			up = NULL;
			goto out;
		}
		n = EVP_EncodeBlock(
		    (unsigned char *)p->url_basic, (unsigned char *)up, (int)strlen(up));
		/* Without its padding, which a server may drop when it echoes it. */
		while (n > 0 && p->url_basic[n - 1] == '=')
			n--;
		p->url_basic[n] = '\0';
	}
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	if (redact_query(p, u) == -1)
		goto out;
	if (curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		snprintf(p->url, sizeof(p->url), "%s", out);
	rc = 0;
out:
	if (up != NULL)
		OPENSSL_cleanse(up, strlen(up));
	if (pw != NULL)
		OPENSSL_cleanse(pw, strlen(pw));
	free(up);
	curl_free(user);
	curl_free(pw);
	curl_free(host);
	curl_free(scheme);
	curl_free(out);
	curl_url_cleanup(u);
	return rc;
}

static void
random_id(char *out)
{
	unsigned char b[16];
	int i;

	/* getrandom(2), not RAND_bytes: OpenSSL's generator would be set up for 16 bytes. */
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		memset(b, 0, sizeof(b));
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static enum era
era_of(const struct probe *p)
{
	const char *e = p->t->era;

	if (e == NULL)
		return p->o->era;
	return strcmp(e, "modern") == 0 ? ERA_MODERN
	    : strcmp(e, "legacy") == 0  ? ERA_LEGACY
	    : strcmp(e, "sse") == 0     ? ERA_SSE
	                                : ERA_AUTO;
}

/*
 * Everything a target needs was checked before the run (main.c), so this
 * fails only when memory runs out.
 */
int
probe_init(struct probe *p, const struct opts *o, struct mcp_target *t, struct runner *r)
{
	const char *c;
	int n;

	memset(p, 0, sizeof(*p));
	p->o = o;
	p->t = t;
	p->r = r;
	p->next_id = 1;
	p->cert_not_after = -1;
	p->token = t->token;
	p->timeout = t->timeout > 0 ? t->timeout : o->timeout;
	p->era = era_of(p);
	random_id(p->id);
	n = snprintf(p->region_hdr, sizeof(p->region_hdr), "X-Probe-Region: %s", o->region);
	if (n < 0 || (size_t)n >= sizeof(p->region_hdr) || parse_url(p) == -1)
		return -1;
	if (t->connect_to != NULL) {
		if ((p->connect_to = curl_slist_append(NULL, t->connect_to)) == NULL)
			return -1;
		/* HOST:PORT:ADDR:PORT pins to ADDR:PORT. */
		c = strchr(t->connect_to, ':');
		c = c ? strchr(c + 1, ':') : NULL;
		snprintf(p->pinned, sizeof(p->pinned), "%s", c ? c + 1 : t->connect_to);
	}
	if (p->token != NULL &&
	    asprintf(&p->auth_hdr, "Authorization: Bearer %s", p->token) == -1) {
		p->auth_hdr = NULL;
		return -1;
	}
	for (n = 0; n < t->nheaders; n++) {
		if (asprintf(&p->hdr[n], "%s: %s", t->headers[n].name, t->headers[n].value) == -1) {
			p->hdr[n] = NULL;
			return -1;
		}
		p->nhdr = n + 1;
	}
	if (url_origin(t->url, p->origin, sizeof(p->origin)) == -1)
		p->origin[0] = '\0';
	/*
	 * The target's names and connections are its own, not the run's: a
	 * cache of the whole fleet costs a walk of all of it at the end of
	 * every request (libcurl prunes its DNS cache that way, and evicts
	 * from a full connection cache by a walk), which made a probe's CPU
	 * grow with the fleet.  And a target never rides on a connection
	 * another target opened, so every target's dns, connect and tls steps
	 * are its own.  Its connections close when it is done (probe_free).
	 */
	if ((p->sh = curl_share_init()) == NULL ||
	    curl_share_setopt(p->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK ||
	    curl_share_setopt(p->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK)
		return -1;
	if ((p->tools = cJSON_CreateArray()) == NULL ||
	    (p->attempts = cJSON_CreateArray()) == NULL || (p->asks = cJSON_CreateArray()) == NULL)
		return -1;
	return 0;
}

void
probe_start(struct probe *p)
{
	double cut = runner_cutoff(p->r);

	p->mono0 = p->heard = p->qat = mcp_mono();
	p->deadline = p->mono0 + p->timeout;
	/*
	 * Every target ends within the run's deadline, its own cut to fit:
	 * a cut of less than libcurl's rounding leaves it its whole timeout.
	 */
	if (cut > 0 && p->deadline > cut) {
		if (p->deadline - cut > CUT_EPS)
			p->cut_at = cut;
		p->deadline = cut;
		p->timeout = cut - p->mono0;
	}
	p->started_at = mcp_ms_round(mcp_now());
	ready_init(p);
	p->cur = S_HTTP;
	detect_start(p);
}

void
probe_free(struct probe *p)
{
	int s;

	xfer_free(&p->x);
	xfer_free(&p->s);
	xfer_free(&p->a);
	/* Every handle is gone, so the share is not in use: this closes the
	 * target's connections. */
	if (p->sh != NULL)
		curl_share_cleanup(p->sh);
	p->sh = NULL;
	cJSON_Delete(p->asks);
	for (s = 0; s < S_NSTEPS; s++) {
		cJSON_Delete(p->steps[s].detail);
		free(p->steps[s].msg);
	}
	cJSON_Delete(p->tools);
	calls_free(p);
	cJSON_Delete(p->attempts);
	cJSON_Delete(p->list_meta);
	fold_free(&p->fold);
	mcp_scan_free(&p->scan);
	cJSON_Delete(p->findings);
	free(p->lerr);
	free(p->instr);
	place_give(p);
	cJSON_Delete(p->lists);
	cJSON_Delete(p->card_problems);
	cloak_free(p);
	ready_free(p);
	cJSON_Delete(p->init_detail);
	cJSON_Delete(p->early);
	cJSON_Delete(p->refusal);
	curl_slist_free_all(p->connect_to);
	free(p->challenge);
	mcp_buf_free(&p->prm_why);
	free(p->uj_msg);
	mcp_wipe_free(&p->session);
	mcp_wipe_free(&p->post_url);
	mcp_wipe_free(&p->auth_hdr);
	for (s = 0; s < p->nhdr; s++)
		mcp_wipe_free(&p->hdr[s]);
	mcp_wipe_free(&p->url_pw);
	mcp_wipe_free(&p->url_basic);
	for (s = 0; s < p->nqsec; s++)
		mcp_wipe_free(&p->qsec[s]);
	cJSON_Delete(p->prm_missing);
	mcp_wipe_free(&p->oauth_token);
	cJSON_Delete(p->oauth_detail);
	cJSON_Delete(p->oauth_prm);
	free(p->oauth_res);
	free(p->oauth_scope);
	mcp_buf_free(&p->oauth_why);
}
