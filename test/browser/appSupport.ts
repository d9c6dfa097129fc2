// Loads the built chat view (dist/webview.js + dist/webview.css) in Chromium inside the host's real HTML and CSP
// (src/panel/webviewHtml.ts), with a fake `acquireVsCodeApi` that records every posted message, and VS Code-like
// theme variables (dark / light / high contrast) so screenshots resemble the real panel.
// Every request goes to a fake origin served by page.route: nothing leaves the machine.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { HostMessage, WebviewMessage } from '../../src/protocol';
import { renderHtml } from '../../src/panel/webviewHtml';

export const ORIGIN = 'http://bud-webview.test';
export const ROOT = path.resolve(__dirname, '../../..');
const DIST = path.join(ROOT, 'dist');
const NONCE = 'appTestNonce0123456789';

export type Theme = 'dark' | 'light' | 'hc';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Theme variables with the values of VS Code's Dark Modern, Light Modern and High Contrast themes. */
const THEMES: Record<Theme, Record<string, string>> = {
  dark: {
    'font-family': '-apple-system, BlinkMacSystemFont, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'font-weight': 'normal',
    'editor-font-family': 'Consolas, "Courier New", monospace',
    'editor-font-size': '12px',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    errorForeground: '#f85149',
    focusBorder: '#0078d4',
    'sideBar-background': '#181818',
    'editor-background': '#1f1f1f',
    'editor-foreground': '#cccccc',
    'widget-border': '#313131',
    'input-background': '#313131',
    'input-foreground': '#cccccc',
    'input-border': '#3c3c3c',
    'input-placeholderForeground': '#989898',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-border': '#ffffff12',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'icon-foreground': '#cccccc',
    'toolbar-hoverBackground': '#5a5d5e50',
    'list-hoverBackground': '#2a2d2e',
    'list-inactiveSelectionBackground': '#37373d',
    'textLink-foreground': '#4daafc',
    'textLink-activeForeground': '#4daafc',
    'textCodeBlock-background': '#2b2b2b',
    'textPreformat-foreground': '#d0d0d0',
    'textBlockQuote-background': '#2b2b2b',
    'textBlockQuote-border': '#616161',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#352a05',
    'inputValidation-warningBorder': '#b89500',
    'editorWarning-foreground': '#cca700',
    'editorError-foreground': '#f14c4c',
    'editorLightBulb-foreground': '#ffcc00',
    'notifications-background': '#1f1f1f',
    'notifications-foreground': '#cccccc',
    'notifications-border': '#2b2b2b',
    'notificationsInfoIcon-foreground': '#3794ff',
    'notificationsWarningIcon-foreground': '#cca700',
    'notificationsErrorIcon-foreground': '#f14c4c',
    'editorWidget-background': '#202020',
    'widget-shadow': '#0000005c',
    'testing-iconPassed': '#73c991',
    'editorCursor-foreground': '#aeafad',
    'debugTokenExpression-name': '#c586c0',
    'debugTokenExpression-string': '#ce9178',
    'debugTokenExpression-number': '#b5cea8',
    'debugTokenExpression-boolean': '#4e94ce',
    'symbolIcon-functionForeground': '#b180d7',
    'symbolIcon-classForeground': '#ee9d28',
    'symbolIcon-variableForeground': '#75beff',
  },
  light: {
    'font-family': '-apple-system, BlinkMacSystemFont, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'font-weight': 'normal',
    'editor-font-family': 'Consolas, "Courier New", monospace',
    'editor-font-size': '12px',
    foreground: '#3b3b3b',
    descriptionForeground: '#3b3b3b',
    errorForeground: '#f85149',
    focusBorder: '#005fb8',
    'sideBar-background': '#f8f8f8',
    'editor-background': '#ffffff',
    'editor-foreground': '#3b3b3b',
    'widget-border': '#e5e5e5',
    'input-background': '#ffffff',
    'input-foreground': '#3b3b3b',
    'input-border': '#cecece',
    'input-placeholderForeground': '#767676',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-border': '#0000001a',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'icon-foreground': '#3b3b3b',
    'toolbar-hoverBackground': '#b8b8b850',
    'list-hoverBackground': '#f2f2f2',
    'list-inactiveSelectionBackground': '#e4e6f1',
    'textLink-foreground': '#005fb8',
    'textLink-activeForeground': '#005fb8',
    'textCodeBlock-background': '#f3f3f3',
    'textPreformat-foreground': '#3b3b3b',
    'textBlockQuote-background': '#f8f8f8',
    'textBlockQuote-border': '#e5e5e5',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-warningBackground': '#f6f5d2',
    'inputValidation-warningBorder': '#b89500',
    'editorWarning-foreground': '#bf8803',
    'editorError-foreground': '#e51400',
    'editorLightBulb-foreground': '#ddb100',
    'notifications-background': '#ffffff',
    'notifications-foreground': '#3b3b3b',
    'notifications-border': '#e5e5e5',
    'notificationsInfoIcon-foreground': '#1a85ff',
    'notificationsWarningIcon-foreground': '#bf8803',
    'notificationsErrorIcon-foreground': '#e51400',
    'editorWidget-background': '#f8f8f8',
    'widget-shadow': '#00000029',
    'testing-iconPassed': '#388a34',
    'editorCursor-foreground': '#000000',
    'debugTokenExpression-name': '#9b46b0',
    'debugTokenExpression-string': '#a31515',
    'debugTokenExpression-number': '#098658',
    'debugTokenExpression-boolean': '#0000ff',
    'symbolIcon-functionForeground': '#652d90',
    'symbolIcon-classForeground': '#d67e00',
    'symbolIcon-variableForeground': '#007acc',
  },
  hc: {
    'font-family': '-apple-system, BlinkMacSystemFont, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    'font-size': '13px',
    'font-weight': 'normal',
    'editor-font-family': 'Consolas, "Courier New", monospace',
    'editor-font-size': '12px',
    foreground: '#ffffff',
    descriptionForeground: '#ffffffb3',
    errorForeground: '#f48771',
    focusBorder: '#f38518',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    'sideBar-background': '#000000',
    'editor-background': '#000000',
    'editor-foreground': '#ffffff',
    'widget-border': '#6fc3df',
    'input-background': '#000000',
    'input-foreground': '#ffffff',
    'input-border': '#6fc3df',
    'input-placeholderForeground': '#ffffffb3',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'button-secondaryBackground': '#000000',
    'button-secondaryForeground': '#ffffff',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'icon-foreground': '#ffffff',
    'textLink-foreground': '#21a6ff',
    'textLink-activeForeground': '#21a6ff',
    'textCodeBlock-background': '#000000',
    'textPreformat-foreground': '#ffffff',
    'textBlockQuote-border': '#ffffff',
    'inputValidation-errorBackground': '#000000',
    'inputValidation-errorBorder': '#f48771',
    'inputValidation-warningBackground': '#000000',
    'inputValidation-warningBorder': '#6fc3df',
    'editorWarning-foreground': '#ffd370',
    'editorError-foreground': '#f48771',
    'notifications-background': '#000000',
    'notifications-foreground': '#ffffff',
    'notifications-border': '#6fc3df',
    'editorWidget-background': '#0c141f',
    'testing-iconPassed': '#73c991',
    'editorCursor-foreground': '#ffffff',
    'debugTokenExpression-name': '#ffffff',
    'debugTokenExpression-string': '#ce9178',
    'debugTokenExpression-number': '#b5cea8',
    'debugTokenExpression-boolean': '#4e94ce',
  },
};

