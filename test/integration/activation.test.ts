// Inside the real extension host: the product is installed, activates, registers its commands and contributes
// its chat view. Runs in code-server (npm test) and in VS Code desktop (npm run test:electron).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'bud-studio.bud-chat';
const CONTRACT_COMMANDS = [
  'bud.openChat',
  'bud.newChat',
  'bud.explainSelection',
  'bud.askAboutSelection',
  'bud.addSelectionToChat',
  'bud.selectModel',
  'bud.setApiKey',
  'bud.clearApiKey',
  'bud.testConnection',
  'bud.showLog',
];

function extension(): vscode.Extension<any> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

describe('activation', () => {
  it('the Bud Chat extension is installed', () => {
    const ext = extension();
    assert.equal(ext.packageJSON.name, 'bud-chat');
    assert.equal(ext.packageJSON.publisher, 'bud-studio');
  });

  it('activates without throwing', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every bud.* command its manifest declares, in category "Bud"', async () => {
    const ext = extension();
    await ext.activate();
    const declared: { command: string; category?: string }[] = ext.packageJSON.contributes?.commands ?? [];
    const ids = declared.map((c) => c.command);
    for (const id of CONTRACT_COMMANDS) assert.ok(ids.includes(id), `package.json does not declare ${id}`);
    for (const c of declared) assert.equal(c.category, 'Bud', `${c.command} has category ${c.category}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = ids.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared but not registered after activation: ${missing.join(', ')}`);
  });

  it('contributes the bud.chatView webview view in the "Bud" activity-bar container', () => {
    const contributes = extension().packageJSON.contributes ?? {};
    const container = (contributes.viewsContainers?.activitybar ?? []).find((c: any) => c.id === 'bud');
    assert.ok(container, 'no activity-bar view container with id "bud"');
    assert.equal(container.title, 'Bud');
    const view = (contributes.views?.bud ?? []).find((v: any) => v.id === 'bud.chatView');
    assert.ok(view, 'no view bud.chatView in container "bud"');
    assert.equal(view.type, 'webview');
  });

  it('opens the chat view through bud.openChat', async () => {
    await extension().activate();
    await vscode.commands.executeCommand('bud.openChat');
    // The view's generated focus command exists once the view is registered with the workbench.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('bud.chatView.focus'), 'bud.chatView.focus is not registered');
  });

  it('exposes the test API only in test mode (BUD_TEST_MODE=1 here)', async () => {
    assert.equal(process.env.BUD_TEST_MODE, '1', 'the harness must start the extension host with BUD_TEST_MODE=1');
    const api = await extension().activate();
    assert.ok(api?.chat, 'activate() returned no { chat } test API');
    assert.equal(typeof api.chat.getCurrentChat, 'function');
    assert.equal(typeof api.chat.send, 'function');
  });
});
