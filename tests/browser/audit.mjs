// audit.mjs - /audit in Debian's headless Chromium (puppeteer-core), for tests/serve-audit.t
// The page of the saved registry audit at BASE (env) at 1280 and 360 px,
// light and dark: it answers 200, shows its heading, the buckets and the
// regionally degraded server with its region, runs no script, logs no
// error (a CSP violation is one), makes the page itself no wider than the
// screen (the tables scroll in their box), shows a hostile registry
// name as text, says servers and remotes, the censuses' buckets and the
// readiness.  A screenshot of each in SHOTS/audit-*.png.  Prints one
// line per check: "ok|not ok<TAB>name<TAB>detail".
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { launch, open, say } from './lib.mjs';

const E = process.env;
const browser = await launch();
for (const [width, dark] of [[1280, false], [360, false], [1280, true]]) {
	const name = `${width} px${dark ? ', dark' : ''}`;
	const errors = [];
	const [p, resp] = await open(browser, `${E.BASE}/audit`, width, dark, errors);
	say(resp.status() === 200, `${name}: /audit answers 200`, String(resp.status()));
	const got = await p.evaluate(() => ({
		h1: document.querySelector('h1')?.textContent,
		scripts: document.scripts.length,
		wide: document.documentElement.scrollWidth > window.innerWidth,
		text: document.body.innerText,
		styled: getComputedStyle(document.querySelector('table')).borderCollapse,
	}));
	say(got.h1 === 'Registry audit', `${name}: the heading`, got.h1);
	say(/regionally-degraded\s+1\s+/.test(got.text), `${name}: the buckets with counts`);
	say(/ap-southeast-1 \(100\.00%\)/.test(got.text), `${name}: the degraded remote's region and share`);
	say(/4 servers with 5 remotes/.test(got.text), `${name}: the servers and the remotes`);
	say(got.text.includes('Remotes apart from their server'), `${name}: the remotes apart from their server`);
	say(got.text.includes('As the public censuses count') && got.text.includes("Readiness for 2026's clients"),
		`${name}: the censuses' buckets and the readiness`);
	say(got.text.includes('<script>alert(1)</script>'), `${name}: a hostile registry name shown as text`);
	say(got.scripts === 0, `${name}: no script in the page`, String(got.scripts));
	say(got.styled === 'collapse', `${name}: the stylesheet applies`, got.styled);
	say(!got.wide, `${name}: the page is no wider than the screen`);
	say(errors.length === 0, `${name}: no error in the console`, errors.join('; '));
	await p.screenshot({ path: `${E.SHOTS}/audit-${width}${dark ? '-dark' : ''}.png`, fullPage: true });
	await p.close();
}
await browser.close();
