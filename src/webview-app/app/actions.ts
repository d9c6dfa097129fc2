// Buttons for host-side actions (`data-action`), shared by inline errors, notices and the empty state.
import * as l10n from '@vscode/l10n';
import type { ActionId } from '../../protocol';
import { h, icon } from './dom';

export const ACTION_LABELS: Record<ActionId, { label: string; icon: string }> = {
  setApiKey: { label: l10n.t('Set API Key'), icon: 'key' },
  selectModel: { label: l10n.t('Select Model'), icon: 'hubot' },
  retry: { label: l10n.t('Retry'), icon: 'refresh' },
  openSettings: { label: l10n.t('Open Settings'), icon: 'settings-gear' },
  showLog: { label: l10n.t('Show Log'), icon: 'output' },
  testConnection: { label: l10n.t('Test Connection'), icon: 'plug' },
  newChat: { label: l10n.t('New Chat'), icon: 'add' },
  manageTrust: { label: l10n.t('Manage Workspace Trust'), icon: 'shield' },
  condense: { label: l10n.t('Condense'), icon: 'fold' },
  contextSettings: { label: l10n.t('Context Window Setting'), icon: 'settings-gear' },
  removeAttachment: { label: l10n.t('Remove an Attachment'), icon: 'close' },
  undoDelete: { label: l10n.t('Undo'), icon: 'discard' },
};

/** The first action is the primary one (the fix); the rest are secondary. */
export function actionButton(action: ActionId, primary = false): HTMLButtonElement {
  const meta = ACTION_LABELS[action] ?? { label: action, icon: 'run' };
  return h(
    'button',
    { type: 'button', class: primary ? 'button primary' : 'button secondary', 'data-action': action },
    icon(meta.icon),
    h('span', {}, meta.label),
  );
}

export function actionBar(actions: readonly ActionId[], className: string): HTMLDivElement {
  const bar = h('div', { class: className });
  actions.forEach((a, i) => bar.appendChild(actionButton(a, i === 0)));
  return bar;
}
