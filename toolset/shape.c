/*
 * shape.c - the shapes in which a real server's honest words fire a rule
 * on words, judged on the match's clause and the whole list (mcp-rules(7),
 * FALSE POSITIVES): a finding of such a shape is kept, lowered to low.
 *
 * MCPU-P106, a tool ordering itself among its own server's tools: its
 * clause names only tools of its own list (or parameters of its own
 * item: 'fill', "fromFile") or its own brand ("other Shopify tools", a
 * capitalised word found in the list's names), with no word of a wider
 * scope (any, all, every, other, never, only, default...) that is not
 * the brand's, and the rest of the string makes no other claim of
 * precedence in the words the rule knows.  MCPU-P104, content put in a
 * parameter that the rule read in a piece of another word
 * ("USERPROFILE" read as "file") or a data record's field ("the text
 * content in the field named in the index's fieldMap"), in a string
 * naming no conversation, message, secret, credential or token.
 * MCPU-P103, a dotfile quoted in a list of three or more quoted names
 * (patterns a user may search for), with no verb that reads or passes it
 * on the line, no other file of credentials named in the string, and no
 * text the normal form would read otherwise (entities, look-alikes).
 * The rest (P111, P112, P116, P107, P115, P105, P118, P114) each by a
 * function below, named for its shape; mcp-rules(7) says each.
 * Whatever the shape, a finding is lowered only while its item has no
 * other finding above low that stays so.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scanint.h"

#define CLAUSE_MAX 320 /* bytes read each side of a match for its clause */
#define TOKENS_MAX 64  /* words of a clause, at most */
#define QUOTED_MAX 64  /* a quoted name's length, at most */
#define NAMES_MAX 4096 /* names kept for a list (its parameters' past it, not its items') */
#define ITEMS_MAX 2048 /* items' names kept past NAMES_MAX */
#define BRAND 1        /* the mark of a brand among a finding's names */
#define ANY_NAME 2     /* the mark of a name its list holds anywhere: a tool's, a parameter's */
#define STRICT_NAME 4  /* the mark of a name its list must hold, never prose (a kebab-case word) */
#define MENTIONS_MAX 4096 /* names items' texts give, kept for a list (shape_mention) */

struct tok {
	size_t a, b; /* text[a..b), the quotes left out */
	int quoted;
};

static int
word_char(int c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/*
 * A clause ends before text[i] ("." then a space, a line, "!", "?", an
 * em dash; ":" and ";" with colon 1); a sentence (colon 2) at the first four.
 */
static int
stop(const char *t, size_t len, size_t i, int colon)
{
	int next_space = i + 1 >= len || isspace((unsigned char)t[i + 1]);

	switch (t[i]) {
	case '\n':
	case '!':
	case '?':
		return 1;
	case '.':
		return next_space;
	case ':':
	case ';':
		return colon == 1 && next_space;
	case '\xe2':
		return colon != 2 && i + 2 < len && t[i + 1] == '\x80' && t[i + 2] == '\x94';
	}
	return 0;
}

/* The clause of text[start..end): *a..*b; 0 when it runs on past CLAUSE_MAX (not judged). */
static int
clause(const char *t, size_t len, size_t start, size_t end, int colon, size_t *a, size_t *b)
{
	size_t i = start, j = end;

	while (i > 0 && start - i < CLAUSE_MAX && !stop(t, len, i - 1, colon) &&
	    !(i >= 3 && stop(t, len, i - 3, colon) && t[i - 3] == '\xe2'))
		i--;
	while (j < len && j - end < CLAUSE_MAX && !stop(t, len, j, colon))
		j++;
	*a = i;
	*b = j;
	return start - i < CLAUSE_MAX && j - end < CLAUSE_MAX;
}

/* The words and quoted names of text[a..b) into v (TOKENS_MAX): how many, or -1 past it. */
static int
tokens(const char *t, size_t a, size_t b, struct tok *v)
{
	size_t i = a, j;
	int n = 0;

	while (i < b) {
		if (t[i] == '\'' || t[i] == '"' || t[i] == '`') {
			for (j = i + 1; j < b && j - i <= QUOTED_MAX && t[j] != t[i] &&
			     !isspace((unsigned char)t[j]);
			     j++)
				;
			if (j < b && t[j] == t[i] && j > i + 1) {
				if (n == TOKENS_MAX)
					return -1;
				v[n++] = (struct tok){i + 1, j, 1};
				i = j + 1;
				continue;
			}
			i++;
		} else if (word_char(t[i])) {
			for (j = i; j < b && word_char(t[j]); j++)
				;
			if (n == TOKENS_MAX)
				return -1;
			v[n++] = (struct tok){i, j, 0};
			i = j;
		} else {
			i++;
		}
	}
	return n;
}

/*
 * 1 when v is quoted as a tool's name is: not a word of prose with its
 * first letter a capital ("see 'Canceled' in the calendar": a label's).
 */
static int
quoted_name(const char *t, const struct tok *v)
{
	size_t i;

	if (!v->quoted)
		return 0;
	if (v->b - v->a < 2 || !isupper((unsigned char)t[v->a]))
		return 1;
	for (i = v->a + 1; i < v->b && islower((unsigned char)t[i]); i++)
		;
	return i < v->b;
}

/*
 * 1 when w[0..n) may be a word of prose as well as a name: in camelCase
 * ("parentTaskId", "querySelector"; not "iPhone": a capital past its
 * second letter), or with one hyphen and small letters on each side
 * ("multi-page", "read-only").  Such a name counts when its list holds
 * it, and is prose else (own_all).
 */
static int
prose_like(const char *w, size_t n)
{
	size_t i, hy = 0;

	if (n >= 4 && islower((unsigned char)w[0]))
		for (i = 2; i < n; i++)
			if (isupper((unsigned char)w[i]))
				return islower((unsigned char)w[i - 1]);
	for (i = 0; i < n; i++)
		if (w[i] == '-')
			hy++;
		else if (!islower((unsigned char)w[i]))
			return 0;
	return hy == 1 && w[0] != '-' && w[n - 1] != '-';
}

/* 1 when word v is one of the words of list (NULL-ended), case aside. */
static int
is(const char *t, const struct tok *v, const char *const *list)
{
	size_t n = v->b - v->a;

	for (; *list != NULL; list++)
		if (strlen(*list) == n && strncasecmp(t + v->a, *list, n) == 0)
			return 1;
	return 0;
}

/*
 * 1 when one of list (lower case) is in text[0..len), text[a..b) aside,
 * read in a lower-case copy by memmem: one pass of each word at the speed
 * of memory.  1 too when memory runs out (then nothing is lowered).
 */
static int
has_out(const char *t, size_t len, size_t a, size_t b, const char *const *list)
{
	char small[4096], *l = len <= sizeof(small) ? small : malloc(len);
	size_t i, n;
	int found = 0;

	if (l == NULL)
		return 1;
	for (i = 0; i < len; i++)
		l[i] = (char)tolower((unsigned char)t[i]);
	for (; *list != NULL && !found; list++) {
		n = strlen(*list);
		found = memmem(l, a, *list, n) != NULL || memmem(l + b, len - b, *list, n) != NULL;
	}
	if (l != small)
		free(l);
	return found;
}

/* name (n bytes, mark first when not 0) onto f->own; -1 when it does not fit. */
static int
own_add(struct mcp_finding *f, size_t *at, int mark, const char *name, size_t n)
{
	if (*at + (mark != 0) + n + 2 > sizeof(f->own))
		return -1;
	if (mark)
		f->own[(*at)++] = (char)mark;
	memcpy(f->own + *at, name, n);
	*at += n;
	f->own[(*at)++] = '\0';
	f->own[*at] = '\0';
	return 0;
}

/* Where the next name goes in f->own: past its last. */
static size_t
own_end(const struct mcp_finding *f)
{
	const char *p;

	for (p = f->own; *p != '\0'; p += strlen(p) + 1)
		;
	return (size_t)(p - f->own);
}

/* Words of a wider scope than the server's own tools. */
static const char *const wide[] = {"any", "all", "every", "each", "other", "others", "another",
    "alternative", "alternatives", "never", "only", "exclusively", "default", "built-in",
    "fallback", "instead", "whatever", "anything", "everything", NULL};
/* Words no brand is. */
static const char *const plain_words[] = {"this", "that", "these", "the", "other", "any", "all",
    "every", "each", "another", "your", "our", "their", "its", "my", "mcp", "built-in", "such",
    "those", "more", "some", "same", "similar", "external", "third-party", NULL};
/* Kinds of tools, that many servers serve: no brand either ("other Browser tools" is wide). */
static const char *const kinds[] = {"browser", "email", "mail", "search", "file", "files", "web",
    "database", "shell", "terminal", "command", "code", "git", "http", "fetch", "api", "map",
    "maps", "image", "chat", "message", "calendar", "document", "memory", "system", "cloud",
    "network", "payment", "crypto", "wallet", "auth", "login", "secret", "password", NULL};
static const char *const tool_words[] = {"tool", "tools", "server", "servers", "mcp", NULL};
/* Another claim of precedence, in the words of the rule (and first_step_out), anywhere in the string. */
static const char *const prefer_more[] = {"other tool", "other server", "other mcp", "another tool",
    "another server", "over alternatives", "than alternatives", "other alternatives",
    "any alternative", "no alternative", "any tool", "all tools", "every tool", "instead of any",
    "instead of all", "instead of other", "instead of the other", "use this instead",
    "use it instead", "this tool instead", "precedence", "prefer this", "prefer it", "favor this",
    "favour this", "only tool", "never use", "never call", "use any other", "use another",
    "call any other", "call another", "try another", "do not use any", "do not use other",
    "don't use any", "don't use other", "do not call any", "do not call other", "don't call any",
    "don't call other", "always use this", "always call this", "always try this", "always consult",
    "always prefer", "immediately call", "immediately use", "immediately invoke", "immediately run",
    "tool immediately", "it immediately", "this immediately", "the first tool", "before using any",
    "before calling any", "over any", "over all", NULL};

/*
 * "as the first step" (or "a first step") outside t[a..b) as a claim of
 * precedence: of, in or for every, each or any request, before something,
 * or ending its clause ("call it as the first step."); not a task's ("as
 * the first step of design system extraction").
 */
static int
first_step_out(const char *t, size_t len, size_t a, size_t b)
{
	static const char *const phrase[] = {"as the first step", "as a first step"};
	static const char *const by[] = {" of ", " in ", " for "},
	                         *const scope[] = {"every", "each", "any"};
	const char *p, *q;
	size_t i, j, k, o, n;

	for (i = 0; i < 2; i++)
		for (p = t, n = strlen(phrase[i]); (p = strcasestr(p, phrase[i])) != NULL; p++) {
			o = (size_t)(p - t);
			if (o + n > len || (o + n > a && o < b))
				continue;
			q = p + n;
			if (*q == '.' || *q == ',' || *q == ';' ||
			    strncasecmp(q, " before", 7) == 0)
				return 1;
			for (j = 0; j < 3; j++)
				for (k = 0; k < 3 && strncasecmp(q, by[j], strlen(by[j])) == 0; k++)
					if (strncasecmp(
					        q + strlen(by[j]), scope[k], strlen(scope[k])) == 0)
						return 1;
		}
	return 0;
}

/*
 * "priorit" (priority, prioritize, prioritising, highest-priority ...)
 * outside t[a..b), but "priorities", a field's plural ("the allowed issue
 * types, priorities and required custom fields differ per project").
 */
static int
priority_out(const char *t, size_t len, size_t a, size_t b)
{
	const char *p;
	size_t o;

	for (p = t; (p = strcasestr(p, "priorit")) != NULL && (size_t)(p - t) < len; p += 7) {
		o = (size_t)(p - t);
		if (o + 7 > a && o < b)
			continue;
		if (strncasecmp(p + 7, "ies", 3) == 0 && !isalpha((unsigned char)p[10]))
			continue;
		return 1;
	}
	return 0;
}

/* Another claim of precedence anywhere in the string but t[a..b). */
static int
more_claims(const char *t, size_t len, size_t a, size_t b)
{
	return has_out(t, len, a, b, prefer_more) || first_step_out(t, len, a, b) ||
	    priority_out(t, len, a, b);
}

/*
 * 1 when v names a tool, however written: quoted, with an underscore, a
 * hyphen inside, or in camelCase ("getSessionContext", "send-email").
 */
static int
tool_like(const char *t, const struct tok *v)
{
	size_t k;

	if (quoted_name(t, v) || memchr(t + v->a, '_', v->b - v->a) != NULL ||
	    (v->b - v->a > 2 && memchr(t + v->a + 1, '-', v->b - v->a - 2) != NULL))
		return 1;
	for (k = v->a + 1; k < v->b; k++)
		if (isupper((unsigned char)t[k]) && islower((unsigned char)t[k - 1]))
			return 1;
	return 0;
}

/* 1 when v, outside the match, is a word of one hyphen read as prose: "write-script". */
static int
kebab(const char *t, const struct tok *v, size_t start, size_t end)
{
	return !v->quoted && (v->b <= start || v->a >= end) &&
	    memchr(t + v->a + 1, '-', v->b - v->a - 1) != NULL && t[v->b - 1] != '-' &&
	    prose_like(t + v->a, v->b - v->a);
}

/* 1 when v is an adverb in -ly ("explicitly"), passed over before a verb. */
static int
adverb(const char *t, const struct tok *v)
{
	return !v->quoted && v->b - v->a > 3 && strncasecmp(t + v->b - 2, "ly", 2) == 0;
}

/*
 * MCPU-P106: a tool standing in for a shell's command, and for nothing
 * else: "Use this instead of find in a shell", "use this tool instead of
 * running grep in the terminal", "instead of the shell".  After "instead
 * of" only: a verb in -ing (running, using, typing), one plain word of a
 * command, in, from, on or via, a or the, then the shell (shell,
 * terminal, bash, sh, zsh, PowerShell, cmd, CLI, command line, then
 * command or commands), and the clause ends (a closing tag aside:
 * "</usage>"); before the match no word
 * of a wider scope, inside it no more than the rule's words.
 */
static int
over_shell(const char *t, const struct tok *v, int n, size_t start)
{
	static const char *const
	    shell[] = {"shell", "terminal", "bash", "sh", "zsh", "powershell", "cmd", "cli", NULL},
	    *const via[] = {"in", "from", "on", "via", "with", NULL},
	    *const det[] = {"a", "the", "your", NULL}, *const cmd[] = {"command", "commands", NULL};
	int i, k;

	for (i = 0; i < n && v[i].b <= start; i++)
		if (!v[i].quoted && (is(t, &v[i], wide) || is(t, &v[i], tool_words)))
			return 0;
	for (k = 0; k < n &&
	     !(v[k].a >= start && !v[k].quoted &&
	         is(t, &v[k], (const char *const[]){"instead", NULL}));
	     k++)
		;
	if (k + 1 >= n || !is(t, &v[k + 1], (const char *const[]){"of", NULL}))
		return 0;
	/* nothing but "this tool" or "this" between the match's verb and the "instead" */
	for (i = 0; i < k; i++)
		if (v[i].a >= start && !v[i].quoted && (is(t, &v[i], wide) || tool_like(t, &v[i])))
			return 0;
	i = k + 2;
	if (i < n && !v[i].quoted && v[i].b - v[i].a > 4 &&
	    strncasecmp(t + v[i].b - 3, "ing", 3) == 0 && !is(t, &v[i], shell))
		i++;
	/* one plain word of a command: "find", "grep" */
	if (i + 1 < n && !v[i].quoted && !is(t, &v[i], shell) && !is(t, &v[i], via) &&
	    !is(t, &v[i], det) && !tool_like(t, &v[i]) && !is(t, &v[i], wide) &&
	    !is(t, &v[i], tool_words) && islower((unsigned char)t[v[i].a]))
		i++;
	if (i < n && !v[i].quoted && is(t, &v[i], via))
		i++;
	if (i < n && !v[i].quoted && is(t, &v[i], det))
		i++;
	if (i < n && !v[i].quoted && is(t, &v[i], shell))
		i++;
	else if (i + 1 < n && is(t, &v[i], (const char *const[]){"command", NULL}) &&
	    is(t, &v[i + 1], (const char *const[]){"line", NULL}))
		i += 2;
	else
		return 0;
	if (i < n && !v[i].quoted && is(t, &v[i], cmd))
		i++;
	/* "... in a shell.</usage>": a closing tag no word of the clause */
	while (i < n && v[i].a >= 2 && t[v[i].a - 1] == '/' && t[v[i].a - 2] == '<')
		i++;
	return i == n;
}

/*
 * 1 when the clause v[0..n) puts this tool instead of a way by hand,
 * said so: "instead of" then a verb in -ing that is not a tool's use nor
 * the user's say (using, calling, running, asking, confirming ...), then
 * "in text", "manually", "by hand" or "yourself", and no tool, server or
 * word of a wider scope but that "instead" in it.
 */
static int
by_hand(const char *t, const struct tok *v, int n)
{
	static const char *const not_hand[] = {"using", "calling", "invoking", "trying", "running",
	    "executing", "relying", "consulting", "asking", "confirming", "checking", "telling",
	    "waiting", "prompting", "informing", "notifying", "showing", "requesting", NULL};
	int i, k = -1;

	for (i = 0; i + 2 < n && k < 0; i++) {
		/* "instead of manually deleting": the adverb before its verb */
		int g = i + 2 +
		    (i + 3 < n && !v[i + 2].quoted &&
		        is(t, &v[i + 2], (const char *const[]){"manually", NULL}));

		if (!v[i].quoted && is(t, &v[i], (const char *const[]){"instead", NULL}) &&
		    is(t, &v[i + 1], (const char *const[]){"of", NULL}) && !v[g].quoted &&
		    v[g].b - v[g].a > 4 && strncasecmp(t + v[g].b - 3, "ing", 3) == 0 &&
		    !is(t, &v[g], not_hand))
			k = i;
	}
	if (k < 0)
		return 0;
	/* by hand said so: "in text", "manually", "by hand", "yourself" ("fetching pages": a tool's) */
	for (i = k + 2; i < n; i++)
		if (is(t, &v[i],
		        (const char *const[]){"manually", "yourself", "hand", "text", NULL}))
			break;
	if (i == n)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == k || v[i].quoted)
			continue;
		if (is(t, &v[i], wide))
			return 0;
		/* "this tool" itself, before the "instead" */
		if (is(t, &v[i], tool_words) &&
		    !(i < k && i > 0 && is(t, &v[i], (const char *const[]){"tool", NULL}) &&
		        is(t, &v[i - 1], (const char *const[]){"this", NULL})))
			return 0;
	}
	return 1;
}

