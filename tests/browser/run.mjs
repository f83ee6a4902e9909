// run.mjs - the browser cases of tests/browser.t, in one headless Chromium.
//
// Driven by tests/browser.t, which starts the servers, writes the host pages
// and passes their origins in the environment (API, FAR, HOST, E500, HANG,
// NOCORS, BADJSON, FAKE), the slugs of each state (S_UP, S_DEG, S_DOWN,
// S_PEND, S_REC, S_MAINT, S_FAULT), the browser (CHROMIUM), the screenshot directory (SHOTS)
// and the strings no page may show (SECRETS, a JSON array).
//
// Output, one line a check, for browser.t to number:
//   ok<TAB>NAME  |  not ok<TAB>NAME<TAB>DETAIL  |  #<TAB>DIAGNOSTIC
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import axe from 'axe-core';

const E = process.env;
const { API, FAR, HOST, SHOTS } = E;
const WANT = { [E.S_UP]: 'up', [E.S_DEG]: 'degraded', [E.S_DOWN]: 'down', [E.S_PEND]: 'pending' };
const WORD = { up: 'Up', degraded: 'Degraded', down: 'Down', pending: 'Pending' };
// What each state's dot looks like: its hue, not its exact shade.
const HUE = { up: 'green', degraded: 'amber', down: 'red', pending: 'grey' };
const SECRETS = JSON.parse(fs.readFileSync(E.SECRETS, 'utf8'));

const line = (...f) => console.log(f.map((s) => String(s).replace(/[\t\r\n]+/g, ' ')).join('\t'));
const ok = (c, name, detail = '') => (line(c ? 'ok' : 'not ok', name, c ? '' : detail), c);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const is = (got, want, name) => ok(same(got, want), name, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
const like = (got, re, name) => ok(re.test(String(got)), name, `got ${JSON.stringify(got)}, want a match of ${re}`);
const diag = (s) => line('#', s);

// "rgb(26, 127, 55)" -> its hue, roughly: grey, green, amber, red, other.
function hue(css) {
	const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css || '');
	if (!m) return `none (${css})`;
	const [r, g, b] = m.slice(1).map(Number);
	if (Math.max(r, g, b) - Math.min(r, g, b) < 30) return 'grey';
	if (g > r && g > b) return 'green';
	if (r > g && g > b && g > 0.45 * r) return 'amber';
	if (r > g && r > b) return 'red';
	return `other (${css})`;
}
// Relative luminance of a computed colour, 0 (black) to 1 (white).
function lum(css) {
	const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css || '');
	if (!m) return -1;
	const [r, g, b] = m.slice(1).map((v) => {
		v = Number(v) / 255;
		return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
// Texts that change from one second to the next ("37s ago", "(7 minutes)").
const steady = (t) => (t || '').replace(/\b\d+[smhd] ago\b/g, '# ago').replace(/\(\d+ minutes?\)/g, '(# minutes)');

const browser = await puppeteer.launch({
	executablePath: E.CHROMIUM || '/usr/lib/chromium/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
	// A step that hangs fails in a minute, not in puppeteer's three.
	protocolTimeout: 60000,
});
diag(`browser: ${await browser.version()}`);

async function newPage({ width = 1280, height = 900, dark = false, js = true, bypassCSP = false } = {}) {
	const p = await browser.newPage();
	await p.setViewport({ width, height });
	await p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }]);
	if (!js) await p.setJavaScriptEnabled(false);
	if (bypassCSP) await p.setBypassCSP(true);
	p.dialogs = [];
	p.errors = [];
	p.console = [];
	p.requests = [];
	p.responses = [];
	p.failed = [];
	p.on('dialog', (d) => {
		p.dialogs.push(d.message());
		d.dismiss().catch(() => {});
	});
	p.on('pageerror', (e) => p.errors.push(String(e)));
	p.on('console', (m) => p.console.push(m.text()));
	p.on('request', (r) => p.requests.push(r.url()));
	p.on('response', (r) => p.responses.push(r));
	p.on('requestfailed', (r) => p.failed.push(`${r.url()} ${r.failure() ? r.failure().errorText : ''}`));
	return p;
}
// (A page in the background may never paint: each is brought to the front.)
const shot = async (p, name) => (await p.bringToFront(), p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true }));

// The widgets of a page, as a person (and the DOM) sees them.
const readWidgets = (p) =>
	p.evaluate(() =>
		[...document.querySelectorAll('#mcp-uptime-embed, .mcp-uptime-embed')].map((m) => {
			const r = m.querySelector('.mcpu');
			const q = (s) => (r ? r.querySelector(s) : null);
			const t = (s) => (q(s) ? q(s).textContent : null);
			const cs = (e) => (e ? getComputedStyle(e) : {});
			const link = r && r.tagName === 'A' ? r : q('a.mcpu-link');
			const box = r ? r.getBoundingClientRect() : { width: 0, height: 0 };
			return {
				server: m.getAttribute('data-server'),
				style: m.getAttribute('data-style') === 'badge' ? 'badge' : 'card',
				theme: m.getAttribute('data-theme') === 'dark' ? 'dark' : 'light',
				settled: m.getAttribute('data-mcp-uptime-state'),
				done: m.getAttribute('data-mcp-uptime-done'),
				n: m.querySelectorAll('.mcpu').length,
				tag: r && r.tagName,
				cls: r && r.className,
				slug: t('.mcpu-slug'),
				word: t('.mcpu-state'),
				facts: r ? [...r.querySelectorAll('.mcpu-fact')].map((e) => e.textContent) : [],
				href: link && link.href,
				linkText: link && link.textContent,
				by: q('a.mcpu-by') && q('a.mcpu-by').href,
				title: r && r.getAttribute('title'),
				dot: cs(q('.mcpu-dot')).backgroundColor,
				bg: cs(r).backgroundColor,
				fg: cs(r).color,
				boxSizing: cs(r).boxSizing,
				padding: cs(r).padding,
				fontSize: cs(r).fontSize,
				border: `${cs(r).borderTopWidth} ${cs(r).borderTopColor}`,
				linkDeco: cs(link).textDecorationLine,
				w: box.width,
				h: box.height,
				text: r && r.innerText,
			};
		}),
	);
