// Fuzzy matching of workspace paths for the # picker. Pure: no `vscode` import.
//
// A query matches a path when its characters appear in the path in order (case-insensitive); spaces in the query
// are ignored. Among matches, in this order:
//   1. the file name starts with the query ("mat" → math.ts),
//   2. the file name contains it,
//   3. the path contains it,
//   4. its characters are spread over the path: more characters at the start of a word (after "/", ".", "-", "_",
//      a lower→upper case change) and more in a row score higher; gaps score lower.
// Ties go to matches inside the file name, then shorter paths, then name order, so the same query always gives the
// same list.

export interface Candidate {
  /** The path as shown ("src/app.ts"; folder-prefixed in a multi-root workspace). */
  path: string;
}

export interface Match<T extends Candidate> {
  item: T;
  score: number;
  /** Indexes of the matched characters in `item.path`, ascending. */
  positions: number[];
}

/** Lower-cased copies, computed once per index rather than once per keystroke. */
export interface Prepared<T extends Candidate> {
  item: T;
  lower: string;
  /** Where the file (or folder) name starts in `path`. */
  nameStart: number;
}

export function prepare<T extends Candidate>(item: T): Prepared<T> {
  const trimmed = item.path.endsWith('/') ? item.path.slice(0, -1) : item.path;
  return { item, lower: item.path.toLowerCase(), nameStart: trimmed.lastIndexOf('/') + 1 };
}

export function normaliseQuery(query: string): string {
  return query.replace(/\s+/g, '').toLowerCase();
}

const SEPARATORS = '/\\.-_ ';

function wordStart(path: string, i: number): boolean {
  if (i === 0) return true;
  const prev = path[i - 1];
  if (SEPARATORS.includes(prev)) return true;
  const c = path[i];
  return prev === prev.toLowerCase() && c !== c.toLowerCase() && c === c.toUpperCase();
}

/** True when every character of `q` occurs in `text` in order. */
export function isSubsequence(q: string, text: string): boolean {
  let j = 0;
  for (let i = 0; i < text.length && j < q.length; i++) if (text.charCodeAt(i) === q.charCodeAt(j)) j++;
  return j === q.length;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, k) => from + k);

/** Points a spread-out match can earn per query character: a word start, a run, a character in the name. */
const SPREAD_PER_CHAR = 8 + 5 + 2;

/**
 * Score of one prepared path for a normalised, non-empty query; undefined when it does not match, or when it could
 * only be a spread-out match scoring below `floor` (the ranking's worst kept score: no need to work it out).
 */
function scorePath<T extends Candidate>(q: string, p: Prepared<T>, floor = -Infinity): Match<T> | undefined {
  const { lower, nameStart, item } = p;
  if (!isSubsequence(q, lower)) return undefined;
  const shortness = 1 / (1 + lower.length);
  // A match worse than `floor` is dropped before its positions are made (most of them, on a short query).
  const contiguous = (score: number, at: number) =>
    score < floor ? undefined : { item, score, positions: range(at, q.length) };
  if (lower.startsWith(q, nameStart))
    return contiguous(4000 + (q.length === lower.length - nameStart ? 500 : 0) + shortness, nameStart);
  const inName = lower.indexOf(q, nameStart);
  if (inName >= 0) return contiguous(3000 + (wordStart(item.path, inName) ? 100 : 0) + shortness, inName);
  const inPath = lower.indexOf(q);
  if (inPath >= 0) return contiguous(2000 + (wordStart(item.path, inPath) ? 100 : 0) + shortness, inPath);
  // Typing "m" matches nearly every path: once the list is full of better matches, skip the costly part.
  if (1001 + SPREAD_PER_CHAR * q.length <= floor) return undefined;
  const positions = spread(q, p);
  let score = 1000 + shortness;
  let inNameCount = 0;
  for (let k = 0; k < positions.length; k++) {
    const i = positions[k];
    if (wordStart(item.path, i)) score += 8;
    if (k > 0 && positions[k - 1] === i - 1) score += 5;
    else if (k > 0) score -= Math.min(3, (i - positions[k - 1] - 1) * 0.2);
    if (i >= nameStart) inNameCount++;
  }
  score += inNameCount * 2;
  return { item, score, positions };
}

/**
 * Matched positions for a spread-out match: each query character goes to the next word start that has it when
 * one lies before the next plain occurrence is needed, so "sat" matches "Src/App.Ts" at the capitals.
 */
function spread<T extends Candidate>(q: string, p: Prepared<T>): number[] {
  const { lower, item } = p;
  const out: number[] = [];
  let from = 0;
  for (let j = 0; j < q.length; j++) {
    const c = q[j];
    let first = -1;
    let best = -1;
    for (let i = from; i < lower.length; i++) {
      if (lower[i] !== c) continue;
      if (first < 0) first = i;
      // Only take a word start if the rest of the query still fits after it.
      if (wordStart(item.path, i) && isSubsequence(q.slice(j + 1), lower.slice(i + 1))) {
        best = i;
        break;
      }
    }
    const at = best >= 0 ? best : first;
    out.push(at);
    from = at + 1;
  }
  return out;
}

function compare<T extends Candidate>(a: Match<T>, b: Match<T>): number {
  if (b.score !== a.score) return b.score - a.score;
  return a.item.path < b.item.path ? -1 : a.item.path > b.item.path ? 1 : 0;
}

/** The best `limit` matches, best first. An empty query keeps the given order (callers pass recent files first). */
export function rank<T extends Candidate>(query: string, items: readonly Prepared<T>[], limit: number): Match<T>[] {
  const q = normaliseQuery(query);
  if (!q) return items.slice(0, limit).map((p) => ({ item: p.item, score: 0, positions: [] }));
  const out: Match<T>[] = [];
  for (const p of items) {
    const m = scorePath(q, p, out.length === limit ? out[limit - 1].score : -Infinity);
    if (!m) continue;
    if (out.length < limit) {
      out.push(m);
      if (out.length === limit) out.sort(compare);
    } else if (compare(m, out[limit - 1]) < 0) {
      // Insert in order and drop the worst (the list stays `limit` long).
      let i = limit - 1;
      while (i > 0 && compare(m, out[i - 1]) < 0) i--;
      out.splice(i, 0, m);
      out.pop();
    }
  }
  if (out.length < limit) out.sort(compare);
  return out;
}
