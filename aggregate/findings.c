/*
 * findings.c - the findings of the rules read in a server's text
 * (mcp-rules(7)), from each region's result to the verdict: a posture,
 * never a failure.
 *
 * The rules read a list's text where it is stored, once a list
 * (pushlists.c: mcp:{SLUG}:lf, the list's hex -> "COUNT WORST RULES"
 * and f:HEX -> those named in full); a result's findings are those of
 * the lists it names, the runner's own only for a list whose text the
 * store never had: one runner cannot hide a list's findings from the
 * rest, and its findings stay in its probe's record.
 *
 * push keeps, in mcp:{SLUG}:findings (a hash, AGG_TTL_LONG), each
 * region's latest as "STARTED COUNT WORST RULES" (RULES: the ids, comma
 * separated, or "-"), "_rules" the ids ever found, "_clean" once a result
 * without findings was pushed, and "_added" "STARTED RULES" when a result
 * found rules that none before had, after the server was once seen clean
 * or with other rules: a change that adds a finding ("STARTED RULES first"
 * for instructions at the first sight, below).  A server poisoned
 * from its first result has findings, and nothing added (its first list is
 * held for a person: approve.c), but for its instructions: no list holds
 * them, so rules their text gives high or medium are added from the first
 * sight, and mcp-alert says them.  "_fleet",
 * written by mcp-aggregate fleet --save (fleetrules.c), is the fleet's
 * rules' "AT COUNT WORST RULES": shown as "fleet", never added.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "findings.h"
#include "json.h"
#include "toolset.h"

#define RULES_MAX 24 /* rule ids a result names, at the most */

/*
 * KEYS[1] the slug's findings hash, KEYS[2] its lists' findings (lf,
 * written where each list is stored: agg_lists_put_lua); ARGV: region,
 * the runner's value, its rules (comma separated, "" for none), started,
 * TTL, the findings it named in full ("" for none), the hex of the
 * result's tool, resource and prompt lists ("" for none), 1 when the
 * runner said findings; then the count, worst, rules and findings in full
 * of the server's instructions as push judged the text the result carried
 * (findings.server.text: the store keeps no instructions; 0 "" "" "" for
 * none), and of instructions longer than the result carries, the SHA-256
 * of the whole, the worst and the rules the runner found past the part
 * carried ('' '' '' for none): the runner's claim, kept apart as
 * "_tail:REGION" "FIRST LAST SHA WORST RULES" (FIRST: since when it has
 * claimed the same), never in its region's findings; the verdict counts
 * the rules the regions agree on (tail.c).
 * Instructions judged high or medium are "added" from the first sight (no
 * list of theirs is held for a person: their note is the page).  The
 * findings are the lists' own when lf judged every list the result
 * names, with the instructions' added
 * (their findings in full shown when worse, or when the lists have none);
 * the runner's only when it did not (a list whose text was never sent),
 * and none when the runner said none either.
 * Returns the number of rules added.
 */
