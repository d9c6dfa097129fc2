// Test Connection: reports the final URL, latency, model count and whether streaming and tool calls work.
import * as vscode from 'vscode';
import { formatReport, runConnectionTest } from '../chat/connectionTest';
import type { ActionId } from '../protocol';
import type { Logger } from '../log/logger';
import type { Session } from '../views/session';

const ACTION_LABELS: Partial<Record<ActionId, [string, string]>> = {
  setApiKey: ['Set API Key', 'bud.setApiKey'],
  selectModel: ['Select Model', 'bud.selectModel'],
  openSettings: ['Open Settings', 'workbench.action.openSettings'],
};

export function registerConnectionCommands(context: vscode.ExtensionContext, session: Session, log: Logger): void {
  context.subscriptions.push(vscode.commands.registerCommand('bud.testConnection', async () => {
    const { settings, conn } = await session.resolve();
    if (!conn.apiKey) {
      const pick = await vscode.window.showErrorMessage('Bud: no API key is set, so the connection cannot be tested.', 'Set API Key');
      if (pick) await vscode.commands.executeCommand('bud.setApiKey');
      return;
    }
    const client = session.client(conn, 30_000);
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Bud: testing ${client.baseUrl}…`, cancellable: true },
      (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runConnectionTest(client, settings.model, { signal: abort.signal });
      },
    );
    const lines = formatReport(report);
    log.info(`Test Connection (key from ${conn.keySource}):\n  ${lines.join('\n  ')}`);
    if (report.ok) {
      const pick = await vscode.window.showInformationMessage(`Bud: connection works. ${lines.join(' · ')}`, 'Show Log');
      if (pick) log.show();
      return;
    }
    const error = report.stream.error ?? report.models.error;
    const actions = (error?.actions ?? []).map((a) => ACTION_LABELS[a]).filter((x): x is [string, string] => !!x);
    const pick = await vscode.window.showErrorMessage(`Bud: connection test failed. ${lines.join(' · ')}`, ...actions.map((a) => a[0]), 'Show Log');
    const chosen = actions.find((a) => a[0] === pick);
    if (chosen) await vscode.commands.executeCommand(chosen[1], ...(chosen[1] === 'workbench.action.openSettings' ? ['bud.'] : []));
    else if (pick === 'Show Log') log.show();
  }));
}
