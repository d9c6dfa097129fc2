// Public API of the Markdown renderer: the webview app (through app/markdown.ts) and the browser tests use only this.
import { IncrementalRenderer, type RenderStats } from './streaming';

export interface StreamingRenderer {
  /** Cheap; rendering is coalesced to at most once per animation frame. */
  append(text: string): void;
  /** Final render now: the open tail block rendered as final, code blocks highlighted. Later appends are ignored. */
  finish(): void;
  readonly text: string;
  /** Length of the text the DOM shows right now (trails `text.length` by at most one frame). */
  readonly renderedLength: number;
  /** Work counters (used by the benchmark). */
  readonly stats: RenderStats;
}

export type { RenderStats };

export function createStreamingRenderer(container: HTMLElement): StreamingRenderer {
  container.replaceChildren();
  return new IncrementalRenderer(container);
}

/** Renders the whole `text` at once (restored messages); the DOM equals a streamed render after `finish()`. */
export function renderMarkdown(container: HTMLElement, text: string): void {
  container.replaceChildren();
  const r = new IncrementalRenderer(container);
  r.append(text);
  r.finish();
}

export interface SlicedRender {
  /** Renders more of the text until `deadline` (performance.now() time); true once `container` shows all of it. */
  step(deadline: number): boolean;
}

/**
 * Like `renderMarkdown`, but in slices of about `sliceChars` characters, so a long message can be rendered a few
 * milliseconds at a time without a long task. It renders into a detached element and replaces `container`'s
 * children only when done (the final DOM equals `renderMarkdown(container, text)`), so the page never shows a
 * half-rendered message and lays it out once.
 */
export function renderMarkdownSliced(container: HTMLElement, text: string, sliceChars = 1500): SlicedRender {
  const target = container.ownerDocument.createElement('div');
  let due: FrameRequestCallback | null = null;
  const r = new IncrementalRenderer(target, {
    schedule: (cb) => ((due = cb), 1),
    cancel: () => (due = null),
    adaptive: false,
  });
  let pos = 0;
  let done = false;
  return {
    step(deadline: number): boolean {
      if (done) return true;
      while (pos < text.length) {
        const nl = text.indexOf('\n', Math.min(text.length, pos + sliceChars));
        const end = nl === -1 ? text.length : nl + 1;
        r.append(text.slice(pos, end));
        pos = end;
        const cb = due;
        due = null;
        cb?.(performance.now());
        if (performance.now() >= deadline && pos < text.length) return false;
      }
      r.finish();
      container.replaceChildren(...Array.from(target.childNodes));
      done = true;
      return true;
    },
  };
}