// Every mount on the page has settled (data-mcp-uptime-state).
const settle = (p, timeout = 10000) =>
	p
		.waitForFunction(
			() => {
				const m = [...document.querySelectorAll('#mcp-uptime-embed, .mcp-uptime-embed')];
				return m.length > 0 && m.every((x) => x.hasAttribute('data-mcp-uptime-state'));
			},
			{ timeout, polling: 50 },
		)
		.then(
			() => true,
			() => false,
		);
// When the page's first mount settled, in ms since navigation started.
const recordSettle = (p) =>
	p.evaluateOnNewDocument(() => {
		new MutationObserver(() => {
			if (!window.__settledAt && document.querySelector('[data-mcp-uptime-state]'))
				window.__settledAt = performance.now();
		}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-mcp-uptime-state'] });
	});
const apiCalls = (p) => p.requests.filter((u) => u.includes('/api/embed-status/')).map((u) => new URL(u).pathname);

// The five-field answers of the API, to hold the widgets to.
const json = {};
for (const s of Object.keys(WANT)) json[s] = await (await fetch(`${API}/api/embed-status/${s}`)).json();
diag(`API answers: ${JSON.stringify(json)}`);
const fresh = Object.keys(WANT).every((s) => json[s].state === WANT[s]);
ok(fresh, 'before the browser cases: the API still gives up, degraded, down, pending (the verdicts are fresh)', JSON.stringify(json));

// The facts a card shows for an answer, the "checked ... ago" aside.
function factsFor(j) {
	if (j.state === 'pending') return ['awaiting first probe'];
	const f = [];
	if (j.uptime_30d !== null) f.push(`${j.uptime_30d.toFixed(2)}% uptime (30 days)`);
	if (j.p95_ms !== null) f.push(`p95 ${Math.round(j.p95_ms)} ms`);
	return f;
}

// ------------------------------------------------------------ the widget
async function widgetMatrix() {
	const p = await newPage({ width: 1280 });
	const t0 = Date.now();
	await p.goto(`${HOST}/widgets.html`, { waitUntil: 'load' });
	ok(await settle(p), 'widgets: every mount of the host page settles');
	diag(`widgets: 16 mounts settled in ${Date.now() - t0} ms`);
	await shot(p, 'widget-all-states');
	const ws = await readWidgets(p);
	is(ws.length, 16, 'widgets: 16 mounts (4 states x card, badge x light, dark)');
	const dots = { light: {}, dark: {} };
	for (const w of ws) {
		const st = WANT[w.server];
		const j = json[w.server];
		const L = `widget ${st} ${w.style} ${w.theme}`;
		is([w.settled, w.done, w.n], [st, '1', 1], `${L}: data-mcp-uptime-state="${st}", done, one widget in the mount`);
		is([w.slug, w.word], [w.server, WORD[st]], `${L}: the slug "${w.server}" and the word "${WORD[st]}"`);
		is(w.href, `${API}/status/${w.server}`, `${L}: links to the status page on the API's origin`);
		like(w.cls, new RegExp(`^mcpu mcpu-${w.style} mcpu-${st}${w.theme === 'dark' ? ' mcpu-dark' : ''}$`), `${L}: its classes`);
		is(hue(w.dot), HUE[st], `${L}: the dot is ${HUE[st]} (${w.dot})`);
		ok(w.theme === 'dark' ? lum(w.bg) < 0.1 && lum(w.fg) > 0.6 : lum(w.bg) > 0.9 && lum(w.fg) < 0.1,
			`${L}: ${w.theme} background, contrasting text (${w.bg} / ${w.fg})`, `${w.bg} / ${w.fg}`);
		if (w.style === 'card') {
			dots[w.theme][st] = w.dot;
			const want = factsFor(j);
			is(w.facts.slice(0, want.length), want, `${L}: the API's facts: ${want.join(', ')}`);
			if (st !== 'pending') {
				like(w.facts.join(' | '), /^\d{1,3}\.\d{2}% uptime \(30 days\) \| p95 \d+ ms \| checked \d+[smhd] ago$/,
					`${L}: "NN.NN% uptime", "p95 N ms", "checked ... ago"`);
				const secs = (a) => {
					const m = /^(\d+)([smhd])$/.exec(a || '');
					return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]] : NaN;
				};
				const got = secs((/^checked (\S+) ago$/.exec(w.facts[2] || '') || [])[1]);
				const api = secs(j.last_probe_ago);
				ok(got >= api && got <= api + 60, `${L}: "${w.facts[2]}": the API's last_probe_ago (${j.last_probe_ago}, seconds may have ticked)`, `${got} vs ${api}`);
			} else {
				is(w.facts, ['awaiting first probe'], `${L}: "awaiting first probe", nothing else`);
			}
			is([w.linkText, w.by], ['Status page \u2192', `${API}/status`], `${L}: "Status page" link and the attribution to ${API}/status`);
			ok(w.w <= 420 && w.w >= 250, `${L}: a card at most 420 px wide (${w.w})`, `${w.w}`);
		} else {
			is(w.facts, [], `${L}: a pill: no facts`);
			is(w.tag, 'A', `${L}: the whole pill is the link`);
			like(w.title, new RegExp(`^${w.server}: ${WORD[st]} \\(status page\\)$`), `${L}: its title says the state`);
			ok(w.h <= 32 && w.w < 260, `${L}: one line (${Math.round(w.w)} x ${Math.round(w.h)} px)`, `${w.w} x ${w.h}`);
		}
	}
	for (const th of ['light', 'dark'])
		is(new Set(Object.values(dots[th])).size, 4, `widget ${th}: four states, four dot colours (${Object.entries(dots[th]).map((e) => e.join(' ')).join(', ')})`);
	is(p.dialogs.concat(p.errors), [], 'widgets: no dialog, no script error');
	is(apiCalls(p).length, 16, 'widgets: one API request per mount');
	const css = await p.evaluate(() => {
		const s = document.getElementById('mcp-uptime-embed-css');
		return {
			n: [...document.querySelectorAll('style')].filter((e) => e.textContent.includes('.mcpu')).length,
			bad: s ? [...s.sheet.cssRules].flatMap((r) => r.selectorText.split(',')).filter((x) => !/^\s*\.mcpu\b/.test(x)) : ['none'],
		};
	});
	is(css, { n: 1, bad: [] }, 'widgets: one stylesheet, every selector under .mcpu');
	// Light cards alone, for the README.
	const cards = await p.$('.grid');
	if (cards) await cards.screenshot({ path: path.join(SHOTS, 'widget-cards-light.png') });
	await axeCheck(p, 'the host page with 16 widgets');
	await p.close();
}

