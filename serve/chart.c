/*
 * chart.c - the pictures of the status page, drawn on the server as SVG
 * with no script: the 30 daily uptime bars, and the latency chart (the
 * 95th percentile of each hour of the last 24, all regions together and
 * each region).  Each picture has its facts beside it as text.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "hist.h"
#include "reslua.h"
#include "serve.h"

/* The plot area of the latency chart, in viewBox units. */
#define CW 720
#define CH 220
#define X0 56
#define X1 (CW - 12)
#define Y0 12
#define Y1 (CH - 30)
#define LINES_MAX 8 /* region lines drawn; the table lists every region */

/*
 * The days first to first + n - 1 as the bars draw them: the up, counted
 * and maintenance windows of each (0, 0, 0: no data), from the record of
 * the tally (400 days), else from the counters of up (30 days) for a day
 * the tally has none of (a store written before it).
 */
void
serve_days(const redisReply *up, const redisReply *tally, long first, int n, double *u, double *c,
    double *m)
{
	long day, k[MCP_H_NKIND];
	char kind, *end;
	double v, *to;
	size_t i;
	int d;

	for (d = 0; d < n; d++)
		u[d] = c[d] = m[d] = 0;
	for (i = 0; up->type == REDIS_REPLY_ARRAY && i + 1 < up->elements; i += 2) {
		if (up->element[i]->type != REDIS_REPLY_STRING ||
		    up->element[i + 1]->type != REDIS_REPLY_STRING ||
		    sscanf(up->element[i]->str, "%ld:%c", &day, &kind) != 2 || day < first ||
		    day >= first + n)
			continue;
		v = strtod(up->element[i + 1]->str, &end);
		if (*end != '\0' || !(v >= 0 && v <= MCP_HIST_WINDOWS))
			continue;
		to = kind == 'u' ? u : kind == 'n' ? c : kind == 'm' ? m : NULL;
		if (to != NULL)
			to[day - first] = v;
	}
	for (d = 0; tally->type == REDIS_REPLY_STRING && d < n; d++)
		if (mcp_hist_day((const unsigned char *)tally->str, tally->len, first + d, k)) {
			u[d] = (double)(k[MCP_H_GREEN] + k[MCP_H_AMBER]);
			c[d] = u[d] + (double)k[MCP_H_RED];
			m[d] = (double)k[MCP_H_MAINT];
		}
}

