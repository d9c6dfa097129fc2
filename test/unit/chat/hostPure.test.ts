// Pure parts of the host side: link policy, webview message checks, the webview HTML's CSP.
import * as assert from 'node:assert/strict';
import { checkLink } from '../../../src/panel/links';
import { resolveConnection } from '../../../src/connection/connection';
import { parseWebviewMessage } from '../../../src/panel/messageRouter';
import { contentSecurityPolicy, createNonce, renderHtml } from '../../../src/panel/webviewHtml';

describe('links from answers', () => {
  it('opens only http, https and mailto', () => {
    assert.deepEqual(checkLink('https://example.com/a?b=1'), { ok: true, url: 'https://example.com/a?b=1' });
    assert.equal(checkLink('http://localhost:3000').ok, true);
    assert.equal(checkLink('mailto:someone@example.com').ok, true);
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'command:workbench.action.terminal.new',
      'vscode://settings',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      '/relative/path',
      '#anchor',
      '',
      ' ',
      'http://',
    ]) {
      const r = checkLink(bad);
      assert.equal(r.ok, false, bad);
    }
    const r = checkLink('command:x');
    assert.ok(!r.ok && /command: scheme is not allowed/.test(r.reason));
  });
});

describe('webview messages', () => {
  it('accepts the protocol messages with the right field types', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi' }), { type: 'send', text: 'hi' });
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'openContext', uri: 'file:///a', startLine: 1, endLine: 2 }), {
      type: 'openContext',
      uri: 'file:///a',
      startLine: 1,
      endLine: 2,
    });
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'setApiKey' }), {
      type: 'action',
      action: 'setApiKey',
    });
  });
  it('rejects unknown types, wrong field types and unknown actions', () => {
    for (const bad of [
      null,
      'send',
      {},
      { type: 'eval', code: 'x' },
      { type: 'send', text: 5 },
      { type: 'action', action: 'runCommand' },
      { type: 'openContext', uri: 'file:///a', startLine: '1', endLine: 2 },
      { type: 'removePendingContext', index: 1.5 },
      { type: 'log', level: 'debug', text: 'x' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('webview HTML', () => {
  it('has a strict CSP: nonce scripts only, no remote loads, no eval', () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc123');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.match(csp, /img-src https:\/\/x\.vscode-cdn\.net data:(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*|https: |img-src[^;]*https:(;|\s|$)/);
  });
  it('every script carries the nonce; nonces are random', () => {
    const nonce = createNonce();
    assert.ok(nonce.length >= 20);
    assert.notEqual(createNonce(), nonce);
    const html = renderHtml(
      {
        cspSource: 'vscode-resource:',
        scriptUri: 'vscode-resource:/dist/webview.js',
        styleUri: 'vscode-resource:/dist/webview.css',
        codiconsUri: 'vscode-resource:/dist/codicons/codicon.css',
      },
      nonce,
    );
    const scripts = html.match(/<script[^>]*>/g)!;
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`));
    assert.ok(html.includes('id="root"'));
    assert.ok(html.includes('codicon.css'));
  });
});

describe('connection resolution', () => {
  it('demo mode: BUD_DEMO_BASE_URL with no key anywhere uses the placeholder key "demo"', () => {
    const c = resolveConnection({ settings: {}, env: { BUD_DEMO_BASE_URL: 'http://127.0.0.1:4000' } });
    assert.deepEqual([c.baseUrl, c.apiKey, c.keySource], ['http://127.0.0.1:4000', 'demo', 'demo']);
  });
  it('a real key wins over the demo: SecretStorage, then BUD_API_KEY', () => {
    const env = { BUD_DEMO_BASE_URL: 'http://127.0.0.1:4000', BUD_API_KEY: 'sk-env' };
    const fromEnv = resolveConnection({ settings: {}, env });
    assert.deepEqual([fromEnv.apiKey, fromEnv.keySource], ['sk-env', 'env']);
    assert.notEqual(fromEnv.baseUrl, 'http://127.0.0.1:4000');
    const fromSecret = resolveConnection({ secret: 'sk-secret', settings: { baseUrl: 'https://gw.example/v1' }, env });
    assert.deepEqual(
      [fromSecret.apiKey, fromSecret.keySource, fromSecret.baseUrl],
      ['sk-secret', 'secretStorage', 'https://gw.example/v1'],
    );
  });
  it('the test override replaces only the URL', () => {
    const c = resolveConnection({
      secret: 'sk-secret',
      settings: { baseUrl: 'https://gw.example' },
      env: {},
      overrideBaseUrl: 'http://127.0.0.1:9',
    });
    assert.deepEqual([c.baseUrl, c.apiKey, c.keySource], ['http://127.0.0.1:9', 'sk-secret', 'secretStorage']);
    const none = resolveConnection({ settings: {}, env: {} });
    assert.deepEqual([none.apiKey, none.keySource], [undefined, 'none']);
  });
});
