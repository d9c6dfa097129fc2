// Prompts: the system prompt, and user messages built from what the user typed and attached (selections, files,
// folders, Problems, git changes, terminal output, expanded slash commands).
// Pure: no `vscode` import, so it is unit-tested in plain Node.
import type { CodeContext } from '../protocol';
import * as l10n from '@vscode/l10n';

/** The instruction shown (and sent) for Explain Selection. */
export const EXPLAIN_INSTRUCTION =
  'Explain what this code does, step by step, and point out anything surprising or risky.';

/** A short default system prompt; `bud.systemPrompt` is appended to it. */
export const DEFAULT_SYSTEM_PROMPT =
  'You are Bud, a coding assistant inside VS Code. Answer in GitHub-flavoured Markdown. ' +
  'Put code in fenced code blocks with a language tag. Be concise and exact.';

/** A fence of backticks longer than any run of backticks in `code` (at least three), so the code cannot close it. */
export function fenceFor(code: string): string {
  let longest = 0;
  const runs = code.match(/`+/g);
  if (runs) for (const r of runs) longest = Math.max(longest, r.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A language id usable as a fence info string (VS Code ids such as `typescriptreact` are fine; spaces are not). */
function infoString(language: string): string {
  return /^[A-Za-z0-9_+.#-]{1,40}$/.test(language) ? language : '';
}

export function lineRange(ctx: Pick<CodeContext, 'startLine' | 'endLine'>): string {
  return ctx.startLine === ctx.endLine ? `line ${ctx.startLine}` : `lines ${ctx.startLine}-${ctx.endLine}`;
}

/** The label of a chip: `a.ts:3-9` for code, the file or folder name, or the attachment's own label. */
export function contextLabel(ctx: Pick<CodeContext, 'path' | 'startLine' | 'endLine' | 'kind' | 'label'>): string {
  if (ctx.label) return ctx.label;
  const name =
    ctx.path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() || ctx.path;
  if (ctx.kind === 'file' || ctx.kind === 'folder') return name;
  return ctx.startLine === ctx.endLine ? `${name}:${ctx.startLine}` : `${name}:${ctx.startLine}-${ctx.endLine}`;
}

function fenced(text: string, language = ''): string {
  const fence = fenceFor(text);
  return `${fence}${infoString(language)}\n${text}\n${fence}`;
}

/** The header line of an attachment: what it is, where it comes from, its language and its lines. */
function attachmentHeader(ctx: CodeContext): string {
  const lang = ctx.language ? `${ctx.language}, ` : '';
  switch (ctx.kind ?? 'selection') {
    case 'file': {
      const of = ctx.totalLines !== undefined ? ` of ${ctx.totalLines}` : '';
      return `File \`${ctx.path}\` (${lang}${lineRange(ctx)}${of}):`;
    }
    case 'folder':
      return `Folder \`${ctx.path}\` (its listing):`;
    case 'problems':
      return `${ctx.label ?? 'Problems'} (from VS Code's Problems view):`;
    case 'changes':
      return `${ctx.label ?? 'Changes'} (uncommitted git changes: the diff of the index and of the working tree):`;
    case 'terminal':
      return `${ctx.label ?? 'Terminal'} (the last command run in the terminal, and its output):`;
    default: {
      const l = ctx.language ? ` (${ctx.language})` : '';
      return `From \`${ctx.path}\`, ${lineRange(ctx)}${l}:`;
    }
  }
}

/**
 * One attachment as Markdown: a header naming it (path, language and line range for code), the note when only part
 * of it is sent, then its text in a fence the text cannot close. A prompt file's expansion is sent as it is.
 */
export function formatContext(ctx: CodeContext): string {
  if (ctx.kind === 'prompt') return ctx.text;
  const note = ctx.note ? `\n[${ctx.note}]` : '';
  const lang = ctx.kind === 'changes' ? 'diff' : ctx.kind === 'terminal' ? 'console' : ctx.language;
  return `${attachmentHeader(ctx)}${note}\n\n${fenced(ctx.text, ctx.kind === 'folder' || ctx.kind === 'problems' ? '' : lang)}`;
}

/**
 * The content sent to the model for a user message: the attachments first, then what the user typed.
 * A message with no attachments is sent exactly as typed. A slash command's expanded prompt (a `prompt`
 * attachment) stands in for the typed command.
 */
export function buildUserContent(text: string, contexts: readonly CodeContext[] = []): string {
  if (contexts.length === 0) return text;
  const prompt = contexts.find((c) => c.kind === 'prompt');
  const parts = contexts.filter((c) => c.kind !== 'prompt').map(formatContext);
  if (prompt) parts.push(prompt.text);
  else if (text.trim()) parts.push(text);
  return parts.join('\n\n');
}

/** The system message: the default prompt plus the user's `bud.systemPrompt` (if any). */
export function buildSystemPrompt(userPrompt: string | undefined): string {
  const extra = (userPrompt ?? '').trim();
  return extra ? `${DEFAULT_SYSTEM_PROMPT}\n\n${extra}` : DEFAULT_SYSTEM_PROMPT;
}

/** A chat title from the first user message: the first line, whitespace collapsed, at most 60 characters. */
export function titleFrom(text: string, contexts: readonly CodeContext[] = []): string {
  let t = text.replace(/\s+/g, ' ').trim();
  if (!t && contexts.length)
    t =
      contexts[0].kind && contexts[0].kind !== 'selection'
        ? l10n.t('About {0}', contextLabel(contexts[0]))
        : l10n.t('Code from {0}', contextLabel(contexts[0]));
  if (contexts.length && t === EXPLAIN_INSTRUCTION) t = l10n.t('Explain {0}', contextLabel(contexts[0]));
  if (!t) return l10n.t('New chat');
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}
