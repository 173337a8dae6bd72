/**
 * The Dockerfile fast path: what dockerfile-ast answers about a Dockerfile, for the questions the model asks, without
 * its eager work.
 *
 * dockerfile-ast builds every instruction eagerly (JSON-form instructions split their arguments in the constructor),
 * recomputes the arguments at every call, and converts between offsets and validated line/character objects at every
 * step: ~0.3 ms per Dockerfile, most of a 1,000-service run's parse time. This file reads the same instruction
 * boundaries, arguments, flags, JSON strings, ENV/ARG properties and FROM parts with dockerfile-ast's own algorithms
 * (ported below, on offsets, computed on first use and kept), for files without the features it does not port:
 * carriage returns, a byte-order mark, heredocs (any `<<`) and the `escape` parser directive. Those files return
 * undefined and go to dockerfile-ast. `__tests__/core/dockerfile-fast.ts` checks, on random Dockerfiles, that both
 * give the same answers to every question the model asks.
 *
 * Text here never holds `\r`, so most of dockerfile-ast's `\r` branches are left out.
 *
 * The algorithms are adapted from dockerfile-ast 0.7.1 (parser.js, instruction.js, modifiableInstruction.js,
 * jsonInstruction.js, propertyInstruction.js, property.js, instructions/from.js, util.js):
 * Copyright (c) Remy Suen, MIT License (https://github.com/rcjsuen/dockerfile-ast/blob/master/LICENSE).
 */

export interface Pos {
  line: number;
  character: number;
}
export interface Rng {
  start: Pos;
  end: Pos;
}

/** The escape character: files with an `escape` directive go to dockerfile-ast. */
const ESC = '\\';

/** Offsets → positions, as vscode-languageserver-textdocument computes them for text without `\r`. */
class Doc {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    let i = text.indexOf('\n');
    while (i >= 0) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }
  pos(offset: number): Pos {
    const o = offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
    const s = this.starts;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid]! > o) hi = mid;
      else lo = mid + 1;
    }
    return { line: lo - 1, character: o - s[lo - 1]! };
  }
  range(start: number, end: number): Rng {
    return { start: this.pos(start), end: this.pos(end) };
  }
  /** Offset of the start of the line holding `offset`. */
  lineStart(offset: number): number {
    return offset - this.pos(offset).character;
  }
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/**
 * A value built character by character, as dockerfile-ast builds its argument values, kept as substrings of runs of
 * neighbouring characters: most values are one run, so one substring instead of a string per character.
 */
class Chars {
  private done = '';
  private start = -1;
  private end = -1;
  constructor(private readonly src: string) {}
  /** Appends `src[i]`. */
  add(i: number): void {
    if (this.start !== -1 && this.end === i) {
      this.end = i + 1;
      return;
    }
    this.flush();
    this.start = i;
    this.end = i + 1;
  }
  /** The value so far; starts a new one. */
  take(): string {
    this.flush();
    const s = this.done;
    this.done = '';
    return s;
  }
  private flush(): void {
    if (this.start === -1) return;
    this.done += this.src.substring(this.start, this.end);
    this.start = -1;
  }
}

/** An argument: its value and its extent in the file (offsets; the range on demand). */
export class FastArgument {
  private r: Rng | undefined;
  constructor(
    private readonly doc: Doc,
    readonly value: string,
    readonly start: number,
    readonly end: number,
  ) {}
  getValue(): string {
    return this.value;
  }
  getRange(): Rng {
    return (this.r ??= this.doc.range(this.start, this.end));
  }
}

export class FastJsonString extends FastArgument {
  getJSONValue(): string {
    return this.value.substring(1, this.value.length - 1);
  }
}

export class FastFlag {
  constructor(
    private readonly name: string,
    private readonly value: string | null,
    private readonly valueRange: Rng | null,
  ) {}
  getName(): string {
    return this.name;
  }
  getValue(): string | null {
    return this.value;
  }
  getValueRange(): Rng | null {
    return this.valueRange;
  }
}

