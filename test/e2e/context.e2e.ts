// The context window end to end, in code-server + Chromium with the real extension:
//   1. a server that advertises and enforces a 4,096-token window, counting with the same tokenizer and refusing
//      exactly as vLLM does: a 200-turn chat of long messages with tool calls gets no refusal at all. Most turns
//      are driven through the extension's test API inside the extension host (test/harness/driver-extension);
//      the last ones are typed in the chat, and the meter and the "not sent" marker are checked and photographed;
//   2. a server that advertises nothing and refuses the OpenAI way: at most one refusal, then every message is
//      answered (the window is learned from the refusal);
//   3. an answer cut off at the token limit, continued with Continue (twice, across a window reload), forms one
//      message.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { contextServer, type ContextServer } from '../../scripts/server/contextServer';
import { startTestServer, type TestServer } from '../../scripts/server/openai-server';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import type { Workbench } from '../harness/workbench';
import { Driver, DRIVER_EXTENSION } from './driver';

const MODEL = 'ctx-model';
const WINDOW = 4096;
/** Bud's reserve for the answer at a 4,096-token window: 20%. */
const RESERVE = 819;

interface SendSummary {
  messages: number;
  statuses: string[];
  errors: string[];
}

/** A long message (about 300 tokens); every fifth asks the model to read a file first. */
function turnText(i: number): string {
  const ask = i % 5 === 0 ? '[read] ' : '';
  return `${ask}Turn ${i}: ${'How does the fitter decide which earlier turns to leave out when the window is full? '.repeat(16)}`;
}

async function lastAnswerEnded(chat: Frame, count: number): Promise<void> {
  try {
    await chat.waitForFunction(
      (n) => {
        const all = document.querySelectorAll('.message.assistant');
        const s = all[all.length - 1]?.getAttribute('data-status');
        return all.length >= n && !!s && s !== 'streaming';
      },
      count,
      { timeout: 60_000 },
    );
  } catch (err) {
    // Say what the view shows, so a failure tells a message that never left from an answer that never ended.
    const seen = await chat
      .evaluate(() => {
        const all = document.querySelectorAll('.message.assistant');
        const input = document.querySelector<HTMLTextAreaElement>('#input');
        return {
          answers: all.length,
          lastStatus: all[all.length - 1]?.getAttribute('data-status'),
          button: document.querySelector('#send')?.getAttribute('data-mode'),
          inputChars: input?.value.length,
        };
      })
      .catch(() => undefined);
    throw new Error(`no ended answer #${count} within 60 s; the view shows ${JSON.stringify(seen)}`, { cause: err });
  }
}

async function lastAnswerHas(chat: Frame, text: string): Promise<void> {
  await chat.waitForFunction(
    (t) => {
      const all = document.querySelectorAll('.message.assistant .content');
      return (all[all.length - 1]?.textContent ?? '').includes(t);
    },
    text,
    { timeout: 60_000 },
  );
}

