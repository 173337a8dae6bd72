/**
 * Shell text → simple commands with positioned words, through mvdan/sh (the shfmt parser, compiled to JS).
 * The parser is 1.5 MB: it is loaded once, lazily, by `loadShellParser()` before the first parse.
 */
import type { Loc } from '../types.js';

/* Minimal typings for the parts of mvdan-sh's syntax tree this module reads. */
interface ShPos {
  Line(): number;
  Col(): number;
  Offset(): number;
}
interface ShNode {
  Pos(): ShPos;
  End(): ShPos;
  [field: string]: unknown;
}
interface ShSyntax {
  NewParser(...opts: unknown[]): { Parse(src: string, name: string): ShNode };
  NodeType(n: unknown): string;
  KeepComments(keep: boolean): unknown;
  Variant(v: unknown): unknown;
  LangBash: unknown;
}

let syntax: ShSyntax | undefined;
let parser: { Parse(src: string, name: string): ShNode } | undefined;
const ops = { out: -1, app: -1, hdoc: -1, dashHdoc: -1, clobber: -1, allOut: -1, appAll: -1 };

export async function loadShellParser(): Promise<void> {
  if (parser) return;
  const mod = (await import('mvdan-sh')) as unknown as { default?: { syntax: ShSyntax }; syntax?: ShSyntax };
  const s = (mod.syntax ?? mod.default?.syntax) as ShSyntax;
  syntax = s;
  parser = s.NewParser(s.KeepComments(false), s.Variant(s.LangBash));
  // Learn the redirect operator codes from the parser itself rather than hard-coding Go's token numbers.
  const opOf = (src: string): number => {
    const f = parser!.Parse(src, 'probe');
    const stmt = (f.Stmts as ShNode[])[0]!;
    return Number((stmt.Redirs as ShNode[])[0]!.Op);
  };
  ops.out = opOf('a > b');
  ops.app = opOf('a >> b');
  ops.clobber = opOf('a >| b');
  ops.allOut = opOf('a &> b');
  ops.appAll = opOf('a &>> b');
  ops.hdoc = opOf('a <<E\nE\n');
  ops.dashHdoc = opOf('a <<-E\nE\n');
}

export function shellParserLoaded(): boolean {
  return parser !== undefined;
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
}

export interface ShellParse {
  commands: SimpleCommand[];
  /** Number of top-level statements. */
  topCount: number;
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
  src: string;
  /** Set when `src` has non-ASCII text: the parser's offsets count bytes. */
  bytes?: Buffer;
}

const MAX_NESTING = 8;

/** A PosMap for a snippet whose first character sits at (line, column) of the file and whose later lines keep their columns. */
export function offsetMap(line: number, column: number, lineMap?: number[]): PosMap {
  return (l, c) => {
    const fileLine = lineMap ? (lineMap[l - 1] ?? line + l - 1) : line + l - 1;
    return { line: fileLine, column: l === 1 ? column + c - 1 : c };
  };
}

export function parseShell(text: string, file: string, map: PosMap, lookup: Lookup): ShellParse {
  const ctx: Ctx = { file, map, lookup, exported: new Map(), commands: [], topIndex: 0, depth: 0, src: text };
  return parseInto(text, ctx);
}

function parseInto(text: string, ctx: Ctx): ShellParse {
  if (!parser || !syntax) throw new Error('shell parser not loaded: call loadShellParser() first');
  let f: ShNode;
  ctx.src = text;
  if (/[^\x00-\x7f]/.test(text)) ctx.bytes = Buffer.from(text, 'utf8');
  else delete ctx.bytes;
  try {
    f = parser.Parse(text, ctx.file);
  } catch (e) {
    return { commands: ctx.commands, topCount: 0, error: parseError(e, ctx) };
  }
  const stmts = (f.Stmts as ShNode[] | null) ?? [];
  const outerTop = ctx.topIndex;
  stmts.forEach((s, i) => {
    if (ctx.depth === 0) ctx.topIndex = i;
    walkStmt(s, ctx);
  });
  if (ctx.depth > 0) ctx.topIndex = outerTop;
  return { commands: ctx.commands, topCount: stmts.length };
}

function parseError(e: unknown, ctx: Ctx): { message: string; line: number; column: number } {
  const err = e as { Error?: () => string; Pos?: ShPos; Text?: string };
  let message = 'shell syntax error';
  try {
    if (typeof err.Error === 'function') message = err.Error().replace(/^[^:]*:\d+:\d+: /, '');
    else if (e instanceof Error) message = e.message;
  } catch {
    /* keep the generic message */
  }
  let line = 1;
  let col = 1;
  try {
    if (err.Pos) {
      line = err.Pos.Line() || 1;
      col = err.Pos.Col() || 1;
    }
  } catch {
    /* position unknown */
  }
  const p = ctx.map(line, col);
  return { message, line: p.line, column: p.column };
}

