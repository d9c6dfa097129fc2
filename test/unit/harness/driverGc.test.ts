// The soak's extension-host heap hook (test/harness/driver-extension: `heapAfterGc`) forces GCs in whatever process
// runs it. It must stay out of reach of a normal install: the driver acts only with BUD_E2E_DRIVE_DIR set, it lives in
// the test harness (the VSIX is an allow-list that lets nothing under test/ in), and the product has no GC hook of
// its own.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../../harness/paths';

const req = createRequire(join(repoRoot(), 'package.json'));
const driver = req('./test/harness/driver-extension/main.js') as {
  activate(): Promise<unknown>;
  heapAfterGc(): number;
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('harness: the extension-host heap hook is gated', () => {
  it('the driver extension does nothing without BUD_E2E_DRIVE_DIR (it never reaches for VS Code)', async () => {
    // Outside an extension host `vscode` cannot load, so an ungated driver would reject here.
    assert.throws(() => req('vscode'), /Cannot find module 'vscode'/);
    const saved = process.env.BUD_E2E_DRIVE_DIR;
    delete process.env.BUD_E2E_DRIVE_DIR;
    try {
      assert.equal(await driver.activate(), undefined);
    } finally {
      if (saved !== undefined) process.env.BUD_E2E_DRIVE_DIR = saved;
    }
  });

  it('heapAfterGc collects garbage in a process started without --expose-gc', () => {
    assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'mocha runs without --expose-gc');
    const holder: { garbage?: number[][] } = {
      garbage: Array.from({ length: 200 }, () => Array.from({ length: 20_000 }, (_, i) => i)),
    };
    const held = process.memoryUsage().heapUsed;
    assert.equal(holder.garbage?.length, 200);
    delete holder.garbage;
    const after = driver.heapAfterGc();
    // 200 × 20,000 small integers are about 30 MB; a real GC frees most of them.
    assert.ok(held - after > 15 * 1048576, `heap ${held} -> ${after} bytes`);
  });

  it('only the test harness has it: no VSIX entry under test/, no GC hook in the product', () => {
    const allowed = readFileSync(join(repoRoot(), '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'));
    assert.ok(allowed.length > 0, '.vscodeignore is an allow-list');
    assert.deepEqual(
      allowed.filter((l) => /^!(\*\*|test\b)/.test(l)),
      [],
    );
    const hooks = filesUnder(join(repoRoot(), 'src')).filter((f) =>
      /expose-gc|setFlagsFromString|\bglobal(This)?\.gc\b/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(hooks, []);
  });
});
