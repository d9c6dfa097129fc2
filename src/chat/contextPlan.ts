// What each request of a chat carries, fitted into the model's window: the pure glue between the stored chat
// (src/chat) and the context core (src/context). No `vscode` import.
//
//   const plan = new ContextPlanner(counter);
//   const r = plan.fit({ history, summary, systemPrompt, tools, budget });          // before the first round
//   const r2 = plan.fit({ …, added: turnMessagesSoFar });                             // before each later round
//   const info = plan.preview({ history: chat.messages, draft, …, budget });         // the meter
//
// `history` ends with the user message being answered; `added` holds what the running turn has produced so far
// (its tool rounds, or for Continue the partial answer being continued). Both belong to the newest turn, which
// the fitter never drops.
import type { ChatMessage, FunctionTool } from '../api/types';
import type { SummaryRecord } from '../context/condense';
import { withSummary } from '../context/condense';
import type { TokenCounter } from '../context/counter';
import { fitRequest, type FitResult, type HistoryTurn } from '../context/fit';
import type { RequestBudget } from '../context/limits';
import { MAX_MESSAGES, type StoredMessage } from './conversation';
import { RequestTurns, turnIndexOf } from './requestTurns';

export interface PlanInput {
  /** The stored messages up to and including the user message being answered (or the draft, for the meter). */
  history: readonly StoredMessage[];
  summary?: SummaryRecord;
  systemPrompt: string;
  tools?: readonly FunctionTool[];
  budget: RequestBudget;
  /** Messages the running turn has added (tool rounds; the partial answer being continued). */
  added?: readonly ChatMessage[];
  maxMessages?: number;
}

export interface Planned {
  result: FitResult;
  turns: HistoryTurn[];
}

export class ContextPlanner {
  readonly turns: RequestTurns;

  constructor(readonly counter: TokenCounter) {
    this.turns = new RequestTurns(counter);
  }

  plan(inp: PlanInput): Planned {
    let turns = this.turns.turns(inp.history);
    if (inp.added?.length && turns.length) {
      const last = turns[turns.length - 1];
      turns = [...turns.slice(0, -1), { ...last, messages: [...last.messages, ...inp.added] }];
    }
    const throughTurn = inp.summary ? turnIndexOf(turns, inp.summary.throughId) : -1;
    const result = fitRequest({
      system: { role: 'system', content: inp.systemPrompt },
      tools: inp.tools,
      turns,
      summary: throughTurn >= 0 ? { text: inp.summary!.text, throughTurn } : undefined,
      mergeSummary: withSummary,
      window: inp.budget.window.tokens,
      reserve: inp.budget.reserve.tokens,
      scale: inp.budget.scale,
      maxMessages: inp.maxMessages ?? MAX_MESSAGES,
      counter: this.counter,
    });
    return { result, turns };
  }

  fit(inp: PlanInput): FitResult {
    return this.plan(inp).result;
  }
}

/** The stored messages not sent, as the chat shows them: how many, and the first message that is sent. */
export function notSentMarker(
  history: readonly StoredMessage[],
  result: FitResult,
): { count: number; firstSentId?: string } {
  if (!result.ok || result.omitted.count === 0 || !result.omitted.lastId) return { count: 0 };
  const i = history.findIndex((m) => m.id === result.omitted.lastId);
  return { count: result.omitted.count, firstSentId: i >= 0 ? history[i + 1]?.id : undefined };
}