/*
 * 1 when v[i] is a word called: right after "calling" (call, invoking),
 * or after "then", "and" or "or" that follows one ("calling rename then
 * decompile"), small letters only.
 */
static int
called(const char *t, const struct tok *v, int i)
{
	static const char *const call[] = {"calling", "call", "invoking", "invoke", NULL},
	                         *const join[] = {"then", "and", "or", NULL};
	size_t k;

	for (k = v[i].a; k < v[i].b; k++)
		if (!islower((unsigned char)t[k]))
			return 0;
	if (is(t, &v[i], plain_words) || is(t, &v[i], tool_words) ||
	    is(t, &v[i], (const char *const[]){"it", "them", "one", "me", NULL}))
		return 0;
	if (i >= 1 && !v[i - 1].quoted && is(t, &v[i - 1], call))
		return 1;
	return i >= 3 && !v[i - 1].quoted && is(t, &v[i - 1], join) && !v[i - 2].quoted &&
	    !v[i - 3].quoted && is(t, &v[i - 3], call);
}

/* MCPU-P106: a clause naming only its own server's tools or brand; the names into f->own. */
static int
prefer_shape(struct mcp_finding *f, const char *t, size_t len, size_t start, size_t end)
{
	struct tok v[TOKENS_MAX];
	size_t a, b, at = 0;
	int n, i, k, brand[TOKENS_MAX] = {0}, names = 0, ok;
	/* "X cannot set it; use this tool instead": what it stands in for, named before in its sentence */
	int instead = end - start > 7 && strncasecmp(t + end - 7, "instead", 7) == 0 &&
	    !(end + 3 <= len && strncasecmp(t + end, " of", 3) == 0);

	if (!clause(t, len, start, end, instead ? 2 : 1, &a, &b) || (n = tokens(t, a, b, v)) < 0)
		return SHAPE_NONE;
	/*
	 * "always call this tool twice.": how it is called, the clause's end,
	 * and no other claim in the string
	 */
	if (end + 6 < len && strncasecmp(t + end, " twice", 6) == 0 && end + 6 == b &&
	    end - start >= 9 && strncasecmp(t + end - 9, "this tool", 9) == 0 &&
	    !more_claims(t, len, start, end + 6))
		return SHAPE_LOW;
	f->own[0] = '\0';
	for (i = 0; i < n; i++) {
		if (v[i].b > start && v[i].a < end)
			continue;
		/*
		 * "instead of calling rename then decompile": plain words called,
		 * names only when its list holds them (own_all)
		 */
		if (!v[i].quoted && called(t, v, i)) {
			if (own_add(f, &at, 0, t + v[i].a, v[i].b - v[i].a) == -1)
				return SHAPE_NONE;
			names++;
			continue;
		}
		if ((!v[i].quoted && prose_like(t + v[i].a, v[i].b - v[i].a) &&
		        memchr(t + v[i].a, '-', v[i].b - v[i].a) == NULL) ||
		    quoted_name(t, &v[i]) || memchr(t + v[i].a, '_', v[i].b - v[i].a) != NULL ||
		    (memchr(t + v[i].a + 1, '-', v[i].b - v[i].a - 1) != NULL &&
		        t[v[i].b - 1] != '-' &&
		        memchr(t + v[i].a, '-', v[i].b - v[i].a) !=
		            memrchr(t + v[i].a, '-', v[i].b - v[i].a))) {
			if (own_add(f, &at, 0, t + v[i].a, v[i].b - v[i].a) == -1)
				return SHAPE_NONE;
			names++;
		} else if (i > 0 && is(t, &v[i], (const char *const[]){"tool", "tools", NULL}) &&
		    !v[i - 1].quoted && isupper((unsigned char)t[v[i - 1].a]) &&
		    v[i - 1].b - v[i - 1].a >= 4 && !is(t, &v[i - 1], plain_words) &&
		    !is(t, &v[i - 1], kinds) && (v[i - 1].b <= start || v[i - 1].a >= end)) {
			brand[i - 1] = 1;
			if (own_add(f, &at, BRAND, t + v[i - 1].a, v[i - 1].b - v[i - 1].a) == -1)
				return SHAPE_NONE;
			names++;
		}
	}
	/* "instead of listing options in text": a way by hand, no tool, stood in for */
	if (names == 0 && (by_hand(t, v, n) || over_shell(t, v, n, start)) &&
	    !more_claims(t, len, a, b))
		return SHAPE_LOW;
	/* Each word of a wider scope the brand's: "any other Shopify tools". */
	for (i = 0; i < n; i++) {
		if ((v[i].b > start && v[i].a < end) || v[i].quoted || !is(t, &v[i], wide))
			continue;
		/* "when you only need its properties": the case narrowed, no claim */
		if (i >= 2 && is(t, &v[i], (const char *const[]){"only", NULL}) &&
		    is(t, &v[i - 1], (const char *const[]){"you", NULL}) &&
		    is(t, &v[i - 2], (const char *const[]){"when", "if", NULL}))
			continue;
		for (ok = 0, k = i + 1; k < n && k <= i + 3 && !ok; k++) {
			if (brand[k])
				ok = 1;
			else if (is(t, &v[k], tool_words))
				break;
		}
		if (!ok)
			return SHAPE_NONE;
	}
	/*
	 * "Use this instead of write-script": with no other name, each word
	 * of one hyphen is a name too (STRICT_NAME), lowered only when its
	 * list holds every one of them ("write-script or run-shell" is not)
	 */
	for (i = 0, k = names; k == 0 && i < n; i++)
		if (kebab(t, &v[i], start, end)) {
			if (own_add(f, &at, STRICT_NAME, t + v[i].a, v[i].b - v[i].a) == -1)
				return SHAPE_NONE;
			names++;
		}
	/* The rest of the string read last, and only then: the cost stays with the shapes. */
	return names > 0 && !more_claims(t, len, a, b) ? SHAPE_OWN : SHAPE_NONE;
}

/*
 * Words of a call order on more than once, or beyond the server: every
 * message, each turn, always, again, another server's tools, whatever
 * the request.
 */
static const char *const setup_wide[] = {"every", "each", "always", "again", "repeatedly",
    "message", "messages", "request", "requests", "turn", "turns", "prompt", "prompts", "question",
    "questions", "reply", "replies", "answer", "answers", "answering", "replying", "responding",
    "interaction", "interactions", "conversation", "conversations", "chat", "regardless", "even",
    "unrelated", "whatever", "whichever", "anything", "everything", "nothing", "never", "including",
    "server", "servers", "time", "times", "invocation", "invocations", "action", "actions", "task",
    "tasks", "only", NULL};

/*
 * MCPU-P111, MCPU-P106: a tool that sets up the rest asking to be called
 * first ("This tool must be called before using any other tools", "Call
 * this once at the beginning of any session"): its sentence speaks of
 * itself (this, it, its own name), names no tool but its list's, and
 * asks to come first (first, before, once, at the start), and puts the
 * order on nothing more than once or beyond its server (no every, each,
 * message, turn, always, server ...).  Low when another
 * item of the list names it too (shape_lower): the server's own
 * tools depend on it (learn_shopify_api's conversationId,
 * set_project_root).  The names into f->own.
 */
static int
setup_shape(struct mcp_finding *f, const char *t, size_t len, size_t start, size_t end)
{
	struct tok v[TOKENS_MAX];
	size_t a, b, at = 0, n = strlen(f->item);
	int m, i, self = 0, first = 0;

	if (strcmp(f->list, "tool") != 0 || n == 0 || !clause(t, len, start, end, 2, &a, &b) ||
	    (m = tokens(t, a, b, v)) < 0)
		return SHAPE_NONE;
	f->own[0] = '\0';
	for (i = 0; i < m; i++) {
		if (v[i].b - v[i].a == n && strncasecmp(t + v[i].a, f->item, n) == 0) {
			self = 1;
		} else if (is(t, &v[i], setup_wide)) {
			return SHAPE_NONE;
		} else if (is(t, &v[i], (const char *const[]){"this", "it", "itself", NULL})) {
			self = 1;
		} else if (is(t, &v[i],
		               (const char *const[]){"first", "before", "prior", "once",
		                   "beginning", "start", "ahead", "initially", NULL})) {
			first = 1;
		} else if (quoted_name(t, &v[i]) ||
		    memchr(t + v[i].a, '_', v[i].b - v[i].a) != NULL) {
			if (own_add(f, &at, ANY_NAME, t + v[i].a, v[i].b - v[i].a) == -1)
				return SHAPE_NONE;
		}
	}
	return self && first ? SHAPE_SETUP : SHAPE_NONE;
}

