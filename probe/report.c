/*
 * report.c - the records of one target: eight steps and a result, written
 * as one block so that targets never interleave.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "probe.h"
#include "text.h"
#include "toolset.h"

static const char *status_names[] = {"pending", "pass", "fail", "skip"};

static double
ms1(double ms)
{
	return round(ms * 10.0) / 10.0;
}

/*
 * Records are written member by member straight into the buffer: a fleet
 * writes nine of them a target, and trees cost more than the probe's own
 * work.  A failure (memory) is remembered and reported once.
 */
struct rw {
	struct mcp_buf *b;
	int n;         /* members written */
	int bad;       /* memory ran out, or a value could not be written */
	char why[128]; /* the first reason */
};

static void
bad(struct rw *w, const char *why)
{
	if (!w->bad)
		snprintf(w->why, sizeof(w->why), "%s", why);
	w->bad = 1;
}

static void
key(struct rw *w, const char *k)
{
	if (mcp_buf_adds(w->b, w->n++ ? ",\"" : "{\"") == -1 || mcp_buf_adds(w->b, k) == -1 ||
	    mcp_buf_adds(w->b, "\":") == -1)
		bad(w, "out of memory");
}

/* A string member; null for NULL or "". */
static void
m_str(struct rw *w, const char *k, const char *v)
{
	key(w, k);
	if ((v == NULL || *v == '\0' ? mcp_buf_adds(w->b, "null") : mcp_json_string(w->b, v)) == -1)
		bad(w, "out of memory");
}

static void
m_num(struct rw *w, const char *k, double v)
{
	key(w, k);
	if (mcp_json_addnum(w->b, v) == -1)
		bad(w, isfinite(v) ? "out of memory" : "a number is not finite");
}

static void
m_null(struct rw *w, const char *k)
{
	key(w, k);
	if (mcp_buf_adds(w->b, "null") == -1)
		bad(w, "out of memory");
}

static void
m_tree(struct rw *w, const char *k, const cJSON *v)
{
	char err[96];

	key(w, k);
	if (mcp_json_write(w->b, v, err, sizeof(err)) == -1)
		bad(w, err);
}

/*
 * --lock: "lock", what the target serves against the lock (matches,
 * differs, held, not_locked), and "lock_differs", the kinds that differ.
 * A posture only: it never changes the state.
 */
static void
lock_members(struct rw *w, const struct probe *p, int listed)
{
	const char *h[3] = {
	    listed ? p->tool_hash : NULL, p->lhash[LK_RESOURCES], p->lhash[LK_PROMPTS]};
	cJSON *kinds = cJSON_CreateArray();

	if (kinds == NULL) {
		bad(w, "out of memory");
		return;
	}
	m_str(w, "lock", mcp_lock_posture(p->o->lock, p->t->slug, p->o->region, h, kinds));
	m_tree(w, "lock_differs", kinds);
	cJSON_Delete(kinds);
}

/* The error member: {"code":…,"message":…}, or null for no code. */
static void
m_error_of(struct rw *w, const char *code, const char *msg)
{
	struct rw e = {w->b, 0, 0, ""};

	if (code == NULL) {
		m_null(w, "error");
		return;
	}
	key(w, "error");
	m_str(&e, "code", code);
	m_str(&e, "message", msg);
	if (e.bad || mcp_buf_addc(w->b, '}') == -1)
		bad(w, e.bad ? e.why : "out of memory");
}

static void
m_error(struct rw *w, const struct step_rec *s)
{
	if (s == NULL || s->status != ST_FAIL)
		m_null(w, "error");
	else
		m_error_of(w, s->code, s->msg);
}

static void
head(struct rw *w, const struct probe *p, const char *type)
{
	m_num(w, "v", 1);
	m_str(w, "type", type);
	m_str(w, "probe_id", p->id);
	m_str(w, "slug", p->t->slug);
	m_str(w, "region", p->o->region);
	m_str(w, "url", p->url);
	m_num(w, "probe_started_at", p->started_at);
	if (runner_canary(p->r) != NULL)
		m_str(w, "canary", runner_canary(p->r));
	if (p->t->from_registry)
		m_str(w, "origin", "registry");
}

