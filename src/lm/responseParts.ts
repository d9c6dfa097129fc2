// OpenAI answer -> VS Code response parts, on plain data. Pure: no `vscode` import; src/lm/provider.ts makes the
// LanguageModelTextPart / LanguageModelToolCallPart objects from these shapes.
//
// - Tool calls are taken from the accumulated message (src/api/accumulator.ts merges their pieces by index), so a
//   call is reported only once all its pieces are in, with its arguments parsed into an object.
// - The ids are the server's. A server that sends none gets ids derived from the request and the call (never
//   random), unique across the rounds of one conversation: VS Code keys tool results by id, so two rounds that
//   both said `call_0` would mix their results up.
// - Reasoning is never part of the answer text (the caller simply does not pass it here).
import * as l10n from '@vscode/l10n';
import { InvalidResponseError } from '../api/errors';
import type { ChatMessage, ToolCall } from '../api/types';
import { shortHash, type ToolNames } from './messages';

export interface LmToolCallData {
  callId: string;
  name: string;
  input: Record<string, unknown>;
}

/** The id the accumulator gives a call whose server sent none (`call_<position>`). */
const FALLBACK_ID = /^call_\d+$/;

/**
 * A deterministic id for a call the server gave no id: from what identifies this point of the conversation (the
 * request's messages) and the call itself, so the same answer to the same request always gets the same id.
 */
export function derivedCallId(requestKey: string, index: number, call: ToolCall): string {
  const seed = `${requestKey}\u0000${index}\u0000${call.function.name}\u0000${call.function.arguments}`;
  return `call_${shortHash(seed)}${shortHash(`${seed}\u0001`)}`;
}

/** A key for a request's messages (its length and a digest of them), used to derive missing call ids. */
export function requestKey(messages: readonly ChatMessage[]): string {
  return `${messages.length}:${shortHash(JSON.stringify(messages))}`;
}

/** Parses a call's arguments: "" is no arguments; anything but a JSON object is an error the user is told about. */
export function parseToolInput(name: string, args: string): Record<string, unknown> {
  const text = args.trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InvalidResponseError(
      l10n.t(
        'The model called the tool "{0}" with arguments that are not valid JSON ({1}): {2}',
        name,
        (e as Error).message,
        preview(text),
      ),
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidResponseError(
      l10n.t('The model called the tool "{0}" with arguments that are not a JSON object: {1}', name, preview(text)),
    );
  }
  return value as Record<string, unknown>;
}

function preview(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** The tool calls of a finished round as VS Code will receive them. */
export function toolCallParts(message: ChatMessage, names: ToolNames, key: string): LmToolCallData[] {
  const calls = message.tool_calls ?? [];
  const seen = new Set<string>();
  return calls.map((call, i) => {
    let callId = call.id && !FALLBACK_ID.test(call.id) ? call.id : derivedCallId(key, i, call);
    // Two calls of one answer with the same id (a server reusing ids) would also mix up their results.
    if (seen.has(callId)) callId = derivedCallId(key, i, call);
    seen.add(callId);
    const name = names.original(call.function.name);
    return { callId, name, input: parseToolInput(name, call.function.arguments) };
  });
}

/** The text to show when the model answered with a refusal and no text (as the chat panel does). */
export function answerFallbackText(message: ChatMessage, textSent: string): string {
  if (textSent) return '';
  const refusal = typeof message.refusal === 'string' ? message.refusal : '';
  return refusal;
}
