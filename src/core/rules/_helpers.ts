/** Shared helpers for rules: uv calls with their effective environment, scope, and locations. */
import * as path from 'node:path';
import type { Loc, Severity } from '../types.js';
import type { ImageUse, Project } from '../model/project.js';
import type { Runtime, RuntimeCommand } from '../model/runtime.js';
import { writableMountFor } from '../model/runtime.js';
import { runtimeInReach } from '../model/scope.js';
import type { RunStep, Stage, EnvMap } from '../model/image.js';
import { unknownInclude, normalizePath, externalBaseOf, isPublicBase } from '../model/image.js';
import type { SimpleCommand, Word } from '../parse/shell.js';
import { uvInvocation, isTruthy, isSub, type UvInvocation } from '../model/uv.js';
import { insertAfter, type Edit } from '../fix.js';
import { commandDir, uvDirs, guardedOut } from '../model/workdir.js';
import { installEnv } from '../model/uvproject.js';

export type EnvLookup = (name: string) => string | undefined;

/** The effective environment of one command: inline assignments, then exports, then the image/compose env. */
export function commandEnv(cmd: SimpleCommand, base: EnvMap): EnvLookup {
  return (name) => {
    const inline = cmd.assigns.get(name);
    if (inline) return inline.value ?? undefined;
    const exported = cmd.exported.get(name);
    if (exported) return exported.value ?? undefined;
    return base.get(name)?.value;
  };
}

/** `b` is `a` or is built FROM it. */
export function descendsFrom(b: Stage, a: Stage, stages: readonly Stage[]): boolean {
  for (let s: Stage | undefined = b; s; s = s.parent !== undefined ? stages[s.parent] : undefined) if (s === a) return true;
  return false;
}

/**
 * Whether what stage `a` built can reach stage `b`: `b` is built FROM it, or copies from it (or from a stage built
 * from it), itself or through a parent: a later install in `b` into the same environment acts on it.
 */
export function seesStage(b: Stage, a: Stage, stages: readonly Stage[]): boolean {
  for (let s: Stage | undefined = b; s; s = s.parent !== undefined ? stages[s.parent] : undefined) {
    if (s === a) return true;
    if (s.copies.some((cp) => cp.fromStage !== undefined && cp.fromStage !== s!.index && descendsFrom(stages[cp.fromStage]!, a, stages))) return true;
  }
  return false;
}

/** The environment an install writes to, where the call runs is known; undefined (may be any) otherwise. */
export function callEnv(c: BuildUvCall): string | undefined {
  return c.dirs ? installEnv(c.inv, c.stage, c.env, c.dirs) : undefined;
}

export interface BuildUvCall {
  inv: UvInvocation;
  cmd: SimpleCommand;
  run: RunStep;
  stage: Stage;
  use: ImageUse;
  env: EnvLookup;
  /** The folder uv works in and its project folder (WORKDIR, `cd`, --directory, --project); undefined when unknown. */
  dirs?: { dir: string; project: string };
}

/** Results computed once per project and shared by the rules that read them. */
function memo<T>(fn: (p: Project, out: T[]) => void): (p: Project) => readonly T[] {
  const cache = new WeakMap<Project, readonly T[]>();
  return (p) => {
    let v = cache.get(p);
    if (!v) {
      const out: T[] = [];
      fn(p, out);
      cache.set(p, (v = out));
    }
    return v;
  };
}

/** Every uv command in a RUN of the stages the final image is built from. */
export const buildUvCalls = memo(findBuildUvCalls);
function findBuildUvCalls(project: Project, out: BuildUvCall[]): void {
  for (const use of project.imageUses) {
    for (const stage of use.image.stages) {
      if (!use.reachable.has(stage.index)) continue;
      // On an included Dockerfile that cannot be read, the ENV that uv reads is unknown: no claim about a flag's absence.
      if (unknownInclude(stage, use.image) !== undefined) continue;
      for (const run of stage.runs) {
        for (const cmd of run.commands) {
          const inv = uvInvocation(cmd.words);
          if (!inv || guardedOut(use, stage, run, cmd)) continue;
          const env = commandEnv(cmd, run.buildEnv);
          const dirs = uvDirs(inv, env, commandDir(run.workdir, cmd.cwd));
          out.push({ inv, cmd, run, stage, use, env, ...(dirs ? { dirs } : {}) });
        }
      }
    }
  }
}

