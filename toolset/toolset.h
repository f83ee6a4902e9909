/*
 * toolset.h - the room of the tools a server serves. What changed between two lists a server served: its tools
 * (tools/list), its resources (resources/list) or its prompts
 * (prompts/list), each change classed as agents feel it.
 *
 * A list is the array the probe hashed (the canonical content push keeps,
 * mcp-store(7)); two lists are compared item by item by key (a tool's and a
 * prompt's "name", a resource's "uri").  Every text a change holds comes
 * from a server and is hostile: it is cut to a bound (whole UTF-8
 * characters) and never trusted to be printable; whoever prints it escapes
 * it (JSON, HTML, a mail's text).
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_TOOLSET_H
#define MCP_TOOLSET_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "buf.h"

/* The three kinds of list. */
enum mcp_list_kind { MCP_LIST_TOOLS, MCP_LIST_RESOURCES, MCP_LIST_PROMPTS };

/* How a change is felt, worst first: the order is the severity. */
enum mcp_change_class { MCP_CH_BREAKING, MCP_CH_REVIEW, MCP_CH_COMPATIBLE, MCP_CH_NCLASS };

/* Bounds of what a change keeps of a server's text. */
#define MCP_CH_NAME_MAX 64  /* a tool's name, or a resource's URI, cut */
#define MCP_CH_PATH_MAX 128 /* a property's path in the schema: "filter.tags[]" */
#define MCP_CH_VALUE_MAX 96 /* a before or after value: a type, an enum value, a hint */
#define MCP_CH_MAX 10000    /* changes kept in one diff; more are counted in "more" */

/*
 * One change.  kind is a stable word (mcp-aggregate(1) lists them):
 *   tool_added tool_removed tool_renamed (inferred: same input schema)
 *   property_added_required property_added_optional property_removed
 *   property_type_changed property_narrowed enum_value_removed
 *   enum_value_added required_added required_removed
 *   output_schema_added output_schema_removed output_schema_changed
 *   description_changed title_changed annotation_changed
 *   resource_added resource_removed resource_changed
 *   prompt_added prompt_removed prompt_renamed prompt_argument_added_required
 *   prompt_argument_added_optional prompt_argument_removed
 *   prompt_argument_required_added
 * and, for what the words above do not cover: property_widened (an input
 * accepting more: a bound loosened, a pattern dropped; compatible),
 * schema_changed (a keyword not read, anyOf, $ref, format..., or a schema
 * past 32 levels; review, compatible for default and examples), and
 * field_changed (another member of a tool or prompt, icons, _meta; review).
 * security: 1 for an annotation turned unsafe, absent read as the MCP
 * default (readOnlyHint true to false or absent, destructiveHint false to
 * true or absent, openWorldHint false to true or absent), and for a
 * description changed (what the model reads and obeys: the "rug pull").
 */
struct mcp_change {
	enum mcp_change_class cls;
	const char *kind;               /* static */
	char item[MCP_CH_NAME_MAX + 1]; /* the tool, prompt or resource */
	char to[MCP_CH_NAME_MAX + 1];   /* the new name of a rename, else "" */
	char path[MCP_CH_PATH_MAX + 1]; /* the property or annotation, else "" */
	char before[MCP_CH_VALUE_MAX + 1];
	char after[MCP_CH_VALUE_MAX + 1];
	int inferred; /* a rename, told from an identical schema, not said by the server */
	int security;
};

struct mcp_diff {
	enum mcp_list_kind kind;
	struct mcp_change *v;
	size_t n, cap;
	size_t more;                 /* changes past MCP_CH_MAX, counted only */
	size_t count[MCP_CH_NCLASS]; /* of all changes, more included */
	size_t security;             /* changes with security set */
};

/*
 * Compare the list from with the list to (arrays as hashed; NULL or not an
 * array is an empty list).  0, or -1 with a reason (out of memory).
 * Items without their key (a tool without a string name) are skipped; of
 * two items of one key the first counts.  d is filled from scratch (free
 * a diff before using it again); free it with mcp_diff_free either way.
 */
int mcp_diff_lists(enum mcp_list_kind kind, const cJSON *from, const cJSON *to, struct mcp_diff *d,
    char *err, size_t errlen);
void mcp_diff_free(struct mcp_diff *d);

