// Base URL normalisation: users paste the gateway with or without `/v1`, with a trailing slash, or the whole
// `/chat/completions` endpoint. No `vscode` import.

export interface NormalisedUrl {
  /** e.g. https://gateway.bud.studio/v1 (no trailing slash). */
  url: string;
  /** Set when the input is not a usable http(s) URL. */
  error?: string;
}

export function normaliseBaseUrl(input: string): NormalisedUrl {
  let s = (input ?? '').trim();
  if (!s) return { url: '', error: 'The base URL is empty.' };
  const invalid = { url: s, error: `The base URL ${JSON.stringify(s)} is not a valid URL.` };
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
      error: `The base URL ${JSON.stringify(input.trim())} must start with http:// or https://.`,
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
