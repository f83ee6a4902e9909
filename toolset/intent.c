/*
 * intent.c - what a sentence asks of the agent, read from the classes of
 * its words rather than from phrases (mcp-rules(7), "What a text asks of
 * the agent"): each word of the normal form is looked up once, its
 * classes (an obligation, the agent, the user, a scope, another tool, a
 * threat...) are or-ed over the sentence, and a rule holds when the
 * classes of its intent meet in one sentence: a demand aimed at the agent
 * and an object beyond the tool's own use.  It reads what the expressions
 * of scanrules.c have not found in the string, and gives those rules'
 * findings (and MCPU-P120's, its own), judged by the shapes of shape.c.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scanint.h"

/* The classes of a word. */
enum {
	W_OBLIG = 1U << 0,   /* must, should, required, mandatory */
	W_VERB = 1U << 1,    /* a verb an order begins with: call, set, send */
	W_AGENT = 1U << 2,   /* you, the assistant, the model */
	W_SCOPE = 1U << 3,   /* every, each, any, always, whatever */
	W_ORDER = 1U << 4,   /* before, first, prior, then */
	W_TOOL = 1U << 5,    /* tool, server, integration */
	W_USER = 1U << 6,    /* the user */
	W_OVER = 1U << 7,    /* overrides, precedence, outranks, binding */
	W_DEMOTE = 1U << 8,  /* advisory, disregarded, no longer */
	W_AUTH = 1U << 9,    /* system, administrator, policy, directive */
	W_CONSEQ = 1U << 10, /* crash, violation, liable, fines */
	W_SKIP = 1U << 11,   /* otherwise, skipping, omitting, forgetting */
	W_SECRET = 1U << 12, /* password, cookie, credentials */
	W_SEND = 1U << 13,   /* send, forward, attach, include */
	W_DESTR = 1U << 14,  /* delete, drop, wipe (the verb itself) */
	W_ALL = 1U << 15,    /* all, every, entire, whole */
	W_ARG = 1U << 16,    /* argument, parameter, field, flag */
	W_SET = 1U << 17,    /* set, append, change, replace, round */
	W_RUNDOWN = 1U << 18, /* deprecated, legacy, broken, fabricated */
	W_CLAIM = 1U << 19,  /* exclusively, canonical, supersedes */
	W_ASK = 1U << 20,    /* ask, consult, tell, warn, confirm */
	W_WITHOUT = 1U << 21,
	W_REQ = 1U << 22,   /* request, message, task, session */
	W_SELF = 1U << 23,  /* this, itself */
	W_NOT = 1U << 24,   /* not, never, no */
	W_READ = 1U << 25,  /* read, print, dump, run, list, collect */
	W_FILLER = 1U << 26, /* please, also, then: before an order's verb */
	W_OVERV = 1U << 29,  /* overrides, outranks, supersedes: a rank claimed by its verb */
	W_IF = 1U << 30,     /* if, unless, when, only: what follows a condition */
	W_CTX = 1U << 31     /* call, with, via: a tool's name follows */
};

/* A word of more classes than its own, by the words around it. */
#define W_OTHER (1U << 27)  /* "other", "another" */
#define W_CLAIMW (1U << 28) /* a word "only" makes a claim of: safe, reliable, source */
#define W_ORDERW (1ULL << 32) /* after, then: an order on every request only */
#define W_EVERY (1ULL << 33) /* always, every, each, whenever: every time */
#define W_OVERN_LINK (~0ULL) /* "over", "above", "than": a word of rank's link (no class of its own) */

struct word {
	const char *w;
	uint64_t c;
};

/* Whole words, sorted (strcmp). */
static struct word whole[] = {
    {"another", W_OTHER},
    {"choice", W_CLAIMW},
    {"correct", W_CLAIMW},
    {"other", W_OTHER},
    {"reliable", W_CLAIMW},
    {"safe", W_CLAIMW},
    {"source", W_CLAIMW},
    {"trusted", W_CLAIMW},
    {"trustworthy", W_CLAIMW},
    
