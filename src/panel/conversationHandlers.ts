// The host side of conversation control: the webview messages for branches (edit, regenerate, switch, delete),
// copying a whole message, export / import from the history list, and full-text search. Spread into the handler map of
// messageHandlers.ts.
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import { isChatId } from '../chat/historyStore';
import { findMessage } from '../chat/tree';
import type { SearchIndex } from '../chat/searchIndex';
import type { WebviewMessageHandlers } from './messageHandlers';
import { copyCode } from './editorActions';

type ConversationMessage =
  | 'editMessage'
  | 'regenerate'
  | 'switchBranch'
  | 'deleteTurn'
  | 'copyMessage'
  | 'exportChat'
  | 'importChat'
  | 'searchChats'
  | 'openSearchHit';

/** A branch action that first waits out an answer that has ended and is only being saved (the view shows it ended). */
function afterSave<M>(controller: ChatController, action: (msg: M) => Promise<unknown>): (msg: M) => Promise<void> {
  return async (msg) => {
    await controller.settled();
    await action(msg);
  };
}

export function createConversationHandlers(
  controller: ChatController,
  search: SearchIndex,
): Pick<WebviewMessageHandlers, ConversationMessage> {
  return {
    editMessage: afterSave(controller, (msg) => controller.branches.edit(msg.id, msg.text)),
    regenerate: afterSave(controller, (msg) => controller.branches.regenerate(msg.id)),
    switchBranch: afterSave(controller, (msg) => controller.branches.switchBranch(msg.id, msg.index)),
    deleteTurn: afterSave(controller, (msg) => controller.branches.deleteTurn(msg.id)),
    copyMessage: async (msg) => {
      const m = findMessage(controller.current, msg.id);
      if (m) await copyCode(m.content, m.role === 'user' ? 'Message' : 'Answer');
    },
    exportChat: async (msg) => {
      if (isChatId(msg.chatId)) await vscode.commands.executeCommand('bud.exportChat', msg.chatId);
    },
    importChat: async () => {
      await vscode.commands.executeCommand('bud.importChat');
    },
    searchChats: async (msg) => {
      // The window's unsaved changes first, so a search finds what is on screen.
      await controller.flush();
      const result = await search.search(msg.query);
      controller.post({ type: 'searchResults', seq: msg.seq, ...result });
    },
    openSearchHit: async (msg) => {
      if (isChatId(msg.chatId)) await controller.switchChat(msg.chatId, msg.messageId);
    },
  };
}
