/*
 * fleetrules.c - mcp-aggregate fleet: the rules no single probe can see,
 * read over the lists the store keeps of every slug (mcp-rules(7)
 * "Fleet rules"): a tool name another slug of one group serves too
 * (MCPU-F001), a tool's text naming another slug's tool (MCPU-F002),
 * instructing about it (MCPU-F003), and a group whose servers together
 * fetch untrusted content, read private data and send data out though no
 * one of them does all three: a toxic flow (MCPU-F004).
 *
 * A group (-g NAME=SLUG,SLUG...) is a set of servers one agent uses
 * together, as the operator names it: a name two servers of a registry
 * share (read_file, a family's) is no finding unless they meet in one
 * agent, so F001 is said of the groups only, and never without one.
 *
 * Two passes over the index of lists (mcp:lists, no scan of the
 * keyspace), one slug's keys a call: the first keeps an index of the
 * tool names and which slugs serve them (at most NAME_SLUGS each, and how
 * many), never the lists; the second reads each slug's latest tool list
 * again against that index.  --save keeps each slug's count, worst and
 * rules in its own mcp:{SLUG}:findings, field "_fleet", which the verdict
 * shows (findings.c); a slug with none left has the field deleted.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <errno.h>
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "lists.h"
#include "ready.h"
#include "rec.h"
#include "strmap.h"
#include "toolslock.h"

#define NAME_SLUGS 4    /* slugs an entry of the index names: three others besides one's own */
#define OTHERS_SHOWN 3  /* other slugs a finding names, the rest counted */
#define SLUG_MAX 64     /* findings printed a slug; the rest counted */
#define PAGE 1000       /* slugs of mcp:lists read a call */
#define PTR_MAX 160     /* a JSON pointer, cut */
#define CONTEXT 24      /* bytes of text before a named tool in an excerpt */
#define NAMED_MIN 5     /* bytes of a tool name worth reading in text */
#define GROUPS_MAX 64   /* -g given at most */
#define GROUP_SLUGS 256 /* slugs a group names at most */

enum { F001, F002, F003, F004, F_N };
static const char *const rule_id[F_N] = {"MCPU-F001", "MCPU-F002", "MCPU-F003", "MCPU-F004"};
static const char *const rule_sev[F_N] = {"low", "medium", "high", "high"};
/* The legs of a toxic flow (lib/ready.h), as a finding names them. */
static const char *const leg_name[3] = {"untrusted", "private", "sink"};
static const char *const leg_words[3] = {
    "fetches untrusted content", "reads private data", "sends data out"};
#define LEG_TOOL_MAX 128 /* bytes of a leg's tool name kept */

/*
 * The words of a sentence that instructs about the tool it names
 * (mcp-rules(7) lists them): compared without case, each at the start of
 * a word.
 */
static const char *const instruct[] = {"instead of", "rather than", "before call", "after call",
    "before using", "after using", "before invoking", "after invoking", "before running",
    "after running", "always", "never", "do not use", "don't use", "do not call", "don't call",
    "must", "replace", "ignore", "prefer", "only use", "override", "redirect", NULL};

/* A tool name of the fleet: the slugs serving it (indexes into slugs), how many. */
struct entry {
	const char *name; /* the map's copy */
	unsigned slug[NAME_SLUGS];
	unsigned n;
};

/* An operator's group of servers one agent uses together (-g), its slugs sorted. */
struct group {
	char *name; /* owned, as its slugs */
	char **slug;
	size_t n;
};

struct fleet {
	struct mcp_store *st;
	struct group group[GROUPS_MAX];
	size_t ngroups;
	struct mcp_strmap gmap; /* "GROUP NAME" -> its index in v: the group's slugs serving NAME */
	char **slugs;           /* owned: mcp:lists's members, by name */
	size_t nslugs;
	struct mcp_strmap map; /* name -> its index in v */
	struct entry *v;
	size_t nv, capv;
	int json, save, rc;
	double now;
	/* The slug of the second pass. */
	unsigned cur;
	const char *tool; /* the tool read_slug reads */
	const char **own; /* its names, sorted (borrowed from its list) */
	size_t nown;
	long count, more;
	int worst, rules;
	/* The toxic flows (F004): each grouped slug's legs and a tool of each, each group's. */
	unsigned char *legs;   /* owned, by slug: MCP_LEG_* bits */
	char *(*legtool)[3];   /* owned, by slug: its first tool of each leg, or NULL */
	int toxic[GROUPS_MAX]; /* the group's slugs hold all three legs, no one of them alone */
};

