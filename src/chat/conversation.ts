// A chat as stored and the messages sent to the model for it. Pure: no `vscode` import.
//
// What goes back to the model (documented in the README):
// - user messages: the typed text, with any attached code contexts in front of it (see prompts.ts);
// - `complete` answers: exactly as the model produced them, including the tool-call rounds of that turn;
// - `stopped`, `error` and `interrupted` answers that have text: the partial text, followed by a bracketed
//   marker saying it was cut off and why, so the model never mistakes it for a finished answer;
//   such answers without text are sent as a bracketed "no answer" note, so questions and answers alternate
//   (their tool rounds are never sent);
// - answers cut off at the token limit or stopped by a content filter: their text, with a marker saying so
//   (except the answer being continued, which the model sees exactly as it wrote it: `continuationMessages`);
// - only the active path of the chat's tree of branches (tree.ts) is sent;
// - what fits the model's context window and at most MAX_MESSAGES messages (contextPlan.ts, src/context/fit.ts);
//   the chat shows what is left out.
import type { ChatMessage } from '../api/types';
import type { AnswerFinish, ChatSnapshot, ChatSummary, MessageStatus, MessageView, SummaryView } from '../protocol';
import { buildUserContent } from './prompts';
import { activePath, branchInfo, branchOf, childIndex } from './tree';
import { formatNumber, modelNumber } from '../api/locale';
import * as l10n from '@vscode/l10n';

/** 2: messages form a tree (`parentId`, `selected`); version 1 files were one linear list and load as one branch. */
export const STORE_VERSION = 2;

/** A message as saved: what the view shows, plus (for complete answers) the exact API messages of that turn. */
export interface StoredMessage extends MessageView {
  apiMessages?: ChatMessage[];
  /** The message this one follows (see tree.ts); absent for a chat's first message and its edited siblings. */
  parentId?: string;
}

export interface StoredChat {
  version: number;
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Every message of every branch, oldest first. */
  messages: StoredMessage[];
  /** Condense: stands for the older messages in what is sent (they stay here). */
  summary?: SummaryView;
  /** The child shown after each message id ('' for the first messages) where it is not the newest. */
  selected: Record<string, string>;
}

export const MAX_MESSAGES = 1000;
export const MAX_CONTENT_CHARS = 1_000_000;

export function newChat(id: string, now: number): StoredChat {
  return {
    version: STORE_VERSION,
    id,
    title: l10n.t('New chat'),
    createdAt: now,
    updatedAt: now,
    messages: [],
    selected: {},
  };
}

/** What the webview sees of a message: never the API messages (tool outputs stay in the host) nor the tree links. */
export function toView(m: StoredMessage): MessageView {
  const { apiMessages: _api, parentId: _parent, ...view } = m;
  return view;
}

/** Views of `messages` (usually part of the active path) with where each stands among its siblings (‹ 1 / 2 ›). */
export function toViews(chat: Pick<StoredChat, 'messages'>, messages: readonly StoredMessage[]): MessageView[] {
  const kids = childIndex(chat.messages);
  return messages.map((m) => {
    const view = toView(m);
    const branch = branchInfo(kids, m);
    if (branch) view.branch = branch;
    return view;
  });
}

/** The view of one message (sent as it is added or changes: no index of the whole chat for it). */
export function viewOf(chat: Pick<StoredChat, 'messages'>, m: StoredMessage): MessageView {
  const view = toView(m);
  const branch = branchOf(chat.messages, m);
  if (branch) view.branch = branch;
  return view;
}

export function toSnapshot(chat: StoredChat): ChatSnapshot {
  const snap: ChatSnapshot = { id: chat.id, title: chat.title, messages: toViews(chat, activePath(chat)) };
  if (chat.summary) snap.summary = chat.summary;
  return snap;
}

export function toSummary(chat: StoredChat): ChatSummary {
  return { id: chat.id, title: chat.title, updatedAt: chat.updatedAt, messageCount: activePath(chat).length };
}

const CUT_OFF: Partial<Record<MessageStatus, string>> = {
  stopped: '[This answer is incomplete: the user stopped it before it finished.]',
  error: '[This answer is incomplete: the request failed before it finished.]',
  interrupted: '[This answer is incomplete: the editor window closed before it finished.]',
};

const ENDED_EARLY: Record<AnswerFinish, string> = {
  length: '[This answer was cut off at the token limit before it finished.]',
  content_filter: "[This answer is incomplete: the server's content filter stopped it.]",
};

