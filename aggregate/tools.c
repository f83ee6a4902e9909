/*
 * tools.c - mcp-aggregate tools: a slug's lists as push keeps them
 * (lists.h): each region's current list, the change between two lists,
 * the change history (mcp-aggregate(1) "tools").  Every server text is
 * escaped: JSON by cJSON, text with its control bytes shown as \xNN.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "approve.h"
#include "lists.h"
#include "rec.h"
#include "text.h"
#include "toolslock.h"

#define NAMES_SHOWN 20 /* names of a list shown in text; the rest counted */

enum { T_CUR, T_LH, T_LSI, T_TCH, T_N };

struct tctx {
	struct mcp_store *st;
	const char *slug;
	int json;
	redisReply *r[T_N]; /* hash, lhash, lsi, tch */
};

/*
 * s for a terminal: each byte of what a reader would not see as text (a
 * control, ANSI's escape, a C1 control, a line separator, a bidirectional
 * override or isolate, a byte of no UTF-8 character: lib/text.h) as \xNN,
 * and the backslash too but in lines (a diff's JSON), whose newlines stay.
 */
static void
put_text(const char *s, int lines)
{
	size_t n, i;
	int bad;

	for (; *s != '\0'; s += n) {
		n = mcp_text_char(s, &bad);
		if (lines && *s == '\n')
			putchar('\n');
		else if (bad || (!lines && *s == '\\'))
			for (i = 0; i < n; i++)
				printf("\\x%02x", (unsigned char)s[i]);
		else
			fwrite(s, 1, n, stdout);
	}
}

static void
put_safe(const char *s)
{
	put_text(s, 0);
}

void
agg_tools_put_safe(const char *s)
{
	put_text(s, 0);
}

/* Text of several lines: each line as put_safe shows it. */
static void
put_safe_lines(const char *s)
{
	put_text(s, 1);
}

/* One JSON line on stdout (mcp_rec_write: its text escaped, NUL-free). */
static void
put_json(const cJSON *o)
{
	char err[128];

	if (mcp_rec_write(stdout, o, err, sizeof(err)) == -1)
		warnx("%s", err);
}

static int
read_all(struct tctx *t)
{
	char k[T_N][MCP_SLUG_MAX + 64], err[512];
	static const char *const what[T_N] = {"hash", "lhash", "lsi", "tch"};
	int i;

	for (i = 0; i < T_N; i++)
		agg_key(k[i], sizeof(k[i]), t->slug, what[i], -1);
	mcp_store_appendf(t->st, "HGETALL %s", k[T_CUR]);
	mcp_store_appendf(t->st, "HGETALL %s", k[T_LH]);
	mcp_store_appendf(t->st, "ZRANGE %s 0 -1 WITHSCORES", k[T_LSI]);
	mcp_store_appendf(t->st, "ZRANGE %s 0 -1 WITHSCORES", k[T_TCH]);
	if (mcp_store_read(t->st, t->r, T_N, err, sizeof(err)) == -1) {
		warnx("redis: %s", err);
		return -1;
	}
	for (i = 0; i < T_N; i++)
		if (t->r[i]->type != REDIS_REPLY_ARRAY) {
			warnx("redis: %s",
			    t->r[i]->type == REDIS_REPLY_ERROR ? t->r[i]->str : "bad reply");
			return -1;
		}
	return 0;
}

/* The list of hash from the store: owned, or NULL with why (a word). */
static cJSON *
fetch(struct tctx *t, enum mcp_list_kind k, const char *hash, const char **why)
{
	char key[MCP_SLUG_MAX + 160], pre[MCP_SLUG_MAX + 64], err[512];
	const char *argv[2] = {"GET", key};
	redisReply *r;
	cJSON *a;

	*why = "not_sha256";
	if (agg_list_hex(hash) == NULL)
		return NULL;
	agg_key(pre, sizeof(pre), t->slug, "", -1);
	snprintf(key, sizeof(key), "%sls:%s", pre, agg_list_hex(hash));
	if ((r = mcp_store_cmd(t->st, 2, argv, err, sizeof(err))) == NULL) {
		*why = "not_read";
		return NULL;
	}
	a = agg_list_parse(k, hash, r->type == REDIS_REPLY_STRING ? r->str : NULL,
	    r->type == REDIS_REPLY_STRING ? r->len : 0, why);
	freeReplyObject(r);
	return a;
}