export class FastProperty {
  private readonly name: string;
  private readonly value: string | null = null;
  private readonly range: Rng;
  constructor(doc: Doc, arg: FastArgument, arg2?: FastArgument) {
    const text = doc.text;
    const nameEnd = nameEndOf(arg);
    this.name = propertyValue(text.substring(arg.start, nameEnd));
    if (arg2) {
      this.value = propertyValue(text.substring(arg2.start, arg2.end));
      this.range = doc.range(arg.start, arg2.end);
    } else {
      if (nameEnd !== arg.end) this.value = propertyValue(text.substring(arg.start + arg.value.indexOf('=') + 1, arg.end));
      this.range = arg.getRange();
    }
  }
  getName(): string {
    return this.name;
  }
  getValue(): string | null {
    return this.value;
  }
  getRange(): Rng {
    return this.range;
  }
}

/** Property.getNameRange: up to the `=` unless the name is quoted oddly; the whole argument when there is none. */
function nameEndOf(arg: FastArgument): number {
  const value = arg.value;
  const index = value.indexOf('=');
  if (index !== -1) {
    const initial = value.charAt(0);
    const before = value.charAt(index - 1);
    if ((initial === '"' && before === '"') || (initial === "'" && before === "'") || (initial !== '"' && initial !== "'")) return arg.start + index;
  }
  return arg.end;
}

type Stop = (value: string) => boolean;
const stopAtNonFlag: Stop = (v) => v.indexOf('--') === -1;
const stopAlways: Stop = () => true;
const stopHealthcheck: Stop = (v) => {
  const u = v.toUpperCase();
  return u === 'CMD' || u === 'NONE';
};
/** dockerfile-ast's class per keyword: which take flags (and where the flags stop), which read a JSON array. */
const FLAG_STOP: Record<string, Stop> = {
  FROM: stopAtNonFlag,
  RUN: stopAtNonFlag,
  COPY: stopAtNonFlag,
  ADD: stopAtNonFlag,
  HEALTHCHECK: stopHealthcheck,
  CMD: stopAlways,
  ENTRYPOINT: stopAlways,
  SHELL: stopAlways,
  VOLUME: stopAlways,
};
const JSON_KEYWORDS = new Set(['ADD', 'CMD', 'COPY', 'ENTRYPOINT', 'RUN', 'SHELL', 'VOLUME']);

export class FastInstruction {
  private readonly keyword: string;
  private rangeCache: Rng | undefined;
  private raw: FastArgument[] | undefined;
  private args: FastArgument[] | undefined;
  private flags: FastFlag[] | undefined;
  private json: FastJsonString[] | undefined;
  private props: FastProperty[] | undefined;

  constructor(
    private readonly doc: Doc,
    private readonly instruction: string,
    private readonly start: number,
    private readonly instructionEnd: number,
    private readonly end: number,
  ) {
    this.keyword = instruction.toUpperCase();
  }

  getKeyword(): string {
    return this.keyword;
  }
  getInstruction(): string {
    return this.instruction;
  }
  getRange(): Rng {
    return (this.rangeCache ??= this.doc.range(this.start, this.end));
  }
  getInstructionRange(): Rng {
    return this.doc.range(this.start, this.instructionEnd);
  }
  /** Never any: files with `<<` go to dockerfile-ast. */
  getHeredocs(): never[] {
    return [];
  }