/* The words of what a request must never carry, anywhere in the string. */
static const char *const convo_words[] = {"conversation", "chat", "messages", "system prompt",
    "sidenote", "secret", "credential", "password", "private key", "api key", "api_key", "apikey",
    "token", NULL};

/*
 * MCPU-P104: what is put named by the parameter that carries it, the
 * tool's own input: "the API key in the `apiKey` parameter", "the file's
 * content as the content argument", not "the API key in the `note`
 * field"; a conversation or messages never (a tool's "chat_history"
 * taking the whole chat is what the rule is for).
 */
static int
carried_shape(const char *t, size_t start, size_t end)
{
	static const char *const carried[] = {
	    "key", "token", "content", "file", "data", "credential", "secret", "password", NULL};
	static const char *const last[] = {"parameter", "param", "argument", "arg", "field", NULL};
	static const char *const into[] = {"in", "into", "as", "inside", NULL};
	struct tok v[TOKENS_MAX];
	size_t n;
	int m, k, j;

	if ((m = tokens(t, start, end, v)) < 3 || !is(t, &v[m - 1], last))
		return 0;
	/* a conversation, whatever carries it */
	if (has_out(t + start, end - start, 0, 0,
	        (const char *const[]){
	            "conversation", "chat", "history", "message", "prompt", NULL}))
		return 0;
	for (k = 0; k < m - 2 && !is(t, &v[k], into); k++)
		for (j = 0; carried[j] != NULL; j++) {
			n = strlen(carried[j]);
			if (v[k].b - v[k].a >= n && strncasecmp(t + v[k].a, carried[j], n) == 0 &&
			    has_out(t + v[m - 2].a, v[m - 2].b - v[m - 2].a, 0, 0,
			        (const char *const[]){carried[j], NULL}))
				return 1;
		}
	return 0;
}

/* MCPU-P104: content put in a parameter read in a piece of a word, or a record's field. */
static int
convo_shape(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const weak[] = {"file", "data", "content", NULL};
	/* past its first four, what a request must not carry */
	static const char *const strong[] = {"content", "contents", "data", "file", "key", "keys",
	    "token", "tokens", "credential", "credentials", "secret", "secrets", "conversation",
	    "messages", NULL};
	static const char *const field_ends[] = {" in the field", " into the field",
	    " as the field", " in a field", " into a field", " as a field", NULL};
	struct tok v[TOKENS_MAX], w;
	size_t i, n;
	int k, m;

	for (w.a = w.b = start; w.b < end && isalpha((unsigned char)t[w.b]); w.b++)
		;
	w.quoted = 0;
	/* A piece of a longer word: "USERPROFILE" read as "file". */
	if (start > 0 && isalpha((unsigned char)t[start - 1])) {
		for (k = 0; weak[k] != NULL; k++)
			if (w.b - w.a >= strlen(weak[k]) &&
			    strncasecmp(t + w.a, weak[k], strlen(weak[k])) == 0)
				break;
		if (weak[k] == NULL || (m = tokens(t, w.b, end, v)) < 0)
			return SHAPE_NONE;
		for (k = 0; k < m; k++)
			if (is(t, &v[k], strong))
				return SHAPE_NONE;
		return has_out(t, len, 0, 0, convo_words) ? SHAPE_NONE : SHAPE_LOW;
	}
	if (carried_shape(t, start, end))
		return SHAPE_LOW;
	/* what is refused: "No credentials accepted as parameters", "never secrets in a field" */
	for (i = start; i > 0 && t[i - 1] == ' '; i--)
		;
	for (n = i; n > 0 && isalpha((unsigned char)t[n - 1]); n--)
		;
	if (i > n &&
	    ((i - n == 2 && strncasecmp(t + n, "no", 2) == 0) ||
	        (i - n == 5 && strncasecmp(t + n, "never", 5) == 0)) &&
	    (k = tokens(t, w.b, end, v)) >= 2 &&
	    is(t, &v[0],
	        (const char *const[]){"accepted", "allowed", "permitted", "stored", "passed",
	            "taken", "needed", "required", "sent", NULL}) &&
	    memchr(t + start, ':', end - start) == NULL &&
	    memchr(t + start, '?', end - start) == NULL)
		return SHAPE_LOW;
	/*
	 * Data of no kind put in a parameter: "sends the data as query
	 * parameters", "the file name as the search parameter", where nothing
	 * in the string is a conversation's or a secret's.
	 */
	if (is(t, &w, (const char *const[]){"content", "contents", "data", "file", NULL}) &&
	    (m = tokens(t, w.b, end, v)) >= 0 && !has_out(t, len, 0, 0, convo_words)) {
		for (k = 0; k < m; k++)
			if (is(t, &v[k], strong + 4))
				break;
		if (k == m)
			return SHAPE_LOW;
	}
	/* A record's field: "the text content in the field named in the index's". */
	if (!is(t, &w, (const char *const[]){"content", "contents", "data", NULL}) ||
	    memchr(t + start, '"', end - start) != NULL ||
	    memchr(t + start, '\'', end - start) != NULL ||
	    memchr(t + start, '`', end - start) != NULL)
		return SHAPE_NONE;
	for (k = 0; field_ends[k] != NULL; k++) {
		n = strlen(field_ends[k]);
		if (end - start >= n && strncasecmp(t + end - n, field_ends[k], n) == 0)
			break;
	}
	if (field_ends[k] == NULL)
		return SHAPE_NONE;
	for (i = w.b; i < end - n; i++)
		if (!isspace((unsigned char)t[i]))
			return SHAPE_NONE;
	if (strncasecmp(t + end, " named ", 7) != 0 && strncasecmp(t + end, " of ", 4) != 0)
		return SHAPE_NONE;
	return has_out(t, len, 0, 0, convo_words) ? SHAPE_NONE : SHAPE_LOW;
}

/* The files of credentials the rule names, as a reader would write them. */
static const char *const secret_files[] = {".env", "ssh", "id_rsa", "id_ed25519", "id_ecdsa",
    ".aws", "netrc", "npmrc", "pypirc", "/etc/", ".kube", ".docker", "mcp.json", "claude_desktop",
    ".cursor", "git-credentials", "bash_history", NULL};
/* Those that hold keys, not a project's settings: all but .env, the first. */
#define key_files (secret_files + 1)
/* Verbs that read a file or pass it on. */
static const char *const pass_words[] = {"read", "reads", "pass", "send", "include", "upload",
    "attach", "cat", "content", "contents", "copy", "post", "print", "show", "output", "return",
    "leak", "put", "append", "paste", "forward", "dump", "reveal", "insert", "load", "open",
    "sidenote", "parameter", "argument", "field", "exfiltrate", NULL};

/*
 * 1 when text reads as written: no entity, no run of base64, no letter
 * outside ASCII (punctuation, arrows, symbols and emoji allowed).
 */
static int
plain(const char *t, size_t len)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		run = isalnum(u[i]) || u[i] == '+' || u[i] == '/' || u[i] == '=' ? run + 1 : 0;
		if (run >= 40 || u[i] == '&' || u[i] == '%')
			return 0;
		if (u[i] < 0x80)
			continue;
		if (u[i] == 0xe2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f &&
		    !(u[i + 1] == 0x80 && i + 2 < len && u[i + 2] < 0x90))
			i += 2;
		else if (u[i] == 0xf0 && i + 1 < len && u[i + 1] == 0x9f)
			i += 3;
		else if (u[i] == 0xef && i + 2 < len && u[i + 1] == 0xb8 && u[i + 2] == 0x8f)
			i += 2;
		else
			return 0;
	}
	return 1;
}

/*
 * MCPU-P103: nothing read or passed in the clause, and a dotfile quoted
 * among three or more names, or the server's own settings said kept there.
 */
static int
files_shape(const char *t, size_t len, size_t start, size_t end)
{
	struct tok v[TOKENS_MAX];
	size_t a, b, qa = 0, qb = 0;
	int n, i, quoted = 0, hit = 0;

	if (!plain(t, len))
		return SHAPE_NONE;
	if (!clause(t, len, start, end, 0, &a, &b) || (n = tokens(t, a, b, v)) < 0)
		return SHAPE_NONE;
	for (i = 0; i < n; i++) {
		if (!v[i].quoted) {
			if (is(t, &v[i], pass_words))
				return SHAPE_NONE;
			continue;
		}
		quoted++;
		if (v[i].a <= end && v[i].b >= start && v[i].a >= start) {
			hit++;
			qa = v[i].a;
			qb = v[i].b;
		}
	}
	/* where the server keeps its own settings: "Tokens are saved to .env", "set in .env" (no key file) */
	if (!has_out(t, len, 0, 0, key_files) &&
	    has_out(t + a, b - a, 0, 0,
	        (const char *const[]){"saved to", "stored in", "persisted", "written to",
	            "configured in", " set in", "requires", "taken from", "loaded from", NULL}))
		return SHAPE_LOW;
	if (quoted < 3 || hit != 1 || has_out(t, len, qa, qb, secret_files))
		return SHAPE_NONE;
	return SHAPE_LOW;
}

/* Words that put a call order on more than the server's own tools. */
static const char *const order_wide[] = {"any", "all", "every", "each", "another", "whatever",
    "whichever", "anything", "everything", "nothing", "never", "session", "turn", "conversation",
    "message", "request", NULL};

/*
 * MCPU-P111 and MCPU-P112: a clause that names tools (quoted, or with an
 * underscore), each of them its own list's, no word of a wider scope
 * anywhere in it, and no other claim of precedence in the string: the
 * order of its own server's calls ("Call list_tables first"), or what its
 * own tool is to be given.
 */
/*
 * 1 when t[i] is inside a parenthesis of examples, opened after a: "(e.g.,
 * \"All Mail\", \"Starred\")" names folders, no tools and no scope.
 */
static int
in_example(const char *t, size_t a, size_t i)
{
	static const char *const ex[] = {
	    "e.g.", "eg.", "eg,", "i.e.", "for example", "such as", NULL};
	int depth = 0, k;

	while (i > a) {
		i--;
		if (t[i] == ')') {
			depth++;
		} else if (t[i] == '(' && depth-- == 0) {
			for (k = 0; ex[k] != NULL; k++)
				if (strncasecmp(t + i + 1, ex[k], strlen(ex[k])) == 0)
					return 1;
			return 0;
		}
	}
	return 0;
}

/*
 * 1 when v[i] is "nothing" the subject of what the server does, said in
 * the passive: "Nothing is sent to the customer until send_invoice",
 * "and nothing gets charged before ...": its clause's first word (or
 * after and, but, so), then within four words is, are, was, were, be or
 * gets and a participle of the server's own effect (sent, charged,
 * published, deleted, created, saved ...); no "else" after it, and no
 * word of others' (other, others, server, servers) in the clause.
 * "Nothing may be called until ...", "Nothing else gets processed",
 * "Do nothing until ..." keep their scope.
 */
static int
nothing_done(const char *t, const struct tok *v, int n, int i)
{
	static const char *const aux[] = {"is", "are", "was", "were", "be", "gets", "get", NULL},
	                         *const effect[] = {"sent", "charged", "paid", "billed",
	                             "published", "posted", "emailed", "submitted", "deleted",
	                             "removed", "created", "saved", "stored", "written",
	                             "committed", "applied", "changed", "modified", "deployed",
	                             "merged", "released", "refunded", "transferred", "shipped",
	                             "delivered", "made", "booked", "ordered", "scheduled",
	                             "cancelled", "canceled", "uploaded", "imported", "overwritten",
	                             NULL},
	                         *const others[] = {"else", "other", "others", "another", "server",
	                             "servers", NULL};
	int k;

	if (v[i].quoted || !is(t, &v[i], (const char *const[]){"nothing", NULL}) ||
	    (i > 0 && !is(t, &v[i - 1], (const char *const[]){"and", "but", "so", NULL})))
		return 0;
	for (k = 0; k < n; k++)
		if (!v[k].quoted && is(t, &v[k], others))
			return 0;
	for (k = i + 1; k + 1 < n && k <= i + 4; k++)
		if (is(t, &v[k], aux))
			return !v[k + 1].quoted && is(t, &v[k + 1], effect);
	return 0;
}

/* The tools a clause (from a) names (quoted, or with an underscore) into f->own: how many, -1
 * when a word of order_wide is in it (wide) or the names do not fit. */
