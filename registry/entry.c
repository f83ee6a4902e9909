/*
 * entry.c - one registry entry made fields of mcp:registry:servers: its
 * remotes' URLs filled and checked, their headers, a state and a reason,
 * and the slug rule.  Pure: no I/O.  Every byte of an entry is hostile.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "addr.h"
#include "json.h"
#include "mcp.h"
#include "reg.h"
#include "targets.h"

#define WHY_MAX (MCP_QUOTED_MAX + 100)

/* What one remote makes: the URL filled, the headers kept, a state. */
struct remote {
	const char *type; /* static, or NULL */
	char url[REG_URL_MAX + 1];
	int has_url;
	struct mcp_buf headers; /* JSON array members */
	int state;
	char why[WHY_MAX];
};

static const char *const state_names[] = {"probe", "needs-configuration", "local-only", "refused"};

/*
 * Fill the {variables} of s from vars (an object of objects with
 * "default") into out.  0; 1 when one has no default (named in why); -1
 * when s is malformed or too long.
 */
static int
fill(const char *s, const cJSON *vars, char *out, size_t len, char *why, size_t wlen)
{
	const char *e, *d;
	char var[128];
	size_t o = 0, n;

	for (; *s != '\0'; s++) {
		if (*s == '}')
			return -1;
		if (*s != '{') {
			if (o + 1 >= len)
				return -1;
			out[o++] = *s;
			continue;
		}
		if ((e = strchr(s + 1, '}')) == NULL || (n = (size_t)(e - s - 1)) == 0 ||
		    n >= sizeof(var) || memchr(s + 1, '{', n) != NULL)
			return -1;
		memcpy(var, s + 1, n);
		var[n] = '\0';
		d = mcp_json_str(cJSON_GetObjectItemCaseSensitive(vars, var), "default", NULL);
		if (d == NULL || *d == '\0' || !mcp_target_token_ok(d) ||
		    strpbrk(d, "{}") != NULL) {
			char q[MCP_QUOTED_MAX];

			snprintf(why, wlen, "variable %s has no default",
			    mcp_json_quoted(q, sizeof(q), var));
			return 1;
		}
		if (o + strlen(d) >= len)
			return -1;
		memcpy(out + o, d, strlen(d));
		o += strlen(d);
		s = e;
	}
	out[o] = '\0';
	return 0;
}

/*
 * The host as a resolver reads it, into h: percent-escapes decoded, the
 * zone (fe80::1%eth0) and a trailing dot (127.0.0.1.) dropped.  -1 when
 * it does not fit.
 */
static int
host_plain(const char *host, char *h, size_t len)
{
	size_t o = 0;
	unsigned x;

	for (; *host != '\0'; host++) {
		if (o + 1 >= len)
			return -1;
		if (*host == '%' && sscanf(host + 1, "%2x", &x) == 1 &&
		    strspn(host + 1, "0123456789abcdefABCDEF") >= 2) {
			h[o++] = (char)x;
			host += 2;
		} else if (*host == '%') {
			break; /* a zone */
		} else {
			h[o++] = *host;
		}
	}
	if (o > 0 && h[o - 1] == '.')
		o--;
	h[o] = '\0';
	return 0;
}

int
reg_ip_refused(const char *host, const char **why)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	unsigned char a[MCP_ADDR_LEN];
	struct in_addr v4;
	enum mcp_addr_class c;
	char h[AGG_HOST_MAX + 1];

	if (host_plain(host, h, sizeof(h)) == -1)
		return 0;
	if (inet_pton(AF_INET6, h, a) != 1) {
		/* inet_aton: also 2130706433 and 0x7f.1, which a resolver takes too */
		if (inet_aton(h, &v4) != 1)
			return 0;
		memcpy(a, mapped, 12);
		memcpy(a + 12, &v4.s_addr, 4);
	}
	if ((c = mcp_addr_class(a)) == MCP_ADDR_PUBLIC)
		return 0;
	/* In the probe's words (lib/addr.c), which refuses the same at connect. */
	*why = mcp_addr_class_name(c);
	return 1;
}

