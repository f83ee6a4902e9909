// mcp-reader.mjs URL ERA CALLS - an agent reading mcp-serve's /mcp with an
// official SDK client: ERA sdk1 (@modelcontextprotocol/sdk 1.x, the
// initialize handshake, 2025-11-25), v2-modern (@modelcontextprotocol/client
// 2.x pinned to 2026-07-28), v2-auto (2.x in auto: server/discover first).
// CALLS is a JSON array of [tool, arguments].  Prints one JSON object: the
// era and version agreed, the tools listed (every page), each call's result
// (structuredContent, or {"isError": text}), the resources listed and the
// first one read.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as T1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client2, StreamableHTTPClientTransport as T2 } from '@modelcontextprotocol/client';

const [url, era, callsJson = '[]', token = ''] = process.argv.slice(2);
const calls = JSON.parse(callsJson);
const opts = token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {};
let client;
let transport;
if (era === 'sdk1') {
  client = new Client1({ name: 'mcp-reader', version: '1.0.0' }, { capabilities: {} });
  transport = new T1(new URL(url), opts);
} else {
  const mode = era === 'v2-modern' ? { pin: '2026-07-28' } : 'auto';
  client = new Client2({ name: 'mcp-reader', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode } });
  transport = new T2(new URL(url), opts);
}
await client.connect(transport);
const out = {
  era: client.getProtocolEra ? client.getProtocolEra() : 'legacy',
  version: client.getNegotiatedProtocolVersion ? client.getNegotiatedProtocolVersion() : transport.protocolVersion,
  server: client.getServerVersion(),
  tools: [],
  calls: {},
};
let cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  out.tools.push(...page.tools);
  cursor = page.nextCursor;
} while (cursor);
for (const [name, args] of calls) {
  const r = await client.callTool({ name, arguments: args });
  const key = `${name} ${JSON.stringify(args)}`;
  out.calls[key] = r.isError ? { isError: r.content.map((c) => c.text).join(' ') } : r.structuredContent;
}
const res = await client.listResources();
out.resources = res.resources.map((r) => r.uri);
if (res.resources.length > 0) {
  const rd = await client.readResource({ uri: res.resources[0].uri });
  out.read = JSON.parse(rd.contents[0].text);
}
try {
  await client.readResource({ uri: 'mcp-uptime://status/no-such-server' });
  out.not_found = 'answered';
} catch (e) {
  out.not_found = e.code;
}
await client.close();
console.log(JSON.stringify(out));
