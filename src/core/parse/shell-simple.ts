/**
 * The shell fast path: the common shape of Dockerfile RUN text and entrypoint scripts, split without mvdan-sh.
 *
 * mvdan-sh is the full parser (GopherJS, ~0.1 ms per snippet warm, much more cold), and most snippets are simple:
 * commands joined by `&&`, `||`, `|`, `;` and newlines, quoted words, `$NAME` / `${NAME:-word}` / `"$@"` /
 * `$(plain command)`, plain redirects, comments, `export NAME=value`, and `if … then … elif … else … fi`. Text in
 * that subset is split here into the simple commands (in source order, with their top-level statement) that the
 * full parser's walk would produce; anything else (other expansions and redirects, heredocs, other compound
 * commands, escapes, other declarations, syntax errors) returns undefined and goes to mvdan-sh.
 * `__tests__/core/shell-fast.ts` checks, on random snippets of this subset and around it, that both paths give the
 * same commands, words, positions and values.
 */

/**
 * A piece of a word: literal text; a parameter (`$NAME`, `${NAME}`, `$@`, `$*`, `${NAME:-word}` and the `-` `=` `+`
 * forms with a literal word); or a command substitution `$(…)` of plain words (its value is unknown).
 */
export type SimplePart = string | { param: string; colon?: boolean; op?: string; word?: string; quoted?: true } | { subst: true };

export interface SimpleWord {
  start: number;
  end: number;
  parts: SimplePart[];
}

/** A redirect of the kinds the walk distinguishes (heredocs and process substitution go to the full parser). */
export interface SimpleRedirect {
  op: 'write' | 'append' | 'other';
  target: SimpleWord;
}

export interface SimpleCommand {
  /** `export NAME=value …`: no command; the words are the assignments (or names) it exports. */
  export?: boolean;
  words: SimpleWord[];
  redirects: SimpleRedirect[];
  /** Index of the top-level statement. */
  top: number;
  /**
   * It may not run, or runs in a subshell: not the first command of its and-or list, piped, or inside an `if` (as
   * the full parser's walk counts it; what it sets is unknown afterwards).
   */
  cond?: true;
  /** Extent of the command's statement: its first word or redirect to its last (mvdan-sh counts a `;` that ends a lone command). */
  start: number;
  end: number;
}

export interface SimpleScript {
  commands: SimpleCommand[];
  topCount: number;
}

/** Literal characters in an unquoted word (a table by character code). */
const LIT = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=,@%+*?~#[]-') LIT[ch.charCodeAt(0)] = 1;
const isLit = (code: number): boolean => code < 128 && LIT[code] === 1;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Reserved words (and mvdan-sh's declaration builtins) in command position that the fast path does not take. */
const OTHER_KEYWORDS = new Set(['do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in', 'select', 'function', 'time', 'coproc', 'export', 'declare', 'local', 'readonly', 'typeset', 'nameref', 'let', '[[', ']]', '{', '}', '!']);

const IF_KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'fi']);
/** An argument of `export` the fast path takes: `NAME=value` (value unquoted or quoted) or a bare `NAME`. */
const EXPORT_ARG = /^[A-Za-z_][A-Za-z0-9_]*(?:=|$)/;


/** A list being read: the top level, or the condition / branch of an `if`. */
interface Frame {
  kind: 'top' | 'cond' | 'then' | 'else';
  /** Members (commands and compounds) of this list so far. */
  members: number;
  /** Simple commands of the current and-or list, and whether it holds a compound. */
  group: SimpleCommand[];
  groupCompound: boolean;
}

