// search_text on a generated repository of 10,000 files, against plain `rg` on the same tree and query.
// Runs are interleaved (ours, rg, rg, ours, …) so machine noise hits both alike; medians are compared (and the
// fastest runs, which load on a shared machine disturbs least).
// Goal: our ripgrep-backed search_text core costs at most 1.2× plain rg. The built-in fallback scanner
// (used when VS Code's ripgrep is absent) is timed too, for information.
//
// Called by bench/run.mjs: `export default async function run(): Promise<Record<string, unknown>>`.
// Env: BUD_BENCH_RG (rg binary; default BUD_RG, then rg on PATH), BUD_BENCH_FILES (default 10000), BUD_BENCH_RUNS (default 15).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createFsToolContext } from '../src/tools/fsTools';
import { formatSearchLines, searchWorkspace } from '../src/tools/searchText';
import { findRipgrep } from '../test/harness/ripgrep';

const QUERY = 'quuxNeedleToken';

/** A deterministic pseudo-random generator, so every run builds the same repository. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = [
  'const',
  'let',
  'return',
  'function',
  'import',
  'export',
  'value',
  'result',
  'items',
  'config',
  'await',
  'async',
  'string',
  'number',
  'map',
  'filter',
  'reduce',
  'handler',
  'request',
  'response',
  'error',
  'data',
  'index',
  'length',
  'push',
  'true',
  'false',
  'null',
];

/** Writes `count` source-like files (about 2 KB each) in 100 directories; every 200th file holds the query twice. */
export function generateRepo(root: string, count: number): { bytes: number; withQuery: number } {
  const rand = rng(42);
  let bytes = 0;
  let withQuery = 0;
  const dirs = Math.max(1, Math.ceil(count / 100));
  for (let d = 0; d < dirs; d++)
    mkdirSync(path.join(root, `pkg${String(d).padStart(3, '0')}`, 'src'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const lines: string[] = [];
    const n = 40 + Math.floor(rand() * 30);
    for (let l = 0; l < n; l++) {
      const k = 3 + Math.floor(rand() * 6);
      const ws: string[] = [];
      for (let w = 0; w < k; w++) ws.push(WORDS[Math.floor(rand() * WORDS.length)]);
      lines.push(`  ${ws.join(' ')};`);
    }
    if (i % 200 === 7) {
      lines[5] = `  const ${QUERY} = 1;`;
      lines[n - 3] = `  return ${QUERY} + 1;`;
      withQuery++;
    }
    const text = `// file ${i}\n${lines.join('\n')}\n`;
    bytes += text.length;
    writeFileSync(path.join(root, `pkg${String(i % dirs).padStart(3, '0')}`, 'src', `mod${i}.ts`), text);
  }
  writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  return { bytes, withQuery };
}

function plainRg(rg: string, cwd: string): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(rg, [QUERY, '.'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => {
      for (const c of b) if (c === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - t0, lines }));
  });
}

/**
 * CPU time (ms) used so far by this process plus its waited-for children (Linux: /proc/self/stat cutime + cstime).
 * CPU time barely changes with other load on the machine, unlike wall time; undefined where /proc is missing.
 */
function cpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[13]) + Number(f[14]); // cutime, cstime (fields 16 and 17)
    const own = process.cpuUsage();
    return (ticks * 1000) / 100 + (own.user + own.system) / 1000;
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export default async function run(): Promise<Record<string, unknown>> {
  const found = findRipgrep();
  const rg = process.env.BUD_BENCH_RG ?? found.path;
  if (!rg) throw new Error(`the search bench compares ripgrep with the scanner: ${found.missing}`);
  const count = Number(process.env.BUD_BENCH_FILES ?? 10_000);
  const runs = Number(process.env.BUD_BENCH_RUNS ?? 15);
  const root = mkdtempSync(path.join(tmpdir(), 'bud-search-bench-'));
  try {
    const gen0 = performance.now();
    const { bytes, withQuery } = generateRepo(root, count);
    const genMs = performance.now() - gen0;
    const folders = [{ name: 'repo', fsPath: root }];
    const withRg = await createFsToolContext({ folders, rgPath: rg });
    const withScan = await createFsToolContext({ folders });
    const q = { query: QUERY, isRegex: false, maxResults: 500 };

    const ours = async () => {
      const t0 = performance.now();
      const o = await searchWorkspace(withRg, q);
      const lines = formatSearchLines(o);
      return { ms: performance.now() - t0, matches: o.matches, lines: lines.length };
    };

    // Warm the page cache and both code paths.
    const warmOurs = await ours();
    const warmRg = await plainRg(rg, root);
    if (warmOurs.matches !== withQuery * 2)
      throw new Error(`search_text found ${warmOurs.matches} matches, expected ${withQuery * 2}`);
    if (warmRg.lines !== withQuery * 2) throw new Error(`rg printed ${warmRg.lines} lines, expected ${withQuery * 2}`);

    const oursMs: number[] = [];
    const rgMs: number[] = [];
    let oursCpu = 0;
    let rgCpu = 0;
    const timedOurs = async () => {
      const c0 = cpuMs();
      oursMs.push((await ours()).ms);
      const c1 = cpuMs();
      if (c0 !== undefined && c1 !== undefined) oursCpu += c1 - c0;
    };
    const timedRg = async () => {
      const c0 = cpuMs();
      rgMs.push((await plainRg(rg, root)).ms);
      const c1 = cpuMs();
      if (c0 !== undefined && c1 !== undefined) rgCpu += c1 - c0;
    };
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        await timedOurs();
        await timedRg();
      } else {
        await timedRg();
        await timedOurs();
      }
    }

    const scanMs: number[] = [];
    let scanMatches = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const o = await searchWorkspace(withScan, q);
      formatSearchLines(o);
      scanMs.push(performance.now() - t0);
      scanMatches = o.matches;
    }

    const ratio = median(oursMs) / median(rgMs);
    return {
      name: 'search_text vs plain rg',
      files: count,
      megabytes: round(bytes / 1024 / 1024, 1),
      query: QUERY,
      matches: warmOurs.matches,
      runs,
      rgMedianMs: round(median(rgMs)),
      searchTextMedianMs: round(median(oursMs)),
      ratio: round(ratio, 2),
      /** Fastest run against fastest run: less sensitive to other load on the machine than the medians. */
      ratioOfMinimums: round(Math.min(...oursMs) / Math.min(...rgMs), 2),
      /** CPU time (this process + rg) of all runs, ours over plain rg: the least load-sensitive measure (Linux). */
      cpuRatio: rgCpu > 0 ? round(oursCpu / rgCpu, 2) : undefined,
      rgMinMs: round(Math.min(...rgMs)),
      searchTextMinMs: round(Math.min(...oursMs)),
      goal: '<= 1.2 (median ratio)',
      pass: ratio <= 1.2,
      fallbackScannerMedianMs: round(median(scanMs)),
      fallbackScannerMatches: scanMatches,
      fallbackVsRg: round(median(scanMs) / median(rgMs), 1),
      generateMs: round(genMs),
      rg,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
