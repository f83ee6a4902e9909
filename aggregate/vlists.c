/*
 * vlists.c - what the verdict says of a slug's lists: each drift entry's
 * change, tools_divergence, and the change history mcp:{SLUG}:tch
 * (mcp-aggregate(1) "verdict", mcp-store(7) "Lists").  Read with one
 * more command in a round trip of its own, and only for a slug whose
 * window has drift or divergence: a green slug whose lists did not change
 * costs nothing more.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "lists.h"
#include "vlists.h"

/*
 * Read-only.  KEYS: hash lsi tch.  ARGV: prefix, 1 when the regions'
 * tool hashes are wanted (divergence), 1 when the history is (drift),
 * the bytes of text read at most, then the hashes wanted.  Returns
 * {HGETALL hash or {}, {HASH, TEXT, '' (not kept) or '-' (past the
 * bytes) ...} (at most 64 lists), ZRANGE tch WITHSCORES or {}, the
 * members of lsi newest first or {}, {ID, HASH ...} the slug's ids of
 * the regions' latest hashes (mcp:{SLUG}:ids, pushlua.c)}.
 */
const char agg_vlists_lua[] =
    "local hv, hist, want, seen, texts = {}, {}, {}, {}, {}\n"
    "if ARGV[2] == '1' then hv = redis.call('HGETALL', KEYS[1]) end\n"
    "if ARGV[3] == '1' then hist = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES') end\n"
    "for i = 5, #ARGV do want[#want + 1] = ARGV[i] end\n"
    "for i = 2, #hv, 2 do\n"
    "  local h = string.match(hv[i], ' (%S+)$')\n"
    "  if h then want[#want + 1] = h end\n"
    "end\n"
    "local left = tonumber(ARGV[4])\n"
    "for _, h in ipairs(want) do\n"
    "  local hex = string.match(h, '^sha256:(%x+)$')\n"
    "  if hex and not seen[h] and #texts < 128 then\n"
    "    seen[h] = true\n"
    "    local k = ARGV[1] .. 'ls:' .. hex\n"
    "    local n = redis.call('STRLEN', k)\n"
    "    texts[#texts + 1] = h\n"
    "    if n > left then texts[#texts + 1] = '-'\n"
    "    else texts[#texts + 1] = redis.call('GET', k) or ''; left = left - n end\n"
    "  end\n"
    "end\n"
    "local ls, idm = {}, {}\n"
    "if ARGV[2] == '1' then ls = redis.call('ZREVRANGE', KEYS[2], 0, -1) end\n"
    "for i = 2, #hv, 2 do\n"
    "  local h = string.match(hv[i], ' (%S+)$')\n"
    "  local e = h and redis.call('HGET', ARGV[1] .. 'ids', 'h:' .. h)\n"
    "  if e then idm[#idm + 1] = string.sub(e, 1, 4); idm[#idm + 1] = h end\n"
    "end\n"
    "return {hv, texts, hist, ls, idm}\n";

/*
 * The history's write.  KEYS: tch.  ARGV: ttl max cut, then triples: the
 * member it replaces ('' for none), the score, the member.  Trimmed to
 * the max newest and to the members after cut.
 */
const char agg_vhist_lua[] = "for i = 4, #ARGV, 3 do\n"
                             "  if ARGV[i] ~= '' then redis.call('ZREM', KEYS[1], ARGV[i]) end\n"
                             "  redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i + 2])\n"
                             "end\n"
                             "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])\n"
                             "redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))\n"
                             "redis.call('EXPIRE', KEYS[1], ARGV[1])\n"
                             "return 1\n";

/* A drift member "W REGION FROM TO [KIND]": its fields, pointers into a copy. */
struct dmember {
	char buf[512];
	const char *region, *from, *to;
	int kind;
};

