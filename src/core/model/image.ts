/**
 * The image model of one Dockerfile for one set of build args: stages, effective ARG/ENV at every RUN, the user
 * accounts the build creates, COPY/ADD mappings, and each stage's USER, WORKDIR, ENTRYPOINT and CMD.
 */
import type { Loc } from '../types.js';
import type { ParsedDockerfile, DfInstruction as Instruction, DfArgument, DfJsonForm, DfFrom as From, DfEnv as EnvIns, DfArg as ArgIns, DfFlag as Flag, DfJsonString as JsonArg, DfRange } from '../parse/dockerfile.js';
import { rangeLoc, heredocsOf, instructionSource, dockerFlags } from '../parse/dockerfile.js';
import { expandVars } from '../parse/expand.js';
import { parseShell, parseArgv, offsetMap, basename } from '../parse/shell.js';
import type { SimpleCommand, Word, ShellParse } from '../parse/shell.js';
import { collectAccounts, type Accounts, emptyAccounts } from './accounts.js';
import { uvInvocation, isUvImage } from './uv.js';

export interface EnvVar {
  value: string;
  loc: Loc;
  source: 'ENV' | 'ARG' | 'compose' | 'env_file' | 'inline' | 'export';
}
export type EnvMap = Map<string, EnvVar>;

export interface RunMount {
  type: string;
  source?: string;
  target?: string;
  from?: string;
}

export interface RunStep {
  loc: Loc;
  commands: SimpleCommand[];
  /** ARG and ENV values in force for this RUN. */
  buildEnv: EnvMap;
  /** The WORKDIR in force for this RUN (a later WORKDIR of the stage does not change it). */
  workdir: string;
  mounts: RunMount[];
  shellError?: { message: string; line: number; column: number };
}

export interface CopyStep {
  keyword: 'COPY' | 'ADD';
  loc: Loc;
  /** `--from` value after expansion (stage name, index or image reference). */
  from?: string;
  /** Where the `--from` value is written, and its raw text. */
  fromRaw?: { text: string; loc: Loc };
  fromStage?: number;
  sources: { path: string; loc: Loc }[];
  /** Absolute destination in the image (WORKDIR applied); ends with `/` when it names a directory. */
  dest: string;
  /** Raw destination as written. */
  destRaw: string;
}

export interface CommandSpec {
  form: 'exec' | 'shell';
  /** argv; shell form is represented as `/bin/sh -c TEXT` with TEXT positioned at the instruction's text. */
  words: Word[];
  loc: Loc;
  /** Set when the value comes from the parent stage. */
  inherited: boolean;
}

export interface Stage {
  index: number;
  /** The FROM image reference as written (before ARG expansion). */
  baseRaw?: string;
  name?: string;
  loc: Loc;
  /** FROM reference after ARG expansion. */
  base: { ref: string; loc: Loc };
  /** Index of the stage named in FROM, when it is a stage of this file. */
  parent?: number;
  /** Runtime environment (ENV only, inherited through FROM <stage>). */
  env: EnvMap;
  user?: { value: string; loc: Loc };
  workdir: string;
  entrypoint?: CommandSpec;
  cmd?: CommandSpec;
  /** `HEALTHCHECK CMD …` in force (inherited through FROM <stage>); null after `HEALTHCHECK NONE`. */
  healthcheck?: CommandSpec | null;
  runs: RunStep[];
  copies: CopyStep[];
  accounts: Accounts;
  usesUv: boolean;
  /** The uv version pinned by this stage's uv image or `pip install uv==X`, when known. */
  uvVersion?: string;
  /**
   * `FROM ./other.Dockerfile[#stage]` under a custom `# syntax=` frontend (dockerfile-x): the frontend builds this
   * stage on that Dockerfile's stage (its final one unless named), so what that stage sets applies here as a parent
   * stage's would. `stage` is absent when the file cannot be read: the base is then unknown content.
   */
  include?: BaseInclude;
}

