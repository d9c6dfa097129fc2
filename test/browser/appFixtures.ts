// Builders for the host messages the chat view tests send.
import type { ChatSnapshot, ChatSummary, CodeContext, HostMessage, MessageView, ViewStatus } from '../../src/protocol';

export function status(over: Partial<ViewStatus> = {}): ViewStatus {
  return {
    model: 'gpt-4o-mini',
    hasApiKey: true,
    keySource: 'secretStorage',
    baseUrl: 'https://gateway.bud.studio/v1',
    busy: false,
    toolsEnabled: true,
    ...over,
  };
}

let seq = 0;
export function userMsg(content: string, over: Partial<MessageView> = {}): MessageView {
  return { id: `u${++seq}`, role: 'user', content, status: 'complete', createdAt: Date.now(), ...over };
}

export function assistantMsg(content: string, over: Partial<MessageView> = {}): MessageView {
  return {
    id: `a${++seq}`,
    role: 'assistant',
    content,
    status: 'complete',
    model: 'gpt-4o-mini',
    createdAt: Date.now(),
    ...over,
  };
}

export function chat(messages: MessageView[] = [], id = 'chat-1', title = 'New chat'): ChatSnapshot {
  return { id, title, messages };
}

export function init(
  over: {
    status?: Partial<ViewStatus>;
    chat?: ChatSnapshot;
    chats?: ChatSummary[];
    pendingContexts?: CodeContext[];
  } = {},
): HostMessage {
  return {
    type: 'init',
    status: status(over.status),
    chat: over.chat ?? chat(),
    chats: over.chats ?? [],
    pendingContexts: over.pendingContexts ?? [],
  };
}

export function context(over: Partial<CodeContext> = {}): CodeContext {
  return {
    path: 'src/util/parse.ts',
    uri: 'file:///work/sample/src/util/parse.ts',
    language: 'typescript',
    startLine: 12,
    endLine: 20,
    text: 'export function parse() {}',
    ...over,
  };
}

export const MARKDOWN_ANSWER = [
  '## Parsing CSV lines',
  '',
  'Split on commas **outside** quotes. See [RFC 4180](https://www.rfc-editor.org/rfc/rfc4180) for details:',
  '',
  '- handle `"quoted, fields"`',
  '- trim whitespace',
  '- keep empty fields',
  '',
  '```ts',
  'export function parseLine(line: string): string[] {',
  '  const out: string[] = [];',
  '  let cur = "", quoted = false;',
  '  for (const ch of line) {',
  "    if (ch === '\"') quoted = !quoted;",
  '    else if (ch === "," && !quoted) { out.push(cur); cur = ""; }',
  '    else cur += ch;',
  '  }',
  '  return [...out, cur];',
  '}',
  '```',
  '',
  '| Input | Fields |',
  '| --- | --- |',
  '| `a,b` | 2 |',
  '| `"a,b",c` | 2 |',
].join('\n');