static const char push_lua[] =
    "local val, rules, first, any, judged = ARGV[2], ARGV[3], ARGV[6], false, true\n"
    "local rank, names = {none=0, low=1, medium=2, high=3}, {'none','low','medium','high'}\n"
    "local cnt, w, set, list, f = 0, 0, {}, {}, ''\n"
    "for i = 7, 9 do\n"
    " local h = ARGV[i]\n"
    " if h ~= '' then\n"
    "  any = true\n"
    "  local v = redis.call('HGET', KEYS[2], h)\n"
    "  local c, wv, rs\n"
    "  if v then c, wv, rs = string.match(v, '^(%d+) (%a+) (%S+)$') end\n"
    "  if not c or not rank[wv] then judged = false\n"
    "  else\n"
    "   cnt = cnt + tonumber(c)\n"
    "   if rank[wv] > w then w = rank[wv] end\n"
    "   if rs ~= '-' then for r in string.gmatch(rs, '[^,]+') do\n"
    "    if not set[r] then set[r] = true list[#list + 1] = r end end end\n"
    "   if f == '' and tonumber(c) > 0 then f = redis.call('HGET', KEYS[2], 'f:' .. h) or '' end\n"
    "  end\n"
    " end\n"
    "end\n"
    "local instr = false\n"
    "if any and judged then\n"
    " local sc, sw = tonumber(ARGV[11]) or 0, rank[ARGV[12]] or 0\n"
    " local tf = '_tail:' .. ARGV[1]\n"
    " if ARGV[15] ~= '' then\n"
    "  local old = redis.call('HGET', KEYS[1], tf)\n"
    "  local first, rest = ARGV[4], ARGV[15] .. ' ' .. ARGV[16] .. ' ' .. ARGV[17]\n"
    "  if old then\n"
    "   local f0, r0 = string.match(old, '^(%S+) %S+ (.*)$')\n"
    "   if r0 == rest then first = f0 end\n"
    "  end\n"
    "  redis.call('HSET', KEYS[1], tf, first .. ' ' .. ARGV[4] .. ' ' .. rest)\n"
    " else redis.call('HDEL', KEYS[1], tf) end\n"
    " instr = sc > 0 and sw >= 2\n"
    " if sc > 0 then\n"
    "  if sw > w or f == '' then f = ARGV[14] end\n"
    "  cnt = cnt + sc\n"
    "  if sw > w then w = sw end\n"
    "  for r in string.gmatch(ARGV[13], '[^,]+') do\n"
    "   if not set[r] then set[r] = true list[#list + 1] = r end end\n"
    " end\n"
    " rules = table.concat(list, ',')\n"
    " val = ARGV[4] .. ' ' .. cnt .. ' ' .. names[w + 1] .. ' ' .. (rules == '' and '-' or rules)\n"
    " first = f\n"
    "elseif ARGV[10] ~= '1' then return 0 end\n"
    "redis.call('HSET',KEYS[1],ARGV[1],val)\n"
    "if first=='' then redis.call('HDEL',KEYS[1],'_f:'..ARGV[1])\n"
    "else redis.call('HSET',KEYS[1],'_f:'..ARGV[1],first) end\n"
    "if rules=='' then redis.call('HSETNX',KEYS[1],'_clean',ARGV[4])\n"
    "redis.call('EXPIRE',KEYS[1],ARGV[5]) return 0 end\n"
    "local seen=redis.call('HGET',KEYS[1],'_rules') or ''\n"
    "local added={}\n"
    "for r in string.gmatch(rules,'[^,]+') do\n"
    " if not string.find(','..seen..',',','..r..',',1,true) then added[#added+1]=r end end\n"
    "if #added>0 then\n"
    " local before = seen~='' or redis.call('HEXISTS',KEYS[1],'_clean')==1\n"
    " if before or instr then\n"
    "  redis.call('HSET',KEYS[1],'_added',ARGV[4]..' '..table.concat(added,',')..(before and '' or "
    "' first'))\n"
    " end\n"
    " redis.call('HSET',KEYS[1],'_rules',seen==''and table.concat(added,',') or "
    "seen..','..table.concat(added,',')) end\n"
    "redis.call('EXPIRE',KEYS[1],ARGV[5]) return #added\n";

static const char *const sev[] = {"none", "low", "medium", "high"};

static int
sev_of(const char *s)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, sev[i]) == 0)
			return i;
	return -1;
}

