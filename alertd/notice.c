/*
 * notice.c - what a subscriber of the status page receives: the notice
 * record (a post, an update, its resolution, a maintenance window
 * announced, started or ended, an automatic incident), and its forms: the
 * message to an address (threaded per post, with its unsubscribe link and
 * RFC 8058 one-click List-Unsubscribe), the confirmation message of a
 * request, and the Slack body.  A webhook receives the record itself.
 *
 * Everything a post's author wrote reaches a header only through
 * alert_mail_header (one line, RFC 2047 words), and the body only
 * quoted-printable.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "notice.h"
#include "routes/routes.h"

cJSON *
notice_new(const char *event, double at)
{
	char id[33];
	cJSON *n;

	alert_hex_random(id, 16);
	if ((n = cJSON_CreateObject()) == NULL)
		err(MCP_EXIT_FAIL, "cJSON");
	cJSON_AddNumberToObject(n, "v", 1);
	cJSON_AddStringToObject(n, "type", "notice");
	cJSON_AddStringToObject(n, "id", id);
	cJSON_AddStringToObject(n, "event", event);
	cJSON_AddNumberToObject(n, "at", mcp_ms_round(at));
	return n;
}

char *
notice_text(cJSON *n, char *idbuf, size_t idlen)
{
	snprintf(idbuf, idlen, "%s", alert_str(n, "id"));
	return alert_print(n);
}

/* Store and queue a notice alone (the maintenance windows' and the incidents' have scripts of their own). */
int
notice_queue(struct mcp_store *st, cJSON *n)
{
	static const char lua[] = NOTICE_LUA("1", "2", "1", "2");
	char id[40], key[80], *s = notice_text(n, id, sizeof(id));
	const char *argv[] = {"EVAL", lua, "2", key, PAGE_NOTICES, s, id};
	redisReply *r;

	snprintf(key, sizeof(key), PAGE_NOTICE "%s", id);
	r = alert_cmd(st, 7, argv);
	free(s);
	if (r == NULL)
		return -1;
	freeReplyObject(r);
	return 0;
}

/* --- the words of a notice -------------------------------------------------------- */

/* "Investigating" */
static const char *
state_word(const char *s)
{
	static const char *const w[POST_STATES] = {
	    "Investigating", "Identified", "Monitoring", "Resolved"};
	int i = post_state(s);

	return i >= 0 ? w[i] : "";
}

/* The slugs of a notice, "a, b and c", or "every server" (at most 8 named). */
static void
slugs_text(struct mcp_buf *b, const cJSON *n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(n, "slugs"), *e;
	int k = 0, all = cJSON_GetArraySize(a);

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(n, "all")) || all == 0) {
		mcp_buf_adds(b, "every server");
		return;
	}
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(e) || !mcp_slug_ok(e->valuestring))
			continue;
		if (k == 8) {
			mcp_buf_addf(b, " and %d more", all - k);
			break;
		}
		mcp_buf_addf(b, "%s%s",
		    k == 0             ? ""
		        : k == all - 1 ? " and "
		                       : ", ",
		    e->valuestring);
		k++;
	}
}

/* "2026-11-24 16:00 UTC" of member k, or "". */
static void
time_text(char *buf, size_t len, const cJSON *n, const char *k)
{
	char iso[32];
	double t = mcp_json_num(n, k);

	buf[0] = '\0';
	if (t > 0 && t <= ALERT_TIME_MAX && mcp_iso8601(t, iso, sizeof(iso)) == 0)
		snprintf(buf, len, "%.10s %.5s UTC", iso, iso + 11);
}

