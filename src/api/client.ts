// The Bud / OpenAI-compatible Chat Completions client, over undici. No `vscode` import.
//
//   const client = new BudClient({ baseUrl, apiKey });
//   for await (const chunk of client.streamChatCompletion(params, { signal, onRetry })) acc.push(chunk);
//
// Timeouts: `connectTimeoutMs` (TCP/TLS connect, and the response headers of model lists),
// `timeoutMs` (overall deadline of a non-streaming request; for a stream, the deadline for its headers and
// first byte, so a slow first token or a local server loading its model is not cut at 15 s),
// `idleTimeoutMs` (no byte while streaming), `streamDeadlineMs` (a whole stream). Each attempt has its own.
// Retries: 408/409/429/5xx and connection failures, only before the first byte of a stream.
import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { AttemptControl } from './attempt';
import { buildRequestBody, normaliseCompletion } from './body';
import { AbortedError, BadRequestError, BudError, InvalidResponseError, redact, ValidationError } from './errors';
import { errorForStatus, errorForTransport, headerValue, retryHeaders, shortReason } from './httpErrors';
import type { ApiLogger, RequestLogInfo } from './log';
import { abortableSleep, DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry';
import { serverMessageFromBody } from './serverMessage';
import { DEFAULT_MAX_LINE_BYTES } from './sse';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionParams,
  Model,
  RequestOptions,
  RetryEvent,
} from './types';
import { normaliseBaseUrl } from './url';
import { validateParams } from './validate';
import { preview, readBounded, throwIfErrorBody } from './responseBody';
import { readStreamedResponse, type Sent, type StreamReading } from './streamResponse';

/**
 * undici, loaded at the first client made rather than when the extension loads: it is most of the bundle,
 * and evaluating it at startup would cost most of the activation time. esbuild bundles it as a wrapped
 * module that runs on this first call.
 */
let undiciModule: typeof import('undici') | undefined;
function undici(): typeof import('undici') {
  undiciModule ??= require('undici') as typeof import('undici');
  return undiciModule;
}

export { buildRequestBody } from './body';
export { formatRequestLog, type ApiLogger, type RequestLogInfo } from './log';

export interface ClientConfig {
  /** With or without /v1, trailing slash, or the whole /chat/completions URL: normalised. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged, scrubbed from server messages. '' sends no header. */
  apiKey: string;
  /** Overall deadline of a non-streaming request; for a stream, until its first byte (default 60 s). */
  timeoutMs?: number;
  /** TCP/TLS connect, and the headers of model-list requests (default 15 s). */
  connectTimeoutMs?: number;
  /** No byte while streaming for this long ends the stream (default 30 s). */
  idleTimeoutMs?: number;
  /** Deadline of a whole stream once its first byte arrived (default 15 min). */
  streamDeadlineMs?: number;
  maxRetries?: number;
  userAgent?: string;
  logger?: ApiLogger;
  dispatcher?: Dispatcher;
  /** false accepts self-signed certificates (`verify_ssl = false` in ~/.bud/config.toml). Ignored with `dispatcher`. */
  verifySsl?: boolean;
  /** Backoff tuning (defaults as in the SDK: 500 ms doubling to 8 s, jitter 25 %, Retry-After capped at 60 s). */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  retryAfterCapMs?: number;
  /** Replaces the wait between retries (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Longest SSE line / event accepted (default 8 MB). */
  maxLineBytes?: number;
  /**
   * A 400 to a stream is asked once more without `stream_options` (some servers refuse that field), unless this
   * says the 400 is about something else: a context refusal would only be refused twice (see src/context).
   */
  isUnrelated400?: (err: BudError) => boolean;
  /** Largest non-streaming response body accepted (default 64 MB). */
  maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_STREAM_DEADLINE_MS = 15 * 60_000;
export const DEFAULT_USER_AGENT = 'bud-chat-vscode/0.1.0';

const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * Base URLs whose server refused `stream_options` with a 400 and then answered without it: remembered for the
 * life of the process (not just of one client), so a host that makes a client per request asks only once.
 */
const refusesStreamOptions = new Set<string>();

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  stream: boolean;
  model?: string;
  /** Deadline of the attempt until its headers (and for non-streams, the whole body). */
  deadlineMs: number;
  headersTimeoutMs: number;
}

interface RetryState {
  retriesDone: number;
}

export class BudClient {
  /** Final normalised URL including /v1, e.g. https://gateway.bud.studio/v1. */
  readonly baseUrl: string;
  private readonly urlError?: string;
  private readonly apiKey: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly streamDeadlineMs: number;
  private readonly maxLineBytes: number;
  private readonly maxResponseBytes: number;
  private readonly userAgent: string;
  private readonly logger?: ApiLogger;
  private readonly isUnrelated400?: (err: BudError) => boolean;
  /** Requests running (with their retries), and whether close() waits for them to end. */
  private active = 0;
  private closeWhenIdle = false;