int
agg_rule_in(const char *csv, const char *r, size_t n)
{
	const char *p = csv;

	while (n > 0 && (p = strstr(p, r)) != NULL) {
		if ((p == csv || p[-1] == ',') && (p[n] == ',' || p[n] == '\0') &&
		    strncmp(p, r, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* A rule id as mcp-rules(7) writes them: MCPU-, the letter of its kind and three digits. */
static int
id_ok(const char *s, char kind)
{
	return strlen(s) == 9 && strncmp(s, "MCPU-", 5) == 0 && s[5] == kind && s[6] >= '0' &&
	    s[6] <= '9' && s[7] >= '0' && s[7] <= '9' && s[8] >= '0' && s[8] <= '9';
}

/* A rule of a result's text: MCPU-P and three digits. */
static int
rule_ok(const char *s)
{
	return id_ok(s, 'P');
}

/* s when o's member k is a string of at most max bytes, else NULL. */
static const char *
str_max(const cJSON *o, const char *k, size_t max)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s != NULL && strlen(s) <= max ? s : NULL;
}

/*
 * The findings a result names in full ("first": rule, severity, the item
 * as "tool", "resource", "prompt" or "server", pointer, excerpt, hidden),
 * each checked, and only those members kept: at most three, within
 * bounds a few times the probe's own (toolset.h), the whole under
 * AGG_FINDINGS_FIRST bytes of JSON, the last dropped until it fits.
 * One that is not such a finding is left out; the result is not refused
 * for it.  Into buf, "" when none is left.
 */
static void
first_of(const cJSON *first, char *buf, size_t len)
{
	static const char *const places[] = {"tool", "resource", "prompt", "server"};
	const char *rule, *sv, *ptr, *ex, *hid, *item = NULL;
	cJSON *a = cJSON_CreateArray(), *o;
	const cJSON *f;
	char *s;
	size_t i;

	buf[0] = '\0';
	if (!cJSON_IsArray(first))
		first = NULL;
	cJSON_ArrayForEach(f, first)
	{
		if (a == NULL || cJSON_GetArraySize(a) == 3)
			break;
		rule = str_max(f, "rule", 9), sv = str_max(f, "severity", 7);
		ptr = str_max(f, "pointer", 4 * 160), ex = str_max(f, "excerpt", 4 * 200);
		hid = str_max(f, "hidden", 4 * 120);
		for (i = 0; i < 4 && (item = str_max(f, places[i], 4 * 64)) == NULL; i++)
			;
		if (rule == NULL || !rule_ok(rule) || sv == NULL || sev_of(sv) < 1 || ptr == NULL ||
		    ex == NULL || item == NULL ||
		    (hid == NULL && cJSON_GetObjectItemCaseSensitive(f, "hidden") != NULL))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "rule", rule);
		cJSON_AddStringToObject(o, "severity", sv);
		cJSON_AddStringToObject(o, places[i], item);
		cJSON_AddStringToObject(o, "pointer", ptr);
		cJSON_AddStringToObject(o, "excerpt", ex);
		if (hid != NULL)
			cJSON_AddStringToObject(o, "hidden", hid);
		cJSON_AddItemToArray(a, o);
	}
	while (a != NULL && cJSON_GetArraySize(a) > 0) {
		s = cJSON_PrintUnformatted(a);
		if (s != NULL && strlen(s) < len) {
			memcpy(buf, s, strlen(s) + 1);
			free(s);
			break;
		}
		free(s);
		cJSON_DeleteItemFromArray(a, cJSON_GetArraySize(a) - 1);
	}
	cJSON_Delete(a);
}

/*
 * One findings object ({"count","worst","rules","first"}) into its parts:
 * 0, or -1 with why (an error of the whole record).
 */
static int
summary_check(const cJSON *o, const char *what, long *count, char *worst, size_t wlen, char *rules,
    size_t rlen, char *first, size_t flen, char *err, size_t len)
{
	const cJSON *c, *n = cJSON_GetObjectItemCaseSensitive(o, "count");
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "worst");
	size_t k = 0, at = 0;

	if (!cJSON_IsObject(o) || !cJSON_IsNumber(n) || n->valuedouble < 0 ||
	    n->valuedouble > 1e9 || !cJSON_IsString(w) || sev_of(w->valuestring) < 0) {
		snprintf(err, len, "%s: not {\"count\",\"worst\",\"rules\"}", what);
		return -1;
	}
	rules[0] = '\0';
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(o, "rules"))
	{
		if (!cJSON_IsString(c) || !rule_ok(c->valuestring) || ++k > RULES_MAX) {
			snprintf(err, len, "%s: a rule that is no rule id", what);
			return -1;
		}
		at +=
		    (size_t)snprintf(rules + at, rlen - at, "%s%s", at ? "," : "", c->valuestring);
	}
	*count = (long)n->valuedouble;
	first[0] = '\0';
	if (*count > 0)
		first_of(cJSON_GetObjectItemCaseSensitive(o, "first"), first, flen);
	snprintf(worst, wlen, "%s", w->valuestring);
	return 0;
}

