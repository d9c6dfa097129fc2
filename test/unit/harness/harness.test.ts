// The test harness's own guarantees: process groups really die, the extension host gets a hermetic
// environment, the product is laid out like a VSIX install, and "external request" means off this machine.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerEnv, installExtensionCopy } from '../../harness/codeServer';
import { groupAlive, openResources, stopGroup, track } from '../../harness/processes';
import { isExternal } from '../../harness/workbench';

function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/\) Z /.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}

describe('harness: process groups', () => {
  it('stopGroup kills a detached child and the grandchild it started', async () => {
    const child = spawn('sh', ['-c', 'sleep 300 & echo $!; wait'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const grandchild = await new Promise<number>((res) =>
      child.stdout.once('data', (d) => res(Number(String(d).trim()))),
    );
    assert.ok(pidAlive(grandchild), 'the grandchild should be running before stopGroup');
    await stopGroup(child, 2000);
    assert.equal(groupAlive(child.pid!) && pidAlive(child.pid!), false, 'the child is still running');
    assert.equal(pidAlive(grandchild), false, 'the grandchild (sleep 300) is still running');
  });

  it('stopGroup escalates to SIGKILL when SIGTERM is ignored', async () => {
    const child = spawn('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise((res) => child.stdout.once('data', res));
    const t0 = Date.now();
    await stopGroup(child, 300);
    assert.equal(pidAlive(child.pid!), false, 'a child ignoring SIGTERM survived');
    assert.ok(Date.now() - t0 < 5000);
  });

  it('track() registers a resource until its owner untracks it', () => {
    const untrack = track({ name: 'unit-test-resource', close: async () => {} });
    assert.ok(openResources().includes('unit-test-resource'));
    untrack();
    assert.equal(openResources().includes('unit-test-resource'), false);
  });
});

describe('harness: code-server environment', () => {
  const parent = {
    PATH: '/usr/bin',
    BUD_API_KEY: 'sk-parent-secret',
    BUD_BASE_URL: 'https://gateway.example',
    BUD_HARNESS_RUN: 'run-1',
    VSCODE_IPC_HOOK_CLI: '/tmp/x.sock',
    LANG: 'C.UTF-8',
  };

  it('drops BUD_* and VSCODE_* from the parent, keeps the run marker, isolates HOME and puts Node 24 first', () => {
    const env = codeServerEnv({}, '/tmp/home-x', '/opt/node24/bin', parent);
    assert.equal(env.BUD_API_KEY, undefined);
    assert.equal(env.BUD_BASE_URL, undefined);
    assert.equal(env.VSCODE_IPC_HOOK_CLI, undefined);
    assert.equal(env.BUD_HARNESS_RUN, 'run-1');
    assert.equal(env.BUD_TEST_MODE, '1');
    assert.equal(env.HOME, '/tmp/home-x');
    assert.equal(env.PATH, '/opt/node24/bin:/usr/bin');
    assert.equal(env.LANG, 'C.UTF-8');
    assert.match(String(env.EXTENSIONS_GALLERY), /127\.0\.0\.1/);
  });

  it('passes what a test asks for, and the parent BUD_* only with inheritBudEnv', () => {
    const asked = codeServerEnv({ env: { BUD_API_KEY: 'sk-test', BUD_TEST_MODE: undefined } }, '/h', '/n', parent);
    assert.equal(asked.BUD_API_KEY, 'sk-test');
    assert.equal(asked.BUD_TEST_MODE, undefined);
    const inherited = codeServerEnv({ inheritBudEnv: true }, '/h', '/n', parent);
    assert.equal(inherited.BUD_BASE_URL, 'https://gateway.example');
  });
});

describe('harness: extension install layout', () => {
  it('copies an extension to EXT/<publisher>.<name>-<version> with only the listed entries', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bud-harness-unit-'));
    try {
      const src = join(tmp, 'src');
      mkdirSync(join(src, 'dist'), { recursive: true });
      writeFileSync(join(src, 'package.json'), JSON.stringify({ publisher: 'pub', name: 'thing', version: '1.2.3' }));
      writeFileSync(join(src, 'dist/extension.js'), 'exports.activate = () => {};');
      writeFileSync(join(src, 'secret.txt'), 'not shipped');
      const target = installExtensionCopy(src, join(tmp, 'ext'), ['package.json', 'dist', 'media']);
      assert.equal(target, join(tmp, 'ext', 'pub.thing-1.2.3'));
      assert.ok(existsSync(join(target, 'dist/extension.js')));
      assert.equal(existsSync(join(target, 'secret.txt')), false);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('harness: external requests', () => {
  it('counts only requests that leave this machine', () => {
    assert.equal(isExternal('https://open-vsx.org/vscode/gallery'), true);
    assert.equal(isExternal('http://example.com/x.png'), true);
    assert.equal(isExternal('wss://evil.example/socket'), true);
    assert.equal(isExternal('http://127.0.0.1:4000/v1/chat/completions'), false);
    assert.equal(isExternal('http://localhost:8080/'), false);
    assert.equal(
      isExternal(
        'https://vscode-remote+127-002e0-002e0-002e1-003a46363.vscode-resource.vscode-cdn.net/x/dist/webview.js',
      ),
      false,
    );
    assert.equal(isExternal('data:image/png;base64,AAAA'), false);
    assert.equal(isExternal('blob:http://127.0.0.1/abc'), false);
  });
});
