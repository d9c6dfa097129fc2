// The window's connection to the gateway, read fresh for every request: settings + SecretStorage + env +
// ~/.bud/config.toml -> the key, the base URL and a BudClient; the status the view shows; and the setup of
// one chat turn (parameters, system prompt, workspace tools when allowed).
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import type { BudClient, ClientConfig } from '../api/client';
import { ValidationError } from '../api/errors';
import { budConfigPath } from '../config/resolve';
import { readSettings, type BudSettings } from '../config/settings';
import type { KeyStore } from '../config/secrets';
import { resolveConnection, type Connection } from './connection';
import type { TurnSetup } from '../chat/controller';
import type { ToolExecutor } from '../tools/port';
import { buildSystemPrompt } from '../chat/prompts';
import type { ChatCompletionParams } from '../api/types';
import type { ErrorInfo, ViewStatus } from '../protocol';
import { toErrorInfo } from '../chat/errorInfo';
import type { Logger } from '../log/logger';
import type { ContextSetup } from '../chat/chatContext';
import type { ContextLimits } from '../context/limits';
import { TokenCounter } from '../context/counter';
import { ModelLists } from './modelLists';
import { parseContextRefusal } from '../context/refusal';
import { compositeExecutor } from '../lm/foreignCore';

/** What `Session.prepare` can be asked for beyond the settings. */
export interface PrepareOptions {
  /** Send to this model instead of `bud.model` (VS Code's model picker chose it). */
  model?: string;
}

