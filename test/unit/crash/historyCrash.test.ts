// Crash safety of the chat history: a child process runs the real HistoryStore the way the controller drives it
// (historyWorkload.ts) and is killed with SIGKILL at 50 seeded random moments — during a stream, a rename, a
// delete, an import, or anywhere. After each kill a fresh store (as the next window start would) must find
// every chat loadable, no temp file left behind, nothing set aside as corrupt; each chat exactly as its last
// acknowledged save left it, except the one operation under way, which either happened whole or not at all
// (a streamed answer: its text so far, marked interrupted — the only message that may be). The next run starts
// from what the kill left, so damage would accumulate.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prng } from '../../../bench/prng';
import type { StoredChat } from '../../../src/chat/conversation';
import { HistoryStore } from '../../../src/chat/historyStore';
import { checkChat, expectations, type Line, type OpKind } from './journal';

const KILLS = Number(process.env.BUD_CRASH_KILLS) || 50;

/** What each run aims its kill at, in turn, and how long after that operation starts the kill comes (ms, at most). */
const TARGETS: { op: OpKind | 'any'; within: number }[] = [
  { op: 'stream', within: 150 },
  { op: 'rename', within: 6 },
  { op: 'delete', within: 6 },
  { op: 'import', within: 8 },
  { op: 'any', within: 400 },
];

interface Run {
  lines: Line[];
  stderr: string;
}

/** Starts the workload, kills it (SIGKILL) `delay` ms after the first `target` operation begins, returns its journal. */
function runAndKill(dir: string, seed: number, target: OpKind | 'any', delay: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = [path.join(__dirname, 'historyWorkload.js'), dir, String(seed), ...(target === 'any' ? [] : [target])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let armed = false;
    const kill = (ms: number) => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), ms);
    };
    // Should the target never come, the run is still killed.
    const fallback = setTimeout(() => kill(0), 5000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (armed) return;
      if (target === 'any' && out.includes('"op":"ready"')) kill(delay);
      else if (out.includes(`{"op":"${target}","phase":"begin"`)) kill(delay);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(fallback);
      if (signal !== 'SIGKILL') return reject(new Error(`the workload exited by itself (code ${code}): ${stderr}`));
      // A line cut by the kill was not written before its operation began: the operation never started.
      const whole = out.slice(0, out.lastIndexOf('\n') + 1);
      resolve({
        lines: whole
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Line),
        stderr,
      });
    });
  });
}

describe('chat history crash safety (SIGKILL of a process writing chats)', () => {
  it(`${KILLS} SIGKILLs while chats stream, are renamed, deleted and imported: every chat loads, none is lost or half-written`, async function () {
    this.timeout(KILLS * 8000 + 30_000);
    const seed = Number(process.env.BUD_CRASH_SEED) || Math.floor(Math.random() * 2 ** 31);
    const rand = prng(seed);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bud-crash-'));
    const hit: Record<string, number> = {};
    const t0 = performance.now();
    let before = new Map<string, StoredChat>();
    try {
      for (let k = 0; k < KILLS; k++) {
        const t = TARGETS[k % TARGETS.length];
        const delay = Math.floor(rand() * t.within);
        const where = `kill ${k + 1} of ${KILLS} (BUD_CRASH_SEED=${seed}, target ${t.op} +${delay} ms)`;
        const run = await runAndKill(dir, Math.floor(rand() * 2 ** 31), t.op, delay);
        assert.ok(
          run.lines.some((l) => l.op === 'ready'),
          `${where}: the workload started: ${run.stderr}`,
        );
        const exp = expectations(new Map(before), run.lines);
        const f = exp.inFlight;
        const key = f ? `${f.kind} (${f.phase})` : 'between operations';
        hit[key] = (hit[key] ?? 0) + 1;

        // What the next window start finds.
        const store = new HistoryStore({ dir });
        const list = await store.list();
        assert.deepEqual(list.notices, [], `${where}: listing needs no notice`);
        const disk = new Map<string, StoredChat>();
        for (const c of list.chats) {
          const r = await store.load(c.id);
          assert.equal(r.notice, undefined, `${where}: ${c.id} loads`);
          disk.set(c.id, r.chat!);
        }
        const files = await fs.readdir(dir);
        assert.deepEqual(
          files.filter((n) => !/^[A-Za-z0-9_-]+\.json$/.test(n)),
          [],
          `${where}: only chat files are left (no temp or corrupt files)`,
        );
        const ids = new Set([...exp.acked.keys(), ...disk.keys(), ...(f ? [f.chat] : [])]);
        const problems = [...ids].map((id) => checkChat(id, disk.get(id), exp)).filter(Boolean);
        assert.deepEqual(problems, [], `${where}, ${key}: ${problems.join('; ')}`);
        const interrupted = (m: Map<string, StoredChat>) =>
          [...m.values()].flatMap((c) => c.messages).filter((m) => m.status === 'interrupted').length;
        assert.ok(
          interrupted(disk) - interrupted(before) <= 1,
          `${where}: at most the streaming answer became interrupted`,
        );
        store.dispose();
        before = disk;
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    // Where the kills landed (printed for the report; every kind must have been hit).
    console.log(
      `      ${KILLS} kills in ${((performance.now() - t0) / 1000).toFixed(1)} s, landed in: ${Object.entries(hit)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    for (const op of ['stream', 'rename', 'delete', 'import']) {
      assert.ok(
        Object.keys(hit).some((k) => k.startsWith(op)),
        `no kill landed during a ${op}: ${JSON.stringify(hit)}`,
      );
    }
  });
});