static int
dmember_parse(const redisReply *e, struct dmember *m)
{
	char *f[5], *save = NULL;
	int k;

	if (e->type != REDIS_REPLY_STRING || e->len >= sizeof(m->buf))
		return -1;
	memcpy(m->buf, e->str, e->len + 1);
	for (k = 0; k < 5; k++)
		if ((f[k] = strtok_r(k ? NULL : m->buf, " ", &save)) == NULL)
			break;
	if (k < 4)
		return -1;
	m->region = f[1], m->from = f[2], m->to = f[3];
	m->kind = k == 5 ? agg_list_kind(f[4]) : MCP_LIST_TOOLS;
	return m->kind < 0 ? -1 : 0;
}

int
agg_vlists_need(const redisReply *drift, int divergence)
{
	return divergence || (drift->type == REDIS_REPLY_ARRAY && drift->elements > 0);
}

int
agg_vlists_append(struct mcp_store *st, const char *sha, const char *slug, const redisReply *drift,
    int divergence)
{
	const char *argv[9 + 2 * 64];
	size_t len[9 + 2 * 64];
	char k[3][MCP_SLUG_MAX + 64], pre[MCP_SLUG_MAX + 64], cap[24];
	struct dmember m[64];
	size_t i, n = 0, j;
	int c = 0;

	agg_key(k[0], sizeof(k[0]), slug, "hash", -1);
	agg_key(k[1], sizeof(k[1]), slug, "lsi", -1);
	agg_key(k[2], sizeof(k[2]), slug, "tch", -1);
	agg_key(pre, sizeof(pre), slug, "", -1);
	argv[n++] = "EVALSHA", argv[n++] = sha, argv[n++] = "3";
	argv[n++] = k[0], argv[n++] = k[1], argv[n++] = k[2], argv[n++] = pre;
	argv[n++] = divergence ? "1" : "0";
	argv[n++] = "1"; /* the history: its changes name the hashes of divergence too */
	snprintf(cap, sizeof(cap), "%d", AGG_VLIST_BYTES);
	argv[n++] = cap;
	for (i = 0; drift->type == REDIS_REPLY_ARRAY && i < drift->elements && c < 64; i++)
		if (dmember_parse(drift->element[i], &m[c]) == 0) {
			argv[n++] = m[c].from, argv[n++] = m[c].to;
			c++;
		}
	for (j = 0; j < n; j++)
		len[j] = strlen(argv[j]);
	return mcp_store_appendv(st, (int)n, argv, len);
}

void
agg_lcache_load(struct agg_lcache *c, const redisReply *r)
{
	const redisReply *t;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->read = 1;
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 4) {
		c->read = 0;
		return;
	}
	c->idm = r->elements > 4 ? r->element[4] : NULL;
	c->hv = r->element[0];
	c->tch = r->element[2];
	c->lsi = r->element[3];
	t = r->element[1];
	for (i = 0; t->type == REDIS_REPLY_ARRAY && i + 1 < t->elements && c->n < AGG_LCACHE_MAX;
	     i += 2) {
		c->e[c->n].hash = t->element[i]->str;
		c->e[c->n].text = t->element[i + 1]->str;
		c->e[c->n].len = t->element[i + 1]->len;
		c->e[c->n].parsed = 0;
		c->n++;
	}
}

void
agg_lcache_free(struct agg_lcache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		cJSON_Delete(c->e[i].list);
	memset(c, 0, sizeof(*c));
}

/* The list of hash (borrowed, parsed once), or NULL with the reason. */
static const cJSON *
list_of(struct agg_lcache *c, enum mcp_list_kind k, const char *hash, const char **why)
{
	size_t i;

	*why = c->read ? "not_kept" : "not_read";
	if (agg_list_hex(hash) == NULL) {
		*why = "not_sha256";
		return NULL;
	}
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].hash, hash) != 0)
			continue;
		if (!c->e[i].parsed && c->e[i].len == 1 && c->e[i].text[0] == '-') {
			c->e[i].parsed = 1;
			c->e[i].why = "too_large"; /* past AGG_VLIST_BYTES: not read */
		} else if (!c->e[i].parsed) {
			c->e[i].parsed = 1;
			c->e[i].list = agg_list_parse(
			    k, hash, c->e[i].len ? c->e[i].text : NULL, c->e[i].len, &c->e[i].why);
		}
		if (c->e[i].list == NULL)
			*why = c->e[i].why;
		return c->e[i].list;
	}
	return NULL;
}

