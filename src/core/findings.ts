/** Findings: ordering, de-duplication and suppression (inline comments, file comments, config). */
import type { Finding, Severity } from './types.js';
import { SEVERITY_RANK } from './types.js';

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.ruleId}\0${f.file}\0${f.line}\0${f.column}\0${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function atLeast(sev: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[sev] >= SEVERITY_RANK[threshold];
}

export interface Suppressions {
  /** Rule ids or names suppressed for the whole file. */
  file: Set<string>;
  /** Rule ids or names suppressed on a line range. */
  ranges: { start: number; end: number; rules: Set<string> }[];
}

/** The start of a directive: `# ro-uv-check ignore=` / `ignore-file=` (anywhere on the line). */
const DIRECTIVE_HEAD = /#\s*ro-uv-check\s+(ignore-file|ignore)\s*=\s*/g;
/** Characters of the rule list. */
const ID_LIST = /[A-Za-z0-9_,\s-]/;
const REASON = /\s+reason\s*=/y;
const isSpace = (c: string): boolean => /\s/.test(c);

/**
 * A directive on a line: its kind and its rule list, as the pattern
 * `#\s*ro-uv-check\s+(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s-]+?)(?:\s+reason\s*=.*)?\s*$` reads it, but in
 * linear time: that pattern backtracks quadratically on a long run of spaces (a 1 MiB line would take minutes).
 */
export function parseDirective(line: string): { kind: 'ignore' | 'ignore-file'; ids: string } | undefined {
  DIRECTIVE_HEAD.lastIndex = 0;
  for (let m = DIRECTIVE_HEAD.exec(line); m; m = DIRECTIVE_HEAD.exec(line)) {
    const end = m.index + m[0].length;
    let ids = idList(line.slice(end));
    if (ids === undefined) {
      // The pattern would give blanks after `=` back to the list: a list of blanks (no rules) may still match.
      let blanks = end;
      while (blanks > m.index && isSpace(line[blanks - 1]!)) blanks--;
      if (blanks < end) ids = idList(line.slice(blanks));
    }
    if (ids !== undefined) return { kind: m[1] as 'ignore' | 'ignore-file', ids };
    DIRECTIVE_HEAD.lastIndex = m.index + 1;
  }
  return undefined;
}

/** The shortest non-empty run of list characters after which the rest is blank or `\s+reason\s*=…`. */
function idList(rest: string): string | undefined {
  let listEnd = 0; // list characters run up to here
  while (listEnd < rest.length && ID_LIST.test(rest[listEnd]!)) listEnd++;
  let best: number | undefined;
  // The rest is blank from `blankFrom` on.
  let blankFrom = rest.length;
  while (blankFrom > 0 && isSpace(rest[blankFrom - 1]!)) blankFrom--;
  if (blankFrom <= listEnd && rest.length > 0) best = Math.max(blankFrom, 1);
  // Or `reason=` follows blanks: the list may end where those blanks start.
  for (let r = rest.indexOf('reason'); r >= 0; r = rest.indexOf('reason', r + 1)) {
    let k = r;
    while (k > 0 && isSpace(rest[k - 1]!)) k--;
    k = Math.max(k, 1);
    if (k >= r || k > listEnd || (best !== undefined && k >= best)) continue;
    REASON.lastIndex = k;
    if (REASON.test(rest)) {
      best = k;
      break;
    }
  }
  return best === undefined ? undefined : rest.slice(0, best);
}

/**
 * Reads `# ro-uv-check ignore=ID[,ID] [reason=…]` (applies to the next instruction / key / line, given by
 * `extent(line)`) and `# ro-uv-check ignore-file=ID`.
 */
export function readSuppressions(text: string, extent: (line: number) => { start: number; end: number } | undefined): Suppressions {
  const out: Suppressions = { file: new Set(), ranges: [] };
  if (!text.includes('ro-uv-check')) return out;
  const lines = text.split('\n');
  // The line a directive applies to: the next that is neither blank nor a comment (one pass from the end, so that
  // a long run of directives stays linear).
  const nextContent = new Int32Array(lines.length + 1).fill(-1);
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i]!.trim();
    nextContent[i] = t === '' || t.startsWith('#') ? nextContent[i + 1]! : i;
  }
  lines.forEach((l, i) => {
    if (!l.includes('ro-uv-check')) return;
    const m = parseDirective(l);
    if (!m) return;
    const rules = new Set(m.ids.split(',').map((s) => s.trim()).filter(Boolean));
    if (m.kind === 'ignore-file') {
      for (const r of rules) out.file.add(r);
      return;
    }
    const next = nextContent[i + 1]!;
    if (next < 0) return;
    const ext = extent(next + 1) ?? { start: next + 1, end: next + 1 };
    out.ranges.push({ start: ext.start, end: ext.end, rules });
  });
  return out;
}

/**
 * The findings of one file that its suppressions cover. A sweep over lines: ranges with the same extent are merged
 * first, so the ranges open at any line are only those nested around it (a compose key inside its parents, an
 * instruction), and many findings against many directives stay near linear.
 */
export function suppressedIn(findings: readonly Finding[], s: Suppressions): Set<Finding> {
  const out = new Set<Finding>();
  const hit = (f: Finding, rules: Set<string>): boolean => rules.has(f.ruleId) || rules.has(f.name) || rules.has('all');
  const merged = new Map<string, { start: number; end: number; rules: Set<string> }>();
  for (const r of s.ranges) {
    const key = `${r.start}:${r.end}`;
    const m = merged.get(key);
    if (m) for (const id of r.rules) m.rules.add(id);
    else merged.set(key, { start: r.start, end: r.end, rules: new Set(r.rules) });
  }
  const ranges = [...merged.values()].sort((a, b) => a.start - b.start);
  const byLine = [...findings].sort((a, b) => a.line - b.line);
  let open: typeof ranges = [];
  let next = 0;
  for (const f of byLine) {
    if (hit(f, s.file)) {
      out.add(f);
      continue;
    }
    while (next < ranges.length && ranges[next]!.start <= f.line) open.push(ranges[next++]!);
    open = open.filter((r) => r.end >= f.line);
    if (open.some((r) => hit(f, r.rules))) out.add(f);
  }
  return out;
}
