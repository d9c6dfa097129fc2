// A temporary workspace on disk for the tool tests (node fs only).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ToolCall } from '../../../src/api/types';
import type { ToolExecutor, ToolResult } from '../../../src/tools/port';
import { findRipgrep } from '../../harness/ripgrep';

const ripgrep = findRipgrep();
/** The rg binary for the ripgrep engine (undefined when missing: those tests are skipped, saying why). */
export const RG = ripgrep.path;

/** `it`, or — when ripgrep is missing and `engine` needs it — `it.skip` with the reason in the title. */
export function itFor(engine: 'ripgrep' | 'scanner'): Mocha.TestFunction | Mocha.PendingTestFunction {
  if (engine === 'scanner' || RG) return it;
  return ((title: string, fn?: Mocha.Func | Mocha.AsyncFunc) =>
    it.skip(`${title} [skipped: ${ripgrep.missing}]`, fn)) as Mocha.PendingTestFunction;
}

export interface TempTree {
  root: string;
  /** Writes files (relative path -> content); parent folders are created. */
  write(files: Record<string, string | Buffer>): void;
  link(target: string, at: string): void;
  path(rel: string): string;
  cleanup(): void;
}

export function tempTree(prefix = 'bud-tools-'): TempTree {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  const t: TempTree = {
    root,
    path: (rel) => path.join(root, rel),
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        const p = path.join(root, rel);
        mkdirSync(path.dirname(p), { recursive: true });
        writeFileSync(p, content);
      }
    },
    link(target, at) {
      const p = path.join(root, at);
      mkdirSync(path.dirname(p), { recursive: true });
      symlinkSync(target, p);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  return t;
}

let n = 0;
export function call(name: string, args: unknown): ToolCall {
  return {
    id: `call_${++n}`,
    type: 'function',
    function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
  };
}

export function run(tools: ToolExecutor, name: string, args: unknown): Promise<ToolResult> {
  return tools.execute(call(name, args), new AbortController().signal);
}
