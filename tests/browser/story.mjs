// story.mjs - the browser cases of tests/tools-story.t: the status pages of
// the story's servers in one headless Chromium, JavaScript on and the CSP
// bypassed, so that any server text that reached the page unescaped would
// run: weather (its tools' change history: the rename, a required property,
// a description, an annotation) and nasty (tool names and descriptions
// made of <script>, onerror= attributes, quotes, newlines, ANSI escapes,
// U+2028 and a 10 KiB name; every script it plants sets window.__pwned).
// PHASE=outage: weather at 14:46 only, eu-west-2 still serving get_data
// (the request carries X-Test-Env: far, the clock of that minute).
// Environment: PAGE (the FastCGI origin), CHROMIUM, SHOTS, PHASE.
//
// Output, one line a check, for tools-story.t to number:
//   ok<TAB>NAME  |  not ok<TAB>NAME<TAB>DETAIL  |  #<TAB>DIAGNOSTIC
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const E = process.env;
const line = (...f) => console.log(f.map((s) => String(s).replace(/[\t\r\n]+/g, ' ')).join('\t'));
const ok = (c, name, detail = '') => (line(c ? 'ok' : 'not ok', name, c ? '' : detail), c);
const is = (got, want, name) =>
	ok(JSON.stringify(got) === JSON.stringify(want), name, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
const like = (got, re, name) => ok(re.test(String(got)), name, `got ${JSON.stringify(String(got).slice(0, 400))}, want a match of ${re}`);

const browser = await puppeteer.launch({
	executablePath: E.CHROMIUM || '/usr/lib/chromium/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
	protocolTimeout: 60000,
});

// open(slug, width): the page of slug, its dialogs and errors recorded.
async function open(slug, width) {
	const p = await browser.newPage();
	await p.setViewport({ width, height: 900 });
	await p.setBypassCSP(true);
	if (E.PHASE === 'outage') await p.setExtraHTTPHeaders({ 'X-Test-Env': 'far' });
	p.dialogs = [];
	p.errors = [];
	p.on('dialog', (d) => (p.dialogs.push(d.message()), d.dismiss()));
	p.on('pageerror', (e) => p.errors.push(String(e)));
	const res = await p.goto(`${E.PAGE}/status/${slug}`, { waitUntil: 'load' });
	return [p, res];
}

// What a page holds that a server could have planted.
const planted = (p) =>
	p.evaluate(() => {
		const on = [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name)));
		return {
			pwned: window.__pwned === undefined ? null : window.__pwned,
			scripts: document.scripts.length,
			frames: document.querySelectorAll('iframe, frame, object, embed').length,
			imgs: [...document.querySelectorAll('img')].filter((i) => /(^|\/)x$/.test(i.getAttribute('src') || '')).length,
			handlers: on.map((e) => e.tagName.toLowerCase()),
			title: document.title,
			text: document.body.innerText,
			width: document.documentElement.scrollWidth,
		};
	});

// The operator's view in the worst minute: who serves what, in words.
async function outage() {
	for (const width of [1280, 360]) {
		const [p, res] = await open('weather', width);
		const L = `14:46, /status/weather at ${width} px`;
		is(res.status(), 200, `${L}: 200`);
		const d = await planted(p);
		like(d.text, /Degraded/, `${L}: degraded`);
		like(d.text, /eu-west-2[^\n]*still serves the tool list the other regions changed/,
			`${L}: says eu-west-2 still serves the tool list the other regions changed`);
		like(d.text, /renamed get_data to fetch_data/, `${L}: the rename in words`);
		like(d.text, /breaking/, `${L}: breaking`);
		like(d.text, /Since\s+\S+ 14:02 UTC \(45 minutes\)/, `${L}: the open incident since 14:02`);
		ok(d.width <= width + 1, `${L}: nothing wider than the screen`, `${d.width} px`);
		await p.screenshot({ path: path.join(E.SHOTS, `status-weather-outage-${width}.png`), fullPage: true });
		await p.close();
	}
}
if (E.PHASE === 'outage') {
	await outage();
	await browser.close();
	process.exit(0);
}

for (const width of [1280, 360]) {
	const [p, res] = await open('weather', width);
	const L = `/status/weather at ${width} px`;
	is(res.status(), 200, `${L}: 200`);
	const d = await planted(p);
	like(d.text, /get_data[\s\S]*fetch_data|fetch_data[\s\S]*get_data/, `${L}: the change history shows the rename`);
	like(d.text, /breaking/i, `${L}: says it is breaking`);
	like(d.text, /units/, `${L}: and the required property of 14:50`);
	like(d.text, /alerts/, `${L}: and the description changed on alerts`);
	like(d.text, /destructiveHint/, `${L}: and the annotation flipped on delete_file`);
	ok(d.width <= width + 1, `${L}: nothing wider than the screen`, `${d.width} px`);
	await p.screenshot({ path: path.join(E.SHOTS, `status-weather-${width}.png`), fullPage: true });
	await p.close();
}

for (const width of [1280, 360]) {
	const [p, res] = await open('nasty', width);
	const L = `/status/nasty at ${width} px`;
	is(res.status(), 200, `${L}: 200`);
	const d = await planted(p);
	is(d.pwned, null, `${L}: no script of the server ran`);
	is([d.scripts, d.frames, d.imgs, d.handlers], [0, 0, 0, []], `${L}: no script, frame, planted image or event handler`);
	is(p.dialogs, [], `${L}: no dialog`);
	ok(!/\u001b/.test(d.text), `${L}: no escape character shown`);
	like(d.text, /<script>window\.__pwned/, `${L}: the hostile name shown as text`);
	ok(!/A{10240}/.test(d.text), `${L}: the 10 KiB name cut`);
	ok(d.width <= width + 1, `${L}: nothing wider than the screen`, `${d.width} px`);
	await p.screenshot({ path: path.join(E.SHOTS, `status-nasty-${width}.png`), fullPage: true });
	await p.close();
}

await browser.close();
