// The context window in the life of a chat: the check before sending, the fitting of every round of a turn,
// recovery from a context refusal, calibration after each answer, and what the meter shows. Pure: no `vscode`.
//
// Every request goes through `turnHooks` (the first round, each tool round, retries and Continue): it is fitted
// with the budget of that moment, so a window learned from a refusal applies to the very next round.
import { BudError } from '../api/errors';
import type { ChatMessage, FunctionTool } from '../api/types';
import { describeDoesNotFit, type DoesNotFit, type FitResult, type Fitted } from '../context/fit';
import type { ContextLimits, ContextSettings, RequestBudget } from '../context/limits';
import { parseContextRefusal, type ContextRefusal } from '../context/refusal';
import type { ActionId, CodeContext, ContextInfo, ErrorInfo, Notice } from '../protocol';
import { type ContextPlanner, notSentMarker } from './contextPlan';
import type { StoredChat, StoredMessage } from './conversation';
import { activePath } from './tree';
import type { TurnOptions } from './turn';
import { formatNumber } from '../api/locale';
import * as l10n from '@vscode/l10n';

/** What fitting needs to know of the connection and settings (no API key needed: the meter uses it too). */
export interface ContextSetup {
  baseUrl: string;
  model: string;
  systemPrompt: string;
  /** The tool definitions that will be sent (none when tools are off). */
  tools?: readonly FunctionTool[];
  settings: ContextSettings;
}

/** The request is larger than the model's window even at its smallest: nothing was sent. */
export class ContextWindowError extends BudError {
  constructor(message: string) {
    super('contextWindow', message);
  }
}

/** The actions offered when a message does not fit. */
export function actionsForDoesNotFit(r: DoesNotFit, pendingAttachments: number): ActionId[] {
  const actions: ActionId[] = [];
  if (r.help.includes('removeAttachment') && pendingAttachments > 0) actions.push('removeAttachment');
  actions.push('contextSettings', 'selectModel');
  return actions;
}

const DRAFT_ID = '\u0000draft';

export class ChatContext {
  readonly planner: ContextPlanner;
  /** The fit of the message being sent (see takeSendFit). */
  private sendFit:
    | {
        chat: StoredChat;
        history: readonly StoredMessage[];
        /** The state of each message then (RequestTurns.stateOf), to tell whether one changed since. */
        states: object[];
        summary: StoredChat['summary'];
        s: ContextSetup;
        budget: RequestBudget;
        result: Fitted;
      }
    | undefined;

  constructor(
    planner: ContextPlanner,
    readonly limits: ContextLimits,
    private readonly log?: (line: string) => void,
  ) {
    this.planner = planner;
  }

  budget(s: Pick<ContextSetup, 'baseUrl' | 'model' | 'settings'>): RequestBudget {
    return this.limits.budget(s.baseUrl, s.model, s.settings);
  }

  fit(chat: StoredChat, history: readonly StoredMessage[], s: ContextSetup, added?: readonly ChatMessage[]): FitResult {
    return this.planner.fit({
      history,
      summary: chat.summary,
      systemPrompt: s.systemPrompt,
      tools: s.tools,
      budget: this.budget(s),
      added,
    });
  }

  /** The chat's active path with `user` as its newest message, fitted with the budget of now. */
  private fitWithNewest(chat: StoredChat, user: StoredMessage, s: ContextSetup) {
    const history = [...activePath(chat), user];
    const budget = this.budget(s);
    const r = this.planner.fit({
      history,
      summary: chat.summary,
      systemPrompt: s.systemPrompt,
      tools: s.tools,
      budget,
    });
    return { history, budget, r };
  }

  /** Before a send: the notice that says the message cannot fit (nothing is sent then), or undefined. */
  checkSend(chat: StoredChat, user: StoredMessage, s: ContextSetup, pendingAttachments: number): Notice | undefined {
    const { history, budget, r } = this.fitWithNewest(chat, user, s);
    if (r.ok) {
      this.sendFit = {
        chat,
        history,
        states: history.map((m) => this.planner.turns.stateOf(m)),
        summary: chat.summary,
        s,
        budget,
        result: r,
      };
      return undefined;
    }
    return { level: 'error', text: describeDoesNotFit(r), actions: actionsForDoesNotFit(r, pendingAttachments) };
  }

  /**
   * The fit checkSend made, for the first round of that message's answer when nothing it depends on changed since
   * (the same messages, summary, system prompt, tools and budget): a long chat is then fitted once per send, not
   * twice. Taken once; anything else fits anew.
   */
  private takeSendFit(
    chat: StoredChat,
    history: readonly StoredMessage[],
    s: ContextSetup,
    tools: readonly FunctionTool[] | undefined,
    budget: RequestBudget,
  ): Fitted | undefined {
    const f = this.sendFit;
    this.sendFit = undefined;
    if (!f || f.chat !== chat || f.summary !== chat.summary || f.s.systemPrompt !== s.systemPrompt) return undefined;
    if (!sameBudget(f.budget, budget) || JSON.stringify(f.s.tools) !== JSON.stringify(tools)) return undefined;
    if (f.history.length !== history.length) return undefined;
    for (let i = 0; i < history.length; i++)
      if (f.history[i] !== history[i] || f.states[i] !== this.planner.turns.stateOf(history[i])) return undefined;
    return f.result;
  }

