// Security end to end, in code-server + Chromium with the real extension and webview:
//   1. Model output as an attack: the XSS corpus (test/fixtures/xss-payloads.ts) streamed as answers in batches.
//      Zero script executions (a marker in every frame, dialogs), zero requests leaving the webview (the browser's
//      request log), only http/https/mailto links; a link opens only after a click and through VS Code's link
//      handling (its "open the external website?" dialog); command:/javascript: links do nothing.
//   2. Secrets: Set API Key -> send -> 401 -> Set API Key from the error -> Retry -> answer; then every file
//      under the profile (globalStorage, workspaceStorage/state.vscdb, logs, webview state), the browser's storage
//      and the workspace hold neither key. A workspace .vscode/settings.json pointing bud.baseUrl at another
//      server does not redirect the key.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { startTestServer, replies, type TestServer } from '../../scripts/server/openai-server';
import { fixtureWorkspace } from '../harness/codeServer';
import { useChatE2E, waitForAnswerEnd } from '../harness/chatE2E';
import { scanSecret } from '../harness/secretScan';
import { PAYLOADS, materialize, FORBIDDEN_ELEMENTS, SAFE_LINK_SCHEMES, countByKind } from '../fixtures/xss-payloads';
import { recordCase } from './securityCases';
import { MAX_CONTENT_CHARS } from '../../src/chat/conversation';

const MODEL = 'test-model';
const EXFIL = 'https://attacker.test/x';
const BATCH = 24;

