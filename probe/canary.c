/*
 * canary.c - the runner's own connectivity (--canary URL), checked once
 * before the fleet: a plain GET that any HTTP answer below 500 passes,
 * within -w seconds (and -t).  Every record of the run then says
 * "canary":"ok" or "canary":"fail" (mcp-probe(1), CANARY), so that
 * mcp-aggregate sets aside the results of a runner that could not reach
 * even its canary.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/x509.h>

#include "mcp.h"
#include "probe.h"
#include "version.h"

/* The body is not read: only that an answer came. */
static size_t
discard(char *b, size_t size, size_t n, void *arg)
{
	(void)b;
	(void)arg;
	return size * n;
}

/*
 * The URL as messages show it: no userinfo, secret query values
 * REDACTED (as a target's URL is printed); "(unprintable URL)" when it
 * does not parse.
 */
static void
shown(const struct opts *o, const char *url, char *buf, size_t len)
{
	CURLU *u = curl_url();
	char *out = NULL;

	snprintf(buf, len, "(unprintable URL)");
	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
	    redact_params(o, NULL, u) == 0 && curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		snprintf(buf, len, "%s", out);
	curl_free(out);
	curl_url_cleanup(u);
}

/*
 * Why the transfer failed, as the probe's error codes name it (the
 * library's text after them); no text of the server's.  0 when it passed.
 */
static int
reason(CURL *h, CURLcode rc, char *buf, size_t len)
{
	long st = 0, oserr = 0, vr = 0;

	if (rc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
		if (st > 0 && st < 500)
			return 0;
		snprintf(buf, len, "http_5xx: HTTP %ld", st);
		return -1;
	}
	curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
	if (rc == CURLE_COULDNT_RESOLVE_HOST)
		snprintf(buf, len, "dns_nxdomain: %s", curl_easy_strerror(rc));
	else if (rc == CURLE_COULDNT_CONNECT && oserr == ECONNREFUSED)
		snprintf(buf, len, "connect_refused: connection refused");
	else if (rc == CURLE_COULDNT_CONNECT)
		snprintf(buf, len, "connect_failed: %s",
		    oserr ? strerror((int)oserr) : curl_easy_strerror(rc));
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(buf, len, "timeout: no answer in time");
	else if (rc == CURLE_PEER_FAILED_VERIFICATION &&
	    curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &vr) == CURLE_OK &&
	    vr == X509_V_ERR_CERT_HAS_EXPIRED)
		snprintf(buf, len, "tls_cert_expired: certificate has expired");
	else if (rc == CURLE_PEER_FAILED_VERIFICATION)
		snprintf(buf, len, "tls_cert_invalid: certificate not trusted: %s",
		    vr ? X509_verify_cert_error_string(vr) : curl_easy_strerror(rc));
	else if (rc == CURLE_SSL_CONNECT_ERROR)
		snprintf(buf, len, "tls_handshake: %s", curl_easy_strerror(rc));
	else
		snprintf(buf, len, "transfer_failed: %s", curl_easy_strerror(rc));
	return -1;
}

const char *
canary_check(const struct opts *o)
{
	struct curl_slist *hdrs = NULL;
	char hdr[128], why[256], url[2048];
	double secs = o->req_timeout < o->timeout ? o->req_timeout : o->timeout;
	CURL *h;
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	int ok;

	snprintf(hdr, sizeof(hdr), "X-Probe-Region: %s", o->region);
	if ((h = curl_easy_init()) != NULL && (hdrs = curl_slist_append(NULL, hdr)) != NULL) {
		curl_easy_setopt(h, CURLOPT_URL, o->canary);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_USERAGENT, "mcp-probe/" MCP_VERSION);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
		if (o->cacert != NULL)
			curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(secs * 1000));
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
		rc = curl_easy_perform(h);
	}
	ok = h != NULL && hdrs != NULL && reason(h, rc, why, sizeof(why)) == 0;
	if (!ok) {
		if (h == NULL || hdrs == NULL)
			snprintf(why, sizeof(why), "out of memory");
		shown(o, o->canary, url, sizeof(url));
		warnx("canary %s failed: %s", url, why);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return ok ? "ok" : "fail";
}
