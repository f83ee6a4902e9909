/*
 * mcp_liveness.c - see mcp_liveness.h.  The poller copies what it needs
 * under the mutex, asks without it, and stores each answer under it again,
 * so the hot path never waits on the network.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strncasecmp, clock_gettime */
#endif
#include "mcp_liveness.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SLUG_MAX 80
#define ETAG_MAX 200
#define BODY_MAX 65536

struct slot {
	char slug[SLUG_MAX + 1];
	enum mcp_live_state state;
	int has; /* an answer is cached */
	int64_t fetched_at;
	char etag[ETAG_MAX + 3];
	int fails, open, trial;
	int64_t opened_at, trial_at;
	struct mcp_live_stats st;
};

struct mcp_live {
	char *base, *auth;
	long poll_ms, timeout_ms, stale_ms, open_ms;
	int failures;
	int64_t (*now)(void *);
	void *now_arg;
	pthread_mutex_t mu;
	struct slot *slots; /* sorted by slug */
	size_t n, cap;
	pthread_t thread;
	pthread_cond_t cv;
	int running, started;
};

/* One answer, as the poller reads it. */
struct answer {
	char body[BODY_MAX + 1];
	size_t len;
	int too_big;
	char etag[ETAG_MAX + 3];
};

static int64_t
mono_ms(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
slug_ok(const char *s)
{
	size_t n;

	for (n = 0; s[n] != '\0'; n++) {
		if (n == SLUG_MAX)
			return 0;
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		        s[n] == '_' || s[n] == '-'))
			return 0;
	}
	return n > 0;
}

/* An entity tag as RFC 9110 writes it, W/ allowed. */
static int
etag_ok(const char *s)
{
	size_t n;

	if (strncmp(s, "W/", 2) == 0)
		s += 2;
	n = strlen(s);
	if (n < 2 || n > ETAG_MAX + 2 || s[0] != '"' || s[n - 1] != '"')
		return 0;
	for (size_t i = 1; i + 1 < n; i++)
		if (s[i] < 0x21 || s[i] == '"' || s[i] > 0x7e)
			return 0;
	return 1;
}

/* ------------------------------------------------------------ JSON */
/*
 * Just enough JSON to find a top-level "state" string: a value is skipped
 * whole (nesting at most 64 deep), anything malformed refused.  The API's
 * states hold no escapes: a state written with one is not a known state.
 */
static const char *skip_value(const char *p, const char *end, int depth);

static const char *
ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *
skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\') {
			if (++p == end)
				return NULL;
		} else if (*p == '"') {
			return p + 1;
		} else if ((unsigned char)*p < 0x20) {
			return NULL;
		}
	}
	return NULL;
}

static const char *
skip_value(const char *p, const char *end, int depth)
{
	char close;

	p = ws(p, end);
	if (p == end)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p != '{' && *p != '[') {
		const char *q = p;
		while (q < end && strchr("+-.0123456789Eaeflnrstu", *q) != NULL)
			q++;
		return q > p ? q : NULL;
	}
	if (depth == 64)
		return NULL;
	close = *p == '{' ? '}' : ']';
	p = ws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (p == end || *p != '"' || (p = skip_string(p, end)) == NULL)
				return NULL;
			p = ws(p, end);
			if (p == end || *p++ != ':')
				return NULL;
		}
		if ((p = skip_value(p, end, depth + 1)) == NULL)
			return NULL;
		p = ws(p, end);
		if (p == end)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		p = ws(p, end);
	}
}

