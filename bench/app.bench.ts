// Extension-level numbers: activation time, bundle and VSIX sizes, and restoring a long chat in the real
// webview bundle (200 messages, ~1M characters) with scrolling through it, beside rendering every message
// eagerly with the naive renderer (marked + DOMPurify + innerHTML), the usual way; with the page's JS heap and
// DOM node count right after the restore (after a forced GC).
//
// Activation: a fresh Node process loads dist/extension.js with a stub `vscode` module (every API is a no-op
// proxy) and times require + activate(fakeContext); median of several processes. What VS Code itself does
// around activation (reading package.json, the extension host) is not included.
//
// Called by bench/run.mjs: `export default async function run(): Promise<Record<string, unknown>>`.
// Env: BUD_BENCH_ACTIVATIONS (default 9), BUD_BENCH_SKIP_VSIX=1 to skip `npm run package`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HostMessage, MessageView } from '../src/protocol';
import type { Page } from 'playwright-core';
import { ROOT, bundle, closePage, launchBrowser, openPage } from '../test/browser/support';
import { pageMemory, type PageMemory } from './memory';
import { syntheticAnswer } from './synthetic-answer';
import type { BudTestApi } from '../test/browser/pages/renderer.page';

declare const budTest: BudTestApi;

const r2 = (x: number) => Math.round(x * 100) / 100;
/** Restore runs of each kind (interleaved); the median is reported. */
const RESTORE_RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs in a child process: stub `vscode`, load the bundle, activate, print the timings as JSON. */
const ACTIVATE_SCRIPT = String.raw`
const Module = require('node:module');
function stub(name) {
  const fn = function () { return stub(name + '()'); };
  const cache = {};
  return new Proxy(fn, {
    get(t, p) {
      if (p === 'then') return undefined;
      if (p === Symbol.toPrimitive) return () => '';
      if (p === Symbol.iterator) return function* () {};
      if (p === 'dispose') return () => {};
      if (p === 'event') return () => ({ dispose() {} });
      if (typeof p === 'symbol') return undefined;
      if (p === '__esModule') return false;
      if (!(p in cache)) cache[p] = stub(name + '.' + String(p));
      return cache[p];
    },
    apply() { return stub(name + '()'); },
    construct() { return stub('new ' + name); },
  });
}
// Every top-level export of the real API (names from @types/vscode), each a no-op proxy: esbuild's
// import-star helper copies the module's own properties, so they must exist up front.
const vscode = {};
for (const n of JSON.parse(process.env.BUD_VSCODE_NAMES || '[]')) vscode[n] = stub('vscode.' + n);
const origLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  return origLoad.apply(this, arguments);
};
const memento = () => ({ get: (k, d) => d, update: async () => {}, keys: () => [], setKeysForSync() {} });
const uri = (p) => ({ fsPath: p, path: p, scheme: 'file', toString: () => 'file://' + p, with() { return this; } });
const context = {
  subscriptions: [],
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
  globalState: memento(), workspaceState: memento(),
  extensionUri: uri(process.cwd()), extensionPath: process.cwd(),
  globalStorageUri: uri('/tmp/bud-bench-global'), storageUri: uri('/tmp/bud-bench-ws'), logUri: uri('/tmp/bud-bench-log'),
  extensionMode: 1, extension: { id: 'bud-studio.bud-chat', packageJSON: require(process.cwd() + '/package.json'), extensionUri: uri(process.cwd()) },
  asAbsolutePath: (p) => process.cwd() + '/' + p,
  environmentVariableCollection: stub('envCollection'),
};
const t0 = performance.now();
const ext = require(process.cwd() + '/dist/extension.js');
const t1 = performance.now();
Promise.resolve(ext.activate(context)).then(() => {
  const t2 = performance.now();
  const lazy = (f) => Object.keys(require.cache).some((k) => k.endsWith('/dist/' + f));
  process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, subscriptions: context.subscriptions.length, tokenizerLoaded: lazy('tokenizer.js'), undiciLoaded: lazy('undici.js') }));
  process.exit(0);
}, (e) => { console.error(e && e.stack || e); process.exit(1); });
`;

