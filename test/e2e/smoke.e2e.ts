// Proves the harness on the real product: the extension activates in code-server, its chat view opens, a message
// typed in the webview reaches the local test server, and the streamed answer appears in the view.
// Screenshot: test-results/e2e-smoke.png.
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { replies } from '../../scripts/server/openai-server';
import { useChatE2E } from '../harness/chatE2E';

const API_KEY = 'sk-smoke-0123456789abcdef';
const MODEL = 'bud-smoke-model';

describe('smoke: the real extension in code-server', function () {
  this.timeout(240_000);
  const e2e = useChatE2E({
    label: 'smoke',
    models: [MODEL],
    baseUrl: (api) => `${api.url}/v1`,
    apiKey: API_KEY,
    viewport: { width: 1400, height: 900 },
    openChat: false,
  });

  it('opens the Bud chat view from the command palette', async () => {
    const chat = await e2e.wb.openChatView();
    await chat.locator('#input').waitFor({ state: 'visible' });
    assert.equal(await chat.locator('#input').getAttribute('aria-label'), 'Message Bud');
  });

  it('activated the extension in the extension host', async () => {
    const activated = /ExtensionService#_doActivateExtension bud-studio\.bud-chat\b/;
    const deadline = Date.now() + 10_000;
    while (!activated.test(e2e.server.extHostLog()) && Date.now() < deadline) await sleep(200);
    assert.match(
      e2e.server.extHostLog(),
      activated,
      'the extension host log does not show bud-studio.bud-chat activating',
    );
  });

  it('sends a typed message to the server and shows the streamed answer', async () => {
    e2e.api.enqueue(replies.stream(['Hello ', 'from ', 'the ', '**smoke** ', 'server.'], { delayMs: 40 }));
    const question = 'What does src/math.ts export?';
    await e2e.wb.typeAndSend(question);

    const answer = await e2e.wb.waitForAnswer('Hello from the smoke server.');
    assert.match(answer, /Hello from the smoke server\./);
    const chat = await e2e.wb.chatFrame();
    // Markdown was rendered, not shown raw.
    assert.equal(await chat.locator('.message.assistant .content strong').last().textContent(), 'smoke');
    await chat.locator('.message.user').filter({ hasText: question }).first().waitFor();

    const chats = e2e.api.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/chat/completions'));
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

    await e2e.wb.screenshot('e2e-smoke');
  });

  it('leaves no error from the extension in the extension host log', () => {
    const errors = e2e.server.extHostErrors(/bud-chat|bud-studio/);
    assert.deepEqual(errors, [], errors.join('\n'));
  });

  it('made no request off this machine from the workbench or the webview', () => {
    assert.deepEqual(
      e2e.wb.externalRequests().map((r) => r.url),
      [],
    );
  });
});