/* The subject of a notice, and its one-line heading. */
static void
subject(struct mcp_buf *s, const cJSON *n)
{
	const char *ev = alert_str(n, "event");
	char from[40], to[40];
	struct mcp_buf who = {0};

	slugs_text(&who, n);
	time_text(from, sizeof(from), n, "start");
	time_text(to, sizeof(to), n, "end");
	if (strncmp(ev, "maintenance-", 12) == 0)
		mcp_buf_addf(s, "Maintenance %s: %s, %s to %s",
		    strcmp(ev, "maintenance-scheduled") == 0     ? "scheduled"
		        : strcmp(ev, "maintenance-started") == 0 ? "started"
		                                                 : "ended",
		    who.p, from, to);
	else if (strncmp(ev, "incident-", 9) == 0 || strcmp(ev, "readiness-worse") == 0)
		mcp_buf_addf(s, "[%s] %s", who.p, alert_str(n, "title"));
	else
		mcp_buf_addf(s, "[%s] %s: %s", who.p, alert_str(n, "title"),
		    state_word(alert_str(n, "state")));
	mcp_buf_free(&who);
}

/* The body of a notice, LF lines: what happened, the text, where to follow it. */
static void
body(struct mcp_buf *t, const struct alert_conf *c, const cJSON *n)
{
	char when[40], link[1024];
	const char *ev = alert_str(n, "event"), *text;
	struct mcp_buf s = {0};

	subject(&s, n);
	alert_mail_line(t, s.p);
	mcp_buf_adds(t, "\n\nAffects:  ");
	slugs_text(t, n);
	mcp_buf_addc(t, '\n');
	if (*alert_str(n, "state") != '\0')
		mcp_buf_addf(t, "State:    %s\n", state_word(alert_str(n, "state")));
	time_text(when, sizeof(when), n, "at");
	mcp_buf_addf(t, "At:       %s\n\n", when);
	text = strncmp(ev, "maintenance-", 12) == 0 ? alert_str(n, "reason") : alert_str(n, "text");
	/* Its own lines kept: control characters other than LF are spaces. */
	for (; *text != '\0'; text++)
		mcp_buf_addc(t, (unsigned char)*text < ' ' && *text != '\n' ? ' ' : *text);
	notice_link(link, sizeof(link), c->page_url, n);
	if (link[0] != '\0')
		mcp_buf_addf(t, "\n\nFollow it on the status page:\n%s\n", link);
	else
		mcp_buf_addc(t, '\n');
	mcp_buf_free(&s);
}

/* The head every message of the page shares: Date, From, To, Subject. */
static void
head(struct mcp_buf *b, const struct alert_route *r, const char *to, double at, const char *subj)
{
	time_t tt = (time_t)(at > 0 && at <= ALERT_TIME_MAX ? at : mcp_now());
	char date[64];
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	mcp_buf_addf(b, "Date: %s\r\nFrom: %s\r\nTo: %s\r\n", date, r->argv[0], to);
	alert_mail_header(b, "Subject", subj);
}

static const char mime[] = "MIME-Version: 1.0\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "Content-Transfer-Encoding: quoted-printable\r\n"
                           "Auto-Submitted: auto-generated\r\n";

/* The key of a notice's thread: a post's id, a window's slug and start, else none. */
static int
thread_of(char *buf, size_t len, const cJSON *n, const char *sub)
{
	const char *ev = alert_str(n, "event");

	if (*alert_str(n, "post") != '\0')
		return snprintf(buf, len, "post:%s\n%s", alert_str(n, "post"), sub), 1;
	if (strncmp(ev, "maintenance-", 12) == 0)
		return snprintf(buf, len, "maint:%s:%.0f\n%s",
		           alert_str(
		               cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(n, "slugs"), 0),
		               ""),
		           mcp_json_num(n, "start"), sub),
		       1;
	return 0;
}

