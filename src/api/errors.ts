// Typed errors of the API client. Every message is a sentence a user can act on and never contains the
// API key (server messages are scrubbed of it before they are stored here). No `vscode` import.
import * as l10n from '@vscode/l10n';

/** What went wrong, as the client classifies it; the chat layer maps each kind to the actions that fix it. */
export type ErrorKind =
  | 'auth' // 401
  | 'permission' // 403
  | 'notFound' // 404: wrong model or URL
  | 'badRequest' // 400, 409, 413, 422
  | 'rateLimit' // 429
  | 'server' // 5xx
  | 'connection' // refused, DNS, TLS, reset
  | 'timeout' // connect / idle / overall deadline, 408
  | 'incomplete' // stream ended without a finish, invalid chunk, oversized line
  | 'streamError' // `data: {"error": …}` inside a 200 stream
  | 'validation' // refused before sending (limits, ranges)
  | 'contextWindow' // the request does not fit the model's context window (refused by the server, or before sending)
  | 'noApiKey'
  | 'noModel'
  | 'aborted'
  | 'unknown';

export interface BudErrorOptions {
  status?: number;
  requestId?: string;
  url?: string;
  serverMessage?: string;
  partialContent?: string;
  /** The error response body (bounded, scrubbed of the key): read for fields beside the message (llama.cpp's n_ctx). */
  body?: string;
  retryable?: boolean;
  cause?: unknown;
}

export class BudError extends Error {
  kind: ErrorKind;
  status?: number;
  requestId?: string;
  url?: string;
  /** The server's own words (JSON `error.message`, or the first line of an HTML / text body). */
  serverMessage?: string;
  /** The answer text that had arrived before the failure (streaming), if any. */
  partialContent?: string;
  /** The error response body (bounded, scrubbed of the key), for 4xx answers. */
  body?: string;
  retryable: boolean;
  /** The system / undici error code of a transport failure (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, …). */
  code?: string;

  constructor(kind: ErrorKind, message: string, opts: BudErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
    this.status = opts.status;
    this.requestId = opts.requestId;
    this.url = opts.url;
    this.serverMessage = opts.serverMessage;
    this.partialContent = opts.partialContent;
    if (opts.body !== undefined) this.body = opts.body;
    this.retryable = opts.retryable ?? false;
    if (opts.cause !== undefined) (this as { cause?: unknown }).cause = opts.cause;
  }
}

/** 401 */
export class AuthenticationError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('auth', message, { status: 401, ...opts });
  }
}
/** 403 */
export class PermissionError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('permission', message, { status: 403, ...opts });
  }
}
/** 404: the model or the URL is wrong. */
export class NotFoundError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('notFound', message, { status: 404, ...opts });
  }
}
/** 400, 409, 413, 422 and other 4xx the request itself caused. */
export class BadRequestError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('badRequest', message, opts);
  }
}
/** 429 */
export class RateLimitError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('rateLimit', message, { status: 429, retryable: true, ...opts });
  }
}
/** 5xx */
export class ServerError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('server', message, { retryable: true, ...opts });
  }
}
/** Refused, reset, DNS, TLS. */
export class ConnectionError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('connection', message, { retryable: true, ...opts });
  }
}
/** Connect / headers timeout, idle stream, overall deadline, 408. */
export class TimeoutError extends BudError {
  /** Which timer fired. */
  phase: 'connect' | 'headers' | 'idle' | 'deadline' | 'server';
  constructor(message: string, phase: TimeoutError['phase'], opts: BudErrorOptions = {}) {
    super('timeout', message, opts);
    this.phase = phase;
  }
}
/** The stream ended (socket closed, no [DONE], no finish_reason) before the answer was complete. */
export class IncompleteResponseError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('incomplete', message, opts);
  }
}
/** The server answered with something that is not the wire format (invalid JSON chunk, oversized line, HTML on 200). */
export class InvalidResponseError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('incomplete', message, opts);
  }
}
/** `data: {"error": …}` inside a 200 stream (or an error object in a 200 JSON body). */
export class StreamError extends BudError {
  constructor(message: string, opts: BudErrorOptions = {}) {
    super('streamError', message, opts);
  }
}
/** The caller's AbortSignal fired (the user pressed Stop). */
export class AbortedError extends BudError {
  constructor(message = l10n.t('Stopped.'), opts: BudErrorOptions = {}) {
    super('aborted', message, opts);
  }
}
/** Refused before sending: a limit or a range. `kind` is 'noModel' for an empty model, else 'validation'. */
export class ValidationError extends BudError {
  /** The parameter at fault, e.g. "temperature" or "messages[3].content". */
  param?: string;
  constructor(message: string, param?: string, kind: 'validation' | 'noModel' | 'noApiKey' = 'validation') {
    super(kind, message, {});
    this.param = param;
  }
}

// The key redaction lives in its own file; this re-export keeps `redact` beside the errors it protects.
export { MIN_REDACTED_SECRET_LENGTH, redact } from './redact';
