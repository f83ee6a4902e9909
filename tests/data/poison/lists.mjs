// lists.mjs - the lists a stdio MCP server serves, as a corpus file of
// tests/data/poison (README): its instructions, tools, resources, prompts.
//
//   node tests/data/poison/lists.mjs SOURCE COMMAND [ARG...] >FILE
//
// Built on the official TypeScript SDK's client (tests/node_modules): run a
// copy of it in tests/, where an ES module finds that directory.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [source, command, ...args] = process.argv.slice(2);
if (!command) {
    console.error('usage: lists.mjs SOURCE COMMAND [ARG...]');
    process.exit(2);
}
const client = new Client({ name: 'mcp-uptime-corpus', version: '1' });
await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
const caps = client.getServerCapabilities() ?? {};
const out = { source, instructions: client.getInstructions() ?? null };
out.tools = caps.tools ? (await client.listTools()).tools : [];
out.resources = caps.resources ? (await client.listResources()).resources : [];
out.prompts = caps.prompts ? (await client.listPrompts()).prompts : [];
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
await client.close();
