/*
 * auditdata.c - mcp-aggregate audit --dataset DIR: the audit as open
 * data.  One row a server not deleted, in slug order, in DIR/servers.csv
 * (RFC 4180) and DIR/servers.jsonl, and DIR/README.md: the data
 * dictionary, the census buckets, the readiness reasons and the data's
 * licence (CC BY 4.0).  The columns are one table below, so that the
 * three files cannot disagree.  Each file is written whole to a
 * temporary file in DIR, mode 644, and renamed over its name once all
 * three are written: a reader finds each file whole, of this audit or of
 * the one before.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "audit.h"
#include "buf.h"
#include "json.h"
#include "mcp.h"
#include "ready.h"
#include "reg.h"

#define LICENCE_URL "https://creativecommons.org/licenses/by/4.0/"

enum kind { K_NULL, K_TEXT, K_NUM, K_LIST };

/* A cell's value: borrowed strings, valid while the audit is. */
struct cell {
	enum kind kind;
	const char *text;
	double num;
	const char *list[MCP_R_N + MCP_ERA_N];
	size_t n;
};

struct row {
	const struct audit *a;
	const struct audit_server *s;
	const char *as_of;
	char grade[2];
};

struct column {
	const char *name, *type, *meaning, *census;
	void (*get)(const struct row *, struct cell *);
};

static void
text(struct cell *c, const char *s)
{
	c->kind = K_TEXT, c->text = s;
}

static void
c_slug(const struct row *r, struct cell *c)
{
	text(c, r->s->slug);
}

static void
c_name(const struct row *r, struct cell *c)
{
	text(c, r->s->key != NULL ? r->s->key : "");
}

static void
c_bucket(const struct row *r, struct cell *c)
{
	text(c, audit_bucket_names[r->s->bucket]);
}

static void
c_census(const struct row *r, struct cell *c)
{
	text(c,
	    audit_census_names[audit_census(
	        r->s->bucket, r->s->best != NULL ? r->s->best->h.error : "")]);
}

static void
c_remotes(const struct row *r, struct cell *c)
{
	c->kind = K_NUM, c->num = (double)r->s->remotes;
}

/* Of the remote that decided its bucket: green and amber up, red down. */
static void
c_uptime(const struct row *r, struct cell *c)
{
	const long *l = r->s->best != NULL ? r->s->best->h.letters : NULL;

	if (l != NULL && l[0] + l[1] + l[2] > 0)
		c->kind = K_NUM, c->num = audit_percent(l[0] + l[1], l[0] + l[1] + l[2]);
}

static void
c_grade(const struct row *r, struct cell *c)
{
	if (r->s->ready != NULL)
		text(c, r->grade);
}

static void
c_eras(const struct row *r, struct cell *c)
{
	int k;

	if (r->s->ready == NULL)
		return;
	c->kind = K_LIST;
	for (k = 0; k < MCP_ERA_N; k++)
		if (r->s->ready->h.eras & (1U << k))
			c->list[c->n++] = mcp_ready_eras[k];
}

static void
c_reasons(const struct row *r, struct cell *c)
{
	int k;

	if (r->s->ready == NULL)
		return;
	c->kind = K_LIST;
	for (k = 0; k < MCP_R_N; k++)
		if (r->s->ready->h.have[k])
			c->list[c->n++] = mcp_ready_reasons[k].code;
}

static void
c_graded_at(const struct row *r, struct cell *c)
{
	if (r->s->ready != NULL && r->s->ready->h.graded_at[0] != '\0')
		text(c, r->s->ready->h.graded_at);
}

static void
c_as_of(const struct row *r, struct cell *c)
{
	text(c, r->as_of);
}

