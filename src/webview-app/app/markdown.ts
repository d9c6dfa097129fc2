// The app's access to the Markdown renderer (src/webview-app/markdown).
export {
  createStreamingRenderer,
  renderMarkdown,
  renderMarkdownSliced,
  type SlicedRender,
  type StreamingRenderer,
} from '../markdown/index';
