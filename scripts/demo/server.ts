// The built-in demo backend for `npm start`: an OpenAI-compatible server on 127.0.0.1 built on the shared
// test server (scripts/server/openai-server.ts). It streams Markdown answers with small delays, lists the
// demo models, explains selections and exercises a tool call (see ./answers.ts for what it says).
//
// Run alone (no VS Code): `node scripts/start.mjs --backend-only [--port N]`.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type RecordedRequest, type TestServer } from '../server/openai-server';
import { DEMO_MODELS, DEMO_WINDOWS, planReply, roughTokens, streamPieces, type DemoPlan } from './answers';

export interface DemoServerOptions {
  port?: number;
  /** Pause between streamed pieces (default 30 ms; 0 in tests). */
  delayMs?: number;
}

const pause = (ms: number) => (ms > 0 ? sleep(ms) : Promise.resolve());

let callCounter = 0;

function sse(res: ServerResponse, obj: unknown): void {
  res.write(`data: ${JSON.stringify(obj)}\n\n`);
}

function usageFor(req: RecordedRequest, completion: string) {
  const prompt = roughTokens(JSON.stringify(req.body?.messages ?? []));
  const completionTokens = roughTokens(completion);
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens };
}

async function respond(plan: DemoPlan, req: RecordedRequest, res: ServerResponse, delayMs: number): Promise<void> {
  const model = String(req.body?.model ?? DEMO_MODELS[0]);
  const base = { id: `chatcmpl-demo-${Date.now()}`, created: Math.floor(Date.now() / 1000), model };

  if (plan.kind === 'error') {
    await pause(delayMs * 5);
    res.writeHead(plan.status, { 'content-type': 'application/json', ...(plan.headers ?? {}) });
    res.end(JSON.stringify({ error: { message: plan.message, type: 'demo_error', code: plan.status } }));
    return;
  }

  const toolCall =
    plan.kind === 'toolCall'
      ? {
          id: `call_demo_${++callCounter}`,
          type: 'function' as const,
          function: { name: plan.name, arguments: JSON.stringify(plan.args) },
        }
      : undefined;
  const content = plan.kind === 'toolCall' ? '' : plan.text;

  if (!req.body?.stream) {
    await pause(delayMs * 10);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: toolCall
              ? { role: 'assistant', content: null, tool_calls: [toolCall] }
              : { role: 'assistant', content },
            finish_reason: toolCall ? 'tool_calls' : plan.kind === 'text' && plan.finish ? plan.finish : 'stop',
          },
        ],
        usage: usageFor(req, content || JSON.stringify(toolCall)),
      }),
    );
    return;
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  sse(res, chunk({ role: 'assistant', content: '' }));
  await pause(delayMs * 4); // "time to first token"

  if (toolCall) {
    const args = toolCall.function.arguments;
    const half = Math.ceil(args.length / 2);
    sse(
      res,
      chunk({
        tool_calls: [
          { index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.function.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of [args.slice(0, half), args.slice(half)]) {
      await pause(delayMs);
      if (res.destroyed) return;
      sse(res, chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
    sse(res, chunk({}, 'tool_calls'));
  } else {
    for (const piece of streamPieces(content)) {
      if (res.destroyed) return;
      sse(res, chunk({ content: piece }));
      await pause(delayMs);
    }
    if (plan.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    sse(res, chunk({}, plan.kind === 'text' && plan.finish ? plan.finish : 'stop'));
  }
  if (req.body?.stream_options?.include_usage)
    sse(res, {
      ...base,
      object: 'chat.completion.chunk',
      choices: [],
      usage: usageFor(req, content || args(toolCall)),
    });
  res.end('data: [DONE]\n\n');
}

function args(call: { function: { arguments: string } } | undefined): string {
  return call?.function.arguments ?? '';
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<TestServer> {
  const delayMs = options.delayMs ?? 30;
  const server: TestServer = await startTestServer({
    port: options.port,
    models: [...DEMO_MODELS],
    defaultHandler: (req, res) => {
      if (server.requests.length > 100) server.requests.splice(0, server.requests.length - 100); // a long session must not grow without bound
      return respond(planReply(req.body ?? {}), req, res, delayMs);
    },
  });
  // The list states each model's context window, as vLLM and gateways do (the meter then says "server").
  const entry = (id: string) => ({ id, object: 'model', owned_by: 'bud', context_length: DEMO_WINDOWS[id] });
  server.modelsHandler = (req, res) => {
    const one = /\/models\/([^/?]+)/.exec(req.url)?.[1];
    const id = one ? decodeURIComponent(one) : undefined;
    if (id && !DEMO_MODELS.includes(id)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `The model '${id}' does not exist`, type: 'error', code: 404 } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(id ? entry(id) : { object: 'list', data: DEMO_MODELS.map(entry) }));
  };
  return server;
}