/* The daily bars; a day without data is shown as such, never as up. */
int
serve_bars(struct mcp_buf *b, const struct bars *x)
{
	const double *u = x->u, *n = x->c, *m = x->m;
	double su = 0, sn = 0, sm = 0, pct;
	char iso[32], first[16] = "";
	int i, days = 0, rc;

	rc = mcp_buf_adds(b, "<h2>") | serve_esc(b, x->heading) | mcp_buf_adds(b, "</h2>\n");
	if (x->nav != NULL)
		rc |= mcp_buf_adds(b, x->nav);
	rc |= mcp_buf_addf(b, "<ol class=\"bars%s\" aria-label=\"Daily uptime, oldest first\">",
	    x->n > 31 ? " many" : "");
	for (i = 0; i < x->n; i++) {
		mcp_iso8601((double)(x->first + i) * 86400, iso, sizeof(iso));
		iso[10] = '\0';
		if (x->first + i > x->last) {
			rc |= mcp_buf_addf(b,
			    "<li class=\"bar future\" title=\"%s: to come\"><span "
			    "class=\"sr\">%s: to come</span></li>",
			    iso, iso);
			continue;
		}
		if (n[i] <= 0 && m[i] <= 0) {
			rc |= mcp_buf_addf(b,
			    "<li class=\"bar nodata\" title=\"%s: no data\"><span "
			    "class=\"sr\">%s: no data</span></li>",
			    iso, iso);
			continue;
		}
		if (first[0] == '\0')
			snprintf(first, sizeof(first), "%.10s", iso);
		days++;
		su += u[i], sn += n[i], sm += m[i];
		if (n[i] <= 0) {
			rc |= mcp_buf_addf(b,
			    "<li class=\"bar maint\" title=\"%s: maintenance (%.0f windows)\">"
			    "<span class=\"sr\">%s: maintenance</span></li>",
			    iso, m[i], iso);
			continue;
		}
		pct = 100 * fmin(u[i], n[i]) / n[i];
		rc |= mcp_buf_addf(b,
		    "<li class=\"bar%s\" title=\"%s: %.2f%% (%.0f of %.0f windows up",
		    pct >= 99.5     ? ""
		        : pct >= 95 ? " warn"
		                    : " bad",
		    iso, pct, u[i], n[i]);
		if (m[i] > 0)
			rc |= mcp_buf_addf(b, "; %.0f in maintenance, not counted", m[i]);
		rc |= mcp_buf_addf(b, ")\"><span class=\"sr\">%s: %.2f%%%s</span></li>", iso, pct,
		    m[i] > 0 ? ", with maintenance" : "");
	}
	rc |= mcp_buf_adds(b, "</ol><div class=\"axis\" aria-hidden=\"true\"><span>") |
	    serve_esc(b, x->left) | mcp_buf_adds(b, "</span><span>") | serve_esc(b, x->right) |
	    mcp_buf_adds(b, "</span></div>\n<p class=\"legend\">");
	if (days == 0)
		rc |= mcp_buf_adds(b, "No verdict has been recorded yet.");
	else if (sn <= 0)
		rc |= mcp_buf_addf(b, "Every window since %s was in maintenance.", first);
	else
		rc |= mcp_buf_addf(b,
		    "%.2f%% of %.0f windows over %d day%s with data; %s %s. A striped bar is a "
		    "day without data, not a day up.",
		    100 * fmin(su, sn) / sn, sn, days, days == 1 ? "" : "s", x->since, first);
	if (sm > 0)
		rc |= mcp_buf_addf(b,
		    " %.0f window%s in scheduled maintenance (blue) are left out of the uptime.",
		    sm, sm == 1 ? "" : "s");
	return rc | mcp_buf_adds(b, "</p>\n");
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank 95th percentile of v[0..n), sorted in place; -1 for none. */
static double
p95_of(double *v, size_t n)
{
	size_t k;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), dbl_cmp);
	k = (95 * n + 99) / 100;
	return v[k - 1];
}

/* The index of region name in l, added when new and there is room; -1 when not. */
static int
region_ix(struct latency *l, const char *name)
{
	int i;

	for (i = 0; i < l->nreg; i++)
		if (strcmp(l->reg[i], name) == 0)
			return i;
	if (l->nreg == SERVE_REGIONS_MAX || !mcp_slug_ok(name))
		return -1;
	snprintf(l->reg[l->nreg], sizeof(l->reg[0]), "%s", name);
	return l->nreg++;
}

/*
 * The duration of a slot's passing result (lib/reslua.h), in one of its
 * two layouts: 7 bytes of rs:HOUR, or 16 of the rh:HOUR of before; -1
 * for an empty slot, a failure, or no duration.
 */
static long
slot_ms(const unsigned char *s, size_t size)
{
	unsigned long ms;

	if (size == MCP_RES_OLD_SLOT) {
		if (s[2] != 'h' && s[2] != 'a')
			return -1;
		ms = (unsigned long)s[5] << 16 | (unsigned long)s[6] << 8 | s[7];
		return ms == MCP_RES_OLD_MS_NONE ? -1 : (long)ms;
	}
	if (s[2] >> 6 != 1 && s[2] >> 6 != 2)
		return -1;
	ms = ((unsigned long)(s[2] & 0x3f) << 16 | (unsigned long)s[3] << 8 | s[4]);
	return ms == MCP_RES_MS_NONE ? -1 : (long)ms;
}

/*
 * The durations of one HGETALL of an hour's results (region -> 60 slots
 * of SIZE bytes), per region into one[] and all together into all[].
 */
