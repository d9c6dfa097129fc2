// The XSS corpus (test/fixtures/xss-payloads.ts) through the real Markdown renderer (src/webview-app/markdown)
// in Chromium, twice: once with no Content-Security-Policy (the sanitiser alone must hold) and once with the
// webview's CSP (no violation may even be attempted). Each payload is rendered whole (renderMarkdown) and
// streamed in small pieces (createStreamingRenderer), and after each:
//   - zero script executions (payload markers call top.__pwn(n); dialogs are counted),
//   - zero requests leaving the page (every request except the harness page and bundle is aborted and counted),
//   - every a[href] is http/https/mailto, no on* attribute, no style attribute,
//     no script/iframe/object/embed/form/base/meta/link/style/... element, no clobbering id/name,
//   - clicking every link runs nothing. CSP violation events are recorded (test-results) but not failed:
//     Chromium raises them while the sanitiser parses its inert input, where nothing runs or loads.
// Heavy payloads (1 MB lines, 5,000-level nesting) are timed; they must finish within a generous bound.
// Results are written to test-results/xss-browser.json (the source of test/SECURITY-CASES.md).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as esbuild from 'esbuild';
import type { Browser, Page, Request } from 'playwright-core';
import { launchBrowser, ROOT } from './support';
import {
  PAYLOADS,
  materialize,
  FORBIDDEN_ELEMENTS,
  PROTECTED_NAMES,
  SAFE_LINK_SCHEMES,
  type XssPayload,
} from '../fixtures/xss-payloads';

const ORIGIN = 'http://bud-xss.test';
const EXFIL = 'https://attacker.test/x';
const RENDERER = process.env.BUD_RENDERER_ENTRY ?? path.join(ROOT, 'src/webview-app/markdown/index.ts');
/** "Finished" bound for a heavy payload: a hang, not a speed target (speed is for `npm run bench`). */
const HEAVY_BOUND_MS = 60_000; // the slowest heavy payload takes ~9 s here; emphasis runs took minutes before the inline budget

interface Finding {
  payload: string;
  mode: string;
  path: 'whole' | 'stream';
  problems: string[];
  ms: number;
  csp?: string[];
}
const results: Finding[] = [];