static void
end(struct rw *w)
{
	if (mcp_buf_adds(w->b, "}\n") == -1)
		bad(w, "out of memory");
}

/* The resources and prompts read (lists.c) join the tools_list detail. */
static void
lists_into(struct probe *p, cJSON *d)
{
	cJSON *c;

	while (d != NULL && p->lists != NULL && (c = p->lists->child) != NULL)
		cJSON_AddItemToObject(d, c->string, cJSON_DetachItemViaPointer(p->lists, c));
}

/* The detail of a step; the probe is done, so its trees are finished here. */
static cJSON *
detail(struct probe *p, int i)
{
	struct step_rec *s = &p->steps[i];

	if (s->detail == NULL)
		s->detail = cJSON_CreateObject();
	if (s->status == ST_SKIP) {
		cJSON_Delete(s->detail);
		s->detail = cJSON_CreateObject();
		cJSON_AddStringToObject(
		    s->detail, "reason", p->skip_reason[i] ? p->skip_reason[i] : "after_failure");
		if (i == S_LIST)
			lists_into(p, s->detail);
		return s->detail;
	}
	if (i == S_LIST)
		lists_into(p, s->detail);
	if (i == S_AUTH && s->status == ST_PASS && p->posture != NULL &&
	    !cJSON_HasObjectItem(s->detail, "posture"))
		cJSON_AddStringToObject(s->detail, "posture", p->posture);
	/* What a failed call called: the tool, or ping (none configured). */
	if (i == S_CALL && s->status == ST_FAIL && !cJSON_HasObjectItem(s->detail, "tool") &&
	    !cJSON_HasObjectItem(s->detail, "method")) {
		if (p->t->call != NULL)
			cJSON_AddStringToObject(s->detail, "tool", p->t->call);
		else
			cJSON_AddStringToObject(s->detail, "method", "ping");
	}
	/* What era detection tried before the transport was known. */
	if (i == S_HTTP && cJSON_GetArraySize(p->attempts) > 1) {
		cJSON_AddItemToObject(s->detail, "attempts", p->attempts);
		p->attempts = NULL;
	}
	return s->detail;
}

static void
step_record(struct rw *w, struct probe *p, int i)
{
	struct step_rec *s = &p->steps[i];

	head(w, p, "step");
	m_num(w, "seq", i + 1);
	m_str(w, "step", mcp_steps[i]);
	m_str(w, "status", status_names[s->status]);
	m_num(w, "ms", s->status == ST_SKIP ? 0 : ms1(s->ms));
	m_tree(w, "detail", detail(p, i));
	m_error(w, s);
	end(w);
}

int
probe_broken(const struct probe *p)
{
	int i;

	for (i = 0; i < S_NSTEPS; i++)
		if (p->steps[i].status == ST_FAIL)
			return 1;
	return 0;
}

/* The Server Card posture (card.c): null when it was not read. */
static void
card_members(struct rw *w, const struct probe *p)
{
	m_str(w, "card", p->card);
	m_str(w, "card_url", p->card != NULL ? p->card_url : NULL);
	if (p->card_problems != NULL && cJSON_GetArraySize(p->card_problems) > 0)
		m_tree(w, "card_problems", p->card_problems);
	else
		m_null(w, "card_problems");
}

/* The rules read in the lists' text (findings_make): null when no tool list was read. */
static void
findings_member(struct rw *w, struct probe *p)
{
	if (p->findings != NULL)
		m_tree(w, "findings", p->findings);
	else
		m_null(w, "findings");
}

