/*
 * chat.c - the request each chat service is sent of an alert record, in
 * the shape its documentation gives (mcp-alert.conf(5), Routes, where
 * each is cited): Microsoft Teams' Workflows webhook and its Adaptive
 * Card, Discord's Execute Webhook, Telegram's sendMessage, Google Chat's
 * card message, Mattermost's and Rocket.Chat's incoming webhooks, Zulip's
 * send-message and Matrix's m.room.message.
 *
 * A chat service has no incident to resolve: the resolve is a message of
 * its own that says how long the incident lasted (Zulip's in the topic of
 * the slug, where its trigger is).  Each message says the severity, the
 * event and the slug; the summary; the status page's link for the slug
 * (status_page); for a tool change to review, what to run; the dedup key.
 * Every text of the record goes through chat_text: on one line, cut to
 * the service's limits, its markup and mentions made plain text.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "../rules.h"

#define LINK_MAX 300 /* bytes of a status page's link: the base is at most 200 */

/* What a message says, of the record (borrowed from it) and the configuration. */
struct msg {
	char head[ALERT_NAME_MAX + MCP_SLUG_MAX + 256]; /* "[TEST] P1 trigger: SLUG", raw */
	const char *sum;                                /* the summary past the slug, raw */
	char lasted[64];                                /* a resolve's duration, or "" */
	const char *review;  /* the slug of a change to review, or NULL */
	char link[LINK_MAX]; /* the status page's, or "" */
	char ctx[400];       /* "dedup_key KEY · step STEP", raw */
	const char *event, *sev;
};

/* A change of a server's lists that a person answers (mcp-aggregate tools --approve). */
static int
to_review(const cJSON *rec)
{
	const char *k = alert_str(rec, "kind"), *cl = alert_str(rec, "change_class");

	if (strcmp(alert_str(rec, "event"), "resolve") == 0)
		return 0;
	return strcmp(k, "tools-unreviewed") == 0 || strcmp(k, "tools-changed") == 0 ||
	    strcmp(cl, "review") == 0 || strcmp(cl, "breaking") == 0;
}

static void
msg_of(const struct alert_conf *c, const cJSON *rec, struct msg *m)
{
	const char *slug = alert_str(rec, "slug");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "duration_s");
	const cJSON *step = cJSON_GetObjectItemCaseSensitive(rec, "step");
	int group = cJSON_GetObjectItemCaseSensitive(rec, "group") != NULL;

	memset(m, 0, sizeof(*m));
	m->event = alert_str(rec, "event"), m->sev = alert_str(rec, "severity");
	snprintf(m->head, sizeof(m->head), "%s%s %s: %.*s",
	    strcmp(m->event, "test") == 0 ? "[TEST] " : "", m->sev, m->event, MCP_SLUG_MAX + 64,
	    slug);
	m->sum = alert_past_slug(alert_str(rec, "summary"), slug);
	if (strcmp(m->event, "resolve") == 0 && cJSON_IsNumber(d))
		chat_duration(m->lasted, sizeof(m->lasted), d->valuedouble);
	if (!group && mcp_slug_ok(slug) && to_review(rec))
		m->review = slug;
	/* The base is the operator's, checked (status_page); the slug is a slug. */
	if (c->page_url != NULL &&
	    (size_t)snprintf(m->link, sizeof(m->link), "%s/status%s%s", c->page_url,
	        !group && mcp_slug_ok(slug) ? "/" : "",
	        !group && mcp_slug_ok(slug) ? slug : "") >= sizeof(m->link))
		m->link[0] = '\0';
	/* A tools kind's names are the server's words: said so, as Slack says it. */
	snprintf(m->ctx, sizeof(m->ctx), "dedup_key %.200s%s%.100s%s", alert_str(rec, "dedup_key"),
	    cJSON_IsString(step) ? " \xc2\xb7 step " : "",
	    cJSON_IsString(step) ? step->valuestring : "",
	    alert_str(rec, "untrusted")[0] ? " \xc2\xb7 " ALERT_NAMES_UNTRUSTED : "");
}

