// Proves the harness on the real product: the extension activates in code-server, its chat view opens, a message
// typed in the webview reaches the local test server, and the streamed answer appears in the view.
// Screenshot: test-results/e2e-smoke.png.
import * as assert from 'node:assert/strict';
import { replies, startTestServer, type TestServer } from '../../scripts/server/openai-server';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import type { Workbench } from '../harness/workbench';

const API_KEY = 'sk-smoke-0123456789abcdef';
const MODEL = 'bud-smoke-model';

describe('smoke: the real extension in code-server', function () {
  this.timeout(240_000);
  let api: TestServer;
  let server: CodeServer;
  let wb: Workbench;

  before(async () => {
    api = await startTestServer({ models: [MODEL] });
    server = await startCodeServer({
      label: 'smoke',
      settings: { 'bud.model': MODEL },
      machineSettings: { 'bud.baseUrl': `${api.url}/v1` },
      env: { BUD_API_KEY: API_KEY },
    });
    wb = await server.openWorkbench();
  });

  after(async () => {
    await server?.close();
    await api?.close();
  });

  it('opens the Bud chat view from the command palette', async () => {
    const chat = await wb.openChatView();
    await chat.locator('#input').waitFor({ state: 'visible' });
    assert.equal(await chat.locator('#input').getAttribute('aria-label'), 'Message Bud');
  });

  it('activated the extension in the extension host', async () => {
    const activated = /ExtensionService#_doActivateExtension bud-studio\.bud-chat\b/;
    const deadline = Date.now() + 10_000;
    while (!activated.test(server.extHostLog()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.match(server.extHostLog(), activated, 'the extension host log does not show bud-studio.bud-chat activating');
  });

  it('sends a typed message to the server and shows the streamed answer', async () => {
    api.enqueue(replies.stream(['Hello ', 'from ', 'the ', '**smoke** ', 'server.'], { delayMs: 40 }));
    const question = 'What does src/math.ts export?';
    await wb.typeAndSend(question);

    const answer = await wb.waitForAnswer('Hello from the smoke server.');
    assert.match(answer, /Hello from the smoke server\./);
    const chat = await wb.chatFrame();
    // Markdown was rendered, not shown raw.
    assert.equal(await chat.locator('.message.assistant .content strong').last().textContent(), 'smoke');
    await chat.locator('.message.user').filter({ hasText: question }).first().waitFor();

    const chats = api.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/chat/completions'));
    assert.equal(chats.length, 1, `expected one chat request, got ${chats.length}`);
    const body = chats[0].body;
    assert.equal(body.model, MODEL);
    assert.equal(body.stream, true);
    const lastUser = [...body.messages].reverse().find((m: any) => m.role === 'user');
    assert.ok(lastUser, 'no user message in the request');
    assert.match(
      typeof lastUser.content === 'string' ? lastUser.content : JSON.stringify(lastUser.content),
      /What does src\/math\.ts export\?/,
    );
    assert.equal(chats[0].headers.authorization, `Bearer ${API_KEY}`);

    await wb.screenshot('e2e-smoke');
  });

  it('leaves no error from the extension in the extension host log', () => {
    const errors = server.extHostErrors(/bud-chat|bud-studio/);
    assert.deepEqual(errors, [], errors.join('\n'));
  });

  it('made no request off this machine from the workbench or the webview', () => {
    assert.deepEqual(
      wb.externalRequests().map((r) => r.url),
      [],
    );
  });
});
