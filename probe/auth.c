/*
 * auth.c - the auth posture without a token: the Bearer challenge of a 401
 * and the OAuth protected-resource metadata it leads to (RFC 9728).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "probe.h"

/* 1 when one of the challenges in a WWW-Authenticate value is Bearer. */
int
auth_is_bearer(const char *c)
{
	const char *s;

	for (s = c; (s = strcasestr(s, "bearer")) != NULL; s += 6)
		if ((s == c || s[-1] == ' ' || s[-1] == ',') && (s[6] == '\0' || s[6] == ' '))
			return 1;
	return 0;
}

/*
 * The value of auth-param name (quoted or token form) in a challenge, in
 * buf; NULL when absent.
 */
const char *
auth_param(const char *c, const char *name, char *buf, size_t len)
{
	size_t n = strlen(name), i;
	const char *s, *v;

	for (s = c; (s = strcasestr(s, name)) != NULL; s += n) {
		if (s != c && s[-1] != ' ' && s[-1] != ',' && s[-1] != '\t')
			continue;
		v = s + n;
		while (*v == ' ')
			v++;
		if (*v++ != '=')
			continue;
		while (*v == ' ')
			v++;
		i = 0;
		if (*v == '"') {
			for (v++; *v != '\0' && *v != '"' && i + 1 < len; v++) {
				if (*v == '\\' && v[1] != '\0')
					v++;
				buf[i++] = *v;
			}
		} else {
			for (;
			     *v != '\0' && *v != ',' && !isspace((unsigned char)*v) && i + 1 < len;
			     v++)
				buf[i++] = *v;
		}
		buf[i] = '\0';
		return buf;
	}
	return NULL;
}

/* scheme://host:port of a URL, for the same-origin rule. */
int
url_origin(const char *url, char *buf, size_t len)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -1, n;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		n = snprintf(buf, len, "%s://%s:%s", scheme, host, port);
		rc = n < 0 || (size_t)n >= len ? -1 : 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/*
 * The canonical URI of the server at url (RFC 8707, the MCP spec's
 * audience binding): scheme and host in lower case, no default port, no
 * userinfo, query or fragment, no lone "/" for a path.  0, or -1.
 */
int
url_canonical(const char *url, char *buf, size_t len)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	int rc = -1, n;
	size_t i;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK &&
	    /*
	     * No host names a "%": libcurl decodes it as it reads a URL, so the
	     * canonical form would not read back as itself ("%33" is "3").  An
	     * IPv6 zone ("[fe80::1%25eth0]") keeps its brackets.
	     */
	    (host[0] == '[' || strchr(host, '%') == NULL)) {
		if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) != CURLUE_OK)
			port = NULL;
		for (i = 0; scheme[i] != '\0'; i++)
			scheme[i] = (char)tolower((unsigned char)scheme[i]);
		for (i = 0; host[i] != '\0'; i++)
			host[i] = (char)tolower((unsigned char)host[i]);
		n = snprintf(buf, len, "%s://%s%s%s%s", scheme, host, port ? ":" : "",
		    port ? port : "", strcmp(path, "/") == 0 ? "" : path);
		rc = n < 0 || (size_t)n >= len ? -1 : 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/*
 * Discovery documents are fetched only where the specifications put them:
 * at the server's own origin, over HTTPS unless the server is on loopback.
 * Anything else would let a challenge point every probe region at any
 * address and read back what answered.  NULL when url may be fetched.
 */
static const char *
refuse(const struct probe *p, const char *url)
{
	char a[600], b[600];

	if (url_origin(url, a, sizeof(a)) == -1 || url_origin(p->t->url, b, sizeof(b)) == -1 ||
	    strcmp(a, b) != 0)
		return "at another origin than the server's: not fetched";
	if (strncmp(url, "https:", 6) != 0 && !mcp_addr_loopback(p->addr))
		return "over plain HTTP off loopback: not fetched";
	return NULL;
}

/* url resolved against the target's URL, into buf. */
static int
resolve(const struct probe *p, const char *url, int keep_path, char *buf, size_t len)
{
	CURLU *u = curl_url();
	char *out = NULL, *path = NULL;
	int rc = -1, n;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, p->t->url, 0) != CURLUE_OK)
		goto out;
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	curl_url_set(u, CURLUPART_QUERY, NULL, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (keep_path) {
		/* The well-known URI with the resource's path appended. */
		if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK ||
		    strcmp(path, "/") == 0)
			goto out;
		n = snprintf(buf, len, "%s%s", url, path);
		if (n < 0 || (size_t)n >= len)
			goto out;
		url = buf;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK)
		goto out;
	n = snprintf(buf, len, "%s", out);
	rc = n < 0 || (size_t)n >= len ? -1 : 0;
out:
	curl_free(out);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

static int place(const struct probe *p, int n, char *buf, size_t len);

/*
 * The n-th place to look for the metadata (2025-11-25 order): the
 * challenge's resource_metadata, then the well-known URI with the path,
 * then without; last, for servers of 2025-03-26, which had none, the
 * authorization server metadata at the origin.  -1 when there is no n-th
 * place, or (with the reason in *why) when it may not be fetched.
 */
