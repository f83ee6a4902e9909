/*
 * jobskim.c - what delivery reads of every job at the head of an outbox,
 * without the job's whole tree: a storm's thousands of jobs go out as one
 * notification of their group, and parsing each whole (its record's
 * summary, regions and numbers) was most of a delivery run's CPU and
 * memory.  Only a text that is strict JSON (RFC 8259), whose members read
 * hold no escape, is skimmed; anything else (an escape read, a \u escape
 * anywhere, nesting past SKIM_DEPTH, a member of another type) is left to
 * the whole parse, which decides as before.  Strict JSON is a part of what
 * mcp_json_parse takes, so a text skimmed is one it would take too.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "outbox.h"

#define SKIM_DEPTH 64

enum { V_NONE, V_STR, V_NULL, V_NUM, V_OBJ, V_OTHER };

/* A member read: its type, its string's bytes, its number; an object's members read. */
struct mem {
	const char *name;
	int type;
	const char *b;
	size_t n;
	double num;
	struct mem *sub;
	size_t nsub;
};

struct scan {
	const char *p;
	int bad; /* not strict JSON, or not simple enough: parse it whole */
};

static void
ws(struct scan *sc)
{
	while (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r')
		sc->p++;
}

/* The bytes a string holds as they are: not a quote, a backslash or a control character. */
static unsigned char plain[256];

static void
plain_init(void)
{
	int c;

	for (c = 0x20; c < 256; c++)
		plain[c] = c != '"' && c != '\\';
}

/* A string: its bytes between the quotes, *esc when it holds an escape. */
static void
str(struct scan *sc, const char **b, size_t *n, int *esc)
{
	const char *p = sc->p;

	*esc = 0;
	if (*p++ != '"') {
		sc->bad = 1;
		return;
	}
	for (*b = p;; p++) {
		while (plain[(unsigned char)*p])
			p++;
		if (*p == '"')
			break;
		if (*p != '\\') { /* a control character, or the end */
			sc->bad = 1;
			return;
		}
		*esc = 1;
		if (*++p == '\0' || strchr("\"\\/bfnrt", *p) == NULL) {
			sc->bad = 1; /* \u, whose U+0000 and surrogates the parse judges */
			return;
		}
	}
	*n = (size_t)(p - *b);
	sc->p = p + 1;
}

static int
digits(const char **p)
{
	const char *q = *p;

	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p > q;
}

/*
 * A number of the JSON grammar, finite: its value, as strtod reads it (and
 * cJSON), when want; one without an exponent is finite at the 63 bytes
 * at most that cJSON reads of it.
 */
static double
num(struct scan *sc, int want)
{
	const char *p = sc->p, *q = sc->p;
	char *e;
	double d;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (!digits(&p))
		sc->bad = 1;
	if (*p == '.') {
		p++;
		if (!digits(&p))
			sc->bad = 1;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!digits(&p))
			sc->bad = 1;
	}
	/* cJSON reads at most 63 bytes of a number. */
	if (sc->bad || p - q > 63) {
		sc->bad = 1;
		return 0;
	}
	sc->p = p;
	if (!want && strcspn(q, "eE") >= (size_t)(p - q))
		return 0;
	d = strtod(q, &e);
	if (e != p || !isfinite(d))
		sc->bad = 1;
	return d;
}

static void value(struct scan *sc, int depth, struct mem *m);

/*
 * An object whose members named in want (the first of each name) are
 * read into want, the others checked and passed over.
 */
static void
object(struct scan *sc, int depth, struct mem *want, size_t nwant)
{
	const char *k;
	size_t n, i;
	int esc, first = 1;
	struct mem *m;

	if (++depth > SKIM_DEPTH) {
		sc->bad = 1;
		return;
	}
	sc->p++;
	for (ws(sc); !sc->bad && *sc->p != '}'; first = 0) {
		if (!first && *sc->p++ != ',') {
			sc->bad = 1;
			return;
		}
		ws(sc);
		str(sc, &k, &n, &esc);
		ws(sc);
		if (sc->bad || *sc->p++ != ':') {
			sc->bad = 1;
			return;
		}
		ws(sc);
		for (i = 0, m = NULL; !esc && i < nwant && m == NULL; i++)
			if (want[i].type == V_NONE && want[i].name[0] == k[0] &&
			    strncmp(want[i].name, k, n) == 0 && want[i].name[n] == '\0')
				m = &want[i];
		value(sc, depth, m);
		ws(sc);
	}
	if (!sc->bad)
		sc->p++;
}