/* How a line-oriented service marks its text up. */
struct style {
	enum chat_markup m;
	const char *b0, *b1; /* bold */
	const char *c0, *c1; /* code */
	const char *i0, *i1; /* italic */
	const char *nl;
	size_t units, bytes; /* of the summary */
};

static const struct style discord = {
    CHAT_DISCORD, "**", "**", "`", "`", "_", "_", "\n", 1500, 3000};
static const struct style mattermost = {
    CHAT_COMMONMARK, "**", "**", "`", "`", "_", "_", "\n", 2000, 8000};
/* Rocket.Chat's default Message_MaxAllowedSize is 5,000 characters. */
static const struct style rocketchat = {
    CHAT_COMMONMARK, "*", "*", "`", "`", "_", "_", "\n", 2000, 4000};
static const struct style zulip = {CHAT_ZULIP, "**", "**", "`", "`", "*", "*", "\n", 2000, 6000};
static const struct style telegram = {
    CHAT_HTML, "<b>", "</b>", "<code>", "</code>", "<i>", "</i>", "\n", 2000, 16000};
static const struct style html = {
    CHAT_HTML, "<b>", "</b>", "<code>", "</code>", "<i>", "</i>", "<br>", 2000, 12000};
/* Google Chat's cards: no <code> in their HTML subset. */
static const struct style gchat = {
    CHAT_HTML, "<b>", "</b>", "", "", "<i>", "</i>", "<br>", 2000, 12000};
static const struct style plain = {CHAT_PLAIN, "", "", "", "", "", "", "\n", 2000, 8000};

/*
 * The lines of m in st into b: the head (with head), the summary, how
 * long it lasted, what to run, the link, the context (with ctx).
 */
static void
lines(struct mcp_buf *b, const struct msg *m, const struct style *st, int head, int ctx)
{
	if (head) {
		mcp_buf_adds(b, st->b0);
		chat_text(b, m->head, 300, 1200, st->m);
		mcp_buf_addf(b, "%s%s", st->b1, st->nl);
	}
	chat_text(b, m->sum[0] != '\0' ? m->sum : "-", st->units, st->bytes, st->m);
	if (m->lasted[0] != '\0')
		mcp_buf_addf(b, "%s%sLasted:%s %s", st->nl, st->b0, st->b1, m->lasted);
	/* A slug is [a-z0-9._-]: nothing to escape in a code span. */
	if (m->review != NULL)
		mcp_buf_addf(b,
		    "%s%sTo review:%s %smcp-aggregate tools %s%s, then %s--approve --by NAME%s or "
		    "%s--reject%s",
		    st->nl, st->b0, st->b1, st->c0, m->review, st->c1, st->c0, st->c1, st->c0,
		    st->c1);
	if (m->link[0] != '\0' && st->m == CHAT_HTML)
		mcp_buf_addf(b, "%s<a href=\"%s\">Status page</a>", st->nl, m->link);
	else if (m->link[0] != '\0')
		mcp_buf_addf(b, "%sStatus page: %s", st->nl, m->link);
	if (ctx) {
		mcp_buf_addf(b, "%s%s", st->nl, st->i0);
		chat_text(b, m->ctx, 400, 1600, st->m);
		mcp_buf_adds(b, st->i1);
	}
}

