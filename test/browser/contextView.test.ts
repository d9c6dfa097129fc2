// The context window in the chat view (dist/webview.js in Chromium): the header's meter with its breakdown and
// warning, the "not sent" marker, the summary marker (Open, Undo), and answers that ended early (Continue, which
// appends to the same answer; the content filter note). Host messages go in as VS Code delivers them.
import * as assert from 'node:assert/strict';
import type { ContextInfo } from '../../src/protocol';
import { useAppPage, type AppPage } from './appSupport';
import { assistantMsg, chat, init, userMsg } from './appFixtures';

function info(over: Partial<ContextInfo> = {}): ContextInfo {
  return {
    tokens: 2100,
    window: 8192,
    reserve: 1638,
    reserveRule: '20% of the window (1,638 tokens; between 256 and 8,192)',
    source: 'server',
    sourceDetail: "Stated by the server's model list (max_model_len: 8,192 tokens).",
    breakdown: { system: 120, tools: 800, history: 980, attachments: 200 },
    notSent: 0,
    fits: true,
    calibrated: true,
    ...over,
  };
}

describe('context window in the chat view (Chromium)', function () {
  this.timeout(60_000);
  const page = useAppPage();
  let app: AppPage;
  beforeEach(() => {
    app = page.app();
  });

  it('the meter shows tokens of the next request over the window, the breakdown on focus, and warns from 80%', async () => {
    await app.send(init({ chat: chat([userMsg('hi'), assistantMsg('hello')]) }));
    const meter = app.page.locator('#context-meter');
    assert.equal(await meter.isVisible(), false, 'hidden until the host counts');
    await app.send({ type: 'context', info: info() });
    await meter.waitFor({ state: 'visible' });
    assert.equal(await meter.locator('.meter-text').innerText(), '2.1k / 8.2k');
    assert.equal(await meter.getAttribute('data-level'), 'ok');
    assert.match(
      (await meter.getAttribute('aria-label'))!,
      /uses 2,100 of 8,192 tokens \(26%\); 1,638 more are kept for the answer/,
    );
    const details = app.page.locator('#context-details');
    assert.equal(await details.isVisible(), false);
    await meter.focus();
    await details.waitFor({ state: 'visible' });
    const text = await details.innerText();
    for (const part of [
      /System & instructions\s+120/,
      /Tools\s+800/,
      /History\s+980/,
      /Attachments\s+200/,
      /Window \(server\): Stated by the server's model list/,
      /max_model_len: 8,192/,
      /Kept for the answer: 20% of the window/,
    ])
      assert.match(text, part);
    await app.screenshot('browser-context-meter-breakdown');
    await app.send({ type: 'context', info: info({ tokens: 5400 }) });
    assert.equal(await meter.getAttribute('data-level'), 'warn', '5,400 of 6,554 is 82%');
    await app.send({ type: 'context', info: info({ tokens: 9000, fits: false }) });
    assert.equal(await meter.getAttribute('data-level'), 'over');
    assert.match((await meter.getAttribute('aria-label'))!, /does not fit/);
    await app.send({ type: 'context', info: null });
    assert.equal(await meter.isVisible(), false);
  });

  it('marks the first message sent: the count, Condense and Show; the messages before it are dimmed', async () => {
    const msgs = [
      userMsg('q1'),
      assistantMsg('a1'),
      userMsg('q2'),
      assistantMsg('a2'),
      userMsg('q3'),
      assistantMsg('a3'),
    ];
    await app.send(init({ chat: chat(msgs) }));
    await app.send({ type: 'context', info: info({ notSent: 4, firstSentId: msgs[4].id }) });
    const marker = app.page.locator('.not-sent-marker');
    await marker.waitFor();
    assert.equal(await marker.locator('.marker-text').innerText(), '4 earlier messages are not sent to the model');
    const order = await app.page.evaluate(() =>
      Array.from(document.querySelectorAll('.messages-inner > *')).map((e) =>
        e.classList.contains('context-marker') ? 'marker' : e.classList.contains('not-sent') ? 'dim' : 'sent',
      ),
    );
    assert.deepEqual(order, ['dim', 'dim', 'dim', 'dim', 'marker', 'sent', 'sent']);
    await marker.locator('button[data-action="condense"]').click();
    assert.deepEqual(await app.postsOf('action'), [{ type: 'action', action: 'condense' }]);
    await marker.locator('button[data-show-not-sent]').click();
    // Fewer not sent later (a larger window): the marker moves; none: it goes.
    await app.send({ type: 'context', info: info({ notSent: 2, firstSentId: msgs[2].id }) });
    assert.equal(await app.page.locator('.message.not-sent').count(), 2);
    await app.send({ type: 'context', info: info() });
    assert.equal(await app.page.locator('.not-sent-marker').count(), 0);
    assert.equal(await app.page.locator('.message.not-sent').count(), 0);
  });

  it('the summary marker stands after what it covers: Open shows the summary, Undo asks the host', async () => {
    const msgs = [userMsg('q1'), assistantMsg('a1'), userMsg('q2'), assistantMsg('a2')];
    const summary = {
      id: 's1',
      text: '- They chose **undici**.',
      throughId: msgs[1].id,
      coveredCount: 2,
      createdAt: 1,
    };
    await app.send(init({ chat: { ...chat(msgs), summary } }));
    const marker = app.page.locator('.summary-marker');
    await marker.waitFor();
    assert.match(
      await marker.locator('.marker-text').innerText(),
      /^Summary of 2 earlier messages: the model sees it instead of them$/,
    );
    assert.equal(await app.page.locator('.message.condensed').count(), 2);
    const open = marker.getByRole('button', { name: 'Open' });
    await open.click();
    await marker.locator('.summary-body strong', { hasText: 'undici' }).waitFor();
    assert.equal(await marker.getByRole('button', { name: 'Close' }).getAttribute('aria-expanded'), 'true');
    await marker.locator('button[data-undo-condense]').click();
    assert.deepEqual(await app.postsOf('undoCondense'), [{ type: 'undoCondense' }]);
    await app.send({ type: 'summary', summary: null });
    assert.equal(await app.page.locator('.summary-marker').count(), 0);
    assert.equal(await app.page.locator('.message.condensed').count(), 0);
  });

  it('Cut off at the token limit: Continue streams the rest into the same answer; a filtered answer says so', async () => {
    const cut = assistantMsg('The steps are: one, two', { finish: 'length' });
    const filtered = assistantMsg('Part of it', { finish: 'content_filter' });
    await app.send(init({ chat: chat([userMsg('steps?'), filtered, userMsg('steps again'), cut]) }));
    const item = app.page.locator(`.message[data-id="${cut.id}"]`);
    assert.match(await item.innerText(), /Cut off at the token limit\./);
    assert.equal(await item.locator('.status-badge').innerText(), 'Cut off');
    assert.match(
      await app.page.locator(`.message[data-id="${filtered.id}"]`).innerText(),
      /Stopped by the server's content filter\./,
    );
    await app.screenshot('browser-context-cut-off');
    await item.getByRole('button', { name: 'Continue' }).click();
    assert.deepEqual(await app.postsOf('continueAnswer'), [{ type: 'continueAnswer', id: cut.id }]);
    await app.send({ type: 'answerResumed', id: cut.id });
    assert.equal(await item.getAttribute('data-status'), 'streaming');
    assert.equal(await item.getByRole('button', { name: 'Continue' }).count(), 0);
    await app.send(
      { type: 'answerDelta', id: cut.id, text: ', three.' },
      { type: 'answerEnded', id: cut.id, status: 'complete' },
    );
    await app.page.waitForFunction(
      (id) => document.querySelector(`.message[data-id="${id}"]`)?.getAttribute('data-status') === 'complete',
      cut.id,
    );
    assert.match(await item.locator('.content').innerText(), /^The steps are: one, two, three\.$/);
    assert.equal(await app.page.locator('.message.assistant').count(), 2, 'the rest joined the same answer');
    assert.doesNotMatch(await item.innerText(), /Cut off/);
  });

  it('the draft is counted after a pause in typing, not per keystroke', async () => {
    await app.send(init());
    await app.page.locator('#input').pressSequentially('How big is this?', { delay: 10 });
    await app.page.waitForTimeout(700);
    const drafts = await app.postsOf('draft');
    assert.equal(drafts.length, 1, JSON.stringify(drafts));
    assert.equal(drafts[0].text, 'How big is this?');
  });
});
