// The controls in a message's header: ‹ 1 / 2 › to switch between branches, and the message actions (Copy,
// Regenerate on answers; Edit, Delete on questions), plus the inline editor an Edit opens. The buttons carry
// `data-message-action`; conversationActions.ts handles their clicks for the whole list.
import * as l10n from '@vscode/l10n';
import type { BranchInfo, MessageView } from '../../protocol';
import { h, iconButton } from './dom';

export type MessageAction = 'branch-prev' | 'branch-next' | 'copy' | 'regenerate' | 'edit' | 'delete';

/** The actions of each kind of message, in order: [action, icon, label]. */
const ACTIONS: Record<MessageView['role'], [MessageAction, string, string][]> = {
  user: [
    ['edit', 'edit', l10n.t('Edit and resend (keeps this version as a branch)')],
    ['delete', 'trash', l10n.t('Delete this question and its answer')],
  ],
  assistant: [
    ['copy', 'copy', l10n.t('Copy answer as Markdown')],
    ['regenerate', 'refresh', l10n.t('Regenerate answer (keeps this one as a branch)')],
  ],
};

function actionButton(action: MessageAction, label: string, icon: string): HTMLButtonElement {
  return iconButton(icon, label, { class: 'icon-button message-action', 'data-message-action': action });
}

/** ‹ index+1 / count ›, a labelled group of two buttons; the ends are disabled. */
export function branchNav(info: BranchInfo, role: MessageView['role']): HTMLElement {
  const label = l10n.t('Branch {0} of {1}', info.index + 1, info.count);
  const [prevLabel, nextLabel] =
    role === 'user'
      ? [l10n.t('Previous version of this question ({0})', label), l10n.t('Next version of this question ({0})', label)]
      : [l10n.t('Previous answer ({0})', label), l10n.t('Next answer ({0})', label)];
  const prev = actionButton('branch-prev', prevLabel, 'chevron-left');
  const next = actionButton('branch-next', nextLabel, 'chevron-right');
  prev.disabled = info.index <= 0;
  next.disabled = info.index >= info.count - 1;
  return h(
    'div',
    { class: 'branch-nav', role: 'group', 'aria-label': label },
    prev,
    h('span', { class: 'branch-count', 'aria-hidden': 'true' }, `${info.index + 1} / ${info.count}`),
    next,
  );
}

/** The actions a message offers (none while it streams). */
export function actionButtons(role: MessageView['role'], streaming: boolean): HTMLElement[] {
  if (streaming) return [];
  return ACTIONS[role].map(([action, icon, label]) => actionButton(action, label, icon));
}

export interface EditorEvents {
  submit(text: string): void;
  cancel(): void;
}

/** The inline editor of a question: Enter sends the new version, Shift+Enter adds a line, Escape cancels. */
export function inlineEditor(text: string, events: EditorEvents): { el: HTMLElement; focus(): void } {
  const input = h('textarea', {
    class: 'edit-input',
    'aria-label': l10n.t('Edit your message; Enter sends it as a new branch, Escape cancels'),
    rows: Math.min(12, Math.max(2, text.split('\n').length)),
  });
  input.value = text;
  const send = h('button', { type: 'button', class: 'button primary', 'data-edit': 'send' }, l10n.t('Send'));
  const cancel = h('button', { type: 'button', class: 'button secondary', 'data-edit': 'cancel' }, l10n.t('Cancel'));
  const submit = () => {
    if (input.value.trim()) events.submit(input.value);
  };
  send.addEventListener('click', submit);
  cancel.addEventListener('click', () => events.cancel());
  input.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      events.cancel();
    }
  });
  const el = h('div', { class: 'message-editor' }, input, h('div', { class: 'message-editor-actions' }, send, cancel));
  return {
    el,
    focus() {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    },
  };
}
