// The app's access to the Markdown renderer (src/webview/markdown, owned by the renderer engineer).
export { createStreamingRenderer, renderMarkdown, type StreamingRenderer } from '../markdown/index';

/** Runs `render` once `el` comes near the viewport (restored messages far up the list). */
export function renderWhenVisible(el: HTMLElement, render: () => void): void {
  if (typeof IntersectionObserver === 'undefined') { render(); return; }
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) { io.disconnect(); render(); }
  }, { rootMargin: '800px 0px' });
  io.observe(el);
}
