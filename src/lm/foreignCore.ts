// Other extensions' tools (and the user's MCP servers') in Bud's own chat: the executor that offers them to the
// model and runs a call only after the user allowed it, the broker that asks in the chat, and the composite that
// puts them beside Bud's own tools. Pure: no `vscode` import; src/lm/foreignTools.ts supplies `vscode.lm`.
//
// Rules: every call of a tool that is not Bud's own asks first (Allow once / Always allow this tool / Deny). The host
// remembers "Always allow" for the workspace (persisted) and "Deny" for the rest of the session in this window: a
// denied tool is no longer offered to the model, so the user is not asked again and again, and after a reload it is
// offered (and asked for) again. The output is untrusted, so it is cleaned (no terminal escapes, no control or
// bidirectional-override characters) and capped before the model or the user sees any of it.
import * as l10n from '@vscode/l10n';
import type { FunctionTool, ToolCall } from '../api/types';
import type { HostMessage } from '../protocol';
import type { ToolExecutor, ToolResult } from '../tools/port';
import { toFunctionTools, ToolNames } from './messages';
import { modelNumber } from '../api/locale';

export type Approval = 'once' | 'always' | 'deny';

/** A tool of another extension or MCP server, and where it comes from ("Extension GitLens", "MCP server github"). */
export interface ForeignTool {
  name: string;
  description: string;
  inputSchema?: unknown;
  source: string;
}

/** What the host gives the executor: the current tools and a way to run one (`vscode.lm.invokeTool`). */
export interface ForeignToolPort {
  list(): ForeignTool[];
  /** The tool's result as text. Rejects with the tool's own error. */
  invoke(name: string, input: object, signal: AbortSignal): Promise<string>;
}

export interface ApprovalRequest {
  callId: string;
  name: string;
  source: string;
  argsText: string;
}

/** An answer that holds for later calls of the same tool. */
export type RememberedApproval = 'always' | 'deny';

export interface ApprovalPort {
  /** What the user answered for this tool earlier ("Always allow" in this workspace, "Deny" in this session). */
  remembered(name: string): RememberedApproval | undefined;
  remember(name: string, answer: RememberedApproval): void | PromiseLike<void>;
  /** Asks in the chat; resolves with the answer ('deny' when the answer is stopped). */
  ask(req: ApprovalRequest, signal: AbortSignal): Promise<Approval>;
}

/** The most text of one result the model gets (about 10k tokens); the rest is cut with a note. */
export const FOREIGN_OUTPUT_MAX_CHARS = 40_000;

// Terminal escape sequences, C0/C1 controls other than tab and newline, and bidirectional overrides (which can make
// text read differently from what it is).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[@-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Another extension's output made safe to show and to send: cleaned and capped, with the cut stated. */
export function sanitizeToolOutput(text: string, max = FOREIGN_OUTPUT_MAX_CHARS): string {
  const clean = text.replace(/\r\n?/g, '\n').replace(ANSI, '').replace(CONTROL, '');
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max)}\n[… ${modelNumber(clean.length - max)} more characters of this tool's output were not sent]`;
}

/** One line for the call row: the start of the output. */
function summaryOf(text: string): string {
  const first = text.split('\n').find((l) => l.trim()) ?? '';
  const line = first.trim().replace(/\s+/g, ' ');
  const short = line.length > 80 ? `${line.slice(0, 79)}…` : line;
  return short || 'No output';
}

const DENIED =
  'The user denied this tool call. Do not call it again for the same purpose; answer without it or ask the user.';
const DENIED_EARLIER =
  'The user denied this tool earlier in this session, so it was not run. Answer without it or ask the user.';

function errorResult(content: string, summary: string): ToolResult {
  return { content, summary, isError: true };
}

/** Offers the foreign tools to the model (but not those denied this session); runs a call only once allowed. */
export function createForeignToolExecutor(port: ForeignToolPort, approvals: ApprovalPort): ToolExecutor {
  const current = () => {
    const tools = port.list();
    return { tools, names: new ToolNames(tools), byName: new Map(tools.map((t) => [t.name, t])) };
  };
  return {
    definitions: () => toFunctionTools(port.list().filter((t) => approvals.remembered(t.name) !== 'deny')),
    sourceOf: (fn) => {
      const { names, byName } = current();
      return byName.get(names.original(fn))?.source;
    },
    async execute(call: ToolCall, signal: AbortSignal): Promise<ToolResult> {
      const { names, byName } = current();
      const name = names.original(call.function.name);
      const tool = byName.get(name);
      if (!tool)
        return errorResult(`Error: the tool "${name}" is no longer available.`, l10n.t('Tool no longer available'));
      const input = parseInput(call.function.arguments);
      if (typeof input === 'string') return errorResult(`Error: ${input}`, l10n.t('Arguments are not a JSON object'));
      const earlier = approvals.remembered(name);
      if (earlier === 'deny') return errorResult(DENIED_EARLIER, l10n.t('Denied earlier in this session: not run'));
      if (earlier !== 'always') {
        const answer = await approvals.ask(
          { callId: call.id, name, source: tool.source, argsText: call.function.arguments },
          signal,
        );
        // Stop answers 'deny' for the user: that ends this call, it is not a decision about the tool.
        if (answer === 'deny') {
          if (!signal.aborted) await approvals.remember(name, 'deny');
          return errorResult(DENIED, l10n.t('Denied: not run'));
        }
        if (answer === 'always') await approvals.remember(name, 'always');
      }
      try {
        const text = sanitizeToolOutput(await port.invoke(name, input, signal));
        return { content: text, summary: summaryOf(text), isError: false };
      } catch (e) {
        if (signal.aborted) throw e;
        const msg = sanitizeToolOutput(e instanceof Error ? e.message : String(e), 2000);
        return errorResult(`Error: ${name} failed: ${msg}`, summaryOf(msg));
      }
    },
  };
}

