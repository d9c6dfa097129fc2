// A dismissable bar for host notices (tools off in Restricted Mode, history file moved aside, …).
import * as l10n from '@vscode/l10n';
import type { Notice } from '../../protocol';
import { actionBar } from './actions';
import { h, icon, iconButton } from './dom';

const LEVEL_ICON: Record<Notice['level'], string> = { info: 'info', warning: 'warning', error: 'error' };

export class NoticeBar {
  readonly el = h('div', { id: 'notice', class: 'notice-bar', role: 'status' });

  constructor() {
    this.el.hidden = true;
  }

  show(notice: Notice | null): void {
    if (!notice) {
      this.dismiss();
      return;
    }
    const close = iconButton('close', l10n.t('Dismiss notice'), { class: 'icon-button notice-dismiss' });
    close.addEventListener('click', () => this.dismiss());
    this.el.setAttribute('data-level', notice.level);
    this.el.replaceChildren(
      icon(LEVEL_ICON[notice.level] ?? 'info', 'notice-icon'),
      h(
        'div',
        { class: 'notice-body' },
        h('span', { class: 'notice-text' }, notice.text),
        notice.actions?.length ? actionBar(notice.actions, 'notice-actions') : null,
      ),
      close,
    );
    this.el.hidden = false;
  }

  dismiss(): void {
    const hadFocus = this.el.contains(document.activeElement);
    this.el.hidden = true;
    this.el.replaceChildren();
    if (hadFocus) document.getElementById('input')?.focus();
  }
}
