/*
 * loop.c - the record loop shared by the tools that read records.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "loop.h"

/* Why a parsed line is not a record, or NULL when it is one. */
static const char *
not_record(const cJSON *rec)
{
	const cJSON *v, *type;

	if (!cJSON_IsObject(rec))
		return "not a JSON object";
	v = cJSON_GetObjectItemCaseSensitive(rec, "v");
	if (!cJSON_IsNumber(v) || v->valuedouble != 1)
		return "missing \"v\":1";
	type = cJSON_GetObjectItemCaseSensitive(rec, "type");
	if (!cJSON_IsString(type))
		return "missing \"type\"";
	return NULL;
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

int
mcp_loop_parse(char *line, size_t n, cJSON **rec, const char **why)
{
	*rec = NULL;
	*why = NULL;
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (blank(line, n))
		return 0;
	*rec = mcp_json_parse(line, n, why);
	if (*rec == NULL && strcmp(*why, "malformed JSON") == 0)
		*why = "parse error";
	if (*rec != NULL && (*why = not_record(*rec)) != NULL) {
		cJSON_Delete(*rec);
		*rec = NULL;
	}
	return *rec != NULL ? 1 : -1;
}

int
mcp_loop_line(char *line, size_t n, const char *name, long lineno, mcp_loop_cb cb, void *arg,
    struct mcp_loop_stats *st)
{
	const char *why;
	cJSON *rec;
	int r;

	if ((r = mcp_loop_parse(line, n, &rec, &why)) == 0)
		return 0;
	if (r == -1) {
		warnx("%s:%ld: %s", name, lineno, why);
		st->bad++;
		return 0;
	}
	r = cb(rec, lineno, arg);
	cJSON_Delete(rec);
	if (r == -1)
		return -1;
	if (r == 1)
		st->bad++;
	else
		st->good++;
	return 0;
}

/* A line ends: hand it on, or say why not. */
static int
line_end(
    struct mcp_lines *l, const char *name, mcp_loop_cb cb, void *arg, struct mcp_loop_stats *st)
{
	int rc = 0;

	st->lines++;
	if (l->skipping) {
		warnx("%s:%ld: line too long (over %d bytes)", name, st->lines, MCP_LINE_MAX);
		st->bad++;
	} else {
		l->buf[l->len] = '\0';
		rc = mcp_loop_line(l->buf, l->len, name, st->lines, cb, arg, st);
	}
	l->len = 0;
	l->skipping = 0;
	return rc;
}

int
mcp_lines_feed(struct mcp_lines *l, const char *p, size_t n, int eof, const char *name,
    mcp_loop_cb cb, void *arg, struct mcp_loop_stats *st)
{
	const char *nl;
	size_t k;

	if (l->buf == NULL && (l->buf = malloc(MCP_LINE_MAX + 1)) == NULL) {
		warn("read %s", name);
		return -1;
	}
	while (n > 0) {
		nl = memchr(p, '\n', n);
		k = nl != NULL ? (size_t)(nl - p) : n;
		if (!l->skipping && k > MCP_LINE_MAX - l->len)
			l->skipping = 1;
		if (!l->skipping) {
			memcpy(l->buf + l->len, p, k);
			l->len += k;
		}
		if (nl == NULL)
			break;
		if (line_end(l, name, cb, arg, st) == -1)
			return -1;
		p += k + 1;
		n -= k + 1;
	}
	if (eof && (l->len > 0 || l->skipping))
		return line_end(l, name, cb, arg, st);
	return 0;
}

ssize_t
mcp_getline(char **line, size_t *cap, FILE *f)
{
	size_t n = 0, want;
	char *p;
	int c;

	for (;;) {
		if (n + 2 > *cap) {
			want = *cap < 128 ? 128 : *cap * 2;
			if (want > MCP_LINE_MAX + 2)
				want = MCP_LINE_MAX + 2;
			if ((p = realloc(*line, want)) == NULL)
				return -2; /* errno: ENOMEM */
			*line = p, *cap = want;
		}
		if ((c = getc_unlocked(f)) == EOF)
			break;
		(*line)[n++] = (char)c;
		if (c == '\n' || n > MCP_LINE_MAX)
			break;
	}
	if (c == EOF && ferror(f))
		return errno == 0 ? (errno = EIO, -2) : -2;
	if (n == 0 && c == EOF)
		return -1;
	(*line)[n] = '\0';
	return (ssize_t)n;
}

void
mcp_lines_free(struct mcp_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = 0;
	l->skipping = 0;
}

int
mcp_loop(FILE *f, const char *name, mcp_loop_cb cb, void *arg, struct mcp_loop_stats *st)
{
	struct mcp_lines l = {0};
	char chunk[65536];
	size_t n;
	int c = 0, rc = 0;

	memset(st, 0, sizeof(*st));
	/* Up to a newline at a time, so that a record is handled as it comes. */
	while (rc == 0 && c != EOF) {
		for (n = 0; n < sizeof(chunk) && (c = getc_unlocked(f)) != EOF;)
			if ((chunk[n++] = (char)c) == '\n')
				break;
		if (c == EOF && ferror(f)) {
			warn("read %s", name);
			rc = -1;
			break;
		}
		rc = mcp_lines_feed(&l, chunk, n, c == EOF, name, cb, arg, st);
	}
	mcp_lines_free(&l);
	return rc;
}
