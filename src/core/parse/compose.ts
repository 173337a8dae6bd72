/**
 * Compose YAML → a positioned value tree (every node knows its file, line and column), with aliases and merge keys
 * resolved under a node budget (alias bombs end in an error, not in memory exhaustion), `${VAR}` interpolation,
 * and compose's rules for merging an override file into its base.
 */
import type { Node as YNode, Document } from 'yaml';
import { requireYaml } from './yaml-lib.cjs';
import type { Loc } from '../types.js';
import { LineIndex } from '../text.js';
import { expandVars, type VarLookup } from './expand.js';
import { simpleYaml, type YNodeLite } from './compose-simple.js';

export interface PBase {
  loc: Loc;
}
export interface PEntry {
  key: string;
  keyLoc: Loc;
  value: PNode;
}
export interface PMap extends PBase {
  kind: 'map';
  entries: Map<string, PEntry>;
}
export interface PSeq extends PBase {
  kind: 'seq';
  items: PNode[];
}
export interface PScalar extends PBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** yaml's scalar style (PLAIN, QUOTE_DOUBLE, QUOTE_SINGLE, BLOCK_LITERAL, BLOCK_FOLDED). */
  style?: string;
  /** A block scalar (`|`, `>`): where its content starts (the line after the header, past the block's indentation). */
  content?: { line: number; column: number };
  /**
   * Set when a string's value is not its text in the file character for character (inside its quotes; for a
   * literal block, line for line past the block's indentation) because of an escape (`\"`, `''`), a `$$` or variable
   * interpolated, or a folded line: only its first `exactFor` characters are at the columns the value gives them,
   * so a fix may edit only there.
   */
  exactFor?: number;
}
export type PNode = PMap | PSeq | PScalar;

export interface ComposeParse {
  file: string;
  text: string;
  lines: LineIndex;
  root?: PMap;
  error?: { message: string; loc: Loc };
  /** For suppression comments: the line range of each mapping key's value. */
  keyRanges: { line: number; endLine: number }[];
}

/** At most this many nodes after alias expansion: far above any real compose file, far below a bomb. */
export const NODE_BUDGET = 100_000;

class BudgetError extends Error {}
class KeyError extends Error {
  constructor(
    message: string,
    readonly loc: Loc,
  ) {
    super(message);
  }
}

/** `lookup` undefined: no interpolation (for files that are not compose files, like the config). */
export function parseCompose(file: string, text: string, lookup: VarLookup | undefined): ComposeParse {
  const lines = new LineIndex(text);
  const out: ComposeParse = { file, text, lines, keyRanges: [] };
  const simple = fastPath ? simpleYaml(text) : undefined;
  if (simple !== undefined) {
    if (simple === null) return out; // empty file
    const root = convertLite(simple, { file, lines, lookup, budget: { left: NODE_BUDGET }, keyRanges: out.keyRanges, depth: 0 });
    if (root.kind !== 'map') {
      out.error = { message: `a compose file must be a mapping at the top level, found a ${root.kind === 'seq' ? 'list' : 'scalar'}`, loc: root.loc };
      return out;
    }
    out.root = root;
    return out;
  }
  let doc: Document.Parsed;
  try {
    // `uniqueKeys: false`: the library checks each key against every earlier one (quadratic: a 1 MiB file of keys
    // would take minutes); the same check is made below with a Set, reported as the library reports it.
    doc = requireYaml().parseDocument(text, { merge: true, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    out.error = { message: `YAML could not be read: ${(e as Error).message}`, loc: locAt(file, lines, 0, 0) };
    return out;
  }
  const err = doc.errors[0];
  const dup = firstDuplicateKey(doc);
  if (dup !== undefined && (!err || dup < err.pos[0])) {
    out.error = { message: 'YAML syntax error: Map keys must be unique', loc: locAt(file, lines, dup, dup + 1) };
    return out;
  }
  if (err) {
    const [a, b] = err.pos;
    out.error = { message: `YAML syntax error: ${firstLine(err.message)}`, loc: locAt(file, lines, a, b) };
    return out;
  }
  if (doc.contents === null) return out; // empty file
  const budget = { left: NODE_BUDGET };
  let root: PNode;
  try {
    root = convert(doc.contents as YNode, doc, { file, lines, lookup, budget, keyRanges: out.keyRanges, depth: 0 });
  } catch (e) {
    if (e instanceof BudgetError) {
      out.error = { message: e.message, loc: locAt(file, lines, 0, 0) };
      return out;
    }
    if (e instanceof KeyError) {
      out.error = { message: e.message, loc: e.loc };
      return out;
    }
    throw e;
  }
  if (root.kind !== 'map') {
    out.error = { message: `a compose file must be a mapping at the top level, found a ${root.kind === 'seq' ? 'list' : 'scalar'}`, loc: root.loc };
    return out;
  }
  out.root = root;
  return out;
}

/**
 * Where the first repeated key is (the offset of the key), by the library's test for equal keys: the same node, or
 * scalars with the same value. Linear: one Set per mapping; aliases are not followed.
 */
function firstDuplicateKey(doc: Document.Parsed): number | undefined {
  const { visit, isScalar } = requireYaml();
  let first: number | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const k = pair.key as YNode | null;
        const v = isScalar(k) ? k.value : k;
        if (typeof v === 'number' && Number.isNaN(v)) continue; // NaN !== NaN: never equal for the library
        if (!seen.has(v)) {
          seen.add(v);
          continue;
        }
        const at = k?.range?.[0];
        if (at !== undefined && (first === undefined || at < first)) first = at;
      }
    },
  });
  return first;
}

