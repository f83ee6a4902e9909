/*
 * test_registry.c - unit tests for the pure pieces of mcp-aggregate
 * registry sync (registry/entry.c, remote.c and slugs.c, compiled in
 * here): the slug rule and who gets a contested slug, the names taken,
 * the refused address ranges, the URL variables and headers of a remote,
 * the bounds of an entry, and the shard hash of targets, in TAP.
 *
 * usage: test_registry [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../registry/entry.c"
#include "../../registry/remote.c"
#include "../../registry/slugs.c"
#include "../../aggregate/rule.c"
#include "tap.h"

static void
slug_is(const char *name, int remote, int hashed, const char *want)
{
	char buf[MCP_SLUG_MAX + 1];
	int rc = reg_slug(name, remote, hashed, buf, sizeof(buf));

	ok(want ? rc == 0 && strcmp(buf, want) == 0 : rc == -1, "slug of %s remote %d%s: %s", name,
	    remote, hashed ? " hashed" : "", rc == 0 ? buf : "none");
}

static void
test_slugs(void)
{
	char name[200], a[MCP_SLUG_MAX + 1], b[MCP_SLUG_MAX + 1];

	slug_is("io.github.owner/repo", 0, 0, "io.github.owner.repo");
	slug_is("io.github.owner/repo", 1, 0, "io.github.owner.repo-1");
	slug_is("io.github.owner/repo", -1, 0, "io.github.owner.repo");
	slug_is("IO.GitHub.Owner/Repo_X", 0, 0, "io.github.owner.repo_x");
	slug_is("com.example/wea ther\x01", 0, 0, "com.example.wea-ther-");
	slug_is("./.", 0, 0, NULL);
	slug_is("./.", 0, 1, "...-e6dbbc60");
	memset(name, 'a', 100);
	name[100] = '\0';
	slug_is(name, 0, 0, NULL);
	ok(reg_slug(name, 0, 1, a, sizeof(a)) == 0 && strlen(a) == 80 && a[71] == '-',
	    "a long name: cut to 71 and 9 more");
	ok(reg_slug("io.github.a/b", 0, 1, a, sizeof(a)) == 0 &&
	        reg_slug("io.github.a/b", 1, 1, b, sizeof(b)) == 0 && strcmp(a + 13, b + 15) != 0,
	    "the hash depends on the remote");
}

/* name_of: a bare name in the registry's own namespace. */
static void
name_is(const char *listed, const char *base, const char *want)
{
	char *n = name_of(listed, base);

	ok(n != NULL && strcmp(n, want) == 0, "name %s of %s: %s", listed, base, n ? n : "(null)");
	free(n);
}

static void
test_names(void)
{
	char *a = reg_key("io.github.a/b", -1), *b = reg_key("io.github.a/b", 0);

	ok(reg_name_ok("io.github.a/b") && reg_name_ok("com.acme/billing") && reg_name_ok("a/b"),
	    "NAMESPACE/NAME is a name");
	ok(!reg_name_ok("billing") && !reg_name_ok("/billing") && !reg_name_ok("acme/") &&
	        !reg_name_ok("a/b/c") && !reg_name_ok("") && !reg_name_ok("/"),
	    "no slash, an empty side or two slashes: not a name");
	name_is("github-mcp-server", "https://lukas-ertl.github.io/mcp-allowlist",
	    "io.github.lukas-ertl/github-mcp-server");
	name_is("billing", "http://127.0.0.1:8080", "127.0.0.1/billing");
	name_is("billing", "https://registry.example", "example.registry/billing");
	name_is("io.github.a/b", "https://lukas-ertl.github.io", "io.github.a/b");
	ok(a != NULL && b != NULL && strcmp(a, b) == 0,
	    "packages only and remote 0: one owner (%s)", a ? a : "none");
	free(a);
	free(b);
}

/*
 * The slugs reg_give_slugs gives to the claims "NAME REMOTE" of spec
 * (separated by '|'), in that order, with the slugs given (taken) and the
 * operator's (others, "" for none) space-separated: the slugs in the
 * order of spec, "-" for none.
 */
