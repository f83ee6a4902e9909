/*
 * posttext.c - the pure pieces of a post: its states, the checks of its
 * text, its id, the incident it is tied to, and the link of a notice.  No
 * I/O; unit-tested by tests/unit/test_alert.c.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "notice.h"

const char *const post_states[POST_STATES] = {
    "investigating", "identified", "monitoring", "resolved"};

int
post_state(const char *s)
{
	int i;

	for (i = 0; i < POST_STATES; i++)
		if (strcmp(s, post_states[i]) == 0)
			return i;
	return -1;
}

/* CR LF made LF, blanks (space, tab, CR, LF) trimmed at both ends, in place. */
static void
normalise(char *s)
{
	size_t i, o = 0, n;

	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] == '\r' && s[i + 1] == '\n'))
			s[o++] = s[i];
	s[o] = '\0';
	n = strspn(s, " \t\r\n");
	memmove(s, s + n, strlen(s + n) + 1);
	for (n = strlen(s); n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL; n--)
		s[n - 1] = '\0';
}

int
post_text(char *s, size_t max, int lines, char *why, size_t len)
{
	unsigned long cp;
	size_t n, i, k;

	normalise(s);
	n = strlen(s);
	if (n == 0)
		return snprintf(why, len, "empty"), -1;
	if (n > max)
		return snprintf(why, len, "%zu bytes, more than %zu", n, max), -1;
	for (i = 0; i < n; i += k) {
		if ((k = mcp_utf8_decode(s + i, n - i, &cp)) == 0)
			return snprintf(why, len, "not UTF-8 (byte %zu)", i + 1), -1;
		if ((cp < 0x20 && !(cp == '\n' && lines)) || (cp >= 0x7f && cp < 0xa0))
			return snprintf(why, len, "a control character (U+%04lX)", cp), -1;
	}
	return 0;
}

int
post_id_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 12 && strspn(s, "0123456789") == n && s[0] != '0';
}

int
post_incident_ok(const char *s)
{
	const char *colon = strchr(s, ':'), *last = strrchr(s, ':');
	char slug[MCP_SLUG_MAX + 1];
	size_t n = strlen(s);

	if (colon == NULL || colon - s > MCP_SLUG_MAX || n > MCP_SLUG_MAX + 64)
		return 0;
	snprintf(slug, sizeof(slug), "%.*s", (int)(colon - s), s);
	return mcp_slug_ok(slug) && strspn(last + 1, "0123456789") == strlen(last + 1) &&
	    last[1] != '\0' &&
	    strspn(colon, ":abcdefghijklmnopqrstuvwxyz-0123456789") == strlen(colon);
}

void
notice_link(char *buf, size_t len, const char *base, const cJSON *n)
{
	const cJSON *slugs = cJSON_GetObjectItemCaseSensitive(n, "slugs");
	const char *post = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(n, "post"));
	const char *one = cJSON_GetArraySize(slugs) == 1
	    ? cJSON_GetStringValue(cJSON_GetArrayItem(slugs, 0))
	    : NULL;

	buf[0] = '\0';
	if (base == NULL)
		return;
	if (one != NULL && !mcp_slug_ok(one))
		one = NULL;
	if ((size_t)snprintf(buf, len, "%s/status%s%s%s%s", base, one ? "/" : "", one ? one : "",
	        post != NULL && post_id_ok(post) ? "#post-" : "",
	        post != NULL && post_id_ok(post) ? post : "") >= len)
		buf[0] = '\0';
}
