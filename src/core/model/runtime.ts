/**
 * What a container runs: the runtime command (compose entrypoint/command, else ENTRYPOINT + CMD), followed into
 * `sh -c` strings and into entrypoint scripts from the repository (found through the COPY/ADD that put them in the
 * image), with the runtime environment, user and writable paths.
 */
import * as path from 'node:path';
import type { Loc } from '../types.js';
import type { ImageModel, Stage, EnvMap, CopyStep } from './image.js';
import { normalizePath, stageByName } from './image.js';
import type { Service, Mount } from './service.js';
import { resolveUser, baseImageUser, type RuntimeUser } from './accounts.js';
import { commandDir } from './workdir.js';
import type { SimpleCommand, Word, ShellParse } from '../parse/shell.js';
import { parseArgv, parseShell, offsetMap, basename, shellDashC, markNoEdit } from '../parse/shell.js';
import type { SourceReader } from '../files.js';
import picomatch from 'picomatch';

export interface RuntimeCommand extends SimpleCommand {
  origin: 'dockerfile' | 'compose' | 'script';
}

export interface ScriptModel {
  /** Repository-relative path. */
  file: string;
  text: string;
  parse: ShellParse;
  commands: RuntimeCommand[];
}

export interface Runtime {
  /** A label for messages: `service "api" (compose.yml)` or `Dockerfile`. */
  label: string;
  service?: Service;
  serviceFile?: string;
  image?: ImageModel;
  stage?: Stage;
  /** Stages the final stage is built from (FROM parents and COPY --from sources), final included. */
  reachable: Set<number>;
  env: EnvMap;
  user: RuntimeUser;
  /** Where the effective user was set (compose `user`, the USER instruction, or the final stage's FROM). */
  userLoc?: Loc;
  /** Set when nothing sets a user: the external base image whose default user applies, and whether it is known. */
  baseUser?: { image: string; known: boolean };
  commands: RuntimeCommand[];
  scripts: ScriptModel[];
  readOnly: boolean;
  /** tmpfs and writable volumes (meaningful when readOnly). */
  writable: Mount[];
  /** The HEALTHCHECK command the container runs every interval (compose `healthcheck.test` wins), split like the command. */
  healthcheck?: { commands: RuntimeCommand[]; origin: RuntimeCommand['origin'] };
  /** Where the command starts: compose `working_dir` (Docker takes only an absolute one), else the stage's WORKDIR. */
  workdir: string;
  contextDir?: string;
  /** Why this is not the production runtime (a development stack, a dev-only service, a dev Dockerfile): see stacks.ts. */
  development?: string;
  /** Why this is not a runtime at all: the image is built only as another Dockerfile's base (its build still counts). */
  baseImage?: string;
}

export interface Unresolved {
  message: string;
  loc: Loc;
}

/**
 * Commands of followed scripts, counted over the whole project: each runtime keeps its own copy of its scripts'
 * commands (their words depend on its environment), so 2,000 services running one 5,000-line script would hold 10
 * million commands and exhaust memory. Past the budget, scripts are not followed and that is reported (RO902).
 */
export const SCRIPT_COMMAND_BUDGET = 250_000;
/**
 * Environment entries, counted over the whole project the same way: 1,000 services sharing a 20,000-line env_file
 * would hold 20 million. Past the budget, further services are not analysed and that is reported (RO902).
 */
export const ENV_ENTRY_BUDGET = 2_000_000;
export interface ScriptBudget {
  left: number;
  /** Runtimes whose scripts were not followed. */
  skipped: { label: string; script: string; loc: Loc }[];
}

const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const MAX_SCRIPT_DEPTH = 3;

export function runtimeEnv(stage: Stage | undefined, service: Service | undefined, envFiles: EnvMap): EnvMap {
  const env: EnvMap = new Map(stage?.env ?? []);
  for (const [k, v] of envFiles) env.set(k, v);
  if (service) {
    for (const [k, v] of service.environment) {
      if (v.value === null) continue; // passed through from the host: unknown here
      env.set(k, { value: v.value, loc: v.loc, source: 'compose' });
    }
  }
  return env;
}

