// Other extensions' tools and the user's MCP servers' tools in Bud's chat panel, through `vscode.lm.tools` and
// `vscode.lm.invokeTool` (stable since VS Code 1.95). Off unless bud.tools.otherExtensions is on, and always off in
// Restricted Mode. The logic (asking, cleaning the output) is in ./foreignCore.ts; this file is the VS Code side:
// where a tool comes from, running it, and the per-workspace memory of "Always allow this tool".
import * as vscode from 'vscode';
import type { Session } from '../connection/session';
import type { Logger } from '../log/logger';
import type { ChatHost } from '../panel/chatHost';
import { contentText } from './messages';
import {
  createForeignToolExecutor,
  forgetMessage,
  type ApprovalPort,
  type ForeignTool,
  type ForeignToolPort,
} from './foreignCore';
import { toLmPart } from './parts';
import { isBudTool } from './toolNames';
import { lmApi, type LanguageModelToolInformation } from './vscodeLm';

/** workspaceState key: the names of the tools the user always allows in this workspace. */
export const ALWAYS_ALLOWED_KEY = 'bud.alwaysAllowedTools';

/** The extension that declares a tool in its manifest, else the MCP server (VS Code tags those tools "mcp"). */
export function toolSource(tool: LanguageModelToolInformation): string {
  for (const ext of vscode.extensions.all) {
    const manifest = ext.packageJSON as {
      displayName?: string;
      contributes?: { languageModelTools?: { name?: string }[] };
    };
    if (manifest.contributes?.languageModelTools?.some((t) => t.name === tool.name))
      return `Extension ${manifest.displayName || ext.id}`;
  }
  if (tool.tags.includes('mcp')) {
    const server = /^mcp_([^_]+)_/.exec(tool.name)?.[1];
    return server ? `MCP server ${server}` : 'an MCP server';
  }
  return 'VS Code or another extension';
}

function port(): ForeignToolPort {
  const api = lmApi();
  return {
    list: (): ForeignTool[] =>
      (api.tools ?? [])
        .filter((t) => !isBudTool(t.name))
        .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, source: toolSource(t) })),
    invoke: async (name, input, signal) => {
      const cts = new vscode.CancellationTokenSource();
      const onAbort = () => cts.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await api.invokeTool!(name, { input, toolInvocationToken: undefined }, cts.token);
        return result.content.map((p) => contentText(toToolContent(p))).join('');
      } finally {
        signal.removeEventListener('abort', onAbort);
        cts.dispose();
      }
    },
  };
}

function toToolContent(p: unknown) {
  const part = toLmPart(p);
  return part.kind === 'toolCall' || part.kind === 'toolResult'
    ? { kind: 'other' as const, description: 'a nested tool part' }
    : part;
}

/**
 * The tools denied in this window's session (not persisted: after a reload they are offered, and asked for, again).
 * One extension host serves one window, so this is per workspace.
 */
const deniedThisSession = new Set<string>();

function approvals(context: vscode.ExtensionContext, host: ChatHost): ApprovalPort {
  const allowed = () => context.workspaceState.get<string[]>(ALWAYS_ALLOWED_KEY) ?? [];
  return {
    remembered: (name) => (deniedThisSession.has(name) ? 'deny' : allowed().includes(name) ? 'always' : undefined),
    remember: async (name, answer) => {
      if (answer === 'deny') deniedThisSession.add(name);
      else await context.workspaceState.update(ALWAYS_ALLOWED_KEY, [...new Set([...allowed(), name])]);
    },
    ask: (req, signal) => host.approvals.ask(req, signal),
  };
}

/** Lets the panel's chat offer other extensions' tools when the setting is on (VS Code 1.95+). */
export function registerForeignTools(
  context: vscode.ExtensionContext,
  session: Session,
  host: ChatHost,
  log: Logger,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bud.resetToolPermissions', async () => {
      const always = (context.workspaceState.get<string[]>(ALWAYS_ALLOWED_KEY) ?? []).length;
      const denied = deniedThisSession.size;
      await context.workspaceState.update(ALWAYS_ALLOWED_KEY, undefined);
      deniedThisSession.clear();
      void vscode.window.showInformationMessage(forgetMessage(always, denied));
    }),
  );
  const api = lmApi();
  if (!api.invokeTool || !api.tools) {
    log.info(
      `Other extensions' tools: VS Code ${vscode.version} has no vscode.lm.tools (1.95+); bud.tools.otherExtensions has no effect.`,
    );
    return;
  }
  const executor = createForeignToolExecutor(port(), approvals(context, host));
  session.extraTools = (settings) =>
    settings.tools.otherExtensions && vscode.workspace.isTrusted ? executor : undefined;
}
