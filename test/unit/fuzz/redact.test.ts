// Properties of the key redaction (src/api/redact.ts): a key echoed by a server in any of the forms servers use
// — raw, JSON-escaped (short escapes and \uXXXX, also mixed per character), percent-encoded (upper or lower
// case hex, `+` forms), HTML character references, split across a line, inside base64 of `Bearer <key>` or of
// Basic credentials (wrapped or not, either alphabet) — cannot be read back from the redacted text by any of
// those decodings; and text that holds no form of the key is left exactly as it was.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact } from '../../../src/api/redact';
import { choicesArb, encodeKey, ENCODINGS, keyArb, recoverable } from './keyForms';
import { itHolds } from './property';

const context = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '{"error":{"message":"Incorrect API key provided: ',
    'Authorization: Bearer ',
    'GET /v1/models?api_key=',
    '<title>401 ',
    'key=',
    '"',
  ),
);

describe('key redaction properties (fast-check)', () => {
  itHolds(
    'redact: a key echoed in any encoding cannot be read back from the redacted text',
    { numRuns: 600, timeLimitMs: 4000 },
    () =>
      fc.property(keyArb, fc.constantFrom(...ENCODINGS), choicesArb, context, context, (key, how, c, before, after) => {
        const echoed = encodeKey(key, how, c);
        // Text that ends in half an escape (`%0`, `\\`, `&#`) would swallow the key's first character in any reader.
        const text = `${before}${/(%[0-9a-fA-F]?|\\u?[0-9a-fA-F]{0,3}|&#?[xX]?[0-9a-fA-F]*)$/.test(before) ? ' ' : ''}${echoed}${after}`;
        assert.ok(recoverable(text, key), 'the test can read the key back before redaction');
        const out = redact(text, key);
        assert.ok(!recoverable(out, key), `the key can still be read back from ${JSON.stringify(out)}`);
        assert.equal(redact(out, key), out, 'redacting twice changes nothing more');
      }),
  );

  itHolds(
    'redact: text without any form of the key is left as it was, near misses included',
    { numRuns: 400, timeLimitMs: 3000 },
    () =>
      fc.property(keyArb, fc.string({ maxLength: 60 }), fc.nat(), (key, text, n) => {
        const chars = Array.from(key);
        // The key minus one character, at a random place: a near miss, not the key.
        const near = chars.filter((_, i) => i !== n % chars.length).join('');
        const t = `${text}${near}${text}`;
        fc.pre(!recoverable(t, key));
        assert.equal(redact(t, key), t);
      }),
  );
});

describe('key redaction regressions', () => {
  it('short placeholder keys are not redacted; every listed form of a real key is', () => {
    assert.equal(redact('the demo server said no', 'demo'), 'the demo server said no');
    const key = 'sk-live/ABC+def=123';
    for (const echoed of [
      key,
      'sk-live\\/ABC+def=123',
      '\\u0073\\u006B-live/ABC+def=123',
      'sk-live%2FABC%2Bdef%3D123',
      'sk-live%2fABC%2bdef%3d123',
      'sk-live/ABC\n  +def=123',
      'sk-live/ABC +def=123',
      Buffer.from(`Bearer ${key}`).toString('base64'),
    ]) {
      assert.ok(!recoverable(redact(`said: ${echoed}.`, key), key), echoed);
    }
  });

  it('a `%` encoded as %25 before hex-looking characters (shrunk case: "aaaaa%aa" form-encoded)', () => {
    assert.equal(redact('aaaaa%25aa', 'aaaaa%aa'), '[redacted]');
    assert.equal(redact('key %25aaaaaa%2Ba', '%aaaaaa+a'), 'key [redacted]');
    assert.equal(redact('%2541aaaaaaa', 'Aaaaaaaa'), '[redacted]', 'a URL encoded twice');
  });
});
