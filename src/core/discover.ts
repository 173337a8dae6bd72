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
  /**
   * Build scripts (`*.sh`, `*.bat`, `*.cmd`, `*.ps1`, Makefiles, justfiles; the first MAX_BUILD_SCRIPTS): the
   * `docker build` commands they run are read like a workflow's.
   */
  buildScripts: string[];
  /** Files that matched but cannot be read as they are (symlink out of the root, loop). */
  skipped: { file: string; reason: string }[];
  /** Files that matched but are not the production runtime (a dev container): left out, and said so in the summary. */
  leftOut: { file: string; reason: string }[];
}

export interface DiscoverOptions {
  dockerfilePatterns?: string[];
  composePatterns?: string[];
  exclude?: string[];
  /** Safety net against runaway trees. */
  maxEntries?: number;
  /** The config's `production` globs: a file they match is read even where it would be left out (`.devcontainer/`). */
  production?: (rel: string) => boolean;
  /** Called with each folder listing (absolute path), so later lookups there need no I/O. */
  onListing?: (dirAbs: string, entries: readonly fs.Dirent[]) => void;
}

const ALWAYS_SKIP = new Set(['.git', 'node_modules', '.venv']);
/** A folder named by a template engine: `{{ cookiecutter.project_slug }}`, `{% if x %}…`. */
const TEMPLATE_NAME = /\{\{|\{%/;

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

/** Scripts that may run `docker build`: shell, batch and PowerShell scripts, Makefiles, justfiles. */
const BUILD_SCRIPT = /^(.*\.(sh|bash|bat|cmd|ps1)|(GNU)?[Mm]akefile|[Jj]ustfile|.*\.mk)$/;
const MAX_BUILD_SCRIPTS = 500;

export function discover(root: string, opts: DiscoverOptions = {}): Discovery {
  const out: Discovery = { dockerfiles: [], composeFiles: [], workflows: [], buildScripts: [], skipped: [], leftOut: [] };
  const excluded = opts.exclude?.length ? picomatch(opts.exclude, { dot: true }) : undefined;
  const dfMatch = opts.dockerfilePatterns?.length ? picomatch(opts.dockerfilePatterns, { dot: true }) : undefined;
  const composeMatch = opts.composePatterns?.length ? picomatch(opts.composePatterns, { dot: true }) : undefined;
  const realRoot = fs.realpathSync(root);
  let budget = opts.maxEntries ?? 2_000_000;
  const walk = (dirRel: string, devcontainer = false): void => {
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
        if (TEMPLATE_NAME.test(e.name) && !opts.production?.(`${rel}/`)) {
          // A project template (cookiecutter, copier): its files are Jinja that Docker never reads as they are.
          out.leftOut.push({ file: `${rel}/`, reason: 'a project template (its name holds `{{ }}` or `{% %}`): its files are rendered before Docker reads them' });
          continue;
        }
        walk(rel, devcontainer || e.name === '.devcontainer');
        continue;
      }
      if (excluded?.(rel)) continue;
      if (dirRel === '.github/workflows' && /\.ya?ml$/.test(e.name) && e.isFile()) out.workflows.push(rel);
      if (BUILD_SCRIPT.test(e.name) && e.isFile() && !devcontainer && out.buildScripts.length < MAX_BUILD_SCRIPTS) out.buildScripts.push(rel);
      const isDf = dfMatch ? dfMatch(rel) : isDefaultDockerfile(e.name);
      // (A workflow named `compose-prod-smoke.yml` is a workflow: GitHub's folder holds no compose file.)
      const isCompose = composeMatch ? composeMatch(rel) : isDefaultCompose(e.name) && !rel.startsWith('.github/');
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
      if (devcontainer && !opts.production?.(rel)) out.leftOut.push({ file: rel, reason: 'a dev container (`.devcontainer/`), not the production runtime' });
      else (isDf ? out.dockerfiles : out.composeFiles).push(rel);
    }
  };
  walk('');
  if (budget < 0) out.skipped.push({ file: '.', reason: `the tree has more than ${opts.maxEntries ?? 2_000_000} entries: discovery stopped, some files were not checked` });
  return out;
}

/** Tokens of a file name that mark a development file (`compose.override.yaml`, `docker-compose.dev.yml`, `Dockerfile.test`). */
const DEV_TOKENS = new Set(['override', 'dev', 'develop', 'development', 'local', 'test', 'tests', 'testing', 'debug', 'e2e', 'devcontainer', 'ci']);
/** The base compose file names, in compose's precedence when several exist. */
export const BASE_COMPOSE_NAMES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Words of a folder name that make it a test folder (`proxy-test`, `e2e_tests`). */
const TEST_TOKENS = new Set(['test', 'tests', 'testing', 'e2e']);
/** Folders whose files are test harnesses and fixtures, not the production runtime (a path segment, any case). */
const DEV_FOLDERS = /^(tests?|testing|e2e|__tests__|fixtures|test-environments?|integration-tests?)$/i;
const PROD_TOKENS = new Set(['prod', 'production', 'prd', 'deploy', 'deployment', 'release', 'live']);

/**
 * What a file's name says about the stack it belongs to: `production` (`*.prod.*`, `*.production.*`, `*.deploy.*`, …), `development`
 * (`*.override.*`, `*.dev.*`, `*.local.*`, `*.test.*`, `*.debug.*`, …) or nothing (a base file, another variant).
 */
export function nameRole(file: string): { role: 'production' | 'development'; token: string } | undefined {
  // A folder of tests or fixtures (`tests/`, `scripts/proxy-test/`), or GitHub's own (CI images: `.github/docker/`).
  const folder = path.posix.dirname(file).split('/').find((d) => d === '.github' || DEV_FOLDERS.test(d) || d.toLowerCase().split(/[-_.]+/).some((t) => TEST_TOKENS.has(t)));
  if (folder) return { role: 'development', token: `${folder}/` };
  const tokens = path.posix.basename(file).replace(/\.ya?ml$/i, '').toLowerCase().split(/[.\-_]+/);
  const dev = tokens.find((t) => DEV_TOKENS.has(t));
  if (dev) return { role: 'development', token: dev };
  const prod = tokens.find((t) => PROD_TOKENS.has(t));
  return prod ? { role: 'production', token: prod } : undefined;
}

/**
 * A compose stack: the files `docker compose -f … -f …` merges (base first). `variant`: an override that is neither
 * production nor development by its name (`compose.staging.yaml`): production unless it only adds volumes.
 */
export interface ComposeStack {
  files: string[];
  role: 'production' | 'development' | 'variant';
  reason: string;
}

/**
 * Groups compose files into stacks per folder. The production stack is the base file (compose.yaml,
 * docker-compose.yml) with each `*.prod.*`/`*.production.*` override (the base alone when there is none); the
 * development stacks are the base with `*.override.*` (which `docker compose up` adds by default) or with a
 * `*.dev.*`/`*.local.*`/`*.test.*`/`*.debug.*` override; any other `*.<env>.*` override over the base is a variant.
 * With `production` (the config's globs), the files it matches are production and every other one development.
 */
export function composeProjects(files: readonly string[], production?: (file: string) => boolean, fragmentOf?: (file: string, base: string) => boolean): ComposeStack[] {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const dir = path.posix.dirname(f);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const name = (f: string): string => path.posix.basename(f);
  const roleOf = (f: string, base: boolean): ComposeStack => {
    if (production) return production(f) ? { files: [f], role: 'production', reason: `named by the config's \`production\`` } : { files: [f], role: 'development', reason: `not named by the config's \`production\`` };
    const r = nameRole(f);
    if (r?.role === 'development') return { files: [f], role: 'development', reason: r.token === 'override' ? 'the development layer `docker compose up` adds by default' : `\`${r.token}\` in the ${r.token.endsWith('/') ? 'path' : 'name'} marks development` };
    if (r) return { files: [f], role: 'production', reason: `\`${r.token}\` in the name marks production` };
    return { files: [f], role: base ? 'production' : 'variant', reason: base ? 'the base compose file' : 'a compose file of its own' };
  };
  const stacks: ComposeStack[] = [];
  for (const group of byDir.values()) {
    const bases = group.filter((f) => BASE_COMPOSE_NAMES.includes(name(f)));
    const others = group.filter((f) => !bases.includes(f));
    bases.sort((a, b) => BASE_COMPOSE_NAMES.indexOf(name(a)) - BASE_COMPOSE_NAMES.indexOf(name(b)));
    const base = bases[0];
    for (const extra of bases.slice(1)) stacks.push(roleOf(extra, true));
    const alone: ComposeStack[] = [];
    const addAlone = (f: string): void => {
      const r = roleOf(f, false);
      alone.push(r.role === 'variant' ? { ...r, role: 'production' } : r);
    };
    if (!base) {
      for (const f of others) addAlone(f);
      stacks.push(...alone);
      continue;
    }
    const stem = name(base).replace(/\.ya?ml$/, '');
    const baseRole = roleOf(base, true);
    const over: ComposeStack[] = [];
    for (const f of others) {
      // `docker-compose-embedded.yml` is a stack of its own, unless it is only a fragment of the base (services the
      // base defines, none runnable alone): then an override like `docker-compose.embedded.yml`.
      if (!name(f).startsWith(`${stem}.`) && !(name(f).startsWith(`${stem}-`) && fragmentOf?.(f, base))) {
        addAlone(f);
        continue;
      }
      const r = roleOf(f, false);
      const files = [base, f];
      if (baseRole.role === 'development') over.push({ files, role: 'development', reason: `the base file is ${baseRole.reason}` });
      else if (r.role === 'variant') over.push({ files, role: 'variant', reason: 'an environment variant over the base file' });
      else over.push({ files, role: r.role, reason: r.reason });
    }
    // The base alone is the production stack unless a production override goes with it.
    if (!over.some((o) => o.role === 'production')) stacks.push(baseRole);
    stacks.push(...over, ...alone);
  }
  return stacks;
}