  /**
   * The context hooks of one turn. `history` ends with the user message being answered; `prefix` is what the
   * newest turn already holds (for Continue, the partial answer); the turn's own messages follow it.
   */
  turnHooks(
    history: readonly StoredMessage[],
    chat: StoredChat,
    s: ContextSetup,
    prefix: readonly ChatMessage[] = [],
  ): Required<Pick<TurnOptions, 'prepareRound' | 'onRoundRefused' | 'onRoundDone'>> & { last(): Fitted | undefined } {
    let last: Fitted | undefined;
    let lastMaxTokens: number | undefined;
    let first = true;
    return {
      last: () => last,
      prepareRound: (added, tools) => {
        const budget = this.budget(s);
        const fresh = first && prefix.length === 0 && added.length === 0;
        first = false;
        const r =
          (fresh ? this.takeSendFit(chat, history, s, tools, budget) : undefined) ??
          this.planner.fit({
            history,
            summary: chat.summary,
            systemPrompt: s.systemPrompt,
            tools,
            budget,
            added: [...prefix, ...added],
          });
        if (!r.ok) throw new ContextWindowError(describeDoesNotFit(r));
        last = r;
        lastMaxTokens = budget.reserve.maxTokens;
        if (r.omitted.count || r.shortened || r.droppedRounds) {
          this.log?.(
            `Context: sending ~${formatNumber(r.tokens)} of ${formatNumber(budget.window.tokens)} tokens (${budget.window.source} window, ` +
              `${formatNumber(budget.reserve.tokens)} kept for the answer); ${r.omitted.count} earlier message(s) not sent, ` +
              `${r.shortened} tool result(s) shortened, ${r.droppedRounds} tool round(s) of this answer left out`,
          );
        }
        return budget.reserve.maxTokens !== undefined
          ? { messages: r.messages, max_tokens: budget.reserve.maxTokens }
          : { messages: r.messages };
      },
      onRoundRefused: (err) => {
        const refusal = refusalOf(err);
        if (!refusal || !last) return false;
        const learned = this.limits.learnRefusal(s.baseUrl, s.model, refusal, {
          promptTokens: last.tokens,
          rawPromptTokens: last.rawTokens,
          maxTokens: lastMaxTokens,
        });
        this.log?.(
          `Context: the server refused ~${formatNumber(last.tokens)} tokens as too long (${refusal.family}` +
            `${refusal.window ? `, window ${formatNumber(refusal.window)}` : ''}` +
            `${refusal.promptTokens ? `, it counted ${formatNumber(refusal.promptTokens)}` : ''}); ` +
            (learned.changed
              ? `learned a window of ${formatNumber(learned.window)} tokens${learned.estimated ? ' (estimated)' : ''}; fitting again and retrying once`
              : 'nothing new was learned; not retrying'),
        );
        return learned.changed;
      },
      onRoundDone: ({ usage }) => {
        if (last) this.limits.observeUsage(s.baseUrl, s.model, last.rawTokens, usage?.prompt_tokens);
      },
    };
  }

  /** What the next request will carry, with `draft` (and the pending code) as its newest message. */
  info(chat: StoredChat, s: ContextSetup, draft: string, pending: readonly CodeContext[]): ContextInfo {
    const user: StoredMessage = { id: DRAFT_ID, role: 'user', content: draft, status: 'complete', createdAt: 0 };
    if (pending.length) user.contexts = [...pending];
    const { history, budget, r } = this.fitWithNewest(chat, user, s);
    const marker = notSentMarker(history, r);
    const info: ContextInfo = {
      tokens: r.tokens,
      window: budget.window.tokens,
      reserve: budget.reserve.tokens,
      reserveRule: budget.reserve.rule,
      source: budget.window.source,
      sourceDetail: budget.window.detail,
      breakdown: r.breakdown,
      notSent: marker.count,
      fits: r.ok,
      calibrated: budget.calibrationSamples > 0,
    };
    if (marker.firstSentId && marker.firstSentId !== DRAFT_ID) info.firstSentId = marker.firstSentId;
    return info;
  }

  /** An error a context refusal caused, in words that say what to do (when it was not recovered by itself). */
  refusalInfo(err: unknown, base: ErrorInfo): ErrorInfo {
    if (!(err instanceof BudError) || !refusalOf(err)) return base;
    return {
      ...base,
      kind: 'contextWindow',
      message: err.serverMessage
        ? l10n.t(
            'The server refused the request as longer than the model\'s context window, and sending less once more did not help. The server said: "{0}". Condense the chat, start a New Chat, or set the model\'s window in bud.contextWindow.',
            err.serverMessage,
          )
        : l10n.t(
            "The server refused the request as longer than the model's context window, and sending less once more did not help. Condense the chat, start a New Chat, or set the model's window in bud.contextWindow.",
          ),
      actions: ['condense', 'retry', 'contextSettings', 'showLog'],
    };
  }
}

const sameBudget = (a: RequestBudget, b: RequestBudget) =>
  a.window.tokens === b.window.tokens &&
  a.reserve.tokens === b.reserve.tokens &&
  a.reserve.maxTokens === b.reserve.maxTokens &&
  a.scale === b.scale;

function refusalOf(err: BudError): ContextRefusal | undefined {
  return parseContextRefusal(err.status, err.body ?? err.serverMessage, err.serverMessage);
}
