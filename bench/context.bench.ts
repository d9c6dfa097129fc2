// Preparing the request for a long chat: counting, fitting into the window and serialising, against
// `JSON.stringify` of the same chat's messages in the same run.
//   baseline  JSON.stringify of every API message of the 1,000-message / 1,000,000-character chat (what sending it
//             whole would cost to serialise, with nothing counted);
//   prepared  the history as turns (src/chat/requestTurns.ts), fitRequest into a 128k window with a new user message,
//             JSON.stringify of the fitted messages: the work of every send and of every meter update, once the
//             counts are cached (the steady state of a window that has the chat open);
//   cold      the same right after a reload, each in a fresh Node process: nothing counted yet and the tokenizer's
//             caches empty (its module loaded first, timed apart), for 8k, 128k and 200k windows; and counting the
//             whole chat, for comparison;
//   tokenizer its load time and the heap it adds, in a fresh Node process.
// The chat goes through JSON (as when it is loaded from disk), so its strings are flat as in the extension.
// Runs are interleaved (baseline, prepared, prepared, baseline, …) and medians compared. Goal: prepared ≤ 3× baseline.
//
// Called by bench/run.mjs: `export default async function run(): Promise<Record<string, unknown>>`.
// Env: BUD_BENCH_RUNS (default 15).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ChatMessage } from '../src/api/types';
import type { StoredMessage } from '../src/chat/conversation';
import { RequestTurns } from '../src/chat/requestTurns';
import { TokenCounter } from '../src/context/counter';
import { fitRequest } from '../src/context/fit';
import { answerReserve } from '../src/context/windows';
import { prng } from './prng';

const MESSAGES = 1000;
const TOTAL_CHARS = 1_000_000;

const WORDS = [
  'the',
  'request',
  'returns',
  'a',
  'value',
  'when',
  'config',
  'is',
  'loaded',
  'from',
  'disk',
  'and',
  'then',
  'we',
  'parse',
  'it',
  'into',
  'tokens',
  'for',
  'each',
  'message',
  'in',
  'order',
];
const CODE =
  'export function fit(messages: ChatMessage[], window: number): ChatMessage[] {\n  return messages.filter((m) => m.content !== null);\n}\n';

function prose(rand: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) {
    s += WORDS[Math.floor(rand() * WORDS.length)] + (rand() < 0.08 ? '.\n' : ' ');
    if (rand() < 0.01) s += '\n```ts\n' + CODE + '```\n';
  }
  return s.slice(0, chars);
}

/** 500 exchanges; every fifth answer made one tool call. About 1,000,000 characters in all. */
export function longChat(): StoredMessage[] {
  return JSON.parse(JSON.stringify(generateChat())) as StoredMessage[];
}

function generateChat(): StoredMessage[] {
  const rand = prng(7);
  const out: StoredMessage[] = [];
  const perExchange = TOTAL_CHARS / (MESSAGES / 2);
  for (let i = 0; i < MESSAGES / 2; i++) {
    const userChars = Math.round(perExchange * 0.2);
    out.push({ id: `u${i}`, role: 'user', content: prose(rand, userChars), status: 'complete', createdAt: i * 2 });
    const answer = prose(rand, Math.round(perExchange * 0.8));
    const m: StoredMessage = {
      id: `a${i}`,
      role: 'assistant',
      content: answer,
      status: 'complete',
      createdAt: i * 2 + 1,
    };
    if (i % 5 === 0) {
      const id = `call_${i}`;
      m.apiMessages = [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id, type: 'function', function: { name: 'read_file', arguments: `{"path":"src/f${i}.ts"}` } }],
        },
        { role: 'tool', tool_call_id: id, content: CODE.repeat(12) },
        { role: 'assistant', content: answer },
      ];
    }
    out.push(m);
  }
  return out;
}

