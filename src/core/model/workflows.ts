/**
 * Image builds a repository's GitHub workflows run: `docker/build-push-action` steps (`context`, `file`, `tags`) and
 * `docker build` / `docker buildx build` commands in `run:` steps. They give the build context of a Dockerfile that no
 * compose file builds, and the image names Dockerfiles are built under. A value holding a `${{ … }}` expression or a
 * shell expansion we cannot evaluate is not guessed: that build gives nothing.
 */
import * as path from 'node:path';
import type { Loc } from '../types.js';
import type { SourceReader } from '../files.js';
import { parseCompose, get, scalarString, type PNode } from '../parse/compose.js';
import { parseShell, offsetMap, basename, type Word } from '../parse/shell.js';

export interface WorkflowBuild {
  /** Repository-relative Dockerfile ('/'-separated). */
  dockerfile: string;
  /** Repository-relative build context ('' for the root). */
  context: string;
  /** Image names it is tagged with, without tag or digest (`org/app`). */
  names: string[];
  /** The stage it builds (`target:`, `--target`); undefined: the last. */
  target?: string;
  /** Build args it sets to values known here (`build-args:`, `--build-arg K=V`). */
  args: Map<string, string>;
  loc: Loc;
}

/** A placeholder for `${{ … }}` in run: text: a word holding it is unknown. */
const EXPR = '__ro_uv_check_gh_expression__';

/** The builds of the workflow files `files` (repository-relative). Files that cannot be read or parsed give none. */
export function readWorkflowBuilds(files: readonly string[], root: string, reader: SourceReader): WorkflowBuild[] {
  const out: WorkflowBuild[] = [];
  for (const file of files) {
    const r = reader.readText(path.join(root, file));
    if (!('text' in r)) continue;
    const parsed = parseCompose(file, r.text, undefined);
    const doc = parsed.root;
    if (!doc) continue;
    const topDir = runDir(doc);
    const topEnv = literalEnv(get(doc, 'env'));
    const jobs = get(doc, 'jobs');
    if (jobs?.kind !== 'map') continue;
    for (const job of jobs.entries.values()) {
      const steps = get(job.value, 'steps');
      if (steps?.kind !== 'seq') continue;
      const jobEnv = new Map([...topEnv, ...literalEnv(get(job.value, 'env'))]);
      // Each combination of the job's matrix is a run of its steps (one, with nothing to expand, without a matrix).
      const seen = new Set<string>();
      for (const combo of matrixCombinations(get(get(job.value, 'strategy'), 'matrix'))) {
        for (const step of steps.items) {
          const env = new Map([...jobEnv, ...literalEnv(get(step, 'env'))]);
          const sub = (v: string | undefined): string | undefined => (v === undefined ? undefined : expand(v, combo, env));
          const jobDir = sub(runDir(job.value) ?? topDir);
          const uses = scalarString(get(step, 'uses'));
          const found: WorkflowBuild[] = [];
          if (uses && /^docker\/build-push-action@/.test(uses)) {
            const b = buildPushAction(get(step, 'with'), step.loc, sub);
            if (b) found.push(b);
          } else {
            const run = get(step, 'run');
            const text = sub(scalarString(run));
            if (!run || text === undefined) continue;
            const dir = sub(scalarString(get(step, 'working-directory'))) ?? jobDir ?? '';
            if (dir.includes('${{')) continue;
            found.push(...dockerBuilds(text, dir, run.loc));
          }
          for (const b of found) {
            const key = JSON.stringify([b.dockerfile, b.context, b.names, b.target, [...b.args], b.loc.line]);
            if (!seen.has(key)) out.push(b);
            seen.add(key);
          }
        }
      }
    }
  }
  return out;
}

/** A job's matrix combinations, each `key → value`, as GitHub expands them; one empty combination when none. */
export function matrixCombinations(matrix: PNode | undefined): Map<string, string>[] {
  if (matrix?.kind !== 'map') return [new Map()];
  const scalar = (n: PNode): string | undefined => (n.kind === 'scalar' && n.value !== null ? String(n.value) : undefined);
  const pairs = (n: PNode): Map<string, string> | undefined => {
    if (n.kind !== 'map') return undefined;
    const m = new Map<string, string>();
    for (const [k, e] of n.entries) {
      const v = scalar(e.value);
      // A list or a map as a value: a combination we cannot write as text (expressions using it stay unknown).
      if (v !== undefined) m.set(k, v);
    }
    return m;
  };
  let combos: Map<string, string>[] = [new Map()];
  const original = new Set<string>();
  for (const [key, e] of matrix.entries) {
    if (key === 'include' || key === 'exclude') continue;
    // `${{ fromJSON(…) }}` and the like: the matrix is only known at run time.
    if (e.value.kind !== 'seq') return [new Map()];
    original.add(key);
    const values = e.value.items.map(scalar);
    combos = combos.flatMap((c) => values.flatMap((v) => (v === undefined ? [] : [new Map([...c, [key, v]])])));
  }
  if (!original.size) combos = [];
  const list = (key: string): Map<string, string>[] => {
    const n = matrix.entries.get(key)?.value;
    return n?.kind === 'seq' ? n.items.map(pairs).filter((m): m is Map<string, string> => m !== undefined) : [];
  };
  for (const ex of list('exclude')) combos = combos.filter((c) => ![...ex].every(([k, v]) => c.get(k) === v));
  const extra: Map<string, string>[] = [];
  for (const inc of list('include')) {
    // Added to every combination of the lists whose original values it does not change; a combination of its own
    // otherwise (never merged into another include's).
    let added = false;
    for (const c of combos) {
      if ([...inc].some(([k, v]) => original.has(k) && c.get(k) !== v)) continue;
      for (const [k, v] of inc) c.set(k, v);
      added = true;
    }
    if (!added) extra.push(new Map(inc));
  }
  combos.push(...extra);
  return combos.length ? combos : [new Map()];
}

