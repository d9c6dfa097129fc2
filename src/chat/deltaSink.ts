// Answer deltas to the webview, batched by the shared delta batcher at the pace `pacing` sets (one `answerDelta` per
// interval for the answer text, and one for reasoning text, which the view keeps apart). The first text of an
// answer is posted at once.
import type { DeltaSink } from './controller';
import { createDeltaBatcher, type DeltaBatcherTimers } from './deltaBatcher';
import { DeltaPacing } from './deltaPacing';

export function createDeltaSink(
  onFlush: (text: string, reasoning: string) => void,
  pacing: DeltaPacing = new DeltaPacing(),
  timers?: DeltaBatcherTimers,
): DeltaSink {
  const intervalMs = () => pacing.intervalMs;
  const text = createDeltaBatcher({ intervalMs, post: (t) => onFlush(t, ''), timers });
  const reasoning = createDeltaBatcher({ intervalMs, post: (r) => onFlush('', r), timers });
  const unsubscribe = pacing.onChange(() => {
    reasoning.repace();
    text.repace();
  });
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
      unsubscribe();
      text.dispose();
      reasoning.dispose();
    },
  };
}
