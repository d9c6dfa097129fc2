// Batches answer text on the host before it is posted to the webview: at most one post per interval
// (16–50 ms, default 32), each post carrying only the text that arrived since the last one. The total text
// posted equals the text pushed, so the bytes sent are the answer's size, not the conversation's.
// Pure: no `vscode`; timers can be replaced in tests.

export interface DeltaBatcherTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DeltaBatcherOptions {
  /** Milliseconds between posts; clamped to 16–50. Default 32. */
  intervalMs?: number;
  post: (text: string) => void;
  /** For tests; defaults to the real clock and timers. */
  timers?: DeltaBatcherTimers;
}

export interface DeltaBatcher {
  /** Queues text; it is posted within one interval. */
  push(text: string): void;
  /** Posts whatever is queued now (call at the end of an answer, before `answerEnded`). */
  flush(): void;
  /** Stops the timer and drops queued text; later pushes are ignored. */
  dispose(): void;
}

export const MIN_INTERVAL_MS = 16;
export const MAX_INTERVAL_MS = 50;
export const DEFAULT_INTERVAL_MS = 32;

const realTimers: DeltaBatcherTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function clampInterval(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_INTERVAL_MS;
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
}

export function createDeltaBatcher(opts: DeltaBatcherOptions): DeltaBatcher {
  const interval = clampInterval(opts.intervalMs);
  const timers = opts.timers ?? realTimers;
  let queued: string[] = [];
  let timer: unknown;
  let lastPost = -Infinity;
  let disposed = false;

  function send(): void {
    timer = undefined;
    if (queued.length === 0) return;
    const text = queued.length === 1 ? queued[0] : queued.join('');
    queued = [];
    lastPost = timers.now();
    opts.post(text);
  }

  return {
    push(text: string): void {
      if (disposed || !text) return;
      queued.push(text);
      if (timer !== undefined) return;
      // The first text after a quiet spell goes out on the next tick; later text waits for the interval.
      const wait = Math.max(0, lastPost + interval - timers.now());
      timer = timers.setTimeout(send, wait);
    },
    flush(): void {
      if (disposed) return;
      if (timer !== undefined) timers.clearTimeout(timer);
      send();
    },
    dispose(): void {
      disposed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      queued = [];
    },
  };
}