/*
 * A claim of findings past the part of the instructions a result carries
 * (findings.server.tail, with sha256): taken into f's srv_sha and tail_*
 * only when the text carried was cut at its full AGG_INSTR_MAX, so that
 * a runner cannot claim a tail of a text it sent whole.  -1 with why for
 * a tail that is no findings object.
 */
static int
tail_check(const cJSON *srv, size_t sent, struct agg_findings *f, char *err, size_t len)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(srv, "tail");
	const char *sha = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(srv, "sha256"));
	char first[8];
	long count;

	if (t == NULL || cJSON_IsNull(t))
		return 0;
	if (summary_check(t, "findings.server.tail", &count, f->tail_worst, sizeof(f->tail_worst),
	        f->tail_rules, sizeof(f->tail_rules), first, sizeof(first), err, len) == -1)
		return -1;
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(srv, "text_cut")) ||
	    sent + 4 <= AGG_INSTR_MAX || sha == NULL || strlen(sha) != 71 ||
	    strncmp(sha, "sha256:", 7) != 0 || strspn(sha + 7, "0123456789abcdef") != 64 ||
	    count <= 0 || sev_of(f->tail_worst) < 1 || f->tail_rules[0] == '\0') {
		f->tail_worst[0] = f->tail_rules[0] = '\0';
		return 0;
	}
	snprintf(f->srv_sha, sizeof(f->srv_sha), "%s", sha);
	return 0;
}

/*
 * The server's instructions (findings.server.text) read by the rules here,
 * as the probe read them (mcp-rules(7)): their findings into f's srv_*.
 * A text in which they find nothing (not one the probe sends) counts none.
 */
static int
instr_judge(const char *text, struct agg_findings *f, char *err, size_t len)
{
	struct mcp_scan s;
	cJSON *sum = NULL;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	if (mcp_scan_instructions(&s, text) == -1 || mcp_scan_finish(&s) == -1) {
		snprintf(err, len, "findings.server.text: out of memory");
		rc = -1;
	} else if ((sum = mcp_scan_summary(&s, 3)) != NULL)
		rc = summary_check(sum, "findings.server", &f->srv_count, f->srv_worst,
		    sizeof(f->srv_worst), f->srv_rules, sizeof(f->srv_rules), f->srv_first,
		    sizeof(f->srv_first), err, len);
	cJSON_Delete(sum);
	mcp_scan_free(&s);
	return rc;
}

int
agg_findings_check(const cJSON *rec, struct agg_findings *f, char *err, size_t len)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(rec, "findings"), *srv, *text;

	memset(f, 0, sizeof(*f));
	if (o == NULL || cJSON_IsNull(o))
		return 0;
	if (summary_check(o, "findings", &f->count, f->worst, sizeof(f->worst), f->rules,
	        sizeof(f->rules), f->first, sizeof(f->first), err, len) == -1)
		return -1;
	f->present = 1;
	/*
	 * The instructions' findings judged here from their text, whatever the
	 * runner said of them; none without it (a runner may keep its own
	 * region's from the store, never add any).
	 */
	srv = cJSON_GetObjectItemCaseSensitive(o, "server");
	text = cJSON_GetObjectItemCaseSensitive(srv, "text");
	if (text == NULL || cJSON_IsNull(text))
		return 0;
	if (!cJSON_IsString(text) || strlen(text->valuestring) > AGG_INSTR_MAX) {
		snprintf(err, len, "findings.server.text: not a string of at most %d bytes",
		    AGG_INSTR_MAX);
		return -1;
	}
	if (tail_check(srv, strlen(text->valuestring), f, err, len) == -1)
		return -1;
	return instr_judge(text->valuestring, f, err, len);
}