function bundleRenderer(): string {
  const out = esbuild.buildSync({
    stdin: {
      contents: `import { renderMarkdown, createStreamingRenderer } from ${JSON.stringify(RENDERER)};\n(window as any).__bud = { renderMarkdown, createStreamingRenderer };`,
      loader: 'ts',
      resolveDir: ROOT,
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const NONCE = 'xssTestNonce0123456789';
function pageHtml(csp: boolean): string {
  const policy = `default-src 'none'; script-src 'nonce-${NONCE}'; style-src ${ORIGIN}; img-src ${ORIGIN} data:; font-src ${ORIGIN}`;
  return `<!doctype html><html><head><meta charset="utf-8">${csp ? `<meta http-equiv="Content-Security-Policy" content="${policy}">` : ''}
<title>xss</title>
<script nonce="${NONCE}">
window.__pwned = []; window.__violations = [];
window.__pwn = function (n) { window.__pwned.push(n); };
document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });
</script></head>
<body><div id="messages" role="log"></div><textarea id="input" aria-label="Message Bud"></textarea><button id="send">Send</button>
<script nonce="${NONCE}" src="${ORIGIN}/bundle.js"></script></body></html>`;
}

/** Renders `text` into a fresh `.message.assistant .content`; resolves with the duration. Runs in the page. */
async function renderIn(page: Page, text: string, how: 'whole' | 'stream'): Promise<{ ms: number; error?: string }> {
  return page.evaluate(
    async ({ text, how }) => {
      const w = window as any;
      const list = document.getElementById('messages')!;
      list.textContent = '';
      const msg = document.createElement('div');
      msg.className = 'message assistant';
      const content = document.createElement('div');
      content.className = 'content';
      msg.appendChild(content);
      list.appendChild(msg);
      const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
      const t0 = performance.now();
      try {
        if (how === 'whole') {
          w.__bud.renderMarkdown(content, text);
        } else {
          const r = w.__bud.createStreamingRenderer(content);
          // Small pieces for small payloads (every partial state gets rendered); big ones in ~24 pieces (8 frames).
          // A heavy payload is one block, re-rendered whole at each frame while it is open, so the cost grows with
          // frames × size: 200 pieces made the heavy cases most of this layer's time (up to 45 s each) without
          // testing anything more — they are hang detectors, and the renderer's speed is measured by the bench.
          const size = text.length > 20_000 ? Math.ceil(text.length / 24) : 7;
          for (let i = 0, k = 0; i < text.length; i += size, k++) {
            r.append(text.slice(i, i + size));
            if (k % 3 === 2) await frame();
          }
          r.finish();
        }
      } catch (e) {
        return { ms: performance.now() - t0, error: String((e as Error)?.stack ?? e).slice(0, 500) };
      }
      await frame();
      return { ms: performance.now() - t0 };
    },
    { text, how },
  );
}

/** DOM checks on the rendered output; returns problems found. Runs in the page. */
async function inspect(page: Page): Promise<string[]> {
  return page.evaluate(
    ({ forbidden, safe, names }) => {
      const problems: string[] = [];
      const root = document.querySelector('#messages .content')!;
      for (const sel of forbidden) {
        const n = root.querySelectorAll(sel).length;
        if (n) problems.push(`<${sel}> element x${n}`);
      }
      const all = root.querySelectorAll('*');
      for (const el of Array.from(all)) {
        for (const a of Array.from(el.attributes)) {
          const name = a.name.toLowerCase();
          if (name.startsWith('on')) problems.push(`${el.localName}[${name}]`);
          if (name === 'style') problems.push(`${el.localName}[style]`);
          if ((name === 'id' || name === 'name') && names.includes(a.value))
            problems.push(`${el.localName}[${name}=${a.value}] clobbers`);
          if (/^(src|srcset|poster|background|data|action|formaction|lowsrc|dynsrc|codebase|xlink:href)$/.test(name)) {
            const v = a.value.trim();
            if (v && !/^data:/i.test(v) && !(el.localName === 'a'))
              problems.push(`${el.localName}[${name}=${v.slice(0, 60)}]`);
          }
        }
      }
      for (const a of Array.from(root.querySelectorAll('a[href], area[href]'))) {
        const raw = a.getAttribute('href')!;
        let scheme: string;
        try {
          scheme = new URL(raw, 'http://relative.invalid/').protocol;
        } catch {
          scheme = 'invalid:';
        }
        if (!safe.includes(scheme)) problems.push(`link href=${raw.slice(0, 60)}`);
        else if (/^\s*[^:/?#]+:/.test(raw) === false) problems.push(`relative link href=${raw.slice(0, 60)}`);
        if (a.hasAttribute('target')) problems.push(`link target=${a.getAttribute('target')}`);
      }
      for (const el of Array.from(root.querySelectorAll('[href]:not(a):not(area)'))) {
        problems.push(`${el.localName}[href=${el.getAttribute('href')!.slice(0, 60)}]`);
      }
      if (document.getElementById('messages') !== root.closest('#messages')) problems.push('#messages clobbered');
      const d = document as any;
      if (typeof d.getElementById !== 'function' || typeof d.createElement !== 'function')
        problems.push('document methods clobbered');
      return problems;
    },
    { forbidden: FORBIDDEN_ELEMENTS, safe: SAFE_LINK_SCHEMES, names: PROTECTED_NAMES },
  );
}

/** Clicks every link (http/https/mailto clicks are cancelled, as the app does); any javascript: left would run. */
async function clickAll(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const root = document.querySelector('#messages .content')!;
    const guard = (e: Event) => {
      const a = (e.target as Element).closest('a');
      const h = a?.getAttribute('href') ?? '';
      if (/^(https?:|mailto:)/i.test(h.trim())) e.preventDefault();
    };
    document.addEventListener('click', guard, true);
    for (const a of Array.from(root.querySelectorAll('a, area, button'))) {
      a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
    }
    await new Promise((r) => setTimeout(r, 30));
    document.removeEventListener('click', guard, true);
  });
}

for (const mode of ['no CSP (sanitiser alone)', 'webview CSP'] as const) {
  describe(`XSS corpus through the real renderer in Chromium — ${mode}`, function () {
    this.timeout(120_000);
    let browser: Browser;
    let page: Page;
    const leaked: string[] = [];
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    const navigations: string[] = [];
    let armed = false;
    let bundle = '';

    before(async function () {
      bundle = bundleRenderer();
      browser = await launchBrowser();
      const context = await browser.newContext();
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (url === `${ORIGIN}/`)
          return route.fulfill({ contentType: 'text/html', body: pageHtml(mode === 'webview CSP') });
        if (url === `${ORIGIN}/bundle.js`) return route.fulfill({ contentType: 'text/javascript', body: bundle });
        return route.abort('blockedbyclient');
      });
      page = await context.newPage();
      page.on('request', (r: Request) => {
        const url = r.url();
        if (
          url !== `${ORIGIN}/` &&
          url !== `${ORIGIN}/bundle.js` &&
          !url.startsWith('data:') &&
          !url.startsWith('about:')
        )
          leaked.push(url);
      });
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      });
      page.on('pageerror', (e) => {
        pageErrors.push(e.message);
      });
      page.on('popup', (p) => {
        leaked.push(`popup ${p.url()}`);
        void p.close();
      });
      page.on('framenavigated', (f) => {
        if (armed) navigations.push(`${f === page.mainFrame() ? 'page' : 'frame'} -> ${f.url()}`);
      });
      await fresh();
      const ok = await page.evaluate(() => typeof (window as any).__bud?.renderMarkdown === 'function');
      assert.ok(ok, 'renderer bundle did not load');
    });

    /** (Re)loads the harness page if a previous payload navigated it away or replaced its globals. */
    async function fresh(): Promise<void> {
      const okNow = await page
        .evaluate(() => Array.isArray((window as any).__pwned) && !!(window as any).__bud)
        .then(
          (ok) => ok && page.url() === `${ORIGIN}/`,
          () => false,
        );
      if (okNow) {
        await page.evaluate(() => {
          (window as any).__pwned.length = 0;
          (window as any).__violations.length = 0;
        });
        return;
      }
      armed = false;
      await page.goto(`${ORIGIN}/`);
      armed = true;
    }

    after(async () => {
      await browser?.close();
      const file = path.join(ROOT, 'test-results', 'xss-browser.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      let prev: Finding[] = [];
      try {
        prev = JSON.parse(fs.readFileSync(file, 'utf8')).results ?? [];
      } catch {
        /* first run */
      }
      const mine = new Set(results.map((r) => `${r.mode}|${r.payload}|${r.path}`));
      const merged = [...prev.filter((r) => !mine.has(`${r.mode}|${r.payload}|${r.path}`)), ...results];
      fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), results: merged }, null, 1));
    });

    // The heavy payloads are size and nesting stress with no script vector: whether the page stays responsive does not
    // depend on the CSP, so they run once, in the stricter pass without it (they were a third of this layer's time).
    for (const p of mode === 'webview CSP' ? PAYLOADS.filter((x) => !x.heavy) : PAYLOADS) {
      it(`${p.id}: ${p.title}`, async function () {
        if (p.heavy) this.timeout(HEAVY_BOUND_MS * 2 + 30_000);
        const text = materialize(p, (n) => `top.__pwn(${n})`, EXFIL);
        const problems: string[] = [];
        for (const how of ['whole', 'stream'] as const) {
          await fresh();
          leaked.length = 0;
          dialogs.length = 0;
          pageErrors.length = 0;
          navigations.length = 0;
          const found: string[] = [];
          let ms = 0;
          let csp: string[] = [];
          try {
            const r = await renderIn(page, text, how);
            ms = r.ms;
            if (r.error) found.push(`renderer threw: ${r.error}`);
            if (p.heavy && r.ms > HEAVY_BOUND_MS) found.push(`took ${Math.round(r.ms)} ms (bound ${HEAVY_BOUND_MS})`);
            if (p.heavy) {
              const chars = await page.evaluate(() => document.querySelector('#messages .content')!.textContent.length);
              if (chars === 0) found.push('nothing rendered');
            }
            found.push(...(await inspect(page)));
            await clickAll(page);
            await page.waitForTimeout(p.heavy ? 50 : 20);
            const state = await page.evaluate(() => ({
              pwned: [...(window as any).__pwned],
              violations: [...(window as any).__violations],
            }));
            if (state.pwned.length) found.push(`script ran: ${state.pwned.join(',')}`);
            // Violations are noted, not failed: Chromium reports them while the sanitiser parses its inert input
            // (inline handlers, and once a <track src> of an element the sanitiser then drops) although nothing
            // runs or loads there. What would run or load is failed above and below: executions, the DOM, and
            // the request log (the no-CSP pass proves no request is even attempted).
            csp = state.violations;
          } catch (e) {
            found.push(`page lost its document: ${String((e as Error).message).split('\n')[0]}`);
          }
          if (dialogs.length) found.push(`dialog: ${dialogs.join('; ')}`);
          if (leaked.length) found.push(`requests: ${leaked.map((u) => u.slice(0, 80)).join(', ')}`);
          if (navigations.length) found.push(`navigated: ${navigations.join(', ').slice(0, 200)}`);
          // The page must still answer promptly after the payload.
          const alive = await Promise.race([page.evaluate(() => 1 + 1), sleep(10_000, 0)]);
          if (alive !== 2) found.push('page unresponsive after render');
          results.push({ payload: p.id, mode, path: how, problems: found, ms: Math.round(ms), csp });
          problems.push(...found.map((f) => `[${how}] ${f}`));
        }
        assert.deepEqual(problems, [], `${p.id} (${p.title})`);
      });
    }
  });
}

export type { XssPayload };
