/*
 * toolwords.c - a change of a server's tool list, as the verdict carries
 * it (mcp_diff_summary in toolset/toolset.h), said in words for a summary:
 * what the regions did and whether it breaks agents.  Every name in it is
 * a server's text: cut to ALERT_TOOL_NAME bytes of whole characters, with
 * what could break a line or turn the text around (controls, line and
 * paragraph separators, bidirectional overrides) made "?", and what a
 * chat service, a mail reader or a phone would make a live link made
 * inert ("https[:]//evil[.]example": tool_inert), as a mention is.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "rules.h"
#include "text.h"

/* The length of the UTF-8 character at s (1 for a stray byte). */
static size_t
char_len(const unsigned char *s)
{
	int bad;

	return mcp_text_char((const char *)s, &bad);
}

size_t
tool_inert(const char *s, const char *p, char *tmp)
{
	if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
		memcpy(tmp, "[:]", 3);
		return 3;
	}
	if (p[0] == '.' && p > s && isalnum((unsigned char)p[-1]) && isalpha((unsigned char)p[1])) {
		memcpy(tmp, "[.]", 3);
		return 3;
	}
	return 0;
}

void
tool_name_clean(char *buf, size_t len, const char *s)
{
	const char *p = s != NULL ? s : "";
	size_t u = 0, n, k;
	char tmp[4];
	int bad;

	while (*p != '\0' && len > 0) {
		n = mcp_text_char(p, &bad);
		k = bad ? 1 : (k = tool_inert(s, p, tmp)) > 0 ? k : n;
		if (u + k > ALERT_TOOL_NAME || u + k + 4 > len) {
			snprintf(buf + u, len - u, "\xe2\x80\xa6"); /* "…": cut */
			return;
		}
		if (bad)
			buf[u++] = '?';
		else if (k != n)
			memcpy(buf + u, tmp, k), u += k;
		else
			memcpy(buf + u, p, n), u += n;
		p += n;
	}
	if (len > 0)
		buf[u < len ? u : len - 1] = '\0';
}

/* The string member k of an item, cleaned. */
static void
field(char *buf, size_t len, const cJSON *it, const char *k)
{
	tool_name_clean(buf, len, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, k)));
}

/* Drop a character snprintf cut short at the end of buf. */
static void
words_end(char *buf)
{
	size_t n = strlen(buf), i = n;

	while (i > 0 && ((unsigned char)buf[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)buf[i - 1] >= 0xc0 &&
	    n - (i - 1) < char_len((const unsigned char *)buf + i - 1) + (n - (i - 1) == 1 ? 1 : 0))
		buf[i - 1] = '\0';
}

/* What the item names: a tool, a prompt or a resource. */
static const char *
item_key(const cJSON *it)
{
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "prompt")))
		return "prompt";
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "resource")))
		return "resource";
	return "tool";
}

/*
 * The three parts of one change: what a region still serving the old list
 * serves (stale), what was done (did, in the form of a divergence, "it"
 * standing for stale, or of a drift), and the impact.
 */
struct words {
	char stale[160];
	char did[320];
	char impact[200];
};

#define KIND_IS(k, a) (strcmp((k), (a)) == 0)

static void
removal_words(struct words *w, const char *kind, const char *n, const char *to, int div)
{
	int rename = strstr(kind, "renamed") != NULL;

	snprintf(w->stale, sizeof(w->stale), "%s", n);
	if (rename && div)
		snprintf(w->did, sizeof(w->did), "renamed it %s", to);
	else if (rename)
		snprintf(w->did, sizeof(w->did), "renamed %s to %s", n, to);
	else
		snprintf(w->did, sizeof(w->did), div ? "removed it" : "removed %s", n);
	snprintf(w->impact, sizeof(w->impact), "breaking for agents that %s %s",
	    strncmp(kind, "resource", 8) == 0     ? "read"
	        : strncmp(kind, "prompt", 6) == 0 ? "use"
	                                          : "call",
	    n);
}

