/*
 * words.c - the words: a diff's changes said for a person (a line each),
 * as JSON, and as the summary a verdict, an alert and a page carry.
 * Every text is a server's: escaped where it is written.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffint.h"
#include "json.h"
#include "text.h"

/* ---- saying it ----------------------------------------------------------------------- */

/*
 * A server's text for a person's line: each byte of what a reader would
 * not see as text (a control, DEL, a line separator, a bidirectional
 * control, a zero-width or tag character, a byte that starts no UTF-8
 * character: lib/text.h) is written \xHH, so that one change stays one
 * line, no escape sequence reaches a terminal and nothing hides or turns
 * the text around; when quoted, " and \ are escaped too.
 */
static int
put_text(struct mcp_buf *b, const char *s, int quoted)
{
	size_t n = strlen(s), i = 0, k, j;
	unsigned long cp;
	int rc = 0, bad, unsafe;

	if (quoted)
		rc |= mcp_buf_addc(b, '"');
	while (i < n && rc == 0) {
		if ((k = mcp_utf8_decode(s + i, n - i, &cp)) == 0)
			k = 1, bad = 1;
		else
			bad = mcp_text_char(s + i, &unsafe) != k || unsafe;
		if (bad) {
			for (j = 0; j < k; j++)
				rc |= mcp_buf_addf(b, "\\x%02x", (unsigned char)s[i + j]);
		} else if (quoted && (cp == '"' || cp == '\\')) {
			rc |= mcp_buf_addc(b, '\\') | mcp_buf_addc(b, (char)cp);
		} else {
			rc |= mcp_buf_add(b, s + i, k);
		}
		i += k;
	}
	if (quoted)
		rc |= mcp_buf_addc(b, '"');
	return rc == 0 ? 0 : -1;
}

/* "property \"a.b\"", "argument \"a\"" or, at a schema's root, "input schema". */
static int
put_subject(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	if (ch->path[0] == '\0')
		return mcp_buf_adds(b, "input schema");
	if (mcp_buf_adds(b, kind == MCP_LIST_PROMPTS ? "argument " : "property ") == -1)
		return -1;
	return put_text(b, ch->path, 1);
}

/* ": BEFORE to AFTER" when the change holds both. */
static int
put_values(struct mcp_buf *b, const struct mcp_change *ch)
{
	if (ch->before[0] == '\0' && ch->after[0] == '\0')
		return 0;
	if (mcp_buf_adds(b, ": ") == -1 || put_text(b, ch->before[0] ? ch->before : ABSENT, 0) ||
	    mcp_buf_adds(b, " to ") == -1 || put_text(b, ch->after[0] ? ch->after : ABSENT, 0))
		return -1;
	return 0;
}

/* What a change's line says after "ITEM" (or "ITEM: "), per kind. */
static const struct {
	const char *kind;
	const char *head; /* after "ITEM: SUBJECT" (or "ITEM" when no subject) */
	int subject;      /* 1: the property or argument named; 2: the path as it is */
	int values;       /* 1: ": BEFORE to AFTER"; 2: " BEFORE to AFTER" */
} phrases[] = {
    {"tool_added", " added", 0, 0},
    {"tool_removed", " removed", 0, 0},
    {"prompt_added", " added", 0, 0},
    {"prompt_removed", " removed", 0, 0},
    {"resource_added", " added", 0, 0},
    {"resource_removed", " removed", 0, 0},
    {"property_added_required", " added, required", 1, 0},
    {"property_added_optional", " added, optional", 1, 0},
    {"property_removed", " removed", 1, 0},
    {"property_type_changed", " type changed", 1, 1},
    {"property_narrowed", " narrowed", 1, 1},
    {"property_widened", " widened", 1, 1},
    {"required_added", " made required", 1, 0},
    {"required_removed", " made optional", 1, 0},
    {"schema_changed", " changed", 1, 1},
    {"prompt_argument_added_required", " added, required", 1, 0},
    {"prompt_argument_added_optional", " added, optional", 1, 0},
    {"prompt_argument_removed", " removed", 1, 0},
    {"prompt_argument_required_added", " made required", 1, 0},
    {"output_schema_added", "output schema added", 0, 0},
    {"output_schema_removed", "output schema removed", 0, 0},
    {"title_changed", "title changed", 0, 1},
    {"annotation_changed", "", 2, 2},
    {"field_changed", " changed", 2, 0},
    {"resource_changed", " changed", 2, 1},
};

