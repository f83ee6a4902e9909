/*
 * sync.h - what sync.c (the crawl) and store.c (the store's side
 * of a sync) share: the state of one sync.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef REG_SYNC_H
#define REG_SYNC_H

#include "reg.h"
#include "store.h"
#include "strmap.h"

struct fields {
	struct reg_field *v;
	size_t n, cap;
};

struct sync {
	const struct reg_opts *o;
	double now;
	double deadline; /* mcp_mono() seconds the sync must end by */
	int full, tty;
	struct fields old, nw;
	struct mcp_strmap oldkey; /* key -> index in old */
	struct mcp_strmap newkey; /* key -> index in nw */
	struct mcp_strmap slugs;  /* slug -> owner key (ptr): fields' and aliases' */
	struct mcp_strmap others; /* the operator's slugs: mcp:slugs, not the registry's */
	redisReply *others_r;     /* owned: the keys of others */
	struct alias *aliases;    /* owned */
	size_t naliases;
	struct mcp_strmap names; /* names seen in this crawl */
	long pages, entries, skipped;
	size_t staged;      /* bytes of the fields this crawl made */
	long gone;          /* servers a full pass found gone from the listing */
	double max_updated; /* the latest updatedAt seen, -1 for none */
	double start;       /* when the crawl began, by the registry's clock if earlier */
	char since[64];     /* updated_since of the last sync, "" for none */
	double last_full;   /* -1 for none */
	char prev_base[REG_BASE_MAX + 1];
};

/* A slug the sync moved (mcp:registry:aliases), and where to: both owned. */
struct alias {
	char *from, *to;
};

/*
 * The counts of the summary, over the store: the servers and their fields
 * not deleted by state, what became of their remotes (the sum of each
 * server's fields' "dropped" and "duplicates"), and the bytes of the hash.
 */
struct counts {
	long servers, targets, conf, refused, local;
	long remotes, dropped, duplicates;
	size_t bytes;
};

/* The slugs probed before a sync (guard.c): the map's own copies. */
struct reg_probed {
	struct mcp_strmap set;
	size_t n; /* the fields probed */
};

/* Append f (moved in) to fs.  0, or -1 when memory ran out. */
int reg_fields_add(struct fields *fs, struct reg_field *f);
void reg_fields_free(struct fields *fs);

/*
 * The last sync's hash, the stored fields, the slugs moved and the
 * operator's slugs into s; two fields of one owner (a store of before)
 * made one, the other slug an alias.  0, or -1 with err.
 */
int reg_read_store(struct mcp_store *st, struct sync *s, char *err, size_t len);

/*
 * owners.c: the slugs' owners, once the fields are read into s->old
 * (aliases: HGETALL of mcp:registry:aliases; slugs: ZRANGE of mcp:slugs):
 * two fields of one owner made one (the other slug an alias), the maps
 * s->oldkey, s->slugs and s->others.  0, or -1 when memory ran out.
 */
int reg_owners(struct sync *s, const redisReply *aliases, const redisReply *slugs);

/*
 * The slugs of the fields of s->nw new to the store (reg_give_slugs);
 * one left without a free slug is named, counted in s->skipped, and
 * dropped (its json NULL).  0, or -1 when memory ran out.
 */
int reg_give_new(struct sync *s);

/* What reg_read_store keeps beside the fields: the aliases, the operator's slugs. */
void reg_store_free(struct sync *s);

/*
 * The store's fields after the crawl, in s->old: a field seen replaced, one
 * not seen deleted by a full pass or when its server was seen with fewer
 * remotes, new ones added with the slugs of reg_give_slugs (one left
 * without a free slug named, counted in s->skipped, and dropped); s->gone
 * the servers a full pass deleted.  0, or -1 when memory ran out.
 */
int reg_merge(struct sync *s);

/* The counts of the summary over s->old.  0, or -1 when memory ran out. */
int reg_count(const struct sync *s, struct counts *c);

/* The state of a stored field (one read back is read from its JSON). */
int reg_state_of(const struct reg_field *f);

/* The slugs of s->old probed now, into p (reg_probed_free).  0, or -1. */
int reg_probed_begin(const struct sync *s, struct reg_probed *p);
void reg_probed_free(struct reg_probed *p);

/*
 * 1 when the merged s changes too much to be believed without --force
 * (why in err): a full pass deleting more than REG_GONE_SHARE per cent of
 * the servers; the targets of p no longer probed, by whatever path, past
 * that share; the targets or the bytes of the hash grown past twice.
 */
int reg_too_much(const struct sync *s, const struct reg_probed *p, const struct counts *prev,
    const struct counts *c, char *err, size_t len);

/* 1 when the hash would pass REG_STORE_MAX bytes (why in err): refused even with --force. */
int reg_too_big(const struct counts *c, char *err, size_t len);

/* Write s->old and the sync hash in one MULTI/EXEC (two on a cluster).  0, or -1 with err. */
int reg_write_store(
    struct mcp_store *st, const struct sync *s, const struct counts *c, char *err, size_t len);

/*
 * Before a warning of the crawl: when a progress line is on the terminal,
 * end it, so that the warning has a line of its own.
 */
void reg_warn_begin(void);

#endif