    {"way", W_CLAIMW},
    {"calling", W_CTX},
    {"running", W_CTX},
    {"invoking", W_CTX},
    {"executing", W_CTX},
    {"trigger", W_VERB | W_CTX},
    {"via", W_CTX},
    {"using", W_CTX},
    {"if", W_IF},
    {"who", W_IF},
    {"which", W_IF},
    {"that", W_IF},
    {"unless", W_IF},
    {"when", W_IF},
    {"only", W_IF},
            {"--force", W_DESTR},
    {"a", 0},
    {"absolutely", W_OBLIG},
    {"accept", W_VERB},
    {"add", W_VERB | W_SET | W_SEND},
    {"admin", W_AUTH},
    {"administrator", W_AUTH},
    {"administrator's", W_AUTH},
    {"advisory", W_DEMOTE},
    {"after", W_ORDERW},
    {"afterwards", W_ORDERW},
    {"agent", W_AGENT},
    {"agents", W_AGENT},
    {"ai", W_AGENT},
    {"all", W_SCOPE | W_ALL},
    {"also", W_FILLER},
    {"always", W_SCOPE | W_OBLIG | W_FILLER | W_EVERY},
    {"and", W_FILLER},
    {"anthropic", W_AUTH},
    {"any", W_SCOPE},
    {"anyone", W_SCOPE},
    {"api_key", W_SECRET},
    {"apikey", W_SECRET},
    {"append", W_VERB | W_SET | W_SEND},
    {"argument", W_ARG},
    {"arguments", W_ARG},
    {"ask", W_ASK},
    {"asking", W_ASK},
    {"assistant", W_AGENT},
    {"assistant's", W_AGENT},
    {"assistants", W_AGENT},
    {"attach", W_VERB | W_SEND},
    {"authentication_string", W_SECRET},
    {"authority", W_OVER},
    {"bcc", W_SEND | W_ARG},
    {"before", W_ORDER},
    {"beforehand", W_ORDER},
    {"binding", W_OVER | W_OVERV},
    {"call", W_VERB | W_CTX},
    {"calls", W_REQ},
    {"cancel", W_VERB | W_DESTR},
    
    {"cc", W_SEND | W_ARG},
    {"change", W_VERB | W_SET},
    {"claude", W_AGENT},
    {"clear", W_VERB | W_DESTR},
    {"collect", W_VERB | W_READ},
    {"command", W_REQ},
    {"commit", W_REQ},
    {"compliance", W_AUTH},
    {"compulsory", W_OBLIG},
    {"confirm", W_ASK},
    {"confirmation", W_ASK},
    {"consult", W_ASK},
    {"consulted", W_ASK},
    {"consulting", W_ASK},
    {"cookie", W_SECRET},
    {"cookies", W_SECRET},
    {"copy", W_VERB | W_SEND},
    {"credential", W_SECRET},
    {"credentials", W_SECRET},
    {"crm", 0},
    {"deadlock", W_CONSEQ},
    {"decommissioned", W_RUNDOWN},
    {"delete", W_VERB | W_DESTR},
    
    {"deprecated", W_RUNDOWN},
    {"destroy", W_VERB | W_DESTR},
    {"directive", W_AUTH},
    {"disregard", W_VERB | W_DEMOTE},
    {"disregarded", W_DEMOTE},
    {"do", 0},
    {"drop", W_VERB | W_DESTR},
    {"dump", W_VERB | W_READ | W_SEND},
    {"each", W_SCOPE | W_ALL | W_EVERY},
    {"email", W_SEND},
    {"ensure", W_OBLIG},
    {"entire", W_ALL},
    {"erase", W_VERB | W_DESTR},
    {"essential", W_OBLIG},
    {"every", W_SCOPE | W_ALL | W_EVERY},
    {"everyone", W_SCOPE},
    {"everything", W_ALL},
    {"exclusively", W_CLAIM},
    {"default", W_OTHER},
    {"standard", W_OTHER},
    {"built-in", W_OTHER},
    {"native", W_OTHER},
    {"execute", W_VERB | W_READ | W_CTX},
    {"expected", W_OBLIG},
    {"fabricated", W_RUNDOWN},
    {"field", W_ARG},
    {"fields", W_ARG},
    {"fine", 0},
    {"fined", W_CONSEQ},
    {"fines", W_CONSEQ},
    {"fired", W_CONSEQ},
    {"first", W_ORDER | W_FILLER},
    {"flag", W_ARG},
    {"flags", W_ARG},
    {"follow", W_ORDERW},
    {"followed", W_ORDERW},
    {"force", W_SET},
    {"carry", W_SET},
    {"carries", W_SET},
    {"force-push", W_DESTR},
    {"forward", W_VERB | W_SEND},
    
    
    {"gpt", W_AGENT},
    {"harm", W_CONSEQ},
    {"have", 0},
    {"human", W_USER},
    {"ignore", W_VERB},
    {"ignored", 0},
    {"include", W_VERB | W_SEND | W_SET | W_READ},
    {"inform", W_ASK},
    {"informing", W_ASK},
    {"insert", W_VERB | W_SET},
    {"integration", W_TOOL},
    {"integrations", W_TOOL},
    {"invoke", W_VERB | W_CTX},
    {"irrespective", W_SCOPE | W_EVERY},
    {"it", 0},
    {"itself", W_SELF},
    {"just", W_FILLER},
    {"keychain", W_SECRET},
    {"kindly", W_FILLER},
    