function themeCss(theme: Theme): string {
  const vars = Object.entries(THEMES[theme])
    .map(([k, v]) => `  --vscode-${k}: ${v};`)
    .join('\n');
  const bg = theme === 'light' ? '#f8f8f8' : theme === 'dark' ? '#181818' : '#000000';
  return `html {\n${vars}\n}\nbody { background-color: ${bg}; }\n`;
}

const BODY_CLASS: Record<Theme, string> = { dark: 'vscode-dark', light: 'vscode-light', hc: 'vscode-high-contrast' };

function pageHtml(theme: Theme, initialState: unknown): string {
  const base = renderHtml(
    {
      cspSource: ORIGIN,
      scriptUri: `${ORIGIN}/webview.js`,
      styleUri: `${ORIGIN}/webview.css`,
      codiconsUri: `${ORIGIN}/codicons/codicon.css`,
    },
    NONCE,
  );
  // What VS Code adds around the extension's HTML: theme variables, the theme class, acquireVsCodeApi.
  const fake = `<script nonce="${NONCE}">
window.__posts = []; window.__violations = []; window.__state = ${JSON.stringify(initialState ?? null)};
document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });
window.acquireVsCodeApi = (function () {
  var acquired = false;
  return function () {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: function (m) { window.__posts.push(JSON.parse(JSON.stringify(m))); },
      getState: function () { return window.__state; },
      setState: function (s) { window.__state = JSON.parse(JSON.stringify(s)); return s; }
    };
  };
})();
</script>`;
  return base
    .replace('</head>', `<link rel="stylesheet" href="${ORIGIN}/theme-${theme}.css">\n</head>`)
    .replace('<body>', `<body class="${BODY_CLASS[theme]}" data-vscode-theme-kind="${BODY_CLASS[theme]}">\n${fake}`);
}

