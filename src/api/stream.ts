// Turns the bytes of a streamed Chat Completions response into chunks: SSE decoding, `[DONE]`, JSON parsing,
// `data: {"error": …}` inside a 200 stream, and the facts needed to judge how the stream ended
// (a finish_reason seen, the text that arrived). Pure: the client does the I/O. No `vscode` import.
import * as l10n from '@vscode/l10n';
import { InvalidResponseError, StreamError } from './errors';
import { redact, redactDeep } from './redact';
import { messageFromJson } from './serverMessage';
import { formatBytes, SseDecoder, SseLimitError, type SseDecoderOptions } from './sse';
import { TextBuilder } from './text';
import type { ChatCompletionChunk } from './types';

export interface ChunkReaderOptions extends SseDecoderOptions {
  /** Called for each chunk, in order. */
  onChunk: (chunk: ChatCompletionChunk) => void;
  /** The API key: removed from server text quoted in errors before that text is cut to length. */
  secret?: string;
}

const PREVIEW = 200;

export class ChatChunkReader {
  private readonly sse: SseDecoder;
  private readonly onChunk: (chunk: ChatCompletionChunk) => void;
  private readonly maxLine: number;
  private readonly secret?: string;
  /** `data: [DONE]` arrived. */
  done = false;
  /** Some choice carried a finish_reason. */
  finishSeen = false;
  private readonly text = new TextBuilder();
  /** Number of chunks delivered. */
  chunks = 0;

  /** Answer text (choice 0 `delta.content`) so far: kept on errors. */
  get content(): string {
    return this.text.toString();
  }

  constructor(opts: ChunkReaderOptions) {
    this.onChunk = opts.onChunk;
    this.maxLine = opts.maxLineBytes ?? 8 * 1024 * 1024;
    this.secret = opts.secret;
    this.sse = new SseDecoder((data, event) => this.event(data, event), opts);
  }

  /** Feeds network bytes. Throws InvalidResponseError / StreamError (partial text on `.partialContent`). */
  push(bytes: Uint8Array): void {
    try {
      this.sse.push(bytes);
    } catch (e) {
      throw this.wrap(e);
    }
  }

  /** The body ended. */
  end(): void {
    try {
      this.sse.end();
    } catch (e) {
      throw this.wrap(e);
    }
  }

  private wrap(e: unknown): unknown {
    if (e instanceof SseLimitError) {
      return new InvalidResponseError(
        (e.what === 'line'
          ? l10n.t(
              'The server sent a line longer than {0} in the stream; reading stopped to protect memory.',
              formatBytes(this.maxLine),
            )
          : l10n.t(
              'The server sent an event longer than {0} in the stream; reading stopped to protect memory.',
              formatBytes(this.maxLine),
            )) + this.kept(),
        { partialContent: this.content || undefined, cause: e },
      );
    }
    if (e instanceof InvalidResponseError || e instanceof StreamError) {
      if (this.content && e.partialContent === undefined) e.partialContent = this.content;
    }
    return e;
  }

  private event(data: string, event: string): void {
    if (this.done) return; // anything after [DONE] is ignored
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    if (event === 'error') {
      let msg: string | undefined;
      try {
        msg = messageFromJson(redactDeep(JSON.parse(data), this.secret));
      } catch {
        msg = redact(data, this.secret).trim() || undefined;
      }
      throw this.streamError(msg);
    }
    let obj: unknown;
    try {
      obj = JSON.parse(data);
    } catch {
      // Some servers separate events with a single newline, so two chunks arrive as one multi-line event.
      if (data.indexOf('\n') >= 0) {
        const lines = data.split('\n').filter((l) => l.trim() !== '');
        const parsed: unknown[] = [];
        let ok = true;
        for (const l of lines) {
          const t = l.startsWith('data:') ? l.slice(l.charCodeAt(5) === 32 ? 6 : 5) : l;
          if (t === '[DONE]') {
            parsed.push('[DONE]');
            continue;
          }
          try {
            parsed.push(JSON.parse(t));
          } catch {
            ok = false;
            break;
          }
        }
        if (ok) {
          for (const p of parsed) {
            if (p === '[DONE]') {
              this.done = true;
              return;
            }
            this.handle(p, data);
          }
          return;
        }
      }
      throw new InvalidResponseError(
        l10n.t('The server sent a stream chunk that is not valid JSON: {0}.', this.preview(data)) + this.kept(),
        { partialContent: this.content || undefined },
      );
    }
    this.handle(obj, data);
  }

  /** The start of server text for a message: the key is removed before the cut, so no part of it is left. */
  private preview(data: string): string {
    const shown = redact(data, this.secret);
    return `${JSON.stringify(shown.slice(0, PREVIEW))}${shown.length > PREVIEW ? '…' : ''}`;
  }

  /** The sentence appended to an error when answer text had arrived before it. */
  private kept(): string {
    return this.content ? ' ' + l10n.t('The partial answer was kept.') : '';
  }

  private streamError(found: string | undefined): StreamError {
    const msg = found === undefined ? undefined : redact(found, this.secret);
    return new StreamError(
      l10n.t('The server reported an error in the middle of the answer: {0}.', msg ?? l10n.t('no details given')) +
        this.kept(),
      { serverMessage: msg, partialContent: this.content || undefined },
    );
  }

  private handle(obj: unknown, data: string): void {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new InvalidResponseError(
        l10n.t('The server sent a stream chunk that is not an object: {0}.', this.preview(data)),
        {
          partialContent: this.content || undefined,
        },
      );
    }
    const c = obj as ChatCompletionChunk & { error?: unknown };
    if (c.error !== undefined && c.error !== null) throw this.streamError(messageFromJson(redactDeep(c, this.secret)));
    if (c.usage !== undefined && !isObject(c.usage)) c.usage = undefined;
    let choices = c.choices;
    if (!Array.isArray(choices)) {
      c.choices = [];
    } else {
      // A choice, delta or tool-call piece that is not an object carries nothing usable: it is dropped here, so
      // everything after the reader can rely on the shapes in types.ts.
      if (!choices.every(isObject)) choices = c.choices = choices.filter(isObject);
      for (let i = 0; i < choices.length; i++) {
        const ch = choices[i];
        if (!isObject(ch.delta)) ch.delta = {};
        const calls = ch.delta.tool_calls;
        if (calls !== undefined && calls !== null && (!Array.isArray(calls) || !calls.every(isObject))) {
          ch.delta.tool_calls = Array.isArray(calls) ? calls.filter(isObject) : undefined;
        }
        if (ch.finish_reason) this.finishSeen = true;
        if ((ch.index ?? 0) === 0) {
          const t = ch.delta.content;
          if (typeof t === 'string' && t.length > 0) this.text.append(t);
        }
      }
    }
    this.chunks++;
    this.onChunk(c);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