static int
clause_names(struct mcp_finding *f, const char *t, size_t a, const struct tok *v, int n, int scope)
{
	size_t at = 0;
	int i, k, names = 0;

	f->own[0] = '\0';
	for (i = 0; i < n; i++) {
		if (in_example(t, a, v[i].a))
			continue;
		/* "Nothing is sent until finalize_invoice": what the server does, no scope */
		if (scope && nothing_done(t, v, n, i))
			continue;
		/* "before any other Acme tools": a wide word its brand's */
		if (scope && !v[i].quoted && is(t, &v[i], order_wide)) {
			for (k = i + 1; k + 1 < n && k <= i + 3; k++)
				if (!v[k].quoted && isupper((unsigned char)t[v[k].a]) &&
				    v[k].b - v[k].a >= 4 && !is(t, &v[k], plain_words) &&
				    !is(t, &v[k], kinds) && is(t, &v[k + 1], tool_words))
					break;
			if (k + 1 >= n || k > i + 3)
				return -1;
			if (own_add(f, &at, BRAND, t + v[k].a, v[k].b - v[k].a) == -1)
				return -1;
			names++;
			i = k + 1;
			continue;
		}
		if (quoted_name(t, &v[i]) || memchr(t + v[i].a, '_', v[i].b - v[i].a) != NULL ||
		    (memchr(t + v[i].a + 1, '-', v[i].b - v[i].a - 1) != NULL &&
		        t[v[i].b - 1] != '-')) {
			if (own_add(f, &at, 0, t + v[i].a, v[i].b - v[i].a) == -1)
				return -1;
			names++;
			/*
			 * a call written out, "get_docs(entity_type=\"view\")": its
			 * arguments' names and values no tools (a key before "=", a value
			 * after it), anything else in it read as ever
			 */
			if (!v[i].quoted && t[v[i].b] == '(')
				while (i + 1 < n &&
				    (t[v[i + 1].b + v[i + 1].quoted] == '=' ||
				        t[v[i + 1].a - 1 - v[i + 1].quoted] == '='))
					i++;
		}
	}
	return names;
}

/*
 * MCPU-P111: "nothing" or "no" before until, before, unless or prior,
 * then a time, no call: "nothing on or before this date can be deleted",
 * "no refund until the end of the period".  The time word (date, time,
 * deadline, day, midnight, expiry, period, month, year, week, hour, end,
 * cut-off; after the, this, a, its, lock, due ... at most two) ends its
 * clause, or comes before a number or a word of a time, or "end" is of
 * one ("the end of the month").  Its sentence names no tool (however
 * written) and has no word of calling, sending or a turn (call, run, use,
 * invoke, execute, send, tool, server, token, request, message, answer,
 * reply, turn, session).
 */
static int
until_a_time(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const time_words[] = {"date", "dates", "time", "deadline", "day", "days",
	    "midnight", "noon", "expiry", "expiration", "timestamp", "period", "month", "year",
	    "week", "hour", "cutoff", "cut-off", NULL},
	                         *const det[] = {"the", "this", "that", "a", "its", "their", "your",
	                             "said", "given", "lock", "due", "start", "start-of", NULL},
	                         *const calls[] = {"call", "calls", "calling", "called", "run",
	                             "running", "use", "using", "used", "invoke", "invoking",
	                             "invoked", "execute", "executing", "send", "sends", "sending",
	                             "sent", "tool", "tools", "server", "servers", "token",
	                             "tokens", "request", "requests", "message", "messages",
	                             "answer", "answering", "reply", "respond", "responding",
	                             "turn", "session", NULL};
	struct tok v[TOKENS_MAX];
	size_t a, b;
	int i, k, m;

	if (!(end - start > 2 &&
	        (strncasecmp(t + start, "nothing", 7) == 0 ||
	            strncasecmp(t + start, "no ", 3) == 0)) ||
	    !clause(t, len, start, end, 2, &a, &b) || (m = tokens(t, a, b, v)) < 0)
		return 0;
	for (i = 0; i < m; i++)
		if (tool_like(t, &v[i]) || (!v[i].quoted && is(t, &v[i], calls)))
			return 0;
	for (i = 0; i < m && v[i].a < end; i++)
		;
	for (k = i; k < m && k < i + 2 && !v[k].quoted && is(t, &v[k], det); k++)
		;
	if (k >= m || v[k].quoted)
		return 0;
	/* "the end of the month": end, then of, then a time */
	if (is(t, &v[k], (const char *const[]){"end", NULL})) {
		if (k + 1 >= m || !is(t, &v[k + 1], (const char *const[]){"of", NULL}))
			return 0;
		for (k += 2; k < m && k < i + 6 && !v[k].quoted && is(t, &v[k], det); k++)
			;
		if (k >= m || v[k].quoted)
			return 0;
	}
	if (!is(t, &v[k], time_words))
		return 0;
	/* what follows the time: the clause's end, a number, or a time's word */
	return k + 1 == m || isdigit((unsigned char)t[v[k + 1].a]) ||
	    (k + 1 < m && is(t, &v[k + 1], time_words)) ||
	    (k + 1 < m && !v[k + 1].quoted &&
	        is(t, &v[k + 1],
	            (const char *const[]){
	                "can", "cannot", "may", "will", "is", "are", "has", "have", NULL}));
}

/* Words of calling, sending, a record or a secret: no person's check (user_first, after_user). */
static const char *const user_calls[] = {"call", "calling", "run", "running", "use", "using",
    "invoke", "invoking", "execute", "executing", "tool", "tools", "read", "send", "pass",
    "include", "post", "forward", "upload", "copy", "put", "log", "share", "fetch", "query",
    "submit", "transcript", "history", "chat", "conversation", "server", "servers", "email",
    "emails", "message", "messages", "summarize", "attach", "password", "passwords", "token",
    "tokens", "key", "keys", "secret", "secrets", "credential", "credentials", "pin", "code",
    "codes", "otp", "2fa", "cvv", "card", "ssn", "seed", "phrase", "mnemonic", "login", "parameter",
    "argument", "field", NULL};

/*
 * MCPU-P111: a tool to be used only after the user's word: "This tool
 * should only be used after explicitly asking the user to select one".
 * Its match says "only (be) used after" (called, run, invoked, executed;
 * once); then (one word in -ly aside) asking,
 * confirming with, checking with or consulting the user, or the user
 * and (has, have) a verb of their say (confirmed, approved, selected,
 * chosen, asked, agreed, requested; confirms, approves, asks, chooses,
 * selects, says); asked, what follows is whether, which, if, or to
 * select, choose, pick, confirm, approve, or nothing ("asking the user
 * for" a thing is no check).  The clause names no tool however written,
 * has no word of user_calls but "this tool", and none of before, every,
 * each, again, then, anything, always, whenever, ahead, also, too,
 * first, any.
 */
