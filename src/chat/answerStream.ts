// One answer streaming into a stored message: the turn runs with the context hooks, deltas reach the view in
// batches and the stored message as they are posted, and the turn's result is folded into the message (also
// after Continue, where it extends an answer that already has text). Pure: no `vscode` import.
import type { ChatCompletionParams, ChatMessage } from '../api/types';
import type { AnswerFinish, HostMessage } from '../protocol';
import type { ChatDeps, TurnSetup } from './controller';
import { mergeContinuation, type StoredChat, type StoredMessage } from './conversation';
import type { TurnOptions, TurnResult } from './turn';

type Hooks = Pick<TurnOptions, 'prepareRound' | 'onRoundRefused' | 'onRoundDone'>;

/** Runs one turn into `assistant`; never throws. */
export async function streamAnswer(
  deps: Pick<ChatDeps, 'post' | 'createDeltaSink' | 'runTurn' | 'store'>,
  chat: StoredChat,
  assistant: StoredMessage,
  setup: TurnSetup,
  hooks: Hooks,
  signal: AbortSignal,
): Promise<TurnResult> {
  const saveSoon = () => {
    void deps.store.save(chat, { upserted: [assistant.id] });
  };
  // The stored message gets the text when it is posted, so a snapshot never duplicates a later delta.
  const sink = deps.createDeltaSink((text, reasoning) => {
    if (text) assistant.content += text;
    if (reasoning) assistant.reasoning = (assistant.reasoning ?? '') + reasoning;
    deps.post(
      reasoning
        ? { type: 'answerDelta', id: assistant.id, text, reasoning }
        : { type: 'answerDelta', id: assistant.id, text },
    );
    saveSoon();
  });
  const params: ChatCompletionParams = { ...setup.params, messages: [] };
  // The trace log and the test API see each round's request as it is sent.
  const prepareRound: Hooks['prepareRound'] = hooks.prepareRound
    ? (added, tools) => {
        const prepared = hooks.prepareRound!(added, tools);
        setup.onRequest?.({ ...params, ...prepared });
        return prepared;
      }
    : undefined;
  try {
    return await deps.runTurn({
      client: setup.client,
      params,
      stream: setup.stream,
      tools: setup.tools,
      toolChoice: setup.toolChoice,
      maxToolRounds: setup.maxToolRounds,
      signal,
      prepareRound,
      onRoundRefused: hooks.onRoundRefused,
      onRoundDone: hooks.onRoundDone,
      events: {
        onText: (t) => sink.push(t),
        onReasoning: (t) => sink.push('', t),
        onRetry: (e) =>
          deps.post({
            type: 'retrying',
            id: assistant.id,
            attempt: e.attempt,
            maxRetries: e.maxRetries,
            delayMs: e.delayMs,
            reason: e.reason,
          }),
        onToolCall: (call) => {
          sink.flush();
          const calls = (assistant.toolCalls ??= []);
          const i = calls.findIndex((c) => c.id === call.id);
          if (i >= 0) calls[i] = call;
          else calls.push(call);
          deps.post({ type: 'toolCall', id: assistant.id, call });
          saveSoon();
        },
      },
    });
  } catch (err) {
    // runTurn never throws by contract; keep the answer honest if it ever does.
    return {
      status: 'error',
      content: assistant.content,
      reasoning: '',
      newMessages: [],
      toolCalls: assistant.toolCalls ?? [],
      error: err as TurnResult['error'],
    };
  } finally {
    sink.flush();
    sink.dispose();
  }
}

const FINISHES: readonly string[] = ['length', 'content_filter'] satisfies AnswerFinish[];

/**
 * Folds a turn's result into the stored answer. `base` is the text the answer had before this turn and `prefix`
 * its API messages (Continue); both are empty for a new answer.
 */
export function applyResult(
  assistant: StoredMessage,
  result: TurnResult,
  base: { text: string; prefix: readonly ChatMessage[]; toolCalls: StoredMessage['toolCalls'] },
): void {
  assistant.status = result.status;
  // Deltas already carried the text; the result is the authority if they differ.
  const content = base.text + result.content;
  if (result.content && content !== assistant.content) assistant.content = content;
  if (result.reasoning && !base.text) assistant.reasoning = result.reasoning;
  const calls = [...(base.toolCalls ?? []), ...result.toolCalls];
  if (calls.length) assistant.toolCalls = calls;
  if (result.usage) assistant.usage = result.usage;
  if (result.note) assistant.note = result.note;
  delete assistant.finish;
  if (result.status === 'complete' && result.finishReason && FINISHES.includes(result.finishReason)) {
    assistant.finish = result.finishReason as AnswerFinish;
  }
  if (result.status === 'complete' && (result.newMessages.length || base.prefix.length)) {
    assistant.apiMessages = mergeContinuation(base.prefix, result.newMessages);
  }
}

/** The `answerEnded` message for a stored answer. */
export function endedMessage(assistant: StoredMessage): HostMessage {
  const ended: HostMessage = { type: 'answerEnded', id: assistant.id, status: assistant.status };
  if (assistant.error) ended.error = assistant.error;
  if (assistant.usage) ended.usage = assistant.usage;
  if (assistant.note) ended.note = assistant.note;
  if (assistant.finish) ended.finish = assistant.finish;
  return ended;
}