  constructor(config: ClientConfig) {
    const n = normaliseBaseUrl(config.baseUrl);
    this.baseUrl = n.url;
    this.urlError = n.error;
    this.apiKey = (config.apiKey ?? '').trim();
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.connectTimeoutMs = config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.idleTimeoutMs = config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.streamDeadlineMs = config.streamDeadlineMs ?? DEFAULT_STREAM_DEADLINE_MS;
    this.maxLineBytes = config.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxResponseBytes = config.maxResponseBytes ?? 64 * 1024 * 1024;
    this.userAgent = config.userAgent ?? DEFAULT_USER_AGENT;
    this.logger = config.logger;
    this.isUnrelated400 = config.isUnrelated400;
    this.policy = {
      maxRetries: Math.max(0, Math.floor(config.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries)),
      baseDelayMs: config.retryBaseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: config.retryMaxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
      retryAfterCapMs: config.retryAfterCapMs ?? DEFAULT_RETRY_POLICY.retryAfterCapMs,
      random: config.random ?? Math.random,
    };
    this.sleep = config.sleep ?? abortableSleep;
    if (config.dispatcher) {
      this.dispatcher = config.dispatcher;
      this.ownsDispatcher = false;
    } else {
      this.dispatcher = new (undici().Agent)({
        connect: { timeout: this.connectTimeoutMs, rejectUnauthorized: config.verifySsl !== false },
        keepAliveTimeout: 10_000,
      });
      this.ownsDispatcher = true;
    }
  }

  /** Whether streams still ask for `stream_options.include_usage` (false after the server refused it). */
  get streamUsageSupported(): boolean {
    return !refusesStreamOptions.has(this.baseUrl);
  }

  /**
   * Closes pooled connections (only the client's own dispatcher) once no request of this client is running: a client
   * replaced mid-request (settings changed) lets that request and its retries finish on it instead of failing them.
   */
  async close(): Promise<void> {
    this.closeWhenIdle = true;
    if (this.active === 0) await this.closeDispatcher();
  }

  private async closeDispatcher(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close().catch(() => undefined);
  }

