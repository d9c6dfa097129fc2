// Bounded answers: a server that streams without end is stopped by Bud at the message limit (text, reasoning or
// tool-call arguments), with a note, the request cancelled so the server stops sending; Stop still works before
// that. Real client, real turn loop, a local endless server.
import * as assert from 'node:assert/strict';
import { BudClient } from '../../../src/api/client';
import { MAX_CONTENT_CHARS } from '../../../src/chat/conversation';
import { runTurn, type TurnOptions } from '../../../src/chat/turn';
import type { ToolExecutor } from '../../../src/tools/port';
import { replies, startTestServer, type TestServer } from '../../../scripts/server/openai-server';

/** More than the limit plus loopback socket buffers can hold: an endless server that sent this much was not stopped. */
const IN_FLIGHT = 16 * MAX_CONTENT_CHARS;

describe('Bounded answers (endless server)', function () {
  this.timeout(60_000);
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  /** Resolves with the characters the server had sent when the client closed the response. */
  function endless(kind: 'content' | 'reasoning' | 'tool' = 'content'): Promise<number> {
    return new Promise((resolve) => server.enqueue(replies.endless({ kind, onClose: resolve })));
  }

  function turn(extra: Partial<TurnOptions> = {}, onText?: (t: string) => void) {
    const client = new BudClient({ baseUrl: server.url, apiKey: 'sk-test', maxRetries: 0 });
    let shown = 0;
    let reasoningShown = 0;
    const run = runTurn({
      client,
      params: { model: 'bud-test-model', messages: [{ role: 'user', content: 'go on forever' }] },
      stream: true,
      signal: new AbortController().signal,
      events: {
        onText: (t) => {
          shown += t.length;
          onText?.(t);
        },
        onReasoning: (t) => (reasoningShown += t.length),
      },
      ...extra,
    });
    return { run, shown: () => shown, reasoningShown: () => reasoningShown };
  }

  it('stops an endless answer at 1,000,000 characters with a note, and the server stops sending', async () => {
    const closed = endless();
    const heapBefore = process.memoryUsage().heapUsed;
    const t = turn();
    const r = await t.run;
    const sent = await closed;
    assert.equal(r.status, 'stopped');
    assert.equal(r.content.length, MAX_CONTENT_CHARS);
    assert.equal(t.shown(), MAX_CONTENT_CHARS, 'the view got exactly the kept text');
    assert.match(r.note ?? '', /stopped this answer at 1,000,000 characters/);
    assert.equal(r.error, undefined);
    const last = r.newMessages.at(-1)!;
    assert.equal(last.role, 'assistant');
    assert.equal((last.content as string).length, MAX_CONTENT_CHARS, 'the history keeps the capped text');
    // The response was closed (an endless server only stops then): it sent the limit plus what the loopback
    // socket buffers held in flight (~3-4 MB here), not more.
    assert.ok(sent >= MAX_CONTENT_CHARS && sent < IN_FLIGHT, `server sent ${sent} characters`);
    // The strings of a 1M-character answer, not a growing buffer (a loose bound: GC timing varies).
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grown < 64 * 1024 * 1024, `heap grew ${grown} bytes`);
  });

  it('Stop still stops an endless answer before the limit, without the note', async () => {
    const closed = endless();
    const ctl = new AbortController();
    let seen = 0;
    const t = turn({ signal: ctl.signal }, (s) => {
      seen += s.length;
      if (seen >= 200_000) ctl.abort();
    });
    const r = await t.run;
    const sent = await closed;
    assert.equal(r.status, 'stopped');
    assert.ok(r.content.length >= 200_000 && r.content.length < MAX_CONTENT_CHARS, `kept ${r.content.length}`);
    assert.equal(r.note, undefined);
    assert.ok(sent < IN_FLIGHT, `server sent ${sent} characters`);
  });

  it('bounds endless reasoning the same way', async () => {
    const closed = endless('reasoning');
    const t = turn();
    const r = await t.run;
    await closed;
    assert.equal(r.status, 'stopped');
    assert.equal(r.reasoning.length, MAX_CONTENT_CHARS);
    assert.equal(t.reasoningShown(), MAX_CONTENT_CHARS);
    assert.match(r.note ?? '', /its reasoning passed 1,000,000 characters/);
  });

  it('bounds endless tool-call arguments, and the unfinished call is not run', async () => {
    const closed = endless('tool');
    let ran = 0;
    const tools: ToolExecutor = {
      definitions: () => [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
      execute: () => {
        ran++;
        return Promise.resolve({ content: 'x', summary: 'x', isError: false });
      },
    };
    const r = await turn({ tools }).run;
    const sent = await closed;
    assert.equal(r.status, 'stopped');
    assert.match(r.note ?? '', /its tool call arguments passed 1,000,000 characters/);
    assert.equal(ran, 0);
    assert.deepEqual(r.toolCalls, []);
    assert.ok(sent < IN_FLIGHT, `server sent ${sent} characters`);
  });

  it('counts the limit over all rounds and never splits a character (non-streamed answer)', async () => {
    server.enqueue(replies.stream(['ab', '😀', 'cd']));
    const r = await turn({ stream: false, maxAnswerChars: 3 }).run;
    assert.equal(r.status, 'stopped');
    assert.equal(r.content, 'ab', 'the emoji would be cut in half, so it is left out');
    assert.deepEqual(r.newMessages, [{ role: 'assistant', content: 'ab' }]);
    assert.match(r.note ?? '', /at 3 characters/);
  });
});
