// What one measured stream cost: CPU of every process of the browser (from /proc, by kind: browser, renderer, GPU,
// utility) and of code-server (the extension host apart), and the page's CDP `Performance.getMetrics` counters.
import { loadavg } from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import { cmdline, cpuBetween, processTree, treeCpu, type TreeCpu } from './procCpu';

export type ProcessKind = 'browser' | 'renderer' | 'gpu' | 'utility' | 'other';

export function kindOf(pid: number): ProcessKind {
  const c = cmdline(pid);
  if (!c) return 'other';
  if (!/--type=/.test(c)) return 'browser';
  if (/--type=renderer/.test(c)) return 'renderer';
  if (/--type=gpu-process/.test(c)) return 'gpu';
  if (/--type=utility/.test(c)) return 'utility';
  return 'other';
}

/** The CDP metrics reported per run (durations in ms, summed over the renderer's tasks). */
export const METRICS = ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'TaskDuration'] as const;
export type Metrics = Record<(typeof METRICS)[number], number>;

export interface Snapshot {
  browser: TreeCpu;
  codeServer: TreeCpu;
  metrics: Metrics;
}

export interface CpuUse {
  /** every process of the browser: utime + stime, ms */
  browserMs: number;
  byKind: Record<ProcessKind, number>;
  /** code-server's whole tree (server, extension host, watchers), ms */
  codeServerMs: number;
  extHostMs: number;
  /** CDP Performance.getMetrics of the page (the workbench and the webview's frames share its renderer), ms */
  metrics: Metrics;
  loadAverage: number;
}

export class CpuMeter {
  private kinds = new Map<number, ProcessKind>();

  private constructor(
    private readonly browserPid: number,
    private readonly codeServerPid: number,
    private readonly cdp: CDPSession,
  ) {}

  static async attach(page: Page, browserPid: number, codeServerPid: number): Promise<CpuMeter> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    return new CpuMeter(browserPid, codeServerPid, cdp);
  }

  /** A full garbage collection of the page's renderer (the workbench and the webview's frames share its heap). */
  async collectGarbage(): Promise<void> {
    await this.cdp.send('HeapProfiler.collectGarbage');
  }

  async snapshot(): Promise<Snapshot> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(METRICS.map((k) => [k, (metrics.find((x) => x.name === k)?.value ?? 0) * 1000]));
    return { browser: treeCpu(this.browserPid), codeServer: treeCpu(this.codeServerPid), metrics: m as Metrics };
  }

  between(a: Snapshot, b: Snapshot): CpuUse {
    const byKind: Record<ProcessKind, number> = { browser: 0, renderer: 0, gpu: 0, utility: 0, other: 0 };
    for (const [pid, v] of b.browser.byPid) {
      let kind = this.kinds.get(pid);
      if (!kind) this.kinds.set(pid, (kind = kindOf(pid)));
      byKind[kind] += Math.max(0, v - (a.browser.byPid.get(pid) ?? 0));
    }
    const ext = processTree(this.codeServerPid).find((p) => /--type=extensionHost/.test(cmdline(p.pid)));
    const extMs = ext ? (b.codeServer.byPid.get(ext.pid) ?? 0) - (a.codeServer.byPid.get(ext.pid) ?? 0) : NaN;
    const metrics = Object.fromEntries(METRICS.map((k) => [k, Math.round(b.metrics[k] - a.metrics[k])])) as Metrics;
    return {
      browserMs: Math.round(cpuBetween(a.browser, b.browser)),
      byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, Math.round(v)])) as Record<
        ProcessKind,
        number
      >,
      codeServerMs: Math.round(cpuBetween(a.codeServer, b.codeServer)),
      extHostMs: Math.round(extMs),
      metrics,
      loadAverage: Math.round(loadavg()[0] * 100) / 100,
    };
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => {});
  }
}
