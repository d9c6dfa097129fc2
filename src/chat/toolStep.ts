// The tool step of a turn: the calls of one round run concurrently (they are read-only and independent), each
// shown as a row that goes 'running' then 'done' / 'error' / 'cancelled', and each answered by exactly one `tool`
// message with its `tool_call_id` — even when the call is unknown, fails or is cancelled — so the history stays
// valid for the next request. Stop aborts any running tool.
import * as l10n from '@vscode/l10n';
import { AbortedError } from '../api/errors';
import type { ChatMessage, FunctionTool, ToolCall } from '../api/types';
import type { ToolCallView } from '../protocol';
import type { ToolExecutor, ToolResult } from '../tools/port';
import type { TurnEvents } from './turn';

/** Runs the calls of one round; one `tool` message per call, in order. Their rows are added to `toolViews`. */
export async function runCalls(
  calls: ToolCall[],
  tools: ToolExecutor,
  definitions: FunctionTool[],
  signal: AbortSignal,
  events: TurnEvents,
  toolViews: ToolCallView[],
): Promise<ChatMessage[]> {
  const known = new Set(definitions.map((d) => d.function.name));
  const names = [...known].join(', ');
  const runOne = async (call: ToolCall): Promise<ChatMessage> => {
    const view: ToolCallView = {
      id: call.id,
      name: call.function.name,
      argsText: call.function.arguments,
      state: 'running',
    };
    const source = tools.sourceOf?.(call.function.name);
    if (source) view.source = source;
    toolViews.push(view);
    const update = (patch: Partial<ToolCallView>) => {
      Object.assign(view, patch);
      events.onToolCall?.({ ...view });
    };
    update({});
    const started = Date.now();
    let res: ToolResult;
    if (signal.aborted) {
      res = cancelled();
    } else if (!known.has(call.function.name)) {
      res = {
        content: `Error: unknown tool "${call.function.name}". Available tools: ${names}.`,
        summary: l10n.t('Unknown tool "{0}"', call.function.name),
        isError: true,
      };
    } else {
      try {
        res = await raceAbort(tools.execute(call, signal), signal);
      } catch (err) {
        res = signal.aborted
          ? cancelled()
          : { content: `Error: ${errorText(err)}`, summary: errorText(err), isError: true };
      }
    }
    if (signal.aborted && !res.isError) res = cancelled();
    const state: ToolCallView['state'] = signal.aborted ? 'cancelled' : res.isError ? 'error' : 'done';
    update({ state, summary: res.summary, durationMs: Date.now() - started });
    return { role: 'tool', tool_call_id: call.id, content: res.content };
  };
  return Promise.all(calls.map(runOne));
}

/** Shows the calls of a round past the round limit as not run (they never enter the history). */
export function skipCalls(calls: ToolCall[], events: TurnEvents, toolViews: ToolCallView[]): void {
  for (const call of calls) {
    const view: ToolCallView = {
      id: call.id,
      name: call.function.name,
      argsText: call.function.arguments,
      state: 'cancelled',
      summary: l10n.t('Not run: tool round limit reached'),
    };
    toolViews.push(view);
    events.onToolCall?.({ ...view });
  }
}

/** The note of a turn stopped at the round limit. */
export function roundLimitNote(maxRounds: number): string {
  return maxRounds === 1
    ? l10n.t('Stopped after 1 tool round: the model asked for more tool calls than bud.tools.maxRounds allows.')
    : l10n.t(
        'Stopped after {0} tool rounds: the model asked for more tool calls than bud.tools.maxRounds allows.',
        maxRounds,
      );
}

function cancelled(): ToolResult {
  return {
    content: 'Cancelled: the user stopped the answer before this tool finished.',
    summary: l10n.t('Cancelled'),
    isError: true,
  };
}

/** Resolves as soon as `signal` aborts, so a tool that ignores the signal cannot hold up Stop. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
