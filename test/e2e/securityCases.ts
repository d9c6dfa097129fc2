// Records each security / fault case an end-to-end test tried, with its result, into
// test-results/security-cases.json (merged across test files and runs; a case's latest result wins).
// test/SECURITY-CASES.md is written from these records and from test-results/xss-browser.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resultsDir } from '../harness/paths';

export interface CaseRecord {
  kind: string;
  case: string;
  expected: string;
  result: string;
  test: string;
  at?: string;
}

export function casesFile(): string {
  return join(resultsDir(), 'security-cases.json');
}

export function recordCase(r: CaseRecord): void {
  const file = casesFile();
  let all: CaseRecord[] = [];
  try {
    all = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    /* first record */
  }
  all = all.filter((x) => !(x.kind === r.kind && x.case === r.case));
  all.push({ ...r, at: new Date().toISOString() });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(all, null, 1));
}
