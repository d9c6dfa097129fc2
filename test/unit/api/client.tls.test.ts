// TLS against a real HTTPS test server with a self-signed certificate (made with openssl for this run):
// refused with a clear message by default, accepted with verifySsl: false (verify_ssl = false in ~/.bud/config.toml).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BudClient } from '../../../src/api/client';
import { startTestServer, type TestServer } from '../../../scripts/server/openai-server';
import { basic, collect, KEY, rejects } from './helpers';

describe('BudClient over TLS (self-signed gateway)', function () {
  this.timeout(20_000);
  let server: TestServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bud-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    server = await startTestServer({
      tls: { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
    });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the self-signed certificate with a message that says how to fix it, without retrying', async () => {
    const retries: number[] = [];
    const c = new BudClient({
      baseUrl: server.url,
      apiKey: KEY,
      sleep: async (ms) => {
        retries.push(ms);
      },
    });
    const e = await rejects(c.createChatCompletion(basic()));
    await c.close();
    assert.equal(e.kind, 'connection');
    assert.match(
      e.message,
      /The secure \(TLS\) connection to 127\.0\.0\.1:\d+ failed: [A-Z_]*SELF_SIGNED[A-Z_]*\. Check the gateway certificate; for a self-signed gateway set verify_ssl = false in ~\/\.bud\/config\.toml\./,
    );
    assert.deepEqual(retries, []);
    assert.equal(server.requests.length, 0);
  });

  it('accepts it with verifySsl: false, streaming and not', async () => {
    const c = new BudClient({ baseUrl: server.url, apiKey: KEY, verifySsl: false });
    const r = await collect(c, basic({ messages: [{ role: 'user', content: 'secure?' }] }));
    assert.equal(r.error, undefined, r.error?.message);
    assert.equal(r.acc.content, 'You said: secure?');
    const done = await c.createChatCompletion(basic());
    assert.equal(done.choices[0].message.content, 'You said: Hello');
    assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${KEY}`);
    await c.close();
  });
});
