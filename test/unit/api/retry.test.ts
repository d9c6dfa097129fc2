// Retry rules: which statuses, Retry-After forms, backoff with jitter.
import * as assert from 'node:assert/strict';
import {
  abortableSleep,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  shouldRetryHeader,
} from '../../../src/api/retry';

describe('retry rules', () => {
  it('retries 408, 409, 429 and 5xx only', () => {
    for (const s of [408, 409, 429, 500, 502, 503, 504, 529]) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of [400, 401, 403, 404, 413, 422]) assert.equal(isRetryableStatus(s), false, String(s));
  });

  it('SDK defaults: 3 retries, 500 ms doubling to 8 s, Retry-After capped at 60 s', () => {
    assert.equal(DEFAULT_RETRY_POLICY.maxRetries, 3);
    assert.equal(DEFAULT_RETRY_POLICY.baseDelayMs, 500);
    assert.equal(DEFAULT_RETRY_POLICY.maxDelayMs, 8000);
    assert.equal(DEFAULT_RETRY_POLICY.retryAfterCapMs, 60_000);
  });

  it('Retry-After in seconds, as an HTTP date, retry-after-ms, capped at 60 s', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter({ 'retry-after': '4' }, 60_000, now), 4000);
    assert.equal(parseRetryAfter({ 'retry-after': '0.5' }, 60_000, now), 500);
    assert.equal(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }, 60_000, now), 7000);
    assert.equal(parseRetryAfter({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 60_000, now), 0);
    assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, 60_000, now), 250);
    assert.equal(parseRetryAfter({ 'retry-after': '3600' }, 60_000, now), 60_000);
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, 60_000, now), undefined);
    assert.equal(parseRetryAfter({}, 60_000, now), undefined);
  });

  it('backoff doubles, is capped, and jitter removes at most 25 %', () => {
    const p = { ...DEFAULT_RETRY_POLICY, random: () => 0 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, p)),
      [500, 1000, 2000, 4000, 8000, 8000],
    );
    const q = { ...DEFAULT_RETRY_POLICY, random: () => 0.99999 };
    assert.equal(backoffDelay(0, q), 375);
  });

  it('Retry-After wins over the backoff', () => {
    const p = { ...DEFAULT_RETRY_POLICY, random: () => 0 };
    assert.equal(retryDelay(0, { 'retry-after': '3' }, p), 3000);
    assert.equal(retryDelay(2, {}, p), 2000);
  });

  it('x-should-retry header', () => {
    assert.equal(shouldRetryHeader({ 'x-should-retry': 'true' }), true);
    assert.equal(shouldRetryHeader({ 'x-should-retry': 'false' }), false);
    assert.equal(shouldRetryHeader({}), undefined);
  });

  it('abortableSleep rejects at once when aborted', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 10);
    await assert.rejects(abortableSleep(5000, ac.signal));
    assert.ok(Date.now() - t0 < 1000);
  });
});