static int
put_enum(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	int added = strcmp(ch->kind, "enum_value_added") == 0;

	if (put_subject(b, kind, ch) == -1 || mcp_buf_adds(b, " enum value ") == -1 ||
	    put_text(b, added ? ch->after : ch->before, 0) == -1)
		return -1;
	return mcp_buf_adds(b, added ? " added" : " removed");
}

static int
put_output(struct mcp_buf *b, const struct mcp_change *ch)
{
	if (mcp_buf_adds(b, "output schema") == -1)
		return -1;
	if (ch->path[0] != '\0' &&
	    (mcp_buf_adds(b, " property ") == -1 || put_text(b, ch->path, 1) == -1))
		return -1;
	if (mcp_buf_adds(b, ch->security ? " description changed" : " changed") == -1)
		return -1;
	return ch->security ? 0 : put_values(b, ch);
}

static int
put_description(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	/* The texts themselves are in before and after; a line only says where. */
	if (ch->path[0] == '\0')
		return mcp_buf_adds(b, "description changed");
	if (mcp_buf_adds(b, "description of ") == -1 || put_subject(b, kind, ch) == -1)
		return -1;
	return mcp_buf_adds(b, " changed");
}

static int
put_title(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	if (mcp_buf_adds(b, "title of ") == -1 || put_subject(b, kind, ch) == -1 ||
	    mcp_buf_adds(b, " changed") == -1)
		return -1;
	return put_values(b, ch);
}

/* The words of one change, appended to b. */
static int
put_words(struct mcp_buf *b, enum mcp_list_kind kind, const struct mcp_change *ch)
{
	size_t i;

	if (put_text(b, ch->item, 0) == -1)
		return -1;
	if (strcmp(ch->kind, "tool_renamed") == 0 || strcmp(ch->kind, "prompt_renamed") == 0) {
		if (mcp_buf_adds(b, " renamed ") == -1 || put_text(b, ch->to, 0) == -1)
			return -1;
		if (!ch->inferred)
			return 0;
		return mcp_buf_adds(b,
		    kind == MCP_LIST_PROMPTS ? " (inferred: same arguments)"
		                             : " (inferred: same input schema)");
	}
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
		if (strcmp(ch->kind, phrases[i].kind) == 0)
			break;
	if (i < sizeof(phrases) / sizeof(phrases[0]) && phrases[i].head[0] == ' ' &&
	    phrases[i].subject == 0)
		return mcp_buf_adds(b, phrases[i].head); /* "get_data added" */
	if (mcp_buf_adds(b, ": ") == -1)
		return -1;
	if (strncmp(ch->kind, "enum_value_", 11) == 0)
		return put_enum(b, kind, ch);
	if (strcmp(ch->kind, "output_schema_changed") == 0)
		return put_output(b, ch);
	if (strcmp(ch->kind, "title_changed") == 0 && ch->path[0] != '\0' &&
	    strcmp(ch->path, "annotations.title") != 0)
		return put_title(b, kind, ch);
	if (strcmp(ch->kind, "description_changed") == 0 ||
	    (strcmp(ch->kind, "resource_changed") == 0 && strcmp(ch->path, "description") == 0))
		return put_description(b, kind, ch);
	if (i == sizeof(phrases) / sizeof(phrases[0]))
		return put_text(b, ch->kind, 0) == -1 ? -1 : put_values(b, ch);
	if ((phrases[i].subject == 1 && put_subject(b, kind, ch) == -1) ||
	    (phrases[i].subject == 2 && put_text(b, ch->path, 0) == -1) ||
	    mcp_buf_adds(b, phrases[i].head) == -1)
		return -1;
	if (phrases[i].values == 2)
		return mcp_buf_addc(b, ' ') == -1 ||
		        put_text(b, ch->before[0] ? ch->before : ABSENT, 0) ||
		        mcp_buf_adds(b, " to ") == -1 ||
		        put_text(b, ch->after[0] ? ch->after : ABSENT, 0)
		    ? -1
		    : 0;
	return phrases[i].values ? put_values(b, ch) : 0;
}

