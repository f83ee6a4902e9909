/*
 * tokens.c - what the probe keeps of OAuth within a run and across runs:
 * the pinned authorization servers' metadata (once a run and issuer) and
 * the tokens got, keyed by (issuer, client, resource, scope, grant), each
 * stored with its issuer and resource and never handed out for another.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "mcp.h"
#include "oauth.h"

#define TOKEN_MAX 16384
/* The first line of a cache file: a file of another format is no token. */
#define DISK_MAGIC "mcp-probe-token 2"
/* A cached token is never trusted to live longer than this. */
#define LIFE_MAX (366 * 86400.0)

/* A token held for a key. */
struct tok {
	struct tok *next;
	char key[65];
	char *issuer, *resource; /* what it was minted for */
	char *token;             /* wiped */
	double expires;          /* epoch: use until then; 0: this run only */
};

/* A pinned issuer's metadata. */
struct meta {
	struct meta *next;
	char *issuer;
	cJSON *m;
};

static struct tok *toks;
static struct meta *metas;

const cJSON *
tokens_meta(const char *issuer)
{
	struct meta *a;

	for (a = metas; a != NULL; a = a->next)
		if (strcmp(a->issuer, issuer) == 0)
			return a->m;
	return NULL;
}

/* Keep m (owned) as issuer's metadata for the run; the first kept wins. */
const cJSON *
tokens_meta_put(const char *issuer, cJSON *m)
{
	const cJSON *had = tokens_meta(issuer);
	struct meta *a;

	if (had != NULL) {
		cJSON_Delete(m);
		return had;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL || (a->issuer = strdup(issuer)) == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
	a->m = m;
	a->next = metas;
	metas = a;
	return m;
}

/* The cache key: sha256 hex of the tuple, each part ended by a NUL. */
void
tokens_key(const char *issuer, const char *client, const char *res, const char *scope,
    const char *grant, char out[65])
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	const char *parts[] = {issuer, client, res, scope, grant};
	int i;

	if (c == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	for (i = 0; i < 5; i++)
		EVP_DigestUpdate(c, parts[i], strlen(parts[i]) + 1);
	EVP_DigestFinal_ex(c, d, NULL);
	EVP_MD_CTX_free(c);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int
cache_path(const struct probe *p, const char *key, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", p->o->oauth_cache, key);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The n-th line of s (cut at its newline), or NULL. */
static char *
line_of(char *s, int n)
{
	char *e;

	for (; n > 0 && s != NULL; n--)
		s = (e = strchr(s, '\n')) != NULL ? e + 1 : NULL;
	if (s != NULL && (e = strchr(s, '\n')) != NULL)
		*e = '\0';
	return s;
}

/*
 * A token from the cache directory: its file the owner's alone, regular,
 * fresh, and minted for this issuer and resource.
 */
static char *
disk_get(const struct probe *p, const char *key, const char *issuer, const char *resource,
    double *expires)
{
	char path[4200], buf[TOKEN_MAX + 8192], *l[5], *end, *tok = NULL;
	double now = mcp_now();
	struct stat st;
	ssize_t n;
	int fd, i;

	if (p->o->oauth_cache == NULL || cache_path(p, key, path, sizeof(path)) == -1 ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) == -1)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 077) == 0 && (n = read(fd, buf, sizeof(buf) - 1)) > 0 &&
	    (size_t)n < sizeof(buf) - 1 && buf[n - 1] == '\n') {
		/* Whole, and ended by its newline: a file cut short is no token. */
		buf[n] = '\0';
		/* Lines 4 to 0: each is cut at its newline as it is found. */
		for (i = 4; i >= 0; i--)
			l[i] = line_of(buf, i);
		if (l[4] != NULL && strcmp(l[0], DISK_MAGIC) == 0 && strcmp(l[2], issuer) == 0 &&
		    strcmp(l[3], resource) == 0 && grant_token_ok(l[4])) {
			*expires = strtod(l[1], &end);
			if (end != l[1] && *end == '\0' && *expires > now &&
			    *expires <= now + LIFE_MAX && (tok = strdup(l[4])) == NULL)
				err(MCP_EXIT_FAIL, "out of memory");
		}
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return tok;
}

/* Written to a new file of mode 0600 and renamed into place: never through a link. */
static void
disk_put(const struct probe *p, const char *key, const struct tok *t)
{
	char path[4200], tmp[4300];
	struct mcp_buf b = {0};
	int fd, ok;

	if (p->o->oauth_cache == NULL || cache_path(p, key, path, sizeof(path)) == -1 ||
	    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return;
	if ((fd = mkstemp(tmp)) == -1)
		return;
	b.max = TOKEN_MAX + 8192;
	ok = mcp_buf_addf(&b, "%s\n%.3f\n%s\n%s\n%s\n", DISK_MAGIC, t->expires, t->issuer,
	         t->resource, t->token) == 0 &&
	    write(fd, b.p, b.len) == (ssize_t)b.len;
	if (b.p != NULL)
		OPENSSL_cleanse(b.p, b.cap);
	mcp_buf_free(&b);
	ok = close(fd) == 0 && ok && rename(tmp, path) == 0;
	if (!ok)
		unlink(tmp);
}

static struct tok *
mem_find(const char *key)
{
	struct tok *t;

	for (t = toks; t != NULL; t = t->next)
		if (strcmp(t->key, key) == 0)
			return t;
	return NULL;
}

/*
 * A token for key minted for issuer and resource, from the run's cache or
 * the cache directory (*src says which): owned, or NULL.  *expires is 0
 * for a token kept for this run only.
 */
char *
tokens_get(const struct probe *p, const char *key, const char *issuer, const char *resource,
    double *expires, const char **src)
{
	struct tok *t = mem_find(key);
	char *tok;

	if (t != NULL && t->token != NULL && strcmp(t->issuer, issuer) == 0 &&
	    strcmp(t->resource, resource) == 0 && (t->expires == 0 || t->expires > mcp_now())) {
		if ((tok = strdup(t->token)) == NULL)
			err(MCP_EXIT_FAIL, "out of memory");
		*expires = t->expires;
		*src = "run-cache";
		return tok;
	}
	if ((tok = disk_get(p, key, issuer, resource, expires)) == NULL)
		return NULL;
	*src = "cache";
	tokens_put(p, key, issuer, resource, tok, *expires, 0);
	return tok;
}

/*
 * Keep token for key in the run's cache and, with a known lifetime
 * (expires > 0) and disk set, in the cache directory.
 */
void
tokens_put(const struct probe *p, const char *key, const char *issuer, const char *resource,
    const char *token, double expires, int disk)
{
	struct tok *t = mem_find(key);

	if (t == NULL) {
		if ((t = calloc(1, sizeof(*t))) == NULL)
			err(MCP_EXIT_FAIL, "out of memory");
		snprintf(t->key, sizeof(t->key), "%s", key);
		t->next = toks;
		toks = t;
	}
	mcp_wipe_free(&t->token);
	free(t->issuer);
	free(t->resource);
	t->token = strdup(token);
	t->issuer = strdup(issuer);
	t->resource = strdup(resource);
	if (t->token == NULL || t->issuer == NULL || t->resource == NULL)
		err(MCP_EXIT_FAIL, "out of memory");
	t->expires = expires;
	if (disk && expires > 0)
		disk_put(p, key, t);
}

/* A token the server refused: forgotten in the run and on disk. */
void
tokens_drop(const struct probe *p, const char *key)
{
	struct tok *t = mem_find(key);
	char path[4200];

	if (t != NULL)
		mcp_wipe_free(&t->token);
	if (p->o->oauth_cache != NULL && cache_path(p, key, path, sizeof(path)) == 0)
		unlink(path);
}

void
oauth_cleanup(void)
{
	struct meta *a;
	struct tok *t;

	while ((t = toks) != NULL) {
		toks = t->next;
		mcp_wipe_free(&t->token);
		free(t->issuer);
		free(t->resource);
		free(t);
	}
	while ((a = metas) != NULL) {
		metas = a->next;
		free(a->issuer);
		cJSON_Delete(a->m);
		free(a);
	}
}

void
oauth_cache_check(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		errx(MCP_EXIT_USAGE, "--oauth-cache %s: %s", dir, strerror(errno));
	if (lstat(dir, &st) == -1)
		errx(MCP_EXIT_USAGE, "--oauth-cache %s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode))
		errx(MCP_EXIT_USAGE, "--oauth-cache %s: a symbolic link: give the directory itself",
		    dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0)
		errx(MCP_EXIT_USAGE,
		    "--oauth-cache %s: want a directory of this user's that only it may access "
		    "(chmod 700)",
		    dir);
}
