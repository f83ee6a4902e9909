/*
 * params.c - the Mcp-Param-* headers of a modern tools/call (2026-07-28,
 * SEP-2243): every argument whose property in the tool's inputSchema
 * carries "x-mcp-header": NAME travels also as "Mcp-Param-NAME: value",
 * the value a string as it is, a boolean true or false, a number in
 * decimal, and one that is not a plain header value as =?base64?…?=.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "probe.h"

/* Longest header value sent, encoded; a longer one is not sent. */
#define PARAM_VALUE_MAX 8192
#define PARAMS_MAX 32

/* Keywords under which an annotation is not reachable: it makes the tool invalid. */
static const char *const unreachable[] = {"items", "prefixItems", "contains",
    "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames",
    "patternProperties", "dependentSchemas", "oneOf", "anyOf", "allOf", "not", "if", "then", "else",
    "$defs", "definitions", NULL};

struct decl {
	const cJSON *path[16]; /* the property names, root first */
	int depth;
	const char *name;
};

struct scan {
	struct decl d[PARAMS_MAX];
	int n;
	char why[200];
};

/* RFC 9110 token. */
static int
token(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!strchr("!#$%&'*+-.^_`|~", *s) && !(*s >= '0' && *s <= '9') &&
		    !(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z'))
			return 0;
	return 1;
}

static int visit(struct scan *sc, const cJSON *node, const cJSON **path, int depth, int reach);

static int
visit_sub(struct scan *sc, const cJSON *sub, const cJSON **path, int depth, int object_valued)
{
	const cJSON *b;

	if (cJSON_IsArray(sub) || (object_valued && cJSON_IsObject(sub))) {
		cJSON_ArrayForEach(b, sub)
		{
			if (visit(sc, b, path, depth, 0) == -1)
				return -1;
		}
		return 0;
	}
	return visit(sc, sub, path, depth, 0);
}

/* Walk a schema; -1 with the reason when an annotation makes the tool invalid. */
static int
visit(struct scan *sc, const cJSON *node, const cJSON **path, int depth, int reach)
{
	const cJSON *h, *type, *props, *c;
	int i, j;

	/* Past 16 levels nothing is looked at: no header, and no reason to refuse. */
	if (!cJSON_IsObject(node) || depth >= 16)
		return 0;
	if ((h = cJSON_GetObjectItemCaseSensitive(node, "x-mcp-header")) != NULL) {
		type = cJSON_GetObjectItemCaseSensitive(node, "type");
		if (!reach || depth == 0) {
			snprintf(sc->why, sizeof(sc->why),
			    "x-mcp-header where only properties may carry it");
			return -1;
		}
		if (!cJSON_IsString(h) || !token(h->valuestring)) {
			snprintf(sc->why, sizeof(sc->why), "x-mcp-header that is no header name");
			return -1;
		}
		if (!cJSON_IsString(type) ||
		    (strcmp(type->valuestring, "string") != 0 &&
		        strcmp(type->valuestring, "integer") != 0 &&
		        strcmp(type->valuestring, "boolean") != 0 &&
		        strcmp(type->valuestring, "number") != 0)) {
			snprintf(sc->why, sizeof(sc->why),
			    "x-mcp-header %.60s on a property that is no string, integer or "
			    "boolean",
			    h->valuestring);
			return -1;
		}
		for (i = 0; i < sc->n; i++)
			if (strcasecmp(sc->d[i].name, h->valuestring) == 0) {
				snprintf(sc->why, sizeof(sc->why), "x-mcp-header %.60s twice",
				    h->valuestring);
				return -1;
			}
		if (sc->n == PARAMS_MAX) {
			snprintf(sc->why, sizeof(sc->why), "more than %d x-mcp-header", PARAMS_MAX);
			return -1;
		}
		for (j = 0; j < depth; j++)
			sc->d[sc->n].path[j] = path[j];
		sc->d[sc->n].depth = depth;
		sc->d[sc->n].name = h->valuestring;
		sc->n++;
	}
	props = cJSON_GetObjectItemCaseSensitive(node, "properties");
	if (cJSON_IsObject(props)) {
		cJSON_ArrayForEach(c, props)
		{
			path[depth] = c;
			if (visit(sc, c, path, depth + 1, reach) == -1)
				return -1;
		}
	}
	for (i = 0; unreachable[i] != NULL; i++) {
		c = cJSON_GetObjectItemCaseSensitive(node, unreachable[i]);
		if (c != NULL &&
		    visit_sub(sc, c, path, depth,
		        strcmp(unreachable[i], "patternProperties") == 0 ||
		            strcmp(unreachable[i], "dependentSchemas") == 0 ||
		            strcmp(unreachable[i], "$defs") == 0 ||
		            strcmp(unreachable[i], "definitions") == 0) == -1)
			return -1;
	}
	return 0;
}

/* The argument at a declaration's path, or NULL. */
static const cJSON *
value_at(const cJSON *args, const struct decl *d)
{
	int i;

	for (i = 0; i < d->depth && args != NULL; i++)
		args = cJSON_IsObject(args)
		    ? cJSON_GetObjectItemCaseSensitive(args, d->path[i]->string)
		    : NULL;
	return args;
}

/* The value as the spec writes it, into a malloc'd string; NULL for none. */
static char *
as_text(const cJSON *v)
{
	char *s;

	if (cJSON_IsString(v))
		return strdup(v->valuestring);
	if (cJSON_IsBool(v))
		return strdup(cJSON_IsTrue(v) ? "true" : "false");
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    (v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) > 9007199254740991.0))
		return NULL;
	if (v->valuedouble == floor(v->valuedouble)) {
		if (asprintf(&s, "%.0f", v->valuedouble) == -1)
			return NULL;
		return s;
	}
	return cJSON_PrintUnformatted(v);
}

