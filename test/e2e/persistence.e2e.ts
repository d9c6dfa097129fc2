// Persistence end to end, in code-server + Chromium with the real extension:
//   - reload the window while an answer streams: afterwards the chat holds every completed message and the
//     partial answer, marked interrupted;
//   - the extension host is killed (SIGKILL) while an answer streams: same;
//   - a corrupted history file is moved aside (kept, named in a notice) and the chat starts fresh, never blank;
//   - two windows on the same workspace do not overwrite each other's messages.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Frame } from 'playwright-core';
import { replies } from '../../scripts/server/openai-server';
import type { CodeServer } from '../harness/codeServer';
import { useChatE2E, waitForAnswerEnd } from '../harness/chatE2E';
import type { Workbench } from '../harness/workbench';
import { recordCase } from './securityCases';

const MODEL = 'test-model';

function chatsDir(server: CodeServer): string {
  const base = join(server.userDataDir, 'User/globalStorage');
  const ext = existsSync(base) ? readdirSync(base).find((d) => /^bud-studio\.bud-chat$/i.test(d)) : undefined;
  return join(base, ext ?? 'bud-studio.bud-chat', 'chats');
}

function chatFiles(server: CodeServer): string[] {
  const dir = chatsDir(server);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^[A-Za-z0-9_-]+\.json$/.test(f))
        .map((f) => join(dir, f))
    : [];
}

async function statuses(chat: Frame): Promise<string[]> {
  return chat
    .locator('.message')
    .evaluateAll((els) =>
      els.map((e) => `${e.classList.contains('user') ? 'user' : 'assistant'}:${e.getAttribute('data-status') ?? ''}`),
    );
}

