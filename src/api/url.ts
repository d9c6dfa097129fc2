// Base URL normalisation: users paste the gateway with or without `/v1`, with a trailing slash, or the whole
// `/chat/completions` endpoint. No `vscode` import.
import * as l10n from '@vscode/l10n';

export interface NormalisedUrl {
  /** e.g. https://gateway.bud.studio/v1 (no trailing slash). */
  url: string;
  /** Set when the input is not a usable http(s) URL. */
  error?: string;
}

export function normaliseBaseUrl(input: string): NormalisedUrl {
  let s = (input ?? '').trim();
  if (!s) return { url: '', error: l10n.t('The base URL is empty.') };
  const invalid = { url: s, error: l10n.t('The base URL {0} is not a valid URL.', JSON.stringify(s)) };
  if (/\s/.test(s)) return invalid;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    const local = /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(s);
    s = (local ? 'http://' : 'https://') + s;
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return invalid;
  }
  if (!/^([a-z0-9_-]+\.)*[a-z0-9_-]+$|^\[[0-9a-f:.]+\]$/i.test(u.hostname)) return invalid;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return {
      url: input.trim(),
      error: l10n.t('The base URL {0} must start with http:// or https://.', JSON.stringify(input.trim())),
    };
  }
  u.search = '';
  u.hash = '';
  u.username = '';
  u.password = '';
  let path = u.pathname.replace(/\/+$/, '');
  path = path.replace(/\/(chat\/completions|completions|models)$/i, '').replace(/\/+$/, '');
  if (!/\/v\d+$/i.test(path)) path += '/v1';
  u.pathname = path;
  return { url: u.toString().replace(/\/+$/, '') };
}
