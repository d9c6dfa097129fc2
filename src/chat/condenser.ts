// Condense a chat: ask the model to summarise its older part, piece by piece when it is longer than one request,
// folding an earlier summary in. The result is a summary record for the chat (conversation.ts); the messages it
// covers stay in the history. Pure: no `vscode` import.
import type { BudClient } from '../api/client';
import type { ChatCompletionParams } from '../api/types';
import {
  chooseCondenseRange,
  chunkBudget,
  condenseMessages,
  SUMMARY_MAX_TOKENS,
  transcriptChunks,
  type SummaryRecord,
} from '../context/condense';
import type { ChatContext, ContextSetup } from './chatContext';
import type { StoredChat } from './conversation';
import { turnIndexOf } from './requestTurns';
import { activePath } from './tree';
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../api/locale';

export interface CondenseOptions {
  client: Pick<BudClient, 'createChatCompletion'>;
  /** model and sampling parameters (max_tokens is set here). */
  params: Omit<ChatCompletionParams, 'messages'>;
  setup: ContextSetup;
  signal: AbortSignal;
  newId(): string;
  now(): number;
  /** Called before each request: step of steps. */
  onStep?(step: number, steps: number): void;
}

/** Condensing cannot start or did not produce a summary; the message says why. */
export class CondenseError extends Error {}

/** The new summary of `chat` (covering its older part and any earlier summary), or throws CondenseError / the API error. */
export async function condenseChat(chat: StoredChat, ctx: ChatContext, o: CondenseOptions): Promise<SummaryRecord> {
  const counter = ctx.planner.counter;
  const turns = ctx.planner.turns.turns(activePath(chat));
  const budget = ctx.budget(o.setup);
  const answerTokens = Math.min(SUMMARY_MAX_TOKENS, Math.floor(budget.window.tokens / 4));
  const limit = budget.window.tokens - answerTokens;
  const range = chooseCondenseRange(turns, counter, budget.window.tokens - budget.reserve.tokens);
  const from = chat.summary ? turnIndexOf(turns, chat.summary.throughId) + 1 : 0;
  if (!range || range.throughTurn < from) {
    throw new CondenseError(
      chat.summary
        ? l10n.t('Nothing new to condense: the summary already covers everything but the latest messages.')
        : l10n.t('Nothing to condense yet: the chat is short enough that only its latest messages would be left.'),
    );
  }
  const pieceTokens = chunkBudget(Math.floor(limit / budget.scale), counter, answerTokens);
  const chunks = transcriptChunks(turns.slice(from, range.throughTurn + 1), counter, pieceTokens);
  let text = chat.summary?.text;
  for (let i = 0; i < chunks.length; i++) {
    o.onStep?.(i + 1, chunks.length);
    const messages = condenseMessages(text, chunks[i]);
    if (Math.ceil(counter.request(messages) * budget.scale) + answerTokens > budget.window.tokens) {
      throw new CondenseError(
        l10n.t(
          "The model's context window ({0} tokens) is too small to condense this chat.",
          formatNumber(budget.window.tokens),
        ),
      );
    }
    const res = await o.client.createChatCompletion(
      { ...o.params, messages, max_tokens: answerTokens },
      { signal: o.signal },
    );
    const out = res.choices?.[0]?.message?.content;
    if (typeof out !== 'string' || !out.trim()) throw new CondenseError(l10n.t('The model returned an empty summary.'));
    text = out.trim();
  }
  if (!text) throw new CondenseError(l10n.t('The model returned an empty summary.'));
  return {
    id: o.newId(),
    text,
    throughId: range.throughId,
    coveredCount: range.coveredCount,
    createdAt: o.now(),
    model: o.params.model,
  };
}
