/**
 * Shell text → simple commands with positioned words, through mvdan/sh (the shfmt parser, compiled to JS).
 * The parser is 1.5 MB and slow to start: it is loaded the first time a snippet is not plain enough for the fast path.
 */
import type { Loc } from '../types.js';
import { LineIndex } from '../text.js';
import { requireMvdanSh } from './mvdan.cjs';
import { simpleScript, type SimpleScript, type SimplePart } from './shell-simple.js';

/*
 * mvdan-sh is mvdan/sh compiled to JS by GopherJS. Its public API converts ("externalizes") every node it hands to
 * JS, which costs ~15x the parse itself; so the walker reads the Go syntax tree directly: pointers to structs with
 * the Go field names, slices as {$array, $offset, $length}, type names in `constructor.string`, nil pointers equal
 * to `constructor.nil`, and positions as byte offsets (`Pos().offs`). These layouts belong to the pinned version
 * (package.json pins mvdan-sh exactly) and the tests in __tests__/core/shell.test.ts exercise every one of them.
 */
interface GoPos {
  offs: number;
}
interface GoNode {
  constructor: { string?: string; nil?: unknown };
  Pos(): GoPos;
  End(): GoPos;
  [field: string]: unknown;
}
interface GoSlice {
  $array: GoNode[];
  $offset: number;
  $length: number;
}
interface ShSyntax {
  NewParser(...opts: unknown[]): { Parse(src: string, name: string): { __internal_object__: GoNode } };
  KeepComments(keep: boolean): unknown;
  Variant(v: unknown): unknown;
  LangBash: unknown;
}

type GoParser = { Parse(src: string, name: string): { __internal_object__: GoNode } };
let loaded: GoParser | undefined;
const ops = { out: -1, app: -1, hdoc: -1, dashHdoc: -1, clobber: -1, allOut: -1, appAll: -1, and: -1, pipe: -1, pipeAll: -1 };

/** The installation is broken (a file of the tool itself is missing): not a problem of the analysed repository. */
export class ToolInstallError extends Error {}