/** A workflow `env:` map's literal values (a value that is itself an expression is left out). */
function literalEnv(n: PNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (n?.kind !== 'map') return out;
  for (const [k, e] of n.entries) {
    const v = e.value.kind === 'scalar' && e.value.value !== null ? String(e.value.value) : undefined;
    if (v !== undefined && !v.includes('${{')) out.set(k, v);
  }
  return out;
}

/** `${{ matrix.key }}` and `${{ env.NAME }}` replaced where the combination and the env know them; others stay. */
function expand(text: string, matrix: Map<string, string>, env: Map<string, string>): string {
  return text.replace(/\$\{\{\s*(matrix|env)\.([A-Za-z_][\w-]*)\s*\}\}/g, (all, scope: string, key: string) => (scope === 'matrix' ? matrix.get(key) : env.get(key)) ?? all);
}

function runDir(n: PNode | undefined): string | undefined {
  return scalarString(get(get(get(n, 'defaults'), 'run'), 'working-directory'));
}

/** A path as the repository-relative folder or file it names from `dir`; undefined when unknown or outside the root. */
function repoPath(dir: string, p: string): string | undefined {
  if (p.includes('${{') || p.includes(EXPR) || /^[a-z]+:\/\/|^git@/.test(p) || path.posix.isAbsolute(p)) return undefined;
  const n = path.posix.normalize(path.posix.join(dir || '.', p));
  if (n === '..' || n.startsWith('../')) return undefined;
  return n === '.' ? '' : n.replace(/\/$/, '');
}

/** `org/app:1.2`, `ghcr.io/org/app@sha256:…` → `org/app`, `ghcr.io/org/app`; undefined when it holds an expression. */
export function imageName(ref: string): string | undefined {
  if (!ref || ref.includes('${{') || ref.includes(EXPR) || ref.includes('$')) return undefined;
  const noDigest = ref.replace(/@.*$/, '');
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', slash + 1);
  const name = (colon >= 0 ? noDigest.slice(0, colon) : noDigest).toLowerCase();
  return name.replace(/^docker\.io\//, '').replace(/^library\//, '') || undefined;
}

function buildPushAction(withNode: PNode | undefined, loc: Loc, sub: (v: string | undefined) => string | undefined): WorkflowBuild | undefined {
  // Without `context`, the action builds the Git context: the repository at the ref, i.e. its root.
  const ctxRaw = sub(scalarString(get(withNode, 'context'))) ?? '.';
  const context = repoPath('', ctxRaw);
  if (context === undefined) return undefined;
  const fileRaw = sub(scalarString(get(withNode, 'file')));
  const dockerfile = fileRaw === undefined ? path.posix.join(context || '.', 'Dockerfile') : repoPath('', fileRaw);
  if (dockerfile === undefined) return undefined;
  const tags = sub(scalarString(get(withNode, 'tags'))) ?? '';
  const names = tags
    .split(/[\n,]/)
    .map((t) => imageName(t.trim()))
    .filter((x): x is string => x !== undefined);
  const target = sub(scalarString(get(withNode, 'target')));
  if (target !== undefined && target.includes('${{')) return undefined; // which stage is unknown
  const args = new Map<string, string>();
  for (const line of (sub(scalarString(get(withNode, 'build-args'))) ?? '').split(/\n/)) {
    const t = line.trim();
    const eq = t.indexOf('=');
    // A value only known at run time (an expression) is left to the Dockerfile's default.
    if (eq > 0 && !t.includes('${{')) args.set(t.slice(0, eq), t.slice(eq + 1));
  }
  return { dockerfile: path.posix.normalize(dockerfile), context, names, args, ...(target ? { target } : {}), loc };
}

/** Options of `docker build` / `docker buildx build` that take no value. */
const BUILD_FLAGS = new Set(['--push', '--load', '--no-cache', '--pull', '-q', '--quiet', '--rm', '--force-rm', '--squash', '--compress', '--disable-content-trust', '--check', '--debug']);

/** `docker build …` / `docker buildx build …` / `docker image build …` commands of a run: script. */
function dockerBuilds(text: string, dir: string, loc: Loc): WorkflowBuild[] {
  const script = text.replace(/\$\{\{[\s\S]*?\}\}/g, EXPR);
  const parse = parseShell(script, loc.file, offsetMap(loc.line, loc.column), () => undefined);
  const out: WorkflowBuild[] = [];
  for (const c of parse.commands) {
    const t = c.words.map((w) => w.text);
    if (basename(t[0] ?? '') !== 'docker') continue;
    const at = t[1] === 'build' ? 2 : (t[1] === 'buildx' || t[1] === 'image') && (t[2] === 'build' || t[2] === 'b') ? 3 : undefined;
    if (at === undefined) continue;
    // A `cd` earlier in the script moves it (an absolute or unknown folder is not guessed).
    if (c.cwd === null || c.cwd?.startsWith('/')) continue;
    const b = dockerBuild(c.words.slice(at), c.cwd === undefined ? dir : path.posix.join(dir || '.', c.cwd), c.loc);
    if (b) out.push(b);
  }
  return out;
}

function dockerBuild(args: Word[], dir: string, loc: Loc): WorkflowBuild | undefined {
  let file: string | null | undefined;
  let context: string | null | undefined;
  let target: string | null | undefined;
  const names: string[] = [];
  const buildArgs = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === null) return undefined; // an expansion we cannot evaluate: it may be the context or a -f
    if (t.startsWith('-') && t !== '-') {
      const eq = t.indexOf('=');
      const name = t.startsWith('--') && eq > 0 ? t.slice(0, eq) : t.length > 2 && !t.startsWith('--') ? t.slice(0, 2) : t;
      if (BUILD_FLAGS.has(name)) continue;
      let value: string | null | undefined;
      if (t.startsWith('--') && eq > 0) value = t.slice(eq + 1);
      else if (t.length > 2 && !t.startsWith('--')) value = t.slice(2);
      else value = args[++i]?.text;
      if (name === '-f' || name === '--file') file = value;
      else if (name === '--target') target = value;
      else if (name === '--build-arg' && value) {
        const eq = value.indexOf('=');
        // `--build-arg K` takes K from the environment: unknown here, the Dockerfile's default stays.
        if (eq > 0 && !value.includes(EXPR)) buildArgs.set(value.slice(0, eq), value.slice(eq + 1));
      }
      else if ((name === '-t' || name === '--tag') && value) {
        const n = imageName(value);
        if (n) names.push(n);
      }
      continue;
    }
    context = t;
  }
  if (context === undefined || context === null || file === null || target === null || context === '-') return undefined;
  const ctx = repoPath(dir, context);
  if (ctx === undefined) return undefined;
  const df = file === undefined ? path.posix.join(ctx || '.', 'Dockerfile') : repoPath(dir, file);
  if (df === undefined || file === '-') return undefined;
  return { dockerfile: path.posix.normalize(df), context: ctx, names, args: buildArgs, ...(target ? { target } : {}), loc };
}