/* "change" (the summary) or null and "change_unknown" into o. */
static void
add_change(cJSON *o, struct agg_lcache *c, enum mcp_list_kind k, const char *from, const char *to)
{
	const char *wf, *wt;
	const cJSON *a = list_of(c, k, from, &wf), *b = list_of(c, k, to, &wt);
	cJSON *s = a != NULL && b != NULL ? agg_list_change(k, a, b) : NULL;

	if (s != NULL) {
		cJSON_AddItemToObject(o, "change", s);
		return;
	}
	cJSON_AddNullToObject(o, "change");
	cJSON_AddStringToObject(o, "change_unknown",
	    a == NULL       ? wf
	        : b == NULL ? wt
	                    : "out_of_memory");
}

cJSON *
agg_drift_json(const redisReply *z, struct agg_lcache *c)
{
	cJSON *a = cJSON_CreateArray(), *o;
	struct dmember m;
	size_t i;

	for (i = 0; a != NULL && z->type == REDIS_REPLY_ARRAY && i < z->elements; i++) {
		if (dmember_parse(z->element[i], &m) == -1)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "region", m.region);
		cJSON_AddStringToObject(o, "from", m.from);
		cJSON_AddStringToObject(o, "to", m.to);
		cJSON_AddStringToObject(o, "kind", agg_list_word(m.kind));
		if (c != NULL)
			add_change(o, c, m.kind, m.from, m.to);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* A passing region's latest result of the divergence span. */
struct rlatest {
	const char *region;
	const char *id; /* its hash id (agg_result_parse) */
	double at;
	const char *hash; /* the full hash told from it, or NULL */
};

/* 1 when the full hash h has the id (4 hex digits, or "=" and a hash whole). */
static int
id_of(const char *h, size_t n, const char *id)
{
	size_t k = strlen(id);

	if (id[0] == '=')
		return n == k - 1 && strncmp(h, id + 1, n) == 0;
	return n >= 7 + k && strncmp(h, "sha256:", 7) == 0 && strncmp(h + 7, id, k) == 0;
}

/*
 * The full hash of id: first the hash the slug's map gives it among the
 * regions' latest, then the region's latest in the hash key, then
 * the drift of the window, the lists kept (newest first), the history's
 * changes (newest first).  Borrowed from the replies; NULL when none
 * names it.
 */
static const char *
full_hash(const struct agg_lcache *c, const redisReply *drift, const char *region, const char *id)
{
	static char buf[2][AGG_TOOL_HASH_MAX + 8];
	static int which;
	const redisReply *r;
	const char *s, *sp, *f;
	size_t i, n;
	int k, round;

	which ^= 1;
	/* The slug's own id of a hash: exact, where a prefix may not be (pushlua.c). */
	for (i = 0; c->idm != NULL && c->idm->type == REDIS_REPLY_ARRAY && i + 1 < c->idm->elements;
	     i += 2)
		if (strcmp(c->idm->element[i]->str, id) == 0)
			return c->idm->element[i + 1]->str;
	for (round = 0; round < 2; round++)
		for (i = 0; c->hv != NULL && i + 1 < c->hv->elements; i += 2) {
			s = c->hv->element[i + 1]->str;
			if ((round == 0) == (strcmp(c->hv->element[i]->str, region) == 0) &&
			    (sp = strchr(s, ' ')) != NULL && id_of(sp + 1, strlen(sp + 1), id))
				return sp + 1;
		}
	for (i = 0; drift->type == REDIS_REPLY_ARRAY && i < drift->elements; i++) {
		struct dmember m;

		if (dmember_parse(drift->element[i], &m) == 0 && m.kind == MCP_LIST_TOOLS) {
			f = id_of(m.to, strlen(m.to), id)       ? m.to
			    : id_of(m.from, strlen(m.from), id) ? m.from
			                                        : NULL;
			if (f != NULL) {
				snprintf(buf[which], sizeof(buf[which]), "%s", f);
				return buf[which];
			}
		}
	}
	for (i = 0; (r = c->lsi) != NULL && i < r->elements; i++)
		if (r->element[i]->str[0] == 't' && r->element[i]->len == 66 && id[0] != '=' &&
		    strncmp(r->element[i]->str + 2, id, strlen(id)) == 0) {
			snprintf(
			    buf[which], sizeof(buf[which]), "sha256:%s", r->element[i]->str + 2);
			return buf[which];
		}
	for (n = c->tch != NULL ? c->tch->elements : 0; n >= 2; n -= 2) {
		cJSON *e =
		    cJSON_ParseWithLength(c->tch->element[n - 2]->str, c->tch->element[n - 2]->len);
		static const char *const fk[] = {"to", "from"};

		for (k = 0; e != NULL && k < 2; k++) {
			f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, fk[k]));
			if (f != NULL && strlen(f) <= AGG_TOOL_HASH_MAX &&
			    id_of(f, strlen(f), id) &&
			    strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"))
			            ? cJSON_GetStringValue(
			                  cJSON_GetObjectItemCaseSensitive(e, "kind"))
			            : "",
			        "tools") == 0) {
				snprintf(buf[which], sizeof(buf[which]), "%s", f);
				cJSON_Delete(e);
				return buf[which];
			}
		}
		cJSON_Delete(e);
	}
	return NULL;
}

