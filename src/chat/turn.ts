// One assistant turn: ask the model, stream its answer, and — when it asks for tools — run them, send the
// results back and ask again, until it answers or the round limit is hit. Pure: no `vscode` import; the
// workspace tools come in through the `ToolExecutor` interface.
//
// Rules this file keeps:
// - tool calls are detected from the accumulated message, never from `finish_reason` (servers say "stop" too);
// - every assistant `tool_calls` entry gets exactly one `tool` message with its `tool_call_id`, even when the
//   call is unknown, has bad arguments, fails, or is cancelled — so the history stays valid for the next request;
// - Stop aborts the request and any running tool; partial text is kept; `runTurn` never throws;
// - an answer (text, reasoning or one round's tool-call arguments) that grows past the message limit is stopped
//   there by Bud: the request is cancelled so the server stops sending, and memory stays bounded however long a
//   server streams.
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
import { MAX_CONTENT_CHARS } from './conversation';

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
  /**
   * The messages (and `max_tokens`) of the next round, from what this turn has added so far and the tool
   * definitions sent with it: the context fitting (src/chat/chatContext.ts). An error it throws ends the turn with
   * that error. Without it, `params.messages` followed by the added messages are sent.
   */
  prepareRound?(
    added: readonly ChatMessage[],
    tools: readonly FunctionTool[] | undefined,
  ): Pick<ChatCompletionParams, 'messages' | 'max_tokens'>;
  /**
   * A round failed before any of its text arrived: true prepares it again and sends it once more (the caller
   * learned from a context refusal). Asked at most once per round.
   */
  onRoundRefused?(err: BudError): boolean;
  /** After each answered round: its usage and finish reason (for calibration). */
  onRoundDone?(info: { usage?: Usage; finishReason: string | null }): void;
  /** The most characters the answer's text (and its reasoning, and one round's tool-call arguments) may reach. */
  maxAnswerChars?: number;
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
  /** The last round's `finish_reason` ("length": cut off at the token limit; "content_filter"). */
  finishReason?: string | null;
}

export const DEFAULT_MAX_TOOL_ROUNDS = 10;

/** Thrown inside a round when the answer reaches its limit; leaving the stream loop cancels the request. */
class AnswerLimitReached extends Error {
  constructor(readonly what: 'text' | 'reasoning' | 'tool call') {
    super(`answer ${what} limit reached`);
  }
}

/** The note saved with an answer Bud stopped at the limit. */
export function answerLimitNote(what: AnswerLimitReached['what'], max: number): string {
  const n = max.toLocaleString('en-US');
  return what === 'text'
    ? `Bud stopped this answer at ${n} characters, the most one message can hold (it could not be sent back to the model). The text up to there is kept.`
    : `Bud stopped this answer: its ${what === 'reasoning' ? 'reasoning' : 'tool call arguments'} passed ${n} characters, the most one message can hold. The answer text so far is kept.`;
}

/** `text` cut to at most `n` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, n: number): string {
  if (text.length <= n) return text;
  if (n <= 0) return '';
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

/** What one request to the model produced. */
export interface RoundOutput {
  message: ChatMessage;
  usage?: Usage;
  finishReason: string | null;
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
  maxToolArgChars = Number.POSITIVE_INFINITY,
): Promise<RoundOutput> {
  return stream
    ? streamRound(ctx, params, acc, emitText, emitReasoning, maxToolArgChars)
    : completeRound(ctx, params, emitText, emitReasoning);
}