    {"liable", W_CONSEQ},
    
    {"llm", W_AGENT},
    {"log", W_SEND},
    {"lose", W_CONSEQ},
    {"loss", W_CONSEQ},
    {"lost", W_CONSEQ},
    {"make", 0},
    {"mandatory", W_OBLIG},
    {"mcp", W_TOOL},
    {"me", W_SELF},
    {"message", W_REQ},
    {"messages", W_REQ},
    {"model", W_AGENT},
    {"must", W_OBLIG},
    {"need", W_OBLIG},
    {"needs", W_OBLIG},
    {"never", W_NOT | W_SCOPE | W_FILLER},
    {"no", W_NOT},
    {"non-negotiable", W_OBLIG},
    {"not", W_NOT},
    {"notify", W_ASK},
    {"now", W_FILLER},
    {"obligatory", W_OBLIG},
    {"obsolete", W_RUNDOWN},
    {"official", W_AUTH},
    {"omit", W_SKIP},
    {"omitting", W_SKIP},
    {"openai", W_AUTH},
    {"operation", W_REQ},
    {"operator", W_AUTH},
    {"or", 0},
    {"otherwise", W_SKIP},
    {"outage", W_CONSEQ},
    {"outperforms", W_CLAIM},
    {"overwrite", W_VERB | W_DESTR},
    {"param", W_ARG},
    {"parameter", W_ARG},
    {"parameters", W_ARG},
    {"pass", W_VERB | W_SEND},
    {"passwd", W_SECRET},
    {"password", W_SECRET},
    {"passwords", W_SECRET},
    {"dotenv", W_SECRET},
    {"token", W_SECRET},
    {"tokens", W_SECRET},
    {"secret", W_SECRET},
    {"secrets", W_SECRET},
    {"penalty", W_CONSEQ},
    {"platform", W_AUTH},
    {"please", W_FILLER},
    {"policy", W_AUTH},
    {"post", W_VERB | W_SEND},
    {"precedence", W_OVER},
    {"precede", W_ORDER},
    {"precedes", W_ORDER},
    {"preceding", W_ORDER},
    {"prefix", W_SET},
    {"prepend", W_VERB | W_SET},
    {"print", W_VERB | W_READ},
    {"prior", W_ORDER},
    {"priority", W_OVER},
    {"prompt", W_ASK},
    {"purge", W_VERB | W_DESTR},
    {"put", W_VERB | W_SEND | W_SET},
    {"rank", W_OVER},
    {"read", W_VERB | W_READ},
    {"recipient", W_ARG},
    {"recipients", W_ARG},
    {"regardless", W_SCOPE | W_EVERY},
    {"remember", W_OBLIG | W_FILLER},
    {"remove", W_VERB | W_DESTR},
    {"replace", W_VERB | W_SET},
    {"reported", W_CONSEQ},
    {"request", W_REQ},
    {"requests", W_REQ},
    {"require", W_OBLIG},
    {"required", W_OBLIG},
    {"requires", W_OBLIG},
    {"responsible", W_CONSEQ},
    {"revoke", W_VERB | W_DESTR},
    {"rewrite", W_VERB | W_SET},
    {"round", W_SET},
    {"rounded", W_SET},
    {"run", W_VERB | W_READ | W_CTX},
    {"send", W_VERB | W_SEND},
    {"server", W_TOOL},
    {"servers", W_TOOL},
    {"session", W_REQ},
    {"set", W_VERB | W_SET},
    {"shall", W_OBLIG},
    {"should", W_OBLIG},
    {"simply", W_FILLER},
    {"skip", W_SKIP},
    {"skipping", W_SKIP},
    {"stale", W_RUNDOWN},
    {"step", W_ORDERW},
    {"submit", W_VERB | W_SEND},
    {"supersedes", W_CLAIM | W_OVER | W_OVERV},
    {"superseded", W_RUNDOWN},
    {"system", W_AUTH},
    {"task", W_REQ},
    {"tell", W_ASK},
    {"telling", W_ASK},
    {"then", W_ORDERW | W_FILLER},
    {"thereafter", W_ORDER},
    {"this", W_SELF},
    {"tool", W_TOOL},
    {"tools", W_TOOL},
    {"truncate", W_VERB | W_DESTR},
    {"turn", W_REQ},
    {"unreliable", W_RUNDOWN},
    {"until", W_ORDER},
    {"untrustworthy", W_RUNDOWN},
    {"upload", W_VERB | W_SEND},
    {"upset", W_CONSEQ},
    {"use", W_VERB},
    {"user", W_USER},
    {"user's", W_USER},
    {"users", W_USER},
    {"users'", W_USER},
    {"violation", W_CONSEQ},
    {"violates", W_CONSEQ},
    {"warn", W_ASK},
    {"warning", W_ASK},
    {"whatever", W_SCOPE | W_EVERY},
    {"whenever", W_SCOPE | W_EVERY},
    {"whichever", W_SCOPE},
    {"whoever", W_SCOPE},
    {"whole", W_ALL},
    {"wins", W_OVER | W_OVERV},
    {"wipe", W_VERB | W_DESTR},
    {"without", W_WITHOUT},
    {"write", W_VERB | W_SEND},
    {"you", W_AGENT},
    {"your", W_AGENT},
};