static char *
claims(const char *spec, const char *taken, const char *others)
{
	static char out[1024];
	struct reg_field f[8], *v[8];
	struct mcp_strmap given = {NULL, 0, 0}, oth = {NULL, 0, 0};
	char sp[512], tk[512], ot[512], *save, *w, *sp2;
	size_t n = 0, i;
	int added;

	memset(f, 0, sizeof(f));
	snprintf(sp, sizeof(sp), "%s", spec);
	snprintf(tk, sizeof(tk), "%s", taken);
	snprintf(ot, sizeof(ot), "%s", others);
	for (w = strtok_r(sp, "|", &save); w != NULL && n < 8; w = strtok_r(NULL, "|", &save)) {
		sp2 = strrchr(w, ' ');
		*sp2 = '\0';
		f[n].name = strdup(w);
		f[n].key = reg_key(w, atoi(sp2 + 1));
		v[n] = &f[n];
		n++;
	}
	for (w = strtok_r(tk, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
		mcp_strmap_put(&given, w, &added)->ptr = "?";
	for (w = strtok_r(ot, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
		mcp_strmap_put(&oth, w, &added);
	out[0] = '\0';
	if (reg_give_slugs(v, n, &given, &oth) == -1)
		snprintf(out, sizeof(out), "out of memory");
	for (i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? " " : "",
		    f[i].slug ? f[i].slug : "-");
		reg_field_free(&f[i]);
	}
	mcp_strmap_free(&given);
	mcp_strmap_free(&oth);
	return out;
}

static void
claims_are(const char *spec, const char *taken, const char *others, const char *want)
{
	const char *got = claims(spec, taken, others);

	ok(strcmp(got, want) == 0, "%s%s%s%s%s: %s", spec, *taken ? ", taken " : "", taken,
	    *others ? ", the operator's " : "", others, got);
}

static void
test_claims(void)
{
	char h1[MCP_SLUG_MAX + 1], h2[MCP_SLUG_MAX + 1], h3[MCP_SLUG_MAX + 1], a[400], b[400];

	reg_slug("io.github.collide/same", 0, 1, h1, sizeof(h1));
	snprintf(a, sizeof(a), "io.github.collide.same %s", h1);
	snprintf(b, sizeof(b), "%s io.github.collide.same", h1);
	/* Case variants, in both orders: the bytewise-smaller name (upper case) wins. */
	claims_are("io.github.Collide/Same 0|io.github.collide/same 0", "", "", a);
	claims_are("io.github.collide/same 0|io.github.Collide/Same 0", "", "", b);
	/* x/y-1 remote 0 and x/y remote 1 want x.y-1: x/y is the smaller name. */
	reg_slug("x/y-1", 0, 1, h2, sizeof(h2));
	snprintf(a, sizeof(a), "%s x.y x.y-1", h2);
	claims_are("x/y-1 0|x/y 0|x/y 1", "", "", a);
	snprintf(a, sizeof(a), "x.y-1 x.y %s", h2);
	claims_are("x/y 1|x/y 0|x/y-1 0", "", "", a);
	/* a.b/c and a/b.c: the same plain slug. */
	reg_slug("a/b.c", 0, 1, h3, sizeof(h3));
	snprintf(a, sizeof(a), "a.b.c %s", h3);
	claims_are("a.b/c 0|a/b.c 0", "", "", a);
	/* A slug given in this store stays with its owner, whoever is smaller. */
	reg_slug("io.github.Collide/Same", 0, 1, h3, sizeof(h3));
	claims_are("io.github.Collide/Same 0", "io.github.collide.same", "", h3);
	/* An operator's slug is never given to a registry server. */
	reg_slug("com.acme/billing", 0, 1, h3, sizeof(h3));
	claims_are("com.acme/billing 0", "", "com.acme.billing", h3);
	snprintf(a, sizeof(a), "com.acme.billing %s", h3);
	claims_are("com.acme/billing 0", "", a, "-");
	/*
	 * A hashed slug never takes another's plain one, in either order:
	 * io.github.collide/same-1ea3ee83 wants the hashed slug of
	 * io.github.collide/same, which is left without one.
	 */
	snprintf(a, sizeof(a), "io.github.Collide/Same 0|io.github.collide/same 0|%s 0", h1);
	*strrchr(a, '.') = '/';
	snprintf(b, sizeof(b), "io.github.collide.same - %s", h1);
	claims_are(a, "", "", b);
	snprintf(a, sizeof(a), "%s 0|io.github.collide/same 0|io.github.Collide/Same 0", h1);
	*strrchr(a, '|') = '\0';
	*strrchr(a, '|') = '\0';
	*strrchr(a, '.') = '/';
	strcat(a, "|io.github.collide/same 0|io.github.Collide/Same 0");
	snprintf(b, sizeof(b), "%s - io.github.collide.same", h1);
	claims_are(a, "", "", b);
}

static void
test_twins(void)
{
	char p[MCP_SLUG_MAX + 1], h[MCP_SLUG_MAX + 1];

	reg_slug("io.github.github/github-mcp-server", 0, 0, p, sizeof(p));
	reg_slug("io.github.github/github-mcp-server", 0, 1, h, sizeof(h));
	ok(reg_twin_keeps("io.github.github/github-mcp-server", h, p) == 1 &&
	        reg_twin_keeps("io.github.github/github-mcp-server", p, h) == 0,
	    "twins: the plain slug kept (%s over %s)", p, h);
	ok(reg_twin_keeps("io.github.github/github-mcp-server", "x", h) == 1 &&
	        reg_twin_keeps("io.github.github/github-mcp-server", "b", "a") == 1,
	    "twins: else the hashed one, else the smaller");
}

static void
refused_is(const char *host, const char *want)
{
	const char *why = NULL;
	int r = reg_ip_refused(host, &why);

	ok(want ? r == 1 && strcmp(why, want) == 0 : r == 0, "%s: %s", host, r ? why : "allowed");
}

static void
test_ranges(void)
{
	refused_is("127.0.0.1", "loopback");
	refused_is("0.1.2.3", "unspecified");
	refused_is("10.9.8.7", "private");
	refused_is("172.16.0.1", "private");
	refused_is("172.31.255.255", "private");
	refused_is("172.32.0.1", NULL);
	refused_is("192.168.1.1", "private");
	refused_is("100.64.0.1", "shared address space (CGNAT)");
	refused_is("100.128.0.1", NULL);
	refused_is("169.254.169.254", "link-local (cloud metadata)");
	refused_is("2130706433", "loopback");
	refused_is("0x7f.1", "loopback");
	refused_is("::", "unspecified");
	refused_is("::1", "loopback");
	refused_is("fd00::1", "unique-local");
	refused_is("fe80::1", "link-local");
	refused_is("::ffff:10.0.0.1", "private");
	refused_is("::ffff:169.254.169.254", "link-local (cloud metadata)");
	refused_is("::127.0.0.1", "loopback");
	refused_is("2001:db8::1", NULL);
	/* As libcurl and the resolver read them (review finding 13). */
	refused_is("%31%32%37.0.0.1", "loopback");
	refused_is("127.0.0.1.", "loopback");
	refused_is("64:ff9b::7f00:1", "loopback");
	refused_is("%31%30.0.0.1.", "private");
	refused_is("240.0.0.1", "reserved (multicast, benchmarking, protocol or future use)");
	refused_is("example.com.", NULL);
	refused_is("93.184.215.14", NULL);
	refused_is("example.com", NULL);
}

/* The fields of a server, its remotes given as JSON text (owned: fields_free). */
static struct reg_field *
fields_of(const char *remotes, size_t *n, struct reg_remotes *c)
{
	struct reg_opts o = {"https://r.example", 0, 0, 0, 0, NULL};
	struct reg_field *v = NULL;
	char *text, err[300];
	const char *why;
	cJSON *e;

	*n = 0;
	if (asprintf(&text, "{\"server\":{\"name\":\"a/b\",\"remotes\":[%s]}}", remotes) == -1)
		return NULL;
	if ((e = mcp_json_parse(text, strlen(text), &why)) != NULL &&
	    reg_entry_fields(e, &o, 1795536000, &v, n, c, err, sizeof(err)) == -1)
		v = NULL;
	cJSON_Delete(e);
	free(text);
	return v;
}

static void
fields_free(struct reg_field *v, size_t n)
{
	while (n > 0)
		reg_field_free(&v[--n]);
	free(v);
}

/* The one field of a server of one remote, as JSON text. */
static cJSON *
field_of(const char *remote)
{
	struct reg_remotes c;
	struct reg_field *v;
	const char *why;
	size_t n;
	cJSON *f = NULL;

	if ((v = fields_of(remote, &n, &c)) != NULL) {
		f = n == 1 ? mcp_json_parse(v[0].json, strlen(v[0].json), &why) : NULL;
		fields_free(v, n);
	}
	return f;
}

static void
remote_is(const char *remote, const char *state, const char *url, const char *reason)
{
	cJSON *f = field_of(remote);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(f, "state"),
	            *u = cJSON_GetObjectItemCaseSensitive(f, "url"),
	            *r = cJSON_GetObjectItemCaseSensitive(f, "reason");

	ok(cJSON_IsString(s) && strcmp(s->valuestring, state) == 0 &&
	        (url ? cJSON_IsString(u) && strcmp(u->valuestring, url) == 0 : 1) &&
	        (reason ? cJSON_IsString(r) && strcmp(r->valuestring, reason) == 0
	                : cJSON_IsNull(r)),
	    "%s: %s", remote, cJSON_IsString(r) ? r->valuestring : state);
	cJSON_Delete(f);
}

static void
test_remotes(void)
{
	remote_is("{\"type\":\"streamable-http\",\"url\":\"https://x.example/mcp\"}", "probe",
	    "https://x.example/mcp", NULL);
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h}.example/{p}\",\"variables\":{\"h\":{"
	          "\"default\":\"eu\"},\"p\":{\"default\":\"sse\"}}}",
	    "probe", "https://eu.example/sse", NULL);
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h}.example/\"}", "needs-configuration",
	    NULL, "variable \"h\" has no default");
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h}.example/\",\"variables\":{\"h\":{"
	          "\"default\":\"a b\"}}}",
	    "needs-configuration", NULL, "variable \"h\" has no default");
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h/\"}", "refused", NULL,
	    "URL malformed or over 512 bytes");
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h}/\",\"variables\":{\"h\":{\"default\":"
	          "\"u@127.0.0.1\"}}}",
	    "refused", NULL, "URL with userinfo");
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h}/\",\"variables\":{\"h\":{\"default\":"
	          "\"[::1]\"}}}",
	    "refused", NULL, "::1 is loopback");
	remote_is("{\"type\":\"streamable-http\",\"url\":\"https://x.example/\",\"headers\":[{"
	          "\"name\":\"Host\",\"value\":\"evil\",\"isRequired\":true}]}",
	    "needs-configuration", NULL, "header Host: the probe sends it itself");
	remote_is("{\"type\":\"stdio\",\"url\":\"https://x.example/\"}", "refused", NULL,
	    "remote type neither streamable-http nor sse");
	/* Stored, invalid UTF-8 would become U+FFFD: the URL probed would not be the one checked. */
	remote_is("{\"type\":\"sse\",\"url\":\"https://b\u00fccher.example/\"}", "refused", NULL,
	    "URL holds a byte outside ASCII (a host goes as punycode)");
	remote_is("{\"type\":\"sse\",\"url\":\"https://x.example/\",\"headers\":[{\"name\":\"X-A\","
	          "\"value\":\"\u00e9\",\"isRequired\":true}]}",
	    "needs-configuration", NULL, "header \"X-A\": a byte outside ASCII in its value");
}

