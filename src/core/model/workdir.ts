/** Where a command runs: the WORKDIR (or a runtime's working directory) moved by `cd`, and for uv its project folder. */
import { normalizePath } from './image.js';
import type { UvInvocation } from './uv.js';

/** The folder a command runs in: `start` moved by its `cd` (SimpleCommand.cwd); undefined when unknown. */
export function commandDir(start: string, cwd: string | null | undefined): string | undefined {
  if (cwd === null) return undefined;
  if (cwd === undefined) return start;
  return normalizePath(cwd.startsWith('/') ? cwd : `${start}/${cwd}`);
}

/**
 * The folder uv works in and its project folder (where it looks for pyproject.toml, then up for the workspace and
 * uv.lock): `--directory` (or UV_WORKING_DIR / UV_WORKING_DIRECTORY) changes the folder first, `--project` (or
 * UV_PROJECT) is taken relative to it. undefined when a value cannot be known.
 */
export function uvDirs(inv: UvInvocation, env: (name: string) => string | undefined, dir: string | undefined): { dir: string; project: string } | undefined {
  if (dir === undefined) return undefined;
  const value = (flag: string, ...vars: string[]): string | null | undefined => {
    const o = inv.options.find((x) => x.name === flag);
    if (o) return o.value ?? null;
    for (const v of vars) {
      const e = env(v);
      if (e) return e;
    }
    return undefined;
  };
  const d = value('--directory', 'UV_WORKING_DIR', 'UV_WORKING_DIRECTORY');
  const p = value('--project', 'UV_PROJECT');
  if (d === null || p === null) return undefined;
  const at = (base: string, x: string | undefined): string => (x === undefined ? base : normalizePath(x.startsWith('/') ? x : `${base}/${x}`));
  const workDir = at(dir, d);
  return { dir: workDir, project: at(workDir, p) };
}