/** Names exported by the `vscode` module, read from its type declarations. */
function vscodeExportNames(): string[] {
  const dts = readFileSync(path.join(ROOT, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of dts.matchAll(/^\t(?:export )?(?:namespace|class|enum|const|function|let) (\w+)/gm)) names.add(m[1]);
  for (const m of dts.matchAll(/^ {4}(?:export )?(?:namespace|class|enum|const|function|let) (\w+)/gm)) names.add(m[1]);
  return [...names];
}

function activation(runs: number): Record<string, unknown> {
  const names = JSON.stringify(vscodeExportNames());
  const samples: {
    requireMs: number;
    activateMs: number;
    totalMs: number;
    subscriptions: number;
    tokenizerLoaded: boolean;
    undiciLoaded: boolean;
  }[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', ACTIVATE_SCRIPT], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, BUD_TEST_MODE: '', BUD_VSCODE_NAMES: names },
    });
    if (r.status !== 0) return { error: (r.stderr || r.stdout).slice(0, 800) };
    samples.push(JSON.parse(r.stdout));
  }
  return {
    runs,
    requireMs: r2(median(samples.map((s) => s.requireMs))),
    activateMs: r2(median(samples.map((s) => s.activateMs))),
    totalMs: r2(median(samples.map((s) => s.totalMs))),
    disposablesRegistered: samples[0].subscriptions,
    /** The lazily required bundles stay unloaded while the extension activates. */
    tokenizerLoadedAtActivation: samples.some((s) => s.tokenizerLoaded),
    undiciLoadedAtActivation: samples.some((s) => s.undiciLoaded),
    goal: 'totalMs <= 50',
    goalMet: median(samples.map((s) => s.totalMs)) <= 50,
  };
}

function sizes(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of ['dist/extension.js', 'dist/undici.js', 'dist/tokenizer.js', 'dist/webview.js', 'dist/webview.css']) {
    const p = path.join(ROOT, f);
    if (!existsSync(p)) {
      out[f] = 'missing';
      continue;
    }
    const buf = readFileSync(p);
    out[f] = { bytes: buf.length, kb: r2(buf.length / 1024), gzipKb: r2(gzipSync(buf).length / 1024) };
  }
  return out;
}

function vsix(): Record<string, unknown> {
  if (process.env.BUD_BENCH_SKIP_VSIX === '1') return { skipped: true };
  const started = Date.now();
  const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  const dir = path.join(ROOT, 'dist-vsix');
  // the newest .vsix written by this run (the file name carries the version)
  const made = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.vsix'))
        .map((f) => ({ f, t: statSync(path.join(dir, f)).mtimeMs }))
        .filter((x) => x.t >= started - 1000)
        .sort((a, b) => b.t - a.t)
    : [];
  if (r.status !== 0 || made.length === 0)
    return { error: `npm run package failed: ${(r.stderr || r.stdout).slice(-600)}` };
  const bytes = statSync(path.join(dir, made[0].f)).size;
  return {
    file: `dist-vsix/${made[0].f}`,
    bytes,
    kb: r2(bytes / 1024),
    goal: "under 2 MB (the tokenizer's rank table is about 1 MB compressed)",
    goalMet: bytes < 2 * 1024 * 1024,
  };
}

/** 200 messages, alternating user / assistant, about 1M characters in all. */
function longChat(): { messages: MessageView[]; chars: number } {
  const messages: MessageView[] = [];
  let chars = 0;
  for (let i = 0; i < 200; i++) {
    const user = i % 2 === 0;
    const content = user
      ? `Question ${i}: how do I make the renderer handle a ${i}-line table and keep scrolling smooth?`
      : syntheticAnswer(2_450, 2, 1000 + i);
    chars += content.length;
    messages.push({
      id: `m${i}`,
      role: user ? 'user' : 'assistant',
      content,
      status: 'complete',
      createdAt: 1_700_000_000_000 + i * 1000,
    });
  }
  return { messages, chars };
}

interface RestoreResult {
  restoreMs: number;
  /** right after the restore, after a forced GC (Chrome DevTools Protocol `Performance.getMetrics`) */
  memory?: PageMemory;
  messagesInDom: number;
  renderedAnswers: number;
  /** only in the first run of each kind (a scroll through ~300,000 px takes half a minute) */
  scroll?: {
    frames: number;
    rafIntervalP95: number;
    rafIntervalMax: number;
    longTasks: number;
    longTaskMaxMs: number;
    scrolledPx: number;
    renderedAfterScroll: number;
  };
}

