// Add File to Bud Chat: from the Explorer (one or many files and folders), an editor tab's menu, or the Command
// Palette (the active editor's file).
import * as vscode from 'vscode';
import type { ChatHost } from '../panel/chatHost';

/** The files a menu passes: the Explorer gives (clicked, selected[]), an editor tab (its URI, its group). */
export function menuUris(clicked: unknown, selected: unknown): vscode.Uri[] {
  if (Array.isArray(selected) && selected.length && selected.every((u) => u instanceof vscode.Uri)) return selected;
  if (clicked instanceof vscode.Uri) return [clicked];
  const active = vscode.window.activeTextEditor?.document.uri;
  return active ? [active] : [];
}

export function registerAttachCommands(context: vscode.ExtensionContext, host: ChatHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.addFileToChat', async (clicked?: unknown, selected?: unknown) => {
      const uris = menuUris(clicked, selected);
      if (uris.length === 0) {
        void vscode.window.showWarningMessage(
          vscode.l10n.t('Open a file, or right-click one in the Explorer, to add it to Bud Chat.'),
        );
        return;
      }
      await host.reveal();
      if ((await host.mentions.addUris(uris)) > 0) host.view.post({ type: 'focusInput' });
    }),
  );
}
