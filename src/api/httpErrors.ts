// Typed errors from HTTP statuses and from transport failures (refused, DNS, TLS, timeouts, aborts), with
// messages a user can act on. Server text is scrubbed of the API key. No `vscode` import.
import * as l10n from '@vscode/l10n';
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
  const said = sm ? ' ' + l10n.t('The server said: "{0}".', sm) : '';
  const rid = requestId ? ' ' + l10n.t('(request id {0})', requestId) : '';
  // A 4xx body is kept (bounded) for readers of fields beside the message, such as a context refusal's numbers.
  const kept = status >= 400 && status < 500 && body ? { body: redact(body.slice(0, 16_384), ctx.apiKey) } : {};
  const o = { status, url, requestId, serverMessage: sm, ...kept };
  const statusText = `${status}${STATUS_CODES[status] ? ' ' + STATUS_CODES[status] : ''}`;
  let err: BudError;
  if (status === 401)
    err = new AuthenticationError(l10n.t('Authentication failed (401): check your API key.') + said + rid, o);
  else if (status === 403)
    err = new PermissionError(
      (model
        ? l10n.t('Access denied (403): your API key is not allowed to use the model "{0}".', model)
        : l10n.t('Access denied (403): your API key is not allowed to use this resource.')) +
        said +
        rid,
      o,
    );
  else if (status === 404)
    err = new NotFoundError(
      (model
        ? l10n.t('Not found (404) at {0}: the model "{1}" or the base URL is wrong.', url, model)
        : l10n.t('Not found (404) at {0}: the model or the base URL is wrong.', url)) +
        said +
        rid,
      o,
    );
  else if (status === 408)
    err = new TimeoutError(l10n.t('The server timed out waiting for the request (408).') + said + rid, 'server', {
      ...o,
      retryable: true,
    });
  else if (status === 409)
    err = new BadRequestError(l10n.t('The server reported a conflict (409).') + said + rid, { ...o, retryable: true });
  else if (status === 413)
    err = new BadRequestError(
      l10n.t('The request is too large for the server (413): start a new chat or attach less code.') + said + rid,
      o,
    );
  else if (status === 422)
    err = new BadRequestError(l10n.t('The server could not process the request (422).') + said + rid, o);
  else if (status === 429)
    err = new RateLimitError(
      l10n.t('Rate limited (429): too many requests or tokens right now; wait a moment and retry.') + said + rid,
      o,
    );
  else if (status >= 500) err = new ServerError(l10n.t('The server had an error ({0}).', statusText) + said + rid, o);
  else if (status >= 300 && status < 400) {
    const loc = headerValue(res.headers, 'location');
    err = new BadRequestError(
      (loc
        ? l10n.t('The server redirected ({0}) to {1}; set the base URL to the final address.', status, loc)
        : l10n.t('The server redirected ({0}); set the base URL to the final address.', status)) + rid,
      o,
    );
  } else if (status >= 400)
    err = new BadRequestError(l10n.t('The server rejected the request ({0}).', statusText) + said + rid, o);
  else err = new BudError('unknown', l10n.t('Unexpected answer from the server ({0}).', statusText) + said + rid, o);
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
  const kept = partial ? ' ' + l10n.t('The partial answer was kept.') : '';
  const o = { url, requestId, partialContent: partial, cause: e };
  if (why === 'user')
    return new AbortedError(partial ? l10n.t('Stopped. The partial answer was kept.') : l10n.t('Stopped.'), o);
  if (why === 'idle')
    return new TimeoutError(
      l10n.t('The answer stalled: no data from the server for {0}.', secs(timeouts.idleMs)) + kept,
      'idle',
      o,
    );
  if (why === 'deadline') {
    return beforeBody
      ? new TimeoutError(
          l10n.t('No answer from {0} within {1} (request timeout).', url, secs(timeouts.totalMs)),
          'deadline',
          {
            ...o,
            retryable: true,
          },
        )
      : new TimeoutError(l10n.t('The request took longer than its time limit and was stopped.') + kept, 'deadline', o);
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
      l10n.t(
        'Could not connect to {0} within {1}. Check the base URL and your network.',
        origin,
        secs(timeouts.connectMs),
      ),
      'connect',
      { ...o, retryable: true },
    );
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new TimeoutError(
      l10n.t(
        'No answer from {0} within {1} (the server accepted the connection but sent nothing).',
        url,
        secs(timeouts.headersMs),
      ),
      'headers',
      { ...o, retryable: true },
    );
  let err: ConnectionError;
  if (code === 'ECONNREFUSED')
    err = new ConnectionError(
      l10n.t(
        'Could not connect to {0}: connection refused. Check the base URL and that the server is running.',
        origin,
      ),
      o,
    );
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    err = new ConnectionError(
      l10n.t('Could not find the host {0} (DNS lookup failed). Check the base URL and your network.', origin),
      o,
    );
  else if (TLS_CODES.test(code))
    err = new ConnectionError(
      l10n.t(
        'The secure (TLS) connection to {0} failed: {1}. Check the gateway certificate; for a self-signed gateway set verify_ssl = false in ~/.bud/config.toml.',
        origin,
        code,
      ),
      { ...o, retryable: false },
    );
  else if (beforeBody)
    err = new ConnectionError(
      code
        ? l10n.t('The connection to {0} failed ({1}): {2}.', origin, code, detail)
        : l10n.t('The connection to {0} failed: {1}.', origin, detail),
      o,
    );
  else
    err = new IncompleteResponseError(
      l10n.t('The response ended before it was complete (connection closed mid-answer).') + kept,
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
  if (e instanceof TimeoutError) return l10n.t('timeout ({0})', e.phase);
  const code = e.code;
  if (code === 'ECONNREFUSED') return l10n.t('connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return l10n.t('DNS lookup failed');
  return l10n.t('connection failed');
}
