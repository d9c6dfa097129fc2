// Typed errors from HTTP statuses and from transport failures (refused, DNS, TLS, timeouts, aborts), with
// messages a user can act on. Server text is scrubbed of the API key. No `vscode` import.
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Why } from './attempt';
import {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  BudError,
  ConnectionError,
  IncompleteResponseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  redact,
  ServerError,
  TimeoutError,
} from './errors';
import { isRetryableStatus, parseRetryAfter, shouldRetryHeader } from './retry';
import { serverMessageFromBody } from './serverMessage';

export interface StatusContext {
  url: string;
  requestId?: string;
  model?: string;
  apiKey: string;
  retryAfterCapMs: number;
}

export interface TransportContext {
  url: string;
  requestId?: string;
  /** No response byte had arrived yet. */
  beforeBody: boolean;
  partialContent?: string;
  apiKey: string;
  timeouts: { totalMs: number; connectMs: number; idleMs: number; headersMs: number };
}

export const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function errCode(e: unknown): string | undefined {
  const o = e as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const c = o?.code ?? o?.cause?.code;
  return typeof c === 'string' ? c : undefined;
}

export const TLS_CODES = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

export function headerValue(h: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export function errorForStatus(
  res: Pick<Dispatcher.ResponseData, 'statusCode' | 'headers'>,
  body: string,
  ctx: StatusContext,
): BudError {
  const { url, requestId, model } = ctx;
  const status = res.statusCode;
  // Scrubbed before the message is picked and cut to length (so no part of a key survives the cut), and after
  // (decoding the body may have revealed one more form).
  const sm0 = serverMessageFromBody(redact(body, ctx.apiKey), headerValue(res.headers, 'content-type') ?? '');
  const sm = sm0 !== undefined ? redact(sm0, ctx.apiKey) : undefined;
  const said = sm ? ` The server said: "${sm}".` : '';
  const rid = requestId ? ` (request id ${requestId})` : '';
  // A 4xx body is kept (bounded) for readers of fields beside the message, such as a context refusal's numbers.
  const kept = status >= 400 && status < 500 && body ? { body: redact(body.slice(0, 16_384), ctx.apiKey) } : {};
  const o = { status, url, requestId, serverMessage: sm, ...kept };
  const statusText = `${status}${STATUS_CODES[status] ? ' ' + STATUS_CODES[status] : ''}`;
  let err: BudError;
  if (status === 401) err = new AuthenticationError(`Authentication failed (401): check your API key.${said}${rid}`, o);
  else if (status === 403)
    err = new PermissionError(
      `Access denied (403): your API key is not allowed to use ${model ? `the model "${model}"` : 'this resource'}.${said}${rid}`,
      o,
    );
  else if (status === 404)
    err = new NotFoundError(
      `Not found (404) at ${url}: the model${model ? ` "${model}"` : ''} or the base URL is wrong.${said}${rid}`,
      o,
    );
  else if (status === 408)
    err = new TimeoutError(`The server timed out waiting for the request (408).${said}${rid}`, 'server', {
      ...o,
      retryable: true,
    });
  else if (status === 409)
    err = new BadRequestError(`The server reported a conflict (409).${said}${rid}`, { ...o, retryable: true });
  else if (status === 413)
    err = new BadRequestError(
      `The request is too large for the server (413): start a new chat or attach less code.${said}${rid}`,
      o,
    );
  else if (status === 422) err = new BadRequestError(`The server could not process the request (422).${said}${rid}`, o);
  else if (status === 429)
    err = new RateLimitError(
      `Rate limited (429): too many requests or tokens right now; wait a moment and retry.${said}${rid}`,
      o,
    );
  else if (status >= 500) err = new ServerError(`The server had an error (${statusText}).${said}${rid}`, o);
  else if (status >= 300 && status < 400) {
    const loc = headerValue(res.headers, 'location');
    err = new BadRequestError(
      `The server redirected (${status})${loc ? ` to ${loc}` : ''}; set the base URL to the final address.${rid}`,
      o,
    );
  } else if (status >= 400)
    err = new BadRequestError(`The server rejected the request (${statusText}).${said}${rid}`, o);
  else err = new BudError('unknown', `Unexpected answer from the server (${statusText}).${said}${rid}`, o);
  err.message = redact(err.message, ctx.apiKey); // the request id and Location header are server text too
  const verdict = shouldRetryHeader(res.headers);
  err.retryable = verdict ?? isRetryableStatus(status);
  if (parseRetryAfter(res.headers, ctx.retryAfterCapMs) !== undefined) retryHeaders.set(err, res.headers);
  return err;
}

/** Maps an undici / abort error to a typed error. `beforeBody`: no response byte had arrived yet. */
export function errorForTransport(e: unknown, why: Why | undefined, ctx: TransportContext): BudError {
  const { url, requestId, beforeBody, partialContent, timeouts } = ctx;
  if (e instanceof BudError) return e;
  const partial = partialContent || undefined;
  const kept = partial ? ' The partial answer was kept.' : '';
  const o = { url, requestId, partialContent: partial, cause: e };
  if (why === 'user') return new AbortedError(partial ? 'Stopped. The partial answer was kept.' : 'Stopped.', o);
  if (why === 'idle')
    return new TimeoutError(
      `The answer stalled: no data from the server for ${secs(timeouts.idleMs)}.${kept}`,
      'idle',
      o,
    );
  if (why === 'deadline') {
    return beforeBody
      ? new TimeoutError(`No answer from ${url} within ${secs(timeouts.totalMs)} (request timeout).`, 'deadline', {
          ...o,
          retryable: true,
        })
      : new TimeoutError(`The request took longer than its time limit and was stopped.${kept}`, 'deadline', o);
  }
  const code = errCode(e) ?? '';
  const origin = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const detail = redact(e instanceof Error ? e.message : String(e), ctx.apiKey);
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new TimeoutError(
      `Could not connect to ${origin} within ${secs(timeouts.connectMs)}. Check the base URL and your network.`,
      'connect',
      { ...o, retryable: true },
    );
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new TimeoutError(
      `No answer from ${url} within ${secs(timeouts.headersMs)} (the server accepted the connection but sent nothing).`,
      'headers',
      { ...o, retryable: true },
    );
  let err: ConnectionError;
  if (code === 'ECONNREFUSED')
    err = new ConnectionError(
      `Could not connect to ${origin}: connection refused. Check the base URL and that the server is running.`,
      o,
    );
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    err = new ConnectionError(
      `Could not find the host ${origin} (DNS lookup failed). Check the base URL and your network.`,
      o,
    );
  else if (TLS_CODES.test(code))
    err = new ConnectionError(
      `The secure (TLS) connection to ${origin} failed: ${code}. Check the gateway certificate; for a self-signed gateway set verify_ssl = false in ~/.bud/config.toml.`,
      { ...o, retryable: false },
    );
  else if (beforeBody)
    err = new ConnectionError(`The connection to ${origin} failed${code ? ` (${code})` : ''}: ${detail}.`, o);
  else
    err = new IncompleteResponseError(
      `The response ended before it was complete (connection closed mid-answer).${kept}`,
      { ...o, retryable: false },
    );
  err.code = code || undefined;
  return err;
}

/** The headers of a failed response, kept for its Retry-After when the error is retried. */
export const retryHeaders = new WeakMap<BudError, Record<string, string | string[] | undefined>>();

/** A few words for the retry notice: "429 Too Many Requests", "connection refused", "timeout (headers)". */
export function shortReason(e: BudError): string {
  if (e.status) return `${e.status}${STATUS_CODES[e.status] ? ' ' + STATUS_CODES[e.status] : ''}`;
  if (e instanceof TimeoutError) return `timeout (${e.phase})`;
  const code = e.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'DNS lookup failed';
  return 'connection failed';
}
