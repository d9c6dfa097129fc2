// Reading one streamed chat response: its SSE events as chunks while they arrive (or the whole JSON completion of a
// server that ignored `stream: true`), under the idle and stream deadlines, and what a failure means: an error for
// the user, or — when not one byte arrived — a connection failure that may be retried.
import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import type { AttemptControl } from './attempt';
import { completionToChunks, normaliseCompletion } from './body';
import { BudError, ConnectionError, IncompleteResponseError, InvalidResponseError, redact } from './errors';
import { headerValue } from './httpErrors';
import type { RequestLogInfo } from './log';
import { preview, readBounded, throwIfErrorBody } from './responseBody';
import { ChatChunkReader } from './stream';
import type { ChatCompletion, ChatCompletionChunk } from './types';

/** A request whose response headers arrived. */
export interface Sent {
  res: Dispatcher.ResponseData;
  ctl: AttemptControl;
  url: string;
  requestId?: string;
  started: number;
  attempt: number;
  model?: string;
}

/** What reading a stream needs from the client. */
export interface StreamReading {
  apiKey: string;
  maxLineBytes: number;
  maxResponseBytes: number;
  /** Until the first byte of the body. */
  timeoutMs: number;
  /** No byte for this long ends the stream. */
  idleTimeoutMs: number;
  /** A whole stream, from its first byte. */
  streamDeadlineMs: number;
  log(info: RequestLogInfo): void;
  /** The user-facing error for a transport failure (timeouts, resets) with the partial answer so far. */
  transportError(e: unknown, sent: Sent, partialContent: string | undefined): BudError;
}

/** The chunk reader and the chunks it completed but that were not yet handed on. */
class PendingChunks {
  readonly reader: ChatChunkReader;
  private readonly queue: ChatCompletionChunk[] = [];

  constructor(maxLineBytes: number, secret: string) {
    this.reader = new ChatChunkReader({ onChunk: (c) => this.queue.push(c), maxLineBytes, secret });
  }

  /** Runs `step` (feeding bytes, or ending the body), yields the chunks it completed, then throws what it threw. */
  *feed(step: () => void): Generator<ChatCompletionChunk> {
    let bad: unknown;
    try {
      step();
    } catch (e) {
      bad = e;
    }
    for (let i = 0; i < this.queue.length; i++) yield this.queue[i]; // chunks before a bad event still count
    this.queue.length = 0;
    if (bad) throw bad as Error;
  }
}

/** Reads one streamed response; returns 'done', or a retryable error when nothing at all had arrived. */
export async function* readStreamedResponse(
  sent: Sent,
  cx: StreamReading,
): AsyncGenerator<ChatCompletionChunk, 'done' | BudError> {
  const pending = new PendingChunks(cx.maxLineBytes, cx.apiKey);
  const progress = { bytes: 0 };
  let failure: string | undefined;
  try {
    if ((headerValue(sent.res.headers, 'content-type') ?? '').includes('application/json')) {
      yield* readWholeCompletion(sent, pending.reader, cx);
    } else {
      yield* readEvents(sent, pending, progress, cx);
      yield* endEvents(sent, pending);
    }
    return 'done';
  } catch (e) {
    const outcome = settleFailure(e, sent, pending.reader, progress.bytes, cx);
    if (outcome === 'done') return 'done';
    failure = outcome.error.message;
    if (outcome.retry) return outcome.error;
    throw outcome.error;
  } finally {
    sent.ctl.dispose();
    if (!sent.res.body.destroyed && !pending.reader.done) sent.res.body.destroy();
    logStream(sent, pending.reader.chunks, failure, cx);
  }
}