export interface BaseInclude {
  /** Repository-relative path of the included Dockerfile, when the reference names one inside the repository. */
  file?: string;
  image?: ImageModel;
  stage?: Stage;
}

/** What a FROM reference includes (undefined: it names an image, not a Dockerfile). */
export type BaseIncluder = (ref: string) => BaseInclude | undefined;

export interface ImageModel {
  parsed: ParsedDockerfile;
  file: string;
  stages: Stage[];
  usesUv: boolean;
}

const POSIX_SHELL = ['/bin/sh', '-c'];

/**
 * Instructions, environment entries held for RUNs, and the commands and words of RUNs, counted over the whole
 * project: 1,000 services building one 2,000-RUN Dockerfile with different build args exhausted the heap. Past the
 * budget buildImage throws ModelBudgetError and the image is reported as not analysed (RO902). (The benchmark's
 * 10,000 services use 450,000.)
 */
export const IMAGE_MODEL_BUDGET = 1_500_000;
export interface ModelBudget {
  left: number;
}
export class ModelBudgetError extends Error {}

export function buildImage(parsed: ParsedDockerfile, buildArgs: ReadonlyMap<string, string> = new Map(), budget?: ModelBudget, includer?: BaseIncluder): ImageModel {
  const spend = (n: number): void => {
    if (budget && (budget.left -= n) < 0) throw new ModelBudgetError(`over ${IMAGE_MODEL_BUDGET.toLocaleString('en')} instructions, environment entries and words`);
  };
  const { ast, file } = parsed;
  const stages: Stage[] = [];
  const globalArgs: EnvMap = new Map();
  for (const arg of ast.getInitialARGs()) declareArg(arg, globalArgs, globalArgs, buildArgs, file, true);

  let stage: Stage | undefined;
  let argEnv: EnvMap = new Map();
  let shell = POSIX_SHELL;
  // The ARG and ENV values in force, shared by the RUNs between two changes (a map per RUN is quadratic in memory).
  let runEnv: EnvMap | undefined;
  for (const ins of ast.getInstructions()) {
    spend(1);
    const kw = ins.getKeyword();
    if (kw === 'ARG' || kw === 'ENV' || kw === 'FROM') runEnv = undefined;
    if (kw === 'FROM') {
      stage = newStage(ins as From, stages, globalArgs, file, parsed.escape, includer);
      stages.push(stage);
      argEnv = new Map();
      shell = POSIX_SHELL;
      continue;
    }
    if (!stage) continue;
    const lookup = (n: string): string | undefined => stage!.env.get(n)?.value ?? argEnv.get(n)?.value;
    const exp = (s: string): string => expandVars(s, lookup, { escape: parsed.escape });
    switch (kw) {
      case 'ARG':
        declareArg(ins as ArgIns, argEnv, globalArgs, buildArgs, file, false, lookup);
        break;
      case 'ENV':
        for (const p of (ins as EnvIns).getProperties()) {
          stage.env.set(p.getName(), { value: exp(p.getValue() ?? ''), loc: rangeLoc(file, p.getRange()), source: 'ENV' });
        }
        break;
      case 'USER': {
        const raw = ins.getArgumentsContent() ?? '';
        stage.user = { value: exp(raw.trim()), loc: rangeLoc(file, ins.getRange()) };
        break;
      }
      case 'WORKDIR': {
        const dir = exp((ins.getArgumentsContent() ?? '').trim());
        stage.workdir = dir.startsWith('/') ? normalizePath(dir) : normalizePath(`${stage.workdir}/${dir}`);
        break;
      }
      case 'SHELL': {
        const json = (ins as DfJsonForm).getJSONStrings();
        shell = json.length ? json.map((j) => jsonWord(parsed, j).text ?? '') : POSIX_SHELL;
        break;
      }
      case 'RUN': {
        if (!runEnv) {
          runEnv = new Map([...argEnv, ...stage.env]);
          spend(runEnv.size);
        }
        const step = runStep(parsed, ins as DfJsonForm, runEnv, shell, lookup, stage.workdir);
        for (const c of step.commands) spend(1 + c.words.length);
        stage.runs.push(step);
        break;
      }
      case 'COPY':
      case 'ADD':
        stage.copies.push(copyStep(parsed, ins as DfJsonForm, stage, stages, exp));
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = commandSpec(parsed, ins, shell);
        if (stage.cmd?.inherited) delete stage.cmd; // ENTRYPOINT resets a CMD inherited from the base
        break;
      case 'CMD':
        stage.cmd = commandSpec(parsed, ins, shell);
        break;
      case 'HEALTHCHECK': {
        const spec = healthcheckSpec(parsed, ins, shell);
        if (spec !== undefined) stage.healthcheck = spec;
        break;
      }
      default:
        break;
    }
  }
  for (const s of stages) finishStage(s, stages);
  return { parsed, file, stages, usesUv: stages.some((s) => s.usesUv) };
}

