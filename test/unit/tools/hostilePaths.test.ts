// A corpus of hostile paths (escapes, absolute paths, home, NUL, drive letters, UNC, URLs, real symbolic links
// pointing outside, link loops, secrets on the deny list): none of them may read anything outside the
// workspace or any secret, through any tool, with ripgrep and with the built-in scanner.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { ToolExecutor } from '../../../src/tools/port';
import { createDenyChecker } from '../../../src/tools/deny';
import { createFsToolExecutor } from '../../../src/tools/fsTools';
import { WorkspaceRoots, checkLexical } from '../../../src/tools/paths';
import { itFor, RG, run, tempTree, type TempTree } from './helpers';

const OUTSIDE_SECRET = 'TOP-SECRET-OUTSIDE';
const INSIDE_SECRET = 'SECRET-IN-DENIED-FILE';

describe('hostile paths', function () {
  this.timeout(20_000);
  let t: TempTree;
  let ws: string;
  let out: string;
  let evil: string;
  const engines: Record<string, ToolExecutor> = {};

  before(async () => {
    t = tempTree('bud-hostile-');
    ws = t.path('ws');
    out = t.path('outside');
    evil = t.path('ws-evil'); // shares the prefix "ws": a naive startsWith check lets it through
    mkdirSync(ws);
    t.write({
      'outside/secret.txt': `${OUTSIDE_SECRET}\n`,
      'outside/nested/deeper.txt': `${OUTSIDE_SECRET} deeper\n`,
      'ws-evil/secret.txt': `${OUTSIDE_SECRET} evil twin\n`,
      'ws/a.txt': 'hello from a\n',
      'ws/sub/b.txt': 'hello from b\n',
      'ws/.env': `${INSIDE_SECRET}=1\n`,
      'ws/.env.local': `${INSIDE_SECRET}=2\n`,
      'ws/config/.env.production': `${INSIDE_SECRET}=3\n`,
      'ws/.git/config': `[remote] url = https://${INSIDE_SECRET}@example.com\n`,
      'ws/.git/HEAD': 'ref: refs/heads/main\n',
      'ws/id_rsa': `-----BEGIN OPENSSH PRIVATE KEY----- ${INSIDE_SECRET}\n`,
      'ws/keys/id_rsa.pub': `ssh-rsa ${INSIDE_SECRET}\n`,
      'ws/server.pem': `-----BEGIN CERTIFICATE----- ${INSIDE_SECRET}\n`,
      'ws/tls/private.key': `${INSIDE_SECRET}\n`,
      'ws/cert.p12': `${INSIDE_SECRET}\n`,
      'ws/.npmrc': `//registry.npmjs.org/:_authToken=${INSIDE_SECRET}\n`,
      'ws/.netrc': `machine x login y password ${INSIDE_SECRET}\n`,
      'ws/credentials.json': `{"token":"${INSIDE_SECRET}"}\n`,
      'ws/.aws/credentials': `aws_secret_access_key=${INSIDE_SECRET}\n`,
      'ws/.git-credentials': `https://u:${INSIDE_SECRET}@github.com\n`,
      'ws/private/notes.txt': `${INSIDE_SECRET} user-excluded\n`,
    });
    t.link('../outside', 'ws/link-out');
    t.link('../outside/secret.txt', 'ws/link-file');
    t.link(path.join(out, 'secret.txt'), 'ws/link-abs');
    t.link('link-out', 'ws/link-chain'); // a link to a link that leaves
    t.link('../../outside', 'ws/sub/deep-out');
    t.link('loop-b', 'ws/loop-a');
    t.link('loop-a', 'ws/loop-b');
    t.link('../outside/missing.txt', 'ws/dangling');
    t.link('.env', 'ws/link-to-env'); // inside, but to a denied file
    t.link('.git', 'ws/dot-git-link');
    t.link('../ws-evil', 'ws/evil-link');
    for (const [name, rgPath] of [
      ['ripgrep', RG],
      ['scanner', undefined],
    ] as const) {
      engines[name] = await createFsToolExecutor({
        folders: [{ name: 'ws', fsPath: ws }],
        exclude: ['private/**'],
        rgPath,
      });
    }
  });
  after(() => t.cleanup());

  const hostile = (): string[] => [
    '../outside/secret.txt',
    '../../etc/passwd',
    '../../../../../../../../etc/passwd',
    '/etc/passwd',
    path.join(out, 'secret.txt'),
    path.join(evil, 'secret.txt'),
    '../ws-evil/secret.txt',
    'sub/../../outside/secret.txt',
    'sub/./../.././outside/secret.txt',
    'ws/../outside/secret.txt',
    '  ../outside/secret.txt  ',
    '..\\outside\\secret.txt',
    '~/.ssh/id_rsa',
    '~',
    '~root/.bashrc',
    'a.txt\0../../outside/secret.txt',
    '\0',
    'C:\\Windows\\win.ini',
    'c:/outside/secret.txt',
    'C:secret.txt',
    '\\\\server\\share\\secret.txt',
    '//server/share/secret.txt',
    '\\\\?\\C:\\secret.txt',
    'file:///etc/passwd',
    `file://${out}/secret.txt`,
    'link-out/secret.txt',
    'link-out/nested/deeper.txt',
    'link-file',
    'link-abs',
    'link-chain/secret.txt',
    'sub/deep-out/secret.txt',
    'evil-link/secret.txt',
    'loop-a',
    'dangling',
    '.env',
    '.env.local',
    'config/.env.production',
    'link-to-env',
    '.git/config',
    '.git/HEAD',
    'dot-git-link/config',
    'id_rsa',
    'keys/id_rsa.pub',
    'server.pem',
    'tls/private.key',
    'cert.p12',
    '.npmrc',
    '.netrc',
    'credentials.json',
    '.aws/credentials',
    '.git-credentials',
    'private/notes.txt',
    path.join(ws, '.env'),
    path.join(ws, 'link-out', 'secret.txt'),
    'a.txt\nb',
  ];

  it('has at least 30 hostile paths, symbolic links included', () => {
    assert.ok(hostile().length >= 30, `corpus has ${hostile().length}`);
    assert.ok(hostile().filter((p) => /link|loop|dangling|deep-out/.test(p)).length >= 8);
  });

  for (const engine of ['ripgrep', 'scanner'] as const) {
    const it = itFor(engine);
    it(`read_file refuses every hostile path and never returns outside or secret text (${engine})`, async () => {
      for (const p of hostile()) {
        const r = await run(engines[engine], 'read_file', { path: p });
        assert.equal(
          r.isError,
          true,
          `read_file ${JSON.stringify(p)} should be refused, got: ${r.content.slice(0, 200)}`,
        );
        assert.ok(
          !r.content.includes(OUTSIDE_SECRET) && !r.content.includes(INSIDE_SECRET),
          `leak via ${JSON.stringify(p)}`,
        );
      }
    });

    it(`list_directory refuses hostile directories (${engine})`, async () => {
      for (const p of [
        '..',
        '../outside',
        '/',
        '/etc',
        out,
        'link-out',
        'link-chain',
        'sub/deep-out',
        'evil-link',
        '.git',
        'dot-git-link',
        '~',
        '.aws',
        'C:\\',
        '\\\\server\\share',
        'private',
      ]) {
        const r = await run(engines[engine], 'list_directory', { path: p, depth: 3 });
        assert.equal(
          r.isError,
          true,
          `list_directory ${JSON.stringify(p)} should be refused, got: ${r.content.slice(0, 200)}`,
        );
        assert.ok(!r.content.includes('secret.txt') && !r.content.includes('deeper.txt'), `listing leak via ${p}`);
      }
    });

    it(`search_text and find_files never reach outside or into secrets (${engine})`, async () => {
      for (const q of [OUTSIDE_SECRET, INSIDE_SECRET, 'PRIVATE KEY', 'refs/heads']) {
        const r = await run(engines[engine], 'search_text', { query: q });
        assert.equal(r.isError, false, r.content);
        assert.match(r.content, /^No matches/, `search for ${q} found: ${r.content.slice(0, 300)}`);
      }
      const rx = await run(engines[engine], 'search_text', { query: 'SECRET', is_regex: true, include_glob: '**' });
      assert.match(rx.content, /^No matches/);
      for (const g of ['**/*', '*', '**/secret.txt', '../**', '**/.env*', '**/*.pem', '.git/**']) {
        const r = await run(engines[engine], 'find_files', { glob: g, max_results: 1000 });
        const listed = r.content.split('\n').slice(1).join('\n');
        for (const bad of [
          'secret.txt',
          '.env',
          'id_rsa',
          '.pem',
          '.key',
          '.p12',
          '.npmrc',
          '.netrc',
          'credentials',
          '.git/',
          'notes.txt',
          'deeper',
        ]) {
          assert.ok(!listed.includes(bad), `find_files ${g} listed ${bad}: ${r.content}`);
        }
      }
      const list = await run(engines[engine], 'list_directory', { path: '.', depth: 5 });
      assert.equal(list.isError, false);
      for (const bad of [
        '.env',
        'id_rsa',
        'server.pem',
        'private.key',
        'cert.p12',
        '.npmrc',
        '.netrc',
        'credentials',
        '.git/',
        'notes.txt',
        'secret.txt',
      ]) {
        assert.ok(!list.content.includes(bad), `list_directory showed ${bad}:\n${list.content}`);
      }
      assert.match(list.content, /link {2}link-out {2}\(symbolic link, not followed\)/);
    });
  }

  it('says why: deny list, bud.tools.exclude, outside, symbolic link, NUL, drive letter, UNC, home', async () => {
    const tools = engines.ripgrep;
    const expect: [string, RegExp][] = [
      ['.env', /built-in deny list/],
      ['link-to-env', /built-in deny list/],
      ['private/notes.txt', /bud\.tools\.exclude/],
      ['../outside/secret.txt', /outside the workspace/],
      ['/etc/passwd', /outside the workspace/],
      ['link-out/secret.txt', /symbolic link.*outside/],
      ['a\0b', /NUL/],
      ['C:\\x', /drive letter/],
      ['\\\\srv\\x', /UNC/],
      ['~/x', /home directory/],
      ['loop-a', /loop/],
      ['dangling', /not found/],
    ];
    for (const [p, re] of expect) {
      const r = await run(tools, 'read_file', { path: p });
      assert.match(r.content, re, `${JSON.stringify(p)} -> ${r.content}`);
    }
  });

  it('still accepts the legitimate forms: relative, ./, absolute inside, folder-prefixed, inner ..', async () => {
    const tools = engines.ripgrep;
    for (const p of ['a.txt', './a.txt', path.join(ws, 'a.txt'), 'ws/a.txt', 'sub/../a.txt', 'sub\\..\\a.txt']) {
      const r = await run(tools, 'read_file', { path: p });
      assert.equal(r.isError, false, `${p}: ${r.content}`);
      assert.match(r.content, /1: hello from a/);
    }
  });

  it('checkLexical refuses without touching the disk', () => {
    for (const p of ['~', '~/a', 'a\0', 'C:\\a', 'c:a', '\\\\s\\x', '//s/x', 'http://x/y', 'a\nb'])
      assert.ok(checkLexical(p), p);
    for (const p of ['a.txt', 'src/a.ts', '/abs/in/ws', '.hidden', 'x~y']) assert.equal(checkLexical(p), undefined, p);
  });

  it('multi-root: the folder name picks the folder; links between folders stay allowed; outside still refused', async () => {
    const m = tempTree('bud-multi-');
    try {
      m.write({
        'api/src/x.ts': 'api x\n',
        'web/src/x.ts': 'web x\n',
        'web/only-web.txt': 'only web\n',
        'out/secret.txt': `${OUTSIDE_SECRET}\n`,
      });
      m.link('../api/src/x.ts', 'web/api-x');
      m.link('../out', 'web/out-link');
      const roots = await WorkspaceRoots.create([
        { name: 'api', fsPath: m.path('api') },
        { name: 'web', fsPath: m.path('web') },
      ]);
      const deny = createDenyChecker();
      const ok = async (p: string) => {
        const r = await roots.resolve(p, deny);
        assert.ok(r.ok, `${p}: ${!r.ok && r.error}`);
        return r.display;
      };
      assert.equal(await ok('api/src/x.ts'), 'api/src/x.ts');
      assert.equal(await ok('web/src/x.ts'), 'web/src/x.ts');
      assert.equal(await ok('only-web.txt'), 'web/only-web.txt');
      assert.equal(await ok('web/api-x'), 'api/src/x.ts');
      const amb = await roots.resolve('src/x.ts', deny);
      assert.ok(!amb.ok && /several workspace folders/.test(amb.error));
      for (const p of [
        'web/out-link/secret.txt',
        'api/../out/secret.txt',
        'web/../../out/secret.txt',
        m.path('out/secret.txt'),
      ]) {
        const r = await roots.resolve(p, deny);
        assert.ok(!r.ok, `${p} should be refused`);
      }
    } finally {
      m.cleanup();
    }
  });
});
