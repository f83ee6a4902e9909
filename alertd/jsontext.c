/*
 * jsontext.c - a delivery's JSON as text, and a member's string: what
 * every route's payload is written with (routes/payload.c, routes/chat.c),
 * apart so that the unit tests of the chat routes take them as they are.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "json.h"

/*
 * o as one line of JSON (owned), written as the records on stdout are:
 * valid UTF-8 whatever its strings hold, so that no receiver ever gets
 * less.  o is deleted.
 */
char *
alert_print(cJSON *o)
{
	struct mcp_buf b = {0};
	char why[256];

	if (o == NULL || mcp_json_write(&b, o, why, sizeof(why)) == -1)
		errx(MCP_EXIT_FAIL, "a delivery: %s", o == NULL ? "out of memory" : why);
	cJSON_Delete(o);
	return b.p;
}

const char *
alert_str(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s != NULL ? s : "";
}
