/*
 * push.c - mcp-aggregate push: probe records on stdin into the store, one
 * Lua call per result (first writer wins, and only a stored result counts
 * in the latency histograms), pipelined in batches; a local spool when
 * Redis cannot be reached, replayed by the next push.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aggregate.h"
#include "json.h"
#include "loop.h"
#include "mcp.h"

#define DEFAULT_SPOOL "/var/spool/mcp-uptime/aggregate.jsonl"
#define HASH_MAX 128

/*
 * KEYS: res:W seen hash drift lat:HOUR latsum latidx meta.  ARGV: region
 * value started window hash|'' bucket|'' ttl-short ttl-long hour
 * lat-prefix host|''.  Returns 1 when stored, 0 for a late duplicate of
 * (slug, region, window), which changes nothing.
 *
 * meta keeps the host of the latest result by start ("host_at"), so a
 * result pushed late (a slow region, the spool) does not bring back an
 * old host.
 *
 * latsum is the sum of the hourly latency histograms lat:X of the hours
 * [hour - 23, hour], "hour" the newest, "n" the count, "n:X" the count
 * each hour adds; latidx orders its buckets.  A newer hour subtracts and
 * deletes the hours that leave the 24; if one of them has expired, the sum
 * is built again from the hours still there.
 */
static const char push_lua[] =
    "if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end\n"
    "redis.call('EXPIRE', KEYS[1], ARGV[7])\n"
    "local t = tonumber(ARGV[3])\n"
    "redis.call('ZADD', KEYS[2], 'GT', t, ARGV[1])\n"
    "redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (t - 172800))\n"
    "redis.call('EXPIRE', KEYS[2], ARGV[7])\n"
    "if ARGV[11] ~= '' then\n"
    "  local at = tonumber(redis.call('HGET', KEYS[8], 'host_at'))\n"
    "  if not at or t >= at then\n"
    "    redis.call('HSET', KEYS[8], 'host', ARGV[11], 'host_at', ARGV[3])\n"
    "  end\n"
    "  redis.call('EXPIRE', KEYS[8], ARGV[8])\n"
    "end\n"
    "if ARGV[6] ~= '' then\n"
    "  local h, sum, idx, pre = tonumber(ARGV[9]), KEYS[6], KEYS[7], ARGV[10]\n"
    "  local function add(b, k)\n"
    "    k = tonumber(k)\n"
    "    local v = redis.call('HINCRBY', sum, b, k)\n"
    "    if v <= 0 then\n"
    "      redis.call('HDEL', sum, b)\n"
    "      redis.call('ZREM', idx, b)\n"
    "    elseif v == k then\n"
    "      redis.call('ZADD', idx, b, b)\n"
    "    end\n"
    "  end\n"
    "  local top = tonumber(redis.call('HGET', sum, 'hour'))\n"
    "  if not top or h > top then\n"
    "    local rebuild = not top\n"
    "    for x = (top or h) - 23, math.min(top or h, h - 24) do\n"
    "      if rebuild then break end\n"
    "      local n = redis.call('HGET', sum, 'n:' .. x)\n"
    "      if n then\n"
    "        local c = redis.call('HGETALL', pre .. x)\n"
    "        if #c == 0 then rebuild = true end\n"
    "        for i = 1, #c, 2 do add(c[i], -c[i + 1]) end\n"
    "        redis.call('HINCRBY', sum, 'n', -n)\n"
    "        redis.call('HDEL', sum, 'n:' .. x)\n"
    "        redis.call('DEL', pre .. x)\n"
    "      end\n"
    "    end\n"
    "    if rebuild then\n"
    "      redis.call('DEL', sum, idx)\n"
    "      for x = h - 23, h do\n"
    "        local c, n = redis.call('HGETALL', pre .. x), 0\n"
    "        for i = 1, #c, 2 do\n"
    "          add(c[i], c[i + 1])\n"
    "          n = n + c[i + 1]\n"
    "        end\n"
    "        if n > 0 then\n"
    "          redis.call('HSET', sum, 'n:' .. x, n)\n"
    "          redis.call('HINCRBY', sum, 'n', n)\n"
    "        end\n"
    "      end\n"
    "    end\n"
    "    redis.call('HSET', sum, 'hour', h)\n"
    "    top = h\n"
    "  end\n"
    "  if h > top - 24 then\n"
    "    redis.call('HINCRBY', KEYS[5], ARGV[6], 1)\n"
    "    add(ARGV[6], 1)\n"
    "    redis.call('HINCRBY', sum, 'n', 1)\n"
    "    redis.call('HINCRBY', sum, 'n:' .. h, 1)\n"
    "    redis.call('EXPIRE', KEYS[5], ARGV[7])\n"
    "    redis.call('EXPIRE', sum, ARGV[7])\n"
    "    redis.call('EXPIRE', idx, ARGV[7])\n"
    "  end\n"
    "end\n"
    "if ARGV[5] ~= '' then\n"
    "  local prev = redis.call('HGET', KEYS[3], ARGV[1])\n"
    "  local pt, ph\n"
    "  if prev then\n"
    "    local sp = string.find(prev, ' ', 1, true)\n"
    "    pt, ph = tonumber(string.sub(prev, 1, sp - 1)), string.sub(prev, sp + 1)\n"
    "  end\n"
    "  if not pt or t > pt then\n"
    "    redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. ' ' .. ARGV[5])\n"
    "    if ph and ph ~= ARGV[5] then\n"
    "      redis.call('ZADD', KEYS[4], ARGV[4],\n"
    "        ARGV[4] .. ' ' .. ARGV[1] .. ' ' .. ph .. ' ' .. ARGV[5])\n"
    "      redis.call('EXPIRE', KEYS[4], ARGV[7])\n"
    "    end\n"
    "  end\n"
    "  redis.call('EXPIRE', KEYS[3], ARGV[8])\n"
    "  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. (t - 90000))\n"
    "end\n"
    "return 1\n";

