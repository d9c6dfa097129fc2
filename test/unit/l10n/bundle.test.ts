// l10n/bundle.l10n.json holds every string the sources pass to vscode.l10n.t / l10n.t, so a new string cannot be
// left out of the translations (else: node scripts/l10n.mjs).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as l10n from '@vscode/l10n';
import { repoRoot } from '../../harness/paths';

describe('l10n bundle', () => {
  it('is exported from the current sources (else: node scripts/l10n.mjs)', function () {
    this.timeout(120_000);
    const r = spawnSync(process.execPath, ['scripts/l10n.mjs', '--check'], { cwd: repoRoot(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr || r.stdout);
  });

  it('t() of the pure layers formats the English text when no bundle is configured (unit tests, English)', () => {
    assert.equal(l10n.t('Stopped after {0} tool rounds: x', 3), 'Stopped after 3 tool rounds: x');
  });
});
