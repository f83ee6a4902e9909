// toolhash.mjs URL [http|sse] - list a server's tools with the official SDK
// client (empty capabilities, as mcp-probe declares) and print
// "<count> sha256:<hex>" of the JCS form of the tools sorted by name.
// An independent computation of mcp-probe's tool_hash, for the tests.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

const [url, kind = 'http'] = process.argv.slice(2);
const client = new Client({ name: 'toolhash', version: '1.0.0' }, { capabilities: {} });
const transport = kind === 'sse'
  ? new SSEClientTransport(new URL(url))
  : new StreamableHTTPClientTransport(new URL(url));
await client.connect(transport);
let tools = [];
let cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  tools = tools.concat(page.tools);
  cursor = page.nextCursor;
} while (cursor);
await client.close();
// Sort by UTF-16 code units, as JavaScript compares strings.
tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const hash = createHash('sha256').update(canonicalize(tools), 'utf8').digest('hex');
console.log(`${tools.length} sha256:${hash}`);