/* The worst class of d, or MCP_CH_NCLASS when nothing changed. */
enum mcp_change_class mcp_diff_worst(const struct mcp_diff *d);
const char *mcp_change_class_name(enum mcp_change_class c); /* "breaking", "review", "compatible" */

/*
 * The summary a verdict, an alert and a page carry, at most max_items
 * changes (worst first), max_bytes of JSON in all:
 *   {"class":"breaking","breaking":true,"counts":{"breaking":1,"review":0,
 *    "compatible":0},"security":0,"items":[{"class":"breaking",
 *    "kind":"tool_renamed","tool":"get_data","to":"fetch_data",
 *    "inferred":true}],"more":0,"text":"get_data renamed fetch_data
 *    (inferred: same input schema)"}
 * ("tool" is "prompt" or "resource" for those lists).  "text" is one line
 * in words, cut at 240 bytes.  With no change, "class" is "none" and
 * "text" "no change found".  Items are dropped until the JSON fits
 * max_bytes (counted in "more"); below about 200 bytes it may not.
 * NULL on out of memory.
 */
cJSON *mcp_diff_summary(const struct mcp_diff *d, size_t max_items, size_t max_bytes);

/*
 * Every change as JSON (for mcp-aggregate tools --diff --json): an array
 * of {"class","kind","tool"|"prompt"|"resource","to"?,"path"?,"before"?,
 * "after"?,"inferred"?:true,"security"?:true}, the texts valid UTF-8.
 */
cJSON *mcp_diff_json(const struct mcp_diff *d);

/* Every change as text, one line each, for a person: 0 or -1. */
int mcp_diff_text(const struct mcp_diff *d, struct mcp_buf *out);

/*
 * The rules read in a list's text (scan.c, scanrules.c, mcp-rules(7)):
 * every string of an item (its name, title, description, each string of
 * its schemas: descriptions, enum values, defaults, examples; a resource's
 * and a prompt's text) and every member name, and the server's
 * instructions, read for hidden characters and for instructions aimed at
 * the model.  A finding names its rule (a stable id, "MCPU-P001"), its
 * severity, the item, the JSON pointer of the string within the item, and
 * an excerpt in which every hidden character is written \u{XXXX}.  The
 * work is linear in the text; at most MCP_SCAN_MAX findings are kept, the
 * others counted.
 */
enum mcp_sev { MCP_SEV_HIGH, MCP_SEV_MEDIUM, MCP_SEV_LOW, MCP_SEV_N };

#define MCP_SCAN_MAX 64          /* findings kept; more are counted in "more" */
#define MCP_SCAN_PTR_MAX 160     /* a JSON pointer, cut */
#define MCP_SCAN_EXCERPT_MAX 200 /* an excerpt, escaped, cut */
#define MCP_SCAN_HIDDEN_MAX 120  /* the ASCII that tag characters spell, cut */
#define MCP_SCAN_OWN_MAX 128     /* the names a finding's shape rests on (shape.c) */

struct mcp_finding {
	const char *rule; /* static: "MCPU-P001" */
	enum mcp_sev sev;
	const char *list;               /* static: "tool", "resource", "prompt", "server" */
	char item[MCP_CH_NAME_MAX + 1]; /* the tool, resource or prompt, cut */
	char pointer[MCP_SCAN_PTR_MAX + 1];
	char excerpt[MCP_SCAN_EXCERPT_MAX + 1];
	char hidden[MCP_SCAN_HIDDEN_MAX + 1]; /* MCPU-P001 only, else "" */
	/* Until mcp_scan_finish: the honest shape the words may have (shape.c), and its names. */
	int shape;
	int again; /* a later match of its rule in its string (scanrules.c), kept only if not lowered */
	char own[MCP_SCAN_OWN_MAX + 1];
};

/* The length of one item's description, for the rule of text far longer than its peers'. */
struct mcp_scan_len {
	size_t len;
	const char *list;
	char item[MCP_CH_NAME_MAX + 1];
};

/* An item's name (name ""), or the name of one of its parameters. */
struct mcp_scan_name {
	const char *list;
	char item[MCP_CH_NAME_MAX + 1];
	char name[MCP_CH_NAME_MAX + 1];
};

