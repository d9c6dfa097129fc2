// Scroll follow (webview bundle in Chromium, fake host): when a question is sent, the new exchange comes into view
// and the view follows the streamed answer until the user scrolls up; then it stays where the user put it.
// Reproduces "a second question's answer streamed below the fold": the host posts the question and the empty
// answer back to back, so the scroll event of the jump to the question arrived after the answer had grown the list,
// and read as the user having scrolled away.
import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HostMessage } from '../../src/protocol';
import { launchBrowser, openApp, type AppPage } from './appSupport';
import { assistantMsg, chat, init, userMsg } from './appFixtures';

describe('chat view: scroll follow', function () {
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
    app = await openApp(browser, { height: 500 });
  });
  afterEach(async () => {
    await app?.close();
  });

  const distance = () =>
    app.page.evaluate(() => {
      const el = document.getElementById('messages')!;
      return Math.round(el.scrollHeight - el.scrollTop - el.clientHeight);
    });
  const frames = (n = 2) =>
    app.page.evaluate(
      (count) =>
        new Promise<void>((resolve) => {
          let left = count;
          const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }),
      n,
    );
  /** Posts host messages in one task, as a burst from the host arrives. */
  const burst = (...msgs: HostMessage[]) =>
    app.page.evaluate((list) => {
      for (const m of list) window.postMessage(m, '*');
    }, msgs as unknown[]);

  async function ask(question: string, answerId: string): Promise<void> {
    await burst(
      { type: 'messageAdded', message: userMsg(question) },
      { type: 'messageAdded', message: assistantMsg('', { id: answerId, status: 'streaming' }) },
    );
    await frames();
  }

  async function stream(answerId: string, lines: number, from = 0): Promise<number[]> {
    const seen: number[] = [];
    for (let i = from; i < from + lines; i++) {
      await app.send({ type: 'answerDelta', id: answerId, text: `Line ${i} of the answer, long enough to wrap.\n\n` });
      await frames(1);
      seen.push(await distance());
    }
    return seen;
  }

  it('a second question and its streamed answer stay in view', async () => {
    await app.send(init({ chat: chat([]) }));
    await ask('first question', 'a1');
    await stream('a1', 30);
    await app.send({ type: 'answerEnded', id: 'a1', status: 'complete' });
    await frames();
    assert.ok((await distance()) <= 48, 'at the end of the first answer');

    await ask('second question', 'a2');
    assert.ok((await distance()) <= 48, `the new exchange is in view (distance ${await distance()} px)`);
    const seen = await stream('a2', 30);
    assert.ok(
      seen.every((d) => d <= 48),
      `the view follows the second answer (distances from the bottom: ${seen.join(', ')})`,
    );
    await app.screenshot('browser-scroll-follow-second-answer');
  });

  it('stops following when the user scrolls up, and follows again on the next question', async () => {
    const history = [];
    for (let i = 0; i < 10; i++) history.push(userMsg(`q${i}`), assistantMsg(`answer ${i}\n\n`.repeat(8)));
    await app.send(init({ chat: chat(history) }));
    await frames();
    await ask('a question', 'a3');
    await stream('a3', 5);
    await app.page.locator('#messages').hover();
    await app.page.mouse.wheel(0, -400);
    await app.page.waitForFunction(() => !document.getElementById('scroll-to-bottom')!.hidden);
    const top = await app.page.evaluate(() => document.getElementById('messages')!.scrollTop);
    await stream('a3', 10, 5);
    assert.equal(
      await app.page.evaluate(() => document.getElementById('messages')!.scrollTop),
      top,
      'the reader stays where they scrolled',
    );
    assert.ok((await distance()) > 48);
    await app.send({ type: 'answerEnded', id: 'a3', status: 'complete' });
    await ask('another question', 'a4');
    const seen = await stream('a4', 10);
    assert.ok(
      seen.every((d) => d <= 48),
      `sending brings the view back and it follows (${seen.join(', ')})`,
    );
  });
});
