/*
 * cloak.c - the cloaking posture of the probes (mcp-probe --as, issue 54)
 * from push to the verdict.  push keeps each region's latest "cloaking"
 * of a result in mcp:{SLUG}:cloak, REGION -> a compact JSON object with
 * its start ("at"); the verdict says, from the regions' postures of the
 * last AGG_CLOAK_SPAN seconds, whether a server serves a client another
 * tool list than the monitor's, naming both identities and the regions,
 * and the tools only one of them is shown or each is shown another way.
 * A posture only: it never changes a verdict's colour, nor its uptime.
 * A result whose "cloaking" is not as mcp-probe writes it is stored
 * without it, never refused.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "hash.h"
#include "json.h"
#include "mcp.h"
#include "text.h"

/* The span a region's posture counts for, back from the window's end. */
#define AGG_CLOAK_SPAN 300
/* A name or User-Agent of a posture, at the most. */
#define CLOAK_TEXT_MAX 100
/* The tools a posture names a kind of difference, and the bytes of each, at the most. */
#define CLOAK_NAMES 5
#define CLOAK_NAME_MAX 80

/* What differs, named (mcp-probe's "client_only", "monitor_only", "changed"). */
static const char *const diff_keys[3] = {"client_only", "monitor_only", "changed"};

/* s when it is a short printable ASCII string, else NULL. */
static const char *
text_ok(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > CLOAK_TEXT_MAX)
		return NULL;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return NULL;
	return s;
}

/* 1 when member k of o is a "sha256:" hash, or null when nullable. */
static int
hash_ok(const cJSON *o, const char *k, int nullable)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	const char *s = cJSON_GetStringValue(v);

	if (s == NULL)
		return nullable && cJSON_IsNull(v);
	return strlen(s) == MCP_HASH_LEN - 1 && strncmp(s, "sha256:", 7) == 0 &&
	    strspn(s + 7, "0123456789abcdef") == 64;
}

/*
 * 1 when a is a list of tool names as mcp-probe writes them: at most
 * CLOAK_NAMES strings of 1 to CLOAK_NAME_MAX bytes, each of valid UTF-8
 * with nothing a reader would not see (the probe wrote those \u{XXXX}).
 */
static int
names_ok(const cJSON *a)
{
	const cJSON *m;
	const char *p;
	int unsafe;

	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > CLOAK_NAMES)
		return 0;
	cJSON_ArrayForEach(m, a)
	{
		if (!cJSON_IsString(m) || m->valuestring[0] == '\0' ||
		    strlen(m->valuestring) > CLOAK_NAME_MAX)
			return 0;
		for (p = m->valuestring; *p != '\0'; p += mcp_text_char(p, &unsafe))
			if ((mcp_text_char(p, &unsafe), unsafe))
				return 0;
	}
	return 1;
}

/* The names of what differs, into o when the posture's are all well formed. */
static void
diff_add(cJSON *o, const cJSON *c)
{
	const cJSON *more = cJSON_GetObjectItemCaseSensitive(c, "names_more");
	int k;

	for (k = 0; k < 3; k++)
		if (!names_ok(cJSON_GetObjectItemCaseSensitive(c, diff_keys[k])))
			return;
	if (!cJSON_IsNumber(more) || !(more->valuedouble >= 0 && more->valuedouble <= 1e9) ||
	    more->valuedouble != (double)(long long)more->valuedouble)
		return;
	for (k = 0; k < 3; k++)
		cJSON_AddItemToObject(o, diff_keys[k],
		    cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(c, diff_keys[k]), 1));
	cJSON_AddNumberToObject(o, "names_more", more->valuedouble);
}

int
agg_cloak_value(const cJSON *rec, double started, char *out, size_t len)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(rec, "cloaking");
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "state"));
	const char *prof = text_ok(c, "profile");
	char at[32];
	cJSON *o;
	char *s;
	int rc = 0, k;

	out[0] = '\0';
	if (!cJSON_IsObject(c) || st == NULL ||
	    (strcmp(st, "same") != 0 && strcmp(st, "differs") != 0 && strcmp(st, "unknown") != 0) ||
	    prof == NULL || !mcp_slug_ok(prof) || text_ok(c, "client") == NULL ||
	    text_ok(c, "user_agent") == NULL || text_ok(c, "monitor") == NULL ||
	    !hash_ok(c, "monitor_hash", 0) ||
	    !hash_ok(c, "client_hash", strcmp(st, "unknown") == 0))
		return 0;
	if ((o = cJSON_CreateObject()) == NULL)
		return 0;
	mcp_json_number(started, at, sizeof(at));
	cJSON_AddRawToObject(o, "at", at);
	cJSON_AddStringToObject(o, "state", st);
	cJSON_AddStringToObject(o, "profile", prof);
	cJSON_AddStringToObject(o, "client", text_ok(c, "client"));
	cJSON_AddStringToObject(o, "user_agent", text_ok(c, "user_agent"));
	cJSON_AddStringToObject(o, "monitor", text_ok(c, "monitor"));
	cJSON_AddStringToObject(o, "monitor_hash",
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "monitor_hash")));
	if (strcmp(st, "unknown") != 0)
		cJSON_AddStringToObject(o, "client_hash",
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "client_hash")));
	if (strcmp(st, "differs") == 0)
		diff_add(o, c);
	if ((s = cJSON_PrintUnformatted(o)) != NULL && strlen(s) >= len) {
		/* Escaped past the room kept (a name of backslashes): the posture without them. */
		cJSON_free(s);
		for (k = 0; k < 3; k++)
			cJSON_DeleteItemFromObjectCaseSensitive(o, diff_keys[k]);
		cJSON_DeleteItemFromObjectCaseSensitive(o, "names_more");
		s = cJSON_PrintUnformatted(o);
	}
	if (s != NULL && strlen(s) < len) {
		snprintf(out, len, "%s", s);
		rc = 1;
	}
	cJSON_free(s);
	cJSON_Delete(o);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The regions of a state, sorted, as a JSON array (owned). */
