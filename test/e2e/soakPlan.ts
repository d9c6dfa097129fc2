// The soak's turns: a seeded, printed plan of what the local server does on each turn (faults, finishes, Stop,
// a chat switch mid-stream) and the status the answer must end with. Pure: handlers come from the test server.
import { prng } from '../../bench/prng';
import { replies, type Handler } from '../../scripts/server/openai-server';

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
  | 'switch-mid-stream';

export interface SoakTurn {
  n: number;
  kind: TurnKind;
  /** Handlers for this turn's requests, in order (a retry takes the next one). */
  handlers: Handler[];
  /** The status the answer must end with (a switched-away answer is judged from the saved chat). */
  expect: 'complete' | 'stopped' | 'error' | 'any';
  /** For 'stop' and 'switch-mid-stream': ms after the first text before the action. */
  actAfterMs: number;
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
];

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
    const t = (handlers: Handler[], expect: SoakTurn['expect']): SoakTurn => ({
      n,
      kind,
      handlers,
      expect,
      actAfterMs,
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
    }
  }
  return plan;
}