function locOf(n: ShNode, ctx: Ctx): Loc {
  const s = n.Pos();
  const e = n.End();
  const a = ctx.map(s.Line(), s.Col());
  const b = ctx.map(e.Line(), e.Col());
  return { file: ctx.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function type(n: unknown): string {
  return n ? syntax!.NodeType(n) : '';
}

function list(v: unknown): ShNode[] {
  return Array.isArray(v) ? (v as ShNode[]) : [];
}

function walkStmts(v: unknown, ctx: Ctx): void {
  for (const s of list(v)) walkStmt(s, ctx);
}

function walkStmt(stmt: ShNode, ctx: Ctx): void {
  const cmd = stmt.Cmd as ShNode | null;
  const redirects = list(stmt.Redirs).map((r) => toRedirect(r, ctx));
  const t = type(cmd);
  if (!cmd) {
    if (redirects.length) pushCommand([], new Map(), redirects, locOf(stmt, ctx), ctx);
    return;
  }
  switch (t) {
    case 'CallExpr':
      callExpr(cmd, redirects, locOf(stmt, ctx), ctx);
      return;
    case 'BinaryCmd':
      walkStmt(cmd.X as ShNode, ctx);
      walkStmt(cmd.Y as ShNode, ctx);
      return;
    case 'IfClause': {
      let c: ShNode | null = cmd;
      while (c) {
        walkStmts(c.Cond, ctx);
        walkStmts(c.Then, ctx);
        c = (c.Else as ShNode | null) ?? null;
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
      for (const item of list(cmd.Items)) walkStmts(item.Stmts, ctx);
      return;
    case 'Block':
    case 'Subshell':
      walkStmts(cmd.Stmts, ctx);
      return;
    case 'FuncDecl':
      if (cmd.Body) walkStmt(cmd.Body as ShNode, ctx);
      return;
    case 'TimeClause':
    case 'CoprocClause':
      if (cmd.Stmt) walkStmt(cmd.Stmt as ShNode, ctx);
      return;
    case 'DeclClause':
      declClause(cmd, ctx);
      return;
    default:
      return;
  }
}

function declClause(cmd: ShNode, ctx: Ctx): void {
  const variant = String((cmd.Variant as ShNode | null)?.Value ?? '');
  if (variant !== 'export') return;
  for (const a of list(cmd.Args)) {
    const name = (a.Name as ShNode | null)?.Value;
    if (typeof name !== 'string') continue;
    if (a.Naked) continue; // `export NAME` of a shell variable we do not track: leave as is
    const w = a.Value ? wordOf(a.Value as ShNode, ctx) : null;
    ctx.exported.set(name, { value: w ? w.text : '', loc: locOf(a, ctx) });
  }
}

function toRedirect(r: ShNode, ctx: Ctx): Redirect {
  const op = Number(r.Op);
  const target = r.Word ? wordOf(r.Word as ShNode, ctx) : undefined;
  if (op === ops.hdoc || op === ops.dashHdoc) {
    const hdoc = r.Hdoc as ShNode | null;
    const out: Redirect = { op: 'heredoc' };
    if (target) out.target = target;
    if (hdoc) {
      const p = hdoc.Pos();
      const text = sourceOf(hdoc, ctx);
      const parentMap = ctx.map;
      const baseLine = p.Line();
      const baseCol = p.Col();
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

function callExpr(cmd: ShNode, redirects: Redirect[], loc: Loc, ctx: Ctx): void {
  const assigns = new Map<string, { value: string | null; loc: Loc }>();
  for (const a of list(cmd.Assigns)) {
    const name = (a.Name as ShNode | null)?.Value;
    if (typeof name !== 'string') continue;
    const w = a.Value ? wordOf(a.Value as ShNode, ctx) : null;
    assigns.set(name, { value: w ? w.text : '', loc: locOf(a, ctx) });
  }
  const words = list(cmd.Args).map((w) => wordOf(w, ctx));
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
  const { words, exec } = unwrap(rawWords, assigns);
  const command: SimpleCommand = {
    words,
    assigns,
    exported: new Map(ctx.exported),
    exec,
    redirects,
    loc,
    topIndex: ctx.topIndex,
  };
  ctx.commands.push(command);
  if (ctx.depth >= MAX_NESTING) return;
  // `RUN <<EOF` (no command) and `bash <<EOF` run the heredoc body as a script.
  if (words.length === 0 || readsScriptFromStdin(words)) {
    for (const r of redirects) {
      if (!r.heredoc) continue;
      const saved = { map: ctx.map, src: ctx.src, bytes: ctx.bytes };
      ctx.map = r.heredoc.map;
      ctx.depth++;
      parseInto(r.heredoc.text, ctx);
      ctx.depth--;
      ctx.map = saved.map;
      ctx.src = saved.src;
      if (saved.bytes) ctx.bytes = saved.bytes;
      else delete ctx.bytes;
    }
  }
  const inner = shellDashC(words);
  if (inner) {
    const w = inner;
    const quoted = /^["']/.test(w.raw);
    const innerMap: PosMap = (l, c) => {
      // The string starts one column after its opening quote; later lines keep their own columns.
      const startLine = w.loc.line;
      const startCol = w.loc.column + (quoted ? 1 : 0);
      return l === 1 ? { line: startLine, column: startCol + c - 1 } : { line: startLine + l - 1, column: c };
    };
    const saved = { map: ctx.map, exported: ctx.exported, src: ctx.src, bytes: ctx.bytes };
    ctx.map = innerMap;
    ctx.exported = new Map([...ctx.exported, ...assigns]);
    ctx.depth++;
    parseInto(w.text ?? '', ctx);
    ctx.depth--;
    ctx.map = saved.map;
    ctx.exported = saved.exported;
    ctx.src = saved.src;
    if (saved.bytes) ctx.bytes = saved.bytes;
    else delete ctx.bytes;
  }
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

function readsScriptFromStdin(words: readonly Word[]): boolean {
  const first = words[0]?.text;
  if (!first || !SHELLS.has(basename(first))) return false;
  return words.slice(1).every((w) => /^[-+][a-z]*$/.test(w.text ?? '') && !/c/.test(w.text ?? ''));
}

/** Commands of an argv given as a list (exec form, compose lists): the argv itself, then any `sh -c` inside it. */
export function parseArgv(words: Word[], file: string, lookup: Lookup): ShellParse {
  const ctx: Ctx = { file, map: (l, c) => ({ line: l, column: c }), lookup, exported: new Map(), commands: [], topIndex: 0, depth: 0, src: '' };
  const first = words[0];
  const last = words[words.length - 1];
  const loc: Loc = first && last ? { ...first.loc, endLine: last.loc.endLine, endColumn: last.loc.endColumn } : { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  pushCommand(words, new Map(), [], loc, ctx);
  return { commands: ctx.commands, topCount: 1 };
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
): { words: Word[]; exec: boolean } {
  let i = 0;
  let exec = false;
  for (let guard = 0; guard < 16 && i < words.length; guard++) {
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
  return { words: words.slice(i), exec };
}

function wordOf(w: ShNode, ctx: Ctx): Word {
  const loc = locOf(w, ctx);
  let text: string | null = '';
  let allArgs = false;
  const add = (s: string | null): void => {
    text = text === null || s === null ? null : text + s;
  };
  const visit = (parts: ShNode[], quoted: boolean): void => {
    for (const p of parts) {
      const t = type(p);
      if (t === 'Lit') {
        const v = String(p.Value);
        add(quoted ? v.replace(/\\([$`"\\\n])/g, '$1') : v.replace(/\\(.)/gs, '$1'));
      } else if (t === 'SglQuoted') add(String(p.Value));
      else if (t === 'DblQuoted') visit(list(p.Parts), true);
      else if (t === 'ParamExp') {
        const name = String((p.Param as ShNode | null)?.Value ?? '');
        if (name === '@' || name === '*') {
          allArgs = true;
          add(null);
          continue;
        }
        add(expandParam(p, name, ctx));
      } else add(null); // command substitution, arithmetic, globs: unknown
    }
  };
  visit(list(w.Parts), false);
  const raw = sourceOf(w, ctx);
  const out: Word = { text, raw, loc };
  if (allArgs) out.allArgs = true;
  return out;
}

function expandParam(p: ShNode, name: string, ctx: Ctx): string | null {
  const exp = p.Exp as ShNode | null;
  const exported = ctx.exported.get(name);
  const value = exported ? exported.value : (ctx.lookup(name) ?? undefined);
  if (p.Length || p.Excl || p.Slice || p.Repl || p.Index) return null;
  if (!exp) return value ?? null;
  const def = exp.Word ? wordOf(exp.Word as ShNode, ctx).text : '';
  // `${A:-d}` `${A-d}`: default; `${A:=d}`: assign default; `${A:+x}`: alternate. The operator is read from the
  // source text: the parser's token numbers are not part of its API.
  const src = sourceOf(p, ctx);
  if (/^\$\{[^}]*?:?[-=]/.test(src) && !/^\$\{[^}]*?:?\+/.test(src)) return value !== undefined && value !== '' ? value : def;
  if (/^\$\{[^}]*?:?\+/.test(src)) return value !== undefined && value !== '' ? def : '';
  return null;
}

/** Source text of a node, sliced from the snippet it was parsed from. */
function sourceOf(n: ShNode, ctx: Ctx): string {
  const a = n.Pos().Offset();
  const b = n.End().Offset();
  return ctx.bytes ? ctx.bytes.subarray(a, b).toString('utf8') : ctx.src.slice(a, b);
}