/** Runs in the page (self-contained). */
async function restoreInPage(a: { init: HostMessage; mode: 'app' | 'naive'; scroll: boolean }): Promise<RestoreResult> {
  const frame = () => new Promise<number>((res) => requestAnimationFrame((t) => res(t)));
  const pct = (xs: number[], p: number) =>
    xs.length ? [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : 0;
  const longTasks: number[] = [];
  const po = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) longTasks.push(e.duration);
  });
  po.observe({ type: 'longtask' });
  let scroller: HTMLElement;
  const init = a.init as Extract<HostMessage, { type: 'init' }>;
  await frame();
  const t0 = performance.now();
  if (a.mode === 'app') {
    window.postMessage(init, '*');
    // rendered: every message is in the list and the newest answer shows its text, painted
    for (;;) {
      await frame();
      const list = document.querySelectorAll('#messages .message');
      const last = document.querySelector(
        '#messages .message.assistant:last-of-type .content, #messages .message.assistant:last-child .content',
      );
      if (list.length >= init.chat.messages.length && last && (last.textContent ?? '').length > 0) break;
      if (performance.now() - t0 > 60_000) break;
    }
    scroller = document.getElementById('messages') as HTMLElement;
  } else {
    scroller = document.createElement('div');
    scroller.style.cssText = 'height: 100vh; overflow: auto';
    document.body.replaceChildren(scroller);
    for (const m of init.chat.messages) {
      const el = document.createElement('div');
      if (m.role === 'assistant') budTest.renderNaive(el, m.content);
      else el.textContent = m.content;
      scroller.appendChild(el);
    }
    scroller.scrollTop = scroller.scrollHeight;
    await frame();
  }
  await frame();
  const restoreMs = performance.now() - t0;
  // let the bench read memory now (it calls __resume when done)
  await new Promise<void>((resume) => Object.assign(window, { __restored: true, __resume: resume }));
  longTasks.length = 0;
  const count = () => document.querySelectorAll('[data-lazy="pending"], .message[data-deferred="true"]').length;
  const messagesInDom =
    a.mode === 'app' ? document.querySelectorAll('#messages .message').length : scroller.childElementCount;
  const renderedAnswers =
    a.mode === 'app'
      ? Array.from(document.querySelectorAll('#messages .message.assistant .content')).filter(
          (c) => c.childElementCount > 0,
        ).length
      : init.chat.messages.length / 2;
  // scroll from the bottom to the top, 200 px a frame (12,000 px/s at 60 Hz: a fast wheel)
  const intervals: number[] = [];
  let last = await frame();
  let scrolled = 0;
  for (let i = 0; i < 5000 && a.scroll && scroller.scrollTop > 0; i++) {
    scroller.scrollTop -= 200;
    scrolled += 200;
    const t = await frame();
    intervals.push(t - last);
    last = t;
  }
  await new Promise((r) => setTimeout(r, 50));
  po.disconnect();
  const renderedAfterScroll =
    a.mode === 'app'
      ? Array.from(document.querySelectorAll('#messages .message.assistant .content')).filter(
          (c) => c.childElementCount > 0,
        ).length
      : renderedAnswers;
  void count;
  return {
    restoreMs: Math.round(restoreMs * 10) / 10,
    messagesInDom,
    renderedAnswers,
    scroll: !a.scroll
      ? undefined
      : {
          frames: intervals.length,
          rafIntervalP95: Math.round(pct(intervals, 95) * 10) / 10,
          rafIntervalMax: Math.round(Math.max(0, ...intervals) * 10) / 10,
          longTasks: longTasks.filter((d) => d > 50).length,
          longTaskMaxMs: Math.round(Math.max(0, ...longTasks)),
          scrolledPx: scrolled,
          renderedAfterScroll,
        },
  };
}