static int
after_user(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const ask[] = {"asking", "confirming", "checking", "consulting", NULL},
	                         *const again[] = {"before", "every", "each", "again", "then",
	                             "anything", "always", "whenever", "ahead", "also", "too",
	                             "first", "any", NULL},
	                         *const say[] = {"confirmed", "approved", "selected", "chosen",
	                             "asked", "agreed", "requested", "confirms", "approves", "asks",
	                             "chooses", "selects", "says", "agrees", "requests", NULL};
	struct tok v[TOKENS_MAX];
	size_t a, b;
	int i, n, k;

	if (!clause(t, len, start, end, 1, &a, &b) || (n = tokens(t, a, b, v)) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (tool_like(t, &v[i]) ||
		    (!v[i].quoted &&
		        ((is(t, &v[i], user_calls) &&
		             !(i > 0 && is(t, &v[i], (const char *const[]){"tool", NULL}) &&
		                 is(t, &v[i - 1], (const char *const[]){"this", NULL}))) ||
		            is(t, &v[i], again))))
			return 0;
	/* "only (be) used after": the order's own words, in the match */
	for (k = 2; k < n; k++)
		if (v[k].a >= start && v[k].b <= end &&
		    is(t, &v[k], (const char *const[]){"after", "once", NULL}) &&
		    is(t, &v[k - 1],
		        (const char *const[]){
		            "used", "called", "run", "invoked", "executed", NULL}) &&
		    (is(t, &v[k - 2], (const char *const[]){"only", NULL}) ||
		        (k >= 3 && is(t, &v[k - 2], (const char *const[]){"be", NULL}) &&
		            is(t, &v[k - 3], (const char *const[]){"only", NULL}))))
			break;
	if (k++ >= n)
		return 0;
	if (k < n && adverb(t, &v[k]))
		k++;
	if (k < n && is(t, &v[k], ask)) {
		k++;
		if (k < n && is(t, &v[k], (const char *const[]){"with", NULL}))
			k++;
		if (!(k + 1 < n && is(t, &v[k], (const char *const[]){"the", NULL}) &&
		        is(t, &v[k + 1], (const char *const[]){"user", NULL})))
			return 0;
		/* what the user is asked: whether, which, to select or confirm; nothing for them to give */
		k += 2;
		return k == n ||
		    is(t, &v[k], (const char *const[]){"whether", "if", "which", NULL}) ||
		    (k + 1 < n && is(t, &v[k], (const char *const[]){"to", NULL}) &&
		        is(t, &v[k + 1],
		            (const char *const[]){
		                "select", "choose", "pick", "confirm", "approve", NULL}));
	}
	if (k < n && is(t, &v[k], (const char *const[]){"the", NULL}))
		k++;
	if (k >= n || !is(t, &v[k], (const char *const[]){"user", NULL}))
		return 0;
	k++;
	if (k < n && is(t, &v[k], (const char *const[]){"has", "have", NULL}))
		k++;
	if (k < n && adverb(t, &v[k]))
		k++;
	return k < n && is(t, &v[k], say);
}

/*
 * MCPU-P111: a sentence that ends in the user's check: "For any operation
 * that deletes resources, you must confirm with the user before
 * execution".  Its last "with the user" or "ask the user" (not "for" a
 * thing) is followed by nothing but "first", or "before" or "prior to"
 * and three words at most; the sentence names no tool however written,
 * and has no word of user_calls nor a denial.  Another clause after the
 * check ("and give ledger the user's messages", ", then hand the
 * conversation to ...") is no check.
 */
static int
user_last(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const with[] = {"with the user", "ask the user", "asking the user",
	    NULL},
	                         *const denial[] = {"not", "no", "never", "don't", "nothing", NULL};
	struct tok v[TOKENS_MAX];
	size_t a, b, p, last = 0, w;
	int i, n, ask = 0, words = 0;

	if (!clause(t, len, start, end, 2, &a, &b) || (n = tokens(t, a, b, v)) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (tool_like(t, &v[i]) ||
		    (!v[i].quoted && (is(t, &v[i], user_calls) || is(t, &v[i], denial))))
			return 0;
	for (p = a; p < b; p++)
		for (i = 0; with[i] != NULL; i++)
			if (b - p >= (w = strlen(with[i])) && strncasecmp(t + p, with[i], w) == 0 &&
			    (p == a || !isalpha((unsigned char)t[p - 1]))) {
				last = p + w;
				ask = i > 0;
			}
	if (last == 0 || (ask && b - last >= 4 && strncasecmp(t + last, " for", 4) == 0))
		return 0;
	for (p = last; p < b && t[p] == ' '; p++)
		;
	if (b - p >= 5 && strncasecmp(t + p, "first", 5) == 0)
		p += 5;
	else if (b - p >= 6 && strncasecmp(t + p, "before", 6) == 0)
		p += 6;
	else if (b - p >= 8 && strncasecmp(t + p, "prior to", 8) == 0)
		p += 8;
	else
		return p >= b || strchr(".!?", t[p]) != NULL;
	/* three words at most, letters and spaces, then the sentence's end */
	for (; p < b && strchr(".!?", t[p]) == NULL; p++) {
		if (t[p] == ' ' && p + 1 < b && isalpha((unsigned char)t[p + 1]))
			words++;
		else if (t[p] != ' ' && !isalpha((unsigned char)t[p]) && t[p] != '-')
			return 0;
	}
	return words <= 3;
}

/*
 * MCPU-P111: an order whose first step is the user's word, not a call:
 * "Confirm the amount with the user before any tool that moves money",
 * "Ask the user whether to go on before any other tool".  Its sentence
 * begins with confirm, clarify, check, verify or ask, and has "with the
 * user" ("ask the user" followed by whether, if, which, or to confirm,
 * approve); after the match nothing or a clause of that, which or who;
 * the sentence (past its semicolons and colons) names no tool however
 * written and has no word of calling, sending, a record or a secret
 * (call, use, run, tool, read, send, post, forward, upload, copy, put,
 * log, share, fetch, query, submit, transcript, history, server,
 * password, token, key, secret, credential, pin, code, seed, card ...);
 * a next sentence that begins with then, next, afterwards or after is
 * read with it.  What it asks first is a person's check, not a call.
 */
static int
user_first(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const rel[] = {"that", "which", "who", NULL},
	                         *const then[] = {
	                             "then", "next", "afterwards", "after", "also", NULL};
	struct tok v[TOKENS_MAX], w[TOKENS_MAX];
	size_t a, b, c, d;
	int i, n, m, user = 0;

	if (!clause(t, len, start, end, 2, &a, &b) || (n = tokens(t, a, b, v)) <= 0 ||
	    v[0].quoted ||
	    !is(t, &v[0],
	        (const char *const[]){"confirm", "clarify", "check", "verify", "ask", NULL}))
		return 0;
	for (i = 1; i < n; i++) {
		if (v[i].b > start && v[i].a < end)
			continue;
		if (tool_like(t, &v[i]) || (!v[i].quoted && is(t, &v[i], user_calls)))
			return 0;
		if (v[i].b <= start && i + 2 < n &&
		    is(t, &v[i], (const char *const[]){"with", NULL}) &&
		    is(t, &v[i + 1], (const char *const[]){"the", NULL}) &&
		    is(t, &v[i + 2], (const char *const[]){"user", NULL}))
			user = 1;
		if (v[i].b <= start && i == 2 && is(t, &v[0], (const char *const[]){"ask", NULL}) &&
		    is(t, &v[1], (const char *const[]){"the", NULL}) &&
		    is(t, &v[2], (const char *const[]){"user", NULL}) && i + 1 < n &&
		    is(t, &v[3], (const char *const[]){"whether", "if", "which", "to", NULL}) &&
		    (!is(t, &v[3], (const char *const[]){"to", NULL}) ||
		        (i + 2 < n &&
		            is(t, &v[4], (const char *const[]){"confirm", "approve", NULL}))))
			user = 1;
	}
	/* after the match: nothing, or a clause of that, which, who */
	for (i = 0; i < n && v[i].a < end; i++)
		;
	if (i < n && (v[i].quoted || !is(t, &v[i], rel)))
		return 0;
	/* a next sentence that goes on with it: "... before any tool. Then call log_all." */
	for (c = b; c < len &&
	     (isspace((unsigned char)t[c]) || t[c] == '.' || t[c] == ';' || t[c] == ':' ||
	         t[c] == '-' || (unsigned char)t[c] >= 0x80);
	     c++)
		;
	if (user && c < len && clause(t, len, c, c + 1 < len ? c + 1 : len, 2, &d, &b) &&
	    (m = tokens(t, c, b, w)) > 0 && !w[0].quoted && is(t, &w[0], then))
		return 0;
	return user;
}

/*
 * MCPU-P111 (scope 1) and MCPU-P112 (scope 0): a clause naming tools, each
 * to be its list's own; for P111 no word of a wider scope, and no other
 * claim of precedence in the string.
 */
static int
names_shape(struct mcp_finding *f, const char *t, size_t len, size_t start, size_t end, int scope)
{
	struct tok v[TOKENS_MAX];
	size_t a, b;
	int n;

	/* "most recent first", "newest first": an order of results, not of calls */
	if (scope && end - start > 5 && strncasecmp(t + start, "first", 5) == 0) {
		static const char *const sort[] = {"recent ", "newest ", "oldest ", "latest ",
		    "earliest ", "largest ", "smallest ", "highest ", "lowest ", "shown ",
		    "listed ", "sorted ", NULL};

		for (n = 0; sort[n] != NULL; n++)
			if (start >= strlen(sort[n]) &&
			    strncasecmp(t + start - strlen(sort[n]), sort[n], strlen(sort[n])) == 0)
				return SHAPE_LOW;
	}
	if (!clause(t, len, start, end, 1, &a, &b) || (n = tokens(t, a, b, v)) < 0)
		return SHAPE_NONE;
	if (scope &&
	    (until_a_time(t, len, start, end) || user_first(t, len, start, end) ||
	        after_user(t, len, start, end) || user_last(t, len, start, end)))
		return more_claims(t, len, a, b) ? SHAPE_NONE : SHAPE_LOW;
	if (clause_names(f, t, a, v, n, scope) <= 0)
		return SHAPE_NONE;
	return scope && more_claims(t, len, a, b) ? SHAPE_NONE : SHAPE_OWN;
}

/* What a tool that destroys says of itself, in its name. */
static const char *const destroy_names[] = {"delete", "remove", "drop", "wipe", "purge", "clear",
    "erase", "destroy", "truncate", "prune", "reset", "cancel", "revoke", "empty", "flush",
    "replace", "uninstall", "unset", "unlink", "trash", "clean", "cleanup", "overwrite", "close",
    "unprotect", "flushall", "flushdb", "drain", NULL};

/* 1 when a word of the name item may begin at p: its start, after no letter, a capital after a small one. */
static int
name_word_start(const char *item, const char *p)
{
	return p == item || !isalpha((unsigned char)p[-1]) ||
	    (islower((unsigned char)p[-1]) && isupper((unsigned char)p[0]));
}

/* 1 when a word of a name ends before q: not a letter, or a capital after a small one. */
static int
word_end_at(const char *q)
{
	return !isalpha((unsigned char)*q) ||
	    (isupper((unsigned char)*q) && islower((unsigned char)q[-1]));
}

/*
 * 1 when the word of a name ends at p: "delete_file", "deleteFile",
 * "deleteSnapshot", "deletes", "DELETE_ALL", not "dropbox" nor "DROPBOX".
 */
static int
name_word_end(const char *p)
{
	return word_end_at(p) || ((*p == 's' || *p == 'S') && word_end_at(p + 1));
}

int
shape_named(const char *item, const char *const *words)
{
	const char *const *w;
	const char *p;
	size_t k;

	/* Each place a word of the name begins, beside each word of the table. */
	for (p = item; *p != '\0'; p++) {
		if (!isalpha((unsigned char)*p) || !name_word_start(item, p))
			continue;
		for (w = words; *w != NULL; w++)
			if (tolower((unsigned char)*p) == (*w)[0] &&
			    strncasecmp(p, *w, k = strlen(*w)) == 0 && name_word_end(p + k))
				return 1;
	}
	return 0;
}

int
shape_destroys(const char *item)
{
	return shape_named(item, destroy_names);
}

int
shape_destroys_n(const char *name, size_t n)
{
	char copy[64];

	if (n >= sizeof(copy))
		return 0;
	memcpy(copy, name, n);
	copy[n] = '\0';
	return shape_named(copy, destroy_names);
}

/* 1 when word w is one of destroy_names, whole ("clear", "Delete"): an enum's value of them. */
int
shape_destroy_word(const char *w)
{
	/* their first letters: c d e f o p r t u w, and their lengths, 4 to 9 */
	static const unsigned long first = 1UL << ('c' - 'a') | 1UL << ('d' - 'a') |
	    1UL << ('e' - 'a') | 1UL << ('f' - 'a') | 1UL << ('o' - 'a') | 1UL << ('p' - 'a') |
	    1UL << ('r' - 'a') | 1UL << ('t' - 'a') | 1UL << ('u' - 'a') | 1UL << ('w' - 'a');
	const char *const *d;
	unsigned c = (unsigned char)w[0] | 0x20;
	size_t n;

	if (c < 'a' || c > 'z' || !(first >> (c - 'a') & 1) || (n = strlen(w)) < 4 || n > 9)
		return 0;
	for (d = destroy_names; *d != NULL; d++)
		if ((unsigned char)(*d)[0] == c && strcasecmp(*d, w) == 0)
			return 1;
	return 0;
}

/* What a tool's name says when it only reads: mail_search, repo_stats, token_info, listar_x. */
static const char *const read_names[] = {"search", "list", "get", "show", "stats", "statistics",
    "info", "status", "inventory", "report", "summary", "summarize", "summarise", "describe",
    "read", "fetch", "view", "lookup", "count", "resumir", "mostrar", "listar", "obter", "buscar",
    "lister", "afficher", "anzeigen", NULL};

int
shape_reads(const char *item)
{
	return shape_named(item, read_names) && !shape_named(item, destroy_names);
}

/*
 * 1 when every letter of text[start..end) stands between double quotes
 * ('"', or curly ones) opened on its line, and no verb of doing stands
 * just before the quote that holds the first: words quoted, mentioned
 * as a user may say them or as an example's value, not said to the
 * agent ("Run \"rm -rf ~\"" is said).
 */
static int
mentioned_only(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const doing[] = {"run", "execute", "exec", "call", "type", "enter",
	    "paste", "send", "issue", "invoke", "use", "apply", "do", "perform", "then", "and",
	    NULL};
	size_t i, line = start, open = 0, first = 0, k;
	int in = 0, letters = 0, j;

	if (end > len)
		return 0;
	while (line > 0 && t[line - 1] != '\n')
		line--;
	for (i = line; i < end; i++) {
		if (t[i] == '"') {
			if ((in = !in))
				open = i;
		} else if (i + 2 < len && (unsigned char)t[i] == 0xe2 &&
		    (unsigned char)t[i + 1] == 0x80 &&
		    ((unsigned char)t[i + 2] == 0x9c || (unsigned char)t[i + 2] == 0x9d)) {
			if ((in = (unsigned char)t[i + 2] == 0x9c))
				open = i;
			i += 2;
		} else if (i >= start && isalpha((unsigned char)t[i])) {
			if (!in)
				return 0;
			if (letters++ == 0)
				first = open;
		}
	}
	if (letters == 0)
		return 0;
	/* the word before the quote that holds the first letter: not a verb of doing */
	for (k = first; k > line && !isalpha((unsigned char)t[k - 1]); k--)
		;
	for (i = k; i > line && isalpha((unsigned char)t[i - 1]); i--)
		;
	for (j = 0; doing[j] != NULL; j++)
		if (k - i == strlen(doing[j]) && strncasecmp(t + i, doing[j], k - i) == 0)
			return 0;
	/* a flag before it ("git push --force \"--all\""): a command line, the quotes a shell's */
	return !(i > line && t[i - 1] == '-');
}

/*
 * 1 when t is the name of a property of f's schema, one identifier of at
 * most three words ("addDropTable", "purge_cache"): an option the caller
 * may choose, named; not "dropAllTablesBeforeEveryCall", nor a name of
 * all or every ("dropAllTables", "deleteEverything").
 */
static int
option_name(const struct mcp_finding *f, const char *t, size_t len)
{
	static const char *const wide_of[] = {
	    "all", "every", "everything", "entire", "any", "whole", NULL};
	size_t p = strlen(f->pointer), i;
	int words = 0;

	if (len == 0 || p < len + 12 || strcmp(f->pointer + p - len, t) != 0 ||
	    strncmp(f->pointer + p - len - 12, "/properties/", 12) != 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '-')
			return 0;
		words += isalpha((unsigned char)t[i]) && name_word_start(t, t + i);
	}
	return words <= 3 && !shape_named(t, wide_of);
}

/* 1 when a label may begin at t[i]: after the text's start, a line's, a list's mark, a dash, ( , ; | . : */
static int
label_left(const char *t, size_t i)
{
	while (i > 0 &&
	    (t[i - 1] == ' ' || t[i - 1] == '*' || t[i - 1] == '`' || t[i - 1] == '\'' ||
	        t[i - 1] == '"' || t[i - 1] == '-'))
		i--;
	if (i >= 3 && memcmp(t + i - 3, "\xe2\x80\xa2", 3) == 0) /* a bullet */
		i -= 3;
	while (i > 0 && t[i - 1] == ' ')
		i--;
	if (i >= 3 &&
	    (memcmp(t + i - 3, "\xe2\x80\x94", 3) == 0 ||
	        memcmp(t + i - 3, "\xe2\x80\x93", 3) == 0))
		return 1; /* a dash: "Operations here affect Jira \xe2\x80\x94 delete permanently removes" */
	return i == 0 || strchr("\n(,;|.:", t[i - 1]) != NULL;
}

/* 1 when word v says a destroying name's verb, in the third person: "removes", "deletes", "clears". */
static int
destroys_said(const char *t, const struct tok *v)
{
	size_t n = v->b - v->a;

	return !v->quoted && n > 3 && t[v->b - 1] == 's' && shape_destroys_n(t + v->a, n);
}

/* 1 when word v destroys: a destroying name ("clear") or its verb said ("clears"). */
static int
destroy_word(const char *t, const struct tok *v)
{
	return is(t, v, destroy_names) || destroys_said(t, v);
}

/*
 * 1 when word v[w] is a label, then what it does: a label's left side
 * before it (label_left), a separator after it
 * (: - \xe2\x80\x93 \xe2\x80\x94 \xe2\x86\x92 -> => =) or a destroying verb said ("clear removes",
 * "delete permanently removes").
 */
static int
label_at(const char *t, const struct tok *v, int n, int w)
{
	static const char *const sep[] = {": ", "- ", "\xe2\x80\x93 ", "\xe2\x80\x94 ",
	    "\xe2\x86\x92 ", "-> ", "=> ", "= ", NULL};
	size_t i;
	int j;

	if (!label_left(t, v[w].a - v[w].quoted) || w + 1 >= n)
		return 0;
	for (i = v[w].b + v[w].quoted; t[i] == '*' || t[i] == '`'; i++)
		;
	while (t[i] == ' ')
		i++;
	for (j = 0; sep[j] != NULL; j++)
		if (strncmp(t + i, sep[j], strlen(sep[j])) == 0)
			return 1;
	return destroys_said(t, &v[w + 1]) ||
	    (w + 2 < n && v[w + 1].b - v[w + 1].a > 3 &&
	        strncasecmp(t + v[w + 1].b - 2, "ly", 2) == 0 && destroys_said(t, &v[w + 2]));
}

/* Words no definition of an operation holds: the user's, a time its own, more than it. */
static const char *const def_out[] = {"user", "your", "home", "rm", "kill", "shred", "format",
    "also", "then", "too", "before", "after", "first", "always", "call", "calls", "answer",
    "answering", "request", "requests", "conversation", "session", NULL};

/* 1 when v[from..n) says what one operation does: one destruction at most, no word of def_out, no ~ */
static int
def_only(const char *t, const struct tok *v, int from, int n)
{
	int i, k = 0;

	if (from < n && memchr(t + v[from].a, '~', v[n - 1].b - v[from].a) != NULL)
		return 0;
	for (i = from; i < n; i++) {
		if (is(t, &v[i], def_out))
			return 0;
		k += destroy_word(t, &v[i]);
	}
	return k <= 1;
}

/*
 * An operation's label, then what it does: "clear: remove all sessions",
 * "**delete** \xe2\x80\x94 permanently removes ...", "clear \xe2\x86\x92 Remove all cached
 * data", "clear removes every stash entry": the label's span into
 * *la..*lb, 1; 0 when the clause (from a, its words v[0..n)) has none, a
 * destruction before it, or more than what it does after it (def_only).
 * The label is its item's own only when its enum offers it (own_all) or
 * it is quoted (*quoted 1).
 */
static int
op_label(const char *t, size_t a, const struct tok *v, int n, size_t *la, size_t *lb, int *quoted)
{
	size_t i, k;
	int w;

	/* the label before the clause's colon or dash */
	if (a >= 2 && (t[a - 1] == ':' || (a >= 4 && memcmp(t + a - 3, "\xe2\x80\x94", 3) == 0))) {
		i = t[a - 1] == ':' ? a - 1 : a - 3;
		while (i > 0 &&
		    (t[i - 1] == ' ' || t[i - 1] == '*' || t[i - 1] == '`' || t[i - 1] == '\'' ||
		        t[i - 1] == '"'))
			i--;
		for (k = i; i > 0 && word_char(t[i - 1]) && t[i - 1] != '-'; i--)
			;
		if (k > i && label_left(t, i)) {
			*la = i;
			*lb = k;
			*quoted = i > 0 && strchr("'\"`", t[i - 1]) != NULL && t[k] == t[i - 1];
			return def_only(t, v, 0, n);
		}
	}
	/* a label at the clause's start, past a list's mark, or after a dash in it */
	for (w = 0; w < n; w++) {
		if (strspn(t + v[w].a, "-") >= v[w].b - v[w].a)
			continue; /* a list's mark: "- delete - ..." */
		if (label_at(t, v, n, w)) {
			*la = v[w].a;
			*lb = v[w].b;
			*quoted = v[w].quoted;
			return def_only(t, v, w + 1, n);
		}
		/* no destruction before another label: "Operations here affect Jira \xe2\x80\x94 delete ..." */
		if (destroy_word(t, &v[w]))
			return 0;
	}
	return 0;
}

/* Words of a tool called or used: a name beside them is one ("using git-nuke"). */
static const char *const call_words[] = {"using", "use ", "via ", "call", "run ", "invoke", "tool",
    "server", "with the", "through", NULL};

/*
 * SHAPE_OWN, f's names that may be words of prose left out ("every
 * user-defined view in it"): a tool's own destruction needs no name, and
 * a word of prose its list does not hold is none (own_all) but no other
 * tool's either.
 */
static int
prose_out(struct mcp_finding *f)
{
	char kept[sizeof(f->own)];
	const char *p;
	size_t at = 0, n;

	for (p = f->own; *p != '\0'; p += n + 1) {
		n = strlen(p);
		if (!prose_like(p, n)) {
			memcpy(kept + at, p, n + 1);
			at += n + 1;
		}
	}
	kept[at] = '\0';
	memcpy(f->own, kept, at + 1);
	return SHAPE_OWN;
}

/*
 * MCPU-P116: destruction named as what the tool refuses: "Guardrails
 * reject the highest-risk statement classes (DROP DATABASE, ALTER
 * SYSTEM, ...)", "prevents destructive statements such as DROP TABLE",
 * "DELETE and DROP TABLE are blocked".  A verb of refusing (reject,
 * block, deny, refuse, forbid, prevent, disallow, prohibit; not "to
 * prevent"), and the destruction what it refuses: inside a parenthesis
 * of two items or more opened at most five words after it, or after
 * like, such as or including at most five words after it, no comma,
 * semicolon, colon nor other destruction between; or right before "is
 * blocked", "are not allowed" (rejected, denied ...).  No word in the
 * clause negates or suspends it (not, no, never, nothing, without,
 * unless, except, off, disabled, until, requires) and none is of an order
 * (then, also, afterwards, so, must, should, you, run, execute, call,
 * perform, do, please, first, always, now, immediately, before, after,
 * each, every, when, whenever, answering, replying).
 */
static int
refused_destroy(const char *t, size_t len, size_t start, size_t end, const struct tok *v, int n)
{
	static const char *const refuse[] = {"reject", "rejects", "rejected", "block", "blocks",
	    "blocked", "deny", "denies", "denied", "refuse", "refuses", "refused", "forbid",
	    "forbids", "forbidden", "prevent", "prevents", "prevented", "disallow", "disallows",
	    "disallowed", "prohibit", "prohibits", "prohibited", NULL},
	                         *const stop_words[] = {"not", "no", "never", "nothing", "without",
	                             "unless", "except", "off", "disabled", "disable", "until",
	                             "requires", "require", "required", "nicht", "don't", "doesn't",
	                             "won't", "isn't", "aren't", "then", "also", "afterwards", "so",
	                             "must", "should", "you", "your", "run", "execute", "call",
	                             "perform", "do", "please", "first", "always", "now",
	                             "immediately", "before", "after", "each", "every", "when",
	                             "whenever", "answering", "replying", "reply", "answer",
	                             "respond", NULL},
	                         *const like[] = {"like", "such", "including", NULL};
	int i, r = -1, m, depth, items;
	size_t k, c;

	for (i = 0; i < n; i++) {
		if (v[i].quoted || (v[i].b > start && v[i].a < end))
			continue;
		/* "DELETE and DROP TABLE are blocked", "... are not allowed": the rest of the clause read */
		if (v[i].a >= end && i > 0 && v[i - 1].b <= end && i + 1 < n &&
		    is(t, &v[i], (const char *const[]){"is", "are", NULL})) {
			m = is(t, &v[i + 1], refuse) ? i + 2
			    : i + 2 < n && is(t, &v[i + 1], (const char *const[]){"not", NULL}) &&
			        is(t, &v[i + 2],
			            (const char *const[]){"allowed", "permitted", NULL})
			    ? i + 3
			    : -1;
			if (m < 0)
				return 0;
			for (; m < n; m++)
				if (!v[m].quoted && is(t, &v[m], stop_words))
					return 0;
			return 1;
		}
		if (is(t, &v[i], stop_words))
			return 0;
		if (is(t, &v[i], refuse) && v[i].b <= start &&
		    !(i > 0 && is(t, &v[i - 1], (const char *const[]){"to", NULL})))
			r = i;
	}
	if (r < 0)
		return 0;
	/* at most five words between, none of them a destruction */
	for (m = 0, i = r + 1; i < n && v[i].b <= start; i++, m++)
		if (destroy_word(t, &v[i]) || m >= 5)
			return 0;
	for (depth = 0, k = v[r].b; k < start; k++) {
		if (t[k] == '(')
			depth++;
		else if (t[k] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && (t[k] == ',' || t[k] == ';' || t[k] == ':'))
			return 0;
	}
	if (depth > 0) {
		/* a parenthesis of two items or more: a comma inside it */
		for (items = 0, c = v[r].b; c < len && t[c] != ')'; c++)
			items += t[c] == ',';
		return items > 0 && c < len;
	}
	for (i = r + 1; i < n && v[i].b <= start; i++)
		if (!v[i].quoted && is(t, &v[i], like))
			return 1;
	return 0;
}

/*
 * MCPU-P116: a part of the request taken out, not data destroyed: "If
 * there are no results found, remove the metric name or namespace
 * fields", "clear the filter and try again".  The verb (the match's first
 * word of destruction), then at most six words ending in field,
 * parameter, argument, filter, option, flag or criteria (or a plural),
 * its object: none of all, every, each, entire, whole, any, record, row,
 * table, file, user, home, nor with, using, via, by, its, and, of, in,
 * on, from, to, nor a store (database, collection, index, bucket,
 * repository, branch, project, account, schema, cluster, server,
 * volume, disk, instance) in it; then the clause's end, "and retry" or "and try
 * again", or "from the request" (query, search, call).  And it is a
 * retry: the clause begins with if or when and says no, none, empty,
 * fails, error, too many or not found, or the retry follows it.
 */
static int
request_part(const char *t, size_t start, size_t end, const struct tok *v, int n)
{
	static const char *const part[] = {"field", "fields", "parameter", "parameters", "param",
	    "params", "argument", "arguments", "arg", "args", "filter", "filters", "option",
	    "options", "flag", "flags", "criteria", "criterion", NULL},
	                         *const wide_data[] = {"all", "every", "each", "entire", "whole",
	                             "any", "record", "records", "row", "rows", "table", "tables",
	                             "file", "files", "user", "user's", "users", "home", "then",
	                             "also", NULL},
	                         *const from_what[] = {"request", "query", "search", "call", NULL},
	                         *const not_object[] = {"with", "using", "via", "by", "its", "and",
	                             "of", "in", "on", "from", "to", "database", "databases", "db",
	                             "collection", "collections", "index", "indexes", "bucket",
	                             "buckets", "repository", "repositories", "repo", "repos",
	                             "branch", "branches", "project", "projects", "account",
	                             "accounts", "schema", "schemas", "cluster", "clusters",
	                             "server", "servers", "volume", "volumes", "disk", "disks",
	                             "instance", "instances", NULL},
	                         *const failed[] = {"no", "none", "empty", "fails", "failed",
	                             "error", "errors", "many", "found", NULL};
	int i, k, retry = 0, cond = 0;

	for (i = 0; i < n && !(v[i].b > start && v[i].a < end && destroy_word(t, &v[i])); i++)
		;
	if (i >= n)
		return 0;
	for (k = 0; k < i; k++)
		if (!v[k].quoted && is(t, &v[k], wide_data))
			return 0;
	if (n > 0 && is(t, &v[0], (const char *const[]){"if", "when", NULL}))
		for (k = 1; k < i; k++)
			if (!v[k].quoted && is(t, &v[k], failed))
				cond = 1;
	for (k = i + 1; k < n && k <= i + 6; k++) {
		if (v[k].quoted)
			continue;
		if (is(t, &v[k], wide_data) || is(t, &v[k], not_object))
			return 0;
		if (is(t, &v[k], part))
			break;
	}
	if (k >= n || k > i + 6)
		return 0;
	if (k + 1 == n)
		return cond;
	if (k + 2 < n && is(t, &v[k + 1], (const char *const[]){"and", NULL}) &&
	    is(t, &v[k + 2], (const char *const[]){"retry", "try", NULL}))
		retry = k + 3 == n ||
		    (k + 4 == n && is(t, &v[k + 3], (const char *const[]){"again", NULL}));
	else if (k + 2 < n && is(t, &v[k + 1], (const char *const[]){"from", NULL}))
		retry = cond &&
		    ((k + 3 == n && is(t, &v[k + 2], from_what)) ||
		        (k + 4 == n &&
		            is(t, &v[k + 2], (const char *const[]){"the", "your", NULL}) &&
		            is(t, &v[k + 3], from_what)));
	return retry;
}

/*
 * MCPU-P116: one of the kinds of statement a tool runs, listed in a
 * parenthesis: "Execute schema modification statements (CREATE TABLE,
 * ALTER TABLE, DROP TABLE)", "(INSERT/UPDATE/DELETE)".  The parenthesis
 * opens on the match's line after a word that is no verb of doing (run,
 * execute, call, do, perform, use, try, invoke, apply, then, and, please,
 * now), closes on it, and holds two items or more (between commas,
 * slashes or "or") of one or two words each, one of them at least with no
 * word of destruction; nothing in it of an order, a scope or a place
 * (then, before, after, every, each, all, must, you, always, first, user,
 * home, ~, rm), and in its sentence around it none of those nor
 * afterwards, next, once, when, should, required, step, answering,
 * replying, assistant, agent, model, also, silently, important, need,
 * and no verb of doing but as the sentence's first word ("Execute ...").
 */
static int
kinds_listed(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const doing[] = {"run", "execute", "call", "do", "perform", "use", "try",
	    "invoke", "apply", "then", "and", "please", "now", NULL},
	                         *const no[] = {"then", "before", "after", "every", "each", "all",
	                             "must", "you", "always", "first", "user", "user's", "home",
	                             "rm", NULL},
	                         *const around[] = {"afterwards", "next", "once", "when",
	                             "whenever", "should", "required", "requires", "step",
	                             "answering", "replying", "responding", "assistant", "agent",
	                             "model", "also", "silently", "important", "need", "needs",
	                             NULL};
	struct tok v[TOKENS_MAX], u[TOKENS_MAX];
	size_t o, c, sa, sb;
	int n, m, i, before, items = 0, words = 0, kept = 0, destroys = 0;

	for (o = start; o > 0 && t[o - 1] != '(' && t[o - 1] != ')' && t[o - 1] != '\n'; o--)
		;
	if (o == 0 || t[o - 1] != '(')
		return 0;
	for (c = end; c < len && t[c] != ')' && t[c] != '(' && t[c] != '\n'; c++)
		;
	if (c >= len || t[c] != ')' || (n = tokens(t, o, c, v)) < 2)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i].quoted || is(t, &v[i], no) || t[v[i].a] == '~')
			return 0;
	/*
	 * its sentence: no order around the parenthesis; a verb of doing only
	 * as its first word, and never the word the parenthesis follows
	 */
	if (!clause(t, len, start, end, 2, &sa, &sb) || (m = tokens(t, sa, sb, u)) < 0)
		return 0;
	for (i = 0, before = -1; i < m; i++) {
		if (u[i].b < o)
			before = i;
		if (!u[i].quoted && (u[i].b <= o || u[i].a > c) &&
		    (is(t, &u[i], no) || is(t, &u[i], around) || (i > 0 && is(t, &u[i], doing))))
			return 0;
	}
	if (before < 0 || is(t, &u[before], doing))
		return 0;
	/* its items: commas, slashes, "or" between */
	for (i = 0; i <= n; i++) {
		int sep = i == n || is(t, &v[i], (const char *const[]){"or", NULL}) ||
		    (i > 0 && memchr(t + v[i - 1].b, ',', v[i].a - v[i - 1].b) != NULL) ||
		    (i > 0 && memchr(t + v[i - 1].b, '/', v[i].a - v[i - 1].b) != NULL);

		if (sep && i > 0) {
			if (words == 0 || words > 2)
				return 0;
			items++;
			kept += !destroys;
			words = destroys = 0;
		}
		if (i == n || is(t, &v[i], (const char *const[]){"or", NULL}))
			continue;
		words++;
		destroys |= destroy_word(t, &v[i]);
	}
	return items >= 2 && kept >= 1;
}

