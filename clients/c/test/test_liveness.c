/*
 * test_liveness.c - mcp_liveness against a live mcp-serve, which
 * tests/client-c.t starts behind nginx and describes in the environment
 * (as for clients/node/test/live.test.mjs): MCP_UPTIME_URL,
 * MCP_TEST_ACCESS_LOG, MCP_TEST_FLIP, MCP_TEST_API_PID.  The library is
 * included whole, for its JSON reader's own checks.  Prints "ok - ..." or
 * "not ok - ..." for each check.
 */
/* Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE. */
#include "../mcp_liveness.c"

#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;
static int64_t fake;

static int64_t
fake_ms(void *arg)
{
	(void)arg;
	return __atomic_load_n(&fake, __ATOMIC_SEQ_CST);
}

static void
check(int cond, const char *what)
{
	printf("%sok - %s\n", cond ? "" : "not ", what);
	failed |= !cond;
}

static void
is_state(struct mcp_live *l, const char *slug, enum mcp_live_state want, const char *what)
{
	enum mcp_live_state got = mcp_live_state(l, slug);
	char buf[256];

	snprintf(buf, sizeof(buf), "%s: %s is %s (got %s)", what, slug, mcp_live_state_name(want),
	    mcp_live_state_name(got));
	check(got == want, buf);
}

/* The 304s nginx sent for SLUG's embed status. */
static int
n304(const char *slug)
{
	char want[256], line[4096];
	FILE *f = fopen(getenv("MCP_TEST_ACCESS_LOG"), "r");
	int n = 0;

	snprintf(want, sizeof(want), "\"GET /api/embed-status/%s HTTP/1.1\" 304 ", slug);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, want) != NULL;
	if (f != NULL)
		fclose(f);
	return n;
}

/*
 * Wait until the count at OFF in SLUG's stats (all slugs' for NULL)
 * reaches WANT, 30 s at most (a loaded machine is slow, not wrong); the
 * stats in *s.  1 when it did.
 */
