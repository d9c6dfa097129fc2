// Request bodies and the cleaning of responses from lenient servers. No `vscode` import.
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionParams, ChatMessage, ToolCall } from './types';

/** Turns a whole (non-streamed) completion into chunks, for servers that ignore `stream: true`. */
export function completionToChunks(c: ChatCompletion): ChatCompletionChunk[] {
  const out: ChatCompletionChunk[] = [];
  for (const choice of c.choices ?? []) {
    const m = choice.message ?? ({} as ChatMessage);
    out.push({
      id: c.id,
      object: 'chat.completion.chunk',
      created: c.created,
      model: c.model,
      choices: [
        {
          index: choice.index ?? 0,
          delta: {
            role: m.role ?? 'assistant',
            content: m.content ?? undefined,
            ...(m.reasoning_content ? { reasoning_content: m.reasoning_content } : {}),
            ...(m.refusal ? { refusal: m.refusal } : {}),
            ...(m.tool_calls?.length
              ? {
                  tool_calls: m.tool_calls.map((t, index) => ({
                    index,
                    id: t.id,
                    type: 'function' as const,
                    function: { name: t.function.name, arguments: t.function.arguments },
                  })),
                }
              : {}),
          },
          finish_reason: choice.finish_reason ?? 'stop',
        },
      ],
    });
  }
  if (c.usage)
    out.push({
      id: c.id,
      object: 'chat.completion.chunk',
      created: c.created,
      model: c.model,
      choices: [],
      usage: c.usage,
    });
  return out;
}

/** Cleans a completion from a lenient server: object arguments stringified, `reasoning` as `reasoning_content`. */
export function normaliseCompletion(c: ChatCompletion): ChatCompletion {
  if (!Array.isArray(c.choices)) c.choices = [];
  for (const ch of c.choices) {
    const m = (ch.message ?? (ch.message = { role: 'assistant', content: null })) as ChatMessage & {
      reasoning?: string;
    };
    if (m.content === undefined) m.content = null;
    if (!m.reasoning_content && typeof m.reasoning === 'string' && m.reasoning) m.reasoning_content = m.reasoning;
    if (Array.isArray(m.tool_calls)) {
      m.tool_calls = m.tool_calls.map((t: ToolCall, i: number) => ({
        id: t.id || `call_${i}`,
        type: 'function',
        function: {
          name: t.function?.name ?? '',
          arguments:
            typeof t.function?.arguments === 'string'
              ? t.function.arguments
              : JSON.stringify(t.function?.arguments ?? {}),
        },
      }));
      if (m.tool_calls.length === 0) delete m.tool_calls;
    }
  }
  return c;
}

const OPTIONAL_PARAMS = [
  'temperature',
  'top_p',
  'max_tokens',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'user',
  'tools',
  'tool_choice',
] as const;

/** Only what the wire format carries: reasoning_content / refusal are never sent back. */
function wireMessage(m: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.role, content: m.content ?? null };
  if (m.name !== undefined) out.name = m.name;
  if (m.tool_call_id !== undefined) out.tool_call_id = m.tool_call_id;
  if (m.tool_calls && m.tool_calls.length > 0) out.tool_calls = m.tool_calls;
  return out;
}

/** The JSON body sent for `params`: unset optional parameters are left out. */
export function buildRequestBody(
  p: ChatCompletionParams,
  stream: boolean,
  includeUsage: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: p.model, messages: p.messages.map(wireMessage), stream };
  for (const k of OPTIONAL_PARAMS) {
    const v = p[k];
    if (v !== undefined && v !== null) body[k] = v;
  }
  if (stream && includeUsage) body.stream_options = { include_usage: true };
  return body;
}
