// One way to run a fast-check property in the Node test layers (see conventions.ts for the rules):
//
//   itHolds('the decoder gives the same events for any split', { numRuns: 300, timeLimitMs: 3000 }, () =>
//     fc.property(arb, (x) => { ...assert... }));
//
// Each run is recorded in test-results/fuzz-runs.json (runs made, seed, time), from which
// test/e2e/securityCasesReport.mjs lists the properties and their run counts in test/SECURITY-CASES.md.
import * as fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot, resultsDir } from '../../harness/paths';
import { failureMessage, fuzzParameters, fuzzSettings, summarise, type Budget, type RunSummary } from './conventions';

export type { Budget, RunSummary };

export interface RunRecord extends RunSummary {
  layer: string;
  /** The test file (source path). */
  file: string;
  at: string;
}

export function runsFile(): string {
  return join(resultsDir(), 'fuzz-runs.json');
}

/** Adds (or replaces, by name) one property's latest run in test-results/fuzz-runs.json. */
export function recordRun(r: RunRecord): void {
  const file = runsFile();
  let all: RunRecord[] = [];
  try {
    all = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    /* first record */
  }
  all = all.filter((x) => x.name !== r.name);
  all.push(r);
  all.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(all, null, 1));
}

/** The source path of a compiled test file (out/test/x.test.js -> test/x.test.ts). */
export function sourceOf(compiled: string | undefined): string {
  if (!compiled) return '?';
  let rel = compiled;
  try {
    rel = relative(repoRoot(), compiled);
  } catch {
    /* keep as is */
  }
  return rel.replace(/^out[\\/]/, '').replace(/\.js$/, '.ts');
}

/** Runs `property` within `budget`, records the run, and throws fast-check's report when it fails. */
export async function checkProperty<Ts>(
  name: string,
  property: fc.IRawProperty<Ts>,
  budget: Budget,
  where: { layer: string; file: string },
): Promise<RunSummary> {
  const settings = fuzzSettings(budget, process.env);
  const params = fuzzParameters<Ts>(settings, (ms) => fc.interruptAfterTimeLimit(ms));
  const t0 = performance.now();
  const details = await fc.check(property, params);
  const summary = summarise(name, details, settings.budget.numRuns, performance.now() - t0, (d) =>
    fc.defaultReportMessage(d),
  );
  recordRun({ ...summary, ...where, at: new Date().toISOString() });
  if (summary.failed) throw new Error(failureMessage(summary, where.layer));
  return summary;
}

/** A mocha test for a property: its title is the property's name (so --grep and the replay hint find it). */
export function itHolds<Ts>(name: string, budget: Budget, property: () => fc.IRawProperty<Ts>): void {
  it(name, async function () {
    // The time limit covers runs and shrinking; the slack is for a run already under way when it expires.
    this.timeout(fuzzSettings(budget, process.env).budget.timeLimitMs + 30_000);
    await checkProperty(name, property(), budget, { layer: 'unit', file: sourceOf(this.test?.file) });
  });
}