export interface RuntimeUvCall {
  inv: UvInvocation;
  cmd: RuntimeCommand;
  rt: Runtime;
  env: EnvLookup;
}

export const runtimeUvCalls = memo(findRuntimeUvCalls);
function findRuntimeUvCalls(project: Project, out: RuntimeUvCall[]): void {
  for (const rt of project.runtimes) {
    for (const cmd of rt.commands) {
      const inv = uvInvocation(cmd.words);
      if (inv) out.push({ inv, cmd, rt, env: commandEnv(cmd, rt.env) });
    }
  }
}

/** Every uv command of a runtime's HEALTHCHECK (it runs in the container every interval). */
export const healthcheckUvCalls = memo(findHealthcheckUvCalls);
function findHealthcheckUvCalls(project: Project, out: RuntimeUvCall[]): void {
  for (const rt of project.runtimes) {
    for (const cmd of rt.healthcheck?.commands ?? []) {
      const inv = uvInvocation(cmd.words);
      if (inv) out.push({ inv, cmd, rt, env: commandEnv(cmd, rt.env) });
    }
  }
}

/**
 * A runtime is in scope when its image uses uv or its command runs uv (or the config says `scope: all`). Rules do
 * not ask: the engine hands each rule only what its family looks at (model/scope.ts).
 */
export function inScope(project: Project, rt: Runtime): boolean {
  return runtimeInReach(project, rt, 'widened');
}

export function truthyOption(inv: UvInvocation, env: EnvLookup, flags: string[], vars: string[]): boolean {
  return inv.options.some((o) => flags.includes(o.name)) || vars.some((v) => isTruthy(env(v)));
}

/** From the start of one word to the end of another. */
export function spanLoc(a: Word, b: Word = a): Loc {
  return { ...a.loc, endLine: b.loc.endLine, endColumn: b.loc.endColumn };
}

/** The `uv sync` part of a uv command line. */
export function subLoc(inv: UvInvocation): Loc {
  return spanLoc(inv.tool, inv.subWords[inv.subWords.length - 1] ?? inv.tool);
}

/** The stage's first line (FROM), for findings about something missing from it. */
export function stageLoc(stage: Stage): Loc {
  return { ...stage.loc, endLine: stage.loc.line, endColumn: stage.loc.line === stage.loc.endLine ? stage.loc.endColumn : stage.loc.column + 4 };
}

export interface ExecutedCommand {
  words: Word[];
  cmd: RuntimeCommand;
  rt: Runtime;
  env: EnvLookup;
}

/** What the container executes: each runtime command, and the command a `uv run` / `uvx` starts. */
export const executedCommands = memo(findExecutedCommands);
function findExecutedCommands(project: Project, out: ExecutedCommand[]): void {
  for (const rt of project.runtimes) {
    for (const cmd of rt.commands) {
      const env = commandEnv(cmd, rt.env);
      if (cmd.words.length) out.push({ words: cmd.words, cmd, rt, env });
      const inv = uvInvocation(cmd.words);
      if (inv && inv.command.length) out.push({ words: inv.command, cmd, rt, env });
    }
  }
}

