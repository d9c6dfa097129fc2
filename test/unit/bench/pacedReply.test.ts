// The test server's paced reply (used by the whole-browser benchmark): text streamed like a model generates it.
import * as assert from 'node:assert/strict';
import { replies, startTestServer, type TestServer } from '../../../scripts/server/openai-server';

async function post(api: TestServer, signal?: AbortSignal): Promise<string> {
  const res = await fetch(`${api.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    signal,
  });
  return res.text();
}

const contents = (sse: string) =>
  sse
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map((e) => (JSON.parse(e.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta?.content)
    .filter((c): c is string => typeof c === 'string' && c !== '');

describe('test server: paced reply', () => {
  let api: TestServer;
  beforeEach(async () => (api = await startTestServer()));
  afterEach(() => api.close());

  it('sends one event per token at the given rate, and reports the first text and the progress', async () => {
    const text = 'abcdefghij'.repeat(40); // 100 tokens of 4 characters
    const progress: [number, number][] = [];
    let first = NaN;
    api.enqueue(
      replies.paced(text, {
        tokensPerSecond: 1000,
        onFirstText: (t) => (first = t),
        onProgress: (t, c) => progress.push([t, c]),
      }),
    );
    const t0 = performance.timeOrigin + performance.now();
    const sse = await post(api);
    const pieces = contents(sse);
    assert.equal(pieces.join(''), text);
    assert.equal(pieces.length, 100);
    assert.ok(pieces.every((p) => p.length === 4));
    assert.ok(sse.endsWith('data: [DONE]\n\n'));
    assert.ok(first >= t0 && first <= progress[0][0]);
    assert.equal(progress[progress.length - 1][1], text.length);
    assert.ok(progress.length > 3, 'written over time, not at once');
    assert.ok(progress[progress.length - 1][0] - t0 >= 90, 'about 100 ms for 100 tokens at 1,000 tokens/s');
    assert.ok(api.requests[0].receivedAt! >= t0);
  });

  it('wholeAtEnd holds the text back (keep-alive comments meanwhile) and sends it in one event', async () => {
    const text = 'x'.repeat(200);
    const progress: number[] = [];
    api.enqueue(
      replies.paced(text, { tokensPerSecond: 1000, wholeAtEnd: true, onProgress: (_t, c) => progress.push(c) }),
    );
    const sse = await post(api);
    assert.deepEqual(contents(sse), [text]);
    assert.ok(sse.includes(': keep-alive'));
    assert.equal(progress[progress.length - 1], text.length);
    assert.ok(progress.slice(0, -1).every((c) => c === 0));
  });

  it('stops when its signal aborts', async () => {
    const cut = new AbortController();
    api.enqueue(replies.paced('y'.repeat(40_000), { tokensPerSecond: 100, signal: cut.signal }));
    setTimeout(() => cut.abort(), 50);
    await assert.rejects(post(api));
  });

  it('stops at once when its signal fired before the request arrived', async () => {
    const cut = new AbortController();
    api.enqueue(replies.paced('y'.repeat(40_000), { tokensPerSecond: 100, signal: cut.signal }));
    cut.abort();
    await assert.rejects(post(api));
  });
});
