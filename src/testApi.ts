// What `activate` returns when BUD_TEST_MODE=1 (integration tests only; undefined otherwise).
import * as path from 'node:path';
import type { ChatCompletionParams } from './api/types';
import type { ChatSnapshot, CodeContext, MentionItem, ToolApproval } from './protocol';
import type { FinishedCommand } from './mentions/terminal';
import { toSnapshot } from './chat/conversation';
import { withInstructions } from './chat/instructions';
import { queryMentions } from './mentions/picker';
import { readInstructions } from './mentions/workspaceContext';
import type { KeyStore } from './config/secrets';
import type { ChatHost } from './panel/chatHost';
import type { Session } from './connection/session';

export interface BudTestApi {
  chat: {
    getCurrentChat(): ChatSnapshot;
    /** Sends like the view's Send button; resolves when the answer has ended. */
    send(text: string): Promise<void>;
    stop(): void;
    newChat(): Promise<void>;
    switchChat(id: string): Promise<void>;
    /** The last request parameters sent (before the turn adds tools). */
    readonly lastRequestBody: ChatCompletionParams | undefined;
    /** Writes every pending history change to disk. */
    flush(): Promise<void>;
    /** The folder holding `<chatId>.json` files. */
    readonly historyDir: string;
    pendingContexts(): number;
  };
  mentions: {
    /** The # picker's whole list for a query (once the file index is built). */
    query(q: string): Promise<{ items: MentionItem[]; note?: string }>;
    /** Reads a picker row as an attachment (not added to the message). */
    read(id: string): Promise<CodeContext | string>;
    /** Adds files or folders as the Explorer menu and drops do; resolves with how many were attached. */
    attachUris(uris: string[]): Promise<number>;
    /** What the attachments become when sent. */
    prepare(contexts: CodeContext[]): Promise<CodeContext[]>;
    /** The last terminal command seen through shell integration. */
    lastTerminalCommand(): FinishedCommand | undefined;
    /** Whether this VS Code has the shell-integration API. */
    readonly terminalSupported: boolean;
    /** The system prompt with the workspace's instructions (what a request would carry now). */
    systemPromptWith(base: string): Promise<string>;
  };
  /** Questions "may this tool of another extension run?" waiting in the chat, and the user's click. */
  approvals: { waiting(): string[]; answer(callId: string, answer: ToolApproval): void };
  /** Points requests at a local test server (machine settings cannot be written from a test). */
  setBaseUrlOverride(url: string | undefined): void;
  setApiKey(key: string): Promise<void>;
  /** The extension host's log folder (holds the "Bud Chat" output channel's file). */
  readonly logDir: string;
  clearApiKey(): Promise<void>;
  /** The resolved connection without the key: { baseUrl, keySource, hasKey, model, stream }. */
  describeConnection(): Promise<{
    baseUrl: string;
    keySource: string;
    hasKey: boolean;
    model: string;
    stream: boolean;
    temperature?: number;
  }>;
}

export function createTestApi(
  host: ChatHost,
  session: Session,
  keys: KeyStore,
  logUri: { fsPath: string },
): BudTestApi {
  return {
    chat: {
      getCurrentChat: () => toSnapshot(host.controller.current),
      send: async (text) => {
        await host.controller.init();
        await host.controller.send(text);
      },
      stop: () => host.controller.stop(),
      newChat: () => host.controller.newChat(),
      switchChat: (id) => host.controller.switchChat(id),
      get lastRequestBody() {
        return session.lastRequest;
      },
      flush: () => host.controller.flush(),
      get historyDir() {
        return host.store.dir;
      },
      pendingContexts: () => host.controller.pendingContexts.length,
    },
    mentions: {
      query: (q) => {
        const r = queryMentions(host.mentions.files, host.mentions.terminal, q);
        return r.full ?? Promise.resolve(r.first);
      },
      read: (id) => host.mentions.attachments.fromMention(id),
      attachUris: (uris) => host.mentions.addUris(uris),
      prepare: (contexts) => host.mentions.prepareAttachments(contexts),
      lastTerminalCommand: () => host.mentions.terminal.latest(),
      get terminalSupported() {
        return host.mentions.terminal.supported;
      },
      systemPromptWith: async (base) => {
        const ctx = await host.mentions.files.context();
        return withInstructions(base, (await readInstructions(ctx)).files);
      },
    },
    approvals: {
      waiting: () => host.approvals.waiting,
      answer: (callId, answer) => host.approvals.answer(callId, answer),
    },
    setBaseUrlOverride: (url) => {
      session.overrideBaseUrl = url;
    },
    setApiKey: (key) => keys.set(key),
    logDir: path.dirname(logUri.fsPath),
    clearApiKey: () => keys.clear(),
    describeConnection: async () => {
      const { settings, conn } = await session.resolve();
      return {
        baseUrl: conn.baseUrl,
        keySource: conn.keySource,
        hasKey: !!conn.apiKey,
        model: settings.model,
        stream: settings.stream,
        temperature: settings.temperature,
      };
    },
  };
}
