// What the server receives: every parameter, auth, URL normalisation, stream_options and its fallback.
import * as assert from 'node:assert/strict';
import { BudClient } from '../../../src/api/client';
import type { ChatCompletionParams } from '../../../src/api/types';
import { replies } from '../../../scripts/server/openai-server';
import { basic, collect, KEY, rejects, useServer } from './helpers';

describe('BudClient: request body and headers', () => {
  const ctx = useServer();

  const cases: [string, Partial<ChatCompletionParams>][] = [
    ['temperature', { temperature: 0.7 }],
    ['top_p', { top_p: 0.95 }],
    ['max_tokens', { max_tokens: 100 }],
    ['stop (string)', { stop: 'DONE' }],
    ['stop (list)', { stop: ['END', 'STOP'] }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: -0.5 }],
    ['user', { user: 'user-123' }],
    [
      'tools',
      {
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather',
              parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
            },
          },
        ],
      },
    ],
    ['tool_choice auto', { tool_choice: 'auto' }],
    ['tool_choice none', { tool_choice: 'none' }],
    ['tool_choice required', { tool_choice: 'required' }],
    ['tool_choice named function', { tool_choice: { type: 'function', function: { name: 'get_weather' } } }],
  ];
  for (const [name, extra] of cases) {
    for (const stream of [false, true]) {
      it(`sends ${name} (${stream ? 'streaming' : 'non-streaming'})`, async () => {
        const params = basic(extra);
        if (stream) await collect(ctx.client, params);
        else await ctx.client.createChatCompletion(params);
        const body = ctx.server.requests[0].body;
        const [key, value] = Object.entries(extra)[0];
        assert.deepEqual(body[key], value);
        assert.equal(body.stream, stream);
      });
    }
  }

  it('sends all parameters together, exactly', async () => {
    const params = basic({
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: 100,
      stop: ['\n\n'],
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      user: 'user-123',
    });
    await ctx.client.createChatCompletion(params);
    assert.deepEqual(ctx.server.requests[0].body, {
      model: 'bud-test-model',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: false,
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: 100,
      stop: ['\n\n'],
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      user: 'user-123',
    });
  });

  it('leaves unset (and undefined) parameters out of the body', async () => {
    await ctx.client.createChatCompletion(basic({ temperature: undefined, stop: undefined }));
    assert.deepEqual(Object.keys(ctx.server.requests[0].body).sort(), ['messages', 'model', 'stream']);
    await collect(ctx.client);
    assert.deepEqual(Object.keys(ctx.server.requests[1].body).sort(), [
      'messages',
      'model',
      'stream',
      'stream_options',
    ]);
  });

  it('temperature 0 is sent (falsy but set)', async () => {
    await ctx.client.createChatCompletion(basic({ temperature: 0, presence_penalty: 0 }));
    assert.equal(ctx.server.requests[0].body.temperature, 0);
    assert.equal(ctx.server.requests[0].body.presence_penalty, 0);
  });

  it('sends tool-call history as the wire format (no reasoning_content / refusal sent back)', async () => {
    const messages: ChatCompletionParams['messages'] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'secret thoughts',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"London"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"t":20}' },
    ];
    await ctx.client.createChatCompletion(basic({ messages }));
    assert.deepEqual(ctx.server.requests[0].body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"London"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"t":20}' },
    ]);
  });

  it('sends Authorization: Bearer, JSON content type, accept and user agent', async () => {
    await collect(ctx.client);
    const h = ctx.server.requests[0].headers;
    assert.equal(h.authorization, `Bearer ${KEY}`);
    assert.equal(h['content-type'], 'application/json');
    assert.equal(h.accept, 'text/event-stream');
    assert.match(String(h['user-agent']), /^bud-chat-vscode\//);
    await ctx.client.createChatCompletion(basic());
    assert.equal(ctx.server.requests[1].headers.accept, 'application/json');
  });

  it('asks for stream_options.include_usage when streaming and returns the usage', async () => {
    const r = await collect(ctx.client);
    assert.deepEqual(ctx.server.requests[0].body.stream_options, { include_usage: true });
    assert.ok(r.acc.usage && r.acc.usage.total_tokens > 0);
  });

  it('retries once without stream_options on a 400 and remembers it', async () => {
    ctx.server.setDefault(replies.rejectStreamOptions(replies.stream(['Fine'])));
    const r = await collect(ctx.client);
    assert.equal(r.error, undefined, r.error?.message);
    assert.equal(r.acc.content, 'Fine');
    assert.equal(ctx.server.requests.length, 2);
    assert.deepEqual(ctx.server.requests[0].body.stream_options, { include_usage: true });
    assert.equal(ctx.server.requests[1].body.stream_options, undefined);
    assert.equal(ctx.client.streamUsageSupported, false);
    // remembered: the next stream goes without it at once, also from a new client for the same server
    const r2 = await collect(ctx.client);
    assert.equal(r2.acc.content, 'Fine');
    assert.equal(ctx.server.requests.length, 3);
    assert.equal(ctx.server.requests[2].body.stream_options, undefined);
    const r3 = await collect(ctx.make({ baseUrl: `${ctx.server.url}/v1/` }));
    assert.equal(r3.acc.content, 'Fine');
    assert.equal(ctx.server.requests.length, 4);
    assert.equal(ctx.server.requests[3].body.stream_options, undefined);
  });

  it('a 400 that is not about stream_options fails after the one retry and is not remembered', async () => {
    ctx.server.enqueue(replies.error(400, 'context too long'), replies.error(400, 'context too long'));
    const r = await collect(ctx.client);
    assert.equal(r.error?.kind, 'badRequest');
    assert.equal(r.error?.status, 400);
    assert.equal(ctx.server.requests.length, 2);
    assert.equal(ctx.client.streamUsageSupported, true);
  });

  it('a 400 the caller knows is unrelated (a context refusal) is not asked again without stream_options', async () => {
    const refusal =
      "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens in the messages, Please reduce the length of the messages.";
    ctx.server.enqueue(replies.error(400, refusal), replies.stream(['never']));
    const c = ctx.make({ isUnrelated400: (e) => /maximum context length/.test(e.serverMessage ?? '') });
    const r = await collect(c);
    assert.equal(r.error?.status, 400);
    assert.equal(ctx.server.requests.length, 1, 'refused once, not twice');
    assert.match(r.error.body!, /"message":"This model's maximum context length is 4096/);
    assert.equal(c.streamUsageSupported, true);
  });

  for (const suffix of ['', '/', '/v1', '/v1/', '/v1/chat/completions', '//']) {
    it(`normalises the base URL "<server>${suffix}" to <server>/v1`, async () => {
      const c = ctx.make({ baseUrl: ctx.server.url + suffix });
      assert.equal(c.baseUrl, `${ctx.server.url}/v1`);
      await c.createChatCompletion(basic());
      assert.equal(ctx.server.requests[0].url, '/v1/chat/completions');
    });
  }

  it('keeps a gateway path prefix and adds /v1 after it', () => {
    assert.equal(
      new BudClient({ baseUrl: 'https://example.com/openai/', apiKey: 'k' }).baseUrl,
      'https://example.com/openai/v1',
    );
    assert.equal(
      new BudClient({ baseUrl: 'gateway.bud.studio', apiKey: 'k' }).baseUrl,
      'https://gateway.bud.studio/v1',
    );
    assert.equal(new BudClient({ baseUrl: 'localhost:8000', apiKey: 'k' }).baseUrl, 'http://localhost:8000/v1');
  });

  it('an invalid base URL fails each call with a validation error naming it', async () => {
    const c = new BudClient({ baseUrl: 'ht!tp:// nope', apiKey: 'k' });
    const e = await rejects(c.createChatCompletion(basic()));
    assert.equal(e.kind, 'validation');
    assert.match(e.message, /not a valid URL/);
    await c.close();
  });

  it('listModels and retrieveModel use /v1/models', async () => {
    const models = await ctx.client.listModels();
    assert.deepEqual(
      models.map((m) => m.id),
      ['bud-test-model', 'bud-small'],
    );
    assert.equal(ctx.server.requests[0].url, '/v1/models');
    assert.equal(ctx.server.requests[0].headers.authorization, `Bearer ${KEY}`);
    const m = await ctx.client.retrieveModel('bud-small');
    assert.equal(m.id, 'bud-small');
    assert.equal(ctx.server.requests[1].url, '/v1/models/bud-small');
    const e = await rejects(ctx.client.retrieveModel('nope'));
    assert.equal(e.kind, 'notFound');
    assert.match(e.message, /\/v1\/models\/nope/);
  });

  it('non-streaming completion returns the ChatCompletion as sent', async () => {
    const r = await ctx.client.createChatCompletion(basic({ messages: [{ role: 'user', content: 'ping' }] }));
    assert.equal(r.object, 'chat.completion');
    assert.equal(r.choices[0].message.content, 'You said: ping');
    assert.equal(r.choices[0].finish_reason, 'stop');
    assert.ok(r.usage);
  });

  it('validation runs before anything is sent', async () => {
    const e = await rejects(ctx.client.createChatCompletion(basic({ temperature: 3 })));
    assert.equal(e.kind, 'validation');
    const r = await collect(ctx.client, basic({ model: '' }));
    assert.equal(r.error?.kind, 'noModel');
    assert.match(r.error.message, /No model is selected/);
    assert.equal(ctx.server.requests.length, 0);
  });
});

describe('BudClient: model list errors and shapes', () => {
  const ctx = useServer();

  it('401 on /v1/models says check your API key', async () => {
    ctx.server.modelsHandler = replies.error(401, 'bad key');
    const e = await rejects(ctx.client.listModels());
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /check your API key/);
    assert.equal(e.url, `${ctx.server.url}/v1/models`);
  });

  it('a bare array and plain string ids are accepted', async () => {
    ctx.server.modelsHandler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('["a",{"id":"b"},{"nope":1}]');
    };
    assert.deepEqual(
      (await ctx.client.listModels()).map((m) => m.id),
      ['a', 'b'],
    );
  });

  it('an HTML page on /v1/models is a clear error naming the URL', async () => {
    ctx.server.modelsHandler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><title>Sign in</title></html>');
    };
    const e = await rejects(ctx.client.listModels());
    assert.match(e.message, new RegExp(`${ctx.server.url}/v1/models answered 200 but not with JSON: Sign in`));
  });
});