static const struct column columns[] = {
    {"slug", "string",
        "The server's slug: that of its first remote by its index in the registry's list; "
        "unique. Its page is /status/SLUG of the monitor.",
        "-", c_slug},
    {"name", "string",
        "The server's name in the registry, as published (anyone may publish one: see "
        "Spreadsheets).",
        "-", c_name},
    {"bucket", "string",
        "The audit's bucket (mcp-aggregate(1), audit): healthy, auth-walled, broken:STEP, "
        "broken:unknown, regionally-degraded, cdn-divergent, needs-configuration, local-only, "
        "refused or unprobed; a server takes the bucket of its best remote.",
        "mapped by census", c_bucket},
    {"census", "string", "The public censuses' bucket its bucket maps to (see Census buckets).",
        "healthy, auth-walled, http-not-mcp, malformed, dead, regionally-degraded; unknown and "
        "not-probed are none of theirs",
        c_census},
    {"remotes", "integer",
        "Its remotes (endpoints) in the registry, deleted ones left out; 0 for a server of "
        "packages only.",
        "the censuses count endpoints: sum this column to compare", c_remotes},
    {"uptime", "number or null",
        "The share of the period's decided minutes in which the remote that decided its bucket "
        "was up (green and amber up, red down; unknown minutes and maintenance not counted), "
        "in percent with two decimals; null when none was decided.",
        "-", c_uptime},
    {"grade", "string or null",
        "Its readiness for 2026's clients, A to F (see Readiness): that of its latest verdict "
        "in the period, of the remote that decided its bucket, else of its next remote graded; "
        "null when none was graded in the 3 hours before that verdict.",
        "-", c_grade},
    {"eras", "list of strings or null",
        "The protocol eras it speaks, of modern (2026-07-28, server/discover), legacy (the "
        "initialize handshake) and sse (HTTP+SSE); null when ungraded.",
        "- (no census reports eras)", c_eras},
    {"reasons", "list of strings or null",
        "The codes of the reasons that make its grade (see Readiness), in the table's order; "
        "empty for none, null when ungraded.",
        "-", c_reasons},
    {"graded_at", "string or null",
        "When its readiness was last checked (ISO 8601, UTC); null when ungraded.", "-",
        c_graded_at},
    {"as_of", "string",
        "The start of the last minute of the period: the time the row describes (ISO 8601, "
        "UTC); the same in every row.",
        "-", c_as_of},
};

#define NCOL (sizeof(columns) / sizeof(columns[0]))

static void
row_of(const struct audit *a, size_t i, const char *as_of, struct row *r)
{
	r->a = a, r->s = &a->srv[i], r->as_of = as_of;
	r->grade[0] = r->s->ready != NULL ? r->s->ready->h.grade : '\0';
	r->grade[1] = '\0';
}

/*
 * A CSV cell of text: quoted, each quote doubled, a byte that is not
 * UTF-8 as U+FFFD; one a spreadsheet would take for a formula (= + - @,
 * a tab or a CR first) begins with ', and so does one that begins with '
 * itself, so that dropping the first ' of a cell that has one gives the
 * text back.
 */
static int
csv_text(struct mcp_buf *b, const char *s)
{
	size_t i = 0, n, all = strlen(s);
	unsigned long cp;
	int rc = mcp_buf_addc(b, '"');

	if (s[0] != '\0' && strchr("=+-@\t\r'", s[0]) != NULL)
		rc |= mcp_buf_addc(b, '\'');
	while (i < all) {
		if ((n = mcp_utf8_decode(s + i, all - i, &cp)) == 0)
			rc |= mcp_buf_adds(b, "\xef\xbf\xbd"), n = 1;
		else if (s[i] == '"')
			rc |= mcp_buf_adds(b, "\"\"");
		else
			rc |= mcp_buf_add(b, s + i, n);
		i += n;
	}
	return rc | mcp_buf_addc(b, '"');
}

/* A list in one CSV cell, ';' between its items. */
static int
csv_list(struct mcp_buf *b, const struct cell *c)
{
	struct mcp_buf j = {0};
	size_t k;
	int rc = 0;

	for (k = 0; k < c->n; k++)
		rc |= mcp_buf_adds(&j, k ? ";" : "") | mcp_buf_adds(&j, c->list[k]);
	rc |= csv_text(b, j.p != NULL ? j.p : "");
	mcp_buf_free(&j);
	return rc;
}

/* A cell in CSV: text quoted, a number as JSON writes it, null empty and unquoted. */
static int
cell_csv(struct mcp_buf *b, const struct cell *c)
{
	if (c->kind == K_TEXT)
		return csv_text(b, c->text);
	if (c->kind == K_NUM)
		return mcp_json_addnum(b, c->num);
	return c->kind == K_LIST ? csv_list(b, c) : 0;
}