  /** Instruction.getRawArguments: whitespace-separated words, escaped newlines and the comments after them dropped. */
  private rawArguments(): FastArgument[] {
    if (this.raw) return this.raw;
    const doc = this.doc;
    const args: FastArgument[] = [];
    const fullArgs = doc.text.substring(this.instructionEnd, this.end);
    const offset = this.instructionEnd;
    let start = false;
    let comment = false;
    let found = -1;
    let escapedWhitespaceDetected = false;
    let escaping = false;
    let escapeMarker = -1;
    const value = new Chars(fullArgs);
    for (let i = 0; i < fullArgs.length; i++) {
      const char = fullArgs.charAt(i);
      if (isWhitespace(char)) {
        if (escaping) {
          escapedWhitespaceDetected = true;
          if (char === '\r' || char === '\n') {
            escapedWhitespaceDetected = false;
            if (comment) {
              comment = false;
              start = true;
            }
          }
          continue;
        } else if (found !== -1) {
          args.push(new FastArgument(doc, value.take(), offset + found, offset + (escapeMarker === -1 ? i : escapeMarker)));
          escapeMarker = -1;
          found = -1;
        }
      } else if (char === ESC) {
        const next = fullArgs.charAt(i + 1);
        const esc = escapeAt(fullArgs, i);
        if (esc.newline !== -1) {
          // An escaped line break (directly, or after blanks): the argument goes on after it.
          comment = false;
          escaping = true;
          start = true;
          if (found !== -1 && (esc.blanks || escapeMarker === -1)) escapeMarker = i;
          i = esc.newline;
        } else if (esc.blanks) {
          // An escaped blank: (sic) the argument ends at the escape.
          if (esc.stop < fullArgs.length) {
            escapeMarker = i;
            if (found === -1) i = esc.stop - 1;
          }
        } else {
          if (escapedWhitespaceDetected && escapeMarker !== -1) {
            args.push(new FastArgument(doc, value.take(), offset + found, offset + escapeMarker));
            found = -1;
          }
          escapeMarker = -1;
          escapedWhitespaceDetected = false;
          escaping = false;
          if (next === '$') {
            value.add(i);
            value.add(i + 1);
          } else if (next === '') break;
          else value.add(i + 1);
          if (found === -1) found = i;
          i++;
        }
      } else if (!comment) {
        if (start && char === '#') {
          comment = true;
        } else {
          if (escapedWhitespaceDetected && escapeMarker !== -1) {
            args.push(new FastArgument(doc, value.take(), offset + found, offset + escapeMarker));
            found = -1;
          }
          escapedWhitespaceDetected = false;
          escaping = false;
          escapeMarker = -1;
          value.add(i);
          if (found === -1) found = i;
        }
        start = false;
      }
    }
    if (found !== -1) {
      args.push(new FastArgument(doc, value.take(), offset + found, offset + (escapeMarker === -1 ? fullArgs.length : escapeMarker)));
    }
    return (this.raw = args);
  }

  /** Every argument, flags included (dockerfile-ast's Instruction.getArguments). */
  getAllArguments(): FastArgument[] {
    return this.rawArguments();
  }

  /** The arguments after the flags (for the instructions that take flags). */
  getArguments(): FastArgument[] {
    if (this.args) return this.args;
    const raw = this.rawArguments();
    const n = this.getFlags().length;
    return (this.args = n === 0 ? raw : raw.slice(n));
  }

  /** ModifiableInstruction.getFlags: leading `--name[=value]` arguments (where dockerfile-ast stops looking varies). */
  getFlags(): FastFlag[] {
    if (this.flags) return this.flags;
    const flags: FastFlag[] = [];
    this.flags = flags;
    const stop = FLAG_STOP[this.keyword];
    if (!stop) return flags;
    const doc = this.doc;
    for (const arg of this.rawArguments()) {
      const value = arg.value;
      if (stop(value)) return flags;
      if (value.indexOf('--') !== 0) continue;
      const rawValue = doc.text.substring(arg.start, arg.end);
      const nameIndex = value.indexOf('=');
      const index = rawValue.indexOf('=');
      if (index === -1) flags.push(new FastFlag(value.substring(2), null, null));
      else if (index === value.length - 1) flags.push(new FastFlag(value.substring(2, index), '', { start: arg.getRange().end, end: arg.getRange().end }));
      else flags.push(new FastFlag(value.substring(2, nameIndex), value.substring(nameIndex + 1), doc.range(arg.start + index + 1, arg.end)));
    }
    return flags;
  }

  getArgumentsRange(): Rng | null {
    const args = this.getArguments();
    if (args.length === 0) return null;
    return { start: args[0]!.getRange().start, end: args[args.length - 1]!.getRange().end };
  }

  /** Instruction.getArgumentsContent: the arguments' text, line by line, without escaped newlines and comments. */
  getArgumentsContent(): string | null {
    const args = this.getArguments();
    if (args.length === 0) return null;
    const doc = this.doc;
    const text = doc.text;
    const first = args[0]!;
    const last = args[args.length - 1]!;
    if (first.getRange().start.line === last.getRange().end.line) return text.substring(first.start, last.end);
    // Instruction.getArgumentsRanges, on offsets: a range runs from a line's start (or the first argument) to the
    // last character before an escaped newline.
    const ranges: [number, number][] = [];
    const offset = first.start;
    const fullArgs = text.substring(offset, last.end);
    let startAt: number | null = offset;
    let end = -1;
    let comment = false;
    for (let i = 0; i < fullArgs.length; i++) {
      const char = fullArgs.charAt(i);
      if (char === ESC) {
        const esc = escapeAt(fullArgs, i);
        if (esc.newline !== -1) {
          if (startAt !== null) ranges.push([startAt, offset + end + 1]);
          startAt = null;
          comment = false;
          i = esc.newline;
        } else if (!esc.blanks) {
          i++;
        }
      } else if (char === '\r' || char === '\n') {
        if (comment) {
          startAt = null;
          comment = false;
        }
      } else if (!comment) {
        if (startAt === null) {
          if (char === '#') {
            comment = true;
            continue;
          }
          if (doc.pos(offset + i).character !== 0) startAt = doc.lineStart(offset + i);
        }
        end = i;
      }
    }
    if (startAt === null) ranges.push([offset + end, offset + end + 1]);
    else ranges.push([startAt, offset + end + 1]);
    let content = '';
    for (const [s, e] of ranges) content += text.substring(s, e);
    return content;
  }

