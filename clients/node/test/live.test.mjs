// The client against a live mcp-serve, which tests/client-node.t starts
// behind nginx over a store the real pipeline filled, and describes here:
//   MCP_UPTIME_URL       mcp-serve's base URL
//   MCP_TEST_ACCESS_LOG  nginx's access log (the 304s it sent)
//   MCP_TEST_FLIP        a bash command that turns the slug recover from
//                        down to up through the pipeline (a new verdict)
//   MCP_TEST_API_PID     nginx's pid, killed by the last test
// Without them every test is skipped, and says why.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { Liveness } from '../liveness.mjs';

const BASE = process.env.MCP_UPTIME_URL;
const LOG = process.env.MCP_TEST_ACCESS_LOG;
const FLIP = process.env.MCP_TEST_FLIP;
const PID = Number(process.env.MCP_TEST_API_PID);
const skip = BASE && LOG && FLIP && PID ? false
	: 'no live mcp-serve: MCP_UPTIME_URL, MCP_TEST_ACCESS_LOG, MCP_TEST_FLIP and MCP_TEST_API_PID are set by tests/client-node.t';
const MIN = 60_000;

function clock(t = Date.now()) {
	const c = () => t;
	c.add = (ms) => (t += ms);
	return c;
}
// n304 SLUG: the 304s nginx has sent for SLUG's embed status.
function n304(slug) {
	const want = `"GET /api/embed-status/${slug} HTTP/1.1" 304 `;
	return fs.readFileSync(LOG, 'utf8').split('\n').filter((l) => l.includes(want)).length;
}
async function until(cond, ms, what) {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

test('each state of a live mcp-serve', { skip }, async () => {
	const slugs = ['up', 'degraded', 'div', 'down', 'recover', 'fresh', 'stale', 'nosuch'];
	const l = new Liveness({ base: BASE, slugs });
	await l.poll();
	assert.deepEqual(slugs.map((s) => `${s}=${l.state(s)}`),
		['up=up', 'degraded=degraded', 'div=degraded', 'down=down', 'recover=down', 'fresh=pending', 'stale=pending', 'nosuch=unknown']);
	assert.deepEqual(slugs.map((s) => l.allow(s)), [true, true, true, false, false, true, true, true]);
	assert.deepEqual(l.stats(), { requests: 8, ok: 7, notModified: 0, notFound: 1, failures: 0 });
});

test("304s counted, and nginx's access log agrees", { skip }, async () => {
	const before = n304('down');
	const l = new Liveness({ base: BASE, slugs: ['down'] });
	for (let i = 0; i < 4; i++) await l.poll();
	assert.equal(l.state('down'), 'down');
	assert.deepEqual(l.stats('down'), { requests: 4, ok: 1, notModified: 3, notFound: 0, failures: 0 });
	assert.equal(n304('down') - before, 3, "nginx's log: three 304s");
});

test('a state change is seen within one poll', { skip }, async () => {
	const pollMs = 300;
	const changes = [];
	const l = new Liveness({ base: BASE, slugs: ['recover'], pollMs,
		onChange: (slug, to, from) => changes.push({ to, from, at: Date.now(), requests: l.stats(slug).requests }) });
	l.start();
	try {
		await l.ready();
		assert.equal(l.state('recover'), 'down');
		await until(() => l.stats('recover').notModified >= 2, 5000, 'two 304s while down');
		// The pipeline decides window 8 green while the poller runs.
		const code = await new Promise((resolve) => {
			const p = spawn('bash', ['-c', FLIP], { stdio: ['ignore', 'ignore', 'inherit'] });
			p.on('exit', resolve);
		});
		assert.equal(code, 0, 'the pipeline ran');
		const decided = Date.now();
		const asked = l.stats('recover').requests;
		await until(() => l.state('recover') === 'up', pollMs + 2000, 'recover up');
		const last = changes[changes.length - 1];
		assert.deepEqual([last.from, last.to], ['down', 'up']);
		// The verdict was stored before the pipeline ended: the first request
		// begun after that sees it.
		assert.ok(last.requests <= asked + 1, `seen by request ${last.requests}; ${asked} had begun before the verdict`);
		assert.ok(last.at - decided <= pollMs + 1000, `seen ${last.at - decided} ms after the verdict (poll every ${pollMs} ms)`);
		assert.equal(l.stats('recover').ok, 2, 'one 200 before, one after: the rest were 304s');
	} finally {
		l.stop();
	}
});

test('the breaker opens and closes on a fake clock, whatever the live API says', { skip }, async () => {
	const now = clock();
	const l = new Liveness({ base: BASE, slugs: ['up'], now });
	await l.poll();
	assert.equal(l.state('up'), 'up');
	for (let i = 0; i < 3; i++) l.record('up', false);
	assert.equal(l.breaker('up'), 'open');
	await l.poll();
	assert.equal(l.state('up'), 'up', 'the API still says up');
	assert.equal(l.allow('up'), false, 'open: no call');
	now.add(MIN);
	assert.equal(l.breaker('up'), 'half-open');
	assert.equal(l.allow('up'), true, 'half-open: a trial call');
	l.record('up', true);
	assert.equal(l.breaker('up'), 'closed');
	assert.equal(l.allow('up'), true);
});

test('the API killed mid-run: the last states stand, then unknown, and calls go ahead (fail open)', { skip }, async () => {
	const now = clock();
	const l = new Liveness({ base: BASE, slugs: ['up', 'down'], now, pollMs: 100, timeoutMs: 1000 });
	l.start();
	try {
		await l.ready();
		assert.deepEqual([l.state('up'), l.state('down')], ['up', 'down']);
		process.kill(PID, 'SIGTERM');
		const failed = l.stats().failures;
		await until(() => l.stats().failures >= failed + 4, 5000, 'two failed polls');
		assert.deepEqual([l.state('up'), l.state('down')], ['up', 'down'], 'the API gone: the last states stand');
		assert.deepEqual([l.allow('up'), l.allow('down')], [true, false]);
		now.add(5 * MIN + 1);
		assert.deepEqual([l.state('up'), l.state('down')], ['unknown', 'unknown'], 'five minutes later: unknown');
		assert.deepEqual([l.allow('up'), l.allow('down')], [true, true], 'unknown: calls go ahead');
		for (let i = 0; i < 3; i++) l.record('down', false);
		assert.equal(l.allow('down'), false, 'and the breaker still guards them');
	} finally {
		l.stop();
	}
});
