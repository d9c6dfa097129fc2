// Prompts built from editor selections (Explain Selection, Ask About Selection, Add Selection to Chat).
// Pure: no `vscode` import, so it is unit-tested in plain Node.
import type { CodeContext } from '../protocol';

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

/** The label of a code chip: `a.ts:3-9`. */
export function contextLabel(ctx: Pick<CodeContext, 'path' | 'startLine' | 'endLine'>): string {
  const name = ctx.path.split(/[\\/]/).pop() || ctx.path;
  return ctx.startLine === ctx.endLine ? `${name}:${ctx.startLine}` : `${name}:${ctx.startLine}-${ctx.endLine}`;
}

/** One code context as Markdown: a header naming the file, language and lines, then the fenced code. */
export function formatContext(ctx: CodeContext): string {
  const fence = fenceFor(ctx.text);
  const lang = ctx.language ? ` (${ctx.language})` : '';
  return `From \`${ctx.path}\`, ${lineRange(ctx)}${lang}:\n\n${fence}${infoString(ctx.language)}\n${ctx.text}\n${fence}`;
}

/**
 * The content sent to the model for a user message: the code contexts first, then what the user typed.
 * A message with no contexts is sent exactly as typed.
 */
export function buildUserContent(text: string, contexts: readonly CodeContext[] = []): string {
  if (contexts.length === 0) return text;
  const parts = contexts.map(formatContext);
  if (text.trim()) parts.push(text);
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
  if (!t && contexts.length) t = `Code from ${contextLabel(contexts[0])}`;
  if (contexts.length && t === EXPLAIN_INSTRUCTION) t = `Explain ${contextLabel(contexts[0])}`;
  if (!t) return 'New chat';
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}
