import * as assert from 'node:assert/strict';
import {
  answerReserve,
  DEFAULT_WINDOW,
  LearnedWindows,
  resolveWindow,
  RESERVE_MAX,
  RESERVE_MIN,
  windowFromSetting,
  windowKey,
} from '../../../src/context/windows';

describe('context: the window of a model and the answer reserve', () => {
  const base = 'http://127.0.0.1:8000';

  it('order of trust: learned, then the setting, then the server, then the default', () => {
    const learned = new LearnedWindows();
    const metadata = { contextWindow: 32768, contextField: 'max_model_len' };
    const setting = { m: 16384 };
    assert.deepEqual(
      [resolveWindow({ baseUrl: base, model: 'm' }).tokens, resolveWindow({ baseUrl: base, model: 'm' }).source],
      [DEFAULT_WINDOW, 'default'],
    );
    assert.equal(resolveWindow({ baseUrl: base, model: 'm', metadata }).source, 'server');
    assert.match(resolveWindow({ baseUrl: base, model: 'm', metadata }).detail, /max_model_len: 32,768 tokens/);
    const s = resolveWindow({ baseUrl: base, model: 'm', metadata, setting });
    assert.deepEqual([s.tokens, s.source], [16384, 'setting']);
    learned.learn(base, 'm', 4096, 1);
    const l = resolveWindow({ baseUrl: base, model: 'm', metadata, setting, learned });
    assert.deepEqual([l.tokens, l.source], [4096, 'learned']);
    assert.match(l.detail, /said its limit is 4,096 tokens/);
    // Another model at the same URL is not affected.
    assert.equal(resolveWindow({ baseUrl: base, model: 'other', learned }).source, 'default');
  });

  it('the setting: exact id, then a case-insensitive id, then "*"; one number for all; junk ignored', () => {
    assert.equal(windowFromSetting({ 'Qwen/Qwen3-8B': 40960, '*': 16384 }, 'Qwen/Qwen3-8B'), 40960);
    assert.equal(windowFromSetting({ 'qwen/qwen3-8b': 40960, '*': 16384 }, 'Qwen/Qwen3-8B'), 40960);
    assert.equal(windowFromSetting({ 'Qwen/Qwen3-8B': 40960, '*': 16384 }, 'llama'), 16384);
    assert.equal(windowFromSetting(65536, 'anything'), 65536);
    assert.equal(windowFromSetting({ m: 'big', '*': 100 }, 'm'), undefined);
    assert.equal(windowFromSetting({}, 'm'), undefined);
    assert.equal(windowFromSetting(undefined, 'm'), undefined);
  });

  it('learned windows are keyed by the normalised base URL and survive serialisation', () => {
    assert.equal(windowKey('http://127.0.0.1:8000', 'm'), windowKey('http://127.0.0.1:8000/v1/', 'm'));
    assert.equal(windowKey('HTTP://Example.com/v1/chat/completions', 'm'), windowKey('http://example.com', 'm'));
    const a = new LearnedWindows();
    assert.equal(a.learn('http://h:1/v1', 'm', 4096, 10), true);
    assert.equal(a.learn('http://h:1', 'm', 4096, 11), false, 'the same limit twice is not new');
    a.learn('http://h:1', 'n', 100, 12, true);
    const b = new LearnedWindows(JSON.parse(JSON.stringify(a)));
    assert.deepEqual(b.get('http://h:1/', 'm'), { tokens: 4096, at: 10 });
    assert.deepEqual(b.get('http://h:1', 'n'), { tokens: 512, at: 12, estimated: true }, 'never below the minimum');
    b.forget('http://h:1', 'm');
    assert.equal(b.get('http://h:1', 'm'), undefined);
    assert.ok(b.get('http://h:1', 'n'));
    b.forget('http://h:1');
    assert.equal(b.get('http://h:1', 'n'), undefined);
  });

  it('loading ignores old or damaged data entry by entry', () => {
    const w = new LearnedWindows({
      version: 1,
      entries: {
        'http://a/v1\nm': { tokens: 8192, at: 1 },
        bad: { tokens: 4096 },
        'http://a/v1\nn': { tokens: 'x' },
        'http://a/v1\no': null,
      },
    });
    assert.equal(w.get('http://a', 'm')?.tokens, 8192);
    assert.deepEqual(Object.keys(w.toJSON().entries), ['http://a/v1\nm']);
    assert.doesNotThrow(() => new LearnedWindows('garbage'));
    assert.doesNotThrow(() => new LearnedWindows({ entries: 5 }));
  });

  it('the reserve: bud.maxTokens when set (at most half the window), else 20% clamped and capped by the server', () => {
    const w = (tokens: number, maxOutputTokens?: number) => ({
      tokens,
      source: 'server' as const,
      detail: '',
      ...(maxOutputTokens ? { maxOutputTokens } : {}),
    });
    assert.deepEqual(answerReserve(w(32768), 2000), {
      tokens: 2000,
      rule: 'bud.maxTokens (2,000 tokens)',
      maxTokens: 2000,
    });
    const lowered = answerReserve(w(4096), 8000);
    assert.deepEqual([lowered.tokens, lowered.maxTokens], [2048, 2048]);
    assert.match(lowered.rule, /lowered to half the window/);
    assert.equal(answerReserve(w(4096)).tokens, 819);
    assert.equal(answerReserve(w(4096)).maxTokens, undefined, 'no max_tokens is sent when the user set none');
    assert.equal(answerReserve(w(1000)).tokens, RESERVE_MIN);
    assert.equal(answerReserve(w(500)).tokens, 250, 'never more than half the window');
    assert.equal(answerReserve(w(200000)).tokens, RESERVE_MAX);
    assert.equal(answerReserve(w(200000, 4096)).tokens, 4096);
  });
});
