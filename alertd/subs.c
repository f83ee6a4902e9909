/*
 * subs.c - the status page's lines of mcp-alert.conf(5) (status_page,
 * subscriber_mail, subscriber_incidents), and mcp-alert subscribers
 * add|list|remove: the webhook and Slack subscribers the operator adds,
 * and every subscriber listed or removed.  A reader subscribes an address
 * from the page itself (mcp-serve(8)); nobody adds an address here, as
 * none is subscribed without its own confirmation.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

#include "json.h"
#include "notice.h"
#include "rec.h"
#include "routes/routes.h"

/* --- the configuration ------------------------------------------------------------ */

/*
 * The status page's URL, as links in messages and the confirmation link
 * hold it: http(s)://HOST[:PORT][/PATH], printable ASCII with no quote,
 * angle bracket, blank, query or fragment (it goes into headers and
 * bodies as it is).
 */
static int
page_url_ok(const char *u)
{
	size_t i, n = strlen(u);

	if (n > 200 || (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= ' ' || (unsigned char)u[i] >= 0x7f ||
		    strchr("\"'<>\\?#`{}|^@", u[i]) != NULL)
			return 0;
	return u[strcspn(u, ":") + 3] != '\0' && u[strcspn(u, ":") + 3] != '/';
}

int
alert_page_conf_line(struct alert_conf *c, char **w, int nw, char *err, size_t errlen)
{
	int i, j;

	if (strcmp(w[0], "status_page") == 0) {
		if (nw != 2 || !page_url_ok(w[1])) {
			snprintf(err, errlen,
			    "status_page: want one URL, http(s)://HOST[:PORT][/PATH] (no query, "
			    "no user, no quotes)");
			return -1;
		}
		free(c->page_url);
		if ((c->page_url = strdup(w[1])) == NULL)
			errx(MCP_EXIT_FAIL, "out of memory");
		c->page_url[strlen(c->page_url) - (c->page_url[strlen(c->page_url) - 1] == '/')] =
		    '\0';
		return 0;
	}
	if (strcmp(w[0], "subscriber_mail") == 0) {
		if (nw != 2) {
			snprintf(err, errlen, "subscriber_mail: want one email ROUTE");
			return -1;
		}
		if ((j = alert_route_named(c, w[1], err, errlen)) == -1)
			return -1;
		if (c->routes[j].type != RT_EMAIL) {
			snprintf(err, errlen, "subscriber_mail: route \"%s\" is not an email route",
			    w[1]);
			return -1;
		}
		c->page_mail = j;
		return 0;
	}
	if (strcmp(w[0], "subscriber_incidents") == 0) {
		for (i = 1; i < nw && c->npage_inc < ALERT_PLATFORMS_MAX; i++)
			if ((c->page_inc[c->npage_inc++] = strdup(w[i])) == NULL)
				errx(MCP_EXIT_FAIL, "out of memory");
		if (nw == 1 || i < nw) {
			snprintf(err, errlen, "subscriber_incidents: want 1 to %d slugs or globs",
			    ALERT_PLATFORMS_MAX);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown key \"%s\"", w[0]);
	return -1;
}

void
alert_page_conf_free(struct alert_conf *c)
{
	int i;

	free(c->page_url);
	c->page_url = NULL;
	for (i = 0; i < c->npage_inc; i++)
		free(c->page_inc[i]);
	c->npage_inc = 0;
}

int
alert_page_incidents(const struct alert_conf *c, const char *slug)
{
	int i;

	for (i = 0; i < c->npage_inc; i++)
		if (fnmatch(c->page_inc[i], slug, 0) == 0)
			return 1;
	return 0;
}

const char *
page_reply_str(const redisReply *r)
{
	return r != NULL && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
	    ? r->str
	    : "";
}

/* --- subscribers add -------------------------------------------------------------- */

/* KEYS: the subscriber, subs, hooks, then its slugs' sets (or subs:whole). */
static const char add_lua[] = "if redis.call('SCARD', KEYS[3]) >= " PAGE_STR(
    PAGE_HOOKS_MAX) " then return -1 end\n"
                    "if redis.call('SCARD', KEYS[2]) >= " PAGE_STR(
                        PAGE_SUBS_MAX) " then return -2 end\n"
                                       "redis.call('HSET', KEYS[1], 'kind', ARGV[2], 'url', "
                                       "ARGV[3], 'secret', ARGV[4],\n"
                                       "    'name', ARGV[5], 'slugs', ARGV[6], 'since', ARGV[7])\n"
                                       "redis.call('SADD', KEYS[2], ARGV[1])\n"
                                       "redis.call('SADD', KEYS[3], ARGV[1])\n"
                                       "for i = 4, #KEYS do redis.call('SADD', KEYS[i], ARGV[1]) "
                                       "end\n"
                                       "return 1\n";

/*
 * KEYS[1]: the subscriber; ARGV[1] its id.  Every trace of it: its sets,
 * its address's key (when it is its own), what its address asked (the
 * record, its confirmations' tokens, its requests), its jobs, its outbox,
 * as an unsubscription removes them (mcp-serve(8)).
 */
/* clang-format off */
static const char remove_lua[] =
    "local k = KEYS[1]\n"
    "local slugs = redis.call('HGET', k, 'slugs')\n"
    "if not slugs then return 0 end\n"
    PAGE_FORGET_LUA
    "redis.call('SREM', '" PAGE_HOOKS "', ARGV[1])\n"
    "redis.call('SREM', '" PAGE_OUTBOXES "', ARGV[1])\n"
    "redis.call('DEL', '" PAGE_OUTBOX "' .. ARGV[1], k)\n"
    "return 1\n";
/* clang-format on */

struct subarg {
	const char *kind, *url, *secret_file;
	char *name;
	const char *slugs[PAGE_SUB_SLUGS_MAX];
	int nslugs, all;
};

const struct option alert_opts_subs_add[] = {{"slug", required_argument, NULL, 's'},
    {"all", no_argument, NULL, 'a'}, {"name", required_argument, NULL, 'n'},
    {"secret-file", required_argument, NULL, 'k'}, {NULL, 0, NULL, 0}};

/* add's options and its two words, KIND and URL, anywhere among them (argv[0]: "add"). */
static void
add_opts(int argc, char **argv, struct subarg *a)
{
	char why[128];
	int ch;

	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", alert_opts_subs_add, NULL)) != -1) {
		if (ch == 's' && a->nslugs == PAGE_SUB_SLUGS_MAX)
			errx(MCP_EXIT_USAGE, "subscribers add: more than %d slugs (--all)",
			    PAGE_SUB_SLUGS_MAX);
		else if (ch == 's' && !mcp_slug_ok(optarg))
			errx(MCP_EXIT_USAGE, "subscribers add: --slug %s: bad slug", optarg);
		else if (ch == 's')
			a->slugs[a->nslugs++] = optarg;
		else if (ch == 'a')
			a->all = 1;
		else if (ch == 'n' && post_text(a->name = optarg, 64, 0, why, sizeof(why)) == -1)
			errx(MCP_EXIT_USAGE, "subscribers add: --name: %s (at most 64 bytes)", why);
		else if (ch == 'k')
			a->secret_file = optarg;
		else if (ch == '?')
			alert_usage_exit("subscribers", "add",
			    "subscribers add: %s: unknown option", argv[optind - 1]);
	}
	/* The words were counted (alert_cli_check). */
	if (argc - optind != 2)
		alert_usage_exit(
		    "subscribers", "add", "subscribers add: want webhook or slack, and URL");
	a->kind = argv[optind], a->url = argv[optind + 1];
	if (strcmp(a->kind, "webhook") != 0 && strcmp(a->kind, "slack") != 0)
		alert_usage_exit("subscribers", "add",
		    "subscribers add: %s: unknown kind (webhook or slack)", a->kind);
	if (a->secret_file != NULL && strcmp(a->kind, "webhook") != 0)
		alert_usage_exit("subscribers", "add",
		    "subscribers add: --secret-file: a webhook's, not %s's", a->kind);
	if ((a->nslugs == 0) == !a->all)
		errx(MCP_EXIT_USAGE, "subscribers add: want --slug SLUG... or --all");
}

/* The URL, from the argument or a file of mode 600 (url_file=PATH); owned. */
static char *
hook_url(const char *arg)
{
	char why[256], *u;

	if (strncmp(arg, "url_file=", 9) == 0) {
		if ((u = mcp_secret_read(arg + 9, why, sizeof(why))) == NULL)
			errx(MCP_EXIT_USAGE, "subscribers add: %s: %s", arg + 9, why);
	} else if ((u = strdup(arg)) == NULL)
		err(MCP_EXIT_FAIL, "strdup");
	if ((strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) || strlen(u) > 2000 ||
	    strpbrk(u, " \t\r\n") != NULL)
		errx(MCP_EXIT_USAGE, "subscribers add: not an http(s) URL");
	return u;
}

/* A webhook's key: the file's, or 24 random bytes as "whsec_" and base64 (*made set). */
static char *
hook_secret(const char *file, int *made)
{
	unsigned char raw[24], key[ALERT_KEY_MAX];
	char why[256], *s;
	int n;

	*made = file == NULL;
	if (file != NULL) {
		if ((s = mcp_secret_read(file, why, sizeof(why))) == NULL)
			errx(MCP_EXIT_USAGE, "subscribers add: %s: %s", file, why);
		n = alert_webhook_key(s, key, sizeof(key));
		explicit_bzero(key, sizeof(key));
		if (n <= 0)
			errx(MCP_EXIT_USAGE, "subscribers add: %s: not a key (whsec_BASE64)", file);
		return s;
	}
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		err(MCP_EXIT_FAIL, "getrandom");
	if ((s = malloc(6 + 4 * sizeof(raw) / 3 + 1)) == NULL)
		err(MCP_EXIT_FAIL, "malloc");
	memcpy(s, "whsec_", 6);
	EVP_EncodeBlock((unsigned char *)s + 6, raw, sizeof(raw));
	explicit_bzero(raw, sizeof(raw));
	return s;
}

/* The subscriber's record, as list --json prints it (secret: printed once, when made). */
static cJSON *
sub_record(const char *id, const char *kind, const char *slugs, double since, const char *name)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char *copy, *p, *save = NULL;

	cJSON_AddNumberToObject(o, "v", 1);
	cJSON_AddStringToObject(o, "type", "subscriber");
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddBoolToObject(o, "all", strcmp(slugs, "*") == 0);
	a = cJSON_AddArrayToObject(o, "slugs");
	if ((copy = strdup(slugs)) == NULL)
		err(MCP_EXIT_FAIL, "strdup");
	for (p = strtok_r(copy, " ", &save); p != NULL && strcmp(slugs, "*") != 0;
	     p = strtok_r(NULL, " ", &save))
		if (mcp_slug_ok(p))
			cJSON_AddItemToArray(a, cJSON_CreateString(p));
	free(copy);
	cJSON_AddNumberToObject(o, "since", since);
	if (name != NULL && *name != '\0')
		cJSON_AddStringToObject(o, "name", name);
	return o;
}

