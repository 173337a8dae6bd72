/**
 * The write profile: from the `docker diff` of a run without --read-only, the smallest set of tmpfs mounts that
 * covers what the app wrote. A tmpfs hides what the image has at that path, so none is proposed over a directory
 * with image content (a `C` line: it existed in the image); such writes get a named cause instead. Pure.
 */
import { parseDiff } from './diff.js';

export interface Profile {
  tmpfs: string[];
  /** Writes that cannot take a tmpfs, with what causes them and what to do. */
  causes: { path: string; cause: string }[];
  /** A ready compose snippet. */
  snippet: string;
}

export function profileWrites(diffText: string, opts: { uid?: number; gid?: number; venv?: string; workdir?: string; existingMounts?: string[] }): Profile {
  const lines = parseDiff(diffText);
  const added = new Set(lines.filter((l) => l.kind === 'A').map((l) => l.path));
  // A changed path that is no other line's parent is a file the run rewrote (a directory only changes because
  // something inside it did): a write as much as an added file.
  const isParent = (p: string): boolean => lines.some((o) => o.path.startsWith(`${p}/`));
  const mounts = opts.existingMounts ?? [];
  const tmpfs = new Set<string>();
  const causes = new Map<string, string>();
  for (const l of lines) {
    if (l.kind === 'D' || (l.kind === 'C' && isParent(l.path))) continue;
    if (mounts.some((m) => l.path === m || l.path.startsWith(`${m}/`))) continue;
    // The highest ancestor that the run itself created: everything below it is new, so a tmpfs there hides nothing.
    let top = l.path;
    for (let parent = dirname(top); parent !== '/' && added.has(parent); parent = dirname(parent)) top = parent;
    const parent = dirname(top);
    if (/(^|\/)__pycache__(\/|$)/.test(top) || top.endsWith('.pyc')) {
      causes.set(top, 'Python writes bytecode at run time: set ENV PYTHONDONTWRITEBYTECODE=1 (and compile at build time with uv sync --compile-bytecode)');
      continue;
    }
    if (opts.venv && (top === opts.venv || top.startsWith(`${opts.venv}/`))) {
      causes.set(opts.venv, '`uv run` without `--no-sync` writes into the venv at start: add --no-sync or ENV UV_NO_SYNC=1');
      continue;
    }
    if (TMP_DIRS.includes(parent)) {
      tmpfs.add(parent); // conventionally empty in images, and a tmpfs in production
      continue;
    }
    if (isHomeCache(top)) {
      tmpfs.add(cacheDir(top));
      continue;
    }
    if (parent === '/' || STATE_DIRS.includes(parent)) {
      tmpfs.add(top); // a folder the run created in a shared system folder
      continue;
    }
    const next = opts.workdir && (parent === opts.workdir || parent.startsWith(`${opts.workdir}/`)) ? 'a state file written next to the code' : `a write into ${parent}, which holds image content`;
    causes.set(top, `${next}: move it to its own directory (an env var or a subfolder such as ${parent}/var) that can take a tmpfs or volume`);
  }
  const minimal = [...tmpfs].filter((t) => ![...tmpfs].some((o) => o !== t && t.startsWith(`${o}/`))).sort();
  const owner = opts.uid !== undefined && opts.uid !== 0 ? `:uid=${opts.uid},gid=${opts.gid ?? opts.uid}` : '';
  const snippet = minimal.length ? `tmpfs:\n${minimal.map((t) => `  - "${t}${owner}"`).join('\n')}` : '';
  return { tmpfs: minimal, causes: [...causes].map(([path, cause]) => ({ path, cause })), snippet };
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

const TMP_DIRS = ['/tmp', '/var/tmp', '/run', '/var/run'];
const STATE_DIRS = ['/var/cache', '/var/log', '/var/lib', '/srv', '/opt', '/mnt'];

/** ~/.cache/… writes: propose the cache folder itself (the home folder may hold image content). */
function isHomeCache(p: string): boolean {
  return /^\/(home\/[^/]+|root)\/\.cache(\/|$)/.test(p);
}
function cacheDir(p: string): string {
  return /^(\/(?:home\/[^/]+|root)\/\.cache)/.exec(p)![1]!;
}
