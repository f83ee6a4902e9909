/*
 * subscribe.c - the only routes that write to the store: a reader's
 * subscription (POST /subscribe, queued for mcp-alert, which sends the
 * one confirmation message), its confirmation (POST /subscribe/confirm)
 * and its end (POST /unsubscribe, RFC 8058 one-click).  Each checks its
 * body's declared length before reading a byte of it, counts its client
 * (REMOTE_ADDR; an IPv6 client by its /64) and, for a request, its network
 * (an IPv4 /24, an IPv6 /48), and answers a request for an address the
 * same whether or not it is subscribed.  A request names the address by
 * its hash; the address is kept in its record (mcp:{page}:ask:HASH) alone.  The GET of each is a
 * page with a button: a link followed by a mail scanner changes nothing.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "json.h"
#include "notices.h"
#include "sha256.h"

/* --- the request ---------------------------------------------------------------- */

/*
 * The client and its network, as the limits count them: an IPv4 address
 * and its /24, an IPv6 /64 and its /48 (an IPv4 address mapped into IPv6
 * is that address), else "unknown" for both; /mcp's bounds count the same.
 */
void
serve_client_of(const char *remote, char *buf, size_t len, char *net, size_t netlen)
{
	unsigned char a[16];
	size_t i, u;

	if (remote != NULL && inet_pton(AF_INET, remote, a) == 1) {
		memmove(a + 12, a, 4);
		memcpy(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
	} else if (remote == NULL || inet_pton(AF_INET6, remote, a) != 1) {
		snprintf(buf, len, "unknown");
		snprintf(net, netlen, "unknown");
		return;
	}
	if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		snprintf(buf, len, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
		snprintf(net, netlen, "%u.%u.%u.0/24", a[12], a[13], a[14]);
		return;
	}
	u = (size_t)snprintf(buf, len, "v6:");
	for (i = 0; i < 8 && u + 3 <= len; i++)
		u += (size_t)snprintf(buf + u, len - u, "%02x", a[i]);
	snprintf(net, netlen, "%.15s/48", buf);
}

/*
 * HOST[:PORT] of an authority into host and *port (dflt when it names
 * none): 0, or -1 when it is not one (an IPv6 literal keeps its brackets).
 */
static int
authority(const char *a, size_t n, char *host, size_t len, long *port, long dflt)
{
	const char *colon = NULL, *end = a + n;
	char *e;

	if (n == 0 || n >= len)
		return -1;
	if (a[0] == '[') {
		const char *rb = memchr(a, ']', n);

		if (rb == NULL)
			return -1;
		colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
	} else
		colon = memchr(a, ':', n);
	*port = dflt;
	if (colon != NULL) {
		*port = strtol(colon + 1, &e, 10);
		if (e != end || colon + 1 == end || *port <= 0 || *port > 65535)
			return -1;
		end = colon;
	}
	snprintf(host, len, "%.*s", (int)(end - a), a);
	return 0;
}

/*
 * The form was posted from this site (CSRF): its Origin, else its
 * Referer's origin, is one the configuration names (origin lines), or,
 * when it names none, has the request's own host (HTTP_HOST) and port
 * (HTTP_HOST's, else the server's own, SERVER_PORT).  A browser sends
 * Origin with every POST; a request without either is refused.
 */
static int
same_origin(const struct req *q)
{
	const char *o = q->origin, *auth;
	char ref[512], oh[256], hh[256];
	long op, hp, dflt;
	size_t n;

	if (q->fetch_site != NULL && strcmp(q->fetch_site, "cross-site") == 0)
		return 0;
	if ((o == NULL || *o == '\0') && q->referer != NULL) {
		auth = strstr(q->referer, "://");
		n = auth != NULL ? (size_t)(auth + 3 - q->referer) + strcspn(auth + 3, "/?#") : 0;
		if (n == 0 || n >= sizeof(ref))
			return 0;
		snprintf(ref, sizeof(ref), "%.*s", (int)n, q->referer);
		o = ref;
	}
	if (o == NULL || *o == '\0' || strcmp(o, "null") == 0)
		return 0;
	if (serve_conf_origins() > 0)
		return serve_conf_origin(o);
	if (strncmp(o, "https://", 8) == 0)
		auth = o + 8, dflt = 443;
	else if (strncmp(o, "http://", 7) == 0)
		auth = o + 7, dflt = 80;
	else
		return 0;
	if (q->host == NULL || authority(auth, strlen(auth), oh, sizeof(oh), &op, dflt) == -1 ||
	    authority(q->host, strlen(q->host), hh, sizeof(hh), &hp,
	        q->port != NULL ? strtol(q->port, NULL, 10) : dflt) == -1)
		return 0;
	return strcasecmp(oh, hh) == 0 && op == hp;
}

/* The body a form route takes: 0, or the status it is refused with. */
static int
form_check(const struct req *q)
{
	size_t n;

	if (q->clen < 0)
		return 411;
	if (q->clen > SUB_BODY_MAX || q->body == NULL)
		return 413;
	if (q->ctype == NULL)
		return 415;
	n = strcspn(q->ctype, "; \t");
	if (n != 33 || strncasecmp(q->ctype, "application/x-www-form-urlencoded", n) != 0)
		return 415;
	return 0;
}

/* The fields of a subscription form. */
struct form {
	char email[PAGE_ADDR_MAX + 2];
	char slugs[PAGE_SUB_SLUGS_MAX][MCP_SLUG_MAX + 2];
	const char *slugp[PAGE_SUB_SLUGS_MAX];
	int nslugs, all, bad;
	char t[PAGE_TOKEN_HEX + 2];
};

/*
 * Each k=v of a form body (or a query) into f: a field of ours malformed,
 * or longer than it may be, sets bad; any other field is passed over.
 */
static void
form_parse(const char *s, size_t len, struct form *f)
{
	char key[16], val[SUB_BODY_MAX + 1];
	const char *p = s, *end = s + len, *amp, *eq;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		amp = amp != NULL ? amp : end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL || serve_decode_form(p, (size_t)(eq - p), key, sizeof(key)) == -1 ||
		    (strcmp(key, "email") != 0 && strcmp(key, "all") != 0 &&
		        strcmp(key, "t") != 0 && strcmp(key, "slug") != 0 &&
		        strcmp(key, "slugs") != 0))
			; /* not a field of ours */
		else if (serve_decode_form(eq + 1, (size_t)(amp - eq - 1), val, sizeof(val)) == -1)
			f->bad = 1;
		else if (strcmp(key, "email") == 0 && strlen(val) > PAGE_ADDR_MAX)
			f->bad = 1;
		else if (strcmp(key, "email") == 0)
			snprintf(f->email, sizeof(f->email), "%s", val);
		else if (strcmp(key, "all") == 0)
			f->all = 1;
		else if (strcmp(key, "t") == 0)
			snprintf(f->t, sizeof(f->t), "%.*s", PAGE_TOKEN_HEX + 1, val);
		else if (strcmp(key, "slug") == 0 || strcmp(key, "slugs") == 0) {
			char *w, *save = NULL;

			/* One slug a field, or several separated by blanks. */
			for (w = strtok_r(val, " \t,", &save); w != NULL;
			     w = strtok_r(NULL, " \t,", &save)) {
				int dup = 0, i;

				for (i = 0; i < f->nslugs; i++)
					dup |= strcmp(f->slugs[i], w) == 0;
				if (dup)
					continue;
				if (!mcp_slug_ok(w) || f->nslugs == PAGE_SUB_SLUGS_MAX) {
					f->bad = 1;
					break;
				}
				snprintf(f->slugs[f->nslugs], sizeof(f->slugs[0]), "%s", w);
				f->slugp[f->nslugs] = f->slugs[f->nslugs];
				f->nslugs++;
			}
		}
		p = amp + 1;
	}
}

