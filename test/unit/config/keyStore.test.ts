// The key store reads the secret once and again only after it changed (here or in another window), or after a
// failed read.
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { KeyStore, SECRET_KEY } from '../../../src/config/secrets';

function fakeSecrets() {
  const values = new Map<string, string>();
  const listeners: ((e: vscode.SecretStorageChangeEvent) => void)[] = [];
  const fake = {
    reads: 0,
    failNext: false,
    values,
    fire(key: string) {
      for (const l of listeners) l({ key });
    },
    get: async (key: string) => {
      fake.reads++;
      if (fake.failNext) {
        fake.failNext = false;
        throw new Error('keychain locked');
      }
      return values.get(key);
    },
    store: async (key: string, value: string) => {
      values.set(key, value);
      fake.fire(key);
    },
    delete: async (key: string) => {
      values.delete(key);
      fake.fire(key);
    },
    onDidChange: (l: (e: vscode.SecretStorageChangeEvent) => void) => {
      listeners.push(l);
      return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
    },
  };
  return fake;
}

describe('KeyStore', () => {
  it('reads the secret once while it does not change', async () => {
    const s = fakeSecrets();
    s.values.set(SECRET_KEY, ' sk-one ');
    const keys = new KeyStore(s);
    assert.equal(await keys.get(), 'sk-one');
    assert.equal(await keys.get(), 'sk-one');
    assert.equal(s.reads, 1);
  });

  it('reads it again after a change in another window, and after set and clear here', async () => {
    const s = fakeSecrets();
    s.values.set(SECRET_KEY, 'sk-one');
    const keys = new KeyStore(s);
    assert.equal(await keys.get(), 'sk-one');
    s.values.set(SECRET_KEY, 'sk-two'); // written by another window
    s.fire('some.other.secret');
    assert.equal(await keys.get(), 'sk-one', 'another secret changing does not matter');
    s.fire(SECRET_KEY);
    assert.equal(await keys.get(), 'sk-two');
    await keys.set('sk-three');
    assert.equal(await keys.get(), 'sk-three');
    await keys.clear();
    assert.equal(await keys.get(), undefined);
  });

  it('does not remember a failed read', async () => {
    const s = fakeSecrets();
    s.values.set(SECRET_KEY, 'sk-one');
    const keys = new KeyStore(s);
    s.failNext = true;
    await assert.rejects(keys.get(), /keychain locked/);
    assert.equal(await keys.get(), 'sk-one');
  });

  it('stops listening when disposed', async () => {
    const s = fakeSecrets();
    s.values.set(SECRET_KEY, 'sk-one');
    const keys = new KeyStore(s);
    await keys.get();
    keys.dispose();
    s.values.set(SECRET_KEY, 'sk-two');
    s.fire(SECRET_KEY);
    assert.equal(await keys.get(), 'sk-one');
  });
});