async function restore(): Promise<Record<string, unknown>> {
  const webviewJs = path.join(ROOT, 'dist/webview.js');
  if (!existsSync(webviewJs)) return { error: 'dist/webview.js missing (build first)' };
  const { messages, chars } = longChat();
  const init: HostMessage = {
    type: 'init',
    status: {
      model: 'bench-model',
      hasApiKey: true,
      keySource: 'secretStorage',
      baseUrl: 'http://127.0.0.1:9',
      busy: false,
      toolsEnabled: false,
    },
    chat: { id: 'bench', title: 'Long chat', messages },
    chats: [{ id: 'bench', title: 'Long chat', updatedAt: 1_700_000_000_000, messageCount: messages.length }],
    pendingContexts: [],
  };
  const browser = await launchBrowser();
  try {
    const css = readFileSync(path.join(ROOT, 'dist/webview.css'), 'utf8');
    const fakeApi = `window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });`;
    const naiveScript = await bundle('test/browser/pages/renderer.page.ts', { minify: true });
    const appWebview = readFileSync(webviewJs, 'utf8');
    let ready = true;
    /** Restores in `page`, reading the page's memory right after the restore (before scrolling). */
    const restoreIn = async (page: Page, mode: 'app' | 'naive', scroll: boolean): Promise<RestoreResult> => {
      const running = page.evaluate(restoreInPage, { init, mode, scroll });
      await page.waitForFunction(() => (window as unknown as { __restored?: boolean }).__restored === true, undefined, {
        timeout: 120_000,
        polling: 50,
      });
      const memory = await pageMemory(page);
      await page.evaluate(() => (window as unknown as { __resume: () => void }).__resume());
      return { ...(await running), memory };
    };
    const runApp = async (scroll: boolean): Promise<RestoreResult> => {
      const app = await openPage(browser, {
        html: '<div id="root"></div>',
        css: `body{margin:0;width:400px;height:800px} ${css}`,
        scripts: [fakeApi, appWebview],
      });
      try {
        await app.setViewportSize({ width: 400, height: 800 });
        ready &&= await app.evaluate(() =>
          (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
        );
        return await restoreIn(app, 'app', scroll);
      } finally {
        await closePage(app);
      }
    };
    const runNaive = async (scroll: boolean): Promise<RestoreResult> => {
      const page = await openPage(browser, {
        html: '',
        css: 'body{margin:0;width:400px;height:800px}',
        scripts: [naiveScript],
      });
      try {
        await page.setViewportSize({ width: 400, height: 800 });
        return await restoreIn(page, 'naive', scroll);
      } finally {
        await closePage(page);
      }
    };
    // three of each, interleaved (app, naive, app, …); the run with the median restore time is reported, with the
    // scroll of the first run
    const apps: RestoreResult[] = [];
    const naives: RestoreResult[] = [];
    for (let i = 0; i < RESTORE_RUNS; i++) {
      apps.push(await runApp(i === 0));
      naives.push(await runNaive(i === 0));
    }
    const mid = (xs: RestoreResult[]) => ({
      ...[...xs].sort((a, b) => a.restoreMs - b.restoreMs)[Math.floor(xs.length / 2)],
      scroll: xs[0].scroll,
    });
    const ours = mid(apps);
    const naive = mid(naives);
    return {
      messages: messages.length,
      chars,
      runs: RESTORE_RUNS,
      webviewSaidReady: ready,
      app: ours,
      naiveEager: naive,
      appRestoreMsAll: apps.map((r) => r.restoreMs),
      naiveRestoreMsAll: naives.map((r) => r.restoreMs),
      restoreRatioNaiveOverApp: r2(naive.restoreMs / ours.restoreMs),
    };
  } finally {
    await browser.close();
  }
}

const memoryText = (m: RestoreResult['memory']) => (m ? `${m.jsHeapUsedMB} / ${m.domNodes}` : 'n/a');

export default async function run(): Promise<Record<string, unknown>> {
  const runs = Number(process.env.BUD_BENCH_ACTIVATIONS ?? 9);
  // packaging builds the production bundles into dist/ first; sizes and activation are measured right after
  const pkg = vsix();
  const size = sizes();
  const act = activation(runs);
  const rest = await restore();
  const s = (k: string) => (size[k] as { kb?: number })?.kb;
  return {
    app: {
      activation: act,
      bundles: size,
      vsix: pkg,
      restore: rest,
      summary: {
        'activation total ms (require + activate, median)': act.totalMs ?? act.error,
        'dist/extension.js KB': s('dist/extension.js'),
        'dist/undici.js KB (loaded at the first request)': s('dist/undici.js'),
        'dist/tokenizer.js KB (loaded at the first count)': s('dist/tokenizer.js'),
        'tokenizer loaded at activation': act.tokenizerLoadedAtActivation,
        'dist/webview.js KB': s('dist/webview.js'),
        'dist/webview.css KB': s('dist/webview.css'),
        'VSIX KB': pkg.kb ?? pkg.error ?? 'skipped',
        'restore 200 msgs / ~1M chars ms (app, median of 3)':
          (rest.app as RestoreResult | undefined)?.restoreMs ?? rest.error,
        'restore ms (naive, all eager, median of 3)': (rest.naiveEager as RestoreResult | undefined)?.restoreMs,
        'restore ratio naive / app': rest.restoreRatioNaiveOverApp,
        'scroll to the top: p95 frame interval ms (app)': (rest.app as RestoreResult | undefined)?.scroll
          ?.rafIntervalP95,
        'scroll to the top: long tasks > 50 ms (app)': (rest.app as RestoreResult | undefined)?.scroll?.longTasks,
        'scroll to the top: p95 frame interval ms (naive)': (rest.naiveEager as RestoreResult | undefined)?.scroll
          ?.rafIntervalP95,
        'after restore: JS heap MB / DOM nodes (app)': memoryText((rest.app as RestoreResult | undefined)?.memory),
        'after restore: JS heap MB / DOM nodes (naive)': memoryText(
          (rest.naiveEager as RestoreResult | undefined)?.memory,
        ),
      },
    },
  };
}

if (require.main === module) {
  run().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