static void flows(struct fleet *f);

/* The entry of name, borrowed (valid through the second pass), or NULL. */
static const struct entry *
lookup(const struct fleet *f, const char *name)
{
	const struct mcp_strent *m = mcp_strmap_get(&f->map, name);

	return m != NULL ? &f->v[m->num] : NULL;
}

/* Slug s serves name (in map: the fleet's, or the groups'). */
static void
index_add(struct fleet *f, struct mcp_strmap *map, const char *name, unsigned s)
{
	struct mcp_strent *m;
	struct entry *e;
	int added;

	if ((m = mcp_strmap_put(map, name, &added)) == NULL)
		errx(MCP_EXIT_FAIL, "fleet: out of memory");
	if (added) {
		if (f->nv == f->capv) {
			f->capv = f->capv ? f->capv * 2 : 1024;
			if ((f->v = reallocarray(f->v, f->capv, sizeof(*f->v))) == NULL)
				errx(MCP_EXIT_FAIL, "fleet: out of memory");
		}
		m->num = f->nv++;
		memset(&f->v[m->num], 0, sizeof(*f->v));
		f->v[m->num].name = m->key;
	}
	e = &f->v[m->num];
	/* A list is sorted by name: a name twice in one list is one slug's twice in a row. */
	if (e->n > 0 && e->slug[(e->n < NAME_SLUGS ? e->n : NAME_SLUGS) - 1] == s)
		return;
	/* Past NAME_SLUGS the latest is kept last, for the test above. */
	e->slug[e->n < NAME_SLUGS ? e->n : NAME_SLUGS - 1] = s;
	e->n++;
}

static int
pstrcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when group g names slug s. */
static int
in_group(const struct fleet *f, size_t g, unsigned s)
{
	const char *slug = f->slugs[s];

	return bsearch(&slug, f->group[g].slug, f->group[g].n, sizeof(char *), pstrcmp) != NULL;
}

/* The key of name in group g's index: "GROUP NAME" (a group's name has no blank), owned. */
static char *
group_key(const struct fleet *f, size_t g, const char *name)
{
	char *k;

	if (asprintf(&k, "%s %s", f->group[g].name, name) == -1)
		errx(MCP_EXIT_FAIL, "fleet: out of memory");
	return k;
}

/* Slug s serves name: the fleet's index, and each of its groups'. */
static void
index_name(struct fleet *f, const char *name, unsigned s)
{
	size_t g;
	char *k;

	index_add(f, &f->map, name, s);
	for (g = 0; g < f->ngroups; g++)
		if (in_group(f, g, s)) {
			index_add(f, &f->gmap, k = group_key(f, g, name), s);
			free(k);
		}
}

/*
 * The first group of the slug being read in which another slug serves
 * name too (its entry in *e), or -1.
 */
static long
shared_in(struct fleet *f, const char *name, const struct entry **e)
{
	const struct mcp_strent *m;
	size_t g;
	char *k;

	for (g = 0; g < f->ngroups; g++) {
		if (!in_group(f, g, f->cur))
			continue;
		m = mcp_strmap_get(&f->gmap, k = group_key(f, g, name));
		free(k);
		if (m != NULL && f->v[m->num].n >= 2) {
			*e = &f->v[m->num];
			return (long)g;
		}
	}
	return -1;
}

/*
 * -g NAME=SLUG,SLUG...: a group of at least two slugs, at most
 * GROUP_SLUGS, each a slug, the name one too.  0, or -1 with why.
 */
