import * as assert from 'node:assert/strict';
import type { ChatMessage, FunctionTool } from '../../../src/api/types';
import {
  Calibration,
  MESSAGE_OVERHEAD,
  NAME_OVERHEAD,
  REPLY_PRIMING,
  TOOL_CALL_OVERHEAD,
  TOOLS_OVERHEAD,
  TokenCounter,
} from '../../../src/context/counter';
import { countInPieces, LONG_RUN_CHARS, tokenizer } from '../../../src/context/tokenizer';
import * as fc from 'fast-check';

/** A tokenizer that counts words and records every text it was asked to count. */
function wordTokenizer() {
  const seen: string[] = [];
  return {
    seen,
    tk: {
      name: 'words',
      count: (t: string) => {
        seen.push(t);
        return t.split(/\s+/).filter(Boolean).length;
      },
    },
  };
}

describe('context: token counting', () => {
  it('o200k counts as OpenAI does, and treats special-token text as plain text', () => {
    const tk = tokenizer();
    assert.equal(tk.name, 'o200k_base');
    assert.equal(tk.count('hello world'), 2);
    assert.equal(tk.count(''), 0);
    assert.ok(tk.count('a <|endoftext|> b') > 3, 'counted, not refused');
  });

  it('adds the Chat Completions overhead per message, name, tool call and tool definitions', () => {
    const { tk } = wordTokenizer();
    const c = new TokenCounter(() => tk);
    assert.equal(c.message({ role: 'user', content: 'one two three' }), MESSAGE_OVERHEAD + 1 + 3);
    assert.equal(c.message({ role: 'user', content: 'hi', name: 'bob' }), MESSAGE_OVERHEAD + 1 + 1 + NAME_OVERHEAD + 1);
    const call: ChatMessage = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path": "a.ts"}' } }],
    };
    assert.equal(c.message(call), MESSAGE_OVERHEAD + 1 + TOOL_CALL_OVERHEAD + 1 + 2);
    assert.equal(c.message({ role: 'tool', tool_call_id: 'c1', content: 'x y' }), MESSAGE_OVERHEAD + 1 + 2 + 1);
    const tools: FunctionTool[] = [
      { type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: {} } },
    ];
    assert.equal(c.tools(tools), TOOLS_OVERHEAD + tk.count(JSON.stringify(tools)));
    assert.equal(c.tools([]), 0);
    assert.equal(
      c.request([{ role: 'user', content: 'a b' }], tools),
      REPLY_PRIMING + c.tools(tools) + MESSAGE_OVERHEAD + 1 + 2,
    );
  });

  it('counts each message once, and system texts once by content', () => {
    const { tk, seen } = wordTokenizer();
    const c = new TokenCounter(() => tk);
    const m: ChatMessage = { role: 'user', content: 'counted once only' };
    for (let i = 0; i < 5; i++) c.message(m);
    assert.equal(seen.filter((s) => s === 'counted once only').length, 1);
    const sys = 'You are Bud. '.repeat(1000);
    for (let i = 0; i < 5; i++) c.message({ role: 'system', content: sys });
    assert.equal(seen.filter((s) => s === sys).length, 1, 'a rebuilt system message is not recounted');
    const tools: FunctionTool[] = [{ type: 'function', function: { name: 'x' } }];
    c.tools(tools);
    c.tools(tools);
    c.tools([...tools]);
    assert.equal(seen.filter((s) => s.includes('"name":"x"')).length, 1);
  });

  it('calibration converges on a server that counts 1.3× the local estimate', () => {
    const cal = new Calibration();
    const key = 'http://x/v1\nm';
    const estimates = [900, 2400, 1500, 3100, 700];
    const errors: number[] = [];
    for (const local of estimates) {
      const server = Math.round(local * 1.3) + 7; // another tokenizer, and a few template tokens
      const predicted = local * cal.factor(key);
      errors.push(Math.abs(predicted - server) / server);
      cal.observe(key, local, server);
    }
    assert.ok(errors[0] > 0.2, 'uncalibrated, the first estimate is far off');
    assert.ok(errors[1] < 0.03, `after one answer: ${errors[1]}`);
    assert.ok(
      errors.slice(2).every((e) => e < 0.03),
      `after two: ${errors.slice(2).join(', ')}`,
    );
    // Survives a reload.
    assert.ok(Math.abs(new Calibration(JSON.parse(JSON.stringify(cal))).factor(key) - cal.factor(key)) < 1e-12);
  });

  it('calibration moves up fast and down slowly, and ignores small or absurd reports', () => {
    const cal = new Calibration();
    const k = 'k';
    assert.equal(cal.observe(k, 10, 30), undefined, 'too small to say anything');
    assert.equal(cal.observe(k, 1000, 10000), undefined, 'a 10× ratio is a misreport');
    assert.equal(cal.observe(k, 1000, 0), undefined);
    assert.equal(cal.factor(k), 1);
    cal.observe(k, 1000, 1000);
    cal.observe(k, 1000, 1500);
    assert.ok(cal.factor(k) >= 1.39, String(cal.factor(k)));
    const up = cal.factor(k);
    cal.observe(k, 1000, 1000);
    assert.ok(cal.factor(k) > up - 0.2 && cal.factor(k) < up, String(cal.factor(k)));
    assert.deepEqual(
      new Calibration({ entries: { a: { factor: 99 }, b: { factor: 'x' }, c: { factor: 1.2, samples: 3 } } }).toJSON()
        .entries,
      { c: { factor: 1.2, samples: 3 } },
    );
  });

  it('text without a long run of non-whitespace is counted whole, exactly as the tokenizer counts it', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 200 }), (words) => {
        const text = words.join(' ');
        const calls: string[] = [];
        const n = countInPieces(text, (p) => {
          calls.push(p);
          return p.length;
        });
        // Words of at most 40 characters never make a long run: one call with the whole text.
        assert.deepEqual(calls, [text]);
        assert.equal(n, text.length);
      }),
    );
  });

  it('a long run without whitespace is counted in slices that cover the text once, pairs never split', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.integer({ min: LONG_RUN_CHARS + 1, max: 6000 }),
        fc.constantFrom('x', 'ab', '\u{1F600}'),
        fc.string({ maxLength: 300 }),
        (before, runChars, unit, after) => {
          const run = unit.repeat(Math.ceil(runChars / unit.length));
          const text = `${before} ${run} ${after}`;
          const pieces: string[] = [];
          countInPieces(text, (p) => {
            pieces.push(p);
            return 0;
          });
          assert.equal(pieces.join(''), text, 'the pieces are the text, in order, once');
          for (const p of pieces) {
            assert.ok(!/^[\uDC00-\uDFFF]/.test(p) && !/[\uD800-\uDBFF]$/.test(p), 'no surrogate pair split');
          }
          assert.ok(pieces.length > 2, 'the run was sliced');
        },
      ),
    );
  });

  it('a 3,000,000-character run (a field made huge, a pasted blob) is counted, close to its size in tokens', () => {
    const run = 'x'.repeat(3_000_000);
    const n = tokenizer().count(run);
    // o200k merges runs of x into 8-character tokens; slicing may add at most one token per 256-character slice.
    assert.ok(n >= 3_000_000 / 8 && n <= 3_000_000 / 8 + 3_000_000 / 256, `counted ${n}`);
  });
});
