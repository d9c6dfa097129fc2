// One request to the model, streamed or not. The turn (turn.ts) sends one per round; the language-model provider
// (src/lm/provider.ts) sends single rounds through it too.
import type { ChatAccumulator } from '../api/accumulator';
import type { ChatCompletion, ChatCompletionParams, ChatMessage, ToolCall, Usage } from '../api/types';
import { AnswerLimitReached } from './answerLimit';
import type { TurnOptions } from './turn';

/** What one request to the model produced. */
export interface RoundOutput {
  message: ChatMessage;
  usage?: Usage;
  finishReason: string | null;
}

/** What one request to the model needs beyond its parameters. */
export type RoundContext = Pick<TurnOptions, 'client' | 'signal' | 'events'>;

/**
 * One request to the model, streamed or not: text and reasoning go to the emitters as they arrive, and the whole
 * assistant message (with its tool calls, merged by index) comes back. Throws the client's typed errors.
 */
export function requestRound(
  ctx: RoundContext,
  params: ChatCompletionParams,
  stream: boolean,
  acc: ChatAccumulator,
  emitText: (t: string) => void,
  emitReasoning: (t: string) => void,
  maxToolArgChars = Number.POSITIVE_INFINITY,
): Promise<RoundOutput> {
  return stream
    ? streamRound(ctx, params, acc, emitText, emitReasoning, maxToolArgChars)
    : completeRound(ctx, params, emitText, emitReasoning);
}

async function streamRound(
  opts: RoundContext,
  params: ChatCompletionParams,
  acc: ChatAccumulator,
  emitText: (t: string) => void,
  emitReasoning: (t: string) => void,
  maxToolArgChars: number,
): Promise<RoundOutput> {
  const stream = opts.client.streamChatCompletion(params, {
    signal: opts.signal,
    onRetry: (e) => opts.events.onRetry?.(e),
  });
  // A throw inside the loop (the answer limit) ends the generator, which closes the response.
  for await (const chunk of stream) {
    const added = acc.push(chunk);
    emitReasoning(added.reasoning);
    emitText(added.content);
    if (acc.toolArgChars > maxToolArgChars) throw new AnswerLimitReached('tool call');
  }
  return { message: acc.message(), usage: acc.usage, finishReason: acc.finishReason };
}

async function completeRound(
  opts: RoundContext,
  params: ChatCompletionParams,
  emitText: (t: string) => void,
  emitReasoning: (t: string) => void,
): Promise<RoundOutput> {
  const completion: ChatCompletion = await opts.client.createChatCompletion(params, {
    signal: opts.signal,
    onRetry: (e) => opts.events.onRetry?.(e),
  });
  const raw = completion.choices?.[0]?.message ?? { role: 'assistant', content: '' };
  const rawAny = raw as ChatMessage & { reasoning?: string };
  const reasoning = rawAny.reasoning_content ?? rawAny.reasoning ?? '';
  if (typeof reasoning === 'string') emitReasoning(reasoning);
  const text = typeof raw.content === 'string' ? raw.content : '';
  emitText(text);
  const toolCalls = (raw.tool_calls ?? []).map((c, i) => normaliseCall(c, i));
  const message: ChatMessage = { role: 'assistant', content: text };
  if (toolCalls.length) message.tool_calls = toolCalls;
  if (raw.refusal) message.refusal = raw.refusal;
  return {
    message,
    usage: completion.usage ?? undefined,
    finishReason: completion.choices?.[0]?.finish_reason ?? null,
  };
}

/** A whole tool call from a non-streamed answer: arguments sent as an object become a string; ids are filled in. */
function normaliseCall(c: ToolCall, i: number): ToolCall {
  const fn = (c?.function ?? {}) as { name?: unknown; arguments?: unknown };
  const args =
    typeof fn.arguments === 'string' ? fn.arguments : fn.arguments == null ? '' : JSON.stringify(fn.arguments);
  return {
    id: c?.id || `call_${i}`,
    type: 'function',
    function: { name: typeof fn.name === 'string' ? fn.name : '', arguments: args },
  };
}