function newStage(from: From, stages: Stage[], globalArgs: EnvMap, file: string, escape: string, includer?: BaseIncluder): Stage {
  const lookup = (n: string): string | undefined => globalArgs.get(n)?.value;
  // BuildKit reads FROM's words as the shell lexer does: quotes are removed (`FROM "uv:${V}" AS uv`).
  const ref = unquote(expandVars(from.getImage() ?? '', lookup, { escape }));
  const name = from.getBuildStage() ?? undefined;
  const loc = rangeLoc(file, from.getRange());
  const parentIndex = findStage(ref, stages);
  const include = parentIndex === undefined ? includer?.(ref) : undefined;
  // An included Dockerfile's stage is inherited from as a stage of this file is.
  const parent = parentIndex === undefined ? include?.stage : stages[parentIndex];
  const s: Stage = {
    index: stages.length,
    loc,
    base: { ref, loc: rangeLoc(file, from.getImageRange() ?? from.getRange()) },
    env: new Map(parent?.env ?? []),
    workdir: parent?.workdir ?? '/',
    runs: [],
    copies: [],
    accounts: parent ? cloneAccounts(parent.accounts) : emptyAccounts(),
    usesUv: isUvImage(ref) || (include?.stage?.usesUv ?? false),
  };
  if (include) s.include = include;
  if (name) s.name = name;
  const raw = from.getImage();
  if (raw) s.baseRaw = raw;
  if (parentIndex !== undefined) s.parent = parentIndex;
  if (parent?.user) s.user = parent.user;
  if (parent?.entrypoint) s.entrypoint = { ...parent.entrypoint, inherited: true };
  if (parent?.cmd) s.cmd = { ...parent.cmd, inherited: true };
  if (parent?.healthcheck !== undefined) s.healthcheck = parent.healthcheck && { ...parent.healthcheck, inherited: true };
  if (parent?.uvVersion) s.uvVersion = parent.uvVersion;
  return s;
}

