// Head-and-tail shortening of long texts (old tool results), with a note in the middle that says what was cut,
// so the model knows the text is incomplete and how much is missing. No `vscode` import.
import type { ChatMessage } from '../api/types';
import type { TokenCounter } from './counter';
import { modelNumber } from '../api/locale';

/** What a shortened tool result keeps, in tokens (about 800 characters of code or prose), beside the note. */
export const SHORT_TOOL_TOKENS = 200;
/** A tool result shorter than this many characters is left alone: shortening it would save almost nothing. */
export const SHORTENABLE_CHARS = SHORT_TOOL_TOKENS * 6;
/** Of what is kept, this share comes from the start (file headers, the first matches); the rest from the end. */
const HEAD_SHARE = 0.6;
/** First guess of characters per token; corrected by counting. */
const CHARS_PER_TOKEN = 4;

export function cutNote(cutChars: number, totalChars: number): string {
  return `\n\n[… ${modelNumber(cutChars)} of ${modelNumber(totalChars)} characters were cut here to fit the model's context window; the start and the end are kept …]\n\n`;
}

/** An index that does not split a surrogate pair. */
function safeIndex(text: string, i: number): number {
  if (i <= 0 || i >= text.length) return Math.max(0, Math.min(text.length, i));
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff ? i - 1 : i;
}

/**
 * `text` cut to about `maxTokens` tokens (plus the note): its start and its end, the middle replaced by the note.
 * Returns `text` itself when it already fits.
 */
export function shortenText(text: string, maxTokens: number, count: (s: string) => number): string {
  if (text.length <= maxTokens) return text;
  let keep = maxTokens * CHARS_PER_TOKEN;
  if (text.length <= keep && count(text) <= maxTokens) return text;
  for (let attempt = 0; attempt < 5; attempt++) {
    const head = safeIndex(text, Math.floor(keep * HEAD_SHARE));
    const tail = safeIndex(text, text.length - Math.floor(keep * (1 - HEAD_SHARE)));
    const note = cutNote(tail - head, text.length);
    const out = text.slice(0, head) + note + text.slice(tail);
    const kept = count(out) - count(note);
    if (kept <= maxTokens) return out;
    keep = Math.floor(keep * (maxTokens / kept) * 0.9);
    if (keep < 8) break;
  }
  return cutNote(text.length, text.length).trim();
}

const shortened = new WeakMap<ChatMessage, ChatMessage>();

/** Whether a message is a tool result long enough to shorten. */
export function isShortenable(m: ChatMessage): boolean {
  return m.role === 'tool' && typeof m.content === 'string' && m.content.length > SHORTENABLE_CHARS;
}

/**
 * The shortened copy of a tool message (the same object on every call, so its count is cached), or the message
 * itself when it is not worth shortening.
 */
export function shortenToolMessage(m: ChatMessage, counter: TokenCounter): ChatMessage {
  if (!isShortenable(m)) return m;
  let s = shortened.get(m);
  if (!s) {
    s = { ...m, content: shortenText(m.content as string, SHORT_TOOL_TOKENS, (t) => counter.text(t)) };
    shortened.set(m, s);
  }
  return s;
}
