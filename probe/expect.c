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
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "buf.h"
#include "expect.h"
#include "json.h"

/* A path segment's name, at the most: longer ones name nothing. */
#define NAME_MAX_LEN 256
/* An index in a path, at the most (digits). */
#define INDEX_DIGITS 6
/* The condition as shown in a message, at the most, in bytes. */
#define COND_SHOWN_MAX 150

static const char *const call_roots[] = {"structured", "text", "content", "ms", "is_error", NULL};

/* The n bytes at s cut back to a UTF-8 character boundary. */
static size_t
utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * The next segment of path: ".name" (its name in name, len bytes) or
 * "[index]" (*index).  Returns the bytes it takes, 0 at the end, -1 when
 * the path is malformed.
 */
static int
segment(const char *path, const char **name, size_t *len, long *index)
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

	while ((k = segment(path, &name, &len, &index)) > 0)
		path += k;
	return k == 0;
}

/* The first segment of a [CALL] path is one of call_roots: its index, or -1. */
static int
call_root(const char *path, const char **rest)
{
	const char *name;
	size_t len;
	long index;
	int k = segment(path, &name, &len, &index), i;

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
	int r = call_root(path, &rest);

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
	if ((e = calloc(1, sizeof(*e))) == NULL) {
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
	free(e);
	t->compiled = NULL;
}

/* Walk path from v; NULL when it leads nowhere. */
static const cJSON *
walk(const cJSON *v, const char *path)
{
	char name[NAME_MAX_LEN + 1];
	const char *nm;
	size_t len;
	long index;
	int k;

	while (v != NULL && (k = segment(path, &nm, &len, &index)) > 0) {
		path += k;
		if (nm != NULL) {
			if (!cJSON_IsObject(v) || len > NAME_MAX_LEN)
				return NULL;
			memcpy(name, nm, len);
			name[len] = '\0';
			v = cJSON_GetObjectItemCaseSensitive(v, name);
		} else {
			v = cJSON_IsArray(v) && index < cJSON_GetArraySize(v)
			    ? cJSON_GetArrayItem(v, (int)index)
			    : NULL;
		}
	}
	return v;
}

/* The tool named name (n bytes) in tools, or NULL. */
static const cJSON *
tool_named(const cJSON *tools, const char *name, size_t n)
{
	const cJSON *t, *nm;

	cJSON_ArrayForEach(t, tools)
	{
		nm = cJSON_GetObjectItemCaseSensitive(t, "name");
		if (cJSON_IsString(nm) && strlen(nm->valuestring) == n &&
		    memcmp(nm->valuestring, name, n) == 0)
			return t;
	}
	return NULL;
}

/* The text content items of a tool result, joined by newlines (owned). */
static cJSON *
joined_text(const cJSON *res)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(res, "content"), *i, *tx;
	struct mcp_buf b = {0};
	cJSON *s;

	cJSON_ArrayForEach(i, c)
	{
		tx = cJSON_GetObjectItemCaseSensitive(i, "text");
		if (cJSON_IsString(tx) &&
		    mcp_buf_addf(&b, "%s%s", b.len ? "\n" : "", tx->valuestring) == -1)
			break;
	}
	s = cJSON_CreateString(b.p != NULL ? b.p : "");
	mcp_buf_free(&b);
	return s;
}

/* A call's value at path (.structured..., .text, ...); *own holds what was made. */
static const cJSON *
call_value(const struct x_seen *s, int call, const char *path, cJSON **own)
{
	const cJSON *res = s->res[call];
	const char *rest;
	int r;

	if (call >= s->done || res == NULL || (r = call_root(path, &rest)) < 0)
		return NULL;
	switch (r) {
	case 0:
		return walk(cJSON_GetObjectItemCaseSensitive(res, "structuredContent"), rest);
	case 1:
		return *own = joined_text(res);
	case 2:
		return walk(cJSON_GetObjectItemCaseSensitive(res, "content"), rest);
	case 3:
		return *own = cJSON_CreateNumber(round(s->ms[call] * 10.0) / 10.0);
	default:
		return *own = cJSON_CreateBool(
		           cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "isError")));
	}
}

