// Chips for what is attached to a message: code ("a.ts:12-20"), files, folders, Problems, git changes, terminal
// output, slash-command prompts. Each names what it holds and how many tokens it adds; one sent in part says so.
// A chip of a file (or a part of one) is a button that opens it at the range; the others are labels.
import * as l10n from '@vscode/l10n';
import type { CodeContext, AttachmentKind } from '../../protocol';
import { formatNumber, h, icon, iconButton } from './dom';

export function baseName(path: string): string {
  const parts = path.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function rangeLabel(c: Pick<CodeContext, 'startLine' | 'endLine'>): string {
  return c.startLine === c.endLine ? `${c.startLine}` : `${c.startLine}-${c.endLine}`;
}

const ICONS: Record<AttachmentKind, string> = {
  selection: 'file-code',
  file: 'file',
  folder: 'folder',
  problems: 'warning',
  changes: 'git-compare',
  terminal: 'terminal',
  prompt: 'symbol-event',
};

const kindOf = (c: CodeContext): AttachmentKind => (c.kind && c.kind in ICONS ? c.kind : 'selection');

/** The chip's short text: "a.ts:3-9", "a.ts", "src/", or the attachment's own label. */
export function chipLabel(c: CodeContext): string {
  if (c.label) return c.label;
  const kind = kindOf(c);
  if (kind === 'file') return baseName(c.path);
  if (kind === 'folder') return `${baseName(c.path)}/`;
  return `${baseName(c.path)}:${rangeLabel(c)}`;
}

/** "1.2k" style, for the chip; the full number is in its label. */
export function shortTokens(n: number): string {
  return n < 1000 ? String(n) : n < 10_000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n / 1000)}k`;
}

/** "96" on screen, "96 tokens" to a screen reader. */
export function tokenBadge(tokens: number): HTMLSpanElement {
  return h(
    'span',
    { class: 'chip-tokens' },
    shortTokens(tokens),
    h('span', { class: 'sr-only' }, ' ' + l10n.t('tokens')),
  );
}

/** What a screen reader and the tooltip say: the path and lines, the tokens, and the note when it was cut. */
function describe(c: CodeContext): string {
  const kind = kindOf(c);
  const lines =
    c.startLine === c.endLine ? l10n.t('line {0}', c.startLine) : l10n.t('lines {0} to {1}', c.startLine, c.endLine);
  const what =
    kind === 'selection'
      ? `${c.path}, ${lines}`
      : kind === 'file'
        ? c.totalLines !== undefined
          ? l10n.t('{0}, {1} lines', c.path, formatNumber(c.totalLines))
          : c.path
        : kind === 'folder'
          ? l10n.t('the folder {0}', c.path)
          : chipLabel(c);
  const tokens = c.tokens !== undefined ? l10n.t(', {0} tokens', formatNumber(c.tokens)) : '';
  return `${what}${tokens}${c.note ? `. ${c.note}` : ''}`;
}

/** True when clicking the chip opens a file. */
function opens(c: CodeContext): boolean {
  const kind = kindOf(c);
  return !!c.uri && (kind === 'selection' || kind === 'file' || (kind === 'prompt' && c.uri !== ''));
}

/** A chip on a sent or pending message. */
export function contextChip(c: CodeContext): HTMLElement {
  const kind = kindOf(c);
  const parts = [
    icon(ICONS[kind]),
    h('span', { class: 'chip-label' }, chipLabel(c)),
    c.note ? h('span', { class: 'chip-cut', title: c.note }, icon('fold'), 'part') : null,
    c.tokens !== undefined ? tokenBadge(c.tokens) : null,
  ];
  const text = describe(c);
  if (!opens(c)) {
    // A label, not a control: the visible parts are hidden from screen readers, which read the full text instead.
    return h(
      'span',
      { class: 'context-chip', 'data-kind': kind, title: text },
      h('span', { class: 'chip-visible', 'aria-hidden': 'true' }, ...parts),
      h('span', { class: 'sr-only' }, text),
    );
  }
  const start = kind === 'file' || kind === 'prompt' ? 1 : c.startLine;
  const end = kind === 'file' || kind === 'prompt' ? 1 : c.endLine;
  return h(
    'button',
    {
      type: 'button',
      class: 'context-chip',
      'data-kind': kind,
      'data-uri': c.uri,
      'data-start': start,
      'data-end': end,
      // The name comes from the visible text (so voice control can say it); the title describes it.
      title: l10n.t('Open {0}', text),
    },
    ...parts,
  );
}

/** A pending chip above the input: the chip plus a remove button. */
export function pendingChip(c: CodeContext, index: number): HTMLSpanElement {
  const chip = contextChip(c);
  const remove = iconButton('close', l10n.t('Remove {0} from the message', chipLabel(c)), {
    class: 'icon-button chip-remove',
    'data-remove-index': index,
  });
  return h('span', { class: 'pending-chip', role: 'listitem' }, chip, remove);
}

export function chipList(contexts: readonly CodeContext[]): HTMLDivElement {
  const list = h('div', { class: 'context-chips', role: 'list', 'aria-label': l10n.t('Attached to this message') });
  for (const c of contexts) list.appendChild(h('span', { role: 'listitem' }, contextChip(c)));
  return list;
}