/* One validated result record waiting for its round trip. */
struct pending {
	char slug[MCP_SLUG_MAX + 1];
	char region[MCP_SLUG_MAX + 1];
	char started[32];
	long long window;
	char value[32 + HASH_MAX];
	char hash[HASH_MAX + 1];
	char bucket[16];             /* the latency bucket of a passing result, or "" */
	char host[AGG_HOST_MAX + 1]; /* the host of its URL, or "" */
	struct mcp_buf line;         /* the record, for the spool */
	int done;
};

struct pctx {
	struct mcp_store *st; /* NULL: Redis is down, records go to the spool */
	char sha[41];
	const char *spool;
	const char *name; /* the stream being read, for messages */
	FILE *in;         /* the stream being read */
	int replaying;    /* reading the spool: never re-spool */
	struct pending *b;
	size_t n;
	long stored, dups, steps, spooled, replayed;
	int failed;    /* records could be neither stored nor spooled */
	double latest; /* the latest probe start pushed */
};

static const char *
str_of(const cJSON *rec, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Fields every probe record shares; a reason, or NULL when good. */
static const char *
check_common(const cJSON *rec, const char **slug, const char **region, double *started)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "probe_started_at");

	if ((*slug = str_of(rec, "slug")) == NULL)
		return "missing \"slug\"";
	if (!mcp_slug_ok(*slug))
		return "bad \"slug\": not [a-z0-9._-]{1,80}";
	if ((*region = str_of(rec, "region")) == NULL)
		return "missing \"region\"";
	if (!mcp_slug_ok(*region))
		return "bad \"region\": not [a-z0-9._-]{1,80}";
	if (!cJSON_IsNumber(t) || !isfinite(t->valuedouble) || t->valuedouble < 0 ||
	    t->valuedouble > 1e11)
		return "missing or bad \"probe_started_at\"";
	*started = t->valuedouble;
	return NULL;
}