int
agg_findings_append(struct mcp_store *st, const char *slug, const char *region, const char *started,
    const struct agg_findings *f, const char *const hex[3])
{
	char key[MCP_SLUG_MAX + 64], lf[MCP_SLUG_MAX + 64], value[64 + sizeof(f->rules)], ttl[24];
	char srv_count[24];
	const char *argv[22];

	agg_key(key, sizeof(key), slug, "findings", -1);
	agg_key(lf, sizeof(lf), slug, "lf", -1);
	snprintf(value, sizeof(value), "%s %ld %s %s", started, f->count,
	    f->present ? f->worst : "none", f->rules[0] ? f->rules : "-");
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	argv[0] = "EVAL", argv[1] = push_lua, argv[2] = "2", argv[3] = key, argv[4] = lf;
	argv[5] = region, argv[6] = value, argv[7] = f->rules, argv[8] = started, argv[9] = ttl;
	argv[10] = f->first, argv[11] = hex[0], argv[12] = hex[1], argv[13] = hex[2];
	argv[14] = f->present ? "1" : "0";
	snprintf(srv_count, sizeof(srv_count), "%ld", f->srv_count);
	argv[15] = srv_count, argv[16] = f->srv_worst, argv[17] = f->srv_rules;
	argv[18] = f->srv_first;
	argv[19] = f->tail_rules[0] ? f->srv_sha : "", argv[20] = f->tail_worst;
	argv[21] = f->tail_rules;
	return mcp_store_appendv(st, 22, argv, NULL);
}

void
agg_findings_read(struct mcp_store *st, const char *slug)
{
	char key[MCP_SLUG_MAX + 64];

	agg_key(key, sizeof(key), slug, "findings", -1);
	mcp_store_appendf(st, "HGETALL %s", key);
}

/* The ids of a comma-separated list into the array a, once each. */
static void
add_rules(cJSON *a, const char *csv)
{
	char buf[AGG_FINDINGS_RULES], *r, *save = NULL;
	const cJSON *c;

	snprintf(buf, sizeof(buf), "%s", csv);
	for (r = strtok_r(buf, ",", &save); r != NULL; r = strtok_r(NULL, ",", &save)) {
		cJSON_ArrayForEach(c, a) if (strcmp(c->valuestring, r) == 0) break;
		if (c == NULL && (rule_ok(r) || id_ok(r, 'F')))
			cJSON_AddItemToArray(a, cJSON_CreateString(r));
	}
}

/* One region's latest: "STARTED COUNT WORST RULES", of the day before end. */
static int
region_value(const char *v, double since, long *count, char *worst, char *rules)
{
	double started;

	if (sscanf(v, "%lf %ld %7s %" AGG_STR(AGG_FINDINGS_RULES_W) "s", &started, count, worst,
	        rules) != 4 ||
	    started < since)
		return -1;
	return 0;
}

/*
 * The fleet's findings (mcp-aggregate fleet --save: "_fleet" "AT COUNT
 * WORST RULES") of the day before end, as the verdict shows them; NULL
 * for none.  They are not the server's change: never "added".
 */
static cJSON *
fleet_of(const redisReply *h, double since)
{
	char worst[8], rules[AGG_FINDINGS_RULES];
	double at;
	long count;
	cJSON *f;
	size_t i;

	for (i = 0; i + 1 < h->elements; i += 2)
		if (h->element[i]->str != NULL && h->element[i + 1]->str != NULL &&
		    strcmp(h->element[i]->str, "_fleet") == 0 &&
		    sscanf(h->element[i + 1]->str,
		        "%lf %ld %7s %" AGG_STR(AGG_FINDINGS_RULES_W) "s", &at, &count, worst,
		        rules) == 4 &&
		    at >= since && count > 0 && sev_of(worst) > 0) {
			f = cJSON_CreateObject();
			cJSON_AddNumberToObject(f, "count", (double)count);
			cJSON_AddStringToObject(f, "worst", worst);
			add_rules(cJSON_AddArrayToObject(f, "rules"), rules);
			cJSON_AddNumberToObject(f, "at", at);
			return f;
		}
	return NULL;
}

