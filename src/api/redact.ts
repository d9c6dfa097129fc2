// Removes the API key from text a server sent back (error bodies, stream errors, previews) before it is shown or
// logged. Servers echo a key in more forms than one; each of these is replaced with "[redacted]":
//
// - raw, and with any of its characters JSON-escaped (`\u0073`, `\/`, `\"`, `\\`), percent-encoded (`%73`,
//   `%2B`, `%2b`, `+` or `%20` for a space) or written as an HTML character reference (`&#115;`, `&#x73;`);
//   a mix of these within one key (encoders differ in what they escape) is caught as well, and so are escapes
//   nested once more (JSON quoting JSON: `\\u0073`; a URL encoded twice: `%2573`), so a key is found in a raw
//   body before its message is decoded and cut to length;
// - split across a line: a line break (raw or JSON-escaped) with spaces around it between two characters, or
//   the single space that collapsing whitespace makes of it (serverMessage.ts does);
// - inside base64 (standard or URL-safe alphabet, wrapped or not): a key reaches base64 when a proxy or a debug
//   page encodes the request's headers or credentials (`Bearer <key>`, `<key>:` as Basic credentials). The part
//   of the base64 text that depends on the key alone is one of three strings (one per byte alignment), so it is
//   found exactly; the base64 digit on each side that mixes key bits with its neighbours goes too.
//
// Keys shorter than MIN_REDACTED_SECRET_LENGTH (a local server's placeholder such as `demo`) are ordinary words
// and are left alone: redacting them would garble messages. The text is scanned once, character by character
// (no regular expression is built per key: one with every form of a 40-character key took V8 tens to hundreds
// of milliseconds to compile). Pure; no `vscode` import.

export const MIN_REDACTED_SECRET_LENGTH = 8;

export const REDACTED = '[redacted]';

/** Longer "keys" are matched only as they are (the form-by-form matcher recurses once per character). */
const MAX_FORMS_LENGTH = 512;

/** What to look for: the key in any of its forms, or one base64 core of it. */
interface Pattern {
  chars: string[];
  kind: 'key' | 'b64';
  /** Character codes a match can start with. */
  first: Set<number>;
}

interface Compiled {
  secret: string;
  patterns: Pattern[];
  /** Finds the next place any pattern may start (a one-class expression: cheap to build, scans at native speed). */
  candidates: RegExp;
}

let cached: Compiled | undefined;

/** `text` with every form of `secret` listed above replaced by "[redacted]". */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < MIN_REDACTED_SECRET_LENGTH || !text) return text;
  if (secret.length > MAX_FORMS_LENGTH) return text.split(secret).join(REDACTED);
  if (cached?.secret !== secret) cached = compile(secret);
  const { patterns, candidates } = cached;
  let out = '';
  let last = 0;
  candidates.lastIndex = 0;
  for (let found = candidates.exec(text); found; found = candidates.exec(text)) {
    const p = found.index;
    const c = text.charCodeAt(p);
    let end = -1;
    let start = p;
    for (const pat of patterns) {
      if (!pat.first.has(c)) continue;
      let e = matchFrom(text, p, pat, 0);
      if (e < 0) continue;
      if (pat.kind === 'b64') {
        // The digits on either side carry some bits of the key too.
        if (e < text.length && isB64(text.charCodeAt(e))) e++;
        if (p > last && isB64(text.charCodeAt(p - 1))) start = Math.min(start, p - 1);
      }
      end = Math.max(end, e);
    }
    if (end < 0) continue;
    out += text.slice(last, start) + REDACTED;
    last = end;
    candidates.lastIndex = end;
  }
  return last === 0 ? text : out + text.slice(last);
}

function compile(secret: string): Compiled {
  const patterns = patternsFor(secret);
  const codes = new Set<number>();
  for (const p of patterns) for (const c of p.first) codes.add(c);
  const cls = [...codes].map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('');
  return { secret, patterns, candidates: new RegExp(`[${cls}]`, 'g') };
}

function patternsFor(secret: string): Pattern[] {
  const chars = Array.from(secret);
  const first = new Set<number>([chars[0].charCodeAt(0), BACKSLASH, PERCENT, AMPERSAND]);
  if (chars[0] === ' ') first.add(PLUS);
  const out: Pattern[] = [{ chars, kind: 'key', first }];
  for (const core of base64Cores(secret)) {
    const cs = Array.from(core);
    out.push({
      chars: cs,
      kind: 'b64',
      first: new Set(B64_TWINS[cs[0]] ? [cs[0].charCodeAt(0), B64_TWINS[cs[0]].charCodeAt(0)] : [cs[0].charCodeAt(0)]),
    });
  }
  return out;
}

/** The end of a match of `pat.chars[i..]` starting at `p`, or -1. Tries each form a character may take. */
function matchFrom(text: string, p: number, pat: Pattern, i: number): number {
  // Fast path: a character that starts no escape and no gap can only be the key's character itself.
  const chars = pat.chars;
  while (i < chars.length) {
    const c = text.charCodeAt(p);
    if (
      c === BACKSLASH ||
      c === PERCENT ||
      c === AMPERSAND ||
      c === PLUS ||
      c === 32 ||
      c === 9 ||
      c === 10 ||
      c === 13
    )
      break;
    if (pat.kind === 'key' ? !text.startsWith(chars[i], p) : b64Ends(text, p, chars[i]).length === 0) return -1;
    p += pat.kind === 'key' ? chars[i].length : 1;
    i++;
  }
  if (i === chars.length) return p;
  const starts = i === 0 ? [p] : gapEnds(text, p);
  for (const q of starts) {
    for (const e of pat.kind === 'key' ? charEnds(text, q, pat.chars[i]) : b64Ends(text, q, pat.chars[i])) {
      const r = matchFrom(text, e, pat, i + 1);
      if (r >= 0) return r;
    }
  }
  return -1;
}