/** A word without its quotes (`"a:${V}"` → `a:${V}`, after expansion), as the Dockerfile lexer reads FROM. */
function unquote(word: string): string {
  return /["']/.test(word) ? word.replace(/"([^"]*)"|'([^']*)'/g, (_m, d: string | undefined, q: string | undefined) => d ?? q ?? '') : word;
}

/**
 * The base this stage builds on, when it is a Dockerfile of the repository that a custom frontend includes
 * (`FROM ./base.Dockerfile`) and that could not be read: what it sets (ENV, USER…) is unknown. Undefined when the
 * stage's chain of parents is known (or ends at an ordinary image).
 */
export function unknownInclude(stage: Stage, image: ImageModel): string | undefined {
  let s: Stage | undefined = stage;
  let img = image;
  for (let hops = 0; s && hops < 64; hops++) {
    if (s.parent !== undefined) s = img.stages[s.parent];
    else if (s.include) {
      if (!s.include.stage || !s.include.image) return s.include.file ?? s.base.ref;
      img = s.include.image;
      s = s.include.stage;
    } else return undefined;
  }
  return undefined;
}

function cloneAccounts(a: Accounts): Accounts {
  return { users: new Map(a.users), groups: new Map(a.groups) };
}

/** The stage a `FROM x` / `COPY --from=x` names: by name (case-insensitive) or by index. */
export function findStage(ref: string, stages: readonly Stage[]): number | undefined {
  const byName = stageByName(ref, stages);
  if (byName !== undefined) return byName;
  if (/^\d+$/.test(ref)) {
    const i = Number(ref);
    if (i < stages.length) return i;
  }
  return undefined;
}

/** The first stage named `name` (case-insensitive). */
export function stageByName(name: string, stages: readonly Stage[]): number | undefined {
  return stageNames(stages).get(name.toLowerCase());
}

/** Per stage list (stages are only ever appended): lower-cased name → the first stage of that name. */
const nameIndex = new WeakMap<readonly Stage[], { names: Map<string, number>; count: number }>();
function stageNames(stages: readonly Stage[]): Map<string, number> {
  let idx = nameIndex.get(stages);
  if (!idx) {
    idx = { names: new Map(), count: 0 };
    nameIndex.set(stages, idx);
  }
  for (; idx.count < stages.length; idx.count++) {
    const name = stages[idx.count]!.name?.toLowerCase();
    if (name !== undefined && !idx.names.has(name)) idx.names.set(name, idx.count);
  }
  return idx.names;
}

function declareArg(
  ins: ArgIns,
  into: EnvMap,
  globalArgs: EnvMap,
  buildArgs: ReadonlyMap<string, string>,
  file: string,
  global: boolean,
  lookup?: (n: string) => string | undefined,
): void {
  const p = ins.getProperty();
  if (!p) return;
  const name = p.getName();
  const loc = rangeLoc(file, p.getRange());
  const given = buildArgs.get(name);
  let value: string | undefined;
  if (given !== undefined) value = given;
  else if (p.getValue() !== null) value = expandVars(p.getValue() ?? '', lookup ?? ((n) => globalArgs.get(n)?.value));
  else if (!global) value = globalArgs.get(name)?.value;
  if (value === undefined) return;
  into.set(name, { value, loc, source: 'ARG' });
}

function flagValue(flags: Flag[], name: string): string | undefined {
  const f = flags.find((x) => x.getName() === name);
  return f ? (f.getValue() ?? undefined) : undefined;
}

function runStep(parsed: ParsedDockerfile, ins: DfJsonForm, buildEnv: EnvMap, shell: string[], lookup: (n: string) => string | undefined, workdir: string): RunStep {
  const file = parsed.file;
  const loc = rangeLoc(file, ins.getRange());
  const { flags, args } = dockerFlags(ins);
  const envLookup = (n: string): string | undefined => buildEnv.get(n)?.value ?? lookup(n);
  // BuildKit expands ARG and ENV values in --mount options (`target=/home/${USER}/uv.lock`).
  const mounts: RunMount[] = flags
    .filter((f) => f.getName() === 'mount')
    .map((f) => parseMount(expandVars(f.getValue() ?? '', envLookup, { escape: parsed.escape })));
  const json = ins.getJSONStrings();
  let parse: ShellParse;
  if (json.length > 0) {
    parse = parseArgv(json.map((j) => jsonWord(parsed, j)), file, envLookup);
  } else if (isPosixShell(shell)) {
    const { text, map } = instructionText(parsed, ins, args[0]);
    parse = parseShell(text, file, map, envLookup);
  } else {
    parse = { commands: [], topCount: 0 };
  }
  const step: RunStep = { loc, commands: parse.commands, buildEnv, workdir, mounts };
  if (parse.error) step.shellError = parse.error;
  return step;
}

function isPosixShell(shell: string[]): boolean {
  const b = basename(shell[0] ?? '');
  return ['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh'].includes(b);
}

export function parseMount(spec: string): RunMount {
  const m: RunMount = { type: 'bind' };
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim();
    const v = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (k === 'type') m.type = v;
    else if (k === 'source' || k === 'src') m.source = v;
    else if (k === 'target' || k === 'dst' || k === 'destination') m.target = v;
    else if (k === 'from') m.from = v;
  }
  return m;
}