// One mount by id, no style or theme: a light card; and embed.js's headers.
async function widgetSingle() {
	const p = await newPage({ width: 800 });
	await p.goto(`${HOST}/single.html`, { waitUntil: 'load' });
	ok(await settle(p), 'single: the id mount settles');
	const [w] = await readWidgets(p);
	is([w.settled, w.style, w.theme, w.cls], ['up', 'card', 'light', 'mcpu mcpu-card mcpu-up'], 'single: no data-style or data-theme: a light card, up');
	const js = p.responses.find((r) => r.url() === `${API}/embed.js`);
	const h = js ? js.headers() : {};
	is([js && js.status(), h['content-type']], [200, 'text/javascript; charset=utf-8'], 'embed.js: 200, Content-Type: text/javascript');
	ok(/^(W\/)?"[^"]+"$/.test(h.etag || '') && /max-age=\d+/.test(h['cache-control'] || ''),
		`embed.js: an ETag and a cache lifetime (${h.etag}; ${h['cache-control']})`, JSON.stringify(h));
	const api = p.responses.find((r) => r.url().includes('/api/embed-status/'));
	is(api && api.headers()['access-control-allow-origin'], '*', 'the API answers the other origin with Access-Control-Allow-Origin: *');
	await shot(p, 'widget-single');
	await p.close();
	return w;
}

// Whatever goes wrong, the pending state: grey dot, the slug, "awaiting first probe".
async function widgetFailures() {
	const cases = [
		['unknown', API, 'nosuch-server', 'an unknown slug (404)', (r) => r && r.status() === 404],
		['e500', E.E500, E.S_UP, 'the API answers 500', (r) => r && r.status() === 500],
		['hang', E.HANG, E.S_UP, 'the API never answers', (r) => !r],
		// Chromium reports no response for a request CORS refused: it says why on the console.
		['nocors', E.NOCORS, E.S_UP, 'the API answers without Access-Control-Allow-Origin',
			(r, p) => !r && p.failed.some((f) => f.includes('/api/embed-status/')) &&
				p.console.some((m) => /blocked by CORS policy.*Access-Control-Allow-Origin/.test(m))],
		['badjson', E.BADJSON, E.S_UP, 'the API answers 200 with a body that is not JSON', (r) => r && r.status() === 200],
		['fake', E.FAKE, E.S_UP, 'the API answers 200 JSON with a state "green"', (r) => r && r.status() === 200],
		['far', FAR, E.S_UP, 'the API calls the verdict stale (mcp-serve an hour ahead)', (r) => r && r.status() === 200],
	];
	const pages = await Promise.all(
		cases.map(async ([name, origin, slug, why, served]) => {
			const p = await newPage({ width: 800 });
			await recordSettle(p);
			await p.goto(`${HOST}/${name}.html`, { waitUntil: 'load' });
			return { p, name, origin, slug, why, served };
		}),
	);
	// Before the 4 s are up, the one that hangs already shows something.
	const hang = pages.find((c) => c.name === 'hang');
	await new Promise((r) => setTimeout(r, 1500));
	const [early] = await readWidgets(hang.p);
	is([early.n, early.settled, early.word, early.facts], [1, null, 'Pending', ['awaiting first probe']],
		'widget, API silent for 1.5 s: a pending card at once, not an empty box, not settled yet');
	for (const { p, name, origin, slug, why, served } of pages) {
		const L = `widget, ${why}`;
		ok(await settle(p, 10000), `${L}: settles`);
		const at = await p.evaluate(() => window.__settledAt || -1);
		if (name === 'hang') ok(at >= 3900 && at < 7000, `${L}: settles after the 4-second timeout (${Math.round(at)} ms)`, `${at}`);
		else ok(at >= 0 && at < 3000, `${L}: settles at once (${Math.round(at)} ms)`, `${at}`);
		const [w] = await readWidgets(p);
		is([w.settled, w.slug, w.word, w.facts], ['pending', slug, 'Pending', ['awaiting first probe']],
			`${L}: pending: the slug, "Pending", "awaiting first probe"`);
		is(hue(w.dot), 'grey', `${L}: a grey dot (${w.dot}), never a green one`);
		is(w.href, `${origin}/status/${slug}`, `${L}: still links to the status page`);
		const resp = p.responses.find((r) => r.url().includes('/api/embed-status/'));
		ok(served(resp, p), `${L}: (the API's answer was as meant: ${resp ? resp.status() : 'none'})`,
			`${resp ? JSON.stringify(resp.headers()) : 'no response'}; failed: ${p.failed}; console: ${p.console}`);
		is(p.dialogs.concat(p.errors), [], `${L}: no dialog, no script error`);
		await shot(p, `widget-pending-${name}`);
		await p.close();
	}
}

