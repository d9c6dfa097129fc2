// Streamed replies of the local test server that call a tool, in OpenAI's shape (shared by the e2e suites).
import type { Handler } from '../../scripts/server/openai-server';

/** One SSE chunk of a chat completion stream with `delta` for choice 0. */
export function sseDelta(model: string, d: Record<string, unknown>, finish: string | null = null): string {
  const chunk = {
    id: 'chatcmpl-e2e',
    object: 'chat.completion.chunk',
    created: 1700000000,
    model,
    choices: [{ index: 0, delta: d, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A streamed read_file call for `file`, its arguments in fragments, then finish_reason tool_calls. */
export function readFileCall(model: string, file: string): Handler {
  return (_req, res) => {
    const args = JSON.stringify({ path: file });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(
      sseDelta(model, {
        role: 'assistant',
        content: null,
        tool_calls: [{ index: 0, id: 'call_read_1', type: 'function', function: { name: 'read_file', arguments: '' } }],
      }),
    );
    for (let i = 0; i < args.length; i += 6)
      res.write(sseDelta(model, { tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 6) } }] }));
    res.write(sseDelta(model, {}, 'tool_calls'));
    res.end('data: [DONE]\n\n');
  };
}