describe('persistence end to end (code-server + Chromium)', function () {
  this.timeout(300_000);
  const e2e = useChatE2E({
    label: 'persistence-e2e',
    models: [MODEL],
    apiKey: 'sk-persistence-0123456789',
    settings: { 'bud.tools.enabled': false },
  });

  async function reopen(target: Workbench = e2e.wb): Promise<Frame> {
    await target.page.reload({ waitUntil: 'domcontentloaded' });
    await target.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await e2e.server.waitForExtensionHost();
    return target.openChatView();
  }

  async function sendComplete(text: string, answer: string): Promise<void> {
    e2e.api.setDefault(replies.stream([answer.slice(0, 5), answer.slice(5)], { delayMs: 5 }));
    const before = await e2e.chat.locator('.message').count();
    await e2e.wb.typeAndSend(text);
    assert.equal((await waitForAnswerEnd(e2e.chat, before)).status, 'complete');
  }

  async function startLongAnswer(prefix: string): Promise<void> {
    e2e.api.setDefault(
      replies.stream(
        Array.from({ length: 400 }, (_, i) => `${prefix}${i} `),
        { delayMs: 100 },
      ),
    );
    await e2e.wb.typeAndSend(`tell me a long ${prefix} story`);
    await e2e.chat
      .locator('.message.assistant')
      .last()
      .locator('.content', { hasText: `${prefix}12 ` })
      .waitFor({ timeout: 30_000 });
    await sleep(1500); // let the host's debounced save write the partial text
  }

  it('reload mid-stream: every completed message is back, the partial answer marked interrupted', async () => {
    await sendComplete('first question', 'First answer, complete.');
    await startLongAnswer('reload');
    const seen = await e2e.chat.locator('.message.assistant').last().locator('.content').innerText();
    e2e.chat = await reopen();
    await e2e.chat.locator('.message.assistant', { hasText: 'First answer, complete.' }).waitFor({ timeout: 30_000 });
    const st = await statuses(e2e.chat);
    assert.equal(st.length, 4, `four messages: ${st}`);
    assert.equal(st[1], 'assistant:complete');
    assert.equal(st[3], 'assistant:interrupted');
    const partial = await e2e.chat.locator('.message.assistant').last().locator('.content').innerText();
    assert.match(partial, /reload0 reload1 reload2/, 'the partial answer is kept');
    assert.ok(partial.length >= Math.min(seen.length, 60) * 0.5, 'most of what was seen is kept');
    assert.match(
      await e2e.chat.locator('.message.assistant').last().innerText(),
      /interrupted|window closed/i,
      'marked in the view',
    );
    await e2e.wb.screenshot('e2e-persistence-interrupted');
    recordCase({
      kind: 'persistence',
      case: 'reload the window mid-stream',
      expected: 'completed messages back; partial kept, marked interrupted',
      result: `pass: ${st.join(', ')}; partial ${partial.length} chars (seen ${seen.length})`,
      test: 'persistence.e2e: reload mid-stream',
    });
  });

  it('extension host killed (SIGKILL) mid-stream: after restart the partial answer is kept, marked interrupted', async () => {
    await startLongAnswer('kill');
    const out = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(e2e.server.process.pid)], { encoding: 'utf8' });
    const hosts = out
      .split('\n')
      .filter((l) => /extensionHost|--type=extensionHost|bootstrap-fork.*extensionHost/.test(l))
      .map((l) => Number(l.trim().split(/\s+/)[0]));
    assert.ok(hosts.length >= 1, `an extension host process of this code-server: ${out}`);
    for (const pid of hosts) process.kill(pid, 'SIGKILL');
    await sleep(2000);
    e2e.chat = await reopen();
    await e2e.chat.locator('.message.assistant', { hasText: 'First answer, complete.' }).waitFor({ timeout: 60_000 });
    const st = await statuses(e2e.chat);
    assert.equal(st[st.length - 1], 'assistant:interrupted', `last answer interrupted: ${st}`);
    assert.equal(st.filter((s) => s === 'assistant:complete').length, 1, `completed answer kept: ${st}`);
    assert.match(await e2e.chat.locator('.message.assistant').last().locator('.content').innerText(), /kill0 kill1/);
    // The chat still works afterwards.
    await sendComplete('after the crash', 'Working again.');
    recordCase({
      kind: 'persistence',
      case: 'extension host SIGKILL mid-stream',
      expected: 'partial kept, marked interrupted; chat works after restart',
      result: `pass: ${st.join(', ')}`,
      test: 'persistence.e2e: extension host killed',
    });
  });

  it('a corrupted history file is moved aside, kept, named in a notice; the chat starts fresh', async () => {
    // The window may still be writing the last answer (writes are debounced by a second): corrupting the file before
    // that would have the write find it, move it aside and write the chat again, before the reopened window looks.
    const stamp = () =>
      chatFiles(e2e.server)
        .map((f) => `${f}:${statSync(f).mtimeMs}`)
        .join();
    for (let last = '', now = stamp(); now !== last; now = stamp()) {
      last = now;
      await sleep(1500);
    }
    const files = chatFiles(e2e.server);
    assert.ok(files.length >= 1, 'the chat was saved');
    const newest = files
      .map((f) => ({ f, t: JSON.parse(readFileSync(f, 'utf8')).updatedAt ?? 0 }))
      .sort((a, b) => b.t - a.t)[0].f;
    const garbage = '{"version":1,"id":"oops", "messages": [ {"role": "user", "content": "trunc\u0000\u00ff garbage';
    writeFileSync(newest, garbage);
    e2e.chat = await reopen();
    const notice = e2e.chat.locator('#notice');
    await notice.filter({ hasText: /could not be read/ }).waitFor({ timeout: 30_000 });
    const text = await notice.innerText();
    const aside = readdirSync(chatsDir(e2e.server)).filter((f) => /\.corrupt-.*\.json$/.test(f));
    assert.equal(aside.length, 1, `moved aside: ${aside}`);
    assert.equal(readFileSync(join(chatsDir(e2e.server), aside[0]), 'utf8'), garbage, 'kept byte for byte');
    assert.ok(text.includes(aside[0]), `the notice names the file: ${text}`);
    assert.equal(await e2e.chat.locator('.message').count(), 0, 'a fresh chat');
    assert.equal(await e2e.chat.locator('#empty-state').isVisible(), true, 'never a blank panel');
    await sendComplete('fresh start', 'Fresh chat works.');
    await e2e.wb.screenshot('e2e-persistence-corrupt-notice');
    recordCase({
      kind: 'persistence',
      case: 'corrupted history file (truncated JSON with NUL bytes)',
      expected: 'moved aside byte-for-byte, named in a notice, fresh chat',
      result: `pass: "${text.replace(/\s+/g, ' ').slice(0, 140)}"`,
      test: 'persistence.e2e: a corrupted history file',
    });
  });

  it("two windows on the same workspace do not overwrite each other's chats", async () => {
    const wb2 = await e2e.server.openWorkbench({ viewport: { width: 1280, height: 800 } });
    try {
      const chat2 = await wb2.openChatView();
      // Window 1 and window 2 each add a question and an answer, interleaved.
      await sendComplete('window one asks', 'Answer for window one.');
      e2e.api.setDefault(replies.stream(['Answer for ', 'window two.'], { delayMs: 5 }));
      const before2 = await chat2.locator('.message').count();
      await wb2.typeAndSend('window two asks');
      assert.equal((await waitForAnswerEnd(chat2, before2)).status, 'complete');
      await sendComplete('window one again', 'Second answer for window one.');
      await sleep(2500); // debounced saves
      const all = chatFiles(e2e.server)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      for (const t of [
        'window one asks',
        'Answer for window one.',
        'window two asks',
        'Answer for window two.',
        'window one again',
        'Second answer for window one.',
      ]) {
        assert.ok(all.includes(t), `saved: ${t}`);
      }
      // After reloading both windows, each still shows what it wrote.
      e2e.chat = await reopen(e2e.wb);
      await e2e.chat
        .locator('.message.assistant', { hasText: 'Second answer for window one.' })
        .waitFor({ timeout: 30_000 });
      const c2 = await reopen(wb2);
      await c2.locator('.message.assistant', { hasText: 'Answer for window two.' }).waitFor({ timeout: 30_000 });
      recordCase({
        kind: 'persistence',
        case: 'two windows (two pages) on the same workspace, interleaved sends',
        expected: 'every message of both windows saved; both restore',
        result: 'pass: all 6 messages in the saved chats',
        test: 'persistence.e2e: two windows',
      });
    } finally {
      await wb2.close();
    }
  });
});