/** End-to-end tests only (BUD_TEST_MODE=1): short idle / whole-stream timeouts, so stalls fail in seconds. */
function testOnlyMs(name: string): number | undefined {
  if (process.env.BUD_TEST_MODE !== '1') return undefined;
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * The workspace tools (with picomatch and ignore), loaded when the view first asks for the status or a turn
 * first needs them, not when the extension loads. esbuild bundles the module wrapped, run on this first call.
 */
function workspaceTools(): typeof import('../tools/workspaceTools') {
  return require('../tools/workspaceTools') as typeof import('../tools/workspaceTools');
}

/** The HTTP client module (and with it undici and node:http), loaded when the first client is made. */
function api(): typeof import('../api/client') {
  return require('../api/client') as typeof import('../api/client');
}

export class Session {
  /** Integration tests only: where requests go instead of the resolved base URL. */
  overrideBaseUrl: string | undefined;
  /** The last request body sent (integration tests). */
  lastRequest: ChatCompletionParams | undefined;
  private warned = new Set<string>();
  /** One tool executor per exclude list (it caches ripgrep's location and the workspace roots). */
  private tools: { key: string; executor: ToolExecutor } | undefined;
  /** The client kept between requests, with the settings it was made from (see `client`). */
  private pooled: { key: string; client: BudClient } | undefined;
  /** The model lists read for the context window metadata. */
  readonly modelLists: ModelLists;
  /** The one token counter of the window (its cache serves every request, whoever sends it). */
  readonly counter = new TokenCounter();
  /** Tools besides Bud's own for the panel's chat (other extensions' tools, see src/lm/foreignTools.ts). */
  extraTools: ((settings: BudSettings) => ToolExecutor | undefined) | undefined;

  constructor(
    private readonly keys: KeyStore,
    private readonly log: Logger,
    private readonly version: string,
    /** The window's knowledge of each model's limits (metadata, learned windows, calibration). */
    readonly limits: ContextLimits,
  ) {
    this.modelLists = new ModelLists(limits, (l) => this.log.info(l));
  }

  async resolve(): Promise<{ settings: BudSettings; conn: Connection }> {
    const settings = readSettings();
    const [secret, configFileText] = await Promise.all([
      this.keys.get(),
      fs.readFile(budConfigPath(os.homedir()), 'utf8').catch(() => undefined),
    ]);
    const conn = resolveConnection({
      secret,
      settings: {
        baseUrl: settings.baseUrl || undefined,
        requestTimeout: settings.requestTimeout,
        maxRetries: settings.maxRetries,
      },
      env: process.env,
      configFileText,
      overrideBaseUrl: this.overrideBaseUrl,
    });
    this.log.setSecret(conn.apiKey);
    const warnings = [...conn.warnings];
    if (settings.ignoredWorkspaceBaseUrl) {
      warnings.push(
        vscode.l10n.t(
          "Ignored bud.baseUrl from this workspace's settings ({0}): the base URL decides where your API key is sent, so only your user (machine) settings can set it.",
          settings.ignoredWorkspaceBaseUrl,
        ),
      );
    }
    for (const w of warnings)
      if (!this.warned.has(w)) {
        this.warned.add(w);
        this.log.warn(w);
      }
    return { settings, conn };
  }

  /**
   * The client for this connection. One client (and so one pool of keep-alive connections) is kept while
   * the key, URL and limits stay the same; a change replaces it and closes the old pool once its requests end.
   * A one-off timeout (Test Connection) gets a client of its own that the caller closes.
   */
  client(conn: Connection, timeoutOverrideMs?: number): BudClient {
    const config: ClientConfig = {
      baseUrl: conn.baseUrl,
      apiKey: conn.apiKey ?? '',
      timeoutMs: timeoutOverrideMs ?? conn.timeoutMs,
      idleTimeoutMs: testOnlyMs('BUD_TEST_IDLE_TIMEOUT_MS'),
      streamDeadlineMs: testOnlyMs('BUD_TEST_STREAM_DEADLINE_MS'),
      maxRetries: conn.maxRetries,
      userAgent: `bud-chat-vscode/${this.version} vscode/${vscode.version}`,
      verifySsl: conn.verifySsl,
      logger: { request: (info) => this.log.request(info) },
      // A context refusal is final for the client (the chat fits the request again); no second try without stream_options.
      isUnrelated400: (err) => !!parseContextRefusal(err.status, err.body ?? err.serverMessage, err.serverMessage),
    };
    if (timeoutOverrideMs !== undefined) return new (api().BudClient)(config);
    const key = JSON.stringify([
      config.baseUrl,
      config.apiKey,
      config.timeoutMs,
      config.idleTimeoutMs,
      config.streamDeadlineMs,
      config.maxRetries,
      config.verifySsl,
    ]);
    if (this.pooled?.key !== key) {
      const old = this.pooled?.client;
      this.pooled = { key, client: new (api().BudClient)(config) };
      void old?.close();
    }
    return this.pooled.client;
  }

  /** Closes the pooled connections (deactivate). */
  async dispose(): Promise<void> {
    const old = this.pooled?.client;
    this.pooled = undefined;
    await old?.close();
  }

  toolsState(settings: BudSettings): { enabled: boolean; reason?: string } {
    if (!settings.tools.enabled) return { enabled: false };
    const reason = workspaceTools().toolsDisabledReason();
    return reason ? { enabled: false, reason } : { enabled: true };
  }

  async status(): Promise<Omit<ViewStatus, 'busy'>> {
    const { settings, conn } = await this.resolve();
    const tools = this.toolsState(settings);
    let baseUrl = conn.baseUrl;
    try {
      baseUrl = this.client(conn).baseUrl;
    } catch {
      /* shown as configured */
    }
    const status: Omit<ViewStatus, 'busy'> = {
      model: settings.model,
      hasApiKey: !!conn.apiKey,
      keySource: conn.keySource,
      baseUrl,
      toolsEnabled: tools.enabled,
    };
    if (tools.reason) status.toolsDisabledReason = tools.reason;
    return status;
  }

  /** The workspace tools with the current bud.tools.exclude (for VS Code's agents as for the panel). */
  async workspaceTools(): Promise<ToolExecutor> {
    const { settings } = await this.resolve();
    return this.toolExecutor(settings.tools.exclude);
  }

  private toolExecutor(exclude: string[]): ToolExecutor {
    const key = JSON.stringify(exclude);
    if (this.tools?.key !== key) {
      this.tools = {
        key,
        executor: workspaceTools().createWorkspaceToolExecutor({ exclude, log: (l: string) => this.log.info(l) }),
      };
    }
    return this.tools.executor;
  }

  /**
   * What the context fitting needs: the model, the system prompt, the tool definitions that will be sent and the
   * window settings; undefined when no model is selected. The model list is read once per base URL (with a key).
   */
  async contextSetup(
    resolved?: { settings: BudSettings; conn: Connection },
    /** The model and tools of the request being prepared (`tools: null` when it sends none). */
    request?: { model: string; tools: ToolExecutor | null },
  ): Promise<ContextSetup | undefined> {
    const { settings, conn } = resolved ?? (await this.resolve());
    const model = request?.model ?? settings.model;
    if (!model) return undefined;
    let baseUrl = conn.baseUrl;
    if (conn.apiKey) {
      try {
        const client = this.client(conn);
        baseUrl = client.baseUrl;
        await this.modelLists.ensure(client);
      } catch {
        /* an unusable base URL: the request itself will say so */
      }
    }
    const executor = request ? request.tools : this.requestTools(settings);
    const tools = executor?.definitions();
    return {
      baseUrl,
      model,
      systemPrompt: buildSystemPrompt(settings.systemPrompt),
      tools: tools?.length ? tools : undefined,
      settings: { contextWindow: settings.contextWindow, maxTokens: settings.maxTokens },
    };
  }

  /** Everything one chat request needs, or the error that stops it before sending. */
  /** The tools a chat request offers: Bud's own (when on) and other extensions' (when allowed); null for none. */
  private requestTools(settings: BudSettings): ToolExecutor | null {
    const own = this.toolsState(settings).enabled ? this.toolExecutor(settings.tools.exclude) : undefined;
    const extra = this.extraTools?.(settings);
    return (extra ? compositeExecutor([own, extra]) : own) ?? null;
  }

  async prepare(opts: PrepareOptions = {}): Promise<TurnSetup | ErrorInfo> {
    const { settings, conn } = await this.resolve();
    if (!conn.apiKey) {
      return toErrorInfo(
        new ValidationError(
          vscode.l10n.t(
            'No API key is set. Set one with "Bud: Set API Key" (it is kept in your OS keychain), or set BUD_API_KEY, or add api_key to ~/.bud/config.toml.',
          ),
          'apiKey',
          'noApiKey',
        ),
      );
    }
    const model = opts.model || settings.model;
    if (!model) {
      return toErrorInfo(
        new ValidationError(
          vscode.l10n.t('No model is selected. Choose one with "Bud: Select Model" (the list comes from the server).'),
          'model',
          'noModel',
        ),
      );
    }
    const params: Omit<ChatCompletionParams, 'messages'> = { model };
    if (settings.temperature !== undefined) params.temperature = settings.temperature;
    if (settings.topP !== undefined) params.top_p = settings.topP;
    if (settings.maxTokens !== undefined) params.max_tokens = Math.round(settings.maxTokens);
    if (settings.stop) params.stop = settings.stop;
    if (settings.presencePenalty !== undefined) params.presence_penalty = settings.presencePenalty;
    if (settings.frequencyPenalty !== undefined) params.frequency_penalty = settings.frequencyPenalty;
    if (settings.user) params.user = settings.user;
    const client = this.client(conn);
    const all = this.requestTools(settings);
    const context = await this.contextSetup({ settings, conn }, { model, tools: all });
    const setup: TurnSetup = {
      client,
      baseUrl: client.baseUrl,
      params,
      stream: settings.stream,
      systemPrompt: buildSystemPrompt(settings.systemPrompt),
      modelTitles: settings.modelTitles,
      context: context!,
      autoCondense: settings.autoCondense,
      onRequest: (p) => {
        this.lastRequest = p;
        if (settings.trace) this.log.trace('request messages', p.messages);
      },
    };
    if (all) {
      setup.tools = all;
      setup.toolChoice = settings.tools.toolChoice;
      setup.maxToolRounds = settings.tools.maxRounds;
    }
    return setup;
  }
}