static int
group_parse(struct fleet *f, const char *arg, char *why, size_t len)
{
	struct group *g = &f->group[f->ngroups];
	char *copy, *eq, *tok, *save = NULL;

	if (f->ngroups == GROUPS_MAX) {
		snprintf(why, len, "more than %d groups", GROUPS_MAX);
		return -1;
	}
	if ((copy = strdup(arg)) == NULL)
		errx(MCP_EXIT_FAIL, "fleet: out of memory");
	if ((eq = strchr(copy, '=')) == NULL || (*eq++ = '\0', !mcp_slug_ok(copy))) {
		snprintf(why, len, "a group is NAME=SLUG,SLUG..., its name a slug");
		free(copy);
		return -1;
	}
	g->name = copy;
	if ((g->slug = calloc(GROUP_SLUGS, sizeof(char *))) == NULL)
		errx(MCP_EXIT_FAIL, "fleet: out of memory");
	for (tok = strtok_r(eq, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (!mcp_slug_ok(tok) || g->n == GROUP_SLUGS) {
			snprintf(why, len, "group %s: %s", g->name,
			    g->n == GROUP_SLUGS ? "more than 256 slugs" : "not a list of slugs");
			return -1;
		}
		g->slug[g->n++] = tok;
	}
	if (g->n < 2) {
		snprintf(why, len, "group %s: fewer than two slugs", g->name);
		return -1;
	}
	qsort(g->slug, g->n, sizeof(char *), pstrcmp);
	f->ngroups++;
	return 0;
}

/* mcp:lists's members, by name: 0, or -1 after a warning. */
static int
read_slugs(struct fleet *f)
{
	char err[512], lo[24], hi[24];
	const char *argv[4] = {"ZRANGE", AGG_KEY_LISTS, lo, hi};
	redisReply *r;
	size_t at = 0, i;

	for (;;) {
		snprintf(lo, sizeof(lo), "%zu", at);
		snprintf(hi, sizeof(hi), "%zu", at + PAGE - 1);
		if ((r = mcp_store_cmd(f->st, 4, argv, err, sizeof(err))) == NULL ||
		    r->type != REDIS_REPLY_ARRAY) {
			warnx("redis: %s",
			    r == NULL                          ? err
			        : r->type == REDIS_REPLY_ERROR ? r->str
			                                       : "bad reply");
			freeReplyObject(r);
			return -1;
		}
		if ((f->slugs = reallocarray(
		         f->slugs, f->nslugs + r->elements + 1, sizeof(char *))) == NULL)
			errx(MCP_EXIT_FAIL, "fleet: out of memory");
		for (i = 0; i < r->elements; i++)
			if (r->element[i]->type == REDIS_REPLY_STRING &&
			    mcp_slug_ok(r->element[i]->str) &&
			    (f->slugs[f->nslugs] = strdup(r->element[i]->str)) != NULL)
				f->nslugs++;
		at += PAGE;
		i = r->elements;
		freeReplyObject(r);
		if (i < PAGE)
			break;
	}
	qsort(f->slugs, f->nslugs, sizeof(char *), pstrcmp);
	return 0;
}

/*
 * The slug's latest tool list (the member "t:HEX" of mcp:{SLUG}:lsi seen
 * last), owned; NULL when it has none or it did not read (why, a word).
 */
static cJSON *
latest(struct fleet *f, const char *slug, const char **why)
{
	char key[MCP_SLUG_MAX + 160], err[512], hash[80];
	const char *argv[4] = {"ZREVRANGE", key, "0", "-1"};
	redisReply *r;
	cJSON *list;
	size_t i;

	agg_key(key, sizeof(key), slug, "lsi", -1);
	*why = "not_read";
	if ((r = mcp_store_cmd(f->st, 4, argv, err, sizeof(err))) == NULL ||
	    r->type != REDIS_REPLY_ARRAY) {
		freeReplyObject(r);
		return NULL;
	}
	*why = "none";
	hash[0] = '\0';
	for (i = 0; i < r->elements && hash[0] == '\0'; i++)
		if (r->element[i]->type == REDIS_REPLY_STRING &&
		    strncmp(r->element[i]->str, "t:", 2) == 0 && strlen(r->element[i]->str) == 66)
			snprintf(hash, sizeof(hash), "sha256:%s", r->element[i]->str + 2);
	freeReplyObject(r);
	if (hash[0] == '\0')
		return NULL;
	agg_key(key, sizeof(key), slug, "", -1);
	snprintf(key + strlen(key), sizeof(key) - strlen(key), "ls:%s", hash + 7);
	argv[0] = "GET";
	*why = "not_read";
	if ((r = mcp_store_cmd(f->st, 2, argv, err, sizeof(err))) == NULL)
		return NULL;
	list = agg_list_parse(MCP_LIST_TOOLS, hash, r->type == REDIS_REPLY_STRING ? r->str : NULL,
	    r->type == REDIS_REPLY_STRING ? r->len : 0, why);
	freeReplyObject(r);
	return list;
}

static const char *
name_of(const cJSON *tool)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tool, "name"));
}

static int
own(const struct fleet *f, const char *name)
{
	return bsearch(&name, f->own, f->nown, sizeof(*f->own), pstrcmp) != NULL;
}

