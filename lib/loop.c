/*
 * loop.c - the record loop shared by the tools that read records.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
mcp_loop_line(char *line, size_t n, const char *name, long lineno, mcp_loop_cb cb, void *arg,
    struct mcp_loop_stats *st)
{
	const char *why, *end;
	cJSON *rec;
	int r;

	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (blank(line, n))
		return 0;
	/* cJSON wants the terminating NUL inside the length it is given. */
	rec = cJSON_ParseWithLengthOpts(line, n + 1, &end, 1);
	why = rec == NULL ? "parse error" : not_record(rec);
	if (why != NULL) {
		warnx("%s:%ld: %s", name, lineno, why);
		st->bad++;
		cJSON_Delete(rec);
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

int
mcp_loop(FILE *f, const char *name, mcp_loop_cb cb, void *arg, struct mcp_loop_stats *st)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	errno = 0;
	while ((n = getline(&line, &cap, f)) != -1) {
		st->lines++;
		if (mcp_loop_line(line, (size_t)n, name, st->lines, cb, arg, st) == -1) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		warn("read %s", name);
		rc = -1;
	}
	free(line);
	return rc;
}