static int
hash_ok(const char *h)
{
	size_t n;

	for (n = 0; h[n] != '\0'; n++)
		if (n == HASH_MAX || h[n] <= ' ' || h[n] > '~')
			return 0;
	return n > 0;
}

/*
 * The stored value, "OFFSET hID MS", "OFFSET aID MS" or "OFFSET b STEP
 * CODE" (mcp-store(7)): what the verdict reads, no more.  A broken result
 * keeps its step, its error code and no hash, as only passing results are
 * compared; the full hash goes to the hash key, where drift is seen.
 */
static const char *
result_value(
    struct pending *p, double started, char code, const char *step, long ms, const char *ecode)
{
	long long off = agg_start_ms(started, p->window);
	char id[HASH_MAX + 2] = "", dur[24] = "";
	int k;

	if (step != NULL) {
		k = snprintf(p->value, sizeof(p->value), "%lld %c %s%s%s", off, code, step,
		    ecode != NULL ? " " : "", ecode != NULL ? ecode : "");
	} else if (p->hash[0] != '\0' && agg_hash_id(p->hash, id, sizeof(id)) == -1) {
		k = -1;
	} else {
		if (ms >= 0)
			snprintf(dur, sizeof(dur), " %ld", ms);
		k = snprintf(p->value, sizeof(p->value), "%lld %c%s%s", off, code, id, dur);
	}
	return k < 0 || (size_t)k >= sizeof(p->value) ? "bad \"tool_hash\"" : NULL;
}

/* The code of the result's "error", when it is one a result keeps; else NULL. */
static const char *
error_code(const cJSON *rec)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(rec, "error");
	const char *code = cJSON_IsObject(e) ? str_of(e, "code") : NULL;

	return code != NULL && agg_code_ok(code) ? code : NULL;
}

/* Validate a result record into p (all but the line); a reason, or NULL. */
static const char *
check_result(const cJSON *rec, struct pending *p)
{
	const cJSON *fs = cJSON_GetObjectItemCaseSensitive(rec, "failed_step");
	const cJSON *th = cJSON_GetObjectItemCaseSensitive(rec, "tool_hash");
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "ms");
	const char *slug, *region, *state, *url, *why;
	double started;
	char code;

	if ((why = check_common(rec, &slug, &region, &started)) != NULL)
		return why;
	if ((state = str_of(rec, "state")) == NULL)
		return "missing \"state\"";
	if (strcmp(state, "healthy") == 0)
		code = 'h';
	else if (strcmp(state, "auth-walled") == 0)
		code = 'a';
	else if (strcmp(state, "broken") == 0)
		code = 'b';
	else
		return "bad \"state\": not healthy, auth-walled or broken";
	if (code == 'b' && (!cJSON_IsString(fs) || mcp_step_index(fs->valuestring) < 0))
		return "bad \"failed_step\": a broken result names a step of the contract";
	if (code != 'b' && fs != NULL && !cJSON_IsNull(fs))
		return "bad \"failed_step\": only a broken result has one";
	if (th != NULL && !cJSON_IsNull(th) && !(cJSON_IsString(th) && hash_ok(th->valuestring)))
		return "bad \"tool_hash\"";
	if (ms != NULL && !cJSON_IsNull(ms) &&
	    !(cJSON_IsNumber(ms) && isfinite(ms->valuedouble) && ms->valuedouble >= 0))
		return "bad \"ms\"";
	snprintf(p->slug, sizeof(p->slug), "%s", slug);
	snprintf(p->region, sizeof(p->region), "%s", region);
	mcp_json_number(started, p->started, sizeof(p->started));
	p->window = agg_window(started);
	snprintf(p->hash, sizeof(p->hash), "%s", cJSON_IsString(th) ? th->valuestring : "");
	p->bucket[0] = '\0';
	if (code != 'b' && cJSON_IsNumber(ms))
		snprintf(p->bucket, sizeof(p->bucket), "%d", agg_lat_bucket(ms->valuedouble));
	if ((url = str_of(rec, "url")) == NULL || agg_url_host(url, p->host, sizeof(p->host)) == -1)
		p->host[0] = '\0';
	if (code == 'b')
		return result_value(p, started, code, fs->valuestring, -1, error_code(rec));
	return result_value(
	    p, started, code, NULL, cJSON_IsNumber(ms) ? agg_ms_whole(ms->valuedouble) : -1, NULL);
}

