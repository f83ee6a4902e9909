/*
 * fuzz_registry.c - the entries of a registry page made fields of
 * mcp:registry:servers (registry/entry.c), as mcp-aggregate registry
 * sync makes them, on any JSON text.
 *
 * The input is parsed as a page is; an array is a list of entries, any
 * other value one entry.  Each entry goes through reg_entry_fields with
 * and without --allow-http.  A field must be fit to store and to print as
 * a target: its value is one line of JSON that reads back, with a name
 * and a state; a field in state probe has an https URL (http only with
 * --allow-http) without a blank, a control byte or userinfo, whose host is
 * not a refused literal address, and headers whose values a targets file
 * carries as one token; the hashed slug of its name follows the slug rule.
 * The bounds hold: a value is at most REG_FIELD_MAX bytes, a server's at
 * most REG_SERVER_MAX in all, REG_REMOTES_MAX fields at most, and the
 * remotes listed are those kept, dropped and duplicates.
 * Not covered: the crawl (HTTP, cursors) and the store; the slug
 * collisions, which need the store's memory.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../registry/reg.h"
#include "../lib/json.h"
#include "../lib/targets.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static void
check_probe(const cJSON *v, int allow_http)
{
	const cJSON *url = cJSON_GetObjectItemCaseSensitive(v, "url"), *h;
	const char *u, *why, *end;
	char host[AGG_HOST_MAX + 1];

	FUZZ_CHECK(cJSON_IsString(url));
	u = url->valuestring;
	FUZZ_CHECK(strncmp(u, "https://", 8) == 0 || (allow_http && strncmp(u, "http://", 7) == 0));
	FUZZ_CHECK(mcp_target_token_ok(u) && strlen(u) <= REG_URL_MAX);
	u = strstr(u, "://") + 3;
	end = u + strcspn(u, "/?#");
	FUZZ_CHECK(memchr(u, '@', (size_t)(end - u)) == NULL);
	FUZZ_CHECK(agg_url_host(url->valuestring, host, sizeof(host)) == 0);
	FUZZ_CHECK(!reg_ip_refused(host, &why));
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(v, "headers"))
	{
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(h, "name"),
		            *val = cJSON_GetObjectItemCaseSensitive(h, "value");

		FUZZ_CHECK(cJSON_IsString(n) && cJSON_IsString(val));
		FUZZ_CHECK(
		    mcp_target_token_ok(n->valuestring) && mcp_target_token_ok(val->valuestring));
		FUZZ_CHECK(strchr(n->valuestring, ':') == NULL);
	}
}

static void
check_field(const struct reg_field *f, int allow_http)
{
	const cJSON *name, *state, *rem;
	const char *why;
	char slug[MCP_SLUG_MAX + 1];
	cJSON *v;

	FUZZ_CHECK(f->json != NULL && strchr(f->json, '\n') == NULL);
	FUZZ_CHECK(strlen(f->json) <= REG_FIELD_MAX);
	v = mcp_json_parse(f->json, strlen(f->json), &why);
	FUZZ_CHECK(v != NULL);
	name = cJSON_GetObjectItemCaseSensitive(v, "name");
	state = cJSON_GetObjectItemCaseSensitive(v, "state");
	rem = cJSON_GetObjectItemCaseSensitive(v, "remote");
	FUZZ_CHECK(cJSON_IsString(name) && strcmp(name->valuestring, f->name) == 0);
	FUZZ_CHECK(cJSON_IsString(state));
	if (strcmp(state->valuestring, "probe") == 0)
		check_probe(v, allow_http);
	FUZZ_CHECK(reg_slug(f->name, cJSON_IsNumber(rem) ? rem->valueint : -1, 1, slug,
	               sizeof(slug)) == 0);
	FUZZ_CHECK(mcp_slug_ok(slug));
	cJSON_Delete(v);
}

static void
one(const cJSON *entry)
{
	struct reg_opts o = {"https://registry.example", 0, 0, 0, 0, NULL};
	struct reg_remotes c;
	struct reg_field *v;
	char err[400];
	size_t n, i, bytes;

	for (o.allow_http = 0; o.allow_http <= 1; o.allow_http++) {
		if (reg_entry_fields(entry, &o, 1767225600, &v, &n, &c, err, sizeof(err)) == -1)
			continue;
		FUZZ_CHECK(n >= 1 && n <= REG_REMOTES_MAX);
		FUZZ_CHECK(c.listed == 0 || c.listed == (long)n + c.dropped + c.duplicates);
		for (i = 0, bytes = 0; i < n; i++) {
			check_field(&v[i], o.allow_http);
			bytes += strlen(v[i].json);
			reg_field_free(&v[i]);
		}
		FUZZ_CHECK(bytes <= REG_SERVER_MAX);
		free(v);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const cJSON *e;
	const char *why;
	cJSON *page = mcp_json_parse((const char *)data, size, &why);

	if (page == NULL)
		return 0;
	if (cJSON_IsArray(page))
		cJSON_ArrayForEach(e, page) one(e);
	else
		one(page);
	cJSON_Delete(page);
	return 0;
}