// Two mounts, the script twice (and once more after they settled).
async function widgetTwice() {
	const p = await newPage({ width: 800 });
	await p.goto(`${HOST}/twice.html`, { waitUntil: 'load' });
	ok(await settle(p), 'twice: both mounts settle');
	const count = () =>
		p.evaluate(() => ({
			widgets: document.querySelectorAll('.mcpu').length,
			css: document.querySelectorAll('#mcp-uptime-embed-css').length,
			styles: [...document.querySelectorAll('style')].filter((e) => e.textContent.includes('.mcpu')).length,
			scripts: document.querySelectorAll('script[src*="/embed.js"]').length,
		}));
	is(await count(), { widgets: 2, css: 1, styles: 1, scripts: 2 }, 'twice: two mounts and two script tags: two widgets, one stylesheet');
	await p.evaluate(
		(src) =>
			new Promise((res) => {
				const s = document.createElement('script');
				s.src = src;
				s.onload = s.onerror = res;
				document.body.appendChild(s);
			}),
		`${API}/embed.js?again`,
	);
	await new Promise((r) => setTimeout(r, 300));
	is(await count(), { widgets: 2, css: 1, styles: 1, scripts: 3 }, 'twice: the script run a third time after they settled: still two widgets, one stylesheet');
	is(apiCalls(p).sort(), [`/api/embed-status/${E.S_DOWN}`, `/api/embed-status/${E.S_UP}`].sort(), 'twice: one API request per mount, not one per script');
	const ws = await readWidgets(p);
	is(ws.map((w) => [w.settled, w.style, w.theme]), [['up', 'card', 'light'], ['down', 'badge', 'dark']], 'twice: each mount as it asked');
	await shot(p, 'widget-twice');
	await p.close();
}

// data-server from a hostile or careless page: a sanitised slug, as text, and nothing runs.
async function widgetHostile() {
	const p = await newPage({ width: 800 });
	await p.goto(`${HOST}/hostile.html`, { waitUntil: 'load' });
	ok(await settle(p), 'hostile: the mounts settle');
	await new Promise((r) => setTimeout(r, 300));
	const ws = await readWidgets(p);
	const a80 = 'a'.repeat(80);
	is(ws.map((w) => w.server), ['"><img src=x onerror=alert(1)>', '../../x', E.A100], 'hostile: the raw data-server values reached the page');
	is(ws.map((w) => w.slug), ['imgsrcxonerroralert1', '....x', a80], 'hostile: rendered as sanitised slugs (lowercase, [a-z0-9._-], 80 characters)');
	is(ws.map((w) => w.settled), ['pending', 'pending', 'pending'], 'hostile: unknown slugs: pending');
	is(ws.map((w) => w.href), ['imgsrcxonerroralert1', '....x', a80].map((s) => `${API}/status/${s}`), 'hostile: links carry only the sanitised slug');
	const dom = await p.evaluate(() => ({
		img: document.querySelectorAll('img').length,
		onerror: document.querySelectorAll('[onerror]').length,
		widgetElements: [...document.querySelectorAll('.mcpu, .mcpu *')].map((e) => e.tagName).filter((t) => !['DIV', 'SPAN', 'A'].includes(t)),
	}));
	is(dom, { img: 0, onerror: 0, widgetElements: [] }, 'hostile: no <img>, no onerror attribute, only div, span and a in the widgets');
	is(p.dialogs, [], 'hostile: no dialog fired (alert(1) never ran)');
	is(apiCalls(p).sort(), ['imgsrcxonerroralert1', '....x', a80].map((s) => `/api/embed-status/${s}`).sort(), 'hostile: the API requests carry only the sanitised slugs');
	await shot(p, 'widget-hostile');
	await p.close();
}

// No slug: the card that invites the author to add one.
async function widgetInvite() {
	const p = await newPage({ width: 800 });
	await p.goto(`${HOST}/invite.html`, { waitUntil: 'load' });
	ok(await settle(p), 'invite: the mounts settle');
	const ws = await readWidgets(p);
	is(ws.map((w) => w.settled), ['invite', 'invite', 'invite'], 'invite: no data-server, an empty one, one that sanitises to nothing: the invite card');
	is(ws.map((w) => [w.linkText, w.href]), ws.map(() => ['Is your MCP server alive? Add data-server="your-slug" to show it\u00a0\u2192', `${API}/status`]),
		'invite: "Is your MCP server alive? Add data-server=..." linking to /status');
	is(ws.map((w) => w.theme === 'dark' ? lum(w.bg) < 0.1 : lum(w.bg) > 0.9), [true, true, true], 'invite: its theme');
	is(apiCalls(p), [], 'invite: no API request');
	await shot(p, 'widget-invite');
	await axeCheck(p, 'the invite cards');
	await p.close();
}

// A host page whose own CSS would break a widget that did not protect itself.
async function widgetHostCss(single) {
	const p = await newPage({ width: 800 });
	await p.goto(`${HOST}/hostcss.html`, { waitUntil: 'load' });
	ok(await settle(p), 'host styles: the mount settles');
	const [w] = await readWidgets(p);
	is([w.boxSizing, w.padding, w.fontSize, w.border, w.linkDeco], ['border-box', '12px 14px', '14px', '1px rgb(208, 215, 222)', 'underline'],
		'host styles (box-sizing, margins, borders, fonts, links on every element): the card keeps its own');
	ok(Math.abs(w.w - single.w) < 1 && Math.abs(w.h - single.h) < 1, `host styles: the same size as on a plain page (${w.w} x ${w.h} vs ${single.w} x ${single.h})`,
		`${w.w} x ${w.h} vs ${single.w} x ${single.h}`);
	const host = await p.evaluate(() => {
		const d = getComputedStyle(document.querySelector('.mine'));
		const q = getComputedStyle(document.querySelector('.mine2'));
		return [d.borderTopWidth, d.fontSize, q.letterSpacing, q.boxSizing];
	});
	is(host, ['4px', '30px', '3px', 'content-box'], "host styles: the widget's CSS does not touch the host's own elements");
	await shot(p, 'widget-host-css');
	await p.close();
	// Issue 14: "box-sizing reset so the host page cannot break it": the
	// reset undoes float, position and sizes, not box-sizing alone.
	const f = await newPage({ width: 800 });
	await f.goto(`${HOST}/hostfloat.html`, { waitUntil: 'load' });
	ok(await settle(f), 'host span { float: left }: the mount settles');
	const [g] = await readWidgets(f);
	ok(Math.abs(g.w - single.w) < 1 && Math.abs(g.h - single.h) < 1,
		`host span { float: left }: the card keeps its size (${g.w} x ${g.h} vs ${single.w} x ${single.h} on a plain page)`,
		`${g.w} x ${g.h} vs ${single.w} x ${single.h}: the widget's reset leaves float alone, its rows float out of the card`);
	await shot(f, 'widget-host-float');
	await f.close();
}

