// gen-lists.mjs - a region's probe output, minute by minute, for a fleet
// whose servers serve tool lists (tests/ingest-lists.t,
// tests/bench/ingest-lists.sh): what mcp-probe --list-max prints, less
// the step records push --to skips (all but tools_list and a failed
// one), the tools_list step carrying the lists in JCS order (keys
// sorted, ASCII only), so that their SHA-256 are the result's hashes.
//
//	node gen-lists.mjs --dir D --t0 T --minutes M --honest N [--hostile H]
//	    [--region R] [--down SLUG:FROM:TO] [--first K] [--kib KIB] [--m0 M0]
//
// Writes D/MINUTE.jsonl (0 ... M - 1), its probes started at T + 60
// MINUTE + 1.  hl-NNNNN (N of them, from K) serve 24 tools of some 6 KB
// in all, the same every minute; hx-NNNNN (H of them) serve tools,
// resources and prompts of 63 KiB each (KIB), new every minute.  The server
// SLUG fails at its http step in the minutes FROM to TO.  M0 numbers the
// first minute for the hostile lists (0): a run of one minute at a time
// churns as one run of many.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import crypto from 'node:crypto';
import fs from 'node:fs';

const arg = (k, d) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1] : d);
const dir = arg('--dir');
const t0 = Number(arg('--t0'));
const minutes = Number(arg('--minutes', '60'));
const honest = Number(arg('--honest', '300'));
const hostile = Number(arg('--hostile', '0'));
const first = Number(arg('--first', '1'));
const kib = Number(arg('--kib', '63'));
const m0 = Number(arg('--m0', '0'));
const region = arg('--region', 'eu-west-2');
const [downSlug, downFrom, downTo] = (arg('--down', '::') || '::').split(':');
const steps = ['dns', 'connect', 'tls', 'http', 'auth', 'initialize', 'tools_list', 'call'];

const canon = (items) => {
    const text = JSON.stringify(items);
    return { text, hash: 'sha256:' + crypto.createHash('sha256').update(text).digest('hex') };
};

// Some 6 KB: 24 tools of about 250 bytes, sorted by name, keys sorted.
function honestList(s) {
    const tools = [];
    for (let i = 0; i < 24; i++)
        tools.push({
            description: `Tool ${i} of ${s}: reads the records asked for, returns them paged.`,
            inputSchema: { properties: { cursor: { type: 'string' }, query: { type: 'string' } },
                required: ['query'], type: 'object' },
            name: `tool_${String(i).padStart(2, '0')}`,
        });
    return canon(tools);
}

// KIB KiB of one kind, changed every minute (m).
function hostileList(kind, s, m) {
    const items = [];
    const pad = 'x'.repeat(1000);
    for (let i = 0; items.length * 1040 < kib * 1024; i++) {
        const n = `${kind}_${String(i).padStart(3, '0')}_${m}`;
        if (kind === 'resources') items.push({ description: pad, name: n, uri: `file:///${s}/${n}` });
        else items.push({ description: pad, name: n });
    }
    return canon(items);
}

const cache = new Map();
const name = (p, n) => `${p}-${String(n).padStart(5, '0')}`;
fs.mkdirSync(dir, { recursive: true });
for (let m = 0; m < minutes; m++) {
    const out = [];
    const probe = (slug, at, lists, down) => {
        const id = `${slug}-${m0 + m}`;
        const head = `{"v":1,"type":"step","probe_id":"${id}","slug":"${slug}","region":"${region}","url":"https://${slug}.example/mcp","probe_started_at":${at}`;
        let failed = 0;
        steps.forEach((st, i) => {
            let status = 'pass', detail = '{}', error = 'null';
            if (failed) { status = 'skip'; detail = '{"reason":"after_failure"}'; }
            else if (down && st === 'http') {
                status = 'fail'; failed = i + 1;
                error = '{"code":"http_5xx","message":"HTTP 503"}';
            } else if (st === 'tools_list') {
                detail = `{"tool_count":24,"tool_hash":"${lists.tools.hash}"` +
                    Object.entries(lists).map(([k, v]) => `,"${k}":${v.text}`).join('') + '}';
            }
            if (st === 'tools_list' || status === 'fail')
                out.push(`${head},"seq":${i + 1},"step":"${st}","status":"${status}","ms":5,"detail":${detail},"error":${error}}\n`);
        });
        const h = (k) => (failed || !lists[k] ? 'null' : `"${lists[k].hash}"`);
        out.push(`{"v":1,"type":"result","probe_id":"${id}","slug":"${slug}","region":"${region}","url":"https://${slug}.example/mcp","probe_started_at":${at},"probe_finished_at":${at + 0.2},"state":"${failed ? 'broken' : 'healthy'}","failed_step":${failed ? '"http"' : 'null'},"posture":"open","transport":"streamable-http","era":"legacy","protocol_version":"2025-11-25","http_status":${failed ? 503 : 200},"tool_count":${failed ? 0 : 24},"tool_hash":${h('tools')},"resource_hash":${h('resources')},"prompt_hash":${h('prompts')},"ms":200}\n`);
    };
    for (let s = first; s < first + honest; s++) {
        const slug = name('hl', s);
        if (!cache.has(slug)) cache.set(slug, honestList(slug));
        const down = slug === downSlug && m >= Number(downFrom) && m <= Number(downTo);
        probe(slug, t0 + 60 * m + 1 + (s % 40) / 10, { tools: cache.get(slug) }, down);
    }
    for (let s = 1; s <= hostile; s++) {
        const slug = name('hx', s);
        probe(slug, t0 + 60 * m + 2, {
            tools: hostileList('tools', slug, m0 + m),
            resources: hostileList('resources', slug, m0 + m),
            prompts: hostileList('prompts', slug, m0 + m),
        }, false);
    }
    fs.writeFileSync(`${dir}/${m}.jsonl`, out.join(''));
}
