// Mentions and attachments inside the real extension host, through the product's own instances (its test API):
// the # picker's list on the fixture workspace (with VS Code's ripgrep and real files.exclude), reading files,
// folders and Problems, the deny list, binary files, the outline fallback with a real document-symbol provider,
// the terminal through VS Code's shell-integration API, and workspace instructions.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeContext } from '../../src/protocol';
import type { BudTestApi } from '../../src/testApi';
import { budTestApi } from './budApi';
import { API_RECORD_KEY } from '../../src/lm/apiSurface';

const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
/** The attachment, or the test fails with the reason it was refused. */
function ok(r: CodeContext | string): CodeContext {
  if (typeof r === 'string') assert.fail(r);
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Files this suite adds to the fixture workspace (removed afterwards). */
const ADDED = ['.env', 'secrets/id_rsa', 'assets/logo.png', 'src/big-sample.ts', 'AGENTS.md'];

function bigSource(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++)
    out.push(
      i % 50 === 0
        ? `export function block${i}() {`
        : i % 50 === 49
          ? '}'
          : `  const v${i} = ${i}; // filler line ${i}`,
    );
  return out.join('\n') + '\n';
}

async function waitFor<T>(what: string, fn: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

describe('mentions and attachments in the extension host', function () {
  this.timeout(420_000);
  let bt: BudTestApi;
  const disposables: vscode.Disposable[] = [];

  before(async () => {
    bt = await budTestApi();
    const w = (rel: string, data: string | Buffer) => {
      mkdirSync(path.dirname(path.join(root(), rel)), { recursive: true });
      writeFileSync(path.join(root(), rel), data);
    };
    w('.env', 'API_KEY=do-not-send-0x1234\n');
    w('secrets/id_rsa', '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    w('assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
    w('src/big-sample.ts', bigSource(3000));
    w('AGENTS.md', '# Agent notes\nAlways answer in haiku when asked about math.\n');
    // Give the file watcher a moment so the picker's index sees them.
    await sleep(1500);
  });

  after(async () => {
    for (const d of disposables) d.dispose();
    for (const rel of ADDED) rmSync(path.join(root(), rel), { force: true });
    for (const dir of ['secrets', 'assets']) rmSync(path.join(root(), dir), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the picker ranks src/math.ts first for "mat" and never lists .env or keys', async () => {
    const r = await bt.mentions.query('mat');
    const files = r.items.filter((i) => i.kind === 'file');
    assert.equal(files[0].id, 'path:src/math.ts');
    assert.equal(files[0].label, 'math.ts');
    assert.equal(files[0].detail, 'src');
    assert.deepEqual(files[0].matches, [0, 1, 2]);
    for (const q of ['env', '.env', 'id_rsa', 'secrets']) {
      const ids = (await bt.mentions.query(q)).items.map((i) => i.id);
      assert.ok(!ids.some((id) => /\.env|id_rsa/.test(id)), `${q}: ${ids.join(', ')}`);
    }
    const all = await bt.mentions.query('');
    const specials = all.items.filter((i) => i.id.startsWith('special:')).map((i) => i.id);
    assert.deepEqual(specials, ['special:problems', 'special:changes', 'special:terminal'], 'no editor is open yet');
    assert.ok((await bt.mentions.query('utils')).items.some((i) => i.id === 'path:src/utils/' && i.kind === 'folder'));
  });

  it('a picked file is read whole with its path, language and line count; a folder as its listing', async () => {
    const file = ok(await bt.mentions.read('path:src/math.ts'));
    assert.equal(file.kind, 'file');
    assert.equal(file.path, 'src/math.ts');
    assert.equal(file.language, 'typescript');
    assert.match(file.text, /^\/\*\* Adds two numbers\. \*\/\nexport function add/);
    assert.equal(file.totalLines, file.text.replace(/\n$/, '').split('\n').length);
    assert.ok((file.tokens ?? 0) > 20);
    assert.equal(file.note, undefined);
    const folder = ok(await bt.mentions.read('path:src/'));
    assert.equal(folder.kind, 'folder');
    assert.match(folder.text, /file {2}src\/math\.ts/);
    assert.match(folder.text, /dir {3}src\/utils\//);
  });

  it('the deny list and binary files are refused with a reason, whichever way they come', async () => {
    const env = await bt.mentions.read('path:.env');
    assert.equal(typeof env, 'string');
    assert.match(env as string, /deny list/);
    const added = await bt.mentions.attachUris([
      vscode.Uri.file(path.join(root(), '.env')).toString(),
      `vscode-remote://127.0.0.1:1/${path.join(root(), 'secrets/id_rsa').replace(/^\//, '')}`,
      vscode.Uri.file(path.join(root(), 'assets/logo.png')).toString(),
      vscode.Uri.file('/etc/passwd').toString(),
    ]);
    assert.equal(added, 0);
    const png = await bt.mentions.read('path:assets/logo.png');
    assert.match(png as string, /^"assets\/logo\.png" is a binary file \(16 B\); only text files can be attached\.$/);
    assert.equal(bt.chat.pendingContexts(), 0);
  });

  it('a file too large for the budget goes as its outline plus head and tail, with a note', async () => {
    disposables.push(
      vscode.languages.registerDocumentSymbolProvider(
        { scheme: 'file', pattern: '**/src/big-sample.ts' },
        {
          provideDocumentSymbols: () =>
            [0, 50, 100].map(
              (l) =>
                new vscode.DocumentSymbol(
                  `block${l}`,
                  'probe',
                  vscode.SymbolKind.Function,
                  new vscode.Range(l, 0, l + 49, 0),
                  new vscode.Range(l, 0, l, 5),
                ),
            ),
        },
      ),
    );
    const big = ok(await bt.mentions.read('path:src/big-sample.ts'));
    assert.equal(big.totalLines, 3000);
    assert.match(
      big.note ?? '',
      /^src\/big-sample\.ts has 3,000 lines, more than the [\d,]+ tokens it may use in this message, so only its outline, lines 1–\d+ and lines [\d,]+–3,000 are sent\.$/,
    );
    assert.match(big.text, /^Outline:\n/);
    assert.match(big.text, /function block0 — probe \(lines 1–50\)/, 'the outline comes from the symbol providers');
    assert.match(big.text, /\nLines 1–\d+:\nexport function block0\(\) \{\n/);
    assert.match(big.text, /\[… lines [\d,]+–[\d,]+ are left out …\]/);
    assert.ok(big.text.endsWith('  const v2998 = 2998; // filler line 2998\n}'));
    // Sent together with another file, the two share the budget and both stay.
    const math = await bt.mentions.read('path:src/math.ts');
    const sent = await bt.mentions.prepare([big, ok(math)]);
    assert.equal(sent.length, 2);
    assert.equal(sent[1].note, undefined, 'the small file goes whole');
    assert.ok(sent[0].note);
  });

  it('#problems reads the Problems of the workspace and of one file', async () => {
    const collection = vscode.languages.createDiagnosticCollection('bud-it');
    disposables.push(collection);
    const uri = vscode.Uri.file(path.join(root(), 'src/math.ts'));
    collection.set(uri, [
      new vscode.Diagnostic(new vscode.Range(2, 2, 2, 8), 'probe: suspicious return', vscode.DiagnosticSeverity.Error),
    ]);
    const all = ok(await bt.mentions.read('special:problems'));
    assert.equal(all.kind, 'problems');
    assert.match(all.text, /src\/math\.ts:3:3: error: probe: suspicious return/);
    assert.match(all.label ?? '', /^Problems \(1 error, 0 warnings\)$/);
    await vscode.window.showTextDocument(uri);
    const items = (await bt.mentions.query('prob')).items.map((i) => i.id);
    assert.deepEqual(items.slice(0, 2), ['special:problems', 'special:fileProblems']);
    const one = ok(await bt.mentions.read('special:fileProblems'));
    assert.match(one.label ?? '', /^Problems in math\.ts/);
    assert.equal(ok(await bt.mentions.read('special:currentFile')).path, 'src/math.ts');
  });

  it('#terminal reads the last command and its output through shell integration, not the clipboard', async function () {
    const [major, minor] = vscode.version.split('.').map(Number);
    if (major === 1 && minor < 95) {
      // Before 1.93 the API is proposed only (code-server turns proposals on); Bud uses it from 1.95, and says why.
      assert.equal(bt.mentions.terminalSupported, false, `VS Code ${vscode.version}: shell integration is not stable`);
      const why = await bt.mentions.read('special:terminal');
      assert.ok(
        typeof why === 'string' && /needs VS Code 1\.95/.test(why),
        `#terminal says why: ${JSON.stringify(why)}`,
      );
      return;
    }
    assert.equal(bt.mentions.terminalSupported, true, `VS Code ${vscode.version} has the shell-integration API`);
    // The clipboard is never touched: the test-mode API recorder (src/lm/apiRecorder.ts) sees every read of
    // `vscode.env.clipboard`. (Reading the clipboard back from here waits forever in code-server: the browser asks
    // for a user gesture.) Earlier tests may have copied code, so the record starts clean for this test.
    const used = (globalThis as Record<string, unknown>)[API_RECORD_KEY] as Set<string>;
    const copiedBefore = used.delete('env.clipboard');
    // What the API itself delivers, listened to here too: printed when the output is missing, to tell a Bud fault
    // from VS Code passing nothing on.
    const raw: string[] = [];
    type Exec = { read(): AsyncIterable<string>; commandLine: { value: string } };
    type ShellEvents = {
      onDidStartTerminalShellExecution: vscode.Event<{ execution: Exec }>;
      onDidEndTerminalShellExecution: vscode.Event<{ execution: Exec; exitCode?: number }>;
    };
    const w = vscode.window as unknown as ShellEvents;
    disposables.push(
      w.onDidStartTerminalShellExecution((e) => {
        void (async () => {
          for await (const d of e.execution.read()) raw.push(JSON.stringify(d));
        })();
      }),
      w.onDidEndTerminalShellExecution((e) => raw.push(`END ${e.execution.commandLine.value} ${e.exitCode}`)),
    );
    const term = vscode.window.createTerminal({ name: 'bud-it', cwd: root() });
    disposables.push(term);
    term.show();
    type WithIntegration = vscode.Terminal & { shellIntegration?: { executeCommand(c: string): unknown } };
    const si = await waitFor(
      'shell integration in the terminal',
      () => (term as WithIntegration).shellIntegration,
      90_000,
    );
    // Output printed in the same instant the command starts can be missed by VS Code's API (see NO_OUTPUT): the
    // command prints a second later, as real builds and tests do.
    si.executeCommand('sleep 1; echo bud-terminal-probe-$((40+2))');
    const last = await waitFor(
      'the command to finish',
      () => {
        const c = bt.mentions.lastTerminalCommand();
        return c && c.commandLine.includes('bud-terminal-probe') ? c : undefined;
      },
      30_000,
    );
    assert.equal(last.exitCode, 0);
    assert.match(last.output, /^bud-terminal-probe-42$/m, `raw: ${raw.join('\n')}`);
    const att = ok(await bt.mentions.read('special:terminal'));
    assert.equal(att.kind, 'terminal');
    assert.match(att.label ?? '', /^Terminal: sleep 1; echo bud-terminal-probe-\$\(\(40\+… \(exit code 0\)$/);
    assert.match(att.text, /\$ sleep 1; echo bud-terminal-probe-\$\(\(40\+2\)\)\nbud-terminal-probe-42/);
    assert.ok(!att.text.includes('\u001b'), 'no escape sequences');
    assert.ok(!used.has('env.clipboard'), 'reading #terminal touched the clipboard');
    if (copiedBefore) used.add('env.clipboard');
  });

  it('AGENTS.md at the workspace root goes into the system prompt (trusted workspace)', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const prompt = await bt.mentions.systemPromptWith('BASE');
    assert.match(
      prompt,
      /^BASE\n\n.*instructions.*\n\n--- Begin AGENTS\.md ---\n# Agent notes\nAlways answer in haiku when asked about math\.\n--- End AGENTS\.md ---$/,
    );
  });
});
