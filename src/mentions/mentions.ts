// The chat panel's side of mentions and attachments: answers the # picker, adds what was picked, dropped or chosen
// in a menu to the pending attachments, expands slash commands and the current-file chip on send, reads every
// attachment again when the message goes, and adds the workspace's instructions to the system prompt. It also keeps
// the view told about the current file and about the workspace's instructions and prompt files.
import * as vscode from 'vscode';
import type { ContextSetup } from '../chat/chatContext';
import type { ChatController, TurnSetup } from '../chat/controller';
import { withInstructions } from '../chat/instructions';
import { readAttachmentSettings } from '../config/settings';
import type { CodeContext, ErrorInfo, HostMessage, WebviewMessage } from '../protocol';
import type { Attachments, Budget } from './attachments';
import { queryMentions } from './picker';
import { expandSlash } from './slash';
import { TerminalWatcher } from './terminal';
import { WorkspaceFiles } from './workspace';
import { listCommands, readInstructions, watchWorkspaceContext } from './workspaceContext';

export interface MentionsDeps {
  post(msg: HostMessage): void;
  /** The chat controller (made after this object). */
  controller(): ChatController;
  budget: Budget;
  log(line: string): void;
}

/** The file index is built this long after the chat view opened. */
const WARM_AFTER_MS = 1500;

type MentionMessage = Extract<WebviewMessage, { type: 'mentionQuery' | 'attachMention' | 'attachUris' | 'send' }>;

export class Mentions implements vscode.Disposable {
  readonly files = new WorkspaceFiles();
  readonly terminal = new TerminalWatcher();
  private lazyAttachments: Attachments | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The newest picker query; answers to older ones are dropped (typing outran them). */
  private latestQuery = 0;
  private watching = false;

