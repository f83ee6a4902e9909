// otlp-receiver.mjs - an OTLP/HTTP traces receiver for tests/otlp.t, built
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
// resource's attrs as resource {key: value}.  A body that does not decode
// is answered 400, its line with "error".  /_control?status=N sets the
// answer (200, 429, 503, ... or "hang": read the request, never answer);
// &retry_after=V the Retry-After of a 429 or 503.
import http from 'node:http';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const Req = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const Resp = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

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
    res.end(st === 200 ? Buffer.from(Resp.encode({}).finish()) : '');
  });
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
