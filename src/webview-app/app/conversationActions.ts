// Event delegation for the message actions in the list (messageTools.ts): branch arrows, Copy, Regenerate, Edit
// and Delete. The host does the work and answers with `pathChanged` (or a notice); the view only asks.
import * as l10n from '@vscode/l10n';
import type { Announcer } from './dom';
import type { MessageList } from './messageList';
import type { MessageAction } from './messageTools';
import type { Host } from './vscodeApi';
import { showCopied } from './contentActions';

export function bindConversationActions(list: MessageList, host: Host, announcer: Announcer): void {
  list.el.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-message-action]');
    const id = button?.closest('[data-id]')?.getAttribute('data-id');
    const item = id ? list.get(id) : undefined;
    if (!button || !item || button.disabled) return;
    e.preventDefault();
    switch (button.getAttribute('data-message-action') as MessageAction) {
      case 'branch-prev':
      case 'branch-next': {
        const step = button.getAttribute('data-message-action') === 'branch-prev' ? -1 : 1;
        if (item.branch) host.post({ type: 'switchBranch', id: item.id, index: item.branch.index + step });
        break;
      }
      case 'copy':
        host.post({ type: 'copyMessage', id: item.id });
        showCopied(button);
        announcer.say(item.role === 'user' ? l10n.t('Copied your message.') : l10n.t('Copied the answer as Markdown.'));
        break;
      case 'regenerate':
        host.post({ type: 'regenerate', id: item.id });
        break;
      case 'edit':
        item.startEdit({
          submit: (text) => host.post({ type: 'editMessage', id: item.id, text }),
          cancel: () => item.el.querySelector<HTMLElement>('[data-message-action="edit"]')?.focus(),
        });
        break;
      case 'delete':
        host.post({ type: 'deleteTurn', id: item.id });
        break;
    }
  });
}
