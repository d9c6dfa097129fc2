// The built-in deny list and the user's `bud.tools.exclude`: files the tools never read, list or search.
// Pure (picomatch only). Paths are workspace-relative with `/` separators.
import picomatch from 'picomatch';

/** Globs (matched against the workspace-relative path, any depth, dot files included). */
export const BUILTIN_DENY_GLOBS: readonly string[] = [
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/*.p12',
  '**/*.pfx',
  '**/.npmrc',
  '**/.netrc',
  '**/_netrc',
  '**/.pypirc',
  '**/.git-credentials',
  '**/credentials.json',
  '**/credentials',
  '**/.aws/credentials',
  '**/.aws/config',
  '**/.aws',
  '**/.aws/**',
  '**/.docker/config.json',
  '**/.ssh',
  '**/.ssh/**',
  '**/.git/**',
  '**/.git',
  '**/.hg/**',
  '**/.svn/**',
];

/** Directories no tool descends into (version-control internals). */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['.git', '.hg', '.svn']);

const MATCH_OPTS = { dot: true, nocase: process.platform === 'win32' || process.platform === 'darwin' } as const;

export interface DenyChecker {
  /** Why `rel` is refused, or undefined when it may be read. */
  reason(rel: string): string | undefined;
  /** True for paths that must be left out of listings and search results. */
  denied(rel: string): boolean;
}

type Matcher = (path: string) => boolean;

// Compiling the globs costs more than most checks that use them, and a checker is made for every request (the
// instruction files are read through it): the built-in list is compiled once, the user's list again only when it
// changes.
let builtinMatcher: Matcher | undefined;
let userMatcher: { key: string; match: Matcher } | undefined;

function userMatch(userExclude: readonly string[]): Matcher {
  const user = userExclude
    .filter((g) => typeof g === 'string' && g.trim() !== '')
    .map((g) => g.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''));
  const key = JSON.stringify(user);
  if (userMatcher?.key !== key) {
    const globs = user.flatMap((g) => (g.includes('/') ? [g, `${g}/**`] : [`**/${g}`, `**/${g}/**`]));
    userMatcher = { key, match: globs.length ? picomatch(globs, MATCH_OPTS) : () => false };
  }
  return userMatcher.match;
}

/** `userExclude` are globs from `bud.tools.exclude`; a glob without `/` matches a name at any depth. */
export function createDenyChecker(userExclude: readonly string[] = []): DenyChecker {
  const builtin = (builtinMatcher ??= picomatch(BUILTIN_DENY_GLOBS as string[], MATCH_OPTS));
  const user = userMatch(userExclude);
  const reason = (rel: string): string | undefined => {
    const p = rel.replace(/\\/g, '/').replace(/^\/+/, '');
    if (!p || p === '.') return undefined;
    if (builtin(p))
      return `"${p}" is refused: it matches Bud's built-in deny list for secrets and version-control internals (.env*, *.pem, *.key, id_rsa*, *.p12, .npmrc, .netrc, credential files, .git/).`;
    if (user(p)) return `"${p}" is refused: it matches the user's bud.tools.exclude setting.`;
    return undefined;
  };
  return { reason, denied: (rel) => reason(rel) !== undefined };
}
