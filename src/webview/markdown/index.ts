// Public API of the Markdown renderer used by the webview app (see CONTRACTS.md).
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