/* 1 when push's "_added" of the day, before window's end, is later than at. */
static int
added_after(const redisReply *h, double since, long long window, double at)
{
	double a;
	size_t i;

	for (i = 0; i + 1 < h->elements; i += 2)
		if (h->element[i]->str != NULL && h->element[i + 1]->str != NULL &&
		    strcmp(h->element[i]->str, "_added") == 0 &&
		    sscanf(h->element[i + 1]->str, "%lf", &a) == 1 && a >= since &&
		    a < (double)(window + AGG_WINDOW))
			return a > at;
	return 0;
}

/*
 * The agreed findings of the instructions' tail t (tail.c) joined to f's
 * count, worst, rules and regions, and said apart as "tail"; its rules
 * no result had before (_rules) into *news (owned), else NULL.
 */
static void
tail_join(cJSON *f, cJSON *t, const redisReply *h, long *max, char *w, size_t wlen, cJSON **news)
{
	const cJSON *r;
	const char *seen = NULL;
	size_t i, n = 0;

	*news = NULL;
	for (i = 0; i + 1 < h->elements; i += 2)
		if (h->element[i]->str != NULL && strcmp(h->element[i]->str, "_rules") == 0)
			seen = h->element[i + 1]->str;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t, "rules"))
	{
		n++;
		add_rules(cJSON_GetObjectItemCaseSensitive(f, "rules"), r->valuestring);
		if (seen != NULL && agg_rule_in(seen, r->valuestring, strlen(r->valuestring)))
			continue;
		if (*news == NULL)
			*news = cJSON_CreateArray();
		cJSON_AddItemToArray(*news, cJSON_CreateString(r->valuestring));
	}
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t, "regions"))
	{
		const cJSON *x;
		int have = 0;

		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(f, "regions")) have |=
		    strcmp(x->valuestring, r->valuestring) == 0;
		if (!have)
			cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(f, "regions"),
			    cJSON_CreateString(r->valuestring));
	}
	*max += (long)n;
	if (sev_of(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "worst"))) > sev_of(w))
		snprintf(w, wlen, "%s",
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "worst")));
}

