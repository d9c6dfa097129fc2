// Titles written by the model (setting `bud.modelTitles`): after a chat's first answer, one small non-streaming
// request asks for a short title. The chat already has a title from its first question, so a failed, empty or
// odd reply changes nothing. Pure: no `vscode` import.
import type { ChatCompletionParams, ChatMessage } from '../api/types';
import type { TurnOptions } from './turn';

/** How much of the question and of the answer the title request quotes (enough to name the topic). */
const QUOTED_CHARS = 2000;
/** The longest title kept (the same cap as a renamed chat). */
export const MAX_TITLE_CHARS = 80;

const INSTRUCTION =
  'Write a short title (at most six words) for the conversation below. Answer with the title only: ' +
  'no quotes, no punctuation at the end, no preamble.';

/** The request messages that ask for a title of the exchange `question` → `answer`. */
export function titleMessages(question: string, answer: string): ChatMessage[] {
  const quote = (s: string) => (s.length > QUOTED_CHARS ? `${s.slice(0, QUOTED_CHARS)}…` : s);
  return [
    { role: 'system', content: INSTRUCTION },
    { role: 'user', content: `Question:\n${quote(question)}\n\nAnswer:\n${quote(answer)}` },
  ];
}

/** The title in a model's reply, cleaned (one line, no quotes or trailing full stop), or undefined if unusable. */
export function cleanModelTitle(reply: unknown): string | undefined {
  if (typeof reply !== 'string') return undefined;
  const line = reply
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!line) return undefined;
  const title = line
    .replace(/^(title|titel)\s*:\s*/i, '')
    .replace(/^[#*_`"'“”‘’«»\s]+|[*_`"'“”‘’«».。\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!title) return undefined;
  return title.length > MAX_TITLE_CHARS ? `${title.slice(0, MAX_TITLE_CHARS - 1)}…` : title;
}

/** Asks the model for a title; undefined when the request fails or the reply is unusable. */
export async function suggestTitle(
  client: Pick<TurnOptions['client'], 'createChatCompletion'>,
  model: string,
  question: string,
  answer: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const params: ChatCompletionParams = { model, messages: titleMessages(question, answer), max_tokens: 30 };
  try {
    const completion = await client.createChatCompletion(params, { signal });
    return cleanModelTitle(completion.choices[0]?.message.content);
  } catch {
    return undefined;
  }
}
