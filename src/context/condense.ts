// Condense: the model summarises the older part of a chat; the summary then stands for that part in what is
// sent (fit.ts), while the original messages stay in the history. No `vscode` import.
//
//   const range = chooseCondenseRange(turns, counter, limit);          // which turns the summary covers
//   const chunks = transcriptChunks(turns.slice(0, range.throughTurn + 1), counter, chunkTokens);
//   let text = previous?.text;                                          // an earlier summary is folded in
//   for (const chunk of chunks) text = await ask(condenseMessages(text, chunk));
//   chat.summary = { id, text, throughId: range.throughId, coveredCount: range.coveredCount, createdAt, model };
//
// A transcript larger than one request is summarised in pieces, each folding the summary so far into the next,
// so condensing works in any window. Undo is removing the record.
import type { ChatMessage } from '../api/types';
import type { SummaryView } from '../protocol';
import type { TokenCounter } from './counter';
import type { HistoryTurn } from './fit';
import { SHORT_TOOL_TOKENS, shortenText } from './shorten';

/** The stored summary of a chat (saved with the chat; the messages it covers stay in the history). */
export type SummaryRecord = SummaryView;

/** Whether a saved value is a usable summary record (old or damaged files carry none or a broken one). */
export function isSummaryRecord(v: unknown): v is SummaryRecord {
  const r = v as Partial<SummaryRecord> | undefined;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.id === 'string' &&
    typeof r.text === 'string' &&
    r.text.trim() !== '' &&
    typeof r.throughId === 'string' &&
    typeof r.coveredCount === 'number' &&
    typeof r.createdAt === 'number'
  );
}

export const SUMMARY_HEADING =
  "Summary of the earlier part of this conversation (written at the user's request; the original messages are not included here):";

/**
 * The system message with the summary after it. One system message, because many chat templates refuse a
 * second one or one that is not first.
 */
export function withSummary(system: ChatMessage, summary: string): ChatMessage {
  const base = typeof system.content === 'string' ? system.content : '';
  return { ...system, content: `${base}\n\n${SUMMARY_HEADING}\n\n${summary.trim()}` };
}

/** Share of the prompt budget the turns kept after a summary may use; the rest is for the summary and new turns. */
export const KEEP_SHARE = 0.4;
/** Most tokens asked for one summary. */
export const SUMMARY_MAX_TOKENS = 1024;

export interface CondenseRange {
  /** The summary covers turns[0..throughTurn]. */
  throughTurn: number;
  /** The last stored message it covers. */
  throughId: string;
  coveredCount: number;
}

/**
 * The older part to condense: everything before the newest turns that together use at most KEEP_SHARE of
 * `limit` (at least the newest turn stays). Undefined when nothing older is left to condense.
 */
export function chooseCondenseRange(
  turns: readonly HistoryTurn[],
  counter: TokenCounter,
  limit: number,
): CondenseRange | undefined {
  if (turns.length < 2) return undefined;
  let used = 0;
  let keepFrom = turns.length - 1;
  used += turns[keepFrom].messages.reduce((n, m) => n + counter.message(m), 0);
  for (let i = turns.length - 2; i >= 1; i--) {
    const t = turns[i].messages.reduce((n, m) => n + counter.message(m), 0);
    if (used + t > limit * KEEP_SHARE) break;
    used += t;
    keepFrom = i;
  }
  const throughTurn = keepFrom - 1;
  if (throughTurn < 0) return undefined;
  const covered = turns.slice(0, throughTurn + 1).flatMap((t) => t.ids);
  if (!covered.length) return undefined;
  return { throughTurn, throughId: covered[covered.length - 1], coveredCount: covered.length };
}

function speaker(m: ChatMessage): string {
  if (m.role === 'user') return 'User';
  if (m.role === 'tool') return 'Tool result';
  return 'Assistant';
}

/** One message as transcript text: tool calls named with their arguments, tool results shortened. */
function renderMessage(m: ChatMessage, counter: TokenCounter): string {
  const parts: string[] = [];
  const content = typeof m.content === 'string' ? m.content : '';
  if (content)
    parts.push(m.role === 'tool' ? shortenText(content, SHORT_TOOL_TOKENS, (t) => counter.text(t)) : content);
  for (const call of m.tool_calls ?? [])
    parts.push(`(called ${call.function.name} with ${call.function.arguments || '{}'})`);
  return parts.length ? `${speaker(m)}: ${parts.join('\n')}` : '';
}

/**
 * The transcript of `turns` in pieces of at most `chunkTokens` tokens each, at message boundaries; a message
 * larger than a piece is shortened (head and tail) to fit.
 */
export function transcriptChunks(turns: readonly HistoryTurn[], counter: TokenCounter, chunkTokens: number): string[] {
  const chunks: string[] = [];
  let cur: string[] = [];
  let curTokens = 0;
  const push = () => {
    if (cur.length) chunks.push(cur.join('\n\n'));
    cur = [];
    curTokens = 0;
  };
  for (const turn of turns) {
    for (const m of turn.messages) {
      let text = renderMessage(m, counter);
      if (!text) continue;
      let n = counter.text(text) + 2;
      if (n > chunkTokens) {
        text = shortenText(text, Math.max(16, chunkTokens - 64), (t) => counter.text(t));
        n = counter.text(text) + 2;
      }
      if (curTokens + n > chunkTokens) push();
      cur.push(text);
      curTokens += n;
    }
  }
  push();
  return chunks;
}

const INSTRUCTIONS = [
  'You condense a conversation between a user and an AI coding assistant, so that the assistant can continue it',
  'without the original messages. Write a concise summary in Markdown bullet points that keeps: what the user wants',
  'and their constraints; decisions made; facts learned (file paths, names in the code, commands, errors and their',
  'causes); code that was agreed on, briefly; open questions and what was about to happen next. Do not invent',
  'anything, do not address the user, and do not add a preamble.',
].join(' ');

/** The request that folds one transcript piece into the summary so far. */
export function condenseMessages(previous: string | undefined, chunk: string): ChatMessage[] {
  const before = previous?.trim()
    ? `The summary of the conversation before this part:\n\n${previous.trim()}\n\nThe next part of the conversation:\n\n`
    : 'The conversation:\n\n';
  return [
    { role: 'system', content: INSTRUCTIONS },
    { role: 'user', content: `${before}${chunk}\n\nWrite the summary of everything above now.` },
  ];
}

/** Tokens a transcript piece may have so that its request (instructions, summary so far, answer) fits `limit`. */
export function chunkBudget(limit: number, counter: TokenCounter, previousTokens = SUMMARY_MAX_TOKENS): number {
  const frame = counter.request(condenseMessages('x', ''));
  return Math.max(256, limit - frame - previousTokens - 64);
}
