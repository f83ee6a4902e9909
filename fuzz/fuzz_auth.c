/*
 * fuzz_auth.c - the auth posture's parsers (probe/auth.c): the Bearer
 * challenge of a 401, where it sends the probe for metadata, and the
 * metadata documents it reads.
 *
 * The input's first byte picks the target (an https URL with a password,
 * a loopback http URL, an http URL without a path, an IPv6 loopback
 * https URL) and the address it was reached at; the first line after it
 * is a WWW-Authenticate value; the rest is the body of a metadata answer,
 * read with mcp_json_parse as the probe reads it.  Checked:
 *  - auth_param's value fits the buffer, and a shorter buffer gets a
 *    prefix of the same value (cut, never shifted);
 *  - every metadata URL auth_prm_url gives is at the target's origin,
 *    over https unless the server was reached on loopback, and holds the
 *    target's password only when the challenge does; a URL it refuses
 *    comes with a reason;
 *  - a metadata answer that auth_prm_ok or auth_as_ok accepts gives a
 *    detail object that the record writer can write.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "fuzz.h"
#include "../lib/json.h"
#include "../lib/mcp.h"
#include "../probe/probe.h"

#define PASSWORD "s3cr3t-pw"

static const struct {
	const char *url, *addr;
} targets[] = {
    {"https://user:" PASSWORD "@mcp.example.com/a/mcp?x=1", "203.0.113.9"},
    {"http://127.0.0.1:3000/mcp", "127.0.0.1"},
    {"http://mcp.example.com/", "203.0.113.9"},
    {"https://[::1]:8443/x/y/", "::1"},
};

static void
check_params(const char *c)
{
	static const char *const names[] = {
	    "resource_metadata", "error", "scope", "realm", "error_description", "as_uri"};
	char big[2048], small[9];
	const char *a, *b;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		a = auth_param(c, names[i], big, sizeof(big));
		b = auth_param(c, names[i], small, sizeof(small));
		FUZZ_CHECK((a == NULL) == (b == NULL));
		if (a == NULL)
			continue;
		FUZZ_CHECK(a == big && b == small);
		FUZZ_CHECK(strlen(big) < sizeof(big) && strlen(small) < sizeof(small));
		FUZZ_CHECK(strncmp(big, small, strlen(small)) == 0);
	}
}

static int
loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

static void
check_urls(struct probe *p)
{
	char buf[2048], o[700], want[700];
	const char *why;
	int n;

	FUZZ_CHECK(url_origin(p->t->url, want, sizeof(want)) == 0);
	for (n = 0; n < 5; n++) {
		if (auth_prm_url(p, n, buf, sizeof(buf), &why) == -1) {
			FUZZ_CHECK(why == NULL || why[0] != '\0');
			continue;
		}
		FUZZ_CHECK(n < 4 && why == NULL);
		FUZZ_CHECK(url_origin(buf, o, sizeof(o)) == 0 && strcmp(o, want) == 0);
		FUZZ_CHECK(strncmp(buf, "https://", 8) == 0 || loopback(p->addr));
		if (strstr(p->challenge, PASSWORD) == NULL)
			FUZZ_CHECK(strstr(buf, PASSWORD) == NULL);
	}
}

/* A detail that a step record will carry: it must be writable. */
static void
check_detail(int rc, cJSON *detail, const char *why)
{
	struct mcp_buf b = {0};
	char err[128];

	/* -2: the metadata names another resource (auth_prm_ok). */
	if (rc == -1 || rc == -2) {
		FUZZ_CHECK(why[0] != '\0');
		return;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(cJSON_IsObject(detail));
	FUZZ_CHECK(mcp_json_write(&b, detail, err, sizeof(err)) == 0);
	FUZZ_CHECK(mcp_utf8_valid(b.p, b.len));
	mcp_buf_free(&b);
	cJSON_Delete(detail);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (mcp_curl_init() == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct opts o = {
	    .region = "fuzz", .timeout = 30, .req_timeout = 10, .max_body = 1 << 20, .jobs = 1};
	struct mcp_target t = {.slug = "fuzz"};
	const uint8_t *nl;
	size_t clen, k;
	struct probe *p;
	cJSON *detail = NULL;
	const char *bad;
	char *c, why[256];
	int rc;

	if (size == 0)
		return 0;
	k = data[0] % (sizeof(targets) / sizeof(targets[0]));
	t.url = (char *)targets[k].url;
	data++, size--;
	nl = memchr(data, '\n', size);
	clen = nl != NULL ? (size_t)(nl - data) : size;
	c = fuzz_str(data, clen);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		abort();
	FUZZ_CHECK(auth_is_bearer(c) == 0 || auth_is_bearer(c) == 1);
	check_params(c);
	p->o = &o;
	p->t = &t;
	p->challenge = c;
	snprintf(p->addr, sizeof(p->addr), "%s", targets[k].addr);
	check_urls(p);
	snprintf(p->prm_url, sizeof(p->prm_url), "https://mcp.example.com/.well-known/x");
	p->x.p = p;
	if (nl != NULL)
		p->x.msg = mcp_json_parse((const char *)nl + 1, size - clen - 1, &bad);
	if (p->x.msg != NULL) {
		why[0] = '\0';
		rc = auth_prm_ok(&p->x, &detail, why, sizeof(why));
		check_detail(rc, detail, why);
		why[0] = '\0';
		rc = auth_as_ok(&p->x, &detail, why, sizeof(why));
		check_detail(rc, detail, why);
	}
	cJSON_Delete(p->x.msg);
	free(p);
	free(c);
	return 0;
}
