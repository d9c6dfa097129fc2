// resolveConfig: the SDK's order of sources for key, base URL, timeout, retries, TLS; invalid values warned about.
import * as assert from 'node:assert/strict';
import { budConfigPath, DEFAULT_BASE_URL, resolveConfig, type ResolveInput } from '../../../src/config/resolve';

const FILE_KEY = 'sk-from-file-abcdef123456';
const file = `api_key = "${FILE_KEY}"\nbase_url = "https://file.example/v1"\ntimeout = 120\nmax_retries = 5\nverify_ssl = false\n`;
const input = (over: Partial<ResolveInput> = {}): ResolveInput => ({ settings: {}, env: {}, ...over });

describe('resolveConfig', () => {
  it('defaults when nothing is set', () => {
    assert.deepEqual(resolveConfig(input()), {
      apiKey: undefined,
      keySource: 'none',
      baseUrl: DEFAULT_BASE_URL,
      baseUrlSource: 'default',
      timeoutMs: 60_000,
      maxRetries: 3,
      verifySsl: true,
      warnings: [],
    });
    assert.equal(DEFAULT_BASE_URL, 'https://gateway.bud.studio');
  });

  it('API key: SecretStorage, then BUD_API_KEY, then the file', () => {
    const env = { BUD_API_KEY: 'sk-env' };
    assert.deepEqual(
      [resolveConfig(input({ secret: 'sk-secret', env, configFileText: file }))].map((r) => [r.apiKey, r.keySource]),
      [['sk-secret', 'secretStorage']],
    );
    const e = resolveConfig(input({ env, configFileText: file }));
    assert.deepEqual([e.apiKey, e.keySource], ['sk-env', 'env']);
    const f = resolveConfig(input({ configFileText: file }));
    assert.deepEqual([f.apiKey, f.keySource], [FILE_KEY, 'configFile']);
    const blank = resolveConfig(input({ secret: '  ', env: { BUD_API_KEY: '' }, configFileText: file }));
    assert.equal(blank.keySource, 'configFile', 'blank values fall through');
  });

  it('base URL: setting, then BUD_BASE_URL, then the file, then the default', () => {
    const env = { BUD_BASE_URL: 'https://env.example' };
    const s = resolveConfig(input({ settings: { baseUrl: 'https://setting.example/' }, env, configFileText: file }));
    assert.deepEqual([s.baseUrl, s.baseUrlSource], ['https://setting.example/', 'setting']);
    const e = resolveConfig(input({ env, configFileText: file }));
    assert.deepEqual([e.baseUrl, e.baseUrlSource], ['https://env.example', 'env']);
    const f = resolveConfig(input({ configFileText: file }));
    assert.deepEqual([f.baseUrl, f.baseUrlSource], ['https://file.example/v1', 'configFile']);
  });

  it('timeout (seconds) and retries: setting, then env, then file', () => {
    const env = { BUD_TIMEOUT: '30', BUD_MAX_RETRIES: '1' };
    const s = resolveConfig(input({ settings: { requestTimeout: 90, maxRetries: 0 }, env, configFileText: file }));
    assert.deepEqual([s.timeoutMs, s.maxRetries], [90_000, 0]);
    const e = resolveConfig(input({ env, configFileText: file }));
    assert.deepEqual([e.timeoutMs, e.maxRetries], [30_000, 1]);
    const f = resolveConfig(input({ configFileText: file }));
    assert.deepEqual([f.timeoutMs, f.maxRetries, f.verifySsl], [120_000, 5, false]);
    assert.equal(resolveConfig(input({ env: { BUD_TIMEOUT: '2.5' } })).timeoutMs, 2500);
  });

  it('invalid values are skipped with a warning, falling through to the next source', () => {
    const r = resolveConfig(
      input({
        settings: { baseUrl: 'not a url', requestTimeout: -1 },
        env: { BUD_TIMEOUT: 'abc', BUD_MAX_RETRIES: '2.5', BUD_BASE_URL: 'ftp://x' },
        configFileText: 'timeout = "soon"\nmax_retries = 99\nverify_ssl = "no"\nbase_url = "https://ok.example"\n',
      }),
    );
    assert.equal(r.baseUrl, 'https://ok.example');
    assert.equal(r.timeoutMs, 60_000);
    assert.equal(r.maxRetries, 3);
    assert.equal(r.verifySsl, true);
    assert.deepEqual(r.warnings, [
      'The setting bud.baseUrl = "not a url" is not a valid http(s) URL; it was ignored.',
      'BUD_BASE_URL = "ftp://x" is not a valid http(s) URL; it was ignored.',
      'The setting bud.requestTimeout = -1 is not a number of seconds between 0 and 86400; it was ignored.',
      'BUD_TIMEOUT = "abc" is not a number of seconds between 0 and 86400; it was ignored.',
      'timeout in ~/.bud/config.toml = "soon" is not a number of seconds between 0 and 86400; it was ignored.',
      'BUD_MAX_RETRIES = "2.5" is not a whole number from 0 to 10; it was ignored.',
      'max_retries in ~/.bud/config.toml = 99 is not a whole number from 0 to 10; it was ignored.',
      'verify_ssl in ~/.bud/config.toml = "no" is not true or false; certificates are verified.',
    ]);
  });

  it('invalid TOML is a warning with the position only (never the key), not a crash', () => {
    const bad = `api_key = "${FILE_KEY}\nbase_url = `;
    const r = resolveConfig(input({ configFileText: bad, env: { BUD_API_KEY: 'sk-env' } }));
    assert.equal(r.keySource, 'env');
    assert.equal(r.warnings.length, 1);
    assert.match(
      r.warnings[0],
      /^~\/\.bud\/config\.toml is not valid TOML \(line \d+, column \d+\); its settings were ignored\.$/,
    );
    assert.ok(!r.warnings.join('\n').includes(FILE_KEY));
  });

  it('a non-string api_key in the file is warned about without quoting it', () => {
    const r = resolveConfig(input({ configFileText: 'api_key = 12345678901\n' }));
    assert.equal(r.keySource, 'none');
    assert.deepEqual(r.warnings, ['api_key in ~/.bud/config.toml is not a string; it was ignored.']);
  });

  it('warnings never contain the key from any source', () => {
    const r = resolveConfig(
      input({
        secret: 'sk-secret-zzzz',
        env: { BUD_API_KEY: 'sk-env-yyyy', BUD_TIMEOUT: 'x' },
        configFileText: `api_key = "${FILE_KEY}"\ntimeout = "y"`,
      }),
    );
    const text = r.warnings.join('\n');
    for (const k of ['sk-secret-zzzz', 'sk-env-yyyy', FILE_KEY]) assert.ok(!text.includes(k));
  });

  it('budConfigPath is ~/.bud/config.toml', () => {
    assert.equal(budConfigPath('/home/ana'), '/home/ana/.bud/config.toml');
  });
});
