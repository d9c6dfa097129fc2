// Each file-system tool on a temporary workspace, with ripgrep and with the built-in scanner (same results),
// plus the schemas, the argument checks and ripgrep's argument building and output parsing.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { ToolExecutor } from '../../../src/tools/port';
import { createDenyChecker } from '../../../src/tools/deny';
import { createToolExecutor } from '../../../src/tools/dispatch';
import { createFsToolExecutor } from '../../../src/tools/fsTools';
import {
  buildFilesArgs,
  buildSearchArgs,
  findRipgrep,
  parseRgJsonLine,
  ripgrepCandidates,
} from '../../../src/tools/ripgrep';
import { isSmartCaseInsensitive, scanText, buildRegExp } from '../../../src/tools/scan';
import { TOOL_DEFINITIONS, validateArgs, type ObjectSchema } from '../../../src/tools/schemas';
import { itFor, RG, run, tempTree, type TempTree } from './helpers';

describe('workspace tools (file system)', function () {
  this.timeout(20_000);
  let t: TempTree;
  const engines: Record<'ripgrep' | 'scanner', ToolExecutor> = {} as never;

  before(async () => {
    t = tempTree('bud-tools-');
    t.write({
      'README.md': '# Demo\nSee src/main.ts\n',
      'package.json': '{ "name": "demo" }\n',
      'src/main.ts': 'import { helper } from "./util/helper";\n\nexport function main() {\n  return helper(41);\n}\n',
      'src/util/helper.ts': 'export function helper(n: number) {\n  // adds one\n  return n + 1;\n}\n',
      'src/util/Helper.test.ts': 'import { helper } from "./helper";\nit("Helper works", () => helper(1));\n',
      'src/generated/big.gen.ts': 'export const helper = "generated";\n',
      'docs/guide.md': 'Use helper() to add one.\n',
      'build/out.js': 'function helper(){}\n',
      '.gitignore': 'build/\n*.log\n!keep.log\n',
      'debug.log': 'helper log line\n',
      'keep.log': 'helper kept log\n',
      'vendor/.gitignore': 'ignored-in-vendor.txt\n',
      'vendor/ignored-in-vendor.txt': 'helper vendor ignored\n',
      'vendor/lib.js': 'module.exports = helper;\n',
      'node_modules/pkg/index.js': 'exports.helper = 1;\n',
      'tmp/scratch.txt': 'helper scratch\n',
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x68, 0x65, 0x6c, 0x70, 0x65, 0x72]),
      '.hidden/conf.txt': 'helper hidden dir\n',
    });
    const opts = {
      folders: [{ name: 'demo', fsPath: t.root }],
      excludes: () => ({ files: ['**/tmp'], search: ['**/node_modules', 'src/generated/**'] }),
    };
    engines.ripgrep = await createFsToolExecutor({ ...opts, rgPath: RG });
    engines.scanner = await createFsToolExecutor(opts);
  });
  after(() => t.cleanup());

  it('exposes the four tools in the OpenAI tools format', () => {
    const defs = engines.ripgrep.definitions();
    assert.deepEqual(
      defs.map((d) => d.function.name),
      ['read_file', 'list_directory', 'find_files', 'search_text'],
    );
    for (const d of defs) {
      assert.equal(d.type, 'function');
      assert.ok(d.function.description && d.function.description.length > 40);
      const p = d.function.parameters as unknown as ObjectSchema;
      assert.equal(p.type, 'object');
      assert.equal(p.additionalProperties, false);
    }
  });

  it('read_file returns numbered lines with a header', async () => {
    const r = await run(engines.ripgrep, 'read_file', { path: 'src/util/helper.ts' });
    assert.equal(
      r.content,
      'src/util/helper.ts — lines 1–4 of 4\n1: export function helper(n: number) {\n2:   // adds one\n3:   return n + 1;\n4: }',
    );
    assert.equal(r.summary, '4 lines of src/util/helper.ts');
    const part = await run(engines.ripgrep, 'read_file', { path: 'src/main.ts', start_line: 3, end_line: 4 });
    assert.equal(
      part.content,
      'src/main.ts — lines 3–4 of 5\n3: export function main() {\n4:   return helper(41);\n[More lines follow: call read_file with start_line=5 to read on.]',
    );
    const dir = await run(engines.ripgrep, 'read_file', { path: 'src' });
    assert.match(dir.content, /is a directory; use list_directory/);
    const missing = await run(engines.ripgrep, 'read_file', { path: 'nope.ts' });
    assert.match(missing.content, /"nope\.ts" was not found in the workspace/);
  });

  it('list_directory: directories first, sorted, with type and size; depth; files.exclude hidden', async () => {
    const r = await run(engines.ripgrep, 'list_directory', { path: '.' });
    const lines = r.content.split('\n');
    assert.match(lines[0], /^\.\/ — \d+ entries$/);
    const body = lines.slice(1);
    const firstFile = body.findIndex((l) => l.startsWith('file'));
    assert.ok(
      body.slice(0, firstFile).every((l) => l.startsWith('dir ')),
      'directories first',
    );
    assert.deepEqual(body.slice(0, firstFile), [
      'dir   .hidden/',
      'dir   build/',
      'dir   docs/',
      'dir   node_modules/',
      'dir   src/',
      'dir   vendor/',
    ]);
    assert.ok(!r.content.includes('tmp/'), 'files.exclude hides tmp');
    assert.ok(body.includes('file  README.md  23 B'), body.join('\n'));
    assert.ok(body.includes('file  package.json  19 B'));
    const deep = await run(engines.ripgrep, 'list_directory', { path: 'src', depth: 2 });
    assert.deepEqual(deep.content.split('\n').slice(1), [
      'dir   src/generated/',
      'file  src/generated/big.gen.ts  35 B',
      'dir   src/util/',
      'file  src/util/Helper.test.ts  72 B',
      'file  src/util/helper.ts  68 B',
      'file  src/main.ts  89 B',
    ]);
    const onFile = await run(engines.ripgrep, 'list_directory', { path: 'README.md' });
    assert.match(onFile.content, /is a file, not a directory; use read_file/);
  });

  for (const engine of ['ripgrep', 'scanner'] as const) {
    const it = itFor(engine);
    it(`find_files honours .gitignore (nested, negation), files.exclude and search.exclude (${engine})`, async () => {
      const all = await run(engines[engine], 'find_files', { glob: '**/*' });
      const listed = all.content.split('\n').slice(1);
      assert.deepEqual(listed, [
        '.gitignore',
        '.hidden/conf.txt',
        'README.md',
        'docs/guide.md',
        'image.png',
        'keep.log',
        'package.json',
        'src/main.ts',
        'src/util/Helper.test.ts',
        'src/util/helper.ts',
        'vendor/.gitignore',
        'vendor/lib.js',
      ]);
    });

    it(`search.useIgnoreFiles off: .gitignore no longer hides files; excludes still do (${engine})`, async () => {
      const ex = await createFsToolExecutor({
        folders: [{ name: 'demo', fsPath: t.root }],
        excludes: () => ({ files: ['**/tmp'], search: ['**/node_modules', 'src/generated/**'], useIgnoreFiles: false }),
        rgPath: engine === 'ripgrep' ? RG : undefined,
      });
      const listed = (await run(ex, 'find_files', { glob: '**/*' })).content.split('\n').slice(1);
      for (const f of ['build/out.js', 'debug.log', 'vendor/ignored-in-vendor.txt'])
        assert.ok(listed.includes(f), `${f} in ${listed.join(', ')}`);
      for (const f of ['node_modules/pkg/index.js', 'tmp/scratch.txt', 'src/generated/big.gen.ts'])
        assert.ok(!listed.includes(f), f);
      const hits = await run(ex, 'search_text', { query: 'helper log line' });
      assert.match(hits.content, /^1 match in 1 file[^\n]*\ndebug\.log:1: helper log line$/);
    });

    it(`find_files: a glob without "/" matches names at any depth; with "/" the path (${engine})`, async () => {
      const names = (await run(engines[engine], 'find_files', { glob: '*.ts' })).content.split('\n');
      assert.deepEqual(names, [
        '3 files match "*.ts":',
        'src/main.ts',
        'src/util/Helper.test.ts',
        'src/util/helper.ts',
      ]);
      const pathed = (await run(engines[engine], 'find_files', { glob: 'src/util/*.ts' })).content.split('\n').slice(1);
      assert.deepEqual(pathed, ['src/util/Helper.test.ts', 'src/util/helper.ts']);
      const none = await run(engines[engine], 'find_files', { glob: '*.rs' });
      assert.match(none.content, /^No files match "\*\.rs"/);
      assert.equal(none.summary, 'No files');
    });

    it(`search_text: "path:line: text" with context lines, excludes applied, binary skipped (${engine})`, async () => {
      const r = await run(engines[engine], 'search_text', { query: 'helper' });
      assert.equal(r.isError, false);
      const expected = [
        '9 matches in 7 files for "helper":',
        '.hidden/conf.txt:1: helper hidden dir',
        '--',
        'docs/guide.md:1: Use helper() to add one.',
        '--',
        'keep.log:1: helper kept log',
        '--',
        'src/main.ts:1: import { helper } from "./util/helper";',
        'src/main.ts-2- ',
        'src/main.ts-3- export function main() {',
        'src/main.ts:4:   return helper(41);',
        'src/main.ts-5- }',
        '--',
        'src/util/Helper.test.ts:1: import { helper } from "./helper";',
        'src/util/Helper.test.ts:2: it("Helper works", () => helper(1));',
        '--',
        'src/util/helper.ts:1: export function helper(n: number) {',
        'src/util/helper.ts-2-   // adds one',
        '--',
        'vendor/lib.js:1: module.exports = helper;',
      ];
      assert.deepEqual(
        r.content.split('\n'),
        expected.map((l) => l),
      );
      assert.equal(r.summary, '9 matches in 7 files');
    });

    it(`search_text: smart case, regex, include_glob, no matches, invalid regex (${engine})`, async () => {
      const upper = await run(engines[engine], 'search_text', { query: 'Helper works' });
      assert.match(upper.content, /^1 match in 1 file/);
      const none = await run(engines[engine], 'search_text', { query: 'HELPER' });
      assert.match(none.content, /^No matches for "HELPER"/);
      const rx = await run(engines[engine], 'search_text', { query: 'return \\w+\\(\\d+\\)', is_regex: true });
      assert.match(
        rx.content,
        /^1 match in 1 file[^\n]*\nsrc\/main\.ts-3- export function main\(\) \{\nsrc\/main\.ts:4: {3}return helper\(41\);/,
      );
      const lit = await run(engines[engine], 'search_text', { query: 'helper(' });
      assert.match(lit.content, /^4 matches in 4 files/);
      const inc = await run(engines[engine], 'search_text', { query: 'helper', include_glob: '*.md' });
      assert.match(inc.content, /^1 match in 1 file for "helper" in files matching "\*\.md":\ndocs\/guide\.md:1:/);
      const bad = await run(engines[engine], 'search_text', { query: '([a-', is_regex: true });
      assert.equal(bad.isError, true);
      assert.match(bad.content, /regular expression|regex/i);
    });
  }

  itFor('ripgrep')('multi-root: results name the folder; a bare root needs the folder name', async () => {
    const m = tempTree('bud-multi-tools-');
    try {
      m.write({
        'api/src/x.ts': 'export const where = "api";\n',
        'web/src/x.ts': 'export const where = "web";\n',
        'web/index.html': '<p>where</p>\n',
      });
      for (const rgPath of [RG, undefined]) {
        const ex = await createFsToolExecutor({
          folders: [
            { name: 'api', fsPath: m.path('api') },
            { name: 'web', fsPath: m.path('web') },
          ],
          rgPath,
        });
        assert.deepEqual((await run(ex, 'find_files', { glob: '*.ts' })).content.split('\n'), [
          '2 files match "*.ts":',
          'api/src/x.ts',
          'web/src/x.ts',
        ]);
        assert.deepEqual((await run(ex, 'find_files', { glob: 'web/**' })).content.split('\n').slice(1), [
          'web/index.html',
          'web/src/x.ts',
        ]);
        const s = await run(ex, 'search_text', { query: 'export const where' });
        assert.equal(
          s.content,
          '2 matches in 2 files for "export const where":\napi/src/x.ts:1: export const where = "api";\n--\nweb/src/x.ts:1: export const where = "web";',
        );
        assert.match(
          (await run(ex, 'read_file', { path: 'web/src/x.ts' })).content,
          /^web\/src\/x\.ts — lines 1–1 of 1\n1: export const where = "web";$/,
        );
        assert.match(
          (await run(ex, 'read_file', { path: 'src/x.ts' })).content,
          /exists in several workspace folders; start the path with the folder name \("api", "web"\)/,
        );
        assert.match(
          (await run(ex, 'list_directory', { path: '.' })).content,
          /several folders \("api", "web"\); start the path with one of their names/,
        );
        assert.deepEqual((await run(ex, 'list_directory', { path: 'api', depth: 2 })).content.split('\n').slice(1), [
          'dir   api/src/',
          'file  api/src/x.ts  28 B',
        ]);
      }
    } finally {
      m.cleanup();
    }
  });

  it('the unknown tool, bad JSON and schema failures come back as explanations', async () => {
    const tools = engines.ripgrep;
    const unk = await run(tools, 'write_file', { path: 'a' });
    assert.equal(unk.isError, true);
    assert.match(
      unk.content,
      /unknown tool "write_file"\. Available tools: read_file, list_directory, find_files, search_text\./,
    );
    const bad = await run(tools, 'read_file', '{path: "a"}');
    assert.match(bad.content, /not valid JSON .*Send a JSON object such as \{"path":"src\/index\.ts"\}/);
    const arr = await run(tools, 'read_file', '["a"]');
    assert.match(arr.content, /must be a JSON object/);
    const types = await run(tools, 'search_text', { query: 'x', is_regex: 'yes', max_results: 0 });
    assert.match(types.content, /"is_regex" must be true or false; "max_results" must be at least 1/);
    const empty = await run(tools, 'find_files', '');
    assert.match(empty.content, /"glob" is required/);
    const nul = await run(tools, 'list_directory', 'null');
    assert.match(nul.content, /must be a JSON object/);
  });

  it('validateArgs covers required, types, ranges, unknown keys', () => {
    const s = TOOL_DEFINITIONS.read_file.function.parameters as ObjectSchema;
    assert.deepEqual(validateArgs(s, { path: 'a', start_line: 1, end_line: 2 }), []);
    assert.deepEqual(validateArgs(s, { path: '' }), ['"path" must not be empty']);
    assert.deepEqual(validateArgs(s, { path: 'a', start_line: 1.5 }), ['"start_line" must be an integer']);
    assert.deepEqual(validateArgs(s, { path: 'a', start_line: 0 }), ['"start_line" must be at least 1']);
    assert.deepEqual(validateArgs(s, { path: 'a', x: 1 }), [
      'unknown argument "x" (allowed: path, start_line, end_line)',
    ]);
    assert.deepEqual(validateArgs(s, {}), ['"path" is required']);
    assert.equal(Object.keys(TOOL_DEFINITIONS).length, 7);
  });

  it('a handler that throws becomes an error result', async () => {
    const ex = createToolExecutor({
      read_file: async () => {
        throw new Error('EIO: disk gone');
      },
    });
    const r = await run(ex, 'read_file', { path: 'a' });
    assert.equal(r.isError, true);
    assert.match(r.content, /read_file failed: EIO: disk gone/);
    assert.deepEqual(
      ex.definitions().map((d) => d.function.name),
      ['read_file'],
    );
  });

  it('deny checkers of different exclude lists keep their own lists, made in any order', () => {
    const a = createDenyChecker(['secrets']);
    const none = createDenyChecker([]);
    const b = createDenyChecker(['docs/**']);
    const a2 = createDenyChecker([' ./secrets/ ']);
    assert.ok(a.denied('app/secrets/x.txt') && a2.denied('app/secrets/x.txt'));
    assert.ok(!a.denied('docs/x.md') && !none.denied('docs/x.md') && !none.denied('app/secrets/x.txt'));
    assert.ok(b.denied('docs/x.md') && !b.denied('app/secrets/x.txt'));
    for (const d of [a, none, b, a2]) assert.ok(d.denied('.env'));
  });

  it('the deny checker: built-in list and user globs, at any depth', () => {
    const d = createDenyChecker(['secrets', 'data/*.sqlite']);
    for (const p of [
      '.env',
      'a/.env.local',
      '.envrc',
      'k/server.pem',
      'x.key',
      'id_rsa',
      'id_rsa.pub',
      '.ssh/config',
      'c.p12',
      '.npmrc',
      'a/.netrc',
      'credentials.json',
      '.aws/credentials',
      '.git-credentials',
      '.git/HEAD',
      'sub/.git/config',
      'secrets',
      'app/secrets/x.txt',
      'data/db.sqlite',
    ]) {
      assert.ok(d.denied(p), p);
    }
    for (const p of [
      'src/env.ts',
      'environment.md',
      'keys.ts',
      'src/key.ts',
      'pem.md',
      'gitignore',
      '.gitignore',
      'credentials.md',
      'data/sub/db.sqlite',
    ]) {
      assert.ok(!d.denied(p), p);
    }
    assert.match(d.reason('.env')!, /built-in deny list/);
    assert.match(d.reason('secrets')!, /bud\.tools\.exclude/);
  });

  it('ripgrep: argument building, JSON parsing (text and bytes), and where VS Code ships it', () => {
    const a = buildSearchArgs({
      query: '-e foo',
      isRegex: false,
      includeGlob: './src/**',
      exclude: ['**/node_modules', ''],
      contextLines: 1,
    });
    assert.deepEqual(a.slice(0, 8), [
      '--json',
      '--no-config',
      '--hidden',
      '--no-require-git',
      '--no-ignore-parent',
      '--no-ignore-global',
      '--no-messages',
      '--smart-case',
    ]);
    assert.ok(a.includes('--fixed-strings'));
    assert.deepEqual(
      a.slice(-4),
      ['-e', '-e foo', '--', '.'],
      'the query is passed with -e so it cannot become a flag',
    );
    assert.ok(a.join(' ').includes('-g !**/node_modules'));
    assert.ok(a.join(' ').includes('-g !.git'));
    assert.ok(a.join(' ').includes('-g src/**'));
    assert.ok(
      !buildSearchArgs({ query: 'x', isRegex: true, exclude: [], contextLines: 0 }).includes('--fixed-strings'),
    );
    assert.deepEqual(buildFilesArgs([]).slice(0, 2), ['--files', '--no-config']);
    assert.deepEqual(
      parseRgJsonLine(
        '{"type":"match","data":{"path":{"text":"./src/a.ts"},"lines":{"text":"hello\\r\\n"},"line_number":3}}',
      ),
      { kind: 'match', path: 'src/a.ts', line: 3, text: 'hello' },
    );
    const bytes = Buffer.from('caf\xe9 ok\n', 'latin1').toString('base64');
    assert.equal(
      parseRgJsonLine(`{"type":"context","data":{"path":{"text":"b"},"lines":{"bytes":"${bytes}"},"line_number":1}}`)!
        .kind,
      'context',
    );
    assert.equal(parseRgJsonLine('{"type":"begin","data":{}}'), undefined);
    assert.equal(parseRgJsonLine('not json'), undefined);
    const c = ripgrepCandidates('/opt/vscode/resources/app');
    assert.ok(c.includes(path.join('/opt/vscode/resources/app', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg')));
    assert.ok(
      c.includes(
        path.join('/opt/vscode/resources/app', 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', 'rg'),
      ),
    );
    assert.equal(findRipgrep(undefined), undefined);
    const app = tempTree('bud-approot-');
    try {
      assert.equal(findRipgrep(app.root), undefined);
      app.write({ 'node_modules.asar.unpacked/@vscode/ripgrep/bin/rg': '#!/bin/sh\n' });
      const bin = app.path('node_modules.asar.unpacked/@vscode/ripgrep/bin/rg');
      chmodSync(bin, 0o755);
      assert.equal(findRipgrep(app.root), bin);
      mkdirSync(app.path('node_modules/@vscode/ripgrep/bin'), { recursive: true });
    } finally {
      app.cleanup();
    }
  });

  itFor('ripgrep')(
    'big files: read whole under 4 MB, streamed above (bounded memory); ^ / $ stay per line',
    async () => {
      const s = tempTree('bud-scan-');
      try {
        const filler = Array.from({ length: 5000 }, (_, i) => `filler line ${i}`).join('\n');
        s.write({ 'big.txt': `${filler}\nlate marker here\n`, 'anchored.txt': 'x\nstart of line\n  start indented\n' });
        s.write({ 'huge.txt': `${'h'.repeat(4 * 1024 * 1024 + 10)}\nlate marker here\n` });
        const scan = await createFsToolExecutor({ folders: [{ name: 's', fsPath: s.root }] });
        const rg = await createFsToolExecutor({ folders: [{ name: 's', fsPath: s.root }], rgPath: RG });
        for (const ex of [scan, rg]) {
          const late = await run(ex, 'search_text', { query: 'late marker' });
          assert.equal(late.content.split('\n')[0], '2 matches in 2 files for "late marker":');
          assert.match(late.content, /\nbig\.txt:5001: late marker here/);
          assert.match(
            late.content,
            /\nhuge\.txt-1- h{400} … \[line cut: \d+ more characters\]\nhuge\.txt:2: late marker here/,
            'files over 4 MB are streamed',
          );
          const anchored = await run(ex, 'search_text', { query: '^start', is_regex: true });
          assert.match(
            anchored.content,
            /^1 match in 1 file[^\n]*\nanchored\.txt-1- x\nanchored\.txt:2: start of line\nanchored\.txt-3- {3}start indented$/,
          );
        }
      } finally {
        s.cleanup();
      }
    },
  );

  it('the scanner core: context merging, smart case, literal escaping', () => {
    const re = buildRegExp('b', false);
    const lines = scanText('f', 'a\nb\nc\nd\ne\nb\n', re, 1);
    assert.deepEqual(
      lines.map((l) => `${l.kind[0]}${l.line}`),
      ['c1', 'm2', 'c3', 'c5', 'm6'],
    );
    assert.equal(isSmartCaseInsensitive('abc', false), true);
    assert.equal(isSmartCaseInsensitive('aBc', false), false);
    assert.equal(isSmartCaseInsensitive('\\Wfoo', true), true);
    assert.ok(buildRegExp('a.b(', false).test('xa.b(y'));
    assert.ok(!buildRegExp('a.b', false).test('axb'));
  });
});
