// One assistant turn: ask the model, stream its answer, and — when it asks for tools — run them, send the
// results back and ask again, until it answers or the round limit is hit. Pure: no `vscode` import; the
// workspace tools come in through the `ToolExecutor` interface. `runTurn` reads as its steps: a round (one request,
// round.ts), then either the answer, the round limit, or the tool step (toolStep.ts); what the rounds produce is
// gathered in a `TurnAccumulator` (turnAccumulator.ts), which also keeps the answer limit (answerLimit.ts).
//
// Rules this file keeps:
// - tool calls are detected from the accumulated message, never from `finish_reason` (servers say "stop" too);
// - every assistant `tool_calls` entry gets exactly one `tool` message with its `tool_call_id`, even when the
//   call is unknown, has bad arguments, fails, or is cancelled — so the history stays valid for the next request;
// - Stop aborts the request and any running tool; partial text is kept; `runTurn` never throws;
// - an answer (text, reasoning or one round's tool-call arguments) that grows past the message limit is stopped
//   there by Bud: the request is cancelled so the server stops sending, and memory stays bounded however long a
//   server streams.
import { ChatAccumulator } from '../api/accumulator';
import { AbortedError, BudError } from '../api/errors';
import type { BudClient } from '../api/client';
import type { ChatCompletionParams, ChatMessage, FunctionTool, RetryEvent, ToolCall, Usage } from '../api/types';
import type { ToolCallView } from '../protocol';
import type { ToolExecutor, ToolResult } from '../tools/port';
import { AnswerLimitReached, answerLimitNote } from './answerLimit';
import { MAX_CONTENT_CHARS } from './conversation';
import { requestRound, type RoundOutput } from './round';
import { errorText, roundLimitNote, runCalls, skipCalls } from './toolStep';
import { TurnAccumulator } from './turnAccumulator';
import * as l10n from '@vscode/l10n';

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

/** The tools of a turn: their definitions are read once, and calls run unless `toolChoice` is 'none'. */
interface TurnTools {
  executor: ToolExecutor;
  definitions: FunctionTool[];
  run: boolean;
}

/** A round either produced its output, or ended the turn (stopped, failed, cut at the answer limit). */
type RoundStep = { output: RoundOutput } | { ended: TurnResult };

export async function runTurn(opts: TurnOptions): Promise<TurnResult> {
  const turn = new TurnAccumulator(opts.events, Math.max(1, Math.floor(opts.maxAnswerChars ?? MAX_CONTENT_CHARS)));
  const maxRounds = Math.max(0, Math.floor(opts.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS));
  const tools = turnTools(opts);
  try {
    for (let toolRounds = 0; ; toolRounds++) {
      const step = await runRound(opts, turn, tools?.definitions, toolRounds);
      if ('ended' in step) return step.ended;
      const { message, finishReason } = step.output;
      const calls = tools?.run ? (message.tool_calls ?? []) : [];
      if (!tools || calls.length === 0) return answered(turn, message, finishReason);
      if (toolRounds >= maxRounds) return stopAtRoundLimit(opts, turn, step.output, calls, maxRounds);
      await runToolStep(opts, turn, tools, message, calls);
      if (opts.signal.aborted) return turn.result('stopped');
    }
  } catch (err) {
    // Only a bug in an event handler or executor can land here; the turn still ends cleanly.
    if (opts.signal.aborted || err instanceof AbortedError) return turn.result('stopped');
    return turn.result('error', { error: toBudError(err) });
  }
}

/** One round: prepare the request, send it, and send it once more after a refusal the caller learned from. */
async function runRound(
  opts: TurnOptions,
  turn: TurnAccumulator,
  tools: FunctionTool[] | undefined,
  toolRounds: number,
): Promise<RoundStep> {
  for (let refused = false; ; refused = true) {
    if (opts.signal.aborted) return { ended: turn.result('stopped') };
    const params = roundParams(opts, turn.newMessages, tools, toolRounds);
    turn.startRound();
    const acc = new ChatAccumulator();
    let output: RoundOutput;
    try {
      output = await requestRound(opts, params, opts.stream, acc, turn.emitText, turn.emitReasoning, turn.maxChars);
    } catch (err) {
      const ended = roundFailed(opts, turn, acc, err, !refused);
      if (ended) return { ended };
      continue;
    }
    turn.addUsage(output.usage);
    opts.onRoundDone?.({ usage: output.usage, finishReason: output.finishReason });
    return { output };
  }
}

