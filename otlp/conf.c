/*
 * conf.c - mcp-otlp's configuration from OpenTelemetry's variables and
 * the flags: the endpoint, the headers (OTEL_EXPORTER_OTLP_HEADERS's
 * "key=value,key=value", percent-decoded, from the environment or from a
 * file only its owner may read) and the resource's attributes.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "mcp.h"
#include "otlpconf.h"

/* Percent-decode s in place; -1 when it decodes to a control character. */
static int
pct_decode(char *s)
{
	char *o = s, h[3] = {0};

	for (; *s != '\0'; s++) {
		if (*s == '%' && s[1] != '\0' && s[2] != '\0') {
			h[0] = s[1];
			h[1] = s[2];
			*o = (char)strtol(h, NULL, 16);
			s += 2;
		} else {
			*o = *s;
		}
		if ((unsigned char)*o < 0x20 || *o == 0x7f)
			return -1;
		o++;
	}
	*o = '\0';
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * Each "key=value" of list (written over) to fn; the separators are
 * commas, and newlines too (a file of headers).  0, or -1 with why,
 * which names the key at most, never a value.
 */
int
otlp_pairs(char *list, int (*fn)(const char *k, const char *v, void *arg), void *arg, char *why,
    size_t len)
{
	char *save = NULL, *item, *eq, *k, *v;

	for (item = strtok_r(list, ",\n", &save); item != NULL;
	     item = strtok_r(NULL, ",\n", &save)) {
		if (*trim(item) == '\0')
			continue;
		if ((eq = strchr(item, '=')) == NULL) {
			snprintf(why, len, "an item without '='");
			return -1;
		}
		*eq = '\0';
		k = trim(item);
		v = trim(eq + 1);
		if (*k == '\0' || pct_decode(k) == -1 || pct_decode(v) == -1) {
			snprintf(why, len, "a bad key or value%s%.64s", *k ? ": " : "", k);
			return -1;
		}
		if (fn(k, v, arg) == -1) {
			snprintf(why, len, "%.64s: cannot keep it", k);
			return -1;
		}
	}
	return 0;
}

/* A header "name: value" to the list; -1 when it cannot be one. */
int
otlp_header_add(struct curl_slist **list, const char *line)
{
	struct curl_slist *n;
	const char *c = strchr(line, ':');

	if (c == NULL || c == line || strpbrk(line, "\r\n") != NULL)
		return -1;
	if ((n = curl_slist_append(*list, line)) == NULL)
		return -1;
	*list = n;
	return 0;
}

static int
header_pair(const char *k, const char *v, void *arg)
{
	char line[8192];
	int n = snprintf(line, sizeof(line), "%s: %s", k, v);
	int rc = n < 0 || n >= (int)sizeof(line) ? -1 : otlp_header_add(arg, line);

	explicit_bzero(line, sizeof(line));
	return rc;
}

int
otlp_headers_env(struct curl_slist **list, const char *env, char *why, size_t len)
{
	char *s;
	int rc;

	if (env == NULL || *env == '\0')
		return 0;
	if ((s = strdup(env)) == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	rc = otlp_pairs(s, header_pair, list, why, len);
	explicit_bzero(s, strlen(s));
	free(s);
	return rc;
}

int
otlp_headers_file(struct curl_slist **list, const char *path, char *why, size_t len)
{
	char *s = mcp_secret_whole(path, 65536, why, len);
	int rc;

	if (s == NULL)
		return -1;
	rc = otlp_pairs(s, header_pair, list, why, len);
	explicit_bzero(s, strlen(s));
	free(s);
	return rc;
}

void
otlp_headers_free(struct curl_slist *list)
{
	struct curl_slist *h;

	for (h = list; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(list);
}

/*
 * A signal's endpoint: the flag, OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT, or
 * OTEL_EXPORTER_OTLP_ENDPOINT + path ("/v1/traces", "/v1/metrics").
 */
char *
otlp_endpoint(const char *flag, const char *signal, const char *path)
{
	char var[64];
	const char *t, *b = getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
	char *u;
	size_t n;

	snprintf(var, sizeof(var), "OTEL_EXPORTER_OTLP_%s_ENDPOINT", signal);
	t = getenv(var);
	if (flag != NULL && *flag != '\0')
		return strdup(flag);
	if (t != NULL && *t != '\0')
		return strdup(t);
	if (b == NULL || *b == '\0')
		return NULL;
	n = strlen(b);
	while (n > 0 && b[n - 1] == '/')
		n--;
	if ((u = malloc(n + strlen(path) + 1)) == NULL)
		return NULL;
	memcpy(u, b, n);
	memcpy(u + n, path, strlen(path) + 1);
	return u;
}