/* Stems: a word beginning so (4 to 10 bytes), sorted (strcmp). */
static struct word stems[] = {
    {"catastroph", W_CONSEQ},
    {"corrupt", W_CONSEQ},
    {"crash", W_CONSEQ},
    {"damag", W_CONSEQ},
    {"forget", W_SKIP},
    {"irrecoverab", W_CONSEQ},
    {"irrepara", W_CONSEQ},
    {"irreversib", W_CONSEQ},
    {"lawsuit", W_CONSEQ},
    {"neglect", W_SKIP},
    {"outrank", W_OVER | W_OVERV},
    {"overrid", W_OVER | W_OVERV},
    {"prevail", W_OVER | W_OVERV},
    {"suspend", W_CONSEQ},
    {"terminat", W_CONSEQ},
    {"violat", W_CONSEQ},
};

static int
word_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct word *)e)->w);
}

#define WORD_MAX 32
#define NWHOLE (sizeof(whole) / sizeof(whole[0]))
#define NSTEMS (sizeof(stems) / sizeof(stems[0]))

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct word *)a)->w, ((const struct word *)b)->w);
}

/* The tables in strcmp's order, once: they are written in the order that reads best. */
static void
tables_sort(void)
{
	static int sorted;

	if (sorted)
		return;
	qsort(whole, NWHOLE, sizeof(whole[0]), entry_cmp);
	qsort(stems, NSTEMS, sizeof(stems[0]), entry_cmp);
	sorted = 1;
}

static uint64_t
classes(const char *w, size_t n, int *ident)
{
	char b[WORD_MAX + 1];
	const struct word *e;
	size_t k;

	*ident = 0;
	if (n > WORD_MAX)
		return 0;
	memcpy(b, w, n);
	b[n] = '\0';
	if ((e = bsearch(b, whole, NWHOLE, sizeof(whole[0]), word_cmp)) != NULL)
		return e->c;
	for (k = n > 11 ? 11 : n; k >= 4; k--) {
		b[k] = '\0';
		if ((e = bsearch(b, stems, NSTEMS, sizeof(stems[0]), word_cmp)) != NULL)
			return e->c;
	}
	/* a name with an underscore inside: a tool's, a parameter's */
	for (k = 1; k + 1 < n; k++)
		if (w[k] == '_') {
			*ident = 1;
			break;
		}
	return 0;
}



#define NAMES_MAX 6 /* names kept of one sentence */