/* One finding printed (within SLUG_MAX) and counted. */
static void
finding(struct fleet *f, int rule, const char *tool, const char *ptr, const char *text,
    size_t start, const char *named, const struct entry *e, const char *group)
{
	char ex[MCP_SCAN_EXCERPT_MAX + 1];
	size_t i, len = strlen(text);
	cJSON *o, *others, *c;
	long shown = 0, rest;

	f->rules |= 1 << rule;
	f->worst = rule > f->worst ? rule : f->worst;
	if (f->count++ >= SLUG_MAX) {
		f->more++;
		return;
	}
	start = start > CONTEXT ? start - CONTEXT : 0;
	while (start > 0 && ((unsigned char)text[start] & 0xc0) == 0x80)
		start--;
	mcp_scan_excerpt(ex, sizeof(ex), text, len, start, len);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", rule_id[rule]);
	cJSON_AddStringToObject(o, "severity", rule_sev[rule]);
	cJSON_AddStringToObject(o, "slug", f->slugs[f->cur]);
	cJSON_AddStringToObject(o, "tool", tool);
	cJSON_AddStringToObject(o, "pointer", ptr);
	cJSON_AddStringToObject(o, "excerpt", ex);
	if (named != NULL)
		cJSON_AddStringToObject(o, "names", named);
	if (group != NULL)
		cJSON_AddStringToObject(o, "group", group);
	others = cJSON_AddArrayToObject(o, "others");
	for (i = 0; i < e->n && i < NAME_SLUGS; i++)
		if (e->slug[i] != f->cur && shown < OTHERS_SHOWN) {
			cJSON_AddItemToArray(others, cJSON_CreateString(f->slugs[e->slug[i]]));
			shown++;
		}
	rest = (long)e->n - shown - (own(f, named != NULL ? named : tool) ? 1 : 0);
	cJSON_AddNumberToObject(o, "others_more", (double)(rest > 0 ? rest : 0));
	if (f->json) {
		char err[128];

		if (mcp_rec_write(stdout, o, err, sizeof(err)) == -1)
			warnx("%s", err);
	} else {
		printf("%s %s %s ", f->slugs[f->cur], rule_id[rule], rule_sev[rule]);
		agg_tools_put_safe(tool);
		putchar(' ');
		agg_tools_put_safe(ptr); /* a member's name is the server's text too */
		printf(": ");
		agg_tools_put_safe(ex);
		printf(" (");
		if (named != NULL) {
			printf("names ");
			agg_tools_put_safe(named);
			printf(", ");
		}
		printf("served by");
		cJSON_ArrayForEach(c, others) printf(" %s", c->valuestring);
		if (rest > 0)
			printf(" and %ld more", rest);
		if (group != NULL)
			printf(" in group %s", group);
		printf(")\n");
	}
	cJSON_Delete(o);
}

/* 1 when a byte may be in a tool name as text names it. */
static int
name_byte(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* A name distinctive enough to be a tool's in text: _, -, . or an inner capital. */
static int
distinctive(const char *s, size_t n)
{
	size_t i;

	if (n < NAMED_MIN)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '_' || s[i] == '-' || s[i] == '.' ||
		    (i > 0 && isupper((unsigned char)s[i]) && islower((unsigned char)s[i - 1])))
			return 1;
	return 0;
}

static int
sentence_end(const char *t, size_t i)
{
	return t[i] == '\n' || t[i] == '!' || t[i] == '?' || t[i] == ';' ||
	    (t[i] == '.' && (t[i + 1] == '\0' || isspace((unsigned char)t[i + 1])));
}

/* 1 when the sentence of text around [a, b) instructs (instruct[]). */
static int
instructs(const char *t, size_t a, size_t b, size_t *end)
{
	size_t lo = a, hi = b, i, k;

	while (lo > 0 && !sentence_end(t, lo - 1))
		lo--;
	while (t[hi] != '\0' && !sentence_end(t, hi))
		hi++;
	*end = hi;
	for (i = lo; i < hi; i++) {
		if (i > lo && isalnum((unsigned char)t[i - 1]))
			continue;
		for (k = 0; instruct[k] != NULL; k++)
			if (i + strlen(instruct[k]) <= hi &&
			    strncasecmp(t + i, instruct[k], strlen(instruct[k])) == 0)
				return 1;
	}
	return 0;
}

#define NAMED_ONCE 8 /* names a string is said to name, each once */