char *
notice_mail(const struct alert_conf *c, const struct alert_route *r, const char *to,
    const char *sub, const char *unsub, const cJSON *n)
{
	const char *domain = strchr(r->argv[0], '@') + 1;
	const char *ev = alert_str(n, "event");
	char id[128], root[128], key[256];
	struct mcp_buf b = {0}, t = {0}, s = {0};
	int start, thread;

	subject(&s, n);
	head(&b, r, to, mcp_json_num(n, "at"), s.p);
	/* The same message on every attempt: a receiver can drop a second copy. */
	snprintf(key, sizeof(key), "%s\n%s", alert_str(n, "id"), sub);
	alert_mail_msgid(id, sizeof(id), key, domain);
	/* Each post, each window, a thread: its first notice is the root, the rest answer it. */
	start = strcmp(ev, "post") == 0 || strcmp(ev, "maintenance-scheduled") == 0;
	if ((thread = thread_of(key, sizeof(key), n, sub)))
		alert_mail_msgid(root, sizeof(root), key, domain);
	mcp_buf_addf(&b, "Message-ID: %s\r\n", thread && start ? root : id);
	if (thread && !start)
		mcp_buf_addf(&b, "In-Reply-To: %s\r\nReferences: %s\r\n", root, root);
	mcp_buf_adds(&b, mime);
	/* RFC 2369 and RFC 8058: the reader's mail program unsubscribes with one POST. */
	mcp_buf_addf(&b,
	    "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n",
	    unsub);
	body(&t, c, n);
	mcp_buf_addf(&t,
	    "\n-- \nYou receive this because this address subscribed on the status page%s%s.\n"
	    "Unsubscribe (one click, then a button): %s\n",
	    c->page_url ? " " : "", c->page_url ? c->page_url : "", unsub);
	alert_mail_qp(&b, t.p);
	mcp_buf_free(&t);
	mcp_buf_free(&s);
	if (b.p == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	return b.p;
}

char *
notice_confirm_mail(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec)
{
	const char *domain = strchr(r->argv[0], '@') + 1;
	char id[128];
	struct mcp_buf b = {0}, t = {0}, s = {0};

	mcp_buf_adds(&s, "Confirm your subscription to ");
	slugs_text(&s, rec);
	head(&b, r, alert_str(rec, "to"), mcp_json_num(rec, "at"), s.p);
	alert_mail_msgid(id, sizeof(id), alert_str(rec, "token"), domain);
	mcp_buf_addf(&b, "Message-ID: %s\r\n%s\r\n", id, mime);
	mcp_buf_addf(&t,
	    "Someone, hopefully you, asked the status page %s to tell this address of the\n"
	    "incidents and maintenance of ",
	    c->page_url);
	slugs_text(&t, rec);
	mcp_buf_addf(&t,
	    ".\n\nTo confirm, open this link within 24 hours and press the button:\n"
	    "%s/subscribe/confirm?t=%s\n\n"
	    "If you did not ask, ignore this message: nothing more will be sent to this\n"
	    "address, and it is forgotten when the link expires.\n",
	    c->page_url, alert_str(rec, "token"));
	alert_mail_qp(&b, t.p);
	mcp_buf_free(&t);
	mcp_buf_free(&s);
	if (b.p == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	return b.p;
}

/* Slack's mrkdwn escapes (&, <, >) of s appended to b. */
static void
mrkdwn(struct mcp_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		mcp_buf_adds(b,
		    *s == '&'       ? "&amp;"
		        : *s == '<' ? "&lt;"
		        : *s == '>' ? "&gt;"
		                    : (char[]){*s, '\0'});
}

char *
notice_slack(const cJSON *n)
{
	const char *ev = alert_str(n, "event");
	struct mcp_buf s = {0}, t = {0};
	char link[1024];
	cJSON *o = cJSON_CreateObject();

	subject(&s, n);
	mcp_buf_adds(&t, "*");
	mrkdwn(&t, s.p);
	mcp_buf_adds(&t, "*\n");
	mrkdwn(&t,
	    strncmp(ev, "maintenance-", 12) == 0 ? alert_str(n, "reason") : alert_str(n, "text"));
	/* The link is the operator's (status_page), not the author's text. */
	if (cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(n, "url")) != NULL) {
		snprintf(link, sizeof(link), "%s", alert_str(n, "url"));
		mcp_buf_addf(&t, "\n<%s|Status page>", strpbrk(link, "<>| ") ? "" : link);
	}
	cJSON_AddStringToObject(o, "text", t.p != NULL ? t.p : "");
	mcp_buf_free(&s);
	mcp_buf_free(&t);
	return alert_print(o);
}