static const char *
check_step(const cJSON *rec)
{
	const char *slug, *region, *step, *why;
	double started;

	if ((why = check_common(rec, &slug, &region, &started)) != NULL)
		return why;
	if ((step = str_of(rec, "step")) == NULL || mcp_step_index(step) < 0)
		return "bad \"step\": not a step of the contract";
	return NULL;
}

/* Create the directories above path, as mkdir -p. */
static int
mkdirs(const char *path)
{
	char d[PATH_MAX], *s;

	if (snprintf(d, sizeof(d), "%s", path) >= (int)sizeof(d)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (s = d + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(d, 0700) == -1 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

/* Append the records not yet stored to the spool, under an exclusive lock. */
static void
spool_write(struct pctx *p)
{
	size_t i, k = 0;
	int fd, rc = 0;

	if (mkdirs(p->spool) == -1 ||
	    (fd = open(p->spool, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600)) == -1) {
		warn("spool: %s", p->spool);
		p->failed = 1;
		return;
	}
	flock(fd, LOCK_EX);
	for (i = 0; i < p->n && rc == 0; i++) {
		if (p->b[i].done)
			continue;
		if (write(fd, p->b[i].line.p, p->b[i].line.len) != (ssize_t)p->b[i].line.len)
			rc = -1;
		else
			k++;
	}
	if (rc == -1 || fsync(fd) == -1) {
		warn("spool: %s", p->spool);
		p->failed = 1;
	}
	close(fd);
	p->spooled += (long)k;
}

static void
append_push(struct pctx *p, const struct pending *q)
{
	redisContext *c = mcp_store_ctx(p->st);
	long long hour = q->window / AGG_HOUR;
	char k[9][MCP_SLUG_MAX + 64];

	agg_key(k[0], sizeof(k[0]), q->slug, "res", q->window);
	agg_key(k[1], sizeof(k[1]), q->slug, "seen", -1);
	agg_key(k[2], sizeof(k[2]), q->slug, "hash", -1);
	agg_key(k[3], sizeof(k[3]), q->slug, "drift", -1);
	agg_key(k[4], sizeof(k[4]), q->slug, "lat", hour);
	agg_key(k[5], sizeof(k[5]), q->slug, "latsum", -1);
	agg_key(k[6], sizeof(k[6]), q->slug, "latidx", -1);
	agg_key(k[7], sizeof(k[7]), q->slug, "meta", -1);
	agg_key(k[8], sizeof(k[8]), q->slug, "lat:", -1); /* the prefix of lat:HOUR */
	redisAppendCommand(c,
	    "EVALSHA %s 8 %s %s %s %s %s %s %s %s %s %s %s %lld %s %s %d %d %lld %s %s", p->sha,
	    k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], q->region, q->value, q->started,
	    q->window, q->hash, q->bucket, AGG_TTL_SHORT, AGG_TTL_LONG, hour, k[8], q->host);
	redisAppendCommand(c, "ZADD %s GT %s %s", AGG_KEY_SLUGS, q->started, q->slug);
}

/* One round trip for the records not yet done; -1 when the link failed. */
static int
send_batch(struct pctx *p, char *err, size_t errlen)
{
	redisContext *c = mcp_store_ctx(p->st);
	void *v;
	redisReply *r;
	size_t i;
	int j, rc = 0;

	for (i = 0; i < p->n; i++)
		if (!p->b[i].done)
			append_push(p, &p->b[i]);
	for (i = 0; i < p->n; i++) {
		if (p->b[i].done)
			continue;
		for (j = 0; j < 2; j++) {
			if (redisGetReply(c, &v) != REDIS_OK) {
				snprintf(err, errlen, "%s: %s", mcp_store_where(p->st), c->errstr);
				return -1;
			}
			r = v;
			if (r->type == REDIS_REPLY_ERROR) {
				snprintf(err, errlen, "%s: %s", mcp_store_where(p->st), r->str);
				rc = -1;
			} else if (j == 0) {
				p->b[i].done = 1;
				if (r->type == REDIS_REPLY_INTEGER && r->integer == 1)
					p->stored++, p->replayed += p->replaying;
				else
					p->dups++;
			}
			freeReplyObject(r);
		}
	}
	return rc;
}

static int
reconnect(struct pctx *p, char *err, size_t errlen)
{
	if (mcp_store_reconnect(p->st, err, errlen) == -1)
		return -1;
	return mcp_store_script_load(p->st, push_lua, p->sha, err, errlen);
}

/* Store the batch; on a lost link reconnect, and spool what is left. */
static void
flush_batch(struct pctx *p)
{
	char err[512];
	size_t i;
	int attempt;

	for (attempt = 0; p->st != NULL && attempt < 3; attempt++) {
		if (send_batch(p, err, sizeof(err)) == 0)
			break;
		warnx("redis: %s", err);
		if (reconnect(p, err, sizeof(err)) == -1) {
			warnx("redis: %s", err);
			mcp_store_close(p->st);
			p->st = NULL;
		}
	}
	for (i = 0; i < p->n && p->b[i].done; i++)
		;
	if (i < p->n) {
		if (p->replaying)
			p->failed = 1; /* still in the spool file, as it was */
		else
			spool_write(p);
	}
	for (i = 0; i < p->n; i++)
		mcp_buf_reset(&p->b[i].line);
	p->n = 0;
}

/*
 * 1 when the next read of f would block: its buffer is empty (glibc's
 * FILE fields) and its descriptor has nothing ready.  A batch is sent then,
 * so a record reaches the store at once and records batch only under load.
 */
static int
would_block(FILE *f)
{
	struct pollfd pfd = {fileno(f), POLLIN, 0};

	if (f->_IO_read_ptr < f->_IO_read_end)
		return 0;
	return poll(&pfd, 1, 0) == 0;
}

static int
on_record(cJSON *rec, long lineno, void *arg)
{
	struct pctx *p = arg;
	const char *type = str_of(rec, "type"), *why;
	struct pending *q = &p->b[p->n];
	char err[256];

	if (strcmp(type, "step") == 0) {
		if ((why = check_step(rec)) != NULL) {
			warnx("%s:%ld: %s", p->name, lineno, why);
			return 1;
		}
		p->steps++;
		return 0;
	}
	if (strcmp(type, "result") != 0) {
		warnx("%s:%ld: not a probe record (type \"%s\")", p->name, lineno, type);
		return 1;
	}
	mcp_buf_reset(&q->line);
	if ((why = check_result(rec, q)) != NULL) {
		warnx("%s:%ld: %s", p->name, lineno, why);
		return 1;
	}
	if (mcp_json_write(&q->line, rec, err, sizeof(err)) == -1 ||
	    mcp_buf_addc(&q->line, '\n') == -1) {
		warnx("%s:%ld: %s", p->name, lineno, err);
		return 1;
	}
	q->done = 0;
	if (strtod(q->started, NULL) > p->latest)
		p->latest = strtod(q->started, NULL);
	if (++p->n == AGG_BATCH || would_block(p->in))
		flush_batch(p);
	return 0;
}

/* Replay the spool, in order, before anything new; emptied when all is stored. */
static int
replay(struct pctx *p)
{
	struct mcp_loop_stats ls;
	struct stat sb;
	FILE *f;
	int fd, rc = 0;

	if ((fd = open(p->spool, O_RDWR | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : (warn("spool: %s", p->spool), -1);
	flock(fd, LOCK_EX);
	if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
		if ((f = fdopen(dup(fd), "r")) == NULL) {
			warn("spool: %s", p->spool);
			close(fd);
			return -1;
		}
		p->name = p->spool;
		p->in = f;
		p->replaying = 1;
		if (mcp_loop(f, p->spool, on_record, p, &ls) == -1)
			rc = -1;
		flush_batch(p);
		fclose(f);
		if (ls.bad > 0)
			rc = -1;
		if (!p->failed && p->st != NULL && ftruncate(fd, 0) == -1) {
			warn("spool: %s", p->spool);
			rc = -1;
		}
		p->replaying = 0;
	}
	close(fd);
	return p->failed ? -1 : rc;
}

/* Forget slugs silent for the 30 days their history lasts. */
static void
trim_slugs(struct pctx *p)
{
	char cut[64], ttl[16], err[256];
	const char *argv[] = {"ZREMRANGEBYSCORE", AGG_KEY_SLUGS, "-inf", cut};
	const char *exp[] = {"EXPIRE", AGG_KEY_SLUGS, ttl};
	redisReply *r;

	if (p->st == NULL || p->latest <= 0)
		return;
	snprintf(cut, sizeof(cut), "(%.0f", p->latest - AGG_UPTIME_DAYS * (double)AGG_DAY);
	snprintf(ttl, sizeof(ttl), "%d", AGG_TTL_LONG);
	r = mcp_store_cmd(p->st, 4, argv, err, sizeof(err));
	freeReplyObject(r);
	r = mcp_store_cmd(p->st, 3, exp, err, sizeof(err));
	freeReplyObject(r);
}

static const char *
spool_path(const struct agg_opts *o)
{
	const char *e = getenv("MCP_SPOOL");

	if (o->spool != NULL)
		return o->spool;
	return e != NULL && *e != '\0' ? e : DEFAULT_SPOOL;
}

static void
summary(const struct pctx *p, const struct mcp_loop_stats *ls)
{
	warnx("push: %ld results stored, %ld duplicates ignored, %ld step records skipped, "
	      "%ld bad lines, %ld spooled, %ld replayed from the spool",
	    p->stored, p->dups, p->steps, ls->bad, p->spooled, p->replayed);
}

int
agg_push(const struct agg_opts *o)
{
	struct pctx p = {0};
	struct mcp_loop_stats ls = {0};
	char why[512];
	int rc = MCP_EXIT_OK;
	size_t i;

	p.spool = spool_path(o);
	if ((p.b = calloc(AGG_BATCH, sizeof(*p.b))) == NULL)
		err(MCP_EXIT_FAIL, "push");
	if ((p.st = agg_connect(o)) != NULL &&
	    mcp_store_script_load(p.st, push_lua, p.sha, why, sizeof(why)) == -1) {
		warnx("redis: %s", why);
		mcp_store_close(p.st);
		p.st = NULL;
	}
	if (p.st == NULL || replay(&p) == -1)
		rc = MCP_EXIT_FAIL;
	p.name = "stdin";
	p.in = stdin;
	if (mcp_loop(stdin, "stdin", on_record, &p, &ls) == -1 || ls.bad > 0)
		rc = MCP_EXIT_FAIL;
	flush_batch(&p);
	trim_slugs(&p);
	if (p.spooled > 0) {
		warnx("spool: %s: %ld records kept for the next push", p.spool, p.spooled);
		rc = MCP_EXIT_FAIL;
	}
	if (p.failed)
		rc = MCP_EXIT_FAIL;
	if (o->verbose)
		summary(&p, &ls);
	for (i = 0; i < AGG_BATCH; i++)
		mcp_buf_free(&p.b[i].line);
	free(p.b);
	mcp_store_close(p.st);
	return rc;
}
