import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeltaSink, DELTA_INTERVAL_MS } from '../../../src/chat/deltaSink';

describe('answer delta sink (host side of the delta batcher)', () => {
  it('coalesces the pieces of one interval into one message, text and reasoning apart', async () => {
    const posts: [string, string][] = [];
    const sink = createDeltaSink((t, r) => posts.push([t, r]));
    for (let i = 0; i < 100; i++) sink.push('ab');
    sink.push('', 'think');
    assert.deepEqual(posts, [], 'nothing posted synchronously');
    await sleep(DELTA_INTERVAL_MS + 40);
    assert.deepEqual(posts.sort(), [
      ['', 'think'],
      ['ab'.repeat(100), ''],
    ]);
    sink.dispose();
  });

  it('flush() posts at once; nothing is posted twice or after dispose', async () => {
    const posts: string[] = [];
    const sink = createDeltaSink((t) => posts.push(t));
    sink.push('x');
    sink.flush();
    sink.flush();
    assert.deepEqual(posts, ['x']);
    sink.push('y');
    sink.dispose();
    await sleep(DELTA_INTERVAL_MS + 40);
    assert.deepEqual(posts, ['x']);
  });

  it('the bytes posted stay close to the answer: one envelope per interval, not per token', async () => {
    const posts: string[] = [];
    const sink = createDeltaSink((t) => posts.push(JSON.stringify({ type: 'answerDelta', id: 'm-123', text: t })));
    const text = 'token '.repeat(2000);
    for (let i = 0; i < text.length; i += 6) {
      sink.push(text.slice(i, i + 6));
      if (i % 600 === 0) await sleep(5);
    }
    sink.flush();
    const bytes = posts.reduce((n, p) => n + p.length, 0);
    assert.ok(bytes <= text.length * 1.1, `${bytes} bytes posted for ${text.length} characters`);
    sink.dispose();
  });
});
