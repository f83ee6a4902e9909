/*
 * chain.c - a probe's conditions (expect.c) applied to its steps, and
 * the calls of its call step (call, then call2 to call4), made one after
 * another within the one step, each later one's arguments filled in from
 * the answers before it (mcp-probe(1), ASSERTIONS).  steps.c sends them.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdlib.h>

#include "mcp.h"
#include "probe.h"

static const struct mcp_expect *
ex(const struct probe *p)
{
	return p->t->compiled;
}

int
call_count(const struct probe *p)
{
	if (p->t->call == NULL)
		return 0;
	return ex(p) != NULL ? ex(p)->ncalls : 1;
}

const char *
call_tool(const struct probe *p, int i)
{
	return i == 0 ? p->t->call : p->t->more_call[i - 1];
}

int
call_judged(const struct probe *p, int i)
{
	return ex(p) != NULL && (ex(p)->judge >> i & 1);
}

/* The step's detail says how many conditions held, and which failed. */
static void
expect_note(struct probe *p, enum step s, int passed, const char *failed)
{
	cJSON *x;

	if (p->steps[s].detail == NULL)
		p->steps[s].detail = cJSON_CreateObject();
	cJSON_DeleteItemFromObjectCaseSensitive(p->steps[s].detail, "expect");
	x = cJSON_AddObjectToObject(p->steps[s].detail, "expect");
	cJSON_AddNumberToObject(x, "passed", passed);
	if (failed != NULL)
		cJSON_AddStringToObject(x, "failed", failed);
}

int
expect_step(struct probe *p, enum step s)
{
	const struct mcp_expect *e = ex(p);
	enum x_subj x = s == S_INIT ? X_PROTOCOL : s == S_LIST ? X_TOOLS : X_CALL;
	char msg[EXPECT_MSG_MAX], failed[EXPECT_MSG_MAX];
	const char *secrets[PROBE_SECRETS_MAX];
	/* A server that declares no tools has none to hold a condition. */
	int none = s == S_LIST && p->steps[s].status == ST_SKIP && p->no_tools;
	int passed, rc;

	if (p->expected >> s & 1) /* judged already: as it was */
		return p->steps[s].status == ST_FAIL ? -1 : 0;
	if (e == NULL || e->count[x] == 0 || (p->steps[s].status != ST_PASS && !none))
		return 0;
	p->expected |= 1 << s;
	p->seen.proto = p->proto;
	p->seen.tools = p->steps[S_LIST].status == ST_PASS ? p->tools : NULL;
	p->seen.ntools = p->seen.tools != NULL ? p->ntools : 0;
	/* A value shown in a message: a secret in it scrubbed before it is cut. */
	p->seen.nsec = probe_secrets(p, secrets);
	p->seen.secrets = secrets;
	rc = expect_judge(e, x, &p->seen, &passed, msg, failed);
	p->seen.secrets = NULL, p->seen.nsec = 0;
	if (rc == 0) {
		if (!none)
			expect_note(p, s, passed, NULL);
		return 0;
	}
	step_fail(p, s, p->steps[s].ms, "expect_failed", "%s", msg);
	expect_note(p, s, passed, failed);
	return -1;
}

cJSON *
call_args(struct probe *p, char *why, size_t len)
{
	const char *text = p->call_i == 0 ? p->t->call_args : p->t->more_args[p->call_i - 1];
	cJSON *a = text != NULL ? cJSON_Parse(text) : cJSON_CreateObject();

	if (a == NULL) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	if (p->call_i > 0 && expect_refs(a, &p->seen, why, len) == -1) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

/* One more entry of the calls' detail: call i's tool and its time. */
static void
calls_add(struct probe *p, int i, double ms)
{
	cJSON *c;

	if (call_count(p) < 2)
		return;
	if (p->calls == NULL)
		p->calls = cJSON_CreateArray();
	c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "tool", call_tool(p, i));
	cJSON_AddNumberToObject(c, "ms", round(ms * 10.0) / 10.0);
	cJSON_AddItemToArray(p->calls, c);
}

void
call_answered(struct probe *p, cJSON *res)
{
	int i = p->call_i;

	p->seen.ms[i] = since(p->call_t0);
	p->seen.done = i + 1;
	calls_add(p, i, p->seen.ms[i]);
	/* Only what a condition or a later call reads is kept, until the step ends. */
	if (ex(p) != NULL && (ex(p)->keep >> i & 1))
		p->seen.res[i] = p->call_res[i] = res;
	else
		cJSON_Delete(res);
}

void
call_detail(struct probe *p)
{
	/* The call that failed has its time too. */
	if (p->seen.done <= p->call_i && p->t->call != NULL)
		calls_add(p, p->call_i, since(p->call_t0));
	if (p->calls != NULL) {
		if (p->steps[S_CALL].detail == NULL)
			p->steps[S_CALL].detail = cJSON_CreateObject();
		cJSON_AddItemToObject(p->steps[S_CALL].detail, "calls", p->calls);
		p->calls = NULL;
	}
	calls_free(p);
}

void
calls_free(struct probe *p)
{
	int i;

	for (i = 0; i < MCP_CALLS_MAX; i++) {
		cJSON_Delete(p->call_res[i]);
		p->call_res[i] = NULL;
		p->seen.res[i] = NULL;
	}
	cJSON_Delete(p->calls);
	p->calls = NULL;
}
