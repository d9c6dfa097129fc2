// The one end-to-end fixture: a local OpenAI-compatible test server, code-server with the extension pointed at it,
// and Chromium on the workbench, set up before a suite's tests and torn down after them.
//
//   describe('…', function () {
//     const e2e = useChatE2E({ label: 'tools-e2e', apiKey: 'sk-…', settings: { 'bud.tools.enabled': true } });
//     it('…', async () => {
//       e2e.api.enqueue(replies.stream(['Hi']));
//       await e2e.wb.typeAndSend('Hello');
//       assert.equal((await waitForAnswerEnd(e2e.chat, before)).status, 'complete');
//     });
//   });
import type { Frame } from 'playwright-core';
import { startTestServer, type TestServer } from '../../scripts/server/openai-server';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import type { Workbench } from './workbench';

export const E2E_MODEL = 'test-model';

export interface ChatE2EOptions {
  /** Names the logs kept in test-results/logs/<label>-<port>/. */
  label: string;
  /** Models the test server lists (default: E2E_MODEL). The first is `bud.model` unless `settings` says otherwise. */
  models?: string[];
  /**
   * Settings written to the User and the Machine settings, on top of `bud.model` and `bud.maxRetries: 0`. The Machine
   * settings also get `bud.baseUrl` (a machine-scoped setting is read only there in code-server).
   */
  settings?: Record<string, unknown>;
  /** `bud.baseUrl` from the test server (default: its URL without /v1). */
  baseUrl?: (api: TestServer) => string;
  /** `BUD_API_KEY` of the extension host; without it the extension starts with no key. */
  apiKey?: string;
  /** More environment for code-server and its extension host. */
  env?: Record<string, string>;
  /** The folder to open, made in the fixture's `before` (default: test/fixtures/workspace). */
  workspace?: () => string;
  /** More options for startCodeServer (workspace trust, extra extensions, …). */
  codeServer?: Omit<CodeServerOptions, 'label' | 'workspace' | 'settings' | 'machineSettings' | 'env'>;
  /** Runs after code-server started and before the workbench opens (the extension host starts with the window). */
  beforeWorkbench?: (server: CodeServer) => void | Promise<void>;
  viewport?: { width: number; height: number };
  /** Open the chat view in `before` (default true); otherwise a test opens it with `e2e.openChat()`. */
  openChat?: boolean;
}

export interface ChatE2E {
  /** The local OpenAI-compatible server the extension talks to. */
  readonly api: TestServer;
  readonly server: CodeServer;
  readonly wb: Workbench;
  /** The chat webview's frame: set in `before` (unless `openChat: false`), by `openChat()`, or by the test. */
  chat: Frame;
  /** Opens the chat view and makes it `chat`. */
  openChat(): Promise<Frame>;
  /** Reloads the window, waits for the extension host and reopens the chat view (the new `chat`). */
  reload(): Promise<Frame>;
  /** Closes the test server (if open) and starts a new one on the same port with the same models. */
  restartApi(): Promise<TestServer>;
}

/** Registers `before`/`after` hooks in the calling suite and returns the handles they fill. */
export function useChatE2E(opts: ChatE2EOptions): ChatE2E {
  const models = opts.models ?? [E2E_MODEL];
  let api: TestServer | undefined;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let chat: Frame | undefined;
  const need = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useChatE2E: ${name} is not ready (used outside a test of its suite?)`);
    return value;
  };

  before(async function () {
    this.timeout(300_000);
    api = await startTestServer({ models });
    const settings = { 'bud.model': models[0], 'bud.maxRetries': 0, ...opts.settings };
    server = await startCodeServer({
      ...opts.codeServer,
      label: opts.label,
      workspace: opts.workspace?.(),
      settings,
      machineSettings: { 'bud.baseUrl': opts.baseUrl ? opts.baseUrl(api) : api.url, ...settings },
      env: { ...(opts.apiKey ? { BUD_API_KEY: opts.apiKey } : {}), ...opts.env },
    });
    await opts.beforeWorkbench?.(server);
    wb = await server.openWorkbench({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
    if (opts.openChat !== false) chat = await wb.openChatView();
  });

  after(async () => {
    await server?.close();
    await api?.close();
  });

  const e2e: ChatE2E = {
    get api() {
      return need(api, 'the test server');
    },
    get server() {
      return need(server, 'code-server');
    },
    get wb() {
      return need(wb, 'the workbench');
    },
    get chat() {
      return need(chat, 'the chat view (open it with e2e.openChat())');
    },
    set chat(frame: Frame) {
      chat = frame;
    },
    async openChat() {
      chat = await e2e.wb.openChatView();
      return chat;
    },
    async reload() {
      const { page } = e2e.wb;
      // A reload the page cancels (a leave-page prompt) is retried as a navigation to the same URL.
      await page
        .reload({ waitUntil: 'domcontentloaded' })
        .catch(() => page.goto(page.url(), { waitUntil: 'domcontentloaded', timeout: 60_000 }));
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await e2e.server.waitForExtensionHost();
      return e2e.openChat();
    },
    async restartApi() {
      const { port } = e2e.api;
      await e2e.api.close();
      api = await startTestServer({ port, models });
      return api;
    },
  };
  return e2e;
}

/** How an answer ended, as the chat view shows it. */
export interface AnswerEnd {
  /** `data-status` of the answer: complete, stopped, error, interrupted. */
  status: string;
  /** The inline error's text (whitespace collapsed) when the answer failed, else ''. */
  error: string;
}

/**
 * Waits for the answer to the message just sent to end: the chat must hold the new user message and its answer
 * (`before` is the message count before sending), and that answer — the last assistant message after `before` —
 * must leave `streaming`, and the composer must be ready to send again. An answer of an earlier turn never counts.
 */
export async function waitForAnswerEnd(chat: Frame, before: number, timeoutMs = 120_000): Promise<AnswerEnd> {
  await chat.waitForFunction((c) => document.querySelectorAll('.message').length >= c + 2, before, {
    timeout: 30_000,
  });
  const answer = await chat.waitForFunction(
    (c) => {
      const added = Array.from(document.querySelectorAll('.message')).slice(c);
      const last = added.filter((m) => m.classList.contains('assistant')).pop();
      const status = last?.getAttribute('data-status');
      if (!last || !status || status === 'streaming') return undefined;
      const error = last.querySelector('.inline-error')?.textContent ?? '';
      return { status, error: status === 'error' ? error.replace(/\s+/g, ' ').trim() : '' };
    },
    before,
    { timeout: timeoutMs },
  );
  // The turn is over when the composer's button is Send again (until then a click on it would Stop).
  await chat.locator('#send[data-mode="send"]').waitFor({ state: 'visible', timeout: 30_000 });
  return (await answer.jsonValue()) as AnswerEnd;
}
