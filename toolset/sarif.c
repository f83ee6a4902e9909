/*
 * sarif.c - a lock check's report (lock.c) as SARIF 2.1.0, so that a code
 * scanning tool shows each difference at its line of the lock: a result a
 * change, its rule the change's kind ("mcp-lock/tool_removed"), its level
 * the class's (breaking error, review warning, compatible note).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "toolset.h"

#define SARIF_SCHEMA                                                                               \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"                      \
	"sarif-schema-2.1.0.json"

static const char *
level_of(const char *cls)
{
	if (strcmp(cls, "breaking") == 0)
		return "error";
	return strcmp(cls, "review") == 0 ? "warning" : "note";
}

/* The index of rule id in rules, added with its level when new. */
static int
rule_ix(cJSON *rules, const char *id, const char *level, const char *what)
{
	char d[160];
	cJSON *r, *o;
	int i = 0;

	cJSON_ArrayForEach(r, rules)
	{
		if (strcmp(mcp_json_str(r, "id", ""), id) == 0)
			return i;
		i++;
	}
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "id", id);
	snprintf(d, sizeof(d), "%s", what);
	o = cJSON_AddObjectToObject(r, "shortDescription");
	cJSON_AddStringToObject(o, "text", d);
	o = cJSON_AddObjectToObject(r, "defaultConfiguration");
	cJSON_AddStringToObject(o, "level", level);
	cJSON_AddItemToArray(rules, r);
	return i;
}

static void
add_result(cJSON *results, cJSON *rules, const cJSON *res, const char *kind, const char *cls,
    const char *text, double line, const char *uri)
{
	char id[96], msg[1024], what[128], regions[512] = "";
	const cJSON *g;
	cJSON *o, *loc, *pl;
	size_t n = 0;

	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(res, "regions"))
	{
		if (cJSON_IsString(g) && n + strlen(g->valuestring) + 3 < sizeof(regions))
			n += (size_t)snprintf(regions + n, sizeof(regions) - n, "%s%s",
			    n ? ", " : "", g->valuestring);
	}
	snprintf(id, sizeof(id), "mcp-lock/%s", kind);
	snprintf(what, sizeof(what), "%s: %s, against the lock", cls, kind);
	snprintf(msg, sizeof(msg), "%s %s in %s: %s (%s)", mcp_json_str(res, "slug", "?"),
	    mcp_json_str(res, "kind", "?"), regions[0] ? regions : "no region", text, cls);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "ruleId", id);
	cJSON_AddNumberToObject(o, "ruleIndex", rule_ix(rules, id, level_of(cls), what));
	cJSON_AddStringToObject(o, "level", level_of(cls));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "message"), "text", msg);
	loc = cJSON_AddArrayToObject(o, "locations");
	cJSON_AddItemToArray(loc, pl = cJSON_CreateObject());
	pl = cJSON_AddObjectToObject(pl, "physicalLocation");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(pl, "artifactLocation"), "uri", uri);
	cJSON_AddNumberToObject(
	    cJSON_AddObjectToObject(pl, "region"), "startLine", line > 0 ? line : 1);
	pl = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddStringToObject(pl, "slug", mcp_json_str(res, "slug", ""));
	cJSON_AddStringToObject(pl, "class", cls);
	cJSON_AddItemToObject(
	    pl, "regions", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(res, "regions"), 1));
	cJSON_AddItemToArray(results, o);
}

cJSON *
mcp_sarif_lock(const cJSON *report, const char *uri, const char *version)
{
	cJSON *log = cJSON_CreateObject(), *run, *drv, *rules, *results;
	const cJSON *res, *c;
	const char *st;

	cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
	cJSON_AddStringToObject(log, "version", "2.1.0");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(log, "runs"), run);
	drv = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
	cJSON_AddStringToObject(drv, "name", "mcp-uptime");
	cJSON_AddStringToObject(drv, "version", version);
	rules = cJSON_AddArrayToObject(drv, "rules");
	results = cJSON_AddArrayToObject(run, "results");
	cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(report, "results"))
	{
		st = mcp_json_str(res, "state", "");
		if (strcmp(st, "not_kept") == 0 || strcmp(st, "not_known") == 0)
			add_result(results, rules, res, st, "review",
			    strcmp(st, "not_kept") == 0
			        ? "a list the lock does not hold, whose text is not kept: not "
			          "judged"
			        : "nothing known of what the regions serve: not judged",
			    mcp_json_num(res, "line"), uri);
		if (strcmp(st, "held") == 0)
			add_result(results, rules, res, st, "breaking",
			    "locked at first sight with high or medium findings of the rules, "
			    "and no person approved it: mcp-aggregate tools SLUG --approve --by "
			    "NAME",
			    mcp_json_num(res, "line"), uri);
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(res, "changes"))
		{
			add_result(results, rules, res, mcp_json_str(c, "kind", "change"),
			    mcp_json_str(c, "class", "review"), mcp_json_str(c, "text", "changed"),
			    mcp_json_num(c, "line"), uri);
		}
	}
	return log;
}
