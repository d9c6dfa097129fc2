// The chat file writer: a write that fails part-way (a full disk) leaves the previous version and no temp file,
// and the user is told; temp files of writers that died are cleaned up, those of live writers are not.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FOREIGN_TEMP_MAX_AGE_MS, removeStaleTemps, tempPath, writeFileAtomic } from '../../../src/chat/atomicFile';
import { HistoryStore } from '../../../src/chat/historyStore';

describe('atomic chat file writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-atomic-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a write that fails part-way (the disk fills up) keeps the previous version, leaves no temp file, and says why', async () => {
    // `ulimit -f 64`: no file of this process may grow past 64 KB; the write fails with EFBIG part-way, as on a full disk.
    const script = path.join(__dirname, 'fullDiskWriter.js');
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, script, dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the writer exited with ${code}`))));
    });
    const { errors } = JSON.parse(out) as { errors: string[] };
    assert.deepEqual(errors, ['the file would be larger than this system allows (EFBIG)']);
    assert.deepEqual(await fs.readdir(dir), ['full-disk.json'], 'no temp file left');
    const loaded = await new HistoryStore({ dir }).load('full-disk');
    assert.deepEqual(
      loaded.chat?.messages.map((m) => m.id),
      ['u1'],
      'the previous version, whole',
    );
  });

  it('writes whole files through a temp file', async () => {
    const file = path.join(dir, 'c.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    assert.equal(await fs.readFile(file, 'utf8'), 'two');
    assert.deepEqual(await fs.readdir(dir), ['c.json']);
  });

  it('removes temp files of writers that died, keeps those of live writers and recent ones from other machines', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const file = path.join(dir, 'chat.json');
    const names = {
      own: path.basename(tempPath(file)),
      deadHere: path.basename(tempPath(file, dead)),
      liveHere: path.basename(tempPath(file, process.ppid)),
      otherHostNew: 'chat.json.deadbeef-123-0a0b0c0d.tmp',
      otherHostOld: 'chat.json.deadbeef-456-0a0b0c0d.tmp',
      notATemp: 'chat.json',
    };
    for (const n of Object.values(names)) await fs.writeFile(path.join(dir, n), 'x');
    const old = new Date(Date.now() - FOREIGN_TEMP_MAX_AGE_MS - 60_000);
    await fs.utimes(path.join(dir, names.otherHostOld), old, old);
    const removed = await removeStaleTemps(dir, await fs.readdir(dir));
    assert.equal(removed, 2);
    assert.deepEqual(
      (await fs.readdir(dir)).sort(),
      [names.own, names.liveHere, names.otherHostNew, names.notATemp].sort(),
    );
  });
});
