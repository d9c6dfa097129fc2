// A process-wide registry of things the harness started (code-server process groups, browsers, servers),
// so nothing is left running: each is closed by its owner, and whatever is still registered is killed
// when this process exits, is interrupted (SIGINT/SIGTERM/SIGHUP) or dies of an uncaught error.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Resource {
  name: string;
  /** Graceful, async shutdown (called by closeAll / on signals). */
  close(): Promise<void>;
  /** Last resort from the 'exit' handler: must be synchronous (e.g. SIGKILL a process group). */
  killSync?(): void;
}

const resources = new Set<Resource>();
let installed = false;
let closingForSignal = false;

function killAllSync(): void {
  for (const r of resources) {
    try {
      r.killSync?.();
    } catch {
      /* already gone */
    }
  }
  resources.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  // 'exit' also fires after an uncaught exception or unhandled rejection, and after mocha --exit.
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (closingForSignal) {
        killAllSync();
        process.exit(130);
      }
      closingForSignal = true;
      process.stderr.write(
        `\n[harness] ${sig}: stopping ${[...resources].map((r) => r.name).join(', ') || 'nothing'}\n`,
      );
      const timer = setTimeout(() => {
        killAllSync();
        process.exit(130);
      }, 5000);
      void closeAll().finally(() => {
        clearTimeout(timer);
        process.exit(sig === 'SIGINT' ? 130 : 143);
      });
    });
  }
}

/** Registers a resource; returns a function that unregisters it (call it after closing it yourself). */
export function track(resource: Resource): () => void {
  install();
  resources.add(resource);
  return () => {
    resources.delete(resource);
  };
}

/** Closes everything still registered (in reverse order of registration). */
export async function closeAll(): Promise<void> {
  const list = [...resources].reverse();
  for (const r of list) {
    try {
      await r.close();
    } catch {
      try {
        r.killSync?.();
      } catch {
        /* gone */
      }
    }
    resources.delete(r);
  }
}

/** Names of the resources still open (tests can assert it is empty). */
export function openResources(): string[] {
  return [...resources].map((r) => r.name);
}

/** Sends `signal` to the whole process group of a child started with `detached: true`. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    try {
      return child.kill(signal);
    } catch {
      return false;
    }
  }
}

/**
 * True while any process of the group is alive. Zombies do not count: in containers whose init does not reap
 * orphans, an exited grandchild stays a zombie forever and `kill(-pgid, 0)` would still succeed.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return true;
  } // no /proc: trust kill()
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses: parse after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      /* exited meanwhile */
    }
  }
  return false;
}

/** SIGTERM the group, then SIGKILL after `graceMs`; resolves when the whole group is gone. */
export async function stopGroup(child: ChildProcess, graceMs = 4000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (!groupAlive(pid)) return;
  killGroup(child, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) {
    killGroup(child, 'SIGKILL');
    const hard = Date.now() + 3000;
    while (groupAlive(pid) && Date.now() < hard) await sleep(50);
  }
}
