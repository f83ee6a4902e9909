// The client alone: a fetch and a clock of the test's own.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Liveness, STATES } from '../liveness.mjs';

const BASE = 'https://status.example.com';
const MIN = 60_000;

// A clock the test moves.
function clock(t = 1_800_000_000_000) {
	const c = () => t;
	c.add = (ms) => (t += ms);
	return c;
}

// A fetch that answers from ROUTES (slug -> function(request) -> answer)
// and records each request.  An answer is { status, body, etag }, 'throw'
// (a network error) or 'hang' (never, until aborted).
function api(routes) {
	const seen = [];
	const f = async (url, init) => {
		const slug = url.slice(`${BASE}/api/embed-status/`.length);
		const req = { url, slug, headers: init.headers, redirect: init.redirect };
		seen.push(req);
		const a = routes[slug] ? routes[slug](req) : { status: 404, body: '{"error":"not found"}' };
		if (a === 'throw') throw new TypeError('fetch failed');
		if (a === 'hang')
			return new Promise((_, reject) =>
				init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
		const h = new Headers(a.etag ? { etag: a.etag } : {});
		return new Response(a.status === 304 ? null : a.body ?? null, { status: a.status, headers: h });
	};
	f.seen = seen;
	return f;
}
const ok = (state, etag = '"v1-a"') => () => ({
	status: 200,
	etag,
	body: JSON.stringify({ state, uptime_30d: 99.9, p95_ms: 100, last_probe_ago: '10s', as_of: null }),
});

test('each state of the API is parsed to its name; nothing known is unknown', async () => {
	const f = api({ a: ok('up'), b: ok('degraded'), c: ok('down'), d: ok('pending'), e: ok('maintenance') });
	const l = new Liveness({ base: BASE, slugs: ['a', 'b', 'c', 'd', 'e', 'f'], fetch: f, now: clock() });
	assert.equal(l.state('a'), 'unknown', 'before the first poll');
	await l.poll();
	assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f', 'never-watched'].map((s) => l.state(s)),
		['up', 'degraded', 'down', 'pending', 'unknown', 'unknown', 'unknown']);
	for (const s of ['a', 'b', 'c', 'd', 'e', 'f']) assert.ok(STATES.includes(l.state(s)));
	assert.deepEqual(l.stats(), { requests: 6, ok: 5, notModified: 0, notFound: 1, failures: 0 });
	// The cache holds the parsed state, a tag and a time: not the body.
	assert.deepEqual(Object.keys(l._cache.get('a')).sort(), ['etag', 'fetchedAt', 'state']);
});

test('the ETag goes back in If-None-Match; a 304 keeps the state and makes it fresh again', async () => {
	const now = clock();
	let state = 'up';
	const f = api({
		a: (req) => (req.headers['If-None-Match'] === 'W/"v1-1"' && state === 'up'
			? { status: 304 } : { status: 200, etag: 'W/"v1-1"', body: `{"state":"${state}"}` }),
	});
	const l = new Liveness({ base: BASE, slugs: ['a'], fetch: f, now });
	await l.poll();
	assert.equal(f.seen[0].headers['If-None-Match'], undefined, 'no tag on the first request');
	for (let i = 0; i < 3; i++) {
		now.add(4 * MIN);
		await l.poll();
		assert.equal(l.state('a'), 'up', `still up after ${(i + 1) * 4} minutes of 304s`);
	}
	assert.deepEqual(f.seen.slice(1).map((r) => r.headers['If-None-Match']), ['W/"v1-1"', 'W/"v1-1"', 'W/"v1-1"']);
	assert.equal(l.stats('a').notModified, 3);
	state = 'down';
	await l.poll();
	assert.equal(l.state('a'), 'down', 'a new answer replaces the state');
	assert.equal(f.seen[0].redirect, 'manual', 'redirects are not followed');
});

test('a state older than five minutes is unknown', async () => {
	const now = clock();
	const f = api({ a: ok('up') });
	const l = new Liveness({ base: BASE, slugs: ['a'], fetch: f, now });
	await l.poll();
	now.add(5 * MIN);
	assert.equal(l.state('a'), 'up', 'five minutes exactly: still up');
	now.add(1);
	assert.equal(l.state('a'), 'unknown', 'a millisecond more: unknown');
});

test('fail open: API failures keep the last state until it is stale, then unknown, and calls are allowed', async () => {
	const now = clock();
	let mode = 'ok';
	const answers = {
		ok: { status: 200, body: '{"state":"down"}' },
		500: { status: 500, body: '{"error":"store unavailable"}' },
		garbage: { status: 200, body: '<html>' },
		array: { status: 200, body: '[1]' },
		big: { status: 200, body: JSON.stringify({ state: 'up', pad: 'x'.repeat(70000) }) },
		redirect: { status: 302, body: '' },
	};
	const f = api({ a: () => (mode === 'throw' || mode === 'hang' ? mode : answers[mode]) });
	const l = new Liveness({ base: BASE, slugs: ['a'], fetch: f, now, timeoutMs: 50 });
	await l.poll();
	assert.equal(l.state('a'), 'down');
	assert.equal(l.allow('a'), false, 'down: not allowed');
	for (mode of ['500', 'throw', 'hang', 'garbage', 'array', 'big', 'redirect']) {
		now.add(30_000);
		await l.poll();
		assert.equal(l.state('a'), 'down', `${mode}: the last state stands`);
	}
	assert.equal(l.stats('a').failures, 7);
	now.add(5 * MIN);
	assert.equal(l.state('a'), 'unknown', 'stale: unknown');
	assert.equal(l.allow('a'), true, 'unknown: allowed (fail open)');
});