static int
cell_json(struct mcp_buf *b, const struct cell *c)
{
	size_t j;
	int rc;

	if (c->kind == K_TEXT)
		return mcp_json_string(b, c->text);
	if (c->kind == K_NUM)
		return mcp_json_addnum(b, c->num);
	if (c->kind == K_NULL)
		return mcp_buf_adds(b, "null");
	rc = mcp_buf_addc(b, '[');
	for (j = 0; j < c->n; j++)
		rc |= mcp_buf_adds(b, j ? "," : "") | mcp_json_string(b, c->list[j]);
	return rc | mcp_buf_addc(b, ']');
}

/*
 * The rows of the servers not deleted: CSV (a header of the column names,
 * CRLF after each record, RFC 4180) or JSON Lines (an object a line, the
 * members the columns); 0, or -1 when memory ran out.
 */
static int
rows(struct mcp_buf *b, const struct audit *a, const char *as_of, int csv)
{
	struct row r;
	struct cell c;
	size_t i, k;
	int rc = 0;

	for (k = 0; csv && k < NCOL; k++)
		rc |= mcp_buf_adds(b, k ? "," : "") | mcp_buf_adds(b, columns[k].name);
	rc |= mcp_buf_adds(b, csv ? "\r\n" : "");
	for (i = 0; i < a->nsrv; i++) {
		if (a->srv[i].bucket == B_DELETED)
			continue;
		row_of(a, i, as_of, &r);
		for (k = 0; k < NCOL; k++) {
			memset(&c, 0, sizeof(c));
			columns[k].get(&r, &c);
			if (csv)
				rc |= mcp_buf_adds(b, k ? "," : "") | cell_csv(b, &c);
			else
				rc |= mcp_buf_adds(b, k ? "," : "{") |
				    mcp_json_string(b, columns[k].name) | mcp_buf_addc(b, ':') |
				    cell_json(b, &c);
		}
		rc |= mcp_buf_adds(b, csv ? "\r\n" : "}\n");
	}
	return rc ? -1 : 0;
}

/* Text of ours for a Markdown table's cell: a '|' escaped. */
static int
md_cell(struct mcp_buf *b, const char *s)
{
	int rc = 0;

	for (; *s != '\0'; s++)
		rc |= *s == '|' ? mcp_buf_adds(b, "\\|") : mcp_buf_addc(b, *s);
	return rc;
}

/* A URL that Markdown shows as written: printable ASCII, nothing it reads as markup. */
static int
url_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] <= ' ' || s[i] > '~' || strchr("<>`|[]()\\\"'*_", s[i]) != NULL)
			return 0;
	return i > 0 && i < 512;
}

/* Where the data comes from: the registry the fields of mcp:registry:servers name. */
static int
md_source(struct mcp_buf *b, const struct audit *a)
{
	if (a->registry == NULL)
		return mcp_buf_adds(
		    b, "the list of servers of the MCP registry the monitor synced");
	if (a->registries == 1 && strcmp(a->registry, REG_BASE) == 0)
		return mcp_buf_adds(
		    b, "the official MCP Registry's list of servers (" REG_BASE ")");
	if (!url_ok(a->registry))
		return mcp_buf_adds(
		    b, "the lists of servers of the MCP registries the monitor synced");
	return mcp_buf_addf(b, "the list%s of servers of the MCP registr%s at %s%s",
	    a->registries > 1 ? "s" : "", a->registries > 1 ? "ies" : "y", a->registry,
	    a->registries > 1 ? " and others" : "");
}

static const char census_table[] =
    "| Census | The audit's buckets | What it counts |\n"
    "|---|---|---|\n"
    "| `healthy` | `healthy`, `cdn-divergent` | answers MCP and lists its tools (tool lists "
    "that differ between regions count healthy, as AliveMCP counts schema drift) |\n"
    "| `auth-walled` | `auth-walled`, `broken:auth` | answers 401 or 403 (a half-configured "
    "challenge too) |\n"
    "| `http-not-mcp` | `broken:http`, `broken:initialize` | HTTP answers, MCP does not |\n"
    "| `malformed` | `broken:tools_list`, `broken:call` | MCP answers; its tool list or a call "
    "fails |\n"
    "| `dead` | `broken:dns`, `broken:connect`, `broken:tls`; `broken:http` and "
    "`broken:initialize` whose latest error is `http_404` | no DNS, no connection, no TLS, or "
    "404 |\n"
    "| `regionally-degraded` | `regionally-degraded` | in 10 % of the minutes or more, one "
    "region failed while another passed (a census from one place cannot see it) |\n"
    "| `unknown` | `broken:unknown` | down, at a step not known: none of theirs |\n"
    "| `not-probed` | `needs-configuration`, `local-only`, `refused`, `unprobed` | not probed "
    "(no remote, one that needs the operator's configuration, one the monitor may not reach, "
    "or none yet): none of theirs |\n\n"
    "The censuses count the endpoints they probed; here a server counts once, in the bucket "
    "of its best remote (`remotes` says how many it has).\n";