static int
subs_add(struct mcp_store *st, int argc, char **argv)
{
	struct subarg a;
	char id[PAGE_ID_HEX + 2], key[64], slugs[PAGE_SUB_SLUGS_MAX * (MCP_SLUG_MAX + 1) + 2],
	    since[32], ekeys[PAGE_SUB_SLUGS_MAX][MCP_SLUG_MAX + 32], err2[256];
	const char *ev[PAGE_SUB_SLUGS_MAX + 16];
	double now = mcp_ms_round(mcp_now());
	char *url, *secret = NULL;
	redisReply *r;
	cJSON *o;
	int i, k = 0, made = 0, rc = MCP_EXIT_FAIL;
	size_t u = 0;

	add_opts(argc, argv, &a);
	url = hook_url(a.url);
	if (strcmp(a.kind, "webhook") == 0)
		secret = hook_secret(a.secret_file, &made);
	id[0] = a.kind[0] == 'w' ? 'w' : 'k';
	alert_hex_random(id + 1, PAGE_ID_HEX / 2);
	snprintf(key, sizeof(key), PAGE_SUB "%s", id);
	slugs[0] = '\0';
	for (i = 0; i < a.nslugs; i++)
		u += (size_t)snprintf(
		    slugs + u, sizeof(slugs) - u, "%s%s", i ? " " : "", a.slugs[i]);
	if (a.all)
		snprintf(slugs, sizeof(slugs), "*");
	snprintf(since, sizeof(since), "%.3f", now);
	ev[k++] = "EVAL", ev[k++] = add_lua, ev[k++] = NULL, ev[k++] = key, ev[k++] = PAGE_SUBS;
	ev[k++] = PAGE_HOOKS;
	if (a.all)
		ev[k++] = PAGE_SUBS_WHOLE;
	for (i = 0; i < a.nslugs; i++) {
		snprintf(ekeys[i], sizeof(ekeys[i]), PAGE_SUBS_SLUG "%s", a.slugs[i]);
		ev[k++] = ekeys[i];
	}
	snprintf(err2, sizeof(err2), "%d", k - 3);
	ev[2] = err2;
	ev[k++] = id, ev[k++] = a.kind, ev[k++] = url, ev[k++] = secret ? secret : "";
	ev[k++] = a.name ? a.name : "", ev[k++] = slugs, ev[k++] = since;
	if ((r = alert_cmd(st, k, ev)) != NULL) {
		if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
			o = sub_record(id, a.kind, slugs, now, a.name);
			/* Made here: the receiver needs it, and it is shown this once. */
			if (made)
				cJSON_AddStringToObject(o, "secret", secret);
			rc = mcp_rec_write(stdout, o, err2, sizeof(err2)) == -1
			    ? (mcp_stdout_failed(), MCP_EXIT_FAIL)
			    : MCP_EXIT_OK;
			cJSON_Delete(o);
		} else
			warnx("subscribers add: %s",
			    r->integer == -1
			        ? "there are " PAGE_STR(PAGE_HOOKS_MAX) " webhook and Slack "
			                                                "subscribers already"
			        : "there are " PAGE_STR(PAGE_SUBS_MAX) " subscribers already");
		freeReplyObject(r);
	}
	explicit_bzero(url, strlen(url));
	free(url);
	if (secret != NULL)
		explicit_bzero(secret, strlen(secret));
	free(secret);
	return rc;
}