static cJSON *
regions_of(const char **v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	qsort(v, n, sizeof(*v), by_name);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

/*
 * The verdict's "cloaking" from h, HGETALL of mcp:{SLUG}:cloak: none when
 * no region's posture is of the span; else the state of the worst of them
 * (differs, then same, then unknown), the identities and hashes of the
 * first region of that state, and the regions of each state.
 */
void
agg_cloak_add(cJSON *o, const redisReply *h, long long window)
{
	size_t n = h->type == REDIS_REPLY_ARRAY ? h->elements / 2 : 0, i, k, cnt[3] = {0};
	static const char *const states[3] = {"differs", "same", "unknown"};
	const char **names[3];
	cJSON *pos[3] = {NULL}, *v[64] = {NULL}, *c;
	double at, end = (double)(window + AGG_WINDOW);
	int s, best = -1;

	if (n > 64)
		n = 64;
	for (s = 0; s < 3; s++)
		names[s] = calloc(n + 1, sizeof(char *));
	for (i = 0; i < n && names[0] && names[1] && names[2]; i++) {
		if (h->element[2 * i + 1]->type != REDIS_REPLY_STRING ||
		    (v[i] = cJSON_Parse(h->element[2 * i + 1]->str)) == NULL)
			continue;
		at = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v[i], "at"));
		if (!(at >= end - AGG_CLOAK_SPAN))
			continue;
		for (s = 0; s < 3; s++)
			if (strcmp(mcp_json_str(v[i], "state", ""), states[s]) == 0)
				break;
		if (s == 3)
			continue;
		names[s][cnt[s]++] = h->element[2 * i]->str;
		/* The first region of the state, by name, says who and what. */
		if (pos[s] == NULL ||
		    strcmp(h->element[2 * i]->str, mcp_json_str(pos[s], "region", "")) < 0) {
			pos[s] = v[i];
			cJSON_DeleteItemFromObject(v[i], "region");
			cJSON_AddStringToObject(v[i], "region", h->element[2 * i]->str);
		}
		if (best == -1 || s < best)
			best = s;
	}
	/* Absent, not null, where no probe asks: the verdicts of before, word for word. */
	if (best != -1) {
		c = cJSON_AddObjectToObject(o, "cloaking");
		cJSON_AddStringToObject(c, "state", states[best]);
		for (k = 0; k < 6; k++) {
			static const char *const m[6] = {"profile", "client", "user_agent",
			    "monitor", "monitor_hash", "client_hash"};
			const char *val = mcp_json_str(pos[best], m[k], NULL);

			if (val != NULL)
				cJSON_AddStringToObject(c, m[k], val);
			else
				cJSON_AddNullToObject(c, m[k]);
		}
		/* What differs, as the first region that saw it says it. */
		for (k = 0; k < 3; k++)
			if (cJSON_IsArray(
			        cJSON_GetObjectItemCaseSensitive(pos[best], diff_keys[k])))
				cJSON_AddItemToObject(c, diff_keys[k],
				    cJSON_Duplicate(
				        cJSON_GetObjectItemCaseSensitive(pos[best], diff_keys[k]),
				        1));
		if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(pos[best], "names_more")))
			cJSON_AddNumberToObject(c, "names_more",
			    cJSON_GetNumberValue(
			        cJSON_GetObjectItemCaseSensitive(pos[best], "names_more")));
		cJSON_AddItemToObject(c, "regions", regions_of(names[0], cnt[0]));
		cJSON_AddItemToObject(c, "same_regions", regions_of(names[1], cnt[1]));
		cJSON_AddItemToObject(c, "unknown_regions", regions_of(names[2], cnt[2]));
	}
	for (i = 0; i < n; i++)
		cJSON_Delete(v[i]);
	for (s = 0; s < 3; s++)
		free(names[s]);
}
