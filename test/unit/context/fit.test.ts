import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { TokenCounter } from '../../../src/context/counter';
import { withSummary } from '../../../src/context/condense';
import { describeDoesNotFit, fitRequest, type FitInput, type Fitted, type HistoryTurn } from '../../../src/context/fit';
import { SHORT_TOOL_TOKENS } from '../../../src/context/shorten';
import { answerReserve } from '../../../src/context/windows';
import {
  buildTurn,
  charCounter,
  charTokenizer,
  SYSTEM,
  toolPairingErrors,
  TOOLS,
  turnArb,
  type TurnSpec,
} from './chats';

const spec = (over: Partial<TurnSpec> = {}): TurnSpec => ({
  userChars: 40,
  attachChars: 0,
  rounds: [],
  answerChars: 80,
  ...over,
});

function chat(specs: TurnSpec[], counter: TokenCounter, newestRounds = false): HistoryTurn[] {
  return specs.map((s, i) =>
    buildTurn(i === specs.length - 1 && !newestRounds ? { ...s, rounds: [] } : s, counter, i < specs.length - 1),
  );
}

function ok(r: ReturnType<typeof fitRequest>): Fitted {
  assert.ok(r.ok, `expected a fit, got ${JSON.stringify(r)}`);
  return r;
}

/** The invariants every fitted request keeps, checked with a fresh counter (nothing cached). */
function checkFitted(inp: FitInput, r: Fitted, fresh: () => TokenCounter): void {
  const scale = inp.scale ?? 1;
  const counted = fresh().request(r.messages, inp.tools);
  assert.equal(counted, r.rawTokens, 'the reported size is the size');
  assert.ok(
    Math.ceil(counted * scale) + inp.reserve <= inp.window,
    `${Math.ceil(counted * scale)} + ${inp.reserve} > ${inp.window}`,
  );
  assert.deepEqual(toolPairingErrors(r.messages), []);
  const newestUser = inp.turns[inp.turns.length - 1].messages[0];
  assert.ok(r.messages.includes(newestUser), 'the newest user message is sent as is');
  assert.equal(r.messages[0].role, 'system');
  if (inp.maxMessages) assert.ok(r.messages.length <= inp.maxMessages);
  const b = r.breakdown;
  assert.equal(b.system + b.tools + b.history + b.attachments, r.tokens, 'the breakdown adds up');
}