static void
slots_of(struct latency *l, const redisReply *r, size_t size, double one[][MCP_RES_SLOTS],
    size_t *no, int *has, double *all, size_t *na)
{
	const unsigned char *s;
	size_t i, j;
	long ms;
	int ix;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		if (r->element[i]->type != REDIS_REPLY_STRING ||
		    r->element[i + 1]->type != REDIS_REPLY_STRING ||
		    (ix = region_ix(l, r->element[i]->str)) < 0)
			continue;
		has[ix] = 1;
		s = (const unsigned char *)r->element[i + 1]->str;
		for (j = 0; j < MCP_RES_SLOTS && (j + 1) * size <= r->element[i + 1]->len;
		     j++, s += size) {
			if ((ms = slot_ms(s, size)) < 0 || no[ix] == MCP_RES_SLOTS)
				continue;
			one[ix][no[ix]++] = (double)ms;
			all[(*na)++] = (double)ms;
		}
	}
}

/* A varint of a fold (aggregate/fold.c) at *p, before end; -1 when cut short. */
static long
fold_num(const unsigned char **p, const unsigned char *end)
{
	unsigned long n = 0;
	int sh;

	for (sh = 0; *p < end && sh <= 28; sh += 7) {
		unsigned char b = *(*p)++;

		n |= (unsigned long)(b & 0x7f) << sh;
		if (b < 128)
			return (long)n;
	}
	return -1;
}

/* Word k of the names of a fold ("R": names and spaces) into buf; -1 when none. */
static int
fold_name(const char *names, long k, char *buf, size_t len)
{
	const char *w = names;
	size_t n;

	while (w != NULL && *w != '\0') {
		n = strcspn(w, " ");
		if (k-- == 0)
			return n > 0 && n < len ? snprintf(buf, len, "%.*s", (int)n, w), 0 : -1;
		w += n + (w[n] == ' ');
	}
	return -1;
}

/*
 * A folded hour (mcp:{SLUG}:rf, its layout in aggregate/fold.c): each
 * region's p95 stands for its count of durations, and the p95 of all the
 * regions for theirs, so that an hour read only from its fold draws what
 * its raw slots drew, and a late result's raw slot adds to it.
 */
static void
fold_of(struct latency *l, const redisReply *v, const char *names, double one[][MCP_RES_SLOTS],
    size_t *no, int *has, double *all, size_t *na, size_t nall)
{
	const unsigned char *p = (const unsigned char *)v->str, *end = p + v->len;
	char name[MCP_SLUG_MAX + 1];
	long ap, ac, nr, r, c, pv, got, run, i;
	int ix;

	if (v->len < 1 || *p++ != 1 || (ap = fold_num(&p, end)) < 0 ||
	    (ac = fold_num(&p, end)) < 0 || (nr = fold_num(&p, end)) < 0)
		return;
	for (r = 0; r < nr && p < end; r++) {
		unsigned k = *p++;

		if (k >= 128 && (size_t)(end - p) >= k - 128 && k - 128 <= MCP_SLUG_MAX) {
			snprintf(name, sizeof(name), "%.*s", (int)(k - 128), (const char *)p);
			p += k - 128;
		} else if (k >= 128 || fold_name(names, (long)k, name, sizeof(name)) == -1)
			name[0] = '\0';
		if ((c = fold_num(&p, end)) < 0 || (pv = fold_num(&p, end)) < 0)
			return;
		for (got = 0; got < MCP_RES_SLOTS; got += run) {
			if (p >= end || end - p < (*p >= 64 ? 3 : 1))
				return;
			run = *p % 64 + 1;
			p += *p >= 64 ? 3 : 1;
		}
		if (name[0] == '\0' || (ix = region_ix(l, name)) < 0)
			continue;
		has[ix] = 1;
		for (i = 0; i < c && pv > 0 && no[ix] < MCP_RES_SLOTS; i++)
			one[ix][no[ix]++] = (double)(pv - 1);
	}
	for (i = 0; i < ac && ap > 0 && *na < nall; i++)
		all[(*na)++] = (double)(ap - 1);
}

