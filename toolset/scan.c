/*
 * scan.c - the walk of a list's items for the rules read in their text
 * (scanrules.c), the findings kept, and what a result and a verdict say
 * of them.
 *
 * An item is any JSON a server sent: every string in it and every member
 * name (a property's, a parameter's, any key's) is read once, each with its JSON pointer (RFC 6901) inside the
 * item, to MAX_DEPTH levels.  Findings are kept to MCP_SCAN_MAX, the rest
 * counted; their texts are cut to their bounds.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "scanint.h"

#define MAX_DEPTH SCAN_DEPTH_MAX
#define INSTRUCTIONS 100    /* the kind of the server's instructions, to scancache.c */
#define CONTEXT 24          /* bytes of text kept before a finding */
#define LONG_MIN 2048       /* a description this long may be far longer than its peers' */
#define LONG_TIMES 5        /* ...when it is this many times their median */
#define SUMMARY_FIRST_MAX 8 /* findings a summary names, at the most */

static const char *const list_names[] = {"tool", "resource", "prompt"};
/* s into dst (size bytes), cut before a character that does not fit whole. */
void
scan_cut(char *dst, size_t size, const char *s)
{
	size_t n = strnlen(s, size - 1);

	if (s[n] != '\0')
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The start of the UTF-8 character at or before i. */
static size_t
char_start(const char *text, size_t i)
{
	while (i > 0 && ((unsigned char)text[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/*
 * A finding of rule r (severity sev) counted; the place it is kept in
 * *f, or NULL past MCP_SCAN_MAX (then only counted).  0, or -1 out of
 * memory.
 */
static int
finding_new(struct mcp_scan *s, size_t r, enum mcp_sev sev, struct mcp_finding **f)
{
	struct mcp_finding *v;
	size_t cap;

	*f = NULL;
	s->count[sev]++;
	s->rules |= 1UL << r;
	if (s->n >= MCP_SCAN_MAX) {
		s->more++;
		return 0;
	}
	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 8;
		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	*f = &s->v[s->n++];
	return 0;
}

int
scan_add(
    struct mcp_scan *s, int r, const struct scan_at *at, const char *text, size_t start, size_t end)
{
	struct mcp_finding *f;
	size_t len = strlen(text), from;

	if (finding_new(s, (size_t)r, mcp_scan_rules[r].sev, &f) == -1)
		return -1;
	if (f == NULL)
		return 0;
	memset(f, 0, sizeof(*f));
	f->rule = mcp_scan_rules[r].id;
	f->sev = mcp_scan_rules[r].sev;
	f->list = at->list;
	scan_cut(f->item, sizeof(f->item), at->item);
	scan_cut(f->pointer, sizeof(f->pointer), at->pointer);
	from = char_start(text, start > CONTEXT ? start - CONTEXT : 0);
	/* the excerpt runs on to its bound, past the match's end */
	scan_excerpt(f->excerpt, sizeof(f->excerpt), text, len, from, len);
	shape_note(f, r, text, start, end);
	return 0;
}

int
scan_keep(struct mcp_scan *s, const struct mcp_finding *f)
{
	const struct mcp_rule_info *r = mcp_scan_rule(f->rule);
	struct mcp_finding *to;

	if (r == NULL)
		return 0;
	if (finding_new(s, (size_t)(r - mcp_scan_rules), f->sev, &to) == -1)
		return -1;
	if (to != NULL)
		*to = *f;
	return 0;
}

struct walk {
	int (*fn)(void *, const char *, const char *, int);
	void *arg;
	struct mcp_buf ptr;
	int rc;
	int names; /* every member name read too (2), not only those of "properties" */
};

/* One more token on the pointer, escaped as RFC 6901 says; the length it had. */
static size_t
ptr_push(struct walk *w, const char *tok)
{
	size_t was = w->ptr.len, k = strcspn(tok, "~/");
	int rc;

	/* A token with no ~ nor / (nearly every one), in the room the pointer has: at once. */
	if (tok[k] == '\0' && w->ptr.p != NULL && w->ptr.max == 0 && was + k + 2 <= w->ptr.cap) {
		w->ptr.p[was] = '/';
		memcpy(w->ptr.p + was + 1, tok, k + 1);
		w->ptr.len = was + 1 + k;
		return was;
	}
	/* The bytes up to a ~ or a / at once, then it escaped. */
	for (rc = mcp_buf_addc(&w->ptr, '/'); *tok != '\0' && rc == 0; tok += k) {
		if ((k = strcspn(tok, "~/")) > 0)
			rc = mcp_buf_add(&w->ptr, tok, k);
		else if (*tok == '~')
			rc = mcp_buf_adds(&w->ptr, "~0"), k = 1;
		else
			rc = mcp_buf_adds(&w->ptr, "~1"), k = 1;
	}
	if (rc == -1)
		w->rc = -1;
	return was;
}

/* An array's index on the pointer; the length it had. */
static size_t
ptr_index(struct walk *w, int i)
{
	char idx[24], *e = idx + sizeof(idx) - 1;

	*e = '\0';
	do
		*--e = (char)('0' + i % 10);
	while ((i /= 10) > 0);
	return ptr_push(w, e);
}

static void
walk_string(struct walk *w, const char *text, int name)
{
	if (w->rc == 0 && w->fn(w->arg, w->ptr.p != NULL ? w->ptr.p : "", text, name) == -1)
		w->rc = -1;
}

/*
 * The member names of JSON Schema and of MCP's items that a list holds
 * by the thousand: each one's text is known to give no finding
 * (test_scan checks it), so it is not read again.  Sorted (strcmp).
 */
const char *const mcp_scan_known_names[] = {"$comment", "$defs", "$id", "$ref", "$schema", "_meta",
    "additionalProperties", "allOf", "annotations", "anyOf", "arguments", "const",
    "contentEncoding", "contentMediaType", "default", "definitions", "deprecated", "description",
    "destructiveHint", "enum", "examples", "exclusiveMaximum", "exclusiveMinimum", "format",
    "idempotentHint", "inputSchema", "items", "maxItems", "maxLength", "maxProperties", "maximum",
    "mimeType", "minItems", "minLength", "minProperties", "minimum", "multipleOf", "name", "not",
    "nullable", "oneOf", "openWorldHint", "outputSchema", "pattern", "patternProperties",
    "prefixItems", "properties", "propertyNames", "readOnly", "readOnlyHint", "required", "title",
    "type", "uniqueItems", "uri", "uriTemplate", "writeOnly"};
const size_t mcp_scan_nknown = sizeof(mcp_scan_known_names) / sizeof(mcp_scan_known_names[0]);

/* Where each of them is in a table of its hash (index + 1; 0 none), made at first use. */
#define KNOWN_SLOTS 256
static unsigned char known_slot[KNOWN_SLOTS], known_len[KNOWN_SLOTS];
static int known_made;
_Static_assert(sizeof(mcp_scan_known_names) / sizeof(mcp_scan_known_names[0]) < KNOWN_SLOTS / 2,
    "known_slot[] holds every known name, at most half full");

/* The hash of s, by its length and first eight bytes (the whole name compared after). */
static unsigned
known_hash(const char *s, size_t *n)
{
	uint64_t v = 0;
	size_t k = strlen(s);

	memcpy(&v, s, k < 8 ? k : 8);
	*n = k;
	return (unsigned)(((v ^ k) * 0x9E3779B97F4A7C15u) >> 40);
}

int
mcp_scan_known_name(const char *s)
{
	size_t i, n, k;
	unsigned h;

	if (!known_made) {
		for (i = 0; i < mcp_scan_nknown; i++) {
			for (h = known_hash(mcp_scan_known_names[i], &n) % KNOWN_SLOTS;
			     known_slot[h] != 0; h = (h + 1) % KNOWN_SLOTS)
				;
			known_slot[h] = (unsigned char)(i + 1);
			known_len[i] = (unsigned char)n;
		}
		known_made = 1;
	}
	for (h = known_hash(s, &n) % KNOWN_SLOTS; (k = known_slot[h]) != 0;
	     h = (h + 1) % KNOWN_SLOTS)
		if (known_len[k - 1] == n && memcmp(mcp_scan_known_names[k - 1], s, n) == 0)
			return 1;
	return 0;
}

/* cJSON's own tests (cJSON_IsObject() and the like), without a call each. */
#define J_TYPE(v) ((v)->type & 0xFF)

static void
walk(struct walk *w, const cJSON *v, int depth)
{
	const cJSON *c;
	size_t was;
	int i = 0, object = J_TYPE(v) == cJSON_Object, t;
	/* The members of "properties" are names the server chose, as "name" members are. */
	int props = object && v->string != NULL && strcmp(v->string, "properties") == 0;

	if (depth > MAX_DEPTH || w->rc != 0)
		return;
	for (c = v->child; c != NULL; c = c->next, i++) {
		t = J_TYPE(c);
		if (object) {
			if (c->string == NULL)
				continue;
			was = ptr_push(w, c->string);
			if (props && t == cJSON_Object)
				walk_string(w, c->string, 1);
			else if (w->names && !mcp_scan_known_name(c->string))
				walk_string(w, c->string, 2);
		} else {
			was = ptr_index(w, i);
		}
		if (w->rc != 0)
			return;
		if (t == cJSON_String && c->valuestring != NULL)
			walk_string(w, c->valuestring,
			    c->string != NULL && c->string[0] == 'n' &&
			        strcmp(c->string, "name") == 0);
		else if (t == cJSON_Object || t == cJSON_Array)
			walk(w, c, depth + 1);
		w->ptr.len = was;
		if (w->ptr.p != NULL)
			w->ptr.p[was] = '\0';
	}
}

/* The length of an item's description, for mcp_scan_finish. */
static int
keep_len(struct mcp_scan *s, const char *list, const char *item, const cJSON *d)
{
	if (!cJSON_IsString(d) || d->valuestring == NULL)
		return 0;
	return scan_len(s, list, item, strlen(d->valuestring));
}

int
scan_len(struct mcp_scan *s, const char *list, const char *item, size_t len)
{
	struct mcp_scan_len *v;
	size_t cap;

	if (s->nlen == s->caplen) {
		cap = s->caplen ? s->caplen * 2 : 16;
		if ((v = realloc(s->len, cap * sizeof(*v))) == NULL)
			return -1;
		s->len = v;
		s->caplen = cap;
	}
	s->len[s->nlen].len = len;
	s->len[s->nlen].list = list;
	scan_cut(s->len[s->nlen].item, sizeof(s->len[s->nlen].item), item);
	s->nlen++;
	return 0;
}

int
mcp_strings_walk(const cJSON *item, int (*fn)(void *, const char *, const char *, int), void *arg)
{
	struct walk w = {.fn = fn, .arg = arg};

	walk(&w, item, 0);
	mcp_buf_free(&w.ptr);
	return w.rc;
}

/* The words from which a schema's value is a sentence (real lists: two at most). */
#define PROSE_WORDS 4

/* The underscores of text, counted up to PROSE_WORDS. */
static int
underscores(const char *text)
{
	int n = 0;

	for (; *text != '\0' && n < PROSE_WORDS; text++)
		n += *text == '_';
	return n;
}

/* The item scanned and where: each string of it read by the rules. */
struct item_scan {
	struct mcp_scan *s;
	struct scan_at at;
};

/*
 * 1 when pointer names a value of a tool's schema that is a keyword or a
 * datum, not prose: a "type" (or one of its array), an "enum"'s value, a
 * "const" (not a property named so).
 */
static int
value_slot(const char *pointer)
{
	const char *last, *prev;

	/* (the first letter at once: most strings are not a schema's) */
	if (!(pointer[0] == '/' && pointer[1] == 'i' &&
	        strncmp(pointer, "/inputSchema/", 13) == 0) &&
	    !(pointer[0] == '/' && pointer[1] == 'o' &&
	        strncmp(pointer, "/outputSchema/", 14) == 0))
		return 0;
	/* its last token's / and the one before (the schema's own is one: prev never passes it) */
	last = strrchr(pointer, '/');
	for (prev = last - 1; *prev != '/'; prev--)
		;
	if (strcmp(last, "/type") == 0 || strcmp(last, "/const") == 0)
		return !(last - prev == 11 && strncmp(prev, "/properties", 11) == 0);
	if (last[1] < '0' || last[1] > '9' || last[strspn(last + 1, "0123456789") + 1] != '\0')
		return 0;
	return last - prev == 5 &&
	    (strncmp(prev, "/enum", 5) == 0 || strncmp(prev, "/type", 5) == 0);
}

/*
 * The value an input schema gives a property, where pointer (last: its
 * last '/') names one: ".../X/default", ".../X/const", ".../X/enum/N".
 * The end of X's name, or NULL; *is_enum 1 for an enum's value.
 */
static const char *
prop_value(const char *pointer, const char *last, int *is_enum)
{
	const char *end;

	*is_enum = 0;
	if (pointer[1] != 'i' || strncmp(pointer, "/inputSchema/", 13) != 0)
		return NULL;
	if (strcmp(last, "/default") == 0 || strcmp(last, "/const") == 0)
		end = last;
	else if (last[1] >= '0' && last[1] <= '9' && last - pointer > 5 &&
	    strncmp(last - 5, "/enum", 5) == 0)
		end = last - 5, *is_enum = 1;
	else
		return NULL;
	return end;
}

/*
 * 1 when the property whose name ends at end is where something goes, by
 * a word of its name: to, cc, recipient, destination, webhook, callback,
 * phone, iban, forward, notify, sink ("webhook_url", "notifyTo", "cc");
 * not "email", whose default may be the sender's.
 */
static int
dest_name(const char *pointer, const char *end)
{
	static const char *const dest[] = {"to", "cc", "bcc", "recipient", "recipients",
	    "destination", "dest", "webhook", "callback", "phone", "iban", "forward", "notify",
	    "sink", "receiver", "payee", "beneficiary", "action", "upload", "target"};
	const char *p, *w;
	size_t i, n;

	for (p = end; p > pointer && p[-1] != '/'; p--)
		;
	if (p - pointer < 12 || strncmp(p - 12, "/properties/", 12) != 0)
		return 0;
	/* its words: "webhook_url", "notify-to", "notifyTo" */
	for (w = p; w < end; w = p) {
		for (p = w + 1; p < end && *p != '_' && *p != '-' && !(*p >= 'A' && *p <= 'Z'); p++)
			;
		n = (size_t)(p - w);
		for (i = 0; i < sizeof(dest) / sizeof(dest[0]); i++)
			if (strlen(dest[i]) == n && strncasecmp(w, dest[i], n) == 0)
				return 1;
		if (p < end && (*p == '_' || *p == '-'))
			p++;
	}
	return 0;
}

/*
 * 1 when text is an address data goes to, whole: a URL of a host
 * ("https://hooks.x.example/...", "sftp://203.0.113.4/in"), an e-mail
 * address, a telephone number ("+1-202-555-0187"), an IBAN.
 */
static int
dest_value(const char *t)
{
	const char *p = strstr(t, "://"), *at;
	size_t digits = 0, i;

	if (strchr(t, ' ') != NULL)
		return 0;
	if (p != NULL && p > t && strchr(p + 3, '.') != NULL)
		return 1;
	if ((at = strchr(t, '@')) != NULL && at > t && strchr(at + 1, '.') != NULL && at[1] != '.')
		return 1;
	if (t[0] == '+' && t[1] >= '1' && t[1] <= '9') {
		for (i = 1; t[i] != '\0'; i++)
			if (t[i] >= '0' && t[i] <= '9')
				digits++;
			else if (t[i] != '-' && t[i] != ' ' && t[i] != '(' && t[i] != ')' &&
			    t[i] != '.')
				return 0;
		return digits >= 8;
	}
	/* an IBAN: two letters, two digits, 11 to 30 letters and digits */
	if (isupper((unsigned char)t[0]) && isupper((unsigned char)t[1]) &&
	    isdigit((unsigned char)t[2]) && isdigit((unsigned char)t[3])) {
		for (i = 4; isalnum((unsigned char)t[i]); i++)
			;
		return t[i] == '\0' && i >= 15 && i <= 34;
	}
	return 0;
}

/* The words of text (runs of bytes between spaces), counted up to max. */
static int
words_upto(const char *text, int max)
{
	int n = 0, in = 0;

	for (; *text != '\0' && n < max; text++) {
		if (isspace((unsigned char)*text))
			in = 0;
		else if (!in)
			in = 1, n++;
	}
	return n;
}

/*
 * An enum's value whose name destroys ("clear") kept marked, for what it
 * does and nothing else ("clear removes every stash entry", shape.c); out
 * of item_string, whose every string would pay for its frame.  0 or -1.
 */
static __attribute__((noinline)) int
op_name(struct item_scan *is, const char *text)
{
	char op[16]; /* its mark, a destroying name (9 letters at most), its NUL */

	if (!shape_destroy_word(text))
		return 0;
	op[0] = SHAPE_OP;
	memcpy(op + 1, text, strlen(text) + 1);
	return shape_name(is->s, is->at.list, is->at.item, op);
}

/*
 * 1 when text is, word for word, a value JSON Schema or the protocol
 * defines where a pointer ends in last: a "type" ("string"), a "$schema" (the
 * meta-schemas' own URIs), an "execution" "taskSupport" ("optional"), a
 * "format" ("date-time"): nothing in it can ask anything, so no rule
 * reads it (a schema's strings are mostly these).
 */
static int
known_value(const char *last, const char *text)
{
	static const char *const types[] = {
	    "string", "number", "integer", "boolean", "object", "array", "null", NULL};
	static const char *const schemas[] = {"http://json-schema.org/draft-07/schema#",
	    "https://json-schema.org/draft/2020-12/schema",
	    "http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#",
	    "https://json-schema.org/draft/2019-09/schema", "http://json-schema.org/schema#", NULL};
	static const char *const task[] = {"forbidden", "optional", "required", NULL};
	static const char *const formats[] = {"date-time", "date", "time", "email", "uri", "url",
	    "uuid", "ipv4", "ipv6", "hostname", "duration", "uri-reference", "regex", NULL};
	const char *const *v;

	if (strcmp(last, "/type") == 0)
		v = types;
	else if (strcmp(last, "/$schema") == 0)
		v = schemas;
	else if (strcmp(last, "/taskSupport") == 0)
		v = task;
	else if (strcmp(last, "/format") == 0)
		v = formats;
	else
		return 0;
	for (; *v != NULL; v++)
		if (strcmp(text, *v) == 0)
			return 1;
	return 0;
}

static int
item_string(void *arg, const char *pointer, const char *text, int name)
{
	struct item_scan *is = arg;
	const char *last = strrchr(pointer, '/'), *prop = NULL;
	int is_enum = 0;

	if (name == 0 && last != NULL) {
		if (known_value(last, text))
			return 0;
		prop = prop_value(pointer, last, &is_enum);
	}
	is->at.pointer = pointer;
	is->at.name = name;
	/* A parameter's name, for the shapes of shape.c. */
	if (name == 1 && strcmp(pointer, "/name") != 0 &&
	    shape_name(is->s, is->at.list, is->at.item, text) == -1)
		return -1;
	/*
	 * An operation an enum of the item's own offers ("action": ["list",
	 * "get_link_types"]) is a name of its own, as a parameter's is: "Use
	 * get_link_types first" orders its own operations.
	 */
	if (is_enum && strchr(text, '_') != NULL && strchr(text, ' ') == NULL &&
	    strlen(text) < 64 && shape_name(is->s, is->at.list, is->at.item, text) == -1)
		return -1;
	/* one whose name destroys, marked (op_name) */
	if (is_enum && op_name(is, text) == -1)
		return -1;
	/* MCPU-P115: an address set as where the tool's data goes ("cc": {"default": "x@y.example"}) */
	if (prop != NULL && dest_value(text) && dest_name(pointer, prop) &&
	    scan_add(is->s, R_ADDRESS, &is->at, text, 0, strlen(text)) == -1)
		return -1;
	/* MCPU-P119: a sentence where the schema holds a keyword or a datum. */
	if (name == 0 && value_slot(pointer)) {
		if (words_upto(text, PROSE_WORDS) >= PROSE_WORDS &&
		    scan_add(is->s, R_PROSE, &is->at, text, 0, strlen(text)) == -1)
			return -1;
		/* a value written as a name ("IGNORE_PREVIOUS_INSTRUCTIONS_and_..."): read as one */
		if (strchr(text, ' ') == NULL && underscores(text) >= PROSE_WORDS - 1)
			is->at.name = 2;
	}
	return scan_string(is->s, &is->at, text, strlen(text));
}

int
mcp_scan_item(struct mcp_scan *s, enum mcp_list_kind k, const cJSON *item)
{
	const cJSON *key =
	    cJSON_GetObjectItemCaseSensitive(item, k == MCP_LIST_RESOURCES ? "uri" : "name");
	struct item_scan is = {.s = s};
	struct walk w = {.fn = item_string, .arg = &is, .names = 1};
	struct scan_mark m = {s->n, s->more, s->nnames, s->nlen, s->bytes, s->nmention};
	static struct mcp_buf kb; /* the key, its memory kept for the next item */
	int rc;

	if (!cJSON_IsObject(item))
		return 0;
	/* An item read before, in this process: what it gave, again (scancache.c). */
	mcp_buf_reset(&kb);
	if (!scan_cache_on() || scan_cache_key(&kb, item, 0) == -1)
		mcp_buf_reset(&kb);
	else if (kb.p != NULL && (rc = scan_cache_get(s, (int)k, kb.p, kb.len)) != 0)
		return rc == 1 ? 0 : -1;
	is.at.list = list_names[k];
	is.at.item = cJSON_IsString(key) && key->valuestring != NULL ? key->valuestring : "";
	if (shape_name(s, is.at.list, is.at.item, "") == -1)
		return -1;
	walk(&w, item, 0);
	mcp_buf_free(&w.ptr);
	rc = w.rc;
	if (rc == 0 &&
	    keep_len(s, is.at.list, is.at.item,
	        cJSON_GetObjectItemCaseSensitive(item, "description")) == -1)
		rc = -1;
	if (rc == 0 && kb.len > 0)
		scan_cache_put(s, (int)k, kb.p, kb.len, &m);
	return rc;
}

int
mcp_scan_instructions(struct mcp_scan *s, const char *text)
{
	struct scan_at at = {"server", "instructions", "", 0};
	struct scan_mark m = {s->n, s->more, s->nnames, s->nlen, s->bytes, s->nmention};
	size_t len;
	int rc;

	if (text == NULL)
		return 0;
	/* Instructions read before, in this process: what they gave, again (scancache.c). */
	len = strlen(text);
	if ((rc = scan_cache_get(s, INSTRUCTIONS, text, len)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = scan_string(s, &at, text, len)) == 0 && len > 0)
		scan_cache_put(s, INSTRUCTIONS, text, len, &m);
	return rc;
}

static int
len_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int
mcp_scan_finish(struct mcp_scan *s)
{
	struct scan_at at = {0};
	size_t i, med, *v;
	char text[64];
	int rc = 0;

	shape_lower(s);
	if (s->nlen == 0)
		return 0;
	if ((v = malloc(s->nlen * sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < s->nlen; i++)
		v[i] = s->len[i].len;
	qsort(v, s->nlen, sizeof(*v), len_cmp);
	med = v[s->nlen / 2];
	for (i = 0; i < s->nlen && rc == 0; i++) {
		if (s->len[i].len < LONG_MIN || s->len[i].len < LONG_TIMES * med)
			continue;
		at.list = s->len[i].list;
		at.item = s->len[i].item;
		at.pointer = "/description";
		snprintf(text, sizeof(text), "%zu bytes; the median of the list: %zu",
		    s->len[i].len, med);
		rc = scan_add(s, R_LONG, &at, text, 0, strlen(text));
	}
	free(v);
	free(s->len);
	s->len = NULL;
	s->nlen = s->caplen = 0;
	return rc;
}

int
mcp_scan_list(struct mcp_scan *s, enum mcp_list_kind k, const cJSON *list)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, list)
	{
		if (mcp_scan_item(s, k, it) == -1)
			return -1;
	}
	return mcp_scan_finish(s);
}

void
mcp_scan_free(struct mcp_scan *s)
{
	free(s->v);
	free(s->len);
	free(s->names);
	free(s->mention);
	memset(s, 0, sizeof(*s));
}

enum mcp_sev
mcp_scan_worst(const struct mcp_scan *s)
{
	int v;

	for (v = 0; v < MCP_SEV_N; v++)
		if (s->count[v] > 0)
			return (enum mcp_sev)v;
	return MCP_SEV_N;
}

static cJSON *
finding_json(const struct mcp_finding *f)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "rule", f->rule);
	cJSON_AddStringToObject(o, "severity", mcp_sev_name(f->sev));
	cJSON_AddStringToObject(o, f->list, f->item);
	cJSON_AddStringToObject(o, "pointer", f->pointer);
	cJSON_AddStringToObject(o, "excerpt", f->excerpt);
	if (f->hidden[0] != '\0')
		cJSON_AddStringToObject(o, "hidden", f->hidden);
	return o;
}

/* 1 when a finding of the same item as finding i is named already. */
static int
item_named(const struct mcp_scan *s, const char *named, size_t i)
{
	size_t j;

	for (j = 0; j < s->n; j++)
		if (named[j] && s->v[j].list == s->v[i].list &&
		    strcmp(s->v[j].item, s->v[i].item) == 0)
			return 1;
	return 0;
}

cJSON *
mcp_scan_summary(const struct mcp_scan *s, size_t max_first)
{
	cJSON *o = cJSON_CreateObject(), *rules, *first;
	size_t i, shown = 0, total = s->n + s->more;
	char named[MCP_SCAN_MAX] = {0};
	int v, pass;

	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "count", (double)total);
	cJSON_AddStringToObject(o, "worst", mcp_sev_name(mcp_scan_worst(s)));
	rules = cJSON_AddArrayToObject(o, "rules");
	for (i = 0; rules != NULL && i < mcp_scan_nrules; i++)
		if (s->rules & (1UL << i))
			cJSON_AddItemToArray(rules, cJSON_CreateString(mcp_scan_rules[i].id));
	if (max_first > SUMMARY_FIRST_MAX)
		max_first = SUMMARY_FIRST_MAX;
	first = cJSON_AddArrayToObject(o, "first");
	/* Worst first, and as many places as there is room for: one finding of each item, then more. */
	for (pass = 0; pass < 2; pass++)
		for (v = 0; first != NULL && v < MCP_SEV_N; v++)
			for (i = 0; i < s->n && shown < max_first; i++)
				if (s->v[i].sev == (enum mcp_sev)v &&
				    (named[i] == 0 && (pass == 1 || !item_named(s, named, i)))) {
					cJSON_AddItemToArray(first, finding_json(&s->v[i]));
					named[i] = 1;
					shown++;
				}
	cJSON_AddNumberToObject(o, "more", (double)(total - shown));
	return o;
}

cJSON *
mcp_scan_summary_of(const struct mcp_scan *s, const char *list, size_t max_first)
{
	struct mcp_scan t;
	cJSON *o;
	size_t i, r;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].list, list) == 0)
			t.n++;
	if (t.n == 0 || (t.v = calloc(t.n, sizeof(*t.v))) == NULL)
		return NULL;
	for (i = 0, t.n = 0; i < s->n; i++) {
		if (strcmp(s->v[i].list, list) != 0)
			continue;
		t.v[t.n++] = s->v[i];
		t.count[s->v[i].sev]++;
		for (r = 0; r < mcp_scan_nrules; r++)
			if (strcmp(mcp_scan_rules[r].id, s->v[i].rule) == 0)
				t.rules |= 1UL << r;
	}
	o = mcp_scan_summary(&t, max_first);
	free(t.v);
	return o;
}

cJSON *
mcp_scan_json(const struct mcp_scan *s)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; a != NULL && i < s->n; i++)
		cJSON_AddItemToArray(a, finding_json(&s->v[i]));
	return a;
}
