// Accessibility end to end, in code-server + Chromium with the real extension and the local test server:
//   - every action with the keyboard alone: focus the chat, send, regenerate, switch branches, edit and resend,
//     copy, delete and undo, search the history and open a hit, stop a streaming answer;
//   - axe-core run inside the real chat webview in every state (empty, streaming, an answer with code and a table,
//     tool rows, an error, branch arrows, the history panel, search results) in the dark, light and high-contrast
//     themes: no serious or critical violation. Every violation found (any impact) is written to
//     test-results/axe-report.json.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Frame } from 'playwright-core';
import { replies } from '../../scripts/server/openai-server';
import { E2E_MODEL, useChatE2E } from '../harness/chatE2E';
import { readFileCall } from '../harness/toolReplies';

const CODE_AND_TABLE = [
  'Here is the parser:\n\n```ts\nexport function parse(line: string): string[] {\n  return line.split(",");\n}\n```\n\n',
  '| Input | Output |\n|---|---|\n| `a,b` | `["a", "b"]` |\n| `""` | `[""]` |\n',
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

describe('accessibility end to end (code-server + Chromium): keyboard only, axe in every state and theme', function () {
  this.timeout(600_000);
  const e2e = useChatE2E({
    label: 'a11y-e2e',
    apiKey: 'sk-a11y-0123456789abcdef',
    settings: { 'bud.tools.enabled': true, 'bud.tools.toolChoice': 'auto' },
    viewport: { width: 1280, height: 860 },
  });
  const page = () => e2e.wb.page;

  /** The chat frame's focused element matches `selector`. */
  const focusedIs = (selector: string) => e2e.chat.evaluate((s) => !!document.activeElement?.matches(s), selector);

  /** Presses Tab (or Shift+Tab) until the focus is on `selector` in the chat view; fails if it never gets there. */
  async function tabTo(selector: string, backwards = true): Promise<void> {
    for (let i = 0; i < 80; i++) {
      if (await focusedIs(selector)) return;
      await page().keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`The keyboard never reached ${selector}`);
  }

  async function idle(): Promise<void> {
    await e2e.chat.waitForFunction(
      // Idle: no answer streaming and the composer's button back to Send (the host has ended the turn).
      () =>
        document.querySelectorAll('.message').length > 0 &&
        !document.querySelector('[data-status="streaming"]') &&
        !!document.querySelector('#send[data-mode="send"]'),
      undefined,
      { timeout: 60_000 },
    );
  }

  /** Types into the focused composer and sends with Enter. */
  async function typeAndEnter(text: string): Promise<void> {
    assert.equal(await focusedIs('#input'), true, 'the composer has the focus');
    await page().keyboard.type(text);
    await page().keyboard.press('Enter');
  }

  const ids = (selector: string) =>
    e2e.chat.locator(selector).evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''));

  it('every action with the keyboard alone', async () => {
    e2e.api.setDefault(replies.stream(['A keyboard ', 'answer.']));
    await page().keyboard.press('Control+Shift+Alt+B'); // Bud: Open Chat
    await e2e.chat.waitForFunction(() => document.activeElement?.id === 'input');
    await typeAndEnter('asked from the keyboard');
    await e2e.chat.locator('.message.assistant', { hasText: 'A keyboard answer.' }).waitFor();
    await idle();
    const [answer] = await ids('.message.assistant');

    // Regenerate, then back to the first answer with the arrow.
    e2e.api.setDefault(replies.stream(['A second ', 'answer.']));
    await tabTo(`[data-id="${answer}"] [data-message-action="regenerate"]`);
    await page().keyboard.press('Enter');
    await e2e.chat.locator('.message.assistant', { hasText: 'A second answer.' }).waitFor();
    await idle();
    const nav = e2e.chat.locator('.message.assistant .branch-nav');
    assert.equal(await nav.getAttribute('aria-label'), 'Branch 2 of 2');
    await e2e.chat.locator('#input').focus(); // where the focus is after an answer; then backwards to the arrow
    await tabTo('.message.assistant [data-message-action="branch-prev"]');
    await page().keyboard.press('Enter');
    await e2e.chat.locator('.message.assistant', { hasText: 'A keyboard answer.' }).waitFor();
    assert.equal(await nav.getAttribute('aria-label'), 'Branch 1 of 2');

    // Copy the answer: announced.
    await tabTo('.message.assistant [data-message-action="copy"]');
    await page().keyboard.press('Enter');
    await e2e.chat.locator('#announcer', { hasText: 'Copied the answer as Markdown.' }).waitFor();

    // Edit and resend the question.
    e2e.api.setDefault(replies.stream(['Edited ', 'answer.']));
    await tabTo('.message.user [data-message-action="edit"]');
    await page().keyboard.press('Enter');
    await e2e.chat.waitForFunction(() => document.activeElement?.classList.contains('edit-input'));
    await page().keyboard.press('End');
    await page().keyboard.type(', edited');
    await page().keyboard.press('Enter');
    await e2e.chat.locator('.message.assistant', { hasText: 'Edited answer.' }).waitFor();
    await idle();
    assert.equal(await e2e.chat.locator('.message.user .branch-nav').getAttribute('aria-label'), 'Branch 2 of 2');

    // Delete the turn, then Undo from the notice.
    await tabTo('.message.user [data-message-action="delete"]', false);
    await page().keyboard.press('Enter');
    await e2e.chat.locator('#notice', { hasText: 'The turn was deleted.' }).waitFor();
    await tabTo('#notice button[data-action="undoDelete"]', false);
    await page().keyboard.press('Enter');
    await e2e.chat.locator('.message.user', { hasText: 'asked from the keyboard, edited' }).waitFor();

    // Search the history and open the hit of the other branch.
    await tabTo('#history-button');
    await page().keyboard.press('Enter');
    await e2e.chat.waitForFunction(() => document.activeElement?.closest('#history-panel') !== null);
    await tabTo('.history-filter');
    await page().keyboard.type('keyboard answer');
    await e2e.chat.locator('#search-results .search-hit').first().waitFor({ timeout: 30_000 });
    await tabTo('#search-results .search-hit', false);
    await page().keyboard.press('Enter');
    await e2e.chat.locator('.message.assistant', { hasText: 'A keyboard answer.' }).waitFor();
    assert.equal(await focusedIs('.message.assistant'), true, 'the hit has the focus');

    // Stop a streaming answer with Escape.
    e2e.api.setDefault(replies.stall(['Never ', 'ending']));
    await page().keyboard.press('Control+Shift+Alt+B');
    await e2e.chat.waitForFunction(() => document.activeElement?.id === 'input');
    await typeAndEnter('a long one');
    await e2e.chat.locator('[data-status="streaming"]', { hasText: 'Never ending' }).waitFor();
    await page().keyboard.press('Escape');
    await e2e.chat.locator('.message.assistant[data-status="stopped"]').waitFor();
  });

  const report: Record<string, AxeViolation[]> = {};
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

  /** Runs axe in the chat webview; records every violation under `state` and returns the serious/critical ones. */
  async function axe(frame: Frame, state: string): Promise<string[]> {
    if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeSource);
    const violations = await frame.evaluate(async () => {
      const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } };
      const r = await w.axe.run(document, { resultTypes: ['violations'] });
      return r.violations as AxeViolation[];
    });
    report[state] = violations.map((v) => ({ ...v, nodes: v.nodes.map((n) => ({ target: n.target })) }));
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${state}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  }

  async function setTheme(name: string, bodyClass: string): Promise<void> {
    const input = await e2e.wb.commandWithInput('Preferences: Color Theme');
    await input.fill(name);
    await page()
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: name })
      .waitFor({ timeout: 30_000 });
    await page().keyboard.press('Enter');
    await e2e.chat.waitForFunction((c) => document.body.classList.contains(c), bodyClass, { timeout: 30_000 });
  }

  it('axe: no serious or critical violation in any state, in the dark, light and high-contrast themes', async () => {
    // One chat that holds every kind of message: code and a table, branch arrows, a tool row, an error.
    await e2e.chat.locator('#new-chat').click();
    e2e.api.setDefault(replies.stream(CODE_AND_TABLE));
    await e2e.wb.typeAndSend('Show me a parser with a table');
    await e2e.chat.locator('.message.assistant table').waitFor();
    await idle();
    const answer = e2e.chat.locator('.message.assistant').last();
    await answer.hover();
    await answer.locator('[data-message-action="regenerate"]').click();
    await e2e.chat.locator('.message.assistant .branch-nav').waitFor();
    await idle();
    e2e.api.enqueue(readFileCall(E2E_MODEL, 'src/math.ts'), replies.stream(['The file declares fibonacci.']));
    await e2e.wb.typeAndSend('What is in src/math.ts?');
    await e2e.chat.locator('.message.assistant .tool-call').waitFor();
    await e2e.chat.locator('.message.assistant', { hasText: 'The file declares fibonacci.' }).waitFor();
    await idle();
    e2e.api.enqueue(replies.error(500, 'The gateway failed'));
    await e2e.wb.typeAndSend('And now fail');
    await e2e.chat.locator('.message.assistant[data-status="error"]').waitFor();

    const serious: string[] = [];
    const themes: [string, string, string][] = [
      ['dark', 'Dark Modern', 'vscode-dark'],
      ['light', 'Light Modern', 'vscode-light'],
      ['high-contrast', 'Dark High Contrast', 'vscode-high-contrast'],
      ['high-contrast-light', 'Light High Contrast', 'vscode-high-contrast-light'],
    ];
    for (const [label, theme, bodyClass] of themes) {
      await setTheme(theme, bodyClass);
      serious.push(...(await axe(e2e.chat, `${label}: answers with code, table, tool row, error and branch arrows`)));
      await e2e.chat.locator('#history-button').click();
      await e2e.chat.locator('#history-panel').waitFor();
      serious.push(...(await axe(e2e.chat, `${label}: history panel`)));
      await e2e.chat.getByRole('searchbox', { name: 'Search chats' }).fill('parser');
      await e2e.chat.locator('#search-results .search-hit').first().waitFor({ timeout: 30_000 });
      serious.push(...(await axe(e2e.chat, `${label}: search results`)));
      if (label === 'light') await e2e.wb.screenshot('e2e-a11y-search-light');
      await e2e.chat.locator('#search-results .search-hit').first().click();
      await e2e.chat.locator('.message.revealed, .message.assistant table').first().waitFor();
      await e2e.chat.locator('#new-chat').click();
      await e2e.chat.locator('#empty-state').waitFor();
      serious.push(...(await axe(e2e.chat, `${label}: empty`)));
      e2e.api.setDefault(replies.stall(['Streaming ', 'now']));
      await e2e.wb.typeAndSend('Stream forever');
      await e2e.chat.locator('[data-status="streaming"]', { hasText: 'Streaming now' }).waitFor();
      serious.push(...(await axe(e2e.chat, `${label}: streaming`)));
      await e2e.chat.locator('#send').click(); // Stop
      await e2e.chat.locator('.message.assistant[data-status="stopped"]').waitFor();
      // Back to the chat with every kind of message for the next theme.
      await e2e.chat.locator('#history-button').click();
      await e2e.chat
        .locator('.history-item', { hasText: 'Show me a parser with a table' })
        .locator('.history-open')
        .click();
      await e2e.chat.locator('.message.assistant[data-status="error"]').waitFor();
    }
    const file = join(process.cwd(), 'test-results', 'axe-report.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    assert.deepEqual(serious, [], 'no serious or critical axe violation');
  });
});