let fastPath = true;

/** For the tests that compare the fast path (./compose-simple.ts) with the `yaml` library. */
export function setComposeFastPath(on: boolean): void {
  fastPath = on;
}

/** Whether the fast path takes this text (for the tests: a comparison must cover both paths). */
export function takesComposeFastPath(text: string): boolean {
  return simpleYaml(text) !== undefined;
}

/** The fast path's tree → positioned nodes, exactly as `convert` does it for the library's Document. */
function convertLite(n: YNodeLite, c: Conv): PNode {
  const loc = locAt(c.file, c.lines, n.range[0], n.range[1]);
  if (n.kind === 'scalar') {
    if (typeof n.value !== 'string') return { kind: 'scalar', value: n.value, loc };
    const value = c.lookup ? expandVars(n.value, c.lookup, { dollarDollar: true }) : n.value;
    const out: PScalar = { kind: 'scalar', value, loc, style: n.style };
    const exact = exactFlow(c.lines.text, n.range[0], n.range[1], n.style, value);
    if (exact !== undefined) out.exactFor = exact;
    return out;
  }
  if (n.kind === 'seq') return { kind: 'seq', items: n.items.map((it) => convertLite(it, c)), loc };
  const entries = new Map<string, PEntry>();
  for (const pair of n.pairs) {
    const value = convertLite(pair.value, c);
    const key = String(pair.key.value);
    const keyLoc = locAt(c.file, c.lines, pair.key.range[0], pair.key.range[1]);
    c.keyRanges.push({ line: keyLoc.line, endLine: c.lines.position(pair.value.range[1]).line });
    entries.set(key, { key, keyLoc, value });
  }
  return { kind: 'map', entries, loc };
}

