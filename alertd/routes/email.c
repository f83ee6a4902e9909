/*
 * email.c - the email route: an alert as a message over SMTP through
 * libcurl (RFC 5321, RFC 5322), threaded per incident.  The trigger's
 * Message-ID is made of its dedup_key alone, so that every later
 * notification of the incident (escalate, reminder, acknowledge, resolve)
 * can answer it with In-Reply-To and References; every other Message-ID
 * is made of the dedup_key, the event and its time, so that a redelivery
 * is the same message and a receiver can drop the copy.
 *
 * What the record says reaches the headers only through hdr_text: one
 * line whatever the text holds (a CR or LF in a summary is a space), and
 * RFC 2047 words when it is not ASCII.  The body is quoted-printable, so
 * that no line of it is longer than SMTP allows.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "addr.h"
#include "routesint.h"
#include "json.h"

#define CRED_MAX 4096 /* bytes of a credentials file */

/* --- the configuration -------------------------------------------------------- */

/* 1 when this libcurl speaks the protocol (deps/curl has SMTP since build-aux/curl said so). */
static int
have_protocol(const char *scheme)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	const char *const *p;

	for (p = v->protocols; p != NULL && *p != NULL; p++)
		if (strcasecmp(*p, scheme) == 0)
			return 1;
	return 0;
}

/*
 * smtp://HOST[:PORT] or smtps://HOST[:PORT] and nothing more: a user or a
 * password in it would be a secret in the configuration.  Its host, owned,
 * or NULL with why.
 */
