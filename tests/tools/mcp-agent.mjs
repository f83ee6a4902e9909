// mcp-agent.mjs URL ERA SLUG [TOKEN] - what an agent reads of one server
// through mcp-serve's /mcp with an official SDK client (ERA as
// mcp-reader.mjs: sdk1, v2-modern, v2-auto): every tool called about SLUG
// (list_servers, server_status, incidents, tool_changes; server_status
// with the operator's view when TOKEN is given), each answer's text
// content and structured content (validated by the client against the
// tool's outputSchema), the resource mcp-uptime://status/SLUG, and the
// prompt triage_outage's messages.  Prints one JSON object:
// {"era","tools":{NAME:{"description","outputSchema"}},"calls":{NAME:
// {"text","structured"}},"resource","prompt":{"description","messages"}}.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { Client as Client1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as T1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client2, StreamableHTTPClientTransport as T2 } from '@modelcontextprotocol/client';

const [url, era, slug, token = ''] = process.argv.slice(2);
const opts = token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {};
let client;
let transport;
if (era === 'sdk1') {
  client = new Client1({ name: 'mcp-agent', version: '1.0.0' }, { capabilities: {} });
  transport = new T1(new URL(url), opts);
} else {
  const mode = era === 'v2-modern' ? { pin: '2026-07-28' } : 'auto';
  client = new Client2({ name: 'mcp-agent', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode } });
  transport = new T2(new URL(url), opts);
}
await client.connect(transport);
const out = { era: client.getProtocolEra ? client.getProtocolEra() : 'legacy', tools: {}, calls: {} };
// listTools first: the client validates structuredContent by the schemas it listed.
for (const t of (await client.listTools()).tools) out.tools[t.name] = { description: t.description, outputSchema: t.outputSchema };
const calls = [['list_servers', {}], ['server_status', { slug }], ['incidents', { slug }], ['tool_changes', { slug }]];
for (const [name, args] of calls) {
  const r = await client.callTool({ name, arguments: args });
  out.calls[name] = { text: r.content.map((c) => c.text).join('\n'), structured: r.structuredContent ?? null, isError: !!r.isError };
}
const rd = await client.readResource({ uri: `mcp-uptime://status/${slug}` });
out.resource = rd.contents.map((c) => c.text).join('\n');
const p = await client.getPrompt({ name: 'triage_outage', arguments: { slug } });
out.prompt = { description: p.description, messages: p.messages };
await client.close();
console.log(JSON.stringify(out));