static int
token_ok(const char *t)
{
	return strlen(t) == PAGE_TOKEN_HEX && strspn(t, "0123456789abcdef") == PAGE_TOKEN_HEX;
}

/* A script's reply {code, n}: code, n into *arg; -3 when the store failed. */
static int
run_script(struct conn *c, int argc, const char **argv, long long *arg, char *str, size_t len)
{
	const char **v[] = {argv};
	redisReply *rep[1];
	int code = -3;

	if (serve_query(c, 1, &argc, v, rep) != SR_OK)
		return -3;
	if (rep[0]->type == REDIS_REPLY_ARRAY && rep[0]->elements >= 1 &&
	    rep[0]->element[0]->type == REDIS_REPLY_INTEGER) {
		code = (int)rep[0]->element[0]->integer;
		if (rep[0]->elements > 1 && rep[0]->element[1]->type == REDIS_REPLY_INTEGER)
			*arg = rep[0]->element[1]->integer;
		if (rep[0]->elements > 1 && rep[0]->element[1]->type == REDIS_REPLY_STRING && str)
			snprintf(str, len, "%s", rep[0]->element[1]->str);
	} else if (rep[0]->type == REDIS_REPLY_ERROR)
		serve_log(c, "redis: %s", rep[0]->str);
	serve_free_replies(rep, 1);
	return code;
}

