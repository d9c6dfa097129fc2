// The soak's turns: a seeded, printed plan of what the local server does on each turn (faults, finishes, Stop,
// a chat switch mid-stream, tool-call rounds on the soak workspace) and the status the answer must end with, with
// the tool rows it must show. Pure: handlers come from the test server.
import { prng } from '../../bench/prng';
import { replies, type FixtureToolCall, type Handler, type ToolCallShape } from '../../scripts/server/openai-server';
import { sseDelta } from '../harness/toolReplies';

export type TurnKind =
  | 'ok'
  | 'drop'
  | '5xx'
  | '429-then-ok'
  | 'slow-first-byte'
  | 'keepalive-then-ok'
  | 'length'
  | 'content_filter'
  | 'stop'
  | 'switch-mid-stream'
  | 'tools'
  | 'tools-drop'
  | 'tools-5xx';

export interface SoakTurn {
  n: number;
  kind: TurnKind;
  /** Handlers for this turn's requests, in order (a retry takes the next one). */
  handlers: Handler[];
  /** The status the answer must end with (a switched-away answer is judged from the saved chat). */
  expect: 'complete' | 'stopped' | 'error' | 'any';
  /** For 'stop' and 'switch-mid-stream': ms after the first text before the action. */
  actAfterMs: number;
  /** Tool rows the answer must show, all `done` (the calls of the rounds that finished before any fault). */
  toolRows: number;
}

/** Share of each kind, in percent (ordinary answers make up the rest). */
const WEIGHTS: [TurnKind, number][] = [
  ['drop', 8],
  ['5xx', 7],
  ['429-then-ok', 6],
  ['slow-first-byte', 6],
  ['keepalive-then-ok', 6],
  ['length', 6],
  ['content_filter', 6],
  ['stop', 12],
  ['switch-mid-stream', 4],
  ['tools', 6],
  ['tools-drop', 3],
  ['tools-5xx', 3],
];

/** Bud's own read-only tools on the soak workspace (test/fixtures/workspace). */
const TOOL_CALLS: FixtureToolCall[] = [
  { name: 'read_file', arguments: { path: 'src/math.ts' } },
  { name: 'list_directory', arguments: { path: 'src' } },
  { name: 'find_files', arguments: { glob: '**/*.ts' } },
  { name: 'search_text', arguments: { query: 'fibonacci' } },
  { name: 'read_file', arguments: { path: 'README.md' } },
];

/** How servers stream tool calls (see replies.toolCallStream); the soak draws one per round. */
const TOOL_SHAPES: ToolCallShape[] = [
  'indexed-pieces',
  'late-name',
  'whole-no-index',
  'finish-stop',
  'object-arguments',
];

/** One tool round: 1–3 calls with ids unique in the chat, streamed in a drawn shape. */
function toolRound(rand: () => number, id: string): { handler: Handler; calls: number } {
  const n = 1 + Math.floor(rand() * 3);
  const calls = Array.from({ length: n }, (_, i) => ({
    ...TOOL_CALLS[Math.floor(rand() * TOOL_CALLS.length)],
    id: `call_${id}_${i}`,
  }));
  const shape = TOOL_SHAPES[Math.floor(rand() * TOOL_SHAPES.length)];
  return { handler: replies.toolCallStream(shape, calls), calls: n };
}

/** A tool call's first delta (id, name, half its arguments), then the connection is reset: the call never ran. */
function toolCallThenDrop(id: string): Handler {
  return async (req, res) => {
    const model = req.body?.model ?? 'test-model';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(sseDelta(model, { role: 'assistant', content: null }));
    res.write(
      sseDelta(model, {
        tool_calls: [{ index: 0, id, type: 'function', function: { name: 'read_file', arguments: '{"path": "sr' } }],
      }),
    );
    await new Promise((r) => setTimeout(r, 20)); // let the delta leave before the reset
    res.socket?.destroy();
  };
}

