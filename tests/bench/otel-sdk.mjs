// otel-sdk.mjs - the peer of mcp-otlp in tests/bench/otlp.sh: the official
// OpenTelemetry JavaScript SDK making the spans mcp-otlp makes of the same
// probe records and exporting them the way an operator would run it.
//
//   node otel-sdk.mjs -e URL [-b BATCH] [-c CONCURRENCY] RECORDS
//
// Reads RECORDS (mcp-probe's JSONL: step records, then each probe's result),
// and for each probe, at its result, makes what mcp-otlp(1) makes: a root
// span "probe SLUG" (INTERNAL, probe_started_at to probe_finished_at, OK or
// ERROR with the error code) and a CLIENT child for each step that ran, one
// after the other from the probe's start, each its ms long, named and
// attributed as mcp-otlp names them; the resource has service.name,
// host.name and the region.  The spans go through a BatchSpanProcessor
// (its defaults: 512 spans an export, or -b; its queue large enough that
// nothing is dropped) to an OTLPTraceExporter (protobuf, gzip) at URL, then
// forceFlush and shutdown.  -c is the exporter's concurrencyLimit (its
// default 30): forceFlush sends every batch left at once, and past the
// limit an export fails ("Concurrent export limit reached") and its spans
// are lost.  At the end one line on standard error:
//   {"spans":N,"sent":N,"failed":N,"exports":N}
// where spans is what was ended and sent what the receiver accepted (2xx).
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import { trace, SpanKind, SpanStatusCode, ROOT_CONTEXT } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Resource } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

