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

const DIRECTIVE = /#\s*ro-uv-check\s+(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s-]+?)(?:\s+reason\s*=.*)?\s*$/;

/**
 * Reads `# ro-uv-check ignore=ID[,ID] [reason=…]` (applies to the next instruction / key / line, given by
 * `extent(line)`) and `# ro-uv-check ignore-file=ID`.
 */
export function readSuppressions(text: string, extent: (line: number) => { start: number; end: number } | undefined): Suppressions {
  const out: Suppressions = { file: new Set(), ranges: [] };
  if (!text.includes('ro-uv-check')) return out;
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    const m = DIRECTIVE.exec(l);
    if (!m) return;
    const rules = new Set(m[2]!.split(',').map((s) => s.trim()).filter(Boolean));
    if (m[1] === 'ignore-file') {
      for (const r of rules) out.file.add(r);
      return;
    }
    // The directive applies to the next line that is neither blank nor a comment.
    let next = i + 1;
    while (next < lines.length && (lines[next]!.trim() === '' || lines[next]!.trim().startsWith('#'))) next++;
    if (next >= lines.length) return;
    const ext = extent(next + 1) ?? { start: next + 1, end: next + 1 };
    out.ranges.push({ start: ext.start, end: ext.end, rules });
  });
  return out;
}

export function isSuppressed(f: Finding, s: Suppressions | undefined): boolean {
  if (!s) return false;
  const hit = (rules: Set<string>): boolean => rules.has(f.ruleId) || rules.has(f.name) || rules.has('all');
  if (hit(s.file)) return true;
  return s.ranges.some((r) => f.line >= r.start && f.line <= r.end && hit(r.rules));
}