/* The checks of a filled URL: scheme, no userinfo, a host, no refused literal IP. */
static int
url_check(const char *url, int allow_http, char *why, size_t wlen)
{
	const char *h, *end, *c;
	char host[AGG_HOST_MAX + 1];

	if (!mcp_target_token_ok(url))
		return snprintf(why, wlen, "URL holds a blank or a control byte"), -1;
	if (strncmp(url, "https://", 8) == 0)
		h = url + 8;
	else if (strncmp(url, "http://", 7) == 0 && allow_http)
		h = url + 7;
	else if (strncmp(url, "http://", 7) == 0)
		return snprintf(why, wlen, "plain http URL (sync with --allow-http)"), -1;
	else
		return snprintf(why, wlen, "not an https URL"), -1;
	end = h + strcspn(h, "/?#");
	if (memchr(h, '@', (size_t)(end - h)) != NULL)
		return snprintf(why, wlen, "URL with userinfo"), -1;
	if (agg_url_host(url, host, sizeof(host)) == -1)
		return snprintf(why, wlen, "URL without a valid host"), -1;
	if (reg_ip_refused(host, &c))
		return snprintf(why, wlen, "%s is %s", host, c), -1;
	/* mcp-probe refuses a whole targets file for one URL it cannot parse. */
	if (mcp_target_check_url(url) == -1)
		return snprintf(why, wlen, "a URL libcurl does not parse"), -1;
	return 0;
}

/*
 * The header name: val added to t, the probe's own checks; 0, or -1 with
 * why (which never holds the value: it may be a secret).
 */
static int
header_check(struct mcp_target *t, const char *name, const char *val, char *why, size_t len)
{
	char spec[MCP_HEADER_VALUE_MAX + 80], e[200], q[MCP_QUOTED_MAX];

	mcp_json_quoted(q, sizeof(q), name);
	/* '#', '=' and ':' would cut the header=Name:value of a targets line. */
	if (strlen(name) > 64 || !mcp_target_token_ok(name) || strpbrk(name, ":=#") != NULL ||
	    snprintf(spec, sizeof(spec), "%s:%s", name, val) >= (int)sizeof(spec))
		return snprintf(why, len, "header %s: not a field name", q), -1;
	if (!mcp_target_token_ok(val))
		return snprintf(why, len, "header %s: a blank or control byte in its value", q), -1;
	if (mcp_header_add(t, spec, 0, e, sizeof(e)) == -1) {
		if (strncmp(e, "want ", 5) == 0)
			return snprintf(why, len, "header %s: not a field name", q), -1;
		return snprintf(why, len, "%s", e), -1;
	}
	return 0;
}

/*
 * The headers of a remote kept (mcp-aggregate(1)): a fixed value, or a
 * required one's default, variables filled; a header without either is
 * left out (a secret is never invented).  0, or 1 with the reason.
 */
static int
headers_of(const cJSON *hs, struct remote *r)
{
	struct mcp_target t;
	const cJSON *h;
	const char *name, *v;
	char val[MCP_HEADER_VALUE_MAX + 1], q[MCP_QUOTED_MAX];
	int rc = 0, f;

	memset(&t, 0, sizeof(t));
	cJSON_ArrayForEach(h, hs)
	{
		if ((name = mcp_json_str(h, "name", NULL)) == NULL)
			continue;
		v = mcp_json_str(h, "value", NULL);
		if (v == NULL && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "isRequired")))
			v = mcp_json_str(h, "default", NULL);
		if (v == NULL)
			continue;
		f = fill(v, cJSON_GetObjectItemCaseSensitive(h, "variables"), val, sizeof(val),
		    r->why, sizeof(r->why));
		if (f == -1)
			snprintf(r->why, sizeof(r->why),
			    "header %s: malformed variables or over %d bytes",
			    mcp_json_quoted(q, sizeof(q), name), MCP_HEADER_VALUE_MAX);
		if (f == 0 && header_check(&t, name, val, r->why, sizeof(r->why)) == -1)
			f = -1;
		if (f == 0 &&
		    (mcp_buf_adds(&r->headers, r->headers.len ? "," : "") == -1 ||
		        mcp_buf_adds(&r->headers, "{\"name\":") == -1 ||
		        mcp_json_string(&r->headers, name) == -1 ||
		        mcp_buf_adds(&r->headers, ",\"value\":") == -1 ||
		        mcp_json_string(&r->headers, val) == -1 ||
		        mcp_buf_addc(&r->headers, '}') == -1)) {
			snprintf(r->why, sizeof(r->why), "out of memory");
			f = -1;
		}
		if (f != 0) {
			rc = 1;
			break;
		}
	}
	mcp_target_free(&t);
	return rc;
}

