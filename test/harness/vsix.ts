// Packages a test extension folder as a VSIX (with the repo's @vscode/vsce) and installs VSIX files into a
// code-server extensions folder with code-server's own CLI. A second extension must be installed this way: a
// folder merely copied next to VSIX-installed ones is not loaded (see the harness notes in README's Development).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** `vsce package` of `dir` into `outDir`; returns the VSIX path. */
export function packageVsix(dir: string, outDir: string): string {
  const pkg = require(join(dir, 'package.json')) as { name: string; version: string };
  const out = join(outDir, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = join(repoRoot(), 'node_modules/@vscode/vsce/vsce');
  execFileSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out],
    { cwd: dir, stdio: 'pipe', timeout: 120_000 },
  );
  return out;
}

/** Installs each VSIX with `code-server --install-extension` (Node 24 first on PATH, as code-server needs). */
export function installVsixes(
  codeServer: string,
  env: NodeJS.ProcessEnv,
  extensionsDir: string,
  userDataDir: string,
  vsixes: string[],
): void {
  for (const vsix of vsixes) {
    execFileSync(
      codeServer,
      ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
      { env, stdio: 'pipe', timeout: 180_000 },
    );
  }
}
