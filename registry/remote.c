/*
 * remote.c - one remote of a registry entry: its URL filled and checked,
 * the headers kept, a state and a reason (mcp-aggregate(1) "registry
 * sync").  Pure: no I/O.  Every byte of a remote is hostile.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "json.h"
#include "mcp.h"
#include "remote.h"
#include "targets.h"

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

/* 1 when s is ASCII only. */
static int
ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
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
	/* As stored, a byte of invalid UTF-8 would become U+FFFD: not the URL checked. */
	if (!ascii(url))
		return snprintf(
		           why, wlen, "URL holds a byte outside ASCII (a host goes as punycode)"),
		       -1;
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
	char spec[REG_HEADER_NAME_MAX + REG_HEADER_VALUE_MAX + 80], e[200], q[MCP_QUOTED_MAX];

	mcp_json_quoted(q, sizeof(q), name);
	/* '#', '=' and ':' would cut the header=Name:value of a targets line. */
	if (strlen(name) > REG_HEADER_NAME_MAX || !mcp_target_token_ok(name) ||
	    strpbrk(name, ":=#") != NULL ||
	    snprintf(spec, sizeof(spec), "%s:%s", name, val) >= (int)sizeof(spec))
		return snprintf(why, len, "header %s: not a field name", q), -1;
	if (!mcp_target_token_ok(val))
		return snprintf(why, len, "header %s: a blank or control byte in its value", q), -1;
	if (!ascii(val))
		return snprintf(why, len, "header %s: a byte outside ASCII in its value", q), -1;
	if (mcp_header_add(t, spec, 0, e, sizeof(e)) == -1) {
		if (strncmp(e, "want ", 5) == 0)
			return snprintf(why, len, "header %s: not a field name", q), -1;
		return snprintf(why, len, "%s", e), -1;
	}
	return 0;
}

/*
 * The value of header h into val (why when it has none): its fixed value,
 * or a required one's default, variables filled.  0; 1 when it has none;
 * -1 when it is malformed or too long.
 */
static int
header_value(const cJSON *h, int required, char *val, size_t len, char *why, size_t wlen)
{
	const char *v = mcp_json_str(h, "value", NULL);
	char q[MCP_QUOTED_MAX], var[MCP_QUOTED_MAX + 40];

	mcp_json_quoted(q, sizeof(q), mcp_json_str(h, "name", ""));
	if (v == NULL && required)
		v = mcp_json_str(h, "default", NULL);
	if (v == NULL)
		return snprintf(why, wlen, "header %s is required and has no value", q), 1;
	switch (
	    fill(v, cJSON_GetObjectItemCaseSensitive(h, "variables"), val, len, var, sizeof(var))) {
	case 0:
		return 0;
	case 1:
		snprintf(why, wlen, "header %s is required: %s", q, var);
		return 1;
	default:
		snprintf(why, wlen, "header %s: malformed variables or over %d bytes", q,
		    REG_HEADER_VALUE_MAX);
		return -1;
	}
}

/*
 * The headers of a remote kept (mcp-aggregate(1)): a fixed value, or a
 * required one's default, variables filled.  A required header that has
 * none, or whose value the probe would not send, makes the remote
 * needs-configuration: 1, the reason in r->why (a secret is never
 * invented).  An optional one that cannot be sent is left out.  0.
 */
static int
headers_of(const cJSON *hs, struct reg_remote *r)
{
	struct mcp_target t;
	const cJSON *h;
	const char *name;
	char val[REG_HEADER_VALUE_MAX + 1];
	int rc = 0, f, required;

	memset(&t, 0, sizeof(t));
	cJSON_ArrayForEach(h, hs)
	{
		if ((name = mcp_json_str(h, "name", NULL)) == NULL)
			continue;
		required = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "isRequired"));
		f = header_value(h, required, val, sizeof(val), r->why, sizeof(r->why));
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
			required = 1;
		}
		if (f != 0 && required) {
			rc = 1;
			break;
		}
	}
	mcp_target_free(&t);
	return rc;
}

void
reg_remote_of(const cJSON *rem, const struct reg_opts *o, struct reg_remote *r)
{
	const char *type = mcp_json_str(rem, "type", NULL), *url = mcp_json_str(rem, "url", NULL);
	const cJSON *hs;
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
	hs = cJSON_GetObjectItemCaseSensitive(rem, "headers");
	if (cJSON_GetArraySize(hs) > REG_HEADERS_LISTED) {
		r->state = REG_REFUSED;
		snprintf(r->why, sizeof(r->why), "more than %d headers", REG_HEADERS_LISTED);
	} else if (headers_of(hs, r) == 1)
		r->state = REG_NEEDS_CONF;
}