/** Every place a variable is set: Dockerfile ENV/ARG (in the stages that matter), compose, inline, export. */
export interface VariableDefinition {
  name: string;
  value: string | null;
  loc: Loc;
  /** The uv version of the stage or runtime it is set in, when known. */
  uvVersion?: string;
}
export const variableDefinitions = memo(findVariableDefinitions);
function findVariableDefinitions(project: Project, out: VariableDefinition[]): void {
  const add = (name: string, value: string | null, loc: Loc, uvVersion: string | undefined): void => {
    out.push(uvVersion ? { name, value, loc, uvVersion } : { name, value, loc });
  };
  for (const use of project.imageUses) {
    for (const stage of use.image.stages) {
      if (!use.reachable.has(stage.index)) continue;
      const v = stage.uvVersion ?? use.final.uvVersion;
      for (const [name, e] of stage.env) add(name, e.value, e.loc, v);
      const seen = new Set<EnvMap>(); // RUNs between two ARG/ENV share one map: its ARGs once
      for (const run of stage.runs) {
        if (!seen.has(run.buildEnv)) {
          seen.add(run.buildEnv);
          for (const [name, e] of run.buildEnv) if (e.source === 'ARG') add(name, e.value, e.loc, v);
        }
        for (const c of run.commands) {
          for (const [name, a] of c.assigns) add(name, a.value, a.loc, v);
          for (const [name, a] of c.exported) add(name, a.value, a.loc, v);
        }
      }
    }
  }
  for (const rt of project.runtimes) {
    const v = rt.stage?.uvVersion;
    for (const [name, e] of rt.env) if (e.source === 'compose' || e.source === 'env_file') add(name, e.value, e.loc, v);
    for (const c of rt.commands) {
      for (const [name, a] of c.assigns) add(name, a.value, a.loc, v);
      for (const [name, a] of c.exported) add(name, a.value, a.loc, v);
    }
  }
}

export function writablePath(rt: Runtime, p: string): boolean {
  return !rt.readOnly || writableMountFor(rt, p) !== undefined;
}

/**
 * The edit that adds `flag` right after a uv subcommand (`uv sync` → `uv sync --locked`): a word of shell text gets
 * ` --flag`, a JSON exec-form element gets `, "--flag"`; a compose list element gets none (the edit would need the
 * YAML's layout).
 */
/** A fix's edits, or why there is no safe edit (said by `--fix` next to the finding it leaves). */
export type Fixable = Edit[] | { unfixable: string } | undefined;

export function flagEdit(inv: UvInvocation, flag: string): Fixable {
  const last = inv.subWords[inv.subWords.length - 1] ?? inv.tool;
  if (last.form === 'list') return { unfixable: `each item of a compose list command is one argument: add "${flag}" as an item of its own after "${last.text ?? last.raw}"` };
  if (last.noEdit) return { unfixable: `${last.noEdit}: add \`${flag}\` after \`uv ${inv.sub.join(' ')}\` by hand` };
  const text = last.form === 'json' ? `, ${JSON.stringify(flag)}` : ` ${flag}`;
  return [insertAfter(last.loc.file, last.loc.endLine, last.loc.endColumn, last.raw, text)];
}

export function withEdits(edits: Fixable): { edits?: Edit[]; unfixable?: string } {
  if (!edits) return {};
  return Array.isArray(edits) ? { edits } : { unfixable: edits.unfixable };
}

/** The image use a runtime runs (undefined for a service that only names an image). */
const useByRuntime = new WeakMap<Project, Map<Runtime, ImageUse>>();
export function imageUseOf(project: Project, rt: Runtime): ImageUse | undefined {
  let m = useByRuntime.get(project);
  if (!m) {
    m = new Map();
    for (const u of project.imageUses) for (const r of u.runtimes) m.set(r, u);
    useByRuntime.set(project, m);
  }
  return m.get(rt);
}

/**
 * A finding that rests on the build context: when that context is only assumed (see ImageUse.contextAssumed), the
 * message says so and the severity is `lower`.
 */
export function inContext(use: ImageUse, message: string, lower: Severity): { message: string; severity?: Severity } {
  return use.contextAssumed ? { message: `${message} (${use.contextAssumed})`, severity: lower } : { message };
}