static const char *
why_words(const char *why)
{
	if (strcmp(why, "not_kept") == 0)
		return "not kept (the probe did not print it: --list-max; or it was evicted, "
		       "16 lists and 1 MiB a slug, or expired, 31 days after last seen)";
	if (strcmp(why, "bad_content") == 0)
		return "kept, but its text does not hash to its name";
	if (strcmp(why, "not_sha256") == 0)
		return "not a sha256: hash, never kept";
	return "not read: the store did not answer";
}

/* One region's line of a kind (hash value "STARTED HASH"). */
static void
region_entry(struct tctx *t, cJSON *arr, enum mcp_list_kind k, const char *region, const char *v)
{
	const char *sp = strchr(v, ' '), *why, *key = k == MCP_LIST_RESOURCES ? "uri" : "name";
	cJSON *o = cJSON_CreateObject(), *list, *names, *it;
	int n = 0;

	if (sp == NULL)
		return;
	cJSON_AddStringToObject(o, "region", region);
	cJSON_AddStringToObject(o, "kind", agg_list_word(k));
	cJSON_AddStringToObject(o, "hash", sp + 1);
	cJSON_AddNumberToObject(o, "at", strtod(v, NULL));
	if ((list = fetch(t, k, sp + 1, &why)) != NULL) {
		cJSON_AddNumberToObject(o, "count", cJSON_GetArraySize(list));
		names = cJSON_AddArrayToObject(o, "names");
		cJSON_ArrayForEach(it, list)
		{
			const char *s =
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, key));

			if (s != NULL && n++ < 1000)
				cJSON_AddItemToArray(names, cJSON_CreateString(s));
		}
		cJSON_Delete(list);
	} else {
		cJSON_AddNullToObject(o, "count");
		cJSON_AddStringToObject(o, "not_kept", why);
	}
	cJSON_AddItemToArray(arr, o);
}

static int
entry_cmp(const void *a, const void *b)
{
	const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;
	int c = strcmp(cJSON_GetObjectItem(x, "region")->valuestring,
	    cJSON_GetObjectItem(y, "region")->valuestring);

	return c != 0 ? c
	              : agg_list_kind(cJSON_GetObjectItem(x, "kind")->valuestring) -
	        agg_list_kind(cJSON_GetObjectItem(y, "kind")->valuestring);
}

/* The entries by region, then kind: HGETALL's order is the hash's own. */
static void
sort_regions(cJSON *arr)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i;
	cJSON **v = calloc(n + 1, sizeof(*v)), *e;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(arr, 0);
	qsort(v, n, sizeof(*v), entry_cmp);
	for (i = 0; i < n; i++) {
		e = v[i];
		cJSON_AddItemToArray(arr, e);
	}
	free(v);
}

static void
text_current(const cJSON *o)
{
	const cJSON *e, *n;
	int i;

	/* A server of resources only (no tools declared) has no tool list. */
	printf("%s: %s\n", cJSON_GetStringValue(cJSON_GetObjectItem(o, "slug")),
	    !cJSON_IsTrue(cJSON_GetObjectItem(o, "tools")) ? "no region serves a tool list"
	        : cJSON_IsTrue(cJSON_GetObjectItem(o, "agree"))
	        ? "every region serves one tool list"
	        : "the regions serve different tool lists");
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(o, "regions"))
	{
		printf("  %-16s %-9s %.19s", cJSON_GetObjectItem(e, "region")->valuestring,
		    cJSON_GetObjectItem(e, "kind")->valuestring,
		    cJSON_GetObjectItem(e, "hash")->valuestring);
		if (!cJSON_IsNumber(cJSON_GetObjectItem(e, "count"))) {
			printf(
			    "  %s\n", why_words(cJSON_GetObjectItem(e, "not_kept")->valuestring));
			continue;
		}
		printf("  %d:", (int)cJSON_GetObjectItem(e, "count")->valuedouble);
		i = 0;
		cJSON_ArrayForEach(n, cJSON_GetObjectItem(e, "names"))
		{
			if (i++ == NAMES_SHOWN) {
				printf(" ...");
				break;
			}
			putchar(' ');
			put_safe(n->valuestring);
		}
		putchar('\n');
	}
}

