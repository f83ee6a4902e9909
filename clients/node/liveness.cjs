'use strict';
// mcp-liveness - an advisory liveness cache of mcp-serve's embed status for
// agent platforms that route tool calls to MCP servers (mcp-serve(8),
// GET /api/embed-status/SLUG).  A background poller keeps one parsed state
// per slug, asking with If-None-Match; the hot path reads it synchronously.
// The API is advisory: an in-call circuit breaker, fed by the platform's own
// call outcomes, has the last word.  No dependencies; Node 20's fetch.

/** The states state() returns: the API's four, and unknown. */
const STATES = Object.freeze(['up', 'degraded', 'down', 'pending', 'unknown']);
const API_STATES = new Set(['up', 'degraded', 'down', 'pending']);
// mcp-serve's slugs (lib/util.c mcp_slug_ok): the URL needs no escaping.
const SLUG = /^[a-z0-9._-]{1,80}$/;
// An entity tag as RFC 9110 writes it; anything else is not sent back.
const ETAG = /^(W\/)?"[\x21\x23-\x7e]{0,200}"$/;
const MAX_BODY = 65536;

function bounded(name, v, min, max) {
	if (!Number.isFinite(v) || v < min || v > max)
		throw new RangeError(`${name}: a number from ${min} to ${max}, not ${v}`);
	return v;
}

function checkSlug(slug) {
	if (typeof slug !== 'string' || !SLUG.test(slug))
		throw new TypeError(`bad slug: ${JSON.stringify(String(slug)).slice(0, 40)}`);
	return slug;
}

function counters() {
	return { requests: 0, ok: 0, notModified: 0, notFound: 0, failures: 0 };
}

