// Writes test/SECURITY-CASES.md from the results the tests record:
//   test-results/xss-browser.json     (test/browser/xss.test.ts)
//   test-results/security-cases.json  (test/e2e/{faults,security,persistence,limits}.e2e.ts via securityCases.ts)
// Run from the repo root after the tests:  node test/e2e/securityCasesReport.mjs
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
const require = createRequire(import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'bud-cases-'));
esbuild.buildSync({
  entryPoints: ['test/fixtures/xss-payloads.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: join(tmp, 'payloads.js'),
  logLevel: 'silent',
});
const { PAYLOADS } = require(join(tmp, 'payloads.js'));
rmSync(tmp, { recursive: true, force: true });
const browser = JSON.parse(readFileSync('test-results/xss-browser.json', 'utf8'));
const cases = JSON.parse(readFileSync('test-results/security-cases.json', 'utf8'));
const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const EXPECT = {
  script: 'no script element, nothing runs',
  'event-handler': 'no on* attribute survives, nothing runs',
  'js-link': 'href removed (only http/https/mailto kept), click runs nothing',
  'data-link': 'href removed, click opens nothing',
  'vbscript-link': 'href removed',
  svg: 'SVG dropped (HTML profile only), nothing runs or loads',
  mathml: 'MathML dropped, nothing runs',
  mxss: 'no mutation-XSS: nothing runs after re-parse',
  iframe: 'no iframe/frame, nothing loads',
  form: 'no form/input/button, nothing submits or loads',
  'meta-base': 'no meta/base/link, no navigation or load',
  css: 'no style element/attribute, no url() load',
  'remote-image': 'image not loaded: replaced by alt text / a link',
  'remote-resource': 'no object/embed/applet/track, nothing loads',
  'command-uri': 'command: href removed, click does nothing',
  'uri-scheme': 'non-http(s)/mailto href removed',
  'unicode-trick': 'obfuscated schemes refused; text shown as text',
  'comment-breakout': 'comment stays a comment; nothing runs',
  'unclosed-tag': 'unclosed tag never becomes live markup',
  'template-injection': 'shown as text, never evaluated',
  'dom-clobbering': 'no id/name attributes: app ids and document properties intact',
  'long-line': 'renders, page stays responsive',
  'deep-nesting': 'renders (depth capped), page stays responsive',
};
const byKey = new Map();
for (const r of browser.results) byKey.set(`${r.mode}|${r.payload}|${r.path}`, r);
const e2e = new Map(cases.filter((c) => c.kind.startsWith('xss/')).map((c) => [c.case.split(':')[0], c]));
const modes = ['no CSP (sanitiser alone)', 'webview CSP'];
let rows = [];
const tally = {};
for (const p of PAYLOADS) {
  const cells = [];
  let ok = true,
    ran = false;
  for (const m of modes)
    for (const how of ['whole', 'stream']) {
      const r = byKey.get(`${m}|${p.id}|${how}`);
      if (!r) {
        // test/browser/xss.test.ts runs the heavy (stress, no script vector) payloads only without the CSP.
        cells.push(p.heavy && m === 'webview CSP' ? 'n/a (stress only)' : 'not run');
        continue;
      }
      ran = true;
      if (r.problems.length) ok = false;
      cells.push(
        r.problems.length ? `FAIL: ${r.problems.join('; ').slice(0, 160)}` : p.heavy ? `pass (${r.ms} ms)` : 'pass',
      );
    }
  const e = e2e.get(p.id);
  const eCell = e ? e.result : p.heavy ? 'browser test only' : 'not run';
  const t = (tally[p.kind] ??= { cases: 0, pass: 0, fail: 0, notrun: 0 });
  t.cases++;
  if (!ran) t.notrun++;
  else if (ok && (!e || e.result.startsWith('pass'))) t.pass++;
  else t.fail++;
  const compact = cells.every((c) => c === 'pass') ? 'pass ×4' : cells.join(' / ');
  rows.push(
    `| ${p.kind} | ${p.id}: ${esc(p.title)} | ${EXPECT[p.kind]} | ${esc(compact)} | ${esc(eCell)} | xss.test: ${p.id}${e ? '; ' + esc(e.test) : ''} |`,
  );
}
const other = cases.filter((c) => !c.kind.startsWith('xss/'));
for (const c of other) {
  const t = (tally[c.kind] ??= { cases: 0, pass: 0, fail: 0, notrun: 0 });
  t.cases++;
  if (c.result.startsWith('pass')) t.pass++;
  else t.fail++;
}
const order = ['fault', 'link', 'secret', 'persistence', 'limits'];
const out = [];
out.push('# Security and fault cases');
out.push('');
out.push(
  'Every case below was run; results are copied from the test runs (`test-results/xss-browser.json`, `test-results/security-cases.json`), not written by hand.',
);
out.push(
  `Browser run: ${browser.at}. End-to-end runs: ${[...new Set(cases.map((c) => c.at?.slice(0, 16)))].sort().slice(-1)[0] ?? '-'} (latest).`,
);
out.push('');
out.push(
  'Tests: `test/browser/xss.test.ts` (renderer bundle in Chromium: each payload rendered whole and streamed, without and with the webview CSP),',
);
out.push(
  '`test/e2e/security.e2e.ts`, `test/e2e/faults.e2e.ts`, `test/e2e/persistence.e2e.ts`, `test/e2e/limits.e2e.ts` (real extension in code-server + Chromium, local test server).',
);
out.push('Payloads: `test/fixtures/xss-payloads.ts`. Secret scan: `test/harness/secretScan.ts`.');
out.push('');
out.push('## Summary by kind');
out.push('');
out.push('| kind | cases | pass | fail | not run |');
out.push('|---|---:|---:|---:|---:|');
let tot = { cases: 0, pass: 0, fail: 0, notrun: 0 };
for (const [k, v] of Object.entries(tally)) {
  out.push(`| ${k} | ${v.cases} | ${v.pass} | ${v.fail} | ${v.notrun} |`);
  for (const f in tot) tot[f] += v[f];
}
out.push(`| **total** | **${tot.cases}** | **${tot.pass}** | **${tot.fail}** | **${tot.notrun}** |`);
out.push('');
out.push('## Model output as an attack (XSS corpus)');
out.push('');
out.push(
  'Checks after every render: no script execution (marker `top.__pwn(n)` / `self.__pwn(n)`, dialogs), no request leaving the page (every request recorded; non-local ones aborted),',
);
out.push(
  'every `href` http/https/mailto, no `on*` or `style` attribute, no script/iframe/frame/object/embed/applet/portal/form/base/meta/link/style element, no clobbering id/name; then every link is clicked.',
);
out.push(
  'Browser column: no-CSP whole / no-CSP streamed / CSP whole / CSP streamed ("pass ×4" when all four pass; the heavy size and nesting payloads hold no script vector and run without the CSP only: "n/a (stress only)"). E2E column: the payload inside a batch answer in the real webview (an answer over 1,000,000 characters is stopped there by Bud, with its note).',
);
out.push('');
out.push('| kind | case | expected | browser (renderer) | e2e (real webview) | test |');
out.push('|---|---|---|---|---|---|');
out.push(...rows);
for (const k of order) {
  const list = other.filter((c) => c.kind === k);
  if (!list.length) continue;
  out.push('');
  out.push(
    `## ${{ fault: 'Faults between the extension and the server', link: 'Links', secret: 'Secrets', persistence: 'Persistence', limits: 'Limits' }[k]}`,
  );
  out.push('');
  out.push('| kind | case | expected | result | test |');
  out.push('|---|---|---|---|---|');
  for (const c of list)
    out.push(`| ${c.kind} | ${esc(c.case)} | ${esc(c.expected)} | ${esc(c.result)} | ${esc(c.test)} |`);
}
// Hand-kept parts, appended in this order: the property and crash tests (numbers copied from a named run), then findings.
let extra = '';
for (const part of ['SECURITY-PROPERTIES.part.md', 'SECURITY-FINDINGS.part.md']) {
  try {
    extra += (extra ? '\n' : '') + readFileSync(join('test', part), 'utf8');
  } catch {
    /* none */
  }
}
writeFileSync('test/SECURITY-CASES.md', out.join('\n') + '\n' + (extra ? `\n${extra}` : ''));
console.log(tally, tot);
