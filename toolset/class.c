/*
 * class.c - the classes: each change kept, and classed breaking, review
 * or compatible as agents feel it: a schema's change by what it accepts
 * or gives, an annotation and a tool's execution read at their defaults
 * in the MCP specification, a prompt's arguments.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffint.h"

/* ---- keeping changes -------------------------------------------------------- */

static int
grow(struct mcp_diff *d)
{
	size_t cap = d->cap ? d->cap * 2 : 16;
	struct mcp_change *v;

	if (cap > MCP_CH_MAX)
		cap = MCP_CH_MAX;
	if ((v = realloc(d->v, cap * sizeof(*v))) == NULL)
		return -1;
	d->v = v;
	d->cap = cap;
	return 0;
}

/* Keep one change (or count it, past MCP_CH_MAX); its texts are cut here. */
void
td_emit(struct ctx *c, enum mcp_change_class cls, const char *kind, const char *to,
    const char *path, const char *before, const char *after, int inferred, int security)
{
	struct mcp_diff *d = c->d;
	struct mcp_change *ch;

	d->count[cls]++;
	d->security += security != 0;
	if (d->n == MCP_CH_MAX) {
		d->more++;
		return;
	}
	if (d->n == d->cap && grow(d) == -1) {
		c->oom = 1;
		d->more++;
		return;
	}
	ch = &d->v[d->n++];
	memset(ch, 0, sizeof(*ch));
	ch->cls = cls;
	ch->kind = kind;
	td_cut(ch->item, sizeof(ch->item), c->item);
	td_cut(ch->to, sizeof(ch->to), to ? to : "");
	td_cut(ch->path, sizeof(ch->path), path ? path : "");
	td_cut(ch->before, sizeof(ch->before), before ? before : "");
	td_cut(ch->after, sizeof(ch->after), after ? after : "");
	ch->inferred = inferred;
	ch->security = security;
}

/*
 * A schema's change classed.  An input schema says what the agent may
 * send: accepting less breaks it, accepting more does not.  An output
 * schema says what it gets back: a property gone or of another type breaks
 * whoever reads it, one more is harmless, and the rest is for review.
 */
static const struct {
	const char *kind;
	enum mcp_change_class in, out;
} ev_class[EV_N] = {
    [EV_ADDED_REQ] = {"property_added_required", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_ADDED_OPT] = {"property_added_optional", MCP_CH_COMPATIBLE, MCP_CH_COMPATIBLE},
    [EV_REMOVED] = {"property_removed", MCP_CH_BREAKING, MCP_CH_BREAKING},
    [EV_TYPE] = {"property_type_changed", MCP_CH_BREAKING, MCP_CH_BREAKING},
    [EV_TYPE_WIDER] = {"property_type_changed", MCP_CH_COMPATIBLE, MCP_CH_BREAKING},
    [EV_NARROWED] = {"property_narrowed", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_WIDENED] = {"property_widened", MCP_CH_COMPATIBLE, MCP_CH_REVIEW},
    [EV_ENUM_REMOVED] = {"enum_value_removed", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_ENUM_ADDED] = {"enum_value_added", MCP_CH_COMPATIBLE, MCP_CH_REVIEW},
    [EV_REQUIRED_ADDED] = {"required_added", MCP_CH_BREAKING, MCP_CH_COMPATIBLE},
    [EV_REQUIRED_REMOVED] = {"required_removed", MCP_CH_COMPATIBLE, MCP_CH_REVIEW},
    [EV_DESCRIPTION] = {"description_changed", MCP_CH_REVIEW, MCP_CH_REVIEW},
    [EV_TITLE] = {"title_changed", MCP_CH_COMPATIBLE, MCP_CH_COMPATIBLE},
    [EV_OTHER] = {"schema_changed", MCP_CH_REVIEW, MCP_CH_REVIEW},
    [EV_MINOR] = {"schema_changed", MCP_CH_COMPATIBLE, MCP_CH_COMPATIBLE},
};

/*
 * A change of a schema: in an output schema, every one is
 * output_schema_changed, and one that holds no values says in them what
 * happened to the property ("present" to "absent").
 */