/* --- subscribers list and remove ---------------------------------------------------- */

/* The host of a URL, for a listing (a Slack URL is a secret: its path is not shown). */
static void
url_host(char *buf, size_t len, const char *u)
{
	const char *h = strstr(u, "://");

	h = h != NULL ? h + 3 : u;
	snprintf(buf, len, "%.*s", (int)strcspn(h, "/?#"), h);
}

static int
sub_print(const char *id, redisReply *h, int json)
{
	const char *kind = page_reply_str(h->element[0]), *slugs = page_reply_str(h->element[4]);
	char where[300], when[32], err[256];
	double since = atof(page_reply_str(h->element[5]));
	cJSON *o;
	int rc = 0;

	if (strcmp(kind, "email") == 0)
		snprintf(where, sizeof(where), "%s", page_reply_str(h->element[1]));
	else
		url_host(where, sizeof(where), page_reply_str(h->element[2]));
	if (json) {
		o = sub_record(id, kind, slugs, since, page_reply_str(h->element[3]));
		cJSON_AddStringToObject(o, strcmp(kind, "email") == 0 ? "address" : "host", where);
		if ((rc = mcp_rec_write(stdout, o, err, sizeof(err))) == -1)
			mcp_stdout_failed();
		cJSON_Delete(o);
		return rc;
	}
	mcp_iso8601(since, when, sizeof(when));
	printf("%-18s %-8s %-20s %-30s %s\n", id, kind, when, where,
	    strcmp(slugs, "*") == 0 ? "(every server)" : slugs);
	return 0;
}

