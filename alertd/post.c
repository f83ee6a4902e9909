/*
 * post.c - mcp-alert post new|update|resolve|list|show: the operator's
 * posts on the status page, about some slugs or the whole page, each a
 * title, a state and updates over time.  An update is appended, never
 * rewritten: the script that saves it checks that the post is still the
 * one the update was appended to.  Each update is a notice for the
 * subscribers, queued in the same script.  Keys: lib/page.h.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "notice.h"
#include "rec.h"

/* KEYS: the post, posts, posts:open, the notice, the notices, then the slugs' (or whole). */
static const char new_lua[] = "if redis.call('ZCARD', KEYS[3]) >= " PAGE_STR(
    PAGE_OPEN_MAX) " then return -1 end\n"
                   "if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end\n"
                   "redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])\n"
                   "redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])\n"
                   "for i = 6, #KEYS do redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2]) end\n"
                   "" NOTICE_LUA("4", "5", "4", "5") "return 1\n";

/*
 * KEYS: the post, posts:open, the notice, the notices.  ARGV: the post as
 * read, as written, its id, its creation, 1 when open, the notice, its
 * id, the seconds to keep it ("0": for ever).
 */
static const char update_lua[] =
    "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
    "if ARGV[5] == '1' and redis.call('ZSCORE', KEYS[2], ARGV[3]) == false and\n"
    "    redis.call('ZCARD', KEYS[2]) >= " PAGE_STR(
        PAGE_OPEN_MAX) " then return -1 end\n"
                       "redis.call('SET', KEYS[1], ARGV[2])\n"
                       "if ARGV[8] == '0' then redis.call('PERSIST', KEYS[1])\n"
                       "else redis.call('EXPIRE', KEYS[1], ARGV[8]) end\n"
                       "if ARGV[5] == '1' then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])\n"
                       "else redis.call('ZREM', KEYS[2], ARGV[3]) end\n"
                       "" NOTICE_LUA("3", "4", "6", "7") "return 1\n";

struct postarg {
	const char *slugs[PAGE_POST_SLUGS_MAX];
	int nslugs, all, force, state;
	char *title, *text;
	const char *incident; /* NULL: as found; "none" */
	const char *id;       /* update and resolve's ID */
};

/* TEXT, or standard input for "-" (a byte more than max read, so that too long is said). */
static char *
text_arg(const char *arg)
{
	char *s;
	size_t n = 0;
	ssize_t k;

	if (strcmp(arg, "-") != 0) {
		if ((s = strdup(arg)) == NULL)
			err(MCP_EXIT_FAIL, "strdup");
		return s;
	}
	if ((s = malloc(2 * PAGE_TEXT_MAX + 2)) == NULL)
		err(MCP_EXIT_FAIL, "malloc");
	/* CR LF lines may hold up to twice the bytes they keep. */
	while (n < 2 * PAGE_TEXT_MAX + 1 &&
	    (k = read(STDIN_FILENO, s + n, 2 * PAGE_TEXT_MAX + 1 - n)) > 0)
		n += (size_t)k;
	if (memchr(s, '\0', n) != NULL)
		errx(MCP_EXIT_USAGE, "post: --text -: a NUL byte");
	s[n] = '\0';
	return s;
}

static void
check_text(char *s, size_t max, int lines, const char *what)
{
	char why[128];

	if (post_text(s, max, lines, why, sizeof(why)) == -1)
		errx(MCP_EXIT_USAGE, "post: %s: %s (UTF-8 of at most %zu bytes)", what, why, max);
}

const struct option alert_opts_post_new[] = {{"slug", required_argument, NULL, 's'},
    {"all", no_argument, NULL, 'a'}, {"title", required_argument, NULL, 'T'},
    {"state", required_argument, NULL, 'S'}, {"text", required_argument, NULL, 't'},
    {"incident", required_argument, NULL, 'i'}, {"force", no_argument, NULL, 'F'},
    {NULL, 0, NULL, 0}};
/* resolve's --state is refused by name: the state is resolved. */
const struct option alert_opts_post_update[] = {{"state", required_argument, NULL, 'S'},
    {"text", required_argument, NULL, 't'}, {NULL, 0, NULL, 0}};
