/**
 * `.dockerignore`: patterns (with `!` exceptions) matched against context-relative paths, as Docker does.
 *
 * Docker (moby/patternmatcher) turns a pattern into a Go regular expression: a star is "any characters but a
 * slash", `?` is one such character, two stars (and a slash after them) are "nothing, or anything ending in a
 * slash" (anything at all at the end), `[…]` is a character class, a backslash escapes the next character, anything
 * else is literal. Go's regular expressions run in linear time; a JavaScript one built the same way backtracks
 * exponentially (`*a*a*a*a*a*a*a*b` against 30 `a`s took half a second, 40 minutes), and the repository writes both
 * the pattern and the paths. So the pattern is matched here by a small automaton, in time proportional to the
 * pattern's length times the path's.
 */

export interface Dockerignore {
  file: string;
  patterns: { pattern: string; negated: boolean; line: number; match: (p: string) => boolean }[];
}

export function parseDockerignore(file: string, text: string): Dockerignore {
  const patterns: Dockerignore['patterns'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const negated = line.startsWith('!');
    const p = (negated ? line.slice(1) : line).trim().replace(/^(?:\.?\/)+/, '').replace(/\/+$/, '');
    if (p) patterns.push({ pattern: p, negated, line: i + 1, match: (x) => matcher(p)(x) });
  });
  return { file, patterns };
}

/** Compiled lazily (most contexts are never asked about) and once per pattern: `.venv`, `__pycache__`… repeat across services. */
const compiled = new Map<string, (p: string) => boolean>();
function matcher(pattern: string): (p: string) => boolean {
  let m = compiled.get(pattern);
  if (!m) {
    const tokens = compile(pattern);
    m = (p) => run(tokens, p);
    compiled.set(pattern, m);
  }
  return m;
}

/** Whether a context-relative path is excluded (the last matching pattern decides; a parent's exclusion counts). */
export function isIgnored(di: Dockerignore | undefined, relPath: string): boolean {
  if (!di) return false;
  const segs = relPath.split('/');
  let ignored = false;
  for (const { match, negated } of di.patterns) {
    // A pattern excludes a directory and everything in it.
    const matches = segs.some((_, i) => match(segs.slice(0, i + 1).join('/')));
    if (matches) ignored = !negated;
  }
  return ignored;
}

type Token =
  | { k: 'char'; test: (c: string) => boolean }
  /** `*`: any characters but `/`. */
  | { k: 'star' }
  /** `**` (and a `/` after it): nothing, or anything that ends with `/`. */
  | { k: 'dirs' }
  /** `**` at the end: anything. */
  | { k: 'rest' };

/** The pattern as moby/patternmatcher reads it. */
export function compile(pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] !== '*') {
        out.push({ k: 'star' });
        continue;
      }
      i++;
      if (pattern[i + 1] === '/') i++;
      out.push(i + 1 >= pattern.length ? { k: 'rest' } : { k: 'dirs' });
    } else if (c === '?') {
      out.push({ k: 'char', test: (x) => x !== '/' });
    } else if (c === '\\' && i + 1 < pattern.length) {
      const lit = pattern[++i]!;
      out.push({ k: 'char', test: (x) => x === lit });
    } else if (c === '[') {
      const cls = readClass(pattern, i);
      if (cls) {
        out.push({ k: 'char', test: cls.test });
        i = cls.end;
      } else out.push({ k: 'char', test: (x) => x === '[' });
    } else {
      out.push({ k: 'char', test: (x) => x === c });
    }
  }
  return out;
}

/** A `[…]` class from `start` (the `[`): `^` negates, `a-z` ranges, `\` escapes; undefined when never closed. */
function readClass(pattern: string, start: number): { test: (c: string) => boolean; end: number } | undefined {
  let i = start + 1;
  const negated = pattern[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < pattern.length; i++) {
    let c = pattern[i]!;
    if (c === ']' && !first) {
      const test = (x: string): boolean => ranges.some(([lo, hi]) => x >= lo && x <= hi) !== negated;
      return { test, end: i };
    }
    first = false;
    if (c === '\\' && i + 1 < pattern.length) c = pattern[++i]!;
    let hi = c;
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      hi = pattern[i + 2] === '\\' && i + 3 < pattern.length ? pattern[i + 3]! : pattern[i + 2]!;
      i += pattern[i + 2] === '\\' ? 3 : 2;
    }
    ranges.push([c, hi]);
  }
  return undefined;
}

/**
 * Whether `tokens` match all of `path`: the set of positions in the pattern, advanced one character at a time.
 * Position n + t is "inside the `**` at t, after at least one character" (it may only leave after a `/`).
 */
function run(tokens: Token[], path: string): boolean {
  const n = tokens.length;
  let cur = new Uint8Array(2 * n + 1);
  let next = new Uint8Array(2 * n + 1);
  const add = (set: Uint8Array, s: number): void => {
    // Positions that match nothing move on at once (the empty match of `*`, `**`).
    while (s < n && !set[s]) {
      set[s] = 1;
      const k = tokens[s]!.k;
      if (k !== 'star' && k !== 'dirs' && k !== 'rest') return;
      s++;
    }
    if (s === n) set[n] = 1;
  };
  add(cur, 0);
  for (const c of path) {
    next.fill(0);
    let any = false;
    for (let s = 0; s < 2 * n + 1; s++) {
      if (!cur[s] || s === n) continue;
      any = true;
      if (s > n) {
        // Inside a `**`: anything, and out of it after a `/`.
        next[s] = 1;
        if (c === '/') add(next, s - n);
        continue;
      }
      const t = tokens[s]!;
      if (t.k === 'char') {
        if (t.test(c)) add(next, s + 1);
      } else if (t.k === 'star') {
        if (c !== '/') add(next, s);
      } else if (t.k === 'rest') {
        add(next, s);
      } else {
        next[n + 1 + s] = 1;
        if (c === '/') add(next, s + 1);
      }
    }
    if (!any) return false;
    [cur, next] = [next, cur];
  }
  return cur[n] === 1;
}
