// `npm run test:electron`: the integration suite in VS Code desktop, downloaded by @vscode/test-electron.
// Needs internet (update.code.visualstudio.com), so it is for a developer's laptop; `npm test` runs the same
// out/test/integration/**/*.test.js inside code-server instead (test/harness/runIntegration.ts).
//   BUD_VSCODE_VERSION  VS Code version to download (default: 'stable')
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';

async function main(): Promise<void> {
  const repo = repoRoot();
  const profile = mkdtempSync(join(tmpdir(), 'bud-electron-'));
  try {
    await runTests({
      version: process.env.BUD_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out/test/integration/index.js'),
      extensionTestsEnv: { BUD_TEST_MODE: '1', BUD_API_KEY: undefined },
      launchArgs: [
        join(repo, 'test/fixtures/workspace'),
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        join(profile, 'user-data'),
        '--extensions-dir',
        join(profile, 'extensions'),
      ],
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`test:electron failed: ${err?.message ?? err}`);
  process.exit(1);
});