/* The text of lines() as a string (owned). */
static char *
lines_str(const struct msg *m, const struct style *st, int head, int ctx)
{
	struct mcp_buf b = {0};

	lines(&b, m, st, head, ctx);
	if (b.p == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	return b.p;
}

/* s in markup k as a string (owned). */
static char *
text_str(const char *s, size_t units, size_t bytes, enum chat_markup k)
{
	struct mcp_buf b = {0};

	chat_text(&b, s, units, bytes, k);
	mcp_buf_addc(&b, '\0'), b.len--;
	return b.p;
}

static void
add_owned(cJSON *o, const char *k, char *s)
{
	cJSON_AddStringToObject(o, k, s);
	free(s);
}

static int
good(const struct msg *m)
{
	return strcmp(m->event, "resolve") == 0;
}

/* A TextRun (no markdown, Adaptive Cards 1.2) in a RichTextBlock. */
static cJSON *
rich(const char *text, size_t units, const char *weight, const char *color, int subtle)
{
	cJSON *b = cJSON_CreateObject(), *in, *r;

	cJSON_AddStringToObject(b, "type", "RichTextBlock");
	in = cJSON_AddArrayToObject(b, "inlines");
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "type", "TextRun");
	add_owned(r, "text", text_str(text, units, units * 4, CHAT_TEAMS));
	if (weight != NULL)
		cJSON_AddStringToObject(r, "weight", weight);
	if (color != NULL)
		cJSON_AddStringToObject(r, "color", color);
	if (subtle)
		cJSON_AddTrueToObject(r, "isSubtle");
	cJSON_AddItemToArray(in, r);
	return b;
}

/*
 * Microsoft Learn, "Create incoming webhooks with Workflows for Microsoft
 * Teams": a message whose attachment is an Adaptive Card (1.4).  Every
 * text of the record is a TextRun, which Teams does not read as markdown.
 */