/* The regions' current lists; exit 1 when a region's list is not kept. */
static int
current(struct tctx *t)
{
	cJSON *o = cJSON_CreateObject(), *arr, *e;
	const redisReply *h = t->r[T_CUR], *lh = t->r[T_LH];
	const char *first = NULL, *v;
	size_t i;
	int agree = 1, rc = MCP_EXIT_OK, k;

	cJSON_AddStringToObject(o, "slug", t->slug);
	arr = cJSON_CreateArray();
	for (i = 0; i + 1 < h->elements; i += 2) {
		v = strchr(h->element[i + 1]->str, ' ');
		if (v != NULL && first != NULL && strcmp(first, v) != 0)
			agree = 0;
		if (v != NULL && first == NULL)
			first = v;
		region_entry(t, arr, MCP_LIST_TOOLS, h->element[i]->str, h->element[i + 1]->str);
	}
	for (i = 0; i + 1 < lh->elements; i += 2)
		if ((k = agg_list_kind((char[]){lh->element[i]->str[0], '\0'})) > 0 &&
		    lh->element[i]->str[1] == ':')
			region_entry(t, arr, k, lh->element[i]->str + 2, lh->element[i + 1]->str);
	sort_regions(arr);
	cJSON_AddBoolToObject(o, "agree", agree);
	cJSON_AddItemToObject(o, "regions", arr);
	cJSON_ArrayForEach(e, arr) if (!cJSON_IsNumber(cJSON_GetObjectItem(e, "count"))) rc =
	    MCP_EXIT_FAIL;
	cJSON_AddBoolToObject(o, "tools", h->elements > 0);
	if (h->elements == 0 && lh->elements == 0) {
		warnx("%s: no tool, resource or prompt list known for this slug (none served in "
		      "31 days): is the slug right? see mcp-aggregate status",
		    t->slug);
		rc = MCP_EXIT_FAIL;
	} else if (rc != MCP_EXIT_OK) {
		warnx("%s: a region's list is not kept: its names are not known", t->slug);
	}
	if (t->json)
		put_json(o);
	else
		text_current(o);
	cJSON_Delete(o);
	return rc;
}

/* The full hash of a region, a hash, or an 8+ hex prefix of a list kept; NULL if none. */
static const char *
resolve(struct tctx *t, const char *a, int *kind)
{
	const redisReply *h = t->r[T_CUR], *z = t->r[T_LSI];
	static char out[2][AGG_TOOL_HASH_MAX + 1];
	static int which;
	const char *p = a, *hit = NULL;
	size_t i, n;

	which ^= 1;
	*kind = MCP_LIST_TOOLS;
	for (i = 0; i + 1 < h->elements; i += 2)
		if (strcmp(h->element[i]->str, a) == 0 && strchr(h->element[i + 1]->str, ' ')) {
			snprintf(out[which], sizeof(out[which]), "%s",
			    strchr(h->element[i + 1]->str, ' ') + 1);
			return out[which];
		}
	if (strncmp(p, "sha256:", 7) == 0)
		p += 7;
	if ((n = strlen(p)) < 8 || n > 64 || strspn(p, "0123456789abcdef") != n)
		return NULL;
	for (i = 0; i + 1 < z->elements; i += 2)
		if (strlen(z->element[i]->str) > 2 && strncmp(z->element[i]->str + 2, p, n) == 0) {
			if (hit != NULL && strcmp(hit + 2, z->element[i]->str + 2) != 0)
				return NULL; /* ambiguous */
			hit = z->element[i]->str;
		}
	if (hit == NULL && n == 64) {
		/* A hash whole names a list even when it is not kept: fetch says why. */
		snprintf(out[which], sizeof(out[which]), "sha256:%s", p);
		return out[which];
	}
	if (hit == NULL)
		return NULL;
	*kind = agg_list_kind((char[]){hit[0], '\0'});
	snprintf(out[which], sizeof(out[which]), "sha256:%s", hit + 2);
	return out[which];
}