/*
 * One string of a tool: the other slugs' tools it names, each once, at
 * its first mention, F003 when any sentence naming it instructs.
 */
static void
read_text(struct fleet *f, const char *tool, const char *ptr, const char *t)
{
	struct {
		const struct entry *e;
		size_t at;
		int rule;
	} said[NAMED_ONCE];
	char name[MCP_CH_NAME_MAX + 1];
	size_t i = 0, j, n, nsaid = 0, k, end = 0;
	const struct entry *e;
	int rule = F002;

	while (t[i] != '\0') {
		if (!name_byte((unsigned char)t[i])) {
			i++;
			continue;
		}
		for (j = i; name_byte((unsigned char)t[j]); j++)
			;
		n = j - i;
		while (n > 0 && (t[i + n - 1] == '.' || t[i + n - 1] == '-'))
			n--; /* the end of a sentence, a dash after the name */
		if (distinctive(t + i, n) && n < sizeof(name)) {
			memcpy(name, t + i, n);
			name[n] = '\0';
			if ((e = lookup(f, name)) != NULL && !own(f, name)) {
				/* Each sentence read once, whatever it names: linear in the text. */
				if (i >= end)
					rule = instructs(t, i, i + n, &end) ? F003 : F002;
				for (k = 0; k < nsaid && said[k].e != e; k++)
					;
				if (k < nsaid && rule > said[k].rule)
					said[k].rule = rule;
				else if (k == nsaid && nsaid < NAMED_ONCE)
					said[nsaid].e = e, said[nsaid].at = i,
					said[nsaid++].rule = rule;
			}
		}
		i = j;
	}
	for (k = 0; k < nsaid; k++)
		finding(
		    f, said[k].rule, tool, ptr, t, said[k].at, said[k].e->name, said[k].e, NULL);
}

/*
 * One string of the tool being read (mcp_strings_walk), its pointer cut:
 * the tool's own name (F001's) and the names of its properties are names,
 * not text; a "name" member deeper in is read.
 */
static int
text_of(void *arg, const char *pointer, const char *text, int name)
{
	struct fleet *f = arg;
	char ptr[PTR_MAX + 1];
	size_t n = strlen(pointer);

	if (name &&
	    (strcmp(pointer, "/name") == 0 || n < 5 || strcmp(pointer + n - 5, "/name") != 0))
		return 0;
	snprintf(ptr, sizeof(ptr), "%.*s", PTR_MAX, pointer);
	read_text(f, f->tool, ptr, text);
	return 0;
}

/* The worst, the rules of the slug's findings into mcp:{SLUG}:findings "_fleet", or none. */
static void
save(struct fleet *f)
{
	static const char lua[] = "redis.call('HSET',KEYS[1],'_fleet',ARGV[1])\n"
	                          "if redis.call('TTL',KEYS[1])<0 then "
	                          "redis.call('EXPIRE',KEYS[1],ARGV[2]) end return 0\n";
	char key[MCP_SLUG_MAX + 64], value[128], ttl[24], err[512];
	const char *argv[6] = {"EVAL", lua, "1", key, value, ttl};
	redisReply *r;
	size_t at;
	int i;

	agg_key(key, sizeof(key), f->slugs[f->cur], "findings", -1);
	at = (size_t)snprintf(
	    value, sizeof(value), "%.0f %ld %s ", f->now, f->count, rule_sev[f->worst]);
	for (i = 0; i < F_N; i++)
		if (f->rules & (1 << i))
			at += (size_t)snprintf(value + at, sizeof(value) - at, "%s%s",
			    value[at - 1] == ' ' ? "" : ",", rule_id[i]);
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	if (f->count == 0) {
		argv[0] = "HDEL", argv[1] = key, argv[2] = "_fleet";
		r = mcp_store_cmd(f->st, 3, argv, err, sizeof(err));
	} else {
		r = mcp_store_cmd(f->st, 6, argv, err, sizeof(err));
	}
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		warnx("%s: redis: %s", f->slugs[f->cur], r == NULL ? err : r->str);
		f->rc = MCP_EXIT_FAIL;
	}
	freeReplyObject(r);
}

