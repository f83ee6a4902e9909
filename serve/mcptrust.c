/*
 * mcptrust.c - a monitored server's text in /mcp's answers, as data and
 * never as instructions (mcp-serve(8), "MCP", issue 60).  The answers are
 * the JSON API's; where they carry what a server wrote (the changes of
 * its lists, its findings' excerpts, its identities as cloaking reports
 * them), each such string becomes a wrapper that says whose it is,
 *
 *	{"untrusted":"text from the monitored server","quoted":"..."}
 *
 * its text made visible as the status page shows it (serve_visible:
 * every hidden character written \u{XXXX}) and bounded; the text content
 * says the same in words a model reads, [untrusted text from the
 * monitored server, quoted: "..."], a quote mark in it written \u{22}
 * so that it cannot end early.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcpserve.h"

#define TRUST_MAX 400 /* bytes of one server text quoted */

/* The members whose values a server wrote, in part or whole. */
static const char *const trust_server_trees[] = {"change", "changes", "first", "cloak"};
/* Within them, the words that are the monitor's own. */
static const char *const trust_monitor_words[] = {"class", "kind", "rule", "severity", "state",
    "profile", "region", "regions", "same_regions", "unknown_regions", "user_agent"};

static int
trust_among(const char *k, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; k != NULL && i < n; i++)
		if (strcmp(k, v[i]) == 0)
			return 1;
	return 0;
}

/* A list's hash ("sha256:" and hex) is the monitor's: it hides nothing. */
static int
trust_is_hash(const char *s)
{
	return strncmp(s, "sha256:", 7) == 0 && strlen(s) <= 80 &&
	    strspn(s + 7, "0123456789abcdef") == strlen(s + 7);
}

/* The wrapper of one server's text (owned), or NULL out of memory. */
static cJSON *
trust_wrap(const char *s)
{
	char buf[TRUST_MAX * 16];
	cJSON *o = cJSON_CreateObject();

	serve_visible(buf, sizeof(buf), s, TRUST_MAX);
	if (o == NULL || cJSON_AddStringToObject(o, "untrusted", MCP_UNTRUSTED) == NULL ||
	    cJSON_AddStringToObject(o, "quoted", buf) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* 1 when o is a wrapper wrap made. */
static int
trust_is_wrapper(const cJSON *o)
{
	const char *u = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "untrusted"));

	return cJSON_IsObject(o) && u != NULL && strcmp(u, MCP_UNTRUSTED) == 0 &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "quoted"));
}

/* The member name of e given to w, its replacement (cJSON's pointer swap keeps none). */
static int
trust_keep_key(cJSON *w, const cJSON *e)
{
	if (e->string == NULL)
		return 0;
	return (w->string = strdup(e->string)) == NULL ? -1 : 0;
}

/* Every server's string under o (key: its member's name, or its array's) wrapped. */
static int
trust_mark(cJSON *o, const char *key, int srv)
{
	cJSON *e, *w, *next;
	int rc = 0;

	if (cJSON_IsString(o) || trust_is_wrapper(o))
		return 0;
	for (e = o != NULL ? o->child : NULL; e != NULL; e = next) {
		const char *k = cJSON_IsObject(o) ? e->string : key;
		int in = srv ||
		    trust_among(k, trust_server_trees,
		        sizeof(trust_server_trees) / sizeof(*trust_server_trees));

		next = e->next;
		if (in && cJSON_IsString(e) &&
		    !trust_among(k, trust_monitor_words,
		        sizeof(trust_monitor_words) / sizeof(*trust_monitor_words)) &&
		    !trust_is_hash(e->valuestring)) {
			if ((w = trust_wrap(e->valuestring)) == NULL ||
			    trust_keep_key(w, e) == -1 || !cJSON_ReplaceItemViaPointer(o, e, w)) {
				cJSON_Delete(w);
				rc = -1;
			}
		} else if (cJSON_IsObject(e) || cJSON_IsArray(e)) {
			rc |= trust_mark(e, k, in);
		}
	}
	return rc;
}

int
mcp_trust_mark(cJSON *o)
{
	return trust_mark(o, NULL, 0);
}

/* The marker a model reads of one wrapper (owned), or NULL. */
static char *
trust_marker(const cJSON *w)
{
	const char *q = cJSON_GetObjectItemCaseSensitive(w, "quoted")->valuestring;
	struct mcp_buf b = {0};
	int rc;

	rc = mcp_buf_adds(&b, "[" MCP_UNTRUSTED ", quoted: \"");
	for (; *q != '\0'; q++)
		rc |= *q == '"' ? mcp_buf_adds(&b, "\\u{22}") : mcp_buf_addc(&b, *q);
	rc |= mcp_buf_adds(&b, "\"]") | mcp_buf_addc(&b, '\0');
	if (rc != 0) {
		mcp_buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* Each wrapper under o replaced by its marker. */
static int
trust_say(cJSON *o)
{
	cJSON *e, *next, *s;
	char *m;
	int rc = 0;

	for (e = o != NULL ? o->child : NULL; e != NULL; e = next) {
		next = e->next;
		if (trust_is_wrapper(e)) {
			m = trust_marker(e);
			s = m != NULL ? cJSON_CreateString(m) : NULL;
			free(m);
			if (s == NULL || trust_keep_key(s, e) == -1 ||
			    !cJSON_ReplaceItemViaPointer(o, e, s)) {
				cJSON_Delete(s);
				rc = -1;
			}
		} else if (cJSON_IsObject(e) || cJSON_IsArray(e)) {
			rc |= trust_say(e);
		}
	}
	return rc;
}

char *
mcp_trust_text(const cJSON *o)
{
	cJSON *c = cJSON_Duplicate(o, 1);
	char *s = NULL;

	if (c != NULL && trust_say(c) == 0)
		s = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	return s;
}
