// The `/v1/models` list of each base URL, read once for the context window metadata (not before every send),
// again after Select Model or a settings change. A list that cannot be read is not asked for again until then:
// the window falls back to the setting or the default (src/context/windows.ts).
import type { BudClient } from '../api/client';
import type { Model } from '../api/types';
import type { ContextLimits } from '../context/limits';

/** How long a failed model list is not asked for again (a server without /v1/models answers 404 every time). */
const RETRY_FAILED_AFTER_MS = 10 * 60_000;

export class ModelLists {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly limits: ContextLimits,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the model list of the client's base URL unless it is known (or failed recently). Never rejects. */
  ensure(client: Pick<BudClient, 'baseUrl' | 'listModels'>): Promise<void> {
    const url = client.baseUrl;
    if (this.limits.hasModelList(url)) return Promise.resolve();
    const failed = this.failedAt.get(url);
    if (failed !== undefined && this.now() - failed < RETRY_FAILED_AFTER_MS) return Promise.resolve();
    let p = this.inFlight.get(url);
    if (!p) {
      p = client
        .listModels()
        .then((models) => this.record(url, models))
        .catch((err: unknown) => {
          this.failedAt.set(url, this.now());
          this.log(
            `Context: could not read the model list of ${url} (${err instanceof Error ? err.message : String(err)}); ` +
              'the context window comes from bud.contextWindow or the default.',
          );
        })
        .finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, p);
    }
    return p;
  }

  /** A model list read elsewhere (Select Model). */
  record(baseUrl: string, models: readonly Model[]): void {
    this.limits.setModelList(baseUrl, models);
    this.failedAt.delete(baseUrl);
  }

  /** Settings changed: lists are read again on the next use. */
  reset(): void {
    this.limits.forgetModelLists();
    this.failedAt.clear();
  }
}
