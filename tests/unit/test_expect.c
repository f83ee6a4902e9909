/*
 * test_expect.c - unit tests for mcp-probe's conditions and references
 * (probe/expect.c and judge.c, compiled in here: pure, and the tool's
 * alone), in TAP: conditions read and refused, judged against a seen
 * answer, references replaced; and some thousands of conditions drawn at
 * random from the grammar's pieces, each read and judged without harm,
 * none printing an expect_secret's right-hand side.
 *
 * usage: test_expect [datadir]   (the argument is ignored)
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../probe/expect.c"
#include "../../probe/judge.c"
#include "tap.h"

/* A target with one call (two with chain) and the conditions given. */
static int
target(struct mcp_target *t, int chain, const char *const *conds, int secret, char *err, size_t len)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->call = strdup("search");
	if (chain) {
		t->more_call[0] = strdup("fetch");
		t->more_args[0] = strdup("{\"id\":\"{{call1.structured.results[0].id}}\"}");
	}
	for (i = 0; conds[i] != NULL; i++)
		if (mcp_expect_add(t, conds[i], secret, err, len) == -1)
			return -1;
	return expect_compile(t, err, len);
}

static void
done(struct mcp_target *t)
{
	expect_free(t);
	mcp_target_free(t);
}

/* What a probe saw: a search answer, a protocol, two tools. */
static cJSON *res, *tools;
static struct x_seen seen;

static void
setup(void)
{
	res = cJSON_Parse("{\"content\":[{\"type\":\"text\",\"text\":\"OK: 3\"},{\"type\":"
	                  "\"image\"},{\"type\":\"text\",\"text\":\"more\"}],"
	                  "\"structuredContent\":{\"n\":3,\"s\":\"10\",\"results\":[{\"id\":"
	                  "\"doc-1\"}],\"empty\":[],\"t\":true,\"z\":null}}");
	tools = cJSON_Parse("[{\"name\":\"fetch.v2\",\"inputSchema\":{\"required\":[\"id\"]}},"
	                    "{\"name\":\"search\",\"inputSchema\":{}}]");
	seen.proto = "2025-11-25";
	seen.tools = tools;
	seen.ntools = cJSON_GetArraySize(tools); /* the probe keeps the named ones only */
	seen.res[0] = res;
	seen.ms[0] = 12.34;
	seen.done = 1;
}

/* judge COND: 1 holds, 0 fails, -1 refused; msg gets the failure's message. */
static int
judge(const char *cond, int secret, char *msg)
{
	const char *conds[] = {cond, NULL};
	struct mcp_target t;
	char err[EXPECT_MSG_MAX], failed[EXPECT_MSG_MAX];
	int passed, bad;

	if (target(&t, 0, conds, secret, err, sizeof(err)) == -1) {
		snprintf(msg, EXPECT_MSG_MAX, "%s", err);
		done(&t);
		return -1;
	}
	bad = expect_judge(t.compiled, t.compiled->c[0].subj, &seen, &passed, msg, failed);
	done(&t);
	return bad == 0;
}