static void
remote_of(const cJSON *rem, const struct reg_opts *o, struct remote *r)
{
	const char *type = mcp_json_str(rem, "type", NULL), *url = mcp_json_str(rem, "url", NULL);
	int f;

	r->state = REG_PROBE;
	r->type = type && strcmp(type, "streamable-http") == 0 ? "streamable-http"
	    : type && strcmp(type, "sse") == 0                 ? "sse"
	                                                       : NULL;
	if (!cJSON_IsObject(rem) || url == NULL) {
		r->state = REG_REFUSED;
		snprintf(r->why, sizeof(r->why), "remote without a url");
		return;
	}
	if (r->type == NULL) {
		r->state = REG_REFUSED;
		snprintf(r->why, sizeof(r->why), "remote type neither streamable-http nor sse");
		return;
	}
	f = fill(url, cJSON_GetObjectItemCaseSensitive(rem, "variables"), r->url, sizeof(r->url),
	    r->why, sizeof(r->why));
	if (f == 1) {
		r->state = REG_NEEDS_CONF;
		return;
	}
	if (f == -1) {
		r->state = REG_REFUSED;
		snprintf(r->why, sizeof(r->why), "URL malformed or over %d bytes", REG_URL_MAX);
		return;
	}
	r->has_url = 1;
	if (url_check(r->url, o->allow_http, r->why, sizeof(r->why)) == -1) {
		r->state = REG_REFUSED;
		return;
	}
	if (headers_of(cJSON_GetObjectItemCaseSensitive(rem, "headers"), r) == 1)
		r->state = REG_NEEDS_CONF;
}

/* The common members of an entry's fields. */
struct entry {
	const char *name, *version, *status, *updated;
	double now;
	const char *base;
};

static int
field_json(const struct entry *e, int index, const struct remote *r, struct mcp_buf *b)
{
	int rc = 0;

	rc |= mcp_buf_adds(b, "{\"name\":");
	rc |= mcp_json_string(b, e->name);
	rc |= mcp_buf_adds(b, ",\"version\":");
	rc |= e->version ? mcp_json_string(b, e->version) : mcp_buf_adds(b, "null");
	rc |= index < 0 ? mcp_buf_adds(b, ",\"remote\":null")
	                : mcp_buf_addf(b, ",\"remote\":%d", index);
	rc |= mcp_buf_adds(b, ",\"type\":");
	rc |= r && r->type ? mcp_json_string(b, r->type) : mcp_buf_adds(b, "null");
	rc |= mcp_buf_adds(b, ",\"url\":");
	rc |= r && r->has_url ? mcp_json_string(b, r->url) : mcp_buf_adds(b, "null");
	rc |=
	    mcp_buf_addf(b, ",\"headers\":[%s],\"status\":", r && r->headers.p ? r->headers.p : "");
	rc |= mcp_json_string(b, e->status);
	rc |=
	    mcp_buf_addf(b, ",\"state\":\"%s\",\"reason\":", state_names[r ? r->state : REG_LOCAL]);
	if (r == NULL)
		rc |= mcp_buf_adds(b, "\"packages only: run locally, not probed from afar\"");
	else
		rc |= r->state == REG_PROBE ? mcp_buf_adds(b, "null") : mcp_json_string(b, r->why);
	rc |= mcp_buf_adds(b, ",\"registry\":");
	rc |= mcp_json_string(b, e->base);
	rc |= mcp_buf_adds(b, ",\"updated_at\":");
	rc |= e->updated ? mcp_json_string(b, e->updated) : mcp_buf_adds(b, "null");
	rc |= mcp_buf_adds(b, ",\"synced_at\":");
	rc |= mcp_json_addnum(b, mcp_ms_round(e->now));
	rc |= mcp_buf_addc(b, '}');
	return rc ? -1 : 0;
}

/* A string as it is stored: invalid UTF-8 made U+FFFD (owned, or NULL). */
static char *
clean(const char *s)
{
	struct mcp_buf b = {0};
	cJSON *v;
	const char *why;
	char *r = NULL;

	if (mcp_json_string(&b, s) == 0 && (v = mcp_json_parse(b.p, b.len, &why)) != NULL) {
		r = strdup(v->valuestring);
		cJSON_Delete(v);
	}
	mcp_buf_free(&b);
	return r;
}

/*
 * The name as it is stored: cleaned, then cut to REG_NAME_KEPT bytes at a
 * character's start (each invalid byte grows to 3 as U+FFFD: the cap on
 * the name as listed does not bound it).  Owned, or NULL.
 */
