// Shared helpers of the API unit tests.
import { ChatAccumulator } from '../../../src/api/accumulator';
import { BudClient, type ClientConfig, type RequestLogInfo } from '../../../src/api/client';
import type { BudError } from '../../../src/api/errors';
import type { ChatCompletionParams, RequestOptions, RetryEvent } from '../../../src/api/types';
import { startTestServer, type TestServer } from '../../../scripts/server/openai-server';

export const KEY = 'sk-bud-TEST-0123456789abcdef';

export const basic = (extra: Partial<ChatCompletionParams> = {}): ChatCompletionParams => ({
  model: 'bud-test-model',
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});

export interface Ctx {
  server: TestServer;
  client: BudClient;
  logs: RequestLogInfo[];
  sleeps: number[];
  make(cfg?: Partial<ClientConfig>): BudClient;
}

/** Starts a server and a client (retry waits recorded, not slept) before each test; closes both after. */
export function useServer(cfg: Partial<ClientConfig> = {}): Ctx {
  const ctx = { logs: [], sleeps: [] } as unknown as Ctx;
  const clients: BudClient[] = [];
  beforeEach(async () => {
    ctx.server = await startTestServer();
    ctx.logs = [];
    ctx.sleeps = [];
    ctx.make = (more = {}) => {
      const c = new BudClient({
        baseUrl: ctx.server.url,
        apiKey: KEY,
        logger: { request: (i) => ctx.logs.push(i) },
        sleep: async (ms) => {
          ctx.sleeps.push(ms);
        },
        ...cfg,
        ...more,
      });
      clients.push(c);
      return c;
    };
    ctx.client = ctx.make();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await ctx.server.close();
  });
  return ctx;
}

export interface Collected {
  acc: ChatAccumulator;
  error?: BudError;
  retries: RetryEvent[];
  chunks: number;
}

/** Streams a completion to the end, catching the error (if any). */
export async function collect(
  client: BudClient,
  params: ChatCompletionParams = basic(),
  opts: RequestOptions = {},
): Promise<Collected> {
  const acc = new ChatAccumulator();
  const retries: RetryEvent[] = [];
  let chunks = 0;
  try {
    for await (const c of client.streamChatCompletion(params, { onRetry: (e) => retries.push(e), ...opts })) {
      acc.push(c);
      chunks++;
    }
    return { acc, retries, chunks };
  } catch (e) {
    return { acc, error: e as BudError, retries, chunks };
  }
}

export async function rejects(p: Promise<unknown>): Promise<BudError> {
  try {
    await p;
  } catch (e) {
    return e as BudError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
