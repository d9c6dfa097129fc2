// Test Connection: reports the final URL, latency, model count and whether streaming and tool calls work.
import * as vscode from 'vscode';
import { formatReport, runConnectionTest, type ConnectionReport } from '../connection/connectionTest';
import type { ActionId } from '../protocol';
import type { Logger } from '../log/logger';
import type { Session } from '../connection/session';

const ACTION_LABELS: Partial<Record<ActionId, [string, string]>> = {
  setApiKey: ['Set API Key', 'bud.setApiKey'],
  selectModel: ['Select Model', 'bud.selectModel'],
  openSettings: ['Open Settings', 'workbench.action.openSettings'],
};

export function registerConnectionCommands(context: vscode.ExtensionContext, session: Session, log: Logger): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.testConnection', async (): Promise<ConnectionReport | undefined> => {
      const { settings, conn } = await session.resolve();
      if (!conn.apiKey) {
        void vscode.window
          .showErrorMessage('Bud: no API key is set, so the connection cannot be tested.', 'Set API Key')
          .then((pick) => {
            if (pick) void vscode.commands.executeCommand('bud.setApiKey');
          });
        return undefined;
      }
      const client = session.client(conn, 30_000);
      const report = await Promise.resolve(
        vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `Bud: testing ${client.baseUrl}…`,
            cancellable: true,
          },
          (_p, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            return runConnectionTest(client, settings.model, { signal: abort.signal });
          },
        ),
      ).finally(() => client.close());
      const lines = formatReport(report);
      log.info(`Test Connection (key from ${conn.keySource}):\n  ${lines.join('\n  ')}`);
      // Not awaited: the command resolves with the report (tests, other callers) while the message stays up.
      if (report.ok) {
        void vscode.window
          .showInformationMessage(`Bud: connection works. ${lines.join(' · ')}`, 'Show Log')
          .then((pick) => {
            if (pick) log.show();
          });
        return report;
      }
      const error = report.stream.error ?? report.models.error;
      const actions = (error?.actions ?? []).map((a) => ACTION_LABELS[a]).filter((x): x is [string, string] => !!x);
      void vscode.window
        .showErrorMessage(`Bud: connection test failed. ${lines.join(' · ')}`, ...actions.map((a) => a[0]), 'Show Log')
        .then((pick) => {
          const chosen = actions.find((a) => a[0] === pick);
          if (chosen)
            void vscode.commands.executeCommand(
              chosen[1],
              ...(chosen[1] === 'workbench.action.openSettings' ? ['bud.'] : []),
            );
          else if (pick === 'Show Log') log.show();
        });
      return report;
    }),
  );
}
