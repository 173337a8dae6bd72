/**
 * Dockerfile text → instructions (the fast path, ./dockerfile-simple.ts, or dockerfile-ast for what it does not
 * take) plus the problems a build would hit.
 */
import type { Loc } from '../types.js';
import { LineIndex } from '../text.js';
import { simpleDockerfile, FastInstruction } from './dockerfile-simple.js';
import { requireDockerfileAst } from './dockerfile-lib.cjs';

/** The parts of dockerfile-ast's API the model uses; its classes and the fast path's both have them. */
export interface DfRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
export interface DfArgument {
  getValue(): string;
  getRange(): DfRange;
}
export interface DfFlag {
  getName(): string;
  getValue(): string | null;
  getValueRange(): DfRange | null;
}
export interface DfJsonString {
  getJSONValue(): string;
  getRange(): DfRange;
}
export interface DfProperty {
  getName(): string;
  getValue(): string | null;
  getRange(): DfRange;
}
export interface DfInstruction {
  getKeyword(): string;
  getInstruction(): string;
  getRange(): DfRange;
  getInstructionRange(): DfRange;
  getArguments(): DfArgument[];
  getArgumentsContent(): string | null;
  getArgumentsRange(): DfRange | null;
}
/** RUN, COPY, ADD, CMD, ENTRYPOINT, SHELL (dockerfile-ast's JSONInstruction). */
export interface DfJsonForm extends DfInstruction {
  getFlags(): DfFlag[];
  getJSONStrings(): DfJsonString[];
}
export interface DfFrom extends DfInstruction {
  getImage(): string | null;
  getImageRange(): DfRange | null;
  getBuildStage(): string | null;
}
export interface DfEnv extends DfInstruction {
  getProperties(): DfProperty[];
}
export interface DfArg extends DfInstruction {
  getProperty(): DfProperty | null;
}
export interface DfFile {
  getInstructions(): DfInstruction[];
  getInitialARGs(): DfArg[];
  getEscapeCharacter(): string;
}

export interface ParsedDockerfile {
  file: string;
  text: string;
  lines: LineIndex;
  ast: DfFile;
  escape: string;
  issues: { message: string; loc: Loc }[];
  /**
   * RUN/CMD/ENTRYPOINT/COPY/ADD arguments written as a JSON-looking array that is not a JSON array of strings
   * (`CMD ['python', 'app.py']`): Docker takes them as shell form, so this is no parse error, but very likely a
   * mistake (RO903). A shell command starting with `[` (the test command: `RUN [ -z "$X" ] || …`) is not one.
   */
  execFormMistakes: { keyword: string; loc: Loc; why: string }[];
  /** A compose `dockerfile_inline` (with no `<Dockerfile>.dockerignore` of its own). */
  inline?: true;
  /** The `# syntax=` parser directive's value (the BuildKit frontend that reads the file), when there is one. */
  syntax?: string;
}

/**
 * The `# syntax=` directive: parser directives are `# key=value` comment lines at the very top of the file; the
 * first line that is not one (a comment, an empty line, an instruction) ends them.
 */
export function syntaxDirective(text: string): string | undefined {
  const re = /^#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(\S*)[ \t]*$/;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/, 8)) {
    const m = re.exec(line);
    if (!m) return undefined;
    if (m[1]!.toLowerCase() === 'syntax') return m[2] || undefined;
  }
  return undefined;
}

/**
 * Whether a `# syntax=` frontend is not Docker's own Dockerfile frontend (`docker/dockerfile:1`,
 * `docker/dockerfile-upstream`): such a frontend (dockerfile-x, dockerfile-plus…) extends the syntax, e.g. a
 * `FROM ./other.Dockerfile` that includes another Dockerfile of the repository.
 */
