// Runs after every other integration file (test/integration/index.ts orders it last): everything the extension read
// from `vscode` while the suite ran (recorded in test mode, see src/lm/apiRecorder.ts) is stable API of VS Code 1.90
// or listed, with the version that finalized it, in src/lm/apiSurface.ts — and was not read on a VS Code older than
// that version. code-server enables every proposed API, so only this proves none was reached.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { API_RECORD_KEY } from '../../src/lm/apiSurface';
import { apiUseProblems } from '../harness/dtsSurface';

describe('VS Code API the extension reached while the suite ran', () => {
  it('is stable API of the versions it declares (nothing proposed, nothing newer than this VS Code)', () => {
    const used = (globalThis as Record<string, unknown>)[API_RECORD_KEY] as Set<string> | undefined;
    assert.ok(
      used,
      'the extension did not record its API use: was it built by esbuild.mjs and run with BUD_TEST_MODE=1?',
    );
    assert.ok(used.size >= 20, `only ${used.size} API members recorded: ${[...used].join(', ')}`);
    const { outside, tooNew } = apiUseProblems(used, vscode.version);
    assert.deepEqual(
      outside,
      [],
      'read but neither stable in 1.90 nor listed in NEWER_STABLE_API (proposed or undeclared API)',
    );
    assert.deepEqual(tooNew, [], `read on VS Code ${vscode.version}, older than the version that finalized them`);
  });
});
