// The API key in VS Code's SecretStorage (the OS keychain): the only place the extension stores it.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';

export const SECRET_KEY = 'bud.apiKey';

export class KeyStore implements vscode.Disposable {
  /**
   * The key as last read. Every request and every meter count needs it, and in a remote or web window each read is
   * a round trip to the window's renderer (code-server: over its socket), which a loaded machine makes cost tens of
   * milliseconds before the request can leave. It is read again after any change, here or in another window.
   */
  private cached: Promise<string | undefined> | undefined;
  private readonly watch: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.watch = secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) this.cached = undefined;
    });
  }

  get(): Promise<string | undefined> {
    if (this.cached) return this.cached;
    const read = Promise.resolve(this.secrets.get(SECRET_KEY)).then((v) => (v && v.trim() ? v.trim() : undefined));
    this.cached = read;
    // a failed read is not remembered
    read.catch(() => {
      if (this.cached === read) this.cached = undefined;
    });
    return read;
  }

  async set(key: string): Promise<void> {
    this.cached = undefined;
    await this.secrets.store(SECRET_KEY, key.trim());
    this.cached = undefined;
  }

  async clear(): Promise<void> {
    this.cached = undefined;
    await this.secrets.delete(SECRET_KEY);
    this.cached = undefined;
  }

  dispose(): void {
    this.watch.dispose();
  }

  /** Fires when the key changes in this or another window. */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) listener();
    });
  }
}

/** Checks a key typed into the Set API Key box; returns the problem or undefined. */
export function validateKeyInput(value: string): string | undefined {
  const v = value.trim();
  if (!v) return l10n.t('Enter the API key (it cannot be empty).');
  if (/\s/.test(v)) return l10n.t('An API key has no spaces or line breaks; check what was pasted.');
  if (v.length > 4096) return l10n.t('That is too long to be an API key.');
  return undefined;
}
