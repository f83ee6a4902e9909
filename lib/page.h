/*
 * page.h - the keys and bounds of the status page's posts and
 * subscriptions, which two tools share: mcp-alert writes the posts, takes
 * the subscription requests and delivers the notices; mcp-serve shows the
 * posts and takes the requests, confirmations and unsubscriptions of the
 * page's readers.  Every key holds the hash tag {page}, so that one Lua
 * script may touch any of them on a Redis Cluster.  mcp-store(7), "Posts
 * and subscriptions", is the reference.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#ifndef MCP_PAGE_H
#define MCP_PAGE_H

#define PAGE_K "mcp:{page}:"
#define PAGE_POST_SEQ PAGE_K "post:seq"       /* INCR: the next post's id */
#define PAGE_POST PAGE_K "post:"              /* + ID: the post, JSON */
#define PAGE_POSTS PAGE_K "posts"             /* zset: every post, by its creation */
#define PAGE_POSTS_OPEN PAGE_K "posts:open"   /* zset: the posts not resolved */
#define PAGE_POSTS_WHOLE PAGE_K "posts:whole" /* zset: the posts about the whole page */
#define PAGE_POSTS_SLUG PAGE_K "posts:slug:"  /* + SLUG: zset, the posts about SLUG */
#define PAGE_NOTICE PAGE_K "notice:"          /* + ID: a notice, JSON */
#define PAGE_NOTICES PAGE_K "notices"         /* list: the ids of notices to fan out */
#define PAGE_REQUESTS PAGE_K "requests"       /* list: subscription requests, JSON, no address */
#define PAGE_ASK PAGE_K "ask:"              /* + SHA-256 of an address: a hash, the address asked */
#define PAGE_PENDING PAGE_K "pending:"      /* + SHA-256 of a token: JSON, no address */
#define PAGE_SUB PAGE_K "sub:"              /* + ID: a subscriber, a hash */
#define PAGE_SUBS PAGE_K "subs"             /* set: every subscriber */
#define PAGE_SUBS_WHOLE PAGE_K "subs:whole" /* set: the subscribers of every slug */
#define PAGE_HOOKS PAGE_K "hooks"           /* set: the webhook and Slack subscribers */
#define PAGE_SUBS_SLUG PAGE_K "subs:slug:"  /* + SLUG: set */
#define PAGE_ADDR PAGE_K "addr:"            /* + SHA-256 of an address: its subscriber */
#define PAGE_LIMIT PAGE_K "limit:"          /* + client:P, net:N, token:P, all */
#define PAGE_MAILBOX PAGE_K "outbox:mail"   /* list: the mail to subscribers */
#define PAGE_OUTBOX PAGE_K "outbox:"        /* + ID: a webhook or Slack subscriber's */
#define PAGE_OUTBOXES PAGE_K "outboxes"     /* set: the subscribers with an outbox */
#define PAGE_DEAD PAGE_K "dead"             /* list: deliveries given up, without addresses */
#define PAGE_MAINT_TOLD PAGE_K "maint:told" /* hash: SLUG -> the phase told of its window */
#define PAGE_MAINT_DUE PAGE_K "maint:due"   /* zset: SLUG -> when its window next changes */
#define PAGE_OPEN PAGE_K "open" /* the page's URL while mcp-alert can mail subscribers */
#define PAGE_OPEN_TTL 86400     /* seconds it lasts after mcp-alert's last run */

/* A post (mcp-alert(1), "Posts"). */
#define PAGE_TITLE_MAX 200      /* bytes of a title */
#define PAGE_TEXT_MAX 2000      /* bytes of an update's text */
#define PAGE_UPDATES_MAX 50     /* updates of a post */
#define PAGE_POST_SLUGS_MAX 32  /* slugs a post is about */
#define PAGE_OPEN_MAX 20        /* posts open at once */
#define PAGE_POST_BYTES 262144  /* a stored post longer than this is not read */
#define PAGE_POST_KEEP 34560000 /* seconds a resolved post is kept: 400 days */

