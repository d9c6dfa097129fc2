// Test Connection: reports the final URL, latency, model count and whether streaming and tool calls work.
import * as vscode from 'vscode';
import { formatReport, runConnectionTest, type ConnectionReport } from '../connection/connectionTest';
import type { ActionId } from '../protocol';
import type { Logger } from '../log/logger';
import type { Session } from '../connection/session';

/** The buttons of a failed test: label (localised when shown) and command. */
const actionLabels = (): Partial<Record<ActionId, [string, string]>> => ({
  setApiKey: [vscode.l10n.t('Set API Key'), 'bud.setApiKey'],
  selectModel: [vscode.l10n.t('Select Model'), 'bud.selectModel'],
  openSettings: [vscode.l10n.t('Open Settings'), 'workbench.action.openSettings'],
});

export function registerConnectionCommands(context: vscode.ExtensionContext, session: Session, log: Logger): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.testConnection', async (): Promise<ConnectionReport | undefined> => {
      const { settings, conn } = await session.resolve();
      if (!conn.apiKey) {
        void vscode.window
          .showErrorMessage(
            vscode.l10n.t('Bud: no API key is set, so the connection cannot be tested.'),
            vscode.l10n.t('Set API Key'),
          )
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
            title: vscode.l10n.t('Bud: testing {0}…', client.baseUrl),
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
      const showLog = vscode.l10n.t('Show Log');
      if (report.ok) {
        void vscode.window
          .showInformationMessage(vscode.l10n.t('Bud: connection works. {0}', lines.join(' · ')), showLog)
          .then((pick) => {
            if (pick) log.show();
          });
        return report;
      }
      const error = report.stream.error ?? report.models.error;
      const labels = actionLabels();
      const actions = (error?.actions ?? []).map((a) => labels[a]).filter((x): x is [string, string] => !!x);
      void vscode.window
        .showErrorMessage(
          vscode.l10n.t('Bud: connection test failed. {0}', lines.join(' · ')),
          ...actions.map((a) => a[0]),
          showLog,
        )
        .then((pick) => {
          const chosen = actions.find((a) => a[0] === pick);
          if (chosen)
            void vscode.commands.executeCommand(
              chosen[1],
              ...(chosen[1] === 'workbench.action.openSettings' ? ['bud.'] : []),
            );
          else if (pick === showLog) log.show();
        });
      return report;
    }),
  );
}
