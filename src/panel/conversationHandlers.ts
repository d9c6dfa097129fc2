// The host side of conversation control: the webview messages for branches (edit, regenerate, switch, delete)
// and copying a whole message. Spread into the handler map of messageHandlers.ts.
import type { ChatController } from '../chat/controller';
import { findMessage } from '../chat/tree';
import type { WebviewMessageHandlers } from './messageHandlers';
import { copyCode } from './editorActions';

type ConversationMessage = 'editMessage' | 'regenerate' | 'switchBranch' | 'deleteTurn' | 'copyMessage';

export function createConversationHandlers(
  controller: ChatController,
): Pick<WebviewMessageHandlers, ConversationMessage> {
  return {
    editMessage: async (msg) => {
      await controller.branches.edit(msg.id, msg.text);
    },
    regenerate: async (msg) => {
      await controller.branches.regenerate(msg.id);
    },
    switchBranch: (msg) => controller.branches.switchBranch(msg.id, msg.index),
    deleteTurn: (msg) => controller.branches.deleteTurn(msg.id),
    copyMessage: async (msg) => {
      const m = findMessage(controller.current, msg.id);
      if (m) await copyCode(m.content, m.role === 'user' ? 'Message' : 'Answer');
    },
  };
}
