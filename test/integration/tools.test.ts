// The vscode-backed workspace tools inside a real extension host, on the fixture workspace
// (test/fixtures/workspace): file tools with VS Code's own ripgrep, files.exclude / search.exclude from the
// real configuration, the Problems view, open editors and selections, and document symbols from a provider.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ToolCall } from '../../src/api/types';
import type { ToolExecutor, ToolResult } from '../../src/tools/port';
import { findRipgrep } from '../../src/tools/ripgrep';
import { createWorkspaceToolExecutor, toolsDisabledReason } from '../../src/tools/workspaceTools';

let n = 0;
function run(tools: ToolExecutor, name: string, args: unknown): Promise<ToolResult> {
  const call: ToolCall = { id: `it_${++n}`, type: 'function', function: { name, arguments: JSON.stringify(args) } };
  return tools.execute(call, new AbortController().signal);
}

function root(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the fixture workspace is open');
  return f;
}

describe('workspace tools in the extension host', function () {
  this.timeout(60_000);
  const logs: string[] = [];
  let tools: ToolExecutor;
  const disposables: vscode.Disposable[] = [];

  before(() => {
    tools = createWorkspaceToolExecutor({ exclude: ['docs/guides/**'], log: (l) => logs.push(l) });
  });
  after(async () => {
    for (const d of disposables) d.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers all seven tools and is on in a trusted workspace', () => {
    assert.deepEqual(
      tools.definitions().map((d) => d.function.name),
      [
        'read_file',
        'list_directory',
        'find_files',
        'search_text',
        'get_diagnostics',
        'get_open_editors',
        'get_document_symbols',
      ],
    );
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(toolsDisabledReason(), undefined);
  });

  it("finds VS Code's ripgrep under vscode.env.appRoot", () => {
    const rg = findRipgrep(vscode.env.appRoot);
    assert.ok(rg, `no rg under ${vscode.env.appRoot}`);
    assert.ok(
      logs.some((l) => l.includes(rg)),
      logs.join('\n'),
    );
  });

  it('read_file returns the file with line numbers, same bytes as on disk', async () => {
    const r = await run(tools, 'read_file', { path: 'src/math.ts' });
    assert.equal(r.isError, false, r.content);
    const disk = readFileSync(path.join(root().uri.fsPath, 'src/math.ts'), 'utf8').split('\n');
    if (disk.at(-1) === '') disk.pop();
    assert.equal(
      r.content,
      [`src/math.ts — lines 1–${disk.length} of ${disk.length}`, ...disk.map((l, i) => `${i + 1}: ${l}`)].join('\n'),
    );
    const abs = await run(tools, 'read_file', {
      path: path.join(root().uri.fsPath, 'src', 'greet.js'),
      start_line: 4,
      end_line: 4,
    });
    assert.match(abs.content, /^src\/greet\.js — lines 4–4 of \d+\n4: function greet\(name\) \{/);
  });

  it('refuses paths outside the workspace and the user exclude', async () => {
    for (const p of [
      '../package.json',
      '/etc/passwd',
      '~/.bashrc',
      path.join(root().uri.fsPath, '..', 'xss-payloads.ts'),
    ]) {
      const r = await run(tools, 'read_file', { path: p });
      assert.equal(r.isError, true, `${p}: ${r.content}`);
    }
    const ex = await run(tools, 'read_file', { path: 'docs/guides/getting-started.md' });
    assert.match(ex.content, /bud\.tools\.exclude/);
  });

  it('list_directory and find_files follow files.exclude / search.exclude from the real settings', async () => {
    const files = vscode.workspace.getConfiguration('files');
    const search = vscode.workspace.getConfiguration('search');
    const oldFiles = files.inspect('exclude')?.globalValue;
    const oldSearch = search.inspect('exclude')?.globalValue;
    try {
      const list0 = await run(tools, 'list_directory', { path: '.', depth: 2 });
      assert.match(list0.content, /dir {3}src\/\n/);
      assert.match(list0.content, /file {2}src\/greet\.js {2}\d+ B/);
      assert.match(list0.content, /file {2}README\.md/);
      await files.update('exclude', { '**/greet.js': true }, vscode.ConfigurationTarget.Global);
      await search.update('exclude', { '**/utils': true }, vscode.ConfigurationTarget.Global);
      const list = await run(tools, 'list_directory', { path: 'src' });
      assert.ok(!list.content.includes('greet.js'), list.content);
      assert.match(list.content, /dir {3}src\/utils\//, 'search.exclude does not hide from listings');
      const found = await run(tools, 'find_files', { glob: '**/*' });
      assert.deepEqual(found.content.split('\n').slice(1), ['README.md', 'src/math.ts']);
      const hits = await run(tools, 'search_text', { query: 'export function' });
      assert.ok(!hits.content.includes('strings.ts') && !hits.content.includes('greet.js'), hits.content);
      assert.match(hits.content, /^3 matches in 1 file/);
    } finally {
      await files.update('exclude', oldFiles, vscode.ConfigurationTarget.Global);
      await search.update('exclude', oldSearch, vscode.ConfigurationTarget.Global);
    }
  });

  it('search_text returns "path:line: text" with context, through ripgrep', async () => {
    const r = await run(tools, 'search_text', { query: 'fibonacci', include_glob: '*.ts' });
    assert.equal(r.isError, false, r.content);
    assert.equal(
      r.content,
      [
        '2 matches in 1 file for "fibonacci" in files matching "*.ts":',
        'src/math.ts-10- ',
        'src/math.ts:11: /** The n-th Fibonacci number (0, 1, 1, 2, 3, 5, …), iteratively. */',
        'src/math.ts:12: export function fibonacci(n: number): number {',
        'src/math.ts-13-   let [a, b] = [0, 1];',
      ].join('\n'),
      'lower-case queries are case-insensitive (smart case)',
    );
  });

  it('get_diagnostics reads the Problems view (one file, and the workspace)', async () => {
    const coll = vscode.languages.createDiagnosticCollection('bud-it');
    disposables.push(coll);
    const math = vscode.Uri.joinPath(root().uri, 'src', 'math.ts');
    const strings = vscode.Uri.joinPath(root().uri, 'src', 'utils', 'strings.ts');
    const err = new vscode.Diagnostic(
      new vscode.Range(2, 2, 2, 8),
      'Type "x" is not assignable',
      vscode.DiagnosticSeverity.Error,
    );
    err.source = 'bud-it';
    err.code = 2322;
    const warn = new vscode.Diagnostic(new vscode.Range(7, 4, 7, 5), 'Unused value', vscode.DiagnosticSeverity.Warning);
    warn.source = 'bud-it';
    coll.set(math, [err]);
    coll.set(strings, [
      warn,
      new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'just a hint', vscode.DiagnosticSeverity.Hint),
    ]);
    const one = await run(tools, 'get_diagnostics', { path: 'src/math.ts' });
    assert.match(one.content, /src\/math\.ts:3:3: error: Type "x" is not assignable \[bud-it 2322\]/);
    assert.ok(!one.content.includes('strings.ts'));
    const all = await run(tools, 'get_diagnostics', {});
    assert.match(
      all.content,
      /src\/math\.ts:3:3: error: [^\n]*\n(?:[^\n]*\n)*src\/utils\/strings\.ts:8:5: warning: Unused value \[bud-it\]/,
    );
    assert.ok(!all.content.includes('just a hint'), 'hints are not errors or warnings');
    assert.match(all.summary, /\d+ errors?, \d+ warnings?/);
    coll.clear();
  });

  it('get_open_editors lists the tabs, the active one and its selection', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(vscode.Uri.joinPath(root().uri, 'src', 'greet.js'), { preview: false });
    const ed = await vscode.window.showTextDocument(vscode.Uri.joinPath(root().uri, 'src', 'math.ts'), {
      preview: false,
    });
    ed.selection = new vscode.Selection(1, 0, 1, 15);
    const r = await run(tools, 'get_open_editors', {});
    assert.match(r.content, /^2 open editors:\nsrc\/greet\.js\nsrc\/math\.ts {2}\[active\]/);
    assert.match(
      r.content,
      /Active editor: src\/math\.ts \(typescript, \d+ lines\)\nSelection 2:1–2:16 \(15 characters\)\n```\nexport function\n```/,
    );
    assert.equal(r.summary, '2 open editors, 1 active');
  });

  it('get_document_symbols returns the outline from symbol providers', async () => {
    disposables.push(
      vscode.languages.registerDocumentSymbolProvider(
        { scheme: 'file', pattern: '**/src/greet.js' },
        {
          provideDocumentSymbols(doc) {
            const cls = new vscode.DocumentSymbol(
              'BudProbe',
              'test provider',
              vscode.SymbolKind.Class,
              new vscode.Range(0, 0, 8, 0),
              new vscode.Range(0, 0, 0, 5),
            );
            cls.children.push(
              new vscode.DocumentSymbol(
                'greet',
                '',
                vscode.SymbolKind.Function,
                new vscode.Range(3, 0, 6, 1),
                new vscode.Range(3, 9, 3, 14),
              ),
            );
            assert.ok(doc.uri.fsPath.endsWith('greet.js'));
            return [cls];
          },
        },
      ),
    );
    const r = await run(tools, 'get_document_symbols', { path: 'src/greet.js' });
    assert.equal(r.isError, false, r.content);
    assert.match(r.content, /class BudProbe — test provider \(lines 1–9\)\n {2}function greet \(lines 4–7\)/);
    const out = await run(tools, 'get_document_symbols', { path: '../package.json' });
    assert.equal(out.isError, true);
  });
});