static int
subs_list(struct mcp_store *st, int json)
{
	const char *members[] = {"SMEMBERS", PAGE_SUBS};
	static char keys[ALERT_PIPE_MAX][64];
	static const char *hm[ALERT_PIPE_MAX][8];
	struct alert_pipe p;
	redisReply *r;
	size_t i, j, n;
	int rc = MCP_EXIT_OK;

	if ((r = alert_cmd(st, 2, members)) == NULL)
		return MCP_EXIT_FAIL;
	if (!json)
		printf("%-18s %-8s %-20s %-30s %s\n", "ID", "KIND", "SINCE", "WHERE", "SLUGS");
	for (i = 0; i < r->elements && rc == MCP_EXIT_OK; i += n) {
		n = r->elements - i < ALERT_PIPE_MAX ? r->elements - i : ALERT_PIPE_MAX;
		memset(&p, 0, sizeof(p));
		for (j = 0; j < n; j++) {
			snprintf(keys[j], sizeof(keys[j]), PAGE_SUB "%.20s",
			    page_reply_str(r->element[i + j]));
			hm[j][0] = "HMGET", hm[j][1] = keys[j], hm[j][2] = "kind",
			hm[j][3] = "addr";
			hm[j][4] = "url", hm[j][5] = "name", hm[j][6] = "slugs", hm[j][7] = "since";
			p.argv[p.n] = hm[j], p.argc[p.n++] = 8;
		}
		if (alert_pipe_run(st, &p) == -1) {
			rc = MCP_EXIT_FAIL;
			break;
		}
		for (j = 0; j < n && rc == MCP_EXIT_OK; j++)
			if (p.r[j]->type == REDIS_REPLY_ARRAY && p.r[j]->elements == 6 &&
			    *page_reply_str(p.r[j]->element[0]) != '\0' &&
			    sub_print(page_reply_str(r->element[i + j]), p.r[j], json) == -1)
				rc = MCP_EXIT_FAIL;
		alert_pipe_free(&p);
	}
	freeReplyObject(r);
	return rc;
}