// ------------------------------------------------------------ the status page
const readStatus = (p) =>
	p.evaluate(() => {
		const q = (s) => document.querySelector(s);
		const qa = (s) => [...document.querySelectorAll(s)];
		const cs = (e) => (e ? getComputedStyle(e) : {});
		const rows = (t) => (t ? [...t.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.textContent.trim())) : []);
		const h2 = (txt) => qa('h2').find((h) => h.textContent === txt);
		const after = (h) => (h && h.nextElementSibling ? h.nextElementSibling.querySelector('table') : null);
		return {
			title: document.title,
			h1: q('h1') && q('h1').textContent,
			headline: q('.headline') && q('.headline').innerText.trim(),
			hcls: q('.headline') && q('.headline').className,
			hdot: cs(q('.headline .dot')).backgroundColor,
			bg: cs(document.body).backgroundColor,
			fg: cs(document.body).color,
			scripts: document.scripts.length,
			bars: qa('ol.bars > li').map((li) => ({ cls: li.className, title: li.title })),
			legend: q('.legend') && q('.legend').innerText,
			banner: q('.banner') && q('.banner').innerText,
			incidents: qa('section.incident').map((s) => ({
				h: s.querySelector('h2') && s.querySelector('h2').textContent,
				dt: [...s.querySelectorAll('dt')].map((e) => e.textContent),
				dd: [...s.querySelectorAll('dd')].map((e) => e.textContent),
				time: s.querySelector('time') && s.querySelector('time').getAttribute('datetime'),
			})),
			labels: qa('svg.map text').map((t) => t.textContent),
			tableOverflow: qa('.scroll').map((e) => e.scrollWidth - e.clientWidth),
			circles: qa('svg.map circle').map((c) => ({ cls: c.getAttribute('class'), title: c.textContent, fill: cs(c).fill })),
			map: q('svg.map image') && q('svg.map image').getAttribute('href'),
			regions: rows(after(h2('Regions')) || q('table')),
			facts: qa('.fact').map((f) => f.innerText.replace(/\s+/g, ' ').trim()),
			history: rows(after(h2('Recent incidents'))),
			feed: q('link[rel=alternate][type="application/atom+xml"]') && q('link[rel=alternate][type="application/atom+xml"]').href,
			cssRules: document.styleSheets.length ? document.styleSheets[0].cssRules.length : 0,
			text: document.body.innerText,
			sw: document.documentElement.scrollWidth,
			iw: window.innerWidth,
		};
	});
const HEADLINE = {
	up: /^Up: every region passes$/,
	degraded: /^Degraded: the HTTP response failing in [^,]*\(eu-west-2\)$/,
	down: /^Down: the HTTP response failing in [^,]*\(eu-west-2\), [^,]*\(us-east-1\)$/,
	// Probes have come in, no verdict has been decided yet.
	pending: /^Pending: probes arrived, no verdict yet$/,
};

async function statusPages() {
	const slugs = [...Object.keys(WANT), E.S_REC];
	const texts = {};
	const dots = {};
	for (const slug of slugs) {
		const st = WANT[slug] || 'up';
		for (const width of [360, 1280])
			for (const dark of [false, true])
				for (const js of [true, false]) {
					const scheme = dark ? 'dark' : 'light';
					const L = `status ${slug} (${st}) ${width} ${scheme} ${js ? 'JS' : 'no JS'}`;
					const p = await newPage({ width, height: 800, dark, js });
					const resp = await p.goto(`${API}/status/${slug}`, { waitUntil: 'load' });
					const html = await resp.text();
					const h = resp.headers();
					const d = await readStatus(p);
					const csp = h['content-security-policy'] || '';
					ok(resp.status() === 200 && /^text\/html/.test(h['content-type']) && /default-src 'none'/.test(csp) &&
						!/script-src|unsafe-inline|unsafe-eval/.test(csp) && h['x-content-type-options'] === 'nosniff',
						`${L}: 200 HTML, CSP default-src 'none' with no script source, nosniff`, `${resp.status()} ${JSON.stringify(h)}`);
					ok(d.scripts === 0 && !/<script/i.test(html), `${L}: no <script>`, `${d.scripts} scripts`);
					ok(d.cssRules > 20, `${L}: its stylesheet loaded under the CSP (${d.cssRules} rules)`, `${d.cssRules}`);
					const refused = p.console.filter((m) => /Content Security Policy|Refused to/i.test(m));
					is(refused, [], `${L}: no CSP refusal of the page's own resources`);
					is(d.h1, slug, `${L}: the slug as the heading`);
					like(d.headline, HEADLINE[st], `${L}: the headline in words`);
					ok(d.hcls === `headline ${st}` && hue(d.hdot) === HUE[st], `${L}: the headline's colour is ${HUE[st]} (${d.hdot})`, `${d.hcls} ${d.hdot}`);
					ok(dark ? lum(d.bg) < 0.05 && lum(d.fg) > 0.7 : lum(d.bg) > 0.95 && lum(d.fg) < 0.05,
						`${L}: ${scheme} colours follow prefers-color-scheme (${d.bg} / ${d.fg})`, `${d.bg} / ${d.fg}`);
					is(d.bars.length, 30, `${L}: 30 daily bars`);
					ok(d.bars.every((b) => /^\d{4}-\d{2}-\d{2}: (no data|\d{1,3}\.\d{2}% \(\d+ of \d+ windows up\))$/.test(b.title)),
						`${L}: each bar's title gives the day and its percentage (or no data)`, JSON.stringify(d.bars.slice(-2)));
					if (width === 360 && js && d.tableOverflow.some((x) => x > 0))
						diag(`${L}: a table scrolls sideways inside its box (${d.tableOverflow.join(', ')} px hidden)`);
					if (width === 360) ok(d.sw <= d.iw, `${L}: no sideways scrolling at 360 px (page ${d.sw} px)`, `${d.sw} > ${d.iw}`);
					const leaks = SECRETS.filter((s) => html.includes(s) || d.text.includes(s));
					is(leaks, [], `${L}: no host, address, URL, hash, probe id or error message in the page`);
					is(p.errors, [], `${L}: no page error`);
					const key = `${slug} ${width} ${scheme}`;
					if (js) texts[key] = steady(d.text);
					else is(steady(d.text), texts[key], `${L}: the same text as with JavaScript`);
					if (js && !dark && width === 1280) dots[st] = d.hdot;
					if (js && width === 1280) await statusDetail(slug, st, d, L);
					await shot(p, `status-${st === 'up' && slug === E.S_REC ? 'recovered' : st}-${width}-${scheme}-${js ? 'js' : 'nojs'}`);
					await p.close();
				}
	}
	is(new Set(Object.values(dots)).size, 4, `status: four states, four headline colours (${JSON.stringify(dots)})`);
}

