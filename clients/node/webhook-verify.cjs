'use strict';
// webhook-verify.cjs - the receiver's side of mcp-alert's webhook
// deliveries, signed as Standard Webhooks has them: webhook-id,
// webhook-timestamp, webhook-signature "v1,BASE64" of HMAC-SHA256 over
// "ID.TIMESTAMP.BODY".  A delivery is taken when a signature matches (in
// constant time), its time is within 5 minutes of the clock, and its id
// has not been taken before; anything else is refused with a reason.
// Node built-ins only.  See mcp-alert.conf(5), SECURITY CONSIDERATIONS.
const crypto = require('node:crypto');

const TOLERANCE_S = 300;
const KEEP_MS = 24 * 3600 * 1000 + 2 * TOLERANCE_S * 1000; // mcp-alert's give_up, and a margin

class WebhookVerificationError extends Error {
	// reason: 'headers', 'timestamp', 'too-old', 'too-new', 'signature',
	// 'seen' (taken before: a repeat or a replay), 'in-flight' (the same id
	// is being handled now).
	constructor(reason, message) {
		super(message);
		this.name = 'WebhookVerificationError';
		this.reason = reason;
	}
}

// The key of a secret, as mcp-alert takes it: "whsec_" and base64 is the
// bytes it encodes, any other text its own UTF-8 bytes.
function keyOf(secret) {
	if (Buffer.isBuffer(secret)) return secret;
	if (typeof secret !== 'string' || secret === '') throw new TypeError('secret: a non-empty string');
	if (!secret.startsWith('whsec_')) return Buffer.from(secret, 'utf8');
	const b = secret.slice(6);
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b) || b.length % 4 !== 0) throw new TypeError('secret: whsec_ and base64');
	return Buffer.from(b, 'base64');
}

function header(headers, name) {
	const v = typeof headers?.get === 'function' ? headers.get(name) : headers?.[name];
	return Array.isArray(v) ? v[0] : v ?? undefined;
}

function sign(key, id, ts, body) {
	return crypto.createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest();
}

// Check one delivery, without remembering it: { id, timestamp } or a
// WebhookVerificationError.  body is the raw body (a string or a Buffer),
// before any parsing; now is in milliseconds.
function verifyWebhook(secret, headers, body, { now = Date.now(), toleranceS = TOLERANCE_S } = {}) {
	const key = keyOf(secret);
	const id = header(headers, 'webhook-id'), ts = header(headers, 'webhook-timestamp');
	const sigs = header(headers, 'webhook-signature');
	if (!id || !ts || !sigs) throw new WebhookVerificationError('headers', 'missing webhook-id, webhook-timestamp or webhook-signature');
	if (!/^[0-9]{1,15}$/.test(ts)) throw new WebhookVerificationError('timestamp', 'webhook-timestamp: not epoch seconds');
	const skew = Number(ts) - Math.floor(now / 1000);
	if (skew < -toleranceS) throw new WebhookVerificationError('too-old', `webhook-timestamp: ${-skew} s old`);
	if (skew > toleranceS) throw new WebhookVerificationError('too-new', `webhook-timestamp: ${skew} s ahead`);
	const want = sign(key, id, ts, body);
	let match = false;
	// Space-separated "vN,BASE64"; only v1 is known.  Each is compared in
	// constant time, and all of them are, so the time says nothing.
	for (const s of String(sigs).split(' ')) {
		const [v, b64] = s.split(',', 2);
		if (v !== 'v1' || !b64) continue;
		const got = Buffer.from(b64, 'base64');
		if (got.length === want.length && crypto.timingSafeEqual(got, want)) match = true;
	}
	if (!match) throw new WebhookVerificationError('signature', 'webhook-signature: no signature matches');
	return { id, timestamp: Number(ts) };
}

// A verifier that also refuses an id taken before.  verify() checks a
// delivery and holds its id while it is handled; done(id, true) once the
// delivery was acted on (then answer 2xx), done(id, false) when it was not
// (answer 5xx: mcp-alert sends it again, with the same id).
class WebhookVerifier {
	constructor({ secret, toleranceS = TOLERANCE_S, keepMs = KEEP_MS, max = 100000, now = Date.now } = {}) {
		this.key = keyOf(secret);
		this.toleranceS = toleranceS;
		// An id forgotten must be one whose time the clock refuses by then.
		this.keepMs = Math.max(keepMs, 2 * toleranceS * 1000);
		this.max = max;
		this.now = now;
		this.seen = new Map(); // id -> when it may be forgotten (ms), oldest first
		this.pending = new Set();
	}

	verify(headers, body) {
		const now = this.now();
		this.prune(now);
		const d = verifyWebhook(this.key, headers, body, { now, toleranceS: this.toleranceS });
		if (this.seen.has(d.id)) throw new WebhookVerificationError('seen', `webhook-id ${d.id}: taken before`);
		if (this.pending.has(d.id)) throw new WebhookVerificationError('in-flight', `webhook-id ${d.id}: being handled`);
		this.pending.add(d.id);
		return d;
	}

	done(id, taken) {
		if (!this.pending.delete(id) || !taken) return;
		this.seen.set(id, this.now() + this.keepMs);
		this.prune(this.now());
	}

	prune(now) {
		for (const [id, until] of this.seen) {
			if (until > now && this.seen.size <= this.max) break;
			this.seen.delete(id);
		}
	}
}

module.exports = { verifyWebhook, WebhookVerifier, WebhookVerificationError, TOLERANCE_S };