/* The hash most regions serve (a tie: the latest seen), and the first region not on it. */
static void
majority(const redisReply *h, const char **maj, const char **minor)
{
	size_t i, j, k, most = 0;
	double at = -1, t;
	const char *v, *w;

	*maj = *minor = NULL;
	for (i = 0; i + 1 < h->elements; i += 2) {
		if ((v = strchr(h->element[i + 1]->str, ' ')) == NULL)
			continue;
		for (j = 0, k = 0; j + 1 < h->elements; j += 2)
			k += (w = strchr(h->element[j + 1]->str, ' ')) != NULL && strcmp(v, w) == 0;
		t = strtod(h->element[i + 1]->str, NULL);
		if (k > most || (k == most && t > at))
			most = k, at = t, *maj = v + 1;
	}
	for (i = 0; *maj != NULL && i + 1 < h->elements; i += 2)
		if ((v = strchr(h->element[i + 1]->str, ' ')) != NULL && strcmp(v + 1, *maj) != 0) {
			*minor = v + 1;
			return;
		}
}

/* The latest history entry's from and to (static copies), 0; -1 for none. */
static int
latest_change(struct tctx *t, const char **from, const char **to, int *kind)
{
	static char f[AGG_TOOL_HASH_MAX + 1], o[AGG_TOOL_HASH_MAX + 1];
	const redisReply *z = t->r[T_TCH];
	cJSON *e;
	int rc = -1;

	if (z->elements < 2 || (e = cJSON_Parse(z->element[z->elements - 2]->str)) == NULL)
		return -1;
	if (cJSON_GetStringValue(cJSON_GetObjectItem(e, "from")) != NULL &&
	    cJSON_GetStringValue(cJSON_GetObjectItem(e, "to")) != NULL) {
		snprintf(f, sizeof(f), "%s", cJSON_GetObjectItem(e, "from")->valuestring);
		snprintf(o, sizeof(o), "%s", cJSON_GetObjectItem(e, "to")->valuestring);
		*kind = agg_list_kind(cJSON_GetStringValue(cJSON_GetObjectItem(e, "kind"))
		        ? cJSON_GetStringValue(cJSON_GetObjectItem(e, "kind"))
		        : "t");
		*from = f, *to = o, rc = 0;
	}
	cJSON_Delete(e);
	return *kind < 0 ? -1 : rc;
}

static int
show_diff(struct tctx *t, enum mcp_list_kind k, const char *from, const char *to)
{
	struct mcp_diff d;
	struct mcp_buf b = {0};
	const char *wf, *wt;
	cJSON *a = fetch(t, k, from, &wf), *c = fetch(t, k, to, &wt), *o;
	char err[128];
	int rc = MCP_EXIT_OK;

	if (a == NULL || c == NULL) {
		warnx("%s: list %s is %s", t->slug, a == NULL ? from : to,
		    why_words(a == NULL ? wf : wt));
		cJSON_Delete(a);
		cJSON_Delete(c);
		return MCP_EXIT_FAIL;
	}
	memset(&d, 0, sizeof(d));
	if (mcp_diff_lists(k, a, c, &d, err, sizeof(err)) == -1) {
		warnx("%s: diff: %s", t->slug, err);
		rc = MCP_EXIT_FAIL;
	} else if (t->json) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "slug", t->slug);
		cJSON_AddStringToObject(o, "kind", agg_list_word(k));
		cJSON_AddStringToObject(o, "from", from);
		cJSON_AddStringToObject(o, "to", to);
		cJSON_AddItemToObject(o, "summary", mcp_diff_summary(&d, 8, 2048));
		cJSON_AddItemToObject(o, "diff", mcp_diff_json(&d));
		put_json(o);
		cJSON_Delete(o);
	} else {
		printf("%s: %s %.19s -> %.19s\n", t->slug, agg_list_word(k), from, to);
		if (mcp_diff_text(&d, &b) == 0 && b.p != NULL)
			put_safe_lines(b.p);
		else if (d.n == 0)
			printf("no change\n");
	}
	mcp_buf_free(&b);
	mcp_diff_free(&d);
	cJSON_Delete(a);
	cJSON_Delete(c);
	return rc;
}

