// How a server may echo an API key, and how a reader could get it back: the generators and the decoder shared by
// the redaction properties (redact.test.ts on the function, redactClient.test.ts through the client).
import fc from 'fast-check';

/** Key-like strings: what users paste (token alphabets, base64-ish keys, the odd non-ASCII character). */
export const keyArb = fc.string({
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_') },
    // No backslash: a key holding `\n` split across a line is the same text as a key with an escaped line break
    // in it, so no reader (and no test) can tell whether the key is still there. Real keys never hold one.
    { weight: 1, arbitrary: fc.constantFrom(...'+/=.~:!$&\'()*,;@%"<>[]{}|^`#?', 'é', '日', '🔑') },
  ),
  minLength: 8,
  maxLength: 48,
});

const hex = (n: number, w: number, upper: boolean) => {
  const h = n.toString(16).padStart(w, '0');
  return upper ? h.toUpperCase() : h;
};
const percent = (s: string, upper = true) =>
  Array.from(Buffer.from(s, 'utf8'))
    .map((b) => `%${hex(b, 2, upper)}`)
    .join('');
const uEscape = (s: string, upper = false) =>
  Array.from(s)
    .flatMap((c) => {
      const u: number[] = [];
      for (let i = 0; i < c.length; i++) u.push(c.charCodeAt(i));
      return u;
    })
    .map((u) => `\\u${hex(u, 4, upper)}`)
    .join('');
const htmlRef = (c: string, asHex: boolean) =>
  asHex ? `&#x${c.codePointAt(0)!.toString(16)};` : `&#${c.codePointAt(0)};`;

export type Encoding =
  | 'raw'
  | 'json'
  | 'json-slash'
  | 'unicode'
  | 'mixed'
  | 'url'
  | 'url-lower'
  | 'url-every-byte'
  | 'form'
  | 'html'
  | 'line-split'
  | 'base64-bearer'
  | 'base64-basic';
export const ENCODINGS: Encoding[] = [
  'raw',
  'json',
  'json-slash',
  'unicode',
  'mixed',
  'url',
  'url-lower',
  'url-every-byte',
  'form',
  'html',
  'line-split',
  'base64-bearer',
  'base64-basic',
];

/** Random choices an encoding may use (per-character forms, split point, base64 framing). */
export const choicesArb = fc.record({
  perChar: fc.array(fc.nat(5), { minLength: 64, maxLength: 64 }),
  upper: fc.boolean(),
  splitAt: fc.nat(),
  lineBreak: fc.constantFrom('\n', '\r\n', '\\n', '\\r\\n', ' ', '\n    '),
  before: fc.uint8Array({ maxLength: 5 }),
  after: fc.uint8Array({ maxLength: 5 }),
  urlSafe: fc.boolean(),
  wrap: fc.constantFrom(0, 64, 76),
});
export type Choices = typeof choicesArb extends fc.Arbitrary<infer T> ? T : never;

const MIXED_SELF: Record<string, string> = { '%': '%25', '\\': '\\\\', '&': '&#38;' };

/** The key as a server might echo it. */
export function encodeKey(key: string, how: Encoding, c: Choices): string {
  switch (how) {
    case 'raw':
      return key;
    case 'json':
      return JSON.stringify(key).slice(1, -1);
    case 'json-slash':
      return JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/');
    case 'unicode':
      return uEscape(key, c.upper);
    // Encoders escape their own escape characters (else `%aa` or `\"` in a key would read as something else).
    case 'mixed':
      return Array.from(key)
        .map(
          (ch, i) =>
            MIXED_SELF[ch] ??
            [ch, uEscape(ch, c.upper), percent(ch, c.upper), htmlRef(ch, c.upper), JSON.stringify(ch).slice(1, -1), ch][
              c.perChar[i % 64]
            ],
        )
        .join('');
    case 'url':
      return encodeURIComponent(key);
    case 'url-lower':
      return encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    case 'url-every-byte':
      return percent(key, c.upper);
    case 'form':
      return new URLSearchParams({ k: key }).toString().slice(2);
    case 'html':
      return Array.from(key)
        .map((ch) => htmlRef(ch, c.upper))
        .join('');
    case 'line-split': {
      const cs = Array.from(key);
      const at = 1 + (c.splitAt % (cs.length - 1));
      return cs.slice(0, at).join('') + c.lineBreak + cs.slice(at).join('');
    }
    case 'base64-bearer':
    case 'base64-basic': {
      const inner = how === 'base64-bearer' ? `Bearer ${key}` : `${key}:`;
      let b = Buffer.concat([Buffer.from(c.before), Buffer.from(inner, 'utf8'), Buffer.from(c.after)]).toString(
        c.urlSafe ? 'base64url' : 'base64',
      );
      if (c.wrap) b = b.replace(new RegExp(`(.{${c.wrap}})`, 'g'), '$1\n').trimEnd();
      return b;
    }
  }
}

const JSON_ESC = String.raw`\\u([0-9a-fA-F]{4})|\\([/"\\])`;
const PCT_ESC = '((?:%[0-9a-fA-F]{2})+)';
const HTML_ESC = String.raw`&#[xX]([0-9a-fA-F]+);|&#(\d+);`;

/** A decoder for the escape forms in `pattern` (JSON, percent, HTML references), all in one pass. */
function decoder(pattern: string): (s: string) => string {
  const re = new RegExp(pattern.replace(/\((?!\?)/g, '(?:'), 'g');
  const parts = new RegExp([JSON_ESC, PCT_ESC, HTML_ESC].join('|'));
  return (s) =>
    s.replace(re, (m) => {
      const [, u, short, pct, hx, dec] = parts.exec(m)!;
      if (u) return String.fromCharCode(parseInt(u, 16));
      if (short) return short;
      if (pct) return Buffer.from(pct.replace(/%/g, ''), 'hex').toString('utf8');
      return String.fromCodePoint(parseInt(hx ?? dec, hx ? 16 : 10));
    });
}

/** Each form alone (a key may hold a raw `%41` in a JSON echo), and all at once (per-character mixes). */
const DECODERS = [
  decoder(JSON_ESC),
  decoder(PCT_ESC),
  decoder(HTML_ESC),
  decoder([JSON_ESC, PCT_ESC, HTML_ESC].join('|')),
];

/** Whether `key` can be read back from `text` by any of the decodings above. */
export function recoverable(text: string, key: string): boolean {
  const joined = text.replace(/\\r|\\n/g, '').replace(/\s+/g, '');
  for (const t of [text, joined]) {
    if (t.includes(key) || DECODERS.some((d) => d(t).includes(key))) return true;
  }
  // base64 runs (either alphabet), read from every start (the text around may hold base64 digits too)
  const bytes = Buffer.from(key, 'utf8');
  for (const run of joined.match(/[A-Za-z0-9+/_-]{8,}/g) ?? []) {
    const std = run.replace(/-/g, '+').replace(/_/g, '/');
    for (let off = 0; off + 8 <= std.length; off++) {
      if (Buffer.from(std.slice(off), 'base64').includes(bytes)) return true;
    }
  }
  return false;
}
