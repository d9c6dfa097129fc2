// Answer deltas to the webview, batched by the shared delta batcher (at most one `answerDelta` per interval
// for the answer text, and one for reasoning text, which the view keeps apart).
import type { DeltaSink } from './controller';
import { createDeltaBatcher, DEFAULT_INTERVAL_MS } from './deltaBatcher';

export const DELTA_INTERVAL_MS = DEFAULT_INTERVAL_MS;

export function createDeltaSink(onFlush: (text: string, reasoning: string) => void): DeltaSink {
  const text = createDeltaBatcher({ intervalMs: DELTA_INTERVAL_MS, post: (t) => onFlush(t, '') });
  const reasoning = createDeltaBatcher({ intervalMs: DELTA_INTERVAL_MS, post: (r) => onFlush('', r) });
  return {
    push(t, r) {
      if (t) text.push(t);
      if (r) reasoning.push(r);
    },
    flush() {
      reasoning.flush();
      text.flush();
    },
    dispose() {
      text.dispose();
      reasoning.dispose();
    },
  };
}
