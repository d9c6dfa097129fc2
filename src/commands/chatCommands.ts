// Open Chat, New Chat, Condense Chat, Show Log.
import * as vscode from 'vscode';
import type { ChatHost } from '../panel/chatHost';
import type { Logger } from '../log/logger';

export function registerChatCommands(context: vscode.ExtensionContext, host: ChatHost, log: Logger): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.openChat', async () => {
      await host.reveal();
      host.view.post({ type: 'focusInput' });
    }),
    vscode.commands.registerCommand('bud.newChat', async () => {
      await host.reveal();
      await host.controller.newChat();
    }),
    vscode.commands.registerCommand('bud.condenseChat', async () => {
      await host.reveal();
      await host.controller.condense();
    }),
    vscode.commands.registerCommand('bud.showLog', () => log.show()),
  );
}
