// Full-text search, export and import in the history panel, and revealing a search hit (webview bundle in
// Chromium, fake host).
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { ChatSummary, SearchHit } from '../../src/protocol';
import { closeAndCheck, launchBrowser, openApp, type AppPage } from './appSupport';
import { assistantMsg, chat, init, userMsg } from './appFixtures';

describe('chat view: history search, export and import', function () {
  this.timeout(60_000);
  let browser: Browser;
  let app: AppPage;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    app = await openApp(browser);
  });
  afterEach(async function () {
    await closeAndCheck(app, this.currentTest);
  });

  const chats: ChatSummary[] = [
    { id: 'c1', title: 'Parsing CSV files', updatedAt: Date.now() - 60_000, messageCount: 4 },
    { id: 'c2', title: 'Regex help', updatedAt: Date.now() - 3_600_000, messageCount: 2 },
  ];
  const hits: SearchHit[] = [
    {
      chatId: 'c2',
      chatTitle: 'Regex help',
      updatedAt: 1,
      messageId: 'm7',
      role: 'assistant',
      snippet: '…split the csv line on commas outside quotes…',
      ranges: [[11, 14]],
    },
  ];

  async function openHistory(): Promise<void> {
    await app.send(init({ chat: chat([userMsg('hi', { id: 'u0' })], 'c1', 'Parsing CSV files'), chats }));
    await app.page.locator('#history-button').click();
    await app.page.locator('#history-panel').waitFor({ state: 'visible' });
  }

  it('typing searches every chat after a pause; hits show a marked snippet and open the message', async () => {
    await openHistory();
    const box = app.page.getByRole('searchbox', { name: 'Search chats' });
    await box.fill('csv');
    assert.equal(await app.page.locator('#history-list .history-item').count(), 1, 'titles filter at once');
    await app.page.waitForFunction(() => (window as any).__posts.some((m: any) => m.type === 'searchChats'));
    const asked = await app.postsOf('searchChats');
    assert.deepEqual(asked, [{ type: 'searchChats', query: 'csv', seq: 1 }]);
    assert.match(await app.page.locator('.search-status').innerText(), /Searching every chat for “csv”/);
    // An answer to an older query is dropped.
    await app.send({ type: 'searchResults', seq: 0, query: 'cs', hits: [], total: 0, chats: 2 });
    await app.send({ type: 'searchResults', seq: 1, query: 'csv', hits, total: 1, chats: 2 });
    const hit = app.page.locator('#search-results .search-hit');
    assert.equal(await hit.count(), 1);
    assert.equal(await hit.locator('mark').innerText(), 'csv');
    assert.match(await app.page.locator('.search-status').innerText(), /1 match for “csv” \(1 chat\)/);
    assert.equal(
      (await hit.textContent())?.replace(/\s+/g, ' '),
      'Regex help · Bud: …split the csv line on commas outside quotes…',
    );
    await app.screenshot('browser-history-search-dark');
    // Keyboard: from the box down through the chat titles to the hit.
    await box.press('ArrowDown');
    await app.page.keyboard.press('ArrowDown');
    assert.equal(await app.page.evaluate(() => document.activeElement?.getAttribute('data-message-id')), 'm7');
    await app.page.keyboard.press('F2');
    assert.equal(await app.page.locator('.history-rename').count(), 0, 'F2 renames chats only, not hits');
    await app.page.keyboard.press('Enter');
    assert.deepEqual(await app.postsOf('openSearchHit'), [{ type: 'openSearchHit', chatId: 'c2', messageId: 'm7' }]);
    assert.equal(await app.page.locator('#history-panel').isVisible(), false, 'the panel closes');
  });

  it('says so when no message matches; one letter only filters titles', async () => {
    await openHistory();
    const box = app.page.getByRole('searchbox', { name: 'Search chats' });
    await box.fill('r');
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(await app.postsOf('searchChats'), []);
    assert.equal(await app.page.locator('.search-section').isVisible(), false);
    await box.fill('zebra');
    await app.page.waitForFunction(() => (window as any).__posts.some((m: any) => m.type === 'searchChats'));
    await app.send({ type: 'searchResults', seq: 1, query: 'zebra', hits: [], total: 0, chats: 2 });
    assert.equal(await app.page.locator('.search-status').innerText(), 'No message in 2 chats holds “zebra”.');
  });

  it('a revealed message is scrolled into view, highlighted and focused', async () => {
    const messages = [];
    for (let i = 0; i < 30; i++) messages.push(userMsg(`question ${i}`, { id: `q${i}` }), assistantMsg(`answer ${i}`));
    await app.send(init({ chat: chat([userMsg('x')], 'c1'), chats }));
    await app.send({ type: 'chatLoaded', chat: chat(messages, 'c2', 'Regex help'), reveal: 'q3' });
    const target = app.page.locator('.message[data-id="q3"]');
    assert.equal(await target.evaluate((el) => el.classList.contains('revealed')), true);
    assert.equal(await app.page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'q3');
    const box = await target.boundingBox();
    const list = await app.page.locator('#messages').boundingBox();
    assert.ok(box && list && box.y >= list.y && box.y + box.height <= list.y + list.height, 'in view');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await target.evaluate((el) => el.getBoundingClientRect().top > 0), true, 'stays in view');
  });

  it('export and import from the history panel', async () => {
    await openHistory();
    const row = app.page.locator('.history-item[data-chat-id="c2"]');
    await row.hover();
    await row.getByRole('button', { name: 'Export “Regex help”' }).click();
    await app.page.getByRole('button', { name: 'Import a chat from a JSON export' }).click();
    const posts = (await app.posts()).filter((p) => p.type === 'exportChat' || p.type === 'importChat');
    assert.deepEqual(posts, [{ type: 'exportChat', chatId: 'c2' }, { type: 'importChat' }]);
  });
});
