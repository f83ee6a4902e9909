// tools.mjs - the status page's "Tool changes" (issue 46) in Debian's headless
// Chromium (puppeteer-core), for tests/serve-tools.t.  The page of SLUG (env)
// at BASE (env) at 1280 and 360 px, light and dark: it answers 200, shows the
// section with the seeds' rename in words and its class badge (coloured by
// the stylesheet), the regions that disagree, runs no script, logs no error
// (a CSP violation is one), is no wider than the screen; and the page of
// EVIL (env), whose tool names are hostile, shows them as text.  Screenshots
// in SHOTS/tools-*.png.  Prints one line per check: "ok|not ok<TAB>name<TAB>detail".
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { launch, open as openPage, say } from './lib.mjs';

const E = process.env;
const browser = await launch();
const open = (slug, width, dark, errors) => openPage(browser, `${E.BASE}/status/${slug}`, width, dark, errors);
for (const [width, dark] of [[1280, false], [360, false], [1280, true]]) {
	const name = `${width} px${dark ? ', dark' : ''}`;
	const errors = [];
	const [p, resp] = await open(E.SLUG, width, dark, errors);
	say(resp.status() === 200, `${name}: /status/${E.SLUG} answers 200`, String(resp.status()));
	const got = await p.evaluate(() => {
		const h = [...document.querySelectorAll('h2')].find((e) => e.textContent === 'Tool changes');
		const badge = document.querySelector('table.changes .cls.breaking');
		return {
			section: !!h,
			text: document.body.innerText,
			badge: badge?.textContent,
			colour: badge ? getComputedStyle(badge).color : '',
			plain: document.body ? getComputedStyle(document.body).color : '',
			scripts: document.scripts.length,
			wide: document.documentElement.scrollWidth > window.innerWidth,
		};
	});
	say(got.section, `${name}: the section "Tool changes"`);
	say(got.text.includes('renamed get_data to fetch_data (inferred: same schema): breaking for agents that call get_data'),
		`${name}: the rename in words`);
	say(got.badge === 'breaking' && got.colour !== got.plain, `${name}: a breaking badge, in its colour`, `${got.badge} ${got.colour}`);
	say(/Regions disagree: London \(eu-west-2\) serves another tool list than the other regions/.test(got.text),
		`${name}: the region that serves the old list`, got.text.match(/Regions disagree[^\n]*/)?.[0]);
	say(got.scripts === 0, `${name}: no script in the page`, String(got.scripts));
	say(!got.wide, `${name}: the page is no wider than the screen`);
	say(errors.length === 0, `${name}: no error in the console`, errors.join('; '));
	const sec = await p.$('table.changes');
	await p.screenshot({ path: `${E.SHOTS}/tools-${width}${dark ? '-dark' : ''}.png`, fullPage: true });
	if (sec && width === 1280 && !dark) await sec.screenshot({ path: `${E.SHOTS}/tools-changes.png` });
	await p.close();
}
{
	const errors = [];
	const [p, resp] = await open(E.EVIL, 1280, false, errors);
	const got = await p.evaluate(() => ({
		text: document.body.innerText,
		scripts: document.scripts.length,
		wide: document.documentElement.scrollWidth > window.innerWidth,
	}));
	say(resp.status() === 200, `hostile names: /status/${E.EVIL} answers 200`, String(resp.status()));
	say(got.text.includes('<script>alert(1)</script>'), 'hostile names: a name with markup shown as text');
	say(got.scripts === 0 && errors.length === 0, 'hostile names: no script ran, no error', errors.join('; '));
	say(!got.wide, 'hostile names: a long name cut, the page no wider than the screen');
	await p.screenshot({ path: `${E.SHOTS}/tools-hostile.png`, fullPage: true });
	await p.close();
}
await browser.close();
