/*
 * scanrules.c - the rules read in one string of a server's text
 * (mcp-rules(7) says each, and why).
 *
 * Hidden characters are found in one pass over the string's UTF-8.  The
 * rules on words read a normal form of it: ASCII folded to lower case,
 * white space of every kind one space, the hidden characters dropped (so
 * that "ig<U+200B>nore" is read "ignore"), the tag characters read as the
 * ASCII they spell (so that an instruction hidden in them is read too),
 * and the Cyrillic letters that look Latin read as those.  Each rule on
 * words is one POSIX extended expression without back-references, which
 * glibc matches in time linear in the text; a string is at most the
 * list, 256 KiB.  A string gives at most one finding per rule.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "scanint.h"

/* The rules on words, on the normal form. */
static const struct {
	int rule;
	const char *anchors; /* "a|b": the expression cannot match a text holding none of them */
	const char *re;
} words[] = {
    {R_IGNORE, "ignore|disregard|forget|override|bypass|new instructions",
        "(ignore|disregard|forget|override|bypass)( (all|any|the|your|of|every))* (previous"
        "|prior|earlier|above|preceding|former|other|existing|original|system)"
        " (instructions?|rules|directions|directives|prompts?|guidelines)"
        "|(ignore|disregard) (all|any) (instructions|rules)"
        "|new instructions:"},
    {R_HIDE, "user|human|secret|silently|covertly|quietly|keep",
        "(do not|don't|dont|never|without) (tell|inform|notify|mention|reveal|show|alert"
        "|telling|informing|notifying|mentioning|revealing|showing|alerting)( (this|it|that"
        "|anything))?( to)? (the )?(user|human)"
        "|(do not|don't|never) let (the )?(user|human) (know|see|notice)"
        "|(no need|not necessary|unnecessary) to (mention|tell|inform|notify)( (this|it"
        "|that))? (to )?(the )?(user|human)"
        "|(hide|conceal|keep) (this|it|that)( (secret|hidden|private))? from (the )?(user"
        "|human)"
        "|(user|human) (must|should|shall|need|needs to) (not|never) (know|see|be told"
        "|notice|find out)"
        "|keep (this|it|these instructions) (a )?(secret|hidden|confidential)"
        "|this is a secret (operation|step|instruction)"
        "|(silently|secretly|covertly|quietly) (read|send|include|pass|add|copy|upload"
        "|forward|attach|post)"
        "|not (be )?(visible|shown|displayed) to the user"},
    {R_FILES,
        "ssh|id_|aws|netrc|npmrc|pypirc|/etc/"
        "|kube|docker|mcp.json|claude_desktop|cursor|git-cred|bash_history|.env",
        "~/\\.ssh|\\.ssh/|id_rsa|id_ed25519|id_ecdsa|\\.aws/credentials|~/\\.aws|\\.netrc"
        "|\\.npmrc|\\.pypirc|/etc/shadow|/etc/passwd|\\.kube/config|\\.docker/config\\.json"
        "|mcp\\.json|claude_desktop_config|~/\\.cursor|\\.git-credentials|\\.bash_history"
        "|(^|[^a-z0-9_])\\.env([^a-z0-9_]|$)"},
    {R_CONVO, "history|conversation|chat|messages|system prompt|param|arg|field|sidenote",
        "(^|[^a-z])(include|pass|put|append|attach|send|insert|copy|paste|forward|dump|leak"
        "|reveal|repeat|exfiltrate)[a-z]*( [a-z'`\\\"_]+){0,6} ((conversation|chat|message)"
        " history|(entire|full|whole|complete) (conversation|chat)|(all|every) (previous|prior"
        "|earlier) messages|(full|complete) list of (last|previous|recent) messages|system"
        " prompt)"
        "|(content|contents|data|file|key|keys|token|tokens|credentials?|secrets?"
        "|conversation|messages)[^.]{0,40} (in|into|as|inside) (the |a"
        " )?['\\\"`]?[a-z_]*['\\\"`]? ?(parameter|param|argument|arg|field|sidenote)"
        "|sidenote"},
    /* The same things named without being put anywhere: what a tool that returns them says. */
    {R_NAMED, "history|conversation|chat|transcript|messages|system prompt",
        "(conversation|chat|message) history|(entire|full|whole|complete) (conversation|chat"
        "|transcript)|(all|every) (previous|prior|earlier) messages|(full|complete) list of"
        " (last|previous|recent) messages|system prompt"},
    {R_SEND, "http|@|cc|blind|forward|recipient",
        "(^|[^a-z])(send|sends|sending|sent|post|posts|posting|posted|upload|uploads"
        "|uploading|uploaded|forward|forwards|forwarding|forwarded|transmit|transmits"
        "|transmitting|transmitted|exfiltrate|exfiltrates|exfiltrating|exfiltrated|email|emails"
        "|emailing|emailed|e-mail|bcc|leak|leaks|leaking|leaked|copy|copies|copying"
        "|copied)([^a-z]|$)[^.]{0,80}(https?://[a-z0-9]|[a-z0-9._%+-]+@[a-z0-9-]+\\.[a-z]{2,})"
        "|(always|also|silently|secretly) (bcc|cc|blind copy|forward)"
        "|change the recipient"},
    {R_PREFER, "always|instead|other|before|prior|first|precedence|immediately|rather",
        "always (use|prefer|call|choose|pick|select|run|invoke|consult) (this|the"
        " [a-z0-9_.-]+) tool"
        "|(call|consult|use|invoke) this tool (immediately|as the first step|instead|first"
        "|rather)"
        "|instead of (any|all|the) other (tools?|servers?)"
        "|(never|do not|don't) (use|call) (any )?(other|another) (tools?|servers?)"
        "|(before|prior to) (using|calling|invoking) (any|every|each) (other )?tool"
        "|(must|should) (always )?be (called|used|invoked) (first|before)"
        "|takes precedence over (all|any|other)"},
    {R_AUTH,
        "<|[|override:|instruction:|instructions:|note:|source|i am|as the|as "
        "your|compliance|security policy",
        "<(important|system|instructions?|admin|secret|hidden|critical)>"
        "|\\[(system|important|admin|instructions?)\\]"
        "|(system|admin|developer) (override|instructions?|note):"
        "|(authoritative|official|trusted) source"
        "|(i am|as) (the|your) (system|administrator|developer|operator)"
        "|critical compliance requirement|required by (the )?(platform|system)'?s? security"
        " policy"},
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/*
 * The anchors of every expression, by their first byte: one pass over a
 * text says which expressions may match it (a bit each), whatever their
 * number.
 */
#define ANCHORS_MAX 128
static struct anchor {
	const char *s;
	size_t len;
	unsigned mask; /* the expressions it anchors */
	int next;      /* the next anchor of the same first byte, or -1 */
} anchor[ANCHORS_MAX];
static int by_first[256];

static int
anchors_init(void)
{
	const char *a, *e;
	size_t i, n = 0;

	memset(by_first, -1, sizeof(by_first));
	for (i = 0; i < NWORDS; i++)
		for (a = words[i].anchors; *a != '\0'; a = *e != '\0' ? e + 1 : e) {
			e = strchr(a, '|');
			e = e != NULL ? e : a + strlen(a);
			if (n == ANCHORS_MAX || e == a)
				return -1;
			anchor[n] = (struct anchor){
			    a, (size_t)(e - a), 1U << i, by_first[(unsigned char)a[0]]};
			by_first[(unsigned char)a[0]] = (int)n++;
		}
	return 0;
}

/* The expressions whose anchors the n bytes at t hold. */
static unsigned
anchored(const char *t, size_t n)
{
	unsigned got = 0, all = (1U << NWORDS) - 1;
	size_t i;
	int j;

	for (i = 0; i < n && got != all; i++)
		for (j = by_first[(unsigned char)t[i]]; j >= 0; j = anchor[j].next)
			if (!(got & anchor[j].mask) && anchor[j].len <= n - i &&
			    memcmp(t + i, anchor[j].s, anchor[j].len) == 0)
				got |= anchor[j].mask;
	return got;
}

/*
 * Each expression twice: without its place (REG_NOSUB, the quick test of
 * every text) and with it (only for a text it matches).
 */
static regex_t rx[NWORDS], rx_test[NWORDS];
static int rx_state; /* 0 not compiled, 1 compiled, -1 failed */

static int
rx_init(void)
{
	size_t i;

	if (rx_state != 0)
		return rx_state;
	if (anchors_init() == -1)
		return rx_state = -1;
	for (i = 0; i < NWORDS; i++) {
		if (regcomp(&rx[i], words[i].re, REG_EXTENDED) != 0)
			break;
		if (regcomp(&rx_test[i], words[i].re, REG_EXTENDED | REG_NOSUB) != 0) {
			regfree(&rx[i]);
			break;
		}
	}
	if (i == NWORDS)
		return rx_state = 1;
	while (i-- > 0) {
		regfree(&rx[i]);
		regfree(&rx_test[i]);
	}
	return rx_state = -1;
}

/* The rule a hidden character falls under, or -1 for one a reader sees. */
static int
hidden(unsigned long c)
{
	if (c >= 0xE0000 && c <= 0xE007F)
		return R_TAG;
	if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	    (c >= 0x2066 && c <= 0x2069))
		return R_BIDI;
	if ((c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF))
		return R_VS;
	if ((c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF ||
	    c == 0x180E || c == 0x00AD || c == 0x034F || c == 0x115F || c == 0x1160 ||
	    c == 0x3164 || c == 0xFFA0 || (c >= 0xFFF9 && c <= 0xFFFB))
		return R_ZW;
	if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F) ||
	    c == 0x2028 || c == 0x2029)
		return R_CTRL;
	return -1;
}

