// After the whole suite: everything the extension read from `vscode` while it ran (recorded in test mode, see
// src/lm/apiRecorder.ts) is stable API of VS Code 1.90 or listed, with the version that finalized it, in
// src/lm/apiSurface.ts. code-server enables every proposed API, so only this proves none was reached.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { API_RECORD_KEY, NEWER_STABLE_API } from '../../src/lm/apiSurface';
import { declares, dtsSurface } from '../harness/dtsSurface';

const newerThan = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};

after('the extension read only stable VS Code API of the versions it declares', () => {
  const used = (globalThis as Record<string, unknown>)[API_RECORD_KEY] as Set<string> | undefined;
  assert.ok(
    used,
    'the extension did not record its API use: was it built by esbuild.mjs and run with BUD_TEST_MODE=1?',
  );
  assert.ok(used.size >= 20, `only ${used.size} API members recorded: ${[...used].join(', ')}`);
  const base = dtsSurface('1.90.0');
  const newer = new Map(NEWER_STABLE_API.map((a) => [a.path, a.since]));
  const outside = [...used].filter((p) => !declares(base, p) && !newer.has(p)).sort();
  assert.deepEqual(
    outside,
    [],
    'read but neither stable in 1.90 nor listed in NEWER_STABLE_API (proposed or undeclared API)',
  );
  const tooNew = [...used].filter((p) => newer.has(p) && newerThan(newer.get(p)!, vscode.version));
  assert.deepEqual(tooNew, [], `read on VS Code ${vscode.version}, older than the version that finalized them`);
});