// TextEncoder and btoa rather than Buffer: protocol.ts imports this module's neighbour, so the webview type-checks it.
const UTF8 = new TextEncoder();

const BACKSLASH = 92;
const PERCENT = 37;
const AMPERSAND = 38;
const PLUS = 43;

/**
 * Where the next character may start after `p`: past a gap (spaces, one line break — raw or JSON-escaped, with
 * one or more backslashes for nested escaping — and spaces), or right at `p`.
 */
function gapEnds(text: string, p: number): number[] {
  let q = skipBlanks(text, p);
  const lb = lineBreakEnd(text, q);
  if (lb >= 0) q = skipBlanks(text, lb);
  return q === p ? [p] : [q, p];
}

function skipBlanks(text: string, p: number): number {
  while (p < text.length && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
  return p;
}

function lineBreakEnd(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === 13) return text.charCodeAt(p + 1) === 10 ? p + 2 : p + 1;
  if (c === 10) return p + 1;
  const r = escapedLetter(text, p, 'r');
  const n = escapedLetter(text, r >= 0 ? r : p, 'n');
  return n >= 0 ? n : r;
}

/** The end of one or more backslashes followed by `letter` at `p`, or -1. */
function escapedLetter(text: string, p: number, letter: string): number {
  let q = p;
  while (text.charCodeAt(q) === BACKSLASH) q++;
  return q > p && text[q] === letter ? q + 1 : -1;
}

/** Every end of a form of the key character `ch` written at `p`: escapes first, then the raw character. */
function charEnds(text: string, p: number, ch: string): number[] {
  const ends: number[] = [];
  const c = text.charCodeAt(p);
  if (c === BACKSLASH) {
    let q = p;
    while (text.charCodeAt(q) === BACKSLASH) q++;
    if (text[q] === 'u') {
      // \uXXXX for each UTF-16 unit (a character above the BMP is a surrogate pair)
      let e = p;
      for (let k = 0; k < ch.length && e >= 0; k++) {
        let b = e;
        while (text.charCodeAt(b) === BACKSLASH) b++;
        e = b > e && text[b] === 'u' && hexAt(text, b + 1, 4) === ch.charCodeAt(k) ? b + 5 : -1;
      }
      if (e >= 0) ends.push(e);
    }
    if ((ch === '/' || ch === '"') && text[q] === ch) ends.push(q + 1);
    if (ch === '\\' && q - p >= 2) ends.push(q);
  } else if (c === PERCENT) {
    percentEnds(text, p, UTF8.encode(ch), 0, ends);
  } else if (c === AMPERSAND && text.charCodeAt(p + 1) === 35 /* # */) {
    const m = /^&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*(\d{1,7}));/.exec(text.slice(p, p + 16));
    if (m && (m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2])) === ch.codePointAt(0)) ends.push(p + m[0].length);
  } else if (c === PLUS && ch === ' ') {
    ends.push(p + 1);
  }
  if (text.startsWith(ch, p)) ends.push(p + ch.length);
  return ends;
}

/**
 * Adds to `ends` every end of `bytes[k..]` percent-encoded at `p`, each byte possibly encoded again (`%2541` is
 * `%41` encoded twice; `%25` followed by `41` may also be a `%` and then two more characters, hence every count).
 */
function percentEnds(text: string, p: number, bytes: Uint8Array, k: number, ends: number[]): void {
  if (k === bytes.length) {
    ends.push(p);
    return;
  }
  if (text.charCodeAt(p) !== PERCENT) return;
  for (let e = p + 1; ; e += 2) {
    if (hexAt(text, e, 2) === bytes[k]) percentEnds(text, e + 2, bytes, k + 1, ends);
    if (!text.startsWith('25', e)) return;
  }
}

/** The value of `digits` hex digits at `p` (either case), or -1. */
function hexAt(text: string, p: number, digits: number): number {
  let v = 0;
  for (let k = 0; k < digits; k++) {
    const c = text.charCodeAt(p + k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The same digit in the other base64 alphabet (standard / URL-safe). */
const B64_TWINS: Record<string, string> = { '+': '-', '-': '+', '/': '_', _: '/' };

function b64Ends(text: string, p: number, d: string): number[] {
  const t = text[p];
  return t === d || (t !== undefined && B64_TWINS[d] === t) ? [p + 1] : [];
}

function isB64(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 43 ||
    c === 47 ||
    c === 45 ||
    c === 95
  );
}

/**
 * The base64 digits that depend on the key's bytes alone, for the key starting at byte offset 0, 1 and 2 of a
 * 3-byte group (any base64 text that holds the key holds one of these).
 */
function base64Cores(secret: string): string[] {
  const key = UTF8.encode(secret);
  const cores: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const b64 = btoa(String.fromCharCode(...new Uint8Array(pad), ...key));
    const start = Math.ceil((pad * 8) / 6);
    const end = Math.floor(((pad + key.length) * 8) / 6);
    cores.push(b64.slice(start, end));
  }
  return cores;
}

/** A copy of a parsed JSON value with `redact` applied to every string in it (keys of objects included). */
export function redactDeep(value: unknown, secret: string | undefined, depth = 0): unknown {
  if (!secret || secret.length < MIN_REDACTED_SECRET_LENGTH) return value;
  if (typeof value === 'string') return redact(value, secret);
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secret, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redact(k, secret)] = redactDeep(v, secret, depth + 1);
  return out;
}
