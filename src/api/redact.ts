// Removes the API key from text a server sent back (error bodies, stream errors, previews) before it is shown or
// logged. Servers echo a key in more forms than one; each of these is replaced with "[redacted]":
//
// - raw, and with any of its characters JSON-escaped (`\u0073`, `\/`, `\"`, `\\`), percent-encoded (`%73`,
//   `%2B`, `%2b`, `+` or `%20` for a space) or written as an HTML character reference (`&#115;`, `&#x73;`);
//   a mix of these within one key (encoders differ in what they escape) is caught as well;
// - split across a line: a line break (raw or JSON-escaped) with spaces around it between two characters, or
//   the single space that collapsing whitespace makes of it (serverMessage.ts does);
// - inside base64 (standard or URL-safe alphabet, wrapped or not): a key reaches base64 when a proxy or a debug
//   page encodes the request's headers or credentials (`Bearer <key>`, `<key>:` as Basic credentials). The part
//   of the base64 text that depends on the key alone is one of three strings (one per byte alignment), so it is
//   found exactly; the base64 digit on each side that mixes key bits with its neighbours goes too.
//
// Keys shorter than MIN_REDACTED_SECRET_LENGTH (a local server's placeholder such as `demo`) are ordinary words
// and are left alone: redacting them would garble messages. Pure; no `vscode` import.

export const MIN_REDACTED_SECRET_LENGTH = 8;

export const REDACTED = '[redacted]';

let cached: { secret: string; re: RegExp } | undefined;

/** `text` with every form of `secret` listed above replaced by "[redacted]". */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < MIN_REDACTED_SECRET_LENGTH || !text) return text;
  if (cached?.secret !== secret) cached = { secret, re: keyPattern(secret) };
  const re = cached.re;
  re.lastIndex = 0;
  return text.replace(re, REDACTED);
}

/** Between two characters of the key: nothing, spaces, or one line break (raw or JSON-escaped) with spaces around it. */
const GAP = String.raw`(?:[ \t]*(?:(?:\r\n|\r|\n|\\r\\n|\\n|\\r)[ \t]*)?)`;

function keyPattern(secret: string): RegExp {
  const chars = Array.from(secret);
  const encoded = chars.map(charForms).join(GAP);
  const b64 = base64Cores(secret).map((core) => `${B64_DIGIT}?${Array.from(core).map(b64Forms).join(GAP)}${B64_DIGIT}?`);
  return new RegExp([encoded, ...b64].join('|'), 'g');
}

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A hex digit in either case. */
function hexRe(digit: string): string {
  return /[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit;
}

function hexOf(n: number, width: number): string {
  return Array.from(n.toString(16).padStart(width, '0')).map(hexRe).join('');
}

/** Every way one character of the key may be written in echoed text. */
function charForms(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const forms = new Set<string>([escapeRe(ch)]);
  // JSON: \uXXXX (surrogate pairs above the BMP) and the short escapes.
  const units = cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp];
  forms.add(units.map((u) => `\\\\u${hexOf(u, 4)}`).join(''));
  if (ch === '/' || ch === '"' || ch === '\\') forms.add(`\\\\${escapeRe(ch)}`);
  // Percent-encoding of the UTF-8 bytes; a space may also be `+` (form encoding).
  forms.add(Array.from(Buffer.from(ch, 'utf8')).map((b) => `%${hexOf(b, 2)}`).join(''));
  if (ch === ' ') forms.add('\\+');
  // HTML character references.
  forms.add(`&#0*${cp};`);
  forms.add(`&#[xX]0*${hexOf(cp, 1)};`);
  return `(?:${[...forms].join('|')})`;
}

const B64_DIGIT = '[A-Za-z0-9+/_-]';

/** A base64 digit in the standard or the URL-safe alphabet. */
function b64Forms(d: string): string {
  if (d === '+' || d === '-') return '[+-]';
  if (d === '/' || d === '_') return '[/_]';
  return d;
}

/**
 * The base64 digits that depend on the key's bytes alone, for the key starting at byte offset 0, 1 and 2 of a
 * 3-byte group (any base64 text that holds the key holds one of these).
 */
function base64Cores(secret: string): string[] {
  const key = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), key]).toString('base64');
    const start = Math.ceil((pad * 8) / 6);
    const end = Math.floor(((pad + key.length) * 8) / 6);
    cores.push(b64.slice(start, end));
  }
  return cores;
}