static int
subs_remove(struct mcp_store *st, const char *id)
{
	char key[64];
	const char *ev[] = {"EVAL", remove_lua, "1", key, id};
	redisReply *r;
	int gone;

	if (!mcp_page_id_ok(id))
		errx(MCP_EXIT_USAGE, "subscribers remove: %s: not a subscriber's id", id);
	snprintf(key, sizeof(key), PAGE_SUB "%s", id);
	if ((r = alert_cmd(st, 5, ev)) == NULL)
		return MCP_EXIT_FAIL;
	gone = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
	freeReplyObject(r);
	if (!gone) {
		warnx("subscribers remove: %s: no such subscriber", id);
		return MCP_EXIT_FAIL;
	}
	return MCP_EXIT_OK;
}

int
alert_subs_main(struct mcp_store *st, const struct alert_conf *c, int argc, char **argv)
{
	(void)c;
	/* The words were checked (alert_cli_check). */
	argc--, argv++;
	if (argc > 0 && strcmp(argv[0], "add") == 0)
		return subs_add(st, argc, argv);
	if (argc > 0 && strcmp(argv[0], "list") == 0)
		return subs_list(st, alert_json_arg(argc, argv));
	if (argc == 2 && strcmp(argv[0], "remove") == 0)
		return subs_remove(st, argv[1]);
	alert_usage_exit("subscribers", NULL, NULL);
}
