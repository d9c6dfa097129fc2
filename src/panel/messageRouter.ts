// Checks every message from the webview before the host acts on it. The webview renders untrusted model
// output (sanitised), so the host still treats what it receives as input: known types and field types only.
import { isActionId, type WebviewMessage } from '../protocol';

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'stop':
    case 'retry':
    case 'newChat':
      return { type: m.type };
    case 'send':
      return isStr(m.text) ? { type: 'send', text: m.text } : undefined;
    case 'switchChat':
    case 'deleteChat':
      return isStr(m.chatId) ? { type: m.type, chatId: m.chatId } : undefined;
    case 'renameChat':
      return isStr(m.chatId) && isStr(m.title) ? { type: 'renameChat', chatId: m.chatId, title: m.title } : undefined;
    case 'action':
      return isActionId(m.action) ? { type: 'action', action: m.action } : undefined;
    case 'openLink':
      return isStr(m.href) ? { type: 'openLink', href: m.href } : undefined;
    case 'openContext':
      return isStr(m.uri) && isInt(m.startLine) && isInt(m.endLine)
        ? { type: 'openContext', uri: m.uri, startLine: m.startLine, endLine: m.endLine }
        : undefined;
    case 'removePendingContext':
      return isInt(m.index) ? { type: 'removePendingContext', index: m.index } : undefined;
    case 'copyCode':
    case 'insertCode':
      return isStr(m.code) ? { type: m.type, code: m.code } : undefined;
    case 'openCodeInEditor':
      return isStr(m.code)
        ? { type: 'openCodeInEditor', code: m.code, language: isStr(m.language) ? m.language : undefined }
        : undefined;
    case 'continueAnswer':
      return isStr(m.id) ? { type: 'continueAnswer', id: m.id } : undefined;
    case 'undoCondense':
      return { type: 'undoCondense' };
    case 'draft':
      return isStr(m.text) ? { type: 'draft', text: m.text.slice(0, 1_000_001) } : undefined;
    case 'log':
      return isStr(m.text) && (m.level === 'info' || m.level === 'warn' || m.level === 'error')
        ? { type: 'log', level: m.level, text: m.text.slice(0, 2000) }
        : undefined;
    default:
      return undefined;
  }
}