void
scan_excerpt(char *out, size_t size, const char *text, size_t len, size_t start, size_t end)
{
	size_t o = 0, i = start, k;
	unsigned long c;
	char e[16];

	while (i < end && i < len) {
		if ((k = mcp_utf8_decode(text + i, len - i, &c)) == 0) {
			snprintf(e, sizeof(e), "\\x%02X", (unsigned char)text[i]);
			k = 1;
		} else if (hidden(c) >= 0 && c != '\t' && c != '\n') {
			snprintf(e, sizeof(e), "\\u{%04lX}", c);
		} else if (c == '\\') {
			snprintf(e, sizeof(e), "\\\\");
		} else {
			memcpy(e, text + i, k);
			e[k] = '\0';
		}
		if (o + strlen(e) + 1 > size)
			break;
		memcpy(out + o, e, strlen(e));
		o += strlen(e);
		i += k;
	}
	out[o] = '\0';
}

void
mcp_scan_excerpt(char *out, size_t size, const char *text, size_t len, size_t start, size_t end)
{
	scan_excerpt(out, size, text, len, start, end);
}

/* A letter of a script whose letters pass for Latin ones. */
static int
lookalike(unsigned long c)
{
	return (c >= 0x0370 && c <= 0x03FF) || (c >= 0x0400 && c <= 0x04FF) ||
	    (c >= 0x0530 && c <= 0x058F) || (c >= 0xFF21 && c <= 0xFF5A) ||
	    (c >= 0x1D400 && c <= 0x1D7FF);
}