/** The most a build script is read for `docker build` commands (a larger one is left unread). */
const MAX_SCRIPT_BYTES = 256 * 1024;

/**
 * `docker build` commands of build scripts (shell, batch, PowerShell, Makefiles, justfiles). Each command is read
 * as shell words from the word `docker` to the end of its line (continuations joined); the folder it runs in is
 * not written anywhere, so it is the first of the script's folder and its ancestors where the Dockerfile it names
 * and its context both exist. A word we cannot evaluate (`$VAR`, `%VAR%`, `$(MAKE_VAR)`) where the context or the
 * file goes gives nothing.
 */
export function readScriptBuilds(files: readonly string[], root: string, reader: SourceReader): WorkflowBuild[] {
  const out: WorkflowBuild[] = [];
  for (const file of files) {
    const r = reader.readText(path.join(root, file));
    if (!('text' in r) || r.text.length > MAX_SCRIPT_BYTES || !/docker/.test(r.text)) continue;
    const lines = r.text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const at = /(^|[\s;&|(@])docker(\.exe)?\s+((buildx|image)\s+)?build\b/.exec(lines[i]!);
      if (!at) continue;
      let text = lines[i]!.slice(at.index + at[1]!.length);
      for (let j = i; /[\\^`]\s*$/.test(text) && j + 1 < lines.length; j++) text = `${text.replace(/[\\^`]\s*$/, ' ')}${lines[j + 1]}`;
      text = text.replace(/\s(&&|\|\||;|\||>|2>).*$/, '').replace(/^docker\.exe/, 'docker');
      const loc: Loc = { file, line: i + 1, column: at.index + at[1]!.length + 1, endLine: i + 1, endColumn: lines[i]!.length + 1 };
      const parse = parseShell(text, file, offsetMap(loc.line, loc.column), () => undefined);
      const words = parse.commands[0]?.words ?? [];
      const skip = words[1]?.text === 'build' ? 2 : 3;
      for (let d = path.posix.dirname(file); ; d = path.posix.dirname(d)) {
        const dir = d === '.' ? '' : d;
        const b = dockerBuild(words.slice(skip), dir, loc);
        if (b && reader.exists(path.join(root, b.dockerfile)) && reader.isDir(path.join(root, b.context))) {
          out.push(b);
          break;
        }
        if (dir === '') break;
      }
    }
  }
  return out;
}