class Liveness {
	/**
	 * @param {object} opts
	 * @param {string} opts.base        mcp-serve's base URL, https://status.example.com
	 * @param {string[]} [opts.slugs]   the servers to watch
	 * @param {number} [opts.pollMs]    between polls, 15 s (100 ms to 1 h)
	 * @param {number} [opts.timeoutMs] one request, 4 s
	 * @param {number} [opts.staleMs]   an answer older than this is unknown, 5 min
	 * @param {number} [opts.failures]  consecutive call failures that open the breaker, 3
	 * @param {number} [opts.openMs]    how long the breaker stays open, 1 min
	 * @param {number} [opts.concurrency] requests in flight during a poll, 8
	 * @param {object} [opts.headers]   sent with every request (an Authorization header)
	 * @param {() => number} [opts.now] the clock, milliseconds (Date.now)
	 * @param {typeof fetch} [opts.fetch] the fetch to use (globalThis.fetch)
	 * @param {(slug: string, state: string, previous: string) => void} [opts.onChange]
	 */
	constructor(opts = {}) {
		if (typeof opts.base !== 'string' || !/^https?:\/\/[^\s?#]+$/.test(opts.base))
			throw new TypeError('base: an http or https URL without query or fragment');
		this._base = opts.base.replace(/\/+$/, '');
		this._pollMs = bounded('pollMs', opts.pollMs ?? 15_000, 100, 3_600_000);
		this._timeoutMs = bounded('timeoutMs', opts.timeoutMs ?? 4_000, 10, 120_000);
		this._staleMs = bounded('staleMs', opts.staleMs ?? 300_000, 1, 86_400_000);
		this._failures = bounded('failures', opts.failures ?? 3, 1, 1000);
		this._openMs = bounded('openMs', opts.openMs ?? 60_000, 1, 86_400_000);
		this._concurrency = bounded('concurrency', opts.concurrency ?? 8, 1, 256);
		this._headers = { ...(opts.headers || {}) };
		this._now = opts.now || Date.now;
		this._fetch = opts.fetch || globalThis.fetch;
		if (typeof this._fetch !== 'function') throw new TypeError('fetch: none (Node 18 or later has one)');
		this._onChange = opts.onChange || null;
		this._slugs = new Set();
		this._cache = new Map(); // slug -> { state, etag, fetchedAt }: a parsed enum, never the body
		this._breakers = new Map(); // slug -> { fails, openedAt, trialAt }
		this._counts = new Map(); // slug -> counters()
		this._timer = null;
		this._running = false;
		this._first = null;
		for (const s of opts.slugs || []) this.watch(s);
	}

	/** Watch SLUG from the next poll on. */
	watch(slug) {
		this._slugs.add(checkSlug(slug));
		if (!this._counts.has(slug)) this._counts.set(slug, counters());
		return this;
	}

	/** Stop watching SLUG and forget its state. */
	unwatch(slug) {
		this._slugs.delete(slug);
		this._cache.delete(slug);
		return this;
	}

	/** Poll now and then every pollMs, until stop().  The timer does not keep the process alive. */
	start() {
		if (this._running) return this;
		this._running = true;
		const loop = async () => {
			await this.poll();
			if (!this._running) return;
			this._timer = setTimeout(loop, this._pollMs);
			if (this._timer.unref) this._timer.unref();
		};
		this._first = loop();
		return this;
	}

	/** Resolves when the first poll after start() has ended. */
	ready() {
		return this._first || Promise.resolve();
	}

	stop() {
		this._running = false;
		if (this._timer) clearTimeout(this._timer);
		this._timer = null;
	}

	/** Ask for every watched slug once (start() does this every pollMs). Never rejects. */
	async poll() {
		const slugs = [...this._slugs];
		let i = 0;
		const worker = async () => {
			while (i < slugs.length) await this._ask(slugs[i++]);
		};
		const n = Math.min(this._concurrency, slugs.length);
		await Promise.all(Array.from({ length: n }, worker));
	}

	/**
	 * The hot path: the API's last word on SLUG, one of STATES.  'unknown'
	 * when no answer is younger than staleMs (none yet, the API failing or
	 * unreachable for that long), for a slug the API does not know (404) or
	 * a state this client does not know.  Synchronous; no allocation.
	 */
	state(slug) {
		const e = this._cache.get(slug);
		if (e === undefined || this._now() - e.fetchedAt > this._staleMs) return 'unknown';
		return e.state;
	}

	/**
	 * Whether to call SLUG now: false while its breaker is open, or when the
	 * API says 'down'; true otherwise, 'unknown' included (fail open).  When
	 * the breaker is half-open, true for one trial call at a time (a trial not
	 * recorded within openMs makes room for another).
	 */
	allow(slug) {
		const br = this.breaker(slug);
		if (br === 'open') return false;
		if (this.state(slug) === 'down') return false;
		if (br === 'half-open') {
			const b = this._breakers.get(slug);
			const now = this._now();
			if (b.trialAt !== null && now - b.trialAt < this._openMs) return false;
			b.trialAt = now;
		}
		return true;
	}

	/**
	 * The outcome of a call to SLUG (ok true or false).  `failures`
	 * consecutive failures open the breaker for openMs, whatever the API
	 * says; then it is half-open: a success closes it, a failure opens it
	 * again.
	 */
	record(slug, ok) {
		let b = this._breakers.get(slug);
		if (b === undefined) {
			if (ok) return;
			b = { fails: 0, openedAt: null, trialAt: null };
			this._breakers.set(slug, b);
		}
		if (ok) {
			this._breakers.delete(slug);
			return;
		}
		const halfOpen = this.breaker(slug) === 'half-open';
		b.fails++;
		if (halfOpen || (b.openedAt === null && b.fails >= this._failures)) {
			b.openedAt = this._now();
			b.trialAt = null;
		}
	}

	/** 'closed', 'open' or 'half-open'. */
	breaker(slug) {
		const b = this._breakers.get(slug);
		if (b === undefined || b.openedAt === null) return 'closed';
		return this._now() - b.openedAt >= this._openMs ? 'half-open' : 'open';
	}

	/** Request counters: of SLUG, or of all slugs. */
	stats(slug) {
		if (slug !== undefined) return { ...(this._counts.get(slug) || counters()) };
		const t = counters();
		for (const c of this._counts.values()) for (const k of Object.keys(t)) t[k] += c[k];
		return t;
	}

	_set(slug, state, etag) {
		const before = this.state(slug);
		this._cache.set(slug, {
			state,
			etag: typeof etag === 'string' && ETAG.test(etag) ? etag : null,
			fetchedAt: this._now(),
		});
		this._changed(slug, before);
	}

	// onChange when the state() of SLUG is no longer BEFORE.
	_changed(slug, before) {
		const after = this.state(slug);
		if (after === before || !this._onChange) return;
		try {
			this._onChange(slug, after, before);
		} catch (_) {
			// A listener's error is its own.
		}
	}

	async _ask(slug) {
		const c = this._counts.get(slug) || counters();
		const e = this._cache.get(slug);
		const headers = { Accept: 'application/json', ...this._headers };
		if (e && e.etag) headers['If-None-Match'] = e.etag;
		const ctrl = new AbortController();
		const timer = setTimeout(() => ctrl.abort(), this._timeoutMs);
		c.requests++;
		try {
			// Redirects are not followed: the headers go to base's host only.
			const r = await this._fetch(`${this._base}/api/embed-status/${slug}`, {
				headers,
				signal: ctrl.signal,
				redirect: 'manual',
			});
			if (r.status === 200) {
				const text = await r.text();
				if (text.length > MAX_BODY) throw new Error('answer too large');
				const j = JSON.parse(text);
				if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new Error('not an object');
				this._set(slug, API_STATES.has(j.state) ? j.state : 'unknown', r.headers.get('etag'));
				c.ok++;
				return;
			}
			discard(r);
			if (r.status === 304 && e && e.etag) {
				const before = this.state(slug);
				e.fetchedAt = this._now(); // unchanged, and fresh again
				c.notModified++;
				this._changed(slug, before);
			} else if (r.status === 404) {
				this._set(slug, 'unknown', null);
				c.notFound++;
			} else {
				c.failures++;
			}
		} catch (_) {
			// A network error, a timeout, an unreadable answer: the last state
			// stands until it goes stale (fail open).
			c.failures++;
		} finally {
			clearTimeout(timer);
		}
	}
}

// A body not read keeps its connection busy: let it go.
function discard(r) {
	if (r.body && typeof r.body.cancel === 'function') r.body.cancel().catch(() => {});
}

module.exports = { Liveness, STATES };