static char *
kept_name(const char *s)
{
	char *r = clean(s);
	size_t n;

	if (r != NULL && (n = strlen(r)) > REG_NAME_KEPT) {
		for (n = REG_NAME_KEPT; n > 0 && ((unsigned char)r[n] & 0xc0) == 0x80; n--)
			;
		r[n] = '\0';
	}
	return r;
}

/*
 * 1 when r is a remote kept already (seen: the URL, a newline and the
 * headers of each); else 0, and r added to seen when it has a URL.  -1
 * when memory ran out.
 */
static int
duplicate(char **seen, size_t *nseen, const struct remote *r)
{
	char *k;
	size_t i;

	if (!r->has_url)
		return 0;
	if (asprintf(&k, "%s\n%s", r->url, r->headers.p ? r->headers.p : "") == -1)
		return -1;
	for (i = 0; i < *nseen; i++)
		if (strcmp(seen[i], k) == 0)
			return free(k), 1;
	if (*nseen == REG_REMOTES_MAX)
		return free(k), 0;
	seen[(*nseen)++] = k;
	return 0;
}

static int
add_field(const struct entry *e, int index, const struct remote *r, struct reg_field *f)
{
	struct mcp_buf b = {0};

	memset(f, 0, sizeof(*f));
	f->state = r ? r->state : REG_LOCAL;
	f->deleted = strcmp(e->status, "deleted") == 0;
	if (field_json(e, index, r, &b) == -1 || (f->name = strdup(e->name)) == NULL ||
	    (f->key = reg_key(e->name, index)) == NULL) {
		mcp_buf_free(&b);
		reg_field_free(f);
		return -1;
	}
	f->json = b.p;
	return 0;
}

static int
entry_meta(const cJSON *entry, struct entry *e, char *err, size_t len)
{
	const cJSON *m =
	    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(entry, "_meta"),
	        "io.modelcontextprotocol.registry/official");
	const char *st = mcp_json_str(m, "status", NULL);

	e->status = "active";
	if (st != NULL && strcmp(st, "deprecated") == 0)
		e->status = "deprecated";
	else if (st != NULL && strcmp(st, "deleted") == 0)
		e->status = "deleted";
	else if (st != NULL && strcmp(st, "active") != 0)
		return snprintf(err, len, "status is not active, deprecated or deleted"), -1;
	e->updated = mcp_json_str(m, "updatedAt", NULL);
	if (e->updated && (strlen(e->updated) > 40 || !mcp_target_token_ok(e->updated)))
		e->updated = NULL;
	return 0;
}

int
reg_entry_fields(const cJSON *entry, const struct reg_opts *o, double now, struct reg_field **out,
    size_t *n, char *err, size_t len)
{
	const cJSON *srv = cJSON_GetObjectItemCaseSensitive(entry, "server"), *rems, *rem;
	struct entry e = {NULL, NULL, NULL, NULL, now, o->base};
	struct remote r;
	char *name = NULL, *version = NULL, *seen[REG_REMOTES_MAX];
	size_t nseen = 0;
	int i = 0, nr, rc = -1, d;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsObject(entry) || !cJSON_IsObject(srv))
		return snprintf(err, len, "not an object with a \"server\" object"), -1;
	if (mcp_json_str(srv, "name", NULL) == NULL || *mcp_json_str(srv, "name", NULL) == '\0')
		return snprintf(err, len, "server without a name"), -1;
	if (strlen(mcp_json_str(srv, "name", NULL)) > REG_NAME_MAX)
		return snprintf(err, len, "name over %d bytes", REG_NAME_MAX), -1;
	if (!reg_name_ok(mcp_json_str(srv, "name", NULL)))
		return snprintf(err, len, "name is not NAMESPACE/NAME (one slash)"), -1;
	rems = cJSON_GetObjectItemCaseSensitive(srv, "remotes");
	if (rems != NULL && !cJSON_IsArray(rems) && !cJSON_IsNull(rems))
		return snprintf(err, len, "remotes is not an array"), -1;
	if ((nr = cJSON_GetArraySize(rems)) > REG_REMOTES_LISTED)
		return snprintf(err, len, "more than %d remotes", REG_REMOTES_LISTED), -1;
	if (entry_meta(entry, &e, err, len) == -1)
		return -1;
	if ((e.name = name = kept_name(mcp_json_str(srv, "name", NULL))) == NULL ||
	    (mcp_json_str(srv, "version", NULL) &&
	        strlen(mcp_json_str(srv, "version", NULL)) <= REG_VERSION_MAX &&
	        (e.version = version = clean(mcp_json_str(srv, "version", NULL))) == NULL) ||
	    (*out = calloc(nr > 0 ? (size_t)nr : 1, sizeof(**out))) == NULL) {
		snprintf(err, len, "out of memory");
		goto done;
	}
	if (nr == 0) {
		if (add_field(&e, -1, NULL, &(*out)[0]) == -1)
			goto oom;
		*n = 1;
		rc = 0;
		goto done;
	}
	cJSON_ArrayForEach(rem, rems)
	{
		memset(&r, 0, sizeof(r));
		remote_of(rem, o, &r);
		if ((d = duplicate(seen, &nseen, &r)) != 0) {
			mcp_buf_free(&r.headers);
			if (d == -1)
				goto oom;
			i++;
			continue;
		}
		if (*n == REG_REMOTES_MAX) {
			mcp_buf_free(&r.headers);
			snprintf(err, len, "more than %d distinct remotes", REG_REMOTES_MAX);
			goto done;
		}
		if (add_field(&e, i, &r, &(*out)[*n]) == -1) {
			mcp_buf_free(&r.headers);
			goto oom;
		}
		mcp_buf_free(&r.headers);
		i++;
		++*n;
	}
	rc = 0;
	goto done;
