// notices.mjs - the browser cases of tests/notices-browser.t: a reader on
// the status page, in one headless Chromium, with JavaScript off as with
// it on (the pages run none).  PHASE=page: the page with its posts, the
// subscription page, the form submitted; PHASE=confirm: the link of the
// confirmation message (LINK) followed, the button pressed; PHASE=unsub:
// the unsubscribe link of a notice (LINK) followed, the button pressed.
// Environment: PAGE (the FastCGI origin), SLUG, EMAIL, POST_OPEN,
// POST_PAST (ids), CHROMIUM, SHOTS.
//
// Output, one line a check, for notices-browser.t to number:
//   ok<TAB>NAME  |  not ok<TAB>NAME<TAB>DETAIL  |  #<TAB>DIAGNOSTIC
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import axe from 'axe-core';

const E = process.env;
const line = (...f) => console.log(f.map((s) => String(s).replace(/[\t\r\n]+/g, ' ')).join('\t'));
const ok = (c, name, detail = '') => (line(c ? 'ok' : 'not ok', name, c ? '' : detail), c);
const is = (got, want, name) =>
	ok(JSON.stringify(got) === JSON.stringify(want), name, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
const like = (got, re, name) => ok(re.test(String(got)), name, `got ${JSON.stringify(got)}, want a match of ${re}`);
const diag = (s) => line('#', s);

const browser = await puppeteer.launch({
	executablePath: E.CHROMIUM || '/usr/lib/chromium/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
	protocolTimeout: 60000,
});

async function newPage({ width = 1280, dark = false, js = false, bypassCSP = false } = {}) {
	const p = await browser.newPage();
	await p.setViewport({ width, height: 900 });
	await p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }]);
	await p.setJavaScriptEnabled(js);
	if (bypassCSP) await p.setBypassCSP(true);
	p.errors = [];
	p.console = [];
	p.on('pageerror', (e) => p.errors.push(String(e)));
	p.on('console', (m) => p.console.push(m.text()));
	return p;
}
const shot = async (p, name) => (await p.bringToFront(), p.screenshot({ path: path.join(E.SHOTS, `${name}.png`), fullPage: true }));

// axe-core needs a script: run with the CSP bypassed, on a page of its own.
async function axeCheck(url, what) {
	const p = await newPage({ js: true, bypassCSP: true });
	await p.goto(url, { waitUntil: 'load' });
	await p.addScriptTag({ content: axe.source });
	const r = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	for (const v of r.violations) diag(`axe ${what}: ${v.impact} ${v.id}: ${v.help}`);
	is(bad.map((v) => v.id), [], `axe on ${what}: no serious or critical violation`);
	await p.close();
}

// Press the form's button, as a reader does: the answer page and its status.
async function press(p, form) {
	const [res] = await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.click(`${form} button[type=submit]`)]);
	return res;
}

// What the page says, for the checks.
const read = (p) =>
	p.evaluate(() => ({
		h1: document.querySelector('h1') && document.querySelector('h1').textContent,
		text: document.body.innerText,
		scripts: document.querySelectorAll('script').length,
	}));

