import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeltaSink } from '../../../src/chat/deltaSink';
import { DeltaPacing, PACE_MS } from '../../../src/chat/deltaPacing';

describe('answer delta sink (host side of the delta batcher)', () => {
  it('posts the first text at once, then coalesces the pieces of one interval into one message, text and reasoning apart', async () => {
    const posts: [string, string][] = [];
    const sink = createDeltaSink((t, r) => posts.push([t, r]));
    for (let i = 0; i < 100; i++) sink.push('ab');
    sink.push('', 'think');
    sink.push('', 'ing');
    assert.deepEqual(posts, [
      ['ab', ''],
      ['', 'think'],
    ]);
    await sleep(PACE_MS.reading + 40);
    assert.deepEqual(posts.slice(2).sort(), [
      ['', 'ing'],
      ['ab'.repeat(99), ''],
    ]);
    sink.dispose();
  });

  it('follows the pacing: slower when the user scrolled away or the view is hidden, at once when back', () => {
    let now = 0;
    const due: { at: number; fn: () => void }[] = [];
    const timers = {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const d = { at: now + ms, fn };
        due.push(d);
        return d;
      },
      clearTimeout: (h: unknown) => {
        if (due.includes(h as (typeof due)[number])) due.splice(due.indexOf(h as (typeof due)[number]), 1);
      },
    };
    const advance = (ms: number) => {
      const end = now + ms;
      for (;;) {
        const next = due.filter((d) => d.at <= end).sort((x, y) => x.at - y.at)[0];
        if (!next) break;
        due.splice(due.indexOf(next), 1);
        now = next.at;
        next.fn();
      }
      now = end;
    };
    const pacing = new DeltaPacing();
    const posts: [number, string][] = [];
    const sink = createDeltaSink((t) => posts.push([now, t]), pacing, timers);
    sink.push('a');
    pacing.setFollowing(false);
    sink.push('b');
    advance(PACE_MS.reading + 50);
    assert.deepEqual(posts, [[0, 'a']], 'off screen: the reading pace no longer applies');
    pacing.setFollowing(true);
    assert.deepEqual(posts[1], [150, 'b'], 'back at the end: the waiting text is posted at once');
    pacing.setVisible(false);
    sink.push('c');
    advance(PACE_MS.offScreen);
    assert.equal(posts.length, 2, 'hidden: slower still');
    advance(PACE_MS.hidden);
    assert.deepEqual(posts[2], [150 + PACE_MS.hidden, 'c']);
    sink.dispose();
    pacing.setVisible(true); // a disposed sink no longer listens
    assert.equal(posts.length, 3);
  });

  it('flush() posts at once; nothing is posted twice or after dispose', async () => {
    const posts: string[] = [];
    const sink = createDeltaSink((t) => posts.push(t));
    sink.push('x');
    sink.push('y');
    sink.flush();
    sink.flush();
    assert.deepEqual(posts, ['x', 'y']);
    sink.push('z');
    sink.dispose();
    await sleep(PACE_MS.reading + 40);
    assert.deepEqual(posts, ['x', 'y'], 'text still waiting at dispose is dropped');
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
