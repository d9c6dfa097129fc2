// Fits a chat into the model's context window. No `vscode` import.
//
//   const r = fitRequest({ system, tools, turns, window: 8192, reserve: 1638, counter });
//   if (r.ok) send(r.messages); else tell the user r.help
//
// What is never trimmed: the system message (the system prompt and any instruction blocks, merged by the caller)
// and the newest turn's user message with its attachments. The newest turn is the one being answered: its user
// message, and during a tool loop the rounds added so far (an assistant message with `tool_calls` and its `tool`
// messages always leave or stay together).
//
// Until the request fits, in this order:
//   1. old tool results are shortened (head + tail, with a note saying what was cut; see shorten.ts);
//   2. the oldest turns are dropped whole;
//   then tool results that were shortened are restored, newest first, wherever room is left.
// A summary (Condense) replaces the turns it covers: it is merged into the system message, and only the turns
// after it are candidates. Only when the newest turn alone does not fit are its own tool results shortened and
// then its older tool rounds dropped (the latest round is kept). If even that does not fit, the result is
// `ok: false` with what would help, and nothing may be sent.
//
// Invariant (property-tested): for `ok: true`, ceil(counter.request(messages, tools) * scale) + reserve <= window,
// every `tool` message follows the assistant message that called it, and the newest user message is present.
//
// Cost: older turns are counted newest first and only until the budget is full; the turns that do not fit are
// never counted, so a reload of a very long chat counts about one window's worth of text, not the whole chat.
import type { ChatMessage, FunctionTool } from '../api/types';
import { REPLY_PRIMING, type TokenCounter } from './counter';
import { isShortenable, shortenToolMessage } from './shorten';
import { formatNumber } from '../api/locale';
import * as l10n from '@vscode/l10n';

/** One turn of the chat: a user message (with its attachments) and the answers to it. */
export interface HistoryTurn {
  /** Ids of the stored messages this turn holds, in order (for the "not sent" marker and its count). */
  ids: readonly string[];
  /** Its API messages in order: the user message first, then the answers (tool rounds included). */
  messages: readonly ChatMessage[];
  /** Tokens of the attachments inside the user message (already part of its count), for the breakdown. */
  attachmentTokens?: number;
}

export interface SummaryInput {
  /** The summary text (see condense.ts for how it is framed in the system message). */
  text: string;
  /** The summary stands for turns[0..throughTurn], inclusive. */
  throughTurn: number;
}

export interface FitInput {
  /** The system prompt (+ instruction blocks): counted first, never trimmed. */
  system: ChatMessage;
  tools?: readonly FunctionTool[];
  /** Oldest first; the last is the turn being answered. At least one. */
  turns: readonly HistoryTurn[];
  summary?: SummaryInput;
  /** Merges a summary into the system message (condense.ts `withSummary`); required with `summary`. */
  mergeSummary?: (system: ChatMessage, summary: string) => ChatMessage;
  window: number;
  /** Tokens kept free for the answer. */
  reserve: number;
  /** Server tokens per local token (calibration); default 1. */
  scale?: number;
  /** An extra bound on the number of messages (the API's own limit). */
  maxMessages?: number;
  counter: TokenCounter;
}

export interface Breakdown {
  /** The system prompt and instructions (with the reply priming). */
  system: number;
  tools: number;
  /** Earlier messages (and the summary), the newest message's text. */
  history: number;
  /** Code attached to the user messages that are sent. */
  attachments: number;
}

export interface Omitted {
  /** Stored messages not sent (not counting those a summary stands for). */
  count: number;
  /** The oldest and newest of them. */
  firstId?: string;
  lastId?: string;
}

export interface Fitted {
  ok: true;
  messages: ChatMessage[];
  /** Counted size of the request (calibration applied), without the reserve. */
  tokens: number;
  /** The same, as counted locally (before calibration). */
  rawTokens: number;
  /** Most prompt tokens allowed: window - reserve. */
  limit: number;
  breakdown: Breakdown;
  omitted: Omitted;
  /** Stored messages the summary stands for (0 without one, or when it had to be left out). */
  summarized: number;
  /** Tool results sent shortened. */
  shortened: number;
  /** Tool rounds of the newest turn left out (only when the newest turn alone was too large). */
  droppedRounds: number;
}

export type FitHelp = 'removeAttachment' | 'shortenMessage' | 'raiseWindow' | 'switchModel' | 'disableTools';

export interface DoesNotFit {
  ok: false;
  /** The smallest request possible (system + tools + the newest turn at its shortest), calibration applied. */
  tokens: number;
  limit: number;
  window: number;
  reserve: number;
  breakdown: Breakdown;
  help: FitHelp[];
}

export type FitResult = Fitted | DoesNotFit;

interface Part {
  messages: ChatMessage[];
  tokens: number;
  shortened: number;
}

const sum = (c: TokenCounter, ms: readonly ChatMessage[]) => ms.reduce((n, m) => n + c.message(m), 0);

