// counter.mjs - the receiver of tests/bench/alert-storm.sh: it counts the
// POSTs of each path and answers at once (202 for a path ending in
// /enqueue, as PagerDuty's Events API; 200 otherwise).  Node built-ins only.
//
//   node counter.mjs --port-file F
//
// GET /_counts answers {"PATH":{"n":N,"bytes":B,"members":M,"events":{...}},...}:
// the requests, their bodies' bytes, the requests by the JSON body's
// "event" (mcp-alert) or "status" (Alertmanager's webhook) and, for a
// JSON body, the alerts it
// speaks of (the length of Alertmanager's "alerts"; for an mcp-alert group
// record, or one inside PagerDuty's custom_details, the members "added"
// and "resolved" since its last notification, else its "count"; 1 for
// any other body).
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import http from 'node:http';
import fs from 'node:fs';

const args = process.argv.slice(2);
const i = args.indexOf('--port-file');
if (i < 0 || !args[i + 1]) {
  console.error('usage: counter.mjs --port-file F');
  process.exit(2);
}
const counts = {};

function parse(raw) {
  try { return JSON.parse(raw); } catch { return undefined; }
}

function members(b) {
  if (Array.isArray(b?.alerts)) return b.alerts.length;
  const g = b?.group ?? b?.payload?.custom_details?.group;
  if (typeof g !== 'object' || g === null) return 1;
  const changed = (g.added?.length ?? 0) + (g.resolved?.length ?? 0);
  return changed || (typeof g.count === 'number' ? g.count : 1);
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (path === '/_counts') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(counts) + '\n');
      return;
    }
    const raw = Buffer.concat(chunks);
    const c = counts[path] ??= { n: 0, bytes: 0, members: 0, events: {} };
    const b = parse(raw.toString('utf8'));
    const ev = typeof b?.event === 'string' ? b.event : typeof b?.status === 'string' ? b.status : '-';
    c.n++;
    c.bytes += raw.length;
    c.members += members(b);
    c.events[ev] = (c.events[ev] ?? 0) + 1;
    const code = path.endsWith('/enqueue') ? 202 : 200;
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(code === 202 ? '{"status":"success","message":"Event processed"}' : 'ok');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(args[i + 1] + '.tmp', String(server.address().port));
  fs.renameSync(args[i + 1] + '.tmp', args[i + 1]);
});