int
mcp_diff_text(const struct mcp_diff *d, struct mcp_buf *out)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (mcp_buf_addf(out, "%-9s ", mcp_change_class_name(d->v[i].cls)) == -1 ||
		    put_words(out, d->kind, &d->v[i]) == -1 ||
		    (d->v[i].security && mcp_buf_adds(out, " (security)") == -1) ||
		    mcp_buf_addc(out, '\n') == -1)
			return -1;
	}
	if (d->more > 0 && mcp_buf_addf(out, "and %zu more changes, not kept\n", d->more) == -1)
		return -1;
	return 0;
}

/* ---- as JSON ----------------------------------------------------------------------------- */

/*
 * s as valid UTF-8 (a byte that starts no character becomes U+FFFD), so
 * that the tree is I-JSON whatever the server sent: a consumer may hash
 * it canonically.
 */
static cJSON *
add_str(cJSON *o, const char *k, const char *s)
{
	char buf[3 * (MCP_CH_PATH_MAX + 1) + 1];
	size_t n = strlen(s), i = 0, j = 0, l;
	unsigned long cp;

	while (i < n && j + 4 < sizeof(buf)) {
		if ((l = mcp_utf8_decode(s + i, n - i, &cp)) == 0) {
			memcpy(buf + j, "\xef\xbf\xbd", 3);
			j += 3;
			i++;
		} else {
			memcpy(buf + j, s + i, l);
			j += l;
			i += l;
		}
	}
	buf[j] = '\0';
	return cJSON_AddStringToObject(o, k, buf);
}

static const char *
item_key(enum mcp_list_kind kind)
{
	return kind == MCP_LIST_PROMPTS  ? "prompt"
	    : kind == MCP_LIST_RESOURCES ? "resource"
	                                 : "tool";
}

