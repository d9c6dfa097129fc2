// What Bud knows about the limits of each model at each base URL: the `/v1/models` metadata (fetched once per
// base URL), the windows learned from refusals and the per-model calibration, with the persistence of the last
// two. Pure: the host gives it a `save` callback (globalState) and the raw model entries. No `vscode` import.
//
//   const limits = new ContextLimits({ data: globalState.get(KEY), save: (d) => globalState.update(KEY, d) });
//   limits.setModelList(baseUrl, rawEntries);                   // after GET /v1/models
//   const b = limits.budget(baseUrl, model, { contextWindow, maxTokens });
//   fitRequest({ …, window: b.window.tokens, reserve: b.reserve.tokens, scale: b.scale });
//   limits.observeUsage(baseUrl, model, fitted.rawTokens, usage.prompt_tokens);   // after each answer
//   const l = limits.learnRefusal(baseUrl, model, refusal, sent);                  // after a refusal
import { Calibration, type CalibrationData } from './counter';
import { parseModelLimits, type ModelLimits } from './modelInfo';
import { learnedWindow, type ContextRefusal, type LearnedFromRefusal } from './refusal';
import {
  answerReserve,
  LearnedWindows,
  resolveWindow,
  windowKey,
  type AnswerReserve,
  type LearnedWindowsData,
  type ResolvedWindow,
  type WindowSetting,
} from './windows';
import { normaliseBaseUrl } from '../api/url';

export interface ContextSettings {
  /** `bud.contextWindow`. */
  contextWindow?: WindowSetting;
  /** `bud.maxTokens`. */
  maxTokens?: number;
}

export interface RequestBudget {
  /** Key of this base URL + model (calibration and learned windows). */
  key: string;
  window: ResolvedWindow;
  reserve: AnswerReserve;
  /** Server tokens per locally counted token. */
  scale: number;
  /** How many answers the calibration has seen (0: not yet calibrated). */
  calibrationSamples: number;
}

export interface ContextLimitsData {
  version: 1;
  learned: LearnedWindowsData;
  calibration: CalibrationData;
}

export interface LearnResult extends LearnedFromRefusal {
  /** Something new was learned (a window or a calibration), so sending again may succeed. */
  changed: boolean;
}

/** A calibration that moved by less than this does not justify another attempt. */
const MEANINGFUL_FACTOR_CHANGE = 0.02;

const baseKey = (baseUrl: string) => {
  const n = normaliseBaseUrl(baseUrl);
  return (n.error ? baseUrl.trim() : n.url).toLowerCase();
};

export class ContextLimits {
  readonly learned: LearnedWindows;
  readonly calibration: Calibration;
  private readonly models = new Map<string, Map<string, ModelLimits>>();
  private readonly save?: (data: ContextLimitsData) => void;
  private readonly now: () => number;

  constructor(opts: { data?: unknown; save?: (data: ContextLimitsData) => void; now?: () => number } = {}) {
    const d = opts.data as Partial<ContextLimitsData> | undefined;
    this.learned = new LearnedWindows(d?.learned);
    this.calibration = new Calibration(d?.calibration);
    this.save = opts.save;
    this.now = opts.now ?? Date.now;
  }

  /** Records the raw `/v1/models` entries of a base URL (replacing what was known of it). */
  setModelList(baseUrl: string, entries: readonly unknown[]): void {
    const map = new Map<string, ModelLimits>();
    for (const e of entries) {
      const id = (e as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' && id) map.set(id, parseModelLimits(e));
    }
    this.models.set(baseKey(baseUrl), map);
  }

  /** Whether the model list of this base URL has been read (so it need not be fetched again). */
  hasModelList(baseUrl: string): boolean {
    return this.models.has(baseKey(baseUrl));
  }

  /** Forgets fetched model lists (Select Model and settings changes fetch them again). */
  forgetModelLists(): void {
    this.models.clear();
  }

  metadata(baseUrl: string, model: string): ModelLimits | undefined {
    return this.models.get(baseKey(baseUrl))?.get(model);
  }

  budget(baseUrl: string, model: string, settings: ContextSettings): RequestBudget {
    const window = resolveWindow({
      baseUrl,
      model,
      learned: this.learned,
      setting: settings.contextWindow,
      metadata: this.metadata(baseUrl, model),
    });
    const key = windowKey(baseUrl, model);
    return {
      key,
      window,
      reserve: answerReserve(window, settings.maxTokens),
      scale: this.calibration.factor(key),
      calibrationSamples: this.calibration.samples(key),
    };
  }

  /** After an answer: the server's prompt count for a request Bud counted as `rawEstimate` (before calibration). */
  observeUsage(baseUrl: string, model: string, rawEstimate: number, promptTokens: number | undefined): void {
    if (promptTokens === undefined) return;
    if (this.calibration.observe(windowKey(baseUrl, model), rawEstimate, promptTokens) !== undefined) this.persist();
  }

  /**
   * After a refusal: learns the window it states (or one derived from what was sent) and, when it says how many
   * tokens the server counted, the calibration. `sent.promptTokens` is Bud's calibrated count of the refused
   * request and `rawPromptTokens` the same before calibration.
   */
  learnRefusal(
    baseUrl: string,
    model: string,
    refusal: ContextRefusal,
    sent: { promptTokens: number; rawPromptTokens: number; maxTokens?: number },
  ): LearnResult {
    const key = windowKey(baseUrl, model);
    const before = this.calibration.factor(key);
    if (refusal.promptTokens !== undefined) this.calibration.observe(key, sent.rawPromptTokens, refusal.promptTokens);
    const calibrated = Math.abs(this.calibration.factor(key) - before) >= MEANINGFUL_FACTOR_CHANGE;
    const learned = learnedWindow(refusal, sent);
    const newWindow = this.learned.learn(baseUrl, model, learned.window, this.now(), learned.estimated);
    this.persist();
    return { ...learned, changed: newWindow || calibrated };
  }

  /** The user changed bud.contextWindow: learned windows give way, so a raised setting is tried again. */
  settingsChanged(): void {
    this.learned.forget();
    this.persist();
  }

  toJSON(): ContextLimitsData {
    return { version: 1, learned: this.learned.toJSON(), calibration: this.calibration.toJSON() };
  }

  private persist(): void {
    try {
      this.save?.(this.toJSON());
    } catch {
      /* persistence is best effort: the limits still apply in this window */
    }
  }
}