describe('context: fitting a chat into the window', () => {
  it('sends everything when it fits', () => {
    const c = charCounter();
    const turns = chat([spec(), spec({ rounds: [[500]] }), spec()], c);
    const r = ok(fitRequest({ system: SYSTEM, tools: TOOLS, turns, window: 8192, reserve: 1000, counter: c }));
    assert.deepEqual(r.messages, [SYSTEM, ...turns.flatMap((t) => t.messages)]);
    assert.deepEqual([r.omitted.count, r.shortened, r.summarized], [0, 0, 0]);
    assert.equal(r.limit, 7192);
  });

  it('shortens old tool results (head + tail, with a note) before dropping any turn', () => {
    const c = charCounter();
    const turns = chat([spec({ rounds: [[20_000]] }), spec(), spec()], c);
    const r = ok(fitRequest({ system: SYSTEM, turns, window: 4096, reserve: 800, counter: c }));
    assert.equal(r.omitted.count, 0);
    assert.equal(r.shortened, 1);
    const tool = r.messages.find((m) => m.role === 'tool')!;
    assert.match(
      tool.content!,
      /\[… [\d,]+ of 20,000 characters were cut here to fit the model's context window; the start and the end are kept …\]/,
    );
    assert.ok(c.message(tool) < SHORT_TOOL_TOKENS + 60);
    const original = turns[0].messages[2].content as string;
    assert.ok(
      (tool.content as string).startsWith(original.slice(0, 200)) &&
        (tool.content as string).endsWith(original.slice(-200)),
    );
  });

  it('drops the oldest turns whole, then says which stored messages are not sent', () => {
    const c = charCounter();
    const turns = chat(
      Array.from({ length: 30 }, () => spec({ userChars: 1200, answerChars: 1200 })),
      c,
    );
    const r = ok(fitRequest({ system: SYSTEM, turns, window: 4096, reserve: 800, counter: c }));
    assert.ok(r.omitted.count > 0);
    const sentTurns = turns.filter((t) => r.messages.includes(t.messages[0]));
    assert.equal(r.omitted.count, (turns.length - sentTurns.length) * 2);
    assert.equal(r.omitted.firstId, turns[0].ids[0]);
    assert.equal(r.omitted.lastId, turns[turns.length - sentTurns.length - 1].ids.at(-1));
    assert.equal(r.messages[1].role, 'user', 'the request goes on with a whole turn');
    // The kept turns are the newest, in order.
    assert.deepEqual(
      r.messages.slice(1),
      turns.slice(turns.length - sentTurns.length).flatMap((t) => t.messages),
    );
  });

  it('restores shortened tool results where room is left, newest first', () => {
    const c = charCounter();
    // Two old turns with 9,000-character results: both fit only if one of them is shortened.
    const turns = chat([spec({ rounds: [[9000]] }), spec({ rounds: [[9000]] }), spec()], c);
    const r = ok(fitRequest({ system: SYSTEM, turns, window: 5000, reserve: 500, counter: c }));
    const tools = r.messages.filter((m) => m.role === 'tool');
    assert.equal(tools.length, 2);
    assert.equal(tools[1], turns[1].messages[2], 'the newer result is whole');
    assert.notEqual(tools[0], turns[0].messages[2], 'the older one is shortened');
    assert.equal(r.shortened, 1);
  });

  it('a summary stands for the turns it covers, inside the one system message', () => {
    const c = charCounter();
    const turns = chat(
      Array.from({ length: 6 }, () => spec()),
      c,
    );
    const r = ok(
      fitRequest({
        system: SYSTEM,
        turns,
        summary: { text: 'They set up the project.', throughTurn: 2 },
        mergeSummary: withSummary,
        window: 8192,
        reserve: 800,
        counter: c,
      }),
    );
    assert.equal(r.messages.filter((m) => m.role === 'system').length, 1);
    assert.match(
      r.messages[0].content!,
      /^You are Bud[\s\S]*Summary of the earlier part of this conversation[\s\S]*They set up the project\.$/,
    );
    assert.deepEqual(
      r.messages.slice(1),
      turns.slice(3).flatMap((t) => t.messages),
    );
    assert.deepEqual([r.summarized, r.omitted.count], [6, 0]);
  });

  it('the newest turn of a tool loop: its own results shortened, then its older rounds left out, the latest kept', () => {
    const c = charCounter();
    const turns = chat([spec(), spec({ rounds: [[9000, 9000], [9000, 9000], [9000, 9000], [9000]] })], c, true);
    const newest = turns[1].messages;
    const r = ok(fitRequest({ system: SYSTEM, tools: TOOLS, turns, window: 2048, reserve: 400, counter: c }));
    assert.ok(r.droppedRounds >= 1, String(r.droppedRounds));
    assert.deepEqual(toolPairingErrors(r.messages), []);
    const lastCall = newest.filter((m) => m.tool_calls).at(-1)!;
    assert.ok(r.messages.includes(lastCall), 'the latest round stays');
    assert.equal(r.messages.at(-1)!.role, 'tool');
  });

  it('does not fit: says so with what would help, and never produces a request', () => {
    const c = charCounter();
    const turns = chat([spec(), spec({ userChars: 100, attachChars: 30_000 })], c);
    const r = fitRequest({ system: SYSTEM, tools: TOOLS, turns, window: 4096, reserve: 819, counter: c });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.help, ['removeAttachment', 'raiseWindow', 'switchModel']);
    assert.ok(r.tokens + r.reserve > r.window);
    assert.ok(r.breakdown.attachments > 7000);
    const text = describeDoesNotFit(r);
    assert.match(text, /does not fit the model's context window, so nothing was sent: it needs about [\d,]+ tokens/);
    assert.match(text, /remove an attachment.*raise bud\.contextWindow.*switch to a model/);
  });

  it('applies calibration: a server that counts 1.5× leaves room for two thirds as much', () => {
    const c = charCounter();
    const turns = chat(
      Array.from({ length: 40 }, () => spec({ userChars: 800, answerChars: 800 })),
      c,
    );
    const plain = ok(fitRequest({ system: SYSTEM, turns, window: 8192, reserve: 1000, counter: c }));
    const scaled = ok(fitRequest({ system: SYSTEM, turns, window: 8192, reserve: 1000, counter: c, scale: 1.5 }));
    assert.ok(scaled.rawTokens < plain.rawTokens * 0.7);
    assert.ok(scaled.tokens + 1000 <= 8192 && scaled.tokens > 5000);
  });

  it('keeps within the message limit too', () => {
    const c = charCounter();
    const turns = chat(
      Array.from({ length: 50 }, () => spec({ userChars: 1, answerChars: 1 })),
      c,
    );
    const r = ok(fitRequest({ system: SYSTEM, turns, window: 200_000, reserve: 1000, counter: c, maxMessages: 21 }));
    assert.equal(r.messages.length, 20, 'system, nine whole turns and the newest message');
    assert.equal(r.omitted.count, 80);
  });

  it('counts only what it needs: turns older than the window are never tokenized', () => {
    const seen: string[] = [];
    const c = new TokenCounter(() => ({
      name: 'spy',
      count: (t) => {
        seen.push(t);
        return Math.ceil(t.length / 4);
      },
    }));
    const turns = chat(
      Array.from({ length: 300 }, () => spec({ userChars: 3000, answerChars: 3000 })),
      c,
    );
    seen.length = 0;
    ok(fitRequest({ system: SYSTEM, turns, window: 8192, reserve: 1000, counter: c }));
    const countedChars = seen.reduce((n, s) => n + s.length, 0);
    assert.ok(countedChars < 60_000, `counted ${countedChars} of ${300 * 6000} characters`);
    seen.length = 0;
    ok(fitRequest({ system: SYSTEM, turns, window: 8192, reserve: 1000, counter: c }));
    assert.equal(seen.length, 0, 'a second fit counts nothing again');
  });

  // ------------------------------------------------------------------------------------- properties

  const chatArb = (maxTurns: number) =>
    fc.record({
      turns: fc.array(turnArb, { minLength: 1, maxLength: maxTurns, size: 'max' }),
      newestRounds: fc.boolean(),
      window: fc.integer({ min: 2048, max: 200_000 }),
      maxTokens: fc.option(fc.integer({ min: 1, max: 16_000 }), { nil: undefined }),
      scale: fc.double({ min: 0.8, max: 1.6, noNaN: true }),
      tools: fc.boolean(),
      summaryAt: fc.option(fc.nat(), { nil: undefined }),
    });

  function runProperty(c: () => TokenCounter, maxTurns: number, maxMessages: number, runs: number, ms: number) {
    const seen = { fitted: 0, omitted: 0, shortened: 0, summarized: 0, refused: 0, longest: 0 };
    fc.assert(
      fc.property(chatArb(maxTurns), (g) => {
        const counter = c();
        let turns = chat(g.turns, counter, g.newestRounds);
        // 1..maxMessages messages: cut the oldest turns off beyond that.
        while (turns.reduce((n, t) => n + t.messages.length, 0) > maxMessages && turns.length > 1)
          turns = turns.slice(1);
        const reserve = answerReserve({ tokens: g.window, source: 'default', detail: '' }, g.maxTokens).tokens;
        const summary =
          g.summaryAt !== undefined && turns.length > 1
            ? { text: 'Earlier: they discussed the build.', throughTurn: g.summaryAt % (turns.length - 1) }
            : undefined;
        const inp: FitInput = {
          system: SYSTEM,
          tools: g.tools ? TOOLS : undefined,
          turns,
          summary,
          mergeSummary: withSummary,
          window: g.window,
          reserve,
          scale: g.scale,
          counter,
          maxMessages: 1000,
        };
        const r = fitRequest(inp);
        seen.longest = Math.max(
          seen.longest,
          turns.reduce((n, t) => n + t.messages.length, 0),
        );
        if (r.ok) {
          checkFitted(inp, r, c);
          seen.fitted++;
          if (r.omitted.count) seen.omitted++;
          if (r.shortened) seen.shortened++;
          if (r.summarized) seen.summarized++;
        } else {
          assert.ok(r.tokens + r.reserve > r.window, 'refused only when even the smallest request is too large');
          seen.refused++;
        }
        return true;
      }),
      { numRuns: runs, interruptAfterTimeLimit: ms },
    );
    return seen;
  }

  it('property: a fitted request always fits, keeps tool calls with their results and the newest message (1..1,000 messages, 2k..200k windows)', function () {
    this.timeout(60_000);
    const seen = runProperty(charCounter, 300, 1000, 300, 20_000);
    // The generated chats reach every branch: dropping, shortening, summaries, refusing, and long chats.
    assert.ok(
      seen.omitted && seen.shortened && seen.summarized && seen.refused && seen.longest > 900,
      JSON.stringify(seen),
    );
  });

  it('property: the same with the real o200k tokenizer (smaller chats)', function () {
    this.timeout(60_000);
    runProperty(() => new TokenCounter(), 25, 150, 40, 20_000);
  });

  it('a fitted request never depends on the cache: fitting twice gives the same request', () => {
    const c = new TokenCounter(() => charTokenizer);
    const turns = chat(
      Array.from({ length: 20 }, (_, i) => spec({ rounds: i % 3 ? [] : [[6000]] })),
      c,
    );
    const a = ok(fitRequest({ system: SYSTEM, tools: TOOLS, turns, window: 6000, reserve: 1000, counter: c }));
    const b = ok(fitRequest({ system: SYSTEM, tools: TOOLS, turns, window: 6000, reserve: 1000, counter: c }));
    assert.deepEqual(b.messages, a.messages);
    assert.equal(b.rawTokens, a.rawTokens);
  });

  it('a chat of only the newest message', () => {
    const c = charCounter();
    const only: HistoryTurn = { ids: ['u'], messages: [{ role: 'user', content: 'hi' }] };
    const r = ok(fitRequest({ system: SYSTEM, turns: [only], window: 2048, reserve: 400, counter: c }));
    assert.equal(r.messages.length, 2);
    assert.throws(
      () => fitRequest({ system: SYSTEM, turns: [], window: 2048, reserve: 400, counter: c }),
      /at least the turn/,
    );
  });
});