static char *
teams_body(const struct msg *m)
{
	cJSON *o = cJSON_CreateObject(), *a, *at, *card, *body, *acts, *act;
	char buf[512];

	cJSON_AddStringToObject(o, "type", "message");
	a = cJSON_AddArrayToObject(o, "attachments");
	at = cJSON_CreateObject();
	cJSON_AddItemToArray(a, at);
	cJSON_AddStringToObject(at, "contentType", "application/vnd.microsoft.card.adaptive");
	cJSON_AddNullToObject(at, "contentUrl");
	card = cJSON_AddObjectToObject(at, "content");
	cJSON_AddStringToObject(
	    card, "$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
	cJSON_AddStringToObject(card, "type", "AdaptiveCard");
	cJSON_AddStringToObject(card, "version", "1.4");
	body = cJSON_AddArrayToObject(card, "body");
	cJSON_AddItemToArray(body, rich(m->head, 300, "Bolder", good(m) ? "Good" : "Attention", 0));
	cJSON_AddItemToArray(body, rich(m->sum[0] ? m->sum : "-", 2000, NULL, NULL, 0));
	if (m->lasted[0] != '\0') {
		snprintf(buf, sizeof(buf), "Lasted: %s", m->lasted);
		cJSON_AddItemToArray(body, rich(buf, 100, NULL, NULL, 0));
	}
	if (m->review != NULL) {
		snprintf(buf, sizeof(buf),
		    "To review: mcp-aggregate tools %s, then --approve --by NAME or --reject",
		    m->review);
		cJSON_AddItemToArray(body, rich(buf, 300, NULL, NULL, 0));
	}
	cJSON_AddItemToArray(body, rich(m->ctx, 400, NULL, NULL, 1));
	if (m->link[0] != '\0') {
		acts = cJSON_AddArrayToObject(card, "actions");
		act = cJSON_CreateObject();
		cJSON_AddStringToObject(act, "type", "Action.OpenUrl");
		cJSON_AddStringToObject(act, "title", "Status page");
		cJSON_AddStringToObject(act, "url", m->link);
		cJSON_AddItemToArray(acts, act);
	}
	return alert_print(o);
}

/*
 * Discord, "Execute Webhook": content (2,000 characters) and an embed
 * (a description of 4,096, a footer of 2,048, 6,000 in all);
 * allowed_mentions with an empty parse: no mention pings anyone.
 */
static char *
discord_body(const struct msg *m)
{
	cJSON *o = cJSON_CreateObject(), *em, *e, *f, *am;
	struct mcp_buf b = {0};

	mcp_buf_adds(&b, "**");
	chat_text(&b, m->head, 300, 1200, CHAT_DISCORD);
	mcp_buf_adds(&b, "**");
	cJSON_AddStringToObject(o, "content", b.p);
	mcp_buf_free(&b);
	em = cJSON_AddArrayToObject(o, "embeds");
	e = cJSON_CreateObject();
	cJSON_AddItemToArray(em, e);
	add_owned(e, "description", lines_str(m, &discord, 0, 0));
	cJSON_AddNumberToObject(e, "color",
	    good(m)                         ? 0x2eb67d
	        : strcmp(m->sev, "P1") == 0 ? 0xe01e5a
	                                    : 0xecb22e);
	f = cJSON_AddObjectToObject(e, "footer");
	add_owned(f, "text", text_str(m->ctx, 400, 1600, CHAT_PLAIN));
	am = cJSON_AddObjectToObject(o, "allowed_mentions");
	cJSON_AddArrayToObject(am, "parse");
	return alert_print(o);
}

/*
 * Telegram Bot API, sendMessage: chat_id, text (4,096 characters after
 * the entities are parsed), parse_mode HTML (&, <, > and " escaped), no
 * link preview.
 */
static char *
telegram_body(const struct alert_route *r, const struct msg *m)
{
	cJSON *o = cJSON_CreateObject(), *lp;

	cJSON_AddStringToObject(o, "chat_id", r->argv[0]);
	add_owned(o, "text", lines_str(m, &telegram, 1, 1));
	cJSON_AddStringToObject(o, "parse_mode", "HTML");
	lp = cJSON_AddObjectToObject(o, "link_preview_options");
	cJSON_AddTrueToObject(lp, "is_disabled");
	return alert_print(o);
}

/*
 * Google Chat, "Send a card message" through an incoming webhook:
 * cardsV2, a header (plain text) and a textParagraph, whose HTML subset
 * is escaped: no <users/all> in it is a mention; the head is the
 * fallbackText a notification says.  A message is at most 32,000 bytes.
 */
static char *
gchat_body(const struct msg *m)
{
	cJSON *o = cJSON_CreateObject(), *cs, *cv, *card, *h, *secs, *sec, *ws, *w, *tp, *bl, *bs,
	      *bt, *oc, *ol;

	/* What a notification says of the card (Message.fallbackText). */
	add_owned(o, "fallbackText", text_str(m->head, 200, 800, CHAT_PLAIN));
	cs = cJSON_AddArrayToObject(o, "cardsV2");
	cv = cJSON_CreateObject();
	cJSON_AddItemToArray(cs, cv);
	cJSON_AddStringToObject(cv, "cardId", "mcp-alert");
	card = cJSON_AddObjectToObject(cv, "card");
	h = cJSON_AddObjectToObject(card, "header");
	add_owned(h, "title", text_str(m->head, 200, 800, CHAT_PLAIN));
	add_owned(h, "subtitle", text_str(m->ctx, 200, 800, CHAT_PLAIN));
	secs = cJSON_AddArrayToObject(card, "sections");
	sec = cJSON_CreateObject();
	cJSON_AddItemToArray(secs, sec);
	ws = cJSON_AddArrayToObject(sec, "widgets");
	w = cJSON_CreateObject();
	cJSON_AddItemToArray(ws, w);
	tp = cJSON_AddObjectToObject(w, "textParagraph");
	add_owned(tp, "text", lines_str(m, &gchat, 0, 0));
	if (m->link[0] != '\0') {
		w = cJSON_CreateObject();
		cJSON_AddItemToArray(ws, w);
		bl = cJSON_AddObjectToObject(w, "buttonList");
		bs = cJSON_AddArrayToObject(bl, "buttons");
		bt = cJSON_CreateObject();
		cJSON_AddItemToArray(bs, bt);
		cJSON_AddStringToObject(bt, "text", "Status page");
		oc = cJSON_AddObjectToObject(bt, "onClick");
		ol = cJSON_AddObjectToObject(oc, "openLink");
		cJSON_AddStringToObject(ol, "url", m->link);
	}
	return alert_print(o);
}

/* Mattermost's and Rocket.Chat's incoming webhooks: {"text": markdown}. */
static char *
text_body(const struct msg *m, const struct style *st)
{
	cJSON *o = cJSON_CreateObject();

	add_owned(o, "text", lines_str(m, st, 1, 1));
	return alert_print(o);
}

/* s percent-encoded into b, as a form or a path segment takes it. */
static void
pct(struct mcp_buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s) != NULL)
			mcp_buf_addc(b, *s);
		else
			mcp_buf_addf(b, "%%%02X", (unsigned char)*s);
}