static void
result_record(struct rw *w, struct probe *p)
{
	const char *state = "healthy";
	cJSON *ck;
	int i, failed = -1, listed = p->steps[S_LIST].status == ST_PASS;

	for (i = 0; i < S_NSTEPS && failed < 0; i++)
		if (p->steps[i].status == ST_FAIL)
			failed = i;
	if (failed >= 0)
		state = "broken";
	else if (p->unjudged != NULL)
		state = "unjudged";
	else if (p->posture != NULL &&
	    (strcmp(p->posture, "auth-walled") == 0 || strcmp(p->posture, "key-walled") == 0))
		state = "auth-walled";
	head(w, p, "result");
	m_num(w, "probe_finished_at", mcp_ms_round(p->started_at + (p->finished_mono - p->mono0)));
	m_str(w, "state", state);
	m_str(w, "failed_step", failed >= 0 ? mcp_steps[failed] : NULL);
	m_str(w, "posture", p->posture);
	m_str(w, "transport", p->transport);
	m_str(w, "era", p->era_found);
	m_str(w, "protocol_version", p->proto);
	if (p->http_status > 0)
		m_num(w, "http_status", p->http_status);
	else
		m_null(w, "http_status");
	if (listed)
		m_num(w, "tool_count", p->ntools);
	else
		m_null(w, "tool_count");
	m_str(w, "tool_hash", listed ? p->tool_hash : NULL);
	m_str(w, "resource_hash", p->lhash[LK_RESOURCES]);
	m_str(w, "prompt_hash", p->lhash[LK_PROMPTS]);
	m_num(w, "ms", ms1((p->finished_mono - p->mono0) * 1000.0));
	if (p->unjudged != NULL && failed < 0)
		m_error_of(w, p->unjudged, p->uj_msg);
	else
		m_error(w, failed >= 0 ? &p->steps[failed] : NULL);
	if (p->t->card == MCP_CARD_ON || (p->o->card && p->t->card != MCP_CARD_OFF))
		card_members(w, p);
	findings_member(w, p);
	if ((ck = cloak_json(p)) != NULL)
		m_tree(w, "cloaking", ck);
	cJSON_Delete(ck);
	if ((ck = ready_json(p)) != NULL)
		m_tree(w, "readiness", ck);
	cJSON_Delete(ck);
	if (p->o->lock != NULL)
		lock_members(w, p, listed);
	/* Only a certificate that verified: an expired one fails the tls step. */
	if (p->cert_not_after >= 0)
		m_num(w, "cert_expires_at", p->cert_not_after);
	else
		m_null(w, "cert_expires_at");
	end(w);
}

/*
 * Server text in records: the messages of failed steps and the string
 * values of details.  Before a record is formatted, every copy of a
 * secret in such text is overwritten, and only then is the text cut to
 * TEXT_MAX bytes, so that no cut leaves part of a secret behind.  The
 * record's own members (state, codes, names the probe chose) are never
 * touched: a server that picks its session id cannot rewrite them.
 */
#define TEXT_MAX 256
/* A problem of a Server Card, at the most. */
#define CARD_PROBLEM_MAX 200
/* Findings a result names (the others counted in "more"). */
#define FINDINGS_FIRST 3

/* Detail members whose values come from the probe's own vocabulary. */
static const char *const own_keys[] = {"posture", "transport", "http_version", "reason", "request",
    "protocol_version", "tool_hash", "resource_hash", "prompt_hash", "address", "pinned", "method",
    "tool"};

static int
own_key(const char *k)
{
	size_t i;

	for (i = 0; k != NULL && i < sizeof(own_keys) / sizeof(own_keys[0]); i++)
		if (strcmp(k, own_keys[i]) == 0)
			return 1;
	return 0;
}

/* Cut s to at most max bytes, on a UTF-8 character boundary. */
static void
cut(char *s, size_t max)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) <= max)
		return;
	for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
		;
	s[n] = '\0';
}

static void
clean(char *s, const char *const *secrets, int nsec)
{
	mcp_text_scrub(s, secrets, nsec);
	cut(s, TEXT_MAX);
}

/* The string values of a detail tree; key is the member that holds v. */
static void
clean_tree(cJSON *v, const char *key, const char *const *secrets, int nsec)
{
	cJSON *c;

	if (cJSON_IsString(v) && !own_key(key))
		clean(v->valuestring, secrets, nsec);
	for (c = v != NULL ? v->child : NULL; c != NULL; c = c->next)
		clean_tree(c, cJSON_IsObject(v) ? c->string : key, secrets, nsec);
}

/*
 * A list printed whole (list_content) is the very bytes its hash is of:
 * never scrubbed nor cut, which would break the hash, but dropped, with the
 * reason, when a secret is in it.
 */
