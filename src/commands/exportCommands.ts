// Bud: Export Chat… (Markdown or JSON, the current chat or one picked in the history list) and Bud: Import Chat…
// (a JSON export becomes a new chat, written through the history store's normal path).
import * as vscode from 'vscode';
import { exportFileName, exportJson, exportMarkdown, importJson, MAX_IMPORT_BYTES } from '../chat/chatExport';
import type { StoredChat } from '../chat/conversation';
import { isChatId, newChatId } from '../chat/historyStore';
import type { Session } from '../connection/session';
import type { Logger } from '../log/logger';
import type { ChatHost } from '../panel/chatHost';

const MESSAGES = {
  noChat: () => vscode.l10n.t('That chat no longer exists (it may have been deleted in another window).'),
  empty: () => vscode.l10n.t('This chat has no messages yet: there is nothing to export.'),
  exported: (title: string, where: string) => vscode.l10n.t('Exported “{0}” to {1}.', title, where),
  imported: (title: string) => vscode.l10n.t('Imported “{0}” as a new chat.', title),
  tooBig: (mb: number) =>
    vscode.l10n.t('The file is {0} MB; Bud Chat imports exports of at most {1} MB.', mb, MAX_IMPORT_BYTES / 2 ** 20),
  cannotImport: (reason: string) => vscode.l10n.t('Bud Chat could not import the file. {0}', reason),
};

interface FormatPick extends vscode.QuickPickItem {
  ext: 'md' | 'json';
}

const formats = (): FormatPick[] => [
  { label: 'Markdown', description: vscode.l10n.t('readable: the branch on screen, code and tool calls'), ext: 'md' },
  {
    label: 'JSON',
    description: vscode.l10n.t('complete: every branch, attachments and statuses; can be imported'),
    ext: 'json',
  },
];

export function registerExportCommands(
  context: vscode.ExtensionContext,
  host: ChatHost,
  session: Session,
  log: Logger,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.exportChat', (chatId?: unknown) => exportChat(host, session, log, chatId)),
    vscode.commands.registerCommand('bud.importChat', () => importChat(host, log)),
  );
}

async function chatToExport(host: ChatHost, chatId: unknown): Promise<StoredChat | undefined> {
  await host.controller.init();
  const current = host.controller.current;
  if (!isChatId(chatId) || chatId === current.id) return current;
  await host.store.flush();
  return (await host.store.load(chatId)).chat;
}

function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function exportChat(host: ChatHost, session: Session, log: Logger, chatId: unknown): Promise<void> {
  const chat = await chatToExport(host, chatId);
  if (!chat) return void vscode.window.showWarningMessage(MESSAGES.noChat());
  if (!chat.messages.length) return void vscode.window.showInformationMessage(MESSAGES.empty());
  const format = await vscode.window.showQuickPick(formats(), {
    title: vscode.l10n.t('Export “{0}”', chat.title),
    placeHolder: vscode.l10n.t('Choose a format'),
  });
  if (!format) return;
  const folder = defaultFolder();
  const name = exportFileName(chat, format.ext);
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: format.ext === 'md' ? { Markdown: ['md'] } : { JSON: ['json'] },
    saveLabel: vscode.l10n.t('Export'),
    title: vscode.l10n.t('Export “{0}” as {1}', chat.title, format.label),
  });
  if (!target) return;
  // The key is never written, even when it was pasted into a message.
  const { conn } = await session.resolve();
  const text = format.ext === 'md' ? exportMarkdown(chat, conn.apiKey) : exportJson(chat, conn.apiKey);
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  log.info(`Exported chat ${chat.id} as ${format.label} (${text.length} characters)`);
  void vscode.window.showInformationMessage(MESSAGES.exported(chat.title, target.fsPath || target.toString()));
}

async function importChat(host: ChatHost, log: Logger): Promise<void> {
  const [file] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: defaultFolder(),
      filters: { [vscode.l10n.t('Bud Chat export')]: ['json'] },
      openLabel: vscode.l10n.t('Import'),
      title: vscode.l10n.t('Import a Bud Chat JSON export as a new chat'),
    })) ?? [];
  if (!file) return;
  const { size } = await vscode.workspace.fs.stat(file);
  if (size > MAX_IMPORT_BYTES) return void vscode.window.showErrorMessage(MESSAGES.tooBig(Math.round(size / 2 ** 20)));
  const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
  const chat = importJson(text, newChatId());
  if (typeof chat === 'string') {
    log.warn(`Import of ${file.toString()} refused: ${chat}`);
    return void vscode.window.showErrorMessage(MESSAGES.cannotImport(chat));
  }
  await host.reveal();
  await host.store.save(chat, { upserted: chat.messages.map((m) => m.id), meta: true, selected: true }, true);
  await host.controller.switchChat(chat.id);
  await host.controller.postChatList();
  host.controller.notice({ level: 'info', text: MESSAGES.imported(chat.title) });
  log.info(`Imported ${file.toString()} as chat ${chat.id} (${chat.messages.length} messages)`);
}
