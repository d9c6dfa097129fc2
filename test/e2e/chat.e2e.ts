// End-to-end: the real extension in code-server (a real VS Code) driven through Chromium like a user, against the
// local OpenAI-compatible test server on 127.0.0.1. One window, one story, in order:
//   first run without a key -> Set API Key (command + input box) -> send -> streamed Markdown answer ->
//   Stop mid-stream -> 401 inline error -> dropped connection inline error -> Explain Selection from the editor
//   context menu -> reload restores the chat -> screenshots in light, dark and high-contrast themes.
// Screenshots go to test-results/e2e-*.png.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { startTestServer, replies, type TestServer } from '../../scripts/server/openai-server';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import type { Workbench } from '../harness/workbench';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chat view end to end (code-server + Chromium)', function () {
  this.timeout(240_000);
  let api: TestServer;
  let server: CodeServer;
  let wb: Workbench;
  let chat: Frame;

  before(async () => {
    api = await startTestServer({ models: [MODEL, 'other-model'] });
    const settings = { 'bud.model': MODEL, 'bud.maxRetries': 0, 'workbench.colorTheme': 'Default Dark Modern' };
    server = await startCodeServer({
      label: 'chat-e2e',
      settings,
      machineSettings: { 'bud.baseUrl': api.url, ...settings },
    });
    wb = await server.openWorkbench({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await server?.close();
    await api?.close();
  });

  const messages = () => chat.locator('.message');
  const lastAssistant = () => chat.locator('.message.assistant').last();

  async function waitForMessageCount(n: number): Promise<void> {
    await chat.waitForFunction((count) => document.querySelectorAll('.message').length === count, n, {
      timeout: 30_000,
    });
  }

  /** Scrolls the conversation to its start (older answers render when they come near the viewport). */
  async function scrollToTop(): Promise<void> {
    await chat.evaluate(() => {
      document.getElementById('messages')!.scrollTop = 0;
    });
    await chat.locator('.message.assistant .content h2').first().waitFor({ timeout: 10_000 });
  }

  /** Widens the side bar so the chat is pictured at a comfortable width. */
  async function widenSideBar(width: number): Promise<void> {
    const box = await wb.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const x = box.x + box.width + 1,
      y = box.y + box.height / 2;
    await wb.page.mouse.move(x, y);
    await wb.page.mouse.down();
    await wb.page.mouse.move(box.x + width, y, { steps: 8 });
    await wb.page.mouse.up();
    await wb.page.mouse.move(box.x + width + 300, y); // off the sash, so it is not drawn highlighted
    await sleep(400);
  }

  async function waitForStatus(status: string): Promise<void> {
    await chat
      .locator('.message.assistant')
      .last()
      .and(chat.locator(`[data-status="${status}"]`))
      .waitFor({ timeout: 30_000 });
  }

  it('first run without a key: the empty state explains Bud Chat and offers Set API Key', async () => {
    chat = await wb.openChatView();
    await widenSideBar(460);
    const empty = chat.locator('#empty-state');
    await empty.waitFor({ state: 'visible' });
    assert.match(await empty.innerText(), /Bud Chat answers questions about your code/);
    await chat.locator('#empty-state button[data-action="setApiKey"]').waitFor({ state: 'visible' });
    assert.ok((await chat.locator('#empty-state .example-prompt').count()) >= 3);
    assert.match(await chat.locator('#model-button').innerText(), new RegExp(MODEL));
    await wb.screenshot('e2e-empty-no-key-dark');
  });

  it('sets a key through the command and its input box; the empty state stops asking for one', async () => {
    const input = await wb.commandWithInput('Bud: Set API Key…');
    await wb.page.locator('.quick-input-widget', { hasText: 'stored in your OS keychain' }).waitFor();
    assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password box');
    await input.fill(API_KEY);
    await wb.page.keyboard.press('Enter');
    await chat.locator('#empty-state button[data-action="setApiKey"]').waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await chat.locator('#empty-state').isVisible(), true, 'still an empty chat');
    assert.match(await chat.locator('#empty-state').innerText(), /secret storage/, 'says where the key comes from');
    await wb.runCommand('Notifications: Clear All Notifications'); // the "key saved" toast, out of later pictures
  });

  it('sends a message and streams the answer in as Markdown with code-block buttons', async () => {
    api.enqueue(replies.stream(MARKDOWN_ANSWER, { delayMs: 60 }));
    await wb.typeAndSend('How does add work?');
    await chat.locator('.message.user').filter({ hasText: 'How does add work?' }).waitFor();
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
    assert.equal(await chat.locator('#send').getAttribute('data-mode'), 'send');
    assert.match(
      (await chat.locator('#usage').getAttribute('title')) ?? '',
      /Last answer: \d+ prompt \+ \d+ completion = \d+ tokens/,
    );
    const req = api.requests[api.requests.length - 1];
    assert.equal(req.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(req.body.model, MODEL);
    assert.equal(req.body.messages[req.body.messages.length - 1].content, 'How does add work?');
    await wb.screenshot('e2e-answer-dark');
  });

  it('Stop cancels mid-stream and keeps the partial answer, marked Stopped', async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `word${i} `);
    api.enqueue(replies.stream(pieces, { delayMs: 80 }));
    const before = await messages().count();
    await wb.typeAndSend('Tell me a long story');
    await waitForMessageCount(before + 2);
    await lastAssistant().locator('.content', { hasText: 'word5' }).waitFor({ timeout: 30_000 });
    const send = chat.locator('#send');
    assert.equal(await send.getAttribute('data-mode'), 'stop');
    assert.equal(await send.getAttribute('aria-label'), 'Stop');
    await wb.screenshot('e2e-streaming-dark');
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
    api.enqueue(replies.error(401, 'Invalid API key provided.'));
    const before = await messages().count();
    await wb.typeAndSend('Does this key work?');
    await waitForMessageCount(before + 2);
    const err = lastAssistant().locator('.inline-error');
    await err.waitFor({ timeout: 30_000 });
    assert.equal(await lastAssistant().getAttribute('data-status'), 'error');
    await err.locator('button[data-action="setApiKey"]').waitFor();
    assert.match(await err.innerText(), /401/);
    assert.doesNotMatch(await chat.locator('body').innerText(), new RegExp(API_KEY), 'the key is never shown');
    await wb.screenshot('e2e-error-401-dark');
  });

  it('shows a dropped connection inline, keeping the text that arrived, with Retry', async () => {
    api.enqueue(replies.dropAfter(['The answer ', 'began but '], { delayMs: 50 }));
    const before = await messages().count();
    await wb.typeAndSend('Explain closures');
    await waitForMessageCount(before + 2);
    const err = lastAssistant().locator('.inline-error');
    await err.waitFor({ timeout: 60_000 });
    assert.equal(await lastAssistant().getAttribute('data-status'), 'error');
    assert.match(await lastAssistant().locator('.content').innerText(), /The answer began but/);
    await err.locator('button[data-action="retry"]').waitFor();
    // Retry re-asks and replaces the failed answer.
    api.enqueue(replies.stream(['Closures capture ', 'variables.'], { delayMs: 20 }));
    const count = await messages().count();
    await err.locator('button[data-action="retry"]').click();
    await lastAssistant().locator('.content', { hasText: 'Closures capture variables.' }).waitFor({ timeout: 30_000 });
    await waitForStatus('complete');
    assert.equal(await messages().count(), count, 'the failed answer was replaced, not added to');
  });

  it('Explain Selection from the editor context menu sends the code with its range and streams the answer', async () => {
    api.enqueue(replies.stream(['`multiply` returns ', 'the product of its two arguments.'], { delayMs: 30 }));
    await wb.openFile('src/math.ts');
    await wb.selectLines(7, 9);
    const before = await messages().count();
    await wb.editorContextMenu('Explain Selection');
    chat = await wb.chatFrame();
    await waitForMessageCount(before + 2);
    const user = chat.locator('.message.user').last();
    const chip = user.locator('.context-chip');
    await chip.waitFor();
    assert.equal(await chip.innerText(), 'math.ts:7-9');
    assert.equal(await chip.getAttribute('data-start'), '7');
    assert.equal(await chip.getAttribute('data-end'), '9');
    await lastAssistant()
      .locator('.content', { hasText: 'the product of its two arguments' })
      .waitFor({ timeout: 30_000 });
    const sent = JSON.stringify(api.requests[api.requests.length - 1].body.messages);
    assert.match(sent, /export function multiply\(a: number, b: number\): number/);
    assert.match(sent, /math\.ts/);
    await wb.screenshot('e2e-explain-selection-dark');
  });

  it('restores the chat after a reload, stopped and failed answers included', async () => {
    const expected = await messages().evaluateAll((els) =>
      els.map((e) => `${e.className}|${e.getAttribute('data-status')}`),
    );
    await scrollToTop();
    const firstAnswer = await chat.locator('.message.assistant .content h2').first().innerText();
    await wb.page.reload({ waitUntil: 'domcontentloaded' });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await server.waitForExtensionHost();
    chat = await wb.openChatView();
    await waitForMessageCount(expected.length);
    const restored = await messages().evaluateAll((els) =>
      els.map((e) => `${e.className}|${e.getAttribute('data-status')}`),
    );
    assert.deepEqual(restored, expected);
    await scrollToTop();
    assert.equal(await chat.locator('.message.assistant .content h2').first().innerText(), firstAnswer);
    assert.ok((await chat.locator('.message[data-status="stopped"]').count()) >= 1, 'the stopped answer stays stopped');
    assert.ok(
      (await chat.locator('.message[data-status="error"] .inline-error').count()) >= 1,
      'the failed answer stays failed',
    );
  });

  it('New Chat starts fresh; the history list switches, renames and deletes chats', async () => {
    const firstChatCount = await messages().count();
    await chat.locator('#new-chat').click();
    await chat.locator('#empty-state').waitFor({ state: 'visible' });
    assert.equal(await messages().count(), 0);
    api.enqueue(replies.stream(['A fresh ', 'chat.'], { delayMs: 10 }));
    await wb.typeAndSend('Second chat question');
    await lastAssistant().locator('.content', { hasText: 'A fresh chat.' }).waitFor({ timeout: 30_000 });
    await waitForStatus('complete');

    await chat.locator('#history-button').click();
    const items = chat.locator('#history-panel .history-item');
    await chat.waitForFunction(
      () => document.querySelectorAll('#history-panel .history-item').length === 2,
      undefined,
      { timeout: 15_000 },
    );
    const current = chat.locator('#history-panel .history-item.current');
    assert.match(await current.innerText(), /Second chat question/);
    await wb.screenshot('e2e-history-dark');

    // Rename the current chat inline (F2), the title sticks after the host confirms it.
    await current.locator('.history-open').focus();
    await wb.page.keyboard.press('F2');
    await chat.locator('.history-rename').waitFor();
    await chat.locator('.history-rename').fill('Renamed chat');
    await wb.page.keyboard.press('Enter');
    await chat
      .locator('#history-panel .history-item.current', { hasText: 'Renamed chat' })
      .waitFor({ timeout: 15_000 });

    // Switch back to the first chat: its messages come back.
    await items
      .filter({ hasNot: chat.locator('.history-open[aria-current="true"]') })
      .locator('.history-open')
      .click();
    await waitForMessageCount(firstChatCount);
    assert.equal(await chat.locator('#history-panel').isVisible(), false);

    // Delete the renamed chat after confirming.
    await chat.locator('#history-button').click();
    const renamed = chat.locator('#history-panel .history-item', { hasText: 'Renamed chat' });
    await renamed.hover();
    await renamed.locator('.history-delete-button').click();
    await chat.locator('#history-panel [data-confirm-delete]').click();
    await chat.waitForFunction(
      () => document.querySelectorAll('#history-panel .history-item').length === 1,
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(await messages().count(), firstChatCount, 'the current chat is untouched');
    await wb.page.keyboard.press('Escape');
    await chat.locator('#history-panel').waitFor({ state: 'hidden' });
  });

  it('Insert at Cursor puts a code block into the editor; Open in New Editor opens it with its language', async () => {
    api.enqueue(replies.stream(['Use this:\n\n', '```ts\nexport const answer = 42;\n', '```\n'], { delayMs: 10 }));
    await wb.typeAndSend('Give me a constant');
    const block = lastAssistant().locator('.code-block', { hasText: 'export const answer = 42;' });
    await block.locator('[data-code-action="insert"]').waitFor({ timeout: 30_000 });
    await waitForStatus('complete');
    /** The text of the active editor's visible lines (Monaco draws spaces as no-break spaces). */
    const editorText = () =>
      wb.page.evaluate(() =>
        (
          document.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent ?? ''
        ).replace(/\u00a0/g, ' '),
      );
    const tabs = () => wb.page.locator('.tabs-container .tab').count();

    await wb.runCommand('File: New Untitled Text File');
    await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
    assert.equal((await editorText()).trim(), '', 'a new, empty editor');
    await block.locator('[data-code-action="insert"]').click();
    await wb.page.waitForFunction(
      () =>
        (document.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent ?? '')
          .replace(/\u00a0/g, ' ')
          .includes('export const answer = 42;'),
      undefined,
      { timeout: 15_000 },
    );
    const tabsBefore = await tabs();

    await block.locator('[data-code-action="open"]').click();
    await wb.page.waitForFunction(
      (n) => document.querySelectorAll('.tabs-container .tab').length === n + 1,
      tabsBefore,
      { timeout: 15_000 },
    );
    await wb.page.waitForFunction(
      () =>
        (document.querySelector('.editor-group-container.active .monaco-editor .view-lines')?.textContent ?? '')
          .replace(/\u00a0/g, ' ')
          .includes('export const answer = 42;'),
      undefined,
      { timeout: 15_000 },
    );
    const language = wb.page.locator('.statusbar-item[id="status.editor.mode"]');
    await language.filter({ hasText: 'TypeScript' }).waitFor({ timeout: 15_000 });
    assert.match(await editorText(), /^export const answer = 42;\s*$/, 'the new editor holds exactly the code');
    await wb.screenshot('e2e-open-in-editor-dark');

    // both editors are unsaved: close them without saving
    await wb.runCommand('View: Revert and Close Editor');
    await wb.runCommand('View: Revert and Close Editor');
    await wb.page.waitForFunction(
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
      const input = await wb.commandWithInput('Preferences: Color Theme');
      await input.fill(theme);
      const row = wb.page
        .locator('.quick-input-widget .monaco-list-row', { hasText: new RegExp(`^\\s*${theme}`) })
        .first();
      await row.waitFor();
      await row.click();
      await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      chat = await wb.chatFrame();
      const kind = name === 'light' ? 'vscode-light' : name === 'hc' ? 'vscode-high-contrast' : 'vscode-dark';
      await chat.waitForFunction((k) => document.body.classList.contains(k), kind, { timeout: 15_000 });
      await sleep(300);
      await chat.evaluate(() => {
        const m = document.getElementById('messages')!;
        m.scrollTop = 0;
      });
      await sleep(300);
      await wb.screenshot(`e2e-chat-${name}`);
      await chat.evaluate(() => {
        const m = document.getElementById('messages')!;
        m.scrollTop = m.scrollHeight;
      });
      await sleep(300);
      await wb.screenshot(`e2e-chat-${name}-latest`);
    }
  });
});
