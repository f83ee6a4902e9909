/*
 * reg.h - what the files of the registry's room share: the MCP Registry
 * as the fleet (mcp-aggregate(1) "registry sync", "targets"; the keys in
 * mcp-store(7)).  Only registry/ includes it: the rest of mcp-aggregate
 * comes in through registry.h.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef REG_H
#define REG_H

#include <stddef.h>

#include <cJSON.h>

#include "../aggregate/aggregate.h"
#include "buf.h"
#include "strmap.h"

#define REG_KEY_SERVERS "mcp:registry:servers"
#define REG_KEY_SYNC "mcp:registry:sync"
#define REG_KEY_ALIASES MCP_KEY_ALIASES /* slugs moved, old -> new */
#define REG_BASE "https://registry.modelcontextprotocol.io"
#define REG_PAGE_MAX (4 << 20) /* bytes of one page */
#define REG_PAGES_MAX 100000   /* pages of one crawl */
#define REG_ENTRIES_MAX 500000 /* entries of one crawl (twice a registry of 250,000) */
#define REG_BASE_MAX 256       /* bytes of the registry's base URL (the operator's) */

/*
 * The bounds of what one entry may bring into the store, each from the
 * largest of the real registry (2025-12-18: 1,108 servers, 621 remotes)
 * with a margin (mcp-aggregate(1) "registry sync", LIMITS).
 */
#define REG_NAME_MAX 1024         /* bytes of a server name listed (longer: skipped) */
#define REG_NAME_KEPT 256         /* bytes of a name stored, cut at a character (real: 75) */
#define REG_VERSION_MAX 64        /* bytes of a version kept, longer: null (real: 24) */
#define REG_URL_MAX 512           /* bytes of a remote's URL, variables filled (real: 80) */
#define REG_HEADERS_LISTED 32     /* headers listed by one remote, more: refused (real: 9) */
#define REG_HEADER_NAME_MAX 64    /* bytes of a header's name (real: 20) */
#define REG_HEADER_VALUE_MAX 256  /* bytes of a header's value, variables filled (real: 27) */
#define REG_REMOTES_MAX 64        /* distinct remotes kept of one server (real: 30) */
#define REG_FIELD_MAX 4096        /* bytes of one stored value (real: 502) */
#define REG_SERVER_MAX (64 << 10) /* bytes of one server's stored values (real: 9,690) */
#define REG_STORE_MAX (128 << 20) /* bytes of mcp:registry:servers (real: 465,615) */
#define REG_STORE_FAT (32 << 20)  /* bytes of a crawl's fields past which they must be thin */
#define REG_ENTRY_AVG 2048        /* ... at most these bytes an entry listed (real: 465) */
#define REG_GROW_MIN (1 << 20)    /* bytes the store may grow past twice without --force */
#define REG_FULL_EVERY AGG_DAY    /* a full pass at least this often */

#define REG_GONE_MIN 5     /* servers a full pass may delete whatever the share */
#define REG_GONE_SHARE 20  /* per cent of the servers a full pass may delete */
#define REG_DEADLINE 480   /* seconds of a sync by default (the unit allows 600) */
#define REG_SKEW 300       /* seconds an updatedAt may be ahead of our clock */
#define REG_SINCE_SLACK 60 /* seconds the next updated_since goes back */

struct reg_opts {
	const char *base;   /* the registry's base URL, no trailing slash */
	int full;           /* --full */
	int allow_http;     /* --allow-http */
	int force;          /* --force: past the guards of deletions and growth */
	double deadline;    /* --deadline: seconds the whole sync may take */
	const char *cacert; /* --cacert: the CA file of an https registry, or NULL */
};

/* One field of mcp:registry:servers, as a sync builds it. */
struct reg_field {
	char *slug;  /* owned */
	char *key;   /* owned: "REMOTE:NAME" ("0:NAME" for none too), the slug's owner */
	char *name;  /* owned, valid UTF-8 */
	char *json;  /* owned: the stored value */
	int deleted; /* status "deleted" */
	int state;   /* one of enum reg_state */
};

enum reg_state { REG_PROBE, REG_NEEDS_CONF, REG_LOCAL, REG_REFUSED, REG_NSTATES };

/* What became of the remotes one entry lists. */
struct reg_remotes {
	long listed;     /* remotes listed */
	long dropped;    /* left out: past REG_REMOTES_MAX or REG_SERVER_MAX */
	long duplicates; /* left out: the URL and headers of one kept already */
};

/*
 * The fields of one registry entry (the "server" object and its "_meta")
 * into *out (an owned array of *n fields without slugs, owned json), what
 * became of its remotes in *rc.  0, or -1 with why the entry is of the
 * wrong shape in err.
 */
int reg_entry_fields(const cJSON *entry, const struct reg_opts *o, double now,
    struct reg_field **out, size_t *n, struct reg_remotes *rc, char *err, size_t len);

/*
 * The slug of remote (-1: none) of name by the rule of mcp-store(7): the
 * plain one, or with hashed set, the one cut and given 8 hex digits of
 * SHA-256 of the name, a NUL and the remote.  -1 when the plain one is
 * not a slug (too long, all dots).
 */
int reg_slug(const char *name, int remote, int hashed, char *buf, size_t len);

/* 1 when the literal IP host is in a refused range; why names the class. */
int reg_ip_refused(const char *host, const char **why);

/*
 * The owner key of a field: "REMOTE:NAME", "0:NAME" for none too (owned,
 * or NULL).  A slug, once given, stays with its owner.
 */
char *reg_key(const char *name, int remote);

/*
 * 1 when name is NAMESPACE/NAME, one slash with something on each side
 * (the registry's schema): a registry slug then always holds the "." of
 * the slash, and a name such as "billing" cannot stand as an operator's
 * own target does.
 */
int reg_name_ok(const char *name);

/*
 * Give slugs to the n fields v (new to the store, slugs NULL; v is
 * sorted): those given already (given: slug -> owner key) and others'
 * (others: the operator's, or NULL) are taken; of the fields that want
 * one free slug, the bytewise-smallest (name, remote) takes it, whatever
 * the order they came in.  First the plain slugs, then the hashed ones;
 * a field left without one keeps slug NULL.  Each slug given is added to
 * given.  0, or -1 when memory ran out.
 */
int reg_give_slugs(
    struct reg_field **v, size_t n, struct mcp_strmap *given, const struct mcp_strmap *others);

/*
 * Of two slugs a and b given to one owner (name's remote 0 and its field
 * of no remote, before they shared an owner), the one it keeps: 0 for a,
 * 1 for b.  The plain one, else the hashed one (the slugs the rule gives
 * now), else the bytewise-smaller.
 */
int reg_twin_keeps(const char *name, const char *a, const char *b);

void reg_field_free(struct reg_field *f);

/* n with a comma every three digits, into buf (guard.c); buf. */
const char *reg_thousands(long n, char *buf, size_t len);

int reg_sync(const struct agg_opts *ao, const struct reg_opts *o);

struct reg_targets_opts {
	const char *overrides;     /* -o FILE, or NULL */
	unsigned shard_k, shard_n; /* --shard K/N, 1-based; 0/0: every target */
};

int reg_targets(const struct agg_opts *ao, const struct reg_targets_opts *o);

/* 1 when slug falls in shard k of n (1-based): first 4 bytes of SHA-256 mod n == k-1. */
int reg_shard_of(const char *slug, unsigned k, unsigned n);

#endif
