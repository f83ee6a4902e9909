/*
 * scancorpus - the text rules (toolset/scan.c) over a corpus of lists
 *
 *	scancorpus [-n ROUNDS] FILE...
 *
 * Each FILE is a server's lists as tests/data/poison/README says:
 * {"source","poisoned":[names],"instructions","tools","resources",
 * "prompts"}.  Prints one JSON line per item (and one for the
 * instructions, when a file has them): {"file","list","item","poisoned",
 * "rules":[ids],"severities":[...],"excerpts":[...]}, then one line {"cost":...}: the time
 * the rules took over every list, ROUNDS times (10), beside what a probe
 * does today with the same items (each item's canonical text and the
 * list's SHA-256, as probe/fold.c does), both in nanoseconds per byte.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "json.h"
#include "toolset.h"

static const char *const members[] = {"tools", "resources", "prompts"};
static const char *const lists[] = {"tool", "resource", "prompt"};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static cJSON *
load(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t n = 0;
	const char *why;
	cJSON *v;

	if (f == NULL)
		err(1, "%s", path);
	s = malloc(1 << 24);
	if (s == NULL)
		err(1, "malloc");
	n = fread(s, 1, (1 << 24) - 1, f);
	fclose(f);
	if ((v = mcp_json_parse(s, n, &why)) == NULL)
		errx(1, "%s: %s", path, why);
	free(s);
	return v;
}

static void
scan_file(const cJSON *v, struct mcp_scan *s)
{
	const cJSON *ins = cJSON_GetObjectItemCaseSensitive(v, "instructions"), *it;
	int k;

	mcp_scan_instructions(s, cJSON_IsString(ins) ? ins->valuestring : NULL);
	for (k = 0; k < 3; k++)
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(v, members[k]))
		    mcp_scan_item(s, (enum mcp_list_kind)k, it);
	mcp_scan_finish(s);
}

/* What a probe does with the items today: their canonical text, the list's hash. */
static size_t
today(const cJSON *v)
{
	struct mcp_buf b = {0};
	char hash[80], e[200];
	const cJSON *it;
	size_t n = 0;
	int k;

	for (k = 0; k < 3; k++) {
		mcp_buf_reset(&b);
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(v, members[k]))
		    mcp_jcs_write(&b, it, e, sizeof(e));
		mcp_sha256_tag(b.p != NULL ? b.p : "", b.len, hash);
		n += b.len;
	}
	mcp_buf_free(&b);
	return n;
}

static int
named(const cJSON *poisoned, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(
	    c, poisoned) if (cJSON_IsString(c) && strcmp(c->valuestring, name) == 0) return 1;
	return 0;
}

/* One line per item: the rules its findings name. */
static void
print_items(const char *path, const cJSON *v, const struct mcp_scan *s)
{
	const cJSON *poisoned = cJSON_GetObjectItemCaseSensitive(v, "poisoned"), *it, *key;
	cJSON *o, *rules, *sev, *ex;
	char *line;
	size_t i;
	int k;

	for (k = -1; k < 3; k++) {
		const cJSON *arr = k < 0 ? NULL : cJSON_GetObjectItemCaseSensitive(v, members[k]);
		const char *list = k < 0 ? "server" : lists[k];

		it = k < 0        ? cJSON_GetObjectItemCaseSensitive(v, "instructions")
		    : arr != NULL ? arr->child
		                  : NULL;
		for (; it != NULL; it = k < 0 ? NULL : it->next) {
			const char *name = "instructions";

			if (k < 0 && !cJSON_IsString(it))
				break;
			if (k >= 0) {
				key = cJSON_GetObjectItemCaseSensitive(it, k == 1 ? "uri" : "name");
				name = cJSON_IsString(key) ? key->valuestring : "";
			}
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "file", path);
			cJSON_AddStringToObject(o, "list", list);
			cJSON_AddStringToObject(o, "item", name);
			cJSON_AddBoolToObject(
			    o, "poisoned", named(poisoned, k < 0 ? "(instructions)" : name));
			rules = cJSON_AddArrayToObject(o, "rules");
			sev = cJSON_AddArrayToObject(o, "severities");
			ex = cJSON_AddArrayToObject(o, "excerpts");
			for (i = 0; i < s->n; i++)
				if (strcmp(s->v[i].list, list) == 0 &&
				    strncmp(s->v[i].item, name, MCP_CH_NAME_MAX) == 0) {
					cJSON_AddItemToArray(
					    rules, cJSON_CreateString(s->v[i].rule));
					cJSON_AddItemToArray(
					    sev, cJSON_CreateString(mcp_sev_name(s->v[i].sev)));
					cJSON_AddItemToArray(
					    ex, cJSON_CreateString(s->v[i].excerpt));
				}
			line = cJSON_PrintUnformatted(o);
			puts(line);
			free(line);
			cJSON_Delete(o);
		}
	}
}

int
main(int argc, char **argv)
{
	int c, i, r, rounds = 10;

	double t0, t_scan = 0, t_today = 0;
	size_t bytes = 0, more = 0;
	cJSON *v;

	mcp_scan_cache(0); /* each round reads the text: it is what is measured */
	while ((c = getopt(argc, argv, "n:")) != -1)
		if (c == 'n')
			rounds = atoi(optarg);
		else
			return 2;
	for (i = optind; i < argc; i++) {
		struct mcp_scan s = {0};

		v = load(argv[i]);
		scan_file(v, &s);
		print_items(argv[i], v, &s);
		more += s.more;
		mcp_scan_free(&s);
		for (r = 0; r < rounds; r++) {
			t0 = now();
			bytes += today(v);
			t_today += now() - t0;
			t0 = now();
			scan_file(v, &s);
			t_scan += now() - t0;
			mcp_scan_free(&s);
		}
		cJSON_Delete(v);
	}
	printf("{\"cost\":{\"bytes\":%zu,\"today_ns_per_byte\":%.2f,\"rules_ns_per_byte\":%.2f,"
	       "\"findings_not_kept\":%zu}}\n",
	    bytes, bytes ? t_today * 1e9 / bytes : 0, bytes ? t_scan * 1e9 / bytes : 0, more);
	return ferror(stdout) || fclose(stdout) != 0;
}
