// The app's access to the Markdown renderer (src/webview/markdown, owned by the renderer engineer).
export {
  createStreamingRenderer,
  renderMarkdown,
  renderMarkdownSliced,
  type SlicedRender,
  type StreamingRenderer,
} from '../markdown/index';
