// Bud's models in VS Code's own AI: a LanguageModelChatProvider (vendor `bud`, stable since VS Code 1.104), so the
// Chat view, agent mode and every extension using `vscode.lm.selectChatModels({ vendor: 'bud' })` can use them.
// A thin adapter: the client, retries, key, settings and limits are the chat panel's own (src/connection/session.ts),
// the message mapping is pure (./messages.ts, ./responseParts.ts), errors carry the panel's sentences.
import * as vscode from 'vscode';
import { ChatAccumulator } from '../api/accumulator';
import { AbortedError, BudError } from '../api/errors';
import type { ChatCompletionParams, Model } from '../api/types';
import { toErrorInfo } from '../chat/errorInfo';
import { requestRound } from '../chat/round';
import { affectsBud, affectsModelList, readSettings } from '../config/settings';
import type { KeyStore } from '../config/secrets';
import type { Session } from '../connection/session';
import { parseContextRefusal } from '../context/refusal';
import type { Logger } from '../log/logger';
import { toFunctionTools, toOpenAiMessages, toToolChoice, ToolNames } from './messages';
import { hostLabel, languageModelErrorCode, modelInformation, modelOptionParams, type BudModelInfo } from './modelInfo';
import { toLmMessage } from './parts';
import { answerFallbackText, requestKey, toolCallParts } from './responseParts';
import {
  lmApi,
  lmClasses,
  TOOL_MODE_REQUIRED,
  type LanguageModelChatProvider,
  type LanguageModelChatRequestMessage,
  type LmClasses,
  type ProvideLanguageModelChatResponseOptions,
} from './vscodeLm';

/** The vendor id VS Code shows and extensions select by (`contributes.languageModelChatProviders`). */
export const VENDOR = 'bud';

/** The error VS Code passes on to the caller, with the sentence the chat panel would show. */
export function toLanguageModelError(err: unknown): vscode.LanguageModelError {
  const info = toErrorInfo(err);
  const code = err instanceof BudError ? languageModelErrorCode(err.kind) : '';
  const message = info.requestId ? `${info.message} (request id ${info.requestId})` : info.message;
  if (code) return vscode.LanguageModelError[code](message);
  return new vscode.LanguageModelError(message);
}