const struct option alert_opts_post_list[] = {
    {"json", no_argument, NULL, 'j'}, {"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};

/* Options of new, update and resolve (argv[0]) into a; update's and resolve's ID too. */
static void
post_opts(int argc, char **argv, struct postarg *a, int new)
{
	int ch;

	memset(a, 0, sizeof(*a));
	a->state = -1;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", new ? alert_opts_post_new : alert_opts_post_update,
	            NULL)) != -1) {
		if (ch == 's' && a->nslugs == PAGE_POST_SLUGS_MAX)
			errx(MCP_EXIT_USAGE, "post: more than %d slugs (--all for every one)",
			    PAGE_POST_SLUGS_MAX);
		else if (ch == 's' && !mcp_slug_ok(optarg))
			errx(MCP_EXIT_USAGE, "post: --slug %s: bad slug: not " MCP_SLUG_RULE,
			    optarg);
		else if (ch == 's')
			a->slugs[a->nslugs++] = optarg;
		else if (ch == 'a')
			a->all = 1;
		else if (ch == 'T' && (a->title = strdup(optarg)) != NULL)
			check_text(a->title, PAGE_TITLE_MAX, 0, "--title");
		else if (ch == 'S' && (a->state = post_state(optarg)) == -1)
			errx(MCP_EXIT_USAGE,
			    "post: --state %s: not investigating, identified, monitoring or "
			    "resolved",
			    optarg);
		else if (ch == 't' && a->text == NULL)
			check_text(a->text = text_arg(optarg), PAGE_TEXT_MAX, 1, "--text");
		else if (ch == 'i' && strcmp(optarg, "none") != 0 && !post_incident_ok(optarg))
			errx(MCP_EXIT_USAGE, "post: --incident %s: not a dedup_key", optarg);
		else if (ch == 'i')
			a->incident = optarg;
		else if (ch == 'F')
			a->force = 1;
		else if (ch == '?')
			alert_usage_exit("post", argv[0], "post %s: %s: unknown option", argv[0],
			    argv[optind - 1]);
	}
	/* The words were counted (alert_cli_check): new has none, update and resolve an ID. */
	if (argc - optind != !new)
		alert_usage_exit(
		    "post", argv[0], "post %s: want %s", argv[0], new ? "no ID" : "ID");
	a->id = new ? NULL : argv[optind];
}

/* The dedup_key of slug's open downtime incident into buf, or "". */
static void
open_incident(struct mcp_store *st, const char *slug, char *buf, size_t len)
{
	char key[MCP_SLUG_MAX + 32];
	const char *argv[] = {"HGET", key, "down"}, *why;
	redisReply *r;
	cJSON *o;

	buf[0] = '\0';
	snprintf(key, sizeof(key), "mcp:{%s}:incident", slug);
	if ((r = alert_cmd(st, 3, argv)) == NULL)
		return;
	if (r->type == REDIS_REPLY_STRING && (o = mcp_json_parse(r->str, r->len, &why)) != NULL) {
		if (post_incident_ok(alert_str(o, "dedup_key")))
			snprintf(buf, len, "%s", alert_str(o, "dedup_key"));
		cJSON_Delete(o);
	}
	freeReplyObject(r);
}

static cJSON *
update_of(double at, int state, const char *text)
{
	cJSON *u = cJSON_CreateObject();

	cJSON_AddNumberToObject(u, "at", at);
	cJSON_AddStringToObject(u, "state", post_states[state]);
	cJSON_AddStringToObject(u, "text", text);
	return u;
}

/* The notice of update number k of post p (its last). */
static cJSON *
post_notice(const cJSON *p, const char *event, int k)
{
	const cJSON *u = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "updates"), k - 1);
	cJSON *n = notice_new(event, mcp_json_num(u, "at"));

	cJSON_AddStringToObject(n, "post", alert_str(p, "id"));
	cJSON_AddNumberToObject(n, "update", k);
	cJSON_AddStringToObject(n, "title", alert_str(p, "title"));
	cJSON_AddStringToObject(n, "state", alert_str(u, "state"));
	cJSON_AddStringToObject(n, "text", alert_str(u, "text"));
	cJSON_AddBoolToObject(n, "all", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "all")));
	cJSON_AddItemToObject(
	    n, "slugs", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(p, "slugs"), 1));
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(p, "incident")))
		cJSON_AddStringToObject(n, "incident", alert_str(p, "incident"));
	return n;
}

static int
print_post(const char *json)
{
	char err[256];
	const char *why;
	cJSON *o = mcp_json_parse(json, strlen(json), &why);
	int rc = mcp_rec_write(stdout, o, err, sizeof(err));

	cJSON_Delete(o);
	if (rc == -1)
		mcp_stdout_failed();
	return rc == -1 ? MCP_EXIT_FAIL : MCP_EXIT_OK;
}

