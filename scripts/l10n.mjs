// The English string bundle of the extension, l10n/bundle.l10n.json, exported from the sources by
// @vscode/l10n-dev (every `vscode.l10n.t(…)` of the host and every `l10n.t(…)` of @vscode/l10n in the pure layers).
// Translators start from it; VS Code loads l10n/bundle.l10n.<locale>.json for the display language.
//
//   node scripts/l10n.mjs            write l10n/bundle.l10n.json
//   node scripts/l10n.mjs --check    exit 1 when it is out of date (a string added or changed without exporting)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(repo, 'l10n/bundle.l10n.json');
const cli = join(repo, 'node_modules/@vscode/l10n-dev/dist/cli.js');

function exportTo(outDir) {
  const r = spawnSync(process.execPath, [cli, 'export', '--outDir', outDir, join(repo, 'src')], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(2);
  }
}

if (process.argv.includes('--check')) {
  const tmp = mkdtempSync(join(tmpdir(), 'bud-l10n-'));
  try {
    exportTo(tmp);
    const fresh = join(tmp, 'bundle.l10n.json');
    const want = existsSync(fresh) ? JSON.parse(readFileSync(fresh, 'utf8')) : {};
    const have = existsSync(BUNDLE) ? JSON.parse(readFileSync(BUNDLE, 'utf8')) : {};
    const added = Object.keys(want).filter((k) => !(k in have));
    const gone = Object.keys(have).filter((k) => !(k in want));
    if (added.length || gone.length) {
      console.error('l10n/bundle.l10n.json is out of date: run node scripts/l10n.mjs');
      for (const k of added) console.error(`  missing: ${JSON.stringify(k)}`);
      for (const k of gone) console.error(`  no longer in the sources: ${JSON.stringify(k)}`);
      process.exit(1);
    }
    console.log(`l10n/bundle.l10n.json is up to date (${Object.keys(have).length} strings)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  exportTo(join(repo, 'l10n'));
  console.log('l10n/bundle.l10n.json written');
}
