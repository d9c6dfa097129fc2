// The layer rules of eslint.config.mjs keep firing, and CONTRIBUTING.md's layer map says what they enforce.
// A rule whose path stops matching (a folder renamed, a typo in a zone) passes lint silently; these tests fail.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { repoRoot } from '../harness/paths';
import { LayerProbe, type LayerRule } from './layerProbe';

const PATHS: LayerRule = 'import-x/no-restricted-paths';
const IMPORTS: LayerRule = 'no-restricted-imports';

interface Case {
  /** Where the snippet is placed (repo-relative; need not exist). */
  file: string;
  specifier: string;
  /** The rule that must reject the import, or `null` when the import is allowed. */
  rejectedBy: LayerRule | null;
}

const CASES: Case[] = [
  // src/api: no vscode, nothing else from src/.
  { file: 'src/api/probe.ts', specifier: 'vscode', rejectedBy: IMPORTS },
  { file: 'src/api/probe.ts', specifier: '../protocol', rejectedBy: PATHS },
  { file: 'src/api/probe.ts', specifier: '../chat/turn', rejectedBy: PATHS },
  { file: 'src/api/probe.ts', specifier: '../tools/port', rejectedBy: PATHS },
  { file: 'src/api/probe.ts', specifier: '../connection/session', rejectedBy: PATHS },
  { file: 'src/api/probe.ts', specifier: './types', rejectedBy: null },
  { file: 'src/api/probe.ts', specifier: 'undici', rejectedBy: null },
  // The pure layers: no vscode; only each other, src/api and the protocol.
  { file: 'src/chat/probe.ts', specifier: 'vscode', rejectedBy: IMPORTS },
  { file: 'src/chat/probe.ts', specifier: '../panel/links', rejectedBy: PATHS },
  { file: 'src/chat/probe.ts', specifier: '../config/settings', rejectedBy: PATHS },
  { file: 'src/chat/probe.ts', specifier: '../tools/workspaceTools', rejectedBy: PATHS },
  { file: 'src/chat/probe.ts', specifier: '../api/types', rejectedBy: null },
  { file: 'src/chat/probe.ts', specifier: '../tools/port', rejectedBy: null },
  { file: 'src/chat/probe.ts', specifier: '../protocol', rejectedBy: null },
  { file: 'src/chat/probe.ts', specifier: './conversation', rejectedBy: null },
  { file: 'src/context/probe.ts', specifier: 'vscode', rejectedBy: IMPORTS },
  { file: 'src/context/probe.ts', specifier: '../commands/chatCommands', rejectedBy: PATHS },
  { file: 'src/context/probe.ts', specifier: '../api/types', rejectedBy: null },
  { file: 'src/tools/probe.ts', specifier: 'vscode', rejectedBy: IMPORTS },
  { file: 'src/tools/probe.ts', specifier: './workspaceTools', rejectedBy: PATHS },
  { file: 'src/tools/probe.ts', specifier: '../connection/session', rejectedBy: PATHS },
  { file: 'src/tools/probe.ts', specifier: './port', rejectedBy: null },
  { file: 'src/tools/workspaceTools.ts', specifier: 'vscode', rejectedBy: null },
  // The protocol is shared by both bundles.
  { file: 'src/protocol.ts', specifier: 'vscode', rejectedBy: IMPORTS },
  { file: 'src/protocol.ts', specifier: './chat/conversation', rejectedBy: PATHS },
  { file: 'src/protocol.ts', specifier: './api/errors', rejectedBy: null },
  // The webview app: only itself and the protocol.
  { file: 'src/webview-app/app/probe.ts', specifier: 'vscode', rejectedBy: IMPORTS },
  { file: 'src/webview-app/app/probe.ts', specifier: '../../chat/conversation', rejectedBy: PATHS },
  { file: 'src/webview-app/app/probe.ts', specifier: '../../api/types', rejectedBy: PATHS },
  { file: 'src/webview-app/app/probe.ts', specifier: '../../protocol', rejectedBy: null },
  { file: 'src/webview-app/app/probe.ts', specifier: './dom', rejectedBy: null },
  { file: 'src/webview-app/app/probe.ts', specifier: '../markdown/index', rejectedBy: null },
  { file: 'src/webview-app/app/probe.ts', specifier: 'dompurify', rejectedBy: null },
  // The host side shares only the protocol with the webview app.
  { file: 'src/panel/probe.ts', specifier: '../webview-app/app/dom', rejectedBy: PATHS },
  { file: 'src/probe.ts', specifier: './webview-app/lazy', rejectedBy: PATHS },
  { file: 'src/panel/probe.ts', specifier: 'vscode', rejectedBy: null },
  { file: 'src/panel/probe.ts', specifier: '../chat/controller', rejectedBy: null },
  { file: 'src/panel/probe.ts', specifier: '../protocol', rejectedBy: null },
  // Product code and scripts never import tests.
  { file: 'src/probe.ts', specifier: '../test/harness/paths', rejectedBy: PATHS },
  { file: 'src/commands/probe.ts', specifier: '../../test/harness/paths', rejectedBy: PATHS },
  { file: 'scripts/probe.ts', specifier: '../test/harness/paths', rejectedBy: PATHS },
  { file: 'scripts/demo/probe.ts', specifier: '../server/openai-server', rejectedBy: null },
];