test('allow: only down and an open breaker refuse', async () => {
	const f = api({ u: ok('up'), g: ok('degraded'), d: ok('down'), p: ok('pending'), x: ok('what') });
	const l = new Liveness({ base: BASE, slugs: ['u', 'g', 'd', 'p', 'x'], fetch: f, now: clock() });
	await l.poll();
	assert.deepEqual(['u', 'g', 'd', 'p', 'x', 'nobody'].map((s) => l.allow(s)), [true, true, false, true, true, true]);
});

test('the breaker: 3 consecutive failures open it for a minute whatever the API says, then half-open', async () => {
	const now = clock();
	const f = api({ a: ok('up') });
	const l = new Liveness({ base: BASE, slugs: ['a'], fetch: f, now });
	await l.poll();
	l.record('a', false);
	l.record('a', false);
	l.record('a', true);
	l.record('a', false);
	l.record('a', false);
	assert.equal(l.breaker('a'), 'closed', 'a success in between: not consecutive');
	l.record('a', false);
	assert.equal(l.breaker('a'), 'open', 'the third in a row opens it');
	await l.poll();
	assert.equal(l.state('a'), 'up', 'the API says up');
	assert.equal(l.allow('a'), false, 'open: not allowed, whatever the API says');
	now.add(MIN - 1);
	assert.equal(l.breaker('a'), 'open', 'still open a millisecond before the minute');
	now.add(1);
	assert.equal(l.breaker('a'), 'half-open', 'half-open after a minute');
	assert.equal(l.allow('a'), true, 'half-open: one trial call');
	assert.equal(l.allow('a'), false, 'half-open: one trial at a time');
	l.record('a', false);
	assert.equal(l.breaker('a'), 'open', 'the trial failed: open again');
	now.add(MIN);
	assert.equal(l.allow('a'), true, 'half-open again');
	l.record('a', true);
	assert.equal(l.breaker('a'), 'closed', 'the trial passed: closed');
	assert.equal(l.allow('a'), true);
	assert.equal(l.allow('a'), true, 'closed: every call allowed');
});

test('a half-open trial never recorded makes room for another after openMs', () => {
	const now = clock();
	const l = new Liveness({ base: BASE, fetch: api({}), now });
	for (let i = 0; i < 3; i++) l.record('a', false);
	now.add(MIN);
	assert.equal(l.allow('a'), true);
	assert.equal(l.allow('a'), false);
	now.add(MIN);
	assert.equal(l.allow('a'), true, 'the lost trial expired');
});

test('a poll keeps at most `concurrency` requests in flight', async () => {
	let inFlight = 0;
	let most = 0;
	const routes = {};
	const slugs = Array.from({ length: 20 }, (_, i) => `s${i}`);
	for (const s of slugs) routes[s] = ok('up');
	const inner = api(routes);
	const f = async (url, init) => {
		most = Math.max(most, ++inFlight);
		await new Promise((r) => setTimeout(r, 5));
		try {
			return await inner(url, init);
		} finally {
			inFlight--;
		}
	};
	const l = new Liveness({ base: BASE, slugs, fetch: f, now: clock(), concurrency: 3 });
	await l.poll();
	assert.equal(most, 3);
	assert.equal(l.stats().ok, 20);
});

test('start polls every pollMs until stop; onChange tells each change', async () => {
	let state = 'up';
	const changes = [];
	const f = api({ a: () => ({ status: 200, body: `{"state":"${state}"}` }) });
	const l = new Liveness({ base: BASE, slugs: ['a'], fetch: f, pollMs: 100,
		onChange: (slug, to, from) => changes.push(`${slug}:${from}->${to}`) });
	l.start();
	await l.ready();
	assert.equal(l.state('a'), 'up');
	state = 'down';
	await new Promise((r) => setTimeout(r, 250));
	assert.equal(l.state('a'), 'down');
	l.stop();
	const n = f.seen.length;
	await new Promise((r) => setTimeout(r, 250));
	assert.equal(f.seen.length, n, 'no poll after stop');
	assert.deepEqual(changes, ['a:unknown->up', 'a:up->down']);
});

test('bad arguments are refused', () => {
	assert.throws(() => new Liveness({}), TypeError);
	assert.throws(() => new Liveness({ base: 'ftp://x' }), TypeError);
	assert.throws(() => new Liveness({ base: BASE, slugs: ['../admin'] }), TypeError);
	assert.throws(() => new Liveness({ base: BASE, slugs: ['Up'] }), TypeError);
	assert.throws(() => new Liveness({ base: BASE, pollMs: 0 }), RangeError);
	assert.throws(() => new Liveness({ base: BASE, fetch: 'no' }), TypeError);
	const l = new Liveness({ base: `${BASE}/` });
	assert.equal(l._base, BASE, 'a trailing slash is dropped');
});

test('headers (an Authorization) go with every request; a malformed ETag is not sent back', async () => {
	const f = api({ a: () => ({ status: 200, etag: '"x" y', body: '{"state":"up"}' }) });
	const l = new Liveness({ base: BASE, slugs: ['a'], fetch: f, headers: { Authorization: 'Bearer t' } });
	await l.poll();
	await l.poll();
	assert.equal(f.seen[1].headers.Authorization, 'Bearer t');
	assert.equal(f.seen[1].headers['If-None-Match'], undefined);
});