describe('security end to end: hostile model output in the real webview', function () {
  this.timeout(300_000);
  const dialogs: string[] = [];
  const e2e = useChatE2E({
    label: 'security-xss-e2e',
    models: [MODEL],
    apiKey: 'sk-security-xss-0123456789',
    settings: { 'bud.tools.enabled': false },
    viewport: { width: 1400, height: 900 },
    openChat: false,
  });

  before(async function () {
    this.timeout(300_000);
    // Every document (the workbench and each webview frame, nested ones included) gets the execution marker.
    await e2e.wb.context.addInitScript(() => {
      const w = window as any;
      w.__pwned = [];
      w.__pwn = (n: number) => {
        w.__pwned.push(n);
      };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    // A "leave page?" prompt must be accepted, or the reload below is cancelled; any other dialog is recorded.
    e2e.wb.page.on('dialog', (d) => {
      if (d.type() === 'beforeunload') {
        void d.accept();
        return;
      }
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    // Reload, so the workbench and every webview start with the marker installed.
    await e2e.reload();
  });

  async function pwnedEverywhere(): Promise<{ pwned: number[]; violations: string[] }> {
    const pwned: number[] = [];
    const violations: string[] = [];
    for (const f of e2e.wb.page.frames()) {
      const r = await f
        .evaluate(() => ({ p: (window as any).__pwned ?? [], v: (window as any).__violations ?? [] }))
        .catch(() => ({ p: [], v: [] }));
      pwned.push(...r.p);
      violations.push(...r.v);
    }
    return { pwned, violations };
  }

  const light = PAYLOADS.filter((p) => !p.heavy);
  const heavy = PAYLOADS.filter((p) => ['long-line-1', 'deep-nesting-1', 'deep-nesting-2'].includes(p.id));
  const batches: { name: string; items: typeof PAYLOADS }[] = [];
  for (let i = 0; i < light.length; i += BATCH)
    batches.push({ name: `payloads ${i + 1}-${Math.min(i + BATCH, light.length)}`, items: light.slice(i, i + BATCH) });
  for (const p of heavy) batches.push({ name: p.id, items: [p] });

  for (const b of batches) {
    it(`renders ${b.name} of the corpus with no script, no request, no unsafe link`, async () => {
      const text = b.items
        .map((p) => `\n\n---\n\n**${p.id}**\n\n${materialize(p, (n) => `self.__pwn(${n})`, EXFIL)}\n\n`)
        .join('');
      e2e.api.setDefault(replies.streamText(text, text.length > 100_000 ? 65_536 : 97, { delayMs: 2 }));
      const reqBefore = e2e.wb.requests.length;
      const before = await e2e.chat.locator('.message').count();
      // Positive control: the execution marker is installed in the webview's document.
      assert.equal(
        await e2e.chat.evaluate(() => typeof (window as any).__pwn),
        'function',
        'marker installed in the webview',
      );
      await e2e.wb.typeAndSend(`show ${b.name}`);
      const end = await waitForAnswerEnd(e2e.chat, before, 240_000);
      const answer = e2e.chat.locator('.message.assistant').last();
      if (text.length > MAX_CONTENT_CHARS) {
        // Over what one message can hold: Bud stops the answer there, keeps the text and says so.
        assert.equal(end.status, 'stopped', `${b.name}: the answer is stopped at the limit ${end.error}`);
        assert.match(await answer.locator('.message-note').innerText(), /stopped this answer at 1,000,000 characters/);
      } else {
        assert.equal(end.status, 'complete', `${b.name}: the answer completes ${end.error}`);
      }
      const content = answer.locator('.content');
      // Let late loads / handlers fire, then look.
      await e2e.wb.page.waitForTimeout(500);
      const dom = await content.evaluate(
        (root, { forbidden, safe }) => {
          const problems: string[] = [];
          for (const sel of forbidden) if (root.querySelector(sel)) problems.push(`<${sel}>`);
          for (const el of Array.from(root.querySelectorAll('*'))) {
            for (const a of Array.from(el.attributes)) {
              if (/^on/i.test(a.name)) problems.push(`${el.localName}[${a.name}]`);
              if (a.name === 'style') problems.push(`${el.localName}[style]`);
            }
            if (el.localName === 'img' && !/^data:/i.test(el.getAttribute('src') ?? 'data:'))
              problems.push(`img src=${el.getAttribute('src')}`);
          }
          for (const a of Array.from(root.querySelectorAll('[href]'))) {
            const h = a.getAttribute('href') ?? '';
            let scheme = 'invalid:';
            try {
              scheme = new URL(h).protocol;
            } catch {
              /* relative */
            }
            if (!safe.includes(scheme)) problems.push(`href=${h.slice(0, 60)}`);
          }
          return { problems, chars: root.textContent?.length ?? 0 };
        },
        { forbidden: FORBIDDEN_ELEMENTS, safe: SAFE_LINK_SCHEMES },
      );
      assert.deepEqual(dom.problems, [], `${b.name}: unsafe DOM`);
      assert.ok(dom.chars > 0, 'something was rendered');
      const { pwned, violations } = await pwnedEverywhere();
      assert.deepEqual(pwned, [], `${b.name}: script ran (payload indexes)`);
      assert.deepEqual(dialogs, [], `${b.name}: dialogs`);
      const reqs = e2e.wb.requests
        .slice(reqBefore)
        .filter((r) => /attacker\.test|127\.0\.0\.1:1\/|local-exfil/.test(r.url));
      assert.deepEqual(
        reqs.map((r) => r.url),
        [],
        `${b.name}: requests left the webview`,
      );
      assert.deepEqual(
        e2e.wb.externalRequests().map((r) => r.url),
        [],
        'no request to any non-local host',
      );
      for (const p of b.items) {
        recordCase({
          kind: `xss/${p.kind}`,
          case: `${p.id}: ${p.title}`,
          expected: 'no script, no request, only http(s)/mailto links, no unsafe element/attribute (real webview)',
          result: `pass${violations.length ? ` (CSP events in batch: ${violations.length})` : ''}`,
          test: `security.e2e: renders ${b.name}`,
        });
      }
    });
  }

  it("a link opens only after a click, through VS Code's external-link dialog; command:/javascript: links do nothing", async () => {
    e2e.api.setDefault(
      replies.stream(
        [
          'Docs: [the handbook](https://example.com/handbook)\n\n',
          'Terminal: [open a terminal](command:workbench.action.terminal.new)\n\n',
          'Script: [run me](javascript:self.__pwn(9999))\n\n',
          'Settings: <a href="command:workbench.action.openSettings">settings</a>\n',
        ],
        { delayMs: 5 },
      ),
    );
    const before = await e2e.chat.locator('.message').count();
    await e2e.wb.typeAndSend('links please');
    assert.equal((await waitForAnswerEnd(e2e.chat, before)).status, 'complete');
    const content = e2e.chat.locator('.message.assistant').last().locator('.content');
    const dialog = e2e.wb.page.locator('.monaco-dialog-box');
    await e2e.wb.page.waitForTimeout(1000);
    assert.equal(await dialog.count(), 0, 'nothing opens before a click');
    const pagesBefore = e2e.wb.context.pages().length;
    const terminalsBefore = await e2e.wb.page.locator('.terminal-wrapper, .xterm').count();

    // command: and javascript: links were rendered without a target: clicking them does nothing.
    for (const label of ['open a terminal', 'run me', 'settings']) {
      const a = content.locator('a, span', { hasText: label }).first();
      assert.equal(await a.getAttribute('href'), null, `${label}: no href kept`);
      await a.click();
    }
    await e2e.wb.page.waitForTimeout(1500);
    assert.equal(await dialog.count(), 0, 'no dialog from command:/javascript: links');
    assert.equal(await e2e.wb.page.locator('.terminal-wrapper, .xterm').count(), terminalsBefore, 'no terminal opened');
    assert.equal(e2e.wb.context.pages().length, pagesBefore, 'no new window');
    assert.deepEqual((await pwnedEverywhere()).pwned, []);

    // An https link: VS Code asks before opening it (its link protection), after the click.
    await content.locator('a[href="https://example.com/handbook"]').click();
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await dialog.innerText();
    assert.match(text, /open the external website/i);
    assert.match(text, /example\.com/);
    await e2e.wb.screenshot('e2e-security-open-link-dialog');
    const buttons = await dialog.locator('.monaco-button').allInnerTexts();
    await dialog
      .locator('.monaco-button', { hasText: /^\s*Cancel\s*$/ })
      .first()
      .click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await e2e.wb.page.waitForTimeout(1000);
    assert.deepEqual(
      e2e.wb.context
        .pages()
        .slice(pagesBefore)
        .map((p) => p.url()),
      [],
      `cancelled (buttons ${buttons.join(' | ')}): nothing opened`,
    );
    assert.deepEqual(
      e2e.wb.externalRequests().map((r) => r.url),
      [],
    );
    recordCase({
      kind: 'link',
      case: 'https link click',
      expected: 'VS Code "open the external website?" dialog after the click only',
      result: `pass: "${text.replace(/\s+/g, ' ').slice(0, 90)}"`,
      test: 'security.e2e: a link opens only after a click',
    });
    recordCase({
      kind: 'link',
      case: 'command:workbench.action.terminal.new / command:…openSettings link click',
      expected: 'no href, nothing happens',
      result: 'pass: no dialog, no terminal, no window',
      test: 'security.e2e: a link opens only after a click',
    });
    recordCase({
      kind: 'link',
      case: 'javascript: link click',
      expected: 'no href, no script',
      result: 'pass',
      test: 'security.e2e: a link opens only after a click',
    });
  });

  it('the whole corpus ran (sanity: every kind was sent)', () => {
    const kinds = countByKind(light);
    assert.ok(Object.keys(kinds).length >= 20, JSON.stringify(kinds));
    assert.ok(light.length >= 100);
  });
});

describe('security end to end: the API key stays in the keychain', function () {
  this.timeout(300_000);
  const WRONG_KEY = 'sk-wrong-key-e2e-9f8e7d6c5b4a3210';
  const RIGHT_KEY = 'sk-right-key-e2e-0a1b2c3d4e5f6789';
  const CANARY = 'canary-message-kept-in-history-4711';
  let elsewhere: TestServer;
  let workspace: string;

  before(async () => {
    elsewhere = await startTestServer({ models: [MODEL] });
  });

  const e2e = useChatE2E({
    label: 'security-keys-e2e',
    models: [MODEL],
    settings: { 'bud.tools.enabled': false },
    // A workspace whose settings try to send requests (and the key) to another server.
    workspace: () => {
      workspace = mkdtempSync(join(tmpdir(), 'bud-sec-ws-'));
      cpSync(fixtureWorkspace(), workspace, { recursive: true });
      mkdirSync(join(workspace, '.vscode'), { recursive: true });
      writeFileSync(
        join(workspace, '.vscode/settings.json'),
        JSON.stringify({ 'bud.baseUrl': `${elsewhere.url}/v1` }, null, 2),
      );
      return workspace;
    },
  });

  after(async () => {
    await elsewhere?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  async function setKey(key: string, from?: Locator): Promise<void> {
    let input: Locator;
    if (from) {
      await from.click();
      input = e2e.wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
    } else {
      input = await e2e.wb.commandWithInput('Bud: Set API Key…');
    }
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(key);
    await e2e.wb.page.keyboard.press('Enter');
    await e2e.wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  it('set key -> send -> 401 -> Set API Key from the error -> send again -> answer', async () => {
    await setKey(WRONG_KEY);
    await e2e.chat
      .locator('#empty-state button[data-action="setApiKey"]')
      .waitFor({ state: 'detached', timeout: 30_000 });
    e2e.api.enqueue(replies.error(401, 'Invalid API key provided.'));
    let before = await e2e.chat.locator('.message').count();
    await e2e.wb.typeAndSend(`first try ${CANARY}`);
    assert.equal((await waitForAnswerEnd(e2e.chat, before)).status, 'error');
    const err = e2e.chat.locator('.message.assistant').last().locator('.inline-error');
    assert.equal(await err.getAttribute('data-kind'), 'auth');
    assert.equal(e2e.api.requests[e2e.api.requests.length - 1].headers.authorization, `Bearer ${WRONG_KEY}`);
    await setKey(RIGHT_KEY, err.locator('button[data-action="setApiKey"]'));
    e2e.api.setDefault(replies.stream(['Authenticated ', 'now.'], { delayMs: 5 }));
    // An auth error offers Set API Key (not Retry): with the key fixed, the user sends the question again.
    before = await e2e.chat.locator('.message').count();
    await e2e.wb.typeAndSend(`second try ${CANARY}`);
    assert.equal((await waitForAnswerEnd(e2e.chat, before)).status, 'complete');
    await e2e.chat
      .locator('.message.assistant[data-status="complete"]', { hasText: 'Authenticated now.' })
      .waitFor({ timeout: 30_000 });
    assert.equal(e2e.api.requests[e2e.api.requests.length - 1].headers.authorization, `Bearer ${RIGHT_KEY}`);
    const body = await e2e.chat.locator('body').innerText();
    assert.ok(!body.includes(WRONG_KEY) && !body.includes(RIGHT_KEY), 'the view never shows a key');
    recordCase({
      kind: 'secret',
      case: 'Set API Key -> 401 -> Set API Key from the error -> send again',
      expected: 'auth error with Set API Key; the next request uses the new key; view never shows a key',
      result: 'pass',
      test: 'security.e2e: set key -> send -> 401 -> Set API Key from the error -> send again -> answer',
    });
  });

  it('a workspace .vscode/settings.json bud.baseUrl does not redirect the key', async () => {
    e2e.api.setDefault(replies.stream(['Still the ', 'user-set server.'], { delayMs: 5 }));
    const before = await e2e.chat.locator('.message').count();
    const apiBefore = e2e.api.requests.length;
    await e2e.wb.typeAndSend('where does this go?');
    assert.equal((await waitForAnswerEnd(e2e.chat, before)).status, 'complete');
    assert.equal(e2e.api.requests.length - apiBefore, 1, 'the request went to the user (machine) setting');
    assert.deepEqual(
      elsewhere.requests.map((r) => `${r.method} ${r.url} auth=${r.headers.authorization ? 'yes' : 'no'}`),
      [],
      "the workspace's server got nothing",
    );
    // VS Code itself drops workspace values of machine-scoped settings; whether the extension's own warning
    // fires is recorded, not asserted (the value may never reach the extension).
    const warned =
      /bud\.baseUrl/.test(
        e2e.server
          .logFiles()
          .map((f) => f.text)
          .join('\n'),
      ) ||
      (
        await e2e.chat
          .locator('#notice')
          .innerText()
          .catch(() => '')
      ).includes('bud.baseUrl');
    recordCase({
      kind: 'secret',
      case: 'workspace .vscode/settings.json bud.baseUrl -> second local server',
      expected: 'second server receives no request, no Authorization',
      result: `pass: 0 requests to the workspace's server, ${e2e.api.requests.length} to the user's; extension warning shown: ${warned ? 'yes' : 'no'}`,
      test: 'security.e2e: a workspace bud.baseUrl does not redirect the key',
    });
  });

  it('no file the extension or VS Code wrote, and no browser storage, holds either key', async () => {
    // Reload so the workbench flushes its state (webview state, view state) to workspaceStorage/globalStorage.
    await e2e.reload();
    await e2e.chat.locator('.message.assistant', { hasText: 'Authenticated now.' }).waitFor({ timeout: 30_000 });
    await e2e.wb.page.waitForTimeout(2000);
    const roots = [e2e.server.userDataDir, e2e.server.home, workspace];
    // Positive control: the scan must see where the chat history lives (the canary message is saved there).
    const canary = scanSecret(roots, CANARY);
    assert.ok(
      canary.hits.some((h) => /globalStorage/.test(h.path)),
      `the scan reads the extension's storage: ${JSON.stringify(canary.hits.map((h) => h.path))}`,
    );
    const vscdb = canary.filesScanned;
    for (const key of [WRONG_KEY, RIGHT_KEY]) {
      const r = scanSecret(roots, key);
      const where = r.hits.map((h) => `${h.path} (${h.encoding} @${h.offset}: ${h.context})`);
      assert.deepEqual(where, [], `key found in files`);
      assert.ok(r.filesScanned > 20, `scanned ${r.filesScanned} files`);
    }
    const storage = JSON.stringify(
      await e2e.wb.context.storageState({ indexedDB: true }).catch(() => e2e.wb.context.storageState()),
    );
    for (const key of [WRONG_KEY, RIGHT_KEY]) assert.ok(!storage.includes(key), 'browser storage holds a key');
    const frames = await Promise.all(
      e2e.wb.page.frames().map((f) =>
        f
          .evaluate(() => {
            const out: string[] = [];
            for (const s of [localStorage, sessionStorage])
              for (let i = 0; i < s.length; i++) out.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
            return out.join('\n');
          })
          .catch(() => ''),
      ),
    );
    for (const key of [WRONG_KEY, RIGHT_KEY])
      assert.ok(!frames.join('\n').includes(key), "a frame's web storage holds a key");
    recordCase({
      kind: 'secret',
      case: 'scan user-data-dir (globalStorage, workspaceStorage/state.vscdb, logs), HOME, workspace, browser storage for both keys',
      expected: '0 hits',
      result: `pass: 0 hits in ${vscdb} files (canary found in ${canary.hits.length} file(s) incl. globalStorage)`,
      test: 'security.e2e: no file … holds either key',
    });
  });
});