describe('layer rules (eslint.config.mjs)', function () {
  this.timeout(120_000);
  const repo = repoRoot();
  let probe: LayerProbe;
  const cwd = process.cwd();

  before(() => {
    // From another folder: the zones must not depend on where ESLint runs.
    process.chdir(tmpdir());
    probe = new LayerProbe(repo);
  });
  after(() => process.chdir(cwd));

  it('rejects each forbidden import with its rule and lets each allowed one pass', async () => {
    const wrong: string[] = [];
    for (const c of CASES) {
      const rules = await probe.rulesAgainst(c.file, c.specifier);
      const expected = c.rejectedBy ? [c.rejectedBy] : [];
      if (rules.join() !== expected.join()) {
        wrong.push(
          `${c.file}: import '${c.specifier}' → ${rules.join(', ') || 'allowed'}, expected ${expected.join() || 'allowed'}`,
        );
      }
    }
    assert.deepEqual(wrong, []);
  });
});

// ------------------------------------------------------------------------------------------- the map

const MAP_START = '<!-- layer-map:start -->';
const MAP_END = '<!-- layer-map:end -->';

interface MapRow {
  /** `src/api/`, `src/protocol.ts`, `src/tools/workspaceTools.ts`… as written in the first column. */
  entry: string;
  vscode: boolean;
  /** Entry names (without `src/`) the row may import. */
  mayImport: Set<string>;
}

/** Backticked names in a table cell. */
const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

