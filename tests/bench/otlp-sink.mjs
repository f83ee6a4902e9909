// otlp-sink.mjs - the OTLP/HTTP receiver of tests/bench/otlp.sh: both exporters
// send to it, and it does as little as a receiver can while still counting
// what came.  Each POST is gunzipped (Content-Encoding: gzip) and decoded as
// an ExportTraceServiceRequest by OpenTelemetry's own protocol definitions
// (the protobufjs root of @opentelemetry/otlp-transformer), its spans and
// root spans (no parent) counted, and answered 200 with an empty
// ExportTraceServiceResponse; nothing is written per request (the test
// receiver, tests/tools/otlp-receiver.mjs, writes every span as JSON and
// would be the bottleneck).  A body that does not decode is answered 400
// and counted.
//
//   node otlp-sink.mjs --port-file F
//
// GET /_count answers {"requests":N,"bytes":N,"raw":N,"spans":N,"roots":N,"errors":N}
// (bytes as sent, raw after gunzip); GET /_reset sets them to 0.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import http from 'node:http';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const Req = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const Resp = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
const ok = Buffer.from(Resp.encode({}).finish());

const args = process.argv.slice(2);
const i = args.indexOf('--port-file');
const portFile = i >= 0 ? args[i + 1] : undefined;
if (!portFile) {
  console.error('usage: otlp-sink.mjs --port-file F');
  process.exit(2);
}

const zero = () => ({ requests: 0, bytes: 0, raw: 0, spans: 0, roots: 0, errors: 0 });
let c = zero();

function count(body) {
  const req = Req.decode(body);
  for (const rs of req.resourceSpans || [])
    for (const ss of rs.scopeSpans || [])
      for (const s of ss.spans || []) {
        c.spans++;
        if (!s.parentSpanId || s.parentSpanId.length === 0) c.roots++;
      }
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    if (req.url === '/_reset') c = zero();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(c) + '\n');
    return;
  }
  const chunks = [];
  req.on('data', (d) => chunks.push(d));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    c.requests++;
    c.bytes += body.length;
    try {
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      c.raw += body.length;
      count(body);
    } catch (e) {
      c.errors++;
      res.writeHead(400);
      res.end(String(e.message || e));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
    res.end(ok);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => fs.writeFileSync(portFile, String(server.address().port)));