  constructor(private readonly deps: MentionsDeps) {
    this.disposables.push(
      this.files,
      this.terminal,
      vscode.window.onDidChangeActiveTextEditor(() => this.postEditorContext()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('bud.attachments')) this.postEditorContext();
      }),
    );
  }

  /**
   * Reading attachments pulls in the tools' file listing and walking (picomatch, ignore): loaded at the first
   * attachment, not when the extension activates.
   */
  get attachments(): Attachments {
    this.lazyAttachments ??= new (require('./attachments') as typeof import('./attachments')).Attachments(
      this.files,
      this.terminal,
      this.deps.budget,
    );
    return this.lazyAttachments;
  }

  /** Starts watching instruction and prompt files (once the view exists). */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.disposables.push(watchWorkspaceContext(() => void this.postWorkspaceContext()));
    // List the files a moment after the view opened (not while VS Code is still starting), for the first #.
    const warm = setTimeout(() => this.files.warm(), WARM_AFTER_MS);
    this.disposables.push({ dispose: () => clearTimeout(warm) });
  }

  async handle(msg: MentionMessage): Promise<void> {
    switch (msg.type) {
      case 'mentionQuery': {
        this.latestQuery = Math.max(this.latestQuery, msg.requestId);
        const { first, full } = queryMentions(this.files, this.terminal, msg.query);
        this.deps.post({ type: 'mentionResults', requestId: msg.requestId, ...first });
        if (!full) return;
        const res = await full;
        if (msg.requestId < this.latestQuery) return;
        this.deps.post({ type: 'mentionResults', requestId: msg.requestId, ...res });
        return;
      }
      case 'attachMention': {
        const r = await this.attachments.fromMention(msg.id);
        if (typeof r === 'string') this.deps.controller().notice({ level: 'warning', text: r });
        else this.deps.controller().addPendingContext(r);
        return;
      }
      case 'attachUris':
        await this.addUris(msg.uris);
        return;
      case 'send':
        return this.send(msg.text, msg.attachCurrentFile === true);
    }
  }

  /** Adds files or folders (Explorer, editor tabs, drops); says which were refused and why. */
  async addUris(uris: readonly (string | vscode.Uri)[]): Promise<number> {
    const { added, refused } = await this.attachments.fromUris(uris);
    const controller = this.deps.controller();
    for (const c of added) controller.addPendingContext(c);
    if (refused.length)
      controller.notice({
        level: 'warning',
        text:
          refused.length === 1
            ? vscode.l10n.t('Not attached: {0}', refused[0])
            : vscode.l10n.t('{0} items were not attached: {1}', refused.length, refused.join(' ')),
      });
    return added.length;
  }

  /** Sends a message: a slash command expands to its prompt; the current-file chip adds the file. */
  async send(text: string, attachCurrentFile: boolean): Promise<void> {
    const controller = this.deps.controller();
    const extra: CodeContext[] = [];
    const slash = await expandSlash(text, this.attachments);
    if (slash && 'error' in slash) {
      controller.notice({ level: 'warning', text: slash.error });
      return;
    }
    if (slash) extra.push(...slash.contexts);
    if (attachCurrentFile) {
      const uri = vscode.window.activeTextEditor?.document.uri.toString();
      const already = [...controller.pendingContexts, ...extra].some((c) => c.kind === 'file' && c.uri === uri);
      if (!already) {
        const f = await this.attachments.currentFile();
        if (typeof f === 'string')
          controller.notice({ level: 'warning', text: vscode.l10n.t('The current file was not attached: {0}', f) });
        else extra.push(f);
      }
    }
    await controller.send(text, extra);
  }

  prepareAttachments(contexts: readonly CodeContext[]): Promise<CodeContext[]> {
    return this.attachments.prepareForSend(contexts);
  }

  /**
   * The request's system prompt with the workspace's instruction files (trusted workspaces only), both where the
   * request is built and where the fitting counts it (first, never trimmed). The files are read while `pending`
   * (the connection and settings) resolves: every request waits for both.
   */
  async withInstructions(pending: Promise<TurnSetup | ErrorInfo>): Promise<TurnSetup | ErrorInfo> {
    const [setup, read] = await Promise.all([pending, this.files.context().then(readInstructions)]);
    if (!('client' in setup)) return setup;
    if (read.files.length === 0) return setup;
    const systemPrompt = withInstructions(setup.systemPrompt, read.files);
    return { ...setup, systemPrompt, context: { ...setup.context, systemPrompt } };
  }

  /** The context meter's view of the next request: its system prompt carries the instructions too. */
  async contextWithInstructions(pending: Promise<ContextSetup | undefined>): Promise<ContextSetup | undefined> {
    const [setup, read] = await Promise.all([pending, this.files.context().then(readInstructions)]);
    if (!setup) return setup;
    if (read.files.length === 0) return setup;
    return { ...setup, systemPrompt: withInstructions(setup.systemPrompt, read.files) };
  }

  postEditorContext(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const attachByDefault = readAttachmentSettings().attachCurrentFile;
    if (!doc || !['file', 'untitled'].includes(doc.uri.scheme)) {
      this.deps.post({ type: 'editorContext', attachByDefault });
      return;
    }
    const path = doc.isUntitled
      ? doc.uri.path
      : vscode.workspace.asRelativePath(doc.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    this.deps.post({ type: 'editorContext', currentFile: { path, uri: doc.uri.toString() }, attachByDefault });
  }

  async postWorkspaceContext(): Promise<void> {
    try {
      const ctx = await this.files.context();
      const [ins, cmds] = await Promise.all([readInstructions(ctx), listCommands(ctx)]);
      const count = this.deps.budget.count;
      const texts = new Map(ins.files.map((f) => [f.path, f.text]));
      this.deps.post({
        type: 'workspaceContext',
        instructions: ins.info.map((i) => ({ ...i, tokens: count(texts.get(i.path) ?? '') })),
        ...(ins.note ? { instructionsNote: ins.note } : {}),
        commands: cmds.commands.map(({ display: _d, ...c }) => c),
        ...(cmds.note ? { commandsNote: cmds.note } : {}),
      });
    } catch (err) {
      this.deps.log(`Could not read the workspace's instructions and prompt files: ${String(err)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
