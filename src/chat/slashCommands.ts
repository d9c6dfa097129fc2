// Slash commands in the composer: the built-ins (/explain, /review) and the workspace's prompt files
// (`.bud/prompts/<name>.md`, `.github/prompts/<name>.prompt.md`). Pure: no `vscode` import.
//
// A prompt file is Markdown, optionally with a front matter block (`---` lines) whose `description:` is shown in
// the autocomplete. Its body is the prompt; in it `$ARGUMENTS` becomes what was typed after the command,
// `${selection}` the editor's selected text and `${file}` the current file's workspace path. When the body has no
// `$ARGUMENTS`, what was typed after the command follows the body, so it is never lost.
import * as l10n from '@vscode/l10n';
import { EXPLAIN_INSTRUCTION } from './prompts';

export const REVIEW_INSTRUCTION =
  'Review this code as a careful senior engineer: point out bugs, edge cases it gets wrong, security and ' +
  'performance risks, and unclear names or structure, most important first, each with a concrete fix. ' +
  'Say so plainly if you find nothing worth changing.';

export interface BuiltinCommand {
  name: string;
  description: string;
  body: string;
}

/** Built-ins attach the selection, or the current file when nothing is selected. */
export const BUILTIN_COMMANDS: readonly BuiltinCommand[] = [
  {
    name: 'explain',
    // A getter: the translations are configured at activation, after this module is loaded.
    get description() {
      return l10n.t('Explain the selection (or the current file) step by step');
    },
    body: `${EXPLAIN_INSTRUCTION}\n\n$ARGUMENTS`,
  },
  {
    name: 'review',
    get description() {
      return l10n.t('Review the selection (or the current file) for bugs and risks');
    },
    body: `${REVIEW_INSTRUCTION}\n\n$ARGUMENTS`,
  },
];

/** The folders prompt files are read from, and the file-name ending each needs, relative to a workspace folder. */
export const PROMPT_DIRS: readonly { dir: string; suffix: string }[] = [
  { dir: '.bud/prompts', suffix: '.md' },
  { dir: '.github/prompts', suffix: '.prompt.md' },
];

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The command name of a prompt file ("review" for review.prompt.md), or undefined when it cannot be one. */
export function promptName(fileName: string, suffix: string): string | undefined {
  if (!fileName.toLowerCase().endsWith(suffix)) return undefined;
  const name = fileName.slice(0, -suffix.length).replace(/\s+/g, '-');
  return NAME_RE.test(name) ? name : undefined;
}

export interface ParsedPrompt {
  description?: string;
  body: string;
}

/** Splits the front matter (if any) from the body, and reads `description:` from it. */
export function parsePromptFile(text: string): ParsedPrompt {
  const t = text.replace(/^\uFEFF/, '');
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(t);
  if (!m) return { body: t.trim() };
  const body = t.slice(m[0].length).trim();
  const line = /^description:[ \t]*(.*)$/m.exec(m[1]);
  let description = line?.[1].trim();
  if (description && /^(['"]).*\1$/.test(description)) description = description.slice(1, -1);
  return description ? { description, body } : { body };
}

/** `/name rest` → { name, args }; undefined when the text does not start with a command. */
export function parseSlash(text: string): { name: string; args: string } | undefined {
  const m = /^\/([A-Za-z0-9][A-Za-z0-9_.-]*)(?:[ \t]+([\s\S]*))?$/.exec(text.trimStart().replace(/\s+$/, ''));
  if (!m) return undefined;
  return { name: m[1], args: (m[2] ?? '').trim() };
}

export interface Substitutions {
  args: string;
  selection?: string;
  file?: string;
}

/** Fills in `$ARGUMENTS`, `${selection}` and `${file}`; other `${…}` stay as written. */
export function substitute(body: string, s: Substitutions): string {
  const hasArgs = body.includes('$ARGUMENTS');
  let out = body
    .replace(/\$ARGUMENTS/g, () => s.args)
    .replace(/\$\{(selection|selectedText)\}/g, () => s.selection ?? '')
    .replace(/\$\{file\}/g, () => s.file ?? '');
  if (!hasArgs && s.args) out = `${out}\n\n${s.args}`;
  return out.replace(/\n{3,}/g, '\n\n').trim();
}

/** Which placeholders a body uses (so the host reads the selection or the file only when needed). */
export function placeholdersOf(body: string): { selection: boolean; file: boolean } {
  return { selection: /\$\{(selection|selectedText)\}/.test(body), file: /\$\{file\}/.test(body) };
}