/*
 * One hour's HGETALL of rs:HOUR and of the rh:HOUR of before (a region
 * upgraded in the hour has slots in both, never the same window twice):
 * the durations of its passing results, per region and all together, into
 * the hour's column h of l.
 */
static int
hour_of(struct latency *l, const redisReply *rs, const redisReply *rh, const redisReply *rf,
    const char *names, int h)
{
	static double all[2 * SERVE_REGIONS_MAX * MCP_RES_SLOTS],
	    one[SERVE_REGIONS_MAX][MCP_RES_SLOTS];
	size_t no[SERVE_REGIONS_MAX] = {0}, na = 0;
	int has[SERVE_REGIONS_MAX] = {0}, ix;

	slots_of(l, rs, MCP_RES_SLOT, one, no, has, all, &na);
	slots_of(l, rh, MCP_RES_OLD_SLOT, one, no, has, all, &na);
	if (rf != NULL)
		fold_of(l, rf, names, one, no, has, all, &na, sizeof(all) / sizeof(all[0]));
	for (ix = 0; ix < l->nreg; ix++)
		if (has[ix])
			l->p95[ix + 1][h] = p95_of(one[ix], no[ix]);
	l->p95[0][h] = p95_of(all, na);
	return 0;
}

/* The regions by name, their rows with them (a handful: insertion sort). */
static void
sort_regions(struct latency *l)
{
	char name[MCP_SLUG_MAX + 1];
	double row[SERVE_HOURS];
	int i, j;

	for (i = 1; i < l->nreg; i++)
		for (j = i; j > 0 && strcmp(l->reg[j - 1], l->reg[j]) > 0; j--) {
			memcpy(name, l->reg[j], sizeof(name));
			memcpy(l->reg[j], l->reg[j - 1], sizeof(name));
			memcpy(l->reg[j - 1], name, sizeof(name));
			memcpy(row, l->p95[j + 1], sizeof(row));
			memcpy(l->p95[j + 1], l->p95[j], sizeof(row));
			memcpy(l->p95[j], row, sizeof(row));
		}
}

/* The field of hour in rf's HGETALL, or NULL; its "R" into *names. */
static const redisReply *
fold_field(const redisReply *rf, long hour, const char **names)
{
	char f[24];
	size_t i;

	snprintf(f, sizeof(f), "%ld", hour);
	for (i = 0; rf->type == REDIS_REPLY_ARRAY && i + 1 < rf->elements; i += 2) {
		if (rf->element[i]->type != REDIS_REPLY_STRING ||
		    rf->element[i + 1]->type != REDIS_REPLY_STRING)
			continue;
		if (names != NULL && strcmp(rf->element[i]->str, "R") == 0)
			*names = rf->element[i + 1]->str;
		else if (names == NULL && strcmp(rf->element[i]->str, f) == 0)
			return rf->element[i + 1];
	}
	return NULL;
}

/*
 * The latency of the last 24 hours: the results of each hour's rs:HOUR
 * and rh:HOUR of before (kept 25 hours), and of the hours folded in rf
 * (aggregate/fold.c), one pipeline.  0, or -1 when the store failed.
 */
int
serve_latency_read(struct conn *c, const char *slug, double now, struct latency *l)
{
	static char keys[2 * SERVE_HOURS + 1][128];
	const char *args[2 * SERVE_HOURS + 1][2], **argv[2 * SERVE_HOURS + 1], *names = "";
	int argc[2 * SERVE_HOURS + 1], h, k;
	redisReply *rep[2 * SERVE_HOURS + 1];

	memset(l, 0, sizeof(*l));
	l->first_hour = (long)floor(now / 3600) - (SERVE_HOURS - 1);
	for (h = 0; h < 2 * SERVE_HOURS; h++) {
		snprintf(keys[h], sizeof(keys[h]), "mcp:{%s}:%s:%ld", slug,
		    h < SERVE_HOURS ? "rs" : "rh", l->first_hour + h % SERVE_HOURS);
		args[h][0] = "HGETALL", args[h][1] = keys[h];
		argv[h] = args[h], argc[h] = 2;
	}
	snprintf(keys[h], sizeof(keys[h]), "mcp:{%s}:rf", slug);
	args[h][0] = "HGETALL", args[h][1] = keys[h];
	argv[h] = args[h], argc[h] = 2;
	if (serve_query(c, 2 * SERVE_HOURS + 1, argc, argv, rep) != SR_OK)
		return -1;
	for (k = 0; k <= SERVE_REGIONS_MAX; k++)
		for (h = 0; h < SERVE_HOURS; h++)
			l->p95[k][h] = -1;
	fold_field(rep[2 * SERVE_HOURS], 0, &names);
	for (h = 0; h < SERVE_HOURS; h++)
		hour_of(l, rep[h], rep[SERVE_HOURS + h],
		    fold_field(rep[2 * SERVE_HOURS], l->first_hour + h, NULL), names, h);
	serve_free_replies(rep, 2 * SERVE_HOURS + 1);
	sort_regions(l);
	return 0;
}

