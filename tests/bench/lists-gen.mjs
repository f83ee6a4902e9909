// lists-gen.mjs SLUGS T0 WINDOWS CHANGED CONTENT - a fleet's probes with
// their tool lists (tests/bench/lists.sh): for each window, slug and of the
// five regions, a tools_list step and its result, as mcp-probe prints them
// with --list-max (CONTENT 1) or without the lists (CONTENT 0).  Each
// slug serves its own list of 10 tools (some 3 KB); in the last window the
// first CHANGED slugs serve another (a tool renamed, one added), so that
// the verdict has that many slugs with drift.  The list is printed in JCS
// order (keys sorted, ASCII only), so its SHA-256 is the tool hash.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import crypto from 'node:crypto';

const [slugs, t0, windows, changed, content] = process.argv.slice(2).map(Number);
const regions = ['us-east-1', 'us-west-2', 'eu-west-2', 'ap-southeast-1', 'sa-east-1'];

function list(s, v2) {
    const tools = [];
    for (let i = 0; i < 10; i++) {
        const name = v2 && i === 0 ? `fetch_${s}` : `tool_${i}_${s}`;
        tools.push({
            description: `Tool ${i} of server ${s}: reads the records it is asked for and returns them as text, paged.`,
            inputSchema: { properties: { cursor: { type: 'string' }, limit: { maximum: 100, type: 'integer' },
                query: { description: 'What to look for', type: 'string' } }, required: ['query'], type: 'object' },
            name,
        });
    }
    if (v2) tools.push({ description: 'Added', inputSchema: { type: 'object' }, name: 'zz_added' });
    tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name));
    const text = JSON.stringify(tools);
    return { text, hash: 'sha256:' + crypto.createHash('sha256').update(text).digest('hex') };
}

const out = [];
const flush = () => { process.stdout.write(out.join('')); out.length = 0; };
const cache = new Map();
for (let w = 0; w < windows; w++) {
    const t = t0 + 60 * w;
    for (let s = 1; s <= slugs; s++) {
        const v2 = w === windows - 1 && s <= changed;
        const key = `${s}:${v2}`;
        if (!cache.has(key)) cache.set(key, list(s, v2));
        const l = cache.get(key);
        const slug = `bench-${String(s).padStart(5, '0')}`;
        for (let r = 0; r < 5; r++) {
            const at = t + 1 + r * 0.5;
            const id = `${slug}-${r}-${w}`;
            const head = `{"v":1,"type":"step","probe_id":"${id}","slug":"${slug}","region":"${regions[r]}","probe_started_at":${at},"seq":3,"step":"tools_list","status":"pass","ms":40,"detail":{"tool_count":10,"tool_hash":"${l.hash}"`;
            out.push(head + (content ? `,"tools":${l.text}` : '') + '},"error":null}\n');
            out.push(`{"v":1,"type":"result","probe_id":"${id}","slug":"${slug}","region":"${regions[r]}","url":"https://s${s}.bench.example/mcp","probe_started_at":${at},"probe_finished_at":${at + 0.2},"state":"healthy","failed_step":null,"posture":"open","transport":"streamable-http","era":"modern","protocol_version":"2025-11-25","http_status":200,"tool_count":10,"tool_hash":"${l.hash}","ms":200}\n`);
        }
        if (out.length > 5000) flush();
    }
}
flush();
