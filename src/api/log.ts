// One log line per request attempt. The API key is never part of it (the client redacts URL and error text).
// No `vscode` import.

export interface RequestLogInfo {
  method: string;
  /** Final URL (never carries the key). */
  url: string;
  stream: boolean;
  model?: string;
  /** 1-based attempt number (2 = first retry). */
  attempt: number;
  status?: number;
  durationMs: number;
  requestId?: string;
  /** Set when the attempt failed: the error's message (key-free). */
  error?: string;
  /** Stream chunks received (streams only). */
  chunks?: number;
}

export interface ApiLogger {
  request(info: RequestLogInfo): void;
}

/** One log line for a request, e.g. `POST https://…/v1/chat/completions stream model=x -> 200 in 812 ms (14 chunks) req=abc`. */
export function formatRequestLog(i: RequestLogInfo): string {
  let s = `${i.method} ${i.url}${i.stream ? ' stream' : ''}${i.model ? ` model=${i.model}` : ''}`;
  if (i.attempt > 1) s += ` attempt=${i.attempt}`;
  s += ` -> ${i.status ?? 'no response'} in ${Math.round(i.durationMs)} ms`;
  if (i.chunks !== undefined) s += ` (${i.chunks} chunks)`;
  if (i.requestId) s += ` req=${i.requestId}`;
  if (i.error) s += `: ${i.error}`;
  return s;
}
