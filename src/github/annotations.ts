/** Annotations: most severe first, since GitHub shows only 10 of each type per step (50 per job). */
import type { Finding, Severity } from '../core/types.js';
import { SEVERITY_RANK } from '../core/types.js';

export const SHOWN_PER_TYPE = 10;

export interface Annotation {
  level: Severity;
  message: string;
  properties: { title: string; file: string; startLine: number; endLine: number; startColumn?: number; endColumn?: number };
}

export function toAnnotations(findings: Finding[], repoPath: (file: string) => string): Annotation[] {
  const ordered = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return ordered.map((f) => {
    const props: Annotation['properties'] = { title: `${f.ruleId} ${f.name}`, file: repoPath(f.file), startLine: f.line, endLine: f.endLine };
    // GitHub accepts columns only on a single-line range.
    if (f.endLine === f.line) {
      props.startColumn = f.column;
      props.endColumn = Math.max(f.endColumn, f.column);
    }
    return { level: f.severity, message: `${f.message}\nFix: ${f.fix}`, properties: props };
  });
}

/** How many annotations of each type GitHub will not show. */
export function hiddenAnnotations(findings: readonly { severity: Severity }[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) c[f.severity]++;
  return { error: Math.max(0, c.error - SHOWN_PER_TYPE), warning: Math.max(0, c.warning - SHOWN_PER_TYPE), notice: Math.max(0, c.notice - SHOWN_PER_TYPE) };
}
