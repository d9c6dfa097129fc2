// Turns a set of tool handlers into the `ToolExecutor` the turn uses: parses and validates the model's
// arguments, so an unknown tool, arguments that are not JSON or that fail the schema come back as a tool
// result explaining the problem (the model can correct itself) — never as a crash. Pure.
import type { FunctionTool, ToolCall } from '../api/types';
import type { ToolExecutor, ToolResult } from './port';
import { TOOL_DEFINITIONS, validateArgs, type ObjectSchema, type ToolName } from './schemas';
import * as l10n from '@vscode/l10n';

export type ToolHandler = (args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolResult>;
export type ToolHandlers = Partial<Record<ToolName, ToolHandler>>;

/** A failed call: `message` (English) tells the model what went wrong; `summary` (translated) goes on its row. */
export function errorResult(message: string, summary: string): ToolResult {
  return { content: `Error: ${message}`, summary, isError: true };
}

export function createToolExecutor(handlers: ToolHandlers, opts: { log?: (line: string) => void } = {}): ToolExecutor {
  const names = (Object.keys(TOOL_DEFINITIONS) as ToolName[]).filter((n) => handlers[n]);
  const defs: FunctionTool[] = names.map((n) => TOOL_DEFINITIONS[n]);
  return {
    definitions: () => defs,
    async execute(call: ToolCall, signal: AbortSignal): Promise<ToolResult> {
      const name = call.function?.name as ToolName;
      const handler = names.includes(name) ? handlers[name] : undefined;
      if (!handler)
        return errorResult(
          `unknown tool "${call.function?.name}". Available tools: ${names.join(', ')}.`,
          l10n.t('Unknown tool "{0}"', String(call.function?.name)),
        );
      const argsText = (call.function.arguments ?? '').trim();
      let args: unknown;
      try {
        // Some servers send "" for a call without arguments.
        args = argsText === '' ? {} : JSON.parse(argsText);
      } catch (e) {
        return errorResult(
          `the arguments of ${name} are not valid JSON (${(e as Error).message}). Send a JSON object such as ${example(name)}.`,
          l10n.t('Arguments are not valid JSON'),
        );
      }
      const problems = validateArgs(TOOL_DEFINITIONS[name].function.parameters, args);
      if (problems.length) {
        return errorResult(
          `invalid arguments for ${name}: ${problems.join('; ')}. Expected e.g. ${example(name)}.`,
          l10n.t('Invalid arguments: {0}', problems.join('; ')),
        );
      }
      const started = Date.now();
      try {
        const res = await handler(args as Record<string, unknown>, signal);
        opts.log?.(`tool ${name} ${res.isError ? 'error' : 'ok'} in ${Date.now() - started} ms: ${res.summary}`);
        return res;
      } catch (e) {
        if (signal.aborted) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        opts.log?.(`tool ${name} failed in ${Date.now() - started} ms: ${msg}`);
        return errorResult(`${name} failed: ${msg}`, msg);
      }
    },
  };
}

function example(name: ToolName): string {
  const s = TOOL_DEFINITIONS[name].function.parameters as ObjectSchema;
  const ex: Record<string, unknown> = {};
  for (const r of s.required) {
    const p = s.properties[r];
    ex[r] =
      p.type === 'string'
        ? r === 'glob'
          ? '**/*.ts'
          : r === 'query'
            ? 'createServer'
            : 'src/index.ts'
        : p.type === 'integer'
          ? 1
          : true;
  }
  return JSON.stringify(ex);
}
