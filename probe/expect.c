/*
 * expect.c - conditions on a probe's steps and references between its
 * calls (mcp-probe(1), ASSERTIONS).  A condition is LEFT OP RIGHT:
 *
 *   LEFT   [PROTOCOL] | [TOOLS]PATH | [CALL]PATH | [CALLn]PATH,
 *          or len(...) or has(...) of one
 *   OP     == != < <= > >= ~= !~
 *   RIGHT  the rest of the text, as it is
 *
 * Everything that can be wrong with one is found when the targets are
 * read, so that a fleet never learns half-way that a condition means
 * nothing.  Server values are compared, never evaluated: a pattern is the
 * operator's and compiled once; what a server sends is only its subject.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "expect.h"

/* An index in a path, at the most (digits). */
#define INDEX_DIGITS 6

static const char *const call_roots[] = {"structured", "text", "content", "ms", "is_error", NULL};

int
x_segment(const char *path, const char **name, size_t *len, long *index)
{
	size_t n;

	*name = NULL;
	if (*path == '\0')
		return 0;
	if (*path == '.') {
		n = strcspn(path + 1, ".[");
		if (n == 0)
			return -1;
		*name = path + 1;
		*len = n;
		return (int)(n + 1);
	}
	if (*path == '[') {
		for (n = 1; isdigit((unsigned char)path[n]); n++)
			;
		if (n == 1 || n > INDEX_DIGITS + 1 || path[n] != ']')
			return -1;
		*index = strtol(path + 1, NULL, 10);
		return (int)(n + 1);
	}
	return -1;
}

/* 1 when path is a sequence of well-formed segments. */
static int
path_ok(const char *path)
{
	const char *name;
	size_t len;
	long index;
	int k;

	while ((k = x_segment(path, &name, &len, &index)) > 0)
		path += k;
	return k == 0;
}

int
x_call_root(const char *path, const char **rest)
{
	const char *name;
	size_t len;
	long index;
	int k = x_segment(path, &name, &len, &index), i;

	if (k <= 0 || name == NULL)
		return -1;
	for (i = 0; call_roots[i] != NULL; i++)
		if (strlen(call_roots[i]) == len && strncmp(name, call_roots[i], len) == 0) {
			*rest = path + k;
			return i;
		}
	return -1;
}

/* A [CALL] path: a root, and nothing after text, ms and is_error. */
static const char *
call_path_bad(const char *path)
{
	const char *rest;
	int r = x_call_root(path, &rest);

	if (r < 0)
		return "a call's path starts with .structured, .text, .content, .ms or .is_error";
	if (r >= 1 && r != 2 && *rest != '\0')
		return "nothing follows .text, .ms or .is_error";
	return path_ok(rest) ? NULL : "a path is .name and [index] segments";
}

/* The operator at s: its code and length, or 0. */
static int
op_at(const char *s, size_t *n)
{
	static const char *const two[] = {"==", "!=", "<=", ">=", "~=", "!~"};
	static const char codes[] = {'=', '!', 'l', 'g', '~', 'n'};
	size_t i;

	*n = 2;
	for (i = 0; i < sizeof(codes); i++)
		if (strncmp(s, two[i], 2) == 0)
			return codes[i];
	*n = 1;
	return *s == '<' || *s == '>' ? *s : 0;
}

/* The subject at the start of s ([PROTOCOL] ...), its call in *call; -1 when none. */
static int
subject(const char *s, int ncalls, int *call, const char **rest, char *why, size_t len)
{
	if (strncmp(s, "[PROTOCOL]", 10) == 0) {
		*rest = s + 10;
		return X_PROTOCOL;
	}
	if (strncmp(s, "[TOOLS]", 7) == 0) {
		*rest = s + 7;
		return X_TOOLS;
	}
	if (strncmp(s, "[CALL", 5) != 0) {
		snprintf(why, len,
		    "the left side starts with [PROTOCOL], [TOOLS], [CALL], "
		    "[CALL1] to [CALL4], len( or has(");
		return -1;
	}
	if (s[5] == ']') {
		*call = ncalls - 1;
		*rest = s + 6;
	} else if (s[5] >= '1' && s[5] <= '0' + MCP_CALLS_MAX && s[6] == ']') {
		*call = s[5] - '1';
		*rest = s + 7;
	} else {
		snprintf(why, len, "a call is [CALL] or [CALL1] to [CALL4]");
		return -1;
	}
	if (*call < 0 || *call >= ncalls) {
		snprintf(why, len,
		    ncalls == 0 ? "a condition on a call without call="
		                : "a condition on a call that is not configured");
		return -1;
	}
	return X_CALL;
}