/* The second pass over one slug. */
static void
read_slug(struct fleet *f, const cJSON *list)
{
	const cJSON *it;
	const struct entry *e;
	size_t n = 0;
	long g;

	f->count = f->more = 0;
	f->worst = F001, f->rules = 0;
	if ((f->own = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*f->own))) == NULL)
		errx(MCP_EXIT_FAIL, "fleet: out of memory");
	cJSON_ArrayForEach(it, list) if (name_of(it) != NULL) f->own[n++] = name_of(it);
	f->nown = n;
	qsort(f->own, n, sizeof(*f->own), pstrcmp);
	cJSON_ArrayForEach(it, list)
	{
		const char *name = name_of(it);

		if (name == NULL || !cJSON_IsObject(it))
			continue;
		if ((g = shared_in(f, name, &e)) >= 0)
			finding(f, F001, name, "/name", name, 0, NULL, e, f->group[g].name);
		f->tool = name;
		mcp_strings_walk(it, text_of, f);
	}
	if (f->legs != NULL)
		flows(f);
	if (f->more > 0 && f->json)
		printf("{\"slug\":\"%s\",\"more\":%ld}\n", f->slugs[f->cur], f->more);
	else if (f->more > 0)
		printf("%s: %ld findings more\n", f->slugs[f->cur], f->more);
	free(f->own);
	f->own = NULL;
	if (f->save)
		save(f);
}

/* 1 when slug s is in some group (only a group's slugs can make a flow). */
static int
grouped(const struct fleet *f, unsigned s)
{
	size_t g;

	for (g = 0; g < f->ngroups; g++)
		if (in_group(f, g, s))
			return 1;
	return 0;
}

/* The legs of a toxic flow slug s's tools stand on, and its first tool of each. */
static void
legs_of(struct fleet *f, unsigned s, const cJSON *list)
{
	const cJSON *it;
	unsigned l;
	int k;

	if (f->legs == NULL || !grouped(f, s))
		return;
	cJSON_ArrayForEach(it, list)
	{
		if (name_of(it) == NULL)
			continue;
		l = mcp_ready_legs(
		    name_of(it), cJSON_GetObjectItemCaseSensitive(it, "inputSchema"));
		f->legs[s] |= (unsigned char)l;
		for (k = 0; k < 3; k++)
			if ((l & (1u << k)) && f->legtool[s][k] == NULL &&
			    (f->legtool[s][k] = strndup(name_of(it), LEG_TOOL_MAX)) == NULL)
				errx(MCP_EXIT_FAIL, "fleet: out of memory");
	}
}

/* Between the passes: the groups whose slugs make a toxic flow together, no one alone. */
static void
toxic_groups(struct fleet *f)
{
	unsigned all, s;
	size_t g;
	int alone;

	for (g = 0; g < f->ngroups && f->legs != NULL; g++) {
		all = 0, alone = 0;
		for (s = 0; s < f->nslugs; s++)
			if (in_group(f, g, s)) {
				all |= f->legs[s];
				alone |= f->legs[s] == 7;
			}
		f->toxic[g] = all == 7 && !alone;
	}
}

/* The first slug of group g, but for skip, that stands on leg k, or NULL. */
static const char *
leg_slug(const struct fleet *f, size_t g, int k, unsigned *which)
{
	unsigned s;

	for (s = 0; s < f->nslugs; s++)
		if (in_group(f, g, s) && (f->legs[s] & (1u << k))) {
			*which = s;
			return f->slugs[s];
		}
	return NULL;
}

/* F004 of the slug read (f->cur), for each toxic group it stands in a leg of. */
static void
flows(struct fleet *f)
{
	const char *by[3];
	unsigned w[3];
	size_t g;
	cJSON *o, *fl;
	int k;

	for (g = 0; g < f->ngroups; g++) {
		if (!f->toxic[g] || !in_group(f, g, f->cur) || f->legs[f->cur] == 0)
			continue;
		for (k = 0; k < 3; k++)
			by[k] = leg_slug(f, g, k, &w[k]);
		f->rules |= 1 << F004;
		f->worst = F004 > f->worst ? F004 : f->worst;
		if (f->count++ >= SLUG_MAX) {
			f->more++;
			continue;
		}
		if (f->json) {
			char err[128];

			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "rule", rule_id[F004]);
			cJSON_AddStringToObject(o, "severity", rule_sev[F004]);
			cJSON_AddStringToObject(o, "slug", f->slugs[f->cur]);
			cJSON_AddStringToObject(o, "group", f->group[g].name);
			fl = cJSON_AddObjectToObject(o, "flow");
			for (k = 0; k < 3; k++) {
				cJSON *leg = cJSON_AddObjectToObject(fl, leg_name[k]);

				cJSON_AddStringToObject(leg, "slug", by[k]);
				cJSON_AddStringToObject(leg, "tool", f->legtool[w[k]][k]);
			}
			if (mcp_rec_write(stdout, o, err, sizeof(err)) == -1)
				warnx("%s", err);
			cJSON_Delete(o);
			continue;
		}
		printf("%s %s %s in group %s, a toxic flow:", f->slugs[f->cur], rule_id[F004],
		    rule_sev[F004], f->group[g].name);
		for (k = 0; k < 3; k++) {
			printf("%s %s %s (",
			    k == 0       ? ""
			        : k == 1 ? ","
			                 : " and",
			    by[k], leg_words[k]);
			agg_tools_put_safe(f->legtool[w[k]][k]);
			printf(")");
		}
		printf("\n");
	}
}

