// A chat server with a real context window, for the end-to-end tests of context fitting (and for trying it by
// hand with the demo backend): it counts every prompt with the same o200k counter as Bud, refuses a request that
// does not fit exactly as vLLM (or OpenAI) words it, and cuts an answer off at the window with
// finish_reason "length". Use it as the default handler of the test server (openai-server.ts):
//
//   const ctx = contextServer({ window: 4096, advertise: true, refuseAs: 'vllm' });
//   const api = await startTestServer({ models: ['m'], defaultHandler: ctx.handler });
//   api.modelsHandler = ctx.modelsHandler;
//
// What the model "says" depends on the last user message:
//   contains "[read]"  first a read_file tool call (README.md), then an answer built from the tool result;
//   contains "[cut]"   a long answer: cut off at the token limit (finish "length"); a request that ends with that
//                      partial answer (Continue) gets the rest, which ends normally unless "[cut twice]" asks for
//                      a second cut;
//   otherwise          an answer of about `answerTokens` tokens.
import type { ServerResponse } from 'node:http';
import { TokenCounter } from '../../src/context/counter';
import type { Handler, RecordedRequest } from './openai-server';

export interface ContextServerOptions {
  window: number;
  /** Send `max_model_len` in GET /v1/models (else only ids: Bud must learn the window). */
  advertise: boolean;
  refuseAs: 'vllm' | 'openai';
  model?: string;
  /** Length of an ordinary answer (default 120 tokens). */
  answerTokens?: number;
}

export interface ContextServer {
  handler: Handler;
  modelsHandler: Handler;
  /** Requests refused as too long. */
  refusals: number;
  /** Prompt sizes (as counted here) of the requests answered. */
  served: number[];
  /** Largest prompt answered. */
  readonly largest: number;
}

const WORDS =
  'the fitter keeps the newest message whole and drops the oldest turns when the window is full so every request fits'.split(
    ' ',
  );

function words(n: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[(i + seed) % WORDS.length]);
  return out.join(' ');
}

const PART_ONE = `Part one of the long answer: ${words(60, 1)}`;
const PART_TWO = ` and part two, which ends the answer: ${words(30, 2)}.`;
const PART_TWO_CUT = ` and part two, cut again: ${words(30, 3)}`;
const PART_THREE = ` and part three, the end.`;

function sse(res: ServerResponse, model: string, text: string, finish: string, prompt: number, calls?: object[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: object, finishReason: string | null = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-ctx', object: 'chat.completion.chunk', created: 1700000000, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }));
  for (let i = 0; i < text.length; i += 40) res.write(chunk({ content: text.slice(i, i + 40) }));
  if (calls) res.write(chunk({ tool_calls: calls }));
  res.write(chunk({}, finish));
  const completion = Math.max(1, Math.ceil(text.length / 4));
  res.write(
    `data: ${JSON.stringify({ id: 'chatcmpl-ctx', object: 'chat.completion.chunk', created: 1700000000, model, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

function refuse(res: ServerResponse, o: ContextServerOptions, prompt: number, max: number | undefined): void {
  res.writeHead(400, { 'content-type': 'application/json' });
  if (o.refuseAs === 'openai') {
    res.end(
      JSON.stringify({
        error: {
          message: `This model's maximum context length is ${o.window} tokens. However, your messages resulted in ${prompt} tokens. Please reduce the length of the messages.`,
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      }),
    );
    return;
  }
  const message =
    max === undefined
      ? `This model's maximum context length is ${o.window} tokens. However, you requested ${prompt} tokens in the messages, Please reduce the length of the messages.`
      : `This model's maximum context length is ${o.window} tokens. However, you requested ${prompt + max} tokens (${prompt} in the messages, ${max} in the completion). Please reduce the length of the messages or completion.`;
  res.end(JSON.stringify({ object: 'error', message, type: 'BadRequestError', param: null, code: 400 }));
}

export function contextServer(o: ContextServerOptions): ContextServer {
  const counter = new TokenCounter();
  const state = { refusals: 0, served: [] as number[] };
  const handler: Handler = (req: RecordedRequest, res) => {
    const body = req.body as {
      model?: string;
      messages: { role: string; content: string | null; tool_calls?: unknown[] }[];
      tools?: unknown[];
      max_tokens?: number;
    };
    const model = body.model ?? o.model ?? 'test-model';
    const prompt = counter.request(body.messages as never, body.tools as never);
    const max = body.max_tokens;
    // vLLM's rule: without max_tokens the answer may use the rest of the window; with it, both must fit.
    if (max === undefined ? prompt >= o.window : prompt + max > o.window) {
      state.refusals++;
      refuse(res, o, prompt, max);
      return;
    }
    state.served.push(prompt);
    const room = Math.min(max ?? Number.POSITIVE_INFINITY, o.window - prompt);
    const last = body.messages[body.messages.length - 1];
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    if (last.role === 'assistant' && typeof last.content === 'string' && last.content.startsWith('Part one')) {
      // Continue: the model goes on from its own partial answer.
      if (!last.content.includes('part two')) {
        const cutTwice = lastUser.includes('[cut twice]');
        sse(res, model, cutTwice ? PART_TWO_CUT : PART_TWO, cutTwice ? 'length' : 'stop', prompt);
      } else sse(res, model, PART_THREE, 'stop', prompt);
      return;
    }
    if (lastUser.includes('[cut]') || lastUser.includes('[cut twice]')) {
      sse(res, model, PART_ONE, 'length', prompt);
      return;
    }
    if (lastUser.includes('[read]') && body.tools?.length && last.role === 'user') {
      const call = {
        index: 0,
        id: `call_${state.served.length}`,
        type: 'function',
        function: { name: 'read_file', arguments: '{"path":"README.md"}' },
      };
      sse(res, model, '', 'tool_calls', prompt, [call]);
      return;
    }
    const n = Math.max(1, Math.min(o.answerTokens ?? 120, room - 8));
    const text = `Answer ${state.served.length}: ${words(n, state.served.length)}.`;
    sse(res, model, text, n < (o.answerTokens ?? 120) ? 'length' : 'stop', prompt);
  };
  const modelsHandler: Handler = (_req, res) => {
    const id = o.model ?? 'test-model';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        data: [
          {
            id,
            object: 'model',
            created: 1700000000,
            owned_by: 'bud',
            ...(o.advertise ? { max_model_len: o.window } : {}),
          },
        ],
      }),
    );
  };
  return {
    handler,
    modelsHandler,
    get refusals() {
      return state.refusals;
    },
    get served() {
      return state.served;
    },
    get largest() {
      return Math.max(0, ...state.served);
    },
  };
}