export function buildRuntime(args: {
  label: string;
  image?: ImageModel;
  stage?: Stage;
  service?: Service;
  serviceFile?: string;
  envFiles: EnvMap;
  contextDir?: string;
  root: string;
  reader: SourceReader;
  unresolved: Unresolved[];
  budget?: ScriptBudget;
}): Runtime {
  const { image, stage, service } = args;
  const env = runtimeEnv(stage, service, args.envFiles);
  const accounts = stage?.accounts ?? { users: new Map(), groups: new Map() };
  const userSpec = service?.user?.value ?? stage?.user?.value ?? '';
  let user = resolveUser(userSpec, accounts);
  // Nothing sets a user: the base image's default, when it is known (else unknown, not root).
  let baseUser: Runtime['baseUser'];
  if (!service?.user && !stage?.user && stage) {
    const base = externalBase(stage, image);
    const known = baseImageUser(base);
    if (known.known) user = known.user;
    else user = { spec: '', root: undefined };
    baseUser = { image: base, known: known.known };
  }
  const envHome = env.get('HOME')?.value;
  if (envHome) user.home = envHome;
  const rt: Runtime = {
    label: args.label,
    reachable: stage && image ? reachableStages(image, stage) : new Set(),
    env,
    user,
    commands: [],
    scripts: [],
    readOnly: service?.readOnly?.value === true,
    writable: service ? [...service.tmpfs, ...service.volumes.filter((v) => !v.readOnly)] : [],
    workdir: service?.workingDir?.value.startsWith('/') ? normalizePath(service.workingDir.value) : (stage?.workdir ?? '/'),
  };
  if (baseUser) rt.baseUser = baseUser;
  if (service) rt.service = service;
  if (args.serviceFile) rt.serviceFile = args.serviceFile;
  if (image) rt.image = image;
  if (stage) rt.stage = stage;
  if (args.contextDir) rt.contextDir = args.contextDir;
  const userLoc = service?.user?.loc ?? stage?.user?.loc ?? stage?.loc;
  if (userLoc) rt.userLoc = userLoc;

  const lookup = (n: string): string | undefined => (n === 'HOME' ? (user.home ?? env.get(n)?.value) : env.get(n)?.value);
  const hc = healthcheckArgv(stage, service);
  if (hc?.words.length) {
    const origin = hc.origin;
    rt.healthcheck = { origin, commands: parseArgv(hc.words, hc.words[0]!.loc.file, lookup).commands.map((c) => ({ ...c, origin })) };
  }
  const argv = runtimeArgv(stage, service, lookup);
  if (argv.words.length === 0) return rt;
  const parse = parseArgv(argv.words, argv.words[0]!.loc.file, lookup);
  addCommands(rt, parse.commands, argv.origin, 0, args, lookup);
  return rt;
}

/** The external image a stage is built FROM (through FROM <stage> links): its user is the image's default. */
function externalBase(stage: Stage, image: ImageModel | undefined): string {
  let s: Stage | undefined = stage;
  let img = image;
  for (let hops = 0; s && hops < 64; hops++) {
    if (s.parent !== undefined && img) s = img.stages[s.parent];
    else if (s.include?.stage && s.include.image) {
      img = s.include.image;
      s = s.include.stage;
    } else break;
  }
  return s?.base.ref ?? '';
}

/** The HEALTHCHECK's words: compose `healthcheck.test` (a string runs through `/bin/sh -c`), else the image's. */
function healthcheckArgv(stage: Stage | undefined, service: Service | undefined): { words: Word[]; origin: RuntimeCommand['origin'] } | undefined {
  if (service?.healthcheck === null) return undefined;
  if (service?.healthcheck) {
    const c = service.healthcheck;
    const w = c.words[0];
    const words = c.form === 'list' || !w ? c.words : [{ text: '/bin/sh', raw: '/bin/sh', loc: w.loc }, { text: '-c', raw: '-c', loc: w.loc }, w];
    return { words, origin: 'compose' };
  }
  return stage?.healthcheck ? { words: stage.healthcheck.words, origin: 'dockerfile' } : undefined;
}