/* The post of a, with id, as it is written. */
static cJSON *
post_build(const struct postarg *a, const char *id, double now, const char *incident)
{
	cJSON *p = cJSON_CreateObject(), *s, *u;
	int i;

	cJSON_AddNumberToObject(p, "v", 1);
	cJSON_AddStringToObject(p, "type", "post");
	cJSON_AddStringToObject(p, "id", id);
	cJSON_AddStringToObject(p, "title", a->title);
	cJSON_AddStringToObject(p, "state", post_states[a->state]);
	cJSON_AddBoolToObject(p, "all", a->all);
	s = cJSON_AddArrayToObject(p, "slugs");
	for (i = 0; i < a->nslugs; i++)
		cJSON_AddItemToArray(s, cJSON_CreateString(a->slugs[i]));
	cJSON_AddNumberToObject(p, "created", now);
	cJSON_AddNumberToObject(p, "updated", now);
	if (incident[0] != '\0')
		cJSON_AddStringToObject(p, "incident", incident);
	else
		cJSON_AddNullToObject(p, "incident");
	u = cJSON_AddArrayToObject(p, "updates");
	cJSON_AddItemToArray(u, update_of(now, a->state, a->text));
	return p;
}

static int
post_new(struct mcp_store *st, int argc, char **argv)
{
	struct postarg a;
	char incident[MCP_SLUG_MAX + 80] = "", id[32], nid[40], keys[PAGE_POST_SLUGS_MAX + 5][128];
	const char *ev[PAGE_POST_SLUGS_MAX + 16], *seq[] = {"INCR", PAGE_POST_SEQ};
	double now = mcp_ms_round(mcp_now());
	char *json, *njson, score[32];
	redisReply *r;
	int i, k, known, rc;

	post_opts(argc, argv, &a, 1);
	if (a.title == NULL || a.text == NULL || (a.nslugs == 0) == !a.all)
		errx(MCP_EXIT_USAGE, "post new: want --title, --text, and --slug SLUG... or --all");
	for (i = 0; i < a.nslugs && !a.force; i++)
		if ((known = alert_slug_known(st, a.slugs[i])) != 1) {
			if (known == 0)
				errx(MCP_EXIT_USAGE,
				    "post new: %s: no such slug (never probed, no alert state); "
				    "--force to post about it anyway",
				    a.slugs[i]);
			return MCP_EXIT_FAIL;
		}
	if (a.state == -1)
		a.state = 0;
	if (a.incident != NULL && strcmp(a.incident, "none") != 0)
		snprintf(incident, sizeof(incident), "%s", a.incident);
	else if (a.incident == NULL && a.nslugs == 1)
		open_incident(st, a.slugs[0], incident, sizeof(incident));
	if ((r = alert_cmd(st, 2, seq)) == NULL)
		return MCP_EXIT_FAIL;
	snprintf(id, sizeof(id), "%lld", r->integer);
	freeReplyObject(r);
	{
		cJSON *p = post_build(&a, id, now, incident);

		njson = notice_text(post_notice(p, "post", 1), nid, sizeof(nid));
		json = alert_print(p);
	}
	snprintf(score, sizeof(score), "%.3f", now);
	snprintf(keys[0], sizeof(keys[0]), PAGE_POST "%s", id);
	snprintf(keys[1], sizeof(keys[1]), PAGE_NOTICE "%s", nid);
	k = 0;
	ev[k++] = "EVAL", ev[k++] = new_lua, ev[k++] = NULL;
	ev[k++] = keys[0], ev[k++] = PAGE_POSTS, ev[k++] = PAGE_POSTS_OPEN, ev[k++] = keys[1];
	ev[k++] = PAGE_NOTICES;
	if (a.all)
		ev[k++] = PAGE_POSTS_WHOLE;
	for (i = 0; i < a.nslugs; i++) {
		snprintf(keys[i + 2], sizeof(keys[i + 2]), PAGE_POSTS_SLUG "%s", a.slugs[i]);
		ev[k++] = keys[i + 2];
	}
	snprintf(keys[PAGE_POST_SLUGS_MAX + 4], 32, "%d", k - 3);
	ev[2] = keys[PAGE_POST_SLUGS_MAX + 4];
	ev[k++] = json, ev[k++] = id, ev[k++] = score, ev[k++] = njson, ev[k++] = nid;
	rc = MCP_EXIT_FAIL;
	if ((r = alert_cmd(st, k, ev)) != NULL) {
		if (r->type == REDIS_REPLY_INTEGER && r->integer == 1)
			rc = print_post(json);
		else if (r->type == REDIS_REPLY_INTEGER && r->integer == -1)
			warnx("post new: %d posts are open already: resolve one first",
			    PAGE_OPEN_MAX);
		else
			warnx("post new: post %s exists already (the store's sequence was reset?)",
			    id);
		freeReplyObject(r);
	}
	free(json);
	free(njson);
	free(a.title);
	free(a.text);
	return rc;
}