/* The state of one JSON object; -1 when the body is not one. */
static int
parse_state(const char *s, size_t len, enum mcp_live_state *out)
{
	static const char *names[] = {"up", "degraded", "down", "pending"};
	static const enum mcp_live_state states[] = {
	    MCP_LIVE_UP, MCP_LIVE_DEGRADED, MCP_LIVE_DOWN, MCP_LIVE_PENDING};
	const char *end = s + len, *p = ws(s, end), *k, *v, *q;

	/* Validated whole first: the walk below trusts the syntax. */
	if (p == end || *p != '{' || (q = skip_value(p, end, 0)) == NULL || ws(q, end) != end)
		return -1;
	*out = MCP_LIVE_UNKNOWN;
	for (p = ws(p + 1, end); p < end && *p == '"';) {
		k = p;
		p = ws(skip_string(p, end), end) + 1; /* past the ':', checked above */
		v = ws(p, end);
		p = skip_value(v, end, 1);
		if (strncmp(k, "\"state\"", 7) == 0 && *v == '"') {
			*out = MCP_LIVE_UNKNOWN; /* the last "state" counts */
			for (size_t i = 0; i < 4; i++)
				if ((size_t)(p - v - 2) == strlen(names[i]) &&
				    memcmp(v + 1, names[i], strlen(names[i])) == 0)
					*out = states[i];
		}
		p = ws(p, end);
		if (p < end && *p == ',')
			p = ws(p + 1, end);
	}
	return 0;
}

/* ------------------------------------------------------------ the table */
static int
cmp_slot(const void *key, const void *elt)
{
	return strcmp(key, ((const struct slot *)elt)->slug);
}

/* The slot of SLUG, or NULL; with the mutex held. */
static struct slot *
find(struct mcp_live *l, const char *slug)
{
	return l->n == 0 ? NULL : bsearch(slug, l->slots, l->n, sizeof(*l->slots), cmp_slot);
}

static enum mcp_live_state
state_of(struct mcp_live *l, const struct slot *s, int64_t now)
{
	if (s == NULL || !s->has || now - s->fetched_at > l->stale_ms)
		return MCP_LIVE_UNKNOWN;
	return s->state;
}

static enum mcp_live_breaker
breaker_of(struct mcp_live *l, const struct slot *s, int64_t now)
{
	if (s == NULL || !s->open)
		return MCP_BREAKER_CLOSED;
	return now - s->opened_at >= l->open_ms ? MCP_BREAKER_HALF_OPEN : MCP_BREAKER_OPEN;
}

struct mcp_live *
mcp_live_new(const struct mcp_live_opts *o, char *err, size_t errlen)
{
	struct mcp_live *l;
	pthread_condattr_t ca;
	size_t n;

	if (o->base == NULL ||
	    (strncmp(o->base, "http://", 7) != 0 && strncmp(o->base, "https://", 8) != 0) ||
	    strpbrk(o->base, " ?#\r\n") != NULL) {
		snprintf(err, errlen, "base: an http or https URL without query or fragment");
		return NULL;
	}
	if (strlen(o->base) > 2048) {
		snprintf(err, errlen, "base: longer than 2048 bytes");
		return NULL;
	}
	if (o->auth != NULL && strpbrk(o->auth, "\r\n") != NULL) {
		snprintf(err, errlen, "auth: one header line");
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	pthread_mutex_init(&l->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->cv, &ca);
	pthread_condattr_destroy(&ca);
	if ((l->base = strdup(o->base)) == NULL ||
	    (o->auth != NULL && (l->auth = strdup(o->auth)) == NULL)) {
		snprintf(err, errlen, "%s", strerror(errno));
		mcp_live_free(l);
		return NULL;
	}
	for (n = strlen(l->base); n > 0 && l->base[n - 1] == '/'; n--)
		l->base[n - 1] = '\0';
	l->poll_ms = o->poll_ms > 0 ? o->poll_ms : 15000;
	l->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 4000;
	l->stale_ms = o->stale_ms > 0 ? o->stale_ms : 300000;
	l->open_ms = o->open_ms > 0 ? o->open_ms : 60000;
	l->failures = o->failures > 0 ? o->failures : 3;
	l->now = o->now_ms != NULL ? o->now_ms : mono_ms;
	l->now_arg = o->now_arg;
	return l;
}

int
mcp_live_watch(struct mcp_live *l, const char *slug)
{
	size_t i;
	struct slot *s;
	int rc = 0;

	if (!slug_ok(slug))
		return -1;
	pthread_mutex_lock(&l->mu);
	if (find(l, slug) != NULL)
		goto out;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		if ((s = realloc(l->slots, cap * sizeof(*s))) == NULL) {
			rc = -1;
			goto out;
		}
		l->slots = s;
		l->cap = cap;
	}
	for (i = 0; i < l->n && strcmp(l->slots[i].slug, slug) < 0; i++)
		;
	memmove(&l->slots[i + 1], &l->slots[i], (l->n - i) * sizeof(*l->slots));
	memset(&l->slots[i], 0, sizeof(*l->slots));
	memcpy(l->slots[i].slug, slug, strlen(slug) + 1);
	l->n++;
out:
	pthread_mutex_unlock(&l->mu);
	return rc;
}