const SYSTEM: ChatMessage = {
  role: 'system',
  content:
    'You are Bud, a coding assistant inside VS Code. Answer in GitHub-flavoured Markdown. Put code in fenced code blocks with a language tag. Be concise and exact.',
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const r2 = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function prepare(
  rt: RequestTurns,
  counter: TokenCounter,
  history: StoredMessage[],
  draft: StoredMessage,
  window: number,
) {
  const turns = rt.turns([...history, draft]);
  const fit = fitRequest({
    system: { ...SYSTEM },
    turns,
    window,
    reserve: answerReserve({ tokens: window, source: 'default', detail: '' }).tokens,
    counter,
    maxMessages: 1000,
  });
  if (!fit.ok) throw new Error('the bench chat did not fit');
  return { fit, json: JSON.stringify(fit.messages) };
}

/** In a fresh process: the tokenizer loaded, then the first preparation of the chat (as after a reload). */
export function coldPrepare(window: number): void {
  const history = longChat();
  const counter = new TokenCounter();
  const t0 = performance.now();
  counter.text('load');
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  const { fit } = prepare(
    new RequestTurns(counter),
    counter,
    history,
    { id: 'd', role: 'user', content: 'And now?', status: 'complete', createdAt: 1e9 },
    window,
  );
  console.log(
    JSON.stringify({
      ms: r2(performance.now() - t1),
      tokenizerLoadMs: r2(loadMs, 1),
      sentMessages: fit.messages.length,
      notSent: fit.omitted.count,
      tokens: fit.tokens,
    }),
  );
}

/** In a fresh process: counting every message of the chat (what a fitter without the newest-first walk would do). */
export function coldCountAll(): void {
  const history = longChat();
  const counter = new TokenCounter();
  counter.text('load');
  const t0 = performance.now();
  const all = new RequestTurns(counter).turns(history).flatMap((t) => t.messages);
  const tokens = counter.request(all);
  console.log(JSON.stringify({ ms: r2(performance.now() - t0), tokens }));
}

/** Runs `code` in a fresh Node process and returns what it prints as JSON. */
function fresh(code: string): Record<string, number> {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', code], { encoding: 'utf8', cwd: process.cwd() });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

export default async function run(): Promise<Record<string, unknown>> {
  const runs = Number(process.env.BUD_BENCH_RUNS ?? 15);
  const history = longChat();
  const chars = history.reduce((n, m) => n + m.content.length, 0);
  const counter = new TokenCounter();
  const rt = new RequestTurns(counter);
  const all: ChatMessage[] = [SYSTEM, ...rt.turns(history).flatMap((t) => t.messages)];
  const draft = (i: number): StoredMessage => ({
    id: `draft${i}`,
    role: 'user',
    content: `What does the config loader return when the file is missing? (${i})`,
    status: 'complete',
    createdAt: 1e9,
  });

  const cold: Record<string, unknown> = {};
  for (const window of [8192, 131072, 200000])
    cold[`window${window}`] = fresh(`require(${JSON.stringify(__filename)}).coldPrepare(${window})`);
  cold.countWholeChat = fresh(`require(${JSON.stringify(__filename)}).coldCountAll()`);
  const wholeTokens = (cold.countWholeChat as { tokens: number }).tokens;

  // Steady state: interleaved baseline / prepared, after one preparation has counted what is sent.
  prepare(rt, counter, history, draft(0), 131072);
  const base: number[] = [];
  const ours: number[] = [];
  let sink = 0;
  let last: ReturnType<typeof prepare> | undefined;
  const timeBase = () => {
    const t0 = performance.now();
    sink += JSON.stringify(all).length;
    base.push(performance.now() - t0);
  };
  const timeOurs = (i: number) => {
    const t0 = performance.now();
    last = prepare(rt, counter, history, draft(i), 131072);
    sink += last.json.length;
    ours.push(performance.now() - t0);
  };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      timeBase();
      timeOurs(i);
    } else {
      timeOurs(i);
      timeBase();
    }
  }
  const ratio = median(ours) / median(base);

  // The bundle the VSIX ships (dist/tokenizer.js, production build by npm run bench), else the package itself.
  const bundle = existsSync(path.join(process.cwd(), 'dist/tokenizer.js'))
    ? path.join(process.cwd(), 'dist/tokenizer.js')
    : 'gpt-tokenizer/cjs/encoding/o200k_base';
  const tokenizerLoad = fresh(`
    const t0 = performance.now();
    const t = require(${JSON.stringify(bundle)});
    t.countTokens('hello', { disallowedSpecial: new Set() });
    console.log(JSON.stringify({ ms: performance.now() - t0 }));`);
  const heap = fresh(`
    global.gc(); const h0 = process.memoryUsage().heapUsed;
    const t = require(${JSON.stringify(bundle)});
    t.countTokens('hello world', { disallowedSpecial: new Set() });
    global.gc(); const h1 = process.memoryUsage().heapUsed;
    console.log(JSON.stringify({ addedMB: (h1 - h0) / 1048576, heapMB: h1 / 1048576 }));`);

  return {
    context: {
      chat: { messages: history.length, chars, apiMessages: all.length, tokens: wholeTokens, sink: sink > 0 },
      runs,
      baselineStringifyMedianMs: r2(median(base), 3),
      preparedMedianMs: r2(median(ours), 3),
      ratio: r2(ratio),
      goal: 'prepared <= 3x JSON.stringify of the same messages',
      pass: ratio <= 3,
      prepared128k: {
        sentMessages: last!.fit.messages.length,
        notSent: last!.fit.omitted.count,
        tokens: last!.fit.tokens,
      },
      firstSendAfterReload: cold,
      tokenizer: {
        module: path.isAbsolute(bundle) ? path.relative(process.cwd(), bundle) : bundle,
        loadMs: r2(tokenizerLoad.ms, 1),
        heapAddedMB: r2(heap.addedMB, 1),
        heapWithTokenizerMB: r2(heap.heapMB, 1),
      },
      summary: {
        'prepare 1,000 msgs / 1M chars, cached (ms, median)': r2(median(ours), 3),
        'JSON.stringify of the same messages (ms, median)': r2(median(base), 3),
        'ratio (goal <= 3)': r2(ratio),
        'first send after reload, 128k window (ms)': (cold.window131072 as { ms: number }).ms,
        'first send after reload, 8k window (ms)': (cold.window8192 as { ms: number }).ms,
        'first send after reload, 200k window (ms)': (cold.window200000 as { ms: number }).ms,
        'counting the whole chat (ms)': (cold.countWholeChat as { ms: number }).ms,
        'tokenizer load (ms, fresh process)': r2(tokenizerLoad.ms, 1),
        'heap added by the tokenizer (MB)': r2(heap.addedMB, 1),
      },
    },
  };
}

if (require.main === module) void run().then((r) => console.log(JSON.stringify(r, null, 2)));
