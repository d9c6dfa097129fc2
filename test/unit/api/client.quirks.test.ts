// Every SSE quirk of real servers, as exact bytes from the local test server, through the real client.
import * as assert from 'node:assert/strict';
import { replies, sseQuirks } from '../../../scripts/server/openai-server';
import { collect, useServer } from './helpers';

describe('BudClient streaming: server quirks (exact bytes)', () => {
  const ctx = useServer();

  for (const q of sseQuirks) {
    it(q.name, async () => {
      ctx.server.enqueue(replies.raw(q.parts));
      const r = await collect(ctx.client);
      if (q.expect.error) {
        assert.ok(r.error, 'the stream should fail');
        assert.equal(r.error.kind, q.expect.error);
        assert.equal(r.error.partialContent ?? '', q.expect.content, 'the partial answer is kept on the error');
        assert.equal(r.acc.content, q.expect.content);
      } else {
        assert.equal(r.error, undefined, r.error && r.error.message);
        assert.equal(r.acc.content, q.expect.content);
      }
      assert.equal(r.acc.reasoning, q.expect.reasoning ?? '');
      assert.equal(r.acc.refusal, q.expect.refusal ?? '');
      if (q.expect.usage) assert.deepEqual(r.acc.usage, q.expect.usage);
      if (q.expect.finishReason !== undefined) assert.equal(r.acc.finishReason, q.expect.finishReason);
    });
  }

  it('a stream error carries the server message', async () => {
    ctx.server.enqueue(replies.streamError('Upstream model crashed', ['Half an ', 'answer']));
    const r = await collect(ctx.client);
    assert.equal(r.error?.kind, 'streamError');
    assert.equal(r.error?.serverMessage, 'Upstream model crashed');
    assert.match(r.error.message, /Upstream model crashed/);
    assert.match(r.error.message, /partial answer was kept/);
    assert.equal(r.error?.partialContent, 'Half an answer');
  });

  it('an invalid JSON chunk ends the stream with a clear error and keeps the text', async () => {
    ctx.server.enqueue(replies.invalidJsonChunk(['Hello', ' wor']));
    const r = await collect(ctx.client);
    assert.equal(r.error?.kind, 'incomplete');
    assert.match(r.error.message, /not valid JSON/);
    assert.equal(r.error?.partialContent, 'Hello wor');
  });

  it('an empty 200 body is an incomplete response', async () => {
    ctx.server.enqueue(replies.emptyBody());
    const r = await collect(ctx.client);
    assert.equal(r.error?.kind, 'incomplete');
    assert.match(r.error.message, /before any answer arrived/);
    assert.equal(r.error?.partialContent, undefined);
  });

  it('a server that ignores stream:true and sends one JSON completion still yields the answer', async () => {
    ctx.server.enqueue(replies.ignoreStream('Whole answer'));
    const r = await collect(ctx.client);
    assert.equal(r.error, undefined);
    assert.equal(r.acc.content, 'Whole answer');
    assert.equal(r.acc.finishReason, 'stop');
    assert.deepEqual(r.acc.usage, { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
  });

  it('reasoning stream from the fixture (reasoning_content and reasoning)', async () => {
    ctx.server.enqueue(
      replies.reasoningStream(['Let me ', 'think.'], ['4'], 'reasoning_content'),
      replies.reasoningStream(['Hm'], ['Yes'], 'reasoning'),
    );
    const a = await collect(ctx.client);
    assert.equal(a.acc.reasoning, 'Let me think.');
    assert.equal(a.acc.content, '4');
    assert.equal(a.acc.message().content, '4');
    const b = await collect(ctx.client);
    assert.equal(b.acc.reasoning, 'Hm');
    assert.equal(b.acc.content, 'Yes');
  });

  it('refusal stream from the fixture', async () => {
    ctx.server.enqueue(replies.refusalStream(['No, ', 'sorry.']));
    const r = await collect(ctx.client);
    assert.equal(r.acc.refusal, 'No, sorry.');
    assert.equal(r.acc.content, '');
    assert.equal(r.acc.message().refusal, 'No, sorry.');
  });
});
