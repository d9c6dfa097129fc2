// Compact chips for code attached to a message: "a.ts:12-20" with a file icon; activating one opens the file at the range.
import * as l10n from '@vscode/l10n';
import type { CodeContext } from '../../protocol';
import { h, icon, iconButton } from './dom';

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function rangeLabel(c: Pick<CodeContext, 'startLine' | 'endLine'>): string {
  return c.startLine === c.endLine ? `${c.startLine}` : `${c.startLine}-${c.endLine}`;
}

function describe(c: CodeContext): string {
  const lines = c.startLine === c.endLine ? `line ${c.startLine}` : `lines ${c.startLine} to ${c.endLine}`;
  return `${c.path}, ${lines}`;
}

/** A chip on a sent user message: a button (keyboard-activatable) carrying the range in data attributes. */
export function contextChip(c: CodeContext): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'context-chip',
      'data-uri': c.uri,
      'data-start': c.startLine,
      'data-end': c.endLine,
      title: l10n.t('Open {0}', describe(c)),
      'aria-label': l10n.t('Open {0}', describe(c)),
    },
    icon('file-code'),
    h('span', { class: 'chip-label' }, `${baseName(c.path)}:${rangeLabel(c)}`),
  );
}

/** A pending chip above the input: the chip plus a remove button. */
export function pendingChip(c: CodeContext, index: number): HTMLSpanElement {
  const chip = contextChip(c);
  const remove = iconButton('close', l10n.t('Remove {0}:{1} from the message', baseName(c.path), rangeLabel(c)), {
    class: 'icon-button chip-remove',
    'data-remove-index': index,
  });
  return h('span', { class: 'pending-chip', role: 'listitem' }, chip, remove);
}

export function chipList(contexts: readonly CodeContext[]): HTMLDivElement {
  const list = h('div', { class: 'context-chips', role: 'list', 'aria-label': l10n.t('Attached code') });
  for (const c of contexts) list.appendChild(h('span', { role: 'listitem' }, contextChip(c)));
  return list;
}
