// One assistant turn: ask the model, stream its answer, and — when it asks for tools — run them, send the
// results back and ask again, until it answers or the round limit is hit. Pure: no `vscode` import; the
// workspace tools come in through the `ToolExecutor` interface.
//
// Rules this file keeps:
// - tool calls are detected from the accumulated message, never from `finish_reason` (servers say "stop" too);
// - every assistant `tool_calls` entry gets exactly one `tool` message with its `tool_call_id`, even when the
//   call is unknown, has bad arguments, fails, or is cancelled — so the history stays valid for the next request;
// - Stop aborts the request and any running tool; partial text is kept; `runTurn` never throws.
import * as l10n from '@vscode/l10n';
import { ChatAccumulator } from '../api/accumulator';
import { AbortedError, BudError } from '../api/errors';
import type { BudClient } from '../api/client';
import type {
  ChatCompletion,
  ChatCompletionParams,
  ChatMessage,
  FunctionTool,
  RetryEvent,
  ToolCall,
  Usage,
} from '../api/types';
import type { ToolCallView } from '../protocol';
import type { ToolExecutor, ToolResult } from '../tools/port';
import { TurnTranscript } from './turnTranscript';

export type { ToolExecutor, ToolResult };

export interface TurnEvents {
  /** Answer content delta (all rounds). */
  onText(text: string): void;
  onReasoning?(text: string): void;
  onRetry?(e: RetryEvent): void;
  /** 'running' then 'done' / 'error' / 'cancelled'; a fresh object each time. */
  onToolCall?(call: ToolCallView): void;
}

export interface TurnOptions {
  client: Pick<BudClient, 'createChatCompletion' | 'streamChatCompletion'>;
  /** model, messages (the full history to send), sampling params; `tools`/`tool_choice` are added here when `tools` is given. */
  params: ChatCompletionParams;
  /** false -> createChatCompletion; `onText` is still called (once per round). */
  stream: boolean;
  tools?: ToolExecutor;
  toolChoice?: 'auto' | 'none' | 'required';
  /** Rounds of tool calls allowed before the turn stops with a note (default 10). */
  maxToolRounds?: number;
  signal: AbortSignal;
  events: TurnEvents;
}

export interface TurnResult {
  status: 'complete' | 'stopped' | 'error';
  /** All answer text shown to the user (partial kept on stop/error). */
  content: string;
  reasoning: string;
  /** assistant (with tool_calls) + tool messages + final assistant, to append to the history. */
  newMessages: ChatMessage[];
  toolCalls: ToolCallView[];
  /** Summed over rounds. */
  usage?: Usage;
  error?: BudError;
  /** e.g. "Stopped after 10 tool rounds". */
  note?: string;
}

export const DEFAULT_MAX_TOOL_ROUNDS = 10;

/** What one request to the model produced. */
export interface RoundOutput {
  message: ChatMessage;
  usage?: Usage;
}

/** What one request to the model needs beyond its parameters (the language-model provider sends single rounds too). */
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
): Promise<RoundOutput> {
  return stream
    ? streamRound(ctx, params, acc, emitText, emitReasoning)
    : completeRound(ctx, params, emitText, emitReasoning);
}

export async function runTurn(opts: TurnOptions): Promise<TurnResult> {
  const { signal } = opts;
  const maxRounds = Math.max(0, Math.floor(opts.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS));
  const turn = new TurnTranscript(opts.events);
  const definitions = safeDefinitions(opts.tools);
  const toolsOn = !!opts.tools && definitions.length > 0 && opts.toolChoice !== 'none';
  try {
    for (let toolRounds = 0; ; toolRounds++) {
      if (signal.aborted) return turn.result('stopped');
      const round = await askModel(opts, roundParams(opts, definitions, turn.newMessages, toolRounds), turn);
      if ('status' in round) return round;
      turn.addUsage(round.usage);
      const calls = toolsOn ? (round.message.tool_calls ?? []) : [];
      if (calls.length === 0) return answered(turn, round.message);
      if (toolRounds >= maxRounds) return roundLimitReached(turn, round.message, calls, maxRounds);
      await runToolRound(opts, definitions, turn, round.message, calls);
      if (signal.aborted) return turn.result('stopped');
    }
  } catch (err) {
    // Only a bug in an event handler or executor can land here; the turn still ends cleanly.
    if (signal.aborted || err instanceof AbortedError) return turn.result('stopped');
    return turn.result('error', { error: toBudError(err) });
  }
}

/** The request of the next round: the history so far plus what this turn added, and the tools. */
function roundParams(
  opts: TurnOptions,
  definitions: FunctionTool[],
  added: ChatMessage[],
  toolRounds: number,
): ChatCompletionParams {
  const params: ChatCompletionParams = { ...opts.params, messages: [...opts.params.messages, ...added] };
  if (opts.tools && definitions.length > 0) {
    params.tools = definitions;
    // `required` forces a tool call on the first request only; afterwards the model must be free to answer.
    const choice = opts.toolChoice ?? 'auto';
    params.tool_choice = choice === 'required' && toolRounds > 0 ? 'auto' : choice;
  }
  return params;
}

/** One round's answer, or the end of the turn when the request failed or was stopped (what arrived is kept). */
async function askModel(
  opts: TurnOptions,
  params: ChatCompletionParams,
  turn: TurnTranscript,
): Promise<RoundOutput | TurnResult> {
  turn.startRound();
  const acc = new ChatAccumulator();
  try {
    return await requestRound(opts, params, opts.stream, acc, turn.emitText, turn.emitReasoning);
  } catch (err) {
    // Keep what arrived of this round in the history (without half-built tool calls).
    const partial = opts.stream ? acc.content : '';
    if (partial) turn.newMessages.push({ role: 'assistant', content: partial });
    turn.addUsage(opts.stream ? acc.usage : undefined);
    if (opts.signal.aborted || err instanceof AbortedError) return turn.result('stopped');
    return turn.result('error', { error: toBudError(err) });
  }
}