  /** JSONInstruction: the strings of a JSON array argument (read as dockerfile-ast reads it, not by JSON.parse). */
  getJSONStrings(): FastJsonString[] {
    if (this.json) return this.json;
    const strings: FastJsonString[] = [];
    this.json = strings;
    if (!JSON_KEYWORDS.has(this.keyword)) return strings;
    // No `[` after the keyword: the reading below never opens an array, so there are no strings.
    if (!this.doc.text.substring(this.instructionEnd, this.end).includes('[')) return strings;
    const args = this.getArguments();
    if (args.length === 0) return strings;
    if (args.length === 1 && args[0]!.value === '[]') return strings;
    if (args.length === 2 && args[0]!.value === '[' && args[1]!.value === ']') return strings;
    const doc = this.doc;
    const argsOffset = args[0]!.start;
    const argsContent = doc.text.substring(argsOffset, args[args.length - 1]!.end);
    let start = -1;
    let last = '';
    let quoted = false;
    const value = new Chars(argsContent);
    argsCheck: for (let i = 0; i < argsContent.length; i++) {
      const char = argsContent.charAt(i);
      switch (char) {
        case '[':
          if (last === '') last = '[';
          else if (quoted) value.add(i);
          else break argsCheck;
          break;
        case '"':
          if (last === '[' || last === ',') {
            start = i;
            quoted = true;
            last = '"';
            value.add(i);
            continue;
          } else if (last === '"') {
            if (quoted) {
              value.add(i);
              quoted = false;
              strings.push(new FastJsonString(doc, value.take(), argsOffset + start, argsOffset + i + 1));
            } else {
              break argsCheck;
            }
          } else {
            break argsCheck;
          }
          break;
        case ',':
          if (quoted) value.add(i);
          else if (last === '"') last = ',';
          else break argsCheck;
          break;
        case ']':
          if (quoted) value.add(i);
          else if (last !== '') break argsCheck;
          break;
        case ' ':
        case '\t':
          break;
        case '\\':
          if (quoted) {
            switch (argsContent.charAt(i + 1)) {
              case '"':
              case '\\':
                value.add(i + 1);
                i++;
                continue;
              case ' ':
              case '\t': {
                const nl = blanksThenNewline(argsContent, i + 2);
                if (nl !== -1) {
                  i = nl;
                  continue argsCheck;
                }
                break;
              }
              case '\r':
                i++;
              // falls through
              default:
                i++;
                continue;
            }
          } else {
            const nl = blanksThenNewline(argsContent, i + 1);
            if (nl !== -1) {
              i = nl;
              continue argsCheck;
            }
          }
          break argsCheck;
        default:
          if (!quoted) break argsCheck;
          value.add(i);
          break;
      }
    }
    return strings;
  }

  /** ENV and LABEL: PropertyInstruction.getProperties. */
  getProperties(): FastProperty[] {
    if (this.props) return this.props;
    const args = this.propertyArguments();
    const doc = this.doc;
    let props: FastProperty[];
    if (args.length === 0) props = [];
    else if (args.length === 1) props = [new FastProperty(doc, args[0]!)];
    else if (args.length === 2) {
      props = args[0]!.value.indexOf('=') === -1 ? [new FastProperty(doc, args[0]!, args[1]!)] : [new FastProperty(doc, args[0]!), new FastProperty(doc, args[1]!)];
    } else if (args[0]!.value.indexOf('=') === -1) {
      const s = args[1]!.start;
      const e = args[args.length - 1]!.end;
      props = [new FastProperty(doc, args[0]!, new FastArgument(doc, doc.text.substring(s, e), s, e))];
    } else {
      props = args.map((a) => new FastProperty(doc, a));
    }
    return (this.props = props);
  }

