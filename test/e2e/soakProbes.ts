// What the soak measures besides the answers: keypress → composer painted while an answer streams, and the
// percentiles it reports.
import type { Frame } from 'playwright-core';

/** Keys typed per probe: a short word, the way a user starts their next message while the answer streams. */
export const PROBE_TEXT = 'probe';

interface ProbeWindow {
  __soakKeyMs?: number[];
}

/**
 * Types PROBE_TEXT into the composer key by key, then selects it and deletes it (Delete is a key too), and returns
 * each key's latency in ms: from the keydown event's time stamp (when the browser took the key) to the first task
 * after the next animation frame that follows the `input` event (the composer's new text has been painted).
 */
export async function typeAndTime(chat: Frame): Promise<number[]> {
  await chat.evaluate(() => {
    const w = window as ProbeWindow;
    if (w.__soakKeyMs) return;
    w.__soakKeyMs = [];
    const input = document.getElementById('input');
    let down = -1;
    input?.addEventListener('keydown', (e) => (down = e.timeStamp), true);
    input?.addEventListener('input', () => {
      const t0 = down;
      down = -1;
      if (t0 < 0) return; // not from a key
      requestAnimationFrame(() => setTimeout(() => w.__soakKeyMs?.push(performance.now() - t0), 0));
    });
  });
  const input = chat.locator('#input');
  await input.pressSequentially(PROBE_TEXT);
  await input.fill(''); // selects the text and presses Delete
  await chat.waitForFunction((n) => ((window as ProbeWindow).__soakKeyMs?.length ?? 0) >= n, PROBE_TEXT.length + 1, {
    timeout: 10_000,
  });
  return chat.evaluate(() => (window as ProbeWindow).__soakKeyMs?.splice(0) ?? []);
}

/** The `p`-quantile (0–1) of `values` by nearest rank; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
