// The # picker, / commands, attachment chips, the attach bar and drops in the chat view (dist/webview.js in Chromium
// under the real HTML and CSP). Host answers are sent as the host would; the tests check what a user sees and
// hears (roles, aria-activedescendant, labels) and what reaches the host. axe-core checks the open picker.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { CodeContext, MentionItem } from '../../src/protocol';
import { closeAndCheck, launchBrowser, openApp, type AppPage } from './appSupport';
import { init } from './appFixtures';

const ITEMS: MentionItem[] = [
  {
    id: 'special:problems',
    kind: 'problems',
    label: '#problems',
    detail: 'Errors and warnings of the whole workspace',
    insert: '#problems ',
  },
  { id: 'path:src/math.ts', kind: 'file', label: 'math.ts', detail: 'src', matches: [0, 1], insert: '#math.ts ' },
  {
    id: 'path:src/format/matrix.ts',
    kind: 'file',
    label: 'matrix.ts',
    detail: 'src/format',
    matches: [0, 1],
    insert: '#matrix.ts ',
  },
  { id: 'path:src/maps/', kind: 'folder', label: 'maps', detail: 'src', matches: [0, 1], insert: '#maps ' },
];

const fileCtx = (over: Partial<CodeContext> = {}): CodeContext => ({
  kind: 'file',
  path: 'src/math.ts',
  uri: 'file:///w/src/math.ts',
  language: 'typescript',
  startLine: 1,
  endLine: 17,
  totalLines: 17,
  text: 'export function add() {}',
  tokens: 96,
  ...over,
});

