// lib.mjs - what the browser scripts share: say() prints one check as
// "ok|not ok<TAB>name<TAB>detail", launch() starts Debian's headless
// Chromium (CHROMIUM, env) through puppeteer-core.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import puppeteer from 'puppeteer-core';

export const say = (ok, name, detail = '') =>
	console.log(`${ok ? 'ok' : 'not ok'}\t${name}\t${String(detail).replace(/[\t\r\n]+/g, ' ')}`);

export const launch = () => puppeteer.launch({
	executablePath: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
	protocolTimeout: 60000,
});

// open(browser, url, width, dark, errors): a new page at width px, light
// or dark, its script errors, console errors (but a missing favicon) and
// dialogs pushed to errors; [page, response].
export const open = async (browser, url, width, dark, errors) => {
	const p = await browser.newPage();
	await p.setViewport({ width, height: 900 });
	await p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: dark ? 'dark' : 'light' }]);
	p.on('pageerror', (e) => errors.push(String(e)));
	p.on('console', (m) => m.type() === 'error' && !/\/favicon\.ico$/.test(m.location()?.url || '') &&
		errors.push(`${m.text()} (${m.location()?.url})`));
	p.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
	return [p, await p.goto(url, { waitUntil: 'load' })];
};
