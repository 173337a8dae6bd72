/**
 * The uv project a build-time uv command works on: its folder in the image, and the pyproject.toml, uv.toml and
 * uv.lock it reads there, found the way the build puts them there (a bind mount of the RUN, else the COPY/ADD that
 * last wrote the path) and read from the build context. Unknown (undefined) when no file can be followed: rules then
 * make no claim that depends on the project's content.
 */
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { ImageUse } from './project.js';
import type { RunStep, Stage } from './image.js';
import { normalizePath } from './image.js';
import { isTruthy, type UvInvocation } from './uv.js';

export type Toml = Record<string, unknown>;

export interface UvProjectFiles {
  /** The project folder in the image. */
  dir: string;
  /** Repository-relative file and parsed content. */
  pyproject?: { file: string; toml: Toml };
  uvToml?: { file: string; toml: Toml };
  lock?: { file: string; text: string };
}

/**
 * Where a uv project command runs: the WORKDIR (or `cwd` when known), `--directory`, then `--project` / UV_PROJECT.
 * (`stage.workdir` is the stage's last WORKDIR: rules use the call's own `dirs`, which follow the RUN's WORKDIR and
 * its `cd`s.)
 */
export function uvProjectDir(inv: UvInvocation, stage: Stage, env: (n: string) => string | undefined, cwd?: string): string {
  const resolve = (base: string, p: string): string => normalizePath(p.startsWith('/') ? p : `${base}/${p}`);
  let dir = cwd ?? stage.workdir;
  const directory = inv.options.find((o) => o.name === '--directory' && o.value)?.value;
  if (directory) dir = resolve(dir, directory);
  const project = inv.options.find((o) => o.name === '--project' && o.value)?.value ?? env('UV_PROJECT');
  return project ? resolve(dir, project) : normalizePath(dir);
}

/** The repository-relative file that the build puts at `imagePath` for this RUN, if it exists in the context (not .dockerignored). */
export function contextFileAt(use: ImageUse, stage: Stage, run: RunStep, imagePath: string): string | undefined {
  const p = normalizePath(imagePath);
  for (const m of [...run.mounts].reverse()) {
    if (m.type !== 'bind' || !m.target) continue;
    const target = normalizePath(m.target.startsWith('/') ? m.target : `${run.workdir}/${m.target}`);
    if (p !== target && !p.startsWith(`${target}/`)) continue;
    if (m.from) return undefined; // from another stage or image: not the context's
    const f = use.contextFile(`${m.source ?? '.'}${p.slice(target.length)}`);
    return f.exists && !f.ignored ? f.file : undefined;
  }
  const f = use.sourceOf(stage, p, run.loc.line);
  return f?.exists && !f.ignored ? f.file : undefined;
}

const tomlCache = new WeakMap<ImageUse, Map<string, Toml | null>>();
function readToml(use: ImageUse, file: string): Toml | undefined {
  let cache = tomlCache.get(use);
  if (!cache) tomlCache.set(use, (cache = new Map()));
  if (!cache.has(file)) {
    const text = use.readText(file);
    let toml: Toml | null = null;
    if (text !== undefined) {
      try {
        toml = parseToml(text) as Toml;
      } catch {
        toml = null; // uv would reject it too; the TOML error itself is not this module's to report
      }
    }
    cache.set(file, toml);
  }
  return cache.get(file) ?? undefined;
}

/** The project files a uv command reads in `dir`. */
export function uvProjectFiles(use: ImageUse, stage: Stage, run: RunStep, dir: string): UvProjectFiles {
  const out: UvProjectFiles = { dir };
  const py = contextFileAt(use, stage, run, `${dir}/pyproject.toml`);
  const pyToml = py && readToml(use, py);
  if (py && pyToml) out.pyproject = { file: py, toml: pyToml };
  const uvt = contextFileAt(use, stage, run, `${dir}/uv.toml`);
  const uvToml = uvt && readToml(use, uvt);
  if (uvt && uvToml) out.uvToml = { file: uvt, toml: uvToml };
  const lock = contextFileAt(use, stage, run, `${dir}/uv.lock`);
  const lockText = lock && use.readText(lock);
  if (lock && lockText !== undefined) out.lock = { file: lock, text: lockText };
  return out;
}

const table = (v: unknown): Toml | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Toml) : undefined);
export const toolUv = (py: Toml): Toml | undefined => table(table(py.tool)?.uv);

/** A project uv builds and installs: `tool.uv.package` when set, else whether it declares a `[build-system]`. */
export function isPackaged(py: Toml): boolean {
  const pkg = toolUv(py)?.package;
  if (typeof pkg === 'boolean') return pkg;
  return table(py['build-system']) !== undefined;
}

/** uv.lock marks a virtual root project `source = { virtual = "." }`. */
export function lockRootVirtual(lock: string): boolean {
  return /^source\s*=\s*\{\s*virtual\s*=\s*"\."\s*\}/m.test(lock);
}

/** PEP 503 normalisation of package and group names. */
export const normName = (n: string): string => n.toLowerCase().replace(/[-_.]+/g, '-');

/** The uv setting `key` in force for the project: uv.toml beside it wins over `[tool.uv]`. */
export function uvSetting(files: UvProjectFiles, key: string): unknown {
  if (files.uvToml) return files.uvToml.toml[key];
  return files.pyproject ? toolUv(files.pyproject.toml)?.[key] : undefined;
}

/** The dependency groups the project defines (normalised names): `[dependency-groups]`, and `dev` for `tool.uv.dev-dependencies`. */
export function dependencyGroups(py: Toml): Set<string> {
  const groups = new Set(Object.keys(table(py['dependency-groups']) ?? {}).map(normName));
  const legacy = toolUv(py)?.['dev-dependencies'];
  if (Array.isArray(legacy) && legacy.length > 0) groups.add('dev');
  return groups;
}

