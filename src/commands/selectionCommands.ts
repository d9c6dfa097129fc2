// Explain Selection, Ask About Selection, Add Selection to Chat.
import * as vscode from 'vscode';
import type { ChatHost } from '../panel/chatHost';
import { EXPLAIN_INSTRUCTION, contextLabel } from '../chat/prompts';
import { selectionContext } from './selection';

export function registerSelectionCommands(context: vscode.ExtensionContext, host: ChatHost): void {
  const withSelection = async (
    run: (ctx: Exclude<ReturnType<typeof selectionContext>, string>) => Promise<unknown>,
  ) => {
    const ctx = selectionContext();
    if (typeof ctx === 'string') {
      void vscode.window.showWarningMessage(ctx);
      return;
    }
    await run(ctx);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.explainSelection', () =>
      withSelection(async (ctx) => {
        await host.reveal();
        await host.controller.send(EXPLAIN_INSTRUCTION, [ctx]);
      }),
    ),
    vscode.commands.registerCommand('bud.askAboutSelection', () =>
      withSelection(async (ctx) => {
        const question = await vscode.window.showInputBox({
          title: vscode.l10n.t('Ask Bud about {0}', contextLabel(ctx)),
          prompt: vscode.l10n.t('Your question about the selected code'),
          placeHolder: vscode.l10n.t('e.g. Why can this loop run forever?'),
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Type a question (or press Escape to cancel).')),
        });
        if (!question?.trim()) return;
        await host.reveal();
        await host.controller.send(question.trim(), [ctx]);
      }),
    ),
    vscode.commands.registerCommand('bud.addSelectionToChat', () =>
      withSelection(async (ctx) => {
        host.controller.addPendingContext(ctx);
        await host.reveal();
        host.view.post({ type: 'focusInput' });
      }),
    ),
  );
}
