// otlp-receiver.mjs - an OTLP/HTTP traces and metrics receiver for tests/otlp*.t, built
// on OpenTelemetry's own protocol definitions: the protobufjs root that
// @opentelemetry/otlp-transformer generates from opentelemetry-proto.
//
//   node otlp-receiver.mjs --port-file F --log L
//
// Each POST /v1/traces is gunzipped (Content-Encoding: gzip) and decoded
// as an ExportTraceServiceRequest; one JSON line per request goes to L:
//   {"n":1,"t":MS,"status":"200","headers":{...},"error":null,"spans":[...]}
// where each span is flattened: traceId, spanId, parentSpanId (hex),
// name, kind (SPAN_KIND_CLIENT ...), start and end (nanoseconds, as
// strings), status {code, message}, attrs {key: value}, and the
// resource's attrs as resource {key: value}.  POST /v1/metrics is decoded
// (any path ending in /metrics) as an ExportMetricsServiceRequest: its line has "points" instead, one
// per data point: name, description, unit, type (gauge, sum, histogram),
// temporality (AGGREGATION_TEMPORALITY_DELTA ...), monotonic, start and
// time, attrs, resource, and value (a number's) or count, sum, min, max,
// bucketCounts and explicitBounds (a histogram's).  A body that does not decode
// is answered 400, its line with "error".  /_control?status=N sets the
// answer (200, 429, 503, ... or "hang": read the request, never answer);
// &retry_after=V the Retry-After of a 429 or 503.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import http from 'node:http';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const Req = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const Resp = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
const MReq = root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
const MResp = root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
const Temporality = root.opentelemetry.proto.metrics.v1.AggregationTemporality;

const args = process.argv.slice(2);
const opt = (k) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
const portFile = opt('--port-file'), log = opt('--log');
if (!portFile || !log) {
  console.error('usage: otlp-receiver.mjs --port-file F --log L');
  process.exit(2);
}

let answer = '200', retryAfter = null, n = 0;
const hex = (b) => (b && b.length ? Buffer.from(b).toString('hex') : '');
function value(v) {
  if (v == null) return null;
  for (const k of ['stringValue', 'boolValue', 'doubleValue']) if (v[k] != null) return v[k];
  if (v.intValue != null) return Number(v.intValue);
  return JSON.stringify(v);
}
const attrs = (list) => Object.fromEntries((list || []).map((kv) => [kv.key, value(kv.value)]));

function flatten(req) {
  const out = [];
  for (const rs of req.resourceSpans || []) {
    const resource = attrs(rs.resource && rs.resource.attributes);
    for (const ss of rs.scopeSpans || []) {
      for (const s of ss.spans || []) {
        out.push({
          traceId: hex(s.traceId), spanId: hex(s.spanId), parentSpanId: hex(s.parentSpanId),
          name: s.name, kind: root.opentelemetry.proto.trace.v1.Span.SpanKind[s.kind],
          start: String(s.startTimeUnixNano), end: String(s.endTimeUnixNano),
          status: {
            code: root.opentelemetry.proto.trace.v1.Status.StatusCode[s.status ? s.status.code : 0],
            message: (s.status && s.status.message) || '',
          },
          attrs: attrs(s.attributes), scope: ss.scope ? ss.scope.name : '', resource,
        });
      }
    }
  }
  return out;
}

function points(req) {
  const out = [];
  for (const rm of req.resourceMetrics || []) {
    const resource = attrs(rm.resource && rm.resource.attributes);
    for (const sm of rm.scopeMetrics || []) {
      for (const m of sm.metrics || []) {
        const type = ['gauge', 'sum', 'histogram'].find((k) => m[k]);
        const d = m[type] || {};
        for (const p of d.dataPoints || []) {
          const o = {
            name: m.name, description: m.description, unit: m.unit, type,
            temporality: d.aggregationTemporality != null ? Temporality[d.aggregationTemporality] : null,
            monotonic: d.isMonotonic || false, start: String(p.startTimeUnixNano || 0),
            time: String(p.timeUnixNano), attrs: attrs(p.attributes), scope: sm.scope ? sm.scope.name : '', resource,
          };
          if (type === 'histogram') {
            Object.assign(o, {
              count: Number(p.count), sum: p.sum, min: p.min, max: p.max,
              bucketCounts: (p.bucketCounts || []).map(Number), explicitBounds: p.explicitBounds || [],
            });
          } else {
            o.value = p.asDouble != null ? p.asDouble : Number(p.asInt);
          }
          out.push(o);
        }
      }
    }
  }
  return out;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/_control') {
    if (url.searchParams.has('status')) answer = url.searchParams.get('status');
    retryAfter = url.searchParams.get('retry_after');
    res.end('ok\n');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const line = { n: ++n, t: Date.now(), status: answer, path: url.pathname, headers: req.headers, error: null, spans: [] };
    let body = Buffer.concat(chunks);
    try {
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      if (url.pathname.endsWith('/metrics'))
        line.points = points(MReq.toObject(MReq.decode(body), { longs: String, defaults: false }));
      else
        line.spans = flatten(Req.toObject(Req.decode(body), { longs: String, defaults: false }));
    } catch (e) {
      line.error = String(e.message || e);
      line.status = '400';
    }
    line.raw = body.toString('latin1');
    fs.appendFileSync(log, JSON.stringify(line) + '\n');
    if (line.status === 'hang') return;
    const st = Number(line.status);
    const h = { 'Content-Type': 'application/x-protobuf' };
    if ((st === 429 || st === 503) && retryAfter != null) h['Retry-After'] = retryAfter;
    res.writeHead(st, h);
    const R = url.pathname.endsWith('/metrics') ? MResp : Resp;
    res.end(st === 200 ? Buffer.from(R.encode({}).finish()) : '');
  });
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