/** Sent for a cut-off answer that has no text, so questions and answers keep alternating in every request. */
const NO_ANSWER: Partial<Record<MessageStatus, string>> = {
  stopped: '[No answer: the user stopped it before any text arrived.]',
  error: '[No answer: the request failed before any text arrived.]',
  interrupted: '[No answer: the editor window closed before any text arrived.]',
};

/**
 * An answer (or tool output) longer than one request message may carry is sent cut, with a note: one huge
 * model answer must not make every later message of the chat fail validation. `reserve` keeps room for a suffix.
 */
export function fitForRequest(text: string, reserve = 0): string {
  if (text.length + reserve <= MAX_CONTENT_CHARS) return text;
  const note = `\n\n[Truncated for this request: the message is ${modelNumber(text.length)} characters long.]`;
  return text.slice(0, Math.max(0, MAX_CONTENT_CHARS - reserve - note.length)) + note;
}

/** The API messages one stored message contributes ([] when it is left out). */
export function apiMessagesFor(m: StoredMessage): ChatMessage[] {
  if (m.role === 'user') return [{ role: 'user', content: buildUserContent(m.content, m.contexts) }];
  if (m.status === 'complete') {
    const ended = m.finish ? ENDED_EARLY[m.finish] : undefined;
    if (!ended) return continuationMessages(m);
    const out = continuationMessages(m);
    const last = out[out.length - 1];
    if (last?.role === 'assistant' && !last.tool_calls?.length) {
      const text = typeof last.content === 'string' ? last.content : '';
      out[out.length - 1] = { ...last, content: `${fitForRequest(text, ended.length + 2)}\n\n${ended}` };
    }
    return out;
  }
  if (m.status === 'streaming') return [];
  const marker = CUT_OFF[m.status];
  if (!marker) return [];
  if (!m.content.trim()) return [{ role: 'assistant', content: NO_ANSWER[m.status] ?? marker }];
  return [{ role: 'assistant', content: `${fitForRequest(m.content, marker.length + 2)}\n\n${marker}` }];
}

/** A complete answer exactly as the model produced it (tool rounds included), for history and for Continue. */
export function continuationMessages(m: StoredMessage): ChatMessage[] {
  if (m.apiMessages && m.apiMessages.length) return m.apiMessages.map(stripForRequest);
  return [{ role: 'assistant', content: fitForRequest(m.content) }];
}

/**
 * The API messages of an answer after Continue: the continuation's first text joins the partial answer it goes
 * on from (one assistant message, as if it had never stopped); tool rounds it made follow.
 */
export function mergeContinuation(before: readonly ChatMessage[], added: readonly ChatMessage[]): ChatMessage[] {
  const last = before[before.length - 1];
  const first = added[0];
  if (!last || !first || last.role !== 'assistant' || last.tool_calls?.length || first.role !== 'assistant') {
    return [...before, ...added];
  }
  const joined: ChatMessage = { ...first, content: `${last.content ?? ''}${first.content ?? ''}` };
  return [...before.slice(0, -1), joined, ...added.slice(1)];
}

/** Reasoning and refusal fields are never sent back. */
function stripForRequest(m: ChatMessage): ChatMessage {
  const out: ChatMessage = {
    role: m.role,
    content: m.role !== 'user' && typeof m.content === 'string' ? fitForRequest(m.content) : m.content,
  };
  if (m.name) out.name = m.name;
  if (m.tool_call_id) out.tool_call_id = m.tool_call_id;
  if (m.tool_calls && m.tool_calls.length) out.tool_calls = m.tool_calls;
  return out;
}

/** A user-readable reason a message cannot be sent, or undefined when it can. */
export function checkContentLimit(content: string, withCode = false, max = MAX_CONTENT_CHARS): string | undefined {
  if (content.length <= max) return undefined;
  const [n, limit] = [formatNumber(content.length), formatNumber(max)];
  return withCode
    ? l10n.t(
        'This message with its code is {0} characters long; the server accepts at most {1} characters per message, so nothing was sent. Shorten it or send a smaller selection.',
        n,
        limit,
      )
    : l10n.t(
        'This message is {0} characters long; the server accepts at most {1} characters per message, so nothing was sent. Shorten it or send a smaller selection.',
        n,
        limit,
      );
}