/*
 * Too many from this client (-1: 429, Retry-After), too many at all or the
 * page not taking subscriptions (-2, -4: 503).
 */
static void
refused(struct resp *r, int code, long long ttl)
{
	serve_sub_page(r, SP_BAD, NULL, 0, NULL, NULL,
	    code == -1       ? "Too many requests from your network: try again later."
	        : code == -4 ? "This page takes no subscriptions by email at the moment."
	                     : "Too many requests at the moment: try again later.");
	r->status = code == -1 ? 429 : 503;
	r->retry_after = ttl > 0 && ttl <= 86400 ? (int)ttl : 60;
}

/* Every slug of the form is a server of the index: 1, 0 (one is not: its name in why), -1. */
static int
slugs_known(struct conn *c, const struct form *f, char *why, size_t len)
{
	const char *argv[PAGE_SUB_SLUGS_MAX][3], **v[PAGE_SUB_SLUGS_MAX];
	int argc[PAGE_SUB_SLUGS_MAX], i, ok = 1;
	redisReply *rep[PAGE_SUB_SLUGS_MAX];

	if (f->nslugs == 0)
		return 1;
	for (i = 0; i < f->nslugs; i++) {
		argv[i][0] = "ZSCORE", argv[i][1] = "mcp:slugs", argv[i][2] = f->slugs[i];
		v[i] = argv[i], argc[i] = 3;
	}
	if (serve_query(c, (size_t)f->nslugs, argc, v, rep) != SR_OK)
		return -1;
	for (i = 0; i < f->nslugs && ok; i++)
		if (rep[i]->type != REDIS_REPLY_STRING) {
			snprintf(why, len, "No server is named %s here.", f->slugs[i]);
			ok = 0;
		}
	serve_free_replies(rep, (size_t)f->nslugs);
	return ok;
}

/*
 * The request as mcp-alert drains it (fanout.c), naming the address by its
 * hash ah (the address is kept in its record alone); owned.
 */
