// The end-to-end side of test/harness/driver-extension: drops a command into the drive folder and waits for the
// extension host to answer it (fast turns through Bud Chat's test API, without typing each one).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/paths';

export const DRIVER_EXTENSION = join(repoRoot(), 'test/harness/driver-extension');

export class Driver {
  private seq = 0;
  constructor(private readonly dir: string) {}

  async call<T>(cmd: Record<string, unknown>, timeoutMs = 240_000): Promise<T> {
    const n = String(++this.seq).padStart(6, '0');
    const tmp = join(this.dir, `.cmd-${n}.tmp`);
    writeFileSync(tmp, JSON.stringify(cmd));
    // Renamed into place so the driver never reads half a file.
    renameSync(tmp, join(this.dir, `cmd-${n}.json`));
    const done = join(this.dir, `done-${n}.json`);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(done)) {
      if (Date.now() > deadline)
        throw new Error(`the driver did not answer ${JSON.stringify(cmd).slice(0, 120)} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const out = JSON.parse(readFileSync(done, 'utf8')) as { result?: T; error?: string };
    rmSync(done);
    if (out.error) throw new Error(`the driver failed: ${out.error}`);
    return out.result as T;
  }
}