void
agg_findings_add(cJSON *o, const redisReply *h, long long window, size_t nseen)
{
	char worst[8], rules[AGG_FINDINGS_RULES], w[8] = "none";
	double since = (double)(window + AGG_WINDOW - AGG_DAY), at;
	cJSON *f, *rs, *regions, *added, *fleet, *first = NULL, *tail, *news = NULL;
	const char *best = NULL;
	char fk[MCP_SLUG_MAX + 8], mark[6];
	long count, max = 0;
	size_t i;
	int n;

	/* Absent, not null, when no result said any: the records of before stay as they were. */
	if (h == NULL || h->type != REDIS_REPLY_ARRAY || h->elements == 0)
		return;
	f = cJSON_AddObjectToObject(o, "findings");
	rs = cJSON_CreateArray();
	regions = cJSON_CreateArray();
	for (i = 0; i + 1 < h->elements; i += 2) {
		const char *k = h->element[i]->str, *v = h->element[i + 1]->str;

		if (k == NULL || v == NULL || k[0] == '_' ||
		    region_value(v, since, &count, worst, rules) == -1 || count <= 0)
			continue;
		/* The findings in full of the region with the most (the first of them by name). */
		if (count > max || (count == max && best != NULL && strcmp(k, best) < 0))
			best = k;
		max = count > max ? count : max;
		if (sev_of(worst) > sev_of(w))
			snprintf(w, sizeof(w), "%s", worst);
		add_rules(rs, rules);
		cJSON_AddItemToArray(regions, cJSON_CreateString(k));
	}
	/* The fleet's rules join the worst and the rules; the count stays the server's own. */
	if ((fleet = fleet_of(h, since)) != NULL) {
		if (sev_of(cJSON_GetStringValue(cJSON_GetObjectItem(fleet, "worst"))) > sev_of(w))
			snprintf(w, sizeof(w), "%s",
			    cJSON_GetStringValue(cJSON_GetObjectItem(fleet, "worst")));
		cJSON_ArrayForEach(added, cJSON_GetObjectItem(fleet, "rules"))
		    add_rules(rs, added->valuestring);
	}
	cJSON_AddItemToObject(f, "rules", rs);
	cJSON_AddItemToObject(f, "regions", regions);
	/* The instructions' findings past the part carried, where the regions agree. */
	if ((tail = agg_tail_agreed(h, since, nseen)) != NULL)
		tail_join(f, tail, h, &max, w, sizeof(w), &news);
	cJSON_AddNumberToObject(f, "count", (double)max);
	cJSON_AddStringToObject(f, "worst", w);
	if (tail != NULL)
		cJSON_AddItemToObject(f, "tail", tail);
	if (fleet != NULL)
		cJSON_AddItemToObject(f, "fleet", fleet);
	if (best != NULL)
		snprintf(fk, sizeof(fk), "_f:%s", best);
	for (i = 0; best != NULL && first == NULL && i + 1 < h->elements; i += 2)
		if (h->element[i]->str != NULL && h->element[i + 1]->str != NULL &&
		    strcmp(h->element[i]->str, fk) == 0 &&
		    (first = cJSON_ParseWithLength(
		         h->element[i + 1]->str, h->element[i + 1]->len)) != NULL &&
		    !cJSON_IsArray(first)) {
			cJSON_Delete(first);
			first = NULL;
		}
	if (first != NULL)
		cJSON_AddItemToObject(f, "first", first);
	/*
	 * A set added by a later window's result (its runner pushed before
	 * this verdict ran) is that window's change: told by its own verdict.
	 * The tail's rules no result had, when the regions came to agree on
	 * them after the set push added, are the news.
	 */
	at = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(tail, "at"));
	if (news != NULL && at >= since && at < (double)(window + AGG_WINDOW) &&
	    !added_after(h, since, window, at)) {
		added = cJSON_AddObjectToObject(f, "added");
		cJSON_AddNumberToObject(added, "at", at);
		cJSON_AddItemToObject(added, "rules", news);
		cJSON_AddStringToObject(added, "class", "review");
		cJSON_AddBoolToObject(added, "security", 1);
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tail, "first_sight")))
			cJSON_AddTrueToObject(added, "first_sight");
		return;
	}
	cJSON_Delete(news);
	for (i = 0; i + 1 < h->elements; i += 2)
		if (h->element[i]->str != NULL && strcmp(h->element[i]->str, "_added") == 0 &&
		    (n = sscanf(h->element[i + 1]->str,
		         "%lf %" AGG_STR(AGG_FINDINGS_RULES_W) "s %5s", &at, rules, mark)) >= 2 &&
		    at >= since && at < (double)(window + AGG_WINDOW)) {
			added = cJSON_AddObjectToObject(f, "added");
			cJSON_AddNumberToObject(added, "at", at);
			add_rules(cJSON_AddArrayToObject(added, "rules"), rules);
			/* A change that adds a finding is review, with security (mcp-rules(7)). */
			cJSON_AddStringToObject(added, "class", "review");
			cJSON_AddBoolToObject(added, "security", 1);
			/* Or the instructions of a server seen first then (no list holds them). */
			if (n == 3 && strcmp(mark, "first") == 0)
				cJSON_AddTrueToObject(added, "first_sight");
			return;
		}
	cJSON_AddNullToObject(f, "added");
}