/* Plain when a header can carry it as it is (RFC 9110 5.5), else base64. */
static int
plain(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 0;
	if (n >= 11 && strncmp(s, "=?base64?", 9) == 0 && strcmp(s + n - 2, "?=") == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!(s[i] == '\t' || ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x7e)))
			return 0;
	return 1;
}

static const cJSON *
tool_named(const struct probe *p, const char *name)
{
	const cJSON *t, *n;

	cJSON_ArrayForEach(t, p->tools)
	{
		n = cJSON_GetObjectItemCaseSensitive(t, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return t;
	}
	return NULL;
}

/* Whether a tool's inputSchema carries its x-mcp-header annotations as 2026-07-28 asks (probe.h). */
int
param_schema_valid(const cJSON *schema)
{
	const cJSON *path[16];
	struct scan sc;

	memset(&sc, 0, sizeof(sc));
	return visit(&sc, schema, path, 0, 1) == 0;
}

/*
 * Append the Mcp-Param-* headers of a call of tool name with args to
 * *hdrs.  Returns 0, or -1 with the reason in why: the tool's annotations
 * are invalid (the spec drops such a tool), or memory ran out.
 */
int
param_headers(const struct probe *p, const char *name, const cJSON *args, struct curl_slist **hdrs,
    char *why, size_t len)
{
	const cJSON *tool = tool_named(p, name), *path[16];
	struct scan sc;
	struct curl_slist *l;
	char *v, *line;
	unsigned char *enc;
	size_t n;
	int i, rc;

	if (tool == NULL)
		return 0; /* not listed: the server answers the call */
	memset(&sc, 0, sizeof(sc));
	if (visit(&sc, cJSON_GetObjectItemCaseSensitive(tool, "inputSchema"), path, 0, 1) == -1) {
		snprintf(why, len, "tool %s is invalid: %s", name, sc.why);
		return -1;
	}
	for (i = 0; i < sc.n; i++) {
		if ((v = as_text(value_at(args, &sc.d[i]))) == NULL)
			continue; /* null, absent, or no primitive: no header */
		n = strlen(v);
		enc = NULL;
		if (!plain(v) && n <= PARAM_VALUE_MAX &&
		    (enc = malloc(4 * ((n + 2) / 3) + 1)) != NULL)
			EVP_EncodeBlock(enc, (const unsigned char *)v, (int)n);
		rc = n > PARAM_VALUE_MAX || (!plain(v) && enc == NULL)
		    ? 0
		    : asprintf(&line, enc ? "Mcp-Param-%s: =?base64?%s?=" : "Mcp-Param-%s: %s",
		          sc.d[i].name, enc ? (char *)enc : v);
		free(enc);
		free(v);
		if (rc == 0)
			continue; /* too long for a header: the body carries it */
		if (rc == -1 || (l = curl_slist_append(*hdrs, line)) == NULL) {
			if (rc != -1)
				free(line);
			snprintf(why, len, "out of memory");
			return -1;
		}
		free(line);
		*hdrs = l;
	}
	return 0;
}
