// The `npm start` demo backend (scripts/demo): what a newcomer sees without an account must be a real
// OpenAI-compatible stream with Markdown, a tool-call round trip, and a sensible Explain Selection answer.
import * as assert from 'node:assert/strict';
import { startDemoServer } from '../../scripts/demo/server';
import type { TestServer } from '../../scripts/server/openai-server';
import { buildUserContent, EXPLAIN_INSTRUCTION } from '../../src/chat/prompts';
import { BudClient } from '../../src/api/client';
import { runConnectionTest } from '../../src/connection/connectionTest';

interface Streamed {
  content: string;
  chunks: number;
  finish: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  done: boolean;
  usage?: { total_tokens: number };
}

async function streamChat(url: string, body: Record<string, unknown>): Promise<Streamed> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer demo' },
    body: JSON.stringify({ model: 'bud-demo', stream: true, stream_options: { include_usage: true }, ...body }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const raw = await res.text();
  const out: Streamed = { content: '', chunks: 0, finish: null, toolCalls: [], done: false };
  for (const line of raw.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const data = line.slice(6);
    if (data === '[DONE]') {
      out.done = true;
      continue;
    }
    const chunk = JSON.parse(data);
    out.chunks++;
    if (chunk.usage) out.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.content) out.content += choice.delta.content;
    for (const tc of choice.delta.tool_calls ?? []) {
      const slot = (out.toolCalls[tc.index] ??= { id: '', name: '', arguments: '' });
      if (tc.id) slot.id = tc.id;
      if (tc.function?.name) slot.name = tc.function.name;
      if (tc.function?.arguments) slot.arguments += tc.function.arguments;
    }
    if (choice.finish_reason) out.finish = choice.finish_reason;
  }
  return out;
}

const tools = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Read a file',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'list_directory',
      description: 'List a folder',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
];