/* Subscriptions (mcp-serve(8), "Subscriptions"). */
#define PAGE_SUB_SLUGS_MAX 32   /* slugs a subscriber follows (else: all) */
#define PAGE_SUBS_MAX 10000     /* subscribers */
#define PAGE_HOOKS_MAX 100      /* webhook and Slack subscribers among them */
#define PAGE_TOKEN_HEX 40       /* a token: 160 random bits, in hex */
#define PAGE_ID_HEX 16          /* a subscriber's id: a letter and 64 random bits */
#define PAGE_PENDING_TTL 86400  /* seconds a confirmation link lasts */
#define PAGE_REQUESTS_MAX 1000  /* requests waiting for mcp-alert */
#define PAGE_ASK_TOKENS 8       /* confirmation tokens of an address alive at once */
#define PAGE_NOTICES_MAX 1000   /* notices waiting for their fan-out */
#define PAGE_NOTICE_TTL 1209600 /* seconds a notice is kept for its deliveries: 14 days */

/*
 * Lua, for a script with the subscriber's key in k, its slugs in slugs and
 * its id in ARGV[1]: every trace of it that mcp-alert's removal and
 * mcp-serve's unsubscription both take away (mcp-serve(8)): its sets, its
 * address's key when it is its own, what its address asked (the record,
 * its confirmations' tokens, its requests) and its jobs in the mail
 * outbox (read whole: it is bounded by the subscribers' count times the
 * notices of a run).  Each script then removes what is its own.
 */
/* clang-format off */
#define PAGE_FORGET_LUA \
    "local function purge(key, needle)\n" \
    "  for _, j in ipairs(redis.call('LRANGE', key, 0, -1)) do\n" \
    "    if string.find(j, needle, 1, true) then redis.call('LREM', key, 0, j) end end end\n" \
    "if slugs == '*' then redis.call('SREM', '" PAGE_SUBS_WHOLE "', ARGV[1])\n" \
    "else for s in string.gmatch(slugs, '%S+') do\n" \
    "  redis.call('SREM', '" PAGE_SUBS_SLUG "' .. s, ARGV[1]) end end\n" \
    "local ah = redis.call('HGET', k, 'ah')\n" \
    "if ah then\n" \
    "  if redis.call('GET', '" PAGE_ADDR "' .. ah) == ARGV[1] then\n" \
    "    redis.call('DEL', '" PAGE_ADDR "' .. ah) end\n" \
    "  local ask = '" PAGE_ASK "' .. ah\n" \
    "  for t in string.gmatch(redis.call('HGET', ask, 'p') or '', '%S+') do\n" \
    "    redis.call('DEL', '" PAGE_PENDING "' .. t) end\n" \
    "  redis.call('DEL', ask)\n" \
    "  purge('" PAGE_REQUESTS "', '\"h\":\"' .. ah .. '\"')\n" \
    "  purge('" PAGE_MAILBOX "', '\"ask\":\"' .. ah .. '\"')\n" \
    "end\n" \
    "purge('" PAGE_MAILBOX "', '\"sub\":\"' .. ARGV[1] .. '\"')\n" \
    "redis.call('SREM', '" PAGE_SUBS "', ARGV[1])\n"
/* clang-format on */

#define PAGE_ADDR_MAX 254 /* bytes of an address (RFC 5321: a path of 256) */

/*
 * 1 when a is an address a reader may subscribe: LOCAL@DOMAIN, lower-case
 * printable ASCII of at most PAGE_ADDR_MAX bytes, a local part of at most
 * 64 without the characters that quote, comment, route or list, a domain
 * of dotted labels of letters, digits and hyphens.
 */
int mcp_page_addr_ok(const char *a);
/* 1 when s is a subscriber's id: e (email), w (webhook) or k (Slack), and 16 hex digits. */
int mcp_page_id_ok(const char *s);

#endif
