// The chat inside the real extension host: settings and secrets resolved, Explain Selection from a real editor
// selection, the request the server receives, limits, and the history written to global storage.
// Requests go to the local OpenAI-compatible test server started here; the extension is pointed at it through
// its test API (BUD_TEST_MODE=1), because a test cannot write machine-scoped settings.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { replies, startTestServer, type TestServer } from '../../scripts/server/openai-server';
import type { BudTestApi } from '../../src/testApi';
import { budTestApi } from './budApi';

const KEY = 'sk-integration-SECRET-4f1c9a77e2';

const bud = () => vscode.workspace.getConfiguration('bud');
const G = vscode.ConfigurationTarget.Global;
const chatRequests = (s: TestServer) =>
  s.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/chat/completions'));

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('chat in the extension host', function () {
  this.timeout(60_000);
  let server: TestServer;
  let bt: BudTestApi;

  before(async () => {
    server = await startTestServer();
    bt = await budTestApi();
    bt.setBaseUrlOverride(server.url);
    await bt.setApiKey(KEY);
    await bud().update('model', 'bud-test-model', G);
    await bt.chat.newChat();
  });

  after(async () => {
    bt.setBaseUrlOverride(undefined);
    await bt.clearApiKey();
    for (const k of ['model', 'temperature', 'topP', 'maxTokens', 'stream', 'stop', 'systemPrompt'])
      await bud().update(k, undefined, G);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  it('resolves the key from SecretStorage and sends it only as the Bearer header', async () => {
    const c = await bt.describeConnection();
    assert.deepEqual([c.keySource, c.hasKey, c.model], ['secretStorage', true, 'bud-test-model']);
    server.enqueue(replies.stream(['Hi ', 'there']));
    const before = chatRequests(server).length;
    await bt.chat.send('Hello Bud');
    const req = chatRequests(server)[before];
    assert.equal(req.headers.authorization, `Bearer ${KEY}`);
    assert.equal(req.body.model, 'bud-test-model');
    assert.equal(req.body.stream, true);
    assert.equal(req.rawBody.includes(KEY), false, 'the key is not in the body');
    const last = bt.chat.getCurrentChat().messages.at(-1)!;
    assert.deepEqual([last.role, last.content, last.status], ['assistant', 'Hi there', 'complete']);
  });

  it('reads the sampling settings for each request and sends only what is set', async () => {
    await bud().update('temperature', 0.3, G);
    await bud().update('maxTokens', 77, G);
    await bud().update('stop', ['END'], G);
    await bud().update('systemPrompt', 'Answer like a pirate.', G);
    server.enqueue(replies.stream(['Arr']));
    const before = chatRequests(server).length;
    await bt.chat.send('Settings check');
    const body = chatRequests(server)[before].body;
    assert.equal(body.temperature, 0.3);
    assert.equal(body.max_tokens, 77);
    assert.deepEqual(body.stop, ['END']);
    assert.equal('top_p' in body, false, 'unset settings are not sent');
    assert.equal('presence_penalty' in body, false);
    assert.equal(body.messages[0].role, 'system');
    // The user's prompt follows Bud's; the fixture workspace's AGENTS.md instructions come after it.
    assert.match(body.messages[0].content, /\n\nAnswer like a pirate\.(\n|$)/);
    // Earlier exchanges go back to the model.
    assert.deepEqual(
      body.messages.slice(1).map((m: any) => m.content),
      ['Hello Bud', 'Hi there', 'Settings check'],
    );
  });

  /** Waits until the server has seen no request for 300 ms (reads started by settings changes have ended). */
  const quiet = async () => {
    for (let n = -1; n !== server.requests.length;) {
      n = server.requests.length;
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  const modelListReads = () => server.requests.filter((r) => r.method === 'GET' && r.url.endsWith('/models')).length;

  it('keeps one connection to the server between messages (no new socket per request)', async () => {
    // A request overlapping another one (a model list read after a change of the model, say) rightly takes a
    // second socket. So each message waits for a quiet server, and the second must go on a connection already open.
    server.enqueue(replies.stream(['one']), replies.stream(['two']));
    const before = chatRequests(server).length;
    await quiet();
    await bt.chat.send('First');
    await quiet();
    const open = new Set(server.requests.map((r) => r.remotePort));
    await bt.chat.send('Second');
    const [a, b] = chatRequests(server).slice(before);
    assert.ok(a.remotePort && b.remotePort);
    assert.ok(
      open.has(b.remotePort),
      `the second request reused an open connection (port ${b.remotePort}; open: ${[...open].join(', ')})`,
    );
  });

  it('reads the model list again after a change of the model, not after a change of a sampling setting', async () => {
    await quiet();
    const before = modelListReads();
    await bud().update('temperature', 0.7, G);
    await bud().update('topP', 0.9, G);
    await quiet();
    assert.equal(modelListReads(), before, 'sampling settings need no new model list');
    await bud().update('model', 'bud-other-model', G);
    try {
      await quiet();
      assert.ok(modelListReads() > before, 'a new model reads the list again (it may be newer than the one known)');
    } finally {
      await bud().update('model', 'bud-test-model', G);
      await bud().update('topP', undefined, G);
      await quiet();
    }
  });

  it('with bud.stream off uses the non-streaming call and still shows the answer', async () => {
    await bud().update('stream', false, G);
    server.enqueue(replies.stream(['Whole ', 'answer']));
    const before = chatRequests(server).length;
    await bt.chat.send('No streaming please');
    assert.equal(chatRequests(server)[before].body.stream, false);
    const last = bt.chat.getCurrentChat().messages.at(-1)!;
    assert.deepEqual([last.content, last.status], ['Whole answer', 'complete']);
    await bud().update('stream', undefined, G);
  });

  it('Explain Selection sends the selected code with its path, language and line range', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src/math.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(11, 0, 15, 1); // lines 12-16: fibonacci
    server.enqueue(replies.stream(['It computes ', 'Fibonacci numbers.']));
    const before = chatRequests(server).length;
    await vscode.commands.executeCommand('bud.explainSelection');
    const body = chatRequests(server)[before].body;
    const user = body.messages.at(-1);
    assert.equal(user.role, 'user');
    assert.ok(
      user.content.startsWith(
        'From `src/math.ts`, lines 12-16 (typescript):\n\n```typescript\nexport function fibonacci(n: number): number {',
      ),
      user.content.slice(0, 200),
    );
    assert.ok(user.content.includes('  return a;\n}\n```\n\nExplain what this code does'));
    const chat = bt.chat.getCurrentChat();
    const shown = chat.messages.at(-2)!;
    assert.equal(shown.role, 'user');
    assert.deepEqual(
      shown.contexts!.map((c) => [c.path, c.language, c.startLine, c.endLine, c.uri]),
      [['src/math.ts', 'typescript', 12, 16, doc.uri.toString()]],
    );
    assert.deepEqual(
      [chat.messages.at(-1)!.content, chat.messages.at(-1)!.status],
      ['It computes Fibonacci numbers.', 'complete'],
    );
  });

  it('Add Selection to Chat makes a pending chip that goes with the next message', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src/math.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    await vscode.commands.executeCommand('bud.addSelectionToChat');
    assert.equal(bt.chat.pendingContexts(), 1);
    server.enqueue(replies.stream(['It adds.']));
    const before = chatRequests(server).length;
    await bt.chat.send('What is this?');
    assert.equal(bt.chat.pendingContexts(), 0);
    const user = chatRequests(server)[before].body.messages.at(-1);
    assert.match(
      user.content,
      /^From `src\/math\.ts`, lines 2-4 \(typescript\):[\s\S]*export function add[\s\S]*\n\nWhat is this\?$/,
    );
  });

  it('refuses a 5 MB selection at once: nothing sent, nothing added', async () => {
    const doc = await vscode.workspace.openTextDocument({
      content: 'x'.repeat(5 * 1024 * 1024),
      language: 'plaintext',
    });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 5 * 1024 * 1024);
    const requests = chatRequests(server).length;
    const messages = bt.chat.getCurrentChat().messages.length;
    const t0 = Date.now();
    await vscode.commands.executeCommand('bud.explainSelection');
    assert.ok(Date.now() - t0 < 5000, 'refused without delay');
    assert.equal(chatRequests(server).length, requests);
    assert.equal(bt.chat.getCurrentChat().messages.length, messages);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a server error is kept inline with its actions, and the next message works', async () => {
    server.enqueue(replies.error(401, 'Invalid API key'));
    await bt.chat.send('This fails');
    const failed = bt.chat.getCurrentChat().messages.at(-1)!;
    assert.equal(failed.status, 'error');
    assert.equal(failed.error!.kind, 'auth');
    assert.ok(failed.error!.actions.includes('setApiKey'));
    assert.equal(JSON.stringify(failed).includes(KEY), false);
    server.enqueue(replies.stream(['Back to normal']));
    await bt.chat.send('And now?');
    assert.equal(bt.chat.getCurrentChat().messages.at(-1)!.content, 'Back to normal');
  });

  it('saves the chat to global storage (one file per chat) and never the key', async () => {
    server.enqueue(replies.error(422, 'Unprocessable in the test'));
    await bt.chat.send('Will fail');
    server.enqueue(replies.stream(['Saved answer']));
    await bt.chat.send('Save me');
    await bt.chat.flush();
    const chat = bt.chat.getCurrentChat();
    const file = path.join(bt.chat.historyDir, `${chat.id}.json`);
    const saved = JSON.parse(await fs.readFile(file, 'utf8'));
    assert.equal(saved.id, chat.id);
    assert.deepEqual(
      saved.messages.map((m: any) => [m.role, m.content, m.status]),
      chat.messages.map((m) => [m.role, m.content, m.status]),
    );
    assert.ok(
      saved.messages.some((m: any) => m.status === 'error'),
      `a failed answer is saved as failed: ${JSON.stringify(saved.messages.map((m: any) => [m.content.slice(0, 30), m.status]))}`,
    );
    assert.equal(saved.title, chat.title);
    assert.ok(chat.title.length > 0 && chat.title !== 'New chat');
    // Nothing the extension wrote holds the key: global storage (history) and the log files.
    const storage = path.dirname(bt.chat.historyDir);
    const files = [...(await filesUnder(storage)), ...(await filesUnder(bt.logDir))];
    const logs = files.filter((f) => /Bud Chat\.log$/.test(f));
    assert.ok(logs.length > 0, `the Bud Chat log file is among ${files.length} files searched`);
    assert.match(
      await fs.readFile(logs[0], 'utf8'),
      /POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions stream model=bud-test-model -> 200/,
    );
    for (const f of files) assert.equal((await fs.readFile(f, 'utf8')).includes(KEY), false, f);
  });

  it('a new chat starts empty; the previous one stays on disk and is restored by switching back', async () => {
    const previous = bt.chat.getCurrentChat();
    await bt.chat.newChat();
    assert.equal(bt.chat.getCurrentChat().messages.length, 0);
    assert.notEqual(bt.chat.getCurrentChat().id, previous.id);
    await bt.chat.switchChat(previous.id);
    assert.deepEqual(
      bt.chat.getCurrentChat().messages.map((m) => m.content),
      previous.messages.map((m) => m.content),
    );
  });

  it('without a key: an inline error offering Set API Key, and no request', async () => {
    await bt.clearApiKey();
    const c = await bt.describeConnection();
    assert.deepEqual([c.hasKey, c.keySource], [false, 'none']);
    const before = server.requests.length;
    await bt.chat.send('Anyone there?');
    assert.equal(server.requests.length, before);
    const last = bt.chat.getCurrentChat().messages.at(-1)!;
    assert.deepEqual(
      [last.status, last.error?.kind, last.error?.actions],
      ['error', 'noApiKey', ['setApiKey', 'retry']],
    );
    await bt.setApiKey(KEY);
  });

  it('Test Connection reports the final URL, the model count, streaming and tool calls', async () => {
    server.enqueue(
      replies.raw([
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bud-test-model', choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'ping', arguments: '{}' } }] }, finish_reason: null }] })}\n\n`,
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bud-test-model', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`,
        'data: [DONE]\n\n',
      ]),
    );
    const report = await vscode.commands.executeCommand<any>('bud.testConnection');
    assert.equal(report.url, `${server.url}/v1`);
    assert.deepEqual(
      [report.models.ok, report.models.count, report.stream.ok, report.toolCalls, report.ok],
      [true, 2, true, 'yes', true],
    );
    const models = server.requests.filter((r) => r.method === 'GET' && r.url.endsWith('/models'));
    assert.ok(models.length > 0);
    assert.equal(models.at(-1)!.headers.authorization, `Bearer ${KEY}`);
  });

  it('a workspace-level bud.baseUrl cannot redirect the key', async () => {
    bt.setBaseUrlOverride(undefined);
    try {
      await bud()
        .update('baseUrl', 'http://127.0.0.1:9/steal', vscode.ConfigurationTarget.Workspace)
        .then(undefined, () => undefined);
      const c = await bt.describeConnection();
      assert.equal(c.baseUrl.includes('127.0.0.1:9'), false, `resolved ${c.baseUrl}`);
    } finally {
      await bud()
        .update('baseUrl', undefined, vscode.ConfigurationTarget.Workspace)
        .then(undefined, () => undefined);
      bt.setBaseUrlOverride(server.url);
    }
  });
});
