// Browser entry for the renderer tests and the render benchmark: exposes the real renderer and the naive
// baseline (marked + DOMPurify + innerHTML of the whole text on every update) on `window.budTest`.
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { Lexer } from 'marked';
import { createStreamingRenderer, renderMarkdown, renderMarkdownSliced } from '../../../src/webview-app/markdown/index';
import { lex } from '../../../src/webview-app/markdown/render';
import { IncrementalRenderer } from '../../../src/webview-app/markdown/streaming';

/** The usual way: parse and sanitise the whole answer on every update. */
function renderNaive(container: HTMLElement, text: string): void {
  container.innerHTML = DOMPurify.sanitize(marked.parse(text, { async: false }), { USE_PROFILES: { html: true } });
}

/** A renderer whose frames are driven by the caller (`flush()`), for deterministic tests. */
function createManualRenderer(container: HTMLElement): { r: IncrementalRenderer; flush(): boolean } {
  let pending: (() => void) | null = null;
  const r = new IncrementalRenderer(container, {
    schedule: (cb: FrameRequestCallback) => {
      pending = () => cb(performance.now());
      return 1;
    },
    cancel: () => {
      pending = null;
    },
    adaptive: false,
  });
  return {
    r,
    flush(): boolean {
      const p = pending;
      pending = null;
      if (p) p();
      return !!p;
    },
  };
}

/** Tokens from the renderer's budgeted lexer and from marked's own `Lexer.lex` (same options), as JSON. */
function lexBoth(src: string): { ours: string; marked: string } {
  return {
    ours: JSON.stringify(lex(src, Object.create(null)).tokens),
    marked: JSON.stringify(new Lexer({ gfm: true, breaks: false }).lex(src)),
  };
}

const api = {
  lexBoth,
  createStreamingRenderer,
  renderMarkdown,
  renderMarkdownSliced,
  renderNaive,
  createManualRenderer,
  IncrementalRenderer,
};
export type BudTestApi = typeof api;
(window as unknown as { budTest: BudTestApi }).budTest = api;
