// Where the API key, base URL, timeout and retries come from, in the order the Bud SDK uses, so a user who
// has the SDK set up gets the same result. Pure (no `vscode`, no file access: the caller passes the texts).
//
//   API key:  SecretStorage -> BUD_API_KEY -> ~/.bud/config.toml `api_key`
//   base URL: setting bud.baseUrl -> BUD_BASE_URL -> config.toml `base_url` -> https://gateway.bud.studio
//   timeout:  setting bud.requestTimeout (s) -> BUD_TIMEOUT (s) -> config.toml `timeout` (s) -> 60 s
//   retries:  setting bud.maxRetries -> BUD_MAX_RETRIES -> config.toml `max_retries` -> 3
//   TLS:      config.toml `verify_ssl` -> true
//
// Pass only settings the user has actually set (e.g. from `inspect()`), so env and file values can apply.
// Invalid values are skipped with a line in `warnings` (the key itself is never quoted).
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';

export interface SettingsInput {
  baseUrl?: string;
  /** seconds */
  requestTimeout?: number;
  maxRetries?: number;
}

export interface ResolveInput {
  secret?: string;
  settings: SettingsInput;
  env: Record<string, string | undefined>;
  configFileText?: string;
}

export interface ResolvedConfig {
  apiKey?: string;
  keySource: 'secretStorage' | 'env' | 'configFile' | 'none';
  baseUrl: string;
  baseUrlSource: 'setting' | 'env' | 'configFile' | 'default';
  timeoutMs: number;
  maxRetries: number;
  verifySsl: boolean;
  warnings: string[];
}

export const DEFAULT_BASE_URL = 'https://gateway.bud.studio';
export const DEFAULT_TIMEOUT_S = 60;
export const DEFAULT_MAX_RETRIES = 3;
/** Largest accepted values: a day, and 10 retries. */
export const MAX_TIMEOUT_S = 86_400;
export const MAX_RETRIES_LIMIT = 10;

const FILE = '~/.bud/config.toml';

export function budConfigPath(home: string): string {
  return path.join(home, '.bud', 'config.toml');
}

function nonEmpty(s: unknown): string | undefined {
  return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
}

/** smol-toml, loaded only when there is a config file to parse (not when the extension loads). */
function toml(): typeof import('smol-toml') {
  return require('smol-toml') as typeof import('smol-toml');
}

function parseFile(text: string | undefined, warnings: string[]): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  const { parse: parseToml, TomlError } = toml();
  try {
    return parseToml(text);
  } catch (e) {
    // The parser's message may quote the offending line (which could hold the key): report the position only.
    warnings.push(
      e instanceof TomlError
        ? l10n.t('{0} is not valid TOML (line {1}, column {2}); its settings were ignored.', FILE, e.line, e.column)
        : l10n.t('{0} is not valid TOML; its settings were ignored.', FILE),
    );
    return {};
  }
}

function isValidUrl(s: string): boolean {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`;
  try {
    const u = new URL(withScheme);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

type Num = { value: number; raw: string };

function readNumber(v: unknown): Num | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return { value: v, raw: String(v) };
  if (typeof v === 'bigint') return { value: Number(v), raw: String(v) };
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    return { value: t === '' ? NaN : Number(t), raw: JSON.stringify(v) };
  }
  return { value: NaN, raw: JSON.stringify(v) ?? typeof v };
}

/** The first valid value among the sources, warning about each invalid one skipped. */
function firstValid(
  sources: [string, unknown][],
  ok: (n: number) => boolean,
  expected: string,
  fallback: number,
  warnings: string[],
  unit: string,
): number {
  for (const [name, v] of sources) {
    const n = readNumber(v);
    if (!n) continue;
    if (Number.isFinite(n.value) && ok(n.value)) return n.value;
    warnings.push(l10n.t('{0} = {1} is not {2}; it was ignored.', name, n.raw, expected));
  }
  void unit;
  return fallback;
}

export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const warnings: string[] = [];
  const env = input.env ?? {};
  const settings = input.settings ?? {};
  const file = parseFile(input.configFileText, warnings);

  // API key
  let apiKey: string | undefined;
  let keySource: ResolvedConfig['keySource'] = 'none';
  const fileKey = file.api_key;
  if (fileKey !== undefined && typeof fileKey !== 'string')
    warnings.push(l10n.t('{0} in {1} is not a string; it was ignored.', 'api_key', FILE));
  if ((apiKey = nonEmpty(input.secret))) keySource = 'secretStorage';
  else if ((apiKey = nonEmpty(env.BUD_API_KEY))) keySource = 'env';
  else if ((apiKey = nonEmpty(fileKey))) keySource = 'configFile';
  else apiKey = undefined;

  // Base URL
  let baseUrl = DEFAULT_BASE_URL;
  let baseUrlSource: ResolvedConfig['baseUrlSource'] = 'default';
  const urlSources: [ResolvedConfig['baseUrlSource'], string, unknown][] = [
    ['setting', l10n.t('The setting {0}', 'bud.baseUrl'), settings.baseUrl],
    ['env', 'BUD_BASE_URL', env.BUD_BASE_URL],
    ['configFile', l10n.t('{0} in {1}', 'base_url', FILE), file.base_url],
  ];
  for (const [source, name, v] of urlSources) {
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
    if (typeof v === 'string' && isValidUrl(v.trim())) {
      baseUrl = v.trim();
      baseUrlSource = source;
      break;
    }
    warnings.push(l10n.t('{0} = {1} is not a valid http(s) URL; it was ignored.', name, JSON.stringify(v)));
  }

  // Timeout (seconds in every source)
  const timeoutS = firstValid(
    [
      [l10n.t('The setting {0}', 'bud.requestTimeout'), settings.requestTimeout],
      ['BUD_TIMEOUT', env.BUD_TIMEOUT],
      [l10n.t('{0} in {1}', 'timeout', FILE), file.timeout],
    ],
    (n) => n > 0 && n <= MAX_TIMEOUT_S,
    l10n.t('a number of seconds between 0 and {0}', MAX_TIMEOUT_S),
    DEFAULT_TIMEOUT_S,
    warnings,
    's',
  );

  // Retries
  const maxRetries = firstValid(
    [
      [l10n.t('The setting {0}', 'bud.maxRetries'), settings.maxRetries],
      ['BUD_MAX_RETRIES', env.BUD_MAX_RETRIES],
      [l10n.t('{0} in {1}', 'max_retries', FILE), file.max_retries],
    ],
    (n) => Number.isInteger(n) && n >= 0 && n <= MAX_RETRIES_LIMIT,
    l10n.t('a whole number from 0 to {0}', MAX_RETRIES_LIMIT),
    DEFAULT_MAX_RETRIES,
    warnings,
    '',
  );

  // TLS verification
  let verifySsl = true;
  const vs = file.verify_ssl;
  if (typeof vs === 'boolean') verifySsl = vs;
  else if (vs !== undefined)
    warnings.push(
      l10n.t(
        '{0} in {1} = {2} is not true or false; certificates are verified.',
        'verify_ssl',
        FILE,
        JSON.stringify(vs),
      ),
    );

  return {
    apiKey,
    keySource,
    baseUrl,
    baseUrlSource,
    timeoutMs: Math.round(timeoutS * 1000),
    maxRetries,
    verifySsl,
    warnings,
  };
}