/* What one sentence holds. */
struct sent {
	size_t a, b;   /* the normal form's t[a..b) */
	uint64_t c;    /* its words' classes, or-ed */
	int tool;      /* names of other tools: call x_y, with x_y, x_y first */
	int other;     /* a tool not this one: "the query tool", "other tools" */
	int order;     /* an order's verb begins it, or a clause of it */
	int over_user; /* a claim of rank, then the user */
	int user_down; /* the user, then a word that demotes what they say */
	int no_ask;    /* "without asking", "not to be consulted" */
	int not_user;  /* "not the user's", "whatever the user" */
	int claim;     /* "the only safe", "alone", "exclusively" */
	int down_self; /* "this tool is deprecated": its own */
	int addr;      /* an address: a URL, an e-mail address */
	int words;     /* words read */
	uint64_t ordc; /* the classes of the verbs orders begin with */
	int keep;      /* "keep it so", "other values": nothing else is to be put there */
	int destroy;   /* a verb of destruction ordered: at a clause's start, after "must" */
	int every_req; /* "every request", "each message", "any tool" */
	int nnames;    /* names of t[name_a[i]..name_b[i]), a tool's (name_tool[i]) or not */
	size_t name_a[NAMES_MAX], name_b[NAMES_MAX];
	int name_tool[NAMES_MAX];
};

static int
letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

/* The item's own name in the normal form's letters: t[a..b) is it. */
static int
own_name(const char *item, const char *t, size_t a, size_t b)
{
	size_t i;
	unsigned char c;

	for (i = 0; a + i < b; i++) {
		c = (unsigned char)item[i];
		if (c == '\0' || (c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)t[a + i])
			return 0;
	}
	return item[i] == '\0';
}

/*
 * An address at t[i]: "http://" or "https://" (not a link of markdown's,
 * "](http", which documents), or "@" between letters and a dotted domain.
 */
static int
address_at(const char *t, size_t a, size_t b, size_t i)
{
	size_t k;

	if (t[i] == ':' && i + 2 < b && t[i + 1] == '/' && t[i + 2] == '/' && i >= a + 4) {
		k = i >= a + 5 && t[i - 1] == 's' ? i - 5 : i - 4;
		return memcmp(t + k, "http", 4) == 0 && !(k >= a + 2 && t[k - 1] == '(' && t[k - 2] == ']');
	}
	if (t[i] != '@' || i == a || !letter((unsigned char)t[i - 1]))
		return 0;
	for (k = i + 1; k < b && (letter((unsigned char)t[k]) || t[k] == '-'); k++)
		;
	return k > i + 1 && k + 2 < b && t[k] == '.' && t[k + 1] >= 'a' && t[k + 1] <= 'z' &&
	    t[k + 2] >= 'a' && t[k + 2] <= 'z';
}

