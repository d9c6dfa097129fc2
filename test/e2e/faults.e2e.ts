// Faults between the extension and the server, end to end: the real extension in code-server, driven through
// Chromium, against the local test server's fault modes. For each fault:
//   - the answer ends as an error with a clear message and the action that fixes it (Retry for transient faults),
//   - the text that arrived before the fault is kept in the answer, which is marked (data-status="error"),
//   - the next message works normally,
//   - the extension host log has no unhandled error / promise rejection.
// Short timeouts come from BUD_TEST_IDLE_TIMEOUT_MS / BUD_TEST_STREAM_DEADLINE_MS (honoured only with BUD_TEST_MODE=1)
// and bud.requestTimeout; retries from bud.maxRetries.
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { replies, type Handler } from '../../scripts/server/openai-server';
import { useChatE2E, waitForAnswerEnd } from '../harness/chatE2E';
import { recordCase } from './securityCases';

const API_KEY = 'sk-faults-e2e-0123456789abcdef';
const MODEL = 'test-model';
const MAX_RETRIES = 2;
const IDLE_MS = 3000;
const STREAM_DEADLINE_MS = 6000;

const SSE = { 'content-type': 'text/event-stream' };
const chunk = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: MODEL, choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish }] })}\n\n`;

interface FaultCase {
  name: string;
  /** Installs the fault (for every attempt, retries included). */
  fault: Handler;
  /** Error kinds (data-kind of the inline error) that describe this fault correctly. */
  kinds: string[];
  /** The action button the error must offer. */
  action: string;
  /** Text that arrived before the fault and must be kept. */
  partial?: string;
  /** The message must say something about the fault. */
  says: RegExp;
}

const CASES: FaultCase[] = [
  {
    name: 'reset mid-stream (socket destroyed after two pieces)',
    fault: replies.dropAfter(['The answer ', 'began here '], { delayMs: 40 }),
    kinds: ['connection', 'incomplete'],
    action: 'retry',
    partial: 'The answer began here',
    says: /connection|ended|reset|closed|incomplete/i,
  },
  {
    name: `stall after a piece -> idle timeout (${IDLE_MS} ms)`,
    fault: replies.stall(['Before the stall ']),
    kinds: ['timeout'],
    action: 'retry',
    partial: 'Before the stall',
    says: /stall|no data|timed? ?out/i,
  },
  {
    name: `heartbeats forever, no content -> stream deadline (${STREAM_DEADLINE_MS} ms)`,
    fault: replies.heartbeatForever(200),
    kinds: ['timeout'],
    action: 'retry',
    says: /time|deadline|no answer|took/i,
  },
  {
    name: '502 HTML page from a proxy',
    fault: replies.htmlError(502),
    kinds: ['server'],
    action: 'retry',
    says: /502|bad gateway/i,
  },
  {
    name: 'invalid JSON chunk after a piece',
    fault: replies.invalidJsonChunk(['Valid start ']),
    kinds: ['incomplete', 'streamError'],
    action: 'retry',
    partial: 'Valid start',
    says: /invalid|json|malformed|could not/i,
  },
  {
    name: 'data: {"error": …} mid-stream',
    fault: replies.streamError('Upstream model crashed', ['Partial text ']),
    kinds: ['streamError'],
    action: 'retry',
    partial: 'Partial text',
    says: /Upstream model crashed/,
  },
  {
    name: 'missing [DONE] and no finish_reason (stream just ends)',
    fault: replies.raw([chunk('Cut short ')], { headers: SSE }),
    kinds: ['incomplete'],
    action: 'retry',
    partial: 'Cut short',
    says: /ended|incomplete|before/i,
  },
  {
    name: '50 MB single SSE line',
    fault: replies.hugeLine(50 * 1024 * 1024),
    kinds: ['incomplete'],
    action: 'retry',
    says: /line|large|too long|MB|limit/i,
  },
  {
    name: 'empty body (200, no bytes)',
    fault: replies.emptyBody(),
    kinds: ['incomplete'],
    action: 'retry',
    says: /empty|ended|no answer|nothing/i,
  },
];

describe('faults end to end (code-server + Chromium + local test server)', function () {
  this.timeout(180_000);
  let errorsBefore = 0;
  let n = 0;

  const e2e = useChatE2E({
    label: 'faults-e2e',
    models: [MODEL],
    apiKey: API_KEY,
    settings: { 'bud.maxRetries': MAX_RETRIES, 'bud.requestTimeout': 20, 'bud.tools.enabled': false },
    env: { BUD_TEST_IDLE_TIMEOUT_MS: String(IDLE_MS), BUD_TEST_STREAM_DEADLINE_MS: String(STREAM_DEADLINE_MS) },
  });

  const lastAssistant = () => e2e.chat.locator('.message.assistant').last();
  const count = () => e2e.chat.locator('.message').count();

  async function sendAndWaitEnd(text: string, timeoutMs = 90_000): Promise<string> {
    const before = await count();
    await e2e.wb.typeAndSend(text);
    return (await waitForAnswerEnd(e2e.chat, before, timeoutMs)).status;
  }

  /** New [error] entries of the extension host log since the last call. */
  function newHostErrors(): string[] {
    const all = e2e.server.extHostErrors();
    const fresh = all.slice(errorsBefore);
    errorsBefore = all.length;
    return fresh.filter((e) => /bud|unhandled|rejection/i.test(e));
  }

  async function nextMessageWorks(label: string): Promise<void> {
    e2e.api.setDefault(replies.stream([`Fine again after `, label], { delayMs: 5 }));
    const status = await sendAndWaitEnd(`next after ${label}`);
    assert.equal(status, 'complete', `the next message after "${label}" completes`);
    assert.match(
      await lastAssistant().locator('.content').innerText(),
      new RegExp(`Fine again after ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    const req = e2e.api.requests[e2e.api.requests.length - 1];
    assert.equal(req.headers.authorization, `Bearer ${API_KEY}`);
  }

  async function checkError(c: Pick<FaultCase, 'kinds' | 'action' | 'partial' | 'says'>): Promise<string> {
    const msg = lastAssistant();
    assert.equal(await msg.getAttribute('data-status'), 'error');
    const err = msg.locator('.inline-error');
    await err.waitFor({ timeout: 10_000 });
    const kind = (await err.getAttribute('data-kind')) ?? '';
    const text = await err.innerText();
    assert.ok(c.kinds.includes(kind), `error kind ${kind} is one of ${c.kinds.join('/')}: ${text}`);
    assert.match(text, c.says);
    assert.doesNotMatch(text, /undefined|\[object |NaN/);
    assert.equal(await err.locator(`button[data-action="${c.action}"]`).count(), 1, `offers ${c.action}: ${text}`);
    if (c.partial)
      assert.match(await msg.locator('.content').innerText(), new RegExp(c.partial), 'the partial answer is kept');
    assert.doesNotMatch(await e2e.chat.locator('body').innerText(), new RegExp(API_KEY));
    return text.replace(/\s+/g, ' ').trim();
  }

  it('connection refused (nothing listens on the base URL)', async () => {
    await e2e.api.close();
    const t0 = Date.now();
    const status = await sendAndWaitEnd('is anyone there?');
    assert.equal(status, 'error');
    const text = await checkError({ kinds: ['connection'], action: 'retry', says: /connect|refused|reach/i });
    assert.ok(
      (await lastAssistant().locator('.inline-error button[data-action="testConnection"]').count()) === 1,
      'offers Test Connection',
    );
    await e2e.wb.screenshot('e2e-fault-connection-refused');
    await e2e.restartApi();
    await nextMessageWorks('refused');
    assert.deepEqual(newHostErrors(), []);
    recordCase({
      kind: 'fault',
      case: 'connection refused',
      expected: 'connection error + Retry/Test Connection; next message works',
      result: `pass: "${text.slice(0, 120)}" after ${Date.now() - t0} ms`,
      test: 'faults.e2e: connection refused',
    });
  });

  for (const c of CASES) {
    it(c.name, async () => {
      e2e.api.setDefault(c.fault);
      const before = e2e.api.requests.length;
      const status = await sendAndWaitEnd(`fault ${++n}`);
      assert.equal(status, 'error', `${c.name}: the answer ends as an error`);
      const text = await checkError(c);
      const attempts = e2e.api.requests.length - before;
      await e2e.wb.screenshot(`e2e-fault-${n}`);
      await nextMessageWorks(`fault${n}`);
      await sleep(200);
      assert.deepEqual(newHostErrors(), []);
      recordCase({
        kind: 'fault',
        case: c.name,
        expected: `${c.kinds.join('/')} error + ${c.action}${c.partial ? '; partial kept' : ''}; next message works`,
        result: `pass: ${attempts} attempt(s); "${text.slice(0, 120)}"`,
        test: `faults.e2e: ${c.name}`,
      });
    });
  }

  it('missing [DONE] after a finish_reason: accepted as complete', async () => {
    e2e.api.setDefault(replies.raw([chunk('Complete without '), chunk('the DONE line.', 'stop')], { headers: SSE }));
    const status = await sendAndWaitEnd('no done please');
    assert.equal(status, 'complete');
    assert.match(await lastAssistant().locator('.content').innerText(), /Complete without the DONE line\./);
    await nextMessageWorks('nodone');
    recordCase({
      kind: 'fault',
      case: 'missing [DONE] after finish_reason',
      expected: 'complete answer (lenient)',
      result: 'pass: complete',
      test: 'faults.e2e: missing [DONE] after a finish_reason',
    });
  });

  it('429 with Retry-After: the retry is shown, then the answer arrives', async () => {
    e2e.api.enqueue(replies.rateLimited(2));
    e2e.api.setDefault(replies.stream(['Worth ', 'the wait.'], { delayMs: 5 }));
    const before = e2e.api.requests.length;
    const countBefore = await count();
    await e2e.wb.typeAndSend('rate limit me');
    await e2e.chat.waitForFunction((c) => document.querySelectorAll('.message').length >= c + 2, countBefore);
    const retry = e2e.chat.locator('.retry-status');
    await retry.waitFor({ state: 'visible', timeout: 15_000 });
    const retryText = await retry.innerText();
    assert.match(retryText, /Retrying (in \d+ s|now) \(attempt 1 of 2\)/);
    assert.equal((await waitForAnswerEnd(e2e.chat, countBefore, 30_000)).status, 'complete');
    assert.match(await lastAssistant().locator('.content').innerText(), /Worth the wait\./);
    assert.equal(e2e.api.requests.length - before, 2, 'one retry');
    assert.equal(await lastAssistant().getAttribute('data-status'), 'complete');
    assert.deepEqual(newHostErrors(), []);
    recordCase({
      kind: 'fault',
      case: '429 with Retry-After: 2',
      expected: 'retry countdown visible, then answer',
      result: `pass: "${retryText.trim()}", 2 requests`,
      test: 'faults.e2e: 429 with Retry-After',
    });
  });

  it('500 then success: retried without the user doing anything', async () => {
    e2e.api.enqueue(replies.error(500, 'Internal server error'));
    e2e.api.setDefault(replies.stream(['Recovered ', 'after a 500.'], { delayMs: 5 }));
    const before = e2e.api.requests.length;
    const status = await sendAndWaitEnd('server error once');
    assert.equal(status, 'complete');
    assert.match(await lastAssistant().locator('.content').innerText(), /Recovered after a 500\./);
    assert.equal(e2e.api.requests.length - before, 2);
    assert.deepEqual(newHostErrors(), []);
    recordCase({
      kind: 'fault',
      case: '500 then success',
      expected: 'automatic retry, then answer',
      result: 'pass: 2 requests, complete',
      test: 'faults.e2e: 500 then success',
    });
  });

  it('500 on every attempt: error with Retry after all retries, and Retry works', async () => {
    e2e.api.setDefault(replies.error(500, 'Internal server error'));
    const before = e2e.api.requests.length;
    const status = await sendAndWaitEnd('server error always');
    assert.equal(status, 'error');
    const text = await checkError({ kinds: ['server'], action: 'retry', says: /500|server/i });
    assert.equal(e2e.api.requests.length - before, MAX_RETRIES + 1);
    e2e.api.setDefault(replies.stream(['Retry button ', 'worked.'], { delayMs: 5 }));
    await lastAssistant().locator('.inline-error button[data-action="retry"]').click();
    await e2e.chat
      .locator('.message.assistant[data-status="complete"]')
      .filter({ hasText: 'Retry button worked.' })
      .waitFor({ timeout: 30_000 });
    assert.deepEqual(newHostErrors(), []);
    recordCase({
      kind: 'fault',
      case: '500 on every attempt',
      expected: `${MAX_RETRIES + 1} attempts, server error + Retry; Retry works`,
      result: `pass: "${text.slice(0, 100)}"`,
      test: 'faults.e2e: 500 on every attempt',
    });
  });

  it('no unhandled promise rejection or error from the extension in the whole extension host log', () => {
    const all = e2e.server.extHostErrors().filter((e) => /bud|unhandled|rejection/i.test(e));
    assert.deepEqual(all, []);
  });
});
