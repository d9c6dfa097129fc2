import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocateBudget, fitText, splitLines } from '../../../src/attachments/fitText';

/** A stand-in tokenizer: one token per word or punctuation run (good enough to check the bookkeeping). */
const words = (s: string) => (s.match(/[A-Za-z0-9_]+|[^\sA-Za-z0-9_]+/g) ?? []).length;
const budgetOpts = { interruptAfterTimeLimit: 3000, numRuns: 200 };

const file = (n: number) => Array.from({ length: n }, (_, i) => `const line${i + 1} = ${i + 1};`).join('\n') + '\n';

describe('fitting an attachment into its budget', () => {
  it('a file that fits goes whole, without a note', () => {
    const r = fitText(file(10), { budget: 1000, count: words, name: 'a.ts' });
    assert.equal(r.whole, true);
    assert.equal(r.text, file(10));
    assert.equal(r.note, undefined);
    assert.deepEqual(r.kept, [[1, 10]]);
  });

  it('a file too large goes as outline + head + tail, with marker lines and a note that says so', () => {
    const outline = 'function main (lines 1–400)\n  const x (lines 2–2)';
    const r = fitText(file(1000), { budget: 600, count: words, name: 'src/big.ts', outline });
    assert.equal(r.whole, false);
    assert.ok(words(r.text) <= 600, `${words(r.text)} tokens`);
    assert.match(r.text, /^Outline:\nfunction main \(lines 1–400\)\n {2}const x/);
    assert.match(r.text, /\nLines 1–\d+:\nconst line1 = 1;/);
    assert.match(r.text, /\n\[… lines \d+–\d+ are left out …\]\n/);
    assert.match(r.text, /\nLines \d+–1,000:\n[\s\S]*const line1000 = 1000;$/);
    assert.equal(r.totalLines, 1000);
    assert.equal(r.kept.length, 2);
    assert.ok(r.kept[0][1] > 1000 - r.kept[1][0] + 1, 'the head is longer than the tail');
    assert.match(
      r.note ?? '',
      /^src\/big\.ts has 1,000 lines, more than the 600 tokens it may use in this message, so only its outline, lines 1–\d+ and lines [\d,]+–1,000 are sent\.$/,
    );
  });

  it('without an outline (no language support) it still sends head and tail', () => {
    const r = fitText(file(500), { budget: 300, count: words, name: 'x.txt' });
    assert.ok(!r.text.includes('Outline:'));
    assert.match(r.note ?? '', /only lines 1–\d+ and lines \d+–500 are sent/);
  });

  it('terminal output keeps its end only', () => {
    const r = fitText(file(500), { budget: 200, count: words, name: 'The output', keep: 'tail' });
    assert.equal(r.kept.length, 1);
    assert.equal(r.kept[0][1], 500);
    assert.match(r.text, /^\[… lines 1–\d+ are left out …\]\nLines \d+–500:/);
  });

  it('one enormous line is cut, not dropped', () => {
    const r = fitText('x '.repeat(5000), { budget: 100, count: words, name: 'min.js' });
    assert.ok(words(r.text) <= 100);
    assert.match(r.text, /^Lines 1–1 \(cut\):\nx x x/);
  });

  it('property: the result fits the budget and keeps input lines in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z ;{}()=]{0,30}$/), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 20, max: 400 }),
        fc.option(fc.stringMatching(/^[a-z ]{1,20}(\n[a-z ]{1,20}){0,20}$/), { nil: undefined }),
        (lines, budget, outline) => {
          const text = lines.join('\n');
          const r = fitText(text, { budget, count: words, name: 'f', outline });
          assert.ok(words(r.text) <= budget, `${words(r.text)} > ${budget}`);
          const input = splitLines(text);
          for (const [a, b] of r.kept) {
            assert.ok(a >= 1 && b <= input.length && a <= b);
          }
          for (let k = 1; k < r.kept.length; k++) assert.ok(r.kept[k][0] > r.kept[k - 1][1]);
          if (!r.whole) assert.ok(r.note);
        },
      ),
      budgetOpts,
    );
  });

  it('splits a budget: small needs are met, the rest share equally, never more than the total', () => {
    assert.deepEqual(allocateBudget([100, 5000, 200], 3000), [100, 2700, 200]);
    assert.deepEqual(allocateBudget([4000, 4000], 3000), [1500, 1500]);
    assert.deepEqual(allocateBudget([], 3000), []);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 20_000 }),
        (needs, total) => {
          const out = allocateBudget(needs, total);
          assert.ok(out.reduce((a, b) => a + b, 0) <= total);
          out.forEach((o, i) => assert.ok(o <= needs[i] && o >= 0));
          if (needs.reduce((a, b) => a + b, 0) <= total) assert.deepEqual(out, needs);
        },
      ),
      budgetOpts,
    );
  });
});

describe('fitting a file too big to read whole', () => {
  it('numbers the tail after the lines that were not read', () => {
    const head = Array.from({ length: 50 }, (_, i) => `h${i + 1}`);
    const tail = Array.from({ length: 50 }, (_, i) => `t${i + 1}`);
    const r = fitText([...head, ...tail].join('\n'), {
      budget: 60,
      count: words,
      name: 'huge.log',
      gap: { after: 50, lines: 1_000_000 },
    });
    assert.equal(r.totalLines, 1_000_100);
    assert.equal(r.kept[0][0], 1);
    assert.equal(r.kept[1][1], 1_000_100);
    assert.match(r.text, /\nLines [\d,]+–1,000,100:\n/);
    assert.ok(r.text.endsWith('t50'));
    assert.ok(!r.text.includes('h50\nt'), 'head and tail are apart');
  });
});
