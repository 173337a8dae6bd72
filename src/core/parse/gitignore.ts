/**
 * `.gitignore`, read with the `.dockerignore` matcher (a linear-time automaton: the repository writes both the
 * patterns and the paths). Git's rules on top of Docker's: a pattern without a slash (but a trailing one) matches at
 * any depth, one with a slash is anchored at the `.gitignore`'s folder, a trailing slash matches folders only, the
 * last matching pattern decides, and a file inside an ignored folder stays ignored.
 */
import { parseDockerignore } from './dockerignore.js';

export interface Gitignore {
  file: string;
  patterns: { negated: boolean; dirOnly: boolean; line: number; match: (p: string) => boolean }[];
}

export function parseGitignore(file: string, text: string): Gitignore {
  const patterns: Gitignore['patterns'] = [];
  text.split('\n').forEach((raw, i) => {
    // Trailing blanks are not part of a pattern unless escaped; `#` starts a comment, `\#` is a literal one.
    let line = raw.replace(/\r$/, '').replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) return;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    line = line.replace(/\/+$/, '');
    if (!line) return;
    const anchored = line.includes('/');
    const p = parseDockerignore(file, anchored ? line.replace(/^\/+/, '') : `**/${line}`).patterns[0];
    if (p) patterns.push({ negated, dirOnly, line: i + 1, match: p.match });
  });
  return { file, patterns };
}

/** The line that ignores `relPath` (relative to the `.gitignore`'s folder), or undefined when it is not ignored. */
export function gitIgnoredBy(gi: Gitignore, relPath: string): number | undefined {
  const segs = relPath.split('/');
  // A folder that is ignored hides everything in it: no pattern can bring a file back from inside it.
  for (let d = 1; d < segs.length; d++) {
    const dir = segs.slice(0, d).join('/');
    const hit = decide(gi, dir, true);
    if (hit !== undefined) return hit;
  }
  return decide(gi, relPath, false);
}

function decide(gi: Gitignore, p: string, isDir: boolean): number | undefined {
  let hit: number | undefined;
  for (const pat of gi.patterns) {
    if (pat.dirOnly && !isDir) continue;
    if (pat.match(p)) hit = pat.negated ? undefined : pat.line;
  }
  return hit;
}
