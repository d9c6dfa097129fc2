// End-to-end: the real extension in code-server (a real VS Code) driven through Chromium like a user, against the
// local OpenAI-compatible test server on 127.0.0.1. One window, one story, in order:
//   first run without a key -> Set API Key (command + input box) -> send -> streamed Markdown answer ->
//   Stop mid-stream -> 401 inline error -> dropped connection inline error -> Explain Selection from the editor
//   context menu -> reload restores the chat -> screenshots in light, dark and high-contrast themes.
// Screenshots go to test-results/e2e-*.png.
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { replies } from '../../scripts/server/openai-server';
import { useChatE2E } from '../harness/chatE2E';

const API_KEY = 'sk-e2e-test-key-0123456789';
const MODEL = 'test-model';

const MARKDOWN_ANSWER = [
  '## Adding numbers\n\n',
  'The `add` function:\n\n',
  '- takes two numbers\n',
  '- returns their **sum**\n\n',
  '```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```\n\n',
  'See [the handbook](https://www.typescriptlang.org/docs/handbook/2/functions.html).',
];

describe('chat view end to end (code-server + Chromium)', function () {
  this.timeout(240_000);
  const e2e = useChatE2E({
    label: 'chat-e2e',
    models: [MODEL, 'other-model'],
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    openChat: false,
  });

  const messages = () => e2e.chat.locator('.message');
  const lastAssistant = () => e2e.chat.locator('.message.assistant').last();

  async function waitForMessageCount(n: number): Promise<void> {
    await e2e.chat.waitForFunction((count) => document.querySelectorAll('.message').length === count, n, {
      timeout: 30_000,
    });
  }

  /** Scrolls the conversation to its start (older answers render when they come near the viewport). */
  async function scrollToTop(): Promise<void> {
    await e2e.chat.evaluate(() => {
      document.getElementById('messages')!.scrollTop = 0;
    });
    await e2e.chat.locator('.message.assistant .content h2').first().waitFor({ timeout: 10_000 });
  }

  /** Widens the side bar so the chat is pictured at a comfortable width. */
  async function widenSideBar(width: number): Promise<void> {
    const box = await e2e.wb.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const x = box.x + box.width + 1,
      y = box.y + box.height / 2;
    await e2e.wb.page.mouse.move(x, y);
    await e2e.wb.page.mouse.down();
    await e2e.wb.page.mouse.move(box.x + width, y, { steps: 8 });
    await e2e.wb.page.mouse.up();
    await e2e.wb.page.mouse.move(box.x + width + 300, y); // off the sash, so it is not drawn highlighted
    await sleep(400);
  }

  async function waitForStatus(status: string): Promise<void> {
    await e2e.chat
      .locator('.message.assistant')
      .last()
      .and(e2e.chat.locator(`[data-status="${status}"]`))
      .waitFor({ timeout: 30_000 });
  }

  it('first run without a key: the empty state explains Bud Chat and offers Set API Key', async () => {
    await e2e.openChat();
    await widenSideBar(460);
    const empty = e2e.chat.locator('#empty-state');
    await empty.waitFor({ state: 'visible' });
    assert.match(await empty.innerText(), /Bud Chat answers questions about your code/);
    await e2e.chat.locator('#empty-state button[data-action="setApiKey"]').waitFor({ state: 'visible' });
    assert.ok((await e2e.chat.locator('#empty-state .example-prompt').count()) >= 3);
    assert.match(await e2e.chat.locator('#model-button').innerText(), new RegExp(MODEL));
    await e2e.wb.screenshot('e2e-empty-no-key-dark');
  });

  it('sets a key through the command and its input box; the empty state stops asking for one', async () => {
    const input = await e2e.wb.commandWithInput('Bud: Set API Key…');
    await e2e.wb.page.locator('.quick-input-widget', { hasText: 'stored in your OS keychain' }).waitFor();
    assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password box');
    await input.fill(API_KEY);
    await e2e.wb.page.keyboard.press('Enter');
    await e2e.chat
      .locator('#empty-state button[data-action="setApiKey"]')
      .waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await e2e.chat.locator('#empty-state').isVisible(), true, 'still an empty chat');
    assert.match(await e2e.chat.locator('#empty-state').innerText(), /secret storage/, 'says where the key comes from');
    await e2e.wb.runCommand('Notifications: Clear All Notifications'); // the "key saved" toast, out of later pictures
  });

  it('sends a message and streams the answer in as Markdown with code-block buttons', async () => {
    e2e.api.enqueue(replies.stream(MARKDOWN_ANSWER, { delayMs: 60 }));
    await e2e.wb.typeAndSend('How does add work?');
    await e2e.chat.locator('.message.user').filter({ hasText: 'How does add work?' }).waitFor();
    const answer = lastAssistant();
    await answer.locator('.content h2', { hasText: 'Adding numbers' }).waitFor({ timeout: 30_000 });
    await waitForStatus('complete');
    assert.equal(await answer.locator('.content li').count(), 2);
    const block = answer.locator('.code-block');
    assert.match(await block.locator('pre code').innerText(), /export function add\(a: number, b: number\): number \{/);
    for (const action of ['copy', 'insert', 'open'])
      assert.equal(await block.locator(`[data-code-action="${action}"]`).count(), 1, `${action} button`);
    assert.equal(
      await answer.locator('.content a[href="https://www.typescriptlang.org/docs/handbook/2/functions.html"]').count(),
      1,
    );
    assert.equal(await e2e.chat.locator('#send').getAttribute('data-mode'), 'send');
    assert.match(
      (await e2e.chat.locator('#usage').getAttribute('title')) ?? '',
      /Last answer: \d+ prompt \+ \d+ completion = \d+ tokens/,
    );
    const req = e2e.api.requests[e2e.api.requests.length - 1];
    assert.equal(req.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(req.body.model, MODEL);
    assert.equal(req.body.messages[req.body.messages.length - 1].content, 'How does add work?');
    await e2e.wb.screenshot('e2e-answer-dark');
  });

  it('Stop cancels mid-stream and keeps the partial answer, marked Stopped', async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `word${i} `);
    e2e.api.enqueue(replies.stream(pieces, { delayMs: 80 }));
    const before = await messages().count();
    await e2e.wb.typeAndSend('Tell me a long story');
    await waitForMessageCount(before + 2);
    await lastAssistant().locator('.content', { hasText: 'word5' }).waitFor({ timeout: 30_000 });
    const send = e2e.chat.locator('#send');
    assert.equal(await send.getAttribute('data-mode'), 'stop');
    assert.equal(await send.getAttribute('aria-label'), 'Stop');
    await e2e.wb.screenshot('e2e-streaming-dark');
    await send.click();
    await waitForStatus('stopped');
    const partial = await lastAssistant().locator('.content').innerText();
    assert.match(partial, /word5/);
    assert.doesNotMatch(partial, /word199/, 'stopped before the end');
    await sleep(500);
    assert.equal(await lastAssistant().locator('.content').innerText(), partial, 'no text after Stop');
    assert.match(await lastAssistant().locator('.status-badge').innerText(), /Stopped/);
    assert.equal(await send.getAttribute('data-mode'), 'send');
  });

  it('shows a 401 inline, with Set API Key', async () => {
    e2e.api.enqueue(replies.error(401, 'Invalid API key provided.'));
    const before = await messages().count();
    await e2e.wb.typeAndSend('Does this key work?');
    await waitForMessageCount(before + 2);
    const err = lastAssistant().locator('.inline-error');
    await err.waitFor({ timeout: 30_000 });
    assert.equal(await lastAssistant().getAttribute('data-status'), 'error');
    await err.locator('button[data-action="setApiKey"]').waitFor();
    assert.match(await err.innerText(), /401/);
    assert.doesNotMatch(await e2e.chat.locator('body').innerText(), new RegExp(API_KEY), 'the key is never shown');
    await e2e.wb.screenshot('e2e-error-401-dark');
  });

  it('shows a dropped connection inline, keeping the text that arrived, with Retry', async () => {
    e2e.api.enqueue(replies.dropAfter(['The answer ', 'began but '], { delayMs: 50 }));
    const before = await messages().count();
    await e2e.wb.typeAndSend('Explain closures');
    await waitForMessageCount(before + 2);
    const err = lastAssistant().locator('.inline-error');
    await err.waitFor({ timeout: 60_000 });
    assert.equal(await lastAssistant().getAttribute('data-status'), 'error');
    assert.match(await lastAssistant().locator('.content').innerText(), /The answer began but/);
    await err.locator('button[data-action="retry"]').waitFor();
    // Retry re-asks and replaces the failed answer.
    e2e.api.enqueue(replies.stream(['Closures capture ', 'variables.'], { delayMs: 20 }));
    const count = await messages().count();
    await err.locator('button[data-action="retry"]').click();
    await lastAssistant().locator('.content', { hasText: 'Closures capture variables.' }).waitFor({ timeout: 30_000 });
    await waitForStatus('complete');
    assert.equal(await messages().count(), count, 'the failed answer was replaced, not added to');
  });

  it('Explain Selection from the editor context menu sends the code with its range and streams the answer', async () => {
    e2e.api.enqueue(replies.stream(['`multiply` returns ', 'the product of its two arguments.'], { delayMs: 30 }));
    await e2e.wb.openFile('src/math.ts');
    await e2e.wb.selectLines(7, 9);
    const before = await messages().count();
    await e2e.wb.editorContextMenu('Explain Selection');
    e2e.chat = await e2e.wb.chatFrame();
    await waitForMessageCount(before + 2);
    const user = e2e.chat.locator('.message.user').last();
    const chip = user.locator('.context-chip');
    await chip.waitFor();
    // The chip names the range, then its token count (issue 12's chips).
    assert.match(await chip.innerText(), /^math\.ts:7-9\n\d+\ntokens$/);
    assert.equal(await chip.getAttribute('data-start'), '7');
    assert.equal(await chip.getAttribute('data-end'), '9');
    await lastAssistant()
      .locator('.content', { hasText: 'the product of its two arguments' })
      .waitFor({ timeout: 30_000 });
    const sent = JSON.stringify(e2e.api.requests[e2e.api.requests.length - 1].body.messages);
    assert.match(sent, /export function multiply\(a: number, b: number\): number/);
    assert.match(sent, /math\.ts/);
    await e2e.wb.screenshot('e2e-explain-selection-dark');
  });

  it('restores the chat after a reload, stopped and failed answers included', async () => {
    const expected = await messages().evaluateAll((els) =>
      els.map((e) => `${e.className}|${e.getAttribute('data-status')}`),
    );
    await scrollToTop();
    const firstAnswer = await e2e.chat.locator('.message.assistant .content h2').first().innerText();
    await e2e.reload();
    await waitForMessageCount(expected.length);
    const restored = await messages().evaluateAll((els) =>
      els.map((e) => `${e.className}|${e.getAttribute('data-status')}`),
    );
    assert.deepEqual(restored, expected);
    await scrollToTop();
    assert.equal(await e2e.chat.locator('.message.assistant .content h2').first().innerText(), firstAnswer);
    assert.ok(
      (await e2e.chat.locator('.message[data-status="stopped"]').count()) >= 1,
      'the stopped answer stays stopped',
    );
    assert.ok(
      (await e2e.chat.locator('.message[data-status="error"] .inline-error').count()) >= 1,
      'the failed answer stays failed',
    );
  });

  it('New Chat starts fresh; the history list switches, renames and deletes chats', async () => {
    const firstChatCount = await messages().count();
    await e2e.chat.locator('#new-chat').click();
    await e2e.chat.locator('#empty-state').waitFor({ state: 'visible' });
    assert.equal(await messages().count(), 0);
    e2e.api.enqueue(replies.stream(['A fresh ', 'chat.'], { delayMs: 10 }));
    await e2e.wb.typeAndSend('Second chat question');
    await lastAssistant().locator('.content', { hasText: 'A fresh chat.' }).waitFor({ timeout: 30_000 });
    await waitForStatus('complete');

    await e2e.chat.locator('#history-button').click();
    const items = e2e.chat.locator('#history-panel .history-item');
    await e2e.chat.waitForFunction(
      () => document.querySelectorAll('#history-panel .history-item').length === 2,
      undefined,
      { timeout: 15_000 },
    );
    const current = e2e.chat.locator('#history-panel .history-item.current');
    assert.match(await current.innerText(), /Second chat question/);
    await e2e.wb.screenshot('e2e-history-dark');

    // Rename the current chat inline (F2), the title sticks after the host confirms it.
    await current.locator('.history-open').focus();
    await e2e.wb.page.keyboard.press('F2');
    await e2e.chat.locator('.history-rename').waitFor();
    await e2e.chat.locator('.history-rename').fill('Renamed chat');
    await e2e.wb.page.keyboard.press('Enter');
    await e2e.chat
      .locator('#history-panel .history-item.current', { hasText: 'Renamed chat' })
      .waitFor({ timeout: 15_000 });

    // Switch back to the first chat: its messages come back.
    await items
      .filter({ hasNot: e2e.chat.locator('.history-open[aria-current="true"]') })
      .locator('.history-open')
      .click();
    await waitForMessageCount(firstChatCount);
    assert.equal(await e2e.chat.locator('#history-panel').isVisible(), false);

    // Delete the renamed chat after confirming.
    await e2e.chat.locator('#history-button').click();
    const renamed = e2e.chat.locator('#history-panel .history-item', { hasText: 'Renamed chat' });
    await renamed.hover();
    await renamed.locator('.history-delete-button').click();
    await e2e.chat.locator('#history-panel [data-confirm-delete]').click();
    await e2e.chat.waitForFunction(
      () => document.querySelectorAll('#history-panel .history-item').length === 1,
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(await messages().count(), firstChatCount, 'the current chat is untouched');
    await e2e.wb.page.keyboard.press('Escape');
    await e2e.chat.locator('#history-panel').waitFor({ state: 'hidden' });
  });

  it('Insert at Cursor puts a code block into the editor; Open in New Editor opens it with its language', async () => {
    e2e.api.enqueue(replies.stream(['Use this:\n\n', '```ts\nexport const answer = 42;\n', '```\n'], { delayMs: 10 }));
    await e2e.wb.typeAndSend('Give me a constant');
    const block = lastAssistant().locator('.code-block', { hasText: 'export const answer = 42;' });
    await block.locator('[data-code-action="insert"]').waitFor({ timeout: 30_000 });
    await waitForStatus('complete');
    /** The text of the active editor's visible lines (Monaco draws spaces as no-break spaces). */
    const editorText = () =>
      e2e.wb.page.evaluate(() =>
        (
          document.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent ?? ''
        ).replace(/\u00a0/g, ' '),
      );
    const tabs = () => e2e.wb.page.locator('.tabs-container .tab').count();

    await e2e.wb.runCommand('File: New Untitled Text File');
    await e2e.wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
    assert.equal((await editorText()).trim(), '', 'a new, empty editor');
    await block.locator('[data-code-action="insert"]').click();
    await e2e.wb.page.waitForFunction(
      () =>
        (document.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent ?? '')
          .replace(/\u00a0/g, ' ')
          .includes('export const answer = 42;'),
      undefined,
      { timeout: 15_000 },
    );
    const tabsBefore = await tabs();

    await block.locator('[data-code-action="open"]').click();
    await e2e.wb.page.waitForFunction(
      (n) => document.querySelectorAll('.tabs-container .tab').length === n + 1,
      tabsBefore,
      { timeout: 15_000 },
    );
    await e2e.wb.page.waitForFunction(
      () =>
        (document.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent ?? '')
          .replace(/\u00a0/g, ' ')
          .includes('export const answer = 42;'),
      undefined,
      { timeout: 15_000 },
    );
    const language = e2e.wb.page.locator('.statusbar-item[id="status.editor.mode"]');
    await language.filter({ hasText: 'TypeScript' }).waitFor({ timeout: 15_000 });
    assert.match(await editorText(), /^export const answer = 42;\s*$/, 'the new editor holds exactly the code');
    await e2e.wb.screenshot('e2e-open-in-editor-dark');

    // both editors are unsaved: close them without saving
    await e2e.wb.runCommand('View: Revert and Close Editor');
    await e2e.wb.runCommand('View: Revert and Close Editor');
    await e2e.wb.page.waitForFunction(
      (n) => document.querySelectorAll('.tabs-container .tab').length === n - 1,
      tabsBefore,
      { timeout: 15_000 },
    );
  });

  it('looks right in light, dark and high-contrast themes', async () => {
    await widenSideBar(460);
    for (const [theme, name] of [
      ['Light Modern', 'light'],
      ['Dark High Contrast', 'hc'],
      ['Dark Modern', 'dark'],
    ] as const) {
      const input = await e2e.wb.commandWithInput('Preferences: Color Theme');
      await input.fill(theme);
      const row = e2e.wb.page
        .locator('.quick-input-widget .monaco-list-row', { hasText: new RegExp(`^\\s*${theme}`) })
        .first();
      await row.waitFor();
      await row.click();
      await e2e.wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      e2e.chat = await e2e.wb.chatFrame();
      const kind = name === 'light' ? 'vscode-light' : name === 'hc' ? 'vscode-high-contrast' : 'vscode-dark';
      await e2e.chat.waitForFunction((k) => document.body.classList.contains(k), kind, { timeout: 15_000 });
      await sleep(300);
      await e2e.chat.evaluate(() => {
        const m = document.getElementById('messages')!;
        m.scrollTop = 0;
      });
      await sleep(300);
      await e2e.wb.screenshot(`e2e-chat-${name}`);
      await e2e.chat.evaluate(() => {
        const m = document.getElementById('messages')!;
        m.scrollTop = m.scrollHeight;
      });
      await sleep(300);
      await e2e.wb.screenshot(`e2e-chat-${name}-latest`);
    }
  });
});