/** A server that ignored `stream: true` and sent one whole completion: its chunks, as if streamed. */
async function* readWholeCompletion(
  sent: Sent,
  reader: ChatChunkReader,
  cx: StreamReading,
): AsyncGenerator<ChatCompletionChunk> {
  const { url, requestId } = sent;
  const r = await readBounded(sent.res.body, cx.maxResponseBytes);
  let obj: ChatCompletion;
  try {
    obj = JSON.parse(r.text) as ChatCompletion;
  } catch {
    throw new InvalidResponseError(
      l10n.t(
        'The server answered a streaming request with invalid JSON: {0}.',
        JSON.stringify(preview(r.text, cx.apiKey)),
      ),
      { url, requestId },
    );
  }
  throwIfErrorBody(obj, { url, requestId, apiKey: cx.apiKey });
  for (const c of completionToChunks(normaliseCompletion(obj))) {
    reader.chunks++;
    yield c;
  }
}

/** The SSE events of the body as chunks, until the body ends; the deadlines follow the bytes. */
async function* readEvents(
  sent: Sent,
  pending: PendingChunks,
  progress: { bytes: number },
  cx: StreamReading,
): AsyncGenerator<ChatCompletionChunk> {
  const { ctl } = sent;
  const { reader } = pending;
  const it = sent.res.body[Symbol.asyncIterator]();
  ctl.setDeadline(cx.timeoutMs); // until the first byte
  for (;;) {
    // After [DONE] the body normally ends at once; a server that keeps it open is cut after 1 s.
    ctl.armIdle(reader.done ? Math.min(cx.idleTimeoutMs, 1000) : cx.idleTimeoutMs);
    const r = await it.next();
    ctl.disarmIdle();
    if (r.done) return;
    const buf = r.value as Buffer;
    if (progress.bytes === 0) ctl.setDeadline(cx.streamDeadlineMs);
    progress.bytes += buf.length;
    if (reader.done) continue; // drain what follows [DONE] so the connection can be reused
    yield* pending.feed(() => reader.push(buf));
  }
}

/** The body ended: the last event is flushed; a stream that never finished is incomplete (its text kept). */
function* endEvents(sent: Sent, pending: PendingChunks): Generator<ChatCompletionChunk> {
  const { reader } = pending;
  if (reader.done) return;
  yield* pending.feed(() => reader.end());
  if (reader.finishSeen) return;
  throw new IncompleteResponseError(
    reader.content
      ? l10n.t(
          'The response ended before it was complete (the stream stopped without a finish). The partial answer was kept.',
        )
      : l10n.t('The response ended before any answer arrived (the stream was empty).'),
    { url: sent.url, requestId: sent.requestId, partialContent: reader.content || undefined },
  );
}

/**
 * What a failure while reading means: 'done' when the answer was already complete, a retryable connection error
 * when not one byte arrived, else the error for the user (with the request's URL and id, the key redacted).
 */
function settleFailure(
  e: unknown,
  sent: Sent,
  reader: ChatChunkReader,
  bytes: number,
  cx: StreamReading,
): 'done' | { error: BudError; retry: boolean } {
  const { ctl, url, requestId } = sent;
  if (e instanceof BudError) {
    e.url ??= url;
    e.requestId ??= requestId;
    if (e.serverMessage) e.serverMessage = redact(e.serverMessage, cx.apiKey);
    e.message = redact(e.message, cx.apiKey);
    return { error: e, retry: false };
  }
  if (reader.done && ctl.why !== 'user') return 'done'; // trouble after [DONE] does not matter
  if (!ctl.why && reader.finishSeen) return 'done'; // closed after the finish but before [DONE]: complete
  const err = cx.transportError(e, sent, reader.content);
  if (bytes === 0 && !ctl.why && err instanceof IncompleteResponseError) {
    // Nothing arrived: a connection failure before the first byte, which may be retried.
    const retry = new ConnectionError(l10n.t('The connection closed before the answer started.'), {
      url,
      requestId,
      cause: e,
    });
    return { error: retry, retry: true };
  }
  return { error: err, retry: false };
}

function logStream(sent: Sent, chunks: number, failure: string | undefined, cx: StreamReading): void {
  cx.log({
    method: 'POST',
    url: sent.url,
    stream: true,
    model: sent.model,
    attempt: sent.attempt,
    status: sent.res.statusCode,
    durationMs: Date.now() - sent.started,
    requestId: sent.requestId,
    chunks,
    error: failure,
  });
}