export function customFrontend(syntax: string | undefined): boolean {
  if (!syntax) return false;
  const name = syntax.toLowerCase().replace(/@.*$/, '').replace(/:[^/]*$/, '').replace(/^(?:docker\.io\/|index\.docker\.io\/)/, '');
  return name !== 'docker/dockerfile' && name !== 'docker/dockerfile-upstream';
}

/** Docker's instructions (dockerfile-ast's Keyword enum; a test holds the two equal). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD',
  'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

let fastPath = true;

/** For the tests that compare the fast path (./dockerfile-simple.ts) with dockerfile-ast. */
export function setDockerfileFastPath(on: boolean): void {
  fastPath = on;
}

/** Whether the fast path takes this text (for the tests: a comparison must cover both paths). */
export function takesDockerfileFastPath(text: string): boolean {
  return simpleDockerfile(text) !== undefined;
}

/** The instructions of a Dockerfile: the fast path when it takes the text, dockerfile-ast otherwise. */
export function readDockerfileAst(text: string): DfFile {
  return (fastPath ? simpleDockerfile(text) : undefined) ?? requireDockerfileAst().DockerfileParser.parse(text);
}

/**
 * An instruction's flags and the arguments after them, as Docker reads them: the flags are the leading arguments
 * that start with `--`. (dockerfile-ast, and the fast path that mirrors it, skip an argument that merely contains
 * `--` and keep looking: `RUN A="--a --b=c" true` got the flag `--b=c"` and lost `A="--a`, so the shell text began
 * inside the quoted value.)
 */
export function dockerFlags(ins: DfJsonForm): { flags: DfFlag[]; args: DfArgument[] } {
  const flags = ins.getFlags();
  const args = ins.getArguments();
  if (flags.length === 0) return { flags, args };
  const all: DfArgument[] = ins instanceof FastInstruction ? ins.getAllArguments() : (requireDockerfileAst().Instruction.prototype.getArguments.call(ins as never) as DfArgument[]);
  let n = 0;
  while (n < all.length && all[n]!.getValue().startsWith('--')) n++;
  return n === flags.length ? { flags, args } : { flags: flags.slice(0, n), args: all.slice(n) };
}

