// The "Bud Chat" log (a LogOutputChannel: levels, timestamps, and the user's log-level choice).
// One line per request (URL, model, status, latency, token counts, retries) — never the API key.
// Full prompts only when `bud.trace` is on.
import * as vscode from 'vscode';
import { formatRequestLog, type RequestLogInfo } from '../api/log';
import { redact } from '../api/errors';

export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  request(info: RequestLogInfo): void;
  /** Logs a whole prompt; callers check `bud.trace` first. */
  trace(label: string, data: unknown): void;
  show(): void;
  /** Removes `secret` from everything logged after this call. */
  setSecret(secret: string | undefined): void;
}

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = vscode.window.createOutputChannel('Bud Chat', { log: true });
  context.subscriptions.push(channel);
  let secret: string | undefined;
  const clean = (s: string) => redact(s, secret);
  return {
    info: (l) => channel.info(clean(l)),
    warn: (l) => channel.warn(clean(l)),
    error: (l) => channel.error(clean(l)),
    request: (info) => {
      const line = clean(formatRequestLog(info));
      if (info.error || (typeof info.status === 'number' && info.status >= 400)) channel.warn(line);
      else channel.info(line);
    },
    trace: (label, data) => channel.info(clean(`[trace] ${label}: ${JSON.stringify(data, null, 2)}`)),
    show: () => channel.show(true),
    setSecret: (s) => {
      secret = s;
    },
  };
}