export class BudChatModelProvider implements LanguageModelChatProvider<BudModelInfo>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  /** The last model list read, per base URL and key: VS Code asks often, the server is asked once per change. */
  private listed: { key: string; models: Model[] } | undefined;

  constructor(
    private readonly session: Session,
    private readonly classes: LmClasses,
    private readonly log: Logger,
  ) {}

  /**
   * Settings, key or learned limits changed: VS Code asks for the models again. The server's list is read again
   * only when `reread` (a new base URL or model; a new key changes the cache's key by itself).
   */
  refresh(reread = false): void {
    if (reread) this.listed = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideLanguageModelChatInformation(
    options: { readonly silent: boolean },
    token: vscode.CancellationToken,
  ): Promise<BudModelInfo[]> {
    let { settings, conn } = await this.session.resolve();
    if (!conn.apiKey && !options.silent) {
      await vscode.commands.executeCommand('bud.setApiKey');
      ({ settings, conn } = await this.session.resolve());
    }
    if (!conn.apiKey) return [];
    const client = this.session.client(conn);
    const key = JSON.stringify([client.baseUrl, conn.apiKey]);
    let models = this.listed?.key === key ? this.listed.models : undefined;
    if (!models) {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        models = await client.listModels({ signal: abort.signal });
        this.session.limits.setModelList(client.baseUrl, models);
        this.listed = { key, models };
      } catch (err) {
        this.log.warn(`Language models: could not list the models at ${client.baseUrl}: ${toErrorInfo(err).message}`);
        if (!options.silent) void vscode.window.showWarningMessage(`Bud: ${toErrorInfo(err).message}`);
        models = [];
      } finally {
        sub.dispose();
      }
    }
    const ids = models.map((m) => m.id);
    return modelInformation(ids, [settings.model], (id) => this.budget(client.baseUrl, id), hostLabel(client.baseUrl));
  }

  private budget(baseUrl: string, model: string) {
    return this.session.limits.budget(baseUrl, model, { maxTokens: readSettings().maxTokens });
  }

  async provideLanguageModelChatResponse(
    model: BudModelInfo,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const setup = await this.session.prepare({ model: model.id });
    if (!('client' in setup)) throw toLanguageModelError(new BudError(setup.kind, setup.message));
    const openai = toOpenAiMessages(messages.map(toLmMessage));
    const tools = options.tools ?? [];
    const names = new ToolNames(tools);
    const params: ChatCompletionParams = {
      ...setup.params,
      ...modelOptionParams(options.modelOptions),
      messages: openai,
    };
    const baseUrl = setup.baseUrl ?? '';
    const budget = this.budget(baseUrl, model.id);
    if (params.max_tokens === undefined && budget.reserve.maxTokens !== undefined)
      params.max_tokens = budget.reserve.maxTokens;
    if (tools.length) {
      params.tools = toFunctionTools(tools);
      const choice = toToolChoice(options.toolMode === TOOL_MODE_REQUIRED ? 'required' : 'auto', tools.length);
      if (choice) params.tool_choice = choice;
    }
    setup.onRequest?.(params);

    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    const acc = new ChatAccumulator();
    let sent = '';
    const { LanguageModelTextPart, LanguageModelToolCallPart } = this.classes;
    try {
      const round = await requestRound(
        {
          client: setup.client,
          signal: abort.signal,
          events: {
            onText: () => undefined,
            onRetry: (e) =>
              this.log.info(`Language models: retry ${e.attempt}/${e.maxRetries} in ${e.delayMs} ms (${e.reason})`),
          },
        },
        params,
        setup.stream,
        acc,
        (text) => {
          sent += text;
          progress.report(new LanguageModelTextPart(text));
        },
        // Reasoning is the model's scratchpad, not its answer: it is never reported as answer text.
        () => undefined,
      );
      const fallback = answerFallbackText(round.message, sent);
      if (fallback) progress.report(new LanguageModelTextPart(fallback));
      for (const call of toolCallParts(round.message, names, requestKey(openai)))
        progress.report(new LanguageModelToolCallPart(call.callId, call.name, call.input));
      const raw = this.session.counter.request(openai, params.tools);
      this.session.limits.observeUsage(baseUrl, model.id, raw, round.usage?.prompt_tokens);
    } catch (err) {
      if (token.isCancellationRequested || err instanceof AbortedError) return;
      this.learnFromRefusal(err, baseUrl, model.id, openai, params);
      throw toLanguageModelError(err);
    } finally {
      sub.dispose();
    }
  }

  /** A "does not fit" refusal teaches the window (as in the panel); VS Code then gets the smaller size. */
  private learnFromRefusal(
    err: unknown,
    baseUrl: string,
    model: string,
    messages: ChatCompletionParams['messages'],
    params: ChatCompletionParams,
  ): void {
    if (!(err instanceof BudError)) return;
    const refusal = parseContextRefusal(err.status, err.serverMessage, err.message);
    if (!refusal) return;
    const raw = this.session.counter.request(messages, params.tools);
    const learned = this.session.limits.learnRefusal(baseUrl, model, refusal, {
      promptTokens: Math.round(raw * this.budget(baseUrl, model).scale),
      rawPromptTokens: raw,
      maxTokens: params.max_tokens,
    });
    if (learned.changed) this.changed.fire();
  }

  provideTokenCount(
    _model: BudModelInfo,
    text: string | LanguageModelChatRequestMessage,
    _token: vscode.CancellationToken,
  ): Promise<number> {
    const counter = this.session.counter;
    if (typeof text === 'string') return Promise.resolve(counter.text(text));
    let n = 0;
    for (const m of toOpenAiMessages([toLmMessage(text)])) n += counter.message(m);
    return Promise.resolve(n);
  }
}

/** Registers the provider when this VS Code has the API (1.104+); the sidebar chat does not need it. */
export function registerLanguageModelProvider(
  context: vscode.ExtensionContext,
  session: Session,
  keys: KeyStore,
  log: Logger,
): BudChatModelProvider | undefined {
  const api = lmApi();
  const classes = lmClasses();
  if (!api.registerLanguageModelChatProvider || !classes) {
    log.info(
      `Language models: VS Code ${vscode.version} has no language-model provider API (1.104+); Bud's models are not offered to VS Code's Chat view.`,
    );
    return undefined;
  }
  const provider = new BudChatModelProvider(session, classes, log);
  context.subscriptions.push(
    api.registerLanguageModelChatProvider(VENDOR, provider),
    provider,
    keys.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsBud(e)) provider.refresh(affectsModelList(e));
    }),
  );
  return provider;
}