const args = process.argv.slice(2);
const opt = (k) => { const i = args.indexOf(k); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
const url = opt('-e'), batch = Number(opt('-b') || 512), limit = Number(opt('-c') || 30);
const file = args[0];
if (!url || !file) {
  console.error('usage: otel-sdk.mjs -e URL [-b BATCH] [-c CONCURRENCY] RECORDS');
  process.exit(2);
}

let spans = 0, sent = 0, failed = 0, exports = 0, lastError = null;
const providers = new Map();

// counting(exp): the exporter, its results counted.
function counting(exp) {
  return {
    export(list, done) {
      exports++;
      exp.export(list, (r) => {
        if (r.code === 0) sent += list.length;
        else { failed += list.length; lastError = String(r.error && r.error.message); }
        done(r);
      });
    },
    shutdown: () => exp.shutdown(),
    forceFlush: () => exp.forceFlush(),
  };
}

// tracer(region): a provider for each region, as each region's runner has one.
function tracer(region) {
  let p = providers.get(region);
  if (!p) {
    const exporter = counting(new OTLPTraceExporter({ url, compression: 'gzip', concurrencyLimit: limit }));
    p = new BasicTracerProvider({
      resource: new Resource({
        'service.name': 'mcp-uptime', 'host.name': os.hostname(),
        'cloud.region': region, 'mcp_uptime.region': region,
      }),
      spanProcessors: [new BatchSpanProcessor(exporter, {
        maxQueueSize: 1 << 22, maxExportBatchSize: batch,
      })],
    });
    providers.set(region, p);
  }
  return p.getTracer('mcp-otlp');
}

const NAMES = {
  dns: 'dns lookup', connect: 'connect', tls: 'tls handshake', http: 'POST', auth: 'auth',
  tools_list: 'tools/list',
};
const MCP = { initialize: 1, tools_list: 1, call: 1 };

function hostPort(u) {
  try {
    const x = new URL(u);
    return [x.hostname, Number(x.port || (x.protocol === 'https:' ? 443 : 80)), x.protocol.slice(0, -1)];
  } catch { return ['', 0, '']; }
}

// stepSpan: one step that ran, as mcp-otlp names and attributes it.
function stepSpan(t, ctx, s, res, start) {
  const [host, port, scheme] = hostPort(s.url);
  const a = { 'mcp_uptime.step': s.step, 'server.address': host, 'server.port': port };
  let name = NAMES[s.step] || s.step;
  if (s.step === 'initialize') name = res.era === 'modern' ? 'server/discover' : 'initialize';
  if (s.step === 'call') name = s.detail && s.detail.tool ? `tools/call ${s.detail.tool}` : 'tools/call';
  if (MCP[s.step]) {
    a['mcp.method.name'] = name.split(' ')[0];
    if (res.protocol_version) a['mcp.protocol.version'] = res.protocol_version;
    a['network.transport'] = 'tcp';
    a['network.protocol.name'] = 'http';
    if (s.detail && s.detail.tool) {
      a['gen_ai.tool.name'] = s.detail.tool;
      a['gen_ai.operation.name'] = 'execute_tool';
    }
  } else if (s.step === 'dns') a['dns.question.name'] = host;
  else if (s.step === 'connect') a['network.transport'] = 'tcp';
  else if (s.step === 'http') {
    Object.assign(a, { 'http.request.method': 'POST', 'url.scheme': scheme, 'network.protocol.name': 'http' });
    if (res.http_status) a['http.response.status_code'] = res.http_status;
  }
  const failedStep = s.status === 'fail';
  if (failedStep && s.error) {
    a['error.type'] = s.error.code;
    a['mcp_uptime.error_code'] = s.error.code;
  }
  const span = t.startSpan(name, { kind: SpanKind.CLIENT, startTime: start, attributes: a }, ctx);
  if (failedStep) span.setStatus({ code: SpanStatusCode.ERROR, message: s.error ? s.error.code : '' });
  span.end(start + s.ms);
  spans++;
  return start + s.ms;
}

// probe: the root span of a result and its steps' spans.
function probe(res, steps) {
  const t = tracer(res.region);
  const [host, port] = hostPort(res.url);
  const a = {
    'mcp_uptime.slug': res.slug, 'mcp_uptime.probe_id': res.probe_id, 'mcp_uptime.state': res.state,
    'mcp_uptime.region': res.region, 'mcp_uptime.transport': res.transport, 'mcp_uptime.era': res.era,
    'mcp_uptime.posture': res.posture, 'mcp_uptime.tool_count': res.tool_count,
    'server.address': host, 'server.port': port,
  };
  if (res.protocol_version) a['mcp.protocol.version'] = res.protocol_version;
  if (res.http_status) a['http.response.status_code'] = res.http_status;
  if (res.tool_hash) a['mcp_uptime.tool_hash'] = res.tool_hash;
  if (res.failed_step) a['mcp_uptime.failed_step'] = res.failed_step;
  const failedRec = steps.find((s) => s.status === 'fail');
  const code = res.error ? res.error.code : failedRec && failedRec.error ? failedRec.error.code : null;
  if (res.state === 'broken' && code) a['error.type'] = code;
  const start = res.probe_started_at * 1000;
  const root = t.startSpan(`probe ${res.slug}`, { kind: SpanKind.INTERNAL, startTime: start, attributes: a });
  if (res.state === 'healthy' || res.state === 'auth-walled') root.setStatus({ code: SpanStatusCode.OK });
  else if (res.state === 'broken') root.setStatus({ code: SpanStatusCode.ERROR, message: code || '' });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  let at = start;
  for (const s of steps) if (s.status !== 'skip') at = stepSpan(t, ctx, s, res, at);
  root.end(res.probe_finished_at * 1000);
  spans++;
}

const held = new Map();
const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
for await (const line of rl) {
  let r;
  try { r = JSON.parse(line); } catch { continue; }
  if (r.type === 'step') {
    if (!held.has(r.probe_id)) held.set(r.probe_id, []);
    held.get(r.probe_id).push(r);
  } else if (r.type === 'result') {
    probe(r, held.get(r.probe_id) || []);
    held.delete(r.probe_id);
  }
}
for (const p of providers.values()) {
  try {
    await p.forceFlush();
  } catch (e) {
    lastError = String((e.errors && e.errors[0] && e.errors[0].message) || e.message || e);
  }
  await p.shutdown().catch(() => {});
}
process.stderr.write(JSON.stringify({ spans, sent, failed, exports, lastError }) + '\n');
process.exitCode = sent === spans ? 0 : 1;
