// Limits end to end, in code-server + Chromium with the real extension:
//   - a chat of 1,000 messages (a seeded history file) opens, scrolls, and a new message sends at most 1,000
//     messages, the messages left out marked in the chat;
//   - a typed message over 1,000,000 characters is refused with a clear message; nothing reaches the server;
//   - a 5 MB selection (Explain Selection) is refused with a clear message; nothing reaches the server;
//   - the view stays responsive throughout (a round trip into the webview stays well under a generous bound).
// Every request the test server recorded is checked: at most 1,000 messages, each at most 1,000,000 characters.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { replies } from '../../scripts/server/openai-server';
import { fixtureWorkspace } from '../harness/codeServer';
import { useChatE2E } from '../harness/chatE2E';
import { recordCase } from './securityCases';

const MODEL = 'test-model';
const SEEDED_ID = 'seeded-1000-messages';
const SEEDED_TITLE = 'Seeded chat of 1000 messages';
/** "The view answers" bound: a hang detector, not a speed target (speed is for `npm run bench`). */
const RESPONSIVE_MS = 5000;

function seededChat(): string {
  const now = Date.now();
  const messages = Array.from({ length: 1000 }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content:
      i % 2 === 0 ? `Question number ${i / 2}` : `Answer number ${(i - 1) / 2} with **bold** and \`code\`.\n\n- a\n- b`,
    status: 'complete',
    createdAt: now - (1000 - i) * 1000,
    ...(i % 2 === 0 ? {} : { model: MODEL }),
  }));
  return JSON.stringify({
    version: 1,
    id: SEEDED_ID,
    title: SEEDED_TITLE,
    createdAt: now - 2_000_000,
    updatedAt: now,
    messages,
  });
}

