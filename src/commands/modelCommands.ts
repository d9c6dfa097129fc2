// Select Model: a quick pick filled from GET /v1/models, the current model marked, and manual entry.
import * as vscode from 'vscode';
import { setModel } from '../config/settings';
import { toErrorInfo } from '../chat/errorInfo';
import type { ChatHost } from '../panel/chatHost';
import type { Session } from '../connection/session';

interface ModelItem extends vscode.QuickPickItem {
  modelId?: string;
  manual?: boolean;
}

const MANUAL: ModelItem = { label: '$(edit) Enter a model ID manually…', manual: true, alwaysShow: true };

export function registerModelCommands(context: vscode.ExtensionContext, session: Session, host: ChatHost): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.selectModel', async () => {
      const { settings, conn } = await session.resolve();
      const current = settings.model;
      const pick = vscode.window.createQuickPick<ModelItem>();
      pick.title = 'Bud: Select Model';
      pick.placeholder = current
        ? `Current: ${current} — loading models from the server…`
        : 'Loading models from the server…';
      pick.busy = true;
      pick.matchOnDescription = true;
      pick.items = [MANUAL];
      pick.show();
      const cts = new vscode.CancellationTokenSource();
      const abort = new AbortController();
      cts.token.onCancellationRequested(() => abort.abort());

      const load = async () => {
        if (!conn.apiKey) {
          pick.placeholder = 'No API key is set: set one to list the models, or enter a model ID manually.';
          pick.items = [
            {
              label: '$(key) Set API Key…',
              modelId: undefined,
              description: 'needed to list models',
              detail: 'bud.setApiKey',
            },
            MANUAL,
          ];
          return;
        }
        try {
          const client = session.client(conn);
          const models = await client.listModels({ signal: abort.signal });
          // The list also carries each model's context window: use it rather than reading it again.
          session.modelLists.record(client.baseUrl, models);
          const ids = [...new Set(models.map((m) => m.id))].sort((a, b) => a.localeCompare(b));
          const items: ModelItem[] = ids.map((id) => ({
            label: id === current ? `$(check) ${id}` : id,
            description: id === current ? 'current' : models.find((m) => m.id === id)?.owned_by,
            modelId: id,
          }));
          if (current && !ids.includes(current))
            items.unshift({
              label: `$(warning) ${current}`,
              description: 'current — not offered by this server',
              modelId: current,
            });
          pick.items = [...items, MANUAL];
          pick.placeholder = ids.length
            ? `${ids.length} models at ${session.client(conn).baseUrl}`
            : 'The server lists no models; enter a model ID manually.';
          const active = items.find((i) => i.modelId === current);
          if (active) pick.activeItems = [active];
        } catch (err) {
          if (abort.signal.aborted) return;
          const info = toErrorInfo(err);
          pick.placeholder = `Could not load models: ${info.message}`;
          pick.items = [
            { label: '$(error) Could not load the model list', detail: info.message, alwaysShow: true },
            MANUAL,
          ];
        } finally {
          pick.busy = false;
        }
      };
      void load();

      const chosen = await new Promise<ModelItem | undefined>((resolve) => {
        pick.onDidAccept(() => resolve(pick.selectedItems[0]));
        pick.onDidHide(() => resolve(undefined));
      });
      cts.cancel();
      pick.dispose();
      if (!chosen) return;
      let model = chosen.modelId;
      if (chosen.detail === 'bud.setApiKey') {
        await vscode.commands.executeCommand('bud.setApiKey');
        return;
      }
      if (chosen.manual) {
        model = await vscode.window.showInputBox({
          title: 'Bud: Enter a model ID',
          value: current,
          prompt: 'The model ID exactly as the server knows it',
          validateInput: (v) =>
            v.trim() ? (/\s/.test(v.trim()) ? 'A model ID has no spaces.' : undefined) : 'Enter a model ID.',
        });
        model = model?.trim();
      }
      if (!model) return;
      await setModel(model);
      await host.controller.refreshStatus();
      void vscode.window.setStatusBarMessage(`$(check) Bud model: ${model}`, 3000);
    }),
  );
}