/** Entry name without `src/` and trailing slash: `api`, `protocol.ts`, `tools/workspaceTools.ts`. */
const nameOf = (entry: string): string => entry.replace(/^src\//, '').replace(/\/$/, '');

function parseLayerMap(markdown: string): MapRow[] {
  const start = markdown.indexOf(MAP_START);
  const end = markdown.indexOf(MAP_END);
  assert.ok(start >= 0 && end > start, `CONTRIBUTING.md has no ${MAP_START} … ${MAP_END} table`);
  const lines = markdown
    .slice(start + MAP_START.length, end)
    .split('\n')
    .filter((l) => l.trim().startsWith('|'));
  const rows = lines.slice(2).map((line) => line.split('|').slice(1, -1));
  const names = rows.map((cells) => nameOf(ticked(cells[0] ?? '')[0] ?? ''));
  return rows.map((cells, i) => {
    const vscode = (cells[2] ?? '').trim().toLowerCase();
    assert.ok(vscode === 'yes' || vscode === 'no', `row ${i + 1}: the vscode column says "${vscode}", not yes/no`);
    const importsCell = cells[3] ?? '';
    // "all but `x`, `y`" lists what is left out; otherwise the cell lists what may be imported.
    const listed = ticked(importsCell).map(nameOf);
    const mayImport = /^\s*all but\b/i.test(importsCell) ? names.filter((n) => !listed.includes(n)) : listed;
    return { entry: ticked(cells[0] ?? '')[0] ?? '', vscode: vscode === 'yes', mayImport: new Set(mayImport) };
  });
}

/** The top-level folders and files of src/, as map entries (`src/api/`, `src/protocol.ts`). */
function srcEntries(repo: string): string[] {
  return readdirSync(join(repo, 'src'))
    .filter((e) => !e.endsWith('.d.ts'))
    .map((e) => (statSync(join(repo, 'src', e)).isDirectory() ? `src/${e}/` : `src/${e}`));
}

/** A real file that stands for an entry in an import: the file itself, or a file in the folder without a row. */
function representative(repo: string, entry: string, rowEntries: string[]): string {
  if (!entry.endsWith('/')) return entry;
  const own = (dir: string): string | undefined => {
    const names = readdirSync(join(repo, dir)).sort();
    const file = names.find((n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && !rowEntries.includes(`${dir}${n}`));
    if (file) return `${dir}${file}`;
    for (const n of names) {
      if (statSync(join(repo, dir, n)).isDirectory()) {
        const found = own(`${dir}${n}/`);
        if (found) return found;
      }
    }
    return undefined;
  };
  const file = own(entry);
  assert.ok(file, `${entry} holds no .ts file to import`);
  return file;
}

/** A module specifier for `target` (a repo-relative .ts file) from a file at `from`. */
function specifier(from: string, target: string): string {
  const rel = posix.relative(posix.dirname(from), target).replace(/\.ts$/, '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

describe('CONTRIBUTING.md layer map', function () {
  this.timeout(120_000);
  const repo = repoRoot();
  let rows: MapRow[];
  before(() => {
    rows = parseLayerMap(readFileSync(join(repo, 'CONTRIBUTING.md'), 'utf8'));
  });

  it('has one row for each folder and file in src/, and names only what exists', () => {
    const entries = rows.map((r) => r.entry);
    assert.deepEqual(entries.filter((e) => /^src\/[^/]+\/?$/.test(e)).sort(), srcEntries(repo).sort());
    for (const e of entries) assert.ok(existsSync(join(repo, e)), `${e} is in the map but not in the repo`);
  });

  it("matches the README's map of src/ (Development)", () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const dev = readme.slice(readme.indexOf('## Development'));
    const block = dev.slice(dev.indexOf('```'), dev.indexOf('```', dev.indexOf('```') + 3));
    const inReadme = [...block.matchAll(/^(src\/\S+)/gm)].map((m) => m[1] ?? '');
    const topLevel = rows.map((r) => r.entry).filter((e) => /^src\/[^/]+\/?$/.test(e));
    assert.deepEqual([...inReadme].sort(), [...topLevel].sort());
  });

  it('says what the lint rules enforce: vscode or not, and what each layer may import from src/', async () => {
    const probe = new LayerProbe(repo);
    const rowEntries = rows.map((r) => r.entry);
    const targets = rows.map((r) => ({ name: nameOf(r.entry), file: representative(repo, r.entry, rowEntries) }));
    const wrong: string[] = [];
    for (const row of rows) {
      // A folder is probed with a new file inside it; a file row with that file's own path.
      const at = row.entry.endsWith('/') ? `${row.entry}layerMapProbe.ts` : row.entry;
      const others = targets.filter((t) => t.file !== at);
      const verdicts = await probe.imports(at, ['vscode', ...others.map((t) => specifier(at, t.file))]);
      const vscode = verdicts[0]?.rules.length === 0;
      if (vscode !== row.vscode) wrong.push(`${row.entry}: vscode is ${vscode ? 'allowed' : 'forbidden'} by the rules`);
      // A layer importing itself is covered by the cases above; the map may or may not list it.
      const self = nameOf(row.entry);
      const allowed = others
        .filter((t, i) => t.name !== self && verdicts[i + 1]?.rules.length === 0)
        .map((t) => t.name);
      const expected = [...row.mayImport].filter((n) => n !== self).sort();
      if (allowed.sort().join() !== expected.join()) {
        wrong.push(`${row.entry}: the rules allow [${allowed.join(', ')}], the map says [${expected.join(', ')}]`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