function runtimeArgv(stage: Stage | undefined, service: Service | undefined, lookup: (n: string) => string | undefined): { words: Word[]; origin: RuntimeCommand['origin'] } {
  const fromCompose = (c: NonNullable<Service['command']>): Word[] => {
    if (c.form === 'list') return c.words;
    const w = c.words[0]!;
    const p = parseShell(w.text ?? '', w.loc.file, offsetMap(w.loc.line, w.loc.column, undefined, w.indent), lookup, w.indent);
    if (w.inexact) markNoEdit(p.commands, w.loc, w.inexact);
    const first = p.commands[0];
    // A string command is split like a shell would; with operators in it, it is a shell script. A word of it that
    // spans lines of a literal block (a `sh -c` script) keeps the block's indentation for its later lines.
    if (p.commands.length === 1 && first) return w.indent ? first.words.map((x) => (x.raw.includes('\n') ? { ...x, indent: w.indent! } : x)) : first.words;
    return [{ text: '/bin/sh', raw: '/bin/sh', loc: w.loc }, { text: '-c', raw: '-c', loc: w.loc }, w];
  };
  let ep: Word[] = [];
  let cmd: Word[] = [];
  let origin: RuntimeCommand['origin'] = 'dockerfile';
  if (service?.entrypoint) {
    ep = fromCompose(service.entrypoint);
    origin = 'compose';
  } else if (stage?.entrypoint) {
    ep = stage.entrypoint.words;
  }
  if (service?.command) {
    cmd = fromCompose(service.command);
    origin = 'compose';
  } else if (!service?.entrypoint && stage?.cmd && !(stage.entrypoint?.form === 'shell')) {
    cmd = stage.cmd.words;
  }
  return { words: [...ep, ...cmd], origin };
}

function addCommands(
  rt: Runtime,
  commands: SimpleCommand[],
  origin: RuntimeCommand['origin'],
  depth: number,
  args: Parameters<typeof buildRuntime>[0],
  lookup: (n: string) => string | undefined,
): void {
  for (const c of commands) {
    rt.commands.push({ ...c, origin });
    if (depth >= MAX_SCRIPT_DEPTH || !rt.stage || !rt.image) continue;
    const scriptWordIndex = scriptArgIndex(c.words);
    if (scriptWordIndex === undefined) continue;
    const scriptWord = c.words[scriptWordIndex]!;
    // A `cd` before it in the same shell (`sh -c "cd /srv && ./start.sh"`) moves where a relative script is found.
    const dir = commandDir(rt.workdir, c.cwd);
    if (dir === undefined) continue;
    const script = findScript(scriptWord.text ?? '', rt, args, scriptWordIndex > 0 ? basename(c.words[0]!.text ?? '') : undefined, dir);
    if (!script) continue;
    const passed = c.words.slice(scriptWordIndex + 1);
    if (args.budget && args.budget.left <= 0) {
      args.budget.skipped.push({ label: args.label, script: script.file, loc: scriptWord.loc });
      continue;
    }
    const parsed = parseShell(script.text, script.file, offsetMap(1, 1), lookup);
    if (args.budget) args.budget.left -= parsed.commands.length;
    const model: ScriptModel = { file: script.file, text: script.text, parse: parsed, commands: [] };
    rt.scripts.push(model);
    const before = rt.commands.length;
    // `exec "$@"`: the script runs the arguments it was given (the CMD) as a command.
    const expanded: SimpleCommand[] = [];
    for (const sc of parsed.commands) {
      const at = sc.words.findIndex((w) => w.allArgs);
      if (at < 0 || passed.length === 0) {
        expanded.push(sc);
        continue;
      }
      const words = [...sc.words.slice(0, at), ...passed, ...sc.words.slice(at + 1)];
      const sub = parseArgv(words, words[0]!.loc.file, lookup).commands.map((x, i) => (i === 0 ? { ...x, exec: x.exec || sc.exec, assigns: new Map([...sc.assigns, ...x.assigns]), exported: sc.exported, topIndex: sc.topIndex, ...(sc.dropsTo !== undefined && x.dropsTo === undefined ? { dropsTo: sc.dropsTo } : {}) } : x));
      expanded.push(...sub);
    }
    addCommands(rt, expanded, 'script', depth + 1, args, lookup);
    model.commands = rt.commands.slice(before) as RuntimeCommand[];
  }
}

