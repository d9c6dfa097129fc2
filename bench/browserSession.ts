// The whole-browser benchmark's set-up: the local OpenAI-compatible server, code-server with the built extension,
// Chromium on the workbench with the Bud chat view open, and the probe (bench/pages/viewProbe.page.ts) in the
// chat webview. `stream()` sends one message and measures its answer, streamed by the server at a given rate
// through the real path (SSE → extension host → its batching → workbench → webview iframe).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Frame } from 'playwright-core';
import { replies, startTestServer, type TestServer } from '../scripts/server/openai-server';
import { bundle } from '../test/browser/support';
import { startCodeServer, type CodeServer } from '../test/harness/codeServer';
import type { Workbench } from '../test/harness/workbench';
import { CpuMeter, type CpuUse, type Snapshot } from './browserCpu';
import { findDescendants } from './procCpu';
import type { ProbeMode, ProbeResult } from './pages/viewProbe.page';

export type StreamMode = 'ours' | 'throttled' | 'floor';
const MODEL = 'bench-model';
/** Quiet time before a measured run starts and after its answer ended (both inside every mode's window). */
const SETTLE_MS = 500;
const TAIL_MS = 300;

export interface StreamRun {
  mode: StreamMode;
  tokens: number;
  /** false when the run hit its cap and was cut (its cost is then a lower bound) */
  completed: boolean;
  wallMs: number;
  cpu: CpuUse;
  /** answerDelta messages the webview received, and DOM updates of the answer */
  deltas: number;
  domUpdates: number;
  /** ms the shown text trailed the server: mean over the first and the last tenth of DOM updates, and the max */
  lag?: { firstTenthMs: number; lastTenthMs: number; maxMs: number };
  longTasks: number;
}

export interface FirstTokenSample {
  /** Enter keydown in the webview → the request's headers at the server */
  enterToWireMs: number;
  /** first text written by the server → that text painted in the webview */
  firstByteToPaintMs: number;
  /** of which: first text written → its message received in the webview (the host and the relay) */
  firstByteToViewMs: number;
  paintFrom?: string;
  /** epoch ms: Enter, request at the server, first text written, first text painted */
  at?: { enter: number; wire: number; firstText: number; paint: number };
}

export interface StreamOptions {
  mode: StreamMode;
  text: string;
  tokensPerSecond: number;
  /** cut the run (the server drops the stream) after this long */
  capMs: number;
}

export class BenchSession {
  private constructor(
    readonly api: TestServer,
    readonly server: CodeServer,
    readonly wb: Workbench,
    private chat: Frame,
    private readonly meter: CpuMeter,
    private readonly probeScript: string,
  ) {}

  /** Starts everything; `seed` chats are written to the history before the extension host starts. */
  static async open(seed: { id: string; json: string }[] = []): Promise<BenchSession> {
    const api = await startTestServer({ models: [MODEL] });
    const settings = { 'bud.model': MODEL, 'bud.maxRetries': 0, 'bud.tools.enabled': false };
    let server: CodeServer | undefined;
    try {
      server = await startCodeServer({
        label: 'bench-browser',
        settings,
        machineSettings: { 'bud.baseUrl': api.url, ...settings },
        // as shipped: no test-only timeouts
        env: { BUD_API_KEY: 'sk-bench-0123456789abcdef', BUD_TEST_MODE: undefined },
        startTimeoutMs: 180_000,
      });
      const dir = join(server.userDataDir, 'User/globalStorage/bud-studio.bud-chat/chats');
      mkdirSync(dir, { recursive: true });
      for (const s of seed) writeFileSync(join(dir, `${s.id}.json`), s.json);
      const wb = await server.openWorkbench({ viewport: { width: 1280, height: 800 }, timeoutMs: 120_000 });
      const chat = await wb.openChatView();
      const probeScript = await bundle('bench/pages/viewProbe.page.ts', { minify: true });
      await chat.evaluate(probeScript);
      const [browserPid] = findDescendants(process.pid, /chrom/);
      if (!browserPid) throw new Error('the Chromium process was not found among this process’s children');
      const meter = await CpuMeter.attach(wb.page, browserPid, server.process.pid!);
      return new BenchSession(api, server, wb, chat, meter, probeScript);
    } catch (err) {
      await server?.close();
      await api.close();
      throw err;
    }
  }

  /** Opens a new, empty chat. */
  async newChat(): Promise<void> {
    await this.chat.locator('#new-chat').click();
    await this.chat.waitForFunction(() => document.querySelectorAll('#messages .message').length === 0);
  }

  /** Switches to a saved chat through the history list and waits until it shows `count` messages. */
  async openSavedChat(title: string, count: number): Promise<void> {
    await this.chat.locator('#history-button').click();
    await this.chat.locator('#history-panel .history-item', { hasText: title }).locator('.history-open').click();
    await this.chat.waitForFunction((n) => document.querySelectorAll('#messages .message').length >= n, count, {
      timeout: 120_000,
    });
  }

