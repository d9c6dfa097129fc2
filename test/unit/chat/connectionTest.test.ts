import * as assert from 'node:assert/strict';
import { BudClient } from '../../../src/api/client';
import { formatReport, runConnectionTest } from '../../../src/connection/connectionTest';
import { replies, startTestServer, type TestServer } from '../../../scripts/server/openai-server';

describe('Test Connection', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });
  const client = (key = 'sk-test') => new BudClient({ baseUrl: server.url, apiKey: key, maxRetries: 0 });

  it('reports the URL, model count, streaming and a tool call', async () => {
    server.enqueue(
      replies.raw([
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bud-test-model', choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'ping', arguments: '{}' } }] }, finish_reason: null }] })}\n\n`,
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bud-test-model', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`,
        'data: [DONE]\n\n',
      ]),
    );
    const r = await runConnectionTest(client(), '');
    assert.equal(r.url, `${server.url}/v1`);
    assert.equal(r.models.count, 2);
    assert.equal(r.model, 'bud-test-model', 'uses the first listed model when none is set');
    assert.equal(r.stream.ok, true);
    assert.equal(r.toolCalls, 'yes');
    assert.equal(r.ok, true);
    const body = server.requests.find((q) => q.method === 'POST')!.body;
    assert.equal(body.stream, true);
    assert.equal(body.tools[0].function.name, 'ping');
    const lines = formatReport(r);
    assert.match(lines[0], /^URL: http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.match(lines[1], /^Models: 2 listed in \d+ ms$/);
    assert.match(lines[2], /^Streaming \(bud-test-model\): works/);
    assert.match(lines[3], /^Tool calls: work/);
  });

  it('says when the model answers without calling the tool', async () => {
    server.enqueue(replies.stream(['OK']));
    const r = await runConnectionTest(client(), 'bud-small');
    assert.equal(r.toolCalls, 'no');
    assert.equal(r.model, 'bud-small');
    assert.match(formatReport(r)[3], /accepted, but the model answered without calling it/);
  });

  it('a 401 on /models stops with an auth error that offers Set API Key', async () => {
    // The fixture answers GET /models itself, so a server that refuses every key stands in for a wrong key.
    const http = await import('node:http');
    const s401 = http.createServer((_q, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"Invalid API key"}}');
    });
    await new Promise<void>((r) => s401.listen(0, '127.0.0.1', r));
    const port = (s401.address() as import('node:net').AddressInfo).port;
    try {
      const r = await runConnectionTest(
        new BudClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'sk-wrong', maxRetries: 0 }),
        'm',
      );
      assert.equal(r.ok, false);
      assert.equal(r.models.error!.kind, 'auth');
      assert.ok(r.models.error!.actions.includes('setApiKey'));
      assert.match(formatReport(r)[1], /^Models: failed — /);
      assert.match(formatReport(r)[2], /not tested/);
    } finally {
      await new Promise((r) => s401.close(r));
    }
  });
});