function jsonWord(parsed: ParsedDockerfile, j: JsonArg): Word {
  const raw = rawRange(parsed, j.getRange());
  return { text: jsonText(raw, j), raw, loc: rangeLoc(parsed.file, j.getRange()), form: 'json' };
}

function rawRange(parsed: ParsedDockerfile, r: DfRange): string {
  return parsed.text.slice(parsed.lines.offset(r.start.line + 1, r.start.character + 1), parsed.lines.offset(r.end.line + 1, r.end.character + 1));
}

/** A JSON string argument's value, decoded from the source (dockerfile-ast's own value drops the whitespace in it). */
function jsonText(raw: string, j: JsonArg): string {
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'string') return v;
  } catch {
    /* fall through */
  }
  return j.getJSONValue();
}

/**
 * The shell text of a RUN/CMD/ENTRYPOINT in shell form, from its first argument to its end, with the lines Docker
 * drops inside a continued instruction (comments, blank lines) removed, and a map back to file positions.
 */
export function instructionText(parsed: ParsedDockerfile, ins: Instruction, from?: DfArgument): { text: string; map: ReturnType<typeof offsetMap>; start: Loc } {
  const first = from ?? ins.getArguments()[0];
  const range = ins.getRange();
  if (!first) return { text: '', map: offsetMap(range.start.line + 1, range.start.character + 1), start: rangeLoc(parsed.file, range) };
  const start = first.getRange().start;
  const heredocStart = instructionSource(parsed.text, parsed.lines, ins).includes('<<') ? firstHeredocLine(ins) : undefined;
  const out: string[] = [];
  const lineMap: number[] = [];
  // With `# escape=\``, a line continued by the directive's character is handed to the shell continued by a
  // backslash (the same line break, at the same column), which is what Docker's joining of the lines amounts to.
  const escapeAtEnd = parsed.escape === '\\' ? undefined : new RegExp(`${parsed.escape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \t]*$`);
  const joined = (t: string, l: number): string => (escapeAtEnd && l < range.end.line && !(heredocStart !== undefined && l >= heredocStart) ? t.replace(escapeAtEnd, '\\') : t);
  for (let l = start.line; l <= range.end.line; l++) {
    const lineText = parsed.lines.lineText(l + 1);
    if (l === start.line) {
      out.push(joined(lineText.slice(start.character), l));
      lineMap.push(l + 1);
      continue;
    }
    const inHeredoc = heredocStart !== undefined && l >= heredocStart;
    if (!inHeredoc && (lineText.trim() === '' || lineText.trimStart().startsWith('#'))) continue;
    out.push(joined(lineText, l));
    lineMap.push(l + 1);
  }
  return { text: out.join('\n') + '\n', map: offsetMap(start.line + 1, start.character + 1, lineMap), start: rangeLoc(parsed.file, first.getRange()) };
}

function firstHeredocLine(ins: Instruction): number | undefined {
  const h = heredocsOf(ins);
  const lines = h.map((d) => d.getContentRange()?.start.line).filter((x): x is number => x !== undefined);
  return lines.length ? Math.min(...lines) : undefined;
}

function commandSpec(parsed: ParsedDockerfile, ins: Instruction, shell: string[]): CommandSpec {
  const file = parsed.file;
  const loc = rangeLoc(file, ins.getRange());
  const json = (ins as DfJsonForm).getJSONStrings();
  if (json.length > 0) return { form: 'exec', words: json.map((j) => jsonWord(parsed, j)), loc, inherited: false };
  // `ENTRYPOINT []` (as in uv's Docker example): an empty exec form, which resets the base image's entrypoint.
  if (/^\[\s*\]$/.test(ins.getArgumentsContent()?.trim() ?? '')) return { form: 'exec', words: [], loc, inherited: false };
  return shellForm(parsed, ins, shell, loc);
}