/* The left side (its copy, l, owned by c): function, subject and path. */
static int
left_side(struct x_cond *c, char *l, int ncalls, char *why, size_t len)
{
	const char *rest;
	size_t n = strlen(l);
	int s;

	if (strncmp(l, "len(", 4) == 0 || strncmp(l, "has(", 4) == 0) {
		if (n < 5 || l[n - 1] != ')') {
			snprintf(why, len, "%.3s( without its )", l);
			return -1;
		}
		c->fn = l[0];
		l[n - 1] = '\0';
		l += 4;
	}
	if ((s = subject(l, ncalls, &c->call, &rest, why, len)) < 0)
		return -1;
	c->subj = (enum x_subj)s;
	if ((c->path = strdup(rest)) == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (s == X_PROTOCOL && *rest != '\0') {
		snprintf(why, len, "[PROTOCOL] has no path");
		return -1;
	}
	if (s == X_TOOLS && *rest == '\0' && c->fn != 'l') {
		snprintf(why, len, "[TOOLS] alone is len([TOOLS]); a tool is [TOOLS].NAME");
		return -1;
	}
	/* has([TOOLS].NAME): the rest is the tool's name, dots and all. */
	if (s == X_TOOLS && *rest != '\0' &&
	    (rest[0] != '.' || rest[1] == '\0' || (c->fn != 'h' && !path_ok(rest)))) {
		snprintf(why, len, "a tool is [TOOLS].NAME, then .name and [index] segments");
		return -1;
	}
	if (s == X_CALL) {
		const char *bad = call_path_bad(rest);

		if (bad != NULL) {
			snprintf(why, len, "%s", bad);
			return -1;
		}
	}
	return 0;
}

/* A pattern: compiled, back-references refused (their cost has no bound). */
static int
pattern(struct x_cond *c, char *why, size_t len)
{
	const char *s;
	char err[128];
	int rc;

	for (s = c->right; *s != '\0'; s++)
		if (*s == '\\' && s[1] != '\0' && isdigit((unsigned char)*++s)) {
			snprintf(why, len, "a pattern with a back-reference");
			return -1;
		}
	if (c->right[0] == '\0') {
		snprintf(why, len, "an empty pattern");
		return -1;
	}
	if ((rc = regcomp(&c->re, c->right, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, &c->re, err, sizeof(err));
		snprintf(why, len, "a bad pattern: %s", err);
		return -1;
	}
	c->has_re = 1;
	return 0;
}

static int
compile_one(struct x_cond *c, const struct mcp_cond_text *t, int ncalls, char *why, size_t len)
{
	size_t k = strcspn(t->text, "=!<>~"), n, e;
	char *l;
	int rc;

	c->text = t->text;
	c->secret = t->secret;
	if ((c->op = op_at(t->text + k, &n)) == 0) {
		snprintf(why, len, "no operator: want == != < <= > >= ~= or !~");
		return -1;
	}
	c->shown = k + n;
	/* Blanks around the operator, as a command line may have them. */
	for (e = k; e > 0 && (t->text[e - 1] == ' ' || t->text[e - 1] == '\t'); e--)
		;
	if ((l = strndup(t->text, e)) == NULL ||
	    (c->right = strdup(t->text + k + n + strspn(t->text + k + n, " \t"))) == NULL) {
		free(l);
		snprintf(why, len, "out of memory");
		return -1;
	}
	rc = left_side(c, l, ncalls, why, len);
	free(l);
	if (rc == -1)
		return -1;
	if (c->fn == 'h' &&
	    ((c->op != '=' && c->op != '!') ||
	        (strcmp(c->right, "true") != 0 && strcmp(c->right, "false") != 0))) {
		snprintf(why, len, "has() is ==true, ==false, !=true or !=false");
		return -1;
	}
	if (c->op == '~' || c->op == 'n')
		return pattern(c, why, len);
	return 0;
}

/* call k (0-based) of t: its tool and its arguments' text. */
static const char *
tool_of(const struct mcp_target *t, int k, const char **args)
{
	*args = k == 0 ? t->call_args : t->more_args[k - 1];
	return k == 0 ? t->call : t->more_call[k - 1];
}

/*
 * The references of one string of call k's arguments: {{callN.PATH}},
 * N an earlier call; each call referred to is kept.
 */
static int
refs_in(struct mcp_expect *e, const char *s, int k, char *why, size_t len)
{
	const char *r, *end;
	char path[MCP_EXPECT_TEXT_MAX + 2];
	const char *bad;
	int n;

	for (r = strstr(s, "{{call"); r != NULL; r = strstr(end, "{{call")) {
		end = strstr(r, "}}");
		n = r[6] - '0';
		if (end == NULL || n < 1 || n > MCP_CALLS_MAX || r[7] != '.' ||
		    (size_t)(end - r - 7) >= sizeof(path)) {
			snprintf(
			    why, len, "call%d's arguments: a reference is {{callN.PATH}}", k + 1);
			return -1;
		}
		if (n > k) {
			snprintf(why, len, "call%d's arguments: {{call%d...}} is no earlier call",
			    k + 1, n);
			return -1;
		}
		memcpy(path, r + 7, (size_t)(end - r - 7));
		path[end - r - 7] = '\0';
		if ((bad = call_path_bad(path)) != NULL) {
			snprintf(
			    why, len, "call%d's arguments: {{call%d%s}}: %s", k + 1, n, path, bad);
			return -1;
		}
		e->keep |= 1u << (n - 1);
		end += 2;
	}
	return 0;
}

static int
refs_tree(struct mcp_expect *e, const cJSON *v, int k, char *why, size_t len)
{
	const cJSON *c;

	if (cJSON_IsString(v) && refs_in(e, v->valuestring, k, why, len) == -1)
		return -1;
	for (c = v->child; c != NULL; c = c->next)
		if (refs_tree(e, c, k, why, len) == -1)
			return -1;
	return 0;
}

/* The calls: each after the one before, arguments a JSON object. */
static int
calls(struct mcp_expect *e, const struct mcp_target *t, char *why, size_t len)
{
	const char *tool, *args;
	cJSON *a;
	int k, rc;

	for (k = 0; k < MCP_CALLS_MAX; k++) {
		tool = tool_of(t, k, &args);
		if (tool == NULL && args != NULL) {
			snprintf(why, len, "call%d_args without call%d", k + 1, k + 1);
			return -1;
		}
		if (tool == NULL)
			continue;
		if (k > e->ncalls) {
			snprintf(why, len, "call%d without call%.0d", k + 1, k == 1 ? 0 : k);
			return -1;
		}
		e->ncalls = k + 1;
		if (args == NULL || k == 0) /* call_args: check.c reads it */
			continue;
		if (!cJSON_IsObject(a = cJSON_Parse(args))) {
			cJSON_Delete(a);
			snprintf(why, len, "call%d_args must be a JSON object", k + 1);
			return -1;
		}
		rc = refs_tree(e, a, k, why, len);
		cJSON_Delete(a);
		if (rc == -1)
			return -1;
	}
	/* A reference in call_args refers to no earlier call. */
	if (t->call_args != NULL && strstr(t->call_args, "{{call") != NULL &&
	    (a = cJSON_Parse(t->call_args)) != NULL) {
		rc = refs_tree(e, a, 0, why, len);
		cJSON_Delete(a);
		if (rc == -1)
			return -1;
	}
	return 0;
}

int
expect_compile(struct mcp_target *t, char *err, size_t len)
{
	struct mcp_expect *e;
	struct x_cond *c;
	char why[256];
	int i, more = 0;

	for (i = 0; i < MCP_CALLS_MAX - 1; i++)
		more |= t->more_call[i] != NULL || t->more_args[i] != NULL;
	if (t->nexpect == 0 && !more &&
	    (t->call_args == NULL || strstr(t->call_args, "{{call") == NULL))
		return 0;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->c = calloc(t->nexpect > 0 ? (size_t)t->nexpect : 1, sizeof(*e->c))) == NULL) {
		free(e);
		snprintf(err, len, "out of memory");
		return -1;
	}
	t->compiled = e;
	if (calls(e, t, err, len) == -1)
		return -1;
	for (i = 0; i < t->nexpect; i++, e->n++) {
		c = &e->c[i];
		if (compile_one(c, &t->expect[i], e->ncalls, why, sizeof(why)) == -1) {
			/* The condition itself is shown, a secret one only to its operator. */
			snprintf(err, len, "%s %.*s: %s", c->secret ? "expect_secret" : "expect",
			    (int)(c->secret ? (c->op ? c->shown : 0) : strlen(c->text)), c->text,
			    why);
			e->n++;
			return -1;
		}
		e->count[c->subj]++;
		if (c->subj == X_CALL)
			e->keep |= 1u << c->call;
		if (c->subj == X_CALL && c->fn == 0 && strcmp(c->path, ".is_error") == 0)
			e->judge |= 1u << c->call;
	}
	return 0;
}

void
expect_free(struct mcp_target *t)
{
	struct mcp_expect *e = t->compiled;
	int i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++) {
		free(e->c[i].path);
		if (e->c[i].right != NULL && e->c[i].secret)
			OPENSSL_cleanse(e->c[i].right, strlen(e->c[i].right));
		free(e->c[i].right);
		if (e->c[i].has_re)
			regfree(&e->c[i].re);
	}
	free(e->c);
	free(e);
	t->compiled = NULL;
}
