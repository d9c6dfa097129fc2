// The caret at the end of a streaming answer blinks by a timer, twice a second, not by a CSS animation: Chromium
// services an infinite CSS animation at every frame (style, paint and compositing of the whole browser 60 times a
// second for as long as the answer streams), where the caret changes twice a second. Only the block that holds the
// caret is restyled. A block drawn anew (the one being written, at each update) starts with its caret shown, as
// the animation did. Reduced motion (the OS's or VS Code's setting) keeps the caret steady.

const BLINK_MS = 500;
const OFF = 'caret-off';

function reducedMotion(): boolean {
  return (
    document.body.classList.contains('vscode-reduce-motion') ||
    (typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches)
  );
}

export class CaretBlink {
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  /** The block whose caret is hidden now. */
  private off: Element | undefined;

  /** `content` holds the answer's chunks (`.md-chunk`); the caret follows the last block of the last chunk. */
  constructor(private readonly content: HTMLElement) {
    if (!reducedMotion()) this.timer = setInterval(() => this.tick(), BLINK_MS);
  }

  private tick(): void {
    const last = this.content.lastElementChild?.lastElementChild ?? undefined;
    const wasOff = this.off;
    this.show();
    if (last && last !== wasOff) {
      last.classList.add(OFF);
      this.off = last;
    }
  }

  private show(): void {
    this.off?.classList.remove(OFF);
    this.off = undefined;
  }

  stop(): void {
    clearInterval(this.timer);
    this.show();
  }
}