/** A flow scalar (plain or quoted): how far its text between the quotes is its value, when not all of it. */
function exactFlow(text: string, start: number, end: number, style: string | undefined, value: string): number | undefined {
  const src = text.slice(start, end);
  const inner = style === 'QUOTE_DOUBLE' || style === 'QUOTE_SINGLE' ? src.slice(1, -1) : src.trimEnd();
  if (inner === value && !inner.includes('\n')) return undefined;
  let i = 0;
  while (i < inner.length && i < value.length && inner[i] === value[i] && inner[i] !== '\n') i++;
  return i;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function locAt(file: string, lines: LineIndex, start: number, end: number): Loc {
  const a = lines.position(start);
  const b = lines.position(Math.max(start, end));
  return { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

interface Conv {
  file: string;
  lines: LineIndex;
  lookup: VarLookup | undefined;
  budget: { left: number };
  keyRanges: { line: number; endLine: number }[];
  depth: number;
}

function nodeLoc(n: YNode, c: Conv): Loc {
  const r = n.range ?? [0, 0, 0];
  return locAt(c.file, c.lines, r[0], r[1]);
}

function convert(n: YNode, doc: Document.Parsed, c: Conv): PNode {
  const { isAlias, isMap, isScalar, isSeq, isPair } = requireYaml();
  if (--c.budget.left < 0) throw new BudgetError(`the YAML expands to more than ${NODE_BUDGET} nodes (alias bomb?): not analysed`);
  if (c.depth > 200) throw new BudgetError('the YAML nests deeper than 200 levels: not analysed');
  if (isAlias(n)) {
    const target = n.resolve(doc);
    if (!target) return { kind: 'scalar', value: null, loc: nodeLoc(n, c) };
    return convert(target, doc, { ...c, depth: c.depth + 1 });
  }
  const loc = nodeLoc(n, c);
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === 'string') {
      const out: PScalar = { kind: 'scalar', value: c.lookup ? expandVars(v, c.lookup, { dollarDollar: true }) : v, loc };
      if (n.type) out.style = n.type;
      const r = n.range ?? [0, 0, 0];
      // A literal block keeps its lines (the position maps add the indentation back); a folded one joins them.
      let exact: number | undefined;
      if (n.type === 'BLOCK_LITERAL') exact = out.value === v ? undefined : 0;
      else if (n.type === 'BLOCK_FOLDED') exact = out.value === v && !v.replace(/\n+$/, '').includes('\n') ? undefined : 0;
      else exact = exactFlow(c.lines.text, r[0], r[1], n.type ?? 'PLAIN', out.value as string);
      if (exact !== undefined) out.exactFor = exact;
      if (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED') {
        for (let l = loc.line + 1; l <= Math.min(loc.endLine, c.lines.lineCount); l++) {
          const t = c.lines.lineText(l);
          if (!t.trim()) continue;
          out.content = { line: l, column: t.length - t.trimStart().length + 1 };
          break;
        }
      }
      return out;
    }
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return { kind: 'scalar', value: v, loc };
    return { kind: 'scalar', value: String(v), loc };
  }
  if (isSeq(n)) {
    return { kind: 'seq', items: n.items.map((it) => convert(it as YNode, doc, { ...c, depth: c.depth + 1 })), loc };
  }
  if (isMap(n)) {
    const entries = new Map<string, PEntry>();
    const merges: PNode[] = [];
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as YNode | null;
      // A list or mapping as a key (`? [a, b]`): YAML allows it, compose's keys are strings and it refuses the file.
      if (k && (isMap(k) || isSeq(k))) throw new KeyError(`a mapping key must be a string, found a ${isSeq(k) ? 'list' : 'mapping'} (a complex YAML key): docker compose refuses the file`, nodeLoc(k, c));
      const keyValue = k && isScalar(k) ? k.value : null;
      const value = pair.value ? convert(pair.value as YNode, doc, { ...c, depth: c.depth + 1 }) : { kind: 'scalar' as const, value: null, loc: k ? nodeLoc(k, c) : loc };
      if (typeof keyValue === 'symbol' || keyValue === '<<') {
        merges.push(value);
        continue;
      }
      const key = String(keyValue);
      const keyLoc = k ? nodeLoc(k, c) : loc;
      const vr = (pair.value as YNode | null)?.range;
      c.keyRanges.push({ line: keyLoc.line, endLine: vr ? c.lines.position(vr[1]).line : keyLoc.line });
      entries.set(key, { key, keyLoc, value });
    }
    // `<<: *base` / `<<: [*a, *b]`: keys written in the mapping win, then earlier merge sources.
    for (const m of merges) {
      const sources = m.kind === 'seq' ? m.items : [m];
      for (const s of sources) {
        if (s.kind !== 'map') continue;
        for (const [k, e] of s.entries) if (!entries.has(k)) entries.set(k, e);
      }
    }
    return { kind: 'map', entries, loc };
  }
  return { kind: 'scalar', value: null, loc };
}

/* ---------- helpers for reading the tree ---------- */

export function get(n: PNode | undefined, key: string): PNode | undefined {
  return n?.kind === 'map' ? n.entries.get(key)?.value : undefined;
}
export function entry(n: PNode | undefined, key: string): PEntry | undefined {
  return n?.kind === 'map' ? n.entries.get(key) : undefined;
}
export function scalarString(n: PNode | undefined): string | undefined {
  if (!n || n.kind !== 'scalar' || n.value === null) return undefined;
  return String(n.value);
}

