// The API key in VS Code's SecretStorage (the OS keychain): the only place the extension stores it.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';

export const SECRET_KEY = 'bud.apiKey';

export class KeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<string | undefined> {
    const v = await this.secrets.get(SECRET_KEY);
    return v && v.trim() ? v.trim() : undefined;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
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
