// Takes the README screenshots from the real UI: runs `npm start` in code-server mode (demo backend), drives it
// with headless Chromium (playwright-core) and writes media/screenshots/*.png. Also a smoke test of `npm start`.
//
//   node scripts/screenshots.mjs            all shots
//   node scripts/screenshots.mjs --keep     leave code-server running at the end (Ctrl+C to stop)
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), SHOTS_DIR (default media/screenshots).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.env.SHOTS_DIR ?? join(repo, 'media/screenshots'));
const log = (s) => console.log(`[screenshots] ${s}`);

/** Starts `node scripts/start.mjs --code-server` and resolves with the URL it prints. */
function startApp() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('BUD_')) delete env[k]; // always the demo backend
  const child = spawn(process.execPath, [join(repo, 'scripts/start.mjs'), '--code-server'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let out = '';
  const url = new Promise((res, rej) => {
    const onData = (d) => {
      out += d;
      process.stdout.write(d);
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+) in your browser/.exec(out);
      if (m) res(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('exit', (code) =>
      rej(new Error(`npm start exited (${code}) before printing a URL:\n${out.slice(-2000)}`)),
    );
  });
  const stop = () =>
    new Promise((res) => {
      if (child.exitCode !== null) return res();
      child.once('exit', res);
      child.kill('SIGINT');
    });
  return { url, stop };
}

async function chatFrame(page, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      try {
        if (await f.locator('#input').count()) return f;
      } catch {
        /* detached */
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the Bud chat webview (#input) did not appear');
}

async function runCommand(page, title) {
  // The palette lists an extension's commands only once the extensions are scanned: retry a few times.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type(title, { delay: 10 });
    const row = page.locator(`.quick-input-widget .monaco-list-row[aria-label*="${title}"]`).first();
    try {
      await row.waitFor({ timeout: 5_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt >= 6) throw err;
      await page.waitForTimeout(1000);
    }
  }
}

/** Waits until the answer is finished: the send button is back in "send" mode and the last answer is not streaming. */
async function waitForAnswer(frame, { text, timeout = 60_000 } = {}) {
  await frame
    .locator('#send[data-mode="stop"]')
    .waitFor({ timeout: 10_000 })
    .catch(() => {});
  await frame.locator('#send[data-mode="send"]').waitFor({ timeout });
  if (text) await frame.locator('.message.assistant .content', { hasText: text }).last().waitFor({ timeout });
  await frame.page().waitForTimeout(400); // let highlighting and layout settle
}

async function send(frame, text) {
  await frame.locator('#input').fill(text);
  await frame.locator('#input').press('Enter');
}

/** Saves a screenshot; `chatOnly` clips it to the activity bar + side bar (smaller files, readable in a table). */
async function shot(page, name, { chatOnly = true } = {}) {
  const path = join(outDir, `${name}.png`);
  const sidebar = chatOnly ? await page.locator('#workbench\\.parts\\.sidebar').boundingBox() : null;
  const vp = page.viewportSize();
  await page.screenshot({
    path,
    clip: sidebar ? { x: 0, y: 0, width: Math.ceil(sidebar.x + sidebar.width + 6), height: vp.height } : undefined,
  });
  log(`wrote ${path}`);
}

/** Scrolls the chat so that `locator` is at the top of the message list. */
async function scrollToTop(locator) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await locator.page().waitForTimeout(300);
}

async function newChat(page, frame) {
  const button = frame.locator('#new-chat');
  if (await button.count()) await button.click();
  else await runCommand(page, 'Bud: New Chat');
  await frame
    .locator('.message')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
}

/** Picks a model with the header's model button (Select Model's quick pick). */
async function pickModel(page, frame, id) {
  await frame.locator('#model-button').click();
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${id}\\s*$`) }) })
    .first()
    .click();
  await frame.locator('#model-button .model-name', { hasText: new RegExp(`^${id}$`) }).waitFor({ timeout: 30_000 });
}

/** Widens the side bar so answers are readable in the pictures. */
async function widenSidebar(page, by = 150) {
  const sidebar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (!sidebar) return;
  const x = sidebar.x + sidebar.width + 1;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + by, y, { steps: 5 });
  await page.mouse.up();
}

mkdirSync(outDir, { recursive: true });
const app = startApp();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
let failed = false;
try {
  const url = await app.url;
  const page = await browser.newPage({
    viewport: { width: 1100, height: 800 },
    deviceScaleFactor: 1,
    colorScheme: 'dark',
  });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar [aria-label^="Bud"]').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1000);

  // 1. empty state
  await runCommand(page, 'Bud: Open Chat');
  let frame = await chatFrame(page);
  await widenSidebar(page);
  await frame.locator('#empty-state').waitFor({ timeout: 20_000 });
  await frame.locator('#model-button', { hasText: 'bud-demo' }).waitFor({ timeout: 30_000 }); // the host's status arrived
  await page.waitForTimeout(800);
  await shot(page, 'empty-state');

  // 2. a streamed Markdown answer with a code block
  await send(frame, 'What can you do?');
  await waitForAnswer(frame, { text: 'Hello from Bud Chat' });
  await frame.locator('.message.assistant .code-block').last().scrollIntoViewIfNeeded();
  await shot(page, 'markdown-answer');

  // 3. Explain Selection on src/greet.ts lines 2–6
  await newChat(page, frame);
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill('greet.ts');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'greet.ts' }).first().waitFor();
  await page.keyboard.press('Enter');
  const editor = page.locator('.monaco-editor .view-lines').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('Control+G');
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowDown');
  await runCommand(page, 'Bud: Explain Selection');
  frame = await chatFrame(page);
  await waitForAnswer(frame, { text: 'Explaining' });
  await scrollToTop(frame.locator('.message.user').last());
  await shot(page, 'explain-selection', { chatOnly: false });

  // 4. a tool call row
  await newChat(page, frame);
  await send(frame, 'Read src/garden.ts and tell me what it does');
  await waitForAnswer(frame, { text: 'at a glance' });
  await frame.locator('.tool-call').first().waitFor();
  await scrollToTop(frame.locator('.message.user').last());
  await shot(page, 'tool-call');

  // 5. an inline error (the demo backend answers /error 401 with a 401)
  await newChat(page, frame);
  await send(frame, '/error 401');
  await frame.locator('.inline-error').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(400);
  await shot(page, 'inline-error');

  // 6. the context window: the meter, the "not sent" marker, and an answer cut off at the token limit (Continue).
  //    bud-demo-mini states a 4,096-token window in the demo's model list, so a few questions fill it.
  await newChat(page, frame);
  await pickModel(page, frame, 'bud-demo-mini');
  const question = (i) =>
    `Question ${i}: how does Bud decide what to send when the chat grows? ` +
    'I pasted a long log and a few files into this chat, and I want to understand which parts the model still sees. '.repeat(
      6,
    );
  for (let i = 1; i <= 4; i++) {
    await send(frame, question(i));
    await waitForAnswer(frame);
  }
  await send(frame, '/cut');
  await waitForAnswer(frame, { text: 'token limit' });
  const marker = frame.locator('.not-sent-marker');
  await marker.waitFor({ timeout: 20_000 });
  await scrollToTop(marker);
  await shot(page, 'context-window');
  await frame.locator('#context-meter').hover();
  await frame.locator('#context-details').waitFor();
  await page.waitForTimeout(300);
  await shot(page, 'context-meter');
  // Back to the default model for whoever uses this profile next.
  await pickModel(page, frame, 'bud-demo');

  // 7. the # picker, with a file already attached as a chip (greet.ts is still open from step 3)
  await newChat(page, frame);
  await frame.locator('#input').click();
  await page.keyboard.type('Why does #gree', { delay: 30 });
  await frame.locator('#mention-list [role="option"]', { hasText: 'greet.ts' }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await frame.locator('.pending-contexts .context-chip', { hasText: 'greet.ts' }).waitFor({ timeout: 30_000 });
  await page.keyboard.type('fail with #', { delay: 30 });
  await frame.locator('#mention-list [role="option"]', { hasText: '#problems' }).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  await shot(page, 'mentions-picker');

  if (process.argv.includes('--keep')) {
    log(`done; code-server still running at ${url} (Ctrl+C to stop)`);
    await new Promise(() => {});
  }
} catch (err) {
  failed = true;
  console.error(err);
  for (const p of browser.contexts().flatMap((c) => c.pages()))
    await p.screenshot({ path: join(repo, 'test-results/screenshots-failure.png') }).catch(() => {});
} finally {
  await browser.close();
  await app.stop();
}
process.exit(failed ? 1 : 0);
