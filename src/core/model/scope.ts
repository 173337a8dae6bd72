/**
 * Which images and services a rule looks at. One decision for the whole catalogue, by rule family (the id's
 * prefix), so that no rule carries a scope test of its own:
 * - UV (uv), PY (Python writing at run time) and EP (entrypoint scripts): images and services that use uv, whatever
 *   the config. A rule about uv or Python has nothing true to say about an nginx, node or postgres container.
 * - CT (hardening) and RO (the analysis itself): images and services that use uv, and with `scope: all` every one.
 * An image uses uv when a stage it is built from does (a uv command in a RUN, `FROM`/`COPY --from` a uv image,
 * `pip install uv`); a service when its image does or its command (or a script it runs) calls uv.
 */
import type { ImageUse, Problem, Project } from './project.js';
import type { Runtime } from './runtime.js';
import type { Service } from './service.js';
import { uvInvocation } from './uv.js';
import { basename } from '../parse/shell.js';

export type Reach = 'uv' | 'python' | 'widened';

/**
 * Rule families by id prefix: what each needs of an image or service to look at it. `python`: uses uv, and its
 * container is not certainly running something else (a node service whose image has uv for build-time tooling
 * writes no __pycache__ and compiles nothing at start).
 */
export const FAMILY_REACH: Readonly<Record<string, Reach>> = { UV: 'uv', PY: 'python', EP: 'uv', CT: 'widened', RO: 'widened' };
/** Rules of the UV family about what Python does at run time (compiling, editable source). */
const RULE_REACH: Readonly<Record<string, Reach>> = { UV102: 'python', UV103: 'python' };

export function reachOf(ruleId: string): Reach {
  return RULE_REACH[ruleId] ?? FAMILY_REACH[ruleId.slice(0, 2)] ?? 'uv';
}

/** Programs that are not Python: a container whose start command is one of them does not run Python. */
const NOT_PYTHON = new Set(['node', 'nodejs', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'bunx', 'deno', 'nginx', 'caddy', 'httpd', 'apache2', 'haproxy', 'java', 'php', 'php-fpm', 'ruby', 'rails', 'dotnet', 'redis-server', 'postgres', 'mysqld']);

/**
 * Whether the container certainly runs no Python: its start command (the last one it runs, after the scripts it
 * follows) is a known non-Python program, and nothing it runs is uv, Python or a venv's executable.
 */
export function runsNoPython(rt: Runtime): boolean {
  const main = rt.commands[rt.commands.length - 1];
  const program = main?.words[0]?.text;
  if (!program || !NOT_PYTHON.has(basename(program))) return false;
  return !rt.commands.some((c) => {
    const p = c.words[0]?.text ?? '';
    return uvInvocation(c.words) !== undefined || /^python[\d.]*$|^pypy/.test(basename(p)) || /(^|\/)\.?venv\/bin\//.test(p);
  });
}

/** Whether a file's text names uv at all: the cheap test before a Dockerfile is parsed. */
export function namesUv(text: string): boolean {
  return /\buvx?\b|astral-sh|astral\/uv/.test(text);
}

/** Whether the container runs uv: its command, a script it follows, or its healthcheck. */
export function runsUv(rt: Runtime): boolean {
  return rt.commands.some((c) => uvInvocation(c.words) !== undefined) || (rt.healthcheck?.commands.some((c) => uvInvocation(c.words) !== undefined) ?? false);
}

/** Whether a stage the runtime's image is built from uses uv, or the container runs it. */
export function runtimeUsesUv(rt: Runtime): boolean {
  if (rt.image && [...rt.reachable].some((i) => rt.image!.stages[i]?.usesUv)) return true;
  return runsUv(rt);
}

export function useUsesUv(use: ImageUse): boolean {
  return [...use.reachable].some((i) => use.image.stages[i]?.usesUv) || use.runtimes.some(runsUv);
}

/** Whether a rule of `reach` looks at this runtime. */
export function runtimeInReach(project: Project, rt: Runtime, reach: Reach): boolean {
  return (reach === 'widened' && project.scopeAll) || runtimeUsesUv(rt);
}

/** The project as the rules of one reach see it: only the images, services and problems in that reach. */
const views = new WeakMap<Project, Map<Reach, Project>>();
export function projectFor(project: Project, reach: Reach): Project {
  let byReach = views.get(project);
  if (!byReach) views.set(project, (byReach = new Map()));
  let view = byReach.get(reach);
  if (view) return view;
  const wide = reach === 'widened' && project.scopeAll;
  const py = reach === 'python';
  const rtIn = (rt: Runtime): boolean => wide || (runtimeUsesUv(rt) && !(py && runsNoPython(rt)));
  // (An image every container of which runs something other than Python is out of a Python rule's reach.)
  const useIn = (u: ImageUse): boolean => wide || (useUsesUv(u) && !(py && u.runtimes.length > 0 && u.runtimes.every(runsNoPython)));
  const imageUses = project.imageUses.filter(useIn);
  const runtimes = project.runtimes.filter(rtIn);
  const services = project.services.filter((s) => !s.runtime || rtIn(s.runtime));
  const runtimeOf = new Map<Service, Runtime>(project.services.flatMap((s) => (s.runtime ? [[s.service, s.runtime] as const] : [])));
  const problemIn = (p: Problem): boolean => {
    const about = p.about;
    if (!about || wide) return true;
    if ('runtime' in about) return rtIn(about.runtime);
    if ('use' in about) return useIn(about.use);
    if ('service' in about) {
      const rt = runtimeOf.get(about.service);
      return !rt || rtIn(rt);
    }
    // A Dockerfile: in reach when one of its uses is, when it names uv (what it cannot parse may hide the uv it
    // uses), or when it was never modelled (its use cannot be told).
    const its = project.imageUses.filter((u) => u.image.file === about.dockerfile);
    return its.length === 0 || its.some(useIn) || namesUv(project.dockerfiles.get(about.dockerfile)?.text ?? '');
  };
  view = { ...project, imageUses, runtimes, services, problems: project.problems.filter(problemIn) };
  byReach.set(reach, view);
  return view;
}
