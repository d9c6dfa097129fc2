// Writing a chat file so that a crash, a kill or a full disk never leaves it half-written, and cleaning up after
// the writes a crash interrupted. Pure Node (no `vscode`).
//
// A write goes to a temp file beside the target, is flushed to the disk (fsync), and only then renamed over the
// target: after a kill or a power cut the target is the old version or the new one, never a mix or empty. A
// write that fails (ENOSPC on a full disk) removes its temp file. A process killed mid-write leaves its temp
// file behind; `removeStaleTemps` deletes those whose writer is gone. The temp name carries the writer's host
// and pid, so a window never deletes a temp file another live window (or another machine sharing the folder)
// is still writing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const TEMP_RE = /^[A-Za-z0-9_-]{1,64}\.json\.([0-9a-f]{8})-(\d+)-[0-9a-f]+\.tmp$/;

/** A temp file left by a writer on another machine is removed only once it is this old. */
export const FOREIGN_TEMP_MAX_AGE_MS = 10 * 60_000;

let host: string | undefined;

/** A short tag of this machine's name (temp names must not carry arbitrary characters). */
function hostTag(): string {
  host ??= (require('node:crypto') as typeof import('node:crypto'))
    .createHash('sha1')
    .update((require('node:os') as typeof import('node:os')).hostname())
    .digest('hex')
    .slice(0, 8);
  return host;
}

function randomHex(bytes: number): string {
  return (require('node:crypto') as typeof import('node:crypto')).randomBytes(bytes).toString('hex');
}

/** Where a process (`pid` on this machine) writes `file` before renaming it. */
export function tempPath(file: string, pid = process.pid): string {
  return `${file}.${hostTag()}-${pid}-${randomHex(4)}.tmp`;
}

/** Writes `text` to `file` atomically and durably (see above); on failure nothing but the old file remains. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = tempPath(file);
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    fh = await fs.open(tmp, 'w');
    await fh.writeFile(text, 'utf8');
    await fh.sync();
    await fh.close();
    fh = undefined;
    await fs.rename(tmp, file);
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Whether a process with this pid exists on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Deletes the temp files in `dir` (named in `names`) whose writer died: written on this machine by a process that
 * no longer runs, or on another machine long ago. Returns how many it deleted. Never throws.
 */
export async function removeStaleTemps(dir: string, names: readonly string[], now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    let stale: boolean;
    if (m[1] === hostTag()) stale = Number(m[2]) !== process.pid && !alive(Number(m[2]));
    else
      stale = await fs.stat(file).then(
        (s) => now - s.mtimeMs > FOREIGN_TEMP_MAX_AGE_MS,
        () => false,
      );
    if (!stale) continue;
    try {
      await fs.rm(file, { force: true });
      removed++;
    } catch {
      /* another window got there first, or it cannot be removed: harmless either way */
    }
  }
  return removed;
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would be larger than this system allows',
  EROFS: 'the disk is read-only',
  EACCES: 'permission was denied',
  EPERM: 'permission was denied',
};

/** A few words for why a write failed ("the disk is full (ENOSPC)"), for a notice the user can act on. */
export function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code ? WRITE_ERRORS[code] : undefined;
  if (why) return `${why} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