// What one state's page says, beyond the headline (1280 px, JavaScript on).
async function statusDetail(slug, st, d, L) {
	is(d.feed, `${API}/status/${slug}/feed.atom`, `${L}: links its Atom feed`);
	is(d.map, '/world.svg', `${L}: the map's world outline`);
	const opened = new Date((Number(E.VERDICT_AT) - 7 * 60) * 1000).toISOString().replace(/\.000Z$/, 'Z');
	if (slug === E.S_DOWN || slug === E.S_DEG) {
		const inc = d.incidents[0] || { dt: [], dd: [] };
		is(d.incidents.length, 1, `${L}: one incident card`);
		is(inc.dt, ['What is failing', 'Since', 'Where', 'Severity'], `${L}: the incident card's four elements`);
		is(inc.dd[0], 'the HTTP response', `${L}: what is failing, in plain words`);
		is(inc.time, opened, `${L}: since the first failing window (${opened})`);
		like(inc.dd[1], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(\d+ minutes?\)$/, `${L}: since when, and for how long`);
		if (slug === E.S_DOWN) {
			like(inc.dd[2], /^[^,]*\(eu-west-2\), [^,]*\(us-east-1\)$/, `${L}: from which regions (city and code)`);
			like(inc.dd[3], /^P1\b/, `${L}: severity P1`);
		} else {
			like(inc.dd[2], /^[^,]*\(eu-west-2\)$/, `${L}: from which region`);
			like(inc.dd[3], /^P2\b/, `${L}: severity P2`);
		}
	} else {
		is(d.incidents.length, 0, `${L}: no incident card`);
	}
	const want = slug === E.S_REC ? { up: 2 } : {
		up: { up: 3 },
		degraded: { down: 1, up: 2 },
		down: { down: 2, up: 1 },
		pending: { up: 1 },
	}[st];
	const got = {};
	for (const c of d.circles.slice().sort((a, b) => a.cls.localeCompare(b.cls))) got[c.cls] = (got[c.cls] || 0) + 1;
	is(got, want, `${L}: the map has a dot per region, by state (${JSON.stringify(want)})`);
	ok(d.circles.every((c) => /^.+ \((eu-west-2|us-east-1|ap-southeast-1)\): (up|down)$/.test(c.title) && hue(c.fill) === HUE[c.cls]),
		`${L}: each map dot has a city label and its state's colour`, JSON.stringify(d.circles));
	// Issue 14: "a per-region map with city labels": a <text> beside each
	// dot, not only its <title> (a tooltip).
	is(d.labels.length, d.circles.length, `${L}: the map labels each region's dot with its city, visibly (<text>)`);
	is(d.regions.length, d.circles.length, `${L}: the same regions as a table`);
	ok(d.regions.every((r) => r.length === 5 && /\(.+\)$/.test(r[0]) && /^(up|down)$/.test(r[1])),
		`${L}: the table gives region (city), state, failing step, last probe, latency`, JSON.stringify(d.regions));
	const decided = st !== 'pending';
	ok(decided ? d.bars.some((b) => b.cls !== 'bar nodata') : d.bars.every((b) => b.cls === 'bar nodata'),
		`${L}: ${decided ? 'the days with verdicts have bars' : 'no verdict: every bar is "no data"'}`, JSON.stringify(d.bars.map((b) => b.cls)));
	ok(d.bars.filter((b) => b.cls === 'bar nodata').every((b) => / no data$/.test(b.title)) && d.bars.slice(0, 20).every((b) => b.cls === 'bar nodata'),
		`${L}: the days before the history are shown as no data, not as up`);
	like(d.legend, decided ? /history starts on \d{4}-\d{2}-\d{2}/ : /No verdict has been recorded yet/, `${L}: the legend says where the history starts`);
	like(d.facts.join(' | '), decided ? /^\d+ ms p95 latency.* \| \d+[smhd] ago last probe \| \d{1,3}\.\d{2}% uptime, 30 days$/ : /^no data p95 .* \| \d+[smhd] ago last probe \| no data uptime, 30 days$/,
		`${L}: p95, the last probe, the uptime`);
	if (st === 'pending') like(d.banner, /Probes have arrived but no verdict has been decided yet/, `${L}: says no verdict is decided yet`);
	else is(d.banner, null, `${L}: no stale banner (the data is fresh)`);
	if (slug === E.S_REC) {
		is(d.history.length, 1, `${L}: one resolved incident in the history`);
		ok(d.history[0] && /UTC$/.test(d.history[0][0]) && /UTC$/.test(d.history[0][1]) && /^\d+ minutes?$/.test(d.history[0][2]) &&
			d.history[0][3] === 'the HTTP response' && d.history[0][4] === 'P1',
			`${L}: opened, resolved, duration, root layer, severity`, JSON.stringify(d.history));
	} else {
		like(d.text, /No resolved incident in the last 90 days\./, `${L}: no resolved incident`);
	}
}