/* The headers kept of the one field of remote, as JSON text ("" when none). */
static void
headers_are(const char *remote, const char *state, const char *headers, const char *reason)
{
	cJSON *f = field_of(remote);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(f, "state"),
	            *h = cJSON_GetObjectItemCaseSensitive(f, "headers"),
	            *r = cJSON_GetObjectItemCaseSensitive(f, "reason");
	char *t = h ? cJSON_PrintUnformatted(h) : NULL;

	ok(cJSON_IsString(s) && strcmp(s->valuestring, state) == 0 && t &&
	        strcmp(t, headers) == 0 &&
	        (reason ? cJSON_IsString(r) && strcmp(r->valuestring, reason) == 0
	                : cJSON_IsNull(r)),
	    "%s: %s %s %s", remote, cJSON_IsString(s) ? s->valuestring : "?", t ? t : "?",
	    cJSON_IsString(r) ? r->valuestring : "");
	free(t);
	cJSON_Delete(f);
}

#define REM(h) "{\"type\":\"streamable-http\",\"url\":\"https://x.example/\",\"headers\":[" h "]}"

/* Issue 39, item 10: a required header without a value waits for the operator; an optional one is left out. */
static void
test_headers(void)
{
	headers_are(REM("{\"name\":\"X-K\",\"isSecret\":true,\"isRequired\":true}"),
	    "needs-configuration", "[]", "header \"X-K\" is required and has no value");
	headers_are(REM("{\"name\":\"X-Org\",\"isRequired\":true}"), "needs-configuration", "[]",
	    "header \"X-Org\" is required and has no value");
	headers_are(REM("{\"name\":\"X-K\",\"isSecret\":true}"), "probe", "[]", NULL);
	headers_are(REM("{\"name\":\"Authorization\",\"value\":\"Bearer {smithery_api_key}\"}"),
	    "probe", "[]", NULL);
	headers_are(REM("{\"name\":\"Authorization\",\"value\":\"Bearer {k}\",\"isRequired\":"
	                "true,\"isSecret\":true}"),
	    "needs-configuration", "[]",
	    "header \"Authorization\" is required: variable \"k\" has no default");
	/* Infobip's: the header optional, its variable required: left out. */
	headers_are(REM("{\"name\":\"Authorization\",\"value\":\"App {K}\",\"variables\":{\"K\":{"
	                "\"isRequired\":true,\"isSecret\":true}}}"),
	    "probe", "[]", NULL);
	headers_are(
	    REM("{\"name\":\"Host\",\"value\":\"evil\"},{\"name\":\"X-A\",\"value\":\"a b\"},"
	        "{\"name\":\"X-T\",\"value\":\"t-{v}\",\"variables\":{\"v\":{\"default\":"
	        "\"1\"}}}"),
	    "probe", "[{\"name\":\"X-T\",\"value\":\"t-1\"}]", NULL);
	headers_are(REM("{\"name\":\"X-D\",\"default\":\"d\",\"isRequired\":true},{\"name\":"
	                "\"X-O\",\"default\":\"o\"}"),
	    "probe", "[{\"name\":\"X-D\",\"value\":\"d\"}]", NULL);
}