describe('limits end to end (code-server + Chromium)', function () {
  this.timeout(300_000);
  let workspace: string;
  const e2e = useChatE2E({
    label: 'limits-e2e',
    models: [MODEL],
    apiKey: 'sk-limits-0123456789',
    settings: { 'bud.tools.enabled': false },
    workspace: () => {
      workspace = mkdtempSync(join(tmpdir(), 'bud-limits-ws-'));
      cpSync(fixtureWorkspace(), workspace, { recursive: true });
      // A 5 MB file (100,000 lines of 50 characters + newline ≈ 5.1 MB).
      const line = 'const value = "0123456789012345678901234567890";';
      writeFileSync(
        join(workspace, 'big.ts'),
        Array.from({ length: 100_000 }, (_, i) => `${line.slice(0, 46)}${String(i % 10000).padStart(4, '0')}`).join(
          '\n',
        ) + '\n',
      );
      return workspace;
    },
    // Seed the history before the extension host starts (it starts with the first window).
    beforeWorkbench: (server) => {
      const dir = join(server.userDataDir, 'User/globalStorage/bud-studio.bud-chat/chats');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${SEEDED_ID}.json`), seededChat());
    },
  });

  after(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  /** Time for a round trip into the webview and a layout read: the view is not frozen. */
  async function roundTrip(): Promise<number> {
    const t0 = Date.now();
    await e2e.chat.evaluate(
      () => new Promise((r) => requestAnimationFrame(() => r(document.getElementById('messages')!.scrollHeight))),
    );
    return Date.now() - t0;
  }

  function checkRequests(): { max: number; longest: number } {
    let max = 0,
      longest = 0;
    for (const r of e2e.api.requests.filter((x) => x.method === 'POST')) {
      const msgs: any[] = r.body?.messages ?? [];
      max = Math.max(max, msgs.length);
      for (const m of msgs)
        longest = Math.max(
          longest,
          typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content ?? '').length,
        );
    }
    assert.ok(max <= 1000, `a request carried ${max} messages`);
    assert.ok(longest <= 1_000_000, `a request carried a message of ${longest} characters`);
    return { max, longest };
  }

  it('opens a 1,000-message chat, stays responsive, and sends at most 1,000 messages, marking what is left out', async () => {
    await e2e.chat.locator('#history-button').click();
    const t0 = Date.now();
    await e2e.chat.locator('#history-panel .history-item', { hasText: SEEDED_TITLE }).locator('.history-open').click();
    await e2e.chat.waitForFunction(() => document.querySelectorAll('.message').length === 1000, undefined, {
      timeout: 60_000,
    });
    const openMs = Date.now() - t0;
    await e2e.chat.locator('.message.assistant', { hasText: 'Answer number 499' }).waitFor({ timeout: 30_000 });
    const rt1 = await roundTrip();
    assert.ok(rt1 < RESPONSIVE_MS, `round trip ${rt1} ms`);
    await e2e.chat.evaluate(() => {
      document.getElementById('messages')!.scrollTop = 0;
    });
    await e2e.chat.locator('.message.user', { hasText: 'Question number 0' }).waitFor({ timeout: 30_000 });
    const rt2 = await roundTrip();
    assert.ok(rt2 < RESPONSIVE_MS, `round trip after scrolling ${rt2} ms`);

    e2e.api.setDefault(replies.stream(['Answered ', 'message 1001.'], { delayMs: 5 }));
    const before = e2e.api.requests.length;
    await e2e.wb.typeAndSend('Question number 500');
    await e2e.chat
      .locator('.message.assistant[data-status="complete"]', { hasText: 'Answered message 1001.' })
      .waitFor({ timeout: 60_000 });
    assert.equal(e2e.api.requests.length - before, 1);
    const sent = e2e.api.requests[e2e.api.requests.length - 1].body.messages as unknown[];
    assert.ok(sent.length <= 1000, `sent ${sent.length} messages`);
    // What is left out (here by the context window, which is smaller than 1,000 messages) is marked in the chat.
    const marker = e2e.chat.locator('.not-sent-marker');
    await marker.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await marker.innerText();
    assert.match(text, /[\d,]+ earlier messages are not sent to the model/);
    const rt3 = await roundTrip();
    await e2e.wb.screenshot('e2e-limits-1000-messages');
    checkRequests();
    recordCase({
      kind: 'limits',
      case: '1,000-message chat (seeded history file), then send',
      expected: 'opens, responsive, request ≤ 1,000 messages, what is not sent marked in the chat',
      result: `pass: opened in ${openMs} ms; round trips ${rt1}/${rt2}/${rt3} ms; sent ${sent.length} messages; marker "${text.replace(/\s+/g, ' ').slice(0, 100)}"`,
      test: 'limits.e2e: 1,000-message chat',
    });
  });

  it('a typed message over 1,000,000 characters is refused with a clear message; nothing is sent', async () => {
    await e2e.chat.locator('#new-chat').click();
    await e2e.chat.locator('#empty-state').waitFor({ state: 'visible' });
    const before = e2e.api.requests.length;
    const input = e2e.chat.locator('#input');
    await input.evaluate((el: HTMLTextAreaElement) => {
      el.value = 'x'.repeat(1_000_001);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const t0 = Date.now();
    await e2e.chat.locator('#send').click();
    const where = e2e.chat
      .locator('#notice, .inline-error, .composer-message, [role="alert"]')
      .filter({ hasText: /1,000,00[01]|too long|at most/ });
    await where.first().waitFor({ timeout: 30_000 });
    const text = (await where.first().innerText()).replace(/\s+/g, ' ');
    await sleep(1000);
    assert.equal(e2e.api.requests.length - before, 0, 'nothing reached the server');
    const rt = await roundTrip();
    assert.ok(rt < RESPONSIVE_MS, `round trip ${rt} ms`);
    await e2e.wb.screenshot('e2e-limits-long-message');
    checkRequests();
    recordCase({
      kind: 'limits',
      case: 'typed message of 1,000,001 characters',
      expected: 'clear message, nothing sent',
      result: `pass: "${text.slice(0, 140)}" in ${Date.now() - t0} ms; 0 requests`,
      test: 'limits.e2e: a typed message over 1,000,000 characters',
    });
  });

  it('a 5 MB selection is refused with a clear message; nothing is sent', async () => {
    // Clear the over-long draft first.
    await e2e.chat.locator('#input').evaluate((el: HTMLTextAreaElement) => {
      el.value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await e2e.wb.openFile('big.ts');
    await e2e.wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await e2e.wb.page.keyboard.press('Control+A');
    const before = e2e.api.requests.length;
    await e2e.wb.runCommand('Bud: Explain Selection');
    const toast = e2e.wb.page
      .locator('.notifications-toasts .notification-toast, .notification-list-item')
      .filter({ hasText: /nothing was sent/ });
    const inView = (await e2e.wb.chatFrame()).locator('#notice').filter({ hasText: /nothing was sent/ });
    const t0 = Date.now();
    let text = '';
    while (Date.now() - t0 < 30_000 && !text) {
      if (await toast.count()) text = await toast.first().innerText();
      else if (await inView.count()) text = await inView.first().innerText();
      else await sleep(250);
    }
    assert.ok(text, 'a clear message appears');
    assert.match(text, /characters/);
    await sleep(1000);
    assert.equal(e2e.api.requests.length - before, 0, 'nothing reached the server');
    e2e.chat = await e2e.wb.chatFrame();
    const rt = await roundTrip();
    assert.ok(rt < RESPONSIVE_MS, `round trip ${rt} ms`);
    await e2e.wb.screenshot('e2e-limits-5mb-selection');
    checkRequests();
    // The chat still works.
    e2e.api.setDefault(replies.stream(['Still ', 'fine.'], { delayMs: 5 }));
    await e2e.wb.typeAndSend('still there?');
    await e2e.chat
      .locator('.message.assistant[data-status="complete"]', { hasText: 'Still fine.' })
      .waitFor({ timeout: 30_000 });
    recordCase({
      kind: 'limits',
      case: '5 MB selection -> Explain Selection',
      expected: 'clear message, nothing sent',
      result: `pass: "${text.replace(/\s+/g, ' ').slice(0, 140)}"; 0 requests`,
      test: 'limits.e2e: a 5 MB selection',
    });
  });

  it('every request the server received was within the limits', () => {
    const { max, longest } = checkRequests();
    assert.ok(e2e.api.requests.length >= 2);
    recordCase({
      kind: 'limits',
      case: 'all recorded requests of the limits run',
      expected: '≤ 1,000 messages, each ≤ 1,000,000 chars',
      result: `pass: max ${max} messages, longest ${longest} chars`,
      test: 'limits.e2e: every request within the limits',
    });
  });
});