static int
wait_count(struct mcp_live *l, const char *slug, size_t off, long want, struct mcp_live_stats *s)
{
	for (int i = 0; i < 3000; i++) {
		mcp_live_stats(l, slug, s);
		if (*(const long *)(const void *)((const char *)s + off) >= want)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * The 304s nginx logged for SLUG since BEFORE, once there are WANT: nginx
 * writes its line after the answer, so the client can look before it is
 * there (10 s at most).
 */
static int
wait_304(const char *slug, int before, int want)
{
	int n = 0;

	for (int i = 0; i < 1000 && (n = n304(slug) - before) < want; i++)
		usleep(10000);
	return n;
}

/* Run CMD with bash itself: sh would drop the functions bash exported. */
static int
run_bash(const char *cmd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execlp("bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static struct mcp_live *
live(const char *base, int fake_clock, long poll_ms)
{
	struct mcp_live_opts o = {.base = base, .poll_ms = poll_ms, .timeout_ms = 2000};
	char err[256];
	struct mcp_live *l;

	if (fake_clock)
		o.now_ms = fake_ms;
	if ((l = mcp_live_new(&o, err, sizeof(err))) == NULL) {
		printf("not ok - mcp_live_new: %s\n", err);
		exit(1);
	}
	return l;
}

static void
json(void)
{
	static const struct {
		const char *body;
		int rc;
		enum mcp_live_state st;
	} t[] = {
	    {"{\"state\":\"up\",\"uptime_30d\":99.87,\"p95_ms\":142,\"last_probe_ago\":\"37s\","
	     "\"as_of\":null}",
	        0, MCP_LIVE_UP},
	    {" {\"a\":[1,{\"state\":\"down\"}],\"state\" : \"degraded\" } ", 0, MCP_LIVE_DEGRADED},
	    {"{\"state\":\"up\",\"state\":\"pending\"}", 0, MCP_LIVE_PENDING},
	    {"{\"state\":\"maintenance\"}", 0, MCP_LIVE_UNKNOWN},
	    {"{\"state\":\"u\\u0070\"}", 0, MCP_LIVE_UNKNOWN},
	    {"{\"state\":1}", 0, MCP_LIVE_UNKNOWN},
	    {"{\"statex\":\"up\"}", 0, MCP_LIVE_UNKNOWN},
	    {"{}", 0, MCP_LIVE_UNKNOWN},
	    {"[{\"state\":\"up\"}]", -1, MCP_LIVE_UNKNOWN},
	    {"{\"state\":\"up\"} {}", -1, MCP_LIVE_UNKNOWN},
	    {"{\"state\":\"up\"", -1, MCP_LIVE_UNKNOWN},
	    {"{\"state\":\"up\",}", -1, MCP_LIVE_UNKNOWN},
	    {"<html>{\"state\":\"up\"}", -1, MCP_LIVE_UNKNOWN},
	    {"{\"state\":\"up\nx\"}", -1, MCP_LIVE_UNKNOWN},
	    {"", -1, MCP_LIVE_UNKNOWN},
	};
	char deep[200], buf[200], big[300];
	enum mcp_live_state st;
	int rc;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		st = MCP_LIVE_UNKNOWN;
		rc = parse_state(t[i].body, strlen(t[i].body), &st);
		snprintf(
		    buf, sizeof(buf), "JSON %zu: %d, %s", i, t[i].rc, mcp_live_state_name(t[i].st));
		check(rc == t[i].rc && st == t[i].st, buf);
	}
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	snprintf(big, sizeof(big), "{\"a\":%.200s,\"state\":\"up\"}", deep);
	check(parse_state(big, strlen(big), &st) == -1, "JSON nested 100 deep: refused");
}

int
main(void)
{
	const char *base = getenv("MCP_UPTIME_URL"), *flip = getenv("MCP_TEST_FLIP");
	const char *pid = getenv("MCP_TEST_API_PID");
	struct mcp_live_stats s;
	struct mcp_live *l;
	struct mcp_live_opts bad = {.base = "ftp://x"};
	char err[128], cmd[512];
	int before, n;

	json();
	check(mcp_live_new(&bad, err, sizeof(err)) == NULL && strstr(err, "base") != NULL,
	    "a bad base is refused");
	if (base == NULL || flip == NULL || pid == NULL || getenv("MCP_TEST_ACCESS_LOG") == NULL) {
		printf("ok - live checks # SKIP no live mcp-serve (tests/client-c.t sets "
		       "MCP_UPTIME_URL...)\n");
		return failed;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);

	/* Each state, and what allow makes of it. */
	l = live(base, 0, 0);
	check(mcp_live_watch(l, "Up") == -1 && mcp_live_watch(l, "../x") == -1,
	    "a bad slug is refused");
	for (const char *const *p = (const char *const[]){"up", "degraded", "down", "recover",
	         "fresh", "nosuch", NULL};
	     *p; p++)
		mcp_live_watch(l, *p);
	is_state(l, "up", MCP_LIVE_UNKNOWN, "before a poll");
	mcp_live_poll(l);
	is_state(l, "up", MCP_LIVE_UP, "live");
	is_state(l, "degraded", MCP_LIVE_DEGRADED, "live");
	is_state(l, "down", MCP_LIVE_DOWN, "live");
	is_state(l, "recover", MCP_LIVE_DOWN, "live");
	is_state(l, "fresh", MCP_LIVE_PENDING, "live");
	is_state(l, "nosuch", MCP_LIVE_UNKNOWN, "live, a 404");
	check(mcp_live_allow(l, "up") && mcp_live_allow(l, "degraded") &&
	        !mcp_live_allow(l, "down") && mcp_live_allow(l, "fresh") &&
	        mcp_live_allow(l, "nosuch"),
	    "allow: all but down");
	mcp_live_stats(l, NULL, &s);
	check(s.requests == 6 && s.ok == 5 && s.not_found == 1 && s.failures == 0,
	    "stats of the first poll");

	/* 304s, counted by nginx too. */
	before = n304("down");
	for (int i = 0; i < 3; i++)
		mcp_live_poll(l);
	mcp_live_stats(l, "down", &s);
	n = wait_304("down", before, 3);
	snprintf(cmd, sizeof(cmd), "three more polls: three 304s (%ld), nginx's log agrees (%d)",
	    s.not_modified, n);
	check(s.not_modified == 3 && n == 3, cmd);
	mcp_live_free(l);

	/* Stale, and the breaker, on a fake clock. */
	fake = 1000000;
	l = live(base, 1, 0);
	mcp_live_watch(l, "up");
	mcp_live_poll(l);
	fake += 300000;
	is_state(l, "up", MCP_LIVE_UP, "five minutes later");
	fake += 1;
	is_state(l, "up", MCP_LIVE_UNKNOWN, "a millisecond more: stale");
	mcp_live_poll(l);
	mcp_live_record(l, "up", 0);
	mcp_live_record(l, "up", 0);
	mcp_live_record(l, "up", 1);
	mcp_live_record(l, "up", 0);
	mcp_live_record(l, "up", 0);
	check(mcp_live_breaker(l, "up") == MCP_BREAKER_CLOSED,
	    "breaker: a success in between, not consecutive");
	mcp_live_record(l, "up", 0);
	check(mcp_live_breaker(l, "up") == MCP_BREAKER_OPEN && !mcp_live_allow(l, "up") &&
	        mcp_live_state(l, "up") == MCP_LIVE_UP,
	    "breaker: the third failure opens it; no call though the API says up");
	fake += 59999;
	check(mcp_live_breaker(l, "up") == MCP_BREAKER_OPEN, "breaker: open for a minute");
	fake += 1;
	check(mcp_live_allow(l, "up") && !mcp_live_allow(l, "up"),
	    "breaker: half-open, one trial call at a time");
	mcp_live_record(l, "up", 0);
	check(
	    mcp_live_breaker(l, "up") == MCP_BREAKER_OPEN, "breaker: the trial failed, open again");
	fake += 60000;
	check(mcp_live_allow(l, "up"), "breaker: half-open again");
	mcp_live_record(l, "up", 1);
	check(mcp_live_breaker(l, "up") == MCP_BREAKER_CLOSED && mcp_live_allow(l, "up"),
	    "breaker: the trial passed, closed");
	mcp_live_free(l);

	/*
	 * A change seen by the poll thread at its first request after the
	 * verdict.  The verdict lands between two polls, not during one: the
	 * thread is stopped (the poll in flight ends first), and started
	 * again with a period longer than the test, so that the request
	 * looked at is its first one after the verdict, and the only one.
	 */
	l = live(base, 0, 300);
	mcp_live_watch(l, "recover");
	mcp_live_start(l);
	n = wait_count(l, "recover", offsetof(struct mcp_live_stats, not_modified), 2, &s);
	check(n && mcp_live_state(l, "recover") == MCP_LIVE_DOWN, "thread: down, two 304s");
	mcp_live_stop(l);
	check(run_bash(flip) == 0, "the pipeline decides recover green");
	mcp_live_stats(l, "recover", &s);
	before = (int)s.requests;
	pthread_mutex_lock(&l->mu);
	l->poll_ms = 600000;
	pthread_mutex_unlock(&l->mu);
	mcp_live_start(l);
	wait_count(l, "recover", offsetof(struct mcp_live_stats, requests), before + 1L, &s);
	snprintf(cmd, sizeof(cmd),
	    "thread: up by its first request after the verdict (request %ld; %d before)",
	    s.requests, before);
	check(mcp_live_state(l, "recover") == MCP_LIVE_UP && s.requests == before + 1, cmd);
	mcp_live_stop(l);
	mcp_live_free(l);

	/* The API killed: the last states stand, then unknown; calls go ahead. */
	fake = 1000000;
	l = live(base, 1, 100);
	mcp_live_watch(l, "up");
	mcp_live_watch(l, "down");
	mcp_live_poll(l);
	kill(atoi(pid), SIGTERM);
	mcp_live_start(l);
	check(wait_count(l, NULL, offsetof(struct mcp_live_stats, failures), 4, &s),
	    "API killed: the polls fail");
	check(mcp_live_state(l, "up") == MCP_LIVE_UP &&
	        mcp_live_state(l, "down") == MCP_LIVE_DOWN && !mcp_live_allow(l, "down"),
	    "API killed: the last states stand");
	fake += 300001;
	check(mcp_live_state(l, "up") == MCP_LIVE_UNKNOWN &&
	        mcp_live_state(l, "down") == MCP_LIVE_UNKNOWN && mcp_live_allow(l, "up") &&
	        mcp_live_allow(l, "down"),
	    "API killed, five minutes on: unknown, calls allowed (fail open)");
	mcp_live_free(l);
	curl_global_cleanup();
	return failed;
}
