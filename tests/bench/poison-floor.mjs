// poison-floor.mjs - the floor of tests/bench/poison-floor.sh: what
// lowering whole rules to low can do for the text rules' three goals.
// Node built-ins only.
//
//   node poison-floor.mjs ITEMS.jsonl LISTS
//
// Each line of ITEMS is {"k": "honest" | "h2" | "pub", "v": [rules]}: a
// held-out real item, a poisoned item of heldout2 or a published proof of
// concept, and the rules that find it above low.  An item stays above low
// while one of its rules is not lowered; LISTS is how many real lists
// the honest items come from.  Printed: the counts, the figures now; every
// set of rules lowered tried (2^rules, items of one set of rules counted
// together), the fewest honest items above low among the sets that keep
// both goals of finding (heldout2 at least 70 %, the published at least
// 95 %) and the most of heldout2 found among those that bring the honest
// items to at most 1 %; and the path of lowering one rule at a time, each
// the rule that saves the most honest items for the fewest poisoned lost.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import fs from 'node:fs';

const items = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean)
	.map((l) => JSON.parse(l));
const rules = [...new Set(items.flatMap((x) => x.v))].sort();
if (rules.length > 24) throw new Error(`${rules.length} rules: too many to try every set`);
const bit = new Map(rules.map((r, i) => [r, 1 << i]));
const total = { honest: 0, h2: 0, pub: 0 };
const masks = { honest: new Map(), h2: new Map(), pub: new Map() };
for (const x of items) {
	total[x.k]++;
	const m = x.v.reduce((a, r) => a | bit.get(r), 0);
	if (m) masks[x.k].set(m, (masks[x.k].get(m) || 0) + 1);
}
const alive = (k, d) => {
	let n = 0;
	for (const [m, c] of masks[k]) if (m & ~d) n += c;
	return n;
};
const at = (d) => ({ d, h: alive('honest', d), b: alive('h2', d), p: alive('pub', d) });
const pct = (a, b) => `${Math.round((a * 1000) / b) / 10} %`;
const line = (s) => `honest ${s.h} (${pct(s.h, total.honest)}), heldout2 ${s.b} of ${total.h2} ` +
	`(${pct(s.b, total.h2)}), published ${s.p} of ${total.pub} (${pct(s.p, total.pub)})`;
const names = (d) => rules.filter((r, i) => d & (1 << i)).map((r) => r.replace('MCPU-', ''))
	.join(' ') || 'none';
const finds = (s) => s.b * 100 >= 70 * total.h2 && s.p * 100 >= 95 * total.pub;
const quiet = (s) => s.h * 100 <= total.honest;

console.log(`held out: ${total.honest} honest items of ${process.argv[3]} real lists, ` +
	`${total.h2} poisoned items of heldout2, ${total.pub} published; an item found or flagged ` +
	'above low (goals: honest at most 1 %, heldout2 at least 70 %, published at least 95 %)');
console.log(`  now: ${line(at(0))}`);
let fewest = null, most = null;
for (let d = 0; d < 1 << rules.length; d++) {
	const s = at(d);
	if (finds(s) && (!fewest || s.h < fewest.h)) fewest = s;
	if (quiet(s) && (!most || s.b > most.b || (s.b === most.b && s.p > most.p))) most = s;
}
console.log(`  every set of the ${rules.length} rules lowered, ${2 ** rules.length} sets:`);
console.log(fewest ?
	`    keeping both goals of finding, the fewest honest: ${line(fewest)}; lowered: ${names(fewest.d)}` :
	'    no set keeps both goals of finding');
console.log(most ?
	`    honest at most 1 %, the most of heldout2: ${line(most)}; lowered: ${names(most.d)}` :
	'    no set brings the honest to at most 1 %');
console.log(`    all three goals: ${fewest && quiet(fewest) ? 'met by a set' : 'met by none'}`);
console.log('  one rule lowered at a time:');
for (let d = 0, s = at(0); !quiet(s);) {
	let best = null, k = -1;
	for (let i = 0; i < rules.length; i++) {
		if (d & (1 << i)) continue;
		const t = at(d | (1 << i));
		const q = (s.h - t.h) / (s.b + s.p - t.b - t.p + 0.5);
		if (t.h < s.h && q > k) best = t, k = q;
	}
	if (!best) break;
	console.log(`    lower ${names(best.d & ~d)}: ${line(best)}`);
	d = best.d, s = best;
}