/*
 * Zulip, "Send a message": a form of type=stream, to, topic (at most 60
 * characters: the slug, so that a resolve follows its trigger) and
 * content (at most 10,000 bytes).
 */
static char *
zulip_body(const struct alert_route *r, const cJSON *rec, const struct msg *m)
{
	struct mcp_buf b = {0};
	char *t, *s;

	mcp_buf_adds(&b, "type=stream&to=");
	pct(&b, r->argv[1]);
	mcp_buf_adds(&b, "&topic=");
	pct(&b, t = text_str(alert_str(rec, "slug"), 60, 240, CHAT_PLAIN));
	free(t);
	mcp_buf_adds(&b, "&content=");
	pct(&b, s = lines_str(m, &zulip, 1, 1));
	free(s);
	return b.p;
}

/*
 * Matrix client-server API, "PUT /_matrix/client/v3/rooms/{roomId}/send/
 * {eventType}/{txnId}": an m.room.message, body and its HTML in
 * formatted_body, and m.mentions empty: the event mentions no one.
 */
static char *
matrix_body(const struct msg *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "msgtype", "m.text");
	add_owned(o, "body", lines_str(m, &plain, 1, 1));
	cJSON_AddStringToObject(o, "format", "org.matrix.custom.html");
	add_owned(o, "formatted_body", lines_str(m, &html, 1, 1));
	cJSON_AddObjectToObject(o, "m.mentions");
	return alert_print(o);
}

static char *
url_dup(const char *s)
{
	char *u = strdup(s);

	if (u == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	return u;
}

int
chat_request(const struct alert_conf *c, const struct alert_route *r, const char *id,
    const cJSON *rec, struct chat_req *q)
{
	struct msg m;
	struct mcp_buf u = {0};

	/* A subscriber's notice is for slack and webhook routes alone. */
	if (strcmp(alert_str(rec, "type"), "alert") != 0)
		return -1;
	msg_of(c, rec, &m);
	memset(q, 0, sizeof(*q));
	q->method = "POST";
	q->type = "application/json";
	switch (r->type) {
	case RT_TEAMS:
		q->body = teams_body(&m);
		break;
	case RT_DISCORD:
		q->body = discord_body(&m);
		break;
	case RT_TELEGRAM:
		mcp_buf_addf(&u, "%s/bot%s/sendMessage", r->url, r->secret);
		q->url = u.p;
		q->body = telegram_body(r, &m);
		break;
	case RT_GCHAT:
		q->body = gchat_body(&m);
		q->type = "application/json; charset=UTF-8";
		break;
	case RT_MATTERMOST:
		q->body = text_body(&m, &mattermost);
		break;
	case RT_ROCKETCHAT:
		q->body = text_body(&m, &rocketchat);
		break;
	case RT_ZULIP:
		mcp_buf_addf(&u, "%s/api/v1/messages", r->url);
		q->url = u.p;
		q->body = zulip_body(r, rec, &m);
		q->type = "application/x-www-form-urlencoded";
		q->basic = 1;
		break;
	case RT_MATRIX:
		mcp_buf_addf(&u, "%s/_matrix/client/v3/rooms/", r->url);
		pct(&u, r->argv[0]);
		mcp_buf_adds(&u, "/send/m.room.message/mcp-alert.");
		pct(&u, id);
		q->url = u.p;
		q->method = "PUT";
		q->body = matrix_body(&m);
		q->bearer = 1;
		break;
	default:
		return -1;
	}
	if (q->url == NULL)
		q->url = url_dup(r->url);
	return 0;
}

void
chat_req_free(struct chat_req *q)
{
	if (q->url != NULL)
		explicit_bzero(q->url, strlen(q->url));
	free(q->url);
	free(q->body);
	q->url = q->body = NULL;
}
