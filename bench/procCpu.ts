// CPU time of whole process trees, read from /proc/<pid>/stat (Linux): utime + stime of every live process in
// the tree, plus cutime + cstime (children that exited and were reaped), in milliseconds. The benchmarks sample a
// tree before and after a run; a process that starts in between counts from zero.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, ms */
  cpuMs: number;
  /** cutime + cstime (reaped children), ms */
  childCpuMs: number;
}

/** /proc/<pid>/stat, or undefined when the process is gone. */
export function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const tick = 1000 / clockTicks();
  return {
    pid,
    ppid: Number(f[1]),
    comm,
    cpuMs: (Number(f[11]) + Number(f[12])) * tick,
    childCpuMs: (Number(f[13]) + Number(f[14])) * tick,
  };
}

/** Every live process, by pid. */
function allProcesses(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s) out.set(s.pid, s);
  }
  return out;
}

/** `root` and all its descendants that are alive now. */
export function processTree(root: number, all = allProcesses()): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const p of all.values()) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const out: ProcStat[] = [];
  const rootStat = all.get(root);
  if (!rootStat) return out;
  const stack = [rootStat];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** The cmdline of a process (arguments joined with spaces), or '' when it is gone. */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Direct and indirect children of `parent` whose command line matches `pattern`, outermost first. */
export function findDescendants(parent: number, pattern: RegExp): number[] {
  const tree = processTree(parent);
  const matching = new Set(tree.filter((p) => p.pid !== parent && pattern.test(cmdline(p.pid))).map((p) => p.pid));
  const byPid = new Map(tree.map((p) => [p.pid, p]));
  // keep only the outermost matches (a match whose parent does not match)
  return [...matching].filter((pid) => !matching.has(byPid.get(pid)?.ppid ?? -1));
}

/** A snapshot of a tree's CPU: per live process, and the total (reaped children included). */
export interface TreeCpu {
  totalMs: number;
  byPid: Map<number, number>;
}

export function treeCpu(root: number): TreeCpu {
  const byPid = new Map<number, number>();
  let totalMs = 0;
  for (const p of processTree(root)) {
    byPid.set(p.pid, p.cpuMs + p.childCpuMs);
    totalMs += p.cpuMs + p.childCpuMs;
  }
  return { totalMs, byPid };
}

/**
 * CPU used by the tree between two snapshots: the sum over processes alive at the end of (end − start), a process
 * absent at the start counting from zero. A process that exited in between is lost unless its parent reaped it
 * (then it is in the parent's cutime/cstime).
 */
export function cpuBetween(start: TreeCpu, end: TreeCpu): number {
  let ms = 0;
  for (const [pid, v] of end.byPid) ms += Math.max(0, v - (start.byPid.get(pid) ?? 0));
  return ms;
}