void
td_emit_ev(struct ctx *c, enum ev e, const char *path, const char *before, const char *after)
{
	static const char *said[EV_N][2] = {
	    [EV_ADDED_REQ] = {ABSENT, "required"},
	    [EV_ADDED_OPT] = {ABSENT, "optional"},
	    [EV_REMOVED] = {"present", ABSENT},
	    [EV_REQUIRED_ADDED] = {"optional", "required"},
	    [EV_REQUIRED_REMOVED] = {"required", "optional"},
	};
	int sec = e == EV_DESCRIPTION;

	if (c->mode == IN) {
		td_emit(c, ev_class[e].in, ev_class[e].kind, NULL, path, before, after, 0, sec);
		return;
	}
	if (before == NULL && after == NULL) {
		before = said[e][0];
		after = said[e][1];
	}
	td_emit(c, ev_class[e].out, "output_schema_changed", NULL, path, before, after, 0, sec);
}

/* ---- annotations ------------------------------------------------------------------ */

/*
 * The hints and their defaults in the MCP specification (2025-06-18 and
 * later): absent is the default, so readOnlyHint absent is false and
 * destructiveHint absent is true.  Two values are compared as the client
 * reads them: absent and its default are no change, and a hint turned
 * unsafe (read-only no more, destructive now, reaching an open world) is
 * a security change.  Thus destructiveHint absent to true is no change
 * (it was already taken as destructive), and true to absent none either.
 */
static const struct {
	const char *name;
	int dflt;
	int unsafe; /* the value that is unsafe */
} hints[] = {
    {"destructiveHint", 1, 1},
    {"idempotentHint", 0, 0},
    {"openWorldHint", 1, 1},
    {"readOnlyHint", 0, 0},
};

static void
diff_hint(struct ctx *c, const char *name, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	size_t i;
	int ea, eb, sec = 0, known = -1;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(name, hints[i].name) == 0)
			known = (int)i;
	if (known >= 0 && (a == NULL || cJSON_IsBool(a)) && (b == NULL || cJSON_IsBool(b))) {
		ea = a == NULL ? hints[known].dflt : cJSON_IsTrue(a);
		eb = b == NULL ? hints[known].dflt : cJSON_IsTrue(b);
		if (ea == eb)
			return;
		/* idempotentHint turned false is less safe to retry, not a danger: no flag. */
		sec = strcmp(name, "idempotentHint") != 0 && eb == hints[known].unsafe;
	} else if (td_same(c, a, b)) {
		return;
	}
	td_values(c, before, after, a, b);
	if (strcmp(name, "title") == 0)
		td_emit(c, MCP_CH_COMPATIBLE, "title_changed", NULL, "annotations.title", before,
		    after, 0, 0);
	else
		td_emit(c, MCP_CH_REVIEW, "annotation_changed", NULL, name, before, after, 0, sec);
}

/* One hint of two annotations walked together. */
static void
hint_member(const struct walk *w, const char *name, const cJSON *a, const cJSON *b)
{
	diff_hint(w->c, name, a, b);
}

void
td_annotations(struct ctx *c, const cJSON *a, const cJSON *b)
{
	td_walk_members(c, a, b, "", 0, hint_member);
}

/* ---- execution ------------------------------------------------------------------ */

/*
 * What execution.taskSupport lets a client do, as bits (1 call it plainly,
 * 2 as a task): absent is "forbidden" (the MCP specification, 2025-11-25);
 * 0 for a value it does not name.
 */
static int
task_ways(const cJSON *v)
{
	const char *s = cJSON_GetStringValue(v);

	if (v == NULL)
		return 1;
	if (s == NULL)
		return 0;
	return strcmp(s, "forbidden") == 0 ? 1
	    : strcmp(s, "optional") == 0   ? 3
	    : strcmp(s, "required") == 0   ? 2
	                                   : 0;
}

/*
 * One member of two tools' execution: taskSupport read at its default (a
 * change that lets clients call it in fewer ways breaks those that did,
 * one in more is compatible); any other, review.
 */
static void
exec_member(const struct walk *w, const char *name, const cJSON *a, const cJSON *b)
{
	char path[MCP_CH_PATH_MAX + 1], before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	enum mcp_change_class cls = MCP_CH_REVIEW;
	int wa, wb;

	if (strcmp(name, "taskSupport") == 0 && (wa = task_ways(a)) != 0 &&
	    (wb = task_ways(b)) != 0) {
		if (wa == wb)
			return;
		cls = (wa & wb) == wa ? MCP_CH_COMPATIBLE : MCP_CH_BREAKING;
	} else if (td_same(w->c, a, b)) {
		return;
	}
	td_subpath(path, sizeof(path), "execution", name);
	td_values(w->c, before, after, a, b);
	td_emit(w->c, cls, "field_changed", NULL, path, before, after, 0, 0);
}

