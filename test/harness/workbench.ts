// Drives the code-server workbench in Debian's Chromium with playwright-core (no browser download):
// command palette, the Bud chat webview, editors, context menus, screenshots, and what the page logged/requested.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { resultsDir, toolPaths } from './paths';
import { track } from './processes';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WorkbenchOptions {
  /** Full workbench URL, e.g. server.folderUrl(). */
  url: string;
  viewport?: { width: number; height: number };
  /** Default timeout for waits (ms, default 30 s). */
  timeoutMs?: number;
  headless?: boolean;
}

export interface ConsoleEntry {
  type: string;
  text: string;
  frameUrl: string;
}
export interface RequestEntry {
  url: string;
  method: string;
  resourceType: string;
  frameUrl: string;
}

const CHAT_VIEW_COMMANDS = [
  'Bud: Open Chat',
  'Bud: Focus on Chat View',
  'View: Focus on Bud Chat View',
  'Bud: Focus on Bud View',
];

/** An http(s)/ws(s) URL to a host other than this machine. */
export function isExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!/^(https?|wss?):$/.test(u.protocol)) return false;
  if (['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.hostname.endsWith('.localhost')) return false;
  // Webview resources use this virtual host; the webview's service worker serves them from code-server.
  if (/\.vscode-resource\.vscode-cdn\.net$/.test(u.hostname)) return false;
  return true;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Workbench {
  readonly console: ConsoleEntry[] = [];
  readonly pageErrors: string[] = [];
  readonly requests: RequestEntry[] = [];
  private closeHandlers: (() => void)[] = [];
  private closed = false;
  private cachedChat: Frame | undefined;
  private untrack: () => void = () => {};

  constructor(
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly timeoutMs: number,
  ) {
    page.on('console', (m) => this.console.push({ type: m.type(), text: m.text(), frameUrl: m.location()?.url ?? '' }));
    page.on('pageerror', (e) => this.pageErrors.push(String(e?.stack ?? e)));
    page.on('request', (r) => {
      let frameUrl = '';
      try {
        frameUrl = r.frame().url();
      } catch {
        /* service worker request */
      }
      this.requests.push({ url: r.url(), method: r.method(), resourceType: r.resourceType(), frameUrl });
    });
  }

  /** @internal */ setUntrack(fn: () => void): void {
    this.untrack = fn;
  }
  onClose(fn: () => void): void {
    this.closeHandlers.push(fn);
  }

  // ------------------------------------------------------------------ workbench

  /** Runs a command by its title through the command palette (Ctrl+Shift+P), like a user. */
  async runCommand(title: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const input = await this.openQuickInput('Control+Shift+P');
    await this.pickQuickInputRow(input, `>${title}`, title, opts.timeoutMs);
  }

  /**
   * Runs a command that opens its own quick input (input box, quick pick) and returns that input. `runCommand`
   * waits for the palette to close, which such commands never let happen.
   */
  async commandWithInput(title: string): Promise<Locator> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await this.page.locator('.monaco-workbench .part.statusbar').click({ position: { x: 2, y: 2 } }); // focus out of the webview
    await this.page.keyboard.press('Control+Shift+P');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const exact = new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`);
    await widget
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first()
      .click();
    await this.page.waitForFunction(
      () =>
        !document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input')?.value.startsWith('>'),
    );
    return input;
  }

  /** Opens a workspace file by its relative path through Quick Open (Ctrl+P) and waits for its editor. */
  async openFile(relPath: string): Promise<void> {
    const input = await this.openQuickInput('Control+P');
    const name = relPath.split('/').pop() ?? relPath;
    await this.pickQuickInputRow(input, relPath, name);
    await this.page
      .locator(
        `.tabs-container .tab.active[data-resource-name="${name}"], .tabs-container .tab.active:has-text("${name}")`,
      )
      .first()
      .waitFor({ state: 'visible', timeout: this.timeoutMs });
    await this.page
      .locator('.editor-instance .monaco-editor .view-lines')
      .first()
      .waitFor({ state: 'visible', timeout: this.timeoutMs });
  }

  /** Selects whole lines `from`..`to` (1-based, inclusive) in the active editor. */
  async selectLines(from: number, to: number): Promise<void> {
    const input = await this.openQuickInput('Control+G');
    await input.fill(`:${from}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: this.timeoutMs });
    await this.page.keyboard.press('Home');
    await this.page.keyboard.press('Home'); // first Home may stop at the indentation
    for (let i = from; i < to; i++) await this.page.keyboard.press('Shift+ArrowDown');
    await this.page.keyboard.press('Shift+End');
  }

  /** The active editor's selected text, as VS Code reports it (the selection overlay must be visible). */
  async hasSelection(): Promise<boolean> {
    return (await this.page.locator('.editor-instance .monaco-editor .selected-text').count()) > 0;
  }

  /**
   * Right-clicks in the active editor (on the selection when there is one) and clicks a context-menu item.
   * `item` may be a path into submenus: 'Bud > Explain Selection'.
   */
  async editorContextMenu(item: string): Promise<void> {
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: this.timeoutMs });
    // The selection's overlay can exist a moment before it is laid out: wait for something with a box.
    let box: { x: number; y: number; width: number; height: number } | null = null;
    for (let attempt = 0; attempt < 40 && !box; attempt++) {
      const selection = editor.locator('.selected-text').first();
      const target =
        (await selection.count()) > 0 ? selection : editor.locator('.view-overlays .current-line, .view-line').first();
      box = await target.boundingBox().catch(() => null);
      if (!box) await sleep(250);
    }
    if (!box) throw new Error('editorContextMenu: nothing to right-click in the active editor');
    await this.page.mouse.click(box.x + Math.min(box.width / 2, 40), box.y + box.height / 2, { button: 'right' });
    await this.clickMenuPath(item);
  }

  /** Alias used by the contracts: the editor context menu. */
  contextMenu(item: string): Promise<void> {
    return this.editorContextMenu(item);
  }

  /** Clicks an item of the open context menu, following 'A > B' through submenus. */
  async clickMenuPath(path: string): Promise<void> {
    const parts = path
      .split('>')
      .map((s) => s.trim())
      .filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const menus = this.page.locator('.monaco-menu');
      const label = parts[i];
      const entry = menus
        .locator('.action-menu-item')
        .filter({
          has: this.page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
        })
        .last();
      try {
        await entry.waitFor({ state: 'visible', timeout: this.timeoutMs });
      } catch {
        const seen = await menus
          .locator('.action-menu-item .action-label')
          .allTextContents()
          .catch(() => []);
        throw new Error(
          `context menu item "${label}" not found; menu shows: ${seen.filter(Boolean).join(' | ') || '(no menu)'}`,
        );
      }
      if (i < parts.length - 1) {
        await entry.hover();
        await sleep(300);
        await entry.press('ArrowRight').catch(() => {});
      } else {
        // A menu ignores a click that comes right after it opened (so the right-click's release cannot pick an
        // item): on a quiet machine the click can be that fast. Click again until the menu has closed.
        for (let attempt = 0; attempt < 5; attempt++) {
          await sleep(250);
          await entry.click().catch(() => {});
          if (
            await menus
              .first()
              .isHidden()
              .catch(() => true)
          )
            return;
        }
        throw new Error(`context menu item "${label}" was clicked but the menu stayed open`);
      }
    }
  }

  private async openQuickInput(shortcut: string): Promise<Locator> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await widget.isVisible()) {
        await this.page.keyboard.press('Escape');
        await sleep(100);
      }
      await this.page.keyboard.press(shortcut);
      try {
        await input.waitFor({ state: 'visible', timeout: 5000 });
        return input;
      } catch {
        // Focus may be inside a webview iframe, which swallows workbench shortcuts: focus the workbench and retry.
        await this.page
          .locator('.monaco-workbench .part.statusbar')
          .click({ position: { x: 2, y: 2 } })
          .catch(() => {});
      }
    }
    throw new Error(`the quick input did not open with ${shortcut}`);
  }

  /**
   * Types `query` and clicks the row labelled `title`. The palette computes its list when the filter changes, so
   * commands registered a moment later (extension host still starting) appear only after re-typing: retry until
   * the timeout.
   */
  private async pickQuickInputRow(
    input: Locator,
    query: string,
    title: string,
    timeoutMs = this.timeoutMs,
  ): Promise<void> {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const exact = new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`, 'i');
    const row = rows.filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await input.fill('');
      await input.fill(query);
      try {
        await row.waitFor({ state: 'visible', timeout: Math.max(500, Math.min(3000, deadline - Date.now())) });
        break;
      } catch {
        if (Date.now() >= deadline) {
          const seen = await rows
            .locator('.label-name')
            .allTextContents()
            .catch(() => []);
          await this.page.keyboard.press('Escape').catch(() => {});
          throw new Error(
            `"${title}" not found in the quick input after ${timeoutMs} ms; it shows: ${seen.slice(0, 10).join(' | ') || '(nothing)'}`,
          );
        }
      }
    }
    await row.click();
    await this.page
      .locator('.quick-input-widget')
      .waitFor({ state: 'hidden', timeout: this.timeoutMs })
      .catch(() => {});
  }

  // ------------------------------------------------------------------ chat webview

  /** Opens the Bud chat view ("Bud: Open Chat", falling back to the view's focus command) and waits for its webview. */
  async openChatView(): Promise<Frame> {
    const errors: string[] = [];
    for (const title of CHAT_VIEW_COMMANDS) {
      try {
        await this.runCommand(title, { timeoutMs: title === CHAT_VIEW_COMMANDS[0] ? this.timeoutMs : 3000 });
        return await this.chatFrame();
      } catch (err) {
        errors.push(String((err as Error).message ?? err));
      }
    }
    throw new Error(`could not open the Bud chat view:\n  ${errors.join('\n  ')}`);
  }

  /** The frame of the chat webview: the one that contains `#messages` (webviews sit in nested iframes). */
  async chatFrame(timeoutMs = this.timeoutMs): Promise<Frame> {
    if (this.cachedChat && !this.cachedChat.isDetached()) {
      if (
        await this.cachedChat
          .locator('#messages')
          .count()
          .catch(() => 0)
      )
        return this.cachedChat;
    }
    const frame = await this.findFrame('#messages', timeoutMs);
    this.cachedChat = frame;
    return frame;
  }

  /** The first frame (page or nested iframe) that contains `selector`. */
  async findFrame(selector: string, timeoutMs = this.timeoutMs): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const f of this.page.frames()) {
        if (f.isDetached()) continue;
        const n = await f
          .locator(selector)
          .count()
          .catch(() => 0);
        if (n > 0) return f;
      }
      await sleep(200);
    }
    throw new Error(
      `no frame contains ${selector} after ${timeoutMs} ms (frames: ${this.page
        .frames()
        .map((f) => f.url().slice(0, 80))
        .join(', ')})`,
    );
  }

  /** A locator inside the chat webview. */
  async webview(selector: string): Promise<Locator> {
    return (await this.chatFrame()).locator(selector);
  }

  /** Types `text` into the chat input and presses Send. */
  async typeAndSend(text: string): Promise<void> {
    const frame = await this.chatFrame();
    const input = frame.locator('#input');
    await input.waitFor({ state: 'visible', timeout: this.timeoutMs });
    await input.click();
    await input.fill(text);
    // While an answer is still ending the button is Stop (data-mode="stop"): a click then would stop, not send.
    const send = frame.locator('#send[data-mode="send"]');
    await send.waitFor({ state: 'visible', timeout: this.timeoutMs });
    await send.click();
  }

  /** Clicks an element inside the chat webview. */
  async clickInWebview(selector: string, opts: { hasText?: string | RegExp } = {}): Promise<void> {
    const frame = await this.chatFrame();
    let loc = frame.locator(selector);
    if (opts.hasText !== undefined) loc = loc.filter({ hasText: opts.hasText });
    await loc.first().click({ timeout: this.timeoutMs });
  }

  /**
   * Waits until an element matching `selector` contains `text`; returns its text. Searches the page by default,
   * the chat webview with `{ webview: true }`, or any given frame.
   */
  async waitForText(
    selector: string,
    text: string | RegExp,
    opts: { webview?: boolean; frame?: Frame; timeoutMs?: number } = {},
  ): Promise<string> {
    const scope: Page | Frame = opts.frame ?? (opts.webview ? await this.chatFrame() : this.page);
    const loc = scope.locator(selector).filter({ hasText: text }).first();
    try {
      await loc.waitFor({ state: 'attached', timeout: opts.timeoutMs ?? this.timeoutMs });
    } catch {
      const seen = await scope
        .locator(selector)
        .allInnerTexts()
        .catch(() => []);
      throw new Error(
        `no ${selector} containing ${JSON.stringify(String(text))} within ${opts.timeoutMs ?? this.timeoutMs} ms; found: ${JSON.stringify(seen.slice(-5))}`,
      );
    }
    return (await loc.innerText().catch(() => loc.textContent())) ?? '';
  }

  /** Waits for the last assistant message to contain `text`; returns the rendered text of that answer. */
  async waitForAnswer(text: string | RegExp, timeoutMs = this.timeoutMs): Promise<string> {
    return this.waitForText('.message.assistant .content', text, { webview: true, timeoutMs });
  }

  // ------------------------------------------------------------------ evidence

  /** Saves a PNG of the page to test-results/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(resultsDir(), name.endsWith('.png') ? name : `${name}.png`);
    mkdirSync(dirname(path), { recursive: true });
    await this.page.screenshot({ path });
    return path;
  }

  /** Requests to anything but this machine (http(s)/ws to a host other than 127.0.0.1 / localhost). */
  externalRequests(): RequestEntry[] {
    return this.requests.filter((r) => isExternal(r.url));
  }

  /** Console messages of the chat webview's frames and the page, filtered by type (e.g. 'error'). */
  consoleOf(type?: string): ConsoleEntry[] {
    return type ? this.console.filter((c) => c.type === type) : this.console;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.browser.close();
    } catch {
      /* already gone */
    }
    this.untrack();
    for (const fn of this.closeHandlers) fn();
  }
}

/** Launches /usr/bin/chromium, opens the workbench URL and waits for `.monaco-workbench`. */
export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const browser = await chromium.launch({
    executablePath: toolPaths().chromium,
    headless: opts.headless ?? true,
    args: CHROMIUM_ARGS,
    // The harness's registry (processes.ts) handles the signals for everything it started; Playwright's own handlers
    // were one more set per browser (Node warned at the eleventh).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let wb: Workbench | undefined;
  const untrack = track({ name: 'chromium', close: () => (wb ? wb.close() : browser.close()) });
  try {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    context.setDefaultTimeout(timeoutMs);
    // Tests talk only to servers on this machine: anything else is recorded (see externalRequests) and aborted.
    await context.route(
      (url) => isExternal(url.href),
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    wb = new Workbench(browser, context, page, timeoutMs);
    wb.setUntrack(untrack);
    await page.goto(opts.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The workbench renders before it is interactive: wait for the activity bar and status bar.
    await page
      .locator('.monaco-workbench .part.activitybar, .monaco-workbench .part.statusbar')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    return wb;
  } catch (err) {
    if (wb) await wb.close();
    else {
      await browser.close().catch(() => {});
      untrack();
    }
    throw err;
  }
}
