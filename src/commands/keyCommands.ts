// Set API Key / Clear API Key. The key goes to SecretStorage only; the view learns whether a key is set.
import * as vscode from 'vscode';
import { validateKeyInput, type KeyStore } from '../config/secrets';
import type { ChatHost } from '../panel/chatHost';
import type { Session } from '../connection/session';

export function registerKeyCommands(
  context: vscode.ExtensionContext,
  keys: KeyStore,
  session: Session,
  host: ChatHost,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.setApiKey', async () => {
      const value = await vscode.window.showInputBox({
        title: vscode.l10n.t('Bud: Set API Key'),
        prompt: vscode.l10n.t(
          'Your Bud API key. It is stored in your OS keychain (VS Code SecretStorage), never in settings or logs.',
        ),
        placeHolder: vscode.l10n.t('Paste the API key'),
        password: true,
        ignoreFocusOut: true,
        validateInput: validateKeyInput,
      });
      if (value === undefined) return;
      if (validateKeyInput(value)) return;
      await keys.set(value);
      await host.controller.refreshStatus();
      void vscode.window
        .showInformationMessage(
          vscode.l10n.t('Bud API key saved in your OS keychain.'),
          vscode.l10n.t('Test Connection'),
        )
        .then((pick) => {
          if (pick) void vscode.commands.executeCommand('bud.testConnection');
        });
    }),
    vscode.commands.registerCommand('bud.clearApiKey', async () => {
      await keys.clear();
      const { conn } = await session.resolve();
      await host.controller.refreshStatus();
      const removed = vscode.l10n.t('Bud API key removed from your OS keychain.');
      const still =
        conn.keySource === 'env'
          ? vscode.l10n.t('A key from the BUD_API_KEY environment variable is still used.')
          : conn.keySource === 'configFile'
            ? vscode.l10n.t('A key from ~/.bud/config.toml is still used.')
            : '';
      void vscode.window.showInformationMessage(still ? `${removed} ${still}` : removed);
    }),
    keys.onDidChange(() => {
      void host.controller.refreshStatus();
    }),
  );
}