  /** Marks a request (with its retries) as running until the returned function is called. */
  private hold(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.active === 0 && this.closeWhenIdle) void this.closeDispatcher();
    };
  }

  async createChatCompletion(params: ChatCompletionParams, opts: RequestOptions = {}): Promise<ChatCompletion> {
    validateParams(params);
    const spec: RequestSpec = {
      method: 'POST',
      path: '/chat/completions',
      body: buildRequestBody(params, false, false),
      stream: false,
      model: params.model,
      deadlineMs: this.timeoutMs,
      headersTimeoutMs: this.timeoutMs,
    };
    const obj = await this.requestJson(spec, opts);
    throwIfErrorBody(obj, { url: this.url(spec.path), apiKey: this.apiKey });
    if (!obj || typeof obj !== 'object' || !Array.isArray((obj as ChatCompletion).choices)) {
      throw new InvalidResponseError(
        l10n.t(
          'The server\'s answer is not a chat completion (no "choices"): {0}.',
          preview(JSON.stringify(obj) ?? '', this.apiKey),
        ),
        { url: this.url(spec.path) },
      );
    }
    return normaliseCompletion(obj as ChatCompletion);
  }

  /** Every error (validation included) is thrown from the iteration, with the partial text on `partialContent`. */
  streamChatCompletion(params: ChatCompletionParams, opts: RequestOptions = {}): AsyncIterable<ChatCompletionChunk> {
    return this.streamGen(params, opts);
  }

  async listModels(opts: RequestOptions = {}): Promise<Model[]> {
    const spec: RequestSpec = {
      method: 'GET',
      path: '/models',
      stream: false,
      deadlineMs: this.timeoutMs,
      headersTimeoutMs: this.connectTimeoutMs,
    };
    const obj = (await this.requestJson(spec, opts)) as { data?: unknown } | unknown[];
    const list = Array.isArray(obj) ? obj : Array.isArray(obj?.data) ? (obj as { data: unknown[] }).data : undefined;
    if (!list)
      throw new InvalidResponseError(
        l10n.t('The model list from {0} is not in the expected shape ({1}).', this.url(spec.path), '{"data": [...]}'),
        { url: this.url(spec.path) },
      );
    return list
      .map((m) => (typeof m === 'string' ? { id: m } : (m as Model)))
      .filter((m) => m && typeof m.id === 'string' && m.id !== '');
  }

  async retrieveModel(id: string, opts: RequestOptions = {}): Promise<Model> {
    if (!id) throw new ValidationError(l10n.t('No model is selected; choose a model first.'), 'model', 'noModel');
    const spec: RequestSpec = {
      method: 'GET',
      path: `/models/${encodeURIComponent(id)}`,
      stream: false,
      model: id,
      deadlineMs: this.timeoutMs,
      headersTimeoutMs: this.connectTimeoutMs,
    };
    const obj = (await this.requestJson(spec, opts)) as Model;
    if (!obj || typeof obj.id !== 'string')
      throw new InvalidResponseError(l10n.t('The answer from {0} is not a model.', this.url(spec.path)), {
        url: this.url(spec.path),
      });
    return obj;
  }

  // ------------------------------------------------------------------------------------------------

  private url(path: string): string {
    return this.baseUrl + path;
  }

  private ready(): void {
    if (this.urlError)
      throw new ValidationError(
        this.urlError + ' ' + l10n.t('Set bud.baseUrl to the gateway address, e.g. {0}.', 'https://gateway.bud.studio'),
        'baseUrl',
      );
  }

  private log(info: RequestLogInfo): void {
    if (!this.logger) return;
    try {
      this.logger.request({
        ...info,
        url: redact(info.url, this.apiKey),
        error: info.error !== undefined ? redact(info.error, this.apiKey) : undefined,
      });
    } catch {
      /* a logger must never break a request */
    }
  }

  private async requestJson(spec: RequestSpec, opts: RequestOptions): Promise<unknown> {
    const release = this.hold();
    try {
      return await this.requestJsonHeld(spec, opts);
    } finally {
      release();
    }
  }

  private async requestJsonHeld(spec: RequestSpec, opts: RequestOptions): Promise<unknown> {
    this.ready();
    const state: RetryState = { retriesDone: 0 };
    const sent = await this.sendWithRetries(spec, opts, state);
    const { res, ctl, url, requestId } = sent;
    let text: string;
    try {
      const r = await readBounded(res.body, this.maxResponseBytes);
      if (r.truncated)
        throw new InvalidResponseError(
          l10n.t(
            'The answer from {0} is larger than {1} MB; it was not read.',
            url,
            Math.round(this.maxResponseBytes / 1048576),
          ),
          { url, requestId },
        );
      text = r.text;
    } catch (e) {
      const err = this.transportError(e, ctl, url, requestId, false);
      this.log({
        method: spec.method,
        url,
        stream: false,
        model: spec.model,
        attempt: sent.attempt,
        status: res.statusCode,
        durationMs: Date.now() - sent.started,
        requestId,
        error: err.message,
      });
      throw err;
    } finally {
      ctl.dispose();
    }
    this.log({
      method: spec.method,
      url,
      stream: false,
      model: spec.model,
      attempt: sent.attempt,
      status: res.statusCode,
      durationMs: Date.now() - sent.started,
      requestId,
    });
    try {
      return JSON.parse(text);
    } catch {
      const first = redact(
        serverMessageFromBody(redact(text, this.apiKey), headerValue(res.headers, 'content-type') ?? '') ??
          l10n.t('(empty body)'),
        this.apiKey,
      );
      throw new InvalidResponseError(
        l10n.t(
          'The server at {0} answered {1} but not with JSON: {2}. Check the base URL.',
          url,
          res.statusCode,
          first,
        ),
        { url, requestId, status: res.statusCode },
      );
    }
  }

  /** One attempt: returns a 2xx response with its headers, or throws a typed error. */
  private async attempt(spec: RequestSpec, opts: RequestOptions, attempt: number): Promise<Sent> {
    const url = this.url(spec.path);
    const ctl = new AttemptControl(opts.signal, spec.deadlineMs);
    const started = Date.now();
    const headers: Record<string, string> = {
      accept: spec.stream ? 'text/event-stream' : 'application/json',
      'user-agent': this.userAgent,
    };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    let payload: string | undefined;
    if (spec.body !== undefined) {
      payload = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    let res: Dispatcher.ResponseData;
    try {
      if (ctl.why === 'user') throw new Error('bud:user');
      res = await undici().request(url, {
        method: spec.method,
        headers,
        body: payload,
        dispatcher: this.dispatcher,
        signal: ctl.ac.signal,
        headersTimeout: spec.headersTimeoutMs,
        bodyTimeout: 0,
      });
    } catch (e) {
      ctl.dispose();
      const err = this.transportError(e, ctl, url, undefined, true, undefined, spec.headersTimeoutMs);
      this.log({
        method: spec.method,
        url,
        stream: spec.stream,
        model: spec.model,
        attempt,
        durationMs: Date.now() - started,
        error: err.message,
      });
      throw err;
    }
    const requestId = headerValue(res.headers, 'x-request-id') ?? headerValue(res.headers, 'request-id');
    if (res.statusCode < 200 || res.statusCode >= 300) {
      let text = '';
      try {
        text = (await readBounded(res.body, ERROR_BODY_LIMIT)).text;
      } catch {
        /* keep what we have */
      }
      ctl.dispose();
      const err = errorForStatus(res, text, {
        url,
        requestId,
        model: spec.model,
        apiKey: this.apiKey,
        retryAfterCapMs: this.policy.retryAfterCapMs,
      });
      this.log({
        method: spec.method,
        url,
        stream: spec.stream,
        model: spec.model,
        attempt,
        status: res.statusCode,
        durationMs: Date.now() - started,
        requestId,
        error: err.message,
      });
      throw err;
    }
    return { res, ctl, url, requestId, started, attempt, model: spec.model };
  }

  private async sendWithRetries(spec: RequestSpec, opts: RequestOptions, state: RetryState): Promise<Sent> {
    for (;;) {
      try {
        return await this.attempt(spec, opts, state.retriesDone + 1);
      } catch (e) {
        await this.beforeRetry(e, opts, state);
      }
    }
  }

  /** Rethrows `e` unless it may be retried; otherwise reports the retry and waits. */
  private async beforeRetry(e: unknown, opts: RequestOptions, state: RetryState): Promise<void> {
    if (!(e instanceof BudError) || !e.retryable || state.retriesDone >= this.policy.maxRetries || opts.signal?.aborted)
      throw e;
    const delayMs = retryDelay(state.retriesDone, retryHeaders.get(e), this.policy);
    state.retriesDone++;
    const event: RetryEvent = {
      attempt: state.retriesDone,
      maxRetries: this.policy.maxRetries,
      delayMs,
      reason: shortReason(e),
    };
    try {
      opts.onRetry?.(event);
    } catch {
      /* the UI must not break the retry */
    }
    try {
      await this.sleep(delayMs, opts.signal);
    } catch {
      throw new AbortedError(l10n.t('Stopped while waiting to retry.'), { url: e.url });
    }
    if (opts.signal?.aborted) throw new AbortedError(l10n.t('Stopped while waiting to retry.'), { url: e.url });
  }

  private transportError(
    e: unknown,
    ctl: AttemptControl,
    url: string,
    requestId: string | undefined,
    beforeBody: boolean,
    partialContent?: string,
    headersMs = this.timeoutMs,
  ): BudError {
    return errorForTransport(e, ctl.why, {
      url,
      requestId,
      beforeBody,
      partialContent,
      apiKey: this.apiKey,
      timeouts: { totalMs: this.timeoutMs, connectMs: this.connectTimeoutMs, idleMs: this.idleTimeoutMs, headersMs },
    });
  }

  /** What reading a streamed response needs from this client. */
  private get streamReading(): StreamReading {
    return {
      apiKey: this.apiKey,
      maxLineBytes: this.maxLineBytes,
      maxResponseBytes: this.maxResponseBytes,
      timeoutMs: this.timeoutMs,
      idleTimeoutMs: this.idleTimeoutMs,
      streamDeadlineMs: this.streamDeadlineMs,
      log: (info) => this.log(info),
      transportError: (e, sent, partialContent) =>
        this.transportError(e, sent.ctl, sent.url, sent.requestId, false, partialContent),
    };
  }

  private async *streamGen(params: ChatCompletionParams, opts: RequestOptions): AsyncGenerator<ChatCompletionChunk> {
    const release = this.hold();
    try {
      yield* this.streamGenHeld(params, opts);
    } finally {
      release();
    }
  }

  private async *streamGenHeld(
    params: ChatCompletionParams,
    opts: RequestOptions,
  ): AsyncGenerator<ChatCompletionChunk> {
    validateParams(params);
    this.ready();
    const state: RetryState = { retriesDone: 0 };
    // Headers of a stream may wait for the first token (or a local server loading the model): they get the
    // request timeout, not the connect timeout.
    const base = {
      method: 'POST' as const,
      path: '/chat/completions',
      stream: true,
      model: params.model,
      deadlineMs: this.timeoutMs,
      headersTimeoutMs: this.timeoutMs,
    };
    for (;;) {
      let sent: Sent;
      const withUsage = this.streamUsageSupported;
      try {
        sent = await this.sendWithRetries({ ...base, body: buildRequestBody(params, true, withUsage) }, opts, state);
      } catch (e) {
        if (!(withUsage && e instanceof BadRequestError && e.status === 400)) throw e;
        if (this.isUnrelated400?.(e)) throw e;
        // Some servers refuse `stream_options`: ask once more without it, and remember when that works.
        sent = await this.sendWithRetries({ ...base, body: buildRequestBody(params, true, false) }, opts, state);
        refusesStreamOptions.add(this.baseUrl);
      }
      const outcome = yield* readStreamedResponse(sent, this.streamReading);
      if (outcome === 'done') return;
      // The connection closed before the first byte of the body: this may be retried like a failed request.
      await this.beforeRetry(outcome, opts, state);
    }
  }
}