/* The post of id as stored: its text (owned) and parse (owned), or NULL after a message. */
static cJSON *
post_get(struct mcp_store *st, const char *id, char **text)
{
	char key[64];
	const char *argv[] = {"GET", key}, *why;
	redisReply *r;
	cJSON *p = NULL;

	if (!post_id_ok(id))
		errx(MCP_EXIT_USAGE, "post: %s: not a post's id", id);
	snprintf(key, sizeof(key), PAGE_POST "%s", id);
	if ((r = alert_cmd(st, 2, argv)) == NULL)
		return NULL;
	if (r->type != REDIS_REPLY_STRING)
		warnx("post %s: no such post (never made, or resolved more than 400 days ago)", id);
	else if ((p = mcp_json_parse(r->str, r->len, &why)) == NULL ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(p, "updates")) ||
	    post_state(alert_str(p, "state")) == -1)
		warnx("post %s: not a post as mcp-alert writes it", id);
	else if ((*text = strdup(r->str)) == NULL)
		err(MCP_EXIT_FAIL, "strdup");
	if (p != NULL && *text == NULL) {
		cJSON_Delete(p);
		p = NULL;
	}
	freeReplyObject(r);
	return p;
}

/* update ID and resolve ID: one update appended, retried when another writer came first. */
static int
post_update(struct mcp_store *st, int argc, char **argv, int resolve)
{
	struct postarg a;
	char key[64], nkey[80], nid[40], created[32], keep[32], *old = NULL, *json, *njson;
	const char *ev[] = {"EVAL", update_lua, "4", key, PAGE_POSTS_OPEN, nkey, PAGE_NOTICES, NULL,
	    NULL, NULL, created, NULL, NULL, nid, keep};
	int tries, k, was, rc = MCP_EXIT_FAIL;
	double now = mcp_ms_round(mcp_now());
	redisReply *r;
	cJSON *p, *u;

	post_opts(argc, argv, &a, 0);
	if (resolve && a.state != -1)
		errx(MCP_EXIT_USAGE, "post resolve: --state: the state is resolved");
	if (!resolve && a.text == NULL)
		errx(MCP_EXIT_USAGE, "post update: want --text");
	if (resolve && a.text == NULL && (a.text = strdup("Resolved.")) == NULL)
		err(MCP_EXIT_FAIL, "strdup");
	snprintf(key, sizeof(key), PAGE_POST "%s", a.id);
	for (tries = 0; tries < 5 && rc == MCP_EXIT_FAIL; tries++) {
		free(old);
		old = NULL;
		if ((p = post_get(st, a.id, &old)) == NULL)
			break;
		u = cJSON_GetObjectItemCaseSensitive(p, "updates");
		if ((k = cJSON_GetArraySize(u)) >= PAGE_UPDATES_MAX) {
			warnx("post %s: %d updates already: post a new one", a.id, k);
			cJSON_Delete(p);
			break;
		}
		was = post_state(alert_str(p, "state"));
		if (resolve)
			a.state = 3;
		else if (a.state == -1)
			a.state = was;
		cJSON_AddItemToArray(u, update_of(now, a.state, a.text));
		cJSON_ReplaceItemInObjectCaseSensitive(
		    p, "state", cJSON_CreateString(post_states[a.state]));
		cJSON_ReplaceItemInObjectCaseSensitive(p, "updated", cJSON_CreateNumber(now));
		njson = notice_text(
		    post_notice(p, a.state == 3 && was != 3 ? "resolve" : "update", k + 1), nid,
		    sizeof(nid));
		snprintf(nkey, sizeof(nkey), PAGE_NOTICE "%s", nid);
		snprintf(created, sizeof(created), "%.3f", mcp_json_num(p, "created"));
		snprintf(keep, sizeof(keep), "%d", a.state == 3 ? PAGE_POST_KEEP : 0);
		json = alert_print(p);
		ev[7] = old, ev[8] = json, ev[9] = a.id, ev[11] = a.state == 3 ? "0" : "1";
		ev[12] = njson;
		if ((r = alert_cmd(st, 15, ev)) != NULL) {
			if (r->type == REDIS_REPLY_INTEGER && r->integer == 1)
				rc = print_post(json);
			else if (r->type == REDIS_REPLY_INTEGER && r->integer == -1) {
				warnx("post %s: %d posts are open already: resolve one first", a.id,
				    PAGE_OPEN_MAX);
				tries = 5;
			}
			freeReplyObject(r);
		} else
			tries = 5;
		free(json);
		free(njson);
	}
	free(old);
	free(a.text);
	return rc;
}