/**
 * The groups a plain sync installs by default: `tool.uv.default-groups` (a list, or "all" for every group), else
 * `dev`. Undefined when the setting has a shape uv would not accept.
 */
export function defaultGroups(files: UvProjectFiles, groups: Set<string>): Set<string> | undefined {
  const dg = uvSetting(files, 'default-groups');
  if (dg === undefined) return new Set(['dev']);
  if (dg === 'all') return new Set(groups);
  if (Array.isArray(dg) && dg.every((x) => typeof x === 'string')) return new Set(dg.map((x: string) => normName(x)));
  return undefined;
}

/**
 * Workspace members the sync installs from the project's workspace, as packages, with their names: those the root
 * depends on, every member with `--all-packages`, or the one `--package NAME` names (then the sync's project).
 */
export function installedMembers(use: ImageUse, stage: Stage, run: RunStep, files: UvProjectFiles, allPackages: boolean, pkg?: string): string[] {
  const py = files.pyproject?.toml;
  if (!py) return [];
  const members = table(toolUv(py)?.workspace)?.members;
  if (!Array.isArray(members)) return [];
  // Members the root depends on through `{ workspace = true }` sources (or every member with --all-packages).
  const sourced = new Set(Object.entries(table(toolUv(py)?.sources) ?? {}).filter(([, v]) => table(v)?.workspace === true).map(([k]) => normName(k)));
  const out: string[] = [];
  for (const m of members) {
    if (typeof m !== 'string' || /[*?[\]]/.test(m)) continue; // a glob: its folders are not followed
    const file = contextFileAt(use, stage, run, path.posix.join(files.dir, m, 'pyproject.toml'));
    const toml = file && readToml(use, file);
    const name = toml && table(toml.project)?.name;
    if (!toml || typeof name !== 'string') continue;
    const wanted = pkg !== undefined ? normName(name) === normName(pkg) : allPackages || sourced.has(normName(name));
    if (wanted && isPackaged(toml)) out.push(name);
  }
  return out;
}

/** Whether a boolean uv flag or its environment variable is on. */
export function flagOrEnv(inv: UvInvocation, env: (n: string) => string | undefined, flags: string[], vars: string[]): boolean {
  return inv.options.some((o) => flags.includes(o.name)) || vars.some((v) => isTruthy(env(v)));
}

/**
 * The environment a uv install writes to, when it can be told: a project sync's venv (UV_PROJECT_ENVIRONMENT, else
 * `.venv` in the project folder); for `uv pip`, `--target`/`--prefix`, the system Python (`--system`,
 * UV_SYSTEM_PYTHON), `--python`, else VIRTUAL_ENV. Undefined when unknown.
 */
export function installEnv(inv: UvInvocation, stage: Stage, env: (n: string) => string | undefined, dirs?: { dir: string; project: string }): string | undefined {
  const abs = (base: string, p: string): string => normalizePath(p.startsWith('/') ? p : `${base}/${p}`);
  if (inv.sub[0] === 'sync') {
    const dir = dirs?.project ?? uvProjectDir(inv, stage, env);
    const pe = env('UV_PROJECT_ENVIRONMENT');
    return pe ? abs(dir, pe) : `${dir}/.venv`;
  }
  const opt = (n: string): string | undefined => inv.options.find((o) => o.name === n && o.value)?.value;
  const target = opt('--target') ?? opt('--prefix');
  if (target) return abs(dirs?.dir ?? stage.workdir, target);
  if (inv.options.some((o) => o.name === '--system') || isTruthy(env('UV_SYSTEM_PYTHON'))) return 'system';
  const py = opt('--python') ?? opt('-p');
  if (py) return `python:${py}`;
  const venv = env('VIRTUAL_ENV');
  return venv ? abs(dirs?.dir ?? stage.workdir, venv) : undefined;
}

/** Two install environments that may be the same one (unknown matches anything). */
export const sameEnv = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || a === b;

/**
 * `python -m compileall [options] PATH…` (any python, `uv run python -m compileall` included) that recompiles
 * `envPath` recursively: a path that is it, holds it, or is a site-packages folder, or a path we cannot evaluate.
 * `-l` (no recursion) and no path at all (sys.path, without recursion) compile no installed package.
 */
export function compileallCovers(words: readonly { text: string | null }[], cwd: string, envPath: string | undefined): boolean {
  const at = words.findIndex((w, i) => /^python(\d(\.\d+)*)?$/.test(path.posix.basename(w.text ?? '')) && words[i + 1]?.text === '-m' && words[i + 2]?.text === 'compileall');
  if (at < 0) return false;
  const VALUE = new Set(['-d', '-x', '-i', '-r', '-o', '-e', '-p', '-s', '-j', '--invalidation-mode']);
  const paths: (string | null)[] = [];
  for (let i = at + 3; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '-l') return false;
    if (t !== null && VALUE.has(t)) i++;
    else if (t !== null && t.startsWith('-')) continue;
    else paths.push(t);
  }
  return paths.some((p) => {
    if (p === null || envPath === undefined) return true;
    const a = normalizePath(p.startsWith('/') ? p : `${cwd}/${p}`);
    if (a.includes('site-packages')) return true;
    return envPath === 'system' || envPath.startsWith('python:') ? a === '/' || a.startsWith('/usr') : envPath === a || envPath.startsWith(a === '/' ? '/' : `${a}/`) || a.startsWith(`${envPath}/`);
  });
}