int
auth_prm_url(const struct probe *p, int n, char *buf, size_t len, const char **why)
{
	int rc;

	*why = NULL;
	if ((rc = place(p, n, buf, len)) == 0 && (*why = refuse(p, buf)) != NULL)
		return -1;
	return rc;
}

static int
place(const struct probe *p, int n, char *buf, size_t len)
{
	char v[2048];

	switch (n) {
	case 0:
		if (p->challenge == NULL ||
		    auth_param(p->challenge, "resource_metadata", v, sizeof(v)) == NULL ||
		    v[0] == '\0')
			return -1;
		return resolve(p, v, 0, buf, len);
	case 1:
		return resolve(p, "/.well-known/oauth-protected-resource", 1, buf, len);
	case 2:
		return resolve(p, "/.well-known/oauth-protected-resource", 0, buf, len);
	case 3:
		/*
		 * 2025-03-26 servers have no such metadata: RFC 8414 at the
		 * origin.  A challenge that names its metadata is of a later
		 * revision, and a dead link there is broken auth.
		 */
		if (p->challenge != NULL &&
		    auth_param(p->challenge, "resource_metadata", v, sizeof(v)) != NULL)
			return -1;
		return resolve(p, "/.well-known/oauth-authorization-server", 0, buf, len);
	}
	return -1;
}

/* 2025-03-26: authorization server metadata with both endpoints. */
int
auth_as_ok(const struct xfer *x, cJSON **detail, char *why, size_t len)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(x->msg, "authorization_endpoint");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(x->msg, "token_endpoint");
	const cJSON *i = cJSON_GetObjectItemCaseSensitive(x->msg, "issuer");
	cJSON *d;

	if (!cJSON_IsString(a) || !cJSON_IsString(t)) {
		snprintf(why, len, "no authorization_endpoint and token_endpoint");
		return -1;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "authorization_server_metadata", x->p->prm_url);
	if (cJSON_IsString(i))
		cJSON_AddStringToObject(d, "issuer", i->valuestring);
	*detail = d;
	return 0;
}

/* The path of a URL ("/" for none), into buf; -1 when it is no URL. */
static int
url_path(const char *url, char *buf, size_t len)
{
	CURLU *u = curl_url();
	char *path = NULL;
	int rc = -1, n;

	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
		n = snprintf(buf, len, "%s", path[0] != '\0' ? path : "/");
		rc = n < 0 || (size_t)n >= len ? -1 : 0;
	}
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

/*
 * RFC 9728 section 3.3: the metadata is for the resource probed.  As the
 * SDK client reads it: the same origin, and the probed path at or under
 * the resource's path ("/mcp" covers "/mcp" and "/mcp/x", not "/mcpx").
 */
static int
resource_matches(const char *probed, const char *resource)
{
	char a[600], b[600], pa[2048], pb[2048];
	size_t n;

	if (url_origin(probed, a, sizeof(a)) == -1 || url_origin(resource, b, sizeof(b)) == -1 ||
	    strcasecmp(a, b) != 0 || url_path(probed, pa, sizeof(pa) - 1) == -1 ||
	    url_path(resource, pb, sizeof(pb) - 1) == -1)
		return 0;
	if (pa[strlen(pa) - 1] != '/')
		strcat(pa, "/");
	if (pb[strlen(pb) - 1] != '/')
		strcat(pb, "/");
	n = strlen(pb);
	return strncmp(pa, pb, n) == 0;
}

/*
 * The metadata answer: JSON with a non-empty authorization_servers, for
 * this resource.  -2 when it names another resource.
 */
int
auth_prm_ok(const struct xfer *x, cJSON **detail, char *why, size_t len)
{
	const cJSON *as, *res, *e;
	cJSON *d, *a;

	if (!cJSON_IsObject(x->msg)) {
		snprintf(why, len, "not a JSON object");
		return -1;
	}
	as = cJSON_GetObjectItemCaseSensitive(x->msg, "authorization_servers");
	if (!cJSON_IsArray(as) || cJSON_GetArraySize(as) == 0) {
		snprintf(why, len, "no authorization_servers");
		return -1;
	}
	d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "resource_metadata", x->p->prm_url);
	a = cJSON_AddArrayToObject(d, "authorization_servers");
	cJSON_ArrayForEach(e, as)
	{
		if (!cJSON_IsString(e)) {
			snprintf(why, len, "authorization_servers holds a non-string");
			cJSON_Delete(d);
			return -1;
		}
		cJSON_AddItemToArray(a, cJSON_CreateString(e->valuestring));
	}
	res = cJSON_GetObjectItemCaseSensitive(x->msg, "resource");
	if (cJSON_IsString(res) && !resource_matches(x->p->t->url, res->valuestring)) {
		snprintf(why, len, "the metadata names another resource (%s, not %s)",
		    res->valuestring, x->p->url);
		cJSON_Delete(d);
		return -2;
	}
	if (cJSON_IsString(res))
		cJSON_AddStringToObject(d, "resource", res->valuestring);
	*detail = d;
	return 0;
}
