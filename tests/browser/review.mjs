// review.mjs - a server's review state and the findings in its text on its
// status page (issue 54), in Debian's headless Chromium (puppeteer-core),
// for tests/tools-review.t.  The page of SLUG (env) at BASE (env), at 1280
// px and at 360 px dark: it answers 200, its rendered text says the tools
// are changed and not reviewed since when and where, names the findings
// (count, worst, each rule with its severity and line) and the change that
// added RULE (env) as review with security, the badges in their colours;
// it runs no script, logs no error, is no wider than the screen.
// Screenshots in SHOTS/review-finding*.png.  Prints one line per check:
// "ok|not ok<TAB>name<TAB>detail".
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { launch, open, say } from './lib.mjs';

const E = process.env;
const browser = await launch();
for (const [width, dark] of [[1280, false], [360, true]]) {
	const name = `${width} px${dark ? ', dark' : ''}`;
	const errors = [];
	const [p, resp] = await open(browser, `${E.BASE}/status/${E.SLUG}`, width, dark, errors);
	say(resp.status() === 200, `${name}: /status/${E.SLUG} answers 200`, String(resp.status()));
	const got = await p.evaluate(() => {
		const box = document.querySelector('.banner.findings');
		const sec = document.querySelector('.banner.findings .cls.security');
		return {
			review: document.querySelector('p.review.unreviewed')?.innerText || '',
			findings: box?.innerText || '',
			security: sec?.textContent,
			colour: sec ? getComputedStyle(sec).color : '',
			plain: getComputedStyle(document.body).color,
			scripts: document.scripts.length,
			wide: document.documentElement.scrollWidth > window.innerWidth,
		};
	});
	say(/^Tools: changed, not reviewed, since .+ in .*(N\. Virginia|us-east-1).*review/.test(got.review),
		`${name}: the tools changed and not reviewed, since when and where`, got.review);
	say(/^Findings in the text served: 1, the worst high, in /.test(got.findings),
		`${name}: the findings counted, the worst said`, got.findings.split('\n')[0]);
	say(got.findings.includes(`${E.RULE} high: local files of credentials and keys named`),
		`${name}: the rule with its severity and its line`, got.findings);
	say(/Added by a change, .*: review security/.test(got.findings),
		`${name}: the change that added it, review with security`, got.findings);
	say(got.security === 'security' && got.colour !== got.plain, `${name}: the security badge, in its colour`,
		`${got.security} ${got.colour}`);
	say(got.scripts === 0, `${name}: no script in the page`, String(got.scripts));
	say(!got.wide, `${name}: the page is no wider than the screen`);
	say(errors.length === 0, `${name}: no error in the console`, errors.join('; '));
	await p.screenshot({ path: `${E.SHOTS}/review-finding${dark ? '-360-dark' : ''}.png`, fullPage: true });
	await p.close();
}
await browser.close();