/* 1, 2 or 5 times a power of ten, at least v. */
static double
nice_ceil(double v)
{
	double p = pow(10, floor(log10(v))), m;

	for (m = 1; m <= 10; m = m == 1 ? 2 : m == 2 ? 5 : 10)
		if (m * p >= v)
			return m * p;
	return 10 * p;
}

static double
x_of(int h)
{
	return X0 + (double)h * (X1 - X0) / (SERVE_HOURS - 1);
}

/* One series as a path, broken where an hour has no data; lone points as dots. */
static int
series(struct mcp_buf *b, const double *v, double top, int cls)
{
	int h, rc = 0, open = 0;
	double y;

	for (h = 0; h < SERVE_HOURS; h++) {
		if (v[h] < 0) {
			open = 0;
			continue;
		}
		y = Y1 - v[h] / top * (Y1 - Y0);
		if ((h == 0 || v[h - 1] < 0) && (h == SERVE_HOURS - 1 || v[h + 1] < 0)) {
			rc |= mcp_buf_addf(b,
			    "<circle class=\"s%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>", cls,
			    x_of(h), y);
			continue;
		}
		if (!open)
			rc |= mcp_buf_addf(b, "<path class=\"s%d\" d=\"M", cls);
		else
			rc |= mcp_buf_adds(b, " L");
		rc |= mcp_buf_addf(b, "%.1f %.1f", x_of(h), y);
		open = 1;
		if (h == SERVE_HOURS - 1 || v[h + 1] < 0) {
			rc |= mcp_buf_adds(b, "\"/>");
			open = 0;
		}
	}
	return rc;
}

/* "14:00" for hour h of the chart. */
static void
hour_label(const struct latency *l, int h, char *buf, size_t len)
{
	char iso[32];

	if (mcp_iso8601((double)(l->first_hour + h) * 3600, iso, sizeof(iso)) == -1)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%.5s", iso + 11);
}

/* The same facts as the chart, as a table. */
static int
lat_table(struct mcp_buf *b, const struct latency *l, int nshown)
{
	char t[16];
	int h, k, rc;

	rc = mcp_buf_adds(b,
	    "<details><summary>The same as a table</summary><div class=\"scroll\"><table>"
	    "<caption class=\"sr\">p95 latency in milliseconds, by hour (UTC) and region"
	    "</caption><thead><tr><th>Hour (UTC)</th><th class=\"num\">All regions</th>");
	for (k = 0; k < nshown; k++)
		rc |= mcp_buf_adds(b, "<th class=\"num\">") | serve_esc(b, l->reg[k]) |
		    mcp_buf_adds(b, "</th>");
	rc |= mcp_buf_adds(b, "</tr></thead><tbody>");
	for (h = 0; h < SERVE_HOURS; h++) {
		hour_label(l, h, t, sizeof(t));
		rc |= mcp_buf_addf(b, "<tr><td>%s</td>", t);
		for (k = 0; k <= nshown; k++)
			rc |= l->p95[k][h] >= 0
			    ? mcp_buf_addf(b, "<td class=\"num\">%.0f ms</td>", l->p95[k][h])
			    : mcp_buf_adds(b, "<td class=\"num\">&ndash;</td>");
		rc |= mcp_buf_adds(b, "</tr>");
	}
	return rc | mcp_buf_adds(b, "</tbody></table></div></details>\n");
}

