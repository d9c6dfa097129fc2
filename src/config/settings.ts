// The one typed reader of the `bud.*` settings. A change applies to the next message without a reload: what was
// read is kept only until VS Code reports a change (see `watchSettings`).
import * as vscode from 'vscode';

export interface BudSettings {
  /** Only the user's (machine / remote) value: a workspace cannot redirect the key. '' = not set. */
  baseUrl: string;
  /** Set when a workspace or folder tried to set `bud.baseUrl` (ignored). */
  ignoredWorkspaceBaseUrl?: string;
  model: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  user?: string;
  systemPrompt: string;
  stream: boolean;
  /** Seconds; undefined when the user did not set it (env / config file / default then apply). */
  requestTimeout?: number;
  maxRetries?: number;
  trace: boolean;
  /** After a chat's first answer, the model writes its title. */
  modelTitles: boolean;
  /** `bud.contextWindow`: tokens per model id ("*" for any), or undefined when not set. */
  contextWindow?: Record<string, unknown> | number;
  /** `bud.autoCondense`: condense the older part of a chat by itself when messages would be left out. */
  autoCondense: boolean;
  tools: {
    enabled: boolean;
    toolChoice: 'auto' | 'none' | 'required';
    maxRounds: number;
    exclude: string[];
    /** Offer other extensions' and MCP servers' tools too (each call asks first). */
    otherExtensions: boolean;
  };
}

export const SECTION = 'bud';

function num(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The value the user set anywhere, or undefined when only the default applies. */
function userSet<T>(cfg: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const i = cfg.inspect<T>(key);
  return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
}

let kept: BudSettings | undefined;
let watching = false;

/**
 * Keeps the settings read until they change: a message sent reads them several times (the request, the status, the
 * context meter), and in VS Code each read allocates ~300 KB, which the extension host then has to collect, often
 * in the middle of the next send. Register it before any other listener of settings changes, so those read the new
 * values; without it (tests that never activate) every call reads afresh.
 */
export function watchSettings(): vscode.Disposable {
  watching = true;
  const forget = () => (kept = undefined);
  const subscriptions = [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) forget();
    }),
    // Folder and trust changes change which workspace values apply.
    vscode.workspace.onDidChangeWorkspaceFolders(forget),
    vscode.workspace.onDidGrantWorkspaceTrust(forget),
  ];
  return new vscode.Disposable(() => {
    watching = false;
    forget();
    for (const d of subscriptions) d.dispose();
  });
}

/** The `bud.*` settings, frozen: the same object serves every reader until a setting changes. */
export function readSettings(): BudSettings {
  if (kept) return kept;
  const settings = freeze(read());
  if (watching) kept = settings;
  return settings;
}

function freeze(s: BudSettings): BudSettings {
  Object.freeze(s.tools.exclude);
  Object.freeze(s.tools);
  if (s.stop) Object.freeze(s.stop);
  if (typeof s.contextWindow === 'object') s.contextWindow = Object.freeze({ ...s.contextWindow });
  return Object.freeze(s);
}

function read(): BudSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  // Machine-scoped: VS Code already ignores workspace values; read only the user's value as a second guard.
  const base = cfg.inspect<string>('baseUrl');
  const baseUrl = str(base?.globalValue) ?? str(base?.defaultValue) ?? '';
  const wsBase = str(base?.workspaceFolderValue) ?? str(base?.workspaceValue);
  const stop = cfg.get<unknown>('stop');
  const stopList = (Array.isArray(stop) ? stop : typeof stop === 'string' ? [stop] : [])
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .slice(0, 4);
  const choice = cfg.get<string>('tools.toolChoice');
  const exclude = cfg.get<unknown>('tools.exclude');
  return {
    baseUrl,
    ignoredWorkspaceBaseUrl: wsBase && wsBase !== baseUrl ? wsBase : undefined,
    model: str(cfg.get('model')) ?? '',
    temperature: num(cfg.get('temperature'), 0, 2),
    topP: num(cfg.get('topP'), 0, 1),
    maxTokens: num(cfg.get('maxTokens'), 1, 1_000_000),
    stop: stopList.length ? stopList : undefined,
    presencePenalty: num(cfg.get('presencePenalty'), -2, 2),
    frequencyPenalty: num(cfg.get('frequencyPenalty'), -2, 2),
    user: str(cfg.get('user')),
    systemPrompt: cfg.get<string>('systemPrompt') ?? '',
    stream: cfg.get<boolean>('stream') !== false,
    requestTimeout: num(userSet(cfg, 'requestTimeout'), 1, 3600),
    maxRetries: num(userSet(cfg, 'maxRetries'), 0, 10),
    trace: cfg.get<boolean>('trace') === true,
    modelTitles: cfg.get<boolean>('modelTitles') === true,
    contextWindow: windowSetting(cfg.get<unknown>('contextWindow')),
    autoCondense: cfg.get<boolean>('autoCondense') === true,
    tools: {
      enabled: cfg.get<boolean>('tools.enabled') !== false,
      toolChoice: choice === 'none' || choice === 'required' ? choice : 'auto',
      maxRounds: Math.round(num(cfg.get('tools.maxRounds'), 1, 50) ?? 10),
      exclude: Array.isArray(exclude) ? exclude.filter((s): s is string => typeof s === 'string') : [],
      otherExtensions: cfg.get<boolean>('tools.otherExtensions') === true,
    },
  };
}

export interface AttachmentSettings {
  /** `bud.instructions.enabled`: send the workspace's instruction files (trusted workspaces only). */
  instructions: boolean;
  /** `bud.attachments.currentFile`: the current file goes with each message unless its chip is turned off. */
  attachCurrentFile: boolean;
}

export function readAttachmentSettings(): AttachmentSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return {
    instructions: cfg.get<boolean>('instructions.enabled') !== false,
    attachCurrentFile: cfg.get<boolean>('attachments.currentFile') === true,
  };
}

/** `bud.contextWindow` as a map of model id to tokens, or one number for every model; junk reads as not set. */
function windowSetting(v: unknown): Record<string, unknown> | number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) return v as Record<string, unknown>;
  return undefined;
}

/** Whether a settings change touches the context window (learned windows then give way to the new value). */
export function affectsContextWindow(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.contextWindow`);
}

/**
 * Whether a settings change can change what the server's model list says or which entry of it matters: the base
 * URL and the model. Sampling, tools and the rest need no new `GET /v1/models`.
 */
export function affectsModelList(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.baseUrl`) || e.affectsConfiguration(`${SECTION}.model`);
}

/** Writes the model to the user settings (Select Model). */
export async function setModel(model: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('model', model, vscode.ConfigurationTarget.Global);
}

export function affectsBud(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