static void
pass(struct fleet *f, int second)
{
	const char *why;
	const cJSON *it;
	cJSON *list;
	unsigned s;

	for (s = 0; s < f->nslugs; s++) {
		if ((list = latest(f, f->slugs[s], &why)) == NULL) {
			if (!second)
				continue;
			if (strcmp(why, "none") != 0 && strcmp(why, "not_kept") != 0) {
				warnx("%s: the latest tool list: %s", f->slugs[s], why);
				f->rc = MCP_EXIT_FAIL;
			} else if (f->save) {
				f->cur = s, f->count = 0;
				save(f);
			}
			continue;
		}
		if (second) {
			f->cur = s;
			read_slug(f, list);
		} else {
			cJSON_ArrayForEach(it, list) if (name_of(it) != NULL)
			    index_name(f, name_of(it), s);
			legs_of(f, s, list);
		}
		cJSON_Delete(list);
	}
}

int
agg_fleet(int argc, char **argv)
{
	static const struct option longs[] = {{"json", no_argument, NULL, 'j'},
	    {"save", no_argument, NULL, 's'}, {"group", required_argument, NULL, 'g'},
	    {NULL, 0, NULL, 0}};
	struct agg_opts o = AGG_OPTS_INIT;
	struct fleet f = {0};
	char why[600];
	size_t i;
	int c;

	while ((c = agg_getopt(argc, argv, "g:R:t:", longs)) != -1)
		switch (c) {
		case 'g':
			if (group_parse(&f, optarg, why, sizeof(why)) == -1)
				agg_usage_why("-g: %s", why);
			break;
		case 'j':
			f.json = 1;
			break;
		case 's':
			f.save = 1;
			break;
		case 'R':
			o.url = mcp_store_url_arg(optarg);
			break;
		case 't':
			if ((o.timeout = mcp_parse_seconds(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
			break;
		default:
			agg_usage();
		}
	if (optind != argc)
		agg_usage_why("%s: unexpected argument", argv[optind]);
	if (mcp_store_url_check(o.url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	f.now = mcp_now();
	if (!(f.now <= AGG_TIME_MAX))
		errx(MCP_EXIT_USAGE, "MCP_NOW: not a time (0 to %.0f)", AGG_TIME_MAX);
	if ((f.st = agg_connect(&o)) == NULL)
		return MCP_EXIT_FAIL;
	if (read_slugs(&f) == -1) {
		f.rc = MCP_EXIT_FAIL;
	} else {
		if (f.ngroups > 0 &&
		    ((f.legs = calloc(f.nslugs + 1, 1)) == NULL ||
		        (f.legtool = calloc(f.nslugs + 1, sizeof(*f.legtool))) == NULL))
			errx(MCP_EXIT_FAIL, "fleet: out of memory");
		pass(&f, 0);
		toxic_groups(&f);
		pass(&f, 1);
	}
	mcp_store_close(f.st);
	mcp_strmap_free(&f.map);
	mcp_strmap_free(&f.gmap);
	free(f.v);
	for (i = 0; i < f.ngroups; i++) {
		free(f.group[i].name);
		free(f.group[i].slug);
	}
	for (i = 0; i < f.nslugs; i++) {
		free(f.slugs[i]);
		for (c = 0; f.legtool != NULL && c < 3; c++)
			free(f.legtool[i][c]);
	}
	free(f.legtool);
	free(f.legs);
	free(f.slugs);
	if (mcp_rec_close_stdout() == -1)
		return MCP_EXIT_FAIL;
	return f.rc;
}