/* A string of n bytes of c (owned by the caller). */
static char *
bytes_of(int c, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memset(s, c, n);
		s[n] = '\0';
	}
	return s;
}

/* Issue 39, items 4 and 9: each field bounded, the remotes kept up to a bound, the rest counted. */
static void
test_bounds(void)
{
	struct mcp_buf b = {0};
	struct reg_remotes c;
	struct reg_field *v;
	char *val = bytes_of('v', REG_HEADER_VALUE_MAX + 1), *big = bytes_of('u', REG_URL_MAX);
	size_t n, i, most = 0;
	int k;

	for (k = 0; k < 70; k++)
		mcp_buf_addf(&b, "%s{\"type\":\"sse\",\"url\":\"https://h%d.example/\"}",
		    k ? "," : "", k % 35);
	v = fields_of(b.p, &n, &c);
	ok(v && n == 35 && c.listed == 70 && c.duplicates == 35 && c.dropped == 0,
	    "70 remotes, 35 of them twice: 35 kept, 35 duplicates (%zu %ld %ld)", n, c.duplicates,
	    c.dropped);
	ok(v && strstr(v[0].json, ",\"dropped\":0,\"duplicates\":35}") != NULL,
	    "each field ends with what became of its server's remotes");
	fields_free(v, n);
	mcp_buf_reset(&b);
	for (k = 0; k < 100; k++)
		mcp_buf_addf(
		    &b, "%s{\"type\":\"sse\",\"url\":\"https://h%d.example/\"}", k ? "," : "", k);
	v = fields_of(b.p, &n, &c);
	ok(v && n == REG_REMOTES_MAX && c.dropped == 100 - REG_REMOTES_MAX && c.duplicates == 0,
	    "100 distinct remotes: %d kept, the rest dropped and counted (%zu, %ld)",
	    REG_REMOTES_MAX, n, c.dropped);
	fields_free(v, n);
	mcp_buf_reset(&b);
	mcp_buf_addf(&b, "{\"type\":\"sse\",\"url\":\"https://x.example/\",\"headers\":[");
	for (k = 0; k < 16 && val; k++)
		mcp_buf_addf(&b, "%s{\"name\":\"X-%d\",\"value\":\"%.*s\",\"isRequired\":true}",
		    k ? "," : "", k, REG_HEADER_VALUE_MAX, val);
	mcp_buf_adds(&b, "]}");
	v = fields_of(b.p, &n, &c);
	for (i = 0; v && i < n; i++)
		most = strlen(v[i].json) > most ? strlen(v[i].json) : most;
	ok(v && n == 1 && most <= REG_FIELD_MAX && v[0].state == REG_REFUSED &&
	        strstr(v[0].json, "\"url\":null,\"headers\":[]") != NULL,
	    "16 headers of %d bytes: a field over %d bytes is refused, without them (%zu)",
	    REG_HEADER_VALUE_MAX, REG_FIELD_MAX, most);
	fields_free(v, n);
	mcp_buf_reset(&b);
	for (k = 0; k < 30 && val; k++) {
		mcp_buf_addf(&b,
		    "%s{\"type\":\"sse\",\"url\":\"https://h%d.example/%.*s\",\"headers\":[",
		    k ? "," : "", k, 100, big);
		for (i = 0; i < 12; i++)
			mcp_buf_addf(&b, "%s{\"name\":\"X-%zu\",\"value\":\"%.*s\"}", i ? "," : "",
			    i, REG_HEADER_VALUE_MAX - 6, val);
		mcp_buf_adds(&b, "]}");
	}
	v = fields_of(b.p, &n, &c);
	for (i = 0, most = 0; v && i < n; i++)
		most += strlen(v[i].json);
	ok(v && n > 10 && n < 30 && c.dropped == (long)(30 - n) && most <= REG_SERVER_MAX,
	    "30 remotes of 12 long headers: kept up to %d bytes, the rest dropped (%zu kept, %zu "
	    "bytes)",
	    REG_SERVER_MAX, n, most);
	fields_free(v, n);
	mcp_buf_reset(&b);
	mcp_buf_addf(&b, "{\"type\":\"sse\",\"url\":\"https://x.example/\",\"headers\":[");
	for (k = 0; k <= REG_HEADERS_LISTED; k++)
		mcp_buf_addf(&b, "%s{\"name\":\"X-%d\"}", k ? "," : "", k);
	mcp_buf_adds(&b, "]}");
	remote_is(b.p, "refused", NULL, "more than 32 headers");
	mcp_buf_reset(&b);
	mcp_buf_addf(&b,
	    "{\"type\":\"sse\",\"url\":\"https://x.example/\",\"headers\":[{\"name\":"
	    "\"X-V\",\"value\":\"%s\",\"isRequired\":true}]}",
	    val ? val : "");
	remote_is(b.p, "needs-configuration", NULL,
	    "header \"X-V\": malformed variables or over 256 bytes");
	mcp_buf_free(&b);
	free(val);
	free(big);
}

static void
test_shards(void)
{
	char slug[32];
	int i, k, in, bad = 0, count[4] = {0};

	for (i = 0; i < 4000; i++) {
		snprintf(slug, sizeof(slug), "s%d", i);
		for (in = 0, k = 1; k <= 4; k++)
			if (reg_shard_of(slug, (unsigned)k, 4)) {
				in++;
				count[k - 1]++;
			}
		bad += in != 1;
	}
	ok(bad == 0, "every slug in exactly one of 4 shards");
	ok(count[0] > 900 && count[1] > 900 && count[2] > 900 && count[3] > 900,
	    "the shards about even: %d %d %d %d", count[0], count[1], count[2], count[3]);
	ok(reg_shard_of("x", 0, 0), "no --shard: every slug");
}

int
main(void)
{
	test_slugs();
	test_names();
	test_claims();
	test_twins();
	test_ranges();
	test_remotes();
	test_headers();
	test_bounds();
	test_shards();
	return done_testing();
}
