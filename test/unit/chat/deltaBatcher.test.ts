// The host-side delta batcher: what the webview receives while an answer streams.
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDeltaBatcher, clampInterval, type DeltaBatcherTimers } from '../../../src/chat/deltaBatcher';

/** A fake clock: timers fire only when the test advances time. */
function fakeTimers(): DeltaBatcherTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      due.delete(h as number);
    },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const e of due) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
    pending: () => due.size,
  };
}

function tokens(n: number): string[] {
  const words = [
    'The ',
    'quick ',
    'brown ',
    'fox ',
    '`code` ',
    '\n\n',
    '- item\n',
    '```ts\n',
    'const x = 1;\n',
    '```\n',
    '😀 ',
    'é',
  ];
  return Array.from({ length: n }, (_, i) => words[(i * 7) % words.length]);
}

describe('deltaBatcher', () => {
  it('clamps the interval to 16–2000 ms, default 32', () => {
    assert.equal(clampInterval(undefined), 32);
    assert.equal(clampInterval(1), 16);
    assert.equal(clampInterval(10_000), 2000);
    assert.equal(clampInterval(20), 20);
    assert.equal(clampInterval(Number.NaN), 32);
  });

  it('posts exactly the pushed text, in order, at most one post per interval', () => {
    const t = fakeTimers();
    const posts: { at: number; text: string }[] = [];
    const b = createDeltaBatcher({ intervalMs: 32, post: (text) => posts.push({ at: t.now(), text }), timers: t });
    const all = tokens(5000);
    // a token every 0.5 ms (2,000 tokens/s), with bursts
    for (let i = 0; i < all.length; i++) {
      b.push(all[i]);
      t.advance(i % 100 < 50 ? 0 : 1);
    }
    b.flush();
    const final = all.join('');
    const posted = posts.map((p) => p.text).join('');
    assert.equal(posted, final, 'the webview can rebuild the exact answer');
    const bytes = posts.reduce((n, p) => n + Buffer.byteLength(p.text), 0);
    assert.ok(bytes <= 1.1 * Buffer.byteLength(final), `posted ${bytes} bytes for ${Buffer.byteLength(final)}`);
    for (let i = 1; i < posts.length - 1; i++) {
      assert.ok(
        posts[i].at - posts[i - 1].at >= 32,
        `posts ${i - 1} and ${i} are ${posts[i].at - posts[i - 1].at} ms apart`,
      );
    }
    assert.ok(posts.length <= Math.ceil(t.now() / 32) + 2, `${posts.length} posts in ${t.now()} ms`);
    assert.ok(posts.length > 10, 'text is posted while it streams, not only at the end');
  });

  it('posts the first text after a quiet spell at once, and what follows after the interval', () => {
    const t = fakeTimers();
    const posts: { at: number; text: string }[] = [];
    const b = createDeltaBatcher({ intervalMs: 100, post: (text) => posts.push({ at: t.now(), text }), timers: t });
    b.push('Hel');
    assert.deepEqual(posts, [{ at: 0, text: 'Hel' }], 'the first text of an answer is posted synchronously');
    b.push('lo');
    t.advance(99);
    assert.equal(posts.length, 1);
    t.advance(1);
    assert.deepEqual(posts[1], { at: 100, text: 'lo' });
    t.advance(1000);
    b.push(' again');
    assert.deepEqual(posts[2], { at: 1100, text: ' again' }, 'after a quiet spell, at once again');
  });

  it('reads a changing interval at every post; repace() applies a new one to text already waiting', () => {
    const t = fakeTimers();
    const posts: { at: number; text: string }[] = [];
    let interval = 500;
    const b = createDeltaBatcher({
      intervalMs: () => interval,
      post: (text) => posts.push({ at: t.now(), text }),
      timers: t,
    });
    b.push('a'); // at 0, at once
    b.push('b'); // due at 500
    t.advance(200);
    interval = 100;
    b.repace(); // now overdue: at once
    assert.deepEqual(posts, [
      { at: 0, text: 'a' },
      { at: 200, text: 'b' },
    ]);
    b.push('c'); // due at 300
    interval = 2000;
    b.repace(); // due at 2200 now
    t.advance(1000);
    assert.equal(posts.length, 2);
    t.advance(1000);
    assert.deepEqual(posts[2], { at: 2200, text: 'c' });
    b.repace(); // nothing waiting: no-op
    assert.equal(t.pending(), 0);
  });

  it('flush posts what is queued at once and leaves no timer behind', () => {
    const t = fakeTimers();
    const posts: string[] = [];
    const b = createDeltaBatcher({ intervalMs: 50, post: (text) => posts.push(text), timers: t });
    b.push('a');
    b.push('b');
    b.push('c');
    b.flush();
    assert.deepEqual(posts, ['a', 'bc']);
    assert.equal(t.pending(), 0);
    b.flush();
    assert.deepEqual(posts, ['a', 'bc'], 'an empty flush posts nothing');
  });

  it('dispose drops queued text and ignores later pushes', () => {
    const t = fakeTimers();
    const posts: string[] = [];
    const b = createDeltaBatcher({ post: (text) => posts.push(text), timers: t });
    b.push('x');
    b.push('y');
    b.dispose();
    b.push('z');
    t.advance(100);
    b.flush();
    assert.deepEqual(posts, ['x'], 'only the first text, posted at once, went out');
    assert.equal(t.pending(), 0);
  });

  it('works with real timers: all text arrives, fewer posts than pushes', async () => {
    const posts: string[] = [];
    const b = createDeltaBatcher({ intervalMs: 16, post: (text) => posts.push(text) });
    const all = tokens(300);
    for (let i = 0; i < all.length; i++) {
      b.push(all[i]);
      if (i % 30 === 0) await sleep(5);
    }
    b.flush();
    assert.equal(posts.join(''), all.join(''));
    assert.ok(posts.length < all.length / 5, `${posts.length} posts for ${all.length} pushes`);
  });
});