/** A shell-form command (from `from`, else the first argument, to the instruction's end) as `SHELL… TEXT`. */
function shellForm(parsed: ParsedDockerfile, ins: Instruction, shell: string[], loc: Loc, from?: DfArgument): CommandSpec {
  const { text, start: at } = instructionText(parsed, ins, from);
  const body = text.replace(/\n$/, '');
  return { form: 'shell', words: [...shell.map((s) => ({ text: s, raw: s, loc: at })), { text: body, raw: body, loc: { ...at, endLine: loc.endLine, endColumn: loc.endColumn } }], loc, inherited: false };
}

/**
 * `HEALTHCHECK [--interval=…] CMD command` (exec form when the rest is a JSON array of strings, else shell form),
 * null for `HEALTHCHECK NONE`, undefined when it cannot be read.
 */
function healthcheckSpec(parsed: ParsedDockerfile, ins: Instruction, shell: string[]): CommandSpec | null | undefined {
  const args = ins.getArguments();
  let i = 0;
  while (i < args.length && args[i]!.getValue().startsWith('--')) i++;
  const sub = args[i]?.getValue().toUpperCase();
  if (sub === 'NONE') return null;
  const first = args[i + 1];
  if (sub !== 'CMD' || !first) return undefined;
  const loc = rangeLoc(parsed.file, ins.getRange());
  const start = parsed.lines.offset(first.getRange().start.line + 1, first.getRange().start.character + 1);
  const end = parsed.lines.offset(ins.getRange().end.line + 1, ins.getRange().end.character + 1);
  const json = jsonArray(parsed, start, end);
  return json ? { form: 'exec', words: json, loc, inherited: false } : shellForm(parsed, ins, shell, loc, first);
}

/** The words of a JSON array of strings written at [start, end) on one line, positioned; undefined when it is not one. */
function jsonArray(parsed: ParsedDockerfile, start: number, end: number): Word[] | undefined {
  const raw = parsed.text.slice(start, end).trimEnd();
  if (!raw.startsWith('[') || raw.includes('\n')) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return undefined;
  const words: Word[] = [];
  for (const m of raw.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
    const a = parsed.lines.position(start + m.index);
    const b = parsed.lines.position(start + m.index + m[0].length);
    words.push({ text: JSON.parse(m[0]) as string, raw: m[0], loc: { file: parsed.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column }, form: 'json' });
  }
  return words.length === values.length ? words : undefined;
}

/**
 * A shell-form word of a COPY/ADD without its quotes, as Docker's lexer reads it: variables expanded outside quotes
 * and inside double quotes, single-quoted text literal, the escape character taking the next character.
 */
function unquoted(value: string, exp: (s: string) => string, escape: string): string {
  let out = '';
  let plain = '';
  const flush = (): void => {
    out += exp(plain);
    plain = '';
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === escape && i + 1 < value.length) {
      plain += value.slice(i, i + 2);
      i++;
    } else if (ch === "'") {
      flush();
      const end = value.indexOf("'", i + 1);
      out += end < 0 ? value.slice(i + 1) : value.slice(i + 1, end);
      i = end < 0 ? value.length : end;
    } else if (ch === '"') {
      let j = i + 1;
      let inner = '';
      while (j < value.length && value[j] !== '"') {
        if (value[j] === escape && j + 1 < value.length) {
          inner += value[j + 1];
          j += 2;
        } else inner += value[j++];
      }
      flush();
      out += exp(inner);
      i = j;
    } else plain += ch;
  }
  flush();
  return out;
}