static int
in_names(const char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* The passing regions' latest results of the span, as rule.c reads them. */
static size_t
latest_of(
    const struct agg_result *res, size_t nres, long long window, struct rlatest *v, size_t max)
{
	double hi = (double)(window + AGG_WINDOW), lo = hi - AGG_DIVERGENCE_SPAN;
	size_t i, j, n = 0;

	for (i = 0; i < nres; i++) {
		if (res[i].started >= hi || res[i].started < lo)
			continue;
		for (j = 0; j < n && strcmp(v[j].region, res[i].region) != 0; j++)
			;
		if (j == n && n == max)
			continue;
		if (j == n)
			v[n++] = (struct rlatest){res[i].region, NULL, -1, NULL};
		if (res[i].started > v[j].at) {
			v[j].at = res[i].started;
			v[j].id = res[i].state == AGG_BROKEN ? NULL : res[i].hash;
		}
	}
	return n;
}

/* The id most passing regions carry; a tie: the one seen latest. */
static const struct rlatest *
majority(const struct rlatest *v, size_t n)
{
	const struct rlatest *best = NULL;
	size_t i, j, k, most = 0;

	for (i = 0; i < n; i++) {
		if (v[i].id == NULL)
			continue;
		for (j = 0, k = 0; j < n; j++)
			k += v[j].id != NULL && strcmp(v[j].id, v[i].id) == 0;
		if (k > most || (k == most && v[i].at > best->at))
			most = k, best = &v[i];
	}
	return best;
}

/* The string k of o, or "". */
static const char *
sv(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s != NULL ? s : "";
}

/* 1 when the array of names a holds s. */
static int
named(const cJSON *a, const char *s)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, a) if (cJSON_IsString(x) && strcmp(x->valuestring, s) == 0) return 1;
	return 0;
}

/*
 * Which way the regions of list h (the group, names) stand to the
 * majority's list mh, from the window's drift and the history: -1 ahead
 * when one of the group moved from mh to h (a change of theirs the others
 * have not taken), else 1 behind when another region moved from h to mh
 * (h is the list they left), else 0, not known.  The group's own moves
 * decide first: another region that takes h for a minute and leaves it
 * again does not make the group's change the others' left-behind list.
 */