static void
array(struct scan *sc, int depth)
{
	int first = 1;

	if (++depth > SKIM_DEPTH) {
		sc->bad = 1;
		return;
	}
	sc->p++;
	for (ws(sc); !sc->bad && *sc->p != ']'; first = 0) {
		if (!first && *sc->p++ != ',') {
			sc->bad = 1;
			return;
		}
		ws(sc);
		value(sc, depth, NULL);
		ws(sc);
	}
	if (!sc->bad)
		sc->p++;
}

static int
word(struct scan *sc, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(sc->p, w, n) != 0) {
		sc->bad = 1;
		return 0;
	}
	sc->p += n;
	return 1;
}

/* A value, read into m when it is wanted (m non-NULL), else checked and passed over. */
static void
value(struct scan *sc, int depth, struct mem *m)
{
	const char *b;
	size_t n;
	int esc, type = V_OTHER;
	double d = 0;

	switch (*sc->p) {
	case '{':
		if (m != NULL && m->sub != NULL)
			object(sc, depth, m->sub, m->nsub), type = V_OBJ;
		else
			object(sc, depth, NULL, 0);
		break;
	case '[':
		array(sc, depth);
		break;
	case '"':
		str(sc, &b, &n, &esc);
		if (m != NULL && esc)
			sc->bad = 1;
		type = V_STR;
		break;
	case 't':
		word(sc, "true");
		break;
	case 'f':
		word(sc, "false");
		break;
	case 'n':
		word(sc, "null");
		type = V_NULL;
		break;
	default:
		d = num(sc, m != NULL);
		type = V_NUM;
	}
	if (m == NULL || sc->bad)
		return;
	m->type = type, m->num = d;
	if (type == V_STR)
		m->b = b, m->n = n;
}

/* The names are constants: added without a copy. */
static void
add(cJSON *o, const char *name, cJSON *v)
{
	if (v == NULL || !cJSON_AddItemToObjectCS(o, name, v))
		errx(MCP_EXIT_FAIL, "out of memory");
}

static void
add_str(cJSON *o, const struct mem *m)
{
	char buf[128], *s = buf;

	if (m->type == V_NULL)
		add(o, m->name, cJSON_CreateNull());
	if (m->type != V_STR)
		return;
	if (m->n >= sizeof(buf) && (s = malloc(m->n + 1)) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	memcpy(s, m->b, m->n), s[m->n] = '\0';
	add(o, m->name, cJSON_CreateString(s));
	if (s != buf)
		free(s);
}

enum { J_ID, J_N, J_FIRST, J_NEXT, J_REC };
enum { R_TYPE, R_EVENT, R_SLUG, R_SEVERITY, R_KIND, R_STEP, R_GROUP, R_N };

cJSON *
ob_skim(const char *s)
{
	struct mem rec[R_N] = {{.name = "type"}, {.name = "event"}, {.name = "slug"},
	    {.name = "severity"}, {.name = "kind"}, {.name = "step"}, {.name = "group"}};
	struct mem job[] = {{.name = "id"}, {.name = "n"}, {.name = "first"}, {.name = "next"},
	    {.name = "rec", .sub = rec, .nsub = R_N}};
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct scan sc = {s, 0};
	cJSON *j, *r;
	int i;

	pthread_once(&once, plain_init);

	ws(&sc);
	if (*sc.p != '{')
		return NULL;
	object(&sc, 0, job, sizeof(job) / sizeof(job[0]));
	ws(&sc);
	if (sc.bad || *sc.p != '\0' || job[J_ID].type != V_STR || job[J_N].type != V_NUM ||
	    job[J_FIRST].type != V_NUM || job[J_NEXT].type != V_NUM || job[J_REC].type != V_OBJ ||
	    rec[R_TYPE].type != V_STR)
		return NULL;
	/* What is read of them is a string or null; a member of another type is parsed whole. */
	for (i = R_EVENT; i < R_GROUP; i++)
		if (rec[i].type != V_NONE && rec[i].type != V_STR && rec[i].type != V_NULL)
			return NULL;
	if ((j = cJSON_CreateObject()) == NULL)
		errx(MCP_EXIT_FAIL, "out of memory");
	add_str(j, &job[J_ID]);
	for (i = J_N; i <= J_NEXT; i++)
		add(j, job[i].name, cJSON_CreateNumber(job[i].num));
	add(j, "rec", r = cJSON_CreateObject());
	for (i = R_TYPE; i < R_GROUP; i++)
		add_str(r, &rec[i]);
	/* Only whether it has one is read (alert_group_of). */
	if (rec[R_GROUP].type != V_NONE)
		add(r, "group", cJSON_CreateNull());
	return j;
}
