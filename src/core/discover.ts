/**
 * Which files to read: Dockerfiles and compose files under the root, per the `dockerfiles` / `compose-files`
 * patterns. Excluded folders are pruned while walking (never listed), symlinked folders are not entered, and a
 * symlinked file that leaves the root is reported instead of read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

export interface Discovery {
  dockerfiles: string[];
  composeFiles: string[];
  /** GitHub workflow files (`.github/workflows/*.y[a]ml` under the root): the image builds they run are read. */
  workflows: string[];
  /** Files that matched but cannot be read as they are (symlink out of the root, loop). */
  skipped: { file: string; reason: string }[];
}

export interface DiscoverOptions {
  dockerfilePatterns?: string[];
  composePatterns?: string[];
  exclude?: string[];
  /** Safety net against runaway trees. */
  maxEntries?: number;
  /** Called with each folder listing (absolute path), so later lookups there need no I/O. */
  onListing?: (dirAbs: string, entries: readonly fs.Dirent[]) => void;
}

const ALWAYS_SKIP = new Set(['.git', 'node_modules', '.venv']);

/**
 * Dockerfile names read by default. Docker falls back to a lower-case `dockerfile` when a folder has no `Dockerfile`
 * (`docker build .`, compose `build: .`), and `-f` takes any name, so the `*.Dockerfile` / `Dockerfile.*` families
 * are matched whatever their case (`api.dockerfile`, `Containerfile.prod`).
 */
export function isDefaultDockerfile(name: string): boolean {
  const n = name.toLowerCase();
  if (n.endsWith('.dockerignore')) return false;
  return n === 'dockerfile' || n === 'containerfile' || n.endsWith('.dockerfile') || n.endsWith('.containerfile') || n.startsWith('dockerfile.') || n.startsWith('containerfile.');
}

/**
 * Compose file names read by default: `compose.yaml`, `docker-compose.yml`, their `.<variant>.` forms
 * (`compose.override.yaml`, `docker-compose.prod.yml`) and the `-<variant>` forms many repositories use with `-f`
 * (`docker-compose-prod.yml`, `compose-neo4j.yaml`).
 */
export function isDefaultCompose(name: string): boolean {
  return /^(docker-)?compose([.-][A-Za-z0-9_-]+)*\.ya?ml$/.test(name);
}

/**
 * Whether discovery would skip a repository-relative path: under `.git`, `node_modules` or `.venv`, or matched (itself
 * or a folder above it) by the config's `exclude` globs. For files reached otherwise (`include`).
 */
export function excludedPaths(exclude: readonly string[]): (rel: string) => boolean {
  const excluded = exclude.length ? picomatch([...exclude], { dot: true }) : undefined;
  return (rel) => {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (ALWAYS_SKIP.has(parts[i - 1]!) || excluded?.(dir) || excluded?.(`${dir}/`)) return true;
    }
    return excluded?.(rel) ?? false;
  };
}

export function discover(root: string, opts: DiscoverOptions = {}): Discovery {
  const out: Discovery = { dockerfiles: [], composeFiles: [], workflows: [], skipped: [] };
  const excluded = opts.exclude?.length ? picomatch(opts.exclude, { dot: true }) : undefined;
  const dfMatch = opts.dockerfilePatterns?.length ? picomatch(opts.dockerfilePatterns, { dot: true }) : undefined;
  const composeMatch = opts.composePatterns?.length ? picomatch(opts.composePatterns, { dot: true }) : undefined;
  const realRoot = fs.realpathSync(root);
  let budget = opts.maxEntries ?? 2_000_000;
  const walk = (dirRel: string): void => {
    let entries: fs.Dirent[];
    const dirAbs = path.join(root, dirRel);
    try {
      entries = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      // Never silently: a folder that cannot be listed (no permission, a path too long, …) is reported.
      out.skipped.push({ file: dirRel || '.', reason: `a folder that cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): not scanned` });
      return;
    }
    opts.onListing?.(dirAbs, entries);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (--budget < 0) return;
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (ALWAYS_SKIP.has(e.name)) continue;
        if (excluded && (excluded(rel) || excluded(`${rel}/`))) continue;
        walk(rel);
        continue;
      }
      if (excluded?.(rel)) continue;
      if (dirRel === '.github/workflows' && /\.ya?ml$/.test(e.name) && e.isFile()) out.workflows.push(rel);
      const isDf = dfMatch ? dfMatch(rel) : isDefaultDockerfile(e.name);
      const isCompose = composeMatch ? composeMatch(rel) : isDefaultCompose(e.name);
      if (!isDf && !isCompose) continue;
      if (e.isSymbolicLink()) {
        let real: string;
        try {
          real = fs.realpathSync(path.join(root, rel));
        } catch {
          out.skipped.push({ file: rel, reason: 'a symlink that points nowhere (or into a loop): not followed' });
          continue;
        }
        if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
          out.skipped.push({ file: rel, reason: 'a symlink that points outside the scanned root: not followed' });
          continue;
        }
      } else if (!e.isFile()) {
        out.skipped.push({ file: rel, reason: 'not a regular file (a FIFO, socket or device): not read' });
        continue;
      }
      (isDf ? out.dockerfiles : out.composeFiles).push(rel);
    }
  };
  walk('');
  if (budget < 0) out.skipped.push({ file: '.', reason: `the tree has more than ${opts.maxEntries ?? 2_000_000} entries: discovery stopped, some files were not checked` });
  return out;
}

/**
 * Groups compose files into the projects `docker compose` would load from each folder: the base file with its
 * `*.override.*`, and each `*.<env>.*` variant over the base.
 */
export function composeProjects(files: readonly string[]): string[][] {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const dir = path.posix.dirname(f);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const projects: string[][] = [];
  for (const group of byDir.values()) {
    const name = (f: string): string => path.posix.basename(f);
    const bases = group.filter((f) => /^(docker-)?compose\.ya?ml$/.test(name(f)));
    const others = group.filter((f) => !bases.includes(f));
    // compose's precedence when several base names exist: compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml
    const order = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
    bases.sort((a, b) => order.indexOf(name(a)) - order.indexOf(name(b)));
    const base = bases[0];
    for (const extra of bases.slice(1)) projects.push([extra]);
    if (!base) {
      for (const f of others) projects.push([f]);
      continue;
    }
    const stem = name(base).replace(/\.ya?ml$/, '');
    const overrides = others.filter((f) => new RegExp(`^${stem.replace('.', '\\.')}\\.override\\.ya?ml$`).test(name(f)));
    projects.push([base, ...overrides]);
    for (const f of others) {
      if (overrides.includes(f)) continue;
      const sameFamily = name(f).startsWith(`${stem}.`);
      projects.push(sameFamily ? [base, f] : [f]);
    }
  }
  return projects;
}
