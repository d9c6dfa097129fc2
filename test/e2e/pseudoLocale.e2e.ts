// Localisation, proven in code-server: with the display language set to the pseudo locale (qps-ploc) and pseudo
// bundles generated from the English ones (@vscode/l10n-dev generate-pseudo: every letter accented), the chat view,
// the palette titles, a notification and an inline error show no English text — so no string there is hard-coded.
// The pseudo files are generated into the installed copy of the extension (never into the repository or the VSIX);
// a minimal language pack makes qps-ploc a language code-server resolves (the workbench's own strings stay English).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { replies } from '../../scripts/server/openai-server';
import { E2E_MODEL, useChatE2E, waitForAnswerEnd } from '../harness/chatE2E';
import { repoRoot } from '../harness/paths';
import { Driver, DRIVER_EXTENSION } from './driver';

const PACK_DIR = join(repoRoot(), 'test/fixtures/pseudo-language-pack');
const PACK_ID = 'bud-tests.pseudo-language-pack-0.0.1';

/** The installed copy of the product (EXT/<publisher>.<name>-<version>, as installProduct lays it out). */
function productDir(extensionsDir: string): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as Record<string, string>;
  return join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
}

/** Writes the pseudo bundles next to the English ones in the installed extension and registers the language pack. */
function installPseudoLocale({ userDataDir, extensionsDir }: { userDataDir: string; extensionsDir: string }): void {
  const ext = productDir(extensionsDir);
  const cli = join(repoRoot(), 'node_modules/@vscode/l10n-dev/dist/cli.js');
  const r = spawnSync(
    process.execPath,
    [cli, 'generate-pseudo', join(ext, 'l10n/bundle.l10n.json'), join(ext, 'package.nls.json')],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `generate-pseudo failed: ${r.stderr || r.stdout}`);
  // What code-server reads to resolve --locale to a language pack (it also rebuilds this from the installed pack).
  const translations = join(extensionsDir, PACK_ID, 'translations/main.i18n.json');
  // Written as code-server writes it from the installed pack (same hash), so its own rewrite at start-up changes
  // nothing: a different hash there sends the workbench and the extension host to a language pack cache that was
  // never built, and no extension loads.
  const id = 'bud-tests.pseudo-language-pack';
  const hash = createHash('md5').update(id).update('0.0.1').digest('hex');
  const pack = {
    hash,
    label: 'Pseudo',
    extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }],
    translations: { vscode: translations },
  };
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({ 'qps-ploc': pack }));
}

/**
 * The English words left in `text` once the values Bud puts into its sentences (the brand, the model, URLs,
 * setting and variable names, numbers) are taken out. Pseudo strings have accented letters only.
 */
function englishWords(text: string): string[] {
  const cleaned = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(new RegExp(E2E_MODEL, 'g'), ' ')
    .replace(/\b(Bud|BUD_[A-Z_]+|bud\.[\w.]+|~\/\.bud\/config\.toml)\b/g, ' ');
  return [...new Set(cleaned.match(/(?<![\p{L}])[A-Za-z]{2,}(?![\p{L}])/gu) ?? [])];
}

/** Visible text and the labels a screen reader reads (aria-label, title, placeholder) inside `root`. */
async function shownText(frame: Frame, root: string): Promise<string> {
  return frame.locator(root).evaluate((el: HTMLElement) => {
    const attrs = Array.from(el.querySelectorAll('[aria-label],[title],[placeholder]')).flatMap((e) =>
      ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a) ?? ''),
    );
    return [el.innerText, ...attrs].join('\n');
  });
}

describe('pseudo locale: no hard-coded English in code-server', function () {
  this.timeout(300_000);
  const driveDir = mkdtempSync(join(tmpdir(), 'bud-drive-'));
  const e2e = useChatE2E({
    label: 'pseudo-locale',
    apiKey: 'sk-pseudo-0123456789abcdef',
    codeServer: {
      args: ['--locale', 'qps-ploc'],
      extraExtensions: [PACK_DIR, DRIVER_EXTENSION],
      beforeStart: installPseudoLocale,
    },
    openChat: false, // the fixture opens it by its English title; here it has the pseudo one
    env: { BUD_E2E_DRIVE_DIR: driveDir },
  });
  // Commands are started by id through the driver extension: the palette's filter matches neither the accented
  // titles typed into it nor, in code-server, their English aliases, and which title a row shows is checked below.
  const driver = new Driver(driveDir);

  before(async function () {
    this.timeout(120_000);
    await driver.call({ op: 'command', id: 'bud.openChat' });
    e2e.chat = await e2e.wb.chatFrame();
  });

  after(() => rmSync(driveDir, { recursive: true, force: true }));

  it('the chat view (empty state, header, composer) shows only pseudo strings', async () => {
    await e2e.chat.locator('#input').waitFor({ state: 'visible' });
    assert.deepEqual(englishWords(await shownText(e2e.chat, 'body')), []);
  });

  it('the command palette lists Bud commands by their pseudo titles', async () => {
    const { page } = e2e.wb;
    await page.locator('.monaco-workbench .part.statusbar').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget .quick-input-box input').fill('>Bud:');
    // The main label of each row (its first label): VS Code shows the English title beside it as an alias, in a
    // label of its own, which is not checked.
    const rows = page.locator('#quickInput_list .monaco-list-row');
    await rows.first().waitFor();
    const labels = await rows.evaluateAll((els) =>
      els.map((e) => e.querySelector<HTMLElement>('.label-name')?.innerText ?? ''),
    );
    const titles = labels.filter((t) => t.startsWith('Bud:'));
    await page.keyboard.press('Escape');
    assert.ok(titles.length >= 8, `expected Bud's commands, got ${JSON.stringify(titles)}`);
    assert.ok(titles.includes(pseudoTitleOf(e2e.server.extensionsDir, 'bud.openChat.title')), JSON.stringify(titles));
    // VS Code's own "Focus on <view> View" command wraps the view's (pseudo) name in workbench words, which the
    // minimal language pack leaves English: only Bud's part of it is checked.
    const budPart = (t: string) => t.replace(/^Bud:/, '').replace(/^\s*Focus on (.*) View$/, '$1');
    for (const title of titles) assert.deepEqual(englishWords(budPart(title)), [], title);
  });

  it('a notification (Clear API Key) is pseudo', async () => {
    const { page } = e2e.wb;
    await driver.call({ op: 'command', id: 'bud.clearApiKey' });
    const toast = page.locator('.notifications-toasts .notification-list-item-message').first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await toast.innerText();
    assert.deepEqual(englishWords(text), [], text);
  });

  it('an inline error (401 from the server) is pseudo: title, sentence and actions', async () => {
    e2e.api.enqueue(replies.error(401, '—'));
    const before = await e2e.chat.locator('.message').count();
    await e2e.wb.typeAndSend('ǫ');
    const end = await waitForAnswerEnd(e2e.chat, before);
    assert.equal(end.status, 'error');
    const text = await shownText(e2e.chat, '.message.assistant:last-of-type .inline-error');
    assert.deepEqual(englishWords(text), [], text);
    await e2e.wb.screenshot('pseudo-locale');
  });
});

/** A command's title as the palette shows it in the pseudo locale (from the generated package.nls.qps-ploc.json). */
function pseudoTitleOf(extensionsDir: string, key: string): string {
  const nls = JSON.parse(readFileSync(join(productDir(extensionsDir), 'package.nls.qps-ploc.json'), 'utf8')) as Record<
    string,
    string
  >;
  return `Bud: ${nls[key]}`;
}
