// The F5 files in .vscode/ are part of the repo (not git-ignored), consistent with each other and with the build,
// and never reach the VSIX.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';

const repo = repoRoot();

/** JSON with `//` comments on their own lines, as in .vscode/*.json. */
function readJsonc(rel: string): any {
  const text = readFileSync(join(repo, rel), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l))
    .join('\n');
  return JSON.parse(text);
}

interface Task {
  label: string;
  script?: string;
  command?: string;
  dependsOn?: string[];
  problemMatcher?: unknown;
}

describe('F5 (.vscode/)', () => {
  const launch = readJsonc('.vscode/launch.json');
  const tasks: Task[] = readJsonc('.vscode/tasks.json').tasks;
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const config = (name: string) => launch.configurations.find((c: { name: string }) => c.name === name);

  it('is in git, not hidden by .gitignore', () => {
    for (const f of ['launch.json', 'tasks.json', 'extensions.json']) {
      assert.ok(existsSync(join(repo, '.vscode', f)), f);
      const r = spawnSync('git', ['check-ignore', '-q', `.vscode/${f}`], { cwd: repo });
      assert.equal(r.status, 1, `.vscode/${f} is git-ignored`);
    }
  });

  it('"Run Extension" opens demo/workspace with the demo backend its pre-launch task starts', () => {
    const run = config('Run Extension');
    assert.ok(run, 'a "Run Extension" configuration');
    assert.equal(run.type, 'extensionHost');
    assert.ok(run.args.includes('${workspaceFolder}/demo/workspace'));
    const url: string = run.env.BUD_DEMO_BASE_URL;
    const port = /^http:\/\/127\.0\.0\.1:(\d+)\/v1$/.exec(url)?.[1];
    assert.ok(port, `BUD_DEMO_BASE_URL ${url}`);
    const prepare = tasks.find((t) => t.label === run.preLaunchTask);
    assert.ok(prepare, `the pre-launch task ${run.preLaunchTask}`);
    const parts = (prepare.dependsOn ?? []).map((l) => tasks.find((t) => t.label === l));
    const backend = parts.find((t) => t?.command?.includes('scripts/start.mjs --backend-only'));
    assert.ok(backend?.command?.includes(`--port ${port}`), `the demo backend task serves port ${port}`);
    const watch = parts.find((t) => t?.script === 'watch');
    assert.equal(watch?.problemMatcher, '$esbuild-watch');
    assert.equal(pkg.scripts.watch, 'node esbuild.mjs --watch');
  });

  it('"Extension Tests" runs the integration suite the way test/electron/runTest.ts does', () => {
    const tests = config('Extension Tests');
    assert.ok(tests, 'an "Extension Tests" configuration');
    const runTest = readFileSync(join(repo, 'test/electron/runTest.ts'), 'utf8');
    assert.match(runTest, /extensionTestsPath: join\(repo, 'out\/test\/integration\/index\.js'\)/);
    assert.ok(tests.args.includes('--extensionTestsPath=${workspaceFolder}/out/test/integration/index'));
    assert.ok(tests.args.includes('${workspaceFolder}/test/fixtures/workspace'));
    assert.equal(tests.env.BUD_TEST_MODE, '1');
    const build = tasks.find((t) => t.label === tests.preLaunchTask);
    assert.equal(build?.command, 'node esbuild.mjs --tests');
  });

  it('recommends the ESLint, Prettier and esbuild problem-matcher extensions', () => {
    assert.deepEqual(readJsonc('.vscode/extensions.json').recommendations.sort(), [
      'connor4312.esbuild-problem-matchers',
      'dbaeumer.vscode-eslint',
      'esbenp.prettier-vscode',
    ]);
  });

  it('stays out of the VSIX (vsce ls)', function () {
    this.timeout(120_000);
    const vsce = join(repo, 'node_modules/@vscode/vsce/vsce');
    const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repo, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').filter(Boolean);
    assert.ok(files.includes('package.json'), `vsce ls lists the package: ${files.join(', ')}`);
    assert.ok(files.includes('package.nls.json'), 'the English texts of package.json ship with it');
    assert.deepEqual(
      files.filter((f) => f.startsWith('.vscode/')),
      [],
    );
  });
});