/** Index of the word naming a script to follow: `./entrypoint.sh …`, `sh /app/start.sh`, `bash -e run.sh`. */
function scriptArgIndex(words: readonly Word[]): number | undefined {
  const first = words[0]?.text;
  if (!first) return undefined;
  if (['sh', 'bash', 'dash', 'ash'].includes(basename(first))) {
    if (shellDashC(words)) return undefined;
    for (let i = 1; i < words.length; i++) if (!(words[i]!.text ?? '').startsWith('-')) return i;
    return undefined;
  }
  return 0;
}

/** Per final stage: PATH folder → whether some COPY/ADD of the stage or its parents writes into it. */
const copiedDirs = new WeakMap<Stage, Map<string, boolean>>();

/**
 * Finds the repository file a command runs, through the image's COPY/ADD instructions. `shell` is set when the word
 * is a script handed to a shell (`sh start.sh`): a shell opens a bare name in the working directory, and bash then
 * looks on PATH as well; a command (`start.sh`) is looked up on PATH only.
 */
function findScript(word: string, rt: Runtime, args: Parameters<typeof buildRuntime>[0], shell: string | undefined, workdir: string): { file: string; text: string } | undefined {
  if (!word || word.includes('$')) return undefined;
  const stage = rt.stage!;
  // A bare name is looked up on PATH: only in PATH folders that some COPY/ADD of the image writes to (remembered
  // per stage and folder: a script of many commands asks about the same few folders).
  let known = copiedDirs.get(stage);
  if (!known) copiedDirs.set(stage, (known = new Map()));
  const memo = known;
  const copiedTo = (dir: string): boolean => {
    let hit = memo.get(dir);
    if (hit === undefined) {
      hit = false;
      for (let s: Stage | undefined = stage; s && !hit; s = s.parent !== undefined ? rt.image!.stages[s.parent] : undefined) {
        hit = s.copies.some((c) => c.dest === dir || c.dest.startsWith(`${dir}/`) || (c.dest.endsWith('/') && dir.startsWith(c.dest.slice(0, -1))));
      }
      memo.set(dir, hit);
    }
    return hit;
  };
  const inWorkdir = normalizePath(`${workdir}/${word}`);
  const onPath = (): string[] =>
    PATH_DIRS.concat((rt.env.get('PATH')?.value ?? '').split(':').filter(Boolean))
      .map((d) => normalizePath(d))
      .filter(copiedTo)
      .map((d) => normalizePath(`${d}/${word}`));
  const candidates = word.includes('/')
    ? [word.startsWith('/') ? normalizePath(word) : inWorkdir]
    : shell === undefined
      ? onPath()
      : [inWorkdir, ...(shell === 'bash' ? onPath() : [])];
  for (const p of candidates) {
    const hit = resolveImagePath(p, stage, rt.image!, args.contextDir ?? args.root, args.reader, 0, undefined, true);
    if (!hit) continue;
    const rel = path.relative(args.root, hit.abs).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const read = args.reader.readText(hit.abs);
    if ('missing' in read) {
      args.unresolved.push({ message: `${word} is copied into the image from ${rel}, which does not exist`, loc: hit.copyLoc });
      return undefined;
    }
    if ('error' in read) return undefined;
    if (!looksLikeShell(read.text, word)) return undefined;
    return { file: rel, text: read.text };
  }
  return undefined;
}

function looksLikeShell(text: string, name: string): boolean {
  const first = text.split('\n', 1)[0] ?? '';
  if (first.startsWith('#!')) return /\b(sh|bash|dash|ash)\b/.test(first);
  return /\.(sh|bash)$/.test(name);
}

/**
 * Where image path `p` comes from: the context file (absolute) a COPY/ADD put there, following `COPY --from` stages.
 * With `beforeLine`, only instructions of `stage` above that line count (parent stages count whole). With `existingOnly`,
 * a folder copied whole (`COPY . .`) provides only the files it holds: a path it does not hold is looked up in
 * earlier instructions (and is the base image's when none has it); without, the folder's mapping is the answer.
 */