/*
 * The latency chart: an SVG of the hourly p95, all regions (bold) and up
 * to LINES_MAX regions, a legend in words, and the table.
 */
int
serve_latency_svg(struct mcp_buf *b, const struct latency *l)
{
	double top = 0, peak = -1;
	int h, k, rc, n = l->nreg < LINES_MAX ? l->nreg : LINES_MAX, any = 0, peak_h = 0;
	char t[16];

	for (k = 0; k <= n; k++)
		for (h = 0; h < SERVE_HOURS; h++)
			if (l->p95[k][h] > top)
				top = l->p95[k][h];
	for (h = 0; h < SERVE_HOURS; h++)
		if (l->p95[0][h] >= 0) {
			any = 1;
			if (l->p95[0][h] > peak)
				peak = l->p95[0][h], peak_h = h;
		}
	rc = mcp_buf_adds(b, "<h2>Latency, last 24 hours</h2>\n");
	if (!any)
		return rc | mcp_buf_adds(b, "<p>No passing probe in the last 24 hours.</p>\n");
	top = nice_ceil(top > 1 ? top : 1);
	hour_label(l, peak_h, t, sizeof(t));
	rc |= mcp_buf_addf(b,
	    "<figure class=\"chart\"><svg viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-labelledby=\"lat-t lat-d\"><title id=\"lat-t\">p95 latency per hour, "
	    "last 24 hours</title><desc id=\"lat-d\">The 95th percentile of the passing "
	    "probes of each hour, all regions together and each region; the highest hour "
	    "of all regions is %s UTC at %.0f ms. The table below gives every value.</desc>",
	    CW, CH, t, peak);
	for (k = 0; k <= 4; k++) {
		double v = top * k / 4, y = Y1 - (double)k / 4 * (Y1 - Y0);

		rc |= mcp_buf_addf(b,
		    "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
		    "<text class=\"ax\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f ms</text>",
		    X0, X1, y, y, X0 - 6, y + 4, v);
	}
	for (h = 0; h < SERVE_HOURS; h += 6) {
		hour_label(l, h, t, sizeof(t));
		rc |= mcp_buf_addf(b,
		    "<text class=\"ax\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
		    x_of(h), CH - 10, t);
	}
	hour_label(l, SERVE_HOURS - 1, t, sizeof(t));
	rc |= mcp_buf_addf(b,
	    "<text class=\"ax\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\">%s UTC</text>",
	    x_of(SERVE_HOURS - 1), CH - 10, t);
	for (k = n; k >= 1; k--)
		rc |= series(b, l->p95[k], top, k);
	rc |= series(b, l->p95[0], top, 0);
	rc |= mcp_buf_adds(b,
	    "</svg><figcaption><ul class=\"keys\"><li><span class=\"key s0\" "
	    "aria-hidden=\"true\"></span>All regions</li>");
	for (k = 1; k <= n; k++) {
		const char *city = serve_city(l->reg[k - 1]);

		rc |=
		    mcp_buf_addf(b, "<li><span class=\"key s%d\" aria-hidden=\"true\"></span>", k) |
		    serve_esc(b, city != NULL ? city : l->reg[k - 1]) |
		    (city != NULL ? mcp_buf_adds(b, " (") | serve_esc(b, l->reg[k - 1]) |
		                mcp_buf_addc(b, ')')
		                  : 0) |
		    mcp_buf_adds(b, "</li>");
	}
	rc |= mcp_buf_adds(b, "</ul>");
	if (l->nreg > n)
		rc |= mcp_buf_addf(
		    b, "<p class=\"legend\">%d more regions are in the table.</p>", l->nreg - n);
	return rc | mcp_buf_adds(b, "</figcaption></figure>\n") | lat_table(b, l, l->nreg);
}
