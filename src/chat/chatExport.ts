// Export a chat as Markdown (readable: the branch on screen, code fenced, tool calls summarised) or as JSON
// (lossless: every branch, attachments, statuses, usage — the chat exactly as its history file holds it), and
// import a JSON export as a new chat. Pure: no `vscode` import.
//
// Import treats the file as untrusted input: it goes through the same validation as a loaded history file, and
// export → import → export gives the same JSON except the chat's id. Neither format ever holds the API key: any
// occurrence (also encoded) is replaced before the text is written.
import * as l10n from '@vscode/l10n';
import { redact, redactDeep } from '../api/redact';
import type { MessageStatus, ToolCallState } from '../protocol';
import { type StoredChat, type StoredMessage } from './conversation';
import { markInterrupted, parseChat, serializeChat } from './historyStore';
import { fenceFor, formatContext } from './prompts';
import { activePath } from './tree';

export const EXPORT_FORMAT = 'bud-chat';
export const EXPORT_FORMAT_VERSION = 1;
/** Larger files are refused before parsing (a history file of 1,000 long messages is far smaller). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/** The JSON export: the chat as serialised for its history file, wrapped with what it is. */
export function exportJson(chat: StoredChat, secret?: string): string {
  const copy = JSON.parse(serializeChat(chat)) as StoredChat & { messageCount?: number };
  // The summary head is for list(); a live answer is exported as the file would load it: interrupted.
  delete copy.messageCount;
  markInterrupted(copy);
  const data = { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, chat: copy };
  return `${JSON.stringify(redactDeep(data, secret), null, 2)}\n`;
}

/**
 * A chat from a JSON export, with the id `newId`, or a sentence saying why the file cannot be imported. Checked
 * like a history file; answers exported while streaming come back interrupted.
 */
export function importJson(text: string, newId: string): StoredChat | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return l10n.t('The file is not valid JSON ({0}).', (err as Error).message);
  }
  const wrapper = data as { format?: unknown; formatVersion?: unknown; chat?: unknown } | null;
  if (!wrapper || typeof wrapper !== 'object' || wrapper.format !== EXPORT_FORMAT)
    return l10n.t('The file is not a Bud Chat JSON export (it has no "format": "bud-chat").');
  if (typeof wrapper.formatVersion !== 'number' || wrapper.formatVersion > EXPORT_FORMAT_VERSION)
    return l10n.t(
      'The export is of a newer format ({0}); update Bud Chat to import it.',
      JSON.stringify(wrapper.formatVersion),
    );
  const inner = wrapper.chat as { id?: unknown } | null;
  if (!inner || typeof inner !== 'object') return l10n.t('The export holds no chat.');
  const chat = parseChat(JSON.stringify({ ...inner, id: newId }), newId);
  if (typeof chat === 'string') return l10n.t('The chat in the file cannot be used: {0}.', chat);
  markInterrupted(chat);
  return chat;
}

/** The note under an answer that did not complete (translated when the export is written, not when this loads). */
function statusNote(status: MessageStatus): string | undefined {
  switch (status) {
    case 'stopped':
      return l10n.t('Stopped before it finished.');
    case 'interrupted':
      return l10n.t('Interrupted: the window closed before it finished.');
    case 'error':
      return l10n.t('Failed');
    default:
      return undefined;
  }
}

function stateLabel(state: ToolCallState): string {
  switch (state) {
    case 'running':
      return l10n.t('running');
    case 'done':
      return l10n.t('done');
    case 'error':
      return l10n.t('error');
    case 'cancelled':
      return l10n.t('cancelled');
  }
}

/** The Markdown export: title, then the conversation on screen, one section per message. */
export function exportMarkdown(chat: StoredChat, secret?: string): string {
  const path = activePath(chat);
  const branched = chat.messages.length > path.length;
  const out: string[] = [`# ${oneLine(chat.title) || l10n.t('Untitled chat')}`, ''];
  const updated = new Date(chat.updatedAt).toISOString().slice(0, 16).replace('T', ' ');
  const count = path.length === 1 ? l10n.t('1 message') : l10n.t('{0} messages', path.length);
  const exported = branched
    ? l10n.t(
        'Exported from Bud Chat. Last updated {0} UTC; {1} (the branch on screen; the JSON export keeps every branch).',
        updated,
        count,
      )
    : l10n.t('Exported from Bud Chat. Last updated {0} UTC; {1}.', updated, count);
  out.push(`_${exported}_`, '');
  for (const m of path) out.push(...messageMarkdown(m), '');
  return redact(`${out.join('\n').trimEnd()}\n`, secret);
}

function messageMarkdown(m: StoredMessage): string[] {
  if (m.role === 'user') {
    const parts = [`## ${l10n.t('You')}`, ''];
    for (const ctx of m.contexts ?? []) parts.push(formatContext(ctx), '');
    if (m.content.trim()) parts.push(fenceIfNeeded(m.content));
    return parts;
  }
  const parts = [`## Bud${m.model ? ` (${oneLine(m.model)})` : ''}`, ''];
  if (m.toolCalls?.length) {
    parts.push(l10n.t('Tools used:'), '');
    for (const c of m.toolCalls) {
      const detail = c.summary ? ` — ${oneLine(c.summary)}` : '';
      parts.push(
        `- \`${oneLine(c.name)}\` ${argsSummary(c.argsText)}${detail} (${stateLabel(c.state)})`.replace(/ {2,}/g, ' '),
      );
    }
    parts.push('');
  }
  if (m.content) parts.push(m.content);
  const note = statusNote(m.status);
  if (note) parts.push('', `> _${note}${m.status === 'error' && m.error ? `: ${oneLine(m.error.message)}` : ''}_`);
  if (m.note) parts.push('', `> _${oneLine(m.note)}_`);
  return parts;
}

/** A question is shown as typed; one that holds Markdown of its own stays literal in a fence. */
function fenceIfNeeded(text: string): string {
  if (!/^(#|```|~~~|>|\s*[-*+] |\s*\d+\. )/m.test(text)) return text;
  const fence = fenceFor(text);
  return `${fence}text\n${text}\n${fence}`;
}

function argsSummary(argsText: string): string {
  let args: unknown;
  try {
    args = JSON.parse(argsText);
  } catch {
    return '';
  }
  if (!args || typeof args !== 'object') return '';
  const shown = Object.entries(args as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}: ${oneLine(String(v)).slice(0, 80)}`);
  return shown.length ? `(${shown.join(', ')})` : '';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A file name for the export of `chat`: its title, safe on every platform. */
export function exportFileName(chat: Pick<StoredChat, 'title'>, ext: 'md' | 'json'): string {
  const base =
    chat.title
      // eslint-disable-next-line no-control-regex -- control characters are not allowed in file names
      .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/[. ]+$/, '')
      .slice(0, 60) || 'chat';
  return `${base}.${ext}`;
}