  /** Sends one message and streams its answer; measures from the key press to just after the answer ended. */
  async stream(o: StreamOptions): Promise<StreamRun & { probe: ProbeResult; serverProgress: [number, number][] }> {
    const probeMode: ProbeMode = o.mode;
    await this.chat.evaluate(
      (m) => (window as unknown as { __budProbe: { start(m: string): void } }).__budProbe.start(m),
      probeMode,
    );
    const progress: [number, number][] = [];
    const cut = new AbortController();
    this.api.enqueue(
      replies.paced(o.text, {
        tokensPerSecond: o.tokensPerSecond,
        wholeAtEnd: o.mode === 'floor',
        onProgress: (t, chars) => progress.push([t, chars]),
        signal: cut.signal,
      }),
    );
    const input = this.chat.locator('#input');
    await input.fill(`Please write a long answer (${o.mode}, ${o.text.length} characters).`);
    // Every run starts from a collected heap, so a major GC of an earlier run's garbage does not land in its window.
    // (Collecting again at the window's end was tried: a forced full GC of the workbench's heap added ~0.6 s to
    // every run, far more than the collections V8 makes as it goes.)
    await this.meter.collectGarbage();
    await sleep(SETTLE_MS);
    const before = await this.meter.snapshot();
    const t0 = Date.now();
    await input.press('Enter');
    // At the cap the run is measured as it stands (a lower bound of its cost), then the server drops the stream
    // and the probe stops re-rendering: a reference that cannot keep pace must not hold up the runs after it (the
    // throttled one re-rendering 400 KB back to back kept the answer's end from the view for over 10 minutes).
    let capped: Promise<{ after: Snapshot; wallMs: number }> | undefined;
    const timer = setTimeout(() => {
      capped = (async () => {
        const at = { after: await this.meter.snapshot(), wallMs: Date.now() - t0 };
        cut.abort();
        await this.chat.evaluate(() => (window as unknown as { __budProbe: { stop(): void } }).__budProbe.stop());
        return at;
      })();
    }, o.capMs);
    const probe = await this.chat.evaluate(() =>
      (window as unknown as { __budProbe: { waitForEnd(): Promise<ProbeResult> } }).__budProbe.waitForEnd(),
    );
    clearTimeout(timer);
    let end: { after: Snapshot; wallMs: number };
    if (capped) {
      end = await capped;
      // the view ends the dropped answer; let that settle outside the measured window
      await this.chat.waitForFunction(
        () => !document.querySelector('#messages .message[data-status="streaming"]'),
        undefined,
        {
          timeout: 120_000,
        },
      );
    } else {
      await sleep(TAIL_MS);
      end = { after: await this.meter.snapshot(), wallMs: Date.now() - t0 };
    }
    return {
      mode: o.mode,
      tokens: Math.round(o.text.length / 4),
      completed: capped === undefined,
      wallMs: end.wallMs,
      cpu: this.meter.between(before, end.after),
      deltas: probe.received.length,
      domUpdates: probe.mutations.length,
      lag: o.mode === 'floor' ? undefined : lagOf(probe, progress),
      longTasks: probe.longTasks.length,
      probe,
      serverProgress: progress,
    };
  }

  /** One short answer in the current chat: Enter → request on the wire, first text written → painted. */
  async firstToken(text: string): Promise<FirstTokenSample> {
    await this.chat.evaluate(() =>
      (window as unknown as { __budProbe: { start(m: string): void } }).__budProbe.start('ours'),
    );
    let firstText = NaN;
    const requests = this.api.requests.length;
    this.api.enqueue(replies.paced(text, { tokensPerSecond: 200, onFirstText: (t) => (firstText = t) }));
    const input = this.chat.locator('#input');
    await input.fill('One more question');
    await sleep(SETTLE_MS);
    await input.press('Enter');
    const probe = await this.chat.evaluate(() =>
      (window as unknown as { __budProbe: { waitForEnd(): Promise<ProbeResult> } }).__budProbe.waitForEnd(),
    );
    const request = this.api.requests[requests];
    const enterAt = probe.enterAt === undefined ? NaN : probe.timeOrigin + probe.enterAt;
    const paintAt = probe.firstPaint === undefined ? NaN : probe.timeOrigin + probe.firstPaint;
    return {
      enterToWireMs: round((request?.receivedAt ?? NaN) - enterAt),
      firstByteToPaintMs: round(paintAt - firstText),
      firstByteToViewMs: round(probe.timeOrigin + (probe.received[0]?.[0] ?? NaN) - firstText),
      paintFrom: probe.firstPaintFrom,
      at: { enter: enterAt, wire: request?.receivedAt ?? NaN, firstText, paint: paintAt },
    };
  }

  async close(): Promise<void> {
    await this.meter.detach();
    await this.server.close();
    await this.api.close();
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * For each DOM update of the answer while it streams: how long ago the server had sent the text it shows (the
 * characters received by the webview at that moment; the view renders all it has at each update).
 */
function lagOf(probe: ProbeResult, progress: [number, number][]): StreamRun['lag'] {
  const lags: number[] = [];
  for (const [t, chars] of probe.mutations) {
    // While the answer streams: the view's handling of the end (badge, buttons, the final render) is not pace.
    if (chars === 0 || (probe.endedAt !== undefined && t >= probe.endedAt)) continue;
    const sentAt = progress.find(([, c]) => c >= chars)?.[0];
    if (sentAt !== undefined) lags.push(probe.timeOrigin + t - sentAt);
  }
  if (!lags.length) return undefined;
  const tenth = Math.max(1, Math.floor(lags.length / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    firstTenthMs: round(mean(lags.slice(0, tenth))),
    lastTenthMs: round(mean(lags.slice(-tenth))),
    maxMs: round(Math.max(...lags)),
  };
}
