/**
 * The compose fast path: block-style YAML as compose files are written, read without the `yaml` library.
 *
 * `yaml`'s parseDocument costs ~0.3 ms for a ten-line compose file here (lexer, CST, then a full Document), most of
 * a 1,000-service run's YAML time. Text in a plain subset (block mappings and sequences indented with spaces, plain
 * and simply quoted scalars, one-line flow sequences, comments, empty values) is read here into the node ranges
 * `yaml` would give; anything else (anchors, aliases, tags, merge keys, block scalars, flow mappings, escapes,
 * multi-line scalars, duplicate keys, documents markers, tabs, errors) returns undefined and goes to `yaml`.
 * `__tests__/core/compose-fast.ts` holds the two to the same tree, positions and errors on random documents.
 */

/** A node with `yaml`'s range: [start, end of value, end of node (trailing comment or line break included)]. */
export type YRange = [number, number, number];
export type YNodeLite =
  | { kind: 'map'; range: YRange; pairs: { key: YScalarLite; value: YNodeLite }[] }
  | { kind: 'seq'; range: YRange; items: YNodeLite[] }
  | YScalarLite;
export interface YScalarLite {
  kind: 'scalar';
  range: YRange;
  value: string | number | boolean | null;
  style: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
}

interface Line {
  start: number;
  /** End of the line's text (before its line break). */
  end: number;
  indent: number;
  /** Empty, or only a comment. */
  blank: boolean;
}

class Fallback extends Error {}
const fallback = (): never => {
  throw new Fallback();
};

/** At most this many nodes and this deep (the library path reports what lies beyond). */
const MAX_NODES = 10_000;
const MAX_DEPTH = 50;

export function simpleYaml(text: string): YNodeLite | null | undefined {
  try {
    return new Reader(text).document();
  } catch (e) {
    if (e instanceof Fallback) return undefined;
    throw e;
  }
}

/** Characters that may not start a plain scalar or key here (indicators, and what the library path handles better). */
const BAD_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