function copyStep(parsed: ParsedDockerfile, ins: DfJsonForm, stage: Stage, stages: Stage[], exp: (s: string) => string): CopyStep {
  const file = parsed.file;
  const { flags, args: words } = dockerFlags(ins);
  const json = ins.getJSONStrings();
  // Shell form: Docker takes each word through its shell lexer, so quotes are removed (`COPY "." "$CODE_DIR/"`);
  // the JSON form's strings are the paths already.
  const args = json.length
    ? json.map((j) => ({ value: jsonWord(parsed, j).text ?? '', loc: rangeLoc(file, j.getRange()), quoted: true }))
    : words.map((a) => ({ value: a.getValue(), loc: rangeLoc(file, a.getRange()), quoted: false }));
  const word = (a: { value: string; quoted: boolean }): string => (a.quoted || !/["']/.test(a.value) ? exp(a.value) : unquoted(a.value, exp, parsed.escape));
  const destArg = args[args.length - 1];
  const destRaw = destArg ? word(destArg) : '';
  const dest = destRaw.startsWith('/') ? destRaw : `${stage.workdir.replace(/\/$/, '')}/${destRaw}`;
  const step: CopyStep = {
    keyword: ins.getKeyword() === 'ADD' ? 'ADD' : 'COPY',
    loc: rangeLoc(file, ins.getRange()),
    sources: args.slice(0, -1).filter((a) => !a.value.startsWith('<<')).map((a) => ({ path: word(a), loc: a.loc })),
    dest: destRaw.endsWith('/') || destRaw === '.' ? `${normalizePath(dest)}/`.replace(/\/+$/, '/') : normalizePath(dest),
    destRaw,
  };
  const from = flagValue(flags, 'from');
  if (from !== undefined) {
    step.from = exp(from);
    const range = flags.find((x) => x.getName() === 'from')?.getValueRange();
    if (range) step.fromRaw = { text: from, loc: rangeLoc(file, range) };
    const idx = findStage(step.from, stages);
    if (idx !== undefined) step.fromStage = idx;
  }
  return step;
}

export function normalizePath(p: string): string {
  // Most paths are already normal (absolute, no `//`, `.` or `..` segment, no trailing `/`): returned as they are.
  if (p.charCodeAt(0) === 47 && !/\/\/|\/\.\.?(?:\/|$)|.\/$/.test(p)) return p;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

function finishStage(s: Stage, stages: Stage[]): void {
  for (const run of s.runs) {
    collectAccounts(run.commands, s.accounts);
    for (const c of run.commands) {
      const uv = uvInvocation(c.words);
      if (uv) s.usesUv = true;
      const v = pipUvVersion(c.words);
      if (v !== undefined) {
        s.usesUv = true;
        if (v) s.uvVersion = v;
      }
    }
  }
  for (const c of s.copies) {
    for (const src of c.keyword === 'ADD' ? c.sources : []) {
      const installer = uvInstallerUrl(src.path);
      if (installer !== undefined) {
        s.usesUv = true;
        if (installer) s.uvVersion = installer;
      }
    }
    if (c.from && c.fromStage === undefined && isUvImage(c.from)) {
      s.usesUv = true;
      const v = uvImageVersion(c.from);
      if (v) s.uvVersion = v;
    }
    if (c.fromStage !== undefined && stages[c.fromStage]?.uvVersion && !s.uvVersion && isUvImage(stages[c.fromStage]!.base.ref)) {
      s.uvVersion = stages[c.fromStage]!.uvVersion!;
    }
  }
  if (isUvImage(s.base.ref)) {
    const v = uvImageVersion(s.base.ref);
    if (v) s.uvVersion = v;
  }
}

/** `pip install uv==X.Y.Z` → "X.Y.Z"; `pip install uv` → "" (uv installed, version unknown); otherwise undefined. */
export function pipUvVersion(words: readonly Word[]): string | undefined {
  const t = words.map((w) => w.text ?? '');
  const pipAt = t.findIndex((x, i) => (/^pip3?$|\/pip3?$|^pipx$/.test(x) && t[i + 1] === 'install') || (/^python3?(\.\d+)?$/.test(basename(x)) && t[i + 1] === '-m' && /^pipx?$/.test(t[i + 2] ?? '') && t[i + 3] === 'install'));
  if (pipAt < 0) return undefined;
  for (const a of t.slice(pipAt + 2)) {
    const m = /^uv(?:\[[^\]]*\])?(?:(==|>=|~=|<=|<|>)(\S+))?$/.exec(a);
    if (m) return m[1] === '==' ? m[2]! : '';
  }
  return undefined;
}

/**
 * uv's installer script URL (`https://astral.sh/uv/install.sh`, `https://astral.sh/uv/0.9.5/install.sh`, the
 * GitHub release's `uv-installer.sh`): the version it names ("" when none, `latest` included), or undefined when the
 * text is no such URL.
 */
export function uvInstallerUrl(text: string): string | undefined {
  let m = /astral\.sh\/uv\/(?:(.*)\/)?install\.(?:sh|ps1)\b/.exec(text);
  if (!m) m = /github\.com\/astral-sh\/uv\/releases\/(?:latest\/download|download\/([^/]+))\/uv-installer\.(?:sh|ps1)\b/.exec(text);
  if (!m) return undefined;
  const v = /^v?(\d+\.\d+\.\d+)$/.exec(m[1] ?? '');
  return v ? v[1]! : '';
}

/** The exact uv version in a uv image reference (`uv:0.12.5`, `uv:0.12.5-python3.12-bookworm`), if any. */
export function uvImageVersion(ref: string): string | undefined {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', slash + 1);
  if (colon < 0) return undefined;
  const m = /^v?(\d+\.\d+\.\d+)(?:$|-)/.exec(noDigest.slice(colon + 1));
  return m ? m[1] : undefined;
}

/** The external image a stage is built FROM (through FROM <stage> links). */
export function externalBaseOf(stage: Stage, stages: readonly Stage[]): string {
  let s: Stage | undefined = stage;
  for (let n = 0; s && s.parent !== undefined && n <= stages.length; n++) s = stages[s.parent];
  return s?.base.ref ?? '';
}

/**
 * Whether an image is known to hold none of the repository's files: `scratch`, Docker Hub's official images and
 * well-known vendors' public images. Any other (one this repository builds from another Dockerfile, a private base, a
 * reference with a variable in it) has unknown content.
 */
export function isPublicBase(ref: string): boolean {
  const r = ref.toLowerCase();
  if (!r || r.includes('$')) return false;
  if (r === 'scratch') return true;
  const name = r.replace(/@.*$/, '').replace(/:[^/]*$/, '').replace(/^(docker\.io\/|index\.docker\.io\/|registry-1\.docker\.io\/)/, '');
  const official = name.replace(/^(library\/|public\.ecr\.aws\/docker\/library\/)/, '');
  if (OFFICIAL_IMAGES.has(official)) return true;
  return PUBLIC_PREFIXES.some((p) => name.startsWith(p));
}
/** Docker Hub official images a Python service is built on (a bare name may also be an image built locally). */
const OFFICIAL_IMAGES = new Set(
  'python pypy debian ubuntu alpine busybox buildpack-deps fedora centos rockylinux almalinux amazonlinux archlinux oraclelinux opensuse/leap opensuse/tumbleweed node golang rust nginx httpd caddy haproxy traefik postgres redis mysql mariadb mongo eclipse-temurin openjdk ruby php bash docker gcc clearlinux photon'.split(' '),
);
const PUBLIC_PREFIXES = ['ghcr.io/astral-sh/', 'astral/', 'gcr.io/distroless/', 'cgr.dev/chainguard/', 'registry.access.redhat.com/', 'registry.redhat.io/', 'redhat/', 'mcr.microsoft.com/', 'nvidia/', 'nvcr.io/nvidia/', 'continuumio/', 'mambaorg/', 'condaforge/', 'pytorch/', 'tensorflow/', 'bitnami/', 'docker.io/bitnami/', 'quay.io/centos/', 'quay.io/fedora/', 'quay.io/pypa/'];
