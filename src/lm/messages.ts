// VS Code's language-model messages -> OpenAI Chat Completions messages, on plain data. Pure: no `vscode` import;
// src/lm/parts.ts turns VS Code's part objects into the shapes below.
//
// Rules this file keeps (each has a unit test, the sequence rule a property test):
// - tool-call ids map deterministically both ways: an id that OpenAI-compatible servers accept is kept as it is,
//   any other becomes `call_<hash of it>` — in the assistant's `tool_calls` and in the `tool` message alike — so
//   a history reloaded tomorrow sends the same ids it sent today;
// - every assistant `tool_calls` entry is followed by exactly one `tool` message with its id before anything else
//   (a result VS Code lost becomes a stated "no result" message; a result whose call is not in the history
//   becomes user text), so the request is valid whatever the history holds;
// - nothing the caller sent is dropped silently: parts the model cannot take are replaced by a short note.
import type { ChatMessage, FunctionTool, ToolCall, ToolChoice } from '../api/types';

/** Content pieces that can appear in a message or in a tool result. */
export type LmContentPart =
  | { kind: 'text'; value: string }
  /** Bytes with a MIME type; `text` when they are text (text/*, JSON). */
  | { kind: 'data'; mimeType: string; byteLength: number; text?: string }
  /** A prompt-tsx part, as its JSON value. */
  | { kind: 'tsx'; value: unknown }
  /** Anything else, described in one line. */
  | { kind: 'other'; description: string };

export type LmPart =
  | LmContentPart
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; content: LmContentPart[] };

export type LmRole = 'user' | 'assistant' | 'system';

export interface LmMessage {
  role: LmRole;
  name?: string;
  parts: LmPart[];
}

/** A tool as VS Code offers it to the model. */
export interface LmTool {
  name: string;
  description: string;
  inputSchema?: unknown;
}

/** MIME types that carry provider hints rather than content (prompt caching markers): not content, not sent. */
const HINT_MIME_TYPES = new Set(['cache_control', 'stateful_marker']);

/** Ids and names servers accept everywhere (OpenAI's own rule for function names, and the strictest id rule seen). */
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** FNV-1a, 32 bit, as 8 hex digits: a stable short digest (not for security). */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The OpenAI `tool_call_id` for a VS Code `callId` (the same one every time). */
export function toOpenAiCallId(callId: string): string {
  return SAFE_ID.test(callId) ? callId : `call_${shortHash(callId)}${shortHash(`${callId}\u0000`)}`;
}

/** The function name sent for a tool name: kept when valid, else made valid and made unique by a hash of it. */
export function toOpenAiToolName(name: string): string {
  if (SAFE_ID.test(name)) return name;
  const base = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 55) || 'tool';
  return `${base}_${shortHash(name)}`;
}

/** Maps the function names the model answers with back to the tool names the caller offered. */
export class ToolNames {
  private readonly back = new Map<string, string>();

  constructor(tools: readonly LmTool[]) {
    for (const t of tools) this.back.set(toOpenAiToolName(t.name), t.name);
  }

  /** The caller's tool name for a function name (unchanged when it was not renamed). */
  original(functionName: string): string {
    return this.back.get(functionName) ?? functionName;
  }
}

/** The text of a prompt-tsx JSON tree: its text nodes in document order. */
export function promptTsxText(value: unknown): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64 || v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    for (const key of ['node', 'children', 'value']) if (key in o) walk(o[key], depth + 1);
  };
  walk(value, 0);
  return out.join('');
}

/** One content piece as text for the model ('' for provider hints). */
export function contentText(part: LmContentPart): string {
  switch (part.kind) {
    case 'text':
      return part.value;
    case 'tsx':
      return promptTsxText(part.value);
    case 'data':
      if (HINT_MIME_TYPES.has(part.mimeType)) return '';
      if (part.text !== undefined) return part.text;
      return `[${part.mimeType} data (${part.byteLength} bytes) not sent: this model takes text only]`;
    case 'other':
      return `[${part.description} not sent: this model takes text only]`;
  }
}

const joinText = (parts: readonly LmContentPart[]) => parts.map(contentText).join('');

/** `arguments` for a call's input: the JSON the model (or the caller) gave, always an object. */
function argumentsText(input: unknown): string {
  if (input === undefined || input === null) return '{}';
  return JSON.stringify(input) ?? '{}';
}