/* --diff [A [B]]: A or the minority's, B or the majority's; neither: also the latest change. */
static int
diff(struct tctx *t, char **args, int n)
{
	const char *from = NULL, *to = NULL, *maj, *minor;
	int k = MCP_LIST_TOOLS, k2 = MCP_LIST_TOOLS;

	majority(t->r[T_CUR], &maj, &minor);
	if (n >= 1 && (from = resolve(t, args[0], &k)) == NULL)
		errx(MCP_EXIT_FAIL, "%s: %s: no region, hash or kept list of that name", t->slug,
		    args[0]);
	if (n == 2 && (to = resolve(t, args[1], &k2)) == NULL)
		errx(MCP_EXIT_FAIL, "%s: %s: no region, hash or kept list of that name", t->slug,
		    args[1]);
	if (n == 1)
		to = maj;
	if (n == 0 && minor != NULL)
		from = minor, to = maj;
	else if (n == 0 && latest_change(t, &from, &to, &k) == -1)
		errx(MCP_EXIT_FAIL,
		    "%s: no change known: the regions agree and no change is in "
		    "the history",
		    t->slug);
	if (from == NULL || to == NULL)
		errx(MCP_EXIT_FAIL, "%s: no list to compare with", t->slug);
	if (k != k2 && n == 2)
		errx(MCP_EXIT_FAIL, "%s: %s and %s are lists of two kinds", t->slug, args[0],
		    args[1]);
	return show_diff(t, k, from, to);
}

/* The string k of o, or "?". */
static const char *
sv(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s != NULL ? s : "?";
}

static int
history(struct tctx *t)
{
	const redisReply *z = t->r[T_TCH];
	cJSON *a = cJSON_CreateArray(), *e, *r;
	char at[32], last[32];
	size_t i;

	for (i = 0; i + 1 < z->elements; i += 2)
		if ((e = cJSON_Parse(z->element[i]->str)) != NULL)
			cJSON_AddItemToArray(a, e);
	if (t->json) {
		put_json(a);
		cJSON_Delete(a);
		return MCP_EXIT_OK;
	}
	if (cJSON_GetArraySize(a) == 0)
		printf("%s: no change in the history (31 days)\n", t->slug);
	cJSON_ArrayForEach(e, a)
	{
		mcp_iso8601(cJSON_GetNumberValue(cJSON_GetObjectItem(e, "at")), at, sizeof(at));
		mcp_iso8601(
		    cJSON_GetNumberValue(cJSON_GetObjectItem(e, "last")), last, sizeof(last));
		printf("%s to %s %s %.19s -> %.19s", at, last, sv(e, "kind"), sv(e, "from"),
		    sv(e, "to"));
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(e, "regions"))
		{
			if (cJSON_IsString(r)) {
				putchar(' ');
				put_safe(r->valuestring);
			}
		}
		r = cJSON_GetObjectItem(cJSON_GetObjectItem(e, "change"), "text");
		fputs(": ", stdout);
		put_safe(cJSON_IsString(r) ? r->valuestring : "change not known");
		putchar('\n');
	}
	cJSON_Delete(a);
	return MCP_EXIT_OK;
}

/* 1 when s may name who answers: 1 to 128 bytes, none a control. */
static int
by_ok(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 128)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return 0;
	return 1;
}