static int
direction(const struct agg_lcache *c, const redisReply *drift, const char *h, const char *mh,
    const cJSON *group)
{
	const redisReply *t = c->tch;
	struct dmember m;
	const cJSON *rg;
	size_t i;
	int behind = 0;
	cJSON *e;

	for (i = 0; drift->type == REDIS_REPLY_ARRAY && i < drift->elements; i++)
		if (dmember_parse(drift->element[i], &m) == 0 && m.kind == MCP_LIST_TOOLS) {
			if (strcmp(m.from, mh) == 0 && strcmp(m.to, h) == 0 &&
			    named(group, m.region))
				return -1;
			behind |= strcmp(m.from, h) == 0 && strcmp(m.to, mh) == 0 &&
			    !named(group, m.region);
		}
	for (i = 0; t != NULL && t->type == REDIS_REPLY_ARRAY && i + 1 < t->elements; i += 2) {
		if ((e = cJSON_ParseWithLength(t->element[i]->str, t->element[i]->len)) == NULL)
			continue;
		if (strcmp(sv(e, "kind"), "tools") == 0)
			cJSON_ArrayForEach(rg, cJSON_GetObjectItemCaseSensitive(e, "regions"))
			{
				if (!cJSON_IsString(rg))
					continue;
				if (strcmp(sv(e, "from"), mh) == 0 && strcmp(sv(e, "to"), h) == 0 &&
				    named(group, rg->valuestring)) {
					cJSON_Delete(e);
					return -1;
				}
				behind |= strcmp(sv(e, "from"), h) == 0 &&
				    strcmp(sv(e, "to"), mh) == 0 && !named(group, rg->valuestring);
			}
		cJSON_Delete(e);
	}
	return behind;
}

void
agg_tools_divergence(cJSON *o, struct agg_lcache *c, const struct agg_decision *d,
    const struct agg_result *res, size_t nres, long long window, const redisReply *drift)
{
	struct rlatest v[AGG_FAULT_REGIONS];
	const struct rlatest *maj;
	const char *mh, *h;
	size_t n, i, j;
	char done[AGG_FAULT_REGIONS] = {0};
	cJSON *a, *e, *names;

	if (!d->divergence)
		return;
	a = cJSON_AddArrayToObject(o, "tools_divergence");
	n = latest_of(res, nres, window, v, AGG_FAULT_REGIONS);
	if (a == NULL || (maj = majority(v, n)) == NULL ||
	    (mh = full_hash(c, drift, maj->region, maj->id)) == NULL)
		return;
	for (i = 0; i < n; i++)
		if (v[i].id != NULL && strcmp(v[i].id, maj->id) != 0 &&
		    in_names(d->divergent, d->ndivergent, v[i].region))
			v[i].hash = full_hash(c, drift, v[i].region, v[i].id);
	for (i = 0; i < n; i++) {
		if (done[i] || (h = v[i].hash) == NULL)
			continue;
		e = cJSON_CreateObject();
		names = cJSON_AddArrayToObject(e, "regions");
		for (j = i; j < n; j++)
			if (!done[j] && v[j].hash != NULL && strcmp(v[j].hash, h) == 0) {
				done[j] = 1;
				cJSON_AddItemToArray(names, cJSON_CreateString(v[j].region));
			}
		cJSON_AddStringToObject(e, "hash", h);
		cJSON_AddStringToObject(e, "majority", mh);
		add_change(e, c, MCP_LIST_TOOLS, h, mh);
		/*
		 * Which way: behind, the regions serve the list the others left
		 * ("change" is what the others did); else, ahead or not known,
		 * "own_change" is what these regions serve that the others do
		 * not (the change from the majority's list to theirs).
		 */
		switch (direction(c, drift, h, mh, names)) {
		case 1:
			cJSON_AddStringToObject(e, "direction", "behind");
			break;
		case -1:
			cJSON_AddStringToObject(e, "direction", "ahead");
			break;
		default:
			cJSON_AddNullToObject(e, "direction");
		}
		if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "direction")) ||
		    strcmp(cJSON_GetObjectItemCaseSensitive(e, "direction")->valuestring,
		        "behind") != 0) {
			cJSON *own = cJSON_CreateObject();

			add_change(own, c, MCP_LIST_TOOLS, mh, h);
			cJSON_AddItemToObject(e, "own_change",
			    cJSON_DetachItemFromObjectCaseSensitive(own, "change"));
			cJSON_Delete(own);
		}
		cJSON_AddItemToArray(a, e);
	}
}

