/** `.dockerignore`: patterns (with `!` exceptions) matched against context-relative paths, as Docker does. */
import picomatch from 'picomatch';

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
    const p = (negated ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/^\.\//, '').replace(/\/+$/, '');
    if (p) patterns.push({ pattern: p, negated, line: i + 1, match: (x) => matcher(p)(x) });
  });
  return { file, patterns };
}

/** Compiled lazily (most contexts are never asked about) and once per pattern: `.venv`, `__pycache__`… repeat across services. */
const compiled = new Map<string, (p: string) => boolean>();
function matcher(pattern: string): (p: string) => boolean {
  let m = compiled.get(pattern);
  if (!m) {
    m = picomatch(pattern, { dot: true });
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
