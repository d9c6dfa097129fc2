// Conversation control end to end, in code-server + Chromium with the real extension and the local test server:
//   - edit → branch → switch → reload: the same branch is shown, and it is what the next request sends;
//   - regenerate makes a sibling answer; copy puts the answer's Markdown on the clipboard; delete + undo;
//   - two windows on the same workspace keep separate current chats across reloads.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { defaultReply, startTestServer, replies, type TestServer } from '../../scripts/server/openai-server';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { Workbench } from '../harness/workbench';

const MODEL = 'test-model';

describe('conversation control end to end (code-server + Chromium)', function () {
  this.timeout(300_000);
  let api: TestServer;
  let server: CodeServer;
  let wb: Workbench;
  let chat: Frame;

  before(async function () {
    this.timeout(300_000);
    api = await startTestServer({ models: [MODEL] });
    const settings = { 'bud.model': MODEL, 'bud.maxRetries': 0, 'bud.tools.enabled': false };
    server = await startCodeServer({
      label: 'conversation-e2e',
      settings,
      machineSettings: { 'bud.baseUrl': api.url, ...settings },
      env: { BUD_API_KEY: 'sk-conversation-0123456789' },
    });
    wb = await server.openWorkbench({ viewport: { width: 1280, height: 860 } });
    chat = await wb.openChatView();
  });

  after(async () => {
    await server?.close();
    await api?.close();
  });

  async function reopen(target: Workbench = wb): Promise<Frame> {
    await target.page.reload({ waitUntil: 'domcontentloaded', timeout: 90_000 });
    await target.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await server.waitForExtensionHost();
    return target.openChatView();
  }

  /** The message texts on screen, `role:text` (answers without their header). */
  async function shown(frame: Frame = chat): Promise<string[]> {
    return frame
      .locator('.message')
      .evaluateAll((els) =>
        els.map(
          (e) =>
            `${e.classList.contains('user') ? 'Q' : 'A'}:${(e.querySelector('.content')?.textContent ?? '').trim()}`,
        ),
      );
  }

  async function waitIdle(frame: Frame = chat): Promise<void> {
    await frame.waitForFunction(
      () =>
        document.querySelectorAll('.message').length > 0 &&
        !document.querySelector('.message[data-status="streaming"]') &&
        !document.querySelector('.bud-chat.busy'),
      undefined,
      { timeout: 60_000 },
    );
  }

  async function ask(text: string, frame: Frame = chat, target: Workbench = wb): Promise<void> {
    const before = await frame.locator('.message').count();
    await target.typeAndSend(text);
    await frame.waitForFunction((n) => document.querySelectorAll('.message').length >= n + 2, before);
    await waitIdle(frame);
  }

  /** The user messages of the last chat request the server got. */
  const lastQuestions = () =>
    (api.requests.at(-1)!.body.messages as { role: string; content: string }[])
      .filter((m) => m.role !== 'system')
      .map((m) => `${m.role === 'user' ? 'Q' : 'A'}:${m.content}`);

  it('edit makes a branch; the arrows switch; a reload shows the same branch and sends it', async () => {
    api.setDefault(defaultReply);
    await ask('first question');
    await ask('second question');
    assert.deepEqual(await shown(), [
      'Q:first question',
      'A:You said: first question',
      'Q:second question',
      'A:You said: second question',
    ]);
    const second = chat.locator('.message.user').nth(1);
    await second.hover();
    await second.getByRole('button', { name: /^Edit and resend/ }).click();
    const editor = second.getByRole('textbox', { name: /Edit your message/ });
    await editor.fill('second question, edited');
    await editor.press('Enter');
    await chat.locator('.message.assistant', { hasText: 'second question, edited' }).waitFor();
    await waitIdle();
    assert.deepEqual(lastQuestions(), ['Q:first question', 'A:You said: first question', 'Q:second question, edited']);
    const nav = chat.locator('.message.user').nth(1).locator('.branch-nav');
    assert.equal(await nav.getAttribute('aria-label'), 'Branch 2 of 2');
    await wb.screenshot('e2e-branch-edited');
    await nav.getByRole('button', { name: /^Previous version/ }).click();
    await chat.locator('.message.user .content', { hasText: /^second question$/ }).waitFor();
    assert.deepEqual((await shown()).slice(2), ['Q:second question', 'A:You said: second question']);

    chat = await reopen();
    await chat.locator('.message.assistant', { hasText: 'You said: second question' }).waitFor({ timeout: 30_000 });
    assert.deepEqual((await shown()).slice(2), ['Q:second question', 'A:You said: second question'], 'same branch');
    assert.equal(
      await chat.locator('.message.user').nth(1).locator('.branch-nav').getAttribute('aria-label'),
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
    api.setDefault(replies.stream(['A regenerated ', 'answer.'], { delayMs: 5 }));
    const firstAnswer = chat.locator('.message.assistant').first();
    await firstAnswer.hover();
    await firstAnswer.getByRole('button', { name: /^Regenerate answer/ }).click();
    await chat.locator('.message.assistant', { hasText: 'A regenerated answer.' }).waitFor();
    await waitIdle();
    assert.deepEqual(await shown(), ['Q:first question', 'A:A regenerated answer.']);
    const nav = chat.locator('.message.assistant').first().locator('.branch-nav');
    assert.equal(await nav.getAttribute('aria-label'), 'Branch 2 of 2');
    assert.deepEqual(lastQuestions(), ['Q:first question'], 'regenerating sends the path up to the question');
    await wb.screenshot('e2e-branch-regenerated');
    await nav.getByRole('button', { name: /^Previous answer/ }).click();
    await chat.locator('.message.user', { hasText: 'third question' }).waitFor();

    const before = await shown();
    const second = chat.locator('.message.user').nth(1);
    await second.hover();
    await second.getByRole('button', { name: 'Delete this question and its answer' }).click();
    await chat.locator('#notice', { hasText: 'The turn was deleted.' }).waitFor();
    assert.deepEqual(await shown(), [
      'Q:first question',
      'A:You said: first question',
      'Q:third question',
      'A:You said: third question',
    ]);
    await chat.locator('#notice').getByRole('button', { name: 'Undo' }).click();
    await chat.locator('.message.user .content', { hasText: /^second question$/ }).waitFor();
    assert.deepEqual(await shown(), before);
  });

  it('two windows on the same workspace keep separate current chats', async function () {
    this.timeout(600_000); // two windows and three reloads on a shared 2-core machine
    api.setDefault(defaultReply);
    await ask('asked in window one');
    // A second tab of the same browser: a second VS Code window sharing the browser's storage, as users open one.
    const page2 = await wb.context.newPage();
    const wb2 = new Workbench(wb.browser, wb.context, page2, wb.timeoutMs);
    try {
      await page2.goto(server.folderUrl(), { waitUntil: 'domcontentloaded', timeout: 90_000 });
      await page2.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      let chat2 = await wb2.openChatView();
      // A new window opens the workspace's most recent chat; then it starts its own.
      await chat2.locator('.message.user', { hasText: 'asked in window one' }).waitFor({ timeout: 30_000 });
      await chat2.locator('#new-chat').click();
      await chat2.locator('#empty-state').waitFor();
      await ask('only in window two', chat2, wb2);
      chat = await reopen(wb);
      await chat.locator('.message.user', { hasText: 'asked in window one' }).waitFor({ timeout: 30_000 });
      assert.equal(await chat.locator('.message.user', { hasText: 'only in window two' }).count(), 0);
      chat2 = await reopen(wb2);
      await chat2.locator('.message.user', { hasText: 'only in window two' }).waitFor({ timeout: 30_000 });
      assert.equal(await chat2.locator('.message.user', { hasText: 'asked in window one' }).count(), 0);
      await wb2.screenshot('e2e-two-windows-window-two');
    } finally {
      await page2.close();
    }
  });
});
