// Where requests go and with which key. Pure: wraps `resolveConfig` (SecretStorage, then BUD_API_KEY, then
// ~/.bud/config.toml) and adds the no-account demo: when BUD_DEMO_BASE_URL is set and no key is found
// anywhere, requests go to that (local) URL with the placeholder key "demo".
import { resolveConfig, type ResolvedConfig, type SettingsInput } from '../config/resolve';
import type { ViewStatus } from '../protocol';

export type KeySource = ViewStatus['keySource'];

export interface Connection extends Omit<ResolvedConfig, 'keySource'> {
  keySource: KeySource;
}

export interface ConnectionInput {
  secret?: string;
  settings: SettingsInput;
  env: Record<string, string | undefined>;
  configFileText?: string;
  /** Integration tests only (BUD_TEST_MODE): a base URL that replaces the resolved one (the key still resolves as usual). */
  overrideBaseUrl?: string;
}

export const DEMO_KEY = 'demo';

export function resolveConnection(input: ConnectionInput): Connection {
  const resolved = resolveConfig({
    secret: input.secret,
    settings: input.settings,
    env: input.env,
    configFileText: input.configFileText,
  });
  if (input.overrideBaseUrl) return { ...resolved, baseUrl: input.overrideBaseUrl, baseUrlSource: 'setting' };
  const demo = input.env.BUD_DEMO_BASE_URL?.trim();
  if (!resolved.apiKey && demo) {
    return { ...resolved, baseUrl: demo, baseUrlSource: 'env', apiKey: DEMO_KEY, keySource: 'demo' };
  }
  return resolved;
}