/* The Cyrillic letters that look like Latin ones, read as those. */
static int
as_latin(unsigned long c)
{
	static const struct {
		unsigned long cp;
		char a;
	} m[] = {{0x430, 'a'}, {0x435, 'e'}, {0x43E, 'o'}, {0x440, 'p'}, {0x441, 'c'}, {0x445, 'x'},
	    {0x443, 'y'}, {0x456, 'i'}, {0x455, 's'}, {0x458, 'j'}, {0x410, 'a'}, {0x415, 'e'},
	    {0x41E, 'o'}, {0x420, 'p'}, {0x421, 'c'}, {0x425, 'x'}};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i].cp == c)
			return m[i].a;
	return 0;
}

static int
space(unsigned long c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* The normal form of a string: its bytes, and for each the offset it came from. */
struct norm {
	char *t;
	uint32_t *at;
	size_t n;
};

static int
norm_put(struct norm *m, const char *b, size_t k, size_t from)
{
	size_t j;

	for (j = 0; j < k; j++) {
		m->t[m->n] = b[j];
		m->at[m->n++] = (uint32_t)from;
	}
	return 0;
}

/* Hidden characters found in one pass: the first of each rule, and a run of selectors. */
struct seen {
	size_t first[R_N], last[R_N];
	int any[R_N];
	size_t vs_run, vs_start, vs_best, vs_best_start;
	int latin, other; /* a name's letters */
	int flag;         /* after U+1F3F4, 1 + the tag characters of a subdivision's flag */
	char spelled[MCP_SCAN_HIDDEN_MAX + 1];
	size_t nspelled;
};

static void
see(struct seen *w, int r, unsigned long c, size_t i, size_t k)
{
	if (!w->any[r]) {
		w->any[r] = 1;
		w->first[r] = i;
	}
	w->last[r] = i + k;
	if (r == R_TAG && c >= 0xE0020 && c <= 0xE007E && w->nspelled < MCP_SCAN_HIDDEN_MAX)
		w->spelled[w->nspelled++] = (char)(c - 0xE0000);
}

/* Zero-width joiners and non-joiners between two letters of other scripts are honest. */
static int
zw_honest(const char *text, size_t len, size_t i)
{
	unsigned long c;
	size_t k = mcp_utf8_decode(text + i, len - i, &c);

	if ((c != 0x200C && c != 0x200D) || i == 0 || i + k >= len)
		return 0;
	return (unsigned char)text[i - 1] >= 0x80 && (unsigned char)text[i + k] >= 0x80;
}

/* One character of the pass: its hidden rule, its letters, its normal form. */
static void
one(struct seen *w, struct norm *m, const char *text, size_t len, size_t i, size_t k,
    unsigned long c)
{
	int r = hidden(c), a;
	char ch;

	/* A subdivision flag: at most 6 tag letters or digits, then CANCEL TAG. */
	if (r == R_TAG && w->flag > 0 && w->flag <= 7 &&
	    ((c >= 0xE0061 && c <= 0xE007A) || (c >= 0xE0030 && c <= 0xE0039) || c == 0xE007F)) {
		w->flag = c == 0xE007F ? 0 : w->flag + 1;
		return;
	}
	w->flag = c == 0x1F3F4;

	if (r == R_VS) {
		if (w->vs_run++ == 0)
			w->vs_start = i;
		if (w->vs_run > w->vs_best) {
			w->vs_best = w->vs_run;
			w->vs_best_start = w->vs_start;
		}
	} else {
		w->vs_run = 0;
	}
	if (r >= 0 && r != R_VS && !(r == R_ZW && zw_honest(text, len, i)))
		see(w, r, c, i, k);
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		w->latin = 1;
	else if (lookalike(c))
		w->other = 1;
	if (r == R_TAG && c >= 0xE0020 && c <= 0xE007E) {
		ch = (char)(c - 0xE0000);
		ch = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
		norm_put(m, &ch, 1, i);
	} else if (space(c) || r == R_CTRL) {
		if (m->n > 0 && m->t[m->n - 1] != ' ')
			norm_put(m, " ", 1, i);
	} else if (r < 0) {
		if (c < 0x80) {
			ch = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			norm_put(m, &ch, 1, i);
		} else if ((a = as_latin(c)) != 0) {
			ch = (char)a;
			norm_put(m, &ch, 1, i);
		} else {
			norm_put(m, text + i, k, i);
		}
	}
}

static int
hidden_found(
    struct mcp_scan *s, const struct scan_at *at, const char *text, size_t len, struct seen *w)
{
	int r;

	for (r = 0; r < R_N; r++) {
		if (!w->any[r])
			continue;
		if (scan_add(s, r, at, text, w->first[r], w->last[r]) == -1)
			return -1;
		if (r == R_TAG) {
			memcpy(s->v[s->n - 1].hidden, w->spelled, w->nspelled);
			s->v[s->n - 1].hidden[w->nspelled] = '\0';
		}
	}
	if (w->vs_best >= 4 &&
	    scan_add(s, R_VS, at, text, w->vs_best_start, w->vs_best_start) == -1)
		return -1;
	if (at->name && w->latin && w->other && scan_add(s, R_CONFUSE, at, text, 0, len) == -1)
		return -1;
	return 0;
}

/*
 * The first match of expression i in the normal form, read in pieces of
 * PIECE bytes that overlap by OVERLAP (more than any match of the rules is
 * long, but for a run of "all any every..." past it): glibc's regexec
 * takes time that grows faster than the text over a long string that does
 * not match, and linear time over pieces.  0, the match in *g; or 1.
 */
#define PIECE 4096
#define OVERLAP 512
static int
match(size_t i, const struct norm *m, size_t from, regmatch_t *g)
{
	size_t off = from, end;
	int rc, flags;
	char c;

	for (;;) {
		end = m->n - off > PIECE ? off + PIECE : m->n;
		c = m->t[end];
		m->t[end] = '\0';
		flags = (off > 0 ? REG_NOTBOL : 0) | (end < m->n ? REG_NOTEOL : 0);
		rc = regexec(&rx_test[i], m->t + off, 0, NULL, flags) != 0 ||
		    regexec(&rx[i], m->t + off, 1, g, flags) != 0;
		m->t[end] = c;
		if (rc == 0) {
			g->rm_so += (regoff_t)off;
			g->rm_eo += (regoff_t)off;
			return 0;
		}
		if (end == m->n)
			return 1;
		off = end - OVERLAP;
	}
}

/*
 * The end of the sentence of the normal form that holds so..eo: its
 * full stop (". "), or 120 bytes on; *start its start, 80 bytes back at
 * the most.
 */
static size_t
sentence(const struct norm *m, size_t so, size_t eo, size_t *start)
{
	size_t a = so, b = eo;

	while (a > 0 && so - a < 80 && !(a >= 2 && m->t[a - 2] == '.' && m->t[a - 1] == ' '))
		a--;
	while (
	    b < m->n && b - eo < 120 && !(m->t[b] == '.' && (b + 1 == m->n || m->t[b + 1] == ' ')))
		b++;
	*start = a;
	return b;
}

/* A file named as refused: the sentence that names it says it is not read. */
static int
refused(const struct norm *m, size_t so, size_t eo, size_t *end)
{
	static const char *const no[] = {"not allowed", "not permitted", "disallowed", "blocked",
	    "denied", "refused", "forbidden", "never read", "never access", "never open",
	    "cannot read", "cannot access", "can't read", "can't access", "not accessible",
	    "excluded", "rejected", "outside the allowed", "not be read", "not be accessed", "deny",
	    "is protected", "are protected"};
	size_t a, i;

	*end = sentence(m, so, eo, &a);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (memmem(m->t + a, *end - a, no[i], strlen(no[i])) != NULL)
			return 1;
	return 0;
}

/* The rules on words over the normal form; a match gives its place in the text. */
static int
words_found(struct mcp_scan *s, const struct scan_at *at, const char *text, const struct norm *m)
{
	regmatch_t g;
	const char *cap;
	unsigned long found = 0;
	unsigned may;
	size_t i, a, b, from, end, so = 0, eo = 0, ra = 0, rb = 0;
	int r, no, hit;

	if (rx_init() == -1)
		return -1;
	may = anchored(m->t, m->n);
	for (i = 0; i < NWORDS; i++) {
		r = words[i].rule;
		if (!(may & (1U << i)) || (found & (1UL << r)) ||
		    (r == R_NAMED && (found & (1UL << R_CONVO))))
			continue;
		/* A file named as refused is read on, 8 sentences at the most. */
		for (from = 0, hit = 0, no = 0; no < 8 && match(i, m, from, &g) == 0;) {
			so = (size_t)g.rm_so;
			eo = (size_t)g.rm_eo;
			/* Addresses of the documentation's own domains are examples. */
			if (r == R_SEND && memmem(m->t + so, eo - so, "example.", 8) != NULL)
				break;
			if (r != R_FILES || !refused(m, so, eo, &end)) {
				hit = 1;
				break;
			}
			if (no++ == 0) {
				ra = m->at[so];
				rb = eo > so ? m->at[eo - 1] + 1 : ra;
			}
			if ((from = end > eo ? end : eo) >= m->n)
				break;
		}
		if (hit) {
			a = m->at[so];
			b = eo > so ? m->at[eo - 1] + 1 : a;
			if (scan_add(s, r, at, text, a, b) == -1)
				return -1;
			found |= 1UL << r;
		} else if (no > 0) {
			if (scan_add(s, R_REFUSED, at, text, ra, rb) == -1)
				return -1;
			found |= 1UL << R_REFUSED;
		}
	}
	/* "SYSTEM:" said in capitals, as a prompt's role is. */
	if (!(found & (1UL << R_AUTH)) && (cap = strstr(text, "SYSTEM:")) != NULL &&
	    scan_add(s, R_AUTH, at, text, (size_t)(cap - text), (size_t)(cap - text) + 7) == -1)
		return -1;
	return 0;
}

int
scan_string(struct mcp_scan *s, const struct scan_at *at, const char *text, size_t len)
{
	struct seen w;
	struct norm m = {0};
	size_t i = 0, k;
	unsigned long c;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	s->bytes += len;
	if ((m.t = malloc(len + 1)) == NULL || (m.at = malloc((len + 1) * sizeof(*m.at))) == NULL)
		goto out;
	while (i < len) {
		if ((k = mcp_utf8_decode(text + i, len - i, &c)) == 0) {
			k = 1;
			c = 0xFFFD;
		}
		one(&w, &m, text, len, i, k, c);
		i += k;
	}
	m.t[m.n] = '\0';
	m.at[m.n] = (uint32_t)len;
	if (hidden_found(s, at, text, len, &w) == 0 &&
	    (at->name || words_found(s, at, text, &m) == 0))
		rc = 0;
out:
	free(m.t);
	free(m.at);
	return rc;
}