static void
clean_lists(cJSON *d, const char *const *secrets, int nsec)
{
	char name[32];
	cJSON *c, *next;
	int i;

	for (c = d != NULL ? d->child : NULL; c != NULL; c = next) {
		next = c->next;
		if (!cJSON_IsRaw(c) || c->string == NULL || strlen(c->string) > 16)
			continue;
		for (i = 0; i < nsec; i++)
			if (secrets[i] != NULL && strlen(secrets[i]) >= MCP_SECRET_MIN &&
			    strstr(c->valuestring, secrets[i]) != NULL)
				break;
		if (i == nsec)
			continue;
		snprintf(name, sizeof(name), "%s_omitted", c->string);
		cJSON_DeleteItemFromObjectCaseSensitive(d, c->string);
		cJSON_AddStringToObject(d, name, "secret");
	}
}

/*
 * The rules read in the lists' text (toolset/scan.c, mcp-rules(7)): a
 * posture of the result once the tool list was read whole; it never fails
 * the target.  Its excerpts are a server's text, cleaned as the details.
 */
static void
findings_make(struct probe *p)
{
	cJSON *srv;

	cJSON_Delete(p->findings);
	p->findings = NULL;
	if (p->steps[S_LIST].status != ST_PASS || mcp_scan_finish(&p->scan) == -1)
		return;
	p->findings = mcp_scan_summary(&p->scan, FINDINGS_FIRST);
	/*
	 * Those of the server's instructions, apart: the store judges the
	 * lists from their text, and keeps no instructions (findings.c).
	 */
	if (p->findings != NULL &&
	    (srv = mcp_scan_summary_of(&p->scan, "server", FINDINGS_FIRST)) != NULL)
		cJSON_AddItemToObject(p->findings, "server", srv);
}

/*
 * The findings of the instructions past the part a result carries (their
 * rules that the part alone does not give), in srv's "tail" with the
 * SHA-256 of the whole: the store cannot read them, and counts them when
 * the regions that read the same text agree (aggregate/findings.c).
 */
static void
findings_tail(const struct probe *p, cJSON *srv)
{
	unsigned long seen = 0;
	enum mcp_sev w = MCP_SEV_N;
	cJSON *t, *a;
	size_t i, r;
	long n = 0;

	if (p->instr_sha[0] == '\0')
		return;
	for (i = 0; i < p->scan.n; i++) {
		const struct mcp_finding *f = &p->scan.v[i];

		if (strcmp(f->list, "server") != 0)
			continue;
		for (r = 0; r < mcp_scan_nrules && strcmp(mcp_scan_rules[r].id, f->rule) != 0; r++)
			;
		if (r == mcp_scan_nrules || (p->instr_head_rules & (1UL << r)))
			continue;
		seen |= 1UL << r, n++;
		w = f->sev < w ? f->sev : w;
	}
	cJSON_AddStringToObject(srv, "sha256", p->instr_sha);
	if (n == 0)
		return;
	t = cJSON_AddObjectToObject(srv, "tail");
	cJSON_AddNumberToObject(t, "count", (double)n);
	cJSON_AddStringToObject(t, "worst", mcp_sev_name(w));
	a = cJSON_AddArrayToObject(t, "rules");
	for (r = 0; r < mcp_scan_nrules; r++)
		if (seen & (1UL << r))
			cJSON_AddItemToArray(a, cJSON_CreateString(mcp_scan_rules[r].id));
}

/*
 * The instructions whose findings findings.server says, for the store to
 * judge (it keeps no instructions: aggregate/findings.c): their text, a
 * secret in it overwritten as in any detail, written in ASCII (each other
 * character \uXXXX, so that no hidden character is raw in a result), its
 * first PROBE_INSTR_SENT bytes ("text_cut": true when there were more).
 */
static void
findings_text(struct probe *p, const char *const *secrets, int nsec)
{
	cJSON *srv = cJSON_GetObjectItemCaseSensitive(p->findings, "server");
	struct mcp_buf b = {0};

	if (srv == NULL || p->instr == NULL)
		return;
	/* Overwritten before the cut: a secret across it is never left half. */
	mcp_text_scrub(p->instr, secrets, nsec);
	cut(p->instr, PROBE_INSTR_SENT);
	if (mcp_json_string_ascii(&b, p->instr) == 0 &&
	    cJSON_AddRawToObject(srv, "text", b.p) != NULL && p->instr_cut) {
		cJSON_AddTrueToObject(srv, "text_cut");
		findings_tail(p, srv);
	}
	mcp_buf_free(&b);
}