static void
test_judge(void)
{
	static const struct {
		const char *cond;
		int want;
	} cases[] = {
	    {"[CALL].structured.n==3", 1},
	    {"[CALL].structured.n==3.0", 1},
	    {"[CALL].structured.n<10", 1},
	    {"[CALL].structured.s>9", 1},  /* "10" and 9 read as numbers */
	    {"[CALL].structured.s<9x", 1}, /* "10" and "9x" as strings */
	    {"[CALL].text==OK: 3\nmore", 1},
	    {"[CALL].text~=^OK:", 1},
	    {"[CALL].text!~^OK:", 0},
	    {"[CALL].text~=more$", 1},
	    {"len([CALL].content)==3", 1},
	    {"len([CALL].text)==10", 1},
	    {"len([CALL].structured.empty)>0", 0},
	    {"len([CALL].structured)==6", 1},
	    {"len([CALL].structured.n)==1", 0},
	    {"[CALL].content[1].type==image", 1},
	    {"[CALL].structured.results[0].id==doc-1", 1},
	    {"[CALL].structured.results[1].id==doc-1", 0},
	    {"has([CALL].structured.results[1])==false", 1},
	    {"has([CALL].structured.z)==true", 1},
	    {"[CALL].structured.z==null", 1},
	    {"[CALL].structured.t==true", 1},
	    {"[CALL].structured.empty==[]", 1},
	    {"[CALL].is_error==false", 1},
	    {"[CALL].ms==12.3", 1},
	    {"[CALL].ms<12", 0},
	    {"[PROTOCOL]==2025-11-25", 1},
	    {"[PROTOCOL]>=2025-06-18", 1},
	    {"[PROTOCOL]<2025-06-18", 0},
	    {"len([TOOLS])==2", 1},
	    {"has([TOOLS].fetch.v2)==true", 1},
	    {"has([TOOLS].fetch)==true", 0},
	    {"has([TOOLS].search)!=false", 1},
	    {"[TOOLS].search.inputSchema=={}", 1},
	    {"[CALL].text == OK: 3\nmore", 1},
	    {"[CALL]", -1},
	    {"[CALL].body==1", -1},
	    {"[CALL].text.x==1", -1},
	    {"[CALL].structured.a[x]==1", -1},
	    {"[CALL].structured..a==1", -1},
	    {"[CALL2].text==1", -1},
	    {"[CALL5].text==1", -1},
	    {"[TOOLS]==1", -1},
	    {"has([TOOLS])==true", -1},
	    {"has([TOOLS].x)<true", -1},
	    {"len([TOOLS]==1", -1},
	    {"[PROTOCOL].x==1", -1},
	    {"[CALL].text~=", -1},
	    {"[CALL].text~=(", -1},
	    {"[CALL].text~=(a)\\1", -1},
	    {"x==1", -1},
	    {"==1", -1},
	};
	char msg[EXPECT_MSG_MAX], name[128];
	size_t i;
	int got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = judge(cases[i].cond, 0, msg);
		snprintf(name, sizeof(name), "%s", cases[i].cond);
		name[strcspn(name, "\n")] = '\0';
		ok(got == cases[i].want, "%s: %s", name,
		    cases[i].want == 1       ? "holds"
		        : cases[i].want == 0 ? "fails"
		                             : "refused");
		if (got != cases[i].want)
			printf("#   got %d: %s\n", got, msg);
	}
}

static void
test_messages(void)
{
	char msg[EXPECT_MSG_MAX];

	judge("[CALL].text!~^OK", 0, msg);
	ok(strcmp(msg, "condition [CALL].text!~^OK failed: got \"OK: 3\nmore\"") == 0,
	    "message: the condition and the value seen");
	judge("[CALL].text!~^OK", 1, msg);
	ok(strcmp(msg, "condition [CALL].text!~ (expect_secret) failed") == 0,
	    "message: a secret's left side and operator only");
	judge("[CALL].structured.nothing==1", 0, msg);
	ok(strcmp(msg, "condition [CALL].structured.nothing==1 failed: no value there") == 0,
	    "message: no value");
	judge("[CALL].text~=(hunter2", 1, msg);
	ok(strstr(msg, "hunter2") == NULL && strstr(msg, "expect_secret [CALL].text~=:") == msg,
	    "refused: a secret condition is quoted up to its operator");
}

static void
test_refs(void)
{
	const char *none[] = {NULL};
	struct mcp_target t;
	cJSON *a;
	char err[400], *s;

	ok(target(&t, 1, none, 0, err, sizeof(err)) == 0 && t.compiled->ncalls == 2 &&
	        t.compiled->keep == 1,
	    "refs: two calls, the first kept for the second");
	done(&t);
	a = cJSON_Parse("{\"id\":\"{{call1.structured.results[0].id}}\",\"n\":\"{{call1."
	                "structured.n}}\",\"in\":[\"x{{call1.structured.n}}y{{call1.ms}}\"],"
	                "\"keep\":\"{{not a ref}}\"}");
	ok(expect_refs(a, &seen, err, sizeof(err)) == 0, "refs: replaced");
	s = cJSON_PrintUnformatted(a);
	ok(strcmp(s,
	       "{\"id\":\"doc-1\",\"n\":3,\"in\":[\"x3y12.3\"],\"keep\":\"{{not a ref}}\"}") == 0,
	    "refs: a whole string by the value, with its name; inside text by its text");
	if (strcmp(s,
	        "{\"id\":\"doc-1\",\"n\":3,\"in\":[\"x3y12.3\"],\"keep\":\"{{not a ref}}\"}") != 0)
		printf("#   got %s\n", s);
	free(s);
	cJSON_Delete(a);
	a = cJSON_Parse("{\"id\":\"{{call1.structured.results[9].id}}\"}");
	ok(expect_refs(a, &seen, err, sizeof(err)) == -1 &&
	        strcmp(err, "{{call1.structured.results[9].id}} has no value") == 0,
	    "refs: a reference without a value, named");
	cJSON_Delete(a);
}

