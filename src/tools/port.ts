// The port between the tool loop (src/chat/turn.ts) and the tools that serve it: the workspace tools, the
// plain-filesystem tools of the tests, and any other source of tools. Types only; no `vscode`.
import type { FunctionTool, ToolCall } from '../api/types';

/** What one tool call returns: the text the model reads, a one-line summary the user sees, and whether it failed. */
export interface ToolResult {
  content: string;
  summary: string;
  isError: boolean;
}

export interface ToolExecutor {
  /** The OpenAI `tools` array. */
  definitions(): FunctionTool[];
  execute(call: ToolCall, signal: AbortSignal): Promise<ToolResult>;
  /** Where a tool comes from, for tools that are not Bud's own (shown on the call row). */
  sourceOf?(name: string): string | undefined;
}
