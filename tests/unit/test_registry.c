/*
 * test_registry.c - unit tests for the pure pieces of mcp-aggregate
 * registry sync (registry/entry.c and registry/slugs.c, compiled in
 * here): the slug rule and who gets a contested slug, the names taken,
 * the refused address ranges, the URL variables and headers of a remote,
 * and the shard hash of targets, in TAP.
 *
 * usage: test_registry [datadir]   (the argument is ignored)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../registry/entry.c"
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

static void
test_names(void)
{
	char *a = reg_key("io.github.a/b", -1), *b = reg_key("io.github.a/b", 0);

	ok(reg_name_ok("io.github.a/b") && reg_name_ok("com.acme/billing") && reg_name_ok("a/b"),
	    "NAMESPACE/NAME is a name");
	ok(!reg_name_ok("billing") && !reg_name_ok("/billing") && !reg_name_ok("acme/") &&
	        !reg_name_ok("a/b/c") && !reg_name_ok("") && !reg_name_ok("/"),
	    "no slash, an empty side or two slashes: not a name");
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

/* The one field of a server of one remote, as JSON text. */
static cJSON *
field_of(const char *remote)
{
	struct reg_opts o = {"https://r.example", 0, 0};
	struct reg_field *v;
	char text[4096], err[300];
	const char *why;
	size_t n;
	cJSON *e, *f = NULL;

	snprintf(text, sizeof(text), "{\"server\":{\"name\":\"a/b\",\"remotes\":[%s]}}", remote);
	if ((e = mcp_json_parse(text, strlen(text), &why)) == NULL)
		return NULL;
	if (reg_entry_fields(e, &o, 1795536000, &v, &n, err, sizeof(err)) == 0) {
		f = n == 1 ? mcp_json_parse(v[0].json, strlen(v[0].json), &why) : NULL;
		while (n > 0)
			reg_field_free(&v[--n]);
		free(v);
	}
	cJSON_Delete(e);
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
	    "URL malformed or over 2048 bytes");
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h}/\",\"variables\":{\"h\":{\"default\":"
	          "\"u@127.0.0.1\"}}}",
	    "refused", NULL, "URL with userinfo");
	remote_is("{\"type\":\"sse\",\"url\":\"https://{h}/\",\"variables\":{\"h\":{\"default\":"
	          "\"[::1]\"}}}",
	    "refused", NULL, "::1 is loopback");
	remote_is("{\"type\":\"streamable-http\",\"url\":\"https://x.example/\",\"headers\":[{"
	          "\"name\":\"Host\",\"value\":\"evil\"}]}",
	    "needs-configuration", NULL, "header Host: the probe sends it itself");
	remote_is("{\"type\":\"streamable-http\",\"url\":\"https://x.example/\",\"headers\":[{"
	          "\"name\":\"X-K\",\"isSecret\":true,\"isRequired\":true}]}",
	    "probe", NULL, NULL);
	remote_is("{\"type\":\"stdio\",\"url\":\"https://x.example/\"}", "refused", NULL,
	    "remote type neither streamable-http nor sse");
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
	test_shards();
	return done_testing();
}