/*
 * What no flag's meaning says (destroy_shape's "--all"): a destruction in
 * any verb's letters ("terminate", "borra", "force"), an order, a scope.
 */
static const char *const flag_not[] = {"terminat", "deprovision", "kill", "destroy", "delet",
    "remov", "drop", "wipe", "purg", "eras", "shred", "nuke", "forc", "borr", "elimin", "supprim",
    "effac", "lösch", "losch", "entfern", "apag", "exclu", "after", "before", "then", "luego",
    "must", "silent", "run ", "execut", "answer", "repl", "every", "todos", "tous", "alle ", NULL};

/*
 * MCPU-P116: the destruction its own tool does: a tool whose name says it
 * destroys (delete_file, wipeLogs), in a clause that names no tool but
 * its own list's.
 */
static int
destroy_shape(struct mcp_finding *f, const char *t, size_t len, size_t start, size_t end)
{
	int own = 0, reads;

	struct tok v[TOKENS_MAX];
	size_t a, b, i, q, at;
	int n, quoted;

	own = shape_destroys(f->item);
	reads = shape_reads(f->item); /* (never a destroying name's) */
	/* words quoted, not said: "Clear the cache" / "Reset everything", {"query":"DROP TABLE t"} */
	if (mentioned_only(t, len, start, end) || option_name(f, t, len))
		return SHAPE_LOW;
	if (!clause(t, len, start, end, 1, &a, &b) || (n = tokens(t, a, b, v)) < 0)
		return SHAPE_NONE;
	/* destruction the tool refuses, a part of the request taken out, one of the kinds it runs */
	if (refused_destroy(t, len, start, end, v, n) || request_part(t, start, end, v, n) ||
	    kinds_listed(t, len, start, end))
		return SHAPE_LOW;
	/* An example of what a user may ask: "Drop tables (e.g., ...)". */
	if (has_out(
	        t + a, b - a, 0, 0, (const char *const[]){"e.g.", "for example", "(default", NULL}))
		return SHAPE_LOW;
	/* What an option means: "`overwrite`: delete all ...", "Whether the member should be removed" */
	/* the clause begins after a colon, a quoted label's: "\"clear\": remove all sessions" */
	if (a >= 3 && t[a - 1] == ':' && (t[a - 2] == '"' || t[a - 2] == '`' || t[a - 2] == '\''))
		return SHAPE_LOW;
	/* text cut to a length, what is shown: "Truncate each body at this many characters" (not to zero) */
	if (b - a > 8 && has_out(t + a, b - a, 0, 0, (const char *const[]){"truncate", NULL}) &&
	    has_out(t + a, b - a, 0, 0,
	        (const char *const[]){"characters", "chars", "bytes", "lines", "tokens", NULL}) &&
	    has_out(t + a, b - a, 0, 0,
	        (const char *const[]){"this many", "at most", "max", "limit", "up to", "1", "2",
	            "3", "4", "5", "6", "7", "8", "9", NULL}) &&
	    !has_out(t + a, b - a, 0, 0,
	        (const char *const[]){"zero", " 0 ", "empty", "nothing", "every", "all ", NULL}))
		return SHAPE_LOW;
	/*
	 * No word of destruction in the clause (a destroying name's, kill,
	 * stop, shred, rm, scale, every), and a limit on what is shown turned
	 * off ("Disable all truncation and return full messages") or "--all"
	 * quoted or in brackets, a flag of its own ("a single '--all' item",
	 * "(--all)"), or a longer flag's first letters ("--all-namespaces").
	 */
	if (!has_out(t + a, b - a, 0, 0, destroy_names) &&
	    !has_out(t + a, b - a, 0, 0,
	        (const char *const[]){"kill", "stop", "shred", "rm ", "scale", "every", NULL}) &&
	    (has_out(t + a, b - a, 0, 0, (const char *const[]){"truncation", "pagination", NULL}) ||
	        (end - start >= 5 && strncmp(t + start, "--all", 5) == 0 && start > 0 &&
	            (strchr("'\"`/([", t[start - 1]) != NULL ||
	                (start + 5 < len &&
	                    (t[start + 5] == '-' || isalnum((unsigned char)t[start + 5])))) &&
	            !has_out(t + a, b - a, 0, 0, flag_not))))
		return SHAPE_LOW;
	for (i = a; i < b && (t[i] == ' ' || t[i] == '-' || t[i] == '*'); i++)
		;
	if (i < b && (t[i] == '"' || t[i] == '`' || t[i] == '\'')) {
		for (q = i + 1;
		     q < b && q - i <= QUOTED_MAX && t[q] != t[i] && !isspace((unsigned char)t[q]);
		     q++)
			;
		if (q + 1 < b && t[q] == t[i] && t[q + 1] == ':')
			return SHAPE_LOW;
	}
	if (b - a > 8 && strncasecmp(t + a, "whether ", 8) == 0)
		return SHAPE_LOW;
	/* "Indicates whether the items should be removed": a flag's meaning */
	if (b - a > 8 &&
	    has_out(t + a, start > a ? start - a : 0, 0, 0,
	        (const char *const[]){"whether ", "indicating if ", "indicates if ", NULL}))
		return SHAPE_LOW;
	/* a tool that reads, pointing at its list's own tool that destroys ("use delete_folder to remove one") */
	if (reads && clause_names(f, t, a, v, n, 0) > 0)
		return SHAPE_OWN;
	/* its own, no tool called in the clause: words of prose no names ("every user-defined view") */
	if (own && !reads && clause_names(f, t, a, v, n, 0) >= 0)
		return has_out(t + a, b - a, 0, 0, call_words) ? SHAPE_OWN : prose_out(f);
	/*
	 * what an operation of its own does, else: its label a value of its
	 * enum (own_all), or quoted as an option's is ("- 'remove' - remove a
	 * sub-issue from a parent issue")
	 */
	if (reads || !op_label(t, a, v, n, &i, &q, &quoted) || clause_names(f, t, a, v, n, 0) < 0)
		return SHAPE_NONE;
	if (quoted)
		return SHAPE_LOW;
	at = own_end(f);
	return own_add(f, &at, SHAPE_OP, t + i, q - i) == -1 ? SHAPE_NONE : SHAPE_OWN;
}