const MISSING_RESULT = 'No result was recorded for this tool call (the conversation does not include it).';

/** The OpenAI messages for a VS Code request (see the rules at the top of this file). */
export function toOpenAiMessages(messages: readonly LmMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  /** Ids of the last assistant message's calls that have no `tool` message yet, in call order. */
  let open: string[] = [];

  const closeOpenCalls = () => {
    for (const id of open) out.push({ role: 'tool', tool_call_id: id, content: MISSING_RESULT });
    open = [];
  };

  for (const m of messages) {
    if (m.role === 'assistant') {
      closeOpenCalls();
      const text = m.parts.filter((p): p is LmContentPart => p.kind !== 'toolCall' && p.kind !== 'toolResult');
      const calls: ToolCall[] = [];
      for (const p of m.parts) {
        if (p.kind !== 'toolCall') continue;
        calls.push({
          id: toOpenAiCallId(p.callId),
          type: 'function',
          function: { name: toOpenAiToolName(p.name), arguments: argumentsText(p.input) },
        });
      }
      const content = joinText(text);
      // Results given back inside an assistant message (not VS Code's convention) still reach the model as text.
      const stray = m.parts.filter((p) => p.kind === 'toolResult');
      const strayText = stray.map((p) => resultAsText(p)).join('\n\n');
      const all = [content, strayText].filter(Boolean).join('\n\n');
      if (!all && calls.length === 0) continue;
      const msg: ChatMessage = { role: 'assistant', content: all || (calls.length ? null : '') };
      if (m.name) msg.name = m.name;
      if (calls.length) {
        msg.tool_calls = calls;
        open = calls.map((c) => c.id);
      }
      out.push(msg);
      continue;
    }

    // user and system messages: tool results first (they answer the calls just made), then the text.
    const results = m.parts.filter((p) => p.kind === 'toolResult');
    const orphans: string[] = [];
    for (const r of results) {
      const id = toOpenAiCallId(r.callId);
      const at = open.indexOf(id);
      if (at >= 0) {
        // Keep the calls' order: any call before this one that has no result gets the stated "no result".
        for (const missing of open.slice(0, at))
          out.push({ role: 'tool', tool_call_id: missing, content: MISSING_RESULT });
        out.push({ role: 'tool', tool_call_id: id, content: joinText(r.content) });
        open = open.slice(at + 1);
      } else {
        orphans.push(resultAsText(r));
      }
    }
    const text = joinText(m.parts.filter((p): p is LmContentPart => p.kind !== 'toolCall' && p.kind !== 'toolResult'));
    // Calls inside a user message (not VS Code's convention) are described, so the model still sees them.
    const strayCalls = m.parts
      .filter((p) => p.kind === 'toolCall')
      .map((p) => `[The assistant called ${p.name} with ${argumentsText(p.input)}]`);
    const content = [...orphans, ...strayCalls, text].filter(Boolean).join('\n\n');
    if (!content) continue;
    closeOpenCalls();
    const role = m.role === 'system' ? 'system' : 'user';
    const msg: ChatMessage = { role, content };
    if (m.name && role === 'user') msg.name = m.name;
    out.push(msg);
  }
  closeOpenCalls();
  return out;
}

function resultAsText(r: { callId: string; content: LmContentPart[] }): string {
  return `Result of tool call ${r.callId}:\n${joinText(r.content)}`;
}

/** The OpenAI `tools` for the tools VS Code offers (a missing schema becomes an empty object schema). */
export function toFunctionTools(tools: readonly LmTool[]): FunctionTool[] {
  return tools.map((t) => {
    const schema =
      t.inputSchema && typeof t.inputSchema === 'object' && !Array.isArray(t.inputSchema)
        ? (t.inputSchema as Record<string, unknown>)
        : { type: 'object', properties: {} };
    return {
      type: 'function',
      function: { name: toOpenAiToolName(t.name), description: t.description, parameters: schema },
    };
  });
}

/** `tool_choice` for VS Code's tool mode: Required -> "required"; Auto sends nothing (the servers' default). */
export function toToolChoice(mode: 'auto' | 'required', toolCount: number): ToolChoice | undefined {
  return mode === 'required' && toolCount > 0 ? 'required' : undefined;
}
