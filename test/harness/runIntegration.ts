// Runs the integration suite inside code-server's real extension host:
//   node out/test/harness/runIntegration.js [--json results.json] [--grep pattern] [--release current|minimum]
// (`--release minimum` runs the suite on code-server 4.90.3 = VS Code 1.90, the engines.vscode minimum.)
// Starts code-server with the product and the test-runner extension installed, opens the fixture workspace in
// Chromium (the extension host starts when a window connects), waits for the runner's results file, prints one
// line per test and exits 1 when any failed (or nothing ran).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SuiteResults } from '../integration/index';
import { startCodeServer, type CodeServer, type VsCodeRelease } from './codeServer';
import { repoRoot } from './paths';
import { closeAll } from './processes';
import { packageVsix } from './vsix';

export interface IntegrationRun extends SuiteResults {
  /** Where the extension host said it ran (Node / VS Code version). */
  host?: { node: string; vscodeVersion: string; pid: number };
}

export async function runIntegration(
  opts: { grep?: string; timeoutMs?: number; release?: VsCodeRelease; log?: (line: string) => void } = {},
): Promise<IntegrationRun> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const repo = repoRoot();
  const index = join(repo, 'out/test/integration/index.js');
  if (!existsSync(index)) throw new Error(`${index} is missing: run node esbuild.mjs --tests first`);
  const tmp = mkdtempSync(join(tmpdir(), 'bud-it-'));
  const resultsFile = join(tmp, 'results.json');
  const timeoutMs = opts.timeoutMs ?? Number(process.env.BUD_INTEGRATION_TIMEOUT_MS || 300_000);
  let server: CodeServer | undefined;
  const t0 = Date.now();
  try {
    // A second extension with a language-model tool, for the tests of other extensions' tools in Bud's chat.
    const fixtureVsix = packageVsix(join(repo, 'test/fixtures/lm-tool-extension'), tmp);
    server = await startCodeServer({
      label: opts.release === 'minimum' ? 'integration-min' : 'integration',
      release: opts.release,
      extraExtensions: [join(repo, 'test/harness/runner-extension')],
      vsixExtensions: [fixtureVsix],
      env: { BUD_TEST_RESULTS: resultsFile, BUD_TEST_INDEX: index, BUD_TEST_GREP: opts.grep, BUD_TEST_MODE: '1' },
    });
    log(`  code-server ${server.url} up in ${((Date.now() - t0) / 1000).toFixed(1)} s; opening the fixture workspace`);
    await server.openWorkbench();
    log(`  extension host running after ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting for the suite`);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(resultsFile)) {
      if (Date.now() > deadline) {
        throw new Error(
          `no results from the extension host within ${timeoutMs / 1000} s\n--- extension host log (tail)\n${server.extHostLog().slice(-4000)}`,
        );
      }
      if (server.process.exitCode !== null)
        throw new Error(
          `code-server exited (${server.process.exitCode}) during the suite\n${server.logs().slice(-3000)}`,
        );
      await sleep(250);
    }
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as IntegrationRun;
    if (results.host)
      log(`  ran in the extension host of VS Code ${results.host.vscodeVersion} (Node ${results.host.node})`);
    return results;
  } finally {
    if (server) await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const jsonOut = opt('--json');
  let results: IntegrationRun;
  try {
    const release = opt('--release');
    if (release !== undefined && release !== 'current' && release !== 'minimum')
      throw new Error(`--release ${release}: use current or minimum`);
    results = await runIntegration({ grep: opt('--grep'), release });
  } catch (err) {
    results = { passes: [], failures: [], pending: [], durationMs: 0, crashed: String((err as Error)?.stack ?? err) };
  }
  const all = [
    ...results.passes.map((t) => ({ t, line: `  ✓ ${t.fullTitle} (${t.durationMs ?? 0} ms)` })),
    ...results.pending.map((t) => ({ t, line: `  - ${t.fullTitle} (skipped)` })),
    ...results.failures.map((t) => ({
      t,
      line: `  ✗ ${t.fullTitle}\n      ${(t.error ?? '').split('\n').join('\n      ')}`,
    })),
  ].sort((a, b) => (a.t.seq ?? 0) - (b.t.seq ?? 0));
  for (const { line } of all) console.log(line);
  if (results.crashed) console.log(`  ✗ the integration suite did not run: ${results.crashed}`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
  await closeAll();
  process.exitCode = results.crashed || results.failures.length ? 1 : 0;
}

if (require.main === module) void main();