/* One of n pieces at random, appended to cond when it fits. */
static void
add_piece(char *cond, size_t size, const char *const *pieces, size_t n, unsigned *seed)
{
	const char *p = pieces[rand_r(seed) % n];

	if (strlen(cond) + strlen(p) < size)
		strcat(cond, p);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A condition at random: half of them shaped as the grammar wants (a
 * subject, segments, an operator, a value), half any run of its pieces.
 */
static void
random_cond(char *cond, size_t size, unsigned *seed)
{
	static const char *const subj[] = {"[CALL]", "[CALL1]", "[CALL2]", "[TOOLS]", "[PROTOCOL]",
	    "len([CALL]", "has([CALL]", "len([TOOLS]", "has([TOOLS]"};
	static const char *const seg[] = {".structured", ".text", ".content", ".ms", ".is_error",
	    ".results", "[0]", "[1]", "[99999999]", ".id", ".n", ".s", ".search", ".fetch.v2",
	    ".inputSchema", ".", "[", "]", ")", "é", "\xff"};
	static const char *const op[] = {"==", "!=", "<", "<=", ">", ">=", "~=", "!~", "=", "!"};
	static const char *const val[] = {"true", "false", "null", "3", "-1e9", "OK", "(", "\\1",
	    "^OK", "[[:space:]]", "*", "doc-1", "", "10", "[]", "{}", "2025-11-25"};
	static const char *const any[] = {"[CALL]", "[TOOLS]", "[PROTOCOL]", "len(", "has(", ")",
	    ".structured", ".text", "[0]", ".", "[", "]", "==", "<", "~=", "!~", "=", "~", "true",
	    "3", "OK", "(", "\\1", " ", "é", "\xff"};
	int k, n = 1 + (int)(rand_r(seed) % 4);

	cond[0] = '\0';
	if (rand_r(seed) % 2) {
		for (k = 0; k < n * 2; k++)
			add_piece(cond, size, any, N(any), seed);
		return;
	}
	add_piece(cond, size, subj, N(subj), seed);
	for (k = 0; k < n - 1; k++)
		add_piece(cond, size, seg, N(seg), seed);
	if (strncmp(cond, "len(", 4) == 0 || strncmp(cond, "has(", 4) == 0)
		strcat(cond, ")");
	add_piece(cond, size, op, N(op), seed);
	add_piece(cond, size, val, N(val), seed);
}

/* Conditions drawn at random: read, judged, never harmful, no secret shown. */
static void
test_random(void)
{
	char cond[256], msg[EXPECT_MSG_MAX];
	unsigned seed = 46;
	int i, held = 0, failed = 0, refused = 0, leak = 0, bound = 1, r;

	for (i = 0; i < 20000; i++) {
		random_cond(cond, sizeof(cond) - 16, &seed);
		/* A marker a secret's right-hand side holds, never to be printed. */
		if (i % 2)
			strcat(cond, "SeCrEt");
		r = judge(cond, i % 2, msg);
		held += r == 1;
		failed += r == 0;
		refused += r == -1;
		bound &= strlen(msg) < EXPECT_MSG_MAX;
		leak += i % 2 && r != 1 && strstr(msg, "SeCrEt") != NULL;
	}
	ok(held > 100 && failed > 500 && refused > 1000, "random: %d held, %d failed, %d refused",
	    held, failed, refused);
	ok(bound, "random: every message within %d bytes", EXPECT_MSG_MAX);
	ok(leak == 0, "random: no secret right-hand side printed (%d)", leak);
}

int
main(void)
{
	setup();
	test_judge();
	test_messages();
	test_refs();
	test_random();
	cJSON_Delete(res);
	cJSON_Delete(tools);
	return done_testing();
}