export function simpleScript(text: string): SimpleScript | undefined {
  const commands: SimpleCommand[] = [];
  const frames: Frame[] = [{ kind: 'top', members: 0, group: [], groupCompound: false }];
  let top = 0;
  let topCount = 0;
  let cmd: SimpleWord[] = [];
  let redirects: SimpleRedirect[] = [];
  /** Where the command being read starts, and where its last word or redirect ends. */
  let cmdStart = -1;
  let cmdEnd = -1;
  /** The and-or list being read has a pipe: every command of it runs in a subshell (mvdan-sh nests `a && b | c` as `a && (b | c)`: see below). */
  let groupPiped = false;
  /** After `&&`, `||` or `|` a command must follow (newlines allowed before it). */
  let needCommand = false;
  /** Every word of the command so far is an assignment (`A=1 B=2 …`): the next word is in command position. */
  let onlyAssignments = true;
  /** The command being read is `export …`. */
  let exporting = false;
  /** Right after `fi`: only an operator, a separator or a comment may follow. */
  let afterCompound = false;
  const n = text.length;
  let i = 0;
  const frame = (): Frame => frames[frames.length - 1]!;

  /** Ends the command being read (if any); false when there was none. */
  const endCommand = (piped = false): boolean => {
    if (cmdStart < 0) return false;
    const c: SimpleCommand = { words: cmd, redirects, top, start: cmdStart, end: cmdEnd };
    if (exporting) c.export = true;
    if (piped || frames.length > 1 || frame().group.length > 0 || frame().groupCompound || groupPiped) c.cond = true;
    exporting = false;
    commands.push(c);
    frame().group.push(c);
    cmd = [];
    redirects = [];
    cmdStart = -1;
    onlyAssignments = true;
    return true;
  };
  /** A command has begun (a word or a redirect). */
  const begun = (): boolean => cmdStart >= 0;
  /** Ends the current and-or list at a separator; `semicolon` is its offset when it is a `;`. */
  const endGroup = (semicolon?: number): void => {
    const f = frame();
    if (semicolon !== undefined && f.group.length === 1 && !f.groupCompound) f.group[0]!.end = semicolon + 1;
    if (f.group.length || f.groupCompound) {
      f.members++;
      if (frames.length === 1) {
        topCount++;
        top = topCount;
      }
    }
    f.group = [];
    f.groupCompound = false;
    groupPiped = false;
  };

  /** A redirect whose operator is at `i` (its statement extent starts at `start`, the fd number if any). */
  const takeRedirect = (start: number): boolean => {
    const r = exporting ? undefined : readRedirect(text, i); // `export A=1 > f`: the full parser
    if (!r) return false;
    if (cmdStart < 0) cmdStart = start;
    cmdEnd = r.target.end;
    redirects.push(r);
    needCommand = false;
    i = r.target.end;
    return true;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\') {
      // Only a line continuation between words: `a \<newline> b`.
      if (text[i + 1] !== '\n' || (i > 0 && !/[ \t\n]/.test(text[i - 1]!))) return undefined;
      i += 2;
      continue;
    }
    if (c === '#') {
      // A comment (a `#` inside a word is literal and read with the word).
      const nl = text.indexOf('\n', i);
      if (nl > 0 && text[nl - 1] === '\\') return undefined; // mvdan-sh continues a comment ending in `\`
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '\n' || c === ';') {
      if (needCommand) {
        if (c === ';') return undefined;
        i++;
        continue;
      }
      const next = text[i + 1];
      if (c === ';' && ((!begun() && !afterCompound) || next === ';' || next === '&' || next === '|')) return undefined;
      const ended = endCommand();
      if (ended || afterCompound) endGroup(c === ';' ? i : undefined);
      afterCompound = false;
      i++;
      continue;
    }
    if ((c === '<' || c === '>' || (c === '&' && text[i + 1] === '>')) && !afterCompound) {
      if (!takeRedirect(i)) return undefined;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = text[i + 1] === c;
      if ((c === '&' && !two) || (!begun() && !afterCompound) || needCommand) return undefined;
      if (c === '|' && text[i + 1] === '&') return undefined;
      if (c === '|' && !two) groupPiped = true;
      endCommand(c === '|' && !two);
      needCommand = true;
      afterCompound = false;
      i += two ? 2 : 1;
      continue;
    }
    if (afterCompound) return undefined;
    const word = readWord(text, i);
    if (!word) return undefined;
    const raw = text.slice(word.start, word.end);
    i = word.end;
    if (/^[0-9]+$/.test(raw) && (text[i] === '<' || text[i] === '>')) {
      // `2>file`, `2>&1`: the number is the redirect's file descriptor, not a word.
      if (!takeRedirect(word.start)) return undefined;
      continue;
    }
    if (redirects.length && cmd.length === 0 && (OTHER_KEYWORDS.has(raw) || IF_KEYWORDS.has(raw))) return undefined;
    if (onlyAssignments) {
      // Command position (only assignments before it).
      if (/^[A-Za-z_][A-Za-z0-9_]*(\+=|\[)/.test(raw)) return undefined; // `A+=x`, `a[1]=x`
      if (/^[^'"$=]+=/.test(raw) && !ASSIGNMENT.test(raw)) return undefined; // mvdan-sh reads `@=x` as an assignment
      if (cmd.length === 0 && redirects.length === 0 && raw === 'export') {
        exporting = true;
        onlyAssignments = false;
        cmdStart = word.start;
        cmdEnd = word.end;
        needCommand = false;
        continue;
      }
      if (cmd.length === 0 && redirects.length === 0) {
        const f = frame();
        if (raw === 'if') {
          f.groupCompound = true;
          frames.push({ kind: 'cond', members: 0, group: [], groupCompound: false });
          needCommand = false;
          continue;
        }
        if (raw === 'then' || raw === 'elif' || raw === 'else' || raw === 'fi') {
          if (needCommand || f.group.length || f.groupCompound || f.members === 0) return undefined;
          if (raw === 'then' && f.kind === 'cond') f.kind = 'then';
          else if (raw === 'elif' && f.kind === 'then') f.kind = 'cond';
          else if (raw === 'else' && f.kind === 'then') f.kind = 'else';
          else if (raw === 'fi' && (f.kind === 'then' || f.kind === 'else')) {
            frames.pop();
            afterCompound = true;
            continue;
          } else return undefined;
          f.members = 0;
          continue;
        }
      }
      if (OTHER_KEYWORDS.has(raw) || IF_KEYWORDS.has(raw)) return undefined;
    }
    if (exporting && !EXPORT_ARG.test(raw)) return undefined;
    cmd.push(word);
    if (onlyAssignments && !ASSIGNMENT.test(raw)) onlyAssignments = false;
    if (cmdStart < 0) cmdStart = word.start;
    cmdEnd = Math.max(cmdEnd, word.end);
    needCommand = false;
  }
  if (needCommand || frames.length > 1) return undefined;
  if (endCommand() || afterCompound) endGroup();
  return { commands, topCount };
}

/** Redirect operators the fast path takes, longest first, with the kind the walk gives them. */
const REDIRECT_OPS: [string, SimpleRedirect['op']][] = [
  ['&>>', 'append'],
  ['&>', 'write'],
  ['>>', 'append'],
  ['>&', 'other'],
  ['<&', 'other'],
  ['>|', 'write'],
  ['<>', 'other'],
  ['>', 'write'],
  ['<', 'other'],
];

/** A redirect whose operator starts at `i` (after any file-descriptor number), then blanks, then its target word. */
function readRedirect(text: string, i: number): SimpleRedirect | undefined {
  if (text.startsWith('<<', i) || text.startsWith('<(', i) || text.startsWith('>(', i)) return undefined; // heredocs, process substitution
  const found = REDIRECT_OPS.find(([op]) => text.startsWith(op, i));
  if (!found) return undefined;
  let j = i + found[0].length;
  while (text[j] === ' ' || text[j] === '\t') j++;
  const c = text[j];
  if (c === undefined || c === '<' || c === '>' || c === '&' || c === '|' || c === ';' || c === '\n' || c === '#') return undefined;
  const target = readWord(text, j);
  if (!target || text[target.end] === '<' || text[target.end] === '>') return undefined; // `> 3<&0`: not a plain target
  return { op: found[1], target };
}

/** One word from `start`: literal characters, quoted runs and parameters, up to a blank or an operator. */
function readWord(text: string, start: number): SimpleWord | undefined {
  const parts: SimplePart[] = [];
  const lit = (s: string): void => {
    const last = parts[parts.length - 1];
    if (typeof last === 'string') parts[parts.length - 1] = last + s;
    else parts.push(s);
  };
  const n = text.length;
  let i = start;
  /** Whether the last thing read was an unquoted literal character (mvdan-sh starts a comment at `#` otherwise). */
  let afterLit = false;
  while (i < n) {
    const d = text[i]!;
    if (d === '#' && !afterLit) return undefined;
    afterLit = false;
    if (d === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      lit(text.slice(i + 1, close));
      i = close + 1;
    } else if (d === '"') {
      i++;
      let run = i;
      for (;;) {
        if (i >= n) return undefined;
        const e = text[i]!;
        if (e === '"') break;
        if (e === '\\' || e === '`') return undefined;
        if (e === '$') {
          const p = readParam(text, i);
          if (!p) return undefined;
          if (i > run) lit(text.slice(run, i));
          const part = p.part;
          parts.push(typeof part === 'object' && 'param' in part ? { ...part, quoted: true } : part);
          i = p.end;
          run = i;
          continue;
        }
        i++;
      }
      // `""` is an empty quoted part: it still makes a word.
      lit(text.slice(run, i));
      i++;
    } else if (d === '$') {
      const p = readParam(text, i);
      if (!p) return undefined;
      parts.push(p.part);
      i = p.end;
    } else if (d === '{' || d === '}') {
      return undefined; // brace expansion and groups
    } else if (isLit(d.charCodeAt(0))) {
      // A run of literal characters (a `#` after the first is literal too).
      let j = i + 1;
      while (j < n && isLit(text.charCodeAt(j))) j++;
      lit(text.slice(i, j));
      afterLit = true;
      i = j;
    } else break;
  }
  if (i < n && text[i] === '\\') return undefined; // `a\<newline>b` joins words; other escapes
  return i > start ? { start, end: i, parts } : undefined;
}

/** Characters of a `${NAME:-word}` word and of a `$(…)` command the fast path takes. */
const PARAM_WORD = /[A-Za-z0-9_./:=,@%+*?~-]/;
const SUBST_TEXT = /[A-Za-z0-9_./:=,@%+ -]/;

/** A parameter or command substitution at `i` (the `$`); other expansions are for the full parser. */
function readParam(text: string, i: number): { part: SimplePart; end: number } | undefined {
  const c = text[i + 1];
  if (c === '@' || c === '*') return { part: { param: c }, end: i + 2 };
  if (c === '(') {
    if (text[i + 2] === '(') return undefined; // arithmetic
    let j = i + 2;
    while (j < text.length && SUBST_TEXT.test(text[j]!)) j++;
    return text[j] === ')' ? { part: { subst: true }, end: j + 1 } : undefined;
  }
  if (c === '{') {
    let j = i + 2;
    if (!NAME_START.test(text[j] ?? '')) return undefined;
    while (NAME_CHAR.test(text[j] ?? '')) j++;
    const name = text.slice(i + 2, j);
    if (text[j] === '}') return { part: { param: name }, end: j + 1 };
    const colon = text[j] === ':';
    if (colon) j++;
    const op = text[j];
    if (op !== '-' && op !== '=' && op !== '+') return undefined;
    const wordStart = ++j;
    while (j < text.length && PARAM_WORD.test(text[j]!)) j++;
    if (text[j] !== '}') return undefined;
    return { part: { param: name, colon, op, word: text.slice(wordStart, j) }, end: j + 1 };
  }
  if (!c || !NAME_START.test(c)) return undefined;
  let j = i + 1;
  while (NAME_CHAR.test(text[j] ?? '')) j++;
  return { part: { param: text.slice(i + 1, j) }, end: j };
}