describe('context window end to end (code-server + Chromium)', function () {
  this.timeout(600_000);
  let api: TestServer;
  let api2: TestServer;
  let enforced: ContextServer;
  let silent: ContextServer;
  let server: CodeServer;
  let wb: Workbench;
  let chat: Frame;
  let driver: Driver;
  let driveDir: string;

  before(async function () {
    this.timeout(300_000);
    enforced = contextServer({ window: WINDOW, advertise: true, refuseAs: 'vllm', model: MODEL });
    api = await startTestServer({ models: [MODEL], defaultHandler: enforced.handler });
    api.modelsHandler = enforced.modelsHandler;
    silent = contextServer({ window: 3000, advertise: false, refuseAs: 'openai', model: MODEL });
    api2 = await startTestServer({ models: [MODEL], defaultHandler: silent.handler });
    api2.modelsHandler = silent.modelsHandler;
    driveDir = mkdtempSync(join(tmpdir(), 'bud-drive-'));
    driver = new Driver(driveDir);
    const settings = { 'bud.model': MODEL, 'bud.maxRetries': 0 };
    server = await startCodeServer({
      label: 'context-e2e',
      settings,
      machineSettings: { 'bud.baseUrl': api.url, ...settings },
      extraExtensions: [DRIVER_EXTENSION],
      env: { BUD_API_KEY: 'sk-context-0123456789', BUD_E2E_DRIVE_DIR: driveDir },
    });
    wb = await server.openWorkbench({ viewport: { width: 1280, height: 860 } });
    chat = await wb.openChatView();
  });

  after(async () => {
    await server?.close();
    await api?.close();
    await api2?.close();
    if (driveDir) rmSync(driveDir, { recursive: true, force: true });
  });

  it('a server that advertises and enforces 4,096 tokens: 200 turns with tool calls, no refusal', async () => {
    let last: SendSummary | undefined;
    for (let start = 0; start < 195; start += 39) {
      const texts = Array.from({ length: 39 }, (_, k) => turnText(start + k));
      last = await driver.call<SendSummary>({ op: 'send', texts });
      assert.deepEqual(last.errors, [], `turns ${start}..${start + 38}`);
    }
    assert.equal(last!.messages, 390);
    assert.ok(last!.statuses.every((s) => s === 'complete'));
    // The last five through the chat itself, as a user types them. The driver's turns come faster than anyone types:
    // the view is still drawing them (127 of 195 answers when the driver returned, on a quiet machine), and its Send
    // button turns Stop and back with each one, so a click now could land on Stop. A user types into a view that
    // has caught up.
    await lastAnswerEnded(chat, 195);
    for (let i = 195; i < 200; i++) {
      await wb.typeAndSend(turnText(i));
      await lastAnswerEnded(chat, i + 1);
    }
    assert.equal(await chat.locator('.message.assistant[data-status="complete"]').count(), 200);
    assert.equal(enforced.refusals, 0, 'no request was refused');
    assert.ok(enforced.largest + RESERVE <= WINDOW, `the largest prompt was ${enforced.largest} tokens`);
    const toolRows = await chat.locator('.tool-call').count();
    assert.ok(toolRows >= 40, `tool calls shown: ${toolRows}`);
    // What the user sees: the meter (window from the server's list) and where the sent part begins.
    const meter = chat.locator('#context-meter');
    await meter.waitFor({ state: 'visible' });
    assert.match(await meter.locator('.meter-text').innerText(), /^[\d.]+k \/ 4\.1k$/);
    const marker = chat.locator('.not-sent-marker');
    await marker.waitFor({ state: 'visible' });
    assert.match(await marker.innerText(), /\d+ earlier messages are not sent to the model/);
    // The marker is redrawn when the usage of the last answer arrives; scroll to whichever one is current.
    await chat.evaluate(() => document.querySelector('.not-sent-marker')?.scrollIntoView({ block: 'center' }));
    await wb.screenshot('e2e-context-meter-marker');
    await meter.hover();
    const details = chat.locator('#context-details');
    await details.waitFor({ state: 'visible' });
    assert.match(
      await details.innerText(),
      /Window \(server\): Stated by the server's model list \(max_model_len: 4,096 tokens\)/,
    );
    await wb.screenshot('e2e-context-meter-breakdown');
  });

  it('a server that advertises nothing and refuses the OpenAI way: at most one refusal, then every message is answered', async () => {
    await driver.call({ op: 'baseUrl', url: api2.url });
    await driver.call({ op: 'newChat' });
    const texts = Array.from({ length: 30 }, (_, i) => turnText(i + 1000));
    const r = await driver.call<SendSummary>({ op: 'send', texts });
    assert.deepEqual(r.errors, []);
    assert.equal(r.statuses.length, 30);
    assert.ok(
      r.statuses.every((s) => s === 'complete'),
      r.statuses.join(','),
    );
    assert.ok(silent.refusals <= 1, `${silent.refusals} refusals`);
    assert.equal(silent.refusals, 1, 'the default window (8,192) is larger than this server: one refusal teaches it');
    const meter = chat.locator('#context-meter');
    await chat.waitForFunction(() =>
      document.querySelector('#context-meter .meter-text')?.textContent?.endsWith('/ 3k'),
    );
    await meter.hover();
    assert.match(await chat.locator('#context-details').innerText(), /Window \(learned\): Learned from the server/);
    await driver.call({ op: 'baseUrl', url: undefined });
  });

  it('an answer cut off at the token limit, continued with Continue across a reload, forms one message', async () => {
    await driver.call({ op: 'newChat' });
    await wb.typeAndSend('Tell me everything about windows [cut twice]');
    await lastAnswerEnded(chat, 1);
    const answer = chat.locator('.message.assistant').last();
    assert.match(await answer.innerText(), /Cut off at the token limit/);
    await answer.getByRole('button', { name: 'Continue' }).click();
    await lastAnswerHas(chat, 'part two, cut again');
    await lastAnswerEnded(chat, 1);
    assert.equal(await chat.locator('.message.assistant').count(), 1);
    // Reload the window: the cut-off answer comes back whole and can be continued again.
    await wb.page.reload({ waitUntil: 'domcontentloaded', timeout: 180_000 });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
    await server.waitForExtensionHost();
    // The workbench restores the open chat view itself; the palette is the fallback.
    chat = await wb.chatFrame(90_000).catch(() => wb.openChatView());
    const again = chat.locator('.message.assistant').last();
    await again.getByRole('button', { name: 'Continue' }).waitFor({ timeout: 60_000 });
    assert.match(await again.locator('.content').innerText(), /^Part one of the long answer[\s\S]*part two, cut again/);
    await again.getByRole('button', { name: 'Continue' }).click();
    await lastAnswerHas(chat, 'part three, the end.');
    await lastAnswerEnded(chat, 1);
    assert.equal(await chat.locator('.message.assistant').count(), 1, 'one answer, not three');
    const text = await chat.locator('.message.assistant .content').innerText();
    assert.match(
      text,
      /^Part one of the long answer: [\s\S]* and part two, cut again: [\s\S]* and part three, the end\.$/,
    );
    assert.doesNotMatch(await chat.locator('.message.assistant').innerText(), /Cut off at the token limit/);
    await wb.screenshot('e2e-context-continued');
  });
});