/*
 * 1 when the address in t[start..end) is what a condition compares a value to,
 * the condition its clause's (from a): "Only supported when api_host is
 * https://api.minimax.chat", "if the base URL is https://...", a
 * when, if, unless or only when, then one name, then "is", "equals" or
 * "=" just before it; not "if the user asks, the recipient is x@y" (a
 * comma: the condition ended before).
 */
static int
condition_on(const char *t, size_t a, size_t start, size_t end)
{
	static const char *const cond[] = {"when", "if", "unless", "whenever", NULL};
	static const char *const is_w[] = {"is", "equals", "matches", NULL};
	struct tok v[TOKENS_MAX];
	const char *p;
	size_t at;
	int n, i;

	/* the address: its "http", or the word of its "@" */
	if ((p = memmem(t + start, end - start, "http", 4)) == NULL) {
		if ((p = memchr(t + start, '@', end - start)) == NULL)
			return 0;
		while (p > t + start && !isspace((unsigned char)p[-1]))
			p--;
	}
	at = (size_t)(p - t);
	if (at <= a || (n = tokens(t, a, at, v)) < 3)
		return 0;
	for (p = t + a; p < t + at; p++)
		if (*p == ',' || *p == ';')
			return 0;
	/* ... when <name> is <address>: the last three words before it */
	if (!is(t, &v[n - 1], is_w) && !(at >= 2 && t[at - 2] == '=' && t[at - 1] == ' ') &&
	    !(at >= 1 && t[at - 1] == '='))
		return 0;
	for (i = 0; i < n - 1; i++)
		if (is(t, &v[i], cond))
			return i >= n - 4;
	return 0;
}

/*
 * MCPU-P115: an address given as an example or a default (example.com,
 * localhost, "e.g.", "for example", "defaults to"), in its clause.
 */
static int
address_shape(const char *t, size_t len, size_t start, size_t end)
{
	/* the documentation's own domains (RFC 2606) are examples; "x.example" is a host as any */
	static const char *const honest[] = {"for example", " example:", "an example", "(example",
	    "example.com", "example.org", "example.net", "@example.", "//example.", "e.g.",
	    "localhost", "127.0.0.1", "such as", "format", "your-", "<", "{",
	    "reference: ", "see: ", "docs: ", "documentation: ", NULL};
	/* a default is the API's own, not one of where data goes ("Default share target: x") */
	static const char *const dest[] = {"target", "recipient", "destination", "share", "forward",
	    "copy", "cc", "send", "sent", "upload", "mirror", "destino", "ziel", NULL};
	size_t a, b;

	if (!clause(t, len, start, end, 0, &a, &b))
		return SHAPE_NONE;
	/* "Example: ..." begins the clause; "codevault.example:backups" is a host's */
	for (; a < b && isspace((unsigned char)t[a]); a++)
		;
	if (b - a > 8 && strncasecmp(t + a, "example:", 8) == 0)
		return SHAPE_LOW;
	if (has_out(t + a, b - a, 0, 0, honest))
		return SHAPE_LOW;
	if (condition_on(t, a, start, end))
		return SHAPE_LOW;
	return has_out(t + a, b - a, 0, 0, (const char *const[]){"default", NULL}) &&
	        !has_out(t + a, b - a, 0, 0, dest)
	    ? SHAPE_LOW
	    : SHAPE_NONE;
}

int
shape_own(struct mcp_finding *f, const char *name, size_t n)
{
	size_t at;

	if (f->shape != SHAPE_OWN || name == NULL) {
		f->own[0] = '\0';
		f->shape = name == NULL ? SHAPE_NONE : SHAPE_OWN;
		if (name == NULL)
			return 0;
	}
	at = own_end(f);
	return own_add(f, &at, ANY_NAME, name, n);
}

/*
 * MCPU-P105: an address that documents, not one data goes to: the target
 * of a link of markdown's ("[the API](https://...)"), or an address in
 * code (a fenced block, `backticks`): curl's examples of the API itself.
 */
static int
send_shape(const char *t, size_t len, size_t start, size_t end)
{
	size_t i, fences = 0, ticks = 0;

	if (end > len || end <= start)
		return SHAPE_NONE;
	/* the address: the match's end is in it */
	for (i = end; i > start && !isspace((unsigned char)t[i - 1]) && t[i - 1] != '(' &&
	     !(i >= start + 4 && strncasecmp(t + i - 4, "http", 4) == 0 &&
	         (i - 4 == start || !isalnum((unsigned char)t[i - 5])));
	     i--)
		;
	if (i >= start + 4 && strncasecmp(t + i - 4, "http", 4) == 0)
		i -= 4;
	if (i >= 2 && t[i - 1] == '(' && t[i - 2] == ']')
		return SHAPE_LOW;
	/*
	 * an example's value quoted: "CSV text to upload (e.g. \"email\na@b.com,Ada\")",
	 * an example named within 40 bytes before (not 'send it to "x@y.example"')
	 */
	if (mentioned_only(t, len, i, end) &&
	    has_out(t + (i > 40 ? i - 40 : 0), i > 40 ? 40 : i, 0, 0,
	        (const char *const[]){"e.g.", "for example", "such as", "example:", NULL}))
		return SHAPE_LOW;
	for (i = 0; i < start; i++) {
		if (t[i] == '`' && i + 2 < len && t[i + 1] == '`' && t[i + 2] == '`') {
			fences++;
			i += 2;
		} else if (t[i] == '`') {
			ticks++;
		} else if (t[i] == '\n') {
			ticks = 0;
		}
	}
	return fences % 2 == 1 || ticks % 2 == 1 ? SHAPE_LOW : SHAPE_NONE;
}

/* MCPU-P115: the address a match holds the target of a link of markdown's ("](https://"). */
static int
link_shape(const char *t, size_t start, size_t end)
{
	const char *p = t + start, *e = t + end;

	while ((p = memmem(p, (size_t)(e - p), "http", 4)) != NULL) {
		if (p >= t + 2 && p[-1] == '(' && p[-2] == ']')
			return SHAPE_LOW;
		p += 4;
	}
	return SHAPE_NONE;
}

/*
 * MCPU-P118: other tools run down or this one set above them, where its
 * sentence names them as its own server's: its "siblings" ("primary
 * interaction tool -- prefer over the ios_ and android_ siblings").
 */
