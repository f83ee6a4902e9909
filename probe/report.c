/*
 * report.c - the records of one target: eight steps and a result, written
 * as one block so that targets never interleave.
 */
#include <math.h>
#include <string.h>

#include "json.h"
#include "mcp.h"
#include "probe.h"
#include "rec.h"

static const char *status_names[] = {"pending", "pass", "fail", "skip"};

static double
ms1(double ms)
{
	return round(ms * 10.0) / 10.0;
}

static cJSON *
head(const struct probe *p, const char *type)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddNumberToObject(r, "v", 1);
	cJSON_AddStringToObject(r, "type", type);
	cJSON_AddStringToObject(r, "probe_id", p->id);
	cJSON_AddStringToObject(r, "slug", p->t->slug);
	cJSON_AddStringToObject(r, "region", p->o->region);
	cJSON_AddStringToObject(r, "url", p->url);
	cJSON_AddNumberToObject(r, "probe_started_at", p->started_at);
	return r;
}

static cJSON *
error_obj(const struct step_rec *s)
{
	cJSON *e;

	if (s->status != ST_FAIL)
		return cJSON_CreateNull();
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "code", s->code);
	cJSON_AddStringToObject(e, "message", s->msg);
	return e;
}

static cJSON *
step_record(struct probe *p, int i)
{
	struct step_rec *s = &p->steps[i];
	cJSON *r = head(p, "step"), *d;

	cJSON_AddNumberToObject(r, "seq", i + 1);
	cJSON_AddStringToObject(r, "step", mcp_steps[i]);
	cJSON_AddStringToObject(r, "status", status_names[s->status]);
	cJSON_AddNumberToObject(r, "ms", s->status == ST_SKIP ? 0 : ms1(s->ms));
	if (s->status == ST_SKIP) {
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(
		    d, "reason", p->skip_reason[i] ? p->skip_reason[i] : "after_failure");
	} else {
		d = s->detail ? cJSON_Duplicate(s->detail, 1) : cJSON_CreateObject();
		if (i == S_AUTH && s->status == ST_PASS && p->posture != NULL &&
		    !cJSON_HasObjectItem(d, "posture"))
			cJSON_AddStringToObject(d, "posture", p->posture);
		/* What era detection tried before the transport was known. */
		if (i == S_HTTP && cJSON_GetArraySize(p->attempts) > 1)
			cJSON_AddItemToObject(d, "attempts", cJSON_Duplicate(p->attempts, 1));
	}
	cJSON_AddItemToObject(r, "detail", d);
	cJSON_AddItemToObject(r, "error", error_obj(s));
	return r;
}

static cJSON *
str_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? cJSON_CreateString(s) : cJSON_CreateNull();
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

static cJSON *
result_record(struct probe *p)
{
	cJSON *r = head(p, "result");
	const char *state = "healthy";
	int i, failed = -1, listed = p->steps[S_LIST].status == ST_PASS;

	for (i = 0; i < S_NSTEPS && failed < 0; i++)
		if (p->steps[i].status == ST_FAIL)
			failed = i;
	if (failed >= 0)
		state = "broken";
	else if (p->posture != NULL && strcmp(p->posture, "auth-walled") == 0)
		state = "auth-walled";
	cJSON_AddNumberToObject(
	    r, "probe_finished_at", mcp_ms_round(p->started_at + (p->finished_mono - p->mono0)));
	cJSON_AddStringToObject(r, "state", state);
	cJSON_AddItemToObject(
	    r, "failed_step", str_or_null(failed >= 0 ? mcp_steps[failed] : NULL));
	cJSON_AddItemToObject(r, "posture", str_or_null(p->posture));
	cJSON_AddItemToObject(r, "transport", str_or_null(p->transport));
	cJSON_AddItemToObject(r, "era", str_or_null(p->era_found));
	cJSON_AddItemToObject(r, "protocol_version", str_or_null(p->proto));
	if (p->http_status > 0)
		cJSON_AddNumberToObject(r, "http_status", p->http_status);
	else
		cJSON_AddNullToObject(r, "http_status");
	if (listed)
		cJSON_AddNumberToObject(r, "tool_count", cJSON_GetArraySize(p->tools));
	else
		cJSON_AddNullToObject(r, "tool_count");
	cJSON_AddItemToObject(r, "tool_hash", str_or_null(listed ? p->tool_hash : NULL));
	cJSON_AddNumberToObject(r, "ms", ms1((p->finished_mono - p->mono0) * 1000.0));
	cJSON_AddItemToObject(
	    r, "error", failed >= 0 ? error_obj(&p->steps[failed]) : cJSON_CreateNull());
	return r;
}

/* Overwrite every copy of a secret in the text: it never leaves the probe. */
static void
scrub(struct mcp_buf *b, const char *secret)
{
	size_t n;
	char *s;

	if (secret == NULL || (n = strlen(secret)) < 4 || b->p == NULL)
		return;
	for (s = b->p; (s = strstr(s, secret)) != NULL; s += n)
		memset(s, '*', n);
}

int
report_format(struct probe *p, struct mcp_buf *out, char *err, size_t errlen)
{
	cJSON *r;
	int i, rc = 0;

	for (i = 0; i < S_NSTEPS && rc == 0; i++) {
		r = step_record(p, i);
		rc = mcp_rec_format(out, r, err, errlen);
		cJSON_Delete(r);
	}
	if (rc == 0) {
		r = result_record(p);
		rc = mcp_rec_format(out, r, err, errlen);
		cJSON_Delete(r);
	}
	scrub(out, p->token);
	scrub(out, p->session);
	scrub(out, p->post_url);
	return rc;
}