/**
 * Items grouped by the place a finding about them goes (file, line, column), in first-seen order: one finding per
 * place, naming every runtime there (an image that several services run is one problem, not one per service).
 */
export function byPlace<T>(items: Iterable<T>, loc: (x: T) => Loc): { loc: Loc; items: T[] }[] {
  const groups = new Map<string, { loc: Loc; items: T[] }>();
  for (const x of items) {
    const l = loc(x);
    const key = `${l.file}\0${l.line}\0${l.column}\0${l.endLine}\0${l.endColumn}`;
    const g = groups.get(key);
    if (g) g.items.push(x);
    else groups.set(key, { loc: l, items: [x] });
  }
  return [...groups.values()];
}

/** `service "api"`, `service "api" and service "worker"`, `a, b and c`: each label once, in order. */
export function labels(rts: readonly Runtime[]): string {
  const names = [...new Set(rts.map((r) => r.label))];
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Whether `uv run` syncs the environment before running: UV201's finding (no `--no-sync` and the like). */
export function runSyncs(c: RuntimeUvCall, project?: Project): boolean {
  if (!isSub(c.inv, 'run') || truthyOption(c.inv, c.env, ['--no-sync', '--no-project', '--script'], ['UV_NO_SYNC', 'UV_NO_PROJECT'])) return false;
  return !(project && outsideProject(c, project));
}

/**
 * Whether `uv run` certainly runs outside any project, so that it syncs nothing (uv then runs the command in the
 * environment it finds): no pyproject.toml in the folder it runs in or above, in an image built on a public base
 * (known to hold none of the repository's files) whose COPY/ADDs put none there, with no bind mount over those
 * folders, no `--project`/`--directory`/UV_PROJECT, and a build that installed its packages with `pip install` /
 * `uv pip install` (no `uv sync`, no `uv init`).
 */
function outsideProject(c: RuntimeUvCall, project: Project): boolean {
  const rt = c.rt;
  if (!rt.image || !rt.stage || !isPublicBase(externalBaseOf(rt.stage, rt.image.stages))) return false;
  if (c.inv.options.some((o) => o.name === '--project' || o.name === '--directory') || c.env('UV_PROJECT') || c.env('UV_WORKING_DIR') || c.env('UV_WORKING_DIRECTORY')) return false;
  const dir = commandDir(rt.workdir, c.cmd.cwd);
  if (dir === undefined) return false;
  const use = project.imageUses.find((u) => u.runtimes.includes(rt));
  if (!use) return false;
  // The build must show how the environment was made without a project (`uv pip install -r requirements.txt`), and
  // must not make a project (`uv init`).
  let pipInstall = false;
  for (const i of use.reachable) {
    for (const run of use.image.stages[i]?.runs ?? []) {
      for (const cmd of run.commands) {
        const inv = uvInvocation(cmd.words);
        if (inv?.sub[0] === 'init' || (inv && isSub(inv, 'sync'))) return false;
        if ((inv && isSub(inv, 'pip', 'install')) || /^pip[\d.]*$/.test(cmd.words[0]?.text ?? '')) pipInstall = true;
      }
    }
  }
  if (!pipInstall) return false;
  const mounts = rt.service?.volumes ?? [];
  for (let d = normalizePath(dir); ; d = normalizePath(`${d}/..`)) {
    const file = normalizePath(`${d}/pyproject.toml`);
    if (use.provides(rt.stage, file)) return false;
    // A bind mount over it: the host's file. A repository folder mounted there is read; anything else is unknown.
    for (const m of mounts) {
      const t = normalizePath(m.target).replace(/\/$/, '');
      if (m.type !== 'bind' || (file !== t && !file.startsWith(`${t}/`))) continue;
      const host = m.source === undefined ? undefined : path.relative(project.root, path.join(m.source, file.slice(t.length)));
      if (host === undefined || host.startsWith('..') || path.isAbsolute(host) || use.readText(host.split(path.sep).join('/')) !== undefined) return false;
    }
    if (d === '/') return true;
  }
}
