// A small stdio MCP server built with the official TypeScript MCP SDK (installed with the
// Agent SDK), for the case where the Agent SDK hands strata a non-SDK server (--mcp-config).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const lib = (p) => import(pathToFileURL(join(process.env.SDK_DIR, 'node_modules', p)).href);
const { McpServer } = await lib('@modelcontextprotocol/sdk/dist/esm/server/mcp.js');
const { StdioServerTransport } = await lib('@modelcontextprotocol/sdk/dist/esm/server/stdio.js');

const server = new McpServer({ name: 'strata-interop-stdio', version: '0.0.1' });
server.registerTool('shout', { description: 'says the text in capitals', annotations: { readOnlyHint: true } },
  async () => ({ content: [{ type: 'text', text: 'LOUD' }] }));
await server.connect(new StdioServerTransport());