static char *
url_host(const char *url, char *why, size_t len)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *path = NULL, *query = NULL, *frag = NULL;
	char *out = NULL;

	if (u == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	/* Each part its own pointer: curl_url_get clears what it is given. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0))
		snprintf(why, len, "not an smtp:// or smtps:// URL");
	else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
		snprintf(why, len, "a user in the URL (credentials FILE holds it)");
	else if ((curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK &&
	             strcmp(path, "/") != 0 && strcmp(path, "") != 0) ||
	    curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK)
		snprintf(why, len, "want smtp://HOST[:PORT] or smtps://HOST[:PORT], nothing after");
	else if (!have_protocol(scheme))
		snprintf(why, len,
		    "this libcurl (%s) has no %s (build-aux/curl builds one that has)",
		    curl_version_info(CURLVERSION_NOW)->version, scheme);
	else if ((out = strdup(host)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(path);
	curl_free(query);
	curl_free(frag);
	curl_url_cleanup(u);
	return out;
}

/*
 * An address of the envelope and of From and To: LOCAL@DOMAIN in printable
 * ASCII, without the characters that would make it a list, a comment, a
 * quoted string or a new header.  No display name: nothing to escape.
 */
static int
addr_ok(const char *a)
{
	const char *at = strchr(a, '@');
	size_t i;

	if (strlen(a) > ALERT_ADDR_MAX || at == NULL || at == a || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	for (i = 0; a[i] != '\0'; i++)
		if ((unsigned char)a[i] <= ' ' || (unsigned char)a[i] >= 0x7f ||
		    strchr("<>()[],;:\"\\", a[i]) != NULL)
			return 0;
	return 1;
}

static void
wipe(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
	free(s);
}

/*
 * The credentials file: "USER:PASSWORD" on one line, or USER and PASSWORD
 * on two, mode 600 and trusted as a secret is.  "USER\nPASSWORD", owned;
 * NULL with why (never the file's text).
 */
static char *
credentials_of(const char *path, char *err, size_t errlen)
{
	char why[256], *s, *user, *pass, *nl, *out = NULL;

	if ((s = mcp_secret_whole(path, CRED_MAX, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "%s: %s", path, why);
		return NULL;
	}
	if (alert_conf_trusted(path, -1, "credentials another user could change", err, errlen) ==
	    -1) {
		wipe(s);
		return NULL;
	}
	/* The first two lines, without their CR; a password may hold blanks. */
	user = s;
	pass = "";
	if ((nl = strchr(user, '\n')) != NULL) {
		*nl = '\0';
		pass = nl + 1;
		pass[strcspn(pass, "\r\n")] = '\0';
	}
	user[strcspn(user, "\r")] = '\0';
	if (*pass == '\0' && (nl = strchr(user, ':')) != NULL) {
		*nl = '\0';
		pass = nl + 1;
	}
	if (*user == '\0' || *pass == '\0')
		snprintf(
		    err, errlen, "%s: want USER:PASSWORD, or USER and PASSWORD on two lines", path);
	else if (asprintf(&out, "%s\n%s", user, pass) == -1)
		errx(MCP_EXIT_FAIL, "out of memory");
	explicit_bzero(s, CRED_MAX);
	free(s);
	return out;
}

int
alert_email_conf(struct alert_route *r, char **w, int nw, char *err, size_t errlen)
{
	char why[256], *host, *list, *p, *save = NULL;
	int n = 0;

	if ((nw != 3 && nw != 5) || (nw == 5 && strcmp(w[3], "credentials") != 0)) {
		snprintf(err, errlen,
		    "route \"%s\": want email URL FROM TO[,TO...] [credentials FILE]", r->name);
		return -1;
	}
	if ((host = url_host(w[0], why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "route \"%s\": %s: %s", r->name, w[0], why);
		return -1;
	}
	free(host);
	if (!addr_ok(w[1])) {
		snprintf(err, errlen,
		    "route \"%s\": %s: not an address (LOCAL@DOMAIN, at most %d bytes)", r->name,
		    w[1], ALERT_ADDR_MAX);
		return -1;
	}
	if ((r->argv = calloc(ALERT_RCPT_MAX + 2, sizeof(char *))) == NULL ||
	    (list = strdup(w[2])) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	r->argv[n++] = strdup(w[1]);
	for (p = strtok_r(list, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save)) {
		if (!addr_ok(p) || n == ALERT_RCPT_MAX + 1) {
			if (n == ALERT_RCPT_MAX + 1)
				snprintf(err, errlen, "route \"%s\": more than %d addresses",
				    r->name, ALERT_RCPT_MAX);
			else
				snprintf(err, errlen,
				    "route \"%s\": %s: not an address (LOCAL@DOMAIN, at most %d "
				    "bytes)",
				    r->name, p, ALERT_ADDR_MAX);
			free(list);
			return -1;
		}
		r->argv[n++] = strdup(p);
	}
	free(list);
	if (n == 1) {
		snprintf(err, errlen, "route \"%s\": no address to send to", r->name);
		return -1;
	}
	if (nw == 5 && (r->secret = credentials_of(w[4], err, errlen)) == NULL)
		return -1;
	if ((r->url = strdup(w[0])) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	return 0;
}

/* --- the message ---------------------------------------------------------------- */

static void
field(struct mcp_buf *t, const char *name, const char *v)
{
	if (*v == '\0')
		return;
	mcp_buf_addf(t, "%-10s ", name);
	alert_mail_line(t, v);
	mcp_buf_addc(t, '\n');
}

static void
field_time(struct mcp_buf *t, const char *name, const cJSON *v)
{
	char ts[32];

	if (cJSON_IsNumber(v) && v->valuedouble > 0 && v->valuedouble <= ALERT_TIME_MAX &&
	    mcp_iso8601(v->valuedouble, ts, sizeof(ts)) == 0)
		field(t, name, ts);
}

/* The strings of a, the first ALERT_GROUP_LIST of them, and how many more. */
static void
list(struct mcp_buf *t, const char *name, const cJSON *a, const char *sep)
{
	const cJSON *e;
	int n = 0, all = cJSON_GetArraySize(a);

	if (!cJSON_IsArray(a) || all == 0)
		return;
	if (name != NULL)
		mcp_buf_addf(t, "%-10s ", name);
	cJSON_ArrayForEach(e, a)
	{
		if (n == ALERT_GROUP_LIST)
			break;
		mcp_buf_adds(t, n == 0 ? "" : sep);
		alert_mail_line(t, cJSON_IsString(e) ? e->valuestring : "?");
		n++;
	}
	if (all > n)
		mcp_buf_addf(t, "%sand %d more", sep, all - n);
	mcp_buf_addc(t, '\n');
}

static void
text_of(struct mcp_buf *t, const cJSON *rec)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(rec, "group"), *a, *d;
	char ev[64];

	alert_mail_line(t, alert_str(rec, "summary"));
	/* A tools kind's names, or a divergence's, are the server's: said so under them. */
	if (alert_str(rec, "untrusted")[0])
		mcp_buf_adds(t, "\n\n" ALERT_NAMES_UNTRUSTED);
	mcp_buf_adds(t, "\n\n");
	snprintf(ev, sizeof(ev), "%.8s %.40s", alert_str(rec, "severity"), alert_str(rec, "event"));
	field(t, "Event:", ev);
	field(t, cJSON_IsObject(g) ? "Group:" : "Service:", alert_str(rec, "slug"));
	field(t, "Kind:", alert_str(rec, "kind"));
	field(t, "Incident:", alert_str(rec, "dedup_key"));
	field_time(t, "Started:", cJSON_GetObjectItemCaseSensitive(rec, "incident_started_at"));
	field(t, "Step:", alert_str(rec, "step"));
	list(t, "Regions:", cJSON_GetObjectItemCaseSensitive(rec, "regions"), ", ");
	if (cJSON_IsNumber(d = cJSON_GetObjectItemCaseSensitive(rec, "duration_s"))) {
		char dur[64];

		snprintf(dur, sizeof(dur), "%.0f s", d->valuedouble);
		field(t, "Duration:", dur);
	}
	field_time(t, "At:", cJSON_GetObjectItemCaseSensitive(rec, "at"));
	if (cJSON_IsObject(g)) {
		a = cJSON_GetObjectItemCaseSensitive(g, "count");
		mcp_buf_addf(t, "\n%d incidents in the group:\n",
		    cJSON_IsNumber(a) ? (int)a->valuedouble : 0);
		mcp_buf_adds(t, "  ");
		list(t, NULL, cJSON_GetObjectItemCaseSensitive(g, "slugs"), "\n  ");
		list(t, "Added:", cJSON_GetObjectItemCaseSensitive(g, "added"), ", ");
		list(t, "Resolved:", cJSON_GetObjectItemCaseSensitive(g, "resolved"), ", ");
	}
}

/* A digest's notices, one paragraph each, oldest first. */
static void
digest_text(struct mcp_buf *t, const cJSON *rec)
{
	const cJSON *e;
	char ts[32];

	alert_mail_line(t, alert_str(rec, "summary"));
	mcp_buf_adds(t, "\n");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "alerts"))
	{
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(e, "at");

		ts[0] = '\0';
		if (cJSON_IsNumber(at) && at->valuedouble <= ALERT_TIME_MAX)
			mcp_iso8601(at->valuedouble, ts, sizeof(ts));
		mcp_buf_addf(
		    t, "\n%s [%.8s %.40s] ", ts, alert_str(e, "severity"), alert_str(e, "event"));
		alert_mail_line(t, alert_str(e, "summary"));
		mcp_buf_adds(t, "\n    ");
		alert_mail_line(t, alert_str(e, "dedup_key"));
		mcp_buf_addc(t, '\n');
	}
}

/* Events that answer the incident's trigger. */
static int
reply(const char *event)
{
	return strcmp(event, "trigger") != 0 && strcmp(event, "test") != 0 &&
	    strcmp(event, "digest") != 0;
}

char *
alert_email_message(const struct alert_route *r, const cJSON *rec)
{
	const char *event = alert_str(rec, "event"), *dk = alert_str(rec, "dedup_key");
	const char *domain = strchr(r->argv[0], '@') + 1;
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(rec, "at");
	struct mcp_buf b = {0}, t = {0};
	char subj[ALERT_SUBJECT_MAX + 128], id[128], root[128], date[64], *s;
	int follow;
	double when = cJSON_IsNumber(at) && at->valuedouble > 0 && at->valuedouble <= ALERT_TIME_MAX
	    ? at->valuedouble
	    : mcp_now();
	time_t tt = (time_t)when;
	struct tm tm;
	int i;

	gmtime_r(&tt, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	mcp_buf_addf(&b, "Date: %s\r\nFrom: %s\r\nTo: ", date, r->argv[0]);
	for (i = 1; r->argv[i] != NULL; i++)
		mcp_buf_addf(&b, "%s%s", i > 1 ? ",\r\n " : "", r->argv[i]);
	mcp_buf_adds(&b, "\r\n");
	if (strcmp(event, "trigger") == 0)
		snprintf(subj, sizeof(subj), "[%.8s] %s", alert_str(rec, "severity"),
		    alert_str(rec, "summary"));
	else if (strcmp(event, "test") == 0)
		snprintf(subj, sizeof(subj), "[TEST] [%.8s] %s", alert_str(rec, "severity"),
		    alert_str(rec, "summary"));
	else
		snprintf(subj, sizeof(subj), "[%.8s %.40s] %s", alert_str(rec, "severity"), event,
		    alert_str(rec, "summary"));
	alert_mail_header(&b, "Subject", subj);
	/* The trigger's id from its dedup_key alone: what the rest of the thread answers. */
	alert_mail_msgid(root, sizeof(root), dk, domain);
	/* A group's later notices are triggers too: replies, each an id of its own. */
	follow = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
	             cJSON_GetObjectItemCaseSensitive(rec, "group"), "seq")) > 1;
	if (strcmp(event, "trigger") == 0 && *dk != '\0' && !follow)
		snprintf(id, sizeof(id), "%s", root);
	else {
		if (asprintf(&s, "%s\n%s\n%.3f", dk, event, when) == -1)
			errx(MCP_EXIT_FAIL, "out of memory");
		alert_mail_msgid(id, sizeof(id), s, domain);
		free(s);
	}
	mcp_buf_addf(&b, "Message-ID: %s\r\n", id);
	if (*dk != '\0' && (reply(event) || follow))
		mcp_buf_addf(&b, "In-Reply-To: %s\r\nReferences: %s\r\n", root, root);
	mcp_buf_adds(&b,
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "Auto-Submitted: auto-generated\r\n");
	alert_mail_header(&b, "X-MCP-Alert-Dedup-Key", dk);
	mcp_buf_adds(&b, "\r\n");
	if (strcmp(event, "digest") == 0)
		digest_text(&t, rec);
	else
		text_of(&t, rec);
	mcp_buf_adds(&t, "\n-- \nThe alert record");
	if (strcmp(event, "digest") == 0) {
		const cJSON *e;

		mcp_buf_adds(&t, "s, one a line:\n");
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rec, "alerts"))
		{
			s = alert_print(cJSON_Duplicate(e, 1));
			mcp_buf_addf(&t, "%s\n", s);
			free(s);
		}
	} else {
		s = alert_print(cJSON_Duplicate(rec, 1));
		mcp_buf_addf(&t, ":\n%s\n", s);
		free(s);
	}
	alert_mail_qp(&b, t.p);
	mcp_buf_free(&t);
	if (b.p == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	return b.p;
}

/* --- sending ------------------------------------------------------------------------ */

struct upload {
	const char *p;
	size_t n, off;
};

static size_t
upload_read(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->n - u->off ? size * n : u->n - u->off;

	memcpy(buf, u->p + u->off, k);
	u->off += k;
	return k;
}

/* One handle a route's thread: routes deliver at once, and a handle is used by one thread. */
static __thread CURL *e;

void
alert_email_done(void)
{
	curl_easy_cleanup(e);
	e = NULL;
}

int
alert_smtp_send(const struct alert_conf *c, const struct alert_route *r, const char *const *rcpt,
    const char *msg, char *why, size_t len)
{
	struct curl_slist *to = NULL;
	struct upload u;
	char addr[ALERT_ADDR_MAX + 3], *cred = NULL, *pass, *host, hw[256];
	long code = 0;
	CURLcode rc;
	int i, loop;

	if ((host = url_host(r->url, hw, sizeof(hw))) == NULL) {
		snprintf(why, len, "%s", hw);
		return RETRY;
	}
	loop = mcp_host_loopback(host);
	free(host);
	/* One handle for the run: a connection to the server may serve the next message. */
	if (e == NULL && (e = curl_easy_init()) == NULL)
		errx(MCP_EXIT_FAIL, "curl_easy_init");
	curl_easy_reset(e);
	u = (struct upload){msg, strlen(msg), 0};
	for (i = 0; rcpt[i] != NULL; i++) {
		snprintf(addr, sizeof(addr), "<%s>", rcpt[i]);
		to = curl_slist_append(to, addr);
	}
	snprintf(addr, sizeof(addr), "<%s>", r->argv[0]);
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* Off loopback, smtp:// must turn to TLS (STARTTLS) before anything is said. */
	if (strncmp(r->url, "smtp:", 5) == 0)
		curl_easy_setopt(
		    e, CURLOPT_USE_SSL, loop ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(e, CURLOPT_READDATA, &u);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->delivery_timeout * 1000L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (r->secret != NULL) {
		if ((cred = strdup(r->secret)) == NULL)
			errx(MCP_EXIT_FAIL, "out of memory");
		pass = strchr(cred, '\n');
		*pass++ = '\0';
		curl_easy_setopt(e, CURLOPT_USERNAME, cred);
		curl_easy_setopt(e, CURLOPT_PASSWORD, pass);
	}
	rc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	/* libcurl's copies of the credentials go with the reset. */
	curl_easy_reset(e);
	if (cred != NULL) {
		explicit_bzero(pass, strlen(pass));
		wipe(cred);
	}
	curl_slist_free_all(to);
	if (rc == CURLE_OK)
		return SENT;
	if (code > 0)
		snprintf(why, len, "SMTP %ld: %s", code, curl_easy_strerror(rc));
	else
		snprintf(why, len, "%s", curl_easy_strerror(rc));
	/*
	 * A 5xx to the envelope or the message is for good; refused
	 * credentials are the operator's to fix, and the message waits.
	 */
	return code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED ? REFUSED : RETRY;
}

int
alert_email_send(const struct alert_conf *c, const struct alert_route *r, const cJSON *rec,
    char *why, size_t len)
{
	char *msg = alert_email_message(r, rec);
	int rc = alert_smtp_send(c, r, (const char *const *)r->argv + 1, msg, why, len);

	free(msg);
	return rc;
}
