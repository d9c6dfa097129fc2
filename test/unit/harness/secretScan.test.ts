// The secret scanner must find what it is looking for, in every form it claims, or the "zero hits" of the
// security end-to-end test would prove nothing.
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanSecret } from '../../harness/secretScan';

const KEY = 'sk-bud-secret-scan-0123456789abcdef';

describe('secretScan', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bud-scan-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the key as UTF-8 in a nested log file and names the path', () => {
    mkdirSync(join(dir, 'logs/exthost1'), { recursive: true });
    writeFileSync(join(dir, 'logs/exthost1/bud.log'), `2026 [info] POST /v1/chat/completions auth=Bearer ${KEY}\n`);
    writeFileSync(join(dir, 'clean.json'), '{"a":1}');
    const r = scanSecret([dir], KEY);
    assert.equal(r.filesScanned, 2);
    assert.equal(r.hits.length, 1);
    assert.equal(r.hits[0].path, join(dir, 'logs/exthost1/bud.log'));
    assert.equal(r.hits[0].encoding, 'utf8');
    assert.ok(!r.hits[0].context.includes(KEY), 'the report masks the key');
  });

  it('finds the key inside binary data (SQLite-like page), as UTF-16LE, base64 and URL-encoded', () => {
    const page = Buffer.alloc(8192, 0);
    Buffer.from('SQLite format 3\0').copy(page, 0);
    Buffer.from(`{"token":"${KEY}"}`).copy(page, 5000);
    writeFileSync(join(dir, 'state.vscdb'), page);
    writeFileSync(join(dir, 'leveldb.ldb'), Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(KEY, 'utf16le')]));
    writeFileSync(join(dir, 'b64.txt'), Buffer.from(KEY).toString('base64'));
    writeFileSync(join(dir, 'url.txt'), `?k=${encodeURIComponent(KEY + '/+')}`);
    const hits = scanSecret([dir], KEY)
      .hits.map((h) => `${h.path.slice(dir.length + 1)}:${h.encoding}`)
      .sort();
    assert.deepEqual(hits, ['b64.txt:base64', 'leveldb.ldb:utf16le', 'state.vscdb:utf8', 'url.txt:utf8']);
  });

  it('finds a key that straddles the 4 MB read chunks of a large file', () => {
    const big = Buffer.alloc(4 * 1024 * 1024 + 100, 0x61);
    Buffer.from(KEY).copy(big, 4 * 1024 * 1024 - 10);
    writeFileSync(join(dir, 'big.bin'), big);
    const r = scanSecret([dir], KEY);
    assert.equal(r.hits.length, 1);
    assert.equal(r.hits[0].offset, 4 * 1024 * 1024 - 10);
  });

  it('reports zero hits on a clean tree and refuses a too-short secret', () => {
    writeFileSync(join(dir, 'a.txt'), 'sk-bud-secret-scan-0123456789abcdeX');
    assert.deepEqual(scanSecret([dir], KEY).hits, []);
    assert.throws(() => scanSecret([dir], 'abc'), /shorter than 8/);
  });
});