export function resolveImagePath(
  p: string,
  stage: Stage,
  image: ImageModel,
  contextDir: string,
  files: { isDir(abs: string): boolean; exists(abs: string): boolean },
  depth = 0,
  beforeLine?: number,
  existingOnly = false,
): { abs: string; copyLoc: Loc } | undefined {
  if (depth > 8) return undefined;
  const isDir = (a: string): boolean => files.isDir(a);
  for (let s: Stage | undefined = stage; s; s = s.parent !== undefined ? image.stages[s.parent] : undefined) {
    // Only the COPY/ADDs that can put something at `p`, found through an index; latest first.
    for (const i of copiesOver(s, p, contextDir, isDir)) {
      const c = s.copies[i]!;
      if (s === stage && beforeLine !== undefined && c.loc.line >= beforeLine) continue;
      const prep = prepared(c);
      for (const src of prep.sources) {
        const rel = mapCopy(p, src, prep, (x) => (c.fromStage === undefined && !c.from ? isDir(path.join(contextDir, x)) : false));
        if (rel === undefined) continue;
        if (c.fromStage !== undefined) {
          const from = image.stages[c.fromStage]!;
          const r = resolveImagePath(normalizePath(rel), from, image, contextDir, files, depth + 1, undefined, existingOnly);
          if (r) return r;
          continue;
        }
        if (c.from) continue; // from an external image
        const abs = path.join(contextDir, rel);
        // Mapped through a folder that does not hold it; a pattern copies only the files that exist.
        if ((src.glob || (existingOnly && rel !== src.s)) && !files.exists(abs)) continue;
        return { abs, copyLoc: c.loc };
      }
    }
  }
  return undefined;
}

/**
 * Per stage and build context: where each COPY/ADD puts things. A file source lands at one path (`files`); a folder
 * source fills the folder at its destination (`dirs`, by destination without trailing slashes).
 */
const copyIndexes = new WeakMap<Stage, Map<string, { files: Map<string, number[]>; dirs: Map<string, number[]>; globs: Map<string, number[]> }>>();

/**
 * Indexes of the stage's COPY/ADDs that can put something at the absolute path `p`, last first: found through the
 * index instead of a scan of every COPY (a script of 20,000 commands against 20,000 COPYs took a minute).
 */
