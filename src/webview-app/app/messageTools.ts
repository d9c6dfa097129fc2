// The controls in a message's header: ‹ 1 / 2 › to switch between branches, and the message actions (Copy,
// Regenerate on answers; Edit, Delete on questions), plus the inline editor an Edit opens. The buttons carry
// `data-message-action`; conversationActions.ts handles their clicks for the whole list.
import type { BranchInfo, MessageView } from '../../protocol';
import { h, iconButton } from './dom';

export type MessageAction = 'branch-prev' | 'branch-next' | 'copy' | 'regenerate' | 'edit' | 'delete';

/** The actions of each kind of message, in order: [action, icon, label]. */
const ACTIONS: Record<MessageView['role'], [MessageAction, string, string][]> = {
  user: [
    ['edit', 'edit', 'Edit and resend (keeps this version as a branch)'],
    ['delete', 'trash', 'Delete this question and its answer'],
  ],
  assistant: [
    ['copy', 'copy', 'Copy answer as Markdown'],
    ['regenerate', 'refresh', 'Regenerate answer (keeps this one as a branch)'],
  ],
};

function actionButton(action: MessageAction, label: string, icon: string): HTMLButtonElement {
  return iconButton(icon, label, { class: 'icon-button message-action', 'data-message-action': action });
}

/** ‹ index+1 / count ›, a labelled group of two buttons; the ends are disabled. */
export function branchNav(info: BranchInfo, role: MessageView['role']): HTMLElement {
  const what = role === 'user' ? 'version of this question' : 'answer';
  const label = `Branch ${info.index + 1} of ${info.count}`;
  const prev = actionButton('branch-prev', `Previous ${what} (${label})`, 'chevron-left');
  const next = actionButton('branch-next', `Next ${what} (${label})`, 'chevron-right');
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
    'aria-label': 'Edit your message; Enter sends it as a new branch, Escape cancels',
    rows: Math.min(12, Math.max(2, text.split('\n').length)),
  });
  input.value = text;
  const send = h('button', { type: 'button', class: 'button primary', 'data-edit': 'send' }, 'Send');
  const cancel = h('button', { type: 'button', class: 'button secondary', 'data-edit': 'cancel' }, 'Cancel');
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
