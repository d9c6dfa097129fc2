// Wire types of the OpenAI-compatible Chat Completions API that the Bud gateway serves.
// No `vscode` import anywhere under src/api.

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface FunctionCall {
  name: string;
  /** A JSON string (servers that send an object have it stringified by the accumulator). */
  arguments: string;
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: FunctionCall;
}

export interface ChatMessage {
  role: Role;
  content: string | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: ToolCall[];
  /** Some servers return reasoning beside the answer; never sent back. */
  reasoning_content?: string;
  refusal?: string | null;
}

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ChatCompletionParams {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string | string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  user?: string;
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | (string & {});

export interface ChatCompletionChoice {
  index: number;
  message: ChatMessage;
  finish_reason: FinishReason | null;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
}

export interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string | Record<string, unknown> };
}

export interface ChatCompletionDelta {
  role?: Role;
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[] | null;
}

export interface ChatCompletionChunkChoice {
  index: number;
  delta: ChatCompletionDelta;
  finish_reason: FinishReason | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatCompletionChunkChoice[];
  usage?: Usage | null;
}

/** A `/v1/models` entry, kept whole: servers state limits in fields of their own (see src/context/modelInfo.ts). */
export interface Model {
  id: string;
  object?: 'model';
  created?: number;
  owned_by?: string;
  [field: string]: unknown;
}

/** Told to the caller before each retry, so the UI can say "retrying in 4 s". */
export interface RetryEvent {
  attempt: number; // 1-based number of the retry about to happen
  maxRetries: number;
  delayMs: number;
  reason: string; // e.g. "429 Too Many Requests" or "connection refused"
}

export interface RequestOptions {
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
}