/* What the left side of c names, before len() or has(); NULL when nothing. */
static const cJSON *
value(const struct x_cond *c, const struct x_seen *s, cJSON **own)
{
	const cJSON *t;
	size_t n;

	switch (c->subj) {
	case X_PROTOCOL:
		return *own = cJSON_CreateString(s->proto != NULL ? s->proto : "");
	case X_TOOLS:
		if (c->path[0] == '\0')
			return s->tools != NULL ? s->tools : (*own = cJSON_CreateArray());
		if (c->fn == 'h')
			return tool_named(s->tools, c->path + 1, strlen(c->path + 1));
		n = strcspn(c->path + 1, ".[");
		t = tool_named(s->tools, c->path + 1, n);
		return t != NULL ? walk(t, c->path + 1 + n) : NULL;
	default:
		return call_value(s, c->call, c->path, own);
	}
}

/* v as text, appended to b: a string as it is, anything else as JSON. */
static int
render(struct mcp_buf *b, const cJSON *v)
{
	char num[40], err[96];

	if (cJSON_IsString(v))
		return mcp_buf_adds(b, v->valuestring);
	if (cJSON_IsNumber(v))
		return mcp_json_number(v->valuedouble, num, sizeof(num)) == -1
		    ? -1
		    : mcp_buf_adds(b, num);
	return mcp_json_write(b, v, err, sizeof(err));
}