/** Largest raw count whose calibrated size stays within `limit`. */
function rawBudget(limit: number, scale: number): number {
  let raw = Math.floor(limit / scale);
  while (raw > 0 && Math.ceil(raw * scale) > limit) raw--;
  return raw;
}

/** Groups a turn's messages into rounds: [user…], then each assistant message with the tool messages after it. */
function rounds(messages: readonly ChatMessage[]): ChatMessage[][] {
  const out: ChatMessage[][] = [];
  for (const m of messages) {
    if (m.role === 'tool' && out.length) out[out.length - 1].push(m);
    else out.push([m]);
  }
  return out;
}

/** The newest turn at the largest size that fits `avail` (tokens) and `msgAvail` (messages), or undefined. */
function fitNewest(turn: HistoryTurn, avail: number, msgAvail: number, c: TokenCounter): Part | undefined {
  const messages = [...turn.messages];
  let tokens = sum(c, messages);
  let count = messages.length;
  let shortened = 0;
  const fits = () => tokens <= avail && count <= msgAvail;
  if (fits()) return { messages, tokens, shortened };
  // Its own tool results, oldest first.
  for (let i = 0; i < messages.length && !fits(); i++) {
    if (!isShortenable(messages[i])) continue;
    const s = shortenToolMessage(messages[i], c);
    tokens += c.message(s) - c.message(messages[i]);
    messages[i] = s;
    shortened++;
  }
  if (fits()) return { messages, tokens, shortened };
  // Its older tool rounds, keeping the user message (first) and the latest round with everything after it.
  const groups = rounds(messages);
  let lastCall = -1;
  groups.forEach((g, i) => {
    if (g[0].tool_calls?.length) lastCall = i;
  });
  for (let i = 1; i < lastCall && !fits(); i++) {
    if (!groups[i][0].tool_calls?.length) continue;
    tokens -= sum(c, groups[i]);
    count -= groups[i].length;
    shortened -= groups[i].filter((m, j) => m !== turn.messages[messages.indexOf(groups[i][0]) + j]).length;
    groups[i] = [];
  }
  if (!fits()) return undefined;
  return { messages: groups.flat(), tokens, shortened };
}

/** An older turn at its smallest: long tool results shortened. */
function smallest(turn: HistoryTurn, c: TokenCounter): Part {
  let shortened = 0;
  const messages = turn.messages.map((m) => {
    const s = shortenToolMessage(m, c);
    if (s !== m) shortened++;
    return s;
  });
  return { messages, tokens: sum(c, messages), shortened };
}

function breakdownOf(systemTokens: number, toolsTokens: number, total: number, attachments: number): Breakdown {
  const system = systemTokens + REPLY_PRIMING;
  return { system, tools: toolsTokens, attachments, history: Math.max(0, total - system - toolsTokens - attachments) };
}

export function fitRequest(inp: FitInput): FitResult {
  const c = inp.counter;
  const scale = inp.scale && inp.scale > 0 ? inp.scale : 1;
  const limit = Math.max(0, inp.window - inp.reserve);
  const budget = rawBudget(limit, scale);
  const toolsTokens = c.tools(inp.tools);
  const maxMessages = inp.maxMessages ?? Number.POSITIVE_INFINITY;
  const last = inp.turns.length - 1;
  if (last < 0) throw new Error('fitRequest needs at least the turn being answered.');
  const newest = inp.turns[last];
  const systemTokens = c.message(inp.system);
  const summary = inp.summary && inp.mergeSummary && inp.summary.throughTurn < last ? inp.summary : undefined;

  for (const useSummary of summary ? [true, false] : [false]) {
    const system = useSummary ? inp.mergeSummary!(inp.system, summary!.text) : inp.system;
    let avail = budget - REPLY_PRIMING - toolsTokens - c.message(system);
    let msgAvail = maxMessages - 1;
    const pinned = fitNewest(newest, avail, msgAvail, c);
    if (!pinned) continue;
    avail -= pinned.tokens;
    msgAvail -= pinned.messages.length;
    const first = useSummary ? summary!.throughTurn + 1 : 0;

    // Older turns, newest first, each at its smallest, while they fit.
    const kept: { index: number; part: Part }[] = [];
    for (let i = last - 1; i >= first; i--) {
      const part = smallest(inp.turns[i], c);
      if (part.tokens > avail || part.messages.length > msgAvail) break;
      avail -= part.tokens;
      msgAvail -= part.messages.length;
      kept.push({ index: i, part });
    }
    // Restore shortened tool results where room is left, newest first.
    let shortened = pinned.shortened;
    for (const { index, part } of kept) {
      const original = inp.turns[index].messages;
      for (let j = part.messages.length - 1; j >= 0; j--) {
        if (part.messages[j] === original[j]) continue;
        const extra = c.message(original[j]) - c.message(part.messages[j]);
        if (extra <= avail) {
          avail -= extra;
          part.tokens += extra;
          part.messages[j] = original[j];
        } else shortened++;
      }
    }

    const messages: ChatMessage[] = [system];
    for (let k = kept.length - 1; k >= 0; k--) messages.push(...kept[k].part.messages);
    messages.push(...pinned.messages);
    const rawTokens =
      REPLY_PRIMING + toolsTokens + c.message(system) + pinned.tokens + kept.reduce((n, k) => n + k.part.tokens, 0);
    const oldestKept = kept.length ? kept[kept.length - 1].index : last;
    const omittedIds = inp.turns.slice(first, oldestKept).flatMap((t) => t.ids);
    const attachments =
      (newest.attachmentTokens ?? 0) + kept.reduce((n, k) => n + (inp.turns[k.index].attachmentTokens ?? 0), 0);
    const tokens = Math.ceil(rawTokens * scale);
    return {
      ok: true,
      messages,
      tokens,
      rawTokens,
      limit,
      breakdown: scaleBreakdown(breakdownOf(systemTokens, toolsTokens, rawTokens, attachments), scale, tokens),
      omitted: {
        count: omittedIds.length,
        ...(omittedIds.length ? { firstId: omittedIds[0], lastId: omittedIds[omittedIds.length - 1] } : {}),
      },
      summarized: useSummary ? inp.turns.slice(0, first).reduce((n, t) => n + t.ids.length, 0) : 0,
      shortened,
      droppedRounds:
        newest.messages.filter((m) => m.tool_calls?.length).length -
        pinned.messages.filter((m) => m.tool_calls?.length).length,
    };
  }
  return doesNotFit(inp, newest, systemTokens, toolsTokens, scale, limit);
}