enum mcp_live_state
mcp_live_state(struct mcp_live *l, const char *slug)
{
	enum mcp_live_state st;

	pthread_mutex_lock(&l->mu);
	st = state_of(l, find(l, slug), l->now(l->now_arg));
	pthread_mutex_unlock(&l->mu);
	return st;
}

enum mcp_live_breaker
mcp_live_breaker(struct mcp_live *l, const char *slug)
{
	enum mcp_live_breaker b;

	pthread_mutex_lock(&l->mu);
	b = breaker_of(l, find(l, slug), l->now(l->now_arg));
	pthread_mutex_unlock(&l->mu);
	return b;
}

int
mcp_live_allow(struct mcp_live *l, const char *slug)
{
	int64_t now = l->now(l->now_arg);
	struct slot *s;
	int yes = 1;

	pthread_mutex_lock(&l->mu);
	s = find(l, slug);
	switch (breaker_of(l, s, now)) {
	case MCP_BREAKER_OPEN:
		yes = 0;
		break;
	case MCP_BREAKER_HALF_OPEN:
		/* One trial at a time; a trial never recorded expires. */
		if (state_of(l, s, now) == MCP_LIVE_DOWN ||
		    (s->trial && now - s->trial_at < l->open_ms))
			yes = 0;
		else {
			s->trial = 1;
			s->trial_at = now;
		}
		break;
	case MCP_BREAKER_CLOSED:
		yes = state_of(l, s, now) != MCP_LIVE_DOWN;
		break;
	}
	pthread_mutex_unlock(&l->mu);
	return yes;
}

void
mcp_live_record(struct mcp_live *l, const char *slug, int ok)
{
	int64_t now = l->now(l->now_arg);
	struct slot *s;
	int half;

	pthread_mutex_lock(&l->mu);
	if ((s = find(l, slug)) == NULL)
		goto out; /* only watched slugs have a breaker */
	if (ok) {
		s->fails = s->open = s->trial = 0;
		goto out;
	}
	half = breaker_of(l, s, now) == MCP_BREAKER_HALF_OPEN;
	s->fails++;
	if (half || (!s->open && s->fails >= l->failures)) {
		s->open = 1;
		s->opened_at = now;
		s->trial = 0;
	}
out:
	pthread_mutex_unlock(&l->mu);
}

void
mcp_live_stats(struct mcp_live *l, const char *slug, struct mcp_live_stats *out)
{
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&l->mu);
	for (size_t i = 0; i < l->n; i++) {
		const struct mcp_live_stats *c = &l->slots[i].st;
		if (slug != NULL && strcmp(slug, l->slots[i].slug) != 0)
			continue;
		out->requests += c->requests;
		out->ok += c->ok;
		out->not_modified += c->not_modified;
		out->not_found += c->not_found;
		out->failures += c->failures;
	}
	pthread_mutex_unlock(&l->mu);
}

const char *
mcp_live_state_name(enum mcp_live_state s)
{
	static const char *names[] = {"unknown", "up", "degraded", "down", "pending"};

	return (unsigned)s < 5 ? names[s] : "unknown";
}