/** The call's arguments as an object, or why they are not one. */
function parseInput(args: string): object | string {
  let input: unknown;
  try {
    input = args.trim() ? JSON.parse(args) : {};
  } catch (e) {
    return `the arguments are not valid JSON (${(e as Error).message}).`;
  }
  return input && typeof input === 'object' && !Array.isArray(input) ? input : 'the arguments must be a JSON object.';
}

/** What "Bud: Forget Tool Permissions of This Workspace" says it forgot. */
export function forgetMessage(always: number, denied: number): string {
  const alwaysPart =
    always === 1
      ? l10n.t('the 1 tool you always allowed in this workspace')
      : l10n.t('the {0} tools you always allowed in this workspace', always);
  const deniedPart =
    denied === 1
      ? l10n.t('the 1 tool you denied in this session')
      : l10n.t('the {0} tools you denied in this session', denied);
  if (always && denied)
    return l10n.t("Bud forgot {0} and {1}: each call of another extension's tool asks again.", alwaysPart, deniedPart);
  if (always || denied)
    return l10n.t(
      "Bud forgot {0}: each call of another extension's tool asks again.",
      always ? alwaysPart : deniedPart,
    );
  return l10n.t('No tool is always allowed in this workspace, and none was denied in this session.');
}

/** Bud's own tools and others' side by side: each call goes to the executor that defines its name. */
export function compositeExecutor(executors: readonly (ToolExecutor | undefined)[]): ToolExecutor {
  const parts = executors.filter((e): e is ToolExecutor => !!e);
  // The executor that offers the name, else one that knows it without offering it (a tool denied this session).
  const owner = (name: string) =>
    parts.find((e) => e.definitions().some((d) => d.function.name === name)) ??
    parts.find((e) => e.sourceOf?.(name) !== undefined);
  return {
    definitions: () => {
      const seen = new Set<string>();
      const out: FunctionTool[] = [];
      // Earlier executors win a name clash: Bud's own tools come first.
      for (const e of parts)
        for (const d of e.definitions())
          if (!seen.has(d.function.name)) {
            seen.add(d.function.name);
            out.push(d);
          }
      return out;
    },
    sourceOf: (name) => owner(name)?.sourceOf?.(name),
    execute: (call, signal) => {
      const e = owner(call.function.name) ?? parts[0];
      return e.execute(call, signal);
    },
  };
}

/** Asks in the chat and waits for the click; Stop answers 'deny'. */
export class ApprovalBroker {
  private readonly pending = new Map<string, { req: ApprovalRequest; resolve: (a: Approval) => void }>();

  constructor(private readonly post: (msg: HostMessage) => void) {}

  ask(req: ApprovalRequest, signal: AbortSignal): Promise<Approval> {
    if (signal.aborted) return Promise.resolve('deny');
    return new Promise<Approval>((resolve) => {
      const onAbort = () => this.answer(req.callId, 'deny');
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(req.callId, {
        req,
        resolve: (a) => {
          signal.removeEventListener('abort', onAbort);
          resolve(a);
        },
      });
      this.post({ type: 'toolApproval', callId: req.callId, name: req.name, source: req.source });
    });
  }

  /** The user's click (or Stop). Unknown ids are ignored (an old row, another window). */
  answer(callId: string, answer: Approval): void {
    const p = this.pending.get(callId);
    if (!p) return;
    this.pending.delete(callId);
    this.post({ type: 'toolApprovalDone', callId });
    p.resolve(answer);
  }

  /** Shows the open questions again (the view was recreated). */
  repost(): void {
    for (const { req } of this.pending.values())
      this.post({ type: 'toolApproval', callId: req.callId, name: req.name, source: req.source });
  }

  /** Call ids waiting for an answer (tests). */
  get waiting(): string[] {
    return [...this.pending.keys()];
  }
}
