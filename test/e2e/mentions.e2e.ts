// End to end in code-server (a real VS Code) and Chromium: the # picker with the keyboard, .env never offered,
// #changes from a real git repository, #terminal after a command in a real terminal, the Explorer's "Add File to
// Bud Chat", a prompt file as a slash command, AGENTS.md in the system prompt, chips back after a reload; and, in a
// second window on an untrusted copy, AGENTS.md ignored in Restricted Mode. The test server records every request,
// so each test checks what reached the model.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { replies, startTestServer, type TestServer } from '../../scripts/server/openai-server';
import { fixtureWorkspace, startCodeServer, type CodeServer } from '../harness/codeServer';
import type { Workbench } from '../harness/workbench';

const MODEL = 'mentions-model';
const AGENTS = 'Always answer in haiku when asked about math (e2e-agents-marker).';

/** A copy of the fixture workspace with instructions, a prompt file, a secret, and git history with changes. */
function makeWorkspace(git: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'bud-mentions-ws-'));
  cpSync(fixtureWorkspace(), dir, { recursive: true });
  writeFileSync(join(dir, 'AGENTS.md'), `# Notes for agents\n${AGENTS}\n`);
  mkdirSync(join(dir, '.bud/prompts'), { recursive: true });
  writeFileSync(
    join(dir, '.bud/prompts/shout.md'),
    '---\ndescription: Say it loudly\n---\nAnswer in capitals about $ARGUMENTS, looking at ${file}.\n',
  );
  writeFileSync(join(dir, '.env'), 'API_KEY=e2e-do-not-send-31337\n');
  if (git) {
    const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    g('init', '-q', '-b', 'main');
    g('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'add', '-A');
    g('-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '-q', '-m', 'fixture');
    const math = readFileSync(join(dir, 'src/math.ts'), 'utf8');
    writeFileSync(join(dir, 'src/math.ts'), `// e2e-change-marker: subtract next\n${math}`);
    writeFileSync(join(dir, '.env'), 'API_KEY=e2e-changed-secret-4242\n');
    writeFileSync(join(dir, 'NOTES.txt'), 'an untracked file\n');
  }
  return dir;
}

const posts = (api: TestServer) => api.requests.filter((r) => r.method === 'POST');
const userContent = (body: any) => String(body.messages.filter((m: any) => m.role === 'user').pop()?.content ?? '');

describe('mentions and attachments end to end (code-server + Chromium)', function () {
  this.timeout(300_000);
  let api: TestServer;
  let server: CodeServer;
  let wb: Workbench;
  let chat: Frame;
  let workspace: string;

  before(async () => {
    api = await startTestServer({ models: [MODEL] });
    api.setDefault(replies.stream(['Noted.', ' Done.'], { delayMs: 5 }));
    workspace = makeWorkspace(true);
    const settings = {
      'bud.model': MODEL,
      'bud.maxRetries': 0,
      'bud.tools.enabled': true,
      'git.enabled': true,
      'terminal.integrated.shellIntegration.enabled': true,
      'terminal.integrated.defaultProfile.linux': 'bash',
      'terminal.integrated.gpuAcceleration': 'off',
    };
    server = await startCodeServer({
      label: 'mentions-e2e',
      workspace,
      settings,
      machineSettings: { 'bud.baseUrl': api.url, ...settings },
      env: { BUD_API_KEY: 'sk-e2e-mentions-0123456789' },
    });
    wb = await server.openWorkbench({ viewport: { width: 1280, height: 820 } });
    chat = await wb.openChatView();
  });

  after(async () => {
    await server?.close();
    await api?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const input = () => chat.locator('#input');
  const options = () => chat.locator('#mention-list [role="option"]');
  const lastUser = () => chat.locator('.message.user').last();

  async function typeInChat(text: string): Promise<void> {
    await input().click();
    const before = await input().inputValue();
    await wb.page.keyboard.type(text, { delay: 20 });
    // The workbench may move the focus while it shows a view it has just recreated, and keys typed then go elsewhere
    // (a loaded run once never showed the list for "/sh"): put the text in the box again, as a user would retype it.
    if ((await input().inputValue()) !== before + text) await input().fill(before + text);
  }

  async function sendAndWait(): Promise<any> {
    const before = posts(api).length;
    await wb.page.keyboard.press('Enter');
    for (let i = 0; i < 300 && posts(api).length === before; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(posts(api).length, before + 1, 'one request, no tool round');
    await chat.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 30_000 });
    return posts(api)[before].body;
  }

  it('# and part of a file name, picked with the keyboard: the file reaches the model without a tool call', async () => {
    await typeInChat('Why is #mat');
    await options().filter({ hasText: 'math.ts' }).first().waitFor({ timeout: 30_000 });
    assert.equal(await input().getAttribute('aria-controls'), 'mention-list');
    const rows = await options().allInnerTexts();
    const mathRow = rows.findIndex((t) => /^math\.ts/.test(t.trim()));
    assert.ok(mathRow >= 0, rows.join(' | '));
    for (let i = 0; i < mathRow; i++) await wb.page.keyboard.press('ArrowDown');
    assert.equal(await input().getAttribute('aria-activedescendant'), await options().nth(mathRow).getAttribute('id'));
    await wb.screenshot('e2e-mention-picker');
    await wb.page.keyboard.press('Enter');
    await chat.locator('.pending-contexts .context-chip', { hasText: 'math.ts' }).waitFor();
    assert.equal(await input().inputValue(), 'Why is #math.ts ');
    await wb.page.keyboard.type('slow?');
    const body = await sendAndWait();
    const content = userContent(body);
    assert.match(content, /^File `src\/math\.ts` \(typescript, lines 1-\d+ of \d+\):\n\n```typescript\n/);
    assert.match(content, /export function fibonacci\(n: number\): number \{/);
    assert.ok(content.endsWith('Why is #math.ts slow?'));
    assert.ok(!body.messages.some((m: any) => m.role === 'tool'), 'no tool result: the file was attached');
    await lastUser().locator('.context-chip', { hasText: 'math.ts' }).waitFor();
    assert.equal(await chat.locator('.pending-contexts .context-chip').count(), 0);
  });

  it('.env is never offered, however it is typed', async () => {
    for (const q of ['#.env', '#env', '@.en']) {
      await input().fill('');
      await typeInChat(q);
      await chat.locator('#mention-list').waitFor({ state: 'visible', timeout: 30_000 });
      await wb.page.waitForTimeout(400);
      const rows = await options().allInnerTexts();
      assert.ok(!rows.some((r) => /\.env/.test(r)), `${q}: ${rows.join(' | ')}`);
      await wb.page.keyboard.press('Escape');
    }
    await input().fill('');
  });

  it('#changes sends the git diff of the working tree (never the .env change) and names untracked files', async () => {
    await typeInChat('#chan');
    await options().filter({ hasText: '#changes' }).first().waitFor({ timeout: 30_000 });
    await wb.page.keyboard.press('Enter');
    const chip = chat.locator('.pending-contexts .context-chip[data-kind="changes"]');
    await chip.waitFor();
    await wb.page.keyboard.type('review this');
    const content = userContent(await sendAndWait());
    assert.match(
      content,
      /^Changes \(1 file, 1 untracked\) \(uncommitted git changes: the diff of the index and of the working tree\):\n\[Left out: \.env/,
    );
    assert.match(content, /diff --git a\/src\/math\.ts b\/src\/math\.ts[\s\S]*\+\/\/ e2e-change-marker: subtract next/);
    assert.match(content, /# Untracked files \(new, not yet added\)\nNOTES\.txt/);
    assert.ok(
      !content.includes('e2e-changed-secret') && !content.includes('e2e-do-not-send'),
      'the secret never leaves',
    );
  });

  it('#terminal sends the last command of a real terminal and its output', async () => {
    await wb.runCommand('Terminal: Create New Terminal');
    const term = wb.page
      .locator('.terminal-wrapper.active .xterm-helper-textarea, .terminal .xterm-helper-textarea')
      .first();
    await term.waitFor({ state: 'attached', timeout: 30_000 });
    await wb.page.waitForTimeout(3000); // the shell starts and loads its integration script
    await term.focus();
    // VS Code's API passes on output from the moment it reports the command started: print a moment later, as
    // real builds and tests do (output printed in that same instant can be missed; the chip then says so).
    await wb.page.keyboard.type('sleep 1; echo e2e-terminal-$((6*7))');
    await wb.page.keyboard.press('Enter');
    await wb.screenshot('e2e-terminal-command');
    chat = await wb.openChatView();
    // The #terminal row names the last command once the terminal reported it finished; ask again until it does.
    const row = options().filter({ hasText: 'e2e-terminal' }).first();
    for (let attempt = 0; ; attempt++) {
      await input().fill('');
      await typeInChat('#term');
      await options().first().waitFor({ timeout: 30_000 });
      if (await row.isVisible()) break;
      if (attempt === 30)
        assert.fail(`#terminal never named the command: ${(await options().allInnerTexts()).join(' | ')}`);
      await wb.page.keyboard.press('Escape');
      await wb.page.waitForTimeout(2000);
    }
    await wb.page.keyboard.press('Enter');
    await chat.locator('.pending-contexts .context-chip[data-kind="terminal"]').waitFor();
    await wb.page.keyboard.type('what did it print?');
    const content = userContent(await sendAndWait());
    assert.match(content, /^Terminal: sleep 1; echo e2e-terminal-\$\(\(6\*7\)\) \(exit code 0\)/);
    assert.match(content, /```console\n.*\$ sleep 1; echo e2e-terminal-\$\(\(6\*7\)\)\ne2e-terminal-42\n```/);
  });

  it('"Add File to Bud Chat" in the Explorer attaches the file', async () => {
    await wb.runCommand('View: Show Explorer');
    const row = wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'README.md' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    await wb.clickMenuPath('Add File to Bud Chat');
    chat = await wb.chatFrame();
    const chip = chat.locator('.pending-contexts .context-chip[data-kind="file"]', { hasText: 'README.md' });
    await chip.waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-explorer-add-file');
    await input().click();
    await wb.page.keyboard.type('summarise');
    const content = userContent(await sendAndWait());
    assert.match(content, /^File `README\.md` \(markdown, lines 1-\d+ of \d+\):/);
  });

  it('a prompt file runs as a slash command; AGENTS.md goes in the system prompt and has a chip', async () => {
    await wb.openFile('src/math.ts');
    chat = await wb.openChatView();
    await chat.locator('.instruction-chip', { hasText: 'AGENTS.md' }).waitFor({ timeout: 30_000 });
    await typeInChat('/sh');
    await options().filter({ hasText: '/shout' }).first().waitFor({ timeout: 30_000 });
    await wb.page.keyboard.press('Enter');
    assert.equal(await input().inputValue(), '/shout ');
    await wb.page.keyboard.type('rounding');
    const body = await sendAndWait();
    assert.equal(userContent(body), 'Answer in capitals about rounding, looking at src/math.ts.');
    assert.match(
      String(body.messages[0].content),
      /--- Begin AGENTS\.md ---\n# Notes for agents\nAlways answer in haiku/,
    );
    await lastUser().locator('.context-chip[data-kind="prompt"]', { hasText: '/shout' }).waitFor();
    assert.equal(await lastUser().locator('.user-text').innerText(), '/shout rounding');
  });

  it('the chips of sent messages come back after a reload', async function () {
    this.timeout(600_000); // a reload on a shared 2-core machine, as in conversation.e2e.ts
    // This test is about chips: the #terminal test's shell is closed first, so the reloaded window has no terminal
    // to revive (a reload with it open never got its extension host past startup here).
    await wb.runCommand('Terminal: Kill All Terminals');
    await wb.page.reload({ waitUntil: 'domcontentloaded', timeout: 90_000 });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await server.waitForExtensionHost();
    // A loaded machine can take a while to list the commands again after a reload: one more try after a pause.
    chat = await wb.openChatView().catch(async () => {
      await wb.page.waitForTimeout(10_000);
      return wb.openChatView();
    });
    const users = chat.locator('.message.user');
    await users.first().waitFor({ timeout: 30_000 });
    const chips = await chat.locator('.message.user .context-chip').allInnerTexts();
    const flat = chips.map((c) => c.replace(/\s+/g, ' ').trim());
    for (const want of [
      /^math\.ts \d+ tokens$/,
      /^Changes \(1 file, 1 untracked\)/,
      /^Terminal: sleep 1; echo e2e-terminal/,
      /^README\.md/,
      /^\/shout/,
    ])
      assert.ok(
        flat.some((c) => want.test(c)),
        `${want} in ${flat.join(' | ')}`,
      );
    await wb.screenshot('e2e-chips-after-reload');
  });
});

describe('workspace instructions in Restricted Mode (code-server + Chromium)', function () {
  this.timeout(300_000);
  let api: TestServer;
  let server: CodeServer;
  let wb: Workbench;
  let workspace: string;

  before(async () => {
    api = await startTestServer({ models: [MODEL] });
    api.setDefault(replies.stream(['Fine.'], { delayMs: 5 }));
    workspace = makeWorkspace(false);
    const settings = {
      'bud.model': MODEL,
      'bud.maxRetries': 0,
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
    };
    server = await startCodeServer({
      label: 'mentions-restricted-e2e',
      workspace,
      workspaceTrust: true,
      settings,
      machineSettings: { 'bud.baseUrl': api.url, ...settings },
      env: { BUD_API_KEY: 'sk-e2e-restricted-0123456789' },
    });
    wb = await server.openWorkbench({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await server?.close();
    await api?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('AGENTS.md does not reach the model and the chat says why; prompt files are not offered', async () => {
    const chat = await wb.openChatView();
    const note = chat.locator('.instructions-note');
    await note.waitFor({ timeout: 30_000 });
    assert.match((await note.getAttribute('title')) ?? '', /ignored in Restricted Mode/);
    await chat.locator('#input').click();
    await wb.page.keyboard.type('/');
    await chat.locator('.picker-status', { hasText: 'ignored in Restricted Mode' }).waitFor({ timeout: 30_000 });
    assert.ok(!(await chat.locator('#mention-list').innerText()).includes('/shout'));
    await wb.page.keyboard.press('Escape');
    await chat.locator('#input').fill('');
    await wb.screenshot('e2e-instructions-restricted');
    await wb.typeAndSend('hello');
    await chat.locator('.message.assistant[data-status="complete"]').last().waitFor({ timeout: 30_000 });
    const body = posts(api)[0].body;
    assert.ok(!JSON.stringify(body).includes('e2e-agents-marker'), 'AGENTS.md was not sent');
  });
});
