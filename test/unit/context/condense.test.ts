import * as assert from 'node:assert/strict';
import {
  chooseCondenseRange,
  chunkBudget,
  condenseMessages,
  isSummaryRecord,
  KEEP_SHARE,
  transcriptChunks,
  withSummary,
} from '../../../src/context/condense';
import { cutNote, shortenText } from '../../../src/context/shorten';
import { TokenCounter } from '../../../src/context/counter';
import { buildTurn, charCounter, SYSTEM, type TurnSpec } from './chats';

const spec = (over: Partial<TurnSpec> = {}): TurnSpec => ({
  userChars: 400,
  attachChars: 0,
  rounds: [],
  answerChars: 800,
  ...over,
});

describe('context: condensing the older part of a chat', () => {
  it('covers everything before the newest turns that use at most 40% of the budget', () => {
    const c = charCounter();
    const turns = Array.from({ length: 20 }, (_, i) => buildTurn(spec(), c, i < 19));
    const limit = 4000;
    const range = chooseCondenseRange(turns, c, limit)!;
    const keptTokens = turns
      .slice(range.throughTurn + 1)
      .reduce((n, t) => n + t.messages.reduce((m, x) => m + c.message(x), 0), 0);
    assert.ok(keptTokens <= limit * KEEP_SHARE + 400, String(keptTokens));
    assert.ok(range.throughTurn >= 10 && range.throughTurn < 19);
    assert.equal(range.throughId, turns[range.throughTurn].ids.at(-1));
    assert.equal(range.coveredCount, (range.throughTurn + 1) * 2);
    assert.equal(chooseCondenseRange(turns.slice(-1), c, limit), undefined, 'a single turn has nothing older');
  });

  it('keeps at least the newest turn even when it alone is over the share', () => {
    const c = charCounter();
    const turns = [buildTurn(spec(), c), buildTurn(spec(), c), buildTurn(spec({ userChars: 30_000 }), c, false)];
    assert.equal(chooseCondenseRange(turns, c, 4000)!.throughTurn, 1);
  });

  it('splits a long transcript into pieces that fit, shortening tool results and oversized messages', () => {
    const c = charCounter();
    const turns = Array.from({ length: 12 }, () => buildTurn(spec({ rounds: [[20_000]], answerChars: 3000 }), c));
    const chunks = transcriptChunks(turns, c, 1500);
    assert.ok(chunks.length > 3);
    for (const ch of chunks) assert.ok(c.text(ch) <= 1500 + 4, String(c.text(ch)));
    const all = chunks.join('\n');
    assert.match(all, /^User: /);
    assert.match(all, /Assistant: \(called read_file with \{"path":"src\/f0\.ts"\}\)/);
    assert.match(all, /Tool result: [\s\S]*characters were cut here/);
    const huge = transcriptChunks([buildTurn(spec({ userChars: 30_000 }), c)], c, 1000);
    assert.ok(huge.every((ch) => c.text(ch) <= 1004));
  });

  it('the request folds the summary so far into the next piece', () => {
    const first = condenseMessages(undefined, 'User: hi');
    assert.deepEqual(
      first.map((m) => m.role),
      ['system', 'user'],
    );
    assert.match(first[1].content!, /^The conversation:\n\nUser: hi\n\nWrite the summary/);
    const next = condenseMessages('- they said hi', 'User: bye');
    assert.match(
      next[1].content!,
      /^The summary of the conversation before this part:\n\n- they said hi\n\nThe next part of the conversation:\n\nUser: bye/,
    );
    const c = new TokenCounter();
    assert.ok(chunkBudget(8192 - 1024, c) > 5000);
    assert.equal(chunkBudget(1000, c), 256, 'never below a useful piece');
  });

  it('the summary goes into the one system message, and saved records are checked', () => {
    const merged = withSummary(SYSTEM, '  - Decided to use undici.  ');
    assert.equal(merged.role, 'system');
    assert.match(
      merged.content!,
      /^You are Bud[^]*\n\nSummary of the earlier part of this conversation[^]*:\n\n- Decided to use undici\.$/,
    );
    assert.equal(isSummaryRecord({ id: 's', text: 'x', throughId: 'a1', coveredCount: 2, createdAt: 1 }), true);
    for (const bad of [
      null,
      {},
      { id: 's', text: ' ', throughId: 'a', coveredCount: 1, createdAt: 1 },
      { id: 's', text: 'x', throughId: 5, coveredCount: 1, createdAt: 1 },
    ])
      assert.equal(isSummaryRecord(bad), false);
  });
});

describe('context: head and tail shortening', () => {
  it('keeps the start and the end and says how much was cut', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const count = (s: string) => Math.ceil(s.length / 4);
    const out = shortenText(text, 200, count);
    assert.ok(out.startsWith('line 0\nline 1\n'));
    assert.ok(out.endsWith('line 1998\nline 1999'));
    const cut = /\[… ([\d,]+) of ([\d,]+) characters were cut here/.exec(out)!;
    assert.equal(Number(cut[2].replace(/,/g, '')), text.length);
    assert.equal(
      out.length,
      text.length - Number(cut[1].replace(/,/g, '')) + cutNote(Number(cut[1].replace(/,/g, '')), text.length).length,
    );
    assert.ok(count(out) - count(cutNote(1, 1)) <= 205);
    assert.equal(shortenText('short', 200, count), 'short');
  });

  it('never splits a surrogate pair, with the real tokenizer', () => {
    const c = new TokenCounter();
    const text = '👋🎉'.repeat(5000);
    const out = shortenText(text, 100, (s) => c.text(s));
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(out), 'no lone surrogate');
    assert.ok(c.text(out) < 200);
  });
});