/** The model answered without tool calls: the turn is complete. */
function answered(turn: TurnTranscript, message: ChatMessage): TurnResult {
  if (!message.content && message.refusal) turn.emitText(message.refusal);
  turn.newMessages.push(finalMessage(message));
  return turn.result('complete');
}

/** The model wants more tools than allowed: keep its text, show the calls as not run, and say so. */
function roundLimitReached(
  turn: TurnTranscript,
  message: ChatMessage,
  calls: ToolCall[],
  maxRounds: number,
): TurnResult {
  turn.newMessages.push(finalMessage(message));
  for (const call of calls) {
    const view: ToolCallView = {
      id: call.id,
      name: call.function.name,
      argsText: call.function.arguments,
      state: 'cancelled',
      summary: 'Not run: tool round limit reached',
    };
    turn.toolViews.push(view);
    turn.showToolCall(view);
  }
  return turn.result('complete', {
    note:
      maxRounds === 1
        ? l10n.t('Stopped after 1 tool round: the model asked for more tool calls than bud.tools.maxRounds allows.')
        : l10n.t(
            'Stopped after {0} tool rounds: the model asked for more tool calls than bud.tools.maxRounds allows.',
            maxRounds,
          ),
  });
}

/** The assistant message with its calls, then one `tool` message per call, into the history. */
async function runToolRound(
  opts: TurnOptions,
  definitions: FunctionTool[],
  turn: TurnTranscript,
  message: ChatMessage,
  calls: ToolCall[],
): Promise<void> {
  turn.newMessages.push({ role: 'assistant', content: message.content || null, tool_calls: calls });
  const toolMessages = await runCalls(calls, opts.tools!, definitions, opts.signal, opts.events, turn.toolViews);
  turn.newMessages.push(...toolMessages);
}

async function streamRound(
  opts: RoundContext,
  params: ChatCompletionParams,
  acc: ChatAccumulator,
  emitText: (t: string) => void,
  emitReasoning: (t: string) => void,
): Promise<RoundOutput> {
  const stream = opts.client.streamChatCompletion(params, {
    signal: opts.signal,
    onRetry: (e) => opts.events.onRetry?.(e),
  });
  for await (const chunk of stream) {
    const added = acc.push(chunk);
    emitReasoning(added.reasoning);
    emitText(added.content);
  }
  return { message: acc.message(), usage: acc.usage };
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
  return { message, usage: completion.usage ?? undefined };
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

/** The assistant message that ends the turn (text only: calls that were not run must not enter the history). */
function finalMessage(m: ChatMessage): ChatMessage {
  return { role: 'assistant', content: m.content ?? '' };
}

function safeDefinitions(tools: ToolExecutor | undefined): FunctionTool[] {
  if (!tools) return [];
  try {
    return tools.definitions();
  } catch {
    return [];
  }
}

/** Runs the calls of one round concurrently (they are read-only and independent); one `tool` message per call, in order. */
async function runCalls(
  calls: ToolCall[],
  tools: ToolExecutor,
  definitions: FunctionTool[],
  signal: AbortSignal,
  events: TurnEvents,
  toolViews: ToolCallView[],
): Promise<ChatMessage[]> {
  const known = new Set(definitions.map((d) => d.function.name));
  const names = [...known].join(', ');
  const runOne = async (call: ToolCall): Promise<ChatMessage> => {
    const view: ToolCallView = {
      id: call.id,
      name: call.function.name,
      argsText: call.function.arguments,
      state: 'running',
    };
    const source = tools.sourceOf?.(call.function.name);
    if (source) view.source = source;
    toolViews.push(view);
    const update = (patch: Partial<ToolCallView>) => {
      Object.assign(view, patch);
      events.onToolCall?.({ ...view });
    };
    update({});
    const started = Date.now();
    let res: ToolResult;
    if (signal.aborted) {
      res = cancelled();
    } else if (!known.has(call.function.name)) {
      res = {
        content: `Error: unknown tool "${call.function.name}". Available tools: ${names}.`,
        summary: `Unknown tool "${call.function.name}"`,
        isError: true,
      };
    } else {
      try {
        res = await raceAbort(tools.execute(call, signal), signal);
      } catch (err) {
        res = signal.aborted
          ? cancelled()
          : { content: `Error: ${errorText(err)}`, summary: errorText(err), isError: true };
      }
    }
    if (signal.aborted && !res.isError) res = cancelled();
    const state: ToolCallView['state'] = signal.aborted ? 'cancelled' : res.isError ? 'error' : 'done';
    update({ state, summary: res.summary, durationMs: Date.now() - started });
    return { role: 'tool', tool_call_id: call.id, content: res.content };
  };
  return Promise.all(calls.map(runOne));
}

function cancelled(): ToolResult {
  return {
    content: 'Cancelled: the user stopped the answer before this tool finished.',
    summary: 'Cancelled',
    isError: true,
  };
}

/** Resolves as soon as `signal` aborts, so a tool that ignores the signal cannot hold up Stop. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function toBudError(err: unknown): BudError {
  if (err instanceof BudError) return err;
  return new BudError('unknown', `The answer failed: ${errorText(err)}`, { cause: err });
}
