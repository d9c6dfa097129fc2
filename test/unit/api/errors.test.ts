// Error classes, toErrorInfo actions, server message extraction, base URL normalisation.
import * as assert from 'node:assert/strict';
import {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  BudError,
  ConnectionError,
  IncompleteResponseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  StreamError,
  TimeoutError,
  ValidationError,
  redact,
} from '../../../src/api/errors';
import { toErrorInfo } from '../../../src/chat/errorInfo';
import { serverMessageFromBody } from '../../../src/api/serverMessage';
import { normaliseBaseUrl } from '../../../src/api/url';

describe('errors', () => {
  it('each class has its kind, status and retryable default', () => {
    const rows: [BudError, string, number | undefined, boolean][] = [
      [new AuthenticationError('a'), 'auth', 401, false],
      [new PermissionError('a'), 'permission', 403, false],
      [new NotFoundError('a'), 'notFound', 404, false],
      [new BadRequestError('a', { status: 422 }), 'badRequest', 422, false],
      [new RateLimitError('a'), 'rateLimit', 429, true],
      [new ServerError('a', { status: 503 }), 'server', 503, true],
      [new ConnectionError('a'), 'connection', undefined, true],
      [new TimeoutError('a', 'idle'), 'timeout', undefined, false],
      [new IncompleteResponseError('a'), 'incomplete', undefined, false],
      [new StreamError('a'), 'streamError', undefined, false],
      [new AbortedError(), 'aborted', undefined, false],
      [new ValidationError('a'), 'validation', undefined, false],
    ];
    for (const [e, kind, status, retryable] of rows) {
      assert.ok(e instanceof BudError && e instanceof Error);
      assert.equal(e.kind, kind);
      assert.equal(e.status, status);
      assert.equal(e.retryable, retryable, e.name);
    }
    assert.equal(new AuthenticationError('x').name, 'AuthenticationError');
  });

  it('toErrorInfo carries kind, message, status, request id, URL and the fixing actions', () => {
    const e = new AuthenticationError('Authentication failed (401): check your API key.', {
      requestId: 'r',
      url: 'http://h/v1/chat/completions',
    });
    assert.deepEqual(toErrorInfo(e), {
      kind: 'auth',
      message: e.message,
      status: 401,
      requestId: 'r',
      url: 'http://h/v1/chat/completions',
      actions: ['setApiKey', 'retry', 'showLog'],
    });
    assert.deepEqual(toErrorInfo(new NotFoundError('x')).actions, ['selectModel', 'retry', 'openSettings', 'showLog']);
    assert.deepEqual(toErrorInfo(new ValidationError('x', 'model', 'noModel')).actions, ['selectModel', 'retry']);
    assert.deepEqual(toErrorInfo(new ServerError('x')).actions, ['retry', 'showLog']);
    assert.deepEqual(toErrorInfo(new RateLimitError('x')).actions, ['retry', 'showLog']);
    assert.deepEqual(toErrorInfo(new Error('plain')), {
      kind: 'unknown',
      message: 'plain',
      actions: ['retry', 'showLog'],
    });
    assert.deepEqual(toErrorInfo('weird'), { kind: 'unknown', message: 'weird', actions: ['retry', 'showLog'] });
  });

  it('redact replaces every occurrence of the key', () => {
    assert.equal(redact('a sk-123456 b sk-123456', 'sk-123456'), 'a [redacted] b [redacted]');
    assert.equal(redact('abc', ''), 'abc');
    // A placeholder such as the demo backend's "demo" is not a secret: the message stays readable.
    assert.equal(redact('the demo server said no', 'demo'), 'the demo server said no');
  });
});

describe('serverMessageFromBody', () => {
  it('reads the JSON shapes gateways use', () => {
    assert.equal(
      serverMessageFromBody('{"error":{"message":"Invalid key","type":"x"}}', 'application/json'),
      'Invalid key',
    );
    assert.equal(serverMessageFromBody('{"error":"Model not loaded"}'), 'Model not loaded');
    assert.equal(serverMessageFromBody('{"message":"Unauthorized"}'), 'Unauthorized');
    assert.equal(serverMessageFromBody('{"detail":"Not authenticated"}'), 'Not authenticated');
    assert.equal(
      serverMessageFromBody('{"detail":[{"loc":["body","temperature"],"msg":"must be <= 2"}]}'),
      'body.temperature: must be <= 2',
    );
    assert.equal(serverMessageFromBody('{"errors":[{"message":"first"}]}'), 'first');
  });

  it('reads the title (or first text line) of an HTML page, and the first line of text', () => {
    assert.equal(
      serverMessageFromBody(
        '<html><head><title>503 Service Temporarily Unavailable</title></head><body>x</body></html>',
        'text/html',
      ),
      '503 Service Temporarily Unavailable',
    );
    assert.equal(
      serverMessageFromBody('<!DOCTYPE html>\n<html><body>\n<h1>Gateway &amp; Timeout</h1></body></html>'),
      'Gateway & Timeout',
    );
    assert.equal(
      serverMessageFromBody('<html><body><p>\n\nSomething broke</p></body></html>', 'text/html'),
      'Something broke',
    );
    assert.equal(
      serverMessageFromBody('\n  upstream connect error\nreset reason: overflow', 'text/plain'),
      'upstream connect error',
    );
    assert.equal(serverMessageFromBody('', 'text/plain'), undefined);
  });

  it('clips very long messages', () => {
    assert.ok(serverMessageFromBody('x'.repeat(5000))!.length <= 500);
  });
});

describe('normaliseBaseUrl', () => {
  const rows: [string, string][] = [
    ['https://gateway.bud.studio', 'https://gateway.bud.studio/v1'],
    ['https://gateway.bud.studio/', 'https://gateway.bud.studio/v1'],
    ['https://gateway.bud.studio/v1', 'https://gateway.bud.studio/v1'],
    ['https://gateway.bud.studio/v1/', 'https://gateway.bud.studio/v1'],
    ['  https://gateway.bud.studio/v1/chat/completions  ', 'https://gateway.bud.studio/v1'],
    ['https://h.example/proxy/openai', 'https://h.example/proxy/openai/v1'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/v1'],
    ['localhost:11434/v1', 'http://localhost:11434/v1'],
    ['https://user:pw@h.example/v1?x=1#y', 'https://h.example/v1'],
    ['http://my_service:8000', 'http://my_service:8000/v1'],
  ];
  for (const [input, out] of rows) {
    it(`${JSON.stringify(input)} -> ${out}`, () => {
      const n = normaliseBaseUrl(input);
      assert.equal(n.error, undefined);
      assert.equal(n.url, out);
    });
  }
  it('rejects what is not an http(s) URL', () => {
    assert.match(normaliseBaseUrl('').error!, /empty/);
    assert.match(normaliseBaseUrl('not a url').error!, /not a valid URL/);
    assert.match(normaliseBaseUrl('ftp://h.example').error!, /http:\/\/ or https:\/\//);
  });
});
