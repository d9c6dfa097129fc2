// `npm start` as a newcomer runs it, with no account: scripts/start.mjs builds the extension, starts the demo
// backend and code-server, and prints a URL; in that page the Bud chat answers from the demo backend, including
// a tool call that reads a file of the sample workspace; Ctrl+C stops everything.
// Screenshot: test-results/e2e-npm-start.png.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot, toolPaths } from '../harness/paths';
import { openWorkbench, type Workbench } from '../harness/workbench';

function startNpmStart(home: string): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('BUD_') && !k.startsWith('VSCODE_')) env[k] = v;
  env.HOME = home; // no ~/.bud/config.toml: the demo backend is used
  env.BUD_CHAT_CACHE = toolPaths().cache;
  const child = spawn(process.execPath, ['scripts/start.mjs', '--code-server'], {
    cwd: repoRoot(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+) in your browser/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) before printing a URL:\n${out.slice(-3000)}`)),
    );
  });
  return { child, output: () => out, url };
}

describe('npm start (no API key: demo backend in code-server)', function () {
  this.timeout(300_000);
  let home: string;
  let app: ReturnType<typeof startNpmStart>;
  let url: string;
  let wb: Workbench;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'bud-start-home-'));
    app = startNpmStart(home);
    url = await app.url;
    wb = await openWorkbench({ url });
  });

  after(async () => {
    await wb?.close().catch(() => {});
    if (app && app.child.exitCode === null && app.child.signalCode === null) {
      // Ctrl+C first: start.mjs then stops code-server's process group and the demo backend itself.
      const exited = new Promise((r) => app.child.once('exit', r));
      app.child.kill('SIGINT');
      const done = await Promise.race([exited.then(() => true), sleep(15_000, false)]);
      if (!done) app.child.kill('SIGKILL');
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('prints the URL of code-server on 127.0.0.1 with the sample workspace, and says it uses the demo backend', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=.*demo\/workspace$/);
    assert.match(app.output(), /demo backend on http:\/\/127\.0\.0\.1:\d+\/v1/);
  });

  it('shows the chat in demo mode, with the demo model selected', async () => {
    const chat = await wb.openChatView();
    await chat.locator('#empty-state').waitFor({ state: 'visible' });
    await wb.waitForText('#model-button', 'bud-demo', { webview: true });
    await chat.locator('#empty-state .empty-key-info', { hasText: 'Demo mode' }).waitFor({ state: 'visible' });
  });

  it('answers with rendered Markdown (table, highlighted code) from the demo backend', async () => {
    await wb.typeAndSend('What can you do?');
    const answer = await wb.waitForAnswer(/This answer comes from the built-in demo backend/, 60_000);
    assert.match(answer, /Hello from Bud Chat/);
    const chat = await wb.chatFrame();
    assert.equal(
      await chat.locator('.message.assistant').last().locator('.code-block pre code').count(),
      1,
      'one highlighted code block',
    );
    assert.ok((await chat.locator('.message.assistant').last().locator('table').count()) >= 1, 'a rendered table');
  });

  it('reads a file of the sample workspace through a read_file tool call, and answers from it', async () => {
    await wb.typeAndSend('Read src/garden.ts and tell me what it does');
    // The demo note closes every demo answer: wait for it, so the whole answer has streamed in.
    const answer = await wb.waitForAnswer(/src\/garden\.ts at a glance[\s\S]*built-in demo backend/, 60_000);
    assert.match(answer, /dueForWater/, `the answer quotes the real file; got: ${answer}`);
    await wb.waitForText('.message.assistant .tool-call', /read_file/, { webview: true });
    await (
      await wb.chatFrame()
    )
      .locator('.message.assistant')
      .last()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await wb.screenshot('e2e-npm-start');
  });

  it('stops code-server and the demo backend on Ctrl+C', async () => {
    const port = Number(new URL(url).port);
    const demo = /demo backend on (http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(app.output())![1];
    const profile = /code-server log: (\/\S+)\/code-server\.log/.exec(app.output())?.[1];
    await wb.close();
    const exited = new Promise<number | null>((resolve) => app.child.once('exit', (code) => resolve(code)));
    app.child.kill('SIGINT');
    const code = await Promise.race([exited, sleep(20_000, 'timeout' as const)]);
    assert.equal(code, 0, 'npm start exits with 0 within 20 s of Ctrl+C');
    for (const target of [`http://127.0.0.1:${port}/healthz`, `${demo}/v1/models`]) {
      await assert.rejects(fetch(target, { signal: AbortSignal.timeout(3000) }), `${target} still answers`);
    }
    if (profile) assert.ok(!existsSync(profile), 'the throw-away profile is removed');
  });
});
