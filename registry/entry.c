/*
 * entry.c - one registry entry made fields of mcp:registry:servers: its
 * remotes (remote.c) within the bounds of a server, each a field, and the
 * slug rule.  Pure: no I/O.  Every byte of an entry is hostile.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "json.h"
#include "mcp.h"
#include "remote.h"
#include "targets.h"

static const char *const state_names[] = {"probe", "needs-configuration", "local-only", "refused"};

/* The common members of an entry's fields. */
struct entry {
	const char *name, *version, *status, *updated;
	double now;
	const char *base;
};

/* Room for the counts that end a field (finish). */
#define TAIL_MAX 80

/* A field's value without its end: the counts of its server follow (finish). */
static int
field_json(const struct entry *e, int index, const struct reg_remote *r, struct mcp_buf *b)
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
 * The state, URL and headers of r, which tell a duplicate (owned, or
 * NULL): a remote that needs configuration never hides one that does not.
 */
static char *
same_key(const struct reg_remote *r)
{
	char *k;

	return asprintf(&k, "%d\n%s\n%s", r->state, r->url, r->headers.p ? r->headers.p : "") == -1
	    ? NULL
	    : k;
}

/*
 * The field of remote index (-1: none) into f, its value without its
 * end.  A value that would pass REG_FIELD_MAX is made a refused one
 * without its URL and headers, which the bounds on a name, a version and
 * a base keep under it.  0, or -1 when memory ran out.
 */
static int
add_field(const struct entry *e, int index, const struct reg_remote *r, struct reg_field *f)
{
	struct mcp_buf b = {0};
	struct reg_remote small;

	memset(f, 0, sizeof(*f));
	if (field_json(e, index, r, &b) == -1)
		goto oom;
	if (r != NULL && b.len + TAIL_MAX > REG_FIELD_MAX) {
		memset(&small, 0, sizeof(small));
		small.type = r->type;
		small.state = REG_REFUSED;
		snprintf(small.why, sizeof(small.why), "URL and headers over %d bytes stored",
		    REG_FIELD_MAX);
		r = &small;
		mcp_buf_reset(&b);
		if (field_json(e, index, r, &b) == -1)
			goto oom;
	}
	f->state = r ? r->state : REG_LOCAL;
	f->deleted = strcmp(e->status, "deleted") == 0;
	if ((f->name = strdup(e->name)) == NULL || (f->key = reg_key(e->name, index)) == NULL)
		goto oom;
	f->json = b.p;
	return 0;
oom:
	mcp_buf_free(&b);
	reg_field_free(f);
	return -1;
}

/* The end of a field: what became of its server's remotes.  0, or -1. */
static int
finish(struct reg_field *f, const struct reg_remotes *c)
{
	char *j;

	if (asprintf(&j, "%s,\"dropped\":%ld,\"duplicates\":%ld}", f->json, c->dropped,
	        c->duplicates) == -1)
		return -1;
	free(f->json);
	f->json = j;
	return 0;
}

/*
 * The remotes of rems made fields in out (room for REG_REMOTES_MAX):
 * a duplicate left out, and every distinct one past REG_REMOTES_MAX or
 * REG_SERVER_MAX bytes, each counted in c.  0, or -1 when memory ran out.
 */