/** The breakdown in calibrated tokens; rounding goes to history so the parts add up to the total. */
function scaleBreakdown(b: Breakdown, scale: number, total: number): Breakdown {
  if (scale === 1) return b;
  const system = Math.ceil(b.system * scale);
  const tools = Math.ceil(b.tools * scale);
  const attachments = Math.ceil(b.attachments * scale);
  return { system, tools, attachments, history: Math.max(0, total - system - tools - attachments) };
}

function doesNotFit(
  inp: FitInput,
  newest: HistoryTurn,
  systemTokens: number,
  toolsTokens: number,
  scale: number,
  limit: number,
): DoesNotFit {
  const c = inp.counter;
  const groups = rounds(newest.messages.map((m) => shortenToolMessage(m, c)));
  const lastCall = groups.reduce((at, g, i) => (g[0].tool_calls?.length ? i : at), -1);
  const minimal = groups.filter((g, i) => i === 0 || !g[0].tool_calls?.length || i === lastCall).flat();
  const raw = REPLY_PRIMING + toolsTokens + systemTokens + sum(c, minimal);
  const tokens = Math.ceil(raw * scale);
  const attachments = newest.attachmentTokens ?? 0;
  const help: FitHelp[] = [];
  if (attachments > 0) help.push('removeAttachment');
  const userTokens = c.message(newest.messages[0]) - attachments;
  if (userTokens * scale > limit / 4) help.push('shortenMessage');
  help.push('raiseWindow', 'switchModel');
  if (toolsTokens * scale > limit / 4) help.push('disableTools');
  return {
    ok: false,
    tokens,
    limit,
    window: inp.window,
    reserve: inp.reserve,
    breakdown: scaleBreakdown(breakdownOf(systemTokens, toolsTokens, raw, attachments), scale, tokens),
    help,
  };
}

/** The sentence shown before sending when even the newest message cannot fit. */
export function describeDoesNotFit(r: DoesNotFit): string {
  const b = r.breakdown;
  const parts = [l10n.t('system prompt {0}', formatNumber(b.system))];
  if (b.tools) parts.push(l10n.t('tool definitions {0}', formatNumber(b.tools)));
  parts.push(l10n.t('your message {0}', formatNumber(b.history)));
  if (b.attachments) parts.push(l10n.t('attached code {0}', formatNumber(b.attachments)));
  const ways: string[] = [];
  if (r.help.includes('removeAttachment')) ways.push(l10n.t('remove an attachment'));
  if (r.help.includes('shortenMessage')) ways.push(l10n.t('shorten the message'));
  if (r.help.includes('disableTools')) ways.push(l10n.t('turn the workspace tools off (bud.tools.enabled)'));
  ways.push(
    l10n.t('raise bud.contextWindow if the model takes more'),
    l10n.t('or switch to a model with a larger window'),
  );
  return l10n.t(
    "This message does not fit the model's context window, so nothing was sent: it needs about {0} tokens ({1}) and the window of {2} tokens keeps {3} for the answer, leaving {4}. To send it: {5}.",
    formatNumber(r.tokens),
    parts.join(', '),
    formatNumber(r.window),
    formatNumber(r.reserve),
    formatNumber(r.limit),
    ways.join(', '),
  );
}