async function pagePhase() {
	const url = `${E.PAGE}/status/${E.SLUG}`;
	for (const [width, dark] of [[1280, false], [360, true]]) {
		const L = `/status/${E.SLUG} at ${width} px, ${dark ? 'dark' : 'light'}`;
		const p = await newPage({ width, dark });
		const res = await p.goto(url, { waitUntil: 'load' });
		is(res.status(), 200, `${L}: 200`);
		const d = await p.evaluate((open, past) => {
			const art = (id) => document.getElementById(`post-${id}`);
			const o = art(open), q = art(past);
			const all = [...document.querySelectorAll('main > *')];
			const idx = (e) => all.indexOf(e && e.closest('main > *'));
			return {
				openState: o && o.querySelector('.pstate').textContent,
				updates: o && [...o.querySelectorAll('.updates li .uhead b')].map((e) => e.textContent),
				bdi: o && o.querySelector('h3 bdi') !== null,
				pastState: q && q.querySelector('.pstate').textContent,
				order: [idx(document.querySelector('section.maint')), idx(o), idx(q),
					idx(document.querySelector('section.subscribe'))],
				maint: document.querySelector('section.maint') && document.querySelector('section.maint').innerText,
				form: !!document.querySelector('form[action="/subscribe"][method="post"] input[type=email][required]'),
				sw: document.documentElement.scrollWidth,
			};
		}, E.POST_OPEN, E.POST_PAST);
		is(d.openState, 'Identified', `${L}: the open post, its state`);
		is(d.updates, ['Identified', 'Investigating'], `${L}: its updates, newest first`);
		ok(d.bdi, `${L}: its title isolated (<bdi>)`);
		is(d.pastState, 'Resolved', `${L}: the resolved post in the history`);
		ok(d.order[0] >= 0 && d.order[0] < d.order[1] && d.order[1] < d.order[2] && d.order[2] < d.order[3],
			`${L}: maintenance to come, the open post, then the history, the form`, JSON.stringify(d.order));
		like(d.maint, /Maintenance scheduled/, `${L}: the window to come, said ahead of time`);
		ok(d.form, `${L}: the subscription form, no script needed`);
		ok(d.sw <= width, `${L}: no sideways scrolling (${d.sw} px)`, `${d.sw}`);
		await shot(p, `status-posts-${width}-${dark ? 'dark' : 'light'}`);
		if (width === 1280) {
			await p.type('#sub-email', E.EMAIL);
			const r = await press(p, 'form[action="/subscribe"]');
			const a = await read(p);
			is([r.status(), a.h1], [200, 'Check your inbox'], `${L}: the form submitted with JavaScript off: Check your inbox`);
			is(a.scripts, 0, 'the answer runs no script');
			await shot(p, 'subscribe-sent');
		}
		is(p.errors.concat(p.console.filter((m) => /Refused|Content Security Policy/.test(m))), [], `${L}: no error, no CSP refusal`);
		await p.close();
	}
	const p = await newPage();
	const res = await p.goto(`${E.PAGE}/subscribe?slug=${E.SLUG}`, { waitUntil: 'load' });
	const d = await p.evaluate(() => ({
		checked: [...document.querySelectorAll('input[name=slug]:checked')].map((e) => e.value),
		all: document.querySelector('input[name=all]').checked,
	}));
	is([res.status(), d.checked, d.all], [200, [E.SLUG], false], '/subscribe?slug=: the server chosen, every server offered');
	await shot(p, 'subscribe-page');
	await p.close();
	await axeCheck(url, `/status/${E.SLUG} with posts and the form`);
	await axeCheck(`${E.PAGE}/subscribe?slug=${E.SLUG}`, '/subscribe');
}

async function confirmPhase() {
	const p = await newPage();
	let res = await p.goto(E.LINK, { waitUntil: 'load' });
	let a = await read(p);
	is([res.status(), a.h1], [200, 'Confirm your subscription'], 'the link of the message: a page with a button');
	is(res.headers()['cache-control'], 'no-store', 'never cached (it holds the token)');
	await shot(p, 'subscribe-confirm');
	res = await press(p, 'form[action="/subscribe/confirm"]');
	a = await read(p);
	is([res.status(), a.h1], [200, 'You are subscribed'], 'the button pressed: subscribed');
	like(a.text, new RegExp(`notices of ${E.SLUG}`), 'to the server chosen');
	await shot(p, 'subscribe-confirmed');
	await p.goBack({ waitUntil: 'load' });
	res = await press(p, 'form[action="/subscribe/confirm"]');
	is(res.status(), 410, 'the button pressed again (back, and again): 410, the link is used');
	await p.close();
	await axeCheck(E.LINK, 'the confirmation page');
}

async function unsubPhase() {
	const p = await newPage();
	let res = await p.goto(E.LINK, { waitUntil: 'load' });
	is([res.status(), (await read(p)).h1], [200, 'Unsubscribe'], 'the unsubscribe link: a page with a button');
	await shot(p, 'unsubscribe-page');
	res = await press(p, 'form[action^="/unsubscribe"]');
	is([res.status(), (await read(p)).h1], [200, 'You are unsubscribed'], 'the button pressed: unsubscribed');
	await p.close();
}

try {
	if (E.PHASE === 'page') await pagePhase();
	else if (E.PHASE === 'confirm') await confirmPhase();
	else await unsubPhase();
} catch (e) {
	ok(false, `phase ${E.PHASE}: ran to its end`, e.stack || String(e));
}
await browser.close();