function copiesOver(s: Stage, p: string, contextDir: string, isDir: (abs: string) => boolean): number[] {
  let byContext = copyIndexes.get(s);
  if (!byContext) copyIndexes.set(s, (byContext = new Map()));
  let index = byContext.get(contextDir);
  if (!index) {
    const idx = { files: new Map<string, number[]>(), dirs: new Map<string, number[]>(), globs: new Map<string, number[]>() };
    const put = (m: Map<string, number[]>, k: string, i: number): void => {
      const list = m.get(k);
      if (!list) m.set(k, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    s.copies.forEach((c, i) => {
      const prep = prepared(c);
      for (const src of prep.sources) {
        if (src.glob) {
          // `COPY uv.lock* ./`: each file the pattern matches lands in the destination folder.
          if (src.fileGlob) put(idx.globs, prep.d, i);
          continue;
        }
        const folder = src.s === '' || src.s === '.' || (c.fromStage === undefined && !c.from && isDir(path.join(contextDir, src.s)));
        if (folder) put(idx.dirs, prep.d, i);
        else put(idx.files, src.asFileAt, i);
      }
    });
    byContext.set(contextDir, (index = idx));
  }
  const out = [...(index.files.get(p) ?? []), ...(index.globs.get(p.slice(0, p.lastIndexOf('/'))) ?? [])];
  // Folders above `p` (not `p` itself: a folder copied to `p` puts its contents below it).
  for (let q = p.slice(0, p.lastIndexOf('/')); ; q = q.slice(0, q.lastIndexOf('/'))) {
    const list = index.dirs.get(q);
    if (list) out.push(...list);
    if (q === '' || !q.includes('/')) break;
  }
  return [...new Set(out)].sort((a, b) => b - a);
}

/** A COPY/ADD's destination and sources, normalised once for the path lookups below. */
interface PreparedCopy {
  /** The destination without trailing slashes. */
  d: string;
  sources: { s: string; glob: boolean; asFileAt: string; fileGlob?: { dir: string; match: (name: string) => boolean } }[];
}
const preparedCopies = new WeakMap<CopyStep, PreparedCopy>();

function prepared(c: CopyStep): PreparedCopy {
  let prep = preparedCopies.get(c);
  if (!prep) {
    const d = c.dest.replace(/\/+$/, '') || '';
    const intoDir = c.dest.endsWith('/') || c.sources.length > 1;
    prep = {
      d,
      sources: c.sources.map((src) => {
        const s = src.path.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
        const glob = /[*?[]/.test(src.path);
        const slash = s.lastIndexOf('/');
        const dir = slash < 0 ? '' : s.slice(0, slash);
        // A pattern in the last segment only, copied into a folder: the files it matches keep their names there.
        const fileGlob = glob && intoDir && !/[*?[]/.test(dir) ? { dir, match: picomatch(s.slice(slash + 1), { dot: true }) } : undefined;
        return { s, glob, asFileAt: intoDir ? `${d}/${basename(s)}` : d, ...(fileGlob ? { fileGlob } : {}) };
      }),
    };
    preparedCopies.set(c, prep);
  }
  return prep;
}

/** If `COPY src dest` puts something at image path `p`, the source path (relative to the context) it comes from. */
function mapCopy(p: string, src: PreparedCopy['sources'][number], copy: PreparedCopy, isDir: (rel: string) => boolean): string | undefined {
  if (src.glob) {
    const g = src.fileGlob;
    const slash = p.lastIndexOf('/');
    if (!g || p.slice(0, slash) !== copy.d || !g.match(p.slice(slash + 1))) return undefined;
    return g.dir ? `${g.dir}/${p.slice(slash + 1)}` : p.slice(slash + 1);
  }
  const { s } = src;
  const d = copy.d;
  // What `p` maps to if the source is a folder, and if it is a file; the file system is asked only when one fits.
  const inner = p !== d && p.startsWith(d) && p.charCodeAt(d.length) === 47 ? p.slice(d.length + 1) : undefined;
  if (s === '' || s === '.') return inner;
  const asDir = inner === undefined ? undefined : `${s}/${inner}`;
  const asFile = p === src.asFileAt ? s : undefined;
  if (asDir === undefined && asFile === undefined) return undefined;
  return isDir(s) ? asDir : asFile;
}

/** Stages reachable from `final` through FROM parents and COPY --from / RUN --mount=from. */
export function reachableStages(image: ImageModel, final: Stage): Set<number> {
  const seen = new Set<number>();
  // A work list, not recursion: a chain of thousands of stages must not overflow the stack.
  const todo = [final.index];
  const visit = (i: number | undefined): void => {
    if (i !== undefined && !seen.has(i)) todo.push(i);
  };
  while (todo.length) {
    const i = todo.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const s = image.stages[i];
    if (!s) continue;
    visit(s.parent);
    for (const c of s.copies) visit(c.fromStage);
    for (const r of s.runs) for (const m of r.mounts) if (m.from) visit(mountStage(image.stages, m.from));
  }
  return seen;
}

/** The stage a `RUN --mount=from=x` names: the first stage named x (case-insensitive) or numbered x. */
function mountStage(stages: readonly Stage[], from: string): number | undefined {
  const named = stageByName(from, stages);
  const numbered = /^(0|[1-9]\d*)$/.test(from) && Number(from) < stages.length ? Number(from) : undefined;
  if (named === undefined) return numbered;
  return numbered === undefined ? named : Math.min(named, numbered);
}

/** Whether `dir` lies on a writable mount (the mount itself or below it). */
export function writableMountFor(rt: Runtime, dir: string): Mount | undefined {
  const d = normalizePath(dir);
  return rt.writable.find((m) => {
    const t = normalizePath(m.target);
    return d === t || d.startsWith(`${t === '/' ? '' : t}/`);
  });
}