/** mvdan-sh's parser, loaded the first time a snippet needs it (see ./mvdan.cts). */
function fullParser(): GoParser {
  if (loaded) return loaded;
  let mod: { default?: { syntax: ShSyntax }; syntax?: ShSyntax };
  try {
    mod = requireMvdanSh() as typeof mod;
  } catch (e) {
    throw new ToolInstallError(`the shell parser (mvdan-sh) could not be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
  const s = (mod.syntax ?? mod.default?.syntax) as ShSyntax;
  const parser = s.NewParser(s.KeepComments(false), s.Variant(s.LangBash));
  // Learn the redirect operator codes from the parser itself rather than hard-coding Go's token numbers.
  const opOf = (src: string): number => {
    const f = parser.Parse(src, 'probe').__internal_object__;
    const stmt = slice(f.Stmts)[0]!;
    return Number(slice(stmt.Redirs)[0]!.Op);
  };
  ops.out = opOf('a > b');
  ops.app = opOf('a >> b');
  ops.clobber = opOf('a >| b');
  ops.allOut = opOf('a &> b');
  ops.appAll = opOf('a &>> b');
  ops.hdoc = opOf('a <<E\nE\n');
  ops.and = Number((slice(parser.Parse('a && b', 'probe').__internal_object__.Stmts)[0]!.Cmd as GoNode).Op);
  ops.dashHdoc = opOf('a <<-E\nE\n');
  const binOf = (src: string): number => Number(node(slice(parser.Parse(src, 'probe').__internal_object__.Stmts)[0]!.Cmd)!.Op);
  ops.pipe = binOf('a | b');
  ops.pipeAll = binOf('a |& b');
  loaded = parser;
  return parser;
}

function slice(v: unknown): GoNode[] {
  const sl = v as GoSlice | null | undefined;
  if (!sl || !sl.$array || !sl.$length) return [];
  return sl.$array.slice(sl.$offset, sl.$offset + sl.$length);
}

function isNil(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  const n = v as GoNode;
  return n.constructor?.nil === n || !n.constructor?.string;
}

function node(v: unknown): GoNode | undefined {
  return isNil(v) ? undefined : (v as GoNode);
}

/** `*syntax.CallExpr` → `CallExpr`; '' for a nil interface. */
function type(n: unknown): string {
  if (isNil(n)) return '';
  const t = (n as GoNode).constructor.string ?? '';
  return t.slice(t.lastIndexOf('.') + 1);
}

/** Maps a position in a snippet (1-based line/col) to its place in the file. */
export type PosMap = (line: number, col: number) => { line: number; column: number };

export interface Word {
  /** The word's value after quote removal and expansion of known variables; null when it depends on unknowns. */
  text: string | null;
  /** The source text of the word. */
  raw: string;
  loc: Loc;
  /** True for `"$@"` / `$@` / `"$*"`: the script's own arguments. */
  allArgs?: boolean;
  /** An element of a JSON exec form (`json`) or of a compose list (`list`), not a word of shell text. */
  form?: 'json' | 'list';
  /** Columns each later line of the text lost: a YAML literal block's indentation. */
  indent?: number;
  /** A compose list item: whether it is written in quotes (its text then starts one column after `loc`). */
  quoted?: boolean;
  /**
   * A string whose value is not its text in the file character for character (escapes, `$$`, folded lines): past
   * its first `exactFor` characters, a column inside it is not the same column in the file, for `reason`.
   */
  inexact?: { exactFor: number; reason: string };
  /** Why no fix may edit at this word: it lies inside such a string, past its exact part. */
  noEdit?: string;
}

export interface Redirect {
  op: 'write' | 'append' | 'heredoc' | 'other';
  target?: Word;
  /** Heredoc body, with the position of its first line. */
  heredoc?: { text: string; map: PosMap };
}

export interface SimpleCommand {
  /** argv after removing wrappers (`exec`, `env A=1`, `nohup`, …); may be empty (assignments or redirects only). */
  words: Word[];
  /** Variables set for this command only (`A=1 cmd`, `env A=1 cmd`). */
  assigns: Map<string, { value: string | null; loc: Loc }>;
  /** Variables exported earlier in the same script (`export A=1`), in force for this command. */
  exported: ReadonlyMap<string, { value: string | null; loc: Loc }>;
  exec: boolean;
  redirects: Redirect[];
  loc: Loc;
  /** Index of the top-level statement this command belongs to. */
  topIndex: number;
  /**
   * Where a `cd` (or `pushd`) earlier in the same shell moved the command: an absolute path, or one relative to the
   * directory the shell started in; null when it cannot be known (`cd "$DIR"`, `cd -`, a bare `cd`). Absent: not moved.
   */
  cwd?: string | null;
  /**
   * Files the command runs only if they exist: `if [ -f F ]; then …` / `[ -e F ] && …` / `test -s F` around it.
   * Each is absolute or relative to the directory the shell started in, as `cwd`.
   */
  guards?: string[];
  /** `gosu USER cmd` / `su-exec USER cmd`: the user the command runs as (null: an expansion we cannot evaluate). */
  dropsTo?: string | null;
}

export interface ShellParse {
  commands: SimpleCommand[];
  /** Number of top-level statements. */
  topCount: number;
  /** Shell functions the script declares: name → the top-level statement that declares it (its body's topIndex). */
  functions?: Map<string, number>;
  error?: { message: string; line: number; column: number };
}

export type Lookup = (name: string) => string | undefined;

interface Ctx {
  file: string;
  map: PosMap;
  lookup: Lookup;
  exported: Map<string, { value: string | null; loc: Loc }>;
  commands: SimpleCommand[];
  topIndex: number;
  depth: number;
  /** Columns the later lines of the text lost (a YAML literal block's indentation): `sh -c` strings inside inherit it. */
  indent?: number;
  src: string;
  lines: LineIndex;
  /** Set when `src` has non-ASCII text: the parser's offsets count bytes. */
  bytes?: Buffer;
  /** Where `cd` moved the shell (see SimpleCommand.cwd); undefined while it has not moved. */
  cwd?: string | null;
  /** Files the commands being walked run only if they exist (see SimpleCommand.guards). */
  guards?: string[];
  functions?: Map<string, number>;
  /** Shell variables set by `NAME=value` alone (not exported), for the expansions after it. */
  vars: Map<string, { value: string | null; loc: Loc }>;
  /**
   * Above 0 while walking commands that may not run, or run in a subshell (after `&&`/`||`, in a pipeline, an `if`,
   * a loop, a `case`, a subshell, a function): a variable they set has an unknown value afterwards.
   */
  conditional: number;
}

const MAX_NESTING = 8;

/**
 * A PosMap for a snippet whose first character sits at (line, column) of the file and whose later lines keep their
 * columns (shifted by `indent`: a YAML literal block's lines lost their indentation).
 */
export function offsetMap(line: number, column: number, lineMap?: number[], indent = 0): PosMap {
  return (l, c) => {
    const fileLine = lineMap ? (lineMap[l - 1] ?? line + l - 1) : line + l - 1;
    return { line: fileLine, column: l === 1 ? column + c - 1 : c + indent };
  };
}

/** `indent`: columns the text's later lines lost (a YAML literal block's indentation; `map` accounts for it). */
export function parseShell(text: string, file: string, map: PosMap, lookup: Lookup, indent?: number): ShellParse {
  const ctx: Ctx = { file, map, lookup, exported: new Map(), vars: new Map(), conditional: 0, commands: [], topIndex: 0, depth: 0, src: text, lines: new LineIndex(text) };
  if (indent) ctx.indent = indent;
  return parseInto(text, ctx);
}

function parseInto(text: string, ctx: Ctx): ShellParse {
  let f: GoNode;
  ctx.src = text;
  ctx.lines = new LineIndex(text);
  // File tests (`[ -f F ] && …`, `if test -e F`) guard commands: the full parser's tree shows which.
  if (fastPath && !FILE_TEST.test(text)) {
    const simple = simpleScript(text);
    if (simple) return walkSimple(simple, ctx);
  }
  const parser = fullParser();
  if (/[^\x00-\x7f]/.test(text)) ctx.bytes = Buffer.from(text, 'utf8');
  else delete ctx.bytes;
  try {
    f = parser.Parse(text, ctx.file).__internal_object__;
  } catch (e) {
    return { commands: ctx.commands, topCount: 0, error: parseError(e, ctx) };
  }
  const stmts = slice(f.Stmts);
  const outerTop = ctx.topIndex;
  try {
    stmts.forEach((s, i) => {
      if (ctx.depth === 0) ctx.topIndex = i;
      walkStmt(s, ctx);
    });
  } catch (e) {
    // The walk recurses with the tree; mvdan-sh's own parse runs out of stack first, but be sure.
    if (!(e instanceof RangeError)) throw e;
    return { commands: ctx.commands, topCount: stmts.length, error: parseError(e, ctx) };
  } finally {
    if (ctx.depth > 0) ctx.topIndex = outerTop;
  }
  return ctx.depth === 0 && ctx.functions ? { commands: ctx.commands, topCount: stmts.length, functions: ctx.functions } : { commands: ctx.commands, topCount: stmts.length };
}

let fastPath = true;
const FILE_TEST = /(?:\[|\btest)\s+-[efs]\s/;

/** For the tests that compare the fast path (./shell-simple.ts) with the full parser. */
export function setShellFastPath(on: boolean): void {
  fastPath = on;
}

/** Whether the fast path takes this text (for the tests: a comparison must cover both paths). */
export function takesFastPath(text: string): boolean {
  return simpleScript(text) !== undefined;
}

/** The fast path's commands, walked as the full parser's would be (wrappers, `sh -c`, positions, expansion). */
function walkSimple(script: SimpleScript, ctx: Ctx): ShellParse {
  const outerTop = ctx.topIndex;
  const locAt = (start: number, end: number): Loc => {
    const s = ctx.lines.position(start);
    const e = ctx.lines.position(end);
    const a = ctx.map(s.line, s.column);
    const b = ctx.map(e.line, e.column);
    return { file: ctx.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  const simpleWord = (w: SimpleScript['commands'][number]['words'][number]): Word => {
    const { text, allArgs } = expandParts(w.parts, ctx);
    const word: Word = { text, raw: ctx.src.slice(w.start, w.end), loc: locAt(w.start, w.end) };
    if (allArgs) word.allArgs = true;
    return word;
  };
  /** A command's word after field splitting: its unquoted expansions split at blanks (zero, one or more words). */
  const simpleWords = (w: SimpleScript['commands'][number]['words'][number]): Word[] => {
    const word = simpleWord(w);
    if (word.text === null) return [word];
    return splitWord(word, w.parts.map((p): Piece => (typeof p === 'string' ? { text: p, split: false } : { text: 'param' in p ? (p.op ? applyParamOp(paramValue(p.param, ctx), p.colon === true, p.op, p.word ?? '') : (paramValue(p.param, ctx) ?? null)) : null, split: !('quoted' in p && p.quoted) })));
  };
  /** `NAME=value` → the name and the value's expansion (an assignment starts with an unquoted `NAME=`, so the first part does too). */
  const assignment = (w: SimpleScript['commands'][number]['words'][number]): [string, { value: string | null; loc: Loc }] | undefined => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(ctx.src.slice(w.start, w.end));
    if (!m) return undefined;
    const value = expandParts([(w.parts[0] as string).slice(m[0].length), ...w.parts.slice(1)], ctx);
    return [m[1]!, { value: value.text, loc: locAt(w.start, w.end) }];
  };
  for (const cmd of script.commands) {
    if (ctx.depth === 0) ctx.topIndex = cmd.top;
    if (cmd.export) {
      // As declClause: each `NAME=value` is in force for the commands after it; a bare NAME changes nothing known.
      for (const w of cmd.words) {
        const a = assignment(w);
        if (a) {
          ctx.exported.set(...a);
          ctx.vars.delete(a[0]);
        } else exportVar(ctx.src.slice(w.start, w.end), ctx);
      }
      continue;
    }
    const assigns = new Map<string, { value: string | null; loc: Loc }>();
    let k = 0;
    for (; k < cmd.words.length; k++) {
      const a = assignment(cmd.words[k]!);
      if (!a) break;
      assigns.set(...a);
    }
    const words = cmd.words.slice(k).flatMap(simpleWords);
    const redirects = cmd.redirects.map((r): Redirect => ({ op: r.op, target: simpleWord(r.target) }));
    if (cmd.cond) ctx.conditional++;
    pushCommand(words, assigns, redirects, locAt(cmd.start, cmd.end), ctx);
    if (cmd.cond) ctx.conditional--;
  }
  if (ctx.depth > 0) ctx.topIndex = outerTop;
  else if (script.topCount) ctx.topIndex = script.topCount - 1;
  return { commands: ctx.commands, topCount: script.topCount };
}

/** A piece of a word's expansion: `split` when it is an unquoted expansion (field splitting applies); null text: unknown. */
interface Piece {
  text: string | null;
  split: boolean;
}

/**
 * Field splitting (the default IFS): the unquoted expansions of a word split at blanks, so `ARGS="--a --b"` then
 * `uv sync $ARGS` gives two words, and an empty unquoted expansion alone gives none. Each field keeps the word's
 * source and position. A word with an unknown piece stays one word of unknown text.
 */
function splitWord(word: Word, pieces: readonly Piece[]): Word[] {
  if (word.text === null || !pieces.some((p) => p.split && (p.text === '' || /[ \t\n]/.test(p.text ?? '')))) return [word];
  const fields: string[] = [];
  let cur = '';
  let has = false;
  for (const p of pieces) {
    if (!p.split) {
      cur += p.text ?? '';
      has = true;
      continue;
    }
    for (const ch of p.text ?? '') {
      if (ch === ' ' || ch === '\t' || ch === '\n') {
        if (has) fields.push(cur);
        cur = '';
        has = false;
      } else {
        cur += ch;
        has = true;
      }
    }
  }
  if (has) fields.push(cur);
  if (fields.length === 1 && fields[0] === word.text) return [word];
  return fields.map((text) => ({ ...word, text }));
}

/** `export NAME` of a shell variable set before: it is in the environment from then on. */
function exportVar(name: string, ctx: Ctx): void {
  const v = ctx.vars.get(name);
  if (!v) return;
  ctx.exported.set(name, v);
  ctx.vars.delete(name);
}

/** A word's value from its parts, as wordOf computes it: null when a parameter is unknown or is `$@`/`$*`. */
function expandParts(parts: readonly SimplePart[], ctx: Ctx): { text: string | null; allArgs: boolean } {
  let text: string | null = '';
  let allArgs = false;
  for (const p of parts) {
    if (typeof p === 'string') {
      if (text !== null) text += p;
      continue;
    }
    if ('subst' in p) {
      text = null; // command substitution: unknown
      continue;
    }
    if (p.param === '@' || p.param === '*') {
      allArgs = true;
      text = null;
      continue;
    }
    const value = paramValue(p.param, ctx);
    const piece = p.op ? applyParamOp(value, p.colon === true, p.op, p.word ?? '') : (value ?? null);
    text = text === null || piece === null ? null : text + piece;
  }
  return { text, allArgs };
}

function parseError(e: unknown, ctx: Ctx): { message: string; line: number; column: number } {
  const err = e as { Error?: () => string };
  let message = 'shell syntax error';
  let line = 1;
  let col = 1;
  if (e instanceof RangeError) return { message: 'nested too deeply to analyse (out of stack)', ...pos(ctx, 1, 1) };
  try {
    const full = typeof err.Error === 'function' ? err.Error() : e instanceof Error ? e.message : String(e);
    const m = /^[^:]*:(\d+):(\d+): (.*)$/s.exec(full);
    if (m) {
      line = Number(m[1]);
      col = Number(m[2]);
      message = m[3]!;
    } else message = full;
  } catch {
    /* keep the generic message */
  }
  return { message, ...pos(ctx, line, col) };
}

function pos(ctx: Ctx, line: number, col: number): { line: number; column: number } {
  const p = ctx.map(line, col);
  return { line: p.line, column: p.column };
}

/** Snippet (line, column) of a byte offset, in characters. */
function posOf(byteOffset: number, ctx: Ctx): { line: number; column: number } {
  const charOffset = ctx.bytes ? charOffsetOf(ctx.bytes, ctx.src, byteOffset) : byteOffset;
  return ctx.lines.position(charOffset);
}

/**
 * UTF-8 byte offset → UTF-16 offset in the text the bytes encode, by a table of the non-ASCII characters (built once
 * per text): decoding the prefix at every position made long non-ASCII scripts quadratic.
 */
const byteTables = new WeakMap<Buffer, { at: number[]; extra: number[] }>();
function charOffsetOf(bytes: Buffer, text: string, byteOffset: number): number {
  let t = byteTables.get(bytes);
  if (!t) {
    t = { at: [], extra: [] };
    let b = 0;
    let extra = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        b++;
        continue;
      }
      const pair = c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      // Bytes the character takes, and UTF-16 units: a lone surrogate is encoded as U+FFFD (3 bytes).
      const len = pair ? 4 : c < 0x800 ? 2 : 3;
      const units = pair ? 2 : 1;
      b += len;
      extra += len - units;
      t.at.push(b);
      t.extra.push(extra);
      if (pair) i++;
    }
    byteTables.set(bytes, t);
  }
  // The last non-ASCII character that ends at or before the offset.
  let lo = 0;
  let hi = t.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.at[mid]! <= byteOffset) lo = mid + 1;
    else hi = mid;
  }
  return byteOffset - (lo === 0 ? 0 : t.extra[lo - 1]!);
}

function locOf(n: GoNode, ctx: Ctx): Loc {
  const s = posOf(n.Pos().offs, ctx);
  const e = posOf(n.End().offs, ctx);
  const a = ctx.map(s.line, s.column);
  const b = ctx.map(e.line, e.column);
  return { file: ctx.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function walkStmts(v: unknown, ctx: Ctx): void {
  for (const s of slice(v)) walkStmt(s, ctx);
}

function walkStmt(stmt: GoNode, ctx: Ctx): void {
  const cmd = node(stmt.Cmd);
  const redirects = slice(stmt.Redirs).map((r) => toRedirect(r, ctx));
  const t = type(cmd);
  if (!cmd) {
    if (redirects.length) pushCommand([], new Map(), redirects, locOf(stmt, ctx), ctx);
    return;
  }
  switch (t) {
    case 'CallExpr':
      callExpr(cmd, redirects, locOf(stmt, ctx), ctx);
      return;
    case 'BinaryCmd': {
      // `[ -f F ] && cmd`: cmd runs only if F exists.
      const x = node(cmd.X);
      const test = guardsRight(cmd, ctx) ? fileTest(x!, ctx) : undefined;
      if (test !== undefined) {
        walkStmt(x!, ctx);
        const y = node(cmd.Y);
        ctx.conditional++;
        if (y) guarded(test, ctx, () => walkStmt(y, ctx));
        ctx.conditional--;
        return;
      }
      // `a && b && c …` nests to the left, one level per operator: unrolled with a stack (in source order) instead
      // of one call per operator, so that a long chain does not run out of stack.
      // Only the first command of an and-or list surely runs (and in the shell itself, unless piped): what the others
      // set is unknown after them.
      const stack: GoNode[] = [];
      let piped = false;
      const sides = (b: GoNode): void => {
        if (Number(b.Op) === ops.pipe || Number(b.Op) === ops.pipeAll) piped = true;
        for (const side of [node(b.Y), node(b.X)]) if (side) stack.push(side);
      };
      sides(cmd);
      let first = true;
      while (stack.length) {
        const side = stack.pop()!;
        const inner = node(side.Cmd);
        if (inner && type(inner) === 'BinaryCmd' && slice(side.Redirs).length === 0 && !guardsRight(inner, ctx)) sides(inner);
        else {
          const cond = !first || piped;
          first = false;
          if (cond) ctx.conditional++;
          walkStmt(side, ctx);
          if (cond) ctx.conditional--;
        }
      }
      return;
    }
    case 'IfClause':
    case 'WhileClause':
    case 'ForClause':
    case 'CaseClause':
    case 'Subshell':
    case 'FuncDecl':
    case 'TimeClause':
    case 'CoprocClause':
      ctx.conditional++;
      try {
        compound(cmd, t, ctx);
      } finally {
        ctx.conditional--;
      }
      return;
    case 'Block':
      walkStmts(cmd.Stmts, ctx);
      return;
    case 'DeclClause':
      declClause(cmd, ctx);
      return;
    default:
      return;
  }
}

/** The commands inside a compound command (an `if`, a loop, a `case`, a subshell, a function, `time`). */
function compound(cmd: GoNode, t: string, ctx: Ctx): void {
  switch (t) {
    case 'IfClause': {
      let c: GoNode | undefined = cmd;
      for (; c; ) {
        walkStmts(c.Cond, ctx);
        const cond = slice(c.Cond);
        guarded(cond.length === 1 ? fileTest(cond[0]!, ctx) : undefined, ctx, () => walkStmts(c!.Then, ctx));
        c = node(c.Else);
      }
      return;
    }
    case 'WhileClause':
      walkStmts(cmd.Cond, ctx);
      walkStmts(cmd.Do, ctx);
      return;
    case 'ForClause':
      walkStmts(cmd.Do, ctx);
      return;
    case 'CaseClause':
      for (const item of slice(cmd.Items)) walkStmts(item.Stmts, ctx);
      return;
    case 'Subshell': {
      // A subshell's `cd` ends with it.
      const cwd = ctx.cwd;
      walkStmts(cmd.Stmts, ctx);
      setCwd(ctx, cwd);
      return;
    }
    case 'FuncDecl': {
      const name = node(cmd.Name)?.Value;
      if (ctx.depth === 0 && typeof name === 'string') (ctx.functions ??= new Map()).set(name, ctx.topIndex);
      const body = node(cmd.Body);
      if (body) walkStmt(body, ctx);
      return;
    }
    case 'TimeClause':
    case 'CoprocClause': {
      const inner = node(cmd.Stmt);
      if (inner) walkStmt(inner, ctx);
      return;
    }
    default:
      return;
  }
}

/** `[ -f F ]`, `[ -e F ]`, `[ -s F ]`, `test -f F` (not negated): F as SimpleCommand.guards holds it, else undefined. */
function fileTest(stmt: GoNode, ctx: Ctx): string | undefined {
  const cmd = node(stmt.Cmd);
  if (!cmd || type(cmd) !== 'CallExpr' || stmt.Negated || slice(cmd.Assigns).length) return undefined;
  const args = slice(cmd.Args);
  if (args.length !== 3 && args.length !== 4) return undefined;
  const w = args.map((a) => wordOf(a, ctx).text);
  const ok = (w[0] === '[' && w.length === 4 && w[3] === ']') || (w[0] === 'test' && w.length === 3);
  const f = w[2];
  if (!ok || !/^-[efs]$/.test(w[1] ?? '') || !f || ctx.cwd === null) return undefined;
  if (f.startsWith('/') || ctx.cwd === undefined) return f;
  return `${ctx.cwd.replace(/\/+$/, '')}/${f}`;
}

/** `[ -f F ] && …`: a BinaryCmd whose right side runs only if a file exists. */
function guardsRight(cmd: GoNode, ctx: Ctx): boolean {
  const x = node(cmd.X);
  return Number(cmd.Op) === ops.and && x !== undefined && fileTest(x, ctx) !== undefined;
}

/** Walks with `file` (when known) added to the guards of the commands met. */
function guarded(file: string | undefined, ctx: Ctx, walk: () => void): void {
  if (file === undefined) return walk();
  const outer = ctx.guards;
  ctx.guards = [...(outer ?? []), file];
  try {
    walk();
  } finally {
    if (outer) ctx.guards = outer;
    else delete ctx.guards;
  }
}

function declClause(cmd: GoNode, ctx: Ctx): void {
  const variant = String(node(cmd.Variant)?.Value ?? '');
  if (variant !== 'export') return;
  for (const a of slice(cmd.Args)) {
    const name = node(a.Name)?.Value;
    if (typeof name !== 'string') continue;
    if (a.Naked) {
      exportVar(name, ctx); // `export NAME` of a variable set before; of one we do not track: nothing known changes
      continue;
    }
    const v = node(a.Value);
    ctx.exported.set(name, { value: v ? wordOf(v, ctx).text : '', loc: locOf(a, ctx) });
    ctx.vars.delete(name);
  }
}

function toRedirect(r: GoNode, ctx: Ctx): Redirect {
  const op = Number(r.Op);
  const w = node(r.Word);
  const target = w ? wordOf(w, ctx) : undefined;
  if (op === ops.hdoc || op === ops.dashHdoc) {
    const hdoc = node(r.Hdoc);
    const out: Redirect = { op: 'heredoc' };
    if (target) out.target = target;
    if (hdoc) {
      const p = posOf(hdoc.Pos().offs, ctx);
      const text = sourceOf(hdoc, ctx);
      const parentMap = ctx.map;
      const baseLine = p.line;
      const baseCol = p.column;
      out.heredoc = {
        text,
        map: (l, c) => parentMap(baseLine + l - 1, l === 1 ? baseCol + c - 1 : c),
      };
    }
    return out;
  }
  const kind = op === ops.out || op === ops.clobber || op === ops.allOut ? 'write' : op === ops.app || op === ops.appAll ? 'append' : 'other';
  const out: Redirect = { op: kind };
  if (target) out.target = target;
  return out;
}

const WRAPPERS_NO_ARG = new Set(['exec', 'nohup', 'time', 'command', 'builtin', 'catatonit']);

function callExpr(cmd: GoNode, redirects: Redirect[], loc: Loc, ctx: Ctx): void {
  const assigns = new Map<string, { value: string | null; loc: Loc }>();
  for (const a of slice(cmd.Assigns)) {
    const name = node(a.Name)?.Value;
    if (typeof name !== 'string') continue;
    const v = node(a.Value);
    assigns.set(name, { value: v ? wordOf(v, ctx).text : '', loc: locOf(a, ctx) });
  }
  const words = slice(cmd.Args).flatMap((w) => wordsOf(w, ctx));
  if (words.length === 0) {
    // `A=1` alone sets a shell variable (not exported): remember its value for later `export A`.
    pushCommand([], assigns, redirects, loc, ctx);
    return;
  }
  pushCommand(words, assigns, redirects, loc, ctx);
}

function pushCommand(
  rawWords: Word[],
  assigns: Map<string, { value: string | null; loc: Loc }>,
  redirects: Redirect[],
  loc: Loc,
  ctx: Ctx,
): void {
  if (rawWords.length === 0) {
    // `NAME=value` alone sets a shell variable for the commands after it (in the environment already when it was
    // exported or came from it); where it may not run, its value is unknown afterwards.
    for (const [name, a] of assigns) {
      const v = ctx.conditional > 0 ? { value: null, loc: a.loc } : a;
      if (ctx.exported.has(name) || ctx.lookup(name) !== undefined) ctx.exported.set(name, v);
      else ctx.vars.set(name, v);
    }
  }
  const { words, exec, dropsTo } = unwrap(rawWords, assigns);
  const command: SimpleCommand = {
    words,
    assigns,
    exported: new Map(ctx.exported),
    exec,
    redirects,
    loc,
    topIndex: ctx.topIndex,
  };
  if (dropsTo !== undefined) command.dropsTo = dropsTo;
  if (ctx.cwd !== undefined) command.cwd = ctx.cwd;
  if (ctx.guards) command.guards = ctx.guards;
  ctx.commands.push(command);
  const first = words[0]?.text;
  if (first === 'cd' || first === 'pushd' || first === 'popd') setCwd(ctx, first === 'popd' ? null : cdTarget(ctx.cwd, words.slice(1)));
  if (ctx.depth >= MAX_NESTING) return;
  // A shell started here (`sh -c`, `bash <<EOF`) starts where this one is, and its `cd` stays its own.
  const cwdBefore = ctx.cwd;
  // `RUN <<EOF` (no command) and `bash <<EOF` run the heredoc body as a script.
  if (words.length === 0 || readsScriptFromStdin(words)) {
    for (const r of redirects) {
      if (!r.heredoc) continue;
      const saved = { map: ctx.map, src: ctx.src, bytes: ctx.bytes, lines: ctx.lines };
      ctx.map = r.heredoc.map;
      ctx.depth++;
      parseInto(r.heredoc.text, ctx);
      ctx.depth--;
      ctx.map = saved.map;
      ctx.src = saved.src;
      ctx.lines = saved.lines;
      if (saved.bytes) ctx.bytes = saved.bytes;
      else delete ctx.bytes;
    }
  }
  const inner = shellDashC(words);
  if (inner) {
    const w = inner;
    // A compose list item says whether it was quoted; a JSON exec-form element or a shell word starts with its quote.
    const quoted = w.quoted ?? /^["']/.test(w.raw);
    const inexact = w.inexact ?? (w.form === 'json' && w.raw.slice(1, -1) !== w.text ? { exactFor: commonPrefix(w.raw.slice(1), w.text ?? ''), reason: JSON_ESCAPES } : undefined);
    const before = ctx.commands.length;
    const indent = w.indent ?? ctx.indent ?? 0;
    const innerMap: PosMap = (l, c) => {
      // The string starts one column after its opening quote; later lines keep their own columns (plus what a YAML
      // literal block took off them).
      const startLine = w.loc.line;
      const startCol = w.loc.column + (quoted ? 1 : 0);
      return l === 1 ? { line: startLine, column: startCol + c - 1 } : { line: startLine + l - 1, column: c + indent };
    };
    const saved = { map: ctx.map, exported: ctx.exported, vars: ctx.vars, src: ctx.src, bytes: ctx.bytes, lines: ctx.lines, indent: ctx.indent };
    ctx.map = innerMap;
    if (indent) ctx.indent = indent;
    ctx.exported = new Map([...ctx.exported, ...assigns]);
    ctx.vars = new Map(); // a new shell: only the environment comes in
    ctx.depth++;
    parseInto(w.text ?? '', ctx);
    if (inexact) markNoEdit(ctx.commands.slice(before), { line: w.loc.line, column: w.loc.column + (quoted ? 1 : 0) }, inexact);
    ctx.depth--;
    ctx.map = saved.map;
    if (saved.indent === undefined) delete ctx.indent;
    else ctx.indent = saved.indent;
    ctx.exported = saved.exported;
    ctx.vars = saved.vars;
    ctx.src = saved.src;
    ctx.lines = saved.lines;
    if (saved.bytes) ctx.bytes = saved.bytes;
    else delete ctx.bytes;
  }
  setCwd(ctx, cwdBefore);
}

function setCwd(ctx: Ctx, cwd: string | null | undefined): void {
  if (cwd === undefined) delete ctx.cwd;
  else ctx.cwd = cwd;
}

/** Where `cd ARGS` goes from `cwd` (see SimpleCommand.cwd). */
function cdTarget(cwd: string | null | undefined, args: readonly Word[]): string | null {
  const rest = args.filter((w, i) => !(i < args.length - 1 && /^-[LPe@]+$/.test(w.text ?? '')));
  const dir = rest[0]?.text;
  if (rest.length !== 1 || dir === null || dir === undefined || dir === '' || dir === '-' || dir.startsWith('~')) return null;
  if (dir.startsWith('/')) return dir;
  if (cwd === null) return null;
  return cwd === undefined ? dir : `${cwd.replace(/\/+$/, '')}/${dir}`;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

function readsScriptFromStdin(words: readonly Word[]): boolean {
  const first = words[0]?.text;
  if (!first || !SHELLS.has(basename(first))) return false;
  return words.slice(1).every((w) => /^[-+][a-z]*$/.test(w.text ?? '') && !/c/.test(w.text ?? ''));
}

/**
 * Splits text into words the way a shell would (quotes removed), without running anything: `undefined` when the
 * text is more than one plain command (operators, redirects, expansions).
 */
export function shellWords(text: string): string[] | undefined {
  const ctx: Ctx = { file: 'words', map: (l, c) => ({ line: l, column: c }), lookup: () => undefined, exported: new Map(), vars: new Map(), conditional: 0, commands: [], topIndex: 0, depth: MAX_NESTING, src: text, lines: new LineIndex(text) };
  const simple = fastPath ? simpleScript(text) : undefined;
  if (simple) {
    const only = simple.commands.length === 1 ? simple.commands[0]! : undefined;
    if (!only || only.export || only.redirects.length || /^[A-Za-z_][A-Za-z0-9_]*=/.test(text.slice(only.words[0]?.start ?? 0, only.words[0]?.end ?? 0))) return undefined;
    const texts = only.words.map((w) => expandParts(w.parts, ctx).text);
    return texts.every((w): w is string => w !== null) ? texts : undefined;
  }
  let f: GoNode;
  const parser = fullParser();
  try {
    f = parser.Parse(text, 'words').__internal_object__;
  } catch {
    return undefined;
  }
  if (/[^\x00-\x7f]/.test(text)) ctx.bytes = Buffer.from(text, 'utf8');
  const stmts = slice(f.Stmts);
  const cmd = stmts.length === 1 ? node(stmts[0]!.Cmd) : undefined;
  if (!cmd || type(cmd) !== 'CallExpr' || slice(stmts[0]!.Redirs).length || slice(cmd.Assigns).length) return undefined;
  const words = slice(cmd.Args).map((w) => wordOf(w, ctx).text);
  return words.every((w): w is string => w !== null) ? words : undefined;
}

/** Commands of an argv given as a list (exec form, compose lists): the argv itself, then any `sh -c` inside it. */
export function parseArgv(words: Word[], file: string, lookup: Lookup): ShellParse {
  const ctx: Ctx = { file, map: (l, c) => ({ line: l, column: c }), lookup, exported: new Map(), vars: new Map(), conditional: 0, commands: [], topIndex: 0, depth: 0, src: '', lines: new LineIndex('') };
  const first = words[0];
  const last = words[words.length - 1];
  const loc: Loc = first && last ? { ...first.loc, endLine: last.loc.endLine, endColumn: last.loc.endColumn } : { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  pushCommand(words, new Map(), [], loc, ctx);
  return { commands: ctx.commands, topCount: 1 };
}

const JSON_ESCAPES = 'the JSON string is written with escapes (`\\"`, `\\\\`, `\\u…`), so a column inside it is not the same column in the file';

/**
 * Words of a script (starting at `start`) from a string whose columns are exact only for its first characters (see
 * Word.inexact): no fix edits at those that end past them.
 */
export function markNoEdit(commands: readonly { words: Word[] }[], start: { line: number; column: number }, inexact: { exactFor: number; reason: string }): void {
  for (const c of commands) {
    for (const w of c.words) {
      if (w.loc.endLine !== start.line || w.loc.line !== start.line || w.loc.endColumn - start.column > inexact.exactFor) w.noEdit ??= inexact.reason;
    }
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** For `sh -c "…"` / `bash -ec '…'`: the word holding the script. */
export function shellDashC(words: readonly Word[]): Word | undefined {
  const first = words[0]?.text;
  if (!first || !SHELLS.has(basename(first))) return undefined;
  for (let i = 1; i < words.length; i++) {
    const t = words[i]!.text ?? '';
    if (t === '-c' || /^-[a-z]*c[a-z]*$/.test(t)) {
      const script = words[i + 1];
      return script && script.text !== null ? script : undefined;
    }
    if (!t.startsWith('-') && !t.startsWith('+')) return undefined; // `sh script.sh`
  }
  return undefined;
}

export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Removes command wrappers that run their arguments as the real command. */
export function unwrap(
  words: Word[],
  assigns: Map<string, { value: string | null; loc: Loc }>,
): { words: Word[]; exec: boolean; dropsTo?: string | null } {
  let i = 0;
  let exec = false;
  let dropsTo: string | null | undefined;
  // Each wrapper consumes at least one word: a chain of any length is unwrapped in one pass.
  while (i < words.length) {
    const name = basename(words[i]!.text ?? '');
    if (WRAPPERS_NO_ARG.has(name)) {
      if (name === 'exec') exec = true;
      i++;
      continue;
    }
    if (name === 'env') {
      i++;
      while (i < words.length) {
        const t = words[i]!.text ?? '';
        if (t === '-i' || t === '--ignore-environment' || t === '-0') i++;
        else if (t === '-u' || t === '--unset') i += 2;
        else if (t === '--') {
          i++;
          break;
        } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) {
          const eq = t.indexOf('=');
          assigns.set(t.slice(0, eq), { value: t.slice(eq + 1), loc: words[i]!.loc });
          i++;
        } else break;
      }
      continue;
    }
    if (name === 'gosu' || name === 'su-exec') {
      dropsTo = words[i + 1]?.text ?? null;
      i += 2;
      continue;
    }
    if (name === 'tini' || name === 'tini-static' || name === 'dumb-init') {
      i++;
      while (i < words.length && (words[i]!.text ?? '').startsWith('-')) {
        const t = words[i]!.text;
        i++;
        if (t === '--') break;
      }
      continue;
    }
    break;
  }
  return { words: words.slice(i), exec, ...(dropsTo !== undefined ? { dropsTo } : {}) };
}

/** A command's word after field splitting (see splitWord). */
function wordsOf(w: GoNode, ctx: Ctx): Word[] {
  const pieces: Piece[] = [];
  const word = wordOf(w, ctx, pieces);
  return splitWord(word, pieces);
}

function wordOf(w: GoNode, ctx: Ctx, pieces?: Piece[]): Word {
  const loc = locOf(w, ctx);
  let text: string | null = '';
  let allArgs = false;
  let quotedNow = false;
  const add = (s: string | null, expansion = false): void => {
    text = text === null || s === null ? null : text + s;
    pieces?.push({ text: s, split: expansion && !quotedNow });
  };
  const visit = (parts: GoNode[], quoted: boolean): void => {
    for (const p of parts) {
      const t = type(p);
      if (t === 'Lit') {
        const v = goString(p.Value, ctx);
        add(quoted ? v.replace(/\\([$`"\\\n])/g, '$1') : v.replace(/\\(.)/gs, '$1'));
      } else if (t === 'SglQuoted') add(goString(p.Value, ctx));
      else if (t === 'DblQuoted') {
        const outer = quotedNow;
        quotedNow = true;
        if (slice(p.Parts).length === 0) add(''); // `""`: an empty quoted part still makes a word
        visit(slice(p.Parts), true);
        quotedNow = outer;
      } else if (t === 'ParamExp') {
        const name = String(node(p.Param)?.Value ?? '');
        if (name === '@' || name === '*') {
          allArgs = true;
          add(null);
          continue;
        }
        add(expandParam(p, name, ctx), true);
      } else add(null); // command substitution, arithmetic, globs: unknown
    }
  };
  visit(slice(w.Parts), false);
  const raw = sourceOf(w, ctx);
  const out: Word = { text, raw, loc };
  if (allArgs) out.allArgs = true;
  return out;
}

function expandParam(p: GoNode, name: string, ctx: Ctx): string | null {
  const exp = node(p.Exp);
  const value = paramValue(name, ctx);
  if (p.Length === true || p.Excl === true || node(p.Slice) || node(p.Repl) || node(p.Index)) return null;
  if (!exp) return value ?? null;
  // The operator is read from the source text (the parser's token numbers are not part of its API): right after
  // the parameter's name, so that a `-` or `+` inside the word (`${A:-x+y}`) or another operator (`${A#x-y}`) is
  // not taken for it.
  const m = /^\$\{(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(:?)([-=+?])/.exec(sourceOf(p, ctx));
  if (!m) return null;
  const ew = node(exp.Word);
  return applyParamOp(value, m[1] === ':', m[2]!, ew ? wordOf(ew, ctx).text : '');
}

/** A parameter's value: exported earlier in the script, else from the image or service environment. */
function paramValue(name: string, ctx: Ctx): string | null | undefined {
  const set = ctx.exported.get(name) ?? ctx.vars.get(name);
  return set ? set.value : (ctx.lookup(name) ?? undefined);
}

/**
 * `${A-d}` / `${A=d}`: d when A is unset; `${A+d}`: d when A is set; with `:` an empty A counts as unset.
 * `value` undefined: unset; null: set to something unknown. `${A?msg}` (fails when unset): unknown.
 */
export function applyParamOp(value: string | null | undefined, colon: boolean, op: string, def: string | null): string | null {
  if (op === '?') return null;
  if (value === null && colon) return null;
  const unset = value === undefined || (colon && value === '');
  if (op === '+') return unset ? '' : def;
  return unset ? def : value;
}

/** A Go string from the tree: GopherJS keeps its UTF-8 bytes one per JS character. */
function goString(v: unknown, ctx: Ctx): string {
  const s = String(v);
  return ctx.bytes ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** Source text of a node, sliced from the snippet it was parsed from. */
function sourceOf(n: GoNode, ctx: Ctx): string {
  const a = n.Pos().offs;
  const b = n.End().offs;
  return ctx.bytes ? ctx.bytes.subarray(a, b).toString('utf8') : ctx.src.slice(a, b);
}
