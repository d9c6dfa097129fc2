// Branches and message actions in the chat view (webview bundle in Chromium, fake host): the ‹ 1 / 2 › arrows,
// Edit, Regenerate, Copy and Delete post the right requests, `pathChanged` redraws the path below its anchor, and
// keyboard focus survives the redraw.
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { closeAndCheck, launchBrowser, openApp, type AppPage } from './appSupport';
import { assistantMsg, chat, init, userMsg } from './appFixtures';

describe('chat view: branches and message actions', function () {
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

  const q1 = userMsg('What does parse() do?', { id: 'q1' });
  const a1 = assistantMsg('It parses **CSV**.', { id: 'a1', branch: { index: 1, count: 2 } });
  const q2 = userMsg('And quotes?', { id: 'q2', branch: { index: 0, count: 3 } });
  const a2 = assistantMsg('Quotes are kept.', { id: 'a2' });

  it('shows ‹ 2 / 2 › on a message with siblings, labelled, and asks the host to switch', async () => {
    await app.send(init({ chat: chat([q1, a1, q2, a2]) }));
    const nav = app.page.locator('.message[data-id="a1"] .branch-nav');
    assert.equal(await nav.getAttribute('aria-label'), 'Branch 2 of 2');
    assert.equal((await nav.innerText()).replace(/\s+/g, ' ').trim(), '2 / 2');
    const prev = nav.getByRole('button', { name: 'Previous answer (Branch 2 of 2)' });
    const next = nav.getByRole('button', { name: 'Next answer (Branch 2 of 2)' });
    assert.equal(await next.isDisabled(), true, 'no branch after the last');
    assert.equal(await app.page.locator('.message[data-id="q1"] .branch-nav').count(), 0, 'no arrows without siblings');
    await prev.click();
    assert.deepEqual(await app.postsOf('switchBranch'), [{ type: 'switchBranch', id: 'a1', index: 0 }]);
    await app.screenshot('browser-branch-arrows-dark');
  });

  it('pathChanged replaces the messages after its anchor and keeps keyboard focus on the arrow', async () => {
    await app.send(init({ chat: chat([q1, a1, q2, a2]) }));
    const prev = app.page.locator('.message[data-id="a1"] [data-message-action="branch-prev"]');
    await prev.focus();
    await app.page.keyboard.press('Enter');
    assert.deepEqual(await app.postsOf('switchBranch'), [{ type: 'switchBranch', id: 'a1', index: 0 }]);
    const a1old = assistantMsg('It reads lines.', { id: 'a1old', branch: { index: 0, count: 2 } });
    const q3 = userMsg('Old follow-up', { id: 'q3' });
    await app.send({ type: 'pathChanged', afterId: 'q1', messages: [a1old, q3] });
    const ids = await app.page.locator('.message').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(ids, ['q1', 'a1old', 'q3']);
    const focused = await app.page.evaluate(() => ({
      action: document.activeElement?.getAttribute('data-message-action'),
      id: document.activeElement?.closest('[data-id]')?.getAttribute('data-id'),
    }));
    assert.deepEqual(focused, { action: 'branch-next', id: 'a1old' }, 'the next arrow (the previous is disabled now)');
    await app.send({ type: 'pathChanged', afterId: null, messages: [] });
    assert.equal(await app.page.locator('.message').count(), 0);
    assert.equal(await app.page.locator('#empty-state').isVisible(), true);
  });

  it('Edit opens an editor in place: Enter sends a new version, Escape cancels', async () => {
    await app.send(init({ chat: chat([q1, a1, q2, a2]) }));
    const msg = app.page.locator('.message[data-id="q2"]');
    await msg.hover();
    await msg.getByRole('button', { name: 'Edit and resend (keeps this version as a branch)' }).click();
    const editor = msg.getByRole('textbox', { name: /Edit your message/ });
    assert.equal(await editor.inputValue(), 'And quotes?');
    assert.equal(await app.page.evaluate(() => document.activeElement?.className), 'edit-input');
    await editor.press('Escape');
    assert.equal(await msg.locator('.message-editor').count(), 0);
    assert.equal(await msg.locator('.user-text').innerText(), 'And quotes?');
    assert.equal(
      await app.page.evaluate(() => document.activeElement?.getAttribute('data-message-action')),
      'edit',
      'focus back on Edit',
    );
    assert.deepEqual(await app.postsOf('editMessage'), []);
    await app.page.keyboard.press('Enter');
    await editor.fill('And escaped quotes?');
    await editor.press('Enter');
    assert.deepEqual(await app.postsOf('editMessage'), [
      { type: 'editMessage', id: 'q2', text: 'And escaped quotes?' },
    ]);
    assert.deepEqual(await app.postsOf('stop'), [], 'Escape in the editor did not stop anything');
  });

  it('Copy, Regenerate and Delete post their requests; an answer streaming has no actions', async () => {
    await app.send(init({ chat: chat([q1, a1, q2, assistantMsg('', { id: 'a2s', status: 'streaming' })]) }));
    assert.equal(await app.page.locator('.message[data-id="a2s"] [data-message-action]').count(), 0);
    const answer = app.page.locator('.message[data-id="a1"]');
    await answer.hover();
    await answer.getByRole('button', { name: 'Copy answer as Markdown' }).click();
    await answer.getByRole('button', { name: 'Regenerate answer (keeps this one as a branch)' }).click();
    const question = app.page.locator('.message[data-id="q1"]');
    await question.hover();
    await question.getByRole('button', { name: 'Delete this question and its answer' }).click();
    const posts = (await app.posts()).filter((p) => ['copyMessage', 'regenerate', 'deleteTurn'].includes(p.type));
    assert.deepEqual(posts, [
      { type: 'copyMessage', id: 'a1' },
      { type: 'regenerate', id: 'a1' },
      { type: 'deleteTurn', id: 'q1' },
    ]);
    assert.match(await app.page.locator('#announcer').innerText(), /Copied the answer/);
    await app.send({ type: 'answerEnded', id: 'a2s', status: 'complete' });
    assert.equal(
      await app.page.locator('.message[data-id="a2s"] [data-message-action]').count(),
      2,
      'actions once done',
    );
  });

  it('a deleted turn offers Undo in the notice', async () => {
    await app.send(init({ chat: chat([q1, a1]) }));
    await app.send(
      { type: 'pathChanged', afterId: null, messages: [] },
      { type: 'notice', notice: { level: 'info', text: 'The turn was deleted.', actions: ['undoDelete'] } },
    );
    await app.page.locator('#notice').getByRole('button', { name: 'Undo' }).click();
    assert.deepEqual(await app.postsOf('action'), [{ type: 'action', action: 'undoDelete' }]);
  });
});
