// Helpers for the browser tests and benchmarks: launch Debian's Chromium through playwright-core, bundle
// browser code with esbuild, and open a page that runs it. No network: pages are set from strings.
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Repository root (this file runs from out/test/browser/ or out/bench/). */
export const ROOT = findRoot(__dirname);

function findRoot(dir: string): string {
  const fs = require('node:fs') as typeof import('node:fs');
  let d = dir;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'esbuild.mjs'))) return d;
    d = path.dirname(d);
  }
  return process.cwd();
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

const bundles = new Map<string, Promise<string>>();

/** Bundles a browser entry (path relative to the repo root) into one IIFE script; cached per process. */
export function bundle(entry: string, opts: { minify?: boolean } = {}): Promise<string> {
  const key = `${entry}|${opts.minify ? 1 : 0}`;
  let p = bundles.get(key);
  if (!p) {
    p = (async () => {
      const esbuild = require('esbuild') as typeof import('esbuild');
      const out = await esbuild.build({
        entryPoints: [path.join(ROOT, entry)],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        minify: !!opts.minify,
        logLevel: 'silent',
      });
      return out.outputFiles[0].text;
    })();
    bundles.set(key, p);
  }
  return p;
}

/** The webview's Content-Security-Policy, minus the nonce: nothing remote can load in test pages either. */
export const TEST_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/**
 * Opens a blank page (with a CSP that blocks every remote load), then runs `scripts` in order.
 * `html` is the body markup. Requests that leave the page are aborted and recorded in `blocked`.
 */
export async function openPage(
  browser: Browser,
  opts: { scripts: string[]; html?: string; css?: string },
): Promise<Page & { blocked: string[] }> {
  const context = await browser.newContext();
  const page = (await context.newPage()) as Page & { blocked: string[] };
  page.blocked = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('http://bud.test/'))
      return route.fulfill({ status: 200, contentType: 'text/html', body: pageHtml(opts.html ?? '', opts.css) });
    page.blocked.push(url);
    return route.abort();
  });
  await page.goto('http://bud.test/');
  for (const s of opts.scripts) await page.addScriptTag({ content: s });
  return page;
}

function pageHtml(body: string, css?: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${TEST_CSP}">` +
    `${css ? `<style>${css}</style>` : ''}</head><body>${body}</body></html>`
  );
}

/** Closes a page and its context. */
export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}
