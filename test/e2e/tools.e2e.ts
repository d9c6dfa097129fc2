// End-to-end: the model asks to read a file, the extension (in code-server, a real VS Code) runs read_file on
// the fixture workspace, sends the result back, and the model answers with the file's content; the tool call
// shows as a row in the chat. The test server's second reply is built from the tool result it received, so the
// answer can only be right if the real file reached the model.
import * as assert from 'node:assert/strict';
import type { Handler, RecordedRequest } from '../../scripts/server/openai-server';
import { useChatE2E } from '../harness/chatE2E';
import { readFileCall as readFileCallOf, sseDelta } from '../harness/toolReplies';

const MODEL = 'tool-model';
const delta = (d: Record<string, unknown>, finish: string | null = null) => sseDelta(MODEL, d, finish);
const readFileCall = (file: string): Handler => readFileCallOf(MODEL, file);

/** Second reply: quotes the line of the tool result that declares `fibonacci`, as a model would. */
const answerFromToolResult: Handler = (req: RecordedRequest, res) => {
  const tool = (req.body?.messages ?? []).find((m: { role: string }) => m.role === 'tool');
  const line =
    String(tool?.content ?? '')
      .split('\n')
      .find((l) => l.includes('export function fibonacci')) ?? 'NO TOOL RESULT';
  const text = `The file says:\n\n\`${line}\``;
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(delta({ role: 'assistant', content: '' }));
  for (let i = 0; i < text.length; i += 10) res.write(delta({ content: text.slice(i, i + 10) }));
  res.write(delta({}, 'stop'));
  res.end('data: [DONE]\n\n');
};

describe('workspace tools end to end (code-server + Chromium)', function () {
  this.timeout(240_000);
  const e2e = useChatE2E({
    label: 'tools-e2e',
    models: [MODEL],
    apiKey: 'sk-e2e-tools-0123456789',
    settings: { 'bud.tools.enabled': true, 'bud.tools.toolChoice': 'auto' },
    openChat: false,
  });

  it('the model reads src/math.ts through read_file and answers with its content; the tool row is shown', async () => {
    await e2e.openChat();
    e2e.api.enqueue(readFileCall('src/math.ts'), answerFromToolResult);
    await e2e.wb.typeAndSend('Which line declares fibonacci in src/math.ts?');

    const answer = e2e.chat.locator('.message.assistant').last();
    await answer
      .locator('.content', { hasText: 'export function fibonacci(n: number): number {' })
      .waitFor({ timeout: 60_000 });
    await e2e.chat.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 30_000 });
    assert.match(
      await answer.locator('.content').innerText(),
      /The file says:\s+12: export function fibonacci\(n: number\): number \{/,
    );

    const row = answer.locator('.tool-call');
    assert.equal(await row.count(), 1);
    assert.equal(await row.getAttribute('data-state'), 'done');
    assert.equal(await row.locator('.tool-name').innerText(), 'read_file');
    assert.match(await row.locator('.tool-args').innerText(), /src\/math\.ts/);
    assert.match(await row.locator('.tool-summary').innerText(), /\d+ lines of src\/math\.ts/);
    assert.match(await row.locator('.tool-duration').innerText(), /\d/);
    await row.locator('summary').click();
    assert.match(await row.locator('.tool-call-args').innerText(), /"path": "src\/math\.ts"/);
    await e2e.wb.screenshot('e2e-tool-call-read-file');

    const chats = e2e.api.requests.filter((r) => r.method === 'POST');
    assert.equal(chats.length, 2);
    assert.ok(
      chats[0].body.tools.some((t: { function: { name: string } }) => t.function.name === 'read_file'),
      'tools were offered',
    );
    assert.equal(chats[0].body.tool_choice, 'auto');
    const msgs = chats[1].body.messages;
    const call = msgs.find((m: { role: string; tool_calls?: unknown[] }) => m.role === 'assistant' && m.tool_calls);
    assert.equal(call.tool_calls[0].id, 'call_read_1');
    const result = msgs.find((m: { role: string }) => m.role === 'tool');
    assert.equal(result.tool_call_id, 'call_read_1');
    assert.match(result.content, /^src\/math\.ts — lines 1–\d+ of \d+\n1: \/\*\* Adds two numbers\. \*\//);
  });

  it('a refused path comes back to the model as a tool error and shows as an error row', async () => {
    e2e.api.enqueue(readFileCall('../../package.json'), (req, res) => {
      const tool = (req.body?.messages ?? []).filter((m: { role: string }) => m.role === 'tool').pop();
      const text = /outside the workspace/.test(String(tool?.content))
        ? 'I may not read outside the workspace.'
        : 'LEAKED';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(delta({ role: 'assistant', content: text }));
      res.write(delta({}, 'stop'));
      res.end('data: [DONE]\n\n');
    });
    await e2e.wb.typeAndSend('Read the package.json above the workspace');
    const answer = e2e.chat.locator('.message.assistant').last();
    await answer.locator('.content', { hasText: 'I may not read outside the workspace.' }).waitFor({ timeout: 60_000 });
    const row = answer.locator('.tool-call');
    assert.equal(await row.getAttribute('data-state'), 'error');
    assert.match(await row.locator('.tool-summary').innerText(), /outside the workspace/);
    await e2e.wb.screenshot('e2e-tool-call-refused');
  });
});
