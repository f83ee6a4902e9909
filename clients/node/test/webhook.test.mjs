// webhook-verify alone: deliveries signed here as mcp-alert signs them, on a
// clock of the test's own.  Real deliveries of mcp-alert are verified in
// tests/alert-webhook.t.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { verifyWebhook, WebhookVerifier, WebhookVerificationError } from '../webhook-verify.mjs';
import cjs from '../webhook-verify.cjs';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const T = 1_800_000_000; // seconds

function clock(t = T * 1000) {
	const c = () => t;
	c.add = (ms) => (t += ms);
	return c;
}

function signed(body, { id = 'msg_0123', ts = T, secret = SECRET } = {}) {
	const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
	const sig = crypto.createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
	return { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${sig}` };
}

const reason = (r) => (e) => e instanceof WebhookVerificationError && e.reason === r;

test('the example of the Standard Webhooks specification verifies', () => {
	const h = {
		'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
		'webhook-timestamp': '1614265330',
		'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
	};
	const d = verifyWebhook(SECRET, h, '{"test": 2432232314}', { now: 1614265330_000 });
	assert.deepEqual(d, { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330 });
});

test('a secret without whsec_ is its own bytes; a Buffer body; fetch Headers', () => {
	const body = '{"type":"alert"}';
	const h = signed(body, { secret: 'hmac-secret-for-tests' });
	assert.equal(verifyWebhook('hmac-secret-for-tests', new Headers(h), Buffer.from(body), { now: T * 1000 }).id, 'msg_0123');
});

test('a tampered body, id or timestamp, another key, no signature: refused', () => {
	const body = '{"type":"alert","event":"trigger"}';
	const h = signed(body);
	const now = T * 1000;
	assert.throws(() => verifyWebhook(SECRET, h, body.replace('trigger', 'resolve'), { now }), reason('signature'));
	assert.throws(() => verifyWebhook(SECRET, { ...h, 'webhook-id': 'msg_other' }, body, { now }), reason('signature'));
	assert.throws(() => verifyWebhook(SECRET, { ...h, 'webhook-timestamp': String(T + 1) }, body, { now }), reason('signature'));
	assert.throws(() => verifyWebhook('whsec_AAAA', h, body, { now }), reason('signature'));
	assert.throws(() => verifyWebhook(SECRET, { ...h, 'webhook-signature': 'v2,' + h['webhook-signature'].slice(3) }, body, { now }),
		reason('signature'));
	assert.throws(() => verifyWebhook(SECRET, { ...h, 'webhook-signature': undefined }, body, { now }), reason('headers'));
	assert.throws(() => verifyWebhook(SECRET, { ...h, 'webhook-timestamp': '1e9' }, body, { now }), reason('timestamp'));
});

test('one matching signature among several is enough', () => {
	const body = '{}';
	const h = signed(body);
	h['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} v1a,xyz ${h['webhook-signature']}`;
	assert.equal(verifyWebhook(SECRET, h, body, { now: T * 1000 }).id, 'msg_0123');
});

test('a timestamp more than 5 minutes away is refused, either way', () => {
	const body = '{}';
	const h = signed(body);
	assert.equal(verifyWebhook(SECRET, h, body, { now: (T + 300) * 1000 }).timestamp, T);
	assert.equal(verifyWebhook(SECRET, h, body, { now: (T - 300) * 1000 }).timestamp, T);
	assert.throws(() => verifyWebhook(SECRET, h, body, { now: (T + 301) * 1000 }), reason('too-old'));
	assert.throws(() => verifyWebhook(SECRET, h, body, { now: (T - 301) * 1000 }), reason('too-new'));
});

test('the verifier refuses an id taken before, not one that failed', () => {
	const now = clock();
	const v = new WebhookVerifier({ secret: SECRET, now });
	const body = '{"event":"trigger"}';
	const d = v.verify(signed(body), body);
	assert.throws(() => v.verify(signed(body), body), reason('in-flight'), 'the same id while it is handled');
	v.done(d.id, false); // the receiver failed: mcp-alert sends it again
	now.add(30_000);
	const again = v.verify(signed(body, { ts: T + 30 }), body);
	assert.equal(again.id, d.id, 'the redelivery, a new timestamp, the same id: taken');
	v.done(again.id, true);
	assert.throws(() => v.verify(signed(body, { ts: T + 30 }), body), reason('seen'), 'a replay within 5 minutes');
	now.add(3600_000);
	assert.throws(() => v.verify(signed(body, { ts: T + 3630 }), body), reason('seen'), 'a redelivery an hour later');
	assert.throws(() => v.verify(signed(body, { ts: T + 30 }), body), reason('too-old'), 'the capture itself, too old');
});

test('ids are forgotten only once their time is refused', () => {
	const now = clock();
	const v = new WebhookVerifier({ secret: SECRET, now, keepMs: 1000 });
	const body = '{}';
	v.done(v.verify(signed(body), body).id, true);
	now.add(300_000);
	assert.throws(() => v.verify(signed(body), body), reason('seen'), 'kept for twice the tolerance at least');
	now.add(301_000);
	assert.throws(() => v.verify(signed(body), body), reason('too-old'));
	assert.equal(v.seen.size, 0);
});

test('require and import give the same module', () => {
	assert.equal(cjs.WebhookVerifier, WebhookVerifier);
	assert.throws(() => new WebhookVerifier({ secret: 'whsec_not base64' }), TypeError);
});
