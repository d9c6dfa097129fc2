// Checks every message from the webview before the host acts on it. The webview renders untrusted model
// output (sanitised), so the host still treats what it receives as input: known types and field types only.
import { isActionId, TOOL_APPROVALS, type ToolApproval, type WebviewMessage, type WebviewMessageOf } from '../protocol';

type Fields = Readonly<Record<string, unknown>>;
type WebviewMessageType = WebviewMessage['type'];

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isApproval = (v: unknown): v is ToolApproval => (TOOL_APPROVALS as readonly unknown[]).includes(v);
const isLogLevel = (v: unknown): v is WebviewMessageOf<'log'>['level'] => v === 'info' || v === 'warn' || v === 'error';

/** Longest search query; a longer one is cut (no one types more, and each search scans every chat). */
const MAX_SEARCH_CHARS = 500;

/** Longest `log` line the webview may send; the rest is cut so a runaway error cannot flood the log. */
const MAX_LOG_CHARS = 2000;
/** The # picker's query (longer is no file name), a picked row's id or dropped URI, and how many URIs one drop holds. */
const MAX_QUERY_CHARS = 500;
const MAX_URI_CHARS = 4096;
const MAX_DROPPED = 500;

/**
 * One validator per webview message type, keyed by `type`. The mapped type makes a new `WebviewMessage` member a
 * compile error until it has its entry here. Each validator copies only the known fields, with their types checked.
 */
const MAX_DRAFT_CHARS = 1_000_001;

export const WEBVIEW_MESSAGE_VALIDATORS: {
  readonly [K in WebviewMessageType]: (m: Fields) => WebviewMessageOf<K> | undefined;
} = {
  ready: (m) => (isStr(m.chatId) ? { type: 'ready', chatId: m.chatId } : { type: 'ready' }),
  stop: () => ({ type: 'stop' }),
  retry: () => ({ type: 'retry' }),
  newChat: () => ({ type: 'newChat' }),
  send: (m) => {
    if (!isStr(m.text) || (m.attachCurrentFile !== undefined && typeof m.attachCurrentFile !== 'boolean'))
      return undefined;
    return m.attachCurrentFile === true
      ? { type: 'send', text: m.text, attachCurrentFile: true }
      : { type: 'send', text: m.text };
  },
  mentionQuery: (m) =>
    isInt(m.requestId) && isStr(m.query)
      ? { type: 'mentionQuery', requestId: m.requestId, query: m.query.slice(0, MAX_QUERY_CHARS) }
      : undefined,
  attachMention: (m) => (isStr(m.id) && m.id.length <= MAX_URI_CHARS ? { type: 'attachMention', id: m.id } : undefined),
  attachUris: (m) =>
    Array.isArray(m.uris) && m.uris.length <= MAX_DROPPED && m.uris.every((u) => isStr(u) && u.length <= MAX_URI_CHARS)
      ? { type: 'attachUris', uris: m.uris as string[] }
      : undefined,
  switchChat: (m) => (isStr(m.chatId) ? { type: 'switchChat', chatId: m.chatId } : undefined),
  deleteChat: (m) => (isStr(m.chatId) ? { type: 'deleteChat', chatId: m.chatId } : undefined),
  renameChat: (m) =>
    isStr(m.chatId) && isStr(m.title) ? { type: 'renameChat', chatId: m.chatId, title: m.title } : undefined,
  editMessage: (m) => (isStr(m.id) && isStr(m.text) ? { type: 'editMessage', id: m.id, text: m.text } : undefined),
  regenerate: (m) => (isStr(m.id) ? { type: 'regenerate', id: m.id } : undefined),
  deleteTurn: (m) => (isStr(m.id) ? { type: 'deleteTurn', id: m.id } : undefined),
  copyMessage: (m) => (isStr(m.id) ? { type: 'copyMessage', id: m.id } : undefined),
  exportChat: (m) => (isStr(m.chatId) ? { type: 'exportChat', chatId: m.chatId } : undefined),
  importChat: () => ({ type: 'importChat' }),
  searchChats: (m) =>
    isStr(m.query) && isInt(m.seq)
      ? { type: 'searchChats', query: m.query.slice(0, MAX_SEARCH_CHARS), seq: m.seq }
      : undefined,
  openSearchHit: (m) =>
    isStr(m.chatId) && (m.messageId === undefined || isStr(m.messageId))
      ? { type: 'openSearchHit', chatId: m.chatId, ...(isStr(m.messageId) ? { messageId: m.messageId } : {}) }
      : undefined,
  switchBranch: (m) => (isStr(m.id) && isInt(m.index) ? { type: 'switchBranch', id: m.id, index: m.index } : undefined),
  action: (m) => (isActionId(m.action) ? { type: 'action', action: m.action } : undefined),
  openLink: (m) => (isStr(m.href) ? { type: 'openLink', href: m.href } : undefined),
  openContext: (m) =>
    isStr(m.uri) && isInt(m.startLine) && isInt(m.endLine)
      ? { type: 'openContext', uri: m.uri, startLine: m.startLine, endLine: m.endLine }
      : undefined,
  removePendingContext: (m) => (isInt(m.index) ? { type: 'removePendingContext', index: m.index } : undefined),
  copyCode: (m) => (isStr(m.code) ? { type: 'copyCode', code: m.code } : undefined),
  insertCode: (m) => (isStr(m.code) ? { type: 'insertCode', code: m.code } : undefined),
  openCodeInEditor: (m) =>
    isStr(m.code)
      ? { type: 'openCodeInEditor', code: m.code, language: isStr(m.language) ? m.language : undefined }
      : undefined,
  continueAnswer: (m) => (isStr(m.id) ? { type: 'continueAnswer', id: m.id } : undefined),
  undoCondense: () => ({ type: 'undoCondense' }),
  // A draft longer than one message may be is cut: the meter then shows it as over the limit anyway.
  draft: (m) => (isStr(m.text) ? { type: 'draft', text: m.text.slice(0, MAX_DRAFT_CHARS) } : undefined),
  toolApprovalAnswer: (m) =>
    isStr(m.callId) && isApproval(m.answer)
      ? { type: 'toolApprovalAnswer', callId: m.callId, answer: m.answer }
      : undefined,
  log: (m) =>
    isStr(m.text) && isLogLevel(m.level)
      ? { type: 'log', level: m.level, text: m.text.slice(0, MAX_LOG_CHARS) }
      : undefined,
};

function isMessageType(v: unknown): v is WebviewMessageType {
  // Own keys only: `constructor` or `__proto__` must not reach a validator.
  return isStr(v) && Object.hasOwn(WEBVIEW_MESSAGE_VALIDATORS, v);
}

/** The message if it is a known type with well-typed fields (unknown extra fields dropped), else undefined. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Fields;
  return isMessageType(m.type) ? WEBVIEW_MESSAGE_VALIDATORS[m.type](m) : undefined;
}