/* The posts of list, newest first: every one kept (all), or the open ones. */
static int
post_list(struct mcp_store *st, int json, int all)
{
	const char *range[] = {"ZREVRANGE", all ? PAGE_POSTS : PAGE_POSTS_OPEN, "0", "999"};
	const char **mget;
	char(*keys)[64], when[32], ew[256];
	redisReply *r, *m;
	const char *why;
	size_t i;
	cJSON *p;
	int rc = MCP_EXIT_OK;

	if ((r = alert_cmd(st, 4, range)) == NULL)
		return MCP_EXIT_FAIL;
	if (!json)
		printf("%-6s %-13s %-20s %-24s %s\n", "ID", "STATE", "UPDATED", "ABOUT", "TITLE");
	if (r->elements == 0) {
		freeReplyObject(r);
		return MCP_EXIT_OK;
	}
	if ((mget = calloc(r->elements + 1, sizeof(*mget))) == NULL ||
	    (keys = calloc(r->elements, sizeof(*keys))) == NULL)
		err(MCP_EXIT_FAIL, "calloc");
	mget[0] = "MGET";
	for (i = 0; i < r->elements; i++) {
		snprintf(
		    keys[i], sizeof(keys[i]), PAGE_POST "%.40s", page_reply_str(r->element[i]));
		mget[i + 1] = keys[i];
	}
	if ((m = alert_cmd(st, (int)r->elements + 1, mget)) == NULL)
		rc = MCP_EXIT_FAIL;
	for (i = 0; m != NULL && i < m->elements && rc == MCP_EXIT_OK; i++) {
		if (m->element[i]->type != REDIS_REPLY_STRING ||
		    (p = mcp_json_parse(m->element[i]->str, m->element[i]->len, &why)) == NULL)
			continue;
		if (json) {
			if (mcp_rec_write(stdout, p, ew, sizeof(ew)) == -1) {
				mcp_stdout_failed();
				rc = MCP_EXIT_FAIL;
			}
		} else {
			const cJSON *s = cJSON_GetObjectItemCaseSensitive(p, "slugs");
			char about[128];

			mcp_iso8601(mcp_json_num(p, "updated"), when, sizeof(when));
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "all")))
				snprintf(about, sizeof(about), "(every server)");
			else
				snprintf(about, sizeof(about), "%s%s",
				    alert_str(cJSON_GetArrayItem(s, 0), ""),
				    cJSON_GetArraySize(s) > 1 ? ",..." : "");
			printf("%-6s %-13s %-20s %-24s ", alert_str(p, "id"), alert_str(p, "state"),
			    when, about);
			/* The title as its author wrote it, but never a control character. */
			for (const char *t = alert_str(p, "title"); *t != '\0'; t++)
				putchar((unsigned char)*t < ' ' ? ' ' : *t);
			putchar('\n');
		}
		cJSON_Delete(p);
	}
	if (m != NULL)
		freeReplyObject(m);
	free(mget);
	free(keys);
	freeReplyObject(r);
	return rc;
}

static int
post_show(struct mcp_store *st, const char *id)
{
	char *text = NULL;
	cJSON *p = post_get(st, id, &text);
	int rc;

	if (p == NULL)
		return MCP_EXIT_FAIL;
	cJSON_Delete(p);
	rc = print_post(text);
	free(text);
	return rc;
}

int
alert_post_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	int json = 0, all = 0, ch;

	(void)c;
	/* The words were checked (alert_cli_check). */
	argc--, argv++;
	if (argc > 0 && strcmp(argv[0], "new") == 0)
		return post_new(st, argc, argv);
	if (argc > 0 && strcmp(argv[0], "update") == 0)
		return post_update(st, argc, argv, 0);
	if (argc > 0 && strcmp(argv[0], "resolve") == 0)
		return post_update(st, argc, argv, 1);
	if (argc == 2 && strcmp(argv[0], "show") == 0)
		return post_show(st, argv[1]);
	if (argc > 0 && strcmp(argv[0], "list") == 0) {
		optind = 0;
		opterr = 0;
		while ((ch = getopt_long(argc, argv, "j", alert_opts_post_list, NULL)) != -1)
			json |= ch == 'j', all |= ch == 'a';
		return post_list(st, json, all);
	}
	alert_usage_exit("post", NULL, NULL);
}
