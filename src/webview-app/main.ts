// Webview entry: connect to the host once, build the chat view, forward host messages, then say `ready`.
// First: the strings are configured before any app module builds its labels.
import './app/l10nInit';
import type { HostMessage } from '../protocol';
import { ChatApp } from './app/app';
import { connectHost, windowChatId } from './app/vscodeApi';

const host = connectHost();
const root = document.getElementById('root') ?? document.body;
const app = new ChatApp(root, host);

window.addEventListener('message', (event: MessageEvent) => {
  const msg = event.data as HostMessage | undefined;
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
  try {
    app.handle(msg);
  } catch (err) {
    host.post({
      type: 'log',
      level: 'error',
      text: `webview: failed to handle ${msg.type}: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
});

// The chat this window showed before a reload, so each window keeps its own chat.
const shown = windowChatId(host);
host.post(shown ? { type: 'ready', chatId: shown } : { type: 'ready' });
