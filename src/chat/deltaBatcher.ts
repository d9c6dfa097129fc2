// Batches answer text on the host before it is posted to the webview: at most one post per interval, each post
// carrying only the text that arrived since the last one. The total text posted equals the text pushed, so the
// bytes sent are the answer's size, not the conversation's. The first text after a quiet spell (the first of an
// answer) is posted at once; the interval may change while text streams (see deltaPacing.ts).
// Pure: no `vscode`; timers can be replaced in tests.

export interface DeltaBatcherTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DeltaBatcherOptions {
  /** Milliseconds between posts, clamped to 16–2000 (default 32); a function is read again for every post. */
  intervalMs?: number | (() => number);
  post: (text: string) => void;
  /** For tests; defaults to the real clock and timers. */
  timers?: DeltaBatcherTimers;
}

export interface DeltaBatcher {
  /** Queues text; it is posted at once after a quiet spell, else within one interval of the last post. */
  push(text: string): void;
  /** Posts whatever is queued now (call at the end of an answer, before `answerEnded`). */
  flush(): void;
  /** The interval changed: queued text is posted at once if it is now due, else its timer is set again. */
  repace(): void;
  /** Stops the timer and drops queued text; later pushes are ignored. */
  dispose(): void;
}

export const MIN_INTERVAL_MS = 16;
export const MAX_INTERVAL_MS = 2000;
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
  const { intervalMs } = opts;
  const interval =
    typeof intervalMs === 'function' ? () => clampInterval(intervalMs()) : () => clampInterval(intervalMs);
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

  /** Posts now if an interval has passed since the last post, else sets the timer for when it will have. */
  function schedule(): void {
    const wait = lastPost + interval() - timers.now();
    if (wait <= 0) send();
    else timer = timers.setTimeout(send, wait);
  }

  return {
    push(text: string): void {
      if (disposed || !text) return;
      queued.push(text);
      if (timer === undefined) schedule();
    },
    flush(): void {
      if (disposed) return;
      if (timer !== undefined) timers.clearTimeout(timer);
      send();
    },
    repace(): void {
      if (disposed || timer === undefined) return;
      timers.clearTimeout(timer);
      timer = undefined;
      schedule();
    },
    dispose(): void {
      disposed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      queued = [];
    },
  };
}