/* One change as an object, or NULL out of memory. */
static cJSON *
change_json(enum mcp_list_kind kind, const struct mcp_change *ch)
{
	cJSON *o = cJSON_CreateObject();
	int ok = o != NULL;

	ok = ok && cJSON_AddStringToObject(o, "class", mcp_change_class_name(ch->cls)) != NULL &&
	    cJSON_AddStringToObject(o, "kind", ch->kind) != NULL &&
	    add_str(o, item_key(kind), ch->item) != NULL;
	if (ok && ch->to[0] != '\0')
		ok = add_str(o, "to", ch->to) != NULL;
	if (ok && ch->path[0] != '\0')
		ok = add_str(o, "path", ch->path) != NULL;
	if (ok && ch->before[0] != '\0')
		ok = add_str(o, "before", ch->before) != NULL;
	if (ok && ch->after[0] != '\0')
		ok = add_str(o, "after", ch->after) != NULL;
	if (ok && ch->inferred)
		ok = cJSON_AddTrueToObject(o, "inferred") != NULL;
	if (ok && ch->security)
		ok = cJSON_AddTrueToObject(o, "security") != NULL;
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *
mcp_diff_json(const struct mcp_diff *d)
{
	cJSON *a = cJSON_CreateArray(), *o;
	size_t i;

	for (i = 0; a != NULL && i < d->n; i++) {
		if ((o = change_json(d->kind, &d->v[i])) == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* ---- the summary ------------------------------------------------------------------------- */

/*
 * ix: the changes worst first, by class, the security ones first in a
 * class, else as found (six passes: a stable sort in linear time).
 */
static void
worst_first(const struct mcp_diff *d, size_t *ix)
{
	size_t i, k = 0;
	int rank;

	for (rank = 0; rank < 2 * MCP_CH_NCLASS; rank++)
		for (i = 0; i < d->n; i++)
			if ((int)d->v[i].cls * 2 + !d->v[i].security == rank)
				ix[k++] = i;
}

/* The one line: the worst change in words, then "and N more"; cut at TEXT_MAX bytes. */
static int
summary_text(const struct mcp_diff *d, const size_t *ix, size_t limit, char *out, size_t size)
{
	struct mcp_buf b = {0};
	char tail[48] = "";
	size_t total = d->n + d->more;

	if (total == 0 || d->n == 0) {
		td_cut(out, size, total == 0 ? "no change found" : "changes not kept");
		return 0;
	}
	if (total > 1)
		snprintf(tail, sizeof(tail), " and %zu more", total - 1);
	if (put_words(&b, d->kind, &d->v[ix[0]]) == -1) {
		mcp_buf_free(&b);
		return -1;
	}
	if (limit > size - 1)
		limit = size - 1;
	td_cut(out, limit + 1 > strlen(tail) ? limit + 1 - strlen(tail) : 1, b.p);
	if (strlen(out) + strlen(tail) < size)
		strcat(out, tail);
	mcp_buf_free(&b);
	return 0;
}

static cJSON *
summary_build(const struct mcp_diff *d, const size_t *ix, size_t k, const char *text)
{
	enum mcp_change_class w = mcp_diff_worst(d);
	cJSON *s = cJSON_CreateObject(), *counts, *items, *o;
	size_t i;
	int ok;

	ok = s != NULL && cJSON_AddStringToObject(s, "class", mcp_change_class_name(w)) != NULL &&
	    cJSON_AddBoolToObject(s, "breaking", w == MCP_CH_BREAKING) != NULL &&
	    (counts = cJSON_AddObjectToObject(s, "counts")) != NULL;
	for (i = 0; ok && i < MCP_CH_NCLASS; i++)
		ok =
		    cJSON_AddNumberToObject(counts, mcp_change_class_name((enum mcp_change_class)i),
		        (double)d->count[i]) != NULL;
	ok = ok && cJSON_AddNumberToObject(s, "security", (double)d->security) != NULL &&
	    (items = cJSON_AddArrayToObject(s, "items")) != NULL;
	for (i = 0; ok && i < k; i++) {
		if ((o = change_json(d->kind, &d->v[ix[i]])) == NULL)
			ok = 0;
		else
			cJSON_AddItemToArray(items, o);
	}
	ok = ok && cJSON_AddNumberToObject(s, "more", (double)(d->n + d->more - k)) != NULL &&
	    add_str(s, "text", text) != NULL;
	if (!ok) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

/* The length of s written as JSON, or (size_t)-1. */
static size_t
json_len(const cJSON *s)
{
	struct mcp_buf b = {0};
	char err[64];
	size_t n = (size_t)-1;

	if (mcp_json_write(&b, s, err, sizeof(err)) == 0)
		n = b.len;
	mcp_buf_free(&b);
	return n;
}

/*
 * Items are dropped from the end (the least bad) until the text fits in
 * max_bytes, each dropped one counted in "more"; with none left, the text
 * is cut.  The rest of the summary is about 150 bytes: a max_bytes below
 * that gives it anyway, with no items and the text cut short.
 */
cJSON *
mcp_diff_summary(const struct mcp_diff *d, size_t max_items, size_t max_bytes)
{
	char text[TEXT_MAX + 1];
	size_t *ix = NULL, k, len, limit = TEXT_MAX, over;
	cJSON *s = NULL;

	if (d->n > 0 && (ix = calloc(d->n, sizeof(*ix))) == NULL)
		return NULL;
	worst_first(d, ix);
	k = d->n < max_items ? d->n : max_items;
	for (;;) {
		if (summary_text(d, ix, limit, text, sizeof(text)) == -1 ||
		    (s = summary_build(d, ix, k, text)) == NULL ||
		    (len = json_len(s)) == (size_t)-1) {
			cJSON_Delete(s);
			s = NULL;
			break;
		}
		if (len <= max_bytes || (k == 0 && limit == 0))
			break;
		cJSON_Delete(s);
		over = len - max_bytes;
		if (k > 0) {
			/* Each item is at least 40 bytes: a rough step, then one at a time. */
			k -= over / 400 + 1 < k ? over / 400 + 1 : k;
		} else {
			/* A text escapes to at most 6 bytes a byte. */
			limit = over / 6 + 1 < limit ? limit - (over / 6 + 1) : 0;
		}
	}
	free(ix);
	return s;
}