/* A tool's execution (absent is {}): each member compared at its default. */
void
td_execution(struct ctx *c, const cJSON *a, const cJSON *b)
{
	if ((a == NULL || cJSON_IsObject(a)) && (b == NULL || cJSON_IsObject(b))) {
		td_walk_members(c, a, b, "", 0, exec_member);
		return;
	}
	if (!td_same(c, a, b))
		td_emit(c, MCP_CH_REVIEW, "field_changed", NULL, "execution", NULL, NULL, 0, 0);
}

/* ---- prompts' arguments ------------------------------------------------------------ */

static void
diff_argument(struct ctx *c, const char *name, const cJSON *a, const cJSON *b)
{
	char before[MCP_CH_VALUE_MAX + 1], after[MCP_CH_VALUE_MAX + 1];
	int ra = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "required"));
	int rb = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "required"));
	const cJSON *da = cJSON_GetObjectItemCaseSensitive(a, "description");
	const cJSON *db = cJSON_GetObjectItemCaseSensitive(b, "description");

	/*
	 * Three members looked up: linear in the argument's size, each
	 * argument once.
	 */
	if (!ra && rb)
		td_emit(c, MCP_CH_BREAKING, "prompt_argument_required_added", NULL, name, NULL,
		    NULL, 0, 0);
	else if (ra && !rb)
		td_emit(c, MCP_CH_COMPATIBLE, "required_removed", NULL, name, NULL, NULL, 0, 0);
	if (!td_same(c, da, db)) {
		td_vtext(c, before, sizeof(before), da);
		td_vtext(c, after, sizeof(after), db);
		td_emit(c, MCP_CH_REVIEW, "description_changed", NULL, name, before, after, 0, 1);
	}
	da = cJSON_GetObjectItemCaseSensitive(a, "title");
	db = cJSON_GetObjectItemCaseSensitive(b, "title");
	if (!td_same(c, da, db)) {
		td_vtext(c, before, sizeof(before), da);
		td_vtext(c, after, sizeof(after), db);
		td_emit(c, MCP_CH_COMPATIBLE, "title_changed", NULL, name, before, after, 0, 0);
	}
}

void
td_arguments(struct ctx *c, const cJSON *a, const cJSON *b)
{
	struct ents sa, sb;
	size_t i = 0, j = 0;
	int r;

	if (td_ents_of(c, a, "name", &sa) == -1)
		return;
	if (td_ents_of(c, b, "name", &sb) == -1) {
		free(sa.e);
		return;
	}
	while (i < sa.n || j < sb.n) {
		r = i == sa.n ? 1 : j == sb.n ? -1 : strcmp(sa.e[i].key, sb.e[j].key);
		if (r < 0) {
			td_emit(c, MCP_CH_BREAKING, "prompt_argument_removed", NULL, sa.e[i].key,
			    NULL, NULL, 0, 0);
			i++;
		} else if (r > 0) {
			if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sb.e[j].v, "required")))
				td_emit(c, MCP_CH_BREAKING, "prompt_argument_added_required", NULL,
				    sb.e[j].key, NULL, NULL, 0, 0);
			else
				td_emit(c, MCP_CH_COMPATIBLE, "prompt_argument_added_optional",
				    NULL, sb.e[j].key, NULL, NULL, 0, 0);
			j++;
		} else {
			diff_argument(c, sa.e[i].key, sa.e[i].v, sb.e[j].v);
			i++, j++;
		}
	}
	free(sa.e);
	free(sb.e);
}

enum mcp_change_class
mcp_diff_worst(const struct mcp_diff *d)
{
	int k;

	for (k = 0; k < MCP_CH_NCLASS; k++)
		if (d->count[k] > 0)
			return (enum mcp_change_class)k;
	return MCP_CH_NCLASS;
}

const char *
mcp_change_class_name(enum mcp_change_class c)
{
	static const char *names[] = {"breaking", "review", "compatible"};

	return c < MCP_CH_NCLASS ? names[c] : "none";
}