export interface AppPage {
  page: Page;
  frame: Frame;
  /** Every message the view posted so far. */
  posts(): Promise<WebviewMessage[]>;
  /** Posts of one type. */
  postsOf<T extends WebviewMessage['type']>(type: T): Promise<Extract<WebviewMessage, { type: T }>[]>;
  clearPosts(): Promise<void>;
  /** Delivers a host message as VS Code does (a window message event). */
  send(...msgs: HostMessage[]): Promise<void>;
  state(): Promise<unknown>;
  violations(): Promise<string[]>;
  /** Requests that went anywhere but the fake origin's known files. */
  strayRequests: string[];
  pageErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenOptions {
  theme?: Theme;
  width?: number;
  height?: number;
  /** What `getState()` returns at start (a webview recreated after being hidden). */
  state?: unknown;
}

export async function openApp(browser: Browser, opts: OpenOptions = {}): Promise<AppPage> {
  const theme = opts.theme ?? 'dark';
  for (const f of ['webview.js', 'webview.css', 'codicons/codicon.css', 'codicons/codicon.ttf']) {
    if (!fs.existsSync(path.join(DIST, f))) throw new Error(`dist/${f} is missing: run "node esbuild.mjs" first`);
  }
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 420, height: opts.height ?? 720 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const strayRequests: string[] = [];
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(ORIGIN + '/')) {
      strayRequests.push(url);
      return route.abort();
    }
    const rel = url.slice(ORIGIN.length + 1).split('?')[0];
    if (rel === 'index.html')
      return route.fulfill({ status: 200, contentType: 'text/html', body: pageHtml(theme, opts.state) });
    const m = /^theme-(dark|light|hc)\.css$/.exec(rel);
    if (m) return route.fulfill({ status: 200, contentType: 'text/css', body: themeCss(m[1] as Theme) });
    const file = path.join(DIST, rel);
    if (!file.startsWith(DIST + path.sep) || !fs.existsSync(file)) {
      strayRequests.push(url);
      return route.fulfill({ status: 404, body: '' });
    }
    const type = rel.endsWith('.js')
      ? 'text/javascript'
      : rel.endsWith('.css')
        ? 'text/css'
        : rel.endsWith('.ttf')
          ? 'font/ttf'
          : 'application/octet-stream';
    return route.fulfill({ status: 200, contentType: type, body: fs.readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as any).__posts?.some((m: any) => m.type === 'ready'));
  await page.evaluate(() => document.fonts.ready);
  const frame = page.mainFrame();
  const app: AppPage = {
    page,
    frame,
    strayRequests,
    pageErrors,
    posts: () => page.evaluate(() => (window as any).__posts as WebviewMessage[]),
    async postsOf(type) {
      const all = await app.posts();
      return all.filter((m) => m.type === type) as any;
    },
    clearPosts: () =>
      page.evaluate(() => {
        (window as any).__posts = [];
      }),
    async send(...msgs) {
      for (const msg of msgs) await page.evaluate((m) => window.postMessage(m, '*'), msg as unknown);
      // Message events are async: wait until they have been dispatched.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
    },
    state: () => page.evaluate(() => (window as any).__state),
    violations: () => page.evaluate(() => (window as any).__violations as string[]),
    async screenshot(name) {
      const dir = path.join(ROOT, 'test-results');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    close: () => context.close(),
  };
  return app;
}

/**
 * Closes a test's page; after a test that passed, fails on any Content-Security-Policy violation, request outside
 * the extension assets or script error the page saw (call it from `afterEach`).
 */
export async function closeAndCheck(app: AppPage | undefined, test: Mocha.Test | undefined): Promise<void> {
  if (!app) return;
  const violations = await app.violations();
  const { strayRequests, pageErrors } = app;
  await app.close();
  if (test?.state === 'failed') return;
  assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
  assert.deepEqual(strayRequests, [], 'no request outside the extension assets');
  assert.deepEqual(pageErrors, [], 'no script errors');
}

/**
 * Mocha hooks for a suite of app tests: one browser for the suite, a fresh page per test, and after each passing
 * test the checks every page must pass (no CSP violation, no stray request, no script error). Returns the page.
 */
export function useAppPage(opts: OpenOptions = {}): { app(): AppPage; browser(): Browser } {
  let browser: Browser;
  let app: AppPage | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    app = await openApp(browser, opts);
  });
  afterEach(async function () {
    const done = app;
    app = undefined;
    await closeAndCheck(done, this.currentTest);
  });
  return {
    app: () => {
      if (!app) throw new Error('no app page: useAppPage() hooks have not run');
      return app;
    },
    browser: () => browser,
  };
}