/* ---------- override merging (compose's merge rules) ---------- */

const REPLACE_KEYS = new Set(['command', 'entrypoint', 'image', 'user', 'read_only', 'working_dir', 'network_mode']);
const MAP_LIKE_LISTS = new Set(['environment', 'labels', 'args', 'extra_hosts', 'sysctls', 'annotations']);
const BY_TARGET = new Set(['volumes', 'tmpfs', 'devices']);

/** Merges `over` into `base` as `docker compose -f base -f over` does; positions stay with their files. */
export function mergeNodes(base: PNode | undefined, over: PNode, key = ''): PNode {
  if (!base) return over;
  if (REPLACE_KEYS.has(key)) return over;
  if (MAP_LIKE_LISTS.has(key)) return mergeMaps(listToMap(base), listToMap(over), '');
  if (BY_TARGET.has(key) && (base.kind === 'seq' || base.kind === 'scalar') && (over.kind === 'seq' || over.kind === 'scalar')) {
    const items = new Map<string, PNode>();
    for (const it of [...asList(base), ...asList(over)]) items.set(mountTargetOf(it), it);
    return { kind: 'seq', items: [...items.values()], loc: over.loc };
  }
  if (base.kind === 'map' && over.kind === 'map') return mergeMaps(base, over, key);
  if (base.kind === 'seq' && over.kind === 'seq') {
    const seen = new Set(base.items.map((i) => (i.kind === 'scalar' ? String(i.value) : JSON.stringify(strip(i)))));
    const extra = over.items.filter((i) => !seen.has(i.kind === 'scalar' ? String(i.value) : JSON.stringify(strip(i))));
    return { kind: 'seq', items: [...base.items, ...extra], loc: over.loc };
  }
  return over;
}

function mergeMaps(a: PNode, b: PNode, _key: string): PNode {
  if (a.kind !== 'map' || b.kind !== 'map') return b;
  const entries = new Map(a.entries);
  for (const [k, e] of b.entries) {
    const prev = entries.get(k);
    entries.set(k, prev ? { ...e, value: mergeNodes(prev.value, e.value, k) } : e);
  }
  return { kind: 'map', entries, loc: b.loc };
}

function asList(n: PNode): PNode[] {
  return n.kind === 'seq' ? n.items : [n];
}

function strip(n: PNode): unknown {
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map(strip);
  return Object.fromEntries([...n.entries].map(([k, e]) => [k, strip(e.value)]));
}

function mountTargetOf(n: PNode): string {
  if (n.kind === 'map') return scalarString(get(n, 'target')) ?? JSON.stringify(strip(n));
  const s = scalarString(n) ?? '';
  const parts = s.split(':');
  // tmpfs "path:opts" → path; volume "src:dst[:mode]" → dst; "dst" → dst
  if (parts.length === 1) return parts[0]!;
  if (parts[0]!.startsWith('/') && !parts[1]!.startsWith('/')) return parts[0]!;
  return parts[1]!;
}

/** `environment: [A=1, B]` → the mapping form, keeping each item's position. */
export function listToMap(n: PNode): PNode {
  if (n.kind !== 'seq') return n;
  const entries = new Map<string, PEntry>();
  for (const it of n.items) {
    const s = scalarString(it);
    if (s === undefined) continue;
    const eq = s.indexOf('=');
    const key = eq < 0 ? s : s.slice(0, eq);
    const value: PScalar = { kind: 'scalar', value: eq < 0 ? null : s.slice(eq + 1), loc: it.loc };
    entries.set(key, { key, keyLoc: it.loc, value });
  }
  return { kind: 'map', entries, loc: n.loc };
}

/** `.env` files: KEY=VALUE lines, `export` prefixes, quotes, comments (compose's dotenv dialect, simplified). */
export function parseDotenv(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) return;
    let v = m[2]!;
    const q = v[0];
    if ((q === '"' || q === "'") && v.lastIndexOf(q) > 0) {
      v = v.slice(1, v.lastIndexOf(q));
      if (q === '"') v = v.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else v = v.replace(/\s+#.*$/, '').trim();
    out.set(m[1]!, { value: v, line: i + 1 });
  });
  return out;
}