/** dockerfile-ast ranges are 0-based; ours are 1-based. */
export function rangeLoc(file: string, r: DfRange): Loc {
  return {
    file,
    line: r.start.line + 1,
    column: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

export function parseDockerfile(file: string, text: string): ParsedDockerfile {
  const ast = readDockerfileAst(text);
  const lines = new LineIndex(text);
  const escape = ast.getEscapeCharacter();
  const issues: { message: string; loc: Loc }[] = [];
  const execFormMistakes: ParsedDockerfile['execFormMistakes'] = [];
  const instructions = ast.getInstructions();
  for (const ins of instructions) checkInstruction(file, text, lines, ins, issues, execFormMistakes);
  if (instructions.length > 0 && !instructions.some((i) => i.getKeyword() === 'FROM')) {
    issues.push({ message: 'no FROM instruction: this is not a buildable Dockerfile', loc: rangeLoc(file, instructions[0]!.getRange()) });
  }
  const last = instructions[instructions.length - 1];
  if (last) {
    const lastLine = lines.lineText(last.getRange().end.line + 1).trimEnd();
    if (lastLine.endsWith(escape) && last.getRange().end.line + 1 >= lines.lineCount - 1) {
      issues.push({ message: `the file ends inside a continued line (trailing "${escape}")`, loc: rangeLoc(file, last.getRange()) });
    }
  }
  const syntax = syntaxDirective(text);
  return { file, text, lines, ast, escape, issues, execFormMistakes, ...(syntax ? { syntax } : {}) };
}

function checkInstruction(file: string, text: string, lines: LineIndex, ins: DfInstruction, issues: { message: string; loc: Loc }[], mistakes: ParsedDockerfile['execFormMistakes']): void {
  const kw = ins.getKeyword();
  const loc = rangeLoc(file, ins.getInstructionRange());
  if (!KEYWORDS.has(kw)) {
    issues.push({ message: `unknown instruction "${ins.getInstruction()}"`, loc });
    return;
  }
  if (kw !== 'RUN' && kw !== 'CMD' && kw !== 'ENTRYPOINT' && kw !== 'COPY' && kw !== 'ADD') return;
  // The instruction's source text, to skip the costlier API calls when there is no `[` or `<<` in it.
  const source = instructionSource(text, lines, ins);
  if (source.includes('[')) {
    const content = ins.getArgumentsContent() ?? '';
    const afterFlags = content.replace(/^(\s*--\S+\s+)*/, '').trim();
    const why = afterFlags.startsWith('[') ? brokenExecForm(afterFlags) : undefined;
    if (why) mistakes.push({ keyword: kw, why, loc: rangeLoc(file, ins.getArgumentsRange() ?? ins.getRange()) });
  }
  if ((kw === 'RUN' || kw === 'COPY') && source.includes('<<')) {
    for (const doc of heredocsOf(ins)) {
      if (!doc.getDelimiterRange()) {
        issues.push({ message: `heredoc <<${doc.getName()} is never closed`, loc });
      }
    }
  }
}

/**
 * Why arguments starting with `[` are very likely a broken exec form, or undefined. Docker's test for exec form is
 * that they parse as a JSON array of strings; anything else is shell form. A broken one: a JSON array holding a
 * non-string, or text bracketed whole that is written as a list (its first item quoted right after the `[`, or
 * items separated by commas outside quotes). The shell's `[` command (`[ -z "$X" ] || …`, `[ "$A" = b ]`) is none.
 */
export function brokenExecForm(text: string): string | undefined {
  const t = text.trim();
  try {
    const v: unknown = JSON.parse(t);
    if (!Array.isArray(v)) return undefined;
    return v.every((x) => typeof x === 'string') ? undefined : 'a JSON array whose items are not all strings';
  } catch {
    /* not JSON: look at its shape */
  }
  const single = /^\[\s*'/.test(t) ? 'single quotes, which JSON does not accept' : 'not valid JSON';
  if (/^\[['"\u2018\u2019\u201c\u201d]/.test(t)) return single;
  if (!t.endsWith(']') || t.includes('\n')) return undefined;
  const inner = t.slice(1, -1);
  let quote = '';
  for (const ch of inner) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ',') return single;
  }
  return undefined;
}

/** The source text of an instruction. */
export function instructionSource(text: string, lines: LineIndex, ins: DfInstruction): string {
  const r = ins.getRange();
  return text.slice(lines.offset(r.start.line + 1, r.start.character + 1), lines.offset(r.end.line + 1, r.end.character + 1));
}

/** dockerfile-ast's heredoc reader throws on some malformed input (found by the property tests): treat as none. */
export function heredocsOf(ins: DfInstruction): { getName(): string; getDelimiterRange(): unknown; getContentRange(): { start: { line: number } } | null }[] {
  try {
    return (ins as unknown as { getHeredocs?: () => ReturnType<typeof heredocsOf> }).getHeredocs?.() ?? [];
  } catch {
    return [];
  }
}

/** The line range of the instruction starting at `line` (1-based), for line suppressions. */
export function instructionRangeAt(df: ParsedDockerfile, line: number): { start: number; end: number } | undefined {
  let byLine = instructionLines.get(df);
  if (!byLine) {
    byLine = new Map();
    for (const ins of df.ast.getInstructions()) {
      const r = ins.getRange();
      if (!byLine.has(r.start.line + 1)) byLine.set(r.start.line + 1, r.end.line + 1);
    }
    instructionLines.set(df, byLine);
  }
  const end = byLine.get(line);
  return end === undefined ? undefined : { start: line, end };
}
/** Per Dockerfile: the line each instruction starts on → the line it ends on (a file can hold many suppressions). */
const instructionLines = new WeakMap<ParsedDockerfile, Map<number, number>>();