struct mcp_scan {
	struct mcp_finding *v;
	size_t n, cap;
	size_t more;              /* findings past MCP_SCAN_MAX, counted only */
	size_t count[MCP_SEV_N];  /* of all findings, more included */
	unsigned long rules;      /* bit i: rule i of the table found */
	struct mcp_scan_len *len; /* the descriptions' lengths, until mcp_scan_finish */
	size_t nlen, caplen;
	size_t bytes; /* text read */
	/* The names of the items and of their parameters, until mcp_scan_finish (shape.c). */
	struct mcp_scan_name *names;
	size_t nnames, capnames;
	/*
	 * The tools items' texts name, until mcp_scan_finish (shape.c): the
	 * name's hash, high 32 bits, and the naming item's, low.
	 */
	uint64_t *mention;
	size_t nmention, capmention;
};

/*
 * Read one item of a list of kind k (as served: any JSON), or the text of
 * the server's instructions (item "instructions", pointer "").  0, or -1
 * out of memory (s stays valid).  mcp_scan_finish applies the rules that
 * compare items (text far longer than its peers'), once, after the last.
 */
int mcp_scan_item(struct mcp_scan *s, enum mcp_list_kind k, const cJSON *item);

/*
 * Every string of item with its JSON pointer from item (RFC 6901), to 32
 * levels: each member's and element's string value, and the names of the
 * members of "properties" (names the server chose).  fn(arg, pointer,
 * text, name), name 1 for those and for "name" members.  0, or -1 when fn
 * returns -1 or memory runs out.  mcp_scan_item reads an item by it.
 */
int mcp_strings_walk(
    const cJSON *item, int (*fn)(void *, const char *, const char *, int), void *arg);
int mcp_scan_instructions(struct mcp_scan *s, const char *text);
/*
 * mcp_scan_cache(1): an item (or instructions) read once in the process
 * is not read again, what it gave given again, found by its whole text
 * (scancache.c); (0), the default: every item read afresh.
 */
void mcp_scan_cache(int on);
int mcp_scan_finish(struct mcp_scan *s);
/* Every item of list (an array of kind k) read, then finished: 0, or -1 out of memory. */
int mcp_scan_list(struct mcp_scan *s, enum mcp_list_kind k, const cJSON *list);
void mcp_scan_free(struct mcp_scan *s);

/* "high", "medium", "low"; the worst of s, or MCP_SEV_N with no finding. */
const char *mcp_sev_name(enum mcp_sev v);
enum mcp_sev mcp_scan_worst(const struct mcp_scan *s);

/*
 * The posture a result and a verdict carry, bounded (about 1.5 KiB):
 *   {"count":2,"worst":"high","rules":["MCPU-P001","MCPU-P103"],
 *    "first":[{"rule":"MCPU-P001","severity":"high","tool":"add",
 *    "pointer":"/description","excerpt":"Adds\u{E0049}...",
 *    "hidden":"Ignore..."}],"more":0}
 * ("first": at most max_first findings, worst first).  NULL on out of memory.
 */
cJSON *mcp_scan_summary(const struct mcp_scan *s, size_t max_first);
/*
 * The same of the findings kept on one list's items alone ("server": the
 * instructions, which the store does not keep: the result's
 * findings.server); NULL when there are none (or out of memory).
 */
cJSON *mcp_scan_summary_of(const struct mcp_scan *s, const char *list, size_t max_first);

/*
 * text[start..end) (len bytes) into out (size bytes) as a finding's excerpt
 * is written: every hidden character \u{XXXX}, cut at a whole escape (the
 * fleet's rules, mcp-aggregate fleet).
 */
void mcp_scan_excerpt(
    char *out, size_t size, const char *text, size_t len, size_t start, size_t end);

/*
 * The member names of JSON Schema and MCP's items that the rules do not
 * read as a member's name (a list holds them by the thousand): each is
 * known to give no finding (test_scan reads each as a property's name).
 * Sorted by strcmp.
 */
extern const char *const mcp_scan_known_names[];
extern const size_t mcp_scan_nknown;
int mcp_scan_known_name(const char *s);

/* Every finding kept, as JSON (mcp-aggregate tools, the bench). */
cJSON *mcp_scan_json(const struct mcp_scan *s);

/* The rules: id, severity and a line saying what each matches (mcp-rules(7)). */
struct mcp_rule_info {
	const char *id;
	enum mcp_sev sev;
	const char *what;
};
extern const struct mcp_rule_info mcp_scan_rules[];
extern const size_t mcp_scan_nrules;
/* The rule of id ("MCPU-P001") in the table, or NULL. */
const struct mcp_rule_info *mcp_scan_rule(const char *id);