/* ------------------------------------------------------------ the poller */
static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;

	n *= size;
	if (a->len + n > BODY_MAX) {
		a->too_big = 1;
		return 0; /* curl stops: CURLE_WRITE_ERROR */
	}
	memcpy(a->body + a->len, p, n);
	a->len += n;
	return n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n, v;

	if (len > 5 && strncasecmp(p, "etag:", 5) == 0) {
		for (v = 5; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
			;
		while (len > v && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
			len--;
		if (len - v <= ETAG_MAX + 2) {
			memcpy(a->etag, p + v, len - v);
			a->etag[len - v] = '\0';
			if (!etag_ok(a->etag))
				a->etag[0] = '\0';
		}
	}
	return size * n;
}

/* Ask for one slug, whose tag was ETAG, and store the answer. */
static void
ask(struct mcp_live *l, CURL *c, const char *slug, const char *etag, struct answer *a)
{
	char url[4096], inm[ETAG_MAX + 32];
	struct curl_slist *h = NULL, *t;
	enum mcp_live_state st = MCP_LIVE_UNKNOWN;
	long code = 0;
	int rc, parsed = -1;
	struct slot *s;

	memset(a, 0, sizeof(*a));
	/* base is at most 2048 bytes, a slug 80, a tag 202: neither is cut. */
	snprintf(url, sizeof(url), "%s/api/embed-status/%s", l->base, slug);
	h = curl_slist_append(h, "Accept: application/json");
	if (etag[0] != '\0' && h != NULL) {
		snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
		h = (t = curl_slist_append(h, inm)) != NULL ? t : h;
	}
	if (l->auth != NULL && h != NULL)
		h = (t = curl_slist_append(h, l->auth)) != NULL ? t : h;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, a);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(h);
	if (rc == CURLE_OK && code == 200 && !a->too_big)
		parsed = parse_state(a->body, a->len, &st);

	pthread_mutex_lock(&l->mu);
	if ((s = find(l, slug)) != NULL) {
		s->st.requests++;
		if (parsed == 0 || (rc == CURLE_OK && code == 404)) {
			s->state = parsed == 0 ? st : MCP_LIVE_UNKNOWN;
			s->has = 1;
			s->fetched_at = l->now(l->now_arg);
			snprintf(s->etag, sizeof(s->etag), "%s", parsed == 0 ? a->etag : "");
			if (parsed == 0)
				s->st.ok++;
			else
				s->st.not_found++;
		} else if (rc == CURLE_OK && code == 304 && s->has && s->etag[0] != '\0') {
			s->fetched_at = l->now(l->now_arg); /* unchanged, and fresh again */
			s->st.not_modified++;
		} else {
			s->st.failures++; /* the last state stands until it is stale */
		}
	}
	pthread_mutex_unlock(&l->mu);
}

int
mcp_live_poll(struct mcp_live *l)
{
	char slug[SLUG_MAX + 1], etag[ETAG_MAX + 3];
	struct answer *a;
	CURL *c;
	size_t i;

	if ((c = curl_easy_init()) == NULL || (a = malloc(sizeof(*a))) == NULL) {
		curl_easy_cleanup(c);
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, l->timeout_ms);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	/* The table may grow between two requests: copy a slug at a time. */
	for (i = 0;; i++) {
		pthread_mutex_lock(&l->mu);
		if (i >= l->n) {
			pthread_mutex_unlock(&l->mu);
			break;
		}
		memcpy(slug, l->slots[i].slug, sizeof(slug));
		memcpy(etag, l->slots[i].etag, sizeof(etag));
		pthread_mutex_unlock(&l->mu);
		ask(l, c, slug, etag, a);
	}
	free(a);
	curl_easy_cleanup(c);
	return 0;
}

static void *
run(void *arg)
{
	struct mcp_live *l = arg;
	struct timespec ts;

	pthread_mutex_lock(&l->mu);
	while (l->running) {
		pthread_mutex_unlock(&l->mu);
		mcp_live_poll(l);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += l->poll_ms / 1000;
		ts.tv_nsec += (l->poll_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000)
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		pthread_mutex_lock(&l->mu);
		while (l->running && pthread_cond_timedwait(&l->cv, &l->mu, &ts) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

int
mcp_live_start(struct mcp_live *l)
{
	if (l->started)
		return 0;
	l->running = 1;
	if (pthread_create(&l->thread, NULL, run, l) != 0) {
		l->running = 0;
		return -1;
	}
	l->started = 1;
	return 0;
}

void
mcp_live_stop(struct mcp_live *l)
{
	if (!l->started)
		return;
	pthread_mutex_lock(&l->mu);
	l->running = 0;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->thread, NULL);
	l->started = 0;
}

void
mcp_live_free(struct mcp_live *l)
{
	if (l == NULL)
		return;
	mcp_live_stop(l);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l->slots);
	free(l->base);
	free(l->auth);
	free(l);
}