static int
md_columns(struct mcp_buf *b)
{
	size_t k;
	int rc =
	    mcp_buf_adds(b, "| Column | Type | Meaning | Public census |\n|---|---|---|---|\n");

	for (k = 0; k < NCOL; k++)
		rc |= mcp_buf_addf(b, "| `%s` | %s | ", columns[k].name, columns[k].type) |
		    md_cell(b, columns[k].meaning) | mcp_buf_adds(b, " | ") |
		    md_cell(b, columns[k].census) | mcp_buf_adds(b, " |\n");
	return rc;
}

static int
md_reasons(struct mcp_buf *b)
{
	int k, rc = mcp_buf_adds(b, "| Code | Severity | What is wrong |\n|---|---|---|\n");

	for (k = 0; k < MCP_R_N; k++)
		rc |= mcp_buf_addf(b, "| `%s` | %s | ", mcp_ready_reasons[k].code,
		          mcp_ready_sev_name(mcp_ready_reasons[k].sev)) |
		    md_cell(b, mcp_ready_reasons[k].what) | mcp_buf_adds(b, " |\n");
	return rc;
}

/* The snapshot's counts: the census buckets, the grades. */
static int
md_counts(struct mcp_buf *b, const struct audit *a)
{
	struct audit_tally t;
	int k, rc;

	audit_tally(a, &t);
	rc =
	    mcp_buf_addf(b, "%ld servers, %ld of them graded.\n\n| Census | Servers |\n|---|---|\n",
	        t.servers, t.graded);
	for (k = 0; k < C_N; k++)
		rc |= mcp_buf_addf(b, "| `%s` | %ld |\n", audit_census_names[k], t.census[k]);
	rc |= mcp_buf_adds(b, "\n| Grade | Servers |\n|---|---|\n");
	for (k = 1; k <= AUDIT_GRADES; k++)
		rc |= mcp_buf_addf(b, "| %s | %ld |\n", audit_grade_names[k % AUDIT_GRADES],
		    t.grades[k % AUDIT_GRADES]);
	return rc;
}