/* The history's member of (kind, from, to) in c->tch, and its score, or NULL. */
static const redisReply *
hist_find(
    const struct agg_lcache *c, const char *kind, const char *from, const char *to, cJSON **old)
{
	const redisReply *t = c->tch;
	size_t i;
	cJSON *o;

	for (i = 0; t != NULL && t->type == REDIS_REPLY_ARRAY && i + 1 < t->elements; i += 2) {
		if ((o = cJSON_ParseWithLength(t->element[i]->str, t->element[i]->len)) == NULL)
			continue;
		if (strcmp(sv(o, "kind"), kind) == 0 && strcmp(sv(o, "from"), from) == 0 &&
		    strcmp(sv(o, "to"), to) == 0) {
			*old = o;
			return t->element[i];
		}
		cJSON_Delete(o);
	}
	*old = NULL;
	return NULL;
}

/* The regions of the old entry (at most AGG_FAULT_REGIONS) added to names, once each. */
static void
merge_regions(cJSON *names, const cJSON *old)
{
	const cJSON *r, *x;
	int have;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(old, "regions"))
	{
		if (!cJSON_IsString(r) || cJSON_GetArraySize(names) >= AGG_FAULT_REGIONS)
			continue;
		have = 0;
		cJSON_ArrayForEach(x, names) have |= strcmp(x->valuestring, r->valuestring) == 0;
		if (!have)
			cJSON_AddItemToArray(names, cJSON_CreateString(r->valuestring));
	}
}

/* One history entry of the drift entries of (kind, from, to) from index i on. */
static cJSON *
hist_entry(const cJSON *drift, const cJSON *first, long long window, const cJSON *old)
{
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(first, "kind"));
	const char *from = cJSON_GetStringValue(cJSON_GetObjectItem(first, "from"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItem(first, "to"));
	const cJSON *e, *at = old != NULL ? cJSON_GetObjectItem(old, "at") : NULL;
	const cJSON *ch = cJSON_GetObjectItem(first, "change");
	cJSON *o = cJSON_CreateObject(), *names;

	cJSON_AddNumberToObject(o, "at", cJSON_IsNumber(at) ? at->valuedouble : (double)window);
	cJSON_AddNumberToObject(o, "last", (double)window);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "from", from);
	cJSON_AddStringToObject(o, "to", to);
	names = cJSON_AddArrayToObject(o, "regions");
	cJSON_ArrayForEach(e, drift)
	{
		if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "kind")), kind) == 0 &&
		    strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "from")), from) == 0 &&
		    strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(e, "to")), to) == 0)
			cJSON_AddItemToArray(names,
			    cJSON_CreateString(
			        cJSON_GetStringValue(cJSON_GetObjectItem(e, "region"))));
	}
	if (old != NULL)
		merge_regions(names, old);
	/* A change unknown now may have been known before: the one known is kept. */
	if (cJSON_IsObject(ch))
		cJSON_AddItemToObject(o, "change", cJSON_Duplicate(ch, 1));
	else if (old != NULL && cJSON_IsObject(cJSON_GetObjectItem(old, "change")))
		cJSON_AddItemToObject(
		    o, "change", cJSON_Duplicate(cJSON_GetObjectItem(old, "change"), 1));
	else
		cJSON_AddNullToObject(o, "change");
	return o;
}

void
agg_hcmd_free(struct agg_hcmd *h)
{
	int i;

	for (i = 0; i < h->argc; i++)
		free(h->argv[i]);
	free(h->argv);
	free(h->len);
	memset(h, 0, sizeof(*h));
}