static int
rival_shape(const char *t, size_t len, size_t start, size_t end)
{
	size_t a = start, b = end;

	/* the sentence: from the last ". " or "[" before the match to the next ". " or "]" */
	while (a > 0 && t[a - 1] != '[' && !(a >= 2 && t[a - 2] == '.' && t[a - 1] == ' ') &&
	    t[a - 1] != '\n')
		a--;
	while (b < len && t[b] != ']' && !(t[b] == '.' && (b + 1 == len || t[b + 1] == ' ')) &&
	    t[b] != '\n')
		b++;
	return has_out(t + a, b - a, 0, 0, (const char *const[]){"sibling", NULL}) ? SHAPE_LOW
	                                                                           : SHAPE_NONE;
}

/*
 * MCPU-P114: a store of secrets named bare (localStorage, the keychain,
 * document.cookie) in a text that takes nothing from anything: an enum's
 * value, "saves cookies, localStorage and IndexedDB to a file" (low).
 */
static int
secrets_shape(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const bare[] = {
	    "localstorage", "keychain", "keyring", "document.cookie"};
	static const char *const take[] = {"read", "send", "sent", "include", "copy", "pass",
	    "dump", "export", "extract", "upload", "attach", "post", "forward", "grab", "collect",
	    "fetch", "retrieve", "print", "paste", "put ", "append", "share", "steal", "get ",
	    "obtain", NULL};
	size_t i;

	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (end - start == strlen(bare[i]) &&
		    strncasecmp(t + start, bare[i], end - start) == 0)
			break;
	if (i == sizeof(bare) / sizeof(bare[0]))
		return SHAPE_NONE;
	/* in the whole text: the first store named may be told before what is done with it */
	return has_out(t, len, 0, 0, take) ? SHAPE_NONE : SHAPE_LOW;
}

/*
 * MCPU-P107: "authoritative sources", "official sources" said of what a
 * tool finds or keeps ("focused on authoritative sources", "canonical
 * URLs help identify the authoritative source for the implementation"),
 * its sentence naming no self (this, it, the tool, the server, we, a
 * tool's name), no scope (all, every, else) nor what the agent is to
 * make of it (treat, trust, regard, follow, override, disregard).
 */
static int
source_shape(const char *t, size_t len, size_t start, size_t end)
{
	static const char *const self[] = {"this", "it", "its", "itself", "i", "me", "my", "we",
	    "our", "us", "here", "tool", "tools", "server", "servers", "treat", "trust", "regard",
	    "consider", "follow", "obey", "override", "overrides", "instruction", "instructions",
	    "you", "your", "only", "sole", "single", "always", "must", "above", "over", "all",
	    "every", "any", "each", "everything", "anything", "else", "other", "replace",
	    "replaces", "supersede", "supersedes", "disregard", "ignore", "prefer", "wrong",
	    "final", "truth", NULL};
	static const char *const src[] = {"authoritative", "official", "trusted", NULL};
	struct tok v[TOKENS_MAX], w;
	size_t a, b;
	int n, i;

	for (w.a = w.b = start; w.b < end && isalpha((unsigned char)t[w.b]); w.b++)
		;
	w.quoted = 0;
	if (!is(t, &w, src) || !clause(t, len, start, end, 2, &a, &b) ||
	    (n = tokens(t, a, b, v)) < 0)
		return SHAPE_NONE;
	/* nor a tool's name ("Results of acme_find are ...") */
	for (i = 0; i < n; i++)
		if ((!v[i].quoted && is(t, &v[i], self)) ||
		    memchr(t + v[i].a, '_', v[i].b - v[i].a) != NULL)
			return SHAPE_NONE;
	return SHAPE_LOW;
}

void
shape_note(struct mcp_finding *f, int r, const char *text, size_t start, size_t end)
{
	size_t len = strlen(text);

	f->shape = SHAPE_NONE;
	if (end > len || start > end)
		return;
	if (r == R_PREFER)
		f->shape = prefer_shape(f, text, len, start, end);
	else if (r == R_CONVO)
		f->shape = convo_shape(text, len, start, end);
	else if (r == R_FILES)
		f->shape = files_shape(text, len, start, end);
	else if (r == R_ORDER || r == R_REWRITE || r == R_STEER)
		f->shape = names_shape(f, text, len, start, end, r == R_ORDER);
	else if (r == R_DESTROY)
		f->shape = destroy_shape(f, text, len, start, end);
	else if (r == R_SECRETS)
		f->shape = secrets_shape(text, len, start, end);
	else if (r == R_RIVAL)
		f->shape = rival_shape(text, len, start, end);
	else if (r == R_ADDRESS)
		f->shape = address_shape(text, len, start, end) == SHAPE_LOW
		    ? SHAPE_LOW
		    : link_shape(text, start, end);
	else if (r == R_SEND)
		f->shape = send_shape(text, len, start, end);
	else if (r == R_AUTH && source_shape(text, len, start, end) == SHAPE_LOW)
		f->shape = SHAPE_LOW;
	else if (r == R_AUTH && end - start == 11 &&
	    strncasecmp(text + start, "[important]", 11) == 0)
		f->shape =
		    SHAPE_LOW; /* a note's mark, as "IMPORTANT:" is: what follows is judged */
	if ((r == R_PREFER || r == R_ORDER) && f->shape == SHAPE_NONE)
		f->shape = setup_shape(f, text, len, start, end);
}

int
shape_name(struct mcp_scan *s, const char *list, const char *item, const char *name)
{
	struct mcp_scan_name *v, *e;
	size_t cap;

	/* a list whose schemas hold thousands of names still has each of its tools' kept */
	if (s->nnames >= (*name == '\0' ? NAMES_MAX + ITEMS_MAX : NAMES_MAX))
		return 0;
	if (s->nnames == s->capnames) {
		cap = s->capnames ? s->capnames * 2 : 16;
		if ((v = realloc(s->names, cap * sizeof(*v))) == NULL)
			return -1;
		s->names = v;
		s->capnames = cap;
	}
	e = &s->names[s->nnames++];
	e->list = list;
	scan_cut(e->item, sizeof(e->item), item);
	scan_cut(e->name, sizeof(e->name), name);
	return 0;
}

/*
 * FNV-1a of a name as a finding keeps it (cut by scan_cut); small: its
 * ASCII letters small, as the normal form gives a name in a text.
 */
static unsigned
fnv(const char *name, int small)
{
	char cut[MCP_CH_NAME_MAX + 1];
	unsigned h = FNV_INIT;
	const char *p;

	scan_cut(cut, sizeof(cut), name);
	for (p = cut; *p != '\0'; p++)
		h = (h ^ (unsigned char)(small ? tolower((unsigned char)*p) : *p)) * FNV_PRIME;
	return h;
}

int
shape_mention_add(struct mcp_scan *s, uint64_t e)
{
	uint64_t *v;
	size_t cap;

	if (s->nmention >= MENTIONS_MAX || (s->nmention > 0 && s->mention[s->nmention - 1] == e))
		return 0;
	if (s->nmention == s->capmention) {
		cap = s->capmention ? s->capmention * 2 : 64;
		if ((v = realloc(s->mention, cap * sizeof(*v))) == NULL)
			return -1;
		s->mention = v;
		s->capmention = cap;
	}
	s->mention[s->nmention++] = e;
	return 0;
}

int
shape_mention(struct mcp_scan *s, const struct scan_at *at, unsigned h)
{
	return shape_mention_add(s, (uint64_t)h << 32 | fnv(at->item, 0));
}

/* 1 when item is name with its server's prefix: "asana_search_tasks" for "search_tasks". */
static int
prefixed(const char *item, const char *name)
{
	size_t a = strlen(item), b = strlen(name);

	return a > b + 1 && strcmp(item + a - b, name) == 0 &&
	    (item[a - b - 1] == '_' || item[a - b - 1] == '-');
}

/*
 * 1 when a and b are one name but for a plural's s at the end of a part
 * ("get-test-signature" for "get-tests-signatures"), case aside: the
 * server's own tool, misspelt by its own author.
 */
static int
same_name(const char *a, const char *b)
{
#define PLURAL(p)                                                                                  \
	((*(p) == 's' || *(p) == 'S') && ((p)[1] == '\0' || (p)[1] == '_' || (p)[1] == '-'))
	while (*a != '\0' && *b != '\0') {
		if (tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
			a++;
			b++;
		} else if (PLURAL(a)) {
			a++;
		} else if (PLURAL(b)) {
			b++;
		} else {
			return 0;
		}
	}
	a += PLURAL(a);
	b += PLURAL(b);
#undef PLURAL
	return *a == '\0' && *b == '\0';
}

/*
 * 1 when a and b are one name's words in another order, a plural's s and
 * case aside ("records_get_details" for "get_record_details"): the
 * server's own tool, named as an older release named it.  At most eight
 * words of 31 bytes each.
 */
static int
same_words(const char *a, const char *b)
{
	char wa[8][32], wb[8][32];
	int na = 0, nb = 0, i, j, used[8] = {0};
	size_t k;

	for (int side = 0; side < 2; side++) {
		const char *p = side ? b : a;
		char(*w)[32] = side ? wb : wa;
		int *n = side ? &nb : &na;

		while (*p != '\0') {
			if (*p == '_' || *p == '-') {
				p++;
				continue;
			}
			if (*n == 8)
				return 0;
			for (k = 0; *p != '\0' && *p != '_' && *p != '-'; p++)
				if (k < sizeof(w[0]) - 1)
					w[*n][k++] = (char)tolower((unsigned char)*p);
				else
					return 0;
			if (k > 1 && w[*n][k - 1] == 's')
				k--;
			w[(*n)++][k] = '\0';
		}
	}
	if (na != nb || na < 2)
		return 0;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && (used[j] || strcmp(wa[i], wb[j]) != 0); j++)
			;
		if (j == nb)
			return 0;
		used[j] = 1;
	}
	return 1;
}

/* 1 when every name of f is its list's (a tool's) or its item's (a parameter's). */
static int
own_all(const struct mcp_scan *s, const struct mcp_finding *f)
{
	const struct mcp_scan_name *e;
	const char *p, *q;
	size_t i;
	int found, named = 0, prose = 0;

	for (p = f->own; *p != '\0'; p += strlen(p) + 1) {
		for (found = 0, i = 0; i < s->nnames && !found; i++) {
			e = &s->names[i];
			/*
			 * a name of any list for the instructions, a prompt or a
			 * resource: they speak of the server's tools
			 */
			if (e->list != f->list && strcmp(f->list, "tool") == 0)
				continue;
			if (*p == BRAND)
				found = e->name[0] == '\0' && strcasestr(e->item, p + 1) != NULL;
			else if (*p == STRICT_NAME)
				found = e->name[0] == '\0'
				    ? strcmp(e->item, p + 1) == 0
				    : strcmp(e->item, f->item) == 0 && strcmp(e->name, p + 1) == 0;
			else if (*p == ANY_NAME)
				found = e->name[0] == '\0' ? same_name(e->item, p + 1) ||
				        prefixed(e->item, p + 1) || same_words(e->item, p + 1)
				                           : strcasecmp(e->name, p + 1) == 0;
			else if (e->name[0] == '\0')
				found = strcmp(e->item, p) == 0 || prefixed(e->item, p);
			else
				found = strcmp(e->item, f->item) == 0 && strcmp(e->name, p) == 0;
		}
		q = *p == ANY_NAME ? p + 1 : p;
		if (!found && (*p == STRICT_NAME || !prose_like(q, strlen(q))))
			return 0;
		if (found)
			named = 1;
		else
			prose = 1;
	}
	return named || !prose; /* not when its names are all prose */
}

/* 1 when an item but f's (of any list), or the server's instructions, names f's item. */
static int
mentioned(const struct mcp_scan *s, const struct mcp_finding *f)
{
	unsigned h = fnv(f->item, 1), self = fnv(f->item, 0);
	size_t i;

	for (i = 0; i < s->nmention; i++)
		if ((unsigned)(s->mention[i] >> 32) == h && (unsigned)s->mention[i] != self)
			return 1;
	return 0;
}

void
shape_lower(struct mcp_scan *s)
{
	char ok[MCP_SCAN_MAX] = {0};
	size_t i, j;

	for (i = 0; i < s->n; i++)
		ok[i] = s->v[i].shape == SHAPE_LOW ||
		    (s->v[i].shape == SHAPE_OWN && own_all(s, &s->v[i])) ||
		    (s->v[i].shape == SHAPE_SETUP && own_all(s, &s->v[i]) &&
		        mentioned(s, &s->v[i]));
	/* a later match of a rule that a shape lowers too says nothing the first did not */
	for (i = j = 0; i < s->n; i++) {
		if (s->v[i].again && ok[i]) {
			s->count[s->v[i].sev]--;
			continue;
		}
		ok[j] = ok[i];
		if (j != i)
			s->v[j] = s->v[i];
		j++;
	}
	s->n = j;
	for (i = 0; i < s->n; i++) {
		if (!ok[i] || s->v[i].sev == MCP_SEV_LOW)
			continue;
		for (j = 0; j < s->n; j++)
			if (j != i && !ok[j] && s->v[j].sev != MCP_SEV_LOW &&
			    s->v[j].list == s->v[i].list && strcmp(s->v[j].item, s->v[i].item) == 0)
				break;
		if (j < s->n)
			continue;
		s->count[s->v[i].sev]--;
		s->count[MCP_SEV_LOW]++;
		s->v[i].sev = MCP_SEV_LOW;
	}
	for (i = 0; i < s->n; i++)
		s->v[i].shape = SHAPE_NONE;
	free(s->names);
	s->names = NULL;
	s->nnames = s->capnames = 0;
	free(s->mention);
	s->mention = NULL;
	s->nmention = s->capmention = 0;
}