static int
remotes(const struct entry *e, const cJSON *rems, const struct reg_opts *o, struct reg_field *out,
    size_t *n, struct reg_remotes *c)
{
	const cJSON *rem;
	struct reg_remote r;
	char *seen[REG_REMOTES_MAX], *k = NULL;
	size_t nseen = 0, bytes = 0, j;
	int i = 0, rc = -1;

	memset(&r, 0, sizeof(r));
	cJSON_ArrayForEach(rem, rems)
	{
		memset(&r, 0, sizeof(r));
		reg_remote_of(rem, o, &r);
		c->listed++;
		if (r.has_url && (k = same_key(&r)) == NULL)
			goto out;
		for (j = 0; k != NULL && j < nseen && strcmp(seen[j], k) != 0; j++)
			;
		if (k != NULL && j < nseen)
			c->duplicates++;
		else if (*n == REG_REMOTES_MAX)
			c->dropped++;
		else if (add_field(e, i, &r, &out[*n]) == -1)
			goto out;
		else if (bytes + strlen(out[*n].json) + TAIL_MAX > REG_SERVER_MAX) {
			reg_field_free(&out[*n]);
			c->dropped++;
		} else {
			bytes += strlen(out[(*n)++].json) + TAIL_MAX;
			if (k != NULL)
				seen[nseen++] = k, k = NULL;
		}
		free(k);
		k = NULL;
		mcp_buf_free(&r.headers);
		i++;
	}
	rc = 0;
out:
	free(k);
	mcp_buf_free(&r.headers);
	while (nseen > 0)
		free(seen[--nseen]);
	return rc;
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

/*
 * The registry's own namespace, for a name listed without one: the host
 * of its base URL, its labels in reverse order as the registry's names
 * are written (lukas-ertl.github.io: io.github.lukas-ertl), a literal
 * address as it is.  0, or -1 when it does not fit.
 */
static int
base_namespace(const char *base, char *buf, size_t len)
{
	char host[AGG_HOST_MAX + 1], *dot;
	struct in6_addr a6;
	struct in_addr a4;
	size_t o = 0, n;

	if (agg_url_host(base, host, sizeof(host)) == -1 || strlen(host) >= len)
		return -1;
	if (inet_pton(AF_INET, host, &a4) == 1 || inet_pton(AF_INET6, host, &a6) == 1)
		return snprintf(buf, len, "%s", host), 0;
	while (host[0] != '\0') {
		dot = strrchr(host, '.');
		n = strlen(dot ? dot + 1 : host);
		memcpy(buf + o, dot ? dot + 1 : host, n);
		o += n;
		if (dot == NULL)
			break;
		*dot = '\0';
		buf[o++] = '.';
	}
	buf[o] = '\0';
	return 0;
}

/*
 * The name as the store keeps it (owned, or NULL): cleaned and cut
 * (kept_name); a name listed without a namespace, as a static
 * sub-registry's may be, given the registry's own (base_namespace), so
 * that no registry slug is ever a bare word an operator's target may be.
 */
static char *
name_of(const char *listed, const char *base)
{
	char ns[AGG_HOST_MAX + 1], *full, *r;

	if (strchr(listed, '/') != NULL)
		return kept_name(listed);
	if (base_namespace(base, ns, sizeof(ns)) == -1 ||
	    asprintf(&full, "%s/%s", ns, listed) == -1)
		return NULL;
	r = kept_name(full);
	free(full);
	return r;
}

int
reg_entry_fields(const cJSON *entry, const struct reg_opts *o, double now, struct reg_field **out,
    size_t *n, struct reg_remotes *c, char *err, size_t len)
{
	const cJSON *srv = cJSON_GetObjectItemCaseSensitive(entry, "server"), *rems;
	struct entry e = {NULL, NULL, NULL, NULL, now, o->base};
	const char *v;
	char *name = NULL, *version = NULL;
	size_t i;
	int rc = -1;

	*out = NULL;
	*n = 0;
	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(entry) || !cJSON_IsObject(srv))
		return snprintf(err, len, "not an object with a \"server\" object"), -1;
	if (mcp_json_str(srv, "name", NULL) == NULL || *mcp_json_str(srv, "name", NULL) == '\0')
		return snprintf(err, len, "server without a name"), -1;
	if (strlen(mcp_json_str(srv, "name", NULL)) > REG_NAME_MAX)
		return snprintf(err, len, "name over %d bytes", REG_NAME_MAX), -1;
	if (strchr(mcp_json_str(srv, "name", NULL), '/') != NULL &&
	    !reg_name_ok(mcp_json_str(srv, "name", NULL)))
		return snprintf(err, len, "name is not NAMESPACE/NAME (one slash, both sides)"), -1;
	rems = cJSON_GetObjectItemCaseSensitive(srv, "remotes");
	if (rems != NULL && !cJSON_IsArray(rems) && !cJSON_IsNull(rems))
		return snprintf(err, len, "remotes is not an array"), -1;
	if (entry_meta(entry, &e, err, len) == -1)
		return -1;
	v = mcp_json_str(srv, "version", NULL);
	if ((e.name = name = name_of(mcp_json_str(srv, "name", NULL), o->base)) == NULL ||
	    (v && strlen(v) <= REG_VERSION_MAX && (e.version = version = clean(v)) == NULL) ||
	    (*out = calloc(REG_REMOTES_MAX, sizeof(**out))) == NULL)
		goto done;
	if (cJSON_GetArraySize(rems) == 0) {
		if (add_field(&e, -1, NULL, &(*out)[0]) == -1)
			goto done;
		*n = 1;
	} else if (remotes(&e, rems, o, *out, n, c) == -1)
		goto done;
	for (i = 0; i < *n; i++)
		if (finish(&(*out)[i], c) == -1)
			goto done;
	rc = 0;
done:
	if (rc == -1) {
		snprintf(err, len, "out of memory");
		while (*n > 0)
			reg_field_free(&(*out)[--*n]);
		free(*out);
		*out = NULL;
	}
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
