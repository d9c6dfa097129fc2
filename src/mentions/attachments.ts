// Turns what the user picked, dropped or chose in a menu into pending attachments, and reads them all again when
// the message is sent: the attachment budget is split among them and each is fitted into its share (a file that
// does not fit goes as its outline plus head and tail, with a note; nothing is dropped silently).
import * as vscode from 'vscode';
import { allocateBudget, type Count } from '../attachments/fitText';
import type { Resolved } from '../attachments/resolved';
import { selectionContext } from '../commands/selection';
import type { CodeContext } from '../protocol';
import { changesAttachment } from './git';
import type { SpecialId } from './picker';
import { attachUri, captured, currentFileAttachment, localUri, problemsAttachment, type SourceEnv } from './sources';
import type { TerminalWatcher } from './terminal';
import type { WorkspaceFiles } from './workspace';

/** How an attachment is read again when the message is sent. */
type Source =
  | { kind: 'uri'; uri: vscode.Uri }
  | { kind: 'problems'; uri?: vscode.Uri }
  | { kind: 'changes' }
  /** Taken when attached (a selection, terminal output): fitted again, never re-read. */
  | { kind: 'captured'; full: CodeContext; keep: 'headTail' | 'tail' };

export interface Budget {
  count: Count;
  /** Tokens all attachments of one message may use together. */
  tokens(): number;
}

export class Attachments {
  /** The source of each pending attachment the host made (by object identity). */
  private readonly sources = new WeakMap<CodeContext, Source>();

  constructor(
    private readonly files: WorkspaceFiles,
    private readonly terminal: TerminalWatcher,
    private readonly budget: Budget,
  ) {}

  private async env(): Promise<SourceEnv> {
    return { ctx: await this.files.context(), count: this.budget.count, maxTokens: this.budget.tokens() };
  }

  private async read(source: Source, env: SourceEnv): Promise<Resolved | string> {
    switch (source.kind) {
      case 'uri':
        return attachUri(env, source.uri);
      case 'problems':
        return problemsAttachment(env, source.uri);
      case 'changes':
        return changesAttachment(env);
      case 'captured':
        return captured(source.full, env, source.keep);
    }
  }

  /** Reads a source as one attachment alone (all of the budget) and remembers how to read it again. */
  private async add(source: Source, env?: SourceEnv): Promise<CodeContext | string> {
    const e = env ?? (await this.env());
    const r = await this.read(source, e);
    if (typeof r === 'string') return r;
    const ctx = await r.fit(e.maxTokens);
    this.sources.set(ctx, source);
    return ctx;
  }

  /** A # picker row (`path:<workspace path>` or `special:<id>`). */
  async fromMention(id: string): Promise<CodeContext | string> {
    const env = await this.env();
    if (id.startsWith('path:')) {
      const r = await env.ctx.roots.resolve(id.slice('path:'.length), env.ctx.deny, { allowRoot: true });
      if (!r.ok) return r.summary;
      return this.add({ kind: 'uri', uri: vscode.Uri.file(r.real) }, env);
    }
    const editorUri = vscode.window.activeTextEditor?.document.uri;
    switch (id.slice('special:'.length) as SpecialId) {
      case 'currentFile': {
        if (!editorUri) return vscode.l10n.t('No file is open in an editor.');
        return this.add({ kind: 'uri', uri: editorUri }, env);
      }
      case 'selection': {
        const sel = selectionContext();
        return typeof sel === 'string' ? sel : this.capture({ ...sel, kind: 'selection' }, 'headTail', env);
      }
      case 'problems':
        return this.add({ kind: 'problems' }, env);
      case 'fileProblems':
        return editorUri
          ? this.add({ kind: 'problems', uri: editorUri }, env)
          : vscode.l10n.t('No file is open in an editor.');
      case 'changes':
        return this.add({ kind: 'changes' }, env);
      case 'terminal': {
        const t = this.terminal.attachment();
        return typeof t === 'string' ? t : this.capture(t, 'tail', env);
      }
      default:
        return vscode.l10n.t('That entry is no longer available; type # again.');
    }
  }

  /** An attachment whose text was taken now (selection, terminal output, expanded prompt), fitted like the rest. */
  async capture(full: CodeContext, keep: 'headTail' | 'tail' = 'headTail', env?: SourceEnv): Promise<CodeContext> {
    const e = env ?? (await this.env());
    const shown = await captured(full, e, keep).fit(full.kind === 'prompt' ? Infinity : e.maxTokens);
    this.sources.set(shown, { kind: 'captured', full, keep });
    return shown;
  }

  /** Files or folders from the Explorer, an editor tab or a drop. */
  async fromUris(uris: readonly (string | vscode.Uri)[]): Promise<{ added: CodeContext[]; refused: string[] }> {
    const env = await this.env();
    const added: CodeContext[] = [];
    const refused: string[] = [];
    for (const raw of uris) {
      const uri = localUri(raw);
      if (!uri) {
        refused.push(`${String(raw).slice(0, 200)} is not a file Bud can read.`);
        continue;
      }
      const r = await this.add({ kind: 'uri', uri }, env);
      if (typeof r === 'string') refused.push(r);
      else added.push(r);
    }
    return { added, refused };
  }

  /** The current file, for the "attach the current file" chip. */
  async currentFile(): Promise<CodeContext | string> {
    const env = await this.env();
    const r = await currentFileAttachment(env);
    if (typeof r === 'string') return r;
    const ctx = await r.fit(env.maxTokens);
    this.sources.set(ctx, { kind: 'uri', uri: vscode.window.activeTextEditor!.document.uri });
    return ctx;
  }

  /**
   * Every attachment of a message, read again now and fitted into the budget together. An attachment that can no
   * longer be read (deleted file) is sent as a note saying so, never dropped without a word.
   */
  async prepareForSend(contexts: readonly CodeContext[]): Promise<CodeContext[]> {
    if (contexts.length === 0) return [];
    const env = await this.env();
    const resolved = await Promise.all(
      contexts.map(async (c) => {
        const source = this.sources.get(c) ?? ({ kind: 'captured', full: c, keep: 'headTail' } as const);
        const r = await this.read(source, env).catch((err: unknown) =>
          err instanceof Error ? err.message : String(err),
        );
        if (typeof r !== 'string') return r;
        const gone: CodeContext = {
          ...c,
          text: '',
          note: vscode.l10n.t('It could not be read when the message was sent: {0}', r),
        };
        return {
          need: 0,
          fit: () => Promise.resolve({ ...gone, tokens: env.count(gone.note ?? '') }),
        } satisfies Resolved;
      }),
    );
    const prompts = contexts.map((c) => c.kind === 'prompt');
    // Expanded prompts are what the user asked; they are sent whole and the files share what is left.
    const promptTokens = resolved.reduce((n, r, i) => n + (prompts[i] ? r.need : 0), 0);
    const shares = allocateBudget(
      resolved.map((r, i) => (prompts[i] ? 0 : r.need)),
      Math.max(0, env.maxTokens - promptTokens),
    );
    return Promise.all(resolved.map((r, i) => r.fit(prompts[i] ? Infinity : shares[i])));
  }

  /** The active editor's file as an attachment source (slash commands attach it). */
  async fileOf(uri: vscode.Uri): Promise<CodeContext | string> {
    return this.add({ kind: 'uri', uri });
  }

  async workspaceContext(): Promise<SourceEnv['ctx']> {
    return this.files.context();
  }
}