static int
readme(struct mcp_buf *b, const struct audit *a, const char *as_of)
{
	char from[32], to[32];
	int rc;

	mcp_iso8601((double)a->from, from, sizeof(from));
	mcp_iso8601((double)(a->to + 60), to, sizeof(to));
	rc = mcp_buf_addf(b,
	    "# The MCP registry's servers, audited by mcp-uptime\n\n"
	    "As of %s: each server of the registry (deleted ones left out), one row in "
	    "`servers.csv` and one in `servers.jsonl`: the bucket `mcp-aggregate audit` put it "
	    "in over the period from %s to %s, the bucket of the public censuses that maps to, "
	    "its uptime over the period, and its readiness for 2026's MCP clients.\n\n"
	    "## Licence\n\n"
	    "The data (`servers.csv`, `servers.jsonl` and this file) is licensed under the "
	    "Creative Commons Attribution 4.0 International licence (CC BY 4.0, " LICENCE_URL
	    "). Attribute it as:\n\n> mcp-uptime, %s\n\nIt is derived from ",
	    as_of, from, to, as_of);
	rc |= md_source(b, a);
	rc |= mcp_buf_adds(b,
	    " and from the probes of this monitor (mcp-uptime's `mcp-probe`, from each of its "
	    "regions, every minute).\n\n"
	    "## Files\n\n"
	    "- `servers.csv`: RFC 4180: UTF-8, a header row of the column names, a comma "
	    "between cells, CRLF after each record. Every text cell is quoted, a quote in it "
	    "doubled; a number is not. A null is an empty cell without quotes; an empty text or "
	    "list is `\"\"`. A list is one cell, its items joined by `;`.\n"
	    "- `servers.jsonl`: JSON Lines: one JSON object a server, UTF-8, LF after each, its "
	    "members the columns in their order; a list is an array, a null is `null`.\n"
	    "- The rows are in slug order. A byte of a name that is not UTF-8 is written as "
	    "U+FFFD in both.\n\n## Columns\n\n");
	rc |= md_columns(b) | mcp_buf_adds(b, "\n## Census buckets\n\n") |
	    mcp_buf_adds(b,
	        "The public censuses of the registry (AliveMCP, MCP Vitals, the registry's own "
	        "census) count servers in buckets such as these; `census` maps the audit's "
	        "bucket to theirs:\n\n") |
	    mcp_buf_adds(b, census_table);
	rc |= mcp_buf_adds(b,
	    "\n## Readiness\n\n"
	    "A server's grade for 2026's clients is made of the reasons a majority of the "
	    "monitor's regions found in the 3 hours before its latest verdict (`mcp-probe "
	    "--readiness`): F with a critical reason, D with two major ones or more, C with one, "
	    "B with minor ones only, A with none. The reasons, in their order:\n\n");
	rc |= md_reasons(b);
	rc |= mcp_buf_adds(b,
	    "\n## Spreadsheets\n\n"
	    "A registry name is anyone's to publish. In `servers.csv`, a cell that begins with "
	    "`=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet would run as a "
	    "formula, is written with a `'` before it, and so is a cell that begins with `'`: "
	    "drop the first `'` of a cell that begins with one to get the text back. "
	    "`servers.jsonl` holds the text as it is.\n\n## This snapshot\n\n");
	return rc | md_counts(b, a);
}

/* A file of the dataset: its temporary name, while it is one, and its name. */
struct out {
	char tmp[PATH_MAX], path[PATH_MAX];
	int made;
};

/* b to a temporary file of dir, mode 644, synced: 0, or -1 with the reason in err. */
static int
put(const char *dir, const char *name, const struct mcp_buf *b, struct out *o, char *err,
    size_t len)
{
	int fd, e;

	if ((size_t)snprintf(o->path, sizeof(o->path), "%s/%s", dir, name) >= sizeof(o->path) ||
	    (size_t)snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dir, name) >=
	        sizeof(o->tmp)) {
		snprintf(err, len, "%s: %s", dir, strerror(ENAMETOOLONG));
		return -1;
	}
	if ((fd = mkstemp(o->tmp)) == -1) {
		snprintf(err, len, "%s: %s", o->tmp, strerror(errno));
		return -1;
	}
	o->made = 1;
	if (fchmod(fd, 0644) == -1 || mcp_write_all(fd, b->p != NULL ? b->p : "", b->len) == -1 ||
	    fsync(fd) == -1) {
		e = errno;
		close(fd);
		snprintf(err, len, "%s: %s", o->tmp, strerror(e));
		return -1;
	}
	if (close(fd) == -1) {
		snprintf(err, len, "%s: %s", o->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

int
audit_dataset(const struct audit *a, const char *dir, char *err, size_t len)
{
	static const char *const names[] = {"servers.csv", "servers.jsonl", "README.md"};
	struct mcp_buf b[3] = {{0}, {0}, {0}};
	struct out o[3];
	char as_of[32];
	int i, rc = 0;

	memset(o, 0, sizeof(o));
	mcp_iso8601((double)a->to, as_of, sizeof(as_of));
	if (rows(&b[0], a, as_of, 1) == -1 || rows(&b[1], a, as_of, 0) == -1 ||
	    readme(&b[2], a, as_of) != 0) {
		snprintf(err, len, "%s: out of memory", dir);
		rc = -1;
	}
	for (i = 0; i < 3 && rc == 0; i++)
		rc = put(dir, names[i], &b[i], &o[i], err, len);
	for (i = 0; i < 3 && rc == 0; i++)
		if (rename(o[i].tmp, o[i].path) == -1) {
			snprintf(err, len, "%s: %s", o[i].path, strerror(errno));
			rc = -1;
		} else {
			o[i].made = 0;
		}
	for (i = 0; i < 3; i++) {
		if (o[i].made)
			unlink(o[i].tmp);
		mcp_buf_free(&b[i]);
	}
	return rc;
}