describe('demo backend (npm start without a key)', () => {
  let server: TestServer;
  before(async () => {
    server = await startDemoServer({ delayMs: 0 });
  });
  after(async () => {
    await server.close();
  });

  it('lists the demo models', async () => {
    const res = await fetch(`${server.url}/v1/models`);
    const body = (await res.json()) as { data: { id: string }[] };
    assert.deepEqual(
      body.data.map((m) => m.id),
      ['bud-demo', 'bud-demo-mini'],
    );
  });

  it("states each model's context window, as vLLM and gateways do", async () => {
    const res = await fetch(`${server.url}/v1/models`);
    const body = (await res.json()) as { data: { id: string; context_length: number }[] };
    assert.deepEqual(
      body.data.map((m) => [m.id, m.context_length]),
      [
        ['bud-demo', 8192],
        ['bud-demo-mini', 4096],
      ],
    );
    const one = await fetch(`${server.url}/v1/models/bud-demo-mini`);
    assert.equal(((await one.json()) as { context_length: number }).context_length, 4096);
    assert.equal((await fetch(`${server.url}/v1/models/nope`)).status, 404);
  });

  it('/cut answers with finish_reason "length"; Continue (its partial answer sent back last) gets the rest', async () => {
    const cut = await streamChat(server.url, { messages: [{ role: 'user', content: '/cut' }] });
    assert.equal(cut.finish, 'length');
    const rest = await streamChat(server.url, {
      messages: [
        { role: 'user', content: '/cut' },
        { role: 'assistant', content: cut.content },
      ],
    });
    assert.equal(rest.finish, 'stop');
    assert.match(cut.content + rest.content, /token limit[\s\S]*It ends here, in the same answer\.$/);
  });

  it('streams a Markdown answer with a heading, list, table, code block and link, in many chunks', async () => {
    const r = await streamChat(server.url, { messages: [{ role: 'user', content: 'What can you do?' }] });
    assert.ok(r.chunks > 20, `only ${r.chunks} chunks`);
    assert.equal(r.finish, 'stop');
    assert.ok(r.done);
    assert.ok(r.usage && r.usage.total_tokens > 0);
    assert.match(r.content, /^## /m);
    assert.match(r.content, /^1\. /m);
    assert.match(r.content, /^\|---\|---\|$/m);
    assert.match(r.content, /^```ts\n[\s\S]*?\n```$/m);
    assert.match(r.content, /\[[^\]]+\]\(https:\/\/[^)]+\)/);
    assert.match(r.content, /What can you do\?/);
  });

  it('is deterministic: the same request gets the same answer', async () => {
    const body = { messages: [{ role: 'user', content: 'Tell me something' }] };
    assert.equal((await streamChat(server.url, body)).content, (await streamChat(server.url, body)).content);
  });

  it('asks for read_file first, then answers from the tool result', async () => {
    const first = await streamChat(server.url, {
      tools,
      messages: [{ role: 'user', content: 'Please read src/greet.ts and explain it' }],
    });
    assert.equal(first.finish, 'tool_calls');
    assert.equal(first.toolCalls.length, 1);
    assert.equal(first.toolCalls[0].name, 'read_file');
    assert.deepEqual(JSON.parse(first.toolCalls[0].arguments), { path: 'src/greet.ts' });

    // The shape src/tools/readFile.ts answers with: a header line, then numbered lines.
    const fileText =
      'src/greet.ts — lines 1–3 of 3\n1: export function greet(name: string) {\n2:   return `Hello ${name}`;\n3: }';
    const second = await streamChat(server.url, {
      tools,
      messages: [
        { role: 'user', content: 'Please read src/greet.ts and explain it' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: first.toolCalls[0].id,
              type: 'function',
              function: { name: 'read_file', arguments: first.toolCalls[0].arguments },
            },
          ],
        },
        { role: 'tool', tool_call_id: first.toolCalls[0].id, content: fileText },
      ],
    });
    assert.equal(second.finish, 'stop');
    assert.equal(second.toolCalls.length, 0);
    assert.match(second.content, /`src\/greet\.ts`/);
    assert.match(second.content, /`greet`/, 'names the declaration it found in the tool result');
    assert.match(
      second.content,
      /\n {2}return `Hello \$\{name\}`;\n/,
      'quotes the file it read, without the line numbers',
    );
    assert.match(second.content, /lines 1–3 of 3/);
  });

  it('says so when the tool refused', async () => {
    const call = { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":".env"}' } };
    const r = await streamChat(server.url, {
      tools,
      messages: [
        { role: 'user', content: 'read .env' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: 'call_1', content: 'Error: ".env" is a secret file and is never read.' },
      ],
    });
    assert.match(r.content, /I couldn't use `read_file`/);
    assert.match(r.content, /secret file/);
  });

  it('uses the argument name from the tool schema and lists a folder when asked', async () => {
    const custom = [
      {
        type: 'function',
        function: {
          name: 'list_directory',
          parameters: { type: 'object', properties: { relativePath: { type: 'string' } }, required: ['relativePath'] },
        },
      },
    ];
    const r = await streamChat(server.url, {
      tools: custom,
      messages: [{ role: 'user', content: 'List the files in this folder' }],
    });
    assert.equal(r.toolCalls[0].name, 'list_directory');
    assert.deepEqual(JSON.parse(r.toolCalls[0].arguments), { relativePath: '.' });
  });

  it('says tools are off when a file question comes without tools', async () => {
    const r = await streamChat(server.url, { messages: [{ role: 'user', content: 'read README.md' }] });
    assert.equal(r.toolCalls.length, 0);
    assert.match(r.content, /Workspace tools are off/);
  });

  it('explains a selection, echoing the file, line range and language it saw', async () => {
    const prompt =
      'Explain this code from `src/math.ts` (lines 3-5, typescript):\n\n```typescript\nexport function add(a: number, b: number) {\n  return a + b;\n}\n```';
    const r = await streamChat(server.url, { messages: [{ role: 'user', content: prompt }] });
    assert.match(r.content, /`src\/math\.ts`, lines 3–5/);
    assert.match(r.content, /\*\*3\*\* lines of `typescript`/);
    assert.match(r.content, /Declares `add`/);
  });

  it('explains the prompt the extension builds for Explain Selection', async () => {
    const code = 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}';
    const content = buildUserContent(EXPLAIN_INSTRUCTION, [
      {
        path: 'src/greet.ts',
        uri: 'file:///w/src/greet.ts',
        language: 'typescript',
        startLine: 2,
        endLine: 4,
        text: code,
      },
    ]);
    const r = await streamChat(server.url, {
      messages: [
        { role: 'system', content: 'You are Bud' },
        { role: 'user', content },
      ],
    });
    assert.match(r.content, /## Explaining `src\/greet\.ts`, lines 2–4/);
    assert.match(r.content, /\| Language \| typescript \|/);
    assert.match(r.content, /You asked: _Explain what this code does/);
  });

  it('answers a non-streaming request with a whole chat.completion', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bud-demo-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await res.json()) as { object: string; model: string; choices: { message: { content: string } }[] };
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'bud-demo-mini');
    assert.match(body.choices[0].message.content, /## Hello from Bud Chat/);
  });

  it('makes a tool call when tool_choice is "required" (as Test Connection may ask)', async () => {
    const r = await streamChat(server.url, {
      tools,
      tool_choice: 'required',
      messages: [{ role: 'user', content: 'ping' }],
    });
    assert.equal(r.finish, 'tool_calls');
    assert.equal(r.toolCalls[0].name, 'read_file');
  });

  it('calls a tool the user names, as Test Connection asks it to', async () => {
    const ping = [
      {
        type: 'function',
        function: {
          name: 'ping',
          description: 'Connection check.',
          parameters: { type: 'object', properties: { note: { type: 'string' } } },
        },
      },
    ];
    const r = await streamChat(server.url, {
      tools: ping,
      tool_choice: 'auto',
      max_tokens: 32,
      messages: [
        {
          role: 'user',
          content: 'Connection test from the Bud Chat editor extension: call the ping tool once, or reply with OK.',
        },
      ],
    });
    assert.equal(r.finish, 'tool_calls');
    assert.equal(r.toolCalls[0].name, 'ping');
    assert.deepEqual(JSON.parse(r.toolCalls[0].arguments), {});
  });

  it("passes the extension's Test Connection: models listed, streaming works, tool calls work", async () => {
    const client = new BudClient({ baseUrl: server.url, apiKey: 'demo', maxRetries: 0 });
    const report = await runConnectionTest(client, 'bud-demo');
    assert.equal(report.url, `${server.url}/v1`);
    assert.deepEqual(
      { models: report.models.count, stream: report.stream.ok, tools: report.toolCalls, ok: report.ok },
      { models: 2, stream: true, tools: 'yes', ok: true },
    );
  });

  it('shows error handling on request: /error 401 and a dropped stream', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bud-demo', stream: true, messages: [{ role: 'user', content: '/error 401' }] }),
    });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /Invalid API key/);
    await assert.rejects(streamChat(server.url, { messages: [{ role: 'user', content: '/drop' }] }));
  });
});
