/** Where a command runs: the WORKDIR (or a runtime's working directory) moved by `cd`, and for uv its project folder. */
import { normalizePath, externalBaseOf, isPublicBase, type RunStep, type Stage } from './image.js';
import type { UvInvocation } from './uv.js';
import type { ImageUse } from './project.js';
import type { SimpleCommand } from '../parse/shell.js';

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

/**
 * Whether a RUN command never runs because a file it is guarded by (`if [ -f requirements.txt ]; then …`) is certainly
 * not in the image at that point: nothing puts it there before (no COPY/ADD, bind mount or earlier command naming
 * it) over a public base image, or what would copy it does not exist in the build context or is .dockerignored.
 */
export function guardedOut(use: ImageUse, stage: Stage, run: RunStep, cmd: SimpleCommand): boolean {
  return cmd.guards?.some((g) => {
    const p = commandDir(run.workdir, g);
    return p !== undefined && absentAt(use, stage, run, cmd, p);
  }) ?? false;
}

function absentAt(use: ImageUse, stage: Stage, run: RunStep, cmd: SimpleCommand, p: string): boolean {
  const name = p.slice(p.lastIndexOf('/') + 1);
  const stages = use.image.stages;
  // An earlier command that names the file may create it (`uv export -o requirements.txt`, `> requirements.txt`).
  const names = (c: SimpleCommand): boolean => !['[', 'test'].includes(c.words[0]?.text ?? '') && (c.words.some((w) => w.text?.includes(name)) || c.redirects.some((r) => r.target?.text?.includes(name)));
  if (run.commands.slice(0, run.commands.indexOf(cmd)).some(names)) return false;
  for (let s: Stage | undefined = stage; s; s = s.parent === undefined ? undefined : stages[s.parent]) {
    if (s.runs.some((r) => (s !== stage || r.loc.line < run.loc.line) && r.commands.some(names))) return false;
    // A copy from another image, or of a glob, may bring it: unknown.
    if (s.copies.some((c) => (s !== stage || c.loc.line < run.loc.line) && ((c.from !== undefined && c.fromStage === undefined) || c.sources.some((x) => /[*?[]/.test(x.path))))) return false;
  }
  for (const m of run.mounts) {
    if (m.type !== 'bind' || !m.target) continue;
    const target = normalizePath(m.target.startsWith('/') ? m.target : `${run.workdir}/${m.target}`);
    if (p !== target && !p.startsWith(`${target}/`)) continue;
    if (m.from) return false;
    const f = use.contextFile(`${m.source ?? '.'}${p.slice(target.length)}`);
    return !f.exists || f.ignored;
  }
  const src = use.sourceOf(stage, p, run.loc.line);
  if (src) return !src.exists || src.ignored;
  return isPublicBase(externalBaseOf(stage, stages));
}
