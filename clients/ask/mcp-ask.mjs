#!/usr/bin/env node
// mcp-ask.mjs - what is down, since when, why, and what changed in its
// tools: asked of mcp-serve's /mcp with nothing but MCP (the official SDK
// client, @modelcontextprotocol/client), answered as plain text an operator
// pastes in a chat.  See README.md beside it.
//
//   node mcp-ask.mjs [-e auto|modern|legacy] [-n MAX] [-s SLUG] [-t TOKEN_FILE] [-w HOURS] URL
//
// Exit: 0 answered (whatever the fleet's state), 1 the endpoint did not
// answer as mcp-serve does, 2 usage.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { readFileSync } from 'node:fs';

const USAGE = 'usage: mcp-ask.mjs [-e auto|modern|legacy] [-n MAX] [-s SLUG] [-t TOKEN_FILE] [-w HOURS] URL';
const ERAS = { auto: 'auto', modern: { pin: '2026-07-28' }, legacy: 'legacy' };
const CONCURRENCY = 8;
// list_servers' page: 1,000 (its most), or MCP_ASK_PAGE (the tests page by 1).
const PAGE = Math.min(1000, Math.max(1, Number(process.env.MCP_ASK_PAGE) || 1000));

function usage(why) {
  if (why) console.error(`mcp-ask: ${why}`);
  console.error(USAGE);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { era: 'auto', hours: 24, max: 1000, slug: null, tokenFile: null, url: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '-e') o.era = val();
    else if (a === '-w') o.hours = Number(val());
    else if (a === '-n') o.max = Number(val());
    else if (a === '-s') o.slug = val();
    else if (a === '-t') o.tokenFile = val();
    else if (a === '--') {
      o.url = argv[i + 1] ?? null;
      if (i + 2 < argv.length) usage('one URL');
      break;
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (o.url === null) o.url = a;
    else usage('one URL');
  }
  if (!(o.era in ERAS)) usage('-e: auto, modern or legacy');
  if (!(o.hours > 0)) usage('-w: a number of hours above 0');
  if (!Number.isInteger(o.max) || o.max < 1) usage('-n: a whole number above 0');
  if (o.slug !== null && !/^[a-z0-9._-]{1,80}$/.test(o.slug)) usage('-s: a server\'s slug');
  if (o.url === null) usage();
  try {
    o.url = new URL(o.url);
  } catch {
    usage(`not a URL: ${o.url}`);
  }
  return o;
}

// The reader's token, from a file only (an argument shows in ps).
function readToken(file) {
  let t;
  try {
    t = readFileSync(file, 'utf8').trim();
  } catch (e) {
    console.error(`mcp-ask: ${file}: ${e.code ?? e.message}`);
    process.exit(1);
  }
  if (!/^[\x21-\x7e]+$/.test(t)) {
    console.error(`mcp-ask: ${file}: not a token`);
    process.exit(1);
  }
  return t;
}

// "2026-11-26T22:34:00Z" as "2026-11-26 22:34 UTC".
const when = (iso) => (typeof iso === 'string' ? iso.replace('T', ' ').replace(/:\d\dZ$/, ' UTC') : 'an unknown time');

