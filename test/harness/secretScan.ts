// Searches every file under the given roots for a secret, as raw bytes (so SQLite databases such as
// workspaceStorage/<id>/state.vscdb and globalStorage/state.vscdb, LevelDB webview state, logs and JSON history
// are all covered whatever their format). Looks for the secret as UTF-8, UTF-16LE (how Chromium's storage keeps
// some strings), base64 and URL-encoded, so a key written in an encoded form is found too.
//
//   const hits = scanForSecret([server.userDataDir, server.home], API_KEY);
//   assert.deepEqual(hits, []);
import { readdirSync, lstatSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretHit {
  /** Absolute path of the file that contains the secret. */
  path: string;
  /** Which encoding matched: utf8, utf16le, base64, urlencoded. */
  encoding: string;
  /** Byte offset of the first match. */
  offset: number;
  /** A few printable characters around the match, with the secret itself masked. */
  context: string;
}

export interface ScanSummary {
  hits: SecretHit[];
  /** Files read (for the report: a scan that read nothing proves nothing). */
  filesScanned: number;
  bytesScanned: number;
  /** Files that could not be read (path: reason). */
  unreadable: string[];
}

/** Every regular file under `root` (symlinks are not followed). */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(p);
    }
  };
  try {
    if (lstatSync(root).isFile()) return [root];
  } catch {
    return out;
  }
  walk(root);
  return out;
}

function needles(secret: string): { encoding: string; bytes: Buffer }[] {
  const list = [
    { encoding: 'utf8', bytes: Buffer.from(secret, 'utf8') },
    { encoding: 'utf16le', bytes: Buffer.from(secret, 'utf16le') },
    {
      encoding: 'base64',
      bytes: Buffer.from(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''), 'utf8'),
    },
    { encoding: 'urlencoded', bytes: Buffer.from(encodeURIComponent(secret), 'utf8') },
  ];
  // Drop encodings identical to utf8 (a key of only URL-safe characters encodes to itself).
  return list.filter((n, i) => i === 0 || !n.bytes.equals(list[0].bytes));
}

const CHUNK = 4 * 1024 * 1024;

/** Finds `needle` in the file at `path`, reading in chunks (files may be large); returns the first offset or -1. */
function findInFile(path: string, needle: Buffer): { offset: number; around: Buffer } | undefined {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK + needle.length);
    let carry = 0;
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, carry, CHUNK, pos);
      if (n <= 0) return undefined;
      const view = buf.subarray(0, carry + n);
      const i = view.indexOf(needle);
      if (i >= 0) {
        const start = Math.max(0, i - 40);
        return {
          offset: pos - carry + i,
          around: Buffer.from(view.subarray(start, Math.min(view.length, i + needle.length + 40))),
        };
      }
      pos += n;
      // Keep the tail in case the needle straddles two chunks.
      carry = Math.min(needle.length - 1, view.length);
      view.copy(buf, 0, view.length - carry, view.length);
    }
  } finally {
    closeSync(fd);
  }
}

function printable(b: Buffer, secretBytes: Buffer): string {
  const masked = Buffer.from(b);
  const i = masked.indexOf(secretBytes);
  if (i >= 0) masked.fill(0x2a /* '*' */, i, i + secretBytes.length);
  return masked.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
}

/** Scans every file under `roots` for `secret` (as raw bytes, in several encodings). */
export function scanSecret(roots: string[], secret: string): ScanSummary {
  if (secret.length < 8) throw new Error('scanSecret: a secret shorter than 8 characters would match by chance');
  const summary: ScanSummary = { hits: [], filesScanned: 0, bytesScanned: 0, unreadable: [] };
  const ns = needles(secret);
  const seen = new Set<string>();
  for (const root of roots) {
    for (const file of listFiles(root)) {
      if (seen.has(file)) continue;
      seen.add(file);
      try {
        summary.bytesScanned += lstatSync(file).size;
        summary.filesScanned++;
        for (const n of ns) {
          const m = findInFile(file, n.bytes);
          if (m)
            summary.hits.push({
              path: file,
              encoding: n.encoding,
              offset: m.offset,
              context: printable(m.around, n.bytes),
            });
        }
      } catch (err) {
        summary.unreadable.push(`${file}: ${(err as Error).message}`);
      }
    }
  }
  return summary;
}

/** Shorthand: the hits only. */
export function scanForSecret(roots: string[], secret: string): SecretHit[] {
  return scanSecret(roots, secret).hits;
}
