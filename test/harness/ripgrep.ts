// The ripgrep binary the tests and benches run the ripgrep engine with: BUD_RG when set, else `rg` on PATH.
// Tests that need it skip with `RIPGREP_MISSING` as the reason when neither gives an executable file.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface RipgrepLookup {
  /** Absolute path of rg, or undefined when none was found. */
  path: string | undefined;
  /** Why there is none (for a skip message); '' when found. */
  missing: string;
}

export function findRipgrep(env: NodeJS.ProcessEnv = process.env): RipgrepLookup {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  if (env.BUD_RG) {
    return isExecutableFile(env.BUD_RG)
      ? { path: env.BUD_RG, missing: '' }
      : { path: undefined, missing: `BUD_RG=${env.BUD_RG} is not an executable file` };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = dir && join(dir, exe);
    if (candidate && isExecutableFile(candidate)) return { path: candidate, missing: '' };
  }
  return {
    path: undefined,
    missing: 'ripgrep (rg) is not on PATH and BUD_RG is not set: install it (apt-get install ripgrep) or set BUD_RG',
  };
}
