// The integration suite's entry, loaded inside a real extension host:
//   - by @vscode/test-electron as `extensionTestsPath` (`run()`; see test/electron/runTest.ts), or
//   - by the test-runner extension in code-server (`runSuite()`; see test/harness/runner-extension).
// It runs mocha over every out/test/integration/**/*.test.js next to this bundle.
import Mocha from 'mocha';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface TestOutcome {
  title: string;
  fullTitle: string;
  file?: string;
  durationMs?: number;
  /** Position in the run (passes, failures and pending interleave in this order). */
  seq?: number;
  error?: string;
  stack?: string;
}

export interface SuiteResults {
  passes: TestOutcome[];
  failures: TestOutcome[];
  pending: TestOutcome[];
  durationMs: number;
  /** Set when the suite could not run at all (e.g. a test file threw while loading). */
  crashed?: string;
}

export interface SuiteOptions {
  grep?: string;
  timeoutMs?: number;
  /** Print one line per test (for test-electron, whose output goes to the terminal). */
  print?: boolean;
}

/**
 * Files that run after all the others: the API-use check reads what the other tests made the extension touch.
 * (Mocha runs files in the order they are added.)
 */
const RUN_LAST = ['apiSurface.test.js'];

/** The test files under `dir`, sorted, with RUN_LAST at the end. */
export function orderedTestFiles(dir: string = __dirname): string[] {
  const files = findTestFiles(dir);
  const last = (f: string) => RUN_LAST.some((name) => f.endsWith(`/${name}`));
  return [...files.filter((f) => !last(f)), ...files.filter(last)];
}

export function findTestFiles(dir: string = __dirname): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findTestFiles(p));
    else if (e.endsWith('.test.js')) out.push(p);
  }
  return out;
}

export function runSuite(opts: SuiteOptions = {}): Promise<SuiteResults> {
  const results: SuiteResults = { passes: [], failures: [], pending: [], durationMs: 0 };
  const t0 = Date.now();
  let seq = 0;
  const outcome = (test: Mocha.Runnable, err?: any): TestOutcome => ({
    seq: seq++,
    title: test.title,
    fullTitle: test.fullTitle(),
    file: test.file,
    durationMs: test.duration,
    ...(err ? { error: String(err?.message ?? err), stack: String(err?.stack ?? '') } : {}),
  });
  // A reporter that only collects: the extension host has no terminal to print to.
  function Collector(runner: Mocha.Runner) {
    runner.on('pass', (t) => {
      results.passes.push(outcome(t));
      if (opts.print) console.log(`  ✓ ${t.fullTitle()}`);
    });
    runner.on('fail', (t, err) => {
      results.failures.push(outcome(t, err));
      if (opts.print) console.log(`  ✗ ${t.fullTitle()}\n    ${err?.message ?? err}`);
    });
    runner.on('pending', (t) => {
      results.pending.push(outcome(t));
      if (opts.print) console.log(`  - ${t.fullTitle()}`);
    });
  }
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: opts.timeoutMs ?? 30_000,
    reporter: Collector as any,
    grep: opts.grep,
  });
  for (const f of orderedTestFiles()) mocha.addFile(f);
  return new Promise<SuiteResults>((resolve) => {
    try {
      mocha.run(() => {
        results.durationMs = Date.now() - t0;
        resolve(results);
      });
    } catch (err) {
      results.durationMs = Date.now() - t0;
      results.crashed = String((err as Error)?.stack ?? err);
      resolve(results);
    }
  });
}

/** Entry point for @vscode/test-electron: rejects when any test failed. */
export async function run(): Promise<void> {
  const r = await runSuite({ print: true });
  console.log(
    `${r.passes.length} passed, ${r.failures.length} failed${r.pending.length ? `, ${r.pending.length} skipped` : ''}`,
  );
  if (r.crashed) throw new Error(`integration suite crashed: ${r.crashed}`);
  if (r.failures.length) throw new Error(`${r.failures.length} integration test(s) failed`);
}