oom:
	snprintf(err, len, "out of memory");
done:
	if (rc == -1 && *out != NULL) {
		while (*n > 0)
			reg_field_free(&(*out)[--*n]);
		free(*out);
		*out = NULL;
	}
	while (nseen > 0)
		free(seen[--nseen]);
	free(name);
	free(version);
	return rc;
}

/*
 * A server's remote 0 and its field of no remote (packages only) are one
 * owner: a server that gains its first remote, or loses its last, keeps
 * its field and its slug.
 */
char *
reg_key(const char *name, int remote)
{
	char *k;

	if (asprintf(&k, "%d:%s", remote < 0 ? 0 : remote, name) == -1)
		return NULL;
	return k;
}

int
reg_name_ok(const char *name)
{
	const char *sl = strchr(name, '/');

	return sl != NULL && sl != name && sl[1] != '\0' && strchr(sl + 1, '/') == NULL;
}

int
reg_slug(const char *name, int remote, int hashed, char *buf, size_t len)
{
	char s[REG_NAME_MAX + 16], num[16];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen;
	size_t i, n = 0;
	EVP_MD_CTX *x;
	int ok;

	for (i = 0; name[i] != '\0' && n < REG_NAME_MAX; i++) {
		char c = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 'a' - 'A') : name[i];

		s[n++] = c == '/'                                               ? '.'
		    : strchr("abcdefghijklmnopqrstuvwxyz0123456789._-", c) && c ? c
		                                                                : '-';
	}
	s[n] = '\0';
	if (remote > 0)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "-%d", remote);
	if (hashed) {
		snprintf(num, sizeof(num), "%d", remote < 0 ? 0 : remote);
		if ((x = EVP_MD_CTX_new()) == NULL)
			return -1;
		/* The name, its NUL, the remote: no two pairs hash the same input. */
		ok = EVP_DigestInit_ex(x, EVP_sha256(), NULL) == 1 &&
		    EVP_DigestUpdate(x, name, strlen(name) + 1) == 1 &&
		    EVP_DigestUpdate(x, num, strlen(num)) == 1 &&
		    EVP_DigestFinal_ex(x, md, &mdlen) == 1;
		EVP_MD_CTX_free(x);
		if (!ok)
			return -1;
		if (n > MCP_SLUG_MAX - 9)
			n = MCP_SLUG_MAX - 9;
		n += (size_t)snprintf(
		    s + n, sizeof(s) - n, "-%02x%02x%02x%02x", md[0], md[1], md[2], md[3]);
	}
	if (n >= len || !mcp_slug_ok(s))
		return -1;
	memcpy(buf, s, n + 1);
	return 0;
}

int
reg_shard_of(const char *slug, unsigned k, unsigned n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len;
	uint32_t h;

	if (n == 0)
		return 1;
	if (EVP_Digest(slug, strlen(slug), md, &len, EVP_sha256(), NULL) != 1)
		return 0;
	h = (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
	return h % n == k - 1;
}

void
reg_field_free(struct reg_field *f)
{
	free(f->slug);
	free(f->key);
	free(f->name);
	free(f->json);
	memset(f, 0, sizeof(*f));
}