/** The request of a round: the prepared messages, and the tools (with `required` only on the first round). */
function roundParams(
  opts: TurnOptions,
  added: readonly ChatMessage[],
  tools: FunctionTool[] | undefined,
  toolRounds: number,
): ChatCompletionParams {
  const prepared = opts.prepareRound
    ? opts.prepareRound(added, tools)
    : { messages: [...opts.params.messages, ...added] };
  const params: ChatCompletionParams = { ...opts.params, ...prepared };
  if (tools) {
    params.tools = tools;
    // `required` forces a tool call on the first request only; afterwards the model must be free to answer.
    const choice = opts.toolChoice ?? 'auto';
    params.tool_choice = choice === 'required' && toolRounds > 0 ? 'auto' : choice;
  }
  return params;
}

/**
 * A round that threw ends the turn — stopped (Stop, or the answer limit) or with the error — keeping what arrived
 * of it in the history (without half-built tool calls). `undefined`: send the round again (at most once, when
 * nothing arrived and the caller learned from the refusal).
 */
function roundFailed(
  opts: TurnOptions,
  turn: TurnAccumulator,
  acc: ChatAccumulator,
  err: unknown,
  mayRetry: boolean,
): TurnResult | undefined {
  const keep = (text: string) => {
    if (text) turn.newMessages.push({ role: 'assistant', content: text });
    turn.addUsage(opts.stream ? acc.usage : undefined);
  };
  if (err instanceof AnswerLimitReached) {
    // The text shown so far is the answer; calls not finished cannot run. Leaving the stream cancelled it.
    keep(turn.roundText(opts.stream ? acc.content : undefined));
    return turn.result('stopped', { note: answerLimitNote(err.what, turn.maxChars) });
  }
  const partial = opts.stream ? acc.content : '';
  if (opts.signal.aborted || err instanceof AbortedError) {
    keep(partial);
    return turn.result('stopped');
  }
  const error = toBudError(err);
  if (!partial && mayRetry && opts.onRoundRefused?.(error)) return undefined;
  keep(partial);
  return turn.result('error', { error });
}

/** The model answered without (runnable) tool calls: the turn is complete. */
function answered(turn: TurnAccumulator, message: ChatMessage, finishReason: string | null): TurnResult {
  if (!message.content && message.refusal) turn.emitText(message.refusal);
  turn.newMessages.push(finalMessage(message));
  return turn.result('complete', { finishReason });
}

/** The model wants more tools than allowed: keep its text, show the calls as not run, and say so. */
function stopAtRoundLimit(
  opts: TurnOptions,
  turn: TurnAccumulator,
  round: RoundOutput,
  calls: ToolCall[],
  maxRounds: number,
): TurnResult {
  turn.newMessages.push(finalMessage(round.message));
  skipCalls(calls, opts.events, turn.toolCalls);
  return turn.result('complete', { finishReason: round.finishReason, note: roundLimitNote(maxRounds) });
}

/** The assistant message with its calls, then one `tool` message per call. */
async function runToolStep(
  opts: TurnOptions,
  turn: TurnAccumulator,
  tools: TurnTools,
  message: ChatMessage,
  calls: ToolCall[],
): Promise<void> {
  turn.newMessages.push({ role: 'assistant', content: message.content || null, tool_calls: calls });
  const results = await runCalls(calls, tools.executor, tools.definitions, opts.signal, opts.events, turn.toolCalls);
  turn.newMessages.push(...results);
}

/** The assistant message that ends the turn (text only: calls that were not run must not enter the history). */
function finalMessage(m: ChatMessage): ChatMessage {
  return { role: 'assistant', content: m.content ?? '' };
}

function turnTools(opts: TurnOptions): TurnTools | undefined {
  if (!opts.tools) return undefined;
  let definitions: FunctionTool[];
  try {
    definitions = opts.tools.definitions();
  } catch {
    return undefined;
  }
  if (definitions.length === 0) return undefined;
  return { executor: opts.tools, definitions, run: opts.toolChoice !== 'none' };
}

function toBudError(err: unknown): BudError {
  if (err instanceof BudError) return err;
  return new BudError('unknown', l10n.t('The answer failed: {0}', errorText(err)), { cause: err });
}
