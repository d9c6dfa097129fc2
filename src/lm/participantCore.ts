// The pure part of the `@bud` chat participant: the request it sends from VS Code's chat history, and what the
// references attached to a request (`#file`, a selection, text) become. No `vscode` import.
import * as l10n from '@vscode/l10n';
import type { ChatMessage } from '../api/types';
import { buildUserContent, EXPLAIN_INSTRUCTION, fenceFor } from '../chat/prompts';
import type { CodeContext } from '../protocol';
import { CAPS } from '../tools/caps';
import type { ToolResult } from '../tools/port';
import { formatNumber } from '../api/locale';

/** One earlier turn of the conversation with `@bud`, as plain data. */
export type ParticipantTurn =
  { kind: 'request'; prompt: string; command?: string } | { kind: 'response'; text: string };

/** What the user attached to the request, as the model gets it. */
export interface Attachment {
  /** `src/math.ts`, `src/math.ts, lines 3-9`, or the reference's name for text. */
  label: string;
  content: string;
}

/** The user text for a request: `/explain` without words asks for Bud's usual explanation. */
export function promptText(prompt: string, command: string | undefined): string {
  if (command === 'explain' && !prompt.trim()) return EXPLAIN_INSTRUCTION;
  return prompt;
}

/** One attachment as Markdown: what it is, then its content fenced so nothing in it can close the fence. */
export function formatAttachment(a: Attachment): string {
  const fence = fenceFor(a.content);
  return `Attached by the user: ${a.label}\n\n${fence}\n${a.content}\n${fence}`;
}

/** The messages for a participant request: the system prompt, the earlier turns, then this request with its code. */
export function participantMessages(
  systemPrompt: string,
  history: readonly ParticipantTurn[],
  prompt: string,
  command: string | undefined,
  contexts: readonly CodeContext[],
  attachments: readonly Attachment[] = [],
): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'system', content: systemPrompt }];
  for (const t of history) {
    if (t.kind === 'request') out.push({ role: 'user', content: promptText(t.prompt, t.command) });
    else if (t.text) out.push({ role: 'assistant', content: t.text });
  }
  const text = buildUserContent(promptText(prompt, command), contexts);
  out.push({ role: 'user', content: [...attachments.map(formatAttachment), text].join('\n\n') });
  return out;
}

/** What the participant says when `/explain` has no selection to explain. */
export const noSelectionMessage = (): string =>
  l10n.t('Select the code to explain in an editor first (or attach a file with #), then ask `@bud /explain` again.');

// ------------------------------------------------------------------------------------------- references

/**
 * A reference of a request, as plain data: a file on disk (a whole file, or lines of it), text VS Code resolved
 * (e.g. a terminal selection), or something Bud does not send (named by its id).
 */
export type ReferenceTarget =
  | { kind: 'file'; fsPath: string; lines?: { start: number; end: number } }
  | { kind: 'text'; name: string; text: string }
  | { kind: 'other'; name: string; why: string };

/**
 * References VS Code adds by itself that are not the user's content and are not for Bud's model, by id. VS Code
 * 1.139 adds its index of Copilot skills and agents to every request: it tells the model to call tools Bud does not
 * have (`#tool:read/readFile`, `#tool:agent/runSubagent`), so sending it would only lead the model astray.
 */
export const NOT_FOR_BUD: ReadonlySet<string> = new Set(['vscode.customizations.index']);

/**
 * The `read_file` arguments for a file reference: a whole file as far as one call may read, or the lines asked for.
 * Attachments go through Bud's `read_file` so they obey the tools' rules (inside the workspace, the deny list,
 * Restricted Mode, binary files, size caps).
 */
export function readFileArgs(target: { fsPath: string; lines?: { start: number; end: number } }): {
  path: string;
  start_line: number;
  end_line: number;
} {
  const start = target.lines?.start ?? 1;
  const end = target.lines ? Math.max(target.lines.end, start) : start + CAPS.readMaxLines - 1;
  return { path: target.fsPath, start_line: start, end_line: Math.min(end, start + CAPS.readMaxLines - 1) };
}

/** The most characters of a text reference sent (the cut is stated). */
export const TEXT_REFERENCE_MAX_CHARS = CAPS.maxOutputChars;

/** Where read_file's header says the lines sent end, and of how many ("src/a.ts — lines 1–12 of 12"). */
function sentLines(header: string): { end: number; total?: number } | undefined {
  const m = / — lines (\d+)–(\d+) of (\d+|a )/.exec(header);
  if (!m) return undefined;
  return { end: Number(m[2]), total: m[3] === 'a ' ? undefined : Number(m[3]) };
}

/**
 * What becomes of one reference: the attachment for the model and/or a note for the user (anything cut or refused).
 * `read` is read_file's answer to `readFileArgs(target)` for a file.
 */
export function referenceOutcome(
  target: ReferenceTarget,
  read?: ToolResult,
): { attachment?: Attachment; note?: string } {
  if (target.kind === 'other') return { note: l10n.t('Not sent: {0} ({1}).', target.name, target.why) };
  if (target.kind === 'text') {
    const cut = target.text.length > TEXT_REFERENCE_MAX_CHARS;
    const content = cut ? target.text.slice(0, TEXT_REFERENCE_MAX_CHARS) : target.text;
    const note = l10n.t(
      'Only the first {0} of {1} characters of {2} were sent.',
      formatNumber(TEXT_REFERENCE_MAX_CHARS),
      formatNumber(target.text.length),
      target.name,
    );
    return { attachment: { label: target.name, content }, ...(cut ? { note } : {}) };
  }
  if (!read) return {};
  if (read.isError) return { note: l10n.t('Not sent: {0}', read.content.replace(/^Error: /, '')) };
  const lines = read.content.split('\n');
  const header = lines[0];
  const empty = / is empty \(0 lines\)\.$/.exec(header);
  if (empty) return { attachment: { label: header.slice(0, empty.index), content: header } };
  const label = header.split(' — ')[0] || target.fsPath;
  const sent = sentLines(header);
  // A whole file is wanted to its last line (which one read may not reach); a range to its own end.
  const wanted = target.lines ? Math.min(target.lines.end, sent?.total ?? Infinity) : sent?.total;
  // read_file's English marker of lines left out to fit (the summary is translated; the content is not).
  const cut = /^\[… \d+ lines? left out to keep this result under /m.test(read.content);
  const partial = !sent || wanted === undefined || sent.end < wanted || cut;
  // read_file ends a page with how to read on; for a range the user chose, that would only invite the model to.
  const content =
    !partial && target.lines && lines[lines.length - 1].startsWith('[More lines follow')
      ? lines.slice(0, -1).join('\n')
      : read.content;
  const note = l10n.t('Only part of {0} was sent ({1}).', label, read.summary);
  return { attachment: { label, content }, ...(partial ? { note } : {}) };
}