/* ---- lock.c: the lockfile (mcp-aggregate(1) "tools --lock", "--check") ---- */

/*
 * A lock is JSON lines, each JCS: a head {"mcp_uptime_lock":1,...}, then
 * for each server and kind an entry {"slug","kind","hash","count",
 * "source":"approved"|"first_sight",...} and after it a line an item
 * {"slug","kind","name"|"uri","hash","def"}: hash the "sha256:" tag of
 * def's JCS, the entry's hash the list's as the probe hashes it.  An
 * entry with "region" holds for that region only.
 */
#define MCP_LOCK_VERSION 1
int mcp_lock_head(
    struct mcp_buf *out, const char *generated, const char *by, char *err, size_t len);
/* An entry and its items appended; meta's members (source, by, at...) copied in. */
int mcp_lock_put(struct mcp_buf *out, const char *slug, enum mcp_list_kind k, const cJSON *meta,
    const cJSON *list, char *err, size_t len);
/* s added to the array of strings a in strcmp's order (regions as a lock names them). */
void mcp_lock_add_sorted(cJSON *a, const char *s);

struct mcp_lock_ent {
	char slug[96], region[96]; /* region "": every region */
	enum mcp_list_kind kind;
	char hash[72];
	cJSON *list;   /* owned: the items' defs, as the file has them */
	cJSON *meta;   /* owned: the entry's line */
	size_t line;   /* the entry's line in the file */
	size_t *lines; /* owned: each item's line */
	size_t nitems;
};
struct mcp_lock {
	struct mcp_lock_ent *v;
	size_t n;
	size_t bad; /* after a failed read: the line of the error, 0 when of none */
};
/* Read a lock, every hash checked: 0, or -1 with why in err (and its line in lk->bad). */
int mcp_lock_parse(const char *text, size_t n, struct mcp_lock *lk, char *err, size_t len);
void mcp_lock_free(struct mcp_lock *lk);
/*
 * The error err of mcp_lock_parse (lk, read) as the tools say an
 * input's errors: "PATH:N: why" for a line's, else "PATH: why"; in out.
 */
void mcp_lock_error(
    char *out, size_t outlen, const char *path, const struct mcp_lock *lk, const char *err);

/*
 * Check what is served against lk.  served: slug -> {"regions":[{"region",
 * "kind","hash"}],"lists":{HASH:[...]}} (GET /api/status/SLUG/lists, or
 * the store read the same way).  The report (owned; NULL on out of memory):
 * {"state":"passes"|"differs"|"held"|"unknown","results":[{"slug","kind",
 * "locked","served","line","regions":[..],"state","class"?,"changes"?,
 * "more"?}]}, a result per entry and list served, state "matches",
 * "compatible", "differs" (a breaking or review change), "not_kept" (the
 * list served is not known: it blocks as unknown), "not_served" (no region
 * serves the entry's kind now), "not_known" (nothing known of the slug),
 * "held" (an entry no person approved whose text has a high or medium
 * finding of the rules: it blocks, with "findings" {"worst","rules"});
 * each change as mcp_diff_json has it, with "line" (its item's in the
 * lock, else the entry's) and "text" (its words).
 */
cJSON *mcp_lock_check(const struct mcp_lock *lk, const cJSON *served, char *err, size_t len);

/*
 * The posture of what a target serves against lk (mcp-probe --lock): its
 * lists' hashes (tools, resources, prompts; NULL or "" not known) against
 * the entries of slug for region.  "matches", "differs" (each kind that
 * differs added to differ, an array), "held" (every list matches, but an
 * entry matched is one no person approved whose text has a high or medium
 * finding: mcp_lock_check's "held") or "not_locked" (the lock holds no
 * entry of slug).  Static.
 */
const char *mcp_lock_posture(const struct mcp_lock *lk, const char *slug, const char *region,
    const char *const hash[3], cJSON *differ);

/* ---- sarif.c: a check's report as SARIF 2.1.0 ---- */

/*
 * The SARIF log (owned, NULL on out of memory) of report: a result for
 * each change and each list not known, rule "mcp-lock/KIND", level error
 * (breaking), warning (review) or note (compatible), located at its line
 * of the lock at uri.
 */
cJSON *mcp_sarif_lock(const cJSON *report, const char *uri, const char *version);

#endif
