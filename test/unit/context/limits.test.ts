import * as assert from 'node:assert/strict';
import { ContextLimits, type ContextLimitsData } from '../../../src/context/limits';
import { parseContextRefusal } from '../../../src/context/refusal';

describe('context: limits per base URL and model', () => {
  const url = 'http://127.0.0.1:9000/v1';

  it('uses the model list once read, and the setting over it', () => {
    const l = new ContextLimits();
    assert.equal(l.hasModelList(url), false);
    l.setModelList('http://127.0.0.1:9000', [{ id: 'small', max_model_len: 4096 }, { id: 'plain' }, 'junk', null]);
    assert.equal(l.hasModelList(url), true);
    const b = l.budget(url, 'small', {});
    assert.deepEqual(
      [b.window.tokens, b.window.source, b.reserve.tokens, b.scale, b.calibrationSamples],
      [4096, 'server', 819, 1, 0],
    );
    assert.equal(l.budget(url, 'plain', {}).window.source, 'default');
    assert.equal(l.budget(url, 'small', { contextWindow: { small: 2048 } }).window.tokens, 2048);
    assert.equal(l.budget(url, 'small', { maxTokens: 500 }).reserve.maxTokens, 500);
    l.forgetModelLists();
    assert.equal(l.hasModelList(url), false);
  });

  it('a refusal teaches the window and the calibration, persisted, and a repeat teaches nothing', () => {
    const saved: ContextLimitsData[] = [];
    const l = new ContextLimits({ save: (d) => saved.push(d), now: () => 42 });
    const refusal = parseContextRefusal(
      400,
      '{"object":"error","message":"This model\'s maximum context length is 4096 tokens. However, you requested 5200 tokens in the messages, Please reduce the length of the messages.","type":"BadRequestError","param":null,"code":400}',
    )!;
    const first = l.learnRefusal(url, 'm', refusal, { promptTokens: 4000, rawPromptTokens: 4000 });
    assert.deepEqual(first, { window: 4096, estimated: false, changed: true });
    const b = l.budget(url, 'm', { contextWindow: 100000 });
    assert.deepEqual([b.window.tokens, b.window.source], [4096, 'learned']);
    assert.equal(b.scale, 1.3, 'the server counted 5,200 where Bud counted 4,000');
    assert.equal(l.learnRefusal(url, 'm', refusal, { promptTokens: 5200, rawPromptTokens: 4000 }).changed, false);
    // A reload keeps both.
    const again = new ContextLimits({ data: JSON.parse(JSON.stringify(saved.at(-1))) });
    assert.deepEqual([again.budget(url, 'm', {}).window.tokens, again.budget(url, 'm', {}).scale], [4096, 1.3]);
    // Changing the setting forgets learned windows (the calibration stays).
    again.settingsChanged();
    assert.equal(again.budget(url, 'm', {}).window.source, 'default');
    assert.equal(again.budget(url, 'm', {}).scale, 1.3);
  });

  it('usage after an answer calibrates; a broken save never breaks a request', () => {
    const l = new ContextLimits({
      save: () => {
        throw new Error('disk full');
      },
    });
    l.observeUsage(url, 'm', 1000, 1300);
    l.observeUsage(url, 'm', 1000, undefined);
    assert.equal(l.budget(url, 'm', {}).scale, 1.3);
    assert.doesNotThrow(() => new ContextLimits({ data: { learned: 'x', calibration: [1] } }));
  });
});