function span(s) {
  if (typeof s !== 'number' || !(s >= 0)) return null;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${m % 60} min`;
  return `${Math.floor(m / 1440)} days`;
}

// A server's own text (a tool's name, a change's summary) on one line: its
// control characters (a newline, an escape sequence) shown as \uXXXX.
// mcp-serve hands it as {"untrusted": ..., "quoted": TEXT} (its hidden
// characters written \u{XXXX} already): the quoted text is said.
const quoted = (t) => (t !== null && typeof t === 'object' && typeof t.quoted === 'string' ? t.quoted : t);
const clean = (t) =>
  String(quoted(t)).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const list = (a) => (a.length > 0 ? a.join(', ') : 'none');

class Ask {
  constructor(client) {
    this.client = client;
  }

  // A tool's structured content; a tool error is thrown with its text.
  async call(name, args) {
    const r = await this.client.callTool({ name, arguments: args });
    if (r.isError) {
      const e = new Error((r.content ?? []).map((c) => c.text).join(' ') || 'tool error');
      e.tool = name;
      throw e;
    }
    return r.structuredContent;
  }

  // Every server (list_servers, page by page), at most max.
  async fleet(max) {
    const out = [];
    let cursor;
    do {
      const page = await this.call('list_servers', { limit: Math.min(PAGE, max - out.length), ...(cursor ? { cursor } : {}) });
      out.push(...page.slugs);
      cursor = page.next;
    } while (cursor && out.length < max);
    return { servers: out, truncated: Boolean(cursor) };
  }

  // fn over items, CONCURRENCY at a time, the results in order.
  static async each(items, fn) {
    const res = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        res[i] = await fn(items[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
    return res;
  }
}

// One failing server, in a sentence or two.
function failing(st, tc) {
  if (st.error) return [`${st.slug}: ${st.state} (its status could not be read: ${st.error}).`];
  const lines = [];
  let s = `${st.slug}: ${st.state}`;
  if (st.since) s += ` since ${when(st.since)}`;
  const open = (st.incidents ?? []).find((i) => i.since === st.since) ?? (st.incidents ?? [])[0];
  const dur = span(open?.for_s);
  if (st.since && dur) s += ` (${dur})`;
  const fail = st.failing_regions ?? [];
  const up = (st.regions ?? []).filter((r) => r.state === 'up').map((r) => r.region);
  if (fail.length > 0) {
    s += `, failing${st.failing_step ? ` at the ${st.failing_step} step` : ''} in ${list(fail)}`;
    if (up.length > 0) s += ` (up in ${list(up)})`;
  } else if (st.failing_step) s += `, failing at the ${st.failing_step} step`;
  if (open?.severity) s += `; incident ${open.severity} open`;
  lines.push(`${s}.`);
  for (const r of st.regions ?? [])
    if (r.state === 'down' && !fail.includes(r.region)) lines.push(`${r.region}: down at the ${r.step ?? 'unknown'} step.`);
  for (const d of tc?.divergence ?? [])
    lines.push(`${list(d.regions ?? [])} serve${(d.regions ?? []).length === 1 ? 's' : ''} another tool list than the others: ${clean(d.change?.text ?? d.hash)}.`);
  if (st.maintenance) lines.push(`In maintenance${st.maintenance.until ? ` until ${when(st.maintenance.until)}` : ''}.`);
  const op = st.operator;
  if (op) {
    const v = op.verdict;
    if (v) {
      let o = `Operator: verdict ${v.verdict}${v.severity ? ` (${v.severity})` : ''}`;
      if (Array.isArray(v.reporters)) o += `, reporting ${list(v.reporters)}`;
      if (Array.isArray(v.missing) && v.missing.length > 0) o += `, silent ${list(v.missing)}`;
      lines.push(`${o}.`);
    }
    if (op.maintenance_reason) lines.push(`Maintenance: ${clean(op.maintenance_reason)}`);
  }
  return lines;
}

// A change of the history, in one line.
function change(slug, h) {
  const what = h.change?.text != null ? clean(h.change.text) : (h.kind === 'tools' ? 'the tool list changed' : `the ${h.kind} list changed`);
  const cls = h.change?.class ? ` [${h.change.class}]` : '';
  // The summary names the first change ("length removed and 1 more"): the
  // tools its items touch, when more than one, by name.
  const tools = [...new Set((h.change?.items ?? []).map((i) => quoted(i.tool)).filter((t) => typeof t === 'string'))];
  const named = tools.length > 1 ? ` (${tools.map(clean).join(', ')})` : '';
  return `${slug}: ${when(h.at)}, in ${list(h.regions ?? [])}: ${what}${named}${cls}`;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const headers = o.tokenFile ? { Authorization: `Bearer ${readToken(o.tokenFile)}` } : {};
  // Imported once the arguments are read: -h and usage need no SDK.
  const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client').catch(() => {
    console.error('mcp-ask: @modelcontextprotocol/client is missing: cd clients/ask && npm install');
    process.exit(1);
  });
  const client = new Client(
    { name: 'mcp-ask', version: '1.0.0' },
    { capabilities: {}, versionNegotiation: { mode: ERAS[o.era] } },
  );
  const transport = new StreamableHTTPClientTransport(o.url, { requestInit: { headers } });
  await client.connect(transport);
  const ask = new Ask(client);
  const out = [];
  let servers;
  let truncated = false;
  if (o.slug !== null) {
    servers = [{ slug: o.slug }];
  } else {
    ({ servers, truncated } = await ask.fleet(o.max));
  }
  const bad = o.slug !== null ? servers : servers.filter((s) => s.state === 'down' || s.state === 'degraded');
  // One server's status or changes that cannot be read is said, not fatal
  // (a server renamed or removed between two calls); asked of one, it is.
  const statuses = await Ask.each(bad, (s) =>
    ask.call('server_status', { slug: s.slug }).catch((e) => {
      if (o.slug !== null) throw e;
      return { slug: s.slug, state: s.state, error: e.message };
    }),
  );
  const unread = [];
  const changes = await Ask.each(servers, (s) =>
    ask.call('tool_changes', { slug: s.slug }).catch((e) => {
      unread.push(e.message);
      return null;
    }),
  );

  // The monitor's clock: its latest verdict window, not this machine's.
  const asOf = [...servers, ...statuses].map((s) => s.as_of).filter((t) => typeof t === 'string').sort().pop() ?? null;
  const from = (asOf ? Date.parse(asOf) : Date.now()) - o.hours * 3600 * 1000;

  if (o.slug === null) {
    const counts = {};
    for (const s of servers) counts[s.state] = (counts[s.state] ?? 0) + 1;
    const order = ['down', 'degraded', 'up', 'pending'];
    const parts = order.filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
    out.push(`${o.url.href}, as of ${asOf ? when(asOf) : 'no verdict yet'}: ${servers.length}${truncated ? '+' : ''} servers${parts.length ? `: ${parts.join(', ')}` : ''}.`);
    if (truncated) out.push(`(Only the first ${servers.length} servers were read: -n raises it.)`);
  } else {
    out.push(`${o.url.href}, as of ${asOf ? when(asOf) : 'no verdict yet'}:`);
  }
  const shown = statuses.filter((st) => o.slug !== null || st.state === 'down' || st.state === 'degraded');
  for (const state of ['down', 'degraded']) {
    const these = shown.filter((st) => st.state === state);
    if (these.length === 0) continue;
    out.push('', `${state === 'down' ? 'Down' : 'Degraded'}:`);
    for (const st of these) {
      const tc = changes[servers.findIndex((s) => s.slug === st.slug)];
      out.push(...failing(st, tc).map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)));
    }
  }
  if (o.slug !== null && shown.every((st) => st.state !== 'down' && st.state !== 'degraded'))
    out.push(`${o.slug} is ${shown[0].state}.`);
  else if (o.slug === null && shown.length === 0) out.push('', 'Nothing is down or degraded.');

  // Every server's changes of the period, the newest first.
  const recent = [];
  servers.forEach((s, i) => {
    for (const h of changes[i]?.history ?? [])
      if (Date.parse(h.last ?? h.at) >= from) recent.push([h.at ?? '', change(s.slug, h)]);
  });
  recent.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
  out.push('');
  if (recent.length > 0) out.push(`Tool changes in the ${o.hours} hours before then:`, ...recent.map((r) => `- ${r[1]}`));
  else out.push(`No tool changes in the ${o.hours} hours before then.`);
  if (unread.length > 0) out.push(`(The tool changes of ${unread.length} servers could not be read: ${unread[0]}.)`);
  await client.close();
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e) => {
  // The text of what failed, never the request (it may hold the token).
  console.error(`mcp-ask: ${e.tool ? `${e.tool}: ` : ''}${e.message}`);
  process.exit(1);
});