  /** ARG: its one property, or null when the instruction does not declare exactly one. */
  getProperty(): FastProperty | null {
    const args = this.propertyArguments();
    return args.length === 1 ? new FastProperty(this.doc, args[0]!) : null;
  }

  /** FROM: the image reference as written. */
  getImage(): string | null {
    const args = this.getArguments();
    return args.length > 0 ? args[0]!.value : null;
  }
  getImageRange(): Rng | null {
    const args = this.getArguments();
    return args.length !== 0 ? args[0]!.getRange() : null;
  }
  /** FROM … AS name: the stage name's source text. */
  getBuildStage(): string | null {
    const args = this.getArguments();
    if (args.length > 2 && args[1]!.value.toUpperCase() === 'AS') return this.doc.text.substring(args[2]!.start, args[2]!.end);
    return null;
  }

  /** PropertyInstruction.getPropertyArguments: like the raw arguments, but quotes and `${…}` hold spaces. */
  private propertyArguments(): FastArgument[] {
    const doc = this.doc;
    const args: FastArgument[] = [];
    const instructionNameEndOffset = this.instructionEnd;
    const fullArgs = doc.text.substring(this.instructionEnd, this.end);
    const start = findLeadingNonWhitespace(fullArgs);
    if (start === -1) return [];
    const base = instructionNameEndOffset + start;
    const arg = (from: number, to: number, value: string): void => {
      args.push(new FastArgument(doc, value, base + from, base + to));
    };
    let escaped = doc.pos(this.start).line !== doc.pos(base).line;
    let endingEscape = false;
    let mark = -1;
    const end = findTrailingNonWhitespace(fullArgs);
    const content = fullArgs.substring(start, end + 1);
    let argStart = escaped ? -1 : 0;
    let spaced = false;
    const createSpacedArgument = (): void => {
      if (argStart !== -1) arg(argStart, mark, content.substring(argStart, mark));
    };
    argumentLoop: for (let i = 0; i < content.length; i++) {
      const char = content.charAt(i);
      switch (char) {
        case ESC:
          if (i + 1 === content.length) {
            endingEscape = true;
            break argumentLoop;
          }
          if (!escaped) mark = i;
          switch (content.charAt(i + 1)) {
            case ' ':
            case '\t': {
              if (!isWhitespace(content.charAt(i + 2))) {
                i = i + 1;
                continue argumentLoop;
              }
              const esc = escapeAt(content, i);
              if (esc.newline !== -1) {
                escaped = true;
                i = esc.newline;
                continue argumentLoop;
              }
              if (esc.stop < content.length) {
                arg(argStart, i + 2, content.substring(argStart, i));
                argStart = esc.stop;
              }
              i = argStart - 1;
              continue argumentLoop;
            }
            case '\n':
              escaped = true;
              i = i + 1;
              continue argumentLoop;
            case ESC:
              if (argStart === -1) argStart = i;
              i = i + 1;
              continue argumentLoop;
            default:
              if (argStart === -1) argStart = i;
              continue argumentLoop;
          }
        case "'":
        case '"':
          if (spaced) {
            createSpacedArgument();
            argStart = i;
            spaced = false;
          }
          if (argStart === -1) argStart = i;
          for (let j = i + 1; j < content.length; j++) {
            switch (content.charAt(j)) {
              case char:
                if (content.charAt(j + 1) !== ' ' && content.charAt(j + 1) !== '') {
                  i = j;
                  continue argumentLoop;
                }
                arg(argStart, j + 1, content.substring(argStart, j + 1));
                i = j;
                argStart = -1;
                continue argumentLoop;
              case ESC:
                j++;
                break;
            }
          }
          break argumentLoop;
        case ' ':
        case '\t':
          if (escaped) {
            if (argStart !== -1) spaced = true;
          } else if (argStart !== -1) {
            arg(argStart, i, content.substring(argStart, i));
            argStart = -1;
          }
          break;
        case '\r':
          i++;
        // falls through
        case '\n':
          spaced = false;
          break;
        case '#':
          if (escaped) {
            // A comment line inside the continuation: skipped to its end.
            const nl = content.indexOf('\n', i + 1);
            if (nl !== -1) {
              i = nl;
              spaced = false;
              continue argumentLoop;
            }
            if (argStart !== -1) {
              arg(argStart, mark, content.substring(argStart, mark));
              argStart = -1;
            }
            break argumentLoop;
          } else if (argStart === -1) {
            argStart = i;
          }
          break;
        default:
          if (spaced) {
            createSpacedArgument();
            argStart = i;
            spaced = false;
          }
          escaped = false;
          if (argStart === -1) argStart = i;
          if (char === '$' && content.charAt(i + 1) === '{') {
            let singleQuotes = false;
            let doubleQuotes = false;
            let esc = false;
            for (let j = i + 1; j < content.length; j++) {
              switch (content.charAt(j)) {
                case ESC:
                  esc = true;
                  break;
                case '\r':
                case '\n':
                  break;
                case "'":
                  singleQuotes = !singleQuotes;
                  esc = false;
                  break;
                case '"':
                  doubleQuotes = !doubleQuotes;
                  esc = false;
                  break;
                case ' ':
                case '\t':
                  if (esc || singleQuotes || doubleQuotes) break;
                  i = j - 1;
                  continue argumentLoop;
                case '}':
                  i = j;
                  continue argumentLoop;
                default:
                  esc = false;
                  break;
              }
            }
            break argumentLoop;
          }
          break;
      }
    }
    if (argStart !== -1 && argStart !== content.length) {
      const e = endingEscape ? content.length - 1 : content.length;
      arg(argStart, e, content.substring(argStart, e));
    }
    return args;
  }
}

