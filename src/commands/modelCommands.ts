// Select Model: a quick pick filled from GET /v1/models, the current model marked, and manual entry.
import * as vscode from 'vscode';
import { setModel } from '../config/settings';
import { toErrorInfo } from '../chat/errorInfo';
import type { ChatHost } from '../panel/chatHost';
import type { Session } from '../connection/session';
import type { Connection } from '../connection/connection';
import type { Model } from '../api/types';

interface ModelItem extends vscode.QuickPickItem {
  /** What accepting the row does: use `modelId`, type an id, set a key first, or nothing (a row that informs). */
  action: 'model' | 'manual' | 'setApiKey' | 'none';
  modelId?: string;
}

const manualItem = (): ModelItem => ({
  label: `$(edit) ${vscode.l10n.t('Enter a model ID manually…')}`,
  action: 'manual',
  alwaysShow: true,
});

export function registerModelCommands(context: vscode.ExtensionContext, session: Session, host: ChatHost): void {
  context.subscriptions.push(vscode.commands.registerCommand('bud.selectModel', () => selectModel(session, host)));
}

async function selectModel(session: Session, host: ChatHost): Promise<void> {
  const { settings, conn } = await session.resolve();
  const current = settings.model;
  const chosen = await pickModel(session, conn, current);
  if (!chosen) return;
  if (chosen.action === 'setApiKey') {
    await vscode.commands.executeCommand('bud.setApiKey');
    return;
  }
  const model = chosen.action === 'manual' ? await enterModelId(current) : chosen.modelId;
  if (!model) return;
  await setModel(model);
  await host.controller.refreshStatus();
  void vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Bud model: {0}', model)}`, 3000);
}

/** Shows the picker at once and fills it while the server answers; resolves with the accepted row, if any. */
async function pickModel(session: Session, conn: Connection, current: string): Promise<ModelItem | undefined> {
  const pick = vscode.window.createQuickPick<ModelItem>();
  pick.title = vscode.l10n.t('Bud: Select Model');
  pick.placeholder = current
    ? vscode.l10n.t('Current: {0} — loading models from the server…', current)
    : vscode.l10n.t('Loading models from the server…');
  pick.busy = true;
  pick.matchOnDescription = true;
  pick.items = [manualItem()];
  pick.show();
  // Closing the picker stops the request for the list.
  const abort = new AbortController();
  void fillModelList(pick, session, conn, current, abort.signal);
  try {
    return await new Promise<ModelItem | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]));
      pick.onDidHide(() => resolve(undefined));
    });
  } finally {
    abort.abort();
    pick.dispose();
  }
}

async function fillModelList(
  pick: vscode.QuickPick<ModelItem>,
  session: Session,
  conn: Connection,
  current: string,
  signal: AbortSignal,
): Promise<void> {
  if (!conn.apiKey) {
    pick.placeholder = vscode.l10n.t('No API key is set: set one to list the models, or enter a model ID manually.');
    pick.items = [
      {
        label: `$(key) ${vscode.l10n.t('Set API Key…')}`,
        description: vscode.l10n.t('needed to list models'),
        action: 'setApiKey',
      },
      manualItem(),
    ];
    pick.busy = false;
    return;
  }
  try {
    const client = session.client(conn);
    const models = await client.listModels({ signal });
    // The list also carries each model's context window: use it rather than reading it again.
    session.modelLists.record(client.baseUrl, models);
    const items = modelItems(models, current);
    pick.items = [...items, manualItem()];
    const count = new Set(models.map((m) => m.id)).size;
    pick.placeholder = count
      ? vscode.l10n.t('{0} models at {1}', count, client.baseUrl)
      : vscode.l10n.t('The server lists no models; enter a model ID manually.');
    const active = items.find((i) => i.modelId === current);
    if (active) pick.activeItems = [active];
  } catch (err) {
    if (signal.aborted) return;
    const info = toErrorInfo(err);
    pick.placeholder = vscode.l10n.t('Could not load models: {0}', info.message);
    pick.items = [
      {
        label: `$(error) ${vscode.l10n.t('Could not load the model list')}`,
        detail: info.message,
        alwaysShow: true,
        action: 'none',
      },
      manualItem(),
    ];
  } finally {
    pick.busy = false;
  }
}

/** One row per model id (sorted), the current one marked; a current model the server does not offer comes first. */
function modelItems(models: Model[], current: string): ModelItem[] {
  const ids = [...new Set(models.map((m) => m.id))].sort((a, b) => a.localeCompare(b));
  const items: ModelItem[] = ids.map((id) => ({
    label: id === current ? `$(check) ${id}` : id,
    description: id === current ? vscode.l10n.t('current') : models.find((m) => m.id === id)?.owned_by,
    action: 'model',
    modelId: id,
  }));
  if (current && !ids.includes(current)) {
    items.unshift({
      label: `$(warning) ${current}`,
      description: vscode.l10n.t('current — not offered by this server'),
      action: 'model',
      modelId: current,
    });
  }
  return items;
}

async function enterModelId(current: string): Promise<string | undefined> {
  const model = await vscode.window.showInputBox({
    title: vscode.l10n.t('Bud: Enter a model ID'),
    value: current,
    prompt: vscode.l10n.t('The model ID exactly as the server knows it'),
    validateInput: (v) =>
      v.trim()
        ? /\s/.test(v.trim())
          ? vscode.l10n.t('A model ID has no spaces.')
          : undefined
        : vscode.l10n.t('Enter a model ID.'),
  });
  return model?.trim() || undefined;
}
