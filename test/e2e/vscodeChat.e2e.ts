// End to end in VS Code's own Chat view (code-server 4.139.1 ships it): with chat.disableAIFeatures off and the
// onboarding dialog off, Bud's models are listed in Manage Language Models, a Bud model is picked in the Chat view,
// a message is sent there, and the answer streams in from the local test server — no sign-in.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { replies } from '../../scripts/server/openai-server';
import { useChatE2E } from '../harness/chatE2E';
import { resultsDir } from '../harness/paths';

const MODEL = 'bud-test-model';
const ANSWER = 'Hello from Bud, streamed into VS Code’s own Chat view.';
const BUD_ANSWER = 'The README says this is the fixture workspace.';

describe("Bud in VS Code's Chat view (code-server + Chromium)", function () {
  this.timeout(300_000);
  const e2e = useChatE2E({
    label: 'vscode-chat-e2e',
    models: [MODEL, 'bud-small'],
    settings: { 'chat.disableAIFeatures': false, 'workbench.welcomePage.experimentalOnboarding': false },
    apiKey: 'sk-e2e-vscode-chat-0123456789',
    // The server's metadata is in place before the extension host (started with the window) lists the models.
    beforeWorkbench: () => {
      e2e.api.modelFields[MODEL] = { context_length: 65536 };
      e2e.api.setDefault(replies.streamText(ANSWER, 6, { delayMs: 40 }));
    },
    viewport: { width: 1400, height: 860 },
    openChat: false,
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await e2e.wb.screenshot(`vscode-chat-failed-${this.currentTest.title.slice(0, 40).replace(/[^\w]+/g, '-')}`);
  });

  it('lists the Bud models in Manage Language Models', async () => {
    await e2e.wb.runCommand('Chat: Manage Language Models');
    const { page } = e2e.wb;
    // Generous: on a loaded machine the list has been seen to take over a minute to fill.
    await page.getByText(MODEL, { exact: true }).first().waitFor({ timeout: 150_000 });
    await e2e.wb.screenshot('vscode-chat-manage-models');
    assert.ok(
      e2e.api.requests.some((r) => r.method === 'GET' && r.url.endsWith('/models')),
      'the model list came from the server',
    );
    // The Language Models editor opens as a modal dialog: close it with its own close button.
    await page.locator('.modal-editor-part [aria-label^="Close"], .modal-editor-part .codicon-close').first().click();
  });

  it('answers a message typed in the Chat view with a Bud model, streamed from the server', async () => {
    const { page } = e2e.wb;
    await page
      .locator('.monaco-dialog-modal-block, .modal-editor-part')
      .first()
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .catch(() => undefined);
    try {
      await e2e.wb.runCommand('Chat: Open Chat');
    } catch (err) {
      await e2e.wb.screenshot('vscode-chat-open-failed');
      throw err;
    }
    const input = page.locator('.interactive-input-part .monaco-editor').first();
    await input.waitFor({ timeout: 60_000 });
    await e2e.wb.screenshot('vscode-chat-open');
    // The model picker of the Chat view's input shows a Bud model once Manage Language Models has listed them. It
    // opens a list with the current model on top and the rest folded under "Other Models", above a "Search models"
    // box: typing the id there lists it whatever the grouping, and each row is an option named "<name>, <detail>…".
    const picker = page.locator('.interactive-input-part').getByText(/^bud-/).first();
    await picker.waitFor({ timeout: 30_000 });
    if ((await picker.innerText()).trim() !== MODEL) {
      await picker.click();
      await page.getByRole('combobox', { name: 'Search models' }).fill(MODEL);
      await page.getByRole('option', { name: new RegExp(`^${MODEL}, Bud · `) }).click();
    }
    await page
      .locator('.interactive-input-part')
      .getByText(MODEL, { exact: true })
      .first()
      .waitFor({ timeout: 30_000 });
    await input.click();
    await page.keyboard.type('Say hello from Bud');
    await page.keyboard.press('Enter');
    const session = page.locator('.interactive-session');
    await session.getByText(ANSWER.slice(0, 30)).first().waitFor({ timeout: 90_000 });
    await session.getByText(ANSWER).first().waitFor({ timeout: 60_000 });
    await e2e.wb.screenshot('vscode-chat-answer');
    // The Chat view alone, for the README.
    await page.locator('.part.auxiliarybar').screenshot({ path: join(resultsDir(), 'vscode-chat-answer-view.png') });
    const post = e2e.api.requests.filter((r) => r.method === 'POST').at(-1)!;
    assert.equal(post.body.model, MODEL);
    assert.equal(post.body.stream, true);
    assert.ok(
      post.body.messages.some((m: any) => m.role === 'user' && String(m.content).includes('Say hello from Bud')),
      'the message typed in the Chat view reached the server',
    );
  });

  // Runs after the test above: the Chat view is open with the Bud model picked.
  it('answers @bud with Bud’s own prompt and sends the file attached to the request', async () => {
    const { page } = e2e.wb;
    const posts = () => e2e.api.requests.filter((r) => r.method === 'POST');
    const before = posts().length;
    e2e.api.enqueue(replies.streamText(BUD_ANSWER, 4, { delayMs: 40 }));
    // A `#file:` typed as text stays text: a file is attached the way a user does it, with Add File to Chat.
    await e2e.wb.openFile('README.md');
    await e2e.wb.runCommand('Chat: Add File to Chat');
    await page.locator('.interactive-input-part .monaco-editor').first().click();
    // Inserted at once, not typed key by key: typing `@` opens a completion list that a busy machine lets take the
    // next keys (it picked "@attachment:README.md"). VS Code reads `@bud` from the text itself; a completion list
    // that still opens is closed before Enter so that Enter sends.
    await page.keyboard.insertText('@bud what is in it?');
    const suggest = page.locator('.interactive-input-part .suggest-widget.visible');
    if (await suggest.isVisible()) await page.keyboard.press('Escape');
    await suggest.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.interactive-session').getByText('what is in it?').first().waitFor({ timeout: 30_000 });
    await page.locator('.interactive-session').getByText(BUD_ANSWER).first().waitFor({ timeout: 90_000 });
    // VS Code may send requests of its own (e.g. a title); @bud's is the one with Bud's system prompt.
    const sent = posts().slice(before);
    const bud = sent.find((r) =>
      /^You are Bud, a coding assistant inside VS Code\./.test(String(r.body.messages[0]?.content)),
    );
    assert.ok(bud, `no request with Bud's system prompt among: ${JSON.stringify(sent.map((r) => r.body.messages[0]))}`);
    const { messages, model } = bud.body;
    assert.equal(model, MODEL);
    const user = String(messages.at(-1).content);
    assert.match(user, /Attached by the user: README\.md\n/);
    assert.match(user, /# Fixture workspace/);
    assert.match(user, /what is in it\?$/);
    // VS Code's index of Copilot skills and agents, which it adds to every request, is not passed on (NOT_FOR_BUD).
    assert.doesNotMatch(user, /Chat customizations index|<skills>/);
  });
});
