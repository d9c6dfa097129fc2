// Property of the client as a whole: a server that echoes the key — in any encoding, at any offset (so the key
// may straddle the points where long server text is cut for display), in any place a server can put text (an
// error body as JSON, HTML or text, an error event inside a stream, a chunk that is not JSON, a 200 answer that
// is not a completion) — never gets it into an error message, a server message, the error shown to the user or
// a log line. Runs against the real local server.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { BudClient, formatRequestLog, type RequestLogInfo } from '../../../src/api/client';
import type { BudError } from '../../../src/api/errors';
import { toErrorInfo } from '../../../src/chat/errorInfo';
import { startTestServer, type Handler, type TestServer } from '../../../scripts/server/openai-server';
import { basic, collect, rejects } from '../api/helpers';
import { itHolds } from './property';
import { choicesArb, encodeKey, ENCODINGS, keyArb, recoverable } from './keyForms';

type Place =
  | 'json-4xx'
  | 'json-5xx'
  | 'html'
  | 'text'
  | 'stream-error'
  | 'event-error'
  | 'bad-chunk'
  | 'not-completion'
  | 'not-json-200'
  | 'json-error-200';
const PLACES: Place[] = [
  'json-4xx',
  'json-5xx',
  'html',
  'text',
  'stream-error',
  'event-error',
  'bad-chunk',
  'not-completion',
  'not-json-200',
  'json-error-200',
];

/** A server reply that carries `text` in `place`. */
function replyWith(place: Place, text: string): { handler: Handler; stream: boolean } {
  const send =
    (status: number, type: string, body: string): Handler =>
    (_q, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
  const sse = (body: string): Handler => send(200, 'text/event-stream', body);
  switch (place) {
    case 'json-4xx':
      return { handler: send(422, 'application/json', JSON.stringify({ error: { message: text } })), stream: true };
    case 'json-5xx':
      return { handler: send(503, 'application/json', JSON.stringify({ detail: text })), stream: false };
    case 'html':
      return {
        handler: send(
          502,
          'text/html',
          `<!DOCTYPE html><html><head><title>${text}</title></head><body><h1>${text}</h1></body></html>`,
        ),
        stream: true,
      };
    case 'text':
      return { handler: send(500, 'text/plain', text), stream: false };
    case 'stream-error':
      return {
        handler: sse(
          `data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: ${JSON.stringify({ error: { message: text } })}\n\n`,
        ),
        stream: true,
      };
    case 'event-error':
      return { handler: sse(`event: error\ndata: ${text.replace(/[\r\n]/g, ' ')}\n\n`), stream: true };
    case 'bad-chunk':
      return { handler: sse(`data: {"oops": ${JSON.stringify(text).replace(/[\r\n]/g, ' ')}\n\n`), stream: true };
    case 'not-completion':
      return { handler: send(200, 'application/json', JSON.stringify({ echo: text })), stream: false };
    case 'not-json-200':
      return { handler: send(200, 'text/plain', text), stream: false };
    case 'json-error-200':
      return { handler: send(200, 'application/json', JSON.stringify({ error: { message: text } })), stream: true };
  }
}

describe('key redaction through the client (fast-check, local server)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  itHolds(
    'client: a key the server echoes anywhere, in any encoding, never reaches a message, the error shown or the log',
    { numRuns: 120, timeLimitMs: 5000 },
    () =>
      fc.asyncProperty(
        keyArb,
        fc.constantFrom(...ENCODINGS),
        choicesArb,
        fc.constantFrom(...PLACES),
        fc.nat(620),
        fc.string({ maxLength: 20 }),
        async (key, how, c, place, pad, tail) => {
          // A key with characters no HTTP header may carry never gets as far as a request.
          fc.pre(/^[\x21-\x7e]+$/.test(key));
          const echoed = encodeKey(key, how, c);
          // `pad` characters first, so the key lands on either side of every cut (200 for previews, 500 for messages).
          const text = `${'p'.repeat(pad)}key ${echoed}${tail}`;
          const { handler, stream } = replyWith(place, text);
          const logs: RequestLogInfo[] = [];
          const client = new BudClient({
            baseUrl: server.url,
            apiKey: key,
            maxRetries: 0,
            logger: { request: (i) => logs.push(i) },
          });
          try {
            server.enqueue(handler);
            const err: BudError | undefined = stream
              ? (await collect(client, basic())).error
              : await rejects(client.createChatCompletion(basic()));
            assert.ok(err, `${place} fails`);
            const shown = [
              err.message,
              err.serverMessage ?? '',
              String(err),
              JSON.stringify(toErrorInfo(err)),
              ...logs.map(formatRequestLog),
            ];
            for (const s of shown)
              assert.ok(!recoverable(s, key), `the key can be read back from: ${JSON.stringify(s)}`);
          } finally {
            await client.close();
          }
        },
      ),
  );
});

describe('key redaction through the client: shrunk cases', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('a 200 that is not a completion, and an escaped line break inside the key, leave no key in the error', async () => {
    const key = 'aaaaaaaa';
    const client = new BudClient({ baseUrl: server.url, apiKey: key, maxRetries: 0 });
    try {
      server.enqueue(
        replyWith('not-completion', 'key aaaaaaaa').handler,
        replyWith('json-4xx', 'key a\\naaaaaaa').handler,
      );
      const a = await rejects(client.createChatCompletion(basic()));
      assert.match(a.message, /not a chat completion.*\[redacted\]/);
      const b = (await collect(client, basic())).error!;
      for (const s of [a.message, b.message, b.serverMessage ?? '']) assert.ok(!recoverable(s, key), s);
    } finally {
      await client.close();
    }
  });
});