// An hour without a verdict: the banner says how old the data is.
async function statusStale() {
	for (const dark of [false, true]) {
		const scheme = dark ? 'dark' : 'light';
		const p = await newPage({ width: 1280, dark });
		await p.goto(`${FAR}/status/${E.S_UP}`, { waitUntil: 'load' });
		const d = await readStatus(p);
		const L = `status ${E.S_UP}, mcp-serve an hour ahead, ${scheme}`;
		like(d.headline, /^Pending: no fresh verdict$/, `${L}: pending, no fresh verdict`);
		like(d.banner, /^This page's data is 61 minutes old/, `${L}: the banner: "this page's data is 61 minutes old"`);
		is(hue(d.hdot), 'grey', `${L}: a grey headline`);
		await shot(p, `status-stale-1280-${scheme}`);
		await p.close();
	}
	const p = await newPage({ width: 1280, bypassCSP: true });
	await p.goto(`${FAR}/status/${E.S_UP}`, { waitUntil: 'load' });
	await axeCheck(p, `status ${E.S_UP} stale, light`);
	await p.close();
}

// /status: every slug, its state in words, a link to its page.
async function statusIndex() {
	for (const [width, dark, js] of [[360, false, false], [1280, true, true]]) {
		const scheme = dark ? 'dark' : 'light';
		const L = `/status ${width} ${scheme} ${js ? 'JS' : 'no JS'}`;
		const p = await newPage({ width, dark, js });
		const resp = await p.goto(`${API}/status`, { waitUntil: 'load' });
		const rows = await p.evaluate(() => [...document.querySelectorAll('tbody tr')].map((r) => {
			const a = r.querySelector('a');
			return [a && a.textContent, a && a.href, r.cells[1].textContent.trim(), r.cells[1].className];
		}));
		const want = { ...WANT, [E.S_REC]: 'up', [E.S_MAINT]: 'down', [E.S_FAULT]: 'up' };
		is(rows.map((r) => r[0]).sort(), Object.keys(want).sort(), `${L}: every slug`);
		ok(rows.every((r) => r[1] === `${API}/status/${r[0]}` && r[2] === WORD[want[r[0]]] && r[3] === want[r[0]]),
			`${L}: each with its state in words and a link to its page`, JSON.stringify(rows));
		ok(/default-src 'none'/.test(resp.headers()['content-security-policy'] || '') && (await p.evaluate(() => document.scripts.length)) === 0,
			`${L}: CSP, no script`);
		const sw = await p.evaluate(() => document.documentElement.scrollWidth);
		ok(sw <= width, `${L}: no sideways scrolling (${sw} px)`, `${sw}`);
		await shot(p, `status-index-${width}-${scheme}-${js ? 'js' : 'nojs'}`);
		await p.close();
	}
}

// axe-core in the page.  The status page's CSP allows no script, axe's
// included: these runs alone are made with the CSP bypassed.
async function axeCheck(p, what) {
	await p.addScriptTag({ content: axe.source });
	const r = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	for (const v of r.violations)
		diag(`axe ${what}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
	is(bad.map((v) => v.id), [], `axe on ${what}: no serious or critical violation`);
}
async function statusAxe() {
	for (const slug of [...Object.keys(WANT), E.S_REC, E.S_FAULT])
		for (const dark of [false, true]) {
			const p = await newPage({ width: 1280, dark, bypassCSP: true });
			await p.goto(`${API}/status/${slug}`, { waitUntil: 'load' });
			await axeCheck(p, `status ${slug} (${WANT[slug] || 'up, recovered'}), ${dark ? 'dark' : 'light'} (CSP bypassed for axe)`);
			await p.close();
		}
	const p = await newPage({ width: 1280, bypassCSP: true });
	await p.goto(`${API}/status`, { waitUntil: 'load' });
	await axeCheck(p, '/status, light (CSP bypassed for axe)');
	await p.close();
}

// A region whose runner is blind (its canary failed, mcp-probe --canary):
// a banner above the headline names it, the server stays up.
async function statusFault() {
	const slug = E.S_FAULT;
	for (const [width, dark] of [[1280, false], [360, true]]) {
		const scheme = dark ? 'dark' : 'light';
		const L = `status ${slug} with a probe fault, ${width} ${scheme}`;
		const p = await newPage({ width, height: 800, dark, js: false });
		await p.goto(`${API}/status/${slug}`, { waitUntil: 'load' });
		const d = await readStatus(p);
		const b = await p.evaluate(() => {
			const e = document.querySelector('.banner.fault'), h = document.querySelector('.headline');
			return e && {
				text: e.innerText, role: e.getAttribute('role'), height: e.getBoundingClientRect().height,
				above: !!h && (e.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
				border: getComputedStyle(e).borderTopStyle,
			};
		});
		like(b && b.text, /^Probe fault in São Paulo \(sa-east-1\): its results are set aside; the server is judged by the other regions\.$/,
			`${L}: a banner names the blind region`);
		ok(b && b.above && b.height > 0 && b.role === 'note' && b.border === 'dashed', `${L}: visible, above the headline, a note`, JSON.stringify(b));
		like(d.headline, HEADLINE.up, `${L}: the headline stays up`);
		ok(d.regions.some((r) => /sa-east-1/.test(r[0]) && r[1] === 'probe fault'), `${L}: the region's row says probe fault`, JSON.stringify(d.regions));
		ok(d.sw <= width, `${L}: no sideways scrolling (${d.sw} px)`, `${d.sw}`);
		await shot(p, `status-probe-fault-${width}-${scheme}`);
		await p.close();
	}
}

// An outage inside a maintenance window (mcp-alert maint): the page says
// what the probes see and shows the notice; the badge says maintenance;
// the windows are kept as maintenance and out of the uptime.
async function statusMaint() {
	const slug = E.S_MAINT;
	for (const dark of [false, true]) {
		const scheme = dark ? 'dark' : 'light';
		const L = `status ${slug} in maintenance, ${scheme}`;
		const p = await newPage({ width: 1280, height: 800, dark, js: false });
		await p.goto(`${API}/status/${slug}`, { waitUntil: 'load' });
		const d = await readStatus(p);
		const m = await p.evaluate(() => {
			const s = document.querySelector('section.maint');
			return s && { h: s.querySelector('h2').textContent, text: s.innerText, time: s.querySelector('time').getAttribute('datetime'),
				border: getComputedStyle(s).borderLeftColor };
		});
		ok(m && m.h === 'Scheduled maintenance', `${L}: a maintenance notice`, JSON.stringify(m));
		like(m && m.text, /Until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: Database upgrade to PostgreSQL 17\./, `${L}: its reason and until when`);
		like(m && m.text, /not counted in the uptime/, `${L}: says the windows are not counted`);
		like(d.headline, HEADLINE.down, `${L}: the headline says what the probes see: down`);
		// Windows 0 to 3 up, 4 to 7 in maintenance (VERDICT_AT is window 7),
		// each in the bar of its UTC day: one bar, or two when midnight
		// falls between windows 3 and 4.
		const day = (k) => new Date((Number(E.VERDICT_AT) - 60 * (7 - k)) * 1000).toISOString().slice(0, 10);
		const bar = (k) => (d.bars.find((b) => b.title.startsWith(`${day(k)}: `)) || { title: `no bar of ${day(k)}` }).title;
		const want = day(3) === day(4)
			? /^\d{4}-\d{2}-\d{2}: 100\.00% \(\d+ of \d+ windows up; [1-9]\d* in maintenance, not counted\)$/
			: /^\d{4}-\d{2}-\d{2}: 100\.00% \([1-9]\d* of \d+ windows up\) \| \d{4}-\d{2}-\d{2}: maintenance \([1-9]\d* windows\)$/;
		like(day(3) === day(4) ? bar(4) : `${bar(3)} | ${bar(4)}`, want,
			`${L}: the maintenance's bar: the windows before up, those of the maintenance not counted`);
		ok(d.facts.some((f) => /^100\.00% uptime, 30 days$/.test(f)), `${L}: uptime 100 % (the outage was in maintenance)`, JSON.stringify(d.facts));
		is(d.incidents.length, 0, `${L}: no incident card (nobody was paged)`);
		await shot(p, `status-maintenance-1280-${scheme}`);
		await p.close();
	}
	const b = await (await fetch(`${API}/badge/${slug}.svg`)).text();
	like(b, /aria-label="mcp: maintenance"/, `badge ${slug}: maintenance`);
	const sh = await (await fetch(`${API}/api/shields/${slug}`)).json();
	is([sh.message, sh.color], ['maintenance', 'blue'], `shields ${slug}: maintenance, blue`);
	const em = await (await fetch(`${API}/api/embed-status/${slug}`)).json();
	is([Object.keys(em), em.state], [['state', 'uptime_30d', 'p95_ms', 'last_probe_ago', 'as_of'], 'down'],
		`embed ${slug}: the five fields, the verdict's state (a CI gate still sees down)`);
	const p = await newPage({ width: 1280, bypassCSP: true });
	await p.goto(`${API}/status/${slug}`, { waitUntil: 'load' });
	await axeCheck(p, `status ${slug} in maintenance (CSP bypassed for axe)`);
	await p.close();
}

// The latency chart: p95 per hour, all regions and each, drawn on the
// server; its facts as text beside it.
async function statusChart() {
	for (const dark of [false, true]) {
		const scheme = dark ? 'dark' : 'light';
		const L = `latency chart of ${E.S_UP}, ${scheme}`;
		const p = await newPage({ width: 1280, height: 800, dark, js: false });
		await p.goto(`${API}/status/${E.S_UP}`, { waitUntil: 'load' });
		const c = await p.evaluate(() => {
			const f = document.querySelector('figure.chart');
			if (!f) return null;
			const svg = f.querySelector('svg');
			const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
			const all = f.querySelector('path.s0, circle.s0');
			return {
				role: svg.getAttribute('role'),
				named: ids.map((i) => document.getElementById(i) && document.getElementById(i).textContent),
				series: [...f.querySelectorAll('svg path, svg circle')].map((e) => e.getAttribute('class')),
				stroke: all && getComputedStyle(all).stroke,
				keys: [...f.querySelectorAll('.keys li')].map((l) => l.textContent),
				rows: document.querySelectorAll('details table tbody tr').length,
				cells: [...document.querySelectorAll('details table tbody tr')].map((r) => [...r.cells].map((x) => x.textContent)),
				box: f.getBoundingClientRect().height,
			};
		});
		ok(c && c.role === 'img' && c.named.every((x) => x && x.length > 10), `${L}: an image with a title and a description`, JSON.stringify(c && c.named));
		is(c && c.keys.length, 4, `${L}: a legend in words: all regions and each of the three`);
		like(c && c.keys.join('|'), /^All regions\|.*\(ap-southeast-1\)\|.*\(eu-west-2\)\|.*\(us-east-1\)$/, `${L}: the regions by name`);
		ok(c && ['s0', 's1', 's2', 's3'].every((k) => c.series.includes(k)), `${L}: a line (or dot) for all regions and each region`, JSON.stringify(c && c.series));
		is(c && c.rows, 24, `${L}: the same as a table, an hour a row`);
		const last = c ? c.cells[23] : [];
		ok(last.length === 5 && last.slice(1).every((v) => /^\d+ ms$/.test(v)), `${L}: the last hour has a p95 for all regions and each`, JSON.stringify(last));
		ok(c && c.box > 100, `${L}: drawn (${c && c.box} px high)`);
		const el = await p.$('figure.chart');
		if (el) await el.screenshot({ path: path.join(SHOTS, `latency-chart-${scheme}.png`) });
		await p.close();
	}
}

const t = Date.now();
const step = async (name, f, ...a) => {
	const t1 = Date.now();
	let r;
	try {
		r = await f(...a);
	} catch (e) {
		ok(false, `${name}: ran to its end`, e.stack || String(e));
	}
	diag(`${name}: ${((Date.now() - t1) / 1000).toFixed(1)} s`);
	return r;
};
await step('failures', widgetFailures);
await step('matrix', widgetMatrix);
const single = await step('single', widgetSingle);
await step('twice', widgetTwice);
await step('hostile', widgetHostile);
await step('invite', widgetInvite);
if (single) await step('host css', widgetHostCss, single);
await step('status pages', statusPages);
await step('status stale', statusStale);
await step('status index', statusIndex);
await step('status axe', statusAxe);
await step('status maintenance', statusMaint);
await step('status probe fault', statusFault);
await step('status chart', statusChart);
diag(`browser cases: ${((Date.now() - t) / 1000).toFixed(1)} s`);
await browser.close();