/** Only `: keep-alive` comments for `ms`, then a short answer. */
function keepAliveThen(ms: number, then: Handler): Handler {
  return async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const end = Date.now() + ms;
    while (Date.now() < end && !res.destroyed) {
      res.write(': keep-alive\n\n');
      await new Promise((r) => setTimeout(r, 100));
    }
    if (res.destroyed) return;
    // The headers are sent: `then` writes the events only.
    const writeHead = res.writeHead.bind(res);
    res.writeHead = () => res;
    try {
      await then(req, res);
    } finally {
      res.writeHead = writeHead;
    }
  };
}

function words(rand: () => number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `w${i}${rand() < 0.1 ? '\n\n' : ' '}`);
}

export function soakPlan(seed: number, turns: number): SoakTurn[] {
  const rand = prng(seed);
  const plan: SoakTurn[] = [];
  for (let n = 1; n <= turns; n++) {
    let r = rand() * 100;
    let kind: TurnKind = 'ok';
    for (const [k, w] of WEIGHTS) {
      if (r < w) {
        kind = k;
        break;
      }
      r -= w;
    }
    const text = words(rand, 20 + Math.floor(rand() * 60));
    const answer = replies.stream(text, { delayMs: 2 });
    const actAfterMs = 50 + Math.floor(rand() * 600);
    const t = (handlers: Handler[], expect: SoakTurn['expect'], toolRows = 0): SoakTurn => ({
      n,
      kind,
      handlers,
      expect,
      actAfterMs,
      toolRows,
    });
    switch (kind) {
      case 'ok':
        plan.push(t([answer], 'complete'));
        break;
      case 'drop':
        plan.push(t([replies.dropAfter(text.slice(0, 5), { delayMs: 10 })], 'error'));
        break;
      case '5xx':
        // Every attempt fails (bud.maxRetries is 1 in the soak).
        plan.push(t([replies.error(503, 'Service unavailable'), replies.error(502, 'Bad gateway')], 'error'));
        break;
      case '429-then-ok':
        plan.push(t([replies.error(429, 'Rate limit reached', { 'retry-after': '1' }), answer], 'complete'));
        break;
      case 'slow-first-byte':
        plan.push(t([replies.slowHeaders(300 + Math.floor(rand() * 900), answer)], 'complete'));
        break;
      case 'keepalive-then-ok':
        plan.push(t([keepAliveThen(300 + Math.floor(rand() * 1200), answer)], 'complete'));
        break;
      case 'length':
      case 'content_filter':
        plan.push(t([replies.stream(text, { delayMs: 2, finish: kind })], 'complete'));
        break;
      case 'stop':
        // Long enough that Stop always lands mid-stream.
        plan.push(t([replies.stream(words(rand, 400), { delayMs: 20 })], 'stopped'));
        break;
      case 'switch-mid-stream':
        plan.push(t([replies.stream(words(rand, 150), { delayMs: 20 })], 'any'));
        break;
      case 'tools': {
        // One or two rounds of calls, then the answer.
        const rounds = Array.from({ length: 1 + Math.floor(rand() * 2) }, (_, r) => toolRound(rand, `${n}_${r}`));
        const rows = rounds.reduce((sum, r) => sum + r.calls, 0);
        plan.push(t([...rounds.map((r) => r.handler), answer], 'complete', rows));
        break;
      }
      case 'tools-drop': {
        // The drop comes right after a tool-call delta, in the first request or in the follow-up after a round.
        const before = rand() < 0.5 ? [] : [toolRound(rand, `${n}_0`)];
        const rows = before.reduce((sum, r) => sum + r.calls, 0);
        plan.push(t([...before.map((r) => r.handler), toolCallThenDrop(`call_${n}_drop`)], 'error', rows));
        break;
      }
      case 'tools-5xx': {
        // The tools ran; every attempt of the follow-up request fails.
        const round = toolRound(rand, `${n}_0`);
        plan.push(
          t(
            [round.handler, replies.error(503, 'Service unavailable'), replies.error(502, 'Bad gateway')],
            'error',
            round.calls,
          ),
        );
        break;
      }
    }
  }
  return plan;
}