static char *
request_json(const struct form *f, const char *ah, double now)
{
	struct mcp_buf b = {0};
	int i, rc;

	rc = mcp_buf_addf(&b, "{\"h\":\"%s\",\"s\":[", ah);
	for (i = 0; i < f->nslugs; i++)
		rc |= mcp_buf_addf(&b, "%s\"%s\"", i ? "," : "", f->slugs[i]);
	rc |= mcp_buf_addf(&b, "],\"all\":%s,\"at\":", f->all ? "true" : "false") |
	    mcp_json_addnum(&b, mcp_ms_round(now)) | mcp_buf_addc(&b, '}');
	if (rc != 0) {
		mcp_buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* The form's fields checked: 1, 0 (the reason in why), -1 when the store failed. */
static int
sub_form(struct conn *c, const struct req *q, struct form *f, char *why, size_t len)
{
	int i;

	form_parse(q->body, q->body_len, f);
	for (i = 0; f->email[i] != '\0'; i++)
		f->email[i] = (char)tolower((unsigned char)f->email[i]);
	if (f->bad || !mcp_page_addr_ok(f->email))
		snprintf(why, len, "%s",
		    f->bad ? "The form is malformed."
		           : "That is not an email address we can take.");
	else if (f->nslugs == 0 && !f->all)
		snprintf(why, len, "Choose a server, or every server.");
	else if (slugs_known(c, f, why, len) == -1)
		return -1;
	if (f->all)
		f->nslugs = 0;
	return why[0] == '\0';
}

static void
sub_post(struct conn *c, const struct req *q, struct resp *r)
{
	char client[64], net[64], kc[128], kn[128], ka[128], ah[MCP_SHA256_HEX], now[32],
	    why[160] = "", *json;
	const char *argv[] = {"EVAL", serve_subscribe_lua, "6", kc, kn, ka, PAGE_REQUESTS,
	    PAGE_LIMIT "all", PAGE_OPEN, NULL, NULL, now, net};
	struct form f = {0};
	long long ttl = 0;
	int code;

	if ((code = form_check(q)) != 0 || (!same_origin(q) && (code = 403))) {
		serve_sub_page(r, SP_BAD, NULL, 0, NULL, NULL,
		    code == 403 ? "This form is taken from this site's own pages only."
		                : "This is not a subscription form.");
		r->status = code;
		return;
	}
	if ((code = sub_form(c, q, &f, why, sizeof(why))) != 1) {
		explicit_bzero(f.email, sizeof(f.email));
		if (code == -1) {
			serve_unavailable(r);
			return;
		}
		serve_sub_page(r, SP_BAD, NULL, 0, NULL, NULL, why);
		r->status = 400;
		return;
	}
	serve_client_of(q->remote, client, sizeof(client), net, sizeof(net));
	mcp_sha256_hex(f.email, strlen(f.email), ah);
	snprintf(kc, sizeof(kc), PAGE_LIMIT "client:%s", client);
	snprintf(kn, sizeof(kn), PAGE_LIMIT "net:%s", net);
	snprintf(ka, sizeof(ka), PAGE_ASK "%s", ah);
	snprintf(now, sizeof(now), "%.3f", q->now);
	if ((json = request_json(&f, ah, q->now)) == NULL) {
		explicit_bzero(f.email, sizeof(f.email));
		serve_error(r, 500, "out of memory", NULL);
		return;
	}
	argv[9] = json, argv[10] = f.email;
	code = run_script(c, 13, argv, &ttl, NULL, 0);
	free(json);
	explicit_bzero(f.email, sizeof(f.email));
	if (code == -3)
		serve_unavailable(r);
	else if (code < 0)
		refused(r, code, ttl);
	else
		/* Queued or not (an address asked for enough in its day): the same answer. */
		serve_sub_page(r, SP_SENT, f.slugp, f.all ? -1 : f.nslugs, NULL, NULL, NULL);
}

static void
confirm_post(struct conn *c, const struct req *q, struct resp *r)
{
	char client[64], net[64], kc[128], kp[128], th[MCP_SHA256_HEX], id[PAGE_ID_HEX + 2],
	    unsub[PAGE_TOKEN_HEX + 1], now[32], slugs[PAGE_SUB_SLUGS_MAX * (MCP_SLUG_MAX + 1) + 2];
	const char *argv[] = {"EVAL", serve_confirm_lua, "2", kc, kp, id, unsub, now};
	const char *list[PAGE_SUB_SLUGS_MAX];
	unsigned char raw[PAGE_TOKEN_HEX / 2 + PAGE_ID_HEX / 2];
	struct form f = {0};
	long long ttl = 0;
	char *save = NULL, *w;
	int code, n = 0;
	size_t i;

	if ((code = form_check(q)) != 0) {
		serve_sub_page(r, SP_BAD, NULL, 0, NULL, NULL, "This is not a confirmation.");
		r->status = code;
		return;
	}
	form_parse(q->body, q->body_len, &f);
	if (f.bad || !token_ok(f.t)) {
		serve_sub_page(r, SP_EXPIRED, NULL, 0, NULL, NULL, NULL);
		return;
	}
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		serve_error(r, 500, "no randomness", NULL);
		return;
	}
	id[0] = 'e';
	for (i = 0; i < PAGE_ID_HEX / 2; i++)
		snprintf(id + 1 + 2 * i, 3, "%02x", raw[i]);
	for (i = 0; i < PAGE_TOKEN_HEX / 2; i++)
		snprintf(unsub + 2 * i, 3, "%02x", raw[PAGE_ID_HEX / 2 + i]);
	explicit_bzero(raw, sizeof(raw));
	snprintf(now, sizeof(now), "%.3f", q->now);
	serve_client_of(q->remote, client, sizeof(client), net, sizeof(net));
	snprintf(kc, sizeof(kc), PAGE_LIMIT "token:%s", client);
	mcp_sha256_hex(f.t, strlen(f.t), th);
	snprintf(kp, sizeof(kp), PAGE_PENDING "%s", th);
	code = run_script(c, 8, argv, &ttl, slugs, sizeof(slugs));
	explicit_bzero(unsub, sizeof(unsub));
	if (code == -3)
		serve_unavailable(r);
	else if (code == -1 || code == -2)
		refused(r, code, ttl);
	else if (code == 0)
		serve_sub_page(r, SP_EXPIRED, NULL, 0, NULL, NULL, NULL);
	else {
		for (w = strtok_r(slugs, " ", &save); w != NULL && n < PAGE_SUB_SLUGS_MAX;
		     w = strtok_r(NULL, " ", &save))
			if (strcmp(w, "*") == 0 || mcp_slug_ok(w))
				list[n++] = w;
		serve_sub_page(r, SP_CONFIRMED, list, n == 1 && strcmp(list[0], "*") == 0 ? -1 : n,
		    NULL, NULL, NULL);
	}
}

/* The subscriber and token of an unsubscribe link's query: 0, or -1 when malformed. */
static int
unsub_query(const char *qs, char *id, size_t idlen, char *t, size_t tlen)
{
	return serve_query_get(qs, "s", id, idlen) == 1 && mcp_page_id_ok(id) && id[0] == 'e' &&
	        serve_query_get(qs, "t", t, tlen) == 1 && token_ok(t)
	    ? 0
	    : -1;
}

static void
unsub_post(struct conn *c, const struct req *q, struct resp *r)
{
	char client[64], net[64], kc[128], ks[128], id[PAGE_ID_HEX + 3], t[PAGE_TOKEN_HEX + 2];
	const char *argv[] = {"EVAL", serve_unsub_lua, "2", kc, ks, id, t};
	long long ttl = 0;
	int code = 0;

	/* RFC 8058: the body is "List-Unsubscribe=One-Click", as a form or multipart. */
	if (q->clen > SUB_BODY_MAX || q->body == NULL) {
		serve_sub_page(r, SP_BAD, NULL, 0, NULL, NULL, "This is not an unsubscription.");
		r->status = q->clen < 0 ? 411 : 413;
		return;
	}
	if (unsub_query(q->query, id, sizeof(id), t, sizeof(t)) == 0) {
		serve_client_of(q->remote, client, sizeof(client), net, sizeof(net));
		snprintf(kc, sizeof(kc), PAGE_LIMIT "token:%s", client);
		snprintf(ks, sizeof(ks), PAGE_SUB "%s", id);
		code = run_script(c, 7, argv, &ttl, NULL, 0);
	}
	if (code == -3)
		serve_unavailable(r);
	else if (code == -1)
		refused(r, code, ttl);
	else
		/* Unsubscribed, or never was, or the link was wrong: the same answer. */
		serve_sub_page(r, SP_GONE, NULL, 0, NULL, NULL, NULL);
}

/* /subscribe, /subscribe/confirm and /unsubscribe, each method. */
void
serve_subscription(struct conn *c, const struct req *q, struct resp *r, int route)
{
	char t[PAGE_TOKEN_HEX + 2], id[PAGE_ID_HEX + 3];
	struct form f = {0};

	if (strcmp(q->method, "POST") == 0) {
		if (route == 0)
			sub_post(c, q, r);
		else if (route == 1)
			confirm_post(c, q, r);
		else
			unsub_post(c, q, r);
		return;
	}
	if (route == 0) {
		form_parse(q->query, strlen(q->query), &f);
		serve_sub_page(
		    r, SP_FORM, f.slugp, f.bad || f.nslugs == 0 ? -1 : f.nslugs, NULL, NULL, NULL);
	} else if (route == 1) {
		if (serve_query_get(q->query, "t", t, sizeof(t)) == 1 && token_ok(t))
			serve_sub_page(r, SP_CONFIRM, NULL, 0, t, NULL, NULL);
		else
			serve_sub_page(r, SP_EXPIRED, NULL, 0, NULL, NULL, NULL);
	} else {
		char query[PAGE_ID_HEX + PAGE_TOKEN_HEX + 16];

		/* The button posts to the link as checked, never to the query as sent. */
		if (unsub_query(q->query, id, sizeof(id), t, sizeof(t)) == 0 &&
		    (size_t)snprintf(query, sizeof(query), "s=%s&t=%s", id, t) < sizeof(query))
			serve_sub_page(r, SP_UNSUB, NULL, 0, NULL, query, NULL);
		else {
			serve_sub_page(
			    r, SP_BAD, NULL, 0, NULL, NULL, "This unsubscribe link is not whole.");
			r->status = 400;
		}
	}
}