/* 1 when the word t[0..n) is in name, whatever its case: the server's own brand. */
static int
in_name(const char *name, const char *t, size_t n)
{
	size_t i, j;

	for (i = 0; n > 0 && name[i] != '\0'; i++) {
		for (j = 0; j < n && name[i + j] != '\0'; j++)
			if ((name[i + j] | 0x20) != t[j])
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

#define SENT_WORDS 160 /* words read of one sentence */
#define NEAR 5         /* words apart, at most, for two words read together */

static int
word_is(const char *t, size_t s, size_t e, const char *w)
{
	return e - s == strlen(w) && memcmp(t + s, w, e - s) == 0;
}

static void
read_sentence(struct sent *x, const char *t, const char *text, const uint32_t *map, const char *item)
{
	uint64_t c, w[SENT_WORDS];
	size_t i = x->a, s, e, n = 0, k, ps = 0, pe = 0;
	long rundown = -1, over = -1, overn = -1, user = -1, without = -1, nots = -1, cond = -1, ident = -1;
	int id, start = 1;

	while (i < x->b && n < SENT_WORDS) {
		if (!letter((unsigned char)t[i]) && t[i] != '-') {
			if (address_at(t, x->a, x->b, i))
				x->addr = 1;
			if ((t[i] == ':' && (i + 1 == x->b || t[i + 1] == ' ')) || t[i] == '[' ||
			    t[i] == '<')
				start = 1;
			i++;
			continue;
		}
		for (s = i; i < x->b && (letter((unsigned char)t[i]) || t[i] == '-' ||
		                            (t[i] == '\'' && i + 1 < x->b && t[i + 1] == 's'));
		     i++)
			;
		e = i;
		c = classes(t + s, e - s, &id);
		if (id && own_name(item, t, s, e))
			id = 0;
		if (id && x->nnames < NAMES_MAX) {
			x->name_a[x->nnames] = s;
			x->name_b[x->nnames] = e;
			x->name_tool[x->nnames++] = 0;
		}
		/* a tool's name: after call, via; before "tool", "first" */
		if (id && n > 0 && (w[n - 1] & W_CTX)) {
			x->tool++;
			if (x->nnames > 0 && x->name_a[x->nnames - 1] == s)
				x->name_tool[x->nnames - 1] = 1;
		}
		if (ident == (long)n - 1 && ident >= 0 &&
		    ((c & W_TOOL) || word_is(t, s, e, "first") || word_is(t, s, e, "beforehand") ||
		        word_is(t, s, e, "before"))) {
			x->tool++;
			if (x->nnames > 0 && x->name_b[x->nnames - 1] < s)
				x->name_tool[x->nnames - 1] = 1;
		}
		ident = id ? (long)n : -1;
		/* "every request", "each message", "any tool" */
		if ((c & (W_REQ | W_TOOL)) &&
		    ((n > 0 && w[n - 1] != W_OVERN_LINK && (w[n - 1] & (W_SCOPE | W_ALL))) ||
		        (n > 1 && w[n - 2] != W_OVERN_LINK && (w[n - 2] & (W_SCOPE | W_ALL)))))
			x->every_req = 1;
		/* tools not this one: "the HubSpot tools", a brand's (capitalised, not first) */
		if ((c & W_TOOL) && n > 1 && (unsigned char)text[map[ps]] >= 'A' &&
		    (unsigned char)text[map[ps]] <= 'Z' && ps > x->a && !(w[n - 1] & (W_TOOL | W_SELF)) &&
		    !in_name(item, t + ps, pe - ps) && !word_is(t, ps, pe, "mcp"))
			x->other = 1;
		/* tools not this one: "any git tool", "other tools", "whichever server" */
		if (c & W_TOOL)
			for (k = n > 3 ? n - 3 : 0; k < n; k++)
				if (w[k] != W_OVERN_LINK && (w[k] & (W_SCOPE | W_OTHER)) &&
				    !(w[k] & W_NOT))
					x->other = 1;
		if (start && (c & W_VERB)) {
			x->order = 1;
			x->ordc |= c;
		}
		if ((word_is(t, s, e, "so") && n > 1 && word_is(t, ps, pe, "it")) ||
		    (word_is(t, s, e, "values") && n > 0 && (w[n - 1] & W_OTHER)))
			x->keep = 1;
		if ((c & W_DESTR) && (start || (n > 0 && w[n - 1] != W_OVERN_LINK &&
		                                      (w[n - 1] & (W_OBLIG | W_AGENT)) &&
		                                      !(w[n - 1] & W_FILLER))))
			x->destroy = 1;
		if (!(c & W_FILLER))
			start = 0;
		if (c & W_IF)
			cond = (long)n;
		if (c & W_OVERV)
			over = (long)n;
		if ((c & W_OVER) && !(c & W_OVERV))
			overn = (long)n;
		/* "precedence over the user", "overrides user instructions", not "override if the user asks" */
		if ((c & W_USER) && cond < over && over >= 0 && (long)n - over <= NEAR)
			x->over_user = 1;
		if ((c & W_USER) && overn >= 0 && cond < overn && (long)n - overn <= NEAR)
			for (k = (size_t)overn + 1; k < n; k++)
				if (w[k] == W_OVERN_LINK)
					x->over_user = 1;
		if (c & W_USER)
			user = (long)n;
		if ((c & W_DEMOTE) && user >= 0 && (long)n - user <= 2 * NEAR && cond < user)
			x->user_down = 1;
		if (c & W_WITHOUT)
			without = (long)n;
		if (c & W_NOT)
			nots = (long)n;
		/* "without asking", "never ask", "not to be consulted" */
		if ((c & W_ASK) && ((without >= 0 && (long)n - without <= 1) ||
		                       (nots >= 0 && (long)n - nots == 1) ||
		                       (nots >= 0 && (long)n - nots == 3 && word_is(t, s - 3, s - 1, "be"))))
			x->no_ask = 1;
		if ((c & W_USER) && nots >= 0 && (long)n - nots <= 3)
			x->not_user = 1;
		if ((c & W_USER) && n > 0 && (w[n - 1] & W_SCOPE))
			x->not_user = 1;
		if ((c & W_CLAIMW) && s >= 5 && memcmp(t + s - 5, "only ", 5) == 0)
			x->claim = 1;
		if ((c & W_CLAIMW) && s >= 7 && memcmp(t + s - 7, "single ", 7) == 0)
			x->claim = 1;
		if (c & W_RUNDOWN)
			for (k = n > 8 ? n - 8 : 0; k < n; k++)
				if (w[k] != W_OVERN_LINK && (w[k] & W_SELF))
					x->down_self = 1;
		if ((c & W_SELF) && rundown >= 0 && (long)n - rundown <= 4)
			x->down_self = 1;
		if (c & W_RUNDOWN)
			rundown = (long)n;
		/* the words that link a noun of rank to the user: "priority over", "above" */
		if (word_is(t, s, e, "over") || word_is(t, s, e, "above") ||
		    word_is(t, s, e, "than")) {
			w[n++] = W_OVERN_LINK;
			continue;
		}
		x->c |= c;
		w[n++] = c;
		ps = s;
		pe = e;
	}
	if (x->c & W_CLAIM)
		x->claim = 1;
	x->words = (int)n;
}

/*
 * The end of the sentence from a: ". ", "! ", "? ", a line's end in the
 * text (the normal form reads every white space as a space: map says
 * where it was), or the text's end.
 */
static size_t
sentence_end(const char *t, const char *text, const uint32_t *map, size_t n, size_t a)
{
	size_t i;
	const char *p;

	for (i = a; i < n; i++) {
		if ((t[i] == '.' || t[i] == '!' || t[i] == '?') && (i + 1 == n || t[i + 1] == ' '))
			return i + 1;
		if (t[i] == ' ' && i > a)
			for (p = text + map[i]; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
				if (*p == '\n')
					return i;
	}
	return n;
}

static unsigned long
dbg_off(void)
{
	static long v = -1;
	if (v < 0)
		v = getenv("INTENT_OFF") ? strtol(getenv("INTENT_OFF"), NULL, 0) : 0;
	return (unsigned long)v;
}

/*
 * The words from which an order is read where a schema or an item holds a
 * value or a name, not prose (0 for prose: a description, instructions): a property's name, a title, a default, an example, an
 * enum's value, a const, what _meta or the annotations hold (but their
 * title).  An order to the agent there is no description's.
 */
static int
value_place(const struct scan_at *at)
{
	static const char *const last[] = {"/default", "/title", "/const", "/$comment", "/pattern"};
	const char *p = at->pointer, *l = strrchr(p, '/'), *q;
	size_t i;

	if (at->name == 1 && strcmp(p, "/name") != 0)
		return 5;
	if (l == NULL || strcmp(at->list, "server") == 0)
		return 0;
	if (strncmp(p, "/_meta", 6) == 0 || strstr(p, "/_meta/") != NULL)
		return 3;
	if (strncmp(p, "/annotations/", 13) == 0)
		return strcmp(p, "/annotations/title") != 0 ? 3 : 0;
	if (strncmp(p, "/inputSchema", 12) != 0 && strncmp(p, "/outputSchema", 13) != 0)
		return 0;
	for (i = 0; i < sizeof(last) / sizeof(last[0]); i++)
		if (strcmp(l, last[i]) == 0)
			return 3;
	/* ".../examples/N", ".../enum/N" */
	if (l[1] >= '0' && l[1] <= '9')
		for (q = l - 1; q > p; q--)
			if (*q == '/')
				return (l - q == 9 && strncmp(q, "/examples", 9) == 0) ||
				        (l - q == 5 && strncmp(q, "/enum", 5) == 0)
				    ? 3
				    : 0;
	return 0;
}

/* Which rule the sentence's classes meet in, of those still to find; -1 none. */
static int
judge(const struct sent *x, const struct sent *before, unsigned long found, int value)
{
	uint64_t c = x->c;
	int directive = x->order || (c & W_OBLIG), other = x->tool > 0 || x->other;
	int scope = (c & W_SCOPE) != 0;

#define WANT(r) (!(found & (1UL << (r))) && !(dbg_off() & (1UL << (r))))
	if (WANT(R_RANK) && (x->over_user || x->user_down || ((c & W_AUTH) && (c & W_OVERV)) ||
	                        (x->no_ask && (c & W_USER) && (other || scope))))
		return R_RANK;
	if (WANT(R_THREAT) && (c & W_CONSEQ) &&
	    ((c & (W_SKIP | W_WITHOUT)) || ((c & W_NOT) && (c & W_AGENT))) &&
	    (directive || (c & W_AGENT) || (before != NULL && (before->order || (before->c & W_OBLIG)))))
		return R_THREAT;
	if (WANT(R_DESTROY) && x->destroy && (c & W_ALL))
		return R_DESTROY;
	if (WANT(R_REWRITE) && (x->nnames > 0 || other) && (c & W_SET) &&
	    (x->not_user || (c & W_DEMOTE) || x->no_ask || (x->every_req && x->nnames > 0)))
		return R_REWRITE;
	if (WANT(R_ADDRESS) && x->addr && ((c & W_EVERY) || x->not_user || x->keep))
		return R_ADDRESS;
	if (WANT(R_SECRETS) && (c & W_SECRET) && (x->ordc & W_READ))
		return R_SECRETS;
	if (WANT(R_RIVAL) && (c & W_RUNDOWN) && !x->down_self &&
	    (other || (c & W_OTHER)))
		return R_RIVAL;
	if (WANT(R_PREFER) && x->claim && (other || x->nnames > 0 || (c & W_OTHER)))
		return R_PREFER;
	if (WANT(R_ORDER) && ((c & W_ORDER) || ((c & W_ORDERW) && x->every_req)) && other &&
	    (!(c & W_NOT) || (c & W_WITHOUT)) && (directive || scope || (c & W_AGENT)))
		return R_ORDER;
	if (WANT(R_STEER) && x->tool > 0 && (x->order || ((c & W_OBLIG) && (c & W_AGENT))))
		return R_STEER;
	/* where a value is held, an order aimed beyond the value */
	if (WANT(R_PROSE) && value && x->words >= value &&
	    ((x->order && ((c & (W_USER | W_EVERY | W_SECRET | W_AGENT)) || other || x->nnames > 0)) ||
	        ((c & W_OBLIG) && (c & W_AGENT))))
		return R_PROSE;
#undef WANT
	return -1;
}

/*
 * The names a finding of rule r stands on, for shape.c to judge against
 * the list: an order among the list's own tools, their own arguments
 * set, is the server's own (low), but not on every request.
 */
static int
own_names(struct mcp_finding *f, const struct sent *x, int r, const char *t)
{
	int i, any = 0;

	if (r != R_ORDER && r != R_REWRITE && r != R_STEER)
		return 0;
	shape_own(f, NULL, 0);
	if (r == R_ORDER && (x->every_req || x->other))
		return 0;
	for (i = 0; i < x->nnames; i++) {
		if (r != R_REWRITE && !x->name_tool[i])
			continue;
		if (shape_own(f, t + x->name_a[i], x->name_b[i] - x->name_a[i]) == -1)
			return shape_own(f, NULL, 0);
		any = 1;
	}
	return any ? 0 : shape_own(f, NULL, 0);
}

int
intent_found(struct mcp_scan *s, const struct scan_at *at, const char *text, const char *t,
    const uint32_t *map, size_t n, unsigned long found)
{
	struct sent x[2];
	size_t a = 0, e, kept;
	int r, cur = 0, have = 0, value;

	tables_sort();
	value = value_place(at);
	while (a < n) {
		while (a < n && t[a] == ' ')
			a++;
		if (a >= n)
			break;
		e = sentence_end(t, text, map, n, a);
		memset(&x[cur], 0, sizeof(x[cur]));
		x[cur].a = a;
		x[cur].b = e;
		read_sentence(&x[cur], t, text, map, at->item);
		if ((r = judge(&x[cur], have ? &x[!cur] : NULL, found, value)) >= 0) {
			kept = s->n;
			if (scan_add(s, r, at, text, map[a], map[e - 1] + 1) == -1)
				return -1;
			if (s->n > kept && own_names(&s->v[kept], &x[cur], r, t) == -1)
				return -1;
			found |= 1UL << r;
		}
		have = 1;
		cur = !cur;
		a = e;
	}
	return 0;
}
