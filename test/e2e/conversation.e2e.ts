// Conversation control end to end, in code-server + Chromium with the real extension and the local test server:
//   - edit → branch → switch → reload: the same branch is shown, and it is what the next request sends;
//   - regenerate makes a sibling answer; delete + undo;
//   - export (JSON from the command, Markdown from the history list) → import → export round trip;
//   - a full-text search hit opens the chat at a message of a branch not on screen;
//   - two windows on the same workspace keep separate current chats across reloads.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { defaultReply, replies } from '../../scripts/server/openai-server';
import { useChatE2E } from '../harness/chatE2E';
import { Workbench } from '../harness/workbench';

describe('conversation control end to end (code-server + Chromium)', function () {
  this.timeout(300_000);
  const e2e = useChatE2E({
    label: 'conversation-e2e',
    apiKey: 'sk-conversation-0123456789',
    settings: { 'bud.tools.enabled': false },
    viewport: { width: 1280, height: 860 },
  });
  const exportDir = mkdtempSync(join(tmpdir(), 'bud-export-'));

  async function reopen(target?: Workbench): Promise<Frame> {
    if (!target) return e2e.reload();
    await target.page.reload({ waitUntil: 'domcontentloaded', timeout: 90_000 });
    await target.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    await e2e.server.waitForExtensionHost();
    return target.openChatView();
  }

  /** The message texts on screen, `role:text` (answers without their header). */
  async function shown(frame: Frame = e2e.chat): Promise<string[]> {
    return frame
      .locator('.message')
      .evaluateAll((els) =>
        els.map(
          (e) =>
            `${e.classList.contains('user') ? 'Q' : 'A'}:${(e.querySelector('.content')?.textContent ?? '').trim()}`,
        ),
      );
  }

  async function waitIdle(frame: Frame = e2e.chat): Promise<void> {
    await frame.waitForFunction(
      () =>
        document.querySelectorAll('.message').length > 0 &&
        !document.querySelector('.message[data-status="streaming"]') &&
        !document.querySelector('.bud-chat.busy'),
      undefined,
      { timeout: 60_000 },
    );
  }

  async function ask(text: string, frame: Frame = e2e.chat, target: Workbench = e2e.wb): Promise<void> {
    const before = await frame.locator('.message').count();
    await target.typeAndSend(text);
    await frame.waitForFunction((n) => document.querySelectorAll('.message').length >= n + 2, before);
    await waitIdle(frame);
  }

  /** The user messages of the last chat request the server got. */
  const lastQuestions = () =>
    (e2e.api.requests.at(-1)!.body.messages as { role: string; content: string }[])
      .filter((m) => m.role !== 'system')
      .map((m) => `${m.role === 'user' ? 'Q' : 'A'}:${m.content}`);

  it('edit makes a branch; the arrows switch; a reload shows the same branch and sends it', async () => {
    e2e.api.setDefault(defaultReply);
    await ask('first question');
    await ask('second question');
    assert.deepEqual(await shown(), [
      'Q:first question',
      'A:You said: first question',
      'Q:second question',
      'A:You said: second question',
    ]);
    const second = e2e.chat.locator('.message.user').nth(1);
    await second.hover();
    await second.getByRole('button', { name: /^Edit and resend/ }).click();
    const editor = second.getByRole('textbox', { name: /Edit your message/ });
    await editor.fill('second question, edited');
    await editor.press('Enter');
    await e2e.chat.locator('.message.assistant', { hasText: 'second question, edited' }).waitFor();
    await waitIdle();
    assert.deepEqual(lastQuestions(), ['Q:first question', 'A:You said: first question', 'Q:second question, edited']);
    const nav = e2e.chat.locator('.message.user').nth(1).locator('.branch-nav');
    assert.equal(await nav.getAttribute('aria-label'), 'Branch 2 of 2');
    await e2e.wb.screenshot('e2e-branch-edited');
    await nav.getByRole('button', { name: /^Previous version/ }).click();
    await e2e.chat.locator('.message.user .content', { hasText: /^second question$/ }).waitFor();
    assert.deepEqual((await shown()).slice(2), ['Q:second question', 'A:You said: second question']);

    e2e.chat = await reopen();
    await e2e.chat.locator('.message.assistant', { hasText: 'You said: second question' }).waitFor({ timeout: 30_000 });
    assert.deepEqual((await shown()).slice(2), ['Q:second question', 'A:You said: second question'], 'same branch');
    assert.equal(
      await e2e.chat.locator('.message.user').nth(1).locator('.branch-nav').getAttribute('aria-label'),
      'Branch 1 of 2',
    );
    await ask('third question');
    assert.deepEqual(lastQuestions(), [
      'Q:first question',
      'A:You said: first question',
      'Q:second question',
      'A:You said: second question',
      'Q:third question',
    ]);
  });

  it('regenerate adds a sibling answer; delete removes a turn and Undo puts it back', async () => {
    e2e.api.setDefault(replies.stream(['A regenerated ', 'answer.'], { delayMs: 5 }));
    const firstAnswer = e2e.chat.locator('.message.assistant').first();
    await firstAnswer.hover();
    await firstAnswer.getByRole('button', { name: /^Regenerate answer/ }).click();
    await e2e.chat.locator('.message.assistant', { hasText: 'A regenerated answer.' }).waitFor();
    await waitIdle();
    assert.deepEqual(await shown(), ['Q:first question', 'A:A regenerated answer.']);
    const nav = e2e.chat.locator('.message.assistant').first().locator('.branch-nav');
    assert.equal(await nav.getAttribute('aria-label'), 'Branch 2 of 2');
    assert.deepEqual(lastQuestions(), ['Q:first question'], 'regenerating sends the path up to the question');
    await e2e.wb.screenshot('e2e-branch-regenerated');
    await nav.getByRole('button', { name: /^Previous answer/ }).click();
    await e2e.chat.locator('.message.user', { hasText: 'third question' }).waitFor();

    const before = await shown();
    const second = e2e.chat.locator('.message.user').nth(1);
    await second.hover();
    await second.getByRole('button', { name: 'Delete this question and its answer' }).click();
    await e2e.chat.locator('#notice', { hasText: 'The turn was deleted.' }).waitFor();
    assert.deepEqual(await shown(), [
      'Q:first question',
      'A:You said: first question',
      'Q:third question',
      'A:You said: third question',
    ]);
    await e2e.chat.locator('#notice').getByRole('button', { name: 'Undo' }).click();
    await e2e.chat.locator('.message.user .content', { hasText: /^second question$/ }).waitFor();
    assert.deepEqual(await shown(), before);
  });

  /** Answers VS Code's file dialog (the simple one in the browser) with `file`. */
  async function answerFileDialog(file: string): Promise<void> {
    const page = e2e.wb.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    // The dialog fills in its default path once it has listed the folder; type ours after that, and again if the
    // dialog's own update replaced it.
    await page.waitForFunction(() =>
      (document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input')?.value ?? '').includes(
        '/',
      ),
    );
    for (let i = 0; i < 5 && (await input.inputValue()) !== file; i++) {
      await input.fill(file);
      await page.waitForTimeout(200);
    }
    await page.keyboard.press('Enter');
    const widget = page.locator('.quick-input-widget');
    const closed = await widget.waitFor({ state: 'hidden', timeout: 15_000 }).then(
      () => true,
      () => false,
    );
    if (closed) return;
    await e2e.wb.screenshot('e2e-file-dialog-open');
    throw new Error(`The file dialog stayed open with “${await input.inputValue()}”`);
  }

  /** Picks `label` in the open quick pick. */
  async function pick(label: string): Promise<void> {
    const row = e2e.wb.page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: e2e.wb.page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) })
      .first();
    await row.waitFor();
    await row.click();
  }

  async function waitForFile(file: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`${file} was not written`);
  }

  it('export as JSON → import → export again gives the same JSON, ids aside; Markdown from the history list', async () => {
    e2e.api.setDefault(defaultReply);
    if ((await e2e.chat.locator('.message').count()) === 0) await ask('a question to export');
    const before = await shown();
    const first = join(exportDir, 'first.json');
    await e2e.wb.commandWithInput('Bud: Export Chat…');
    await pick('JSON');
    await answerFileDialog(first);
    const firstJson = JSON.parse(await waitForFile(first)) as {
      format: string;
      chat: { id: string; messages: unknown[] };
    };
    assert.equal(firstJson.format, 'bud-chat');
    assert.ok(!JSON.stringify(firstJson).includes('sk-conversation-0123456789'), 'never the key');

    await e2e.wb.commandWithInput('Bud: Import Chat…');
    await answerFileDialog(first);
    await e2e.chat.locator('#notice', { hasText: /Imported “.*” as a new chat/ }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await shown(), before, 'the imported chat shows the same branch');
    await e2e.wb.screenshot('e2e-import-notice');

    const second = join(exportDir, 'second.json');
    await e2e.wb.commandWithInput('Bud: Export Chat…');
    await pick('JSON');
    await answerFileDialog(second);
    const secondJson = JSON.parse(await waitForFile(second)) as typeof firstJson;
    assert.notEqual(secondJson.chat.id, firstJson.chat.id, 'a new chat');
    const withoutId = (d: typeof firstJson) => ({ ...d, chat: { ...d.chat, id: '' } });
    assert.deepEqual(withoutId(secondJson), withoutId(firstJson));

    await e2e.chat.locator('#history-button').click();
    const row = e2e.chat.locator('.history-item.current');
    await row.hover();
    await row.locator('.history-export-button').click();
    await pick('Markdown');
    const md = join(exportDir, 'third.md');
    await answerFileDialog(md);
    const text = await waitForFile(md);
    assert.match(text, /^# .+\n/);
    assert.match(text, /## You\n/);
    assert.match(text, /## Bud \(test-model\)\n/);
    await e2e.chat.locator('#history-button').click();
  });

  it('a search hit opens its chat at the message, switching to its branch, highlighted', async () => {
    // The edited question of the first test is on a branch that is not on screen now.
    assert.equal(await e2e.chat.locator('.message.user', { hasText: 'second question, edited' }).count(), 0);
    await e2e.chat.locator('#history-button').click();
    await e2e.chat.getByRole('searchbox', { name: 'Search chats' }).fill('question, edited');
    const hit = e2e.chat.locator('#search-results .search-hit').first();
    await hit.waitFor({ timeout: 30_000 });
    assert.deepEqual(await hit.locator('mark').allInnerTexts(), ['question,', 'edited']);
    await e2e.wb.screenshot('e2e-search-hits');
    await hit.click();
    const target = e2e.chat.locator('.message.user', { hasText: 'second question, edited' });
    await target.waitFor({ timeout: 30_000 });
    assert.equal(await target.locator('.branch-nav').getAttribute('aria-label'), 'Branch 2 of 2');
    assert.equal(await target.evaluate((el) => el === document.activeElement), true, 'focused');
    assert.equal(await target.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight), true);
  });

  it('two windows on the same workspace keep separate current chats', async function () {
    this.timeout(600_000); // two windows and three reloads on a shared 2-core machine
    e2e.api.setDefault(defaultReply);
    await ask('asked in window one');
    // A second tab of the same browser: a second VS Code window sharing the browser's storage, as users open one.
    const page2 = await e2e.wb.context.newPage();
    const wb2 = new Workbench(e2e.wb.browser, e2e.wb.context, page2, e2e.wb.timeoutMs);
    try {
      await page2.goto(e2e.server.folderUrl(), { waitUntil: 'domcontentloaded', timeout: 90_000 });
      await page2.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      let chat2 = await wb2.openChatView();
      // A new window opens the workspace's most recent chat; then it starts its own.
      await chat2.locator('.message.user', { hasText: 'asked in window one' }).waitFor({ timeout: 30_000 });
      await chat2.locator('#new-chat').click();
      await chat2.locator('#empty-state').waitFor();
      await ask('only in window two', chat2, wb2);
      e2e.chat = await reopen();
      await e2e.chat.locator('.message.user', { hasText: 'asked in window one' }).waitFor({ timeout: 30_000 });
      assert.equal(await e2e.chat.locator('.message.user', { hasText: 'only in window two' }).count(), 0);
      chat2 = await reopen(wb2);
      await chat2.locator('.message.user', { hasText: 'only in window two' }).waitFor({ timeout: 30_000 });
      assert.equal(await chat2.locator('.message.user', { hasText: 'asked in window one' }).count(), 0);
      await wb2.screenshot('e2e-two-windows-window-two');
    } finally {
      await page2.close();
    }
  });
});