/* A property, an argument or an enum value of the item: 1 when kind is one. */
static int
part_words(struct words *w, const char *kind, const char *n, const cJSON *it)
{
	char p[ALERT_TOOL_NAME + 8], b[ALERT_TOOL_NAME + 8], a[ALERT_TOOL_NAME + 8];

	field(p, sizeof(p), it, "path");
	field(b, sizeof(b), it, "before");
	field(a, sizeof(a), it, "after");
	snprintf(w->stale, sizeof(w->stale), "the old %s", n);
	if (strstr(kind, "added_required") != NULL || strstr(kind, "required_added") != NULL) {
		snprintf(w->did, sizeof(w->did), "made \"%s\" required on %s", p, n);
		snprintf(w->impact, sizeof(w->impact), "breaking for agents that do not send it");
	} else if (KIND_IS(kind, "property_removed") || KIND_IS(kind, "prompt_argument_removed")) {
		snprintf(w->did, sizeof(w->did), "removed \"%s\" from %s", p, n);
		snprintf(w->impact, sizeof(w->impact), "breaking for agents that send it");
	} else if (KIND_IS(kind, "property_type_changed")) {
		snprintf(w->did, sizeof(w->did), "changed the type of \"%s\" on %s (%s to %s)", p,
		    n, b, a);
		snprintf(
		    w->impact, sizeof(w->impact), "breaking for agents that send the old type");
	} else if (KIND_IS(kind, "property_narrowed")) {
		snprintf(w->did, sizeof(w->did), "narrowed \"%s\" on %s (%s to %s)", p, n, b, a);
		snprintf(w->impact, sizeof(w->impact),
		    "breaking for agents that send values outside it");
	} else if (KIND_IS(kind, "enum_value_removed")) {
		/* The value is its JSON text: a string's quotes are its own. */
		snprintf(w->did, sizeof(w->did), "removed %s from the values of \"%s\" on %s",
		    b[0] ? b : a, p, n);
		snprintf(w->impact, sizeof(w->impact), "breaking for agents that send it");
	} else if (KIND_IS(kind, "property_added_optional") ||
	    KIND_IS(kind, "prompt_argument_added_optional")) {
		snprintf(w->did, sizeof(w->did), "added the optional \"%s\" to %s", p, n);
		snprintf(w->impact, sizeof(w->impact), "compatible: nothing breaks for agents");
	} else
		return 0;
	return 1;
}

/* An annotation: "turned destructiveHint on for delete_file". */
static void
annotation_words(struct words *w, const char *n, const cJSON *it)
{
	char p[ALERT_TOOL_NAME + 8], a[ALERT_TOOL_NAME + 8];

	field(p, sizeof(p), it, "path");
	field(a, sizeof(a), it, "after");
	snprintf(w->stale, sizeof(w->stale), "the old %s", n);
	if (strcmp(a, "true") == 0 || strcmp(a, "false") == 0)
		snprintf(w->did, sizeof(w->did), "turned %s %s for %s", p[0] ? p : "an annotation",
		    a[0] == 't' ? "on" : "off", n);
	else
		snprintf(w->did, sizeof(w->did), "changed %s of %s", p[0] ? p : "an annotation", n);
	snprintf(w->impact, sizeof(w->impact), "review it");
}

static void
item_words(struct words *w, const cJSON *it, int div)
{
	const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "kind"));
	const char *cls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "class"));
	char n[ALERT_TOOL_NAME + 8], to[ALERT_TOOL_NAME + 8];

	kind = kind != NULL ? kind : "";
	cls = cls != NULL ? cls : "";
	field(n, sizeof(n), it, item_key(it));
	field(to, sizeof(to), it, "to");
	if (KIND_IS(kind, "tool_removed") || KIND_IS(kind, "prompt_removed") ||
	    KIND_IS(kind, "resource_removed") || strstr(kind, "_renamed") != NULL)
		removal_words(w, kind, n, to, div);
	else if (part_words(w, kind, n, it))
		return;
	else if (KIND_IS(kind, "annotation_changed"))
		annotation_words(w, n, it);
	else if (KIND_IS(kind, "tool_added") || KIND_IS(kind, "prompt_added") ||
	    KIND_IS(kind, "resource_added")) {
		snprintf(w->stale, sizeof(w->stale), "the list without %s", n);
		snprintf(w->did, sizeof(w->did), "added %s", n);
		snprintf(w->impact, sizeof(w->impact), "compatible: nothing breaks for agents");
	} else {
		snprintf(w->stale, sizeof(w->stale), "the old %s", n);
		if (KIND_IS(kind, "description_changed"))
			snprintf(w->did, sizeof(w->did), "changed the description of %s", n);
		else if (strncmp(kind, "output_schema_", 14) == 0)
			snprintf(w->did, sizeof(w->did), "%s the output schema of %s",
			    KIND_IS(kind, "output_schema_added")         ? "added"
			        : KIND_IS(kind, "output_schema_removed") ? "removed"
			                                                 : "changed",
			    n);
		else
			snprintf(
			    w->did, sizeof(w->did), "changed %s (%s)", n, kind[0] ? kind : "?");
		snprintf(w->impact, sizeof(w->impact), "%s",
		    strcmp(cls, "breaking") == 0     ? "breaking for agents that call it"
		        : strcmp(cls, "review") == 0 ? "review it"
		                                     : "compatible: nothing breaks for agents");
		if (KIND_IS(kind, "description_changed"))
			snprintf(w->impact, sizeof(w->impact), "review it (what the model reads)");
	}
}

/*
 * " (and 3 more changes, 1 breaking)": the changes beyond the first (the
 * first item, the worst), and the breaking ones among them.
 */
