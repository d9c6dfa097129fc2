// Fault modes against the real local server: drops, stalls, timeouts, aborts, HTTP errors, retries.
import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, buildConnector } from 'undici';
import { formatRequestLog } from '../../../src/api/client';
import { toErrorInfo } from '../../../src/chat/errorInfo';
import { replies, type Handler } from '../../../scripts/server/openai-server';
import { basic, collect, KEY, rejects, useServer } from './helpers';

/** Polls until `cond` holds (at most `ms`). */
async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  for (const t0 = Date.now(); !cond() && Date.now() - t0 < ms;) await sleep(5);
}

/** A handler that records when the server saw the client's socket close. */
function watchClose(inner: Handler, seen: { closedAt?: number }): Handler {
  return async (req, res: ServerResponse) => {
    res.socket?.once('close', () => {
      seen.closedAt = Date.now();
    });
    await inner(req, res);
  };
}

describe('BudClient: fault modes', () => {
  const ctx = useServer({ random: () => 0 });

  describe('mid-stream failures (never retried)', () => {
    it('a connection dropped mid-answer ends with IncompleteResponseError and keeps the partial text', async () => {
      ctx.server.enqueue(replies.dropAfter(['The answer ', 'was going']));
      const r = await collect(ctx.client);
      assert.equal(r.error?.name, 'IncompleteResponseError');
      assert.equal(r.error?.kind, 'incomplete');
      assert.equal(
        r.error?.message,
        'The response ended before it was complete (connection closed mid-answer). The partial answer was kept.',
      );
      assert.equal(r.error?.partialContent, 'The answer was going');
      assert.equal(r.acc.content, 'The answer was going');
      assert.equal(ctx.server.requests.length, 1, 'no retry after the first byte');
      assert.equal(r.retries.length, 0);
    });

    it('a stall (no byte for idleTimeoutMs) ends with an idle TimeoutError and keeps the partial text', async () => {
      const c = ctx.make({ idleTimeoutMs: 150 });
      const seen: { closedAt?: number } = {};
      ctx.server.enqueue(watchClose(replies.stall(['Half ', 'way']), seen));
      const t0 = Date.now();
      const r = await collect(c);
      assert.equal(r.error?.kind, 'timeout');
      assert.equal((r.error as { phase?: string }).phase, 'idle');
      assert.match(r.error.message, /stalled: no data from the server for 0\.2 s\. The partial answer was kept\./);
      assert.equal(r.error?.partialContent, 'Half way');
      assert.ok(Date.now() - t0 < 2000);
      await waitFor(() => !!seen.closedAt);
      assert.ok(seen.closedAt, 'the socket was closed');
      assert.equal(ctx.server.requests.length, 1);
    });

    it('keep-alive comments reset the idle timer; the stream deadline still ends the stream', async () => {
      const c = ctx.make({ idleTimeoutMs: 120, streamDeadlineMs: 400 });
      ctx.server.enqueue(replies.heartbeatForever(30));
      const t0 = Date.now();
      const r = await collect(c);
      const took = Date.now() - t0;
      assert.equal(r.error?.kind, 'timeout');
      assert.equal((r.error as { phase?: string }).phase, 'deadline');
      assert.ok(took >= 350, `stopped by the deadline, not the idle timer (${took} ms)`);
    });

    it('a 50 MB line ends in a clear error, not an out-of-memory', async function () {
      this.timeout(20_000);
      const before = process.memoryUsage().rss;
      ctx.server.enqueue(replies.hugeLine(50 * 1024 * 1024));
      const r = await collect(ctx.client);
      assert.equal(r.error?.kind, 'incomplete');
      assert.match(r.error.message, /longer than 8 MB/);
      assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stayed bounded');
    });
  });

  describe('cancellation', () => {
    it('AbortSignal mid-stream stops at once, keeps the partial text, and the server sees the socket close', async () => {
      const seen: { closedAt?: number } = {};
      ctx.server.enqueue(watchClose(replies.stall(['Some ', 'text']), seen));
      const ac = new AbortController();
      const acc: string[] = [];
      let error: any;
      try {
        for await (const c of ctx.client.streamChatCompletion(basic(), { signal: ac.signal })) {
          if (c.choices[0]?.delta.content) acc.push(c.choices[0].delta.content);
          if (acc.join('') === 'Some text') ac.abort();
        }
      } catch (e) {
        error = e;
      }
      const abortedAt = Date.now();
      assert.equal(error?.kind, 'aborted');
      assert.equal(error?.name, 'AbortedError');
      assert.equal(error?.partialContent, 'Some text');
      await waitFor(() => !!seen.closedAt);
      assert.ok(seen.closedAt, 'the server saw the socket close');
      // at once: not after the 30 s idle timeout, nor when the server would give up
      assert.ok(seen.closedAt - abortedAt < 1000, `the socket closed at once (${seen.closedAt - abortedAt} ms)`);
    });

    it('breaking out of the loop closes the socket', async () => {
      const seen: { closedAt?: number } = {};
      ctx.server.enqueue(watchClose(replies.stall(['a', 'b']), seen));
      for await (const c of ctx.client.streamChatCompletion(basic())) {
        if (c.choices[0]?.delta.content === 'a') break;
      }
      await waitFor(() => !!seen.closedAt);
      assert.ok(seen.closedAt);
    });

    it('an already-aborted signal fails without sending anything', async () => {
      const ac = new AbortController();
      ac.abort();
      const e = await rejects(ctx.client.createChatCompletion(basic(), { signal: ac.signal }));
      assert.equal(e.kind, 'aborted');
      assert.equal(ctx.server.requests.length, 0);
    });

    it('abort while waiting for headers of a non-streaming request', async () => {
      const seen: { closedAt?: number } = {};
      ctx.server.enqueue(watchClose(replies.slowHeaders(5000), seen));
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const e = await rejects(ctx.client.createChatCompletion(basic(), { signal: ac.signal }));
      assert.equal(e.kind, 'aborted');
      await waitFor(() => !!seen.closedAt);
      assert.ok(seen.closedAt);
    });

    it('abort during the wait before a retry stops the retries', async () => {
      const ac = new AbortController();
      const c = ctx.make({
        sleep: (ms, signal) =>
          new Promise((res, rej) => {
            const t = setTimeout(res, ms);
            signal?.addEventListener('abort', () => {
              clearTimeout(t);
              rej(new Error('aborted'));
            });
          }),
      });
      ctx.server.enqueue(replies.rateLimited(10));
      const p = c.createChatCompletion(basic(), { signal: ac.signal, onRetry: () => setTimeout(() => ac.abort(), 20) });
      const e = await rejects(p);
      assert.equal(e.kind, 'aborted');
      assert.equal(ctx.server.requests.length, 1);
    });
  });

  describe('timeouts before the answer', () => {
    it('headers of a stream wait up to timeoutMs (not connectTimeoutMs), then a TimeoutError that is retried', async () => {
      const c = ctx.make({ connectTimeoutMs: 50, timeoutMs: 300, maxRetries: 1 });
      ctx.server.enqueue(
        replies.slowHeaders(150, replies.stream(['slow first token'])),
        replies.slowHeaders(3000),
        replies.stream(['ok']),
      );
      const slow = await collect(c);
      assert.equal(slow.error, undefined, slow.error?.message);
      assert.equal(slow.acc.content, 'slow first token');
      const r = await collect(c);
      assert.equal(r.error, undefined, r.error?.message);
      assert.equal(r.acc.content, 'ok');
      assert.equal(r.retries.length, 1);
      assert.match(r.retries[0].reason, /^timeout \((headers|deadline)\)$/);
    });

    it('model-list headers use connectTimeoutMs', async () => {
      const c = ctx.make({ connectTimeoutMs: 100, maxRetries: 0 });
      ctx.server.modelsHandler = replies.slowHeaders(3000);
      const e = await rejects(c.listModels());
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /No answer from .*\/v1\/models within 0\.1 s/);
    });

    it('overall deadline of a non-streaming request', async () => {
      const c = ctx.make({ timeoutMs: 150, maxRetries: 0 });
      ctx.server.enqueue(replies.slowHeaders(3000));
      const e = await rejects(c.createChatCompletion(basic()));
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /within 0\.2 s|0\.1 s|0\.2 s/);
      assert.ok(e.url?.endsWith('/v1/chat/completions'));
    });
  });

  describe('HTTP errors', () => {
    it('429 with Retry-After (seconds) waits that long, reports the retry, then succeeds', async () => {
      ctx.server.enqueue(replies.rateLimited(2), replies.stream(['after wait']));
      const r = await collect(ctx.client);
      assert.equal(r.acc.content, 'after wait');
      assert.deepEqual(r.retries, [{ attempt: 1, maxRetries: 3, delayMs: 2000, reason: '429 Too Many Requests' }]);
      assert.deepEqual(ctx.sleeps, [2000]);
    });

    it('Retry-After as an HTTP date, retry-after-ms, and the 60 s cap', async () => {
      const date = new Date(Date.now() + 5000).toUTCString();
      ctx.server.enqueue(
        replies.rateLimited(date),
        replies.error(429, 'slow down', { 'retry-after-ms': '1500', 'retry-after': '9' }),
        replies.rateLimited(600),
        replies.stream(['ok']),
      );
      const r = await collect(ctx.client);
      assert.equal(r.acc.content, 'ok');
      assert.equal(ctx.sleeps.length, 3);
      assert.ok(ctx.sleeps[0] > 3000 && ctx.sleeps[0] <= 5000, `date -> ${ctx.sleeps[0]}`);
      assert.equal(ctx.sleeps[1], 1500);
      assert.equal(ctx.sleeps[2], 60_000);
    });

    it('a client closed while a request waits to retry (settings changed) lets that request finish', async () => {
      ctx.server.enqueue(replies.error(500, 'boom'), replies.error(500, 'boom'), replies.stream(['recovered']));
      let client: ReturnType<typeof ctx.make> | undefined = undefined;
      const closeDuringWait = async () => {
        await client?.close();
      };
      client = ctx.make({ sleep: closeDuringWait });
      const r = await collect(client);
      assert.equal(r.error, undefined, String(r.error?.message));
      assert.equal(r.acc.content, 'recovered');
      // The same for a JSON request (the model list).
      const models = ctx.make({ sleep: closeDuringWait });
      client = models;
      ctx.server.enqueue(replies.error(503, 'busy'));
      assert.ok((await models.listModels()).some((m) => m.id === 'bud-test-model'));
    });

    it('500 then 200: retried with backoff, answer arrives', async () => {
      ctx.server.enqueue(replies.error(500, 'boom'), replies.stream(['recovered']));
      const r = await collect(ctx.client);
      assert.equal(r.acc.content, 'recovered');
      assert.deepEqual(
        r.retries.map((x) => x.reason),
        ['500 Internal Server Error'],
      );
      assert.deepEqual(ctx.sleeps, [500]);
    });

    it('exponential backoff 500, 1000, 2000 ms, then the ServerError after max retries (default 3)', async () => {
      ctx.server.setDefault(replies.error(503, 'overloaded'));
      const e = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e.name, 'ServerError');
      assert.equal(e.status, 503);
      assert.deepEqual(ctx.sleeps, [500, 1000, 2000]);
      assert.equal(ctx.server.requests.length, 4);
      assert.match(e.message, /The server had an error \(503 Service Unavailable\)\. The server said: "overloaded"\./);
    });

    it('jitter takes up to 25 % off the backoff, and maxRetries is honoured', async () => {
      const c = ctx.make({ random: () => 0.999, maxRetries: 2 });
      ctx.server.setDefault(replies.error(502, 'bad'));
      await rejects(c.createChatCompletion(basic()));
      assert.equal(ctx.sleeps.length, 2);
      assert.ok(ctx.sleeps[0] >= 375 && ctx.sleeps[0] < 500);
      assert.ok(ctx.sleeps[1] >= 750 && ctx.sleeps[1] < 1000);
      assert.equal(ctx.server.requests.length, 3);
    });

    it('an HTML error page gives its title as the server message', async () => {
      const c = ctx.make({ maxRetries: 0 });
      ctx.server.enqueue(replies.htmlError(502));
      const r = await collect(c);
      assert.equal(r.error?.kind, 'server');
      assert.equal(r.error?.serverMessage, '502 Bad Gateway');
      assert.equal(r.error?.message, 'The server had an error (502 Bad Gateway). The server said: "502 Bad Gateway".');
    });

    it('an HTML 502 is retried and then succeeds', async () => {
      ctx.server.enqueue(replies.htmlError(502), replies.stream(['back']));
      const r = await collect(ctx.client);
      assert.equal(r.acc.content, 'back');
      assert.equal(r.retries.length, 1);
    });

    it('a text body gives its first line as the server message', async () => {
      ctx.server.enqueue(replies.textError(400, '\nupstream said no\nstack trace line 2\n'));
      const e = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e.serverMessage, 'upstream said no');
    });

    it('401 says "check your API key", is not retried, offers setApiKey', async () => {
      ctx.server.enqueue(replies.error(401, 'Invalid API key'));
      const e = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e.name, 'AuthenticationError');
      assert.equal(e.status, 401);
      assert.match(e.message, /check your API key/);
      assert.equal(e.serverMessage, 'Invalid API key');
      assert.equal(ctx.server.requests.length, 1);
      assert.deepEqual(toErrorInfo(e).actions.slice(0, 1), ['setApiKey']);
    });

    it('403, 404 (with the URL and model), 413, 422, 400 are not retried and say what to do', async () => {
      ctx.server.enqueue(
        replies.error(403, 'not allowed'),
        replies.error(404, "The model 'bud-test-model' does not exist"),
        replies.error(413, 'too big'),
        replies.error(422, 'bad field'),
        replies.error(400, 'bad request'),
      );
      const e403 = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e403.name, 'PermissionError');
      assert.match(e403.message, /Access denied \(403\).*"bud-test-model"/);
      const e404 = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e404.name, 'NotFoundError');
      assert.equal(e404.url, `${ctx.server.url}/v1/chat/completions`);
      assert.ok(e404.message.includes(`${ctx.server.url}/v1/chat/completions`));
      assert.match(e404.message, /the model "bud-test-model" or the base URL is wrong/);
      assert.deepEqual(toErrorInfo(e404).actions.slice(0, 2), ['selectModel', 'retry']);
      const e413 = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e413.kind, 'badRequest');
      assert.match(e413.message, /too large.*\(413\)/);
      const e422 = await rejects(ctx.client.createChatCompletion(basic()));
      assert.match(e422.message, /\(422\).*bad field/);
      const e400 = await rejects(ctx.client.createChatCompletion(basic()));
      assert.match(e400.message, /\(400 Bad Request\).*bad request/);
      assert.equal(ctx.server.requests.length, 5);
      assert.equal(ctx.sleeps.length, 0);
    });

    it('408 and 409 are retried', async () => {
      ctx.server.enqueue(replies.error(408, 'slow'), replies.error(409, 'conflict'), replies.stream(['ok']));
      const r = await collect(ctx.client);
      assert.equal(r.acc.content, 'ok');
      assert.deepEqual(
        r.retries.map((x) => x.reason),
        ['408 Request Timeout', '409 Conflict'],
      );
    });

    it('x-should-retry: false stops a retry of a 500', async () => {
      ctx.server.enqueue(replies.error(500, 'final', { 'x-should-retry': 'false' }));
      const e = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e.status, 500);
      assert.equal(ctx.server.requests.length, 1);
    });

    it('the request id header is on the error and in the message', async () => {
      ctx.server.enqueue(replies.error(400, 'nope', { 'x-request-id': 'req_abc123' }));
      const e = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e.requestId, 'req_abc123');
      assert.match(e.message, /request id req_abc123/);
      assert.equal(toErrorInfo(e).requestId, 'req_abc123');
    });

    it('a 200 with an HTML page on a non-streaming request is a clear error', async () => {
      ctx.server.enqueue((_q, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><title>Login</title></html>');
      });
      const e = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e.kind, 'incomplete');
      assert.match(e.message, /not with JSON: Login\. Check the base URL\./);
    });

    it('a 200 JSON body with an error object is a StreamError with the server message', async () => {
      ctx.server.enqueue((_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"quota exceeded"}}');
      });
      const e = await rejects(ctx.client.createChatCompletion(basic()));
      assert.equal(e.kind, 'streamError');
      assert.equal(e.serverMessage, 'quota exceeded');
    });
  });

  describe('connection failures', () => {
    it('connection refused is retried, then a ConnectionError naming the host', async () => {
      const port = ctx.server.port;
      await ctx.server.close();
      const c = ctx.make({ baseUrl: `http://127.0.0.1:${port}` });
      const r = await collect(c);
      assert.equal(r.error?.name, 'ConnectionError');
      assert.equal(
        r.error?.message,
        `Could not connect to 127.0.0.1:${port}: connection refused. Check the base URL and that the server is running.`,
      );
      assert.deepEqual(
        r.retries.map((x) => x.reason),
        ['connection refused', 'connection refused', 'connection refused'],
      );
      assert.deepEqual(toErrorInfo(r.error).actions[0], 'retry');
      ctx.server = await (await import('../../../scripts/server/openai-server')).startTestServer(); // for afterEach
    });

    it('a connection closed after the headers but before the first byte is retried', async () => {
      ctx.server.enqueue(
        (_q, res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.flushHeaders();
          setTimeout(() => res.socket?.destroy(), 20);
        },
        replies.stream(['second try']),
      );
      const r = await collect(ctx.client);
      assert.equal(r.error, undefined, r.error?.message);
      assert.equal(r.acc.content, 'second try');
      assert.equal(r.retries.length, 1);
      assert.equal(ctx.server.requests.length, 2);
    });

    it('DNS failure names the host', async () => {
      const dispatcher = new Agent({
        connect: {
          lookup: (_h: string, _o: unknown, cb: (e: Error) => void) =>
            cb(Object.assign(new Error('getaddrinfo ENOTFOUND gateway.example'), { code: 'ENOTFOUND' })),
        } as object,
      });
      const c = ctx.make({ baseUrl: 'http://gateway.example', dispatcher, maxRetries: 0 });
      const e = await rejects(c.createChatCompletion(basic()));
      assert.equal(e.kind, 'connection');
      assert.match(e.message, /Could not find the host gateway\.example \(DNS lookup failed\)/);
      await dispatcher.close();
    });

    it('a TLS certificate failure says how to fix it and is not retried', async () => {
      const connector = buildConnector({});
      const dispatcher = new Agent({
        connect: (opts, cb) => {
          void connector;
          cb(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), null);
        },
      });
      const c = ctx.make({ baseUrl: 'https://gateway.example', dispatcher });
      const e = await rejects(c.createChatCompletion(basic()));
      assert.equal(e.kind, 'connection');
      assert.match(e.message, /TLS.*DEPTH_ZERO_SELF_SIGNED_CERT.*verify_ssl = false/);
      assert.equal(ctx.sleeps.length, 0);
      await dispatcher.close();
    });
  });

  describe('the API key never leaks', () => {
    it('not in any error message, server message or log line, even when the server echoes it', async () => {
      const c = ctx.make({ maxRetries: 1 });
      ctx.server.enqueue(
        replies.error(401, `Incorrect API key provided: ${KEY}`),
        replies.htmlError(500, `Error for Bearer ${KEY}`),
        replies.textError(500, `key=${KEY}`),
        replies.streamError(`bad key ${KEY}`),
        (_q, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `quota for ${KEY}` } }));
        },
      );
      const errors = [
        await rejects(c.createChatCompletion(basic())),
        (await collect(c)).error,
        (await collect(c)).error,
        await rejects(c.createChatCompletion(basic())),
      ];
      for (const e of errors) {
        assert.ok(e);
        const all = JSON.stringify({
          m: e.message,
          s: e.serverMessage,
          p: e.partialContent,
          i: toErrorInfo(e),
          str: String(e),
        });
        assert.ok(!all.includes(KEY), `leaked: ${all}`);
        assert.ok(all.includes('[redacted]'), 'the echoed key is replaced');
      }
      assert.ok(ctx.logs.length >= 5);
      for (const l of ctx.logs) assert.ok(!formatRequestLog(l).includes(KEY) && !JSON.stringify(l).includes(KEY));
    });
  });

  describe('logging', () => {
    it('one line per request attempt, with method, URL, status, duration and chunk count', async () => {
      ctx.server.enqueue(replies.error(500, 'x', { 'x-request-id': 'r1' }), replies.stream(['a', 'b']));
      await collect(ctx.client);
      assert.equal(ctx.logs.length, 2);
      assert.equal(ctx.logs[0].status, 500);
      assert.equal(ctx.logs[0].requestId, 'r1');
      assert.equal(ctx.logs[1].attempt, 2);
      assert.equal(ctx.logs[1].status, 200);
      assert.equal(ctx.logs[1].chunks, 5);
      const line = formatRequestLog(ctx.logs[1]);
      assert.match(
        line,
        new RegExp(
          `^POST ${ctx.server.url}/v1/chat/completions stream model=bud-test-model attempt=2 -> 200 in \\d+ ms \\(5 chunks\\)$`,
        ),
      );
    });
  });
});

describe('BudClient: connect timeout', () => {
  const ctx = useServer({ random: () => 0 });

  it('a connect timeout is a TimeoutError naming the host and is retried', async () => {
    const { errors } = await import('undici');
    let attempts = 0;
    const dispatcher = new Agent({
      connect: (_opts, cb) => {
        attempts++;
        setTimeout(() => cb(new errors.ConnectTimeoutError(), null), 5);
      },
    });
    const c = ctx.make({ baseUrl: 'http://gateway.example:8443', dispatcher, connectTimeoutMs: 2000, maxRetries: 2 });
    const r = await collect(c);
    assert.equal(r.error?.kind, 'timeout');
    assert.equal((r.error as { phase?: string }).phase, 'connect');
    assert.equal(
      r.error?.message,
      'Could not connect to gateway.example:8443 within 2 s. Check the base URL and your network.',
    );
    assert.deepEqual(
      r.retries.map((x) => x.reason),
      ['timeout (connect)', 'timeout (connect)'],
    );
    assert.equal(attempts, 3);
    await dispatcher.close();
  });
});
