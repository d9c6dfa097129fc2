// Evaluated by the whole-browser benchmark inside the real chat webview (code-server, the real iframe and
// stylesheet), after the app has started. It watches the host's messages and the answer's DOM, and for the
// 'throttled' reference replaces the view's answer rendering:
//   - 'ours'       the view as shipped: messages pass through untouched, only observed;
//   - 'throttled'  the answer is re-rendered in full every 50 ms while it streams (marked + DOMPurify + innerHTML
//                  of the whole text so far), how Continue and VS Code's own chat pace it. Text reaches those tools
//                  continuously, so the reference renders on that cadence whatever the host's batching.
//   - 'floor'      rendering once at the end: the bench's server holds the text back and sends it whole at the end
//                  of the stream; here the "Working…" row is removed at once, so its spinner does not run meanwhile
//                  (the floor is the workbench idling, then one render).
import DOMPurify from 'dompurify';
import { marked } from 'marked';

export type ProbeMode = 'ours' | 'throttled' | 'floor';

interface HostMsg {
  type: string;
  id?: string;
  text?: string;
  message?: { id: string; role: string };
}

/** Times are webview performance.now() values; add `timeOrigin` for epoch ms. */
export interface ProbeResult {
  timeOrigin: number;
  /** the keydown of Enter that sent the message */
  enterAt?: number;
  /** answer text received: [time, characters received so far] per answerDelta */
  received: [number, number][];
  /** times the answer's DOM changed, with the characters received by then */
  mutations: [number, number][];
  /** first time the answer's content held text; when that text was painted (Element Timing), or else the start of
   * the next frame */
  firstText?: number;
  firstPaint?: number;
  firstPaintFrom?: 'element-timing' | 'next-frame';
  endedAt?: number;
  /** durations of long tasks (> 50 ms) in the webview during the run */
  longTasks: number[];
}

const THROTTLE_MS = 50;
const fresh = (): ProbeResult => ({ timeOrigin: performance.timeOrigin, received: [], mutations: [], longTasks: [] });

class Probe {
  private mode: ProbeMode = 'ours';
  private run = fresh();
  private chars = 0;
  private answerId: string | undefined;
  private ended: (() => void) | undefined;
  private observer: MutationObserver | undefined;
  private text = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private streaming = false;

  constructor() {
    window.addEventListener('message', (e) => this.onMessage(e), true);
    document.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Enter' && !e.shiftKey && this.run.enterAt === undefined) this.run.enterAt = e.timeStamp;
      },
      true,
    );
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.run.longTasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask' });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { renderTime: number; identifier: string })[])
        if (entry.identifier === 'bud-first-text' && this.run.firstText !== undefined && entry.renderTime > 0) {
          this.run.firstPaint = entry.renderTime;
          this.run.firstPaintFrom = 'element-timing';
        }
    }).observe({ type: 'element', buffered: false });
  }

  /** Starts a new measured answer: the next assistant message added is the one watched. */
  start(mode: ProbeMode): void {
    this.mode = mode;
    this.run = fresh();
    this.chars = 0;
    this.answerId = undefined;
    this.text = '';
    this.streaming = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.observer?.disconnect();
    const list = document.getElementById('messages');
    if (!list) throw new Error('no #messages in this frame');
    this.observer = new MutationObserver(() => this.onMutation());
    this.observer.observe(list, { childList: true, subtree: true, characterData: true });
  }

  /** Resolves once the watched answer's end message has been handled by the view. */
  waitForEnd(): Promise<ProbeResult> {
    return new Promise((resolve) => {
      this.ended = () => {
        this.observer?.disconnect();
        resolve(this.run);
      };
      if (this.run.endedAt !== undefined) this.ended();
    });
  }

  /** The run was cut at its cap: stop re-rendering and end the measured run now (it is measured as it stands). */
  stop(): void {
    this.streaming = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.run.endedAt ??= performance.now();
    this.ended?.();
  }

  private content(): HTMLElement | null {
    return this.answerId
      ? document.querySelector<HTMLElement>(`.message[data-id="${CSS.escape(this.answerId)}"] .content`)
      : null;
  }

  private onMutation(): void {
    if (!this.answerId) return;
    const now = performance.now();
    this.run.mutations.push([now, this.chars]);
    if (this.run.firstText !== undefined) return;
    const content = this.content();
    if (!content || !content.textContent) return;
    this.run.firstText = now;
    // Element Timing reports when the text was painted; the attribute is read at paint, which comes after this
    for (const el of [content, ...Array.from(content.querySelectorAll('*'))])
      el.setAttribute('elementtiming', 'bud-first-text');
    requestAnimationFrame((t) => {
      if (this.run.firstPaint !== undefined) return;
      this.run.firstPaint = t;
      this.run.firstPaintFrom = 'next-frame';
    });
  }

  private onMessage(e: MessageEvent): void {
    const msg = e.data as HostMsg | undefined;
    if (!msg || typeof msg.type !== 'string' || !e.isTrusted) return;
    if (msg.type === 'messageAdded') {
      if (msg.message?.role === 'assistant' && !this.answerId) {
        this.answerId = msg.message.id;
        if (this.mode === 'floor') setTimeout(() => this.removeProgress(), 0);
      }
      return;
    }
    if (!this.answerId || msg.id !== this.answerId) return;
    if (msg.type === 'answerDelta' && msg.text) {
      if (this.run.endedAt !== undefined) return; // stopped at the cap: the view catches up on its own
      this.chars += msg.text.length;
      this.run.received.push([performance.now(), this.chars]);
      if (this.mode !== 'throttled') return;
      e.stopImmediatePropagation();
      this.text += msg.text;
      if (!this.streaming) {
        this.streaming = true;
        // like the view, the "Working…" row goes with the first text (its spinner would otherwise keep repainting)
        this.removeProgress();
        this.renderFull();
      }
    } else if (msg.type === 'answerEnded') {
      if (this.run.endedAt !== undefined) return; // stopped at the cap
      this.run.endedAt = performance.now();
      if (this.mode === 'throttled') {
        this.streaming = false;
        clearTimeout(this.timer);
        this.renderFull();
      }
      // after the view has handled the end message
      setTimeout(() => this.ended?.(), 0);
    }
  }

  private removeProgress(): void {
    if (this.answerId) document.querySelector(`.message[data-id="${CSS.escape(this.answerId)}"] .progress`)?.remove();
  }

  /** One full render; while streaming, the next one 50 ms after this one started (or at once if it took longer). */
  private renderFull(): void {
    const started = performance.now();
    const el = this.content();
    if (el)
      el.innerHTML = DOMPurify.sanitize(marked.parse(this.text, { async: false }), { USE_PROFILES: { html: true } });
    if (this.streaming)
      this.timer = setTimeout(() => this.renderFull(), Math.max(0, started + THROTTLE_MS - performance.now()));
  }
}

(window as unknown as { __budProbe: Probe }).__budProbe ??= new Probe();
