import * as assert from 'node:assert/strict';
import { buildIndexEntries, FileIndex } from '../../../src/attachments/fileIndex';
import { createFsToolContext } from '../../../src/tools/fsTools';
import { itFor, RG, tempTree, type TempTree } from '../tools/helpers';

// The picker offers what find_files would list and nothing else: the deny list (secrets), .gitignore,
// files.exclude, search.exclude and bud.tools.exclude all hide a file, with ripgrep and with the built-in walker.
describe('# picker index: what is never offered', () => {
  let tree: TempTree;

  before(() => {
    tree = tempTree('bud-index-');
    tree.write({
      'src/app.ts': 'export {};\n',
      'src/util/helper.ts': 'export {};\n',
      '.env': 'SECRET=1\n',
      '.env.local': 'SECRET=2\n',
      'config/.env.production': 'SECRET=3\n',
      'keys/id_rsa': 'PRIVATE\n',
      'certs/server.pem': 'PEM\n',
      'build/out.js': 'x\n',
      'tmp/scratch.ts': 'x\n',
      'secrets/token.txt': 'x\n',
      '.gitignore': 'build/\n',
    });
  });
  after(() => tree.cleanup());

  for (const engine of ['ripgrep', 'scanner'] as const) {
    itFor(engine)(
      `lists the workspace's files and their folders, never secrets or excluded files (${engine})`,
      async () => {
        const ctx = await createFsToolContext({
          folders: [{ name: 'w', fsPath: tree.root }],
          exclude: ['secrets/**'],
          excludes: () => ({ files: ['**/tmp'], search: [] }),
          rgPath: engine === 'ripgrep' ? RG : undefined,
        });
        const built = await buildIndexEntries(ctx);
        const paths = built.entries.map((e) => e.path);
        assert.deepEqual(paths.filter((p) => !p.endsWith('/')).sort(), [
          '.gitignore',
          'src/app.ts',
          'src/util/helper.ts',
        ]);
        assert.deepEqual(paths.filter((p) => p.endsWith('/')).sort(), ['src/', 'src/util/']);
        assert.equal(built.truncated, false);

        // However it is typed, a secret is never a row.
        const index = new FileIndex(built.entries);
        for (const q of ['.env', 'env', 'id_rsa', 'pem', 'token', 'scratch', 'out.js'])
          assert.deepEqual(index.search(q, 40), [], `"${q}" offered something`);
      },
    );
  }
});
