// Retry rules as the OpenAI / Bud SDKs apply them: which failures are retried, and how long to wait.
// No `vscode` import.

export interface RetryPolicy {
  /** Retries after the first attempt (default 3, as in the Bud SDK). */
  maxRetries: number;
  /** First backoff delay (SDK: 500 ms); doubles each retry. */
  baseDelayMs: number;
  /** Largest computed backoff (SDK: 8 s). */
  maxDelayMs: number;
  /** Largest wait a `Retry-After` / `retry-after-ms` header may ask for (60 s). */
  retryAfterCapMs: number;
  /** Source of jitter in [0, 1). */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  retryAfterCapMs: 60_000,
  random: Math.random,
};

/** 408, 409, 429 and every 5xx are retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The server's own verdict (`x-should-retry: true|false`), if any. */
export function shouldRetryHeader(headers: HeaderBag): boolean | undefined {
  const v = header(headers, 'x-should-retry');
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/**
 * The wait asked for by `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date), capped at
 * `capMs`; undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderBag, capMs = 60_000, now = Date.now()): number | undefined {
  let ms: number | undefined;
  const msHeader = header(headers, 'retry-after-ms');
  if (msHeader !== undefined && msHeader.trim() !== '') {
    const n = Number(msHeader);
    if (Number.isFinite(n) && n >= 0) ms = n;
  }
  if (ms === undefined) {
    const ra = header(headers, 'retry-after');
    if (ra !== undefined && ra.trim() !== '') {
      const secs = Number(ra);
      if (Number.isFinite(secs)) {
        if (secs >= 0) ms = secs * 1000;
      } else {
        const at = Date.parse(ra);
        if (Number.isFinite(at)) ms = Math.max(0, at - now);
      }
    }
  }
  if (ms === undefined) return undefined;
  return Math.min(Math.round(ms), capMs);
}

/** Exponential backoff with jitter: base * 2^retriesDone, at most maxDelayMs, minus up to 25 % jitter. */
export function backoffDelay(retriesDone: number, policy: RetryPolicy): number {
  const raw = Math.min(policy.baseDelayMs * Math.pow(2, retriesDone), policy.maxDelayMs);
  const jitter = 1 - policy.random() * 0.25;
  return Math.max(0, Math.round(raw * jitter));
}

/** How long to wait before retry number `retriesDone + 1`: the server's Retry-After wins where present. */
export function retryDelay(retriesDone: number, headers: HeaderBag | undefined, policy: RetryPolicy): number {
  const asked = headers ? parseRetryAfter(headers, policy.retryAfterCapMs) : undefined;
  return asked ?? backoffDelay(retriesDone, policy);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