export async function runTurn(opts: TurnOptions): Promise<TurnResult> {
  const { events, signal } = opts;
  const maxRounds = Math.max(0, Math.floor(opts.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS));
  const newMessages: ChatMessage[] = [];
  const toolViews: ToolCallView[] = [];
  let content = '';
  let reasoning = '';
  let usage: Usage | undefined;
  let toolRounds = 0;
  const maxChars = Math.max(1, Math.floor(opts.maxAnswerChars ?? MAX_CONTENT_CHARS));

  // Text of one round is appended to the text of earlier rounds; a blank line keeps them apart.
  let roundHasText = false;
  /** Characters of this round's own text that were shown (what its history message keeps if it is cut). */
  let roundChars = 0;
  const emitText = (t: string) => {
    if (!t) return;
    if (!roundHasText && content && !content.endsWith('\n\n')) {
      const sep = content.endsWith('\n') ? '\n' : '\n\n';
      content += sep;
      events.onText(sep);
    }
    roundHasText = true;
    const kept = cutAt(t, maxChars - content.length);
    content += kept;
    roundChars += kept.length;
    if (kept) events.onText(kept);
    if (kept.length < t.length) throw new AnswerLimitReached('text');
  };
  const emitReasoning = (t: string) => {
    if (!t) return;
    const kept = cutAt(t, maxChars - reasoning.length);
    reasoning += kept;
    if (kept) events.onReasoning?.(kept);
    if (kept.length < t.length) throw new AnswerLimitReached('reasoning');
  };
  const addUsage = (u: Usage | undefined) => {
    if (!u) return;
    usage = {
      prompt_tokens: (usage?.prompt_tokens ?? 0) + (u.prompt_tokens ?? 0),
      completion_tokens: (usage?.completion_tokens ?? 0) + (u.completion_tokens ?? 0),
      total_tokens: (usage?.total_tokens ?? 0) + (u.total_tokens ?? 0),
    };
  };
  const result = (status: TurnResult['status'], extra: Partial<TurnResult> = {}): TurnResult => ({
    status,
    content,
    reasoning,
    newMessages,
    toolCalls: toolViews,
    ...(usage ? { usage } : {}),
    ...extra,
  });

  const definitions = safeDefinitions(opts.tools);
  const toolsOn = !!opts.tools && definitions.length > 0 && opts.toolChoice !== 'none';

  try {
    let refusedThisRound = false;
    for (;;) {
      if (signal.aborted) return result('stopped');
      const tools = opts.tools && definitions.length > 0 ? definitions : undefined;
      const prepared = opts.prepareRound
        ? opts.prepareRound(newMessages, tools)
        : { messages: [...opts.params.messages, ...newMessages] };
      const params: ChatCompletionParams = { ...opts.params, ...prepared };
      if (tools) {
        params.tools = tools;
        // `required` forces a tool call on the first request only; afterwards the model must be free to answer.
        const choice = opts.toolChoice ?? 'auto';
        params.tool_choice = choice === 'required' && toolRounds > 0 ? 'auto' : choice;
      }

      roundHasText = false;
      roundChars = 0;
      let round: RoundOutput;
      const acc = new ChatAccumulator();
      try {
        round = await requestRound(opts, params, opts.stream, acc, emitText, emitReasoning, maxChars);
      } catch (err) {
        if (err instanceof AnswerLimitReached) {
          // The text shown so far is the answer; calls not finished cannot run. Leaving the stream cancelled it.
          const kept = opts.stream ? acc.content.slice(0, roundChars) : content.slice(content.length - roundChars);
          if (kept) newMessages.push({ role: 'assistant', content: kept });
          addUsage(opts.stream ? acc.usage : undefined);
          return result('stopped', { note: answerLimitNote(err.what, maxChars) });
        }
        // Keep what arrived of this round in the history (without half-built tool calls).
        const partial = opts.stream ? acc.content : '';
        if (signal.aborted || err instanceof AbortedError) {
          if (partial) newMessages.push({ role: 'assistant', content: partial });
          addUsage(opts.stream ? acc.usage : undefined);
          return result('stopped');
        }
        const error = toBudError(err);
        if (!partial && !refusedThisRound && opts.onRoundRefused?.(error)) {
          refusedThisRound = true;
          continue;
        }
        if (partial) newMessages.push({ role: 'assistant', content: partial });
        addUsage(opts.stream ? acc.usage : undefined);
        return result('error', { error });
      }
      refusedThisRound = false;
      addUsage(round.usage);
      opts.onRoundDone?.({ usage: round.usage, finishReason: round.finishReason });
      const finishReason = round.finishReason;

      const calls = toolsOn ? (round.message.tool_calls ?? []) : [];
      if (calls.length === 0) {
        if (!round.message.content && round.message.refusal) emitText(round.message.refusal);
        newMessages.push(finalMessage(round.message));
        return result('complete', { finishReason });
      }

      if (toolRounds >= maxRounds) {
        // The model wants more tools than allowed: keep its text, show the calls as not run, and say so.
        newMessages.push(finalMessage(round.message));
        for (const call of calls) {
          const view: ToolCallView = {
            id: call.id,
            name: call.function.name,
            argsText: call.function.arguments,
            state: 'cancelled',
            summary: l10n.t('Not run: tool round limit reached'),
          };
          toolViews.push(view);
          events.onToolCall?.({ ...view });
        }
        return result('complete', {
          finishReason,
          note:
            maxRounds === 1
              ? l10n.t(
                  'Stopped after 1 tool round: the model asked for more tool calls than bud.tools.maxRounds allows.',
                )
              : l10n.t(
                  'Stopped after {0} tool rounds: the model asked for more tool calls than bud.tools.maxRounds allows.',
                  maxRounds,
                ),
        });
      }

      toolRounds++;
      const calledMessage: ChatMessage = {
        role: 'assistant',
        content: round.message.content || null,
        tool_calls: calls,
      };
      newMessages.push(calledMessage);
      const toolMessages = await runCalls(calls, opts.tools!, definitions, signal, events, toolViews);
      newMessages.push(...toolMessages);
      if (signal.aborted) return result('stopped');
    }
  } catch (err) {
    // Only a bug in an event handler or executor can land here; the turn still ends cleanly.
    if (signal.aborted || err instanceof AbortedError) return result('stopped');
    return result('error', { error: toBudError(err) });
  }
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