/**
 * What the escape character at `i` escapes: a line break (directly, or after blanks) — `newline` is its offset —,
 * or blanks followed by something else (`stop`: where the blanks end), or one other character. The text never holds
 * `\r` here (such files go to dockerfile-ast), so dockerfile-ast's `\r` branches are left out.
 */
function escapeAt(text: string, i: number): { newline: number; blanks: boolean; stop: number } {
  const next = text.charAt(i + 1);
  if (next === '\n') return { newline: i + 1, blanks: false, stop: i + 1 };
  if (next !== ' ' && next !== '\t') return { newline: -1, blanks: false, stop: i + 1 };
  let j = i + 2;
  while (j < text.length && (text.charAt(j) === ' ' || text.charAt(j) === '\t')) j++;
  return { newline: text.charAt(j) === '\n' ? j : -1, blanks: true, stop: j };
}

/**
 * Where spaces and tabs from `from` end in a line break: the offset of the `\n` (dockerfile-ast steps one past a
 * `\r`), or -1 when something else (or the end of the text) comes first.
 */
function blanksThenNewline(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charAt(j);
    if (c === '\r') return j + 1;
    if (c === '\n') return j;
    if (c !== ' ' && c !== '\t') return -1;
  }
  return -1;
}

/** Util.findLeadingNonWhitespace. */
function findLeadingNonWhitespace(content: string): number {
  whitespaceCheck: for (let i = 0; i < content.length; i++) {
    switch (content.charAt(i)) {
      case ' ':
      case '\t':
        continue;
      case ESC:
        for (let j = i + 1; j < content.length; j++) {
          switch (content.charAt(j)) {
            case ' ':
            case '\t':
              continue;
            case '\r':
              i = j + 1;
              continue whitespaceCheck;
            case '\n':
              i = j;
              continue whitespaceCheck;
            default:
              // (sic) dockerfile-ast gives up here too: an escaped character first means "no arguments"
              return -1;
          }
        }
        return -1;
      default:
        return i;
    }
  }
  return -1;
}

/** PropertyInstruction.findTrailingNonWhitespace. */
function findTrailingNonWhitespace(content: string): number {
  let index = content.length;
  whitespaceCheck: for (let i = content.length - 1; i >= 0; i--) {
    switch (content.charAt(i)) {
      case ' ':
      case '\t':
        continue;
      case '\n':
        if (content.charAt(i - 1) === '\r') i = i - 1;
      // falls through
      case '\r':
        for (let j = i - 1; j >= 0; j--) {
          switch (content.charAt(j)) {
            case ' ':
            case '\t':
            case '\r':
            case '\n':
            case ESC:
              continue;
            default:
              index = j;
              break whitespaceCheck;
          }
        }
        break whitespaceCheck;
      default:
        index = i;
        break whitespaceCheck;
    }
  }
  return index;
}