class Reader {
  private readonly lines: Line[] = [];
  private nodes = 0;
  constructor(private readonly text: string) {
    if (text.includes('\t') || text.includes('\r')) fallback();
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      let indent = 0;
      while (text.charCodeAt(start + indent) === 32) indent++;
      const first = text[start + indent];
      const blank = start + indent >= end || first === '#';
      if (!blank && indent === 0 && /^(---|\.\.\.|%)/.test(text.slice(start, end))) fallback();
      this.lines.push({ start, end, indent, blank });
      if (nl < 0) break;
      start = nl + 1;
    }
  }

  document(): YNodeLite | null {
    const i = this.nextContent(0);
    if (i < 0) return null;
    // The library counts a comment line in the extent of the node before it when it is indented deeper than the
    // line after it, shifts the extent of some nodes after one indented less, and gives comments after the last
    // line to the document: none of that is imitated. A comment line indented as the next content line is taken.
    let nextIndent = -1;
    for (let k = this.lines.length - 1; k >= i; k--) {
      const l = this.lines[k]!;
      if (!l.blank) nextIndent = l.indent;
      else if (l.start + l.indent < l.end && l.indent !== nextIndent) fallback();
    }
    const { node, next } = this.block(i, this.lines[i]!.indent, 0);
    if (this.nextContent(next) >= 0) fallback();
    return node;
  }

  /** Index of the first non-blank line at or after `i`, or -1. */
  private nextContent(i: number): number {
    for (; i < this.lines.length; i++) if (!this.lines[i]!.blank) return i;
    return -1;
  }

  private count(depth: number): void {
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) fallback();
  }

  private isSeqLine(i: number, col: number): boolean {
    const l = this.lines[i]!;
    const at = l.start + col;
    return this.text[at] === '-' && (at + 1 >= l.end || this.text[at + 1] === ' ');
  }

  /** A block collection whose first line is `i`, content at column `col`. */
  private block(i: number, col: number, depth: number): { node: YNodeLite; next: number } {
    return this.isSeqLine(i, col) ? this.seq(i, col, depth) : this.map(i, col, depth);
  }

  private map(i: number, col: number, depth: number): { node: YNodeLite; next: number } {
    this.count(depth);
    const pairs: { key: YScalarLite; value: YNodeLite }[] = [];
    const seen = new Set<string>();
    let line = i;
    let first = true;
    for (;;) {
      const l = this.lines[line]!;
      if (!first && l.indent !== col) fallback();
      const keyStart = l.start + col;
      const key = this.key(keyStart, l.end, depth + 1);
      const name = String(key.scalar.value);
      if (seen.has(name) || name === '<<') fallback();
      seen.add(name);
      const { node, next } = this.valueAfter(line, key.after, col, depth + 1, true);
      pairs.push({ key: key.scalar, value: node });
      first = false;
      const n = this.nextContent(next);
      if (n < 0 || this.lines[n]!.indent < col) {
        const last = pairs[pairs.length - 1]!.value;
        return { node: { kind: 'map', range: [pairs[0]!.key.range[0], last.range[2], last.range[2]], pairs }, next };
      }
      if (this.lines[n]!.indent > col) fallback();
      if (this.isSeqLine(n, col)) fallback();
      line = n;
    }
  }

  private seq(i: number, col: number, depth: number): { node: YNodeLite; next: number } {
    this.count(depth);
    const items: YNodeLite[] = [];
    let line = i;
    for (;;) {
      const l = this.lines[line]!;
      if (l.indent !== col || !this.isSeqLine(line, col)) fallback();
      const { node, next } = this.valueAfter(line, l.start + col + 1, col, depth + 1, false);
      items.push(node);
      const n = this.nextContent(next);
      if (n < 0 || this.lines[n]!.indent < col) {
        const last = items[items.length - 1]!;
        return { node: { kind: 'seq', range: [this.lines[i]!.start + col, last.range[2], last.range[2]], items }, next };
      }
      if (this.lines[n]!.indent > col || !this.isSeqLine(n, col)) fallback();
      line = n;
    }
  }

  /**
   * The value after a `key:` (or a `- `) that ends at `after` on `line`: inline, or a block on the next lines, or
   * empty. `col`: the column of the key (or dash); `inMap`: a sequence may then sit at the key's own column.
   */
  private valueAfter(line: number, after: number, col: number, depth: number, inMap: boolean): { node: YNodeLite; next: number } {
    const l = this.lines[line]!;
    let p = after;
    while (p < l.end && this.text[p] === ' ') p++;
    if (p < l.end && this.text[p] !== '#') {
      if (p === after && !inMap) fallback(); // `-x` is a scalar, not an item
      if (!inMap && this.isCompactKey(p, l.end)) {
        // `- key: value`: a mapping that starts on the dash's line.
        const itemCol = p - l.start;
        return this.map(line, itemCol, depth);
      }
      const node = this.inline(p, l.end, depth);
      const n = this.nextContent(line + 1);
      if (n >= 0 && this.lines[n]!.indent > col) fallback(); // a continued scalar, or worse
      return { node, next: line + 1 };
    }
    if (p < l.end && p === after && inMap) fallback(); // `key:#x`
    const n = this.nextContent(line + 1);
    if (n >= 0 && this.lines[n]!.indent > col) return this.block(n, this.lines[n]!.indent, depth);
    if (n >= 0 && inMap && this.lines[n]!.indent === col && this.isSeqLine(n, col)) return this.seq(n, col, depth);
    // Empty: a null where the line ends. With a comment on the line, or comment lines before the next content
    // line, the library's ranges are not worth imitating.
    this.count(depth);
    if (p < l.end) fallback();
    for (let k = line + 1; k < this.lines.length && this.lines[k]!.blank; k++) {
      if (this.lines[k]!.start + this.lines[k]!.indent < this.lines[k]!.end) fallback();
    }
    // After a comment line the library's range of an empty value takes in its line break: not imitated.
    for (let k = line - 1; k >= 0 && this.lines[k]!.blank; k--) if (this.lines[k]!.start + this.lines[k]!.indent < this.lines[k]!.end) fallback();
    return { node: { kind: 'scalar', range: [p, p, p], value: null, style: 'PLAIN' }, next: line + 1 };
  }

  private isCompactKey(p: number, end: number): boolean {
    const c = this.text[p];
    if (c === '"' || c === "'") {
      const close = this.text.indexOf(c, p + 1);
      return close > 0 && close < end && this.text[close + 1] === ':';
    }
    const colon = this.keyColon(p, end);
    return colon >= 0;
  }

  /** The `:` that ends a plain key starting at `p` (followed by a space or the line end), or -1. */
  private keyColon(p: number, end: number): number {
    for (let k = p; k < end; k++) {
      const c = this.text[k];
      if (c === ':' && (k + 1 === end || this.text[k + 1] === ' ')) return k;
      if (c === '#' && this.text[k - 1] === ' ') return -1;
    }
    return -1;
  }

  private key(p: number, end: number, depth: number): { scalar: YScalarLite; after: number } {
    this.count(depth);
    const c = this.text[p];
    if (c === '"' || c === "'") {
      const q = this.quoted(p, end);
      if (this.text[q.end] !== ':') fallback();
      return { scalar: { kind: 'scalar', range: [p, q.end, q.end], value: q.value, style: q.style }, after: q.end + 1 };
    }
    const colon = this.keyColon(p, end);
    if (colon < 0) fallback();
    const raw = this.text.slice(p, colon);
    if (raw !== raw.trimEnd() || raw === '' || BAD_START.test(raw) || raw.includes(': ') || /[[\]{},]/.test(raw)) fallback();
    return { scalar: { kind: 'scalar', range: [p, colon, colon], value: plainValue(raw), style: 'PLAIN' }, after: colon + 1 };
  }

  /** A scalar or flow sequence from `p` to the end of the line (a comment may follow). */
  private inline(p: number, end: number, depth: number): YNodeLite {
    const c = this.text[p]!;
    let node: YNodeLite;
    let valueEnd: number;
    if (c === '[') {
      ({ node, valueEnd } = this.flowSeq(p, end, depth));
    } else if (c === '"' || c === "'") {
      this.count(depth);
      const q = this.quoted(p, end);
      valueEnd = q.end;
      node = { kind: 'scalar', range: [p, q.end, q.end], value: q.value, style: q.style };
    } else {
      this.count(depth);
      let k = p;
      while (k < end && !(this.text[k] === '#' && this.text[k - 1] === ' ')) k++;
      valueEnd = k;
      while (valueEnd > p && this.text[valueEnd - 1] === ' ') valueEnd--;
      const raw = this.text.slice(p, valueEnd);
      if (BAD_START.test(raw) || raw.includes(': ') || raw.endsWith(':')) fallback();
      node = { kind: 'scalar', range: [p, valueEnd, valueEnd], value: plainValue(raw), style: 'PLAIN' };
    }
    // After the value: spaces, then a comment or the line end.
    let k = valueEnd;
    while (k < end && this.text[k] === ' ') k++;
    if (k < end && !(this.text[k] === '#' && k > valueEnd)) fallback();
    const nodeEnd = end < this.text.length ? end + 1 : end;
    node.range = [node.range[0], node.range[1], nodeEnd];
    return node;
  }

  private flowSeq(p: number, end: number, depth: number): { node: YNodeLite; valueEnd: number } {
    this.count(depth);
    const items: YNodeLite[] = [];
    let k = p + 1;
    const skip = (): void => {
      while (k < end && this.text[k] === ' ') k++;
    };
    skip();
    if (this.text[k] === ']') return { node: { kind: 'seq', range: [p, k + 1, k + 1], items }, valueEnd: k + 1 };
    for (;;) {
      skip();
      const c = this.text[k];
      if (c === undefined || k >= end) fallback();
      this.count(depth + 1);
      if (c === '"' || c === "'") {
        const q = this.quoted(k, end);
        items.push({ kind: 'scalar', range: [k, q.end, q.end], value: q.value, style: q.style });
        k = q.end;
      } else {
        const s = k;
        while (k < end && /[A-Za-z0-9_./=@%+~-]/.test(this.text[k]!)) k++;
        if (k === s || BAD_START.test(this.text.slice(s, k))) fallback();
        items.push({ kind: 'scalar', range: [s, k, k], value: plainValue(this.text.slice(s, k)), style: 'PLAIN' });
      }
      skip();
      if (this.text[k] === ',') {
        k++;
        skip();
        if (this.text[k] === ']') fallback(); // a trailing comma
        continue;
      }
      if (this.text[k] === ']') return { node: { kind: 'seq', range: [p, k + 1, k + 1], items }, valueEnd: k + 1 };
      fallback();
    }
  }

  /** A quoted scalar on one line, without escapes. */
  private quoted(p: number, end: number): { value: string; end: number; style: 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' } {
    const q = this.text[p]!;
    if (q === '"') {
      const close = this.text.indexOf('"', p + 1);
      if (close < 0 || close >= end) fallback();
      const value = this.text.slice(p + 1, close);
      if (value.includes('\\')) fallback();
      return { value, end: close + 1, style: 'QUOTE_DOUBLE' };
    }
    let value = '';
    let k = p + 1;
    for (;;) {
      const close = this.text.indexOf("'", k);
      if (close < 0 || close >= end) fallback();
      value += this.text.slice(k, close);
      if (this.text[close + 1] === "'") {
        value += "'";
        k = close + 2;
        continue;
      }
      return { value, end: close + 1, style: 'QUOTE_SINGLE' };
    }
  }
}

/** A plain scalar's value under YAML 1.2's core schema (the `yaml` default); numbers other than integers go to the library. */
function plainValue(raw: string): string | number | boolean | null {
  if (/^(?:null|Null|NULL|~)$/.test(raw)) return null;
  if (/^(?:true|True|TRUE)$/.test(raw)) return true;
  if (/^(?:false|False|FALSE)$/.test(raw)) return false;
  if (/^[-+]?[0-9]+$/.test(raw)) {
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) fallback();
    return n;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(raw) || /^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/.test(raw) || /^0[ox]/.test(raw)) fallback();
  return raw;
}