describe('mentions and attachments in the chat view', function () {
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
    await app.send(init());
  });
  afterEach(async function () {
    await closeAndCheck(app, this.currentTest);
  });

  const input = () => app.page.locator('#input');
  const list = () => app.page.locator('#mention-list');
  /** Answers the view's latest # query with `items`. */
  async function answer(items: MentionItem[], note?: string) {
    const queries = await app.postsOf('mentionQuery');
    const last = queries[queries.length - 1];
    await app.send({ type: 'mentionResults', requestId: last.requestId, items, ...(note ? { note } : {}) });
    return last;
  }

  it('typing # asks the host, shows a listbox the keyboard drives, and Enter attaches the active row', async () => {
    await input().click();
    await app.page.keyboard.type('why does #ma');
    const q = await answer(ITEMS);
    assert.equal(q.query, 'ma');
    await list().waitFor({ state: 'visible' });
    assert.equal(await list().getAttribute('role'), 'listbox');
    const options = list().locator('[role="option"]');
    assert.equal(await options.count(), 4);
    assert.equal(await input().getAttribute('aria-controls'), 'mention-list');
    assert.equal(await input().getAttribute('aria-autocomplete'), 'list');
    const first = await options.nth(0).getAttribute('id');
    assert.equal(await input().getAttribute('aria-activedescendant'), first);
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
    await app.page.keyboard.press('ArrowDown');
    assert.equal(await input().getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
    assert.equal(await options.nth(1).locator('.picker-match').innerText(), 'ma');
    assert.match(await app.page.locator('#announcer').innerText(), /4 results/);
    await app.screenshot('browser-mention-picker');
    await app.page.keyboard.press('Enter');
    assert.deepEqual(await app.postsOf('attachMention'), [{ type: 'attachMention', id: 'path:src/math.ts' }]);
    assert.equal(await input().inputValue(), 'why does #math.ts ');
    assert.equal(await list().isVisible(), false);
    assert.equal(await input().getAttribute('aria-activedescendant'), null);
    assert.equal((await app.postsOf('send')).length, 0, 'Enter picked, it did not send');
  });

  it('@ opens the same picker, Tab picks, Escape closes without stopping anything, and Up wraps to the end', async () => {
    await input().click();
    await app.page.keyboard.type('@pro');
    await answer(ITEMS.slice(0, 2));
    await list().waitFor({ state: 'visible' });
    await app.page.keyboard.press('ArrowUp');
    assert.equal(
      await list()
        .locator('[aria-selected="true"]')
        .innerText()
        .then((t) => t.includes('math.ts')),
      true,
    );
    await app.page.keyboard.press('Escape');
    assert.equal(await list().isVisible(), false);
    assert.equal((await app.postsOf('stop')).length, 0);
    await app.page.keyboard.type('b');
    await answer(ITEMS.slice(0, 1));
    await list().waitFor({ state: 'visible' });
    await app.page.keyboard.press('Tab');
    assert.deepEqual(await app.postsOf('attachMention'), [{ type: 'attachMention', id: 'special:problems' }]);
    assert.equal(await input().inputValue(), '#problems ');
  });

  it('answers to an older query are ignored; a note and "nothing matches" are shown', async () => {
    await input().click();
    await app.page.keyboard.type('#m');
    const first = (await app.postsOf('mentionQuery'))[0];
    await app.page.keyboard.type('x');
    await app.send({ type: 'mentionResults', requestId: first.requestId, items: ITEMS });
    assert.equal(await list().locator('[role="option"]').count(), 0);
    await answer([], undefined);
    await app.page.locator('.picker-status', { hasText: 'Nothing matches "mx".' }).waitFor();
  });

  it('while the files are being listed the mentions show with a note; the whole list then replaces them', async () => {
    await input().click();
    await app.page.keyboard.type('#');
    await answer(ITEMS.slice(0, 1), "Listing the workspace's files…");
    await app.page.locator('.picker-status', { hasText: "Listing the workspace's files…" }).waitFor();
    await app.page.keyboard.press('ArrowDown'); // the one row stays active
    await answer(ITEMS);
    await list()
      .locator('[role="option"]')
      .nth(ITEMS.length - 1)
      .waitFor();
    assert.equal(await app.page.locator('.picker-status').isVisible(), false);
    assert.equal(await input().getAttribute('aria-activedescendant'), 'mention-list-0');
    // Nothing typed matches a mention yet: the note, not "nothing matches".
    await app.page.keyboard.type('zq');
    await answer([], "Listing the workspace's files…");
    await app.page.locator('.picker-status', { hasText: "Listing the workspace's files…" }).waitFor();
  });

  it('a # inside a word or an e-mail address does not open the picker', async () => {
    await input().click();
    await app.page.keyboard.type('issue#12 and a@b.c');
    assert.equal((await app.postsOf('mentionQuery')).length, 0);
  });

  it('/ at the start lists the slash commands from the workspace; picking one inserts it', async () => {
    await app.send({
      type: 'workspaceContext',
      instructions: [],
      commands: [
        { name: 'explain', description: 'Explain the selection', source: 'built-in' },
        { name: 'review', description: 'Review the selection', source: 'built-in' },
        {
          name: 'release-notes',
          description: 'Draft release notes',
          source: '.github/prompts/release-notes.prompt.md',
          uri: 'file:///w/.github/prompts/release-notes.prompt.md',
        },
      ],
    });
    await input().click();
    await app.page.keyboard.type('/re');
    await list().waitFor({ state: 'visible' });
    const rows = await list().locator('[role="option"]').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /\/review/);
    assert.match(rows[1], /\/release-notes[\s\S]*Draft release notes \(\.github\/prompts\/release-notes\.prompt\.md\)/);
    await app.screenshot('browser-slash-commands');
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Enter');
    assert.equal(await input().inputValue(), '/release-notes ');
    assert.equal((await app.postsOf('mentionQuery')).length, 0, 'slash commands are filtered in the view');
    await app.page.keyboard.type('for 1.2');
    await app.page.keyboard.press('Enter');
    assert.deepEqual(await app.postsOf('send'), [{ type: 'send', text: '/release-notes for 1.2' }]);
  });

  it('a list closed by leaving the box comes back when the focus returns to the typed / or #', async () => {
    await app.send({
      type: 'workspaceContext',
      instructions: [],
      commands: [{ name: 'review', description: 'Review the selection', source: 'built-in' }],
    });
    await input().click();
    await app.page.keyboard.type('/rev');
    await list().waitFor({ state: 'visible' });
    // Focus leaves the box (VS Code takes it while the view is shown, or the user tabs away): the list closes.
    await app.page.evaluate(() => (document.querySelector('#input') as HTMLTextAreaElement).blur());
    await list().waitFor({ state: 'hidden' });
    await app.page.evaluate(() => (document.querySelector('#input') as HTMLTextAreaElement).focus());
    await list().waitFor({ state: 'visible' });
    assert.match((await list().locator('[role="option"]').allInnerTexts()).join('|'), /\/review/);
    await app.page.keyboard.press('Escape');
    await input().fill('');
  });

  it('pending chips show the kind, the token count and a part-sent marker; file chips open the file', async () => {
    await app.send({
      type: 'pendingContexts',
      contexts: [
        fileCtx(),
        fileCtx({
          path: 'src/big.ts',
          uri: 'file:///w/src/big.ts',
          tokens: 2400,
          note: 'src/big.ts has 9,000 lines, … so only its outline, lines 1–80 and lines 8,960–9,000 are sent.',
        }),
        {
          kind: 'problems',
          path: '',
          uri: '',
          language: '',
          startLine: 0,
          endLine: 0,
          label: 'Problems (2 errors, 0 warnings)',
          text: 'x',
          tokens: 40,
        },
        {
          kind: 'folder',
          path: 'src/utils/',
          uri: 'file:///w/src/utils',
          language: '',
          startLine: 0,
          endLine: 0,
          text: 'x',
          tokens: 12,
        },
      ],
    });
    const chips = app.page.locator('.pending-contexts .context-chip');
    assert.equal(await chips.count(), 4);
    assert.match(
      await chips.nth(0).locator('.chip-tokens').innerText(),
      /^96\s+tokens$/,
      'a screen reader hears "tokens"',
    );
    assert.match(await chips.nth(1).locator('.chip-tokens').innerText(), /^2\.4k\s/);
    assert.match(
      (await chips.nth(1).getAttribute('title')) ?? '',
      /^Open src\/big\.ts, 17 lines, 2,400 tokens\. src\/big\.ts has 9,000 lines/,
    );
    assert.equal(await chips.nth(1).locator('.chip-cut').count(), 1);
    assert.match(
      await chips.nth(2).locator(':scope > .sr-only').innerText(),
      /^Problems \(2 errors, 0 warnings\), 40 tokens$/,
    );
    assert.equal(await chips.nth(2).evaluate((e) => e.tagName), 'SPAN', 'Problems are a label, not a button');
    assert.equal(await chips.nth(3).locator('.chip-label').innerText(), 'utils/');
    await app.screenshot('browser-attachment-chips');
    await chips.nth(0).click();
    assert.deepEqual(await app.postsOf('openContext'), [
      { type: 'openContext', uri: 'file:///w/src/math.ts', startLine: 1, endLine: 1 },
    ]);
  });

  it('the current file is a one-click chip; on, it goes with the message and turns off again after', async () => {
    await app.send({
      type: 'editorContext',
      currentFile: { path: 'src/app.ts', uri: 'file:///w/src/app.ts' },
      attachByDefault: false,
    });
    const chip = app.page.locator('.current-file-chip');
    await chip.waitFor({ state: 'visible' });
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');
    assert.match((await chip.getAttribute('title')) ?? '', /^Attach src\/app\.ts \(the current file\)/);
    await chip.click();
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    await input().click();
    await app.page.keyboard.type('what is this?');
    await app.page.keyboard.press('Enter');
    assert.deepEqual(await app.postsOf('send'), [{ type: 'send', text: 'what is this?', attachCurrentFile: true }]);
    await app.page.waitForFunction(
      () => document.querySelector('.current-file-chip')?.getAttribute('aria-pressed') === 'false',
    );
    // With the setting on it starts on; once the file is attached as a chip, the offer hides.
    await app.send({
      type: 'editorContext',
      currentFile: { path: 'src/app.ts', uri: 'file:///w/src/app.ts' },
      attachByDefault: true,
    });
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    await app.send({
      type: 'pendingContexts',
      contexts: [fileCtx({ path: 'src/app.ts', uri: 'file:///w/src/app.ts' })],
    });
    assert.equal(await chip.isVisible(), false);
  });

  it("the context meter's breakdown lists the instruction files sent under the system row", async () => {
    await app.send({
      type: 'context',
      info: {
        tokens: 2100,
        window: 8192,
        reserve: 1638,
        reserveRule: '20% of the window',
        source: 'default',
        sourceDetail: 'Bud assumes 8,192 tokens.',
        breakdown: { system: 1400, tools: 0, history: 500, attachments: 200 },
        notSent: 0,
        fits: true,
        calibrated: true,
      },
    });
    await app.send({
      type: 'workspaceContext',
      instructions: [
        { path: 'AGENTS.md', uri: 'file:///w/AGENTS.md', tokens: 1234 },
        { path: '.bud/instructions.md', uri: 'file:///w/.bud/instructions.md', tokens: 0, problem: 'Too large.' },
      ],
      commands: [],
    });
    await app.page.locator('#context-meter').focus();
    const details = app.page.locator('#context-details');
    await details.waitFor({ state: 'visible' });
    assert.match(await details.innerText(), /System & instructions\s+1,400\s+of which AGENTS\.md\s+1,234\s+Tools/);
    assert.doesNotMatch(await details.innerText(), /instructions\.md/, 'a file that is not sent is not listed');
  });

  it('instruction files show as chips that open them; in Restricted Mode the bar says they are ignored', async () => {
    await app.send({
      type: 'workspaceContext',
      instructions: [{ path: 'AGENTS.md', uri: 'file:///w/AGENTS.md', tokens: 1234 }],
      commands: [],
    });
    const chip = app.page.locator('.instruction-chip');
    assert.equal(await chip.locator('.chip-label').innerText(), 'AGENTS.md');
    assert.match(await chip.locator('.chip-tokens').innerText(), /^1\.2k\s/);
    await chip.click();
    assert.deepEqual(await app.postsOf('openContext'), [
      { type: 'openContext', uri: 'file:///w/AGENTS.md', startLine: 1, endLine: 1 },
    ]);
    await app.send({
      type: 'workspaceContext',
      instructions: [],
      instructionsNote: 'Workspace instructions (AGENTS.md and the like) are ignored in Restricted Mode: …',
      commands: [],
    });
    assert.equal(await chip.count(), 0);
    assert.match(
      await app.page.locator('.instructions-note').innerText(),
      /Instructions ignored[\s\S]*Restricted Mode/,
    );
  });

  it('files dropped from the Explorer (with Shift) are sent to the host; a drop from outside VS Code is refused', async () => {
    const dropped = await app.page.evaluate(() => {
      const target = document.querySelector('#messages') ?? document.body;
      const dt = new DataTransfer();
      dt.setData('application/vnd.code.uri-list', 'vscode-remote://h/w/src/a.ts\r\nvscode-remote://h/w/src/b.ts');
      dt.setData('text/uri-list', 'vscode-remote://h/w/src/a.ts');
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      const overlay = !document.querySelector<HTMLElement>('.drop-overlay')!.hidden;
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      return { overlay, after: !document.querySelector<HTMLElement>('.drop-overlay')!.hidden };
    });
    assert.deepEqual(dropped, { overlay: true, after: false });
    assert.deepEqual(await app.postsOf('attachUris'), [
      { type: 'attachUris', uris: ['vscode-remote://h/w/src/a.ts', 'vscode-remote://h/w/src/b.ts'] },
    ]);
    await app.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'x.txt'));
      document
        .querySelector('#messages')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    assert.match(await app.page.locator('#notice').innerText(), /came from outside VS Code/);
    assert.match((await app.page.locator('.drop-hint').getAttribute('title')) ?? '', /Hold Shift while dragging/);
  });

  it('axe finds no violations in the composer with the picker open', async () => {
    await app.send({
      type: 'editorContext',
      currentFile: { path: 'src/app.ts', uri: 'file:///w/src/app.ts' },
      attachByDefault: false,
    });
    await app.send({
      type: 'pendingContexts',
      contexts: [
        fileCtx(),
        {
          kind: 'changes',
          path: '',
          uri: '',
          language: 'diff',
          startLine: 0,
          endLine: 0,
          label: 'Changes (1 file)',
          text: 'x',
          tokens: 30,
        },
      ],
    });
    await app.send({
      type: 'workspaceContext',
      instructions: [{ path: 'AGENTS.md', uri: 'file:///w/AGENTS.md', tokens: 12 }],
      commands: [],
    });
    await input().click();
    await app.page.keyboard.type('#ma');
    await answer(ITEMS);
    await list().waitFor({ state: 'visible' });
    await app.page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const result = await app.page.evaluate(async () => {
      const r = await (window as any).axe.run(document.querySelector('.composer'), { resultTypes: ['violations'] });
      return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(result, []);
  });
});