/** Property.getValue: a name or value with its quotes and escaped newlines (and the comments after them) removed. */
function propertyValue(input: string): string {
  let escaped = false;
  const skip = findLeadingNonWhitespace(input);
  if (skip !== 0 && input.charAt(skip) === '#') escaped = true;
  let value = input.substring(skip);
  const first = value.charAt(0);
  const last = value.charAt(value.length - 1);
  const literal = first === "'" || first === '"';
  const inSingle = first === "'" && last === "'";
  let inDouble = false;
  if (first === '"') {
    for (let i = 1; i < value.length; i++) {
      if (value.charAt(i) === ESC) i++;
      else if (value.charAt(i) === '"' && i === value.length - 1) inDouble = true;
    }
  }
  if (inSingle || inDouble) value = value.substring(1, value.length - 1);
  let commentCheck = -1;
  let escapedValue = '';
  parseValue: for (let i = 0; i < value.length; i++) {
    let char = value.charAt(i);
    switch (char) {
      case ESC:
        if (i + 1 === value.length) {
          escapedValue = escapedValue + ESC;
          break parseValue;
        }
        char = value.charAt(i + 1);
        if (char === ' ' || char === '\t') {
          whitespaceCheck: for (let j = i + 2; j < value.length; j++) {
            const char2 = value.charAt(j);
            switch (char2) {
              case ' ':
              case '\t':
                break;
              case '\r':
                j++;
              // falls through
              case '\n':
                escaped = true;
                i = j;
                continue parseValue;
              default:
                if (!inDouble && !inSingle && !literal) {
                  if (char2 === ESC) {
                    escapedValue = escapedValue + char;
                    i = i + 1;
                  } else {
                    escapedValue = escapedValue + char + char2;
                    i = j;
                  }
                  continue parseValue;
                }
                break whitespaceCheck;
            }
          }
        }
        if (char === '\n') {
          // An escaped line break, in quotes or not.
          escaped = true;
          i++;
          continue parseValue;
        }
        if (inDouble) {
          if (char !== '"') {
            if (char === ESC) i++;
            escapedValue = escapedValue + ESC;
          }
          continue parseValue;
        } else if (inSingle || literal) {
          escapedValue = escapedValue + ESC;
          continue parseValue;
        } else if (char === ESC) {
          escapedValue = escapedValue + ESC;
          i++;
        } else {
          escapedValue = escapedValue + char;
          i++;
        }
        break;
      case ' ':
      case '\t':
        if (escaped && commentCheck === -1) commentCheck = i;
        escapedValue = escapedValue + char;
        break;
      case '\r':
        i++;
      // falls through
      case '\n':
        if (escaped && commentCheck !== -1) {
          escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck - 1));
          commentCheck = -1;
        }
        break;
      case '#':
        if (escaped) {
          if (commentCheck !== -1) {
            escapedValue = escapedValue.substring(0, escapedValue.length - (i - commentCheck));
            commentCheck = -1;
          }
          for (let j = i + 1; j < value.length; j++) {
            const c = value.charAt(j);
            if (c === '\r') {
              i = j + 1;
              break;
            }
            if (c === '\n') {
              i = j;
              break;
            }
          }
          continue parseValue;
        }
      // falls through
      default:
        if (escaped) {
          escaped = false;
          commentCheck = -1;
        }
        escapedValue = escapedValue + char;
        break;
    }
  }
  return escapedValue;
}

export interface SimpleDockerfile {
  getInstructions(): FastInstruction[];
  getInitialARGs(): FastInstruction[];
  getEscapeCharacter(): string;
}

/**
 * The instructions of a Dockerfile as dockerfile-ast's parser delimits them, or undefined when the text has what
 * this reader does not port (see the top of the file).
 */