/* --lock and --check: their arguments checked, the store opened unless --served. */
static int
tools_lock(const struct agg_opts *ao, int mode, const char *lock, const char *served,
    const char *slugs, int how, int argc, char **argv)
{
	struct mcp_store *st = NULL;
	char why[600], *line = NULL, **v = argv;
	size_t cap = 0;
	ssize_t n;
	int i, rc, given = argc;
	FILE *f;

	if (mode == 'L' && how != 0)
		agg_usage_why("--lock: prints neither JSON nor SARIF");
	if (mode == 'L' && served != NULL)
		agg_usage_why("--served goes with --check");
	if (mode == 'L' && argc == 0 && slugs == NULL)
		agg_usage_why("--lock: a SLUG or --slugs FILE is needed");
	if (mode == 'C' && argc != 0)
		agg_usage_why("%s: unexpected argument", argv[0]);
	if (mode == 'C' && slugs != NULL)
		agg_usage_why("--slugs goes with --lock");
	if (slugs != NULL) {
		if ((f = strcmp(slugs, "-") == 0 ? stdin : fopen(slugs, "r")) == NULL)
			err(MCP_EXIT_USAGE, "%s", slugs);
		v = calloc((size_t)argc + 1, sizeof(*v));
		memcpy(v, argv, (size_t)argc * sizeof(*v));
		while (v != NULL && (n = getline(&line, &cap, f)) != -1) {
			line[strcspn(line, "\r\n")] = '\0';
			if (line[0] == '\0' || line[0] == '#')
				continue;
			if ((v = realloc(v, ((size_t)argc + 2) * sizeof(*v))) != NULL)
				v[argc++] = strdup(line);
		}
		free(line);
		if (f != stdin)
			fclose(f);
		if (v == NULL)
			err(MCP_EXIT_FAIL, "%s", slugs);
	}
	if (mode == 'L' && argc == 0)
		errx(MCP_EXIT_USAGE, "%s: no slug", slugs);
	for (i = 0; i < argc; i++)
		if (v[i] == NULL || !mcp_slug_ok(v[i]))
			errx(MCP_EXIT_USAGE, "%s: bad slug: not " MCP_SLUG_RULE, v[i] ? v[i] : "?");
	if (served == NULL) {
		if (mcp_store_url_check(ao->url, why, sizeof(why)) == -1)
			errx(MCP_EXIT_USAGE, "%s", why);
		if ((st = agg_connect(ao)) == NULL)
			return mode == 'C' ? AGG_EXIT_UNKNOWN : MCP_EXIT_FAIL;
	}
	rc = mode == 'L' ? agg_tools_lock(st, v, argc) : agg_tools_check(st, lock, served, how);
	for (i = given; v != argv && i < argc; i++)
		free(v[i]);
	if (v != argv)
		free(v);
	if (st != NULL)
		mcp_store_close(st);
	if (fflush(stdout) == EOF || mcp_rec_close_stdout() == -1) {
		mcp_stdout_failed();
		rc = MCP_EXIT_FAIL;
	}
	return rc;
}

static const struct option longs[] = {{"json", no_argument, NULL, 'j'},
    {"diff", no_argument, NULL, 'd'}, {"history", no_argument, NULL, 'H'},
    {"approve", no_argument, NULL, 'A'}, {"reject", no_argument, NULL, 'X'},
    {"region", required_argument, NULL, 'g'}, {"by", required_argument, NULL, 'b'},
    {"kind", required_argument, NULL, 'k'}, {"lock", no_argument, NULL, 'L'},
    {"check", required_argument, NULL, 'C'}, {"sarif", no_argument, NULL, 'S'},
    {"served", required_argument, NULL, 'F'}, {"slugs", required_argument, NULL, 'f'},
    {NULL, 0, NULL, 0}};

