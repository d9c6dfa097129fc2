// Test Connection: GET /v1/models, then a tiny streamed request that offers one tool. Pure (the client is
// passed in), so the report is unit-tested against the local test server.
import * as l10n from '@vscode/l10n';
import { ChatAccumulator } from '../api/accumulator';
import type { BudClient } from '../api/client';
import type { FunctionTool } from '../api/types';
import { toErrorInfo } from '../chat/errorInfo';
import type { ErrorInfo } from '../protocol';

export const PING_TOOL: FunctionTool = {
  type: 'function',
  function: {
    name: 'ping',
    description: 'Connection check. Call this tool once.',
    parameters: { type: 'object', properties: { note: { type: 'string' } }, additionalProperties: false },
  },
};

export interface ConnectionReport {
  url: string;
  models: { ok: boolean; count: number; latencyMs: number; error?: ErrorInfo };
  /** The model used for the streamed request. */
  model?: string;
  stream: {
    ok: boolean;
    firstByteMs?: number;
    latencyMs?: number;
    chunks: number;
    error?: ErrorInfo;
    skipped?: string;
  };
  /** 'yes': the model called the tool; 'no': tools accepted, no call; 'unknown': not reached. */
  toolCalls: 'yes' | 'no' | 'unknown';
  ok: boolean;
}

export async function runConnectionTest(
  client: Pick<BudClient, 'listModels' | 'streamChatCompletion' | 'baseUrl'>,
  model: string | undefined,
  opts: { signal?: AbortSignal; now?: () => number } = {},
): Promise<ConnectionReport> {
  const now = opts.now ?? (() => performance.now());
  const report: ConnectionReport = {
    url: client.baseUrl,
    models: { ok: false, count: 0, latencyMs: 0 },
    stream: { ok: false, chunks: 0 },
    toolCalls: 'unknown',
    ok: false,
  };
  let ids: string[] = [];
  const t0 = now();
  try {
    const models = await client.listModels({ signal: opts.signal });
    ids = models.map((m) => m.id);
    report.models = { ok: true, count: ids.length, latencyMs: now() - t0 };
  } catch (err) {
    report.models = { ok: false, count: 0, latencyMs: now() - t0, error: toErrorInfo(err) };
    // A 401 here fails the chat request too; stop.
    if (report.models.error?.kind === 'auth' || report.models.error?.kind === 'connection') return report;
  }
  report.model = model || ids[0];
  if (!report.model) {
    report.stream.skipped = l10n.t('No model is selected and the server listed none.');
    return report;
  }
  const acc = new ChatAccumulator();
  const t1 = now();
  try {
    const stream = client.streamChatCompletion(
      {
        model: report.model,
        messages: [
          {
            role: 'user',
            content: 'Connection test from the Bud Chat editor extension: call the ping tool once, or reply with OK.',
          },
        ],
        max_tokens: 32,
        tools: [PING_TOOL],
        tool_choice: 'auto',
      },
      { signal: opts.signal },
    );
    for await (const chunk of stream) {
      if (report.stream.chunks === 0) report.stream.firstByteMs = now() - t1;
      report.stream.chunks++;
      acc.push(chunk);
    }
    report.stream.ok = report.stream.chunks > 0;
    report.stream.latencyMs = now() - t1;
    report.toolCalls = acc.toolCalls.some((c) => c.function.name === PING_TOOL.function.name) ? 'yes' : 'no';
  } catch (err) {
    report.stream = { ...report.stream, ok: false, latencyMs: now() - t1, error: toErrorInfo(err) };
  }
  report.ok = report.models.ok && report.stream.ok;
  return report;
}

const ms = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n)} ms`);

/** One line per check, for the notification and the log. */
export function formatReport(r: ConnectionReport): string[] {
  const lines = [l10n.t('URL: {0}', r.url)];
  lines.push(
    r.models.ok
      ? l10n.t('Models: {0} listed in {1}', r.models.count, ms(r.models.latencyMs))
      : l10n.t('Models: failed — {0}', r.models.error?.message ?? l10n.t('unknown error')),
  );
  if (r.stream.skipped) lines.push(l10n.t('Streaming: not tested — {0}', r.stream.skipped));
  else if (r.stream.ok)
    lines.push(
      l10n.t(
        'Streaming ({0}): works — first chunk after {1}, {2} chunks in {3}',
        r.model ?? '',
        ms(r.stream.firstByteMs),
        r.stream.chunks,
        ms(r.stream.latencyMs),
      ),
    );
  else if (r.stream.error) lines.push(l10n.t('Streaming ({0}): failed — {1}', r.model ?? '', r.stream.error.message));
  else lines.push(l10n.t('Streaming: not tested'));
  lines.push(
    r.toolCalls === 'yes'
      ? l10n.t('Tool calls: work (the model called the test tool)')
      : r.toolCalls === 'no'
        ? l10n.t('Tool calls: the request with a tool was accepted, but the model answered without calling it')
        : l10n.t('Tool calls: not tested'),
  );
  return lines;
}
