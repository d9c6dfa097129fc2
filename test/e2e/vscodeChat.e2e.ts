// End to end in VS Code's own Chat view (code-server 4.139.1 ships it): with chat.disableAIFeatures off and the
// onboarding dialog off, Bud's models are listed in Manage Language Models, a Bud model is picked in the Chat view,
// a message is sent there, and the answer streams in from the local test server — no sign-in.
import * as assert from 'node:assert/strict';
import { replies, startTestServer, type TestServer } from '../../scripts/server/openai-server';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import type { Workbench } from '../harness/workbench';

const MODEL = 'bud-test-model';
const ANSWER = 'Hello from Bud, streamed into VS Code’s own Chat view.';

describe("Bud in VS Code's Chat view (code-server + Chromium)", function () {
  this.timeout(300_000);
  let api: TestServer;
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    api = await startTestServer({ models: [MODEL, 'bud-small'] });
    api.modelFields[MODEL] = { context_length: 65536 };
    api.setDefault(replies.streamText(ANSWER, 6, { delayMs: 40 }));
    server = await startCodeServer({
      label: 'vscode-chat-e2e',
      settings: {
        'chat.disableAIFeatures': false,
        'workbench.welcomePage.experimentalOnboarding': false,
        'bud.model': MODEL,
      },
      machineSettings: { 'bud.baseUrl': api.url },
      env: { BUD_API_KEY: 'sk-e2e-vscode-chat-0123456789' },
    });
    wb = await server.openWorkbench({ viewport: { width: 1400, height: 860 } });
  });

  after(async () => {
    await server?.close();
    await api?.close();
  });

  it('lists the Bud models in Manage Language Models', async () => {
    await wb.runCommand('Chat: Manage Language Models');
    const page = wb.page;
    await page.getByText(MODEL, { exact: true }).first().waitFor({ timeout: 60_000 });
    await wb.screenshot('vscode-chat-manage-models');
    assert.ok(
      api.requests.some((r) => r.method === 'GET' && r.url.endsWith('/models')),
      'the model list came from the server',
    );
    // The Language Models editor opens as a modal dialog: close it with its own close button.
    await page.locator('.modal-editor-part [aria-label^="Close"], .modal-editor-part .codicon-close').first().click();
  });

  it('answers a message typed in the Chat view with a Bud model, streamed from the server', async () => {
    const page = wb.page;
    await page
      .locator('.monaco-dialog-modal-block, .modal-editor-part')
      .first()
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .catch(() => undefined);
    try {
      await wb.runCommand('Chat: Open Chat');
    } catch (err) {
      await wb.screenshot('vscode-chat-open-failed');
      throw err;
    }
    const input = page.locator('.interactive-input-part .monaco-editor').first();
    await input.waitFor({ timeout: 60_000 });
    await wb.screenshot('vscode-chat-open');
    // The model picker of the Chat view's input shows a Bud model once Manage Language Models has listed them.
    const picker = page.locator('.interactive-input-part').getByText(/^bud-/).first();
    await picker.waitFor({ timeout: 30_000 });
    if ((await picker.innerText()).trim() !== MODEL) {
      await picker.click();
      await page
        .locator('.action-widget, .context-view, .monaco-list')
        .getByText(MODEL, { exact: true })
        .first()
        .click();
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
    await wb.screenshot('vscode-chat-answer');
    const post = api.requests.filter((r) => r.method === 'POST').at(-1)!;
    assert.equal(post.body.model, MODEL);
    assert.equal(post.body.stream, true);
    assert.ok(
      post.body.messages.some((m: any) => m.role === 'user' && String(m.content).includes('Say hello from Bud')),
      'the message typed in the Chat view reached the server',
    );
  });
});