/* s as a number: decimal only (no hex, inf, nan), all of it. */
static int
number(const char *s, double *d)
{
	char *end;

	if (*s == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
		return 0;
	*d = strtod(s, &end);
	return *end == '\0' && isfinite(*d);
}

static int
holds(const struct x_cond *c, const cJSON *v, const char *text)
{
	double a, b;
	int cmp;

	if (c->op == '~' || c->op == 'n')
		return (regexec(&c->re, text, 0, NULL, 0) == 0) == (c->op == '~');
	a = cJSON_IsNumber(v) ? v->valuedouble : 0;
	if ((cJSON_IsNumber(v) || (cJSON_IsString(v) && number(v->valuestring, &a))) &&
	    number(c->right, &b))
		cmp = a < b ? -1 : a > b;
	else
		cmp = strcmp(text, c->right);
	switch (c->op) {
	case '=':
		return cmp == 0;
	case '!':
		return cmp != 0;
	case '<':
		return cmp < 0;
	case 'l':
		return cmp <= 0;
	case '>':
		return cmp > 0;
	default:
		return cmp >= 0;
	}
}

/* The condition as it may be shown: whole, or its left side and operator. */
static void
shown(const struct x_cond *c, char *out, size_t len)
{
	size_t n = c->secret ? c->shown : strlen(c->text);

	if (n > COND_SHOWN_MAX)
		n = utf8_cut(c->text, COND_SHOWN_MAX);
	snprintf(out, len, "%.*s%s", (int)n, c->text,
	    n < (c->secret ? c->shown : strlen(c->text)) ? "..." : "");
}

/* The message of a failed condition; what says why, or NULL: the value was obs. */
static void
message(const struct x_cond *c, const char *what, const char *obs, char *msg)
{
	char cond[COND_SHOWN_MAX + 4];
	size_t n = strlen(obs);

	shown(c, cond, sizeof(cond));
	if (c->secret) /* what never holds a value */
		snprintf(msg, EXPECT_MSG_MAX, "condition %s (expect_secret) failed%s%s", cond,
		    what != NULL ? ": " : "", what != NULL ? what : "");
	else if (what != NULL)
		snprintf(msg, EXPECT_MSG_MAX, "condition %s failed: %s", cond, what);
	else
		snprintf(msg, EXPECT_MSG_MAX, "condition %s failed: got \"%.*s%s\"", cond,
		    (int)(n > EXPECT_SHOWN_MAX ? utf8_cut(obs, EXPECT_SHOWN_MAX) : n), obs,
		    n > EXPECT_SHOWN_MAX ? "..." : "");
}

/* One condition: 1 when it holds, else 0 with its message. */
static int
judge_one(const struct x_cond *c, const struct x_seen *s, char *msg)
{
	struct mcp_buf text = {0};
	const cJSON *v;
	cJSON *own = NULL, *fnv = NULL;
	const char *what = NULL;
	int ok = 0;

	v = value(c, s, &own);
	if (c->fn == 'h') {
		v = fnv = cJSON_CreateBool(v != NULL);
	} else if (c->fn == 'l' && v != NULL) {
		if (cJSON_IsArray(v) || cJSON_IsObject(v))
			v = fnv = cJSON_CreateNumber(cJSON_GetArraySize(v));
		else if (cJSON_IsString(v))
			v = fnv = cJSON_CreateNumber((double)strlen(v->valuestring));
		else
			what = "len() of a value that is no array, object or string";
	}
	if (v == NULL)
		what = c->subj == X_CALL && c->call >= s->done ? "the call was not answered"
		                                               : "no value there";
	else if (what == NULL && render(&text, v) == -1)
		what = "the value cannot be read";
	else if (what == NULL)
		ok = holds(c, v, text.p != NULL ? text.p : "");
	if (!ok)
		message(c, what, text.p != NULL ? text.p : "", msg);
	mcp_buf_free(&text);
	cJSON_Delete(own);
	cJSON_Delete(fnv);
	return ok;
}

int
expect_judge(const struct mcp_expect *e, enum x_subj subj, const struct x_seen *s, int *passed,
    char *msg, char *failed)
{
	char m[EXPECT_MSG_MAX];
	int i, bad = 0;

	*passed = 0;
	for (i = 0; e != NULL && i < e->n; i++) {
		if (e->c[i].subj != subj)
			continue;
		if (judge_one(&e->c[i], s, m)) {
			(*passed)++;
		} else if (bad++ == 0) {
			memcpy(msg, m, EXPECT_MSG_MAX);
			shown(&e->c[i], failed, EXPECT_MSG_MAX);
		}
	}
	return bad;
}

/* One reference at r ("{{callN.PATH}}"): its value, or NULL; *end past it. */
static const cJSON *
ref_value(const char *r, const struct x_seen *s, cJSON **own, const char **end)
{
	char path[MCP_EXPECT_TEXT_MAX + 2];
	const char *e = strstr(r, "}}");
	size_t n;

	/* Checked when the targets were read (refs_in). */
	if (e == NULL || (n = (size_t)(e - r - 7)) >= sizeof(path))
		return NULL;
	memcpy(path, r + 7, n);
	path[n] = '\0';
	*end = e + 2;
	return call_value(s, r[6] - '1', path, own);
}

/* A string with references: its new value (owned), or NULL with why. */
static cJSON *
replaced(const char *str, const struct x_seen *s, char *why, size_t len)
{
	struct mcp_buf b = {.max = EXPECT_ARGS_MAX};
	const char *r, *end = str;
	const cJSON *v;
	cJSON *own = NULL, *out = NULL;
	int rc = 0;

	for (r = strstr(str, "{{call"); rc == 0 && r != NULL; r = strstr(end, "{{call")) {
		rc = mcp_buf_add(&b, end, (size_t)(r - end));
		if ((v = ref_value(r, s, &own, &end)) == NULL) {
			snprintf(why, len, "%.*s has no value", (int)(strstr(r, "}}") + 2 - r), r);
			goto out;
		}
		/* One reference and nothing else: the value itself. */
		if (r == str && *end == '\0') {
			out = cJSON_Duplicate(v, 1);
			goto out;
		}
		rc |= render(&b, v);
		cJSON_Delete(own);
		own = NULL;
	}
	if (rc == 0 && mcp_buf_adds(&b, end) == 0)
		out = cJSON_CreateString(b.p != NULL ? b.p : "");
	else
		snprintf(why, len, "the arguments passed %d bytes", EXPECT_ARGS_MAX);
out:
	cJSON_Delete(own);
	mcp_buf_free(&b);
	return out;
}

int
expect_refs(cJSON *args, const struct x_seen *s, char *why, size_t len)
{
	cJSON *c, *next, *n;

	for (c = args->child; c != NULL; c = next) {
		next = c->next;
		if (cJSON_IsString(c) && strstr(c->valuestring, "{{call") != NULL) {
			if ((n = replaced(c->valuestring, s, why, len)) == NULL)
				return -1;
			/* The new value takes the member's name (c's own, not its value's). */
			if (!(n->type & cJSON_StringIsConst))
				cJSON_free(n->string);
			n->type &= ~cJSON_StringIsConst;
			n->string = c->string;
			c->string = NULL;
			cJSON_ReplaceItemViaPointer(args, c, n);
		} else if (expect_refs(c, s, why, len) == -1) {
			return -1;
		}
	}
	return 0;
}
