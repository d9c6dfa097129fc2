// Answer deltas to the webview, batched (at most one `answerDelta` per interval).
import type { DeltaSink } from '../chat/controller';

export const DELTA_INTERVAL_MS = 32;

export function createDeltaSink(onFlush: (text: string, reasoning: string) => void): DeltaSink {
  let text = '';
  let reasoning = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer) { clearTimeout(timer); timer = undefined; }
    if (!text && !reasoning) return;
    const t = text, r = reasoning;
    text = ''; reasoning = '';
    onFlush(t, r);
  };
  return {
    push(t, r) {
      text += t;
      if (r) reasoning += r;
      timer ??= setTimeout(flush, DELTA_INTERVAL_MS);
    },
    flush,
    dispose() { if (timer) clearTimeout(timer); timer = undefined; },
  };
}