int
probe_secrets(const struct probe *p, const char **secrets)
{
	const char *fixed[] = {p->token, p->session, p->post_url, p->x.session, p->s.session,
	    p->a.session, p->url_pw, p->url_basic, p->t->oauth_secret, p->t->oauth_assertion,
	    p->t->oauth_key};
	int i, n = 0;

	for (i = 0; i < (int)(sizeof(fixed) / sizeof(fixed[0])); i++)
		secrets[n++] = fixed[i];
	for (i = 0; i < p->nqsec; i++)
		secrets[n++] = p->qsec[i];
	/* Header values too: a key given with -H by mistake is a secret. */
	for (i = 0; i < p->t->nheaders; i++)
		secrets[n++] = p->t->headers[i].value;
	/* And what an expect_secret condition compares with (expect.c). */
	for (i = 0; p->t->compiled != NULL && i < p->t->compiled->n; i++)
		if (p->t->compiled->c[i].secret)
			secrets[n++] = p->t->compiled->c[i].right;
	return n;
}

/* Every secret the probe holds, the session ids of unfinished exchanges too. */
static void
clean_all(struct probe *p)
{
	const char *secrets[PROBE_SECRETS_MAX];
	int i, n = probe_secrets(p, secrets);
	cJSON *c;

	clean(p->uj_msg, secrets, n);
	clean(cloak_msg(p), secrets, n);
	for (i = 0; i < S_NSTEPS; i++) {
		clean(p->steps[i].msg, secrets, n);
		clean_tree(p->steps[i].detail, NULL, secrets, n);
	}
	clean_tree(p->lists, NULL, secrets, n);
	for (c = p->card_problems ? p->card_problems->child : NULL; c != NULL; c = c->next) {
		mcp_text_scrub(c->valuestring, secrets, n);
		cut(c->valuestring, CARD_PROBLEM_MAX);
	}
	clean_lists(p->steps[S_LIST].detail, secrets, n);
	clean_lists(p->lists, secrets, n);
	findings_make(p);
	clean_tree(p->findings, NULL, secrets, n);
	findings_text(p, secrets, n);
}

/*
 * A record that cannot be written fails its target, with the reason, and
 * never the run: the details are dropped and the records written again.
 */
static void
salvage(struct probe *p, const char *why)
{
	int i, failed = 0;

	for (i = 0; i < S_NSTEPS; i++) {
		cJSON_Delete(p->steps[i].detail);
		p->steps[i].detail = NULL;
		failed |= p->steps[i].status == ST_FAIL;
	}
	cJSON_Delete(p->attempts);
	p->attempts = NULL;
	cJSON_Delete(p->lists);
	p->lists = NULL;
	cJSON_Delete(p->findings);
	p->findings = NULL;
	/* Not the run's limit: the probe's own failure, and said as one. */
	p->unjudged = NULL;
	if (!failed)
		step_fail(p, S_HTTP, p->steps[S_HTTP].ms, "probe_error",
		    "the records of this target could not be written: %s", why);
}

/* The nine records, or -1 with the reason in why and out as it was. */
static int
format(struct probe *p, struct mcp_buf *out, char *why, size_t len)
{
	struct rw w = {out, 0, 0, ""};
	size_t start = out->len;
	int i;

	for (i = 0; i < S_NSTEPS; i++) {
		w.n = 0;
		step_record(&w, p, i);
	}
	w.n = 0;
	result_record(&w, p);
	if (!w.bad)
		return 0;
	snprintf(why, len, "%s", w.why);
	out->len = start;
	if (out->p != NULL)
		out->p[start] = '\0';
	return -1;
}

int
report_format(struct probe *p, struct mcp_buf *out, char *err, size_t errlen)
{
	char why[128];

	clean_all(p);
	if (format(p, out, why, sizeof(why)) == 0)
		return 0;
	salvage(p, why);
	if (format(p, out, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "records not written: %s", why);
	return -1;
}
