// What the user does to the conversation's tree of branches (tree.ts): edit a question, regenerate an answer,
// switch between siblings, delete a turn and undo that. Pure: no `vscode` import; the controller supplies the
// chat, posting, saving and answering through `BranchContext`.
import type { HostMessage, Notice } from '../protocol';
import type { Changes } from './historyStore';
import { toViews, type StoredChat, type StoredMessage } from './conversation';
import {
  activePath,
  addChild,
  deleteTurn,
  findMessage,
  restoreTurn,
  selectPathTo,
  switchSibling,
  treeProblem,
  type DeletedTurn,
} from './tree';
import * as l10n from '@vscode/l10n';

export interface BranchContext {
  /** The chat on screen. */
  chat(): StoredChat;
  /** True while an answer streams. */
  busy(): boolean;
  post(msg: HostMessage): void;
  notice(notice: Notice | null): void;
  save(chat: StoredChat, changes: Changes, immediate?: boolean): Promise<void>;
  newMessageId(): string;
  now(): number;
  /** A user-readable reason this question cannot be sent, or undefined. */
  refuse(text: string, message: StoredMessage): string | undefined;
  /** Streams an answer to `question`, which is the end of the active path. */
  answer(question: StoredMessage): Promise<void>;
}

// Functions, not constants: the translations are configured at activation, after this module is loaded.
export const busyNotice = (): string =>
  l10n.t('An answer is still arriving. Press Stop (or Escape) before changing the conversation.');
const deletedNotice = (): string => l10n.t('The turn was deleted.');
const cannotUndoNotice = (): string =>
  l10n.t(
    'The deleted turn cannot be put back: the message it followed is no longer in the chat (it was retried or deleted since).',
  );

export class BranchActions {
  private deleted: DeletedTurn | undefined;

  constructor(private readonly ctx: BranchContext) {}

  /** Refuses to change the path while an answer streams into it. */
  private refuseWhileBusy(): boolean {
    if (!this.ctx.busy()) return false;
    this.ctx.notice({ level: 'info', text: busyNotice() });
    return true;
  }

  /**
   * Posts what changed on screen when the path shown went from `before` to `shown` (default: the active path):
   * the view keeps the common start and replaces the rest.
   */
  private postPath(before: readonly StoredMessage[], shown = activePath(this.ctx.chat())): void {
    let same = 0;
    while (same < before.length && same < shown.length && before[same] === shown[same]) same++;
    this.ctx.post({
      type: 'pathChanged',
      afterId: same ? shown[same - 1].id : null,
      messages: toViews(this.ctx.chat(), shown.slice(same)),
    });
  }

  /**
   * Sends `text` as a new version of the question `id` (with the same attached code): a sibling of it, shown and
   * answered; the old question and everything after it stay as the other branch. False when nothing was sent.
   */
  async edit(id: string, text: string): Promise<boolean> {
    if (this.refuseWhileBusy()) return false;
    const chat = this.ctx.chat();
    const old = findMessage(chat, id);
    if (!old || old.role !== 'user' || (!text.trim() && !old.contexts?.length)) return false;
    const question: StoredMessage = {
      id: this.ctx.newMessageId(),
      role: 'user',
      content: text,
      status: 'complete',
      createdAt: this.ctx.now(),
    };
    if (old.contexts?.length) question.contexts = old.contexts;
    const refusal = this.ctx.refuse(text, question);
    if (refusal) {
      this.ctx.notice({ level: 'error', text: refusal });
      return false;
    }
    this.ctx.notice(null);
    this.deleted = undefined;
    const before = activePath(chat);
    const parent = old.parentId === undefined ? undefined : findMessage(chat, old.parentId);
    selectPathTo(chat, old.id);
    addChild(chat, parent, question);
    chat.updatedAt = this.ctx.now();
    this.postPath(before);
    void this.ctx.save(chat, { upserted: [question.id], selected: true }, true);
    await this.ctx.answer(question);
    return true;
  }

  /** Asks again for the answer `id`: the new answer is its sibling, shown and streamed; the old one is kept. */
  async regenerate(id: string): Promise<boolean> {
    if (this.refuseWhileBusy()) return false;
    const chat = this.ctx.chat();
    const old = findMessage(chat, id);
    const question = old?.parentId === undefined ? undefined : findMessage(chat, old.parentId);
    if (!old || old.role !== 'assistant' || question?.role !== 'user') return false;
    this.ctx.notice(null);
    this.deleted = undefined;
    const before = activePath(chat);
    selectPathTo(chat, question.id);
    // Nothing is shown below the question until the new answer arrives (the old one is one arrow away).
    const path = activePath(chat);
    this.postPath(before, path.slice(0, path.indexOf(question) + 1));
    await this.ctx.answer(question);
    return true;
  }

  /** Shows sibling `index` (0-based) of message `id` and the path below it. */
  async switchBranch(id: string, index: number): Promise<void> {
    if (this.refuseWhileBusy()) return;
    const chat = this.ctx.chat();
    const before = activePath(chat);
    if (switchSibling(chat, id, index) === undefined) return;
    this.postPath(before);
    await this.ctx.save(chat, { selected: true });
  }

  /** Deletes the turn of question `id` (see tree.ts deleteTurn) and offers Undo. */
  async deleteTurn(id: string): Promise<void> {
    if (this.refuseWhileBusy()) return;
    const chat = this.ctx.chat();
    const before = activePath(chat);
    const undo = deleteTurn(chat, id);
    if (!undo) return;
    this.deleted = undo;
    chat.updatedAt = this.ctx.now();
    this.postPath(before);
    this.ctx.notice({ level: 'info', text: deletedNotice(), actions: ['undoDelete'] });
    await this.ctx.save(
      chat,
      { removed: undo.removed.map((r) => r.message.id), upserted: undo.moved.map((m) => m.id), selected: true },
      true,
    );
  }

  /** Puts the last deleted turn back (while the same chat is shown). */
  async undoDelete(): Promise<void> {
    const undo = this.deleted;
    const chat = this.ctx.chat();
    if (!undo || undo.chatId !== chat.id || this.refuseWhileBusy()) return;
    this.deleted = undefined;
    // Tried on a copy first: a retry or another delete since may have removed the message the turn followed.
    const trial: StoredChat = {
      ...chat,
      messages: chat.messages.map((m) => ({ ...m })),
      selected: { ...chat.selected },
    };
    restoreTurn(trial, undo);
    if (treeProblem(trial.messages)) {
      this.ctx.notice({ level: 'warning', text: cannotUndoNotice() });
      return;
    }
    const before = activePath(chat);
    restoreTurn(chat, undo);
    chat.updatedAt = this.ctx.now();
    this.postPath(before);
    this.ctx.notice(null);
    await this.ctx.save(
      chat,
      { upserted: [...undo.removed.map((r) => r.message.id), ...undo.moved.map((m) => m.id)], selected: true },
      true,
    );
  }
}
