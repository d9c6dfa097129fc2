// #terminal: the last command run in a terminal and its output, from VS Code's shell-integration API
// (`window.onDidStartTerminalShellExecution` / `onDidEndTerminalShellExecution`, `TerminalShellExecution.read()`,
// stable since VS Code 1.93; feature-detected, since Bud supports 1.90). The clipboard is never touched.
//
// `read()` yields only what a command writes after it is called, so the watcher starts reading when each command
// starts and keeps the end of the output (at most OUTPUT_CHARS); the last finished command of each terminal is kept.
import * as vscode from 'vscode';
import { OutputBuffer, terminalToText } from '../attachments/terminalText';
import type { CodeContext } from '../protocol';
import { modelNumber } from '../api/locale';

/** The shell-integration API of VS Code 1.93+ (not in @types/vscode 1.90). */
interface ShellExecution {
  readonly commandLine: { readonly value: string };
  readonly cwd: vscode.Uri | undefined;
  read(): AsyncIterable<string>;
}
interface ShellExecutionEvent {
  readonly terminal: vscode.Terminal;
  readonly execution: ShellExecution;
}
interface ShellExecutionEndEvent extends ShellExecutionEvent {
  readonly exitCode: number | undefined;
}
interface ShellIntegrationWindow {
  onDidStartTerminalShellExecution: vscode.Event<ShellExecutionEvent>;
  onDidEndTerminalShellExecution: vscode.Event<ShellExecutionEndEvent>;
}

/** Raw output kept per command: its end, where results and errors are. */
const OUTPUT_CHARS = 400_000;

export interface FinishedCommand {
  commandLine: string;
  cwd?: string;
  exitCode?: number;
  output: string;
  /** Characters of output left out at its start. */
  dropped: number;
  terminalName: string;
  endedAt: number;
}

export const NO_SHELL_INTEGRATION_API = vscode.l10n.t(
  'Reading the terminal needs VS Code 1.95 or newer (its shell-integration API); this VS Code is older.',
);
export const NO_COMMAND_YET = vscode.l10n.t(
  'No terminal command has finished since Bud started, or the terminal has no shell integration (bash, zsh, fish and PowerShell have it; it may be off in "terminal.integrated.shellIntegration.enabled"). Run the command again, then attach #terminal.',
);

/**
 * VS Code passes on a command's output from the moment it reports the command started; what a command prints in
 * that same instant (a quick `echo`) can be missed. Said rather than sent as an empty output.
 */
export const NO_OUTPUT =
  '[No output was captured. VS Code passes on output only from the moment it reports the command started, so output printed at once can be missed; the command may also have printed nothing.]';

/** Whether VS Code `version` ("1.93.1", "1.94.0-insider") is at least major.minor. */
export function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map((p) => parseInt(p, 10));
  return a > major || (a === major && b >= minor);
}

export class TerminalWatcher implements vscode.Disposable {
  private readonly running = new Map<ShellExecution, { buffer: OutputBuffer; done: Promise<void> }>();
  private readonly last = new Map<vscode.Terminal, FinishedCommand>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly supported: boolean;

  constructor(now: () => number = Date.now) {
    const api = vscode.window as unknown as Partial<ShellIntegrationWindow>;
    // Stable since 1.93 (before that the same names are a proposed API, present where proposals are on, as in
    // code-server). Bud uses it from 1.95, the oldest stable API its checks prove (src/lm/apiSurface.ts).
    this.supported =
      atLeast(vscode.version, 1, 95) &&
      typeof api.onDidStartTerminalShellExecution === 'function' &&
      typeof api.onDidEndTerminalShellExecution === 'function';
    if (!this.supported) return;
    this.disposables.push(
      api.onDidStartTerminalShellExecution!((e) => {
        const buffer = new OutputBuffer(OUTPUT_CHARS);
        const done = (async () => {
          try {
            for await (const data of e.execution.read()) buffer.push(data);
          } catch {
            /* the terminal closed while reading: keep what arrived */
          }
        })();
        this.running.set(e.execution, { buffer, done });
      }),
      api.onDidEndTerminalShellExecution!(async (e) => {
        const run = this.running.get(e.execution);
        this.running.delete(e.execution);
        // The stream ends right after the command does; wait briefly so the last output is in.
        if (run) await Promise.race([run.done, new Promise((r) => setTimeout(r, 500))]);
        this.last.set(e.terminal, {
          commandLine: e.execution.commandLine.value,
          cwd: e.execution.cwd?.fsPath,
          exitCode: e.exitCode,
          output: run ? terminalToText(run.buffer.text()) : '',
          dropped: run?.buffer.dropped ?? 0,
          terminalName: e.terminal.name,
          endedAt: now(),
        });
      }),
      vscode.window.onDidCloseTerminal((t) => this.last.delete(t)),
    );
  }

  /** The active terminal's last finished command, else the latest of any terminal. */
  latest(): FinishedCommand | undefined {
    const active = vscode.window.activeTerminal;
    const own = active ? this.last.get(active) : undefined;
    if (own) return own;
    let best: FinishedCommand | undefined;
    for (const c of this.last.values()) if (!best || c.endedAt > best.endedAt) best = c;
    return best;
  }

  /** The attachment for #terminal, or why there is none. */
  attachment(): CodeContext | string {
    if (!this.supported) return NO_SHELL_INTEGRATION_API;
    const c = this.latest();
    if (!c) return NO_COMMAND_YET;
    const where = c.cwd ? `${c.cwd}$ ` : '$ ';
    const cut = c.dropped ? `[… the first ${modelNumber(c.dropped)} characters of the output were not kept …]\n` : '';
    const short = c.commandLine.length > 40 ? `${c.commandLine.slice(0, 39)}…` : c.commandLine;
    const output = c.output || NO_OUTPUT;
    return {
      kind: 'terminal',
      path: '',
      uri: '',
      language: 'console',
      startLine: 0,
      endLine: 0,
      label:
        c.exitCode === undefined
          ? vscode.l10n.t('Terminal: {0}', short)
          : vscode.l10n.t('Terminal: {0} (exit code {1})', short, c.exitCode),
      text: `${where}${c.commandLine}\n${cut}${output}`.replace(/\n+$/, ''),
      ...(c.output ? {} : { note: NO_OUTPUT }),
    };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.running.clear();
    this.last.clear();
  }
}
