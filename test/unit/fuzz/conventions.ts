// How every fast-check property of the test suite runs, shared by the Node properties (property.ts) and the
// ones that run inside a browser page (test/browser/renderProperty.test.ts). No Node or DOM import here.
//
// - A budget: at most `numRuns` runs and at most `timeLimitMs` of wall time (fast-check's interruptAfterTimeLimit;
//   a property cut short by the clock passes with the runs it made, and the run count is recorded).
// - The seed is random per run (so every `npm test` explores new cases) and printed on failure with the path of
//   the shrunk case; BUD_FUZZ_SEED (+ BUD_FUZZ_PATH) replays one exactly. BUD_FUZZ_SCALE multiplies the runs and
//   the time limit for a longer local hunt (e.g. BUD_FUZZ_SCALE=20).
import type { Parameters, RunDetails } from 'fast-check';

export interface Budget {
  /** Runs when the clock allows (sized to fit the time limit on a loaded 2-core machine). */
  numRuns: number;
  /** Wall-clock limit for the runs and the shrinking together. */
  timeLimitMs: number;
}

export interface FuzzEnv {
  BUD_FUZZ_SEED?: string;
  BUD_FUZZ_PATH?: string;
  BUD_FUZZ_SCALE?: string;
}

/** What one property run did, as recorded for test/SECURITY-CASES.md. */
export interface RunSummary {
  name: string;
  failed: boolean;
  /** Runs made (up to and including the first failure). */
  numRuns: number;
  /** The budget's numRuns (after scaling). */
  plannedRuns: number;
  /** Stopped by the time limit before planned runs were made. */
  interrupted: boolean;
  seed: number;
  ms: number;
  /** fast-check's report (seed, path, shrunk counterexample, error) when it failed. */
  report?: string;
}

/** The effective budget and the fast-check parameters (without plugins, which are not serialisable). */
export function fuzzSettings(budget: Budget, env: FuzzEnv): { budget: Budget; seed: number; path?: string } {
  const scale = Math.max(1, Number(env.BUD_FUZZ_SCALE) || 1);
  const fixed = env.BUD_FUZZ_SEED !== undefined && env.BUD_FUZZ_SEED !== '' ? Number(env.BUD_FUZZ_SEED) : undefined;
  const seed =
    fixed !== undefined && Number.isFinite(fixed)
      ? fixed | 0
      : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  return {
    budget: { numRuns: Math.round(budget.numRuns * scale), timeLimitMs: budget.timeLimitMs * scale },
    seed,
    path: env.BUD_FUZZ_PATH || undefined,
  };
}

/** fast-check parameters for a budget; `interrupt` is `fc.interruptAfterTimeLimit` (passed in to keep this file import-free). */
export function fuzzParameters<Ts>(
  settings: ReturnType<typeof fuzzSettings>,
  interrupt: (ms: number) => NonNullable<Parameters<Ts>['plugins']>[number],
): Parameters<Ts> {
  const p: Parameters<Ts> = {
    seed: settings.seed,
    numRuns: settings.budget.numRuns,
    // The assertion's own message belongs in the report, beside the shrunk case.
    includeErrorInReport: true,
    plugins: [interrupt(settings.budget.timeLimitMs)],
  };
  if (settings.path) p.path = settings.path;
  return p;
}

/** The summary of a finished run; `report` is fast-check's own message (defaultReportMessage) for failures. */
export function summarise<Ts>(
  name: string,
  details: RunDetails<Ts>,
  plannedRuns: number,
  ms: number,
  report: (d: RunDetails<Ts>) => string | undefined,
): RunSummary {
  return {
    name,
    failed: details.failed,
    numRuns: details.numRuns,
    plannedRuns,
    interrupted: details.interrupted,
    seed: details.seed,
    ms: Math.round(ms),
    ...(details.failed ? { report: report(details) ?? 'failed without a report' } : {}),
  };
}

/** The error a failing property throws: fast-check's report first (mocha and `npm test` print its head), then how to replay it. */
export function failureMessage(s: RunSummary, layer: string): string {
  const path = /path: "([^"]*)"/.exec(s.report ?? '')?.[1];
  const replay = `Replay: BUD_FUZZ_SEED=${s.seed}${path ? ` BUD_FUZZ_PATH="${path}"` : ''} npm test -- --no-typecheck ${layer} --grep ${JSON.stringify(s.name)}`;
  return `Property "${s.name}" failed.\n${s.report ?? ''}\n${replay}`;
}