static void
more_words(char *buf, size_t len, const cJSON *change)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(change, "counts");
	const cJSON *first =
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(change, "items"), 0);
	const char *cls = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "class"));
	double b = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "breaking"));
	double r = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "review"));
	double k = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "compatible"));
	double all = 0, brk = b == b && b > 0 && b < 1e9 ? b : 0;

	buf[0] = '\0';
	all = brk + (r == r && r > 0 && r < 1e9 ? r : 0) + (k == k && k > 0 && k < 1e9 ? k : 0);
	if (all < 2)
		return;
	if (brk > 0 && cls != NULL && strcmp(cls, "breaking") == 0)
		brk--;
	snprintf(
	    buf, len, " (and %.0f more change%s, %.0f breaking)", all - 1, all > 2 ? "s" : "", brk);
}

/*
 * The first item of change (the worst: the summary sorts them), in words.
 * div: said of regions that still serve the old list ("R still serves X;
 * the other regions renamed it Y"); else of those that changed ("renamed
 * X to Y").  0, or -1 when change has no item to say.
 */
static int
change_words(struct words *w, const cJSON *change, int div, char *more, size_t mlen)
{
	const cJSON *it = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(change, "items"), 0);

	if (!cJSON_IsObject(it))
		return -1;
	item_words(w, it, div);
	more_words(more, mlen, change);
	return 0;
}

/* Why the change of entry e is not known: "not known: not_kept". */
static void
unknown_words(char *buf, size_t len, const cJSON *e)
{
	char why[ALERT_TOOL_NAME + 8];

	field(why, sizeof(why), e, "change_unknown");
	snprintf(buf, len, "what changed is not known%s%s", why[0] ? ": " : "", why);
}

/*
 * Regions serving another list than the majority's, said the way they
 * stand (the verdict's "direction"): behind, they still serve what the
 * others changed ("R still serves X; the other regions renamed it Y");
 * ahead, they changed and the others have not; not known, they serve what
 * the others do not ("own_change": from the majority's list to theirs).
 * A verdict that says no direction (an older aggregate) is read as behind.
 */
void
tool_div_words(char *buf, size_t len, const char *regions, const cJSON *e)
{
	const cJSON *change = cJSON_GetObjectItemCaseSensitive(e, "change");
	const cJSON *dir = cJSON_GetObjectItemCaseSensitive(e, "direction");
	int plural = strstr(regions, " and ") != NULL;
	char more[96], unk[128];
	struct words w;

	if (dir != NULL && !(cJSON_IsString(dir) && strcmp(dir->valuestring, "behind") == 0)) {
		int ahead = cJSON_IsString(dir) && strcmp(dir->valuestring, "ahead") == 0;

		if (change_words(&w, cJSON_GetObjectItemCaseSensitive(e, "own_change"), 0, more,
		        sizeof(more)) == -1) {
			snprintf(buf, len, "%s serve%s another tool list than the other regions%s",
			    regions, plural ? "" : "s",
			    ahead ? " (a change of theirs the others have not taken)" : "");
			return;
		}
		snprintf(buf, len, "%s %s: %s: %s%s", regions,
		    ahead ? (plural ? "changed their tool list, and the other regions have not"
		                    : "changed its tool list, and the other regions have not")
		          : (plural ? "serve a tool list the other regions do not"
		                    : "serves a tool list the other regions do not"),
		    w.did, w.impact, more);
		words_end(buf);
		return;
	}
	if (change_words(&w, change, 1, more, sizeof(more)) == -1) {
		unknown_words(unk, sizeof(unk), e);
		snprintf(buf, len, "%s serve%s another tool list than the other regions (%s)",
		    regions, plural ? "" : "s", unk);
		return;
	}
	snprintf(buf, len, "%s still serve%s %s; the other regions %s: %s%s", regions,
	    plural ? "" : "s", w.stale, w.did, w.impact, more);
	words_end(buf);
}

void
tool_drift_words(char *buf, size_t len, const char *regions, const cJSON *e)
{
	const cJSON *change = cJSON_GetObjectItemCaseSensitive(e, "change");
	const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind"));
	/* A list of resources or prompts alerts as the tools' do (issue 54). */
	const char *what = k != NULL && strcmp(k, "resources") == 0 ? "resource"
	    : k != NULL && strcmp(k, "prompts") == 0                ? "prompt"
	                                                            : "tool";
	char more[96], unk[128];
	struct words w;

	if (change_words(&w, change, 0, more, sizeof(more)) == -1) {
		unknown_words(unk, sizeof(unk), e);
		snprintf(buf, len, "the %s list changed in %s (%s)", what, regions, unk);
		return;
	}
	snprintf(
	    buf, len, "the %s list changed in %s: %s: %s%s", what, regions, w.did, w.impact, more);
	words_end(buf);
}

const char *
tool_class(const cJSON *change)
{
	const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(change, "class"));

	if (c != NULL &&
	    (strcmp(c, "breaking") == 0 || strcmp(c, "review") == 0 ||
	        strcmp(c, "compatible") == 0))
		return c;
	return NULL;
}
