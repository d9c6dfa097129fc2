// Bud Chat: a sidebar chat for the Bud AI Foundry gateway. `activate` is a list of registrations; each
// feature lives in its own file.
import * as vscode from 'vscode';
import { createLogger } from './log/logger';
import { KeyStore } from './config/secrets';
import { affectsBud, affectsContextWindow, affectsModelList, watchSettings } from './config/settings';
import { configureL10n } from './config/l10n';
import { Session } from './connection/session';
import { registerChatHost, type ChatHost } from './panel/chatHost';
import { registerChatCommands } from './commands/chatCommands';
import { registerSelectionCommands } from './commands/selectionCommands';
import { registerAttachCommands } from './commands/attachCommands';
import { registerKeyCommands } from './commands/keyCommands';
import { registerModelCommands } from './commands/modelCommands';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerExportCommands } from './commands/exportCommands';
import { createTestApi, type BudTestApi } from './testApi';
import { createContextLimits } from './panel/contextLimitsStore';
import { registerLanguageModelProvider } from './lm/provider';
import { registerLanguageModelTools } from './lm/lmTools';
import { registerChatParticipant } from './lm/participant';
import { registerForeignTools } from './lm/foreignTools';

let host: ChatHost | undefined;
let session: Session | undefined;

export function activate(context: vscode.ExtensionContext): BudTestApi | undefined {
  configureL10n();
  context.subscriptions.push(watchSettings());
  const log = createLogger(context);
  const keys = new KeyStore(context.secrets);
  context.subscriptions.push(keys);
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0');
  session = new Session(keys, log, version, createContextLimits(context));
  host = registerChatHost(context, session, log);
  registerChatCommands(context, host, log);
  registerSelectionCommands(context, host);
  registerAttachCommands(context, host);
  registerKeyCommands(context, keys, session, host);
  registerModelCommands(context, session, host);
  registerConnectionCommands(context, session, log);
  registerExportCommands(context, host, session, log);
  registerStatusRefresh(context, host);
  registerLanguageModelProvider(context, session, keys, log);
  registerLanguageModelTools(context, session, log);
  registerChatParticipant(context, session, log);
  registerForeignTools(context, session, host, log);
  return process.env.BUD_TEST_MODE === '1' ? createTestApi(host, session, keys, context.logUri) : undefined;
}

/** Settings, trust and key changes update the view's status (model, key, tools). */
function registerStatusRefresh(context: vscode.ExtensionContext, chat: ChatHost): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsBud(e)) return;
      // A new URL or model reads the model list again; a changed bud.contextWindow replaces the windows learned
      // from refusals.
      if (affectsModelList(e)) session?.modelLists.reset();
      if (affectsContextWindow(e)) session?.limits.settingsChanged();
      void chat.controller.refreshStatus();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void chat.controller.refreshStatus();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await host?.controller.flush();
  await session?.dispose();
}
