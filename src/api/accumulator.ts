// Rebuilds the final assistant message from streamed deltas, as servers really send them. No `vscode` import.
//
// - content / reasoning (`reasoning_content` or `reasoning`) / refusal are concatenated, each on its own.
// - tool calls are merged by `index`: id and name usually in the first piece, `arguments` in fragments, the
//   name possibly late. A piece whose index already holds a call with a different id starts a new call.
// - tool calls that arrive whole in one chunk without `index` (Ollama, Gemini) are taken as new calls; a
//   later index-less piece with only `arguments` continues the last call.
// - `arguments` sent as a JSON object (TGI) is stringified.
// - `finish_reason` is recorded but never used to decide whether there are tool calls (some servers say
//   "stop" after tool calls).
// - usage is taken from whichever chunk carries it (the usage-only last chunk, Groq's `x_groq.usage`, …).
import { TextBuilder } from './text';
import type { ChatCompletionChunk, ChatMessage, ToolCall, ToolCallDelta, Usage } from './types';

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

const NONE = { content: '', reasoning: '' };

function argText(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a === undefined || a === null) return '';
  return JSON.stringify(a);
}

export class ChatAccumulator {
  private readonly _content = new TextBuilder();
  private readonly _reasoning = new TextBuilder();
  private readonly _refusal = new TextBuilder();
  private calls: PendingCall[] = [];
  /** server index -> position in `calls` */
  private byIndex = new Map<number, number>();
  private _finishReason: string | null = null;
  private _usage: Usage | undefined;
  private _role: ChatMessage['role'] = 'assistant';
  /** Characters of tool-call arguments received so far (callers bound memory with it). */
  toolArgChars = 0;
  /** id / model of the stream (from the first chunk that has them). */
  id = '';
  model = '';

  /** Adds one chunk; returns the answer text and reasoning text it added ('' if none). */
  push(chunk: ChatCompletionChunk): { content: string; reasoning: string } {
    if (chunk.usage) this._usage = chunk.usage;
    else {
      const xg = (chunk as { x_groq?: { usage?: Usage } }).x_groq;
      if (xg && xg.usage) this._usage = xg.usage;
    }
    if (!this.id && chunk.id) {
      this.id = chunk.id;
      this.model = chunk.model;
    }
    const choices = chunk.choices;
    if (!choices || choices.length === 0) return NONE;
    let choice = choices[0];
    if (choices.length > 1 || (choice.index !== undefined && choice.index !== 0)) {
      const first = choices.find((c) => (c.index ?? 0) === 0);
      if (!first) return NONE;
      choice = first;
    }
    if (choice.finish_reason) this._finishReason = choice.finish_reason;
    const d = choice.delta;
    if (!d) return NONE;
    let content = '';
    let reasoning = '';
    if (typeof d.content === 'string' && d.content.length > 0) {
      content = d.content;
      this._content.append(content);
    }
    const r = d.reasoning_content ?? d.reasoning;
    if (typeof r === 'string' && r.length > 0) {
      reasoning = r;
      this._reasoning.append(reasoning);
    }
    if (typeof d.refusal === 'string' && d.refusal.length > 0) this._refusal.append(d.refusal);
    if (d.role) this._role = d.role;
    if (d.tool_calls && d.tool_calls.length > 0) for (const tc of d.tool_calls) this.mergeToolCall(tc);
    if (content === '' && reasoning === '') return NONE;
    return { content, reasoning };
  }

  private mergeToolCall(tc: ToolCallDelta): void {
    const fn = tc.function ?? {};
    const name = typeof fn.name === 'string' ? fn.name : '';
    const args = argText(fn.arguments);
    const id = typeof tc.id === 'string' ? tc.id : '';
    let call: PendingCall | undefined;
    if (typeof tc.index === 'number') {
      const pos = this.byIndex.get(tc.index);
      if (pos !== undefined) {
        call = this.calls[pos];
        if (id && call.id && id !== call.id) call = undefined; // same index reused for another call
      }
      if (!call) {
        call = { id: '', name: '', args: '' };
        this.byIndex.set(tc.index, this.calls.length);
        this.calls.push(call);
      }
    } else if (!id && !name && this.calls.length > 0) {
      call = this.calls[this.calls.length - 1]; // an index-less continuation of the last call's arguments
    } else {
      call = { id: '', name: '', args: '' };
      this.calls.push(call);
    }
    if (id && !call.id) call.id = id;
    if (name) {
      if (!call.name) call.name = name;
      else if (call.name !== name) call.name += name; // a name sent in fragments
    }
    if (args) {
      call.args += args;
      this.toolArgChars += args.length;
    }
  }

  get content(): string {
    return this._content.toString();
  }
  get reasoning(): string {
    return this._reasoning.toString();
  }
  get refusal(): string {
    return this._refusal.toString();
  }
  get finishReason(): string | null {
    return this._finishReason;
  }
  get usage(): Usage | undefined {
    return this._usage;
  }

  get toolCalls(): ToolCall[] {
    return this.calls.map((c, i) => ({
      id: c.id || `call_${i}`,
      type: 'function' as const,
      function: { name: c.name, arguments: c.args },
    }));
  }

  /** The final assistant message; `tool_calls` only when there are any. */
  message(): ChatMessage {
    const toolCalls = this.toolCalls;
    const content = this.content;
    const msg: ChatMessage = {
      role: this._role,
      content: content === '' && toolCalls.length > 0 ? null : content,
    };
    if (toolCalls.length > 0) msg.tool_calls = toolCalls;
    const reasoning = this.reasoning;
    if (reasoning) msg.reasoning_content = reasoning;
    const refusal = this.refusal;
    if (refusal) msg.refusal = refusal;
    return msg;
  }
}