/* The operands of the modes that are not --lock or --check, and their options. */
static void
modes_check(const struct tctx *t, const struct agg_answer *an, int mode, const char *served,
    const char *slugs, int argc, char **argv)
{
	if (t->json == 's' || served != NULL)
		agg_usage_why("--%s goes with --check", t->json == 's' ? "sarif" : "served");
	if (slugs != NULL)
		agg_usage_why("--slugs goes with --lock");
	if (argc < 1)
		agg_usage_why("a SLUG is needed");
	if (argc > (mode == 'd' ? 3 : 1))
		agg_usage_why("%s: unexpected argument", argv[mode == 'd' ? 3 : 1]);
	if ((an->region != NULL || an->by != NULL || an->kinds != 7) && mode != 'A' && mode != 'X')
		agg_usage_why("--region, --by and --kind go with --approve or --reject");
}

int
agg_tools(int argc, char **argv)
{
	const char *lock = NULL, *served = NULL, *slugs = NULL;
	struct agg_opts ao = AGG_OPTS_INIT;
	struct agg_answer an = {0, NULL, NULL, 7, 0};
	struct tctx t = {0};
	char why[600];
	int c, rc, mode = 0, i;

	while ((c = agg_getopt(argc, argv, "R:t:", longs)) != -1) {
		switch (c) {
		case 'j':
			t.json = 1;
			break;
		case 'g':
			if (!mcp_slug_ok(optarg))
				errx(MCP_EXIT_USAGE, "--region %s: not a region name", optarg);
			an.region = optarg;
			break;
		case 'b':
			if (!by_ok(optarg))
				errx(MCP_EXIT_USAGE,
				    "--by: not a name (1 to 128 bytes, no control character)");
			an.by = optarg;
			break;
		case 'k':
			if ((i = agg_list_kind(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "--kind %s: not tools, resources or prompts",
				    optarg);
			an.kinds = 1 << i;
			break;
		case 'C':
			lock = optarg;
			/* FALLTHROUGH */
		case 'A':
		case 'X':
		case 'd':
		case 'H':
		case 'L':
			if (mode != 0 && mode != c)
				agg_usage_why("--%s and --%s: one or the other",
				    agg_long_name(longs, mode), agg_long_name(longs, c));
			mode = c;
			break;
		case 'S':
			t.json = 's';
			break;
		case 'F':
			served = optarg;
			break;
		case 'f':
			slugs = optarg;
			break;
		case 'R':
			ao.url = mcp_store_url_arg(optarg);
			break;
		case 't':
			if ((ao.timeout = mcp_parse_seconds(optarg)) < 0)
				errx(MCP_EXIT_USAGE, "-t %s: not a number of seconds", optarg);
			break;
		default:
			agg_usage();
		}
	}
	argc -= optind, argv += optind;
	if (mode == 'L' || mode == 'C')
		return tools_lock(
		    &ao, mode, lock, served, slugs, t.json == 1 ? 'j' : t.json, argc, argv);
	modes_check(&t, &an, mode, served, slugs, argc, argv);
	an.reject = mode == 'X', an.json = t.json;
	if (an.by == NULL)
		an.by = by_ok(getenv("LOGNAME")) ? getenv("LOGNAME") : "operator";
	if (!mcp_slug_ok(argv[0]))
		errx(MCP_EXIT_USAGE, "%s: bad slug: not " MCP_SLUG_RULE, argv[0]);
	if (mcp_store_url_check(ao.url, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "%s", why);
	t.slug = argv[0];
	if ((t.st = agg_connect(&ao)) == NULL)
		return MCP_EXIT_FAIL;
	if (read_all(&t) == -1)
		rc = MCP_EXIT_FAIL;
	else if (mode == 'd')
		rc = diff(&t, argv + 1, argc - 1);
	else if (mode == 'H')
		rc = history(&t);
	else if (mode == 'A' || mode == 'X')
		rc = agg_answer(t.st, t.slug, t.r[T_CUR], t.r[T_LH], &an);
	else
		rc = current(&t);
	for (i = 0; i < T_N; i++)
		freeReplyObject(t.r[i]);
	mcp_store_close(t.st);
	if (fflush(stdout) == EOF || mcp_rec_close_stdout() == -1) {
		mcp_stdout_failed();
		rc = MCP_EXIT_FAIL;
	}
	return rc;
}
