// report.mjs - the monthly report page and the status page's 90 days in
// Debian's headless Chromium (puppeteer-core), for tests/report.t.
// /report/everything?month=2025-10 at BASE (env) at 1280 and 360 px, light
// and dark: 200, the heading, the uptime and MTTR the CLI gives, the three
// incidents, the rule, no script, no error in the console (a CSP
// violation is one), no wider than the screen; printed (media print, and
// a PDF of A4): the links hidden, the bars' colours kept.  /status/
// everything?days=90 at both widths: 90 bars, none wider than the screen.
// axe-core on both (the CSP bypassed for it alone): no serious or
// critical violation.  Screenshots in SHOTS/report-*.png and
// SHOTS/status-90-*.png (the bars alone in status-90-bars-*.png), the PDF in SHOTS/report.pdf.  Prints one line per
// check: "ok|not ok<TAB>name<TAB>detail".
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import fs from 'node:fs';
import axe from 'axe-core';
import puppeteer from 'puppeteer-core';

const E = process.env;
const say = (ok, name, detail = '') => console.log(`${ok ? 'ok' : 'not ok'}\t${name}\t${detail}`);

const browser = await puppeteer.launch({
	executablePath: E.CHROMIUM || '/usr/lib/chromium/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
	protocolTimeout: 60000,
});

async function page(width, dark, errors, bypassCSP = false) {
	const p = await browser.newPage();
	await p.setViewport({ width, height: 900 });
	await p.setBypassCSP(bypassCSP);
	await p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }]);
	p.on('pageerror', (e) => errors.push(String(e)));
	// The browser's own ask for /favicon.ico (none is served) is not the page's.
	p.on('console', (m) => m.type() === 'error' && !/\/favicon\.ico$/.test(m.location()?.url || '') &&
		errors.push(`${m.text()} (${m.location()?.url})`));
	return p;
}

async function axeCheck(url, what) {
	const p = await page(1280, false, [], true);
	await p.goto(url, { waitUntil: 'load' });
	await p.addScriptTag({ content: axe.source });
	const r = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	say(bad.length === 0, `axe on ${what}: no serious or critical violation`,
		bad.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; ')}`).join(' | '));
	await p.close();
}

const REPORT = `${E.BASE}/report/everything?month=2025-10`;
for (const [width, dark] of [[1280, false], [360, false], [1280, true]]) {
	const name = `report, ${width} px${dark ? ', dark' : ''}`;
	const errors = [];
	const p = await page(width, dark, errors);
	const resp = await p.goto(REPORT, { waitUntil: 'load' });
	say(resp.status() === 200, `${name}: 200`, String(resp.status()));
	const got = await p.evaluate(() => ({
		h1: document.querySelector('h1')?.textContent,
		scripts: document.scripts.length,
		wide: document.documentElement.scrollWidth > window.innerWidth,
		text: document.body.innerText,
		incidents: [...document.querySelectorAll('table')].at(-1)?.querySelectorAll('tbody tr').length,
		rule: document.querySelectorAll('ul.rule li').length,
		bars: document.querySelectorAll('ol.bars > li').length,
		styled: getComputedStyle(document.querySelector('.facts')).display,
	}));
	say(got.h1 === 'everything', `${name}: the heading`, got.h1);
	say(/99\.931%\s*uptime/.test(got.text), `${name}: the uptime the CLI gives`);
	say(/11 minutes\s*mean time to recover/.test(got.text), `${name}: the MTTR`);
	say(got.incidents === 3, `${name}: three incidents`, String(got.incidents));
	say(got.rule === 10 && /Uptime: the green and amber minutes/.test(got.text), `${name}: the rule, 10 sentences`, String(got.rule));
	say(got.bars === 31, `${name}: 31 daily bars`, String(got.bars));
	say(got.styled === 'grid', `${name}: the stylesheet applies`, got.styled);
	say(got.scripts === 0, `${name}: no script`, String(got.scripts));
	say(!got.wide, `${name}: no wider than the screen`);
	say(errors.length === 0, `${name}: no error in the console`, errors.join('; '));
	await p.screenshot({ path: `${E.SHOTS}/report-${width}${dark ? '-dark' : ''}.png`, fullPage: true });
	await p.close();
}

// Printed: the media print rules, and a PDF as the browser's "Save as PDF" makes it.
{
	const errors = [];
	const p = await page(1280, false, errors);
	await p.goto(REPORT, { waitUntil: 'load' });
	await p.emulateMediaType('print');
	const got = await p.evaluate(() => ({
		nav: getComputedStyle(document.querySelector('.nav')).display,
		adjust: getComputedStyle(document.querySelector('.bar')).printColorAdjust,
	}));
	say(got.nav === 'none', 'printed: the links to elsewhere hidden', got.nav);
	say(got.adjust === 'exact', 'printed: the bars keep their colours', got.adjust);
	await p.pdf({ path: `${E.SHOTS}/report.pdf`, format: 'A4', printBackground: true });
	const pdf = fs.readFileSync(`${E.SHOTS}/report.pdf`);
	const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
	say(pdf.subarray(0, 5).toString() === '%PDF-' && pages >= 1 && pages <= 3,
		'printed to PDF: A4, one to three pages', `${pdf.length} bytes, ${pages} pages`);
	await p.screenshot({ path: `${E.SHOTS}/report-print.png`, fullPage: true });
	say(errors.length === 0, 'printed: no error in the console', errors.join('; '));
	await p.close();
}

for (const width of [1280, 360]) {
	const name = `status, 90 days, ${width} px`;
	const errors = [];
	const p = await page(width, false, errors);
	const resp = await p.goto(`${E.BASE}/status/everything?days=90`, { waitUntil: 'load' });
	say(resp.status() === 200, `${name}: 200`, String(resp.status()));
	const got = await p.evaluate(() => ({
		bars: [...document.querySelectorAll('ol.bars > li')].map((li) => li.getBoundingClientRect().width),
		data: document.querySelectorAll('ol.bars > li:not(.nodata)').length,
		wide: document.documentElement.scrollWidth > window.innerWidth,
		heading: [...document.querySelectorAll('h2')].map((h) => h.textContent).find((t) => /^Uptime/.test(t)),
	}));
	say(got.bars.length === 90 && got.bars.every((w) => w > 0), `${name}: 90 bars, each drawn`,
		`${got.bars.length}, narrowest ${Math.min(...got.bars).toFixed(2)} px`);
	say(got.data === 32, `${name}: Sep 30 and October have data`, String(got.data));
	say(got.heading === 'Uptime, last 90 days', `${name}: the heading`, got.heading);
	say(!got.wide, `${name}: no wider than the screen`);
	say(errors.length === 0, `${name}: no error in the console`, errors.join('; '));
	await p.screenshot({ path: `${E.SHOTS}/status-90-${width}.png`, fullPage: width === 360 });
	// The bars alone, heading to legend, for the documentation.
	const clip = await p.evaluate(() => {
		const h = [...document.querySelectorAll('h2')].find((e) => /^Uptime/.test(e.textContent));
		const a = h.getBoundingClientRect(), z = document.querySelector('p.legend').getBoundingClientRect();
		return { x: a.x - 8, y: a.y + window.scrollY - 8, width: a.width + 16, height: z.bottom - a.top + 16 };
	});
	await p.screenshot({ path: `${E.SHOTS}/status-90-bars-${width}.png`, clip });
	await p.close();
}
await axeCheck(REPORT, 'the report page');
await axeCheck(`${E.BASE}/status/everything?days=90`, 'the status page of 90 days');
await browser.close();