int
agg_hcmd_append(struct mcp_store *st, const struct agg_hcmd *h)
{
	return mcp_store_appendv(st, h->argc, (const char **)h->argv, h->len);
}

/* Arguments a copy of, into h: 0, or -1 (no memory). */
static int
hcmd_of(struct agg_hcmd *h, const char **argv, const size_t *len, size_t n)
{
	size_t i;

	if ((h->argv = calloc(n, sizeof(*h->argv))) == NULL ||
	    (h->len = calloc(n, sizeof(*h->len))) == NULL)
		return -1;
	for (i = 0; i < n; i++, h->argc++) {
		if ((h->argv[i] = malloc(len[i] + 1)) == NULL)
			return -1;
		memcpy(h->argv[i], argv[i], len[i]);
		h->argv[i][len[i]] = '\0';
		h->len[i] = len[i];
	}
	return 0;
}

int
agg_history_cmd(const char *sha, const char *slug, const struct agg_lcache *c, const cJSON *drift,
    long long window, struct agg_hcmd *h)
{
	const char *argv[7 + 3 * 64];
	size_t len[7 + 3 * 64];
	char *own[2 * 64], key[MCP_SLUG_MAX + 64], ttl[16], max[16], cut[24], score[64][24];
	const cJSON *e, *f;
	const redisReply *om;
	cJSON *old, *ent;
	size_t n = 0, no = 0, i, ne = 0;
	int rc = 0, dup;

	memset(h, 0, sizeof(*h));
	/* Unread, the history's entries could not be found to be merged: none written. */
	if (cJSON_GetArraySize(drift) == 0 || !c->read)
		return 0;
	agg_key(key, sizeof(key), slug, "tch", -1);
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	snprintf(max, sizeof(max), "%d", AGG_HISTORY_MAX);
	snprintf(cut, sizeof(cut), "%lld", window - AGG_TTL_LONG);
	argv[n++] = "EVALSHA", argv[n++] = sha, argv[n++] = "1", argv[n++] = key;
	argv[n++] = ttl, argv[n++] = max, argv[n++] = cut;
	cJSON_ArrayForEach(e, drift)
	{
		/* The first entry of each (kind, from, to) makes its history entry. */
		dup = 0;
		for (f = drift->child; f != e; f = f->next)
			dup |= strcmp(cJSON_GetObjectItem(f, "kind")->valuestring,
			           cJSON_GetObjectItem(e, "kind")->valuestring) == 0 &&
			    strcmp(cJSON_GetObjectItem(f, "from")->valuestring,
			        cJSON_GetObjectItem(e, "from")->valuestring) == 0 &&
			    strcmp(cJSON_GetObjectItem(f, "to")->valuestring,
			        cJSON_GetObjectItem(e, "to")->valuestring) == 0;
		if (dup || ne == 64)
			continue;
		om = hist_find(c, cJSON_GetObjectItem(e, "kind")->valuestring,
		    cJSON_GetObjectItem(e, "from")->valuestring,
		    cJSON_GetObjectItem(e, "to")->valuestring, &old);
		ent = hist_entry(drift, e, window, old);
		own[no] = cJSON_PrintUnformatted(ent);
		snprintf(score[ne], sizeof(score[ne]), "%.0f",
		    cJSON_GetObjectItem(ent, "at")->valuedouble);
		cJSON_Delete(ent);
		cJSON_Delete(old);
		if (own[no] == NULL) {
			rc = -1;
			break;
		}
		argv[n] = om != NULL ? om->str : "", len[n++] = om != NULL ? om->len : 0;
		argv[n] = score[ne], len[n++] = strlen(score[ne]);
		argv[n] = own[no], len[n++] = strlen(own[no]);
		no++, ne++;
	}
	for (i = 0; i < 7; i++)
		len[i] = strlen(argv[i]);
	if (rc == 0 && ne > 0 && hcmd_of(h, argv, len, n) == -1) {
		agg_hcmd_free(h);
		rc = -1;
	}
	for (i = 0; i < no; i++)
		cJSON_free(own[i]);
	return rc;
}