export function simpleDockerfile(text: string): SimpleDockerfile | undefined {
  if (text.includes('\r') || text.includes('<<') || text.charCodeAt(0) === 0xfeff || escapeDirective(text)) return undefined;
  const doc = new Doc(text);
  const instructions: FastInstruction[] = [];
  // Parser directives are comment lines at the top: read as comments, they end where dockerfile-ast starts.
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === ' ' || char === '\t' || char === '\n') continue;
    if (char === '#') {
      const nl = text.indexOf('\n', i + 1);
      i = nl === -1 ? text.length : nl;
    } else {
      i = readInstruction(doc, instructions, char, i);
    }
  }
  const initial: FastInstruction[] = [];
  for (const ins of instructions) {
    const kw = ins.getKeyword();
    if (kw === 'FROM') break;
    if (kw === 'ARG') initial.push(ins);
  }
  return {
    getInstructions: () => instructions,
    getInitialARGs: () => initial,
    getEscapeCharacter: () => ESC,
  };
}

/** Whether the comment lines at the top (where parser directives live) mention `escape`. */
function escapeDirective(text: string): boolean {
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const line = text.substring(at, nl === -1 ? text.length : nl);
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('#')) return false;
    if (/escape/i.test(line)) return true;
    if (nl === -1) return false;
    at = nl + 1;
  }
  return false;
}

/** Parser.processInstruction: the keyword, then the arguments up to an unescaped newline. */
function readInstruction(doc: Doc, out: FastInstruction[], first: string, start: number): number {
  const buffer = doc.text;
  let instruction = first;
  let instructionEnd = -1;
  let escapedInstruction = false;
  instructionCheck: for (let i = start + 1; i < buffer.length; i++) {
    const char = buffer.charAt(i);
    switch (char) {
      case ESC: {
        escapedInstruction = true;
        const esc = escapeAt(buffer, i);
        if (esc.blanks) {
          if (esc.newline !== -1) {
            i = esc.newline;
            continue instructionCheck;
          }
          instructionEnd = i + 1;
          instruction = instruction + ESC;
          if (esc.stop === buffer.length) break instructionCheck;
          i = esc.stop - 2;
          continue instructionCheck;
        }
        if (esc.newline !== -1) {
          if (instructionEnd === -1) instructionEnd = i;
          i++;
        } else {
          instructionEnd = i + 1;
          instruction = instruction + ESC;
          escapedInstruction = false;
        }
        break;
      }
      case ' ':
      case '\t': {
        if (escapedInstruction) {
          escapeCheck: for (let j = i + 1; j < buffer.length; j++) {
            switch (buffer.charAt(j)) {
              case ' ':
              case '\t':
                break;
              case '\r':
              case '\n':
                i = j;
                continue instructionCheck;
              default:
                break escapeCheck;
            }
          }
          escapedInstruction = false;
        }
        if (instructionEnd === -1) instructionEnd = i;
        const end = readArguments(buffer, i);
        out.push(new FastInstruction(doc, instruction, start, instructionEnd, end));
        return end;
      }
      case '\r':
      case '\n':
        if (escapedInstruction) continue;
        if (instructionEnd === -1) instructionEnd = i;
        out.push(new FastInstruction(doc, instruction, start, i, i));
        return i;
      case '#':
        if (escapedInstruction) continue;
      // falls through
      default:
        instructionEnd = i + 1;
        instruction = instruction + char;
        escapedInstruction = false;
        break;
    }
  }
  if (instructionEnd === -1) instructionEnd = buffer.length;
  out.push(new FastInstruction(doc, instruction, start, instructionEnd, buffer.length));
  return buffer.length;
}

/** Parser.processArguments (no heredocs here): the offset of the newline that ends the instruction. */
function readArguments(buffer: string, offset: number): number {
  let escaped = false;
  argumentsCheck: for (let i = offset + 1; i < buffer.length; i++) {
    switch (buffer.charAt(i)) {
      case '\r':
      case '\n':
        if (escaped) continue;
        return i;
      case ESC: {
        const esc = escapeAt(buffer, i);
        if (esc.blanks) {
          if (esc.stop === buffer.length) return buffer.length;
          if (esc.newline !== -1) escaped = true;
          i = esc.stop;
          continue argumentsCheck;
        }
        if (esc.newline !== -1) {
          escaped = true;
          i++;
        }
        continue;
      }
      case '#':
        if (escaped) {
          const nl = buffer.indexOf('\n', i + 1);
          i = nl === -1 ? buffer.length : nl;
          continue argumentsCheck;
        }
        break;
      case ' ':
      case '\t':
        break;
      default:
        if (escaped) escaped = false;
        break;
    }
  }
  return buffer.length;
}
